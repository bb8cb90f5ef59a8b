"""A compare folder (vixhedge.compare.write_comparison, compare_report): written atomically, its CSV and report.html,
read back, copied, rewritten, damaged, and what its prices rest on."""

import io
import json

import pandas as pd
import pytest

from vixhedge.core import config as C
from vixhedge.cli import main
from vixhedge.compare import compare
from vixhedge.compare_text import format_comparison
from tests.vixhedge.compare_cases import default_comparison


@pytest.fixture(scope="module")
def cmp():
    return default_comparison()


def test_a_rewrite_keeps_a_users_file_but_not_an_old_parquet_table(cmp, tmp_path):
    """A compare rewritten in place carries a user's files over (vixhedge.atomic.carry_over), inside its runs/
    too, but not a mode run's old .parquet tables, which a rewrite without --parquet does not write."""
    from vixhedge.compare import write_comparison

    folder = write_comparison(cmp, tmp_path)
    (run_dir,) = [p for p in (folder / "runs").iterdir() if "-alvh-" in p.name]
    (folder / "notes.txt").write_text("mine\n")
    (run_dir / "notes.txt").write_text("mine too\n")
    (run_dir / "daily.parquet").write_bytes(b"an earlier --parquet table")
    assert write_comparison(cmp, tmp_path) == folder
    assert (folder / "notes.txt").read_text() == "mine\n" and (run_dir / "notes.txt").read_text() == "mine too\n"
    assert not (run_dir / "daily.parquet").exists()


