"""The hedge book's vocabulary: layers, the state a policy sees, the actions it returns.

Pure data and small pure helpers; no backtrader, no market access. The policies
(:mod:`strategies.hedge`, :mod:`strategies.vxth`) map ``(BookState, Snapshot, HedgeConfig)`` to a
:class:`Decision`; :mod:`strategies.alvh` turns decisions into fills.
"""

from __future__ import annotations

import datetime as dt
import enum
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np

from vixhedge.core.config import HedgeConfig, HedgeInstrument, LayerSizing
from vixhedge.core import vixstrikes
from vixhedge.core.instruments import Contract, Kind, Right
from vixhedge.fmt import usd


class Rule(enum.StrEnum):
    """Names of the policy rules, as written in the decision log, layers.csv and trades.csv."""

    ROLL = "roll"
    CROSS_UP = "macd_cross_up"
    CROSS_DOWN = "macd_cross_down"
    REVIEW_UP = "review_fear_rising"
    REVIEW_DOWN = "review_fear_easing"
    DIVERGENCE = "bullish_divergence"
    RESTRIKE = "flattening_restrike"
    STATIC = "static"
    VXTH = "vxth"
    VXTH_ROLL = "vxth_roll"


# The rule ids of the methodology (README "Spec table"): the decision log's ``rule_ids`` column lists
# those that acted on a bar (changed what the book did), metrics.json ``rules_fired`` counts them.
RULE_IDS = ("cross_up", "cross_down", "review", "divergence_bullish", "condor_vega_cut", "expansion_sizing",
            "expansion_cadence", "slope_breakeven", "flattening_placement", "fomc_cadence", "fomc_divergence",
            "event_window", "rsi_filter", "ad_filter", "term_structure_filter", "front_run", "condor_required",
            "roll")

# Suffixes appended to a rule in a reason: "+hist_expanding" (1.5x sizing), "+fomc" (accelerated
# review), "+flat_otm" (placed further OTM); "!<why>" marks a rule that fired but was blocked.
EXPANDING = "+hist_expanding"
# a VIX option layer whose close would bring at most this (USD per unit, after fees) brings nothing: it is left to
# expire (LayerActions._closes_for_nothing, OptionSlots.closes_for_nothing; the tolerance absorbs a tie's rounding)
CLOSE_TOLERANCE_USD = 1e-9
FOMC = "+fomc"
FLAT_OTM = "+flat_otm"
STEEP = "+steep"
PROJECTED = "+projected"
EVENT = "+event"
EXP_CADENCE = "+expansion_cadence"


@dataclass(frozen=True, slots=True)
class Layer:
    """One hedge layer as held.

    ``legs`` are ``(contract, signed quantity held)``; ``notional_usd`` is the future's price x
    multiplier x contracts at entry (or last roll); ``premium_usd`` the net debit paid then (0 for
    futures); ``long_otm`` the long call's distance above the future (option layers).
    """

    layer_id: int
    instrument: HedgeInstrument
    legs: tuple[tuple[Contract, int], ...]
    notional_usd: float
    trigger: str
    entry_date: dt.date
    premium_usd: float = 0.0
    long_otm: float = 0.0
    exit_rule: str = ""  # how the policy will close it, in words (layers.csv)
    tenor_months: int = 0  # VX contract month it rolls into (0: hedge.tenor_months)

    @property
    def expiry(self) -> dt.date:
        return self.legs[0][0].expiry

    @property
    def contracts(self) -> int:
        return abs(self.legs[0][1])

    @property
    def component(self) -> str:
        return f"hedge:L{self.layer_id}"


@dataclass(frozen=True, slots=True)
class UnitQuote:
    """Per-contract facts of a layer opened today: notional, premium (debit) and vega, all in USD."""

    notional_usd: float
    premium_usd: float = 0.0
    vega_usd: float = 0.0


class DeferredUnitQuote:
    """A :class:`UnitQuote` priced on first read.

    The trader hands the policy one every bar, but the policy reads it only on the bars it sizes a
    new layer; pricing the layer's legs on the others would be wasted work.
    """

    __slots__ = ("_price", "_quote")

    def __init__(self, price: Callable[[], UnitQuote]) -> None:
        self._price = price
        self._quote: UnitQuote | None = None

    def _get(self) -> UnitQuote:
        if self._quote is None:
            self._quote = self._price()
        return self._quote

    notional_usd = property(lambda self: self._get().notional_usd)
    premium_usd = property(lambda self: self._get().premium_usd)
    vega_usd = property(lambda self: self._get().vega_usd)


