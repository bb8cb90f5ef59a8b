"""report.html's hedge P&L by cause: the whole window's table under *Hedge cost* (metrics.json ``hedge_cost``) and
the same causes year by year (daily.csv's :data:`analyzers.hedge_cost.DAILY_CAUSES`), README *Hedge cost* (4)."""

from __future__ import annotations

from collections.abc import Mapping

from analyzers.hedge_cost import CAUSE_NAMES, CAUSES, DAILY_CAUSES
from vixhedge.fmt import num, usd
from vixhedge.html import table
from vixhedge.runfolder import RunFiles


def cause_rows(h: Mapping, vx: bool, options: bool, carry: list) -> list[tuple[str, str, str]]:
    """report.html's Hedge P&L by cause table (metrics.json ``hedge_cost``, :data:`analyzers.hedge_cost.CAUSES`):
    the VX futures' ``carry`` row and VIX move where they traded, the VIX options' marks where they did, the fills
    against mid, the fees and their sum, the net P&L (trial VIS28: the rows sat among the cost table's other views
    and signs)."""
    return [*carry,
            *([("VIX move, daily", usd(h["vx_vix_move_usd"]), "the part the VIX move explains (dF/dVIX x the VIX "
                "change): the exposure held times the VIX's path; a static hedge has one too, so it is no timing "
                "figure alone: vixhedge placebo tests the timing at the same exposure")] if vx else []),
            *([("VIX options' marks, daily", usd(h["option_marks_usd"]), "the options' daily moves while held, to "
                "their payoff at settlement (not split into carry and VIX move)")] if options else []),
            ("fills against mid", usd(h["fills_vs_mid_usd"]), "each hedge fill's price against its quote's mid: the "
             "bid/ask spread paid"),
            ("fees", usd(h["fees_usd"]), "hedge fills"),
            ("sum: the hedge's net P&L", usd(h["net_pnl_usd"]), f"the net cost {usd(h['net_cost_usd'])}'s negative")]


def cause_years(files: RunFiles) -> str:
    """The causes summed per calendar year of the window (trial RS32 scripted it from daily.csv to read the VIX
    move against the carry year by year), beside each year's VIX (from the last close before the year's first
    session in the window, the window's first close in its first year, to its last close) and the layers open at a
    close on average: the exposure the VIX move multiplies. Only the causes the run held (a figure other than 0 on
    some day); none for a run without a layer, within one calendar year, or from a folder written before the split."""
    d, h = files.daily, files.metrics.get("hedge_cost") or {}
    years = d.index.year
    if not set(DAILY_CAUSES) <= set(d.columns) or not h.get("layers_opened") or years[0] == years[-1]:
        return ""
    shown = [(name, col) for name, col in zip(CAUSES, DAILY_CAUSES) if d[col].ne(0).any()]
    vix = d["vix_close"]
    rows, before = [], vix.iloc[0]
    for year, day in d.groupby(years):
        rows.append([str(year), f"{num(before)} to {num(day['vix_close'].iloc[-1])}", num(day["hedge_layers"].mean()),
                     *(usd(day[col].sum()) for _, col in shown), usd(day["hedge_pnl_usd"].sum())])
        before = day["vix_close"].iloc[-1]
    rows.append(["all", f"{num(vix.iloc[0])} to {num(vix.iloc[-1])}", num(d["hedge_layers"].mean()),
                 *(usd(d[col].sum()) for _, col in shown), usd(d["hedge_pnl_usd"].sum())])
    return ("<h3>Hedge P&amp;L by cause, by year</h3>\n<p>daily.csv's causes summed over each calendar year of the "
            "window (its first and last years cut by the window), fees apart, as its <code>hedge_pnl_usd</code>; "
            "the VIX from the year's opening level (the close before its first session, the window's first close in "
            "its first year) to its last close, and the layers open at a close on average: the VIX move is that "
            "exposure times the VIX's moves, so a year's VIX move follows both.</p>\n"
            + table(["year", "VIX", "layers held", *(CAUSE_NAMES[name] for name, _ in shown), "hedge P&L"], rows,
                    "grid"))
