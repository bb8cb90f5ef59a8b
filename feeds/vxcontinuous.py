"""Continuous VX series for signals: n-th month and constant 30-day maturity (SPVXSP weights).

All series are built from the day's own prices and the settlement calendar only, so a value on
day t never depends on prices after t (no back-adjustment, no knowledge of future rolls beyond
the published settlement dates).

n-th month (``VxCurve.continuous``)
    The n-th monthly contract settling strictly after day t; the series jumps at each roll.
Constant maturity (:func:`constant_maturity`), after the S&P 500 VIX Short-Term Futures Index
(SPVXSP) methodology, see MARKET_RULES.md
    ``CM_t = w1_t F1_t + w2_t F2_t`` with F1 the first monthly contract settling after t and F2
    the next, ``w1 = dr/dt``, ``w2 = 1 - w1``; ``dt`` = sessions in ``[S0, S1)`` where S1 is F1's
    settlement and S0 the monthly settlement before it; ``dr`` = sessions in
    ``[next session after t, S1)``. The weight on F1 falls from ``(dt-1)/dt`` on the settlement
    day S0 to 0 on the session before S1 (the roll period starts after the close of the session
    before S0, when all weight is on F1). Sessions are XNYS (:mod:`feeds.calendars`), so
    holiday-shifted settlements (e.g. Tue 2014-03-18) and holidays inside the period are counted
    as the exchange counts them.
Short-term index (:func:`short_term_index`)
    The SPVXSP-style excess-return level: ``R_t = sum(w_{i,t-1} P_{i,t}) / sum(w_{i,t-1} P_{i,t-1}) - 1``
    with yesterday's contracts and weights, compounded from ``base``.

Business days as S&P counts them (:func:`index_business_days`). The roll period is set when it
starts, on the business days known then; an exchange closure decided later (the XNYS ad-hoc closures
of exchange_calendars: 2004-06-11, 2007-01-02, 2012-10-29/30, 2018-12-05, 2025-01-09) stays a
business day of the period: ``dt`` keeps its scheduled length and the weight on F1 steps down by two
over the closure (no index value is computed on the closed day). Counting them with the calendar
known after the fact (the session list) shortened ``dt`` and moved every weight of the period.

Unlisted contracts (:func:`real_prices_only`). Up to 2006 CFE listed a new monthly contract a few
sessions after the previous settlement, so on some days the 2nd month has no real settle. With real
settles the series then reads that contract's price interpolated linearly in days to settlement
between the real contracts around it on the same day, never a modelled price: switching between the
model and the real curve made the series jump when the contract started trading.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

from feeds import calendars
from feeds import closures as xnys_closures

__all__ = ["RollWeights", "constant_maturity", "index_business_days", "real_prices_only", "roll_weights",
           "short_term_index"]


@dataclass(frozen=True)
class RollWeights:
    """Per day: columns of the first and second monthly contract and the weight on the first."""

    first: np.ndarray  # column index into the curve's contracts
    second: np.ndarray
    w1: np.ndarray
    dt: np.ndarray  # sessions in the roll period
    dr: np.ndarray  # sessions left in it after today

    @property
    def w2(self) -> np.ndarray:
        return 1.0 - self.w1


def roll_weights(dates: pd.DatetimeIndex, settlements: np.ndarray) -> RollWeights:
    """Return the SPVXSP roll weights for each day of ``dates``.

    ``settlements`` are the monthly settlement dates (``datetime64``) of consecutive monthly
    contracts, increasing; every day needs two of them strictly after it.
    """
    settle_d = np.asarray(settlements).astype("datetime64[D]")
    days = dates.values.astype("datetime64[D]")
    first = np.searchsorted(settle_d, days, side="right")  # first settlement strictly after the day
    if (first + 1 >= len(settle_d)).any():
        i = int(np.argmax(first + 1 >= len(settle_d)))
        raise ValueError(f"fewer than two monthly contracts settle after {days[i]}: extend the curve")
    s1 = settle_d[first]
    months, which = np.unique(first, return_inverse=True)  # a few dozen settlements for ~1,000s of days
    s0 = np.array([_previous_settlement(s) for s in settle_d[months]], dtype="datetime64[D]")[which]
    sessions = index_business_days(min(days[0], s0.min()), s1.max())
    pos = lambda d: np.searchsorted(sessions, d, side="left")
    next_session = sessions[np.searchsorted(sessions, days, side="right")]
    total = pos(s1) - pos(s0)
    left = pos(s1) - pos(next_session)
    return RollWeights(first, first + 1, left / total, total, left)


def constant_maturity(dates: pd.DatetimeIndex, settlements: np.ndarray, prices: np.ndarray) -> np.ndarray:
    """Return the constant 30-day maturity VX level ``w1 F1 + w2 F2`` per day.

    ``prices[i, j]`` is contract ``j`` (settling on ``settlements[j]``) on day ``i``. A day whose
    weighted contracts lack a price is NaN (a zero weight does not need a price).
    """
    w = roll_weights(dates, settlements)
    rows = np.arange(len(dates))
    f1, f2 = prices[rows, w.first], prices[rows, w.second]
    out = np.where(w.w1 > 0, w.w1 * f1, 0.0) + np.where(w.w2 > 0, w.w2 * f2, 0.0)
    return np.where((w.w1 > 0) & ~np.isfinite(f1) | (w.w2 > 0) & ~np.isfinite(f2), np.nan, out)


def short_term_index(dates: pd.DatetimeIndex, settlements: np.ndarray, prices: np.ndarray,
                     base: float = 100.0) -> np.ndarray:
    """Return the SPVXSP-style index level, ``base`` on the first day, using yesterday's weights."""
    w = roll_weights(dates, settlements)
    level = np.empty(len(dates))
    level[0] = base
    for t in range(1, len(dates)):
        cols, wts = (w.first[t - 1], w.second[t - 1]), (w.w1[t - 1], w.w2[t - 1])
        today = sum(x * prices[t, j] for j, x in zip(cols, wts) if x > 0)
        before = sum(x * prices[t - 1, j] for j, x in zip(cols, wts) if x > 0)
        level[t] = level[t - 1] * today / before
    return level


