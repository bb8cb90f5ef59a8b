"""What the per-run loop keeps between runs on one Market equals what it used to compute each time.

Sweep points share a Market: the VX contract sessions (:meth:`feeds.market.Market.vx_sessions`), the SPX
entry expiry (:meth:`~feeds.market.Market.spx_expiry`), the FOMC / CPI-PPI window masks
(:func:`strategies.signalset._window_mask`) and covered option requirements
(:func:`vixhedge.core.margin.option_requirement`) are kept; each must equal its uncached computation.
"""

import numpy as np
import pytest

from feeds import calendars, fomc
from feeds.market import build_market
from strategies import signalset
from strategies.condor import select_condor
from vixhedge.core import config as C
from vixhedge.core import margin as mg


@pytest.fixture(scope="module")
def market():
    return build_market(C.load_default().market)


def test_vx_sessions_equal_nth_contract_and_the_calendar(market) -> None:
    for i in range(0, len(market.days), 7):
        for n in (1, 2, 3):
            settlement = market.vx.nth_contract(i, n).settlement
            expected = calendars.business_days_between(market.days[i], settlement)
            assert market.vx_sessions(i, n) == (settlement, expected)
            assert market.vx_sessions(i, n) == (settlement, expected)  # the kept answer


def test_spx_expiry_kept_answer_equals_the_search(market) -> None:
    for i in range(0, len(market.days), 5):
        for window in ((30, 60, 45), (20, 40, 30)):  # default.toml condor.min/max/target_dte, and a shorter one
            assert market.spx_expiry(i, *window) == market._spx_expiry(i, *window)
            assert market.spx_expiry(i, *window) == market._spx_expiry(i, *window)


def test_window_masks_are_kept_read_only_and_equal(market) -> None:
    days = fomc.default_calendar()
    for before, after in ((2, 1), (5, 5)):  # default.toml hedge.fomc days_before/after, divergence_sessions
        kept = signalset._window_mask(market.dates, days, before, after)
        assert np.array_equal(kept, fomc.window_mask(market.dates, days, before, after))
        assert signalset._window_mask(market.dates, days, before, after) is kept
        assert not kept.flags.writeable


def test_covered_option_requirement_kept_equals_fresh(market) -> None:
    i = len(market.days) // 2
    expiry = market.spx_expiry(i, 30, 60, 45)
    legs = select_condor(market.spx_chain(i, expiry), C.load_default().condor).legs()
    fresh = mg._covered_requirement.__wrapped__(tuple(legs))
    assert mg.option_requirement(legs) == fresh == mg.option_requirement(list(legs))
    assert fresh > 0  # a condor's requirement: its largest expiry loss, the widest wing (margin.py docstring)
