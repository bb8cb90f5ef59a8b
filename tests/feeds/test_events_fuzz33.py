"""Trial FUZZ33 (2026-12-07, /work/notes/fuzz33_report.md), the calendar folder's sources: L4 (a repeated CPI row read,
a repeated FOMC one refused; a macro-events row of a misspelt event dropped a PPI date unsaid) and M2 / L7 (a FIFO or
/dev/zero given as a calendar: blocked for ever, or read until memory ran out).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from feeds import events, fomc
from feeds.loaders import LoadError
from feeds.loaders._table import read_table
from tests.feeds.test_events_folder import _calendar


def test_a_repeated_cpi_row_is_refused_as_a_repeated_fomc_row_is(tmp_path: Path) -> None:
    """FUZZ33 L4, case "us_cpi_release_dates_2000_2026.csv: duplicate date": the row 2018-03-13 twice was read
    silently; feeds.fomc.load_csv's words for the FOMC file ("announcement_date ... repeats: drop the duplicate
    row")."""
    folder = _calendar(tmp_path / events.FOLDER)
    cpi = folder / events.SOURCES[1]
    cpi.write_text(cpi.read_text() + "2018-03-13,2018-02,08:30,bls,\n")  # line 3 repeats line 2 (_calendar's row)
    with pytest.raises(events.EventsError, match=r"us_cpi_release_dates_2000_2026\.csv, line 3: release_date "
                                                 r"2018-03-13 repeats: drop the duplicate row$"):
        events.folder_dates(("cpi",), folder)


def test_a_macro_row_of_an_unknown_event_is_named_with_its_line(tmp_path: Path) -> None:
    """FUZZ33 L4, case `2015-03-13,ppl,...` for `ppi`: the row's PPI date was dropped and nothing said. The shared
    file's events (cut -d, -f2 | sort -u on ../shared/data's macro_events_2000_2027_original.csv, 2026-12-07) are
    events.MACRO_EVENTS; another is a note naming file, line and value, and its row is not read."""
    folder = _calendar(tmp_path / events.FOLDER)
    macro = folder / events.SOURCES[2]
    macro.write_text(macro.read_text() + "2018-04-12,ppl,PPI,March 2018,08:30,bls\n2018-04-13,nfp,NFP,x,08:30,bls\n")
    assert events.folder_dates(("ppi",), folder) == (dt.date(2018, 3, 14),)  # _calendar's one PPI row
    notes = events.folder_notes(folder)
    assert len(notes) == 1 and notes[0].startswith(f"{(folder / events.SOURCES[2]).resolve()}, line 3: event 'ppl' "
                                                   "is not one of ['cpi', "), notes
    assert "the row is not read (a misspelt 'ppi' loses its PPI date)" in notes[0]


def test_a_fifo_calendar_or_csv_is_one_line_before_reading(fifo: Path) -> None:
    """FUZZ33 L7 (hedge.fomc.calendar_csv / hedge.events.calendar_csv = a FIFO: hung past the 25 s timeout):
    feeds.loaders.fileerrors.not_a_file's words, before a byte is read."""
    words = r"is not a regular file \(a pipe or a device\?\): put the file there in its place$"
    with pytest.raises(fomc.FomcError, match=words):
        fomc.load_csv(fifo)
    with pytest.raises(events.EventsError, match=rf"event calendar '{fifo}' {words}"):
        events.load(fifo)
    with pytest.raises(LoadError, match=words):
        read_table(fifo, ("date",))
