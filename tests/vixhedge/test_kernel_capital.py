"""The kernel's capital paths (vixhedge.kernel_capital) against the event-driven Trader, on the embedded market.

Each case's config forces a capital path (strategies.capital: buying-power cuts of condor entries, layer adds,
rolls and the reopening of settled layers; the maintenance cure; ruin). For each: (a) the path fires on the event
path (orders cut by ``CapitalGuard.fit``, ``margin_call`` fills, a ruin day: outcomes counted on the run, not
switches read), (b) the kernel keeps the point, (c) its row equals the event path's (layer counts exact, metrics
to 1e-9, "ruined" the same day) and its daily NAV matches within 1e-6 USD (issue 16's bound) up to the ruin day.
The configs are extreme on purpose (the hedge budget at 1 x NAV, first layers of 60+ contracts, VX margins far
below CFE's levels so that a one-day move of the VX curve exceeds the account).
"""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest

from analyzers import metrics as M
from feeds.market import build_market
from strategies import capital, trader
from strategies.signalset import compute, inputs_from_market
from vixhedge import kernel as K
from vixhedge import sweep as sw
from vixhedge import sweep_metrics
from vixhedge.core import config as C
from vixhedge.run import _loop, daily_book, lowest_excess
from vixhedge.window import check_window
from vixhedge.sweep_spec import point_key

SPIKE = {"start": "2015-06-01", "end": "2016-03-31"}  # the August 2015 VIX spike (test_kernel.WINDOW)
YEAR = {"start": "2015-06-01", "end": "2016-06-30"}  # ... and the layers' first rolls
VOLMAGEDDON = {"start": "2017-10-02", "end": "2018-06-29"}  # February 2018
FULL = {"hedge_budget_nav_fraction": 1.0}
LOW_MARGIN = {**FULL, "vx_initial_usd": [1000.0, 5500.0, 5500.0],  # a roll into month 4+ needs 5.5x the margin
              "vx_maintenance_usd": [300.0, 300.0, 300.0]}
STATIC = {"mode": "static", "static_layers": 3, "max_layers": 3, "tenor_months": 5, "first_layer_contracts": 60}
ALONE = {"condor": {"enabled": False}}  # no condor: the layers alone use the account
CAPS = {"max_loss_cap_nav_fraction": 1.0, "margin_cap_nav_fraction": 1.0}
MID = {"execution": {"fill": "slippage", "slippage_fraction": 0.95}}  # near bid/ask; a bid-0 wing sells above 0

