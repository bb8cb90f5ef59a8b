"""A sweep grid without expanding it: value lists, ranges as lazy sequences, size before expansion.

A ``{start, stop, step}`` range is a :class:`LazyRange` (its length is arithmetic, its values are
computed on access), and :func:`iter_params` walks the grid as an odometer over indices, so
neither counting nor iterating a grid holds more than one combination in memory: a 1e9-point
grid is counted and refused in microseconds (``sweep.max_points``). Its points go to the workers in batches
(:func:`iter_batches`, lazily).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterator, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from vixhedge.core.config import ConfigError
from vixhedge.core.config.write import toml_value

if TYPE_CHECKING:
    from vixhedge.sweep_spec import Point

__all__ = ["DEFAULT_MAX_POINTS", "LazyRange", "check_size", "grid_size", "iter_batches", "iter_params", "make_batches",
           "range_count", "size", "typed_axis", "values"]

DEFAULT_MAX_POINTS = 100_000


class LazyRange(Sequence):
    """``start + i * step`` for ``i`` in ``0..n-1`` without a list."""

    def __init__(self, start: float, step: float, n: int) -> None:
        self.start, self.step, self.n = start, step, n

    def __len__(self) -> int:
        return self.n  # (len() raises OverflowError above sys.maxsize: count with size(), as grid_size does)

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self[k] for k in range(*i.indices(self.n))]
        if not -self.n <= i < self.n:
            raise IndexError(i)
        return self.start + (i % self.n) * self.step

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and size(other) == self.n and all(a == b for a, b in zip(self, other))


def values(key: str, v: Any) -> Sequence[Any]:
    """Return the values of one grid axis (a list as is, a range lazily)."""
    if isinstance(v, list) and v:
        seen: set[str] = set()
        for x in v:  # a value twice is one point run twice, and one more trial in the snooping tests
            same = repr(float(x)) if isinstance(x, (int, float)) and not isinstance(x, bool) else repr(x)
            if same in seen:
                raise ConfigError(f"grid.{key} lists {toml(x)} more than once: list each value once")
            seen.add(same)
        return v
    if isinstance(v, dict) and set(v) == {"start", "stop", "step"}:
        start, stop, step = v["start"], v["stop"], v["step"]
        nums = all(isinstance(x, int) and not isinstance(x, bool) or isinstance(x, float) and math.isfinite(x)
                   for x in (start, stop, step))  # (an int's isfinite would overflow on one above 1e308)
        if not nums or not step or (stop > start) != (step > 0) and stop != start:
            raise ConfigError(f"grid.{key} = {toml(v)} is invalid: give finite numbers; step must move start "
                              "towards stop")
        return LazyRange(start, step, range_count(start, stop, step))
    raise ConfigError(f"grid.{key} = {toml(v)} is invalid: give a non-empty list or {{ start = ..., stop = ..., "
                      "step = ... }")


def typed_axis(key: str, axis: Sequence[Any]) -> Sequence[Any]:
    """A checked grid axis with its values as the config holds them (:func:`vixhedge.cli_set.typed`): a float key's
    ``[2, 3]`` or ``{start = 2, ...}`` is ``[2.0, 3.0]``'s, so the spec identity and the folder agree whichever is
    written (trial DET32 M4: a resume with the other spelling was refused as another sweep)."""
    from vixhedge.cli_set import typed

    if isinstance(axis, LazyRange):
        if axis.n and isinstance(typed(key, axis.start), float):
            return LazyRange(float(axis.start), float(axis.step), axis.n)
        return axis
    return [typed(key, v) for v in axis]


def toml(v: Any) -> str:
    """Return ``v`` as the spec writes it (TOML: an inline table, a list, a string in double quotes)."""
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml(x)}" for k, x in v.items()) + " }" if v else "{}"
    if isinstance(v, list):
        return "[" + ", ".join(toml(x) for x in v) + "]"
    return toml_value(v)


def range_count(start: float, stop: float, step: float) -> int:
    """Return how many values ``start, start + step, ...`` reach ``stop`` (within 1e-9 of a step).

    Whole numbers are counted exactly: ``{ start = 27, stop = 9000000000000000000, step = 1 }`` has
    8,999,999,999,999,999,974 points, where floats said 9,000,000,000,000,000,001 (trial IO31). A float quotient
    beyond the largest float is counted exactly on the floats' values (``sweep.max_points`` refuses it anyway)."""
    if all(isinstance(x, int) for x in (start, stop, step)):
        return (stop - start) // step + 1
    try:
        q = (stop - start) / step
    except OverflowError:  # an int above the largest float with a float
        q = math.inf
    if not math.isfinite(q):
        return math.floor((Fraction(stop) - Fraction(start)) / Fraction(step)) + 1
    return int(math.floor(q + 1e-9)) + 1


def size(axis: Sequence[Any]) -> int:
    """Return the number of values of one grid axis; a :class:`LazyRange`'s may exceed what ``len()`` can return
    (sys.maxsize: an internal OverflowError, trial IO31 M1)."""
    return axis.n if isinstance(axis, LazyRange) else len(axis)


def grid_size(grid: dict[str, Sequence[Any]]) -> int:
    return math.prod(size(v) for v in grid.values())


def check_size(grid: dict[str, Sequence[Any]], limit: int, where: str) -> int:
    """Return the number of points, or raise ConfigError when it exceeds ``limit``."""
    n = grid_size(grid)
    if n > limit:
        axes = " x ".join(f"{count_text(size(v))} ({k})" for k, v in grid.items())
        raise ConfigError(f"{where}: the grid has {count_text(n)} points ({axes}), above sweep.max_points = "
                          f"{limit:,}: shrink the grid or raise sweep.max_points")
    return n


def count_text(n: int) -> str:
    """``n`` with thousands separators, or ``about 4.90e+300`` once it has more than 24 digits (a 1e-300 step's
    count has 301, and may exceed what a float holds: Decimal rounds it exactly)."""
    return f"{n:,}" if n < 10 ** 24 else f"about {Decimal(n):.2e}"


def iter_params(grid: dict[str, Sequence[Any]]) -> Iterator[dict[str, Any]]:
    """Yield every combination in grid order (the last key varies fastest), one at a time."""
    keys = list(grid)
    axes = [grid[k] for k in keys]
    if any(size(a) == 0 for a in axes):
        return
    idx = [0] * len(axes)
    while True:
        yield {k: a[i] for k, a, i in zip(keys, axes, idx)}
        j = len(axes) - 1
        while j >= 0:
            idx[j] += 1
            if idx[j] < size(axes[j]):
                break
            idx[j] = 0
            j -= 1
        if j < 0:
            return


def make_batches(points: list[Point], size: int, workers: int) -> list[list[Point]]:
    """Split ``points`` (in order) into tasks of ``size`` points, smaller towards the end.

    Once fewer than ``2 x workers x size`` points remain, a batch holds a ``2 x workers``-th of
    them (at least one), so the workers run out of work together rather than one finishing a
    full batch alone (guided self-scheduling).
    """
    return list(iter_batches(iter(points), size, workers, len(points)))


def iter_batches(points: Iterator[Point], size: int, workers: int, total: int) -> Iterator[list[Point]]:
    """Yield the batches of :func:`make_batches` lazily; ``total`` bounds how many points remain."""
    left = total
    while True:
        n = max(1, min(size, left // (2 * workers)))
        batch = list(itertools.islice(points, n))
        if not batch:
            return
        left -= len(batch)
        yield batch
