"""``vixhedge sweep`` as a user meets it: errors before work (one line, exit 2, the folder untouched), strict
summary.json, a short prose summary on stdout, path counts kept across a resume."""

from __future__ import annotations

import io
import json
import math
import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from tests.vixhedge.sweep_cases import write_grid_spec
from vixhedge import sweep as sw
from vixhedge import sweep_summary as sw_summary
from vixhedge.cli import main
from vixhedge.core.config import ConfigError


def test_a_grid_without_a_valid_point_fails_in_one_line_and_leaves_the_folder(tmp_path: Path, capsys) -> None:
    """The fresh-user trial's spec: MACD(30, 20) is invalid (fast >= slow), the only point of the grid."""
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [30]\n"hedge.macd.slow" = [20]', name="allbad")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("an earlier sweep's file")
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("vixhedge: sweep 'allbad': no valid grid point: 1 of 1 invalid, "
                                               "like 'hedge.macd.fast = 30 is invalid: must be smaller than "
                                               "hedge.macd.slow (20)"), err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]  # no lock, no invalid.csv: untouched
    fresh = tmp_path / "fresh"
    assert main(["sweep", str(spec), "--out", str(fresh), "--quiet"]) == 2
    assert not fresh.exists()


def test_run_sweep_checks_for_a_valid_point_before_it_takes_the_folder(tmp_path: Path) -> None:
    spec = sw.load_spec(write_grid_spec(tmp_path, '"hedge.macd.fast" = [26, 30]\n"hedge.macd.slow" = [20, 26]'))
    with pytest.raises(ConfigError, match=r"no valid grid point: 4 of 4 invalid, like 'hedge.macd.fast = 26 "):
        sw.run_sweep(spec, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


@pytest.fixture(scope="module")
def market():
    from feeds.market import build_market
    from vixhedge.core.config import MarketConfig

    return build_market(MarketConfig())


@pytest.mark.parametrize("ise, sides", [
    ("2016-06-02", "leaves 2 session(s) in sample and 147 out of sample"),  # the day after run.start
    ("2016-12-29", "leaves 148 session(s) in sample and 1 out of sample"),  # the day before run.end
    ("2016-06-27", "leaves 19 session(s) in sample and 130 out of sample"),  # one session short of 20
], ids=["day-after-start", "day-before-end", "19-in-sample"])
def test_a_split_with_too_few_sessions_on_a_side_fails_before_any_work(tmp_path: Path, market, ise, sides) -> None:
    """The window 2016-06-01..2016-12-30 holds 149 sessions of the market (148 + 1 with the split on 12-29);
    2016-06-28 is its 20th session and 2016-12-01 leaves the last 20 out of sample (the bounds the message gives)."""
    spec = sw.load_spec(write_grid_spec(tmp_path, '"hedge.macd.fast" = [8]', extra=f"in_sample_end = {ise}"))
    with pytest.raises(ConfigError, match=rf"sweep.in_sample_end = {ise} {re.escape(sides)} of the run window "
                                          r"2016-06-01..2016-12-30; each side needs at least 20 for its metrics: "
                                          r"move it to between 2016-06-28 and 2016-12-01, or drop in_sample_end"):
        sw.preflight(spec, market)
    for ok in ("2016-06-28", "2016-12-01"):  # exactly 20 sessions on the short side
        sw.preflight(sw.load_spec(write_grid_spec(tmp_path, '"hedge.macd.fast" = [8]', extra=f"in_sample_end = {ok}")),
                     market)


def test_a_short_split_side_is_one_cli_line_and_no_folder(tmp_path: Path, capsys) -> None:
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8]', extra="in_sample_end = 2016-06-02")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "sweep.in_sample_end = 2016-06-02 leaves 2 session(s) in sample" in err[0]
    assert not (tmp_path / "out").exists()
    short = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8]', extra="in_sample_end = 2016-12-15", start="2016-12-01",
                       name="short")
    assert main(["sweep", str(short), "--out", str(tmp_path / "out"), "--quiet"]) == 2
    assert "widen the run window to at least 40 sessions, or drop in_sample_end" in capsys.readouterr().err


