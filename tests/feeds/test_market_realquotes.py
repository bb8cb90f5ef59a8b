"""Tests for real option quotes in feeds.market.Market (feeds.realquotes): real, anchored, modelled.

Market: the embedded data (SPX 2695.81 / VIX 9.77 close on 2018-01-02) with the hand-written chain
fixtures: ``SPX_20180102_snapshot.csv`` (root SPX, 2018-02-16, strikes 2400..2950 for both rights,
the 2950 call without an offer; SPXW rows on the same expiration at 2700/2725 and a weekly),
``SPX_20180104_snapshot.csv`` (SPX 2700P and 2800C only; SPXW 2600P) and the VIX DataShop quotes of
2018-02-05. Independent references: feeds.chains.spx_chain / vix_chain called directly with the
day's inputs (the model the Market falls back on), vixhedge.core.pricing for the greeks of real quotes,
and the file values typed in the fixtures.
"""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import numpy as np
import pytest

from feeds import chains
from feeds.embedded import load_embedded
from feeds.loaders.options import OptionQuotes, load_chain_file, load_generic
from feeds.market import Market
from feeds.realquotes import MIN_CHAIN_QUOTES
from tests.feeds.conftest import FIXTURES
from vixhedge.core import implied, pricing
from vixhedge.core.config import (CurveModel, MarketConfig, RateSource, SmileModel, SpreadConfig, SpxSmileConfig,
                             VxCurveConfig)
from vixhedge.core.instruments import Contract, Kind, Quote, Right

D = dt.date
EXP = D(2018, 2, 16)  # root SPX monthly, 45 DTE on 2018-01-02
BEFORE, REAL1, GAP, REAL2, AFTER = D(2017, 12, 29), D(2018, 1, 2), D(2018, 1, 3), D(2018, 1, 4), D(2018, 1, 5)
VX_EXP = D(2018, 2, 14)
FILES = ("SPX_20180102_snapshot.csv", "SPX_20180104_snapshot.csv", "UnderlyingOptionsEODQuotes_VIX_2018-02-05.csv")
# the hand-set prior models (the numbers typed below were computed with them), not the calibrated defaults
CFG = MarketConfig(vx_curve=VxCurveConfig(model=CurveModel.ONE_FACTOR, long_run_level=20.0, mean_reversion_per_year=3.0),
                   spx_smile=SpxSmileConfig(model=SmileModel.VIX_ANCHORED, vix_to_atm=0.85, skew=-0.20, curvature=0.033),
                   rates=RateSource.CONSTANT,
                   spreads=SpreadConfig(spx_option_fraction=0.04, spx_option_min=0.10, spx_option_power=1.0,
                                        vix_option_fraction=0.06, vix_option_min=0.05, vix_option_power=1.0))


def _quotes(*names: str) -> OptionQuotes:
    return OptionQuotes.concat([load_chain_file(FIXTURES / "chains" / n) for n in names])


def _market(*names: str) -> Market:
    return Market(load_embedded(), CFG, options=_quotes(*(names or FILES)))


@pytest.fixture(scope="module")
def market() -> Market:
    return _market()


def spx(strike: float, right: Right, expiry: dt.date = EXP) -> Contract:
    return Contract(Kind.SPX_OPTION, expiry, strike, right)


def model_spx(m: Market, day: dt.date, c: Contract) -> Quote:
    """The model quote of ``c`` on ``day``, priced directly (not through the Market)."""
    i = m.index_of(day)
    chain = chains.spx_chain(float(m.data.spx_close[i]), float(m.data.vix_close[i]), c.expiry,
                             (c.expiry - day).days / 365.0, CFG.rate, CFG.div_yield, CFG.spx_smile, CFG.vx_curve,
                             CFG.spreads, strikes=np.array([c.strike]))
    return chain.quote(c.strike, c.right)


# --- real on its day ---------------------------------------------------------------------------------


def test_real_quote_is_used_on_its_day(market: Market) -> None:
    i = market.index_of(REAL1)
    q = market.quote(spx(2600.0, Right.PUT), i)
    # SPX180216P02600000 on 01/02/2018: bid 13.90, ask 14.40, impliedvol 0.1412, delta -0.2035, gamma 0.0022
    assert (q.bid, q.ask, q.mid, q.delta, q.gamma) == (13.90, 14.40, 14.15, -0.2035, 0.0022)
    g = pricing.bsm_greeks(2693.40, 2600.0, 45 / 365, CFG.rate, CFG.div_yield, 0.1412, False)  # file's spot and IV
    assert q.vega == pytest.approx(float(g.vega), rel=1e-12) and q.theta == pytest.approx(float(g.theta), rel=1e-12)
    assert market.option_origin(spx(2600.0, Right.PUT), i) == "real"
    assert market.quote(spx(2600.0, Right.PUT), i) is q  # through the per-(day, contract) cache


