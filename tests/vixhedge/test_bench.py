"""The benchmark's own logic (no timing is asserted: the bench measures, tests only check how it measures)."""

from __future__ import annotations

import datetime as dt

from vixhedge import sweep as sw
from vixhedge.bench import FIVE_YEARS, _grid, markdown, spec_toml
from vixhedge.benchclock import Timing, interleaved, pair_ratios


def test_comparisons_run_as_interleaved_pairs():
    calls: list[str] = []
    a, b = interleaved(lambda: calls.append("A"), lambda: calls.append("B"), 3)
    assert calls == ["A", "B", "A", "B", "A", "B"]
    assert len(a.wall) == len(b.cpu) == 3


def test_summary_and_pair_ratios():
    t, u = Timing(wall=[3.0, 1.0, 2.0], cpu=[1.0, 1.0, 4.0]), Timing(wall=[1.0, 1.0, 1.0], cpu=[1.0, 1.0, 1.0])
    assert t.summary() == {"n": 3, "wall_min_s": 1.0, "wall_median_s": 2.0, "cpu_min_s": 1.0, "cpu_median_s": 1.0}
    assert pair_ratios(t, u) == {"min": 1.0, "median": 2.0}  # per-pair ratios 3, 1, 2
    assert pair_ratios(t, u, scale=10.0, what="cpu") == {"min": 10.0, "median": 10.0}


def test_cli_sweep_spec_is_the_in_process_grid(tmp_path):
    """The spec the bench writes for `vixhedge sweep` is the grid and 5-year window it times in process."""
    path = tmp_path / "b.toml"
    path.write_text(spec_toml("b", _grid(16), FIVE_YEARS))
    spec = sw.load_spec(path)
    assert spec.grid == _grid(16) and len(sw.expand(spec)[0]) == 16  # 2 values on each of the 4 axes
    assert (spec.base.run.start, spec.base.run.end) == (dt.date(2014, 4, 1), dt.date(2018, 12, 31))


def test_grid_reaches_the_issue_sweep_size_exactly():
    """Issue 16's 5,184-point sweep: the axes grow in turn, 9 x 9 x 8 x 8 = 5,184."""
    assert [len(v) for v in _grid(5184).values()] == [9, 9, 8, 8]


def test_markdown_table_has_the_measured_rows_only():
    table = markdown({"help_cold": Timing(wall=[0.3], cpu=[0.2]).summary(), "help_cold_s": 0.3,
                      "kernel_over_event": {"min": 150.0, "median": 180.0}})
    lines = table.splitlines()
    assert lines[0] == "| measure | median (min) | target |" and len(lines) == 4
    assert "| `vixhedge --help`, cold | wall 0.3 s (min 0.3), CPU 0.2 s (min 0.2) | < 0.5 s |" in lines
    assert "| kernel / event-driven, points/s (pairs, each scaled to its grid) | 180x (min 150x) | >= 100x |" in lines


def test_a_bad_memory_curve_is_a_usage_error_before_any_work(capsys):
    """``--memory-curve abc`` once ran every phase and died at the end (trial B, item 1): now exit 2 at parse time."""
    import pytest

    from vixhedge.bench import arguments

    with pytest.raises(SystemExit) as e:
        arguments(["--memory-curve", "abc"])
    assert e.value.code == 2
    assert "--memory-curve: 'abc'" in capsys.readouterr().err
    assert arguments([]).memory_curve == [100, 1000]  # the parser's default
    assert arguments(["--memory-curve", ""]).memory_curve == []  # '' skips the curve (the --help text)


