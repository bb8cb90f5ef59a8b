"""ALVH rules on crafted signal states (test_hedge_policy.py): first-layer sizing by vega ratio, the caps
(max layers, notional, premium budget), placement (restrikes on flattening), rolls, the static and none policies,
layer legs."""

import pytest

from strategies import hedge as hp
from strategies.book import (
    AddLayer,
    Decision,
    Layer,
    RemoveLayer,
    RestrikeLayer,
    RollLayer,
    UnitQuote,
    cap_contracts,
    cap_counted,
    first_layer_contracts,
    layer_contracts,
    layer_legs,
)
from vixhedge.core.config import HedgeInstrument, HedgeMode, LayerSizing, PlacementConfig, SlopeConfig
from vixhedge.core.instruments import Contract, Kind, Right
from tests.strategies.policy_cases import DAY, EXPIRY, UNIT, EASING, acts, cfg, layer, snap, state


# --------------------------------------------------------------------------- sizing and caps

def test_vega_ratio_sizes_the_first_layer_from_the_condor():
    c = cfg(sizing=LayerSizing.VEGA_RATIO, target_hedge_ratio=0.25)
    # 0.25 x 14,000 / 700 = 5 contracts
    assert acts(hp.decide(state(condor_vega_usd=14_000.0), snap(cross=1), c))[0].contracts == 5
    # 0.25 x 19,040 / 700 = 6.8: rounded to the nearest, 7 (mutation trial, 2026-12-04: truncating to 6 passed)
    assert acts(hp.decide(state(condor_vega_usd=19_040.0), snap(cross=1), c))[0].contracts == 7
    # no condor open: falls back to the fixed count
    assert acts(hp.decide(state(condor_vega_usd=0.0), snap(cross=1), c))[0].contracts == 1


def test_a_vega_ratio_first_layer_placed_nearer_is_sized_on_the_vega_of_the_contract_it_buys():
    """slope_breakeven places the first layer one month nearer (tenor 2 -> the front, 11 sessions out: another
    contract, test_slope_breakeven_acts_only_when_the_nearer_month_is_another_contract): it is sized on the front
    contract's vega (vx_unit_vegas[0], 1,400 here: the front VX moves more per VIX point), not on the default tenor's
    (UNIT's 700): 0.25 x 14,000 / 1,400 = 2.5 -> 2 contracts (round half to even, book.first_layer_contracts),
    where the default tenor's vega gives 5."""
    c = cfg(sizing=LayerSizing.VEGA_RATIO, target_hedge_ratio=0.25, slope=SlopeConfig(enabled=True), tenor_months=2)
    placed = dict(condor_vega_usd=14_000.0, vx_dte=(11, 32, 52), vx_futures=(12.0, 18.0, 30.0))
    d = hp.decide(state(**placed, vx_unit_vegas=(1_400.0, 700.0, 500.0)), snap(cross=1, macd_slope=0.3), c)
    assert acts(d) == [AddLayer(2, 1.0, "macd_cross_up+steep", 0.05, 1)] and "slope_breakeven" in d.acted
    # not placed (no steep slope): the default tenor's unit, 0.25 x 14,000 / 700 = 5
    assert acts(hp.decide(state(**placed, vx_unit_vegas=(1_400.0, 700.0, 500.0)), snap(cross=1), c))[0].contracts == 5
    # a BookState without vx_unit_vegas (a plug-in's caller) keeps the default tenor's vega: 5
    assert acts(hp.decide(state(**placed), snap(cross=1, macd_slope=0.3), c))[0].contracts == 5


