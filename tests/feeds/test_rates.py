"""Tests for feeds.loaders.rates and the Market's per-day short rate (pricing and cash interest).

References: hand-typed FRED-layout files; the causal rule (a day takes the last value dated before it)
recomputed by hand; the shipped monthly series regenerated from ../shared/data (realdata).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds import calendars
from feeds.embedded import load_embedded
from feeds.loaders._table import LoadError
from feeds.loaders.rates import (MAX_STALE_BUSDAYS, SHIPPED_MONTHLY, find_rate_file, gaps, load_fred_csv,
                                 monthly_means, shipped_monthly, stale_limit, uncovered)
from feeds.market import Market
from vixhedge.core.config import MarketConfig, RateSource


def _write(tmp_path: Path, text: str, name: str = "DFF.csv") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_fred_layout_with_missing_days(tmp_path: Path) -> None:
    p = _write(tmp_path, "observation_date,DTB3\n2018-01-01,.\n2018-01-02,1.39\n2018-01-03,1.40\n2018-01-05,1.38\n")
    s = load_fred_csv(p)
    assert [str(d) for d in s.dates] == ["2018-01-02", "2018-01-03", "2018-01-05"]
    assert [str(b) for b in s.bad_rows] == ["DFF.csv, line 2: no value ('.')"]
    assert s.bad_rows[0].day == dt.date(2018, 1, 1)  # dated by the loader, though the header says observation_date
    # causal: a day takes the last value dated strictly before it; days before the first take the first
    days = pd.DatetimeIndex(["2018-01-02", "2018-01-03", "2018-01-04", "2018-01-05", "2018-01-08"])
    np.testing.assert_allclose(s.on(days), [0.0139, 0.0139, 0.0140, 0.0140, 0.0138], rtol=1e-12)
    # the night after a day earns the value dated that day (or the last before it): published by the next open
    np.testing.assert_allclose(s.on_night(days), [0.0139, 0.0140, 0.0140, 0.0138, 0.0138], rtol=1e-12)


@pytest.mark.parametrize(("text", "message"), [
    ("day,DFF\n2018-01-02,1.3\n", r"expected two columns, a date"),
    ("date,value\n2018-01-02,abc\n", r"DFF.csv, line 2: column 'value': 'abc' is not a number"),
    ("date,value\n2018-01-02,1.3\n2018-01-02,1.4\n", r"line 3: duplicate row for date 2018-01-02"),
    ("date,value\n2018-01-03,1.3\n2018-01-02,1.4\n", r"line 3: rows are not sorted by date"),
    ("date,value\n2018-01-02,130\n", r"line 2: column 'value': 130 is not a short rate in percent"),
])
def test_bad_files_name_file_line_and_problem(tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(LoadError, match=message):
        load_fred_csv(_write(tmp_path, text))


def test_directory_rate_file_is_found(tmp_path: Path) -> None:
    assert find_rate_file(tmp_path) is None
    (tmp_path / "us_short_rates").mkdir()
    f = _write(tmp_path / "us_short_rates", "date,value\n2018-01-02,1.3\n")
    assert find_rate_file(tmp_path) == f


def test_shipped_monthly_series_covers_the_embedded_years() -> None:
    s = shipped_monthly()
    assert str(s.dates[0]) == "1990-01-31" and str(s.dates[-1]) >= "2025-12-31"
    # a day takes the mean of the month before (dated its last day): 2016-01-15 -> December 2015
    dec = float(s.percent[s.dates == np.datetime64("2015-12-31")][0])
    assert s.on(pd.DatetimeIndex(["2016-01-15"]))[0] == pytest.approx(dec / 100.0)


def test_shipped_monthly_nights_take_the_month_before_even_on_a_months_last_day() -> None:
    """Audit (2026-12-03): the night of a month's last day earned that month's mean, not known before the month ends
    (2016-01-04 credited Dec 2015's mean, post-hike days included): a one-night look-ahead. Values from
    feeds/calibration/short_rate_monthly.csv: 2014-02 0.0664, 2014-03 0.0781, 2015-11 0.1177, 2015-12 0.2406."""
    s = shipped_monthly()
    feb14, mar14, nov15, dec15 = 0.000664, 0.000781, 0.001177, 0.002406
    days = pd.DatetimeIndex(["2014-03-28", "2014-03-31", "2014-04-01", "2015-12-31", "2016-01-04"])
    np.testing.assert_allclose(s.on_night(days), [feb14, feb14, mar14, nov15, dec15], rtol=1e-12)
    np.testing.assert_allclose(s.on_night(days), s.on(days), rtol=0)  # the night of day t: the rate of day t
    data = load_embedded().window(dt.date(2015, 12, 1), dt.date(2016, 1, 29))
    m = Market(data, MarketConfig())
    assert m.night_rate(dt.date(2015, 12, 31)) == pytest.approx(nov15, rel=1e-12)  # credited on 2016-01-04


def test_market_prices_and_accrues_at_the_days_rate() -> None:
    data = load_embedded().window(dt.date(2015, 11, 2), dt.date(2016, 2, 26))
    series = Market(data, MarketConfig())
    const = Market(data, MarketConfig(rates=RateSource.CONSTANT, rate=0.01))
    assert (const.short_rates == 0.01).all() and const.rate_source["rates"] == "constant"
    # the Fed's December 2015 hike: DFF month means ~0.12% (Nov) -> ~0.24% (Dec) -> ~0.34% (Jan)
    nov, jan = series.rate_on(dt.date(2015, 12, 1)), series.rate_on(dt.date(2016, 2, 1))
    assert 0.0008 < nov < 0.0016 and 0.0030 < jan < 0.0040
    i = series.index_of(dt.date(2016, 2, 1))
    expiry = series.spx_expiry(i, 30, 60, 45)
    chain = series.spx_chain(i, expiry)
    t, spot, q = chain.t_years, float(data.spx_close[i]), series.cfg.div_yield
    # put-call parity of the model chain discounts at the day's rate: C - P = S e^(-qT) - K e^(-rT)
    np.testing.assert_allclose(chain.call.mid - chain.put.mid,
                               spot * np.exp(-q * t) - chain.strikes * np.exp(-jan * t), rtol=0, atol=1e-8)
    assert series.rate_source["rates"] == "series: shipped monthly DFF means"


@pytest.mark.realdata
def test_shipped_series_regenerates_from_the_shared_file(shared_data: Path) -> None:
    daily = load_fred_csv(find_rate_file(shared_data))
    means = monthly_means(daily)
    stored = pd.read_csv(SHIPPED_MONTHLY, parse_dates=["date"]).set_index("date")["value"]
    # regenerate with: python -m feeds.calibrate --data-dir ../shared/data --write-package
    np.testing.assert_allclose(stored.to_numpy(), means.to_numpy(), rtol=0, atol=5e-5)
    assert list(stored.index) == list(means.index)


def test_cash_earns_the_overnight_rate_dated_the_night_it_is_held(tmp_path: Path) -> None:
    """A fresh-user trial on the covid replay: daily.csv interest on 2020-03-17 was 27.51 vs 6.25 on 03-18 (ratio
    4.4 = 1.10 / 0.25): the night 03-16 -> 03-17 earned 1.10% although DFF dated 03-16 is 0.25% (../shared/data
    us_short_rates: 1.10 on 2020-03-13..15, 0.25 from 03-16). The same values on the same weekdays of 2015 (the
    embedded market's years: 2015-03-13 is a Friday, 03-16 a Monday): pricing keeps the last value dated before the
    day, cash of the night after day t earns the value dated t, in the Desk and in Market.cash_returns alike."""
    from vixhedge.core.config import ExecutionConfig
    from vixhedge.core.desk import Desk

    rates = load_fred_csv(_write(tmp_path, "date,DFF\n2015-03-12,1.10\n2015-03-13,1.10\n2015-03-14,1.10\n"
                                           "2015-03-15,1.10\n2015-03-16,0.25\n2015-03-17,0.25\n2015-03-18,0.25\n"))
    data = load_embedded().window(dt.date(2015, 3, 2), dt.date(2015, 3, 31))
    m = Market(data, MarketConfig(), rate_series=rates)
    mon, tue, fri = dt.date(2015, 3, 16), dt.date(2015, 3, 17), dt.date(2015, 3, 13)
    assert m.rate_on(tue) == pytest.approx(0.0025) and m.rate_on(mon) == pytest.approx(0.011)  # pricing: no look-ahead
    assert m.night_rate(mon) == pytest.approx(0.0025) and m.night_rate(fri) == pytest.approx(0.011)
    desk = Desk(m, ExecutionConfig(), 0.01, 1_000_000.0)
    for day in (fri, mon, tue):
        desk.open_day(m.index_of(day))
    credits = [f.amount_usd for f in desk.ledger.flows if f.kind == "interest"]
    assert credits == pytest.approx([1e6 * 0.011 * 3 / 365, (1e6 + 1e6 * 0.011 * 3 / 365) * 0.0025 / 365])
    days = [fri, mon, tue]
    expected = [0.011 * 3 / 365, 0.0025 / 365]
    np.testing.assert_allclose(m.cash_returns(days), expected, rtol=1e-12)
    np.testing.assert_allclose(m.cash_returns(np.array(days, dtype="datetime64[D]")), expected, rtol=1e-12)


def _daily(start: str, end: str, percent: float, skip: tuple[str, str] | None = None) -> str:
    days = pd.date_range(start, end, freq="D")
    if skip is not None:
        days = days[(days < pd.Timestamp(skip[0])) | (days > pd.Timestamp(skip[1]))]
    return "date,value\n" + "".join(f"{d.date()},{percent}\n" for d in days)


@pytest.mark.parametrize("text", [
    _daily("2022-06-01", "2022-09-30", 0.0158),  # DFF 1.58% as a fraction (shipped means 2022-06..09: 1.21..2.56%)
    _daily("2014-01-01", "2014-06-30", 0.0009),  # the zero-rate years too: 0.09% as a fraction (shipped 0.07..0.10%)
], ids=["2022", "2014"])
def test_a_file_in_fractions_is_an_error(tmp_path: Path, text: str) -> None:
    """A fresh-user trial: a file in fractions (0.0013) gave interest $10 instead of $986, silently."""
    with pytest.raises(LoadError, match=r"DFF\.csv: column 'value' reads as fractions, not percent: over "
                                        r"\d{4}-\d\d\.\.\d{4}-\d\d its values average .* write the rate in percent"):
        load_fred_csv(_write(tmp_path, text))


def test_a_low_percent_series_of_the_zero_rate_years_is_not_taken_for_fractions(tmp_path: Path) -> None:
    # DTB3 averaged ~0.03% in 2014 (FRED), under DFF's 0.07..0.10% (the shipped means): a third of it, not 1/100
    assert load_fred_csv(_write(tmp_path, _daily("2014-01-01", "2014-06-30", 0.03))).percent[0] == 0.03


def test_a_file_at_zero_for_years_is_not_taken_for_fractions(tmp_path: Path) -> None:
    """Trial H: 0.00 over 2009-2015 (a researcher's zero-rate scenario; DFF's shipped means 0.04..0.37% there) was
    refused as "fractions, average 0: write the rate in percent (x100 ...)"; zero reads the same either way."""
    assert load_fred_csv(_write(tmp_path, _daily("2009-01-01", "2015-12-31", 0.0))).percent.max() == 0.0


def test_uncovered_days_and_gaps_beyond_two_business_weeks(tmp_path: Path) -> None:
    """A fresh-user trial: a file cut at 2021-12-31 priced a 2022-06..2023-05 run at 0.07% (DFF was 1.21..4.83%)."""
    s = load_fred_csv(_write(tmp_path, _daily("2014-01-01", "2014-12-31", 0.09, skip=("2014-05-01", "2014-08-31"))))
    assert gaps(s) == [(dt.date(2014, 4, 30), dt.date(2014, 9, 1))]
    days = [d.date() for d in calendars.trading_days(dt.date(2013, 12, 30), dt.date(2015, 1, 30))]
    # 2013-12-30/31: before the file; 2014-05-22 is the 16th business day after 04-30 (MAX_STALE_BUSDAYS = 15 are
    # carried); from 2015-01-22, the 16th business day after 2014-12-31
    assert stale_limit(s) == MAX_STALE_BUSDAYS == 15
    assert uncovered(s, days) == [(dt.date(2013, 12, 30), dt.date(2013, 12, 31)),
                                  (dt.date(2014, 5, 22), dt.date(2014, 8, 29)),
                                  (dt.date(2015, 1, 22), dt.date(2015, 1, 30))]
    assert uncovered(s, [d for d in days if dt.date(2014, 1, 2) <= d <= dt.date(2014, 5, 21)]) == []


def test_a_day_is_covered_by_the_value_it_is_priced_with_not_one_dated_that_day(tmp_path: Path) -> None:
    """RateSeries.on prices a day with the last value dated strictly before it (DFF of day t is published on t+1):
    a value dated the day itself does not cover it. Values 2014-04-30 and 2014-05-22 (the 16th business day after)."""
    s = load_fred_csv(_write(tmp_path, "date,value\n2014-04-30,0.09\n2014-05-22,0.10\n2014-05-23,0.10\n"))
    day = [dt.date(2014, 5, 22)]
    assert s.on(day)[0] == pytest.approx(0.0009)  # priced with 04-30's value, 16 business days old: not covered
    assert uncovered(s, day) == [(day[0], day[0])]
    assert uncovered(s, [dt.date(2014, 4, 30)]) == [(dt.date(2014, 4, 30), dt.date(2014, 4, 30))]  # back-filled
    assert uncovered(s, [dt.date(2014, 5, 23)]) == []


@pytest.mark.parametrize("dated", ["start", "end"], ids=["FEDFUNDS", "write_monthly"])
def test_a_monthly_file_covers_the_days_of_its_months(tmp_path: Path, dated: str) -> None:
    """A fresh-user trial: a monthly FRED file (FEDFUNDS, TB3MS: dated the 1st of the month; feeds.loaders.rates.
    write_monthly and the shipped means: dated the month's last day) was refused for every window, its values ~21
    business days apart. The limit is 1.5 x the median step: month-to-month steps of 2014 are 19..23 business days
    (numpy busday_count), so 1.5 x their median carries a value over any month."""
    months = pd.date_range("2014-01-01", "2014-12-31", freq="MS" if dated == "start" else "ME")
    s = load_fred_csv(_write(tmp_path, "date,value\n" + "".join(f"{d.date()},0.09\n" for d in months)))
    assert stale_limit(s) >= 30 > MAX_STALE_BUSDAYS
    days = [d.date() for d in calendars.trading_days(dt.date(2014, 2, 3), dt.date(2014, 12, 31))]
    assert uncovered(s, days) == [] and gaps(s) == []
    # one month left out is still a hole: 2014-06 missing from the FEDFUNDS-like file (05-01 -> 07-01: 44 days)
    s = load_fred_csv(_write(tmp_path, "date,value\n" + "".join(f"{d.date()},0.09\n" for d in months
                                                                 if d.month != 6)))
    assert gaps(s) != []



def test_a_fred_monthly_average_file_prices_a_month_with_the_month_before(tmp_path: Path) -> None:
    """A verification trial: FEDFUNDS-style values (each the month's average, dated the month's FIRST day) priced
    2022-06-02 with June's mean, which holds the 2022-06-15 hike not yet known (look-ahead). They are period means
    (feeds.loaders.rates._period_dated), as the shipped series: a June day takes May's mean. Values: FRED FEDFUNDS
    2022-05 0.77, 2022-06 1.21, 2022-07 1.68 (fred.stlouisfed.org/series/FEDFUNDS)."""
    s = load_fred_csv(_write(tmp_path, "observation_date,FEDFUNDS\n2022-05-01,0.77\n2022-06-01,1.21\n"
                                       "2022-07-01,1.68\n", "FEDFUNDS.csv"))
    assert s.period_means and [str(d) for d in s.dates] == ["2022-05-31", "2022-06-30", "2022-07-31"]
    days = pd.DatetimeIndex(["2022-06-02", "2022-06-30", "2022-07-05"])
    np.testing.assert_allclose(s.on(days), [0.0077, 0.0077, 0.0121], rtol=1e-12)
    np.testing.assert_allclose(s.on_night(days), [0.0077, 0.0077, 0.0121], rtol=1e-12)  # June 30's night too
    quarterly = load_fred_csv(_write(tmp_path, "DATE,TB3MS\n2022-01-01,0.30\n2022-04-01,1.10\n", "Q.csv"))
    assert [str(d) for d in quarterly.dates] == ["2022-03-31", "2022-06-30"]
    daily = load_fred_csv(_write(tmp_path, "date,DFF\n2022-06-01,0.83\n2022-06-02,0.83\n", "D.csv"))
    assert not daily.period_means and str(daily.dates[0]) == "2022-06-01"

def test_data_check_reports_the_gaps_of_the_rate_file(tmp_path: Path) -> None:
    from feeds.check import check

    p = _write(tmp_path, _daily("2014-01-01", "2014-12-31", 0.09, skip=("2014-05-01", "2014-08-31")))
    assert "gaps over 15 business days (a run refuses sessions in them, on or before 2014-01-01 or more than 15 " \
           "business days after 2014-12-31): 1 [2014-04-30..2014-09-01]" in check(p)[0]


def test_a_folder_with_two_rate_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "rates").mkdir()
    for name in ("DFF.csv", "DTB3.csv"):
        _write(tmp_path / "rates", "date,value\n2018-01-02,1.3\n", name)
    with pytest.raises(LoadError, match=r"rates: 2 rate files \(DFF\.csv, DTB3\.csv\): a run reads one: keep one"):
        find_rate_file(tmp_path)
