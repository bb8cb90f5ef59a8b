"""Advance/decline input: loader validation, alignment, and the real (2023-2026) file."""

from __future__ import annotations

import dataclasses
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


def test_the_note_on_sessions_without_ad_counts_the_window_it_is_given(tmp_path, caplog):
    """A file of 2016-03-01..03-04 on a market of 2016-02-24..03-04 (8 sessions): 4 lack A/D in all, 0 in the
    window 2016-03-01..03-04, 1 (2016-02-29) in the window 2016-03-02..03-04 with a 2-session look-back."""
    path = _csv(tmp_path, "date,adv,dec\n2016-03-01,100,400\n2016-03-02,300,200\n2016-03-03,250,250\n"
                          "2016-03-04,200,300\n")
    frame = breadth.load_ad_csv(path, "adv", "dec")
    dates = pd.bdate_range("2016-02-24", "2016-03-04")
    with caplog.at_level("WARNING", logger="vixhedge.policy"):
        breadth.align(frame, dates)
        assert "4 of the market's 8 sessions 2016-02-24..2016-03-04 (its whole history) have no A/D" in caplog.text
        caplog.clear()
        breadth.align(frame, dates, (pd.Timestamp("2016-03-01"), pd.Timestamp("2016-03-04")))
        assert caplog.text == ""  # the window is covered: nothing to say
        breadth.align(frame, dates, (pd.Timestamp("2016-02-29"), pd.Timestamp("2016-03-04")))
        assert "1 of the 5 sessions 2016-02-29..2016-03-04 of the run window and its A/D look-back have no A/D" \
            in caplog.text


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


@pytest.mark.realdata
def test_a_run_window_inside_the_real_breadth_file_gets_no_coverage_note(shared_data, caplog):
    """The fresh-user trial: a 2024-03..2024-09 run, inside the file's 2023-06-21..2026-06-17, was told
    "5927 of the run's 6678 sessions have no A/D" (the whole 2000-2026 history was counted; 6678 sessions
    2000-01-03..2026-07-23 is the market span `vixhedge data check ../shared/data` prints)."""
    import datetime as dt

    from feeds.market import build_market
    from strategies.signalset import inputs_from_market
    from vixhedge.core.config import HedgeConfig, MarketConfig, MarketSource

    market = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(shared_data)))
    hedge = HedgeConfig()
    hedge = dataclasses.replace(hedge, fomc=dataclasses.replace(hedge.fomc, ad_csv=str(
        shared_data / "nyse_breadth_computed_2023_2026" / "advance_decline_2023_2026.csv.gz")))
    with caplog.at_level("WARNING", logger="vixhedge.policy"):
        inputs = inputs_from_market(market, hedge, (dt.date(2024, 3, 1), dt.date(2024, 9, 30)))
        assert "have no A/D" not in caplog.text
        inputs_from_market(market, hedge)  # no window: the whole history, said so
        assert "of the market's 6678 sessions 2000-01-03..2026-07-23 (its whole history) have no A/D" in caplog.text
    assert np.isfinite(inputs.advances[inputs.dates >= pd.Timestamp("2023-06-21")][:100]).all()
