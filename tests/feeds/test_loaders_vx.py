"""Tests for feeds.loaders.vx: every VX layout, the exchange rules it applies, bad rows and errors.

References: MARKET_RULES.md (prices before 2007-03-26 quoted x10; monthly settlement on the
Wednesday 30 days before the next month's third Friday: VXK07 -> 2007-05-16, VXG18 ->
2018-02-14) and the README of vix_futures_cfe_per_contract_2004_2015 (file quirks: disclaimer
line, trailing comma, non-trade values on zero-volume days, final-settlement row).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds import calendars
from feeds.loaders import LoadError
from feeds.loaders.vx import detect_layout, load_vx, load_vx_files
from tests.feeds.conftest import FIXTURES

D = dt.date
LEGACY = "vx/CFE_K07_VX.csv"
MONTHLY = "vx/VX_2018-02-14.csv"
WEEKLY = "vx/VX_2018-02-07.csv"


def _row(panel, day: dt.date) -> pd.Series:
    rows = panel.rows[panel.rows["trade_date"] == pd.Timestamp(day)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


# --- layouts ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name, layout", [
    ("CFE_K07_VX.csv", "cfe_legacy"), ("cfe_z14_vx.csv", "cfe_legacy"), ("VX_2018-02-14.csv", "cboe"),
    ("VX_2018-02-14.csv.gz", "cboe")], ids=["legacy", "legacy-lowercase", "cboe", "cboe-gz"])
def test_detect_layout_from_the_file_name(name: str, layout: str) -> None:
    assert detect_layout(Path(name)) == layout


def test_legacy_file_rescales_before_2007_03_26_and_keeps_quirks() -> None:
    panel = load_vx(FIXTURES / LEGACY)
    # 03/23/2007 settle 138.7 in the file (x10 quotes) -> 13.87; 03/26/2007 13.79 is already in points
    assert _row(panel, D(2007, 3, 23))["settle"] == pytest.approx(13.87, abs=1e-12)
    assert _row(panel, D(2007, 3, 22))["open"] == pytest.approx(13.05, abs=1e-12)
    assert _row(panel, D(2007, 3, 26))["settle"] == pytest.approx(13.79, abs=1e-12)
    # expiry from the contract code, equal to the settlement calendar
    assert set(panel.rows["expiry"]) == {pd.Timestamp(calendars.vx_settlement_date(2007, 5))}
    assert panel.rows["contract"].unique().tolist() == ["VXK07"]
    assert panel.rows["is_monthly"].all()
    # zero-volume day: high 14.10 < low 14.60 are non-trade values -> NaN; settle kept
    quiet = _row(panel, D(2007, 3, 27))
    assert np.isnan(quiet[["open", "high", "low", "close"]].to_numpy(dtype=float)).all()
    assert quiet["settle"] == pytest.approx(14.05, abs=1e-12)
    # final-settlement row (OHLC 0, volume 0): settle is the final settlement value
    assert _row(panel, D(2007, 5, 16))["settle"] == pytest.approx(13.63, abs=1e-12)
    # the disclaimer is line 1, the header line 2, the all-zero row of 3/21/2007 line 3
    assert [(b.line, b.reason, b.day) for b in panel.bad_rows] == [(3, "all prices are 0", D(2007, 3, 21))]
    assert _row(panel, D(2007, 3, 22))["line"] == 4  # trailing comma accepted
    assert panel.files[0][0] == "CFE_K07_VX.csv" and len(panel.files[0][1]) == 64


def test_cboe_monthly_and_weekly_files_are_told_apart() -> None:
    panel = load_vx_files([FIXTURES / MONTHLY, FIXTURES / WEEKLY])
    monthly = panel.rows[panel.rows["is_monthly"]]
    weekly = panel.rows[~panel.rows["is_monthly"]]
    assert monthly["contract"].unique().tolist() == ["VXG18"]
    assert weekly["contract"].unique().tolist() == ["VXW-2018-02-07"]
    assert len(monthly) == 12 and len(weekly) == 6
    assert monthly["expiry"].iloc[0] == pd.Timestamp(calendars.vx_settlement_date(2018, 2))
    # both settle rows on 2018-02-05 survive the merge: the key is (trade_date, expiry)
    feb5 = panel.rows[panel.rows["trade_date"] == pd.Timestamp(D(2018, 2, 5))]
    assert sorted(feb5["settle"]) == [33.225, 34.625]
    assert panel.monthly().equals(monthly)


def test_settle_matrix_places_settles_by_day_and_expiry() -> None:
    panel = load_vx(FIXTURES / MONTHLY)
    days = calendars.trading_days(D(2018, 2, 12), D(2018, 2, 16))
    m = panel.settle_matrix(days, [D(2018, 2, 14), D(2018, 3, 21)])
    np.testing.assert_array_equal(m[:3, 0], [25.825, 25.225, 19.26])
    assert np.isnan(m[3:, 0]).all() and np.isnan(m[:, 1]).all()


# --- bad rows: reported, never used ------------------------------------------------------------------


def _replace_line(day: str, new: str) -> Callable[[list[str]], list[str]]:
    return lambda lines: [new if line.startswith(day) else line for line in lines]


@pytest.mark.parametrize("new_row, reason", [
    ("2018-02-07,G (Feb 2018),23.5,25.0,21.0,23.4,0,0,210987,0,280456", "settle is 0"),
    ("2018-02-07,G (Feb 2018),0,0,0,0,0,0,0,0,0", "all prices are 0"),
    ("2018-02-07,G (Feb 2018),0,0,0,0,1.0,0,1,0,10", "implausible settle 1 (below 5 VIX points)"),
    ("2018-02-07,G (Feb 2018),23.5,22.0,21.0,23.4,23.4,0,210987,0,280456",
     "high/low do not bracket open/close (23.5/22/21/23.4)"),
    # MUT26 VR6: a high between close and open (23.4 < 23.45 < 23.5) is below the open: not bracketed (by hand)
    ("2018-02-07,G (Feb 2018),23.5,23.45,21.0,23.4,23.4,0,210987,0,280456",
     "high/low do not bracket open/close (23.5/23.45/21/23.4)"),
], ids=["settle-zero", "all-zero", "settle-1", "unbracketed", "high-between-close-and-open"])
def test_bad_rows_are_reported_and_left_out(edited, new_row: str, reason: str) -> None:
    panel = load_vx(edited(MONTHLY, _replace_line("2018-02-07", new_row)))
    assert [(b.file, b.line, b.reason) for b in panel.bad_rows] == [("VX_2018-02-14.csv", 8, reason)]
    assert panel.bad_rows[0].day == D(2018, 2, 7)  # the trade date the loader parsed (feeds.datanotes dates by it)
    assert pd.Timestamp(D(2018, 2, 7)) not in set(panel.rows["trade_date"])
    assert len(panel.rows) == 11


def test_a_load_does_not_read_the_clock(edited, monkeypatch) -> None:
    """The review of the session: rows dated after today were bad rows in every load (a run's outputs depended on
    the day it ran). Today pinned to 2018-02-06: the fixture's rows after it load as they do on any day."""
    import feeds.loaders.plausible as plausible

    path = edited(MONTHLY, lambda lines: lines)
    before = load_vx(path)
    monkeypatch.setattr(plausible, "today", lambda: D(2018, 2, 6))
    panel = load_vx(path)
    assert panel.bad_rows == before.bad_rows and panel.rows.equals(before.rows)
    assert panel.rows["trade_date"].max() > pd.Timestamp("2018-02-06")


