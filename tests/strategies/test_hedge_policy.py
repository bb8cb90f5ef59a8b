"""Each ALVH rule alone on crafted signal states: it fires when it should and not otherwise. Here the
crossover rule (and the layer sizes and VX months it opens) and confirmation; the review cadence, divergence and RSI
filter in test_hedge_review.py, sizing caps, placement, rolls, static and legs in test_hedge_sizing.py (split from one
616-line module, 2026-12-04); the crafted states are tests/strategies/policy_cases.py."""

import math

import numpy as np
import pytest

from strategies import hedge as hp
from strategies.book import AddLayer, Decision, RemoveLayer, opening_sessions, vx_layer_month, vx_layer_months
from vixhedge.core.config import ConfirmConfig, PlacementConfig, SignalAction, SlopeConfig
from tests.strategies.policy_cases import EASING, acts, cfg, layer, snap, state


# --------------------------------------------------------------------------- crossover rule

def test_cross_up_adds_first_layer_at_configured_size():
    d = hp.decide(state(), snap(cross=1), cfg(first_layer_contracts=3))
    assert acts(d) == [AddLayer(3, 1.0, "macd_cross_up", 0.05)] and d.fired == ("macd_cross_up",)


def test_no_cross_no_review_no_action():
    d = hp.decide(state(layer(1), since=1), snap(cross=0), cfg())
    assert d == Decision()


@pytest.mark.parametrize("expanding, multiple, contracts, carry, reason", [
    (False, 2.0, 2, 0.0, "macd_cross_up"), (True, 1.5, 2, -9_000.0, "macd_cross_up")],
    ids=["default-2x", "expanding-1.5x"])
def test_next_layers_sized_from_first(expanding, multiple, contracts, carry, reason):
    # 1.5 x an $18k first layer at $18k a contract: 2 contracts now (half up), -$9k carried to the next layer;
    # 2x would also give 2 contracts, so expansion_sizing did not change the layer: no "+hist_expanding" tag
    d = hp.decide(state(layer(1)), snap(cross=1, expanding_above_zero=expanding), cfg())
    assert acts(d) == [AddLayer(contracts, multiple, reason, 0.05, 0, carry)]


def test_expansion_sizing_acts_only_when_it_changes_the_contract_count():
    # README "Spec table": a rule acts when it changes what the book does. 1.5x vs 2x of an $18k first layer at
    # $18k a contract: 2 and 2 contracts with no carry (same count: neither tagged nor counted), 1 and 2 with
    # -$9k carried (1.5 x 18k - 9k = 18k: 1; 2 x 18k - 9k = 27k: 2, half up)
    same = hp.decide(state(layer(1)), snap(cross=1, expanding_above_zero=True), cfg())
    assert acts(same)[0].reason == "macd_cross_up" and "expansion_sizing" not in same.acted
    differs = hp.decide(state(layer(1), carry_usd=-9_000.0), snap(cross=1, expanding_above_zero=True), cfg())
    assert acts(differs) == [AddLayer(1, 1.5, "macd_cross_up+hist_expanding", 0.05, 0, 0.0)]
    assert "expansion_sizing" in differs.acted


def test_slope_breakeven_acts_only_when_the_nearer_month_is_another_contract():
    # the front VX 3 sessions from settlement (<= roll_days 5 + review_bars 5, book.opening_sessions):
    # LayerActions._new_layer_contract skips it, so a tenor-1 layer opens the second month, tenor_months = 2's
    # contract (the default run's layers 20, 45, 58); 11 sessions left: tenor 1 is the front month, a nearer contract
    c, steep = cfg(slope=SlopeConfig(enabled=True)), snap(cross=1, macd_slope=0.3)  # slope.steep 0.10
    same = hp.decide(state(layer(1), vx_dte=(3, 24)), steep, c)
    assert acts(same) == [AddLayer(2, 2.0, "macd_cross_up", 0.05)] and "slope_breakeven" not in same.acted
    nearer = hp.decide(state(layer(1), vx_dte=(11, 32)), steep, c)
    assert acts(nearer) == [AddLayer(2, 2.0, "macd_cross_up+steep", 0.05, 1)] and "slope_breakeven" in nearer.acted


