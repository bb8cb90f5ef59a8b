"""Tests for feeds.market.Market on the embedded data (arch SPX OHLC + VIX closes, 2014-01-03..2018-12-31).

References: SPX monthly expirations and VX settlement dates recomputed by hand from the third-Friday
and 30-day rules (MARKET_RULES.md), the chain functions of feeds.chains called directly with the
Market's inputs (independent of the Market's caching and fallback paths), and the raw data arrays for
settlement values.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest

from feeds import chains
from feeds.calendars import front_vx_contract
from feeds.embedded import load_embedded
from feeds.market import Market, build_market
from feeds.marketquotes import VX_TICK, vx_bid_ask
from feeds.marketdata import DataError, MarketData
from feeds.vxcurve import two_factor_beta, two_factor_states
from vixhedge.core.config import MarketConfig, VxSeries
from vixhedge.core.instruments import Contract, Kind, Quote, Right

D = dt.date
DAY = D(2018, 1, 2)  # SPX 2695.81 / VIX 9.77 close: VIX far below the VX long-run level (contango)
STRESS = D(2018, 2, 5)  # VIX 37.32 close: backwardation
SPX_EXP = D(2018, 2, 16)  # third Friday of Feb 2018, 45 DTE from DAY
VX_EXP = D(2018, 2, 14)  # VXG18: Wednesday 30 days before Fri 2018-03-16


@pytest.fixture(scope="module")
def market() -> Market:
    return Market(load_embedded(), MarketConfig())


def _quote_fields(q: Quote) -> tuple[float, ...]:
    return tuple(getattr(q, f.name) for f in dataclasses.fields(q))


def _on_tick_grid(x: float) -> bool:
    tick = 0.05 if x < 3.0 else 0.10
    return abs(x / tick - round(x / tick)) < 1e-9


# --- basics ------------------------------------------------------------------------------------------


def test_index_of(market: Market) -> None:
    assert market.index_of(D(2014, 1, 3)) == 0
    assert market.index_of(D(2018, 12, 31)) == 1256
    assert market.days[market.index_of(DAY)] == DAY


@pytest.mark.parametrize(
    "day",
    [D(2014, 4, 18), D(2018, 2, 17), D(2014, 1, 2), D(2019, 1, 2)],
    ids=["good-friday", "saturday", "before-data", "after-data"],
)
def test_index_of_non_day_raises(market: Market, day: dt.date) -> None:
    with pytest.raises(DataError, match=rf"{day} is not a day of the market data \(2014-01-03..2018-12-31\)"):
        market.index_of(day)


def test_settlement_proxies_are_named(market: Market) -> None:
    # embedded data has no VIX open: the VRO proxy is the settlement day's VIX close
    assert market.settlement_proxies == {"spx_am_soq": "spx_open", "vix_vro": "vix_close"}
    assert market.vro_proxy is market.data.vix_close


def test_vx_series_are_the_continuous_curve(market: Market) -> None:
    np.testing.assert_array_equal(market.vx_series(VxSeries.FRONT), market.vx.continuous(1))
    np.testing.assert_array_equal(market.vx_series(VxSeries.SECOND), market.vx.continuous(2))
    front = market.vx_series(VxSeries.FRONT)
    assert np.isfinite(front).all() and len(front) == 1257
    i = market.index_of(DAY)
    assert front[i] == market.vx.prices[i, market.vx.column(front_vx_contract(DAY).settlement)]
    # contango on a calm day, backwardation on a stress day (VX long-run level 20)
    second = market.vx_series(VxSeries.SECOND)
    assert market.data.vix_close[i] < front[i] < second[i]
    s = market.index_of(STRESS)
    assert market.data.vix_close[s] > front[s] > second[s]


def test_build_market_uses_embedded_data() -> None:
    m = build_market(MarketConfig())
    assert m.data is load_embedded()
    assert len(m.days) == 1257


# --- expiries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "window", "expected"),
    [
        # 45 DTE to the third Friday 2018-02-16; Jan 19 (17 DTE) and Mar 16 (73 DTE) are outside 30..60
        (D(2018, 1, 2), (30, 60, 45), D(2018, 2, 16)),
        # Good Friday 2014-04-18 is a holiday: the April monthly expires Thursday 2014-04-17 (45 DTE)
        (D(2014, 3, 3), (30, 60, 45), D(2014, 4, 17)),
        # Mar 21 is only 29 DTE: the only expiry in the window is Thu 2014-04-17 (56 DTE)
        (D(2014, 2, 20), (30, 60, 45), D(2014, 4, 17)),
        # 2014-02-03: Mar 21 (46 DTE) beats Apr 17 (73 DTE, outside the window)
        (D(2014, 2, 3), (30, 60, 45), D(2014, 3, 21)),
        # wide window: 2016-06-01 -> Jun 17 (16), Jul 15 (44), Aug 19 (79); 44 is closest to 45
        (D(2016, 6, 1), (1, 400, 45), D(2016, 7, 15)),
        # closest to a long target: Sep 16 2016 (107 DTE) vs Oct 21 (142); target 120 -> Sep 16
        (D(2016, 6, 1), (1, 400, 120), D(2016, 9, 16)),
        # no monthly expiry in 2..3 DTE on 2018-01-02 (Jan 19 is 17 DTE)
        (D(2018, 1, 2), (2, 3, 2), None),
    ],
    ids=["feb-2018", "good-friday-2014", "only-one-in-window", "march-2014", "wide-window", "long-target",
         "none"],
)
def test_spx_expiry(market: Market, day: dt.date, window: tuple[int, int, int], expected: dt.date | None) -> None:
    assert market.spx_expiry(market.index_of(day), *window) == expected


def test_spx_expiry_on_expiry_day_counts_zero_dte(market: Market) -> None:
    i = market.index_of(D(2018, 2, 16))
    assert market.spx_expiry(i, 0, 10, 0) == D(2018, 2, 16)


# --- chains ------------------------------------------------------------------------------------------


def test_spx_chain_is_cached_per_day_and_expiry(market: Market) -> None:
    i = market.index_of(DAY)
    chain = market.spx_chain(i, SPX_EXP)
    assert market.spx_chain(i, SPX_EXP) is chain
    assert market.spx_chain(i + 1, SPX_EXP) is not chain
    assert market.spx_chain(i, D(2018, 3, 16)) is not chain
    vix = market.vix_chain(i, VX_EXP)
    assert market.vix_chain(i, VX_EXP) is vix


def test_a_copy_with_other_vx_prices_shares_the_spx_chains_it_would_price_the_same(market: Market) -> None:
    """SPX chains read the SPX close, vol indices, rates and surface, never the VX curve: a copy whose VX prices
    differ prices the same chain (checked on a fresh copy) and may reuse the original's; other SPX inputs may not."""
    i = market.index_of(DAY)
    shifted = Market(market.data, market.cfg)
    shifted.vx = dataclasses.replace(market.vx, prices=market.vx.prices + 1.0)
    fresh = shifted.spx_chain(i, SPX_EXP)
    ref = market.spx_chain(i, SPX_EXP)
    np.testing.assert_array_equal(fresh.put.mid, ref.put.mid)
    np.testing.assert_array_equal(fresh.call.bid, ref.call.bid)
    copy = Market(market.data, market.cfg).share_spx_chains(market)
    assert copy.spx_chain(i, SPX_EXP) is ref
    other = Market(market.data, dataclasses.replace(market.cfg, div_yield=market.cfg.div_yield + 0.01))
    with pytest.raises(ValueError, match="SPX inputs differ"):
        other.share_spx_chains(market)


