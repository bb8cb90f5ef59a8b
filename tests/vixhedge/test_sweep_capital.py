"""The capital figures in a sweep's rows (trial CAP): results.csv ``peak_margin_utilisation``,
``days_cut_by_capital_caps``, ``days_with_margin_call`` (trial RS24), ``capital_needed_usd`` and ``peak_margin_usd``
(session 23) (and ``is_`` / ``oos_`` with a split).

They are a run's metrics.json ``capital.peak_margin_utilisation`` (the day-end maintenance requirement over NAV, its
peak over the days with NAV > 0) and ``capital.days_cut_by_capital_caps`` (the days the condor's capital caps, the
hedge budget or a hedge cap cut or refused an order) and ``capital.days_with_margin_call`` (the sessions that opened
with a maintenance breach, ``CapitalGuard.breach_days``), ``capital.capital_needed_usd`` (the initial cash less the
lowest excess liquidity, a session's opening check included) and ``capital.peak_margin_usd`` over the point's valid
span. The all-points kernel records the requirement, the cut days and each day's lowest excess liquidity
(``Outcome.margin``, ``Outcome.capped``, ``Outcome.excess``: the numpy book and the compiled one) and gives the event
path's figures to the 10 significant digits results.csv holds.
"""

import csv
import datetime as dt
import json
import math
import random

import numpy as np
import pytest

from feeds.market import build_market
from vixhedge import kernel as K
from vixhedge import kernel_jit as J
from vixhedge import sweep as sw
from vixhedge import sweep_metrics
from vixhedge.api import run_sweep
from vixhedge.core import config as C
from vixhedge.run import run_backtest
from vixhedge.sweep_metrics import CAPITAL_METRICS
from vixhedge.sweep_spec import point_key
from vixhedge.window import check_window

CAPITAL_GRID = "examples/capital_grid.toml"  # 72 points, 2014-06-02..2018-12-31: the Reg-T half on the kernel
SPLIT = dt.date(2016, 12, 30)  # (the layer grid's in_sample_end; the capital grid has none)
COLUMNS = (*CAPITAL_METRICS, *(f"{t}_{k}" for t in ("is", "oos") for k in CAPITAL_METRICS))
NEEDED_MOST = 1169889  # the capital grid's highest capital_needed_usd over its Reg-T points (60-contract first layer;
# 1,169,949 before the start's interest counted: trial RS40 M1)


@pytest.fixture(scope="module")
def market():
    return build_market(C.MarketConfig())


def _same(a, b) -> bool:
    """Equal as results.csv writes them (sweepio: floats to 10 significant digits); NaN equals NaN."""
    if isinstance(a, float) or isinstance(b, float):
        return f"{float(a):.10g}" == f"{float(b):.10g}"
    return a == b


@pytest.fixture(scope="module")
def capital_grid(market):
    """The capital grid's Reg-T points and their event-path rows (the portfolio ones: wings left open, event path)."""
    points = [p for p in sw.expand(sw.load_spec(CAPITAL_GRID), market)[0]
              if p.config.margin.mode is C.MarginMode.REG_T]
    assert len(points) == 36
    return points, {p.key: sweep_metrics.run_point(p, market, SPLIT) for p in points}


