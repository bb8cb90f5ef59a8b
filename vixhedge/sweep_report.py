"""A sweep folder's self-contained ``report.html``, drawn from its files alone.

Read (:func:`vixhedge.sweep_load.load_sweep`, checked): ``results.csv`` (one row per point: its swept values,
metrics, IS/OOS metrics when split), ``summary.json`` (best point on the ranking metric, its baselines, deflated
Sharpe, SPA / StepM) and ``invalid.csv``. The swept keys are the columns between ``point`` and the metrics.

Heatmaps: one per pair of swept keys that take two or more values (at most :data:`MAX_PAIRS`, the page says how
many it leaves out), of the ranking metric and of a second one (:func:`cost_metric`), on the span the points were
ranked on, values written in the cells; a slice through the best point (every other swept key held at its value,
said in the caption), never averaged. With an in-sample split, a scatter of every point's ranking metric in sample
against out of sample (:func:`vixhedge.sweep_figures.split_section`).
"""

from __future__ import annotations

import html
import itertools
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from vixhedge import fmt as F
from vixhedge import html as H
from vixhedge.sweep_figures import equity_section, split_section
from vixhedge.sweep_load import load_sweep
from vixhedge.sweep_keys import RANK_BY
from vixhedge.sweep_metrics import CAPITAL_METRICS, RESULT_FIELDS, SIDE_METRICS
from vixhedge.sweep_market import market_lines
from vixhedge.walkforward_page import fold_note
from vixhedge.sweep_text import (ONE_TRIAL, SNOOPING_KEYS, block_caveat, failure_words, negative_sharpe_words,
                                 rank_words, span_words, spa_words, tested, trials_words)

MAX_PAIRS = 15  # every pair of 6 swept keys


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
          "peak_margin_utilisation": "peak margin / NAV", "days_cut_by_capital_caps": "days cut by capital caps"}
_SIDES = (("is_", "in sample"), ("oos_", "out of sample"), ("", "whole window"))


def label(metric: str) -> str:
    """A results.csv / summary.json metric in words, as the heatmaps title it: ``oos_hedge_cost_usd`` ->
    "hedge cost ex fees, out of sample" (no unit: the table's cells carry theirs); other keys unchanged but
    for their underscores."""
    for tag, side in _SIDES:
        if metric.startswith(tag) and metric[len(tag):] in _NAMES:
            return f"{_NAMES[metric[len(tag):]]}, {side}"
    return {"end_nav_usd": "end NAV", "hedge_layers": "hedge layers"}.get(metric, metric.replace("_", " "))


def sharpe_basis(summary: dict[str, Any]) -> str:
    """What the sweep's Sharpe ratios measure excess return over (summary.json's ``sharpe_over``), as a clause:
    "Sharpe ratios are over ... " (empty for a folder from before it was recorded)."""
    over = summary.get("sharpe_over")
    return f"Sharpe ratios are over {html.escape(str(over))}. " if over else ""


def colour_scale(results: pd.DataFrame, col: str, baseline: dict[str, Any] | None,
                 scale: float = 1.0) -> tuple[float, float, float | None]:
    """Return (vmin, vmax, centre) of ``col``'s colours (values divided by ``scale``), one scale for every heatmap
    of a page: the points' span, ``centre`` the no-hedge baseline's value (``baseline[col]``, summary.json's
    ``baseline_none``; None without one), which :func:`colour_map` keeps yellow."""
    v = results[col].to_numpy(dtype=float) / scale
    v = v[np.isfinite(v)]
    base = (baseline or {}).get(col)
    base = float(base) / scale if isinstance(base, (int, float)) and np.isfinite(base) else None
    lo, hi = (float(v.min()), float(v.max())) if v.size else (0.0, 0.0) if base is None else (base, base)
    return (lo, hi, base) if hi > lo else (lo - 1.0, hi + 1.0, base)


def colour_map(name: str, vmin: float, vmax: float, centre: float | None):
    """Return (colour map, norm) spending ``name``'s map on [vmin, vmax], yellow (its middle) at ``centre``, each
    side stretched to the points on it (a symmetric scale left half unused when every point was worse than no hedge);
    every point on one side: that half alone, from yellow at no hedge to the farthest point (a point close to no hedge
    stays close to yellow: the page's convention holds)."""
    from matplotlib import colormaps
    from matplotlib.colors import ListedColormap, Normalize, TwoSlopeNorm

    cmap = colormaps[name]
    if centre is None:
        return cmap, Normalize(vmin, vmax)
    if vmin < centre < vmax:
        return cmap, TwoSlopeNorm(centre, vmin, vmax)
    part = (0.0, 0.5) if vmax <= centre else (0.5, 1.0)
    return ListedColormap(cmap(np.linspace(*part, 256))), Normalize(min(vmin, centre), max(vmax, centre))


