"""Tests for feeds.vxcurve: the mean-reverting VX term-structure model and the per-contract curve.

References: the model formula F = theta + (VIX - theta) exp(-kappa tau) from the module docstring,
recomputed here with plain date arithmetic; contract order and roll dates from
feeds.calendars.front_vx_contract (tested against CFE settlement dates in test_calendars.py).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from feeds.calendars import front_vx_contract, trading_days, vx_contracts
from feeds.vxcurve import (LISTED_DAYS, VxCurve, model_price, slow_path, steady_state, tenor_premium, two_factor_beta,
                           two_factor_price, two_factor_states, vix_beta, vix_forecast)
from vixhedge.core.config import CurveModel, VxCurveConfig

D = dt.date
THETA, KAPPA = 20.0, 3.0
ONE_FACTOR = VxCurveConfig(model=CurveModel.ONE_FACTOR, long_run_level=THETA, mean_reversion_per_year=KAPPA)
# Three VX settlements fall inside the window: VXF18 2018-01-17, VXG18 2018-02-14, VXH18 2018-03-21
# (the rule dates, confirmed by the CFE data in test_calendars.py).
DATES = trading_days(D(2018, 1, 2), D(2018, 4, 13))
SETTLEMENTS_IN_WINDOW = [D(2018, 1, 17), D(2018, 2, 14), D(2018, 3, 21)]


@pytest.fixture(scope="module")
def vix() -> np.ndarray:
    # Deterministic path crossing theta both ways: 12 .. 35 .. 14.
    n = len(DATES)
    return 12.0 + 23.0 * np.sin(np.linspace(0.0, np.pi, n)) ** 2 + np.linspace(0.0, 2.0, n)


@pytest.fixture(scope="module")
def settle(vix: np.ndarray) -> np.ndarray:
    return vix + 0.75  # a VRO proxy that differs from the close, so its use is visible


@pytest.fixture(scope="module")
def curve(vix: np.ndarray, settle: np.ndarray) -> VxCurve:
    return VxCurve.from_model(DATES, vix, settle, ONE_FACTOR)


def _tau(day: dt.date, settlement: dt.date) -> float:
    return (settlement - day).days / 365.0


# --- model_price -------------------------------------------------------------------------------------


def test_model_price_at_settlement_is_spot() -> None:
    np.testing.assert_allclose(model_price(np.array([10.0, 20.0, 45.0]), 0.0, THETA, KAPPA),
                               [10.0, 20.0, 45.0], rtol=0, atol=1e-12)


def test_model_price_far_out_is_theta() -> None:
    # exp(-3 * 50) ~ 7e-66: the curve has fully reverted to theta.
    np.testing.assert_allclose(model_price(np.array([10.0, 45.0]), 50.0, THETA, KAPPA), THETA, rtol=1e-14)


def test_model_price_hand_value() -> None:
    # 20 + (12 - 20) exp(-3 * 0.25) = 20 - 8 * 0.4723665527410147 (math.exp reference)
    expected = 20.0 - 8.0 * math.exp(-0.75)
    assert float(model_price(12.0, 0.25, THETA, KAPPA)) == pytest.approx(expected, rel=1e-15)
    assert expected == pytest.approx(16.221067578071882, rel=1e-15)


@given(vix=st.floats(5.0, 80.0), theta=st.floats(10.0, 40.0), kappa=st.floats(0.1, 20.0))
def test_model_contango_below_theta_backwardation_above(vix: float, theta: float, kappa: float) -> None:
    tau = np.linspace(0.0, 1.0, 13)
    f = model_price(vix, tau, theta, kappa)
    steps = np.diff(f)
    if vix < theta:  # contango: rising towards theta, never above it
        assert (steps >= -1e-12).all() and (f <= theta + 1e-12).all() and (f >= vix - 1e-12).all()
    elif vix > theta:  # backwardation: falling towards theta
        assert (steps <= 1e-12).all() and (f >= theta - 1e-12).all() and (f <= vix + 1e-12).all()
    else:
        np.testing.assert_allclose(f, theta, rtol=1e-15)


def test_vix_beta_is_the_model_derivative() -> None:
    tau = np.array([0.0, 0.05, 0.3, 1.0])
    h = 1e-4
    fd = (model_price(20.0 + h, tau, THETA, KAPPA) - model_price(20.0 - h, tau, THETA, KAPPA)) / (2 * h)
    np.testing.assert_allclose(vix_beta(tau, KAPPA), fd, rtol=1e-9)  # central difference of a linear map
    np.testing.assert_allclose(vix_beta(tau, KAPPA), np.exp(-KAPPA * tau), rtol=1e-15)


# --- VxCurve.from_model ------------------------------------------------------------------------------


def test_contracts_cover_the_listing_horizon(curve: VxCurve) -> None:
    first = DATES[0].date()
    settlements = [c.settlement for c in curve.contracts]
    assert settlements == sorted(settlements)
    assert settlements[0] == D(2018, 1, 17)  # VXF18: first settlement on/after 2018-01-02
    # every contract settling within LISTED_DAYS of the last day is present
    horizon = DATES[-1].date() + dt.timedelta(days=LISTED_DAYS)
    assert settlements == [c.settlement for c in vx_contracts(first, settlements[-1])]
    assert settlements[-1] >= horizon
    np.testing.assert_array_equal(curve.settlement_ns, np.array(settlements, dtype="datetime64[ns]"))
    assert curve.prices.shape == (len(DATES), len(curve.contracts))


def test_prices_follow_the_model_while_listed(curve: VxCurve, vix: np.ndarray) -> None:
    checked = 0
    for i, day in enumerate(DATES.date):
        for j, c in enumerate(curve.contracts):
            tau = _tau(day, c.settlement)
            assert curve.tau_years[i, j] == pytest.approx(tau, abs=1e-15)
            if 0 < tau <= LISTED_DAYS / 365.0:
                expected = THETA + (vix[i] - THETA) * math.exp(-KAPPA * tau)
                assert curve.prices[i, j] == pytest.approx(expected, rel=1e-13)
                checked += 1
    assert checked > 300


@pytest.mark.parametrize("settlement", SETTLEMENTS_IN_WINDOW, ids=str)
def test_settlement_day_price_is_the_settlement_value(curve: VxCurve, vix: np.ndarray, settle: np.ndarray,
                                                      settlement: dt.date) -> None:
    i = DATES.get_loc(pd.Timestamp(settlement))
    j = curve.column(settlement)
    assert curve.prices[i, j] == settle[i]  # the VRO proxy, not the modelled close (vix[i])
    assert curve.prices[i, j] != vix[i]
    assert np.isnan(curve.prices[i + 1:, j]).all()  # gone after settlement
    assert np.isfinite(curve.prices[:i, j]).all()  # quoted every day before (within the horizon)


def test_nan_beyond_the_listing_horizon(curve: VxCurve) -> None:
    day0 = DATES[0].date()
    for j, c in enumerate(curve.contracts):
        listed = (c.settlement - day0).days <= LISTED_DAYS
        assert np.isfinite(curve.prices[0, j]) == listed, c
    far = curve.tau_years > LISTED_DAYS / 365.0
    assert far.any() and np.isnan(curve.prices[far]).all()
    live = (curve.tau_years >= 0) & ~far
    assert np.isfinite(curve.prices[live]).all()


def test_column_lookup(curve: VxCurve) -> None:
    assert curve.contracts[curve.column(D(2018, 2, 14))].code == "VXG18"
    with pytest.raises(KeyError, match="no monthly VX contract settles on 2018-02-15"):
        curve.column(D(2018, 2, 15))


@pytest.mark.parametrize("n", [1, 2, 3])
def test_continuous_is_the_nth_contract_after_each_day(curve: VxCurve, n: int) -> None:
    series = curve.continuous(n)
    for i, day in enumerate(DATES.date):
        ref = front_vx_contract(day, n)  # independent: calendar rule, strictly-after convention
        assert curve.nth_contract(i, n) == ref
        assert series[i] == curve.prices[i, curve.column(ref.settlement)]
    assert np.isfinite(series).all()


def test_front_rolls_exactly_on_settlement_days(curve: VxCurve) -> None:
    cols = curve.nth_columns(1)
    rolls = [DATES[k].date() for k in np.flatnonzero(np.diff(cols)) + 1]
    assert rolls == SETTLEMENTS_IN_WINDOW
    # on the settlement day the front is already the next month; the day before it is the expiring one
    for s in SETTLEMENTS_IN_WINDOW:
        i = DATES.get_loc(pd.Timestamp(s))
        assert curve.contracts[cols[i - 1]].settlement == s
        assert curve.contracts[cols[i]].settlement > s
        np.testing.assert_array_equal(curve.nth_columns(2)[i - 1], cols[i])


def test_too_deep_a_contract_is_an_index_error(curve: VxCurve) -> None:
    n = len(curve.contracts) + 1
    with pytest.raises(IndexError, match=f"fewer than {n} contracts"):
        curve.nth_columns(n)
    with pytest.raises(IndexError, match=f"no VX contract #{n} after 2018-01-02"):
        curve.nth_contract(0, n)


@pytest.mark.parametrize("n", [0, -1, 1.5, True], ids=["zero", "negative", "fraction", "bool"])
def test_contract_rank_must_be_positive(curve: VxCurve, n: object) -> None:
    # n = 0 used to index column -1 (the last contract) silently
    with pytest.raises(ValueError, match=r"contract rank n \(.*\) must be a positive integer"):
        curve.nth_columns(n)
    with pytest.raises(ValueError, match=r"contract rank n \(.*\) must be a positive integer"):
        curve.nth_contract(0, n)


# --- two-factor model ----------------------------------------------------------------------------------

TWO = VxCurveConfig(slow_long_run_level=22.0, slow_reversion_per_year=1.0, fast_reversion_per_year=10.0,
                    slow_gain=0.2, fast_gain=0.6, premium=1.5, premium_per_level=0.3, premium_reversion_per_year=5.0)


def _slow_by_hand(m: float, days: float) -> float:
    """The 3/2 drift's noise-free path (module docstring), theta2 = 22, k2 = 1: 1/m reverts linearly to 1/22."""
    return 1.0 / (1.0 / 22.0 + (1.0 / m - 1.0 / 22.0) * math.exp(-1.0 * days / 365.0))


