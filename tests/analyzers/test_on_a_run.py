"""The analyzers on real short runs: attribution, hedge cost, vega drift and metrics reconcile with the ledger."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import vixhedge.run as runmod
from analyzers import metrics as M
from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge.core.instruments import Contract, Kind, Right

SHORT = {"start": "2015-06-01", "end": "2015-12-31"}  # holds the Aug 2015 vol spike
MULT = {"spx_option": 100.0, "vix_option": 100.0, "vx_future": 1000.0}


@pytest.fixture(scope="module")
def market():
    return build_market(C.load_default().market)


def _run(cfg, market):
    """Run and keep the desk (its ledger is the reference the analyzers must reconcile with)."""
    captured = {}
    orig = runmod._assemble

    def spy(cfg_, market_, signals, session):
        captured["broker"] = session.desk
        return orig(cfg_, market_, signals, session)

    runmod._assemble = spy
    try:
        res = runmod.run_backtest(cfg, market)
    finally:
        runmod._assemble = orig
    return res, captured["broker"]


@pytest.fixture(scope="module", params=["vx_future", "vix_call_spread"])
def run(request, market):
    hedge = {"instrument": request.param}
    if request.param == "vix_call_spread":
        hedge["first_layer_contracts"] = 20
    return _run(C.replace(C.load_default(), run=SHORT, hedge=hedge), market)


# ----------------------------------------------------------------------------- attribution

def test_components_sum_to_total_every_day_to_the_cent(run) -> None:
    res, _ = run
    a = res.attribution
    parts = a.drop(columns="total_pnl_usd")
    assert list(parts.columns[:2]) == ["condor:put", "condor:call"] and list(parts.columns[-2:]) == ["fees",
                                                                                                     "interest"]
    assert (parts.columns[2:-2].str.startswith("hedge:L")).all() and len(parts.columns) > 5
    np.testing.assert_allclose(parts.sum(axis=1), a["total_pnl_usd"], rtol=0, atol=0.005)
    np.testing.assert_allclose(a["total_pnl_usd"], res.daily["total_pnl_usd"], rtol=0, atol=1e-9)
    np.testing.assert_allclose(a["total_pnl_usd"].cumsum(), res.daily["nav_usd"] - res.config.run.initial_cash_usd,
                               rtol=0, atol=0.005)
    for group in ("condor", "hedge"):  # the components add up to the daily.csv groups
        cols = [c for c in parts.columns if c.startswith(group)]
        np.testing.assert_allclose(parts[cols].sum(axis=1), res.daily[f"{group}_pnl_usd"], rtol=0, atol=1e-6)


def test_condor_legs_against_the_trades(run, market) -> None:
    """A leg group's P&L over the run = its premiums + settlements + final marks, from trades.csv alone."""
    res, _ = run
    t = res.trades
    last_day = res.daily.index[-1]
    for right, comp in (("P", "condor:put"), ("C", "condor:call")):
        legs = t[t["component"] == comp]
        assert (legs["right"] == right).all() and len(legs)
        total = -(legs["qty"] * legs["price"] * 100.0).sum()
        for (expiry, strike), q in legs.groupby(["expiry", "strike"])["qty"].sum().items():
            if q == 0:
                continue
            i = market.index_of(min(expiry, last_day))
            if expiry <= last_day:
                s = market.data.spx_open[i]
                unit = max(s - strike, 0.0) if right == "C" else max(strike - s, 0.0)
            else:
                unit = market.quote(Contract(Kind.SPX_OPTION, expiry, strike, Right(right)), i).mid
            total += q * unit * 100.0
        assert res.attribution[comp].sum() == pytest.approx(total, abs=0.01), comp


# ----------------------------------------------------------------------------- hedge cost

