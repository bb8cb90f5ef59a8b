"""Causal technical signals on plain numpy arrays: EMA, MACD, RSI, crossovers, slopes, pivots, divergence.

Every function takes a 1-D series ordered oldest first and returns an array of the same length whose
value at bar ``t`` depends only on inputs ``0..t``. Warm-up bars are NaN for float outputs, 0 for
:func:`crossover` and False for :func:`expanding`.

Seeding follows backtrader 1.9.78 so the pure core can be checked against ``bt.indicators`` bar for
bar: each exponential average starts with the simple mean of its first ``period`` inputs
(``math.fsum`` / period), then recurses ``y[t] = y[t-1] * (1 - alpha) + x[t] * alpha``. TA-Lib and
pandas ``ewm(adjust=False)`` seed differently; the series converge after a few hundred bars.

The crossover family lives in :mod:`vixhedge.core.crossings`, pivots and divergences in
:mod:`vixhedge.core.divergence`; both are re-exported here, so callers import one module.

This module must not import backtrader: the backtrader layer calls into it, never the reverse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

__all__ = [
    "Macd",
    "advance_decline_weakening",
    "confirmed_cross",
    "contracting",
    "crossover",
    "DivergencePairs",
    "divergence",
    "divergence_at",
    "divergence_pairs",
    "ema",
    "expanding",
    "flattening",
    "macd",
    "pivots",
    "projected_cross",
    "regime_run",
    "rsi",
    "slope",
    "smooth",
]

from vixhedge.core.crossings import (  # noqa: F401  the signals API, one import for callers
    confirmed_cross, contracting, crossover, expanding, flattening, projected_cross, regime_run, slope,
)
from vixhedge.core.divergence import (  # noqa: F401
    DivergencePairs, divergence, divergence_at, divergence_pairs, pivots,
)
from vixhedge.core.series import FloatArray, as_series, check_bars


def smooth(x: FloatArray, period: int, alpha: float) -> FloatArray:
    """SMA-seeded exponential smoothing; leading NaNs skipped, later NaNs propagate."""
    out = np.full(x.shape, np.nan)
    present = ~np.isnan(x)
    if not present.any():
        return out
    seed_end = int(present.argmax()) + period  # exclusive end of the seed window
    if seed_end > x.size:
        return out
    window = x[seed_end - period : seed_end]
    # backtrader's Average uses math.fsum, which raises on inf - inf; np.sum yields nan there.
    total = math.fsum(window) if np.isfinite(window).all() else float(np.sum(window))
    seed = total / period
    out[seed_end - 1] = seed
    if seed_end < x.size:
        out[seed_end:] = _recurse(x[seed_end:].tolist(), alpha, seed)
    return out


def _recurse(xs: list[float], alpha: float, y: float) -> list[float]:
    """Return ``y[t] = alpha * x[t] + (1 - alpha) * y[t-1]`` from ``y[-1] = y``: backtrader's products and sum.

    A plain loop (scipy.signal.lfilter computes the same values, tested equal, but costs 0.8 s to import).
    """
    alpha1 = 1.0 - alpha
    out = []
    for v in xs:
        y = alpha * v + alpha1 * y
        out.append(y)
    return out


def ema(values: npt.ArrayLike, period: int) -> FloatArray:
    """Return the exponential moving average of ``values`` with ``alpha = 2 / (period + 1)``.

    Parameters
    ----------
    values : array_like
        1-D series, oldest first. Leading NaNs (e.g. another indicator's warm-up) are skipped.
    period : int
        Number of bars, >= 1.

    Returns
    -------
    numpy.ndarray
        Float64 array of the same length. With ``f`` the index of the first non-NaN input, the
        output is NaN before ``f + period - 1``, equals the simple mean of ``values[f:f + period]``
        there (backtrader's seeding) and recurses afterwards. A NaN after ``f`` makes every later
        output NaN, as in backtrader. Fewer than ``period`` values after ``f`` give all NaN.

    Raises
    ------
    ValueError
        If ``period`` is not a positive integer or ``values`` is not 1-D.
    """
    period = check_bars("ema period", period, 20)
    return smooth(as_series(values, "ema values"), period, 2.0 / (1.0 + period))


@dataclass(frozen=True, slots=True)
class Macd:
    """MACD lines, each as long as the input series; NaN during warm-up. Arrays are read-only."""

    macd: FloatArray
    signal: FloatArray
    hist: FloatArray


def macd(values: npt.ArrayLike, fast: int = 12, slow: int = 26, signal: int = 9) -> Macd:
    """Return the MACD line, its signal line and the histogram of ``values``.

    ``macd = ema(values, fast) - ema(values, slow)``, ``signal = ema(macd, signal)`` and
    ``hist = macd - signal``, with ``alpha = 2 / (n + 1)`` and backtrader's seeding: every EMA
    starts with the simple mean (SMA) of its first ``n`` inputs. TA-Lib seeds differently.

    Parameters
    ----------
    values : array_like
        1-D price series, oldest first.
    fast, slow, signal : int
        EMA periods in bars; positive, with ``fast < slow``.

    Returns
    -------
    Macd
        For an input without leading NaNs, ``macd`` is NaN before bar ``slow - 1`` and ``signal``
        and ``hist`` are NaN before bar ``slow + signal - 2``; leading NaNs shift both by their
        count.

    Raises
    ------
    ValueError
        If a period is not a positive integer, ``fast >= slow`` or ``values`` is not 1-D.
    """
    fast = check_bars("macd fast", fast, 12)
    slow = check_bars("macd slow", slow, 26)
    signal = check_bars("macd signal", signal, 9)
    if fast >= slow:
        raise ValueError(
            f"macd fast ({fast}) must be smaller than slow ({slow}): swap them or lower fast"
        )
    x = as_series(values, "macd values")
    line = smooth(x, fast, 2.0 / (1.0 + fast)) - smooth(x, slow, 2.0 / (1.0 + slow))
    sig = smooth(line, signal, 2.0 / (1.0 + signal))
    hist = line - sig
    for arr in (line, sig, hist):
        arr.flags.writeable = False
    return Macd(macd=line, signal=sig, hist=hist)


def rsi(values: npt.ArrayLike, period: int = 14) -> FloatArray:
    """Return Wilder's relative strength index of ``values``, between 0 and 100.

    Gains ``max(x[t] - x[t-1], 0)`` and losses ``max(x[t-1] - x[t], 0)`` are smoothed with
    Wilder's average (``alpha = 1 / period``), seeded with their simple mean over the first
    ``period`` changes, as backtrader's ``RSI`` with its default ``SmoothedMovingAverage``;
    then ``rsi = 100 - 100 / (1 + avg_gain / avg_loss)``.

    Parameters
    ----------
    values : array_like
        1-D price series, oldest first.
    period : int
        Smoothing period in bars, >= 1.

    Returns
    -------
    numpy.ndarray
        Float64 array, NaN before bar ``period`` (shifted by any leading NaNs). Where the average
        loss is exactly 0 the value is 100, or 50 if the average gain is 0 too (backtrader's
        ``RSI_Safe`` defaults; plain ``bt.indicators.RSI`` raises ZeroDivisionError there).

    Raises
    ------
    ValueError
        If ``period`` is not a positive integer or ``values`` is not 1-D.
    """
    period = check_bars("rsi period", period, 14)
    x = as_series(values, "rsi values")
    change = np.full(x.shape, np.nan)
    change[1:] = x[1:] - x[:-1]
    alpha = 1.0 / period
    avg_gain = smooth(np.maximum(change, 0.0), period, alpha)
    avg_loss = smooth(np.maximum(-change, 0.0), period, alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 100.0 - 100.0 / (1.0 + avg_gain / avg_loss)
    no_loss = avg_loss == 0.0
    out[no_loss] = np.where(avg_gain[no_loss] > 0.0, 100.0, 50.0)
    return out


def advance_decline_weakening(advances: npt.ArrayLike, declines: npt.ArrayLike, n: int = 5) -> npt.NDArray[np.bool_]:
    """Return True where the advance/decline line fell over the last ``n`` bars.

    The A/D line is the running sum of ``advances - declines``; it weakens when
    ``line[t] - line[t-n] < 0`` (the net count of the last ``n`` sessions is negative). False on
    the first ``n`` bars and where an input is NaN.

    Raises
    ------
    ValueError
        If ``n`` is not a positive integer or the inputs differ in length.
    """
    n = check_bars("advance_decline n", n, 5)
    a = as_series(advances, "advance_decline advances")
    d = as_series(declines, "advance_decline declines")
    if a.shape != d.shape:
        raise ValueError(f"advance/decline inputs differ in length ({a.size} vs {d.size}): align them first")
    net = a - d
    out = np.zeros(a.shape, dtype=np.bool_)
    for t in range(n, a.size):
        window = net[t - n + 1:t + 1]
        out[t] = bool(np.isfinite(window).all() and window.sum() < 0)
    return out
