"""Every rule id of the methodology (README "Spec table"): it acts on a crafted state, stays silent on one where
it must not, and switching it off changes the decisions of a run where it acted."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from feeds.market import build_market
from strategies import hedge as hp
from strategies.book import RULE_IDS, BookState, CutCondor, Layer, ScaleCondor, UnitQuote
from strategies.signalset import SignalInputs, Snapshot, compute
from vixhedge.core import config as C
from vixhedge.core import signals as sig
from vixhedge.core.instruments import Contract, Kind
from vixhedge.run import run_backtest

DAY, EXPIRY = dt.date(2016, 3, 1), dt.date(2016, 4, 20)
UNIT = UnitQuote(notional_usd=18_000.0)
QUIET = {"divergence": {"enabled": False}, "fomc": {"enabled": False}, "events": {"enabled": False},
         "slope": {"enabled": False}, "expansion": {"cadence": False}}


def hedge_cfg(**over):
    table = {k: dict(v) for k, v in QUIET.items()}
    for k, v in over.items():
        if isinstance(v, dict):
            table.setdefault(k, {}).update(v)
        else:
            table[k] = v
    return C.replace(C.Config(), hedge=table).hedge


def snap(macd=0.5, signal=0.4, **kw):
    hist = macd - signal
    kw.setdefault("regime", 10 if hist > 0 else -10)
    return Snapshot(vx=18.0, macd=macd, signal=signal, hist=hist, **kw)


EASING = {"macd": 0.3, "signal": 0.4}


def layer(i):
    return Layer(i, C.HedgeInstrument.VX_FUTURE, ((Contract(Kind.VX_FUTURE, EXPIRY), 1),), 18_000.0, "t", DAY)


def state(n_layers=0, since=99, condor=10, **kw):
    layers = tuple(layer(i) for i in range(1, n_layers + 1))
    kw.setdefault("first_notional_usd", 18_000.0 if layers else None)
    return BookState(layers=layers, days_to_expiry={L.layer_id: 30 for L in layers}, bars_since_action=since,
                     unit=UNIT, condor_contracts=condor, **kw)


def acted(st, sn, cfg):
    return hp.decide(st, sn, cfg).acted


# --------------------------------------------------------------------------- acts / must not, on crafted states
# (rule, config overrides, state kwargs, snapshot kwargs that make it act, the change that must silence it)
CASES = [
    ("cross_up", {}, {}, {"cross": 1}, {"cross": 0}),
    ("cross_down", {}, {"n_layers": 2}, {"cross": -1, **EASING}, {"cross": 0, **EASING}),
    ("review", {}, {"n_layers": 1, "since": 5}, {}, {"regime": 0}),
    ("divergence_bullish", {"divergence": {"enabled": True}}, {"n_layers": 2}, {"divergence": 1}, {"divergence": -1}),
    ("condor_vega_cut", {"divergence": {"enabled": True, "condor_cut": 0.5}}, {}, {"divergence": 1},
     {"divergence": 0}),
    # a -$9k carry: 1.5x an $18k first layer gives 1 contract ($18k), 2x gives 2 ($27k rounded half up)
    ("expansion_sizing", {}, {"n_layers": 1, "carry_usd": -9_000.0}, {"cross": 1, "expanding_above_zero": True},
     {"cross": 1, "expanding_above_zero": False}),
    ("expansion_cadence", {"expansion": {"cadence": True}}, {"n_layers": 1, "since": 3},
     {"expanding_above_zero": True}, {"expanding_above_zero": False}),
    ("slope_breakeven", {"slope": {"enabled": True}}, {}, {"cross": 1, "macd_slope": 0.2},
     {"cross": 1, "macd_slope": 0.05}),
    ("flattening_placement", {}, {"n_layers": 1}, {"cross": 1, "flattening": True}, {"cross": 1, "flattening": False}),
    ("fomc_cadence", {"fomc": {"enabled": True, "require_ad": False}}, {"n_layers": 1, "since": 2},
     {"fomc_window": True, "macd_slope": 0.1}, {"fomc_window": True, "macd_slope": -0.1}),
    ("fomc_divergence", {"divergence": {"enabled": True}, "fomc": {"enabled": True}}, {"n_layers": 3},
     {"divergence": 1, "fomc_near": True}, {"divergence": 1, "fomc_near": False}),
    ("event_window", {"events": {"enabled": True}, "fomc": {"require_ad": False}}, {"n_layers": 1, "since": 2},
     {"event_window": True, "macd_slope": 0.1}, {"event_window": False, "macd_slope": 0.1}),
    ("rsi_filter", {"rsi": {"enabled": True}}, {}, {"cross": 1, "rsi": 40.0}, {"cross": 1, "rsi": 60.0}),
    ("ad_filter", {"fomc": {"enabled": True, "require_ad": True}}, {"n_layers": 1, "since": 2},
     {"fomc_window": True, "macd_slope": 0.1, "ad_weakening": False},
     {"fomc_window": True, "macd_slope": 0.1, "ad_weakening": True}),
    ("term_structure_filter", {"term_structure": {"enabled": True}}, {}, {"cross": 1, "term_ratio": 0.85},
     {"cross": 1, "term_ratio": 0.97}),
    ("front_run", {}, {}, {"cross": 0, "confirmed_cross": 1, "projected": 1},
     {"cross": 1, "confirmed_cross": 1, "projected": 0}),
    ("condor_required", {}, {"condor": 0}, {"cross": 1}, {"cross": -1, **EASING}),
]


def test_every_rule_id_has_a_crafted_case():
    assert {c[0] for c in CASES} == set(RULE_IDS) - {"roll"}


@pytest.mark.parametrize("rule, over, st, on, off", CASES, ids=[c[0] for c in CASES])
def test_rule_acts_on_its_crafted_state_and_not_otherwise(rule, over, st, on, off):
    cfg = hedge_cfg(**over)
    assert rule in acted(state(**st), snap(**on), cfg)
    assert rule not in acted(state(**st), snap(**off), cfg)


def test_divergence_literal_pattern_on_a_crafted_vx_path():
    # VX falls to a low, rebounds, then makes a lower low on a slower fall: MACD makes a higher low
    t = np.arange(200, dtype=float)
    vx = 20 + 2 * np.sin(t / 6)
    vx[100:130] = np.linspace(vx[99], 14.0, 30)
    vx[130:150] = np.linspace(14.0, 17.0, 20)
    vx[150:175] = np.linspace(17.0, 13.8, 25)
    vx[175:] = np.linspace(13.8, 16.0, 25)
    dates = pd.bdate_range("2016-01-04", periods=200)
    inp = SignalInputs(dates, vx, vx, vx, np.full(200, 2000.0))
    literal = compute(inp, C.Config().hedge, fomc_dates=(dt.date(2010, 1, 27),))
    macd = sig.macd(vx).macd
    bull = np.flatnonzero(literal.divergence > 0)
    assert len(bull) >= 1
    assert macd[174] > macd[129] and vx[174] < vx[129]  # the pattern: lower low, higher MACD low
    equity = C.replace(C.Config(), hedge={"divergence": {"pattern": "equity"}}).hedge
    assert (compute(inp, equity, fomc_dates=(dt.date(2010, 1, 27),)).divergence[bull] < 0).all()


def test_cut_buys_back_part_of_the_open_condor_and_keeps_one():
    cfg = hedge_cfg(divergence={"enabled": True, "condor_cut": 0.5})
    cut = [a for a in hp.decide(state(condor=10), snap(divergence=1), cfg).actions if isinstance(a, CutCondor)]
    assert cut == [CutCondor(5, "bullish_divergence")]
    assert not [a for a in hp.decide(state(condor=1), snap(divergence=1), cfg).actions if isinstance(a, CutCondor)]
    # "half" of 5 is rounded half up (README "buys back half"): 3, where Python's round(2.5) gives 2
    odd = [a for a in hp.decide(state(condor=5), snap(divergence=1), cfg).actions if isinstance(a, CutCondor)]
    assert odd == [CutCondor(3, "bullish_divergence")]


def test_scaling_the_next_condor_is_counted_as_the_condors_vega_cut():
    # the trial: condor_scale 0.5 on a divergence with no layer held (the default run's 2016-06-06) shrank the next
    # condor from 10 to 5 contracts with no rule id in rule_ids
    cfg = hedge_cfg(divergence={"enabled": True, "condor_cut": 0.0, "condor_scale": 0.5})
    d = hp.decide(state(since=1), snap(divergence=1), cfg)  # no review due: the divergence alone
    assert d.actions == (ScaleCondor(0.5, "bullish_divergence"),) and d.acted == ("condor_vega_cut",)
    assert acted(state(since=1), snap(divergence=1), hedge_cfg(divergence={"enabled": True, "condor_cut": 0.0})) == ()


def test_fractional_carry_keeps_1_5x_distinct_from_1x_and_2x():
    def sizes(multiple, expanding):
        cfg = hedge_cfg(expanding_layer_multiple=multiple) if expanding else hedge_cfg(next_layer_multiple=multiple)
        carry, out = 0.0, []
        for _ in range(6):
            (a,) = hp.decide(state(1, carry_usd=carry), snap(cross=1, expanding_above_zero=expanding), cfg).actions
            out.append(a.contracts)
            carry = a.carry_usd
        return out

    assert sizes(1.5, True) == [2, 1, 2, 1, 2, 1]  # 1.5 contracts a layer on average (half up, remainder carried)
    assert sizes(1.0, True) == [1] * 6 and sizes(2.0, False) == [2] * 6


@pytest.mark.parametrize("cadence, bars", [("twice_weekly", 2), ("every_two_weeks", 10), ("bars", 1)])
def test_both_readings_of_weekly_to_bi_weekly(cadence, bars):
    cfg = hedge_cfg(fomc={"enabled": True, "require_ad": False, "cadence": cadence})
    assert hp.review_cadence(snap(fomc_window=True, macd_slope=0.1), cfg) == (bars, "fomc_cadence", None)
    if cadence == "every_two_weeks":  # the slower reading holds back the weekly review inside the window
        assert "fomc_cadence" in acted(state(1, since=5), snap(fomc_window=True, macd_slope=0.1), cfg)
        assert acted(state(1, since=5), snap(fomc_window=True, macd_slope=0.1), cfg) == ("fomc_cadence",)


def test_a_flattening_macd_is_not_rising_for_the_window_cadence():
    """Methodology trial 2026-12-04, finding 1: 4 of the 9 window accelerations on real data 2023-07..2025-03 came on
    bars the run itself flagged flattening (slope 0.0006..0.0113 < flat_threshold), and the same add was then placed
    further out as flattening. "MACD rising" is now a positive slope that is not flattening."""
    cfg = hedge_cfg(fomc={"enabled": True, "require_ad": False, "cadence": "twice_weekly"})
    assert hp.review_cadence(snap(fomc_window=True, macd_slope=0.0113, flattening=True), cfg) == (5, "", None)
    assert hp.review_cadence(snap(event_window=True, macd_slope=0.0006, flattening=True), cfg) == (5, "", None)
    assert hp.review_cadence(snap(fomc_window=True, macd_slope=0.05), cfg) == (2, "fomc_cadence", None)
    ad = hedge_cfg(fomc={"enabled": True, "require_ad": True})  # nor is the A/D line's veto counted on such a bar
    flat = snap(fomc_window=True, macd_slope=0.01, flattening=True, ad_weakening=False)
    assert hp.review_cadence(flat, ad)[2] is None


def test_a_slower_window_cadence_that_holds_back_an_expansion_review_is_logged():
    # the trial: fomc require_ad = false, cadence every_two_weeks: inside the window adds wait 10 bars, outside it
    # the expanding histogram reviews every 3 (expansion.review_bars); 3 bars since the last add: held back
    cfg = hedge_cfg(fomc={"enabled": True, "require_ad": False, "cadence": "every_two_weeks"},
                    expansion={"cadence": True})
    window = {"fomc_window": True, "macd_slope": 0.1, "expanding_above_zero": True}
    d = hp.decide(state(1, since=3), snap(**window), cfg)
    assert d.actions == () and d.acted == ("fomc_cadence",) and d.fired == ("review_fear_rising+fomc!cadence",)
    assert hp.decide(state(1, since=2), snap(**window), cfg).acted == ()  # not due outside the window either


@pytest.mark.parametrize("preset", ["default", "steward", "promoter"])
def test_each_alvh_preset_can_bring_a_review_forward_while_the_histogram_expands(preset):
    # the trial: promoter's expansion.review_bars (the default 3) equalled its review_bars 3, so expansion_cadence
    # could never act there; promoter now reviews every 2 bars while the histogram expands (promoter.toml)
    h = C.load_preset(preset).hedge
    assert h.expansion.cadence and h.expansion.review_bars < h.review_bars


def test_expansion_cadence_tags_and_counts_only_the_reviews_it_brought_forward():
    # the trial: the default run's L23 (2015-01-12) was tagged +expansion_cadence though the 5-bar review was due
    cfg = hedge_cfg(expansion={"cadence": True})
    due = hp.decide(state(1, since=5), snap(expanding_above_zero=True), cfg)
    assert due.acted == ("review",) and due.actions[0].reason == "review_fear_rising"
    early = hp.decide(state(1, since=3), snap(expanding_above_zero=True), cfg)  # 3 of the plain 5 bars
    assert early.acted == ("review", "expansion_cadence")
    assert early.actions[0].reason == "review_fear_rising+expansion_cadence"


def test_rules_off_name_the_switch_or_the_missing_input():
    from strategies.rulesoff import FILTER_NEEDS_AD, NEEDS_AD, rules_off
    from strategies.adinput import NO_AD_NOTE

    note = (NO_AD_NOTE + "; ...",)  # the run log's note without an A/D file (strategies.adinput.weakening)
    default = rules_off(C.load_default().hedge, note)
    assert {r: default[r] for r in ("fomc_cadence", "event_window", "ad_filter")} == {
        "fomc_cadence": NEEDS_AD, "event_window": NEEDS_AD, "ad_filter": FILTER_NEEDS_AD}
    # ad_filter acts only with an A/D file AND require_ad = true: require_ad = false would keep it off
    assert "require_ad = false" not in FILTER_NEEDS_AD and "require_ad = true" in FILTER_NEEDS_AD
    assert default["rsi_filter"] == "hedge.rsi.enabled = false" and "review" not in default
    promoter = rules_off(C.load_preset("promoter").hedge, ())  # require_ad = false: the windows act on MACD alone
    assert "fomc_cadence" not in promoter and promoter["ad_filter"] == "hedge.fomc.require_ad = false"
    assert promoter["condor_vega_cut"] == "hedge.divergence.condor_cut = 0 and condor_scale = 1"
    vxth = rules_off(C.load_preset("vxth").hedge, note)  # not the alvh policy: none of its rules
    assert vxth == dict.fromkeys(RULE_IDS, "not a rule of the vxth policy")



def test_rules_off_without_reviews_say_reviews_are_off_and_name_the_one_layer_book():
    """Trial (2026-12-03, on_cross_down = remove_all, review_bars = 0): expansion_cadence said "expansion.review_bars
    is not below review_bars" and fomc_cadence "needs an A/D file", though with no review neither can act (an A/D
    file changes nothing); expansion_sizing and flattening_placement showed 0 with no reason, though they act on a
    second or later layer and the book holds one at most (a crossover opens it, the next one removes it; that run
    held at most 1). slope_breakeven places a first layer too (21 bars with slope.steep = 0.01 on the embedded
    2014-2018 run, at most 1 layer held, 2026-12-03): it is not listed."""
    from strategies.rulesoff import NO_REVIEWS, NO_REVIEWS_AD, NO_REVIEWS_FILTER, rules_off
    from strategies.adinput import NO_AD_NOTE

    h = C.replace(C.load_default(), hedge={"on_cross_down": "remove_all", "review_bars": 0}).hedge
    off = rules_off(h, (NO_AD_NOTE + "; ...",))
    assert off["expansion_cadence"] == NO_REVIEWS and "reviews are off" in NO_REVIEWS
    assert off["fomc_cadence"] == off["event_window"] == NO_REVIEWS_AD and off["ad_filter"] == NO_REVIEWS_FILTER
    one = ("at most one layer is held (hedge.review_bars = 0: a layer opens only on a crossover, and the next one "
           "removes it, hedge.on_cross_down = remove_all); it acts on a second or later layer only")
    assert off["expansion_sizing"] == off["flattening_placement"] == one
    assert "slope_breakeven" not in off
    # an A/D file changes nothing either: the same words
    assert rules_off(h, ())["fomc_cadence"] == NO_REVIEWS_AD
    # reviews on, or a removal that a filter may block (a second layer can come): not listed
    assert "expansion_sizing" not in rules_off(C.load_default().hedge, ())
    filtered = C.replace(C.load_default(), hedge={"on_cross_down": "remove_all", "review_bars": 0,
                                                  "rsi": {"enabled": True}}).hedge
    assert "flattening_placement" not in rules_off(filtered, ())
    capped = C.replace(C.load_default(), hedge={"max_layers": 1, "static_layers": 1}).hedge
    assert rules_off(capped, ())["expansion_sizing"].startswith("at most one layer is held (hedge.max_layers = 1)")

def test_rules_off_front_run_follows_anticipate_bars_not_hold_bars():
    """Trial MUT25 (R6): reading ``confirm.hold_bars == 0`` for ``front_run`` survived. README rules table
    (``front_run``: off with ``confirm.anticipate_bars = 0``; promoter 2, steward ``hold_bars = 3``): the promoter
    (anticipate_bars 2, hold_bars 0) front-runs, the steward (anticipate_bars 0, hold_bars 3) does not."""
    from strategies.rulesoff import rules_off

    promoter, steward = C.load_preset("promoter").hedge, C.load_preset("steward").hedge
    assert (promoter.confirm.anticipate_bars, promoter.confirm.hold_bars) == (2, 0)
    assert (steward.confirm.anticipate_bars, steward.confirm.hold_bars) == (0, 3)
    assert "front_run" not in rules_off(promoter, ())
    assert rules_off(steward, ())["front_run"] == "hedge.confirm.anticipate_bars = 0"


def test_rules_off_fomc_divergence_needs_the_divergence_rule_on():
    """Trial MUT25 (R4): dropping ``divergence.enabled`` from ``fomc_divergence``'s off test survived. README rules
    table (``fomc_divergence``: "needs ``fomc.enabled`` and ``divergence.enabled``"): with the FOMC window and
    ``fomc.divergence`` on but ``divergence.enabled = false`` it is listed."""
    from strategies.rulesoff import rules_off

    h = C.replace(C.load_default(), hedge={"divergence": {"enabled": False}}).hedge
    assert h.fomc.enabled and h.fomc.divergence
    assert rules_off(h, ())["fomc_divergence"] == ("needs hedge.fomc.enabled, hedge.fomc.divergence and "
                                                   "hedge.divergence.enabled")
    assert "fomc_divergence" not in rules_off(C.load_default().hedge, ())


def test_rules_off_event_window_without_reviews_even_with_an_ad_file():
    """Trial MUT25 (R5): dropping ``review_bars == 0`` from ``event_window``'s off test survived (the test above
    gives no A/D file, which lists it anyway). README line on ``hedge.review_bars = 0`` ("runs none": the CPI/PPI
    window's cadence speeds up add reviews only): with an A/D file (no note) it is still listed, as fomc_cadence."""
    from strategies.rulesoff import NO_REVIEWS_AD, rules_off

    h = C.replace(C.load_default(), hedge={"review_bars": 0}).hedge
    assert h.events.enabled and (h.events.cpi or h.events.ppi)
    off = rules_off(h, ())
    assert off["event_window"] == off["fomc_cadence"] == NO_REVIEWS_AD
    assert "event_window" not in rules_off(C.load_default().hedge, ())  # reviews on, an A/D file: it may act


def test_rules_off_expansion_cadence_at_the_plain_interval():
    """Trial MUT25 (R2): ``expansion.review_bars > review_bars`` survived. strategies.hedge credits
    ``expansion_cadence`` only for a review before ``review_bars`` (README: the expansion interval is the tighter
    one): at ``expansion.review_bars == review_bars`` (5) it brings nothing forward and is listed; at 4 it is not."""
    from strategies.rulesoff import rules_off

    same = C.replace(C.load_default(), hedge={"review_bars": 5, "expansion": {"review_bars": 5}}).hedge
    assert rules_off(same, ())["expansion_cadence"] == "hedge.expansion.review_bars is not below review_bars"
    below = C.replace(C.load_default(), hedge={"review_bars": 5, "expansion": {"review_bars": 4}}).hedge
    assert "expansion_cadence" not in rules_off(below, ())


def test_fomc_divergence_needs_fomc_on_and_more_layers_than_the_plain_one_removes():
    on = {"divergence": {"enabled": True, "condor_cut": 0.0}, "fomc": {"enabled": True}}
    near = snap(divergence=1, fomc_near=True)
    assert "fomc_divergence" in acted(state(2), near, hedge_cfg(**on))  # 2 > remove_layers 1: all go
    assert acted(state(1), near, hedge_cfg(**on)) == ("divergence_bullish",)  # 1 layer: the plain rule removes it
    off = hedge_cfg(**{**on, "fomc": {"enabled": False}})
    assert acted(state(2), near, off) == ("divergence_bullish",)  # fomc.enabled = false: never


def test_fomc_divergence_removing_no_more_than_the_plain_one_does_not_act():
    """Trial MUT22 (H17): ``divergence_remove_layers >= remove_layers`` survived every test but the golden run.
    strategies.hedge._divergence: near an FOMC meeting (fomc_divergence) the divergence removes *more* layers
    (README config table: ``fomc.divergence_remove_layers``, "layers removed then"); set to the plain rule's 2 with
    3 layers open, the plain rule removes the newest 2 and fomc_divergence is not credited."""
    on = hedge_cfg(divergence={"enabled": True, "condor_cut": 0.0, "remove_layers": 2},
                   fomc={"enabled": True, "divergence_remove_layers": 2})
    d = hp.decide(state(3), snap(divergence=1, fomc_near=True), on)
    assert d.acted == ("divergence_bullish",) and [a.reason for a in d.actions] == ["bullish_divergence"] * 2
    assert [a.layer_id for a in d.actions] == [3, 2]


def test_an_fomc_removal_at_remove_layers_0_is_fomc_divergence_alone():
    """Trial RS38 H2: with ``divergence.remove_layers = 0`` the plain rule removes no layer, yet an FOMC-window
    divergence (``fomc_divergence``) that removed all of them credited ``divergence_bullish`` too (17 tags on the
    2007-06..2022-12 real data, every one on an fomc_divergence day). README spec table: ``rule_ids`` lists the rules
    that changed what the book did. 3 layers open, ``divergence_remove_layers`` 20 (its default): all 3 go."""
    on = hedge_cfg(divergence={"enabled": True, "condor_cut": 0.0, "remove_layers": 0}, fomc={"enabled": True})
    d = hp.decide(state(3), snap(divergence=1, fomc_near=True), on)
    assert [a.layer_id for a in d.actions] == [3, 2, 1]
    assert d.acted == ("fomc_divergence",)
    far = acted(state(3), snap(divergence=1, fomc_near=False), on)  # outside the window it removes none: the
    assert far == ("review",)  # crafted snapshot's regime review then acts (the divergence removed no layer)


def test_a_hold_after_an_fomc_only_removal_credits_fomc_divergence():
    """FIX38A's open point: ``divergence.hold_adds`` holds reviews back after a divergence removed layers and was
    credited to ``divergence_bullish`` (README: "counted under divergence_bullish"); at ``remove_layers = 0`` only
    the FOMC window's rule removes layers (test above), so the cut the hold keeps is ``fomc_divergence``'s. With the
    plain rule removing (``remove_layers`` 1, default) the hold stays ``divergence_bullish``'s."""
    zero = hedge_cfg(divergence={"hold_adds": 5, "remove_layers": 0}, fomc={"enabled": True})
    held = hp.decide(state(1, bars_since_divergence=3), snap(), zero)
    assert held.actions == () and held.fired == ("review_fear_rising!divergence_hold",)
    assert held.acted == ("fomc_divergence",)
    plain = hp.decide(state(1, bars_since_divergence=3), snap(), hedge_cfg(divergence={"hold_adds": 5}))
    assert plain.acted == ("divergence_bullish",)


def test_an_fomc_removal_beyond_the_plain_ones_credits_both_rules():
    """``remove_layers = 1`` (default) with 3 layers open near a meeting: the plain rule alone would have removed the
    newest (so ``divergence_bullish``), the FOMC window all 3 (``fomc_divergence``); with ``condor_cut`` 0.5 on 10
    contracts the cut (5) is ``condor_vega_cut``. At ``remove_layers = 0`` the cut and the FOMC removal act, not the
    plain rule."""
    div = {"enabled": True, "condor_cut": 0.5}
    near = snap(divergence=1, fomc_near=True)
    both = hp.decide(state(3), near, hedge_cfg(divergence=div, fomc={"enabled": True}))
    assert [a.layer_id for a in both.actions if not isinstance(a, CutCondor)] == [3, 2, 1]
    assert both.acted == ("fomc_divergence", "divergence_bullish", "condor_vega_cut")
    zero = hedge_cfg(divergence={**div, "remove_layers": 0}, fomc={"enabled": True})
    assert acted(state(3), near, zero) == ("fomc_divergence", "condor_vega_cut")


def test_term_structure_filter_lets_a_removal_through_at_its_limit():
    """Trial MUT22 (H15): ``term_ratio >= remove_max_ratio`` survived every test but the golden run. README config
    table (``term_structure.remove_max_ratio``, 1.0): "remove only when the ratio <= this": a front / second VX ratio
    of exactly 1.0 removes on a cross down; 1.01 is held back (signals.csv ``!term_structure``)."""
    cfg = hedge_cfg(term_structure={"enabled": True})
    assert cfg.term_structure.remove_max_ratio == 1.0
    d = hp.decide(state(2), snap(cross=-1, term_ratio=1.0, **EASING), cfg)
    assert "term_structure_filter" not in d.acted and [a.layer_id for a in d.actions] == [2]
    d = hp.decide(state(2), snap(cross=-1, term_ratio=1.01, **EASING), cfg)
    assert d.acted == ("term_structure_filter",) and d.actions == ()


def test_vx_layers_move_tenor_flat_further_steep_nearer():
    cfg = hedge_cfg(slope={"enabled": True})
    flat = hp.decide(state(1), snap(cross=1, flattening=True), cfg).actions[0]
    steep = hp.decide(state(1), snap(cross=1, macd_slope=0.3), cfg).actions[0]
    plain = hp.decide(state(1), snap(cross=1), cfg).actions[0]
    assert (flat.tenor_months, steep.tenor_months, plain.tenor_months) == (3, 1, 0)  # 0 = hedge.tenor_months (2)


def test_projected_cross_flags_a_closing_gap_once():
    hist = np.array([-1.0, -0.8, -0.5, -0.2, 0.1, 0.3, 0.18, 0.05, -0.1])
    # bar 2: gap 0.5 closing 0.3 a bar (1.7 bars); bar 6: 0.18 closing 0.12 a bar (1.5 bars); flagged once each
    assert sig.projected_cross(hist, 2).tolist() == [0, 0, 1, 0, 0, 0, -1, 0, 0]
    assert sig.projected_cross(hist, 1).tolist() == [0, 0, 0, 1, 0, 0, 0, -1, 0]


def test_projected_cross_on_exactly_n_bars_is_projected():
    """Trial MUT22 (C8): ``-b / d < n`` survived every test. projected_cross's docstring: an up-cross is projected when
    ``-hist[t] / d <= n``: -2.0 closing 1.0 a bar crosses in exactly 2 bars; the down-cross alike (2.0 / 1.0 <= 2)."""
    assert sig.projected_cross([-3.0, -2.0], 2).tolist() == [0, 1]
    assert sig.projected_cross([3.0, 2.0], 2).tolist() == [0, -1]


# --------------------------------------------------------------------------- switching a rule off changes a run
WINDOW = {"start": "2015-01-02", "end": "2016-12-30"}
OFF = [
    ("cross_up", "default", {"on_cross_up": "nothing"}),
    ("cross_down", "default", {"on_cross_down": "nothing"}),
    ("review", "default", {"review_bars": 0}),
    ("divergence_bullish", "default", {"divergence": {"enabled": False}}),
    ("condor_vega_cut", "default", {"divergence": {"condor_cut": 0.0}}),
    ("expansion_sizing", "default", {"expansion": {"sizing": False}}),
    ("expansion_cadence", "default", {"expansion": {"cadence": False}}),
    ("slope_breakeven", "default", {"slope": {"enabled": False}}),
    ("flattening_placement", "default", {"placement": {"enabled": False}}),
    ("fomc_cadence", "promoter", {"fomc": {"enabled": False}}),
    ("fomc_divergence", "default", {"fomc": {"divergence": False}}),
    ("event_window", "promoter", {"events": {"enabled": False}}),
    ("rsi_filter", "steward", {"rsi": {"enabled": False}}),
    ("term_structure_filter", "steward", {"term_structure": {"enabled": False}}),
    ("front_run", "promoter", {"confirm": {"anticipate_bars": 0}}),
    ("condor_required", "default", {"require_condor": False}),
]


@pytest.fixture(scope="module")
def market():
    return build_market(C.load_default().market)


@pytest.fixture(scope="module")
def runs(market):
    return {p: run_backtest(C.replace(C.load_preset(p), run=WINDOW), market, engine="fast")
            for p in ("default", "steward", "promoter")}


def test_every_rule_id_has_an_off_switch_case():
    assert {c[0] for c in OFF} == set(RULE_IDS) - {"roll", "ad_filter"}  # ad_filter: test_ad_filter_* below


@pytest.mark.parametrize("rule, preset, off", OFF, ids=[c[0] for c in OFF])
def test_switching_a_rule_off_changes_a_run_where_it_acted(market, runs, rule, preset, off):
    on = runs[preset]
    assert on.metrics["rules_fired"][rule] > 0
    cfg = C.replace(C.load_preset(preset), run=WINDOW, hedge=off)
    res = run_backtest(cfg, market, engine="fast")
    assert res.metrics["rules_fired"][rule] == 0
    assert not res.signals_log["actions"].equals(on.signals_log["actions"])


def _ad_file(tmp_path, market, weakening):
    dates = market.dates[(market.dates >= "2014-12-01") & (market.dates <= "2017-01-31")]
    adv, dec = (200, 300) if weakening else (300, 200)
    path = tmp_path / "ad.csv"
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "sp500_advancers": adv, "sp500_decliners": dec}).to_csv(
        path, index=False)
    return str(path)