@pytest.mark.parametrize("book", ["", "numpy"], ids=["auto", "numpy"])
def test_the_kernel_gives_the_event_paths_capital_columns_on_the_capital_grid(market, monkeypatch, capital_grid, book):
    """Every Reg-T point of examples/capital_grid.toml stays on the kernel and its capital columns equal the event
    path's; the caps cut orders (9,530 cut days over the 36 points, counted 2026-12-05 after a condor's profit-take
    and stop began to hold on their line whatever the float sum of its prices: 9,543 before, trial CX), and margin
    calls come on 244 sessions of 15 points (counted 2026-12-06, session 22: the numpy book replays the cure, the
    compiled one hands such a point to it), each point's the event path's count."""
    monkeypatch.setenv(J.ENV, book)
    points, ref = capital_grid
    rows, back = K.run_points(points, market, SPLIT)
    assert back == []
    for row in rows:
        for key in COLUMNS:
            assert _same(row[key], ref[row["point"]][key]), (row["point"], key, row[key], ref[row["point"]][key])
        assert row["is_days_cut_by_capital_caps"] + row["oos_days_cut_by_capital_caps"] == row[
            "days_cut_by_capital_caps"]
        assert row["peak_margin_utilisation"] == max(row["is_peak_margin_utilisation"],
                                                     row["oos_peak_margin_utilisation"])
    assert sum(r["days_cut_by_capital_caps"] for r in rows) == 9530
    assert sum(r["days_with_margin_call"] for r in rows) == 244
    assert sum(r["days_with_margin_call"] > 0 for r in rows) == 15
    assert all(r["is_days_with_margin_call"] + r["oos_days_with_margin_call"] == r["days_with_margin_call"]
               for r in rows)
    # the capital needed (session 23): over the $1M initial cash on exactly the 15 points with a margin call (none is
    # ruined), the most 1,169,949 USD (counted 2026-12-06); each side's figure at most the whole window's, one equal
    for r in rows:
        for k in ("capital_needed_usd", "peak_margin_usd"):
            assert r[k] == max(r[f"is_{k}"], r[f"oos_{k}"]), (r["point"], k)
        assert (r["capital_needed_usd"] > 1e6) == (r["days_with_margin_call"] > 0) and not r["ruined"]
    assert round(max(r["capital_needed_usd"] for r in rows)) == NEEDED_MOST


@pytest.mark.skipif(J.numba is None, reason="numba does not import here: the numpy book runs")
def test_the_compiled_book_keeps_capped_points_and_records_their_cut_days(market, capital_grid):
    """The compiled book hands a point to the numpy book only when the caps refuse its condor or buying power binds:
    a cap that cuts (the hedge budget, the condor caps to fewer) is its own to record. On the capital grid it keeps
    20 of the 36 Reg-T points, each with cut days (counted 2026-12-05), and they equal the numpy book's."""
    points, _ = capital_grid
    groups: dict[tuple, list] = {}  # the chunks kernel.outcomes makes: points sharing the condor and the margin
    for p in points:
        groups.setdefault((p.config.condor, p.config.margin), []).append(p)
    kept = 0
    for chunk in groups.values():
        assert all(K.runs_compiled(p.config) for p in chunk)
        cfg0 = chunk[0].config
        i0, i1 = check_window(cfg0, market)
        days = np.array(market.days[i0:i1 + 1], dtype="datetime64[D]")
        rates = np.array([market.night_rate(d) for d in market.days[i0:i1 + 1]])
        args = (K._signal_book(K._bank(market), chunk, i0, i1), K._tape(market, cfg0, i0, i1),
                K._market(market, i0, i1, cfg0.margin), cfg0, rates, np.diff(days).astype(np.int64), i0)
        compiled, numpy_book = J.simulate(*args), K.simulate(*args)
        for k in range(len(chunk)):
            if not compiled.reason[k]:
                kept += 1
                assert compiled.capped[k].any()
                np.testing.assert_array_equal(compiled.capped[k], numpy_book.capped[k])
                np.testing.assert_allclose(compiled.margin[k], numpy_book.margin[k], rtol=1e-12, atol=1e-6)
                np.testing.assert_allclose(compiled.excess[k], numpy_book.excess[k], rtol=1e-12, atol=1e-6)
    assert kept == 20


