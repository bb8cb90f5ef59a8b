import datetime as dt

import numpy as np
import pytest

from feeds.chains import spx_chain
from strategies.condor import (
    CondorLegs,
    calendar_entry_expiry,
    condor_contracts,
    dte_entry_expiry,
    exit_reason,
    rolls_on,
    select_condor,
    wings_left,
)
from vixhedge.core.config import CondorConfig, CondorSizing, MarketConfig, StrikeRule
from vixhedge.core.instruments import Right

EXP = dt.date(2016, 4, 15)


@pytest.fixture(scope="module")
def chain():
    m = MarketConfig()
    return spx_chain(2000.0, 16.0, EXP, 45 / 365, m.rate, m.div_yield, m.spx_smile, m.vx_curve, m.spreads)


def test_select_by_delta(chain):
    legs = select_condor(chain, CondorConfig(short_delta=0.20, wing_delta=0.05))
    assert legs.long_put < legs.short_put < 2000 < legs.short_call < legs.long_call
    put, call = chain.put, chain.call
    d = lambda side, k: abs(side.delta[chain.index(k)])
    assert d(put, legs.short_put) == pytest.approx(0.20, abs=0.01)
    assert d(call, legs.short_call) == pytest.approx(0.20, abs=0.01)
    assert d(put, legs.long_put) == pytest.approx(0.05, abs=0.005)
    assert d(call, legs.long_call) == pytest.approx(0.05, abs=0.005)


def test_select_by_width(chain):
    legs = select_condor(chain, CondorConfig(wing_width_points=50))
    assert legs.short_put - legs.long_put == 50 and legs.long_call - legs.short_call == 50


def test_legs_are_short_body_long_wings():
    legs = CondorLegs(EXP, 1800.0, 1900.0, 2100.0, 2200.0).legs()
    assert [(c.strike, c.right, q) for c, q in legs] == [
        (1800.0, Right.PUT, 1), (1900.0, Right.PUT, -1), (2100.0, Right.CALL, -1), (2200.0, Right.CALL, 1)]


@pytest.mark.parametrize("bids, left", [
    ({1800.0: 0.0, 2200.0: 0.0}, (1800.0, 2200.0)),  # both wings bid 0: both stay open
    ({1800.0: 0.0, 2200.0: 0.05}, (1800.0,)),  # the call wing sells for $5 a contract: sold
    ({1800.0: 0.05, 2200.0: 0.05}, ()),
], ids=["both", "put-only", "none"])
def test_an_exit_leaves_open_only_the_wings_that_would_sell_for_0(bids, left):
    # a trader cannot sell a wing bid at 0 (the default run sold 14 such wings at $0 for $123.20 of fees,
    # trades.csv before this rule); the shorts are always bought back whatever their price
    legs = CondorLegs(EXP, 1800.0, 1900.0, 2100.0, 2200.0)
    price = lambda c: bids.get(c.strike, 0.0)  # noqa: E731  (the shorts' ask is never read: only longs are sold)
    assert tuple(c.strike for c in wings_left(legs, price)) == left


@pytest.mark.parametrize("cost, dte, expected", [
    (0.50, 30, "profit_take"),   # half the credit of 1.00 captured
    (0.51, 30, None),
    (2.00, 30, "stop"),          # 2x credit
    (1.99, 30, None),
], ids=["pt-at-threshold", "pt-just-short", "stop-at-threshold", "stop-just-short"])
def test_exit_rules(cost, dte, expected):
    assert exit_reason(cost, 1.0, dte, CondorConfig(profit_take=0.5, stop_multiple=2.0)) == expected


