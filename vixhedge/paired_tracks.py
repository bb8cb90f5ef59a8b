"""Paired differences of a daily-return track against baselines: a walk-forward's stitched picks
(:mod:`vixhedge.walkforward`) and a split sweep's best point out of sample (:mod:`vixhedge.sweep_judge`), one
computation for both (trial RS39 M1 / M2: the sweep's figures had no interval, the walk-forward's total return none).

Each baseline's difference in Sharpe over cash, max drawdown, CVaR 95% and total return (:data:`PAIRED`), with a 95%
percentile CI of a paired circular block bootstrap (:func:`vixhedge.bootstrap.paired_intervals`, the data-driven
block of the daily return difference, ``reps`` draws from ``seed``), compare's borderline flag, a two-sided p-value
and its Holm adjustment over every interval tested (:func:`tested`: :func:`vixhedge.verdicts.testable`, a baseline
identical to the track on every day is not); the results' dicts are walkforward.json's and summary.json's
``paired``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from vixhedge import fmt

__all__ = ["PAIRED", "REPS", "WORDS", "holm_cells", "paired_cells", "paired_figures", "paired_tracks", "stat_rows",
           "tested", "unit"]

#: the statistics, each with the side that is better
PAIRED = {"sharpe": "higher", "max_drawdown": "lower", "cvar95": "lower", "total_return": "higher"}
WORDS = {"sharpe": "Sharpe", "max_drawdown": "max drawdown", "cvar95": "CVaR 95%", "total_return": "total return"}
REPS = 2000  # bootstrap draws (compare's default)


def stat_rows(periods: int) -> Callable[[np.ndarray, np.ndarray], np.ndarray]:
    """:data:`PAIRED`'s statistics of daily returns ``r`` over cash ``rf`` (one series, or many draws as rows: the
    statistics on the last axis), ``periods`` a year."""
    from vixhedge import bootstrap as bs

    def stats(r: np.ndarray, rf: np.ndarray) -> np.ndarray:
        return np.stack([bs.sharpe_rows(r, rf, periods), bs.max_drawdown_rows(r), bs.cvar_rows(r),
                         np.prod(1.0 + r, axis=-1) - 1.0], axis=-1)
    return stats


def paired_tracks(track: np.ndarray, bases: dict[str, np.ndarray], rf: np.ndarray, periods: int, seed: int,
                  reps: int = REPS) -> dict[str, dict[str, Any]]:
    """{baseline: {statistic: {diff, ci_low, ci_high, ci_method, ci_borderline, p_value, p_holm}, block_days}} of
    ``track`` less each of ``bases`` (daily returns, the same days), or ``{"identical": True}`` for a baseline equal
    to it on every day; ``p_holm`` over :func:`tested` (None where not tested)."""
    from vixhedge import bootstrap as bs
    from vixhedge.verdicts import holm

    stats, out = stat_rows(periods), {}
    for name, other in bases.items():
        if np.array_equal(track, other):  # (trial RS26: "0.00 [0.00, 0.00] unclear", counted as 3 intervals)
            out[name] = {"identical": True}
            continue
        block = bs.data_block_length(track - other)
        low, high, used, draws = bs.paired_intervals(stats, (track, rf), (other, rf), block, reps, seed, rows=True)
        point = stats(track, rf) - stats(other, rf)
        out[name] = {"block_days": block, **{s: {
            "diff": float(point[i]) + 0.0, "ci_low": float(low[i]), "ci_high": float(high[i]), "ci_method": used[i],
            "ci_borderline": bs.borderline(draws[:, i], float(low[i]), float(high[i])),
            "p_value": bs.two_sided_p(draws[:, i]), "p_holm": None} for i, s in enumerate(PAIRED)}}
    family = tested(out)
    for (b, k), adj in zip(family, holm(np.array([out[b][k]["p_value"] for b, k in family], dtype=float))):
        out[b][k]["p_holm"] = float(adj)
    return out


def tested(paired: dict[str, Any]) -> list[tuple[str, str]]:
    """The (baseline, statistic) intervals the Holm line tests: a baseline not identical to the track, an interval
    :func:`vixhedge.verdicts.testable` as compare's family (both CI endpoints defined, None where read back from
    JSON; not 0 in every draw); a file from before a statistic (a walkforward.json without the total return) has
    none of it."""
    from vixhedge.verdicts import testable

    return [(b, k) for b, r in paired.items() for k in PAIRED
            if k in r and not r.get("identical") and testable(r[k]["diff"], r[k]["ci_low"], r[k]["ci_high"])]


def holm_cells(paired: dict[str, Any], reps: int | None) -> dict[tuple[str, str], str]:
    """{(baseline, statistic): its Holm p as the tables show it} over :func:`tested`
    (:func:`vixhedge.verdicts.holm_figures`: "undecided" within Monte-Carlo error of 0.05 at ``reps`` draws, judged
    over the whole family); {} for a file written before p_holm."""
    from vixhedge.verdicts import holm_figures

    family = tested(paired)
    cells = [paired[b][k] for b, k in family]
    if any(fmt.missing(d.get("p_holm")) for d in cells):
        return {}
    return dict(zip(family, holm_figures(np.array([d["p_value"] for d in cells], dtype=float),
                                         np.array([d["p_holm"] for d in cells], dtype=float), reps)))


def unit(stat: str) -> str:
    """The unit a difference of ``stat`` is printed in beside its figure: points of % but for Sharpe."""
    return "" if stat == "sharpe" else " pts"


def paired_figures(d: dict[str, Any], stat: str) -> tuple[str, str, str]:
    """One paired difference (``d``: diff, ci_low, ci_high, ci_method, ci_borderline) as its difference, its 95% CI
    and its verdict, drawdown, CVaR and total return in points of %; an endpoint that rounds to 0 keeps its first
    significant digit, as compare's (:func:`vixhedge.verdicts.signed_figure`; trial RS23: "[0.00, +0.32] worse"
    ended at +0.003)."""
    from vixhedge.verdicts import signed_figure, verdict_words

    scale = 1.0 if stat == "sharpe" else 100.0
    low, high = (signed_figure(d[b], scale, 2) for b in ("ci_low", "ci_high"))
    verdict = verdict_words(d["diff"], d["ci_low"], d["ci_high"], PAIRED[stat], d.get("ci_method", ""),
                            d.get("ci_borderline", False))
    return signed_figure(d["diff"], scale, 2), f"[{low}, {high}]", verdict


def paired_cells(d: dict[str, Any], stat: str) -> tuple[str, str, str]:
    """One paired difference as its figure with its unit (:func:`unit`), its CI and its verdict
    (:func:`paired_figures`): the sweep's out-of-sample table and the walk-forward's (trial VIS38 L6: "-0.10" there,
    "-0.10 pts" here)."""
    diff, ci, verdict = paired_figures(d, stat)
    return diff + unit(stat), ci, verdict
