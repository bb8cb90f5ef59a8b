"""Iron condor core: strike selection and exit rules (pure functions)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from feeds.chains import OptionChain
from vixhedge.config import CondorConfig
from vixhedge.instruments import Contract, Kind, Right


@dataclass(frozen=True, slots=True)
class CondorLegs:
    """Strikes of one short iron condor: long put < short put < short call < long call."""

    expiry: dt.date
    long_put: float
    short_put: float
    short_call: float
    long_call: float

    def legs(self) -> tuple[tuple[Contract, int], ...]:
        """Return ``(contract, quantity per condor)``: shorts -1, wings +1."""
        c = lambda k, r: Contract(Kind.SPX_OPTION, self.expiry, k, r)  # noqa: E731
        return ((c(self.long_put, Right.PUT), 1), (c(self.short_put, Right.PUT), -1),
                (c(self.short_call, Right.CALL), -1), (c(self.long_call, Right.CALL), 1))

    @property
    def max_width_points(self) -> float:
        return max(self.short_put - self.long_put, self.long_call - self.short_call)


def select_condor(chain: OptionChain, cfg: CondorConfig) -> CondorLegs | None:
    """Pick strikes by delta from ``chain``; return None if no valid condor exists.

    Shorts at the strikes whose |delta| is closest to ``short_delta``; wings at
    ``wing_delta`` or, when ``wing_width_points`` > 0, that many points beyond the shorts.
    """
    sp = chain.nearest_delta(Right.PUT, cfg.short_delta)
    sc = chain.nearest_delta(Right.CALL, cfg.short_delta)
    if cfg.wing_width_points > 0:
        lp, lc = sp - cfg.wing_width_points, sc + cfg.wing_width_points
    else:
        lp = chain.nearest_delta(Right.PUT, cfg.wing_delta)
        lc = chain.nearest_delta(Right.CALL, cfg.wing_delta)
    if not (0 < lp < sp < sc < lc):
        return None
    return CondorLegs(chain.expiry, lp, sp, sc, lc)


def exit_reason(cost_to_close: float, credit: float, dte_days: int, cfg: CondorConfig) -> str | None:
    """Return why an open condor should be closed today, or None to hold.

    ``cost_to_close`` and ``credit`` are per condor in index points (positive = paid /
    received). Profit-take when the cost to close is at most (1 - profit_take) * credit;
    stop when it reaches ``stop_multiple`` * credit; DTE exit at ``exit_dte`` days.
    """
    if cfg.profit_take < 1 and cost_to_close <= (1.0 - cfg.profit_take) * credit:
        return "profit_take"
    if cost_to_close >= cfg.stop_multiple * credit:
        return "stop"
    if cfg.exit_dte and dte_days <= cfg.exit_dte:
        return "dte"
    return None
