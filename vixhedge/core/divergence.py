"""Pivots and divergences between a price and an oscillator, as the methodology defines them (causal).

Same conventions as :mod:`vixhedge.core.signals`: a pivot counts only once the bars after it are known.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from vixhedge.core.series import as_series, check_bars


#: relative gap below which two values tie for a pivot: a series blended from two contracts (the front-two VX
#: series) gives 14.325 on 2019-04-22 and 04-23 as floats a few ulps apart, which made the second day the pivot
#: (a researcher's trial, session 14); real moves are 1e-4 or more of the value
TIE = 1e-9


def pivots(x: npt.ArrayLike, left: int = 5, right: int = 5, *, high: bool = False) -> npt.NDArray[np.int64]:
    """Return, per bar, the index of the pivot confirmed on that bar, or -1.

    A pivot low at bar ``p`` has ``x[p]`` strictly below each of the ``left`` bars before it and
    at or below each of the ``right`` bars after it (so a flat bottom pivots on its first bar; values within
    :data:`TIE` of each other, relative, are equal); a
    pivot high mirrors this (``high=True``). It becomes known only on bar ``p + right``, and that is
    where it is reported: ``out[p + right] = p``. Bars involving a NaN never pivot.

    Raises
    ------
    ValueError
        If ``left`` or ``right`` is not a positive integer or ``x`` is not 1-D.
    """
    left = check_bars("pivots left", left, 5)
    right = check_bars("pivots right", right, 5)
    v = as_series(x, "pivots x")
    v = -v if high else v
    out = np.full(v.shape, -1, dtype=np.int64)
    if v.size < left + right + 1:
        return out
    # row k of the windows is bars p - left .. p + right around candidate p = k + left
    win = np.lib.stride_tricks.sliding_window_view(v, left + right + 1)
    c = win[:, left:left + 1]
    tie = TIE * np.maximum(1.0, np.abs(c))  # values this close are equal: a blend's rounding is no lower low
    ok = (np.isfinite(win).all(axis=1) & (c < win[:, :left] - tie).all(axis=1)
          & (c <= win[:, left + 1:] + tie).all(axis=1))
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
    px = as_series(price, "divergence price")
    o = as_series(osc, "divergence osc")
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
    min_bars = check_bars("divergence min_bars", min_bars, 5)
    max_bars = check_bars("divergence max_bars", max_bars, 60)
    if min_bars > max_bars:
        raise ValueError(f"divergence min_bars ({min_bars}) must not exceed max_bars ({max_bars})")
    px = as_series(price, "divergence price")
    found = []
    for high in (False, True):
        seen: list[int] = []
        rows = []
        for t, p2 in enumerate(pivots(px, left, right, high=high)):
            if p2 < 0:
                continue
            p1 = next((p for p in reversed(seen) if min_bars <= p2 - p <= max_bars), None)
            seen.append(int(p2))
            if p1 is None:
                continue
            tie = TIE * max(1.0, abs(px[p1]))  # a lower low (higher high) by more than a tie
            if px[p2] > px[p1] + tie if high else px[p2] < px[p1] - tie:
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
