"""A run's self-contained ``report.html``, drawn from its run folder (:mod:`vixhedge.runfolder`).

The report is one HTML file: figures are inline base64 SVGs or PNGs (``data:`` URIs), styling is an
inline ``<style>``; no script, no external CSS, font or image, no network. Everything in it is
read from the run folder's own files (config.toml, manifest.json, metrics.json and the CSVs),
so ``vixhedge report RUN_DIR`` rebuilds the same bytes without re-running the backtest.
"""

from __future__ import annotations

import base64
import contextlib
import html
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pandas as pd

from analyzers.metrics import ratio_caveat
from analyzers.report_tables import layers_by_trigger
from vixhedge.caveats import caveat_banner, thin_tail_words
from vixhedge.core import config as config_mod
from vixhedge.core.instruments import Kind
from vixhedge.fmt import missing as _missing, num, pct, plural, source_words, usd
from vixhedge.figure_captions import FIGURES  # (re-exported: callers and tests find it here)
# the banners every page opens with (ruin, data, data notes): vixhedge.page_banners', importable from here as they were
from vixhedge.page_banners import DATA_NOTES_OPEN, data_notes, provenance_banner, ruin_banner
# the tables and the look every page shares: vixhedge.page_style's, importable from here as they always were
from vixhedge.page_style import STYLE, folded, kv_table, page_head, table
from vixhedge.report_glance import glance
# the run folder's reader lives in vixhedge.runfolder; its names stay importable from here, where callers
# (compare, the CLI, tests, README) have always found them
from vixhedge.runfolder import REQUIRED, RunFiles, RunFolderError, load_run, shown_path

__all__ = ["CONDOR_COLUMNS", "CONDOR_NOTE", "FIGURES", "FIGURE_DPI", "LAYER_COLUMNS", "STYLE", "day",
           "default_style", "gain_words", "held", "num", "pct", "png_bytes", "render", "rf_label", "ruin_banner", "txt",
           "usd", "wings", "write_page",
           # the page's building blocks, shared by the compare and sweep reports
           "collecting_figures", "data_uri", "figure", "kv_table", "page_head", "provenance_banner", "table",
           # vixhedge.page_banners', re-exported
           "DATA_NOTES_OPEN", "data_notes",
           # vixhedge.runfolder's, re-exported
           "REQUIRED", "RunFiles", "RunFolderError", "load_run", "shown_path"]


FIGURE_DPI = 150  # every figure of every page


@contextlib.contextmanager
def default_style() -> Iterator[None]:
    """matplotlib's own default settings while a page's PNG figures are built and saved, whatever the user's
    matplotlibrc, ``MPLCONFIGDIR`` or style (trial DET24: ``axes.grid: True`` in a matplotlibrc changed compare's
    paired.png and the sweep and walk-forward pages' bytes); the user's settings come back after it."""
    import matplotlib.style

    with matplotlib.style.context("default"):
        yield


