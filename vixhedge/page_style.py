"""The look every page shares (run, compare, sweep and walk-forward reports): one inline style sheet, the page's
head and its tables.

No script, no external CSS or font. A table sits in a box of its own that scrolls sideways when the table is wider
than the page (a phone), so the text around it wraps at the window's width; a figure keeps a readable 900 px width
that scrolls the same way (trial VIS42 M2: at 700 px an 1,100 px figure's 11 px text was 7 px). Trial VIS22 (1,400 px
window): the real-data run's Hedge layers table ran 18 px past the 1,040 px body and cut its stress P&L mid-number
("$17,01"), its 398 rows put the sideways scrollbar 14,500 px below the header, Rules fired's unwrapped text made it
2,168 px wide, and printed pages clipped wide tables and left headings alone at a page's foot. So: a text cell with a
space wraps (a date, one word, does not: Chrome broke 2014-03-13 at its hyphens; nor does a date inside a cell that
wraps: trial VIS35, "(ruined 2020-" / "03-23"), a table of :data:`WIDE_COLUMNS` columns or more is set smaller with
its first column held in view when it scrolls sideways, a table of more than :data:`LONG_ROWS` rows sits in a box no
taller than the window with its header held in view (its sideways scrollbar is on screen), a long part of a page folds
into a ``<details>`` that counts its rows (:func:`folded`), and printing drops the boxes, lets every table wrap to the
paper's width, keeps a heading with what follows it and prints a folded part whole (a closed ``<details>`` printed its
summary line alone). A key-value table's value cell does not wrap (trial VIS27 at 1,400 px: "1,509 / days", "0 by /
buying / power"), nor its label (trial VIS42 L2: "return on / margin"): both are short, the convention takes the rest.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

__all__ = ["LONG_ROWS", "STYLE", "WIDE_COLUMNS", "folded", "kv_table", "page_head", "table"]

WIDE_COLUMNS = 10  # a table of this many columns or more: set smaller, its first column held in view sideways
LONG_ROWS = 40  # a table of more rows: a box the window's height; a part folded by folded() opens up to this many

STYLE = """
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; color: #222; background: #fff;
       max-width: 1040px; margin: 1.5em auto; padding: 0 1em; }