def test_two_factor_states_by_hand() -> None:
    # three closes, Mon 2018-01-08, Tue 01-09, Fri 01-12 (gaps 1 and 3 calendar days); the filter of the
    # module docstring recomputed with math.exp
    dates = pd.DatetimeIndex(["2018-01-08", "2018-01-09", "2018-01-12"])
    m, x = two_factor_states(dates, np.array([20.0, 26.0, 23.0]), TWO)
    # steady_state: p (20 - m) = r m (m - 22) / 22, p = g_m k1 = 2, r = g_x k2 = 0.6, by the quadratic formula
    a, b, c = 0.6 / 22.0, 2.0 - 0.6, -2.0 * 20.0
    m0 = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a)
    assert 2.0 * (20.0 - m0) == pytest.approx(0.6 * m0 * (m0 - 22.0) / 22.0, rel=1e-12)
    mm, xx = [m0], [20.0 - m0]
    for v, days in ((26.0, 1), (23.0, 3)):
        pm = _slow_by_hand(mm[-1], days)
        px = xx[-1] * math.exp(-10.0 * days / 365.0)
        e = v - pm - px
        mm.append(pm + 0.2 * e)
        xx.append(px + 0.6 * e)
    np.testing.assert_allclose(m, mm, rtol=1e-13)
    np.testing.assert_allclose(x, xx, rtol=1e-13)


