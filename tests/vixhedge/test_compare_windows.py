"""`vixhedge compare --windows LENGTH[/STEP]`: the compare on every window of a range, on one market.

Trial RS33 (sections 2-3): "is ALVH-vs-static a property of the method or of the day I start?" took 140 separate
compares and scripts to parse their folders; the command answers it in one run (vixhedge/compare_windows.py).
Embedded market, few windows, n_boot 100.
"""

from __future__ import annotations

import csv
import html
import json
import datetime as dt
import re
import shutil
import sys

import pytest

from feeds.market import build_market
from vixhedge.cli import main
from vixhedge.compare import STATS, compare
from tests.vixhedge import test_compare_args as compare_args
from vixhedge.compare_windows import (Window, WindowSpec, add_months, compare_windows, parse_windows, window_list,
                                      window_rows)
from vixhedge.compare_windows_text import sign_changes
from vixhedge.cli_windows import rerun_command
from vixhedge.core import config as C

D = dt.date
SHORT = ["--start", "2015-01-01", "--end", "2015-12-31", "--windows", "6m/3m", "--n-boot", "100"]


def test_the_embedded_ranges_2y_6m_windows_are_the_xnys_sessions_by_hand():
    """The default config's range 2014-03-03..2018-12-31 (default.toml run.start/end), 2y/6m: a window starts on the
    first session on or after 03-03/09-03 of each half-year and ends on the last session before the same day two
    years on. By hand from the NYSE calendar: 2016-09-03 is a Saturday and 09-05 Labor Day (start 09-06); 2016-03-03,
    2017-09-03 and 2018-03-03 are weekend days or followed one (ends 03-02, 09-01, 03-02); 2018-09-03 is Labor Day
    (end 08-31); the 2017-03-03 window would end 2019-03-01, after the range's end: left out."""
    cfg = C.load_default()
    assert (cfg.run.start, cfg.run.end) == (D(2014, 3, 3), D(2018, 12, 31))
    wins = window_list(cfg.run.start, cfg.run.end, parse_windows("2y/6m"))
    assert [(w.start, w.end) for w in wins] == [
        (D(2014, 3, 3), D(2016, 3, 2)), (D(2014, 9, 3), D(2016, 9, 2)), (D(2015, 3, 3), D(2017, 3, 2)),
        (D(2015, 9, 3), D(2017, 9, 1)), (D(2016, 3, 3), D(2018, 3, 2)), (D(2016, 9, 6), D(2018, 8, 31))]


def test_quarterly_one_year_windows_skip_the_new_years_holidays_and_step_3_months_by_default():
    """2015-01-01 and 2016-01-01 are NYSE holidays (2016-01-02/03 a weekend): the first and last windows start on
    01-02 and 01-04; 2016-12-31 is a Saturday, so the last window ends 12-30; 2015 held 252 NYSE sessions. The
    window after 2016-01-04's would end in 2017: left out (5 windows)."""
    wins = window_list(D(2015, 1, 1), D(2016, 12, 31), parse_windows("1y"))
    assert wins == [Window(D(2015, 1, 2), D(2015, 12, 31), 252), *wins[1:]]
    assert [(w.start, w.end) for w in wins[1:]] == [
        (D(2015, 4, 1), D(2016, 3, 31)), (D(2015, 7, 1), D(2016, 6, 30)), (D(2015, 10, 1), D(2016, 9, 30)),
        (D(2016, 1, 4), D(2016, 12, 30))]
    assert parse_windows("3y") == WindowSpec(36, 3, "3y")
    assert add_months(D(2015, 1, 31), 1) == D(2015, 2, 28) and add_months(D(2016, 1, 31), 1) == D(2016, 2, 29)


def test_sign_changes_skip_a_zero_difference():
    # signs +, -, (0), +, +, -: three changes between consecutive nonzero differences
    import numpy as np

    assert sign_changes(np.array([1.0, -2.0, 0.0, 3.0, 4.0, -1.0])) == 3


def test_the_rerun_command_is_the_plain_compare_of_the_window():
    line = "python -m vixhedge compare my.toml --windows 5y/3m --start 2006-01-01 --end=2024-12-31 -q --baseline static"
    assert rerun_command(line, "2009-01-02", "2013-12-31") == (
        "python -m vixhedge compare my.toml --baseline static --start 2009-01-02 --end 2013-12-31")
    # argparse takes unambiguous prefixes (review 29: the rerun kept `--wind 2y/6m --sta ...` and ran the windows)
    line = "vixhedge compare --wind 2y/6m --sta 2015-01-01 --end=2018-12-31 --qui --baseline static"
    assert rerun_command(line, "2015-01-02", "2016-12-30") == (
        "vixhedge compare --baseline static --start 2015-01-02 --end 2016-12-30")
    from vixhedge.cli import _parser  # (each prefix above is one the compare parser takes)

    assert vars(_parser().parse_args(line.split()[1:]))["windows"] == "2y/6m"


