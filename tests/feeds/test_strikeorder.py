"""Tests for feeds.strikeorder: prices of one expiry and right put in strike order (least squares).

Independent references: solutions derived by hand from the Karush-Kuhn-Tucker conditions of the least-squares
problem (stated in each test), and scipy's SLSQP minimiser run on the same problem written as plain constraints.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy.optimize import minimize

from feeds.strikeorder import in_strike_order, strike_ordered


def test_a_pair_out_of_order_meets_at_its_mean() -> None:
    """The trial's kind of pair: a higher-strike call priced 0.004 above a lower-strike call. Two prices, one
    violated bound C(K1) >= C(K2): the nearest prices that keep it are equal, at the pair's mean (KKT)."""
    out = strike_ordered(np.array([4.8439, 4.8479]), np.array([4000.0, 4100.0]), True, 0.97)
    np.testing.assert_allclose(out, [4.8459, 4.8459], rtol=0, atol=1e-12)


def test_a_vertical_spread_wider_than_its_discounted_strike_distance_is_narrowed() -> None:
    """Calls 2645/2650 at 169.0858 / 162.7253 (a spread of 6.36 over 5 points, discount 0.9998): the bound
    C(K1) - C(K2) <= 0.9998 x 5 is active, so each moves by half the excess: (6.3605 - 4.999) / 2 = 0.68075."""
    out = strike_ordered(np.array([169.0858, 162.7253]), np.array([2645.0, 2650.0]), True, 0.9998)
    np.testing.assert_allclose(out, [169.0858 - 0.68075, 162.7253 + 0.68075], rtol=0, atol=1e-9)
    assert out[0] - out[1] == pytest.approx(0.9998 * 5.0, abs=1e-9)


def test_no_price_goes_below_zero() -> None:
    """Puts at strikes 100/105/110 priced 0, 0, 10 (discount 1): minimising x0^2 + x1^2 + (x2 - 10)^2 with
    0 <= x1 - x0 <= 5, 0 <= x2 - x1 <= 5 and x0 >= 0 gives x0 = 0 (bound), x2 = x1 + 5 (bound), x1 = 2.5 (KKT);
    without the floor it would be -1.67, 3.33, 8.33."""
    out = strike_ordered(np.array([0.0, 0.0, 10.0]), np.array([100.0, 105.0, 110.0]), False, 1.0)
    np.testing.assert_allclose(out, [0.0, 2.5, 7.5], rtol=0, atol=1e-9)


def test_prices_in_order_are_returned_as_they_are() -> None:
    mids = np.array([3.0, 2.1, 1.2, 0.5])  # steps 0.9, 0.9, 0.7 within 0.99 x 1
    strikes = np.array([10.0, 11.0, 12.0, 13.0])
    assert strike_ordered(mids, strikes, True, 0.99) is mids
    assert in_strike_order(mids, strikes, True, 0.99) and not in_strike_order(mids, strikes, False, 0.99)


def _reference(mids: np.ndarray, strikes: np.ndarray, is_call: bool, discount: float) -> np.ndarray:
    """The same least squares by scipy's SLSQP on the bounds written one by one (an independent solver)."""
    sign = -1.0 if is_call else 1.0
    dk = discount * np.diff(strikes)
    cons = [{"type": "ineq", "fun": lambda x: sign * np.diff(x)},
            {"type": "ineq", "fun": lambda x: dk - sign * np.diff(x)},
            {"type": "ineq", "fun": lambda x: x}]
    res = minimize(lambda x: np.sum((x - mids) ** 2), mids, jac=lambda x: 2 * (x - mids), constraints=cons,
                   method="SLSQP", options={"ftol": 1e-14, "maxiter": 500})
    return res.x


@given(st.lists(st.floats(0.0, 20.0), min_size=2, max_size=8), st.booleans(), st.floats(0.9, 1.0))
def test_the_result_is_in_order_and_the_nearest(mids: list[float], is_call: bool, discount: float) -> None:
    """Random prices on a 1-point strike grid: the result keeps every bound and is the least-squares nearest
    (its distance equals SLSQP's to 1e-6)."""
    m, k = np.array(mids), 100.0 + np.arange(len(mids))
    out = strike_ordered(m, k, is_call, discount)
    assert in_strike_order(out, k, is_call, discount, tol=1e-8) and (out >= -1e-12).all()
    ref = _reference(m, k, is_call, discount)
    assert np.sum((out - m) ** 2) <= np.sum((ref - m) ** 2) + 1e-6


def _bvls(mids: np.ndarray, strikes: np.ndarray, is_call: bool, discount: float) -> np.ndarray:
    """The solver strike_ordered used before (quoteperf, 2026-12-03): scipy's BVLS over the cheapest price and the
    steps from it, ~0.1 s for a chain of ~280 strikes (6 of a 15 s 2019-2022 real-data run)."""
    from scipy.optimize import lsq_linear

    order = slice(None, None, -1) if is_call else slice(None)
    target, k = mids[order], strikes[order]
    n = len(target)
    lower, upper = np.zeros(n), np.r_[np.inf, discount * np.abs(np.diff(k))]
    fit = lsq_linear(np.tril(np.ones((n, n))), target, bounds=(lower, upper), method="bvls", tol=1e-12)
    return np.cumsum(np.clip(fit.x, lower, upper))[order]


