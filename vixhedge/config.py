"""Typed, frozen, validated run configuration loaded from TOML.

Every section is a frozen dataclass. Loading is strict: an unknown key, a value of the
wrong type or an impossible value raises :class:`ConfigError` naming the field
(``section.key``), the value and the fix, before anything is written to disk.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import functools
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints


# The engines that can drive a run (vixhedge.run): not a config key, since their results are identical.
ENGINES = ("backtrader", "fast")


class ConfigError(ValueError):
    """A configuration value is missing, unknown or impossible."""


class HedgeMode(enum.StrEnum):
    NONE = "none"
    STATIC = "static"
    ALVH = "alvh"
    VXTH = "vxth"


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


class FomcCadence(enum.StrEnum):
    """The two readings of "from weekly to bi-weekly" (plus explicit bars)."""

    TWICE_WEEKLY = "twice_weekly"        # reviews twice a week: every review_bars // 2 sessions (5 -> 2)
    EVERY_TWO_WEEKS = "every_two_weeks"  # reviews every other week: every 2 x review_bars sessions (5 -> 10)
    BARS = "bars"                        # every hedge.fomc.review_bars sessions


class CondorEntry(enum.StrEnum):
    DTE = "dte"            # whenever flat and an untraded expiry lies in [min_dte, max_dte]
    CALENDAR = "calendar"  # on the monthly cycle: within entry_window_days after a standard expiration


class StrikeRule(enum.StrEnum):
    DELTA = "delta"        # short strikes at |delta| closest to short_delta
    PCT_OTM = "pct_otm"    # short strikes short_otm_pct below / above spot


class CondorSizing(enum.StrEnum):
    CONTRACTS = "contracts"  # condor.contracts
    MAX_LOSS = "max_loss"    # as many as keep the max loss within max_loss_nav_fraction of NAV
    MARGIN = "margin"        # as many as keep the Reg-T requirement within margin_nav_fraction of NAV


class MarginMode(enum.StrEnum):
    """How options are margined (vixhedge/margin.py)."""

    REG_T = "reg_t"          # strategy-based: spreads at their max loss, long options paid in full
    PORTFOLIO = "portfolio"  # the worst theoretical loss over the index's valuation points (stress scenarios)


class OnInsufficient(enum.StrEnum):
    """What an order that would exceed buying power does (vixhedge/margin.py)."""

    REDUCE = "reduce"  # trade as many contracts as buying power allows
    REFUSE = "refuse"  # trade none


class BreachRule(enum.StrEnum):
    """What a maintenance-margin breach does."""

    HEDGE_FIRST = "hedge_first"  # close hedge layers (newest first), then reduce the condor
    LIQUIDATE = "liquidate"      # close everything


class FillMode(enum.StrEnum):
    BID_ASK = "bid_ask"
    MID = "mid"
    SLIPPAGE = "slippage"


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


class CurveModel(enum.StrEnum):
    """VX term-structure model of feeds.vxcurve (where real settles are absent)."""

    TWO_FACTOR = "two_factor"  # filtered slow level + fast deviation + tenor premium (fitted on levels and changes)
    ONE_FACTOR = "one_factor"  # theta + (VIX - theta) exp(-kappa tau) (fits levels only; moves ~2x too much)


class SmileModel(enum.StrEnum):
    """SPX smile of the model chains (feeds.chains)."""

    SURFACE = "surface"            # ATM term structure from VIX9D/VIX/VIX3M/VIX6M/VIX1Y (or VIX), per-side wings
    VIX_ANCHORED = "vix_anchored"  # vix_to_atm x the one-factor average VIX to expiry, one quadratic in z


class RateSource(enum.StrEnum):
    """Short rate of option pricing and cash interest (feeds.loaders.rates)."""

    SERIES = "series"      # the data directory's FRED file (us_short_rates/), else the shipped monthly DFF means
    CONSTANT = "constant"  # market.rate on every day


class MarketSource(enum.StrEnum):
    """Where the market's daily data come from (see feeds.market.build_market)."""

    EMBEDDED = "embedded"    # arch's SPX OHLC + VIX closes 2014-2018, VX curve modelled
    DIRECTORY = "directory"  # real files in market.data_dir (feeds.directory): SPX, VIX, VX per contract
    SYNTHETIC = "synthetic"  # seeded stochastic-vol-with-jumps path (feeds.synthetic), [market.synthetic]


class ShockName(enum.StrEnum):
    """Named one-off shocks of the synthetic market (sizes in feeds.synthetic.SHOCKS)."""

    VOL_SPIKE = "vol_spike"  # 2018-02-05: VIX 17.31 -> 37.32, SPX -4.1% in one day
    FLASH = "flash"          # 2010-05-06: SPX -3.2%, VIX +32%
    DOWNGRADE = "downgrade"  # 2011-08-08: SPX -6.7%, VIX 32 -> 48
    CRASH = "crash"          # 2020-02-19 .. 03-23: SPX -34%, VIX x4.3 over 23 sessions


def is_safe_name(name: str) -> bool:
    """Return whether ``name`` may name a folder under runs/ (letters, digits, '-', '_', '.'; not '.' or '..')."""
    return bool(name) and all(c.isalnum() or c in "-_." for c in name) and name.strip(".") != ""


def _check(ok: bool, name: str, value: Any, fix: str) -> None:
    if not ok:
        raise ConfigError(f"{name} = {value!r} is invalid: {fix}")


@dataclass(frozen=True, slots=True, kw_only=True)
class RunConfig:
    """Window, capital and seed of one run."""

    name: str = "default"
    start: dt.date = dt.date(2014, 3, 3)
    end: dt.date = dt.date(2018, 12, 31)
    initial_cash_usd: float = 1_000_000.0
    seed: int = 7

    def __post_init__(self) -> None:
        _check(is_safe_name(self.name),
               "run.name", self.name, "use letters, digits, '-', '_' or '.' only (it names the run folder)")
        _check(self.start < self.end, "run.start", self.start.isoformat(),
               f"must be before run.end ({self.end.isoformat()})")
        _check(self.initial_cash_usd > 0, "run.initial_cash_usd", self.initial_cash_usd,
               "must be a positive amount of dollars")