# (case, window, what must fire on the event path: counts of fit cuts by order kind / margin-call fills / ruin)
CASES = [
    ({"margin": FULL, "hedge": {"first_layer_contracts": 60}}, SPIKE, {"add layer": 1, "margin_call": 1}),
    ({"margin": {**FULL, "on_insufficient": "refuse"}, "hedge": {"first_layer_contracts": 60}}, SPIKE,
     {"add layer": 1, "margin_call": 1}),
    ({"margin": FULL, "hedge": {"first_layer_contracts": 60, "roll_days": 15, "review_bars": 1}}, SPIKE,
     {"condor": 1, "add layer": 1, "margin_call": 1}),  # roll_days 10 no longer cuts a condor (no layer
    # opens after a margin call; layers skip months rolling before their next review); no roll is cut since a flat
    # book opens the closest untraded expiry (README, Condor and baselines; counted 2026-12-03, roll_days 10-15):
    # cut rolls are cases 4 and 5
    ({"margin": FULL, "hedge": {"instrument": "vix_call_spread", "first_layer_contracts": 2000},  # option layers
      "condor": {"sizing": "margin", "margin_nav_fraction": 1.0, **CAPS}}, SPIKE, {"condor": 1, "add layer": 1}),
    ({"margin": LOW_MARGIN, "hedge": {**STATIC, "require_condor": False}, **ALONE}, YEAR, {"roll": 1}),
    ({"margin": {**LOW_MARGIN, "on_insufficient": "refuse"}, "hedge": {**STATIC, "require_condor": False}, **ALONE},
     YEAR, {"roll": 1}),  # refused rolls close their layers
    ({"margin": LOW_MARGIN, "hedge": {**STATIC, "roll_days": 0, "require_condor": False}, **ALONE}, YEAR,
     {"reopen": 1, "ruin": 1}),  # settled layers reopened smaller, then NAV <= 0
    ({"margin": {**FULL, "vx_initial_usd": [2000.0] * 3, "vx_maintenance_usd": [1500.0] * 3},  # the cure cuts the
      "hedge": {"first_layer_contracts": 300}, "condor": {"contracts": 150, **CAPS}}, SPIKE,  # condor
     {"margin_call": 1, "condor_call": 1}),
    ({"margin": {**FULL, "on_breach": "liquidate"}, "hedge": {"first_layer_contracts": 60, "require_condor": False},
      **ALONE}, SPIKE, {"margin_call": 1}),
    ({"margin": {**FULL, "vx_initial_usd": [300.0] * 3, "vx_maintenance_usd": [250.0] * 3},  # a breach no
      "execution": {"fee_vx_future_usd": 150.0},  # liquidation cures (closing 2,000+ contracts costs their fees;
      # at $20 a contract this path now ends in NAV <= 0 instead, no layer being added after a margin call)
      "hedge": {"first_layer_contracts": 5000, "require_condor": False, "review_bars": 1}, **ALONE}, YEAR,
     {"ruin": 1, "liquidation": 1}),
    ({"margin": {**FULL, "vx_initial_usd": [500.0] * 3, "vx_maintenance_usd": [450.0] * 3},
      "hedge": {"first_layer_contracts": 5000, "review_bars": 1}, "condor": {"contracts": 2, **CAPS}}, VOLMAGEDDON,
     {"ruin": 1, "margin_call": 1}),
    # portfolio margin (the condor's requirement its worst loss over the valuation points, its marks in equity), at
    # fills 95% of the way from the mid to the bid/ask: a wing bid at 0 sells above 0, so an exit leaves none open (a
    # wing left open is margined with the next condor, which the kernel hands to the event path:
    # test_kernel.test_a_wing_left_open_under_portfolio_margin_goes_to_the_event_path)
    ({"margin": {**FULL, "mode": "portfolio"}, "hedge": {"first_layer_contracts": 60}, **MID}, SPIKE,
     {"add layer": 1, "margin_call": 1}),
    ({"margin": {**FULL, "mode": "portfolio", "vx_initial_usd": [2000.0] * 3, "vx_maintenance_usd": [1500.0] * 3},
      "hedge": {"first_layer_contracts": 300}, "condor": {"contracts": 150, **CAPS}, **MID}, VOLMAGEDDON,
     {"add layer": 1, "margin_call": 1}),
    ({"margin": {**FULL, "mode": "portfolio", "vx_initial_usd": [2000.0] * 3, "vx_maintenance_usd": [1500.0] * 3},
      "hedge": {"first_layer_contracts": 150}, "condor": {"contracts": 80, **CAPS}, **MID}, SPIKE,
     {"margin_call": 1, "condor_call": 1}),  # the cure cuts the condor (portfolio margin)
    # a point left without its condor opens one the shared tape does not trade: it follows a branch of the tape
    ({"margin": {**FULL, "on_breach": "liquidate"}, "hedge": {"first_layer_contracts": 60}}, SPIKE,
     {"margin_call": 1, "condor_call": 1}),  # margin calls close everything, the condor too
    # ... far wings (wing_delta 0.01): the long call bid at 0 is left open by 5 of those margin calls (Trader._cure_breach,
    # as an exit does: strategies.condor.wings_left), to its expiry (counted on the event path, 2026-12-03)
    ({"margin": {**FULL, "on_breach": "liquidate"}, "hedge": {"first_layer_contracts": 60},
      "condor": {"wing_delta": 0.01}}, SPIKE, {"margin_call": 1, "condor_call": 1, "call_wings_left": 5}),
    ({"margin": {**FULL, "mode": "portfolio"}, "hedge": {"first_layer_contracts": 60, "roll_days": 10,
                                                         "review_bars": 1}, **MID}, SPIKE, {"condor": 1}),  # refused
    ({"margin": {**FULL, "vx_initial_usd": [1000.0] * 3, "vx_maintenance_usd": [900.0] * 3},  # the caps refuse
      "hedge": {"first_layer_contracts": 2000}}, SPIKE, {"condor cap": 1, "margin_call": 1}),
]


