"""Result frames as a notebook wants them: a DatetimeIndex and datetime64 date columns (pure pandas).

:class:`vixhedge.run.RunResult` and :func:`vixhedge.runfolder.load_run` both hand out frames shaped by
:func:`dated_frames`, so a run in memory and the same run read back from its folder are the same
frames (up to the CSVs' six decimals): ``res.daily.resample("ME")``, ``res.daily.loc["2015-07"]`` work.
"""

from __future__ import annotations

import pandas as pd


def is_date_column(name: str) -> bool:
    """Return whether a frame column holds dates: ``date``, ``expiry`` or a name ending in ``_date``."""
    return name in ("date", "expiry") or name.endswith("_date")


def _datetimes(values) -> pd.DatetimeIndex:
    """Return ``values`` (dates, ISO strings, NaT/None/NaN) as datetime64[ns], whatever unit pandas infers."""
    return pd.DatetimeIndex(pd.to_datetime(pd.Series(values, dtype=object))).as_unit("ns")


def dated_frames(*frames: pd.DataFrame) -> list[pd.DataFrame]:
    """Return the frames with a DatetimeIndex named ``date`` and their date columns as datetime64.

    A frame indexed by day (daily, attribution, signals) keeps its rows; trades are indexed by their fill
    date (the column becomes the index); layers and condors by their entry date (``entry_date`` stays a
    column too). Missing dates are NaT. The CSVs written from them are unchanged (ISO dates).
    """
    out = []
    for f in frames:
        f = f.copy(deep=False)  # (copy-on-write, pandas >= 3: the caller's frame is never changed, nor copied)
        for col in f.columns:
            if is_date_column(str(col)):
                f[col] = _datetimes(f[col]).values
        if "date" in f.columns:
            f = f.set_index("date")
        elif "entry_date" in f.columns:
            f.index = pd.DatetimeIndex(f["entry_date"], name="date")
        else:
            f.index = _datetimes(list(f.index)).rename("date")
        out.append(f)
    return out
