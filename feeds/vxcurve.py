"""VX futures curve modelled from spot VIX (used where real per-contract data is absent).

Two models, chosen by ``market.vx_curve.model`` (the packaged default is the two-factor one,
fitted by ``python -m feeds.calibrate`` on levels AND daily changes of every real monthly settle):

``two_factor`` (default). Spot VIX is read as a slow level ``m``, a fast deviation ``x`` and a
transient part that futures ignore (a one-day VIX blip the next day partly reverses). Both states
are filtered causally from VIX closes alone, day by day (``d`` = calendar days since the last
close / 365)::

    m_pred = S(m, d)                                 x_pred = x e^(-k1 d)
    e      = VIX_t - m_pred - x_pred                 (the day's surprise)
    m_t    = m_pred + g_m e                          x_t = x_pred + g_x e      (g_m + g_x <= 1)

    S(m, tau) = theta2 / (1 - (1 - theta2 / m) e^(-k2 tau))      (the slow level's path; m floored at 1)

``S`` is the noise-free path of the 3/2 drift ``dm = k2 m (theta2 - m) / theta2 dt`` (Heston 1997,
"A simple new formula for options with stochastic volatility"; Goard and Mazur 2013, "Stochastic
volatility models and the pricing of VIX options", Mathematical Finance 23(3), model VIX itself with
it): ``1 / m`` reverts linearly to ``1 / theta2`` at ``k2``, so the slow level reverts at ``k2 m / theta2``
per year, faster the higher it is (``k2`` at ``m = theta2``): a months-long crisis unwinds faster than a
linear reversion fitted on calm years allows. Started on the first day at the filter's steady state
for a VIX that had stayed at its first close (:func:`steady_state`: in a calm market most of the gap to
``theta2`` is the fast deviation; starting at ``m = VIX_0, x = 0`` instead put the slow level of
2014-01-03, the embedded market's first day, 4.1 points low, and it took the rest of 2014 to
converge). The filter's expectation of VIX ``h`` years on is ``S(m, h) + x e^(-k1 h)``
(:func:`vix_forecast`); a contract ``tau`` years from settlement pays a premium over it::

    F = S(m, tau) + x e^(-k1 tau) + (c + 20 c1 ln(m / 20)) (1 - e^(-kp tau))

fast mean reversion ``k1`` of the deviation (backwardation after a spike that unwinds in weeks), a
slow level that itself drifts back to ``theta2``, and a tenor premium (the VIX premium: futures over
expected VIX) that grows with the slow level by ``c1`` per point at ``m = 20`` and ``20 c1 / m`` above.
Its VIX beta, the change of ``F`` per VIX point of surprise, is
``g_m ((S / m)^2 e^(-k2 tau) + (20 c1 / m) (1 - e^(-kp tau))) + g_x e^(-k1 tau)``: about 0.6 at 0-30
days and 0.4 at 30-60, as measured on the real settles, where the one-factor model gives 0.9/0.8.
At ``tau = 0`` ``F = m + x`` (VIX less its transient part); the settlement day holds the VRO proxy.

``one_factor`` (the model before; kept for comparison and for the SPX smile's ATM term structure)::

    F(t, T) = theta + (VIX_t - theta) * exp(-kappa * tau),   tau = calendar days / 365

``dF/dVIX = exp(-kappa * tau)``. It fits levels but moves about twice as much as the real curve.

With real per-contract settles (:func:`with_real_settles`) the curve holds the real settle
where one exists, the last real settle moved by the model's change over gaps, and the model
before a contract's first real row; ``VxCurve.origin`` says which, per price.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from feeds import calendars
from vixhedge.core.config import CurveModel, VxCurveConfig

LISTED_DAYS = 270  # a monthly contract is quoted once it settles within ~9 months


def model_price(vix: np.ndarray, tau_years: np.ndarray, theta: float, kappa: float) -> np.ndarray:
    """Return the modelled VX future price for spot ``vix`` and time to settlement ``tau_years``."""
    return theta + (np.asarray(vix) - theta) * np.exp(-kappa * np.asarray(tau_years))


def vix_beta(tau_years: np.ndarray, kappa: float) -> np.ndarray:
    """Return dF/dVIX of the model for time to settlement ``tau_years``."""
    return np.exp(-kappa * np.asarray(tau_years))


PREMIUM_REFERENCE_LEVEL = 20.0  # the slow level at which the tenor premium is ``c`` (points)
MIN_SLOW_LEVEL = 1.0  # the premium's log and the slow path read the slow level floored here (VIX never closed below 9)


def two_factor_states(dates: pd.DatetimeIndex, vix: np.ndarray, c: VxCurveConfig) -> tuple[np.ndarray, np.ndarray]:
    """Return the filtered slow level ``m`` and fast deviation ``x`` per day (causal; module docstring)."""
    vix = np.asarray(vix, dtype=np.float64)
    gap = np.diff(dates.values.astype("datetime64[D]")).astype(np.float64) / 365.0
    decay_x = np.exp(-c.fast_reversion_per_year * gap)
    decay_m = np.exp(-c.slow_reversion_per_year * gap)
    theta, g_m, g_x = c.slow_long_run_level, c.slow_gain, c.fast_gain
    m_out, x_out = np.empty_like(vix), np.empty_like(vix)
    m, x = steady_state(float(vix[0]), c) if len(vix) else (0.0, 0.0)
    if len(vix):
        m_out[0], x_out[0] = m, x
    # Python floats in the loop (the same IEEE double operations as numpy's scalars, a third of their cost)
    vix_l, decay_m_l, decay_x_l = vix.tolist(), decay_m.tolist(), decay_x.tolist()
    for t in range(1, len(vix)):  # ~2 us a day: 9,000 days in 20 ms
        m = theta / (1.0 - (1.0 - theta / max(m, MIN_SLOW_LEVEL)) * decay_m_l[t - 1])  # S(m, d)
        x *= decay_x_l[t - 1]
        e = vix_l[t] - m - x
        m += g_m * e
        x += g_x * e
        m_out[t], x_out[t] = m, x
    return m_out, x_out


def tenor_premium(m: np.ndarray, c: VxCurveConfig) -> np.ndarray:
    """Return the tenor premium ``c + c1 L ln(m / L)``, ``L`` = 20: slope ``c1`` per point at ``m = L``, ``c1 L / m`` above."""
    level = np.maximum(np.asarray(m, dtype=np.float64), MIN_SLOW_LEVEL)
    return c.premium + c.premium_per_level * PREMIUM_REFERENCE_LEVEL * np.log(level / PREMIUM_REFERENCE_LEVEL)


def steady_state(vix: float, c: VxCurveConfig) -> tuple[float, float]:
    """Return the filter's ``(m, x)`` had VIX stayed at ``vix``: its state on a market's first day.

    With VIX constant the surprises that remain just offset the reversions, ``g_x e = k1 x dt`` and
    ``g_m e = k2 m (m - theta2) / theta2 dt``, with ``m + x = vix``: ``p (vix - m) = r m (m - theta2) / theta2``
    (``p = g_m k1``, ``r = g_x k2``), whose positive root is
    ``2 p vix / (p - r + sqrt((p - r)^2 + 4 p r vix / theta2))``.
    """
    theta = c.slow_long_run_level
    p, r = c.slow_gain * c.fast_reversion_per_year, c.fast_gain * c.slow_reversion_per_year
    if p == 0:  # the slow level takes no surprise: it sits at theta2 if it reverts at all
        m = theta if r > 0 else vix
    else:
        m = 2.0 * p * vix / (p - r + math.sqrt((p - r) ** 2 + 4.0 * p * r * vix / theta))
    return m, vix - m


def slow_path(m: np.ndarray, tau_years: np.ndarray, c: VxCurveConfig) -> np.ndarray:
    """Return ``S(m, tau)``, the slow level's noise-free path ``tau`` years on (3/2 drift; module docstring)."""
    theta = c.slow_long_run_level
    m = np.maximum(np.asarray(m, dtype=np.float64), MIN_SLOW_LEVEL)
    return theta / (1.0 - (1.0 - theta / m) * np.exp(-c.slow_reversion_per_year * np.asarray(tau_years)))