def png_bytes(fig) -> bytes:
    """Render a matplotlib Figure to PNG bytes at FIGURE_DPI, without software/date metadata (same bytes)."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=FIGURE_DPI, metadata={"Software": None})
    return buf.getvalue()


def write_page(path: Path, text: str | bytes) -> Path:
    """Write an HTML page (or a figure's bytes) whole, never half a page (:func:`vixhedge.atomic.write_file`)."""
    from vixhedge.atomic import write_file

    return write_file(path, text)


# ----------------------------------------------------------------------------- formatting
# money, percents and numbers: vixhedge.fmt's (one rounding rule), importable from here as they always were

def txt(v) -> str:
    return "n/a" if _missing(v) else str(v)


def wings(v) -> str:
    """condors.csv ``wings_left`` (``long_put;long_call``): the wings left open, bid 0; blank where none was."""
    return "" if _missing(v) else str(v).replace(";", ", ")


def rf_label(a: config_mod.AnalysisConfig, performance: Mapping) -> str:
    """What a run's Sharpe and Sortino measure excess return over, in words (``analysis.risk_free``)."""
    if a.risk_free is config_mod.RiskFree.CASH and "cash_rate_act365" in performance:  # the rate as a user states one
        if performance.get("cash_rate_constant"):
            return f"cash at the constant market.rate, {pct(performance['cash_rate_act365'])}/yr (simple, ACT/365)"
        return f"cash at the day's short rate, {pct(performance['cash_rate_act365'])}/yr on average (simple, ACT/365)"
    if a.risk_free is config_mod.RiskFree.CASH:  # a folder written before the simple rate was recorded
        return f"cash at the day's short rate, {pct(performance.get('risk_free_rate'))}/yr on average"
    return f"{pct(a.risk_free_rate)}/yr"


def gain_words(pnl_usd) -> str:
    """A P&L by its sign: "a gain", "a loss" or "nothing"."""
    return "n/a" if _missing(pnl_usd) else "a gain" if pnl_usd > 0 else "a loss" if pnl_usd < 0 else "nothing"


def strike(v) -> str:
    """A strike as the exchange lists it: 1,725, 1,722.5 (trial VIS42 L3: the Condors table's "1,725.00"; its P&L
    column, the one a reader wants, now follows the exit reason, not off-screen last at 800 px)."""
    return "n/a" if _missing(v) else f"{float(v):,.2f}".rstrip("0").rstrip(".")


def day(v) -> str:
    """A date as YYYY-MM-DD (the run folder's tables are read with Timestamps: no ``00:00:00``)."""
    return "n/a" if _missing(v) else v.strftime("%Y-%m-%d") if hasattr(v, "strftime") else str(v)


# ----------------------------------------------------------------------------- sections

def _performance(m: Mapping, cfg: config_mod.Config) -> str:
    p = m["performance"]
    a, caveat = cfg.analysis, ratio_caveat(p, m.get("ruin"))  # a ruined path: Sharpe and Sortino mean nothing
    dd = (f"peak {txt(p.get('max_drawdown_peak'))}, trough {txt(p.get('max_drawdown_trough'))}, "
          f"recovered {txt(p.get('max_drawdown_recovery')) if p.get('max_drawdown_recovered') else 'not yet'}")
    rows = [
        ("final NAV", usd(p["end_nav_usd"]), f"from {usd(p['start_nav_usd'])} at the end of the first day"),
        ("total return", pct(p["total_return"]), "simple, end-of-day NAV"),
        ("CAGR", pct(p["cagr"]), f"(NAV end / NAV start)^({a.periods_per_year} / n) - 1"),
        ("annualised vol", pct(p["ann_vol"]), f"std of daily returns (ddof 1) x sqrt({a.periods_per_year})"),
        *((("Sharpe", num(p["sharpe"]), f"excess return over {rf_label(a, p)}"),
           ("Sortino", num(p["sortino"]), "mean excess / downside deviation below rf over all days"))
          if not caveat else (("Sharpe / Sortino", "n/a", f"not meaningful: {caveat} (computed {num(p['sharpe'])}"
                               f" / {num(p['sortino'])}, in metrics.json)"),)),
        ("max drawdown", pct(p["max_drawdown"]), dd),
        ("max drawdown duration", plural(p.get("max_drawdown_duration_days"), "day"),
         "calendar days, peak to recovery (or to the last day)"),
        ("longest drawdown", plural(p.get("longest_drawdown_days"), "day"), "any drawdown, peak to recovery"),
        ("Calmar", num(p["calmar"]), "CAGR / max drawdown, whole run"),
        ("CVaR 95%", pct(p["cvar_95"]), "minus the mean of the worst 5% of daily returns (historical)"
         + (f": {words}" if (words := thin_tail_words(p.get("cvar_95_days"))) else "")),
        ("worst day", pct(p["worst_day"]), txt(p.get("worst_day_date"))),
        ("worst month", pct(p.get("worst_month")), f"{txt(p.get('worst_month_label'))}, calendar month"),
        ("hedge vs condor, worst days", num(p.get("tail_hedge_condor_corr")),
         f"correlation of daily hedge and condor P&L on the {plural(p.get('tail_days'), 'worst day')} (5%) by "
         f"total P&L; there the hedge made {usd(p.get('tail_hedge_pnl_usd'))}, the condor "
         f"{usd(p.get('tail_condor_pnl_usd'))}"),
    ]
    return "<h2>Performance</h2>\n" + kv_table(rows)


def _pnl(attribution: pd.DataFrame) -> str:
    totals = attribution.sum()
    groups = {"condor:put": "condor put spread", "condor:call": "condor call spread", "hedge": "hedge (all layers)",
              "fees": "fees", "interest": "cash interest", "ruin_debt": "ruin debt written off", "total_pnl_usd": "total"}
    if "ruin_debt" not in totals.index:  # only a ruined run writes the debt its liquidation left off
        del groups["ruin_debt"]
    rows = [(label, usd(totals[[c for c in totals.index if c == key or c.startswith(f"{key}:")]].sum()))
            for key, label in groups.items()]
    return ("<h3>P&amp;L by component</h3>\n<p>Per layer in the layer table below; per day in "
            "<code>attribution.csv</code>, where the components sum to the NAV change every day.</p>\n"
            + table(("component", "P&L"), rows))


def held(trades: pd.DataFrame, kind: Kind) -> bool:
    """Return whether the run held a ``kind`` contract (a fill of one in trades.csv): the Hedge cost table's and the
    console summary's rows of an instrument show only then (an all-zero row of one never held reads as a
    measurement)."""
    return "kind" in trades.columns and bool((trades["kind"] == kind.value).any())


def _vega(m: Mapping) -> str:
    v = m["vega_drift"]
    if not v.get("days_with_condor"):
        return "<h3>Vega drift</h3>\n<p>No day with an open condor.</p>\n"
    lo, hi = v["band"]
    rows = [("target band", f"{lo:g} .. {hi:g}", "hedge vega / |condor vega|"),
            ("unit", "USD / vol pt", v["unit"]),
            ("days with a condor", num(v["days_with_condor"], 0), ""),
            ("mean |drift|", usd(v["mean_abs_drift_usd"]), "distance outside the band, per vol point"),
            ("max |drift|", usd(v["max_drift_usd"]), ""),
            ("days outside the band", pct(v["share_days_outside_band"]), ""),
            *((("median hedge ratio", num(v["median_hedge_ratio"], 3), "a condor near expiry makes the mean "
                "large"),) if "median_hedge_ratio" in v else ()),
            ("mean hedge ratio", num(v["mean_hedge_ratio"], 3), "")]
    return "<h3>Vega drift</h3>\n" + kv_table(rows)


LAYER_COLUMNS: tuple[tuple[str, str, Callable], ...] = (
    ("layer_id", "layer", txt), ("instrument", "instrument", txt), ("contracts", "contracts", txt),
    ("trigger", "trigger", txt), ("entry_date", "entry", day), ("rolls", "rolls", txt), ("exit_date", "exit", day),
    ("exit_reason", "exit reason", txt), ("net_pnl_usd", "net P&L", usd), ("vx_roll_carry_usd", "VX P&L at rolls", usd),
    ("spread_decay_usd", "spread decay", usd), ("stress_pnl_usd", "stress P&L", usd))
TRIGGER_COLUMNS = (("trigger", "opened by", txt), ("layers", "layers", txt), ("net_pnl_usd", "net P&L", usd),
                   ("per_layer_usd", "per layer", usd))
TRIGGER_NOTE = ("Where the hedge's money went, by what opened each layer (its rule tags): not a rule's effect, which a "
                "compare with the rule switched off measures (<code>vixhedge compare --variant NAME KEY=VALUE</code>).")
CONDOR_COLUMNS: tuple[tuple[str, str, Callable], ...] = (
    ("entry_date", "entry", day), ("expiry", "expiry", day), ("exit_date", "exit", day),
    ("exit_reason", "exit reason", txt), ("pnl_usd", "P&L", usd), ("contracts", "contracts", txt),
    ("long_put", "long put", strike), ("short_put", "short put", strike), ("short_call", "short call", strike),
    ("long_call", "long call", strike), ("credit_points", "credit (pts)", num), ("wings_left", "wings left", wings))
CONDOR_NOTE = ("P&amp;L is every cash flow on the condor's legs, fees included, with the wings an exit, a margin "
               "call or a condor vega cut left open at bid 0 (wings left) held to expiry: it can exceed the credit.")


def layer_columns(trades: pd.DataFrame) -> tuple[tuple[str, str, Callable], ...]:
    """LAYER_COLUMNS less the hedge cost column of an instrument the run never held (:func:`held`): VX P&L at rolls
    without a VX future, spread decay without a VIX option, $0 on every row and no measurement (trial VIS22: the
    call-spread run's "VX P&L at rolls" column; layers.csv keeps both)."""
    gone = {key for key, kind in (("vx_roll_carry_usd", Kind.VX_FUTURE), ("spread_decay_usd", Kind.VIX_OPTION))
            if not held(trades, kind)}
    return tuple(c for c in LAYER_COLUMNS if c[0] not in gone)


def _frame_table(title: str, df: pd.DataFrame, columns, empty: str, note: str = "", fold: str = "") -> str:
    """A section of ``df``'s rows in ``columns``; ``fold`` (what the rows are) folds a long table (:func:`folded`)."""
    if df.empty:
        return f"<h2>{title}</h2>\n<p>{empty}</p>\n"
    cols = [c for c in columns if c[0] in df.columns]
    at = [df.columns.get_loc(key) for key, _, _ in cols]  # the row values iterrows would give, without a Series a row
    rows = [[fmt(None if pd.isna(r[k]) else r[k]) for k, (_, _, fmt) in zip(at, cols)] for r in df.to_numpy()]
    text = [k for k, (key, _, fmt) in enumerate(cols)
            if fmt is day or fmt is wings or fmt is txt and not pd.api.types.is_numeric_dtype(df[key])]
    note = f"<p>{note}</p>\n" if note else ""
    body = table([h for _, h, _ in cols], rows, "grid", text)
    return f'<h2>{title}</h2>\n{note}' + (folded(fold, body, len(rows)) if fold else body)


def _trigger_key(layers: pd.DataFrame) -> str:
    """The trigger words' key under *Hedge layers by trigger*: each word's rule id and what it does (trial VIS30)."""
    from vixhedge.rule_words import trigger_rows

    rows = [[txt(c) for c in r] for r in trigger_rows(layers["trigger"] if "trigger" in layers else ())]
    return ("<p>The trigger words, the rule that writes each (<em>Rules fired</em>) and what it does:</p>\n"
            + table(["word", "rule id", "what it does"], rows, "grid", (0, 1, 2))) if rows else ""


def _reproduce(files: RunFiles) -> str:
    mf = files.manifest
    rows = [("run id", mf["run_id"]), ("git commit", mf["git_commit"]), ("python", mf["python"]),
            ("seed", str(mf["seed"])), *_policy_rows(mf.get("hedge_policy"), "hedge policy"),
            *_policy_rows(mf.get("condor_selector"), "condor selector"),
            *[r for kind in ("signals", "analyzers") for i in mf.get(kind, []) for r in _policy_rows(i, kind[:-1])],
            ("data", f"{source_words(mf['data_source'])} {mf['data_span'][0]} .. {mf['data_span'][1]}"),
            *[(f"settlement proxy {k}", v) for k, v in sorted(mf["settlement_proxies"].items())],
            *[(f"package {k}", v) for k, v in sorted(mf["packages"].items())],
            ("replay", mf["replay_command"]),
            ("rebuild this report", f"vixhedge report {_folder_word(mf, files.folder)}")]
    files_read = [(d["name"], d["sha256"]) for d in mf["data_files"]]
    return ("<h2>Reproduce</h2>\n" + table(("", ""), rows, "narrow", unbroken=(1,))
            + folded("the data files the run read and their sha256 (manifest.json <code>data_files</code>)",
                     table(("data file", "sha256"), files_read, "narrow"), len(files_read)))


def _folder_word(mf: Mapping, folder: Path) -> str:
    """The run folder as a shell word: manifest.json's run_folder (a path; a shell word in folders written before),
    else the folder read."""
    import shlex

    from vixhedge.runfolder import unquoted

    return shlex.quote(unquoted(mf["run_folder"])) if mf.get("run_folder") else shown_path(folder)


def _policy_rows(ident: dict | None, label: str) -> list[tuple[str, str]]:
    """A plug-in's identity (manifest.json; absent in folders written before plug-ins)."""
    if not ident:
        return []
    target = f"{ident['module']}:{ident['qualname']}"
    files = ident.get("source_files") or []  # a plug-in's files, each with its sha256, where it imports helpers
    return [(label, target if ident["name"] == target else f"{ident['name']} = {target}"),
            (f"{label} source", f"sha256 {ident['source_sha256']}"),
            *[(f"{label} file", f"{f['file']} sha256 {f['sha256']}") for f in files if len(files) > 1]]


def render(files: RunFiles, figures: Mapping[str, bytes]) -> str:
    """Return the report of a run folder as one self-contained HTML document."""
    from vixhedge import report_periods as RP, report_sections as S
    from vixhedge.report_causes import cause_years
    from vixhedge.run_figure_pnl import attribution_caption

    cfg, m, d = files.config, files.metrics, files.daily
    h = cfg.hedge
    title = html.escape(f"vixhedge run {files.manifest['run_id']}")
    parts = [page_head(title),
             f'<p class="sub">{d.index[0]:%Y-%m-%d} .. {d.index[-1]:%Y-%m-%d} '
             f"({len(d):,} trading days); hedge {html.escape(S.hedge_label(h))}; "
             f"{plural(m['counts']['condors'], 'condor')}, {plural(m['counts']['hedge_layers'], 'hedge layer')}; data "
             f"{html.escape(source_words(files.manifest['data_source']))}</p>\n"]
    parts.append(ruin_banner(m))
    parts.append(glance(m, files.benchmark, h.policy_name != "none"))  # the answers first, the notes under them
    parts.append(S.no_condor_banner(files) + S.no_layer_banner(files) + S.held_banner(m) + S.unread_banner(m)
                 + caveat_banner(m, d.index))
    parts.append(provenance_banner(m) + data_notes(files.manifest))
    fig = {name: figure(name, t, attribution_caption(files) if name == "attribution.svg" else caption,
                        figures.get(name)) for name, t, caption in FIGURES}  # (its bars' step: trial VIS42 L1)
    parts += [_performance(m, cfg), S.capital(m), fig["equity.svg"]]
    if files.benchmark is not None:
        parts += [fig["benchmark.svg"], S.benchmark(files)]
    parts += [S.monthly_grid(files), fig["attribution.svg"], _pnl(files.attribution),
              fig["condor.svg"] if "condor.svg" in figures else "", S.hedge_cost(m, files.trades), cause_years(files),
              fig["vx_macd.svg"], fig["vega.svg"], _vega(m), _rules(m, h)]
    parts.append(_frame_table("Hedge layers", files.layers, layer_columns(files.trades),
                              "No hedge layers in this run.", fold="every layer (<code>layers.csv</code>)"))
    parts.append("" if files.layers.empty else _frame_table("Hedge layers by trigger", layers_by_trigger(
        files.layers, True), TRIGGER_COLUMNS, "", TRIGGER_NOTE) + _trigger_key(files.layers))
    parts.append(_frame_table("Condors", files.condors, CONDOR_COLUMNS, "No condor in this run.",
                              CONDOR_NOTE * ("wings_left" in files.condors.columns),
                              "every condor (<code>condors.csv</code>)"))
    parts.append(S.condor_trades(m) + RP.periods_section(m))
    parts.append(S.plugin_analyzers(m, files.folder))
    parts.append(S.parameters_table(cfg))
    parts.append(_reproduce(files))
    parts.append("</body>\n</html>\n")
    return "".join(parts)


def _rules(m: Mapping, h: config_mod.HedgeConfig) -> str:
    """The policy rules and how many bars each acted on (metrics.json ``rules_fired``); a rule the config switched
    off or a missing input (metrics.json ``policy_notes``) kept idle says so (``strategies.rulesoff``)."""
    fired = m.get("rules_fired")
    if not fired:
        return ""
    from strategies.book import RULE_IDS
    from strategies.rulesoff import rules_off

    off = rules_off(h, m.get("policy_notes") or (), m.get("ad_uncovered") or "")
    order = {r: k for k, r in enumerate(RULE_IDS)}
    from strategies.policies import BUILTINS
    from vixhedge.rule_words import RULE_WORDS

    plugin = h.policy_name not in BUILTINS  # (its page lists the ids it recorded and roll: trial API39 M4)
    shown = {r: n for r, n in fired.items() if not (plugin and r in order and r != "roll" and not n)}
    rows = [[txt(rule), txt(RULE_WORDS.get(rule, "the plug-in policy's own rule id" if plugin else "")),
             f"{int(n):,}", txt(f"off: {off[rule]}") if rule in off and not n else ""]
            for rule, n in sorted(shown.items(), key=lambda kv: order.get(kv[0], 99))]
    notes = "".join(f"<p>{html.escape(n)}</p>\n" for n in m.get("policy_notes") or ())
    if plugin and len(shown) < len(fired):
        notes += (f"<p>The alvh policy's rule ids that the plug-in policy {html.escape(h.policy_name)} did not record "
                  f"are left out ({len(fired) - len(shown)}).</p>\n")
    return ("<h2>Rules fired</h2>\n<p>Bars on which each rule of the policy acted (changed what the book did; "
            "signals.csv column <code>rule_ids</code>); <em>off</em>: the config or a missing input keeps it from "
            "acting in this run.</p>\n" + table(["rule id", "what it does", "bars acted", "why 0"], rows, "grid",
                                                 (0, 1, 3)) + notes)


_COLLECTING: list[list[tuple[str, bytes]]] = []  # the open collecting_figures() blocks' lists, innermost last


@contextlib.contextmanager
def collecting_figures() -> Iterator[list[tuple[str, bytes]]]:
    """Yield a list that gets (name, image) of every :func:`figure` drawn inside the block: a page whose figures
    exist only inline also writes them as files (the sweep's ``figures/``)."""
    got: list[tuple[str, bytes]] = []
    _COLLECTING.append(got)
    try:
        yield got
    finally:
        _COLLECTING.remove(got)


def figure(name: str, title: str, caption: str, image: bytes | None) -> str:
    """A titled figure: ``image`` is SVG (it starts with ``<svg``) or PNG bytes, inlined as a data URI (and
    collected by an open :func:`collecting_figures`)."""
    head = f"<h2>{html.escape(title)}</h2>\n"
    if image is None:
        return head + f"<p>({html.escape(name)} is missing.)</p>\n"
    if _COLLECTING:
        _COLLECTING[-1].append((name, image))
    return head + (f'<figure><img src="{data_uri(image)}" alt="{html.escape(title)}">'
                   f"<figcaption>{html.escape(caption)}</figcaption></figure>\n")


def data_uri(image: bytes) -> str:
    """``image`` (SVG: it starts with ``<svg``; else PNG) as a ``data:`` URI, inlined in a page."""
    mime = "image/svg+xml" if image.startswith(b"<svg") else "image/png"
    return f"data:{mime};base64,{base64.b64encode(image).decode()}"