def test_cfe_only_session_is_reported(edited) -> None:
    # CFE traded on 2018-12-05 (national day of mourning, NYSE closed); not a session here
    def edit(lines: list[str]) -> list[str]:
        return [lines[0], "2018-12-04,Z (Dec 2018),17.0,17.5,16.5,17.2,17.25,0,100,0,1000",
                "2018-12-05,Z (Dec 2018),17.2,17.6,16.9,17.4,17.40,0.15,100,0,1000",
                "2018-12-06,Z (Dec 2018),17.4,18.6,17.0,18.1,18.05,0.65,100,0,1000"]

    panel = load_vx(edited(MONTHLY, edit, name="VX_2018-12-19.csv"))
    assert [(b.line, b.reason) for b in panel.bad_rows] == [
        (3, "trade date 2018-12-05 is an unscheduled closure of the NYSE (markets closed: national day of mourning for "
            "President George H. W. Bush); the row is ignored because the SPX did not trade that day")]
    assert len(panel.rows) == 2


def test_merge_uses_the_first_file_and_reports_duplicates(edited) -> None:
    same = edited(MONTHLY, name="copy/VX_2018-02-14.csv")
    moved = edited(MONTHLY, _replace_line("2018-02-13", "2018-02-13,G (Feb 2018),25.8,26.3,24.2,25.3,25.50,0,1,0,1"),
                   name="moved/VX_2018-02-14.csv")
    panel = load_vx_files([FIXTURES / MONTHLY, same, moved])
    assert len(panel.rows) == 12 and set(panel.rows["file"]) == {"VX_2018-02-14.csv"}
    assert (panel.rows["line"].to_numpy() == np.arange(2, 14)).all()  # the first file's rows
    conflict = [b for b in panel.bad_rows if "different settle" in b.reason]
    assert len(conflict) == 1 and conflict[0].line == 12 and conflict[0].day == D(2018, 2, 13)
    assert "(25.5 vs 25.225)" in conflict[0].reason
    assert any("23 contract-day(s) also given by VX_2018-02-14.csv" in n for n in panel.notes)