def test_hedge_cost_reconciles_with_the_ledger_cash_flows(run) -> None:
    res, broker = run
    ledger = broker.ledger
    hc, layers = res.metrics["hedge_cost"], res.metrics["hedge_cost_layers"]
    flows = pd.DataFrame([{"component": f.component, "kind": f.kind, "amount": f.amount_usd} for f in ledger.flows])
    hedge_flows = flows[flows["component"].str.startswith("hedge")]
    by_kind = hedge_flows.groupby("kind")["amount"].sum()
    assert hc["premium_paid_usd"] + hc["premium_received_usd"] == pytest.approx(by_kind.get("premium", 0.0), abs=0.05)
    assert hc["futures_pnl_usd"] == pytest.approx(by_kind.get("futures_pnl", 0.0), abs=0.05)
    assert hc["settlement_usd"] == pytest.approx(by_kind.get("settlement", 0.0), abs=0.05)
    fees = res.trades.groupby("component")["fee_usd"].sum()
    for comp, row in layers.items():
        # cash flows + marks = the ledger's component value = the layer's attribution column; fees come on top
        assert row["net_pnl_usd"] == pytest.approx(res.attribution[comp].sum() - fees[comp], abs=0.02), comp
        by_exit = row["roll_pnl_usd"] + row["signal_exit_pnl_usd"] + row["settled_pnl_usd"] + row["open_pnl_usd"]
        assert by_exit + row["fees_usd"] == pytest.approx(row["net_pnl_usd"], abs=0.05), comp
    assert hc["net_pnl_usd"] == pytest.approx(res.daily["hedge_pnl_usd"].sum() - fees.filter(like="hedge").sum(),
                                              abs=0.05)
    credit = res.trades.query("reason == 'open' and component.str.startswith('condor')", engine="python")
    assert hc["condor_credit_usd"] == pytest.approx(-(credit["qty"] * credit["price"] * 100).sum(), abs=0.01)


def test_roll_carry_and_decay_by_instrument(run) -> None:
    res, _ = run
    hc = res.metrics["hedge_cost"]
    if res.config.hedge.instrument.value == "vx_future":
        assert hc["spread_decay_usd"] == 0.0 and hc["premium_paid_usd"] == 0.0
        assert hc["vx_roll_carry_usd"] == hc["roll_pnl_usd"] != 0.0  # rolls happened
        # roll P&L from trades.csv: each roll_out sells what the layer held since its last roll_in / entry
        t = res.trades[res.trades["component"].str.startswith("hedge")]
        roll = 0.0
        for _, g in t.groupby("component"):
            held_price = None
            for r in g.itertuples():
                if r.reason == "roll_out":
                    roll += -r.qty * (r.price - held_price) * 1000.0
                elif r.qty > 0:
                    held_price = r.price
        assert hc["vx_roll_carry_usd"] == pytest.approx(roll, abs=0.05)
    else:
        assert hc["vx_roll_carry_usd"] == 0.0 and hc["futures_pnl_usd"] == 0.0
        opt_pnl = hc["premium_paid_usd"] + hc["premium_received_usd"] + hc["settlement_usd"] + hc["open_marks_usd"]
        assert hc["spread_decay_usd"] == pytest.approx(-opt_pnl, abs=0.05)


def test_stress_payouts_against_pandas(run, market) -> None:
    res, _ = run
    d = res.daily
    i = np.array([market.index_of(x) for x in d.index])
    vix = pd.Series(market.data.vix_close[i], index=d.index)
    rise = pd.Series(market.data.vix_close[i] / market.data.vix_close[i - 1] - 1.0, index=d.index)
    k = int(0.05 * len(d))
    top = rise.nlargest(k)
    stress = (vix > 25.0) | d.index.isin(top[top > 0].index)
    hc = res.metrics["hedge_cost"]
    assert hc["stress_days"] == int(stress.sum()) > k  # Aug-Sep 2015 closes above 25
    # the rule text counts each test's days and those both flag, as pandas does; their union is the stress days
    above, rises = vix > 25.0, d.index.isin(top[top > 0].index)
    assert hc["stress_rule"] == (f"VIX close > 25 ({above.sum()} days) or a one-day VIX rise among the top 5% of "
                                 f"the {len(d)} days ({rises.sum()} days, {(above & rises).sum()} of them also above 25)")
    assert hc["stress_pnl_usd"] == pytest.approx(d.loc[stress, "hedge_pnl_usd"].sum(), abs=0.05)
    assert hc["condor_stress_pnl_usd"] == pytest.approx(d.loc[stress, "condor_pnl_usd"].sum(), abs=0.05)
    for comp, row in res.metrics["hedge_cost_layers"].items():
        assert row["stress_pnl_usd"] == pytest.approx(res.attribution.loc[stress, comp].sum(), abs=0.01)


