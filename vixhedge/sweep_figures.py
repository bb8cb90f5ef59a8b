"""A sweep page's figures of points against no hedge, beside its heatmaps: every point's ranking metric in sample
against out of sample, and the best point's NAV against the no-hedge and static baselines' day by day (a sweep
folder's ``best_nav.csv``).

The summary runs them anyway (:func:`vixhedge.sweep_summary.summarize`: the best point's run for its provenance
and in-sample returns, the same ``[base]`` config without hedge and under the static hedge for the baseline rows);
their daily NAV is written here so that the page (and ``vixhedge report``, which rebuilds it from the folder) can
draw what the heatmaps only score: where the best point gained or lost against no hedge, in sample and after the
split.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from vixhedge import fmt as F
from vixhedge import html as H
from vixhedge.sweep_text import METRIC_WORDS

FILE = "best_nav.csv"  # date, best_nav_usd, no_hedge_nav_usd, static_nav_usd (six decimals, as the run CSVs)
COLUMNS = ("best_nav_usd", "no_hedge_nav_usd")
STATIC = "static_nav_usd"  # (not in a folder from before the static baseline)


def figure_title(name: str | None, market: dict[str, Any] | None, what: str) -> str:
    """A sweep figure's title: ``sweep NAME: WHAT`` and, on a line of its own, the window, its in-sample split and the
    data (summary.json's ``market``; none in a summary from before it), so a PNG copied out of the page names them
    (trial RS20; visual audit FIG21: the heatmaps, the scatter and the best point's figure named no sweep)."""
    head, m = f"sweep {name}: {what}" if name else what, market or {}
    if not (m.get("first_session") or m.get("window")):
        return head
    span = (f"{m['first_session']} .. {m.get('last_session')} ({m.get('sessions', 0):,} sessions)"
            if m.get("first_session") else f"window {m['window']}")
    span += f", in sample to {m['in_sample_end']}" if m.get("in_sample_end") else ", no in-sample split"
    data = m.get("words") or m.get("source")
    return f"{head}\n{span}" + (f"; data: {data}" if data else "")


def wrapped(title: str, inches: float) -> str:
    """``title``'s lines wrapped to a figure ``inches`` wide in 9-point text (about 12.5 characters an inch)."""
    import textwrap

    return "\n".join(textwrap.fill(line, int(12.5 * inches)) for line in title.split("\n"))


def write_best_nav(folder: Path, best_daily: pd.DataFrame, base_daily: pd.DataFrame,
                   static_daily: pd.DataFrame) -> Path:
    """Write ``folder/best_nav.csv`` from the three runs' daily frames (``nav_usd``, one row per session of the
    window: the same days, the runs share the market path); atomically, so a kill leaves the old file or the new."""
    from vixhedge.atomic import write_file
    from vixhedge.csvout import FLOAT_FORMAT

    best, base, static = (pd.Series(d["nav_usd"].to_numpy(dtype=float),
                                    index=pd.DatetimeIndex(pd.to_datetime(d.index), name="date"))
                          for d in (best_daily, base_daily, static_daily))
    frame = pd.DataFrame({COLUMNS[0]: best, COLUMNS[1]: base.reindex(best.index), STATIC: static.reindex(best.index)})
    return write_file(folder / FILE, frame.to_csv(float_format=FLOAT_FORMAT, lineterminator="\n"))


def read_best_nav(folder: Path) -> pd.DataFrame | None:
    """Return ``best_nav.csv`` (a DatetimeIndex and its two NAV columns), or None where the folder has none (a sweep
    from before it, or one whose every point was ruined: no best point) or it is not what :func:`write_best_nav`
    writes."""
    path = Path(folder) / FILE
    if not path.is_file():
        return None
    frame = pd.read_csv(path, index_col="date", parse_dates=["date"])
    return frame if set(COLUMNS) <= set(frame.columns) and len(frame) > 1 else None


def equity_figure(frame: pd.DataFrame, in_sample_end: dt.date | None, title: str = ""):
    """Return a matplotlib Figure: both NAVs in thousand USD over the window, the split as a dotted line, and below
    them the best point's NAV less the baseline's; ``title`` above (:func:`figure_title`)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(8.4, 4.8))
    top, bottom = fig.subplots(2, 1, sharex=True, gridspec_kw={"height_ratios": [2.2, 1.0]})
    days = frame.index
    top.plot(days, frame[COLUMNS[0]] / 1e3, color="#c0392b", lw=1.1, label="best point")
    top.plot(days, frame[COLUMNS[1]] / 1e3, color="#555", lw=1.0, ls="--", label="no hedge")
    if STATIC in frame:
        top.plot(days, frame[STATIC] / 1e3, color="#1f5fa8", lw=1.0, ls="-.", label="static hedge")
    gap = (frame[COLUMNS[0]] - frame[COLUMNS[1]]) / 1e3
    bottom.fill_between(days, gap, 0.0, where=gap >= 0, interpolate=True, color="#2e8b57", alpha=0.6, lw=0,
                        label="best above")
    bottom.fill_between(days, gap, 0.0, where=gap < 0, interpolate=True, color="#c0392b", alpha=0.6, lw=0,
                        label="best below")
    bottom.axhline(0.0, color="#333", lw=0.6)
    for ax in (top, bottom):
        if in_sample_end is not None:
            ax.axvline(pd.Timestamp(in_sample_end), color="#333", ls=":", lw=1.0,
                       label="end of the in-sample part" if ax is top else None)
        ax.grid(True, alpha=0.3)
    top.set_ylabel("NAV, thousand USD")
    bottom.set_ylabel("best - no hedge\nthousand USD")
    top.legend(loc="best", fontsize=8)
    bottom.legend(loc="best", fontsize=8)
    if title:
        top.set_title(wrapped(title, fig.get_figwidth()), fontsize=9)
    fig.tight_layout()
    return fig


def equity_section(folder: Path, summary: dict[str, Any], name: str | None = None) -> str:
    """The page's "Best point against no hedge" figure with its caption; "" where the folder has no best_nav.csv."""
    frame = read_best_nav(folder)
    if frame is None:
        return ""
    split = (summary.get("market") or {}).get("in_sample_end")
    end_best, end_base = (float(frame[c].iloc[-1]) for c in COLUMNS)
    gap = frame[COLUMNS[0]] - frame[COLUMNS[1]]
    worst = gap.idxmin()
    static = (f" and under the static hedge ({F.usd(float(frame[STATIC].iloc[-1]))})"
              if STATIC in frame and np.isfinite(frame[STATIC].iloc[-1]) else "")
    whose = "[base] config's" if summary.get("baselines_apart") else "config's"  # (a folder from before books)
    caption = (f"The best point's NAV ({F.usd(end_best)} at the end) and the same {whose} without hedge "
               f"({F.usd(end_base)}){static}, every session of the window (best_nav.csv); below, the best point's "
               "less no hedge's: "
               + (f"widest behind no hedge {F.usd(float(gap.min()), signed=True)} on {worst.date()}" if gap.min() < 0
                  else "never behind no hedge")
               + (f"; the dotted line ends the in-sample part ({split}), where the point was chosen: after it the "
                  "curve is out of sample" if split else "; no split: the point was chosen on this whole window")
               + ".")
    title = figure_title(name, summary.get("market"), "the best point against no hedge and the static hedge")
    fig = equity_figure(frame, dt.date.fromisoformat(split) if split else None, title)
    return H.figure("best point against no hedge", "Best point against no hedge", caption, H.png_bytes(fig))


#: the scatter's colours of a key's values (matplotlib's tab10; past ten, again with another marker)
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22",
           "#17becf")
#: a ranking metric's scatter axis: (factor of its values, unit); its words and format are the summary's
SCATTER = {"sharpe": (1.0, ""), "max_drawdown": (100.0, ", %"), "cvar95": (100.0, ", %"),
           "hedge_cost_usd": (1e-3, ", thousand USD")}


def is_graded(results: pd.DataFrame, colour: str | None) -> bool:
    """Whether the scatter shades swept key ``colour``'s values on a colour scale (a colour bar): numbers, more of
    them than :data:`PALETTE` has colours (trial VIS38 H1: 18 values of hedge.macd.fast, colours repeating from the
    eleventh, in a legend of 20 entries over the best points); else a colour a value, in the legend."""
    return (colour is not None and results[colour].nunique() > len(PALETTE)
            and pd.api.types.is_numeric_dtype(results[colour]))


def split_figure(results: pd.DataFrame, baseline: dict[str, Any] | None, best_point: str | None,
                 metric: str = "sharpe", market: dict[str, Any] | None = None, name: str | None = None,
                 none: str = "no hedge", colour: str | None = None):
    """Return a matplotlib Figure: every finished point's ``metric`` (a :data:`SCATTER` key, the one the points were
    ranked by) in sample (x) against out of sample (y), the no-hedge baseline's as dashed lines, the best point
    outlined (``none`` labels the lines), titled with the sweep's ``name``, its window, split and data
    (:func:`figure_title`, summary.json's
    ``market``), each point coloured by its value of the swept key ``colour`` (a legend entry a value); None without
    a split."""
    from matplotlib.figure import Figure

    x, y = f"is_{metric}", f"oos_{metric}"
    if not {x, y} <= set(results.columns):
        return None
    (words, _), (factor, unit) = METRIC_WORDS[metric], SCATTER[metric]
    fig = Figure(figsize=(8.0, 4.6))  # (the legend beside the axes: inside, it hid the best points, trial VIS38 H1)
    ax = fig.subplots()
    graded = is_graded(results, colour)
    if colour is None or graded:
        dots = ax.scatter(results[x] * factor, results[y] * factor, s=16, alpha=0.7, label="a point",
                          **({"c": results[colour], "cmap": "viridis"} if graded else {"c": "#4a7ab5"}))
        if graded:
            fig.colorbar(dots, ax=ax, label=colour)
    for n, (value, g) in enumerate(results.groupby(colour, sort=False) if colour and not graded else ()):
        ax.scatter(g[x] * factor, g[y] * factor, s=16, alpha=0.7, label=f"{colour} = {value}",  # the grid's order
                   c=PALETTE[n % len(PALETTE)], marker="o" if n < len(PALETTE) else "^")
    best = results[results["point"] == best_point]
    if not best.empty:
        under = int(((results[x] == best[x].iloc[0]) & (results[y] == best[y].iloc[0])).sum())
        ax.scatter(best[x] * factor, best[y] * factor, s=90, facecolors="none", edgecolors="#c0392b", lw=2,
                   label="best in sample" + (f" ({under} points on it)" if under > 1 else ""))  # (VIS38 L7: 18, unsaid)
    for line, key in ((ax.axvline, x), (ax.axhline, y)):
        if (baseline or {}).get(key) is not None:
            line(baseline[key] * factor, color="#555", ls="--", lw=1, label=none if key == y else None)
    ax.set_xlabel(f"{words} in sample{unit}")
    ax.set_ylabel(f"{words} out of sample{unit}")
    ax.legend(loc="upper left", bbox_to_anchor=(1.25 if graded else 1.02, 1.0), borderaxespad=0.0, fontsize=8)
    title = figure_title(name, market, f"{words} in sample against out of sample")
    fig.suptitle(wrapped(title, fig.get_figwidth()), fontsize=9)  # (over the figure: the axes, narrowed by the
    # legend and colour bar, cut a title centred on them)
    fig.tight_layout()
    return fig


def split_section(results: pd.DataFrame, summary: dict[str, Any], column: str = "is_sharpe",
                  name: str | None = None) -> str:
    """The in-sample / out-of-sample scatter of the ranking metric (its in-sample ``column``) with its caption
    (rank correlation; points better than no hedge on each side)."""
    from vixhedge.sweep_heatmap import swept_keys
    from vixhedge.sweep_judge import beat_counts, beat_words
    from vixhedge.sweep_marginal import INSTRUMENT, colour_key

    metric = column.removeprefix("is_")
    base = summary.get("baseline_none") or {}
    several = len((summary.get("books") or {}).get("baselines") or ()) > 1  # (the lines: the best point's book's)

    key = colour_key(results, swept_keys(results), column) if column in results.columns else None
    fig = split_figure(results, base, (summary.get("best") or {}).get("point"), metric, summary.get("market"), name,
                       "the best point's book, no hedge" if several else "no hedge", key)
    if fig is None or len(results) < 2:
        return ""
    x, y = f"is_{metric}", f"oos_{metric}"
    oos = summary.get("out_of_sample_rank") or {}  # (the summary's figures where it has them: the console's)
    with np.errstate(invalid="ignore", divide="ignore"):  # a constant column: NaN (pandas before 3.1 warned)
        rho = oos["rank_correlation"] if "rank_correlation" in oos else results[x].rank().corr(results[y].rank())
    n = oos.get("points", len(results))
    words = METRIC_WORDS[metric][0]
    # the console's count (summary.json beat_baselines); a folder from before it: the same function on its files
    counts = summary.get("beat_baselines") or beat_counts(results, {**summary, "rank_by": {"metric": metric}})
    beat = f"; {beat_words(counts, metric)}" if counts else ""
    reason = ("the instrument, swept" if key == INSTRUMENT else
              f"the swept key that explains most of the spread of the in-sample {words}")
    names = "the colour bar gives its values" if is_graded(results, key) else "the legend names its values"
    why = "" if key is None else f", coloured by {key} ({reason}; {names})"
    caption = (f"Each finished point's {words} in sample against out of sample{why}; rank correlation (Spearman) "
               f"{F.num(rho)} over {n} points (1: the points keep their in-sample order out of sample, "
               f"0: none of it carries){beat}; dashed lines: the "
               + ("[base] config" if summary.get("baselines_apart") else "best point's config") + " without hedge.")
    return H.figure(f"in-sample vs out-of-sample {words}", "In sample against out of sample", caption,
                    H.png_bytes(fig))