def test_a_grid_size_the_bench_cannot_build_is_a_usage_error_before_any_work(capsys):
    """The trial: ``--points 100000000 --skip-cli`` ran the replay benchmark, then died with "internal error:
    ValueError: ... exceed the benchmark grid". Every size is checked at parse time (one line, exit 2). The grid's
    axes hold 16 x 70 x 37 x 28 = 1,160,320 points (vixhedge.bench.AXES)."""
    import pytest

    from vixhedge.bench import GRID_MAX, arguments

    assert GRID_MAX == 1_160_320
    for argv in (["--points", "100000000"], ["--kernel-points", "0"], ["--dask-points", "2000000"],
                 ["--big-sweep", "1160321"], ["--memory-curve", "100,9999999"]):
        with pytest.raises(SystemExit) as e:
            arguments(argv)
        assert e.value.code == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and "the benchmark grid holds 1 to 1,160,320 points: use a size in that range" in err[0]
    assert arguments(["--big-sweep", "5184", "--kernel-points", "1160320"]).big_sweep == 5184


def test_a_bad_size_names_only_its_argument_and_its_value_once(capsys):
    """The trial: ``--pairs 0`` said "--pairs 0, --points 64, --opt-points 8: use 1 or more" (three arguments, one at
    fault) and ``--memory-curve 100000000`` "--memory-curve 100000000 100000000: ..." (the value twice). Each names
    the argument at fault with its value, once (GRID_MAX 1,160,320: the test above)."""
    import pytest

    from vixhedge.bench import arguments

    for argv, line in ((["--pairs", "0"], "--pairs 0: use 1 or more"),
                       (["--opt-points", "-1"], "--opt-points -1: use 1 or more"),
                       (["--memory-curve", "100000000"], "--memory-curve 100000000: the benchmark grid holds 1 to "
                                                         "1,160,320 points: use a size in that range")):
        with pytest.raises(SystemExit) as e:
            arguments(argv)
        assert e.value.code == 2
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and f"error: {line} (see " in err[0], err


def test_the_help_names_no_internal_issue(capsys):
    """The trial: --help said "(issue 16: 5000)"; user-facing text refers to the README instead."""
    import pytest

    from vixhedge.bench import parser

    with pytest.raises(SystemExit):
        parser().parse_args(["--help"])
    out = capsys.readouterr().out
    assert "issue" not in out.lower() and "--kernel-points" in out


def _stub_pairs(monkeypatch, *timings):
    """vixhedge.bench's interleaved() returns ``timings`` (pairs of Timing) in turn; nothing is run or timed."""
    import vixhedge.bench as bench

    queue = list(timings)
    monkeypatch.setattr(bench, "interleaved", lambda a, b, pairs: queue.pop(0))
    return bench


def test_replay_ratio_is_backtrader_over_fast(monkeypatch):
    """Mutation trial MUT29 (MU123: the ratio inverted, no test saw it). backtrader_over_fast = backtrader's wall /
    fast's, pair by pair (bench.py's docstring, item 2; the README's speed table reads it as "fast is Nx faster")."""
    bt_, fast = Timing(wall=[6.0, 12.0], cpu=[6.0, 12.0]), Timing(wall=[2.0, 3.0], cpu=[2.0, 3.0])
    bench = _stub_pairs(monkeypatch, (bt_, fast))
    report: dict = {}
    bench.bench_replay(report, None, None, 2)
    assert report["backtrader_over_fast"] == {"min": 3.0, "median": 3.5}  # pairs 6 / 2 and 12 / 3
    assert report["replay_5y_warm_fast_s"] == 2.0


