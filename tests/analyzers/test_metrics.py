"""Tests for analyzers.metrics against independent computations on known NAV paths."""

from __future__ import annotations

import datetime as dt
import math
import statistics

import numpy as np
import pandas as pd
import pytest

from analyzers.metrics import (
    cagr,
    cvar,
    daily_returns,
    drawdown,
    drawdown_spells,
    max_drawdown,
    month_returns,
    sharpe,
    sortino,
    summary,
    tail_correlation,
)

P = 252
SUMMARY_KEYS = {"start_nav_usd", "end_nav_usd", "total_return", "cagr", "ann_vol", "sharpe", "sortino",
                "max_drawdown", "calmar", "cvar_95", "cvar_95_days", "worst_day", "risk_free_rate",
                "periods_per_year"}
DATED_KEYS = {"worst_day_date", "worst_month", "worst_month_label", "max_drawdown_peak", "max_drawdown_trough",
              "max_drawdown_recovery", "max_drawdown_recovered", "max_drawdown_duration_days",
              "longest_drawdown_days"}


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
    assert m["cvar_95_days"] == 20  # floor(5% of 400 returns): the worst days cvar_95 averages
    assert summary(nav[:1], 0.015, P)["cvar_95_days"] == 0  # no return: no day (trial MUT20)
    assert m["cvar_95"] == pytest.approx(-statistics.fmean(sorted(r)[:20]), rel=1e-12)
    assert (m["start_nav_usd"], m["end_nav_usd"]) == (nav[0], nav[-1])
    assert (m["risk_free_rate"], m["periods_per_year"]) == (0.015, P)
    peak, dd = -math.inf, 0.0
    for v in nav:
        peak = max(peak, v)
        dd = max(dd, 1.0 - v / peak)
    assert m["max_drawdown"] == pytest.approx(dd, abs=1e-15)


def test_summary_accepts_a_list() -> None:
    assert summary([100.0, 120.0, 90.0, 95.0, 130.0], 0.0, P)["max_drawdown"] == pytest.approx(0.25)


# ----------------------------------------------------------------------------- Sortino, CVaR, Calmar

def test_sortino_hand_value() -> None:
    r = np.array([0.02, -0.01, 0.03, -0.02])
    # mean 0.005; downside deviation over all 4 days sqrt((0 + 1e-4 + 0 + 4e-4) / 4) = sqrt(1.25e-4);
    # 0.005 / sqrt(1.25e-4) = sqrt(0.2) at one period per year
    assert sortino(r, 0.0, 1) == pytest.approx(math.sqrt(0.2), rel=1e-12)
    assert sortino(r, 0.0, 252) == pytest.approx(math.sqrt(0.2) * math.sqrt(252), rel=1e-12)


@pytest.mark.parametrize("rf", [0.0, 0.03], ids=["rf0", "rf3"])
def test_sortino_against_direct_formula(rf: float) -> None:
    r = np.random.default_rng(11).normal(0.0005, 0.012, 600)
    target = (1.0 + rf) ** (1.0 / P) - 1.0
    ex = [x - target for x in r]
    downside = math.sqrt(sum(min(x, 0.0) ** 2 for x in ex) / len(ex))
    assert sortino(r, rf, P) == pytest.approx(statistics.fmean(ex) / downside * math.sqrt(P), rel=1e-10)


def test_sortino_undefined_without_downside() -> None:
    assert math.isnan(sortino(np.array([0.01, 0.02, 0.03]), 0.0, P))  # no day below the target
    assert math.isnan(sortino(np.array([0.01]), 0.0, P))


def test_cvar_hand_values() -> None:
    # 100 returns -1%..-100%: the worst 5 are -100..-96%, mean -98% -> CVaR 0.98
    assert cvar(-np.arange(1.0, 101.0) / 100) == pytest.approx(0.98, rel=1e-12)
    # 39 returns: floor(5% x 39) = 1 -> the single worst day
    r = np.linspace(-0.05, 0.05, 39)
    assert cvar(r) == pytest.approx(0.05, rel=1e-12)
    assert math.isnan(cvar(np.array([])))


def test_cvar_against_sorted_list() -> None:
    r = np.random.default_rng(2).standard_t(3, 1_000) * 0.01
    worst = sorted(r.tolist())[:50]  # 5% of 1,000
    assert cvar(r, 0.95) == pytest.approx(-sum(worst) / 50, rel=1e-12)
    worst99 = sorted(r.tolist())[:10]
    assert cvar(r, 0.99) == pytest.approx(-sum(worst99) / 10, rel=1e-12)


