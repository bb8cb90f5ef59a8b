"""Which swept keys matter to a sweep's ranking statistic, read off results.csv (trial RS39 M4, L3): the share of the
statistic's spread over the points that a key, or a pair of keys, explains (:func:`explained`: the between-group sum
of squares over the total, eta squared), which orders the heatmap pairs a page draws when it cannot draw them all
(:func:`ordered_pairs`) and picks the key the in- against out-of-sample scatter is coloured by (:func:`colour_key`);
and the page's table of each key's values with the best and median statistic over every point that takes the value
(:func:`marginal_section`), where the heatmaps show slices through the best point only.
"""

from __future__ import annotations

import html
import itertools
from typing import Any

import numpy as np
import pandas as pd

from vixhedge import fmt as F

#: the key the scatter is coloured by whenever the grid sweeps it (RS39: the clusters were call spreads and futures)
INSTRUMENT = "hedge.instrument"


def explained(results: pd.DataFrame, column: str, keys: list[str]) -> float:
    """The share of ``column``'s spread (sum of squares about its mean, over the points with a finite value) that the
    cells of ``keys`` explain: the sum of squares of the cell means about the mean, each weighted by its points; 0
    when the column does not vary (or has fewer than two finite values)."""
    values = pd.to_numeric(results[column], errors="coerce")
    ok = np.isfinite(values)
    v, groups = values[ok], results.loc[ok, keys]
    total = float(((v - v.mean()) ** 2).sum())
    if len(v) < 2 or total <= 0.0:
        return 0.0
    means = v.groupby([groups[k] for k in keys], dropna=False).transform("mean")
    return float(((means - v.mean()) ** 2).sum()) / total


def ordered_pairs(results: pd.DataFrame, column: str, varied: list[str]) -> list[tuple[tuple[str, str], float]]:
    """Every pair of the ``varied`` keys with the share of ``column``'s spread its cells explain, the largest first
    (ties in the pairs' order in the grid)."""
    pairs = [(p, explained(results, column, list(p))) for p in itertools.combinations(varied, 2)]
    return sorted(pairs, key=lambda t: -t[1])  # (sorted is stable: ties keep the grid's order)


def share_words(share: float) -> str:
    """An explained share as the page prints it: whole percent, "<1%" for a share above 0 that rounds to 0 (trial
    VIS38 L3: 0.34% read "0%", beside "a key that changes nothing 0%")."""
    return "<1%" if 0.0 < share < 0.005 else F.pct(share, 0)


def colour_key(results: pd.DataFrame, keys: list[str], column: str) -> str | None:
    """The key the scatter is coloured by: :data:`INSTRUMENT` when swept with two values or more, else the varied key
    that explains most of ``column``'s spread (the first in the grid on a tie); None when no key varies."""
    varied = [k for k in keys if results[k].nunique() > 1]
    if INSTRUMENT in varied:
        return INSTRUMENT
    shares = [(k, explained(results, column, [k])) for k in varied]
    return max(shares, key=lambda t: t[1])[0] if shares else None


def marginal_rows(results: pd.DataFrame, keys: list[str], column: str, higher: bool) -> list[dict[str, Any]]:
    """For each varied key, each of its values in the grid's order of first appearance: how many points take it, the
    best and the median of ``column`` over them (``higher``: higher is better), the median out of sample where
    ``column`` is an in-sample one (its ``oos_`` column), and the key's explained share (:func:`explained`)."""
    oos = "oos_" + column.removeprefix("is_") if column.startswith("is_") else None
    rows = []
    for key in (k for k in keys if results[k].nunique() > 1):
        share = explained(results, column, [key])
        for value, g in results.groupby(key, sort=False, dropna=False):
            v = pd.to_numeric(g[column], errors="coerce")
            v = v[np.isfinite(v)]
            rows.append({"key": key, "value": value, "points": int(len(g)), "share": share,
                         "best": (v.max() if higher else v.min()) if len(v) else None,
                         "median": float(v.median()) if len(v) else None,
                         "oos_median": float(pd.to_numeric(g[oos], errors="coerce").median())
                         if oos in g.columns else None})
    return rows


def marginal_section(results: pd.DataFrame, keys: list[str], column: str, higher: bool, form) -> str:
    """The page's "Each key's values" table (:func:`marginal_rows`, ``form`` the statistic's format); "" when no key
    varies."""
    from vixhedge import html as H
    from vixhedge.sweep_heatmap import label

    rows = marginal_rows(results, keys, column, higher)
    if not rows:
        return ""
    oos = rows[0]["oos_median"] is not None or any(r["oos_median"] is not None for r in rows)
    heads = ["key", "value", "points", f"best {label(column)}", f"median {label(column)}",
             *([f"median {label('oos_' + column.removeprefix('is_'))}"] if oos else []), "share of the spread"]
    cells = [[r["key"], H.txt(r["value"]), str(r["points"]), form(r["best"]), form(r["median"]),
              *([form(r["oos_median"])] if oos else []), share_words(r["share"])] for r in rows]
    return ("<h2>Each key's values</h2>\n<p>For each swept key that varies, each of its values: the best and the "
            f"median {html.escape(label(column))} over every point that takes it ({'higher' if higher else 'lower'} "
            "is better), whatever the other keys"
            + (", and the median out of sample" if oos else "")
            + "; the heatmaps above hold the other keys at the best point's values instead. Share of the spread: how "
            "much of the statistic's spread over the points the key's values explain (between-value sum of squares "
            "over the total; a key that changes nothing 0%).</p>\n"
            + H.table(heads, cells, "grid", (0, 1)))
