"""Hedge policies as pure functions: ``decide(state, snapshot, config) -> Decision``.

Modes: ``none`` hedges nothing; ``static`` keeps ``static_layers`` first-size layers, rolled;
``vxth`` is the VXTH-style baseline (:mod:`strategies.vxth`); ``alvh`` applies the rules below, in
this order, each switchable and tunable in ``[hedge.*]``. One bar yields at most one layer add or
one group of removals; rolls and restrikes come on top.

1. **Roll** (all modes): a layer within ``roll_days`` trading days of settlement rolls to the
   ``tenor_months``-th contract (same contracts, same strike offset).
2. **Bullish divergence** (``divergence.enabled``; equity terms, see :mod:`strategies.signalset`):
   remove the newest ``divergence.remove_layers`` layers and, when ``divergence.condor_scale < 1``,
   shrink the condor's vega target: the next condor opens with ``condor_scale`` x its contracts
   (one cycle; see ``strategies.condor.scaled_contracts``).
3. **Crossover** (the *confirmed* one: on the cross bar by default; after ``confirm.hold_bars``
   bars with the histogram agreeing under ``confirm.require_expanding``): MACD above its signal on
   VX (fear rising) -> ``on_cross_up`` (add a layer); below -> ``on_cross_down`` (remove the newest):
   the exit on the opposite signal.
4. **Review cadence**: every ``review_bars`` bars since the last add/remove (weekly by default)
   the persisting regime adds (fear rising) or removes (easing) one layer, so layers stack; the
   regime must pass the same confirmation. Inside an FOMC window (``fomc``), with the MACD rising
   (slope > 0) and the A/D line weakening, the cadence is ``fomc.review_bars``; without an A/D input
   this acceleration is off (unless ``fomc.require_ad = false``: MACD rising alone).
5. **RSI filter** (``rsi.enabled``): an add needs RSI(VIX) >= ``rsi.add_min``; a removal by
   crossover or review needs RSI(VIX) <= ``rsi.remove_max``.
6. **Sizing and caps**: a first layer is ``first_layer_contracts`` or (``sizing = "vega_ratio"``)
   ``target_hedge_ratio`` x |condor vega| / the layer's vega per contract; later layers carry
   ``next_layer_multiple`` (2x) the first layer's notional, ``expanding_layer_multiple`` (1.5x)
   while the histogram expands above zero; at most ``max_layers``, and cut to fit
   ``max_notional_usd`` and ``premium_budget_usd`` (skipped when nothing fits).
7. **Placement** (``placement.enabled``, option layers): while the MACD is flattening, outer layers
   (all but the oldest) sit ``placement.flat_extra_otm`` further OTM: new ones are placed there;
   a held one is restruck there once (same expiry and contracts), if that raises its long strike
   (a layer the future has fallen away from is already further out and stays).
"""

from __future__ import annotations

from strategies.book import (
    EXPANDING,
    FLAT_OTM,
    FOMC,
    Action,
    AddLayer,
    BookState,
    Decision,
    Layer,
    RemoveLayer,
    RestrikeLayer,
    RollLayer,
    Rule,
    ScaleCondor,
    UnitQuote,
    call_strike,
    cap_contracts,
    first_layer_contracts,
    layer_contracts,
    layer_legs,
)
from strategies.signalset import SignalInputs, SignalSet, Snapshot, compute
from vixhedge.config import HedgeConfig, HedgeInstrument, HedgeMode, SignalAction

__all__ = ["AddLayer", "BookState", "Decision", "Layer", "RemoveLayer", "RestrikeLayer", "RollLayer", "Rule",
           "ScaleCondor", "SignalInputs", "SignalSet", "Snapshot", "UnitQuote", "compute", "decide",
           "layer_contracts", "layer_legs"]


