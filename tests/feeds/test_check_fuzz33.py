"""Trial FUZZ33 (2026-12-07, /work/notes/fuzz33_report.md), ``vixhedge data check FILE``: L5 (the calendar sources
and the A/D file a run reads from a data directory were "not a recognised data file", exit 2) and M2 / L7
(``data check /dev/zero`` read until MemoryError; a FIFO blocked)."""

from __future__ import annotations

from pathlib import Path

import pytest

from feeds import events
from feeds.check import check
from feeds.check_runinputs import RunInputs, run_input_lines
from tests.feeds.test_check_runinputs import AD, _dir
from vixhedge.cli import main


def test_each_calendar_source_and_the_ad_file_is_checked_as_the_directory_form_checks_it(tmp_path: Path) -> None:
    """FUZZ33 L5: each file alone gives the line the directory form gives it (feeds.check_runinputs, the run's
    loaders): the same counts, spans and bad rows."""
    root = _dir(tmp_path)
    folder_lines, _ = run_input_lines(RunInputs.find(root), None)
    for name in events.SOURCES:
        report, implausible = check(root / events.FOLDER / name)
        assert implausible == 0
        assert f"  {report}" in folder_lines, (report, folder_lines)  # e.g. "...: 1 CPI release dates, 2018-03-13.."
    report, implausible = check(root / AD)
    ad = next(line for line in folder_lines if line.startswith(f"A/D {AD}: "))
    shown = ad.split(": ", 1)[1].split(" (read by a run")[0]  # 81 usable rows, ..., columns ... / ...
    assert report.startswith(f"A/D ad_2018.csv: {shown} (hedge.fomc's default columns)"), report
    assert implausible == 1  # test_check_runinputs' partial day (line 82)


@pytest.mark.realdata
def test_the_shared_calendar_and_ad_files_are_recognised(shared_data: Path) -> None:
    """FUZZ33 L5 on the pristine shared files; the counts are the directory form's (`vixhedge data check
    ../shared/data`, 2026-12-07: 223 FOMC, 323 CPI, 323 PPI dates; A/D 751 usable rows, its bad line 753)."""
    cal = shared_data / events.FOLDER
    for name, words in zip(events.SOURCES, ("223 FOMC statement dates (scheduled), 2000-02-02..2027-12-08",
                                            "323 CPI release dates, 2000-01-14..2026-12-10",
                                            "323 PPI release dates, 2000-01-13..2026-12-15")):
        assert check(cal / name)[0] == f"{name}: {words}; bad rows: none"
    report, implausible = check(shared_data / "nyse_breadth_computed_2023_2026" / "advance_decline_2023_2026.csv.gz")
    assert report.startswith("A/D advance_decline_2023_2026.csv.gz: 751 usable rows, 2023-06-21..2026-06-17"), report
    assert "line 753: implausible counts" in report and implausible == 1


def test_data_check_of_a_fifo_is_one_line(fifo: Path, capsys) -> None:
    """FUZZ33 L7 (`vixhedge data check FIFO`: hung past the timeout; the fixture's alarm bounds it here): one line,
    exit 2, before a byte is read (/dev/zero: tests/vixhedge/test_cli_fuzz33.py, in a process of its own)."""
    assert main(["data", "check", str(fifo), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"vixhedge: {fifo}: is not a regular file (a pipe or a device?): put the file there in its "
                   "place"], err