def test_sweep_ratios_are_points_per_second(monkeypatch, tmp_path):
    """Mutation trial MUT29 (MU119-121: the kernel/event scale inverted, ms per point over the kernel's grid,
    optstrategy unscaled). bench.py's docstring (items 3, 4) and bench_sweeps': each path is scaled to points/s.
    The kernel runs 16 points (_grid(16)), the event path 8, optstrategy 4: kernel / event = (16 / kernel wall) /
    (8 / event wall) = 2 x event / kernel, pair by pair: 2 x 10 / 2 and 2 x 30 / 4 = 10 and 15; sweep / optstrategy
    = (16 / sweep wall) / (4 / opt wall): 4 x 12 / 2 and 4 x 6 / 2 = 24 and 12; the event path's CPU per point
    1000 x 5 s / 8 = 625 ms."""
    import argparse

    from vixhedge.core import config as C

    auto, off = Timing(wall=[2.0, 4.0], cpu=[1.0, 2.0]), Timing(wall=[10.0, 30.0], cpu=[5.0, 9.0])
    fast, opt = Timing(wall=[2.0, 2.0], cpu=[2.0, 2.0]), Timing(wall=[12.0, 6.0], cpu=[12.0, 6.0])
    bench = _stub_pairs(monkeypatch, (auto, off), (fast, opt))
    monkeypatch.setattr(bench, "optstrategy_run", lambda points, market, cpus: lambda: None)
    spec = sw.SweepSpec(name="bench", base=C.replace(C.load_default(), run=FIVE_YEARS), grid=_grid(8), batch_size=4)
    args = argparse.Namespace(kernel_points=16, pairs=2, skip_optstrategy=False, opt_points=4)
    report: dict = {}
    assert bench.bench_sweeps(report, spec, None, 8, args, tmp_path) is auto
    assert report["kernel_over_event"] == {"min": 10.0, "median": 12.5}
    assert report["kernel_over_event_cpu"] == {"min": 9.0, "median": 9.5}  # 2 x 5 / 1, 2 x 9 / 2
    assert report["sweep_points_per_s"] == 8.0 and report["event_ms_cpu_per_point"] == 625.0  # 16 / 2 s
    assert report["sweep_over_optstrategy"] == {"min": 12.0, "median": 18.0}
    assert report["optstrategy_points_per_s"] == 0.67 and report["sweep_kernel"]["points"] == 16  # 4 / 6 s


def test_dask_ratio_is_dask_over_local(monkeypatch, tmp_path):
    """Mutation trial MUT29 (MU125: inverted). dask_over_local = dask's wall / local's (bench.py's docstring, item 6:
    dask "against local processes"; benchclock's docstring: the ratio issue 16 read as 0.49 .. 2.11)."""
    import sys
    import types

    from vixhedge.core import config as C

    class Cluster:  # a LocalCluster that starts nothing
        scheduler_address = "tcp://127.0.0.1:1"

        def __init__(self, **kw):
            pass

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    monkeypatch.setitem(sys.modules, "dask.distributed", types.SimpleNamespace(LocalCluster=Cluster))
    bench = _stub_pairs(monkeypatch, (Timing(wall=[2.0, 4.0], cpu=[2.0, 4.0]), Timing(wall=[3.0, 10.0], cpu=[0, 0])))
    monkeypatch.setattr(bench, "_sweep", lambda spec, market, tmp: lambda: None)
    spec = sw.SweepSpec(name="bench", base=C.load_default(), grid=_grid(2), batch_size=4)
    report: dict = {}
    bench.bench_dask(report, spec, None, 2, tmp_path)
    assert report["dask_over_local"] == {"min": 1.5, "median": 2.0}  # pairs 3 / 2 and 10 / 4


def test_cold_cli_reports_cpu_for_run_and_wall_for_help(monkeypatch, tmp_path):
    """Mutation trial MUT29 (MU122: the cold run's CPU figure was its wall). bench_cli's keys: run_cold_cpu_s is the
    cold run's least CPU, help_cold_s --help's least wall (the README's "< 0.5 s" row, markdown())."""
    run, hlp = Timing(wall=[3.0, 2.5], cpu=[1.5, 1.25]), Timing(wall=[0.3, 0.2], cpu=[0.1, 0.1])
    bench = _stub_pairs(monkeypatch, (run, hlp))
    monkeypatch.setattr(bench, "compile_sources", lambda: None)
    report: dict = {}
    bench.bench_cli(report, 2, tmp_path)
    assert (report["run_cold_cpu_s"], report["help_cold_s"]) == (1.25, 0.2)


