"""Tests for analyzers.metrics against independent computations on known NAV paths."""

from __future__ import annotations

import math
import statistics

import numpy as np
import pytest

from analyzers.metrics import cagr, daily_returns, drawdown, max_drawdown, sharpe, summary

P = 252
SUMMARY_KEYS = {"start_nav_usd", "end_nav_usd", "total_return", "cagr", "ann_vol", "sharpe", "max_drawdown",
                "worst_day", "risk_free_rate", "periods_per_year"}


def _constant_path(r: float, n: int) -> np.ndarray:
    nav = [100.0]
    for _ in range(n):
        nav.append(nav[-1] * (1.0 + r))
    return np.array(nav)


@pytest.mark.parametrize("r", [0.0004, 0.001, -0.0003], ids=["r=4bp", "r=10bp", "r=-3bp"])
@pytest.mark.parametrize("n", [252, 500], ids=["1y", "2y"])
def test_constant_daily_return(r: float, n: int) -> None:
    nav = _constant_path(r, n)
    m = summary(nav, 0.01, P)
    # (1 + r)^252 - 1 whatever the length: n returns compound to (1+r)^n, annualised by ^(252/n)
    assert m["cagr"] == pytest.approx((1.0 + r) ** 252 - 1.0, rel=1e-9)
    assert m["total_return"] == pytest.approx((1.0 + r) ** n - 1.0, rel=1e-9)
    assert m["ann_vol"] == pytest.approx(0.0, abs=1e-12)
    assert m["worst_day"] == pytest.approx(r, abs=1e-12)
    # no dispersion: the Sharpe ratio is undefined, not a rounding-noise 1e13
    assert math.isnan(m["sharpe"])
    if r > 0:
        assert m["max_drawdown"] == 0.0
    else:  # a steady loss is drawn down by its whole total return
        assert m["max_drawdown"] == pytest.approx(1.0 - (1.0 + r) ** n, rel=1e-9)


def test_flat_nav() -> None:
    m = summary(np.full(10, 1e6), 0.0, P)
    assert (m["cagr"], m["ann_vol"], m["max_drawdown"], m["total_return"]) == (0.0, 0.0, 0.0, 0.0)
    assert math.isnan(m["sharpe"])


def test_hand_drawdown() -> None:
    nav = np.array([100.0, 120.0, 90.0, 95.0, 130.0])
    # peaks 100, 120, 120, 120, 130 -> drawdowns 0, 0, 30/120, 25/120, 0
    np.testing.assert_allclose(drawdown(nav), [0.0, 0.0, 0.25, 25 / 120, 0.0], rtol=0, atol=1e-15)
    assert max_drawdown(nav) == pytest.approx(0.25, abs=1e-15)
    assert summary(nav, 0.0, P)["max_drawdown"] == pytest.approx(0.25, abs=1e-15)
    np.testing.assert_allclose(daily_returns(nav), [0.2, -0.25, 5 / 90, 35 / 95], rtol=1e-14)
    assert summary(nav, 0.0, P)["worst_day"] == pytest.approx(-0.25, abs=1e-15)


def test_drawdown_takes_the_deepest_of_several() -> None:
    nav = np.array([100.0, 80.0, 110.0, 77.0, 120.0, 60.0, 200.0])
    assert max_drawdown(nav) == pytest.approx(0.5, abs=1e-15)  # 120 -> 60
    assert max_drawdown(np.array([])) == 0.0


@pytest.mark.parametrize(("nav", "periods", "expected"), [
    ([100.0, 110.0], 1, 0.10),                 # one period of +10% at one period per year
    ([100.0, 110.0, 121.0], 1, 0.10),          # 1.21^(1/2) - 1
    ([100.0, 121.0, 121.0, 121.0, 121.0], 2, 0.10),   # 4 half-years -> 2 years: 1.21^(1/2) - 1
    ([100.0, 50.0], 1, -0.5),
])
def test_cagr_hand_values(nav, periods: int, expected: float) -> None:
    assert cagr(np.array(nav), periods) == pytest.approx(expected, rel=1e-12)


def test_cagr_needs_two_points() -> None:
    assert math.isnan(cagr(np.array([100.0]), P))


@pytest.mark.parametrize(("rf", "periods"), [(0.0, 252), (0.02, 252), (0.05, 52)], ids=["rf0", "rf2-daily",
                                                                                       "rf5-weekly"])
def test_sharpe_against_direct_formula(rf: float, periods: int) -> None:
    r = np.random.default_rng(7).normal(0.0004, 0.01, 750)
    rf_period = (1.0 + rf) ** (1.0 / periods) - 1.0  # geometric de-annualisation, as documented
    excess = [x - rf_period for x in r]
    expected = statistics.fmean(excess) / statistics.stdev(excess) * math.sqrt(periods)
    assert sharpe(r, rf, periods) == pytest.approx(expected, rel=1e-10)


def test_sharpe_undefined_for_short_or_flat_series() -> None:
    assert math.isnan(sharpe(np.array([0.01]), 0.01, P))
    assert math.isnan(sharpe(np.array([]), 0.01, P))
    assert math.isnan(sharpe(np.full(20, 0.001), 0.01, P))


def test_summary_against_stdlib() -> None:
    nav = 1e6 * np.cumprod(np.r_[1.0, 1.0 + np.random.default_rng(3).normal(0.0003, 0.008, 400)])
    m = summary(nav, 0.015, P)
    assert set(m) == SUMMARY_KEYS
    r = [nav[i + 1] / nav[i] - 1.0 for i in range(len(nav) - 1)]
    assert m["ann_vol"] == pytest.approx(statistics.stdev(r) * math.sqrt(P), rel=1e-10)
    assert m["cagr"] == pytest.approx((nav[-1] / nav[0]) ** (P / 400) - 1.0, rel=1e-12)
    assert m["worst_day"] == pytest.approx(min(r), rel=1e-12)
    assert (m["start_nav_usd"], m["end_nav_usd"]) == (nav[0], nav[-1])
    assert (m["risk_free_rate"], m["periods_per_year"]) == (0.015, P)
    peak, dd = -math.inf, 0.0
    for v in nav:
        peak = max(peak, v)
        dd = max(dd, 1.0 - v / peak)
    assert m["max_drawdown"] == pytest.approx(dd, abs=1e-15)


def test_summary_accepts_a_list() -> None:
    assert summary([100.0, 120.0, 90.0, 95.0, 130.0], 0.0, P)["max_drawdown"] == pytest.approx(0.25)
