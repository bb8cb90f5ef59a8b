"""The run folder's figures and report.html: self-contained, rebuilt from the folder's files alone,
rendered by a real browser."""

from __future__ import annotations

import base64
import html
import re
import shutil
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import feeds.market
import vixhedge.run
from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge.cli import main
from vixhedge.html import FIGURES, RunFolderError, load_run
from vixhedge.report import rebuild_report, write_run
from vixhedge.run import run_backtest

SHORT = {"start": "2015-06-01", "end": "2015-12-31"}


@pytest.fixture(scope="module")
def result():
    cfg = C.replace(C.load_default(), run=SHORT)
    return run_backtest(cfg, build_market(cfg.market), engine="backtrader")  # fast is run_backtest's default


@pytest.fixture(scope="module")
def folder(result, tmp_path_factory) -> Path:
    return write_run(result, tmp_path_factory.mktemp("runs"))


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


def test_folder_holds_csvs_figures_and_report(folder: Path) -> None:
    names = {p.name for p in folder.iterdir()}
    assert {"attribution.csv", "report.html"} | {name for name, _, _ in FIGURES} <= names
    for name, _, _ in FIGURES:
        svg = (folder / name).read_bytes()
        assert name.endswith(".svg") and svg.startswith(b"<svg ") and svg.endswith(b"</svg>\n")
        ET.fromstring(svg)  # well-formed XML


@pytest.mark.parametrize("name", ["daily", "attribution", "trades", "layers", "condors", "signals_log",
                                  "capital_cuts"])
def test_load_run_gives_back_the_result_frames(folder: Path, result, name: str) -> None:
    """Every frame read back from the folder equals the RunResult frame of the same name (DatetimeIndex, parsed
    dates), up to the CSVs' six decimals. The decision log is ``signals_log`` in both (the folder called it
    ``signals``, which on a RunResult is the signal set: code written against one broke on the other)."""
    back = getattr(load_run(folder), name)
    mine = getattr(result, name)
    assert not hasattr(load_run(folder), "signals")  # no name meaning one thing here and another on a RunResult
    assert isinstance(back.index, pd.DatetimeIndex) and isinstance(mine.index, pd.DatetimeIndex)
    assert len(mine) > 0
    pd.testing.assert_frame_equal(back, mine, check_dtype=False, check_exact=False, rtol=0, atol=5e-7,
                                  check_index_type=True)


def test_result_frames_work_the_notebook_way(result) -> None:
    d = result.daily
    assert d.index.name == "date" and isinstance(d.index, pd.DatetimeIndex)
    monthly = d["nav_usd"].resample("ME").last()  # raised on datetime.date objects
    assert len(monthly) == 7 and monthly.index[0] == pd.Timestamp("2015-06-30")
    assert len(d.loc["2015-07"]) == 22  # partial-string indexing: July 2015 has 22 sessions
    r = result.returns
    assert r.index.equals(d.index[1:]) and r.iloc[0] == pytest.approx(d["nav_usd"].iloc[1] / d["nav_usd"].iloc[0] - 1)
    assert result.condors["expiry"].dtype.kind == "M" and result.trades.index.name == "date"


def test_result_and_its_folder_show_one_line_and_a_notebook_the_summary(result, folder: Path) -> None:
    """``repr(result)`` printed every frame (40,124 characters in the trial); now one line: name, window, hedge,
    final NAV and Sharpe as the console summary words them, no folder; a notebook shows the summary itself. The
    folder read back shows the same line and its folder's name."""
    import html

    from vixhedge.html import usd
    from vixhedge.summary import summary_table

    p, days = result.metrics["performance"], result.metrics["counts"]["days"]
    line = (f"'default', 2015-06-01..2015-12-31 ({days} days), hedge alvh (vx_future), "  # SHORT; default hedge
            f"final NAV {usd(p['end_nav_usd'])}, Sharpe {p['sharpe']:.2f}")
    assert repr(result) == f"RunResult({line})"
    assert result._repr_html_() == f"<pre>{html.escape(summary_table(result))}</pre>"
    assert repr(load_run(folder)) == f"RunFiles({line}, folder {folder.name!r})"
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


def test_attribution_csv_round_trips(folder: Path, result) -> None:
    back = pd.read_csv(folder / "attribution.csv", index_col="date")
    assert list(back.columns) == list(result.attribution.columns)
    assert list(back.index) == [f"{d:%Y-%m-%d}" for d in result.attribution.index]
    np.testing.assert_allclose(back.to_numpy(), result.attribution.to_numpy(), rtol=0, atol=5e-7)
    parts = back.drop(columns="total_pnl_usd").sum(axis=1)
    np.testing.assert_allclose(parts, back["total_pnl_usd"], rtol=0, atol=0.005)  # to the cent, as written


def test_report_is_self_contained(folder: Path) -> None:
    text = (folder / "report.html").read_text(encoding="utf-8")
    tags = _tags(text)
    imgs = [a for t, a in tags if t == "img"]
    assert len(imgs) == len(FIGURES)
    for (name, title, _), attrs in zip(FIGURES, imgs, strict=True):
        src = attrs["src"]
        assert src.startswith("data:image/svg+xml;base64,"), src[:40]
        assert base64.b64decode(src.split(",", 1)[1]) == (folder / name).read_bytes()  # the folder's own SVG
        assert attrs["alt"] == title
    assert not re.search(r"https?://", text, re.IGNORECASE)
    assert not [t for t, _ in tags if t in ("script", "link", "iframe", "object", "embed")]
    assert not [a for _, a in tags if any(k in a for k in ("href", "srcset"))]
    assert "url(" not in text and "@import" not in text
    for heading in ("Performance", "Hedge cost", "Hedge layers", "Condors", "Reproduce"):
        assert f"<h2>{heading}</h2>" in text


def test_layer_table_names_the_roll_pnl_no_carry(folder: Path) -> None:
    """report.html's Hedge layers column from layers.csv vx_roll_carry_usd is the VX P&L realised at the layer's
    rolls, VIX move included (the trial: a layer's +$20,000 of Aug 2015 headed "roll carry", while the Hedge cost
    table calls the same money "VX P&L realised at rolls" and the carry another row): headed "VX P&L at rolls"."""
    text = (folder / "report.html").read_text(encoding="utf-8")
    layers = text.split("<h2>Hedge layers</h2>", 1)[1].split("<h2>", 1)[0]
    assert "<th>VX P&amp;L at rolls</th>" in layers and "roll carry" not in layers
    assert "vx_roll_carry_usd" in pd.read_csv(folder / "layers.csv").columns  # the CSV column keeps its name


def test_condor_table_shows_the_wings_left_and_says_pnl_holds_them(folder: Path) -> None:
    """Trial (2026-12-03, real data, wing_delta 0.005): a condor's P&L $70,798 on a credit of 33.70 x 4, from a wing
    left at bid 0 that settled a month later; report.html's Condors table had no wings_left column (condors.csv has
    it) and said nothing. The table shows it per condor, with a caption saying the P&L holds those wings."""
    text = (folder / "report.html").read_text(encoding="utf-8")
    table = text.split("<h2>Condors</h2>", 1)[1].split("<h2>", 1)[0]
    assert "<th class=\"t\">wings left</th>" in table and "held to expiry" in table.split('<div class="scroll">')[0]
    # audit (2026-12-03): a condor_vega_cut leaves bid-0 wings open too (strategies.condor.wings_left); the caption
    # names it with the exit and the margin call (README, condors.csv wings_left)
    assert "the wings an exit, a margin call or a condor vega cut left open at bid 0" in table
    left = pd.read_csv(folder / "condors.csv")["wings_left"]
    assert left.notna().any()  # this window (2015-06..12, default config) has exits that left wings open
    cells = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>", 1)[1].split("</table>", 1)[0], flags=re.S)
    shown = [re.findall(r"<td[^>]*>(.*?)</td>", row)[10] for row in cells]  # 11th column: wings left
    assert shown == [w.replace(";", ", ") if isinstance(w, str) else "" for w in left]