def test_timing_counts_the_children_s_cpu_and_not_idle_wall():
    """Mutation trial MUT29 (MU104, MU105): benchclock's docstring: CPU is this process's plus that of its children
    that have ended; a sleep is wall, not CPU. A child busy for 0.3 s of CPU shows in the CPU figure; a 0.3 s sleep
    does not (the bounds leave the machine's load a wide margin)."""
    import subprocess
    import sys
    import time

    t = Timing()
    busy = "import time\nt = time.process_time()\nwhile time.process_time() - t < 0.3: pass"
    t.add(lambda: subprocess.run([sys.executable, "-c", busy], check=True))
    t.add(lambda: time.sleep(0.3))
    assert t.cpu[0] >= 0.25 and t.wall[1] >= 0.3 and t.cpu[1] < 0.15, (t.wall, t.cpu)


def test_a_failing_cold_command_raises_and_runs_the_tree_measured(monkeypatch):
    """Mutation trial MUT29 (MU111, MU113): a cold command that fails is an error naming it, not a time (a crash
    would time as a fast run); its interpreter imports the measured tree first (benchclock.ROOT on PYTHONPATH, the
    comment at ROOT), whatever vixhedge is installed."""
    import os
    import subprocess

    import pytest

    from vixhedge import benchclock

    seen = []

    def fake(argv, **kw):
        seen.append(kw["env"]["PYTHONPATH"])
        return subprocess.CompletedProcess(argv, 2, "", "vixhedge: no such command\n")

    monkeypatch.setattr(benchclock.subprocess, "run", fake)
    monkeypatch.setenv("PYTHONPATH", "/elsewhere")
    with pytest.raises(RuntimeError, match=r"vixhedge nope failed \(2\): vixhedge: no such command"):
        benchclock.cli("nope")()
    assert seen[0] == f"{benchclock.ROOT}{os.pathsep}/elsewhere"


def test_pair_ratios_skip_a_zero_and_summary_takes_the_median():
    """Mutation trial MUT29 (MU106, MU108): a pair whose denominator is 0 (a timer's resolution) is left out, not a
    ZeroDivisionError; the summary's middle figure is the median (benchclock's docstring: min and median)."""
    t = Timing(wall=[1.0, 1.0, 10.0], cpu=[1.0, 1.0, 1.0])
    assert t.summary()["wall_median_s"] == 1.0  # the mean would be 4.0
    assert pair_ratios(Timing(wall=[2.0, 3.0], cpu=[0, 0]), Timing(wall=[0.0, 1.0], cpu=[0, 0])) == {
        "min": 3.0, "median": 3.0}


def test_grid_never_grows_an_axis_past_its_values():
    """Mutation trial MUT29 (MU117): the largest grid holds every value of every axis, GRID_MAX points
    (16 x 70 x 37 x 28, test_a_grid_size_the_bench_cannot_build_is_a_usage_error_before_any_work)."""
    import math

    from vixhedge.bench import AXES, GRID_MAX

    grid = _grid(GRID_MAX)
    assert math.prod(len(v) for v in grid.values()) == GRID_MAX and grid == {k: list(v) for k, v in AXES.items()}


def test_peak_memory_is_in_mib_and_compiled_packages_are_the_project_s():
    """Mutation trial MUT29 (MU112, MU124). /proc/self/status's VmHWM and getrusage's ru_maxrss are both the peak RSS
    in KiB on Linux: _peak_mb's MB are KiB / 1024, the same figure either way (within 1%: the peak may grow between
    the two reads; / 1000 would be 2.4% more). compile_sources compiles every package pyproject.toml ships
    ([tool.setuptools.packages.find] include: vixhedge, feeds, strategies, analyzers)."""
    import resource
    import tomllib
    from pathlib import Path

    import pytest

    from vixhedge import benchclock
    from vixhedge.bench import _peak_mb

    if not Path("/proc/self/status").exists():
        pytest.skip("no /proc/self/status (not Linux): _peak_mb reads ru_maxrss alone")
    own, _ = _peak_mb()
    assert own == pytest.approx(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, rel=0.01)
    shipped = tomllib.loads((benchclock.ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"]["find"]
    assert sorted(benchclock.PACKAGES) == sorted(p.rstrip("*") for p in shipped["include"])
