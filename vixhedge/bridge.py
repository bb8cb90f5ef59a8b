"""Tenor-matched bridge from VIX-point exposure to SPX-vega-equivalent (pure).

Under the project's models (feeds.vxcurve, feeds.chains) spot VIX drives both books:

* a VX future of tenor tau moves ``dF/dVIX = exp(-kappa tau)`` per VIX point (its ``vix_beta``;
  a VIX option moves its Black-76 delta times that);
* an SPX option of maturity T has ATM vol ``vix_to_atm * vbar(T)``, where ``vbar(T)`` is the VIX
  expected on average over [0, T]; it moves ``vix_to_atm * (1 - exp(-kappa T)) / (kappa T)``
  SPX vol points per VIX point (short tenors follow VIX one for one times ``vix_to_atm``, long
  tenors much less).

A hedge worth ``h`` USD per VIX point therefore offsets ``h / points_per_vix(T_condor)`` USD of
the condor's vega per SPX vol point at the condor's own tenor: that quotient is the hedge's
SPX-vega-equivalent. Simplification: every strike's vol is taken to move with the ATM vol of
its expiry (a parallel smile shift); the smile's own response to VIX is not modelled.
"""

from __future__ import annotations

import math

VIX_TENOR_YEARS = 30.0 / 365.0  # used when no condor is open


def spx_vol_points_per_vix_point(t_years: float, vix_to_atm: float, kappa: float) -> float:
    """Return how many SPX ATM vol points a maturity-``t_years`` option moves per VIX point."""
    x = kappa * max(t_years, 1e-8)
    return vix_to_atm * (-math.expm1(-x)) / x


def spx_vega_equivalent(usd_per_vix_point: float, condor_t_years: float | None, vix_to_atm: float,
                        kappa: float) -> float:
    """Return a VIX-point exposure as USD per SPX vol point at the condor's tenor."""
    t = VIX_TENOR_YEARS if condor_t_years is None else condor_t_years
    return usd_per_vix_point / spx_vol_points_per_vix_point(t, vix_to_atm, kappa)
