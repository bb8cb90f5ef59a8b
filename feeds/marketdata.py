"""Daily index history the market models are built on, validated once at load."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from feeds import calendars


class DataError(ValueError):
    """Market data is malformed, incomplete or inconsistent."""


@dataclass(frozen=True)
class MarketData:
    """Aligned daily SPX OHLC and VIX history on exchange sessions.

    ``vix_open`` is ``None`` when the source has VIX closes only; settlement then uses a
    named proxy (see :mod:`feeds.market`). ``files`` lists ``(name, sha256)`` of the sources. ``cut`` says why
    the history starts where it does when a source misses a session before it (a data directory's latest
    gap-free span, :meth:`feeds.directory.DataDirectory.market_data`), "" when nothing was cut; ``stop`` likewise why
    it ends where it does when a source goes on after it (sessions the other lacks or rejected there).
    """

    dates: pd.DatetimeIndex
    spx_open: np.ndarray
    spx_high: np.ndarray
    spx_low: np.ndarray
    spx_close: np.ndarray
    vix_close: np.ndarray
    vix_open: np.ndarray | None
    source: str
    files: tuple[tuple[str, str], ...] = ()
    cut: str = ""
    stop: str = ""
    #: runs of a frozen feed in the source files, (file, first, last, rows): feeds.staleopen.frozen_runs
    frozen: tuple[tuple[str, dt.date, dt.date, int], ...] = ()

    def __post_init__(self) -> None:
        n = len(self.dates)
        where = self.source
        if n < 2:
            raise DataError(f"{where}: need at least 2 daily rows, got {n}")
        if self.dates.tz is not None:
            raise DataError(f"{where}: dates are tz-aware ({self.dates.tz}); give tz-naive session dates "
                            "(dates.tz_localize(None))")
        off_midnight = self.dates != self.dates.normalize()
        if off_midnight.any():
            raise DataError(f"{where}: date {self.dates[int(np.argmax(off_midnight))]} carries a time of day; "
                            "give session dates at midnight (dates.normalize())")
        if self.dates.has_duplicates:
            dup = self.dates[self.dates.duplicated()].unique()
            raise DataError(f"{where}: duplicate dates {[d.date().isoformat() for d in dup[:5]]}: "
                            "drop the repeated rows")
        if not self.dates.is_monotonic_increasing:
            k = int(np.argmax(np.diff(self.dates.asi8) < 0)) + 1
            raise DataError(f"{where}: dates are not sorted: {self.dates[k].date()} comes after "
                            f"{self.dates[k - 1].date()}; sort the rows by date")
        for name in ("spx_open", "spx_high", "spx_low", "spx_close", "vix_close", "vix_open"):
            arr = getattr(self, name)
            if arr is None:
                continue
            if len(arr) != n:
                raise DataError(f"{where}: column {name} has {len(arr)} rows for {n} dates")
            bad = ~np.isfinite(arr) | (arr <= 0)
            if bad.any():
                i = int(np.argmax(bad))
                raise DataError(f"{where}: column {name} has a missing or non-positive value {float(arr[i])!r} "
                                f"on {self.dates[i].date()}: repair or drop that day in the source")
        bad = (self.spx_high < np.maximum(self.spx_open, self.spx_close) - 1e-9) | (
            self.spx_low > np.minimum(self.spx_open, self.spx_close) + 1e-9)
        if bad.any():
            i = int(np.argmax(bad))
            raise DataError(f"{where}: SPX high/low do not bracket open/close on {self.dates[i].date()} "
                            f"(O={self.spx_open[i]}, H={self.spx_high[i]}, L={self.spx_low[i]}, "
                            f"C={self.spx_close[i]}): fix that row")
        check_sessions(self.dates, where)

    @functools.cached_property
    def days(self) -> list[dt.date]:
        """The dates as ``datetime.date``, built once (a caller reading it per date, as the embedded market's history
        before the window did, cost 0.23 s of every run; review of session 12). Read-only by convention."""
        return list(self.dates.date)

    def window(self, start: dt.date, end: dt.date) -> "MarketData":
        """Return the rows with start <= date <= end."""
        mask = (self.dates >= pd.Timestamp(start)) & (self.dates <= pd.Timestamp(end))
        pick = lambda a: None if a is None else a[mask]  # noqa: E731
        return MarketData(self.dates[mask], pick(self.spx_open), pick(self.spx_high), pick(self.spx_low),
                          pick(self.spx_close), pick(self.vix_close), pick(self.vix_open),
                          self.source, self.files, cut=self.cut, stop=self.stop, frozen=self.frozen)


def check_sessions(dates: pd.DatetimeIndex, where: str) -> None:
    """Raise DataError when ``dates`` misses exchange sessions or holds non-sessions."""
    sessions = calendars.trading_days(dates[0].date(), dates[-1].date())
    missing = sessions.difference(dates)
    extra = dates.difference(sessions)
    if len(missing):
        raise DataError(f"{where}: {len(missing)} exchange session(s) missing between {dates[0].date()} and "
                        f"{dates[-1].date()}, first {[d.date().isoformat() for d in missing[:5]]}: "
                        "supply those days or shorten the window")
    if len(extra):
        raise DataError(f"{where}: rows on non-trading days {[d.date().isoformat() for d in extra[:5]]}: "
                        "drop them (weekends/exchange holidays)")
