"""The VIX option strikes an option layer can trade: those the exchange lists.

The one real VIX chain in ../shared/data (Cboe DataShop, 2016-06-01) lists whole points up to 30, then every 2.5
points to 50, then every 5 (55, 60, ...); below 15 its nearer expiries (the June weeklies and 2016-07-20) list half
points too (from 10, its lowest), its later monthlies (August to November) whole points only. The modelled chains
use the finer grid for every expiry (half points from 1: a half-point strike months out may not have been listed
yet). A layer's long call is the listed strike nearest its target (``spread_long_otm`` above the VX future; a tie
goes to the lower strike), its short call the first listed strike at or above the long one plus
``spread_width_points`` (a spread's width is never narrower than configured). Before 2026-12-04 every whole point
was listed and traded (a target of 31 or 53 was bought; 13.3 took 13, now 13.5). Other years listed other grids
(whole points further up at times): the data hold no chain to say which, so this one grid stands for all.
"""

from __future__ import annotations

import numpy as np

__all__ = ["LISTED", "at_or_above", "between", "nearest"]

LISTED = np.concatenate([np.arange(1.0, 15.0, 0.5), np.arange(15.0, 31.0), np.arange(32.5, 50.01, 2.5),
                         np.arange(55.0, 1000.01, 5.0)])


def nearest(x):
    """The listed strike nearest ``x`` (a number or an array; a tie to the lower strike); 1 at the least."""
    x = np.asarray(x, dtype=np.float64)
    i = np.clip(np.searchsorted(LISTED, x), 1, len(LISTED) - 1)
    lo, hi = LISTED[i - 1], LISTED[i]
    out = np.where(hi - x < x - lo, hi, lo)
    return float(out) if out.ndim == 0 else out


def at_or_above(x):
    """The first listed strike at or above ``x`` (a number or an array)."""
    x = np.asarray(x, dtype=np.float64)
    out = LISTED[np.minimum(np.searchsorted(LISTED, x - 1e-9), len(LISTED) - 1)]
    return float(out) if out.ndim == 0 else out


def between(lo: float, hi: float) -> np.ndarray:
    """The listed strikes from ``lo`` to ``hi``, both included."""
    return LISTED[(LISTED >= lo - 1e-9) & (LISTED <= hi + 1e-9)].copy()
