"""The run folder's figures and report.html: self-contained, read back as the run's frames, rendered by a real
browser; the page's layout on a phone. (The run is conftest's ``short_run``: the default config over 2015-06..12.)"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import vixhedge.run
from vixhedge.core import config as C
from vixhedge.cli import main
from vixhedge.html import FIGURES, load_run
from vixhedge.report import write_run
from vixhedge.run import run_backtest


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def _tags(text: str) -> list[tuple[str, dict]]:
    p = _Tags()
    p.feed(text)
    return p.tags


def test_folder_holds_csvs_figures_and_report(short_folder: Path) -> None:
    names = {p.name for p in short_folder.iterdir()}
    assert {"attribution.csv", "report.html"} | {name for name, _, _ in FIGURES} <= names
    for name, _, _ in FIGURES:
        svg = (short_folder / name).read_bytes()
        assert name.endswith(".svg") and svg.startswith(b"<svg ") and svg.endswith(b"</svg>\n")
        ET.fromstring(svg)  # well-formed XML


@pytest.mark.parametrize("name", ["daily", "attribution", "trades", "layers", "condors", "signals_log",
                                  "capital_cuts"])
def test_load_run_gives_back_the_result_frames(short_folder: Path, short_run, name: str) -> None:
    """Every frame read back from the folder equals the RunResult frame of the same name (DatetimeIndex, parsed
    dates), up to the CSVs' six decimals. The decision log is ``signals_log`` in both (the folder called it
    ``signals``, which on a RunResult is the signal set: code written against one broke on the other)."""
    back = getattr(load_run(short_folder), name)
    mine = getattr(short_run, name)
    assert not hasattr(load_run(short_folder), "signals")  # no name meaning one thing here and another on a RunResult
    assert isinstance(back.index, pd.DatetimeIndex) and isinstance(mine.index, pd.DatetimeIndex)
    assert len(mine) > 0
    pd.testing.assert_frame_equal(back, mine, check_dtype=False, check_exact=False, rtol=0, atol=5e-7,
                                  check_index_type=True)


def test_result_frames_work_the_notebook_way(short_run) -> None:
    d = short_run.daily
    assert d.index.name == "date" and isinstance(d.index, pd.DatetimeIndex)
    monthly = d["nav_usd"].resample("ME").last()  # raised on datetime.date objects
    assert len(monthly) == 7 and monthly.index[0] == pd.Timestamp("2015-06-30")
    assert len(d.loc["2015-07"]) == 22  # partial-string indexing: July 2015 has 22 sessions
    r = short_run.returns
    assert r.index.equals(d.index[1:]) and r.iloc[0] == pytest.approx(d["nav_usd"].iloc[1] / d["nav_usd"].iloc[0] - 1)
    assert short_run.condors["expiry"].dtype.kind == "M" and short_run.trades.index.name == "date"


def test_result_and_its_folder_show_one_line_and_a_notebook_the_summary(short_run, short_folder: Path) -> None:
    """``repr(result)`` printed every frame (40,124 characters in the trial); now one line: name, window, hedge,
    final NAV and Sharpe as the console summary words them, no folder; a notebook shows the summary itself. The
    folder read back shows the same line and its folder's name."""
    import html

    from vixhedge.html import usd
    from vixhedge.summary import summary_table

    p, days = short_run.metrics["performance"], short_run.metrics["counts"]["days"]
    line = (f"'default', 2015-06-01..2015-12-31 ({days} days), hedge alvh (vx_future), "  # short_run; default hedge
            f"final NAV {usd(p['end_nav_usd'])}, Sharpe {p['sharpe']:.2f}")
    assert repr(short_run) == f"RunResult({line})"
    assert short_run._repr_html_() == f"<pre>{html.escape(summary_table(short_run))}</pre>"
    assert repr(load_run(short_folder)) == f"RunFiles({line}, folder {short_folder.name!r})"
    assert "signals_log" in vixhedge.run.RunResult.__doc__ and "signal set" in vixhedge.run.RunResult.__doc__


