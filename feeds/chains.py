"""Modelled option chains: SPX by Black-Scholes-Merton, VIX options by Black-76.

Every chain is priced in one vectorised call over its strike grid (no per-contract loop).

SPX smile, ``market.spx_smile.model = "surface"`` (default; :mod:`feeds.surface`): the ATM term structure of
the day's Cboe vol indices (VIX9D, VIX, VIX3M, VIX6M, VIX1Y; estimated from VIX where absent), an index/ATM
ratio set by the day's SKEW and a skew and curvature per side of the forward, fitted on the real 2019 chains. ``"vix_anchored"``, the smile before:
    ATM vol for maturity T is ``vix_to_atm`` times the average VIX expected over [0, T]
    under the VX curve model (VIX sits above 30-day ATM implied vol)::

        vbar(T) = theta + (VIX - theta) * (1 - exp(-kappa T)) / (kappa T)
        sigma_atm(T) = vix_to_atm * vbar(T) / 100

    Across strikes, with standardised moneyness z = ln(K/F) / (sigma_atm sqrt T) clipped
    to [-4, 4]::

        sigma(K) = sigma_atm * max(min_vol_fraction, 1 + skew * z + curvature * z^2)

    No arbitrage repair is applied; the smile is smooth and monotone enough in the traded
    delta range (5..50 delta) for the chains to be free of butterfly arbitrage there.

VIX options: Black-76 on the VX future of the same expiry (never spot VIX), with
``sigma(K) = atm * (T / 30d)^-term_exponent * max(0.3, 1 + skew * ln(K/F))``, ``atm`` the day's
(:func:`vix_atm_levels`: from Cboe's VVIX where the data has it; fitted by ``python -m feeds.vixsmilefit``)
(upward VIX skew, higher vol-of-vol at short tenors). Strikes on the listed grid (vixhedge.core.vixstrikes).

Quotes: the model price is the mid. The full spread is ``clip(fraction * mid^power, min, max)``
(fitted on the real chains by ``python -m feeds.calibrate``: feeds/calibration/spreads.json), rounded
to whole option ticks (0.05 below a 3.00 mid, 0.10 above; at least one) and placed on the tick grid
around the mid (the bid is the tick nearest ``mid - width/2``, floored at 0; an ask of 3.00 or more
goes up to the 0.10 grid), so bid <= mid <= ask and the quote is as wide as the rule says (rounding each side outward added up to two ticks).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from dataclasses import dataclass, field

import numpy as np

from vixhedge.core import pricing, vixstrikes
from feeds import surface
from vixhedge.core.config import SmileModel, SpreadConfig, SpxSmileConfig, VixSmileConfig, VxCurveConfig
from vixhedge.core.instruments import Quote, Right

SPX_STRIKE_STEP = 5.0
RIGHTS = np.array([[True], [False]])  # is_call broadcast over a chain's strikes: rows call, put (the pricing
# functions then compute what both rights share, d1 and N(+-d), once per strike)


@dataclass(frozen=True)
class Side:
    """Quotes and model greeks of one right across the strike grid (per unit)."""

    bid: np.ndarray
    ask: np.ndarray
    mid: np.ndarray
    iv: np.ndarray
    delta: np.ndarray
    gamma: np.ndarray
    vega: np.ndarray
    theta: np.ndarray


@dataclass(frozen=True)
class OptionChain:
    """One expiry of one root on one day.

    A modelled chain quotes every strike of its grid for both rights; a real chain
    (:mod:`feeds.realquotes`) lists the strikes its file quotes, with NaN in the arrays of a right
    the file does not quote at that strike.
    """

    expiry: dt.date
    t_years: float
    underlying: float  # SPX spot, or the same-expiry VX future for VIX options
    forward: float
    strikes: np.ndarray
    call: Side
    put: Side
    vix_beta: float = 0.0  # dF/dVIX of the underlying future (VIX options only)
    # nearest_delta answers: the market shares a chain across the runs of a sweep
    _nearest: dict[tuple[Right, float], float] = field(default_factory=dict, init=False, repr=False, compare=False)

    def index(self, strike: float) -> int:
        """Return the position of ``strike`` in the grid; KeyError if it is not listed."""
        j = int(np.searchsorted(self.strikes, strike - 1e-9))  # tolerance on both sides of a listed strike
        if j >= len(self.strikes) or abs(self.strikes[j] - strike) > 1e-9:
            raise KeyError(f"strike {strike:g} not in the {self.expiry} chain "
                           f"({self.strikes[0]:g}..{self.strikes[-1]:g})")
        return j

    def side(self, right: Right) -> Side:
        return self.call if right is Right.CALL else self.put

    def read_only(self) -> "OptionChain":
        """Return this chain with every array a read-only view (what a condor selector plug-in is handed: the
        market shares its chains across the modes of a compare and the points of a sweep); the same numbers,
        and the same nearest_delta answers, shared."""
        chain = dataclasses.replace(self, strikes=_read_only(self.strikes), call=_read_only_side(self.call),
                                    put=_read_only_side(self.put))
        object.__setattr__(chain, "_nearest", self._nearest)
        return chain

    def quote(self, strike: float, right: Right) -> Quote:
        """Return the quote of ``strike``/``right``; KeyError if not listed or (real chains) not quoted."""
        j = self.index(strike)
        s = self.side(right)
        mid = float(s.mid[j])
        if math.isnan(mid):  # a real chain lists the strike for the other right only
            raise KeyError(f"{right} {strike:g} is not quoted in the {self.expiry} chain")
        return Quote(bid=float(s.bid[j]), ask=float(s.ask[j]), mid=mid, delta=float(s.delta[j]),
                     gamma=float(s.gamma[j]), vega=float(s.vega[j]), theta=float(s.theta[j]),
                     vix_beta=float(s.delta[j] * self.vix_beta))

    def nearest_delta(self, right: Right, target_abs_delta: float) -> float:
        """Return the strike whose |delta| is closest to ``target_abs_delta`` (unquoted strikes skipped)."""
        key = (right, target_abs_delta)
        strike = self._nearest.get(key)
        if strike is None:
            d = np.abs(self.side(right).delta)
            strike = self._nearest[key] = float(self.strikes[int(np.nanargmin(np.abs(d - target_abs_delta)))])
        return strike


def _read_only(a: np.ndarray) -> np.ndarray:
    view = a.view()
    view.flags.writeable = False
    return view


def _read_only_side(side: Side) -> Side:
    return Side(*(_read_only(getattr(side, f.name)) for f in dataclasses.fields(Side)))


TICK_SWITCH, SMALL_TICK, TICK = 3.0, 0.05, 0.10  # SPX/VIX options quote in 0.05 below 3.00, in 0.10 from 3.00


def option_tick(price):
    """Return the SPX/VIX option tick of ``price``: 0.05 below 3.00, 0.10 at or above (a float for a number, an
    array for an array)."""
    if isinstance(price, (int, float)):  # make_quote's scalar path: plain float arithmetic, no 0-d array
        return SMALL_TICK if price < TICK_SWITCH else TICK
    return np.where(np.asarray(price) < TICK_SWITCH, SMALL_TICK, TICK)


def make_quotes(mid: np.ndarray, fraction: float, min_width: float, max_width: float,
                power: float) -> tuple[np.ndarray, np.ndarray]:
    """Return (bid, ask) around ``mid`` with the documented width and tick rounding."""
    mid = np.asarray(mid, dtype=np.float64)
    tick = option_tick(mid)
    width = np.clip(fraction * np.power(np.maximum(mid, 0.0), power), min_width, max_width)
    n = np.maximum(np.rint(width / tick), 1.0)
    lo = np.maximum(np.floor((mid - n * tick / 2.0) / tick + 0.5 + 1e-9), 0.0)
    bid, ask = np.round(lo * tick, 2), np.round((lo + n) * tick, 2)
    # The 1e-9 snap absorbs division noise but can land a hair past mid: step back (the width is kept).
    past = bid > mid
    bid, ask = np.where(past, np.round(bid - tick, 2), bid), np.where(past, np.round(ask - tick, 2), ask)
    # an ask of 3.00 or more quotes in 0.10 (a mid below 3 placed it on the 0.05 grid): up to the next 0.10
    ask = np.where(ask >= TICK_SWITCH, np.round(np.ceil(ask / TICK - 1e-9) * TICK, 2), ask)
    return bid, ask


def make_quote(mid: float, fraction: float, min_width: float, max_width: float, power: float) -> tuple[float, float]:
    """Return (bid, ask) of one ``mid``: :func:`make_quotes` in scalar arithmetic, equal to it bit for bit."""
    tick = option_tick(mid)
    width = min(max(fraction * max(mid, 0.0) ** power, min_width), max_width)
    n = max(float(round(width / tick)), 1.0)
    lo = max(float(math.floor((mid - n * tick / 2.0) / tick + 0.5 + 1e-9)), 0.0)
    bid, ask = _round2(lo * tick), _round2((lo + n) * tick)
    if bid > mid:
        bid, ask = _round2(bid - tick), _round2(ask - tick)
    if ask >= TICK_SWITCH:
        ask = _round2(math.ceil(ask / TICK - 1e-9) * TICK)
    return bid, ask


def _round2(x: float) -> float:
    return round(x * 100.0) / 100.0  # numpy's round(x, 2): half-even rint of x * 100, then / 100


def atm_vol(vix, t_years, smile: SpxSmileConfig, curve: VxCurveConfig):
    """Return the modelled SPX ATM vol (fraction) for maturity ``t_years`` (scalars or arrays of days)."""
    theta, kappa = curve.long_run_level, curve.mean_reversion_per_year
    kt = kappa * np.maximum(t_years, 1e-8)
    vbar = theta + (vix - theta) * (-np.expm1(-kt)) / kt
    return smile.vix_to_atm * vbar / 100.0


def spx_strike_grid(forward: float, sigma_atm: float, t_years: float) -> np.ndarray:
    """Return the 5-point strike grid from 6 sd below to 4 sd above the forward."""
    sd = sigma_atm * np.sqrt(max(t_years, 1.0 / 365.0))
    lo = max(SPX_STRIKE_STEP, np.floor(forward * np.exp(-6.0 * sd) / SPX_STRIKE_STEP) * SPX_STRIKE_STEP)
    hi = np.ceil(forward * np.exp(4.0 * sd) / SPX_STRIKE_STEP) * SPX_STRIKE_STEP
    return np.arange(lo, hi + SPX_STRIKE_STEP / 2, SPX_STRIKE_STEP)


def index_relations(smile: SpxSmileConfig) -> dict[str, tuple[float, float, float]]:
    """Return the ``(c, d, e)`` of ``ln(I / VIX) = c + d ln VIX + e ln(A / VIX)`` per vol index and SKEW
    (feeds.surface)."""
    r = smile.index_relations
    return {name: tuple(r[3 * i:3 * i + 3]) for i, name in enumerate(surface.ESTIMATED)}


def day_index_levels(vix: float, smile: SpxSmileConfig, levels: np.ndarray | None = None) -> np.ndarray:
    """Return the day's VIX9D, VIX, VIX3M, VIX6M, VIX1Y, SKEW: ``levels`` where given (finite), else from VIX."""
    return days_index_levels(np.array([vix]), smile, None if levels is None else [levels])[0]