def test_a_window_outside_the_data_is_said_before_its_split_is_counted(tmp_path: Path, capsys) -> None:
    """Verification trial finding 2 (MED-LOW): a [base] window after the embedded market's end, with a split, was
    "leaves 0 session(s) in sample and 0 out of sample ... widen the run window"; the window is checked against the
    data first, with or without a split, in the words of `vixhedge run`."""
    why = ("vixhedge: sweep '{name}': [base] run.start/run.end = 2019-01-02..2022-12-30 is outside the data "
           "(embedded:arch.data(sp500,vix): 2014-01-03..2018-12-31): choose dates inside it; a data directory "
           "covers other years (--data-dir DIR; README *Real data*)")  # (trial TASK42 L4: the embedded market's fix)
    for name, extra in (("split", "in_sample_end = 2020-12-31"), ("whole", "")):
        spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]', extra=extra, name=name, start="2019-01-02",
                          end="2022-12-30")
        assert main(["sweep", str(spec), "--out", str(tmp_path / name), "--quiet"]) == 2
        assert capsys.readouterr().err.strip().splitlines() == [why.format(name=name)]
        assert not (tmp_path / name).exists()


def _strict_loads(text: str):
    def refuse(constant: str):
        raise ValueError(f"not strict JSON: {constant}")

    return json.loads(text, parse_constant=refuse)


def test_summary_json_is_strict_and_points_have_one_type_per_field(tmp_path: Path, market) -> None:
    """A point ruined in sample has NaN out-of-sample metrics in its row (test_sweep_report.py's ruin test): in the
    summary they are null, and ``ruined`` is a bool beside ``ruin_date`` in ``best`` and ``baseline_none`` alike."""
    spec = sw.load_spec(write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]', extra="in_sample_end = 2016-09-30"))
    out = tmp_path / "out"
    summary = sw.summarize(sw.run_sweep(spec, out, market, progress=False), spec, market)
    doc = _strict_loads(sw.write_summary(out, summary).read_text())
    for who in ("best", "baseline_none"):
        assert doc[who]["ruined"] is False and doc[who]["ruin_date"] is None, who
        assert all(isinstance(doc[who][k], float) for k in ("sharpe", "is_hedge_cost_usd", "oos_sharpe")), who
        assert isinstance(doc[who]["hedge_layers"], int), who
    ruined = sw_summary.point_record({"point": "p", "sharpe": np.float64(0.5), "oos_sharpe": math.nan,
                                      "is_hedge_cost_usd": np.int64(8700), "hedge_layers": np.int64(3),
                                      "ruined": "2016-08-01"})
    assert ruined == {"point": "p", "sharpe": 0.5, "oos_sharpe": None, "is_hedge_cost_usd": 8700.0,
                      "hedge_layers": 3, "ruined": True, "ruin_date": "2016-08-01"}
    nan_doc = {"deflated_sharpe_ratio": math.nan, "best": {"ruined": np.bool_(True), "x": np.float64(math.inf)}}
    assert _strict_loads(sw.write_summary(tmp_path, nan_doc).read_text()) == {
        "deflated_sharpe_ratio": None, "best": {"ruined": True, "x": None}}
    # a results.csv whose scores are all missing ranks no point (it crashed at idxmax before)
    results = out / "results.csv"
    df = pd.read_csv(results)
    df["is_sharpe"] = np.nan
    df.to_csv(results, index=False)
    assert sw.summarize(results, spec, market)["best"] is None


def test_the_sweep_hands_its_walk_of_the_grid_to_its_summary(tmp_path: Path, market, monkeypatch) -> None:
    """run_and_summarize (the CLI's) walks the grid once: the summary takes the sweep's GridOrder instead of
    walking the grid again, and says what a summary walking it afresh says (2 of the 4 points invalid: MACD fast
    26 is not smaller than slow 20 or 26)."""
    spec = sw.load_spec(write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 26]\n"hedge.macd.slow" = [20, 26]',
                                   extra="workers = 1"))
    out = tmp_path / "out"
    with monkeypatch.context() as m:
        m.setattr(sw_summary, "grid_order", lambda *a: pytest.fail("the summary walked the grid again"))
        summary = sw.run_and_summarize(spec, out, market, progress=False)
    assert (summary["points"], summary["invalid"], summary["finished"]) == (2, 2, 2)
    assert summary == sw.summarize(out / "results.csv", spec, market)
    assert sw.grid_order(spec, market).index == dict(zip(pd.read_csv(out / "results.csv")["point"], range(2)))


