import datetime as dt

import numpy as np
import pytest

from feeds.chains import spx_chain
from strategies.condor import CondorLegs, exit_reason, select_condor
from vixhedge.config import CondorConfig, MarketConfig
from vixhedge.instruments import Right

EXP = dt.date(2016, 4, 15)


@pytest.fixture(scope="module")
def chain():
    m = MarketConfig()
    return spx_chain(2000.0, 16.0, EXP, 45 / 365, m.rate, m.div_yield, m.spx_smile, m.vx_curve, m.spreads)


def test_select_by_delta(chain):
    legs = select_condor(chain, CondorConfig(short_delta=0.20, wing_delta=0.05))
    assert legs.long_put < legs.short_put < 2000 < legs.short_call < legs.long_call
    put, call = chain.put, chain.call
    d = lambda side, k: abs(side.delta[chain.index(k)])  # noqa: E731
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


@pytest.mark.parametrize("cost, dte, expected", [
    (0.50, 30, "profit_take"),   # half the credit of 1.00 captured
    (0.51, 30, None),
    (2.00, 30, "stop"),          # 2x credit
    (1.99, 30, None),
], ids=["pt-at-threshold", "pt-just-short", "stop-at-threshold", "stop-just-short"])
def test_exit_rules(cost, dte, expected):
    assert exit_reason(cost, 1.0, dte, CondorConfig(profit_take=0.5, stop_multiple=2.0)) == expected


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
