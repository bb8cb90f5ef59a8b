"""Advance/decline input: loader validation, alignment, and the real (2023-2026) file."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds import breadth

REAL = (Path(__file__).resolve().parents[2].parent / "shared" / "data" / "nyse_breadth_computed_2023_2026"
        / "advance_decline_2023_2026.csv.gz")


def _csv(tmp_path, text):
    path = tmp_path / "ad.csv"
    path.write_text(text)
    return path


def test_load_and_align_on_sessions(tmp_path):
    path = _csv(tmp_path, "date,adv,dec,other\n2016-03-02,300,200,x\n2016-03-01,100,400,y\n")
    frame = breadth.load_ad_csv(path, "adv", "dec")
    assert list(frame.index.date.astype(str)) == ["2016-03-01", "2016-03-02"]
    adv, dec = breadth.align(frame, pd.DatetimeIndex(["2016-02-29", "2016-03-01", "2016-03-02"]))
    np.testing.assert_array_equal(adv, [np.nan, 100.0, 300.0])
    np.testing.assert_array_equal(dec, [np.nan, 400.0, 200.0])


@pytest.mark.parametrize("text, message", [
    ("date,adv\n2016-03-01,1\n", r"missing column\(s\) \['dec'\]; the header .*; set hedge.fomc.ad_advances_column"),
    ("date,adv,dec\n03/01/2016,1,2\n2016-03-32,1,2\n", r"ad.csv, line 3: column 'date': bad date '2016-03-32'"),
    ("date,adv,dec\n2016-03-01,1,2\n2016-03-01,1,2\n", r"line 3: duplicate row for date 2016-03-01"),
    ("date,adv,dec\n2016-03-01,-1,2\n", r"line 2: column 'adv': '-1' is not a count of issues"),
    ("date,adv,dec\n2016-03-01,nan,2\n", r"line 2: column 'adv': value missing"),
    ("date,adv,dec\n2016-03-01,inf,2\n", r"line 2: column 'adv': 'inf' is not a finite number"),
    ("date,adv,dec\n2016-03-01,1e12,2\n", r"line 2: column 'adv': '1e12' is not a count of issues"),
    ("date,adv,dec\n2016-03-01,1,2\n2016-03-02,1\n", r"line 3: expected 3 fields like the header, got 2"),
    ("date,adv,dec\n2016-03-01,1,2\n2016-03-02,1,2", r"line 3: the file does not end with a line break: it looks "
                                                        r"truncated"),
    ("date,adv,dec\n", r"no data rows"),
], ids=["missing-column", "bad-date", "duplicate", "negative", "nan", "inf", "1e12", "cut-mid-line", "cut-mid-cell",
        "empty"])
def test_bad_files_are_rejected(tmp_path, text, message):
    with pytest.raises(breadth.BreadthError, match=message):
        breadth.load_ad_csv(_csv(tmp_path, text), "adv", "dec")


def test_missing_file(tmp_path):
    with pytest.raises(breadth.BreadthError, match=r"does not exist: check hedge.fomc.ad_csv"):
        breadth.load_ad_csv(tmp_path / "none.csv", "a", "d")


@pytest.mark.realdata
def test_realdata_breadth_file_loads_with_the_default_columns():
    if not REAL.exists():
        pytest.skip(f"../shared/data is absent: {REAL} not found (see /work/shared/data/README.md)")
    frame = breadth.load_ad_csv(REAL, "sp500_advancers", "sp500_decliners")
    # per that folder's README: 752 rows from 2023-06-21, the last (2026-06-18) partial: 208 + 166 of ~500
    assert len(frame) == 751 and frame.index[0] == pd.Timestamp("2023-06-21")
    assert [str(b) for b in frame.attrs["bad_rows"]] == [
        "advance_decline_2023_2026.csv.gz, line 753: implausible counts: advances + declines = 208, far from the "
        "file's usual 499 (allowed x0.833..x1.2: a partial day, or a row scaled); not used"]
    assert (frame.sum(axis=1).median() > 400) and frame.index.is_monotonic_increasing