def test_the_cli_prints_a_short_prose_summary_and_summary_json_holds_the_rest(tmp_path: Path, capsys) -> None:
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]\n"hedge.macd.slow" = [20, 26]',
                      extra="in_sample_end = 2016-09-30\nworkers = 1", name="prose")
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0
    text = capsys.readouterr().out
    doc = _strict_loads((out / "summary.json").read_text())
    best, base = doc["best"], doc["baseline_none"]
    lines = text.strip().splitlines()
    assert len(lines) <= 24 and "{" not in text, text  # prose, not the JSON (~70 lines); 13 with CVaR, SPA vs
    # static, 14 with capital, 15 with the note of a Sharpe ranking whose every point is negative (trial RS20; here -0.56 the best),
    # 16 with the best in sample's rank out of sample (trial RS23), 17 with the hedge's causes (session 29), 23 with
    # the points beating the baselines (1) and the paired out-of-sample CIs (5: a head, one a baseline, 2 caveats;
    # RS39), 24 with their total returns (trial VIS38 L8)
    assert "  note: every ranked point's in-sample Sharpe is negative (the best -0.56)" in text
    assert lines[0].startswith("sweep 'prose': 4 of 4 valid points finished (0 invalid, 0 failed, 0 not run, 0 ruined)")
    static = doc["baseline_static"]
    assert lines[1].startswith(f"best in sample by Sharpe (higher is better): hedge.macd.fast = "
                               f"{best['hedge.macd.fast']}, hedge.macd.slow = {best['hedge.macd.slow']} (point "
                               f"{best['point']})")
    assert (f"in sample {best['is_sharpe']:.2f} (no hedge {base['is_sharpe']:.2f}, static {static['is_sharpe']:.2f});"
            f" out of sample {best['oos_sharpe']:.2f} (no hedge {base['oos_sharpe']:.2f}, static "
            f"{static['oos_sharpe']:.2f})") in lines[2]
    # 3 digits, as report.html (plug-in trial 2026-12-04, finding 6: the console printed 2)
    assert f"deflated Sharpe ratio {doc['deflated_sharpe_ratio']:.3f} over 4 trials" in text
    assert f"SPA p-value {doc['snooping']['spa_pvalue']:.2f}" in text
    # the best point's capital beside the baselines', each side (results.csv's capital columns, trial CAP)
    capital = next(line for line in lines if line.startswith("  capital "))
    for side, tag in (("in sample", "is_"), ("out of sample", "oos_")):
        assert (f"{side} {100 * best[tag + 'peak_margin_utilisation']:.2f}% / {best[tag + 'days_cut_by_capital_caps']} "
                f"/ {best[tag + 'days_with_margin_call']} / ${best[tag + 'capital_needed_usd']:,.0f} (no hedge "
                f"{100 * base[tag + 'peak_margin_utilisation']:.2f}% / {base[tag + 'days_cut_by_capital_caps']} / "
                f"{base[tag + 'days_with_margin_call']} / ${base[tag + 'capital_needed_usd']:,.0f}, static ") in capital, \
            capital  # (trial RS25: the capital needed was in summary.json and on the page only)
    assert doc["best_out_of_sample"]["oos_days_cut_by_capital_caps"] == best["oos_days_cut_by_capital_caps"]
    assert lines[-1].startswith(f"folder {out} (results.csv; summary.json holds every figure); report "
                                f"{out / 'report.html'} (")


def test_the_prose_summary_without_a_split_or_a_best_point() -> None:
    whole = {"points": 2, "finished": 2, "invalid": 1, "failed": 0, "not_run": 0, "ruined": 0,
             "best": {"point": "ab", "k": 3, "sharpe": 0.5, "max_drawdown": 0.1, "hedge_cost_usd": 1234.0},
             "baseline_none": {"sharpe": None, "max_drawdown": 0.2, "hedge_cost_usd": 0.0}}
    text = sw.format_summary(whole, "w", ["k"], Path("o"))
    assert text.splitlines()[1:5] == ["best on the whole window by Sharpe (higher is better): k = 3 (point ab)",
                                      "  Sharpe       whole window 0.50 (no hedge n/a)",
                                      "  max drawdown whole window 10.00% (no hedge 20.00%)",
                                      "  hedge cost   whole window $1,234 (no hedge $0); ex fees, as results.csv"]
    none = sw.format_summary({**whole, "best": None, "ruined": 2}, "w", ["k"], Path("o"))
    assert "best point: none" in none and "2 ruined" in none


