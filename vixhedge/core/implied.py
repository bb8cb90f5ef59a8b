"""Implied volatility: the Black vol a price implies, for BSM (SPX) and Black-76 (options on VIX futures).

Bracketed solver on the Black price (``vixhedge.core.pricing``'s conventions); a price at or beyond a
no-arbitrage bound gives NaN. Broadcasts like the pricing functions.
"""

from __future__ import annotations

__all__ = ["implied_vol_black76", "implied_vol_bsm"]

import numpy as np
from numpy.typing import ArrayLike

from vixhedge.core.pricing import (
    FloatArray, FloatOrArray, as_result, black_terms, check_positive, option_sign,
)

_BOUND_ULPS = 8.0  # prices this many ulps of (F + K) from a no-arbitrage bound give NaN


def _check_solver(lo: float, hi: float, tol: float, max_iter: int) -> None:
    if not 0.0 < lo < hi:
        raise ValueError(f"implied-vol bracket must satisfy 0 < lo < hi, got lo={lo!r}, hi={hi!r}")
    if not tol > 0.0:
        raise ValueError(f"tol must be > 0, got {tol!r}")
    if max_iter < 1:
        raise ValueError(f"max_iter must be >= 1, got {max_iter!r}")


def _guess(guess: ArrayLike | None, like: np.ndarray) -> FloatArray | None:
    return None if guess is None else np.broadcast_to(np.asarray(guess, dtype=np.float64), like.shape).ravel()


def _solve_black_vol(
    target: FloatArray, fwd: FloatArray, strike: FloatArray, t: FloatArray, omega: FloatArray,
    lo: float, hi: float, tol: float, max_iter: int, guess: FloatArray | None = None,
) -> FloatArray:  # fmt: skip
    """Undiscounted Black implied vol of 1-d arrays; NaN where no vol in [lo, hi] matches. Newton starts at
    ``guess`` where it is finite (the contract's vol the day before: 4-5 steps instead of ~11 in a PM run)."""
    result = np.full(target.shape, np.nan)
    with np.errstate(invalid="ignore"):
        intrinsic = np.maximum(omega * (fwd - strike), 0.0)
        upper = np.where(omega > 0, fwd, strike)
        slack = _BOUND_ULPS * np.finfo(np.float64).eps * (fwd + strike)  # a rounding away: no vol information
        ok = np.isfinite(target) & (t > 0) & (target > intrinsic + slack) & (target < upper - slack)
    cand = np.flatnonzero(ok)
    p, f, k, tt, w = target[cand], fwd[cand], strike[cand], t[cand], omega[cand]
    in_bracket = (black_terms(f, k, tt, np.full_like(p, lo), w).undiscounted <= p) & (
        p <= black_terms(f, k, tt, np.full_like(p, hi), w).undiscounted
    )
    cand, p, f, k, tt, w = (a[in_bracket] for a in (cand, p, f, k, tt, w))
    low, high = np.full_like(p, lo), np.full_like(p, hi)
    # Start at the vega-maximising vol sqrt(2 |ln(F/K)| / T) (Manaster & Koehler, 1982), or at the guess.
    sigma = np.sqrt(2.0 * np.abs(np.log(f / k)) / tt)
    if guess is not None:
        g = guess[cand]
        sigma = np.where(np.isfinite(g), g, sigma)
    sigma = np.clip(sigma, lo, hi)
    active = np.ones(p.shape, dtype=bool)
    for _ in range(max_iter):
        i = np.flatnonzero(active)
        if i.size == 0:
            break
        b = black_terms(f[i], k[i], tt[i], sigma[i], w[i])
        err = b.undiscounted - p[i]
        too_high = err > 0
        high[i] = np.where(too_high, sigma[i], high[i])
        low[i] = np.where(too_high, low[i], sigma[i])
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            newton = sigma[i] - err / (f[i] * b.pdf_d1 * b.sqrt_t)
        use_newton = np.isfinite(newton) & (newton > low[i]) & (newton < high[i])
        step_to = np.where(err == 0, sigma[i], np.where(use_newton, newton, 0.5 * (low[i] + high[i])))
        done = (np.abs(step_to - sigma[i]) <= tol) | (high[i] - low[i] <= tol)
        sigma[i] = step_to
        active[i[done]] = False
    result[cand[~active]] = sigma[~active]
    return result