def test_a_vega_ratio_first_option_layer_placed_nearer_is_sized_on_the_vega_of_the_option_it_buys():
    """slope_breakeven puts a first call spread's long call nearer (near_otm 0.02: future 18.63, strike
    round(18.63 x 1.03) = 19 against the default offset's round(18.63 x 1.05) = 20, 2014-12-11 of
    test_an_option_slope_placement_that_leaves_the_strike_where_it_was_is_neither_counted_nor_tagged): it is sized
    on the vega of the spread it buys (``option_unit(0.03)``, 1,400 here), not on the default strike's (UNIT's 700):
    0.25 x 14,000 / 1,400 = 2.5 -> 2 contracts (round half to even), where the default strike's vega gives 5."""
    c = cfg(review_bars=0, sizing=LayerSizing.VEGA_RATIO, target_hedge_ratio=0.25,
            **{**SPREAD, "placement": PlacementConfig(enabled=False),
               "slope": SlopeConfig(enabled=True, near_otm=0.02)})
    asked = []

    def option_unit(otm):
        asked.append(otm)
        return UnitQuote(1_863.0, 0.0, 1_400.0)

    placed = dict(condor_vega_usd=14_000.0, new_future=18.63)
    d = hp.decide(state(**placed, option_unit=option_unit), snap(cross=1, macd_slope=0.3), c)
    assert acts(d) == [AddLayer(2, 1.0, "macd_cross_up+steep", pytest.approx(0.03))] and "slope_breakeven" in d.acted
    assert asked == [pytest.approx(0.03)]
    # not placed (no steep slope): the default strike's unit, 0.25 x 14,000 / 700 = 5, no other option priced
    assert acts(hp.decide(state(**placed, option_unit=option_unit), snap(cross=1), c))[0].contracts == 5
    assert len(asked) == 1
    # a BookState without option_unit (a plug-in's caller) keeps the default strike's vega: 5
    assert acts(hp.decide(state(**placed), snap(cross=1, macd_slope=0.3), c))[0].contracts == 5


def test_max_layers_caps_adds():
    layers = [layer(i) for i in range(1, 5)]
    d = hp.decide(state(*layers), snap(cross=1), cfg(max_layers=4))
    assert acts(d) == [] and d.fired == ("macd_cross_up!max_layers",)


def test_notional_cap_cuts_then_blocks():
    c = cfg(max_notional_usd=60_000.0)
    assert acts(hp.decide(state(layer(1), layer(2)), snap(cross=1), c))[0].contracts == 1  # room for 24k: 1
    d = hp.decide(state(layer(1), layer(2), layer(3)), snap(cross=1), c)
    # cut to 0: an add of 0 contracts naming the cap, which the trader logs as refused (capital_cuts.csv); 2 wanted
    # (next_layer_multiple 2 x the first layer's notional)
    assert [(a.contracts, a.wanted, a.cap) for a in acts(d)] == [(0, 2, "max_notional_usd")]
    assert d.fired == ("macd_cross_up!max_notional_usd",)


def test_premium_budget_caps_option_layers():
    unit = UnitQuote(1_800.0, premium_usd=150.0, vega_usd=40.0)
    c = cfg(instrument=HedgeInstrument.VIX_CALL_SPREAD, premium_budget_usd=1_000.0, first_layer_contracts=10)
    assert acts(hp.decide(state(unit=unit), snap(cross=1), c))[0].contracts == 6  # floor(1000 / 150)
    held = layer(1, instrument=HedgeInstrument.VIX_CALL_SPREAD, premium=950.0)
    d = hp.decide(state(held, unit=unit), snap(cross=1), c)
    # cut to 0 (50 of budget left, a unit 150): refused, 20 wanted (next_layer_multiple 2 x first_layer_contracts 10)
    assert [(a.contracts, a.wanted, a.cap) for a in acts(d)] == [(0, 20, "premium_budget_usd")]
    assert d.fired == ("macd_cross_up!premium_budget_usd",)


def test_the_premium_budget_caps_an_option_layer_placed_nearer_on_the_premium_it_pays():
    """slope_breakeven puts a call spread's long call nearer (future 18.63: strike 19 against the default 20, as in
    test_a_vega_ratio_first_option_layer_placed_nearer_is_sized_on_the_vega_of_the_option_it_buys): the nearer spread
    costs more (250 here against the default strike's 150), and premium_budget_usd caps it on that, floor(1,000 /
    250) = 4 contracts, not on the default strike's floor(1,000 / 150) = 6."""
    c = cfg(review_bars=0, premium_budget_usd=1_000.0, first_layer_contracts=10,
            **{**SPREAD, "placement": PlacementConfig(enabled=False), "slope": SlopeConfig(enabled=True, near_otm=0.02)})
    placed = dict(new_future=18.63, unit=UnitQuote(1_863.0, premium_usd=150.0, vega_usd=700.0),
                  option_unit=lambda otm: UnitQuote(1_863.0, premium_usd=250.0, vega_usd=1_400.0))
    assert acts(hp.decide(state(**placed), snap(cross=1, macd_slope=0.3), c))[0].contracts == 4
    assert acts(hp.decide(state(**placed), snap(cross=1), c))[0].contracts == 6  # not placed: the default strike


