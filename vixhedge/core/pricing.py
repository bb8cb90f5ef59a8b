"""European option pricing: Black-Scholes-Merton (SPX) and Black-76 (options on VIX futures).

Conventions (see ``MARKET_RULES.md``, "Pricing conventions"):

* BSM with continuous dividend yield ``q``: ``F = S exp((r - q) T)``, price ``= exp(-r T) Black(F, K, vol, T)``.
* Black-76 on a futures price ``F``: ``C = exp(-r T) [F N(d1) - K N(d2)]``, ``C - P = exp(-r T) (F - K)``.
* Greeks: vega per 1 vol point (x 0.01), theta per calendar day (/ 365), rho per 1 % rate (x 0.01).
* ``t_years <= 0`` means expired: intrinsic value, undiscounted; step delta; zero gamma, vega, theta and rho.
  ``vol == 0`` with ``t_years > 0`` gives the discounted intrinsic value on the forward and the matching
  deterministic greeks (carry theta and rho, zero gamma and vega).

Every function broadcasts its arguments like a numpy ufunc and returns a ``float64`` array of the broadcast
shape, or a ``np.float64`` scalar (a ``float`` subclass) when every argument is a scalar.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray
from vixhedge.core.normal import ndtr_pair

__all__ = [
    "Greeks",
    "Right",
    "as_is_call",
    "black76_greeks",
    "black76_price",
    "bsm_greeks",
    "bsm_price",
    # the building blocks the implied-vol solver (vixhedge.core.implied) shares
    "BlackTerms",
    "as_result",
    "black_terms",
    "check_positive",
    "option_sign",
]

FloatArray: TypeAlias = NDArray[np.float64]
FloatOrArray: TypeAlias = np.float64 | FloatArray

DAYS_PER_YEAR = 365.0  # theta is quoted per calendar day
PER_VOL_POINT = 0.01  # vega per 1 vol point
PER_RATE_PERCENT = 0.01  # rho per 1 % rate
_INV_SQRT_2PI = 1.0 / np.sqrt(2.0 * np.pi)
_MIN_STDEV = float(np.finfo(np.float64).tiny)


class Right(enum.StrEnum):
    """Option right, spelled as on exchange symbols."""

    CALL = "C"
    PUT = "P"


def as_is_call(right: ArrayLike) -> NDArray[np.bool_]:
    """Return a boolean ``is_call`` array from rights or flags.

    Parameters
    ----------
    right : Right, str, bool or array_like of those
        ``Right.CALL`` / ``"C"`` / ``True`` mean call; ``Right.PUT`` / ``"P"`` / ``False`` mean put.

    Returns
    -------
    numpy.ndarray of bool
        Same shape as ``right``.

    Raises
    ------
    ValueError
        For a string that is not a ``Right`` value (``"p"`` is rejected, not priced as a call).
    TypeError
        For numbers or other objects, whose meaning as an option right is ambiguous.
    """
    arr = np.asarray(right)
    if arr.dtype == np.bool_:
        return arr
    if arr.dtype.kind in "UO":
        flags = [_one_is_call(item) for item in arr.ravel()]
        return np.array(flags, dtype=bool).reshape(arr.shape)
    raise TypeError(f"is_call must be bool, Right or 'C'/'P' (or arrays of them), got dtype {arr.dtype}")


def _one_is_call(item: object) -> bool:
    if isinstance(item, bool | np.bool_):
        return bool(item)
    if isinstance(item, str):
        try:
            return Right(item) is Right.CALL
        except ValueError:
            raise ValueError(f"is_call must be Right.CALL ('C') or Right.PUT ('P'), got {str(item)!r}") from None
    raise TypeError(f"is_call must be bool, Right or 'C'/'P', got {type(item).__name__} {item!r}")


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class Greeks:
    """Price and first-order sensitivities of a European option.

    Attributes
    ----------
    price : numpy.ndarray or numpy.float64
        Option price.
    delta : numpy.ndarray or numpy.float64
        dPrice/dUnderlying (spot for BSM, futures price for Black-76).
    gamma : numpy.ndarray or numpy.float64
        d2Price/dUnderlying2.
    vega : numpy.ndarray or numpy.float64
        Price change per 1 vol point (dPrice/dvol x 0.01).
    theta : numpy.ndarray or numpy.float64
        Price change per calendar day of time passing (-dPrice/dT / 365).
    rho : numpy.ndarray or numpy.float64
        Price change per 1 % rate (dPrice/dr x 0.01; the futures price is held fixed for Black-76).
    """

    price: FloatOrArray
    delta: FloatOrArray
    gamma: FloatOrArray
    vega: FloatOrArray
    theta: FloatOrArray
    rho: FloatOrArray


def as_result(x: ArrayLike, shape: tuple[int, ...] | None = None) -> FloatOrArray:
    """numpy scalar for 0-d results, the array otherwise (ufunc convention); ``shape``: the broadcast shape of a
    greek that does not depend on the right (gamma, vega) when the rights have an axis of their own."""
    arr = np.asarray(x, dtype=np.float64)
    if shape is not None and arr.shape != shape:
        arr = np.broadcast_to(arr, shape).copy()
    return arr[()]


def check_positive(name: str, value: ArrayLike, *, allow_zero: bool = False) -> FloatArray:
    """Return ``value`` as a float array; ValueError naming ``name`` and the first bad value unless every value is
    > 0 (>= 0 with ``allow_zero``)."""
    arr = np.asarray(value, dtype=np.float64)
    bad = arr < 0 if allow_zero else arr <= 0  # NaN compares False: it propagates to a NaN result instead
    if np.any(bad):
        first = float(arr[bad].flat[0])
        where = f" ({int(np.count_nonzero(bad))} of {arr.size} values)" if arr.size > 1 else ""
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}, got {first!r}{where}")
    return arr


@dataclass(frozen=True, slots=True)
class BlackTerms:
    """Undiscounted Black terms on the forward; N(w d) is a step and n(d1) is 0 where vol * sqrt(T) ~ 0."""

    undiscounted: FloatArray
    pdf_d1: FloatArray  # n(d1)
    cdf_w1: FloatArray  # N(w d1), w = +1 call, -1 put
    cdf_w2: FloatArray  # N(w d2)
    sqrt_t: FloatArray
    inv_stdev: FloatArray  # 1 / (vol sqrt(T)), 0 where degenerate


def black_terms(fwd: FloatArray, strike: FloatArray, t: FloatArray, vol: FloatArray, omega: FloatArray) -> BlackTerms:
    """Return the undiscounted Black terms of options on the forward ``fwd`` (``omega``: :func:`option_sign`)."""
    sqrt_t = np.sqrt(t)
    stdev = vol * sqrt_t
    live = stdev >= _MIN_STDEV  # below it (zero or subnormal) 1 / stdev overflows: treat as zero vol
    inv_stdev = np.where(live, 1.0 / np.where(live, stdev, 1.0), 0.0)
    with np.errstate(over="ignore", invalid="ignore"):  # tiny stdev: d1 -> +-inf, n(d1) -> 0
        d1 = (np.log(fwd / strike) + 0.5 * stdev * stdev) * inv_stdev
        pdf_d1 = np.where(live, _INV_SQRT_2PI * np.exp(-0.5 * d1 * d1), 0.0)
    in_the_money = (omega * (fwd - strike) > 0).astype(np.float64)
    # N(w d) is N(d) or N(-d), both from one pass over d (ndtr_pair, bit-equal to two calls): half the work when
    # the caller gives the rights an axis of their own (feeds.chains), so d has none
    call = omega > 0
    cdf_w1 = np.where(live, np.where(call, *ndtr_pair(d1)), in_the_money)
    cdf_w2 = np.where(live, np.where(call, *ndtr_pair(d1 - stdev)), in_the_money)
    undiscounted = np.maximum(omega * (fwd * cdf_w1 - strike * cdf_w2), 0.0)
    return BlackTerms(undiscounted, pdf_d1, cdf_w1, cdf_w2, sqrt_t, inv_stdev)


def option_sign(is_call: ArrayLike) -> FloatArray:
    """Return +1 for a call, -1 for a put (``w`` of the Black formulas)."""
    return np.where(as_is_call(is_call), 1.0, -1.0)


def _bsm_inputs(
    spot: ArrayLike, strike: ArrayLike, t_years: ArrayLike, rate: ArrayLike, div_yield: ArrayLike,
    vol: ArrayLike, is_call: ArrayLike,
) -> tuple[FloatArray, ...]:  # fmt: skip
    s = check_positive("spot", spot)
    k = check_positive("strike", strike)
    v = check_positive("vol", vol, allow_zero=True)
    t = np.maximum(np.asarray(t_years, dtype=np.float64), 0.0)
    r = np.asarray(rate, dtype=np.float64)
    q = np.asarray(div_yield, dtype=np.float64)
    return s, k, t, r, q, v, option_sign(is_call)


def _black76_inputs(
    forward: ArrayLike, strike: ArrayLike, t_years: ArrayLike, rate: ArrayLike, vol: ArrayLike, is_call: ArrayLike,
) -> tuple[FloatArray, ...]:  # fmt: skip
    f = check_positive("forward", forward)
    k = check_positive("strike", strike)
    v = check_positive("vol", vol, allow_zero=True)
    t = np.maximum(np.asarray(t_years, dtype=np.float64), 0.0)
    return f, k, t, np.asarray(rate, dtype=np.float64), v, option_sign(is_call)


def bsm_price(
    spot: ArrayLike,
    strike: ArrayLike,
    t_years: ArrayLike,
    rate: ArrayLike,
    div_yield: ArrayLike,
    vol: ArrayLike,
    is_call: ArrayLike,
) -> FloatOrArray:
    """Return the Black-Scholes-Merton price of a European option with continuous dividend yield.

    Parameters
    ----------
    spot, strike : array_like
        Underlying spot and strike, > 0.
    t_years : array_like
        Time to expiry in years (ACT/365); ``<= 0`` means expired (intrinsic value).
    rate, div_yield : array_like
        Continuously compounded risk-free rate and dividend yield, annual decimals.
    vol : array_like
        Annual volatility as a decimal (0.20 for 20 %), >= 0.
    is_call : bool, Right or array_like of those
        Option right, see `as_is_call`.

    Returns
    -------
    numpy.ndarray or numpy.float64
        ``exp(-r T) Black(S exp((r - q) T), K, vol, T)``.

    Raises
    ------
    ValueError
        If spot or strike is <= 0 or vol < 0.
    """
    s, k, t, r, q, v, w = _bsm_inputs(spot, strike, t_years, rate, div_yield, vol, is_call)
    fwd = s * np.exp((r - q) * t)
    return as_result(np.exp(-r * t) * black_terms(fwd, k, t, v, w).undiscounted)


def black76_price(
    forward: ArrayLike,
    strike: ArrayLike,
    t_years: ArrayLike,
    rate: ArrayLike,
    vol: ArrayLike,
    is_call: ArrayLike,
) -> FloatOrArray:
    """Return the Black-76 price of a European option on a futures price.

    Parameters
    ----------
    forward : array_like
        Futures price of the same expiry as the option (for VIX options: the VX future), > 0.
    strike : array_like
        Strike, > 0.
    t_years : array_like
        Time to expiry in years; ``<= 0`` means expired (intrinsic value).
    rate : array_like
        Continuously compounded risk-free rate, annual decimal.
    vol : array_like
        Annual volatility of the futures price as a decimal, >= 0.
    is_call : bool, Right or array_like of those
        Option right, see `as_is_call`.

    Returns
    -------
    numpy.ndarray or numpy.float64
        ``exp(-r T) [F N(d1) - K N(d2)]`` for calls, ``exp(-r T) [K N(-d2) - F N(-d1)]`` for puts.

    Raises
    ------
    ValueError
        If forward or strike is <= 0 or vol < 0.
    """
    f, k, t, r, v, w = _black76_inputs(forward, strike, t_years, rate, vol, is_call)
    return as_result(np.exp(-r * t) * black_terms(f, k, t, v, w).undiscounted)


def bsm_greeks(
    spot: ArrayLike,
    strike: ArrayLike,
    t_years: ArrayLike,
    rate: ArrayLike,
    div_yield: ArrayLike,
    vol: ArrayLike,
    is_call: ArrayLike,
) -> Greeks:
    """Return the BSM price and greeks; delta and gamma are with respect to spot.

    Parameters are those of `bsm_price`. Vega is per vol point, theta per calendar day, rho per 1 % rate
    (dividend yield held fixed). Expired options have a step delta (call: 1 if S > K else 0; put: -1 if
    S < K else 0) and zero gamma, vega, theta and rho.

    Returns
    -------
    Greeks
    """
    s, k, t, r, q, v, w = _bsm_inputs(spot, strike, t_years, rate, div_yield, vol, is_call)
    carry_df = np.exp(-q * t)
    df = np.exp(-r * t)
    b = black_terms(s * np.exp((r - q) * t), k, t, v, w)
    price = df * b.undiscounted
    with np.errstate(divide="ignore", invalid="ignore"):
        decay = np.where(t > 0, s * carry_df * b.pdf_d1 * v / (2.0 * np.where(t > 0, b.sqrt_t, 1.0)), 0.0)
    theta_annual = -decay - w * r * k * df * b.cdf_w2 + w * q * s * carry_df * b.cdf_w1
    return Greeks(
        price=as_result(price),
        delta=as_result(w * carry_df * b.cdf_w1),
        gamma=as_result(carry_df * b.pdf_d1 * b.inv_stdev / s, price.shape),
        vega=as_result(s * carry_df * b.pdf_d1 * b.sqrt_t * PER_VOL_POINT, price.shape),
        theta=as_result(np.where(t > 0, theta_annual, 0.0) / DAYS_PER_YEAR),
        rho=as_result(w * k * t * df * b.cdf_w2 * PER_RATE_PERCENT),
    )


def black76_greeks(
    forward: ArrayLike,
    strike: ArrayLike,
    t_years: ArrayLike,
    rate: ArrayLike,
    vol: ArrayLike,
    is_call: ArrayLike,
) -> Greeks:
    """Return the Black-76 price and greeks; delta and gamma are with respect to the futures price.

    Parameters are those of `black76_price`. Vega is per vol point, theta per calendar day, rho per 1 % rate
    with the futures price held fixed (``rho = -T price x 0.01``). Expired options have a step delta and zero
    gamma, vega, theta and rho.

    Returns
    -------
    Greeks
    """
    f, k, t, r, v, w = _black76_inputs(forward, strike, t_years, rate, vol, is_call)
    df = np.exp(-r * t)
    b = black_terms(f, k, t, v, w)
    price = df * b.undiscounted
    with np.errstate(divide="ignore", invalid="ignore"):
        decay = np.where(t > 0, df * f * b.pdf_d1 * v / (2.0 * np.where(t > 0, b.sqrt_t, 1.0)), 0.0)
    theta_annual = np.where(t > 0, r * price - decay, 0.0)
    return Greeks(
        price=as_result(price),
        delta=as_result(w * df * b.cdf_w1),
        gamma=as_result(df * b.pdf_d1 * b.inv_stdev / f, price.shape),
        vega=as_result(df * f * b.pdf_d1 * b.sqrt_t * PER_VOL_POINT, price.shape),
        theta=as_result(theta_annual / DAYS_PER_YEAR),
        rho=as_result(-t * price * PER_RATE_PERCENT),
    )
