"""A run's CSV tables, written as pandas writes them (``to_csv(float_format="%.6f", lineterminator="\\n")``),
byte for byte, but faster for the numeric tables.

pandas' writer spent ~0.2 s CPU on ``attribution.csv`` alone (1,218 days x 143 float columns on the default
config). A frame of float, integer, bool and string columns over a naive daily DatetimeIndex (or no index) is
formatted here with Python's ``%`` and the ``csv`` module, as pandas does it (NaN and NaT as an empty field,
dates as YYYY-MM-DD, ``True``/``False``, minimal quoting), and so are date columns at midnight (trades, layers and
condors: ~20 ms of pandas); anything else (object columns, times of day) goes to pandas.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd

FLOAT_FORMAT = "%.6f"


def write_csv(frame: pd.DataFrame, path: Path, index: bool = True) -> None:
    """Write ``frame`` to ``path`` as ``frame.to_csv(path, index=index, float_format="%.6f", lineterminator="\\n")``."""
    fast = _fast(frame, index)
    floats = fast and all(isinstance(dt, np.dtype) and dt.kind == "f" for dt in frame.dtypes)
    columns = None if floats or not fast else _columns(frame)
    if not floats and columns is None:
        frame.to_csv(path, index=index, float_format=FLOAT_FORMAT, lineterminator="\n")
        return
    header = [str(c) for c in frame.columns]
    dates = []
    if index:
        dates = np.datetime_as_string(frame.index.to_numpy(dtype="datetime64[ns]"), unit="D").tolist()
        header.insert(0, "" if frame.index.name is None else str(frame.index.name))
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        if floats:  # one % per row (attribution.csv: 1,218 x 143 cells)
            f.write("".join(f"{line}\n" for line in _float_rows(frame.to_numpy(dtype=np.float64), dates)))
        else:
            w.writerows(zip(dates, *columns) if index else zip(*columns))


def _float_rows(values: np.ndarray, dates: list[str]) -> list[str]:
    """The body lines of an all-float frame (its dates first when given): NaN as an empty field."""
    row_format = ",".join([FLOAT_FORMAT] * values.shape[1])
    lines = [row_format % tuple(row) if not bad else ",".join("" if v != v else FLOAT_FORMAT % v for v in row)
             for row, bad in zip(values.tolist(), np.isnan(values).any(axis=1).tolist())]
    return [f"{d},{line}" for d, line in zip(dates, lines)] if dates else lines


def _fast(frame: pd.DataFrame, index: bool) -> bool:
    """True when the index is written as pandas writes a naive midnight DatetimeIndex (or not at all)."""
    if not len(frame.columns) or not frame.columns.is_unique or isinstance(frame.columns, pd.MultiIndex):
        return False
    if not index:
        return True
    ix = frame.index
    return (isinstance(ix, pd.DatetimeIndex) and ix.tz is None and len(ix) > 0
            and bool((ix == ix.normalize()).all()))


def _midnights(values: np.ndarray) -> bool:
    """True when every time of a datetime64 column is midnight (NaT aside): pandas then writes dates alone."""
    days = values.astype("datetime64[D]")
    return bool(((values == days) | np.isnat(values)).all())


def _columns(frame: pd.DataFrame) -> list[list[str]] | None:
    """Each column's cells as pandas writes them, or None when a column is not float, integer, bool, string or
    dates at midnight."""
    out = []
    for _, col in frame.items():
        kind = col.dtype.kind if isinstance(col.dtype, np.dtype) else ""
        values = col.to_numpy()
        if kind == "f":
            cells = [FLOAT_FORMAT % v for v in values.tolist()]
            if np.isnan(values).any():
                for k in np.flatnonzero(np.isnan(values)).tolist():
                    cells[k] = ""
        elif kind and kind in "iub":
            cells = [str(v) for v in values.tolist()]
        elif isinstance(col.dtype, pd.StringDtype):
            cells = [v if isinstance(v, str) else "" for v in values.tolist()]
        elif kind == "M" and _midnights(values):  # pandas writes dates-only columns as YYYY-MM-DD, NaT empty
            cells = np.datetime_as_string(values, unit="D").tolist()
            for k in np.flatnonzero(np.isnat(values)).tolist():
                cells[k] = ""
        else:
            return None
        out.append(cells)
    return out
