"""Command line: ``vixhedge run [CONFIG.toml]``."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from vixhedge import config as config_mod

EPILOG = """examples:
  vixhedge run                       default config on the embedded 2014-2018 market
  vixhedge run my.toml               any config (see vixhedge/configs/default.toml)
  vixhedge run --hedge-mode none     the same market path with no hedge
  vixhedge run --print-config        show the resolved default config and exit
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="vixhedge", description="SPX iron condor + layered VIX hedge backtester.",
                                epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="run one backtest and write runs/<run-id>/",
                       description="Run one backtest and write its run folder (config, manifest, metrics, "
                                   "daily/trades/layers/condors CSV, run.png).",
                       epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    r.add_argument("config", nargs="?", type=Path, help="TOML config (default: the packaged default.toml)")
    r.add_argument("--runs-dir", type=Path, default=Path("runs"), help="where run folders go (default: runs/)")
    r.add_argument("--start", help="override run.start (YYYY-MM-DD)")
    r.add_argument("--end", help="override run.end (YYYY-MM-DD)")
    r.add_argument("--hedge-mode", choices=[m.value for m in config_mod.HedgeMode], help="override hedge.mode")
    r.add_argument("--print-config", action="store_true", help="print the resolved config and exit")
    return p


def _resolve(args: argparse.Namespace) -> config_mod.Config:
    cfg = config_mod.load(args.config) if args.config else config_mod.load_default()
    run_over = {k: v for k, v in (("start", args.start), ("end", args.end)) if v}
    sections = {}
    if run_over:
        sections["run"] = run_over
    if args.hedge_mode:
        sections["hedge"] = {"mode": args.hedge_mode}
    return config_mod.replace(cfg, **sections) if sections else cfg


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        cfg = _resolve(args)
    except config_mod.ConfigError as exc:
        print(f"vixhedge: config error: {exc}", file=sys.stderr)
        return 2
    if args.print_config:
        print(config_mod.to_toml(cfg), end="")
        return 0
    from feeds.marketdata import DataError
    from vixhedge.report import summary_table, write_run
    from vixhedge.run import run_backtest

    t0 = time.perf_counter()
    print(f"vixhedge: running '{cfg.run.name}' {cfg.run.start}..{cfg.run.end}, hedge mode {cfg.hedge.mode.value}",
          file=sys.stderr)
    try:
        result = run_backtest(cfg)
    except (config_mod.ConfigError, DataError) as exc:
        print(f"vixhedge: {exc}", file=sys.stderr)
        return 2
    folder = write_run(result, args.runs_dir)
    print(summary_table(result))
    print(f"  {'run folder':<18}  {folder}  ({time.perf_counter() - t0:.1f} s)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