@pytest.fixture(scope="module")
def market():
    return build_market(C.MarketConfig())


def _point(overrides: dict, window: dict) -> sw.Point:
    cfg = C.replace(C.load_default(), run=window, **overrides)
    return sw.Point(point_key(cfg), {}, cfg)


def _midpoint(window: dict) -> dt.date:
    start, end = (dt.date.fromisoformat(window[k]) for k in ("start", "end"))
    return start + (end - start) / 2


def _fired(cfg: C.Config, market, monkeypatch) -> dict[str, int]:
    """Run ``cfg`` on the event path with its journal; count what its capital did (see CASES)."""
    counts = dict.fromkeys(("condor", "add layer", "roll", "reopen", "restrike", "margin_call", "condor_call",
                            "ruin", "liquidation", "condor cap", "call_wings_left", "call_days"), 0)
    fit, cap, sync, syncing = capital.CapitalGuard.fit, capital.CapitalGuard.cap, trader.Trader._sync_settled, []

    def counted_cap(self, n, limit, what, why):
        out = cap(self, n, limit, what, why)
        counts["condor cap"] += what == "condor" and out < 1  # the capital caps refuse a condor
        return out

    def counted_fit(self, unit, n, what, base=()):
        k = fit(self, unit, n, what, base)
        kind = "reopen" if syncing else what.split(" x")[0].split(" L")[0]
        counts[kind] += k < n
        return k

    def counted_sync(self, i):
        syncing.append(i)
        try:
            return sync(self, i)
        finally:
            syncing.pop()

    monkeypatch.setattr(capital.CapitalGuard, "fit", counted_fit)
    monkeypatch.setattr(capital.CapitalGuard, "cap", counted_cap)
    monkeypatch.setattr(trader.Trader, "_sync_settled", counted_sync)
    i0, i1 = check_window(cfg, market)
    desk, t = _loop(cfg, market, compute(inputs_from_market(market, cfg.hedge), cfg.hedge), i0, i1)
    calls = [f for f in desk.ledger.fills if f.reason == "margin_call"]
    counts["margin_call"] = len(calls)
    counts["condor_call"] = sum(f.component.startswith("condor") for f in calls)
    counts["call_wings_left"] = sum(r["exit_reason"] == "margin_call" and r["wings_left"] != "" for r in t.condor_log)
    counts["ruin"] = int(t.capital.ruin is not None)
    counts["call_days"] = len(t.capital.breach_days)  # sessions that opened with a margin call (not the ruin's)
    counts["liquidation"] = int(t.capital.ruin is not None and "liquidation" in t.capital.ruin["cause"])
    # metrics.json capital's capital_needed_usd and peak_margin_usd (vixhedge.run._assemble: the valid span's
    # day-end figures, to the ruin day, and every session's check, a breach's or the ruin's)
    ruin_day = dt.date.fromisoformat(t.capital.ruin["date"]) if t.capital.ruin else dt.date.max
    span = [r for r in desk.records if r.date <= ruin_day]
    # (each day's lowest excess, its check's or its end's, over a dollar of the start's growth to it, as run.py's:
    # trial RS40 M1)
    day_low = np.array([min(r.excess_liquidity_usd, t.capital.checks.get(r.date, np.inf)) for r in span])
    need = M.capital_needed(cfg.run.initial_cash_usd, np.array([r.margin_usd for r in span]),
                            np.array([r.excess_liquidity_usd for r in span]), t.capital.low_excess_usd, np.zeros(0),
                            growth=M.cash_growth(market.cash_returns([r.date for r in span])), day_low=day_low)
    counts["needed"], counts["peak"] = need["capital_needed_usd"], need["peak_margin_usd"]
    return counts


