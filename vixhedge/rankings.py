"""Whether a sweep's choice carried out of sample, and the metrics a folder has been ranked by: shared by a split
sweep (``sweep.in_sample_end``, summary.json's ``out_of_sample_rank`` and ``rankings``) and a walk-forward
(:mod:`vixhedge.walkforward`, walkforward.json's ``folds`` and ``rankings``).

A finished folder ranked again with another ``--rank-by`` runs nothing and used to leave no trace of the earlier
ranking (trial RS23: a walk-forward ranked by Sharpe, random picks did as well or better with probability 0.353;
ranked again by CVaR on the same folder, 0.001, and nothing said the folder had been ranked before). Each ranking is
now kept, in the order tried (:func:`ranked_again`: each metric once, where first tried, with its random-pick
probability), and once two or more have been tried the output says so (:func:`rankings_note`): each probability
holds for its metric alone; choosing the metric after seeing them is counted in none.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd


def oos_ranks(rows: pd.DataFrame, metric: str) -> tuple[pd.DataFrame, pd.Series]:
    """Of results.csv's ``rows``: the points with ``metric`` finite in and out of sample (``is_`` / ``oos_``
    columns), and their rank on it out of sample (1 the best, as ``sweep.rank_by`` ranks it; tied points share the
    better rank), both indexed by point key."""
    from vixhedge.sweep_keys import RANK_BY

    both = rows.set_index("point")[[f"is_{metric}", f"oos_{metric}"]].apply(pd.to_numeric, errors="coerce")
    both = both.dropna()
    return both, both[f"oos_{metric}"].rank(ascending=RANK_BY[metric] == "lower", method="min")


def carried(rows: pd.DataFrame, metric: str, point: str | None) -> dict[str, Any]:
    """How ``point`` (the best in sample) and the choosing carried out of sample: its rank there among the points
    (``test_rank``, None when it has no rank), ``points``, their median (``test_median``), the in / out-of-sample
    rank correlation (Spearman) over every point (``rank_correlation``, None under 3 points) and ``rank_counts``
    (``[r]``: the points ranked r)."""
    both, ranks = oos_ranks(rows, metric)
    rank = ranks.get(point) if point is not None and point in ranks.index else None
    return {"test_rank": None if rank is None else int(np.min(rank)), "points": int(len(both)),
            "test_median": float(both[f"oos_{metric}"].median()) if len(both) else None,
            "rank_correlation": float(both.corr(method="spearman").iloc[0, 1]) if len(both) > 2 else None,
            "rank_counts": np.bincount(ranks.to_numpy(int)).tolist() if len(ranks) else []}


def random_pick_odds(picks: list[dict], least: int = 2) -> dict[str, Any] | None:
    """Whether the choosing beat picking at random: the picks' test ranks summed over the folds that ranked them,
    what a point drawn at random per fold sums to on average, and the probability ``p`` that such draws (each point
    equally likely, the folds' draws independent) sum to as little or less: exact, the sum's distribution being the
    convolution of the folds' rank distributions (``rank_counts``: tied points share the better rank, as the pick
    does). No assumption about the market: the random picker is the null. None when fewer than ``least`` folds
    ranked their pick (a ruined or unrated test); a split sweep is one fold (``least=1``)."""
    ranked = [(p["test_rank"], np.asarray(p["rank_counts"], float)) for p in picks
              if p.get("test_rank") and sum(p.get("rank_counts") or ())]
    if len(ranked) < least:
        return None
    pmf = np.ones(1)
    for _, counts in ranked:
        pmf = np.convolve(pmf, counts / counts.sum())  # pmf[j]: the ranks sum to j
    total = sum(r for r, _ in ranked)
    mean = sum(float(np.arange(len(c)) @ c / c.sum()) for _, c in ranked)
    return {"rank_sum": total, "random_mean": mean, "folds": len(ranked), "p": float(min(1.0, pmf[: total + 1].sum()))}


def earlier_rankings(path: Path) -> list[dict[str, Any]]:
    """The ``rankings`` of a folder's summary.json or walkforward.json at ``path`` before it is written again; for
    a file from before ``rankings``, its own ranking (``rank_by``: summary.json's record or walkforward.json's
    metric; walkforward.json's ``random_pick`` probability); [] when there is no file or it cannot be read (a
    damaged file is said where the folder is checked)."""
    try:
        s = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    if not isinstance(s, dict):
        return []
    if isinstance(s.get("rankings"), list):
        return [r for r in s["rankings"] if isinstance(r, dict) and isinstance(r.get("rank_by"), str)]
    rank = s.get("rank_by")
    rank = rank.get("metric") if isinstance(rank, dict) else rank
    odds = s.get("random_pick")
    p = odds.get("p") if isinstance(odds, dict) else None
    return [{"rank_by": rank, "random_pick": p}] if isinstance(rank, str) else []


def ranked_again(earlier: list[dict[str, Any]], rank_by: str, odds: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The folder's rankings after this one (``rank_by``, ``odds`` :func:`random_pick_odds`' record or None): the
    ``earlier`` ones in the order tried, each metric once where it was first tried (trial STAT23: ranking again by
    the spec's own metric moved it last, so the note read as if it had been chosen after the others), this one
    added last when new (a rerun by the same metric adds nothing)."""
    this = {"rank_by": rank_by, "random_pick": odds["p"] if odds else None}
    if any(r.get("rank_by") == rank_by for r in earlier):
        return [this if r.get("rank_by") == rank_by else r for r in earlier]
    return [*earlier, this]


def rankings_note(rankings: list[dict[str, Any]] | None, rank_by: str | None = None) -> str:
    """The line that says a folder has been ranked by more than one metric, each with its random-pick probability,
    and that choosing among them after seeing them is counted in none; "" after one ranking (or none recorded).
    ``rank_by``: this ranking's metric (default: the last tried)."""
    from vixhedge import fmt

    if not rankings or len(rankings) < 2:
        return ""

    def one(r: dict[str, Any]) -> str:
        return f"{r['rank_by']} (random-pick p {fmt.num(r.get('random_pick'), 3)})"

    either = "either" if len(rankings) == 2 else "any"
    tail = f": choosing the metric after seeing results is not counted in {either} probability"
    *before, last = rankings
    if rank_by in (None, last["rank_by"]):
        return f"ranked before by {', '.join(one(r) for r in before)}; this ranking by {one(last)}{tail}"
    return f"ranked by {', '.join(one(r) for r in rankings)}, in that order; this ranking by {rank_by} again{tail}"


def split_ranking(summary: dict[str, Any], results: Path, earlier: list[dict[str, Any]]) -> None:
    """Add to a split sweep's ``summary`` its best in-sample point's rank out of sample among the points, the
    probability a point drawn at random ranks as well or better, the in / out-of-sample rank correlation
    (``out_of_sample_rank``), and the folder's ``rankings`` (``earlier``'s and this one: :func:`ranked_again`)."""
    rank, best = summary.get("rank_by") or {}, summary.get("best") or {}
    if not rank or not Path(results).is_file():
        return
    got = carried(pd.read_csv(results), rank["metric"], best.get("point"))
    odds = random_pick_odds([got], least=1)
    summary["out_of_sample_rank"] = {"test_rank": got["test_rank"], "points": got["points"],
                                     "random_pick": odds["p"] if odds else None,
                                     "rank_correlation": got["rank_correlation"]}
    summary["rankings"] = ranked_again(earlier, rank["metric"], odds)
