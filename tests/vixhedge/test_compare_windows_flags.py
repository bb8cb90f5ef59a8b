"""`vixhedge compare --windows`: compare's flags reach every window, the window edges, the folder id.

MUT30 (mutation trial of session 30's windows code): dropping --baseline, --block-days, --ci-method or --variant on
the way to the windows' compares survived every test (MC7-MC10), as did a window past --end (MV6, MV7) and a folder
id without STEP (MC4). Embedded market, n_boot 100.
"""

from __future__ import annotations

import csv
import re
import datetime as dt

import pytest

from feeds.market import build_market
from vixhedge.cli import main
from vixhedge.cli_windows import windows_id
from vixhedge.compare import STATS, compare
from vixhedge.compare_variants import cli_variants
from vixhedge.compare_windows import parse_windows, window_list
from vixhedge.core import config as C
from tests.vixhedge import test_ruin as ruin_tests
from tests.vixhedge.test_compare_windows import SHORT

D = dt.date
FLAGS = ["--modes", "none,static", "--baseline", "static", "--ci-method", "bca", "--block-days", "5",
         "--variant", "fast8", "hedge.macd.fast=8"]


def test_compares_flags_reach_every_window(tmp_path, capsys):
    """The command with --baseline static, --ci-method bca, --block-days 5 and a variant: its second window's rows
    (2015-04-01..09-30, SHORT's windows: test_compare_windows) are those of the plain compare of those literal dates
    with the same arguments, read back from windows.csv (written with 10 significant digits)."""
    assert main(["compare", *SHORT, *FLAGS, "-q", "--runs-dir", str(tmp_path)]) == 0
    capsys.readouterr()
    (folder,) = tmp_path.iterdir()
    with open(folder / "windows.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert [(r["window"], r["mode"], r["baseline"]) for r in rows] == [
        (str(k), m, "static") for k in (1, 2, 3) for m in ("none", "fast8")]
    cfg = C.replace(C.load_default(), run={"start": "2015-04-01", "end": "2015-09-30"})
    alone = compare(cfg, build_market(cfg.market), modes=("none", "static"), baseline="static", n_boot=100,
                    block_days=5, ci_method="bca", variants=cli_variants([["fast8", "hedge.macd.fast=8"]]))
    t, p = alone.table, alone.paired.set_index(["mode", "stat"])
    assert set(alone.paired["ci_method"]) == {"bca", "percentile"} and set(alone.paired["baseline"]) == {"static"}
    assert set(alone.paired.loc[alone.paired["ci_method"] == "percentile", "stat"]) == {"max_drawdown", "cvar95"}
    assert t.at["end_nav_usd", "fast8"] != t.at["end_nav_usd", "static"]  # (the variant is a policy of its own)
    for r in (r for r in rows if r["window"] == "2"):
        m = r["mode"]
        assert (r["start"], r["end"]) == ("2015-04-01", "2015-09-30")
        assert float(r["end_nav_usd"]) == pytest.approx(t.at["end_nav_usd", m], rel=1e-9)
        assert float(r["baseline_end_nav_usd"]) == pytest.approx(t.at["end_nav_usd", "static"], rel=1e-9)
        for s in STATS:
            want = p.loc[(m, s)]
            for col in ("diff", "ci_low", "ci_high"):
                assert float(r[f"{s}_{col}"]) == pytest.approx(want[col], rel=1e-9, abs=1e-12), (m, s, col)


def test_a_window_ending_after_the_range_is_left_out_and_one_ending_on_it_kept():
    """By hand from the NYSE calendar: the 1y window anchored 2016-01-01 (a holiday: first session 01-04) ends on the
    last session before 2017-01-01, 2016-12-30 (12-31 a Saturday). A range ending 2016-12-30 holds it (5 windows
    every 3 months: 2015-01-02, 04-01, 07-01, 10-01, 2016-01-04); one ending 2016-12-20 does not (its last session
    is 10 days past the end: 4 windows). MUT30 MV6 (a window whose calendar end 12-31 passes a Friday range end was
    dropped) and MV7 (a last session past the end was kept) survived."""
    spec = parse_windows("1y")
    kept = window_list(D(2015, 1, 1), D(2016, 12, 30), spec)
    assert [w.start for w in kept] == [D(2015, 1, 2), D(2015, 4, 1), D(2015, 7, 1), D(2015, 10, 1), D(2016, 1, 4)]
    assert (kept[-1].start, kept[-1].end) == (D(2016, 1, 4), D(2016, 12, 30))
    cut = window_list(D(2015, 1, 1), D(2016, 12, 20), spec)
    assert cut == kept[:4] and cut[-1].end == D(2016, 9, 30)


def test_the_folder_id_holds_the_step():
    """windows_id hashes LENGTH and STEP: 5y/3m and 5y/6m of the same range are two folders (MUT30 MC4, a folder id
    without STEP, survived: the later command would have replaced the earlier's folder)."""
    from vixhedge.compare import paired_attrs

    cfg = C.load_default()
    attrs = paired_attrs("none", 100, None, "percentile", cfg.run.seed)
    ids = {windows_id(cfg, ("none", "static", "alvh"), attrs, {}, parse_windows(s)) for s in ("5y/3m", "5y/6m", "5y")}
    assert len(ids) == 2 and all(i.startswith("default-windows-") for i in ids)  # (5y is 5y/3m: STEP 3m by default)