class DeferredPrices(Sequence[float]):
    """Today's prices of the listed VX contracts, front first, each read from ``price(k)`` (0 = front) on first use.

    A placement that moves a layer to another month sizes it on that month's price; other bars read none.
    """

    __slots__ = ("_price", "_n", "_seen")

    def __init__(self, price: Callable[[int], float], n: int) -> None:
        self._price, self._n, self._seen = price, n, {}

    def __len__(self) -> int:
        return self._n

    def __getitem__(self, k: int) -> float:  # type: ignore[override]  (no slices)
        if not 0 <= k < self._n:
            raise IndexError(k)
        if k not in self._seen:
            self._seen[k] = self._price(k)
        return self._seen[k]


@dataclass(frozen=True, slots=True)
class BookState:
    """What the policy knows of the book and the market on one bar: ``date``, the bar's session (None in a state a
    plug-in builds; trial RS27); ``layers`` (each with its ``entry_date``); ``days_to_expiry``, layer id -> trading
    days left; ``bars_since_action`` since the policy last added or removed a layer (not rolls, restrikes),
    ``bars_since_divergence`` since a bullish divergence removed layers (``divergence.hold_adds``), ``bars_in_run``
    before this one; ``vx_dte``, trading days to each listed VX contract's settlement, front first; ``vx_futures``,
    today's price of each (as ``vx_dte``); ``vx_unit_vegas``, the SPX vega (USD per vol point) of one of each;
    ``first_notional_usd``, what later layers are sized against (None without a layer); ``condor_vega_usd``, |vega|
    of the open condor per vol point; ``condor_contracts``, its contracts (0: none open); ``nav_usd``; ``unit``, one
    contract of a new layer; ``option_unit(long_otm)``, an option layer's unit at another ``long_otm`` (same expiry;
    None in a state a plug-in builds); ``new_future``, the price of the VX contract a new layer (or VXTH call) would
    use; ``futures``, layer id -> today's price of its VX expiry; ``carry_usd``, fractional notional left by earlier
    layers' rounding (``hedge.fractional_carry``); ``vix_expiration``, today is a VIX (VX) final settlement day
    (trial API39 M5: "the rest: their comments", which help() does not show)."""

    layers: tuple[Layer, ...] = ()
    days_to_expiry: Mapping[int, int] = field(default_factory=lambda: MappingProxyType({}))
    bars_since_action: int = 10**9
    bars_since_divergence: int = 10**9
    bars_in_run: int = 0
    vx_dte: tuple[int, ...] = ()
    first_notional_usd: float | None = None
    condor_vega_usd: float = 0.0
    nav_usd: float = 0.0
    unit: UnitQuote | DeferredUnitQuote = UnitQuote(0.0)
    futures: Mapping[int, float] = field(default_factory=lambda: MappingProxyType({}))
    condor_contracts: int = 0
    carry_usd: float = 0.0
    vix_expiration: bool = False
    new_future: float = float("nan")
    vx_futures: Sequence[float] = ()
    vx_unit_vegas: Sequence[float] = ()
    option_unit: Callable[[float], UnitQuote] | None = None
    date: dt.date | None = None


@dataclass(frozen=True, slots=True)
class AddLayer:
    """Open a new hedge layer of ``contracts`` units of ``hedge.instrument`` (VX futures, or VIX call spreads
    ``long_otm`` out of the money, -0.5 .. 2: 0, at the money, unless given; alvh and static pass the config's
    ``cfg.spread_long_otm``, vxth sets its strike by delta) on the contract ``tenor_months`` out (0:
    ``hedge.tenor_months``), at the ask with fees, within the margin and the hedge caps; ``size_multiple`` records
    its size against the first layer's notional (1.0 for a first layer) and ``reason`` goes to signals.csv. The other
    fields are the built-ins' bookkeeping (``carry_usd``, ``wanted``, ``cap``, ``cap_counted``): a plug-in leaves them
    at their defaults (an AddLayer of 0 contracts with ``cap`` is a cap's refusal, logged, as a built-in returns it)."""

    contracts: int
    size_multiple: float  # of the first layer's notional; 1.0 for a first layer
    reason: str
    long_otm: float = 0.0
    tenor_months: int = 0  # 0: hedge.tenor_months
    carry_usd: float = 0.0  # the fractional notional carried to the next layer
    wanted: int = 0  # with ``cap``: the contracts before the cap cut them to ``contracts`` (0 without)
    # the hedge config key of the cap that cut it (cap_contracts: "max_notional_usd", "premium_budget_usd"; "" none);
    # a built-in policy's add a cap cut to 0 is an AddLayer of 0 contracts with it (the trader logs the refusal)
    cap: str = ""
    cap_counted: str = ""  # with ``cap``: what it counted (cap_counted), written beside it in capital_cuts.csv