def _random_config(rng: random.Random) -> dict:
    """A config of the capital paths: the hedge's size and budget, the condor's size and caps, a notional or premium
    cap, VX futures or VIX call spreads, the alvh or static policy, Reg-T or portfolio margin (VX layers)."""
    spread = rng.random() < 0.3
    hedge = {"first_layer_contracts": rng.choice([1, 5, 20, 60, 120] if not spread else [50, 400, 2000]),
             "review_bars": rng.choice([0, 1, 5])}
    if spread:
        hedge["instrument"] = "vix_call_spread"
        if rng.random() < 0.5:
            hedge["premium_budget_usd"] = rng.choice([20_000.0, 80_000.0])
    if rng.random() < 0.4:
        hedge["max_notional_usd"] = rng.choice([150_000.0, 600_000.0])
    if rng.random() < 0.3:
        hedge.update(mode="static", static_layers=3, max_layers=3)
    margin = {"hedge_budget_nav_fraction": rng.choice([0.1, 0.25, 0.5, 1.0])}
    if not spread and rng.random() < 0.3:
        margin["mode"] = "portfolio"
    condor = {"contracts": rng.choice([5, 20, 60, 150]), "max_loss_cap_nav_fraction": rng.choice([0.05, 0.2, 1.0]),
              "margin_cap_nav_fraction": rng.choice([0.1, 0.5, 1.0])}
    return {"hedge": hedge, "margin": margin, "condor": condor}


@pytest.fixture(scope="module")
def event_rows(market):
    """The event path's row of a point, run once for both books' cases below (their points and split are one: the
    event path reads no VIXHEDGE_KERNEL)."""
    rows: dict = {}

    def row(point, split):
        if (point.key, split) not in rows:
            rows[(point.key, split)] = sweep_metrics.run_point(point, market, split)
        return rows[(point.key, split)]
    return row


@pytest.mark.parametrize("book", ["", "numpy"], ids=["auto", "numpy"])
def test_random_configs_give_the_event_paths_capital_columns(market, monkeypatch, book, event_rows):
    """12 configs drawn at seed 11 (``_random_config``) on the August 2015 spike's year, split at its middle: the
    kernel's capital columns equal the event path's for each it keeps (7 of them, counted 2026-12-05: the others
    leave a condor wing open under portfolio margin, or bind capital the kernel hands back; caps cut on some)."""
    monkeypatch.setenv(J.ENV, book)
    rng = random.Random(11)
    points = []
    for _ in range(12):
        cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2016-06-30"}, **_random_config(rng))
        points.append(sw.Point(point_key(cfg), {}, cfg))
    split = dt.date(2015, 12, 31)
    rows, back = K.run_points([p for p in points if K.kernel_covers(p.config) is None], market, split)
    assert len(rows) >= 6, back
    for row in rows:
        ref = event_rows(next(p for p in points if p.key == row["point"]), split)
        for key in COLUMNS:
            assert _same(row[key], ref[key]), (row["point"], key, row[key], ref[key])
    assert sum(r["days_cut_by_capital_caps"] > 0 for r in rows) >= 3


SPEC = """
[sweep]
name = "capital"
in_sample_end = 2015-12-31

[base]
run = { start = 2015-06-01, end = 2016-06-30 }
margin = { hedge_budget_nav_fraction = 1.0 }
condor = { contracts = 50 }

[grid]
"hedge.first_layer_contracts" = [10, 40]
"""


def _swept(tmp_path, spec: str) -> tuple:
    """Sweep ``spec`` (two points) to ``tmp_path/out``; return the folder, its results.csv rows by point, the points."""
    (tmp_path / "spec.toml").write_text(spec)
    out = tmp_path / "out"
    run_sweep(tmp_path / "spec.toml", out, progress=False)
    rows = {r["point"]: r for r in csv.DictReader((out / "results.csv").read_text().splitlines())}
    points, _ = sw.expand(sw.load_spec(tmp_path / "spec.toml"))
    assert len(rows) == len(points) == 2
    return out, rows, points


