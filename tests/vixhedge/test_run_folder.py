"""A run folder as a record: rebuilt from its files alone, damaged files named with the rerun, the commands it
prints naming where it is, the benchmark and the README's signs-and-fees table holding on its files, and a folder
replaced from other data or other code saying so. (conftest's ``short_run`` and ``short_folder``: the default config
over 2015-06..12.)"""

from __future__ import annotations

import re
import shutil
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


def test_report_rebuilds_from_the_files_alone(short_folder: Path, tmp_path: Path, monkeypatch) -> None:
    copy = tmp_path / short_folder.name
    shutil.copytree(short_folder, copy)
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

    moved = original.replace(shown_path(short_folder).encode(), shown_path(copy).encode())
    assert (copy / "report.html").read_bytes() == moved != original
    assert sorted(p.name for p in copy.iterdir()) == sorted(p.name for p in short_folder.iterdir())  # figures redrawn
    for name, _, _ in FIGURES:
        assert (copy / name).read_bytes() == (short_folder / name).read_bytes()
    assert rebuild_report(copy) == copy / "report.html"


def test_report_of_an_incomplete_folder_names_what_is_missing(short_folder: Path, tmp_path: Path, capsys) -> None:
    shutil.copytree(short_folder, tmp_path / "x")
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
def test_report_of_a_damaged_folder_names_the_file_and_the_fix(short_folder: Path, tmp_path: Path, capsys, damage: str,
                                                               legacy: bool) -> None:
    """A cut, corrupt or deleted file is one line naming it and the rerun (exit 2), before anything is written."""
    import json

    copy = tmp_path / short_folder.name
    shutil.copytree(short_folder, copy)
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


def test_the_rebuild_line_of_a_renamed_damaged_folder_says_what_the_run_writes(short_folder: Path, tmp_path: Path,
                                                                             capsys) -> None:
    """A fresh-user trial: `vixhedge report FOLDER` on an edited CSV suggested `vixhedge run FOLDER/config.toml
    --runs-dir PARENT`, which writes PARENT/<run id>, not FOLDER, when the folder was renamed: the line says so."""
    renamed = tmp_path / "my-run"
    shutil.copytree(short_folder, renamed)
    with (renamed / "daily.csv").open("a", encoding="utf-8") as f:
        f.write("edited\n")
    assert main(["report", str(renamed)]) == 2
    err = capsys.readouterr().err
    assert (f"`vixhedge run {renamed}/config.toml --runs-dir {tmp_path}` (it writes {tmp_path / short_folder.name}, the "
            f"run's id, not {renamed}: the folder was renamed; replace {renamed} with it)") in err, err


def test_printed_commands_name_the_real_folder(short_run, tmp_path: Path, monkeypatch) -> None:
    """--runs-dir elsewhere: the manifest's replay command and the report's lines name that folder (absolute
    outside the working folder, relative inside it); a copy rebuilt elsewhere names where it now is. (``short_run``
    ran on the backtrader engine, not the default: the command names it, test_the_replay_command_names_the_engine.)"""
    import json

    bt = " --engine backtrader"
    out = write_run(short_run, tmp_path / "elsewhere")
    mf = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert mf["replay_command"] == f"vixhedge run {out}/config.toml{bt}" and mf["run_folder"] == str(out)
    page = _words(out / "report.html")
    assert f"<td>vixhedge run {out}/config.toml{bt}</td>" in page and f"<td>vixhedge report {out}</td>" in page
    monkeypatch.chdir(tmp_path)
    out = write_run(short_run, Path("inside"))
    mf = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert mf["replay_command"] == f"vixhedge run inside/{out.name}/config.toml{bt}"
    assert f"<td>vixhedge report inside/{out.name}</td>" in _words(out / "report.html")
    moved = shutil.copytree(out, tmp_path / "moved" / out.name)  # a copy rebuilt where it now is names that place
    page = _words(rebuild_report(moved))
    assert f"<td>vixhedge run moved/{out.name}/config.toml{bt}</td>" in page
    assert f"<td>vixhedge report moved/{out.name}</td>" in page and "inside/" not in page
    assert rebuild_report(out).read_text(encoding="utf-8") == (out / "report.html").read_text(encoding="utf-8")


def test_a_folder_with_a_space_is_a_plain_path_in_the_manifest(short_run, tmp_path: Path, monkeypatch) -> None:
    """Packaging trial (2026-12-04): manifest.json's run_folder was a shell word ("'out dir/default-782b4114'"): it
    is the path; the printed commands quote it. A folder written before (run_folder quoted), copied elsewhere and
    rebuilt, names where it now is."""
    import html
    import json

    monkeypatch.chdir(tmp_path)
    out = write_run(short_run, Path("out dir"))
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