def test_real_greeks_without_a_plausible_file_iv(market: Market) -> None:
    i, t = market.index_of(REAL1), 45 / 365
    put = market.quote(spx(2500.0, Right.PUT), i)  # impliedvol 0 in the file: vol implied from the mid 6.75
    vol = float(implied.implied_vol_bsm(6.75, 2693.40, 2500.0, t, CFG.rate, CFG.div_yield, False))
    g = pricing.bsm_greeks(2693.40, 2500.0, t, CFG.rate, CFG.div_yield, vol, False)
    assert 0.10 < vol < 0.25 and put.mid == 6.75
    assert put.delta == pytest.approx(float(g.delta), rel=1e-12) and put.delta != -0.0801  # not the file's delta
    assert put.vega == pytest.approx(float(g.vega), rel=1e-12)
    chain = market.spx_chain(i, EXP)
    assert chain.put.iv[chain.index(2500.0)] == pytest.approx(vol, rel=1e-12)
    call = market.quote(spx(2400.0, Right.CALL), i)  # impliedvol 36.0 (implausible): not the file's delta 0.999
    assert call.mid == 295.5 and call.delta != 0.999 and 0.9 < call.delta <= 1.0


# --- anchored after a real quote, model before --------------------------------------------------------


def anchored_ref(m: Market, c: Contract, day: dt.date, real_day: dt.date, real_mid: float, real_spot: float,
                 sessions: int) -> pricing.Greeks:
    """The anchored quote of ``c`` on ``day`` computed by hand: the vol gap real - model on ``real_day`` (both at
    the file's SPX: the real vol from the file's mid, the model's from its mid at that level), decayed by
    exp(-sessions / 13) (feeds.marketquotes.ANCHOR_TAU), added to the model's vol of ``day``; priced by BSM at
    the close of ``day``."""
    put = c.right is Right.PUT
    t_k, t_i = (c.expiry - real_day).days / 365.0, (c.expiry - day).days / 365.0
    close = lambda d: float(m.data.spx_close[m.index_of(d)])
    iv = lambda mid, spot, t: float(implied.implied_vol_bsm(mid, spot, c.strike, t, CFG.rate, CFG.div_yield, not put))
    gap = iv(real_mid, real_spot, t_k) - iv(model_at(m, real_day, c, real_spot).mid, real_spot, t_k)
    vol = iv(model_spx(m, day, c).mid, close(day), t_i) + gap * math.exp(-sessions / 13.0)
    return pricing.bsm_greeks(close(day), c.strike, t_i, CFG.rate, CFG.div_yield, vol, not put)


def test_anchored_quote_is_priced_at_the_model_vol_plus_the_decayed_real_gap(market: Market) -> None:
    c = spx(2600.0, Right.PUT)
    i = market.index_of(GAP)
    q = market.quote(c, i)
    m1, m0 = model_spx(market, GAP, c), model_spx(market, REAL1, c)
    # model mids: 12.852438 on 2018-01-02 (SPX 2695.81, VIX 9.77) and 9.666651 on 01-03 (SPX 2713.06, VIX 9.15)
    assert (m0.mid, m1.mid) == (pytest.approx(12.852438, abs=1e-6), pytest.approx(9.666651, abs=1e-6))
    # SPX180216P02600000 on 01/02/2018: mid 14.15 against the file's SPX 2693.40; one session to 01-03
    ref = anchored_ref(market, c, GAP, REAL1, 14.15, 2693.40, 1)
    assert q.mid == pytest.approx(float(ref.price), rel=1e-8)
    # greeks at the same vol as the price (strike selection reads the delta), not the model's
    assert (q.delta, q.gamma, q.vega, q.theta) == pytest.approx(
        (float(ref.delta), float(ref.gamma), float(ref.vega), float(ref.theta)), rel=1e-6)
    assert q.delta < m1.delta  # the real put was dearer than the model's: a larger |delta| at the higher vol
    assert (q.bid, q.ask) == chains.make_quote(q.mid, 0.04, 0.10, 3.00, 1.0)  # the model's spread rule
    assert market.option_origin(c, i) == "anchored"
    # 2018-01-04: only SPXW quotes 2600P that day, so the SPX put stays anchored on 2018-01-02, two sessions on
    j = market.index_of(REAL2)
    assert market.option_origin(c, j) == "anchored"
    assert market.quote(c, j).mid == pytest.approx(float(anchored_ref(market, c, REAL2, REAL1, 14.15, 2693.40,
                                                                       2).price), rel=1e-8)


