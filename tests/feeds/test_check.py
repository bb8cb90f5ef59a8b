"""``vixhedge data check``'s report (feeds.check): grouped bad rows, recognised file kinds.

The files are written here, by hand, a few rows each; every count below is a count of those rows.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from feeds.check import check
from feeds.loaders import LoadError

VIX_ROWS = """DATE,OPEN,HIGH,LOW,CLOSE
01/02/2018,19.00,10.50,9.50,10.00
01/03/2018,9.60,10.40,9.40,10.10
01/04/2018,30.00,10.80,9.90,10.20
01/05/2018,10.10,10.60,9.80,10.30
01/06/2018,10.10,10.60,9.80,10.30
01/08/2018,10.10,10.60,9.80,10.30
"""


def test_bad_row_groups_keep_shared_numbers_and_say_which_vary(tmp_path: Path) -> None:
    """Two opens outside the day's range (19 and 30, different values) and a Saturday (2018-01-06): no `#`."""
    path = tmp_path / "VIX_History.csv"
    path.write_text(VIX_ROWS)
    report, implausible = check(path)
    assert "#" not in report and implausible == 0
    assert "2 x open <varies> outside low..high <varies>: the open is not used" in report
    assert "1 x not an exchange session (XNYS); not used" in report
    assert "e.g. VIX_History.csv, line 2: open 19 outside low..high 9.5..10.5" in report  # one example per kind
    assert "e.g. VIX_History.csv, line 6: not an exchange session" in report


def test_a_number_every_bad_row_shares_is_printed(tmp_path: Path) -> None:
    """Rows dated before 1990 share the calendar range: it is printed, not replaced by a placeholder."""
    path = tmp_path / "spx.csv"
    path.write_text("date,open,high,low,close\n1989-12-28,350,352,349,351\n1989-12-29,351,354,350,353\n"
                    "2018-01-02,2683.73,2695.89,2682.36,2695.81\n2018-01-03,2697.85,2714.37,2697.77,2713.06\n")
    report, _ = check(path)
    assert "2 x outside the calendar range 1990-01-01..2035-12-31; not used" in report


def test_a_fred_rate_file_is_recognised(tmp_path: Path) -> None:
    """The ../shared/data/us_short_rates layout (``date,value``); FRED's '.' on a holiday (2018-01-01) is a bad row."""
    path = tmp_path / "fred_DFF.csv"
    path.write_text("date,value\n2017-12-29,1.33\n2018-01-01,.\n2018-01-02,1.42\n2018-01-03,1.42\n")
    report, implausible = check(path)
    assert report.startswith("fred_DFF.csv: 3 rate values (percent a year), 2017-12-29..2018-01-03, 1.33..1.42 %")
    assert "1 x no value ('.')" in report and implausible == 0


def test_the_cboe_wide_volatility_index_file_is_recognised(tmp_path: Path) -> None:
    """date + one column per index; VIX3M absent on 2018-01-03 (a gap), a Saturday row (2018-01-06)."""
    path = tmp_path / "cboe_vol_indices_wide.csv"
    path.write_text("date,VIX9D,VIX,VIX3M,SKEW\n2018-01-02,8.9,9.77,12.1,130.2\n2018-01-03,8.8,9.15,,131.0\n"
                    "2018-01-04,8.7,9.22,12.0,132.5\n2018-01-05,8.6,9.22,12.2,133.1\n2018-01-06,8.6,9.22,12.2,133.1\n")
    report, _ = check(path)
    assert "cboe_vol_indices_wide.csv: 5 rows, 2018-01-02..2018-01-06, 1 on a day that is not a session [2018-01-06]" \
        in report
    assert "  VIX3M: 4 values, 2018-01-02..2018-01-06, missing sessions 1 [2018-01-03]" in report
    assert "  VIX6M: 0 values" in report  # a column of volindex.COLUMNS the file lacks


