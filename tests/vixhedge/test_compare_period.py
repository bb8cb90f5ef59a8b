"""`vixhedge compare --period NAME`: the hedge modes on a named stress period, as `vixhedge replay NAME` runs it.

Fresh-user trial (2026-12-03, finding 3): there was no documented way to compare hedge modes on a named period.
"""

from __future__ import annotations

import argparse
import html
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds.periods import PERIODS
from vixhedge.cli import main
from vixhedge.cli_data import period_config, replay_config
from vixhedge.core import config as C
from vixhedge.fmt import usd
from vixhedge.verdicts import holm, holm_undecided


def _nav(folder) -> float:
    return json.loads((folder / "metrics.json").read_text())["performance"]["end_nav_usd"]


def test_compare_on_a_period_is_the_replay_s_window_and_warm_up(tmp_path, capsys) -> None:
    """china-deval on the embedded market: the alvh mode's run is the replay's (same window, same 92 sessions of
    warm-up history: the same final NAV), and the folder is named after the period."""
    assert main(["replay", "china-deval", "-q", "--runs-dir", str(tmp_path / "replay")]) == 0
    (replayed,) = (tmp_path / "replay").iterdir()
    assert main(["compare", "--period", "china-deval", "--modes", "none,alvh", "--n-boot", "100", "-q",
                 "--runs-dir", str(tmp_path / "cmp")]) == 0
    (folder,) = (tmp_path / "cmp").iterdir()
    assert folder.name.startswith("replay-china-deval-compare-")
    cfg = (folder / "config.toml").read_text()
    assert "start = 2015-08-03" in cfg and "end = 2015-08-31" in cfg and "history_start = 2015-03-23" in cfg
    assert "history_start = 2015-03-23" in (replayed / "config.toml").read_text()  # 92 sessions before the window
    table = (folder / "comparison.csv").read_text().splitlines()
    nav = next(r for r in table if r.startswith("end_nav_usd,")).split(",")
    assert float(nav[2]) == pytest.approx(_nav(replayed), abs=1e-6)  # columns: none, alvh


def test_a_period_too_short_for_the_bootstrap_is_compared_on_the_table(tmp_path, capsys) -> None:
    """Trial RS35 (2026-12-06): `compare --period volmageddon` (2018-02-01..02-28, 19 sessions) was refused, so the
    episode had no side-by-side table and the researcher built it from three replays: it runs, its alvh column is
    the replay's (same final NAV), and the paired differences are one line (fewer than 20 sessions)."""
    assert main(["replay", "volmageddon", "-q", "--runs-dir", str(tmp_path / "replay")]) == 0
    (replayed,) = (tmp_path / "replay").iterdir()
    assert main(["compare", "--period", "volmageddon", "--modes", "none,alvh", "-q",
                 "--runs-dir", str(tmp_path / "cmp")]) == 0
    assert "paired differences: not computed: the window holds 19 sessions" in capsys.readouterr().out
    (folder,) = (tmp_path / "cmp").iterdir()
    nav = next(r for r in (folder / "comparison.csv").read_text().splitlines() if r.startswith("end_nav_usd,"))
    assert float(nav.split(",")[2]) == pytest.approx(_nav(replayed), abs=1e-6)  # columns: none, alvh


