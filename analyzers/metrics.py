"""Standard performance metrics with explicit conventions (pure numpy).

Conventions
-----------
* Daily returns are simple returns of end-of-day NAV: r_t = NAV_t / NAV_{t-1} - 1.
* Annualised volatility = std(r, ddof=1) * sqrt(P), P = periods per year (252 by default).
* Sharpe = mean(r - rf_daily) / std(r - rf_daily, ddof=1) * sqrt(P) with
  rf_daily = (1 + rf)^(1/P) - 1 and rf the stated annual rate.
* CAGR = (NAV_end / NAV_start)^(P / n_returns) - 1.
* Max drawdown = max over t of 1 - NAV_t / max_{s<=t} NAV_s (a positive fraction).
"""

from __future__ import annotations

import math

import backtrader as bt
import numpy as np


def daily_returns(nav: np.ndarray) -> np.ndarray:
    nav = np.asarray(nav, dtype=np.float64)
    return nav[1:] / nav[:-1] - 1.0


def drawdown(nav: np.ndarray) -> np.ndarray:
    """Return the drawdown series 1 - NAV / running peak (>= 0)."""
    nav = np.asarray(nav, dtype=np.float64)
    return 1.0 - nav / np.maximum.accumulate(nav)


def max_drawdown(nav: np.ndarray) -> float:
    return float(drawdown(nav).max()) if len(nav) else 0.0


# Returns are NAV ratios minus one, so their absolute rounding error is a few machine epsilons: a
# dispersion below this is rounding noise (a constant-return or cash-only path), not risk.
_RETURN_NOISE = 64 * np.finfo(np.float64).eps


def sharpe(returns: np.ndarray, risk_free_rate: float, periods_per_year: int) -> float:
    excess = np.asarray(returns) - ((1.0 + risk_free_rate) ** (1.0 / periods_per_year) - 1.0)
    if len(excess) < 2:
        return float("nan")
    sd = excess.std(ddof=1)
    return float(excess.mean() / sd * math.sqrt(periods_per_year)) if sd > _RETURN_NOISE else float("nan")


def cagr(nav: np.ndarray, periods_per_year: int) -> float:
    n = len(nav) - 1
    return float((nav[-1] / nav[0]) ** (periods_per_year / n) - 1.0) if n > 0 else float("nan")


def summary(nav: np.ndarray, risk_free_rate: float, periods_per_year: int) -> dict[str, float]:
    """Return the standard metrics of a NAV path."""
    r = daily_returns(nav)
    vol = float(r.std(ddof=1) * math.sqrt(periods_per_year)) if len(r) > 1 else float("nan")
    return {
        "start_nav_usd": float(nav[0]),
        "end_nav_usd": float(nav[-1]),
        "total_return": float(nav[-1] / nav[0] - 1.0),
        "cagr": cagr(nav, periods_per_year),
        "ann_vol": vol,
        "sharpe": sharpe(r, risk_free_rate, periods_per_year),
        "max_drawdown": max_drawdown(nav),
        "worst_day": float(r.min()) if len(r) else float("nan"),
        "risk_free_rate": risk_free_rate,
        "periods_per_year": periods_per_year,
    }


class Performance(bt.Analyzer):
    """Standard metrics of the broker's end-of-day NAV (after the day's fills)."""

    params = (("risk_free_rate", 0.01), ("periods_per_year", 252))

    def start(self) -> None:
        self.nav: list[float] = []

    def next(self) -> None:
        self.nav.append(self.strategy.broker.getvalue())

    def get_analysis(self) -> dict[str, float]:
        nav = np.asarray(self.nav)
        return summary(nav, self.p.risk_free_rate, self.p.periods_per_year) if len(nav) > 1 else {}
