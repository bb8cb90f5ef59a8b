"""A sweep folder's self-contained ``report.html``, drawn from its files alone.

Read (:func:`vixhedge.sweep_load.load_sweep`, checked): ``results.csv`` (one row per point: its swept values,
metrics, IS/OOS metrics when split), ``summary.json`` (best point on the ranking metric, its baselines, deflated
Sharpe, SPA / StepM) and ``invalid.csv``. The swept keys are the columns between ``point`` and the metrics.

The heatmaps and the metrics' words: :mod:`vixhedge.sweep_heatmap`. With an in-sample split, a scatter of every
point's ranking metric in sample against out of sample (:func:`vixhedge.sweep_figures.split_section`); the best
point's NAV against no hedge (:func:`vixhedge.sweep_figures.equity_section`). Every figure is titled with the sweep's
name, window and data (a PNG copied out of the page names them).
"""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from vixhedge import fmt as F
from vixhedge import html as H
from vixhedge.page_style import REBUILD
from vixhedge.sweep_figures import equity_section, split_section
from vixhedge.sweep_heatmap import better, heatmaps, label, selection_metric, swept_keys
from vixhedge.sweep_judge import beat_words, paired_section
from vixhedge.sweep_load import load_sweep
from vixhedge.sweep_marginal import marginal_section
from vixhedge.sweep_metrics import CAPITAL_METRICS, CAUSE_FIELDS, RESULT_FIELDS, SIDE_METRICS
from vixhedge.sweep_market import market_lines, plugin_lines
from vixhedge.walkforward_page import fold_note
from vixhedge.rankings import rankings_note
from vixhedge.sweepio import FIGURES
from vixhedge.sweep_text import (METRIC_WORDS, ONE_TRIAL, SNOOPING_KEYS, apart_words, block_caveat, called_words,
                                 failure_words, negative_sharpe_words, oos_rank_words, rank_words, span_words,
                                 spa_words, tested, tests_apart_words, trials_words)


def sharpe_basis(summary: dict[str, Any]) -> str:
    """What the sweep's Sharpe ratios measure excess return over (summary.json's ``sharpe_over``), as a clause:
    "Sharpe ratios are over ... " (empty for a folder from before it was recorded)."""
    over = summary.get("sharpe_over")
    return f"Sharpe ratios are over {html.escape(str(over))}. " if over else ""


def render_sweep(folder: Path, recorded: bool = False) -> str:
    """Return the sweep folder's report as one self-contained HTML document (``recorded``: :func:`load_sweep`)."""
    results, summary, invalid = load_sweep(folder, recorded)
    name = sweep_name(Path(folder))
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
    parts.append(paired_section(summary))
    with H.default_style():  # the same bytes whatever the user's matplotlibrc
        parts.append(heatmaps(results, summary, keys, metric, name))
        parts.append(marginal_section(results, keys, metric, better(metric) == "higher",
                                      METRIC_WORDS[metric.removeprefix("is_")][1]))
        parts.append(split_section(results, summary, metric, name))
        parts.append(equity_section(Path(folder), summary, name))
    parts.append(_top_points(results, keys, metric, summary.get("trials")))
    parts.append(f"<p>{REBUILD}</p>\n</body>\n</html>\n")
    return "".join(parts)


TOP = 20  # rows of the Top points tables; JUDGE: its columns after the sort key (out-of-sample Sharpe was 16th of 21)
JUDGE = ("is_sharpe", "oos_sharpe", "sharpe", "max_drawdown", "is_max_drawdown", "oos_max_drawdown", "cvar95",
         "is_cvar95", "oos_cvar95", "hedge_cost_usd", "is_hedge_cost_usd", "oos_hedge_cost_usd")
PNL = ("end_nav_usd", "cagr", "condor_pnl_usd", "is_condor_pnl_usd", "oos_condor_pnl_usd", *CAUSE_FIELDS,
       "hedge_layers")  # the second table's columns; the capital metrics (each side) the third's