def heat_title(metric: str) -> str:
    """A heatmap's title: the metric in words and, but for a Sharpe ratio, its colour bar's unit."""
    unit = VIEWS[metric.removeprefix("is_").removeprefix("oos_")][2]
    return label(metric) + ("" if unit == "Sharpe ratio" else f" ({unit})")


def heatmap_figure(results: pd.DataFrame, x: str, y: str, best: pd.Series, baseline: dict[str, Any] | None = None,
                   metric: str | None = None):
    """Return a matplotlib Figure: the selection ``metric`` (default :func:`selection_metric`) and the heatmaps'
    second metric (:func:`cost_metric`) over (x, y), other keys at best.

    Each metric's colours are the same on every heatmap of the sweep (:func:`colour_scale`, over all its points):
    red-yellow-green, yellow at the no-hedge ``baseline`` (summary.json's ``baseline_none``, named and marked on
    the colour bar), green better than it, red worse (a higher Sharpe, a lower drawdown, CVaR or hedge cost), each
    side spread over its points (:func:`colour_map`)."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Rectangle

    others = [k for k in swept_keys(results) if k not in (x, y)]
    sl = results
    for k in others:
        sl = sl[sl[k] == best[k]]
    metric = metric or selection_metric(results)
    fig = Figure(figsize=(11, 4.2))
    axes = fig.subplots(1, 2)
    for ax, col in ((axes[0], metric), (axes[1], cost_metric(results, metric))):
        cmap, scale, unit, decimals = VIEWS[col.removeprefix("is_")]
        piv = sl.pivot_table(index=y, columns=x, values=col, aggfunc="first")
        data = piv.to_numpy(dtype=float) / scale  # in the colour bar's unit: cells and colour bar alike
        vmin, vmax, centre = colour_scale(results, col, baseline, scale)
        colours, norm = colour_map(cmap, vmin, vmax, centre)
        im = ax.imshow(data, cmap=colours, aspect="auto", origin="lower", norm=norm)
        ax.set_xticks(range(len(piv.columns)), [str(c) for c in piv.columns])
        ax.set_yticks(range(len(piv.index)), [str(i) for i in piv.index])
        ax.set_xlabel(x)
        ax.set_ylabel(y)
        ax.set_title(heat_title(col))

        def fmt(v: float, decimals: int = decimals) -> str:
            return F.num(v, decimals)

        for (i, j), v in np.ndenumerate(data):
            if np.isfinite(v):
                r, g, b, _ = im.cmap(im.norm(v))
                ax.text(j, i, fmt(v), ha="center", va="center", fontsize=7,
                        color="black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white")
        if best[x] in piv.columns and best[y] in piv.index:
            ax.add_patch(Rectangle((list(piv.columns).index(best[x]) - 0.5, list(piv.index).index(best[y]) - 0.5),
                                       1, 1, fill=False, lw=2.2, ec="#1f5fa8"))
        bar = fig.colorbar(im, ax=ax)
        if centre is None:
            bar.set_label(unit)
        elif vmin < centre < vmax:
            bar.ax.axhline(centre, color="black", lw=1.5)
            bar.set_label(f"{unit}; line: no hedge, {fmt(centre)}\n"
                          "green better than no hedge, red worse")
        else:  # RdYlGn: a low value is worse; RdYlGn_r: a high one
            worse = (vmax <= centre) == (cmap == "RdYlGn")
            bar.set_label(f"{unit}; every point {'worse' if worse else 'better'} than no hedge ({fmt(centre)}):\n"
                          f"the {'red' if worse else 'green'} half, from no hedge (yellow) to the farthest")
    fig.tight_layout()
    return fig


def render_sweep(folder: Path, recorded: bool = False) -> str:
    """Return the sweep folder's report as one self-contained HTML document (``recorded``: :func:`load_sweep`)."""
    results, summary, invalid = load_sweep(folder, recorded)
    name = _sweep_name(Path(folder))
    title = html.escape(f"vixhedge sweep {name}")
    keys = swept_keys(results)
    metric = selection_metric(results, summary)
    parts = [H.page_head(title),
             f'<p class="sub">{summary.get("finished", len(results))} of {summary.get("points", "?")} valid points '
             f"finished; {summary.get('invalid', len(invalid))} grid combinations invalid and skipped (invalid.csv); "
             f"swept: {html.escape(', '.join(keys))}; points chosen on {html.escape(label(metric))} "
             f"({better(metric)} is better)</p>\n"]
    parts += [fold_note(Path(folder), name), failure_banner(summary)]
    parts.append(_market_section(summary))
    parts.append(_paths_line(summary))
    parts.append(_best_section(results, summary, keys, metric))
    parts.append(_heatmaps(results, summary, keys, metric))
    parts.append(split_section(results, summary, metric))
    parts.append(equity_section(Path(folder), summary))
    parts.append(_top_points(results, keys, metric))
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _heatmaps(results: pd.DataFrame, summary: dict[str, Any], keys: list[str], metric: str) -> str:
    """A heatmap pair per pair of varied swept keys (at most MAX_PAIRS), each a slice through the best point."""
    chosen = results[results["point"] == (summary.get("best") or {}).get("point")]
    if chosen.empty:  # no summary best point (a ruined point is never ranked)
        return ""
    best, base = chosen.iloc[0], summary.get("baseline_none")
    varied = [k for k in keys if results[k].nunique() > 1]
    colours = ("each metric's colours the same on every heatmap of this page, yellow at the same config without "
               "hedge (the line on the colour bar), green better than it, red worse, each side's colours spread "
               "over the points on that side (every point on one side: that half from no hedge to the farthest point, "
               "the colour bar says so)" if base else
               "each metric's colours the same on every heatmap of this page")
    parts = []
    pairs = list(itertools.combinations(varied, 2))
    for x, y in pairs[:MAX_PAIRS]:
        held = ", ".join(f"{k} = {best[k]}" for k in keys if k not in (x, y)) or "nothing else swept"
        parts.append(H.figure(f"heatmap {x} x {y}", f"{y} x {x}",
                               f"Left {heat_title(metric)}, right {heat_title(cost_metric(results, metric))}, over "
                               f"{x} and {y}; the other swept keys held at the best point's values ({held}); "
                               f"{colours}; the best point is outlined.",
                               H.png_bytes(heatmap_figure(results, x, y, best, base, metric))))
    if len(pairs) > MAX_PAIRS:
        more = len(pairs) - MAX_PAIRS
        parts.append(f"<p>{more} more pair{'s' * (more != 1)} of the {len(varied)} varied keys {'are' if more != 1 else 'is'} "
                     f"not drawn (at most {MAX_PAIRS} heatmaps a page): sweep fewer keys at once, or read "
                     "results.csv.</p>\n")
    if len(varied) < 2:
        parts.append("<p>Fewer than two swept keys vary: no heatmap (see the table of points below).</p>\n")
    return "".join(parts)


