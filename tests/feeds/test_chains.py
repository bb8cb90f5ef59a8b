"""Tests for feeds.chains: quote construction, SPX (BSM) and VIX (Black-76) chains.

Independent references: scalar vixhedge.core.pricing.bsm_price / black76_price per strike (fast path vs
scalar path, STYLE.md rule 8), put-call parity (MARKET_RULES.md "Pricing conventions"), the smile
formulas of the feeds.chains docstring recomputed here with math.*, and the Cboe option tick
(0.05 below 3.00, 0.10 at or above; MARKET_RULES.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds.chains import (
    SPX_STRIKE_STEP,
    OptionChain,
    atm_vol,
    make_quote,
    make_quotes,
    option_tick,
    spx_chain,
    spx_chains,
    spx_strike_grid,
    vix_atm_levels,
    vix_chain,
)
from vixhedge.core.config import SmileModel, SpreadConfig, SpxSmileConfig, VixSmileConfig, VxCurveConfig
from vixhedge.core.instruments import Right
from vixhedge.core.pricing import black76_price, bsm_price

D = dt.date
# Explicit model parameters (not the config defaults, which may be recalibrated): the hand values below use them.
SMILE = SpxSmileConfig(model=SmileModel.VIX_ANCHORED, vix_to_atm=0.85, skew=-0.20, curvature=0.033,
                       min_vol_fraction=0.5)
CURVE = VxCurveConfig(long_run_level=20.0, mean_reversion_per_year=3.0)
VIX_SMILE = VixSmileConfig(atm_vol=0.85, term_exponent=0.25, skew=0.6)
SPREADS = SpreadConfig(spx_option_fraction=0.04, spx_option_min=0.10, spx_option_max=3.00,
                       vix_option_fraction=0.06, vix_option_min=0.05, vix_option_max=0.50, vx_future=0.05)
SPOT, VIX, RATE, DIV = 2700.0, 15.0, 0.01, 0.02
T45 = 45 / 365.0
EXPIRY = D(2018, 3, 16)


def _on_tick_grid(price: np.ndarray) -> np.ndarray:
    """True where price is a multiple of its tick (0.05 below 3.00, 0.10 at or above)."""
    price = np.asarray(price, dtype=np.float64)
    tick = np.where(price < 3.0, 0.05, 0.10)
    steps = price / tick
    return np.abs(steps - np.round(steps)) < 1e-9


@pytest.fixture(scope="module")
def spx() -> OptionChain:
    return spx_chain(SPOT, VIX, EXPIRY, T45, RATE, DIV, SMILE, CURVE, SPREADS)


@pytest.fixture(scope="module")
def vix_opt() -> OptionChain:
    return vix_chain(17.3, 0.6, D(2018, 3, 21), 30 / 365.0, RATE, VIX_SMILE, SPREADS)


# --- ticks and quotes --------------------------------------------------------------------------------


def test_option_tick_boundary() -> None:
    np.testing.assert_array_equal(option_tick(np.array([0.0, 2.95, 2.999, 3.0, 57.3])),
                                  [0.05, 0.05, 0.05, 0.10, 0.10])


@pytest.mark.parametrize(
    ("mid", "bid", "ask"),
    [
        (1.00, 0.95, 1.05),  # width max(0.04 * 1, 0.10) = 0.10: two 0.05 ticks, bid the tick nearest 0.95
        (10.0, 9.80, 10.20),  # width 0.40: four 0.10 ticks around 10.00
        (2.98, 2.95, 3.10),  # width 0.1192 -> 2 ticks of 0.05 (mid < 3): 2.95 / 3.05; an ask >= 3 moves to 3.10
        (3.02, 3.00, 3.10),  # width 0.1208 -> 1 tick of 0.10 (mid >= 3); bid nearest 2.96 is 3.00
        (0.0, 0.0, 0.10),  # worthless: bid 0, ask two ticks (the 0.10 minimum)
        (0.01, 0.0, 0.10),  # bid floored at 0
        (200.0, 198.5, 201.5),  # 4% = 8.00 capped at 3.00 -> 30 ticks, +-1.50
    ],
)
def test_make_quotes_hand_values(mid: float, bid: float, ask: float) -> None:
    # fraction 0.04, min 0.10, max 3.00, power 1 (the proportional rule; hand-rounded references)
    b, a = make_quotes(np.array([mid]), 0.04, 0.10, 3.00, 1.0)
    assert b[0] == pytest.approx(bid, abs=1e-12)
    assert a[0] == pytest.approx(ask, abs=1e-12)


def test_make_quotes_power_rule() -> None:
    # the SPX rule fitted on all 2019 days: width 0.1162 * mid^0.42 (spreads.json all_days_rule): mid 6.5 -> 0.256 -> 0.3
    b, a = make_quotes(np.array([6.5, 44.0]), 0.1162, 0.05, 3.00, 0.42)
    np.testing.assert_allclose(a - b, [0.3, 0.6], atol=1e-12)  # 0.1162 * 44^0.42 = 0.569 -> 6 ticks


@pytest.mark.parametrize("mid", [0.09999999999, 0.1000000001, 2.9999999999, 3.0000000001, 0.3, 5.0])
def test_make_quotes_zero_width_never_crosses_mid(mid: float) -> None:
    # Regression: with a zero width the 1e-9 tick snap put the bid above (ask below) a mid a hair off the grid.
    bid, ask = make_quotes(np.array([mid]), 0.0, 0.0, 0.0, 1.0)
    assert bid[0] <= mid <= ask[0]
    assert _on_tick_grid(bid).all() and _on_tick_grid(ask).all()
    assert ask[0] - bid[0] == pytest.approx(0.05 if mid < 3 else 0.10)  # one tick apart


# Mids anywhere, plus mids within 1e-9 of a 0.05 grid point (where tick snapping is delicate).
_MIDS = st.one_of(
    st.floats(0.0, 500.0),
    st.builds(lambda k, eps: max(0.0, k * 0.05 + eps), st.integers(0, 4000), st.floats(-1e-9, 1e-9)),
)
_WIDTHS = st.one_of(st.just(0.0), st.floats(0.0, 5.0))


@given(
    mids=st.lists(_MIDS, min_size=1, max_size=20),
    fraction=st.one_of(st.just(0.0), st.floats(0.0, 0.99)),
    min_width=_WIDTHS,
    extra=_WIDTHS,
    power=st.sampled_from([0.0, 0.42, 1.0]),
)
def test_make_quotes_properties(mids: list[float], fraction: float, min_width: float, extra: float,
                                power: float) -> None:
    mid = np.array(mids)
    bid, ask = make_quotes(mid, fraction, min_width, min_width + extra, power)
    assert (bid >= 0.0).all()
    assert (bid <= mid).all(), (bid, mid)
    assert (mid <= ask).all(), (mid, ask)
    assert (bid <= ask).all()  # never crossed
    assert (ask >= 0.05 - 1e-12).all()
    assert _on_tick_grid(bid).all() and _on_tick_grid(ask).all()
    # the quote is the configured width rounded to whole ticks (at least one)
    width = np.clip(fraction * mid ** power, min_width, min_width + extra)
    tick = np.where(mid < 3.0, 0.05, 0.10)
    ticks = np.maximum(np.rint(width / tick), 1.0) * tick
    extra = np.where((mid < 3.0) & (ask >= 3.0), 0.05, 0.0)  # an ask >= 3.00 moved up to the 0.10 grid
    assert ((ask - bid >= ticks - 1e-9) & (ask - bid <= ticks + extra + 1e-9)).all()


# --- SPX chain ---------------------------------------------------------------------------------------


def test_atm_vol_formula() -> None:
    # VIX at the long-run level: vbar = theta for every T, so sigma_atm = 0.85 * 20 / 100 = 0.17 exactly.
    for t in (1 / 365, 0.1, 1.0):
        assert atm_vol(20.0, t, SMILE, CURVE) == pytest.approx(0.17, rel=1e-14)
    # Docstring formula: vbar = theta + (VIX - theta) (1 - exp(-kT)) / (kT)
    kt = 3.0 * T45
    vbar = 20.0 + (15.0 - 20.0) * (1.0 - math.exp(-kt)) / kt
    assert atm_vol(15.0, T45, SMILE, CURVE) == pytest.approx(0.85 * vbar / 100.0, rel=1e-13)
    # T -> 0: vbar -> spot VIX
    assert atm_vol(30.0, 0.0, SMILE, CURVE) == pytest.approx(0.85 * 30.0 / 100.0, rel=1e-7)


def test_strike_grid_steps_and_brackets_forward(spx: OptionChain) -> None:
    k = spx.strikes
    np.testing.assert_array_equal(np.mod(k, SPX_STRIKE_STEP), 0.0)
    np.testing.assert_array_equal(np.diff(k), SPX_STRIKE_STEP)
    assert k[0] <= spx.forward <= k[-1]
    assert spx.forward == pytest.approx(SPOT * math.exp((RATE - DIV) * T45), rel=1e-15)
    # documented span: 6 sd below to 4 sd above the forward, rounded outwards to the grid
    sd = atm_vol(VIX, T45, SMILE, CURVE) * math.sqrt(T45)
    assert k[0] == math.floor(spx.forward * math.exp(-6 * sd) / 5) * 5
    assert k[-1] == math.ceil(spx.forward * math.exp(4 * sd) / 5) * 5


@pytest.mark.parametrize("forward", [3.0, 7.0, 2712.34, 5000.0])
def test_strike_grid_never_below_one_step(forward: float) -> None:
    k = spx_strike_grid(forward, 0.9, 1.0)
    assert k[0] >= SPX_STRIKE_STEP and k[0] <= max(forward, SPX_STRIKE_STEP) and k[-1] >= forward


def test_spx_put_call_parity(spx: OptionChain) -> None:
    # C - P = S exp(-qT) - K exp(-rT) (MARKET_RULES.md, BSM with continuous dividend yield)
    lhs = spx.call.mid - spx.put.mid
    rhs = SPOT * math.exp(-DIV * T45) - spx.strikes * math.exp(-RATE * T45)
    np.testing.assert_allclose(lhs, rhs, rtol=0, atol=1e-8)


def test_spx_chain_equals_scalar_pricing(spx: OptionChain) -> None:
    # Independent path: one scalar bsm_price call per strike with the chain's own vol.
    for j in range(0, len(spx.strikes), 7):
        k, vol = float(spx.strikes[j]), float(spx.call.iv[j])
        assert spx.put.iv[j] == vol
        call = bsm_price(SPOT, k, T45, RATE, DIV, vol, True)
        put = bsm_price(SPOT, k, T45, RATE, DIV, vol, False)
        assert spx.call.mid[j] == pytest.approx(call, rel=1e-12, abs=1e-12)
        assert spx.put.mid[j] == pytest.approx(put, rel=1e-12, abs=1e-12)


def test_spx_smile_formula_and_put_skew(spx: OptionChain) -> None:
    sig = atm_vol(VIX, T45, SMILE, CURVE)
    for j in range(len(spx.strikes)):
        z = min(4.0, max(-4.0, math.log(spx.strikes[j] / spx.forward) / (sig * math.sqrt(T45))))
        expected = sig * max(0.5, 1.0 - 0.20 * z + 0.033 * z * z)  # docstring formula, SMILE parameters
        assert spx.call.iv[j] == pytest.approx(expected, rel=1e-13)
    atm = int(np.argmin(np.abs(spx.strikes - spx.forward)))
    assert spx.put.iv[0] > spx.put.iv[atm]  # put skew
    # at the clip z = -4: sigma_atm * (1 + 0.8 + 0.528) = 2.328 sigma_atm
    assert spx.put.iv[0] == pytest.approx(2.328 * sig, rel=1e-12)
    # vol never rises from the lowest strike up to the ATM strike (flat where z is clipped at -4)
    assert (np.diff(spx.put.iv[: atm + 1]) <= 0).all()
    unclipped = np.log(spx.strikes / spx.forward) / (sig * math.sqrt(T45)) > -4
    assert (np.diff(spx.put.iv[: atm + 1])[unclipped[1: atm + 1]] < 0).all()


def test_spx_deltas_monotone_in_strike(spx: OptionChain) -> None:
    assert (np.diff(spx.call.delta) <= 1e-15).all()
    assert (np.diff(spx.put.delta) <= 1e-15).all()  # put delta falls from ~0 towards -e^{-qT}
    assert spx.call.delta[0] > 0.99 * math.exp(-DIV * T45) and spx.call.delta[-1] < 0.01
    # call - put delta = exp(-qT) (parity differentiated in S)
    np.testing.assert_allclose(spx.call.delta - spx.put.delta, math.exp(-DIV * T45), atol=1e-12)


def test_spx_quotes_bracket_mid(spx: OptionChain) -> None:
    for side in (spx.call, spx.put):
        assert (side.bid <= side.mid).all() and (side.mid <= side.ask).all() and (side.bid >= 0).all()
        assert _on_tick_grid(side.bid).all() and _on_tick_grid(side.ask).all()


def test_spx_chain_on_explicit_strikes_matches_full_chain(spx: OptionChain) -> None:
    pick = spx.strikes[[3, 40, 41, len(spx.strikes) - 2]]
    sub = spx_chain(SPOT, VIX, EXPIRY, T45, RATE, DIV, SMILE, CURVE, SPREADS, strikes=pick)
    for k in pick:
        for right in Right:
            assert _quotes_close(sub.quote(k, right), spx.quote(k, right))


def _quotes_close(a, b) -> bool:
    fields = ("bid", "ask", "mid", "delta", "gamma", "vega", "theta", "vix_beta")
    return all(math.isclose(getattr(a, f), getattr(b, f), rel_tol=1e-12, abs_tol=1e-12) for f in fields)


def test_chain_quote_and_index(spx: OptionChain) -> None:
    j = 20
    k = float(spx.strikes[j])
    q = spx.quote(k, Right.PUT)
    assert (q.bid, q.ask, q.mid, q.delta, q.gamma, q.vega, q.theta) == (
        spx.put.bid[j], spx.put.ask[j], spx.put.mid[j], spx.put.delta[j], spx.put.gamma[j],
        spx.put.vega[j], spx.put.theta[j])
    assert q.vix_beta == 0.0  # SPX options carry no VX exposure
    assert spx.index(k + 1e-12) == j and spx.index(k - 1e-12) == j
    with pytest.raises(KeyError, match=r"strike 2702.5 not in the 2018-03-16 chain"):
        spx.index(2702.5)
    with pytest.raises(KeyError, match="not in the"):
        spx.index(float(spx.strikes[-1]) + 5.0)


def test_nearest_delta(spx: OptionChain) -> None:
    k = spx.nearest_delta(Right.PUT, 0.20)
    j = spx.index(k)
    assert abs(abs(spx.put.delta[j]) - 0.20) == pytest.approx(np.min(np.abs(np.abs(spx.put.delta) - 0.20)))
    assert k < spx.forward < spx.nearest_delta(Right.CALL, 0.20)


def test_spx_chain_at_expiry_is_intrinsic() -> None:
    c = spx_chain(SPOT, VIX, EXPIRY, 0.0, RATE, DIV, SMILE, CURVE, SPREADS)
    np.testing.assert_allclose(c.call.mid, np.maximum(SPOT - c.strikes, 0.0), atol=1e-12)
    np.testing.assert_allclose(c.put.mid, np.maximum(c.strikes - SPOT, 0.0), atol=1e-12)


# --- VIX chain ---------------------------------------------------------------------------------------


def test_vix_parity_off_the_future(vix_opt: OptionChain) -> None:
    fut, t = 17.3, 30 / 365.0
    assert vix_opt.underlying == fut and vix_opt.forward == fut
    # Black-76: C - P = exp(-rT) (F - K) (MARKET_RULES.md)
    np.testing.assert_allclose(vix_opt.call.mid - vix_opt.put.mid,
                               math.exp(-RATE * t) * (fut - vix_opt.strikes), rtol=0, atol=1e-10)


def test_vix_chain_equals_scalar_black76(vix_opt: OptionChain) -> None:
    t = 30 / 365.0
    for j, k in enumerate(vix_opt.strikes):
        vol = float(vix_opt.call.iv[j])
        assert vix_opt.call.mid[j] == pytest.approx(black76_price(17.3, k, t, RATE, vol, True), rel=1e-12, abs=1e-12)
        assert vix_opt.put.mid[j] == pytest.approx(black76_price(17.3, k, t, RATE, vol, False), rel=1e-12,
                                                   abs=1e-12)


def test_vix_strikes_and_upward_skew(vix_opt: OptionChain) -> None:
    k = vix_opt.strikes
    # the listed grid (vixhedge.core.vixstrikes, as the 2016-06-01 DataShop chain lists: half points below 15, whole
    # to 30, then 2.5) from floor(17.3 / 2) = 8 to ceil(17.3 x 3) = 52
    np.testing.assert_array_equal(k, np.r_[np.arange(8.0, 15.0, 0.5), np.arange(15.0, 31.0), np.arange(32.5, 50.1, 2.5)])
    assert k[0] == math.floor(17.3 * 0.5) and k[-1] <= math.ceil(17.3 * 3.0)
    assert (np.diff(vix_opt.call.iv) > 0).all()  # upward VIX skew
    # docstring formula at T = 30 days (term factor 1): 0.85 * max(0.3, 1 + 0.6 ln(K/F))
    expected = 0.85 * np.maximum(0.3, 1.0 + 0.6 * np.log(k / 17.3))
    np.testing.assert_allclose(vix_opt.call.iv, expected, rtol=1e-13)


def test_vix_term_structure_of_vol() -> None:
    # (T / 30d)^-0.25: a 120-day option has 4^-0.25 = 1/sqrt(2) of the 30-day vol at the money
    c = vix_chain(20.0, 0.3, D(2018, 6, 20), 120 / 365.0, RATE, VIX_SMILE, SPREADS, strikes=np.array([20.0]))
    assert c.call.iv[0] == pytest.approx(0.85 / math.sqrt(2.0), rel=1e-13)


def test_vix_quote_scales_delta_by_vix_beta(vix_opt: OptionChain) -> None:
    q = vix_opt.quote(20.0, Right.CALL)
    j = vix_opt.index(20.0)
    assert q.delta == vix_opt.call.delta[j]
    assert q.vix_beta == pytest.approx(0.6 * q.delta, rel=1e-15)
    assert q.bid <= q.mid <= q.ask


def test_vix_chain_on_explicit_strikes_matches_full_chain(vix_opt: OptionChain) -> None:
    sub = vix_chain(17.3, 0.6, D(2018, 3, 21), 30 / 365.0, RATE, VIX_SMILE, SPREADS, strikes=np.array([25.0]))
    for right in Right:
        assert _quotes_close(sub.quote(25.0, right), vix_opt.quote(25.0, right))


# --- scalar quote and real-chain gaps (feeds.realquotes) ---------------------------------------------


@given(st.floats(0.0, 600.0), st.sampled_from([(0.04, 0.10, 3.00, 1.0), (0.06, 0.05, 0.50, 1.0), (0.0, 0.0, 0.0, 1.0),
                                               (0.1162, 0.05, 3.00, 0.42), (0.1105, 0.05, 0.5, 0.14)]))
def test_make_quote_equals_make_quotes_bit_for_bit(mid: float, width: tuple[float, float, float, float]) -> None:
    # reference: the vectorised make_quotes (the model chains' rule); the anchored marks use the scalar one
    bid, ask = make_quotes(np.array([mid]), *width)
    assert make_quote(mid, *width) == (float(bid[0]), float(ask[0]))


def test_make_quote_on_tick_boundaries() -> None:
    mids = np.round(np.arange(0.0, 12.0, 0.005), 3)  # every half tick, the rounding edge cases
    for rule in ((0.04, 0.10, 3.00, 1.0), (0.1162, 0.05, 3.00, 0.42)):
        bid, ask = make_quotes(mids, *rule)
        assert [make_quote(float(m), *rule) for m in mids] == list(zip(bid.tolist(), ask.tolist()))


def test_chain_with_an_unquoted_right_skips_it() -> None:
    chain = spx_chain(SPOT, VIX, D(2018, 3, 16), 45 / 365, RATE, DIV, SMILE, CURVE, SPREADS,
                      strikes=np.array([2600.0, 2700.0, 2800.0]))
    nan_side = dataclasses.replace(chain.call, mid=np.array([np.nan, 40.0, 5.0]),
                                   delta=np.array([np.nan, 0.5, 0.2]))
    real = dataclasses.replace(chain, call=nan_side)
    with pytest.raises(KeyError, match="C 2600 is not quoted in the 2018-03-16 chain"):
        real.quote(2600.0, Right.CALL)
    assert real.quote(2600.0, Right.PUT) == chain.quote(2600.0, Right.PUT)
    assert real.nearest_delta(Right.CALL, 0.95) == 2700.0  # the NaN delta of 2600 is never the nearest


@pytest.mark.parametrize("model", [SmileModel.VIX_ANCHORED, SmileModel.SURFACE])
@pytest.mark.parametrize("t_years", [T45, 2 / 365.0, 0.0])
def test_both_rights_in_one_pass_equal_one_pass_per_right(model, t_years):
    """Calls and puts are priced in one vectorised call (cold start): every array equals pricing each right alone."""
    from vixhedge.core.pricing import black76_greeks, bsm_greeks

    smile = dataclasses.replace(SpxSmileConfig(), model=model) if model is SmileModel.SURFACE else SMILE
    chains = [(spx_chain(SPOT, VIX, EXPIRY, t_years, RATE, DIV, smile, CURVE, SPREADS),
               lambda c, call: bsm_greeks(SPOT, c.strikes, t_years, RATE, DIV, c.call.iv, call),
               (SPREADS.spx_option_fraction, SPREADS.spx_option_min, SPREADS.spx_option_max, SPREADS.spx_option_power)),
              (vix_chain(17.3, 0.6, D(2018, 3, 21), t_years, RATE, VIX_SMILE, SPREADS),
               lambda c, call: black76_greeks(17.3, c.strikes, t_years, RATE, c.call.iv, call),
               (SPREADS.vix_option_fraction, SPREADS.vix_option_min, SPREADS.vix_option_max, SPREADS.vix_option_power))]
    for chain, alone, spread in chains:
        for side, call in ((chain.call, True), (chain.put, False)):
            g = alone(chain, call)
            bid, ask = make_quotes(np.asarray(g.price), *spread)
            for got, want in ((side.mid, g.price), (side.bid, bid), (side.ask, ask), (side.delta, g.delta),
                              (side.gamma, g.gamma), (side.vega, g.vega), (side.theta, g.theta)):
                np.testing.assert_array_equal(got, want)


def _chain_arrays(c: OptionChain) -> list:
    return [c.t_years, c.underlying, c.forward, c.strikes] + [getattr(side, f.name) for side in (c.call, c.put)
                                                              for f in dataclasses.fields(side)]


@pytest.mark.parametrize("model", [SmileModel.VIX_ANCHORED, SmileModel.SURFACE])
def test_spx_chains_of_several_days_equal_each_day_alone_bit_for_bit(model: SmileModel) -> None:
    """Batching days (Market prices an expiry's next days together, issue 16) never changes a number: every array
    of every chain is byte-equal to pricing its day alone, on each smile model, with and without index levels."""
    smile = SMILE if model is SmileModel.VIX_ANCHORED else SpxSmileConfig()
    spots, vixes = [2001.3, 1987.65, 2050.0, 1890.2], [14.2, 16.9, 12.05, 31.7]
    ts, rates = [45 / 365, 44 / 365, 41 / 365, 0.0], [0.0125, 0.013, 0.0131, 0.0129]
    levels = [[13.1, 14.2, 15.9, 17.0, 18.2, 131.0], [np.nan] * 6, [11.0, 12.05, np.nan, 15.0, 16.5, 140.2],
              [35.0, 31.7, 27.0, 25.1, 24.0, 118.0]]
    for lv in (None, levels):
        batch = spx_chains(spots, vixes, EXPIRY, ts, rates, 0.018, smile, CURVE, SpreadConfig(), levels=lv)
        for k, chain in enumerate(batch):
            alone = spx_chain(spots[k], vixes[k], EXPIRY, ts[k], rates[k], 0.018, smile, CURVE, SpreadConfig(),
                              levels=None if lv is None else np.array(lv[k]))
            for a, b in zip(_chain_arrays(chain), _chain_arrays(alone), strict=True):
                assert np.asarray(a).tobytes() == np.asarray(b).tobytes()


def test_one_option_tick_rule_for_the_array_and_the_scalar_quotes() -> None:
    # audit (2026-12-04, finding 4): option_tick was used by tests only while make_quotes and make_quote wrote the
    # rule again inline; both call it now, a float for a float (make_quote's scalar arithmetic, bit for bit)
    import inspect

    from feeds.chains import make_quote, make_quotes

    for price in (0.0, 2.95, 2.999, 3.0, 57.3, 3):
        tick = option_tick(price)
        assert type(tick) is float and tick == option_tick(np.array([price]))[0]
    assert all("option_tick(mid)" in inspect.getsource(f) for f in (make_quote, make_quotes))
    mids = np.array([0.01, 1.0, 2.98, 2.999, 3.0, 3.04, 10.0, 57.31])
    bid, ask = make_quotes(mids, 0.04, 0.10, 5.0, 1.0)
    assert [make_quote(m, 0.04, 0.10, 5.0, 1.0) for m in mids.tolist()] == list(zip(bid.tolist(), ask.tolist()))


def test_a_vvix_close_is_carried_five_sessions_then_the_constant_takes_over() -> None:
    """Trial MUT2 (C3): vix_atm_levels had no test. VVIX 100 then six unpublished sessions then 110: the close is
    carried for VVIX_CARRY = 5 sessions (day 5 still reads it), day 6 falls back to atm_vol; without a file, or at
    atm_per_vvix = 0, atm_vol everywhere (feeds/chains.py docstring)."""
    smile = dataclasses.replace(VixSmileConfig(), atm_per_vvix=0.8)
    vvix = np.array([100.0, *[np.nan] * 6, 110.0])
    atm, from_vvix = vix_atm_levels(smile, vvix, len(vvix))
    assert from_vvix.tolist() == [True] * 6 + [False, True]
    np.testing.assert_allclose(atm, [0.8] * 6 + [smile.atm_vol, 0.88], rtol=0, atol=1e-12)
    for off in (vix_atm_levels(smile, None, 3), vix_atm_levels(dataclasses.replace(smile, atm_per_vvix=0.0), vvix, 8)):
        assert not off[1].any() and (off[0] == smile.atm_vol).all()
