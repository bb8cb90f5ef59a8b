"""Tests for feeds.calendars.

Reference values: observed CFE final-settlement dates (CFE archive files and Cboe per-contract data in
../shared/data), exchange holidays from exchange_calendars, and rule dates recomputed here with an
independent implementation (plain date arithmetic + a set of XNYS sessions).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import exchange_calendars as xcals
import numpy as np
import pandas as pd
import pytest

from feeds import calendars as cal
from feeds import sessions as xnys_sessions
from feeds.calendars import (
    VxContract,
    business_days_between,
    front_vx_contract,
    is_trading_day,
    next_trading_day,
    previous_trading_day,
    spx_monthly_expiration,
    spx_monthly_expirations,
    third_friday,
    trading_days,
    vx_contracts,
    vx_settlement_date,
)

D = dt.date
ONE_DAY = dt.timedelta(days=1)
DATA_DIR = Path(__file__).resolve().parents[2].parent / "shared" / "data"
VX_FILE = (
    DATA_DIR / "vix_futures_close_settle_per_contract_2004_2023" / "vx_close_settle_2004_2023.csv.gz"
)
# Every contract month whose reference third Friday is still inside the calendar (Dec 2035 needs 2036).
ALL_MONTHS = [(y, m) for y in range(1990, 2036) for m in range(1, 13)][:-1]


# --- independent reference ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def xnys() -> xcals.ExchangeCalendar:
    return cal.build_exchange_calendar("XNYS", D(1990, 1, 1), D(2035, 12, 31))


@pytest.fixture(scope="module")
def sessions(xnys: xcals.ExchangeCalendar) -> frozenset[dt.date]:
    return frozenset(xnys.sessions.date)


def _ref_third_friday(year: int, month: int) -> dt.date:
    return next(D(year, month, day) for day in range(15, 22) if D(year, month, day).weekday() == 4)


def _ref_previous(d: dt.date, sessions: frozenset[dt.date]) -> dt.date:
    d -= ONE_DAY
    while d not in sessions:
        d -= ONE_DAY
    return d


def _ref_next(d: dt.date, sessions: frozenset[dt.date]) -> dt.date:
    d += ONE_DAY
    while d not in sessions:
        d += ONE_DAY
    return d


def _ref_vx_rule(year: int, month: int, sessions: frozenset[dt.date]) -> dt.date:
    friday = _ref_third_friday(year + month // 12, month % 12 + 1)
    wednesday = friday - dt.timedelta(days=30)
    if wednesday in sessions and friday in sessions:
        return wednesday
    return _ref_previous(wednesday, sessions)


def _days(first: dt.date, last: dt.date) -> list[dt.date]:
    return [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]


# --- calendar choice ------------------------------------------------------------------------------


def test_xnys_matches_cboe_futures_calendar_except_september_2001(xnys):
    xcbf = cal.build_exchange_calendar("XCBF", D(1990, 1, 1), D(2035, 12, 31))
    only_xcbf = xcbf.sessions.difference(xnys.sessions)
    # XCBF omits the 9/11 closure (Cboe was shut with the NYSE); otherwise identical.
    assert list(only_xcbf.date) == [D(2001, 9, 11), D(2001, 9, 12), D(2001, 9, 13), D(2001, 9, 14)]
    assert xnys.sessions.difference(xcbf.sessions).empty


def test_shipped_closures_equal_exchange_calendars(xnys):
    """The packaged closures file (read instead of building the calendar: 0.5-0.9 s a run) is what
    exchange_calendars computes today; if this fails, rewrite it: python -c "import feeds.closures as c;
    c.write_closures()"."""
    from feeds import closures

    shipped = pd.read_csv(closures.CLOSURES_FILE, comment="#")
    pd.testing.assert_frame_equal(shipped, closures.closures_table())
    assert np.array_equal(xnys_sessions._sessions(), xnys.sessions.values.astype("datetime64[D]"))
    adhoc = np.unique(np.array([d.date() for d in xnys.adhoc_holidays], dtype="datetime64[D]"))
    assert np.array_equal(closures.adhoc(), adhoc)


