"""Optional S&P 500 advance/decline input for the policy's FOMC rule (see strategies.signalset).

A CSV with a ``date`` column (ISO dates) and two count columns, named in the config
(``hedge.fomc.ad_advances_column`` / ``ad_declines_column``; defaults ``sp500_advancers`` /
``sp500_decliners``, the layout of ``../shared/data/nyse_breadth_computed_2023_2026``). ``.csv.gz`` is
read as well. Counts are aligned on the market's sessions; a session the file lacks is NaN (the rule
sees no A/D on that bar).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd


class BreadthError(ValueError):
    """The advance/decline file is missing, malformed or lacks a column."""


def load_ad_csv(path: str | Path, advances_column: str, declines_column: str) -> pd.DataFrame:
    """Return a frame indexed by session date with float columns ``advances`` and ``declines``.

    Raises
    ------
    BreadthError
        Naming the file and the fix when it is missing, lacks a column, has a bad date, a repeated
        date or a negative count.
    """
    path = Path(path)
    if not path.exists():
        raise BreadthError(f"advance/decline file {str(path)!r} does not exist: check hedge.fomc.ad_csv")
    frame = pd.read_csv(path)
    missing = [c for c in ("date", advances_column, declines_column) if c not in frame.columns]
    if missing:
        raise BreadthError(f"{path}: missing column(s) {missing}; set hedge.fomc.ad_advances_column / "
                           f"ad_declines_column to columns of the file")
    dates = pd.to_datetime(frame["date"], format="%Y-%m-%d", errors="coerce")
    if dates.isna().any():
        row = int(np.flatnonzero(dates.isna())[0]) + 2
        raise BreadthError(f"{path}:{row}: date {frame['date'].iloc[row - 2]!r} is not a YYYY-MM-DD date")
    if dates.duplicated().any():
        raise BreadthError(f"{path}: date {dates[dates.duplicated()].iloc[0].date()} repeats: drop the duplicate")
    out = pd.DataFrame({"advances": frame[advances_column].astype(float).to_numpy(),
                        "declines": frame[declines_column].astype(float).to_numpy()},
                       index=pd.DatetimeIndex(dates).normalize())
    if (out < 0).any().any():
        raise BreadthError(f"{path}: negative advance/decline counts: fix the file")
    return out.sort_index()


def align(frame: pd.DataFrame, dates: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray]:
    """Return (advances, declines) on ``dates``; NaN where the file has no row."""
    on = frame.reindex(pd.DatetimeIndex(dates).normalize())
    return on["advances"].to_numpy(dtype=float), on["declines"].to_numpy(dtype=float)