h1 { font-size: 1.5em; margin-bottom: 0.2em; } h2 { font-size: 1.2em; margin-top: 1.6em; }
p.sub { color: #555; margin-top: 0; }
div.banner { border: 1px solid #bbb; padding: 0.2em 0.8em; margin: 0.8em 0; } div.banner table { font-size: 12px; }
div.banner.warn { border: 2px solid #333; background: #eee; }
table { border-collapse: collapse; font-size: 13px; margin: 0.5em 0; }
th, td { padding: 2px 8px; border-bottom: 1px solid #ddd; text-align: right; vertical-align: top; }
th { border-bottom: 2px solid #888; }
td:first-child, th:first-child { text-align: left; }
table.kv td:nth-child(3) { text-align: left; color: #555; } table.kv th:nth-child(3) { text-align: left; }
table.kv td:nth-child(2) { white-space: nowrap; } table.kv td:first-child { white-space: nowrap; }
table.narrow td:nth-child(2) { text-align: left; font-family: monospace; }
table.narrow th:nth-child(2) { text-align: left; } table.narrow td:nth-child(2) { overflow-wrap: anywhere; }
table.narrow td:first-child { white-space: nowrap; }
table.grid td { white-space: nowrap; } table.grid td.w { white-space: normal; }
th.t, td.t { text-align: left; } div.scroll { overflow-x: auto; } span.nw { white-space: nowrap; }
div.wide table { font-size: 12px; } div.wide th, div.wide td { padding: 2px 5px; }
div.wide td:first-child, div.wide th:first-child { position: sticky; left: 0; background: #fff; }
div.long { max-height: 80vh; overflow: auto; } div.long table { margin: 0; }
div.long thead th { position: sticky; top: 0; z-index: 1; background: #fff; box-shadow: inset 0 -2px 0 #888; }
div.long.wide thead th:first-child { z-index: 2; }
details { margin: 0.5em 0; } summary { color: #555; cursor: pointer; }
figure { margin: 0.5em 0; } figure img { max-width: 100%; height: auto; display: block; }
figcaption { color: #555; font-size: 13px; }
@media (max-width: 960px) { figure { overflow-x: auto; } figure img { max-width: none; width: 900px; } }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 12px; }
  div.scroll, div.long { overflow: visible; max-height: none; }
  div.long thead th, div.wide td:first-child, div.wide th:first-child { position: static; box-shadow: none; }
  table { font-size: 10px; max-width: 100%; } div.wide table { font-size: 8px; } thead { display: table-header-group; }
  th, td { padding: 1px 4px; } th { overflow-wrap: break-word; }
  table.grid td.w { overflow-wrap: anywhere; }
  table.narrow td:nth-child(2) { word-break: break-all; }
  h1, h2, h3, summary, h2 + p, h3 + p { break-after: avoid; page-break-after: avoid; }
  figure, tr, div.banner, p.ruin { break-inside: avoid; page-break-inside: avoid; }
  details::details-content { content-visibility: visible; display: block; }
}
"""


# the windows, sweep and walk-forward pages' last line (VIS30: the run and compare pages said how to rebuild them,
# these did not); a folder's path would make a page rebuilt from another working folder differ
REBUILD = "Rebuild this page from the folder's files: <code>vixhedge report</code> on this folder (nothing runs again)."


def page_head(title: str) -> str:
    """The top of a page (run, compare, sweep) up to its ``<h1>``; ``title`` already escaped. The viewport line
    lets a phone lay the page out at its own width instead of a shrunk 980 px desktop."""
    return (f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n")


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], cls: str = "",
          text_columns: Sequence[int] = (), unbroken: Sequence[int] = (), whole: Sequence[int] = ()) -> str:
    """An HTML table of ``rows`` under ``headers`` (every cell text, escaped here); ``text_columns`` align left, their
    header too, and wrap at a space or after a ``+`` (a ``<wbr>`` in the page only: a layer's trigger
    ``review_fear_rising+expansion_cadence+hist_expanding+flat_otm`` on one line pushed the P&L columns off-screen);
    the ``unbroken`` columns (commands, periods) wrap between words, never at a hyphen inside one (``--ci-method``
    wrapped as "-" / "-ci-method"); the ``whole`` columns' cells keep to one line (a range "-$128,837 .. -$67,992":
    trial VIS35 L2); an ISO date in a cell that may wrap never breaks at its hyphens (:func:`_dates`); a header may
    break after a dot (a sweep's ``hedge.macd.fast``). It sits in a box of its own (module docstring): ``scroll``,
    ``wide`` from :data:`WIDE_COLUMNS` columns, ``long`` over :data:`LONG_ROWS` rows."""
    head = "".join(f'<th class="t">{_head(h)}</th>' if k in text_columns else f"<th>{_head(h)}</th>"
                   for k, h in enumerate(headers))
    grid = "grid" in cls.split()
    wraps = ' class="w"' * grid  # (a grid's cells are otherwise kept on one line)

    def cell(c: str, k: int) -> str:
        if k in unbroken:
            return f"<td{wraps}>{_words(c)}</td>"
        if k in whole:
            return f'<td class="t"><span class="nw">{html.escape(c)}</span></td>' if k in text_columns else (
                f'<td><span class="nw">{html.escape(c)}</span></td>')
        return _td(c, k in text_columns, grid)

    body = "".join(f"<tr>{''.join(cell(c, k) for k, c in enumerate(row))}</tr>\n" for row in rows)
    box = "scroll" + " wide" * (len(headers) >= WIDE_COLUMNS) + " long" * (len(rows) > LONG_ROWS)
    return (f'<div class="{box}"><table class="{cls}"><thead><tr>{head}</tr></thead>\n<tbody>\n{body}</tbody>'
            "</table></div>\n")


def _head(text: str) -> str:
    """A header escaped, with a break allowed after a dot before a letter (``hedge.<wbr>macd.<wbr>fast``), and in
    such a dotted key after an underscore too (``hedge.<wbr>expanding_<wbr>layer_<wbr>multiple``: trial VIS38 L9, a
    column of "1.5 / 2.0" 160 px wide under it)."""
    text = html.escape(text)
    return re.sub(r"([._])(?=[A-Za-z])", r"\1<wbr>", text) if "." in text else text


def _td(text: str, left: bool, grid: bool) -> str:
    """A cell: a text column's aligns left and wraps at a space or after a '+' (class w); in a ``grid`` one word, a
    date, does not wrap (``table.grid td``: nowrap); a cell that may wrap keeps each date whole (:func:`_dates`)."""
    if left and ("+" in text or " " in text):
        return f'<td class="t w">{_dates(html.escape(text)).replace("+", "+<wbr>")}</td>'
    body = html.escape(text) if grid else _dates(html.escape(text))  # (a grid's other cells do not wrap)
    return f'<td class="t">{body}</td>' if left else f"<td>{body}</td>"


# an ISO date, or a range written as one word ("2016-01-08..01-15", "2014-03-03..2018-12-31")
ISO_DATE = re.compile(r"(?<![\w-])\d{4}-\d{2}-\d{2}(?:\.\.(?:\d{4}-)?\d{2}-\d{2})?(?![\w-])")


def _dates(escaped: str) -> str:
    """``escaped`` with each ISO date in a span that does not wrap: Chrome broke "(ruined 2020-03-23)" as
    "(ruined 2020-" / "03-23)" in a compare page's named periods (trial VIS35 L3). A span, not U+2011 hyphens: a
    date copied off the page stays the CSV's."""
    return ISO_DATE.sub(r'<span class="nw">\g<0></span>', escaped)


def _words(text: str) -> str:
    """``text`` escaped, each word with a hyphen in a span that does not wrap (a command's flags and paths)."""
    return " ".join(f'<span class="nw">{html.escape(w)}</span>' if "-" in w else html.escape(w)
                    for w in text.split(" "))


def kv_table(rows: Sequence[tuple[str, str, str]]) -> str:
    """A table of (name, value, convention) rows."""
    return table(("", "value", "convention"), rows, "kv")


def folded(what: str, body: str, rows: int) -> str:
    """``body``, a long part of a page (a table of ``rows`` rows), in a ``<details>`` whose summary says what it
    holds and how many rows (``what``: already escaped, e.g. "every layer, layers.csv"); open up to
    :data:`LONG_ROWS` rows, so a short run's page shows it as before, closed above (trial VIS22: the real-data
    run's 397 layers and 140 data files' hashes made most of its 37,000 px page). Every row stays in the file."""
    from vixhedge.fmt import plural

    return (f"<details{' open' * (rows <= LONG_ROWS)}><summary>{plural(rows, 'row')}: {what}</summary>\n"
            f"{body}</details>\n")
