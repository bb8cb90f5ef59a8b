"""Cboe volatility indices side by side (``cboe_volatility_indices/cboe_vol_indices_wide_1990_2026.csv.gz``).

Layout: ``date`` (YYYY-MM-DD) and one column per index (VIX9D, VIX, VIX3M, VIX6M, VIX1Y, SKEW, ...), empty where
an index was not published. Rows must be sorted by date, each date once; LoadError names the file and line.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from feeds.loaders._table import check_sorted, read_table

__all__ = ["WIDE_FILE", "load_vol_indices"]

WIDE_FILE = Path("cboe_volatility_indices") / "cboe_vol_indices_wide_1990_2026.csv.gz"
COLUMNS = ("VIX9D", "VIX", "VIX3M", "VIX6M", "VIX1Y", "SKEW")


def load_vol_indices(path: Path | str) -> pd.DataFrame:
    """Return the indices of ``COLUMNS`` (NaN where absent), indexed by date.

    ``frame.attrs["files"]`` is ``((name, sha256),)`` of the file (the run manifest's ``data_files``)."""
    table = read_table(path, ["date", "VIX"], [c for c in COLUMNS if c != "VIX"])
    dates = table.dates("date")
    check_sorted(table, dates, "date", strict=True)
    cols = {c: table.numbers(c, required=False) if table.has(c) else np.full(len(dates), np.nan) for c in COLUMNS}
    frame = pd.DataFrame(cols, index=pd.DatetimeIndex(dates, name="date"))
    frame.attrs["files"] = ((Path(path).name, table.sha256),)
    return frame
