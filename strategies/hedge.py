"""Hedge policies as pure functions: ``decide(state, snapshot, config) -> Decision``.

Modes: ``none`` hedges nothing; ``static`` keeps ``static_layers`` first-size layers, rolled;
``vxth`` is Cboe's VXTH rules (:mod:`strategies.vxth`); ``alvh`` applies the rules below, in
this order, each switchable and tunable in ``[hedge.*]``. One bar yields at most one layer add or
one group of removals; rolls and restrikes come on top. Each rule that acts is named in
:attr:`Decision.acted` by its id (``book.RULE_IDS``; README "Spec table").

1. **Roll** (``roll``, all modes): a layer within ``roll_days`` trading days of settlement rolls to
   its tenor's contract (same contracts, same strike offset); ``roll_days = 0`` holds it to settlement
   and the trader reopens it that day.
2. **Bullish divergence** (``divergence_bullish``; pattern per :mod:`strategies.signalset`, literal by
   default): remove the newest ``divergence.remove_layers`` layers, all (``fomc.divergence_remove_layers``)
   within ``fomc.divergence_sessions`` of an FOMC meeting (``fomc_divergence``); buy back
   ``divergence.condor_cut`` of the open condor (``condor_vega_cut``); with ``condor_scale < 1`` the next
   condor opens smaller (one cycle; ``condor_vega_cut`` too). When it removes layers the bar's crossover /
   review waits (one that would have acted is logged ``rule!divergence``); without layers
   (``bullish_divergence!no_layers``) they apply as on any bar.
3. **Crossover** (``cross_up`` / ``cross_down``; the *confirmed* one, or with ``confirm.anticipate_bars``
   the projected one, ``front_run``): fear rising -> ``on_cross_up`` (add a layer); easing ->
   ``on_cross_down`` (remove the newest).
4. **Review** (``review``): every ``review_bars`` bars since the last add/remove the persisting,
   confirmed regime adds or removes one layer. An add review's interval is :func:`review_cadence`'s:
   inside an FOMC window (``fomc_cadence``) or a CPI/PPI window (``event_window``) with the MACD rising and
   the A/D line weakening (``ad_filter``), ``fomc.cadence``'s; while the histogram expands above zero,
   ``expansion.review_bars`` (``expansion_cadence``); a removal review keeps ``review_bars``.
5. **Filters**: RSI(VIX) (``rsi_filter``) and the front/second VX ratio (``term_structure_filter``) must
   agree with an add or a removal; no layer opens without an open condor (``condor_required``).
6. **Sizing and caps**: a first layer is ``first_layer_contracts`` or (``sizing = "vega_ratio"``)
   ``target_hedge_ratio`` x |condor vega| / the layer's vega per contract; later layers carry
   ``next_layer_multiple`` (2x) the first layer's notional, ``expanding_layer_multiple`` (1.5x) while
   the histogram expands above zero (``expansion_sizing``), the fractional notional carried from layer
   to layer (``fractional_carry``); at most ``max_layers``, cut to fit ``max_notional_usd`` and
   ``premium_budget_usd``.
7. **Placement**: while the MACD flattens, outer layers sit further out (``flattening_placement``):
   option layers ``placement.flat_extra_otm`` further OTM (held ones restruck there once), VX layers
   ``placement.flat_extra_tenor`` months further out; on a steep MACD rise (``slope_breakeven``) a
   layer sits nearer: one month nearer, or ``slope.near_otm`` closer to the money.
"""

from __future__ import annotations

import math

from strategies.book import (
    EVENT,
    EXP_CADENCE,
    EXPANDING,
    FOMC,
    PROJECTED,
    Action,
    AddLayer,
    BookState,
    CutCondor,
    Decision,
    Layer,
    RemoveLayer,
    RollLayer,
    Rule,
    ScaleCondor,
    cap_contracts,
    cap_counted,
    condor_cut,
    first_layer_contracts,
    layer_contracts,
    layer_legs,
)
from strategies.placement import bought, placement, restrikes
from strategies.snapshot import Snapshot
from vixhedge.core.config import FomcCadence, HedgeConfig, SignalAction