def test_a_resumed_sweep_keeps_the_earlier_points_path_counts(tmp_path: Path, capsys) -> None:
    """6 points (MACD fast 8/12/16 x slow 20/26), every one on the kernel (the default alvh config, Reg-T, VX-future
    layers: vixhedge.kernel.kernel_covers). Resumed after a kill that left 2 rows and no paths.json, then rerun
    finished: paths.json, the summary and the report count all 6, never only the invocation's own."""
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12, 16]\n"hedge.macd.slow" = [20, 26]',
                      extra="workers = 1", name="resumed")
    out = tmp_path / "out"
    argv = ["sweep", str(spec), "--out", str(out), "--quiet"]
    assert main(argv) == 0
    results = out / "results.csv"
    lines = results.read_text().splitlines(keepends=True)
    results.write_text("".join(lines[:3]))  # a kill after 2 points: the rest run again on resume
    (out / "paths.json").unlink()  # written only at the end of an invocation
    (out / "output_files.json").unlink()  # as output_files.json: a running sweep has deleted it (sweepio.claim)
    with (out / "paths.csv").open("a") as fh:
        fh.write("deadbeef,kern")  # a torn record: cut before the next append
    for _ in range(2):  # the resume (4 points run), then a rerun of a finished sweep (0 run)
        assert main(argv) == 0
        expected = {"kernel": 6, "event": 0, "event_reasons": {}}
        assert json.loads((out / "paths.json").read_text()) == expected
        assert _strict_loads((out / "summary.json").read_text())["paths"] == expected
        assert "; 6 on the kernel, 0 on the event path" in capsys.readouterr().out.splitlines()[0]
        assert "6 points on the all-points kernel, 0 on the event-driven path" in (out / "report.html").read_text()
    assert "deadbeef" not in (out / "paths.csv").read_text()
    (out / "paths.csv").unlink()  # a folder written before paths.csv: its finished points are said unrecorded
    (out / "output_files.json").unlink()  # its record (if any) lists no paths.csv: a rerun keeps paths.csv
    assert main(argv) == 0
    assert json.loads((out / "paths.json").read_text())["unrecorded"] == 6


def test_progress_lines_count_a_fresh_sweep_and_a_resume_alike(tmp_path: Path, capsys) -> None:
    """The fresh-user trial: a resume said "(2 already done)" then "0 already done", a fresh sweep "earlier runs'
    points included". 2 points (MACD fast 8/12), both on the kernel (the default alvh config: see the test above)."""
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]', extra="workers = 1", name="counts")
    argv = ["sweep", str(spec), "--out", str(tmp_path / "out")]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "sweep 'counts': 2 grid points (0 already done)" in err and "earlier runs" not in err, err
    assert "sweep 'counts': 2 points on the kernel, 0 on the event path\n" in err
    assert "sweep 'counts': 2 valid points (0 invalid skipped, 0 already done, 0 failed)" in err
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "sweep 'counts': 2 grid points (2 already done)" in err
    assert "sweep 'counts': 2 points on the kernel, 0 on the event path, 2 of them from earlier runs\n" in err
    assert "sweep 'counts': 2 valid points (0 invalid skipped, 2 already done, 0 failed)" in err


def test_notes_known_before_the_run_come_before_the_bar_and_reasons_read_plainly(tmp_path: Path, capsys,
                                                                                  monkeypatch) -> None:
    """The trial: the policy note (the default config has no A/D input) printed after the bar reached 100%, and the
    event path's reason read "(2 sweep.kernel = 'off')". The notes known before any point runs come before the bar
    (vixhedge.progress.Progress); the counts by path after it, each reason with its count."""
    from vixhedge import sweep as sweep_module

    events: list[str] = []
    monkeypatch.setattr(sweep_module, "note", lambda text: events.append(text))
    monkeypatch.setattr(sweep_module, "config_note", lambda text: events.append(text))  # (logged since trial API31 L7)
    real = sweep_module.Progress
    monkeypatch.setattr(sweep_module, "Progress", lambda total: events.append("BAR") or real(total))
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]', extra='workers = 1\nkernel = "off"', name="order")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out")]) == 0
    bar = events.index("BAR")
    assert any(t.startswith("sweep: hedge.fomc: no S&P 500 advance/decline input") for t in events[:bar]), events
    assert "sweep 'order': 0 points on the kernel, 2 on the event path (sweep.kernel = 'off': 2)" in events[bar:]