def test_profit_take_is_the_share_of_the_credit_captured():
    """Mutation trial (2026-12-04): at the default 0.5, ``cost <= (1 - p) x credit`` and ``cost <= p x credit`` are
    the same rule. At p = 0.8 (80% of a 1.00 credit captured, a close costing at most 0.20: README
    condor.profit_take) a close costing 0.19 takes the profit and one costing 0.21 does not, nor 0.75 (the wrong
    rule's 0.8 would take it)."""
    cfg = CondorConfig(profit_take=0.8, stop_multiple=2.0)
    assert exit_reason(0.19, 1.0, 30, cfg) == "profit_take"
    assert exit_reason(0.21, 1.0, 30, cfg) is None and exit_reason(0.75, 1.0, 30, cfg) is None


def test_thresholds_hold_on_the_line_whatever_the_float_sum():
    """Trial CX (2026-12-05): a pct_otm condor's credit, fills 12.50 + 1.70 - 3.80 - 1.40, sums to
    8.999999999999998 in floats, and a close costing 4.50 (exactly half of 9.00: the README's "close when this share
    of the credit is captured") stayed open a day; so did a 9.60 credit at 4.80. Both take the profit now, and a
    stop exactly at 2 x that credit (18.00) fires; a cent short of either line does not."""
    cfg = CondorConfig(profit_take=0.5, stop_multiple=2.0)
    credit = 12.50 + 1.70 - 3.80 - 1.40
    assert credit < 9.0  # the float sum the trial met
    assert exit_reason(4.50, credit, 30, cfg) == "profit_take"
    assert exit_reason(2.40 + 1.75 + 0.40 + 0.25, 6.10 + 1.85 + 1.10 + 0.55, 30, cfg) == "profit_take"  # 4.80 / 9.60
    assert exit_reason(18.00, credit, 30, cfg) == "stop"
    assert exit_reason(4.51, credit, 30, cfg) is None and exit_reason(17.99, credit, 30, cfg) is None


def test_dte_exit_and_hold():
    cfg = CondorConfig(exit_dte=7, profit_take=1.0)
    assert exit_reason(1.0, 1.0, 7, cfg) == "dte"
    assert exit_reason(1.0, 1.0, 8, cfg) is None
    assert exit_reason(0.0, 1.0, 8, cfg) is None  # profit_take = 1 holds


def test_no_condor_when_strikes_collapse():
    m = MarketConfig()
    tiny = spx_chain(2000.0, 16.0, EXP, 45 / 365, m.rate, m.div_yield, m.spx_smile, m.vx_curve, m.spreads,
                     strikes=np.array([1995.0, 2000.0, 2005.0]))
    assert select_condor(tiny, CondorConfig()) is None


def test_select_by_percent_otm(chain):
    legs = select_condor(chain, CondorConfig(strike_rule=StrikeRule.PCT_OTM, short_otm_pct=0.05,
                                             wing_width_points=25))
    assert (legs.short_put, legs.short_call) == (1900.0, 2100.0)  # 2000 x (1 -/+ 5%), on the 5-point grid
    assert (legs.long_put, legs.long_call) == (1875.0, 2125.0)


@pytest.mark.parametrize("sizing, nav, scale, expected", [
    (CondorSizing.CONTRACTS, 1e6, 1.0, 10),
    (CondorSizing.CONTRACTS, 1e6, 0.5, 5),          # bullish divergence: half the vega target
    (CondorSizing.CONTRACTS, 1e6, 0.01, 1),         # never below one condor
    (CondorSizing.MAX_LOSS, 1e6, 1.0, 10),          # 10% x 1e6 / ((100 - 0) x 100)
    (CondorSizing.MAX_LOSS, 95_000, 1.0, 0),        # budget below one condor's max loss
    (CondorSizing.MAX_LOSS, 500_000, 0.5, 3),       # half of 5 (10% x 5e5 / 1e4) rounds half up: 3, not round()'s 2
], ids=["fixed", "scaled", "scaled-floor", "max-loss", "max-loss-too-small", "scaled-half-up"])
def test_condor_contracts(sizing, nav, scale, expected):
    legs = CondorLegs(EXP, 1800.0, 1900.0, 2100.0, 2200.0)
    cfg = CondorConfig(sizing=sizing, contracts=10, max_loss_nav_fraction=0.10)
    assert condor_contracts(cfg, nav, legs, 0.0, scale) == expected