def test_a_layer_placed_on_another_month_is_sized_on_the_contract_it_buys():
    # the trial's L79 / L136 (default run): a 2x layer of an $18k first layer placed a month further out, where the
    # VX trades at 30 ($30k a contract) against 18 on the default tenor: 36k / 30k = 1.2 -> 1 contract, $6k carried
    # (on the default tenor's $18k it would have been 2 contracts, 2 x $30k = 3.3x the first layer's notional)
    c = cfg(placement=PlacementConfig(enabled=True), tenor_months=2)  # flat_extra_tenor 1 (PlacementConfig default)
    st = state(layer(1), vx_dte=(11, 32, 52), vx_futures=(16.0, 18.0, 30.0))
    d = hp.decide(st, snap(cross=1, flattening=True), c)
    assert acts(d) == [AddLayer(1, 2.0, "macd_cross_up+flat_otm", 0.05, 3, pytest.approx(6_000.0))]
    # slope_breakeven one month nearer, at 12 ($12k): 36k / 12k = 3 contracts
    steep = hp.decide(state(layer(1), vx_dte=(11, 32, 52), vx_futures=(12.0, 18.0, 30.0)), snap(cross=1, macd_slope=0.3),
                      cfg(slope=SlopeConfig(enabled=True), tenor_months=2))
    assert acts(steep) == [AddLayer(3, 2.0, "macd_cross_up+steep", 0.05, 1, pytest.approx(0.0))]


@pytest.mark.parametrize(("tenor", "vx_dte", "threshold", "month"), [
    (1, (6, 27, 47), 5, 1),  # the front 6 sessions out, past roll_days 5: it is the contract
    (1, (5, 26, 46), 5, 2),  # within roll_days (<=): a layer there would roll at once, the second month instead
    (2, (3, 24, 44), 5, 2),  # only the front is ever that near under roll_days <= 15: tenor 2 stays
    (1, (10, 14, 35), 15, 3),  # VXTH's vxth.min_sessions 15: every month that near is skipped, not only the front
    (4, (3, 24), 5, 4),  # a month past the listed ones counts as far from settlement
], ids=["front", "front_skipped", "second", "two_skipped", "unlisted"])
def test_one_function_chooses_the_vx_month_for_the_trader_and_the_policy(tenor, vx_dte, threshold, month):
    # LayerActions._new_layer_contract opens there and hedge._add's placement asks it whether a further or nearer
    # tenor is another contract: one rule (sessions are crafted: VX months settle 19-21 sessions apart)
    assert vx_layer_month(tenor, vx_dte, threshold) == month


def test_a_new_layer_skips_a_month_it_would_roll_out_of_before_its_next_review():
    # `vixhedge replay covid`: L5 bought VX Mar-2020 on 2020-03-06, 8 sessions before its 03-18 settlement, and
    # rolled it out 3 sessions later (roll_days 5), paying spread and fees twice. A new layer skips a month with
    # <= roll_days 5 + review_bars 5 sessions left (book.opening_sessions); a roll still skips <= roll_days only
    steep, dte = snap(cross=1, macd_slope=0.3), (8, 29, 49)
    c = cfg(slope=SlopeConfig(enabled=True), tenor_months=2)
    assert opening_sessions(c) == 10 and vx_layer_month(1, dte, opening_sessions(c)) == 2
    d = hp.decide(state(layer(1), vx_dte=dte), steep, c)
    assert acts(d) == [AddLayer(2, 2.0, "macd_cross_up", 0.05)] and "slope_breakeven" not in d.acted
    crossovers_only = cfg(slope=SlopeConfig(enabled=True), tenor_months=2, review_bars=0)  # next review: none
    d = hp.decide(state(layer(1), vx_dte=dte), steep, crossovers_only)
    assert acts(d) == [AddLayer(2, 2.0, "macd_cross_up+steep", 0.05, 1)]


