"""Benchmark (not a test): ``python -m vixhedge.bench [--points N] [--memory-curve 100,1000,10000] [--profile]``.

Measures in one run, on this machine, with ratios against baselines measured in the same run:
1. one 5-year daily replay with priced chains and ALVH: cold (chains priced) and warm (cached),
   on each engine (``backtrader`` and ``fast``: the same objects, byte-identical results);
2. sweep throughput in points/s on all cores (forked workers sharing one Market, fast engine);
3. the same grid through backtrader's ``optstrategy`` running ``AlvhStrategy`` as the baseline (ratio);
4. dask: a LocalCluster's start-up, its first sweep (workers build their Market) and a warm sweep
   vs local processes (ratio);
5. peak memory (parent and workers) against the number of points: each size of the memory curve
   runs in a fresh interpreter on a 3-month window (many cheap points);
6. with ``--profile``, where the time of one warm replay goes, per engine.
The local and the warm dask sweeps are timed as the best of ``REPEATS`` runs each; the (long)
optstrategy baseline runs once. Numbers are reported as measured; the targets of the sweep issue
are printed beside them, and everything is written to runs/bench.json.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import math
import os
import subprocess
import sys
import pstats
import resource
import tempfile
import time
from pathlib import Path


from feeds.market import build_market
from strategies.alvh import AlvhStrategy
from strategies.signalset import compute, inputs_from_market
from vixhedge.core import config as C
from vixhedge import sweep as sw
from vixhedge.run import check_window, make_cerebro, run_backtest

FIVE_YEARS = {"start": "2014-04-01", "end": "2018-12-31"}  # leaves warm-up for MACD(...,40,13)


AXES = {"hedge.macd.fast": list(range(4, 20)), "hedge.macd.slow": list(range(20, 90)),
        "hedge.macd.signal": list(range(3, 40)), "hedge.review_bars": list(range(2, 30))}
REPEATS = 2  # sweeps timed as the best of this many runs (a 2-core machine's background noise is ~10%)
SHORT_WINDOW = {"start": "2018-01-02", "end": "2018-03-29"}  # the memory curve: many cheap points


def _grid(n_points: int) -> dict[str, list]:
    """Return a grid of at least ``n_points`` valid points (every fast < every slow), grown axis by axis."""
    if n_points > math.prod(len(v) for v in AXES.values()):
        raise ValueError(f"--points {n_points} exceeds the benchmark grid ({math.prod(len(v) for v in AXES.values())})")
    size = dict.fromkeys(AXES, 1)
    keys = list(AXES)
    k = 0
    while math.prod(size.values()) < n_points:
        key = keys[k % len(keys)]
        if size[key] < len(AXES[key]):
            size[key] += 1
        k += 1
    return {key: AXES[key][:n] for key, n in size.items()}


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
    """Return the peak RSS in MB of this process and of its largest finished child.

    This process's peak is read from ``/proc/self/status`` (VmHWM) where it exists: Linux keeps
    ``ru_maxrss`` across ``exec``, so a probe started from a large parent would report the parent's peak.
    """
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                own = int(line.split()[1]) / 1024
    kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return own, kids


def _timed(fn, *args, **kwargs) -> float:
    t0 = time.perf_counter()
    fn(*args, **kwargs)
    return time.perf_counter() - t0


def memory_probe(n_points: int) -> dict[str, float]:
    """Run an ``n_points`` sweep on the short window in THIS process; return its size, time and peak RSS."""
    cfg = C.replace(C.load_default(), run=SHORT_WINDOW)
    market = build_market(cfg.market)
    spec = sw.SweepSpec(name="memory", base=cfg, grid=_grid(n_points), batch_size=16)
    with tempfile.TemporaryDirectory() as tmp:
        points = len(sw.expand(spec)[0])
        seconds = _timed(sw.run_sweep, spec, Path(tmp) / "out", market, progress=False)
    own, kids = _peak_mb()
    return {"points": points, "seconds": round(seconds, 1), "points_per_s": round(points / seconds, 1),
            "peak_rss_parent_mb": round(own, 1), "peak_rss_worker_mb": round(kids, 1)}


def memory_curve(sizes: list[int]) -> list[dict[str, float]]:
    """Measure :func:`memory_probe` for each size in a fresh interpreter (peak RSS is per process)."""
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, "-m", "vixhedge.bench", "--memory-probe", str(n)],
                             capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"  memory curve: {rows[-1]}", file=sys.stderr)
    return rows


def dask_vs_local(spec: sw.SweepSpec, market, local_s: float, workers: int) -> dict[str, float]:
    """Time the same sweep on a running dask LocalCluster (workers warmed by one sweep) vs local processes.

    The warm sweep is the best of :data:`REPEATS`, as ``local_s`` is.
    """
    import dataclasses

    from dask.distributed import LocalCluster

    out: dict[str, float] = {}
    t0 = time.perf_counter()
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, tempfile.TemporaryDirectory() as tmp:
        out["dask_cluster_start_s"] = round(time.perf_counter() - t0, 2)
        remote = dataclasses.replace(spec, scheduler=cluster.scheduler_address)
        out["dask_first_sweep_s"] = round(_timed(sw.run_sweep, remote, Path(tmp) / "first", progress=False), 2)
        dask_s = min(_timed(sw.run_sweep, remote, Path(tmp) / f"warm{k}", progress=False) for k in range(REPEATS))
    out["dask_warm_sweep_s"] = round(dask_s, 2)
    out["dask_over_local"] = round(dask_s / local_s, 3)
    return out


TARGETS = {"replay_5y_warm_fast_s": "< 0.25 s", "sweep_points_per_s": ">= 8 (500 points < 60 s)",
           "speedup_vs_optstrategy": ">= 10x", "dask_over_local": "<= 1.15",
           "memory_curve": "flat in sweep size (10,000 points < 1 GB)"}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m vixhedge.bench", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--points", type=int, default=64, help="sweep grid size, 5-year window (default: %(default)s)")
    ap.add_argument("--memory-curve", default="100,1000",
                    help="comma-separated sweep sizes for the memory curve, each in a fresh process, on a "
                         "3-month window ('' to skip; the README uses 100,1000,10000; default: %(default)s)")
    ap.add_argument("--profile", action="store_true", help="profile one warm replay of each engine")
    ap.add_argument("--skip-optstrategy", action="store_true", help="skip the (slow) optstrategy baseline")
    ap.add_argument("--skip-dask", action="store_true")
    ap.add_argument("--memory-probe", type=int, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe)))
        return 0
    report: dict[str, object] = {"cores": os.cpu_count()}
    cfg = C.replace(C.load_default(), run=FIVE_YEARS)

    t0 = time.perf_counter()
    market = build_market(cfg.market)
    report["market_build_s"] = round(time.perf_counter() - t0, 3)
    report["replay_5y_cold_s"] = round(_timed(run_backtest, cfg, market), 3)
    for engine in ("backtrader", "fast"):
        best = min(_timed(run_backtest, cfg, market, engine=engine) for _ in range(3))
        report[f"replay_5y_warm_{engine}_s"] = round(best, 3)
    report["fast_over_backtrader"] = round(report["replay_5y_warm_backtrader_s"] / report["replay_5y_warm_fast_s"], 2)

    workers = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        spec = sw.SweepSpec(name="bench", base=cfg, grid=_grid(args.points), batch_size=4)
        points, invalid = sw.expand(spec)
        report["sweep_points"], report["sweep_invalid"] = len(points), len(invalid)
        local_s = min(_timed(sw.run_sweep, spec, Path(tmp) / f"local{k}", market, progress=False)
                      for k in range(REPEATS))
        report["sweep_local_s"] = round(local_s, 2)
        report["sweep_points_per_s"] = round(len(points) / local_s, 2)
        if not args.skip_dask:
            report.update(dask_vs_local(spec, market, local_s, workers))
        if not args.skip_optstrategy:
            opt_s = optstrategy_baseline(points, market, maxcpus=workers)
            report["optstrategy_s"] = round(opt_s, 2)
            report["speedup_vs_optstrategy"] = round(opt_s / local_s, 2)
    own, kids = _peak_mb()
    report["peak_rss_parent_mb"], report["peak_rss_worker_mb"] = round(own, 1), round(kids, 1)
    sizes = [int(x) for x in args.memory_curve.split(",") if x.strip()]
    if sizes:
        report["memory_curve"] = memory_curve(sizes)
    if args.profile:
        for engine in ("backtrader", "fast"):
            prof = cProfile.Profile()
            prof.enable()
            run_backtest(cfg, market, engine=engine)
            prof.disable()
            buf = io.StringIO()
            pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
            report[f"profile_{engine}"] = buf.getvalue().splitlines()[:45]
    for k, v in report.items():
        if not k.startswith("profile_") and k != "memory_curve":
            print(f"{k:<28} {v!s:<12} {('target ' + TARGETS[k]) if k in TARGETS else ''}")
    for row in report.get("memory_curve", []):  # type: ignore[union-attr]
        print(f"{'memory_curve':<28} {row}")
    if "memory_curve" in report:
        print(f"{'':<28} target {TARGETS['memory_curve']}")
    for engine in ("backtrader", "fast"):
        if f"profile_{engine}" in report:
            print(f"\nprofile, one warm 5-year replay, engine {engine}:")
            print("\n".join(report[f"profile_{engine}"]))  # type: ignore[arg-type]
    Path("runs").mkdir(exist_ok=True)
    Path("runs/bench.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
