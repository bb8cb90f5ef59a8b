"""Contracts the ledger can hold: SPX options, VX futures, VIX options."""

from __future__ import annotations

import datetime as dt
import enum
import math
from dataclasses import dataclass, field

from vixhedge.core.pricing import Right

__all__ = ["Contract", "Kind", "Quote", "Right", "MULTIPLIER_USD", "SPX_OPTION", "VIX_OPTION", "VX_FUTURE"]


class Kind(enum.StrEnum):
    SPX_OPTION = "spx_option"
    VX_FUTURE = "vx_future"
    VIX_OPTION = "vix_option"


# The members as module constants, for the per-position loops: on Python 3.11 a member read through its
# class (``Kind.VX_FUTURE``) costs ~0.12 us, the class's metaclass defining __getattr__; a global, ~0.01 us.
SPX_OPTION, VX_FUTURE, VIX_OPTION = Kind.SPX_OPTION, Kind.VX_FUTURE, Kind.VIX_OPTION

MULTIPLIER_USD: dict[Kind, float] = {
    Kind.SPX_OPTION: 100.0,   # $100 x SPX index points
    Kind.VX_FUTURE: 1000.0,   # $1,000 x VIX points (post 2007-03-26 quoting)
    Kind.VIX_OPTION: 100.0,   # $100 x VIX points
}


@dataclass(frozen=True, slots=True, order=True)
class Contract:
    """One listed contract.

    ``expiry`` is the settlement date: the SPX monthly expiration (AM settlement on the
    opening print) or the VX final settlement date (VRO), which VIX options share.
    ``strike`` and ``right`` are ``None`` for futures.
    """

    kind: Kind
    expiry: dt.date
    strike: float | None = None
    right: Right | None = None
    _hash: int = field(init=False, repr=False, compare=False, default=0)
    multiplier: float = field(init=False, repr=False, compare=False, default=0.0)  # USD per point: MULTIPLIER_USD

    def __post_init__(self) -> None:
        # coerce plain strings ("C", "vx_future"): payoff() and multiplier test identity with the enums,
        # so an uncoerced "C" would silently be priced as a put; unknown spellings raise here
        object.__setattr__(self, "kind", Kind(self.kind))
        if isinstance(self.expiry, dt.datetime):  # a pandas Timestamp from a result frame: the day it names
            object.__setattr__(self, "expiry", self.expiry.date())
        if self.right is not None:
            object.__setattr__(self, "right", Right(self.right))
        is_option = self.kind is not Kind.VX_FUTURE
        if is_option and (self.strike is None or self.right is None or not math.isfinite(self.strike)
                          or self.strike <= 0):
            raise ValueError(f"{self.kind} needs a positive strike and a right, got {self.strike}, {self.right}")
        if not is_option and (self.strike is not None or self.right is not None):
            raise ValueError("a VX future has no strike or right")
        # contracts key every quote cache and position: hash once, not at each lookup
        object.__setattr__(self, "_hash", hash((self.kind, self.expiry, self.strike, self.right)))
        object.__setattr__(self, "multiplier", MULTIPLIER_USD[self.kind])  # read for every position on every day

    def __hash__(self) -> int:
        return self._hash

    def __reduce__(self):
        """Pickled by its fields and built again: its hash is of this process's seed (strings and enums hash per
        process: a Contract unpickled with another process's hash was equal to one built here but found no
        position or quote of it)."""
        return Contract, (self.kind, self.expiry, self.strike, self.right)

    @property
    def is_option(self) -> bool:
        return self.kind is not VX_FUTURE

    def payoff(self, settlement_value: float) -> float:
        """Return the per-unit cash value at expiry (options) or the final price (futures)."""
        if self.kind is VX_FUTURE:
            return settlement_value
        assert self.strike is not None
        if self.right is Right.CALL:
            return max(settlement_value - self.strike, 0.0)
        return max(self.strike - settlement_value, 0.0)

    @property
    def symbol(self) -> str:
        """Return a readable symbol, e.g. ``SPX 2018-02-16 2700P`` or ``VX 2018-02-14``."""
        if self.kind is VX_FUTURE:
            return f"VX {self.expiry.isoformat()}"
        root = "SPX" if self.kind is SPX_OPTION else "VIX"
        return f"{root} {self.expiry.isoformat()} {self.strike:g}{self.right}"


@dataclass(frozen=True, slots=True)
class Quote:
    """A two-sided market with model greeks per unit (before the multiplier).

    Greeks follow vixhedge.core.pricing conventions: vega per vol point, theta per calendar day.
    For VX futures delta is 1 and ``vix_beta`` is dF/dVIX from the curve model.
    """

    bid: float
    ask: float
    mid: float
    delta: float = 0.0
    gamma: float = 0.0
    vega: float = 0.0
    theta: float = 0.0
    vix_beta: float = 0.0