@pytest.fixture(scope="module")
def shared():
    """The 2015 range's three 6-month windows (every 3 months) compared on one market, none/static/alvh, n_boot 100."""
    cfg = C.replace(C.load_default(), run={"start": "2015-01-01", "end": "2015-12-31"})
    wins = window_list(cfg.run.start, cfg.run.end, parse_windows("6m/3m"))
    return cfg, wins, compare_windows(cfg, build_market(cfg.market), wins, n_boot=100)


def by_rule(diff: float, low: float, high: float, better: str) -> str:
    """A paired verdict by compare's rule (vixhedge.verdicts.verdict_words' docstring): better / worse when the
    CI excludes 0 in the direction that is better / worse, else unclear (the 2015 windows hold no ruin: every CI is
    a figure)."""
    up = better == "higher"
    if low > 0 or high < 0:
        return "better" if (low > 0) == up else "worse"
    return "unclear"


def test_a_windows_rows_are_a_plain_compare_of_that_window_on_a_market_of_its_own(shared):
    """The second window compared alone from its literal dates 2015-04-01..09-30 (the dates its rerun command gives;
    not through window_config, so a window config that changed anything else, its seed say, shows), on a freshly
    built market, gives the same numbers to the last bit: sharing the market across windows changes nothing. Each
    row's NAV difference is its final NAV less the baseline's from that compare's table, its baseline columns are
    none's, and each verdict is the bare word of the CI's rule (MUT30 MV13, MV16, MV25, MV27 survived)."""
    from vixhedge.compare_rows import BETTER

    cfg, wins, result = shared
    assert [(w.start, w.end) for w in wins] == [(D(2015, 1, 2), D(2015, 6, 30)), (D(2015, 4, 1), D(2015, 9, 30)),
                                                (D(2015, 7, 1), D(2015, 12, 31))]
    alone = compare(C.replace(cfg, run={"start": "2015-04-01", "end": "2015-09-30"}), build_market(cfg.market),
                    n_boot=100)
    t = alone.table
    rows = [r for r in result.rows if r["window"] == 2]
    assert [r["mode"] for r in rows] == ["static", "alvh"] and {r["baseline"] for r in rows} == {"none"}
    for r in rows:
        m = r["mode"]
        assert (r["end_nav_usd"], r["baseline_end_nav_usd"], r["hedge_pnl_usd"], r["condor_pnl_usd"]) == (
            t.at["end_nav_usd", m], t.at["end_nav_usd", "none"], t.at["hedge_pnl_usd", m], t.at["condor_pnl_usd", m])
        assert (r["baseline_hedge_pnl_usd"], r["baseline_condor_pnl_usd"]) == (t.at["hedge_pnl_usd", "none"],
                                                                              t.at["condor_pnl_usd", "none"])
        assert r["nav_diff_usd"] == t.at["end_nav_usd", m] - t.at["end_nav_usd", "none"] != 0
        assert (r["ruined"], r["baseline_ruined"]) == ("", "")  # (no ruin in 2015: the table's ruined row is 0)
        assert t.at["ruined", m] == t.at["ruined", "none"] == 0
        for key in ("days_with_margin_call", "capital_needed_usd"):  # (trial RS40 M4: no capital column before)
            assert (r[key], r[f"baseline_{key}"]) == (t.at[key, m], t.at[key, "none"]), key
        p = alone.paired.set_index(["mode", "stat"])
        for s in STATS:
            want = p.loc[(m, s)]
            assert (r[f"{s}_diff"], r[f"{s}_ci_low"], r[f"{s}_ci_high"], r[f"{s}_ci_borderline"]) == (
                want["diff"], want["ci_low"], want["ci_high"], bool(want["ci_borderline"]))
            assert r[f"{s}_verdict"] == by_rule(want["diff"], want["ci_low"], want["ci_high"], BETTER[s]), (m, s)
    assert rows[1]["ad_rules_off"] == "fomc_cadence,event_window,ad_filter"  # the embedded market has no A/D input
    # no CI of 2015's windows is borderline: one made so is carried to its row, the others not (MUT30 MV19, the
    # column always False, survived)
    alone.paired.loc[alone.paired.index[0], "ci_borderline"] = True
    m, s = alone.paired.loc[alone.paired.index[0], ["mode", "stat"]]
    flags = [(r["mode"], st) for r in window_rows(2, wins[1], alone) for st in STATS if r[f"{st}_ci_borderline"]]
    assert flags == [(m, s)]