def test_a_two_column_index_file_is_not_taken_for_a_rate_file(tmp_path: Path) -> None:
    """../shared/data's VVIX_daily.csv layout (DATE,VVIX): not a FRED rate file (its values, ~70-100, are no rates)."""
    path = tmp_path / "VVIX_daily.csv"
    path.write_text("DATE,VVIX\n2018-01-02,92.4\n2018-01-03,91.2\n")
    with pytest.raises(LoadError, match="not a recognised data file"):
        check(path)
    fred = tmp_path / "DFF.csv"  # `vixhedge data fetch` writes FRED's own header: observation_date,DFF
    fred.write_text("observation_date,DFF\n2018-01-02,1.42\n2018-01-03,1.42\n")
    assert check(fred)[0].startswith("DFF.csv: 2 rate values")


def test_more_than_five_kinds_of_bad_rows_add_up_and_implausible_ones_are_listed(tmp_path: Path) -> None:
    """Seven kinds of bad row, written below: the top five by count, the implausible kind (listed however rare) and
    "1 more rows of 1 other kind(s)" for the last: the counts printed add up to the 13 bad rows."""
    from feeds.checklines import bad_lines
    from feeds.loaders import BadRow

    reasons = ["no offer (ask 0)"] * 3 + ["no bid"] * 2 + ["crossed"] * 2 + ["zero strike"] * 2 + \
        ["stale quote"] * 2 + ["no volume"] + ["implausible settle 1 (below 5 VIX points)"]
    lines = bad_lines(BadRow("f.csv", k + 2, r) for k, r in enumerate(reasons))
    assert lines[0] == "  bad rows (reported, not used): 13"
    counts = [int(line.split()[0]) for line in lines[1:] if not line.lstrip().startswith("e.g.")]
    assert sum(counts) == 13 and len(counts) == 7
    assert "         1 x implausible settle 1 (below 5 VIX points)" in lines
    assert "         1 more rows of 1 other kind(s)" in lines
    assert not any("no volume" in line for line in lines)


def test_a_file_without_bad_rows_says_none() -> None:
    """MUT26 CL6 (no line for a file without bad rows): data check's report gives every file its bad-row line, "none"
    when it has none, as it words the calendar sources ("...; bad rows: none", feeds.check_runinputs); the word is the
    first of ``what`` (values for the vol-index table, whose rows are used less the values)."""
    from feeds.checklines import bad_lines

    assert bad_lines([]) == ["  bad rows: none"]
    assert bad_lines(iter(()), "values (reported, not used; the rest of each row is)") == ["  bad values: none"]


def test_five_days_are_listed_whole_and_a_sixth_adds_an_ellipsis() -> None:
    """MUT26 CL5 (``len(days) > SHOW`` -> ``>=``): days_text's docstring, "``[d1, d2, ..., d5, ...]``: the first
    :data:`SHOW` days": 5 days (2018-01-02..01-08, by hand) are listed whole; a 6th (01-09) adds ", ..."."""
    import datetime as dt

    from feeds.checklines import dates_text

    days = [dt.date(2018, 1, d) for d in (2, 3, 4, 5, 8, 9)]
    assert dates_text(days[:5]) == "[2018-01-02, 2018-01-03, 2018-01-04, 2018-01-05, 2018-01-08]"
    assert dates_text(days) == "[2018-01-02, 2018-01-03, 2018-01-04, 2018-01-05, 2018-01-08, ...]"


def _with_run_files(tmp_path: Path, rate_row: str) -> Path:
    """synthdir's directory plus the two files a directory-market run also reads (feeds.market.build_market)."""
    from tests.feeds import synthdir

    root = synthdir.write(tmp_path / "data")
    (root / "rates").mkdir()  # `vixhedge data fetch`'s layout: rates/DFF.csv in FRED's own header
    (root / "rates" / "DFF.csv").write_text(f"observation_date,DFF\n2018-01-02,1.42\n{rate_row}\n2018-01-04,1.42\n")
    (root / "cboe_volatility_indices").mkdir()
    (root / "cboe_volatility_indices" / "cboe_vol_indices_wide_1990_2026.csv.gz").write_bytes(gzip.compress(
        b"date,VIX9D,VIX,VIX3M,SKEW\n2018-01-02,8.9,9.77,12.1,130.2\n2018-01-03,8.8,9.15,12.0,131.0\n"))
    return root


