"""A hedge-policy plug-in written only against ``vixhedge.api``: a fixed-size VX layer held while VX is above its
20-day mean.

Run it (README "Plug-ins"): ``PYTHONPATH=examples python -m vixhedge run examples/custom_hedge.toml``.

custom_hedge.toml sets ``[hedge.macd] fast = 1, slow = 20``: the MACD line is then the VX series minus its 20-day
exponential mean, so ``snap.macd > 0`` reads "VX is above its 20-day mean". While it is, the book holds one layer
of ``[hedge.policy_params] contracts`` VX futures (cut to ``max_notional_usd`` / ``premium_budget_usd``; none without
an open condor when ``hedge.require_condor``); when VX falls back below its mean the layer is sold. A held layer
rolls ``hedge.roll_days`` sessions before its expiry, as the built-ins' layers do.
"""

from __future__ import annotations

from dataclasses import dataclass

from vixhedge.api import AddLayer, BookState, Decision, HedgeConfig, RemoveLayer, Snapshot, cap_contracts, due_rolls

ABOVE, BELOW = "vx_above_mean", "vx_below_mean"  # the names signals.csv, layers.csv and trades.csv show


@dataclass(frozen=True)
class Params:
    """The policy's own config, ``[hedge.policy_params]`` (checked when the config loads)."""

    contracts: int = 2  # VX futures held while VX is above its mean

    def __post_init__(self) -> None:
        if not (isinstance(self.contracts, int) and self.contracts >= 1):
            raise ValueError(f"contracts = {self.contracts!r}: use a whole number >= 1")


def policy(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision:
    """Hold ``contracts`` VX while VX is above its 20-day mean (one decision per bar, pure)."""
    rolls = tuple(due_rolls(state, cfg))
    rolled = ("roll",) if rolls else ()
    if not snap.valid:  # MACD still warming up: only keep what is held rolled
        return Decision(rolls, rolled, rolled)
    if snap.macd > 0 and not state.layers:
        if cfg.require_condor and not state.condor_contracts:
            return Decision(rolls, rolled + (f"{ABOVE}!no_condor",), rolled)
        n, why = cap_contracts(Params(**cfg.policy_params).contracts, state.layers, state.unit, cfg)
        if n < 1:
            return Decision(rolls, rolled + (f"{ABOVE}!{why}",), rolled)
        return Decision(rolls + (AddLayer(n, 1.0, ABOVE),), rolled + (ABOVE,), rolled + (ABOVE,))
    if snap.macd <= 0 and state.layers:
        return Decision(tuple(RemoveLayer(L.layer_id, BELOW) for L in state.layers), (BELOW,), (BELOW,))
    return Decision(rolls, rolled, rolled)


policy.params = Params  # what vixhedge checks [hedge.policy_params] against
