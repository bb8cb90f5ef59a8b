"""What a comparison's rows are called and how comparison.csv writes them: the side-by-side table's metrics
(:data:`TABLE_ROWS`: label, kind, which way is better), the paired statistics' labels and directions, and
:func:`table_csv`. :mod:`vixhedge.compare` computes them."""

from __future__ import annotations

import pandas as pd

from vixhedge.sweep_keys import RANK_BY

__all__ = ["BETTER", "PCT_STATS", "STAT_LABELS", "TABLE_ROWS", "ZERO_WHERE_ABSENT", "table_csv"]

PCT_STATS = ("max_drawdown", "cvar95")
#: which way is better for each statistic tested: the ones a sweep can rank its points by, and the total P&L
BETTER = {**RANK_BY, "pnl_usd": "higher"}
STAT_LABELS = {"sharpe": "Sharpe", "max_drawdown": "max drawdown, pts of %", "cvar95": "CVaR 95%, pts of %",
               "hedge_cost_usd": "hedge net cost, USD", "pnl_usd": "total P&L, USD"}


# side-by-side rows: metric key -> (label, formatter kind, which direction is better or None)
TABLE_ROWS = {"end_nav_usd": ("final NAV", "usd", "higher"), "cagr": ("CAGR", "pct", "higher"),
              "ann_vol": ("annualised vol", "pct", None), "sharpe": ("Sharpe", "num", "higher"),
              "max_drawdown": ("max drawdown", "pct", "lower"), "cvar95": ("CVaR 95% (daily)", "pct", "lower"),
              "hedge_cost_usd": ("hedge net cost", "usd", "lower"),
              # its negative by cause (analyzers.hedge_cost.CAUSES; trial RS31), each where a mode held the
              # instrument, $0 for the others
              # (P&L signs, as daily.csv's columns of the same names: trial VIS28 read "hedge: VIX move $26,862"
              # under the net cost's positive figure)
              "hedge_vx_carry_usd": ("hedge P&L: VX carry (roll-down and what the beta misses)", "usd", None),
              "hedge_vx_vix_move_usd": ("hedge P&L: VIX move (exposure held x the VIX's moves)", "usd", None),
              "hedge_option_marks_usd": ("hedge P&L: VIX options' marks", "usd", None),
              "hedge_fills_vs_mid_usd": ("hedge P&L: fills against mid (spread paid)", "usd", None),
              "hedge_fees_usd": ("hedge P&L: fees", "usd", None),
              "pnl_usd": ("total P&L", "usd", "higher"),
              "condor_pnl_usd": ("condor P&L", "usd", "higher"),
              "hedge_pnl_usd": ("hedge P&L", "usd", "higher"), "fees_pnl_usd": ("fees P&L", "usd", "higher"),
              "interest_pnl_usd": ("interest P&L", "usd", "higher"),
              "stress_hedge_pnl_usd": ("hedge P&L on stress days", "usd", "higher"),
              "tail_hedge_pnl_usd": ("hedge P&L on the book's worst 5% of days", "usd", "higher"),
              "median_hedge_ratio": ("hedge ratio, median (hedge / condor vega)", "num", None),
              "ruin_debt_pnl_usd": ("ruin debt written off", "usd", None),
              "hedge_layers": ("hedge layers opened", "int", None),
              "hedge_mean_layers_held": ("hedge layers held, mean at a close", "num", None),
              "hedge_contract_sessions": ("hedge contract-sessions (contracts x sessions held)", "int", None),
              "days_cut_by_caps": ("days cut by capital caps", "int", None),
              "days_with_margin_call": ("days with a margin call", "int", None),
              # what the path needed (trial RS40 M4: a mode's metrics.json alone): analyzers.metrics.capital_needed
              "peak_margin_usd": ("peak margin requirement", "usd", None),
              "capital_needed_usd": ("capital needed at the start (no margin call on this path's trades)", "usd", None),
              "vx_moves_over_maintenance": ("sessions a held VX future lost more than its maintenance margin", "int",
                                            None),
              "ruined": ("ruined", "bool", None)}

#: the rows a mode has only where it had the thing (a ruin, an instrument held): $0 for the other modes
ZERO_WHERE_ABSENT = ("ruin_debt_pnl_usd", "hedge_vx_carry_usd", "hedge_vx_vix_move_usd", "hedge_option_marks_usd")


def table_csv(table: pd.DataFrame) -> str:
    """Return comparison.csv's text: the figures in full (Python's shortest repr that reads back the same float), the
    counts whole, the flags true / false (:func:`vixhedge.compare_read.table` reads it back as floats). Six
    decimals read -1120428.4999996 back as -1120428.5, which the page, drawn from the file, printed -$1,120,429 beside
    the console's -$1,120,428 (trial RS32)."""
    def cell(v, kind: str) -> str:
        if pd.isna(v):
            return ""
        return ("true" if v else "false") if kind == "bool" else str(int(v)) if kind == "int" else repr(float(v))

    kinds = {row: TABLE_ROWS.get(row, ("", "num", None))[1] for row in table.index}
    text = table.astype(object).apply(lambda r: [cell(v, kinds[r.name]) for v in r], axis=1, result_type="broadcast")
    return text.to_csv(lineterminator="\n")
