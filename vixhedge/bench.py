"""Benchmark (not a test): ``python -m vixhedge.bench [--pairs 3] [--points 64] [--big-sweep 5184] ...``.

Measures in one run, on this machine, every comparison against a baseline measured beside it as interleaved
pairs (A B A B ..., vixhedge.benchclock), with wall and CPU seconds, min and median:
1. the command line, cold (a fresh interpreter each time, the project's bytecode compiled first, as after any
   first run): ``vixhedge run`` on the default config (CPU end to end, its figures and report included) and
   ``vixhedge --help``;
2. one 5-year daily replay, warm chain cache, on each engine (``backtrader`` and ``fast``, byte-identical);
3. sweep throughput on all cores on a 5-year grid of ``--points`` points: the all-points kernel
   (``kernel = "auto"``) against the event-driven path (``kernel = "off"``) where the sweep has a kernel, else
   the event-driven path alone;
4. backtrader's ``optstrategy`` running ``AlvhStrategy`` on a sub-grid of ``--opt-points`` points, scaled to
   points/s (its per-point cost does not depend on the grid size), against the sweep;
5. the CLI path: ``vixhedge sweep SPEC.toml`` cold (a spec written here; kernel on and off where the CLI has
   ``--kernel``), and with ``--big-sweep N`` one cold sweep of N points;
6. dask: a LocalCluster (start-up, first sweep) then warm sweeps against local processes at ``--dask-points``;
7. peak memory (parent and workers) against the number of points: each size runs in a fresh interpreter on a
   3-month window (many cheap points);
8. with ``--profile``, where the time of one warm replay goes, per engine.
Everything goes to runs/bench.json; a README-ready markdown table is printed last. Figures from a shared
machine are noisy: read the ratios (both sides measured under the same load), not the absolute seconds.
The README's settings (its bench table) take about 2 minutes on a quiet 2-core machine.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import io
import json
import logging
import math
import os
import pstats
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

from vixhedge.bench_table import TARGETS, cell, markdown
from vixhedge.guard import Parser

PROG = "python -m vixhedge.bench"
AXES = {"hedge.macd.fast": list(range(4, 20)), "hedge.macd.slow": list(range(20, 90)),
        "hedge.macd.signal": list(range(3, 40)), "hedge.review_bars": list(range(2, 30))}  # the grids' axes
GRID_MAX = math.prod(len(v) for v in AXES.values())  # the largest grid they hold


def parser() -> Parser:
    """Return the command's parser (built before the imports below: ``--help`` loads no run, numpy or backtrader)."""
    p = Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--pairs", type=int, default=3, help="interleaved pairs per comparison (default: %(default)s)")
    p.add_argument("--points", type=int, default=64, help="sweep grid size, 5-year window (default: %(default)s)")
    p.add_argument("--opt-points", type=int, default=8, help="optstrategy sub-grid size (default: %(default)s)")
    p.add_argument("--kernel-points", type=int, default=2048,
                   help="the kernel's grid size, 5-year window (default: %(default)s; the event path runs --points)")
    p.add_argument("--dask-points", type=int, help="dask vs local grid size (default: --points; the README: 5000)")
    p.add_argument("--big-sweep", type=int, default=0, metavar="N",
                   help="also time one cold CLI sweep of N points, 5-year window (the README: 5184; default: off)")
    p.add_argument("--memory-curve", default="100,1000", type=_sizes,
                   help="comma-separated sweep sizes for the memory curve, each in a fresh process, on a "
                        "3-month window ('' to skip; the README uses 100,1000,10000; default: %(default)s)")
    p.add_argument("--profile", action="store_true", help="profile one warm replay of each engine")
    p.add_argument("--skip-cli", action="store_true", help="skip the cold command-line timings")
    p.add_argument("--skip-optstrategy", action="store_true", help="skip the (slow) optstrategy baseline")
    p.add_argument("--skip-dask", action="store_true", help="skip the dask LocalCluster comparison")
    p.add_argument("--memory-probe", type=int, help=argparse.SUPPRESS)
    return p