def test_anchor_moves_to_the_latest_real_quote(market: Market) -> None:
    c = spx(2700.0, Right.PUT)  # real on 01-02 (mid 40.70) and 01-04 (mid 27.30, file SPX 2721.50)
    assert market.quote(c, market.index_of(REAL2)).mid == 27.30
    q = market.quote(c, market.index_of(AFTER))
    assert q.mid == pytest.approx(float(anchored_ref(market, c, AFTER, REAL2, 27.30, 2721.50, 1).price), rel=1e-8)


def test_no_vol_gap_where_the_real_mid_implies_no_vol() -> None:
    m = _market()
    c = spx(2800.0, Right.PUT)  # real on 01-02 only: mid 110.25 against SPX 2693.40 (in the money by 106.60)
    assert m.real is not None
    k, row = m.real.last_real("SPX", EXP, 2800.0, "P", m.index_of(REAL1))
    m.real.mid[row] = 100.0  # below the intrinsic value: no implied vol, so no vol gap; the quote is the model's
    i = m.index_of(GAP)
    q, ref = m.quote(c, i), model_spx(m, GAP, c)
    assert m.vol_gap(c, k, 100.0) == 0.0
    assert (q.mid, q.delta) == (pytest.approx(ref.mid, rel=1e-9), pytest.approx(ref.delta, rel=1e-9))


def test_anchored_quotes_converge_to_the_model_and_keep_the_strike_order(market: Market) -> None:
    # 2018-02-14: 30 sessions after the last real quotes of 01-02/01-04; the gap has decayed by exp(-30/13) = 0.10
    day = D(2018, 2, 14)
    i = market.index_of(day)
    assert i - market.index_of(REAL1) == 30
    puts = [market.quote(spx(k, Right.PUT), i) for k in (2500.0, 2600.0, 2700.0, 2800.0)]
    assert all(market.option_origin(spx(k, Right.PUT), i) == "anchored" for k in (2500.0, 2600.0, 2800.0))
    assert [p.mid for p in puts] == sorted(p.mid for p in puts)  # a higher-strike put is never cheaper
    c = spx(2800.0, Right.PUT)  # deep in the money (110.25 on 01-02): the price-difference rule's failure case
    ref = anchored_ref(market, c, day, REAL1, 110.25, 2693.40, 30)
    assert puts[-1].mid == pytest.approx(float(ref.price), rel=1e-8)
    gap_far = abs(puts[-1].mid - model_spx(market, day, c).mid)
    assert gap_far <= 0.25 * abs(market.quote(c, market.index_of(REAL1)).mid - model_spx(market, REAL1, c).mid)


