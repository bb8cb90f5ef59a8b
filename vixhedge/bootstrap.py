"""Paired circular block bootstrap of daily series (pure numpy).

Two strategies run on the same market path produce daily returns on the same days. Resampling
the SAME blocks of day indices for both keeps their dependence (paired), and blocks keep the
serial dependence of volatility regimes. Confidence intervals are percentile intervals.
"""

from __future__ import annotations

import numpy as np


def block_indices(n: int, block: int, n_boot: int, rng: np.random.Generator) -> np.ndarray:
    """Return an (n_boot, n) array of circular block-bootstrap day indices."""
    if n < 2 or block < 1 or n_boot < 1:
        raise ValueError(f"need n >= 2, block >= 1, n_boot >= 1; got n={n}, block={block}, n_boot={n_boot}")
    block = min(block, n)
    n_blocks = -(-n // block)
    starts = rng.integers(0, n, size=(n_boot, n_blocks))
    idx = (starts[:, :, None] + np.arange(block)[None, None, :]) % n
    return idx.reshape(n_boot, -1)[:, :n]


def sharpe_rows(r: np.ndarray, rf_daily: float, periods_per_year: int) -> np.ndarray:
    ex = r - rf_daily
    sd = ex.std(axis=-1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sd > 0, ex.mean(axis=-1) / sd * np.sqrt(periods_per_year), np.nan)


def max_drawdown_rows(r: np.ndarray) -> np.ndarray:
    nav = np.cumprod(1.0 + r, axis=-1)
    peak = np.maximum.accumulate(np.maximum(nav, 1.0), axis=-1)  # the path starts at 1
    return (1.0 - nav / peak).max(axis=-1)


def cvar_rows(r: np.ndarray, level: float = 0.95) -> np.ndarray:
    """Return the historical CVaR: minus the mean of the worst (1 - level) share of returns."""
    k = max(1, int(np.floor((1.0 - level) * r.shape[-1])))
    worst = np.sort(r, axis=-1)[..., :k]
    return -worst.mean(axis=-1)


def paired_ci(stat_a: np.ndarray, stat_b: np.ndarray, point: float, alpha: float = 0.05) -> dict[str, float]:
    """Return the point difference and the percentile CI of (a - b) over bootstrap rows."""
    d = stat_a - stat_b
    d = d[np.isfinite(d)]
    lo, hi = np.quantile(d, [alpha / 2, 1 - alpha / 2]) if len(d) else (np.nan, np.nan)
    return {"diff": float(point), "ci_low": float(lo), "ci_high": float(hi)}