@dataclass(frozen=True, slots=True)
class RemoveLayer:
    """Close the open layer ``layer_id`` (an id of ``state.layers``) at the bid with fees; ``reason`` goes to
    signals.csv."""

    layer_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class RollLayer:
    """Roll the open layer ``layer_id``: close it and reopen the same contracts on the contract ``hedge.tenor_months``
    out (not the one it holds), e.g. ``roll_days`` before its expiry as :func:`strategies.hedge.due_rolls` lists them;
    ``reason`` goes to signals.csv."""

    layer_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class RestrikeLayer:
    """Close an option layer and reopen it on the same expiry at ``long_otm`` (same contracts)."""

    layer_id: int
    long_otm: float
    reason: str


@dataclass(frozen=True, slots=True)
class ScaleCondor:
    """Multiply the next condor's contracts by ``scale`` (the condor's vega target shrinks)."""

    scale: float
    reason: str


@dataclass(frozen=True, slots=True)
class CutCondor:
    """Buy back ``contracts`` of the open condor (condor_vega_cut: its vega falls by that share)."""

    contracts: int
    reason: str


Action = AddLayer | RemoveLayer | RollLayer | RestrikeLayer | ScaleCondor | CutCondor


@dataclass(frozen=True, slots=True)
class Decision:
    """A bar's actions in the order they are applied, and every rule that fired (blocked ones as ``rule!why``)."""

    actions: tuple[Action, ...] = ()
    fired: tuple[str, ...] = ()
    acted: tuple[str, ...] = ()  # the RULE_IDS that changed what the book did on this bar


def half_up(x: float) -> int:
    """Return ``x`` rounded half up ("half" of 5 condors is 3, not Python's banker's 2); compiled by the kernel
    (``kernel_jit``) as :func:`condor_cut`'s helper."""
    return math.floor(x + 0.5 + 1e-9)


def condor_cut(fraction: float, contracts: float) -> float:
    """Return the contracts ``divergence.condor_cut`` buys back of an open condor of ``contracts``: ``fraction``
    of them rounded half up (:func:`half_up`), at least 1, keeping 1 open; 0 for none (a fraction of 0, a condor
    of one contract or none).

    Scalar and numpy-free, so that the compiled kernel compiles it: the event path (``hedge._divergence``), the
    numpy kernel (``kernel_book.simulate``'s ``divergence_condor``) and the compiled one (``kernel_jit``) all
    call this one definition."""
    if not (fraction > 0 and contracts >= 2):
        return 0.0
    return min(contracts - 1.0, max(1.0, float(half_up(fraction * contracts))))


def first_layer_contracts(state: BookState, cfg: HedgeConfig) -> int:
    """Return the size of a first layer: fixed, or the target share of the condor's vega.

    ``vega_ratio``: ``round(target_hedge_ratio * condor_vega / unit vega)``, at least 1; without
    an open condor (or a layer vega of 0) it falls back to ``first_layer_contracts``.
    """
    if cfg.sizing is LayerSizing.VEGA_RATIO and state.condor_vega_usd > 0 and state.unit.vega_usd > 0:
        return max(1, round(cfg.target_hedge_ratio * state.condor_vega_usd / state.unit.vega_usd))
    return cfg.first_layer_contracts


def layer_contracts(size_multiple: float, first_notional_usd: float | None, unit_notional_usd: float,
                    first_layer_contracts: int) -> int:
    """Return the contract count of a new layer.

    The first layer (no ``first_notional_usd`` yet) has ``first_layer_contracts``; later
    layers carry ``size_multiple`` times the first layer's notional at today's unit notional,
    rounded to the nearest whole contract (at least one).
    """
    if first_notional_usd is None:
        return first_layer_contracts
    return max(1, round(size_multiple * first_notional_usd / unit_notional_usd))


_CAPS = (("max_notional_usd", "notional_usd", "held"), ("premium_budget_usd", "premium_usd", "paid"))


def _cap_use(attr: str, layers: tuple[Layer, ...], unit: UnitQuote | DeferredUnitQuote,
             pending: int) -> tuple[float, float]:
    """Return (what a cap counts as used, one more contract's share of it): the layers' ``attr`` and ``pending``
    contracts added earlier on the bar at today's unit."""
    per = getattr(unit, attr)
    return sum(getattr(L, attr) for L in layers) + pending * per, per


def cap_contracts(n: int, layers: tuple[Layer, ...], unit: UnitQuote | DeferredUnitQuote, cfg: HedgeConfig,
                  pending: int = 0) -> tuple[int, str]:
    """Return ``n`` cut to the notional and premium caps, and the config key of the cap that bound
    (``max_notional_usd``, ``premium_budget_usd``; "" if none).

    The notional cap counts each open layer's notional at its entry or last roll (``Layer.notional_usd``), the
    premium budget what was paid then (``Layer.premium_usd``); ``pending`` counts contracts already added earlier
    on the same bar (at today's unit). :func:`cap_counted` says what the bound cap counted.
    """
    why = ""
    for key, attr, _ in _CAPS:
        cap = getattr(cfg, key)
        if math.isfinite(cap) and getattr(unit, attr) > 0:
            used, per = _cap_use(attr, layers, unit, pending)
            fit = math.floor((cap - used) / per + 1e-9)
            if fit < n:
                n, why = fit, key
    return max(n, 0), why


