"""A walk-forward's output folder (:mod:`vixhedge.walkforward`): what it may hold (its stitched files, its page and
their record, fold-K sweep folders) and the check that refuses a rerun before anything in it changes."""

from __future__ import annotations

import re
from pathlib import Path

from vixhedge.core.config import ConfigError
from vixhedge.sweep_paths import check_same_paths
from vixhedge.sweep_spec import spec_identity
from vixhedge.sweep_summary import ranked_fields
from vixhedge.sweep_claim import check_claim
from vixhedge.sweepio import OUTPUTS_FILE, PAGE, check_folder
from vixhedge.walkforward import STITCHED, Fold, fold_spec

#: a fold's sweep folder, or a killed write's temporary file (vixhedge.atomic.write_with)
OURS = re.compile(r"^(fold-\d+|\..+\.\d+\.tmp)$")
#: the files of another kind of folder (a run's, a sweep's, a comparison's, a placebo's): never a walk-forward's
FOREIGN = {"manifest.json", "spec.json", "results.csv", "comparison.json", "placebo.json", "windows.json",
           "periods.csv"}


def check_walk_folder(spec, out: Path, market, plan: list[Fold]) -> None:
    """Raise ConfigError, changing nothing, when ``out`` holds anything but a walk-forward's files and fold-K
    folders (a run's or a sweep's folder: their page would be replaced; a walk-forward's folder may hold a user's
    other files, as a sweep's may, but none of :data:`FOREIGN`), or a fold's folder would refuse its sweep
    (another spec or plan, other data or code: :func:`vixhedge.sweep_claim.check_claim`; points left to run on another
    path than its finished ones: :func:`vixhedge.sweep_paths.check_same_paths`)."""
    check_walk_out(out)
    for fold in plan:
        folder, fs = out / f"fold-{fold.index}", fold_spec(spec, fold)
        if folder.is_dir():
            check_folder(folder)
            ranked_fields(folder / "results.csv", fs, say=False)
            check_claim(folder, spec_identity(fs, market))
            check_same_paths(folder, fs, market)  # (a fold on another --kernel: refused before any fold runs)


def check_walk_out(out: Path) -> None:
    """Raise ConfigError, changing nothing, when ``out`` holds another kind's folder (:func:`check_walk_folder`'s
    first check: it needs no market, so it comes before one is built, trial FUZZ37 M1)."""
    other = sorted(p.name for p in out.iterdir() if p.name not in {*STITCHED, PAGE, OUTPUTS_FILE}
                   and not OURS.match(p.name)) if out.is_dir() else []
    ours = out.is_dir() and any(OURS.match(p.name) or p.name in STITCHED for p in out.iterdir())
    if ours and not set(other) & FOREIGN:  # a walk-forward's folder with a user's files (notes.txt): kept, as a
        other = []  # sweep's are (trial FUZZ37 M2)
    if other:
        what = "a `vixhedge run` folder" if "manifest.json" in other else "not a walk-forward's"
        raise ConfigError(f"walk-forward output folder {out} is {what} (it holds {', '.join(other[:3])}): give "
                      "another --out (a new or empty folder, or an earlier walk-forward's to resume it)")
