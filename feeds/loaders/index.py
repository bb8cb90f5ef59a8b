"""Daily index history (VIX, SPX, ...): Cboe's history layout and a generic OHLC CSV.

Layouts
-------
Cboe index history (:func:`load_cboe_index`)
    ``DATE,OPEN,HIGH,LOW,CLOSE`` as in Cboe's ``VIX_History.csv`` (dates ``MM/DD/YYYY``) or its
    mirrors with ISO dates. Early VIX history is close-only (OPEN = HIGH = LOW = CLOSE); such rows
    are kept, so an "open" taken from them is the close.
Generic OHLC (:func:`load_ohlc`)
    Any CSV with a date, open, high, low and close column; by default the columns are found by
    name, case-insensitively (``date``/``Date``/``DATE``, ...); ``columns`` maps other names, e.g.
    ``{"date": "Trade Date", "close": "Adj Close"}``. Extra columns are ignored.

Prices are rounded to cents on load (index levels are quoted in cents; some files carry float32 noise, e.g. the
SPX open 755.8400268 of ``../shared/data/spx_index_daily``).

Validation
----------
Errors (nothing is kept): missing column, bad date, text in a number, an empty close, dates not
increasing, a date twice. An open that is missing, not positive (Yahoo's SPX opens of 0 before
1982-04-20) or outside a consistent low..high (VIX 2006-02-08 opens at 41.60 with high 13.61) is
set to NaN and reported; the rest of the row is kept. Bad rows (reported in ``bad_rows``, never
used): a close, high or low that is missing or not positive, high/low not
bracketing open/close (e.g. VIX 1992-02-11), dates that are not exchange sessions (Cboe
publishes VIX on some holidays since 2022; 2004-06-11), and, for SPX and VIX, closes that break
the plausibility rules of :mod:`feeds.loaders.plausible` (range, unexplained jumps). Bad rows of
exchange sessions are also kept in ``rejected`` (each dated: ``BadRow.day``): a history cut there, or a window that
needs one of those days, names the row (:mod:`feeds.directory`): it is never silently shortened.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
import dataclasses
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from feeds import calendars
from feeds.loaders._table import BadRow, Table, check_sorted, read_table
from feeds.loaders.plausible import DEFAULT, Rules, index_reasons

__all__ = ["IndexHistory", "load_cboe_index", "load_cboe_value", "load_ohlc"]

FIELDS = ("date", "open", "high", "low", "close")


@dataclass(frozen=True)
class IndexHistory:
    """Usable daily OHLC rows of one index on exchange sessions, plus the rows left out."""

    name: str
    dates: pd.DatetimeIndex
    open: np.ndarray
    high: np.ndarray
    low: np.ndarray
    close: np.ndarray
    bad_rows: tuple[BadRow, ...] = ()
    files: tuple[tuple[str, str], ...] = ()
    rejected: tuple[BadRow, ...] = ()  # exchange sessions whose row is a bad row
    lines: np.ndarray | None = None  # each kept row's line in its file (None: not known)

    def without(self, reasons: Mapping[dt.date, str]) -> IndexHistory:
        """Return this history without the rows of the days in ``reasons``, each a bad row (rejected) with its reason:
        a check against another file (the VX settles) found them wrong."""
        drop = np.isin(self.dates.date, list(reasons))
        if not drop.any():
            return self
        file = self.files[0][0] if self.files else self.name
        bad = tuple(BadRow(file, int(self.lines[i]) if self.lines is not None else 0, reasons[self.dates[i].date()],
                           self.dates[i].date()) for i in np.flatnonzero(drop))
        keep = ~drop
        return dataclasses.replace(self, dates=self.dates[keep], open=self.open[keep], high=self.high[keep],
                                   low=self.low[keep], close=self.close[keep], bad_rows=self.bad_rows + bad,
                                   rejected=self.rejected + bad,
                                   lines=None if self.lines is None else self.lines[keep])

    def rejected_on(self, days: pd.DatetimeIndex) -> list[BadRow]:
        """Return the bad rows of ``days`` (sessions whose row was rejected, not absent)."""
        wanted = {d.date() for d in days}
        return [b for b in self.rejected if b.day in wanted]

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        return None if len(self.dates) == 0 else (self.dates[0].date(), self.dates[-1].date())

    def missing_sessions(self, start: dt.date, end: dt.date) -> pd.DatetimeIndex:
        """Return the exchange sessions in ``[start, end]`` without a usable row."""
        return calendars.trading_days(start, end).difference(self.dates)

    def column(self, field: str, dates: pd.DatetimeIndex) -> np.ndarray:
        """Return ``field`` on ``dates`` (NaN where there is no row)."""
        pos = self.dates.get_indexer(dates)
        values = getattr(self, field)
        return np.where(pos >= 0, values[np.maximum(pos, 0)], np.nan)


def load_cboe_index(path: Path | str, name: str = "VIX", rules: Rules = DEFAULT) -> IndexHistory:
    """Load a Cboe index history file (``DATE,OPEN,HIGH,LOW,CLOSE``)."""
    return _load(Path(path), name, {f: f.upper() for f in FIELDS}, rules)


def load_ohlc(path: Path | str, name: str = "SPX", columns: Mapping[str, str] | None = None,
              rules: Rules = DEFAULT) -> IndexHistory:
    """Load a generic daily OHLC CSV; ``columns`` maps ``date/open/high/low/close`` to file headers."""
    mapping = {f: f for f in FIELDS}
    unknown = set(columns or {}) - set(FIELDS)
    if unknown:
        raise ValueError(f"columns has unknown key(s) {sorted(unknown)}: map only {list(FIELDS)}")
    mapping.update(columns or {})
    return _load(Path(path), name, mapping, rules)


def load_cboe_value(path: Path | str, name: str, rules: Rules = DEFAULT) -> IndexHistory:
    """Load a one-value Cboe history (``DATE,<NAME>``, e.g. Cboe's ``SKEW_History.csv``); OHLC = the value."""
    path = Path(path)
    t = read_table(path, ("DATE", name))
    dates = t.dates("DATE")
    check_sorted(t, dates, "DATE", strict=True)
    v = t.numbers(name)
    reasons = np.where(~(v > 0), f"{name} is not positive", "").astype(object)
    implausible = index_reasons(name, dates, v, reasons == "", rules, ranged=reasons != "")
    reasons = np.where(implausible != "", implausible, reasons)
    keep = reasons == ""
    return IndexHistory(name, pd.DatetimeIndex(dates[keep].astype("datetime64[ns]")), v[keep], v[keep], v[keep],
                        v[keep], bad_rows=tuple(t.bad(i, str(reasons[i]), dates[i]) for i in np.flatnonzero(~keep)),
                        files=((path.name, t.sha256),))


def _load(path: Path, name: str, mapping: Mapping[str, str], rules: Rules) -> IndexHistory:
    t = read_table(path, tuple(mapping.values()))
    dates = t.dates(mapping["date"])
    check_sorted(t, dates, "date", strict=True)
    # index levels are quoted in cents: rounding drops the float32 noise some files carry (SPX 755.8400268)
    px = {f: np.round(t.numbers(mapping[f], required=(f == "close")), 2) for f in FIELDS[1:]}
    o, h, lo, c = (px[f] for f in FIELDS[1:])
    with np.errstate(invalid="ignore"):
        missing = ~(o > 0)
        outside = (lo <= c) & (c <= h) & ((o > h + 1e-9) | (o < lo - 1e-9)) & ~missing
    open_only = outside | missing
    notes = [t.bad(i, (f"{mapping['open']} {o[i]:g} outside {mapping['low']}..{mapping['high']} {lo[i]:g}..{h[i]:g}"
                       if outside[i] else f"{mapping['open']} {_missing(o[i])}")
                   + ": the open is not used, the rest of the row is (a run puts the previous close in an SPX open, "
                   "the close in a VIX open)", dates[i])
             for i in np.flatnonzero(open_only)]
    px["open"] = np.where(open_only, np.nan, o)
    reasons = _bad_reasons(t, dates, px, mapping, open_only)
    off_calendar = np.array([str(r).startswith(_OFF_CALENDAR) for r in reasons], dtype=bool)
    # a row bad by its values (unbracketed, not positive) whose close is absurd is implausible: --strict fails on it
    implausible = index_reasons(name, dates, c, reasons == "", rules, ranged=(reasons != "") & ~off_calendar)
    reasons = np.where(implausible != "", implausible, reasons)
    keep = reasons == ""
    rows = {i: t.bad(i, str(reasons[i]), dates[i]) for i in np.flatnonzero(~keep)}
    rejected = tuple(rows[i] for i in rows if not off_calendar[i])
    return IndexHistory(name, pd.DatetimeIndex(dates[keep].astype("datetime64[ns]")),
                        *(px[f][keep] for f in FIELDS[1:]), bad_rows=tuple(notes) + tuple(rows.values()),
                        files=((path.name, t.sha256),), rejected=rejected, lines=np.asarray(t.lines)[keep])


_OFF_CALENDAR = ("not an exchange", "outside the calendar")  # the reasons of rows that are not sessions


def _bad_reasons(t: Table, dates: np.ndarray, px: dict[str, np.ndarray], mapping: Mapping[str, str],
                 open_dropped: np.ndarray) -> np.ndarray:
    n = len(dates)
    reasons = np.full(n, "", dtype=object)
    if n == 0:
        return reasons
    o, h, lo, c = (px[f] for f in FIELDS[1:])
    lo_cal, hi_cal = (np.datetime64(d, "D") for d in (calendars.SUPPORTED_START, calendars.SUPPORTED_END))
    outside = (dates < lo_cal) | (dates > hi_cal)
    inside = dates[~outside]
    off = np.zeros(n, dtype=bool)
    if len(inside):
        sessions = calendars.trading_days(inside[0].astype(object), inside[-1].astype(object))
        off = ~np.isin(dates, sessions.values.astype("datetime64[D]")) & ~outside
    with np.errstate(invalid="ignore"):
        unbracketed = (h < np.maximum(o, c) - 1e-9) | (lo > np.minimum(o, c) + 1e-9)
    rules = [  # later rules overwrite earlier reasons
        (unbracketed, lambda i: f"high/low do not bracket open/close (O={o[i]:g} H={h[i]:g} L={lo[i]:g} C={c[i]:g})"),
        *((~(px[f] > 0) & ~open_dropped if f == "open" else ~(px[f] > 0),
           lambda i, f=f: f"{mapping[f]} {_missing(px[f][i])}")
          for f in ("low", "high", "open", "close")),
        (off, lambda i: "not an exchange session (XNYS); not used"),
        (outside, lambda i: f"outside the calendar range {calendars.SUPPORTED_START}..{calendars.SUPPORTED_END}; "
                            "not used"),
    ]
    for mask, why in rules:
        for i in np.flatnonzero(mask):
            reasons[i] = why(i)
    return reasons


def _missing(value: float) -> str:
    """Why a price is not used: an empty cell (``missing``) or a value that is not positive (shown)."""
    return "is missing (an empty cell)" if np.isnan(value) else f"is not positive ({value:g})"
