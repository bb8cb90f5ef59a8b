"""The sweep kernel's listing check reaches the VX months a layer can trade, no further (trial W, 2026-12-05: its reach,
tenor + placement's extra month + 3, handed every default point of a 2008 window to the event path, ~150x slower,
where the kernel gives the same NAV; vixhedge.kernel._reach)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from feeds import calendars
from feeds.expirations import vx_settlement_date
from feeds.sessions import SUPPORTED_END
from vixhedge import kernel as K
from vixhedge import sweep as sw
from vixhedge.core import config as C
from vixhedge.run import daily_book


def test_vx_settlements_are_at_least_the_reach_gap_apart() -> None:
    """_reach bounds the skip rule's months with SETTLEMENT_GAP: the fewest sessions between consecutive VX
    settlements from CFE's first contract (2004) to the calendar's end (feeds/expirations.py; 16, e.g. around a
    holiday-shortened month)."""
    days = [vx_settlement_date(y, m) for y in range(2004, SUPPORTED_END.year) for m in range(1, 13)]
    gaps = [calendars.business_days_between(a, b) for a, b in zip(days[:-1], days[1:])]
    assert min(gaps) == K.SETTLEMENT_GAP


@pytest.mark.parametrize("hedge, reach", [
    ({}, 3),  # tenor 2 + placement's extra month 1; roll_days 5 + review_bars 5 = 10 sessions skip at most month 1
    ({"review_bars": 40}, 4),  # 5 + 40 = 45 sessions: months 1..3 may be skipped, month 4 is > 48 sessions away
    ({"tenor_months": 5, "placement": {"flat_extra_tenor": 1}}, 6),
    ({"mode": "vxth", "vxth": {"min_sessions": 30}}, 3),  # VXTH calls: month 1, skipping those within 30 sessions
])
def test_the_reach_is_the_furthest_month_a_layer_opens_in(hedge, reach) -> None:
    assert K._reach(C.replace(C.load_default(), hedge=hedge))[2] == reach


def _point(cfg: C.Config) -> sw.Point:
    return sw.Point(C.to_toml(cfg), {}, cfg)


@pytest.mark.realdata
def test_a_2008_window_runs_on_the_kernel_unless_a_layer_reaches_an_unlisted_month(shared_data: Path) -> None:
    """2008 on ../shared/data: CFE had not listed some far months (around 2008-03-19 and 2008-04-16, six and more
    months out). The default config (months 1..3) runs on the kernel, its NAV the event path's to 1e-6 USD; tenor 5
    with 3 extra months reaches them and stays handed back (there the kernel, counting months consecutively, left
    the event path by $594.72, measured by trial W); a config without a hedge is never handed back."""
    from feeds.market import build_market

    base = C.replace(C.load_default(), run={"start": dt.date(2008, 1, 2), "end": dt.date(2008, 12, 31)},
                     market={"source": "directory", "data_dir": str(shared_data)})
    market = build_market(base.market)
    assert K.listing_gap(market, base) is None
    (_, out, k, _), = K.outcomes([_point(base)], market)
    daily, layers = daily_book(base, market)
    assert int(out.layers[k]) == layers > 0
    np.testing.assert_allclose(out.nav[k], daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)
    far = C.replace(base, hedge={"tenor_months": 5, "placement": {"flat_extra_tenor": 3}})
    assert "not listed" in K.listing_gap(market, far)
    assert K.listing_gap(market, C.replace(far, hedge={"mode": "none"})) is None


@pytest.mark.realdata
def test_a_point_without_a_hedge_does_not_clear_a_hedged_point_of_the_window(shared_data: Path) -> None:
    """Review of session 12 (2026-12-05): run_points checks the listing once per (window, reach); a point without a
    hedge, never handed back, answered for the hedged points after it, and an alvh point of 2005 (months CFE had not
    listed within its reach) ran on the kernel, $20,883 of NAV off the event path. Either order hands it back."""
    from feeds.market import build_market

    alvh = C.replace(C.load_default(), run={"start": dt.date(2005, 1, 3), "end": dt.date(2005, 12, 30)},
                     market={"source": "directory", "data_dir": str(shared_data)})
    none = C.replace(alvh, hedge={"mode": "none"})
    market = build_market(alvh.market)
    for order in ((alvh, none), (none, alvh)):
        points = [_point(c) for c in order]
        rows, back = K.run_points(points, market, None)
        assert [p.config.hedge.policy_name for p, _ in back] == ["alvh"] and len(rows) == 1


@pytest.mark.realdata
def test_the_reach_that_meets_an_unlisted_month_by_year(shared_data: Path) -> None:
    """The README's figures (*Real data*): on ../shared/data a reach of 1 month meets months CFE had not listed in
    2004 and 2005, 2 in 2006, 6 in 2007 and 2008, none up to 8 from 2009 (the default's reach is 3)."""
    import bisect

    from feeds.market import build_market

    cfg = C.replace(C.load_default(), market={"source": "directory", "data_dir": str(shared_data)})
    market = build_market(cfg.market)
    smallest = {}
    for year in range(2004, 2012):
        i0 = bisect.bisect_left(market.days, dt.date(year, 1, 1))
        i1 = bisect.bisect_right(market.days, dt.date(year, 12, 31))
        smallest[year] = next((r for r in range(1, 9) if market.vx.skipped_near(i0, i1, r)), None)
    assert smallest == {2004: 1, 2005: 1, 2006: 2, 2007: 6, 2008: 6, 2009: None, 2010: None, 2011: None}
    assert K._reach(cfg)[2] == 3
