"""Trial VIS35 (2026-12-07, Chromium at 1,100 px): what wrapped mid-word or mid-figure in a table cell.

L2, the placebo page's by-cause table (`vixhedge placebo --workers 2`, 100 seeds; README's default block, l.3613-3614
"VX carry alvh -$43,635; placebos median -$95,511 [5% -$128,837, 95% -$67,992]; 0 of 100 ..., p = 0.01: better than
random at 5%", "VIX move alvh -$65,119; placebos median $23,507 [5% -$14,815, 95% $71,399]; 100 of 100 ..., p = 1.00:
WORSE than random at 5% (the other tail's p = 0.01)"; its fills against mid -$11,436, median -$11,317, 5% .. 95%
-$12,481 .. -$9,739, 61 of 100, p 0.61, from that run's placebo.json): the p cell carried the verdict words and wrapped
right-aligned ("1.00: WORSE than random at 5% (the other tail's p =" / "0.01)"), "-$128,837 .." / "-$67,992" and
"fills against" / "mid" wrapped too. L3, the ruin compare's named periods (README's ruin compare, `--set
hedge.first_layer_contracts=1000`, static ruined 2020-03-23, its covid cell -$1,471,950 / -$1,000,000, none's $0 /
$40,945, alvh's -$604,800 / -$571,805): "(ruined 2020-" / "03-23)". Fails on the old code: no verdict column, no
``whole`` columns, no date spans; in Chromium the p cell and the range took two lines, the date broke.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from types import SimpleNamespace

import pytest

from vixhedge.page_style import STYLE, page_head, table

CHROMIUM = Path("/usr/bin/chromium")

# per td: its lines, its alignment and its text; per text node holding DATE: the date's lines
MEASURE = """<script>
var out = [], r = document.createRange();
var lines = function (r) { return new Set(Array.from(r.getClientRects()).map(function (x) {
  return Math.round(x.top); })).size; };
document.querySelectorAll('td').forEach(function (td) {
  r.selectNodeContents(td); out.push(lines(r) + ' ' + getComputedStyle(td).textAlign + ' ' + td.textContent); });
var w = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT), n;
while ((n = w.nextNode())) { var i = n.data.indexOf('DATE');
  if (i >= 0 && n.parentElement.tagName !== 'SCRIPT') { r.setStart(n, i); r.setEnd(n, i + 10);
    out.push('date ' + lines(r)); } }
var pre = document.createElement('pre'); pre.id = 'M'; pre.textContent = out.join('|');
document.body.appendChild(pre);
</script>"""


def laid_out(tmp_path: Path, body: str, date: str = "0000-00-00") -> list[str]:
    """What :data:`MEASURE` wrote of ``body`` laid out by Chromium at 1,100 x 900 px (VIS35's window)."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium); not installed here")
    (tmp_path / "p.html").write_text(page_head("wrap") + body + MEASURE.replace("DATE", date) + "</body></html>",
                                     encoding="utf-8")
    done = subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1100,900", "--dump-dom",
                           (tmp_path / "p.html").as_uri()], capture_output=True, text=True, timeout=60)
    found = re.search(r'<pre id="M">(.*?)</pre>', done.stdout, re.S)
    assert done.returncode == 0 and found, done.stderr[-2000:]
    return found.group(1).replace("&amp;", "&").replace("&#x27;", "'").replace("&quot;", '"').split("|")


def _cause(label, reference, median, q05, q95, k, p, worse):
    return {"label": label, "better": "higher", "reference": reference, "median": median, "q05": q05, "q95": q95,
            "at_least_as_good": k, "p_value": p, "p_value_worse": worse, "not_a_number": 0, "held": True}


# VIS35's default placebo (module docstring): p = (k + 1) / 101, the other tail's (101 - k) / 101
CAUSES = {"vx_carry_usd": _cause("VX carry", -43634.75, -95510.64, -128837.122, -67991.574, 0, 0.009901, 1.0),
          "vx_vix_move_usd": _cause("VIX move", -65119.0, 23507.0, -14815.0, 71399.0, 100, 1.0, 0.009901),
          "fills_vs_mid_usd": _cause("fills against mid", -11436.0, -11317.0, -12481.0, -9739.0, 61, 0.613861, 0.39604)}


