"""VX futures curve modelled from spot VIX (used where real per-contract data is absent).

Model (documented simplification): under the pricing measure VIX mean-reverts to a
long-run level ``theta`` at speed ``kappa``, so the fair VX future of a contract settling in
``tau`` years is the expected VIX at settlement::

    F(t, T) = theta + (VIX_t - theta) * exp(-kappa * tau),   tau = calendar days / 365

This reproduces contango when VIX is below ``theta`` and backwardation in stress, and
converges to spot VIX at settlement (the contract settles to the VRO proxy). It has no
independent curve noise, no convexity or risk-premium term beyond ``theta``, and its
parameters are defaults, not yet calibrated (see the data issue): results that depend on
the exact shape of the VX curve should be checked on real per-contract data.
``dF/dVIX = exp(-kappa * tau)`` is the contract's "VIX beta" used to express VX exposure in
VIX points.

With real per-contract settles (:func:`with_real_settles`) the curve holds the real settle
where one exists, the last real settle moved by the model's change over gaps, and the model
before a contract's first real row; ``VxCurve.origin`` says which, per price.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd

from feeds import calendars

LISTED_DAYS = 270  # a monthly contract is quoted once it settles within ~9 months


def model_price(vix: np.ndarray, tau_years: np.ndarray, theta: float, kappa: float) -> np.ndarray:
    """Return the modelled VX future price for spot ``vix`` and time to settlement ``tau_years``."""
    return theta + (np.asarray(vix) - theta) * np.exp(-kappa * np.asarray(tau_years))


def vix_beta(tau_years: np.ndarray, kappa: float) -> np.ndarray:
    """Return dF/dVIX of the model for time to settlement ``tau_years``."""
    return np.exp(-kappa * np.asarray(tau_years))


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
    kappa: float
    origin: np.ndarray | None = None  # per price: MODEL, REAL or ANCHORED; None = all modelled

    @classmethod
    def from_model(cls, dates: pd.DatetimeIndex, vix_close: np.ndarray, settle_values: np.ndarray,
                   theta: float, kappa: float) -> VxCurve:
        """Build the curve from daily VIX closes; ``settle_values`` is the VRO proxy per day."""
        first = dates[0].date()
        last = dates[-1].date() + dt.timedelta(days=LISTED_DAYS + 40)
        contracts = tuple(calendars.vx_contracts(first, last))
        settle = np.array([np.datetime64(c.settlement, "ns") for c in contracts])
        day_ns = dates.values.astype("datetime64[ns]")
        tau = (settle[None, :] - day_ns[:, None]).astype("timedelta64[D]").astype(np.float64) / 365.0
        prices = model_price(vix_close[:, None], tau, theta, kappa)
        on_settle = tau == 0
        prices = np.where(on_settle, settle_values[:, None], prices)
        prices = np.where((tau < 0) | (tau > LISTED_DAYS / 365.0), np.nan, prices)
        return cls(dates, contracts, settle, prices, tau, kappa)

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
        """Return the n-th (1 = front) contract settling strictly after day ``i``."""
        _check_n(n)
        j = int(self._first_live[i]) + n - 1  # contracts are ordered by settlement
        if not self.tau_years[i, -1] > 0 or j >= len(self.contracts):
            raise IndexError(f"no VX contract #{n} after {self.dates[i].date()}")
        return self.contracts[j]

    @functools.cached_property
    def _first_live(self) -> np.ndarray:
        """Per day, the column of the first contract settling strictly after it."""
        return np.argmax(self.tau_years > 0, axis=1)

    def continuous(self, n: int) -> np.ndarray:
        """Return the n-th month continuous series (no back-adjustment; rolls at settlement)."""
        cols = self.nth_columns(n)
        return self.prices[np.arange(len(self.dates)), cols]

    def nth_columns(self, n: int) -> np.ndarray:
        """Return, per day, the column of the n-th contract settling strictly after that day."""
        _check_n(n)
        later = self.tau_years > 0  # contracts are ordered by settlement: True runs to the end
        if n > later.shape[1] or not later[:, -n].all():
            raise IndexError(f"the curve lists fewer than {n} contracts after some day")
        return np.argmax(later, axis=1) + (n - 1)


MODEL, REAL, ANCHORED = 0, 1, 2


def with_real_settles(curve: VxCurve, settles: np.ndarray, vix_close: np.ndarray, theta: float) -> VxCurve:
    """Return ``curve`` priced off real daily settles where they exist and the model elsewhere.

    ``settles[i, j]`` is the real settle of contract ``j`` on day ``i`` (NaN where absent). Per
    contract and day, causally (nothing after the day is read):

    * a real settle is used as is (``REAL``); on the settlement day it is the final settlement
      value, which then replaces the VRO proxy;
    * a day without one after a real settle of the same contract (a gap in the file, or the data
      ending before the contract does) is the last real settle moved by the model's change since
      that day: ``F = S_k + model(i) - model(k)`` (``ANCHORED``), so marks follow VIX without
      jumping back onto the model curve; on the settlement day the VRO proxy is kept;
    * before a contract's first real settle the model price is kept (``MODEL``).
    """
    if settles.shape != curve.prices.shape:
        raise ValueError(f"settles has shape {settles.shape}, the curve {curve.prices.shape}")
    raw = model_price(np.asarray(vix_close)[:, None], curve.tau_years, theta, curve.kappa)
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
    return dataclasses.replace(curve, prices=prices, origin=origin)


def _check_n(n: int) -> None:
    if isinstance(n, bool) or int(n) != n or n < 1:
        raise ValueError(f"contract rank n ({n!r}) must be a positive integer (1 = front month)")
