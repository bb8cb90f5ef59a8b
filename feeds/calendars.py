"""Exchange calendar and expiration rules for SPX options and VIX futures.

Pure module (no backtrader). Dates go in as ``datetime.date`` (``datetime.datetime`` and
``pandas.Timestamp`` are accepted and reduced to their wall-clock date) and come out as
``datetime.date``, except :func:`trading_days`, which returns a ``pandas.DatetimeIndex``.

Holiday calendar
----------------
Sessions come from ``exchange_calendars`` calendar ``"XNYS"`` (NYSE) for ``SUPPORTED_START`` ..
``SUPPORTED_END``, shipped as its closures (``feeds/calendar_data/xnys_closures.csv``: the weekdays that are
not sessions, and the calendar's ad-hoc closures), because building the calendar costs 0.5-0.9 s of every
run; ``tests/feeds/test_calendars.py`` asserts the file equals what exchange_calendars computes (rewrite it
with :func:`feeds.closures.write_closures` when exchange_calendars adds a closure). ``exchange_calendars`` also ships ``"XCBF"``
(Cboe Futures Exchange). Over 1990-2035 the two differ only on 2001-09-11 .. 2001-09-14, which XCBF
lists as sessions although Cboe was shut with the NYSE after 9/11 (CFE itself only opened in 2004).
The rules here are keyed on SPX option expirations (a Cboe Options matter, which follows the NYSE
holiday schedule), so XNYS is the better fit and is identical to XCBF over the whole VX history;
``tests/feeds/test_calendars.py`` asserts that agreement.

Dates outside ``SUPPORTED_START`` .. ``SUPPORTED_END``, and results that would need a holiday
lookup outside it, raise ``ValueError``.

Rules (see MARKET_RULES.md)
---------------------------
* SPX monthly (root SPX, AM-settled): third Friday of the month; if that Friday is a holiday, the
  trading day before it (the Thursday in every case in range, e.g. 2014-04-17, 2026-06-18).
* VX monthly final settlement for contract month (y, m): the Wednesday 30 calendar days before the
  raw third Friday of month m + 1. If that Wednesday or that Friday is a holiday, the trading day
  before the Wednesday (e.g. VX Mar 2014 -> Tue 2014-03-18, Good Friday 2014-04-18). The rule is
  applied to any month in range; contracts before May 2004 (first listing 2004-03-26) are
  hypothetical. Weekly VX contracts are not modelled.
* Exceptions: the CFE archive files show two early contracts settling one week before the rule
  date, on the Wednesday before their own month's third Friday: VXN04 on 2004-07-14 (rule:
  07-21) and VXV04 on 2004-10-13 (rule: 10-20). They are kept in ``VX_SETTLEMENT_EXCEPTIONS``.
  Every other listed monthly contract 2004-2024 in the project data follows the rule.

CFE-only sessions
-----------------
CFE traded on two XNYS holidays in the VX data: 2015-04-03 (Good Friday, short session) and
2018-12-05 (national day of mourning). They are not sessions here; a VX feed aligned on
:func:`trading_days` drops those two bars.
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import operator
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType
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
    "VX_MONTH_CODES",
    "VX_SETTLEMENT_EXCEPTIONS",
    "VxContract",
    "build_exchange_calendar",
    "business_days_between",
    "front_vx_contract",
    "is_trading_day",
    "next_trading_day",
    "previous_trading_day",
    "spx_monthly_expiration",
    "spx_monthly_expirations",
    "third_friday",
    "trading_days",
    "vx_contracts",
    "vx_settlement_date",
]

CALENDAR_NAME = "XNYS"
SUPPORTED_START = dt.date(1990, 1, 1)
SUPPORTED_END = dt.date(2035, 12, 31)

#: CFE/CME futures month letters, January .. December.
VX_MONTH_CODES = "FGHJKMNQUVXZ"

#: Observed final settlement dates that differ from the 30-day rule, keyed by contract (year, month).
#: Source: last (final-settlement) rows of CFE_N04_VX.csv and CFE_V04_VX.csv in the CFE archive.
VX_SETTLEMENT_EXCEPTIONS: Mapping[tuple[int, int], dt.date] = MappingProxyType(
    {(2004, 7): dt.date(2004, 7, 14), (2004, 10): dt.date(2004, 10, 13)}
)

_VX_DAYS_BEFORE_FRIDAY = 30
_FRIDAY = 4

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


def _to_date(value: DateLike, name: str) -> dt.date:
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


def _check_order(start: dt.date, end: dt.date, names: str) -> None:
    if start > end:
        first, second = names.split(",")
        raise ValueError(
            f"{first} ({start.isoformat()}) must not be after {second} ({end.isoformat()})"
        )


def _year_month(year: int, month: int) -> tuple[int, int]:
    if isinstance(year, bool) or isinstance(month, bool):
        raise TypeError(f"year ({year!r}) and month ({month!r}) must be integers, not bool")
    year, month = operator.index(year), operator.index(month)
    if not 1 <= month <= 12:
        raise ValueError(f"month ({month}) must be in 1..12")
    if not dt.MINYEAR <= year <= dt.MAXYEAR - 1:
        raise ValueError(f"year ({year}) must be in {dt.MINYEAR}..{dt.MAXYEAR - 1}")
    return year, month


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def _months(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    out = []
    ym = (first.year, first.month)
    while ym <= (last.year, last.month):
        out.append(ym)
        ym = _next_month(*ym)
    return out


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
    first, last = _to_date(start, "start"), _to_date(end, "end")
    _check_order(first, last, "start,end")
    days = _sessions()
    lo = np.searchsorted(days, _as_day(first), side="left")
    hi = np.searchsorted(days, _as_day(last), side="right")
    return pd.DatetimeIndex(days[lo:hi].astype("datetime64[ns]"))


def is_trading_day(d: DateLike) -> bool:
    """Return True if ``d`` is an exchange session (not a weekend or holiday)."""
    day = _as_day(_to_date(d, "d"))
    days = _sessions()
    i = np.searchsorted(days, day)
    return bool(i < days.size and days[i] == day)


def previous_trading_day(d: DateLike) -> dt.date:
    """Return the last session strictly before ``d``."""
    day = _to_date(d, "d")
    i = int(np.searchsorted(_sessions(), _as_day(day), side="left")) - 1
    if i < 0:
        raise ValueError(
            f"no trading day before {day.isoformat()} within the supported calendar range "
            f"{SUPPORTED_START.isoformat()}..{SUPPORTED_END.isoformat()}"
        )
    return _from_day(_sessions()[i])


def next_trading_day(d: DateLike) -> dt.date:
    """Return the first session strictly after ``d``."""
    day = _to_date(d, "d")
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
    first, last = _to_date(a, "a"), _to_date(b, "b")
    _check_order(first, last, "a,b")
    return _sessions_between(first, last)


@lru_cache(maxsize=1 << 16)
def _sessions_between(first: dt.date, last: dt.date) -> int:
    days = _sessions()
    lo = np.searchsorted(days, _as_day(first), side="left")
    hi = np.searchsorted(days, _as_day(last), side="left")
    return int(hi - lo)


# --- SPX monthly expirations ----------------------------------------------------------------------


def third_friday(year: int, month: int) -> dt.date:
    """Return the third Friday of ``year``-``month``, ignoring holidays."""
    year, month = _year_month(year, month)
    first_weekday = _stdcal.weekday(year, month, 1)
    return dt.date(year, month, 1 + (_FRIDAY - first_weekday) % 7 + 14)


def spx_monthly_expiration(year: int, month: int) -> dt.date:
    """Return the expiration date of the standard (AM-settled, root SPX) monthly SPX options.

    The third Friday, or the trading day before it when that Friday is an exchange holiday
    (e.g. 2014-04-17 for Good Friday 2014-04-18, 2026-06-18 for Juneteenth 2026-06-19).
    """
    return _spx_monthly(*_year_month(year, month))


@lru_cache(maxsize=4096)
def _spx_monthly(year: int, month: int) -> dt.date:
    friday = third_friday(year, month)
    _to_date(friday, f"third Friday of {year}-{month:02d}")
    if is_trading_day(friday):
        return friday
    return previous_trading_day(friday)


def spx_monthly_expirations(start: DateLike, end: DateLike) -> list[dt.date]:
    """Return the SPX monthly expirations falling in ``[start, end]``, in date order."""
    first, last = _to_date(start, "start"), _to_date(end, "end")
    _check_order(first, last, "start,end")
    expirations = (spx_monthly_expiration(y, m) for y, m in _months(first, last))
    return [e for e in expirations if first <= e <= last]


# --- VX monthly futures ---------------------------------------------------------------------------


def vx_settlement_date(year: int, month: int) -> dt.date:
    """Return the final settlement date of the VX monthly future for contract month ``year``-``month``.

    The Wednesday 30 calendar days before the (raw) third Friday of the following month; if that
    Wednesday or that Friday is an exchange holiday, the trading day before the Wednesday.
    Expiring contracts stop trading at the open of this day (settlement on the VIX SOQ).
    The two observed exceptions in ``VX_SETTLEMENT_EXCEPTIONS`` (July and October 2004) are
    returned as observed.

    Raises
    ------
    ValueError
        If the Wednesday or the Friday lies outside the supported calendar range.
    """
    year, month = _year_month(year, month)
    if (year, month) in VX_SETTLEMENT_EXCEPTIONS:
        return VX_SETTLEMENT_EXCEPTIONS[year, month]
    friday = third_friday(*_next_month(year, month))
    wednesday = friday - dt.timedelta(days=_VX_DAYS_BEFORE_FRIDAY)
    contract = f"VX {year}-{month:02d}"
    _to_date(wednesday, f"{contract} settlement Wednesday")
    _to_date(friday, f"{contract} reference third Friday")
    if is_trading_day(wednesday) and is_trading_day(friday):
        return wednesday
    return previous_trading_day(wednesday)


@dataclass(frozen=True, slots=True, order=True)
class VxContract:
    """A monthly VX futures contract.

    Attributes
    ----------
    year, month : int
        Contract month (the month in which the contract settles).
    settlement : datetime.date
        Final settlement date, as given by :func:`vx_settlement_date`.
    """

    year: int
    month: int
    settlement: dt.date

    def __post_init__(self) -> None:
        _year_month(self.year, self.month)
        if not isinstance(self.settlement, dt.date) or isinstance(self.settlement, dt.datetime):
            raise TypeError(
                f"VxContract.settlement ({self.settlement!r}) must be a datetime.date"
            )

    @classmethod
    def for_month(cls, year: int, month: int) -> VxContract:
        """Return the contract for ``year``-``month`` with its computed settlement date."""
        return cls(year=year, month=month, settlement=vx_settlement_date(year, month))

    @property
    def code(self) -> str:
        """Return the CFE-style code: "VX" + month letter + 2-digit year, e.g. "VXG18"."""
        return f"VX{VX_MONTH_CODES[self.month - 1]}{self.year % 100:02d}"

    def __str__(self) -> str:
        return f"{self.code} (settles {self.settlement.isoformat()})"


def vx_contracts(start: DateLike, end: DateLike) -> list[VxContract]:
    """Return every monthly VX contract whose settlement date lies in ``[start, end]``.

    Ordered by settlement date. A contract month's settlement always falls inside that month,
    so only the months of ``start`` .. ``end`` are examined.
    """
    first, last = _to_date(start, "start"), _to_date(end, "end")
    _check_order(first, last, "start,end")
    contracts = (VxContract.for_month(y, m) for y, m in _months(first, last))
    return [c for c in contracts if first <= c.settlement <= last]


def front_vx_contract(d: DateLike, n: int = 1) -> VxContract:
    """Return the ``n``-th monthly VX contract whose settlement date is strictly after ``d``.

    ``n=1`` is the front month. On a settlement day the expiring contract is no longer the front
    (it stops trading at that morning's open), so ``front_vx_contract(settlement)`` returns the
    following month.
    """
    day = _to_date(d, "d")
    if isinstance(n, bool) or operator.index(n) < 1:
        raise ValueError(f"n ({n!r}) must be a positive integer (1 = front month)")
    ym = (day.year, day.month)
    if vx_settlement_date(*ym) <= day:
        ym = _next_month(*ym)
    for _ in range(operator.index(n) - 1):
        ym = _next_month(*ym)
    return VxContract.for_month(*ym)