def test_readme_from_python_example_imports_vixhedge_api_only_and_runs(tmp_path: Path, monkeypatch) -> None:
    """README "From Python": its example imports from ``vixhedge.api`` alone (it imported five modules while the
    README calls vixhedge.api the one surface notebooks import), every name it and its text call is in
    ``vixhedge.api.__all__``, and it runs (in an empty folder: it writes runs/)."""
    import vixhedge.api as api

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = text.split("### From Python\n", 1)[1].split("\n### ", 1)[0]
    block = section.lstrip("\n").split("\n\n`", 1)[0]  # the indented example, up to the first paragraph
    code = "\n".join(line[4:] for line in block.splitlines())
    imports = [line for line in code.splitlines() if "import" in line]
    assert [line for line in imports if "vixhedge" in line and not line.startswith("from vixhedge.api import ")] == []
    used = {n.strip() for line in imports if line.startswith("from vixhedge.api")
            for n in line.split(" import ")[1].split(",")}
    called = {"write_run", "load_run", "load_comparison", "compare", "fig_equity", "fig_attribution", "fig_vx_macd",
              "fig_vega", "fig_benchmark", "Comparison"}  # what the section's text names
    assert all(f"`{n}" in section for n in called)
    assert used and (used | called) <= set(api.__all__), (used | called) - set(api.__all__)
    monkeypatch.chdir(tmp_path)
    names: dict = {}
    exec(compile(code, "README.md From Python", "exec"), names)
    assert isinstance(names["res"], api.RunResult) and names["folder"].parent == Path("runs")
    assert names["files"].daily.shape == names["res"].daily.shape and names["svg"].startswith("<svg ")


def test_importing_and_drawing_never_change_the_matplotlib_backend() -> None:
    """A notebook's backend survives importing every module and drawing a figure (a fresh interpreter)."""
    code = ("import matplotlib; matplotlib.use('svg'); import importlib, pkgutil\n"
            "import vixhedge, feeds, strategies, analyzers\n"
            "for pkg in (vixhedge, feeds, strategies, analyzers):\n"
            "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
            "        if not m.name.endswith(('__main__', '.bench')): importlib.import_module(m.name)\n"
            "from vixhedge.core import config as C; from vixhedge.run import run_backtest; from vixhedge import report\n"
            "import tempfile, pathlib\n"
            "res = run_backtest(C.replace(C.load_default(), run={'start': '2016-01-04', 'end': '2016-03-31'}))\n"
            "folder = report.write_run(res, pathlib.Path(tempfile.mkdtemp()))\n"
            "from vixhedge.html import load_run; from vixhedge.compare import compare\n"
            "from vixhedge.compare_report import fig_paired\n"
            "fig = fig_paired(compare(res.config, res.market, ('none', 'alvh'), n_boot=100))\n"
            "print(matplotlib.get_backend(), type(fig).__name__)")
    import subprocess
    import sys

    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.split()[-2:] == ["svg", "Figure"]


def test_attribution_csv_round_trips(short_folder: Path, short_run) -> None:
    back = pd.read_csv(short_folder / "attribution.csv", index_col="date")
    assert list(back.columns) == list(short_run.attribution.columns)
    assert list(back.index) == [f"{d:%Y-%m-%d}" for d in short_run.attribution.index]
    np.testing.assert_allclose(back.to_numpy(), short_run.attribution.to_numpy(), rtol=0, atol=5e-7)
    parts = back.drop(columns="total_pnl_usd").sum(axis=1)
    np.testing.assert_allclose(parts, back["total_pnl_usd"], rtol=0, atol=0.005)  # to the cent, as written


def test_report_is_self_contained(short_folder: Path) -> None:
    text = (short_folder / "report.html").read_text(encoding="utf-8")
    tags = _tags(text)
    imgs = [a for t, a in tags if t == "img"]
    assert len(imgs) == len(FIGURES)
    for (name, title, _), attrs in zip(FIGURES, imgs, strict=True):
        src = attrs["src"]
        assert src.startswith("data:image/svg+xml;base64,"), src[:40]
        assert base64.b64decode(src.split(",", 1)[1]) == (short_folder / name).read_bytes()  # the folder's own SVG
        assert attrs["alt"] == title
    assert not re.search(r"https?://", text, re.IGNORECASE)
    assert not [t for t, _ in tags if t in ("script", "link", "iframe", "object", "embed")]
    assert not [a for _, a in tags if any(k in a for k in ("href", "srcset"))]
    assert "url(" not in text and "@import" not in text
    for heading in ("Performance", "Hedge cost", "Hedge layers", "Condors", "Reproduce"):
        assert f"<h2>{heading}</h2>" in text