def implied_vol_bsm(
    price: ArrayLike,
    spot: ArrayLike,
    strike: ArrayLike,
    t_years: ArrayLike,
    rate: ArrayLike,
    div_yield: ArrayLike,
    is_call: ArrayLike,
    *,
    lo: float = 1e-4,
    hi: float = 5.0,
    tol: float = 1e-10,
    max_iter: int = 100,
    guess: ArrayLike | None = None,
) -> FloatOrArray:
    """Return the BSM implied volatility, solving all elements together.

    Newton steps in vol, safeguarded by a per-element bisection bracket ``[lo, hi]``.

    Parameters
    ----------
    price : array_like
        Option prices. Prices at or below the discounted intrinsic value, at or above the upper no-arbitrage
        bound (``S exp(-q T)`` for calls, ``K exp(-r T)`` for puts) or not finite give NaN.
    spot, strike, t_years, rate, div_yield, is_call : array_like
        As in `bsm_price`; ``t_years <= 0`` gives NaN.
    lo, hi : float
        Vol bracket (annual decimals); prices with no implied vol inside it give NaN.
    tol : float
        Convergence tolerance on the vol.
    max_iter : int
        Iteration cap; elements not converged by then give NaN.
    guess : array_like, optional
        Where finite, the vol Newton starts from (broadcast like ``price``): a close one (the same contract's
        vol the day before) saves most steps; the root is the same to ``tol``.

    Returns
    -------
    numpy.ndarray or numpy.float64
        Annual implied volatility as a decimal.

    Raises
    ------
    ValueError
        If spot or strike is <= 0, or for an invalid ``lo``/``hi``/``tol``/``max_iter``.
    """
    _check_solver(lo, hi, tol, max_iter)
    arrays = np.broadcast_arrays(
        np.asarray(price, dtype=np.float64), check_positive("spot", spot), check_positive("strike", strike),
        np.asarray(t_years, dtype=np.float64), np.asarray(rate, dtype=np.float64),
        np.asarray(div_yield, dtype=np.float64), option_sign(is_call),
    )  # fmt: skip
    p, s, k, t, r, q, w = (a.ravel() for a in arrays)
    t_pos = np.maximum(t, 0.0)
    fwd = s * np.exp((r - q) * t_pos)
    vol = _solve_black_vol(p * np.exp(r * t_pos), fwd, k, t, w, lo, hi, tol, max_iter, _guess(guess, arrays[0]))
    return as_result(vol.reshape(arrays[0].shape))


def implied_vol_black76(
    price: ArrayLike,
    forward: ArrayLike,
    strike: ArrayLike,
    t_years: ArrayLike,
    rate: ArrayLike,
    is_call: ArrayLike,
    *,
    lo: float = 1e-4,
    hi: float = 5.0,
    tol: float = 1e-10,
    max_iter: int = 100,
    guess: ArrayLike | None = None,
) -> FloatOrArray:
    """Return the Black-76 implied volatility, solving all elements together.

    Newton steps in vol, safeguarded by a per-element bisection bracket ``[lo, hi]``.

    Parameters
    ----------
    price : array_like
        Option prices. Prices at or below ``exp(-r T) max(w (F - K), 0)``, at or above ``exp(-r T) F``
        (calls) / ``exp(-r T) K`` (puts), or not finite give NaN.
    forward, strike, t_years, rate, is_call : array_like
        As in `black76_price`; ``t_years <= 0`` gives NaN.
    lo, hi : float
        Vol bracket (annual decimals); prices with no implied vol inside it give NaN.
    tol : float
        Convergence tolerance on the vol.
    max_iter : int
        Iteration cap; elements not converged by then give NaN.
    guess : array_like, optional
        Where finite, the vol Newton starts from (broadcast like ``price``): a close one (the same contract's
        vol the day before) saves most steps; the root is the same to ``tol``.

    Returns
    -------
    numpy.ndarray or numpy.float64
        Annual implied volatility of the futures price as a decimal.

    Raises
    ------
    ValueError
        If forward or strike is <= 0, or for an invalid ``lo``/``hi``/``tol``/``max_iter``.
    """
    _check_solver(lo, hi, tol, max_iter)
    arrays = np.broadcast_arrays(
        np.asarray(price, dtype=np.float64), check_positive("forward", forward), check_positive("strike", strike),
        np.asarray(t_years, dtype=np.float64), np.asarray(rate, dtype=np.float64), option_sign(is_call),
    )  # fmt: skip
    p, f, k, t, r, w = (a.ravel() for a in arrays)
    vol = _solve_black_vol(p * np.exp(r * np.maximum(t, 0.0)), f, k, t, w, lo, hi, tol, max_iter,
                           _guess(guess, arrays[0]))
    return as_result(vol.reshape(arrays[0].shape))
