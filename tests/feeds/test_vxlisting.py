"""VX contract months the exchange had not listed (feeds.vxcurve.VxCurve.unlisted; trial of exchange rules,
session 8, 2026-12-04: a 2005-06..2007-12 run on ../shared/data made 23 VX fills on months the CFE had not listed
yet or never listed, all model-priced: Jul and Sep 2005 never, Dec 2005 from 2005-10-24, Mar 2006 from 2006-01-24).

A month is unlisted on a day when the VX files hold no settle of it up to that day while a later month has one
that day (the exchange listed the later month, not this one). Independent reference for the real-data test: the
first trade date of each monthly contract in the all-listed file, read here with plain pandas.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds import calendars
from feeds.datanotes import listing_note
from feeds.vxcurve import REAL, VxCurve, with_real_settles
from vixhedge.core.config import VxCurveConfig

D = dt.date


def _curve() -> tuple[VxCurve, np.ndarray]:
    dates = pd.DatetimeIndex([d for d in calendars.trading_days(D(2018, 1, 2), D(2018, 2, 28))])
    vix = np.full(len(dates), 15.0)
    curve = VxCurve.from_model(dates, vix, vix, VxCurveConfig())
    return curve, np.full(curve.prices.shape, np.nan)


def test_a_month_without_a_settle_while_a_later_one_has_one_is_unlisted_and_no_rank_counts_it():
    curve, settles = _curve()
    f0 = int(np.argmax(curve.tau_years[0] > 0))  # the first day's front month
    settles[:, f0] = 15.5
    settles[:, f0 + 2] = 16.5  # the month after the next is listed, the next one is not
    settles[:, f0 + 3] = 17.0
    real = with_real_settles(curve, settles)
    assert real.unlisted is not None and real.unlisted[0, f0 + 1] and not real.unlisted[0, f0 + 2]
    # the files skip a month that day, so they are the exchange's listing: past the furthest one, nothing is listed
    # (trial RR3, session 16: a tenor of 5 opened on Sep 2005, never listed)
    assert real.unlisted[0, f0 + 4] and np.isfinite(real.prices[0, f0 + 4])
    assert real.nth_contract(0, 2) == curve.contracts[f0 + 2]  # the second listed month, not the second calendar one
    assert real.nth_columns(2)[0] == f0 + 2 and real.nth_columns(1)[0] == f0
    assert np.isfinite(real.prices[0, f0 + 1])  # its model price stays (the 30-day series interpolates it)
    settles[5:, f0 + 1] = 16.0  # listed from day 5 (the front has not settled yet): counted from then on
    real = with_real_settles(curve, settles)
    assert real.unlisted[4, f0 + 1] and not real.unlisted[5, f0 + 1]
    assert real.nth_contract(5, 2) == curve.contracts[f0 + 1]
    assert real.unlisted[4, f0 + 4] and not real.unlisted[5, f0 + 4]  # no month skipped from day 5: the file's rule


def test_a_gap_inside_a_contract_s_rows_keeps_it_listed_and_ranked():
    """Trial MRG33 L1 (session 33): the processed VX files of ../shared/data leave a contract out on days it did not
    trade (165 and 195 such holes after 2015) and the README's margin table said "a month the VX files show unlisted
    that day is not counted", which read as if a hole unlisted it. The rule (vxcurve.with_real_settles) unlists a
    month only before its first settle: on a day inside a gap it stays listed, ranked and anchored to its last one."""
    curve, settles = _curve()
    f0 = int(np.argmax(curve.tau_years[0] > 0))
    settles[:, f0:f0 + 4] = [15.5, 16.0, 16.5, 17.0]
    settles[3:6, f0 + 1] = np.nan  # no row of the second month on days 3..5, the months around it quoted
    real = with_real_settles(curve, settles)
    assert real.unlisted is None or not real.unlisted[3:6, f0 + 1].any()
    assert [real.nth_contract(d, 2) for d in (2, 3, 5, 6)] == [curve.contracts[f0 + 1]] * 4
    assert real.origin[4, f0 + 1] != REAL and np.isfinite(real.prices[4, f0 + 1])


def test_a_file_skipping_a_month_among_two_leaves_the_later_ones_listed():
    """Trial MUT2 (V3: "three or more" read as "two or more" survived). Files that skip a month are the exchange's
    own listing only when they quote three months or more (vxcurve.with_real_settles' docstring; the CFE listed 3 to
    9 in 2004-2006): with the front and the month after next only (a contract between rejected), the skipped month
    is unlisted, the months past the furthest quoted stay listed and model-priced."""
    curve, settles = _curve()
    f0 = int(np.argmax(curve.tau_years[0] > 0))
    settles[:, f0] = 15.5
    settles[:, f0 + 2] = 16.5
    real = with_real_settles(curve, settles)
    assert real.unlisted[0, f0 + 1] and not real.unlisted[0, f0 + 3] and not real.unlisted[0, f0 + 4]
    assert real.nth_contract(0, 3) == curve.contracts[f0 + 3]


def test_a_file_of_the_nearest_months_only_leaves_the_later_ones_listed():
    """A consolidated file with the front two months: nothing after them is real, so nothing is called unlisted."""
    curve, settles = _curve()
    rows = np.arange(len(curve.dates))
    cols = np.argmax(curve.tau_years > 0, axis=1)
    settles[rows, cols] = 15.5
    settles[rows, cols + 1] = 16.0
    real = with_real_settles(curve, settles)
    assert real.unlisted is None and real.nth_contract(0, 3) == curve.contracts[int(cols[0]) + 2]


@pytest.mark.parametrize("instruments, named", [
    (("vx_future", "vix_option"), ["VX futures", "VIX options"]),
    (("vx_future",), ["VX futures"]),
    (("vix_option",), ["VIX options"]),
    ((), [])])
def test_the_listing_note_names_only_the_instruments_the_hedge_trades(instruments, named):
    """Trial of exchange rules (session 8): a VX-future hedge from 2005 was told of VIX options' 2006 launch."""
    note = listing_note(D(2000, 2, 22), D(2007, 12, 31), instruments)
    assert [n for n in ("VX futures", "VIX options") if n in note] == named