@dataclass(frozen=True, slots=True, kw_only=True)
class VxCurveConfig:
    """VX term-structure model (feeds.vxcurve): ``model`` = two_factor (default) or one_factor.

    ``long_run_level``/``mean_reversion_per_year``: the one-factor F = theta + (VIX - theta) exp(-kappa tau),
    fitted on levels of every real monthly settle; it also gives the SPX smile's ATM term structure (the
    expected average VIX to expiry, feeds.chains) and the SPX side of the vega bridge. The two-factor keys:
    see feeds.vxcurve. Defaults: ``python -m feeds.calibrate`` (feeds/calibration/market.toml).
    """

    long_run_level: float = 24.486
    mean_reversion_per_year: float = 1.4443
    # two-factor model (feeds.vxcurve; fitted on levels and daily changes, feeds/calibration/vx_curve.json)
    model: CurveModel = CurveModel.TWO_FACTOR
    slow_long_run_level: float = 24.4453
    slow_reversion_per_year: float = 1.219
    fast_reversion_per_year: float = 10.535
    slow_gain: float = 0.1978
    fast_gain: float = 0.6529
    premium: float = -0.6822
    premium_per_level: float = 0.5189
    premium_reversion_per_year: float = 10.4764

    def __post_init__(self) -> None:
        p = "market.vx_curve"
        for name, lo, hi in (("slow_long_run_level", 1.0, 100.0), ("slow_reversion_per_year", 0.0, 50.0),
                             ("fast_reversion_per_year", 0.01, 200.0), ("slow_gain", 0.0, 1.0), ("fast_gain", 0.0, 1.0),
                             ("premium", -20.0, 20.0), ("premium_per_level", -2.0, 2.0),
                             ("premium_reversion_per_year", 0.01, 200.0)):
            v = getattr(self, name)
            _check(lo <= v <= hi, f"{p}.{name}", v, f"use a value in [{lo:g}, {hi:g}] (python -m feeds.calibrate fits it)")
        _check(self.slow_gain + self.fast_gain <= 1.0, f"{p}.fast_gain", self.fast_gain,
               f"slow_gain + fast_gain must not exceed 1 (slow_gain is {self.slow_gain})")
        _check(0 < self.long_run_level < 100, "market.vx_curve.long_run_level", self.long_run_level,
               "give the risk-neutral long-run VIX level in points, e.g. 20")
        _check(0 < self.mean_reversion_per_year < 50, "market.vx_curve.mean_reversion_per_year",
               self.mean_reversion_per_year, "give a speed per year in (0, 50), e.g. 3")


@dataclass(frozen=True, slots=True, kw_only=True)
class SpxSmileConfig:
    """SPX implied-vol smile of the model chains (see feeds.chains): ``model`` = surface (default) or vix_anchored.

    Defaults: fitted on the 2019 sample chains' OTM quotes (``python -m feeds.calibrate``;
    feeds/calibration/spx_smile.json): the VIX-anchored keys (RMSE 0.79 vol points) and the surface keys
    (median |error| 0.28 / 0.35 vol points for puts / calls on days left out of the fit).
    """

    vix_to_atm: float = 0.7861
    skew: float = -0.2638
    curvature: float = 0.0193
    min_vol_fraction: float = 0.5
    # surface model (feeds.surface; fitted on the 2019 chains with the day's Cboe vol indices)
    model: SmileModel = SmileModel.SURFACE
    atm_ratio: float = 0.762
    atm_ratio_per_log_tenor: float = 0.0149
    put_skew: float = -0.3433
    put_curvature: float = -0.0089
    call_skew: float = -0.4017
    call_curvature: float = 0.2081
    # ln(I / VIX) = c + d ln VIX for VIX9D, VIX3M, VIX6M, VIX1Y: (c, d) pairs, used where the indices are absent
    index_relations: tuple[float, float, float, float, float, float, float, float] = (
        -0.4701, 0.1442, 0.6172, -0.1753, 1.0748, -0.3077, 1.4906, -0.4357)

    def __post_init__(self) -> None:
        _check(0.3 <= self.vix_to_atm <= 1.5, "market.spx_smile.vix_to_atm", self.vix_to_atm,
               "ATM vol as a fraction of VIX must lie in [0.3, 1.5]; 0.85 is typical")
        _check(-1.0 <= self.skew <= 0.0, "market.spx_smile.skew", self.skew,
               "SPX skew is negative: use a value in [-1, 0]")
        _check(0.0 <= self.curvature <= 0.5, "market.spx_smile.curvature", self.curvature,
               "use a value in [0, 0.5]")
        _check(0.05 <= self.min_vol_fraction <= 1.0, "market.spx_smile.min_vol_fraction",
               self.min_vol_fraction, "use a value in [0.05, 1]")


@dataclass(frozen=True, slots=True, kw_only=True)
class VixSmileConfig:
    """Black-76 vol of VIX options: atm_vol * (tau / 30d)^-term_exponent * (1 + skew * ln(K/F))."""

    atm_vol: float = 0.85
    term_exponent: float = 0.25
    skew: float = 0.6

    def __post_init__(self) -> None:
        _check(0.05 <= self.atm_vol <= 5.0, "market.vix_smile.atm_vol", self.atm_vol,
               "give the 30-day ATM vol of VIX options as a fraction, e.g. 0.85")
        _check(0.0 <= self.term_exponent <= 1.0, "market.vix_smile.term_exponent", self.term_exponent,
               "use a value in [0, 1]")
        _check(0.0 <= self.skew <= 3.0, "market.vix_smile.skew", self.skew, "VIX skew is upward: use [0, 3]")


@dataclass(frozen=True, slots=True, kw_only=True)
class SpreadConfig:
    """Modelled bid/ask widths (full spread): clip(fraction * mid^power, min, max), on whole ticks (feeds.chains)."""

    spx_option_fraction: float = 0.1162
    spx_option_min: float = 0.05
    spx_option_max: float = 3.00
    vix_option_fraction: float = 0.1105
    vix_option_min: float = 0.05
    vix_option_max: float = 0.50
    vx_future: float = 0.05
    spx_option_power: float = 0.42  # width = clip(fraction * mid^power, min, max) (feeds/calibration/spreads.json)
    vix_option_power: float = 0.14

    def __post_init__(self) -> None:
        for name in ("spx_option_power", "vix_option_power"):
            v = getattr(self, name)
            _check(0 <= v <= 1.5, f"market.spreads.{name}", v, "use a power of the mid in [0, 1.5] (1 = proportional)")
        for name in ("spx_option_fraction", "vix_option_fraction"):
            v = getattr(self, name)
            _check(0 <= v < 1, f"market.spreads.{name}", v, "use a fraction of mid in [0, 1)")
        for name in ("spx_option_min", "vix_option_min", "vx_future"):
            v = getattr(self, name)
            _check(v >= 0, f"market.spreads.{name}", v, "use a non-negative width in index points")
        _check(self.spx_option_max >= self.spx_option_min, "market.spreads.spx_option_max",
               self.spx_option_max, f"must be >= spx_option_min ({self.spx_option_min})")
        _check(self.vix_option_max >= self.vix_option_min, "market.spreads.vix_option_max",
               self.vix_option_max, f"must be >= vix_option_min ({self.vix_option_min})")