def test_anchored_quotes_of_an_expiry_are_put_in_strike_order(tmp_path: Path) -> None:
    """Each anchored strike carries its own vol gap, so two can come out of strike order (trial 2026-12-03: a
    4000C/4100C pair 0.004 apart the wrong way). Constructed: the 2018-02-16 2900C and 2950C quoted on 2018-01-02
    at mids 1.00 and 1.40 (higher strike dearer: typed here), anchored the next session: their own anchored
    prices (Market._anchored, the formula of test_anchored_quote_is_priced_at_the_model_vol_plus_the_decayed_real_gap)
    keep that order, so both quote their mean (feeds.strikeorder: the nearest prices in order, by least squares),
    bid and ask by the spread rule around it, greeks those of each strike's own vol; the 2900P quoted alone keeps
    its own price."""
    path = tmp_path / "eod.csv"
    path.write_text("date,expiry,k,cp,b,a\n2018-01-02,2018-02-16,2900,C,0.90,1.10\n"
                    "2018-01-02,2018-02-16,2950,C,1.30,1.50\n2018-01-02,2018-02-16,2900,P,205.00,207.00\n",
                    encoding="utf-8")
    q = load_generic(path, {"quote_date": "date", "expiration": "expiry", "strike": "k", "right": "cp",
                            "bid": "b", "ask": "a"}, root="SPX")
    m = Market(load_embedded(), CFG, options=q)
    k, i = m.index_of(REAL1), m.index_of(GAP)
    low, high = spx(2900.0, Right.CALL), spx(2950.0, Right.CALL)
    raw = [m._anchored([c], i, [k], [mid])[0] for c, mid in ((low, 1.00), (high, 1.40))]
    assert raw[0].mid < raw[1].mid  # out of strike order, each at its own vol
    got = [m.quote(c, i) for c in (low, high)]
    mean = (raw[0].mid + raw[1].mid) / 2.0
    s = CFG.spreads  # SPX: fraction 0.04, min 0.10, power 1.0 (CFG above)
    for g, r in zip(got, raw):
        assert g.mid == pytest.approx(mean, abs=1e-9)
        assert (g.bid, g.ask) == chains.make_quote(g.mid, 0.04, 0.10, s.spx_option_max, 1.0)
        assert (g.delta, g.vega) == (r.delta, r.vega)
    assert [m.option_origin(c, i) for c in (low, high)] == ["anchored", "anchored"]
    put = spx(2900.0, Right.PUT)
    assert m.quote(put, i) == m._anchored([put], i, [k], [206.00])[0]


@pytest.mark.parametrize("day", [BEFORE, EXP, D(2018, 2, 20)], ids=["before-first-real", "expiry-day",
                                                                     "after-expiry"])
def test_model_before_the_first_real_quote_and_from_expiry(market: Market, day: dt.date) -> None:
    c = spx(2600.0, Right.PUT)
    i = market.index_of(day)
    q = market.quote(c, i)
    ref = model_spx(market, day, c)
    assert (q.bid, q.ask) == (ref.bid, ref.ask) and q.mid == pytest.approx(ref.mid, rel=1e-12, abs=1e-12)
    assert market.option_origin(c, i) == "model"


def test_quotes_are_causal() -> None:
    # a market without the 2018-01-04 file quotes every day up to 2018-01-03 exactly alike
    full, early = _market(), _market(FILES[0])
    for day in (BEFORE, REAL1, GAP):
        i = full.index_of(day)
        for c in (spx(2600.0, Right.PUT), spx(2700.0, Right.PUT), spx(2800.0, Right.CALL)):
            assert full.quote(c, i) == early.quote(c, i)


# --- roots kept apart --------------------------------------------------------------------------------


def test_spxw_quote_never_prices_an_spx_contract(market: Market) -> None:
    i = market.index_of(REAL1)
    # SPXW180216P02700000 quotes 50.00/51.00, SPX180216P02700000 40.10/41.30 on the same expiration
    assert market.quote(spx(2700.0, Right.PUT), i).mid == 40.70
    # 2725 and the 2018-01-05 weekly are listed only under SPXW: the SPX contracts are modelled
    for c in (spx(2725.0, Right.PUT), spx(2700.0, Right.PUT, D(2018, 1, 5))):
        assert market.option_origin(c, i) == "model"
        assert market.quote(c, i).mid == pytest.approx(model_spx(market, REAL1, c).mid, rel=1e-12)
        assert market.option_origin(c, market.index_of(GAP)) == "model"  # and never anchored on SPXW
    assert market.real is not None and market.real.counts() == {"SPX": 25, "SPXW": 4, "VIX": 2}


def test_rows_the_loader_rejects_are_not_quotes(market: Market) -> None:
    q = _quotes(FILES[0])
    assert [(b.line, b.reason) for b in q.bad_rows] == [(25, "no offer (ask 0)")]  # SPX 2950 C, bid 0 ask 0
    i = market.index_of(REAL1)
    assert market.option_origin(spx(2950.0, Right.CALL), i) == "model"
    assert market.option_origin(spx(2950.0, Right.PUT), i) == "real"


def test_saturday_expiration_of_a_standard_monthly(tmp_path: Path) -> None:
    # before 2015 the standard SPX monthlies were listed with a Saturday expiration: Sat 2014-04-19 is the
    # April 2014 monthly, which expired on Thursday 2014-04-17 (Good Friday 2014-04-18)
    path = tmp_path / "eod.csv"
    path.write_text("date,expiry,k,cp,b,a\n2014-03-03,2014-04-19,1800,P,20.10,20.90\n", encoding="utf-8")
    q = load_generic(path, {"quote_date": "date", "expiration": "expiry", "strike": "k", "right": "cp",
                            "bid": "b", "ask": "a"}, root="SPX")
    m = Market(load_embedded(), CFG, options=q)
    c = spx(1800.0, Right.PUT, D(2014, 4, 17))
    assert m.quote(c, m.index_of(D(2014, 3, 3))).mid == 20.50
    assert m.option_origin(c, m.index_of(D(2014, 3, 3))) == "real"