def test_the_hedge_instruments_of_a_config():
    from vixhedge.core import config as C
    from vixhedge.window import hedge_instruments

    base = C.load_default()
    assert hedge_instruments(base.hedge) == ("vx_future",)
    assert hedge_instruments(C.replace(base, hedge={"instrument": "vix_call_spread"}).hedge) == ("vix_option",)
    assert hedge_instruments(C.replace(base, hedge={"mode": "vxth"}).hedge) == ("vix_option",)
    assert hedge_instruments(C.replace(base, hedge={"mode": "none"}).hedge) == ()


@pytest.mark.realdata
def test_on_the_shared_data_no_vx_fill_is_on_a_month_before_its_listing(shared_data: Path):
    """2005-06..2006-12 on ../shared/data: Jul and Sep 2005 never listed, Dec 2005 listed on 2005-10-24 (first trade
    dates of the all-listed file); every VX fill of the default config is on a month listed that day and real-priced,
    and the sweep kernel hands the window to the event path (it counts months consecutively)."""
    from feeds.market import build_market
    from vixhedge.core import config as C
    from vixhedge.kernel import listing_gap
    from vixhedge.run import run_backtest

    raw = pd.read_csv(shared_data / "vix_futures_settle_all_listed_2004_2025" / "vx_settle_all_listed_2004_2025.csv.gz",
                      parse_dates=["trade_date", "expiry"])
    first = raw[raw["is_monthly"]].groupby("expiry")["trade_date"].min()
    first = {e.date(): t.date() for e, t in first.items()}
    assert D(2005, 7, 20) not in first and D(2005, 9, 21) not in first and first[D(2005, 12, 21)] == D(2005, 10, 24)

    cfg = C.replace(C.load_default(), run={"start": "2005-06-01", "end": "2006-12-29"},
                    market={"source": "directory", "data_dir": str(shared_data)})
    market = build_market(cfg.market)
    vx = market.vx
    jul, dec = vx.column(D(2005, 7, 20)), vx.column(D(2005, 12, 21))
    i = market.index_of(D(2005, 6, 1))
    assert vx.unlisted[i, jul] and vx.unlisted[market.index_of(D(2005, 10, 21)), dec]
    assert not vx.unlisted[market.index_of(D(2005, 10, 24)), dec]
    assert vx.nth_contract(i, 2).settlement == D(2005, 8, 17)  # June's second listed month: August
    res = run_backtest(cfg, market=market, engine="fast")
    trades = res.trades.reset_index()  # (indexed by date)
    fills = trades[trades["kind"] == "vx_future"]
    assert len(fills) > 20
    late = [(d, e) for d, e in zip(pd.to_datetime(fills["date"]).dt.date, pd.to_datetime(fills["expiry"]).dt.date)
            if e not in first or d < first[e]]
    assert late == []
    assert all(vx.origin[market.index_of(d), vx.column(e)] == REAL
               for d, e in zip(pd.to_datetime(fills["date"]).dt.date, pd.to_datetime(fills["expiry"]).dt.date))
    assert "not listed" in listing_gap(market, cfg)
    assert listing_gap(market, C.replace(cfg, run={"start": "2014-03-03", "end": "2018-12-31"})) is None


