"""Benchmark (not a test): ``python -m vixhedge.bench [--points N] [--profile]``.

Measures in one process run, on this machine:
1. one 5-year daily replay with priced chains and ALVH (cold: chains priced; warm: chains cached);
2. sweep throughput in points/s on all cores (forked workers sharing one Market);
3. the same grid through backtrader's ``optstrategy`` as the baseline (ratio);
4. dask LocalCluster vs local processes on the same grid (ratio);
5. peak memory (parent and workers) against the number of points;
6. with ``--profile``, where the time of one replay goes (top functions by cumulative time).
Numbers are reported as measured; the targets of the sweep issue are printed beside them.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import resource
import tempfile
import time
from pathlib import Path


from feeds.market import build_market
from strategies.alvh import AlvhStrategy
from strategies.signalset import compute, inputs_from_market
from vixhedge import config as C
from vixhedge import sweep as sw
from vixhedge.run import check_window, make_cerebro, run_backtest

FIVE_YEARS = {"start": "2014-04-01", "end": "2018-12-31"}  # leaves warm-up for MACD(...,40,13)


def _grid(n_points: int) -> dict[str, list]:
    fast = [4, 6, 8, 10, 12, 14, 16, 18]
    slow = [20, 22, 24, 26, 28, 30, 34, 40]
    sig = [5, 7, 9, 11, 13]
    combos = [(f, s, g) for g in sig for f in fast for s in slow][:n_points]
    return {"hedge.macd.fast": sorted({c[0] for c in combos}), "hedge.macd.slow": sorted({c[1] for c in combos}),
            "hedge.macd.signal": sorted({c[2] for c in combos})}


class _OptAlvh(AlvhStrategy):
    """AlvhStrategy taking one (config, signals) pair as a single optstrategy parameter."""

    params = (("point", None),)

    def __init__(self) -> None:
        self.p.config, self.p.signals = self.p.point
        super().__init__()


def optstrategy_baseline(points: list[sw.Point], market, maxcpus: int) -> float:
    """Return seconds for the grid through backtrader's optstrategy (the ARCHITECTURE baseline)."""
    cfg0 = points[0].config
    i0, i1 = check_window(cfg0, market)
    pairs = [(p.config, compute(inputs_from_market(market, p.config.hedge), p.config.hedge)) for p in points]
    cerebro, _ = make_cerebro(cfg0, market, i0, i1, maxcpus=maxcpus, optreturn=True)
    cerebro.optstrategy(_OptAlvh, point=pairs, market=[market])
    t0 = time.perf_counter()
    cerebro.run()
    return time.perf_counter() - t0


def _peak_mb() -> tuple[float, float]:
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m vixhedge.bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=int, default=16, help="sweep grid size (default: %(default)s)")
    ap.add_argument("--profile", action="store_true", help="profile one warm replay")
    ap.add_argument("--skip-optstrategy", action="store_true", help="skip the (slow) optstrategy baseline")
    ap.add_argument("--skip-dask", action="store_true")
    args = ap.parse_args(argv)
    report: dict[str, object] = {"cores": os.cpu_count()}
    cfg = C.replace(C.load_default(), run=FIVE_YEARS)

    t0 = time.perf_counter()
    market = build_market(cfg.market)
    report["market_build_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    run_backtest(cfg, market)
    report["replay_5y_cold_s"] = round(time.perf_counter() - t0, 3)
    t0 = time.perf_counter()
    run_backtest(cfg, market)
    report["replay_5y_warm_s"] = round(time.perf_counter() - t0, 3)

    with tempfile.TemporaryDirectory() as tmp:
        spec = sw.SweepSpec(name="bench", base=cfg, grid=_grid(args.points), batch_size=2)
        points, invalid = sw.expand(spec)
        report["sweep_points"], report["sweep_invalid"] = len(points), len(invalid)
        t0 = time.perf_counter()
        sw.run_sweep(spec, Path(tmp) / "local", market, progress=False)
        local_s = time.perf_counter() - t0
        report["sweep_local_s"] = round(local_s, 2)
        report["sweep_points_per_s"] = round(len(points) / local_s, 2)
        if not args.skip_dask:
            import dataclasses

            t0 = time.perf_counter()
            sw.run_sweep(dataclasses.replace(spec, scheduler="local-cluster"), Path(tmp) / "dask", progress=False)
            dask_s = time.perf_counter() - t0
            report["sweep_dask_local_cluster_s"] = round(dask_s, 2)
            report["dask_over_local"] = round(dask_s / local_s, 3)
        if not args.skip_optstrategy:
            opt_s = optstrategy_baseline(points, market, maxcpus=os.cpu_count() or 1)
            report["optstrategy_s"] = round(opt_s, 2)
            report["speedup_vs_optstrategy"] = round(opt_s / local_s, 2)
    own, kids = _peak_mb()
    report["peak_rss_parent_mb"], report["peak_rss_worker_mb"] = round(own, 1), round(kids, 1)
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        run_backtest(cfg, market)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(15)
        report["profile_top"] = buf.getvalue().splitlines()[:40]
    targets = {"replay_5y_warm_s": "< 0.25 s", "sweep_points_per_s": ">= 8 (500 points < 60 s)",
               "speedup_vs_optstrategy": ">= 10x", "dask_over_local": "<= 1.15",
               "peak_rss_worker_mb": "flat in sweep size (10,000 points < 1 GB)"}
    for k, v in report.items():
        if k != "profile_top":
            print(f"{k:<28} {v!s:<12} {('target ' + targets[k]) if k in targets else ''}")
    if args.profile:
        print("\n".join(report["profile_top"]))  # type: ignore[arg-type]
    Path("runs").mkdir(exist_ok=True)
    Path("runs/bench.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