def test_ad_filter_holds_back_window_reviews_while_breadth_is_strong(market, tmp_path):
    base = C.replace(C.load_preset("promoter"), run=WINDOW)
    strong = run_backtest(C.replace(base, hedge={"fomc": {"require_ad": True, "ad_csv": _ad_file(
        tmp_path, market, False)}}), market, engine="fast")
    weak = run_backtest(C.replace(base, hedge={"fomc": {"require_ad": True, "ad_csv": _ad_file(
        tmp_path, market, True)}}), market, engine="fast")
    assert strong.metrics["rules_fired"]["ad_filter"] > 0 and strong.metrics["rules_fired"]["fomc_cadence"] == 0
    assert weak.metrics["rules_fired"]["ad_filter"] == 0 and weak.metrics["rules_fired"]["fomc_cadence"] > 0
    off = run_backtest(C.replace(base, hedge={"fomc": {"require_ad": False, "ad_csv": _ad_file(
        tmp_path, market, False)}}), market, engine="fast")
    assert off.metrics["rules_fired"]["ad_filter"] == 0
    assert not off.signals_log["actions"].equals(strong.signals_log["actions"])


def test_an_ad_file_that_misses_the_run_is_named_with_its_span_and_the_window(market, tmp_path):
    """Verification trial: an A/D file given but covering no session of the run read "needs an A/D file" in
    report.html's Rules fired. Here the file holds 2014-12-01 .. 2017-01-31 (_ad_file) and the run is 2018-01 ..
    2018-06: the run log's note (metrics.json policy_notes) and each A/D rule's "why 0" name the file, its span and
    the run's window; ad_filter's fix keeps require_ad on (false would keep the filter off)."""
    from strategies.rulesoff import rules_off

    path = _ad_file(tmp_path, market, weakening=False)
    cfg = C.replace(C.load_default(), run={"start": "2018-01-02", "end": "2018-06-29"},
                    hedge={"fomc": {"ad_csv": path}})
    res = run_backtest(cfg, market, engine="fast")
    where = (f"the A/D file {path} holds 2014-12-01 .. 2017-01-31, no session of the run's window "
             "2018-01-02 .. 2018-06-29")
    notes = res.metrics["policy_notes"]
    assert any(n.startswith(f"hedge.fomc: the advance/decline input has no row on these sessions: {where}; ")
               for n in notes)
    assert res.metrics["ad_uncovered"] == where  # carried as such (the review: the note's text was parsed back)
    off = rules_off(cfg.hedge, notes, res.metrics["ad_uncovered"])
    assert off["fomc_cadence"] == off["event_window"] == (
        f"{where}: give a hedge.fomc.ad_csv that covers the run (or hedge.fomc.require_ad = false)")
    assert off["ad_filter"].startswith(f"{where}: give a hedge.fomc.ad_csv that covers the run")
    assert "require_ad = false" not in off["ad_filter"]
    # a note written before the span was recorded still reads as a file without rows on the run
    old = rules_off(cfg.hedge, ("hedge.fomc: the advance/decline input has no row on these sessions; ...",))
    assert old["fomc_cadence"].startswith("the A/D file hedge.fomc.ad_csv has no row on the run's sessions: ")
    # a path holding "; " (the note's own separator) is named whole
    odd = "the A/D file /data/a; b.csv holds 2014-12-01 .. 2017-01-31, no session of the run's window"
    note = f"hedge.fomc: the advance/decline input has no row on these sessions: {odd}; ..."
    assert rules_off(cfg.hedge, (note,), odd)["fomc_cadence"].startswith(f"{odd}: give a hedge.fomc.ad_csv")


