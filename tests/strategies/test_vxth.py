"""VXTH baseline policy: weight schedule and monthly roll, on crafted states."""

import datetime as dt

import pytest

from strategies import hedge as hp
from strategies.book import AddLayer, BookState, Decision, Layer, UnitQuote
from strategies.signalset import Snapshot
from strategies.vxth import vxth_weight
from vixhedge.config import HedgeConfig, HedgeInstrument, HedgeMode, VxthConfig
from vixhedge.instruments import Contract, Kind, Right

CALL = UnitQuote(notional_usd=1_800.0, premium_usd=100.0, vega_usd=30.0)
CFG = HedgeConfig(mode=HedgeMode.VXTH, roll_days=5)


@pytest.mark.parametrize("front_vx, weight", [
    (12.0, 0.0), (15.0, 0.0), (15.01, 0.01), (30.0, 0.01), (30.5, 0.005), (50.0, 0.005), (50.1, 0.0),
    (float("nan"), 0.0)], ids=lambda v: f"{v}")
def test_weight_schedule_by_front_vx(front_vx, weight):
    assert vxth_weight(front_vx, VxthConfig()) == weight


def _snap(front_vx):
    return Snapshot(vx=front_vx, macd=0.0, signal=0.0, hist=0.0, front_vx=front_vx)


def _layer(i=1):
    leg = Contract(Kind.VIX_OPTION, dt.date(2016, 4, 20), 20.0, Right.CALL)
    return Layer(i, HedgeInstrument.VIX_CALL, ((leg, 50),), 90_000.0, "vxth", dt.date(2016, 3, 16), 5_000.0)


def _state(layers=(), bars=10, expiration=False, vx=20.0, **kw):
    return BookState(layers=tuple(layers), days_to_expiry={L.layer_id: 20 for L in layers}, bars_in_run=bars,
                     nav_usd=1_000_000.0, unit=CALL, vix_expiration=expiration, new_future=vx, **kw)


def test_first_bar_buys_weight_times_nav_of_premium():
    d = hp.decide(_state(bars=0), _snap(20.0), CFG)
    assert d.actions == (AddLayer(100, 1.0, "vxth"),)  # 1% x 1,000,000 / 100 per call


def test_without_calls_it_waits_for_the_vix_expiration():
    assert hp.decide(_state(bars=7), _snap(20.0), CFG) == Decision()
    d = hp.decide(_state(bars=7, expiration=True, vx=35.0), _snap(20.0), CFG)
    assert d.actions == (AddLayer(50, 1.0, "vxth_roll"),)  # 0.5% above 30


def test_weight_reads_the_vx_of_the_calls_month_not_the_front():
    # Cboe: the forward VIX of the calls' month sets the weight; the front (expiring) contract is ignored
    d = hp.decide(_state(bars=7, expiration=True, vx=14.0), _snap(20.0), CFG)
    assert d.actions == () and d.fired == ("vxth_roll!weight_0",)


def test_held_calls_are_held_to_settlement_never_sold():
    for expiration in (False, True):
        assert hp.decide(_state([_layer()], expiration=expiration), _snap(20.0), CFG) == Decision()


def test_premium_budget_caps_the_calls():
    cfg = HedgeConfig(mode=HedgeMode.VXTH, premium_budget_usd=2_500.0)
    assert hp.decide(_state(bars=0), _snap(20.0), cfg).actions == (AddLayer(25, 1.0, "vxth"),)
