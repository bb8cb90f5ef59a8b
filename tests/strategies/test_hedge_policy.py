"""Each ALVH rule alone on crafted signal states: it fires when it should and not otherwise."""

import datetime as dt
import math

import numpy as np
import pytest

from strategies import hedge as hp
from strategies.book import (
    AddLayer,
    BookState,
    CutCondor,
    Decision,
    Layer,
    RemoveLayer,
    RestrikeLayer,
    RollLayer,
    ScaleCondor,
    UnitQuote,
    cap_contracts,
    condor_cut,
    first_layer_contracts,
    layer_contracts,
    layer_legs,
    opening_sessions,
    vx_layer_month,
    vx_layer_months,
)
from strategies.signalset import Snapshot
from vixhedge.core.config import (
    ConfirmConfig,
    FomcCadence,
    DivergenceConfig,
    FomcConfig,
    HedgeConfig,
    HedgeInstrument,
    HedgeMode,
    LayerSizing,
    PlacementConfig,
    RsiFilterConfig,
    SignalAction,
    SlopeConfig,
)
from vixhedge.core.instruments import Contract, Kind, Right

DAY = dt.date(2016, 3, 1)
EXPIRY = dt.date(2016, 4, 20)
UNIT = UnitQuote(notional_usd=18_000.0, premium_usd=0.0, vega_usd=700.0)


def snap(cross=0, macd=0.5, signal=0.4, **kw):
    """A fear-rising bar by default (MACD above signal), no cross, neutral everything else."""
    hist = kw.pop("hist", macd - signal)
    kw.setdefault("regime", 10 if hist > 0 else -10 if hist < 0 else 0)
    return Snapshot(vx=18.0, macd=macd, signal=signal, hist=hist, cross=cross, **kw)


EASING = {"macd": 0.3, "signal": 0.4}


def layer(i, expiry=EXPIRY, instrument=HedgeInstrument.VX_FUTURE, long_otm=0.05, notional=18_000.0, premium=0.0):
    legs = ((Contract(Kind.VX_FUTURE, expiry), 1),)
    return Layer(i, instrument, legs, notional, "t", DAY, premium, long_otm)


def state(*layers, dte=30, since=99, unit=UNIT, **kw):
    kw.setdefault("first_notional_usd", 18_000.0 if layers else None)
    kw.setdefault("condor_contracts", 10)
    return BookState(layers=tuple(layers), days_to_expiry={L.layer_id: dte for L in layers},
                     bars_since_action=since, unit=unit, **kw)


def cfg(**kw):
    kw.setdefault("divergence", DivergenceConfig(enabled=False))
    kw.setdefault("fomc", FomcConfig(enabled=False))
    kw.setdefault("slope", SlopeConfig(enabled=False))
    return HedgeConfig(**kw)


def acts(decision: Decision):
    return list(decision.actions)


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


# --------------------------------------------------------------------------- review cadence

def test_review_adds_while_fear_rising_and_removes_while_easing():
    c = cfg(review_bars=5)
    assert acts(hp.decide(state(layer(1), since=4), snap(), c)) == []  # not yet due
    assert acts(hp.decide(state(layer(1), since=5), snap(), c)) == [AddLayer(2, 2.0, "review_fear_rising", 0.05)]
    assert acts(hp.decide(state(layer(1), since=5), snap(**EASING), c)) == [RemoveLayer(1, "review_fear_easing")]
    assert acts(hp.decide(state(layer(1), since=50), snap(), cfg(review_bars=0))) == []  # crossovers only


FOMC_ON = FomcConfig(enabled=True, review_bars=1, require_ad=True, cadence=FomcCadence.BARS)


@pytest.mark.parametrize("window, slope, ad, due", [
    (True, 0.1, True, True),
    (False, 0.1, True, False),    # outside the window
    (True, -0.1, True, False),    # MACD falling
    (True, 0.1, False, False),    # A/D line not weakening
    (True, 0.1, None, False),     # no A/D input: rule disabled
], ids=["all-true", "no-window", "macd-falling", "ad-strong", "ad-absent"])
def test_fomc_window_accelerates_review(window, slope, ad, due):
    s = snap(fomc_window=window, macd_slope=slope, ad_weakening=ad)
    d = hp.decide(state(layer(1), since=1), s, cfg(review_bars=5, fomc=FOMC_ON))
    assert (acts(d) == [AddLayer(2, 2.0, "review_fear_rising+fomc", 0.05)]) is due
    blocked = "ad_filter" if (window, slope, ad) == (True, 0.1, False) else None
    assert hp.review_cadence(s, cfg(review_bars=5, fomc=FOMC_ON)) == ((1, "fomc_cadence", None) if due
                                                                     else (5, "", blocked))