# --- trading days ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        pytest.param(D(2024, 6, 17), True, id="ordinary-monday"),
        pytest.param(D(2024, 6, 15), False, id="saturday"),
        pytest.param(D(2014, 4, 18), False, id="good-friday-2014"),
        pytest.param(D(2024, 6, 19), False, id="juneteenth-wednesday-2024"),
        pytest.param(D(2026, 6, 19), False, id="juneteenth-friday-2026"),
        pytest.param(D(2027, 6, 18), False, id="juneteenth-observed-2027"),
        pytest.param(D(2019, 11, 28), False, id="thanksgiving-2019"),
        pytest.param(D(2019, 11, 29), True, id="black-friday-half-day-2019"),
        pytest.param(D(2019, 12, 25), False, id="christmas-2019"),
        pytest.param(D(2001, 9, 11), False, id="september-11-2001"),
        pytest.param(D(2012, 10, 30), False, id="hurricane-sandy-2012"),
        pytest.param(D(2018, 12, 5), False, id="mourning-bush-2018"),
        pytest.param(D(2025, 1, 9), False, id="mourning-carter-2025"),
    ],
)
def test_is_trading_day_known_dates(day, expected):
    assert is_trading_day(day) is expected


def test_is_trading_day_matches_exchange_calendars_every_day(sessions):
    days = _days(cal.SUPPORTED_START, cal.SUPPORTED_END)
    assert [d for d in days if is_trading_day(d) != (d in sessions)] == []


def test_previous_and_next_trading_day_match_reference_every_day(sessions):
    days = _days(D(1990, 1, 3), D(2035, 12, 30))
    assert [d for d in days if previous_trading_day(d) != _ref_previous(d, sessions)] == []
    assert [d for d in days if next_trading_day(d) != _ref_next(d, sessions)] == []


@pytest.mark.parametrize(
    ("func", "day", "expected"),
    [
        pytest.param(previous_trading_day, D(2014, 4, 21), D(2014, 4, 17), id="prev-over-good-friday"),
        pytest.param(next_trading_day, D(2014, 4, 17), D(2014, 4, 21), id="next-over-good-friday"),
        pytest.param(previous_trading_day, D(2024, 6, 15), D(2024, 6, 14), id="prev-from-saturday"),
        pytest.param(next_trading_day, D(2024, 6, 18), D(2024, 6, 20), id="next-over-juneteenth"),
    ],
)
def test_previous_next_trading_day_known(func, day, expected):
    assert func(day) == expected


def test_trading_days_is_tz_naive_midnight_and_skips_holidays():
    idx = trading_days(D(2026, 6, 15), D(2026, 6, 22))
    expected = pd.DatetimeIndex(["2026-06-15", "2026-06-16", "2026-06-17", "2026-06-18", "2026-06-22"])
    pd.testing.assert_index_equal(idx, expected.as_unit(idx.unit))
    assert idx.tz is None
    assert (idx == idx.normalize()).all()


def test_trading_days_matches_exchange_calendars_full_range(xnys):
    idx = trading_days(cal.SUPPORTED_START, cal.SUPPORTED_END)
    assert list(idx.date) == list(xnys.sessions.date)


def test_trading_days_holiday_only_range_is_empty():
    assert trading_days(D(2014, 4, 18), D(2014, 4, 20)).empty


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param(D(2026, 6, 15), D(2026, 6, 15), 0, id="empty-interval"),
        pytest.param(D(2026, 6, 15), D(2026, 6, 16), 1, id="one-session"),
        pytest.param(D(2026, 6, 15), D(2026, 6, 22), 4, id="week-with-juneteenth"),
        pytest.param(D(2026, 6, 13), D(2026, 6, 15), 0, id="weekend-only"),
        # SPVXSP roll period from VXH14 settlement 2014-03-18 (included) to VXJ14 2014-04-16
        # (excluded): 10 March + 11 April sessions.
        pytest.param(D(2014, 3, 18), D(2014, 4, 16), 21, id="roll-period-mar-2014"),
    ],
)
def test_business_days_between(a, b, expected):
    assert business_days_between(a, b) == expected