@pytest.mark.parametrize("case, window, fires", CASES, ids=[f"case{i}" for i in range(len(CASES))])
def test_the_kernel_replays_the_capital_path_as_the_event_path(market, monkeypatch, case, window, fires):
    p = _point(case, window)
    assert K.kernel_covers(p.config) is None
    counts = _fired(p.config, market, monkeypatch)
    assert all(counts[what] >= least for what, least in fires.items()), counts  # (a) the path fires
    row = _assert_kernel_equals_event(p, market, window, bool(counts["ruin"]))
    # the sweep's days_with_margin_call (the kernel's, equal to the event path's row above) is the run's count
    # (metrics.json capital.days_with_margin_call: CapitalGuard.breach_days), >= 1 where a margin call closed a position
    sides = row["is_days_with_margin_call"], row["oos_days_with_margin_call"]  # (NaN out of sample: ruined in it)
    assert row["days_with_margin_call"] == counts["call_days"], (row["days_with_margin_call"], counts)
    assert math.isnan(sides[1]) or sum(sides) == counts["call_days"], sides
    assert counts["call_days"] >= 1 or not fires.get("margin_call")
    # ... and its capital_needed_usd and peak_margin_usd (equal to the event path's row above) the run's metrics.json
    # figures, to the cent; over the initial cash exactly when a session opened with a breach (a margin call, a ruin)
    assert row["capital_needed_usd"] == pytest.approx(counts["needed"], rel=0, abs=0.005), (row, counts)
    assert row["peak_margin_usd"] == pytest.approx(counts["peak"], rel=0, abs=0.005), (row, counts)
    called = counts["call_days"] > 0 or counts["ruin"] > 0
    assert (row["capital_needed_usd"] > p.config.run.initial_cash_usd) == called, (row["capital_needed_usd"], counts)


def _assert_kernel_equals_event(p: sw.Point, market, window: dict, ruined: bool) -> dict:
    """(b) the kernel keeps ``p``, (c) its row equals the event path's and its daily NAV within 1e-6 USD; return
    the row."""
    # rows split in and out of sample, as a sweep with in_sample_end (a point ruined in sample: NaN out of sample)
    split = _midpoint(window)
    rows, back = K.run_points([p], market, split)
    assert back == []  # (b) the kernel keeps the point
    (_, out, k, days), = K.outcomes([p], market)
    ref = sweep_metrics.run_point(p, market, split)  # (c) the event path's row
    row = rows[0]
    assert row.keys() == ref.keys() and row["hedge_layers"] == ref["hedge_layers"]
    assert row["ruined"] == ref["ruined"] and bool(row["ruined"]) == ruined
    for key, value in ref.items():
        if isinstance(value, float):
            assert row[key] == pytest.approx(value, rel=1e-9, abs=1e-9, nan_ok=True), key
        elif isinstance(value, np.ndarray):
            np.testing.assert_allclose(row[key], value, rtol=0, atol=1e-12)
        else:
            assert row[key] == value, key
    daily, _ = daily_book(p.config, market)
    upto = int(out.ruin[k]) if out.ruin[k] >= 0 else len(days)
    np.testing.assert_allclose(out.nav[k][:upto], daily["nav_usd"].to_numpy()[:upto], rtol=0, atol=1e-6)
    return row


