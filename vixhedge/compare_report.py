"""The comparison's page: report.html and its figures, written from a compare folder's files alone.

:func:`rebuild_comparison_report` is what `vixhedge report <compare folder>` runs; :func:`vixhedge.compare.
write_comparison` draws the page the same way, from the files it has just written.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np
import pandas as pd

from vixhedge.compare import STATS, Comparison
from vixhedge.compare_rows import BETTER, PCT_STATS, STAT_LABELS
from vixhedge.compare_family import holm_cells, identical_modes, twin_modes
from vixhedge.compare_text import (baseline, ci_words, comparison_caveats, data_provenance, mode_notes, no_ratio_modes,
                                   paired_cells, sharpe_caveats, sharpe_words, shown_paired, split_caveats, table_rows)
from vixhedge.compare_condors import condor_fills, run_books
from vixhedge.compare_rules import variant_rule_lines
from vixhedge.compare_read import compare_plugins, read_comparison, reproduce_command
from vixhedge.extensions import plugin_words
from vixhedge.caveats import in_html
from vixhedge.fmt import source_words, usd_k
from vixhedge.page_banners import provenance_banner, ruin_banner
from vixhedge.report_causes import compare_years
from vixhedge.report_periods import compare_section
from vixhedge.verdicts import HOLM_P_WORDS

def fig_overlay(cmp: Comparison):
    """Return a matplotlib Figure: the modes' NAV, drawdown and cumulative hedge P&L on one time axis.

    A mode that repeats an earlier one day for day (:func:`same_lines`) is dashed over it and its legend label says
    "(same as <mode>)" (trial FIG21: a variant whose rule never acted hid alvh's line in every panel); the legend
    sits under the panels, as many names a row as fit, so a long variant name does not narrow the plot."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 9))
    axes = fig.subplots(3, 1, sharex=True, gridspec_kw={"height_ratios": [3, 1.5, 2]})
    same, colors = same_lines(cmp.results), line_colors()
    for n, (mode, res) in enumerate(cmp.results.items()):
        d = res.daily
        x = pd.to_datetime(d.index)
        k = list(same).index(mode) if mode in same else -1  # the k-th copy: its dashes offset from the others'
        style = ({"ls": (2 * k, (4, 4))} if mode in same else {"ls": LINE_STYLES[n // len(colors) % len(LINE_STYLES)]})
        style["color"] = colors[n % len(colors)]
        every = max(1, len(d) // MARKS_PER_LINE)  # each mode's marks a share of the gap after the one before's
        style |= {"marker": MARKERS[n % len(MARKERS)], "markersize": 4.5,
                  "markevery": (n * every // len(cmp.results) % every, every)}
        label = f"{mode} (same as {same[mode]})" if mode in same else mode
        ruin = res.metrics.get("ruin")
        label += f" (RUINED {ruin['date']}: flat after)" if ruin else ""
        line = axes[0].plot(x, d["nav_usd"] / 1e6, lw=1, label=label, **style)[0]
        axes[1].plot(x, -100 * d["drawdown"], lw=0.8, **style)
        axes[2].plot(x, d["hedge_value_usd"] / 1e3, lw=0.9, **style)
        for ax in axes if ruin else ():  # (trial VIS30: static dropped to 0 unmarked)
            ax.axvline(pd.Timestamp(ruin["date"]), color=line.get_color(), lw=0.8, ls=":")
    for ax, label in zip(axes, ("NAV, USD m", "drawdown %", "hedge P&L, USD k")):
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
    handles, names = axes[0].get_legend_handles_labels()
    axes[2].legend(handles, names, loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=legend_columns(names),
                   fontsize=8, frameon=False)
    axes[0].set_title(f"{cmp.config.run.name}: hedge modes on the same market path{_about(cmp)}", fontsize=10)
    fig.tight_layout()
    return fig


def line_colors() -> list:
    """The overlay's line colours, matplotlib's ten (tab10), each mode past them in the same colours in the next of
    :data:`LINE_STYLES` (trial RS38 M2: with 13 modes the default cycle drew two pairs alike; trial VIS36: tab20's
    lighter tones read as the same hue)."""
    from matplotlib import colormaps

    return list(colormaps["tab10"].colors)


#: the line style of the overlay's first ten modes, the next ten, the ten after (dash-dot, then dotted)
LINE_STYLES = ("-", "-.", ":")
#: each mode's marker, on its line every 1/:data:`MARKS_PER_LINE` of the window and in the legend: the lines told
#: apart without their colour (trial VIS42 L6: static's orange and alvh's green, two olives under deuteranopia,
#: crossed in the drawdown panel)
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")
MARKS_PER_LINE = 8


LEGEND_CHARS = 170  # characters a row of overlay.png's legend holds (8-point text across 11 inches)


def legend_columns(names: list[str]) -> int:
    """The most columns whose row fits :data:`LEGEND_CHARS`: each column as wide as its longest name plus its line
    sample (about 8 characters), the names split into columns as matplotlib's legend splits them."""
    for ncol in range(len(names), 1, -1):
        rows, large = divmod(len(names), ncol)  # (matplotlib.legend: the first ``large`` columns take one more)
        ends = np.cumsum([rows + 1] * large + [rows] * (ncol - large))
        if sum(max(map(len, names[e - n:e])) + 8 for e, n in zip(ends, np.diff(ends, prepend=0))) <= LEGEND_CHARS:
            return ncol
    return 1


SAME_USD = 1e-6  # the run CSVs' last decimal: two modes closer than this every day draw one line


def same_lines(results: dict) -> dict[str, str]:
    """Return ``{mode: the first earlier mode it repeats}``: the same NAV and hedge P&L (so drawdown) every day,
    within :data:`SAME_USD` (compare_text's :func:`~vixhedge.compare_text.identical_modes` says it of a mode and
    the baseline from their paired statistics; here any two modes, from the lines the overlay draws)."""
    cols = ["nav_usd", "hedge_value_usd"]
    frames = {m: r.daily[cols].to_numpy(dtype=float) for m, r in results.items()}
    out: dict[str, str] = {}
    for i, (mode, a) in enumerate(frames.items()):
        for other, b in list(frames.items())[:i]:
            if other not in out and a.shape == b.shape and np.allclose(a, b, rtol=0.0, atol=SAME_USD, equal_nan=True):
                out[mode] = other
                break
    return out


PANELS_PER_ROW = 3  # the forest plot's statistics a row


def fig_paired(cmp: Comparison):
    """Return a matplotlib Figure: each mode's paired difference vs the baseline per statistic, with its CI
    (the modes named on the first panel, top to bottom in paired.csv's order as the page's table lists them, one
    identical to the baseline or to an earlier mode named ``(same as X)``, as the caveats say; titles wrapped, sized
    by the modes' number and longest name)."""
    import textwrap

    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator, NullLocator

    p = shown_paired(cmp)
    modes = list(dict.fromkeys(p["mode"]))
    same = dict.fromkeys(identical_modes(p), baseline(cmp))  # (trial RS38 L7: a twin's row repeated its twin's
    same.update(twin_modes(p[~p["mode"].isin(same)]))  # unmarked; the overlay labels them so)
    names = [f"{m} (same as {same[m]})" if m in same else m for m in modes]
    stats = [s for s in STATS if s in set(p["stat"])]  # (a folder written before a statistic has no panel of it)
    # at most three panels a row (trial VIS42 M2: five in one row made a 1,947 px PNG, its text 6 px at 800 px)
    cols = min(len(stats), PANELS_PER_ROW)
    rows_n = -(-len(stats) // cols)
    fig = Figure(figsize=(2.5 * cols + 0.08 * max((len(m) for m in names), default=0),
                          rows_n * (1.2 + 0.45 * max(1, len(modes))) + 0.3))
    grid = fig.subplots(rows_n, cols, squeeze=False, sharey=True)
    for ax in grid.flat[len(stats):]:
        fig.delaxes(ax)  # (an empty slot of the last row)
    axes = grid.flat[:len(stats)]
    for ax, stat in zip(axes, stats):
        rows = p[p["stat"] == stat].set_index("mode").reindex(modes)
        # a Sharpe n/a in the table is not drawn (review 27: static's -73 set the axis)
        rows.loc[rows["na_leg"].notna(), ["diff", "ci_low", "ci_high"]] = np.nan
        scale = 100.0 if stat in PCT_STATS else 1.0
        y = np.arange(len(rows))
        # the bar drawn about its middle and the estimate on it apart: an estimate outside its own CI (a skewed
        # bootstrap) made matplotlib refuse a negative error and the command end in an internal error (trial STAT32)
        ax.errorbar(scale * (rows["ci_low"] + rows["ci_high"]) / 2, y, xerr=scale * (rows["ci_high"] - rows["ci_low"])
                    / 2, fmt="none", capsize=3, color="#1f5fa8")
        ci = np.isfinite(rows["ci_low"].to_numpy(float)) & np.isfinite(rows["ci_high"].to_numpy(float))
        ax.plot(scale * rows["diff"].where(ci), y, "o", color="#1f5fa8")
        ax.plot(scale * rows["diff"].where(~ci), y, "o", color="#1f5fa8", mfc="none")  # no CI: hollow (VIS36 M3)
        if rows["diff"].isna().all():  # (trial VIS30: a blank panel, a ruined leg's Sharpe)
            ax.text(0.5, 0.5, "n/a", transform=ax.transAxes, ha="center", va="center", color="#555")
        ax.axvline(0.0, color="#888", lw=0.8)
        ax.xaxis.set_major_locator(NullLocator() if rows["diff"].isna().all()  # (review 30: n/a's ticks meant nothing)
                                   else MaxNLocator(nbins=3 if stat.endswith("_usd") else 4))  # ($ labels are wider)
        if stat.endswith("_usd"):
            ax.xaxis.set_major_formatter(FuncFormatter(_usd_k))
        label, better = STAT_LABELS[stat], f"({BETTER[stat]} is better)"
        ax.set_title(f"{label} {better}" if len(label + better) < 26 else f"{textwrap.fill(label, 26)}\n{better}",
                     fontsize=9)
        ax.grid(alpha=0.3, axis="x")
    for row in grid:  # (shared: each row's first panel names the modes)
        row[0].set_yticks(np.arange(len(modes)), names)
    axes[0].set_ylim(len(modes) - 0.3, -0.7)  # the first mode on top, as in the table above the figure
    fig.suptitle(f"{cmp.config.run.name}: paired difference vs {baseline(cmp)} (95% CI){_about(cmp)}", fontsize=10)
    fig.tight_layout()
    return fig


def _about(cmp: Comparison) -> str:
    """The figures' window and data, on a line of their own (a PNG copied out of the page names them, as a run's SVGs
    do; trial RS20); "" for a comparison without daily frames."""
    res = next(iter(cmp.results.values()), None)  # (every mode runs the same days on the same data)
    days = getattr(getattr(res, "daily", None), "index", ())
    if not len(days):
        return ""
    mf = getattr(res, "manifest", None)  # a folder read back, or a RunResult and its market
    ruined = [f"{m} ruined {r.metrics['ruin']['date']}" for m, r in cmp.results.items() if r.metrics.get("ruin")]
    return (f"\n{days[0]:%Y-%m-%d} .. {days[-1]:%Y-%m-%d} ({len(days):,} sessions); data "
            f"{source_words(mf.get('data_source') if mf else res.market.data.source)}"
            + (f"\n{', '.join(ruined)}: its paired days end there, its lines flat after" if ruined else ""))  # VIS30


def _usd_k(v: float, _pos=None) -> str:
    """A money tick in thousands: -$100k, $0, $2.5k."""
    return usd_k(v, 1, trim=True)


def render_comparison(cmp: Comparison, home: Path, run_ids: dict[str, str], figures: dict[str, bytes],
                      rid: str | None = None) -> str:
    """Return the comparison's self-contained report.html (inline PNGs, no script, no network); ``home``: the
    folder it lands in, as its commands name it; ``rid``: the id the compare gave it (a copy keeps it, as a run
    folder keeps its run id; default: ``home``'s name)."""
    from vixhedge import html as H
    from vixhedge.runfolder import shown_path

    t, p = cmp.table, shown_paired(cmp)
    first = next(iter(cmp.results.values())).daily.index
    title = html.escape(f"vixhedge comparison {rid or home.name}")
    rows = table_rows(t, no_ratio_modes(cmp))
    same = identical_modes(p)  # (said in a caveat line, not tested)
    holm_p = holm_cells(p) if "p_value" in p else None  # (a folder written before p-values: no column)
    paired_rows = [[*paired_cells(r), *([holm_p[r.Index] or "n/a"] if holm_p is not None else [])]
                   for r in p.itertuples() if r.mode not in same]
    window, caveats = split_caveats(comparison_caveats(cmp, p))
    window_banner = "".join(f"<p><b>Caveat:</b> {in_html(c.removeprefix('window caveat: '))}.</p>" for c in window)
    links = "".join(f'<li><a href="runs/{html.escape(run_ids[m])}/report.html">{html.escape(m)}</a> '
                    f"(this folder's <code>runs/{html.escape(run_ids[m])}</code>)</li>\n" for m in cmp.results)
    engine = next(iter(cmp.results.values())).engine
    plugs = compare_plugins(cmp)  # (trial API39 M1: named beside the modes, their sources in Reproduce)
    names = "; plug-ins " + plugin_words(plugs, list(cmp.results), sources=False) if plugs else ""  # (FUZZ40 M3)
    parts = [H.page_head(title),
             f'<p class="sub">{html.escape(str(first[0])[:10])} .. {html.escape(str(first[-1])[:10])} ({len(first):,} '
             f"trading days); modes {html.escape(', '.join(cmp.results))} on ONE market path; config "
             f"{html.escape(cmp.config.run.name)}; engine {html.escape(engine)}{html.escape(names)}</p>\n",  # VIS35 L5
             *[ruin_banner(r.metrics, m) for m, r in cmp.results.items()],
             provenance_banner({"data_provenance": data_provenance(cmp)}),  # the modes' marks and fills together
             _variant_list(cmp), "<h2>Side by side</h2>\n",
             f'<div class="banner warn">{window_banner}</div>\n' if window_banner else "",  # over the table (VIS30)
             H.table(["metric", *t.columns], rows, "grid", (0,)),
             f"<p>Sharpe: {html.escape(sharpe_words(cmp))}.</p>\n",
             *(f"<p>{html.escape(c)}.</p>\n" for c in sharpe_caveats(cmp)), _condor_list(cmp),
             f"<h2>Paired differences vs {html.escape(baseline(cmp))}</h2>\n",
             *_paired_section(p, paired_rows, figures),
             *(f"<p>{in_html(c)}.</p>\n" for c in caveats),
             # the modes' notes under the tables, not over them (trial VIS42 M1: two of them pushed the tables off
             # the first screen)
             *(f'<div class="banner"><p><b>Note:</b> {in_html(n)}.</p></div>\n' for n in mode_notes(cmp)),
             H.figure("overlay.png", "NAV, drawdown and hedge P&L", "The modes' NAV, drawdown from the running "
                       "peak, and cumulative hedge P&L on the same market path.", figures.get("overlay.png")),
             compare_years(cmp.results), compare_section(cmp.results), "<h2>The runs</h2>\n<ul>\n" + links + "</ul>\n",
             "<h2>Reproduce</h2>\n",
             H.table(("", ""), [("config", cmp.config.run.name), ("seed", str(cmp.config.run.seed)),
                                 *([("plug-ins", plugin_words(plugs, list(cmp.results)))] if plugs else []),
                                 ("command", reproduce_command(cmp, shown_path(home / "config.toml"))),
                                 ("rebuild this report", f"vixhedge report {shown_path(home)}")], "narrow",
                     unbroken=(1,)),
             "</body>\n</html>\n"]
    return "".join(parts)


#: the paired table's words on its Holm p column (paired.csv ``p_holm``; trial RS37 L4: in the caveat line only)
HOLM_P = f"; {HOLM_P_WORDS}; n/a: not tested (its verdict or the caveats below say why)"


def _paired_section(p: pd.DataFrame, rows: list, figures: dict) -> list[str]:
    """The paired differences' words, table (a Holm p column where the folder has p-values) and figure; none for a
    window too short for them (its caveat says so)."""
    from vixhedge import html as H

    if p.empty:
        return []
    holm_p = "p_value" in p
    return [f"<p>Mode minus baseline on the same days; 95% confidence intervals ({html.escape(ci_words(p))}), "
            f"the same resampled days for both legs of each pair. Drawdown and CVaR differences are in percentage "
            f"points; a positive hedge-net-cost difference (fees included, as in each run's report) means the mode "
            f"spent more on its hedge. The verdict says "
            f"whether the mode is better or worse than the baseline with the CI excluding 0, each at its own 95%"
            + (HOLM_P if holm_p else "") + ".</p>\n",
            H.table(["mode", "statistic", "difference", "95% CI", "verdict", *(["Holm p"] if holm_p else [])], rows,
                    "grid", (0, 1, 4)),
            H.figure("paired.png", "Forest plot of the paired differences", "Each mode's paired difference with "
                     "its 95% CI; a hollow dot has none (not tested: its verdict says why); the grey line is no "
                     "difference.", figures.get("paired.png"))]  # (VIS35 L6)


def _variant_list(cmp: Comparison) -> str:
    """What each variant mode is (:func:`vixhedge.compare_variants.variant_words`) and what it did to the rules
    (:func:`vixhedge.compare_rules.variant_rule_lines`); "" without any."""
    from vixhedge.compare_variants import variant_words

    items = "".join(f"<li>{html.escape(w)}</li>\n" for w in variant_words(cmp.config, cmp.variants))
    if not items:
        return ""
    rules = "".join(f"<li>{html.escape(w.removeprefix('rules, '))}</li>\n" for w in variant_rule_lines(cmp))
    out = "<p>Variants (<code>--variant</code>): this comparison's config with keys changed, each run as a mode:</p>\n"
    out += f"<ul>\n{items}</ul>\n"
    if rules:
        out += ("<p>What each variant did to the rules (bars each acted, metrics.json <code>rules_fired</code>):</p>\n"
                f"<ul>\n{rules}</ul>\n")
    return out


def _condor_list(cmp: Comparison) -> str:
    """Per mode, whether its condor fills are the baseline's (measured, :func:`vixhedge.compare_condors.condor_fills`)."""
    items = "".join(f"<li>{html.escape(m)}: {html.escape(w)}</li>\n"
                    for m, w in condor_fills(run_books(cmp.results), baseline(cmp)).items())
    return f"<p>Condor fills, each mode's trades.csv against the baseline's:</p>\n<ul>\n{items}</ul>\n"


def rebuild_comparison_report(folder: Path) -> Path:
    """Redraw a compare folder's figures and rewrite its report.html from its files alone; return its path."""
    return write_report(Path(folder), Path(folder))


def write_report(folder: Path, home: Path) -> Path:
    """Write ``folder``'s figures and report.html, naming ``home`` (where the folder lands) in its commands.

    Its files are checked and read first (:func:`read_comparison`)."""
    from vixhedge import html as H

    cmp, names = read_comparison(folder)
    with H.default_style():  # the same bytes whatever the user's matplotlibrc
        figures = {"overlay.png": H.png_bytes(fig_overlay(cmp)),
                   **({"paired.png": H.png_bytes(fig_paired(cmp))} if not cmp.paired.empty else {})}
    for name, png in figures.items():
        (folder / name).write_bytes(png)
    rid = json.loads((folder / "comparison.json").read_text(encoding="utf-8")).get("id")  # (older folders: none)
    return H.write_page(folder / "report.html", render_comparison(cmp, home, names, figures, rid))