@dataclass(frozen=True, slots=True, kw_only=True)
class SyntheticConfig:
    """Seeded synthetic market (feeds.synthetic): log-VIX mean-reverting with upward jumps, SPX vol from VIX.

    ``shocks``: comma-separated ``name@YYYY-MM-DD`` (names of :class:`ShockName`), applied on that
    session (the next one if the date is not a session), e.g. ``"vol_spike@2016-02-08"``.
    """

    seed: int = 7
    start: dt.date = dt.date(2010, 1, 4)
    end: dt.date = dt.date(2019, 12, 31)
    spx_start: float = 1100.0
    vix_start: float = 18.0
    vix_long_run: float = 18.0
    vix_mean_reversion_per_year: float = 5.0
    vix_vol_of_vol: float = 0.9
    jumps_per_year: float = 2.0
    jump_mean_log: float = 0.3
    spx_drift_per_year: float = 0.07
    vix_to_spx_vol: float = 0.8
    correlation: float = -0.75
    jump_spx_beta: float = 0.1
    shocks: str = ""

    def __post_init__(self) -> None:
        p = "market.synthetic"
        _check(self.start < self.end, f"{p}.start", self.start.isoformat(), f"must be before {p}.end ({self.end})")
        _check(dt.date(1990, 1, 1) <= self.start and self.end <= dt.date(2035, 12, 31), f"{p}.end",
               self.end.isoformat(), "keep the path inside the exchange calendar, 1990-01-01..2035-12-31")
        for name, lo, hi in (("spx_start", 1.0, 1e6), ("vix_start", 5.0, 150.0), ("vix_long_run", 5.0, 80.0),
                             ("vix_mean_reversion_per_year", 0.01, 100.0), ("vix_vol_of_vol", 0.0, 5.0),
                             ("jumps_per_year", 0.0, 50.0), ("jump_mean_log", 0.0, 2.0),
                             ("spx_drift_per_year", -1.0, 1.0), ("vix_to_spx_vol", 0.1, 2.0),
                             ("correlation", -1.0, 1.0), ("jump_spx_beta", 0.0, 1.0)):
            v = getattr(self, name)
            _check(lo <= v <= hi, f"{p}.{name}", v, f"use a value in [{lo:g}, {hi:g}]")
        self.shock_list()

    def shock_list(self) -> tuple[tuple[ShockName, dt.date], ...]:
        """Return the parsed ``shocks``; ConfigError names a bad entry."""
        out = []
        for item in (x.strip() for x in self.shocks.split(",") if x.strip()):
            name, _, day = item.partition("@")
            try:
                out.append((ShockName(name.strip()), dt.date.fromisoformat(day.strip())))
            except ValueError:
                raise ConfigError(f"market.synthetic.shocks entry {item!r} is invalid: write name@YYYY-MM-DD with "
                                  f"a name of {[s.value for s in ShockName]}") from None
            _check(self.start < out[-1][1] <= self.end, "market.synthetic.shocks", item,
                   f"the date must fall after start ({self.start}) and by end ({self.end})")
        return tuple(out)


@dataclass(frozen=True, slots=True, kw_only=True)
class MarketConfig:
    """Where market data comes from and the models that fill what the data lacks."""

    source: MarketSource = MarketSource.EMBEDDED
    data_dir: str = ""
    history_start: dt.date = dt.date(1990, 1, 1)  # no data before this day is read (signals warm up from it)
    synthetic: SyntheticConfig = field(default_factory=SyntheticConfig)
    rate: float = 0.01  # used on every day only with rates = "constant"
    rates: RateSource = RateSource.SERIES
    div_yield: float = 0.02
    vx_curve: VxCurveConfig = field(default_factory=VxCurveConfig)
    spx_smile: SpxSmileConfig = field(default_factory=SpxSmileConfig)
    vix_smile: VixSmileConfig = field(default_factory=VixSmileConfig)
    spreads: SpreadConfig = field(default_factory=SpreadConfig)

    def __post_init__(self) -> None:
        _check(self.source is not MarketSource.DIRECTORY or bool(self.data_dir), "market.data_dir", self.data_dir,
               "market.source = \"directory\" needs the folder of the data files (see feeds.directory)")
        _check(self.source is MarketSource.DIRECTORY or not self.data_dir, "market.data_dir", self.data_dir,
               f"is only read with market.source = \"directory\" (source is {self.source.value!r}): "
               "remove it or set the source")
        _check(dt.date(1990, 1, 1) <= self.history_start <= dt.date(2035, 12, 31), "market.history_start",
               self.history_start.isoformat(), "use a date in 1990-01-01..2035-12-31 (the exchange calendar's range)")
        _check(-0.05 <= self.rate <= 0.25, "market.rate", self.rate,
               "give a continuously compounded annual rate as a fraction, e.g. 0.01 for 1%")
        _check(0 <= self.div_yield <= 0.2, "market.div_yield", self.div_yield,
               "give a continuous annual dividend yield as a fraction, e.g. 0.02")


@dataclass(frozen=True, slots=True, kw_only=True)
class ExecutionConfig:
    """Fill prices and fees per contract (USD)."""

    fill: FillMode = FillMode.BID_ASK
    slippage_fraction: float = 0.5
    fee_spx_option_usd: float = 1.10
    fee_vix_option_usd: float = 1.10
    fee_vx_future_usd: float = 2.25

    def __post_init__(self) -> None:
        _check(0 <= self.slippage_fraction <= 1, "execution.slippage_fraction", self.slippage_fraction,
               "fraction of the half-spread paid beyond mid: use [0, 1]")
        for name in ("fee_spx_option_usd", "fee_vix_option_usd", "fee_vx_future_usd"):
            v = getattr(self, name)
            _check(v >= 0, f"execution.{name}", v, "fees per contract cannot be negative")