def test_the_placebo_by_cause_table_has_p_and_the_verdict_in_columns_of_their_own(tmp_path: Path) -> None:
    """p alone, right-aligned; the verdict words in a left-aligned column of their own; the range and the cause's
    name whole: at 1,100 px every cell is one line (the p cell and the range were two)."""
    from vixhedge.placebo_page import causes_block

    html = causes_block(SimpleNamespace(policy="alvh", summary={"seeds": 100, "causes": CAUSES}))
    assert ('<td class="t"><span class="nw">VIX move</span></td><td>-$65,119</td><td>$23,507</td>'
            '<td><span class="nw">-$14,815 .. $71,399</span></td><td>100 of 100</td><td>1.00</td>'
            '<td class="t"><span class="nw">WORSE than random (the other tail&#x27;s p = 0.01)</span></td>') in html
    assert '<td>0.01</td><td class="t"><span class="nw">better than random</span></td>' in html
    assert '<td>0.61</td><td class="t"><span class="nw">not distinguishable from random</span></td>' in html
    assert "<th>p</th><th class=\"t\">verdict at 5%, one-sided</th>" in html
    cells = laid_out(tmp_path, html)
    assert len(cells) == 21 and all(c.startswith("1 ") for c in cells), cells
    assert [c.split(" ", 2)[1] for c in cells[5:7]] == ["right", "left"]  # p, its verdict
    assert cells[13] == "1 left WORSE than random (the other tail's p = 0.01)", cells


def test_a_ruined_modes_date_keeps_to_one_line_in_the_named_periods(tmp_path: Path) -> None:
    """VIS35 L3: compare's named periods at 1,100 px broke "(ruined 2020-" / "03-23)"; the date is now one line, the
    sessions cell's dates too, and the sessions column (a text column) aligns left as its header does."""
    from vixhedge.report_periods import compare_section

    period = {"name": "covid", "first": "2020-03-18", "last": "2020-04-30", "sessions": 31, "whole": False}
    cell = lambda hedge, total, **more: {"named_periods": [{**period, **more, "hedge_pnl_usd": hedge,  # noqa: E731
                                                            "total_pnl_usd": total}]}
    runs = {"none": SimpleNamespace(metrics=cell(0.0, 40945.0)),
            "static": SimpleNamespace(metrics=cell(-1471950.0, -1e6, ruin="2020-03-23")),
            "alvh": SimpleNamespace(metrics=cell(-604800.0, -571805.0))}
    html = compare_section(runs)
    assert '<td>-$1,471,950 / -$1,000,000 (ruined <span class="nw">2020-03-23</span>)</td>' in html
    measured = laid_out(tmp_path, html, "2020-03-23")
    assert measured[-1] == "date 1", measured
    assert measured[1].split(" ", 2)[1] == "left", measured


def test_a_date_in_a_cell_that_may_wrap_is_one_unbroken_span() -> None:
    """Every cell that may wrap keeps an ISO date (or a one-word range of them) whole; a grid's one-line cells, and
    dates inside a longer word, are left as they were; a ``whole`` column's cell is one unbroken span; a text
    column's cells align left in any table (a grid's alone did: VIS35's sessions cell sat right under its left
    header)."""
    page = table(["a", "b", "c"], [["seen 2020-03-23", "2016-01-08..01-15", "x-2020-03-23"]], text_columns=(0,))
    assert ('<td class="t w">seen <span class="nw">2020-03-23</span></td><td><span class="nw">2016-01-08..01-15'
            '</span></td><td>x-2020-03-23</td>') in page
    grid = table(["a", "b"], [["2020-03-23", "from 2020-03-23"]], "grid", text_columns=(1,))
    assert '<td>2020-03-23</td><td class="t w">from <span class="nw">2020-03-23</span></td>' in grid
    assert '<td><span class="nw">-$1 .. -$2</span></td>' in table(["r"], [["x"], ["-$1 .. -$2"]], whole=(0,))
    assert "th.t, td.t { text-align: left; }" in STYLE and "span.nw { white-space: nowrap; }" in STYLE
