"""vixhedge.core.normal.ndtr, the numpy port of Cephes ndtr, against scipy.special.ndtr (the reference it replaced)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.special import ndtr as scipy_ndtr

from vixhedge.core.normal import ndtr, ndtr_pair


def _grid() -> np.ndarray:
    # Every branch of the algorithm: the erf polynomial (|a| < 1), 1 - erf (1 <= |a| < sqrt(2)), P/Q (|a| < 8 sqrt(2)),
    # R/S beyond, and the underflow past |a| = sqrt(2 MAXLOG) = 37.68 (Cephes ndtr.c); dense near each switch.
    switches = [1.0, math.sqrt(2.0), 8.0 * math.sqrt(2.0), math.sqrt(2.0 * 7.09782712893383996843e2)]
    near = [s + np.linspace(-1e-6, 1e-6, 2001) for s in switches]
    parts = [np.linspace(-40.0, 40.0, 1_600_001), np.linspace(-1.5, 1.5, 300_001), *near, *(-n for n in near),
             np.random.default_rng(16).normal(0.0, 4.0, 200_000), np.array([0.0, -0.0, 5e-324, -5e-324])]
    return np.concatenate(parts)


def test_equals_scipy_bit_for_bit_on_a_dense_grid_and_its_tails() -> None:
    """Same algorithm, same rounding order, the C library's exp: equal, not merely close."""
    a = _grid()
    np.testing.assert_array_equal(ndtr(a), scipy_ndtr(a))


def test_the_pair_is_ndtr_of_a_and_of_minus_a_bit_for_bit() -> None:
    a = np.concatenate([_grid(), [np.nan, np.inf, -np.inf]])
    up, down = ndtr_pair(a)
    np.testing.assert_array_equal(up, scipy_ndtr(a))
    np.testing.assert_array_equal(down, scipy_ndtr(-a))


@pytest.mark.parametrize(("a", "want"), [(np.inf, 1.0), (-np.inf, 0.0), (0.0, 0.5), (-40.0, 0.0), (40.0, 1.0),
                                      (1e300, 1.0), (-1e300, 0.0)])
def test_limits(a: float, want: float) -> None:
    assert float(ndtr(a)) == want


def test_nan_and_shapes() -> None:
    got = ndtr(np.array([[np.nan, 0.0], [1.0, -1.0]]))
    assert got.shape == (2, 2) and np.isnan(got[0, 0]) and got.dtype == np.float64
    np.testing.assert_array_equal(got[1], scipy_ndtr([1.0, -1.0]))
    assert ndtr(0.3).shape == ()


@pytest.mark.parametrize("a", [-1.414213562373095, 1.414213562373095, -11.31370849898476, 11.31370849898476],
                         ids=["x=-1", "x=1", "x=-8", "x=8"])
def test_equals_scipy_bit_for_bit_where_the_argument_is_exactly_a_switch_point(a: float) -> None:
    """MUT26 N2 (``x < 1.0`` made ``<=``) and N4 (``x >= 8.0`` made ``>``): the grid above steps 1e-9 past the
    switches and never lands on them. These floats make Cephes' argument |a| / sqrt(2) exactly 1.0 and 8.0 (asserted
    in IEEE arithmetic, as ndtr_pair computes it), where Cephes switches from 1 - erf to P/Q and from P/Q to R/S;
    scipy.special.ndtr is the reference, bit for bit."""
    from vixhedge.core.normal import _SQRT1_2

    assert abs(a) * _SQRT1_2 in (1.0, 8.0)
    assert float(ndtr(a)) == float(scipy_ndtr(a))
    up, down = ndtr_pair(a)
    assert (float(up), float(down)) == (float(scipy_ndtr(a)), float(scipy_ndtr(-a)))
