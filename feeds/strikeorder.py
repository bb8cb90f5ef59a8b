"""Option prices of one expiry and right put in strike order: the nearest prices free of vertical-spread arbitrage.

Within an expiry, a call is worth no more than a lower-strike call and a put no less than a lower-strike put, and
a vertical spread is worth at most its discounted strike distance: for strikes ``K1 < K2`` and the discount factor
``D = exp(-r t)``::

    0 <= C(K1) - C(K2) <= D (K2 - K1)        0 <= P(K2) - P(K1) <= D (K2 - K1)

(Merton 1973, "Theory of rational option pricing", Bell Journal of Economics 4(1), theorems 2 and 9 for European
options). Prices each priced at their own implied vol (the Market's anchored quotes, :mod:`feeds.marketquotes`:
each strike carries its own real-minus-model vol gap) can break it by a little; :func:`strike_ordered` returns
the least-squares nearest prices that keep it, and the prices unchanged where they already do.
"""

from __future__ import annotations

import numpy as np

#: a pair out of order by less than this (price units) is in order: rounding of prices that agree
ORDER_TOLERANCE = 1e-9


def in_strike_order(mids: np.ndarray, strikes: np.ndarray, is_call: bool, discount: float,
                    tol: float = ORDER_TOLERANCE) -> bool:
    """Return whether ``mids`` (by ascending ``strikes``) keep the bounds of the module docstring within ``tol``."""
    step = np.diff(np.asarray(mids, dtype=np.float64)) * (-1.0 if is_call else 1.0)
    return bool(np.all(step >= -tol) and np.all(step <= discount * np.diff(strikes) + tol))


def strike_ordered(mids: np.ndarray, strikes: np.ndarray, is_call: bool, discount: float) -> np.ndarray:
    """Return the prices nearest ``mids`` (least squares) in strike order, none below 0; ``mids`` itself when in order.

    ``strikes`` ascending and distinct; ``discount`` the expiry's discount factor. Read from the cheapest end (a
    call's highest strike, a put's lowest) the prices rise by steps in ``[0, discount x strike distance]`` from a
    cheapest price of at least 0; solved exactly by :func:`_nearest_rising`, ~10 ms for a 2019 chain of ~280 strikes.
    scipy's BVLS on the same problem (the solver before 2026-12-03) took ~0.1 s there, 6 of the 15 s of a 2019-2022
    real-data run; on that run's 57 crossed chains the two agree to 1.4e-11 and move the same strikes, and BVLS is
    not exact at that size (a deep in-the-money pair in order moved by 1.2e-6: tests/feeds/test_strikeorder.py).
    """
    mids = np.asarray(mids, dtype=np.float64)
    strikes = np.asarray(strikes, dtype=np.float64)
    if len(mids) < 2 or in_strike_order(mids, strikes, is_call, discount):
        return mids
    if not (np.isfinite(mids).all() and np.isfinite(strikes).all() and np.isfinite(discount)):
        raise ValueError(f"strike_ordered needs finite prices, strikes and discount, got mids {mids.tolist()}, "
                         f"strikes {strikes.tolist()}, discount {discount}")
    order = slice(None, None, -1) if is_call else slice(None)  # from the cheapest end
    return _nearest_rising(mids[order], discount * np.abs(np.diff(strikes[order])))[order]


def _nearest_rising(target: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Return ``x`` minimising ``sum((x - target)^2)`` subject to ``x[0] >= 0`` and
    ``0 <= x[j + 1] - x[j] <= upper[j]``, by dynamic programming (exact, up to rounding).

    ``F_j(y)``, the least cost of ``x[0..j]`` with ``x[j] = y``, is convex and its derivative piecewise linear:
    ``F_0'(y) = y - target[0]`` on ``y >= 0``, and ``F_j'(y) = G'(y) + y - target[j]`` where ``G(y)``, the least
    ``F_{j-1}(x)`` over ``x in [y - upper[j-1], y]``, has ``G' = F_{j-1}'`` below ``F_{j-1}``'s minimiser ``m``, 0 on
    ``[m, m + upper[j-1]]`` and ``F_{j-1}'`` shifted right by ``upper[j-1]`` above it. Then ``x[-1]`` minimises the
    last ``F`` and, backwards, ``x[j]`` is ``F_j``'s minimiser clipped into ``[x[j + 1] - upper[j], x[j + 1]]``.
    Segments: starts ``bp`` (the first at the domain's 0, the last open), derivative ``a y + c`` on each.
    """
    n = len(target)
    bp, a, c = np.array([0.0]), np.array([1.0]), np.array([-target[0]])
    argmin = np.empty(n)
    for j in range(n):
        k = int(np.count_nonzero(a * bp + c < 0.0)) - 1  # the last segment starting below 0 (F' nondecreasing)
        if k < 0:  # F' >= 0 from the domain's start on
            m = float(bp[0])
        else:  # its root in segment k, or the jump at the next segment's start
            m = float(-c[k] / a[k])
            if k + 1 < len(bp) and m > bp[k + 1]:
                m = float(bp[k + 1])
        argmin[j] = m
        if j == n - 1:
            break
        k, u = max(k, 0), upper[j]
        left = bp < m
        bp = np.concatenate((bp[left], [m], np.r_[m, bp[k + 1:]] + u))
        c = np.concatenate((c[left], [0.0], c[k:] - a[k:] * u)) - target[j + 1]
        a = np.concatenate((a[left], [0.0], a[k:])) + 1.0
    x = np.empty(n)
    x[-1] = argmin[-1]
    for j in range(n - 2, -1, -1):
        x[j] = min(max(argmin[j], x[j + 1] - upper[j]), x[j + 1])
    return x