TOP = 20  # rows of the Top points table; JUDGE: its columns after the sort key (out-of-sample Sharpe was 16th of 21)
JUDGE = ("is_sharpe", "oos_sharpe", "sharpe", "max_drawdown", "is_max_drawdown", "oos_max_drawdown", "cvar95",
         "is_cvar95", "oos_cvar95", "hedge_cost_usd", "is_hedge_cost_usd", "oos_hedge_cost_usd")


def _top_points(results: pd.DataFrame, keys: list[str], metric: str) -> str:
    """The TOP points by the selection metric: each point's swept values, then the metric it is sorted by, the
    figures that judge a point (:data:`JUDGE`: Sharpe in and out of sample, drawdown, CVaR, hedge cost), the other
    metrics, and ``ruined`` / ``ruin_date`` last; every metric header in words."""
    ascending = better(metric) == "lower"
    top = (results.sort_values(metric, ascending=ascending, kind="stable").head(TOP)  # ties in file (grid) order
           if not results.empty else results)
    last = [c for c in ("ruined", "ruin_date") if c in results.columns]
    judge = [c for c in JUDGE if c in results.columns and c != metric]
    rest = [c for c in results.columns if c not in (*keys, "point", metric, *judge, *last)]
    cols = ["point", *keys, metric, *judge, *rest, *last]
    heads = [c if c == "point" or c in keys else label(c) for c in cols]  # metrics in words, swept keys as given
    shown = f"The {min(TOP, len(results))} of {len(results)} points" if len(results) > TOP else "Every point"
    return (f"<h2>Top points</h2>\n<p>{shown}, sorted by {html.escape(label(metric))}, best first (ties in grid "
            "order).</p>\n"
            + H.table(heads, [[_cell(c, r[c]) for c in cols] for _, r in top.iterrows()], "grid", (0,)))