def test_quiet_prints_only_the_summary(tmp_path: Path, capsys) -> None:
    """`sweep -q` printed its three progress lines and the FOMC note (the default config has no A/D input); like
    `run -q` it prints nothing on stderr, and the summary on stdout."""
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8]', extra="workers = 1", name="quiet")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "-q"]) == 0
    got = capsys.readouterr()
    assert got.err == "" and got.out.startswith("sweep 'quiet': 1 of 1 valid points finished")


def test_a_grid_value_of_the_wrong_type_is_a_spec_error(tmp_path: Path, capsys) -> None:
    """The fresh-user trial: "x" for hedge.review_bars (a whole number) went to invalid.csv and the sweep exited 0.
    A value of the right type outside its range (-1: 0..60, vixhedge/core/config) stays an invalid point; a name not
    among an enum key's values is a spec error too (the fuzz trial, session 9, L12: test_sweep_bounds.py)."""
    spec = write_grid_spec(tmp_path, '"hedge.review_bars" = ["x", 5]', name="typed")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"vixhedge: {spec}: grid.hedge.review_bars = 'x' is invalid: use a whole number"], err
    assert not (tmp_path / "out").exists()
    for grid, message in (('"hedge.macd.fast" = { start = 8, stop = 9, step = 0.5 }', "fast = 8.0 is invalid: use a "
                                                                                       "whole number"),
                          ('"hedge.mode" = [1]', "mode = 1 is invalid: use a string"),
                          ('"hedge.mode" = ["alvh", "nope"]', "mode = 'nope' is invalid: use one of"),
                          ('"hedge.macd.fast" = [true]', "fast = true is invalid: use a whole number")):
        with pytest.raises(ConfigError, match=re.escape(message)):
            sw.load_spec(write_grid_spec(tmp_path, grid, name="typed"))
    ranged = sw.load_spec(write_grid_spec(tmp_path, '"hedge.review_bars" = [-1, 5]\n"hedge.mode" = ["alvh", "none"]'))
    _, invalid = sw.expand(ranged)
    assert len(invalid) == 2  # -1 with both modes


def test_a_grid_may_list_inf_where_it_means_no_cap(tmp_path: Path) -> None:
    """Trial W (2026-12-05): `"hedge.max_notional_usd" = [60000.0, inf]` was refused as "use a finite number (inf
    means no cap only for hedge.max_notional_usd, ...)": the type check looked the key up with its "grid." prefix.
    inf stays refused for every other key."""
    spec = sw.load_spec(write_grid_spec(tmp_path, '"hedge.max_notional_usd" = [60000.0, inf]', name="uncapped"))
    points, invalid = sw.expand(spec)
    assert invalid == [] and sorted(p.config.hedge.max_notional_usd for p in points) == [60000.0, float("inf")]
    with pytest.raises(ConfigError, match=re.escape("grid.hedge.target_hedge_ratio = inf is invalid: use a finite")):
        sw.load_spec(write_grid_spec(tmp_path, '"hedge.target_hedge_ratio" = [0.5, inf]', name="uncapped"))


class _Terminal(io.StringIO):
    """stderr as a terminal: tqdm draws its bar there (disable=None draws only on a TTY)."""

    def isatty(self) -> bool:
        return True


def test_sweep_notes_are_written_above_the_progress_bar_not_into_it(tmp_path: Path, monkeypatch) -> None:
    """The fresh-user trial (N8): on a terminal, `sweep:   0%|...| 0/30 [00:00<?, ?point/s]sweep 'macd-grid': 30 grid
    points (0 already done)`: the note was printed onto the bar's line. Every note starts a line of its own."""
    spec = sw.load_spec(write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]', extra="workers = 1", name="tty"))
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    sw.run_sweep(spec, tmp_path / "out")
    segments = re.split(r"[\r\n]", screen.getvalue())
    assert any(s.startswith("sweep: ") and "point/s" in s for s in segments), screen.getvalue()  # the bar drew
    notes = [s for s in segments if "sweep 'tty'" in s]
    assert len(notes) == 3 and all(s.startswith("sweep 'tty': ") for s in notes), notes