def test_the_summary_counts_what_the_rows_say(shared):
    """summarise's figures per mode, recomputed from the rows by hand (MUT30 MT4-MT7 survived: no test asserted any
    count): ahead = windows whose final NAV is above the baseline's (the rows' end_nav_usd less baseline_end_nav_usd,
    which the test above pins to a plain compare), the median and range of that difference, best and worst its
    argmax and argmin, and per statistic the windows whose CI says better / worse / unclear by compare's rule."""
    import numpy as np

    from vixhedge.compare_rows import BETTER
    from vixhedge.compare_windows_text import summarise

    cfg, wins, result = shared
    s = summarise(result.rows, STATS, lambda a, b: f"rerun {a} {b}")
    assert list(s) == ["static", "alvh"]
    seen = {"better": 0, "worse": 0}
    for mode in s:
        own = [r for r in result.rows if r["mode"] == mode]
        d = np.array([r["end_nav_usd"] - r["baseline_end_nav_usd"] for r in own])
        assert len(set(d)) == 3 and np.median(d) != d.mean()  # (three distinct differences: median is not mean)
        assert (s[mode]["windows"], s[mode]["ahead"], s[mode]["behind"]) == (3, int((d > 0).sum()), int((d < 0).sum()))
        assert (s[mode]["nav_diff_median_usd"], s[mode]["nav_diff_min_usd"], s[mode]["nav_diff_max_usd"]) == \
            pytest.approx((np.median(d), d.min(), d.max()), rel=1e-12)
        assert (s[mode]["best"]["start"], s[mode]["worst"]["start"]) == (own[int(np.argmax(d))]["start"],
                                                                          own[int(np.argmin(d))]["start"])
        assert s[mode]["best"]["rerun"] == f"rerun {own[int(np.argmax(d))]['start']} {own[int(np.argmax(d))]['end']}"
        for st in STATS:
            words = [by_rule(r[f"{st}_diff"], r[f"{st}_ci_low"], r[f"{st}_ci_high"], BETTER[st]) for r in own]
            want = {w: words.count(w) for w in ("better", "worse", "unclear")}
            assert {k: s[mode]["stats"][st][k] for k in want} == want, (mode, st)
            assert s[mode]["stats"][st]["no_verdict"] == 0
            seen = {k: seen[k] + want[k] for k in seen}
    assert seen["better"] != seen["worse"]  # (a swap of the two counts would show)


