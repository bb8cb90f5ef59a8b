"""Sections ``[run]``, ``[execution]``, ``[condor]``, ``[margin]`` and ``[analysis]``.

The window and capital, fills and fees, the condor, margin and ruin rules, and metric conventions.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field
from typing import Any

from vixhedge.core.config.base import CALENDAR_RANGE, IN_CALENDAR, check, check_name_length, check_seed, is_safe_name
from vixhedge.core.config.readonly import freeze


class CondorEntry(enum.StrEnum):
    DTE = "dte"            # whenever flat and an untraded expiry lies in [min_dte, max_dte]
    CALENDAR = "calendar"  # on the monthly cycle: within entry_window_days after a standard expiration


class StrikeRule(enum.StrEnum):
    DELTA = "delta"        # short strikes at |delta| closest to short_delta
    PCT_OTM = "pct_otm"    # short strikes short_otm_pct below / above spot


MAX_CASH_USD = 1e12  # float64 holds every whole cent exactly up to 2^53 ~ 9.0e15 cents; 1e12 USD = 1e14 cents
MIN_CASH_USD = 100.0  # run.initial_cash_usd: enough for one contract (a VIX call spread or an SPX option at $1)
MAX_SIGNAL_DELAY_BARS = 5  # execution.signal_delay_bars: a trading week; a decision held longer is another policy
MAX_VX_MARGIN_USD = 100_000.0  # margin.vx_*_usd per contract: a whole VX contract at 100 VIX points ($1,000 a point;
# VIX has never closed above 90); CFE's margins are a few thousand (1e300 was read as a 300-digit amount: trial CF21)
MAX_FEE_USD = 1_000.0  # per contract: exchange plus broker fees are a few dollars (defaults 1.10 and 2.25)
MAX_WING_WIDTH_POINTS = 1_000.0  # the default 0.05-delta wings on the embedded 2014-2018 market are 45..390
# points wide; SPX closed at 676.53 on 2009-03-09 (its low since 2000): a 1,000-point wing leaves no long put there

CONSTANT_RATE = 0.01  # analysis.risk_free_rate's default: the rate of risk_free = "constant" when none is given


class RiskFree(enum.StrEnum):
    """What Sharpe and Sortino measure excess return over (analyzers.metrics)."""

    CASH = "cash"          # what the run's cash earns each day: the market's short rate, ACT/365 (market.rates)
    CONSTANT = "constant"  # analysis.risk_free_rate, compounded per period


class CondorSizing(enum.StrEnum):
    CONTRACTS = "contracts"  # condor.contracts
    MAX_LOSS = "max_loss"    # as many as keep the max loss within max_loss_nav_fraction of NAV
    MARGIN = "margin"        # as many as keep the Reg-T requirement within margin_nav_fraction of NAV


class MarginMode(enum.StrEnum):
    """How options are margined (vixhedge/core/margin.py)."""

    REG_T = "reg_t"          # strategy-based: spreads at their max loss, long options paid in full
    PORTFOLIO = "portfolio"  # the worst theoretical loss over the index's valuation points (stress scenarios)


class OnInsufficient(enum.StrEnum):
    """What an order that would exceed buying power does (vixhedge/core/margin.py)."""

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


# the default run's window (run.start, run.end; configs/default.toml says it too): the analysis commands' default
DEFAULT_WINDOW = (dt.date(2014, 3, 3), dt.date(2018, 12, 31))


@dataclass(frozen=True, slots=True, kw_only=True)
class RunConfig:
    """Window, capital and seed of one run."""

    name: str = "default"
    start: dt.date = DEFAULT_WINDOW[0]
    end: dt.date = DEFAULT_WINDOW[1]
    initial_cash_usd: float = 1_000_000.0
    seed: int = 7

    def __post_init__(self) -> None:
        check_name_length("run.name", self.name)  # before the run: the OS refused the folder only after it
        check(is_safe_name(self.name),
              "run.name", self.name, "use letters, digits, '-', '_' or '.' only (it names the run folder)")
        for key, day in (("run.start", self.start), ("run.end", self.end)):  # else the calendar's ValueError, exit 3
            check(CALENDAR_RANGE[0] <= day <= CALENDAR_RANGE[1], key, day.isoformat(), IN_CALENDAR)
        check(self.start < self.end, "run.start", self.start.isoformat(),
              f"must be before run.end ({self.end.isoformat()})")
        check(MIN_CASH_USD <= self.initial_cash_usd <= MAX_CASH_USD, "run.initial_cash_usd", self.initial_cash_usd,
              "must be an amount of dollars from 100 (one VIX call spread or SPX option contract) up to 1e12 (a "
              "trillion; P&L stays exact to the cent)")
        check_seed("run.seed", self.seed)


@dataclass(frozen=True, slots=True, kw_only=True)
class ExecutionConfig:
    """Fill prices and fees per contract (USD), and the bars between a signal's close and the fills it decides.

    ``signal_delay_bars`` (N): the hedge policy (and the condor selector, plug-ins included) reads on bar ``t`` the
    signals of bar ``t - N`` and trades at bar ``t``'s quotes (:mod:`strategies.signaldelay`); 0 decides and fills
    on the signal's own bar, at the closes the signals are computed from. Left out of the TOML while 0.
    """

    fill: FillMode = FillMode.BID_ASK
    slippage_fraction: float = 0.5
    fee_spx_option_usd: float = 1.10
    fee_vix_option_usd: float = 1.10
    fee_vx_future_usd: float = 2.25
    signal_delay_bars: int = field(default=0, metadata={"omit_default": True})

    def __post_init__(self) -> None:
        d = self.signal_delay_bars
        check(isinstance(d, int) and not isinstance(d, bool) and 0 <= d <= MAX_SIGNAL_DELAY_BARS,
              "execution.signal_delay_bars", d, f"use a whole number of bars 0..{MAX_SIGNAL_DELAY_BARS} (0: fill "
              "on the signal's bar, at the close it is computed from; 1: on the next bar's quotes)")
        check(0 <= self.slippage_fraction <= 1, "execution.slippage_fraction", self.slippage_fraction,
              "fraction of the half-spread paid beyond mid: use [0, 1]")
        for name in ("fee_spx_option_usd", "fee_vix_option_usd", "fee_vx_future_usd"):
            v = getattr(self, name)
            check(0 <= v <= MAX_FEE_USD, f"execution.{name}", v,
                  f"fees per contract in USD: use 0..{MAX_FEE_USD:,.0f} (a few dollars are usual, e.g. 1.10)")

    @property
    def pays_spread(self) -> bool:
        """Whether fills pay some of the bid/ask spread: at bid/ask, or mid plus a share of the half-spread."""
        return self.fill is FillMode.BID_ASK or (self.fill is FillMode.SLIPPAGE and self.slippage_fraction > 0)


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
    # (params stay out of the hash, so a section keys a cache: equal sections still hash equal)
    # (replaced, never merged, by config.replace when condor.selector changes: params_of)
    selector_params: dict[str, Any] = field(default_factory=dict, hash=False,
                                            metadata={"omit_default": True, "params_of": "selector"})

    @property
    def selector_name(self) -> str:
        """``standard`` (the built-in, under either spelling) or the plug-in's name."""
        if not self.selector:
            return "standard"
        from vixhedge.registries import SELECTOR

        return SELECTOR.builtin_name(self.selector)
    # --- end plug-ins

    def __post_init__(self) -> None:
        object.__setattr__(self, "selector_params", freeze(self.selector_params))  # read-only to plug-ins (readonly.py)
        if self.selector or self.selector_params:  # plug-ins: one line when it does not load
            from vixhedge.registries import check_selector

            check_selector(self.selector_name, self.selector_params)
        # the window's own bounds first: with min_dte > max_dte no target_dte fits, and target_dte is not the fault
        check(1 <= self.min_dte <= 400, "condor.min_dte", self.min_dte, "use 1..400 days to expiry")
        check(1 <= self.max_dte <= 400, "condor.max_dte", self.max_dte, "use 1..400 days to expiry")
        check(self.min_dte <= self.max_dte, "condor.min_dte", self.min_dte,
              f"must not exceed condor.max_dte ({self.max_dte}): swap them")
        check(self.min_dte <= self.target_dte <= self.max_dte, "condor.target_dte", self.target_dte,
              f"need min_dte ({self.min_dte}) <= target_dte <= max_dte ({self.max_dte})")
        check(0 <= self.entry_window_days <= 20, "condor.entry_window_days", self.entry_window_days,
              "calendar days after a monthly expiration during which a calendar entry may open: use 0..20")
        check(0 < self.short_delta < 0.5, "condor.short_delta", self.short_delta,
              "use an absolute delta in (0, 0.5), e.g. 0.20")
        check(0 < self.short_otm_pct < 0.5, "condor.short_otm_pct", self.short_otm_pct,
              "short strikes' distance from spot as a fraction in (0, 0.5), e.g. 0.05")
        check(0 < self.wing_delta < self.short_delta, "condor.wing_delta", self.wing_delta,
              f"must be in (0, short_delta={self.short_delta}): wings sit further out than the shorts")
        check(0 <= self.wing_width_points <= MAX_WING_WIDTH_POINTS and self.wing_width_points % 5 == 0,
              "condor.wing_width_points", self.wing_width_points,
              f"use 0 (wings by delta) or a positive multiple of 5 points up to {MAX_WING_WIDTH_POINTS:,.0f} (the "
              "long put sits that far below the short put, which is below SPX)")
        check(self.contracts > 0, "condor.contracts", self.contracts, "must be a positive number of condors")
        check(0 < self.max_loss_nav_fraction <= 1, "condor.max_loss_nav_fraction", self.max_loss_nav_fraction,
              "budget for the condors' max loss as a fraction of NAV in (0, 1]; 1 = fully cash-collateralised")
        for name in ("margin_nav_fraction", "max_loss_cap_nav_fraction", "margin_cap_nav_fraction"):
            v = getattr(self, name)
            check(0 < v <= 1, f"condor.{name}", v, "a fraction of NAV in (0, 1], e.g. 0.5")
        check(0 < self.profit_take <= 1, "condor.profit_take", self.profit_take,
              "fraction of the credit captured before closing: (0, 1]; 1 = hold")
        check(self.stop_multiple == 0 or self.stop_multiple > 1, "condor.stop_multiple", self.stop_multiple,
              "close when the cost to close reaches this multiple of the credit: must be > 1, or 0 for no stop")
        check(0 <= self.exit_dte < self.min_dte, "condor.exit_dte", self.exit_dte,
              f"must be in [0, min_dte={self.min_dte}); 0 holds to expiry")
        check(not self.roll_on_dte or self.exit_dte > 0, "condor.roll_on_dte", self.roll_on_dte,
              "rolling on the DTE exit needs condor.exit_dte > 0")
        check(not self.roll_on_stop or self.stop_multiple > 0, "condor.roll_on_stop", self.roll_on_stop,
              "rolling on the stop needs condor.stop_multiple > 1")


