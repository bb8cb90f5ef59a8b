"""Tests for feeds.vxcontinuous: SPVXSP roll weights, constant maturity, the short-term index.

Reference: the S&P 500 VIX Short-Term Futures Index rules quoted in MARKET_RULES.md. Expected
weights are counted by hand on the NYSE calendar (sessions listed in each comment), including
holiday cases: a settlement moved to Tuesday (VXH14, Good Friday), Presidents' Day inside a roll
period, Thanksgiving and the 2018-12-05 closure, Christmas and New Year.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from feeds import calendars
from feeds.embedded import load_embedded
from feeds.market import Market
from feeds.vxcontinuous import constant_maturity, real_prices_only, roll_weights, short_term_index
from feeds.vxcurve import MODEL, REAL
from vixhedge.core.config import MarketConfig, VxSeries

D = dt.date


def _weights(start: dt.date, end: dt.date):
    days = calendars.trading_days(start, end)
    contracts = calendars.vx_contracts(start, end + dt.timedelta(days=120))
    settle = np.array([np.datetime64(c.settlement, "D") for c in contracts])
    return days, contracts, roll_weights(days, settle)


def _at(days: pd.DatetimeIndex, day: dt.date) -> int:
    return days.get_loc(pd.Timestamp(day))


@pytest.mark.parametrize("day, front, dr, dt_", [
    # [2018-01-17, 2018-02-14): Jan 17-19, 22-26, 29-31, Feb 1-2, 5-9, 12-13 = 20 sessions
    # session before VXF18 settles: all weight on VXG18; its period [2017-12-20, 2018-01-17) has 17
    # sessions (Christmas, New Year's Day and Martin Luther King Day 01-15 closed)
    (D(2018, 1, 16), D(2018, 1, 17), 0, 17),
    (D(2018, 1, 17), D(2018, 2, 14), 19, 20),  # settlement day: first day of the roll period
    (D(2018, 2, 13), D(2018, 2, 14), 0, 20),
    # [2018-02-14, 2018-03-21) = 24 sessions (Presidents' Day 02-19 closed); from 02-20: 21 left
    (D(2018, 2, 16), D(2018, 3, 21), 21, 24),
    # VXH14 settled Tue 2014-03-18 (Good Friday 2014-04-18): [02-19, 03-18) = 19 sessions
    (D(2014, 2, 19), D(2014, 3, 18), 18, 19),
    (D(2014, 3, 14), D(2014, 3, 18), 1, 19),
    (D(2014, 3, 17), D(2014, 3, 18), 0, 19),   # Monday before the Tuesday settlement
    (D(2014, 3, 18), D(2014, 4, 16), 20, 21),  # [03-18, 04-16) = 21 sessions
    # [2018-11-21, 2018-12-19): Thanksgiving 11-22 closed; 12-05 (Bush) was closed only after the period
    # began (announced 12-01), so S&P's period keeps it as a business day: 19
    (D(2018, 11, 21), D(2018, 12, 19), 18, 19),
    (D(2018, 12, 4), D(2018, 12, 19), 10, 19),  # next business day 12-05: Dec 5, 6, 7, 10-14, 17, 18
    (D(2018, 12, 6), D(2018, 12, 19), 8, 19),  # two steps over the closure: Dec 7, 10-14, 17, 18
    # [2018-12-19, 2019-01-16): Dec 25 and Jan 1 closed = 18 sessions
    (D(2018, 12, 24), D(2019, 1, 16), 14, 18),
], ids=["tue-before-settlement", "settlement-day", "last-day", "presidents-day", "good-friday-start",
        "good-friday-friday", "good-friday-monday", "tuesday-settlement-day", "thanksgiving", "mourning-day",
        "after-mourning-day", "christmas"])
def test_roll_weights_follow_the_spvxsp_rule(day: dt.date, front: dt.date, dr: int, dt_: int) -> None:
    days, contracts, w = _weights(day - dt.timedelta(days=5), day + dt.timedelta(days=5))
    i = _at(days, day)
    assert contracts[w.first[i]].settlement == front
    assert contracts[w.second[i]].settlement == calendars.front_vx_contract(front, 1).settlement
    assert (w.dr[i], w.dt[i]) == (dr, dt_)
    assert w.w1[i] == pytest.approx(dr / dt_, abs=1e-15) and w.w2[i] == pytest.approx(1 - dr / dt_, abs=1e-15)


def test_weights_fall_by_one_session_per_day_over_a_period() -> None:
    _, _, w = _weights(D(2018, 1, 17), D(2018, 2, 13))
    assert (w.dt == 20).all() and w.dr.tolist() == list(range(19, -1, -1))


def test_constant_maturity_blends_first_and_second() -> None:
    days, contracts, _ = _weights(D(2018, 1, 16), D(2018, 1, 18))
    settle = np.array([np.datetime64(c.settlement, "D") for c in contracts])
    prices = np.full((3, len(contracts)), np.nan)
    prices[:, 0] = [11.0, 10.0, np.nan]   # VXF18, settles 01-17 (NaN after)
    prices[:, 1] = [12.0, 12.5, 13.0]     # VXG18
    prices[:, 2] = [13.0, 13.5, 14.0]     # VXH18
    cm = constant_maturity(days, settle, prices)
    # 01-16: w1 = 0 on VXF18 -> VXG18 only; 01-17: 19/20 VXG18 + 1/20 VXH18; 01-18: 18/20, 2/20
    np.testing.assert_allclose(cm, [12.0, 0.95 * 12.5 + 0.05 * 13.5, 0.9 * 13.0 + 0.1 * 14.0], rtol=0, atol=1e-12)
    prices[1, 2] = np.nan  # a weighted contract without a price gives NaN, not a silent zero
    assert np.isnan(constant_maturity(days, settle, prices)[1])


def test_short_term_index_uses_yesterdays_weights() -> None:
    days, contracts, _ = _weights(D(2018, 1, 12), D(2018, 1, 18))  # Jan 12, 16, 17, 18 (MLK 01-15)
    settle = np.array([np.datetime64(c.settlement, "D") for c in contracts])
    prices = np.full((4, len(contracts)), np.nan)
    prices[:, 0] = [10.0, 10.5, 11.0, np.nan]
    prices[:, 1] = [12.0, 12.3, 12.9, 13.1]
    prices[:, 2] = [13.0, 13.2, 13.6, 13.9]
    level = short_term_index(days, settle, prices, base=100.0)
    # 01-12: dt = [2017-12-20, 2018-01-17) = 17 sessions; dr = [01-16, 01-17) = 1 -> w1 = 1/17
    w1 = 1 / 17
    r1 = (w1 * 10.5 + (1 - w1) * 12.3) / (w1 * 10.0 + (1 - w1) * 12.0)
    r2 = 12.9 / 12.3  # 01-16 weights: all on VXG18 (VXF18 settles the next session)
    r3 = (0.95 * 13.1 + 0.05 * 13.9) / (0.95 * 12.9 + 0.05 * 13.6)  # 01-17 weights 19/20, 1/20
    np.testing.assert_allclose(level, 100.0 * np.cumprod([1.0, r1, r2, r3]), rtol=1e-13)


def test_series_never_read_later_prices() -> None:
    market = Market(load_embedded(), MarketConfig())
    curve = market.vx
    cm = constant_maturity(curve.dates, curve.settlement_ns, curve.prices)
    for t in (40, 300, 900):
        shocked = curve.prices.copy()
        shocked[t + 1:] *= 3.0
        np.testing.assert_array_equal(constant_maturity(curve.dates, curve.settlement_ns, shocked)[:t + 1],
                                      cm[:t + 1])
        level = short_term_index(curve.dates[:t + 1], curve.settlement_ns, curve.prices[:t + 1])
        np.testing.assert_allclose(short_term_index(curve.dates, curve.settlement_ns, shocked)[:t + 1], level,
                                   rtol=1e-12)


def test_market_reads_the_constant_maturity_series() -> None:
    market = Market(load_embedded(), MarketConfig())
    cm = market.vx_series(VxSeries.CONSTANT_30D)
    np.testing.assert_array_equal(cm, constant_maturity(market.vx.dates, market.vx.settlement_ns, market.vx.prices))
    f1, f2 = market.vx_series(VxSeries.FRONT), market.vx_series(VxSeries.SECOND)
    assert np.isfinite(cm).all()
    assert ((cm >= np.minimum(f1, f2) - 1e-12) & (cm <= np.maximum(f1, f2) + 1e-12)).all()


def test_too_short_a_curve_is_an_error() -> None:
    days = calendars.trading_days(D(2018, 2, 1), D(2018, 2, 5))
    with pytest.raises(ValueError, match=r"fewer than two monthly contracts settle after 2018-02-01"):
        roll_weights(days, np.array(["2018-02-14"], dtype="datetime64[D]"))


@pytest.mark.parametrize("before, after, steps", [
    (D(2006, 12, 29), D(2007, 1, 3), 2),  # 2007-01-02 President Ford's day of mourning (01-01 a holiday)
    (D(2012, 10, 26), D(2012, 10, 31), 3),  # Hurricane Sandy, 10-29 and 10-30
    (D(2018, 12, 4), D(2018, 12, 6), 2),  # 2018-12-05 President Bush's day of mourning
], ids=["ford", "sandy", "bush"])
def test_unscheduled_closures_stay_business_days_of_the_roll_period(before: dt.date, after: dt.date,
                                                                     steps: int) -> None:
    days, _, w = _weights(before - dt.timedelta(days=3), after + dt.timedelta(days=3))
    i, k = _at(days, before), _at(days, after)
    assert k == i + 1  # consecutive sessions
    assert w.dt[i] == w.dt[k]  # the period's length is the one set when it started
    assert w.dr[i] - w.dr[k] == steps  # one step per business day, the closed ones included


def test_unlisted_second_month_is_interpolated_between_real_settles() -> None:
    prices = np.array([[15.0, 17.0, 19.0], [15.0, 30.0, 19.0], [15.0, np.nan, 19.0]])
    origin = np.array([[REAL, REAL, REAL], [REAL, MODEL, REAL], [REAL, MODEL, REAL]], dtype=np.uint8)
    tau = np.array([[0.05, 0.10, 0.20]] * 3)
    out = real_prices_only(prices, origin, tau)
    np.testing.assert_allclose(out[0], prices[0])  # real everywhere: unchanged
    assert out[1, 1] == pytest.approx(15.0 + (0.05 / 0.15) * 4.0)  # 16.33, not the model's 30
    assert np.isnan(out[2, 1])  # not listed: stays unpriced
    assert real_prices_only(prices, None, tau) is prices  # model-only curve: nothing to do



def test_a_price_outside_the_real_settles_is_kept() -> None:
    """Trial MUT34 VC07 (``0 < k`` -> ``0 <= k`` survived): real_prices_only's docstring, a non-real price is
    interpolated only with "a contract with a real settle on either side"; "other prices are kept". A model front
    before two real settles (and a model back month after them) keeps its price, not an extrapolation of the real
    ones (by hand, the mutant's pair a = the last real, b = the first: x = (0.01 - 0.20) / (0.10 - 0.20) = 1.9, the
    front 17 + 1.9 * (15 - 17) = 13.2)."""
    prices = np.array([[20.0, 15.0, 17.0, 25.0]])
    origin = np.array([[MODEL, REAL, REAL, MODEL]], dtype=np.uint8)
    tau = np.array([[0.01, 0.10, 0.20, 0.30]])
    np.testing.assert_array_equal(real_prices_only(prices, origin, tau), prices)


def test_an_infinite_weighted_price_gives_nan_not_inf() -> None:
    """Trial MUT34 VC04 (the guard's ``(w2 > 0) & ~isfinite(f2)`` dropped survived): constant_maturity's docstring,
    "a day whose weighted contracts lack a price is NaN". A NaN F2 gives NaN through the sum without the guard (the
    blend test above), so the guard tells apart only a non-finite price that is not NaN: an infinite second month
    on 2018-01-17 (weight 1/20, the blend test's hand count) is no price either, NaN, not inf."""
    days, contracts, _ = _weights(D(2018, 1, 16), D(2018, 1, 18))
    settle = np.array([np.datetime64(c.settlement, "D") for c in contracts])
    prices = np.full((3, len(contracts)), np.nan)
    prices[:, 1] = [12.0, 12.5, 13.0]  # VXG18 (the front from 01-17)
    prices[:, 2] = [13.0, np.inf, 14.0]  # VXH18, its second month
    cm = constant_maturity(days, settle, prices)
    assert cm[0] == 12.0 and np.isnan(cm[1]) and cm[2] == pytest.approx(0.9 * 13.0 + 0.1 * 14.0, abs=1e-12)


def test_market_reads_the_short_term_index() -> None:
    from feeds.embedded import load_embedded
    from feeds.market import Market
    from vixhedge.core.config import MarketConfig, VxSeries

    market = Market(load_embedded().window(D(2016, 1, 4), D(2016, 6, 30)), MarketConfig())
    cm = market.vx_series(VxSeries.CONSTANT_30D)
    idx = market.vx_series(VxSeries.SHORT_TERM_INDEX)
    ref = short_term_index(market.vx.dates, market.vx.settlement_ns, market.vx.prices, base=float(cm[0]))
    np.testing.assert_array_equal(idx, ref)
    assert idx[0] == cm[0] and np.isfinite(idx).all()


@pytest.mark.realdata
def test_no_model_real_switching_jump_where_contracts_were_not_yet_listed(shared_data) -> None:
    """2004-2007: days whose 1st or 2nd month has no real settle read interpolated real prices only."""
    from feeds.market import build_market
    from feeds.vxcurve import REAL
    from vixhedge.core import config

    cfg = config.replace(config.load_default(), market={"source": "directory", "data_dir": str(shared_data)})
    m = build_market(cfg.market)
    w = roll_weights(m.vx.dates, m.vx.settlement_ns)
    rows = np.arange(len(m.dates))
    span = (m.dates >= "2004-06-01") & (m.dates <= "2007-12-31")
    gap = span & ((m.vx.origin[rows, w.first] != REAL) | (m.vx.origin[rows, w.second] != REAL))
    assert gap.sum() > 50  # contracts listed a few sessions after the previous settlement, 2004-2006
    cm = m.vx_series(VxSeries.CONSTANT_30D)
    fixed = real_prices_only(m.vx.prices, m.vx.origin, m.vx.tau_years)
    g = np.flatnonzero(gap)
    f1, f2 = fixed[g, w.first[g]], fixed[g, w.second[g]]
    np.testing.assert_allclose(cm[g], np.where(w.w1[g] > 0, w.w1[g] * f1, 0) + np.where(w.w2[g] > 0, w.w2[g] * f2, 0))
    # no jump at the seams: the series' move beyond 0.6 x the VIX move is no larger there than elsewhere
    excess = np.abs(np.diff(cm, prepend=cm[0]) - 0.6 * np.diff(m.data.vix_close, prepend=m.data.vix_close[0]))
    seam = gap | np.r_[False, gap[:-1]]
    assert excess[seam].max() <= excess[span & ~seam].max()