def _sizes(text: str) -> list[int]:
    """Return ``--memory-curve``'s sizes (``''`` is none): whole numbers of 1 or more, else a usage error."""
    try:
        sizes = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        sizes = [0]
    if any(n < 1 for n in sizes):
        raise argparse.ArgumentTypeError(f"{text!r}: give comma-separated whole numbers of 1 or more, e.g. 100,1000")
    return sizes


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the parsed command line; fewer than 1 pair or point is a usage error (a memory probe is not checked),
    naming the argument at fault and its value."""
    p = parser()
    args = p.parse_args(argv)
    if not args.memory_probe:
        for name, n in (("--pairs", args.pairs), ("--points", args.points), ("--opt-points", args.opt_points)):
            if n < 1:
                p.error(f"{name} {n}: use 1 or more")
    sizes = [("--points", args.points), ("--opt-points", args.opt_points), ("--kernel-points", args.kernel_points),
             ("--dask-points", args.dask_points), ("--big-sweep", args.big_sweep or None),
             ("--memory-probe", args.memory_probe), *(("--memory-curve", n) for n in args.memory_curve)]
    for name, n in sizes:  # checked before any work: a grid too big failed after the replay benchmark
        if n is not None and not 1 <= n <= GRID_MAX:
            p.error(f"{name} {n}: the benchmark grid holds 1 to {GRID_MAX:,} points: use a size in that range")
    return args


if __name__ == "__main__":  # --help and usage errors answer before the run, numpy and backtrader load (~1.5 s)
    arguments()

from feeds.market import market_for  # noqa: E402
from strategies.alvh import AlvhStrategy  # noqa: E402
from strategies.signalset import compute, inputs_from_market  # noqa: E402
from vixhedge.core import config as C  # noqa: E402
from vixhedge import sweep as sw  # noqa: E402
from vixhedge.benchclock import Timing, cli, compile_sources, interleaved, pair_ratios  # noqa: E402
from vixhedge.cerebro import make_cerebro  # noqa: E402
from vixhedge.run import run_backtest  # noqa: E402
from vixhedge.window import check_window  # noqa: E402

FIVE_YEARS = {"start": "2014-04-01", "end": "2018-12-31"}  # leaves warm-up for MACD(...,40,13)
SHORT_WINDOW = {"start": "2018-01-02", "end": "2018-03-29"}  # the memory curve: many cheap points
HAS_KERNEL = "kernel" in {f.name for f in dataclasses.fields(sw.SweepSpec)}  # the all-points engine


def _grid(n_points: int) -> dict[str, list]:
    """Return a grid of at least ``n_points`` valid points (every fast < every slow), grown axis by axis."""
    if n_points > GRID_MAX:  # (arguments() refuses such a size before any work)
        raise ValueError(f"{n_points} points exceed the benchmark grid ({GRID_MAX})")
    size = dict.fromkeys(AXES, 1)
    keys = list(AXES)
    k = 0
    while math.prod(size.values()) < n_points:
        key = keys[k % len(keys)]
        if size[key] < len(AXES[key]):
            size[key] += 1
        k += 1
    return {key: AXES[key][:n] for key, n in size.items()}


def spec_toml(name: str, grid: dict[str, list], window: dict[str, str]) -> str:
    """Return a sweep spec (``vixhedge sweep`` input) for ``grid`` over the default config on ``window``."""
    lines = ["[sweep]", f'name = "{name}"', "", "[base.run]"]
    lines += [f'{k} = "{v}"' for k, v in window.items()]
    lines += ["", "[grid]"] + [f'"{k}" = {json.dumps(v)}' for k, v in grid.items()]
    return "\n".join(lines) + "\n"


class _OptAlvh(AlvhStrategy):
    """AlvhStrategy taking one (config, signals) pair as a single optstrategy parameter."""

    params = (("point", None),)

    def __init__(self) -> None:
        self.p.config, self.p.signals = self.p.point
        super().__init__()


def optstrategy_run(points: list[sw.Point], market, maxcpus: int):
    """Return a call running ``points`` through backtrader's optstrategy (the ARCHITECTURE baseline)."""
    cfg0 = points[0].config
    i0, i1 = check_window(cfg0, market)
    pairs = [(p.config, compute(inputs_from_market(market, p.config.hedge), p.config.hedge)) for p in points]

    def run() -> None:
        cerebro, _ = make_cerebro(cfg0, market, i0, i1, maxcpus=maxcpus, optreturn=True)
        cerebro.optstrategy(_OptAlvh, point=pairs, market=[market])
        cerebro.run()

    return run


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