def decide(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision:
    """Return the bar's hedge decision under ``cfg.mode`` (pure)."""
    if cfg.mode is HedgeMode.NONE:
        return Decision()
    if cfg.mode is HedgeMode.VXTH:
        from strategies.vxth import decide_vxth

        return decide_vxth(state, snap, cfg)
    if cfg.mode is HedgeMode.STATIC:
        return _decide_static(state, cfg)
    return _decide_alvh(state, snap, cfg)


def _rolls(state: BookState, cfg: HedgeConfig, skip: set[int]) -> list[Action]:
    return [RollLayer(L.layer_id, Rule.ROLL) for L in state.layers
            if L.layer_id not in skip and state.days_to_expiry[L.layer_id] <= cfg.roll_days]


def _decide_static(state: BookState, cfg: HedgeConfig) -> Decision:
    actions = _rolls(state, cfg, set())
    fired = [Rule.ROLL.value] if actions else []
    pending = 0
    for _ in range(cfg.static_layers - len(state.layers)):
        n, why = cap_contracts(first_layer_contracts(state, cfg), state.layers, state.unit, cfg, pending)
        if n < 1:
            fired.append(f"{Rule.STATIC}!{why}")
            break
        actions.append(AddLayer(n, 1.0, Rule.STATIC, cfg.spread_long_otm))
        fired.append(Rule.STATIC.value)
        pending += n
    return Decision(tuple(actions), tuple(fired))


def _decide_alvh(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision:
    fired: list[str] = []
    if not snap.valid:
        rolls = _rolls(state, cfg, set())
        return Decision(tuple(rolls), (Rule.ROLL.value,) if rolls else ())
    main = _divergence(state, snap, cfg, fired)
    if main is None:
        main = _crossover(state, snap, cfg, fired)
    if main is None:
        main = _review(state, snap, cfg, fired)
    main = main or []
    removed = {a.layer_id for a in main if isinstance(a, RemoveLayer)}
    rolls = _rolls(state, cfg, removed)
    if rolls:
        fired.insert(0, Rule.ROLL.value)
    restrikes = _restrikes(state, snap, cfg, removed)
    if restrikes:
        fired.append(Rule.RESTRIKE.value)
    return Decision(tuple(rolls + restrikes + main), tuple(fired))


def _divergence(state: BookState, snap: Snapshot, cfg: HedgeConfig, fired: list[str]) -> list[Action] | None:
    d = cfg.divergence
    if not (d.enabled and snap.divergence > 0):
        return None
    fired.append(Rule.DIVERGENCE.value)
    acts: list[Action] = [RemoveLayer(L.layer_id, Rule.DIVERGENCE)
                          for L in reversed(state.layers)][:d.remove_layers]
    if d.condor_scale < 1:
        acts.append(ScaleCondor(d.condor_scale, Rule.DIVERGENCE))
    return acts


def _crossover(state: BookState, snap: Snapshot, cfg: HedgeConfig, fired: list[str]) -> list[Action] | None:
    if snap.event > 0:
        return _apply(cfg.on_cross_up, Rule.CROSS_UP, state, snap, cfg, fired)
    if snap.event < 0:
        return _apply(cfg.on_cross_down, Rule.CROSS_DOWN, state, snap, cfg, fired)
    return None


def review_cadence(snap: Snapshot, cfg: HedgeConfig) -> tuple[int, bool]:
    """Return (bars between reviews today, whether the FOMC acceleration applies)."""
    f = cfg.fomc
    ad_ok = snap.ad_weakening is True or (snap.ad_weakening is None and not f.require_ad)
    if f.enabled and snap.fomc_window and snap.macd_slope > 0 and ad_ok:
        return f.review_bars, True
    return cfg.review_bars, False


def _review(state: BookState, snap: Snapshot, cfg: HedgeConfig, fired: list[str]) -> list[Action] | None:
    bars, accelerated = review_cadence(snap, cfg)
    if not bars or state.bars_since_action < bars:
        return None
    suffix = FOMC if accelerated else ""
    need = cfg.confirm.hold_bars + 1
    strict = cfg.confirm.require_expanding
    if snap.macd > snap.signal and snap.regime >= need and (snap.agree_up or not strict):
        return _apply(cfg.on_cross_up, Rule.REVIEW_UP, state, snap, cfg, fired, suffix)
    if snap.macd < snap.signal and snap.regime <= -need and (snap.agree_down or not strict):
        return _apply(cfg.on_cross_down, Rule.REVIEW_DOWN, state, snap, cfg, fired, suffix)
    return None


def _apply(rule: SignalAction, event: Rule, state: BookState, snap: Snapshot, cfg: HedgeConfig,
           fired: list[str], suffix: str = "") -> list[Action]:
    name = f"{event}{suffix}"
    if rule is SignalAction.NOTHING:
        fired.append(f"{name}!nothing")
        return []
    if rule is SignalAction.ADD_LAYER:
        return _add(name, state, snap, cfg, fired)
    if not state.layers:  # logged for crossovers only: an idle review would fill every bar
        if event is Rule.CROSS_DOWN:
            fired.append(f"{name}!no_layers")
        return []
    if cfg.rsi.enabled and not snap.rsi <= cfg.rsi.remove_max:
        fired.append(f"{name}!rsi")
        return []
    fired.append(name)
    if rule is SignalAction.REMOVE_NEWEST:
        return [RemoveLayer(state.layers[-1].layer_id, name)]
    return [RemoveLayer(L.layer_id, name) for L in reversed(state.layers)]


def _add(name: str, state: BookState, snap: Snapshot, cfg: HedgeConfig, fired: list[str]) -> list[Action]:
    layers = state.layers
    if len(layers) >= cfg.max_layers:
        fired.append(f"{name}!max_layers")
        return []
    if cfg.rsi.enabled and not snap.rsi >= cfg.rsi.add_min:
        fired.append(f"{name}!rsi")
        return []
    first = state.first_notional_usd if layers else None
    if first is None:
        multiple, n = 1.0, first_layer_contracts(state, cfg)
    else:
        multiple = cfg.expanding_layer_multiple if snap.expanding_above_zero else cfg.next_layer_multiple
        name += EXPANDING if snap.expanding_above_zero else ""
        n = layer_contracts(multiple, first, state.unit.notional_usd, cfg.first_layer_contracts)
    n, why = cap_contracts(n, layers, state.unit, cfg)
    if n < 1:
        fired.append(f"{name}!{why}")
        return []
    otm = cfg.spread_long_otm
    if layers and _flat_placement(snap, cfg):
        otm += cfg.placement.flat_extra_otm
        name += FLAT_OTM
    fired.append(name)
    return [AddLayer(n, multiple, name, otm)]


def _flat_placement(snap: Snapshot, cfg: HedgeConfig) -> bool:
    return cfg.placement.enabled and cfg.instrument is not HedgeInstrument.VX_FUTURE and snap.flattening


def _restrikes(state: BookState, snap: Snapshot, cfg: HedgeConfig, removed: set[int]) -> list[Action]:
    """Move each outer option layer once to the flattened offset, if that puts its long call higher."""
    if not _flat_placement(snap, cfg):
        return []
    target = cfg.spread_long_otm + cfg.placement.flat_extra_otm
    out: list[Action] = []
    for L in state.layers[1:]:
        fut = state.futures.get(L.layer_id)
        if (L.layer_id in removed or L.long_otm >= target - 1e-9 or fut is None
                or state.days_to_expiry[L.layer_id] <= cfg.roll_days):
            continue
        if call_strike(fut, target) > (L.legs[0][0].strike or 0.0):
            out.append(RestrikeLayer(L.layer_id, target, Rule.RESTRIKE))
    return out
