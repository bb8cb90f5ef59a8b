"""``vixhedge data check PATH`` (coverage, gaps and bad rows of data files) and ``vixhedge data fetch`` (Cboe's
public VX, VIX and vol-index files and FRED's DFF into a cache folder); their parsers are in
:func:`vixhedge.cli_data.add_parsers`.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path

from vixhedge import argtypes
from vixhedge.cli_data import DATA_DIR_ENV
from vixhedge.core import config as config_mod


def run(args: argparse.Namespace, _cfg: None) -> int:
    """``vixhedge data check|fetch``."""
    if args.data_command == "check":
        if args.path is None and not args.data_dir.exists():  # run's and compare's wording for the same flag
            argtypes.check_data_dir(args.data_dir)
        return _check(args, args.path if args.path is not None else args.data_dir)
    return _fetch(args)


def _check(args: argparse.Namespace, path: Path) -> int:
    """``vixhedge data check PATH`` (or ``--data-dir PATH``)."""
    from feeds.check import bytes_to_read, check
    from feeds.check_runinputs import RunInputs
    from vixhedge import progress

    if args.config and not path.is_dir():
        raise config_mod.ConfigError(f"--config {args.config}: its A/D column names read a data directory's "
                                     f"breadth file; {path} is not a folder: give the data directory")
    fomc = config_mod.load(args.config).hedge.fomc if args.config else None
    # found once: the bar's total, the check
    inputs = RunInputs.find(path, fomc, f"--config {args.config}") if path.is_dir() else None
    total = bytes_to_read(path, inputs) or None  # the bar goes by bytes, as the load's time does
    with progress.bar(total, f"data check {path.name}", "B", scale=True) as done:
        report, implausible = check(path, lambda p: done.update(p.stat().st_size if p.is_file() else 0), inputs)
    print(report)
    return 1 if implausible and args.strict else 0


def _fetch(args: argparse.Namespace) -> int:
    """``vixhedge data fetch``."""
    from feeds.fetch import CBOE_BASE, FRED_BASE, FetchLimits, check_url, fetch_cboe

    env = os.environ.get(DATA_DIR_ENV)
    cache = args.cache or (Path(env) if env else Path.home() / ".cache" / "vixhedge" / "cboe")
    end = args.end or dt.date.today()
    if args.start > end:
        raise config_mod.ConfigError(f"--start {args.start} is after --end {end}: swap them")
    from vixhedge.atomic import check_writable

    label = "--cache" if args.cache else f"${DATA_DIR_ENV}" if env else "the default cache"
    check_cache(cache, label)
    check_writable(cache, "--cache")  # before the "fetching" line: bad input is one line before any work
    for url, flag in ((args.base_url, "--base-url"), (args.fred_url, "--fred-url")):
        if url is not None:  # (trial FUZZ37 L3: '' fell back to the default server, unsaid)
            check_url(url, flag)
    if not args.quiet:
        print(f"vixhedge: fetching the VX contracts settling from {args.start} on that are listed by {end}"
              f"{'' if args.no_vix else ' and VIX history'}"
              f"{'' if args.no_indices else ', VIX9D/VIX3M/VIX6M/SKEW'}{'' if args.no_rates else ', DFF'} into {cache}",
              file=sys.stderr)
    limits = FetchLimits(max_bytes=int(args.max_mb * 1e6), deadline_s=args.deadline)
    report = fetch_cboe(cache, args.start, end, base_url=CBOE_BASE if args.base_url is None else args.base_url,
                        fred_url=FRED_BASE if args.fred_url is None else args.fred_url,
                        refresh=args.refresh, force=args.force, vix=not args.no_vix, indices=not args.no_indices,
                        rates=not args.no_rates, limits=limits, listed=True)
    print("\n".join(report.lines()))
    return 0 if report.ok else 2


#: files only a vixhedge command's output folder holds (run, compare, sweep, walk-forward, placebo, compare --windows
#: and --period all), never a fetch cache or a data directory
OUTPUT_FILES = ("metrics.json", "manifest.json", "report.html", "comparison.json", "summary.json", "results.csv",
                "placebo.json", "windows.json", "walkforward.json", "periods.txt", "output_files.json")


def check_cache(cache: Path, label: str) -> None:
    """One ConfigError line, before any download, where ``cache`` is a vixhedge output folder or holds some (a runs/
    folder): the fetch would write vx/, VIX_History.csv, indices/ and rates/ among its files (trial FUZZ37 L3: a run
    folder was taken and downloaded into)."""
    if not cache.is_dir():
        return
    found = next((n for n in OUTPUT_FILES if (cache / n).is_file()), None)
    inner = None if found else next((f"{d.name}/{n}" for d in sorted(cache.iterdir()) if d.is_dir()
                                     for n in OUTPUT_FILES if (d / n).is_file()), None)
    if found or inner:
        what = f"is a vixhedge output folder (it holds {found})" if found else \
            f"holds vixhedge output folders ({inner})"
        raise config_mod.ConfigError(f"{label} {str(cache)!r} {what}: the fetch would write vx/, VIX_History.csv, "
                                     "indices/ and rates/ among them: give the data cache (a data directory, or "
                                     "~/.cache/vixhedge/cboe) or a new folder")