def test_a_static_run_names_the_alvh_rules_it_does_not_have():
    """Verification trial: a static-policy run's Rules fired table listed the ALVH rules at 0 with no reason.
    strategies.hedge.decide_static counts only ``roll``; require_condor holds its layers back uncounted."""
    from strategies.rulesoff import rules_off

    off = rules_off(C.replace(C.load_default(), hedge={"mode": "static"}).hedge)
    assert set(off) == set(RULE_IDS) - {"roll"}
    assert off["cross_up"] == off["ad_filter"] == "not a rule of the static policy"
    assert off["condor_required"].startswith("not counted by the static policy")
    assert set(rules_off(C.replace(C.load_default(), hedge={"mode": "none"}).hedge)) == set(RULE_IDS)
    free = rules_off(C.replace(C.load_default(), hedge={"mode": "static", "require_condor": False}).hedge)
    assert free["condor_required"] == "not a rule of the static policy"


@pytest.mark.parametrize("preset", ["default", "steward", "promoter"])
def test_rules_fired_is_in_metrics_and_the_decision_log(runs, preset):
    res = runs[preset]
    counts = res.metrics["rules_fired"]
    assert list(counts)[:len(RULE_IDS)] == list(RULE_IDS)
    logged = res.signals_log["rule_ids"].str.split(";").explode()
    assert counts == {r: int((logged == r).sum()) for r in counts}