def test_layer_table_names_the_roll_pnl_no_carry(short_folder: Path) -> None:
    """report.html's Hedge layers column from layers.csv vx_roll_carry_usd is the VX P&L realised at the layer's
    rolls, VIX move included (the trial: a layer's +$20,000 of Aug 2015 headed "roll carry", while the Hedge cost
    table calls the same money "VX P&L realised at rolls" and the carry another row): headed "VX P&L at rolls"."""
    text = (short_folder / "report.html").read_text(encoding="utf-8")
    layers = text.split("<h2>Hedge layers</h2>", 1)[1].split("<h2>", 1)[0]
    assert "<th>VX P&amp;L at rolls</th>" in layers and "roll carry" not in layers
    assert "vx_roll_carry_usd" in pd.read_csv(short_folder / "layers.csv").columns  # the CSV column keeps its name


def test_condor_table_shows_the_wings_left_and_says_pnl_holds_them(short_folder: Path) -> None:
    """Trial (2026-12-03, real data, wing_delta 0.005): a condor's P&L $70,798 on a credit of 33.70 x 4, from a wing
    left at bid 0 that settled a month later; report.html's Condors table had no wings_left column (condors.csv has
    it) and said nothing. The table shows it per condor, with a caption saying the P&L holds those wings."""
    text = (short_folder / "report.html").read_text(encoding="utf-8")
    table = text.split("<h2>Condors</h2>", 1)[1].split("<h2>", 1)[0]
    assert "<th class=\"t\">wings left</th>" in table and "held to expiry" in table.split('<div class="scroll')[0]
    # audit (2026-12-03): a condor_vega_cut leaves bid-0 wings open too (strategies.condor.wings_left); the caption
    # names it with the exit and the margin call (README, condors.csv wings_left)
    assert "the wings an exit, a margin call or a condor vega cut left open at bid 0" in table
    left = pd.read_csv(short_folder / "condors.csv")["wings_left"]
    assert left.notna().any()  # this window (2015-06..12, default config) has exits that left wings open
    cells = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1].split("</table>", 1)[0], flags=re.S)
    shown = [re.findall(r"<td[^>]*>(.*?)</td>", row)[11] for row in cells]  # 12th column, the last: wings left
    assert shown == [w.replace(";", ", ") if isinstance(w, str) else "" for w in left]


def test_rules_fired_says_which_rules_were_off_and_why(short_folder: Path) -> None:
    """The trial: fomc_cadence, event_window and ad_filter showed 0 with no word, and the run's policy note (no A/D
    file embedded) was nowhere in the report. The default config: require_ad on, no hedge.fomc.ad_csv; rsi off."""
    text = (short_folder / "report.html").read_text(encoding="utf-8")
    table = text[text.index("<h2>Rules fired</h2>"):text.index("<h2>Hedge layers</h2>")]
    for rule in ("fomc_cadence", "event_window", "ad_filter"):
        assert re.search(rf"<td class=\"t\">{rule}</td><td class=\"t w\">[^<]*</td><td>0</td><td class=\"t w\">off: "
                         "needs an A/D file: hedge.fomc.ad_csv", table)  # (rule id, what it does, bars, why 0)
    assert "<td class=\"t w\">off: hedge.rsi.enabled = false</td>" in table  # (w: it wraps; trial VIS22)
    assert "<td class=\"t\">review</td><td" in table and "hedge.fomc: no S&amp;P 500 advance/decline input" in table


def test_report_tables_show_dates_as_days(short_folder: Path) -> None:
    text = (short_folder / "report.html").read_text(encoding="utf-8")
    files = load_run(short_folder)
    first = files.condors["entry_date"].iloc[0]  # condors.csv's first entry, as the report shows it
    assert f"<td class=\"t\">{first:%Y-%m-%d}</td>" in text
    assert "00:00:00" not in text


def test_report_without_hedge_layers(tmp_path: Path, short_run) -> None:
    cfg = C.replace(short_run.config, hedge={"mode": "none"})
    out = write_run(run_backtest(cfg, short_run.market), tmp_path)
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "No hedge layers in this run." in text
    assert len([t for t, _ in _tags(text) if t == "img"]) == len(FIGURES)


# ----------------------------------------------------------------------------- a real browser

