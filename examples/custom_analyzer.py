"""Analyzer plug-ins written only against ``vixhedge.api``: one returns a dict, one a table.

Run them (README "Plug-ins"): ``PYTHONPATH=examples python -m vixhedge run examples/custom_plugins.toml``.

Named in ``analysis.analyzers``, each is called with the finished run (:class:`vixhedge.api.RunResult`):

* ``tail_offset`` -> metrics.json ``analyzers.tail_offset``: on the run's 10 worst days for the condor, what the
  hedge paid back (USD and as a share of the condor's loss); in a sweep it is a column of results.csv;
* ``drawdowns`` -> ``analyzer_drawdowns.csv``: every NAV drawdown deeper than 2%, its peak, trough, recovery
  (empty while not recovered), depth and length in sessions.
"""

from __future__ import annotations

import pandas as pd

from vixhedge.api import RunResult

WORST_DAYS = 10
MIN_DEPTH = 0.02


def tail_offset(result: RunResult) -> dict:
    """Return the hedge's P&L on the condor's worst days, and the share of the condor's loss it offset."""
    # row 0 holds the first day's fills against their marks (the spread and fees paid on entry), not a day's
    # move: left out here; an analyzer summing the run's P&L keeps it (daily.csv sums to metrics.json pnl)
    d = result.daily.iloc[1:]
    worst = d.nsmallest(WORST_DAYS, "condor_pnl_usd")
    condor, hedge = float(worst["condor_pnl_usd"].sum()), float(worst["hedge_pnl_usd"].sum())
    return {"days": len(worst), "condor_pnl_usd": round(condor, 2), "hedge_pnl_usd": round(hedge, 2),
            "offset_share": round(-hedge / condor, 4) if condor < 0 else None}


def drawdowns(result: RunResult) -> pd.DataFrame:
    """Return one row per NAV drawdown deeper than 2%: peak, trough, recovery dates, depth, sessions."""
    nav = result.daily["nav_usd"]
    rows, peak_day, peak, trough_day, depth = [], nav.index[0], nav.iloc[0], None, 0.0
    for day, value in nav.items():
        if value >= peak:
            if depth > MIN_DEPTH:
                rows.append((peak_day, trough_day, day, depth))
            peak_day, peak, trough_day, depth = day, value, None, 0.0
        elif 1 - value / peak > depth:
            trough_day, depth = day, 1 - value / peak
    if depth > MIN_DEPTH:
        rows.append((peak_day, trough_day, pd.NaT, depth))
    table = pd.DataFrame(rows, columns=["peak", "trough", "recovery", "depth"])
    sessions = {day: k for k, day in enumerate(nav.index)}
    table["sessions"] = [sessions[t] - sessions[p] for p, t in zip(table["peak"], table["trough"])]
    return table
