"""What ``vixhedge placebo`` and :func:`vixhedge.api.placebo` / :func:`vixhedge.api.write_placebo` check of their
seeds, workers and output folder, before any work: one line each (trial API31 M1, H2).

* :func:`whole_number`: a seeds or workers value that is not a whole number (a str, a float, None; a bool) is refused
  as such, not as "too few"; a numpy integer is taken as the int it holds (README: numpy scalars are taken wherever
  Python numbers are);
* :func:`worker_count`: workers 0 means all cores, as the command's ``--workers 0`` and ``run_sweep(workers=0)``;
  below 0 is refused;
* :func:`check_out`: an output folder that holds anything but a placebo folder's own files (a run folder: its
  report.html and config.toml would be replaced without a word) is refused; an existing placebo folder is replaced.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from vixhedge.argtypes import is_whole
from vixhedge.core import config as C

#: the files a placebo folder holds (:func:`vixhedge.placebo.write_folder`)
PLACEBO_FILES = ("config.toml", "placebo.csv", "placebo.json", "placebo.svg", "report.html")
#: a temporary file a killed write leaves beside one of them (:func:`vixhedge.atomic.write_with`)
_LEFTOVER = re.compile(r"^\.(" + "|".join(re.escape(n) for n in PLACEBO_FILES) + r")\.\d+\.tmp$")


def whole_number(value: Any, label: str, use: str) -> int:
    """Return ``value`` as an int (a numpy integer taken); anything else (a bool, a float, a str, None) is one
    ConfigError line ``<label> <value> is not a whole number: <use>``."""
    if is_whole(value):
        return int(value)
    raise C.ConfigError(f"{label} {value!r} is not a whole number: {use}")


def worker_count(workers: Any, seeds: int, label: str) -> int:
    """The processes to run ``seeds`` seeds (or windows) on: ``workers`` (0: all cores), at most the seeds and this
    machine's cores, saying so in one stderr line as a sweep's workers are capped (trial FUZZ37 L1: ``--workers 64``
    on 6 windows took 11 s against 4.6 s with all cores); below 0 or not a whole number is one ConfigError line
    naming ``label`` (``--workers``, or the API's ``placebo: workers =``)."""
    import sys

    use = "use 1 or more processes, or 0 for all cores"
    n = whole_number(workers, label, use)
    if n < 0:
        raise C.ConfigError(f"{label} {n!r}: {use}")  # (the command's words since it had the flag)
    cores = os.cpu_count() or 1
    if n > cores:
        print(f"vixhedge: {label} {n} is more than this machine's {cores} cores: running {min(cores, seeds)} worker "
              "processes", file=sys.stderr)
    return min(n or cores, seeds, cores)


def check_out(out: Path, label: str, fix: str) -> None:
    """Raise one ConfigError line when ``out`` is a folder holding anything but a placebo folder's own files
    (:data:`PLACEBO_FILES`): writing there would replace another output's report.html and config.toml (trial API31
    H2: ``--out <a run folder>`` did, without a word). ``label``: how the user named it (``--out``, or
    ``write_placebo: out =``); ``fix``: what to give instead (``another --out``)."""
    if not out.is_dir():
        return
    other = sorted(p.name + ("/" if p.is_dir() else "") for p in out.iterdir()
                   if p.name not in PLACEBO_FILES and not _LEFTOVER.match(p.name))
    if other:
        shown = ", ".join(other[:5]) + (f" and {len(other) - 5} more" if len(other) > 5 else "")
        raise C.ConfigError(f"{label} {str(out)!r} holds other files than a placebo folder's ({shown}): writing there "
                            f"would replace its report.html and config.toml: give {fix} (a new or empty folder, or "
                            "a placebo folder to replace)")
