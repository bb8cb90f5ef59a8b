"""The Market: daily data plus the models that price every contract, built once per run.

Read-only after construction; chains are priced lazily, once per (day, expiry), and cached, so a comparison or
sweep over one Market never re-prices a chain.

Settlement values (proxies are named in every run's manifest):

* SPX monthly options (AM-settled on the Special Opening Quotation, SET): the SPX official open of the expiration
  day (``spx_open``).
* VX futures and VIX options (settled on VRO, the VIX Special Opening Quotation): the VIX open of the settlement
  day when the data has it (``vix_open``), else the VIX close of that day (``vix_close``); both are approximations
  of VRO. With real VX files (``vx_panel``) the contract's real final settlement row is VRO itself, used where it
  exists.

VX curve: modelled from VIX (:mod:`feeds.vxcurve`), or, with ``vx_panel``, the real daily
settles where they exist, the last real settle moved by the model over gaps, and the model
before a contract's first real row (:func:`feeds.vxcurve.with_real_settles`). VIX options are
priced off that curve, so they follow the real futures wherever the files have them, their level from the day's
VVIX in ``vol_indices`` where published (``vix_atm``, :func:`feeds.chains.vix_atm_levels`).

Short rate per day (``short_rates``, :mod:`feeds.loaders.rates`): option pricing (the last value dated before the
day); cash interest of the night after a day at ``night_rates`` (the value dated that day, published by the next open).
SPX model chains (:mod:`feeds.chains`) take the day's closing Cboe vol indices (``vol_indices``, a
directory's ``cboe_volatility_indices``) for the surface's ATM term structure and SKEW, else estimate them from VIX.

Option quotes, chains and VX quotes: :class:`feeds.marketquotes.MarketQuotes` (real, anchored or modelled).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from feeds import calendars
from feeds.chains import OptionChain, index_relations, vix_atm_levels
from feeds.closures import CLOSURES_FILE
from feeds.expirations import front_vx_month
from feeds.loaders.filememo import once
from feeds.loaders.rates import SHIPPED_MONTHLY, RateSeries, find_rate_file, load_fred_csv, shipped_monthly
from feeds.loaders.volindex import WIDE_FILE, load_vol_indices, wide_file
from feeds.surface import LEVELS, daily_levels, skew_offsets
from feeds.marketdata import DataError, MarketData
from feeds.marketquotes import MarketQuotes
from feeds.realquotes import RealQuotes
from feeds.vxcontinuous import constant_maturity, real_prices_only, short_term_index
from feeds.vxcurve import ANCHORED, MODEL, REAL, VxCurve, with_real_settles
from vixhedge.core.config import MarketConfig, RateSource, VxSeries
from vixhedge.core.instruments import Contract, Kind, Quote

if TYPE_CHECKING:  # real VX and option files come from a directory source (feeds.directory loads them)
    from feeds.datanotes import Rejected
    from feeds.loaders.options import OptionQuotes
    from feeds.loaders.vx import VxPanel

ORIGIN_NAMES = {REAL: "real", ANCHORED: "anchored", MODEL: "model"}


@dataclass
class Market(MarketQuotes):
    """Data and models of one market path."""

    data: MarketData
    cfg: MarketConfig
    vx_panel: VxPanel | None = None  # real VX settles per contract (directory source); None = model only
    options: OptionQuotes | None = field(default=None, repr=False)  # real chains (directory source); None = model
    rate_series: RateSeries | None = field(default=None, repr=False)  # a FRED file (directory); None = shipped
    vol_indices: pd.DataFrame | None = field(default=None, repr=False)  # Cboe vol indices by date (directory)
    # the rows the loaders set aside, dated from the market's first day (directory source): a run names them
    rejected: tuple[Rejected, ...] = field(default=(), repr=False, compare=False)  # feeds.datanotes.window_notes
    notes_logged: set[str] = field(init=False, repr=False, compare=False, default_factory=set)  # datanotes.note_once
    # the sessions the source holds before market.history_start cut them (earlier_history_start), oldest first
    history_before: tuple[dt.date, ...] = field(default=(), repr=False, compare=False)
    vx: VxCurve = field(init=False)
    # the package's own data files it read, recorded where it read them (feeds.datafiles.run_files hashes them)
    shipped_paths: tuple[Path, ...] = field(init=False, default=(), repr=False, compare=False)
    real: RealQuotes | None = field(init=False, default=None, repr=False)  # the usable real option quotes, indexed
    _index: dict[dt.date, int] = field(init=False, repr=False)
    _spx_cache: dict[tuple[int, dt.date], OptionChain] = field(init=False, repr=False, default_factory=dict)
    _vix_cache: dict[tuple[int, dt.date], OptionChain] = field(init=False, repr=False, default_factory=dict)
    _strike_cache: dict[tuple, OptionChain] = field(init=False, repr=False, default_factory=dict)  # off-grid SPX
    _quotes: dict[tuple[int, Contract | dt.date], Quote] = field(init=False, repr=False, default_factory=dict)
    _origins: dict[tuple[int, Contract], int] = field(init=False, repr=False, default_factory=dict)
    _model_quotes: dict[tuple[int, Contract], Quote] = field(init=False, repr=False, default_factory=dict)
    _vol_gaps: dict[tuple[Contract, int], float] = field(init=False, repr=False, default_factory=dict)  # anchors
    _quote_levels: dict[int, np.ndarray | None] = field(init=False, repr=False, default_factory=dict)  # snapshot_level
    _order_fixes: dict[tuple, dict[float, float]] = field(init=False, repr=False, default_factory=dict)  # anchors
    # real chains by (kind, day, expiry), and with a 4th key "close" (moved to the close) or "quoted" (_quoted_chain)
    _real_cache: dict[tuple, OptionChain | None] = field(init=False, repr=False, default_factory=dict)
    _series: dict[VxSeries, np.ndarray] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.days = self.data.days
        self._index = {d: i for i, d in enumerate(self.days)}
        c = self.cfg.vx_curve
        self.vx = VxCurve.from_model(self.data.dates, self.data.vix_close, self.vro_proxy, c)
        self.shipped_paths = (CLOSURES_FILE,)  # the curve's expiries and sessions: feeds.calendars, on closures
        if self.vx_panel is not None:
            settlements = [x.settlement for x in self.vx.contracts]
            settles = self.vx_panel.settle_matrix(self.data.dates, settlements)
            self.vx = with_real_settles(self.vx, settles)
        if self.options is not None:
            self.real = RealQuotes.build(self.options, self.data.dates)
        self.short_rates, self.night_rates, self.rate_source = self._short_rates()
        real_levels = None if self.vol_indices is None else self.vol_indices.reindex(self.data.dates)[
            list(LEVELS)].to_numpy()  # the day's closing VIX9D .. VIX1Y and SKEW (NaN where not published)
        smile = self.cfg.spx_smile
        skew = skew_offsets(self.data.dates, smile.skew_first_year + np.arange(len(smile.skew_by_year)),
                            smile.skew_by_year)  # SKEW's level by year where it is estimated
        self.vol_levels = daily_levels(self.data.vix_close, index_relations(smile), real_levels, skew)
        self.vix_atm, self.vix_atm_from_vvix = vix_atm_levels(self.cfg.vix_smile, None if self.vol_indices is None
                                                              else self.vol_indices.reindex(self.data.dates)["VVIX"]
                                                              .to_numpy(dtype=float), len(self.days))
        self._rate_of = dict(zip(self.days, self.short_rates.tolist()))
        self._night_of = dict(zip(self.days, self.night_rates.tolist()))
        self._ordinals = np.asarray(self.days, dtype="datetime64[D]").astype(np.int64)  # cash_returns' lookup
        self._spx_cache = {}
        self._vix_cache = {}
        self._strike_cache = {}
        self._quotes = {}
        self._origins = {}
        self._model_quotes = {}
        self._vol_gaps = {}
        self._order_fixes = {}
        self._real_cache = {}
        self._series = {}
        self._expiries = {}  # spx_expiry's and vx_sessions' answers: every run on the Market asks the same days
        self._vx_sessions = {}
        self._vx_dte: dict[int, tuple[int, ...]] = {}

    def _short_rates(self) -> tuple[np.ndarray, np.ndarray, dict[str, object]]:
        """Per day, the rate of option pricing, the rate cash earns the night after it, and what they are
        (feeds.loaders.rates)."""
        n = len(self.data.dates)
        if self.cfg.rates is RateSource.CONSTANT:
            return np.full(n, self.cfg.rate), np.full(n, self.cfg.rate), {"rates": "constant", "rate": self.cfg.rate}
        series = self.rate_series
        if series is None:
            series = shipped_monthly()
            self.shipped_paths += (SHIPPED_MONTHLY,)
        rates = series.on(self.data.dates)
        kind = "FRED daily file" if self.rate_series is not None else "shipped monthly DFF means"
        source = {"rates": f"series: {kind}", "files": [list(f) for f in series.files],
                  "mean": round(float(rates.mean()), 6), "min": float(rates.min()), "max": float(rates.max())}
        return rates, series.on_night(self.data.dates), source

    def day_levels(self, i: int) -> np.ndarray:
        """Return day ``i``'s vol indices (VIX9D .. VIX1Y, SKEW) for the SPX surface: the closes where published,
        else estimated from VIX and its EMA (feeds.surface.daily_levels)."""
        return self.vol_levels[i]

    def rate_on(self, day: dt.date) -> float:
        """Return the short rate (annual fraction) of market day ``day`` for pricing: the last value dated before it."""
        return self._rate_of[day]

    def night_rate(self, day: dt.date) -> float:
        """Return the rate (annual fraction) cash earns from market day ``day`` to the next session: the overnight
        rate dated ``day`` (DFF of that night, published by the next open; the Desk credits it then)."""
        return self._night_of[day]

    def vx_listing(self, day: dt.date) -> tuple[tuple[int, int], tuple[tuple[int, int], ...]]:
        """The front VX month on ``day`` (:func:`feeds.expirations.front_vx_month`) and the later months not listed
        that day: the Desk margins a VX future by its listed month (:func:`vixhedge.core.margin.vx_margin`)."""
        return front_vx_month(day), self.vx.unlisted_months(self._index[day])

    def earlier_history_start(self, bars: int) -> dt.date | None:
        """Return the market.history_start that gives ``bars`` more sessions of history before the first day, when
        the source holds them before the cut it made (None when it does not: a shorter history or a data hole)."""
        if bars <= 0 or len(self.history_before) < bars:
            return None
        return self.history_before[-bars]

    def share_spx_chains(self, other: Market) -> Market:
        """Reuse ``other``'s priced model SPX chains and return self. They depend on the SPX and vol-index data,
        the rates and the surface, never on the VX curve: for copies of one market that differ only in their VX
        prices (vixhedge.model_vs_real's modelled curve and noise runs)."""
        same = (other.data is self.data and other.cfg == self.cfg
                and np.array_equal(other.short_rates, self.short_rates)
                and np.array_equal(other.vol_levels, self.vol_levels, equal_nan=True))
        if not same:
            raise ValueError("share_spx_chains: the two markets' SPX inputs differ; their chains are not the same")
        self._spx_cache, self._strike_cache = other._spx_cache, other._strike_cache
        return self

    def cash_returns(self, days: Sequence[dt.date]) -> np.ndarray:
        """Return, per step between consecutive market ``days``, the return of a dollar of cash: simple ACT/365
        interest at the first day's overnight rate (:meth:`night_rate`), as the Desk credits it
        (vixhedge.core.desk.Desk.open_day) and the sweep kernel too (vixhedge.kernel.outcomes)."""
        if isinstance(days, np.ndarray) and days.dtype.kind == "M":  # a sweep point's window: vectorised (~0.04 ms)
            ordinals = days.astype("datetime64[D]").astype(np.int64)
            pos = np.searchsorted(self._ordinals, ordinals)
            if len(pos) and (pos[-1] >= len(self._ordinals) or
                             not np.array_equal(self._ordinals[pos], ordinals)):
                raise KeyError("cash_returns: a day that is not one of the market's")
            return self.night_rates[pos[:-1]] * np.diff(ordinals) / 365.0
        days = [d.date() if isinstance(d, dt.datetime) else d for d in days]  # result frames hold Timestamps
        return np.array([self._night_of[a] * (b - a).days / 365.0 for a, b in zip(days[:-1], days[1:])])

    # ------------------------------------------------------------------ basics
    @property
    def dates(self) -> pd.DatetimeIndex:
        return self.data.dates

    @property
    def vro_proxy(self) -> np.ndarray:
        return self.data.vix_open if self.data.vix_open is not None else self.data.vix_close

    @property
    def settlement_proxies(self) -> dict[str, str]:
        vro = "vix_open" if self.data.vix_open is not None else "vix_close"
        if self.vx_panel is not None:
            vro = f"vx_final_settlement where the VX files have it, else {vro}"
        return {"spx_am_soq": "spx_open", "vix_vro": vro}

    def vx_origin_counts(self) -> dict[str, int]:
        """Return how many listed VX prices are real settles, anchored on one, or modelled."""
        listed = np.isfinite(self.vx.prices)
        if self.vx.origin is None:
            return {"real": 0, "anchored": 0, "model": int(listed.sum())}
        o = self.vx.origin[listed]
        return {"real": int((o == REAL).sum()), "anchored": int((o == ANCHORED).sum()), "model": int((o == MODEL).sum())}

    def option_origin(self, contract: Contract, i: int) -> str:
        """Return where the quote of option ``contract`` on day ``i`` comes from: real, anchored or model."""
        return ORIGIN_NAMES[self._origin_of(contract, i)]

    def _origin_of(self, contract: Contract, i: int) -> int:
        origin = self._origins.get((i, contract))
        if origin is None:  # not quoted yet: quoting it records its origin
            self.quote(contract, i)
            origin = self._origins[(i, contract)]
        return origin

    def index_of(self, day: dt.date) -> int:
        if isinstance(day, dt.datetime):  # a pandas Timestamp from a result frame: the day it names
            day = day.date()
        try:
            return self._index[day]
        except KeyError:
            raise DataError(f"{day} is not a day of the market data ({self.days[0]}..{self.days[-1]})") from None

    def vx_series(self, series: VxSeries) -> np.ndarray:
        """Return the continuous VX series a signal reads (no back-adjustment; feeds.vxcontinuous).

        Built once per Market and shared read-only by every run on it (a sweep's points, a comparison's modes).
        """
        if series not in self._series:
            arr = self._build_vx_series(series)
            arr.setflags(write=False)
            self._series[series] = arr
        return self._series[series]

    def _build_vx_series(self, series: VxSeries) -> np.ndarray:
        if series in (VxSeries.CONSTANT_30D, VxSeries.SHORT_TERM_INDEX):
            prices = real_prices_only(self.vx.prices, self.vx.origin, self.vx.tau_years)
            level = constant_maturity(self.vx.dates, self.vx.settlement_ns, prices)
            if series is VxSeries.CONSTANT_30D:
                return level
            # the excess-return index, based at the 30-day level of the first day (it then decays with contango)
            return short_term_index(self.vx.dates, self.vx.settlement_ns, prices, base=float(level[0]))
        n = {VxSeries.FRONT: 1, VxSeries.SECOND: 2}[series]
        return np.array(self.vx.continuous(n), dtype=float)  # a copy: the cached series is made read-only

    # ------------------------------------------------------------------ expiries
    def spx_expiry(self, i: int, min_dte: int, max_dte: int, target_dte: int) -> dt.date | None:
        """Return the standard monthly SPX expiration with DTE in [min, max] closest to target."""
        key = (i, min_dte, max_dte, target_dte)
        if key not in self._expiries:
            self._expiries[key] = self._spx_expiry(*key)
        return self._expiries[key]

    def _spx_expiry(self, i: int, min_dte: int, max_dte: int, target_dte: int) -> dt.date | None:
        day = self.days[i]
        best = None
        for y, m in _months_from(day, 15):
            exp = calendars.spx_monthly_expiration(y, m)
            dte = (exp - day).days
            if min_dte <= dte <= max_dte and (best is None or abs(dte - target_dte) < abs(best[1] - target_dte)):
                best = (exp, dte)
        return None if best is None else best[0]

    def vx_sessions(self, i: int, n: int) -> tuple[dt.date, int]:
        """Return the settlement of the n-th (1 = front) VX contract after day ``i`` and the exchange sessions
        from day ``i`` (included) to it (excluded)."""
        key = (i, n)
        if key not in self._vx_sessions:
            settlement = self.vx.nth_contract(i, n).settlement
            self._vx_sessions[key] = settlement, calendars.business_days_between(self.days[i], settlement)
        return self._vx_sessions[key]

    def vx_dte(self, i: int) -> tuple[int, ...]:
        """Return the exchange sessions from day ``i`` (included) to each VX contract listed on it (its settlement
        excluded), front first (cached: the trader reads them on every bar of every run on this market)."""
        if i not in self._vx_dte:
            self._vx_dte[i] = tuple(self.vx_sessions(i, n)[1] for n in range(1, self.vx.listed_on(i) + 1))
        return self._vx_dte[i]

    def settlement_value(self, contract: Contract) -> float:
        """Return the (proxy) final settlement value of ``contract`` on its expiry day."""
        i = self.index_of(contract.expiry)
        if contract.kind is Kind.SPX_OPTION:
            return float(self.data.spx_open[i])
        column = self._real_vro_column(contract.expiry, i)
        return float(self.vro_proxy[i]) if column is None else float(self.vx.prices[i, column])

    def settles_on_real_vro(self, contract: Contract) -> bool:
        """Whether a VX future or VIX option settles on the real final settlement (VRO) of the VX files, not on the
        proxy (:attr:`settlement_proxies`); False for SPX options (settled on the SPX open: a proxy of SET)."""
        return contract.kind is not Kind.SPX_OPTION and self._real_vro_column(
            contract.expiry, self.index_of(contract.expiry)) is not None

    def _real_vro_column(self, expiry: dt.date, i: int) -> int | None:
        """The VX curve's column of ``expiry`` when the VX files hold its real final settlement on day ``i``."""
        if self.vx.origin is not None:  # the real final settlement (VRO) where the VX files hold it
            hit = np.flatnonzero(self.vx.settlement_ns == np.datetime64(expiry, "ns"))
            if len(hit) == 1 and self.vx.origin[i, hit[0]] == REAL:
                return int(hit[0])
        return None


def _months_from(day: dt.date, count: int):
    y, m = day.year, day.month
    for _ in range(count):
        yield y, m
        m += 1
        if m == 13:
            y, m = y + 1, 1


def build_market(cfg: MarketConfig) -> Market:
    """Load the configured data source and return its Market (``vixhedge.api.build_market`` checks ``cfg`` first)."""
    from feeds.embedded import load_embedded
    from vixhedge.core.config import MarketSource

    if cfg.source is MarketSource.EMBEDDED:
        data = full = load_embedded()
        if cfg.history_start > data.days[0]:
            data = data.window(cfg.history_start, data.days[-1])
        return Market(data, cfg, history_before=tuple(d for d in full.days if d < data.days[0]))
    if cfg.source is MarketSource.SYNTHETIC:
        from feeds.synthetic import synthetic_market_data

        data = synthetic_market_data(cfg.synthetic)
        if cfg.history_start > data.days[0]:
            data = data.window(cfg.history_start, data.days[-1])
        return Market(data, cfg)
    if cfg.source is MarketSource.DIRECTORY:
        from feeds.directory import load_directory

        # a rate folder without a usable file is refused before the directory loads (one line, not a silent fallback)
        rate_file = find_rate_file(cfg.data_dir) if cfg.rates is RateSource.SERIES else None
        vol_file = wide_file(cfg.data_dir)  # (a folder or a broken link in its place: refused here too)
        loaded = load_directory(cfg.data_dir)
        rates = None if rate_file is None else once("rates", rate_file, lambda: load_fred_csv(rate_file))
        vols = None if vol_file is None else once("vol indices", vol_file, lambda: load_vol_indices(
            vol_file, loaded.rules, loaded.vix_closes), loaded)  # (both read once per file version: filememo)
        data = loaded.market_data(history_start=cfg.history_start)
        first = data.days[0]
        before = () if data.cut else _gap_free_before(loaded.common_sessions(), first)
        extra = [*(() if rates is None else [(f"{rate_file.parent.name}/{n}", h) for n, h in rates.files]),
                 *(() if vols is None else [(WIDE_FILE.as_posix(), h) for _, h in vols.attrs["files"]])]
        if extra:  # every file the run reads is in the manifest's data_files
            data = dataclasses.replace(data, files=(*data.files, *extra))
        rejected = loaded.rejected_from(first)
        from feeds.datanotes import as_rejected

        for family, bad in (("short-rate", () if rates is None else rates.bad_rows),
                            ("vol-index", () if vols is None else vols.attrs["bad_rows"])):
            rejected += tuple(r for r in as_rejected(family, bad) if r.day is None or r.day >= first)
        return Market(data, cfg, vx_panel=loaded.vx, options=loaded.options if len(loaded.options.rows) else None,
                      rate_series=rates, vol_indices=vols, rejected=rejected, history_before=before)
    raise DataError(f"market.source = {cfg.source!r} is not supported yet")  # pragma: no cover


def market_for(configs, market: Market | None = None, before_build: Callable[[], object] | None = None) -> Market:
    """Return the Market runs of ``configs`` (one Config, or several sharing one ``[market]``: compare's modes) run
    on: ``market`` when given, else :func:`build_market` of their ``[market]``, after the checks that refuse what a
    run would refuse later (:mod:`feeds.prebuild`; what the files the configs name are is checked a market given or
    not). Every entry point that builds a market for a run comes here (CLI run, compare, replay;
    vixhedge.run.run_backtest, hence the notebook API). ``before_build`` (a command's banner) is called once the
    checks pass, before the market is built. A given market is not checked again: the run reading its A/D file
    refuses the folder with the same line."""
    from feeds.prebuild import check_before_build, check_files
    from vixhedge.core.config import Config

    configs = [configs] if isinstance(configs, Config) else list(configs)
    check_files(configs)
    if market is not None:
        return market
    check_before_build(configs)
    if before_build is not None:
        before_build()
    return build_market(configs[0].market)


def _gap_free_before(common: pd.DatetimeIndex, first: dt.date) -> tuple[dt.date, ...]:
    """The sessions of ``common`` before ``first`` back to the last hole (a missing session cuts a history there)."""
    held = common[common < pd.Timestamp(first)]
    if not len(held):
        return ()
    sessions = calendars.trading_days(held[0].date(), first)[:-1]
    missing = np.flatnonzero(~sessions.isin(held))
    return tuple(d.date() for d in sessions[(missing[-1] + 1 if len(missing) else 0):])
