"""Each ALVH rule alone on crafted signal states: it fires when it should and not otherwise."""

import datetime as dt

import numpy as np
import pytest

from strategies import hedge as hp
from vixhedge.config import HedgeConfig, HedgeInstrument, HedgeMode, MacdConfig, SignalAction
from vixhedge.instruments import Contract, Kind, Right

DAY = dt.date(2016, 3, 1)
EXPIRY = dt.date(2016, 4, 20)


def snap(cross=0, macd=0.5, signal=0.4, hist=None, expanding=False, vx=18.0):
    hist = macd - signal if hist is None else hist
    return hp.Snapshot(vx=vx, macd=macd, signal=signal, hist=hist, cross=cross, expanding_above_zero=expanding)


def layer(i, expiry=EXPIRY):
    return hp.Layer(i, HedgeInstrument.VX_FUTURE, ((Contract(Kind.VX_FUTURE, expiry), 1),), 18000.0, "t", DAY)


def cfg(**kw):
    return HedgeConfig(**kw)


def test_cross_up_adds_first_layer_at_unit_size():
    assert hp.decide((), snap(cross=1), {}, 99, cfg()) == [hp.AddLayer(1.0, "macd_cross_up")]


@pytest.mark.parametrize("expanding, multiple", [(False, 2.0), (True, 1.5)], ids=["default-2x", "expanding-1.5x"])
def test_next_layers_sized_from_first(expanding, multiple):
    out = hp.decide((layer(1),), snap(cross=1, expanding=expanding), {1: 30}, 99, cfg())
    assert len(out) == 1 and out[0].size_multiple == multiple


def test_max_layers_caps_adds():
    layers = tuple(layer(i) for i in range(1, 5))
    assert hp.decide(layers, snap(cross=1), {i: 30 for i in range(1, 5)}, 99, cfg(max_layers=4)) == []


def test_cross_down_removes_newest_only():
    layers = (layer(1), layer(2), layer(3))
    out = hp.decide(layers, snap(cross=-1, macd=0.3, signal=0.4), {1: 30, 2: 30, 3: 30}, 99, cfg())
    assert out == [hp.RemoveLayer(3, "macd_cross_down")]


def test_cross_down_remove_all_when_configured():
    layers = (layer(1), layer(2))
    out = hp.decide(layers, snap(cross=-1), {1: 30, 2: 30}, 99, cfg(on_cross_down=SignalAction.REMOVE_ALL))
    assert [a.layer_id for a in out] == [2, 1]


def test_event_to_action_map_is_configuration():
    out = hp.decide((), snap(cross=1), {}, 99, cfg(on_cross_up=SignalAction.NOTHING))
    assert out == []


def test_no_signal_no_action():
    assert hp.decide((layer(1),), snap(cross=0), {1: 30}, 1, cfg()) == []


def test_review_adds_while_fear_rising_and_removes_while_easing():
    c = cfg(review_bars=5)
    rising = snap(cross=0, macd=0.5, signal=0.4)
    easing = snap(cross=0, macd=0.3, signal=0.4)
    assert hp.decide((layer(1),), rising, {1: 30}, 4, c) == []  # not yet due
    assert hp.decide((layer(1),), rising, {1: 30}, 5, c) == [hp.AddLayer(2.0, "review_fear_rising")]
    assert hp.decide((layer(1),), easing, {1: 30}, 5, c) == [hp.RemoveLayer(1, "review_fear_easing")]
    assert hp.decide((layer(1),), rising, {1: 30}, 50, cfg(review_bars=0)) == []  # crossovers only


def test_warmup_nan_signals_do_nothing():
    s = snap(cross=1, macd=float("nan"))
    assert not s.valid
    assert hp.decide((), s, {}, 99, cfg()) == []


def test_roll_when_close_to_expiry_in_every_mode():
    for mode in (HedgeMode.ALVH, HedgeMode.STATIC):
        out = hp.decide((layer(1),), snap(), {1: 5}, 0, cfg(mode=mode, roll_days=5, static_layers=1))
        assert hp.RollLayer(1, "roll") in out
    assert hp.decide((layer(1),), snap(), {1: 6}, 0, cfg(roll_days=5, review_bars=0)) == []


def test_static_keeps_fixed_layer_count_and_none_hedges_nothing():
    out = hp.decide((), snap(cross=-1), {}, 0, cfg(mode=HedgeMode.STATIC, static_layers=2))
    assert out == [hp.AddLayer(1.0, "static"), hp.AddLayer(1.0, "static")]
    assert hp.decide((layer(1),), snap(cross=1), {1: 30}, 99, cfg(mode=HedgeMode.NONE)) == []


def test_layer_contracts_from_first_notional():
    # first layer: configured count; later: multiple x first notional at today's unit notional
    assert hp.layer_contracts(1.0, None, 15_000.0, 3) == 3
    assert hp.layer_contracts(2.0, 15_000.0, 15_000.0, 1) == 2
    assert hp.layer_contracts(1.5, 30_000.0, 15_000.0, 1) == 3
    assert hp.layer_contracts(2.0, 15_000.0, 20_000.0, 1) == 2  # 1.5 rounds to 2
    assert hp.layer_contracts(0.1, 15_000.0, 20_000.0, 1) == 1  # never zero


def test_layer_legs_vx_and_call_spread():
    c = cfg(spread_long_otm=0.05, spread_width_points=5.0)
    (fut, q), = hp.layer_legs(HedgeInstrument.VX_FUTURE, EXPIRY, 17.3, 2, c)
    assert fut == Contract(Kind.VX_FUTURE, EXPIRY) and q == 2
    (lo, ql), (hi, qh) = hp.layer_legs(HedgeInstrument.VIX_CALL_SPREAD, EXPIRY, 17.3, 3, c)
    assert (lo.strike, lo.right, ql) == (18.0, Right.CALL, 3)  # round(17.3 * 1.05) = 18
    assert (hi.strike, qh) == (23.0, -3)


def test_compute_signals_is_causal():
    rng = np.random.default_rng(3)
    x = 15 + np.cumsum(rng.normal(0, 0.5, 400))
    full = hp.compute_signals(x, MacdConfig())
    for t in (60, 200, 399):
        part = hp.compute_signals(x[: t + 1], MacdConfig())
        for name in ("macd", "signal", "hist", "cross", "expanding_above_zero"):
            np.testing.assert_array_equal(getattr(part, name), getattr(full, name)[: t + 1])