def test_cap_contracts_counts_pending_adds():
    assert cap_contracts(5, (), UNIT, cfg(max_notional_usd=100_000.0), pending=3) == (2, "max_notional_usd")
    assert cap_contracts(5, (), UNIT, cfg()) == (5, "")



def test_a_cap_that_fits_exactly_is_not_named_as_binding():
    """Trial MUT25 (B6): ``fit <= n`` survived. README (``max_notional_usd``: room for floor((cap - held) / a
    contract)): 2 contracts at $50,000 under a $100,000 cap fit exactly, floor(100,000 / 50,000) = 2: no cut, and
    no cap named (strategies.hedge hands a named cap to the AddLayer as a capital cut, ``wanted``/``cap``)."""
    assert cap_contracts(2, (), UnitQuote(50_000.0), cfg(max_notional_usd=100_000.0)) == (2, "")
    assert cap_contracts(3, (), UnitQuote(50_000.0), cfg(max_notional_usd=100_000.0)) == (2, "max_notional_usd")

def test_cap_counted_names_what_the_cap_counted():
    """Trial PX (2026-12-05): capital_cuts.csv said only ``hedge.max_notional_usd $200,000``, and the cap counts each
    layer at its last roll's price, not layers.csv's entry notional. Two layers held at $18,000 and $21,500 (the
    second rolled at VX 21.5), one added earlier on the bar at today's $18,000 (UNIT): $57,500 counted; a $70,000
    cap leaves room for floor(12,500 / 18,000) = 0 contracts. The premium budget names what was paid."""
    held = (layer(1), layer(2, notional=21_500.0, premium=900.0))
    c = cfg(max_notional_usd=70_000.0)
    assert cap_contracts(2, held, UNIT, c, pending=1) == (0, "max_notional_usd")
    assert cap_counted("max_notional_usd", held, UNIT, pending=1) == "$57,500 held, $18,000 a contract"
    spread = UnitQuote(notional_usd=18_000.0, premium_usd=250.0, vega_usd=700.0)
    assert cap_contracts(4, held, spread, cfg(premium_budget_usd=1_500.0)) == (2, "premium_budget_usd")  # 600 / 250
    assert cap_counted("premium_budget_usd", held, spread) == "$900 paid, $250 a contract"
    assert cap_counted("", held, UNIT) == ""


def test_layer_contracts_from_first_notional():
    # first layer: configured count; later: multiple x first notional at today's unit notional
    assert layer_contracts(1.0, None, 15_000.0, 3) == 3
    assert layer_contracts(2.0, 15_000.0, 15_000.0, 1) == 2
    assert layer_contracts(1.5, 30_000.0, 15_000.0, 1) == 3
    assert layer_contracts(2.0, 15_000.0, 20_000.0, 1) == 2  # 1.5 rounds to 2
    assert layer_contracts(0.1, 15_000.0, 20_000.0, 1) == 1  # never zero
    assert first_layer_contracts(state(), cfg(first_layer_contracts=4)) == 4


# --------------------------------------------------------------------------- placement

SPREAD = {"instrument": HedgeInstrument.VIX_CALL_SPREAD, "spread_long_otm": 0.05,
              "placement": PlacementConfig(enabled=True, flat_extra_otm=0.10)}


def spread_layer(i, strike=19.0, otm=0.05):
    legs = ((Contract(Kind.VIX_OPTION, EXPIRY, strike, Right.CALL), 2),
            (Contract(Kind.VIX_OPTION, EXPIRY, strike + 5, Right.CALL), -2))
    return Layer(i, HedgeInstrument.VIX_CALL_SPREAD, legs, 3_600.0, "t", DAY, 300.0, otm)


def at(future, *layers, **kw):
    return state(*layers, futures={L.layer_id: future for L in layers}, **kw)


def test_flattening_restrikes_outer_layers_once_and_places_new_ones_further_out():
    c = cfg(review_bars=0, **SPREAD)
    # F = 18: the flattened strike is round(18 x 1.15) = 21 > 19
    d = hp.decide(at(18.0, spread_layer(1), spread_layer(2), spread_layer(3, strike=21.0, otm=0.15)),
                  snap(flattening=True), c)
    assert acts(d) == [RestrikeLayer(2, pytest.approx(0.15), "flattening_restrike")]  # not the oldest, not L3
    add = acts(hp.decide(at(18.0, spread_layer(1)), snap(cross=1, flattening=True), c))
    assert add == [AddLayer(2, 2.0, "macd_cross_up+flat_otm", pytest.approx(0.15))]
    first = acts(hp.decide(state(), snap(cross=1, flattening=True), c))
    assert first[0].long_otm == 0.05  # the first (core) layer stays at the base offset