def test_a_directory_check_loads_the_rate_file_and_vol_index_table_a_run_reads(tmp_path: Path) -> None:
    """3 DFF rows (1.42, 1.50, 1.42 written above) and 2 rows of the wide table: both reported, both counted."""
    from feeds.check import files_to_read

    root = _with_run_files(tmp_path, "2018-01-03,1.50")
    loaded: list[Path] = []
    report, _ = check(root, loaded.append)
    assert "rates/DFF.csv: 3 rate values (percent a year), 2018-01-02..2018-01-04, 1.42..1.5 %" in report
    assert "cboe_volatility_indices/cboe_vol_indices_wide_1990_2026.csv.gz: 2 rows, 2018-01-02..2018-01-03" in report
    assert files_to_read(root) == len(loaded) == 12  # spx, vix, 8 VX files (synthdir) + these two
    assert [p.name for p in loaded[-2:]] == ["DFF.csv", "cboe_vol_indices_wide_1990_2026.csv.gz"]


@pytest.mark.parametrize(("row", "problem"), [
    ("2018-01-03,abc", r"DFF.csv, line 3: column 'DFF': 'abc' is not a number"),
    ("2018-01-03,250", r"DFF.csv, line 3: column 'DFF': 250 is not a short rate in percent \(-5..30\)"),
], ids=["not-a-number", "out-of-range"])
def test_a_malformed_rate_file_fails_a_directory_check_as_it_fails_a_run(tmp_path: Path, row: str,
                                                                         problem: str) -> None:
    """The trial's repro: a bad DFF value (line 3 of the file written above) is a LoadError, exit 2, as in a run."""
    with pytest.raises(LoadError, match=problem):
        check(_with_run_files(tmp_path, row))


def test_a_malformed_vol_index_table_fails_a_directory_check(tmp_path: Path) -> None:
    root = _with_run_files(tmp_path, "2018-01-03,1.50")
    wide = root / "cboe_volatility_indices" / "cboe_vol_indices_wide_1990_2026.csv.gz"
    wide.write_bytes(gzip.compress(b"date,VIX9D,VIX\n2018-01-02,8.9,9.77\n2018-01-03,abc,9.15\n"))
    with pytest.raises(LoadError, match=r"wide_1990_2026.csv.gz, line 3: column 'VIX9D': 'abc' is not a number"):
        check(root)


def test_stale_spx_opens_are_counted_by_year_as_a_warning(tmp_path: Path) -> None:
    """A fresh-user trial: the SPX open repeats the previous close on 95% of 2000-2005 sessions of ../shared/data
    and `data check` did not say so. Here 2 of the 2012 rows (01-04, 01-05) and 1 of the 2013 rows open at the
    previous close; the rows are kept (5 usable), the warning counts them by year."""
    spx = tmp_path / "SPX_daily.csv"
    spx.write_text("date,open,high,low,close\n"
                   "2012-01-03,1258.86,1284.62,1258.86,1277.06\n"
                   "2012-01-04,1277.06,1278.73,1268.10,1277.30\n"
                   "2012-01-05,1277.30,1283.05,1265.26,1281.06\n"
                   "2013-01-02,1426.19,1462.43,1426.19,1462.42\n"
                   "2013-01-03,1462.42,1465.47,1455.53,1459.37\n", encoding="utf-8")
    report, implausible = check(spx)
    assert implausible == 0 and "5 usable rows" in report
    assert ("WARNING stale opens: 3 rows repeat the previous session's close as their open" in report
            and "by year (stale/sessions): 2012: 2/3, 2013: 1/2" in report)