# A partial margin call that leaves a wing bid at 0 open (Trader._cure_breach: the fewest condors, their wings bid at 0
# kept), which none of the configured cases above makes (the cure closes layers first, or everything): the condor
# alone (hedge mode none), 10 condors with far wings (wing_delta 0.01), and one night's cash drained on a chosen
# day through its overnight rate (Market.night_rate: the Desk and the kernel both accrue it), so that the next open
# finds the excess liquidity at -usd. (day, usd, the call's condors wanted -> allowed, its fills: the legs sold or
# bought back; measured on the event path, 2026-12-03)
PARTIAL = [("2015-06-08", 70000.0, [10, 7], 3),  # one wing left, carried to its expiry through the window
           ("2016-03-17", 25000.0, [10, 9], 2)]  # both wings left


@pytest.mark.parametrize("day, usd, call, fills", PARTIAL, ids=["one_wing", "both_wings"])
@pytest.mark.parametrize("book", ["numpy", ""], ids=["numpy", "compiled"])
def test_a_partial_margin_call_leaving_a_wing_bid_at_0_is_replayed_by_the_kernel(market, monkeypatch, day, usd, call,
                                                                                   fills, book):
    from vixhedge import kernel_jit
    from vixhedge.run import run_backtest

    if book == "" and kernel_jit.numba is None:
        pytest.skip("numba (the optional extra) is not installed")
    monkeypatch.setenv(kernel_jit.ENV, book)  # the compiled book hands the breach to the numpy book (MAINT)
    p = _point({"hedge": {"mode": "none"}, "condor": {"wing_delta": 0.01, "contracts": 10, **CAPS}}, SPIKE)
    d = run_backtest(p.config, market, engine="fast").daily  # undrained: Reg-T, no layer: the loan value is cash
    j = d.index.get_loc(pd.Timestamp(day))
    excess, cash = d["excess_liquidity_usd"].iloc[j], d["excess_liquidity_usd"].iloc[j] + d["margin_usd"].iloc[j]
    nights = (d.index[j + 1] - d.index[j]).days
    monkeypatch.setitem(market._night_of, dt.date.fromisoformat(day), -(excess + usd) * 365.0 / (cash * nights))
    res, bt = (run_backtest(p.config, market, engine=engine) for engine in ("fast", "backtrader"))
    cuts = res.capital_cuts
    calls = cuts[(cuts["kind"] == "margin_call") & (cuts["what"] == "condor")]
    assert calls[["wanted", "allowed"]].values.tolist() == [call]  # (a) one partial call
    called = res.trades[res.trades["reason"] == "margin_call"]
    assert len(called) == fills and (called["qty"].abs() == call[0] - call[1]).all()  # a wing (or two) not sold
    held = res.condors[res.condors["entry_date"] < called.index[0]].iloc[-1]  # the condor it cut: logged at its
    assert held["exit_reason"] != "margin_call" and held["wings_left"] != ""  # final close, with the wings left
    for a, b in ((res.trades, bt.trades), (res.condors, bt.condors), (cuts, bt.capital_cuts)):
        pd.testing.assert_frame_equal(a, b)  # the two event engines agree
    _assert_kernel_equals_event(p, market, SPIKE, False)


def test_compact_closes_up_holes_in_layer_order():
    from vixhedge.kernel_capital import State

    st = State(2, 4, 1e6, empty=9)
    st.n[:] = 4
    st.qty[:] = [[1, 2, 3, 4], [5, 6, 7, 8]]
    st.col[:] = [[1, 2, 3, 4], [5, 6, 7, 8]]
    st.drop(np.array([True, False]), 1, None)
    st.drop(np.array([True, True]), 3, None)
    assert st.live().tolist() == [2, 3]
    st.compact(None)
    assert st.n.tolist() == [2, 3] and not st.hole.any()
    assert st.qty.tolist() == [[1, 3, 0, 0], [5, 6, 7, 0]]
    assert st.col.tolist() == [[1, 3, 9, 9], [5, 6, 7, 9]]