def vix_forecast(m: np.ndarray, x: np.ndarray, h_years: np.ndarray, c: VxCurveConfig) -> np.ndarray:
    """Return the filter's expectation of VIX ``h_years`` on: the curve without its tenor premium."""
    return slow_path(m, h_years, c) + x * np.exp(-c.fast_reversion_per_year * np.asarray(h_years))


def two_factor_price(m: np.ndarray, x: np.ndarray, tau_years: np.ndarray, c: VxCurveConfig) -> np.ndarray:
    """Return the two-factor model price for states ``m``, ``x`` and time to settlement ``tau_years``."""
    return vix_forecast(m, x, tau_years, c) - tenor_premium(m, c) * np.expm1(-c.premium_reversion_per_year * np.asarray(tau_years))


def two_factor_beta(m: np.ndarray, tau_years: np.ndarray, c: VxCurveConfig) -> np.ndarray:
    """Return the two-factor dF/dVIX at slow level ``m``: the price change per VIX point of surprise."""
    tau = np.asarray(tau_years)
    m = np.maximum(np.asarray(m, dtype=np.float64), MIN_SLOW_LEVEL)
    above = m > MIN_SLOW_LEVEL  # below the floor the price does not move with m
    premium_slope = np.where(above, c.premium_per_level * PREMIUM_REFERENCE_LEVEL / m, 0.0)
    path_slope = np.where(above, (slow_path(m, tau, c) / m) ** 2 * np.exp(-c.slow_reversion_per_year * tau), 0.0)
    slow = path_slope - premium_slope * np.expm1(-c.premium_reversion_per_year * tau)
    return c.slow_gain * slow + c.fast_gain * np.exp(-c.fast_reversion_per_year * tau)