__all__ = ["AddLayer", "BookState", "CutCondor", "Decision", "Layer", "RemoveLayer", "RollLayer", "Rule", "ScaleCondor",
           "Snapshot", "cadence_bars", "decide", "decide_alvh", "decide_static",
           "due_rolls", "layer_contracts", "layer_legs", "review_cadence"]


def decide(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision:
    """Return the bar's hedge decision of the policy ``cfg`` names (:mod:`strategies.policies`; pure)."""
    from strategies.policies import resolve

    return resolve(cfg.policy_name)(state, snap, cfg)


def due_rolls(state: BookState, cfg: HedgeConfig, skip: set[int] = frozenset()) -> list[Action]:
    """Rolls of layers ``roll_days`` sessions from settlement (``roll_days = 0``: the trader reopens
    them on the settlement day itself, see ``Trader._sync_settled``)."""
    return [RollLayer(L.layer_id, Rule.ROLL) for L in state.layers
            if L.layer_id not in skip and 0 < state.days_to_expiry[L.layer_id] <= cfg.roll_days]


def decide_static(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision:
    """The ``static`` policy: keep ``static_layers`` first-size layers, rolled."""
    actions = due_rolls(state, cfg, set())
    fired = [Rule.ROLL.value] if actions else []
    acted = ("roll",) if actions else ()  # the static layers themselves are no rule of the methodology
    pending = 0
    if cfg.require_condor and not state.condor_contracts:
        return Decision(tuple(actions), tuple(fired), acted)
    for _ in range(cfg.static_layers - len(state.layers)):
        wanted = first_layer_contracts(state, cfg)
        n, why = cap_contracts(wanted, state.layers, state.unit, cfg, pending)
        counted = cap_counted(why, state.layers, state.unit, pending)
        if n < 1:
            fired.append(f"{Rule.STATIC}!{why}")
            if why:  # a cap cut it to 0: the trader logs the refusal (capital_cuts.csv)
                actions.append(AddLayer(0, 1.0, Rule.STATIC, cfg.spread_long_otm, wanted=wanted, cap=why,
                                        cap_counted=counted))
            break
        actions.append(AddLayer(n, 1.0, Rule.STATIC, cfg.spread_long_otm, wanted=wanted if why else 0, cap=why,
                                cap_counted=counted))
        fired.append(Rule.STATIC.value)
        pending += n
    return Decision(tuple(actions), tuple(fired), acted)


def decide_alvh(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision:
    """The ``alvh`` policy: the rules of the module docstring, in that order."""
    fired: list[str] = []
    acted: list[str] = []
    if not snap.valid:
        rolls = due_rolls(state, cfg, set())
        return Decision(tuple(rolls), (Rule.ROLL.value,) if rolls else (), ("roll",) if rolls else ())
    main = _divergence(state, snap, cfg, fired, acted)
    if any(isinstance(a, RemoveLayer) for a in main):  # it removed layers: the crossover / review waits
        blocked = _crossover(state, snap, cfg, [], [])
        if blocked is None:
            blocked = _review(state, snap, cfg, [], [])
        if blocked:  # ... one that would have acted is logged as blocked (rule!why)
            fired.append(f"{blocked[0].reason.split('+')[0]}!divergence")
    else:  # nothing to remove (its condor actions, if any, stand): the crossover, else the review
        decided = _crossover(state, snap, cfg, fired, acted)
        if decided is None:
            decided = _review(state, snap, cfg, fired, acted)
        main += decided or []
    removed = {a.layer_id for a in main if isinstance(a, RemoveLayer)}
    rolls = due_rolls(state, cfg, removed)
    if rolls:
        fired.insert(0, Rule.ROLL.value)
        acted.append("roll")
    moved = restrikes(state, snap, cfg, removed)
    if moved:
        fired.append(Rule.RESTRIKE.value)
        acted.append("flattening_placement")
    return Decision(tuple(rolls + moved + main), tuple(fired), tuple(dict.fromkeys(acted)))


def _divergence(state: BookState, snap: Snapshot, cfg: HedgeConfig, fired: list[str],
                acted: list[str]) -> list[Action]:
    """divergence_bullish removes layers; near an FOMC meeting (fomc_divergence) more of them;
    condor_vega_cut buys back part of the open condor; condor_scale shrinks the next one. Without
    layers it is logged ``bullish_divergence!no_layers`` (its condor actions still stand).

    ``divergence_bullish`` is credited only when its own ``remove_layers`` removes some (what the bar would have
    done without the FOMC rule): with ``remove_layers = 0`` an FOMC removal is ``fomc_divergence``'s alone."""
    d, f = cfg.divergence, cfg.fomc
    if not (d.enabled and snap.divergence > 0):
        return []
    name, n = Rule.DIVERGENCE.value, d.remove_layers
    plain = min(n, len(state.layers))  # the layers the plain rule alone removes
    if f.enabled and f.divergence and snap.fomc_near and len(state.layers) > n and f.divergence_remove_layers > n:
        name, n = name + FOMC, f.divergence_remove_layers
        acted.append("fomc_divergence")
    fired.append(name if state.layers else f"{name}!no_layers")
    acts: list[Action] = [RemoveLayer(L.layer_id, name) for L in reversed(state.layers)][:n]
    if plain:  # not when only the FOMC rule removes layers (trial RS38 H2: 17 such tags at remove_layers = 0)
        acted.append("divergence_bullish")
    cut = int(condor_cut(d.condor_cut, state.condor_contracts))
    if cut:
        acts.append(CutCondor(cut, name))
        acted.append("condor_vega_cut")
    if d.condor_scale < 1:  # the next condor's vega: counted as the same rule (the text's cut within the condor)
        acts.append(ScaleCondor(d.condor_scale, name))
        acted.append("condor_vega_cut")
    return acts


def _crossover(state: BookState, snap: Snapshot, cfg: HedgeConfig, fired: list[str],
               acted: list[str]) -> list[Action] | None:
    ahead = snap.projected != 0 and snap.projected == snap.event
    suffix = PROJECTED if ahead else ""
    if snap.event > 0:
        out = _apply(cfg.on_cross_up, Rule.CROSS_UP, state, snap, cfg, fired, acted, suffix)
        rule = "cross_up"
    elif snap.event < 0:
        out = _apply(cfg.on_cross_down, Rule.CROSS_DOWN, state, snap, cfg, fired, acted, suffix)
        rule = "cross_down"
    else:
        return None
    if out:
        acted.append(rule)
        if ahead:
            acted.append("front_run")
    return out


def cadence_bars(cfg: HedgeConfig) -> int:
    """Return the add reviews' interval inside an FOMC / CPI / PPI window (``fomc.cadence``).

    ``twice_weekly``: twice a week on a 5-session week, 2 sessions, or ``review_bars`` if that is shorter
    (never slower than the base cadence; a ``review_bars`` of 0 runs no review at all)."""
    f = cfg.fomc
    if f.cadence is FomcCadence.TWICE_WEEKLY:
        return max(1, min(cfg.review_bars, 2))
    if f.cadence is FomcCadence.EVERY_TWO_WEEKS:
        return 2 * cfg.review_bars
    return f.review_bars


def review_cadence(snap: Snapshot, cfg: HedgeConfig, add: bool = True) -> tuple[int, str, str | None]:
    """Return (bars between reviews today, the rule id that set it or "", the rule id blocking a window
    acceleration or None) for a review that would add a layer (``add``) or not.

    The cadence rules set the layering interval, so they change add reviews only: inside an FOMC
    window (``fomc_cadence``) or a CPI/PPI window (``event_window``), with the MACD rising (its slope positive
    and not flattening: a MACD that flattens moves outer layers further out, it does not speed them up) and the A/D
    line weakening (``ad_filter``; ``fomc.require_ad = false`` ignores the A/D line) the interval is
    :func:`cadence_bars`; else, while the histogram expands above zero (``expansion_cadence``),
    ``expansion.review_bars``; else, and for every removal review, ``review_bars``.
    """
    if not add:
        return cfg.review_bars, "", None
    f = cfg.fomc
    window = "fomc_cadence" if f.enabled and snap.fomc_window else "event_window" if snap.event_window else ""
    blocked = None
    if window and snap.macd_slope > 0 and not snap.flattening:  # rising: up by flat_threshold a bar or more
        if not f.require_ad or snap.ad_weakening is True:
            return cadence_bars(cfg), window, None
        if snap.ad_weakening is False:
            blocked = "ad_filter"
    return (*_outside_window(snap, cfg), blocked)


def _outside_window(snap: Snapshot, cfg: HedgeConfig) -> tuple[int, str]:
    """Return an add review's (interval, rule id) outside an FOMC / CPI / PPI window: ``expansion.review_bars``
    while the histogram expands above zero (``expansion_cadence``), else ``review_bars``."""
    if cfg.expansion.cadence and snap.expanding_above_zero:
        return cfg.expansion.review_bars, "expansion_cadence"
    return cfg.review_bars, ""


_SUFFIX = {"fomc_cadence": FOMC, "event_window": EVENT, "expansion_cadence": EXP_CADENCE, "": ""}


def _review(state: BookState, snap: Snapshot, cfg: HedgeConfig, fired: list[str],
            acted: list[str]) -> list[Action] | None:
    if not cfg.review_bars:  # 0: crossovers only, no review of any cadence
        return None
    need = cfg.confirm.hold_bars + 1
    strict = cfg.confirm.require_expanding
    if snap.macd > snap.signal and snap.regime >= need and (snap.agree_up or not strict):
        rule, event = cfg.on_cross_up, Rule.REVIEW_UP
    elif snap.macd < snap.signal and snap.regime <= -need and (snap.agree_down or not strict):
        rule, event = cfg.on_cross_down, Rule.REVIEW_DOWN
    else:
        return None
    add = rule is SignalAction.ADD_LAYER
    bars, why, blocked = review_cadence(snap, cfg, add)
    since = state.bars_since_action
    outside, by_expansion = _outside_window(snap, cfg) if add else (cfg.review_bars, "")
    due, due_outside = since >= bars, since >= outside
    window = why not in ("", "expansion_cadence")
    if not due:
        by_ad = bool(blocked) and since >= cadence_bars(cfg)  # the A/D line held back a window review
        # a slower window cadence (every_two_weeks) held back a review the cadence outside the window (plain or
        # expansion_cadence's) would have made
        by_cadence = window and due_outside
        if (by_ad or by_cadence) and _apply(rule, event, state, snap, cfg, [], []):  # ... that would have acted
            if by_ad:
                fired.append(f"{event}{FOMC if snap.fomc_window else EVENT}!ad")
                acted.append("ad_filter")
            if by_cadence:
                fired.append(f"{event}{_SUFFIX[why]}!cadence")
                acted.append(why)
        return None
    # the cadence rule that made the review due, if the slower one would not have: tagged and counted only then
    credit = why if window and not due_outside else by_expansion if since < cfg.review_bars else ""
    out = _apply(rule, event, state, snap, cfg, fired, acted, _SUFFIX[credit])
    if out:
        acted.append("review")
        if credit:
            acted.append(credit)
    return out


def _apply(rule: SignalAction, event: Rule, state: BookState, snap: Snapshot, cfg: HedgeConfig,
           fired: list[str], acted: list[str], suffix: str = "") -> list[Action]:
    name = f"{event}{suffix}"
    if rule is SignalAction.NOTHING:
        fired.append(f"{name}!nothing")
        return []
    if rule is SignalAction.ADD_LAYER:
        return _add(name, state, snap, cfg, fired, acted)
    if not state.layers:  # logged for crossovers only: an idle review would fill every bar
        if event is Rule.CROSS_DOWN:
            fired.append(f"{name}!no_layers")
        return []
    if cfg.rsi.enabled and not snap.rsi <= cfg.rsi.remove_max:
        fired.append(f"{name}!rsi")
        acted.append("rsi_filter")
        return []
    ts = cfg.term_structure
    if ts.enabled and snap.term_ratio > ts.remove_max_ratio:  # NaN (no second month): no cross-check
        fired.append(f"{name}!term_structure")
        acted.append("term_structure_filter")
        return []
    fired.append(name)
    if rule is SignalAction.REMOVE_NEWEST:
        return [RemoveLayer(state.layers[-1].layer_id, name)]
    return [RemoveLayer(L.layer_id, name) for L in reversed(state.layers)]


def _add(name: str, state: BookState, snap: Snapshot, cfg: HedgeConfig, fired: list[str],
         acted: list[str]) -> list[Action]:
    layers = state.layers
    if len(layers) >= cfg.max_layers:  # first: with no slot left, no other rule changed what the book did
        fired.append(f"{name}!max_layers")
        return []
    hold = cfg.divergence.hold_adds
    if hold and name.startswith(Rule.REVIEW_UP) and state.bars_since_divergence <= hold:
        fired.append(f"{name}!divergence_hold")  # the divergence's cut of layers lasts: no review adds them back
        # (at remove_layers 0 only an FOMC-window divergence removes layers: the cut held is fomc_divergence's)
        acted.append("divergence_bullish" if cfg.divergence.remove_layers else "fomc_divergence")
        return []
    if cfg.require_condor and not state.condor_contracts:
        fired.append(f"{name}!no_condor")
        acted.append("condor_required")
        return []
    if cfg.rsi.enabled and not snap.rsi >= cfg.rsi.add_min:
        fired.append(f"{name}!rsi")
        acted.append("rsi_filter")
        return []
    ts = cfg.term_structure
    if ts.enabled and snap.term_ratio < ts.add_min_ratio:  # NaN (no second month): no cross-check
        fired.append(f"{name}!term_structure")
        acted.append("term_structure_filter")
        return []
    first = state.first_notional_usd if layers else None
    tenor, otm, placed, placed_by = placement(state, snap, cfg)
    sized = bought(state, cfg, tenor, otm)  # sized on the contract the layer buys, not the default one
    carry, expanding = 0.0, False
    if first is None:
        multiple, n = 1.0, first_layer_contracts(sized, cfg)  # vega_ratio: the vega of the contract bought
    else:
        expanding = cfg.expansion.sizing and snap.expanding_above_zero
        multiple = cfg.expanding_layer_multiple if expanding else cfg.next_layer_multiple
        n, carry = _later_layer(multiple, first, sized, cfg)
    wanted = n
    n, why = cap_contracts(n, layers, sized.unit, cfg)
    counted = cap_counted(why, layers, sized.unit)
    # expansion_sizing acts (and tags the layer) only when the expanding multiple changes the count
    if expanding and n != cap_contracts(_later_layer(cfg.next_layer_multiple, first, sized, cfg)[0], layers,
                                        sized.unit, cfg)[0]:
        name += EXPANDING
        acted.append("expansion_sizing")
    if n < 1:
        fired.append(f"{name}!{why}")
        # a cap cut it to 0: the trader logs the refusal (capital_cuts.csv), as a cut to fewer
        return [AddLayer(0, multiple, name, otm, 0, 0.0, wanted, why, counted)] if why else []
    if placed_by:
        name += placed
        acted.append(placed_by)
    fired.append(name)
    return [AddLayer(n, multiple, name, otm, 0 if tenor == cfg.tenor_months else tenor, carry,
                     wanted if why else 0, why, counted)]  # (wanted: a capital cut of the trader's, Trader._apply)


def _later_layer(multiple: float, first: float, state: BookState, cfg: HedgeConfig) -> tuple[int, float]:
    """Return (contracts, notional carried on) of a later layer at ``multiple`` x the first's notional."""
    unit = state.unit.notional_usd
    if cfg.fractional_carry and unit > 0:
        want = multiple * first + state.carry_usd  # rounded half up, the remainder carried (error diffusion)
        n = max(1, math.floor(want / unit + 0.5 + 1e-9))
        return n, min(max(want - n * unit, -unit), unit)
    return layer_contracts(multiple, first, unit, cfg.first_layer_contracts), 0.0
