"""SPX opens that repeat the previous session's close ("stale" opens), where AM-settled SPX options settle on them.

A monthly SPX option settles on the Special Opening Quotation of its expiry day (SET); the backtester's proxy is the
SPX open of that day (:meth:`feeds.market.Market.settlement_value`). Some histories did not record the open: the
file repeats the previous close instead. In ``../shared/data/spx_index_daily/SPX_daily_combined_1927_2026.csv.gz``
(Yahoo rows to 2023) the open equals the previous session's close, to the cent, on 95-98% of the sessions of
1996-2005, 43% in 2006, 15% in 2007, ~1% in 2008-2010, 9% in 2011, ~25% in 2012-2013, ~0% since 2014; 87 of the 320
SPX monthly expiries 2000-01..2026-08 (e.g. 2007-03-16, 2012-10-19, 2013-04-19): :func:`stale_by_year`.

No better proxy is adopted: measured on the sessions whose open is real, in the years where stale opens are partial
(2006-2007 and 2011-2013, 958 sessions: :data:`PROXY_ERROR`), the real open is 5.4 bp from the previous close on
average (median 1.8 bp, 95th percentile 22.7 bp), while (open+high+low+close)/4 on a stale row (the open repeating
the previous close, high/low widened to it, as the stale rows have them: the previous close lies inside the day's
range on every stale session since 2000) is 35.1 bp off (median 24.5 bp). In the same test on 2008-2010 and
2014-2018 (in sample) the previous close was also the best of the previous close, (O+H+L+C)/4, (H+L)/2, (H+L+C)/3 and
0.75 previous close + 0.25 close; since 2019 overnight gaps are wider (38 bp mean from the previous close), but no
stale open remains there. So a stale open is kept as the settlement (it is the previous close, the best proxy
measured) and said: ``vixhedge data check`` counts stale opens by year (a warning, the rows are used) and a run
whose SPX options settled on stale opens notes those expiries (:func:`stale_expiry_note`, from the desk's
settlements, via :func:`feeds.provenance.data_provenance`: the data line of the console summary and report.html,
metrics.json ``data_provenance.notes``). The measurement, in bp of the real open (cents) on those sessions:
``python -m feeds.staleopen_measure --data-dir ../shared/data`` (:mod:`feeds.staleopen_measure`); its figures are
kept in :data:`PROXY_ERROR` (a realdata test compares them).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

import numpy as np
import pandas as pd

from feeds import calendars

__all__ = ["FROZEN_ROWS", "PROXY_ERROR", "frozen_runs", "frozen_text", "stale_by_year", "stale_expiry_note", "stale_mask"]

#: a frozen feed: this many consecutive rows or more with the same open, high, low and close (a feed that stopped
#: updating, a day's row copied over the next ones). Real closes repeat now and then, a whole OHLC on three sessions
#: in a row does not: none in ../shared/data's SPX (1927-2026) nor VIX (1990-2026) files (tests/feeds/test_check.py)
FROZEN_ROWS = 3

#: the measured error of the previous close as a proxy of the real open, in bp of it: ``python -m
#: feeds.staleopen_measure`` (the module docstring)
PROXY_ERROR = {"sessions": 958, "years": "2006-2007, 2011-2013", "mean_bp": 5.4, "median_bp": 1.8, "p95_bp": 22.7}
_SHOW = 6


def stale_mask(open_: np.ndarray, close: np.ndarray) -> np.ndarray:
    """Return, per row, True where the open equals the previous row's close to the cent (the first row: False)."""
    o, c = np.round(np.asarray(open_, dtype=np.float64), 2), np.round(np.asarray(close, dtype=np.float64), 2)
    out = np.zeros(len(o), dtype=bool)
    out[1:] = o[1:] == c[:-1]
    return out


def frozen_runs(dates: pd.DatetimeIndex, open_: np.ndarray, high: np.ndarray, low: np.ndarray,
                close: np.ndarray) -> list[tuple[dt.date, dt.date, int]]:
    """Return the runs of :data:`FROZEN_ROWS` or more consecutive rows with an identical open, high, low and close,
    as (first, last date, rows); the rows are kept (a note, not an error: the values may be real, though unlikely)."""
    px = np.column_stack([open_, high, low, close]).astype(np.float64)
    same = np.zeros(len(px), dtype=bool)
    same[1:] = (px[1:] == px[:-1]).all(axis=1)  # NaN (a dropped open) never equals
    days = pd.DatetimeIndex(dates)
    out, i = [], 1
    while i < len(px):
        if not same[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(px) and same[j + 1]:
            j += 1
        if j - i + 2 >= FROZEN_ROWS:
            out.append((days[i - 1].date(), days[j].date(), j - i + 2))
        i = j + 1
    return out


def frozen_text(runs: list[tuple[dt.date, dt.date, int]], limit: int, more: str = ", ...") -> str:
    """Return the first ``limit`` :func:`frozen_runs` as ``first..last (n rows)``, joined by ", ", then ``more`` when
    some are left out (``{n}`` in it is replaced by their count)."""
    text = ", ".join(f"{a}..{b} ({n} rows)" for a, b, n in runs[:limit])
    return text + (more.replace("{n}", str(len(runs) - limit)) if len(runs) > limit else "")


def stale_by_year(dates: pd.DatetimeIndex, open_: np.ndarray, close: np.ndarray) -> dict[int, tuple[int, int]]:
    """Return ``{year: (stale opens, sessions)}`` for the years with at least one stale open."""
    stale = stale_mask(open_, close)
    years = pd.DatetimeIndex(dates).year.to_numpy()
    return {int(y): (int(stale[years == y].sum()), int((years == y).sum())) for y in np.unique(years[stale])}


def stale_expiries(days: list[dt.date], open_: np.ndarray, close: np.ndarray, start: dt.date,
                   end: dt.date) -> list[dt.date]:
    """Return the SPX monthly expiries in ``start..end`` (sessions of ``days``) whose open is stale."""
    stale = stale_mask(open_, close)
    index = {d: i for i, d in enumerate(days)}
    return [e for e in calendars.spx_monthly_expirations(start, end) if e in index and stale[index[e]]]


def stale_expiry_note(market, start: dt.date, end: dt.date, settled: Collection[dt.date]) -> str:
    """A data note naming the SPX monthly expiries of ``start..end`` the run's SPX options settled on (``settled``:
    their expiry dates, from the desk's settlements) whose open is stale ("" if none): an expiry of the window
    no position settled on is not the run's concern."""
    d = market.data
    hit = [e for e in stale_expiries(list(market.days), d.spx_open, d.spx_close, start, end) if e in settled]
    if not hit:
        return ""
    shown = ", ".join(str(e) for e in hit[:_SHOW]) + (f" and {len(hit) - _SHOW} more" if len(hit) > _SHOW else "")
    e = PROXY_ERROR
    n = len(hit)
    return (f"SPX file: {n} SPX monthly expir{'ies' if n != 1 else 'y'} this run's SPX options settled on "
            f"({start}..{end}) open{'s' * (n == 1)} on the previous session's close (a stale open: the file did not "
            f"record the open): {shown}; they settled on it, i.e. on the previous close. Its measured error as a "
            f"proxy of the real open: {e['mean_bp']} bp on average, {e['p95_bp']} bp at the 95th percentile "
            f"({e['sessions']} sessions of {e['years']} with real opens; feeds/staleopen.py); no proxy measured "
            "better, `vixhedge data check` counts stale opens by year")