def test_business_days_between_agrees_with_trading_days_and_adds_up():
    a, b, c = D(2019, 12, 20), D(2020, 1, 2), D(2020, 3, 31)
    assert business_days_between(a, b) == len(trading_days(a, b - ONE_DAY))
    assert business_days_between(a, b) + business_days_between(b, c) == business_days_between(a, c)


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(pd.Timestamp("2014-04-17"), id="timestamp"),
        pytest.param(pd.Timestamp("2014-04-17 15:45", tz="America/New_York"), id="tz-aware-timestamp"),
        pytest.param(dt.datetime(2014, 4, 17, 9, 30), id="datetime"),
    ],
)
def test_datetime_like_inputs_use_their_wall_date(value):
    assert is_trading_day(value) is True
    assert next_trading_day(value) == D(2014, 4, 21)
    assert isinstance(next_trading_day(value), dt.date)


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        pytest.param(lambda: is_trading_day("2020-01-02"), TypeError, "must be a datetime.date", id="str"),
        pytest.param(lambda: is_trading_day(pd.NaT), ValueError, "is NaT", id="nat"),
        pytest.param(
            lambda: is_trading_day(D(1989, 12, 29)), ValueError, r"outside the supported", id="too-early"
        ),
        pytest.param(
            lambda: next_trading_day(D(2036, 1, 2)), ValueError, r"2036-01-02.*outside", id="too-late"
        ),
        pytest.param(
            lambda: previous_trading_day(D(1990, 1, 2)), ValueError, "no trading day before", id="prev-edge"
        ),
        pytest.param(
            lambda: next_trading_day(D(2035, 12, 31)), ValueError, "no trading day after", id="next-edge"
        ),
        pytest.param(
            lambda: trading_days(D(2020, 2, 1), D(2020, 1, 1)),
            ValueError,
            r"start \(2020-02-01\) must not be after end \(2020-01-01\)",
            id="reversed-range",
        ),
        pytest.param(
            lambda: business_days_between(D(2020, 2, 1), D(2020, 1, 1)),
            ValueError,
            r"a \(2020-02-01\) must not be after b",
            id="reversed-count",
        ),
    ],
)
def test_invalid_inputs_raise(call, error, match):
    with pytest.raises(error, match=match):
        call()


# --- SPX monthly expirations ----------------------------------------------------------------------


def test_third_friday_matches_reference_every_month():
    assert [(y, m) for y, m in ALL_MONTHS if third_friday(y, m) != _ref_third_friday(y, m)] == []


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        pytest.param(2018, 2, D(2018, 2, 16), id="ordinary-feb-2018"),
        pytest.param(2020, 3, D(2020, 3, 20), id="ordinary-mar-2020"),
        pytest.param(2008, 3, D(2008, 3, 20), id="good-friday-2008"),
        pytest.param(2014, 4, D(2014, 4, 17), id="good-friday-2014"),
        pytest.param(2026, 6, D(2026, 6, 18), id="juneteenth-2026"),
        pytest.param(2027, 6, D(2027, 6, 17), id="juneteenth-observed-2027"),
    ],
)
def test_spx_monthly_expiration_known(year, month, expected):
    assert spx_monthly_expiration(year, month) == expected


def test_spx_monthly_expiration_rule_every_month(sessions):
    for year, month in ALL_MONTHS:
        friday = _ref_third_friday(year, month)
        expected = friday if friday in sessions else friday - ONE_DAY  # always the Thursday in range
        assert expected in sessions, (year, month)
        assert spx_monthly_expiration(year, month) == expected, (year, month)


def test_spx_holiday_fridays_2005_2030(sessions):
    months = [(y, m) for y in range(2005, 2031) for m in range(1, 13)]
    moved = [(y, m) for y, m in months if _ref_third_friday(y, m) not in sessions]
    # Good Fridays 2008, 2014, 2019, 2022, 2025, 2030; Juneteenth 2026 and 2027 (observed).
    assert moved == [
        (2008, 3), (2014, 4), (2019, 4), (2022, 4), (2025, 4), (2026, 6), (2027, 6), (2030, 4),
    ]  # fmt: skip
    assert all(spx_monthly_expiration(y, m).weekday() == 3 for y, m in moved)


def test_spx_monthly_expirations_range_is_inclusive_and_ordered():
    got = spx_monthly_expirations(D(2026, 1, 1), D(2026, 12, 31))
    assert len(got) == 12 and got == sorted(got)
    assert D(2026, 6, 18) in got
    assert spx_monthly_expirations(D(2014, 4, 17), D(2014, 4, 17)) == [D(2014, 4, 17)]
    assert spx_monthly_expirations(D(2014, 4, 18), D(2014, 5, 15)) == []


