"""Section ``[market]``: where prices come from, and the models that fill the gaps.

The VX curve, the SPX and VIX smiles, bid/ask widths and the synthetic paths.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

from vixhedge.core.config.base import CALENDAR_RANGE, IN_CALENDAR, ConfigError, check, check_seed
from vixhedge.core.config.smilecheck import check_surface_atm, check_surface_keys


SPX_WIDTH_MAX = 50.0  # market.spreads' SPX option widths (points): a deep in-the-money year-long option's at most
VIX_WIDTH_MAX = 5.0  # VIX option and VX future widths (points): 100 VX ticks
MIN_GAIN = 0.0001  # market.vx_curve.slow_gain: 0 or at least this (feeds.calibrate writes 4 decimals)
MIN_REVERSION = 0.01  # market.vx_curve.mean_reversion_per_year: at least this


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
    slow_long_run_level: float = 20.7836
    slow_reversion_per_year: float = 0.6353
    fast_reversion_per_year: float = 11.1111
    slow_gain: float = 0.2566
    fast_gain: float = 0.5996
    premium: float = 2.8981
    premium_per_level: float = 0.2664
    premium_reversion_per_year: float = 7.2222

    def __post_init__(self) -> None:
        p = "market.vx_curve"
        for name, lo, hi in (("slow_long_run_level", 1.0, 100.0), ("slow_reversion_per_year", 0.0, 50.0),
                             ("fast_reversion_per_year", 0.01, 200.0), ("slow_gain", 0.0, 1.0), ("fast_gain", 0.0, 1.0),
                             ("premium", -20.0, 20.0), ("premium_per_level", -2.0, 2.0),
                             ("premium_reversion_per_year", 0.01, 200.0)):
            v = getattr(self, name)
            check(lo <= v <= hi, f"{p}.{name}", v, f"use a value in [{lo:g}, {hi:g}] (python -m feeds.calibrate fits it)")
        check(self.slow_gain + self.fast_gain <= 1.0, f"{p}.fast_gain", self.fast_gain,
              f"slow_gain + fast_gain must not exceed 1 (slow_gain is {self.slow_gain})")
        # slow_gain: 0 (the slow level takes no surprise, steady_state's own branch) or at least 0.0001, the least
        # nonzero value feeds.calibrate writes (fitted 0.2566): a gain below ~1e-16 cancels in steady_state's root
        # (the fuzz trial's 1e-300: ZeroDivisionError)
        check(self.slow_gain == 0 or self.slow_gain >= MIN_GAIN, f"{p}.slow_gain", self.slow_gain,
              f"use 0 or a value in [{MIN_GAIN:g}, 1] (python -m feeds.calibrate fits it, e.g. 0.2566)")
        check(0 < self.long_run_level < 100, "market.vx_curve.long_run_level", self.long_run_level,
              "give the risk-neutral long-run VIX level in points, e.g. 20")
        # floor 0.01 a year (a half-life of 69 years; fitted 1.44): (1 - exp(-k t)) / (k t) of the vega bridge and
        # the average VIX to expiry stay well-conditioned (the fuzz trial's 5e-324: ZeroDivisionError)
        check(MIN_REVERSION <= self.mean_reversion_per_year < 50, "market.vx_curve.mean_reversion_per_year",
              self.mean_reversion_per_year, f"give a speed per year in [{MIN_REVERSION:g}, 50), e.g. 3")


@dataclass(frozen=True, slots=True, kw_only=True)
class SpxSmileConfig:
    """SPX implied-vol smile of the model chains (see feeds.chains): ``model`` = surface (default) or vix_anchored.

    Defaults: fitted on the 2019 sample chains' OTM quotes (``python -m feeds.calibrate``;
    feeds/calibration/spx_smile.json): the VIX-anchored keys (RMSE 0.79 vol points) and the surface keys
    (median |error| 0.15 / 0.10 vol points for puts / calls on days left out of the fit).
    """

    vix_to_atm: float = 0.7861
    skew: float = -0.2638
    curvature: float = 0.0193
    min_vol_fraction: float = 0.5
    # surface model (feeds.surface; fitted on the 2019 chains with the day's Cboe vol indices and SKEW)
    model: SmileModel = SmileModel.SURFACE
    atm_ratio_per_log_tenor: float = 0.0228
    put_skew: float = -0.3451  # the put slope at SKEW 125
    # change of the put slope per unit of (SKEW - 100) / 10, <= 0; fitted on SKEW 124-127, its reach beyond them (a
    # third to 60% of it in the 2014-2017 far puts) and what it moves: README *SPX surface per day*
    put_skew_per_skewness: float = -0.0367
    put_curvature: float = -0.01
    call_skew: float = -0.2666  # the call slope at 30 days
    call_skew_per_log_tenor: float = -0.1442
    call_curvature: float = 0.1189  # the call curvature at 30 days
    call_curvature_per_log_tenor: float = 0.0835
    index_wing_variance: float = 0.2858  # ATM / index = 1 / sqrt(1 + this * (SKEW - 100) / 10)
    # ln(I / VIX) = c + d ln VIX + e ln(A / VIX), A the 20-day EMA of VIX, for VIX9D, VIX3M, VIX6M, VIX1Y, SKEW:
    # (c, d, e) triples, used where they are absent (feeds.surface)
    index_relations: tuple[float, float, float, float, float, float, float, float, float, float, float, float, float,
                           float, float] = (
        -0.3072, 0.0881, -0.3756, 0.4833, -0.1296, 0.313, 0.9392, -0.2624, 0.4099, 1.3449, -0.3868, 0.4466, 4.9365,
        -1.0433, -0.0142)
    # SKEW's level by year: ln SKEW offsets from index_relations' SKEW c on July 1 of skew_first_year, +1, ...
    # (linear between, flat outside; feeds.surface.skew_offsets), used where SKEW is estimated
    skew_first_year: int = 1990
    skew_by_year: tuple[float, ...] = (
        0.003, -0.0818, -0.1035, -0.0901, -0.0478, -0.099, -0.079, -0.1084, 0.0254, -0.0224, -0.0882, -0.0502,
        -0.0493, -0.0868, -0.0384, -0.0343, -0.0251, -0.0316, -0.0695, -0.0089, -0.0047, 0.0099, -0.0204, -0.0336,
        0.059, 0.0192, 0.0449, 0.0547, 0.0972, -0.047, 0.0852, 0.2178, -0.0075, 0.0809, 0.1934, 0.1896, 0.1484)

    def __post_init__(self) -> None:
        check(0.3 <= self.vix_to_atm <= 1.5, "market.spx_smile.vix_to_atm", self.vix_to_atm,
              "ATM vol as a fraction of VIX must lie in [0.3, 1.5]; 0.85 is typical")
        check(-1.0 <= self.skew <= 0.0, "market.spx_smile.skew", self.skew,
              "SPX skew is negative: use a value in [-1, 0]")
        check(0.0 <= self.curvature <= 0.5, "market.spx_smile.curvature", self.curvature,
              "use a value in [0, 0.5]")
        check(0.05 <= self.min_vol_fraction <= 1.0, "market.spx_smile.min_vol_fraction",
              self.min_vol_fraction, "use a value in [0.05, 1]")
        check_surface_keys(self)  # each surface key in its range, then the keys together (smilecheck)
        if self.model is SmileModel.SURFACE:
            check_surface_atm(self)


@dataclass(frozen=True, slots=True, kw_only=True)
class VixSmileConfig:
    """Black-76 vol of VIX options: atm * (tau / 30d)^-term_exponent * (1 + skew * ln(K/F)), ``atm`` =
    atm_per_vvix * VVIX / 100 on a day the market has Cboe's VVIX close, else atm_vol. Fitted on the real VIX chain
    of ../shared/data (``python -m feeds.vixsmilefit``, tests/feeds/test_vixsmilefit.py)."""

    atm_vol: float = 0.9013
    term_exponent: float = 0.1494
    skew: float = 0.6696
    atm_per_vvix: float = 0.9916

    def __post_init__(self) -> None:
        check(0.05 <= self.atm_vol <= 5.0, "market.vix_smile.atm_vol", self.atm_vol,
              "give the 30-day ATM vol of VIX options as a fraction, e.g. 0.9")
        check(0.0 <= self.atm_per_vvix <= 3.0, "market.vix_smile.atm_per_vvix", self.atm_per_vvix,
              "use a value in [0, 3] (0: atm_vol on every day, VVIX or not)")
        check(0.0 <= self.term_exponent <= 1.0, "market.vix_smile.term_exponent", self.term_exponent,
              "use a value in [0, 1]")
        check(0.0 <= self.skew <= 3.0, "market.vix_smile.skew", self.skew, "VIX skew is upward: use [0, 3]")


@dataclass(frozen=True, slots=True, kw_only=True)
class SpreadConfig:
    """Modelled bid/ask widths (full spread): clip(fraction * mid^power, min, max), on whole ticks (feeds.chains)."""

    spx_option_fraction: float = 0.1051  # fitted on the session snapshots
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
            check(0 <= v <= 1.5, f"market.spreads.{name}", v, "use a power of the mid in [0, 1.5] (1 = proportional)")
        for name in ("spx_option_fraction", "vix_option_fraction"):
            v = getattr(self, name)
            check(0 <= v < 1, f"market.spreads.{name}", v, "use a fraction of mid in [0, 1)")
        # widths in index points: a few points at most (fitted SPX option widths reach 3.00, VIX option 0.50, VX
        # 0.05 = one tick); the fuzz trial's vx_future = 1e300 was accepted and never hedged
        for name, hi in (("spx_option_min", SPX_WIDTH_MAX), ("spx_option_max", SPX_WIDTH_MAX),
                         ("vix_option_min", VIX_WIDTH_MAX), ("vix_option_max", VIX_WIDTH_MAX),
                         ("vx_future", VIX_WIDTH_MAX)):
            v = getattr(self, name)
            check(0 <= v <= hi, f"market.spreads.{name}", v, f"use a width in index points in [0, {hi:g}]")
        check(self.spx_option_max >= self.spx_option_min, "market.spreads.spx_option_max",
              self.spx_option_max, f"must be >= spx_option_min ({self.spx_option_min})")
        check(self.vix_option_max >= self.vix_option_min, "market.spreads.vix_option_max",
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
        check_seed(f"{p}.seed", self.seed)
        check(self.start < self.end, f"{p}.start", self.start.isoformat(), f"must be before {p}.end ({self.end})")
        for name, day in (("start", self.start), ("end", self.end)):  # each bound names its own key
            check(CALENDAR_RANGE[0] <= day <= CALENDAR_RANGE[1], f"{p}.{name}", day.isoformat(),
                  "keep the path inside the exchange calendar, 1990-01-01..2035-12-31")
        # spx_start: SPX has closed within 295..7000 since 1990 (and 50..50,000 leaves room either way); the model
        # strike grid grows with the level (the fuzz trial's 1e6: 52 s and 6.9 GB)
        for name, lo, hi in (("spx_start", 50.0, 50_000.0), ("vix_start", 5.0, 150.0), ("vix_long_run", 5.0, 80.0),
                             ("vix_mean_reversion_per_year", 0.01, 100.0), ("vix_vol_of_vol", 0.0, 5.0),
                             ("jumps_per_year", 0.0, 50.0), ("jump_mean_log", 0.0, 2.0),
                             ("spx_drift_per_year", -1.0, 1.0), ("vix_to_spx_vol", 0.1, 2.0),
                             ("correlation", -1.0, 1.0), ("jump_spx_beta", 0.0, 1.0)):
            v = getattr(self, name)
            check(lo <= v <= hi, f"{p}.{name}", v, f"use a value in [{lo:g}, {hi:g}]")
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
            check(self.start < out[-1][1] <= self.end, "market.synthetic.shocks", item,
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
        check(self.source is not MarketSource.DIRECTORY or bool(self.data_dir), "market.data_dir", self.data_dir,
              "market.source = \"directory\" needs the folder of the data files (README *Real data* gives the layouts)")
        check(self.source is MarketSource.DIRECTORY or not self.data_dir, "market.data_dir", self.data_dir,
              f"is only read with market.source = \"directory\" (source is {self.source.value!r}): "
              "remove it or set the source")
        check(CALENDAR_RANGE[0] <= self.history_start <= CALENDAR_RANGE[1], "market.history_start",
              self.history_start.isoformat(), IN_CALENDAR)
        check(-0.05 <= self.rate <= 0.25, "market.rate", self.rate,
              "give a continuously compounded annual rate as a fraction, e.g. 0.01 for 1%")
        check(0 <= self.div_yield <= 0.2, "market.div_yield", self.div_yield,
              "give a continuous annual dividend yield as a fraction, e.g. 0.02")