def curve_model(dates: pd.DatetimeIndex, vix: np.ndarray, tau_years: np.ndarray,
                c: VxCurveConfig) -> tuple[np.ndarray, np.ndarray]:
    """Return (price, dF/dVIX) of the configured model; ``tau_years[i, j]`` per day and contract."""
    vix = np.asarray(vix, dtype=np.float64)
    if c.model is CurveModel.ONE_FACTOR:
        return (model_price(vix[:, None], tau_years, c.long_run_level, c.mean_reversion_per_year),
                vix_beta(tau_years, c.mean_reversion_per_year))
    m, x = two_factor_states(dates, vix, c)
    return two_factor_price(m[:, None], x[:, None], tau_years, c), two_factor_beta(m[:, None], tau_years, c)


@dataclass(frozen=True)
class VxCurve:
    """Daily prices of every monthly VX contract over a date span.

    ``prices[i, j]`` is contract ``j`` on day ``i`` (NaN before listing and after
    settlement); on its settlement day it holds the settlement value.
    """

    dates: pd.DatetimeIndex
    contracts: tuple[calendars.VxContract, ...]
    settlement_ns: np.ndarray  # datetime64[ns] per contract
    prices: np.ndarray
    tau_years: np.ndarray
    beta: np.ndarray  # dF/dVIX of the model per day and contract (the quotes' ``vix_beta``)
    model: np.ndarray = dataclasses.field(repr=False)  # the model price per day and contract, listed or not
    origin: np.ndarray | None = None  # per price: MODEL, REAL or ANCHORED; None = all modelled
    # per price: the exchange had not listed the contract that day (:func:`with_real_settles`); None = none such.
    # Its model price stays (the MACD's 30-day series interpolates it between real neighbours), but no rank counts it
    unlisted: np.ndarray | None = None

    @classmethod
    def from_model(cls, dates: pd.DatetimeIndex, vix_close: np.ndarray, settle_values: np.ndarray,
                   curve: VxCurveConfig) -> VxCurve:
        """Build the curve from daily VIX closes; ``settle_values`` is the VRO proxy per day."""
        first = dates[0].date()
        last = dates[-1].date() + dt.timedelta(days=LISTED_DAYS + 40)
        contracts = tuple(calendars.vx_contracts(first, last))
        settle = np.array([np.datetime64(c.settlement, "ns") for c in contracts])
        day_ns = dates.values.astype("datetime64[ns]")
        tau = (settle[None, :] - day_ns[:, None]).astype("timedelta64[D]").astype(np.float64) / 365.0
        model, beta = curve_model(dates, vix_close, tau, curve)
        on_settle = tau == 0
        prices = np.where(on_settle, settle_values[:, None], model)
        prices = np.where((tau < 0) | (tau > LISTED_DAYS / 365.0), np.nan, prices)
        return cls(dates, contracts, settle, prices, tau, beta, model)

    def column(self, settlement: dt.date) -> int:
        """Return the column of the contract settling on ``settlement``."""
        try:
            return self._columns[settlement]
        except KeyError:
            raise KeyError(f"no monthly VX contract settles on {settlement}") from None

    @functools.cached_property
    def _columns(self) -> dict[dt.date, int]:
        return {c.settlement: j for j, c in enumerate(self.contracts)}

    def nth_contract(self, i: int, n: int) -> calendars.VxContract:
        """Return the n-th (1 = front) listed contract settling strictly after day ``i``."""
        _check_n(n)
        if self.unlisted is None:
            j = int(self._first_live[i]) + n - 1  # contracts are ordered by settlement
        else:
            live = np.flatnonzero(self._ranked[i])
            j = int(live[n - 1]) if n <= len(live) else len(self.contracts)
        if not self.tau_years[i, -1] > 0 or j >= len(self.contracts):
            raise IndexError(f"no VX contract #{n} after {self.dates[i].date()}")
        return self.contracts[j]

    @functools.cached_property
    def _first_live(self) -> np.ndarray:
        """Per day, the column of the first contract settling strictly after it."""
        return np.argmax(self.tau_years > 0, axis=1)

    @functools.cached_property
    def _ranked(self) -> np.ndarray:
        """Per day and contract: it settles strictly after the day and is not :attr:`unlisted` (the ranks count it)."""
        live = self.tau_years > 0
        return live if self.unlisted is None else live & ~self.unlisted

    def skipped_near(self, i0: int, i1: int, months: int) -> list[int]:
        """Return the columns of the :attr:`unlisted` months among the ``months`` nearest (from the month before the
        front, whose settlement day it may be) on days ``i0 .. i1 - 1``, in settlement order ([] when none)."""
        if self.unlisted is None:
            return []
        first = np.argmax(self.tau_years[i0:i1] > 0, axis=1)
        cols = np.clip(first[:, None] + np.arange(-1, months)[None, :], 0, len(self.contracts) - 1)
        return sorted(set(cols[self.unlisted[np.arange(i0, i1)[:, None], cols]].tolist()))

    def unlisted_months(self, i: int) -> tuple[tuple[int, int], ...]:
        """(year, month) of the contracts settling after day ``i`` that the exchange had not listed that day (the VX
        files' gaps, :attr:`unlisted`; () when none): margin counts a contract's listed month without them."""
        if self.unlisted is None:
            return ()
        got = self._unlisted_of.get(i)
        if got is None:  # (the Desk asks on every requirement: once per day)
            cols = np.flatnonzero(self.unlisted[i] & (self.tau_years[i] > 0))
            got = self._unlisted_of[i] = tuple((self.contracts[j].settlement.year, self.contracts[j].settlement.month)
                                               for j in cols)
        return got

    @functools.cached_property
    def _unlisted_of(self) -> dict[int, tuple[tuple[int, int], ...]]:
        return {}

    @functools.cached_property
    def listed_months(self) -> int:
        """How many contract months are quoted on every day: a contract quotes from ``LISTED_DAYS`` (270) days
        before its settlement, 8 or 9 months ahead (8 on the embedded market's leanest days), the nearest ones."""
        return int((np.isfinite(self.prices) & (self.tau_years > 0)).sum(axis=1).min())

    def listed_on(self, i: int) -> int:
        """How many contract months a run offers on day ``i`` (a Snapshot's VX arrays, an AddLayer's month bound):
        :attr:`listed_months`, fewer on a day the VX files show fewer listed (:attr:`unlisted`: 3 on days of 2005).
        Per day: the curve's leanest day would bound every run on it, a 2014 run by 2005's 3 months (review of
        session 8: a layer on month 4 was then sized on the default tenor's unit)."""
        return self.listed_months if self.unlisted is None else min(self.listed_months, int(self._listed_counts[i]))

    @functools.cached_property
    def _listed_counts(self) -> np.ndarray:
        return (np.isfinite(self.prices) & self._ranked).sum(axis=1)

    def continuous(self, n: int) -> np.ndarray:
        """Return the n-th month continuous series (no back-adjustment; rolls at settlement)."""
        cols = self.nth_columns(n)
        return self.prices[np.arange(len(self.dates)), cols]

    def nth_columns(self, n: int) -> np.ndarray:
        """Return, per day, the column of the n-th listed contract settling strictly after that day."""
        _check_n(n)
        later = self._ranked  # contracts are ordered by settlement: True runs to the end but for unlisted ones
        count = np.cumsum(later, axis=1)
        if n > later.shape[1] or not (count[:, -1] >= n).all():
            raise IndexError(f"the curve lists fewer than {n} contracts after some day")
        return np.argmax(count >= n, axis=1)