@pytest.mark.parametrize(
    ("year", "month", "error", "match"),
    [
        pytest.param(2020, 13, ValueError, r"month \(13\) must be in 1\.\.12", id="month-13"),
        pytest.param(2020, 0, ValueError, r"month \(0\) must be in 1\.\.12", id="month-0"),
        pytest.param(2020, 1.0, TypeError, "integer", id="float-month"),
        pytest.param(True, 1, TypeError, "not bool", id="bool-year"),
        pytest.param(
            2036, 1, ValueError, r"third Friday of 2036-01 \(2036-01-18\) is outside", id="beyond"
        ),
    ],
)
def test_spx_monthly_expiration_invalid(year, month, error, match):
    with pytest.raises(error, match=match):
        spx_monthly_expiration(year, month)


# --- VX settlement --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "expected"),
    [
        # Observed CFE final settlement dates (CFE archive files / Cboe per-contract data).
        pytest.param(2018, 1, D(2018, 1, 17), id="VXF18"),
        pytest.param(2018, 2, D(2018, 2, 14), id="VXG18"),
        pytest.param(2018, 12, D(2018, 12, 19), id="VXZ18"),
        pytest.param(2020, 3, D(2020, 3, 18), id="VXH20"),
        pytest.param(2022, 4, D(2022, 4, 20), id="VXJ22"),
        pytest.param(2008, 2, D(2008, 2, 19), id="VXG08-good-friday"),
        pytest.param(2014, 3, D(2014, 3, 18), id="VXH14-good-friday"),
        pytest.param(2022, 3, D(2022, 3, 15), id="VXH22-good-friday"),
        pytest.param(2024, 6, D(2024, 6, 18), id="VXM24-juneteenth-wednesday"),
        pytest.param(2004, 7, D(2004, 7, 14), id="VXN04-observed-exception"),
        pytest.param(2004, 10, D(2004, 10, 13), id="VXV04-observed-exception"),
        # Rule dates (no observed data): Juneteenth Friday 2026, observed Juneteenth Friday 2027.
        pytest.param(2026, 5, D(2026, 5, 19), id="VXK26-juneteenth-friday"),
        pytest.param(2027, 5, D(2027, 5, 18), id="VXK27-juneteenth-observed"),
    ],
)
def test_vx_settlement_date_known(year, month, expected):
    assert vx_settlement_date(year, month) == expected


def test_vx_settlement_date_matches_reference_rule_every_month(sessions):
    mismatches = {
        (y, m): vx_settlement_date(y, m)
        for y, m in ALL_MONTHS
        if vx_settlement_date(y, m) != _ref_vx_rule(y, m, sessions)
    }
    assert mismatches == dict(cal.VX_SETTLEMENT_EXCEPTIONS)


