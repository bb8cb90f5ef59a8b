"""A run folder's tables of what the book did (:func:`vixhedge.run.run_backtest` builds them): trades.csv (every fill
and where its quote came from), layers.csv (every hedge layer with its hedge cost, by cash flow, by exit and by cause,
and the sessions it was held) and condors.csv (every condor with its P&L)."""

from __future__ import annotations

from dataclasses import fields

import pandas as pd

from analyzers.condor_trades import condor_pnl
from analyzers.hedge_cost import CAUSES, FORCED, sessions_held
from feeds.provenance import quote_origin
from strategies.condor_actions import CONDOR_LOG_COLUMNS
from strategies.layers import LayerLog
from strategies.trader import Trader
from vixhedge.core.desk import Desk

TRADE_COLUMNS = ("date", "component", "symbol", "kind", "expiry", "strike", "right", "qty", "price", "bid", "ask",
                 "mid", "quote", "fee_usd", "reason")  # trades.csv (quote: real / anchored / model, feeds.provenance)
_LAYER_COST_COLUMNS = ("premium_paid_usd", "premium_received_usd", "futures_pnl_usd", "settlement_usd", "fees_usd",
                       "open_marks_usd", "net_pnl_usd", "roll_pnl_usd", "signal_exit_pnl_usd", "settled_pnl_usd",
                       "open_pnl_usd", "vx_roll_carry_usd", "spread_decay_usd", "stress_pnl_usd", *CAUSES,
                       "cost_pct_of_condor_credit")


def trade_table(fills, market) -> pd.DataFrame:
    """Return trades.csv: every fill, with where its quote came from (``quote``: :func:`feeds.provenance.quote_origin`)."""
    return pd.DataFrame([{
        "date": f.date, "component": f.component, "symbol": f.contract.symbol, "kind": f.contract.kind.value,
        "expiry": f.contract.expiry, "strike": f.contract.strike, "right": f.contract.right or "",
        "qty": f.qty, "price": f.price, "bid": f.bid, "ask": f.ask, "mid": round(f.mid, 6),
        "quote": quote_origin(market, f.contract, market.index_of(f.date)), "fee_usd": f.fee_usd,
        "reason": f.reason} for f in fills], columns=TRADE_COLUMNS)  # the header without a fill


def condor_table(trader: Trader, desk: Desk) -> pd.DataFrame:
    """Return condors.csv: the trader's condor log with each condor's P&L (analyzers.condor_trades)."""
    condors = pd.DataFrame(trader.condor_log, columns=[*CONDOR_LOG_COLUMNS, "pnl_usd"])  # the header without one
    if len(condors):
        ledger = desk.ledger
        open_values = {p.contract: ledger.position_value(p) for p in ledger.positions.values() if p.group == "condor"}
        condors["pnl_usd"] = condor_pnl(trader.condor_log, ledger.flows, open_values)
    return condors


def layer_table(trader: Trader, costs: dict[str, dict], span: list) -> pd.DataFrame:
    """Return layers.csv: the trader's layer log, with ``sessions_held`` after ``exit_reason`` (the days of ``span``,
    the run's valid span, whose close found the layer open), joined with each layer's hedge cost."""
    columns = _LAYER_COST_COLUMNS  # with forced_exit_pnl_usd after the policy's exits where a margin call or a ruin
    if any(FORCED in c for c in costs.values()):  # closed a hedge position (analyzers.hedge_cost)
        k = columns.index("signal_exit_pnl_usd") + 1
        columns = (*columns[:k], FORCED, *columns[k:])
    rows = []
    for log in trader.layer_log.values():
        cost = costs.get(f"hedge:L{log.layer_id}", {})
        rows.append({**vars(log), **{k: cost.get(k, 0.0) for k in columns}})
    frame = pd.DataFrame(rows, columns=[*(f.name for f in fields(LayerLog)), *columns])  # the header without one
    frame.insert(frame.columns.get_loc("exit_reason") + 1, "sessions_held",
                 sessions_held(frame["entry_date"], [None if pd.isna(x) else x for x in frame["exit_date"]], span))
    return frame
