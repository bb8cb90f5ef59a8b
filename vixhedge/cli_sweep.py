"""``vixhedge sweep SPEC.toml``: its parser and its handler (:data:`vixhedge.cli.COMMANDS`).

``--data-dir DIR`` runs every point on the real data files in DIR, as ``vixhedge run --data-dir`` does
(:func:`vixhedge.sweep_folder.with_data_dir`). The folder is written by
:func:`vixhedge.sweep_folder.write_sweep_folder`, the code path :func:`vixhedge.api.run_sweep` shares. A stage line
on stderr precedes each long set-up step (:mod:`vixhedge.sweep_progress`); the summary on stdout, summary.json and
report.html say which market, window and split the sweep ran on and the command that writes the folder again
(:mod:`vixhedge.sweep_market`).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from vixhedge import argtypes
from vixhedge.cli_signals import interrupt_words
from vixhedge.core.config import ENGINES
from vixhedge.fmt import plural
from vixhedge.sweep_keys import RANK_BY


def add_parser(sub, epilog: str, quiet_flag) -> None:
    """Add the ``sweep`` subcommand to ``sub`` (the CLI's subparsers)."""
    w = sub.add_parser("sweep", help="run a parameter grid on one shared market, streamed and resumable",
                       description="Run every point of SPEC.toml's [grid] (dotted config keys -> lists or "
                                   "{start, stop, step}) over [base] overrides of the run config sweep.config "
                                   "names (else the default config). Plug-ins it names need their folder on "
                                   "PYTHONPATH. Results stream to OUT/results.csv as points finish; rerunning "
                                   "resumes.",
                       epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    w.add_argument("spec", type=argtypes.path, help="sweep spec TOML ([sweep], [grid], optional [base])")
    w.add_argument("--out", type=argtypes.path, help="output folder (default: runs/<name>-sweep)")
    w.add_argument("--data-dir", type=argtypes.path, metavar="DIR",
                   help='run every point on the real data files in DIR (market.source = "directory", '
                        "market.data_dir = DIR's absolute path, over the spec's [base]), as run --data-dir")
    w.add_argument("--workers", type=argtypes.whole,
                   help="processes (default: sweep.workers in the spec, else 0 = all cores)")
    w.add_argument("--scheduler", help="local (forked processes, default), local-cluster (a dask LocalCluster "
                                       "on loopback) or tcp://HOST:PORT (an existing dask scheduler)")
    w.add_argument("--engine", choices=ENGINES, help="fast or backtrader (default: the spec's sweep.engine, else "
                                                      "fast); the same results")
    w.add_argument("--kernel", metavar="{auto,off}",
                   help="auto (default: sweep.kernel): points the all-points kernel covers run on it, the others on "
                        "the event path; off: every point on the event path; the same results either way (terms "
                        "below)")
    w.add_argument("--rank-by", metavar="{" + ",".join(RANK_BY) + "}",
                   help="the metric the best point is chosen on, in sample when split (default: sweep.rank_by, else "
                        "sharpe; rerun a finished folder with another to rank it again, nothing is rerun); "
                        "hedge_cost_usd is results.csv's hedge cost ex fees (compare's hedge net cost adds them)")
    w.add_argument("--spa-block-days", type=argtypes.whole, metavar="N",
                   help="SPA / StepM's mean bootstrap block in days, that is trading sessions (default: "
                        "sweep.spa_block_days, else 0: "
                        "data-driven; a finished folder is tested again, nothing is rerun)")
    w.add_argument("--walk-forward", type=_walk_plan, metavar="FIT,TEST[,anchored]",
                   help="walk forward: cut the window into folds of FIT years (or months: 18m) to choose the best "
                        "point on and the TEST years (or months: 6m) after them to judge it on, stepping by TEST "
                        "(anchored: every fold chooses on everything from the window's start); one sweep per fold in "
                        "OUT/fold-K, the test periods "
                        "stitched into OUT/walkforward.csv beside no hedge and the static hedge (default out: "
                        "runs/<name>-walkforward). The last test period ends at the window's end, so it can be "
                        "shorter than TEST (under 20 sessions it is not judged); each fold sets "
                        "its own split, so the spec may not set sweep.in_sample_end")
    quiet_flag(w)


def _walk_plan(text: str) -> tuple[int, int, bool]:
    from vixhedge.walkforward import parse_plan

    try:
        return parse_plan(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc).removeprefix(f"--walk-forward {text!r} is invalid: ")) from None


def run(args: argparse.Namespace, _cfg: None) -> int:
    """The ``sweep`` command: run (or resume) the spec's sweep, write its summary and report, print the summary."""
    from vixhedge import sweep as sw
    from vixhedge.atomic import check_writable
    from vixhedge.sweep_folder import with_data_dir, write_sweep_folder
    from vixhedge.sweepio import read_keys

    spec = with_data_dir(sw.load_spec(args.spec), args.data_dir)
    spec = sw.with_overrides(spec, "--", workers=args.workers, scheduler=args.scheduler, engine=args.engine,
                             kernel=args.kernel, rank_by=args.rank_by, spa_block_days=args.spa_block_days)
    from vixhedge.cli_envdata import note_unread

    note_unread("sweep", spec.base.market)  # (it does not read $VIXHEDGE_DATA_DIR: said when set, trial DET32 L1)
    if args.walk_forward:
        return walk(spec, args)
    out = args.out or Path("runs") / f"{spec.name}-sweep"
    check_writable(out, "--out")
    t0 = time.perf_counter()
    try:
        summary, page = write_sweep_folder(spec, out, spec_file=args.spec, data_dir=args.data_dir is not None,
                                           flags={"engine": args.engine, "kernel": args.kernel,
                                                  "rank-by": args.rank_by, "spa-block-days": args.spa_block_days})
    except KeyboardInterrupt as exc:
        saved = len(read_keys(out / "results.csv"))
        print(f"vixhedge: interrupted{interrupt_words(exc)}: {plural(saved, 'point')} {'is' if saved == 1 else 'are'} "
              f"saved in {out / 'results.csv'}; rerun the same command ({args.command_line}) to resume",
              file=sys.stderr)
        return 130
    except OSError as exc:  # a full disk mid-sweep: the line names the folder and that the points done are kept
        from vixhedge.guard import os_error_line

        if exc.filename is None:
            exc.filename = str(out)
        saved = len(read_keys(out / "results.csv")) if (out / "results.csv").is_file() else 0
        print(f"vixhedge: {os_error_line(exc)}; {plural(saved, 'point')} {'is' if saved == 1 else 'are'} saved in "
              f"{out / 'results.csv'}: rerun the same command ({args.command_line}) to resume once fixed",
              file=sys.stderr)
        return 2
    print(sw.format_summary(summary, spec.name, list(spec.grid), out, page, time.perf_counter() - t0))
    return failure_exit(summary, spec.name, out)


def walk(spec, args: argparse.Namespace) -> int:
    """``--walk-forward FIT,TEST``: every fold's sweep, then the stitched test periods (:mod:`vixhedge.walkforward`)."""
    from feeds.market import build_market
    from vixhedge.atomic import check_writable
    from vixhedge.sweep_market import market_words
    from vixhedge.sweep_progress import stage
    from vixhedge.walkforward import plan_flag, precheck, run_walk_forward
    from vixhedge.walkforward_folder import check_walk_out
    from vixhedge.walkforward_text import format_walk

    out = args.out or Path("runs") / f"{spec.name}-walkforward"
    check_writable(out, "--out")
    fit, test, anchored = args.walk_forward
    precheck(spec, fit, test, anchored, args.spa_block_days is not None)  # (before the market: trial FUZZ37 M1)
    check_walk_out(out)
    if not args.quiet:
        stage(f"building the market ({market_words(spec.base.market)})")
    market = build_market(spec.base.market)  # (every fold is checked on it before any runs: one line)
    from vixhedge.sweep_folder import reproduce_command

    flags = {"engine": args.engine, "kernel": args.kernel, "rank-by": args.rank_by,
             "spa-block-days": args.spa_block_days, "walk-forward": plan_flag(*args.walk_forward)}
    flags["reproduce"] = reproduce_command(args.spec, out, spec, args.data_dir is not None, flags)
    try:
        summary = run_walk_forward(spec, out, market, fit, test, data_dir=args.data_dir is not None, flags=flags,
                                   progress=not args.quiet, anchored=anchored)
    except KeyboardInterrupt as exc:
        print(f"vixhedge: interrupted{interrupt_words(exc)}: the folds' finished points are saved in {out}/fold-K; "
              f"rerun the same command ({args.command_line}) to resume", file=sys.stderr)
        return 130
    print(format_walk(summary, out))
    return 0


def failure_exit(summary: dict, name: str, out: Path) -> int:
    """Say on stderr, in one line, that points failed (the first one's error, failed.csv's path); return the exit
    code: 0 when at least one point finished, 1 when points failed and none finished (nothing to report)."""
    from vixhedge.sweep_text import failure_words

    words = failure_words(summary, str(out / "failed.csv"))
    if not words:
        return 0
    if summary.get("finished"):
        print(f"vixhedge sweep: WARNING sweep '{name}': {words}", file=sys.stderr)
        return 0
    print(f"vixhedge sweep: sweep '{name}': no point finished, nothing to report: {words}", file=sys.stderr)
    return 1
