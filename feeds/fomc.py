"""FOMC announcement calendar: the packaged 2000-2026 default, a CSV loader and window masks.

Scheduled FOMC decisions are published by the Federal Reserve well ahead of the meetings, so a
backtest may know the next scheduled announcement date before it happens: a window that opens
``days_before`` sessions ahead of it is not look-ahead. Intermeeting (unscheduled) actions are not
known in advance; the loader drops them unless asked, and they must never open a window before
their own date.

The default is the packaged schedule 2000-2026 (:mod:`feeds.events`). ``SCHEDULED_2014_2018``, kept
as a cross-check of that file, lists the eight scheduled announcement dates of each year 2014-2018 (the
second day of two-day meetings), as published on the Federal Reserve Board's "Meeting calendars,
statements, and minutes" pages (https://www.federalreserve.gov/monetarypolicy/fomccalendars.htm and
the historical pages fomchistoricalYYYY.htm). Written here from that public schedule.
"""

from __future__ import annotations

import datetime as dt
import enum
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pandas as pd

from feeds import calendars
from feeds.layout import missing_file
from feeds.loaders._table import LoadError, read_table
from feeds.marketdata import DataError

__all__ = [
    "SCHEDULED_2014_2018",
    "Announcement",
    "FomcError",
    "coverage",
    "default_calendar",
    "load_csv",
    "window_mask",
]


class FomcError(DataError):
    """An FOMC calendar file is malformed, or a window does not fit the calendar (a DataError, a ValueError)."""


class Announcement(enum.StrEnum):
    SCHEDULED = "scheduled"
    INTERMEETING = "intermeeting"


#: the ``type`` values read (in any case): an intermeeting action is also called unscheduled (the Fed's own word, and
#: the shared data's fomc_actions file's "Unscheduled FOMC" column)
TYPES = {"scheduled": Announcement.SCHEDULED, "intermeeting": Announcement.INTERMEETING,
         "unscheduled": Announcement.INTERMEETING}


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


# Federal Reserve Board, FOMC meeting calendars 2014-2018 (statement release dates).
SCHEDULED_2014_2018: tuple[dt.date, ...] = tuple(_d(s) for s in (
    "2014-01-29", "2014-03-19", "2014-04-30", "2014-06-18", "2014-07-30", "2014-09-17", "2014-10-29", "2014-12-17",
    "2015-01-28", "2015-03-18", "2015-04-29", "2015-06-17", "2015-07-29", "2015-09-17", "2015-10-28", "2015-12-16",
    "2016-01-27", "2016-03-16", "2016-04-27", "2016-06-15", "2016-07-27", "2016-09-21", "2016-11-02", "2016-12-14",
    "2017-02-01", "2017-03-15", "2017-05-03", "2017-06-14", "2017-07-26", "2017-09-20", "2017-11-01", "2017-12-13",
    "2018-01-31", "2018-03-21", "2018-05-02", "2018-06-13", "2018-08-01", "2018-09-26", "2018-11-08", "2018-12-19",
))


def default_calendar() -> tuple[dt.date, ...]:
    """Return the packaged scheduled announcement dates 2000-2026 (:mod:`feeds.events`; eight a year, seven in 2020)."""
    from feeds import events

    return events.dates(("fomc",))


REQUIRED_COLUMNS = ("announcement_date", "type")