def memory_probe(n_points: int) -> dict[str, float]:
    """Run an ``n_points`` sweep on the short window in THIS process; return its size, time and peak RSS."""
    cfg = C.replace(C.load_default(), run=SHORT_WINDOW)
    market = market_for(cfg)
    spec = sw.SweepSpec(name="memory", base=cfg, grid=_grid(n_points), batch_size=16)
    t = Timing()
    with tempfile.TemporaryDirectory() as tmp:
        points = len(sw.expand(spec)[0])
        t.add(lambda: sw.run_sweep(spec, Path(tmp) / "out", market, progress=False))
    own, kids = _peak_mb()
    return {"points": points, "seconds": round(t.wall[0], 1), "cpu_s": round(t.cpu[0], 1),
            "points_per_s": round(points / t.wall[0], 1), "peak_rss_parent_mb": round(own, 1),
            "peak_rss_worker_mb": round(kids, 1)}


def memory_curve(sizes: list[int]) -> list[dict[str, float]]:
    """Measure :func:`memory_probe` for each size in a fresh interpreter (peak RSS is per process)."""
    rows = []
    for n in sizes:
        out = subprocess.run([sys.executable, "-m", "vixhedge.bench", "--memory-probe", str(n)],
                             capture_output=True, text=True, check=True)
        rows.append(json.loads(out.stdout.strip().splitlines()[-1]))
        _note(f"memory curve: {rows[-1]}")
    return rows


def _kernel_book(cfg: C.Config) -> str:
    """Which hedge book the kernel runs for ``cfg`` here: "numba" (the optional fast extra, when it covers ``cfg``)
    or "numpy"."""
    from vixhedge import kernel

    return "numba" if kernel.runs_compiled(cfg) else "numpy"


def _note(text: str) -> None:
    print(f"  bench: {text}", file=sys.stderr, flush=True)


def _sweep(spec: sw.SweepSpec, market, tmp: Path):
    """Return a call running ``spec`` into a fresh folder under ``tmp`` each time (a rerun would resume)."""
    return lambda: sw.run_sweep(spec, Path(tempfile.mkdtemp(dir=tmp)) / "out", market, progress=False)


def bench_cli(report: dict, pairs: int, tmp: Path) -> None:
    """Cold ``vixhedge run`` (default config) and ``vixhedge --help``, interleaved, with the project's bytecode
    compiled first (:func:`vixhedge.benchclock.compile_sources`)."""
    compile_sources()
    run, hlp = interleaved(lambda: cli("run", "-q", "--runs-dir", tempfile.mkdtemp(dir=tmp))(), cli("--help"), pairs)
    report["run_cold"], report["help_cold"] = run.summary(), hlp.summary()
    report["run_cold_cpu_s"], report["help_cold_s"] = run.summary()["cpu_min_s"], hlp.summary()["wall_min_s"]


def bench_replay(report: dict, cfg: C.Config, market, pairs: int) -> None:
    """One warm 5-year replay per engine, interleaved."""
    bt_, fast = interleaved(lambda: run_backtest(cfg, market, engine="backtrader"),
                            lambda: run_backtest(cfg, market, engine="fast"), pairs)
    report["replay_5y_backtrader"], report["replay_5y_fast"] = bt_.summary(), fast.summary()
    report["replay_5y_warm_fast_s"] = fast.summary()["wall_min_s"]
    report["backtrader_over_fast"] = pair_ratios(bt_, fast)


