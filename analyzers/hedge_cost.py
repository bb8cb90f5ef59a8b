"""HedgeCost: what the hedge book paid and earned, from the ledger's own cash flows.

Per layer and in total: option premium paid and received, VX futures P&L realised at
exits and rolls (where contango bleed shows), settlement payouts, fees, and the marks of
layers still open. ``net_pnl_usd`` sums them (fees negative); ``net_cost_usd`` is its
negative. Reported also as a share of the condor credit collected and per year.
"""

from __future__ import annotations

from collections import defaultdict

import backtrader as bt

from vixhedge.ledger import Ledger

FIELDS = ("premium_paid_usd", "premium_received_usd", "futures_pnl_usd", "settlement_usd", "fees_usd",
          "open_marks_usd")


def hedge_cost(ledger: Ledger, years: float) -> dict:
    """Return hedge cost totals and per-layer rows from a ledger."""
    per: dict[str, dict[str, float]] = defaultdict(lambda: dict.fromkeys(FIELDS, 0.0))
    for f in ledger.flows:
        if not f.component.startswith("hedge"):
            continue
        row = per[f.component]
        if f.kind == "premium":
            row["premium_paid_usd" if f.amount_usd < 0 else "premium_received_usd"] += f.amount_usd
        elif f.kind == "futures_pnl":
            row["futures_pnl_usd"] += f.amount_usd
        elif f.kind == "settlement":
            row["settlement_usd"] += f.amount_usd
    condor_credit = 0.0
    for fill in ledger.fills:
        if fill.component.startswith("hedge"):
            per[fill.component]["fees_usd"] -= fill.fee_usd
        elif fill.component == "condor" and fill.reason == "open":
            condor_credit -= fill.qty * fill.price * fill.contract.multiplier
    for pos in ledger.positions_of("hedge"):
        per[pos.component]["open_marks_usd"] += ledger.position_value(pos)
    layers = {}
    for comp in sorted(per, key=_layer_order):
        row = {k: round(v, 2) for k, v in per[comp].items()}
        row["net_pnl_usd"] = round(sum(per[comp].values()), 2)
        layers[comp] = row
    total = {k: round(sum(r[k] for r in layers.values()), 2) for k in (*FIELDS, "net_pnl_usd")}
    total["net_cost_usd"] = -total["net_pnl_usd"]
    total["condor_credit_usd"] = round(condor_credit, 2)
    total["cost_pct_of_condor_credit"] = (round(100.0 * total["net_cost_usd"] / condor_credit, 4)
                                          if condor_credit else float("nan"))
    total["net_cost_usd_per_year"] = round(total["net_cost_usd"] / years, 2) if years > 0 else float("nan")
    return {"total": total, "layers": layers}


def _layer_order(component: str) -> tuple[int, int, str]:
    # hedge:L2 before hedge:L10; a component without a layer number (hedge:static) goes last, by name
    tail = component.rsplit("L", 1)[-1]
    return (0, int(tail), component) if tail.isdigit() else (1, 0, component)


class HedgeCost(bt.Analyzer):
    """Hedge cost of the run, computed from the broker's ledger at the end."""

    def start(self) -> None:
        self.days = 0

    def next(self) -> None:
        self.days += 1

    def get_analysis(self) -> dict:
        return hedge_cost(self.strategy.broker.ledger, self.days / 252.0)
