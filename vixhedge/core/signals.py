"""Causal technical signals on plain numpy arrays: EMA, MACD, RSI, crossovers, slopes, pivots, divergence.

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

__all__ = [
    "Macd",
    "advance_decline_weakening",
    "confirmed_cross",
    "contracting",
    "crossover",
    "divergence",
    "ema",
    "expanding",
    "flattening",
    "macd",
    "pivots",
    "projected_cross",
    "regime_run",
    "rsi",
    "slope",
]

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


def contracting(x: npt.ArrayLike, n: int = 1) -> npt.NDArray[np.bool_]:
    """Return True where ``x`` fell strictly on each of the last ``n`` bars (mirror of :func:`expanding`).

    Raises
    ------
    ValueError
        If ``n`` is not a positive integer or ``x`` is not 1-D.
    """
    n = _check_bars("contracting n", n, 1)
    return expanding(-_as_series(x, "contracting x"), n)


def flattening(slope_values: npt.ArrayLike, threshold: float) -> npt.NDArray[np.bool_]:
    """Return True where ``|slope| < threshold`` (a flattening line); False on NaN.

    Raises
    ------
    ValueError
        If ``threshold`` is not a positive finite number.
    """
    if not (isinstance(threshold, (int, float, np.floating)) and math.isfinite(threshold) and threshold > 0):
        raise ValueError(f"flattening threshold ({threshold!r}) must be a positive number, e.g. 0.02")
    s = _as_series(slope_values, "flattening slope")
    with np.errstate(invalid="ignore"):
        return np.abs(s) < threshold


def regime_run(diff: npt.ArrayLike) -> npt.NDArray[np.int64]:
    """Return the signed run length of the sign of ``diff`` ending at each bar.

    ``+k`` when ``diff > 0`` on the last ``k`` bars (and not before), ``-k`` when ``diff < 0``,
    ``0`` where ``diff`` is 0 or NaN. Used on the MACD histogram: how long MACD has stayed above
    (or below) its signal line.
    """
    d = _as_series(diff, "regime_run diff")
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
    h = _as_series(hist, "confirmed_cross hist")
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
    n = _check_bars("projected_cross n", n, 2)
    h = _as_series(hist, "projected_cross hist")
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


def pivots(x: npt.ArrayLike, left: int = 5, right: int = 5, *, high: bool = False) -> npt.NDArray[np.int64]:
    """Return, per bar, the index of the pivot confirmed on that bar, or -1.

    A pivot low at bar ``p`` has ``x[p]`` strictly below each of the ``left`` bars before it and
    at or below each of the ``right`` bars after it (so a flat bottom pivots on its first bar); a
    pivot high mirrors this (``high=True``). It becomes known only on bar ``p + right``, and that is
    where it is reported: ``out[p + right] = p``. Bars involving a NaN never pivot.

    Raises
    ------
    ValueError
        If ``left`` or ``right`` is not a positive integer or ``x`` is not 1-D.
    """
    left = _check_bars("pivots left", left, 5)
    right = _check_bars("pivots right", right, 5)
    v = _as_series(x, "pivots x")
    v = -v if high else v
    out = np.full(v.shape, -1, dtype=np.int64)
    if v.size < left + right + 1:
        return out
    # row k of the windows is bars p - left .. p + right around candidate p = k + left
    win = np.lib.stride_tricks.sliding_window_view(v, left + right + 1)
    c = win[:, left:left + 1]
    ok = np.isfinite(win).all(axis=1) & (c < win[:, :left]).all(axis=1) & (c <= win[:, left + 1:]).all(axis=1)
    p = np.flatnonzero(ok) + left
    out[p + right] = p
    return out


def divergence(price: npt.ArrayLike, osc: npt.ArrayLike, left: int = 5, right: int = 5,
               min_bars: int = 5, max_bars: int = 60) -> npt.NDArray[np.int8]:
    """Return +1 on the bar a regular bullish divergence is confirmed, -1 for bearish, 0 elsewhere.

    Pivots are taken on ``price`` (:func:`pivots`, ``left`` / ``right`` bars) and compared with
    the most recent earlier pivot of the same kind lying ``min_bars..max_bars`` bars before it:

    * bullish: price makes a lower low while ``osc`` at those two bars makes a higher low;
    * bearish: price makes a higher high while ``osc`` makes a lower high.

    The signal is placed on the confirmation bar of the second pivot (``p2 + right``), never on
    the pivot itself: a backtest may act on it from that bar on.

    Raises
    ------
    ValueError
        If a bar count is not a positive integer, ``min_bars > max_bars`` or the inputs differ in
        length.
    """
    px = _as_series(price, "divergence price")
    o = _as_series(osc, "divergence osc")
    if px.shape != o.shape:
        raise ValueError(f"divergence inputs differ in length ({px.size} vs {o.size}): align them first")
    return divergence_at(divergence_pairs(px, left, right, min_bars, max_bars), o)


@dataclass(frozen=True, slots=True)
class DivergencePairs:
    """The pivot pairs of a price series whose prices diverge in :func:`divergence`'s sense, per kind.

    ``bull`` / ``bear``: int arrays of rows ``(t, p1, p2)``: the second pivot ``p2`` is confirmed on bar ``t``
    and makes a lower low (``bull``) / higher high (``bear``) than ``p1``. They depend on the price only, so
    a sweep finds them once and checks each oscillator with :func:`divergence_at`.
    """

    size: int
    bull: npt.NDArray[np.int64]
    bear: npt.NDArray[np.int64]


def divergence_pairs(price: npt.ArrayLike, left: int = 5, right: int = 5, min_bars: int = 5,
                     max_bars: int = 60) -> DivergencePairs:
    """Return the diverging pivot pairs of ``price`` (see :func:`divergence` for the definition)."""
    min_bars = _check_bars("divergence min_bars", min_bars, 5)
    max_bars = _check_bars("divergence max_bars", max_bars, 60)
    if min_bars > max_bars:
        raise ValueError(f"divergence min_bars ({min_bars}) must not exceed max_bars ({max_bars})")
    px = _as_series(price, "divergence price")
    found = []
    for high in (False, True):
        seen: list[int] = []
        rows = []
        for t, p2 in enumerate(pivots(px, left, right, high=high)):
            if p2 < 0:
                continue
            p1 = next((p for p in reversed(seen) if min_bars <= p2 - p <= max_bars), None)
            seen.append(int(p2))
            if p1 is not None and (px[p2] > px[p1] if high else px[p2] < px[p1]):
                rows.append((t, p1, int(p2)))
        found.append(np.array(rows, dtype=np.int64).reshape(-1, 3))
    return DivergencePairs(px.size, *found)


def divergence_at(pairs: DivergencePairs, osc: npt.ArrayLike) -> npt.NDArray[np.int8]:
    """Return :func:`divergence` of the price of ``pairs`` against the oscillator ``osc`` (+1, -1, 0 per bar)."""
    o = np.asarray(osc, dtype=float)
    out = np.zeros(pairs.size, dtype=np.int8)
    for sign, rows in ((1, pairs.bull), (-1, pairs.bear)):
        o1, o2 = o[rows[:, 1]], o[rows[:, 2]]
        hit = np.isfinite(o1) & np.isfinite(o2) & (o2 > o1 if sign > 0 else o2 < o1)
        out[rows[hit, 0]] = sign
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
    n = _check_bars("advance_decline n", n, 5)
    a = _as_series(advances, "advance_decline advances")
    d = _as_series(declines, "advance_decline declines")
    if a.shape != d.shape:
        raise ValueError(f"advance/decline inputs differ in length ({a.size} vs {d.size}): align them first")
    net = a - d
    out = np.zeros(a.shape, dtype=np.bool_)
    for t in range(n, a.size):
        window = net[t - n + 1:t + 1]
        out[t] = bool(np.isfinite(window).all() and window.sum() < 0)
    return out
