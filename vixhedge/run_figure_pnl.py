"""The attribution figure (attribution.svg, :func:`fig_attribution`): P&L by component, stacked by day, month or
year (:func:`attribution_step`), and the page's caption under it (:func:`attribution_caption`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from vixhedge.frame_checks import run_files
from vixhedge.runfolder import RunFiles
from vixhedge.svgplot import Chart, Svg, day_numbers

if TYPE_CHECKING:  # what a figure takes (run_files), in help()
    from pathlib import Path

    from vixhedge.run import RunResult

FAMILIES = (("condor:put", "tab:blue"), ("condor:call", "tab:cyan"), ("hedge", "tab:red"), ("fees", "tab:gray"),
            ("interest", "tab:olive"), ("ruin_debt", "tab:purple"))  # ruin_debt: a ruined run's written-off debt
#: the attribution legend's words for the FAMILIES, as the page's "P&L by component" table says them (trial VIS42 L7:
#: the legend read "condor:put" beside the table's "condor put spread")
FAMILY_WORDS = {"condor:put": "condor put spread", "condor:call": "condor call spread", "hedge": "hedge (all layers)",
                "interest": "cash interest", "ruin_debt": "ruin debt written off"}


def _families(attribution: pd.DataFrame) -> pd.DataFrame:
    parts = attribution.drop(columns="total_pnl_usd")
    out = pd.DataFrame(index=parts.index)
    for name, _ in FAMILIES:
        cols = [c for c in parts.columns if c == name or c.startswith(f"{name}:")]
        out[name] = parts[cols].sum(axis=1) if cols else 0.0
    return out


YEARLY_MONTHS = 120  # a window over this many months draws a bar a year (240 monthly bars of 3 px hid their totals)


def attribution_step(days: pd.DatetimeIndex) -> str:
    """The attribution chart's bars: "daily" in a window of under three months (its last day before the first plus
    three calendar months: trial VIS42 L1, the 62 sessions 2020-02-03..04-30 touched three months and drew three
    bars), "yearly" in one over :data:`YEARLY_MONTHS` calendar months, else "monthly"."""
    if not len(days) or days[-1] < days[0] + pd.DateOffset(months=3):
        return "daily"
    return "yearly" if days.to_period("M").nunique() > YEARLY_MONTHS else "monthly"


def attribution_caption(files: RunFiles) -> str:
    """The page's caption under attribution.svg, for the bars the chart draws (:func:`attribution_step`; trial
    VIS42 L1: a yearly chart's caption said "Monthly P&L ... the month's total as a dot")."""
    step = attribution_step(files.attribution.index)
    unit = {"daily": "day", "monthly": "month", "yearly": "year"}[step]
    return (f"{step.capitalize()} P&L stacked by component (condor put spread, condor call spread, hedge (all layers), "
            f"fees, cash interest; gains up, losses down, the {unit}'s total as a dot; per day in a window of under "
            "three months, per year over ten years), and cumulative P&L per component.")


def fig_attribution(files: RunFiles | RunResult | str | Path) -> Svg:
    """Monthly P&L stacked by component (gains up, losses down; daily in a window of under three months, where
    one or two wide bars say little; yearly over :data:`YEARLY_MONTHS`) and cumulative P&L per component; each
    bar lies within the window's days of its month (year), so the chart's dates line up with the other charts.

    ``files``: a :class:`~vixhedge.run.RunResult` (run_backtest), a run folder read back (load_run) or its path (a str
    or Path). Returns SVG text (:class:`~vixhedge.svgplot.Svg`, a str a notebook shows inline); a frame edited so it
    cannot be drawn (a column it reads dropped) is one ArgumentError line (:mod:`vixhedge.frame_checks`)."""
    from vixhedge.run_figures import about  # (run_figures draws this figure among the run's: imported there)

    files = run_files(files, "fig_attribution")
    fam = _families(files.attribution)
    step = attribution_step(fam.index)
    if step == "daily":  # a month or two: one or two wide bars say little, the days do
        months, xm, width = fam, day_numbers(fam.index), 0.8
    else:
        period = fam.index.to_period("Y" if step == "yearly" else "M")
        months = fam.groupby(period).sum()
        days = pd.Series(day_numbers(fam.index)).groupby(period.to_numpy())
        first, last = days.min().to_numpy(), days.max().to_numpy()  # the window's days in each month (year)
        # inside them: the x range is the days'
        xm, width = (first + last) / 2, np.clip(last - first, 1.0, 240.0 if step == "yearly" else 20.0)
    chart = Chart(6.5, (1.4, 1), f"{files.config.run.name}: P&L by component, {step} "
                                 "(stacked) and cumulative", subtitle=about(files))
    ax, cum = chart.panels
    scale, unit = (1e6, "USD m") if fam.cumsum().abs().max().max() >= 1e6 else (1e3, "USD k")  # (not 2,000k)
    up, down = np.zeros(len(months)), np.zeros(len(months))
    drawn = [(n, c) for n, c in FAMILIES if n != "ruin_debt" or n in files.attribution.columns]  # ruined runs only
    for name, color in drawn:
        v = months[name].to_numpy() / scale
        gain, loss = np.where(v > 0, v, 0.0), np.where(v < 0, v, 0.0)
        ax.bars(np.concatenate([xm, xm]), np.concatenate([up, down]), np.concatenate([gain, loss]),
                np.concatenate([np.broadcast_to(width, xm.shape)] * 2), color, FAMILY_WORDS.get(name, name))
        up, down = up + gain, down + loss
    ax.markers(xm, months.sum(axis=1).to_numpy() / scale, "o", "black", 3.0,
               f"{dict(daily='day', monthly='month', yearly='year')[step]} total")
    ax.hline(0, "black", 0.8)
    ax.ylabel = f"{step} P&L, {unit}"
    x = day_numbers(fam.index)
    for name, color in drawn:
        cum.line(x, fam[name].cumsum() / scale, color, 1.3, FAMILY_WORDS.get(name, name))
    cum.line(x, files.attribution["total_pnl_usd"].cumsum() / scale, "black", 1.6, "total")
    cum.ylabel = f"cumulative P&L, {unit}"
    return chart.svg()