def test_layers_csv_carries_each_layers_cost(run) -> None:
    res, _ = run
    layers = res.layers.set_index("layer_id")
    for comp, row in res.metrics["hedge_cost_layers"].items():
        lid = int(comp.removeprefix("hedge:L"))
        assert layers.loc[lid, "net_pnl_usd"] == row["net_pnl_usd"]
        assert layers.loc[lid, "vx_roll_carry_usd"] == row["vx_roll_carry_usd"]


# ----------------------------------------------------------------------------- vega drift

def test_vega_drift_summary_from_the_daily_columns(run) -> None:
    res, _ = run
    d = res.daily
    v = res.metrics["vega_drift"]
    active = d[d["condor_vega_usd"] != 0]
    lo, hi = res.config.analysis.hedge_ratio_band
    scale = active["condor_vega_usd"].abs()
    # the band in USD per point: net vega between condor + lo |condor| and condor + hi |condor|
    np.testing.assert_allclose(active["net_vega_band_low_usd"], active["condor_vega_usd"] + lo * scale, atol=1e-9)
    np.testing.assert_allclose(active["net_vega_band_high_usd"], active["condor_vega_usd"] + hi * scale, atol=1e-9)
    net = active["net_vega_usd"]
    below = (active["net_vega_band_low_usd"] - net).clip(lower=0)
    above = (net - active["net_vega_band_high_usd"]).clip(lower=0)
    np.testing.assert_allclose(active["vega_drift_usd"], below + above, rtol=1e-9, atol=1e-6)
    assert v["days_with_condor"] == len(active)
    assert v["mean_abs_drift_usd"] == pytest.approx((below + above).mean(), abs=0.01)
    assert v["max_drift_usd"] == pytest.approx((below + above).max(), abs=0.01)
    assert v["share_days_outside_band"] == pytest.approx(((below + above) > 1e-6).mean(), abs=1e-4)
    assert 0 < v["share_days_outside_band"] < 1
    assert d.loc[d["condor_vega_usd"] == 0, "net_vega_band_low_usd"].isna().all()


# ----------------------------------------------------------------------------- performance

def test_performance_from_the_daily_nav(run) -> None:
    res, _ = run
    d = res.daily
    p = res.metrics["performance"]
    a = res.config.analysis
    days = list(d.index.date)
    assert a.risk_free.value == "cash"  # the default: excess over what cash earns, the ledger's ACT/365 interest
    # the night after x earns the overnight rate dated x (Market.night_rate; the Desk credits it at the next open)
    rf = np.array([res.market.night_rate(x) * (y - x).days / 365.0 for x, y in zip(days, days[1:])])
    expected = M.summary(d["nav_usd"].to_numpy(), rf, a.periods_per_year, days)
    for k, v in expected.items():
        assert p[k] == (pytest.approx(v, rel=1e-12) if isinstance(v, float) else v), k
    tail = d.iloc[1:].nsmallest(int(0.05 * (len(d) - 1)), "total_pnl_usd")
    assert p["tail_days"] == len(tail)
    assert p["tail_hedge_condor_corr"] == pytest.approx(tail["hedge_pnl_usd"].corr(tail["condor_pnl_usd"]),
                                                        rel=1e-9)
    assert p["tail_hedge_pnl_usd"] == pytest.approx(tail["hedge_pnl_usd"].sum(), abs=0.01)
    months = d["nav_usd"].groupby(pd.to_datetime(d.index).strftime("%Y-%m")).last()
    start = pd.concat([pd.Series([d["nav_usd"].iloc[0]]), months.iloc[:-1]]).to_numpy()
    assert p["worst_month_label"] == (months / start - 1).idxmin()  # month-end NAV over the previous month-end