# --- chains for strike selection ---------------------------------------------------------------------


def test_spx_chain_is_the_real_chain_on_a_real_day(market: Market) -> None:
    i = market.index_of(REAL1)
    chain = market.spx_chain(i, EXP)
    np.testing.assert_array_equal(chain.strikes, np.arange(2400.0, 2951.0, 50.0))  # listed strikes only
    assert chain.underlying == 2693.40 and chain.t_years == 45 / 365  # the file's SPX level
    assert chain.forward == pytest.approx(2693.40 * math.exp((CFG.rate - CFG.div_yield) * 45 / 365), rel=1e-14)
    assert market.spx_chain(i, EXP) is chain
    # real deltas pick the strikes: |delta| 0.2035 (2600P) and 0.2403 (2750C) are nearest 0.20
    assert chain.nearest_delta(Right.PUT, 0.20) == 2600.0 and chain.nearest_delta(Right.CALL, 0.20) == 2750.0
    assert chain.nearest_delta(Right.CALL, 0.0) == 2900.0  # the 2950 call has no quote: skipped
    with pytest.raises(KeyError, match="C 2950 is not quoted"):
        chain.quote(2950.0, Right.CALL)
    for k in chain.strikes[:-1]:
        assert chain.quote(k, Right.CALL) == market.quote(spx(float(k), Right.CALL), i)


@pytest.mark.parametrize("day", [GAP, REAL2], ids=["no-file", f"fewer-than-{MIN_CHAIN_QUOTES}-quotes"])
def test_spx_chain_is_the_model_chain_otherwise(market: Market, day: dt.date) -> None:
    i = market.index_of(day)
    chain = market.spx_chain(i, EXP)
    assert chain.underlying == market.data.spx_close[i] and len(chain.strikes) > 50  # the 5-point model grid


def test_default_market_has_no_real_quotes() -> None:
    m = Market(load_embedded(), CFG)
    assert m.real is None
    i = m.index_of(REAL1)
    assert m.option_origin(spx(2600.0, Right.PUT), i) == "model"


# --- VIX options --------------------------------------------------------------------------------------


def test_vix_options_real_then_anchored(market: Market) -> None:
    put = Contract(Kind.VIX_OPTION, VX_EXP, 20.0, Right.PUT)
    i, j = market.index_of(D(2018, 2, 5)), market.index_of(D(2018, 2, 6))
    q = market.quote(put, i)
    assert (q.bid, q.ask, q.mid) == (0.10, 0.25, 0.175)  # bid_eod / ask_eod of the DataShop fixture
    fut = float(market.vx.prices[i, market.vx.column(VX_EXP)])
    t = 9 / 365
    vol = float(implied.implied_vol_black76(0.175, fut, 20.0, t, CFG.rate, False))  # no IV in the Quotes layout
    assert q.delta == pytest.approx(float(pricing.black76_greeks(fut, 20.0, t, CFG.rate, vol, False).delta),
                                    rel=1e-12)
    model = lambda k: market._model_quote(put, k)  # the Market's model, shown equal below
    ref = chains.vix_chain(fut, market.vix_chain(i, VX_EXP).vix_beta, VX_EXP, t, CFG.rate, CFG.vix_smile,
                           CFG.spreads, strikes=np.array([20.0])).quote(20.0, Right.PUT)
    assert model(i).mid == pytest.approx(ref.mid, rel=1e-12, abs=1e-15)
    a = market.quote(put, j)  # Black-76 at the model's vol of 02-06 plus the real - model vol gap of 02-05 x exp(-1/13)
    fut_j, t_j = float(market.vx.prices[j, market.vx.column(VX_EXP)]), 8 / 365
    vol_j = float(implied.implied_vol_black76(model(j).mid, fut_j, 20.0, t_j, CFG.rate, False)) + (
        vol - float(implied.implied_vol_black76(model(i).mid, fut, 20.0, t, CFG.rate, False))) * math.exp(-1 / 13)
    assert a.mid == pytest.approx(float(pricing.black76_price(fut_j, 20.0, t_j, CFG.rate, vol_j, False)), rel=1e-8)
    assert (a.bid, a.ask) == chains.make_quote(a.mid, 0.06, 0.05, 0.50, 1.0)
    assert market.option_origin(put, j) == "anchored"