def test_sharpe_names_its_rate_under_the_table_and_on_the_page(cmp, tmp_path):
    """N1: the Sharpe row says what it is excess return over, once: vixhedge.html.rf_label of the config's
    analysis and a run's metrics["performance"] (cash_rate_act365: the simple ACT/365 rate cash earned)."""
    from analyzers.metrics import simple_rate
    from vixhedge import html as H
    from vixhedge.compare import write_comparison

    none = cmp.results["none"]
    days = list(none.daily.index.date)
    rate = cmp.results["none"].metrics["performance"]["cash_rate_act365"]
    assert rate == pytest.approx(simple_rate(none.market.cash_returns(days), days), abs=5e-7)  # rounded to 6 places
    words = f"Sharpe: excess return over cash at the day's short rate, {H.pct(rate)}/yr on average (simple, ACT/365)"
    text = format_comparison(cmp)
    assert text.count(words) == 1 and text.index("ruined") < text.index(words) < text.index("paired difference")
    page = (write_comparison(cmp, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert page.count(f"<p>{words.replace(chr(39), '&#x27;')}.</p>") == 1
    # analysis.risk_free = "constant": the configured rate (2% here, the value set below)
    const = type(cmp)(C.replace(cmp.config, analysis={"risk_free": "constant", "risk_free_rate": 0.02}),
                      cmp.results, cmp.table, cmp.paired)
    assert "Sharpe: excess return over 2.00%/yr" in format_comparison(const)


def test_reproduce_command_puts_a_plug_in_mode_on_pythonpath(tmp_path, monkeypatch):
    """N4: a policy mode (examples/custom_hedge.py, README "Plug-ins") needs its folder on PYTHONPATH, as a run's
    replay command has it (vixhedge.report.import_root); built-in modes need none (test_cli_compare)."""
    from pathlib import Path

    from vixhedge.compare import write_comparison

    examples = Path(__file__).resolve().parents[2] / "examples"
    monkeypatch.syspath_prepend(str(examples))
    cfg = C.replace(C.load_default(), run={"start": "2016-01-04", "end": "2016-03-31"})
    folder = write_comparison(compare(cfg, modes=("none", "custom_hedge:policy"), n_boot=100), tmp_path)
    import re

    page = re.sub(r"</?span[^>]*>", "", (folder / "report.html").read_text(encoding="utf-8"))  # (unbroken words)
    assert f"<td>PYTHONPATH={examples} vixhedge compare {folder}/config.toml --modes none,custom_hedge:policy " \
           in page


def test_report_of_a_damaged_compare_folder_is_one_line_and_exit_2(cmp, tmp_path, capsys):
    """N5: a cut comparison.csv (sha256 recorded in comparison.json output_files) or a mode's deleted run folder:
    `vixhedge report` names the file and the compare that writes the folder again; exit 2, nothing drawn."""
    import shutil

    from vixhedge.compare import write_comparison

    folder = write_comparison(cmp, tmp_path / "cmp")
    meta = json.loads((folder / "comparison.json").read_text())
    assert set(meta["output_files"]) == {"config.toml", "comparison.csv", "paired.csv"}
    csv = (folder / "comparison.csv").read_bytes()
    (folder / "comparison.csv").write_bytes(csv[:len(csv) // 2])
    (folder / "report.html").unlink()
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"{folder / 'comparison.csv'} is damaged" in err
    assert f"`vixhedge compare {folder}/config.toml --modes none,static,alvh " in err
    assert not (folder / "report.html").exists()
    (folder / "comparison.csv").write_bytes(csv)
    (none_dir,) = [p for p in (folder / "runs").iterdir() if "-none-" in p.name]
    shutil.rmtree(none_dir)
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "holds no run folder of mode none (comparison.json lists it)" in err
    assert "vixhedge compare" in err and "Traceback" not in err


@pytest.mark.parametrize("edit, why", [
    (lambda t: t.replace("static,none,sharpe,", "static,none,sharpe,abc", 1),  # a cell made a word
     "paired.csv is damaged: it holds a non-number in column 'diff'"),
    (lambda t: "\n".join(",".join(c for k, c in enumerate(r.split(",")) if k != 4) for r in t.split("\n")),
     "paired.csv is damaged: it has no column 'ci_low'"),  # (the fifth column removed)
    (lambda t: t.split("\n")[0] + "\n", "paired.csv is damaged: it has no rows, where its "),  # its header alone
    (lambda t: t[:t.index("\nalvh,")] + "\n", "paired.csv is damaged: its modes' rows are not one set each"),
])
def test_report_checks_the_tables_of_a_folder_from_before_output_files(cmp, tmp_path, capsys, edit, why):
    """IO31: a compare folder written before comparison.json recorded output_files (2026-12-03) has no sha256 to
    check its paired.csv by: a word in a cell and a column removed were internal errors, the file cut to its header
    or to one mode's rows a page without those CIs. Each is now one line naming the file, with the command; exit 2,
    report.html as it was. An output_files that is no table ("garbage") is one line too."""
    from vixhedge.compare import write_comparison

    folder = write_comparison(cmp, tmp_path / "cmp")
    meta = json.loads((folder / "comparison.json").read_text())
    page = (folder / "report.html").read_bytes()
    (folder / "comparison.json").write_text(json.dumps({k: v for k, v in meta.items() if k != "output_files"}))
    assert main(["report", str(folder)]) == 0 and (folder / "report.html").read_bytes() == page  # as written: drawn
    (folder / "paired.csv").write_text(edit((folder / "paired.csv").read_text()))
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and why in err and "; write the folder again: `vixhedge compare " in err
    assert (folder / "report.html").read_bytes() == page
    (folder / "comparison.json").write_text(json.dumps({**meta, "output_files": "garbage"}))
    assert main(["report", str(folder)]) == 2
    assert "comparison.json is damaged: its output_files is not a table" in capsys.readouterr().err


def test_comparison_csv_signs_and_fees_are_the_readmes(cmp):
    """README *Conventions* "Signs and fees", comparison.csv rows: hedge_cost_usd is each run's hedge net cost
    (a cost, fees included: test_hedge_cost_is_each_runs_own_hedge_net_cost), condor_pnl_usd and hedge_pnl_usd
    exclude fees (each run's metrics.json pnl group), fees_pnl_usd is negative P&L: minus its fills' fee_usd."""
    for mode, res in cmp.results.items():
        pnl = res.metrics["pnl"]
        for key in ("condor_pnl_usd", "hedge_pnl_usd", "fees_pnl_usd"):
            assert cmp.table.loc[key, mode] == pnl[key], (mode, key)
        assert cmp.table.loc["hedge_pnl_usd", mode] == pytest.approx(res.daily["hedge_pnl_usd"].sum(), abs=0.01)
        fees = cmp.table.loc["fees_pnl_usd", mode]
        assert fees < 0 and fees == pytest.approx(-res.trades["fee_usd"].sum(), abs=0.01)


def test_a_copied_compare_folder_keeps_its_id_in_its_report(cmp, tmp_path):
    """The trial: `vixhedge report` on a copied compare folder titled its page with the copy's folder name; a copied
    run folder keeps its run id. comparison.json records the id; the rebuilt page's <title> and <h1> keep it."""
    import shutil

    from vixhedge.api import write_comparison
    from vixhedge.compare_report import rebuild_comparison_report

    folder = write_comparison(cmp, tmp_path / "a")
    rid = folder.name
    assert json.loads((folder / "comparison.json").read_text())["id"] == rid
    copy = tmp_path / "copied-elsewhere"
    shutil.copytree(folder, copy)
    page = rebuild_comparison_report(copy).read_text()
    assert f"<title>vixhedge comparison {rid}</title>" in page and f"<h1>vixhedge comparison {rid}</h1>" in page
    assert "copied-elsewhere</title>" not in page


def test_comparison_csv_writes_counts_whole_and_flags_true_or_false(cmp, tmp_path):
    """The trial: comparison.csv wrote hedge_layers,2.000000 and ruined,0.000000. Counts are whole numbers, flags
    true / false (compare_rows.TABLE_ROWS kinds "int" / "bool"), the rest in full; read back, the table is the
    compare's, every cell the page prints the console's (trial RS32: 6 decimals read -1120428.4999996 back as
    -1120428.5: the page printed -$1,120,429, the console -$1,120,428)."""
    from vixhedge.api import load_comparison, write_comparison

    folder = write_comparison(cmp, tmp_path)
    rows = {ln.split(",")[0]: ln.split(",")[1:] for ln in (folder / "comparison.csv").read_text().splitlines()}
    assert rows["hedge_layers"] == [str(int(v)) for v in cmp.table.loc["hedge_layers"]]
    assert rows["days_cut_by_caps"] == [str(int(v)) for v in cmp.table.loc["days_cut_by_caps"]]
    assert rows["days_with_margin_call"] == [str(r.metrics["capital"]["days_with_margin_call"])  # (trial RS24: 0
                                             for r in cmp.results.values()]  # here; the run's count, one source)
    assert rows["ruined"] == ["false"] * 3  # SHORT: no mode is ruined
    for k in ("peak_margin_usd", "capital_needed_usd"):  # each mode's run's figure (trial RS40 M4: there alone)
        assert rows[k] == [repr(float(r.metrics["capital"][k])) for r in cmp.results.values()], k
    back = load_comparison(folder).table
    assert back.dtypes.tolist() == ["float64"] * 3
    pd.testing.assert_frame_equal(back, cmp.table, atol=0, rtol=0, check_names=False)
    from vixhedge.compare_rows import table_csv
    from vixhedge.compare_text import table_rows

    assert table_rows(back) == table_rows(cmp.table)
    t = pd.DataFrame({"alvh": [-1120428.4999996]}, index=["tail_hedge_pnl_usd"])
    again = pd.read_csv(io.StringIO(table_csv(t)), index_col=0)
    assert table_rows(again)[0][1] == table_rows(t)[0][1] == "-$1,120,428"


def test_comparison_shows_one_line_and_a_notebook_its_table_also_read_back(cmp, tmp_path):
    """``repr(cmp)`` printed every run's frames (113,216 characters in the trial); now one line: window, baseline,
    each mode's final NAV and Sharpe as the table holds them; a notebook shows :func:`format_comparison` (what
    ``vixhedge compare`` prints). A compare folder reads back (``vixhedge.api.load_comparison``) into a Comparison
    that shows the same."""
    import html

    from vixhedge.api import load_comparison, write_comparison
    from vixhedge.html import usd

    t = cmp.table
    cells = "; ".join(f"{m} {usd(t.at['end_nav_usd', m])}, {t.at['sharpe', m]:.2f}" for m in ("none", "static", "alvh"))
    line = f"Comparison('default', 2015-06-01..2015-12-31, baseline none; final NAV, Sharpe: {cells})"  # SHORT
    assert repr(cmp) == line
    assert cmp._repr_html_() == f"<pre>{html.escape(format_comparison(cmp))}</pre>"
    assert str(cmp) == format_comparison(cmp)  # print() in a terminal: the table (researcher trial, session 13)
    assert "paired" in type(cmp).__doc__ and "load_comparison" in type(cmp).__doc__
    back = load_comparison(write_comparison(cmp, tmp_path))
    assert repr(back) == line and list(back.results) == ["none", "static", "alvh"]
    assert back.results["alvh"].signals_log.shape == cmp.results["alvh"].signals_log.shape
    # each mode read back is its run folder's RunFiles (was a SimpleNamespace copy of some of its fields)
    from vixhedge.runfolder import RunFiles

    assert all(isinstance(r, RunFiles) for r in back.results.values())
    assert back.results["alvh"].engine == cmp.results["alvh"].engine
    condor_lines = lambda c: [ln for ln in format_comparison(c).splitlines() if ln.startswith("condors, ")]  # noqa
    assert condor_lines(back) == condor_lines(cmp) and len(condor_lines(cmp)) == 3  # from the folders' files


def test_a_file_where_the_compare_folder_goes_is_one_line_before_any_work(cmp, tmp_path, capsys, monkeypatch):
    """Verification trial: a file in place of the compare folder was found only after every mode had run. Its name
    (vixhedge.compare.comparison_id: config, modes, how the CIs are made) is known before any run: the file is named
    in one line before the market is built, and left as it was. The early id is the folder write_comparison writes."""
    import feeds.market

    from vixhedge.compare import comparison_id, paired_attrs, write_comparison

    cfg = cmp.config
    modes = tuple(cmp.results)
    attrs = paired_attrs("none", 300, None, "percentile", cfg.run.seed)  # how the cmp fixture compared
    assert attrs == cmp.paired.attrs
    assert write_comparison(cmp, tmp_path / "written").name == comparison_id(cfg, modes, attrs)
    # trial DET32 L2: --modes in another order wrote the same folder with its columns and rows in that order
    assert comparison_id(cfg, modes[::-1], attrs) != comparison_id(cfg, modes, attrs)
    toml = tmp_path / "c.toml"
    toml.write_text(C.to_toml(cfg), encoding="utf-8")
    name = comparison_id(C.load(toml), modes, attrs)
    (tmp_path / name).write_text("IMPORTANT user data")
    monkeypatch.setattr(feeds.market, "build_market", lambda *a, **k: pytest.fail("built the market first"))
    assert main(["compare", str(toml), "--modes", ",".join(modes), "--n-boot", "300", "--runs-dir",
                 str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        f"vixhedge: {tmp_path / name} is a file, not a run folder: move it or use --runs-dir"]
    assert (tmp_path / name).read_text() == "IMPORTANT user data"


def test_a_rewrite_from_other_data_says_so_for_each_run(cmp, tmp_path, caplog):
    """As a run's (test_run_folder.py): a compare rerun on changed data replaced its runs/<id>/ silently."""
    import json
    import logging

    from vixhedge.compare import write_comparison

    folder = write_comparison(cmp, tmp_path)
    run = next(p for p in sorted((folder / "runs").iterdir()))
    record = json.loads((run / "manifest.json").read_text())
    first = record["data_files"][0]
    (run / "manifest.json").write_text(json.dumps(  # the earlier folder's data: its first file had other bytes
        {**record, "data_files": [{**first, "sha256": "0" * 64}, *record["data_files"][1:]]}))
    with caplog.at_level(logging.INFO, logger="vixhedge.report"):
        assert write_comparison(cmp, tmp_path) == folder
    assert json.loads((run / "replaced.json").read_text())["data_changed"] == [
        {"name": first["name"], "was": "0" * 64, "now": first["sha256"]}]
    assert json.loads((run / "manifest.json").read_text()) == record  # review: the record is not in it
    assert [r.getMessage() for r in caplog.records if r.name == "vixhedge.report"] == [
        f"note: replaced {run}: the data changed since it was written: {first['name']} (sha256 00000000... -> "
        f"{first['sha256'][:8]}...) (replaced.json lists them)"]


def test_the_comparison_says_what_its_prices_rest_on(cmp, tmp_path):
    """Trial longrun finding 2: `compare --period gfc` printed better/worse verdicts and never said that 99-100% of
    its SPX option prices were modelled (each mode's own run folder did). The console's data line, report.html's
    data banner and comparison.json's data_provenance state the modes' marks and fills together, with each run's
    own verdict (feeds.provenance.combined)."""
    import html as _html

    from vixhedge.compare import write_comparison
    from vixhedge.compare_read import load_comparison
    from vixhedge.compare_text import data_provenance

    own = {m: r.metrics["data_provenance"] for m, r in cmp.results.items()}
    p = data_provenance(cmp)
    for part in ("marks", "fills"):  # the modes' counts summed
        for inst, row in p[part].items():
            assert row["model"] == sum(o[part].get(inst, {}).get("model", 0) for o in own.values())
    assert p["rests_on_model"] and p["verdict"].startswith("MOST OF THIS RESULT RESTS ON MODELLED PRICES")
    assert p["modes"] == {m: {k: o[k] for k in ("modelled_share", "rests_on_model", "verdict")} for m, o in own.items()}
    text = format_comparison(cmp)
    line = next(x for x in text.splitlines() if x.startswith("data: "))
    assert line.startswith(f"data: {p['verdict']}") and text.index(line) < text.index("paired difference")
    folder = write_comparison(cmp, tmp_path)
    meta = json.loads((folder / "comparison.json").read_text())
    assert meta["data_provenance"] == json.loads(json.dumps(p))
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert f"<p><b>Data:</b> {_html.escape(p['verdict'])}</p>" in page
    assert page.index("<b>Data:</b>") < page.index("<h2>Paired differences")
    assert format_comparison(load_comparison(folder)).count(line) == 1  # read back: the same line


def test_compare_report_in_headless_chromium(cmp, tmp_path, rendered):
    from vixhedge.compare import write_comparison

    folder = write_comparison(cmp, tmp_path)
    dom, _ = rendered(folder / "report.html")
    heads = [text for tag, _, text in dom if tag == "h2"]
    assert heads[:3] == ["Side by side", "Paired differences vs none", "Forest plot of the paired differences"]
    imgs = [a["src"] for tag, a, _ in dom if tag == "img"]
    assert len(imgs) == 2 and all(s.startswith("data:image/png;base64,") for s in imgs)
    cells = [text for tag, _, text in dom if tag == "td"]
    assert "Sharpe (higher is better)" in cells and "max drawdown (lower is better)" in cells
    assert any(c in ("better", "worse") or c.startswith("unclear") for c in cells)
    assert sum(tag == "a" for tag, _, _ in dom) == 3  # one link per mode's run report


def test_the_page_and_the_console_print_the_same_paired_figures(cmp, tmp_path):
    """Trial RS20: the page, drawn from paired.csv, read +24.678 where the console read +24.677 (static's max
    drawdown) and -0.028 for -0.029: paired.csv kept 6 decimals, 3 significant digits of a 0.0005 CVaR difference.
    Read back, every cell the page prints equals the console's."""
    from vixhedge.compare import write_comparison
    from vixhedge.compare_text import paired_cells

    folder = write_comparison(cmp, tmp_path)
    back = pd.read_csv(folder / "paired.csv")
    assert [paired_cells(r) for r in back.itertuples()] == [paired_cells(r) for r in cmp.paired.itertuples()]
    cols = ["diff", "ci_low", "ci_high"]  # 10 significant digits: a 0.0005 difference keeps its 4th
    assert back[cols].to_numpy() == pytest.approx(cmp.paired[cols].to_numpy(), rel=1e-9, abs=1e-15)


def test_the_figures_name_their_window_and_data(cmp):
    """Trial RS20: overlay.png and paired.png were titled by the config's name alone; copied out of the page, they
    did not say which days or which data (a run's SVGs do)."""
    from vixhedge.compare_report import fig_overlay, fig_paired

    days = next(iter(cmp.results.values())).daily.index
    about = f"{days[0]:%Y-%m-%d} .. {days[-1]:%Y-%m-%d} ({len(days)} sessions); data embedded"
    assert about in fig_overlay(cmp).axes[0].get_title()
    assert about in fig_paired(cmp)._suptitle.get_text()


def test_overlay_says_which_mode_repeats_another_and_dashes_it(cmp):
    """Visual audit FIG21: `vixhedge compare --period covid --variant keep-adding-without-condor
    hedge.require_condor=false` drew the variant's line exactly over alvh's in all three panels: alvh was invisible
    and the legend did not say so. A mode with another's daily NAV and hedge P&L is now labelled "(same as alvh)"
    and dashed, so the line under it shows through the gaps; modes that differ keep their plain name and line."""
    import dataclasses

    from vixhedge.compare_report import fig_overlay

    twin = dataclasses.replace(cmp, results={**cmp.results, "copy": cmp.results["alvh"]})
    fig = fig_overlay(twin)
    (legend,) = [ax.get_legend() for ax in fig.axes if ax.get_legend()]
    assert [t.get_text() for t in legend.get_texts()] == ["none", "static", "alvh", "copy (same as alvh)"]
    for ax in fig.axes:  # every panel: the copy dashed on top, the others solid
        styles = [line.get_linestyle() for line in ax.get_lines()]
        assert styles[:3] == ["-"] * 3 and styles[3] == "--", styles
    from vixhedge.compare_report import same_lines

    assert same_lines(twin.results) == {"copy": "alvh"} and same_lines(cmp.results) == {}


def test_overlay_legend_under_the_panels_leaves_the_dates_room(cmp):
    """Visual audit FIG21: a long variant name (keep-adding-hedge-layers-while-no-condor-is-open) in a legend right of
    the panels narrowed them until the nine date ticks overlapped. The legend is now under the panels, the names on
    one row while they fit: the panels keep the figure's width and no two date labels touch."""
    import dataclasses

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from vixhedge.compare_report import fig_overlay

    long = "keep-adding-hedge-layers-while-no-condor-is-open"
    fig = fig_overlay(dataclasses.replace(cmp, results={"none": cmp.results["none"], "alvh": cmp.results["alvh"],
                                                        long: cmp.results["static"]}))
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    panels = [ax for ax in fig.axes if ax.get_lines()]
    (legend,) = [ax.get_legend() for ax in panels if ax.get_legend()]
    box = legend.get_window_extent(renderer)
    assert box.y1 <= min(ax.get_window_extent(renderer).y0 for ax in panels)  # under the panels
    assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1 and fig.bbox.y0 <= box.y0
    assert legend._ncols == 3  # one row
    assert all(ax.get_window_extent(renderer).width > 0.85 * fig.bbox.width for ax in panels)
    ticks = sorted((t.get_window_extent(renderer) for t in panels[-1].get_xticklabels() if t.get_text()),
                   key=lambda b: b.x0)
    assert len(ticks) >= 5 and all(a.x1 < b.x0 for a, b in zip(ticks, ticks[1:]))  # no two dates touch
    from vixhedge.compare_report import legend_columns

    assert legend_columns(["x" * 60] * 5) == 2 and legend_columns(["x" * 200, "y"]) == 1  # rows that fit


def test_same_lines_and_legend_columns_edges():
    """Trial MUT21 C2, C3, C5, C7: a NAV a cent apart on one day, or the same NAV with another hedge P&L, is another
    line; names too long for one row of 170 characters take a column each, and a row splits as matplotlib does
    (five names in four columns: the first column takes two)."""
    import types

    from vixhedge.compare_report import legend_columns, same_lines

    days = pd.bdate_range("2016-01-04", periods=3)
    base = pd.DataFrame({"nav_usd": [1e6, 1.01e6, 1.02e6], "hedge_value_usd": [0.0, 10.0, 20.0]}, index=days)
    cent = base.copy()
    cent.iloc[1, 0] += 0.01
    hedge = base.assign(hedge_value_usd=[0.0, 5.0, 20.0])
    runs = {m: types.SimpleNamespace(daily=d) for m, d in (("a", base), ("b", cent), ("c", hedge), ("d", base))}
    assert same_lines(runs) == {"d": "a"}
    assert legend_columns(["x" * 80, "y" * 80]) == 1
    assert legend_columns(["x" * 60, "y" * 60, "z", "w" * 60, "v"]) == 4


def test_the_page_opens_as_the_console_reads(cmp, tmp_path):
    """The page opened with the condor-fill bullets, before its data banner and the side-by-side table (trial VIS22):
    the banners first, as a run's page opens, then the table, its Sharpe lines and the condor fills, as the console
    prints them, then the paired differences."""
    from vixhedge.compare import write_comparison

    page = (write_comparison(cmp, tmp_path) / "report.html").read_text(encoding="utf-8")
    marks = ['<div class="banner', "<h2>Side by side</h2>", "<p>Sharpe: ", "<p>Condor fills, ",
             "<h2>Paired differences vs none</h2>"]
    at = [page.find(m) for m in marks]
    assert -1 not in at and at == sorted(at), dict(zip(marks, at))


def test_a_users_matplotlib_settings_change_no_byte_of_the_pages(cmp, tmp_path):
    """Trial DET24: `axes.grid: True` in a matplotlibrc (or MPLCONFIGDIR's) changed compare's paired.png and
    overlay.png, its report.html and the sweep and walk-forward pages' images; the pages are now drawn under
    matplotlib's defaults (vixhedge.html.default_style), the user's settings untouched after. The same settings
    as the trial's matplotlibrc, set the way a notebook or rc file does."""
    import matplotlib

    from tests.vixhedge.test_sweep_report import _three_key_folder
    from vixhedge import html as H
    from vixhedge.compare import write_comparison
    from vixhedge.sweep_report import render_sweep

    user = {"axes.grid": True, "font.size": 14, "lines.linewidth": 3, "savefig.transparent": True}
    plain = write_comparison(cmp, tmp_path / "plain")
    sweep = _three_key_folder(tmp_path)[0]
    page = render_sweep(sweep)
    with matplotlib.rc_context(user):
        styled = write_comparison(cmp, tmp_path / "styled")
        with H.default_style():  # matplotlib's own defaults, not another style's (classic: 1.0)
            assert matplotlib.rcParams["lines.linewidth"] == matplotlib.rcParamsDefault["lines.linewidth"] == 1.5
        assert render_sweep(sweep) == page
        assert matplotlib.rcParams["axes.grid"] is True  # (the user's settings hold outside the pages)
    for name in ("paired.png", "overlay.png"):
        assert (styled / name).read_bytes() == (plain / name).read_bytes(), name
    strip = [line for line in (plain / "report.html").read_text().splitlines() if str(tmp_path) not in line]
    assert [line for line in (styled / "report.html").read_text().splitlines() if str(tmp_path) not in line] == strip