market, ruin_hedged = ruin_tests.market, ruin_tests.ruin_hedged  # test_ruin's fixtures (alvh ruined, none not)

RUINED = ["--start", "2015-03-01", "--end", "2015-12-31", "--windows", "6m/3m", "--modes", "none,alvh", "--n-boot",
          "100", "-q"]


def _ruined_command(tmp_path, capsys, *more: str) -> tuple[list[dict], str, str]:
    assert main(["compare", *RUINED, *more, "--runs-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    (folder,) = tmp_path.iterdir()
    with open(folder / "windows.csv", newline="") as f:
        return list(csv.DictReader(f)), out, (folder / "report.html").read_text(encoding="utf-8")


def test_a_window_holding_a_ruin_says_whose_and_when(market, ruin_hedged, tmp_path, capsys):
    """A real ruin (test_ruin's: an account holding hedge layers is drained from 2015-09-01 on, so alvh is ruined
    and none is not). 6m/3m over 2015-03-01..12-31 holds two windows, 2015-03-02..08-31 (before the drain: no ruin)
    and 2015-06-01..11-30; the second's alvh ruin day is the plain compare's of those literal dates (its metrics'
    ruin date), its Sharpe row n/a without a verdict (compare_windows.WINDOW_NO_RATIO), the summary's RUINED line and
    the page's "(ruined)" row name it. With --baseline alvh the ruin is the baseline's. MUT30 MV14 (the two ruin
    columns swapped), MV15 (ruined always empty), MV18 (a ruined leg's Sharpe given a verdict) and MT13 (the
    baseline's RUINED line dropped) survived."""
    from vixhedge.compare_windows import WINDOW_NO_RATIO

    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-11-30"})
    alone = compare(cfg, market, modes=("none", "alvh"), n_boot=100)
    day = alone.results["alvh"].metrics["ruin"]["date"]
    assert day >= ruin_tests.RUIN_FROM.isoformat() and alone.results["none"].metrics.get("ruin") is None
    rows, out, page = _ruined_command(tmp_path / "a", capsys)
    assert [(r["start"], r["end"], r["mode"]) for r in rows] == [("2015-03-02", "2015-08-31", "alvh"),
                                                                  ("2015-06-01", "2015-11-30", "alvh")]
    assert [(r["ruined"], r["baseline_ruined"]) for r in rows] == [("", ""), (day, "")]
    assert rows[1]["sharpe_verdict"] == WINDOW_NO_RATIO.format(m="alvh") and "paired.csv" not in page  # (RS34)
    assert ("  RUINED: alvh in 1 window (starting 2015-06-01): liquidated on its ruin day, NAV 0 to the window's end; "
            "its Sharpe there is n/a") in out.splitlines()
    assert page.count("(ruined)") == 1 and '<td class="t w">alvh (ruined)</td>' in page
    rows, out, page = _ruined_command(tmp_path / "b", capsys, "--baseline", "alvh")
    assert [(r["mode"], r["ruined"], r["baseline_ruined"]) for r in rows] == [("none", "", ""), ("none", "", day)]
    assert rows[1]["sharpe_verdict"] == WINDOW_NO_RATIO.format(m="alvh")
    assert ("  RUINED: alvh in 1 window (starting 2015-06-01): liquidated on its ruin day, NAV 0 to the window's end; "
            "its Sharpe there is n/a") in out.splitlines()


def test_the_range_is_checked_against_the_data_before_any_window(tmp_path, capsys):
    """The embedded data begin 2014-01-03 and the MACD needs 34 bars of warm-up (check_window's message names the
    first start that leaves them, 2014-02-24): a range starting 2014-01-06 is one line naming the flags, exit 2,
    before any window's compare (MUT30 MC14: the range's data and warm-up check skipped survived)."""
    assert main(["compare", "--start", "2014-01-06", "--end", "2014-12-31", "--windows", "6m/3m", "--n-boot", "100",
                 "--runs-dir", str(tmp_path)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("vixhedge: --start/--end: run.start = 2014-01-06 leaves ") \
        and "move run.start to 2014-02-24 or later" in err and err.count("\n") == 1, err
    assert not any(tmp_path.iterdir())


def test_the_limits_are_inclusive_and_an_undefined_difference_has_no_verdict():
    """The bounds as the refusals word them: 45 years is "45 years or less" (the 46y refusal: test_compare_windows),
    and a window of 20 sessions is compare's least (MIN_SIDE_SESSIONS): February 2016 held 20 NYSE sessions (21
    weekdays, 02-15 Presidents' Day), March 22 (03-25 Good Friday). A paired difference that is not a number is
    "n/a (undefined)", not a verdict. MUT30 MV3 (45y refused), MV10 (20 sessions refused), MV17 and MV26 survived."""
    import math
    from types import SimpleNamespace

    from vixhedge.compare_windows import WindowSpec, check_windows, verdict_word

    assert parse_windows("45y") == WindowSpec(540, 3, "45y")
    cfg = C.replace(C.load_default(), run={"start": "2016-02-01", "end": "2016-03-31"})
    assert [(w.start, w.sessions) for w in check_windows(cfg, parse_windows("1m/1m"))] == [(D(2016, 2, 1), 20),
                                                                                            (D(2016, 3, 1), 22)]
    row = SimpleNamespace(stat="sharpe", diff=math.nan, ci_low=math.nan, ci_high=math.nan, ci_method="percentile")
    assert verdict_word(row) == "n/a (undefined)"
    # a CI no draw defines (bootstrap.defined_interval's method words) keeps its reason whole (MUT30 MV17: cut at
    # " (", survived)
    row = SimpleNamespace(stat="sharpe", diff=0.1, ci_low=math.nan, ci_high=math.nan,
                          ci_method="not estimable (100 of 100 draws undefined)")
    assert verdict_word(row) == "no verdict: CI not estimable (100 of 100 draws undefined)"


def test_workers_run_the_windows_in_processes_to_the_same_bytes_and_lines(tmp_path, capsys):
    """Trial PERF36: `compare --windows` ran its windows one after another on one core (57 real windows, 95 s);
    `--workers K` forks K processes and merges the windows in order: windows.csv, windows.json, windows.svg,
    report.html and config.toml byte for byte, stdout and the notes on stderr line for line (each window's notes
    kept in its worker and printed in window order: progress.kept_notes / replay) as one process gives, the progress
    lines (a window done as it finishes: where they fall among the notes and which tenths print follow the clock; a
    fresh-clone CI saw the last one before a window's notes) and the elapsed time apart. SHORT: 3 windows of the
    embedded market, alvh's missing-A/D note."""
    def run(k: int) -> tuple[dict, list[str], list[str]]:
        assert main(["compare", *SHORT, "--workers", str(k), "--runs-dir", str(tmp_path)]) == 0
        out, err = capsys.readouterr()
        (folder,) = tmp_path.iterdir()
        files = {f.name: f.read_bytes() for f in folder.iterdir()}
        folder.rename(tmp_path.parent / f"{tmp_path.name}-{k}")
        return files, *([re.sub(r"\([0-9.]+ s\)", "", x) for x in text.splitlines()
                          if not x.startswith("vixhedge compare: ")] for text in (out, err))  # (the clock's lines)

    one, two = run(1), run(2)
    assert sorted(one[0]) == ["config.toml", "report.html", "windows.csv", "windows.json", "windows.svg"]
    assert one == two and "no S&P 500 advance/decline input" in "\n".join(one[2])
    assert main(["compare", "--workers", "2", "--runs-dir", str(tmp_path)]) == 2  # (a plain compare: one line)
    assert capsys.readouterr().err.splitlines()[-1] == ("vixhedge: --workers 2: runs compare --windows' windows in "
                                                        "that many processes; a compare without --windows runs in "
                                                        "one: drop --workers")
    assert main(["compare", *SHORT, "--workers", "-1", "--runs-dir", str(tmp_path)]) == 2
    assert "--workers -1: use 1 or more processes, or 0 for all cores" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def test_a_note_said_once_per_market_is_said_once_whatever_the_workers(market, monkeypatch):
    """Trial session 36: on 57 real windows `--workers 2` counted 367 repeated run notes where one process counted
    365: a note said once per market (feeds.datanotes.note_once: the SPX snapshot note, the A/D file's span) was said
    by each worker's copy of the market. The parent keeps the market's record and drops a repeat. Each made-up window
    here says one such note and one plain note; in 1 or 2 processes the once note is logged once, the plain one 3
    times, in window order (the old code: ['said once per market', 'window 1', 'said once per market', 'window 2',
    'window 3'] in 2)."""
    import logging
    import time

    from feeds.datanotes import note_once
    from vixhedge import compare_windows as CW

    def fake(cfg, mkt, k, w, args, on_window=None):
        time.sleep(0.5 if k == 1 else 0.0)  # (the other worker takes window 2: each worker's copy says the note)
        note_once(mkt, "said once per market")
        logging.getLogger("vixhedge.data").warning("window %d", k)
        return [], {}

    monkeypatch.setattr(CW, "_compared", fake)
    cfg = C.replace(C.load_default(), run={"start": D(2015, 1, 1), "end": D(2015, 12, 31)})
    wins = window_list(D(2015, 1, 1), D(2015, 12, 31), parse_windows("6m/3m"))
    seen: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: seen.append(record.getMessage())
    logging.getLogger("vixhedge").addHandler(handler)
    try:
        for workers in (1, 2):
            market.notes_logged.discard("said once per market")
            seen.clear()
            CW.compare_windows(cfg, market, wins, workers=workers)
            assert seen == ["said once per market", "window 1", "window 2", "window 3"], workers
    finally:
        logging.getLogger("vixhedge").removeHandler(handler)
