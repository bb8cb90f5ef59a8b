"""Tests for feeds.marketdata (validation, window) and feeds.embedded (the shipped default market).

Hand-written MarketData objects sit on real XNYS sessions from feeds.calendars.trading_days. February
2018 is used because it holds an exchange holiday (Presidents' Day, Mon 2018-02-19) and weekends.
Reference prices of the embedded data are public Yahoo Finance closes, cross-checked with
MARKET_RULES.md where it quotes them (Volmageddon: VIX 17.31 -> 37.32 on 2018-02-02 -> 2018-02-05).
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest

from feeds.calendars import trading_days
from feeds.embedded import SOURCE, load_embedded
from feeds.marketdata import DataError, MarketData, check_sessions

D = dt.date
FEB_2018 = trading_days(D(2018, 2, 1), D(2018, 2, 28))  # 19 sessions, 2018-02-19 is a holiday
COLUMNS = ("spx_open", "spx_high", "spx_low", "spx_close", "vix_close", "vix_open")


def _columns(n: int) -> dict[str, np.ndarray]:
    """Consistent OHLC + VIX columns: O < C, H above both, L below both."""
    base = 2700.0 + np.arange(n, dtype=np.float64)
    return {
        "spx_open": base,
        "spx_high": base + 10.0,
        "spx_low": base - 10.0,
        "spx_close": base + 2.0,
        "vix_close": 15.0 + 0.1 * np.arange(n),
        "vix_open": 15.5 + 0.1 * np.arange(n),
    }


def make_data(dates: pd.DatetimeIndex = FEB_2018, source: str = "test", **overrides) -> MarketData:
    cols = _columns(len(dates))
    cols.update(overrides)
    return MarketData(dates=pd.DatetimeIndex(dates), source=source, **cols)


def _with_value(column: str, i: int, value: float) -> dict[str, np.ndarray]:
    arr = _columns(len(FEB_2018))[column].copy()
    arr[i] = value
    return {column: arr}


# --- valid data --------------------------------------------------------------------------------------


def test_valid_data_builds_and_exposes_days() -> None:
    data = make_data()
    assert len(data.dates) == 19
    assert data.days[0] == D(2018, 2, 1) and data.days[-1] == D(2018, 2, 28)
    assert all(type(d) is dt.date for d in data.days)
    assert D(2018, 2, 19) not in data.days


def test_vix_open_may_be_absent() -> None:
    data = make_data(vix_open=None)
    assert data.vix_open is None


def test_high_low_equal_to_open_close_is_accepted() -> None:
    # A flat day (O = H = L = C) and a day closing on its high are legitimate rows.
    cols = _columns(len(FEB_2018))
    cols["spx_high"][0] = cols["spx_low"][0] = cols["spx_close"][0] = cols["spx_open"][0]
    cols["spx_high"][1] = cols["spx_close"][1]
    make_data(**cols)


# --- bad dates ---------------------------------------------------------------------------------------


def test_unsorted_dates_name_the_date_and_the_fix() -> None:
    dates = FEB_2018.tolist()
    dates[3], dates[4] = dates[4], dates[3]  # 2018-02-07 before 2018-02-06
    with pytest.raises(DataError, match=r"test: .*not sorted.*2018-02-06.*2018-02-07.*sort"):
        make_data(pd.DatetimeIndex(dates))


def test_duplicate_dates_name_the_date_and_the_fix() -> None:
    dates = pd.DatetimeIndex(sorted(FEB_2018.tolist() + [pd.Timestamp("2018-02-08")]))
    with pytest.raises(DataError, match=r"test: .*duplicate.*2018-02-08.*drop"):
        make_data(dates)


def test_missing_session_names_the_day_and_the_fix() -> None:
    dates = FEB_2018.drop(pd.Timestamp("2018-02-14"))
    with pytest.raises(DataError, match=r"1 exchange session\(s\) missing.*'2018-02-14'.*supply those days"):
        make_data(dates)


@pytest.mark.parametrize(
    "extra",
    [pd.Timestamp("2018-02-19"), pd.Timestamp("2018-02-17")],
    ids=["presidents-day-holiday", "saturday"],
)
def test_row_on_a_non_session_names_the_day_and_the_fix(extra: pd.Timestamp) -> None:
    dates = pd.DatetimeIndex(sorted(FEB_2018.tolist() + [extra]))
    with pytest.raises(DataError, match=rf"non-trading days \['{extra.date()}'\].*drop them"):
        make_data(dates)


def test_dates_with_a_time_of_day_are_named() -> None:
    # used to be reported as "19 exchange sessions missing", although every session was there
    with pytest.raises(DataError, match=r"date 2018-02-01 16:00:00 carries a time of day.*normalize"):
        make_data(FEB_2018 + pd.Timedelta(hours=16))


def test_tz_aware_dates_are_rejected() -> None:
    with pytest.raises(DataError, match=r"tz-aware \(America/New_York\).*tz_localize\(None\)"):
        make_data(FEB_2018.tz_localize("America/New_York"))


def test_check_sessions_accepts_exact_sessions() -> None:
    check_sessions(FEB_2018, "test")  # no exception


def test_fewer_than_two_rows_is_rejected() -> None:
    with pytest.raises(DataError, match="at least 2 daily rows, got 1"):
        make_data(FEB_2018[:1])


# --- bad values --------------------------------------------------------------------------------------


@pytest.mark.parametrize("column", COLUMNS)
def test_mismatched_length_names_the_column(column: str) -> None:
    short = _columns(len(FEB_2018))[column][:-1]
    with pytest.raises(DataError, match=rf"column {column} has 18 rows for 19 dates"):
        make_data(**{column: short})


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("value", [np.nan, np.inf, 0.0, -1.0], ids=["nan", "inf", "zero", "negative"])
def test_bad_price_names_column_value_date_and_fix(column: str, value: float) -> None:
    overrides = _with_value(column, 5, value)  # row 5 = 2018-02-08; values are checked before H/L brackets
    pattern = rf"column {column} has a missing or non-positive value {re.escape(repr(value))} on 2018-02-08: repair"
    with pytest.raises(DataError, match=pattern):
        make_data(**overrides)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("spx_high", 2704.0),  # below the close 2707 (row 5: O=2705, C=2707)
        ("spx_high", 2704.9),  # below the open as well
        ("spx_low", 2705.5),  # above the open 2705
        ("spx_low", 2708.0),  # above the close as well
    ],
    ids=["high-below-close", "high-below-open", "low-above-open", "low-above-close"],
)
def test_high_low_not_bracketing_names_the_row(column: str, value: float) -> None:
    with pytest.raises(DataError, match=r"high/low do not bracket open/close on 2018-02-08 \(O=2705.0.*fix that row"):
        make_data(**_with_value(column, 5, value))


# --- window ------------------------------------------------------------------------------------------


def test_window_returns_the_inclusive_slice() -> None:
    data = make_data()
    sub = data.window(D(2018, 2, 6), D(2018, 2, 21))
    expected = trading_days(D(2018, 2, 6), D(2018, 2, 21))
    assert sub.dates.equals(expected)
    lo = FEB_2018.get_loc(pd.Timestamp("2018-02-06"))
    hi = FEB_2018.get_loc(pd.Timestamp("2018-02-21")) + 1
    for name in COLUMNS:
        np.testing.assert_array_equal(getattr(sub, name), getattr(data, name)[lo:hi])
    assert sub.source == data.source and sub.files == data.files


def test_window_keeps_cut_stop_and_frozen() -> None:
    """MUT26 MD6 (window drops ``frozen``; TST26b found the window passed ``frozen`` positionally into ``stop``, the
    field this session added after ``cut``: its stop was the frozen runs, its frozen ()): MarketData's docstring, ``cut`` and ``stop`` say why the history starts
    and ends where it does, ``frozen`` lists the source files' frozen runs: a window of the data is the same
    history's rows, so it keeps all three as they are (the frozen run of VIX 2018-02-06..02-08, 3 rows, made up)."""
    import dataclasses

    data = dataclasses.replace(make_data(), cut="why the start", stop="why the end",
                               frozen=(("vix.csv", D(2018, 2, 6), D(2018, 2, 8), 3),))
    sub = data.window(D(2018, 2, 5), D(2018, 2, 21))
    assert (sub.cut, sub.stop, sub.frozen) == (data.cut, data.stop, data.frozen)