@dataclass(frozen=True, slots=True, kw_only=True)
class CondorConfig:
    """Short SPX iron condor on the standard (AM-settled, third-Friday) monthly expiration.

    Entry by DTE or on the monthly calendar; short strikes by delta or % out of the money; wings
    by delta (``wing_width_points = 0``) or a fixed width; size fixed or by a max-loss budget (a
    fraction of NAV); exits by profit-take, stop (multiple of the credit; 0 = none) and DTE; an
    exit by DTE or stop can roll into the next cycle the same day.
    """

    entry: CondorEntry = CondorEntry.DTE
    entry_window_days: int = 3
    target_dte: int = 45
    min_dte: int = 30
    max_dte: int = 60
    strike_rule: StrikeRule = StrikeRule.DELTA
    short_delta: float = 0.20
    short_otm_pct: float = 0.05
    wing_delta: float = 0.05
    wing_width_points: float = 0.0
    sizing: CondorSizing = CondorSizing.CONTRACTS
    contracts: int = 10
    max_loss_nav_fraction: float = 0.10
    margin_nav_fraction: float = 0.50
    max_loss_cap_nav_fraction: float = 0.25
    margin_cap_nav_fraction: float = 0.30
    profit_take: float = 0.5
    stop_multiple: float = 2.0
    exit_dte: int = 0
    roll_on_dte: bool = False
    roll_on_stop: bool = False
    enabled: bool = True  # false: no condor (a hedge baseline alone, e.g. the pure VXTH replica)
    # --- plug-ins (README "Plug-ins"; strategies/selectors.py): the condor selector by name, "" = the built-in
    # "standard" (the strike rules above); "module:callable" or a vixhedge.plugins entry point; its own table
    # [condor.selector_params]. Both left out of the TOML (and the run id) while unset.
    selector: str = field(default="", metadata={"omit_default": True})
    selector_params: dict[str, Any] = field(default_factory=dict, metadata={"omit_default": True})

    @property
    def selector_name(self) -> str:
        return self.selector or "standard"
    # --- end plug-ins

    def __post_init__(self) -> None:
        if self.selector or self.selector_params:  # plug-ins: one line when it does not load
            from strategies.selectors import REGISTRY

            REGISTRY.check(self.selector_name, self.selector_params)
        _check(1 <= self.min_dte <= self.target_dte <= self.max_dte <= 400, "condor.target_dte",
               self.target_dte, f"need 1 <= min_dte ({self.min_dte}) <= target_dte <= max_dte ({self.max_dte})")
        _check(0 <= self.entry_window_days <= 20, "condor.entry_window_days", self.entry_window_days,
               "calendar days after a monthly expiration during which a calendar entry may open: use 0..20")
        _check(0 < self.short_delta < 0.5, "condor.short_delta", self.short_delta,
               "use an absolute delta in (0, 0.5), e.g. 0.20")
        _check(0 < self.short_otm_pct < 0.5, "condor.short_otm_pct", self.short_otm_pct,
               "short strikes' distance from spot as a fraction in (0, 0.5), e.g. 0.05")
        _check(0 < self.wing_delta < self.short_delta, "condor.wing_delta", self.wing_delta,
               f"must be in (0, short_delta={self.short_delta}): wings sit further out than the shorts")
        _check(self.wing_width_points >= 0 and self.wing_width_points % 5 == 0, "condor.wing_width_points",
               self.wing_width_points, "use 0 (wings by delta) or a positive multiple of 5 points")
        _check(self.contracts > 0, "condor.contracts", self.contracts, "must be a positive number of condors")
        _check(0 < self.max_loss_nav_fraction <= 1, "condor.max_loss_nav_fraction", self.max_loss_nav_fraction,
               "budget for the condors' max loss as a fraction of NAV in (0, 1]; 1 = fully cash-collateralised")
        for name in ("margin_nav_fraction", "max_loss_cap_nav_fraction", "margin_cap_nav_fraction"):
            v = getattr(self, name)
            _check(0 < v <= 1, f"condor.{name}", v, "a fraction of NAV in (0, 1], e.g. 0.5")
        _check(0 < self.profit_take <= 1, "condor.profit_take", self.profit_take,
               "fraction of the credit captured before closing: (0, 1]; 1 = hold")
        _check(self.stop_multiple == 0 or self.stop_multiple > 1, "condor.stop_multiple", self.stop_multiple,
               "close when the cost to close reaches this multiple of the credit: must be > 1, or 0 for no stop")
        _check(0 <= self.exit_dte < self.min_dte, "condor.exit_dte", self.exit_dte,
               f"must be in [0, min_dte={self.min_dte}); 0 holds to expiry")
        _check(not self.roll_on_dte or self.exit_dte > 0, "condor.roll_on_dte", self.roll_on_dte,
               "rolling on the DTE exit needs condor.exit_dte > 0")
        _check(not self.roll_on_stop or self.stop_multiple > 0, "condor.roll_on_stop", self.roll_on_stop,
               "rolling on the stop needs condor.stop_multiple > 1")


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
            _check(v >= 1, f"hedge.macd.{name}", v, "must be a positive number of bars")
        _check(self.fast < self.slow, "hedge.macd.fast", self.fast,
               f"must be smaller than hedge.macd.slow ({self.slow}): swap them or lower fast")
        _check(0 < self.flat_threshold < 10, "hedge.macd.flat_threshold", self.flat_threshold,
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
        _check(0 <= self.anticipate_bars <= 10, "hedge.confirm.anticipate_bars", self.anticipate_bars,
               "0 (act on the cross) or bars within which a projected crossover is acted on: 1..10")
        _check(not (self.anticipate_bars and (self.hold_bars or self.require_expanding)),
               "hedge.confirm.anticipate_bars", self.anticipate_bars,
               "front-running a crossover excludes confirming it: set hold_bars = 0 and require_expanding = false")
        _check(0 <= self.hold_bars <= 30, "hedge.confirm.hold_bars", self.hold_bars,
               "bars a crossover must hold before it acts: 0 (act on the cross bar) .. 30")


@dataclass(frozen=True, slots=True, kw_only=True)
class DivergenceConfig:
    """Bullish divergence (equity terms) removes layers and scales the next condor's contracts."""

    enabled: bool = True
    source: DivergenceSource = DivergenceSource.VX
    left: int = 5
    right: int = 5
    min_bars: int = 5
    max_bars: int = 60
    remove_layers: int = 1
    condor_scale: float = 1.0
    pattern: DivergencePattern = DivergencePattern.LITERAL
    condor_cut: float = 0.0  # condor_vega_cut: share of the OPEN condor's contracts closed (0 = off)

    def __post_init__(self) -> None:
        _check(0 <= self.condor_cut < 1, "hedge.divergence.condor_cut", self.condor_cut,
               "share of the open condor's contracts bought back on a bullish divergence: [0, 1); 0 = off")
        for name in ("left", "right", "min_bars"):
            v = getattr(self, name)
            _check(1 <= v <= 60, f"hedge.divergence.{name}", v, "use a number of bars in 1..60")
        _check(self.min_bars <= self.max_bars <= 250, "hedge.divergence.max_bars", self.max_bars,
               f"must be in [min_bars={self.min_bars}, 250]")
        _check(1 <= self.remove_layers <= 20, "hedge.divergence.remove_layers", self.remove_layers,
               "layers removed on a bullish divergence: 1..20")
        _check(0 < self.condor_scale <= 1, "hedge.divergence.condor_scale", self.condor_scale,
               "the next condor's contracts are multiplied by this: (0, 1]; 1 leaves the condor alone")


@dataclass(frozen=True, slots=True, kw_only=True)
class RsiFilterConfig:
    """RSI of VIX as a cross-check: add only when RSI >= add_min; remove on easing only when RSI <= remove_max."""

    enabled: bool = False
    period: int = 14
    add_min: float = 50.0
    remove_max: float = 100.0

    def __post_init__(self) -> None:
        _check(2 <= self.period <= 100, "hedge.rsi.period", self.period, "use 2..100 bars, e.g. 14")
        _check(0 <= self.add_min <= 100, "hedge.rsi.add_min", self.add_min, "an RSI level in [0, 100]")
        _check(0 <= self.remove_max <= 100, "hedge.rsi.remove_max", self.remove_max, "an RSI level in [0, 100]")


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacementConfig:
    """A flattening MACD moves outer option layers (all but the oldest) ``flat_extra_otm`` further OTM."""

    enabled: bool = True
    flat_extra_otm: float = 0.05
    flat_extra_tenor: int = 1  # VX-future layers: outer ones one contract month further out

    def __post_init__(self) -> None:
        _check(1 <= self.flat_extra_tenor <= 3, "hedge.placement.flat_extra_tenor", self.flat_extra_tenor,
               "extra contract months for outer VX-future layers while the MACD flattens: 1..3")
        _check(0 < self.flat_extra_otm <= 1, "hedge.placement.flat_extra_otm", self.flat_extra_otm,
               "extra distance of the long call above the VX future, as a fraction in (0, 1], e.g. 0.05")


@dataclass(frozen=True, slots=True, kw_only=True)
class FomcConfig:
    """Inside an FOMC window, rising MACD plus a weakening A/D line shortens the review cadence.

    ``calendar_csv`` empty: the packaged 2000-2026 scheduled dates (feeds.events). The A/D line comes
    from ``ad_csv`` (feeds.breadth; empty: none). Without an advance/decline input the rule is
    disabled (noted in the run log) unless ``require_ad`` is false (then the A/D line is ignored).
    ``cadence``: the interval inside the window (:class:`FomcCadence`). ``divergence``: a bullish
    divergence within ``divergence_sessions`` of a meeting removes ``divergence_remove_layers`` layers.
    """

    enabled: bool = True
    calendar_csv: str = ""
    days_before: int = 2
    days_after: int = 1
    review_bars: int = 1
    require_ad: bool = True
    ad_bars: int = 5
    ad_csv: str = ""
    ad_advances_column: str = "sp500_advancers"
    ad_declines_column: str = "sp500_decliners"
    cadence: FomcCadence = FomcCadence.TWICE_WEEKLY
    divergence: bool = True          # fomc_divergence: a bullish divergence near a meeting ...
    divergence_sessions: int = 5     # ... (within this many sessions of it) ...
    divergence_remove_layers: int = 20  # ... removes this many layers (20: all) instead of remove_layers

    def __post_init__(self) -> None:
        _check(0 <= self.divergence_sessions <= 20, "hedge.fomc.divergence_sessions", self.divergence_sessions,
               "sessions either side of a meeting in which a divergence counts as near it: 0..20")
        _check(1 <= self.divergence_remove_layers <= 20, "hedge.fomc.divergence_remove_layers",
               self.divergence_remove_layers, "layers a bullish divergence near a meeting removes: 1..20")
        for name in ("days_before", "days_after"):
            v = getattr(self, name)
            _check(0 <= v <= 20, f"hedge.fomc.{name}", v, "sessions around the announcement: 0..20")
        _check(1 <= self.review_bars <= 60, "hedge.fomc.review_bars", self.review_bars,
               "bars between reviews inside the window: 1..60")
        _check(1 <= self.ad_bars <= 60, "hedge.fomc.ad_bars", self.ad_bars,
               "bars over which the A/D line must fall to count as weakening: 1..60")


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpansionConfig:
    """MACD histogram expanding above zero: smaller steps (``sizing``) at a tighter interval (``cadence``)."""

    sizing: bool = True       # expansion_sizing: later layers carry expanding_layer_multiple, not next_layer_multiple
    cadence: bool = True      # expansion_cadence: the regime review runs every review_bars instead of hedge.review_bars
    review_bars: int = 3

    def __post_init__(self) -> None:
        _check(1 <= self.review_bars <= 60, "hedge.expansion.review_bars", self.review_bars,
               "bars between reviews while the histogram expands above zero: 1..60")


@dataclass(frozen=True, slots=True, kw_only=True)
class SlopeConfig:
    """slope_breakeven: a layer opened while the MACD rises steeply (slope >= ``steep``) sits nearer:
    VX futures one contract month nearer (more VIX beta), option layers ``near_otm`` closer to the money."""

    enabled: bool = True
    steep: float = 0.10
    near_otm: float = 0.05

    def __post_init__(self) -> None:
        _check(0 < self.steep < 10, "hedge.slope.steep", self.steep,
               "MACD slope (VX points per bar) from which a rise counts as steep, e.g. 0.10")
        _check(0 < self.near_otm <= 0.5, "hedge.slope.near_otm", self.near_otm,
               "how much closer to the money an option layer is struck on a steep rise: (0, 0.5]")


@dataclass(frozen=True, slots=True, kw_only=True)
class EventsConfig:
    """event_window: CPI / PPI release windows act like the FOMC window (same cadence, same A/D check).

    Dates: the packaged BLS schedules 2000-2026 (feeds.events), or ``calendar_csv`` in that layout.
    """

    enabled: bool = True
    cpi: bool = True
    ppi: bool = True
    days_before: int = 1
    days_after: int = 0
    calendar_csv: str = ""

    def __post_init__(self) -> None:
        for name in ("days_before", "days_after"):
            v = getattr(self, name)
            _check(0 <= v <= 20, f"hedge.events.{name}", v, "sessions around the release: 0..20")


@dataclass(frozen=True, slots=True, kw_only=True)
class TermStructureConfig:
    """term_structure_filter: front / second VX ratio as a cross-check of adds and removals.

    An add needs ratio >= ``add_min_ratio`` (the curve not in steep contango); a removal needs
    ratio <= ``remove_max_ratio`` (not in backwardation)."""

    enabled: bool = False
    add_min_ratio: float = 0.92
    remove_max_ratio: float = 1.0

    def __post_init__(self) -> None:
        for name in ("add_min_ratio", "remove_max_ratio"):
            v = getattr(self, name)
            _check(0.5 <= v <= 1.5, f"hedge.term_structure.{name}", v, "a front/second VX ratio in [0.5, 1.5]")


@dataclass(frozen=True, slots=True, kw_only=True)
class VxthConfig:
    """Cboe VXTH rules: one-month ~30-delta VIX calls bought at each VIX expiration, held to settlement,
    premium = weight(VX of the calls' month) x NAV (strategies.vxth).

    The calls' expiry is the nearest VIX expiry more than ``min_sessions`` sessions away (the next
    month's on an expiration day).

    ``weights[k]`` applies when that VX lies in the k-th band of ``levels``:
    (-inf, 15], (15, 30], (30, 50], (50, inf) by default, giving 0%, 1%, 0.5%, 0% of NAV.
    """

    call_delta: float = 0.30
    min_sessions: int = 15
    levels: tuple[float, float, float] = (15.0, 30.0, 50.0)
    weights: tuple[float, float, float, float] = (0.0, 0.01, 0.005, 0.0)

    def __post_init__(self) -> None:
        _check(0.05 <= self.call_delta <= 0.95, "hedge.vxth.call_delta", self.call_delta,
               "the calls' delta, e.g. 0.30")
        _check(1 <= self.min_sessions <= 60, "hedge.vxth.min_sessions", self.min_sessions,
               "the calls' expiry is the nearest more than this many sessions away: 1..60 (15: about a month)")
        lo, mid, hi = self.levels
        _check(0 < lo < mid < hi, "hedge.vxth.levels", list(self.levels),
               "give three increasing positive VX levels, e.g. [15, 30, 50]")
        _check(all(0 <= w <= 0.1 for w in self.weights), "hedge.vxth.weights", list(self.weights),
               "premium as fractions of NAV in [0, 0.1], e.g. [0, 0.01, 0.005, 0]")


@dataclass(frozen=True, slots=True, kw_only=True)
class HedgeConfig:
    """Hedge book: mode, instrument, sizing and caps, cadence, and the switchable ALVH rules.

    Caps: ``max_notional_usd`` on the open layers' notional (futures price x multiplier x
    contracts at entry), ``premium_budget_usd`` on the premium paid for the layers held (net debit
    at their latest entry or roll); ``inf`` = no cap. See strategies.hedge for the rules.
    """

    mode: HedgeMode = HedgeMode.ALVH
    instrument: HedgeInstrument = HedgeInstrument.VX_FUTURE
    sizing: LayerSizing = LayerSizing.CONTRACTS
    first_layer_contracts: int = 1
    target_hedge_ratio: float = 0.25
    next_layer_multiple: float = 2.0
    expanding_layer_multiple: float = 1.5
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
    divergence: DivergenceConfig = field(default_factory=DivergenceConfig)
    rsi: RsiFilterConfig = field(default_factory=RsiFilterConfig)
    placement: PlacementConfig = field(default_factory=PlacementConfig)
    fomc: FomcConfig = field(default_factory=FomcConfig)
    vxth: VxthConfig = field(default_factory=VxthConfig)
    require_condor: bool = True   # no layer opens while no condor is open
    fractional_carry: bool = True  # later layers carry the fractional notional rounding left behind
    expansion: ExpansionConfig = field(default_factory=ExpansionConfig)
    slope: SlopeConfig = field(default_factory=SlopeConfig)
    events: EventsConfig = field(default_factory=EventsConfig)
    term_structure: TermStructureConfig = field(default_factory=TermStructureConfig)
    # the policy that decides each bar, by name (README "Plug-ins"): "" = the built-in of ``mode``; a built-in
    # name, "module:callable" importable from PYTHONPATH, or a name in the vixhedge.plugins entry-point group.
    # Left out of the TOML (and so of the run id) while "", so stock configs keep their ids.
    policy: str = field(default="", metadata={"omit_default": True})
    # the policy's own parameters ([hedge.policy_params]); checked against the policy's ``params`` dataclass if it
    # declares one (README "Plug-ins"); left out of the TOML while empty
    policy_params: dict[str, Any] = field(default_factory=dict, metadata={"omit_default": True})
    # --- plug-ins: extra per-bar signals by name ("module:callable" or an entry point; strategies/extra_signals.py),
    # read by policies as snap.extra[<name>]; left out of the TOML while empty
    signals: tuple[str, ...] = field(default=(), metadata={"omit_default": True})
    # --- end plug-ins

    @property
    def policy_name(self) -> str:
        """The name the hedge policy is looked up by (strategies.policies) and labelled with in reports."""
        return self.policy or self.mode.value

    def __post_init__(self) -> None:
        if self.policy or self.policy_params:
            from strategies.policies import check_policy

            check_policy(self.policy_name, self.policy_params)
        if self.signals:  # plug-ins
            from strategies.extra_signals import check_signals

            check_signals(self.signals)
        _check(self.first_layer_contracts > 0, "hedge.first_layer_contracts", self.first_layer_contracts,
               "must be a positive number of contracts")
        _check(0 < self.target_hedge_ratio <= 5, "hedge.target_hedge_ratio", self.target_hedge_ratio,
               "first layer's vega as a fraction of |condor vega|: (0, 5], e.g. 0.25")
        _check(self.next_layer_multiple > 0, "hedge.next_layer_multiple", self.next_layer_multiple,
               "must be positive, e.g. 2.0")
        _check(0 < self.expanding_layer_multiple <= self.next_layer_multiple, "hedge.expanding_layer_multiple",
               self.expanding_layer_multiple,
               f"must be in (0, next_layer_multiple={self.next_layer_multiple}]: expansion tightens the layering")
        _check(1 <= self.max_layers <= 20, "hedge.max_layers", self.max_layers, "use 1..20 layers")
        for name in ("max_notional_usd", "premium_budget_usd"):
            v = getattr(self, name)
            _check(v > 0, f"hedge.{name}", v, "must be a positive amount of USD, or inf for no cap")
        _check(1 <= self.static_layers <= self.max_layers, "hedge.static_layers", self.static_layers,
               f"use 1..max_layers ({self.max_layers})")
        _check(1 <= self.tenor_months <= 6, "hedge.tenor_months", self.tenor_months,
               "use 1 (front month) .. 6")
        _check(0 <= self.roll_days <= 15, "hedge.roll_days", self.roll_days,
               "trading days before expiry to roll a layer: use 0..15")
        _check(-0.5 <= self.spread_long_otm <= 1.0, "hedge.spread_long_otm", self.spread_long_otm,
               "long call strike as a fraction above the VX future: use [-0.5, 1]")
        _check(0 <= self.review_bars <= 60, "hedge.review_bars", self.review_bars,
               "bars between regime reviews: 0 (crossovers only) .. 60")
        _check(self.spread_width_points >= 1 and float(self.spread_width_points).is_integer(),
               "hedge.spread_width_points", self.spread_width_points,
               "call-spread width in whole VIX points (>= 1)")


@dataclass(frozen=True, slots=True, kw_only=True)
class MarginConfig:
    """Reg-T margin, buying power and the maintenance-breach rule (:mod:`vixhedge.margin`).

    VX futures margin per contract by months to expiry (1-3, 4-6, 7+): the defaults are the
    speculative customer levels of CFE Regulatory Circular RG13-019 (effective 2013-06-27).
    ``hedge_budget_nav_fraction`` caps the hedge layers' futures initial margin plus the premium
    paid for the option layers held, as a fraction of NAV.
    """

    mode: MarginMode = MarginMode.REG_T
    on_insufficient: OnInsufficient = OnInsufficient.REDUCE
    on_breach: BreachRule = BreachRule.HEDGE_FIRST
    vx_initial_usd: tuple[float, float, float] = (5500.0, 3850.0, 3410.0)
    vx_maintenance_usd: tuple[float, float, float] = (5000.0, 3500.0, 3100.0)
    hedge_budget_nav_fraction: float = 0.25

    def __post_init__(self) -> None:
        for init, maint in zip(self.vx_initial_usd, self.vx_maintenance_usd):
            _check(0 < maint <= init, "margin.vx_maintenance_usd", list(self.vx_maintenance_usd),
                   f"per-contract USD, positive and at most the initial margin {list(self.vx_initial_usd)}")
        _check(0 < self.hedge_budget_nav_fraction <= 1, "margin.hedge_budget_nav_fraction",
               self.hedge_budget_nav_fraction, "a fraction of NAV in (0, 1], e.g. 0.25")


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisConfig:
    """Conventions of the reported metrics."""

    risk_free_rate: float = 0.01
    periods_per_year: int = 252
    hedge_ratio_band: tuple[float, float] = (0.25, 0.75)
    stress_vix_level: float = 25.0  # a stress day: VIX closes above this ...
    stress_top_share: float = 0.05  # ... or its one-day rise is among this top share of the run's days
    # --- plug-ins: analyzers by name ("module:callable" or an entry point; analyzers/plugins.py), each called with
    # the finished RunResult; left out of the TOML while empty
    analyzers: tuple[str, ...] = field(default=(), metadata={"omit_default": True})
    # --- end plug-ins

    def __post_init__(self) -> None:
        if self.analyzers:  # plug-ins
            from analyzers.plugins import check_analyzers

            check_analyzers(self.analyzers)
        _check(-0.05 <= self.risk_free_rate <= 0.25, "analysis.risk_free_rate", self.risk_free_rate,
               "annual rate as a fraction, e.g. 0.01")
        _check(self.stress_vix_level > 0, "analysis.stress_vix_level", self.stress_vix_level,
               "a VIX level in points, e.g. 25")
        _check(0 <= self.stress_top_share < 1, "analysis.stress_top_share", self.stress_top_share,
               "a share in [0, 1) of the run's days, e.g. 0.05 (0: the VIX level alone)")
        _check(self.periods_per_year in (252, 365), "analysis.periods_per_year", self.periods_per_year,
               "use 252 (trading days) or 365")
        lo, hi = self.hedge_ratio_band
        _check(0 <= lo <= hi, "analysis.hedge_ratio_band", list(self.hedge_ratio_band),
               "give [low, high] with 0 <= low <= high, as hedge vega / |condor vega|")


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """A whole run."""

    run: RunConfig = field(default_factory=RunConfig)
    market: MarketConfig = field(default_factory=MarketConfig)
    execution: ExecutionConfig = field(default_factory=ExecutionConfig)
    condor: CondorConfig = field(default_factory=CondorConfig)
    hedge: HedgeConfig = field(default_factory=HedgeConfig)
    analysis: AnalysisConfig = field(default_factory=AnalysisConfig)
    margin: MarginConfig = field(default_factory=MarginConfig)

    def __post_init__(self) -> None:
        _check_finite(self, "")


def _check_finite(obj: Any, prefix: str) -> None:
    """Raise ConfigError for a NaN or infinite number anywhere in ``obj`` (inf only where it means no cap)."""
    for key in obj.__dataclass_fields__:
        value = getattr(obj, key)
        if hasattr(value, "__dataclass_fields__"):
            _check_finite(value, f"{prefix}{key}.")
        elif isinstance(value, float) and value - value != 0.0:  # NaN or +-inf
            _finite_error(f"{prefix}{key}", value)
        elif isinstance(value, tuple):
            for k, v in enumerate(value):
                if isinstance(v, float) and v - v != 0.0:
                    _finite_error(f"{prefix}{key}[{k}]", v)


def _finite_error(name: str, value: float) -> None:
    if value == math.inf and name in UNBOUNDED_OK:
        return
    raise ConfigError(f"{name} = {value!r} is invalid: use a finite number (inf means no cap only for "
                      + ", ".join(sorted(UNBOUNDED_OK)) + ")")


# --------------------------------------------------------------------------- loading

UNBOUNDED_OK = frozenset({"hedge.max_notional_usd", "hedge.premium_budget_usd"})  # inf = no cap; else finite


def _coerce(value: Any, typ: Any, name: str) -> Any:
    """Turn a TOML value into ``typ`` or raise ConfigError naming the field."""
    if dataclasses.is_dataclass(typ):
        if not isinstance(value, dict):
            raise ConfigError(f"{name} = {value!r} is invalid: expected a [{name}] table")
        return _build(typ, value, name)
    if isinstance(typ, type) and issubclass(typ, enum.Enum):
        allowed = [m.value for m in typ]
        if value not in allowed:
            raise ConfigError(f"{name} = {value!r} is invalid: use one of {allowed}")
        return typ(value)
    if typ is dt.date:
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        raise ConfigError(f"{name} = {value!r} is invalid: write a date as YYYY-MM-DD")
    if typ is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{name} = {value!r} is invalid: use true or false")
        return value
    if typ is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{name} = {value!r} is invalid: use a whole number")
        return value
    if typ is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{name} = {value!r} is invalid: use a number")
        if not math.isfinite(value) and not (value == math.inf and name in UNBOUNDED_OK):
            allowed = " (inf means no cap only for " + ", ".join(sorted(UNBOUNDED_OK)) + ")"
            raise ConfigError(f"{name} = {value!r} is invalid: use a finite number{allowed}")
        return float(value)
    if typ is str:
        if not isinstance(value, str):
            raise ConfigError(f"{name} = {value!r} is invalid: use a string")
        return value
    if get_origin(typ) is dict:  # a plug-in's own table: scalars and lists, checked by the plug-in's params class
        if not isinstance(value, dict) or not all(isinstance(v, (str, int, float, bool, list)) for v in value.values()):
            raise ConfigError(f"{name} = {value!r} is invalid: expected a [{name}] table of numbers, strings, "
                              "booleans or lists")
        return dict(value)
    if get_origin(typ) is tuple:
        args = get_args(typ)
        if len(args) == 2 and args[1] is Ellipsis:  # plug-ins: a list of names of any length
            if not isinstance(value, list):
                raise ConfigError(f"{name} = {value!r} is invalid: use a list, e.g. [\"module:callable\"]")
            return tuple(_coerce(v, args[0], f"{name}[{i}]") for i, v in enumerate(value))
        if not isinstance(value, list) or len(value) != len(args):
            raise ConfigError(f"{name} = {value!r} is invalid: use a list of {len(args)} numbers")
        return tuple(_coerce(v, a, f"{name}[{i}]") for i, (v, a) in enumerate(zip(value, args)))
    raise TypeError(f"unsupported config type {typ!r} for {name}")  # programming error


@functools.lru_cache(maxsize=None)
def _fields(cls: type) -> tuple[dict[str, Any], list[str]]:
    """Return the type hints and field names of a config class (resolved once: a sweep builds many)."""
    return get_type_hints(cls), [f.name for f in dataclasses.fields(cls)]


def _build(cls: type, table: dict[str, Any], prefix: str) -> Any:
    hints, known = _fields(cls)
    for key in table:
        if key not in known:
            where = f"{prefix}.{key}" if prefix else key
            raise ConfigError(f"unknown key {where!r}: remove it or use one of {known}")
    kwargs = {k: _coerce(v, hints[k], f"{prefix}.{k}" if prefix else k) for k, v in table.items()}
    try:
        return cls(**kwargs)
    except ConfigError:
        raise
    except TypeError as exc:  # pragma: no cover - dataclass signature errors
        raise ConfigError(f"[{prefix}]: {exc}") from exc


def from_dict(table: dict[str, Any]) -> Config:
    """Return a validated :class:`Config` from a nested dict (as parsed from TOML)."""
    return _build(Config, table, "")


def load(path: str | Path) -> Config:
    """Load and validate a TOML config file; raise ConfigError naming file and field."""
    path = Path(path)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file {str(path)!r} does not exist: check the path") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc}): fix the syntax at that line") from None
    try:
        return from_dict(table)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def default_path() -> Path:
    """Return the path of the packaged default config."""
    return Path(str(resources.files("vixhedge") / "configs" / "default.toml"))