def test_slow_path_is_the_three_halves_drift() -> None:
    # dm/dt = k2 m (theta2 - m) / theta2: a central difference of S in tau matches the drift at every point
    m, tau = np.array([12.0, 22.0, 30.0, 60.0]), 40 / 365.0
    h = 1e-6
    ds = (slow_path(m, tau + h, TWO) - slow_path(m, tau - h, TWO)) / (2 * h)
    s = slow_path(m, tau, TWO)
    np.testing.assert_allclose(ds, 1.0 * s * (22.0 - s) / 22.0, rtol=1e-6)
    np.testing.assert_allclose(slow_path(m, 0.0, TWO), m, rtol=1e-14)
    # the higher the level, the faster it reverts: 60 -> 22 loses a larger share of its gap than 30 -> 22
    assert (60.0 - s[3]) / 38.0 > (30.0 - s[2]) / 8.0 > 1.0 - math.exp(-tau)
    # and the curve without its premium is the filter's VIX forecast
    np.testing.assert_allclose(vix_forecast(m, 2.0, tau, TWO), s + 2.0 * math.exp(-10.0 * tau), rtol=1e-14)


def test_two_factor_filter_starts_at_the_state_a_constant_vix_keeps() -> None:
    # six years of VIX at 14: the filter started at steady_state stays there (within the daily-step
    # discretisation of its continuous-time balance)
    dates = pd.bdate_range("2017-01-02", periods=1500)
    m, x = two_factor_states(dates, np.full(len(dates), 14.0), TWO)
    m0, x0 = steady_state(14.0, TWO)
    assert m0 + x0 == pytest.approx(14.0, rel=1e-14)
    assert (m[0], x[0]) == (pytest.approx(m0, rel=1e-14), pytest.approx(x0, rel=1e-14))
    assert abs(m[-1] - m0) < 0.1 and abs(m[:5] - m0).max() < 0.01
    assert m0 > 14.0 and x0 < 0  # calm: VIX below its slow level, the gap mostly fast


