"""VegaDrift: the book's vega against the condor's own vega and the policy's band.

Units (first-form bridge, documented simplification): condor vega in USD per SPX
implied-vol point (sum of model vegas x 100 x quantity); hedge vega in USD per VIX point,
the dollar change of the hedge when spot VIX moves one point through the VX curve model
(dF/dVIX = exp(-kappa tau) for futures, times the Black-76 delta for VIX options). One VIX
point is taken as one SPX vol point; a tenor-matched bridge is future work.

The hedge ratio is hedge vega / |condor vega|; a day is in band when the ratio lies in
``[low, high]``; drift is the USD-per-point distance outside the band (0 inside). Days
without an open condor are not counted.
"""

from __future__ import annotations

import backtrader as bt
import numpy as np

from vixhedge.instruments import Kind


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


class VegaDrift(bt.Analyzer):
    params = (("band", (0.25, 0.75)),)

    def start(self) -> None:
        self.rows: list[dict] = []

    def next(self) -> None:
        broker = self.strategy.broker
        cv, hv = book_vega(broker.ledger, broker.p.market, broker.day_index)
        ratio, d = drift(cv, hv, self.p.band)
        self.rows.append({"date": broker.today, "condor_vega_usd": cv, "hedge_vega_usd": hv,
                          "net_vega_usd": cv + hv, "hedge_ratio": ratio, "vega_drift_usd": d})

    def get_analysis(self) -> dict:
        active = [r for r in self.rows if r["condor_vega_usd"] != 0]
        if not active:
            return {"days_with_condor": 0}
        d = np.array([r["vega_drift_usd"] for r in active])
        return {"days_with_condor": len(active), "band": list(self.p.band),
                "mean_abs_drift_usd": round(float(np.abs(d).mean()), 2),
                "max_drift_usd": round(float(np.abs(d).max()), 2),
                "share_days_outside_band": round(float((d != 0).mean()), 4),
                "mean_hedge_ratio": round(float(np.mean([r["hedge_ratio"] for r in active])), 4)}