def cap_counted(key: str, layers: tuple[Layer, ...], unit: UnitQuote | DeferredUnitQuote, pending: int = 0) -> str:
    """Return what the cap ``key`` (:func:`cap_contracts`'s second value) counted, as capital_cuts.csv writes it
    beside the cap: ``$194,593 held, $24,428 a contract`` (``max_notional_usd``) or ``$X paid, $Y a contract``
    (``premium_budget_usd``); "" for no cap."""
    for name, attr, verb in _CAPS:
        if name == key:
            used, per = _cap_use(attr, layers, unit, pending)
            return f"{usd(used)} {verb}, {usd(per)} a contract"
    return ""


def vx_layer_month(tenor: int, vx_dte: Sequence[int], roll_days: int) -> int:
    """Return the VX contract month (1 = front) a hedge layer on ``tenor`` opens in today.

    ``vx_dte[n - 1]`` is the trading days to the n-th listed contract's settlement. A contract within
    ``roll_days`` of it would roll too soon, so the layer takes the next month instead (and so on); a month
    past the listed ones counts as far from settlement. ``LayerActions._new_layer_contract`` opens layers
    there with :func:`opening_sessions` (rolls with ``hedge.roll_days``, VXTH calls with ``vxth.min_sessions``);
    the ALVH placement rules ask it whether a further or nearer tenor is another contract.
    """
    n = tenor
    while n <= len(vx_dte) and vx_dte[n - 1] <= roll_days:
        n += 1
    return n


def opening_sessions(cfg: HedgeConfig) -> int:
    """Return the sessions to settlement at or below which a new VX layer skips a month: ``roll_days`` plus
    ``review_bars``, as the roll rule would roll it before the layer's next review (paying spread and fees
    twice); a roll reopens on a month more than ``roll_days`` away."""
    return cfg.roll_days + cfg.review_bars


def vx_layer_months(tenor: np.ndarray, vx_dte: np.ndarray, roll_days: np.ndarray) -> np.ndarray:
    """Return :func:`vx_layer_month` for arrays: per point ``tenor[p]`` and ``roll_days[p]`` on one row of
    ``vx_dte`` (trading days to each listed contract's settlement, front first); the sweep kernel's copy of the rule.
    """
    tenor, dte = np.asarray(tenor), np.asarray(vx_dte)
    month = np.arange(1, dte.shape[-1] + 1)
    ok = (month >= tenor[..., None]) & (dte > np.asarray(roll_days)[..., None])
    return np.where(ok.any(axis=-1), ok.argmax(axis=-1) + 1, np.maximum(tenor, dte.shape[-1] + 1))


def call_strike(future_price: float, long_otm: float) -> float:
    """Return the long call strike: the listed VIX strike nearest the future times ``1 + long_otm``
    (:mod:`vixhedge.core.vixstrikes`: half points below 15, whole to 30, 2.5 to 50, 5 above)."""
    return vixstrikes.nearest(future_price * (1.0 + long_otm))


def short_strike(long_strike: float, width: float) -> float:
    """Return a call spread's short strike: the first listed VIX strike at or above ``long_strike + width``."""
    return vixstrikes.at_or_above(long_strike + width)


def layer_legs(instrument: HedgeInstrument, expiry: dt.date, future_price: float, contracts: int,
               cfg: HedgeConfig, long_otm: float | None = None,
               strike: float | None = None) -> tuple[tuple[Contract, int], ...]:
    """Return the legs of a layer of ``contracts`` units on the VX expiry ``expiry``.

    Option layers put the long call at ``strike`` if given, else at :func:`call_strike` with
    ``long_otm`` (default ``cfg.spread_long_otm``); a spread sells the call at :func:`short_strike`,
    ``spread_width_points`` above it on the listed grid.
    """
    if instrument is HedgeInstrument.VX_FUTURE:
        return ((Contract(Kind.VX_FUTURE, expiry), contracts),)
    otm = cfg.spread_long_otm if long_otm is None else long_otm
    k_long = call_strike(future_price, otm) if strike is None else strike
    long = (Contract(Kind.VIX_OPTION, expiry, k_long, Right.CALL), contracts)
    if instrument is HedgeInstrument.VIX_CALL:
        return (long,)
    return (long, (Contract(Kind.VIX_OPTION, expiry, short_strike(k_long, cfg.spread_width_points), Right.CALL),
                   -contracts))
