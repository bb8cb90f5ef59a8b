"""Cboe VIX Tail Hedge (VXTH) rules, as an overlay on the ALVH code path and as a pure index replica.

Cboe's VXTH methodology (Cboe, "Cboe VIX Tail Hedge Index" index page and methodology,
https://www.cboe.com/index/dashboard/VXTH, formerly www.cboe.com/micro/VXTH): the index holds the S&P 500
total-return index and buys one-month 30-delta VIX calls at each monthly "roll", the VIX options
expiration; the calls are held to their settlement. The calls' weight is set at each roll by the
forward VIX, the VX future of the calls' month: 0% of the portfolio when it is at or below 15,
1% above 15 up to 30, 0.5% above 30 up to 50, 0% above 50.

Overlay (``hedge.mode = "vxth"``, :func:`decide_vxth`): on each VIX expiration day (and on the run's
first bar, to start hedged) while no calls are held, buy the ``vxth.call_delta`` call of the nearest
VIX expiry more than ``vxth.min_sessions`` sessions away (the next month's on an expiration day) for
weight(VX of that month) x NAV of premium (at the ask); held to settlement (cash at the VRO proxy).
With ``condor.enabled = false`` that is the overlay alone (cash + calls); :mod:`vixhedge.vxth_index`
computes the full replica with its S&P 500 total-return leg.
"""

from __future__ import annotations

import math

from strategies.book import AddLayer, BookState, Decision, Rule, cap_contracts, cap_counted
from strategies.snapshot import Snapshot
from vixhedge.core.config import HedgeConfig, VxthConfig


def vxth_weight(vx: float, cfg: VxthConfig) -> float:
    """Return the calls' premium weight (fraction of NAV) for the VX level of the calls' month; 0 for NaN."""
    if not math.isfinite(vx):
        return 0.0
    lo, mid, hi = cfg.levels
    band = 0 if vx <= lo else 1 if vx <= mid else 2 if vx <= hi else 3
    return cfg.weights[band]


def decide_vxth(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision:
    """Return the VXTH decision: buy weighted calls at a VIX expiration (or the first bar) when none are held."""
    if state.layers or not (state.bars_in_run == 0 or state.vix_expiration):
        return Decision()
    rule = Rule.VXTH if state.bars_in_run == 0 else Rule.VXTH_ROLL
    weight = vxth_weight(state.new_future, cfg.vxth)
    premium = state.unit.premium_usd
    n = math.floor(weight * state.nav_usd / premium + 1e-9) if premium > 0 else 0
    wanted = n
    n, why = cap_contracts(n, (), state.unit, cfg)
    counted = cap_counted(why, (), state.unit)
    if n < 1:  # a cap cut it to 0: an add of 0 the trader logs as refused (capital_cuts.csv)
        refused = (AddLayer(0, 1.0, rule, wanted=wanted, cap=why, cap_counted=counted),) if why else ()
        return Decision(refused, (f"{rule}!{why or 'weight_0'}",))
    return Decision((AddLayer(n, 1.0, rule, wanted=wanted if why else 0, cap=why, cap_counted=counted),),
                    (rule.value,))
