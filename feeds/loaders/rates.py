"""Short-rate series for option pricing and cash interest: FRED CSV files, and the shipped monthly series.

FRED CSV layout (``fred.stlouisfed.org/graph/fredgraph.csv?id=DFF``): two columns, a date (``DATE``,
``observation_date`` or ``date``; ``YYYY-MM-DD``) and the value in percent per annum (the series id,
e.g. ``DFF`` / ``DTB3``, or ``value`` as in ``../shared/data/us_short_rates``). FRED writes ``.`` for a
day without a value (a holiday of a business-day series): those rows are skipped and listed in
``bad_rows``. Dates must be strictly increasing; a value outside -5..30 % is an error naming the line. A file in
fractions (0.0525 for 5.25 %) is an error too: over the months the shipped DFF means cover (below) its values
average less than 1/20 of theirs (:data:`FRACTION_RATIO`; a percent file of another short rate, e.g. DTB3 in
2011-2015, averages about 0.4 of DFF's there, a fraction file 0.01, in the zero-rate years too). Months at exactly 0
(in either) are left out of both averages: zero reads the same in percent and in fractions.

An isolated in-and-out spike is a bad row too (``implausible rate ...``, listed in ``bad_rows`` and skipped like a '.'
row, so a run's data notes and ``vixhedge data check`` name it; :func:`_spikes`): a value more than
:data:`SPIKE_POINTS` (5) points from both the value before it and the value after it, on the same side of both, while
those two agree (differ by at most :data:`SPIKE_AGREE` of the smaller move), and neither neighbour is such a value
itself. Measured on ``../shared/data/us_short_rates/fred_DFF_daily_1954_2026.csv`` (26,306 daily rows, the smaller of
the two moves of every row that moves in and back): the largest real isolated spikes are 3.25 points
(1969-07-02: 8.75, 5.50, 9.50; 1970-01-07: 9.50, 6.00, 9.25, reserve-settlement Wednesdays), 2.70 since 1990
(1991-01-23: 7.56, 10.39, 7.69), 0.73 in 2007-2008 (2008-10-07: 1.96, 2.97, 2.24; the quarter-ends 2008-09-30 0.47,
2008-06-30 0.36, 2007-09-28 0.34) and 0.12 from 2009 on (the quarter-end 2016-03-31: 0.37, 0.25, 0.37); the same on
its business days alone; the shipped monthly means' largest is 0.12. The 1986 year-end (8.38, 16.17, 14.35, 14.35,
6.46) spans rows and is no isolated spike. So 5 points flags none of them (1.75 points, 1.5 times, above the largest)
and flags a 25.0 typed between 0.08 and 0.10 (moves of 24.90 and 24.92). A bad value held over several rows, a first
or last row, or one below 5 points off (a 2.5 for 0.25 in the zero-rate years) is not caught.

A data directory's rate folder (``us_short_rates/`` or ``rates/``, :func:`find_rate_file`) that holds no ``*.csv`` /
``*.csv.gz`` file, or that cannot be read, while no other rate folder holds one, is a LoadError naming it, what it holds
and the fix: a run refuses it before any work (it fell back to the shipped monthly means without a word).

A run refuses a window its file does not cover (:func:`uncovered`, called by :func:`feeds.datanotes.log_window_notes`):
a session on or before the file's first value, or more than :func:`stale_limit` business days after the last value
dated before it (the value :meth:`RateSeries.on` prices the day with; a file cut before the window ends, or a hole
inside it). The limit is :data:`MAX_STALE_BUSDAYS`, or 1.5 times the file's median business-day step between values
when that is longer (a monthly file: month-end values ~21 business days apart). A file of FRED's monthly or
quarterly averages (FEDFUNDS, TB3MS: every value dated a period's first day) is read as period means dated the
period's last day (:func:`_period_dated`, :attr:`RateSeries.period_means`): each month takes the month before's mean. Carrying one value over months would
price and credit interest at a rate the file does not hold, silently.

The rate of a market day (:meth:`RateSeries.on`) is the last value dated strictly BEFORE that day (causal: DFF for
day t is published on t+1), as an annual fraction: the Market uses it as the continuously compounded rate of its
option pricers. Cash held from day t to the next session earns the overnight rate dated t
(:meth:`RateSeries.on_night`: the last value dated on or before t), credited at the next open, when it is published;
simple, ACT/365. DFF is an overnight ACT/360 money-market rate; the conversion is left out (a difference of about
1.4% of the rate itself, 0.03 points at 2%: a stated simplification).

Shipped series (``feeds/calibration/short_rate_monthly.csv``, written by ``python -m feeds.calibrate
--write-package`` from ``us_short_rates/fred_DFF_daily_1954_2026.csv``): the monthly mean of DFF, 1990-01..2026-06. The
embedded and synthetic markets have no rate file and use it (each day, and the night after it, takes the mean of
the month before: the night of a month's last day too; its 2014-2018 months run from 0.07% to 2.27%, mean 0.69%).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from feeds.loaders._table import BadRow, LoadError, check_sorted, peek_header, read_table, shown
from feeds.loaders.fileerrors import not_a_file

__all__ = ["MAX_STALE_BUSDAYS", "RATE_FIX", "RateSeries", "SHIPPED_MONTHLY", "find_rate_file", "gaps", "load_fred_csv",
           "monthly_means", "shipped_monthly", "stale_limit", "uncovered", "write_monthly"]

SHIPPED_MONTHLY = Path(__file__).resolve().parents[1] / "calibration" / "short_rate_monthly.csv"
RATE_FOLDERS = ("us_short_rates", "rates")
_DATE_NAMES = ("date", "observation_date")
_MISSING = frozenset({".", ""})
#: the longest a value of a daily file is carried forward (business days): three weeks are more than the longest gap
#: of a daily FRED series (a holiday weekend, 4 days) and than FRED's publication lag (../shared/data's DFF ends
#: 2026-07-08, its market 2026-07-23: 11 business days), and less than the ~6.5 weeks between the 8 scheduled FOMC
#: meetings a year (federalreserve.gov/monetarypolicy/fomccalendars.htm), where the rate moves
MAX_STALE_BUSDAYS = 15
#: the fix for a rate file that does not reach a run's sessions (``{source}``: the file)
RATE_FIX = ("replace {source} with a file that reaches further (`vixhedge data fetch --cache DIR` downloads FRED's "
            "daily DFF to DIR/rates/DFF.csv; keep one file in the folder)")
#: a file's limit is at least this many times its median business-day step between values (:func:`stale_limit`)
STEP_FACTOR = 1.5
#: a file whose mean over the months of the shipped DFF means is below this share of theirs is in fractions
FRACTION_RATIO = 1 / 20
#: an isolated spike moves more than this many points (percent a year) away from both neighbours (module docstring)
SPIKE_POINTS = 5.0
#: ... while the neighbours differ by at most this share of its smaller move
SPIKE_AGREE = 0.5
#: the fix of a rate folder that holds no usable file (``{folder}``)
FOLDER_FIX = ("put one FRED CSV file such as DFF.csv there (`vixhedge data fetch --cache DIR` downloads FRED's daily "
              "DFF to DIR/rates/DFF.csv), or remove the folder {folder} to run on the shipped monthly DFF means")


@dataclass(frozen=True)
class RateSeries:
    """Dated short-rate observations in percent per annum, strictly increasing dates."""

    dates: np.ndarray  # datetime64[D]
    percent: np.ndarray
    source: str
    files: tuple[tuple[str, str], ...] = ()
    bad_rows: tuple[BadRow, ...] = field(default=(), repr=False)
    period_means: bool = False  # each value a period's mean dated its last day: known only after that day


    def on(self, days: pd.DatetimeIndex | list[dt.date]) -> np.ndarray:
        """Return the annual rate (fraction) of each day: the last observation dated before it.

        Days on or before the first observation take the first value (a back-fill, for warm-up history).
        """
        return self._last(days, "left")

    def on_night(self, days: pd.DatetimeIndex | list[dt.date]) -> np.ndarray:
        """Return the annual rate (fraction) of the night after each day: the last observation dated on or before
        it (DFF dated t is the rate of the night t -> t+1, published by the next morning's open). A series of
        ``period_means`` (the shipped monthly one) gives every night the last value dated BEFORE the day, as
        :meth:`on`: a month's mean, dated its last day, is not known that night (it holds the month's later days)."""
        return self._last(days, "left" if self.period_means else "right")

    def _last(self, days, side: str) -> np.ndarray:
        want = np.asarray(pd.DatetimeIndex(days).values.astype("datetime64[D]"))
        k = np.maximum(np.searchsorted(self.dates, want, side=side) - 1, 0)
        return self.percent[k] / 100.0


def load_fred_csv(path: Path | str) -> RateSeries:
    """Load a FRED CSV file (see the module docstring); LoadError names the file, line and problem."""
    path = Path(path)
    header = peek_header(path)
    if len(header) != 2 or header[0].lower() not in _DATE_NAMES:
        raise LoadError(path, 1, f"expected two columns, a date ({'/'.join(_DATE_NAMES)}) and the rate in "
                        f"percent (FRED layout); the header has {header}")
    table = read_table(path, header)
    raw = table.text(header[1])
    missing = np.isin(raw, list(_MISSING))
    dates = table.dates(header[0])
    bad = tuple(table.bad(i, f"no value ({shown(raw[i])})", dates[i]) for i in np.flatnonzero(missing))
    check_sorted(table, dates, "date", strict=True)
    keep = ~missing
    values = np.full(len(raw), np.nan)
    try:
        values[keep] = raw[keep].astype(np.float64)
    except ValueError:
        i = next(i for i in np.flatnonzero(keep) if not _is_number(raw[i]))
        raise table.error(i, f"column {header[1]!r}: {shown(raw[i])} is not a number (FRED writes '.' for "
                                 "none)") from None
    out = keep & ((values < -5.0) | (values > 30.0) | ~np.isfinite(values))
    if out.any():
        i = int(np.argmax(out))
        raise table.error(i, f"column {header[1]!r}: {raw[i]} is not a short rate in percent (-5..30)")
    if not keep.any():
        raise LoadError(path, None, "no rate values")
    rows = np.flatnonzero(keep)
    spikes = _spikes(values[rows])
    if len(spikes):
        for k in spikes:
            i = rows[k]
            bad += (table.bad(i, f"implausible rate {raw[i]}: an isolated spike from {values[rows[k - 1]]:g} before "
                                 f"it and {values[rows[k + 1]]:g} after it (more than {SPIKE_POINTS:g} points from "
                                 "both: feeds.loaders.rates)", dates[i]),)
            keep[i] = False
        bad = tuple(sorted(bad, key=lambda b: b.line))
    series = _period_dated(RateSeries(dates[keep], values[keep], str(path), ((path.name, table.sha256),), bad))
    if path.resolve() != SHIPPED_MONTHLY:
        _check_percent(path, header[1], series)
    return series


def _spikes(values: np.ndarray) -> np.ndarray:
    """Return the positions in ``values`` (a file's values in order) of the isolated spikes (module docstring)."""
    if len(values) < 3:
        return np.zeros(0, dtype=np.int64)
    before, mid, after = values[:-2], values[1:-1], values[2:]
    move = np.maximum(mid - np.maximum(before, after), np.minimum(before, after) - mid)  # < 0 unless in and out
    candidate = np.concatenate([[False], (move > SPIKE_POINTS) & (np.abs(before - after) <= SPIKE_AGREE * move),
                                [False]])
    lone = candidate[1:-1] & ~candidate[:-2] & ~candidate[2:]  # two neighbouring candidates: which one is wrong?
    return np.flatnonzero(lone) + 1


def _period_dated(series: RateSeries) -> RateSeries:
    """A FRED monthly or quarterly file (FEDFUNDS, TB3MS: each value the period's average, dated its FIRST day) as
    :attr:`RateSeries.period_means`, each value re-dated to its period's last day: June's mean, which holds the June
    days after a hike, prices July, not June 2 (look-ahead otherwise). Any other file is returned as it is."""
    days = pd.DatetimeIndex(series.dates)
    if len(days) < 2 or not (days.day == 1).all():
        return series
    months = round(float(np.median(np.diff(series.dates).astype(np.int64))) / 30.44)  # 1 monthly, 3 quarterly
    if months < 1:
        return series
    ends = (days + pd.DateOffset(months=months) - pd.Timedelta(days=1)).values.astype("datetime64[D]")
    return dataclasses.replace(series, dates=ends, period_means=True)


@functools.lru_cache(maxsize=1)
def _shipped_by_month() -> pd.Series:
    ref = monthly_means(shipped_monthly())
    ref.index = ref.index.to_period("M")
    return ref


def _check_percent(path: Path, column: str, series: RateSeries) -> None:
    """Raise LoadError when ``series`` reads as fractions, not percent (module docstring, :data:`FRACTION_RATIO`)."""
    ref = _shipped_by_month()
    mine = monthly_means(series)
    mine.index = mine.index.to_period("M")
    # a month at 0 reads the same in percent and in fractions (trial H: a file of 0.00 for years was refused as
    # fractions, "x100" its fix): only the months where both are non-zero are compared
    both = mine.index.intersection(ref.index[ref.to_numpy() != 0])
    both = both[mine[both].to_numpy() != 0]
    if not len(both) or ref[both].mean() <= 0:
        return
    have, real = float(mine[both].mean()), float(ref[both].mean())
    if abs(have) < FRACTION_RATIO * real:
        raise LoadError(path, None, f"column {column!r} reads as fractions, not percent: over {both[0]}..{both[-1]} "
                                    f"its values average {have:.4g} where FRED's DFF averaged {real:.4g} (percent a "
                                    "year): write the rate in percent (x100; FRED's own files are in percent)")


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def stale_limit(series: RateSeries) -> int:
    """Return how many business days a value of ``series`` is carried forward: :data:`MAX_STALE_BUSDAYS`, or
    :data:`STEP_FACTOR` times the median business-day step between its values when longer (a monthly file)."""
    if len(series.dates) < 2:
        return MAX_STALE_BUSDAYS
    step = float(np.median(_busdays_after(series.dates[:-1], series.dates[1:])))
    return max(MAX_STALE_BUSDAYS, math.ceil(STEP_FACTOR * step))


def uncovered(series: RateSeries, days: Sequence[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Return the runs (first, last day) of ``days`` the file does not cover: on or before its first value, or more
    than :func:`stale_limit` business days after the last value dated before the day (the one :meth:`RateSeries.on`
    prices it with; the night after it earns a value at least as recent, :meth:`RateSeries.on_night`)."""
    want = np.asarray(days, dtype="datetime64[D]")
    k = np.searchsorted(series.dates, want, side="left") - 1
    last = series.dates[np.maximum(k, 0)]
    bad = (k < 0) | (_busdays_after(last, want) > stale_limit(series))
    runs: list[tuple[dt.date, dt.date]] = []
    for i in np.flatnonzero(bad):
        if runs and i > 0 and bad[i - 1]:
            runs[-1] = (runs[-1][0], days[i])
        else:
            runs.append((days[i], days[i]))
    return runs


def _busdays_after(first: np.ndarray, later: np.ndarray) -> np.ndarray:
    """The weekdays after ``first`` up to and including ``later`` (datetime64[D])."""
    one = np.timedelta64(1, "D")
    return np.busday_count(first + one, later + one)


def gaps(series: RateSeries) -> list[tuple[dt.date, dt.date]]:
    """Return the holes of the file: (last value before, next value) more than :func:`stale_limit` business days
    apart."""
    d = series.dates
    far = np.flatnonzero(_busdays_after(d[:-1], d[1:]) > stale_limit(series))
    return [(d[i].astype(dt.date), d[i + 1].astype(dt.date)) for i in far]


def find_rate_file(root: Path | str) -> Path | None:
    """Return the FRED CSV file of a data directory (``us_short_rates/`` or ``rates/``, the first one holding one), or
    None when it has neither folder. A rate folder with no ``*.csv`` / ``*.csv.gz`` file (empty, a DFF.txt, DFF.xlsx
    or DFF.CSV: names are case-sensitive, as ``vx/``'s and ``chains/``'s), one it cannot read, or one with several
    files, is a LoadError naming the folder, what it holds and the fix (a run would silently fall back to the shipped
    monthly means)."""
    found, unusable = None, None
    for name in RATE_FOLDERS:
        folder = Path(root) / name
        if folder.is_dir():
            try:
                files = _rate_files(folder)
            except LoadError as exc:  # said only when no other folder holds a file (an empty rates/ beside a good
                unusable = unusable or exc  # us_short_rates/ is no loss: that one's file is read)
                continue
            if len(files) > 1:
                raise LoadError(folder, None, f"{len(files)} rate files ({', '.join(f.name for f in files[:4])}): "
                                              "a run reads one: keep one (move the others out of the folder)")
            found = found or files[0]
    if found is None and unusable is not None:
        raise unusable
    return found


def _rate_files(folder: Path) -> list[Path]:
    """Return the ``*.csv`` / ``*.csv.gz`` files of a rate folder; raise LoadError when it has none or is unreadable."""
    fix = FOLDER_FIX.format(folder=folder)
    try:
        if not os.access(folder, os.R_OK | os.X_OK):
            raise PermissionError
        names = sorted(os.listdir(folder))
    except OSError as exc:
        why = "no permission to list it" if isinstance(exc, PermissionError) else exc.strerror or type(exc).__name__
        raise LoadError(folder, None, f"the short-rate folder cannot be read ({why}): make it readable for you "
                                      f"(chmod u+rx {folder}), or remove it to run on the shipped monthly DFF "
                                      "means") from None
    files = [folder / n for n in names if n.endswith((".csv", ".csv.gz")) and (folder / n).is_file()]
    if files:
        return files
    odd = [f"{n} {why}" for n in names if n.lower().endswith((".csv", ".csv.gz")) and (why := not_a_file(folder / n))]
    if odd:  # a rate file's name, but a folder or a broken link: say so, not "no short-rate file: it holds X.csv"
        raise LoadError(folder, None, f"no readable short-rate file: {'; '.join(odd[:2])}; or {fix}")
    held = ", ".join(names[:6]) + (f" and {len(names) - 6} more" if len(names) > 6 else "")
    hints = [f"rename {n} to {n[:-len(s)]}{s.lower()} (names are case-sensitive)" for n in names[:6]
             for s in (".csv.gz", ".csv") if n.lower().endswith(s) and not n.endswith(s)][:1]
    hints += [f"{n} is a spreadsheet: save it as CSV" for n in names[:6] if n.lower().endswith((".xlsx", ".xls"))][:1]
    what = f"it holds {held}" if names else "it is empty"
    raise LoadError(folder, None, f"no short-rate file: {what} (a run reads one FRED CSV file, *.csv or *.csv.gz"
                                  f"{'; ' + '; '.join(hints) if hints else ''}): {fix}")


def monthly_means(series: RateSeries, start: str = "1990-01", end: str = "2026-06") -> pd.Series:
    """Return the monthly mean rate (percent, 4 decimals) of ``series``, dated the month's last day.

    Dated when it is complete, so that :meth:`RateSeries.on` gives a day the mean of the month before it.
    """
    s = pd.Series(series.percent, index=pd.DatetimeIndex(series.dates))
    s = s[(s.index >= pd.Timestamp(start)) & (s.index < pd.Timestamp(end) + pd.offsets.MonthBegin(1))]
    means = s.groupby(s.index.to_period("M")).mean().round(4)
    means.index = means.index.to_timestamp(how="end").normalize()
    return means


def write_monthly(series: RateSeries, path: Path) -> None:
    """Write :func:`monthly_means` of ``series`` in the FRED layout (``date,value``)."""
    means = monthly_means(series)
    lines = ["date,value", *(f"{d.date().isoformat()},{v:.4f}" for d, v in means.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def shipped_monthly() -> RateSeries:
    """Return the shipped monthly series (each month's mean, dated the month's last day: ``period_means``)."""
    return dataclasses.replace(load_fred_csv(SHIPPED_MONTHLY), period_means=True)