def test_the_command_writes_the_rows_and_prints_the_summary_they_give(shared, tmp_path, capsys):
    cfg, wins, result = shared
    assert main(["compare", *SHORT, "--runs-dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    (folder,) = tmp_path.iterdir()
    assert folder.name.startswith("default-windows-")
    assert sorted(p.name for p in folder.iterdir()) == ["config.toml", "report.html", "windows.csv", "windows.json",
                                                        "windows.svg"]
    svg, page = (folder / "windows.svg").read_text(), (folder / "report.html").read_text()
    assert svg.startswith("<svg ") and "final NAV - none&#x27;s ($k)" in svg and "nan" not in svg
    assert page.count("<tr>") >= 7 and "<h2>Each window against none</h2>" in page and "data:image/svg+xml" in page
    assert '<pre style="white-space: pre-wrap">compare over 3 windows' in page  # (the summary's lines ran off-page)
    # no window was ruined (windows.csv's ruined cells empty, no RUINED line): no row says so (MUT30 H1: an empty
    # cell read back as NaN, which is true, tagged all 6 rows "(ruined)")
    assert "(ruined)" not in page and "RUINED" not in out
    with open(folder / "windows.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6  # 3 windows x (static, alvh)
    for got, want in zip(rows, result.rows):
        assert float(got["nav_diff_usd"]) == pytest.approx(want["nav_diff_usd"], rel=1e-9, abs=1e-6)
        assert got["sharpe_verdict"] == want["sharpe_verdict"] and got["start"] == want["start"]
    for mode in ("static", "alvh"):
        ahead = sum(float(r["nav_diff_usd"]) > 0 for r in rows if r["mode"] == mode)
        assert f"{mode} vs none: ahead on final NAV in {ahead} of 3 windows" in out
    # each best / worst window's rerun is the plain compare of that window's dates (MUT30 MC15: swapped survived)
    # (rebuilt on the folder's config.toml as a compare folder's Reproduce command, never as typed: trial DET32 M3)
    reruns = re.findall(r"^  (?:best|worst)(?: window)? +(2015-\d\d-\d\d)\.\.(2015-\d\d-\d\d)  [+-]\$[\d,]+  rerun: "
                        rf"vixhedge compare {re.escape(str(folder))}/config.toml --modes none,static,alvh --baseline "
                        r"none --n-boot 100 --ci-method percentile --engine fast "
                        rf"--runs-dir {re.escape(str(tmp_path))} --start (\S+) --end (\S+)$", out, re.M)
    assert len(reruns) == 4 and all((a, b) == (c, d) for a, b, c, d in reruns), out
    # the page holds the summary as printed, the data banner of windows.json's provenance and the command (MUT30
    # MP10, MP11, MP13, MC11, MC13, MC16, MC17 survived: a line or the banner lost on one side, the heading's end,
    # the Reproduce command, the range recorded)
    from vixhedge.page_banners import provenance_banner

    record = json.loads((folder / "windows.json").read_text())
    summary = out.split("\nnotes: ")[0]
    assert summary.startswith("compare over 3 windows of 6 months, one starting every 3 months, 2015-01-02..2015-12-31 "
                              "(each a plain compare")
    assert summary.count("\n") == 20  # (21 lines: the heading, 8 a mode, the flat start, counts, A/D and data lines)
    assert "\nA/D rules: alvh's fomc_cadence, event_window, ad_filter could not act in 3 of 3 windows" in summary
    assert html.escape(summary) in page
    banner = provenance_banner({"data_provenance": record["data_provenance"]})
    assert "MODELLED PRICES" in banner and banner in page
    # windows.json names no folder path (its config.toml from inside, no --runs-dir: trial DET39 M1); the page names
    # where the folder is, as the printed reruns above do
    assert record["command"] == ("vixhedge compare config.toml --modes none,static,alvh --baseline none "
                                 "--n-boot 100 --ci-method percentile --engine fast --windows 6m/3m")
    assert (f"<h2>Reproduce</h2>\n<p><code>vixhedge compare {folder}/config.toml --modes none,static,alvh --baseline "
            f"none --n-boot 100 --ci-method percentile --engine fast --runs-dir {tmp_path} --windows 6m/3m</code></p>"
            in page)
    assert record["arguments"]["range"] == ["2015-01-01", "2015-12-31"]
    # the runs' notes print once per kind: each of the 3 windows' alvh runs logs the missing A/D input (MUT30 MC3,
    # MC12: repeated, or the count line dropped, survived)
    assert err.count("no S&P 500 advance/decline input") == 1
    assert re.search(r"^notes: [1-9]\d* more run notes of the kinds printed above, from the windows' runs", out, re.M)
    assert "flat start: each window starts as a run does" in out and "\ndata (summed over the windows): " in out
    assert "vixhedge compare: 3 of 3 windows (100%)" in err  # off a terminal: plain progress lines
    assert "vixhedge: comparing none, static, alvh on 3 windows of 'default' (6m/3m: 2015-01-02..2015-12-31)\n" in err
    # the data notes once each kind (numbers masked), the later windows' counted (the 6 embedded windows' banner
    # held 12 notes of 2 kinds, each window's own): the SPX-widths note of fills with VIX above 29.6 comes from the
    # windows holding 2015-08-24 (VIX 40.74; the first window, to 06-30, never closed above 24), so the second
    # window's (2015-04-01: none, static; alvh, one note with their two counts: trial RS38 L5) is kept and the
    # third's three left out
    notes = json.loads((folder / "windows.json").read_text())["data_provenance"]["notes"]
    assert len(notes) == 2 and notes[0].startswith("2015-04-01: ") and "VIX above 29.6" in notes[0]
    assert notes[0].endswith(" (figures of none, static / alvh)") and " of this run's " in notes[0]
    # VIS30: the page's count and the console's were worded alike but count different notes
    assert notes[1] == "3 more data notes of these kinds from later windows, left out (a plain compare of a window " \
                       "gives its own)"


def test_the_same_windows_typed_otherwise_write_the_same_bytes(tmp_path, monkeypatch, capsys):
    """Trial DET32 M3: windows.json and report.html held the command line as typed, so the same windows wrote other
    bytes under `python -m vixhedge`, with -q, the flags in another order, --runs-dir spelled absolute or a LENGTH of
    6M (since refused, FUZZ37 L1: 6m without its default /3m here); the command is rebuilt now, as a compare folder's
    Reproduce command."""
    monkeypatch.chdir(tmp_path)
    window = ["--start", "2015-01-01", "--end", "2015-12-31"]
    assert main(["compare", *window, "--modes", "none,static", "--n-boot", "100", "--windows", "6m/3m"]) == 0
    (folder,) = (tmp_path / "runs").iterdir()
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    shutil.rmtree(folder)
    monkeypatch.setattr(sys, "argv", ["/x/vixhedge/__main__.py", "compare", "-q", "--windows", "6m", "--n-boot", "100",
                                      "--runs-dir", str(tmp_path / "runs"), "--modes", "none,static", *window[2:],
                                      *window[:2]])
    assert main() == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first
    record = json.loads(first["windows.json"])
    assert record["command"] == ("vixhedge compare config.toml --modes none,static --baseline none "
                                 "--n-boot 100 --ci-method percentile --engine fast --windows 6m/3m")
    assert (f"<code>vixhedge compare runs/{folder.name}/config.toml --modes none,static --baseline none --n-boot 100 "
            "--ci-method percentile --engine fast --windows 6m/3m</code>") in first["report.html"].decode()
    assert record["arguments"]["windows"] == "6m/3m"
    capsys.readouterr()


def test_the_same_command_writes_the_same_bytes(tmp_path, capsys):
    assert main(["compare", *SHORT, "-q", "--runs-dir", str(tmp_path)]) == 0
    (folder,) = tmp_path.iterdir()
    first = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert main(["compare", *SHORT, "-q", "--runs-dir", str(tmp_path)]) == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first
    assert "windows (" not in capsys.readouterr().err  # -q: no progress
    # `vixhedge report FOLDER` redraws windows.svg and report.html from windows.csv / windows.json: the same bytes
    # (it read "is not a complete run folder: missing manifest.json, ..."; ROLL29's report left it)
    (folder / "report.html").unlink()
    (folder / "windows.svg").write_text("stale")
    assert main(["report", str(folder)]) == 0
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == first
    # a windows.csv cut mid-row (review 29: redrawn as if whole, its truncated CI a number, exit 0): refused in one
    # line, nothing rewritten
    (folder / "windows.csv").write_bytes(first["windows.csv"][:-40])
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert "windows.csv is not the file the command wrote (its sha256 differs from windows.json's)" in err \
        and err.count("\n") == 1
    command = json.loads(first["windows.json"])["command"]  # RS34: the fix named the command, not what it was
    command = command.replace(" config.toml ", f" {folder}/config.toml ").replace(" --windows ",
                                                                                 f" --runs-dir {tmp_path} --windows ")
    assert err.endswith(f": write it again: {command}\n") and command.startswith(f"vixhedge compare {folder}/")
    assert (folder / "report.html").read_bytes() == first["report.html"]
    # IO31: a folder from before windows.json recorded output_files: a windows.csv cut to its header drew a page of
    # no window, a word in a figure's cell drew the word; both refused now (its shape and numbers checked)
    old = {k: v for k, v in json.loads(first["windows.json"]).items() if k != "output_files"}
    (folder / "windows.json").write_text(json.dumps(old))
    header, *lines = first["windows.csv"].decode().splitlines(keepends=True)
    for csv_text, why in ((header, "windows.csv holds 0 rows where windows.json's windows and modes make 6"),
                          (header + lines[0].replace(",static,none,", ",static,none,abc", 1) + "".join(lines[1:]),
                           "windows.csv's column 'end_nav_usd' is not all numbers")):
        (folder / "windows.csv").write_text(csv_text)
        assert main(["report", str(folder)]) == 2 and why in capsys.readouterr().err
    assert (folder / "report.html").read_bytes() == first["report.html"]
    (folder / "windows.json").unlink()  # IO31: missing, it read "not a complete run folder ... `vixhedge run`"
    assert main(["report", str(folder)]) == 2
    assert capsys.readouterr().err == (f"vixhedge: {folder} is not a complete compare --windows folder: missing "
                                       "windows.json: write it again with the command that made it\n")
    (folder / "windows.json").write_text("{")  # damaged: one line naming the file (FUZZ37 L5), exit 2
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"vixhedge: {folder / 'windows.json'} is damaged, so {folder} is not a readable compare "
                          "--windows folder (JSONDecodeError") \
        and err.count("\n") == 1 and err.endswith("write it again with the command that made it\n")


no_market = compare_args.no_market  # the fixture: a market build fails the test (every check comes before it)


def test_parquet_is_refused_not_ignored(no_market, capsys, tmp_path, monkeypatch):
    """Review 29: --parquet beside --windows was accepted and ignored (no run folder is written). RD31: without
    pyarrow the refusal was "--parquet needs pyarrow", as if installing it would help: the windows' words whether
    pyarrow is installed (find_spec faked both ways) or not."""
    import importlib.util

    real = importlib.util.find_spec
    for has_pyarrow in (True, False):
        monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a, has=has_pyarrow: (
            real("json") if has else None) if name == "pyarrow" else real(name, *a))
        assert main(["compare", "--windows", "2y", "--parquet", "--runs-dir", str(tmp_path)]) == 2
        err = capsys.readouterr().err
        assert err.startswith("vixhedge: --parquet writes a run folder's tables as .parquet; compare --windows 2y "
                              "writes no run folder") and err.count("\n") == 1


@pytest.mark.parametrize("argv, why", [
    ("--windows 5x", r"--windows '5x' is malformed: write LENGTH\[/STEP\], each the digits 0-9 and y \(years\) or "
                     r"m \(months\) in lower case, nothing around them, e\.g\. 5y/3m"),
    ("--windows 5y/0m", r"--windows '5y/0m': LENGTH and STEP must be 1 month or more"),
    ("--windows 0m/3m", r"--windows '0m/3m': LENGTH and STEP must be 1 month or more"),
    # February 2015 held 19 NYSE sessions (02-16 Presidents' Day)
    ("--windows 1m/1m --start 2015-01-01 --end 2015-12-31", r"--windows 1m/1m: the window 2015-02-02\.\.2015-02-27 "
                                                            r"holds 19 sessions: compare's paired bootstrap needs at "
                                                            r"least 20"),
    # the block must fit the shortest window, not the first: March 2015 held 22 NYSE sessions, April 21 (04-03 Good
    # Friday; MUT30 MC6, the first window's check, survived), named (RS34: "the window has 502 sessions", unnamed)
    ("--windows 1m/1m --start 2015-03-01 --end 2015-04-30 --block-days 21", r"--block-days 21 is invalid: use a block "
                                                                            r"of 1\.\.20 days \(the window 2015-04-01"
                                                                            r"\.\.2015-04-30 has 21 sessions, the "
                                                                            r"shortest of --windows 1m/1m\)"),
    ("--windows 3y/2y --start 2015-01-01 --end 2018-12-31", r"2015-01-01\.\.2018-12-31 holds 1 window of 3 years: "
                                                            r"compare over windows needs 2 or more"),
    ("--windows 5y --start 2015-01-01 --end 2018-12-31", r"holds 0 windows of 5 years"),
    # review 29: a window reaching past the 1990..2035 calendar was an internal error (exit 3)
    ("--windows 22y", r"2014-03-03\.\.2018-12-31 holds 0 windows of 22 years"),
    ("--windows 46y", r"--windows '46y': LENGTH and STEP must be 45 years or less"),
    ("--windows 2y/99999m", r"--windows '2y/99999m': LENGTH and STEP must be 45 years or less"),
    ("--windows 2y --period covid", r"--windows 2y steps windows through run\.start\.\.run\.end; --period covid sets "
                                    r"the window: drop one of them"),
], ids=str)
def test_bad_windows_are_one_line_and_exit_2_before_any_work(argv, why, no_market, capsys, tmp_path):
    assert main(["compare", "--runs-dir", str(tmp_path), *argv.split()]) == 2
    out, err = capsys.readouterr()
    lines = err.strip().splitlines()
    assert out == "" and len(lines) == 1 and lines[0].startswith("vixhedge: ") and re.search(why, lines[0]), err
    assert not any(tmp_path.iterdir())


def test_help_shows_the_flag_with_an_example(capsys):
    with pytest.raises(SystemExit) as done:
        main(["compare", "--help"])
    out = capsys.readouterr().out
    assert done.value.code == 0
    assert "--windows LENGTH[/STEP]" in out and "--windows 5y/3m" in out.replace("\n", " ")
    assert "vixhedge compare --windows 2y/6m" in out


def _row(start: str, mode: str, diff: float, verdict: str = "unclear", ruined: str = "", **kw) -> dict:
    """A hand-made windows.csv row (the columns compare_windows.window_rows writes)."""
    row = {"window": 1, "start": start, "end": start, "sessions": 63, "mode": mode, "baseline": "none",
           "nav_diff_usd": diff, "ruined": ruined, "baseline_ruined": "", "ad_rules_off": ""}
    for s in STATS:
        row |= {f"{s}_diff": -73.222, f"{s}_ci_low": -146.002, f"{s}_ci_high": -67.182, f"{s}_verdict": verdict,
                f"{s}_ci_borderline": False}
    return row | kw


def test_a_ruined_window_is_said_and_its_n_a_sharpe_is_no_figure():
    """Trial RS34: static ruined in a window (2020-03-23, real data) showed only as a stderr note (none with -q);
    the page read its n/a Sharpe as -73.222 [-146.002, -67.182] and the figure's axis ran to -146. Now the summary
    has a RUINED line, the page's row says "(ruined)" and "n/a", the figure leaves the point out; a borderline CVaR
    is tagged on the page as the Sharpe's is."""
    from vixhedge.compare_windows_page import report_page, windows_svg
    from vixhedge.compare_windows_text import format_summary, summarise

    na = "no verdict: static's Sharpe is n/a (a ruined or flat book)"
    rows = [_row("2020-03-18", "static", -1010131.0, na, ruined="2020-03-23"),
            _row("2020-04-17", "static", 5000.0, cvar95_ci_borderline=True, sharpe_diff=0.5, sharpe_ci_low=-0.1,
                 sharpe_ci_high=1.1)]
    summary = summarise(rows, STATS, lambda s, e: f"rerun {s} {e}")
    assert summary["static"]["ruined"] == ["2020-03-18"] and summary["static"]["baseline_ruined"] == []
    spec = {"count": 2, "length_months": 3, "step_months": 1, "first_start": "2020-03-18", "last_end": "2020-07-16"}
    text = format_summary(summary, spec, "")
    assert ("  RUINED: static in 1 window (starting 2020-03-18): liquidated on its ruin day, NAV 0 to the window's "
            "end; its Sharpe there is n/a") in text.splitlines()
    svg = windows_svg(rows, "t")
    page = report_page(rows, text, spec, "default", {}, "vixhedge compare --windows 3m/1m", svg)
    assert ('<td class="t w">static (ruined)</td><td>-$1,010,131</td><td>n/a</td><td><span class="nw">n/a</span></td>'
            in page and "-73.222" not in page)
    assert "-146" not in svg and "-73" not in svg  # (the ruined window's n/a Sharpe is no point, no axis)
    assert "unclear (borderline)" in page
    # VIS30: the run and compare pages said how to rebuild them, this one did not (no path: a page rebuilt from
    # another working folder is the same bytes)
    assert page.endswith("<p>Rebuild this page from the folder's files: <code>vixhedge report</code> on this folder "
                         "(nothing runs again).</p>\n</body>\n</html>\n")


def test_an_interrupt_says_how_far_it_got_and_that_nothing_is_written(tmp_path, capsys, monkeypatch):
    """Trial RS34: Ctrl-C said "vixhedge: interrupted" alone (90 s of real-data windows lost, unsaid). The second
    window's compare is interrupted here: one window done of 3, no folder, exit 130."""
    import vixhedge.compare as compare_module

    real, calls = compare_module.compare, []

    def interrupted(*a, **k):
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt
        return real(*a, **k)

    monkeypatch.setattr(compare_module, "compare", interrupted)
    assert main(["compare", *SHORT, "--runs-dir", str(tmp_path)]) == 130
    err = capsys.readouterr().err
    assert ("vixhedge: compare --windows stopped after 1 of 3 windows: nothing is written until the last (a finished "
            "folder is left as it was); run the command again to redo them\n") in err
    assert not any(tmp_path.iterdir())


def test_the_summarys_counts_and_lines_from_hand_made_rows():
    """The two hand-made rows of the test above: every statistic's verdict is a no-verdict in the first and
    "unclear" in the second, the second's CVaR CI borderline; the NAV differences -1,010,131 then +5,000 change sign
    once. MUT30 MT1, MT2, MT3, MT8-MT10, MT14-MT16, MT18, MP14, MP15 survived (no test asserted a count)."""
    from vixhedge.compare_windows_page import figure_title
    from vixhedge.compare_windows_text import format_summary, months_words, summarise

    na = "no verdict: static's Sharpe is n/a (a ruined or flat book)"
    rows = [_row("2020-03-18", "static", -1010131.0, na, ruined="2020-03-23"),
            _row("2020-04-17", "static", 5000.0, cvar95_ci_borderline=True)]
    s = summarise(rows, STATS, lambda a, b: "")["static"]
    assert s["stats"]["sharpe"] == {"better": 0, "worse": 0, "unclear": 1, "no_verdict": 1, "borderline": 0}
    assert s["stats"]["cvar95"] == {"better": 0, "worse": 0, "unclear": 1, "no_verdict": 1, "borderline": 1}
    assert (s["ahead"], s["behind"], s["sign_changes"]) == (1, 1, 1)
    spec = {"count": 2, "length_months": 3, "step_months": 1, "first_start": "2020-03-18", "last_end": "2020-07-16"}
    lines = format_summary({"static": s}, spec, "", "A/D rules: a line").splitlines()
    assert lines[0].startswith("compare over 2 windows of 3 months, one starting every 1 month, 2020-03-18..2020-07-16")
    assert lines[1].endswith("the difference changes sign 1 time between consecutive starts")
    assert any(ln.startswith("  Sharpe (") and ln.endswith("unclear in 1 of 2, no verdict 1") for ln in lines)
    assert any(ln.startswith("  CVaR 95%") and ln.endswith("unclear in 1 of 2, no verdict 1, borderline 1")
               for ln in lines)
    assert "A/D rules: a line" in lines and "A/D rules" not in format_summary({"static": s}, spec, "")
    # a zero difference (the mode equal to its baseline) is neither ahead nor behind
    even = summarise([_row("2020-03-18", "static", 0.0), _row("2020-04-17", "static", -5.0)], STATS, lambda a, b: "")
    assert (even["static"]["ahead"], even["static"]["behind"]) == (0, 1)
    assert [months_words(m) for m in (1, 12, 18, 24)] == ["1 month", "1 year", "18 months", "2 years"]
    assert figure_title(spec, "default") == ("'default' over 2 windows of 3 months, one starting every 1 month",
                                             "2020-03-18 .. 2020-07-16; by each window's first session")


def test_the_pages_row_shows_each_figure_in_its_column():
    """A hand-made row whose figures all differ: Sharpe difference +0.5, CI [-0.1, +1.1], Sharpe unclear, CVaR
    better, max drawdown worse; the page's cells in the header's order (MUT30 MP6-MP8 survived: the CI's ends, the
    difference and the two verdict columns could be swapped)."""
    from vixhedge.compare_windows_page import report_page

    row = _row("2020-04-17", "static", 5000.0, sharpe_diff=0.5, sharpe_ci_low=-0.1, sharpe_ci_high=1.1,
               cvar95_verdict="better", max_drawdown_verdict="worse", pnl_usd_ci_low=-2000.0, pnl_usd_ci_high=9000.0)
    spec = {"count": 1, "length_months": 3, "step_months": 1, "first_start": "2020-04-17", "last_end": "2020-07-16"}
    page = report_page([row], "", spec, "default", {}, "", "<svg/>")
    assert ('<td class="t">static</td><td>+$5,000</td><td>+0.500</td><td><span class="nw">[-0.100, +1.100]</span>'
            '</td><td class="t">unclear</td><td class="t">better</td><td class="t">worse</td><td><span class="nw">'
            '[-$2,000, +$9,000]</span></td><td class="t">unclear</td></tr>') in page  # (trial RS36: the total P&L's
    # CI and verdict, in no column; each CI on one line: FIX35B, "[-1.270," / "+0.604]")


def test_the_figures_nav_line_runs_through_its_points_in_thousands():
    """Two hand-made windows whose final NAV is +$12,000 and +$30,000 above none's: the NAV panel's axis is in $k
    (ticks 0, 10, 20, 30), the line runs through the markers (each drawn as a circle of radius 2.5 from its left
    edge), and the +30,000 window sits on the 30 tick (MUT30 MP2, the axis in $M, and MP3, the line drawn at minus
    the difference, survived)."""
    from vixhedge.compare_windows_page import windows_svg

    svg = windows_svg([_row("2020-03-18", "static", 12000.0), _row("2020-06-17", "static", 30000.0)], "t")
    nav = svg[:svg.index('<clipPath id="clip1">')]  # the first panel
    ticks = dict((t, float(y)) for y, t in re.findall(r'<path d="M77\.0 ([\d.]+)h-4"[^>]*/><text [^>]*>([^<]+)</text>',
                                                     nav))
    assert list(ticks) == ["0", "10", "20", "30"]
    (line,) = re.findall(r'<path d="M([\d. ]+)" fill="none" stroke="#1f77b4" stroke-width="1.2"', nav)
    xy = [float(v) for v in line.split()]
    (marks,) = re.findall(r'<path d="(M[^"]+)" fill="#1f77b4"/>', nav)
    centres = [(float(x) + 2.5, float(y)) for x, y in re.findall(r"M([\d.]+) ([\d.]+)a", marks)]
    assert list(zip(xy[::2], xy[1::2])) == centres and centres[1][1] == ticks["30"]
    # VIS30: the date axis had no title (the subtitle alone said the dates were each window's first session); it is
    # centred under the last panel's dates (720 px tall figure, its last panel ending 50 px above the bottom)
    (title,) = re.findall(r'<text x="([\d.]+)" y="([\d.]+)" text-anchor="middle">the window&#x27;s first session<', svg)
    assert float(title[0]) == 77.0 + (0.80 - 0.07) * 1100 / 2 and float(title[1]) == 720 - 0.07 * 720 + 38


def test_the_a_d_line_names_the_first_and_last_start_only_when_some_windows_had_their_rules():
    """ad_words on hand-made rows: alvh's A/D rules off in 2 of 3 windows (starting 2020-01-02 and 2020-04-01; each
    ending 3 months on): "(first 2020-01-02, last 2020-04-01)", their starts; off in all 3, no "(first" (MUT30 MT11,
    MT12 survived)."""
    from vixhedge.compare_windows_text import ad_words

    off = "fomc_cadence,event_window"
    rows = [_row("2020-01-02", "alvh", 1.0, ad_rules_off=off, end="2020-03-31"),
            _row("2020-04-01", "alvh", 1.0, ad_rules_off=off, end="2020-06-30"),
            _row("2020-07-01", "alvh", 1.0, end="2020-09-30")]
    assert ad_words(rows) == ("A/D rules: alvh's fomc_cadence, event_window could not act in 2 of 3 windows (first "
                              "2020-01-02, last 2020-04-01): no A/D input covering those windows' sessions "
                              "(hedge.fomc.ad_csv), so the policy is not the same in every window")
    rows[2]["ad_rules_off"] = off
    assert ad_words(rows).startswith("A/D rules: alvh's fomc_cadence, event_window could not act in 3 of 3 windows: ")
    assert ad_words(rows).endswith("so every window runs it without those rules")
    # two modes (RS34: "runs it" of alvh and st): them, policies
    two = rows + [{**r, "mode": "st"} for r in rows]
    assert ad_words(two).endswith("so every window runs them without those rules")
    two[-1]["ad_rules_off"] = ""
    assert ad_words(two).endswith("so the policies are not the same in every window")


def test_the_heading_says_the_days_after_the_last_window_are_in_none():
    """Trial VIS30: `vixhedge compare --windows 2y/6m` (README: 6 windows, the last 2016-09-01..2018-08-31) left the
    range's last four months, q4-2018 among them, out of every window unsaid. The embedded default's range ends
    2018-12-31; a range the last window ends (SHORT's 2015-12-31) gets no clause."""
    from vixhedge.compare_windows_text import format_summary

    spec = {"count": 6, "length_months": 24, "step_months": 6, "first_start": "2014-03-03",
            "last_end": "2018-08-31", "range": ["2014-03-03", "2018-12-31"]}
    assert format_summary({}, spec, "").splitlines()[0].endswith(
        "; the days after 2018-08-31, to the range's end 2018-12-31, are in no window (the next would end past it)")
    whole = {**spec, "last_end": "2018-12-31"}
    assert format_summary({}, whole, "").splitlines()[0].endswith("(each a plain compare of its window, on one market)")


def test_the_summary_says_what_its_counts_are():
    """Trial RS36: `--windows 3y` printed "worse in 10 of 57" with nothing saying the 57 windows share 11/12 of their
    months with the next (3y/3m: 1 - 3/36 = 92%), nor how many CIs exclude 0 by chance; 1y/1y windows share none."""
    from vixhedge.compare_windows_text import format_summary

    spec = {"count": 57, "length_months": 36, "step_months": 3, "first_start": "2008-01-02",
            "last_end": "2024-12-31"}
    assert ("counts: consecutive windows share 92% of their months, so the counts above are not independent "
            "verdicts, and at 95% about 1 CI in 20 excludes 0 by chance alone where the modes do not differ (no "
            "multiple-comparison adjustment)") in format_summary({}, spec, "").splitlines()
    apart = format_summary({}, {**spec, "length_months": 12, "step_months": 12}, "").splitlines()
    assert ("counts: at 95% about 1 CI in 20 excludes 0 by chance alone where the modes do not differ (no "
            "multiple-comparison adjustment)") in apart