def failure_banner(summary: dict[str, Any]) -> str:
    """The warning of a sweep some of whose points failed (:func:`vixhedge.sweep_text.failure_words`), "" when
    none did."""
    words = failure_words(summary, "failed.csv (in this folder)")
    return (f'<div class="banner warn"><p><b>Warning:</b> {html.escape(words[0].upper() + words[1:])}.</p></div>\n'
            if words else "")


def _market_section(summary: dict[str, Any]) -> str:
    """The market, window and split the sweep ran on, the best point's prices, the command that reruns it."""
    rec, rows = summary.get("market"), []
    for line in market_lines(rec):
        rows.append(f"<p>{html.escape(line[0].upper() + line[1:])}.</p>\n")
    if rec and rec.get("prices"):
        rows.append(f"<p>The best point's prices: {html.escape(rec['prices'])}</p>\n")
    if summary.get("reproduce"):
        rows.append(f"<p>Reproduce (the spec as run is spec.toml, its resolved [base] config base.toml): "
                    f"<code>{html.escape(summary['reproduce'])}</code></p>\n")
    return "".join(rows)


def _paths_line(summary: dict[str, Any]) -> str:
    """How many finished points (a resumed sweep's earlier ones included) ran on the all-points kernel and on the
    event path, and why."""
    paths = summary.get("paths")
    if not paths:
        return ""
    why = "; ".join(f"{n} x {html.escape(r)}" for r, n in paths.get("event_reasons", {}).items())
    unrecorded = (f"; {paths['unrecorded']} finished before paths were recorded (paths.csv)"
                  if paths.get("unrecorded") else "")
    return (f"<p>Paths (every finished point): {paths.get('kernel', 0)} point(s) on the all-points kernel, "
            f"{paths.get('event', 0)} on the event-driven path{' (' + why + ')' if why else ''}{unrecorded} "
            "(<code>paths.json</code>; rows are equal on both).</p>\n")


def _sweep_name(folder: Path) -> str:
    """The sweep's name as its spec gives it (spec.json), else the folder's name (a folder from before spec.json)."""
    from vixhedge.sweepio import SPEC_FILE

    try:
        return str(json.loads((folder / SPEC_FILE).read_text(encoding="utf-8"))["name"])
    except (OSError, ValueError, KeyError, TypeError):
        return folder.name


_METRICS = {*RESULT_FIELDS, *(f"{t}_{k}" for t in ("is", "oos") for k in (*SIDE_METRICS, *CAPITAL_METRICS))}


def _cell(col: str, v: Any) -> str:
    """A results.csv cell in its column's format: Sharpe 2 decimals, CAGR and drawdowns in %, USD whole dollars,
    layers a count, ``ruined`` yes / no (the day itself in a folder from before ``ruin_date``), ``ruin_date`` the
    day or nothing; never a negative zero."""
    if col == "ruined":
        if isinstance(v, (bool, np.bool_)) or str(v) in ("True", "False"):
            return "yes" if str(v) == "True" else "no"
        return "no" if F.missing(v) or v == "" else H.txt(v)
    if col == "ruin_date":
        return "" if F.missing(v) or v == "" else H.txt(v)
    number = isinstance(v, (float, np.floating, int, np.integer)) and not isinstance(v, bool)
    if not number or F.missing(float(v)) or col not in _METRICS:
        return H.txt(v)  # a swept value as the spec wrote it, a point's key, a missing metric
    v = float(v)
    if col.endswith("_usd"):
        return F.usd(v)
    if col.endswith(("max_drawdown", "cagr", "cvar95", "margin_utilisation")):
        return F.pct(v)
    if col.endswith(("hedge_layers", "days_cut_by_capital_caps")):
        return F.num(v, 0)
    return F.num(v, 2)  # Sharpe ratios