def test_rules_fired_says_which_rules_were_off_and_why(folder: Path) -> None:
    """The trial: fomc_cadence, event_window and ad_filter showed 0 with no word, and the run's policy note (no A/D
    file embedded) was nowhere in the report. The default config: require_ad on, no hedge.fomc.ad_csv; rsi off."""
    text = (folder / "report.html").read_text(encoding="utf-8")
    table = text[text.index("<h2>Rules fired</h2>"):text.index("<h2>Hedge layers</h2>")]
    for rule in ("fomc_cadence", "event_window", "ad_filter"):
        assert re.search(rf"<td class=\"t\">{rule}</td><td>0</td><td class=\"t\">off: needs an A/D file: hedge.fomc.ad_csv", table)
    assert "<td class=\"t\">off: hedge.rsi.enabled = false</td>" in table
    assert "<td class=\"t\">review</td><td>" in table and "hedge.fomc: no S&amp;P 500 advance/decline input" in table


def test_report_tables_show_dates_as_days(folder: Path) -> None:
    text = (folder / "report.html").read_text(encoding="utf-8")
    files = load_run(folder)
    first = files.condors["entry_date"].iloc[0]  # condors.csv's first entry, as the report shows it
    assert f"<td class=\"t\">{first:%Y-%m-%d}</td>" in text
    assert "00:00:00" not in text


def test_summary_rounds_and_names_units(result) -> None:
    from vixhedge.summary import summary_table

    text = summary_table(result)
    days = result.metrics["counts"]["days"]
    dd = result.metrics["performance"]["max_drawdown_duration_days"]
    p = result.metrics["performance"]
    assert not p["max_drawdown_recovered"]  # the short run's drawdown from its peak lasts to its last day
    assert f"({days} sessions)" in text
    assert f"({dd} calendar days from the peak {p['max_drawdown_peak']}, not recovered by the end)" in text
    assert not re.search(r"\d\.\d{3,}", text), text  # no 4-decimal percents or ratios (1-2 decimals)
    assert re.search(r"of condor credit\)", text) and re.search(r"hedge ratio median -?\d+\.\d\d, mean -?\d+\.\d\d\)", text)


@pytest.mark.parametrize("value, text", [(20184.50, "$20,185"), (-20184.50, "-$20,185"), (20184.49, "$20,184"),
                                         (2.5, "$3"), (1234567.5, "$1,234,568"), (float("nan"), "n/a")])
def test_money_rounds_half_up_once(value: float, text: str) -> None:
    """Whole dollars, halves away from zero (vixhedge.fmt.usd, the one rounding of printed figures): the trial's
    hedge net cost of $20,184.50 printed $20,184 (Python's format rounds an exact half to even: f"{20184.5:.0f}")
    in the run summary; a cost and the same P&L negated show the same digits."""
    from vixhedge.html import usd

    assert f"{20184.5:.0f}" == "20184" and usd(value) == text


def test_summary_states_the_base_of_its_total_return(result) -> None:
    """metrics.json's total_return is end NAV / the first day's end NAV - 1 (analyzers.metrics), not over
    run.initial_cash_usd: the summary names that base, as report.html does ("at the end of the first day")."""
    from vixhedge.html import usd
    from vixhedge.summary import summary_table

    p = result.metrics["performance"]
    assert p["total_return"] == p["end_nav_usd"] / p["start_nav_usd"] - 1
    assert p["start_nav_usd"] != result.config.run.initial_cash_usd  # the first day's fills and fees moved it
    line = next(ln for ln in summary_table(result).splitlines() if ln.strip().startswith("final NAV"))
    assert line.endswith(f"(total return {100 * p['total_return']:.2f}% from {usd(p['start_nav_usd'])}, the NAV at "
                         "the end of the first day)"), line


def test_summary_shows_the_constant_cash_rate_the_user_set() -> None:
    """A fresh-user trial: `[market] rates = "constant"`, `rate = 0.05` on the flash-crash window printed "4.65%/yr
    on average": performance.risk_free_rate compounds the mean cash return per session over 252 periods, and
    2010-05-03..05-28 has 19 steps over 25 calendar days (1.32 days a step, not 365/252): (1 + 0.05 x 25/19/365)^252
    - 1 = 4.65%. The summary states the rate as set: 5.00% (simple, ACT/365 over the window's calendar days). The
    same shape of window on the embedded market: 2015-06-01 (Mon) .. 06-26 (Fri), 20 sessions over 25 days."""
    from vixhedge.summary import summary_table

    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-06-26"},
                    market={"rates": "constant", "rate": 0.05})
    res = run_backtest(cfg, build_market(cfg.market))
    assert res.metrics["performance"]["risk_free_rate"] == pytest.approx((1 + 0.05 * 25 / 19 / 365) ** 252 - 1)
    line = next(ln for ln in summary_table(res).splitlines() if ln.strip().startswith("Sharpe"))
    assert "over cash at the constant market.rate, 5.00%/yr (simple, ACT/365); 252 periods/yr" in line, line