@dataclass(frozen=True, slots=True, kw_only=True)
class MarginConfig:
    """Reg-T margin, buying power and the maintenance-breach rule (:mod:`vixhedge.core.margin`).

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
        for init in self.vx_initial_usd:  # its own check: before, the maintenance check named the wrong key
            check(0 < init <= MAX_VX_MARGIN_USD, "margin.vx_initial_usd", list(self.vx_initial_usd),
                  f"per-contract USD, positive and at most {MAX_VX_MARGIN_USD:,.0f} (a whole VX contract at 100 "
                  "points), e.g. [5500.0, 3850.0, 3410.0] (CFE RG13-019)")
        for init, maint in zip(self.vx_initial_usd, self.vx_maintenance_usd):
            check(0 < maint <= init, "margin.vx_maintenance_usd", list(self.vx_maintenance_usd),
                  f"per-contract USD, positive and at most the initial margin {list(self.vx_initial_usd)}")
        check(0 < self.hedge_budget_nav_fraction <= 1, "margin.hedge_budget_nav_fraction",
              self.hedge_budget_nav_fraction, "a fraction of NAV in (0, 1], e.g. 0.25")


@dataclass(frozen=True, slots=True, kw_only=True)
class AnalysisConfig:
    """Conventions of the reported metrics."""

    risk_free: RiskFree = RiskFree.CASH
    # used only with risk_free = "constant"; a config that states it without risk_free means it (load.from_dict);
    # left out of the TOML at its default, so a cash-basis config never shows a rate it does not use
    risk_free_rate: float = field(default=CONSTANT_RATE, metadata={"omit_default": True})
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
            from vixhedge.registries import check_analyzers

            check_analyzers(self.analyzers)
        check(-0.05 <= self.risk_free_rate <= 0.25, "analysis.risk_free_rate", self.risk_free_rate,
              "annual rate as a fraction, e.g. 0.01")
        check(self.risk_free is RiskFree.CONSTANT or self.risk_free_rate == CONSTANT_RATE, "analysis.risk_free_rate",
              self.risk_free_rate, 'it is read only with analysis.risk_free = "constant": add that line, or drop '
              'this one to measure excess return over what cash earns (risk_free = "cash")')
        check(self.stress_vix_level > 0, "analysis.stress_vix_level", self.stress_vix_level,
              "a VIX level in points, e.g. 25")
        check(0 <= self.stress_top_share < 1, "analysis.stress_top_share", self.stress_top_share,
              "a share in [0, 1) of the run's days, e.g. 0.05 (0: the VIX level alone)")
        check(self.periods_per_year in (252, 365), "analysis.periods_per_year", self.periods_per_year,
              "use 252 (trading days) or 365")
        lo, hi = self.hedge_ratio_band
        check(0 <= lo <= hi, "analysis.hedge_ratio_band", list(self.hedge_ratio_band),
              "give [low, high] with 0 <= low <= high, as hedge vega / |condor vega|")