def test_a_sweep_row_is_its_runs_capital_figures(tmp_path, market):
    """Each results.csv row's capital columns are ``vixhedge run``'s metrics.json ``capital`` figures of the point's
    config (to the row's 10 significant digits); the two sides' cut days add up to the whole window's, as do their
    margin-call days (the 40-contract first layer's run: 17 sessions with a margin call, metrics.json; the 10's: 0)."""
    out, rows, points = _swept(tmp_path, SPEC)
    for p in points:
        capital, row = run_backtest(p.config, market).metrics["capital"], rows[p.key]
        assert row["peak_margin_utilisation"] == f"{capital['peak_margin_utilisation']:.10g}"
        assert int(row["days_cut_by_capital_caps"]) == capital["days_cut_by_capital_caps"] > 0
        assert int(row["is_days_cut_by_capital_caps"]) + int(row["oos_days_cut_by_capital_caps"]) == int(
            row["days_cut_by_capital_caps"])
        calls = capital["days_with_margin_call"]
        assert int(row["days_with_margin_call"]) == calls == {10: 0, 40: 17}[p.config.hedge.first_layer_contracts]
        assert int(row["is_days_with_margin_call"]) + int(row["oos_days_with_margin_call"]) == calls
        assert math.isclose(float(row["peak_margin_utilisation"]), max(
            float(row["is_peak_margin_utilisation"]), float(row["oos_peak_margin_utilisation"])))
        _assert_needed(row, capital)
        assert (float(row["capital_needed_usd"]) > p.config.run.initial_cash_usd) == (calls > 0)
    page = (out / "report.html").read_text()  # the best point's table: capital needed beside peak margin
    assert "<td>capital needed, whole window</td><td>$658,008</td>" in page  # (the best, the 10-contract point; its
    # run's figure, _assert_needed: $657,174 before the start's interest counted, trial RS40 M1)
    assert "<td>peak margin requirement, out of sample</td>" in page


def _assert_needed(row: dict, capital: dict) -> None:
    """A results.csv row's capital_needed_usd and peak_margin_usd are its run's metrics.json figures (as written, to
    10 significant digits: to the cent below $100M), the whole window's the larger of its two sides'."""
    for k in ("capital_needed_usd", "peak_margin_usd"):
        assert row[k] == f"{capital[k]:.10g}", (k, row[k], capital[k])
        assert abs(float(row[k]) - capital[k]) < 0.005
        sides = [float(row[f"{t}_{k}"]) for t in ("is", "oos") if row[f"{t}_{k}"] not in ("", "nan")]
        assert float(row[k]) == max(sides), (k, row)


# test_kernel_capital's reopen-and-ruin case, SPEC's window and split: VX margins far below CFE's, the settled
# layers reopened (roll_days 0), no condor
RUIN_SPEC = SPEC.replace('name = "capital"', 'name = "capital-ruin"').replace("[10, 40]", "[10, 60]").replace(
    "margin = { hedge_budget_nav_fraction = 1.0 }\ncondor = { contracts = 50 }",
    'hedge = { mode = "static", static_layers = 3, max_layers = 3, tenor_months = 5, roll_days = 0, '
    'require_condor = false }\ncondor = { enabled = false }\nmargin = { hedge_budget_nav_fraction = 1.0, '
    "vx_initial_usd = [1000.0, 5500.0, 5500.0], vx_maintenance_usd = [300.0, 300.0, 300.0] }")