def test_the_three_presets_together_fire_every_rule(runs):
    fired = {r for res in runs.values() for r, n in res.metrics["rules_fired"].items() if n}
    assert set(RULE_IDS) - fired == {"ad_filter"}  # no A/D data is embedded (test_ad_filter_* uses a file)


# --------------------------------------------------------------------------- crafted market paths through the engine

def _crafted_market(vix: np.ndarray):
    from feeds import calendars
    from feeds.market import Market
    from feeds.marketdata import MarketData

    dates = pd.DatetimeIndex(calendars.trading_days(dt.date(2016, 1, 4), dt.date(2016, 12, 30)))[:len(vix)]
    spx = 2000.0 * np.exp(np.linspace(0.0, 0.05, len(vix)))
    data = MarketData(dates, spx, spx * 1.002, spx * 0.998, spx, np.asarray(vix, dtype=float), None, "crafted")
    # the one-factor curve: VX a function of the day's VIX alone, so the crafted VIX path is the VX path the rules
    # read (the two-factor curve's slow level would need months of history to settle before the window)
    return Market(data, C.replace(C.Config(), market={"vx_curve": {"model": "one_factor"}}).market)


def _fear_wave(n=200):
    """VIX flat at 14, up to 30 over 20 sessions, held 10, back to 14 over 30 sessions, flat again.

    The rise starts on session 70 (2016-04-14), past the April VX settlement (04-20): its steep part finds a front
    month a new layer may open in (> roll_days + review_bars sessions left, book.opening_sessions); starting on
    session 60 its steep layer would have bought the April contract 7 sessions out and rolled it 2 sessions later.
    """
    return np.concatenate([np.full(70, 14.0), np.linspace(14, 30, 20), np.full(10, 30.0), np.linspace(30, 14, 30),
                           np.full(n - 130, 14.0)])