def test_report_renders_in_headless_chromium(short_folder: Path, rendered) -> None:
    """Chromium loads the page: every section, figure and table is there, in report order."""
    dom, _ = rendered(short_folder / "report.html")
    heads = [text for tag, _, text in dom if tag == "h2"]
    # trial VIS42 M1: the answers first
    assert heads[:5] == ["At a glance", "Performance", "Capital", "Equity and drawdown", "Against the benchmarks"]
    assert {"Monthly returns", "P&L attribution", "Hedge cost", "Hedge layers", "Condors", "Parameters",
            "Reproduce"} <= set(heads)
    assert [a["alt"] for tag, a, _ in dom if tag == "img"] == [title for _, title, _ in FIGURES]
    h3 = [text for tag, _, text in dom if tag == "h3"]
    assert {"Relative to the benchmarks", "Condor trades"} <= set(h3)
    cells = [text for tag, _, text in dom if tag == "td"]
    assert "S&P 500 total return" in cells and "same run without hedge" in cells and "win rate" in cells
    # the page's own CSS draws in greys only: colour comes from the figures
    css = re.search(r"<style>(.*?)</style>", (short_folder / "report.html").read_text(encoding="utf-8"), re.S).group(1)
    colours = re.findall(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", css)
    assert colours and all(_is_grey(c) for c in colours), colours


def _is_grey(hex_colour: str) -> bool:
    six = "".join(ch * 2 for ch in hex_colour) if len(hex_colour) == 3 else hex_colour
    return six[0:2] == six[2:4] == six[4:6]


def test_parquet_outputs_are_the_result_frames_at_full_precision(short_run, tmp_path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow not installed: python -m pip install -e '.[parquet]'")
    folder = write_run(short_run, tmp_path, parquet=True)
    for name, frame in (("daily", short_run.daily), ("trades", short_run.trades), ("condors", short_run.condors),
                        ("signals", short_run.signals_log), ("attribution", short_run.attribution)):
        back = pd.read_parquet(folder / f"{name}.parquet")
        pd.testing.assert_frame_equal(back, frame, check_freq=False)  # exact: no CSV rounding
    assert isinstance(pd.read_parquet(folder / "benchmark.parquet").index, pd.DatetimeIndex)



def test_parquet_frames_carry_no_attrs_pandas_cannot_write(short_run, tmp_path, monkeypatch) -> None:
    """Trial REV23: with pyarrow installed `vixhedge run --parquet` ended in "TypeError: Object of type set is not JSON
    serializable" (exit 3): pandas writes a frame's attrs into the file as JSON, and the run's daily keeps a set of
    margin-call days and a dict of dated checks there. Without pyarrow here, a stand-in writer does what pandas does
    with attrs; the frames go without them (the test above, with pyarrow, reads every value back)."""
    import json

    written = []

    def to_parquet(frame, path, *args, **kwargs):
        json.dumps(frame.attrs)  # (pandas.io.parquet: the attrs' JSON goes into the file's metadata)
        written.append(Path(path).name)
        Path(path).write_bytes(b"")

    monkeypatch.setattr(pd.DataFrame, "to_parquet", to_parquet)
    assert short_run.daily.attrs  # (what made it fail)
    write_run(short_run, tmp_path, parquet=True)
    assert "daily.parquet" in written and short_run.daily.attrs  # the result's own frame keeps them

def test_parquet_without_pyarrow_is_one_line_before_work(tmp_path, monkeypatch, capsys) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "pyarrow" else real(name, *a))
    assert main(["run", "--parquet", "--runs-dir", str(tmp_path / "runs")]) == 2
    err = capsys.readouterr().err
    # README's set-up form from a source checkout (a trial found the message and the README naming different ones)
    assert "python -m pip install -e '.[parquet]'" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "runs").exists()


