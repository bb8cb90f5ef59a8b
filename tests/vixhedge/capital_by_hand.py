"""The capital a run's path needed, by hand (trial RS40 M1): each day's lowest excess liquidity (its check before
its trades, CapitalGuard.checks, or its end, daily.csv) in dollars of the start, that is over what a dollar of the
starting cash had grown to that day: the nights' simple ACT/365 interest at the market's overnight rate
(Market.night_rate, the rate the Desk credits cash at), multiplied out here night by night; the initial cash less the
lowest of those. A start smaller by k holds k x that growth less cash each day (interest on cash is linear in it)."""

from __future__ import annotations

import datetime as dt
import math


def needed_by_hand(res, market, cash: float) -> float:
    """The capital ``res`` (a RunResult on ``market``, ``cash`` its initial cash) needed, over its valid span."""
    end = dt.date.fromisoformat(res.metrics["performance"]["valid_span"]["end"])
    days = [d.date() for d in res.daily.index if d.date() <= end]
    checks = res.daily.attrs["checks"]
    check = {dt.date.fromisoformat(str(d)): float(x) for d, x in zip(checks.days, checks.excess)}
    growth, lowest = 1.0, math.inf
    for i, day in enumerate(days):
        if i:
            growth *= 1.0 + market.night_rate(days[i - 1]) * (day - days[i - 1]).days / 365.0
        low = min(float(res.daily["excess_liquidity_usd"].iloc[i]), check.get(day, math.inf))
        lowest = min(lowest, low / growth)
    return cash - lowest