def load_csv(path: str | Path, *, include_intermeeting: bool = False) -> tuple[dt.date, ...]:
    """Load announcement dates from a CSV with columns ``announcement_date`` and ``type``.

    The layout is that of ``fomc_announcements_2000_2027.csv`` (columns ``announcement_date,
    type, detail, statement_time_et, source``; ``type`` is ``scheduled`` or ``intermeeting``, also spelt
    ``unscheduled``, in any case: :data:`TYPES`); extra columns are ignored. Dates are ISO ``YYYY-MM-DD``. The file
    is read as every loader reads a CSV (:func:`feeds.loaders._table.read_table`: UTF-8, whole, each row with the
    header's fields); a data directory's calendar folder reads its announcements file here too
    (:func:`feeds.events.derive`).

    Parameters
    ----------
    path : str or Path
        The CSV file.
    include_intermeeting : bool
        Keep intermeeting actions too. Off by default: they are not known in advance.

    Returns
    -------
    tuple of datetime.date
        Sorted, unique announcement dates.

    Raises
    ------
    FomcError
        Naming the file, the row and the fix when a column is missing, a date or type is invalid,
        or a date repeats.
    """
    given = str(path)
    path = Path(path)
    if not path.exists():
        raise FomcError(missing_file("FOMC calendar", "hedge.fomc.calendar_csv", given, "a data directory's "
                                     "calendar folder, else the packaged 2000-2026 schedule"))
    try:  # read as every loader reads a CSV: UTF-8, whole, a header's field count (review of session 13)
        table = read_table(path, REQUIRED_COLUMNS)
    except LoadError as exc:
        raise FomcError(str(exc)) from None
    out: list[dt.date] = []
    for j, (text, kind) in enumerate(zip(table.text("announcement_date"), table.text("type"))):
        line = int(table.lines[j])
        kind = TYPES.get(kind.strip().lower())
        if kind is None:
            raise FomcError(f"{path}, line {line}: type {table.text('type')[j]!r} is not one of "
                            f"{sorted(set(TYPES))} (read in any case)")
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise FomcError(f"{path}, line {line}: announcement_date {text!r} is not a YYYY-MM-DD date: fix the "
                            "row") from None
        if day in out:
            raise FomcError(f"{path}, line {line}: announcement_date {day} repeats: drop the duplicate row")
        if kind is Announcement.SCHEDULED or include_intermeeting:
            out.append(day)
    if not out:
        raise FomcError(f"{path} holds no scheduled announcement: it gives no FOMC date (its rows' type: "
                        "scheduled, or intermeeting, which is not known in advance)")
    return tuple(sorted(out))


def window_mask(dates: pd.DatetimeIndex | npt.ArrayLike, announcements: tuple[dt.date, ...],
                days_before: int, days_after: int) -> npt.NDArray[np.bool_]:
    """Return True on the sessions within ``days_before`` .. ``days_after`` sessions of an announcement.

    Offsets count exchange sessions (trading days, not calendar days; also past the ends of
    ``dates``): the announcement's own session is offset 0; an announcement on a non-session date
    counts from the next session.

    Raises
    ------
    FomcError
        If a count is negative.
    """
    for name, v in (("days_before", days_before), ("days_after", days_after)):
        if isinstance(v, bool) or not isinstance(v, (int, np.integer)) or v < 0:
            raise FomcError(f"fomc {name} ({v!r}) must be a whole number of sessions >= 0")
    days = pd.DatetimeIndex(dates).values.astype("datetime64[D]")
    out = np.zeros(days.size, dtype=np.bool_)
    margin = np.timedelta64(2 * max(days_before, days_after) + 10, "D")
    if not days.size:
        return out
    ann = np.array([np.datetime64(a, "D") for a in announcements], dtype="datetime64[D]")
    ann = ann[(ann >= days[0] - margin) & (ann <= days[-1] + margin)]
    if not ann.size:
        return out
    first, last = min(days[0], ann[0]).item(), max(days[-1], ann[-1]).item()
    sessions = calendars.trading_days(first, last).values.astype("datetime64[D]")
    ordinal = np.searchsorted(sessions, days)  # session count from ``first``: offsets span gaps past the data
    for k in np.searchsorted(sessions, ann):  # a non-session announcement counts from the next session
        out |= (ordinal >= k - days_before) & (ordinal <= k + days_after)
    return out


def coverage(announcements: tuple[dt.date, ...]) -> tuple[dt.date, dt.date]:
    """Return the span the calendar covers: 1 January of its first year to 31 December of its last."""
    from feeds import events

    span = events.coverage(announcements)
    if span is None:
        raise FomcError("an empty FOMC calendar covers no year: give at least one announcement date")
    return span