@given(st.lists(st.floats(0.0, 50.0), min_size=2, max_size=40), st.lists(st.floats(0.5, 25.0), min_size=39,
                                                                          max_size=39),
       st.booleans(), st.floats(0.5, 1.0))
def test_the_exact_solver_equals_bvls(mids: list[float], steps: list[float], is_call: bool, discount: float) -> None:
    """Random prices on random strike distances: the dynamic programme's prices are BVLS's to 1e-9 (the tolerance
    under which a price counts as unmoved), no farther from the prices, and keep every bound."""
    m = np.array(mids)
    k = 100.0 + np.r_[0.0, np.cumsum(steps[:len(m) - 1])]
    out = strike_ordered(m, k, is_call, discount)
    ref = _bvls(m, k, is_call, discount)
    np.testing.assert_allclose(out, ref, rtol=0, atol=1e-9)
    # no farther than BVLS, to rounding: a sum of ~2,560 differed by 1.4e-12 (hypothesis, 2026-12-04), so relative
    assert np.sum((out - m) ** 2) <= np.sum((ref - m) ** 2) * (1 + 1e-12) + 1e-12
    assert in_strike_order(out, k, is_call, discount, tol=1e-9) and (out >= 0.0).all()


@pytest.mark.parametrize("is_call", [True, False])
def test_a_chain_with_a_few_crossings_moves_only_near_them(is_call: bool) -> None:
    """A 141-strike chain (half a 2019 SPX monthly's, 10 apart) priced by BSM, with three neighbouring pairs pushed
    out of order: the prices move near them only, as BVLS (the solver before) moves them, to 1e-9."""
    from vixhedge.core import pricing

    k = np.arange(1500.0, 2901.0, 10.0)
    mids = np.asarray(pricing.bsm_price(2500.0, k, 0.15, 0.02, 0.015, 0.18 + 0.3 * (2500.0 - k) / 2500.0,
                                        is_call), dtype=np.float64)
    for j, bump in ((20, 0.004), (75, 0.02), (100, 0.3)):
        cheap, dear = (j + 1, j) if is_call else (j, j + 1)
        mids[cheap] = mids[dear] + bump  # the cheaper side made dearer
    assert not in_strike_order(mids, k, is_call, 0.997)
    out, ref = strike_ordered(mids, k, is_call, 0.997), _bvls(mids, k, is_call, 0.997)
    np.testing.assert_allclose(out, ref, rtol=0, atol=1e-9)
    assert np.sum((out - mids) ** 2) <= np.sum((ref - mids) ** 2) + 1e-12
    assert in_strike_order(out, k, is_call, 0.997, tol=1e-12) and (out >= 0.0).all()
    moved = np.flatnonzero(np.abs(out - mids) > 1e-9)
    assert set(moved) <= set(range(1, 50)) | set(range(65, 85)) | set(range(92, 108)) and len(moved) > 3
    assert {j + int(is_call) for j in (20, 75, 100)} <= set(moved)  # each pushed price moves


def test_prices_in_order_far_from_a_crossing_stay_where_they_are() -> None:
    """KKT: a price whose steps to both neighbours are strictly inside their bounds keeps its own price (the
    residuals' tail sums on both sides of it are 0). 281 BSM calls 5 apart (prices up to ~999) with the 1700/1705
    pair pushed out of order: the two deepest in the money (their spread 2.3e-6 inside its bound 0.997 x 5) do not
    move. BVLS, the solver before, moved them by 1.2e-6 onto that bound, 2.7e-12 farther from the prices in squares
    (its least squares on a 281 x 281 triangular system, not exact at that size and price)."""
    from vixhedge.core import pricing

    k = np.arange(1500.0, 2901.0, 5.0)
    mids = np.asarray(pricing.bsm_price(2500.0, k, 0.15, 0.02, 0.015, 0.18 + 0.3 * (2500.0 - k) / 2500.0, True),
                      dtype=np.float64)
    mids[41] = mids[40] + 0.004
    assert 0.0 < 0.997 * 5.0 - (mids[0] - mids[1]) < 1e-5
    out = strike_ordered(mids, k, True, 0.997)
    assert out[0] == pytest.approx(mids[0], abs=1e-9) and out[1] == pytest.approx(mids[1], abs=1e-9)
    assert in_strike_order(out, k, True, 0.997, tol=1e-12) and abs(out[41] - mids[41]) > 1.0


def test_a_price_that_is_not_a_number_is_one_clear_error() -> None:
    with pytest.raises(ValueError, match=r"strike_ordered needs finite prices.*nan"):
        strike_ordered(np.array([1.0, np.nan, 2.0]), np.array([10.0, 11.0, 12.0]), True, 0.99)