def test_rows_after_today_are_an_advisory_warning_not_missing_sessions(tmp_path: Path, monkeypatch) -> None:
    """Trial B: a VIX row dated after today counted sessions that had not happened as missing; the review: only
    `data check` reads the clock. Today pinned to 2018-01-04 (a Thursday), VIX_ROWS without its 01-05 row:
    the 01-08 row is after today and 01-05 (a session without a row) is not missing yet; today 2018-01-08, it is."""
    import feeds.loaders.plausible as plausible

    path = tmp_path / "VIX_History.csv"
    path.write_text(VIX_ROWS.replace("01/05/2018,10.10,10.60,9.80,10.30\n", ""))  # 01-05 gone: after today
    monkeypatch.setattr(plausible, "today", lambda: __import__("datetime").date(2018, 1, 4))
    report, implausible = check(path)
    assert implausible == 0 and "missing sessions: 0" in report, report
    assert ("WARNING VIX_History.csv: 1 date(s) after today (2018-01-04), e.g. 2018-01-08: no market has printed "
            "them yet (a typo'd year?); a run uses them as written") in report, report
    monkeypatch.setattr(plausible, "today", lambda: __import__("datetime").date(2018, 1, 8))
    report, _ = check(path)
    assert "after today" not in report and "missing sessions: 1 " in report, report  # 01-05: a session without a row


@pytest.mark.realdata
def test_the_real_index_and_rate_files_raise_no_frozen_feed_nor_rate_gap(shared_data: Path) -> None:
    """feeds.staleopen.FROZEN_ROWS: identical OHLC on 3+ sessions in a row flags none of ../shared/data's SPX
    (1927-2026) and VIX (1990-2026) rows, and its daily DFF (1954-2026) has no gap over 15 business days and covers
    every session of the market (2000-01-03..2026-07-23, README; the file ends 2026-07-08, 11 business days before:
    a fresh-user trial found the last session refused at 10)."""
    from feeds.directory import load_directory
    from feeds.loaders.rates import find_rate_file, gaps, load_fred_csv, uncovered
    from feeds.staleopen import frozen_runs

    data = load_directory(shared_data)
    for h in (data.spx, data.vix):
        assert frozen_runs(h.dates, h.open, h.high, h.low, h.close) == []
    rates = load_fred_csv(find_rate_file(shared_data))
    assert gaps(rates) == []
    days = data.market_data(history_start=__import__("datetime").date(1990, 1, 1)).days  # build_market's default
    assert days[-1] == __import__("datetime").date(2026, 7, 23) and uncovered(rates, days) == []


def test_a_directory_check_names_the_sessions_its_rate_file_does_not_cover(tmp_path: Path) -> None:
    """A fresh-user trial: a DFF file cut at 2021-12-31 was checked without a word. Here the market spans
    2018-01-02..2018-06-29 (tests/feeds/synthdir.py), the file 2018-01-01..2018-03-31 at 1.4% (DFF's 2018-Q1 level,
    feeds/calibration/short_rate_monthly.csv): 2018-04-23 is the 16th business day after 03-31 (15 are carried:
    feeds.loaders.rates.MAX_STALE_BUSDAYS). The fix names the file to replace, not a new one beside it (two rate files
    are refused), and where `vixhedge data fetch` writes DFF."""
    import pandas as pd

    from tests.feeds import synthdir

    root = synthdir.write(tmp_path / "d")
    (root / "rates").mkdir()
    (root / "rates" / "DFF.csv").write_text("date,value\n" + "".join(
        f"{d.date()},1.4\n" for d in pd.date_range("2018-01-01", "2018-03-31")))
    report, _ = check(root)
    assert ("WARNING sessions of the market span without a rate: 2018-04-23..2018-06-29: a run there is refused "
            f"(replace {root / 'rates' / 'DFF.csv'} with a file that reaches further (`vixhedge data fetch --cache DIR` "
            "downloads FRED's daily DFF to DIR/rates/DFF.csv; keep one file in the folder), or run outside them)"
            in report), report