def _accelerating_relief(n=200):
    """VIX falling ever faster from 30 to 14: the MACD falls away from its signal, never towards it."""
    return 30.0 - 16.0 * (np.arange(n) / (n - 1)) ** 2


@pytest.mark.parametrize("path, acts", [(_fear_wave(), True), (_accelerating_relief(), False)],
                         ids=["fear-wave", "accelerating-relief"])
def test_crafted_vix_path_through_the_engine(path, acts):
    market = _crafted_market(path)
    cfg = C.replace(C.Config(), run={"start": market.days[45].isoformat(), "end": market.days[-1].isoformat()})
    res = run_backtest(cfg, market, engine="fast")
    fired = res.metrics["rules_fired"]
    layers = res.daily["hedge_layers"]
    if acts:  # the rise adds layers (bigger steps while the histogram expands, nearer while the MACD is steep) ...
        day = lambda k: pd.Timestamp(market.days[k])
        rise = res.signals_log.loc[day(70):day(100), "rule_ids"].str.cat(sep=";").split(";")
        assert {"cross_up", "review", "expansion_sizing", "slope_breakeven"} <= set(rise)
        assert layers.loc[day(95)] >= 3
        assert layers.loc[day(128)] == 0 and fired["cross_down"] > 0  # ... the easing takes them off
    else:
        assert sum(fired.values()) == 0 and res.layers.empty