@pytest.mark.parametrize("argv, message", [
    (["--period", "covid", "--start", "2015-01-02"],
     "--period covid sets the window: drop --start (or drop --period to compare on a window of your own)"),
    # review finding 1: a --start/--end after the default config's run.end (2018-12-31) was refused for the window
    # it made ("--start 2020-01-01 is not before run.end") before the --period conflict was checked
    (["--period", "covid", "--start", "2020-01-01", "--data-dir", "."],
     "--period covid sets the window: drop --start (or drop --period to compare on a window of your own)"),
    (["--period", "covid", "--end", "2021-01-01", "--data-dir", "."],
     "--period covid sets the window: drop --end (or drop --period to compare on a window of your own)"),
    (["--period", "covid", "--start", "2020-01-01", "--end", "2021-01-01"],
     "--period covid sets the window: drop --start/--end (or drop --period to compare on a window of your own)"),
    (["--period", "covid"],  # the embedded market holds 2014-2018: replay's coverage error, one line
     "named period 'covid' (2020-02-01..2020-04-30 with warm-up from 2019-09-20) is not covered by the data"),
])
def test_a_period_compare_cannot_run_is_one_line(tmp_path, capsys, monkeypatch, argv, message) -> None:
    monkeypatch.delenv("VIXHEDGE_DATA_DIR", raising=False)
    assert main(["compare", *argv, "--runs-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_period_names_the_choices(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["compare", "--period", "dotcom"])
    assert "argument --period: invalid choice: 'dotcom' (choose from 'bear-2022', 'china-deval'" in capsys.readouterr().err


@pytest.mark.parametrize("name, first", [("volmageddon", dt.date(2017, 4, 11)), ("china-deval", dt.date(2014, 10, 9))])
def test_a_slower_macd_gets_the_longer_warm_up_it_needs(name, first) -> None:
    """Mutation trial MUT29 (MU5, MU26: a replay or compare --period of MACD(24,52,18) loaded the default 92 sessions
    of history, 2017-09-20 for volmageddon, and its MACD was still settling inside the window, with no word).
    MACD(24,52,18) has 52 + 18 - 1 = 69 warm-up bars (HedgeMacdConfig.warmup_bars) and settles after 204 sessions
    (feeds/periods.py, _MEASURED and the settled_sessions docstring); the dates are 204 sessions before each window
    (Period.history_start, measured 2026-12-06 by the trial's /tmp/mut29/q/mu5.py on HEAD)."""
    slow = C.replace(C.load_default(), hedge={"macd": {"fast": 24, "slow": 52, "signal": 18}})
    assert slow.hedge.macd.warmup_bars == 69
    cfg = replay_config(name, None, slow)
    assert cfg.market.history_start == PERIODS[name].history_start(204) == first
    assert PERIODS[name].history_start() > first  # the period's own 92 sessions would start later
    if name != "volmageddon":  # (compare refuses volmageddon's 19 sessions before any data are read)
        on_period = period_config(argparse.Namespace(period=name, start=None, end=None), slow)
        assert on_period.market.history_start == first


@pytest.mark.realdata
@pytest.mark.parametrize("name", ["q4-2018", "china-deval"])
def test_compare_period_keeps_the_config_s_data_directory(shared_data, name) -> None:
    """Mutation trial MUT29 (MU8: period_config looked only at $VIXHEDGE_DATA_DIR, so `compare --period q4-2018
    --data-dir ../shared/data` quietly compared on the embedded market's modelled VX curve). period_config's
    docstring (vixhedge/cli_data.py: "on the config's data directory (--data-dir already in it)") and the README's
    compare --period paragraph ("on `--data-dir`, the config's data directory, else `$VIXHEDGE_DATA_DIR`") say the
    config's folder is used; $VIXHEDGE_DATA_DIR is unset here (tests/conftest.py, no_data_dir_env)."""
    cfg = C.replace(C.load_default(), market={"source": "directory", "data_dir": str(shared_data)})
    out = period_config(argparse.Namespace(period=name, start=None, end=None), cfg)
    assert out.market.source is C.MarketSource.DIRECTORY  # (the folder as the replay resolves it: a CI clone's
    # ../shared is a link, its data_dir the link's target)
    assert Path(out.market.data_dir).resolve() == Path(shared_data).resolve()
    assert out.run.name == f"replay-{name}" and out.run.start >= PERIODS[name].start


def test_compare_period_on_a_data_directory_that_misses_the_period_is_refused(tmp_path, capsys) -> None:
    """Mutation trial MUT29 (MU8) without the real data: the synthetic directory of tests/feeds/synthdir.py holds
    2018-01-02..2018-06-29 only, so q4-2018 (2018-09-21..2018-12-31, feeds/periods.py) on it is replay's coverage
    error naming the folder's gaps, exit 2 (test_a_period_compare_cannot_run_is_one_line), never a compare on the
    embedded market, which covers q4-2018 (2014-2018)."""
    from tests.feeds import synthdir

    root = synthdir.write(tmp_path / "data")
    assert main(["compare", "--period", "q4-2018", "--data-dir", str(root), "--runs-dir", str(tmp_path / "r")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "named period 'q4-2018'" in err[0] and "is not covered by the data" in err[0]
    assert not (tmp_path / "r").exists() or list((tmp_path / "r").iterdir()) == []


def test_period_all_compares_each_period_the_data_cover_and_tables_them(tmp_path, capsys) -> None:
    """Trial RS35 (2026-12-06) scripted nine `compare --period NAME` runs and read their folders by hand: `--period
    all` runs each named period the data cover (the embedded market, 2014-2018: china-deval, volmageddon and q4-2018,
    by start; the other six left out in one line), each folder the one `--period NAME` writes, then a row per period
    and mode read from those folders' comparison.csv (final NAV, hedge and condor P&L) and paired.csv (pnl_usd: the
    total P&L's difference, its CI and verdict; volmageddon's 19 sessions: the difference alone)."""
    import csv

    assert main(["compare", "--period", "all", "--modes", "none,alvh", "--n-boot", "100", "--runs-dir",
                 str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert ("vixhedge: --period all: gfc, flash-crash, us-downgrade, covid, bear-2022, yen-carry not covered by the "
            "data, left out (`vixhedge replay NAME` names what each misses)") in err
    folders = {f.name.split("-compare-")[0]: f for f in tmp_path.iterdir() if "-compare-" in f.name}
    assert sorted(folders) == ["replay-china-deval", "replay-q4-2018", "replay-volmageddon"]
    assert [ln for ln in out.splitlines() if ln.startswith("== ")] == [  # (how far along: PERF36)
        "== china-deval (period 1 of 3) ==", "== volmageddon (period 2 of 3) ==", "== q4-2018 (period 3 of 3) =="]
    table = out[out.index("periods compared against none"):out.index("\nperiods folder  ")].splitlines()
    for name, first in (("china-deval", 1), ("volmageddon", 3), ("q4-2018", 5)):
        with open(folders[f"replay-{name}"] / "comparison.csv", newline="") as f:
            col = {r[""]: r for r in csv.DictReader(f)}
        none, alvh = table[first + 1].split(), table[first + 2].split()
        assert none[0] == name and none[2] == "none" and alvh[0] == "alvh"
        assert none[3] == usd(float(col["end_nav_usd"]["none"]))
        assert alvh[1:4] == [usd(float(col[k]["alvh"])) for k in ("end_nav_usd", "hedge_pnl_usd", "condor_pnl_usd")]
        with open(folders[f"replay-{name}"] / "paired.csv", newline="") as f:
            pnl = [r for r in csv.DictReader(f) if r["stat"] == "pnl_usd"]
        diff = float(col["pnl_usd"]["alvh"]) - float(col["pnl_usd"]["none"])
        if name == "volmageddon":
            assert pnl == [] and " ".join(alvh[4:]) == f"{usd(diff, signed=True)} (no CI: 19 sessions)"
        else:
            assert float(pnl[0]["diff"]) == pytest.approx(diff, rel=1e-9)  # (paired.csv: 10 significant digits)
            low = usd(float(pnl[0]["ci_low"]), signed=True)
            assert alvh[4:6] == [usd(float(pnl[0]["diff"]), signed=True), f"[{low},"]
    assert table[-6].startswith("alvh ended ahead of none on total P&L in ") and table[-6].endswith(" of 3 periods")
    assert table[-5].startswith("CI caveat: 2 intervals at 95% each")  # (china-deval's and q4-2018's)
    assert table[-4].startswith("CI caveat: Holm's adjustment of their p-values")  # (the same two)
    # trial VIS35 M1: each period's Holm line adjusts its own five alone; the ten pooled (at 100 draws none can hold)
    assert table[-3].startswith("CI caveat: each period's Holm line (under its compare above, and on its page) adjusts "
                                "that period's intervals alone; all 10 intervals of the periods' compares pooled: "
                                "Holm's adjustment of their p-values") and "none can hold at 100 draws" in table[-3]
    assert table[-2].startswith("flat start: each period starts as a run does")  # (trial RS36)
    assert table[-1] == ("not covered by the data, left out: gfc, flash-crash, us-downgrade, covid, bear-2022, "
                         "yen-carry (`vixhedge replay NAME` names what each misses)")  # (stdout: -q or not)
    # the table kept (trial RS36: on stdout alone): periods.txt as printed, periods.csv its figures in full
    (kept,) = [f for f in tmp_path.iterdir() if f.name.startswith("default-periods-")]
    assert (kept / "periods.txt").read_text().splitlines() == table
    rows = pd.read_csv(kept / "periods.csv")
    assert list(rows["period"].unique()) == ["china-deval", "volmageddon", "q4-2018"]
    assert set(rows["folder"]) == {f.name for f in folders.values()}
    q4 = rows[(rows["period"] == "q4-2018") & (rows["mode"] == "alvh")].iloc[0]
    # each mode's capital figures, its comparison.csv's (trial RS40 M4: periods.csv had none)
    for name in ("china-deval", "q4-2018"):
        with open(folders[f"replay-{name}"] / "comparison.csv", newline="") as f:
            col = {r[""]: r for r in csv.DictReader(f)}
        for _, r in rows[rows["period"] == name].iterrows():
            assert r["capital_needed_usd"] == float(col["capital_needed_usd"][r["mode"]])
            assert (r["days_with_margin_call"], r["ruined"]) == (int(col["days_with_margin_call"][r["mode"]]), False)
    # p_holm: Holm over the table's intervals (china-deval's and q4-2018's alvh rows, the line's two; verdicts.holm)
    tested = rows["ci_low_usd"].notna()
    assert tested.sum() == 2 and rows["p_holm"].isna().sum() == len(rows) - 2
    assert rows.loc[tested, "p_holm"].tolist() == pytest.approx(holm(rows.loc[tested, "p_value"].to_numpy()).tolist())
    # trial RD36 M1: the cell said "Holm p 0.032" where the line named that difference undecided: periods.csv
    # holm_undecided is verdicts.holm_undecided's at the compares' draws (100), and a cell it marks ends so
    pv, adj = rows.loc[tested, "p_value"].to_numpy(), rows.loc[tested, "p_holm"].to_numpy()
    assert rows.loc[tested, "holm_undecided"].tolist() == holm_undecided(pv, adj, 100).tolist()
    assert rows.loc[~tested, "holm_undecided"].isna().all()
    assert usd(q4["end_nav_usd"]) == table[7].split()[1] and q4["verdict"] in table[7]  # (rows: none, alvh a period)
    # IO31: a file where the periods folder goes was refused only after every period ran: now before the first
    (other := tmp_path.parent / f"{tmp_path.name}-file").mkdir()
    (other / kept.name).write_text("mine")
    assert main(["compare", "--period", "all", "--modes", "none,alvh", "--n-boot", "100", "--runs-dir",
                 str(other)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.splitlines()[-1] == (f"vixhedge: {other / kept.name} is a file, not a run folder: "
                                                  "move it or use --runs-dir")  # (after the left-out periods' note)
    assert [f.name for f in other.iterdir()] == [kept.name] and (other / kept.name).read_text() == "mine"
    # IO31: `vixhedge report` on the periods folder, and on a compare folder without its comparison.csv, said "not a
    # complete run folder ... (write one with `vixhedge run`)"
    # trial VIS35 M5: the folder had no page; report.html holds periods.csv's table, periods.txt's lines under it and
    # a link to each period's page, and `vixhedge report` draws it again to the same bytes
    page = (kept / "report.html").read_text()
    assert page.count('<a href="../replay-') == 3 and f'<a href="../{folders["replay-q4-2018"].name}/report.html">' \
        "q4-2018</a>" in page
    from vixhedge.periods_page import on_page

    assert f"<p>{html.escape(on_page(table[-3]))}</p>" in page and html.escape(q4["verdict"]) in page
    assert "(on its page, linked below)" in on_page(table[-3]) and "`" not in page.split("<h1>", 1)[1]  # (VIS36)
    assert main(["report", str(kept)]) == 0 and (kept / "report.html").read_text() == page
    capsys.readouterr()
    # trial MUT35 G1 (a table row read as a line under it), P8 (no Holm p in the cell): the page's paragraphs are the
    # lines under the table, and a row with a CI ends with its Holm p
    under = (kept / "periods.txt").read_text().splitlines()[len(rows) + 2:]
    assert page.count("<p>") == len(under) + 1 and all(html.escape(on_page(ln)) in page for ln in under)  # (+ the
    assert ", Holm p " in table[7]  # rebuild line; table[7]: q4-2018's alvh row)
    lines = (kept / "periods.txt").read_text().splitlines()  # G3: the header and the rows alone are a cut file
    (kept / "periods.txt").write_text("\n".join(lines[:len(rows) + 1]) + "\n")
    assert main(["report", str(kept)]) == 2  # FUZZ37 M3: refused by the sha256 output_files.json recorded
    assert capsys.readouterr().err == (f"vixhedge: {kept / 'periods.txt'} is damaged or was edited: its sha256 is not "
                                       "the one output_files.json recorded when it was written: write "
                                       "the folder again with the command that made it\n")
    (kept / "output_files.json").unlink()  # a folder written before the record: checked by its shape (FUZZ37 M3)
    assert main(["report", str(kept)]) == 2
    capsys.readouterr()
    (kept / "periods.txt").write_text("periods compared against none\n")
    assert main(["report", str(kept)]) == 2
    assert capsys.readouterr().err == (f"vixhedge: {kept}: periods.txt does not hold periods.csv's 6 rows under its "
                                       "header: write the folder again with the command that made it\n")
    (folders["replay-q4-2018"] / "comparison.csv").unlink()
    assert main(["report", str(folders["replay-q4-2018"])]) == 2
    assert "is not a complete compare folder: missing comparison.csv" in capsys.readouterr().err


def test_a_periods_cell_the_line_names_undecided_says_so(tmp_path) -> None:
    """Trial RD36 M1: `compare --period all --baseline static` on real data printed alvh's flash-crash cell "...
    worse (rough CI: few blocks), Holm p 0.032" while the Holm line under the table named it undecided (VIS35 had
    mended compare's paired table alike). A row periods.csv marks ``holm_undecided`` ends "undecided", also read
    back from the file (the page's path: "True" as text)."""
    from vixhedge.cli_periods import period_cells

    row = {"period": "flash-crash", "start": "2010-05-03", "end": "2010-05-28", "sessions": 19, "baseline": "static",
           "end_nav_usd": 1e6, "hedge_pnl_usd": 0.0, "condor_pnl_usd": 0.0, "p_value": 0.016, "folder": "f"}
    rows = pd.DataFrame([{**row, "mode": "static", "pnl_diff_usd": np.nan, "ci_low_usd": np.nan,
                          "ci_high_usd": np.nan, "verdict": "", "p_holm": np.nan, "holm_undecided": None},
                         {**row, "mode": "alvh", "pnl_diff_usd": -10465.0, "ci_low_usd": -18767.0,
                          "ci_high_usd": -3013.0, "verdict": "worse (rough CI: few blocks)", "p_holm": 0.032,
                          "holm_undecided": True}])
    assert period_cells(rows)[1][1][-1] == "-$10,465 [-$18,767, -$3,013] worse (rough CI: few blocks), Holm p 0.032 " \
                                           "undecided"
    rows.to_csv(tmp_path / "periods.csv", index=False)
    back = pd.read_csv(tmp_path / "periods.csv")
    assert period_cells(back)[1][1][-1].endswith("Holm p 0.032 undecided")
    assert period_cells(back.assign(holm_undecided=[None, False]))[1][1][-1].endswith("Holm p 0.032")


def test_period_all_on_data_that_cover_none_is_one_line(tmp_path, capsys, monkeypatch) -> None:
    """No named period covered (a data directory of 2016 alone): one line, exit 2, nothing written."""
    from feeds.directory import CoverageError
    import vixhedge.cli_data

    def uncovered(*a, **k):
        raise CoverageError("not covered")

    monkeypatch.setattr(vixhedge.cli_data, "replay_config", uncovered)
    assert main(["compare", "--period", "all", "--runs-dir", str(tmp_path / "x")]) == 2
    assert capsys.readouterr().err.strip() == (
        "vixhedge: --period all: the data cover none of the named periods (the embedded market holds 2014-2018; "
        "`vixhedge replay NAME` names what a period misses): give --data-dir")
    assert not (tmp_path / "x").exists()


def test_period_all_checks_the_arguments_before_any_heading(tmp_path, capsys) -> None:
    """Review 30: `compare --period all --n-boot 5` printed "== china-deval ==" before its one-line error."""
    assert main(["compare", "--period", "all", "--n-boot", "5", "--runs-dir", str(tmp_path / "x")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip().splitlines()[-1] == (
        "vixhedge: --period all, china-deval: --n-boot 5 is invalid: use 100..100,000 bootstrap draws")
    assert not (tmp_path / "x").exists()


def test_period_all_checks_every_period_before_the_first_runs(tmp_path, capsys) -> None:
    """Trial RS36: `--period all --block-days 30` ran gfc whole, then stopped at flash-crash's 20 sessions. On the
    embedded market volmageddon (19 sessions) is the shortest: --block-days 19 is refused for it, naming it, before
    china-deval (the first) runs."""
    assert main(["compare", "--period", "all", "--block-days", "19", "--runs-dir", str(tmp_path / "x")]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.strip().splitlines()[-1] == (
        "vixhedge: --period all, volmageddon: --block-days 19 is invalid: use a block of 1..18 days (the window "
        "2018-02-01..2018-02-28 has 19 sessions), or leave it out (data-driven)")
    assert not (tmp_path / "x").exists()


def test_an_interrupted_period_all_says_how_far_it_got(tmp_path, capsys, monkeypatch) -> None:
    """Trial RS36: Ctrl-C in `--period all` said "vixhedge: interrupted" alone, 5 finished folders unsaid."""
    import vixhedge.cli as cli

    real, calls = cli._compare_one, []

    def one(args, cfg, heading="", check_only=False):
        if not check_only:
            calls.append(heading)
            if len(calls) == 2:
                raise KeyboardInterrupt
        return real(args, cfg, heading, check_only)

    monkeypatch.setattr(cli, "_compare_one", one)
    assert main(["compare", "--period", "all", "--modes", "none,alvh", "-q", "--runs-dir", str(tmp_path)]) == 130
    err = capsys.readouterr().err
    assert ("vixhedge: compare --period all stopped after 1 of 3 periods: the finished periods' compare folders are "
            "kept; the periods' table is written only when the last is done: run the command again (a finished "
            "period is redone to the same bytes)") in err
    assert [f.name.split("-compare-")[0] for f in tmp_path.iterdir()] == ["replay-china-deval"]
    # IO31: at the first period, "their folders are kept, the table is printed at the end" read as if it printed now
    calls[:] = ["x"]  # (the next period run is the second call: interrupted before any finishes)
    assert main(["compare", "--period", "all", "--modes", "none,alvh", "-q", "--runs-dir", str(tmp_path / "b")]) == 130
    assert "stopped after 0 of 3 periods: no period had finished; the periods' table is written only when the last " \
           "is done" in capsys.readouterr().err
    # IO31 (left in session 31): an interrupt landing after a period's folder was written counted it as not done
    def after(args, cfg, heading="", check_only=False):
        got = real(args, cfg, heading, check_only)
        if not check_only:
            raise KeyboardInterrupt
        return got

    monkeypatch.setattr(cli, "_compare_one", after)
    assert main(["compare", "--period", "all", "--modes", "none,alvh", "-q", "--runs-dir", str(tmp_path / "c")]) == 130
    assert "stopped after 1 of 3 periods: the finished periods' compare folders are kept" in capsys.readouterr().err
    assert [f.name.split("-compare-")[0] for f in (tmp_path / "c").iterdir()] == ["replay-china-deval"]


def test_a_period_rows_ci_carries_compares_qualifiers() -> None:
    """Review 30 / trial RS36: the table read "better" where compare printed "better (borderline: ...)" and gave no
    mark to a CI from 2.7 blocks; a ruined pair's CI covers the days to the ruin. Hand-made paired rows."""
    from vixhedge.cli_periods import _ci

    def _ci_words(p, mode, sessions):  # as the table prints it
        low, high, words = _ci(p, mode, sessions)
        return f"[{usd(low, signed=True)}, {usd(high, signed=True)}] {words}" if low == low else f"({words})"

    row = {"mode": "alvh", "stat": "pnl_usd", "diff": 28968.0, "ci_low": 842.0, "ci_high": 77662.0,
           "ci_method": "bca", "block_days": 2, "days": 20, "ci_borderline": "True"}
    p = pd.DataFrame([row]).set_index(["mode", "stat"])
    assert _ci_words(p, "alvh", 21) == "[+$842, +$77,662] better (borderline: another seed could flip it)"
    rough = pd.DataFrame([{**row, "block_days": 7, "ci_borderline": "False"}]).set_index(["mode", "stat"])
    assert _ci_words(rough, "alvh", 21).endswith("better (rough CI: few blocks)")  # 7 of 20 returns: 2.9 blocks
    cut = pd.DataFrame([{**row, "days": 40, "ci_borderline": "False"}]).set_index(["mode", "stat"])
    assert _ci_words(cut, "alvh", 73) == "[+$842, +$77,662] better (CI to the ruin)"
    assert _ci_words(None, "alvh", 19) == "(no CI: 19 sessions)"



def test_period_on_a_synthetic_market_is_refused(tmp_path, capsys) -> None:
    """Trial IO31: `compare --period q4-2018 --set market.source=synthetic` ran on the embedded market, the key
    dropped unsaid (replay refused it); a config file's synthetic source too. Both are one line, exit 2."""
    assert main(["compare", "--period", "q4-2018", "--set", "market.source=synthetic", "--runs-dir",
                 str(tmp_path / "x")]) == 2
    assert capsys.readouterr().err == ("vixhedge: --set market.source and --period both set market.source: give "
                                       "one\n")
    (tmp_path / "syn.toml").write_text('[market]\nsource = "synthetic"\n')
    assert main(["compare", str(tmp_path / "syn.toml"), "--period", "q4-2018", "--runs-dir", str(tmp_path / "x")]) == 2
    assert capsys.readouterr().err == ("vixhedge: --period q4-2018 replays a named period on real or embedded data: "
                                       "the config's market.source = 'synthetic' has no such dates: drop --period, "
                                       "or the key\n")
    assert not (tmp_path / "x").exists()