def test_a_ruined_points_capital_needed_is_its_runs_over_the_valid_span(tmp_path, market):
    """test_kernel_capital's reopen-and-ruin case as a sweep (VX margins far below CFE's, the settled layers reopened
    with roll_days 0, no condor): the 60-contract point is ruined on 2016-03-16 (NAV -$1,319 <= 0 at the open), the
    10-contract one not. Each row's capital_needed_usd and peak_margin_usd are its run's metrics.json figures,
    read over the valid span (to the ruin day: the ruin's opening check, a requirement of 0 after its liquidation);
    the ruined point's 1,001,317 USD is the initial cash less that check (-$1,319, counted 2026-12-06) in dollars of
    the start (its interest to then: trial RS40 M1), its out-of-sample figure (the ruin is after the
    split). Both points ran on the kernel (the numpy book replays the ruin)."""
    assert RUIN_SPEC.count("roll_days = 0") == RUIN_SPEC.count("[10, 60]") == 1
    out, rows, points = _swept(tmp_path, RUIN_SPEC)
    for p in points:
        metrics, row = run_backtest(p.config, market).metrics, rows[p.key]
        assert row["ruin_date"] == (metrics["ruin"] or {}).get("date", "")
        _assert_needed(row, metrics["capital"])
    ruined = rows[next(p.key for p in points if p.config.hedge.first_layer_contracts == 60)]
    assert ruined["ruin_date"] == "2016-03-16" and round(float(ruined["capital_needed_usd"])) == 1001317
    assert ruined["oos_capital_needed_usd"] == ruined["capital_needed_usd"]  # (400,160 USD in sample)
    assert float(ruined["is_capital_needed_usd"]) < float(ruined["capital_needed_usd"])
    paths = json.loads((out / "summary.json").read_text())["paths"]
    assert (paths["kernel"], paths["event"]) == (2, 0)


@pytest.mark.parametrize("later, said", [
    (("NEEDED_FIELDS", "CAUSE_FIELDS"), "the capital-needed and hedge-by-cause columns (capital_needed_usd, "
                                        "hedge_vx_carry_usd)"),
    (("CALL_FIELDS", "NEEDED_FIELDS", "CAUSE_FIELDS"),
     "the margin-call and capital-needed and hedge-by-cause columns (days_with_margin_call, capital_needed_usd, "
     "hedge_vx_carry_usd)")],
    ids=["capital_needed", "margin_call"])