def bench_sweeps(report: dict, spec: sw.SweepSpec, market, points: int, args, tmp: Path) -> Timing:
    """The sweep (kernel where it has one) against the event path and optstrategy; return the sweep's timing.

    The kernel runs the ``--kernel-points`` grid (its fixed cost per sweep is only amortised on a large grid); the
    event path the ``--points`` grid and optstrategy a sub-grid of ``--opt-points``: each is scaled to points/s
    (a point's cost on those paths does not depend on the grid), as interleaved pairs against the sweep.
    """
    if HAS_KERNEL:
        big = dataclasses.replace(spec, grid=_grid(args.kernel_points), kernel="auto")
        n_big = sum(1 for _ in sw.iter_points(big))
        auto, off = interleaved(_sweep(big, market, tmp), _sweep(dataclasses.replace(spec, kernel="off"), market, tmp),
                                args.pairs)
        report["sweep_kernel"], report["sweep_event"] = dict(auto.summary(), points=n_big), off.summary()
        report["kernel_over_event"] = pair_ratios(off, auto, scale=n_big / points)
        report["kernel_over_event_cpu"] = pair_ratios(off, auto, scale=n_big / points, what="cpu")
    else:
        big, n_big, auto = spec, points, Timing()
        for _ in range(args.pairs):
            auto.add(_sweep(spec, market, tmp))
        report["sweep_event"] = auto.summary()
        report["kernel_over_event"] = "n/a: this sweep has no all-points kernel (SweepSpec.kernel)"
    report["sweep_points_per_s"] = round(n_big / min(auto.wall), 1)
    report["event_ms_cpu_per_point"] = round(1e3 * report["sweep_event"]["cpu_min_s"] / points, 1)
    if not args.skip_optstrategy:
        sub = sw.expand(dataclasses.replace(spec, grid=_grid(args.opt_points)))[0][:args.opt_points]
        fast, opt = interleaved(_sweep(big, market, tmp), optstrategy_run(sub, market, os.cpu_count() or 1),
                                args.pairs)
        report["optstrategy_sub_grid"] = dict(opt.summary(), points=len(sub))
        report["optstrategy_points_per_s"] = round(len(sub) / min(opt.wall), 2)
        report["sweep_over_optstrategy"] = pair_ratios(opt, fast, scale=n_big / len(sub))
    return auto


def bench_cli_sweep(report: dict, args, tmp: Path) -> None:
    """``vixhedge sweep SPEC.toml`` cold: kernel on vs off where the CLI has --kernel; the big sweep."""
    spec_path = tmp / "bench-sweep.toml"
    spec_path.write_text(spec_toml("bench-cli", _grid(args.points), FIVE_YEARS))
    def cold(path: Path, *extra: str):
        return lambda: cli("sweep", str(path), "-q", "--out", str(Path(tempfile.mkdtemp(dir=tmp)) / "out"), *extra)()

    if HAS_KERNEL:
        auto, off = interleaved(cold(spec_path, "--kernel", "auto"), cold(spec_path, "--kernel", "off"), args.pairs)
        report["cli_sweep_kernel"], report["cli_sweep_event"] = auto.summary(), off.summary()
        report["cli_kernel_over_event"] = pair_ratios(off, auto)
    else:
        off = Timing()
        for _ in range(args.pairs):
            off.add(cold(spec_path))
        report["cli_sweep_event"] = off.summary()
    if args.big_sweep:
        big = tmp / "bench-big.toml"
        big.write_text(spec_toml("bench-big", _grid(args.big_sweep), FIVE_YEARS))
        t = Timing()
        t.add(cold(big))
        points = math.prod(len(v) for v in _grid(args.big_sweep).values())
        report["big_sweep"] = dict(t.summary(), points=points, points_per_s=round(points / t.wall[0], 1))
        report["big_sweep_cli_s"] = t.summary()["wall_min_s"]