def test_fomc_rule_without_ad_requirement_uses_macd_alone():
    c = cfg(review_bars=5, fomc=FomcConfig(enabled=True, review_bars=2, require_ad=False, cadence=FomcCadence.BARS))
    assert hp.review_cadence(snap(fomc_window=True, macd_slope=0.1), c) == (2, "fomc_cadence", None)
    assert hp.review_cadence(snap(fomc_window=True, macd_slope=0.1, ad_weakening=False), c) == (2, "fomc_cadence", None)


@pytest.mark.parametrize("review_bars, bars", [(5, 2), (3, 2), (2, 2), (1, 1)])
def test_twice_weekly_window_cadence_is_two_sessions_never_slower_than_review_bars(review_bars, bars):
    # twice a week on a 5-session week: every 2 sessions (README presets table: promoter's review_bars = 3
    # "reviews twice a week" in the windows; 3 // 2 made it 1, every session)
    c = cfg(review_bars=review_bars, fomc=FomcConfig(enabled=True, require_ad=False))
    assert hp.cadence_bars(c) == bars
    assert hp.review_cadence(snap(fomc_window=True, macd_slope=0.1), c) == (bars, "fomc_cadence", None)
    if review_bars == 3:  # promoter: one session after an action, no review yet; two sessions after, the add
        window = snap(fomc_window=True, macd_slope=0.1)
        assert acts(hp.decide(state(layer(1), since=1), window, c)) == []
        assert acts(hp.decide(state(layer(1), since=2), window, c))[0].reason == "review_fear_rising+fomc"


@pytest.mark.parametrize("fast", [{"fomc_window": True, "macd_slope": 0.1}, {"expanding_above_zero": True}],
                         ids=["fomc-window", "expansion"])
def test_window_and_expansion_cadences_shorten_add_reviews_only(fast):
    # the text accelerates the layering cadence: an add review 3 sessions after the last action is due in an
    # FOMC window (twice_weekly: 2) or while the histogram expands (expansion.review_bars 3); a removal review
    # waits review_bars = 5
    c = cfg(review_bars=5, fomc=FomcConfig(enabled=True, require_ad=False))
    assert [type(a) for a in acts(hp.decide(state(layer(1), since=3), snap(**fast), c))] == [AddLayer]
    assert acts(hp.decide(state(layer(1), since=3), snap(**fast, **EASING), c)) == []
    assert acts(hp.decide(state(layer(1), since=5), snap(**fast, **EASING), c)) == [
        RemoveLayer(1, "review_fear_easing")]
    assert hp.review_cadence(snap(**fast), c, add=False) == (5, "", None)


# --------------------------------------------------------------------------- divergence

def test_bullish_divergence_removes_layers_and_scales_the_next_condor():
    c = cfg(divergence=DivergenceConfig(enabled=True, remove_layers=2, condor_scale=0.5, condor_cut=0.0))
    d = hp.decide(state(layer(1), layer(2), layer(3)), snap(divergence=1), c)
    assert acts(d) == [RemoveLayer(3, "bullish_divergence"), RemoveLayer(2, "bullish_divergence"),
                       ScaleCondor(0.5, "bullish_divergence")]
    # snap() is a fear-rising bar and the review is due (since=99): the divergence pre-empts its add
    assert d.fired == ("bullish_divergence", "review_fear_rising!divergence")


@pytest.mark.parametrize("divergence, enabled", [(0, True), (-1, True), (1, False)],
                         ids=["none", "bearish", "switched-off"])
def test_divergence_rule_silent_otherwise(divergence, enabled):
    c = cfg(divergence=DivergenceConfig(enabled=enabled, condor_scale=0.5), review_bars=0)
    assert acts(hp.decide(state(layer(1)), snap(divergence=divergence), c)) == []


def test_divergence_with_unit_condor_scale_and_no_cut_leaves_the_condor_alone():
    c = cfg(divergence=DivergenceConfig(enabled=True, condor_scale=1.0, condor_cut=0.0))
    assert acts(hp.decide(state(layer(1)), snap(divergence=1), c)) == [RemoveLayer(1, "bullish_divergence")]


def test_the_default_divergence_cuts_the_condors_vega():
    """The text: a bullish divergence prompts "a reduction in overall vega exposure within the core iron condor".
    The default (condor_cut 0.5, remove_layers 1) buys back half the open condor (5 of state()'s 10) besides the
    newest layer; with the cut at 0 (the former default) |net vega| grew on 14 of the default run's 17 divergences."""
    d = hp.decide(state(layer(1), since=1), snap(divergence=1), cfg(divergence=DivergenceConfig()))  # defaults
    assert acts(d) == [RemoveLayer(1, "bullish_divergence"), CutCondor(5, "bullish_divergence")]
    assert d.acted == ("divergence_bullish", "condor_vega_cut")


