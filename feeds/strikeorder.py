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

    ``strikes`` ascending and distinct; ``discount`` the expiry's discount factor. Solved as bounded least squares
    (scipy's BVLS, exact for this size) over the cheapest price and the steps from it: read from the cheapest end
    (a call's highest strike, a put's lowest) the prices rise by steps in ``[0, discount x strike distance]``.
    """
    mids = np.asarray(mids, dtype=np.float64)
    strikes = np.asarray(strikes, dtype=np.float64)
    if len(mids) < 2 or in_strike_order(mids, strikes, is_call, discount):
        return mids
    from scipy.optimize import lsq_linear  # (only where quotes cross: a run's cold start imports no scipy)

    order = slice(None, None, -1) if is_call else slice(None)  # from the cheapest end
    target, k = mids[order], strikes[order]
    n = len(target)
    lower = np.zeros(n)
    upper = np.r_[np.inf, discount * np.abs(np.diff(k))]
    fit = lsq_linear(np.tril(np.ones((n, n))), target, bounds=(lower, upper), method="bvls", tol=1e-12)
    return np.cumsum(np.clip(fit.x, lower, upper))[order]