def test_an_unreachable_dask_scheduler_is_one_line_before_any_work(tmp_path: Path, capsys) -> None:
    """Fresh-user trial: `--scheduler tcp://127.0.0.1:1` waited dask's 30 s, then failed with spec.json already
    written. Now one line naming the address and the fix, in seconds, and no folder (port 1: nothing listens)."""
    pytest.importorskip("distributed", reason="dask.distributed not installed: pip install -e '.[dask]'")
    import time

    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]')
    out = tmp_path / "out"
    t0 = time.perf_counter()
    assert main(["sweep", str(spec), "--out", str(out), "--scheduler", "tcp://127.0.0.1:1", "--quiet"]) == 2
    assert time.perf_counter() - t0 < sw.REACH_SECONDS + 10  # the market's build and the 5 s check at most
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "no dask scheduler answers at 127.0.0.1:1" in err[0], err
    assert "dask scheduler --port 1" in err[0]
    assert not out.exists()


def test_an_axis_its_switch_leaves_without_effect_is_noted_at_the_start(tmp_path: Path, capsys) -> None:
    """Fresh-user trial: hedge.rsi.add_min swept with hedge.rsi.enabled = false (the default) gave identical points,
    each a trial of the deflated Sharpe / SPA / StepM, without a word. One note names the axis and its switch
    before the first point runs; the sweep still runs (both points finish)."""
    spec = write_grid_spec(tmp_path, '"hedge.rsi.add_min" = [30.0, 70.0]', extra="workers = 1", name="inert")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out")]) == 0
    got = capsys.readouterr()
    notes = [ln for ln in got.err.splitlines() if "has no effect" in ln]
    assert notes == ["sweep 'inert': NOTE grid.hedge.rsi.add_min has no effect while hedge.rsi.enabled = false "
                     "([base], not swept): its 2 values give the same runs (one trial of the deflated Sharpe ratio, "
                     "which counts distinct results); set hedge.rsi.enabled = true in [base] or drop the axis"], got.err
    assert got.err.index("has no effect") < got.err.index("points on the kernel")  # at the start, before the runs
    assert got.out.startswith("sweep 'inert': 2 of 2 valid points finished")


def test_the_command_line_is_echoed_as_typed(monkeypatch) -> None:
    """The resume hint repeats the command: the program as invoked (the entry point, or `python -m vixhedge`), the
    arguments quoted for a shell."""
    from vixhedge.cli import command_line

    monkeypatch.setattr(sys, "argv", ["/venv/bin/vixhedge", "sweep", "my spec.toml", "--workers", "2"])
    assert command_line(None) == "vixhedge sweep 'my spec.toml' --workers 2"
    monkeypatch.setattr(sys, "argv", ["/src/vixhedge/__main__.py", "sweep", "s.toml"])
    assert command_line(None) == "python -m vixhedge sweep s.toml"
    assert command_line(["sweep", "s.toml"]) == "vixhedge sweep s.toml"


def test_an_interrupted_sweep_says_what_is_saved_and_how_to_resume(tmp_path: Path, capsys, monkeypatch) -> None:
    """Trial B: an interrupted sweep printed only `vixhedge: interrupted`. Interrupted here once its 2 points
    (MACD fast 8/12) are in results.csv, before its summary: no output_files.json; the rerun finishes it."""
    from vixhedge import sweep as sweep_module

    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]', extra="workers = 1", name="cut")
    out = tmp_path / "out"
    argv = ["sweep", str(spec), "--out", str(out), "--quiet", "--workers", "1"]  # the review: --workers was dropped

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(sweep_module, "write_summary", interrupt)
        assert main(argv) == 130
    assert capsys.readouterr().err == (f"vixhedge: interrupted: 2 points are saved in {out / 'results.csv'}; "
                                       f"rerun the same command (vixhedge sweep {spec} --out {out} --quiet --workers 1) "
                                       "to resume\n")
    assert not (out / "output_files.json").exists()
    assert main(argv) == 0 and (out / "output_files.json").is_file()


