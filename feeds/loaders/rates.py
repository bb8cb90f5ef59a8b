"""Short-rate series for option pricing and cash interest: FRED CSV files, and the shipped monthly series.

FRED CSV layout (``fred.stlouisfed.org/graph/fredgraph.csv?id=DFF``): two columns, a date (``DATE``,
``observation_date`` or ``date``; ``YYYY-MM-DD``) and the value in percent per annum (the series id,
e.g. ``DFF`` / ``DTB3``, or ``value`` as in ``../shared/data/us_short_rates``). FRED writes ``.`` for a
day without a value (a holiday of a business-day series): those rows are skipped and listed in
``bad_rows``. Dates must be strictly increasing; a value outside -5..30 % is an error naming the line.

The rate of a market day (:meth:`RateSeries.on`) is the last value dated strictly BEFORE that day (causal: DFF for
day t is published on t+1), as an annual fraction: the Market uses it as the continuously compounded rate of its
option pricers. Cash held from day t to the next session earns the overnight rate dated t
(:meth:`RateSeries.on_night`: the last value dated on or before t), credited at the next open, when it is published;
simple, ACT/365. DFF is an overnight ACT/360 money-market rate; the conversion is left out (a difference of about
1.4% of the rate itself, 0.03 points at 2%: a stated simplification).

Shipped series (``feeds/calibration/short_rate_monthly.csv``, written by ``python -m feeds.calibrate``
from ``us_short_rates/fred_DFF_daily_1954_2026.csv``): the monthly mean of DFF, 1990-01..2026-06. The
embedded and synthetic markets have no rate file and use it (each day, and the night after it, takes the mean of
the month before: the night of a month's last day too; its 2014-2018 months run from 0.07% to 2.27%, mean 0.69%).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from feeds.loaders._table import BadRow, LoadError, check_sorted, peek_header, read_table, shown

__all__ = ["RateSeries", "SHIPPED_MONTHLY", "find_rate_file", "load_fred_csv", "monthly_means", "shipped_monthly",
           "write_monthly"]

SHIPPED_MONTHLY = Path(__file__).resolve().parents[1] / "calibration" / "short_rate_monthly.csv"
RATE_FOLDERS = ("us_short_rates", "rates")
_DATE_NAMES = ("date", "observation_date")
_MISSING = frozenset({".", ""})


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
    return RateSeries(dates[keep], values[keep], str(path), ((path.name, table.sha256),), bad)


def _is_number(s: str) -> bool:
    try:
        float(s)
    except ValueError:
        return False
    return True


def find_rate_file(root: Path | str) -> Path | None:
    """Return the FRED CSV file of a data directory (``us_short_rates/`` or ``rates/``), or None."""
    for name in RATE_FOLDERS:
        folder = Path(root) / name
        if folder.is_dir():
            files = sorted([*folder.glob("*.csv"), *folder.glob("*.csv.gz")])
            if files:
                return files[0]
    return None


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
