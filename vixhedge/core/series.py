"""Input checks shared by the signal modules: a 1-D float series, a positive number of bars."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


def as_series(values: npt.ArrayLike, name: str) -> FloatArray:
    """Return ``values`` as a 1-D float array; ValueError naming ``name`` for any other shape."""
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D series, got shape {arr.shape}: pass one column")
    return arr


def check_bars(name: str, value: object, example: int) -> int:
    """Return ``value`` as an int number of bars; ValueError naming ``name`` (with ``example``) unless it is >= 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(
            f"{name} ({value!r}) must be a positive integer number of bars: e.g. {example}"
        )
    return int(value)
