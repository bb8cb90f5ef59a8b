"""Causal technical signals on plain numpy arrays: EMA, MACD, RSI, crossovers, slopes.

Every function takes a 1-D series ordered oldest first and returns an array of the same length whose
value at bar ``t`` depends only on inputs ``0..t``. Warm-up bars are NaN for float outputs, 0 for
:func:`crossover` and False for :func:`expanding`.

Seeding follows backtrader 1.9.78 so the pure core can be checked against ``bt.indicators`` bar for
bar: each exponential average starts with the simple mean of its first ``period`` inputs
(``math.fsum`` / period), then recurses ``y[t] = y[t-1] * (1 - alpha) + x[t] * alpha``. TA-Lib and
pandas ``ewm(adjust=False)`` seed differently; the series converge after a few hundred bars.

This module must not import backtrader: the backtrader layer calls into it, never the reverse.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy.signal import lfilter

__all__ = ["Macd", "crossover", "ema", "expanding", "macd", "rsi", "slope"]

FloatArray = npt.NDArray[np.float64]


def _as_series(values: npt.ArrayLike, name: str) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D series, got shape {arr.shape}: pass one column")
    return arr


def _check_bars(name: str, value: object, example: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(
            f"{name} ({value!r}) must be a positive integer number of bars: e.g. {example}"
        )
    return int(value)


def _smooth(x: FloatArray, period: int, alpha: float) -> FloatArray:
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
        alpha1 = 1.0 - alpha
        # y[t] = alpha * x[t] + alpha1 * y[t-1]: the same products and sum as backtrader's loop.
        out[seed_end:], _ = lfilter([alpha], [1.0, -alpha1], x[seed_end:], zi=[alpha1 * seed])
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
    period = _check_bars("ema period", period, 20)
    return _smooth(_as_series(values, "ema values"), period, 2.0 / (1.0 + period))


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
    fast = _check_bars("macd fast", fast, 12)
    slow = _check_bars("macd slow", slow, 26)
    signal = _check_bars("macd signal", signal, 9)
    if fast >= slow:
        raise ValueError(
            f"macd fast ({fast}) must be smaller than slow ({slow}): swap them or lower fast"
        )
    x = _as_series(values, "macd values")
    line = _smooth(x, fast, 2.0 / (1.0 + fast)) - _smooth(x, slow, 2.0 / (1.0 + slow))
    sig = _smooth(line, signal, 2.0 / (1.0 + signal))
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
    period = _check_bars("rsi period", period, 14)
    x = _as_series(values, "rsi values")
    change = np.full(x.shape, np.nan)
    change[1:] = x[1:] - x[:-1]
    alpha = 1.0 / period
    avg_gain = _smooth(np.maximum(change, 0.0), period, alpha)
    avg_loss = _smooth(np.maximum(-change, 0.0), period, alpha)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = 100.0 - 100.0 / (1.0 + avg_gain / avg_loss)
    no_loss = avg_loss == 0.0
    out[no_loss] = np.where(avg_gain[no_loss] > 0.0, 100.0, 50.0)
    return out


def crossover(a: npt.ArrayLike, b: npt.ArrayLike) -> npt.NDArray[np.int8]:
    """Return +1 where ``a`` crosses above ``b``, -1 where it crosses below, 0 elsewhere.

    Mirrors backtrader's ``CrossOver`` (its ``NonZeroDifference``): bars where ``a == b`` are
    touches, not crossings. Bar ``t`` is an upward cross when ``a[t] > b[t]`` and the most recent
    non-zero ``a - b`` before ``t`` is negative; so ``a - b`` going -1, 0, +1 crosses on the
    third bar, while -1, 0, -1 or +1, 0, +1 never cross. A NaN in ``a`` or ``b`` gives 0 on that
    bar and forgets the earlier differences: the next cross needs a fresh non-zero difference.

    Parameters
    ----------
    a, b : array_like
        1-D series of the same length, oldest first.

    Returns
    -------
    numpy.ndarray
        int8 array in {-1, 0, 1}; always 0 on bar 0.

    Raises
    ------
    ValueError
        If the inputs are not 1-D or differ in length.
    """
    x = _as_series(a, "crossover a")
    y = _as_series(b, "crossover b")
    if x.shape != y.shape:
        raise ValueError(
            f"crossover inputs differ in length ({x.size} vs {y.size}): align them first"
        )
    diff = x - y
    # Index of the last bar up to t whose difference is non-zero or NaN (-1: none yet).
    idx = np.maximum.accumulate(np.where(diff != 0.0, np.arange(diff.size), -1))
    last = np.where(idx >= 0, diff[idx], 0.0)
    before = np.full(diff.shape, np.nan)
    before[1:] = last[:-1]
    out = np.zeros(diff.shape, dtype=np.int8)
    out[(before < 0.0) & (x > y)] = 1
    out[(before > 0.0) & (x < y)] = -1
    return out


def expanding(x: npt.ArrayLike, n: int = 1) -> npt.NDArray[np.bool_]:
    """Return True where ``x`` rose strictly on each of the last ``n`` bars.

    ``x[t] > x[t-1] > ... > x[t-n]``; False on the first ``n`` bars and wherever a NaN is involved.

    Raises
    ------
    ValueError
        If ``n`` is not a positive integer or ``x`` is not 1-D.
    """
    n = _check_bars("expanding n", n, 1)
    arr = _as_series(x, "expanding x")
    rose = np.zeros(arr.shape, dtype=np.int64)
    rose[1:] = arr[1:] > arr[:-1]
    rises = np.cumsum(rose)
    out = np.zeros(arr.shape, dtype=np.bool_)
    out[n:] = (rises[n:] - rises[:-n]) == n
    return out


def slope(x: npt.ArrayLike, n: int) -> FloatArray:
    """Return the average change per bar over the last ``n`` bars, ``(x[t] - x[t-n]) / n``.

    NaN on the first ``n`` bars and wherever an input involved is NaN.

    Raises
    ------
    ValueError
        If ``n`` is not a positive integer or ``x`` is not 1-D.
    """
    n = _check_bars("slope n", n, 5)
    arr = _as_series(x, "slope x")
    out = np.full(arr.shape, np.nan)
    out[n:] = (arr[n:] - arr[:-n]) / n
    return out