def test_a_vix_option_on_a_weekly_expiry_is_one_clear_error(market: Market) -> None:
    """Trial (2026-12-03): a VIX option on a weekly expiry (no VX future settles on it) raised a raw KeyError
    through Market.quote. 2018-02-07 is the Wednesday between the monthly VIX expirations 2018-01-17 and 2018-02-14
    (Cboe's VIX settlement calendar, feeds.calendars.vx_contracts): one DataError (a ValueError) names the expiry,
    why and the monthlies to use, from quote and vix_chain alike; the monthly of the same day still prices."""
    from feeds.marketdata import DataError

    i, weekly = market.index_of(REAL1), D(2018, 2, 7)
    why = ("VIX option expiry 2018-02-07 is not a monthly VIX expiration: no VX future settles on it, and VIX "
           "options are priced off the VX future of their own expiry (a weekly has none; no forward is "
           "interpolated); use a monthly expiry, e.g. 2018-01-17 or 2018-02-14")
    for ask in (lambda: market.quote(Contract(Kind.VIX_OPTION, weekly, 15.0, Right.CALL), i),
                lambda: market.vix_chain(i, weekly)):
        with pytest.raises(DataError) as err:
            ask()
        assert str(err.value) == why and not isinstance(err.value, KeyError)
    assert market.quote(Contract(Kind.VIX_OPTION, VX_EXP, 15.0, Right.CALL), i).mid > 0.0


def test_a_vx_future_on_a_weekly_date_is_one_clear_error(market: Market) -> None:
    """Review (2026-12-03): a VX future asked for on a non-settlement date (the weekly 2018-02-07, between the
    monthlies 2018-01-17 and 2018-02-14, as above) raised a raw KeyError from MarketQuotes._vx_quote; it is the
    same one DataError, worded for a future."""
    from feeds.marketdata import DataError

    why = ("VX future expiry 2018-02-07 is not a monthly VIX expiration: no VX future settles on it, the curve "
           "holds the monthly VX contracts only (a weekly VX future is not modelled); use a monthly expiry, "
           "e.g. 2018-01-17 or 2018-02-14")
    with pytest.raises(DataError) as err:
        market.quote(Contract(Kind.VX_FUTURE, D(2018, 2, 7)), market.index_of(REAL1))
    assert str(err.value) == why and not isinstance(err.value, KeyError)


# --- NAV continuity and origin counts ------------------------------------------------------------------


def model_at(m: Market, day: dt.date, c: Contract, spot: float) -> Quote:
    """The model quote of ``c`` on ``day`` with SPX at ``spot`` (a file's intraday level) instead of the close."""
    i = m.index_of(day)
    chain = chains.spx_chain(spot, float(m.data.vix_close[i]), c.expiry, (c.expiry - day).days / 365.0, CFG.rate,
                             CFG.div_yield, CFG.spx_smile, CFG.vx_curve, CFG.spreads, strikes=np.array([c.strike]))
    return chain.quote(c.strike, c.right)


def test_nav_has_no_jump_between_real_and_anchored_marks(market: Market) -> None:
    book = {spx(2500.0, Right.PUT): 1, spx(2600.0, Right.PUT): -2, spx(2800.0, Right.CALL): -1,
            spx(2900.0, Right.CALL): 1}
    nav = lambda day: sum(q * market.quote(c, market.index_of(day)).mid * 100.0 for c, q in book.items())
    model_nav = lambda day: sum(q * model_spx(market, day, c).mid * 100.0 for c, q in book.items())
    # the model's own move of the book from the file's SPX 2693.40 (01-02) to the 01-03 close 2713.06: $447.78
    model_move = model_nav(GAP) - sum(q * model_at(market, REAL1, c, 2693.40).mid * 100.0 for c, q in book.items())
    # real (01-02) -> anchored (01-03): the book moves by the model's move and the change of the price of the
    # carried vol gap (measured $466.82, $19.04 off; the price-difference rule moved it by the model's move from
    # the close, $417.46, dropping the file's 2.41 points below the close)
    assert abs((nav(GAP) - nav(REAL1)) - model_move) < 25.0
    # whereas dropping back onto the model would jump by the real-model gap of 01-02: $533.19, $85.41 off that
    assert abs((model_nav(GAP) - nav(REAL1)) - model_move) > 80.0
    # 2800C is real again on 01-04 (mid 5.45, file SPX 2721.50) and anchored on 01-05: the same holds for that leg
    c = spx(2800.0, Right.CALL)
    move = market.quote(c, market.index_of(AFTER)).mid - market.quote(c, market.index_of(REAL2)).mid
    leg_model = model_spx(market, AFTER, c).mid - model_at(market, REAL2, c, 2721.50).mid
    assert abs(move - leg_model) < 0.15  # measured 4.4302 against the model's 4.3367 (its vega rose with SPX)
    assert abs((model_spx(market, AFTER, c).mid - 5.45) - leg_model) > 0.40  # onto the model: 3.9288


