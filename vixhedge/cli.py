"""Command line: ``vixhedge run|compare [CONFIG.toml]``, ``vixhedge sweep SPEC.toml``, ``vixhedge report RUN_DIR``.

Each subcommand is a parser builder plus a handler in :data:`COMMANDS`; handlers return the
process exit code (0 ok, 2 bad input: config or data errors are printed, nothing is written).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import time
from pathlib import Path

from vixhedge import argtypes, cli_data, cli_periods, cli_placebo, cli_report, cli_set, cli_sweep, cli_windows
from vixhedge.cli_help import COMPARE_EPILOG, EPILOG, PARQUET_HELP, PARQUET_INSTALL, REPORT_EPILOG, SWEEP_EPILOG, \
    VersionAction
from vixhedge.atomic import check_writable
from vixhedge.cli_signals import interrupt_words, sigterm_as_interrupt
from vixhedge.guard import Parser  # errors on one line, as every other CLI error (its subcommands' parsers too)
from vixhedge.core import config as config_mod
from vixhedge.core.config import DEFAULT_ENGINE, ENGINES

def _parser() -> argparse.ArgumentParser:
    p = Parser(prog="vixhedge", description="SPX iron condor + layered VIX hedge backtester.",
               epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--version", action=VersionAction)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run one backtest and write runs/<run-id>/",
                       description="Run one backtest and write its run folder (config, manifest, metrics, daily/"
                                   "attribution/trades/layers/condors/benchmark/signals/capital_cuts CSV, SVG "
                                   "figures, report.html).",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(r)
    r.add_argument("--hedge-mode", choices=[m.value for m in config_mod.HedgeMode], help=cli_data.HEDGE_MODE_HELP)
    r.add_argument("--print-config", action="store_true",
                   help="print the resolved config, each key with its meaning as a comment, and exit")
    engine_flag(r)
    c = sub.add_parser("compare", help="run several hedge modes on the same market path and compare them",
                       description="Run the config under several hedge modes on ONE market path, print a side-by-side "
                                   "table, whether each mode's condor fills are the baseline's (a policy or a "
                                   "capital cap can cut a condor) and paired differences vs the baseline "
                                   "with circular block-bootstrap 95% CIs (and which hold after Holm's "
                                   "multiple-comparison adjustment), and write runs/<name>-compare-<hash>/.",
                       epilog=COMPARE_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    _common(c)
    from vixhedge.registries import POLICY

    c.add_argument("--modes", default=None,
                   help=f"comma-separated: the built-in policies ({', '.join(POLICY.builtins)}) or plug-in policies "
                        "'module:callable' (default: none,static,alvh and the config's own hedge policy when it is "
                        "another: its hedge.policy plug-in, or vxth)")
    c.add_argument("--variant", nargs="+", action="append", metavar=("NAME KEY=VALUE", "KEY=VALUE"),
                   help="a mode of its own: the config (its own hedge policy) with these keys changed, e.g. "
                        "--variant nocondor hedge.require_condor=false (repeatable; added to --modes); "
                        "preset=NAME starts from a preset, sweep=FOLDER runs a sweep's best point and says the "
                        "search its intervals do not count")
    c.add_argument("--baseline", default="none", help="mode the others are compared with (default: %(default)s)")
    c.add_argument("--n-boot", type=argtypes.whole, default=2000,
                   help="bootstrap draws, 100..100,000 (default: %(default)s)")
    c.add_argument("--block-days", type=argtypes.whole, default=None,
                   help="bootstrap block length in days, that is trading sessions (default: data-driven per pair, "
                        "Politis-White)")
    c.add_argument("--ci-method", choices=config_mod.CI_METHODS, default="percentile",
                   help="paired CI method (default: %(default)s; bca = bias-corrected and accelerated, for Sharpe, "
                        "hedge cost and P&L: max drawdown and CVaR stay percentile)")
    cli_data.period_flag(c)
    cli_windows.add_flag(c)
    engine_flag(c)
    cli_sweep.add_parser(sub, SWEEP_EPILOG, quiet_flag)
    cli_placebo.add_parser(sub, quiet_flag)
    rep = sub.add_parser("report", help="redraw the figures and rebuild report.html of a run, compare or sweep "
                                        "folder from its files",
                         description="Redraw a run, compare (a compare --windows or --period all one too) or sweep "
                                     "folder's figures (a run's SVG, a compare's overlay.png and paired.png) from its "
                                     "CSV/JSON/TOML files and rewrite its self-contained report.html (no re-run, no "
                                     "network). A placebo folder is refused (its page needs the placebo runs).",
                         epilog=REPORT_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    rep.add_argument("run_dir", type=argtypes.path, metavar="FOLDER",
                     help="a folder written by `vixhedge run`, `vixhedge compare` or `vixhedge sweep` (a "
                          "walk-forward's too)")
    quiet_flag(rep)
    cli_data.add_parsers(sub)
    sub.metavar = "{" + ",".join(sub.choices) + "}"  # a missing command is named by its choices, as help shows them
    return p


# DEFAULT_ENGINE (vixhedge.core.config): fast, byte-identical to backtrader, ~0.4 s less CPU cold (issue 16)


def engine_flag(p: argparse.ArgumentParser) -> None:
    """Add ``--engine`` (run, compare, replay: one default, so a manifest and its replay command agree)."""
    p.add_argument("--engine", choices=ENGINES, default=DEFAULT_ENGINE,
                   help="backtrader (Cerebro + LedgerBroker) or fast (the same objects in a plain day loop); "
                        "their results are byte-identical (default: %(default)s)")


def quiet_flag(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true",
                   help="no progress bar and no notes (errors still print); bars draw only on a terminal")


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("config", nargs="?", type=argtypes.path, help="TOML config (default: the packaged default.toml)")
    p.add_argument("--parquet", action="store_true", help=PARQUET_HELP)
    p.add_argument("--preset", choices=config_mod.PRESETS, metavar="NAME",
                   help=f"start from a packaged preset instead of default.toml: {cli_data.PRESET_LIST}")
    quiet_flag(p)
    p.add_argument("--runs-dir", type=argtypes.path, default=Path("runs"), help="where run folders go (default: runs/)")
    p.add_argument("--start", help="override run.start (YYYY-MM-DD)")
    p.add_argument("--end", help="override run.end (YYYY-MM-DD)")
    p.add_argument("--data-dir", type=argtypes.path, metavar="DIR",
                   help='run on the real data files in DIR (market.source = "directory", market.data_dir = DIR)')
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help=cli_set.HELP)


def _resolve(args: argparse.Namespace) -> config_mod.Config:
    cli_data.check_period_flags(args)  # --period with --start/--end: that conflict, not the window they would make
    try:
        window = cli_data.window_flags(args.start, args.end)  # checked with the file's [run], before it is refused
        cfg = cli_data.base_config(args.config, args.preset, getattr(args, "hedge_mode", None),
                                   f"a config file ({args.config})", window)
    except config_mod.ConfigError as exc:  # a date outside the calendar: the data directory's span too (TASK42 L3)
        raise cli_data.data_span_words(exc, args) from None
    cfg = cli_set.apply(cfg, args.set, {"start": args.start, "end": args.end, "data_dir": args.data_dir,
                                        "hedge_mode": getattr(args, "hedge_mode", None),
                                        "period": getattr(args, "period", None)})
    sections: dict[str, dict] = {}
    if args.data_dir:
        argtypes.check_data_dir(args.data_dir)
        sections["market"] = {"source": "directory", "data_dir": str(args.data_dir)}
    return config_mod.replace(cfg, **sections) if sections else cfg


def _preflight(cfg: config_mod.Config) -> None:
    """Check what can be checked without loading data, before any work starts."""
    if cfg.market.source is config_mod.MarketSource.DIRECTORY and not Path(cfg.market.data_dir).is_dir():
        from feeds.directory import relative_note

        state = "is a file, not a folder" if Path(cfg.market.data_dir).exists() else "does not exist"
        raise config_mod.ConfigError(f"market.data_dir = {cfg.market.data_dir!r}{relative_note(cfg.market.data_dir)} "
                                     f"{state}: give the folder of the data files (README *Real data* gives the "
                                     "layouts)")


def _run(args: argparse.Namespace, cfg: config_mod.Config) -> int:
    if args.print_config:
        print(config_mod.to_toml(cfg, omitted=True), end="")  # every key: those config.toml leaves out commented
        return 0
    from feeds.market import market_for
    from vixhedge.progress import QUIET, frozen_heap, labelled, loading_line, run_with_bar
    from vixhedge.atomic import check_target
    from vixhedge.report import run_id, write_run
    from vixhedge.summary import summary_table
    from vixhedge.window import traded_words

    t0 = time.perf_counter()
    check_target(args.runs_dir, run_id(cfg))  # a file where the run folder goes: one line before any work
    market = market_for(cfg, before_build=loading_line(cfg.market))  # its checks (several A/D files in the data
    # directory, one read) before the build; on a terminal, a stage line while the data load
    i0, i1 = cli_data.checked_window(args, cfg, market)  # before the banner: a bad window is the only line printed
    if not QUIET:
        print(f"vixhedge: running '{cfg.run.name}' {traded_words(cfg, market, i0, i1)}, hedge "
              f"{cfg.hedge.policy_name}", file=sys.stderr)
    with frozen_heap(), labelled(cfg.hedge.policy_name):
        result = run_with_bar(cfg, args.engine, market)
        folder = write_run(result, args.runs_dir, parquet=args.parquet)
    print(summary_table(result))
    print(f"  {'run folder':<18}  {folder}  ({time.perf_counter() - t0:.1f} s)")
    return 0


def _compare(args: argparse.Namespace, cfg: config_mod.Config) -> int:
    if args.windows is not None:  # --windows LENGTH[/STEP]: the compare on each window (vixhedge.cli_windows)
        return cli_windows.run(args, cfg)
    if args.workers != 1:
        raise config_mod.ConfigError(f"--workers {args.workers}: runs compare --windows' windows in that many "
                                     "processes; a compare without --windows runs in one: drop --workers")
    if getattr(args, "period", None) == cli_periods.ALL:  # every named period the data cover, then their table
        return cli_periods.run(args, cfg, _compare_one)
    _compare_one(args, cli_data.period_config(args, cfg))  # --period NAME: replay's window, warm-up, coverage check
    return 0


def _compare_one(args: argparse.Namespace, cfg: config_mod.Config, heading: str = "",
                 check_only: bool = False) -> tuple[object, Path]:
    """Compare ``cfg`` (a named period's already: :func:`vixhedge.cli_data.period_config`) as the command does:
    check (``check_only``: that alone, returning no comparison and the folder it would write), print ``heading`` (if
    any), run, write its folder and print it; return the comparison and its folder."""
    from vixhedge.bootstrap import draws as bootstrap_draws
    from vixhedge.compare import DEFAULT_MODES, MODE_NAMES, PERCENTILE_ONLY, STATS, compare, comparison_id, \
        default_modes, mode_configs, paired_attrs, write_comparison
    from vixhedge.compare_args import check_compare_args
    from vixhedge.compare_variants import checked_variants, cli_variants, with_variants
    from vixhedge.compare_text import format_comparison

    where = cli_data.window_source(args)  # the flags given, else the config file's run.start..run.end
    given = where if args.start or args.end else f"{where}: run.start..run.end" if where else "run.start..run.end"
    # compare()'s own checks, worded by the flags: before a plug-in runs or the market builds
    variants = checked_variants(cli_variants(args.variant), MODE_NAMES, cfg)  # --variant NAME KEY=VALUE ...
    given_modes = with_variants(",".join(default_modes(cfg)) if args.modes is None else args.modes, variants)
    own = default_modes(cfg)[len(DEFAULT_MODES):] if args.modes is None else ()  # the config's own policy: named
    modes = check_compare_args(cfg, given_modes, args.baseline, args.n_boot, args.block_days, args.ci_method,
                               cli=True, window=given, variants=variants)[0]
    attrs = paired_attrs(args.baseline, args.n_boot, args.block_days, args.ci_method, cfg.run.seed)
    rid = comparison_id(cfg, modes, attrs, variants)
    if check_only:
        return None, args.runs_dir / rid
    from feeds.market import market_for
    from vixhedge import progress
    from vixhedge.atomic import check_target
    from vixhedge.window import traded_words

    if heading:
        print(heading)
    t0 = time.perf_counter()
    check_target(args.runs_dir, rid)  # a file where the folder goes: first
    configs = mode_configs(cfg, modes, variants)
    for m, c in configs.items():  # a plug-in mode runs without the config's plug-in's table: said
        for note in cli_set.dropped_tables(cfg, c, f"--modes {m}"):
            logging.getLogger("vixhedge.config").warning("%s", note)
    market = market_for(configs.values(), before_build=progress.loading_line(cfg.market))
    i0, i1 = cli_data.checked_window(args, cfg, market)  # before the banner: a bad window is the only line printed
    if not progress.QUIET:
        names = ", ".join(modes) if not own else \
            f"{', '.join(DEFAULT_MODES)} and the config's own hedge policy {own[0]} (--modes picks others)" \
            + "".join(f", {v}" for v in variants)
        print(f"vixhedge: comparing {names} on '{cfg.run.name}' {traded_words(cfg, market, i0, i1)}",
              file=sys.stderr)
    with progress.frozen_heap(), progress.filtered_notes(progress.OnceAcrossRuns()) as once:
        draws = bootstrap_draws(len(modes) - 1, args.n_boot, len(STATS) - len(PERCENTILE_ONLY), args.ci_method)
        with progress.bar(len(modes) * (i1 - i0 + 1), f"compare {', '.join(modes)}", "day") as days, \
                progress.next_bar(days, draws, "paired bootstrap", "draw") as on_draw:
            plain = days.disable and not progress.QUIET  # off a terminal: a line at each tenth (trial RS38 L4)
            cmp = compare(cfg, market, modes=modes, baseline=args.baseline, n_boot=args.n_boot,
                          block_days=args.block_days, ci_method=args.ci_method, engine=args.engine,
                          on_day=progress.with_lines(days.update, len(modes) * (i1 - i0 + 1), "day", plain),
                          on_draw=progress.with_lines(on_draw, draws, "bootstrap draw", plain, at_first=True),
                          variants=variants)  # (the draws' rate from the first draw: not the runs' time before it)
        folder = write_comparison(cmp, args.runs_dir, parquet=args.parquet)
    for line in once.lines() if not progress.QUIET else ():
        print(line, file=sys.stderr)
    print(format_comparison(cmp))
    print(f"\ncomparison folder  {folder}  ({time.perf_counter() - t0:.1f} s)")
    return cmp, folder


COMMANDS = {"run": _run, "compare": _compare, "sweep": cli_sweep.run, "placebo": cli_placebo.run,
            "report": cli_report.run, **cli_data.COMMANDS}


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; every error ends as ONE line on stderr (exit 2 for bad input, 3 otherwise), never a traceback.
    SIGTERM (timeout, SLURM) ends a command as Ctrl-C does, exit 143 (:mod:`vixhedge.cli_signals`)."""
    with sigterm_as_interrupt() as received:
        try:  # parsing and the guard's own imports too: an interrupt at any time is one line (exit 130)
            code = _main(argv)
        except KeyboardInterrupt as exc:
            print(f"vixhedge: interrupted{interrupt_words(exc)}", file=sys.stderr)
            code = 130
    return received.exit_code(code)


def _main(argv: list[str] | None) -> int:
    import contextlib

    # One BLAS thread unless the user says otherwise, set before numpy loads: the work is elementwise (sweeps use
    # processes), and starting OpenBLAS's thread pool cost ~60 ms CPU of every cold command on 2 cores (issue 16)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    given = sys.argv[1:] if argv is None else list(argv)
    if not given or given[0] == "help":  # (HELP32 L1: a bare `vixhedge` was one error line; `help` was refused)
        return _help(_parser(), given[1:] if given else None)
    args = _parse(_parser(), argv)
    args.command_line = command_line(argv)
    from vixhedge.progress import no_collections  # a small module: nothing heavy is imported before the command

    # one bounded run: collections cost ~0.2 s CPU of a cold run and free ~2 MB (issue 16)
    with no_collections() if args.command == "run" else contextlib.nullcontext():
        return _handled(args)


def command_line(argv: list[str] | None) -> str:
    """Return the command as the user typed it (for a hint to rerun it): the program's name as invoked (``python -m
    vixhedge`` for the module), every argument given; ``vixhedge`` when ``argv`` is passed in (``main(argv)``)."""
    import shlex

    prog = "vixhedge"
    if argv is None:
        name = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else prog
        prog = "python -m vixhedge" if name in ("__main__.py", "-c", "-m") else shlex.quote(name)
        argv = sys.argv[1:]
    return " ".join([prog, shlex.join(argv)]) if argv else prog


def _help(parser: argparse.ArgumentParser, command: list[str] | None) -> int:
    """``vixhedge`` alone: the help on stderr, exit 2 (no command given); ``vixhedge help [COMMAND ...]``: that
    command's help (the commands' list without one), exit 0."""
    if command is None:
        parser.print_help(sys.stderr)
        return 2
    if not command:
        parser.print_help()
        return 0
    _parse(parser, [*command, "--help"])  # argparse prints it and exits 0 (a name no command has: one line, exit 2)
    return 0


def _parse(parser: argparse.ArgumentParser, argv: list[str] | None) -> argparse.Namespace:
    """Parse ``argv``; an unknown argument is reported by the subcommand it was given to (``vixhedge run: error:
    unrecognized arguments: --bogus (see vixhedge run --help)``), not by the top parser."""
    found = parser.unknown_flag(sys.argv[1:] if argv is None else list(argv))  # before a missing argument
    if found:
        found[0].error(f"unrecognized arguments: {found[1]}")
    args, extra = parser.parse_known_args(argv)
    if extra:
        while (subs := [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]) and \
                getattr(args, subs[0].dest, None) in subs[0].choices:
            parser = subs[0].choices[getattr(args, subs[0].dest)]
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    return args


def _handled(args: argparse.Namespace) -> int:
    """Run the command; every error ends as ONE line on stderr (:func:`vixhedge.guard.guarded`)."""
    from vixhedge import progress
    from vixhedge.guard import REPORT_ELSEWHERE, guarded

    before, progress.QUIET = progress.QUIET, bool(getattr(args, "quiet", False))

    def command() -> int:
        with progress.notes_outside_bars():
            return _command(args)

    try:
        return guarded("vixhedge", command, REPORT_ELSEWHERE if args.command == "report" else "")
    finally:  # in a longer-lived process (a notebook, the tests) -q lasts one command
        progress.QUIET = before


def require_parquet(args: argparse.Namespace) -> None:
    """Raise ConfigError (before any work) when --parquet is asked for without pyarrow installed (compare
    --windows refuses --parquet itself, for what it is: RD31 read the pyarrow line there)."""
    import importlib.util

    windows = getattr(args, "windows", None) is not None
    if getattr(args, "parquet", False) and not windows and importlib.util.find_spec("pyarrow") is None:
        raise config_mod.ConfigError(f"--parquet needs pyarrow, which is not installed: {PARQUET_INSTALL} "
                                     "(or drop --parquet)")


def _command(args: argparse.Namespace) -> int:
    require_parquet(args)
    cfg = _resolve(args) if hasattr(args, "config") and hasattr(args, "start") else None
    if hasattr(args, "runs_dir"):
        check_writable(args.runs_dir, "--runs-dir")
    if cfg is not None:
        _preflight(cfg)
        from vixhedge.api_args import absolute_data_dir

        # a relative market.data_dir made absolute (as the run reads it), so the run folder's config.toml replays
        # the same data from any folder; the notebook API's config loaders do the same, so both give one run id
        cfg = absolute_data_dir(cfg)
        if args.command in ("run", "compare", "placebo") and not getattr(args, "period", None) \
                and not getattr(args, "print_config", False):  # (compare --period reads $VIXHEDGE_DATA_DIR)
            from vixhedge.cli_envdata import note_unread

            note_unread(args.command, cfg.market)
    return COMMANDS[args.command](args, cfg)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
