"""``vixhedge data check DIR`` reads the A/D (breadth) file and the calendar folder a run reads (feeds.check_runinputs).

Verification trial (2026-12-03, finding 1, MED): `data check` ignored the data directory's breadth file and FOMC/CPI
calendar folder: on ../shared/data it never named the A/D file's bad line 753 that every run reports, and with two
breadth files, or one with garbage rows (`abc`, `-5`, a 5-field line, date `2023-13-45`), it exited 0 silently while
`run` refused. It now loads them with the run's loaders: bad rows listed with their line, a refused file exit 2.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from feeds import events
from feeds.breadth import BreadthError
from feeds.check import check, files_to_read
from tests.feeds import synthdir
from tests.feeds.test_events_folder import _calendar
from tests.strategies.test_adinput import _breadth
from vixhedge.cli import main

AD = "nyse_breadth_computed_2018/ad_2018.csv"
PARTIAL = dt.date(2018, 4, 27)  # line 82 of the A/D file (test_adinput): a partial day, a bad row


def _dir(tmp_path: Path) -> Path:
    root = synthdir.write(tmp_path / "data")
    _breadth(root / AD, partial=PARTIAL)
    _calendar(root / events.FOLDER)
    return root


def test_the_ad_file_and_calendar_folder_are_checked_with_their_bad_rows(tmp_path: Path, capsys) -> None:
    root = _dir(tmp_path)
    loaded: list[Path] = []
    report, implausible = check(root, loaded.append)
    assert (f"A/D {AD}: 81 usable rows, 2018-01-02..2018-04-30, columns sp500_advancers / sp500_decliners"
            in report), report
    assert "  missing sessions: 1 [2018-04-27]" in report  # the bad row's session: no A/D on it
    assert ("ad_2018.csv, line 82: implausible counts: advances + declines = 150, far from the file's usual 500"
            in report)
    assert "calendar folder fomc_cpi_macro_calendar/" in report
    assert "  fomc_announcements_2000_2027.csv: 1 FOMC statement dates (scheduled), 2018-03-07..2018-03-07" in report
    assert "  us_cpi_release_dates_2000_2026.csv: 1 CPI release dates, 2018-03-13..2018-03-13; bad rows: none" in report
    assert implausible == 1  # the A/D file's implausible counts: --strict exits 1, as for other files
    assert files_to_read(root) == len(loaded) == 10 + 1 + 3  # spx, vix, 8 VX + the A/D file + 3 calendar sources
    assert main(["data", "check", "-q", str(root)]) == 0
    assert main(["data", "check", "-q", "--strict", str(root)]) == 1


def test_the_ad_file_and_calendar_folder_are_found_once_per_check_without_an_import_cycle(tmp_path: Path,
                                                                                        monkeypatch) -> None:
    # code review: check_runinputs imported feeds.check's helpers inside a function (feeds.check imported it inside
    # _directory) and got _bad passed in; `data check DIR` listed the breadth folders three times (the bar's count,
    # the refusal of several, the read) and looked for the calendar folder twice
    from feeds import breadth

    root = _dir(tmp_path)
    found: list[str] = []
    for module, name in ((breadth, "ad_candidates"), (events, "find_folder")):
        real = getattr(module, name)
        monkeypatch.setattr(module, name, lambda *a, _real=real, _name=name: found.append(_name) or _real(*a))
    assert main(["data", "check", "-q", str(root)]) == 0
    assert sorted(found) == ["ad_candidates", "find_folder"]  # the bar's total and the check share one lookup
    found.clear()
    check(root)
    assert sorted(found) == ["ad_candidates", "find_folder"]
    # the shared report lines live in feeds.checklines: check_runinputs imports nothing of feeds.check
    import ast

    import feeds.check_runinputs

    tree = ast.parse(Path(feeds.check_runinputs.__file__).read_text())
    assert "feeds.check" not in {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}


def test_data_check_config_reads_the_ad_file_with_the_config_s_columns(tmp_path: Path, capsys) -> None:
    # code review: `data check DIR` read the A/D file with the default column names only (it had no config): a
    # directory whose breadth file a run reads with its config's hedge.fomc columns was refused, or read wrongly
    root = synthdir.write(tmp_path / "data")
    path = _breadth(root / AD)
    rows = path.read_text().splitlines()
    path.write_text("\n".join(["date,nyse_advancers,adv,dec", *rows[1:]]) + "\n")
    own = tmp_path / "own.toml"
    own.write_text('[hedge.fomc]\nad_advances_column = "adv"\nad_declines_column = "dec"\n')
    plain = tmp_path / "plain.toml"
    plain.write_text('[run]\nname = "plain"\n')
    assert main(["data", "check", "-q", str(root)]) == 2  # the default names: the file has none of them
    assert "sp500_advancers" in capsys.readouterr().err
    assert main(["data", "check", "-q", str(root), "--config", str(own)]) == 0
    assert (f"A/D {AD}: 82 usable rows, 2018-01-02..2018-04-30, columns adv / dec (hedge.fomc of --config {own}) "
            "(read by a run whose hedge.fomc.ad_csv is empty)") in capsys.readouterr().out
    _breadth(path)  # the default names again: a config without its own says it and reads them
    assert main(["data", "check", "-q", str(root), "--config", str(plain)]) == 0
    assert (f"columns sp500_advancers / sp500_decliners (the defaults: --config {plain} names no A/D columns of its "
            "own in [hedge.fomc])") in capsys.readouterr().out
    assert main(["data", "check", "-q", str(path), "--config", str(own)]) == 2  # a file: the config has no use
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "is not a folder: give the data directory" in err[0], err
    assert main(["data", "check", "-q", str(root), "--config", str(tmp_path / "none.toml")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "none.toml" in err[0] and "Traceback" not in err[0], err


def test_several_bad_rows_are_each_listed_with_their_line(tmp_path: Path) -> None:
    root = synthdir.write(tmp_path / "data")
    path = _breadth(root / AD)
    rows = path.read_text().splitlines()
    rows[5] = rows[5].split(",")[0] + ",1500,60,90"  # partial days on lines 6 and 9
    rows[8] = rows[8].split(",")[0] + ",1500,60,90"
    path.write_text("\n".join(rows) + "\n")
    report, _ = check(root)
    assert "bad rows (reported, not used): 2" in report
    assert "    ad_2018.csv, line 6: implausible counts" in report and "    ad_2018.csv, line 9: implausible" in report
    assert "calendar folder: none" in report


def test_two_breadth_files_are_refused_naming_both(tmp_path: Path, capsys) -> None:
    root = synthdir.write(tmp_path / "data")
    _breadth(root / AD)
    _breadth(root / "breadth" / "other.csv")
    with pytest.raises(BreadthError, match=r"2 advance/decline files in its breadth folder\(s\) \(breadth/other.csv, "
                                           r"nyse_breadth_computed_2018/ad_2018.csv\): a run reads one: keep one"):
        check(root)
    assert main(["data", "check", "-q", str(root)]) == 2
    err = capsys.readouterr().err
    assert "breadth/other.csv" in err and "ad_2018.csv" in err and "Traceback" not in err
    assert files_to_read(root) == 10  # the bar's total: the refused files are not loaded


@pytest.mark.parametrize(("row", "problem"), [
    ("{d},1500,abc,250", r"line 12: column 'sp500_advancers': 'abc' is not a number"),
    ("{d},1500,-5,250", r"line 12: column 'sp500_advancers': '-5' is not a count of issues"),
    ("{d},1500,250,250,7", r"line 12: expected 4 fields like the header, got 5"),
    ("2023-13-45,1500,250,250", r"line 12: .*2023-13-45"),
], ids=["text", "negative", "five-fields", "no-such-date"])
def test_an_ad_file_a_run_refuses_is_refused_with_its_line(tmp_path: Path, capsys, row: str, problem: str) -> None:
    root = synthdir.write(tmp_path / "data")
    path = _breadth(root / AD)
    rows = path.read_text().splitlines()
    rows[11] = row.format(d=rows[11].split(",")[0])
    path.write_text("\n".join(rows) + "\n")
    with pytest.raises(BreadthError, match=problem):
        check(root)
    assert main(["data", "check", "-q", str(root)]) == 2
    err = capsys.readouterr().err
    assert "ad_2018.csv, line 12" in err and "Traceback" not in err


def test_a_calendar_source_row_without_a_date_is_refused_with_its_file_and_line(tmp_path: Path, capsys) -> None:
    root = synthdir.write(tmp_path / "data")
    _calendar(root / events.FOLDER, fomc_rows="2018-03-07,scheduled,x,14:00,y\n2023-13-45,scheduled,x,14:00,y\n")
    with pytest.raises(events.EventsError, match=r"fomc_announcements_2000_2027.csv, line 3: announcement_date "
                                                 r"'2023-13-45' is not a YYYY-MM-DD date: fix the row"):
        check(root)
    assert main(["data", "check", "-q", str(root)]) == 2


@pytest.mark.realdata
def test_the_shared_data_check_names_the_ad_file_s_bad_line_753(shared_data: Path) -> None:
    report, _ = check(shared_data)
    assert ("A/D nyse_breadth_computed_2023_2026/advance_decline_2023_2026.csv.gz: 751 usable rows, "
            "2023-06-21..2026-06-17" in report)
    assert "e.g. advance_decline_2023_2026.csv.gz, line 753: implausible counts: advances + declines = 208" in report
    assert "  fomc_announcements_2000_2027.csv: 223 FOMC statement dates (scheduled), 2000-02-02..2027-12-08" in report


def test_one_bad_row_is_named_once_and_no_config_adds_no_note_on_the_columns(tmp_path: Path) -> None:
    """MUT26 CR1 (a single bad row listed again under its "e.g." line) and CR9 (the defaults' note without a config):
    the fixture's one bad row (line 82) is named once, by bad_lines' "e.g." line, which gives its line;
    RunInputs.columns says where the names came from only for ``--config FILE`` (README: "data check DIR --config
    FILE ... (none set: the defaults, said so)"); without one, the line ends with the columns and what reads the
    file."""
    report, _ = check(_dir(tmp_path))
    lines = report.splitlines()
    assert sum(x.startswith("    ") and "ad_2018.csv, line 82:" in x for x in lines) == 1  # (and the summary's e.g.)
    assert [x for x in lines if x.startswith("    e.g. ad_2018.csv, line 82:")]
    assert (f"A/D {AD}: 81 usable rows, 2018-01-02..2018-04-30, columns sp500_advancers / sp500_decliners (read by a "
            "run whose hedge.fomc.ad_csv is empty)") in lines


@pytest.mark.parametrize("n, more", [(50, []), (51, ["    ... 1 more"])])
def test_the_first_50_bad_rows_are_listed_one_by_one(n: int, more: list[str]) -> None:
    """MUT26 CR2 (``... 0 more`` at exactly _LIST rows) and CR3 (_LIST 50 -> 5): _bad_all's docstring, "each row with
    its line (the first :data:`_LIST`)", _LIST = 50 ("bad rows listed one by one"): 50 rows are all listed and
    nothing more is said; of 51, 50 are listed and "... 1 more" (51 - 50) counts the rest."""
    from feeds.check_runinputs import _bad_all
    from feeds.checklines import bad_lines
    from feeds.loaders import BadRow

    rows = [BadRow("ad.csv", k + 2, "implausible counts: advances + declines = 150", dt.date(2018, 1, 2)) for k in
            range(n)]
    out = _bad_all(rows)
    head = bad_lines(rows)
    assert out[:len(head)] == head
    assert out[len(head):] == [f"    ad.csv, line {k + 2}: implausible counts: advances + declines = 150"
                               for k in range(50)] + more