def test_an_option_placement_that_leaves_the_strike_where_it_was_is_neither_counted_nor_tagged():
    # the trial's L10 of 2014-07-24 (instrument vix_call_spread, default offsets 0.05 + 0.05) had its VX future at
    # 13.93: 14.63 and 15.32 both took 15 on the whole-point grid; on the listed grid (half points below 15,
    # vixhedge.core.vixstrikes, since 2026-12-04) they take 14.5 and 15. At 30.0, 31.5 and 33.0 both take 32.5 (2.5
    # points apart above 30)
    c = cfg(review_bars=0, **{**SPREAD, "placement": PlacementConfig(enabled=True, flat_extra_otm=0.05)})
    d = hp.decide(at(30.0, spread_layer(1), new_future=30.0), snap(cross=1, flattening=True), c)
    assert acts(d) == [AddLayer(2, 2.0, "macd_cross_up", 0.05)] and "flattening_placement" not in d.acted
    # at 18: round(18.9) = 19 against round(19.8) = 20, the placement moves the strike: counted and tagged
    d = hp.decide(at(18.0, spread_layer(1), new_future=18.0), snap(cross=1, flattening=True), c)
    assert acts(d) == [AddLayer(2, 2.0, "macd_cross_up+flat_otm", pytest.approx(0.10))]
    assert "flattening_placement" in d.acted


def test_an_option_slope_placement_that_leaves_the_strike_where_it_was_is_neither_counted_nor_tagged():
    # `vixhedge run` with [hedge] instrument = "vix_call_spread", slope.near_otm = 0.02: the steep layer of
    # 2016-06-14 had its future at 20.32, round(20.32 x 1.05) = round(21.34) = 21 = round(20.32 x 1.03) = round(20.93)
    c = cfg(review_bars=0, **{**SPREAD, "placement": PlacementConfig(enabled=False),
                              "slope": SlopeConfig(enabled=True, near_otm=0.02)})
    steep = snap(cross=1, macd_slope=0.3)  # slope.steep 0.10
    d = hp.decide(at(20.32, spread_layer(1), new_future=20.32), steep, c)
    assert acts(d) == [AddLayer(2, 2.0, "macd_cross_up", 0.05)] and "slope_breakeven" not in d.acted
    # 2014-12-11's 18.63: round(19.56) = 20 against round(19.19) = 19, the placement moves the strike
    d = hp.decide(at(18.63, spread_layer(1), new_future=18.63), steep, c)
    assert acts(d) == [AddLayer(2, 2.0, "macd_cross_up+steep", pytest.approx(0.03))] and "slope_breakeven" in d.acted


def test_no_restrike_when_the_layer_is_already_further_out():
    # the future fell to 16: round(16 x 1.15) = 18 is below the held 19 strike
    c = cfg(review_bars=0, **SPREAD)
    assert acts(hp.decide(at(16.0, spread_layer(1), spread_layer(2)), snap(flattening=True), c)) == []


def test_no_restrike_without_flattening_for_futures_or_when_off():
    layers = (spread_layer(1), spread_layer(2))
    assert acts(hp.decide(at(18.0, *layers), snap(flattening=False), cfg(review_bars=0, **SPREAD))) == []
    off = {**SPREAD, "placement": PlacementConfig(enabled=False)}
    assert acts(hp.decide(at(18.0, *layers), snap(flattening=True), cfg(review_bars=0, **off))) == []
    assert acts(hp.decide(at(18.0, layer(1), layer(2)), snap(flattening=True), cfg(review_bars=0))) == []
    near_expiry = at(18.0, *layers, dte=5)  # rolled instead
    assert not any(isinstance(a, RestrikeLayer)
                   for a in hp.decide(near_expiry, snap(flattening=True), cfg(review_bars=0, **SPREAD)).actions)