def test_portfolio_margin_changes_the_kernel_result(market):
    """The portfolio-margin case above against the same config under Reg-T: its margin calls and buying power
    differ (on the event path, 12 days with a margin call against 14 in this window), and so does the kernel's NAV."""
    pm, reg_t = (_point({"margin": {**FULL, "mode": mode}, "hedge": {"first_layer_contracts": 60}, **MID}, SPIKE)
                 for mode in ("portfolio", "reg_t"))
    nav = {p.key: o.nav[k].copy() for p, o, k, _ in K.outcomes([pm, reg_t], market)}
    assert np.abs(nav[pm.key] - nav[reg_t.key]).max() > 1.0


@pytest.mark.parametrize("compiled", [False, True])
def test_more_wings_left_than_the_kernel_tracks_hands_the_point_back_with_its_reason(market, monkeypatch, compiled):
    """The review of the session: the wing-slot overflow (kernel_desk.WINGS slots of wings left open per point) was
    never exercised. With one slot, the far-wing margin-call case above (its wings bid at 0 left open) goes to the
    event path, saying why."""
    from vixhedge import kernel_desk, kernel_jit

    if compiled and not kernel_jit.available():
        pytest.skip("numba (the optional extra) is not installed")
    monkeypatch.setattr(kernel_desk, "WINGS", 1)  # (4 by default)
    monkeypatch.setattr(kernel_jit, "WINGS", 1)
    monkeypatch.setattr(kernel_jit, "available", lambda: compiled)
    case, window, _ = next(c for c in CASES if c[0].get("condor", {}).get("wing_delta") == 0.01)
    p = _point(case, window)
    rows, back = K.run_points([p], market, None)
    assert rows == [] and len(back) == 1 and back[0][0] is p, back
    assert "more condor wings left open than the kernel tracks" in str(back[0]), back


FAR_CALLS = {"hedge": {"instrument": "vix_call_spread", "spread_long_otm": 0.5}, "condor": {"contracts": 10, **CAPS}}


def _drain(p: sw.Point, market, monkeypatch, day: str, usd: float) -> None:
    """Drain one night's cash on ``day`` through its overnight rate so that the next open finds the excess liquidity
    of ``p``'s run (as drained so far) at -``usd`` (as PARTIAL)."""
    from vixhedge.run import run_backtest

    d = run_backtest(p.config, market, engine="fast").daily
    j = d.index.get_loc(pd.Timestamp(day))
    excess, cash = d["excess_liquidity_usd"].iloc[j], d["excess_liquidity_usd"].iloc[j] + d["margin_usd"].iloc[j]
    nights = (d.index[j + 1] - d.index[j]).days
    monkeypatch.setitem(market._night_of, dt.date.fromisoformat(day), -(excess + usd) * 365.0 / (cash * nights))


def test_a_margin_call_leaves_a_vix_option_layer_whose_long_call_bids_0_and_the_kernel_replays_it(market, monkeypatch):
    """A margin call closes the layers newest first (Trader._cure_breach), but one whose close would bring nothing
    after fees (here its long call bids 0) is left to expire (strategies.layers.LayerActions._leave: a debit spread
    needs no margin, so closing it cures nothing and costs the short call's ask and the fees). Calls 50% out of the
    money (L6's bid is 0 on 2015-10-08: test_kernel.LEFT) and 10 condors, one night's cash drained before 2015-10-08
    ($5,000 below 0 at the open): the call leaves L6
    (layers.csv ``margin_call+left_to_expire``), sells no VIX option and closes 1 of the 10 condors (measured on the
    event path, 2026-12-03); the two event engines agree and the kernel replays it."""
    from vixhedge.run import run_backtest

    p = _point(FAR_CALLS, SPIKE)
    _drain(p, market, monkeypatch, "2015-10-07", 5000.0)
    res, bt = (run_backtest(p.config, market, engine=engine) for engine in ("fast", "backtrader"))
    cuts = res.capital_cuts
    calls = cuts[cuts["kind"] == "margin_call"]
    # the layer left to expire is verb "leave", not "close" (review 2026-12-03: nothing of it was closed)
    assert calls[["what", "verb", "wanted", "allowed"]].values.tolist() == [["L6", "leave", 1, 0],
                                                                           ["condor", "close", 10, 9]]
    layers = res.layers.set_index("layer_id")
    assert layers.loc[6, "exit_reason"] == "margin_call+left_to_expire"
    called = res.trades[res.trades["reason"] == "margin_call"]
    assert len(called) == 4 and (called["kind"] == "spx_option").all()  # the condor's legs only
    for a, b in ((res.trades, bt.trades), (res.layers, bt.layers), (cuts, bt.capital_cuts)):
        pd.testing.assert_frame_equal(a, b)
    _assert_kernel_equals_event(p, market, SPIKE, False)