def test_the_replay_command_names_the_engine(short_run, tmp_path: Path) -> None:
    """Trial (2026-12-03): a backtrader run's manifest replay_command was `vixhedge run FOLDER/config.toml`, which
    replays on the CLI's default engine, fast (vixhedge.core.config.DEFAULT_ENGINE; the outputs are identical, the
    command should still replay what ran): it ends in `--engine backtrader`; a fast run's command has no flag, as
    `vixhedge run` wrote it (the default run's golden report.html)."""
    import json

    from vixhedge.core.config import DEFAULT_ENGINE

    fast = run_backtest(short_run.config, short_run.market, engine="fast")
    assert (short_run.engine, fast.engine, DEFAULT_ENGINE) == ("backtrader", "fast", "fast")
    for res, flag in ((short_run, " --engine backtrader"), (fast, "")):
        out = write_run(res, tmp_path / res.engine)
        mf = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
        assert mf["engine"] == res.engine and mf["replay_command"] == f"vixhedge run {out}/config.toml{flag}"
        assert f"<td>vixhedge run {out}/config.toml{flag}</td>" in _words(out / "report.html")


def test_benchmark_series_all_start_at_the_runs_first_nav(short_run) -> None:
    """benchmark.csv: the S&P 500 total return and the no-hedge run both start at the run's first NAV (README's
    file table). Static trades on the window's first day (2015-06-01: two hedge fills, test_compare's
    test_hedge_cost_is_each_runs_own_hedge_net_cost), so its first NAV is below the no-hedge run's own; the
    no-hedge column is that run rebased (one factor, so its daily returns are the none run's)."""
    from vixhedge.report import benchmark

    market = short_run.market
    static = run_backtest(C.replace(short_run.config, hedge={"mode": "static"}), market)
    none = run_backtest(C.replace(short_run.config, hedge={"mode": "none", "policy": ""}), market)
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


def test_readme_signs_and_fees_table_holds_on_a_run_folder(short_folder: Path) -> None:
    """Each row of README's "Signs and fees" table, checked on a written run folder (the default config over
    2015-06..12: alvh layers and condors with fees): a fee_usd is a positive cost; fees elsewhere are negative
    P&L; layers.csv pnl_usd excludes the layer's fees (net_pnl_usd includes them), condors.csv pnl_usd includes
    the condor's; metrics.json agrees. Tolerances: CSV floats have 6 decimals, metrics.json cents."""
    import json

    assert _conventions_table() == {
        ("trades.csv", "fee_usd"): ("cost, positive", "is the fee"),
        ("daily.csv", "condor_pnl_usd"): ("P&L", "excluded"),
        ("daily.csv", "fees_pnl_usd"): ("P&L, negative", "is the fee"),
        ("daily.csv", "hedge_vx_carry_usd"): ("P&L", "excluded"),
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
        ("comparison.csv", "fees_pnl_usd"): ("P&L, negative", "is the fee"),
        ("comparison.csv", "hedge_vx_carry_usd"): ("P&L", "excluded"),
        ("comparison.csv", "hedge_fees_usd"): ("P&L, negative", "is the fee"),
        ("placebo.csv", "vx_carry_usd"): ("P&L", "excluded"),
        ("results.csv", "hedge_cost_usd"): ("cost, positive", "excluded"),  # (trial RS39 L4; test_sweep_causes: the
        ("results.csv", "hedge_vx_carry_usd"): ("P&L", "excluded")}  # run's net cost + fees; sum of causes = -cost)
    # comparison.csv: test_compare; placebo: test_placebo; results.csv: test_sweep_causes
    read = lambda name, **kw: pd.read_csv(short_folder / name, **kw)  # noqa: E731
    trades, daily = read("trades.csv", index_col=0), read("daily.csv", index_col=0)
    attr = read("attribution.csv", index_col=0)
    layers, condors = read("layers.csv"), read("condors.csv")
    m = json.loads((short_folder / "metrics.json").read_text(encoding="utf-8"))
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
    causes = ["vx_carry_usd", "vx_vix_move_usd", "option_marks_usd", "fills_vs_mid_usd"]  # the by-cause split too
    np.testing.assert_allclose(layers[causes].sum(axis=1), layers["pnl_usd"], atol=0.03)
    np.testing.assert_allclose(daily[[f"hedge_{c}" for c in causes]].sum(axis=1), daily["hedge_pnl_usd"], atol=1e-5)
    assert attr[["condor:put", "condor:call"]].sum().sum() == pytest.approx(daily["condor_pnl_usd"].sum(), abs=1e-3)
    assert m["pnl"]["condor_pnl_usd"] == pytest.approx(daily["condor_pnl_usd"].sum(), abs=0.01)
    # included: layers.csv net_pnl_usd, metrics' hedge net P&L and cost, condors.csv pnl_usd
    np.testing.assert_allclose(layers["net_pnl_usd"], layers["pnl_usd"] + layers["fees_usd"], atol=1e-6)
    hc = m["hedge_cost"]
    assert hc["net_pnl_usd"] == pytest.approx(hedge_pnl - fee_h, abs=0.05) == -hc["net_cost_usd"]
    pct = -100 * layers["net_pnl_usd"] / hc["condor_credit_usd"]  # written to 4 decimals
    np.testing.assert_allclose(layers["cost_pct_of_condor_credit"], pct, atol=5.1e-5)
    assert condors["pnl_usd"].sum() == pytest.approx(daily["condor_pnl_usd"].sum() - fee_c, abs=0.01)


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


