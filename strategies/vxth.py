"""VXTH-style baseline, on the ALVH code path: one-month ~30-delta VIX calls weighted by the front VX.

Modelled on the Cboe VIX Tail Hedge index idea: each month the book buys calls whose premium is a
share of NAV set by the front VX future's level (defaults: 0% up to 15, 1% above 15 to 30, 0.5%
above 30 to 50, 0% above 50). Here (documented simplifications): the calls are the
``vxth.call_delta`` call of the nearest VIX expiry more than ``vxth.min_sessions`` sessions away (about
a month at the roll), bought at the first bar of the run and on each roll day (``roll_days`` trading days
before the front VX settlement), when the held calls are sold and the new ones sized afresh;
contracts = floor(weight x NAV / premium per contract), cut to the premium budget.
"""

from __future__ import annotations

import math

from strategies.book import Action, AddLayer, BookState, Decision, RemoveLayer, Rule, cap_contracts
from strategies.signalset import Snapshot
from vixhedge.config import HedgeConfig, VxthConfig


def vxth_weight(front_vx: float, cfg: VxthConfig) -> float:
    """Return the premium weight (fraction of NAV) for a front VX level; 0 for NaN."""
    if not math.isfinite(front_vx):
        return 0.0
    lo, mid, hi = cfg.levels
    band = 0 if front_vx <= lo else 1 if front_vx <= mid else 2 if front_vx <= hi else 3
    return cfg.weights[band]


def decide_vxth(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision:
    """Return the VXTH decision: roll (sell and re-buy, re-weighted) monthly; open at the start."""
    due = [L for L in state.layers if state.days_to_expiry[L.layer_id] <= cfg.roll_days]
    if state.layers and not due:
        return Decision()
    if not state.layers and not (state.bars_in_run == 0 or state.front_dte == cfg.roll_days):
        return Decision()
    rule = Rule.VXTH_ROLL if state.layers or state.bars_in_run else Rule.VXTH
    actions: list[Action] = [RemoveLayer(L.layer_id, rule) for L in due]
    kept = tuple(L for L in state.layers if L not in due)
    weight = vxth_weight(snap.front_vx, cfg.vxth)
    premium = state.unit.premium_usd
    n = math.floor(weight * state.nav_usd / premium + 1e-9) if premium > 0 else 0
    n, why = cap_contracts(n, kept, state.unit, cfg)
    if n < 1:
        return Decision(tuple(actions), (f"{rule}!{why or 'weight_0'}",))
    actions.append(AddLayer(n, 1.0, rule))
    return Decision(tuple(actions), (rule.value,))
