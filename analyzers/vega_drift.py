"""VegaDrift: the book's vega against the condor's own vega and the policy's target band.

Units: USD per vol point, SPX-vega-equivalent.

* Condor vega: sum over legs of model vega (USD per SPX implied-vol point, per unit) x 100 x
  signed quantity.
* Hedge vega (the bridge, first form, documented simplification): the USD change of the hedge
  when spot VIX moves one point, through the VX curve model F = theta + (VIX - theta) e^(-kappa tau):
  dF/dVIX = e^(-kappa tau) for a VX future (x 1,000 x qty), times the Black-76 delta for a VIX
  option (x 100 x qty); read from the quotes' ``vix_beta``. One VIX point is taken as one SPX
  vol point. Not tenor-matched: a 45-day SPX condor's vega and a 1-2 month VX future's beta
  respond to different parts of the vol term structure (future work).
* Hedge ratio = hedge vega / |condor vega|. The policy's target band ``[low, high]``
  (``analysis.hedge_ratio_band``, default 0.25-0.75: the hedge should offset a quarter to
  three quarters of the condor's short vega) in the same units: target hedge vega
  ``[low, high] x |condor vega|``, i.e. net vega (condor + hedge) in
  ``[condor + low |condor|, condor + high |condor|]``. The band is a measuring stick: the ALVH
  policy sizes layers by notional and MACD, not by this band.
* Drift = the USD-per-point distance of the hedge vega outside its target band (0 inside).
  Summary: mean |drift|, max |drift|, share of days outside the band, mean hedge ratio, over
  the days with an open condor (days without one are not counted).
"""

from __future__ import annotations

import backtrader as bt
import numpy as np

from vixhedge.instruments import Kind

UNIT = "USD per vol point, SPX-vega-equivalent (one VIX point = one SPX vol point)"


def book_vega(ledger, market, i: int) -> tuple[float, float]:
    """Return (condor vega, hedge vega) of the ledger's open positions on day ``i``."""
    condor = hedge = 0.0
    for pos in ledger.positions.values():
        q = market.quote(pos.contract, i)
        if pos.contract.kind is Kind.SPX_OPTION:
            condor += pos.qty * q.vega * pos.contract.multiplier
        else:
            hedge += pos.qty * q.vix_beta * pos.contract.multiplier
    return condor, hedge


def drift(condor_vega: float, hedge_vega: float, band: tuple[float, float]) -> tuple[float, float]:
    """Return (hedge ratio, drift in USD per point outside the band)."""
    scale = abs(condor_vega)
    if scale == 0:
        return float("nan"), 0.0
    ratio = hedge_vega / scale
    lo, hi = band
    outside = lo - ratio if ratio < lo else (ratio - hi if ratio > hi else 0.0)
    return ratio, outside * scale


def target_band(condor_vega: float, band: tuple[float, float]) -> tuple[float, float]:
    """Return the target hedge vega band (USD per point): ``band x |condor vega|`` (NaN without a condor)."""
    scale = abs(condor_vega)
    if scale == 0:
        return float("nan"), float("nan")
    return band[0] * scale, band[1] * scale


class VegaDrift(bt.Analyzer):
    """Daily book vega, hedge ratio, target band and drift; summary over days with a condor."""

    params = (("band", (0.25, 0.75)),)

    def start(self) -> None:
        self.rows: list[dict] = []

    def next(self) -> None:
        broker = self.strategy.broker
        cv, hv = book_vega(broker.ledger, broker.p.market, broker.day_index)
        ratio, d = drift(cv, hv, self.p.band)
        low, high = target_band(cv, self.p.band)
        self.rows.append({"date": broker.today, "condor_vega_usd": cv, "hedge_vega_usd": hv,
                          "net_vega_usd": cv + hv, "hedge_ratio": ratio, "vega_drift_usd": d,
                          "net_vega_band_low_usd": cv + low, "net_vega_band_high_usd": cv + high})

    def get_analysis(self) -> dict:
        active = [r for r in self.rows if r["condor_vega_usd"] != 0]
        if not active:
            return {"days_with_condor": 0}
        d = np.array([r["vega_drift_usd"] for r in active])
        return {"days_with_condor": len(active), "band": list(self.p.band), "unit": UNIT,
                "mean_abs_drift_usd": round(float(np.abs(d).mean()), 2),
                "max_drift_usd": round(float(np.abs(d).max()), 2),
                "share_days_outside_band": round(float((d != 0).mean()), 4),
                "mean_hedge_ratio": round(float(np.mean([r["hedge_ratio"] for r in active])), 4)}
