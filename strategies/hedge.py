"""ALVH hedge policy, first form: MACD on a VX series steers a book of hedge layers.

Pure: :func:`decide` maps (layers, today's signal snapshot, config) to actions; the
backtrader strategy only applies them. Defaults (all configurable):

* MACD crosses above its signal on the VX series (futures gaining momentum: fear rising,
  the methodology's "bearish" crossover in equity terms) -> add a vega-positive layer;
* MACD crosses below its signal -> remove the newest layer;
* crossovers alternate, so on their own they never stack layers: every ``review_bars`` bars
  after the last hedge action, while MACD stays above its signal (the fear-rising regime
  persists) another layer is added, and while it stays below one layer is removed
  (``review_bars = 0``: crossovers only);
* the first layer is ``first_layer_contracts``; every later layer carries
  ``next_layer_multiple`` (2x) the first layer's notional, ``expanding_layer_multiple``
  (1.5x) while the histogram is above zero and expanding; at most ``max_layers``;
* a layer whose contract is within ``roll_days`` trading days of settlement rolls to the
  ``tenor_months``-th contract (same number of contracts).

``static`` keeps ``static_layers`` first-size layers rolled on the same cadence; ``none`` hedges
nothing.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from vixhedge import signals as sig
from vixhedge.config import HedgeConfig, HedgeInstrument, HedgeMode, MacdConfig, SignalAction
from vixhedge.instruments import Contract, Kind, Right


@dataclass(frozen=True)
class SignalSet:
    """MACD signals of one VX series, computed once per run (causal, per bar)."""

    series: np.ndarray
    macd: np.ndarray
    signal: np.ndarray
    hist: np.ndarray
    cross: np.ndarray  # +1 MACD crosses above signal, -1 below, 0 otherwise
    expanding_above_zero: np.ndarray

    def snapshot(self, i: int) -> "Snapshot":
        return Snapshot(float(self.series[i]), float(self.macd[i]), float(self.signal[i]), float(self.hist[i]),
                        int(self.cross[i]), bool(self.expanding_above_zero[i]))


def compute_signals(series: np.ndarray, cfg: MacdConfig) -> SignalSet:
    """Return the MACD signal set of ``series`` (EMAs seeded like backtrader's)."""
    m = sig.macd(series, cfg.fast, cfg.slow, cfg.signal)
    cross = sig.crossover(m.macd, m.signal)
    expanding = sig.expanding(m.hist, 1) & (m.hist > 0)
    return SignalSet(np.asarray(series), m.macd, m.signal, m.hist, cross, expanding)


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Signal values known at the close of one bar."""

    vx: float
    macd: float
    signal: float
    hist: float
    cross: int
    expanding_above_zero: bool

    @property
    def valid(self) -> bool:
        return all(math.isfinite(v) for v in (self.vx, self.macd, self.signal, self.hist))


@dataclass(frozen=True, slots=True)
class Layer:
    """One hedge layer as held: what, how many, why."""

    layer_id: int
    instrument: HedgeInstrument
    legs: tuple[tuple[Contract, int], ...]  # (contract, signed quantity held)
    notional_usd: float
    trigger: str
    entry_date: dt.date

    @property
    def expiry(self) -> dt.date:
        return self.legs[0][0].expiry

    @property
    def component(self) -> str:
        return f"hedge:L{self.layer_id}"


@dataclass(frozen=True, slots=True)
class AddLayer:
    size_multiple: float  # of the first layer's notional; 1.0 for the first layer
    reason: str


@dataclass(frozen=True, slots=True)
class RemoveLayer:
    layer_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class RollLayer:
    layer_id: int
    reason: str


Action = AddLayer | RemoveLayer | RollLayer


def decide(layers: tuple[Layer, ...], snap: Snapshot, days_to_expiry: dict[int, int],
           bars_since_action: int, cfg: HedgeConfig) -> list[Action]:
    """Return today's hedge actions, in the order they are to be applied.

    ``days_to_expiry`` maps layer ids to trading days left; ``bars_since_action`` counts bars
    since the policy last added or removed a layer (rolls do not count).
    """
    actions: list[Action] = [RollLayer(L.layer_id, "roll") for L in layers
                             if days_to_expiry[L.layer_id] <= cfg.roll_days]
    if cfg.mode is HedgeMode.NONE:
        return []
    if cfg.mode is HedgeMode.STATIC:
        first = 1.0
        actions += [AddLayer(first, "static") for _ in range(cfg.static_layers - len(layers))]
        return actions
    if not snap.valid:
        return actions
    if snap.cross > 0:
        return actions + _apply_rule(cfg.on_cross_up, "macd_cross_up", layers, snap, cfg)
    if snap.cross < 0:
        return actions + _apply_rule(cfg.on_cross_down, "macd_cross_down", layers, snap, cfg)
    if cfg.review_bars and bars_since_action >= cfg.review_bars:
        if snap.macd > snap.signal:
            return actions + _apply_rule(cfg.on_cross_up, "review_fear_rising", layers, snap, cfg)
        if snap.macd < snap.signal:
            return actions + _apply_rule(cfg.on_cross_down, "review_fear_easing", layers, snap, cfg)
    return actions


def _apply_rule(rule: SignalAction, event: str, layers: tuple[Layer, ...], snap: Snapshot,
                cfg: HedgeConfig) -> list[Action]:
    if rule is SignalAction.ADD_LAYER:
        if len(layers) >= cfg.max_layers:
            return []
        if not layers:
            return [AddLayer(1.0, event)]
        if snap.expanding_above_zero:
            return [AddLayer(cfg.expanding_layer_multiple, f"{event}+hist_expanding")]
        return [AddLayer(cfg.next_layer_multiple, event)]
    if rule is SignalAction.REMOVE_NEWEST:
        return [RemoveLayer(layers[-1].layer_id, event)] if layers else []
    if rule is SignalAction.REMOVE_ALL:
        return [RemoveLayer(L.layer_id, event) for L in reversed(layers)]
    return []


def layer_contracts(size_multiple: float, first_notional_usd: float | None, unit_notional_usd: float,
                    first_layer_contracts: int) -> int:
    """Return the contract count of a new layer.

    The first layer (no ``first_notional_usd`` yet) has ``first_layer_contracts``; later
    layers carry ``size_multiple`` times the first layer's notional at today's unit notional,
    rounded to the nearest whole contract (at least one).
    """
    if first_notional_usd is None:
        return first_layer_contracts
    return max(1, int(round(size_multiple * first_notional_usd / unit_notional_usd)))


def layer_legs(instrument: HedgeInstrument, expiry: dt.date, future_price: float, contracts: int,
               cfg: HedgeConfig) -> tuple[tuple[Contract, int], ...]:
    """Return the legs of a layer of ``contracts`` units on the VX expiry ``expiry``."""
    if instrument is HedgeInstrument.VX_FUTURE:
        return ((Contract(Kind.VX_FUTURE, expiry), contracts),)
    k_long = max(1.0, float(round(future_price * (1.0 + cfg.spread_long_otm))))
    k_short = k_long + cfg.spread_width_points
    return ((Contract(Kind.VIX_OPTION, expiry, k_long, Right.CALL), contracts),
            (Contract(Kind.VIX_OPTION, expiry, k_short, Right.CALL), -contracts))
