"""Section ``[hedge.vxth]``: the Cboe VXTH baseline's rules (strategies.vxth).

VXTH is a hedge of its own (monthly VIX calls held to settlement), not one of the switchable ALVH rules of
:mod:`.hedge`; ``[hedge]`` carries it as a sub-table, read when ``hedge.mode = "vxth"``.
"""

from __future__ import annotations

from dataclasses import dataclass

from vixhedge.core.config.base import check


@dataclass(frozen=True, slots=True, kw_only=True)
class VxthConfig:
    """Cboe VXTH rules: one-month ~30-delta VIX calls bought at each VIX expiration, held to settlement,
    premium = weight(VX of the calls' month) x NAV (strategies.vxth).

    The calls' expiry is the nearest VIX expiry more than ``min_sessions`` sessions away (the next
    month's on an expiration day).

    ``weights[k]`` applies when that VX lies in the k-th band of ``levels``:
    (-inf, 15], (15, 30], (30, 50], (50, inf) by default, giving 0%, 1%, 0.5%, 0% of NAV.
    """

    call_delta: float = 0.30
    min_sessions: int = 15
    levels: tuple[float, float, float] = (15.0, 30.0, 50.0)
    weights: tuple[float, float, float, float] = (0.0, 0.01, 0.005, 0.0)

    def __post_init__(self) -> None:
        check(0.05 <= self.call_delta <= 0.95, "hedge.vxth.call_delta", self.call_delta,
              "the calls' delta, e.g. 0.30")
        check(1 <= self.min_sessions <= 60, "hedge.vxth.min_sessions", self.min_sessions,
              "the calls' expiry is the nearest more than this many sessions away: 1..60 (15: about a month)")
        lo, mid, hi = self.levels
        check(0 < lo < mid < hi, "hedge.vxth.levels", list(self.levels),
              "give three increasing positive VX levels, e.g. [15, 30, 50]")
        check(all(0 <= w <= 0.1 for w in self.weights), "hedge.vxth.weights", list(self.weights),
              "premium as fractions of NAV in [0, 0.1], e.g. [0, 0.01, 0.005, 0]")
