"""Expiration rules of SPX monthly options and VX monthly futures, on the exchange's sessions (pure, no backtrader).

Dates go in and come out as in :mod:`feeds.sessions` (whose XNYS sessions decide the holiday moves);
:mod:`feeds.calendars` exports both.

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
"""

from __future__ import annotations

import calendar as _stdcal
import datetime as dt
import operator
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from types import MappingProxyType

from feeds.sessions import DateLike, check_order, is_trading_day, previous_trading_day, to_date

__all__ = [
    "VX_MONTH_CODES",
    "VX_SETTLEMENT_EXCEPTIONS",
    "VxContract",
    "front_vx_contract",
    "spx_monthly_expiration",
    "spx_monthly_expirations",
    "third_friday",
    "vx_contracts",
    "vx_settlement_date",
]

#: CFE/CME futures month letters, January .. December.
VX_MONTH_CODES = "FGHJKMNQUVXZ"

#: Observed final settlement dates that differ from the 30-day rule, keyed by contract (year, month).
#: Source: last (final-settlement) rows of CFE_N04_VX.csv and CFE_V04_VX.csv in the CFE archive.
VX_SETTLEMENT_EXCEPTIONS: Mapping[tuple[int, int], dt.date] = MappingProxyType(
    {(2004, 7): dt.date(2004, 7, 14), (2004, 10): dt.date(2004, 10, 13)}
)

_VX_DAYS_BEFORE_FRIDAY = 30
_FRIDAY = 4


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
    to_date(friday, f"third Friday of {year}-{month:02d}")
    if is_trading_day(friday):
        return friday
    return previous_trading_day(friday)


def spx_monthly_expirations(start: DateLike, end: DateLike) -> list[dt.date]:
    """Return the SPX monthly expirations falling in ``[start, end]``, in date order."""
    first, last = to_date(start, "start"), to_date(end, "end")
    check_order(first, last, "start,end")
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
    return _vx_settlement(*_year_month(year, month))


@lru_cache(maxsize=4096)
def _vx_settlement(year: int, month: int) -> dt.date:
    if (year, month) in VX_SETTLEMENT_EXCEPTIONS:
        return VX_SETTLEMENT_EXCEPTIONS[year, month]
    friday = third_friday(*_next_month(year, month))
    wednesday = friday - dt.timedelta(days=_VX_DAYS_BEFORE_FRIDAY)
    contract = f"VX {year}-{month:02d}"
    to_date(wednesday, f"{contract} settlement Wednesday")
    to_date(friday, f"{contract} reference third Friday")
    if is_trading_day(wednesday) and is_trading_day(friday):
        return wednesday
    return previous_trading_day(wednesday)


def is_vx_weekly_settlement(day: dt.date) -> bool:
    """Whether ``day`` can settle a VX weekly future: a Wednesday, or the trading day before a Wednesday that is, or
    whose Friday 30 days later is, an exchange holiday (the monthly's rule, :func:`vx_settlement_date`, read from the
    weekly's own Friday). Every weekly expiry of ../shared/data is one (2018-07-03 before July 4, 2015-11-24 thirty
    days before Christmas). Any Wednesday passes, a holiday too: the all-listed file dates 2024-02-28 (before Good
    Friday) and 2024-12-25 (Christmas) where its own ``tenor_trade_days`` count to the Tuesdays the rule gives (its
    ``plus1_tuesday_rule`` rows added a day; trial CAL34), and weeklies are loaded and counted, never traded, so
    their rows are kept as the file dates them: tests/feeds/test_loaders_vx.py."""
    if day.weekday() == 2:
        return True
    wednesday = day + dt.timedelta(days=(2 - day.weekday()) % 7)
    friday = wednesday + dt.timedelta(days=_VX_DAYS_BEFORE_FRIDAY)
    return not (is_trading_day(wednesday) and is_trading_day(friday)) and day == previous_trading_day(wednesday)


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
    first, last = to_date(start, "start"), to_date(end, "end")
    check_order(first, last, "start,end")
    contracts = (VxContract.for_month(y, m) for y, m in _months(first, last))
    return [c for c in contracts if first <= c.settlement <= last]


def front_vx_contract(d: DateLike, n: int = 1) -> VxContract:
    """Return the ``n``-th monthly VX contract whose settlement date is strictly after ``d``.

    ``n=1`` is the front month. On a settlement day the expiring contract is no longer the front
    (it stops trading at that morning's open), so ``front_vx_contract(settlement)`` returns the
    following month.
    """
    day = to_date(d, "d")
    if isinstance(n, bool) or operator.index(n) < 1:
        raise ValueError(f"n ({n!r}) must be a positive integer (1 = front month)")
    ym = (day.year, day.month)
    if vx_settlement_date(*ym) <= day:
        ym = _next_month(*ym)
    for _ in range(operator.index(n) - 1):
        ym = _next_month(*ym)
    return VxContract.for_month(*ym)


@lru_cache(maxsize=1 << 14)
def front_vx_month(day: dt.date) -> tuple[int, int]:
    """Return (year, month) of the front monthly VX contract on ``day``: the first not yet settled
    (:func:`front_vx_contract`'s month; a VX future's margin goes by it, :func:`vixhedge.core.margin.vx_margin`)."""
    if vx_settlement_date(day.year, day.month) > day:
        return day.year, day.month
    return day.year + day.month // 12, day.month % 12 + 1
