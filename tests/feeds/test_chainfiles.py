"""Stale chain copies in a data directory are skipped as bad rows; the directory still loads (feeds.chainfiles)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from feeds.check import check
from feeds.directory import load_directory
from feeds.loaders import LoadError
from tests.feeds import synthdir
from tests.feeds.conftest import FIXTURES

SNAP = "SPX_20180104_snapshot.csv"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    root = synthdir.write(tmp_path / "d")
    (root / "chains").mkdir()
    for name in ("SPX_20180102_snapshot.csv", SNAP):
        shutil.copy(FIXTURES / "chains" / name, root / "chains" / name)
    return root


def _copy(root: Path, name: str, quote_date: str | None) -> None:
    text = (FIXTURES / "chains" / SNAP).read_text()
    (root / "chains" / name).write_text(text.replace(",01/04/2018,", f",{quote_date},") if quote_date else text)


@pytest.mark.parametrize("name, quote_date, reason", [
    ("SPX_20180115_snapshot.csv", "01/15/2018", "quote date 2018-01-15 is not an exchange session (a holiday copy?)"),
    ("SPX_20180105_snapshot.csv", None, "the file name says 2018-01-05 but its quotes are dated 2018-01-04"),
    # MUT26 C2 (the name's date only as YYYYMMDD): the module docstring's "(``YYYYMMDD`` or ``YYYY-MM-DD``)"
    ("SPX_2018-01-05_snapshot.csv", None, "the file name says 2018-01-05 but its quotes are dated 2018-01-04"),
    ("SPX_20180105_snapshot.csv", "01/05/2018", f"the quotes repeat {SNAP} row for row under another date"),
    ("SPX_copy.csv", None, f"the quotes repeat {SNAP} row for row on the same day"),
], ids=["holiday", "renamed", "renamed-dashed", "stale-copy", "same-day-again"])
def test_a_stale_copy_is_skipped_with_its_reason(root: Path, name: str, quote_date: str | None, reason: str) -> None:
    _copy(root, name, quote_date)
    data = load_directory(root)
    skipped = [b for b in data.options.bad_rows if b.file == name]
    n_rows = len((FIXTURES / "chains" / SNAP).read_text().splitlines()) - 1
    assert len(skipped) == n_rows and all(reason in b.reason for b in skipped)
    day = dt.date(2018, 1, int(quote_date[3:5])) if quote_date else dt.date(2018, 1, 4)  # the copy's, else SNAP's
    assert {b.day for b in skipped} == {day}  # each row dated by its quote date (feeds.datanotes notes by it)
    assert set(data.options.rows["file"]) == {"SPX_20180102_snapshot.csv", SNAP}
    report, implausible = check(root)
    assert reason in report and f"e.g. {name}, line 2:" in report and implausible == 0


@pytest.mark.parametrize("name, quote_date, reason", [
    ("SPX_20180219_snapshot.csv", "02/19/2018", "quote date 2018-02-19 is not an exchange session (a holiday copy?)"),
    ("SPX_20180220_snapshot.csv", "02/20/2018", f"the quotes repeat {SNAP} row for row under another date"),
], ids=["holiday", "stale-copy"])
def test_a_copy_after_its_expiries_is_skipped_before_the_row_checks(root: Path, name: str, quote_date: str,
                                                                  reason: str) -> None:
    """A fresh-user trial: SPX_20190501 copied as SPX_20190527 (Memorial Day) stopped the load with 'expiration
    2019-05-01 is before the quote date'. Here SNAP's 2018-02-16 expiry is copied to Presidents' Day 2018-02-19
    (XNYS closed: feeds/calendar_data/xnys_closures.csv) and to the session 2018-02-20."""
    _copy(root, name, quote_date)
    data = load_directory(root)
    skipped = [b for b in data.options.bad_rows if b.file == name]
    assert skipped and all(reason in b.reason for b in skipped)
    assert set(data.options.rows["file"]) == {"SPX_20180102_snapshot.csv", SNAP}


def test_a_file_with_expired_rows_that_is_no_copy_still_stops_the_load(root: Path) -> None:
    text = (FIXTURES / "chains" / SNAP).read_text().replace(",01/04/2018,", ",02/20/2018,").replace(",5.30,", ",5.20,")
    (root / "chains" / "SPX_20180220_snapshot.csv").write_text(text)  # one bid changed: not a copy of SNAP
    with pytest.raises(LoadError, match=r"SPX_20180220_snapshot\.csv, line 2: expiration 2018-02-16 is before the "
                                        r"quote date 2018-02-20"):
        load_directory(root)


def test_a_file_repeating_quotes_of_another_is_skipped_naming_it(root: Path) -> None:
    """MUT26 C1 (rule 4, "repeat", never applied): a copy of SNAP with one bid changed (5.30 -> 5.20: no copy row for
    row) under the same date, SPX_20180104_other.csv, read before SNAP (the chain files in name order): SNAP's 3
    rows (a hand count of the fixture) give the same (quote date, root, expiration, strike, right) again, so SNAP is
    skipped naming the other file (the module docstring, "repeat"); the other file's quotes are kept."""
    text = (FIXTURES / "chains" / SNAP).read_text()
    assert text.count(",5.30,") == 1 and len(text.splitlines()) == 4
    (root / "chains" / "SPX_20180104_other.csv").write_text(text.replace(",5.30,", ",5.20,"))
    data = load_directory(root)
    skipped = [b for b in data.options.bad_rows if b.file == SNAP]
    assert [b.reason for b in skipped] == ["3 quote(s) repeat SPX_20180104_other.csv (same date, contract): "
                                           "file skipped"] * 3
    assert {b.day for b in skipped} == {dt.date(2018, 1, 4)}
    assert set(data.options.rows["file"]) == {"SPX_20180102_snapshot.csv", "SPX_20180104_other.csv"}
    assert 5.20 in data.options.rows["bid"].tolist()


def test_a_file_named_for_one_of_its_two_quote_days_is_skipped(root: Path) -> None:
    """MUT26 C7 (``days != [named]`` -> ``named not in days``): the module docstring's name/date mismatch, "the date
    in its name ... is not its quote date": a file of one day's chain has one quote date; SPX_20180105_two.csv holds
    SNAP's 3 rows dated 2018-01-05 and again dated 2018-01-08 (6 rows, by hand) and is skipped whole."""
    text = (FIXTURES / "chains" / SNAP).read_text().splitlines()
    rows = [r.replace(",01/04/2018,", f",{d},") for d in ("01/05/2018", "01/08/2018") for r in text[1:]]
    (root / "chains" / "SPX_20180105_two.csv").write_text("\n".join(text[:1] + rows) + "\n")
    data = load_directory(root)
    skipped = [b for b in data.options.bad_rows if b.file == "SPX_20180105_two.csv"]
    assert len(skipped) == 6 and {b.reason for b in skipped} == {
        "the file name says 2018-01-05 but its quotes are dated 2018-01-05, 2018-01-08: file skipped"}
    assert set(data.options.rows["file"]) == {"SPX_20180102_snapshot.csv", SNAP}
