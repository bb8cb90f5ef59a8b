"""Where a new hedge layer goes, and when an outer one moves (pure; the ALVH policy's placement rules).

A flattening MACD puts a later layer further out (a VX month further, an option layer's long call further out
of the money: ``flattening_placement``); a steep MACD slope puts it nearer (``slope_breakeven``). A placement
acts only when it changes the layer: the contract a VX layer buys (book.vx_layer_month skips months that roll
before the next review) or an option layer's long strike. Layers are sized on the contract they buy
(:func:`bought`: a VX layer's notional and vega, an option layer's vega at its strike, for a ``vega_ratio`` first
layer); flattening also moves each outer option layer once to the further offset (:func:`restrikes`).
"""

from __future__ import annotations

import math
from dataclasses import replace

from strategies.book import (
    FLAT_OTM,
    STEEP,
    Action,
    BookState,
    RestrikeLayer,
    Rule,
    UnitQuote,
    call_strike,
    opening_sessions,
    vx_layer_month,
)
from strategies.snapshot import Snapshot
from vixhedge.core.config import HedgeConfig, HedgeInstrument


def placement(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> tuple[int, float, str, str]:
    """Return (tenor, long_otm, reason suffix, rule id) of a new layer's placement ("" and "": none acted).

    A placement acts only when it changes the layer: a VX layer's contract (the front one is skipped near its
    settlement), an option layer's long strike (on the 1-point grid a small offset can round to the same one)."""
    otm, tenor = cfg.spread_long_otm, cfg.tenor_months
    vx = cfg.instrument is HedgeInstrument.VX_FUTURE
    if state.layers and cfg.placement.enabled and snap.flattening:
        further = tenor + cfg.placement.flat_extra_tenor
        if (_vx_month(further, state, cfg) != _vx_month(tenor, state, cfg) if vx
                else _strike_moves(state.new_future, otm, otm + cfg.placement.flat_extra_otm)):
            return (further, otm, FLAT_OTM, "flattening_placement") if vx else \
                (tenor, otm + cfg.placement.flat_extra_otm, FLAT_OTM, "flattening_placement")
    elif cfg.slope.enabled and snap.macd_slope >= cfg.slope.steep and (not vx or tenor > 1):
        nearer = otm - cfg.slope.near_otm
        if (_vx_month(tenor - 1, state, cfg) != _vx_month(tenor, state, cfg) if vx
                else _strike_moves(state.new_future, otm, nearer)):
            return (tenor - 1, otm, STEEP, "slope_breakeven") if vx else (tenor, nearer, STEEP, "slope_breakeven")
    return tenor, otm, "", ""


def bought(state: BookState, cfg: HedgeConfig, tenor: int, long_otm: float | None = None) -> BookState:
    """``state`` with the unit of the contract a layer on ``tenor`` (an option layer: at ``long_otm``) buys.

    A placement that moves a VX layer to another month: that contract's notional and vega (``vx_futures``,
    ``vx_unit_vegas``); one that moves an option layer's long call (``slope_breakeven``): that option's vega and
    premium (``option_unit``; its notional is the expiry's, the same). A first layer sized by ``vega_ratio`` is so
    sized on the vega of what it buys, and ``premium_budget_usd`` caps it on the premium of what it buys. An unknown price
    keeps the default tenor's unit, an unknown vega (no ``vx_unit_vegas`` / ``option_unit``: a plug-in's
    caller) its vega."""
    u = state.unit
    if cfg.instrument is not HedgeInstrument.VX_FUTURE:
        if long_otm is None or long_otm == cfg.spread_long_otm or state.option_unit is None:
            return state
        placed = state.option_unit(long_otm)
        return replace(state, unit=UnitQuote(u.notional_usd, placed.premium_usd, placed.vega_usd))
    month = _vx_month(tenor, state, cfg)
    if tenor == cfg.tenor_months or month > len(state.vx_futures) or not math.isfinite(state.vx_futures[month - 1]):
        return state
    vega = state.vx_unit_vegas[month - 1] if month <= len(state.vx_unit_vegas) else u.vega_usd
    return replace(state, unit=UnitQuote(state.vx_futures[month - 1] * 1000.0, u.premium_usd, vega))


def _strike_moves(future: float, otm: float, placed: float) -> bool:
    """True when a long call at ``placed`` differs from one at ``otm`` (or the future is unknown)."""
    return not math.isfinite(future) or call_strike(future, placed) != call_strike(future, otm)


def _vx_month(tenor: int, state: BookState, cfg: HedgeConfig) -> int:
    return vx_layer_month(tenor, state.vx_dte, opening_sessions(cfg))


def _flat_placement(snap: Snapshot, cfg: HedgeConfig) -> bool:
    return cfg.placement.enabled and cfg.instrument is not HedgeInstrument.VX_FUTURE and snap.flattening


def restrikes(state: BookState, snap: Snapshot, cfg: HedgeConfig, removed: set[int]) -> list[Action]:
    """Move each outer option layer once to the flattened offset, if that puts its long call higher (by at least
    ``placement.restrike_min_points`` VIX points, when set); not one that rolls at the next session (:func:`strategies.hedge.due_rolls` rolls it when its days_to_expiry, one less
    then, is at most ``roll_days``): the roll would close the new legs, a round trip."""
    if not _flat_placement(snap, cfg):
        return []
    target = cfg.spread_long_otm + cfg.placement.flat_extra_otm
    out: list[Action] = []
    for L in state.layers[1:]:
        fut = state.futures.get(L.layer_id)
        if (L.layer_id in removed or L.long_otm >= target - 1e-9 or fut is None
                or state.days_to_expiry[L.layer_id] - 1 <= cfg.roll_days):
            continue
        up = call_strike(fut, target) - (L.legs[0][0].strike or 0.0)
        if up > 1e-9 and up >= cfg.placement.restrike_min_points - 1e-9:
            out.append(RestrikeLayer(L.layer_id, target, Rule.RESTRIKE))
    return out
