"""MUT42 probes for feeds.loaders._table (PERF42's commit 0d3cbc32: dates parsed per distinct cell, the whole-rows
fast path of _split_rows, _column by itemgetter). Each file here is written by the test itself; the expected line
numbers count the header as line 1 (LoadError's convention, read_table's docstring)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from feeds.loaders._table import LoadError, read_table


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "t.csv"
    path.write_text(text)
    return path


def test_whole_rows_padded_with_spaces_are_stripped(tmp_path: Path) -> None:
    """Kills S04 (the fast path's `spaced` returned False), C01 (`if not spaced`) and C02 (str.lstrip): every row is
    whole (3 fields like the header) and cells carry spaces both sides; read_table strips them ("Column names are
    matched ... after stripping spaces", and before PERF42 a padded cell was stripped on every path)."""
    t = read_table(_write(tmp_path, "date,sym,v\n 2016-01-04 , VXF16 , 1.5\n2016-01-05 , VXF16 ,2.5 \n"),
                   ["date", "sym", "v"])
    assert t.text("sym").tolist() == ["VXF16", "VXF16"]
    assert t.dates("date").tolist() == list(np.array(["2016-01-04", "2016-01-05"], dtype="datetime64[D]"))


def test_whole_rows_padded_with_tabs_are_stripped(tmp_path: Path) -> None:
    """Kills S03 (the fast path's `spaced` tested " " alone): cells padded with a tab and no space (the slow path's
    own test is `" " in joined or "\\t" in joined`, kept for both paths by 0d3cbc32)."""
    t = read_table(_write(tmp_path, "date,sym\n2016-01-04\t,VXF16\n2016-01-05\t,VXF16\n"), ["date", "sym"])
    assert t.dates("date").tolist() == list(np.array(["2016-01-04", "2016-01-05"], dtype="datetime64[D]"))


def test_a_missing_date_among_repeated_iso_dates_is_named_on_its_line(tmp_path: Path) -> None:
    """Kills T03 (ISO fast path when any, not all, cells are ISO: numpy reads "" as NaT), T06 (unparsed cells not
    NaT) and T08 (the words chosen on raw[0]): rows 2016-01-04 x3, then an empty date on file line 5 (header line
    1), then 2016-01-04 again: the message is Table.dates' "missing date" for line 5."""
    path = _write(tmp_path, "date,v\n" + "2016-01-04,1\n" * 3 + ",2\n2016-01-04,3\n")
    with pytest.raises(LoadError, match=r"line 5: column 'date': missing date \(expected YYYY-MM-DD or M/D/YYYY\)"):
        read_table(path, ["date", "v"]).dates("date")


def test_a_bad_date_after_repeated_good_ones_names_its_own_line_and_cell(tmp_path: Path) -> None:
    """Kills T05 (`bad` by distinct cell, not by row: the row index of the distinct cells' order named the wrong
    line and cell) and T06: 1/4/2016 on lines 2-4, then 'soon' on line 5. Distinct cells: ['1/4/2016', 'soon'], so
    the mutant names line 3 (row 1) and the cell '1/4/2016'."""
    path = _write(tmp_path, "date,v\n" + "1/4/2016,1\n" * 3 + "soon,2\n")
    with pytest.raises(LoadError, match=r"line 5: column 'date': bad date 'soon'"):
        read_table(path, ["date", "v"]).dates("date")