# --- malformed files: an error naming file, line and problem; nothing kept --------------------------


def _swap(i: int, j: int) -> Callable[[list[str]], list[str]]:
    def edit(lines: list[str]) -> list[str]:
        lines = list(lines)
        lines[i], lines[j] = lines[j], lines[i]
        return lines
    return edit


MALFORMED = [
    (MONTHLY, lambda ls: [ls[0].replace(",Settle", ",Price")] + ls[1:], None,
     r"VX_2018-02-14\.csv, line 1: missing column\(s\) \['Settle'\]"),
    (LEGACY, lambda ls: ls[:1] + [ls[1].replace("Trade Date", "Date")] + ls[2:], None,
     r"CFE_K07_VX\.csv, line 2: missing column\(s\) \['Trade Date'\]"),
    (MONTHLY, _replace_line("2018-02-07", "2018-02-30,G (Feb 2018),23.5,25,21,23.4,23.425,0,1,0,1"), None,
     r"line 8: column 'Trade Date': bad date '2018-02-30'"),
    (MONTHLY, _replace_line("2018-02-07", "2018-02-07,G (Feb 2018),23.5,25,21,23.4,23.4x,0,1,0,1"), None,
     r"VX_2018-02-14\.csv, line 8: column 'Settle': '23\.4x' is not a number"),
    (MONTHLY, _replace_line("2018-02-07", "2018-02-07,G (Feb 2018),23.5,25,21,23.4,,0,1,0,1"), None,
     r"line 8: column 'Settle': value missing"),
    (MONTHLY, _swap(5, 6), None, r"line 7: rows are not sorted by Trade Date: 2018-02-05 comes after 2018-02-06"),
    (MONTHLY, lambda ls: ls[:7] + [ls[6]] + ls[7:], None,
     r"line 8: duplicate row for Trade Date 2018-02-06 \(first on line 7\)"),
    (MONTHLY, lambda ls: ls + ["2018-02-15,G (Feb 2018),19,20,18,19,19.5,0,1,0,1"], None,
     r"line 14: trade date 2018-02-15 is after the contract's final settlement date 2018-02-14"),
    (MONTHLY, lambda ls: ls[:3] + [ls[3] + ",7"] + ls[4:], None,
     r"line 4: expected 11 fields like the header, got 12"),
    (MONTHLY, None, "VX_2018-02-15.csv",
     (r"VX_2018-02-15\.csv, line 2: file name gives expiry 2018-02-15 but monthly contract 'G \(Feb 2018\)' "
      r"settles on 2018-02-14")),
    (MONTHLY, lambda ls: [ls[0]] + [x.replace("G (Feb", "H (Feb") for x in ls[1:]], None,
     r"line 2: label 'H \(Feb 2018\)': month letter H is not Feb"),
    (MONTHLY, lambda ls: ls[:4] + [ls[4].replace("G (Feb 2018)", "G (Feb 18)")] + ls[5:], None,
     r"line 5: label 'G \(Feb 18\)' differs from 'G \(Feb 2018\)': one contract per file"),
    (LEGACY, None, "CFE_M07_VX.csv", r"CFE_M07_VX\.csv, line 3: label 'K \(May 07\)' does not match the file name"),
    (WEEKLY, None, "VX_2018-02-14.csv",
     r"line 2: label 'VX05 \(Feb 2018\)' is not a month code but 2018-02-14 is the monthly settlement date"),
]