def test_spx_chain_uses_the_days_close_and_the_config(market: Market) -> None:
    i = market.index_of(DAY)
    cfg = market.cfg
    chain = market.spx_chain(i, SPX_EXP)
    t = 45 / 365.0
    assert chain.t_years == pytest.approx(t, rel=1e-15)
    assert chain.underlying == market.data.spx_close[i]
    ref = chains.spx_chain(float(market.data.spx_close[i]), float(market.data.vix_close[i]), SPX_EXP, t, market.rate_on(DAY),
                           cfg.div_yield, cfg.spx_smile, cfg.vx_curve, cfg.spreads, levels=market.day_levels(i))
    np.testing.assert_array_equal(chain.strikes, ref.strikes)
    np.testing.assert_allclose(chain.call.mid, ref.call.mid, rtol=1e-14, atol=1e-12)
    np.testing.assert_allclose(chain.put.mid, ref.put.mid, rtol=1e-14, atol=1e-12)


def test_vix_chain_priced_off_the_same_expiry_future(market: Market) -> None:
    i = market.index_of(DAY)
    j = market.vx.column(VX_EXP)
    fut = float(market.vx.prices[i, j])
    chain = market.vix_chain(i, VX_EXP)
    assert chain.underlying == fut and chain.forward == fut
    assert abs(fut - market.data.vix_close[i]) > 1.0  # the future, not spot VIX (9.77)
    t = (VX_EXP - DAY).days / 365.0
    # Black-76 parity on the future: C - P = exp(-rT) (F - K)
    np.testing.assert_allclose(chain.call.mid - chain.put.mid, math.exp(-market.rate_on(DAY) * t) * (fut - chain.strikes),
                               rtol=0, atol=1e-10)
    beta = two_factor_beta(_slow_level(market, i), t, market.cfg.vx_curve)
    assert chain.vix_beta == pytest.approx(float(beta), rel=1e-14)


