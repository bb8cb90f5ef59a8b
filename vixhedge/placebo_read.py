"""A placebo folder read back (:func:`load_placebo`, :func:`vixhedge.api.load_placebo`; trial API31 M5): the
:class:`~vixhedge.placebo.Placebo` that wrote it, from its config.toml, placebo.csv and placebo.json.

What the folder holds is what comes back: the seeds' rows as placebo.csv writes them (in full), placebo.json's
summary, reference figures, p_add, pilot rounds and notes as they were (a figure written ``null``, not a number, is
NaN again), and its record of the reference's prices (``prices``: the verdict and the modelled share, not the whole
data_provenance); the option restrikes are read from report.html's options note. ``str()`` of it is the summary the
command printed, its folder named; :func:`vixhedge.api.write_placebo` refuses it (written already).
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pandas as pd

from vixhedge import placebo_stats as S
from vixhedge.core import config as C
from vixhedge.placebo import Placebo
from vixhedge.placebo_args import PLACEBO_FILES
from vixhedge.runfolder import RunFolderError

#: the files :func:`load_placebo` reads (placebo.svg and report.html are drawn from them)
READ = ("config.toml", "placebo.csv", "placebo.json")
#: a ranked figure's fields that are NaN where placebo.json wrote null (:func:`vixhedge.placebo_stats.ranked_figure`)
NAN_FIELDS = ("reference", "median", "q05", "q95", "p_value", "p_value_worse")
WHOLE = ("layers_opened", "contract_sessions")  # placebo.csv's counts (and the seed)
RESTRIKES = re.compile(r"its ([\d,]+) restrikes are not copied")  # report.html's options note (placebo_notes)


def load_placebo(folder: Path, where: str = "load_placebo") -> Placebo:
    """Read the placebo folder ``folder`` back (module docstring); a folder that is not one (a run or compare folder,
    a missing file) or a damaged file is one :class:`~vixhedge.runfolder.RunFolderError` line naming it."""
    folder = Path(folder)
    if not folder.is_dir():
        state = "is a file, not a placebo folder" if folder.exists() else "does not exist"
        raise RunFolderError(f"{where}: {folder} {state}: give a folder `vixhedge placebo` or write_placebo wrote, "
                             "e.g. runs/<name>-placebo-<hash8>")
    missing = [n for n in READ if not (folder / n).is_file()]
    if missing:
        other = next((f"a {kind} folder" + (f": read it with {reader}" if reader else "") for name, kind, reader in (
            ("manifest.json", "run", "load_run"), ("comparison.json", "compare", "load_comparison"),
            ("summary.json", "sweep", "")) if (folder / name).is_file()), "")
        raise RunFolderError(f"{where}: {folder} is not a placebo folder: it lacks {', '.join(missing)}"
                             f"{f' ({other})' if other else ''}; a placebo folder holds {', '.join(PLACEBO_FILES)}")
    try:
        doc = json.loads((folder / "placebo.json").read_text(encoding="utf-8"))
        ref, pl = doc["reference"], doc["placebo"]
        reference = {k: _number(ref[k], k) for k in S.COLUMNS[1:]}
        summary = {"seeds": doc["seeds"], "metrics": _ranked(doc["metrics"]), "exposure": doc["exposure"],
                   "causes": _ranked(doc["causes"])}
        rows = _rows(folder / "placebo.csv")
        pilot = [(r["p_add"], r["mean_contract_sessions"]) for r in pl["pilot_rounds"]]
        params = {"p_add": pl["p_add"], "layers": pl["layers"]}
        fields = (ref["policy"], pl["add_bars"], pl["p_add_piloted"], ref.get("condor_note", ""),
                  {k: _number(v, k) for k, v in (ref.get("as_configured") or {}).items()}, ref.get("prices") or {})
    except (ValueError, KeyError, TypeError) as exc:  # (json's and the CSV's errors are ValueErrors)
        raise RunFolderError(f"{where}: {folder} holds a damaged or foreign placebo.json or placebo.csv ({exc!r}): "
                             "write the folder again (`vixhedge placebo config.toml --out .` in it)") from None
    policy, add_bars, piloted, condor_note, as_configured, prices = fields
    cfg = C.load(folder / "config.toml")
    return Placebo(cfg, policy, reference, params, add_bars, rows, summary, pilot, condor_note=condor_note,
                   restrikes=_restrikes(folder), piloted=piloted, as_configured=as_configured, prices=prices,
                   folder=folder)


def _number(value: Any, key: str) -> Any:
    """A reference figure as :func:`vixhedge.placebo_stats.row_of` made it: counts int, null NaN, the rest float."""
    if key in WHOLE:
        return int(value)
    return math.nan if value is None else float(value)


def _ranked(figures: dict) -> dict:
    """placebo.json's metrics or causes with their null figures NaN again (``at_least_as_good`` stays None)."""
    return {key: {k: (math.nan if v is None and k in NAN_FIELDS else v) for k, v in m.items()}
            for key, m in figures.items()}


def _rows(path: Path) -> list[dict]:
    """placebo.csv's rows as the dicts a run made: the seed and counts int, the rest float (``nan`` NaN)."""
    frame = pd.read_csv(path, dtype={c: str for c in S.COLUMNS})
    if list(frame.columns) != list(S.COLUMNS):
        raise ValueError(f"placebo.csv's columns are not {', '.join(S.COLUMNS)}")
    whole = ("seed", *WHOLE)
    return [{c: int(r[c]) if c in whole else float(r[c]) for c in S.COLUMNS} for r in frame.to_dict("records")]


def _restrikes(folder: Path) -> int:
    """The option reference's restrikes, as report.html's options note says them (0 where it has none)."""
    page = folder / "report.html"
    found = RESTRIKES.search(page.read_text(encoding="utf-8")) if page.is_file() else None
    return int(found.group(1).replace(",", "")) if found else 0