SIGTERM_AFTER_A_BATCH = """
import os, signal, sys
from vixhedge import sweep

real = sweep._Sink.rows

def rows(self, batch):  # SIGTERM (timeout, SLURM) once the first batch's rows are written, the grid still walked
    real(self, batch)
    os.kill(os.getpid(), signal.SIGTERM)

sweep._Sink.rows = rows
sys.argv = ["vixhedge", "sweep", {spec!r}, "--out", {out!r}, "--quiet", "--workers", "1"]
from vixhedge.__main__ import run
sys.exit(run())
"""


def test_sigterm_ends_a_sweep_as_an_interrupt_does(tmp_path: Path) -> None:
    """The trial: `timeout` (SIGTERM) ended a sweep with no line, exit -15, its .sweep.lock and .invalid.csv.PID
    left. SIGTERM is now Ctrl-C's: the same line, the same cleanup, exit 143 (128 + 15, as a shell reports it)."""
    import subprocess

    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12, 40]', name="term")  # fast 40 >= slow 26: invalid
    out = tmp_path / "out"
    code = SIGTERM_AFTER_A_BATCH.format(spec=str(spec), out=str(out))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 143, proc.stderr
    assert proc.stderr == (f"vixhedge: interrupted: 2 points are saved in {out / 'results.csv'}; rerun the same "
                           f"command (vixhedge sweep {spec} --out {out} --quiet --workers 1) to resume\n")
    assert sorted(p.name for p in out.iterdir() if p.name.startswith(".")) == []  # no lock, no temporary file
    assert main(["sweep", str(spec), "--out", str(out), "--quiet", "--workers", "1"]) == 0


HANGS_ONCE_STARTED = """import pathlib, time
from vixhedge.api import Decision


def policy(state, snap, cfg):
    pathlib.Path({marker!r}).touch()  # the point is running: the test interrupts now
    while True:
        time.sleep(0.05)
"""


@pytest.mark.parametrize("sig, code", [("SIGINT", 130), ("SIGTERM", 143)])
def test_ctrl_c_on_a_sweep_names_the_hung_point_and_prints_no_traceback(tmp_path: Path, monkeypatch, sig: str,
                                                                        code: int) -> None:
    """Review 25: Ctrl-C (SIGINT to the process group) on a local sweep whose second worker waited idle printed
    `Process ForkProcess-2: Traceback ... KeyboardInterrupt` from multiprocessing's internals before the sweep's own
    line. One batch of two points (batch_size 2) on two workers: the busy one is interrupted in the plug-in, the
    idle one exits quietly (vixhedge/sweep_worker.py), and the sweep says what is saved, exit 130. The line names the
    point and the plug-in the interrupt stopped in, as a run's does (review 25: a hung plug-in in a sweep was not
    named; the busy worker's words were lost when the idle one's exit broke the pool first). RD31: SIGTERM sent to
    the parent alone (`kill PID`; the workers never got it) left the sweep waiting for ever on its busy worker: the
    parent now interrupts its busy workers itself after sweep_worker.GRACE_S (2 s), and ends the same way, 143."""
    import os
    import signal
    import subprocess
    import time

    marker = tmp_path / "started"
    (tmp_path / "hangs_started.py").write_text(HANGS_ONCE_STARTED.format(marker=str(marker)))
    spec = write_grid_spec(tmp_path, '"hedge.first_layer_contracts" = [1, 2]', name="ctrlc",
                           extra='workers = 2\nbatch_size = 2\n[base.hedge]\npolicy = "hangs_started:policy"')
    out = tmp_path / "out"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    proc = subprocess.Popen([sys.executable, "-m", "vixhedge", "sweep", str(spec), "--out", str(out), "--quiet"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    deadline = time.time() + 120
    while not marker.exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.5)  # (the idle worker back on its queue)
    if sig == "SIGINT":
        os.killpg(proc.pid, signal.SIGINT)  # Ctrl-C: the whole process group
    else:
        os.kill(proc.pid, signal.SIGTERM)  # `kill PID`: the parent alone
    _, err = proc.communicate(timeout=60)
    assert marker.exists() and proc.returncode == code, err
    monkeypatch.syspath_prepend(str(tmp_path))  # (the spec's plug-in, loaded to name the point)
    monkeypatch.delitem(sys.modules, "hangs_started", raising=False)  # (the other case's file: another marker path)
    point = next(p for p in sw.iter_points(sw.load_spec(spec)) if p.params == {"hedge.first_layer_contracts": 1})
    assert err == (f"vixhedge: interrupted (point {point.key} {{'hedge.first_layer_contracts': 1}}: in hedge policy "
                   f"hangs_started:policy on 2016-06-01): 0 points are saved in {out / 'results.csv'}; rerun the same "
                   f"command (python -m vixhedge sweep {spec} --out {out} --quiet) to resume\n"), err  # (all of it)


def test_an_interrupt_in_the_summary_says_so(tmp_path: Path, monkeypatch, capsys) -> None:
    """Review 26: Ctrl-C while the summary re-ran the best point read `interrupted (in hedge policy slowpol:policy on
    2016-09-27): 6 points are saved`, as if a worker's point had stopped there. The summary's phase is named."""
    from vixhedge.plugin_trace import interrupted_in

    def stopped(*args, **kwargs):
        raise interrupted_in(KeyboardInterrupt(), "in hedge policy slowpol:policy on 2016-09-27")

    spec = write_grid_spec(tmp_path, '"hedge.first_layer_contracts" = [1, 2]', extra="workers = 1")
    monkeypatch.setattr(sw, "summarize", stopped)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 130
    err = capsys.readouterr().err
    assert err.startswith("vixhedge: interrupted (in the summary: the baselines and the best point's run: in hedge "
                          "policy slowpol:policy on 2016-09-27): 2 points are saved in "), err


def test_a_scheduler_port_that_is_no_number_is_one_line(tmp_path: Path, capsys) -> None:
    """MUT28 DK3: README (sweep usage, line 2802) gives the address as tcp://HOST:PORT; a port `abc` is no port:
    one ConfigError line ("write tcp://HOST:PORT", sweep_dask.check_reachable), exit 2, no traceback, no folder."""
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]')
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--scheduler", "tcp://127.0.0.1:abc", "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in err[0], err
    assert "'tcp://127.0.0.1:abc' is invalid: write tcp://HOST:PORT" in err[0], err
    assert not out.exists()