@pytest.mark.parametrize("fixture, edit, name, message", MALFORMED, ids=[
    "missing-column", "missing-column-after-disclaimer", "bad-date", "text-in-number", "empty-settle", "unsorted",
    "duplicate", "after-expiry", "extra-field", "name-vs-calendar", "letter-vs-month", "two-labels",
    "legacy-name-vs-label", "weekly-on-monthly-date"])
def test_malformed_file_names_file_line_and_problem(edited, fixture, edit, name, message) -> None:
    path = edited(fixture, edit, name=name)
    with pytest.raises(LoadError, match=message) as info:
        load_vx(path)
    assert info.value.path == str(path)


def test_one_bad_file_fails_the_whole_load(edited) -> None:
    bad = edited(MONTHLY, _replace_line("2018-02-07", "2018-02-07,G (Feb 2018),x,25,21,23.4,23.4,0,1,0,1"),
                 name="bad/VX_2018-02-14.csv")
    with pytest.raises(LoadError, match=r"bad/VX_2018-02-14\.csv, line 8: column 'Open': 'x' is not a number"):
        load_vx_files([FIXTURES / WEEKLY, bad])


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"VX_2018-03-21\.csv: file does not exist"):
        load_vx(tmp_path / "VX_2018-03-21.csv")


# --- consolidated layouts ------------------------------------------------------------------------------


CLOSE_SETTLE = """trade_date,expiry,is_monthly,close,settle,calendar_days_to_expiry,price_divisor
2007-03-23,2007-04-18,True,137.0,137.5,26,10
2007-03-26,2007-04-18,True,13.60,13.62,23,1
2024-06-03,2024-06-18,False,13.10,13.125,15,1
2024-06-03,2024-06-26,False,13.40,13.4500,23,1
"""

BY_TENOR = """trade_date,tenor_rank,expiry,expiry_method,is_monthly,tenor_days,tenor_trade_days,settle,flag
2004-07-01,1,2004-07-21,exact,True,20,14,15.20,
2007-03-26,1,2007-04-18,exact,True,23,17,1.338,double_rescaled_x0.1
2013-05-01,1,2013-05-22,exact,True,21,15,0.0,zero_settle
2013-05-01,2,2013-06-19,exact,True,49,35,15.10,
"""