def _top_points(results: pd.DataFrame, keys: list[str], metric: str, trials: int | None = None) -> str:
    """The TOP points by the selection metric in tables of the same rows, each row numbered and led by the point's
    swept values (trial VIS30: one table of 43 columns showed 14 in its box): how they rank (the metric they are
    sorted by, then the figures that judge a point, :data:`JUDGE`), their P&L (:data:`PNL`, any other metric, the
    point's key last) and the capital they take over the whole window (``ruined`` / ``ruin_date`` after, when a
    point shown was ruined); a column that is 0 for every point shown is named, not drawn; metrics in words;
    ``trials``: the deflated Sharpe's count of distinct in-sample results, said where it differs from the tables'."""
    if results.empty:
        return "<h2>Top points</h2>\n<p>No finished point.</p>\n"
    top, counts, distinct = top_results(results, keys, metric)
    shown = f"The {min(TOP, len(results))} of {len(results)} points" if len(results) > TOP else "Every point"
    grouped = max(counts) > 1  # points that repeat one result: a row for them all (trial RS39 L2)
    inside = (f"; {trials} distinct in sample, the trials the deflated Sharpe ratio counts" if trials and
              trials != distinct else "")  # (trial VIS38 L4: "(17)" beside the deflated Sharpe's "15 trials")
    shown = (f"The {len(top)} best of {distinct} distinct results ({len(results)} points{inside})"
             if grouped and distinct > TOP else
             f"Every distinct result of the {len(results)} points ({distinct}{inside})" if grouped else shown)
    judge = [c for c in JUDGE if c in results.columns and c != metric]
    capital = [c for c in CAPITAL_METRICS if c in results.columns and c != metric]  # (sides: results.csv)
    last = [c for c in ("ruined", "ruin_date") if c in results.columns]
    sides = [f"{t}_{c}" for t in ("is", "oos") for c in CAPITAL_METRICS]
    rest = [c for c in results.columns if c not in (*keys, "point", metric, *judge, *capital, *sides, *last)]
    pnl = [c for c in PNL if c in rest] + [c for c in rest if c not in PNL]
    zero = [c for c in (*pnl, *capital) if (pd.to_numeric(top[c], errors="coerce") == 0).all()]
    ruined = bool(last) and any(_cell("ruined", v) != "no" for v in top[last[0]])
    parts = [f"<h2>Top points</h2>\n<p>{shown}, sorted by {html.escape(label(metric))}, best first (ties in grid "
             "order), in tables of the same rows: how they rank, their P&amp;L, the capital they take (# numbers the "
             "rows alike; results.csv holds every column, the capital's in and out of sample too, a row per "
             "point).</p>\n"]
    if grouped:
        parts.append("<p>A row is a result: points whose every figure in results.csv is the same (keys that changed "
                     "nothing there, e.g. layering settings with no review) share one row, their number under "
                     "<i>points</i>, the values of the keys that differ among them joined by \" / \", the first "
                     "point's key and how many more.</p>\n")
    for title, cols in (("", [metric, *judge]), ("<h3>Their P&amp;L</h3>\n", [*pnl, "point"]),
                        ("<h3>The capital they take</h3>\n", [*capital, *(last if ruined else ())])):
        cols = [*keys, *(c for c in cols if c not in zero)]
        if cols == keys:
            continue  # (a folder from before the capital metrics)
        many = grouped and not title  # (the count in the first table)
        heads = ["#", *(["points"] if many else []), *(c if c in keys else label(c) for c in cols)]  # keys as given
        rows = [[str(n), *([str(k)] if many else []), *(_cell(c, r[c]) for c in cols)]
                for n, ((_, r), k) in enumerate(zip(top.iterrows(), counts), 1)]
        parts.append(title + H.table(heads, rows, "grid", (len(heads) - 1,) if cols[-1] == "point" else ()))
    if zero:
        parts.append(f"<p>Not drawn, 0 for every point shown: {html.escape('; '.join(label(c) for c in zero))}.</p>\n")
    if last and not ruined:
        parts.append("<p>No point shown was ruined (its columns not drawn).</p>\n")
    return "".join(parts)


def top_results(results: pd.DataFrame, keys: list[str], metric: str) -> tuple[pd.DataFrame, list[int], int]:
    """The :data:`TOP` best distinct results by ``metric`` (ties in grid order): a row per result, the first of the
    points whose every column but the keys and the point is the same (as results.csv writes it), each key that
    differs among them its values joined by " / ", the point its key and "(+N more)"; each row's number of points;
    how many distinct results the points hold."""
    ordered = results.sort_values(metric, ascending=better(metric) == "lower", kind="stable")
    same = pd.util.hash_pandas_object(ordered[[c for c in ordered.columns if c not in (*keys, "point")]], index=False)
    heads = same[~same.duplicated()]
    rows, counts = [], []
    for sig in heads.head(TOP):
        group = ordered[(same == sig).to_numpy()]
        row = group.iloc[0].astype(object)
        for k in keys:
            values = list(pd.unique(group[k]))
            if len(values) > 1:
                row[k] = " / ".join(str(v) for v in sorted(values, key=lambda v: (str(type(v)), v)))
        if len(group) > 1:
            row["point"] = f"{row['point']} (+{len(group) - 1} more)"
        rows.append(row)
        counts.append(len(group))
    return pd.DataFrame(rows, columns=ordered.columns), counts, int(len(heads))


def failure_banner(summary: dict[str, Any]) -> str:
    """The warning of a sweep some of whose points failed (:func:`vixhedge.sweep_text.failure_words`), "" when
    none did."""
    words = failure_words(summary, "failed.csv (in this folder)")
    return (f'<div class="banner warn"><p><b>Warning:</b> {html.escape(words[0].upper() + words[1:])}.</p></div>\n'
            if words else "")


