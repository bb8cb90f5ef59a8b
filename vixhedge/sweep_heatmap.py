"""A sweep page's heatmaps and the words its metrics go by (:mod:`vixhedge.sweep_report` draws the page).

The swept keys are the columns of results.csv between ``point`` and the metrics. One heatmap pair per pair of
swept keys that take two or more values (at most :data:`MAX_PAIRS`: beyond it those whose cells explain most of the
ranking metric's spread, the page naming the pairs it leaves out, :func:`chosen_pairs`): the
ranking metric and a second one (:func:`cost_metric`), on the span the points were ranked on, values written in the
cells; a slice through the best point (every other swept key held at its value, said in the caption), never averaged;
titled with the sweep, its window and its data (:func:`vixhedge.sweep_figures.figure_title`).
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from analyzers.hedge_cost import CAUSE_NAMES
from vixhedge import fmt as F
from vixhedge import html as H
from vixhedge.sweep_figures import figure_title, wrapped
from vixhedge.sweep_keys import RANK_BY
from vixhedge.sweep_metrics import RESULT_FIELDS

MAX_PAIRS = 15  # every pair of 6 swept keys
CELL_FONT, CELL_FONT_CELLS = 9, 8  # a cell's value in points, on grids of up to that many rows and columns (7 on
# larger ones): trial VIS30 read 7-point cell values, the only way to a cell's figure, as 6 pixels tall at 1100 px
CELL_TEXT_CELLS = 10  # no value written in the cells of a grid with more rows or columns (trial VIS38 M3: on 18 x 21
# cells the numbers ran into each other, a minus sign into the number before it; RD39 L1: at 12, "109.7103.6127.4"
# on a hedge-cost panel; 10 x 10 reads apart; the colour bar reads them)


def swept_keys(results: pd.DataFrame) -> list[str]:
    """Return the swept keys: the columns of results.csv between ``point`` and the metrics."""
    cols = list(results.columns)
    return cols[1:cols.index(RESULT_FIELDS[0])]


def selection_metric(results: pd.DataFrame, summary: dict[str, Any] | None = None) -> str:
    """The column the points were ranked by (summary.json's ``rank_by``), Sharpe (in sample when split) for a
    folder from before it."""
    column = ((summary or {}).get("rank_by") or {}).get("column")
    if column in results.columns:
        return column
    return "is_sharpe" if "is_sharpe" in results.columns else "sharpe"


def better(metric: str) -> str:
    """"higher" or "lower": which way ``metric`` (a results.csv column, ``is_`` / ``oos_`` ones too) is better."""
    return RANK_BY.get(metric.removeprefix("is_").removeprefix("oos_"), "higher")


def cost_metric(results: pd.DataFrame, metric: str = "sharpe") -> str:
    """The heatmaps' second metric on the selection ``metric``'s span (in sample when split): the hedge cost, or
    the Sharpe ratio when the points are ranked by hedge cost."""
    other = "sharpe" if metric.endswith("hedge_cost_usd") else "hedge_cost_usd"
    return f"is_{other}" if f"is_{other}" in results.columns else other


#: how a heatmap draws a metric: (colour map, divisor of its values, colour bar unit, decimals); green is better
VIEWS = {"sharpe": ("RdYlGn", 1.0, "Sharpe ratio", 2), "max_drawdown": ("RdYlGn_r", 0.01, "% of NAV", 1),
         "cvar95": ("RdYlGn_r", 0.01, "% of NAV a day", 2), "hedge_cost_usd": ("RdYlGn_r", 1000.0, "thousand USD", 1)}

_NAMES = {"sharpe": "Sharpe", "cagr": "CAGR", "max_drawdown": "max drawdown", "hedge_cost_usd": "hedge cost ex fees",
          "condor_pnl_usd": "condor P&L ex fees", "cvar95": "CVaR 95% (daily)",
          "peak_margin_utilisation": "peak margin / NAV", "days_cut_by_capital_caps": "days cut by capital caps",
          "days_with_margin_call": "days with a margin call", "capital_needed_usd": "capital needed",
          "peak_margin_usd": "peak margin requirement",
          **{f"hedge_{k}": f"hedge P&L: {name}" for k, name in CAUSE_NAMES.items()}}  # (results.csv's CAUSE_FIELDS)
_SIDES = (("is_", "in sample"), ("oos_", "out of sample"), ("", "whole window"))


def label(metric: str) -> str:
    """A results.csv / summary.json metric in words, as the heatmaps title it: ``oos_hedge_cost_usd`` ->
    "hedge cost ex fees, out of sample" (no unit: the table's cells carry theirs); other keys unchanged but
    for their underscores."""
    for tag, side in _SIDES:
        if metric.startswith(tag) and metric[len(tag):] in _NAMES:
            return f"{_NAMES[metric[len(tag):]]}, {side}"
    return {"end_nav_usd": "end NAV", "hedge_layers": "hedge layers opened"}.get(metric, metric.replace("_", " "))


def as_written(v: Any) -> float | None:
    """A baseline's figure as results.csv writes a point's (10 significant digits: vixhedge.sweepio), so a point
    that is its own baseline compares level with it (trial RS26: unhedged points "beat" their own book by 4e-12 and
    drew a green half on the colour bar); None for a missing one."""
    return float(f"{float(v):.10g}") if isinstance(v, (int, float)) and np.isfinite(v) else None


def own_baseline(results: pd.DataFrame, books: dict[str, Any] | None, col: str,
                 mode: str = "none") -> pd.Series | None:
    """Each row's own book's no-hedge value of ``col`` (``mode`` "static": under the static hedge; summary.json
    ``books``' ``baselines``, matched on the book's values of the grid's keys outside [hedge]:
    :mod:`vixhedge.sweep_books`); None where the points share one book (their baseline is summary.json's
    ``baseline_none``)."""
    rows = (books or {}).get("baselines") or []
    if len(rows) < 2:
        return None

    def same(v: Any) -> Any:  # 1 and 1.0, True and 1, 0.1666666666666 and 0.1666666667: as the CSV reads them back
        try:
            return as_written(float(v))
        except (TypeError, ValueError):
            return str(v)

    keys = list(rows[0]["values"])
    value = {tuple(same(b["values"][k]) for k in keys): as_written((b.get(mode) or {}).get(col)) for b in rows}
    own = [value.get(tuple(same(v) for v in r)) for r in results[keys].itertuples(index=False)]
    return pd.Series(own, index=results.index, dtype=float)


def colour_scale(results: pd.DataFrame, col: str, baseline: dict[str, Any] | None,
                 scale: float = 1.0, own: pd.Series | None = None) -> tuple[float, float, float | None]:
    """Return (vmin, vmax, centre) of ``col``'s colours (values divided by ``scale``), one scale for every heatmap
    of a page: the points' span, ``centre`` the no-hedge baseline's value (``baseline[col]``, summary.json's
    ``baseline_none``; None without one), which :func:`colour_map` keeps yellow. With ``own``
    (:func:`own_baseline`) the colours are each point's difference from its own book without hedge, centre 0."""
    v = results[col].to_numpy(dtype=float) / scale
    if own is not None:
        v = v - own.to_numpy(dtype=float) / scale
    v = v[np.isfinite(v)]
    base = 0.0 if own is not None else as_written((baseline or {}).get(col))
    base = base / scale if base is not None else None
    lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 0.0) if base is None else (base, base)
    return (lo, hi, base) if hi > lo else (lo - 1.0, hi + 1.0, base)


def colour_map(name: str, vmin: float, vmax: float, centre: float | None):
    """Return (colour map, norm) spending ``name``'s map on [vmin, vmax], yellow (its middle) at ``centre``: a point's
    colour says how far it is from no hedge, the same distance the same depth of green or red. Points on both sides:
    a scale symmetric about ``centre``, as far each way as the farthest point (visual audit FIG21: each side stretched
    to its own points drew a $1.2k saving as dark green as an $85k cost was red); every point on one side: that half
    alone, from yellow at no hedge to the farthest point (the unused half of a symmetric scale dropped)."""
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap, Normalize

    cmap = colormaps[name]
    if centre is None:
        return cmap, Normalize(vmin, vmax)
    if vmin < centre < vmax:
        reach = max(centre - vmin, vmax - centre)
        return cmap, Normalize(centre - reach, centre + reach)
    part = (0.0, 0.5) if vmax <= centre else (0.5, 1.0)
    return ListedColormap(cmap(np.linspace(*part, 256))), Normalize(min(vmin, centre), max(vmax, centre))


def heat_title(metric: str) -> str:
    """A heatmap's title: the metric in words and, but for a Sharpe ratio, its colour bar's unit."""
    unit = VIEWS[metric.removeprefix("is_").removeprefix("oos_")][2]
    return label(metric) + ("" if unit == "Sharpe ratio" else f" ({unit})")


def heatmap_figure(results: pd.DataFrame, x: str, y: str, best: pd.Series, baseline: dict[str, Any] | None = None,
                   metric: str | None = None, name: str | None = None, market: dict[str, Any] | None = None,
                   books: dict[str, Any] | None = None):
    """Return a matplotlib Figure: the selection ``metric`` (default :func:`selection_metric`) and the heatmaps'
    second metric (:func:`cost_metric`) over (x, y), other keys at best; titled with the sweep's ``name``, window and
    data (summary.json's ``market``, :func:`vixhedge.sweep_figures.figure_title`).

    Each metric's colours are the same on every heatmap of the sweep (:func:`colour_scale`, over all its points):
    red-yellow-green, yellow at the no-hedge ``baseline`` (summary.json's ``baseline_none``, named and marked on
    the colour bar), green better than it, red worse (a higher Sharpe, a lower drawdown, CVaR or hedge cost), on a
    scale symmetric about it (:func:`colour_map`); with several ``books`` (summary.json's), each point's colour is
    its difference from its own book without hedge (:func:`own_baseline`)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    others = [k for k in swept_keys(results) if k not in (x, y)]
    sl = results
    for k in others:
        sl = sl[sl[k] == best[k]]
    metric = metric or selection_metric(results)
    held = "the other swept keys at the best point's values" if others else "nothing else swept"
    title = wrapped(figure_title(name, market, f"{y} x {x}, {held}"), 11.0)
    fig = Figure(figsize=(11, 4.2 + 0.4 * max(0, title.count("\n") - 1)))  # (room for a colour bar's long label)
    axes = fig.subplots(1, 2)
    for ax, col in ((axes[0], metric), (axes[1], cost_metric(results, metric))):
        cmap, scale, unit, decimals = VIEWS[col.removeprefix("is_")]
        piv = sl.pivot_table(index=y, columns=x, values=col, aggfunc="first")
        data = piv.to_numpy(dtype=float) / scale  # in the colour bar's unit: cells and colour bar alike
        own = own_baseline(results, books, col)
        shade = data if own is None else data - sl.assign(own=own).pivot_table(
            index=y, columns=x, values="own", aggfunc="first", dropna=False).reindex_like(piv).to_numpy(float) / scale
        vmin, vmax, centre = colour_scale(results, col, baseline, scale, own)
        colours, norm = colour_map(cmap, vmin, vmax, centre)
        im = ax.imshow(shade, cmap=colours, aspect="auto", origin="lower", norm=norm)
        ax.set_xticks(range(len(piv.columns)), [str(c) for c in piv.columns])
        ax.set_yticks(range(len(piv.index)), [str(i) for i in piv.index])
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.set_title(heat_title(col))

        def fmt(v: float, decimals: int = decimals) -> str:
            return F.num(v, decimals)

        for (i, j), v in np.ndenumerate(data):
            if np.isfinite(v) and max(data.shape) <= CELL_TEXT_CELLS:
                r, g, b, _ = im.cmap(im.norm(shade[i, j]))
                size = CELL_FONT if max(data.shape) <= CELL_FONT_CELLS else 7
                ax.text(j, i, fmt(v), ha="center", va="center", fontsize=size,
                        color="black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white")
        if best[x] in piv.columns and best[y] in piv.index:
            ax.add_patch(Rectangle((list(piv.columns).index(best[x]) - 0.5, list(piv.index).index(best[y]) - 0.5),
                                       1, 1, fill=False, lw=2.2, ec="#1f5fa8"))
        bar = fig.colorbar(im, ax=ax)
        if centre is None:
            bar.set_label(unit)
        elif own is not None:  # each point's difference from its own book without hedge (several books)
            bar.ax.axhline(centre, color="black", lw=1.5) if vmin < centre < vmax else None
            worse = (vmax <= centre) == (cmap == "RdYlGn")
            bar.set_label(f"{unit} less its own book's without hedge;\n" + (
                "line: level; green better, red worse" if vmin < centre < vmax else
                f"no point {'better' if worse else 'worse'}: the {'red' if worse else 'green'} half"))
        elif vmin < centre < vmax:
            bar.ax.axhline(centre, color="black", lw=1.5)
            bar.set_label(f"{unit}; line: no hedge, {fmt(centre)}\n"
                          "green better than no hedge, red worse")
        else:  # RdYlGn: a low value is worse; RdYlGn_r: a high one
            worse = (vmax <= centre) == (cmap == "RdYlGn")
            bar.set_label(f"{unit}; every point {'worse' if worse else 'better'} than no hedge ({fmt(centre)}):\n"
                          f"the {'red' if worse else 'green'} half, from no hedge (yellow) to the farthest point")
    fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    return fig


def chosen_pairs(results: pd.DataFrame, metric: str, varied: list[str]
                 ) -> tuple[list[tuple[tuple[str, str], float | None]], list[tuple[tuple[str, str], float]]]:
    """The pairs of ``varied`` keys a page draws and those it leaves out, each with its share: every pair in the
    grid's order when there are at most :data:`MAX_PAIRS` (share None: not computed); else the MAX_PAIRS whose cells
    explain most of ``metric``'s spread, largest first (:func:`vixhedge.sweep_marginal.ordered_pairs`; trial RS39
    M4: the 6 left out by the grid's order were every layering pair)."""
    from vixhedge.sweep_marginal import ordered_pairs

    pairs = list(itertools.combinations(varied, 2))
    if len(pairs) <= MAX_PAIRS:
        return [(p, None) for p in pairs], []
    ranked = ordered_pairs(results, metric, varied)
    return list(ranked[:MAX_PAIRS]), ranked[MAX_PAIRS:]


def heatmaps(results: pd.DataFrame, summary: dict[str, Any], keys: list[str], metric: str,
             name: str | None = None) -> str:
    """A heatmap pair per pair of varied swept keys (at most MAX_PAIRS), each a slice through the best point, titled
    with the sweep's ``name``."""
    chosen = results[results["point"] == (summary.get("best") or {}).get("point")]
    if chosen.empty:  # no summary best point (a ruined point is never ranked)
        return ""
    best, base = chosen.iloc[0], summary.get("baseline_none")
    varied = [k for k in keys if results[k].nunique() > 1]
    books = summary.get("books") if len((summary.get("books") or {}).get("baselines") or ()) > 1 else None
    same = ("the same config without hedge" if books is None else
            f"each point's own book (its {', '.join(books['keys'])}) without hedge, a colour its difference from it")
    colours = (f"each metric's colours the same on every heatmap of this page, yellow at {same} (the line on the "
               "colour bar), green better than it, red worse, on a scale symmetric about it as far as the farthest "
               "point (the same colour depth, the same distance from no hedge; every point on one side: that half "
               "alone, the colour bar says so)" if base else
               "each metric's colours the same on every heatmap of this page")
    from vixhedge.sweep_marginal import share_words

    parts, (drawn, left) = [], chosen_pairs(results, metric, varied)
    if left:  # (above the heatmaps, each drawn one's share in its heading: trial VIS38 L1, after the 15 before)
        names = "; ".join(f"{y} x {x} ({share_words(share)})" for (x, y), share in left)
        parts.append(f"<p>{len(left)} more pair{'s' * (len(left) != 1)} of the {len(varied)} varied keys "
                     f"{'are' if len(left) != 1 else 'is'} not drawn (at most {MAX_PAIRS} heatmaps a page): {names}. "
                     f"Drawn below are the {MAX_PAIRS} pairs whose cells explain most of the spread of {label(metric)} "
                     "over the points (the share in brackets, in each heading too: between-cell sum of squares over "
                     "the total), largest first; the table of each key's values gives every key's best and median; "
                     "or sweep fewer keys at once, or read results.csv.</p>\n")
    for (x, y), share in drawn:
        held = ", ".join(f"{k} = {best[k]}" for k in keys if k not in (x, y)) or "nothing else swept"
        crowded = max(results[x].nunique(), results[y].nunique()) > CELL_TEXT_CELLS
        unlabelled = (f"; a side of more than {CELL_TEXT_CELLS} values: no figure in the cells, the colour bar reads "
                      "them" if crowded else "")
        parts.append(H.figure(f"heatmap {x} x {y}", f"{y} x {x}" + (f" ({share_words(share)})" if left else ""),
                               f"Left {heat_title(metric)}, right {heat_title(cost_metric(results, metric))}, over "
                               f"{y} (rows) and {x} (columns); the other swept keys held at the best point's values "
                               f"({held}); {colours}; the best point is outlined{unlabelled}.",
                               H.png_bytes(heatmap_figure(results, x, y, best, base, metric, name,
                                                          summary.get("market"), books))))
    if len(varied) < 2:
        parts.append("<p>Fewer than two swept keys vary: no heatmap (see the table of points below).</p>\n")
    return "".join(parts)