MODEL, REAL, ANCHORED = 0, 1, 2


def with_real_settles(curve: VxCurve, settles: np.ndarray) -> VxCurve:
    """Return ``curve`` priced off real daily settles where they exist and the model elsewhere.

    ``settles[i, j]`` is the real settle of contract ``j`` on day ``i`` (NaN where absent). Per
    contract and day, causally (nothing after the day is read):

    * a real settle is used as is (``REAL``); on the settlement day it is the final settlement
      value, which then replaces the VRO proxy;
    * a day without one after a real settle of the same contract (a gap in the file, or the data
      ending before the contract does) is the last real settle moved by the model's change since
      that day: ``F = S_k + model(i) - model(k)`` (``ANCHORED``), so marks follow VIX without
      jumping back onto the model curve; on the settlement day the VRO proxy is kept;
    * before a contract's first real settle the model price is kept (``MODEL``); when a contract settling later
      has a real settle that day, the exchange had listed the later month and not this one (CFE listed a few
      months at a time until 2007: Jul and Sep 2005 never, Dec 2005 from 2005-10-24 while May 2006 traded), so
      it is also :attr:`VxCurve.unlisted`: no rank counts it and no layer opens on it; so are, on such a day when the
      files quote three months or more, the months past the furthest one they quote (such files are the exchange's
      own listing). A file that holds only the nearest months, skipping none, leaves the later ones model-priced and
      listed.
    """
    if settles.shape != curve.prices.shape:
        raise ValueError(f"settles has shape {settles.shape}, the curve {curve.prices.shape}")
    raw = curve.model
    alive = curve.tau_years >= 0
    has = np.isfinite(settles) & alive
    rows = np.arange(len(curve.dates))[:, None]
    last = np.maximum.accumulate(np.where(has, rows, -1), axis=0)
    cols = np.arange(settles.shape[1])[None, :]
    safe = np.maximum(last, 0)
    anchored = settles[safe, cols] + raw - raw[safe, cols]
    use_anchor = ~has & (last >= 0) & (curve.tau_years > 0)
    prices = np.where(has, settles, np.where(use_anchor, anchored, curve.prices))
    origin = np.where(has, REAL, np.where(use_anchor, ANCHORED, MODEL)).astype(np.uint8)
    later_real = np.flip(np.logical_or.accumulate(np.flip(has, axis=1), axis=1), axis=1)  # a real settle at j or after
    skipped = alive & (last < 0) & np.concatenate([later_real[:, 1:], np.zeros((len(has), 1), bool)], axis=1)
    # on a day whose files skip a month and quote three or more (the CFE's own listing, 2004-2006: 3 to 9 months) the
    # months past the furthest one they quote were not listed either (trial RR3, session 16: a tenor of 5 opened on
    # Sep 2005, never listed); a file with a hole in fewer months (a rejected contract) keeps them, model-priced
    listing = skipped.any(axis=1) & ((has & (curve.tau_years > 0)).sum(axis=1) >= 3)
    skipped |= alive & (last < 0) & ~later_real & listing[:, None] & (curve.tau_years > 0)
    return dataclasses.replace(curve, prices=prices, origin=origin, unlisted=skipped if skipped.any() else None)


def _check_n(n: int) -> None:
    if isinstance(n, bool) or int(n) != n or n < 1:
        raise ValueError(f"contract rank n ({n!r}) must be a positive integer (1 = front month)")
