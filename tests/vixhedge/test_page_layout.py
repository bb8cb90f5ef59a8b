"""The pages as a reader sees and prints them (trial VIS22, 2026-12-06, screenshots at 1,400 px and printed PDFs).

Found: wide tables ran past the 1,040 px body and hid their right columns, a value cut mid-number (the real-data
run's Hedge layers, 1,058 px: "$17,01"; Rules fired 2,168 px, its cells never wrapping); the sideways scrollbar of a
398-row table sat 14,500 px below its header; printing clipped wide tables and left headings alone at a page's foot;
the walk-forward's page never said its result rests on modelled prices; a compare page never said what its
``--variant`` modes are; the Reproduce section's ~140 data-file hashes made a third of a short run's page.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from vixhedge.page_style import LONG_ROWS, STYLE, WIDE_COLUMNS, folded, table

CHROMIUM = Path("/usr/bin/chromium")


def test_a_wide_or_long_table_sits_in_a_box_that_keeps_its_header_and_first_column_in_view() -> None:
    """A table of WIDE_COLUMNS columns or more is set smaller, its first column sticky; over LONG_ROWS rows its box
    is no taller than the window (80vh, scrolling both ways) with its header sticky: its sideways scrollbar is on
    screen. A small table's box is the plain sideways-scrolling one it always was."""
    wide = table([f"c{k}" for k in range(WIDE_COLUMNS)], [["1"] * WIDE_COLUMNS], "grid")
    long = table(["a", "b"], [["1", "2"]] * (LONG_ROWS + 1), "grid")
    both = table([f"c{k}" for k in range(WIDE_COLUMNS)], [["1"] * WIDE_COLUMNS] * (LONG_ROWS + 1), "grid")
    assert wide.startswith('<div class="scroll wide"><table') and long.startswith('<div class="scroll long"><table')
    assert both.startswith('<div class="scroll wide long"><table')
    assert table(["a"], [["1"]] * LONG_ROWS).startswith('<div class="scroll"><table')
    for rule in ("div.wide table { font-size: 12px; }", "div.long { max-height: 80vh; overflow: auto; }",
                 "div.long thead th { position: sticky; top: 0;",
                 "div.wide td:first-child, div.wide th:first-child { position: sticky; left: 0;"):
        assert rule in STYLE, rule


def test_a_text_cell_wraps_at_its_spaces_a_one_word_cell_and_a_number_do_not() -> None:
    """Rules fired's "why 0" text never wrapped (table.grid td: nowrap); now a text cell with a space wraps (class
    w), a date or a rule id (one word) stays on one line (Chrome broke 2014-03-13 at its hyphens), a number too; a
    header breaks after a dot (a sweep's swept keys: ``hedge.macd.fast``), and in such a key after an underscore
    (trial VIS38 L9: ``hedge.expanding_layer_multiple`` held its "1.5 / 2.0" column 160 px wide), not in another
    header (``exit_reason``)."""
    page = table(["rule id", "bars", "why 0", "hedge.macd.fast", "hedge.next_layer_multiple", "exit_reason"],
                 [["ad_filter", "0", "off: needs an A/D file", "8", "2", "x"], ["2014-03-13", "1", "", "12", "3", "y"]],
                 "grid", (0, 2))
    assert "<th>hedge.<wbr>next_<wbr>layer_<wbr>multiple</th><th>exit_reason</th>" in page
    assert '<td class="t">ad_filter</td><td>0</td><td class="t w">off: needs an A/D file</td><td>8</td>' in page
    assert '<td class="t">2014-03-13</td>' in page and "<th>hedge.<wbr>macd.<wbr>fast</th>" in page
    assert "table.grid td { white-space: nowrap; }" in STYLE and "table.grid td.w { white-space: normal; }" in STYLE
    # an unbroken column of a grid (the walk-forward's periods) wraps between its words, not at a hyphen
    assert ('<td class="w"><span class="nw">2008-01-02</span> .. <span class="nw">2012-01-01</span></td>'
            in table(["fit"], [["2008-01-02 .. 2012-01-01"]], "grid", unbroken=(0,)))


def test_printing_unclips_the_tables_and_keeps_a_heading_with_what_follows() -> None:
    """Printed, Hedge layers lost its last four columns, Monthly returns its Year column, and six h2 headings stood
    alone at a page's foot: the print rules drop the boxes' scrolling, let text cells and headers wrap to the paper,
    set wide tables smaller and keep headings (and their intro paragraph) with what follows, figures whole."""
    printing = STYLE.split("@media print {", 1)[1]
    for rule in ("div.scroll, div.long { overflow: visible; max-height: none; }", "div.wide table { font-size: 8px; }",
                 "h1, h2, h3, summary, h2 + p, h3 + p { break-after: avoid;", "figure, tr, div.banner, p.ruin { "
                 "break-inside: avoid;", "table.grid td.w { overflow-wrap: anywhere; }", "position: static;"):
        assert rule in printing, rule


