"""Section ``[hedge]`` and its signal tables.

The hedge book's mode, instrument, sizing and caps, and the signals it reads (``[hedge.macd]``, ``[hedge.confirm]``,
``[hedge.divergence]``, ``[hedge.rsi]``); the switchable ALVH rules' tables are :mod:`.rules`, the VXTH baseline's
``[hedge.vxth]`` is :mod:`.vxth`.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, field
from typing import Any

from vixhedge.core.config.base import ConfigError, check
from vixhedge.core.config.book import MAX_CASH_USD
from vixhedge.core.config.readonly import freeze
from vixhedge.core.config.rules import (EventsConfig, ExpansionConfig, FomcConfig, PlacementConfig, SlopeConfig,
                                         TermStructureConfig)
from vixhedge.core.config.vxth import VxthConfig


class HedgeMode(enum.StrEnum):
    NONE = "none"
    STATIC = "static"
    ALVH = "alvh"
    VXTH = "vxth"


#: VX months listed on every day, the bound of an outer layer's month (tenor_months + placement.flat_extra_tenor):
#: the model quotes a contract from 270 days before its settlement (feeds.vxcurve.LISTED_DAYS), 8 months on its
#: leanest days (VxCurve.listed_months of the default market, tested equal); the real settles list 8 or more on every
#: session of its 2014-2018 window (tests/feeds/test_market_realdata.py; Cboe may list up to nine serial months). A
#: config cannot see its market: a run bounds an AddLayer's month by its curve's listed_months (strategies.trader).
LISTED_VX_MONTHS = 8
YEAR_BARS = 252  # hedge.macd.expansion_bars / slope_bars: at most a year of sessions
# hedge.macd.fast / slow / signal: at most about four years of sessions. The warm-up is slow + signal - 1 bars, and
# the real VX files hold about 5,300 sessions (2004-03..2025-03); a period of 2**31 was blamed on --start/--end (the
# warm-up the window could not hold: trial FUZZ33 L3) instead of on the key
MAX_MACD_BARS = 1000
MAX_LAYER_MULTIPLE = 10.0  # hedge.next_layer_multiple: at most this
MAX_SPREAD_WIDTH = 50.0  # hedge.spread_width_points: at most this (VIX points)
NO_SIGNAL_POLICIES = ("none", "static", "vxth", "placebo")  # built-ins that read no signal (HedgeConfig.reads_signals)


class HedgeInstrument(enum.StrEnum):
    VX_FUTURE = "vx_future"
    VIX_CALL_SPREAD = "vix_call_spread"
    VIX_CALL = "vix_call"


class LayerSizing(enum.StrEnum):
    """How the first hedge layer is sized."""

    CONTRACTS = "contracts"    # hedge.first_layer_contracts
    VEGA_RATIO = "vega_ratio"  # hedge.target_hedge_ratio x |condor vega| / the layer's vega per contract


class DivergenceSource(enum.StrEnum):
    """Which price and oscillator the divergence rule reads (see strategies.signalset)."""

    VX = "vx"    # the MACD's VX series and that MACD; equity-bullish = VX regular bearish divergence
    SPX = "spx"  # SPX closes and MACD(fast, slow, signal) of SPX; equity-bullish = SPX regular bullish


class DivergencePattern(enum.StrEnum):
    """Which VX divergence is "bullish" (strategies.signalset; source = "vx" only)."""

    LITERAL = "literal"  # the text's definition on the VX series: lower low + MACD higher low
    EQUITY = "equity"    # equity terms: VX higher high + MACD lower high (a fear spike losing momentum)


class VxSeries(enum.StrEnum):
    """Continuous VX series a signal reads (see feeds.vxcontinuous)."""

    FRONT = "front"                # first monthly contract settling after the day; jumps at each roll
    SECOND = "second"              # the next one
    CONSTANT_30D = "constant_30d"  # w1 F1 + w2 F2 with the S&P VIX Short-Term Futures Index roll weights
    SHORT_TERM_INDEX = "short_term_index"  # that index's excess-return level (base 100 on the market's first day)


class SignalAction(enum.StrEnum):
    ADD_LAYER = "add_layer"
    REMOVE_NEWEST = "remove_newest"
    REMOVE_ALL = "remove_all"
    NOTHING = "nothing"


@dataclass(frozen=True, slots=True, kw_only=True)
class MacdConfig:
    """MACD periods in bars; EMAs seeded with the SMA of their first n values (backtrader's seeding).

    ``expansion_bars``: the histogram expands (contracts) when it rose (fell) strictly on each of
    that many bars. ``slope_bars``: MACD slope = ``(macd[t] - macd[t-n]) / n`` in VX points per bar;
    the MACD is flattening when ``|slope| < flat_threshold``.
    """

    fast: int = 12
    slow: int = 26
    signal: int = 9
    series: VxSeries = VxSeries.CONSTANT_30D
    expansion_bars: int = 1
    slope_bars: int = 5
    flat_threshold: float = 0.02

    def __post_init__(self) -> None:
        for name in ("fast", "slow", "signal", "expansion_bars", "slope_bars"):
            v = getattr(self, name)
            check(v >= 1, f"hedge.macd.{name}", v, "must be a positive number of bars")
        for name in ("fast", "slow", "signal"):
            v = getattr(self, name)
            check(v <= MAX_MACD_BARS, f"hedge.macd.{name}", v, f"use at most {MAX_MACD_BARS:,} bars (about four years "
                  "of sessions; the warm-up is slow + signal - 1 bars), e.g. 12, 26, 9")
        # a plausibility choice, at most a year of sessions for a look-back on a (12, 26, 9) MACD; one longer than
        # the whole history leaves the slope (flattening, steep-slope rules) or the expansion test NaN on every bar,
        # silently (the fuzz trial's slope_bars = 1000000)
        for name in ("expansion_bars", "slope_bars"):
            v = getattr(self, name)
            check(v <= YEAR_BARS, f"hedge.macd.{name}", v, f"use 1..{YEAR_BARS} bars (a year of sessions), e.g. 5")
        check(self.fast < self.slow, "hedge.macd.fast", self.fast,
              f"must be smaller than hedge.macd.slow ({self.slow}): swap them or lower fast")
        check(self.signal >= 2, "hedge.macd.signal", self.signal,
              "must be 2 or more: a 1-bar signal EMA equals the MACD, which then never crosses it; use e.g. 9")
        check(0 < self.flat_threshold < 10, "hedge.macd.flat_threshold", self.flat_threshold,
              "|MACD slope| below which the MACD counts as flattening, in VX points per bar, e.g. 0.02")

    @property
    def warmup_bars(self) -> int:
        """Bars before the first valid histogram value."""
        return self.slow + self.signal - 1


@dataclass(frozen=True, slots=True, kw_only=True)
class ConfirmConfig:
    """When a crossover acts: after holding ``hold_bars`` bars past the cross bar, with the histogram
    agreeing (expanding in the cross's direction) if ``require_expanding``. Applies to reviews too."""

    hold_bars: int = 0
    require_expanding: bool = False
    anticipate_bars: int = 0  # front_run: > 0 acts on a crossover projected within this many bars (promoter)

    def __post_init__(self) -> None:
        check(0 <= self.anticipate_bars <= 10, "hedge.confirm.anticipate_bars", self.anticipate_bars,
              "0 (act on the cross) or bars within which a projected crossover is acted on: 1..10")
        check(not (self.anticipate_bars and (self.hold_bars or self.require_expanding)),
              "hedge.confirm.anticipate_bars", self.anticipate_bars,
              "front-running a crossover excludes confirming it: set hold_bars = 0 and require_expanding = false")
        check(0 <= self.hold_bars <= 30, "hedge.confirm.hold_bars", self.hold_bars,
              "bars a crossover must hold before it acts: 0 (act on the cross bar) .. 30")


@dataclass(frozen=True, slots=True, kw_only=True)
class DivergenceConfig:
    """Bullish divergence (equity terms) removes layers, buys back part of the open condor and scales the next one."""

    enabled: bool = True
    source: DivergenceSource = DivergenceSource.VX
    left: int = 5
    right: int = 5
    min_bars: int = 5
    max_bars: int = 60
    remove_layers: int = 1
    condor_scale: float = 1.0
    pattern: DivergencePattern = DivergencePattern.LITERAL
    # condor_vega_cut: share of the OPEN condor's contracts closed (0 = off). 0.5: the text's "reduction in overall
    # vega exposure within the core iron condor" (README "Readings"; without it a divergence only removes long-vega
    # layers, which raised |net vega| on 14 of the default run's 17 divergences)
    condor_cut: float = 0.5
    # hold_adds: for this many sessions after a divergence removed layers, a review does not add one back (a fresh
    # crossover still does); 0 = off: the regime's next review may add again (README "How the rules meet")
    hold_adds: int = field(default=0, metadata={"omit_default": True})

    def __post_init__(self) -> None:
        check(0 <= self.condor_cut < 1, "hedge.divergence.condor_cut", self.condor_cut,
              "share of the open condor's contracts bought back on a bullish divergence: [0, 1); 0 = off")
        check(isinstance(self.hold_adds, int) and 0 <= self.hold_adds <= 60, "hedge.divergence.hold_adds",
              self.hold_adds, "sessions a review may not add a layer after a divergence removed some: 0..60; 0 = off")
        for name in ("left", "right", "min_bars"):
            v = getattr(self, name)
            check(1 <= v <= 60, f"hedge.divergence.{name}", v, "use a number of bars in 1..60")
        check(self.min_bars <= self.max_bars <= 250, "hedge.divergence.max_bars", self.max_bars,
              f"must be in [min_bars={self.min_bars}, 250]")
        check(0 <= self.remove_layers <= 20, "hedge.divergence.remove_layers", self.remove_layers,
              "layers removed on a bullish divergence: 0..20 (0: none, its condor cut alone acts)")
        check(0 < self.condor_scale <= 1, "hedge.divergence.condor_scale", self.condor_scale,
              "the next condor's contracts are multiplied by this: (0, 1]; 1 leaves the condor alone")


@dataclass(frozen=True, slots=True, kw_only=True)
class RsiFilterConfig:
    """RSI of VIX as a cross-check: add only when RSI >= add_min; remove on easing only when RSI <= remove_max."""

    enabled: bool = False
    period: int = 14
    add_min: float = 50.0
    remove_max: float = 100.0

    def __post_init__(self) -> None:
        check(2 <= self.period <= 100, "hedge.rsi.period", self.period, "use 2..100 bars, e.g. 14")
        check(0 <= self.add_min <= 100, "hedge.rsi.add_min", self.add_min, "an RSI level in [0, 100]")
        check(0 <= self.remove_max <= 100, "hedge.rsi.remove_max", self.remove_max, "an RSI level in [0, 100]")


@dataclass(frozen=True, slots=True, kw_only=True)
class HedgeConfig:
    """Hedge book: mode, instrument, sizing and caps, cadence, and the switchable ALVH rules.

    Caps: ``max_notional_usd`` on the open layers' notional (futures price x multiplier x
    contracts at their latest entry or roll), ``premium_budget_usd`` on the premium paid for the layers held (net debit
    at their latest entry, roll or restrike); ``inf`` = no cap. See strategies.hedge for the rules.

    A field's metadata ``needs`` names the switches (dotted keys) without which it has no effect on a run (a
    section's: every key in it but the switch); strategies/hedge.py and signalset.py read it only behind them, and
    a sweep notes an axis swept while one is off (vixhedge.sweep_spec.SWITCHES is read from these).
    """

    mode: HedgeMode = HedgeMode.ALVH
    instrument: HedgeInstrument = HedgeInstrument.VX_FUTURE
    sizing: LayerSizing = LayerSizing.CONTRACTS
    first_layer_contracts: int = 1
    target_hedge_ratio: float = 0.25
    next_layer_multiple: float = 2.0
    expanding_layer_multiple: float = field(default=1.5, metadata={"needs": ("hedge.expansion.sizing",)})
    max_layers: int = 4
    max_notional_usd: float = math.inf
    premium_budget_usd: float = math.inf
    static_layers: int = 2
    tenor_months: int = 2
    roll_days: int = 5
    spread_long_otm: float = 0.05
    spread_width_points: float = 5.0
    on_cross_up: SignalAction = SignalAction.ADD_LAYER
    on_cross_down: SignalAction = SignalAction.REMOVE_NEWEST
    review_bars: int = 5
    macd: MacdConfig = field(default_factory=MacdConfig)
    confirm: ConfirmConfig = field(default_factory=ConfirmConfig)
    divergence: DivergenceConfig = field(default_factory=DivergenceConfig,
                                         metadata={"needs": ("hedge.divergence.enabled",)})
    rsi: RsiFilterConfig = field(default_factory=RsiFilterConfig, metadata={"needs": ("hedge.rsi.enabled",)})
    placement: PlacementConfig = field(default_factory=PlacementConfig,
                                       metadata={"needs": ("hedge.placement.enabled",)})
    fomc: FomcConfig = field(default_factory=FomcConfig)
    vxth: VxthConfig = field(default_factory=VxthConfig)
    require_condor: bool = True   # no layer opens while no condor is open
    fractional_carry: bool = True  # later layers carry the fractional notional rounding left behind
    expansion: ExpansionConfig = field(default_factory=ExpansionConfig)
    slope: SlopeConfig = field(default_factory=SlopeConfig, metadata={"needs": ("hedge.slope.enabled",)})
    events: EventsConfig = field(default_factory=EventsConfig, metadata={"needs": ("hedge.events.enabled",)})
    term_structure: TermStructureConfig = field(default_factory=TermStructureConfig,
                                                metadata={"needs": ("hedge.term_structure.enabled",)})
    # the policy that decides each bar, by name (README "Plug-ins"): "" = the built-in of ``mode``; a built-in
    # name, "module:callable" importable from PYTHONPATH, or a name in the vixhedge.plugins entry-point group.
    # Left out of the TOML (and so of the run id) while "", so stock configs keep their ids.
    policy: str = field(default="", metadata={"omit_default": True})
    # the policy's own parameters ([hedge.policy_params]); checked against the policy's ``params`` dataclass if it
    # declares one (README "Plug-ins"); left out of the TOML while empty; config.replace replaces it (never merges)
    # when hedge.policy changes (params_of)
    policy_params: dict[str, Any] = field(default_factory=dict, hash=False,
                                          metadata={"omit_default": True, "params_of": "policy"})
    # --- plug-ins: extra per-bar signals by name ("module:callable" or an entry point; strategies/extra_signals.py),
    # read by policies as snap.extra[<name>]; left out of the TOML while empty
    signals: tuple[str, ...] = field(default=(), metadata={"omit_default": True})
    # --- end plug-ins

    @property
    def reads_signals(self) -> bool:
        """Whether the hedge policy reads the signals (the VX MACD, the A/D line): not the built-ins that hold,
        buy on a calendar or at random (none, static, vxth, placebo); alvh and a plug-in do."""
        return self.policy_name not in NO_SIGNAL_POLICIES

    @property
    def policy_name(self) -> str:
        """The name the hedge policy is looked up by (strategies.policies) and labelled with in reports (a built-in
        spelled ``"strategies.hedge:decide_alvh"`` is ``alvh``)."""
        if not self.policy:
            return self.mode.value
        from vixhedge.registries import POLICY

        return POLICY.builtin_name(self.policy)

    def __post_init__(self) -> None:
        object.__setattr__(self, "policy_params", freeze(self.policy_params))  # read-only to plug-ins (readonly.py)
        if self.policy or self.policy_params:
            from vixhedge.registries import check_policy

            check_policy(self.policy_name, self.policy_params)
        if self.signals:  # plug-ins
            from vixhedge.registries import check_signals

            check_signals(self.signals)
        check(self.first_layer_contracts > 0, "hedge.first_layer_contracts", self.first_layer_contracts,
              "must be a positive number of contracts")
        check(0 < self.target_hedge_ratio <= 5, "hedge.target_hedge_ratio", self.target_hedge_ratio,
              "first layer's vega as a fraction of |condor vega|: (0, 5], e.g. 0.25")
        # a plausibility choice: each later layer carries this many times the first's notional (linear, not
        # compounding: strategies/hedge.py _later_layer; the article's 2x and 1.5x, the presets' 2.0 and 3.0); above
        # 10 one later layer outweighs ten first layers (the fuzz trial's 1.7e308 overflowed a contract count)
        check(0 < self.next_layer_multiple <= MAX_LAYER_MULTIPLE, "hedge.next_layer_multiple",
              self.next_layer_multiple, f"use a value in (0, {MAX_LAYER_MULTIPLE:g}], e.g. 2.0")
        check(0 < self.expanding_layer_multiple <= self.next_layer_multiple, "hedge.expanding_layer_multiple",
              self.expanding_layer_multiple,
              f"must be in (0, next_layer_multiple={self.next_layer_multiple}]: expansion tightens the layering")
        check(1 <= self.max_layers <= 20, "hedge.max_layers", self.max_layers, "use 1..20 layers")
        for name in ("max_notional_usd", "premium_budget_usd"):  # (1e300 was read as a 300-digit dollar amount)
            v = getattr(self, name)
            check(0 < v <= MAX_CASH_USD or v == math.inf, f"hedge.{name}", v,
                  f"must be a positive amount of USD up to {MAX_CASH_USD:.0e} (run.initial_cash_usd's most), or inf "
                  "for no cap")
        # the static policy reads static_layers and not max_layers (the alvh policy the reverse): not tied, so
        # max_layers = 1 under alvh, and compare's static run of it, are not refused (trial V, 2026-12-05)
        check(1 <= self.static_layers <= 20, "hedge.static_layers", self.static_layers, "use 1..20 layers")
        check(1 <= self.tenor_months <= 6, "hedge.tenor_months", self.tenor_months,
              "use 1 (front month) .. 6")
        if self.placement.enabled and self.instrument is HedgeInstrument.VX_FUTURE:
            outer = self.tenor_months + self.placement.flat_extra_tenor
            check(outer <= LISTED_VX_MONTHS, "hedge.placement.flat_extra_tenor", self.placement.flat_extra_tenor,
                  f"with hedge.tenor_months = {self.tenor_months} outer layers would open on VX month {outer}; "
                  f"{LISTED_VX_MONTHS} are listed every day: use at most {LISTED_VX_MONTHS - self.tenor_months}")
        check(0 <= self.roll_days <= 15, "hedge.roll_days", self.roll_days,
              "trading days before expiry to roll a layer: use 0..15")
        check(-0.5 <= self.spread_long_otm <= 1.0, "hedge.spread_long_otm", self.spread_long_otm,
              "long call strike as a fraction above the VX future: use [-0.5, 1]")
        nearer = self.spread_long_otm - self.slope.near_otm  # a steep slope's option layer (strategies.placement)
        check(not (self.slope.enabled and self.instrument is not HedgeInstrument.VX_FUTURE) or nearer >= -0.5,
              "hedge.slope.near_otm", self.slope.near_otm, f"a steep slope's option layer would sit {nearer:g} above "
              f"the VX future, below -0.5 (spread_long_otm {self.spread_long_otm:g}): use at most "
              f"{self.spread_long_otm + 0.5:g}")
        check(0 <= self.review_bars <= 60, "hedge.review_bars", self.review_bars,
              "bars between regime reviews: 0 (crossovers only) .. 60")
        # a plausibility choice: call spreads on VIX are a few points wide (the default 5); VIX's record close
        # is 82.69 (2020-03-16), and a short leg 50 points above the long one is far past any strike that has
        # a bid (the fuzz trial's 1e300 sold a 1000 call at 0.00)
        check(1 <= self.spread_width_points <= MAX_SPREAD_WIDTH and float(self.spread_width_points).is_integer(),
              "hedge.spread_width_points", self.spread_width_points,
              f"call-spread width in whole VIX points, 1..{MAX_SPREAD_WIDTH:g}, e.g. 5")


def check_hedge_needs_condor(hedge: HedgeConfig, condor_enabled: bool) -> None:
    """Raise ConfigError for ``condor.enabled = false`` with the alvh policy and ``hedge.require_condor = true``:
    no layer opens while no condor is open (strategies.hedge), so that run would never trade."""
    if not condor_enabled and hedge.require_condor and hedge.policy_name == HedgeMode.ALVH.value:
        raise ConfigError("condor.enabled = false with hedge.require_condor = true is invalid: no ALVH layer opens "
                          "while no condor is open, so this run would never trade: set hedge.require_condor = false "
                          "to run the hedge alone (or condor.enabled = true)")