def test_summary_says_when_the_macd_warmed_on_less_history_than_it_needs(result, tmp_path) -> None:
    """Trial (2026-12-03): the embedded market's data start 2014-01-03, so the default 2014-03-03 start has 39
    sessions of MACD history (20 in January 2014 from the 3rd, MLK day off; 19 in February, Presidents' day off);
    on real data that much history moved the confirmed crossover on 8 days up to 2014-04-11 (README). The summary's
    data line says so once; a run with feeds.periods.MACD_SETTLED_SESSIONS (92) or more before it (SHORT, from
    2015-06-01) says nothing; nor does a policy that reads no MACD."""
    from vixhedge.summary import summary_table, warmup_caveat

    cfg = C.replace(C.load_default(), run={"start": "2014-03-03", "end": "2014-04-30"})
    early = run_backtest(cfg, build_market(cfg.market))
    caveat = ("MACD warmed on 39 sessions (data from 2014-01-03); crossovers in the first weeks depend on its "
              "seeding (with 92 it is a full history's MACD within 0.005).")
    data = [ln for ln in summary_table(early).splitlines() if ln.strip().startswith("data ")]
    assert len(data) == 1 and data[0].endswith(" " + caveat) and summary_table(early).count("MACD warmed") == 1
    assert warmup_caveat(result) == "" and "MACD warmed" not in summary_table(result)
    static = run_backtest(C.replace(cfg, hedge={"mode": "static"}), build_market(cfg.market))
    assert warmup_caveat(static) == "" and "macd_warmup" not in static.metrics
    # review (2026-12-03): computed once, stored in metrics.json and said in report.html's data banner too
    assert early.metrics["macd_warmup"] == {"history_sessions": 39, "signal_delay_bars": 0,
                                            "data_from": "2014-01-03", "settled_sessions": 92}
    page = (write_run(early, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert page.count(html.escape(caveat)) == 1
    # with execution.signal_delay_bars = 1 the first decision reads the bar before the window: 38 sessions
    late = run_backtest(C.replace(cfg, execution={"signal_delay_bars": 1}), build_market(cfg.market))
    assert late.metrics["macd_warmup"]["history_sessions"] == 38
    assert warmup_caveat(late).startswith("MACD warmed on 38 sessions (data from 2014-01-03; its first decision "
                                          "reads the signals of 1 session before the window)")

def test_a_run_that_never_trades_says_so_and_prints_no_nan(tmp_path) -> None:
    from vixhedge.summary import summary_table

    # $1,000 cannot carry one condor under the default 0.25 x NAV max-loss cap (strategies/condor.py)
    cfg = C.replace(C.load_default(), run={"initial_cash_usd": 1000.0, "start": "2015-06-01", "end": "2015-07-31"})
    res = run_backtest(cfg, build_market(cfg.market), engine="fast")
    lines = summary_table(res).splitlines()
    assert lines[0].split()[:5] == ["WARNING", "No", "condor", "was", "opened:"]
    assert "capital caps cut every condor order" in lines[0] and "run.initial_cash_usd ($1,000)" in lines[0]
    text = "\n".join(lines)
    assert "nan" not in text and "Sharpe              n/a" in text and "Sortino / Calmar    n/a / n/a" in text
    assert "NO MARKET PRICE BEHIND THIS RESULT: no order was filled" in text and "rests on real" not in text
    page = (write_run(res, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert "rests on real" not in page
    # one source: the trader's record (signals.csv condor_not_placed), worded alike in the console and the report
    missed = res.signals_log["condor_not_placed"]  # 2015-06-18 and -19: no monthly expiry 30..60 days out
    missed = missed[missed != ""]
    # a cap that leaves none is verb refuse, as a buying-power refusal (review 2026-12-03: it read "reduce 10->0")
    assert len(missed) == 42 == len(res.daily) - 2 and missed.str.startswith("capital: condor refuse 10->0").all()
    warning = lines[0].split(None, 1)[1]
    assert f"<b>Warning:</b> {html.escape(warning)}.</p>" in page


def test_report_rebuilds_from_the_files_alone(folder: Path, tmp_path: Path, monkeypatch) -> None:
    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    original = (copy / "report.html").read_bytes()
    (copy / "report.html").unlink()
    for name, _, _ in FIGURES:
        (copy / name).unlink()

    def no_rerun(*args, **kwargs):
        raise AssertionError("the report must not re-run the backtest or rebuild the market")

    monkeypatch.setattr(vixhedge.run, "run_backtest", no_rerun)
    monkeypatch.setattr(feeds.market, "build_market", no_rerun)
    assert main(["report", str(copy)]) == 0
    from vixhedge.runfolder import shown_path  # the copy's commands name where it now is; nothing else moves

    moved = original.replace(shown_path(folder).encode(), shown_path(copy).encode())
    assert (copy / "report.html").read_bytes() == moved != original
    assert sorted(p.name for p in copy.iterdir()) == sorted(p.name for p in folder.iterdir())  # figures redrawn
    for name, _, _ in FIGURES:
        assert (copy / name).read_bytes() == (folder / name).read_bytes()
    assert rebuild_report(copy) == copy / "report.html"


def test_report_of_an_incomplete_folder_names_what_is_missing(folder: Path, tmp_path: Path, capsys) -> None:
    shutil.copytree(folder, tmp_path / "x")
    (tmp_path / "x" / "attribution.csv").unlink()
    with pytest.raises(RunFolderError, match=r"not a complete run folder: missing attribution.csv"):
        load_run(tmp_path / "x")
    assert main(["report", str(tmp_path / "x")]) == 2
    assert "missing attribution.csv" in capsys.readouterr().err


def _cut(path: Path) -> None:  # the trial's daily.csv: its first 100 kB of 454 kB, cut mid-line
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


DAMAGE = {"daily.csv cut": ("daily.csv", _cut),
          "metrics.json not JSON": ("metrics.json", lambda p: p.write_text('{"performance": ', encoding="utf-8")),
          "benchmark.csv deleted": ("benchmark.csv", Path.unlink)}


# a folder written before manifest.json listed its files may lack benchmark.csv (it predates it): not a case there
DAMAGE_CASES = [pytest.param(d, legacy, id=f"{d}-{'manifest-without-hashes' if legacy else 'hashed'}")
                for legacy in (False, True) for d in DAMAGE if not (legacy and DAMAGE[d][0] == "benchmark.csv")]


@pytest.mark.parametrize("damage,legacy", DAMAGE_CASES)
def test_report_of_a_damaged_folder_names_the_file_and_the_fix(folder: Path, tmp_path: Path, capsys, damage: str,
                                                               legacy: bool) -> None:
    """A cut, corrupt or deleted file is one line naming it and the rerun (exit 2), before anything is written."""
    import json

    copy = tmp_path / folder.name
    shutil.copytree(folder, copy)
    name, hurt = DAMAGE[damage]
    if legacy:  # a folder written before manifest.json listed its files: checked by what it holds
        mf = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
        del mf["output_files"]
        (copy / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    hurt(copy / name)
    page = (copy / "report.html").read_bytes()
    assert main(["report", str(copy)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(copy / name) in err, err
    assert f"`vixhedge run {copy}/config.toml --runs-dir {tmp_path}`" in err, err
    assert (copy / "report.html").read_bytes() == page  # nothing written


def test_the_rebuild_line_of_a_renamed_damaged_folder_says_what_the_run_writes(folder: Path, tmp_path: Path,
                                                                             capsys) -> None:
    """A fresh-user trial: `vixhedge report FOLDER` on an edited CSV suggested `vixhedge run FOLDER/config.toml
    --runs-dir PARENT`, which writes PARENT/<run id>, not FOLDER, when the folder was renamed: the line says so."""
    renamed = tmp_path / "my-run"
    shutil.copytree(folder, renamed)
    with (renamed / "daily.csv").open("a", encoding="utf-8") as f:
        f.write("edited\n")
    assert main(["report", str(renamed)]) == 2
    err = capsys.readouterr().err
    assert (f"`vixhedge run {renamed}/config.toml --runs-dir {tmp_path}` (it writes {tmp_path / folder.name}, the "
            f"run's id, not {renamed}: the folder was renamed; replace {renamed} with it)") in err, err


def test_printed_commands_name_the_real_folder(result, tmp_path: Path, monkeypatch) -> None:
    """--runs-dir elsewhere: the manifest's replay command and the report's lines name that folder (absolute
    outside the working folder, relative inside it); a copy rebuilt elsewhere names where it now is. (``result``
    ran on the backtrader engine, not the default: the command names it, test_the_replay_command_names_the_engine.)"""
    import json

    bt = " --engine backtrader"
    out = write_run(result, tmp_path / "elsewhere")
    mf = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert mf["replay_command"] == f"vixhedge run {out}/config.toml{bt}" and mf["run_folder"] == str(out)
    page = _words(out / "report.html")
    assert f"<td>vixhedge run {out}/config.toml{bt}</td>" in page and f"<td>vixhedge report {out}</td>" in page
    monkeypatch.chdir(tmp_path)
    out = write_run(result, Path("inside"))
    mf = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert mf["replay_command"] == f"vixhedge run inside/{out.name}/config.toml{bt}"
    assert f"<td>vixhedge report inside/{out.name}</td>" in _words(out / "report.html")
    moved = shutil.copytree(out, tmp_path / "moved" / out.name)  # a copy rebuilt where it now is names that place
    page = _words(rebuild_report(moved))
    assert f"<td>vixhedge run moved/{out.name}/config.toml{bt}</td>" in page
    assert f"<td>vixhedge report moved/{out.name}</td>" in page and "inside/" not in page
    assert rebuild_report(out).read_text(encoding="utf-8") == (out / "report.html").read_text(encoding="utf-8")


def test_a_folder_with_a_space_is_a_plain_path_in_the_manifest(result, tmp_path: Path, monkeypatch) -> None:
    """Packaging trial (2026-12-04): manifest.json's run_folder was a shell word ("'out dir/default-782b4114'"): it
    is the path; the printed commands quote it. A folder written before (run_folder quoted), copied elsewhere and
    rebuilt, names where it now is."""
    import html
    import json

    monkeypatch.chdir(tmp_path)
    out = write_run(result, Path("out dir"))
    mf = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    bt = " --engine backtrader"  # (result ran on backtrader: test_the_replay_command_names_the_engine)
    assert mf["run_folder"] == f"out dir/{out.name}"
    assert mf["replay_command"] == f"vixhedge run 'out dir/{out.name}/config.toml'{bt}"
    page = html.unescape(_words(out / "report.html"))
    assert f"<td>vixhedge report 'out dir/{out.name}'</td>" in page
    (out / "manifest.json").write_text(json.dumps({**mf, "run_folder": f"'out dir/{out.name}'"}), encoding="utf-8")
    assert html.unescape(_words(rebuild_report(out))) == page  # the old quoted form read as the same path
    moved = shutil.copytree(out, tmp_path / "moved dir" / out.name)
    page = html.unescape(_words(rebuild_report(moved)))
    assert f"<td>vixhedge run 'moved dir/{out.name}/config.toml'{bt}</td>" in page
    assert f"<td>vixhedge report 'moved dir/{out.name}'</td>" in page and "out dir" not in page


def test_the_replay_command_names_the_engine(result, tmp_path: Path) -> None:
    """Trial (2026-12-03): a backtrader run's manifest replay_command was `vixhedge run FOLDER/config.toml`, which
    replays on the CLI's default engine, fast (vixhedge.core.config.DEFAULT_ENGINE; the outputs are identical, the
    command should still replay what ran): it ends in `--engine backtrader`; a fast run's command has no flag, as
    `vixhedge run` wrote it (the default run's golden report.html)."""
    import json

    from vixhedge.core.config import DEFAULT_ENGINE

    fast = run_backtest(result.config, result.market, engine="fast")
    assert (result.engine, fast.engine, DEFAULT_ENGINE) == ("backtrader", "fast", "fast")
    for res, flag in ((result, " --engine backtrader"), (fast, "")):
        out = write_run(res, tmp_path / res.engine)
        mf = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert mf["engine"] == res.engine and mf["replay_command"] == f"vixhedge run {out}/config.toml{flag}"
        assert f"<td>vixhedge run {out}/config.toml{flag}</td>" in _words(out / "report.html")


def test_a_hedge_alone_is_no_idle_run_and_names_its_instrument(result, tmp_path: Path) -> None:
    """condor.enabled = false with the VXTH calls (the trial's hedge-only config): no warning, its ratios
    printed, and the instrument the layers hold (VIX calls, whatever hedge.instrument says)."""
    from vixhedge.summary import summary_table

    cfg = C.replace(result.config, hedge={"mode": "vxth"}, condor={"enabled": False})
    res = run_backtest(cfg, result.market)
    assert res.metrics["counts"]["condors"] == 0 and res.metrics["counts"]["hedge_layers"] > 0
    assert set(res.layers["instrument"]) == {"vix_call"} and cfg.hedge.instrument.value == "vx_future"
    text = summary_table(res)
    assert "WARNING" not in text and "idle cash" not in text
    assert f"Sharpe              {res.metrics['performance']['sharpe']:.2f}  (" in text
    assert "hedge policy        vxth (vix_call)" in text
    page = (write_run(res, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert "No condor was opened" not in page and "idle cash" not in page and "hedge vxth (vix_call);" in page
    # audit (2026-12-03): the Hedge cost row read "n/a% of the condor credit $0" where the console reads "n/a of
    # condor credit": with no condor there is no credit to measure the hedge against, and both say so
    assert res.metrics["hedge_cost"]["condor_credit_usd"] == 0 and "(n/a of condor credit)" in text
    assert "n/a%" not in page and "n/a: no condor credit; " in page


def test_a_path_that_lost_while_its_mean_return_is_positive_shows_no_sharpe(result, tmp_path: Path) -> None:
    """Audit (2026-12-03): a static VX run on 2008-10-24..2008-12-31 (real data, /tmp/acct/cfg/ruin.toml) lost
    95.46% and printed Sharpe 0.51 / Sortino 0.82 with no caveat (its daily vol 605%/yr: the mean of such returns
    is positive while they compound to a loss). Those numbers put on this run's metrics: the console and the page
    show n/a and say why, from one rule (analyzers.metrics.ratio_caveat)."""
    import copy
    import dataclasses

    from vixhedge.summary import summary_table

    metrics = copy.deepcopy(result.metrics)
    metrics["performance"].update(total_return=-0.9546, sharpe=0.51, sortino=0.82)
    res = dataclasses.replace(result, metrics=metrics)
    why = ("the NAV fell 95.46% while its mean daily excess return is positive: returns this volatile compound to a "
           "loss (volatility drag), so a ratio of their mean does not measure this path")
    text = summary_table(res)
    assert f"Sharpe              n/a  (not meaningful: {why}; computed 0.51, Sortino 0.82, in metrics.json)" in text
    assert "Sortino / Calmar    n/a / " in text
    page = (write_run(res, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert f"<tr><td>Sharpe / Sortino</td><td>n/a</td><td>not meaningful: {why} (computed 0.51 / 0.82" in page
    assert "<tr><td>Sharpe</td>" not in page
    plain = summary_table(result)  # this run's own ratios, not caveated
    assert "Sharpe              n/a" not in plain and "<tr><td>Sharpe</td>" in (
        write_run(result, tmp_path / "own") / "report.html").read_text(encoding="utf-8")


def test_drawdown_says_whether_and_when_it_recovered() -> None:
    from vixhedge.summary import _drawdown

    p = {"max_drawdown": 0.1709, "max_drawdown_duration_days": 1224, "max_drawdown_peak": "2015-08-25",
         "max_drawdown_recovered": False, "max_drawdown_recovery": None}  # the default run's metrics.json
    assert _drawdown(p) == "17.09%  (1224 calendar days from the peak 2015-08-25, not recovered by the end)"
    p |= {"max_drawdown_recovered": True, "max_drawdown_recovery": "2016-03-01", "max_drawdown_duration_days": 189}
    assert _drawdown(p) == "17.09%  (189 calendar days peak 2015-08-25 to recovery 2016-03-01)"


def test_vx_carry_is_worded_by_its_sign(result) -> None:
    """The default run's metrics.json: $39,950 realised at rolls is a gain, the daily carry -$42,962 the bleed."""
    from vixhedge.html import carry_words, gain_words, usd
    from vixhedge.report_sections import hedge_cost as _hedge_cost
    from vixhedge.summary import summary_table

    h = dict(result.metrics["hedge_cost"], vx_roll_carry_usd=39950.0, vx_carry_usd=-42962.16)
    text = _hedge_cost({"hedge_cost": h}, result.trades)
    assert "<td>VX P&amp;L realised at rolls</td><td>$39,950</td><td>a gain realised" in text
    assert "<td>VX carry, daily</td><td>-$42,962</td><td>a roll-down cost:" in text and "bleed realised" not in text
    h |= {"vx_roll_carry_usd": -1000.0, "vx_carry_usd": 500.0}
    text = _hedge_cost({"hedge_cost": h}, result.trades)
    assert "<td>-$1,000</td><td>a loss realised" in text and "<td>$500</td><td>a roll-down gain:" in text
    h = result.metrics["hedge_cost"]
    lines = summary_table(result).splitlines()
    assert not [ln for ln in lines if "hedge VX carry" in ln]  # the whole VX P&L at rolls is no carry
    rolls = next(ln for ln in lines if ln.strip().startswith("VX P&L at rolls"))
    daily = next(ln for ln in lines if ln.strip().startswith("VX carry, daily"))
    assert f"{usd(h['vx_roll_carry_usd'])}, {gain_words(h['vx_roll_carry_usd'])} realised on the VX futures a roll " \
           "closed (their whole move, VIX included)" in rolls  # report.html's "VX P&L realised at rolls" row
    assert f"{usd(h['vx_carry_usd'])}, {carry_words(h['vx_carry_usd'])} (the part of" in daily


def test_an_option_layer_run_shows_no_vx_rows(result) -> None:
    """hedge.instrument = vix_call_spread holds no VX future: no "$0, nothing realised at rolls" rows (the trial's
    garbled line); the VX-future run of the same window prints them. report.html likewise, and a VX-future run's page
    has no option-decay row (named "VIX call-spread decay" before 2026-12-04, for calls too)."""
    from vixhedge.summary import summary_table

    res = run_backtest(C.replace(result.config, hedge={"instrument": "vix_call_spread"}), result.market)
    assert res.metrics["counts"]["hedge_layers"] > 0 and "vx_future" not in set(res.trades["kind"])
    text = summary_table(res)
    assert "VX P&L at rolls" not in text and "VX carry" not in text and "realised at rolls" not in text
    assert "VX P&L at rolls" in summary_table(result) and "vx_future" in set(result.trades["kind"])
    # report.html's Hedge cost table: each instrument's rows where it traded
    from vixhedge.report_sections import hedge_cost as _hedge_cost

    options_page, vx_page = _hedge_cost(res.metrics, res.trades), _hedge_cost(result.metrics, result.trades)
    assert "VIX option decay" in options_page and "realised at rolls" not in options_page
    assert "VX futures P&amp;L realised" not in options_page and "premium paid / received" in options_page
    assert "VX carry, daily" in vx_page and "VIX option decay" not in vx_page
    assert "premium paid / received" not in vx_page and "VX futures P&amp;L realised" in vx_page


def test_one_rule_decides_the_vx_rows_of_the_report_and_the_summary(result) -> None:
    """report.html read metric values and the summary trade kinds: now both ask html.held (a VX fill in trades)."""
    from dataclasses import replace

    from vixhedge.report_sections import hedge_cost as _hedge_cost
    from vixhedge.summary import summary_table

    # the default run's metrics with its VX fills dropped: non-zero VX figures, yet no VX row on either side
    no_vx = replace(result, trades=result.trades[result.trades["kind"] != "vx_future"])
    assert result.metrics["hedge_cost"]["vx_carry_usd"] != 0.0
    assert "VX carry, daily" not in _hedge_cost(no_vx.metrics, no_vx.trades)
    assert "VX carry, daily" not in summary_table(no_vx)
    assert "VX carry, daily" in _hedge_cost(result.metrics, result.trades) and "VX carry, daily" in summary_table(result)


def test_report_without_hedge_layers(tmp_path: Path, result) -> None:
    cfg = C.replace(result.config, hedge={"mode": "none"})
    out = write_run(run_backtest(cfg, result.market), tmp_path)
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "No hedge layers in this run." in text
    assert len([t for t, _ in _tags(text) if t == "img"]) == len(FIGURES)


# ----------------------------------------------------------------------------- a real browser

def test_report_renders_in_headless_chromium(folder: Path, rendered) -> None:
    """Chromium loads the page: every section, figure and table is there, in report order."""
    dom, _ = rendered(folder / "report.html")
    heads = [text for tag, _, text in dom if tag == "h2"]
    assert heads[:4] == ["Performance", "Capital", "Equity and drawdown", "Against the benchmarks"]
    assert {"Monthly returns", "P&L attribution", "Hedge cost", "Hedge layers", "Condors", "Parameters",
            "Reproduce"} <= set(heads)
    assert [a["alt"] for tag, a, _ in dom if tag == "img"] == [title for _, title, _ in FIGURES]
    h3 = [text for tag, _, text in dom if tag == "h3"]
    assert {"Relative to the benchmarks", "Condor trades"} <= set(h3)
    cells = [text for tag, _, text in dom if tag == "td"]
    assert "S&P 500 total return" in cells and "same run without hedge" in cells and "win rate" in cells
    # the page's own CSS draws in greys only: colour comes from the figures
    css = re.search(r"<style>(.*?)</style>", (folder / "report.html").read_text(encoding="utf-8"), re.S).group(1)
    colours = re.findall(r"#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\b", css)
    assert colours and all(_is_grey(c) for c in colours), colours


def _is_grey(hex_colour: str) -> bool:
    six = "".join(ch * 2 for ch in hex_colour) if len(hex_colour) == 3 else hex_colour
    return six[0:2] == six[2:4] == six[4:6]


def test_parquet_outputs_are_the_result_frames_at_full_precision(result, tmp_path) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow not installed: python -m pip install -e '.[parquet]'")
    folder = write_run(result, tmp_path, parquet=True)
    for name, frame in (("daily", result.daily), ("trades", result.trades), ("condors", result.condors),
                        ("signals", result.signals_log), ("attribution", result.attribution)):
        back = pd.read_parquet(folder / f"{name}.parquet")
        pd.testing.assert_frame_equal(back, frame, check_freq=False)  # exact: no CSV rounding
    assert isinstance(pd.read_parquet(folder / "benchmark.parquet").index, pd.DatetimeIndex)


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


def test_run_help_names_every_file_a_run_folder_holds(folder, capsys) -> None:
    """`vixhedge run --help` lists the CSVs a run writes (a trial found benchmark, signals and capital_cuts
    missing) and `vixhedge --help` says report redraws the figures too; the parquet hint is the README's."""
    text = _help(["run", "--help"], capsys)
    listed = re.search(r"metrics, ([a-z_/]+) CSV, SVG figures, report\.html", text.replace("/ ", "/"))
    assert listed and set(listed.group(1).split("/")) == {p.stem for p in folder.glob("*.csv")}
    assert "needs pyarrow: python -m pip install -e '.[parquet]'" in text
    top = _help(["--help"], capsys)
    assert "report redraw the SVG figures and rebuild report.html" in top


def test_report_takes_quiet_as_the_other_commands_do(folder, capsys) -> None:
    """`vixhedge report -q FOLDER` (and --quiet): the page is rebuilt and its path printed, as without it (trial:
    report was the one command refusing -q)."""
    for flag in ("-q", "--quiet"):
        assert main(["report", flag, str(folder)]) == 0
        assert capsys.readouterr().out.strip() == str(folder / "report.html")
    assert "-q, --quiet" in _help(["report", "--help"], capsys)


def test_benchmark_series_all_start_at_the_runs_first_nav(result) -> None:
    """benchmark.csv: the S&P 500 total return and the no-hedge run both start at the run's first NAV (README's
    file table). Static trades on the window's first day (2015-06-01: two hedge fills, test_compare's
    test_hedge_cost_is_each_runs_own_hedge_net_cost), so its first NAV is below the no-hedge run's own; the
    no-hedge column is that run rebased (one factor, so its daily returns are the none run's)."""
    from vixhedge.report import benchmark

    market = result.market
    static = run_backtest(C.replace(result.config, hedge={"mode": "static"}), market)
    none = run_backtest(C.replace(result.config, hedge={"mode": "none", "policy": ""}), market)
    raw = none.daily["nav_usd"]
    assert static.daily["nav_usd"].iloc[0] < raw.iloc[0]  # the first day's hedge fills: the raw run starts higher
    for nav in (None, raw):  # run here, or handed over as compare does from its none mode
        b = benchmark(static, nav)
        first = b.iloc[0]
        assert first["spx_tr_nav_usd"] == first["nav_usd"]
        assert first["no_hedge_nav_usd"] == pytest.approx(first["nav_usd"], rel=1e-15, abs=0)
        scale = static.daily["nav_usd"].iloc[0] / raw.iloc[0]  # one factor every day: the none run's returns
        np.testing.assert_allclose(b["no_hedge_nav_usd"] / raw, scale, rtol=1e-14)
    # a no-hedge run is its own benchmark, unchanged
    pd.testing.assert_series_equal(benchmark(none)["no_hedge_nav_usd"], raw, check_names=False)


def _conventions_table() -> dict[tuple[str, str], tuple[str, str]]:
    """README *Conventions* "Signs and fees" table: (file, first column named) -> (sign, fees)."""
    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Conventions\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 4:
            name, column = (re.findall(r"`([^`]+)`", c)[0] for c in cells[:2])
            rows[(name, column)] = (cells[2], cells[3])
    return rows


def test_readme_signs_and_fees_table_holds_on_a_run_folder(folder: Path) -> None:
    """Each row of README's "Signs and fees" table, checked on a written run folder (the default config over
    2015-06..12: alvh layers and condors with fees): a fee_usd is a positive cost; fees elsewhere are negative
    P&L; layers.csv pnl_usd excludes the layer's fees (net_pnl_usd includes them), condors.csv pnl_usd includes
    the condor's; metrics.json agrees. Tolerances: CSV floats have 6 decimals, metrics.json cents."""
    import json

    assert _conventions_table() == {
        ("trades.csv", "fee_usd"): ("cost, positive", "is the fee"),
        ("daily.csv", "condor_pnl_usd"): ("P&L", "excluded"),
        ("daily.csv", "fees_pnl_usd"): ("P&L, negative", "is the fee"),
        ("attribution.csv", "condor:put"): ("P&L", "excluded"),
        ("attribution.csv", "fees"): ("P&L, negative", "is the fee"),
        ("layers.csv", "pnl_usd"): ("P&L", "excluded"), ("layers.csv", "fees_usd"): ("P&L, negative", "is the fee"),
        ("layers.csv", "net_pnl_usd"): ("P&L", "included"),
        ("layers.csv", "cost_pct_of_condor_credit"): ("cost, positive", "included"),
        ("condors.csv", "pnl_usd"): ("P&L", "included"),
        ("metrics.json", "pnl.condor_pnl_usd"): ("P&L", "excluded"),
        ("metrics.json", "pnl.fees_pnl_usd"): ("P&L, negative", "is the fee"),
        ("metrics.json", "hedge_cost.net_pnl_usd"): ("P&L", "included"),
        ("metrics.json", "hedge_cost.net_cost_usd"): ("cost, positive", "included"),
        ("comparison.csv", "hedge_cost_usd"): ("cost, positive", "included"),
        ("comparison.csv", "condor_pnl_usd"): ("P&L", "excluded"),
        ("comparison.csv", "fees_pnl_usd"): ("P&L, negative", "is the fee")}  # comparison.csv: test_compare
    read = lambda name, **kw: pd.read_csv(folder / name, **kw)  # noqa: E731
    trades, daily = read("trades.csv", index_col=0), read("daily.csv", index_col=0)
    attr = read("attribution.csv", index_col=0)
    layers, condors = read("layers.csv"), read("condors.csv")
    m = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))
    hedge, condor = (trades["component"].str.startswith(c) for c in ("hedge", "condor"))
    fee_h, fee_c = trades.loc[hedge, "fee_usd"].sum(), trades.loc[condor, "fee_usd"].sum()
    assert (trades["fee_usd"] > 0).all() and fee_h > 0 and fee_c > 0 and len(layers) > 0
    # fees as P&L: negative, the fee_usd of the fills they come from
    for fees in (daily["fees_pnl_usd"].sum(), attr["fees"].sum(), m["pnl"]["fees_pnl_usd"]):
        assert fees == pytest.approx(-(fee_h + fee_c), abs=0.01)
    assert layers["fees_usd"].sum() == pytest.approx(-fee_h, abs=1e-6) == m["hedge_cost"]["fees_usd"]
    assert (layers["fees_usd"] < 0).all()
    # excluded: the groups' P&L (daily, attribution, metrics) and layers.csv pnl_usd and its by-exit split
    hedge_pnl = daily["hedge_pnl_usd"].sum()
    assert attr.filter(like="hedge:").sum().sum() == pytest.approx(hedge_pnl, abs=1e-3)
    assert layers["pnl_usd"].sum() == pytest.approx(hedge_pnl, abs=0.01) == m["pnl"]["hedge_pnl_usd"]
    split = layers[["roll_pnl_usd", "signal_exit_pnl_usd", "settled_pnl_usd", "open_pnl_usd"]].sum(axis=1)
    np.testing.assert_allclose(split, layers["pnl_usd"], atol=0.01)
    assert attr[["condor:put", "condor:call"]].sum().sum() == pytest.approx(daily["condor_pnl_usd"].sum(), abs=1e-3)
    assert m["pnl"]["condor_pnl_usd"] == pytest.approx(daily["condor_pnl_usd"].sum(), abs=0.01)
    # included: layers.csv net_pnl_usd, metrics' hedge net P&L and cost, condors.csv pnl_usd
    np.testing.assert_allclose(layers["net_pnl_usd"], layers["pnl_usd"] + layers["fees_usd"], atol=1e-6)
    hc = m["hedge_cost"]
    assert hc["net_pnl_usd"] == pytest.approx(hedge_pnl - fee_h, abs=0.05) == -hc["net_cost_usd"]
    pct = -100 * layers["net_pnl_usd"] / hc["condor_credit_usd"]  # written to 4 decimals
    np.testing.assert_allclose(layers["cost_pct_of_condor_credit"], pct, atol=5.1e-5)
    assert condors["pnl_usd"].sum() == pytest.approx(daily["condor_pnl_usd"].sum() - fee_c, abs=0.01)


def test_a_condor_that_cannot_be_placed_says_why_not_no_entry_day(tmp_path: Path) -> None:
    """The trial's condor.wing_width_points = 1e9 was told "no entry day in the window" though every day was one.

    A 1,000-point wing (the largest condor.wing_width_points allowed) on a synthetic SPX started at 800: the
    0.20-delta short put sits at 850 on 2010-03-01 (the chain's strike; a 5-point grid), so the long put would be
    850 - 1000 = -150."""
    from vixhedge.summary import no_condor_warning

    cfg = C.replace(C.load_default(), market={"source": "synthetic", "synthetic": {"spx_start": 800.0}},
                    run={"start": "2010-03-01", "end": "2010-05-28"}, condor={"wing_width_points": 1000.0})
    res = run_backtest(cfg, build_market(cfg.market), engine="fast")
    assert res.metrics["counts"]["condors"] == 0
    warning = no_condor_warning(res)
    days = len(res.daily) - 2  # 64 sessions; on 2010-03-18 and -19 no monthly expiry lies 30..60 days out
    assert warning.startswith(f"no condor was opened on any of the {days} entry days: the long put strike would be "
                              "-150 on 2010-03-01 (short put 850 - condor.wing_width_points 1000), and a strike must "
                              "be above 0: set condor.wing_width_points below 850")
    assert "no entry day" not in warning
    # the trader recorded it on each of those days (signals.csv condor_not_placed); 2010-03-18 and -19 none
    missed = res.signals_log["condor_not_placed"]
    assert (missed != "").sum() == days and missed.iloc[0].startswith("strikes: the long put strike would be -150")
    page = (write_run(res, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert html.escape(warning[0].upper() + warning[1:]) in page


@pytest.mark.parametrize(("missed", "words"), [
    (["", ""], "no condor was opened: no entry day in the window (the entry rule named no SPX expiry)"),
    (["", "size: strikes were found (1/2/3/4 on 2010-03-02) but ...", "strikes: other"],
     "no condor was opened on any of the 2 entry days: strikes were found (1/2/3/4 on 2010-03-02) but ..."),
    (["selector: the condor selector 'x:y' chose no condor on 2010-03-01 (expiry 2010-04-16)", "capital: condor "
      "refuse 3->0 (buying power $9)"], "no condor was opened: the capital caps cut every condor order on 1 days "
     "(first on 2010-03-02: condor refuse 3->0 (buying power $9)): raise run.initial_cash_usd ($1,000,000)"),
    (None, "no condor was opened (capital cuts are in signals.csv, column 'capital')"),
], ids=["no_entry_day", "first_entry_day", "capital_first", "older_folder"])
def test_the_no_condor_words_read_the_traders_record(missed, words) -> None:
    # crafted signals.csv rows (the words after the colon are the trader's, strategies.trader._not_placed); an
    # older folder has no condor_not_placed column; capital cuts are named before any other reason
    from vixhedge.report_sections import no_condor_words

    cfg = C.replace(C.load_default(), run={"initial_cash_usd": 1_000_000.0})
    log = pd.DataFrame({"date": pd.to_datetime(["2010-03-01", "2010-03-02", "2010-03-03"][:len(missed or "ab")])})
    if missed is not None:
        log["condor_not_placed"] = missed
    out = no_condor_words(cfg, {"condors": 0, "hedge_layers": 0}, log)
    assert out.startswith(words) and out.endswith("; the statistics below describe idle cash, not the strategy")


def test_a_condor_sized_zero_is_recorded_by_the_trader() -> None:
    # condor.sizing = "max_loss" at 0.1% of the $1M default NAV: $1,000 buys no 1855/2015/2170/2230 condor (its
    # 160-point put wing alone risks up to $16,000 less the credit), so every entry day of 2015-06 records "size"
    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-06-30"},
                    condor={"sizing": "max_loss", "max_loss_nav_fraction": 0.001})
    res = run_backtest(cfg, build_market(cfg.market), engine="fast")
    missed = res.signals_log["condor_not_placed"]
    assert missed.iloc[0] == ("size: strikes were found (1855/2015/2170/2230 on 2015-06-01) but condor.sizing = "
                              "'max_loss' sized 0 condors: raise its budget or use sizing = \"contracts\"")
    missed = missed[missed != ""]  # 2015-06-18 and -19: no monthly expiry 30..60 days out
    assert len(missed) == 20 == len(res.daily) - 2 and missed.str.startswith("size: ").all()


def test_a_runs_ad_warnings_print_once_not_again_for_its_benchmark(tmp_path: Path, caplog) -> None:
    """Verification trial: a run with an A/D file printed its A/D warnings (bad rows, sessions without a row) twice,
    the second time for its no-hedge benchmark book, which reads no A/D. Here the file holds 2015-01-02 .. 2015-03-31
    (written below) and the run 2015-06-01 .. 2015-12-31: the coverage warning comes once; the benchmark's NAV is the
    no-hedge run's with the A/D file set (no policy of a no-hedge book reads it)."""
    import logging

    market = build_market(C.load_default().market)
    dates = market.dates[(market.dates >= "2015-01-02") & (market.dates <= "2015-03-31")]
    path = tmp_path / "ad.csv"
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "sp500_advancers": 300, "sp500_decliners": 200}).to_csv(
        path, index=False)
    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-12-31"},
                    hedge={"fomc": {"ad_csv": str(path)}})
    with caplog.at_level(logging.WARNING):
        res = run_backtest(cfg, market, engine="fast")
        folder = write_run(res, tmp_path / "runs")
    coverage = [r for r in caplog.records if r.getMessage().startswith(f"A/D file {path} covers")]
    assert len(coverage) == 1
    none = run_backtest(C.replace(cfg, hedge={"mode": "none"}), market, engine="fast")
    bench = pd.read_csv(folder / "benchmark.csv", index_col=0)
    np.testing.assert_allclose(bench["no_hedge_nav_usd"].to_numpy(), none.daily["nav_usd"].to_numpy() * (
        res.daily["nav_usd"].iloc[0] / none.daily["nav_usd"].iloc[0]), rtol=1e-12)


def test_a_short_run_says_its_annualised_figures_mean_little(result, folder, tmp_path) -> None:
    """The trial: a 6-session run (2016-03-01..03-08) printed CAGR 16.31%, Sharpe 4.34, Calmar 54.6 with no
    caveat (compare refuses < 20 sessions). Under 60 sessions (report_sections.SHORT_WINDOW_SESSIONS) the console
    summary and report.html carry one caveat line; SHORT (148 sessions) carries none."""
    from vixhedge.summary import summary_table

    cfg = C.replace(C.load_default(), run={"start": "2016-03-01", "end": "2016-03-08"})
    tiny = run_backtest(cfg, build_market(cfg.market))
    caveat = ("Only 6 sessions: the annualised figures (CAGR, vol, Sharpe, Sortino, Calmar) scale so short a window "
              "to a year and mean little under 60 sessions")
    assert [ln for ln in summary_table(tiny).splitlines() if "CAVEAT" in ln] == [f"  CAVEAT{' ' * 14}{caveat}"]
    page = (write_run(tiny, tmp_path) / "report.html").read_text()
    assert page.count("<b>Caveat:</b>") == 1 and html.escape(caveat) in page
    assert "CAVEAT" not in summary_table(result) and "<b>Caveat:</b>" not in (folder / "report.html").read_text()


def test_replacing_a_folder_written_from_other_data_says_so(result, tmp_path: Path, caplog) -> None:
    """The trial: a config rerun after its data changed replaced its folder (the id hashes the config only) with other
    numbers, silently. The earlier folder's manifest.json data_files are compared with the new run's: the note names
    what changed, the new folder's replaced.json records it (review: not manifest.json, which then differed between
    two folders of the same config and data by what was on disk before; `vixhedge report` still reads the folder);
    a rerun on the same data says nothing and drops the earlier replaced.json."""
    import json
    import logging

    folder = write_run(result, tmp_path)
    record = json.loads((folder / "manifest.json").read_text())
    assert "replaced_data_changed" not in record and not (folder / "replaced.json").exists()
    first = record["data_files"][0]
    was = {**first, "sha256": "b38f" + "0" * 60}  # the earlier folder's data: its first file had other bytes
    gone = {"name": "vx/CFE_N14_VX.csv", "sha256": "4646" + "0" * 60}  # and a file this run does not read
    (folder / "manifest.json").write_text(json.dumps({**record, "data_files": [was, *record["data_files"][1:], gone]}))
    with caplog.at_level(logging.INFO, logger="vixhedge.report"):
        write_run(result, tmp_path)
    changed = [{"name": first["name"], "was": was["sha256"], "now": first["sha256"]},
               {"name": gone["name"], "was": gone["sha256"], "now": None}]
    assert json.loads((folder / "replaced.json").read_text()) == {"data_changed": sorted(changed,
                                                                                          key=lambda c: c["name"])}
    assert json.loads((folder / "manifest.json").read_text()) == record  # as the first write's
    assert load_run(folder).manifest == record  # the integrity check passes
    notes = lambda: [r.getMessage() for r in caplog.records if r.name == "vixhedge.report"]  # noqa: E731
    assert notes() == [
        f"note: replaced {folder}: the data changed since it was written: "
        + ", ".join(f"{c['name']} (sha256 b38f0000... -> {first['sha256'][:8]}...)" if c["now"] else
                    f"{c['name']} (read then, not now)" for c in sorted(changed, key=lambda c: c["name"]))
        + " (replaced.json lists them)"]
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="vixhedge.report"):
        write_run(result, tmp_path)  # the same data as the folder's: no note, no record
    assert notes() == [] and json.loads((folder / "manifest.json").read_text()) == record
    assert not (folder / "replaced.json").exists()  # not carried over from the folder it replaced


def test_replacing_a_folder_written_by_other_code_says_so(result, tmp_path: Path, caplog) -> None:
    """Determinism trial, session 8 (2026-12-04): a run after an edit of strategies/trader.py replaced the folder of
    the same config, no note, no record. manifest.json records the engine's sha256 (vixhedge.codeid.code_sha256); a
    run replacing a folder written by other code says so and its replaced.json records both versions; a manifest
    from before code_sha256 is compared by its commit."""
    import json
    import logging

    from vixhedge.codeid import code_sha256, git_commit

    folder = write_run(result, tmp_path)
    record = json.loads((folder / "manifest.json").read_text())
    assert record["code_sha256"] == code_sha256() and record["git_commit"] == git_commit()
    (folder / "manifest.json").write_text(json.dumps({**record, "code_sha256": "ab12" + "0" * 60}))
    with caplog.at_level(logging.INFO, logger="vixhedge.report"):
        write_run(result, tmp_path)
    now = {"git_commit": git_commit(), "code_sha256": code_sha256()}
    assert json.loads((folder / "replaced.json").read_text()) == {
        "code_changed": {"was": {**now, "code_sha256": "ab12" + "0" * 60}, "now": now}}
    message = [r.getMessage() for r in caplog.records if r.name == "vixhedge.report"]
    assert len(message) == 1 and message[0].startswith(f"note: replaced {folder}: the code changed since it was "
                                                       "written (commit ") and "ab120000... ->" in message[0]
    old = {k: v for k, v in record.items() if k != "code_sha256"}  # before code_sha256: by its commit
    (folder / "manifest.json").write_text(json.dumps(old))
    write_run(result, tmp_path)
    assert not (folder / "replaced.json").exists()
    (folder / "manifest.json").write_text(json.dumps({**old, "git_commit": "0" * 40}))
    write_run(result, tmp_path)
    assert json.loads((folder / "replaced.json").read_text())["code_changed"]["was"] == {"git_commit": "0" * 40}


def test_the_data_change_note_counts_what_it_does_not_name() -> None:
    from vixhedge.report import changed_note

    changed = [{"name": f"f{i}.csv", "was": "a" * 64, "now": "b" * 64} for i in range(5)]
    assert changed_note(Path("runs/x-1"), changed) == (
        "note: replaced runs/x-1: the data changed since it was written: f0.csv (sha256 aaaaaaaa... -> bbbbbbbb...), "
        "f1.csv (sha256 aaaaaaaa... -> bbbbbbbb...), +3 more (replaced.json lists them)")


def test_a_text_column_heads_left_and_wraps_after_a_plus_in_the_page_only() -> None:
    """Trial finding (screenshots, 2026-12-04): the layers table's trigger
    ``review_fear_rising+expansion_cadence+hist_expanding+flat_otm`` stayed on one line and pushed net P&L off-screen,
    and the headers of left-aligned text columns sat right. A text column's cell may break after each '+' (a <wbr>,
    the text itself unchanged) and its header carries the column's alignment; a date does not wrap (Chrome broke 2014-03-13 at its hyphens)."""
    from vixhedge.html import STYLE, table

    page = table(["layer", "trigger", "net P&L"], [["1", "a+b&c", "$5"]], "grid", (1,))
    assert '<th>layer</th><th class="t">trigger</th><th>net P&amp;L</th>' in page
    assert '<td>1</td><td class="t w">a+<wbr>b&amp;c</td><td>$5</td>' in page  # w: may wrap
    assert "table.grid td.w { white-space: normal; }" in STYLE and "th.t { text-align: left; }" in STYLE
    assert '<td class="t">2016-01-04</td>' in table(["entry"], [["2016-01-04"]], "grid", (0,))  # a date: no wrap


def test_on_a_phone_the_text_takes_the_window_width_and_wide_tables_and_figures_scroll(folder: Path) -> None:
    """Left from session 9's screenshots: the page did not adapt below ~800 px. Without a viewport line a phone lays
    it out 980 px wide and shrinks it; a table wider than the window (the benchmarks', rules fired) pushed the whole
    page sideways. Now the head carries the viewport line and each table sits in its own sideways-scrolling box;
    below 700 px a figure keeps a readable 700 px width and scrolls the same way (checked in headless Chromium at
    420 px, 2026-12-04). The data banner's small table is the one drawn without html.table."""
    from vixhedge.page_style import STYLE

    page = (folder / "report.html").read_text(encoding="utf-8")
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
    tables = page.count("<table")
    assert tables > 5 and page.count('<div class="scroll"><table') == tables - page.count("<table><tr>")
    assert "@media (max-width: 700px) { figure { overflow-x: auto; } figure img { max-width: none; width: 700px; } }" \
        in STYLE


def _words(page: Path) -> str:
    """A report's text without the spans that keep a command's hyphenated words from wrapping (html.table's
    ``unbroken`` columns: the compare page's ``--ci-method`` wrapped as "-" / "-ci-method")."""
    return re.sub(r"</?span[^>]*>", "", page.read_text(encoding="utf-8"))


def test_a_command_breaks_only_between_its_words() -> None:
    from vixhedge.html import table

    page = table(("", ""), [("command", "vixhedge compare x.toml --ci-method bca")], "narrow", unbroken=(1,))
    assert ('<td>vixhedge compare x.toml <span class="nw">--ci-method</span> bca</td>') in page