def test_a_long_part_folds_saying_how_many_rows_it_holds() -> None:
    """Open up to LONG_ROWS rows (a short run's page reads as before), closed above; every row stays in the page."""
    rows = [["1"]] * (LONG_ROWS + 1)
    closed = folded("every layer", table(["a"], rows), len(rows))
    assert closed.startswith(f"<details><summary>{LONG_ROWS + 1} rows: every layer</summary>")
    assert closed.count("<tr>") == LONG_ROWS + 2  # (the header's row too)
    assert folded("every layer", "", LONG_ROWS).startswith(f"<details open><summary>{LONG_ROWS} rows: every layer")
    assert folded("x", "", 1).startswith("<details open><summary>1 row: x")


def test_the_layer_table_leaves_out_the_cost_column_of_an_instrument_never_held() -> None:
    """The call-spread run's "VX P&L at rolls" was $0 on every row (no VX future held): not shown; nor a VX run's
    spread decay (no VIX option). layers.csv keeps both."""
    from vixhedge.html import LAYER_COLUMNS, layer_columns

    keys = lambda kinds: [c[0] for c in layer_columns(pd.DataFrame({"kind": kinds}))]
    assert "vx_roll_carry_usd" not in keys(["spx_option", "vix_option"]) and "spread_decay_usd" in keys(["vix_option"])
    assert "spread_decay_usd" not in keys(["spx_option", "vx_future"]) and "vx_roll_carry_usd" in keys(["vx_future"])
    assert len(keys(["vx_future", "vix_option"])) == len(LAYER_COLUMNS)


def test_a_short_runs_page_folds_its_long_parts(short_folder: Path) -> None:
    """The short run (2015-06..12): its layers and condors open (under LONG_ROWS), Parameters and the data files'
    hashes folded with their counts; the Reproduce rows the golden test leaves out (environment) unchanged."""
    page = (short_folder / "report.html").read_text(encoding="utf-8")
    mf = json.loads((short_folder / "manifest.json").read_text(encoding="utf-8"))
    layers = len(pd.read_csv(short_folder / "layers.csv"))
    assert f"<details open><summary>{layers} rows: every layer (<code>layers.csv</code>)</summary>" in page
    n = len(mf["data_files"])
    assert (f"<summary>{n} rows: the data files the run read and their sha256 (manifest.json "
            "<code>data_files</code>)</summary>") in page
    assert all(f"<td>{d['name']}</td><td>{d['sha256']}</td>" in page for d in mf["data_files"])
    assert re.search(r"<details><summary>\d+ rows: every key \(<code>config.toml</code>\)</summary>", page)
    assert "<tr><td>git commit</td><td>" in page


def test_the_run_page_counts_with_separators_and_spaces_its_data_source(short_folder: Path) -> None:
    """Trial VIS27 (the 2008-2012 real run at 1,400 px): "data directory:/work/shared/data" in the subtitle, the
    Reproduce data row and every figure's subtitle; "(1259 trading days)", "days with a condor 1186"."""
    from vixhedge.fmt import source_words

    assert source_words("directory:/work/shared/data") == "directory: /work/shared/data"
    assert (source_words("embedded:arch.data(sp500,vix)"), source_words("x")) == ("embedded: arch.data(sp500,vix)", "x")
    page = (short_folder / "report.html").read_text(encoding="utf-8")
    sub = re.search(r'<p class="sub">(.*?)</p>', page).group(1)
    assert sub.endswith("; data embedded: arch.data(sp500,vix)") and "<td>data</td><td>embedded: arch.data" in page
    days = pd.read_csv(short_folder / "daily.csv")
    assert f"({len(days)} trading days)" in sub  # under 1,000: the separator shows in days_with_condor below
    from vixhedge.html import _vega

    m = {"vega_drift": {"days_with_condor": 1186, "band": [0.5, 1.0], "unit": "x", "mean_abs_drift_usd": 1.0,
                        "max_drift_usd": 2.0, "share_days_outside_band": 0.5, "mean_hedge_ratio": 0.8}}
    assert "<tr><td>days with a condor</td><td>1,186</td>" in _vega(m)
    assert "table.kv td:nth-child(2) { white-space: nowrap; }" in STYLE


# ----------------------------------------------------------------------------- in a real browser

MEASURE = """<script>
var out = [];
document.querySelectorAll('details').forEach(function (d) { d.open = true; });
document.querySelectorAll('table').forEach(function (t) {
  out.push(Math.round(t.getBoundingClientRect().width) + ' ' + t.parentElement.className); });
var pre = document.createElement('pre'); pre.id = 'M'; pre.textContent = out.join('|');
document.body.appendChild(pre);
</script>"""


