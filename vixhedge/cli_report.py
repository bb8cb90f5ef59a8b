"""``vixhedge report FOLDER``: rebuild the page of a run, compare (``--windows`` and ``--period all`` too), sweep or
walk-forward folder from its files, or say in one line why a folder has none to rebuild (a placebo's).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def run(args: argparse.Namespace, cfg: None) -> int:
    """``vixhedge report FOLDER``: rebuild its page (:func:`rebuild_any_report`) and print its path."""
    from vixhedge.runfolder import RunFolderError
    from vixhedge.sweep_load import SweepFolderError

    if not args.run_dir.exists():
        print(f"vixhedge: {args.run_dir} does not exist: give a folder written by `vixhedge run`, `vixhedge "
              "compare` or `vixhedge sweep` (e.g. runs/<run-id>)", file=sys.stderr)
        return 2
    if not args.run_dir.is_dir():
        print(f"vixhedge: {args.run_dir} is a file, not a run folder: give the folder that holds report.html",
              file=sys.stderr)
        return 2
    try:
        out = rebuild_any_report(args.run_dir)
    except (RunFolderError, SweepFolderError) as exc:
        print(f"vixhedge: {exc}", file=sys.stderr)
        return 2
    print(out)
    return 0


def rebuild_any_report(folder: Path) -> Path:
    """Rebuild the report.html of a run, compare (its --windows and --period all too), sweep or walk-forward folder
    from its files; return its path."""
    if (folder / "windows.json").is_file():  # compare --windows
        from vixhedge.compare_windows_page import draw_pages

        return draw_pages(folder)
    own = [n for n in ("results.csv", "spec.json", "comparison.csv", "manifest.json") if (folder / n).is_file()]
    if (folder / "walkforward.json").is_file() or (not own and (folder / "fold-1" / "spec.json").is_file()):
        from vixhedge.walkforward_page import rebuild_walk_page  # (an unfinished one: its folds, no stitched files)

        return rebuild_walk_page(folder)
    if own and own[0] in ("results.csv", "spec.json"):  # (spec.json: a sweep's, sweepio)
        from vixhedge.sweep_report import write_sweep_report

        return write_sweep_report(folder)
    if own[:1] == ["comparison.csv"] or not own and (folder / "comparison.json").is_file():  # (IO31: a compare
        from vixhedge.compare_report import rebuild_comparison_report  # without its comparison.csv: a run folder?)

        return rebuild_comparison_report(folder)
    from vixhedge.runfolder import RunFolderError

    if not own and (folder / "placebo.json").is_file():  # (trial VIS30: refused as "not a complete run folder")
        raise RunFolderError(f"{folder} is a `vixhedge placebo` folder: its page is drawn from the placebo runs, "
                             "which it does not keep, so it cannot be rebuilt: run again the command its report.html "
                             "gives under Reproduce")
    if not own and ((folder / "periods.txt").is_file() or (folder / "periods.csv").is_file()):  # (IO31: run folder?)
        from vixhedge.periods_page import draw_page  # (trial VIS35 M5: it had no page)

        return draw_page(folder)
    if not own and (folder / "windows.csv").is_file():
        raise RunFolderError(f"{folder} is not a complete compare --windows folder: missing windows.json: write it "
                             "again with the command that made it")
    from vixhedge.report import rebuild_report

    return rebuild_report(folder)