def _slow_level(market: Market, i: int) -> float:
    """The two-factor slow level ``m`` of day ``i`` (the premium's slope, hence the VIX beta, reads it)."""
    return float(two_factor_states(market.data.dates, market.data.vix_close, market.cfg.vx_curve)[0][i])


def test_vix_chain_after_settlement_is_a_data_error(market: Market) -> None:
    i = market.index_of(D(2018, 2, 15))
    with pytest.raises(DataError, match="VX 2018-02-14 has no price on 2018-02-15"):
        market.vix_chain(i, VX_EXP)


# --- quotes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("right", list(Right), ids=str)
def test_quote_spx_option_matches_chain(market: Market, right: Right) -> None:
    i = market.index_of(DAY)
    chain = market.spx_chain(i, SPX_EXP)
    for strike in (chain.nearest_delta(right, 0.05), chain.nearest_delta(right, 0.20), 2700.0):
        q = market.quote(Contract(Kind.SPX_OPTION, SPX_EXP, strike, right), i)
        assert q == chain.quote(strike, right)
        assert 0.0 <= q.bid <= q.mid <= q.ask
        assert _on_tick_grid(q.bid) and _on_tick_grid(q.ask)


@pytest.mark.parametrize("right", list(Right), ids=str)
def test_quote_vix_option_matches_chain(market: Market, right: Right) -> None:
    i = market.index_of(DAY)
    chain = market.vix_chain(i, VX_EXP)
    for strike in (12.0, 15.0, 20.0):
        q = market.quote(Contract(Kind.VIX_OPTION, VX_EXP, strike, right), i)
        assert q == chain.quote(strike, right)
        assert 0.0 <= q.bid <= q.mid <= q.ask
        assert q.vix_beta == pytest.approx(q.delta * chain.vix_beta, rel=1e-15)