def test_no_restrike_of_a_layer_that_rolls_at_the_next_session():
    """Trial (2026-12-03, real data, instrument vix_call_spread, roll_days 5): L12 and L13 were restruck on 2014-08-12
    at 6 sessions to their expiry (2014-08-20), selling the new 21C at its bid 0.00, and rolled the next session (5
    sessions: hedge.due_rolls), a round trip. A layer whose days_to_expiry less one is within roll_days is left to
    that roll; one a session further out is restruck (the F = 18 case above)."""
    c = cfg(review_bars=0, **SPREAD)  # roll_days 5 (HedgeConfig's default)
    layers = (spread_layer(1), spread_layer(2))
    for dte, moved in ((6, False), (7, True)):
        d = hp.decide(at(18.0, *layers, dte=dte), snap(flattening=True), c)
        assert any(isinstance(a, RestrikeLayer) for a in d.actions) is moved, dte


def test_a_restrike_waits_for_the_long_call_to_move_its_minimum():
    """Trial RS22: 54 of 89 restrikes of 2007-2022 moved the long call a point or less, each crossing four spreads.
    At F = 18 the flattened strike is 21 (the first test's), 2 points above the held 19: restruck under a minimum of
    0 (any move), 1 or 2 points, not under 2.5."""
    layers = (spread_layer(1), spread_layer(2))
    for least, moved in ((0.0, True), (1.0, True), (2.0, True), (2.5, False)):
        c = cfg(review_bars=0, **{**SPREAD, "placement": PlacementConfig(enabled=True, flat_extra_otm=0.10,
                                                                          restrike_min_points=least)})
        d = hp.decide(at(18.0, *layers), snap(flattening=True), c)
        assert any(isinstance(a, RestrikeLayer) for a in d.actions) is moved, least


# --------------------------------------------------------------------------- rolls, static, none

def test_roll_when_close_to_expiry_in_every_mode():
    for mode in (HedgeMode.ALVH, HedgeMode.STATIC):
        d = hp.decide(state(layer(1), dte=5, since=0), snap(), cfg(mode=mode, roll_days=5, static_layers=1))
        assert RollLayer(1, "roll") in d.actions and d.fired[0] == "roll"
    assert acts(hp.decide(state(layer(1), dte=6, since=0), snap(), cfg(roll_days=5, review_bars=0))) == []


def test_a_layer_removed_today_is_not_rolled():
    d = hp.decide(state(layer(1), dte=3), snap(cross=-1, **EASING), cfg(roll_days=5))
    assert acts(d) == [RemoveLayer(1, "macd_cross_down")]


def test_static_keeps_fixed_layer_count_and_none_hedges_nothing():
    d = hp.decide(state(), snap(cross=-1), cfg(mode=HedgeMode.STATIC, static_layers=2, first_layer_contracts=2))
    assert acts(d) == [AddLayer(2, 1.0, "static", 0.05), AddLayer(2, 1.0, "static", 0.05)]
    assert hp.decide(state(layer(1)), snap(cross=1), cfg(mode=HedgeMode.NONE)) == Decision()


def test_static_respects_the_notional_cap():
    d = hp.decide(state(), snap(), cfg(mode=HedgeMode.STATIC, static_layers=3, max_notional_usd=40_000.0))
    assert [a.contracts for a in acts(d) if isinstance(a, AddLayer)] == [1, 1, 0]  # the third: refused by the cap
    assert acts(d)[-1].cap == "max_notional_usd" and d.fired[-1] == "static!max_notional_usd"


# --------------------------------------------------------------------------- legs

def test_layer_legs_vx_call_and_call_spread():
    c = cfg(spread_long_otm=0.05, spread_width_points=5.0)
    (fut, q), = layer_legs(HedgeInstrument.VX_FUTURE, EXPIRY, 17.3, 2, c)
    assert fut == Contract(Kind.VX_FUTURE, EXPIRY) and q == 2
    (lo, ql), (hi, qh) = layer_legs(HedgeInstrument.VIX_CALL_SPREAD, EXPIRY, 17.3, 3, c)
    assert (lo.strike, lo.right, ql) == (18.0, Right.CALL, 3)  # round(17.3 * 1.05) = 18
    assert (hi.strike, qh) == (23.0, -3)
    (far, _), _ = layer_legs(HedgeInstrument.VIX_CALL_SPREAD, EXPIRY, 17.3, 3, c, long_otm=0.15)
    assert far.strike == 20.0  # round(17.3 * 1.15) = 19.9 -> 20
    (call, qc), = layer_legs(HedgeInstrument.VIX_CALL, EXPIRY, 17.3, 4, c, strike=21.0)
    assert (call.strike, call.right, qc) == (21.0, Right.CALL, 4)
