"""The named stress periods inside a run: what the book made in each, and how it entered it.

A researcher's trial (session 20) asked whether the hedge pays in a crisis with ``vixhedge replay``, each period run
alone from a flat book, and found the answer moved many times over inside a long run (the us-downgrade month's
hedge: $6,150 alone, $109,850 inside 2007-2022; README, *Where a window starts*); no command gave a long run's P&L
per episode, so the trial wrote an analyzer. This one reads a run's daily frame: for each period of
:data:`feeds.periods.PERIODS` whose window meets the run's, its sessions in the run, the P&L of each group over them
(the day's P&L rows summed: the NAV's change from the close before the period's first session in the run, or from
the starting cash when the period starts the run), the
return and drawdown on that NAV path, and the book it entered with (the hedge layers open and whether a condor was
at the close before; none when the period starts the run). metrics.json ``named_periods``; report.html and
``vixhedge compare`` show them.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analyzers.hedge_cost import DAILY_CAUSES

GROUPS = ("condor", "hedge", "fees", "interest")


def named_periods(daily: pd.DataFrame, periods: Mapping | None = None, ruin: str | None = None) -> list[dict]:
    """Return one record per named period that meets ``daily``'s dates (a run's daily frame, index ``date``).

    Each record: ``name``, ``title``, ``first`` and ``last`` (its sessions in the run), ``sessions``, ``whole``
    (the run holds every session of the period's window), ``<group>_pnl_usd`` and ``total_pnl_usd`` over those
    sessions (to the cent), ``return`` (NAV at its last session over the NAV at the close before its first, or
    the starting cash when the period starts the run: the P&L rows' base), ``max_drawdown`` on that path (a
    fraction), and ``entered_with``: ``{"hedge_layers": n, "condor": bool}`` at the close before, or None when
    the run starts inside the period (its book starts flat there). A ruined run (``ruin``: its ISO date) adds
    ``ruin_debt_pnl_usd`` (the debt written off, its own P&L row, so the rows still sum to the total), marks the
    period that holds the ruin (``ruin``: the date) and leaves out a period wholly after it, when nothing traded
    (review 20).
    """
    if periods is None:
        from feeds.periods import PERIODS as periods
    days = pd.DatetimeIndex(daily.index).values.astype("datetime64[D]")  # (numpy: the warm replay's budget)
    groups = (*GROUPS, "ruin_debt") if ruin and "ruin_debt_pnl_usd" in daily.columns else GROUPS
    col = {c: daily[c].to_numpy(dtype=float) for c in ("nav_usd", "total_pnl_usd", "hedge_layers",
                                                       "condor_max_loss_usd", *(f"{g}_pnl_usd" for g in groups))}
    out = []
    for p in periods.values():
        first = int(np.searchsorted(days, np.datetime64(p.start, "D")))
        end = int(np.searchsorted(days, np.datetime64(p.end, "D"), side="right"))
        if first >= end or (ruin and str(days[first]) > ruin):
            continue
        last = end - 1
        nav = col["nav_usd"][first:end]
        start_nav = float(col["nav_usd"][first - 1]) if first else \
            float(nav[0] - col["total_pnl_usd"][0])  # the run's first day: the cash it started with
        path = np.r_[start_nav, nav]
        peak = np.maximum.accumulate(path)
        with np.errstate(divide="ignore", invalid="ignore"):
            drawdown = float(np.nanmax(np.where(peak > 0, 1.0 - path / peak, 0.0)))
        record = {"name": p.name, "title": p.title, "first": str(days[first]), "last": str(days[last]),
                  "sessions": end - first, "whole": end - first == len(p.sessions())}
        for g in (*groups, "total"):
            record[f"{g}_pnl_usd"] = round(float(col[f"{g}_pnl_usd"][first:end].sum()), 2) + 0.0
        if set(DAILY_CAUSES) <= set(daily.columns):  # the hedge's P&L by cause over the period (trial RS32)
            record["hedge_by_cause_usd"] = {c.removeprefix("hedge_"): round(float(daily[c].iloc[first:end].sum()), 2)
                                            + 0.0 for c in DAILY_CAUSES}
        record["return"] = float(nav[-1] / start_nav - 1.0) if start_nav > 0 else float("nan")
        record["max_drawdown"] = drawdown
        record["entered_with"] = None if not first else {"hedge_layers": int(col["hedge_layers"][first - 1]),
                                                         "condor": bool(col["condor_max_loss_usd"][first - 1] > 0)}
        if ruin and str(days[first]) <= ruin <= str(days[last]):
            record["ruin"] = ruin
        out.append(record)
    return out