def test_divergence_hold_keeps_reviews_from_adding_back_what_a_divergence_removed():
    """Methodology trial 2026-12-04, finding 2: 14 of the default run's 17 divergence layer cuts were added back
    within 5 sessions by the still-rising regime's review. divergence.hold_adds = N: for N sessions after the cut a
    review does not add (logged `review_fear_rising!divergence_hold`, counted under divergence_bullish); a fresh
    crossover still does; 0 (the default) is off and not written to config.toml (run ids unchanged)."""
    cfg = hedge_cfg(divergence={"hold_adds": 5})
    held = hp.decide(state(1, bars_since_divergence=3), snap(), cfg)
    assert held.actions == () and held.fired == ("review_fear_rising!divergence_hold",)
    assert held.acted == ("divergence_bullish",)
    assert hp.decide(state(1, bars_since_divergence=6), snap(), cfg).actions  # the hold is over
    assert hp.decide(state(1, bars_since_divergence=3), snap(), hedge_cfg()).actions  # off by default
    assert hp.decide(state(1, bars_since_divergence=3), snap(cross=1), cfg).actions  # a crossover still adds
    assert "hold_adds" not in C.to_toml(C.load_default())
    with pytest.raises(C.ConfigError, match=r"hedge.divergence.hold_adds = 61 .*0..60"):
        C.replace(C.load_default(), hedge={"divergence": {"hold_adds": 61}})


def test_divergence_hold_acts_in_a_run_and_the_kernel_covers_it():
    """The default 2015-2016 with hold_adds = 5: fewer layers than without, the hold logged; the sweep kernel runs
    such a point since session 8 (2026-12-04; it handed it to the event path before), its rows equal to the event
    path's in tests/vixhedge/test_kernel.py."""
    from vixhedge.kernel import kernel_covers
    from vixhedge.run import run_backtest

    base = C.replace(C.load_default(), run={"start": "2015-01-02", "end": "2016-12-30"})
    cfg = C.replace(base, hedge={"divergence": {"hold_adds": 5}})
    res, plain = run_backtest(cfg, engine="fast"), run_backtest(base, engine="fast")
    assert res.signals_log["rules_fired"].str.contains("!divergence_hold").any()
    assert res.metrics["counts"]["hedge_layers"] < plain.metrics["counts"]["hedge_layers"]
    assert kernel_covers(cfg) is None and kernel_covers(base) is None
