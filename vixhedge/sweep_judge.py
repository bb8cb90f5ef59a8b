"""How a finished sweep's points stand against its baselines, for the console and the page alike (trial RS39 M5, M1):
how many points beat no hedge (and the static hedge) on the ranking statistic on each side of the split
(:func:`beat_counts`, summary.json ``beat_baselines``; the console's line and the scatter's caption say the one
record), and, with a split, the best point's out-of-sample figures against each baseline as paired differences with
circular block bootstrap CIs, their verdicts and a Holm line (:func:`oos_paired`, summary.json
``out_of_sample_paired``): from ``best_nav.csv``'s daily NAV after the split, as a walk-forward's stitched tracks are
(:func:`vixhedge.bootstrap.paired_intervals`, :mod:`vixhedge.verdicts`), seeded by the sweep's ``run.seed``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from vixhedge import fmt
from vixhedge.paired_tracks import REPS, paired_cells
from vixhedge.sweep_text import METRIC_WORDS, rank_metric

#: each baseline: summary.json key, its name in a sentence, best_nav.csv's column
BASELINES = {"none": ("baseline_none", "no hedge", "no_hedge_nav_usd"),
             "static": ("baseline_static", "the static hedge", "static_nav_usd")}
SIDES = {"is_": "in sample", "oos_": "out of sample", "": "on the whole window"}


def beat_counts(results: pd.DataFrame, summary: dict[str, Any]) -> list[dict[str, Any]]:
    """How many of ``results``' points (results.csv) beat each baseline on the ranking statistic (summary.json
    ``rank_by``; Sharpe for a folder from before it), better as it ranks, on each side of the split (the whole window
    without one): a record per baseline and side, ``beat``, ``level`` (points equal to it as results.csv writes
    them: a grid sweeping hedge.mode), ``points``, the baseline's ``value`` and ``own_books`` (with several books
    each point against its own book's: :func:`vixhedge.sweep_heatmap.own_baseline`). A baseline the summary lacks
    (a folder from before the static one) is left out."""
    from vixhedge.sweep_heatmap import as_written, own_baseline
    from vixhedge.sweep_keys import RANK_BY

    metric = rank_metric(summary)
    sign = 1.0 if RANK_BY[metric] == "higher" else -1.0
    sides = [t for t in ("is_", "oos_") if f"{t}{metric}" in results.columns] or [""]
    out = []
    for mode, (key, _, _) in BASELINES.items():
        base = summary.get(key) or {}
        for tag in sides:
            col = tag + metric
            own = own_baseline(results, summary.get("books"), col, mode)
            level = as_written(base.get(col)) if own is None else own
            if level is None or col not in results.columns or own is not None and own.isna().all():
                continue  # (several books none of which has this baseline: left out, as one lacking it: MUT38)
            values = pd.to_numeric(results[col], errors="coerce")
            out.append({"against": mode, "side": tag or "whole", "column": col, "points": int(len(results)),
                        "beat": int((sign * values > sign * level).sum()), "level": int((values == level).sum()),
                        "value": None if own is not None else base.get(col), "own_books": own is not None})
    return out


def beat_words(records: list[dict[str, Any]], metric: str) -> str:
    """:func:`beat_counts`' records in words, "0 of 648 points beat no hedge in sample (Sharpe -0.38); ...": the
    console's line and the scatter's caption."""
    words, form = METRIC_WORDS[metric]
    parts = []
    for r in records:
        side = SIDES["" if r["side"] == "whole" else r["side"]]
        against = BASELINES[r["against"]][1]
        whom = (f"their own book {'without hedge' if r['against'] == 'none' else 'under the static hedge'} {side}"
                if r["own_books"] else f"{against} {side} ({words} {form(r['value'])})")
        tied = f", {r['level']} level with it" if r["level"] else ""
        parts.append(f"{r['beat']} of {r['points']} points beat {whom}{tied}")
    return "; ".join(parts)


def nav_returns(nav: np.ndarray) -> np.ndarray:
    """Daily returns of a NAV series; 0 after a ruin (NAV 0: nothing left to return)."""
    prev = nav[:-1]
    return np.divide(nav[1:], prev, out=np.ones_like(prev), where=prev > 0) - 1.0


def oos_paired(frame: pd.DataFrame, in_sample_end: str, rf: np.ndarray, periods: int, seed: int,
               reps: int = REPS) -> dict[str, Any] | None:
    """The best point's out-of-sample statistics less each baseline's (:func:`vixhedge.paired_tracks.paired_tracks`:
    95% percentile CIs of a paired circular block bootstrap, ``reps`` draws from ``seed``,
    two-sided p-values and Holm's adjustment over every interval tested).
    ``frame``: best_nav.csv (:func:`vixhedge.sweep_figures.read_best_nav`); the returns run from the last in-sample
    session's NAV on (results.csv's ``oos_`` figures' span), ``rf`` the risk-free returns of those steps. None with
    fewer than 10 out-of-sample returns."""
    from vixhedge.paired_tracks import paired_tracks

    first = int(np.searchsorted(frame.index.to_numpy(), np.datetime64(in_sample_end), "right")) - 1
    nav = frame.iloc[max(first, 0):]
    if first < 0 or len(nav) < 11:
        return None
    tracks = {c: nav_returns(nav[c].to_numpy(dtype=float)) for c in nav.columns}
    bases = {mode: tracks[col] for mode, (_, _, col) in BASELINES.items()  # (a NAV not whole: not paired; a NaN
             if col in tracks and np.isfinite(nav[col].to_numpy(dtype=float)).all()}  # NAV gave returns 0: MUT38)
    first_nav, last_nav = nav.iloc[0], nav.iloc[-1]
    totals = {name: float(last_nav[col] / first_nav[col] - 1.0) for name, col in  # (trial VIS38 L8: differences
              (("best", "best_nav_usd"), *((m, BASELINES[m][2]) for m in bases)) if first_nav[col] > 0}  # alone)
    return {"days": len(nav) - 1, "window": f"{nav.index[1].date()}..{nav.index[-1].date()}", "reps": reps,
            "seed": seed, "total_return": totals,
            "paired": paired_tracks(tracks["best_nav_usd"], bases, rf, periods, seed, reps)}


def judge(summary: dict[str, Any], folder: Path, spec, market) -> None:
    """Add to a sweep's ``summary`` its ``beat_baselines`` (:func:`beat_counts` of results.csv) and, with a split
    and a best point, its ``out_of_sample_paired`` (:func:`oos_paired` of best_nav.csv)."""
    from vixhedge.run import risk_free_returns
    from vixhedge.sweep_figures import read_best_nav

    folder = Path(folder)
    if not (folder / "results.csv").is_file() or not summary.get("best"):
        return
    summary["beat_baselines"] = beat_counts(pd.read_csv(folder / "results.csv"), summary)
    frame = read_best_nav(folder)
    if not spec.in_sample_end or frame is None:
        return
    first = int(np.searchsorted(frame.index.to_numpy(), np.datetime64(spec.in_sample_end), "right")) - 1
    days = [d.date() for d in frame.index[max(first, 0):]]
    rf = risk_free_returns(spec.base.analysis, market, days) if len(days) > 1 else np.zeros(0)
    paired = oos_paired(frame, str(spec.in_sample_end), rf, spec.base.analysis.periods_per_year, spec.base.run.seed)
    if paired is not None:
        summary["out_of_sample_paired"] = paired


def with_holm(cell: str, holm_p: str | None) -> str:
    """A paired cell with its Holm p in the verdict's parentheses, or its own ("" for none)."""
    if holm_p is None:
        return cell
    return f"{cell[:-1]}; Holm p {holm_p})" if cell.endswith(")") else f"{cell} (Holm p {holm_p})"


def paired_lines(summary: dict[str, Any]) -> list[str]:
    """The console's lines (the page's paragraph) of summary.json ``out_of_sample_paired``: each baseline's paired
    differences, then the by-chance count and the Holm line (:func:`vixhedge.verdicts.chance_and_holm`)."""
    from vixhedge.paired_tracks import PAIRED, WORDS, holm_cells, tested
    from vixhedge.verdicts import chance_and_holm, side

    p = summary.get("out_of_sample_paired")
    if not p:
        return []
    family, held = tested(p["paired"]), holm_cells(p["paired"], p["reps"])
    pv = np.array([p["paired"][m][s]["p_value"] for m, s in family], dtype=float)
    lines = [f"out of sample {p['window']} ({fmt.plural(p['days'], 'daily return')}), the best point less each "
             f"baseline, 95% CIs of a paired circular block bootstrap ({p['reps']} draws, seed {p['seed']}; "
             "best_nav.csv):"]
    if p.get("total_return"):  # (a folder from before it: none)
        lines.append("  total return: " + ", ".join(f"{'the best point' if n == 'best' else BASELINES[n][1]} "
                                                    f"{fmt.pct(v, 1)}" for n, v in p["total_return"].items()))
    for mode, r in p["paired"].items():
        against = BASELINES[mode][1]
        if r.get("identical"):
            lines.append(f"  minus {against}: identical daily returns, nothing to test")
            continue
        cells = [with_holm(" ".join(paired_cells(r[s], s)), held.get((mode, s))) for s in PAIRED]
        lines.append(f"  minus {against} ({r['block_days']}-day blocks): "
                     + "; ".join(f"{WORDS[s]} {c}" for s, c in zip(PAIRED, cells)))
    names = [f"best minus {BASELINES[m][1]}: {WORDS[s]} {side(d['diff'], d['ci_low'], d['ci_high'], PAIRED[s])}"
             for m, s in family for d in (p["paired"][m][s],)]
    return lines + [f"  {w}" for w in chance_and_holm("the best point differed from neither baseline", names,
                                                       pv if family else None, draws=p["reps"])]


def paired_section(summary: dict[str, Any]) -> str:
    """The page's "Out of sample, paired" section: summary.json ``out_of_sample_paired`` as a table (baseline,
    statistic, difference, CI, verdict, Holm p) under the console's first line and over its by-chance and Holm
    lines; "" without it (no split, or a folder from before it)."""
    import html

    from vixhedge import html as H
    from vixhedge.paired_tracks import PAIRED, WORDS, holm_cells

    p = summary.get("out_of_sample_paired")
    if not p:
        return ""
    lines = paired_lines(summary)
    rows, held = [], holm_cells(p["paired"], p["reps"])  # (over the whole family, as the Holm line)
    for mode, r in p["paired"].items():
        if r.get("identical"):
            rows.append([BASELINES[mode][1], "every statistic", "0", "", "identical daily returns, nothing to test",
                         ""])
            continue
        rows += [[BASELINES[mode][1], WORDS[s], *paired_cells(r[s], s), held.get((mode, s), "")] for s in PAIRED]
    chance = [line.strip() for line in lines[1:] if not line.startswith("  minus ")]
    return ("<h2>Out of sample, paired with the baselines</h2>\n"
            f"<p>{html.escape(lines[0][0].upper() + lines[0][1:].rstrip(':'))} (blocks: "
            + html.escape(", ".join(f"{BASELINES[m][1]} {r['block_days']} days"
                                    for m, r in p["paired"].items() if not r.get("identical")))
            + "). Drawdown, CVaR and total return in points of %.</p>\n"
            + H.table(["against", "statistic", "best less it", "95% CI", "verdict", "Holm p"], rows, "grid", (4,))
            + "".join(f"<p>{html.escape(c[0].upper() + c[1:])}.</p>\n" for c in chance))