def measured(tmp_path: Path, page: str) -> str:
    """What the page's measuring script (:data:`MEASURE`) wrote, ``page`` laid out by Chromium at 1,400 x 900 px."""
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    done = subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,900", "--dump-dom",
                           (tmp_path / "p.html").as_uri()], capture_output=True, text=True, timeout=60)
    found = re.search(r'<pre id="M">(.*?)</pre>', done.stdout, re.S)
    assert done.returncode == 0 and found, done.stderr[-2000:]
    return found.group(1)


def test_at_1400_px_a_layer_and_a_rules_table_fit_the_page(tmp_path: Path) -> None:
    """A run's layer table of the real-data run's shape (12 columns, long triggers, 5-figure P&Ls, 60 rows) and a
    rules table with the real-data run's "why 0" text, laid out by Chromium at 1,400 px: both fit the 1,040 px
    body (they were 1,058 and 2,168 px)."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium); not installed here")
    from vixhedge.html import LAYER_COLUMNS
    from vixhedge.page_style import page_head

    why = ("off: the A/D file /work/shared/data/nyse_breadth_computed_2023_2026/advance_decline_2023_2026.csv.gz "
           "holds 2023-06-21 .. 2026-06-17, no session of the run's window 2007-06-01 .. 2022-12-30: give a "
           "hedge.fomc.ad_csv that covers the run (or hedge.fomc.require_ad = false)")
    row = ["397", "vx_future", "2", "review_fear_rising+expansion_cadence+hist_expanding+steep", "2007-06-06", "3",
           "2007-09-13", "bullish_divergence+fomc", "-$120,372", "$55,350", "$0", "$117,014"]
    page = (page_head("layout") + table([h for _, h, _ in LAYER_COLUMNS], [row] * 60, "grid", (1, 3, 4, 6, 7))
            + table(["rule id", "bars acted", "why 0"], [["fomc_cadence", "0", why]] * 3, "grid", (0, 2))
            + MEASURE + "</body></html>")
    tables = [w.split(" ", 1) for w in measured(tmp_path, page).split("|")]
    assert [box for _, box in tables] == ["scroll wide long", "scroll"]
    assert all(int(w) <= 1040 for w, _ in tables), tables


def test_at_1400_px_a_key_value_tables_values_keep_to_one_line(tmp_path: Path) -> None:
    """Trial VIS27 (the 2008-2012 real run at 1,400 px): value cells wrapped ("1,509 / days", "0 by / buying /
    power", "7.90x / peak") beside long conventions; each value is one line, the convention wraps."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium (apt-get install -y chromium); not installed here")
    from vixhedge.page_style import kv_table, page_head

    long = "the initial cash less the lowest excess liquidity, at a day's end or at a session's check " * 4
    rows = [("max drawdown duration", "1,509 days", long), ("days constrained", "0 by buying power", long),
            ("margin utilisation", "7.90x peak", long), ("best / worst", "$18,731 / -$43,909", long)]
    script = MEASURE.replace("document.querySelectorAll('table')", "document.querySelectorAll('td:nth-child(2)')").replace(
        "Math.round(t.getBoundingClientRect().width) + ' ' + t.parentElement.className",
        "(function (r) { r.selectNodeContents(t); return new Set(Array.from(r.getClientRects()).map("
        "function (x) { return Math.round(x.top); })).size; })(document.createRange()) + ' ' + t.textContent")
    cells = [c.split(" ", 1) for c in measured(tmp_path, page_head("kv") + kv_table(rows) + script + "</body></html>")
             .split("|")]
    assert [v for _, v in cells] == [r[1] for r in rows] and all(n == "1" for n, _ in cells), cells


def test_a_folded_part_prints_whole(tmp_path: Path) -> None:
    """A closed ``<details>`` (Hedge layers over LONG_ROWS rows, Parameters) printed its summary line alone: Chromium's
    PDF of a page with one holds its rows (``details::details-content`` in the print rules; Chromium 131 and later)."""
    if not CHROMIUM.exists() or not shutil.which("pdftotext"):
        pytest.skip("needs Debian's chromium at /usr/bin/chromium and poppler-utils' pdftotext "
                    "(apt-get install -y chromium poppler-utils); not installed here")
    from vixhedge.page_style import page_head

    rows = [[f"row{k}"] for k in range(LONG_ROWS + 1)]
    page = page_head("print") + folded("every layer", table(["layer"], rows), len(rows)) + "</body></html>"
    assert "<details><summary>" in page  # closed on screen
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    done = subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                           f"--user-data-dir={tmp_path / 'profile'}", "--no-pdf-header-footer",
                           f"--print-to-pdf={tmp_path / 'p.pdf'}", (tmp_path / "p.html").as_uri()],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and (tmp_path / "p.pdf").exists(), done.stderr[-2000:]
    text = subprocess.run(["pdftotext", str(tmp_path / "p.pdf"), "-"], capture_output=True, text=True).stdout
    assert f"{LONG_ROWS + 1} rows: every layer" in text and "row0" in text and f"row{LONG_ROWS}" in text


