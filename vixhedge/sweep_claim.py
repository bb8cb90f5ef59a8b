"""Whose sweep a folder holds (``OUT/spec.json``), and when a finished sweep's record, page and figures go.

:func:`claim` records the spec's identity and refuses a folder holding another spec's sweep (its rows would mix), or
this spec's on other data files or code (:func:`check_claim`, which changes nothing: a walk-forward checks its folds
with it before anything changes). A finished sweep's record (``output_files.json``), page and figures stay until its
files change (:func:`drop_stale`): ranked by another metric (:func:`ranked_by`), at once; else when a new row is
written (:mod:`vixhedge.sweep`'s writer), so an interrupted rerun that ran nothing new loses nothing (trial FUZZ37
H1: a walk-forward's rerun, Ctrl-C'd at 2 s, deleted its results).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from vixhedge.atomic import write_file
from vixhedge.core.config import ConfigError
from vixhedge.sweepio import FIGURES, KEPT, OUTPUTS_FILE, PAGE, SPEC_FILE, damaged_output, refusal

__all__ = ["check_claim", "claim", "drop_stale", "ranked_by"]


def _write_json(path: Path, obj: dict[str, Any]) -> None:
    write_file(path, json.dumps(obj, indent=2, sort_keys=True) + "\n")


_PARTS = {"base": "[base] config", "grid": "[grid]", "window": "run window", "split": "sweep.in_sample_end",
          "plugins": "plug-ins' source (a plug-in or a module it imports was edited)", "data": "data files",
          "data_recipe": "data files read (a data directory's A/D and calendar files)",
          "code": "code (vixhedge.codeid: the engine's source was edited or upgraded)"}


def claim(out_dir: Path, identity: dict[str, Any], held: dict[str, Any] | None = None,
          rank_by: str | None = None) -> None:
    """Record ``identity`` (:func:`vixhedge.sweep_spec.spec_identity`) in ``out_dir/spec.json``, or raise ConfigError,
    nothing written, when the folder holds another spec's sweep (:func:`check_claim`, or its answer ``held``). A
    finished sweep's record, page and figures stay until they change: ranked by another metric than summary.json's
    (``rank_by``) they go now; else when a new row is written (:func:`drop_stale`, the sweep's writer), so an
    interrupted rerun that ran nothing new leaves the folder as it was (trial FUZZ37 H1)."""
    held = held if held is not None else check_claim(out_dir, identity)
    if held is None:
        (out_dir / OUTPUTS_FILE).unlink(missing_ok=True)
        _write_json(out_dir / SPEC_FILE, identity)
        return
    if rank_by is None or ranked_by(out_dir / "summary.json") != rank_by:
        drop_stale(out_dir)
    parts = held.get("parts", {})
    if held.get("name") != identity["name"] or "data" not in parts or "code" not in parts:  # renamed (the report's
        # title follows the spec), or a folder from before data or code hashing: its identity from now on
        _write_json(out_dir / SPEC_FILE, identity)


def drop_stale(out_dir: Path, *also: str) -> None:
    """Delete a finished sweep's record, page and figures (and ``also``): its files change from here (trial IO: no
    stale record, page or figures of the rows before)."""
    for stale in (OUTPUTS_FILE, PAGE, FIGURES, *also):
        shutil.rmtree(p) if (p := out_dir / stale).is_dir() else p.unlink(missing_ok=True)


def ranked_by(path: Path) -> str | None:
    """The metric a sweep's summary.json or a walk-forward's walkforward.json at ``path`` was ranked by (None: no
    file, or unreadable)."""
    try:
        rank = json.loads(path.read_text(encoding="utf-8")).get("rank_by")
    except (OSError, ValueError, AttributeError):
        return None
    return rank.get("metric") if isinstance(rank, dict) else rank if isinstance(rank, str) else None


def check_claim(out_dir: Path, identity: dict[str, Any]) -> dict[str, Any] | None:
    """Return what ``out_dir/spec.json`` holds when it is this sweep's (None: no spec.json), or raise ConfigError
    when the folder holds another spec's sweep, its kept files differ from their record, or spec.json is damaged.
    Changes nothing (a walk-forward checks its folds with it before it deletes its stitched files)."""
    path = out_dir / SPEC_FILE
    if not path.is_file():
        return None
    try:
        held = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError):
        held = None
    if not isinstance(held, dict):
        raise ConfigError(f"{path} is damaged (not the JSON object a sweep writes), so the folder's rows cannot "
                          "be matched to this spec: give another --out, or delete the folder to run the sweep "
                          "again there")
    parts = held.get("parts", {})
    ours = {k: v for k, v in identity["parts"].items() if k != "code" or "code" in parts}  # (a folder from
    # before code hashing, 2026-12-04, is matched on the rest, as before)
    before_data = "data" not in parts and {k: v for k, v in ours.items() if k != "data"} == parts
    if held.get("hash") == identity["hash"] or ours == parts or before_data:  # (before data hashing: this sweep)
        found = damaged_output(out_dir, KEPT)  # a finished sweep's kept rows, as it wrote them: before a resume
        if found:  # a kept file, or output_files.json itself (the kept files cannot be checked)
            raise ConfigError(f"{found[1]}: {refusal(found[0])}")
        return held
    changed = {k for k, v in ours.items() if parts.get(k) != v}
    if "data" in parts and "data_recipe" not in parts and changed == {"data", "data_recipe"}:
        raise ConfigError(f"sweep output folder {out_dir} holds this sweep's rows computed before a run read the "
                          "data directory's A/D and event calendar files (their rules act on the rows now, so "
                          "the rows differ; no data file changed): give another --out, or delete the folder "
                          "to run the sweep again")
    if changed == {"code"}:
        raise ConfigError(f"sweep output folder {out_dir} holds this sweep's rows computed by another version of "
                          f"the code (the engine's source changed since they were written; {SPEC_FILE} records "
                          "its sha256): a resume would mix rows of two versions: give another --out, or delete "
                          "the folder to run the sweep again with the code as it is now")
    if changed == {"data"} and "data" in parts:
        raise ConfigError(f"sweep output folder {out_dir} holds this sweep's rows computed on other data (a data "
                          f"file changed since they were written; {SPEC_FILE} records their hash): give another "
                          "--out, or delete the folder to run the sweep again on the data as they are now")
    old = "plugins" not in parts  # a folder from before plug-in source hashing (or a sweep without plug-ins)
    differ = [_PARTS[k] for k, v in ours.items() if parts.get(k) != v and not (old and k == "plugins")
              and not (k == "data" and k not in parts)]
    if not differ and "plugins" in identity["parts"]:
        raise ConfigError(f"sweep output folder {out_dir} predates plug-in source hashing (its {SPEC_FILE} "
                          "records no plug-ins' source, so its rows cannot be matched to this spec's plug-ins): "
                          "give a new --out")
    differ = differ or ["spec"]
    raise ConfigError(f"sweep output folder {out_dir} holds another sweep ('{held.get('name', '?')}' in "
                      f"{SPEC_FILE}; its {' and '.join(differ)} {'differs' if len(differ) == 1 else 'differ'} "
                      "from this spec's): give another --out, or "
                      "delete the folder to start this sweep there (a folder holds one sweep)"
                      + ("; or put the plug-in back as it was, and the sweep resumes"
                         if differ == [_PARTS["plugins"]] else ""))
