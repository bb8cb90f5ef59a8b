"""Cboe volatility indices side by side (``cboe_volatility_indices/cboe_vol_indices_wide_1990_2026.csv.gz``).

Layout: ``date`` (YYYY-MM-DD) and one column per index (VIX9D, VIX, VIX3M, VIX6M, VIX1Y, SKEW, ...), empty where
an index was not published. Rows must be sorted by date, each date once; LoadError names the file and line.

Each value is screened like a one-index file (:func:`feeds.loaders.plausible.index_reasons` with the rules of its
name; VIX1Y has none): an implausible one is left out (NaN: the SPX surface then estimates that node from VIX, as
on a day the index was not published) and reported as a bad row. Given the VIX file's closes, the file's VIX where it
differs from them by more than :data:`VIX_AGREE` is left out too: the VIX file, checked by its own rules, prices
everything else (trial H: a wide file at VIX 20 while the VIX file said 130 priced the chains at 7.7% silently).

A whole column is judged too, where it holds a year of values (:data:`JUDGED`): its median ratio to the file's VIX
(SKEW: its median level) must lie in :data:`MEDIAN_BANDS`, else the file is refused in one line (loader fuzz, session
13: VEWZ's data under the VIX3M header, ~1.9 x VIX, passed every value's rules and moved a run's NAV by $66.6k).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from feeds.loaders import LoadError
from feeds.loaders._table import Table, check_sorted, read_table
from feeds.loaders.fileerrors import not_a_file
from feeds.loaders.plausible import DEFAULT, Rules, index_reasons

__all__ = ["WIDE_FILE", "load_vol_indices", "wide_file"]

WIDE_FILE = Path("cboe_volatility_indices") / "cboe_vol_indices_wide_1990_2026.csv.gz"
COLUMNS = ("VIX9D", "VIX", "VIX3M", "VIX6M", "VIX1Y", "SKEW", "VVIX")  # VVIX: the VIX options' level
VIX_AGREE = 0.01  # VIX points: both files print Cboe's close to the cent (equal on every common day of ../shared/data)
#: per index, the band of its whole column's median ratio to VIX (SKEW: its median level): the yearly medians of
#: ../shared/data's wide file widened by 10% (VIX9D 0.87..1.01 in 2011-2026, VIX3M 1.07..1.23 in 2009-2026, VIX6M
#: 1.01..1.41 in 2008-2026, VIX1Y 1.00..1.60 in 2007-2026, SKEW 110.5..148.1 in 1990-2026); other indices of the
#: file sit outside (VEWZ 1.88, OVX 1.99) or are not told apart by it (VXN 1.17, GVZ 0.99)
MEDIAN_BANDS = {"VIX9D": (0.78, 1.11), "VIX3M": (0.97, 1.35), "VIX6M": (0.91, 1.56), "VIX1Y": (0.90, 1.76),
                "SKEW": (99.0, 163.0)}
#: the share of common days on which the file's VIX may differ from the VIX file's (0 on ../shared/data's files)
VIX_DISAGREE = 0.25
VIX_APART = 0.1  # VIX points: two files that are both the VIX close never differ by more (a 0.1 rounding: 0.05)
JUDGED = 250  # values (about a year of sessions): a shorter column's median may be one regime's (March 2020)


def wide_file(root: Path | str) -> Path | None:
    """Return the data directory ``root``'s wide vol-index table (:data:`WIDE_FILE`), None where there is none (a run
    then reads the SPX surface's term structure and skew from VIX), or raise LoadError where its path is not a
    readable file (a folder, a broken link: trial DF26 saw those skipped without a word)."""
    path = Path(root) / WIDE_FILE
    if why := not_a_file(path):
        raise LoadError(path, None, f"{why} (the Cboe vol-index table; or remove it: a run then reads the SPX "
                                    "surface's term structure and skew from VIX)")
    return path if path.is_file() else None


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
            both = have & np.isfinite(ref)
            _check_agreement(table, np.abs(v[both] - ref[both]), vix.name)
        bad += [table.bad(i, str(reasons[i]), dates[i]) for i in np.flatnonzero(reasons != "")]
        cols[name] = np.where(reasons == "", v, np.nan)
        left[name] = pd.DatetimeIndex(dates[reasons != ""])
    _check_medians(table, cols)
    frame = pd.DataFrame(cols, index=pd.DatetimeIndex(dates, name="date"))
    frame.attrs["files"] = ((Path(path).name, table.sha256),)
    frame.attrs["bad_rows"] = tuple(sorted(bad, key=lambda b: b.line))
    frame.attrs["left_out"] = left  # the days of the values left out, per index (data check: not missing sessions)
    return frame


def _check_agreement(table: Table, diff: np.ndarray, vix_file: object) -> None:
    """Refuse the file in one line where its VIX differs from the VIX file's closes (``diff``: |difference| on their
    common days) by more than :data:`VIX_APART` points on more than :data:`VIX_DISAGREE` of those days (a year of them
    at least): one of the two columns is not Cboe's VIX close, and which one cannot be told here (trial DF26: the VIX
    file's OPEN and CLOSE labels swapped, 92% of the days differed, median 0.5 points, and the run went on with the
    VIX file's opens). A VIX file rounded to 0.1 by another vendor (within 0.05 every day) is not refused: its
    values beyond :data:`VIX_AGREE` are left out row by row (review 26)."""
    far = int((diff > VIX_APART).sum())
    if len(diff) >= JUDGED and far > VIX_DISAGREE * len(diff):
        name = f"the VIX file {vix_file}" if isinstance(vix_file, str) and vix_file else "the VIX file"
        raise table.error(None, f"column VIX differs from {name}'s close by more than {VIX_APART:g} point on {far:,} "
                                f"of their {len(diff):,} common days (median {float(np.median(diff)):.2f} points): "
                                "one of the two is not Cboe's VIX close (a column under another's label?): check both "
                                "headers (the VIX file's DATE,OPEN,HIGH,LOW,CLOSE)")


def _check_medians(table: Table, cols: dict[str, np.ndarray]) -> None:
    """Refuse the file in one line where a column's median (module docstring) is outside its band."""
    for name, (low, high) in MEDIAN_BANDS.items():
        v = cols[name]
        both = np.isfinite(v) & (np.isfinite(cols["VIX"]) | (name == "SKEW"))
        if both.sum() < JUDGED:
            continue
        median = float(np.median(v[both] if name == "SKEW" else v[both] / cols["VIX"][both]))
        if not low <= median <= high:
            what = "median" if name == "SKEW" else "median ratio to VIX"
            raise table.error(None, f"column {name}'s {what} is {median:.3g} over its {int(both.sum()):,} values, "
                                    f"outside {low:g}..{high:g} (the yearly medians of Cboe's {name}): a column of "
                                    "another index under its header? fix the header, or drop the column (the SPX "
                                    "surface then estimates it from VIX)")
