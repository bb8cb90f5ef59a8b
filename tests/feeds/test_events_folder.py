"""A data directory's fomc_cpi_macro_calendar folder as the run's FOMC / CPI / PPI calendar (feeds.events).

Fresh-user trial (2026-12-03, finding 1): with --data-dir ../shared/data the directory source picked up the rate and
vol-index files but read the FOMC / CPI calendar from the package (feeds/calendar_data/events.csv, derived from that
folder) while the data folder's own calendar sources sat unused; a run on a directory now derives its dates from them
where the config names no calendar file, lists them in the manifest and says so in the run log.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds import events
from feeds.market import build_market
from feeds.datafiles import run_files
from strategies.signalset import compute, inputs_from_market
from tests.feeds.test_directory import _write_dir
from vixhedge.core import config as C

MEETING = dt.date(2018, 3, 7)  # a made-up meeting: not in the packaged calendar (2018-03-21 is)


def _calendar(folder: Path, fomc_rows: str = f"{MEETING},scheduled,x,14:00,y\n2018-04-25,intermeeting,x,,y\n") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / events.SOURCES[0]).write_text("announcement_date,type,detail,statement_time_et,source\n" + fomc_rows)
    (folder / events.SOURCES[1]).write_text("release_date,ref_month,time_et,source,date_corrected_from\n"
                                            "2018-03-13,2018-02,08:30,bls,\n")
    (folder / events.SOURCES[2]).write_text("date,event,detail,ref_period,time_et,source\n"
                                            "2018-03-14,ppi,PPI,February 2018,08:30,bls\n")
    return folder


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    root = _write_dir(tmp_path_factory.mktemp("data"))
    _calendar(root / events.FOLDER)
    return root


def test_a_directory_s_calendar_folder_gives_the_run_its_dates(data_dir: Path) -> None:
    cfg = C.replace(C.load_default(), market={"source": "directory", "data_dir": str(data_dir)})
    market = build_market(cfg.market)
    inputs = inputs_from_market(market, cfg.hedge)
    assert inputs.calendar_dir == str(data_dir / events.FOLDER)
    s = compute(inputs, cfg.hedge)
    days = pd.DatetimeIndex(s.dates)
    window = days[s.fomc_window.astype(bool)]  # 2 sessions before .. 1 after the folder's one scheduled meeting
    assert [d.date().isoformat() for d in window] == ["2018-03-05", "2018-03-06", "2018-03-07", "2018-03-08"]
    releases = days[s.event_window.astype(bool)]  # CPI 03-13, PPI 03-14: 1 session before .. the day
    assert [d.date().isoformat() for d in releases] == ["2018-03-12", "2018-03-13", "2018-03-14"]
    assert s.files == tuple(str(data_dir / events.FOLDER / n) for n in events.SOURCES)
    assert any(n.startswith("hedge.fomc: calendar dates from fomc_cpi_macro_calendar/ of the data directory (")
               for n in s.notes)
    files = dict(run_files(market, cfg, s))  # the manifest lists the folder's files, not the packaged calendar
    assert {f"{events.FOLDER}/{n}" for n in events.SOURCES} <= set(files)
    assert "feeds/calendar_data/events.csv" not in files
    # a calendar file of the config's own wins
    own = dataclasses.replace(cfg.hedge, fomc=dataclasses.replace(cfg.hedge.fomc, calendar_csv=str(
        data_dir / events.FOLDER / events.SOURCES[0])), events=dataclasses.replace(cfg.hedge.events, enabled=False))
    mine = compute(inputs, own)
    assert mine.files == (str(data_dir / events.FOLDER / events.SOURCES[0]),)
    assert not any("calendar dates from" in n for n in mine.notes)


def test_a_folder_without_a_source_file_is_one_line(tmp_path: Path) -> None:
    folder = _calendar(tmp_path / events.FOLDER)
    (folder / events.SOURCES[1]).unlink()
    with pytest.raises(events.EventsError, match=r"has no us_cpi_release_dates_2000_2026\.csv: give the "
                                                 r"fomc_cpi_macro_calendar folder .* or name a calendar file in "
                                                 r"hedge\.fomc\.calendar_csv / hedge\.events\.calendar_csv$"):
        events.folder_dates(("cpi",), folder)
    _calendar(tmp_path / "bad", fomc_rows="2018-13-07,scheduled,x,14:00,y\n")
    with pytest.raises(events.EventsError, match=r"bad/fomc_announcements_2000_2027\.csv, line 2: announcement_date "
                                                 r"'2018-13-07' is not a YYYY-MM-DD date: fix the row"):
        events.derive(tmp_path / "bad")


@pytest.mark.parametrize("i, edit, problem", [
    (0, lambda s: s[:-20], r"the file does not end with a line break: it looks truncated"),  # cut mid-line
    (0, lambda s: s.replace(",scheduled,", ",Scheduled,"), None),  # read case-insensitively: the same dates
    (0, lambda s: s.replace(",intermeeting,", ",emergency,"), r"line 3: type 'emergency' is not one of "
                                                               r"\['intermeeting', 'scheduled', 'unscheduled'\]"),
    (0, lambda s: s.replace(",intermeeting,", ",Unscheduled,"), None),  # another word for an intermeeting action
    (0, lambda s: s.replace(",scheduled,", ",intermeeting,"), r"holds no scheduled announcement: it gives no FOMC "
                                                               r"date"),
    (2, lambda s: s + "TBD,nfp,x,March 2018,08:30,bls\n", None),  # another event's row: not read
    (2, lambda s: "", r"file is empty \(no header line\): fix the file"),
    (2, lambda s: s.replace(",ppi,", ",PPI,"), None),
    (2, lambda s: s.replace(",ppi,", ",nfp,"), r"holds no row of event 'ppi': it gives no PPI date"),
    (2, lambda s: s.replace("08:30,bls\n", "08:30,bls,extra\n"), r"line 2: expected 6 fields like the header, got 7"),
    (2, lambda s: s + "# a comment\n", r"line 3: expected 6 fields like the header, got 1"),
    (1, lambda s: s.replace("2018-03-13", "2018-03-13\xe9"), r"is not UTF-8 text"),
], ids=["cut", "case", "unknown-type", "unscheduled", "no-scheduled", "tbd-nfp", "empty", "PPI-case", "no-ppi",
        "extra-field", "comment", "latin-1"])
def test_a_source_file_is_read_whole_or_refused_in_one_line(tmp_path: Path, i: int, edit, problem) -> None:
    """Loader fuzz, session 13 (2026-12-05): the folder's files were read with a bare csv reader: a file cut mid-line,
    an empty file and a row with an extra field were read as if whole, a type other than exactly 'scheduled' or an
    event 'PPI' was dropped without a word (a run's FOMC dates all gone, NAV -$7.2k), and a comment line or Latin-1
    text ended in an AttributeError or UnicodeDecodeError naming no file. They are read as every loader reads a CSV
    (feeds.loaders._table), the kinds case-insensitively, and a file that gives no date of its event is refused.
    Review of session 13: the announcements file is read by feeds.fomc.load_csv, as a config's calendar_csv is (one
    reader, one set of rules; 'unscheduled' is an intermeeting action), and another event's row is not read."""
    folder = _calendar(tmp_path / events.FOLDER)
    path = folder / events.SOURCES[i]
    text = edit(path.read_text(encoding="utf-8"))
    path.write_bytes(text.encode("latin-1") if "\xe9" in text else text.encode("utf-8"))
    if problem is None:
        assert events.derive(folder) == events.derive(_calendar(tmp_path / "clean"))
        return
    with pytest.raises(events.EventsError) as exc:
        events.derive(folder)
    assert re.search(problem, str(exc.value)) and str(path) in str(exc.value) and "\n" not in str(exc.value)


