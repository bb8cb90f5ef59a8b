"""Tests for vixhedge.core.pricing: textbook values, parity, greeks vs finite differences, implied vol, edge cases."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vixhedge.core.pricing import (
    Greeks,
    Right,
    as_is_call,
    black76_greeks,
    black76_price,
    bsm_greeks,
    bsm_price,
)
from vixhedge.core.implied import implied_vol_black76, implied_vol_bsm

# ---------------------------------------------------------------------------------------------------------------
# Textbook values
# ---------------------------------------------------------------------------------------------------------------


def test_bsm_hull_example_15_6() -> None:
    # Hull, Options, Futures, and Other Derivatives (9th ed.), Example 15.6: S=42, K=40, r=10%, sigma=20%,
    # T=0.5, no dividends -> c = 4.76, p = 0.81 (published to 2 decimals).
    price = bsm_price(42.0, 40.0, 0.5, 0.10, 0.0, 0.20, np.array([True, False]))
    np.testing.assert_allclose(price, [4.76, 0.81], rtol=0, atol=5e-3)


def test_black76_haug_example() -> None:
    # Haug, The Complete Guide to Option Pricing Formulas (2nd ed.), Black-76 example: F=19, K=19, T=0.75,
    # r=10%, sigma=28% -> call = put = 1.7011 (published to 4 decimals).
    price = black76_price(19.0, 19.0, 0.75, 0.10, 0.28, np.array([True, False]))
    np.testing.assert_allclose(price, [1.7011, 1.7011], rtol=0, atol=5e-5)


def test_bsm_with_dividend_haug_generalized_example() -> None:
    # Haug (2nd ed.), generalized Black-Scholes example: S=75, K=70, T=0.5, r=10%, b=5% (so q = r - b = 5%),
    # sigma=35% -> put = 4.0870 (published to 4 decimals).
    assert bsm_price(75.0, 70.0, 0.5, 0.10, 0.05, 0.35, False) == pytest.approx(4.0870, abs=5e-5)


def test_bsm_greeks_hull_greek_letters_example() -> None:
    # Hull, OFOD, chapter "The Greek Letters", running example: S=49, K=50, r=5%, sigma=20%, T=20 weeks, call:
    # delta 0.522, gamma 0.066, vega 12.1 per 100 vol points, theta -4.31 per year, rho 8.91 per 100 % rate.
    g = bsm_greeks(49.0, 50.0, 20.0 / 52.0, 0.05, 0.0, 0.20, True)
    assert g.delta == pytest.approx(0.522, abs=5e-4)
    assert g.gamma == pytest.approx(0.066, abs=5e-4)
    assert g.vega == pytest.approx(12.1 * 0.01, abs=5e-2 * 0.01)
    assert g.theta * 365.0 == pytest.approx(-4.31, abs=5e-3)
    assert g.rho == pytest.approx(8.91 * 0.01, abs=5e-3 * 0.01)


def test_greeks_haug_chapter_2_examples() -> None:
    # Haug (2nd ed.), ch. 2 "Black-Scholes-Merton Greeks" numerical examples (published to 4 decimals):
    # futures-option delta F=105, K=100, T=0.5, r=10%, sigma=36%: call 0.5946, put -0.3566.
    g = black76_greeks(105.0, 100.0, 0.5, 0.10, 0.36, np.array([True, False]))
    np.testing.assert_allclose(g.delta, [0.5946, -0.3566], rtol=0, atol=5e-5)
    # gamma S=55, K=60, T=0.75, r=b=10%, sigma=30%: 0.0278.
    assert bsm_greeks(55.0, 60.0, 0.75, 0.10, 0.0, 0.30, True).gamma == pytest.approx(0.0278, abs=5e-5)
    # theta (per year) put S=430, K=405, T=0.0833, r=7%, b=2% (q=5%), sigma=20%: -31.1924.
    put = bsm_greeks(430.0, 405.0, 0.0833, 0.07, 0.05, 0.20, False)
    assert put.theta * 365.0 == pytest.approx(-31.1924, abs=5e-5)
    # rho (per unit rate) call S=72, K=75, T=1, r=b=9%, sigma=19%: 38.7325.
    assert bsm_greeks(72.0, 75.0, 1.0, 0.09, 0.0, 0.19, True).rho * 100.0 == pytest.approx(38.7325, abs=5e-5)


# ---------------------------------------------------------------------------------------------------------------
# Put-call parity (property tests)
# ---------------------------------------------------------------------------------------------------------------

spots = st.floats(1.0, 6000.0)
moneyness = st.floats(0.3, 3.0)
t_years = st.floats(0.0, 5.0)
rates = st.floats(-0.02, 0.15)
div_yields = st.floats(0.0, 0.10)
vols = st.floats(0.0, 3.0)


@settings(max_examples=200, deadline=None)
@given(spot=spots, k_over_s=moneyness, t=t_years, r=rates, q=div_yields, vol=vols)
def test_bsm_put_call_parity(spot: float, k_over_s: float, t: float, r: float, q: float, vol: float) -> None:
    # Reference: C - P = S exp(-qT) - K exp(-rT) (Hull, OFOD, put-call parity with a dividend yield).
    strike = spot * k_over_s
    call, put = bsm_price(spot, strike, t, r, q, vol, np.array([True, False]))
    parity = spot * np.exp(-q * t) - strike * np.exp(-r * t)
    np.testing.assert_allclose(call - put, parity, rtol=0, atol=1e-12 * (spot + strike))


@settings(max_examples=200, deadline=None)
@given(fwd=spots, k_over_f=moneyness, t=t_years, r=rates, vol=vols)
def test_black76_put_call_parity(fwd: float, k_over_f: float, t: float, r: float, vol: float) -> None:
    # Reference: C - P = exp(-rT) (F - K) (MARKET_RULES.md, Pricing conventions; Black 1976).
    strike = fwd * k_over_f
    call, put = black76_price(fwd, strike, t, r, vol, np.array([True, False]))
    np.testing.assert_allclose(call - put, np.exp(-r * t) * (fwd - strike), rtol=0, atol=1e-12 * (fwd + strike))


# ---------------------------------------------------------------------------------------------------------------
# Greeks against central finite differences of the price (independent reference, STYLE.md rule 8)
# ---------------------------------------------------------------------------------------------------------------

# A grid of scenarios, priced as arrays: (underlying, strike, t_years, rate, div_yield, vol).
SCENARIOS = np.array(
    [
        (100.0, 100.0, 0.50, 0.05, 0.02, 0.20),  # ATM
        (100.0, 80.0, 1.00, 0.03, 0.01, 0.25),  # ITM call / OTM put
        (100.0, 125.0, 0.25, 0.04, 0.00, 0.30),  # OTM call / ITM put
        (4500.0, 4300.0, 30 / 365, 0.05, 0.015, 0.18),  # SPX-like, one month
        (18.0, 25.0, 45 / 365, 0.05, 0.00, 0.90),  # VIX-future-like, high vol of vol
        (50.0, 45.0, 2.00, -0.01, 0.03, 0.60),  # negative rate, long dated
    ]
).T

Pricer = Callable[..., Any]  # (underlying, strike, t, rate, div_yield, vol, is_call) -> price
GreeksFn = Callable[..., Greeks]


def _bsm(und, k, t, r, q, vol, is_call):  # type: ignore[no-untyped-def]
    return bsm_price(und, k, t, r, q, vol, is_call)


def _b76(und, k, t, r, q, vol, is_call):  # type: ignore[no-untyped-def]
    return black76_price(und, k, t, r, vol, is_call)  # q is ignored: the futures price has no carry


def _bsm_g(und, k, t, r, q, vol, is_call):  # type: ignore[no-untyped-def]
    return bsm_greeks(und, k, t, r, q, vol, is_call)


def _b76_g(und, k, t, r, q, vol, is_call):  # type: ignore[no-untyped-def]
    return black76_greeks(und, k, t, r, vol, is_call)


MODELS = [
    pytest.param(_bsm, _bsm_g, True, id="bsm-call"),
    pytest.param(_bsm, _bsm_g, False, id="bsm-put"),
    pytest.param(_b76, _b76_g, True, id="black76-call"),
    pytest.param(_b76, _b76_g, False, id="black76-put"),
]


@pytest.mark.parametrize(("price_fn", "greeks_fn", "is_call"), MODELS)
def test_greeks_match_finite_differences(price_fn: Pricer, greeks_fn: GreeksFn, is_call: bool) -> None:
    und, k, t, r, q, vol = SCENARIOS
    g: Greeks = greeks_fn(und, k, t, r, q, vol, is_call)

    def p(**bump: np.ndarray) -> np.ndarray:
        args = {"und": und, "k": k, "t": t, "r": r, "q": q, "vol": vol} | bump
        return np.asarray(price_fn(args["und"], args["k"], args["t"], args["r"], args["q"], args["vol"], is_call))

    np.testing.assert_allclose(g.price, p(), rtol=1e-14, atol=0)
    # Central differences: truncation O(h^2); tolerances leave ~10x headroom over the observed error.
    h = 1e-5 * und
    np.testing.assert_allclose(g.delta, (p(und=und + h) - p(und=und - h)) / (2 * h), rtol=1e-7, atol=1e-9)
    h = 2e-4 * und
    fd_gamma = (p(und=und + h) - 2 * p() + p(und=und - h)) / h**2
    np.testing.assert_allclose(g.gamma, fd_gamma, rtol=1e-6, atol=1e-9)
    h = 1e-5
    np.testing.assert_allclose(g.vega, (p(vol=vol + h) - p(vol=vol - h)) / (2 * h) * 0.01, rtol=1e-7, atol=1e-10)
    # Theta per calendar day: minus the derivative in time to expiry, / 365.
    fd_theta = -(p(t=t + h) - p(t=t - h)) / (2 * h) / 365.0
    np.testing.assert_allclose(g.theta, fd_theta, rtol=1e-6, atol=1e-10)
    np.testing.assert_allclose(g.rho, (p(r=r + h) - p(r=r - h)) / (2 * h) * 0.01, rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize(("price_fn", "greeks_fn", "is_call"), MODELS)
def test_theta_approximates_one_day_decay(price_fn: Pricer, greeks_fn: GreeksFn, is_call: bool) -> None:
    # Theta per calendar day ~ price(T - 1 day) - price(T); the gap is the convexity in time, about
    # d2V/dT2 / (2 * 365^2): observed <= 0.003 in price units on this grid (the shortest expiry is 30 days).
    und, k, t, r, q, vol = SCENARIOS
    theta = greeks_fn(und, k, t, r, q, vol, is_call).theta
    one_day = np.asarray(price_fn(und, k, t - 1 / 365, r, q, vol, is_call)) - price_fn(und, k, t, r, q, vol, is_call)
    np.testing.assert_allclose(theta, one_day, rtol=1e-2, atol=5e-3)


@pytest.mark.parametrize(("price_fn", "greeks_fn", "is_call"), MODELS)
def test_zero_vol_greeks_match_finite_differences(price_fn: Pricer, greeks_fn: GreeksFn, is_call: bool) -> None:
    # vol = 0: deterministic payoff exp(-rT) max(w (F - K), 0); away from the kink its carry greeks are smooth.
    und = np.array([100.0, 100.0, 60.0])
    k = np.array([90.0, 110.0, 80.0])
    t, r, q, vol = 0.5, 0.04, 0.01, 0.0
    g = greeks_fn(und, k, t, r, q, vol, is_call)
    assert np.all(g.gamma == 0.0) and np.all(g.vega == 0.0)

    def p(und=und, t=t, r=r):  # type: ignore[no-untyped-def]
        return np.asarray(price_fn(und, k, t, r, q, vol, is_call))

    h = 1e-4
    np.testing.assert_allclose(g.delta, (p(und=und + h) - p(und=und - h)) / (2 * h), rtol=1e-8, atol=1e-10)
    np.testing.assert_allclose(g.theta, -(p(t=t + h) - p(t=t - h)) / (2 * h) / 365, rtol=1e-7, atol=1e-10)
    np.testing.assert_allclose(g.rho, (p(r=r + h) - p(r=r - h)) / (2 * h) * 0.01, rtol=1e-7, atol=1e-10)


# ---------------------------------------------------------------------------------------------------------------
# Implied volatility
# ---------------------------------------------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    z=st.floats(-2.5, 2.5),  # log-moneyness ln(K/F) in standard deviations vol * sqrt(T)
    t=st.floats(0.01, 3.0),
    vol=st.floats(0.05, 2.0),
    r=st.floats(-0.01, 0.10),
    q=st.floats(0.0, 0.05),
    is_call=st.booleans(),
)
def test_implied_vol_round_trip(z: float, t: float, vol: float, r: float, q: float, is_call: bool) -> None:
    # Reference: the pricer itself; solving back must recover the input vol.
    spot = 100.0
    fwd = spot * np.exp((r - q) * t)
    strike = fwd * np.exp(z * vol * np.sqrt(t))
    price = bsm_price(spot, strike, t, r, q, vol, is_call)
    assert implied_vol_bsm(price, spot, strike, t, r, q, is_call) == pytest.approx(vol, rel=1e-8)
    price76 = black76_price(fwd, strike, t, r, vol, is_call)
    assert implied_vol_black76(price76, fwd, strike, t, r, is_call) == pytest.approx(vol, rel=1e-8)


def test_implied_vol_nan_outside_no_arbitrage_bounds() -> None:
    spot, strike, t, r, q = 100.0, 90.0, 0.5, 0.05, 0.02
    lower_call = spot * np.exp(-q * t) - strike * np.exp(-r * t)  # discounted intrinsic on the forward
    prices = np.array([lower_call - 0.01, lower_call, spot * np.exp(-q * t), spot + 1.0, -1.0, np.nan])
    assert np.all(np.isnan(implied_vol_bsm(prices, spot, strike, t, r, q, True)))
    upper_put = strike * np.exp(-r * t)
    assert np.isnan(implied_vol_bsm(upper_put + 1e-9, spot, strike, t, r, q, False))
    fwd = 20.0
    assert np.isnan(implied_vol_black76(np.exp(-r * t) * fwd, fwd, 15.0, t, r, True))
    assert np.isnan(implied_vol_black76(0.0, fwd, 25.0, t, r, True))
    # Above the price at the bracket's upper vol (hi=5.0) there is no solution in the bracket either.
    assert np.isnan(implied_vol_black76(black76_price(fwd, 25.0, t, r, 6.0, True), fwd, 25.0, t, r, True))


@pytest.mark.parametrize("t", [0.0, -0.1], ids=["at-expiry", "past-expiry"])
def test_implied_vol_nan_when_expired(t: float) -> None:
    assert np.isnan(implied_vol_bsm(5.0, 100.0, 100.0, t, 0.05, 0.0, True))
    assert np.isnan(implied_vol_black76(5.0, 20.0, 20.0, t, 0.05, False))


def test_implied_vol_vectorised_matches_scalar() -> None:
    rng = np.random.default_rng(20240805)
    n = 10_000
    fwd = rng.uniform(10.0, 40.0, n)
    t = rng.uniform(7 / 365, 1.0, n)
    vol = rng.uniform(0.3, 1.5, n)
    # Strikes within 3 standard deviations: deeper, the time value is lost in rounding and so is the vol.
    strike = fwd * np.exp(rng.uniform(-3.0, 3.0, n) * vol * np.sqrt(t))
    is_call = rng.random(n) < 0.5
    price = black76_price(fwd, strike, t, 0.04, vol, is_call)
    iv = implied_vol_black76(price, fwd, strike, t, 0.04, is_call)
    assert isinstance(iv, np.ndarray) and iv.shape == (n,)
    np.testing.assert_allclose(iv, vol, rtol=1e-8)  # reference: the vols the prices were made from
    # Reference: the scalar path, on a sample (10,000 scalar solves would dominate the suite's runtime).
    sample = np.arange(0, n, 97)
    scalar = [implied_vol_black76(price[i], fwd[i], strike[i], t[i], 0.04, bool(is_call[i])) for i in sample]
    np.testing.assert_allclose(iv[sample], scalar, rtol=1e-12)


def test_implied_vol_from_a_guess_is_the_same_root_in_fewer_steps() -> None:
    """``guess`` (portfolio margin starts from the contract's vol the day before, vixhedge.core.desk) finds the
    vols the prices were made from (reference, rtol 1e-8 as above) and the cold start's root to the solver's
    tolerance (tol = 1e-10 on the vol: atol 2e-10; 9 of these 2,000 differ by more than 1e-12 relative); a NaN
    guess is the cold start; a guess outside [lo, hi] is clipped into it."""
    rng = np.random.default_rng(20261203)
    n = 2_000
    spot, t, vol = 2500.0, rng.uniform(7 / 365, 1.0, n), rng.uniform(0.08, 0.6, n)
    strike = spot * np.exp(rng.uniform(-2.5, 2.5, n) * vol * np.sqrt(t))
    is_call = rng.random(n) < 0.5
    price = bsm_price(spot, strike, t, 0.02, 0.015, vol, is_call)
    cold = implied_vol_bsm(price, spot, strike, t, 0.02, 0.015, is_call)
    guess = vol * rng.uniform(0.97, 1.03, n)
    guess[::7], guess[::11] = np.nan, 50.0
    warm = implied_vol_bsm(price, spot, strike, t, 0.02, 0.015, is_call, guess=guess)
    np.testing.assert_allclose(warm, vol, rtol=1e-8)
    np.testing.assert_allclose(warm, cold, rtol=0, atol=2e-10)
    fut = implied_vol_black76(price, spot, strike, t, 0.02, is_call, guess=guess)
    np.testing.assert_allclose(fut, implied_vol_black76(price, spot, strike, t, 0.02, is_call), rtol=0, atol=2e-10)


def test_implied_vol_gives_nan_when_not_converged_and_starts_from_the_guess() -> None:
    """MUT26 I9 (every candidate's last iterate written, converged or not) and I14 (the guess ignored): the price of
    a 0.3-vol call (S 100, K 110, T 0.5, r 2%; scipy's Black-Scholes formula gives the same price, and scipy's brentq
    on it the root 0.3) is NaN after 2 iterations from the cold start (the docstring: "elements not converged by
    then give NaN"; it needs 4), and 0.3 after 2 from the guess 0.3000001 (one Newton step, one to confirm)."""
    from scipy.optimize import brentq
    from scipy.stats import norm

    def scipy_call(vol: float) -> float:
        d1 = (np.log(100 / 110) + (0.02 + vol**2 / 2) * 0.5) / (vol * np.sqrt(0.5))
        return 100 * norm.cdf(d1) - 110 * np.exp(-0.02 * 0.5) * norm.cdf(d1 - vol * np.sqrt(0.5))

    price = bsm_price(100.0, 110.0, 0.5, 0.02, 0.0, 0.3, True)
    assert price == pytest.approx(scipy_call(0.3), rel=1e-13)
    assert brentq(lambda v: scipy_call(v) - price, 0.01, 2.0, xtol=1e-14) == pytest.approx(0.3, abs=1e-12)
    args = (price, 100.0, 110.0, 0.5, 0.02, 0.0, True)
    assert np.isnan(implied_vol_bsm(*args, max_iter=2))
    assert implied_vol_bsm(*args, max_iter=4) == pytest.approx(0.3, abs=1e-12)  # (converged: not NaN for a NaN)
    assert implied_vol_bsm(*args, max_iter=2, guess=0.3000001) == pytest.approx(0.3, abs=1e-12)


def test_implied_vol_broadcasts_and_returns_scalar_for_scalars() -> None:
    strikes = np.array([[90.0], [100.0], [110.0]])
    vols = np.array([0.15, 0.30])
    prices = bsm_price(100.0, strikes, 0.25, 0.03, 0.01, vols, True)
    assert prices.shape == (3, 2)
    np.testing.assert_allclose(implied_vol_bsm(prices, 100.0, strikes, 0.25, 0.03, 0.01, True),
                               np.broadcast_to(vols, (3, 2)), rtol=1e-9)  # fmt: skip
    iv = implied_vol_bsm(float(prices[1, 0]), 100.0, 100.0, 0.25, 0.03, 0.01, True)
    assert isinstance(iv, float) and np.ndim(iv) == 0


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"lo": 0.0}, r"0 < lo < hi, got lo=0.0"),
        ({"lo": 2.0, "hi": 1.0}, r"lo=2.0, hi=1.0"),
        ({"tol": 0.0}, r"tol must be > 0, got 0.0"),
        ({"max_iter": 0}, r"max_iter must be >= 1, got 0"),
    ],
    ids=["lo-zero", "lo-above-hi", "tol-zero", "max-iter-zero"],
)
def test_implied_vol_rejects_bad_solver_settings(kwargs: dict[str, float], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        implied_vol_black76(1.0, 20.0, 20.0, 0.1, 0.0, True, **kwargs)


# ---------------------------------------------------------------------------------------------------------------
# Expiry, zero vol, shapes, validation, rights
# ---------------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("t", [0.0, -1 / 365], ids=["at-expiry", "past-expiry"])
def test_expired_options_are_intrinsic_with_step_delta(t: float) -> None:
    spot = np.array([90.0, 100.0, 110.0])
    call = bsm_greeks(spot, 100.0, t, 0.05, 0.02, 0.2, True)
    put = bsm_greeks(spot, 100.0, t, 0.05, 0.02, 0.2, False)
    np.testing.assert_array_equal(call.price, [0.0, 0.0, 10.0])  # undiscounted intrinsic
    np.testing.assert_array_equal(put.price, [10.0, 0.0, 0.0])
    np.testing.assert_array_equal(call.delta, [0.0, 0.0, 1.0])
    np.testing.assert_array_equal(put.delta, [-1.0, 0.0, 0.0])
    fut = black76_greeks(spot, 100.0, t, 0.05, 0.9, True)
    np.testing.assert_array_equal(fut.price, [0.0, 0.0, 10.0])
    np.testing.assert_array_equal(fut.delta, [0.0, 0.0, 1.0])
    for g in (call, put, fut):
        for field in (g.gamma, g.vega, g.theta, g.rho):
            np.testing.assert_array_equal(field, 0.0)


def test_zero_vol_is_discounted_intrinsic_on_the_forward() -> None:
    spot, strike, t, r, q = 100.0, np.array([95.0, 105.0]), 0.5, 0.05, 0.01
    fwd = spot * np.exp((r - q) * t)
    expected = np.exp(-r * t) * np.maximum(fwd - strike, 0.0)  # reference: the limit vol -> 0 of BSM
    np.testing.assert_allclose(bsm_price(spot, strike, t, r, q, 0.0, True), expected, rtol=1e-15)
    np.testing.assert_allclose(black76_price(fwd, strike, t, r, 0.0, True), expected, rtol=1e-15)
    # and the limit is continuous: a tiny vol prices the same
    np.testing.assert_allclose(bsm_price(spot, strike, t, r, q, 1e-12, True), expected, rtol=1e-12)


def test_scalar_inputs_give_floats_and_arrays_broadcast() -> None:
    price = bsm_price(100.0, 100.0, 0.5, 0.05, 0.0, 0.2, True)
    assert isinstance(price, float) and np.ndim(price) == 0
    g = black76_greeks(20.0, 20.0, 0.1, 0.05, 0.8, False)
    assert all(isinstance(x, float) for x in (g.price, g.delta, g.gamma, g.vega, g.theta, g.rho))
    grid = black76_price(20.0, np.array([[18.0], [20.0], [22.0]]), np.array([0.05, 0.1, 0.2, 0.5]), 0.05, 0.8, True)
    assert grid.shape == (3, 4)
    np.testing.assert_allclose(grid[2, 1], black76_price(20.0, 22.0, 0.1, 0.05, 0.8, True), rtol=1e-15)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: bsm_price(100.0, [100.0, -5.0, 90.0], 0.5, 0.05, 0.0, 0.2, True),
         r"^strike must be > 0, got -5\.0 \(1 of 3 values\)$"),
        (lambda: bsm_price(-1.0, 100.0, 0.5, 0.05, 0.0, 0.2, True), r"^spot must be > 0, got -1\.0$"),
        (lambda: black76_price(0.0, 20.0, 0.5, 0.05, 0.8, True), r"^forward must be > 0, got 0\.0$"),
        (lambda: black76_greeks(20.0, 20.0, 0.5, 0.05, -0.1, True), r"^vol must be >= 0, got -0\.1$"),
        (lambda: implied_vol_bsm(1.0, 100.0, -5.0, 0.5, 0.05, 0.0, True), r"^strike must be > 0, got -5\.0$"),
    ],
    ids=["strike-array", "spot", "forward-zero", "vol", "implied-vol-strike"],
)  # fmt: skip
def test_invalid_inputs_raise_with_name_and_value(call: Callable[[], object], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        call()


def test_nan_inputs_propagate_without_raising() -> None:
    price = bsm_price(np.array([100.0, np.nan]), 100.0, 0.5, 0.05, 0.0, 0.2, True)
    assert np.isfinite(price[0]) and np.isnan(price[1])


@pytest.mark.parametrize(
    ("right", "expected"),
    [
        (Right.CALL, True),
        (Right.PUT, False),
        ("C", True),
        (True, True),
        (np.array([True, False]), [True, False]),
        ([Right.PUT, Right.CALL, "P"], [False, True, False]),
    ],
    ids=["right-call", "right-put", "str-c", "bool", "bool-array", "right-list"],
)
def test_as_is_call(right: object, expected: object) -> None:
    np.testing.assert_array_equal(as_is_call(right), expected)  # type: ignore[arg-type]


def test_right_put_prices_a_put() -> None:
    # py_vollib's `if flag == 'p'` priced 'P' as a call (STYLE.md rule 6); a Right is never truthy-as-call.
    assert bsm_price(100.0, 90.0, 0.5, 0.05, 0.0, 0.2, Right.PUT) == bsm_price(100.0, 90.0, 0.5, 0.05, 0.0, 0.2, False)


@pytest.mark.parametrize(
    ("right", "error", "match"),
    [("p", ValueError, r"got 'p'"), (1, TypeError, r"got dtype int"), ([None], TypeError, r"NoneType")],
    ids=["lowercase-p", "int", "none"],
)
def test_as_is_call_rejects_ambiguous_rights(right: object, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        as_is_call(right)  # type: ignore[arg-type]


@pytest.mark.parametrize("model", ["bsm", "black76"])
def test_rights_on_an_axis_of_their_own_equal_one_call_per_right(model: str) -> None:
    """is_call of shape (2, 1) against strikes of shape (n,) (how feeds.chains prices a chain's two sides: d1 and
    N(+-d) once per strike) gives, bit for bit, what one call per right gives; every greek has shape (2, n)."""
    strikes = np.linspace(50.0, 200.0, 301)  # deep ITM to deep OTM around 100, and zero-vol / expired rows
    vol = np.where(strikes > 190.0, 0.0, 0.25)
    t = np.where(strikes < 55.0, 0.0, 0.3)
    price = (lambda c: bsm_greeks(100.0, strikes, t, 0.03, 0.01, vol, c)) if model == "bsm" else \
        (lambda c: black76_greeks(100.0, strikes, t, 0.03, vol, c))
    both = price(np.array([[True], [False]]))
    for row, is_call in enumerate((True, False)):
        one = price(is_call)
        for name in ("price", "delta", "gamma", "vega", "theta", "rho"):
            got = getattr(both, name)
            assert got.shape == (2, strikes.size), name
            np.testing.assert_array_equal(got[row], getattr(one, name), err_msg=name)