def days_index_levels(vix: np.ndarray, smile: SpxSmileConfig, levels) -> np.ndarray:
    """:func:`day_index_levels` of several days: one row per VIX close (``levels``: one row per day, or None)."""
    est = surface.indices_from_vix(vix, index_relations(smile))
    if levels is None:
        return est
    levels = np.asarray(levels, dtype=np.float64)
    return np.where(np.isfinite(levels), levels, est)


def surface_params(smile: SpxSmileConfig) -> np.ndarray:
    """Return the surface keys of ``smile`` in ``feeds.surface.PARAMS`` order."""
    return np.array([getattr(smile, name) for name in surface.PARAMS])


def surface_atm(t: np.ndarray, days: np.ndarray, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Return each day's ATM vol at its tenor ``t`` (floored at a day) and its SKEW's skewness (``days``: index
    levels, one row per day)."""
    skewness = surface.index_skewness(days[:, -1])
    return surface.atm_base(t, days) * surface.atm_ratio(params, t, skewness), skewness


def spx_chain(spot: float, vix: float, expiry: dt.date, t_years: float, rate: float, div_yield: float,
              smile: SpxSmileConfig, curve: VxCurveConfig, spreads: SpreadConfig,
              strikes: np.ndarray | None = None, levels: np.ndarray | None = None) -> OptionChain:
    """Price an SPX chain (both rights) for one expiry on one day: :func:`spx_chains` of one day.

    ``levels``: the day's closing VIX9D, VIX, VIX3M, VIX6M, VIX1Y, SKEW (NaN where not published) for the
    surface model; None = estimated from ``vix``. ``strikes``: None = the model grid (:func:`spx_strike_grid`).
    """
    return spx_chains([spot], [vix], expiry, [t_years], [rate], div_yield, smile, curve, spreads,
                      None if strikes is None else [strikes], None if levels is None else [levels])[0]


def spx_chains(spot, vix, expiry: dt.date, t_years, rate, div_yield: float, smile: SpxSmileConfig,
               curve: VxCurveConfig, spreads: SpreadConfig, strikes=None, levels=None) -> list[OptionChain]:
    """Price the SPX chains of one expiry on several days in one vectorised pass (one numpy call per step for all
    days' strikes): ``spot``, ``vix``, ``t_years``, ``rate`` hold one value per day, ``strikes`` and ``levels`` one
    array per day (or None). Element by element each chain is the arithmetic of pricing its day alone, so the
    numbers do not depend on how days are batched (tests/feeds/test_chains.py); the per-call overhead of
    ~40 small numpy calls a chain is paid once per batch (issue 16, cold start).
    """
    spot, vix, t, rate = (np.asarray(a, dtype=np.float64) for a in (spot, vix, t_years, rate))
    forward = spot * np.exp((rate - div_yield) * t)
    surf = smile.model is SmileModel.SURFACE
    if surf:
        params, tt = surface_params(smile), np.maximum(t, 1.0 / 365.0)
        sig_atm, skewness = surface_atm(tt, days_index_levels(vix, smile, levels), params)
    else:
        sig_atm = atm_vol(vix, t, smile, curve)
    grids = ([spx_strike_grid(f, s, u) for f, s, u in zip(forward, sig_atm, t.tolist())] if strikes is None else
             [np.asarray(k, dtype=np.float64) for k in strikes])
    lens = [len(k) for k in grids]
    at = np.repeat(np.arange(len(grids)), lens)  # each strike's day
    k_all, fwd, sig = np.concatenate(grids), forward[at], sig_atm[at]
    if surf:
        z = np.log(k_all / fwd) / (sig * np.sqrt(tt[at]))  # surface.smile_shape: the wings
        shape = surface.smile_shape(params, z, skewness[at], tt[at])
    else:
        z = np.clip(np.log(k_all / fwd) / (sig * np.sqrt(np.maximum(t[at], 1e-8))), -4.0, 4.0)
        shape = 1.0 + smile.skew * z + smile.curvature * z * z
    vol = sig * np.maximum(smile.min_vol_fraction, shape)
    g = pricing.bsm_greeks(spot[at], k_all, t[at], rate[at], div_yield, vol, RIGHTS)
    sides = _split_sides(g, vol, (spreads.spx_option_fraction, spreads.spx_option_min, spreads.spx_option_max,
                                  spreads.spx_option_power), lens)
    return [OptionChain(expiry, float(t[d]), float(spot[d]), float(forward[d]), grids[d], call, put)
            for d, (call, put) in enumerate(sides)]


def _split_sides(g: pricing.Greeks, vol: np.ndarray, spread: tuple[float, float, float, float],
                 lens: list[int]) -> list[tuple[Side, Side]]:
    """Return each chain's call and put sides from one pricing pass over every chain's strikes (``g``: rows call,
    put; ``lens``: the chains' strike counts, ``vol`` their strikes' vols).

    Both rights and all chains are priced in one call (element by element the same arithmetic as one call per
    right and chain, checked byte-equal on the run outputs): a chain's pricing is mostly per-call overhead.
    """
    mid = np.asarray(g.price, dtype=np.float64)
    bid, ask = make_quotes(mid, *spread)
    delta, gamma, vega, theta = (np.asarray(x) for x in (g.delta, g.gamma, g.vega, g.theta))
    out, o = [], 0
    for n in lens:
        part = slice(o, o + n)
        out.append(tuple(Side(bid[r, part], ask[r, part], mid[r, part], vol[part], delta[r, part], gamma[r, part],
                              vega[r, part], theta[r, part]) for r in (0, 1)))
        o += n
    return out  # type: ignore[return-value]


VVIX_CARRY = 5  # sessions a VVIX close is carried over days Cboe did not publish one (2 in 2007-2025: review 15 saw
# the level jump 0.80 -> 0.90 -> 0.80 for a day and held options marked up and back)


def vix_atm_levels(smile: VixSmileConfig, vvix: np.ndarray | None, days: int) -> tuple[np.ndarray, np.ndarray]:
    """Return each day's 30-day ATM vol of VIX options and whether it came from VVIX: ``atm_per_vvix`` x the day's
    VVIX close / 100 where ``vvix`` (Cboe's, by day; None: no vol-index file) is published, or was within
    :data:`VVIX_CARRY` sessions before, else ``atm_vol`` (and everywhere at ``atm_per_vvix = 0``)."""
    if vvix is None or smile.atm_per_vvix == 0:
        return np.full(days, smile.atm_vol), np.zeros(days, dtype=bool)
    vvix = np.asarray(vvix, dtype=float)
    at = np.arange(len(vvix))
    last = np.maximum.accumulate(np.where(np.isfinite(vvix), at, -1))  # the last published close on or before
    have = (last >= 0) & (at - last <= VVIX_CARRY)
    return np.where(have, smile.atm_per_vvix * vvix[np.maximum(last, 0)] / 100.0, smile.atm_vol), have


def vix_chain(future: float, vix_beta: float, expiry: dt.date, t_years: float, rate: float,
              smile: VixSmileConfig, spreads: SpreadConfig, strikes: np.ndarray | None = None,
              atm: float | None = None) -> OptionChain:
    """Price a VIX option chain off the same-expiry VX future with Black-76; ``atm``: the day's 30-day ATM vol
    (a Market's ``vix_atm``, :func:`vix_atm_levels`; None: ``smile.atm_vol``)."""
    if strikes is None:  # the listed grid (vixhedge.core.vixstrikes) from half the future to three times it
        strikes = vixstrikes.between(max(1.0, np.floor(future * 0.5)), np.ceil(future * 3.0))
    strikes = np.asarray(strikes, dtype=np.float64)
    term = (max(t_years, 1.0 / 365.0) / (30.0 / 365.0)) ** (-smile.term_exponent)
    vol = (smile.atm_vol if atm is None else atm) * term * np.maximum(0.3, 1.0 + smile.skew * np.log(strikes / future))
    g = pricing.black76_greeks(future, strikes, t_years, rate, vol, RIGHTS)
    ((call, put),) = _split_sides(g, vol, (spreads.vix_option_fraction, spreads.vix_option_min,
                                          spreads.vix_option_max, spreads.vix_option_power), [len(strikes)])
    return OptionChain(expiry, t_years, future, future, strikes, call, put, vix_beta=vix_beta)