def test_replacing_a_folder_written_from_other_data_says_so(short_run, tmp_path: Path, caplog) -> None:
    """The trial: a config rerun after its data changed replaced its folder (the id hashes the config only) with other
    numbers, silently. The earlier folder's manifest.json data_files are compared with the new run's: the note names
    what changed, the new folder's replaced.json records it (review: not manifest.json, which then differed between
    two folders of the same config and data by what was on disk before; `vixhedge report` still reads the folder);
    a rerun on the same data says nothing and drops the earlier replaced.json."""
    import json
    import logging

    folder = write_run(short_run, tmp_path)
    record = json.loads((folder / "manifest.json").read_text())
    assert "replaced_data_changed" not in record and not (folder / "replaced.json").exists()
    first = record["data_files"][0]
    was = {**first, "sha256": "b38f" + "0" * 60}  # the earlier folder's data: its first file had other bytes
    gone = {"name": "vx/CFE_N14_VX.csv", "sha256": "4646" + "0" * 60}  # and a file this run does not read
    (folder / "manifest.json").write_text(json.dumps({**record, "data_files": [was, *record["data_files"][1:], gone]}))
    with caplog.at_level(logging.INFO, logger="vixhedge.report"):
        write_run(short_run, tmp_path)
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
        write_run(short_run, tmp_path)  # the same data as the folder's: no note, no record
    assert notes() == [] and json.loads((folder / "manifest.json").read_text()) == record
    assert not (folder / "replaced.json").exists()  # not carried over from the folder it replaced


def test_replacing_a_folder_written_by_other_code_says_so(short_run, tmp_path: Path, caplog) -> None:
    """Determinism trial, session 8 (2026-12-04): a run after an edit of strategies/trader.py replaced the folder of
    the same config, no note, no record. manifest.json records the engine's sha256 (vixhedge.codeid.code_sha256); a
    run replacing a folder written by other code says so and its replaced.json records both versions; a manifest
    from before code_sha256 is compared by its commit."""
    import json
    import logging

    from vixhedge.codeid import code_sha256, git_commit

    folder = write_run(short_run, tmp_path)
    record = json.loads((folder / "manifest.json").read_text())
    assert record["code_sha256"] == code_sha256() and record["git_commit"] == git_commit()
    (folder / "manifest.json").write_text(json.dumps({**record, "code_sha256": "ab12" + "0" * 60}))
    with caplog.at_level(logging.INFO, logger="vixhedge.report"):
        write_run(short_run, tmp_path)
    now = {"git_commit": git_commit(), "code_sha256": code_sha256()}
    assert json.loads((folder / "replaced.json").read_text()) == {
        "code_changed": {"was": {**now, "code_sha256": "ab12" + "0" * 60}, "now": now}}
    message = [r.getMessage() for r in caplog.records if r.name == "vixhedge.report"]
    assert len(message) == 1 and message[0].startswith(f"note: replaced {folder}: the code changed since it was "
                                                       "written (commit ") and "ab120000... ->" in message[0]
    old = {k: v for k, v in record.items() if k != "code_sha256"}  # before code_sha256: by its commit
    (folder / "manifest.json").write_text(json.dumps(old))
    write_run(short_run, tmp_path)
    assert not (folder / "replaced.json").exists()
    (folder / "manifest.json").write_text(json.dumps({**old, "git_commit": "0" * 40}))
    write_run(short_run, tmp_path)
    assert json.loads((folder / "replaced.json").read_text())["code_changed"]["was"] == {"git_commit": "0" * 40}


def test_the_data_change_note_counts_what_it_does_not_name() -> None:
    from vixhedge.report import changed_note

    changed = [{"name": f"f{i}.csv", "was": "a" * 64, "now": "b" * 64} for i in range(5)]
    assert changed_note(Path("runs/x-1"), changed) == (
        "note: replaced runs/x-1: the data changed since it was written: f0.csv (sha256 aaaaaaaa... -> bbbbbbbb...), "
        "f1.csv (sha256 aaaaaaaa... -> bbbbbbbb...), +3 more (replaced.json lists them)")


def _words(page: Path) -> str:
    """A report's text without the spans that keep a command's hyphenated words from wrapping (html.table's
    ``unbroken`` columns: the compare page's ``--ci-method`` wrapped as "-" / "-ci-method")."""
    return re.sub(r"</?span[^>]*>", "", page.read_text(encoding="utf-8"))