def test_max_loss_sizing_nets_the_credit():
    legs = CondorLegs(EXP, 1800.0, 1900.0, 2100.0, 2150.0)  # widest wing 100 points
    cfg = CondorConfig(sizing=CondorSizing.MAX_LOSS, max_loss_nav_fraction=1.0)
    assert condor_contracts(cfg, 1e6, legs, 20.0) == 125  # 1e6 / ((100 - 20) x 100)


def test_margin_sizing_fits_a_budget_the_float_product_falls_short_of():
    """Trial MUT22 (CO12): _fit without its 1e-9 survived every test. 0.29 x $100,000 = $29,000 is 29 requirements of
    a 10-point widest wing (10 x $100, vixhedge.core.margin); in floats 0.29 * 100_000 = 28999.999999999996, whose
    floor over $1,000 is 28."""
    legs = CondorLegs(EXP, 1890.0, 1900.0, 2100.0, 2110.0)  # both wings 10 points
    cfg = CondorConfig(sizing=CondorSizing.MARGIN, margin_nav_fraction=0.29)
    assert 0.29 * 100_000 < 29_000
    assert condor_contracts(cfg, 100_000, legs, 0.0) == 29


@pytest.mark.parametrize("today, expected", [
    (dt.date(2016, 3, 18), dt.date(2016, 4, 15)),   # March expiration day: into April (28 DTE)
    (dt.date(2016, 3, 21), dt.date(2016, 4, 15)),   # the Monday after, inside the 3-day window
    (dt.date(2016, 3, 22), None),                   # off the cycle
    (dt.date(2016, 3, 17), None),                   # the day before expiration
    (dt.date(2014, 4, 17), dt.date(2014, 5, 16)),   # Good Friday 2014: the monthly expired on Thursday
], ids=["expiration-day", "window", "off-cycle", "day-before", "holiday-thursday"])
def test_calendar_entry_on_the_monthly_cycle(today, expected):
    cfg = CondorConfig(target_dte=30, min_dte=20, max_dte=40, entry_window_days=3)
    assert calendar_entry_expiry(today, cfg) == expected


def test_calendar_entry_takes_the_closest_untraded_expiry_in_range():
    """README: a calendar entry opens, like a DTE one, an untraded expiry (before: None when the closest was traded).
    2016-03-21, inside the window after the March expiration: April 15 is 25 DTE, May 20 60 DTE."""
    cfg = CondorConfig(target_dte=30, min_dte=20, max_dte=60, entry_window_days=3)
    today = dt.date(2016, 3, 21)
    assert calendar_entry_expiry(today, cfg) == dt.date(2016, 4, 15)
    assert calendar_entry_expiry(today, cfg, {dt.date(2016, 4, 15)}) == dt.date(2016, 5, 20)


def test_dte_entry_excludes_traded_expiries():
    cfg = CondorConfig(target_dte=45, min_dte=30, max_dte=60)
    today = dt.date(2016, 3, 1)  # April 15 (45 DTE) and ... May 20 (80) out of range
    assert dte_entry_expiry(today, cfg) == dt.date(2016, 4, 15)
    assert dte_entry_expiry(today, cfg, {dt.date(2016, 4, 15)}) is None


def test_no_stop_when_stop_multiple_is_zero_and_rolls_follow_config():
    cfg = CondorConfig(stop_multiple=0.0, profit_take=1.0)
    assert exit_reason(50.0, 1.0, 30, cfg) is None
    rolling = CondorConfig(exit_dte=21, roll_on_dte=True, roll_on_stop=False)
    assert rolls_on("dte", rolling) and not rolls_on("stop", rolling) and not rolls_on("profit_take", rolling)