def test_a_ruin_abandons_the_layers_left_to_expire_and_the_kernel_replays_it(market, monkeypatch):
    """... then $1.2M drained before 2015-10-15 (NAV ~ $1M): the ruin's liquidation abandons the legs of L6, left to
    expire (VIX 2015-10-21 35C bid 0.00, the 40C asked 0.05: closing them would pay $5 and $2.20 of fees a unit), and
    those of L7, which a review left to expire on 2015-09-22 (LayerActions._closes_for_nothing; measured on the
    event path, 2026-12-07): strategies.ruin (brief FIX36R) lets them go at 0, no fee (trades.csv ruin+abandoned),
    one capital_cuts.csv row each (``L6 VIX 2015-10-21 35C``, verb abandon), so the debt written off falls from
    $998,911.20 (main at f8cc9b7, which sold them: 35C at 0.00, 40C bought at 0.05, fees paid) to $998,889.60, by
    L6's $5 + $2.20 and L7's $10 + $4.40 (measured on both, /tmp/fix36r/l6case.py, 2026-12-07); the kernel counts
    them at 0 in the liquidation value and the hedge value (kernel_options.OptionSlots.liquidation): its row equals
    the event path's, ruined the same day."""
    from vixhedge.run import run_backtest

    p = _point(FAR_CALLS, SPIKE)
    _drain(p, market, monkeypatch, "2015-10-07", 5000.0)
    _drain(p, market, monkeypatch, "2015-10-14", 1.2e6)
    res = run_backtest(p.config, market, engine="fast")
    assert res.metrics["ruin"]["date"] == "2015-10-15"
    cuts = res.capital_cuts
    ruin = cuts[cuts["kind"] == "ruin"]
    assert ruin["what"].tolist() == ["condor", "L6 VIX 2015-10-21 35C", "L6 VIX 2015-10-21 40C",
                                     "L7 VIX 2015-10-21 35C", "L7 VIX 2015-10-21 40C"]
    assert ruin["verb"].tolist() == ["close", "abandon", "abandon", "abandon", "abandon"]
    gone = res.trades[res.trades["component"].isin(["hedge:L6", "hedge:L7"]) & (res.trades.index == "2015-10-15")]
    assert gone[["qty", "price", "fee_usd", "reason"]].values.tolist() == [
        [-1, 0.0, 0.0, "ruin+abandoned"], [1, 0.0, 0.0, "ruin+abandoned"],
        [-2, 0.0, 0.0, "ruin+abandoned"], [2, 0.0, 0.0, "ruin+abandoned"]]
    assert res.metrics["ruin"]["debt_written_off_usd"] == pytest.approx(998889.60, abs=0.005)
    _assert_kernel_equals_event(p, market, SPIKE, True)