def test_two_factor_beta_is_the_price_change_per_vix_point_of_surprise() -> None:
    dates = pd.DatetimeIndex(["2018-01-08", "2018-01-09"])
    tau = np.array([0.0, 10 / 365, 45 / 365, 0.5])
    h = 1e-3
    up = two_factor_states(dates, np.array([18.0, 18.0 + h]), TWO)
    down = two_factor_states(dates, np.array([18.0, 18.0 - h]), TWO)
    fd = (two_factor_price(up[0][1], up[1][1], tau, TWO) - two_factor_price(down[0][1], down[1][1], tau, TWO)) / (2 * h)
    m = two_factor_states(dates, np.array([18.0, 18.0]), TWO)[0][1]
    np.testing.assert_allclose(two_factor_beta(m, tau, TWO), fd, rtol=1e-9)
    assert two_factor_beta(m, 0.0, TWO) == pytest.approx(0.8)  # g_m + g_x: the transient part does not move futures


def test_two_factor_premium_is_logarithmic_in_the_slow_level() -> None:
    # c + c1 L ln(m / L), L = 20: c at m = 20, slope c1 there, c1 * 20 / m above (it flattens in a crisis)
    m = np.array([10.0, 20.0, 40.0, 80.0])
    np.testing.assert_allclose(tenor_premium(m, TWO), 1.5 + 0.3 * 20.0 * np.log(m / 20.0), rtol=1e-14)
    slope = (tenor_premium(m + 1e-5, TWO) - tenor_premium(m - 1e-5, TWO)) / 2e-5
    np.testing.assert_allclose(slope, 0.3 * 20.0 / m, rtol=1e-8)


def test_two_factor_curve_is_causal(vix: np.ndarray, settle: np.ndarray) -> None:
    full = VxCurve.from_model(DATES, vix, settle, TWO)
    cut = 40
    part = VxCurve.from_model(DATES[:cut], vix[:cut], settle[:cut], TWO)
    n = part.prices.shape[1]
    np.testing.assert_array_equal(full.prices[:cut, :n], part.prices)  # later closes never move earlier prices


def test_two_factor_contango_when_calm_backwardation_after_a_spike() -> None:
    dates = trading_days(D(2018, 1, 2), D(2018, 3, 30))
    calm = np.full(len(dates), 12.0)
    spike = calm.copy()
    spike[-3:] = 35.0
    tau = np.array([10, 40, 70, 100]) / 365.0
    for path, rising in ((calm, True), (spike, False)):
        m, x = two_factor_states(dates, path, TWO)
        f = two_factor_price(m[-1], x[-1], tau, TWO)
        assert (np.diff(f) > 0).all() == rising and (np.diff(f) < 0).all() != rising


def test_a_contract_is_listed_from_exactly_listed_days_before_its_settlement() -> None:
    """MUT23 (``tau > LISTED_DAYS / 365`` -> ``>=`` in from_model survived): a contract quotes from LISTED_DAYS (270)
    days before its settlement (listed_months' docstring). VX Mar 2014 settles 2014-03-18 (Cboe's VIX calendar:
    feeds.calendars.vx_contracts); 270 days before is Fri 2013-06-21 (by hand: 2014-03-18 - 270 days), a session: its
    model price is finite there, NaN on Thu 2013-06-20 (271 days)."""
    dates = trading_days(D(2013, 6, 20), D(2013, 6, 24))
    assert [d.date() for d in dates] == [D(2013, 6, 20), D(2013, 6, 21), D(2013, 6, 24)]
    vix = np.array([18.0, 17.0, 19.0])
    curve = VxCurve.from_model(dates, vix, vix, ONE_FACTOR)
    j = curve.column(D(2014, 3, 18))
    assert LISTED_DAYS == 270 and (D(2014, 3, 18) - D(2013, 6, 21)).days == 270
    assert math.isnan(curve.prices[0, j]) and math.isfinite(curve.prices[1, j])
    assert curve.prices[1, j] == pytest.approx(model_price(17.0, 270 / 365, THETA, KAPPA), rel=1e-12)