@pytest.mark.parametrize("day", [DAY, STRESS], ids=["contango", "backwardation"])
def test_vx_quote_around_the_curve_price(market: Market, day: dt.date) -> None:
    i = market.index_of(day)
    for n in (1, 2, 3):
        settlement = front_vx_contract(day, n).settlement
        j = market.vx.column(settlement)
        q = market.quote(Contract(Kind.VX_FUTURE, settlement), i)
        assert q == market.vx_quote(i, settlement)
        assert q.mid == market.vx.prices[i, j]
        assert q.bid <= q.mid <= q.ask
        for px in (q.bid, q.ask):
            assert abs(px / VX_TICK - round(px / VX_TICK)) < 1e-9  # on the 0.05 VX tick
        # exactly the configured full spread (0.05, one tick): it used to round each side outwards to 0.10
        assert q.ask - q.bid == pytest.approx(market.cfg.spreads.vx_future, abs=1e-9)
        assert q.delta == 1.0
        tau = (settlement - day).days / 365.0
        assert q.vix_beta == pytest.approx(float(two_factor_beta(_slow_level(market, i), tau, market.cfg.vx_curve)),
                                           rel=1e-14)


def test_vx_quote_of_an_expired_contract_is_a_data_error(market: Market) -> None:
    with pytest.raises(DataError, match="VX 2018-02-14 is not listed on 2018-02-15"):
        market.vx_quote(market.index_of(D(2018, 2, 15)), VX_EXP)


@pytest.mark.parametrize("right", list(Right), ids=str)
@pytest.mark.parametrize("where", ["below-grid", "off-step", "above-grid"])
def test_quote_spx_strike_outside_grid_prices_it_alone(market: Market, right: Right, where: str) -> None:
    i = market.index_of(DAY)
    grid = market.spx_chain(i, SPX_EXP).strikes
    strike = {"below-grid": float(grid[0]) - 500.0, "off-step": 2702.5, "above-grid": float(grid[-1]) + 500.0}[where]
    with pytest.raises(KeyError):
        market.spx_chain(i, SPX_EXP).index(strike)
    q = market.quote(Contract(Kind.SPX_OPTION, SPX_EXP, strike, right), i)
    # reference: a chain, priced directly, whose grid includes the strike
    cfg = market.cfg
    wide = np.sort(np.concatenate([grid, [strike]]))
    ref = chains.spx_chain(float(market.data.spx_close[i]), float(market.data.vix_close[i]), SPX_EXP, 45 / 365.0,
                           market.rate_on(market.days[i]), cfg.div_yield, cfg.spx_smile, cfg.vx_curve, cfg.spreads, strikes=wide,
                           levels=market.day_levels(i))  # the day's indices, estimated from VIX and its EMA
    # same model, same inputs: equal to the last ulps (bitwise here; SIMD paths may differ by an ulp elsewhere)
    np.testing.assert_allclose(_quote_fields(q), _quote_fields(ref.quote(strike, right)), rtol=1e-12, atol=1e-12)
    assert q.bid == ref.quote(strike, right).bid and q.ask == ref.quote(strike, right).ask
    assert 0.0 <= q.bid <= q.mid <= q.ask


@pytest.mark.parametrize("strike", [2.0, 100.0], ids=["below-grid", "above-grid"])
def test_quote_vix_strike_outside_grid_prices_it_alone(market: Market, strike: float) -> None:
    i = market.index_of(DAY)
    grid = market.vix_chain(i, VX_EXP).strikes
    assert strike < grid[0] or strike > grid[-1]
    cfg = market.cfg
    fut = float(market.vx.prices[i, market.vx.column(VX_EXP)])
    wide = np.sort(np.concatenate([grid, [strike]]))
    ref = chains.vix_chain(fut, market.vix_chain(i, VX_EXP).vix_beta, VX_EXP, (VX_EXP - DAY).days / 365.0, market.rate_on(DAY),
                           cfg.vix_smile, cfg.spreads, strikes=wide)
    for right in Right:
        q = market.quote(Contract(Kind.VIX_OPTION, VX_EXP, strike, right), i)
        np.testing.assert_allclose(_quote_fields(q), _quote_fields(ref.quote(strike, right)), rtol=1e-12, atol=1e-12)


