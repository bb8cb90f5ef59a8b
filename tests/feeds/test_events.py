"""The packaged FOMC / CPI / PPI calendar and its loader: counts, coverage, one-line errors, truncation."""

import datetime as dt
from pathlib import Path

import pytest

from feeds import calendars, events, fomc

GOOD = ["# a comment", "date,event", "2016-01-15,cpi", "2016-01-15,ppi", "2016-01-27,fomc", "# rows: 3"]


def _file(tmp_path: Path, lines) -> Path:
    path = tmp_path / "events.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_packaged_calendar_counts_and_coverage():
    table = events.load()
    assert {e: len(v) for e, v in table.items()} == {"fomc": 215, "cpi": 323, "ppi": 323}
    for e, days in table.items():
        assert list(days) == sorted(set(days))
        assert events.coverage(days) == (dt.date(2000, 1, 1), dt.date(2026, 12, 31)), e
    # CPI and PPI: twelve a year, except the 2025 shutdown (October CPI cancelled; PPI releases delayed)
    assert [sum(d.year == y for d in table["cpi"]) for y in (2000, 2016, 2024)] == [12, 12, 12]
    assert sum(d.year == 2025 for d in table["cpi"]) == 11
    assert all(calendars.is_trading_day(d) for d in table["fomc"] if d.year <= 2025)
    assert fomc.default_calendar() == table["fomc"]


def test_loader_reads_the_documented_layout(tmp_path):
    table = events.load(_file(tmp_path, GOOD))
    assert table == {"fomc": (dt.date(2016, 1, 27),), "cpi": (dt.date(2016, 1, 15),), "ppi": (dt.date(2016, 1, 15),)}
    assert events.dates(("cpi", "ppi"), _file(tmp_path, GOOD)) == (dt.date(2016, 1, 15),)


@pytest.mark.parametrize("edit, message", [
    (lambda L: L[:1] + ["day,event"] + L[2:], r"events.csv:2: header 'day,event' must be 'date,event'"),
    (lambda L: L[:2] + ["2016-13-15,cpi"] + L[3:], r"events.csv:3: date '2016-13-15' is not a YYYY-MM-DD date"),
    (lambda L: L[:2] + ["2016-01-15,nfp"] + L[3:], r"events.csv:3: event 'nfp' is not one of \['fomc', 'cpi', 'ppi'\]"),
    (lambda L: L[:3] + ["2016-01-15,cpi"] + L[4:], r"events.csv:4: row 2016-01-15,cpi repeats"),
    (lambda L: L[:2] + [L[4], L[3], L[2]] + L[5:], r"events.csv:4: row 2016-01-15,ppi is out of order"),
    (lambda L: L[:-1], r"no '# rows: N' trailer after 3 rows: the file is truncated"),
    (lambda L: L[:-2] + L[-1:], r"events.csv:5: trailer says 3 rows but the file has 2: the file is truncated"),
    (lambda L: L[:2] + ["2016-01-15"] + L[3:], r"events.csv:3: row '2016-01-15' needs 2 fields"),
], ids=["header", "date", "event", "duplicate", "order", "no-trailer", "truncated", "fields"])
def test_bad_files_fail_with_one_line_naming_file_line_value_and_fix(tmp_path, edit, message):
    with pytest.raises(events.EventsError, match=message) as exc:
        events.load(_file(tmp_path, edit(list(GOOD))))
    assert "\n" not in str(exc.value)


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ("\n".join(GOOD) + "\n").encode())  # the BOM Notepad's "UTF-8" writes
    assert events.load(path) == {"fomc": (dt.date(2016, 1, 27),), "cpi": (dt.date(2016, 1, 15),),
                                 "ppi": (dt.date(2016, 1, 15),)}  # GOOD's three rows


