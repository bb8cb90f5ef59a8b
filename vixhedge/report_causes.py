"""report.html's hedge P&L by cause: the whole window's table under *Hedge cost* (metrics.json ``hedge_cost``) and
the same causes year by year (daily.csv's :data:`analyzers.hedge_cost.DAILY_CAUSES`), README *Hedge cost* (4)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

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


def year_sums(daily: pd.DataFrame, totals: Mapping | None = None) -> pd.DataFrame | None:
    """daily.csv's causes (:data:`DAILY_CAUSES`, named as :data:`CAUSES`) and ``hedge_pnl_usd`` summed per calendar
    year of the window, with the year's VIX (``vix_from``: the last close before its first session in the window, the
    window's first close in its first year; ``vix_to``: its last close) and ``layers``, the layers open at a close on
    average (the exposure the VIX move multiplies); the last row, ``all``, the whole window: its causes metrics.json's
    (``totals``, its ``hedge_cost``: each layer's to the cent, summed) where given, their sum its hedge P&L, so it
    reads as the page's by-cause table (VIS30: VX carry $2,670 there, $2,671 summed from daily.csv). None for a
    daily.csv written before the split."""
    years = daily.index.year
    if not set(DAILY_CAUSES) <= set(daily.columns):
        return None
    vix = daily["vix_close"]
    rows, before = {}, vix.iloc[0]
    for year, day in [*daily.groupby(years), ("all", daily)]:
        rows[str(year)] = {"vix_from": vix.iloc[0] if year == "all" else before, "vix_to": day["vix_close"].iloc[-1],
                           "layers": day["hedge_layers"].mean(),
                           **{c: day[col].sum() for c, col in zip(CAUSES, DAILY_CAUSES)},
                           "hedge_pnl_usd": day["hedge_pnl_usd"].sum()}
        before = day["vix_close"].iloc[-1]
    if totals and all(c in totals for c in CAUSES):
        rows["all"].update({c: float(totals[c]) for c in CAUSES}, hedge_pnl_usd=sum(float(totals[c]) for c in CAUSES))
    return pd.DataFrame.from_dict(rows, orient="index")


def held_causes(daily: pd.DataFrame) -> list[str]:
    """The causes a run held: a figure other than 0 on some day (the options' marks of a VX-future hedge are not)."""
    return [c for c, col in zip(CAUSES, DAILY_CAUSES) if daily[col].ne(0).any()]


def vix_cell(row) -> str:
    return f"{num(row.vix_from)} to {num(row.vix_to)}"


YEAR_WORDS = ("daily.csv's causes summed over each calendar year of the window (its first and last years cut by the "
              "window), fees apart, as its <code>hedge_pnl_usd</code>; the VIX from the year's opening level (the "
              "close before its first session, the window's first close in its first year) to its last close, and "
              "the layers open at a close on average (how much was held; the VIX move is the contracts held times "
              "their dF/dVIX times the VIX's moves, so a year's VIX move follows both)")


def cause_years(files: RunFiles) -> str:
    """report.html's causes per calendar year (:func:`year_sums`; trial RS32 scripted it from daily.csv to read the
    VIX move against the carry year by year), only the causes the run held; none for a run without a layer, within
    one calendar year, or from a folder written before the split."""
    sums = year_sums(files.daily, files.metrics.get("hedge_cost"))
    if sums is None or len(sums) < 3 or not (files.metrics.get("hedge_cost") or {}).get("layers_opened"):
        return ""  # (within one calendar year its one row would be the window's)
    shown = held_causes(files.daily)
    rows = [[year, vix_cell(r), num(r.layers), *(usd(r[c]) for c in shown), usd(r.hedge_pnl_usd)]
            for year, r in sums.iterrows()]
    return (f"<h3>Hedge P&amp;L by cause, by year</h3>\n<p>{YEAR_WORDS}.</p>\n"
            + table(["year", "VIX", "layers held", *(CAUSE_NAMES[c] for c in shown), "hedge P&L"], rows, "grid"))


def compare_years(results: Mapping) -> str:
    """compare's page: each hedged mode's causes held (:func:`held_causes`) and hedge P&L per calendar year, a
    column each, on the one market path (trial RS32: alvh's cost against static's was its VIX move
    in calm years); modes that opened no layer are left out, as is the table within one calendar year; a mode
    ruined before a year reads n/a there."""
    modes = {m: r for m, r in results.items() if (r.metrics.get("hedge_cost") or {}).get("layers_opened")}
    sums = {m: year_sums(r.daily, r.metrics.get("hedge_cost")) for m, r in modes.items()}
    if not sums or any(s is None for s in sums.values()):
        return ""
    first = max(sums.values(), key=len)  # (a mode ruined before a year has no row for it: n/a there)
    if len(first) < 3:  # within one calendar year
        return ""
    shown = {m: held_causes(modes[m].daily) for m in sums}
    cell = lambda s, year, c: usd(s.loc[year, c]) if year in s.index else "n/a"
    rows = [[year, vix_cell(first.loc[year]),
             *(cell(s, year, c) for m, s in sums.items() for c in [*shown[m], "hedge_pnl_usd"])]
            for year in first.index]
    heads = [f"{m}: {name}" for m in sums for name in [*(CAUSE_NAMES[c] for c in shown[m]), "hedge P&L"]]
    return (f"<h2>Hedge P&amp;L by cause, by year</h2>\n<p>For each mode that held a hedge, {YEAR_WORDS} (each "
            "mode's run page has its layers held beside them).</p>\n"
            + table(["year", "VIX", *heads], rows, "grid", (0,)))
