"""Exchange sessions: the XNYS trading days of ``SUPPORTED_START`` .. ``SUPPORTED_END`` (pure, no backtrader).

Dates go in as ``datetime.date`` (``datetime.datetime`` and ``pandas.Timestamp`` are accepted and reduced to their
wall-clock date) and come out as ``datetime.date``, except :func:`trading_days`, which returns a
``pandas.DatetimeIndex``. The expiration rules built on these sessions are :mod:`feeds.expirations`;
:mod:`feeds.calendars` exports both.

Holiday calendar
----------------
Sessions come from ``exchange_calendars`` calendar ``"XNYS"`` (NYSE) for ``SUPPORTED_START`` .. ``SUPPORTED_END``,
shipped as its closures (``feeds/calendar_data/xnys_closures.csv``: the weekdays that are not sessions, and the
calendar's ad-hoc closures), because building the calendar costs 0.5-0.9 s of every run;
``tests/feeds/test_calendars.py`` asserts the file equals what exchange_calendars computes (rewrite it with
:func:`feeds.closures.write_closures` when exchange_calendars adds a closure). ``exchange_calendars`` also ships
``"XCBF"`` (Cboe Futures Exchange). Over 1990-2035 the two differ only on 2001-09-11 .. 2001-09-14, which XCBF lists
as sessions although Cboe was shut with the NYSE after 9/11 (CFE itself only opened in 2004). The expiration rules
(:mod:`feeds.expirations`) are keyed on SPX option expirations (a Cboe Options matter, which follows the NYSE
holiday schedule), so XNYS is the better fit and is identical to XCBF over the whole VX history;
``tests/feeds/test_calendars.py`` asserts that agreement.

Dates outside ``SUPPORTED_START`` .. ``SUPPORTED_END``, and results that would need a holiday
lookup outside it, raise ``ValueError``.

CFE-only sessions
-----------------
CFE traded on two XNYS holidays in the VX data: 2015-04-03 (Good Friday, short session) and
2018-12-05 (national day of mourning). They are not sessions here; a VX feed aligned on
:func:`trading_days` drops those two bars.
"""

from __future__ import annotations

import datetime as dt
import warnings
from bisect import bisect_left
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from feeds import closures

if TYPE_CHECKING:
    import exchange_calendars as xcals

__all__ = [
    "CALENDAR_NAME",
    "SUPPORTED_END",
    "SUPPORTED_START",
    "build_exchange_calendar",
    "business_days_between",
    "is_trading_day",
    "next_trading_day",
    "previous_trading_day",
    "trading_days",
]

CALENDAR_NAME = "XNYS"
SUPPORTED_START = dt.date(1990, 1, 1)
SUPPORTED_END = dt.date(2035, 12, 31)

DateLike = dt.date | pd.Timestamp


def build_exchange_calendar(
    name: str = CALENDAR_NAME,
    start: dt.date = SUPPORTED_START,
    end: dt.date = SUPPORTED_END,
) -> xcals.ExchangeCalendar:
    """Return the ``exchange_calendars`` calendar ``name`` for ``start`` .. ``end``.

    exchange_calendars 4.13 calls ``Series.values`` on tz-aware data while building a calendar,
    which pandas 3.1 flags with a ``Pandas4Warning`` (an error under the project's pytest
    settings). pandas attributes it to its own module, so it is matched by message and silenced
    only while the calendar is being built.
    """
    import exchange_calendars as xcals

    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore",
            message=r"Series\.values returning an ndarray that drops timezone",
            category=DeprecationWarning,  # pandas.errors.Pandas4Warning subclasses it
        )
        return xcals.get_calendar(name, start=start.isoformat(), end=end.isoformat())


@lru_cache(maxsize=1)
def _sessions() -> np.ndarray:
    days = closures.sessions()
    days.setflags(write=False)
    return days


def to_date(value: DateLike, name: str) -> dt.date:
    if value is pd.NaT:
        raise ValueError(f"{name} is NaT; pass a datetime.date or pandas.Timestamp")
    if isinstance(value, dt.datetime):  # includes pandas.Timestamp; keep the wall-clock date
        value = value.date()
    elif not isinstance(value, dt.date):
        raise TypeError(
            f"{name} ({value!r}) must be a datetime.date or pandas.Timestamp, "
            f"not {type(value).__name__}"
        )
    if not SUPPORTED_START <= value <= SUPPORTED_END:
        raise ValueError(
            f"{name} ({value.isoformat()}) is outside the supported calendar range "
            f"{SUPPORTED_START.isoformat()}..{SUPPORTED_END.isoformat()}"
        )
    return value


