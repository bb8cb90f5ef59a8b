"""A condor-selection plug-in written only against ``vixhedge.api``: short strikes further out when VIX is high.

Run it (README "Plug-ins"): ``PYTHONPATH=examples python -m vixhedge run examples/custom_plugins.toml``.

On each bar the entry rule opens a condor (``condor.entry`` and its DTE window), ``pick`` places the short put and
call ``otm_per_vx_point`` x the front VX future away from spot (VX 15 -> 6% OTM, VX 30 -> 12% at the default
0.004), at listed strikes of the entry rule's expiry, with wings ``wing_points`` beyond them. It opens nothing when
the shorts' credit (at mid) is under ``min_credit`` index points: too little premium for the risk.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vixhedge.api import CondorChoice, CondorConfig, CondorLegs, OptionChain, Right


@dataclass(frozen=True)
class Params:
    """The selector's own config, ``[condor.selector_params]`` (checked when the config loads)."""

    otm_per_vx_point: float = 0.004  # short strikes' distance from spot, as a fraction per VX point
    wing_points: float = 50.0  # long strikes this many index points beyond the shorts
    min_credit: float = 1.0  # skip the bar when the two shorts' mid credit is below this (index points)

    def __post_init__(self) -> None:
        if not 0 < self.otm_per_vx_point < 0.02:
            raise ValueError(f"otm_per_vx_point = {self.otm_per_vx_point!r}: use a fraction in (0, 0.02)")
        if self.wing_points <= 0 or self.min_credit < 0:
            raise ValueError(f"wing_points = {self.wing_points!r}, min_credit = {self.min_credit!r}: use wing_points "
                             "> 0 and min_credit >= 0")


def _listed(chain: OptionChain, level: float) -> float:
    return float(chain.strikes[int(np.abs(chain.strikes - level).argmin())])


def pick(choice: CondorChoice, cfg: CondorConfig) -> CondorLegs | None:
    """Return the condor to open on ``choice.expiry`` (None: none this bar); pure."""
    p = Params(**cfg.selector_params)
    chain, vx = choice.chain, choice.snap.front_vx
    if not np.isfinite(vx):
        return None
    otm = p.otm_per_vx_point * vx
    sp, sc = _listed(chain, chain.underlying * (1 - otm)), _listed(chain, chain.underlying * (1 + otm))
    lp, lc = _listed(chain, sp - p.wing_points), _listed(chain, sc + p.wing_points)
    if not 0 < lp < sp < sc < lc:
        return None
    if chain.quote(sp, Right.PUT).mid + chain.quote(sc, Right.CALL).mid < p.min_credit:
        return None
    return CondorLegs(chain.expiry, lp, sp, sc, lc)


pick.params = Params  # what vixhedge checks [condor.selector_params] against
