"""The Market: daily data plus the models that price every contract, built once per run.

A Market is read-only after construction; chains are priced lazily, once per (day, expiry),
and cached, so a comparison or sweep over one Market never re-prices a chain.

Settlement values (proxies are named in every run's manifest):

* SPX monthly options (AM-settled on the Special Opening Quotation, SET): the SPX official
  open of the expiration day (``spx_open``).
* VX futures and VIX options (settled on VRO, the VIX Special Opening Quotation): the VIX
  open of the settlement day when the data has it (``vix_open``), else the VIX close of that
  day (``vix_close``); both are approximations of VRO. With real VX files (``vx_panel``) the
  contract's real final settlement row is VRO itself and is used where it exists.

VX curve: modelled from VIX (:mod:`feeds.vxcurve`), or, with ``vx_panel``, the real daily
settles where they exist, the last real settle moved by the model over gaps, and the model
before a contract's first real row (:func:`feeds.vxcurve.with_real_settles`). VIX options are
priced off that curve, so they follow the real futures wherever the files have them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from feeds import calendars
from feeds.chains import OptionChain, spx_chain, vix_chain
from feeds.loaders.vx import VxPanel
from feeds.marketdata import DataError, MarketData
from feeds.vxcontinuous import constant_maturity
from feeds.vxcurve import ANCHORED, MODEL, REAL, VxCurve, with_real_settles
from vixhedge.config import MarketConfig, VxSeries
from vixhedge.instruments import Contract, Kind, Quote

VX_TICK = 0.05


@dataclass
class Market:
    """Data and models of one market path."""

    data: MarketData
    cfg: MarketConfig
    vx_panel: VxPanel | None = None  # real VX settles per contract (directory source); None = model only
    vx: VxCurve = field(init=False)
    _index: dict[dt.date, int] = field(init=False, repr=False)
    _spx_cache: dict[tuple[int, dt.date], OptionChain] = field(init=False, repr=False, default_factory=dict)
    _vix_cache: dict[tuple[int, dt.date], OptionChain] = field(init=False, repr=False, default_factory=dict)
    _quotes: dict[tuple[int, Contract | dt.date], Quote] = field(init=False, repr=False, default_factory=dict)

    def __post_init__(self) -> None:
        self.days = self.data.days
        self._index = {d: i for i, d in enumerate(self.days)}
        c = self.cfg.vx_curve
        self.vx = VxCurve.from_model(self.data.dates, self.data.vix_close, self.vro_proxy,
                                     c.long_run_level, c.mean_reversion_per_year)
        if self.vx_panel is not None:
            settlements = [x.settlement for x in self.vx.contracts]
            settles = self.vx_panel.settle_matrix(self.data.dates, settlements)
            self.vx = with_real_settles(self.vx, settles, self.data.vix_close, c.long_run_level)
        self._spx_cache = {}
        self._vix_cache = {}
        self._quotes = {}

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

    def index_of(self, day: dt.date) -> int:
        try:
            return self._index[day]
        except KeyError:
            raise DataError(f"{day} is not a day of the market data ({self.days[0]}..{self.days[-1]})") from None

    def vx_series(self, series: VxSeries) -> np.ndarray:
        """Return the continuous VX series a signal reads (no back-adjustment; feeds.vxcontinuous)."""
        if series is VxSeries.CONSTANT_30D:
            return constant_maturity(self.vx.dates, self.vx.settlement_ns, self.vx.prices)
        n = {VxSeries.FRONT: 1, VxSeries.SECOND: 2}[series]
        return self.vx.continuous(n)

    # ------------------------------------------------------------------ expiries
    def spx_expiry(self, i: int, min_dte: int, max_dte: int, target_dte: int) -> dt.date | None:
        """Return the standard monthly SPX expiration with DTE in [min, max] closest to target."""
        day = self.days[i]
        best = None
        for y, m in _months_from(day, 15):
            exp = calendars.spx_monthly_expiration(y, m)
            dte = (exp - day).days
            if min_dte <= dte <= max_dte and (best is None or abs(dte - target_dte) < abs(best[1] - target_dte)):
                best = (exp, dte)
        return None if best is None else best[0]

    # ------------------------------------------------------------------ chains and quotes
    def t_years(self, i: int, expiry: dt.date) -> float:
        return (expiry - self.days[i]).days / 365.0

    def spx_chain(self, i: int, expiry: dt.date) -> OptionChain:
        """Return the (cached) SPX chain of ``expiry`` on day ``i``."""
        key = (i, expiry)
        chain = self._spx_cache.get(key)
        if chain is None:
            chain = self._price_spx(i, expiry, None)
            self._spx_cache[key] = chain
        return chain

    def _price_spx(self, i: int, expiry: dt.date, strikes: np.ndarray | None) -> OptionChain:
        cfg = self.cfg
        return spx_chain(float(self.data.spx_close[i]), float(self.data.vix_close[i]), expiry,
                         self.t_years(i, expiry), cfg.rate, cfg.div_yield, cfg.spx_smile, cfg.vx_curve,
                         cfg.spreads, strikes)

    def vix_chain(self, i: int, expiry: dt.date) -> OptionChain:
        """Return the (cached) VIX option chain settling on ``expiry`` on day ``i``."""
        key = (i, expiry)
        chain = self._vix_cache.get(key)
        if chain is None:
            chain = self._price_vix(i, expiry, None)
            self._vix_cache[key] = chain
        return chain

    def _price_vix(self, i: int, expiry: dt.date, strikes: np.ndarray | None) -> OptionChain:
        j = self.vx.column(expiry)
        fut = float(self.vx.prices[i, j])
        if not np.isfinite(fut):
            raise DataError(f"VX {expiry} has no price on {self.days[i]}")
        beta = float(np.exp(-self.vx.kappa * self.vx.tau_years[i, j]))
        return vix_chain(fut, beta, expiry, self.t_years(i, expiry), self.cfg.rate, self.cfg.vix_smile,
                         self.cfg.spreads, strikes)

    def vx_quote(self, i: int, expiry: dt.date) -> Quote:
        """Return the quote of the VX future settling on ``expiry`` on day ``i`` (cached)."""
        q = self._quotes.get((i, expiry))
        if q is None:
            q = self._quotes[(i, expiry)] = self._vx_quote(i, expiry)
        return q

    def _vx_quote(self, i: int, expiry: dt.date) -> Quote:
        j = self.vx.column(expiry)
        mid = float(self.vx.prices[i, j])
        if not np.isfinite(mid):
            raise DataError(f"VX {expiry} is not listed on {self.days[i]}")
        half = self.cfg.spreads.vx_future / 2.0
        bid = np.floor((mid - half) / VX_TICK + 1e-9) * VX_TICK
        ask = np.ceil((mid + half) / VX_TICK - 1e-9) * VX_TICK
        beta = float(np.exp(-self.vx.kappa * self.vx.tau_years[i, j]))
        return Quote(bid=round(float(bid), 2), ask=round(float(ask), 2), mid=mid, delta=1.0, vix_beta=beta)

    def quote(self, contract: Contract, i: int) -> Quote:
        """Return today's two-sided quote and greeks for any contract (cached per day and contract)."""
        key = (i, contract)
        q = self._quotes.get(key)
        if q is None:
            q = self._quotes[key] = self._quote(contract, i)
        return q

    def _quote(self, contract: Contract, i: int) -> Quote:
        if contract.kind is Kind.VX_FUTURE:
            return self._vx_quote(i, contract.expiry)
        assert contract.strike is not None and contract.right is not None
        chain = (self.spx_chain if contract.kind is Kind.SPX_OPTION else self.vix_chain)(i, contract.expiry)
        try:
            return chain.quote(contract.strike, contract.right)
        except KeyError:  # a strike the day's grid does not cover: price it alone, same model, cached
            pricer = self._price_spx if contract.kind is Kind.SPX_OPTION else self._price_vix
            return pricer(i, contract.expiry, np.array([contract.strike])).quote(contract.strike, contract.right)

    def settlement_value(self, contract: Contract) -> float:
        """Return the (proxy) final settlement value of ``contract`` on its expiry day."""
        i = self.index_of(contract.expiry)
        if contract.kind is Kind.SPX_OPTION:
            return float(self.data.spx_open[i])
        if self.vx.origin is not None:  # the real final settlement (VRO) where the VX files hold it
            hit = np.flatnonzero(self.vx.settlement_ns == np.datetime64(contract.expiry, "ns"))
            if len(hit) == 1 and self.vx.origin[i, hit[0]] == REAL:
                return float(self.vx.prices[i, hit[0]])
        return float(self.vro_proxy[i])


def _months_from(day: dt.date, count: int):
    y, m = day.year, day.month
    for _ in range(count):
        yield y, m
        m += 1
        if m == 13:
            y, m = y + 1, 1


def build_market(cfg: MarketConfig) -> Market:
    """Load the configured data source and return its Market."""
    from feeds.embedded import load_embedded
    from vixhedge.config import MarketSource

    if cfg.source is MarketSource.EMBEDDED:
        data = load_embedded()
        if cfg.history_start > data.days[0]:
            data = data.window(cfg.history_start, data.days[-1])
        return Market(data, cfg)
    if cfg.source is MarketSource.SYNTHETIC:
        from feeds.synthetic import synthetic_market_data

        data = synthetic_market_data(cfg.synthetic)
        if cfg.history_start > data.days[0]:
            data = data.window(cfg.history_start, data.days[-1])
        return Market(data, cfg)
    if cfg.source is MarketSource.DIRECTORY:
        from feeds.directory import load_directory

        loaded = load_directory(cfg.data_dir)
        return Market(loaded.market_data(history_start=cfg.history_start), cfg, vx_panel=loaded.vx)
    raise DataError(f"market.source = {cfg.source!r} is not supported yet")  # pragma: no cover