def test_a_ruin_days_requirement_is_0_and_its_lowest_excess_the_ruins_check_capped_at_0() -> None:
    """outcome()'s ruin-day overrides, by hand (the closed account: no position, no cash; its day's check the
    breach): point 0 ruined on day 2 with a check of -3 (its close read 50 as if still held): NAV 100, 50, 0,
    requirement 5, 7, 0 (not 9), lowest excess 10, 4, -3; point 1 ruined on day 1 by NAV <= 0 with a check of +2:
    its day's excess min(2, 0) = 0; point 2 never ruined keeps its figures."""
    from types import SimpleNamespace

    from vixhedge.kernel_capital import outcome

    st = SimpleNamespace(ruined=np.array([2, 1, -1]), ruin_hedge=np.zeros(3), ruin_condor=np.zeros(3),
                         ruin_check=np.array([-3.0, 2.0, 0.0]), ruin_added=np.array([1, 1, 0]),
                         added=np.array([4, 4, 2]), reason=[""] * 3, bad=np.zeros(3, bool))
    grid = np.array([[100.0, 50.0, 20.0]] * 3)
    margin, excess = np.array([[5.0, 7.0, 9.0]] * 3), np.array([[10.0, 4.0, 50.0]] * 3)
    out = outcome(st, grid.copy(), grid.copy(), grid.copy(), margin, np.zeros((3, 3), bool), np.zeros((3, 3), bool),
                  excess, (np.zeros((3, 3)),) * 3)
    assert out.nav.tolist() == [[100.0, 50.0, 0.0], [100.0, 0.0, 20.0], [100.0, 50.0, 20.0]]
    assert out.margin.tolist() == [[5.0, 7.0, 0.0], [5.0, 0.0, 9.0], [5.0, 7.0, 9.0]]
    assert out.excess.tolist() == [[10.0, 4.0, -3.0], [10.0, 0.0, 50.0], [10.0, 4.0, 50.0]]


def test_a_portfolio_margin_book_without_a_call_needs_its_closes_lowest_nav_less_requirement(market) -> None:
    """Under portfolio margin the loan value is the NAV (Desk.loan_value): with no margin call the lowest excess is
    a day-end one, NAV (the condor's marks in it) less the requirement; the kernel's capital_needed_usd equals the
    event path's (a kernel reading cash and the VX P&L alone, as under Reg-T, would miss the condor's marks)."""
    p = _point({"margin": {**FULL, "mode": "portfolio"}, **MID}, SPIKE)
    row = _assert_kernel_equals_event(p, market, SPIKE, False)
    assert row["days_with_margin_call"] == 0 and row["capital_needed_usd"] < p.config.run.initial_cash_usd
    (_, out, k, _), = K.outcomes([p], market)  # ... and each day's lowest excess, not only the window's lowest
    daily, _ = daily_book(p.config, market)
    low = lowest_excess(daily, sweep_metrics.bar_days(daily))
    np.testing.assert_allclose(out.excess[k], low, rtol=0, atol=1e-6)


def test_a_point_the_kernel_hands_back_runs_on_the_event_path_in_the_sweep(market, monkeypatch):
    """MUT26 SP5 (sweep_paths.run_points dropped the kernel's ``back``): the point handed back above (one wing slot,
    the far-wing margin-call case) is still one row of the sweep's batch, its path (``_path``) the kernel's reason,
    its metrics the event path's own row (sweep_metrics.run_point: the reference computed independently of the
    kernel, as in _assert_kernel_equals_event)."""
    from vixhedge import kernel_desk, kernel_jit, sweep_paths

    monkeypatch.setattr(kernel_desk, "WINGS", 1)
    monkeypatch.setattr(kernel_jit, "WINGS", 1)
    case, window, _ = next(c for c in CASES if c[0].get("condor", {}).get("wing_delta") == 0.01)
    p = _point(case, window)
    assert sweep_paths.event_reason(p, "fast", "auto") is None  # a point the kernel covers, until it hands it back
    rows = sweep_paths.run_points([p], market, None, "fast", "auto")
    assert len(rows) == 1, rows
    row = dict(rows[0])
    assert "more condor wings left open than the kernel tracks" in row.pop(sweep_paths.PATH), rows
    ref = sweep_metrics.run_point(p, market, None)
    assert row.keys() == ref.keys()
    for key, value in ref.items():
        if isinstance(value, float):
            assert row[key] == pytest.approx(value, rel=0, abs=0, nan_ok=True), key
        elif isinstance(value, np.ndarray):
            np.testing.assert_array_equal(row[key], value)
        else:
            assert row[key] == value, key
