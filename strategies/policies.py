"""Hedge policies by name: the built-ins and a user's plug-ins come through the same door.

A hedge policy is a pure callable ``policy(state, snap, cfg) -> Decision`` (:data:`HedgePolicy`):
``state`` (:class:`~strategies.book.BookState`) is the book and its market on the bar, ``snap``
(:class:`~strategies.snapshot.Snapshot`) the signals known at the bar's close, ``cfg`` the run's
``[hedge]`` section; the :class:`~strategies.book.Decision` lists the actions (AddLayer, RemoveLayer,
RollLayer, RestrikeLayer, CutCondor, ScaleCondor) in the order the trader applies them. The trader
looks the policy up by ``hedge.policy`` (or, when that is empty, ``hedge.mode``) with :func:`resolve`;
``alvh``, ``static``, ``vxth`` and ``none`` are plain entries of :data:`BUILTINS`, loaded by the same
:func:`vixhedge.plugins.load` a ``"module:callable"`` plug-in is. A policy's own parameters are the
``[hedge.policy_params]`` table; a policy that sets ``policy.params`` to a dataclass has the table checked
against it when the config loads (:func:`check_policy`). :data:`REGISTRY` is this extension point; the condor
selector, extra signals and analyzers are the others (:mod:`vixhedge.extensions`).
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import numbers
from collections.abc import Callable
from typing import Any

from strategies.book import Action, AddLayer, BookState, Decision, Layer, RemoveLayer, RestrikeLayer, RollLayer
from strategies.book import ScaleCondor
from strategies.snapshot import Snapshot
from vixhedge import plugins, registries
from vixhedge.plugin_trace import Located, interrupted_in
from vixhedge.plugin_types import HedgePolicy  # noqa: F401 (its signature, re-exported)
from vixhedge.core.config import ConfigError, FillMode, HedgeConfig, HedgeInstrument, LayerSizing


#: this extension point (vixhedge.registries.POLICY: names only, so a config loads without this module)
REGISTRY = registries.POLICY
#: the built-in policies by name -> "module:qualname" (hedge.mode's values)
BUILTINS: dict[str, str] = REGISTRY.builtins
#: the check a config's [hedge] runs when it loads (vixhedge.registries.check_policy)
check_policy = registries.check_policy
#: a config under a built-in hedge mode, and a file loaded so without importing its plug-in (vixhedge.registries)
builtin_config, load_builtin = registries.builtin_config, registries.load_builtin


def no_hedge(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision:
    """The ``none`` policy: never hedge (the trader then skips building the bar's state)."""
    return Decision()


#: the note of a run whose hedge.mode is "none" but whose hedge.policy names a policy: that policy decides
NONE_WITH_POLICY = ('hedge.mode = "none" with hedge.policy = {policy!r}: the policy decides and may hedge (it wins '
                    "over hedge.mode, which only picks the contracts); to run unhedged, clear hedge.policy "
                    '(or set it to "none")')


def resolve(name: str) -> HedgePolicy:
    """Return the policy registered under ``name`` (a built-in, ``"module:callable"`` or an entry point)."""
    return REGISTRY.resolve(name)


class PolicyError(Located, ConfigError):
    """A hedge policy raised or returned something other than a Decision: reported as one line, like bad input."""


def decide_checked(policy: HedgePolicy, state: BookState, snap: Snapshot, cfg: HedgeConfig, day: dt.date,
                   vx_months: int | None = None, roll_expiry: Callable[[Layer], dt.date] | None = None) -> Decision:
    """Return ``policy``'s decision for the bar ``day``; a failure, a wrong return value or an action the book
    cannot take (:func:`_invalid`) is a PolicyError.

    ``vx_months`` is the number of VX contract months the market lists on every day, ``roll_expiry(layer)`` the
    expiry a RollLayer of ``layer`` would move it to (the trader passes both; None: that check is skipped).
    """
    try:
        decision = policy(state, snap, cfg)
    except KeyboardInterrupt as exc:  # a policy that hangs: the interrupt's line names it
        raise interrupted_in(exc, f"in hedge policy {cfg.policy_name} on {day}")
    except plugins.PLUGIN_FAILURES as exc:  # a plug-in's own bug: name the policy and the day
        raise PolicyError(f"hedge policy {cfg.policy_name} failed on {day}: {plugins.failure_words(exc)}") from exc
    if not (isinstance(decision, Decision) and all(isinstance(a, Action) for a in decision.actions)):
        raise PolicyError(f"hedge policy {cfg.policy_name} returned {plugins.short_repr(decision)} on {day}: return a "
                          "Decision of AddLayer, RemoveLayer, RollLayer, RestrikeLayer, CutCondor or ScaleCondor "
                          "actions")
    if policy in _builtin_policies():  # their actions are valid by construction: no check a bar
        return decision
    for part in ("fired", "acted"):
        names = getattr(decision, part)
        if not (isinstance(names, (tuple, list)) and all(isinstance(n, str) and n and _word(n) for n in names)):
            raise PolicyError(f"hedge policy {cfg.policy_name} returned Decision.{part} = {plugins.short_repr(names)} "
                              f"on {day}: use a tuple of rule names, each a non-empty str of printable characters "
                              "without ';', e.g. ('vx_above_mean',) (what signals.csv and metrics.json rules_fired "
                              "count)")
    removed: set[int] = set()
    for action in decision.actions:
        why = _invalid(action, state, removed, vx_months, roll_expiry)
        if why:
            raise PolicyError(f"hedge policy {cfg.policy_name} returned an invalid action on {day}: "
                              f"{plugins.short_repr(action)}: {why}")
    return decision


def _whole(n: Any) -> bool:
    return isinstance(n, numbers.Integral) and not isinstance(n, bool)


def _finite(x: Any) -> bool:
    return isinstance(x, numbers.Real) and not isinstance(x, bool) and math.isfinite(x)


#: an option layer's long call, a fraction above the VX future: hedge.spread_long_otm's range (-0.5 .. 1) plus the
#: most hedge.placement.flat_extra_otm moves an outer layer (1). Trial PL25: long_otm 50 bought a 1000 / 1000 call
#: "spread" (the listed grid's top, no width), -0.9 a 1.5 / 6.5 one for more than it can pay
OTM_RANGE = (-0.5, 2.0)
_OTM_WORDS = ("long_otm = {!r}: use a fraction above the VX future in [-0.5, 2] (hedge.spread_long_otm's range, plus "
              "the most hedge.placement.flat_extra_otm adds), e.g. 0.1")


def _word(text: str) -> bool:
    """A reason or rule name signals.csv can join with ';' on one line."""
    return ";" not in text and text.isprintable()


def _otm(x: Any) -> bool:
    return _finite(x) and OTM_RANGE[0] <= x <= OTM_RANGE[1]


@functools.cache
def _builtin_policies() -> frozenset:
    """The built-in policies' callables (:data:`BUILTINS`, resolved once)."""
    return frozenset(REGISTRY.resolve(name) for name in BUILTINS)


def _invalid(action: Action, state: BookState, removed: set[int], vx_months: int | None = None,
             roll_expiry: Callable[[Layer], dt.date] | None = None) -> str:
    """Return why ``action`` cannot be applied to the book ``state`` ("" when it can); ``removed`` holds the ids of
    the layers the decision's earlier actions removed (updated here).

    Every action's ``reason`` is a str. A layer action names a layer of ``state.layers`` not removed earlier in the
    decision; a restrike moves an option layer (a VX future has no strike); a roll moves the layer to another
    contract than its own (``roll_expiry``). A new layer has whole contracts >= 1, a finite ``size_multiple`` > 0
    and a ``tenor_months`` the market lists (<= ``vx_months``); a condor scale lies in (0, 1]; a condor cut
    needs an open condor (``state.condor_contracts``).
    """
    if not isinstance(action.reason, str):
        return (f"reason = {action.reason!r}: use a str (the name signals.csv, layers.csv and trades.csv show, "
                "e.g. 'vx_above_mean')")
    if not _word(action.reason):  # (trial PL25: a reason spread over CSV lines)
        return (f"reason = {action.reason!r}: use printable characters without ';' (signals.csv joins a bar's "
                "actions with ';'; no line break or tab), e.g. 'vx_above_mean'")
    if isinstance(action, (RemoveLayer, RollLayer, RestrikeLayer)):
        if not _whole(action.layer_id):  # (trial FUZZ40 L1: RollLayer(True) rolled layer 1, signals.csv "roll LTrue")
            return (f"layer_id = {action.layer_id!r}: use a whole number (int), the layer_id of a layer of "
                    "state.layers")
        open_ids = [L.layer_id for L in state.layers]
        if action.layer_id in removed:
            return (f"layer_id {action.layer_id} was removed by an earlier action of this Decision: remove a layer "
                    "once, and roll or restrike it only before removing it")
        if action.layer_id not in open_ids:
            ids = ", ".join(map(str, open_ids)) or "none"
            return (f"layer_id {action.layer_id!r} is not an open layer (open: {ids}): name a layer_id of "
                    "state.layers")
        layer = state.layers[open_ids.index(action.layer_id)]
        if isinstance(action, RemoveLayer):
            removed.add(action.layer_id)
        if isinstance(action, RestrikeLayer):
            if not _otm(action.long_otm):
                return _OTM_WORDS.format(action.long_otm)
            if layer.instrument is HedgeInstrument.VX_FUTURE:
                return (f"layer {layer.layer_id} holds VX futures, which have no strike to move: restrike only "
                        "option layers (hedge.instrument vix_call or vix_call_spread); move a VX layer with "
                        "RemoveLayer and AddLayer(tenor_months=...)")
        if isinstance(action, RollLayer) and roll_expiry is not None and roll_expiry(layer) == layer.expiry:
            return (f"layer {layer.layer_id} already holds its roll target (VX {layer.expiry}), so the roll would "
                    "close and reopen the same contract, paying spread and fees: roll a layer only when it is due "
                    "(state.days_to_expiry <= hedge.roll_days, as due_rolls returns them)")
        return ""
    if isinstance(action, AddLayer):
        refusal = action.contracts == 0 and bool(action.cap)  # a cap's refusal, logged (a wrapped built-in's)
        if not (_whole(action.contracts) and (action.contracts >= 1 or refusal)):
            return (f"contracts = {action.contracts!r}: use a whole number (int) >= 1 of contracts; add nothing by "
                    "leaving AddLayer out")
        tenor = action.tenor_months
        if not (_whole(tenor) and tenor >= 0 and (vx_months is None or tenor <= vx_months)):
            if vx_months is None:
                return f"tenor_months = {tenor!r}: use a whole number of months >= 0 (0: hedge.tenor_months)"
            return (f"tenor_months = {tenor!r}: use a whole number of months 0..{vx_months} (0: hedge.tenor_months; "
                    f"the market lists {vx_months} VX contract months that day)")
        if not (_finite(action.size_multiple) and action.size_multiple > 0):
            return (f"size_multiple = {action.size_multiple!r}: use a finite number > 0 (the layer's notional over "
                    "the first layer's; 1.0 for a first layer)")
        if not _otm(action.long_otm):
            return _OTM_WORDS.format(action.long_otm)
        if not _finite(action.carry_usd):
            return f"carry_usd = {action.carry_usd!r}: use a finite number"
        return ""
    if isinstance(action, ScaleCondor):
        if not (_finite(action.scale) and 0 < action.scale <= 1):
            return f"scale = {action.scale!r}: use a number in (0, 1] (the next condor opens with scale x its contracts)"
        return ""
    if not (_whole(action.contracts) and action.contracts >= 1):  # CutCondor
        return f"contracts = {action.contracts!r}: use a whole number (int) >= 1 of condors to buy back"
    if state.condor_contracts < 1:
        return "no condor is open (state.condor_contracts = 0): cut only while state.condor_contracts >= 1"
    return ""


def identity(name: str) -> dict[str, str]:
    """Return ``{"name", "module", "qualname", "source_sha256"}`` of the policy ``name`` stands for."""
    return REGISTRY.identity(name)


def legged_spreads(h: HedgeConfig, fill: FillMode) -> str:
    """A note when the built-in layers are VIX call spreads filled at bid and ask ("" otherwise): each leg crosses its
    own width on every add, roll, restrike and removal, where an exchange's spread order often fills inside them (a
    researcher's trial, session 15: on 2007-2022 real data most of a call-spread hedge's cost; README, *Quotes and
    fills*)."""
    if h.policy_name not in ("alvh", "static") or h.instrument is not HedgeInstrument.VIX_CALL_SPREAD \
            or fill is not FillMode.BID_ASK:
        return ""
    return ("hedge.instrument = 'vix_call_spread' fills each leg at its own bid and ask: every add, roll, restrike and "
            "removal crosses both legs' widths, where a spread order on the exchange often fills inside them, and on "
            "real data this can be most of the hedge's cost; bound it with execution.fill = \"mid\", which fills the "
            "condor at mid too: compare such a run with baselines filled at mid as well, never with these (README, "
            "*Quotes and fills*)")


def small_option_layers(h: HedgeConfig) -> str:
    """A note when the built-in layers are VIX options sized in contracts ("" otherwise): a VIX option contract moves
    $100 a VIX point, a VX future $1,000, so changing ``hedge.instrument`` alone makes the hedge about a tenth the size
    (a trial of 2026-12-04 compared instruments on 2019-2020 and read a 1-lot spread hedge as options doing nothing:
    median hedge ratio 0.011 against 0.504 with VX futures)."""
    if h.policy_name not in ("alvh", "static") or h.instrument is HedgeInstrument.VX_FUTURE \
            or h.sizing is not LayerSizing.CONTRACTS:
        return ""
    what = "call spread" if h.instrument is HedgeInstrument.VIX_CALL_SPREAD else "call"
    return (f"hedge.instrument = {h.instrument.value!r} with hedge.sizing = \"contracts\": a first layer holds "
            f"{h.first_layer_contracts} VIX {what} contract(s), $100 a VIX point times its delta, where a VX future "
            "moves $1,000 a point: the hedge is about a tenth of a VX-future hedge's size or less; to compare "
            "instruments nearer the same footing set hedge.sizing = \"vega_ratio\" (layers sized on the condor's vega "
            "in whole contracts, at least one, so a VX-future layer can overshoot target_hedge_ratio where an option "
            "layer meets it: compare the runs' hedge ratio medians), or raise hedge.first_layer_contracts")

