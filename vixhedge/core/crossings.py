"""Causal events on signal lines: crossovers (confirmed, projected), expansion, slope and flattening, regime runs.

Same conventions as :mod:`vixhedge.core.signals`: oldest first, a bar's value depends on bars ``0..t`` only.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from vixhedge.core.series import FloatArray, as_series, check_bars


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
    x = as_series(a, "crossover a")
    y = as_series(b, "crossover b")
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
    n = check_bars("expanding n", n, 1)
    arr = as_series(x, "expanding x")
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
    n = check_bars("slope n", n, 5)
    arr = as_series(x, "slope x")
    out = np.full(arr.shape, np.nan)
    out[n:] = (arr[n:] - arr[:-n]) / n
    return out


def contracting(x: npt.ArrayLike, n: int = 1) -> npt.NDArray[np.bool_]:
    """Return True where ``x`` fell strictly on each of the last ``n`` bars (mirror of :func:`expanding`).

    Raises
    ------
    ValueError
        If ``n`` is not a positive integer or ``x`` is not 1-D.
    """
    n = check_bars("contracting n", n, 1)
    return expanding(-as_series(x, "contracting x"), n)


def flattening(slope_values: npt.ArrayLike, threshold: float) -> npt.NDArray[np.bool_]:
    """Return True where ``|slope| < threshold`` (a flattening line); False on NaN.

    Raises
    ------
    ValueError
        If ``threshold`` is not a positive finite number.
    """
    if not (isinstance(threshold, (int, float, np.floating)) and math.isfinite(threshold) and threshold > 0):
        raise ValueError(f"flattening threshold ({threshold!r}) must be a positive number, e.g. 0.02")
    s = as_series(slope_values, "flattening slope")
    with np.errstate(invalid="ignore"):
        return np.abs(s) < threshold


def regime_run(diff: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Return the signed run length of the sign of ``diff`` ending at each bar.

    ``+k`` when ``diff > 0`` on the last ``k`` bars (and not before), ``-k`` when ``diff < 0``,
    ``0`` where ``diff`` is 0 or NaN. Used on the MACD histogram: how long MACD has stayed above
    (or below) its signal line.
    """
    d = as_series(diff, "regime_run diff")
    sign = np.zeros(d.shape, dtype=np.int64)
    with np.errstate(invalid="ignore"):
        sign[d > 0] = 1
        sign[d < 0] = -1
    t = np.arange(d.size)
    change = np.ones(d.shape, dtype=bool)
    change[1:] = sign[1:] != sign[:-1]
    start = np.maximum.accumulate(np.where(change, t, 0))  # first bar of the run each bar belongs to
    return sign * (t - start + 1)


def confirmed_cross(cross: npt.ArrayLike, hist: npt.ArrayLike, hold_bars: int = 0,
                    agree_up: npt.ArrayLike | None = None,
                    agree_down: npt.ArrayLike | None = None) -> npt.NDArray[np.int8]:
    """Return +1 / -1 on the bar a crossover is confirmed, 0 elsewhere.

    A cross at bar ``c`` (``cross[c] = s``, see :func:`crossover`) is confirmed at the first bar
    ``t >= c + hold_bars`` such that ``sign(hist) == s`` on every bar ``c..t`` and, when given, the
    agreement mask of its direction (``agree_up`` for +1, ``agree_down`` for -1; e.g. histogram
    expanding) is True at ``t``. Each cross is confirmed at most once; a bar where the histogram
    loses the cross's sign cancels it. With ``hold_bars = 0`` and no masks the result equals
    ``cross``.

    Raises
    ------
    ValueError
        If ``hold_bars`` is negative or the inputs differ in length.
    """
    if isinstance(hold_bars, bool) or not isinstance(hold_bars, (int, np.integer)) or hold_bars < 0:
        raise ValueError(f"confirmed_cross hold_bars ({hold_bars!r}) must be a whole number >= 0, e.g. 2")
    c = np.asarray(cross, dtype=np.int64)
    h = as_series(hist, "confirmed_cross hist")
    n = c.size
    up = np.ones(n, dtype=bool) if agree_up is None else np.asarray(agree_up, dtype=bool)
    down = np.ones(n, dtype=bool) if agree_down is None else np.asarray(agree_down, dtype=bool)
    if not (h.size == n == up.size == down.size):
        raise ValueError(f"confirmed_cross inputs differ in length ({n}, {h.size}, {up.size}, {down.size}): "
                         "align them first")
    if hold_bars == 0 and agree_up is None and agree_down is None:  # confirmed on its own bar, or cancelled
        with np.errstate(invalid="ignore"):
            return np.where(c * h > 0, c, 0).astype(np.int8)
    out = np.zeros(n, dtype=np.int8)
    pending, since = 0, 0
    for t in range(n):
        if c[t] != 0:
            pending, since = int(c[t]), 0
        elif pending:
            since += 1
        if pending and not (h[t] * pending > 0):
            pending = 0
        if pending and since >= hold_bars and (up[t] if pending > 0 else down[t]):
            out[t] = pending
            pending = 0
    return out


def projected_cross(hist: npt.ArrayLike, n: int) -> npt.NDArray[np.int8]:
    """Return +1 / -1 on the bar a crossover is *projected* within ``n`` bars, 0 elsewhere (a front-run).

    On bar ``t`` the histogram (MACD - signal) closes its gap at the current rate ``d = hist[t] -
    hist[t-1]``: an up-cross is projected when ``hist[t] < 0 < d`` and ``-hist[t] / d <= n``, a
    down-cross when ``hist[t] > 0 > d`` and ``hist[t] / -d <= n``. Each approach is flagged once: a
    direction flagged stays silent until the histogram changes sign or its gap widens again. Causal
    (bars ``t-1`` and ``t`` only); NaN bars give 0.

    Raises
    ------
    ValueError
        If ``n`` is not a positive integer or ``hist`` is not 1-D.
    """
    n = check_bars("projected_cross n", n, 2)
    h = as_series(hist, "projected_cross hist")
    out = np.zeros(h.shape, dtype=np.int8)
    flagged = 0
    for t in range(1, h.size):
        a, b = h[t - 1], h[t]
        if not (math.isfinite(a) and math.isfinite(b)):
            flagged = 0
            continue
        d = b - a
        if flagged and (np.sign(b) != np.sign(a) or d * flagged < 0):
            flagged = 0
        if b < 0 < d and -b / d <= n and flagged != 1:
            out[t] = flagged = 1
        elif b > 0 > d and b / -d <= n and flagged != -1:
            out[t] = flagged = -1
    return out