def test_calmar_is_cagr_over_max_drawdown() -> None:
    nav = 1e6 * np.cumprod(np.r_[1.0, 1.0 + np.random.default_rng(4).normal(0.0004, 0.01, 504)])
    m = summary(nav, 0.0, P)
    assert m["calmar"] == pytest.approx(m["cagr"] / m["max_drawdown"], rel=1e-12)
    assert math.isnan(summary(_constant_path(0.001, 10), 0.0, P)["calmar"])  # no drawdown: undefined


# ----------------------------------------------------------------------------- calendar metrics

def _bdays(n: int, start: str = "2015-01-05") -> list[dt.date]:
    return [d.date() for d in pd.bdate_range(start, periods=n)]


def test_drawdown_spells_hand_example() -> None:
    # Mon 5 Jan .. Tue 13 Jan 2015 (a weekend inside)
    dates = _bdays(7)
    nav = np.array([100.0, 90.0, 100.0, 99.0, 98.0, 97.0, 100.0])
    s = drawdown_spells(nav, dates)
    # deepest fall 10% on Tue 6 Jan from the peak of Mon 5 Jan, back at 100 on Wed 7 Jan: 2 days
    assert s == {"max_drawdown_peak": "2015-01-05", "max_drawdown_trough": "2015-01-06",
                 "max_drawdown_recovery": "2015-01-07", "max_drawdown_recovered": True,
                 "max_drawdown_duration_days": 2,
                 "longest_drawdown_days": 6}  # the shallower spell Wed 7 -> Tue 13 Jan spans a weekend


def test_drawdown_spell_not_recovered_runs_to_the_last_day() -> None:
    dates = _bdays(5)
    s = drawdown_spells(np.array([100.0, 110.0, 110.0, 80.0, 90.0]), dates)
    # peak = the LAST day at 110 (Wed 7 Jan), trough Thu 8, never back: duration to Fri 9 Jan = 2 days
    assert (s["max_drawdown_peak"], s["max_drawdown_trough"]) == ("2015-01-07", "2015-01-08")
    assert s["max_drawdown_recovery"] is None and s["max_drawdown_recovered"] is False
    assert s["max_drawdown_duration_days"] == 2 == s["longest_drawdown_days"]


def test_drawdown_spells_without_drawdown() -> None:
    s = drawdown_spells(np.array([1.0, 2.0, 3.0]), _bdays(3))
    assert s["max_drawdown_duration_days"] == 0 and s["max_drawdown_recovered"] is True
    assert s["max_drawdown_peak"] is None


def test_drawdown_duration_against_a_plain_loop() -> None:
    nav = 1e6 * np.cumprod(np.r_[1.0, 1.0 + np.random.default_rng(9).normal(0.0002, 0.01, 700)])
    dates = _bdays(len(nav))
    s = drawdown_spells(nav, dates)
    peak_i, best, spells, start = 0, (0.0, 0, 0), [], None
    for k, v in enumerate(nav):  # plain loop: running peak, deepest trough, spells peak -> recovery
        if v >= nav[peak_i]:
            if start is not None:
                spells.append((dates[k] - dates[start]).days)
                start = None
            peak_i = k
        else:
            start = peak_i if start is None else start
            if 1 - v / nav[peak_i] > best[0]:
                best = (1 - v / nav[peak_i], peak_i, k)
    if start is not None:
        spells.append((dates[-1] - dates[start]).days)
    assert s["max_drawdown_peak"] == dates[best[1]].isoformat()
    assert s["max_drawdown_trough"] == dates[best[2]].isoformat()
    assert s["longest_drawdown_days"] == max(spells)


def test_month_returns_against_pandas() -> None:
    dates = _bdays(260, "2015-06-01")
    nav = 1e6 * np.cumprod(np.r_[1.0, 1.0 + np.random.default_rng(5).normal(0.0, 0.01, 259)])
    r = pd.Series(nav[1:] / nav[:-1] - 1.0, index=pd.DatetimeIndex(dates[1:]))
    expected = (1.0 + r).groupby(r.index.to_period("M")).prod() - 1.0
    got = month_returns(nav, dates)
    assert list(got) == [str(p) for p in expected.index]
    np.testing.assert_allclose(list(got.values()), expected.to_numpy(), rtol=1e-12)
    m = summary(nav, 0.01, P, dates)
    assert set(m) == SUMMARY_KEYS | DATED_KEYS
    assert m["worst_month"] == pytest.approx(expected.min(), rel=1e-12)
    assert m["worst_month_label"] == str(expected.idxmin())
    assert m["worst_day_date"] == r.idxmin().date().isoformat()


