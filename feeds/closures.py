"""XNYS closures, shipped: what :mod:`feeds.calendars` reads instead of building the exchange calendar.

Building ``exchange_calendars``' XNYS calendar costs 0.5-0.9 s, and a run built it twice (sessions, and the
ad-hoc closures of the VX constant-maturity index days). ``feeds/calendar_data/xnys_closures.csv`` holds what
the calendar says: every weekday of ``SUPPORTED_START`` .. ``SUPPORTED_END`` that is not a session (``holiday``)
and the calendar's ad-hoc (unscheduled) closures of any year (``adhoc``). ``tests/feeds/test_calendars.py``
asserts the file equals what exchange_calendars computes; when it adds a closure, run :func:`write_closures`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

CLOSURES_FILE = Path(__file__).with_name("calendar_data") / "xnys_closures.csv"


def _weekdays() -> np.ndarray:
    from feeds.calendars import SUPPORTED_END, SUPPORTED_START

    days = np.arange(np.datetime64(SUPPORTED_START), np.datetime64(SUPPORTED_END) + np.timedelta64(1, "D"))
    return days[np.is_busday(days)]


def closures_table() -> pd.DataFrame:
    """Return XNYS's closures from exchange_calendars: ``date`` (ISO) and ``kind`` (``holiday`` | ``adhoc``)."""
    from feeds.calendars import build_exchange_calendar

    cal = build_exchange_calendar()
    closed = np.setdiff1d(_weekdays(), cal.sessions.values.astype("datetime64[D]"))
    adhoc = np.unique(np.array([d.date() for d in cal.adhoc_holidays], dtype="datetime64[D]"))
    dates = np.union1d(closed, adhoc)
    return pd.DataFrame({"date": dates.astype(str), "kind": np.where(np.isin(dates, adhoc), "adhoc", "holiday")})


def write_closures() -> Path:
    """Rewrite :data:`CLOSURES_FILE` from exchange_calendars; return its path."""
    import importlib.metadata

    from feeds.calendars import SUPPORTED_END, SUPPORTED_START

    head = (f"# XNYS closures from exchange_calendars {importlib.metadata.version('exchange_calendars')} "
            f"(feeds.closures.write_closures): weekdays {SUPPORTED_START}..{SUPPORTED_END} that are not sessions, "
            "and the calendar's ad-hoc closures\n")
    CLOSURES_FILE.write_text(head + closures_table().to_csv(index=False, lineterminator="\n"), encoding="utf-8")
    return CLOSURES_FILE


#: why the NYSE closed on its unscheduled (ad-hoc) closures since 1990, in the words a rejected row cites
ADHOC_WHY = {
    "1994-04-27": "national day of mourning for President Richard Nixon",
    **dict.fromkeys(("2001-09-11", "2001-09-12", "2001-09-13", "2001-09-14"), "the September 11 attacks"),
    "2004-06-11": "national day of mourning for President Ronald Reagan",
    "2007-01-02": "national day of mourning for President Gerald Ford",
    **dict.fromkeys(("2012-10-29", "2012-10-30"), "Hurricane Sandy"),
    "2018-12-05": "national day of mourning for President George H. W. Bush",
    "2025-01-09": "national day of mourning for President Jimmy Carter",
}


def adhoc_words(day) -> str:
    """Return "an unscheduled closure of the NYSE (markets closed: <why>)" for an ad-hoc closure, else ""."""
    key = str(np.datetime64(day, "D"))
    if not np.isin(np.datetime64(key), adhoc()):
        return ""
    why = ADHOC_WHY.get(key)
    return "an unscheduled closure of the NYSE" + (f" (markets closed: {why})" if why else "")


@lru_cache(maxsize=1)
def _read() -> tuple[np.ndarray, np.ndarray]:
    table = pd.read_csv(CLOSURES_FILE, comment="#")
    return table["date"].to_numpy().astype("datetime64[D]"), table["kind"].to_numpy() == "adhoc"


def sessions() -> np.ndarray:
    """Return the XNYS sessions of the supported range: its weekdays minus the shipped closures."""
    return np.setdiff1d(_weekdays(), _read()[0])


def adhoc() -> np.ndarray:
    """Return the XNYS ad-hoc (unscheduled) closures, sorted, read-only."""
    dates, is_adhoc = _read()
    out = dates[is_adhoc]
    out.setflags(write=False)
    return out