def _market_section(summary: dict[str, Any]) -> str:
    """The market, window and split the sweep ran on, the best point's prices, the command that reruns it."""
    rec, rows = summary.get("market"), []
    for line in market_lines(rec) + plugin_lines(summary):
        rows.append(f"<p>{html.escape(line[0].upper() + line[1:])}.</p>\n")
    if rec and rec.get("prices"):  # a data banner, as the run, compare and walk-forward pages show it (trial VIS22)
        warn = " warn" * ((rec.get("modelled_share") or 0.0) > 0.5)  # (feeds.provenance's rests_on_model)
        rows.insert(0, f'<div class="banner{warn}"><p><b>Data:</b> the best point\'s prices: '
                       f"{html.escape(rec['prices'])}</p></div>\n")
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
    return (f"<p>Paths (every finished point): {F.plural(paths.get('kernel', 0), 'point')} on the all-points kernel, "
            f"{paths.get('event', 0)} on the event-driven path{' (' + why + ')' if why else ''}{unrecorded} "
            "(<code>paths.json</code>; rows are equal on both).</p>\n")


def sweep_name(folder: Path) -> str:
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
    if col.endswith(("hedge_layers", "days_cut_by_capital_caps", "days_with_margin_call")):
        return F.num(v, 0)
    return F.num(v, 2)  # Sharpe ratios


def _best_section(results: pd.DataFrame, summary: dict[str, Any], keys: list[str], metric: str) -> str:
    best, base, static = (summary.get(k) or {} for k in ("best", "baseline_none", "baseline_static"))
    if not best:
        return "<h2>Best point</h2>\n<p>No finished point.</p>\n"
    rows = [(k, H.txt(best.get(k)), "swept") for k in keys]
    shown = (*SIDE_METRICS, *CAUSE_FIELDS, "end_nav_usd", "hedge_layers", *CAPITAL_METRICS)  # (causes: whole window)
    for m in (f"{t}{k}" for k in shown for t in ("", "is_", "oos_")):
        if m in CAUSE_FIELDS and not any(b.get(m) for b in (best, base, static)):
            continue  # (an instrument neither the best point nor a baseline held: a row of $0, as the console omits)
        if m in best:
            fmt = F.pct if m.endswith(("drawdown", "cvar95", "utilisation")) else (F.usd if m.endswith("_usd") else (
                (lambda v: F.num(v, 0)) if m.endswith(("hedge_layers", "capital_caps", "margin_call")) else F.num))
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
    if summary.get("beat_baselines"):  # (the console's count and the scatter's: sweep_judge)
        rows.append(("points beating the baselines", "",  # (trial VIS38 L5: a value cell of "count", or "note")
                     beat_words(summary["beat_baselines"], metric.removeprefix("is_"))))
    if (oos := summary.get("out_of_sample_rank")) and summary.get("rank_by"):
        rows.append(("rank out of sample", f"{oos['test_rank'] or 'n/a'} of {oos['points']}", oos_rank_words(summary)))
    ranked = rankings_note(summary.get("rankings"), (summary.get("rank_by") or {}).get("metric"))
    rows += [(title, "", words) for title, words in (("baselines", apart_words(summary)),
                                                         ("margin calls", called_words(summary)),
                                                         ("what the tests compare", tests_apart_words(summary)),
                                                         ("SPA / StepM and the ranking", spa_words(summary)),
                                                         ("ranked by Sharpe", negative_sharpe_words(summary)),
                                                         ("ranked by more than one metric", ranked)) if words]
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
                  + (f", seed {sn['seed']}, Monte-Carlo error \u00b1{F.num(sn['spa_mc_se'], 3)} (1 s.e.)"
                     if sn.get("spa_mc_se") else "")),
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
    """Write (or rewrite) ``folder/report.html`` from the folder's files, and its figures as PNG files in
    ``folder/figures`` (one step: a figure the page no longer draws goes); return the page's path. ``recorded``: the
    files' sha256 were just recorded (the end of a sweep): they are not hashed again to check them."""
    from vixhedge.atomic import atomic_folder

    folder = Path(folder)
    with H.collecting_figures() as figures:
        page = render_sweep(folder, recorded)
    old = {p.name for p in (folder / FIGURES).iterdir()} if (folder / FIGURES).is_dir() else set()
    with atomic_folder(folder, FIGURES, stale=old) as tmp:
        for name, image in figures:
            H.write_page(tmp / figure_file(name), image)
    return H.write_page(folder / "report.html", page)


def figure_file(name: str) -> str:
    """The file name of the page's figure ``name`` ("heatmap hedge.macd.fast x hedge.macd.slow" ->
    ``heatmap_hedge.macd.fast_x_hedge.macd.slow.png``)."""
    return "_".join(name.split()).replace("/", "-") + ".png"
