"""Load-time checks of ``[market.spx_smile]``'s surface keys (feeds.surface): a range per key, then one joint check
that the surface's ATM vol stays positive and plausible on a small grid of tenors and VIX levels.

Pure Python on purpose: loading a config imports no numpy and the core no feeds (tests/vixhedge/test_layout.py,
test_plugin_registries.py). The joint check evaluates feeds.surface's ATM formulas at a few points;
tests/vixhedge/test_config_bounds.py checks it against feeds.surface's own functions on the same points.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from typing import Any

from vixhedge.core.config.base import ConfigError, check

# The calibration's own box (feeds.surface.LOWER / UPPER; tests/vixhedge/test_config_bounds.py checks they agree):
# a fit never leaves it and the fitted defaults sit well inside (e.g. atm_ratio_per_log_tenor 0.0228,
# index_wing_variance 0.2858); the fuzz trial's 20.0 / 1.7e308 / 100.0 lay far outside.
SURFACE_RANGES = {"atm_ratio_per_log_tenor": (-1.0, 1.0), "put_skew": (-2.0, 0.0),
                  "put_skew_per_skewness": (-1.0, 0.0), "put_curvature": (-1.0, 1.0), "call_skew": (-2.0, 1.0),
                  "call_curvature": (-1.0, 1.0), "index_wing_variance": (0.0, 10.0),
                  "call_skew_per_log_tenor": (-1.0, 1.0), "call_curvature_per_log_tenor": (-1.0, 1.0)}
RELATION_MAX = 10.0  # |c|, |d|, |e| of index_relations: fitted within [-1.05, 4.94] (ln SKEW/VIX's c: 4.94)
SKEW_OFFSET_MAX = 0.5  # |skew_by_year|: SKEW's yearly means 112-135 give fitted offsets in [-0.11, 0.22]; 0.5 = x1.65
YEARS = (1990, 2035)  # skew_first_year .. its last knot: the exchange calendar's years
# the joint check's grid: tenors (days; feeds.surface.NODE_DAYS and the ends a chain can have, 1 day .. 2 years),
# VIX closes (1990-2025 closes lie within 9.14 .. 82.69) and ln(A / VIX) (A the 20-day EMA: VIX doubling or halving
# within a month, e.g. 2018-02-05's 17 -> 37)
TENOR_DAYS = (1.0, 9.0, 30.0, 93.0, 183.0, 365.0, 730.0)
TENOR_NODE = (0, 0, 1, 2, 3, 4, 4)  # each tenor's index (VIX9D, VIX, VIX3M, VIX6M, VIX1Y): flat outside 9..365 days
VIX_LEVELS = (9.0, 80.0)
AVERAGE_LOG_RATIOS = (-math.log(2.0), 0.0, math.log(2.0))
MAX_ATM_VOL = 3.0  # 300%: over three times VIX's record close (82.69, 2020-03-16) as a fraction


def check_surface_keys(smile: Any) -> None:
    """Raise ConfigError (one line naming the key) for a surface key of ``smile`` out of its plausible range."""
    p = "market.spx_smile"
    for name, (lo, hi) in SURFACE_RANGES.items():
        v = getattr(smile, name)
        check(lo <= v <= hi, f"{p}.{name}", v, f"use a value in [{lo:g}, {hi:g}] (the calibration's range; "
              "python -m feeds.calibrate fits it)")
    rel = smile.index_relations
    for i, v in enumerate(rel):
        check(-RELATION_MAX <= v <= RELATION_MAX, f"{p}.index_relations", list(rel),
              f"entry {i + 1} ({v!r}) is out of range: each c, d, e lies in [-{RELATION_MAX:g}, {RELATION_MAX:g}] "
              "(fitted within [-1.05, 4.94]; python -m feeds.calibrate fits them)")
    first, n = smile.skew_first_year, len(smile.skew_by_year)
    most = YEARS[1] - YEARS[0] + 1
    check(n <= most, f"{p}.skew_by_year", f"{n} knots", f"give at most {most}, one a year of "
          f"{YEARS[0]}..{YEARS[1]} (the exchange calendar's years) from skew_first_year")
    check(YEARS[0] <= first and first + max(n, 1) - 1 <= YEARS[1], f"{p}.skew_first_year", first,
          f"its {n} skew_by_year knots must fall in the exchange calendar's years {YEARS[0]}..{YEARS[1]}: "
          f"use a year in {YEARS[0]}..{YEARS[1] - max(n, 1) + 1}, e.g. 1990")
    for i, v in enumerate(smile.skew_by_year):
        check(-SKEW_OFFSET_MAX <= v <= SKEW_OFFSET_MAX, f"{p}.skew_by_year", list(smile.skew_by_year),
              f"entry {i + 1} ({v!r}) is out of range: each is a small ln SKEW offset in "
              f"[-{SKEW_OFFSET_MAX:g}, {SKEW_OFFSET_MAX:g}] (fitted within [-0.11, 0.22])")


def atm_points(smile: Any) -> Iterator[tuple[float, float, float, float, float]]:
    """Yield ``(ATM vol, tenor days, VIX, ln(A / VIX), SKEW)`` of the surface keys of ``smile`` on the grid (NaN where
    ``1 + w g <= 0``): index levels estimated from VIX, ``ln(I / VIX) = c + d ln VIX + e ln(A / VIX)``, SKEW moved
    by skew_by_year's offsets; ATM = I(T) (1 / sqrt(1 + w g) + a1 ln(T / 30d)) (feeds.surface.indices_from_vix,
    atm_base, atm_ratio). Each is monotone in ln VIX, ln(A / VIX) and the offset, so the grid's corners bound the
    whole band VIX 9..80."""
    a1, w, rel = smile.atm_ratio_per_log_tenor, smile.index_wing_variance, smile.index_relations
    offsets = sorted({min(smile.skew_by_year, default=0.0), 0.0, max(smile.skew_by_year, default=0.0)})
    for vix in VIX_LEVELS:
        for lr in AVERAGE_LOG_RATIOS:
            est = [vix * math.exp(rel[3 * i] + rel[3 * i + 1] * math.log(vix) + rel[3 * i + 2] * lr)
                   for i in range(5)]  # VIX9D, VIX3M, VIX6M, VIX1Y, SKEW (feeds.surface.ESTIMATED)
            nodes = (est[0], vix, est[1], est[2], est[3])
            for off in offsets:
                skew = est[4] * math.exp(off)
                base = 1.0 + w * (skew - 100.0) / 10.0
                for days, node in zip(TENOR_DAYS, TENOR_NODE):
                    ratio = 1.0 / math.sqrt(base) + a1 * math.log(days / 30.0) if base > 0 else math.nan
                    yield nodes[node] / 100.0 * ratio, days, vix, lr, skew


def check_surface_atm(smile: Any) -> None:
    """Raise ConfigError (one line naming the keys) when the surface keys of ``smile`` together give an ATM vol
    <= 0 (or none: ``1 + w g <= 0``) or above ``MAX_ATM_VOL`` at a point of :func:`atm_points`."""
    a1, w = smile.atm_ratio_per_log_tenor, smile.index_wing_variance
    for vol, days, vix, lr, skew in atm_points(smile):
        if not 0.0 < vol <= MAX_ATM_VOL:  # NaN too
            raise ConfigError(
                f"market.spx_smile: atm_ratio_per_log_tenor = {a1!r} and index_wing_variance = {w!r} (with "
                f"index_relations, skew_by_year) give an ATM vol of {vol:.3g} at a {days:g}-day tenor, VIX {vix:g}, "
                f"20-day average {vix * math.exp(lr):.3g}, estimated SKEW {skew:.4g}: keep it in "
                f"(0, {MAX_ATM_VOL:g}] on tenors 1 day..2 years, VIX 9..80 and its average half..twice VIX "
                "(defaults: 0.0228 and 0.2858, python -m feeds.calibrate fits them)")