def test_option_origin() -> None:
    m = _market()
    days = [m.index_of(d) for d in (BEFORE, REAL1, GAP)]
    # 2600P: model, real, anchored; 2725P (SPXW only): model x3
    assert [m.option_origin(spx(2600.0, Right.PUT), i) for i in days] == ["model", "real", "anchored"]
    assert [m.option_origin(spx(2725.0, Right.PUT), i) for i in days] == ["model"] * 3
    put = Contract(Kind.VIX_OPTION, VX_EXP, 20.0, Right.PUT)
    assert m.option_origin(put, m.index_of(D(2018, 2, 5))) == "real"


# --- survivors of the feeds/ mutation trial (MUT23) ---------------------------------------------------


def _generic(tmp_path: Path, rows: list[str], name: str = "eod.csv") -> OptionQuotes:
    """A generic chain file of ``rows`` (``date,expiry,k,cp,b,a,iv,delta,under``), root SPX."""
    path = tmp_path / name
    path.write_text("date,expiry,k,cp,b,a,iv,delta,under\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return load_generic(path, {"quote_date": "date", "expiration": "expiry", "strike": "k", "right": "cp", "bid": "b",
                               "ask": "a", "iv": "iv", "delta": "delta", "underlying": "under"}, root="SPX")


def test_a_file_delta_far_from_the_delta_of_its_own_iv_is_not_used(tmp_path: Path) -> None:
    """MUT23 (realquotes.DELTA_AGREE 0.05 -> 0.5 survived): a file's delta is used only within 0.05 of the delta priced
    at the file's own iv (module docstring of feeds.realquotes). The 2018-02-16 2725C on 2018-01-02, file iv 0.20,
    delta 0.30, SPX 2693.40: BSM at 0.20 (45 days, rate 0.01, yield 0.02: CFG) gives delta 0.4399, 0.14 away, so the
    chain carries 0.4399, not 0.30 (the mutant kept 0.30)."""
    q = _generic(tmp_path, ["2018-01-02,2018-02-16,2725,C,59.00,60.20,0.20,0.30,2693.40"])
    m = Market(load_embedded(), CFG, options=q)
    i = m.index_of(REAL1)
    want = pricing.bsm_greeks(2693.40, 2725.0, 45 / 365, CFG.rate, CFG.div_yield, 0.20, True)
    assert float(want.delta) == pytest.approx(0.4399, abs=1e-4)
    got = m.quote(spx(2725.0, Right.CALL), i)
    assert m.option_origin(spx(2725.0, Right.CALL), i) == "real" and got.mid == 59.60
    assert got.delta == pytest.approx(float(want.delta), rel=1e-12)
    assert got.gamma == pytest.approx(float(want.gamma), rel=1e-12)  # (the file has no gamma: computed either way)


def _strikes_rows(strikes: np.ndarray) -> list[str]:
    """Both rights of ``strikes`` on 2018-01-02 (2018-02-16), mids BSM at 15% vol on SPX 2693.40, 0.40 wide."""
    rows = []
    for k in strikes:
        for right in ("C", "P"):
            px = float(pricing.bsm_price(2693.40, float(k), 45 / 365, CFG.rate, CFG.div_yield, 0.15, right == "C"))
            rows.append(f"2018-01-02,2018-02-16,{k:.0f},{right},{max(px - 0.20, 0.05):.2f},{px + 0.20:.2f},,,2693.40")
    return rows


