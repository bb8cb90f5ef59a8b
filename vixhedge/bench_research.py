"""Benchmark (not a test): python -m vixhedge.bench_research [--pairs 3] [--reps 2000].

The research commands' hot spots (the profile of December 2026), each against a baseline measured beside it as
interleaved pairs (A B A B ..., vixhedge.benchclock), wall and CPU seconds, min and median:
1. compare's percentile bootstrap of one pair of legs at --reps draws: the draws as rows (vixhedge.bootstrap's
   draw_rows, paired_intervals with rows=True) against arch's per-draw apply (the path BCa keeps), on synthetic
   legs of 60, 1,258 and 3,900 days (a stress period, 5 years, 15 years), block length from the data as compare's;
   the two give the same draws bit for bit (checked here on each size too);
2. one placebo seed's run (strategies/placebo.py, its parameters drawn from the reference's layers as a placebo's
   first pilot round draws them) against the reference alvh run, 5-year window of the embedded market, warm: a
   placebo seed costs about what the run it tests costs (its parameters are read once per config: they were checked
   on every bar, 54% of a placebo's CPU).
Everything goes to runs/bench_research.json; a README-ready markdown table is printed last (about 15 s with 3 pairs
on a 2-core machine). Figures from a shared machine are noisy: read the ratios (both sides measured under the same
load), not the absolute seconds.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from pathlib import Path

from vixhedge.guard import Parser

PROG = "python -m vixhedge.bench_research"
DAYS = (60, 1_258, 3_900)  # the bootstrap's series: a stress period, 5 years, 15 years of sessions


def parser() -> Parser:
    """Return the command's parser (built before the imports below: ``--help`` loads no numpy or run)."""
    p = Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pairs", type=int, default=3, help="interleaved pairs per comparison (default: %(default)s)")
    p.add_argument("--reps", type=int, default=2000, help="bootstrap draws (default: %(default)s, compare's)")
    return p


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the parsed command line; fewer than 1 pair or 100 draws is a usage error naming the argument."""
    p = parser()
    args = p.parse_args(argv)
    for name, n, low in (("--pairs", args.pairs, 1), ("--reps", args.reps, 100)):
        if n < low:
            p.error(f"{name} {n}: use {low} or more")
    return args


if __name__ == "__main__":  # --help and usage errors answer before numpy and the run load
    arguments()

import numpy as np  # noqa: E402

from vixhedge import bootstrap as bs  # noqa: E402
from vixhedge.bench_table import cell  # noqa: E402
from vixhedge.benchclock import interleaved, pair_ratios  # noqa: E402
from vixhedge.core import config as C  # noqa: E402


def synthetic_legs(days: int, seed: int = 0) -> tuple[tuple, tuple]:
    """Two legs as compare pairs them (daily returns, hedge net cost in USD, risk-free returns, starting NAV): a
    hedged mode against no hedge, fat-tailed returns sharing their market shocks."""
    rng = np.random.default_rng(seed)
    market = rng.standard_t(4, days) * 0.008
    base = market + 3e-4
    mode = market * 0.8 + rng.normal(1e-4, 0.002, days)
    rf = np.full(days, 1e-4)
    nav0 = np.full(days, 1_000_000.0)
    return (mode, np.round(rng.normal(-300.0, 800.0, days), 2), rf, nav0), (base, np.zeros(days), rf, nav0)


def bench_bootstrap(report: dict, pairs: int, reps: int) -> None:
    """Item 1 of the module docstring, for each of :data:`DAYS`."""
    from vixhedge.compare import leg_stats

    analysis = C.load_default().analysis

    def stats(r, hedge_cost, rf, nav0):
        return leg_stats(r, hedge_cost, rf, nav0, analysis)

    for days in DAYS:
        a, b = synthetic_legs(days)
        block = bs.data_block_length(a[0] - b[0])
        def rows(a=a, b=b, block=block):
            return bs.paired_intervals(stats, a, b, block, reps, 1, rows=True)

        def per_draw(a=a, b=b, block=block):
            return bs.paired_intervals(stats, a, b, block, reps, 1)

        same = np.array_equal(rows().draws.view(np.int64), per_draw().draws.view(np.int64))
        t_rows, t_apply = interleaved(rows, per_draw, pairs)
        report[f"bootstrap_{days}"] = {"days": days, "block_days": block, "reps": reps, "draws_identical": same,
                                       "rows": t_rows.summary(), "apply": t_apply.summary(),
                                       "apply_over_rows_cpu": pair_ratios(t_apply, t_rows, what="cpu"),
                                       "apply_over_rows_wall": pair_ratios(t_apply, t_rows)}


def bench_placebo(report: dict, pairs: int) -> None:
    """Item 2 of the module docstring."""
    from feeds.market import market_for
    from vixhedge.bench import FIVE_YEARS
    from vixhedge.placebo import first_params, placebo_config
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run=FIVE_YEARS)
    market = market_for(cfg)
    params, _ = first_params(cfg, run_backtest(cfg, market))  # (also prices the chains: every later run is warm)
    seed_cfg = placebo_config(cfg, params, 1)
    t_seed, t_ref = interleaved(lambda: run_backtest(seed_cfg, market), lambda: run_backtest(cfg, market), pairs)
    report["placebo"] = {"window": f"{FIVE_YEARS['start']}..{FIVE_YEARS['end']}", "seed": t_seed.summary(),
                         "alvh": t_ref.summary(), "seed_over_alvh_cpu": pair_ratios(t_seed, t_ref, what="cpu")}


def markdown(report: dict) -> str:
    """Return the README table: measure | median (min)."""
    out = ["| measure | median (min) |", "|---|---|"]
    for days in DAYS:
        r = report.get(f"bootstrap_{days}")
        if r:
            what = f"percentile bootstrap, {days:,} days, {r['reps']:,} draws, block {r['block_days']}"
            out += [f"| {what}, draws as rows | {cell(r['rows'])} |",
                    f"| ... arch's per-draw `apply` | {cell(r['apply'])} |",
                    f"| ... `apply` / rows, CPU (draws bit-identical: {r['draws_identical']}) | "
                    f"{cell(r['apply_over_rows_cpu'])} |"]
    if "placebo" in report:
        p = report["placebo"]
        out += [f"| one placebo seed's run, {p['window']}, warm | {cell(p['seed'])} |",
                f"| ... the reference alvh run | {cell(p['alvh'])} |",
                f"| ... seed / alvh, CPU | {cell(p['seed_over_alvh_cpu'])} |"]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    logging.disable(logging.WARNING)  # the runs' notes, once per run
    report: dict[str, object] = {"cores": os.cpu_count(), "pairs": args.pairs,
                                 "load_start": round(os.getloadavg()[0], 2)}
    print("  bench: bootstrap", file=sys.stderr, flush=True)
    bench_bootstrap(report, args.pairs, args.reps)
    print("  bench: placebo seed", file=sys.stderr, flush=True)
    bench_placebo(report, args.pairs)
    report["load_end"] = round(os.getloadavg()[0], 2)
    print(markdown(report))
    print(f"\nload average {report['load_start']} -> {report['load_end']} on {report['cores']} cores")
    Path("runs").mkdir(exist_ok=True)
    Path("runs/bench_research.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