def test_the_kernels_array_rule_chooses_the_same_vx_month_on_a_grid():
    # vixhedge.kernel_book.new_col calls vx_layer_months (kernel_jit compiles vx_layer_month itself): one rule.
    # Grid: tenors 1..7 past the 6 listed months, thresholds 0..20 (roll_days <= 15 plus a review), fronts 0..22
    # sessions out and months 20 sessions apart (crafted: VX months settle 19-21 sessions apart), and a curve whose
    # first three months are all near
    rows = [tuple(f + 20 * n for n in range(6)) for f in range(23)] + [(3, 9, 14, 35, 55, 75)]
    tenors, thresholds = np.arange(1, 8), np.arange(21)
    for dte in rows:
        t, th = np.meshgrid(tenors, thresholds)
        got = vx_layer_months(t.ravel(), np.array(dte), th.ravel())
        assert got.tolist() == [vx_layer_month(int(a), dte, int(b)) for a, b in zip(t.ravel(), th.ravel())]


def test_placement_reads_every_listed_month_not_only_the_front():
    # flattening placement on tenor 1 with flat_extra_tenor 1 (PlacementConfig default): the front 3 sessions out
    # is skipped, tenor 1 opens month 2 and tenor 2 opens month 2 too, so the placement does not act
    c = cfg(placement=PlacementConfig(enabled=True), tenor_months=1)
    flat = snap(cross=1, flattening=True)
    same = hp.decide(state(layer(1), vx_dte=(3, 24, 44)), flat, c)
    assert "flattening_placement" not in same.acted
    further = hp.decide(state(layer(1), vx_dte=(11, 32, 52)), flat, c)
    assert "flattening_placement" in further.acted and acts(further)[0].tenor_months == 2


def test_cross_down_removes_newest_only_and_is_the_exit_on_the_opposite_signal():
    d = hp.decide(state(layer(1), layer(2), layer(3)), snap(cross=-1, **EASING), cfg())
    assert acts(d) == [RemoveLayer(3, "macd_cross_down")]


def test_cross_down_remove_all_when_configured():
    d = hp.decide(state(layer(1), layer(2)), snap(cross=-1, **EASING), cfg(on_cross_down=SignalAction.REMOVE_ALL))
    assert [a.layer_id for a in acts(d)] == [2, 1]


def test_event_to_action_map_is_configuration():
    d = hp.decide(state(), snap(cross=1), cfg(on_cross_up=SignalAction.NOTHING))
    assert acts(d) == [] and d.fired == ("macd_cross_up!nothing",)


def test_cross_down_without_layers_is_logged_not_acted():
    d = hp.decide(state(), snap(cross=-1, **EASING), cfg())
    assert acts(d) == [] and d.fired == ("macd_cross_down!no_layers",)


def test_warmup_nan_signals_do_nothing():
    s = snap(cross=1, macd=math.nan)
    assert not s.valid
    assert hp.decide(state(), s, cfg()) == Decision()


# --------------------------------------------------------------------------- confirmation (steward)

def test_confirmation_acts_on_the_confirmed_cross_not_the_raw_one():
    c = cfg(confirm=ConfirmConfig(hold_bars=3))
    assert acts(hp.decide(state(), snap(cross=1, confirmed_cross=0, regime=1), c)) == []
    assert acts(hp.decide(state(), snap(cross=0, confirmed_cross=1, regime=4), c)) == [
        AddLayer(1, 1.0, "macd_cross_up", 0.05)]


def test_review_needs_the_regime_held_and_histogram_agreeing_under_confirmation():
    c = cfg(confirm=ConfirmConfig(hold_bars=3, require_expanding=True), review_bars=5)
    held, young = {"regime": 4}, {"regime": 3}
    assert acts(hp.decide(state(layer(1)), snap(agree_up=True, **young), c)) == []
    assert acts(hp.decide(state(layer(1)), snap(agree_up=False, **held), c)) == []
    assert acts(hp.decide(state(layer(1)), snap(agree_up=True, **held), c))[0].reason == "review_fear_rising"
    down = dict(regime=-4, agree_down=True, **EASING)
    assert acts(hp.decide(state(layer(1)), snap(**down), c)) == [RemoveLayer(1, "review_fear_easing")]