def test_worst_month_hand_example() -> None:
    # 30 Jan -> 2 Feb -> 3 Feb -> 2 Mar: February = 0.9 x 1.1 - 1 = -1%, March = +5%
    dates = [dt.date(2015, 1, 30), dt.date(2015, 2, 2), dt.date(2015, 2, 3), dt.date(2015, 3, 2)]
    nav = np.array([100.0, 90.0, 99.0, 103.95])
    assert month_returns(nav, dates) == pytest.approx({"2015-02": -0.01, "2015-03": 0.05}, rel=1e-12)


# ----------------------------------------------------------------------------- tail correlation

def test_tail_correlation_hand_example() -> None:
    # 60 days -> the worst floor(3.0) = 3 days by total P&L: days 0, 1, 2
    total = np.r_[-300.0, -200.0, -100.0, np.arange(57.0)]
    hedge = np.r_[50.0, 10.0, 30.0, np.zeros(57)]
    condor = np.r_[-350.0, -210.0, -130.0, np.arange(57.0)]
    t = tail_correlation(total, hedge, condor)
    # corr((50, 10, 30), (-350, -210, -130)) by hand: deviations (20, -20, 0), (-120, 20, 100)
    # -> sum xy = -2,800; sum x^2 = 800; sum y^2 = 24,800 -> -2800 / sqrt(800 x 24800)
    assert t["tail_days"] == 3
    assert t["tail_hedge_condor_corr"] == pytest.approx(-2800 / math.sqrt(800 * 24800), rel=1e-12)
    assert (t["tail_hedge_pnl_usd"], t["tail_condor_pnl_usd"], t["tail_total_pnl_usd"]) == (90.0, -690.0, -600.0)


def test_tail_correlation_against_pandas() -> None:
    rng = np.random.default_rng(8)
    condor = rng.normal(100, 2_000, 1_000)
    hedge = -0.3 * condor + rng.normal(0, 500, 1_000)
    total = condor + hedge + rng.normal(0, 50, 1_000)
    df = pd.DataFrame({"t": total, "h": hedge, "c": condor}).nsmallest(50, "t")
    t = tail_correlation(total, hedge, condor)
    assert t["tail_days"] == 50
    assert t["tail_hedge_condor_corr"] == pytest.approx(df["h"].corr(df["c"]), rel=1e-10)
    assert t["tail_hedge_pnl_usd"] == pytest.approx(df["h"].sum(), rel=1e-12)


def test_tail_correlation_undefined_cases() -> None:
    assert math.isnan(tail_correlation(np.arange(40.0), np.zeros(40), np.arange(40.0))["tail_hedge_condor_corr"])
    assert tail_correlation(np.array([]), np.array([]), np.array([]))["tail_days"] == 0


def test_sharpe_over_the_cash_returns_of_each_day() -> None:
    """An array risk-free is one cash return per period: Sharpe and Sortino of r - rf (stdlib, no rf); a NAV that
    earns exactly the cash return has no excess and no ratio; the summary states the array's mean over a year."""
    rng = np.random.default_rng(5)
    r = rng.normal(0.0004, 0.01, 300)
    rf = 0.05 * np.where(np.arange(300) % 5 == 4, 3, 1) / 365.0  # 5%/yr ACT/365: Mondays carry the weekend
    ex = r - rf
    assert sharpe(r, rf, P) == pytest.approx(statistics.mean(ex) / statistics.stdev(ex) * math.sqrt(P), rel=1e-12)
    downside = math.sqrt(sum(min(x, 0.0) ** 2 for x in ex) / len(ex))
    assert sortino(r, rf, P) == pytest.approx(statistics.mean(ex) / downside * math.sqrt(P), rel=1e-12)
    cash = 1e6 * np.cumprod(np.r_[1.0, 1.0 + rf])
    m = summary(cash, rf, P)
    assert math.isnan(m["sharpe"]) and math.isnan(m["sortino"])  # no excess: not a ratio
    assert m["risk_free_rate"] == pytest.approx((1.0 + rf.mean()) ** P - 1.0, rel=1e-12)
    with pytest.raises(ValueError, match="299 per-period returns for 300 returns"):
        summary(np.r_[100.0, 100.0 * np.cumprod(1.0 + r)], rf[1:], P)