def test_vx_holiday_cases_2005_2030_follow_the_rule(sessions):
    cases = []
    for year in range(2005, 2031):
        for month in range(1, 13):
            friday = _ref_third_friday(year + month // 12, month % 12 + 1)
            wednesday = friday - dt.timedelta(days=30)
            # Raw Wednesday is always the 13th..22nd: Christmas, New Year, July 4 can never hit it.
            assert 13 <= wednesday.day <= 22
            if wednesday not in sessions or friday not in sessions:
                cases.append((year, month))
                assert vx_settlement_date(year, month) == _ref_previous(wednesday, sessions)
    # Good Friday (Mar/Feb), Juneteenth on the Wednesday (2024, 2030) or the Friday (2026, 2027).
    assert cases == [
        (2008, 2), (2014, 3), (2019, 3), (2022, 3), (2024, 6),
        (2025, 3), (2026, 5), (2027, 5), (2030, 3), (2030, 6),
    ]  # fmt: skip


def test_vx_settlement_invariants_every_month(sessions):
    previous = None
    for year, month in ALL_MONTHS:
        settlement = vx_settlement_date(year, month)
        assert settlement in sessions, (year, month)
        assert (settlement.year, settlement.month) == (year, month)
        assert settlement.weekday() <= 2  # Wednesday, or earlier when moved
        assert settlement < spx_monthly_expiration(year + month // 12, month % 12 + 1)
        assert previous is None or settlement > previous
        previous = settlement


def test_vx_settlement_date_beyond_calendar_raises():
    with pytest.raises(ValueError, match=r"VX 2035-12 reference third Friday \(2036-01-18\) is outside"):
        vx_settlement_date(2035, 12)


# --- VxContract, vx_contracts, front_vx_contract --------------------------------------------------


@pytest.mark.parametrize(
    ("year", "month", "code"),
    [
        pytest.param(2018, 2, "VXG18", id="feb-2018"),
        pytest.param(2005, 1, "VXF05", id="jan-2005"),
        pytest.param(2030, 12, "VXZ30", id="dec-2030"),
    ],
)
def test_vx_contract_code(year, month, code):
    assert VxContract.for_month(year, month).code == code


def test_vx_contract_is_frozen_and_validated():
    contract = VxContract.for_month(2018, 2)
    assert str(contract) == "VXG18 (settles 2018-02-14)"
    with pytest.raises(dataclasses.FrozenInstanceError):
        contract.month = 3  # type: ignore[misc]
    with pytest.raises(ValueError, match=r"month \(13\) must be in 1\.\.12"):
        VxContract(year=2018, month=13, settlement=D(2018, 2, 14))
    with pytest.raises(TypeError, match="settlement .* must be a datetime.date"):
        VxContract(year=2018, month=2, settlement=dt.datetime(2018, 2, 14))  # type: ignore[arg-type]


def test_vx_contracts_over_a_year():
    contracts = vx_contracts(D(2018, 1, 1), D(2018, 12, 31))
    assert [c.code for c in contracts] == [f"VX{letter}18" for letter in cal.VX_MONTH_CODES]
    assert [c.settlement for c in contracts] == sorted(c.settlement for c in contracts)


def test_vx_contracts_bounds_are_inclusive():
    assert [c.code for c in vx_contracts(D(2018, 2, 14), D(2018, 2, 14))] == ["VXG18"]
    assert vx_contracts(D(2018, 2, 15), D(2018, 3, 20)) == []


def test_vx_contracts_needing_2036_holidays_raise():
    with pytest.raises(ValueError, match="2036-01-18"):
        vx_contracts(D(2035, 1, 1), D(2035, 12, 31))


@pytest.mark.parametrize(
    ("day", "n", "code"),
    [
        pytest.param(D(2018, 2, 13), 1, "VXG18", id="day-before-settlement"),
        pytest.param(D(2018, 2, 14), 1, "VXH18", id="on-settlement-day-rolls"),
        pytest.param(D(2018, 2, 28), 1, "VXH18", id="after-settlement"),
        pytest.param(D(2018, 2, 13), 2, "VXH18", id="second-month"),
        pytest.param(D(2018, 2, 14), 3, "VXK18", id="third-month-on-settlement"),
        pytest.param(D(2014, 3, 17), 1, "VXH14", id="before-moved-settlement"),
        pytest.param(D(2014, 3, 18), 1, "VXJ14", id="on-moved-settlement"),
        pytest.param(D(2018, 12, 22), 1, "VXF19", id="year-end-weekend"),
        pytest.param(pd.Timestamp("2018-02-13"), 1, "VXG18", id="timestamp-input"),
    ],
)
def test_front_vx_contract(day, n, code):
    assert front_vx_contract(day, n).code == code


def test_front_vx_contract_is_first_unsettled_every_day_2005_2030():
    contracts = vx_contracts(D(2004, 12, 1), D(2031, 2, 28))
    position = {c: i for i, c in enumerate(contracts)}
    for day in _days(D(2005, 1, 1), D(2030, 12, 31)):
        front = front_vx_contract(day)
        assert front.settlement > day >= contracts[position[front] - 1].settlement, day


@pytest.mark.parametrize(("day", "month"), [
    pytest.param(D(2015, 12, 15), (2015, 12), id="eve-of-dec-settlement"),
    pytest.param(D(2015, 12, 16), (2016, 1), id="dec-settlement-rolls-into-january"),
])
def test_front_vx_month_rolls_over_the_year_end(day, month):
    """Trial MUT22 (E7): feeds.expirations.front_vx_month without the year carry (``+ day.month // 12``) was stopped by
    the golden run alone. MARKET_RULES.md (VX final settlement: the Wednesday 30 days before the third Friday of the
    following month): Dec 2015 VX settles Wed 2015-12-16 (2016-01-15 less 30 days); from that morning the front
    contract is January 2016, the day before still December 2015."""
    from feeds.expirations import front_vx_month

    assert vx_settlement_date(2015, 12) == D(2015, 12, 16)
    assert front_vx_month(day) == month


def test_front_vx_month_is_the_front_contract_s_every_day_2005_2030():
    """feeds.expirations.front_vx_month's docstring: the first monthly VX contract not yet settled, front_vx_contract's
    month (the margin goes by it)."""
    from feeds.expirations import front_vx_month

    for d in _days(D(2005, 1, 1), D(2030, 12, 31)):
        front = front_vx_contract(d)
        assert front_vx_month(d) == (front.year, front.month), d


@pytest.mark.parametrize(
    "n", [pytest.param(0, id="zero"), pytest.param(-1, id="negative"), pytest.param(True, id="bool")]
)
def test_front_vx_contract_rejects_bad_n(n):
    with pytest.raises(ValueError, match=r"n \(.*\) must be a positive integer"):
        front_vx_contract(D(2018, 2, 13), n)


# --- real data ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def vx_file() -> pd.DataFrame:
    if not VX_FILE.exists():
        pytest.skip(f"real data file {VX_FILE} is absent: tests marked realdata need the project's shared data "
                    "folder as ../shared/data beside the clone")
    frame = pd.read_csv(VX_FILE, usecols=["trade_date", "expiry", "is_monthly"])
    frame["trade_date"] = pd.to_datetime(frame["trade_date"]).dt.date
    frame["expiry"] = pd.to_datetime(frame["expiry"]).dt.date
    return frame


@pytest.mark.realdata
def test_realdata_monthly_expiries_equal_vx_settlement_date(vx_file):
    monthly = sorted(set(vx_file.loc[vx_file["is_monthly"], "expiry"]))
    assert len(monthly) == 238  # per the folder's README, 2004-05-19 .. 2024-07-17
    assert [e for e in monthly if vx_settlement_date(e.year, e.month) != e] == []


@pytest.mark.realdata
def test_realdata_only_weekly_flag_on_a_monthly_date_is_juneteenth_2024(vx_file):
    weekly = set(vx_file.loc[~vx_file["is_monthly"], "expiry"])
    # The file's is_monthly flag missed the Juneteenth-adjusted VXM24 (Tue 2024-06-18).
    assert sorted(e for e in weekly if vx_settlement_date(e.year, e.month) == e) == [D(2024, 6, 18)]


@pytest.mark.realdata
def test_realdata_last_row_is_settlement_day_or_day_before(vx_file):
    monthly = vx_file[vx_file["is_monthly"]]
    last_rows = monthly.groupby("expiry")["trade_date"].max()
    data_end = vx_file["trade_date"].max()
    odd = {
        expiry: last
        for expiry, last in last_rows.items()
        if expiry <= data_end and last not in (expiry, previous_trading_day(expiry))
    }
    assert odd == {}


@pytest.mark.realdata
def test_realdata_trade_dates_are_sessions_except_cfe_only_days(vx_file):
    not_sessions = sorted(d for d in set(vx_file["trade_date"]) if not is_trading_day(d))
    # CFE traded on Good Friday 2015 (short session) and on the 2018-12-05 national day of mourning.
    assert not_sessions == [D(2015, 4, 3), D(2018, 12, 5)]


def test_a_thursday_after_a_holiday_wednesday_is_no_vx_weekly_settlement() -> None:
    """MUT23 (``weekday() == 2`` -> ``in (2, 3)`` in expirations.is_vx_weekly_settlement survived): a weekly settles on
    a Wednesday or on the trading day before one (docstring). Wed 2018-07-04 is Independence Day: the weekly settled
    Tue 2018-07-03 (a weekly expiry of ../shared/data, the docstring's example); Thu 2018-07-05 is neither a Wednesday
    nor the day before one (its next Wednesday, 07-11, and the Friday 30 days after, 08-10, are trading days)."""
    from feeds.expirations import is_vx_weekly_settlement

    assert is_vx_weekly_settlement(D(2018, 7, 3)) and is_vx_weekly_settlement(D(2018, 7, 11))
    assert not is_vx_weekly_settlement(D(2018, 7, 5))