@pytest.mark.realdata
def test_the_shared_folder_gives_the_packaged_calendar_exactly(shared_data: Path) -> None:
    """The packaged events.csv is derived from ../shared/data/fomc_cpi_macro_calendar: a run reading the folder
    reads the same dates (no number of a directory run moves)."""
    folder = shared_data / events.FOLDER
    assert events.find_folder(shared_data) == folder
    upto = lambda days: tuple(d for d in days if d <= events.LAST_DAY)  # noqa: E731
    for kind in events.EVENTS:
        assert upto(events.folder_dates((kind,), folder)) == events.dates((kind,)), kind
    assert np.array_equal(np.array(upto(events.folder_dates(("cpi", "ppi"), folder))),
                          np.array(events.dates(("cpi", "ppi"))))
    # review finding 7: the folder's own dates after the packaged file's LAST_DAY are kept, not dropped silently:
    # 2027's eight scheduled FOMC meetings (its CPI/PPI sources end in 2026)
    later = [d for d in events.folder_dates(events.EVENTS, folder) if d > events.LAST_DAY]
    assert later == [d for d in events.folder_dates(("fomc",), folder) if d.year == 2027] and len(later) == 8
    assert later[0] == dt.date(2027, 1, 27) and later[-1] == dt.date(2027, 12, 8)