def load_default() -> Config:
    """Load the packaged default config."""
    return load(default_path())


PRESETS = ("default", "steward", "promoter", "cndr", "vxth")


def preset_path(name: str) -> Path:
    """Return the path of a packaged preset (``vixhedge/configs/<name>.toml``)."""
    if name not in PRESETS:
        raise ConfigError(f"preset {name!r} does not exist: use one of {list(PRESETS)}")
    return Path(str(resources.files("vixhedge") / "configs" / f"{name}.toml"))


def load_preset(name: str) -> Config:
    """Load a packaged preset: ``load_preset("steward")``."""
    return load(preset_path(name))


def replace(cfg: Config, **sections: dict[str, Any]) -> Config:
    """Return ``cfg`` with some section fields replaced, validated again.

    ``replace(cfg, hedge={"mode": "none"})``.
    """
    table = to_dict(cfg)
    for section, values in sections.items():
        if section not in table:
            raise ConfigError(f"unknown section {section!r}: use one of {list(table)}")
        _merge(table[section], values)
    return from_dict(table)


def _merge(into: dict[str, Any], values: dict[str, Any]) -> None:
    for k, v in values.items():
        if isinstance(v, dict) and isinstance(into.get(k), dict):
            _merge(into[k], v)
        else:
            into[k] = v


