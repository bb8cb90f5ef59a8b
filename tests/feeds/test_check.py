"""``vixhedge data check``'s report (feeds.check): grouped bad rows, recognised file kinds.

The files are written here, by hand, a few rows each; every count below is a count of those rows.
"""

from __future__ import annotations

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