def bench_dask(report: dict, spec: sw.SweepSpec, market, pairs: int, tmp: Path) -> None:
    """A dask LocalCluster (start-up, first sweep: workers build their Market) then warm sweeps vs local."""
    from dask.distributed import LocalCluster

    start = Timing()
    holder = {}
    start.add(lambda: holder.setdefault("c", LocalCluster(
        n_workers=os.cpu_count() or 1, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address="127.0.0.1:0")))
    with holder["c"] as cluster:
        remote = dataclasses.replace(spec, scheduler=cluster.scheduler_address)
        first = Timing()
        first.add(_sweep(remote, market, tmp))
        local, dask = interleaved(_sweep(spec, market, tmp), _sweep(remote, market, tmp), pairs)
    report["dask_cluster_start_s"], report["dask_first_sweep_s"] = round(start.wall[0], 2), round(first.wall[0], 2)
    report["dask_local"], report["dask_warm"] = local.summary(), dask.summary()
    report["dask_over_local"] = pair_ratios(dask, local)


def _profile(report: dict, cfg: C.Config, market) -> None:
    for engine in ("backtrader", "fast"):
        prof = cProfile.Profile()
        prof.enable()
        run_backtest(cfg, market, engine=engine)
        prof.disable()
        buf = io.StringIO()
        pstats.Stats(prof, stream=buf).sort_stats("cumulative").print_stats(25)
        report[f"profile_{engine}"] = buf.getvalue().splitlines()[:45]


def main(argv: list[str] | None = None) -> int:
    args = arguments(argv)
    if args.memory_probe:
        print(json.dumps(memory_probe(args.memory_probe)))
        return 0
    logging.disable(logging.WARNING)  # the runs' notes (rules off on this market, capital cuts), once per run
    cfg = C.replace(C.load_default(), run=FIVE_YEARS)
    report: dict[str, object] = {"cores": os.cpu_count(), "pairs": args.pairs, "kernel_available": HAS_KERNEL,
                                 "kernel_book": _kernel_book(cfg) if HAS_KERNEL else "none"}
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if not args.skip_cli:
            _note("cold command line")
            bench_cli(report, args.pairs, tmp)
        market = market_for(cfg)
        run_backtest(cfg, market)  # prices the chains once: every later run is warm
        _note("replay")
        bench_replay(report, cfg, market, args.pairs)
        spec = sw.SweepSpec(name="bench", base=cfg, grid=_grid(args.points), batch_size=4)
        points = len(sw.expand(spec)[0])
        report["sweep_points"] = points
        _note("sweeps")
        bench_sweeps(report, spec, market, points, args, tmp)
        if not args.skip_cli:
            _note("CLI sweeps")
            bench_cli_sweep(report, args, tmp)
        if not args.skip_dask:
            _note("dask")
            dspec = dataclasses.replace(spec, grid=_grid(args.dask_points or args.points))
            report["dask_points"] = len(sw.expand(dspec)[0])
            bench_dask(report, dspec, market, args.pairs, tmp)
    report["peak_rss_parent_mb"] = round(_peak_mb()[0], 1)  # (no workers' figure here: this process's children
    # include the cold CLI runs, which inherit its peak across fork and exec; the memory curve measures workers)
    if args.memory_curve:
        report["memory_curve"] = memory_curve(args.memory_curve)
    if args.profile:
        _profile(report, cfg, market)
    for k, v in report.items():
        if not k.startswith("profile_") and k != "memory_curve":
            print(f"{k:<26} {cell(v):<60} {('target ' + TARGETS[k]) if k in TARGETS else ''}")
    for engine in ("backtrader", "fast"):
        if f"profile_{engine}" in report:
            print(f"\nprofile, one warm 5-year replay, engine {engine}:")
            print("\n".join(report[f"profile_{engine}"]))  # type: ignore[arg-type]
    print("\n" + markdown(report))
    Path("runs").mkdir(exist_ok=True)
    Path("runs/bench.json").write_text(json.dumps(report, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