def test_a_folder_s_dates_after_the_packaged_cut_off_are_kept(tmp_path: Path) -> None:
    # review finding 7: events._derive cut a folder's dates at the packaged file's LAST_DAY (2026-12-31) silently
    folder = _calendar(tmp_path / events.FOLDER, fomc_rows=f"{MEETING},scheduled,x,14:00,y\n"
                                                          "2027-01-27,scheduled,x,14:00,y\n")
    assert events.folder_dates(("fomc",), folder) == (MEETING, dt.date(2027, 1, 27))
    out = events.build(folder, tmp_path / "events.csv")  # the packaged file's derivation keeps its span
    assert events.load(out)["fomc"] == (MEETING,)


def test_a_source_file_edited_in_a_long_lived_process_is_read_again(tmp_path: Path) -> None:
    # review finding 4: events._folder_table cached the folder's dates by path only: a notebook session that edited
    # the folder's FOMC file kept the old dates while the manifest hashed the edited file
    folder = _calendar(tmp_path / events.FOLDER)
    assert events.folder_dates(("fomc",), folder) == (MEETING,)
    _calendar(folder, fomc_rows=f"{MEETING},scheduled,x,14:00,y\n2018-05-02,scheduled,x,14:00,y\n")
    assert events.folder_dates(("fomc",), folder) == (MEETING, dt.date(2018, 5, 2))
    own = tmp_path / "own.csv"  # a calendar file of the config's own likewise (events.load)
    own.write_text(f"{events.HEADER}\n2018-03-21,fomc\n# rows: 1\n", encoding="utf-8")
    assert events.load(own)["fomc"] == (dt.date(2018, 3, 21),)
    own.write_text(f"{events.HEADER}\n2018-03-21,fomc\n2018-05-02,fomc\n# rows: 2\n", encoding="utf-8")
    assert events.load(own)["fomc"] == (dt.date(2018, 3, 21), dt.date(2018, 5, 2))


def test_the_alvh_policy_under_another_mode_gets_the_alvh_notes(data_dir: Path) -> None:
    # review finding 6: mode = "static" with policy = "alvh" runs the ALVH rules (the Trader and adinput.ad_file go by
    # the policy's name) but the calendar-folder and disabled-rules notes (and _note_coverage's) checked hedge.mode
    from strategies.adinput import NO_AD_NOTE

    cfg = C.replace(C.load_default(), market={"source": "directory", "data_dir": str(data_dir)},
                    hedge={"mode": "static", "policy": "alvh"})
    assert cfg.hedge.policy_name == "alvh"
    s = compute(inputs_from_market(build_market(cfg.market), cfg.hedge), cfg.hedge)
    assert any(n.startswith("hedge.fomc: calendar dates from fomc_cpi_macro_calendar/") for n in s.notes), s.notes
    assert any(n.startswith(NO_AD_NOTE) for n in s.notes), s.notes  # the directory holds no breadth file
    static = C.replace(cfg, hedge={"policy": ""}).hedge  # the static policy reads no signal: no note
    assert compute(inputs_from_market(build_market(cfg.market), static), static).notes == ()