@pytest.mark.realdata
def test_a_window_after_2008_keeps_every_listed_month_and_the_kernel_equals_the_event_path(shared_data: Path):
    """Review of session 8 (2026-12-04): VxCurve.listed_months took the minimum over the whole curve, 3 on days of
    2005 with the real files, so every run on them, 2014 too, offered 3 VX months: a layer on month 4 was sized on
    the default tenor's unit and the event path left the kernel by $1,732 of NAV (2014-01..2015-06, tenor_months = 4).
    Each day's own listing bounds it (VxCurve.listed_on): 8 there, and the two paths agree to 1e-6 USD."""
    import hashlib

    from feeds.market import build_market
    from vixhedge import kernel as K
    from vixhedge import sweep as sw
    from vixhedge.core import config as C
    from vixhedge.run import daily_book

    cfg = C.replace(C.load_default(), run={"start": "2014-01-02", "end": "2014-12-31"},
                    market={"source": "directory", "data_dir": str(shared_data)}, hedge={"tenor_months": 4})
    market = build_market(cfg.market)
    days = market.days
    assert {market.vx.listed_on(i) for i in range(days.index(D(2014, 1, 2)), days.index(D(2014, 12, 31)) + 1)} == {8}
    assert market.vx.listed_on(days.index(D(2005, 3, 16))) == 3 and market.vx.listed_months == 8
    point = sw.Point(hashlib.sha256(C.to_toml(cfg).encode()).hexdigest()[:16], {}, cfg)
    (nav, layers, reason), = [(o.nav[k], int(o.layers[k]), o.reason[k]) for _, o, k, _ in K.outcomes([point], market)]
    daily, event_layers = daily_book(cfg, market)
    assert reason == "" and layers == event_layers
    np.testing.assert_allclose(nav, daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)


@pytest.mark.realdata
@pytest.mark.parametrize("mode", ["static", "alvh"])
def test_a_tenor_past_the_months_listed_opens_on_the_furthest_listed_one_and_says_so(shared_data: Path, mode: str):
    """Window-edge trial, session 13 (2026-12-05): hedge.tenor_months = 4 (the README allows 1..6) stopped a 2005 run
    on ../shared/data mid-way, "VX 2005-12-21 is not listed on 2005-03-16" (static; alvh on 2005-01-21): the CFE
    listed 3 months that day (VxCurve.listed_on), and the layer's month 4 had no price. On such a day the layer opens
    on the furthest listed month, every VX fill on a real settle (trial RR3, session 16: the months past the furthest
    one the files quote were counted as listed, so a tenor of 5, or alvh's placement past month 3, opened on a
    model-priced month the CFE never listed), and the run's note counts the days; 3 months were listed on every day
    of 2004-2007, so tenor 3 (alvh: 2, its outer layers one further) keeps to the configured month."""
    from feeds.market import build_market
    from vixhedge.core import config as C
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run={"start": "2005-01-03", "end": "2005-12-30"},
                    market={"source": "directory", "data_dir": str(shared_data)},
                    hedge={"mode": mode, "tenor_months": 4})
    market = build_market(cfg.market)
    res = run_backtest(cfg, market=market, engine="fast")
    fills = res.trades[res.trades["kind"] == "vx_future"]
    assert len(fills) > 0 and set(fills["quote"]) == {"real"}
    note = res.metrics["policy_notes"][-1]
    assert note.endswith("those layers opened on the furthest listed month; a shorter hedge.tenor_months keeps to "
                         "the configured one")
    if mode == "static":  # 3 months listed on 2005-01-19, month 4 wanted
        assert note.startswith("on 25 sessions (2005-01-19..2005-12-21) the VX month a layer would open in was not "
                               "listed yet (month 4 on 2005-01-19, 3 listed)")
    assert min(market.vx.listed_on(i) for i in range(market.index_of(D(2004, 3, 26)), market.index_of(D(2008, 1, 2)))) == 3
    fine = run_backtest(C.replace(cfg, hedge={"tenor_months": 3 if mode == "static" else 2}), market=market,
                        engine="fast")
    assert "the furthest listed month" not in " ".join(fine.metrics["policy_notes"])
