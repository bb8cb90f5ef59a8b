"""Cboe volatility indices side by side (``cboe_volatility_indices/cboe_vol_indices_wide_1990_2026.csv.gz``).

Layout: ``date`` (YYYY-MM-DD) and one column per index (VIX9D, VIX, VIX3M, VIX6M, VIX1Y, SKEW, ...), empty where
an index was not published. Rows must be sorted by date, each date once; LoadError names the file and line.

Each value is screened like a one-index file (:func:`feeds.loaders.plausible.index_reasons` with the rules of its
name; VIX1Y has none): an implausible one is left out (NaN: the SPX surface then estimates that node from VIX, as
on a day the index was not published) and reported as a bad row. Given the VIX file's closes, the file's VIX where it
differs from them by more than :data:`VIX_AGREE` is left out too: the VIX file, checked by its own rules, prices
everything else (trial H: a wide file at VIX 20 while the VIX file said 130 priced the chains at 7.7% silently).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from feeds.loaders._table import check_sorted, read_table
from feeds.loaders.plausible import DEFAULT, Rules, index_reasons

__all__ = ["WIDE_FILE", "load_vol_indices"]

WIDE_FILE = Path("cboe_volatility_indices") / "cboe_vol_indices_wide_1990_2026.csv.gz"
COLUMNS = ("VIX9D", "VIX", "VIX3M", "VIX6M", "VIX1Y", "SKEW")
VIX_AGREE = 0.01  # VIX points: both files print Cboe's close to the cent (equal on every common day of ../shared/data)


def load_vol_indices(path: Path | str, rules: Rules = DEFAULT, vix: pd.Series | None = None) -> pd.DataFrame:
    """Return the indices of ``COLUMNS`` (NaN where absent or left out: module docstring), indexed by date.

    ``rules``: the data directory's plausibility rules; ``vix``: the VIX file's closes by date (None: not compared).
    ``frame.attrs["files"]`` is ``((name, sha256),)`` of the file (the run manifest's ``data_files``),
    ``frame.attrs["bad_rows"]`` the values left out (:class:`~feeds.loaders._table.BadRow`, by line; the rest of
    each row is used) and ``frame.attrs["left_out"]`` their days per index."""
    table = read_table(path, ["date", "VIX"], [c for c in COLUMNS if c != "VIX"])
    dates = table.dates("date")
    check_sorted(table, dates, "date", strict=True)
    ref = None if vix is None else vix.reindex(pd.DatetimeIndex(dates)).to_numpy(dtype=float)
    cols, bad, left = {}, [], {}
    for name in COLUMNS:
        v = table.numbers(name, required=False) if table.has(name) else np.full(len(dates), np.nan)
        have = np.isfinite(v)
        reasons = np.full(len(v), "", dtype=object)
        reasons[have & ~(v > 0)] = [f"{name} {x:g} is not positive" for x in v[have & ~(v > 0)]]
        reasons = np.where(reasons != "", reasons, index_reasons(name, dates, v, have & (reasons == ""), rules))
        if name == "VIX" and ref is not None:
            off = (reasons == "") & have & (np.abs(v - ref) > VIX_AGREE + 1e-9)  # (NaN: the VIX file has no close)
            reasons[off] = [f"VIX {x:g} differs from the VIX file's close {r:g} that day: that close is used"
                            for x, r in zip(v[off], ref[off])]
        bad += [table.bad(i, str(reasons[i]), dates[i]) for i in np.flatnonzero(reasons != "")]
        cols[name] = np.where(reasons == "", v, np.nan)
        left[name] = pd.DatetimeIndex(dates[reasons != ""])
    frame = pd.DataFrame(cols, index=pd.DatetimeIndex(dates, name="date"))
    frame.attrs["files"] = ((Path(path).name, table.sha256),)
    frame.attrs["bad_rows"] = tuple(sorted(bad, key=lambda b: b.line))
    frame.attrs["left_out"] = left  # the days of the values left out, per index (data check: not missing sessions)
    return frame
