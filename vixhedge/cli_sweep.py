"""``vixhedge sweep SPEC.toml``: its parser and its handler (:data:`vixhedge.cli.COMMANDS`).

``--data-dir DIR`` runs every point on the real data files in DIR, as ``vixhedge run --data-dir`` does
(``market.source = "directory"``, ``market.data_dir`` the folder's absolute path, so the spec's identity and the
reproduce command do not depend on the current directory). A stage line on stderr precedes each long set-up step
(:mod:`vixhedge.sweep_progress`); the summary on stdout, summary.json and report.html say which market, window and
split the sweep ran on and the command that writes the folder again (:mod:`vixhedge.sweep_market`).
"""

from __future__ import annotations

import argparse
import dataclasses
import shlex
import sys
import time
from pathlib import Path

from vixhedge import argtypes
from vixhedge.core import config as config_mod
from vixhedge.core.config import ENGINES

KERNELS = ("auto", "off")  # vixhedge.sweep_keys.check_kernel


def add_parser(sub, epilog: str, quiet_flag) -> None:
    """Add the ``sweep`` subcommand to ``sub`` (the CLI's subparsers)."""
    w = sub.add_parser("sweep", help="run a parameter grid on one shared market, streamed and resumable",
                       description="Run every point of SPEC.toml's [grid] (dotted config keys -> lists or "
                                   "{start, stop, step}) over [base] overrides of the default config. Results "
                                   "stream to OUT/results.csv as points finish; rerunning resumes.",
                       epilog=epilog, formatter_class=argparse.RawDescriptionHelpFormatter)
    w.add_argument("spec", type=argtypes.path, help="sweep spec TOML ([sweep], [grid], optional [base])")
    w.add_argument("--out", type=argtypes.path, help="output folder (default: runs/<name>-sweep)")
    w.add_argument("--data-dir", type=argtypes.path, metavar="DIR",
                   help='run every point on the real data files in DIR (market.source = "directory", '
                        "market.data_dir = DIR's absolute path, over the spec's [base]), as run --data-dir")
    w.add_argument("--workers", type=int, help="processes (default: sweep.workers in the spec, else 0 = all cores)")
    w.add_argument("--scheduler", help="local (forked processes, default), local-cluster (a dask LocalCluster "
                                       "on loopback) or tcp://HOST:PORT (an existing dask scheduler)")
    w.add_argument("--engine", choices=ENGINES, help="fast (default: sweep.engine) or backtrader; same results")
    w.add_argument("--kernel", metavar="{auto,off}",
                   help="auto (default: sweep.kernel): points the all-points kernel covers run on it, the others on "
                        "the event path; off: every point on the event path")
    quiet_flag(w)


def with_data_dir(spec, data_dir: Path | None):
    """Return ``spec`` with its [base] on the data files in ``data_dir`` (absolute), or ConfigError in one line."""
    if data_dir is None:
        return spec
    if not data_dir.is_dir():
        from feeds.layout import relative_note

        raise config_mod.ConfigError(f"--data-dir {str(data_dir)!r}{relative_note(str(data_dir))} is not a folder: "
                                     "give the folder of the data files (e.g. ../shared/data)")
    try:
        base = config_mod.replace(spec.base, market={"source": "directory", "data_dir": str(data_dir.resolve())})
    except config_mod.ConfigError as exc:
        raise config_mod.ConfigError(f"--data-dir {str(data_dir)!r}: {exc}") from None
    return dataclasses.replace(spec, base=base)


def reproduce_command(args: argparse.Namespace, out: Path, spec) -> str:
    """The command that writes ``out`` again (or resumes it): the spec and folder by absolute path, ``--data-dir``
    absolute, the flags that can change a row's last digits (``--engine``, ``--kernel``); prefixed with ``cd`` to
    the current directory when the spec's own [base] names a relative ``market.data_dir``."""
    words = ["vixhedge", "sweep", str(args.spec.resolve())]
    if args.data_dir is not None:
        words += ["--data-dir", spec.base.market.data_dir]
    for flag in ("engine", "kernel"):
        if getattr(args, flag):
            words += [f"--{flag}", getattr(args, flag)]
    words += ["--out", str(out.resolve())]
    command = shlex.join(words)
    m = spec.base.market
    if m.source is config_mod.MarketSource.DIRECTORY and not Path(m.data_dir).is_absolute():
        command = f"cd {shlex.quote(str(Path.cwd()))} && {command}"
    return command


def run(args: argparse.Namespace, _cfg: None) -> int:
    """The ``sweep`` command: run (or resume) the spec's sweep, write its summary and report, print the summary."""
    from feeds.market import build_market
    from vixhedge import sweep as sw
    from vixhedge.atomic import check_writable
    from vixhedge.sweep_market import market_words
    from vixhedge.sweep_progress import stage
    from vixhedge.sweepio import SPEC_COPY, output_lock, read_keys, record_outputs

    spec = with_data_dir(sw.load_spec(args.spec), args.data_dir)
    if args.workers is not None:
        if args.workers < 0:
            raise config_mod.ConfigError(f"--workers {args.workers} is invalid: use 0 (all cores) or more")
        spec = dataclasses.replace(spec, workers=args.workers)
    if args.scheduler:
        sw.check_scheduler(args.scheduler, "--scheduler")
        spec = dataclasses.replace(spec, scheduler=args.scheduler)
    if args.engine:
        spec = dataclasses.replace(spec, engine=args.engine)
    if args.kernel is not None:
        sw.check_kernel(args.kernel, "--kernel")
        spec = dataclasses.replace(spec, kernel=args.kernel)
    out = args.out or Path("runs") / f"{spec.name}-sweep"
    check_writable(out, "--out")
    stage(f"building the market ({market_words(spec.base.market)})")
    market = build_market(spec.base.market)
    sw.preflight(spec, market)  # nothing to run: one line, the output folder untouched
    t0 = time.perf_counter()
    from vixhedge.sweep_report import write_sweep_report

    try:
        with output_lock(out):
            summary = sw.run_and_summarize(spec, out, market, files={SPEC_COPY: args.spec.read_bytes()})
            summary["reproduce"] = reproduce_command(args, out, spec)
            sw.write_summary(out, summary)
            record_outputs(out)  # the finished sweep's sha256, checked by `vixhedge report` and a rerun
            page = write_sweep_report(out, recorded=True)  # its files just hashed: not again
    except KeyboardInterrupt:
        saved = len(read_keys(out / "results.csv"))
        print(f"vixhedge: interrupted: {saved} point(s) are saved in {out / 'results.csv'}; rerun the same command "
              f"({args.command_line}) to resume", file=sys.stderr)
        return 130
    print(sw.format_summary(summary, spec.name, list(spec.grid), out, page, time.perf_counter() - t0))
    return 0