# --- settlement --------------------------------------------------------------------------------------


def test_settlement_value_spx_option_is_expiry_day_open(market: Market) -> None:
    c = Contract(Kind.SPX_OPTION, SPX_EXP, 2700.0, Right.PUT)
    # SPX open 2018-02-16: 2727.139893 in the arch/Yahoo file
    assert market.settlement_value(c) == market.data.spx_open[market.index_of(SPX_EXP)]
    assert market.settlement_value(c) == pytest.approx(2727.14, abs=0.005)
    good_friday = Contract(Kind.SPX_OPTION, D(2014, 4, 17), 1800.0, Right.CALL)
    assert market.settlement_value(good_friday) == market.data.spx_open[market.index_of(D(2014, 4, 17))]


@pytest.mark.parametrize(
    "contract",
    [Contract(Kind.VX_FUTURE, VX_EXP), Contract(Kind.VIX_OPTION, VX_EXP, 20.0, Right.CALL)],
    ids=["vx-future", "vix-option"],
)
def test_settlement_value_vix_contracts_is_settlement_day_vix_close(market: Market, contract: Contract) -> None:
    i = market.index_of(VX_EXP)
    assert market.settlement_value(contract) == market.data.vix_close[i]
    assert market.settlement_value(contract) == pytest.approx(19.26, abs=1e-9)  # ^VIX close 2018-02-14
    # the curve converges to the same value on settlement day
    assert market.vx.prices[i, market.vx.column(VX_EXP)] == market.data.vix_close[i]


def test_settlement_on_a_non_day_raises(market: Market) -> None:
    with pytest.raises(DataError, match="2014-04-18 is not a day"):
        market.settlement_value(Contract(Kind.SPX_OPTION, D(2014, 4, 18), 1800.0, Right.CALL))


def test_vix_open_is_used_when_the_data_has_it() -> None:
    base = load_embedded().window(D(2018, 1, 2), D(2018, 3, 30))
    vix_open = base.vix_close * 1.01
    data = MarketData(base.dates, base.spx_open, base.spx_high, base.spx_low, base.spx_close, base.vix_close,
                      vix_open, "test-with-vix-open")
    m = Market(data, MarketConfig())
    assert m.settlement_proxies == {"spx_am_soq": "spx_open", "vix_vro": "vix_open"}
    i = m.index_of(VX_EXP)
    assert m.settlement_value(Contract(Kind.VX_FUTURE, VX_EXP)) == vix_open[i]
    assert m.vx.prices[i, m.vx.column(VX_EXP)] == vix_open[i]


@pytest.mark.parametrize("settle", [16.65, 15.60, 20.0])  # the 2014-03-03 / 03-04 April VX settles (../shared/data)
def test_a_vx_settle_on_the_grid_is_the_bid_and_the_ask_a_tick_above(settle: float) -> None:
    """README "Quotes and fills": on a real settle (on the 0.05 grid) the bid is the settle (the tick nearest
    settle - 0.025, halves up), so a buy pays a full tick over the mark and a sell none."""
    assert vx_bid_ask(settle, 0.05) == (settle, round(settle + VX_TICK, 2))


@pytest.mark.parametrize("spread", [0.05, 0.10, 0.15])
@pytest.mark.parametrize("mid", [15.0, 15.01, 15.024, 15.025, 15.049, 33.3333])
def test_vx_bid_ask_is_the_configured_width(mid: float, spread: float) -> None:
    bid, ask = vx_bid_ask(mid, spread)
    assert ask - bid == pytest.approx(spread, abs=1e-9)  # the model mid is rarely on the grid
    assert bid <= mid <= ask
    assert abs(bid / VX_TICK - round(bid / VX_TICK)) < 1e-9  # on the 0.05 VX tick
