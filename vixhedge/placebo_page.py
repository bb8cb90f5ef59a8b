"""report.html of ``vixhedge placebo`` (:func:`vixhedge.placebo.write_folder`): the verdict, the metrics' table, the
exposure match, the P&L by cause, the figure and the command; the same bytes for the same :class:`Placebo`."""

from __future__ import annotations

import html
from collections.abc import Mapping

from vixhedge import placebo_stats as S
from vixhedge.fmt import num, pct, plural, usd
from vixhedge.placebo import Placebo, figure_title
from vixhedge.placebo_notes import notes

VERDICT = f"verdict at {pct(S.ALPHA, 0)}, one-sided"  # the tables' last column (p in its own: trial VIS35 L2)


def report_page(p: Placebo, command: str, svg: str) -> str:
    """report.html: the data banner, the verdict, the table of metrics, the exposure match, the P&L by cause
    (:func:`causes_block`), how many of the lines ranked would reach 5% by chance (:func:`S.multiple_tests`), the
    figure (``svg``, placebo.svg's text, inlined: the page is whole on its own, as every report.html is) and the
    command."""
    from vixhedge.html import data_uri
    from vixhedge.page_banners import provenance_banner
    from vixhedge.page_style import page_head, table

    e = lambda s: html.escape(str(s))  # noqa: E731
    title, sub = figure_title(p)
    rows = []
    for key, label, higher in S.METRICS:
        m = p.summary["metrics"][key]
        f = lambda v, k=key: S.figure(k, v)  # noqa: E731
        rows.append((label, "higher" if higher else "lower", f(m["reference"]), f(m["median"]),
                     f"{f(m['q05'])} .. {f(m['q95'])}", S.k_text(p.summary, key)
                     + (f" ({S.nan_words(m)})" if m["not_a_number"] else ""), S.p_text(m["p_value"]), verdict_cell(m)))
    n = lambda k, v: f"{v:,.0f}" if k != "mean_layers_held" else f"{v:,.2f}"  # noqa: E731 (counts whole)
    ex = [(k.replace("_", " "), n(k, v["reference"]), num(v["placebo_mean"], S.MEAN_DIGITS[k]),  # as the console
           f"{n(k, v['placebo_min'])} .. {n(k, v['placebo_max'])}") for k, v in p.summary["exposure"].items()]
    return (page_head(e(title)) + f"<p>{e(sub)}</p>\n<p><b>{e(S.verdict(p.policy, p.summary))}</b></p>\n"
            + provenance_banner({"data_provenance": p.prices})
            + "".join(f"<p><b>{e(label)}:</b> {e(text)}</p>\n" for label, text in notes(p)
                      if label != "data")  # (the banner above says it: trial VIS28 read it twice)
            + table(("metric", "better", p.policy, "placebo median", "placebo 5% .. 95%", "placebos as good or "
                     "better", "p", VERDICT), rows, text_columns=(0, 7), whole=(0, 4, 7))
            + "<h2>Exposure: how much hedge each held</h2>\n"
            + table(("", p.policy, "placebo mean", "placebo range"), ex, text_columns=(0,), whole=(3,))
            + "<p>The placebo keeps the reference's layer sizes, tenors and holding times (drawn together from its "
              "layers closed before the end), the caps, max_layers and require_condor; option layers open at "
              "hedge.spread_long_otm and are never restruck (the reference's placement and restrikes are not "
              "copied); it changes when layers are added (a coin "
              f"of chance p_add = {p.params['p_add']:g} on each bar that could take an add, set by "
              f"{plural(len(p.pilot), 'pilot round')} so the placebos hold as many contract-sessions as the "
              "reference). p = "
              "(k + 1) / (N + 1), one-sided, each metric and cause on its own (not adjusted for the several tested: "
              "the caveat below).</p>\n"
            + causes_block(p)
            + (f"<p><b>caveat:</b> {e(caveat)}</p>\n" if (caveat := S.multiple_tests(p.summary)) else "")
            + f'<figure><img src="{data_uri(svg.encode())}" '
              'alt="histograms of the placebos\' metrics" style="max-width:100%"></figure>\n'
            + f"<h2>Reproduce</h2>\n<p>In this folder: <code>{e(command)}</code></p>\n</body>\n</html>\n")


def causes_block(p: Placebo) -> str:
    """The page's "by cause" section: what the figures are and which tests the timing (:func:`S.causes_words`), a
    row per cause held (:func:`S.held_causes`); "" where none is."""
    from vixhedge.page_style import table

    shown = S.held_causes(p.summary)
    if not shown:
        return ""
    rows = []
    for key in shown:
        m = p.summary["causes"][key]
        rows.append((m["label"], usd(m["reference"]), usd(m["median"]), f"{usd(m['q05'])} .. {usd(m['q95'])}",
                     S.k_text(p.summary, key, "causes") + (f" ({S.nan_words(m)})" if m["not_a_number"] else ""),
                     S.p_text(m["p_value"]), verdict_cell(m)))
    return (f"<h2>By cause: where the hedge P&amp;L came from</h2>\n<p>{html.escape(S.causes_words(p.summary))}; "
            "higher P&amp;L is better, p as the metrics'; the verdict stays hedge P&amp;L's.</p>\n"
            + table(("cause", p.policy, "placebo median", "placebo 5% .. 95%", "placebos as good or better", "p",
                     VERDICT), rows, text_columns=(0, 6), whole=(0, 3, 6)))


def verdict_cell(m: Mapping) -> str:
    """A metric's or cause's verdict column: :func:`S.tail_verdict`'s words, "not distinguishable from random" where
    neither tail is at 5%, "no verdict" where p is n/a (trial VIS35 L2: the words in the p cell, right-aligned,
    wrapped it)."""
    if not m["p_value"] == m["p_value"]:  # NaN (the p cell's n/a)
        return "no verdict"
    return S.tail_verdict(m) or "not distinguishable from random"