def _best_section(results: pd.DataFrame, summary: dict[str, Any], keys: list[str], metric: str) -> str:
    best, base, static = (summary.get(k) or {} for k in ("best", "baseline_none", "baseline_static"))
    if not best:
        return "<h2>Best point</h2>\n<p>No finished point.</p>\n"
    rows = [(k, H.txt(best.get(k)), "swept") for k in keys]
    for m in (f"{t}{k}" for k in (*SIDE_METRICS, "end_nav_usd", "hedge_layers", *CAPITAL_METRICS) for t in ("", "is_", "oos_")):
        if m in best:
            fmt = F.pct if m.endswith(("drawdown", "cvar95", "utilisation")) else (F.usd if m.endswith("_usd") else (
                (lambda v: F.num(v, 0)) if m.endswith(("hedge_layers", "capital_caps")) else F.num))
            rows.append((label(m), fmt(best[m]), "; ".join(f"{name}: {fmt(b[m])}" for name, b in
                                                          (("no hedge", base), ("static", static)) if m in b)))
    if "deflated_sharpe_ratio" in summary:
        rows.append(("deflated Sharpe ratio", F.num(summary["deflated_sharpe_ratio"], 3),
                     ONE_TRIAL if summary.get("trials") == 1 else
                     f"probability the best in-sample point's true Sharpe is above 0 given {trials_words(summary)} (against 0, "
                     "not no hedge)"
                     + (f", counted as {summary['trials_counted']}" if summary.get("trials_counted")
                        and summary.get("trials") == summary.get("trial_points") else "")
                     + " (Bailey & Lopez de Prado 2014)"))
    elif metric.startswith("is_") and metric != "is_sharpe":
        rows.append(("deflated Sharpe ratio", "none", f"the points were ranked by {rank_words(summary)}: the "
                     "deflation corrects the highest of N Sharpe ratios (rank by sharpe to get it)"))
    for key in SNOOPING_KEYS:
        rows += _snooping_rows(summary.get(key) or {})
    rows += [(title, "note", words) for title, words in (("SPA / StepM and the ranking", spa_words(summary)),
                                                         ("ranked by Sharpe", negative_sharpe_words(summary))) if words]
    chosen = "in sample (up to the split)" if metric.startswith("is_") else "on the whole window"
    ties = summary.get("best_ties") or 0
    chosen += f", tied with {ties} other point{'s' * (ties > 1)} (the first in grid order)" if ties else ""
    beside = "without hedge and under the static hedge" if static else "without hedge"
    return (f"<h2>Best point</h2>\n<p>Chosen {chosen} on {html.escape(label(metric))} ({better(metric)} is better); "
            f"out-of-sample figures are what the chosen settings did next. {sharpe_basis(summary)}Beside each "
            f"metric, the same config {beside}.</p>\n"
            + H.kv_table(rows))


def _snooping_rows(sn: dict[str, Any]) -> list[tuple[str, str, str]]:
    """SPA and StepM against one baseline (summary.json's ``snooping`` or ``snooping_static``) as table rows."""
    against = sn.get("against", "no hedge")  # (a folder from before ``against``: its one test was against no hedge)
    rows, (tail, by, _) = [], tested(sn)
    if "spa_pvalue" in sn:
        rows += [(f"{tail}SPA p-value, against {against}", F.num(sn["spa_pvalue"], 3),
                  f"Hansen 2005, consistent (lower {F.num(sn['spa_pvalue_lower'], 3)}, upper "
                  f"{F.num(sn['spa_pvalue_upper'], 3)}): is the best of {sn['points_tested']} points {by} better than "
                  f"{sn['benchmark']}{span_words(sn)}? {sn['reps']} stationary-bootstrap draws, {sn['block_days']}-day blocks"
                  + (f", seed {sn['seed']}, Monte-Carlo error \u00b1{F.num(sn['spa_mc_se'], 3)}" if sn.get("spa_mc_se")
                     else "")),
                 (f"{tail}StepM points better than {against}", str(sn["stepm_superior"]),
                  f"Romano & Wolf 2005 at {F.pct(sn['stepm_size'], 0)} family-wise error; best point among them: "
                  f"{'yes' if sn['best_in_stepm_set'] else 'no'}")]
        if sn.get("note"):
            rows.append((f"{tail}SPA / StepM against {against}", "not testable", sn["note"]))
        if block_caveat(sn):
            rows.append((f"{tail}SPA / StepM caveat, against {against}", f"{sn['block_days']}-day blocks",
                         block_caveat(sn)))
    elif sn.get("note"):
        rows.append((f"{tail}SPA / StepM against {against}", "n/a", sn["note"]))
    return rows


def write_sweep_report(folder: Path, recorded: bool = False) -> Path:
    """Write (or rewrite) ``folder/report.html`` from the folder's files; return its path. ``recorded``: the
    files' sha256 were just recorded (the end of a sweep): they are not hashed again to check them."""
    return H.write_page(Path(folder) / "report.html", render_sweep(folder, recorded))