def test_simple_rate_reads_a_constant_rate_as_set() -> None:
    """A constant 5% credited ACT/365 over the 20 sessions 2010-05-03..05-28 (19 steps, 25 calendar days) reads
    5.00% (the fresh-user trial saw 4.65%: annual_rate compounds the mean per-session return over 252 periods)."""
    from analyzers import metrics as M

    days = [d.date() for d in pd.bdate_range("2010-05-03", "2010-05-28")]  # no holiday in that window
    cash = np.array([0.05 * (b - a).days / 365.0 for a, b in zip(days, days[1:])])
    assert M.simple_rate(cash, days) == pytest.approx(0.05, rel=1e-12)
    assert M.annual_rate(cash, 252) == pytest.approx(0.0465, abs=5e-5)


def test_ratio_caveat_names_a_ruin_and_a_loss_with_a_positive_mean() -> None:
    # audit (2026-12-03), /tmp/acct/cfg/ruin.toml on 2008-10-24..12-31: total return -95.46%, Sharpe 0.51, Sortino 0.82
    from analyzers.metrics import ratio_caveat

    lost = {"total_return": -0.9546, "sharpe": 0.51, "sortino": 0.82}
    assert ratio_caveat(lost, None).startswith("the NAV fell 95.46% while its mean daily excess return is positive")
    assert ratio_caveat({**lost, "sharpe": -2.23, "sortino": -2.86}, None) == ""  # signs agree: the ratios stand
    assert ratio_caveat({**lost, "sharpe": float("nan"), "sortino": float("nan")}, None) == ""
    assert ratio_caveat({"total_return": -1.0, "sharpe": -3.0, "sortino": -4.0}, {"date": "2015-09-01"}) == (
        "a ruined path (ruin on 2015-09-01, NAV 0 that day): its ratios are not meaningful")


def test_return_on_margin_divides_the_pnl_given_over_the_days_it_spans() -> None:
    # the default run (metrics.json): P&L rows' total -$170,629.16 from the initial cash over a mean margin of
    # $165,907.64, 1218 sessions, 252 periods a year
    from analyzers.metrics import capital_metrics

    n = 1218
    nav, margin = np.full(n, 1e6), np.full(n, 165_907.64)
    out = capital_metrics(nav, -170_629.16, margin, margin, margin, np.zeros(n, bool), 0, 252)
    assert out["return_on_margin"] == pytest.approx(-170_629.16 / 165_907.64, rel=1e-12)
    assert out["return_on_margin_annual"] == pytest.approx(out["return_on_margin"] * 252 / n, rel=1e-12)


def test_ratio_caveat_says_nothing_of_a_run_that_ended_flat() -> None:
    """Trial MUT24 met19 (``total < 0`` -> ``<= 0`` survived): the volatility-drag caveat is for a run whose NAV
    fell (ratio_caveat's docstring; README "a run whose NAV fell while its mean daily excess return is positive").
    A total return of exactly 0 did not fall: no caveat (the mutant wrote "the NAV fell 0.00% ...")."""
    from analyzers.metrics import ratio_caveat

    assert ratio_caveat({"total_return": 0.0, "sharpe": 0.4, "sortino": 0.6}, None) == ""
    assert ratio_caveat({"total_return": -1e-4, "sharpe": 0.4, "sortino": 0.6}, None).startswith("the NAV fell 0.01%")


def test_valid_span_ends_at_the_ruin_day_with_nav_0() -> None:
    """Trial MUT24 met17 (``nav[-1] = 0.0`` deleted survived): README *Capital, margin and ruin*: performance "is
    computed on the valid span (to the ruin day, NAV 0 on it: total return -100%)". By hand: NAV 100, 50, 20, 30
    ruined on the third day: [100, 50, 0] over the first three dates (the mutant kept the 20), the input untouched."""
    from analyzers.metrics import valid_span

    days = [dt.date(2018, 2, 1), dt.date(2018, 2, 2), dt.date(2018, 2, 5), dt.date(2018, 2, 6)]
    given = np.array([100.0, 50.0, 20.0, 30.0])
    nav, dates = valid_span(given, days, days[2])
    assert nav.tolist() == [100.0, 50.0, 0.0] and dates == days[:3]
    assert given.tolist() == [100.0, 50.0, 20.0, 30.0]  # a copy is cut, not the caller's array
    nav, dates = valid_span(given, days, None)
    assert nav.tolist() == given.tolist() and dates == days
