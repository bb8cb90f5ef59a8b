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