def check_order(start: dt.date, end: dt.date, names: str) -> None:
    if start > end:
        first, second = names.split(",")
        raise ValueError(
            f"{first} ({start.isoformat()}) must not be after {second} ({end.isoformat()})"
        )


def _as_day(d: dt.date) -> np.datetime64:
    return np.datetime64(d, "D")


def _from_day(day: np.datetime64) -> dt.date:
    return day.astype(object)


# --- trading days ---------------------------------------------------------------------------------


def trading_days(start: DateLike, end: DateLike) -> pd.DatetimeIndex:
    """Return the sessions in ``[start, end]`` (both inclusive).

    Parameters
    ----------
    start, end : datetime.date or pandas.Timestamp
        Inclusive bounds; ``start`` must not be after ``end``.

    Returns
    -------
    pandas.DatetimeIndex
        Tz-naive, normalised to midnight, no ``freq``; empty if the range holds no session.
    """
    first, last = to_date(start, "start"), to_date(end, "end")
    check_order(first, last, "start,end")
    days = _sessions()
    lo = np.searchsorted(days, _as_day(first), side="left")
    hi = np.searchsorted(days, _as_day(last), side="right")
    return pd.DatetimeIndex(days[lo:hi].astype("datetime64[ns]"))


def is_trading_day(d: DateLike) -> bool:
    """Return True if ``d`` is an exchange session (not a weekend or holiday)."""
    day = _as_day(to_date(d, "d"))
    days = _sessions()
    i = np.searchsorted(days, day)
    return bool(i < days.size and days[i] == day)


def previous_trading_day(d: DateLike) -> dt.date:
    """Return the last session strictly before ``d``."""
    day = to_date(d, "d")
    i = int(np.searchsorted(_sessions(), _as_day(day), side="left")) - 1
    if i < 0:
        raise ValueError(
            f"no trading day before {day.isoformat()} within the supported calendar range "
            f"{SUPPORTED_START.isoformat()}..{SUPPORTED_END.isoformat()}"
        )
    return _from_day(_sessions()[i])


def next_trading_day(d: DateLike) -> dt.date:
    """Return the first session strictly after ``d``."""
    day = to_date(d, "d")
    days = _sessions()
    i = int(np.searchsorted(days, _as_day(day), side="right"))
    if i >= days.size:
        raise ValueError(
            f"no trading day after {day.isoformat()} within the supported calendar range "
            f"{SUPPORTED_START.isoformat()}..{SUPPORTED_END.isoformat()}"
        )
    return _from_day(days[i])


def business_days_between(a: DateLike, b: DateLike) -> int:
    """Return the number of sessions in ``[a, b)`` (``a`` included, ``b`` excluded).

    ``a`` must not be after ``b``; ``business_days_between(d, d) == 0``. This is the count used
    for the SPVXSP roll weights (dt, dr).
    """
    if type(a) is dt.date and type(b) is dt.date and SUPPORTED_START <= a <= b <= SUPPORTED_END:
        return _sessions_between(a, b)  # the common case, already valid: skip the checks below
    first, last = to_date(a, "a"), to_date(b, "b")
    check_order(first, last, "a,b")
    return _sessions_between(first, last)


_EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # datetime64[D] counts days from 1970-01-01


@lru_cache(maxsize=1)
def _session_ordinals() -> list[int]:
    """The sessions as ``date.toordinal()`` values, a plain list: counting sessions between two dates by bisection on
    it takes ~0.5 us, a numpy searchsorted of each converted date ~4 us (the trader counts the sessions to every
    listed VX contract each day)."""
    return (_sessions().astype(np.int64) + _EPOCH_ORDINAL).tolist()


def _sessions_between(first: dt.date, last: dt.date) -> int:
    days = _session_ordinals()
    return bisect_left(days, last.toordinal()) - bisect_left(days, first.toordinal())