@pytest.mark.parametrize("port", ["99999", "0"])
def test_a_scheduler_port_outside_the_tcp_range_is_one_line_before_the_market(tmp_path: Path, capsys, port) -> None:
    """FUZZ33 L6 (/work/notes/fuzz33_report.md, case `sweep --scheduler tcp://127.0.0.1:99999`): it read "no dask
    scheduler answers ... (Connection refused)" after the `building the market` line; a TCP port is 1..65535
    (RFC 793's 16-bit field; 0 is no port to connect to): one line naming the flag, before any work."""
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]')
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--scheduler", f"tcp://127.0.0.1:{port}"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"vixhedge: --scheduler = 'tcp://127.0.0.1:{port}' is invalid: port {port} is outside 1..65535 (a "
                   "TCP port): write tcp://HOST:PORT, e.g. tcp://127.0.0.1:8786"], err
    assert not out.exists()


def test_an_interrupt_after_one_point_says_one_point_is_saved(tmp_path: Path, capsys, monkeypatch) -> None:
    """MUT28 CS1: the interrupt line's grammar for one point: a 1-point grid (MACD fast 8) interrupted before its
    summary says "1 point is saved" (English: singular noun, singular verb), as the 2-point case says "are"."""
    from vixhedge import sweep as sweep_module

    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8]', extra="workers = 1", name="cut1")
    out = tmp_path / "out"

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sweep_module, "write_summary", interrupt)
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 130
    assert capsys.readouterr().err.startswith(f"vixhedge: interrupted: 1 point is saved in {out / 'results.csv'}; ")


def test_an_out_folder_under_a_file_is_one_line_before_any_work(tmp_path: Path, capsys) -> None:
    """MUT28 CS8b: `sweep --out` is checked before the market is built (vixhedge.atomic.check_writable, its words:
    "--out '<path>' is not a folder (<file> is a file): choose another path"); no file is written."""
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8]', name="under")
    (tmp_path / "a-file").write_text("not a folder")
    out = tmp_path / "a-file" / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"vixhedge: --out {str(out)!r} is not a folder ({tmp_path / 'a-file'} is a file): choose another "
                   "path"], err
    assert (tmp_path / "a-file").read_text() == "not a folder"