def test_window_bounds_on_non_sessions_snap_inwards() -> None:
    data = make_data(vix_open=None)
    sub = data.window(D(2018, 2, 3), D(2018, 2, 19))  # Saturday .. holiday
    assert sub.days[0] == D(2018, 2, 5) and sub.days[-1] == D(2018, 2, 16)
    assert sub.vix_open is None


def test_window_too_small_is_rejected() -> None:
    with pytest.raises(DataError, match="at least 2 daily rows, got 0"):
        make_data().window(D(2018, 2, 17), D(2018, 2, 19))


# --- embedded data -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def embedded() -> MarketData:
    return load_embedded()


def test_embedded_span_and_sessions(embedded: MarketData) -> None:
    assert embedded.days[0] == D(2014, 1, 3)
    assert embedded.days[-1] == D(2018, 12, 31)
    assert len(embedded.dates) == 1257
    assert embedded.dates.equals(trading_days(D(2014, 1, 3), D(2018, 12, 31)))
    assert embedded.source == SOURCE
    assert embedded.vix_open is None
    assert load_embedded() is embedded  # cached: loaded once per process


def test_embedded_files_have_sha256(embedded: MarketData) -> None:
    names = [name for name, _ in embedded.files]
    assert names == ["arch/data/sp500/sp500.csv.gz", "arch/data/vix/vix.csv.gz"]
    for _, digest in embedded.files:
        assert re.fullmatch(r"[0-9a-f]{64}", digest)


@pytest.mark.parametrize("name", ["sp500", "vix"])
def test_embedded_files_read_as_arch_loads_them(name: str) -> None:
    """The files are read without importing arch (cold start); the frame equals arch.data.<name>.load()."""
    import importlib

    from feeds.embedded import _read_arch_csv

    pd.testing.assert_frame_equal(_read_arch_csv(name), importlib.import_module(f"arch.data.{name}").load())


def test_embedded_reference_values(embedded: MarketData) -> None:
    i = {d: k for k, d in enumerate(embedded.days)}
    # VIX closes quoted in MARKET_RULES.md (Volmageddon) and Yahoo Finance ^VIX history.
    assert embedded.vix_close[i[D(2018, 2, 2)]] == pytest.approx(17.31, abs=1e-9)
    assert embedded.vix_close[i[D(2018, 2, 5)]] == pytest.approx(37.32, abs=1e-9)
    # SPX first close of the span and the Q4-2018 low close (Yahoo Finance ^GSPC history).
    assert embedded.spx_close[i[D(2014, 1, 3)]] == pytest.approx(1831.37, abs=0.005)
    assert embedded.spx_close[i[D(2018, 12, 24)]] == pytest.approx(2351.10, abs=0.005)
    for name in COLUMNS[:5]:
        arr = getattr(embedded, name)
        assert arr.dtype == np.float64 and np.isfinite(arr).all()