def _help(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    return " ".join(capsys.readouterr().out.split())


def test_run_help_names_every_file_a_run_folder_holds(short_folder, capsys) -> None:
    """`vixhedge run --help` lists the CSVs a run writes (a trial found benchmark, signals and capital_cuts
    missing) and `vixhedge --help` says report redraws the figures too; the parquet hint is the README's."""
    text = _help(["run", "--help"], capsys)
    listed = re.search(r"metrics, ([a-z_/]+) CSV, SVG figures, report\.html", text.replace("/ ", "/"))
    assert listed and set(listed.group(1).split("/")) == {p.stem for p in short_folder.glob("*.csv")}
    assert "needs pyarrow: python -m pip install -e '.[parquet]'" in text
    top = _help(["--help"], capsys)
    assert "report redraw the figures and rebuild report.html" in top  # (HELP32 L2: a compare folder's are PNGs)


def test_report_takes_quiet_as_the_other_commands_do(short_folder, capsys) -> None:
    """`vixhedge report -q FOLDER` (and --quiet): the page is rebuilt and its path printed, as without it (trial:
    report was the one command refusing -q)."""
    for flag in ("-q", "--quiet"):
        assert main(["report", flag, str(short_folder)]) == 0
        assert capsys.readouterr().out.strip() == str(short_folder / "report.html")
    assert "-q, --quiet" in _help(["report", "--help"], capsys)


def test_a_text_column_heads_left_and_wraps_after_a_plus_in_the_page_only() -> None:
    """Trial finding (screenshots, 2026-12-04): the layers table's trigger
    ``review_fear_rising+expansion_cadence+hist_expanding+flat_otm`` stayed on one line and pushed net P&L off-screen,
    and the headers of left-aligned text columns sat right. A text column's cell may break after each '+' (a <wbr>,
    the text itself unchanged) and its header carries the column's alignment; a date does not wrap (Chrome broke 2014-03-13 at its hyphens)."""
    from vixhedge.html import STYLE, table

    page = table(["layer", "trigger", "net P&L"], [["1", "a+b&c", "$5"]], "grid", (1,))
    assert '<th>layer</th><th class="t">trigger</th><th>net P&amp;L</th>' in page
    assert '<td>1</td><td class="t w">a+<wbr>b&amp;c</td><td>$5</td>' in page  # w: may wrap
    assert "table.grid td.w { white-space: normal; }" in STYLE and "th.t, td.t { text-align: left; }" in STYLE
    assert '<td class="t">2016-01-04</td>' in table(["entry"], [["2016-01-04"]], "grid", (0,))  # a date: no wrap


def test_on_a_phone_the_text_takes_the_window_width_and_wide_tables_and_figures_scroll(short_folder: Path) -> None:
    """Left from session 9's screenshots: the page did not adapt below ~800 px. Without a viewport line a phone lays
    it out 980 px wide and shrinks it; a table wider than the window (the benchmarks', rules fired) pushed the whole
    page sideways. Now the head carries the viewport line and each table sits in its own sideways-scrolling box;
    below 700 px a figure keeps a readable 700 px width and scrolls the same way (checked in headless Chromium at
    420 px, 2026-12-04); since trial VIS42 M2 (an 1,100 px figure's 11 px text read 7.7 px at 800 px) below 960 px
    it keeps 900 px. The data banner's small table is the one drawn without html.table."""
    from vixhedge.page_style import STYLE

    page = (short_folder / "report.html").read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    tables = page.count("<table")
    # (a wide or long table's box has more classes: page_style; trial VIS22)
    assert tables > 5 and len(re.findall(r'<div class="scroll[ a-z]*"><table', page)) == tables - page.count("<table><tr>")
    assert "@media (max-width: 960px) { figure { overflow-x: auto; } figure img { max-width: none; width: 900px; } }" \
        in STYLE


def test_a_command_breaks_only_between_its_words() -> None:
    from vixhedge.html import table

    page = table(("", ""), [("command", "vixhedge compare x.toml --ci-method bca")], "narrow", unbroken=(1,))
    assert ('<td>vixhedge compare x.toml <span class="nw">--ci-method</span> bca</td>') in page


def test_a_report_rebuilt_while_a_rerun_swaps_the_folder_writes_nothing(short_folder: Path, tmp_path: Path,
                                                                           monkeypatch) -> None:
    """Trial IO (finding 4): `vixhedge report` loaded a run folder, a rerun of the same run swapped a new folder in,
    and the report wrote the old run's figures into it (its report.html said 4.48% drawdown beside metrics.json's
    3.86%). Now a folder replaced meanwhile is refused, nothing written; the new folder keeps its own files."""
    import shutil

    from vixhedge import report
    from vixhedge.runfolder import RunFolderError

    folder = tmp_path / "run"
    shutil.copytree(short_folder, folder)
    newer = tmp_path / "newer"
    shutil.copytree(short_folder, newer)
    (newer / "report.html").write_text("the rerun's page")
    draw = report.draw_figures

    def swapped_while_drawing(files):
        out = draw(files)
        folder.rename(tmp_path / "old")  # the rerun's swap (atomic_folder)
        newer.rename(folder)
        return out

    monkeypatch.setattr(report, "draw_figures", swapped_while_drawing)
    with pytest.raises(RunFolderError, match="was replaced while its report was being rebuilt"):
        report.rebuild_report(folder)
    assert (folder / "report.html").read_text() == "the rerun's page"