def _default(f: dataclasses.Field) -> Any:
    return f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default


def to_dict(obj: Any) -> Any:
    """Return a plain nested dict (TOML-ready) of a config object."""
    if dataclasses.is_dataclass(obj):
        return {f.name: to_dict(getattr(obj, f.name)) for f in dataclasses.fields(obj)
                if not (f.metadata.get("omit_default") and getattr(obj, f.name) == _default(f))}
    if isinstance(obj, enum.Enum):
        return obj.value
    if isinstance(obj, tuple):
        return [to_dict(v) for v in obj]
    return obj


def to_toml(cfg: Config) -> str:
    """Serialise a config to TOML text (deterministic key order)."""
    lines: list[str] = []
    _emit_table(to_dict(cfg), [], lines)
    return "\n".join(lines).strip() + "\n"


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, float)):
        return repr(v)
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return '"' + str(v).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _emit_table(table: dict[str, Any], path: list[str], lines: list[str]) -> None:
    scalars = {k: v for k, v in table.items() if not isinstance(v, dict)}
    subtables = {k: v for k, v in table.items() if isinstance(v, dict)}
    if path and scalars:
        lines.append(f"[{'.'.join(path)}]")
    for k, v in scalars.items():
        lines.append(f"{k} = {_toml_value(v)}")
    if path and scalars:
        lines.append("")
    for k, v in subtables.items():
        _emit_table(v, path + [k], lines)
