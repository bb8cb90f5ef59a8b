"""A seeded synthetic market: SPX and VIX with stochastic volatility, jumps and named shocks.

Model (daily steps on exchange sessions, ``dt = 1/252``; parameters in
:class:`vixhedge.core.config.SyntheticConfig`):

* VIX: ``x = ln VIX`` mean-reverts to ``ln vix_long_run`` at ``vix_mean_reversion_per_year`` with
  diffusion ``vix_vol_of_vol``; upward jumps arrive at ``jumps_per_year`` (Poisson), with
  exponentially distributed log sizes of mean ``jump_mean_log``;
* SPX: log return ``(mu - s^2/2) dt + s sqrt(dt) z``, ``s = vix_to_spx_vol * VIX_{t-1} / 100`` (SPX
  vol from yesterday's VIX, as the chain model anchors ATM vol on VIX), ``z`` correlated with the
  VIX diffusion at ``correlation``; a VIX jump ``J`` comes with an SPX log move ``-jump_spx_beta * J``;
* OHLC: an overnight gap of a fifth of the day's move, high/low outside open/close by half-normal
  amounts of half the daily vol; the VIX open is yesterday's close moved by the overnight gap's
  VIX counterpart (used as the VRO proxy).
* Named shocks (:data:`SHOCKS`) replace the day's moves by historical ones: e.g. ``vol_spike``
  is 2018-02-05 (VIX x 37.32/17.31, SPX 2762.13 -> 2648.94); ``crash`` spreads 2020-02-19 ..
  03-23 (SPX -33.9%, VIX x 4.28) evenly over 23 sessions.

The VX curve and the option chains come from the Market's models on this path, so SPX, VIX,
VX and chains are coherent by construction. The same config (seed included) gives the same
path, bit for bit.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from feeds import calendars
from feeds.marketdata import MarketData
from vixhedge.core.config import ShockName, SyntheticConfig

__all__ = ["SHOCKS", "Shock", "synthetic_market_data"]

DT = 1.0 / 252.0


@dataclass(frozen=True, slots=True)
class Shock:
    """Total log moves of SPX and VIX, spread evenly over ``sessions`` sessions."""

    spx_log: float
    vix_log: float
    sessions: int
    source: str


SHOCKS: Mapping[ShockName, Shock] = MappingProxyType({
    ShockName.VOL_SPIKE: Shock(float(np.log(2648.94 / 2762.13)), float(np.log(37.32 / 17.31)), 1,
                               "2018-02-05 closes: SPX 2762.13 -> 2648.94, VIX 17.31 -> 37.32"),
    ShockName.FLASH: Shock(float(np.log(1128.15 / 1165.87)), float(np.log(32.80 / 24.91)), 1,
                           "2010-05-06 closes: SPX 1165.87 -> 1128.15, VIX 24.91 -> 32.80"),
    ShockName.DOWNGRADE: Shock(float(np.log(1119.46 / 1199.38)), float(np.log(48.00 / 32.00)), 1,
                               "2011-08-08 closes: SPX 1199.38 -> 1119.46, VIX 32.00 -> 48.00"),
    ShockName.CRASH: Shock(float(np.log(2237.40 / 3386.15)), float(np.log(61.59 / 14.38)), 23,
                           "2020-02-19 .. 2020-03-23 closes: SPX 3386.15 -> 2237.40, VIX 14.38 -> 61.59"),
})


def _shock_days(dates: pd.DatetimeIndex, cfg: SyntheticConfig) -> dict[int, tuple[float, float]]:
    """Return {day index: (spx log move, vix log move)} of the configured shocks."""
    out: dict[int, tuple[float, float]] = {}
    for name, day in cfg.shock_list():
        shock = SHOCKS[name]
        first = int(dates.searchsorted(pd.Timestamp(day)))
        for i in range(first, min(first + shock.sessions, len(dates))):
            out[i] = (shock.spx_log / shock.sessions, shock.vix_log / shock.sessions)
    return out


def synthetic_market_data(cfg: SyntheticConfig) -> MarketData:
    """Return the synthetic path of ``cfg`` as MarketData (validated like real data)."""
    dates = calendars.trading_days(cfg.start, cfg.end)
    n = len(dates)
    rng = np.random.default_rng(cfg.seed)
    z_vix, z_ind = rng.standard_normal(n), rng.standard_normal(n)
    z_spx = cfg.correlation * z_vix + np.sqrt(1.0 - cfg.correlation ** 2) * z_ind
    jumps = rng.poisson(cfg.jumps_per_year * DT, n) * rng.exponential(cfg.jump_mean_log, n)
    gaps, spread = rng.standard_normal((2, n)), np.abs(rng.standard_normal((2, n)))
    shocks = _shock_days(dates, cfg)
    x, level = np.empty(n), np.empty(n)
    x[0], level[0] = np.log(cfg.vix_start), np.log(cfg.spx_start)
    spx_move, vix_move = np.zeros(n), np.zeros(n)
    theta = np.log(cfg.vix_long_run)
    for t in range(1, n):
        vol = cfg.vix_to_spx_vol * np.exp(x[t - 1]) / 100.0
        if t in shocks:
            spx_move[t], vix_move[t] = shocks[t]
        else:
            vix_move[t] = (cfg.vix_mean_reversion_per_year * (theta - x[t - 1]) * DT
                           + cfg.vix_vol_of_vol * np.sqrt(DT) * z_vix[t] + jumps[t])
            spx_move[t] = ((cfg.spx_drift_per_year - 0.5 * vol * vol) * DT + vol * np.sqrt(DT) * z_spx[t]
                           - cfg.jump_spx_beta * jumps[t])
        x[t], level[t] = x[t - 1] + vix_move[t], level[t - 1] + spx_move[t]
    return _ohlc(dates, cfg, level, x, spx_move, vix_move, gaps, spread)


def _ohlc(dates: pd.DatetimeIndex, cfg: SyntheticConfig, level: np.ndarray, x: np.ndarray, spx_move: np.ndarray,
          vix_move: np.ndarray, gaps: np.ndarray, spread: np.ndarray) -> MarketData:
    close = np.exp(level)
    prev = np.concatenate([[close[0]], close[:-1]])
    daily_vol = cfg.vix_to_spx_vol * np.exp(np.concatenate([[x[0]], x[:-1]])) / 100.0 * np.sqrt(DT)
    open_ = prev * np.exp(0.2 * spx_move + 0.1 * daily_vol * gaps[0])
    high = np.maximum(open_, close) * np.exp(0.5 * daily_vol * spread[0])
    low = np.minimum(open_, close) * np.exp(-0.5 * daily_vol * spread[1])
    vix_close = np.exp(x)
    vix_prev = np.concatenate([[vix_close[0]], vix_close[:-1]])
    vix_open = vix_prev * np.exp(0.2 * vix_move + 0.02 * gaps[1])
    source = f"synthetic:seed={cfg.seed}" + (f",shocks={cfg.shocks.replace(' ', '')}" if cfg.shocks else "")
    return MarketData(dates=dates, spx_open=open_, spx_high=high, spx_low=low, spx_close=close,
                      vix_close=vix_close, vix_open=vix_open, source=source)