@pytest.mark.parametrize("fraction, contracts, cut", [
    (0.5, 5, 3.0),  # half of 5 rounded half up (strategies.book.half_up: 3, not banker's 2)
    (0.5, 4, 2.0),
    (0.1, 3, 1.0),  # 0.3 rounds to 0: at least 1
    (1.0, 10, 9.0),  # all of it: 1 kept
    (0.9, 2, 1.0),
    (0.5, 1, 0.0),  # one contract: none (hedge._divergence emits no CutCondor)
    (0.5, 0, 0.0),  # no condor open
    (0.0, 10, 0.0),  # the cut off
], ids=["half-up", "even", "at-least-one", "all-but-one", "two", "one-left", "none-open", "off"])
def test_condor_cut_buys_back_the_fraction_half_up_keeping_one(fraction, contracts, cut):
    """book.condor_cut: the one definition the event path and both kernels call (kernel_jit compiles it), rounding
    with the condor sizing's half_up (the review of the session: it copied the formula)."""
    from strategies import book, condor
    from vixhedge import kernel_jit

    assert condor_cut(fraction, contracts) == cut and condor.half_up is book.half_up
    assert kernel_jit.compiled_condor_cut(fraction, float(contracts)) == cut


def test_a_divergence_without_layers_leaves_the_bar_to_the_crossover_and_review():
    # the default run's 2017-11-10: a confirmed cross up on a divergence bar with no layer held
    c = cfg(divergence=DivergenceConfig(enabled=True, condor_cut=0.0))
    d = hp.decide(state(), snap(cross=1, divergence=1), c)
    assert acts(d) == [AddLayer(1, 1.0, "macd_cross_up", 0.05)]
    assert d.fired == ("bullish_divergence!no_layers", "macd_cross_up") and d.acted == ("cross_up",)
    review = hp.decide(state(), snap(divergence=1), c)  # fear rising, the review due (since=99): a first layer
    assert acts(review) == [AddLayer(1, 1.0, "review_fear_rising", 0.05)]
    # a condor cut still stands (the default's and steward's condor_cut 0.5 of 10 contracts: 5), then the crossover
    cut = hp.decide(state(), snap(cross=1, divergence=1), cfg(divergence=DivergenceConfig(enabled=True,
                                                                                           condor_cut=0.5)))
    assert acts(cut) == [CutCondor(5, "bullish_divergence"), AddLayer(1, 1.0, "macd_cross_up", 0.05)]


def test_a_divergence_that_removes_layers_logs_the_crossover_it_pre_empts():
    c = cfg(divergence=DivergenceConfig(enabled=True, condor_cut=0.0))
    d = hp.decide(state(layer(1), layer(2)), snap(cross=1, divergence=1), c)
    assert acts(d) == [RemoveLayer(2, "bullish_divergence")]
    assert d.fired == ("bullish_divergence", "macd_cross_up!divergence") and d.acted == ("divergence_bullish",)
    quiet = hp.decide(state(layer(1), layer(2), since=1), snap(divergence=1), c)  # no crossover, no review due
    assert quiet.fired == ("bullish_divergence",)


# --------------------------------------------------------------------------- RSI filter

def test_rsi_filter_blocks_adds_below_and_removals_above_its_levels():
    c = cfg(rsi=RsiFilterConfig(enabled=True, add_min=50.0, remove_max=60.0))
    assert acts(hp.decide(state(), snap(cross=1, rsi=55.0), c))[0].contracts == 1
    d = hp.decide(state(), snap(cross=1, rsi=45.0), c)
    assert acts(d) == [] and d.fired == ("macd_cross_up!rsi",)
    assert acts(hp.decide(state(layer(1)), snap(cross=-1, rsi=55.0, **EASING), c)) == [
        RemoveLayer(1, "macd_cross_down")]
    assert acts(hp.decide(state(layer(1)), snap(cross=-1, rsi=65.0, **EASING), c)) == []
    assert acts(hp.decide(state(), snap(cross=1, rsi=45.0), cfg())) != []  # filter off by default


# --------------------------------------------------------------------------- sizing and caps

def test_vega_ratio_sizes_the_first_layer_from_the_condor():
    c = cfg(sizing=LayerSizing.VEGA_RATIO, target_hedge_ratio=0.25)
    # 0.25 x 14,000 / 700 = 5 contracts
    assert acts(hp.decide(state(condor_vega_usd=14_000.0), snap(cross=1), c))[0].contracts == 5
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
    # the trial's L10 of 2014-07-24 (instrument vix_call_spread, default offsets 0.05 + 0.05): the new layer's VX
    # future at 13.93, round(13.93 x 1.05) = round(14.63) = 15 = round(13.93 x 1.10) = round(15.32)
    c = cfg(review_bars=0, **{**SPREAD, "placement": PlacementConfig(enabled=True, flat_extra_otm=0.05)})
    d = hp.decide(at(13.93, spread_layer(1), new_future=13.93), snap(cross=1, flattening=True), c)
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
