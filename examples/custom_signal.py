"""An extra-signal plug-in and a hedge policy that reads it, written only against ``vixhedge.api``.

Run it (README "Plug-ins"): ``PYTHONPATH=examples python -m vixhedge run examples/custom_plugins.toml``.

``vx_zscore`` is the VX series' z-score against its own trailing 20 bars (NaN for the first 19): causal, as an
extra signal must be (vixhedge checks it). Named in ``hedge.signals``, every policy reads it as
``snap.extra["vx_zscore"]`` and signals.csv shows it as ``extra_vx_zscore``. ``zscore_policy`` holds one layer of
``[hedge.policy_params] contracts`` VX futures while the z-score is above ``enter`` and sells it when it falls below
``leave`` (cut to the hedge caps; none without an open condor when ``hedge.require_condor``); a held layer rolls
``hedge.roll_days`` sessions before its expiry, as the built-ins' layers do.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from vixhedge.api import (
    AddLayer,
    BookState,
    Decision,
    HedgeConfig,
    RemoveLayer,
    SignalInputs,
    Snapshot,
    cap_contracts,
    due_rolls,
)

WINDOW = 20  # bars


def vx_zscore(inputs: SignalInputs, cfg: HedgeConfig) -> np.ndarray:
    """Return (VX - its trailing 20-bar mean) / its trailing 20-bar standard deviation, per bar."""
    vx = pd.Series(inputs.vx, dtype=float)
    roll = vx.rolling(WINDOW)
    return ((vx - roll.mean()) / roll.std()).to_numpy()


@dataclass(frozen=True)
class Params:
    """The policy's own config, ``[hedge.policy_params]``."""

    contracts: int = 2
    enter: float = 1.0  # z-score above which the layer is held
    leave: float = 0.0  # z-score below which it is sold

    def __post_init__(self) -> None:
        if not (isinstance(self.contracts, int) and self.contracts >= 1) or not self.leave < self.enter:
            raise ValueError(f"contracts = {self.contracts!r}, enter = {self.enter!r}, leave = {self.leave!r}: use "
                             "a whole number of contracts >= 1 and leave < enter")


def zscore_policy(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision:
    """Hold ``contracts`` VX while the VX z-score is high (one decision per bar, pure)."""
    p = Params(**cfg.policy_params)
    z = snap.extra["vx_zscore"]
    rolls = tuple(due_rolls(state, cfg))
    rolled = ("roll",) if rolls else ()
    if np.isnan(z):  # the signal's own warm-up
        return Decision(rolls, rolled, rolled)
    if z > p.enter and not state.layers:
        if cfg.require_condor and not state.condor_contracts:
            return Decision(rolls, rolled + ("vx_z_high!no_condor",), rolled)
        n, why = cap_contracts(p.contracts, state.layers, state.unit, cfg)
        if n < 1:
            return Decision(rolls, rolled + (f"vx_z_high!{why}",), rolled)
        return Decision(rolls + (AddLayer(n, 1.0, "vx_z_high"),), rolled + ("vx_z_high",), rolled + ("vx_z_high",))
    if z < p.leave and state.layers:
        return Decision(tuple(RemoveLayer(L.layer_id, "vx_z_low") for L in state.layers), ("vx_z_low",), ("vx_z_low",))
    return Decision(rolls, rolled, rolled)


zscore_policy.params = Params
