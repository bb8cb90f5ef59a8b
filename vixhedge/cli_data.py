"""Data-side subcommands of the CLI: ``vixhedge replay NAME``, ``vixhedge data check PATH|fetch``; ``compare --period``.

``vixhedge/cli.py`` adds these parsers and handlers (:func:`add_parsers`, :data:`COMMANDS`);
handlers return the exit code (0 ok; config/data errors propagate to ``cli.main``, which prints
them and returns 2).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import re
import sys
import time
from pathlib import Path

from vixhedge import argtypes, cli_set
from vixhedge.cli_help import (CACHE_NO_SPX, CHECK_EPILOG, CHECK_EXAMPLES, FETCH_EPILOG, PARQUET_HELP, REPLAY_EPILOG,
                               REPLAY_OWN)
from vixhedge.core import config as config_mod
from vixhedge.core.config.base import CALENDAR_RANGE as RANGE, IN_CALENDAR, NOT_A_DAY

DATA_DIR_ENV = "VIXHEDGE_DATA_DIR"


def add_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the ``replay`` and ``data`` subcommands to the CLI's subparsers."""
    from feeds.periods import PERIODS

    r = sub.add_parser("replay", help="replay a named historical stress period (GFC, COVID, ...)",
                       description="Run a named stress period with indicator warm-up before its window, after "
                                   "checking that the data cover every session (SPX, VIX and, with --data-dir, "
                                   "real VX settles of the 1st and 2nd month); writes runs/<run-id>/.",
                       epilog=REPLAY_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("name", nargs="?", choices=sorted(PERIODS), metavar="NAME",
                   help=f"one of: {', '.join(sorted(PERIODS))}")
    r.add_argument("config", nargs="?", type=argtypes.path, metavar="CONFIG",
                   help="TOML config, as run and compare take it (or --config FILE)")
    r.add_argument("--data-dir", type=argtypes.path, metavar="DIR",
                   help=f"folder of real data files (default: ${DATA_DIR_ENV}; without it the embedded 2014-2018 "
                        "market)")
    r.add_argument("--config", dest="base_config", type=argtypes.path, metavar="FILE",
                   help="TOML config for everything but the window and data (default: the packaged default)")
    r.own_keys = {k: REPLAY_OWN.format(key=k) for k, flags in cli_set.OWN_FLAGS.items()
                  if "period" in flags or "data_dir" in flags}  # (the hint of --start: not a --set it refuses)
    r.add_argument("--preset", choices=config_mod.PRESETS, metavar="NAME",
                   help=f"start from a packaged preset instead of --config: {PRESET_LIST}")
    r.add_argument("--hedge-mode", choices=[m.value for m in config_mod.HedgeMode], help=HEDGE_MODE_HELP)
    r.add_argument("--runs-dir", type=argtypes.path, default=Path("runs"), help="where run folders go (default: runs/)")
    r.add_argument("--list", action="store_true", help="list the named periods and exit")
    r.add_argument("--set", action="append", metavar="KEY=VALUE", help=cli_set.HELP)
    from vixhedge.cli import engine_flag, quiet_flag

    quiet_flag(r)  # (HELP32 L6: its own words lacked "bars draw only on a terminal")
    engine_flag(r)
    r.add_argument("--parquet", action="store_true", help=PARQUET_HELP)
    d = sub.add_parser("data", help="data tools: vixhedge data check PATH | vixhedge data fetch",
                       description="Data tools. `check PATH` reports coverage, gaps and bad rows of a data file "
                                   "(VX, index history, option chain, FRED rates, Cboe vol-index table, a "
                                   "fomc_cpi_macro_calendar source, an A/D breadth file) or a data directory; "
                                   "`fetch` downloads Cboe's VX per-contract files, the VIX, VIX9D, VIX3M, "
                                   "VIX6M and SKEW histories and FRED's DFF (effective fed funds rate) into a local "
                                   "cache.")
    dsub = d.add_subparsers(dest="data_command", required=True, metavar="{check,fetch}")  # named so when missing
    c = dsub.add_parser("check", help="report coverage, gaps and bad rows of a file or data directory",
                        description="Report coverage, gaps and bad rows of a data file or a data directory.",
                        epilog=CHECK_EXAMPLES + CHECK_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    given = c.add_mutually_exclusive_group(required=True)  # PATH or --data-dir, as run and compare take it
    given.add_argument("path", nargs="?", type=argtypes.path, metavar="PATH", help="a data file or a data directory")
    given.add_argument("--data-dir", type=argtypes.path, metavar="DIR",
                       help="the data directory (or file), as run, compare and the python -m reports take it")
    c.add_argument("--strict", action="store_true", help="exit 1 when any row breaks the plausibility rules "
                                                         "(feeds.loaders.plausible), even though it is skipped")
    c.add_argument("--config", type=argtypes.path, metavar="FILE", help="read a data directory's A/D (breadth) file "
                   "with this config's hedge.fomc.ad_advances_column / ad_declines_column (default: the default names)")
    quiet_flag(c)
    f = dsub.add_parser("fetch", help="download Cboe's VX files, VIX/VIX9D/VIX3M/VIX6M/SKEW histories and FRED's "
                                      "DFF into a cache",
                        description="Download into CACHE Cboe's public VX_YYYY-MM-DD.csv files of the monthly "
                                    "contracts settling from --start on that are listed by --end: those settled by "
                                    "--end and those still trading on it, about nine months out, each with its "
                                    "settles to date (vx/), VIX_History.csv, the VIX9D, VIX3M, VIX6M and SKEW "
                                    "histories (indices/) and FRED's DFF, the effective fed funds rate "
                                    "(rates/DFF.csv), validating each file before it is cached. Needs internet access. "
                                    f"{CACHE_NO_SPX}",
                        epilog=FETCH_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    f.add_argument("--cache", type=argtypes.path, default=None,
                   help=f"cache folder (default: ${DATA_DIR_ENV}, else ~/.cache/vixhedge/cboe)")
    f.add_argument("--start", type=argtypes.fetch_day, default=dt.date(2013, 1, 1),
                   help="first settlement date (default: 2013-01-01, Cboe's current archive)")
    f.add_argument("--end", type=argtypes.fetch_day, default=None,
                   help="the last day of data wanted (default: today): the contracts settled by then and those "
                        "still trading on it are fetched (the farthest month may be 'not on the server' yet)")
    f.add_argument("--base-url", default=None, help="server instead of https://cdn.cboe.com (a mirror)")
    f.add_argument("--fred-url", default=None, help="server instead of https://fred.stlouisfed.org (a mirror)")
    f.add_argument("--refresh", action="store_true", help="download files already in the cache again")
    f.add_argument("--force", action="store_true", help="let a download replace a cached file with FEWER rows "
                   "(a shrinking file is refused otherwise)")
    f.add_argument("--no-vix", action="store_true", help="skip VIX_History.csv")
    f.add_argument("--no-indices", action="store_true", help="skip VIX9D, VIX3M, VIX6M and SKEW histories")
    f.add_argument("--no-rates", action="store_true", help="skip FRED's DFF (effective fed funds rate)")
    f.add_argument("--deadline", type=argtypes.positive, default=900.0,
                   help="seconds for the whole fetch (default: %(default)s)")
    f.add_argument("--max-mb", type=argtypes.positive, default=20.0, help="size cap per file in MB (default: %(default)s)")
    quiet_flag(f)


#: --hedge-mode's help (run, replay): it runs a built-in, so a plug-in policy the config names is dropped
HEDGE_MODE_HELP = ("run this built-in hedge (none; static: layers held throughout; alvh: the MACD-layered hedge; "
                   "vxth: Cboe's VIX Tail Hedge calls): sets hedge.mode and clears hedge.policy and "
                   "[hedge.policy_params] (a plug-in policy the config names is not run)")
PRESET_LIST = "; ".join(f"{k}: {w}" for k, w in config_mod.PRESET_WORDS.items())  # (--help: trial HELP23)


def base_config(path: Path | None, preset: str | None, mode: str | None, given: str,
                window: dict[str, dt.date] | None = None) -> config_mod.Config:
    """Return the config a command starts from: the file ``path`` (``given`` names how it was given), the preset or
    the packaged default; under ``mode`` (--hedge-mode) a built-in policy, no plug-in nor its [hedge.policy_params],
    and a file is loaded without importing the plug-in policy it names (vixhedge.registries.load_builtin).

    ``window`` (:func:`window_flags`: --start/--end) replaces the file's run.start/run.end before the config is
    checked, so a window the flags fix is not refused for the file's."""
    from vixhedge.registries import builtin_config, load_builtin

    if path and preset:
        raise config_mod.ConfigError(f"give {given} or --preset {preset}, not both")
    if window:
        return _windowed(path or (config_mod.preset_path(preset) if preset else config_mod.default_path()),
                         f"preset {preset}" if preset else "" if path else "the packaged default.toml", mode, window)
    if path and mode:
        return load_builtin(path, mode)
    cfg = config_mod.load(path) if path else config_mod.load_preset(preset) if preset else config_mod.load_default()
    return builtin_config(cfg, mode) if mode else cfg


def window_flags(start: str | None, end: str | None) -> dict[str, dt.date]:
    """Return the run window ``--start``/``--end`` give (``{"start": date, "end": date}``, either or none);
    ConfigError naming the flag, its value and the fix."""
    window = {}
    for flag, text in (("--start", start), ("--end", end)):
        if text is None:
            continue
        if not text.strip():  # '' was silently ignored: the config's date ran instead
            raise config_mod.ConfigError(f"{flag} {text!r} is empty: give a date as YYYY-MM-DD, or leave {flag} out "
                                         "(the config's run window)")
        try:
            window[flag[2:]] = dt.date.fromisoformat(text.strip())
        except ValueError:
            why = (NOT_A_DAY if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip())
                   else "is invalid: write a date as YYYY-MM-DD")
            raise config_mod.ConfigError(f"{flag} {text!r} {why}") from None
        if not RANGE[0] <= window[flag[2:]] <= RANGE[1]:  # named here: in the file's [run] it blamed the file
            raise config_mod.ConfigError(f"{flag} {text.strip()} is invalid: {IN_CALENDAR}")
    return window


def data_span_words(exc: config_mod.ConfigError, args: argparse.Namespace) -> config_mod.ConfigError:
    """``exc`` with the data's own span where it is a date outside the exchange calendar's range and ``--data-dir``
    names a data directory: the first start there that leaves the MACD its warm-up (trial TASK42 L3: --start
    1985-01-02 was told 1990-01-01..2035-12-31, then 1995 the data's own 2000-02-22: two round trips, not one);
    ``exc`` as it is otherwise, or where the data do not load (the run names their error)."""
    if IN_CALENDAR not in str(exc) or not getattr(args, "data_dir", None):
        return exc
    from feeds.market import build_market

    try:
        try:  # the config's MACD and [market] (its file without the flags' window), else the default's
            cfg = base_config(args.config, args.preset, None, "", None)
        except config_mod.ConfigError:
            cfg = config_mod.load_default()
        cfg = config_mod.replace(cfg, market={"source": "directory", "data_dir": str(args.data_dir)})
        days, need = build_market(cfg.market).days, cfg.hedge.macd.warmup_bars
    except (config_mod.ConfigError, OSError, ValueError):
        return exc
    first = f": a run starts on {days[need]} or later ({need} bars of MACD warm-up)" if need < len(days) else ""
    return config_mod.ConfigError(f"{exc}; the data a run reads in {args.data_dir} span {days[0]}..{days[-1]}{first}")


def _windowed(path: Path, shown: str, mode: str | None, window: dict[str, dt.date]) -> config_mod.Config:
    """:func:`base_config` of the file ``path`` (``shown``: how to name it, else its path) with ``window``."""
    from vixhedge.registries import builtin_config
    from vixhedge.core.config.load import read_toml

    table = read_toml(path)
    run = table.get("run", {})
    if isinstance(run, dict):  # (anything else: from_dict names it)
        _check_order(run, window, shown or str(path))
        table["run"] = {**run, **window}
    if mode and isinstance(table.get("hedge"), dict):  # as vixhedge.registries.load_builtin: the plug-in not imported
        table["hedge"] = {k: v for k, v in table["hedge"].items() if k not in ("policy", "policy_params")}
    try:
        cfg = config_mod.from_dict(table)
        return builtin_config(cfg, mode) if mode else cfg
    except config_mod.ConfigError as exc:
        raise config_mod.ConfigError(f"{shown or path}: {exc}") from None


def _check_order(run: dict, window: dict[str, dt.date], where: str) -> None:
    """Raise ConfigError, naming the flag and the key of ``where`` at odds, when ``window`` (the flags) and the file's
    [run] (``run``) leave run.start on or after run.end."""
    value = {k: window.get(k, run.get(k, getattr(config_mod.RunConfig(), k))) for k in ("start", "end")}
    value = {k: v.date() if isinstance(v, dt.datetime) else v for k, v in value.items()}  # as the loader reads it
    if isinstance(value["start"], str) or isinstance(value["end"], str):  # a TOML string: from_dict reads it
        try:
            value = {k: dt.date.fromisoformat(v) if isinstance(v, str) else v for k, v in value.items()}
        except ValueError:
            return
    if not all(isinstance(v, dt.date) for v in value.values()) or value["start"] < value["end"]:
        return
    if len(window) == 2:
        fix = "swap them" if value["start"] > value["end"] else "give a window of 3 sessions or more"
        raise config_mod.ConfigError(f"--start {value['start']} is not before --end {value['end']}: {fix}")
    flag, other = ("start", "end") if "start" in window else ("end", "start")
    origin = where if other in run else "its default"
    later = "an earlier --start, or a later --end" if flag == "start" else "a later --end, or an earlier --start"
    order = "before" if flag == "start" else "after"
    raise config_mod.ConfigError(f"--{flag} {value[flag]} is not {order} run.{other} = {value[other]} ({origin}): "
                                 f"give {later}")


def replay_config(name: str, data_dir: Path | None, base: config_mod.Config) -> config_mod.Config:
    """Return the config of a named-period replay after checking the data cover it (CoverageError if not)."""
    from feeds import calendars
    from feeds.directory import load_directory
    from feeds.periods import check_coverage, get_period, settled_sessions

    try:
        period = get_period(name)
    except KeyError as exc:
        raise config_mod.ConfigError(str(exc.args[0])) from None
    data = load_directory(data_dir) if data_dir else None
    warmup = max(period.warmup_sessions, settled_sessions(base.hedge.macd.warmup_bars))  # (a slower MACD: more)
    check_coverage(period, data, warmup)
    sessions = calendars.trading_days(period.start, period.end)
    market = {"source": "directory" if data else "embedded", "data_dir": str(data.root) if data else "",
              "history_start": period.history_start(warmup)}
    sections: dict[str, dict] = {
        "run": {"name": f"replay-{period.name}", "start": sessions[0].date(), "end": sessions[-1].date()},
        "market": market}
    return config_mod.replace(base, **sections)


def period_flag(p: argparse.ArgumentParser) -> None:
    """Add ``--period NAME`` (compare): the window, warm-up and coverage check of ``vixhedge replay NAME``."""
    from feeds.periods import PERIODS

    p.add_argument("--period", choices=[*sorted(PERIODS), "all"], metavar="NAME",
                   help="compare on a named stress period as `vixhedge replay NAME` runs it (its window, warm-up "
                        f"history and coverage check; data: --data-dir, the config's, else ${DATA_DIR_ENV}, else the "
                        f"embedded market): {', '.join(sorted(PERIODS))}; all: each one the data cover, then a "
                        "table of the periods")


def check_period_flags(args: argparse.Namespace) -> None:
    """Raise ConfigError when ``--period`` is given with ``--start``/``--end``: checked before the flags' window is
    applied to the config (cli._resolve), so the conflict is the error, not the window the flags would make."""
    if getattr(args, "period", None) and (args.start or args.end):
        flags = "/".join(f for f, v in (("--start", args.start), ("--end", args.end)) if v)
        raise config_mod.ConfigError(f"--period {args.period} sets the window: drop {flags} (or drop --period to "
                                     "compare on a window of your own)")


def period_config(args: argparse.Namespace, cfg: config_mod.Config) -> config_mod.Config:
    """Return ``cfg`` on the named period of ``--period`` (as :func:`replay_config`: run name ``replay-NAME``, window,
    ``market.history_start``), on the config's data directory (``--data-dir`` already in it), else
    ``$VIXHEDGE_DATA_DIR``'s, else the embedded market; ``cfg`` itself without the flag."""
    if not getattr(args, "period", None):
        return cfg
    check_period_flags(args)
    if cfg.market.source is config_mod.MarketSource.SYNTHETIC:  # (IO31: replaced by the embedded market, unsaid)
        raise config_mod.ConfigError(f"--period {args.period} replays a named period on real or embedded data: the "
                                     "config's market.source = 'synthetic' has no such dates: drop --period, or "
                                     "the key")
    directory = cfg.market.source is config_mod.MarketSource.DIRECTORY
    return replay_config(args.period, Path(cfg.market.data_dir) if directory else env_data_dir(), cfg)


def window_source(args: argparse.Namespace) -> str:
    """Return where the run window came from, to prefix its errors as every config error names its file: the
    --period or --start/--end flags given, the config file, or '' (the packaged config or preset)."""
    if getattr(args, "period", None):
        return f"--period {args.period}"
    flags = "/".join(f for f, v in (("--start", args.start), ("--end", args.end)) if v)
    if flags and args.config:
        return f"{flags} (with {args.config})"
    return flags or (str(args.config) if args.config else "")


def checked_window(args: argparse.Namespace, cfg: config_mod.Config, market) -> tuple[int, int]:
    """Return :func:`vixhedge.window.check_window`; its error names where the window came from (:func:`window_source`)."""
    from vixhedge.window import check_window

    try:
        return check_window(cfg, market)
    except config_mod.ConfigError as exc:
        where = window_source(args)
        raise config_mod.ConfigError(f"{where}: {exc}" if where else str(exc)) from None


def _replay(args: argparse.Namespace, _cfg: None) -> int:
    from feeds.periods import PERIODS

    if args.config is not None:  # replay NAME CONFIG, as run CONFIG (HELP32 M4)
        if args.base_config is not None:
            raise config_mod.ConfigError(f"give the config once: {args.config} or --config {args.base_config}")
        args.base_config = args.config
    if args.list:  # with a NAME or another flag beside it: refused, not ignored (trial CF21)
        if given := [args.name if k == "name" else f"--{k.replace('_', '-').replace('base-', '')}"
                     for k, v in LIST_ALONE.items() if getattr(args, k) != v]:
            raise config_mod.ConfigError(f"replay --list lists the named periods and takes nothing else: drop "
                                         f"{' '.join(given)}")
        print("\n".join(f"{p.name:<13} {p.start}..{p.end}  {p.title}: {p.anchors}" for p in PERIODS.values()))
        return 0
    if not args.name:
        raise config_mod.ConfigError(f"replay needs a named period NAME: one of {', '.join(PERIODS)} (vixhedge "
                                     "replay --list describes them)")
    if args.data_dir:
        argtypes.check_data_dir(args.data_dir)
    from feeds.market import market_for
    from vixhedge import progress
    from vixhedge.atomic import check_target
    from vixhedge.report import run_id, write_run
    from vixhedge.summary import summary_table

    base = base_config(args.base_config, args.preset, args.hedge_mode, f"--config {args.base_config}")
    own = f"replay {args.name}"  # the period's window, name and warm-up, and the data it runs on
    base = cli_set.apply(base, args.set, {"period": own, "data_dir": own, "hedge_mode": args.hedge_mode},
                         {"period": own, "data_dir": f"{own} (its data: --data-dir, ${DATA_DIR_ENV} or the embedded "
                                                     "market)"})
    data_dir = args.data_dir or env_data_dir()
    t0 = time.perf_counter()
    cfg = replay_config(args.name, data_dir, base)
    check_target(args.runs_dir, run_id(cfg))  # a file where the run folder goes: one line before any work
    source = f"real data in {cfg.market.data_dir}" if data_dir else "the embedded market (modelled VX curve)"

    def banner() -> None:  # as run's: after market_for's checks (a refusal is the only line), before the build
        if not progress.QUIET:
            print(f"vixhedge: replaying '{args.name}' {cfg.run.start}..{cfg.run.end} (history from "
                  f"{cfg.market.history_start}) on {source}, hedge {cfg.hedge.policy_name}", file=sys.stderr)

    market = market_for(cfg, before_build=progress.loading_line(cfg.market, banner))
    with progress.frozen_heap(), progress.labelled(cfg.hedge.policy_name):  # notes say which run, as the benchmark's
        result = progress.run_with_bar(cfg, args.engine, market)
        folder = write_run(result, args.runs_dir, parquet=args.parquet)
    print(summary_table(result))
    print(f"  {'run folder':<18}  {folder}  ({time.perf_counter() - t0:.1f} s)")
    return 0


#: replay's arguments but --list (and --quiet) at their defaults: any other given beside --list is refused
LIST_ALONE = {"name": None, "data_dir": None, "base_config": None, "preset": None, "hedge_mode": None,
              "runs_dir": Path("runs"), "set": None, "engine": "fast", "parquet": False}


def env_data_dir() -> Path | None:
    """Return the data directory ``$VIXHEDGE_DATA_DIR`` names (None when unset); ConfigError naming the variable and
    the fix when it is not a folder."""
    env = os.environ.get(DATA_DIR_ENV)
    if not env:
        return None
    if not Path(env).is_dir():
        from feeds.directory import relative_note

        state = "is a file, not a folder" if Path(env).exists() else "does not exist"
        raise config_mod.ConfigError(f"${DATA_DIR_ENV} = {env!r}{relative_note(env)}: that data directory {state}: "
                                     f"set {DATA_DIR_ENV} to the folder of the real data files (e.g. ../shared/data), "
                                     "unset it to replay on the embedded market, or give --data-dir")
    from feeds.layout import DataError, detect_layout

    try:
        detect_layout(Path(env))  # (IO31: an empty folder's "not a data directory" did not say where it came from)
    except DataError as exc:
        raise config_mod.ConfigError(f"${DATA_DIR_ENV} = {env!r}: {exc}") from None
    return Path(env)


def _data(args: argparse.Namespace, cfg: None) -> int:
    from vixhedge import cli_datafiles  # (it reads this module's DATA_DIR_ENV)

    return cli_datafiles.run(args, cfg)


COMMANDS = {"replay": _replay, "data": _data}
