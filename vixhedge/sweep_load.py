"""A sweep folder's files read back for its report (:mod:`vixhedge.sweep_report`, ``vixhedge report``) and
:func:`vixhedge.api.run_sweep`, each checked: a file missing, cut by a killed sweep or edited after it finished, or
rows that are not the ones summary.json counts, is one :class:`SweepFolderError` line naming the file and the fix.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from vixhedge.runfolder import RunFolderError
from vixhedge.sweep_metrics import RESULT_FIELDS
from vixhedge.sweep_text import failure_words
from vixhedge.sweepio import HASHED, damaged_output, refusal

__all__ = ["SweepFolderError", "check_intact", "load_sweep", "rerun_words"]


class SweepFolderError(RunFolderError):
    """A folder is not a (finished, intact) sweep folder (a RunFolderError: the CLI says it in one line, exit 2)."""


def load_sweep(folder: Path, recorded: bool = False) -> tuple[pd.DataFrame, dict[str, Any], pd.DataFrame]:
    """Return (results, summary, invalid) of a sweep folder; raise SweepFolderError naming what is missing or
    damaged (a file cut by a killed sweep, results.csv's rows not the ones summary.json counts) and the fix.
    ``recorded``: the files' sha256 were just recorded from them (the end of a sweep): not hashed again."""
    folder = Path(folder)
    missing = [n for n in ("results.csv", "summary.json") if not (folder / n).is_file()]
    if missing == ["results.csv"]:
        _none_finished(folder)
    if missing:
        raise SweepFolderError(f"{folder} is not a finished sweep folder: missing {', '.join(missing)} "
                               "(run `vixhedge sweep SPEC.toml` to completion)")
    rerun = rerun_words(folder)
    if not recorded:
        check_intact(folder)  # a finished sweep's files as written (output_files.json)
    summary = _read_summary(folder / "summary.json", rerun)
    results = _read_results(folder / "results.csv", rerun)
    finished = summary.get("finished")
    if isinstance(finished, int) and results["point"].nunique() != finished:
        raise SweepFolderError(f"{folder / 'results.csv'} holds {results['point'].nunique()} points but "
                               f"{folder / 'summary.json'} counts {finished} finished (a sweep stopped before its "
                               f"summary was rewritten?): {rerun.format('finish it and rewrite both')}")
    try:
        invalid = pd.read_csv(folder / "invalid.csv") if (folder / "invalid.csv").is_file() else pd.DataFrame()
    except (ValueError, UnicodeDecodeError) as exc:  # pandas' ParserError and EmptyDataError are ValueErrors
        raise SweepFolderError(f"{folder / 'invalid.csv'} is damaged ({str(exc).splitlines()[0]}): "
                               f"{rerun.format('rewrite it')}") from None
    return results, summary, invalid


def rerun_words(folder: Path) -> str:
    """The fix of a sweep folder's damaged or cut file, with ``{}`` for what the rerun does to it."""
    return (f"rerun `vixhedge sweep SPEC.toml --out {folder}` with the same spec to {{}} (finished points are kept), "
            "or delete the folder and rerun the sweep")


def check_intact(folder: Path, names: tuple[str, ...] = HASHED) -> None:
    """Raise SweepFolderError when a file of ``names`` in a finished sweep's ``folder`` is missing or differs from
    the sha256 output_files.json recorded (:func:`vixhedge.sweepio.damaged_output`; a folder without the record is
    not checked), naming the file and the fix: what ``vixhedge report`` and ``compare --variant NAME sweep=FOLDER``
    refuse (trial FUZZ40 H1: the compare ran an edited summary.json's best point as the sweep's)."""
    found = damaged_output(folder, names)
    if found:
        raise SweepFolderError(f"{found[1]}: {refusal(found[0]) or rerun_words(folder).format('rewrite it')}")


def _none_finished(folder: Path) -> None:
    """Raise SweepFolderError when summary.json says no point finished and some failed (no results.csv: nothing to
    report), quoting the first failure; return otherwise."""
    try:
        summary = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return
    words = failure_words(summary, str(folder / "failed.csv")) if isinstance(summary, dict) else ""
    if words and not summary.get("finished"):
        raise SweepFolderError(f"{folder}: no point of the sweep finished, so there is nothing to report: {words}; "
                               "fix the cause and rerun the sweep")


def _read_summary(path: Path, rerun: str) -> dict[str, Any]:
    """summary.json as a dict, or SweepFolderError (a half-written file: not JSON, or not an object)."""
    try:
        summary = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise SweepFolderError(f"{path} is damaged (not valid JSON: {str(exc).splitlines()[0]}; a sweep killed "
                               f"while writing it?): {rerun.format('rewrite it')}") from None
    if not isinstance(summary, dict):
        raise SweepFolderError(f"{path} is damaged (a JSON {type(summary).__name__}, not an object): "
                               f"{rerun.format('rewrite it')}")
    return summary


def _read_results(path: Path, rerun: str) -> pd.DataFrame:
    """results.csv, parsed in full, or SweepFolderError: a last line without its line break (a torn row: the
    rerun cuts it and runs its point again), a row without the header's number of fields, a missing column."""
    data = path.read_bytes()
    if data and not data.endswith(b"\n"):
        raise SweepFolderError(f"{path} is damaged: its last row is cut mid-line (a sweep killed while writing "
                               f"it): {rerun.format('cut it and run its point again')}")
    try:
        rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise SweepFolderError(f"{path} is damaged ({exc}): {rerun.format('repair it')}") from None
    header = rows[0] if rows else []
    lacking = [c for c in ("point", RESULT_FIELDS[0]) if c not in header]
    if lacking:
        raise SweepFolderError(f"{path} is damaged: no {', '.join(lacking)} column in its header "
                               f"{header[:3]}: delete the folder and rerun the sweep")
    bad = next((i for i, r in enumerate(rows[1:], start=2) if len(r) != len(header)), None)
    if bad is not None:  # a torn last row the rerun cuts (sweepio.read_done); one inside the file it cannot
        fix = (rerun.format("cut it and run its point again") if bad == len(rows)
               else "delete the folder and rerun the sweep")
        raise SweepFolderError(f"{path} is damaged: line {bad} has {len(rows[bad - 1])} fields, the header "
                               f"{len(header)}: {fix}")
    return pd.read_csv(io.BytesIO(data))
