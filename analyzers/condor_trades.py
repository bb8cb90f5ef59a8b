"""Per-condor P&L and trade statistics (pure, no backtrader).

A condor's P&L is every ledger cash flow on its four legs (the SPX options of its expiry at its
strikes and rights) from its entry day to its exit day (on to their expiry for the wings its exit left open,
condors.csv ``wings_left``), fees included (premium received and paid,
cash settlement, the fees of its fills), plus the marks of its legs still open at the end of the run
(a condor that has not exited, or such a wing). One condor is open at a time and a roll opens an untraded expiry,
so a leg's flows belong to exactly one condor; the condors' P&L plus their fees sum to the condor
group's P&L plus the condor fills' fees (tested).

Trade statistics over closed condors (an open one is excluded and counted apart): count, win rate,
average win and loss, expectancy (mean P&L per condor), profit factor (gross wins / gross losses),
the share of condors closed by the stop, best and worst.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence

from vixhedge.core.instruments import Contract, Kind, Right

LEGS = (("long_put", Right.PUT), ("short_put", Right.PUT), ("short_call", Right.CALL), ("long_call", Right.CALL))


def _legs(row: Mapping) -> tuple[tuple[dt.date, float, Right], ...]:
    """A condor's distinct legs in :data:`LEGS` order: its P&L sums their flows in that order, so the total's last
    bit does not move with the process's hash seed (a set's order of dates and enums does; perf18's finding)."""
    return tuple(dict.fromkeys((row["expiry"], float(row[name]), right) for name, right in LEGS))


def _is_open(row: Mapping) -> bool:
    exit_date = row.get("exit_date")
    return exit_date is None or (isinstance(exit_date, float) and math.isnan(exit_date))


def condor_pnl(condors: Sequence[Mapping], flows: Iterable, open_values: Mapping[Contract, float]) -> list[float]:
    """Return each condor's P&L in USD (fees included; open legs at their last marks).

    ``flows`` are the ledger's cash flows (``date``, ``amount_usd``, ``contract``); ``open_values``
    the value of each open SPX option position at the end of the run.
    """
    by_leg: dict[tuple[dt.date, float, Right], list[tuple[dt.date, float]]] = {}
    for f in flows:
        c = f.contract
        if c is not None and c.kind is Kind.SPX_OPTION:
            by_leg.setdefault((c.expiry, float(c.strike), c.right), []).append((f.date, f.amount_usd))
    out = []
    for row in condors:
        legs = _legs(row)
        start = row["entry_date"]  # to its exit, or on: a wing its exit left open settles at its expiry
        wings = row.get("wings_left")
        end = None if _is_open(row) or (isinstance(wings, str) and wings) else row["exit_date"]
        total = sum(amount for leg in legs for date, amount in by_leg.get(leg, ())
                    if date >= start and (end is None or date <= end))
        if end is None:
            total += sum(v for c, v in open_values.items() if (c.expiry, float(c.strike), c.right) in legs)
        out.append(round(total, 2))
    return out


def trade_stats(pnl: Sequence[float], exit_reasons: Sequence[str], open_flags: Sequence[bool]) -> dict[str, float]:
    """Return trade statistics of the closed condors (see the module docstring)."""
    closed = [(p, r) for p, r, o in zip(pnl, exit_reasons, open_flags) if not o]
    wins = [p for p, _ in closed if p > 0]
    losses = [p for p, _ in closed if p <= 0]
    n = len(closed)
    nan = float("nan")
    gross_loss = -sum(losses)
    return {
        "condors_closed": n, "condors_open": int(sum(open_flags)),
        "win_rate": len(wins) / n if n else nan,
        "avg_win_usd": sum(wins) / len(wins) if wins else nan,
        "avg_loss_usd": sum(losses) / len(losses) if losses else nan,
        "expectancy_usd": sum(p for p, _ in closed) / n if n else nan,
        "profit_factor": sum(wins) / gross_loss if gross_loss > 0 else nan,
        "stop_share": sum(r == "stop" for _, r in closed) / n if n else nan,
        "best_usd": max((p for p, _ in closed), default=nan),
        "worst_usd": min((p for p, _ in closed), default=nan),
    }
