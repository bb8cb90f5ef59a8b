"""Input checks shared by the signal modules: a 1-D float series, a positive number of bars."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def _as_series(values: npt.ArrayLike, name: str) -> FloatArray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D series, got shape {arr.shape}: pass one column")
    return arr


def _check_bars(name: str, value: object, example: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(
            f"{name} ({value!r}) must be a positive integer number of bars: e.g. {example}"
        )
    return int(value)