@pytest.mark.parametrize("n", [10, 9])
def test_a_chain_of_exactly_min_chain_quotes_strikes_is_the_real_chain(tmp_path: Path, n: int) -> None:
    """MUT23 (realquotes.MIN_CHAIN_QUOTES 10 -> 5 and marketquotes ``>=`` -> ``>`` survived): the real chain is used
    where the files quote "at least MIN_CHAIN_QUOTES strikes per right" (feeds.marketquotes docstring): 10 strikes
    of both rights give the real chain (its 10 listed strikes, the file's SPX), 9 the model's 5-point grid at the
    close (with the quoted strikes at their quotes)."""
    strikes = np.arange(2500.0, 2500.0 + 50.0 * n, 50.0)
    m = Market(load_embedded(), CFG, options=_generic(tmp_path, _strikes_rows(strikes)))
    i = m.index_of(REAL1)
    chain = m.spx_chain(i, EXP)
    if n == 10:
        np.testing.assert_array_equal(chain.strikes, strikes)
        assert chain.underlying == 2693.40
    else:
        assert len(chain.strikes) > 50 and chain.underlying == m.data.spx_close[i]


def test_the_first_file_wins_and_a_quote_on_its_expiration_day_is_left_out(tmp_path: Path) -> None:
    """MUT23 (realquotes ``duplicated(keep="first")`` -> "last" and ``exp > qd`` -> ``>=`` survived); feeds.realquotes
    docstring: "a (day, root, expiration, strike, right) given again by a later file (the first file in the layout's
    order wins)" and "rows quoted on or after their expiration" are left out. Two files quote the 2018-02-16 2600P on
    2018-01-02 at bids 13.90 and 12.00: 13.90 is kept, one row left out; a 2018-01-05 2700P quoted on 2018-01-05
    (its expiration day) is left out and has no real quote."""
    first = _generic(tmp_path, ["2018-01-02,2018-02-16,2600,P,13.90,14.40,,,2693.40",
                                "2018-01-05,2018-01-05,2700,P,1.00,1.20,,,2740.00"], "a.csv")
    later = _generic(tmp_path, ["2018-01-02,2018-02-16,2600,P,12.00,14.40,,,2693.40"], "b.csv")
    m = Market(load_embedded(), CFG, options=OptionQuotes.concat([first, later]))
    book = m.real
    assert book is not None
    assert book.left_out == {"quote date not a market day": 0, "quoted on or after the expiration": 1,
                             "given again by a later file": 1}
    hit = book.last_real("SPX", EXP, 2600.0, "P", m.index_of(REAL1))
    assert hit is not None and book.bid[hit[1]] == 13.90
    assert m.quote(spx(2600.0, Right.PUT), m.index_of(REAL1)).bid == 13.90
    assert book.last_real("SPX", AFTER, 2700.0, "P", m.index_of(AFTER)) is None


@pytest.mark.parametrize("day", [REAL1, GAP], ids=["real-day", "anchored-day"])
def test_a_file_strike_off_the_grid_leaves_the_chain_at_the_model(tmp_path: Path, day: dt.date) -> None:
    """Trial MUT34 MQ04 (the strike match ``abs(model.strikes[j] - k) <= 1e-9`` dropped survived): the quoted chain
    sets "each grid strike the files quote" at its quote (Market._quoted_chain's docstring), "the model chain itself
    where the files quote no strike of it". A file quoting only the 2018-02-16 2702.5C and 2702.5P (off the model's
    5-point grid; fewer than MIN_CHAIN_QUOTES strikes, so the quoted chain) leaves every side of the chain, on its
    day and the next (anchored), equal to the chain of a market without files (the mutant put 2702.5's quotes on
    the 2705 strike)."""
    rows = [r.replace(",2702,", ",2702.5,") for r in _strikes_rows(np.array([2702.0]))]
    m = Market(load_embedded(), CFG, options=_generic(tmp_path, rows))
    assert m.option_origin(spx(2702.5, Right.CALL), m.index_of(REAL1)) == "real"  # the file's quote is read
    i = m.index_of(day)
    got, model = m.spx_chain(i, EXP), Market(load_embedded(), CFG).spx_chain(i, EXP)
    np.testing.assert_array_equal(got.strikes, model.strikes)
    assert 2705.0 in got.strikes and 2702.5 not in got.strikes
    for right in (Right.CALL, Right.PUT):
        for name in ("bid", "ask", "mid", "iv", "delta", "vega"):
            np.testing.assert_array_equal(getattr(got.side(right), name), getattr(model.side(right), name), name)
