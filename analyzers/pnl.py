"""P&L attribution: condor vs hedge vs fees vs cash interest, per day.

A component's value is its cumulative cash flows plus the marks of its open positions
(:meth:`vixhedge.ledger.Ledger.component_values`); its daily P&L is the change of that value.
Because every cash movement is booked to exactly one component, the components' daily P&L
sums to the daily change of NAV (tested invariant).
"""

from __future__ import annotations

import backtrader as bt
import pandas as pd

GROUPS = ("condor", "hedge", "fees", "interest")


def group_of(component: str) -> str:
    """Map a ledger component (``hedge:L3``) to its reporting group (``hedge``)."""
    return component.split(":", 1)[0]


def attribution(records: list, initial_cash_usd: float) -> pd.DataFrame:
    """Return daily cumulative value and P&L by group from the broker's day records."""
    rows = []
    for rec in records:
        row = dict.fromkeys(GROUPS, 0.0)
        for comp, value in rec.components.items():
            row[group_of(comp)] += value
        rows.append({"date": rec.date, "nav_usd": rec.nav, **{f"{g}_value_usd": row[g] for g in GROUPS}})
    df = pd.DataFrame(rows).set_index("date")
    for g in GROUPS:
        cum = df[f"{g}_value_usd"]
        prev = cum.shift(1).fillna(0.0)  # values start at 0 before the first day
        df[f"{g}_pnl_usd"] = cum - prev
    df["total_pnl_usd"] = df["nav_usd"] - df["nav_usd"].shift(1).fillna(initial_cash_usd)
    return df


class PnLAttribution(bt.Analyzer):
    """Totals per group over the run (daily detail via :func:`attribution`)."""

    def get_analysis(self) -> dict[str, float]:
        records = self.strategy.broker.records
        if not records:
            return {}
        totals = dict.fromkeys(GROUPS, 0.0)
        for comp, value in records[-1].components.items():
            totals[group_of(comp)] += value
        return {f"{g}_pnl_usd": round(v, 2) for g, v in totals.items()}
