"""vixhedge.csvout.write_csv writes what pandas' to_csv writes, byte for byte."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vixhedge.csvout import write_csv


def _pandas(frame: pd.DataFrame, path: Path, index: bool = True) -> bytes:
    frame.to_csv(path, index=index, float_format="%.6f", lineterminator="\n")
    return path.read_bytes()


def _frames() -> dict[str, tuple[pd.DataFrame, bool]]:
    days = pd.DatetimeIndex(pd.bdate_range("2016-02-26", periods=5), name="date")
    rng = np.random.default_rng(7)
    numeric = pd.DataFrame({"a": [1.0, -0.0, np.nan, 1e9 / 3, -2.5e-7], "b,c": rng.normal(size=5) * 1e6,
                            'say "x"': [np.inf, -np.inf, 0.0, 5e-7, 1.2345675],
                            "n": np.arange(5, dtype=np.int64) - 2, "small": np.arange(5, dtype=np.int8),
                            "flag": [True, False, True, True, False]}, index=days)
    return {
        "numeric, dated": (numeric, True),
        "no index name": (numeric.rename_axis(None), True),
        "floats only, a NaN row": (numeric[["a", "b,c", 'say "x"']], True),
        "floats only, no index": (numeric[["b,c", 'say "x"']].reset_index(drop=True), False),
        "no index": (numeric.reset_index(drop=True), False),
        "string column": (numeric.assign(note=pd.array(["x", "", "y,z", 'q"', None], dtype="string")), True),
        "default str column": (numeric.assign(note=pd.Series(["x", "", "y,z", 'q"', np.nan], index=days,
                                                             dtype=str)), True),
        "object column (pandas)": (numeric.assign(note=["x", "", "y,z", 'q"', "w"]).astype({"note": object}), True),
        "timestamps with a time (pandas)": (numeric.set_axis(days + pd.Timedelta(hours=16)), True),
        # MUT26 CS2 (the tz check dropped): the module docstring's fast path is for "a naive daily DatetimeIndex";
        # pandas writes a tz-aware midnight as "2016-02-26 00:00:00-05:00"
        "tz-aware midnights (pandas)": (numeric.set_axis(days.tz_localize("America/New_York")), True),
        "range index written (pandas)": (numeric.reset_index(drop=True), True),
        "date column": (numeric.assign(expiry=days), False),
        "date columns with NaT, dated": (numeric.assign(exit=pd.Series(days, index=days).where([True, False] * 2
                                                                                              + [True])), True),
        "date column with a time (pandas)": (numeric.assign(at=days + pd.Timedelta(hours=16)), False),
    }


@pytest.mark.parametrize("name", list(_frames()))
def test_write_csv_equals_pandas_to_csv(tmp_path: Path, name: str, monkeypatch) -> None:
    """Frames of numbers over a midnight DatetimeIndex (or none) take the fast path; the others go to pandas."""
    frame, index = _frames()[name]
    with monkeypatch.context() as m:
        if "(pandas)" not in name:
            m.setattr(pd.DataFrame, "to_csv", lambda *a, **k: pytest.fail("the fast path called pandas"))
        write_csv(frame, tmp_path / "mine.csv", index=index)
    assert (tmp_path / "mine.csv").read_bytes() == _pandas(frame, tmp_path / "pandas.csv", index)