def test_a_folder_from_before_the_later_capital_columns_resumes(tmp_path, capsys, later, said):
    """A results.csv written before ``capital_needed_usd`` and ``peak_margin_usd`` (session 22's layout: its header
    with the margin-call columns but without the six capital-needed ones), or also before ``days_with_margin_call``
    (session 21's: without the three margin-call ones), its last point not run, resumes with its header, said in one
    line; the resumed row has none of those cells, as the rows before it, and the page has no capital-needed row."""
    (tmp_path / "spec.toml").write_text(SPEC)
    out = tmp_path / "out"
    run_sweep(tmp_path / "spec.toml", out, progress=False)
    results = out / "results.csv"
    fresh = list(csv.reader(results.read_text().splitlines()))
    dropped = sum((getattr(sweep_metrics, name) for name in later), ())
    assert set(dropped) < set(fresh[0]) and len(sweep_metrics.NEEDED_FIELDS) == 6
    keep = [k for k, name in enumerate(fresh[0]) if name not in dropped]
    old = [[r[k] for k in keep] for r in fresh]
    with results.open("w", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(old[:-1])
    (out / "output_files.json").unlink()  # (an interrupted sweep has no record: sweepio.claim)
    capsys.readouterr()
    run_sweep(tmp_path / "spec.toml", out, progress=False)
    assert list(csv.reader(results.read_text().splitlines())) == old
    assert capsys.readouterr().err.count(f"was written before {said}: it keeps its header") == 1
    assert "capital needed" not in (out / "report.html").read_text()


def test_the_summary_keeps_margin_call_days_whole_and_prints_them():
    """Helper CAP22 (session 22): summary.json wrote days_with_margin_call as 17.0, and the sweep's capital line
    named peak margin and cap days only. A count is an int in summary.json and the third figure of the line
    (a folder from before the column keeps two)."""
    from vixhedge.sweep_summary import point_record
    from vixhedge.sweep_text import capital_words

    row = point_record({"point": "p", "days_with_margin_call": 17.0, "is_days_with_margin_call": 3.0,
                        "oos_days_with_margin_call": 14.0, "days_cut_by_capital_caps": 2.0})
    assert [type(row[k]) for k in ("days_with_margin_call", "is_days_with_margin_call")] == [int, int]
    assert capital_words({"is_peak_margin_utilisation": 0.452, "is_days_cut_by_capital_caps": 3,
                          "is_days_with_margin_call": 2}, "is_") == "45.20% / 3 / 2"
    assert capital_words({"peak_margin_utilisation": 0.452, "days_cut_by_capital_caps": 3}, "") == "45.20% / 3"


def test_the_readmes_condor_size_example_is_the_sweeps(market):
    """README "Capital, margin and ruin": ``vixhedge sweep examples/condor_size.toml`` (the default window, caps at
    1 x NAV) gives the capital needed and peak requirement it quotes per condor size, no margin call on any point."""
    from pathlib import Path

    from vixhedge import fmt

    points, _ = sw.expand(sw.load_spec("examples/condor_size.toml"), market)
    rows, back = K.run_points(points, market, None)
    assert back == [] and len(rows) == 5
    rows.sort(key=lambda r: r["condor.contracts"])
    assert [r["condor.contracts"] for r in rows] == [5, 10, 20, 40, 80]
    assert all(r["days_with_margin_call"] == 0 and r["capital_needed_usd"] < 1e6 for r in rows)
    text = " ".join(Path("README.md").read_text().split())
    for k in ("capital_needed_usd", "peak_margin_usd"):
        assert " / ".join(fmt.usd(r[k]) for r in rows) in text, k
    assert [r["days_cut_by_capital_caps"] for r in rows[3:]] == [15, 59] and "15 and 59 days" in text


def test_a_best_point_that_met_margin_calls_and_tests_of_other_books_are_said() -> None:
    """Trial RS25 (a sizing sweep on real data 2007-2022): the Sharpe-best point (5 condors, an 8-contract first
    layer) met 20 margin calls, needed $1,008,269 and drew down 98.99%, unsaid; its CVaR "beat no hedge" (tail SPA p
    0.00) against [base]'s 10 condors unhedged, where the same 5 condors unhedged did better still. Both are notes
    (console and page); the capital line gives the capital needed; the report's row calls it a lower bound there."""
    from vixhedge.capital_words import capital_needed_rows
    from vixhedge.sweep_text import called_words, capital_words, tests_apart_words

    best = {"condor.contracts": 5, "hedge.first_layer_contracts": 8, "days_with_margin_call": 20,
            "capital_needed_usd": 1008269.0, "max_drawdown": 0.9899, "peak_margin_utilisation": 1.1678,
            "days_cut_by_capital_caps": 243}
    s = {"best": best, "snooping": {"spa_pvalue": 0.0}}
    assert called_words(s) == (
        "the best point met a margin call on 20 sessions (capital needed $1,008,269, a lower bound: the calls' closes "
        "are part of its path, so funding it with that still meets calls) and drew down 98.99%: read results.csv's "
        "capital columns before choosing it")
    assert tests_apart_words(s).startswith("SPA / StepM test every point against [base]'s runs without a hedge and "
                                           "with the static one, whose condor.contracts is [base]'s")
    assert capital_words(best, "") == "116.78% / 243 / 20 / $1,008,269"
    quiet = {"best": {**best, "days_with_margin_call": 0, "condor.contracts": None}}
    assert called_words(quiet) == "" and tests_apart_words({"best": {"hedge.macd.fast": 8}, "snooping": {}}) == ""
    del quiet["best"]["condor.contracts"]
    assert tests_apart_words({**quiet, "snooping": {}}) == ""
    # one call is said (1 session); two swept keys outside [hedge] are plural; without SPA / StepM nothing is said
    assert called_words({"best": {**best, "days_with_margin_call": 1}}).startswith(
        "the best point met a margin call on 1 session (capital needed $1,008,269")
    two = {"best": {"condor.contracts": 5, "condor.width": 50}, "snooping_tail": {}}
    assert "whose condor.contracts, condor.width are [base]'s: where" in tests_apart_words(two)
    assert tests_apart_words({"best": two["best"]}) == ""
    # a side's capital words are its own columns ("is_"), not the whole window's; an older folder's: those it has
    side = {**best, "is_peak_margin_utilisation": 0.25, "is_days_cut_by_capital_caps": 1,
            "is_days_with_margin_call": 2, "is_capital_needed_usd": 1200000.0}
    assert capital_words(side, "is_") == "25.00% / 1 / 2 / $1,200,000"
    assert capital_words({k: v for k, v in side.items() if k.startswith("is_p") or k.endswith("caps")}, "is_") == (
        "25.00% / 1")
    row = {"capital_needed_usd": 1022055.0, "min_excess_liquidity_usd": -22055.0, "peak_margin_usd": 1.0,
           "peak_margin_per_condor_usd": 1.0}
    assert "a lower bound here" in capital_needed_rows({**row, "days_with_margin_call": 11})[1][2]
    assert "a lower bound" not in capital_needed_rows({**row, "days_with_margin_call": 0})[1][2]
    # trial RS40 L4: a ruined run's figure read as any other's (a ruin without a margin call before it)
    assert "a lower bound here: its ruin's liquidation" in capital_needed_rows({**row, "days_with_margin_call": 0},
                                                                               ruined=True)[1][2]
    # trial REV23: under portfolio margin the loan value is the NAV (Desk.loan_value), not cash and VX P&L
    words = {m: capital_needed_rows({**row, "margin_mode": m})[1][2] for m in ("reg_t", "portfolio")}
    assert "NAV less the portfolio-margin requirement" in words["portfolio"] and "not NAV" not in words["portfolio"]
    assert "options carrying no loan value, so not NAV less margin_usd" in words["reg_t"]


def test_lowest_excess_takes_a_checks_day_of_the_window_only_and_capital_metrics_read_every_day() -> None:
    """By hand. Window 2020-03-02, 03, 05 with day-end excess 100, 50, 80; opening checks on 02-28 (before the
    window), 03-03 (20) and 03-04 (not a session of the window) -30, 03-06 (after) -40: the days' lowest are 100,
    min(50, 20) = 20, 80 (the stray checks read on no day). Capital figures of excess -5, 10, 3 and requirement 7, 3,
    9 from cash 100: capital needed 100 - (-5) = 105 (the first day's low counts), peak requirement 9 (the last's).
    Trial RS40 M1, interest: with a dollar of the start grown to 1.1 on day 2 and 1.2 on day 3, excess -5, -11, 3 is
    -5, -10, 2.5 in dollars of the start: capital needed 110, not 111 (10 more at the start is 11 on day 2)."""
    import pandas as pd

    from vixhedge.run import lowest_excess, opening_checks

    days = np.array(["2020-03-02", "2020-03-03", "2020-03-05"], dtype="datetime64[D]")
    daily = pd.DataFrame({"excess_liquidity_usd": [100.0, 50.0, 80.0]})
    daily.attrs["checks"] = opening_checks({dt.date(2020, 2, 28): -10.0, dt.date(2020, 3, 3): 20.0,
                                            dt.date(2020, 3, 4): -30.0, dt.date(2020, 3, 6): -40.0})
    assert lowest_excess(daily, days).tolist() == [100.0, 20.0, 80.0]
    got = sweep_metrics._capital_metrics(np.array([1e3, 1e3, 1e3]), np.array([7.0, 3.0, 9.0]), np.zeros(3, bool),
                                         np.zeros(3, bool), np.array([-5.0, 10.0, 3.0]), 100.0, np.ones(3))
    assert (got["capital_needed_usd"], got["peak_margin_usd"]) == (105.0, 9.0)
    grown = sweep_metrics._capital_metrics(np.array([1e3, 1e3, 1e3]), np.array([7.0, 3.0, 9.0]), np.zeros(3, bool),
                                           np.zeros(3, bool), np.array([-5.0, -11.0, 3.0]), 100.0,
                                           np.array([1.0, 1.1, 1.2]))
    assert grown["capital_needed_usd"] == pytest.approx(110.0, abs=1e-12)