def test_a_utf16_calendar_is_one_line_naming_the_file_and_the_fix(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("\n".join(GOOD) + "\n", encoding="utf-16")  # as Windows Notepad saves "Unicode"
    with pytest.raises(events.EventsError, match=r"events.csv: is UTF-16 text \(Windows Notepad's 'Unicode'\), "
                                                 r"not UTF-8: save it as UTF-8$") as exc:
        events.load(path)
    assert "\n" not in str(exc.value)


def test_missing_file_names_the_config_keys(tmp_path):
    with pytest.raises(events.EventsError, match=r"does not exist: check the path \(hedge.events.calendar_csv"):
        events.load(tmp_path / "nope.csv")


@pytest.mark.realdata
def test_build_from_the_shared_calendar_reproduces_the_packaged_file(tmp_path):
    src = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "fomc_cpi_macro_calendar"
    if not src.is_dir():
        pytest.skip(f"real data folder {src} is absent (see /work/shared/data/README.md)")
    out = events.build(src, tmp_path / "events.csv")
    assert out.read_bytes() == events.packaged_path().read_bytes()
    ppi = events.load(out)["ppi"]
    # the source's January PPI rows dated a year early (reference month December of the same year) are moved
    assert dt.date(2001, 1, 12) in ppi and dt.date(2000, 1, 12) not in ppi


@pytest.mark.parametrize("case", ["missing folder", "folder without the files"])
def test_build_from_a_wrong_folder_is_one_line_naming_it_before_writing(case, tmp_path):
    src = tmp_path / "no-such-folder" if case == "missing folder" else tmp_path
    (tmp_path / events.SOURCES[1]).write_text("release_date\n2016-01-20\n", encoding="utf-8")  # one of the three
    out = tmp_path / "out" / "events.csv"
    with pytest.raises(events.EventsError) as exc:
        events.build(src, out)
    msg = str(exc.value)
    assert "\n" not in msg and repr(str(src)) in msg and "give the fomc_cpi_macro_calendar folder" in msg
    if case == "folder without the files":  # the two files it lacks are named, not the one it has
        assert events.SOURCES[0] in msg and events.SOURCES[2] in msg and events.SOURCES[1] not in msg
    assert not out.parent.exists()  # nothing was written


def test_the_command_names_a_missing_folder_in_one_line_and_has_help(tmp_path):
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[2]

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "feeds.events", *args], capture_output=True, text=True,
                              cwd=root, timeout=60)

    missing = tmp_path / "nope"
    done = run("build", str(missing))
    assert done.returncode == 2 and done.stdout == "" and done.stderr.count("\n") == 1
    assert done.stderr.startswith(f"python -m feeds.events: calendar source folder '{missing}' does not exist")
    shown = run("--help")
    assert shown.returncode == 0 and shown.stdout.startswith("usage: python -m feeds.events") and "build" in shown.stdout


def test_a_run_outside_the_calendars_says_so():
    import numpy as np
    import pandas as pd

    from strategies.signalset import SignalInputs, compute
    from vixhedge.core import config as C

    dates = pd.bdate_range("2027-01-04", periods=80)
    x = np.linspace(15, 20, 80)
    notes = compute(SignalInputs(dates, x, x, x, x), C.Config().hedge).notes
    assert any(n.startswith("hedge.fomc: the FOMC calendar covers 2000-01-01..2026-12-31") for n in notes)
    assert any(n.startswith("hedge.events: the CPI/PPI calendar covers 2000-01-01..2026-12-31") for n in notes)


def test_the_cli_prints_one_line_for_a_bad_calendar(tmp_path, capsys):
    from vixhedge.cli import main

    bad = _file(tmp_path, GOOD[:-1])  # no trailer: truncated
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[hedge.events]\ncalendar_csv = "{bad}"\n', encoding="utf-8")
    assert main(["run", str(cfg), "--runs-dir", str(tmp_path / "runs")]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if not line.startswith("vixhedge: running")]
    assert len(errors) == 1 and "the file is truncated" in errors[0] and str(bad) in errors[0]
