"""Which of a compare's paired differences are tested, as one family, and their Holm-adjusted p-values.

A mode whose every interval is the baseline's ran the same book (untested, :func:`identical_modes`); one whose every
interval is an earlier mode's is counted once (:func:`twin_modes`); a Sharpe row its run shows n/a gives no verdict
(``na_leg``, :func:`vixhedge.compare_text.shown_paired`); an interval no draw defines is not one. The rest
(:func:`tested`) are the family whose count the by-chance line says and whose p-values the Holm line adjusts
(:func:`vixhedge.compare_text.paired_caveats`); :func:`holm_column` gives each its adjusted p-value, paired.csv
``p_holm`` (trial RS37 L4: the adjusted p was in the line only).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vixhedge import bootstrap as bs
from vixhedge.compare_rows import BETTER, STAT_LABELS
from vixhedge.verdicts import holm, holm_figures, side, testable

__all__ = ["SHORT_CI_DAYS", "draws_of", "holm_cells", "holm_column", "holm_names", "identical_modes", "rough_why",
           "tested", "twin_modes"]

#: fewer paired daily returns than this get a caveat: percentile CIs of Sharpe, hedge cost and P&L excluded 0 on
#: 8.0% (+-1.9 points) of 200 simulated exact nulls of 63 daily returns, 5.0% of 252 (`python -m vixhedge.ci_null`,
#: its defaults: t4 noise, seed 1; trial STAT32: 7.5-8.6% of 800)
SHORT_CI_DAYS = 100

_CELLS = ["diff", "ci_low", "ci_high"]  # (paired.csv's; a frame without them has no identical pair or twin to say)


def identical_modes(p: pd.DataFrame) -> list[str]:
    """The modes whose every paired statistic and interval is the baseline's (every draw and day alike): said in one
    caveat line, their rows not printed, as untested (trial RS21: four rows of "0.000 [0.000, 0.000] unclear")."""
    return [m for m, g in p.groupby("mode", sort=False)
            if set(_CELLS) <= set(g.columns) and g[_CELLS].abs().to_numpy().max() <= bs.FLAT]


def twin_modes(p: pd.DataFrame) -> dict[str, str]:
    """Each mode whose every paired statistic and interval equals an earlier mode's, with that mode (trial STAT23: a
    variant that ran alvh's book counted its four intervals again in the by-chance line): said in a caveat line,
    counted once."""
    if not set(_CELLS) <= set(p.columns):
        return {}
    seen: dict[str, np.ndarray] = {}
    twins = {}
    for m, g in p.groupby("mode", sort=False):
        rows = g.set_index("stat")[_CELLS].sort_index().to_numpy(float)
        twin = next((k for k, v in seen.items() if v.shape == rows.shape and np.array_equal(v, rows, equal_nan=True)),
                    None)
        if twin and np.isfinite(rows).any():
            twins[m] = twin
        else:
            seen[m] = rows
    return twins


def tested(p: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``p`` (paired rows as shown: ``na_leg`` where a Sharpe reads n/a) that are tested: neither an
    identical mode's nor a twin's (the twin of an identical mode is looked for among the rest, as the caveats say
    them), no Sharpe shown n/a, both CI endpoints defined, not 0 in every draw (:func:`vixhedge.verdicts.testable`:
    trial RS38 L2); the borderline count reads these too (its own rows: an undefined interval is never borderline)."""
    rest = p[~p["mode"].isin(identical_modes(p))] if "mode" in p else p
    rows = rest[~rest["mode"].isin(twin_modes(rest))] if "mode" in rest else rest
    if "na_leg" in rows:  # (a Sharpe shown n/a gives no verdict: review 27)
        rows = rows[rows["na_leg"].isna()]
    if not {"ci_low", "ci_high"} <= set(rows):
        return rows
    diff = rows["diff"].to_numpy(float) if "diff" in rows else np.full(len(rows), np.inf)  # (no diff: never flat)
    return rows[[testable(d, a, b) for d, a, b in zip(diff, rows["ci_low"].to_numpy(float),
                                                      rows["ci_high"].to_numpy(float))]]


def holm_names(rows: pd.DataFrame) -> tuple[list[str], np.ndarray, dict[str, str]]:
    """The Holm line's inputs from paired rows: each named with its mode, statistic and side (``alvh CVaR 95%
    worse``), their p-values, and the names whose interval is rough with why (:func:`rough_why`), as the caveats above
    say (trial RS37)."""
    names, rough = [], {}
    for r in rows.itertuples():
        way = side(r.diff, r.ci_low, r.ci_high, BETTER[r.stat])
        names.append(f"{r.mode} {STAT_LABELS[r.stat].split(',')[0]} {way}")
        if why := rough_why(int(r.days), int(r.block_days)):
            rough[names[-1]] = why
    return names, rows["p_value"].to_numpy(float), rough


def rough_why(days: int, block: int) -> str:
    """Why an interval of ``days`` daily returns in blocks of ``block`` days is rough, "" if it is not: fewer than
    :data:`SHORT_CI_DAYS` returns, or blocks a quarter of them or more (:func:`vixhedge.bootstrap.few_blocks`): the
    Holm lines' ``rough CI`` tag says which (trial VIS36 L5)."""
    why = [f"{days} returns"] if days < SHORT_CI_DAYS else []
    return ", ".join(why + ["few blocks"] * bool(bs.few_blocks(block, days, "")))


def holm_column(p: pd.DataFrame) -> pd.Series:
    """Each row's Holm-adjusted p-value within the family :func:`tested` (the Holm line's: :func:`vixhedge.verdicts.
    holm` of their paired.csv ``p_value``), NaN for a row outside it or a frame without p-values (a folder written
    before them), indexed as ``p``; one tested row alone keeps its own p."""
    out = pd.Series(np.nan, index=p.index, name="p_holm")
    rows = tested(p)
    if "p_value" in rows and len(rows) and np.isfinite(pv := rows["p_value"].to_numpy(float)).all():
        out[rows.index] = holm(pv)
    return out


def draws_of(p: pd.DataFrame) -> int | None:
    """The bootstrap draws the paired rows ``p`` were made with (``attrs`` ``n_boot``; None where a folder's attrs
    lack it)."""
    drawn = p.attrs.get("n_boot")
    return int(drawn) if isinstance(drawn, (int, np.integer)) else None


def holm_cells(p: pd.DataFrame) -> pd.Series:
    """Each row's Holm p as the console and report.html show it beside its verdict: ``p_holm`` (:func:`holm_column`)
    by :func:`vixhedge.verdicts.holm_figures` at the rows' draws; "" for a row not tested."""
    out = pd.Series("", index=p.index, dtype=object)
    rows = tested(p)
    if "p_holm" not in rows or not len(rows) or rows["p_holm"].isna().any():
        return out
    out[rows.index] = holm_figures(rows["p_value"].to_numpy(float), rows["p_holm"].to_numpy(float), draws_of(p))
    return out