def _previous_settlement(s1: np.datetime64) -> np.datetime64:
    d = s1.astype(object)
    y, m = (d.year - 1, 12) if d.month == 1 else (d.year, d.month - 1)
    prev = calendars.vx_settlement_date(y, m)
    if prev >= d:  # cannot happen with the rule, kept as a guard against calendar edits
        raise ValueError(f"monthly settlement {prev} is not before {d}")
    return np.datetime64(prev, "D")


def index_business_days(start: np.datetime64, end: np.datetime64) -> np.ndarray:
    """Return XNYS sessions plus the ad-hoc (unscheduled) closures, ``start`` .. ``end`` + 10 days."""
    first: dt.date = np.datetime64(start, "D").astype(object)
    last: dt.date = np.datetime64(end, "D").astype(object) + dt.timedelta(days=10)
    sessions = calendars.trading_days(first, last).values.astype("datetime64[D]")
    closures = xnys_closures.adhoc()
    inside = closures[(closures >= np.datetime64(first)) & (closures <= np.datetime64(last))]
    return np.union1d(sessions, inside)


def real_prices_only(prices: np.ndarray, origin: np.ndarray | None, tau_years: np.ndarray) -> np.ndarray:
    """Return ``prices`` with each non-real price between two real ones of the same day interpolated.

    Per day, a listed contract without a real settle (``origin`` not REAL) that has a contract with a
    real settle on either side (in settlement order) takes the linear interpolation of those two in
    time to settlement. Other prices are kept (days with no real settle keep the model).
    """
    if origin is None:
        return prices
    from feeds.vxcurve import REAL

    out = prices.copy()
    real = (origin == REAL) & np.isfinite(prices)
    gaps = np.flatnonzero((real.any(axis=1)) & (~real & np.isfinite(prices)).any(axis=1))
    for i in gaps:
        have = np.flatnonzero(real[i])
        for j in np.flatnonzero(~real[i] & np.isfinite(prices[i])):
            k = np.searchsorted(have, j)
            if 0 < k < len(have):
                a, b = have[k - 1], have[k]
                x = (tau_years[i, j] - tau_years[i, a]) / (tau_years[i, b] - tau_years[i, a])
                out[i, j] = prices[i, a] + x * (prices[i, b] - prices[i, a])
    return out
