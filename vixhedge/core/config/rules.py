"""The switchable ALVH rules' tables of ``[hedge]``: ``[hedge.placement]``, ``[hedge.fomc]``, ``[hedge.expansion]``,
``[hedge.slope]``, ``[hedge.events]`` and ``[hedge.term_structure]`` (:class:`~.hedge.HedgeConfig` holds them).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from vixhedge.core.config.base import check


class FomcCadence(enum.StrEnum):
    """The two readings of "from weekly to bi-weekly" (plus explicit bars), for add reviews (removals keep
    hedge.review_bars)."""

    TWICE_WEEKLY = "twice_weekly"        # twice a week: every 2 sessions, or review_bars if shorter (5, 3 -> 2)
    EVERY_TWO_WEEKS = "every_two_weeks"  # reviews every other week: every 2 x review_bars sessions (5 -> 10)
    BARS = "bars"                        # every hedge.fomc.review_bars sessions


@dataclass(frozen=True, slots=True, kw_only=True)
class PlacementConfig:
    """A flattening MACD moves outer option layers (all but the oldest) ``flat_extra_otm`` further OTM."""

    enabled: bool = True
    flat_extra_otm: float = 0.05
    flat_extra_tenor: int = 1  # VX-future layers: outer ones one contract month further out
    # option layers already open: restruck only when the long call moves up at least this many VIX points (0: any
    # move; trial RS22: 54 of 89 restrikes of 2007-2022 moved it a point or less, each crossing four spreads)
    restrike_min_points: float = field(default=0.0, metadata={"omit_default": True})  # (run ids kept)

    def __post_init__(self) -> None:
        check(0 <= self.restrike_min_points <= 20, "hedge.placement.restrike_min_points", self.restrike_min_points,
              "VIX points the long call must move up for a restrike, 0 (any move) .. 20")
        check(1 <= self.flat_extra_tenor <= 3, "hedge.placement.flat_extra_tenor", self.flat_extra_tenor,
              "extra contract months for outer VX-future layers while the MACD flattens: 1..3")
        check(0 < self.flat_extra_otm <= 1, "hedge.placement.flat_extra_otm", self.flat_extra_otm,
              "extra distance of the long call above the VX future, as a fraction in (0, 1], e.g. 0.05")


# the switches a field needs (metadata "needs", vixhedge.core.config.hedge.HedgeConfig): a divergence near a meeting
_NEAR_DIVERGENCE = ("hedge.fomc.enabled", "hedge.fomc.divergence", "hedge.divergence.enabled")


@dataclass(frozen=True, slots=True, kw_only=True)
class FomcConfig:
    """Inside an FOMC window, rising MACD plus a weakening A/D line shortens the review cadence.

    ``calendar_csv`` empty: the packaged 2000-2026 scheduled dates (feeds.events). The A/D line comes
    from ``ad_csv`` (feeds.breadth; empty: a data directory's breadth file, strategies.adinput, else none).
    Without an advance/decline input the rule is disabled (noted in the run log) unless ``require_ad`` is false (then the A/D line is ignored).
    ``cadence``: the interval inside the window (:class:`FomcCadence`). ``divergence``: a bullish
    divergence within ``divergence_sessions`` of a meeting removes ``divergence_remove_layers`` layers.
    """

    enabled: bool = True
    calendar_csv: str = field(default="", metadata={"needs": ("hedge.fomc.enabled",)})
    days_before: int = field(default=2, metadata={"needs": ("hedge.fomc.enabled",)})
    days_after: int = field(default=1, metadata={"needs": ("hedge.fomc.enabled",)})
    review_bars: int = 1
    require_ad: bool = True
    ad_bars: int = 5
    ad_csv: str = ""
    ad_advances_column: str = "sp500_advancers"
    ad_declines_column: str = "sp500_decliners"
    cadence: FomcCadence = FomcCadence.TWICE_WEEKLY
    # fomc_divergence: a bullish divergence near a meeting (within divergence_sessions of it) removes
    # divergence_remove_layers layers (20: all) instead of hedge.divergence.remove_layers
    divergence: bool = field(default=True, metadata={"needs": ("hedge.fomc.enabled", "hedge.divergence.enabled")})
    divergence_sessions: int = field(default=5, metadata={"needs": _NEAR_DIVERGENCE})
    divergence_remove_layers: int = field(default=20, metadata={"needs": _NEAR_DIVERGENCE})

    def __post_init__(self) -> None:
        check(0 <= self.divergence_sessions <= 20, "hedge.fomc.divergence_sessions", self.divergence_sessions,
              "sessions either side of a meeting in which a divergence counts as near it: 0..20")
        check(1 <= self.divergence_remove_layers <= 20, "hedge.fomc.divergence_remove_layers",
              self.divergence_remove_layers, "layers a bullish divergence near a meeting removes: 1..20")
        for name in ("days_before", "days_after"):
            v = getattr(self, name)
            check(0 <= v <= 20, f"hedge.fomc.{name}", v, "sessions around the announcement: 0..20")
        check(1 <= self.review_bars <= 60, "hedge.fomc.review_bars", self.review_bars,
              "bars between reviews inside the window: 1..60")
        check(1 <= self.ad_bars <= 60, "hedge.fomc.ad_bars", self.ad_bars,
              "bars over which the A/D line must fall to count as weakening: 1..60")


@dataclass(frozen=True, slots=True, kw_only=True)
class ExpansionConfig:
    """MACD histogram expanding above zero: smaller steps (``sizing``) at a tighter interval (``cadence``)."""

    sizing: bool = True       # expansion_sizing: later layers carry expanding_layer_multiple, not next_layer_multiple
    cadence: bool = True      # expansion_cadence: the regime review runs every review_bars instead of hedge.review_bars
    review_bars: int = field(default=3, metadata={"needs": ("hedge.expansion.cadence",)})

    def __post_init__(self) -> None:
        check(1 <= self.review_bars <= 60, "hedge.expansion.review_bars", self.review_bars,
              "bars between reviews while the histogram expands above zero: 1..60")


@dataclass(frozen=True, slots=True, kw_only=True)
class SlopeConfig:
    """slope_breakeven: a layer opened while the MACD rises steeply (slope >= ``steep``) sits nearer:
    VX futures one contract month nearer (more VIX beta), option layers ``near_otm`` closer to the money."""

    enabled: bool = True
    steep: float = 0.10
    near_otm: float = 0.05

    def __post_init__(self) -> None:
        check(0 < self.steep < 10, "hedge.slope.steep", self.steep,
              "MACD slope (VX points per bar) from which a rise counts as steep, e.g. 0.10")
        check(0 < self.near_otm <= 0.5, "hedge.slope.near_otm", self.near_otm,
              "how much closer to the money an option layer is struck on a steep rise: (0, 0.5]")


@dataclass(frozen=True, slots=True, kw_only=True)
class EventsConfig:
    """event_window: CPI / PPI release windows act like the FOMC window (same cadence, same A/D check).

    Dates: the packaged BLS schedules 2000-2026 (feeds.events), or ``calendar_csv`` in that layout.
    """

    enabled: bool = True
    cpi: bool = True
    ppi: bool = True
    days_before: int = 1
    days_after: int = 0
    calendar_csv: str = ""

    def __post_init__(self) -> None:
        for name in ("days_before", "days_after"):
            v = getattr(self, name)
            check(0 <= v <= 20, f"hedge.events.{name}", v, "sessions around the release: 0..20")


@dataclass(frozen=True, slots=True, kw_only=True)
class TermStructureConfig:
    """term_structure_filter: front / second VX ratio as a cross-check of adds and removals.

    An add needs ratio >= ``add_min_ratio`` (the curve not in steep contango); a removal needs
    ratio <= ``remove_max_ratio`` (not in backwardation)."""

    enabled: bool = False
    add_min_ratio: float = 0.92
    remove_max_ratio: float = 1.0

    def __post_init__(self) -> None:
        for name in ("add_min_ratio", "remove_max_ratio"):
            v = getattr(self, name)
            check(0.5 <= v <= 1.5, f"hedge.term_structure.{name}", v, "a front/second VX ratio in [0.5, 1.5]")