def test_a_ruined_two_session_runs_benchmarks_and_per_year_figures_are_said() -> None:
    """Trial VIS22 item 5: a 2-session ruined run's "Relative to the benchmarks" was a header over an empty body, and
    its return on margin per year ("-29745.04%/yr") and hedge cost per year ("$278,284,356 per year") sat outside
    the short-window caveat's list (percents keep no thousands separator: README, *Conventions*)."""
    from types import SimpleNamespace

    from vixhedge.caveats import window_caveats
    from vixhedge.core import config as C
    from vixhedge.report_sections import benchmark

    bench = pd.DataFrame({"nav_usd": [1e6, 0.0], "spx_tr_nav_usd": [1e6, 1.01e6], "no_hedge_nav_usd": [1e6, 1e6]},
                         index=pd.to_datetime(["2020-03-09", "2020-03-10"]))
    section = benchmark(SimpleNamespace(benchmark=bench, config=C.load_default()))
    assert "<table" not in section and "Under 3 sessions to compare (to the ruin, where the run was ruined)" in section
    short = window_caveats(145, 2)[0]
    assert short.startswith("only 2 sessions to the ruin: the annualised figures (CAGR, vol, Sharpe, Sortino, Calmar, "
                            "return on margin per year, the hedge cost's per-year figures)")


def test_a_data_note_is_a_sentence_and_its_command_is_code() -> None:
    """Trial VIS22 item 6: the real-data run's banner showed "`vixhedge data check` counts stale opens by year" with
    its backticks, and the call-spread run's console data line ran "... likely cross too little spread MACD warmed on
    39 sessions" (a note without its full stop joined to the next)."""
    from vixhedge.caveats import in_html, sentence
    from vixhedge.page_banners import provenance_banner

    assert in_html("no proxy measured better, `vixhedge data check` counts stale opens by year") == (
        "no proxy measured better, <code>vixhedge data check</code> counts stale opens by year")
    assert sentence("cross too little spread") == "cross too little spread." and sentence("0.005).") == "0.005)."
    p = {"verdict": "v.", "rests_on_model": True, "marks": {}, "fills": {},
         "notes": ["fills at bid/ask likely cross too little spread", "`vixhedge data check` counts stale opens"]}
    banner = provenance_banner({"data_provenance": p})
    assert ("<p>fills at bid/ask likely cross too little spread.</p>\n<p><code>vixhedge data check</code> counts "
            "stale opens.</p>") in banner


def test_the_data_load_notes_are_on_the_page(short_folder: Path, tmp_path: Path) -> None:
    """Trial VIS27 (`vixhedge run --data-dir ../shared/data --start 2008-01-02 --end 2012-12-31`): the VX rows
    rejected and the VX listing gaps reached stderr and manifest.json ``data_notes``, never report.html. They are a
    list under the data banner, open up to DATA_NOTES_OPEN, folded (counted) above; none: nothing."""
    from vixhedge.cli import main
    from vixhedge.page_banners import DATA_NOTES_OPEN, data_notes

    notes = ["VX files: 330 rows dated 2007-01-19..2012-10-12 were rejected; `vixhedge data check /work/shared/data` "
             "lists them", "VX listing: in 2008-01-02..2012-12-31 the VX files hold no settle yet of some months"]
    shown = data_notes({"data_notes": notes})
    assert shown.startswith("<details open><summary>2 data notes (stderr and manifest.json <code>data_notes</code>)")
    assert "<li>VX files: 330 rows" in shown and "<code>vixhedge data check /work/shared/data</code> lists them.</li>" \
        in shown
    assert data_notes({"data_notes": notes * DATA_NOTES_OPEN}).startswith("<details><summary>6 data notes")
    assert data_notes({}) == "" and data_notes({"data_notes": []}) == ""
    folder = tmp_path / short_folder.name
    shutil.copytree(short_folder, folder)
    mf = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    (folder / "manifest.json").write_text(json.dumps({**mf, "data_notes": notes}), encoding="utf-8")
    assert main(["report", str(folder)]) == 0
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert page.index("<b>Data:</b>") < page.index("2 data notes") < page.index("<h2>Performance</h2>")
