"""Axis ticks of the SVG charts (:mod:`vixhedge.svgplot`): round values on a linear axis, 1-2-5 steps on a log axis,
dates at years, months or days by the window's span, and their labels."""

from __future__ import annotations

import math

import numpy as np


def nice_ticks(lo: float, hi: float, target: int = 5) -> np.ndarray:
    """Return round tick values (steps of 1, 2, 2.5 or 5 x 10^k) inside [lo, hi], about ``target`` of them."""
    if not (math.isfinite(lo) and math.isfinite(hi)) or hi <= lo:
        return np.array([lo]) if math.isfinite(lo) else np.array([])
    raw = (hi - lo) / target
    mag = 10.0 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step - 1e-9)
    ticks = (first + np.arange(int(math.floor(hi / step + 1e-9)) - first + 1)) * step
    return np.where(np.abs(ticks) < step * 1e-9, 0.0, ticks)


def log_ticks(lo: float, hi: float) -> np.ndarray:
    """Return the ticks of a log axis on [lo, hi] (lo > 0): 1, 2, 3 and 5 x 10^k where those are at most
    :data:`LOG_FINE` (trial VIS42 L4: 0.5, 1, 2 alone under a line that reached 3.41), else 1, 2 and 5 x 10^k, or only
    the powers of 10 where those are more than 8."""
    k0, k1 = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    for steps, most in (((1, 2, 3, 5), LOG_FINE), ((1, 2, 5), 8), ((1,), math.inf)):
        ticks = np.array([m * 10.0 ** k for k in range(k0, k1 + 1) for m in steps])
        ticks = ticks[(ticks >= lo * (1 - 1e-9)) & (ticks <= hi * (1 + 1e-9))]
        if len(ticks) <= most:
            break
    return ticks


LOG_FINE = 6  # the most ticks a log axis takes at 1, 2, 3 and 5 x 10^k (more: 2 and 3 crowd each other)


def log_tick_label(v: float) -> str:
    """A log axis' tick: its value with the digits it has (0.5, 2, 10, 200)."""
    return f"{v:.6g}"


def tick_label(v: float, ticks: np.ndarray) -> str:
    """Format a tick with as many decimals as the step between ``ticks`` needs (a minus sign, not a hyphen)."""
    step = float(ticks[1] - ticks[0]) if len(ticks) > 1 else 1.0
    decimals = next((d for d in range(0, 7) if abs(round(step, d) - step) < 1e-9 * max(1.0, abs(step))), 6)
    return f"{v:.{decimals}f}".replace("-", "\u2212")


def date_ticks(lo: float, hi: float) -> tuple[list[float], list[str]]:
    """Return tick positions (day numbers) and labels for a date axis spanning [lo, hi]: year starts, month
    starts every 1-6 months or days, whichever gives 3-8 ticks."""
    first = np.datetime64(int(math.floor(lo)), "D")
    last = np.datetime64(int(math.ceil(hi)), "D")
    m0, m1 = first.astype("datetime64[M]"), last.astype("datetime64[M]")
    months = np.arange(m0, m1 + np.timedelta64(1, "M"))
    for step in (1, 2, 3, 6, 12, 24, 60, 120):
        picked = months[(months.astype(np.int64) % step) == 0]
        days = picked.astype("datetime64[D]")
        days = days[(days >= first) & (days <= last)]
        if len(days) <= 8:
            break
    if len(days) < 3:  # a window of under three month starts (a 19-session replay showed two): days
        span = int((last - first).astype(np.int64))
        step = next(s for s in (1, 2, 7, 14, 28) if span / s <= 8)
        days = np.arange(first, last + np.timedelta64(1, "D"), np.timedelta64(step, "D"))
        fmt = "%Y-%m-%d"
    else:
        fmt = "%Y" if step >= 12 else "%Y-%m"
    labels = [_date_label(d, fmt) for d in days]
    return [float(d.astype(np.int64)) for d in days], labels


def _date_label(day: np.datetime64, fmt: str) -> str:
    text = str(day)  # YYYY-MM-DD
    return {"%Y": text[:4], "%Y-%m": text[:7]}.get(fmt, text)