CONSOLIDATED = """trade_date,contract,contract_month,expiry,expiry_source,cboe_futures_label,open,high,low,close,settle,change,volume,efp,open_interest,price_divisor,source_file
2007-03-23,VXJ07,2007-04,2007-04-18,observed_last_row,J (Apr 07),135.0,138.0,134.5,137.0,137.5,1.0,100,0,900,10,CFE_J07_VX.csv
2007-03-26,VXJ07,2007-04,2007-04-18,observed_last_row,J (Apr 07),13.7,13.9,13.5,13.6,13.62,-0.13,120,0,950,1,CFE_J07_VX.csv
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_close_settle_layout_rescales_and_trusts_the_calendar_on_monthly(tmp_path: Path) -> None:
    panel = load_vx(_write(tmp_path, "close_settle.csv", CLOSE_SETTLE))
    assert panel.rows["settle"].tolist() == pytest.approx([13.75, 13.62, 13.125, 13.45], abs=1e-12)
    # June 2024 settled Tue 2024-06-18 (Wed 06-19 Juneteenth): monthly, though the file says weekly
    jun = panel.rows[panel.rows["expiry"] == pd.Timestamp(D(2024, 6, 18))]
    assert jun["is_monthly"].all() and jun["contract"].iloc[0] == "VXM24"
    assert panel.notes == (("close_settle.csv, line 4: is_monthly False for expiry 2024-06-18; the settlement "
                            "calendar says monthly and is used"),)
    assert not panel.rows[panel.rows["expiry"] == pd.Timestamp(D(2024, 6, 26))]["is_monthly"].any()



def test_a_monthly_the_file_calls_weekly_before_weeklies_were_listed_is_noted(tmp_path: Path) -> None:
    """MUT26 VR4 (the note only from 2015-07-23, WEEKLIES_LISTED): monthly_notes' docstring, "notes where the file's
    is_monthly column disagrees with the settlement calendar"; 2013-05-22 is the May 2013 VX settlement (the
    Wednesday 30 days before the June SPX expiration, Fri 2013-06-21: feeds.calendars), so a False there is noted."""
    text = ("trade_date,expiry,is_monthly,close,settle,calendar_days_to_expiry,price_divisor\n"
            "2013-05-01,2013-05-22,False,13.10,13.125,21,1\n")
    panel = load_vx(_write(tmp_path, "close_settle.csv", text))
    assert calendars.vx_settlement_date(2013, 5) == D(2013, 5, 22)
    assert panel.notes == (("close_settle.csv, line 2: is_monthly False for expiry 2013-05-22; the settlement "
                            "calendar says monthly and is used"),)
    assert panel.rows["is_monthly"].tolist() == [True]


def test_an_unsorted_consolidated_file_is_refused(tmp_path: Path) -> None:
    """MUT26 VR10 (the consolidated layouts' order check dropped): feeds.loaders.vx's docstring ("Errors (the whole
    load fails, nothing is kept): ... rows not sorted by date"): CLOSE_SETTLE with its first two rows swapped
    (2007-03-26 on line 2, 2007-03-23 on line 3) is one LoadError naming line 3 and both dates."""
    lines = CLOSE_SETTLE.splitlines()
    text = "\n".join([lines[0], lines[2], lines[1], *lines[3:]]) + "\n"
    with pytest.raises(LoadError, match=r"close_settle\.csv, line 3: rows are not sorted by trade_date: 2007-03-23 "
                                        r"comes after 2007-03-26"):
        load_vx(_write(tmp_path, "close_settle.csv", text))


def test_a_weekly_expiry_no_vx_settles_on_is_a_bad_row(tmp_path: Path) -> None:
    """Loader fuzz, session 13 (2026-12-05): a row's expiry 2019-06-19 keyed 2019-06-18 (a Tuesday whose Wednesday and
    Friday 30 days on were sessions) loaded as an 86th weekly contract, and the June monthly lost that day's settle.
    A weekly settles on a Wednesday or, before a holiday, the session before it (calendars.is_vx_weekly_settlement):
    the row is bad. Tue 2024-06-18 (Juneteenth Wednesday) stays the June 2024 monthly, as above."""
    text = CLOSE_SETTLE.replace("2024-06-03,2024-06-26,False,13.40,13.4500,23",
                                "2024-06-03,2024-06-25,False,13.40,13.4500,22")
    panel = load_vx(_write(tmp_path, "close_settle.csv", text))
    assert [(b.line, b.reason) for b in panel.bad_rows] == [
        (5, "expiry 2024-06-25 is no VX settlement date (a weekly settles on a Wednesday, or the session before a "
            "Wednesday, or a Friday 30 days on, that is a holiday)")]
    assert calendars.is_vx_weekly_settlement(D(2024, 6, 26)) and calendars.is_vx_weekly_settlement(D(2018, 7, 3))


@pytest.mark.realdata
def test_every_weekly_expiry_of_the_shared_data_is_a_vx_settlement_day(shared_data: Path) -> None:
    """The all-listed file's 636 expiries: from 2015-07-23 every non-monthly one passes is_vx_weekly_settlement (the
    Tuesdays before a Wednesday holiday, 2018-07-03, or 30 days before a holiday Friday, 2015-11-24, among them);
    read with plain pandas."""
    raw = pd.read_csv(shared_data / "vix_futures_settle_all_listed_2004_2025" / "vx_settle_all_listed_2004_2025.csv.gz",
                      parse_dates=["expiry"])
    days = sorted({e.date() for e in raw["expiry"].unique()})
    weekly = [d for d in days if d >= D(2015, 7, 23)]
    assert len(days) == 636 and [d for d in weekly if not calendars.is_vx_weekly_settlement(d)] == []
    assert {D(2018, 7, 3), D(2015, 11, 24), D(2024, 2, 28), D(2024, 12, 25)} <= set(weekly)  # (the last two: the
    # file's plus1_tuesday_rule dates, a day after the Tuesdays its tenor_trade_days count to: trial CAL34)

def test_settle_by_tenor_layout_reports_flags_and_misdated_early_contracts(tmp_path: Path) -> None:
    panel = load_vx(_write(tmp_path, "by_tenor.csv", BY_TENOR))
    assert [(b.line, b.reason) for b in panel.bad_rows] == [
        (2, "expiry 2004-07-21 is not a monthly settlement date and weekly VX were only listed from 2015-07-23"),
        (3, "flagged by the source: double_rescaled_x0.1"),
        (4, "flagged by the source: zero_settle"),
    ]
    assert panel.rows["settle"].tolist() == [15.10]  # not rescaled: the source already is in points


def test_consolidated_cfe_layout_checks_expiry_and_divisor(tmp_path: Path) -> None:
    panel = load_vx(_write(tmp_path, "cfe_all.csv", CONSOLIDATED))
    assert panel.rows["settle"].tolist() == pytest.approx([13.75, 13.62], abs=1e-12)
    with pytest.raises(LoadError, match=r"cfe_all2\.csv, line 3: price_divisor 10 on 2007-03-26 contradicts the rule"):
        load_vx(_write(tmp_path, "cfe_all2.csv", CONSOLIDATED.replace(",950,1,", ",950,10,")))
    with pytest.raises(LoadError, match=r"line 2: expiry 2007-04-25 of VXJ07 is not its settlement date 2007-04-18"):
        load_vx(_write(tmp_path, "cfe_all3.csv", CONSOLIDATED.replace("07-03-23,VXJ07,2007-04,2007-04-18",
                                                                     "07-03-23,VXJ07,2007-04,2007-04-25")))


def test_close_settle_days_column_is_checked(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"line 3: calendar_days_to_expiry 22 is not expiry - trade_date \(23 days\)"):
        load_vx(_write(tmp_path, "cs.csv", CLOSE_SETTLE.replace("13.62,23,1", "13.62,22,1")))


def test_unknown_consolidated_layout_is_named(tmp_path: Path) -> None:
    with pytest.raises(LoadError, match=r"odd\.csv: not a known VX layout"):
        load_vx(_write(tmp_path, "odd.csv", "trade_date,price\n2018-01-02,12.0\n"))


# --- survivors of the feeds/ mutation trial (MUT23) ---------------------------------------------------


@pytest.mark.parametrize("settle, conflict", [("25.2750", True), ("25.2300", False)], ids=["0.05-off", "0.005-off"])
def test_duplicate_settles_agree_within_one_hundredth(edited, settle: str, conflict: bool) -> None:
    """MUT23 (vx.AGREE 0.01 -> 0.1 survived): two sources "agree on a settle within" 0.01 VIX points (merge's
    docstring: a later duplicate that agrees is a note, one that does not a bad row with both settles). The fixture's
    2018-02-13 settle 25.2250 given again by a later file at 25.2750 (0.05 off) is a bad row, at 25.2300 (0.005 off)
    a note."""
    row = f"2018-02-13,G (Feb 2018),25.8000,26.3000,24.2000,25.3000,{settle},-0.6000,120123,0,150789"
    later = edited(MONTHLY, _replace_line("2018-02-13", row), name="later/VX_2018-02-14.csv")
    panel = load_vx_files([FIXTURES / MONTHLY, later])
    bad = [b for b in panel.bad_rows if "different settle" in b.reason]
    assert _row(panel, D(2018, 2, 13))["settle"] == 25.225  # the first file's, either way
    if conflict:
        assert len(bad) == 1 and "(25.275 vs 25.225)" in bad[0].reason
        assert any("11 contract-day(s) also given by VX_2018-02-14.csv" in n for n in panel.notes)
    else:
        assert bad == [] and any("12 contract-day(s) also given by VX_2018-02-14.csv" in n for n in panel.notes)


def test_a_contract_stopping_before_a_settlement_on_the_data_s_last_day_is_a_stop(edited) -> None:
    """MUT23 (``expiry <= last_day`` -> ``<`` in vx._stops survived): a monthly contract whose rows stop before its
    settlement "while the data runs past it" is listed; data running to the settlement day itself counts (the
    contract's settle that day is missing). The Feb 2018 file (settles 2018-02-14) cut after 2018-02-12, beside a
    Mar 2018 file (settles 2018-03-21) whose rows run to 2018-02-14: stops lists Feb 2018, last row 2018-02-12."""
    feb = edited(MONTHLY, lambda ls: [x for x in ls if not x.startswith(("2018-02-13", "2018-02-14"))])
    mar_row = "2018-02-14,H (Mar 2018),19.5000,20.0000,19.0000,19.6000,19.6500,-0.5000,100000,0,200000"
    mar = edited(MONTHLY, lambda ls: [(mar_row if x.startswith("2018-02-14") else x.replace("G (Feb", "H (Mar"))
                                      for x in ls], name="mar/VX_2018-03-21.csv")
    panel = load_vx_files([feb, mar])
    assert panel.rows["trade_date"].max() == pd.Timestamp(2018, 2, 14)
    assert [(s.expiry, s.last) for s in panel.stops] == [(D(2018, 2, 14), D(2018, 2, 12))]
