"""A finished sweep's summary: the best point on the spec's ranking metric (``sweep.rank_by``), its no-hedge and
static-hedge baselines, the deflated Sharpe ratio of the best in-sample point (when ranked by Sharpe), and the
data-snooping tests (SPA, StepM) of all points against each baseline. Its words: :mod:`vixhedge.sweep_text`.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np

from feeds.market import Market
from vixhedge.core import config as C
from vixhedge import sweep_returns
from vixhedge.sweep_market import best_run, market_record
from vixhedge.sweep_paths import PATHS_FILE
from vixhedge.sweepio import read_keys
from vixhedge.sweep_metrics import (
    CAPITAL_METRICS, RESULT_FIELDS, RETURNS_KEY, SIDE_METRICS, bar_days, evaluation_returns,
)
from vixhedge.bootstrap import FLAT
from vixhedge.snooping import tail_losses
from vixhedge.sweep_books import baseline, book_returns, books_record, points_and_books, tested_books
from vixhedge.sweep_spec import GridOrder, SweepSpec, grid_order, result_fields

EULER_GAMMA = 0.5772156649015329


def deflated_sharpe(best_returns: np.ndarray, sharpe_trials_per_period: np.ndarray) -> float:
    """Return the deflated Sharpe ratio (Bailey & Lopez de Prado, 2014) of the best trial.

    ``best_returns`` are the chosen point's per-period excess returns; ``sharpe_trials_per_period``
    the non-annualised Sharpe ratios of all N trials. The benchmark SR0 is the expected maximum
    of N Sharpe ratios under the null (zero true Sharpe) given their cross-trial variance.
    """
    from scipy.stats import kurtosis, norm, skew  # 0.8 s of import: only the summary needs it

    n = len(sharpe_trials_per_period)
    r = np.asarray(best_returns)
    t = len(r)
    sr = r.mean() / r.std(ddof=1)
    if n < 2:
        sr0 = 0.0
    else:
        v = np.var(sharpe_trials_per_period, ddof=1)
        sr0 = math.sqrt(v) * ((1 - EULER_GAMMA) * norm.ppf(1 - 1 / n) + EULER_GAMMA * norm.ppf(1 - 1 / (n * math.e)))
    g3, g4 = skew(r), kurtosis(r, fisher=False)
    denom = math.sqrt(max(1 - g3 * sr + (g4 - 1) / 4 * sr * sr, 1e-12))
    return float(norm.cdf((sr - sr0) * math.sqrt(t - 1) / denom))


def summarize(results: Path, spec: SweepSpec, market: Market, order: GridOrder | None = None,
              progress: bool = True) -> dict[str, Any]:
    """Return the sweep summary, strict JSON (:func:`strict`: a missing number is None, never NaN).

    ``order``: the grid's :class:`~vixhedge.sweep_spec.GridOrder` on ``market``, the sweep's own when it has just
    run (:func:`vixhedge.sweep.run_and_summarize`); without it the grid is walked here.

    The best point on ``sweep.rank_by`` (:func:`ranking`); with an in-sample split, it out of sample and, ranked by
    Sharpe, its deflated Sharpe ratio. Always: the best point's book's (:mod:`vixhedge.sweep_books`) no-hedge and
    static-hedge baselines on the same window (and IS/OOS sides), and Hansen's SPA and Romano-Wolf's StepM tests of
    every point's evaluation-window daily returns against each (each point's own book's, with several books:
    :func:`snooping_tests`). ``best`` and the baselines are points: ``ruined`` a bool, ``ruin_date`` the
    ruin day or None, metrics floats (None when missing), ``hedge_layers`` an int.
    """
    return strict(_summarize(results, spec, market, order or grid_order(spec, market), progress))


COUNT_FIELDS = {f"{t}{k}" for t in ("", "is_", "oos_")
                for k in ("days_cut_by_capital_caps", "days_with_margin_call")}  # ints (None when missing)
FLOAT_FIELDS = {f for f in RESULT_FIELDS if f not in ("hedge_layers", "ruined", "ruin_date")} | {
    f"{t}_{k}" for t in ("is", "oos") for k in (*SIDE_METRICS, *CAPITAL_METRICS)}


def point_record(row: dict[str, Any]) -> dict[str, Any]:
    """Return a result row (from results.csv or a baseline run) with consistent types (see :func:`summarize`)."""
    out = {k: (v.item() if hasattr(v, "item") else v) for k, v in row.items() if k != RETURNS_KEY}
    for k in FLOAT_FIELDS & set(out):
        v = None if out[k] is None or out[k] == "" else float(out[k])
        out[k] = v if v is not None and math.isfinite(v) else None
    for k in COUNT_FIELDS & set(out):  # (NaN: out of sample, ruined in sample)
        v = None if out[k] is None or out[k] == "" else float(out[k])
        out[k] = int(v) if v is not None and math.isfinite(v) else None
    if "hedge_layers" in out and out["hedge_layers"] is not None and math.isfinite(float(out["hedge_layers"])):
        out["hedge_layers"] = int(out["hedge_layers"])
    if "ruined" in out:  # ruin_date says it; a folder from before ruin_date has the day in ruined (or nothing)
        day = out.pop("ruin_date") if "ruin_date" in out else out["ruined"]
        day = None if day is None or (isinstance(day, float) and math.isnan(day)) or day == "" else str(day)
        out["ruined"], out["ruin_date"] = day is not None, day
    return out


def ruined_points(df) -> Any:
    """Return a boolean Series: which rows of results.csv were ruined (their ``ruin_date`` is set; in a folder from
    before ``ruin_date``, their ``ruined`` cell held the day)."""
    import pandas as pd

    col = "ruin_date" if "ruin_date" in df else "ruined" if "ruined" in df else None
    if col is None:
        return pd.Series(False, index=df.index)
    return df[col].notna() & (df[col].astype(str) != "")


def strict(obj: Any) -> Any:
    """Return ``obj`` as strict JSON values: NaN and infinities None, numpy scalars Python's, tuples lists."""
    if isinstance(obj, dict):
        return {str(k): strict(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [strict(v) for v in obj]
    if hasattr(obj, "item") and not isinstance(obj, (str, bytes)):
        obj = obj.item()
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def write_summary(folder: Path, summary: dict[str, Any]) -> Path:
    """Write ``folder/summary.json`` as strict JSON (never NaN: ``allow_nan=False``); return its path."""
    from vixhedge.atomic import write_file  # whole or not at all: a kill never leaves half a file

    return write_file(Path(folder) / "summary.json",
                      json.dumps(strict(summary), indent=2, sort_keys=True, allow_nan=False) + "\n")


def _summarize(results: Path, spec: SweepSpec, market: Market, order: GridOrder, progress: bool) -> dict[str, Any]:
    import pandas as pd

    from vixhedge.run import risk_free_returns, valid_nav
    from vixhedge.sweep_figures import FILE as BEST_NAV, write_best_nav

    df = pd.read_csv(results) if results.exists() else pd.DataFrame(columns=result_fields(spec))
    keys = order.index  # every valid point -> its index in grid order
    df = df[df["point"].isin(list(keys))].drop_duplicates("point")
    df = df.iloc[np.argsort(df["point"].map(keys).to_numpy(), kind="stable")]  # grid order: ties go to the first
    failed = read_keys(results.with_name("failed.csv")) - set(df["point"])
    out: dict[str, Any] = {"points": len(keys), "invalid": order.invalid, "finished": int(len(df)),
                           "failed": len(failed), "not_run": len(keys) - int(len(df)) - len(failed)}
    if failed:  # the first failure in grid order (failed.csv is sorted so), its error on one line
        out["first_failure"] = first_failure(results.with_name("failed.csv"), failed)
    if (results.parent / PATHS_FILE).is_file():  # every finished point per path (kernel / event), resumes included
        out["paths"] = json.loads((results.parent / PATHS_FILE).read_text(encoding="utf-8"))
    if df.empty:  # no best point: no best_nav.csv (where one is ranked it is rewritten whole below, so an interrupt
        (results.parent / BEST_NAV).unlink(missing_ok=True)  # before that keeps the finished one: trial RD38 H1)
        out["market"] = market_record(spec, market, None)
        return out
    same = identical_axes(df, list(spec.grid))
    if same:
        out["identical_axes"] = same
    rank = ranking(spec)
    out["rank_by"] = rank
    ruined = ruined_points(df)
    out["ruined"] = int(ruined.sum())
    score = pd.to_numeric(df.loc[~ruined, rank["column"]], errors="coerce")
    score = score[np.isfinite(score)]
    if score.empty:
        out["best"] = None  # every point was ruined, or has no finite score: none is ranked
        (results.parent / BEST_NAV).unlink(missing_ok=True)
        out["market"] = market_record(spec, market, None)
        return out
    best = df.loc[score.idxmax() if rank["better"] == "higher" else score.idxmin()]  # ties: the first in grid order
    out["best"] = point_record(dict(best.items()))
    out["best_ties"] = int((score == score[best.name]).sum()) - 1  # other points with its very score (written digits)
    point, books = points_and_books(spec, set(df["point"]), best["point"])
    run = best_run(point.config, market)  # the best point's one run here: its provenance and in-sample returns
    out["market"] = market_record(spec, market, run.metrics["data_provenance"])
    own = point.config if books else None  # the best point's own book (sweep_books), [base]'s when the grid has one
    baselines = {mode: baseline(spec, market, mode, own) for mode in BASELINES}
    base_daily = baselines["none"][1]
    tested = tested_books(spec, market, books, point, {m: row for m, (row, _) in baselines.items()},
                          (results.parent, df), progress)
    if books:
        out["books"] = books_record(books, tested)
    for mode, (row, _) in baselines.items():
        out[BASELINES[mode]] = point_record(row)
    write_best_nav(results.parent, run.daily, base_daily, baselines["static"][1])  # the page's best point, day by day
    out["sharpe_over"] = sharpe_over(spec, market, list(base_daily.index))
    if spec.in_sample_end:
        out["best_out_of_sample"] = {f"oos_{k}": out["best"][f"oos_{k}"] for k in (*SIDE_METRICS, *CAPITAL_METRICS)
                                     if f"oos_{k}" in best}  # (point_record's types: a count an int, NaN None)
    if spec.in_sample_end and rank["metric"] == "sharpe":  # the deflation corrects the highest of N Sharpe ratios
        d = run.daily  # its NAV is daily_book's (the fast engine), to the last bit: the row's own is_ returns
        is_r = evaluation_returns(bar_days(d), spec.in_sample_end, valid_nav(d, run.metrics["ruin"]))
        # less the risk-free returns, as is_sharpe (every point shares the window: the baseline's days)
        is_r = is_r - risk_free_returns(point.config.analysis, market, list(base_daily.index))[:len(is_r)]
        distinct = distinct_results(df)  # the points whose rows differ: a repeated result is one trial
        trials = distinct["is_sharpe"].to_numpy() / math.sqrt(spec.base.analysis.periods_per_year)
        out["deflated_sharpe_ratio"] = deflated_sharpe(is_r, trials[np.isfinite(trials)])
        out["trials"] = int(np.isfinite(trials).sum())
        out["trials_counted"] = TRIALS_COUNTED
        out["trial_points"] = int(np.isfinite(pd.to_numeric(df["is_sharpe"], errors="coerce")).sum())
    for key, (mode, test) in SNOOPING.items():
        if test == "return" or rank["metric"] == "cvar95":  # the tail tests judge a CVaR ranking
            one, each = book_returns(books, tested, mode)  # (sweep_books: [base]'s, or each point's own book's)
            out[key] = snooping_tests(results.parent, list(df["point"]), str(best["point"]),
                                      baselines[mode][0][RETURNS_KEY] if one is None else one, spec.base.run.seed,
                                      mode, block=spec.spa_block_days, test=test, books=each)
            out[key]["span"] = "in sample" if spec.in_sample_end else "the whole window"  # the days they test
            out[key].update(BASE[mode] if tested and tested["tests"] == "base" else {})
    return out


#: the baselines every sweep is judged against (a book under the built-in mode: sweep_books) -> summary.json key
BASELINES = {"none": "baseline_none", "static": "baseline_static"}
#: SPA / StepM -> summary.json key: (the baseline's mode, what they test: ``return``, mean daily return, or
#: ``tail``, mean loss beyond the baseline's 95% VaR, when the points are ranked by CVaR: :func:`tail_losses`)
SNOOPING = {"snooping": ("none", "return"), "snooping_static": ("static", "return"),
            "snooping_tail": ("none", "tail"), "snooping_tail_static": ("static", "tail")}
BENCHMARKS = {"none": "no hedge (hedge.mode = none), same config and window",
              "static": "the static hedge (hedge.mode = static, its static_layers), same config and window"}
AGAINST = {"none": "no hedge", "static": "the static hedge"}  # each benchmark in a sentence's words
_MODE_WORDS = {"none": "without hedge", "static": "under the static hedge"}  # a book's baseline, in words
OWN = {m: {"benchmark": f"each point's own book (its config outside [hedge]) {w}, same window",
           "against": f"their own book {w}", "own_books": True}  # each point against its own (sweep_books)
       for m, w in _MODE_WORDS.items()}
BASE = {m: {"benchmark": f"[base]'s config {w}, same window", "against": f"[base]'s book {w}"}  # beyond MAX_BOOKS
        for m, w in _MODE_WORDS.items()}


def ranking(spec: SweepSpec) -> dict[str, str]:
    """How the sweep ranks its points: ``metric`` (``sweep.rank_by``), ``column`` (its results.csv column: the
    in-sample one when split) and ``better`` ("higher" or "lower")."""
    from vixhedge.sweep_keys import RANK_BY

    return {"metric": spec.rank_by, "column": f"is_{spec.rank_by}" if spec.in_sample_end else spec.rank_by,
            "better": RANK_BY[spec.rank_by]}


def ranked_fields(path: Path, spec: SweepSpec, say: bool = True) -> list[str]:
    """The columns the sweep writes in results.csv ``path`` (:func:`vixhedge.sweepio.folder_fields`: a folder from
    before a column keeps its header, said unless ``say`` is False), checked to hold the column it is ranked by:
    ConfigError before any point runs (a folder from before the CVaR columns cannot be ranked by CVaR)."""
    from vixhedge.sweepio import folder_fields

    fields = folder_fields(path, result_fields(spec), say)
    column = ranking(spec)["column"]
    if column not in fields:
        raise C.ConfigError(f"{path} was written before the {column} column, so its points cannot be ranked by "
                            f"{spec.rank_by}: rank by another metric (sweep.rank_by / --rank-by), or give another "
                            "--out to run the sweep anew")
    return fields


def first_failure(path: Path, keys: set[str]) -> dict[str, str] | None:
    """Return the first row of failed.csv ``path`` whose point is one of ``keys`` (point, params, error; the error
    on one line, at most 300 characters), or None."""
    import csv

    with path.open(newline="", encoding="utf-8") as fh:
        row = next((r for r in csv.DictReader(fh) if r.get("point") in keys), None)
    if row is None:
        return None
    error = " ".join(str(row.get("error") or "").split())
    return {"point": row["point"], "params": row.get("params") or "",
            "error": error if len(error) <= 300 else error[:297] + "..."}


TRIALS_COUNTED = "distinct in-sample result rows"  # summary.json trials_counted: what the deflated Sharpe's trials count


def identical_axes(df, axes: list[str]) -> list[str]:
    """Notes on the grid axes some of whose values gave the same results.csv rows (every column but the point and
    the axes) for every setting of the other axes: those values changed nothing on this window, whatever its switch
    (a researcher's trial, session 13: hedge.next_layer_multiple 1.5 and 2 in 2020 H1, unnoted;
    :func:`vixhedge.sweep_inert.inert_axes` notes the axes a switch that is off holds inert, before the run); and on
    an axis none of whose values changed a result where another axis took some value (the walk-forward trial,
    session 15: with hedge.review_bars = 0, next_layer_multiple and max_layers changed nothing, and a best point
    "tied with 3 others" went unexplained)."""
    results = [c for c in df.columns if c != "point" and c not in axes]  # (capital columns too: a margin.mode that
    notes, inert = [], set()  # changes only the capital a point takes changed a result; review 17b)
    for axis in axes:
        rows = _rows_by_value(df, axis, [a for a in axes if a != axis], results)
        same = [values for values in rows.values() if len(values) > 1]
        if len(rows) == 1 and same:
            inert.add(axis)
            notes.append(f"grid.{axis} changed no result on this window: its {len(same[0])} values gave identical "
                         "rows for every setting of the other axes")
        notes += [f"grid.{axis} = {', '.join(str(v) for v in values)} gave identical rows for every setting of the "
                  "other axes" for values in same if len(rows) > 1]
    for axis, other in ((a, b) for a in axes for b in axes if a != b and a not in inert and b not in inert):
        rest = [a for a in axes if a not in (axis, other)]
        where = [v for v, g in df.groupby(other, dropna=False, sort=True)
                 if g[axis].nunique() > 1 and len(_rows_by_value(g, axis, rest, results)) == 1]
        if where:
            notes.append(f"grid.{axis} changed no result where grid.{other} = {', '.join(str(v) for v in where)}: "
                         "its values gave identical rows there for every setting of the other axes")
    return notes


def _rows_by_value(df, axis: str, others: list[str], results: list[str]) -> dict[str, list]:
    """``df``'s rows (the other axes and the results, sorted by the other axes) as text -> the values of ``axis``
    that gave them: one key when no value of ``axis`` changed a row."""
    rows: dict[str, list] = {}
    for value, g in df.groupby(axis, dropna=False, sort=True):
        g = g.sort_values(others) if others else g
        rows.setdefault(g[others + results].to_csv(index=False), []).append(value)
    return rows


def distinct_results(df):
    """Return the rows of results.csv whose in-sample results differ (the first of each): the ``is_`` columns, as
    written (10 significant digits), what the selection of the best point saw. Points whose keys change nothing in
    sample (an axis without effect: :func:`vixhedge.sweep_inert.inert_axes`, or settings that never bind before the
    split) give the same row: one trial of the deflated Sharpe ratio, not one per point. Columns from after the
    split are left out, so that the trial count, and the deflated Sharpe with it, cannot move with data after the
    split (the causality trial of 2026-12-04 read it off every column, ``oos_`` ones included). (SPA and StepM test
    every point: a repeated column changes neither their statistic nor its bootstrap maximum.) Only the return and
    P&L columns (``SIDE_METRICS``) count: points that differ in their capital figures alone (a ``margin.mode`` that
    changes no trade) are one return stream, one trial (review 17b)."""
    cols = [c for c in (f"is_{k}" for k in SIDE_METRICS) if c in df.columns]
    return df.drop_duplicates(subset=cols) if cols else df


def sharpe_over(spec: SweepSpec, market: Market, days: list) -> str:
    """What the points' Sharpe ratios measure excess return over, in a run report's words
    (:func:`vixhedge.html.rf_label`; the cash rate averaged over the sweep's window), or that it is swept."""
    from analyzers.metrics import simple_rate
    from vixhedge.html import rf_label
    from vixhedge.run import risk_free_returns

    if any(k.startswith("analysis.risk_free") for k in spec.grid):
        return "each point's analysis.risk_free / risk_free_rate (swept)"
    a = spec.base.analysis
    if a.risk_free is not C.RiskFree.CASH:
        return f"a constant {rf_label(a, {})}"
    return rf_label(a, {"cash_rate_act365": simple_rate(risk_free_returns(a, market, days), days)})


TAIL_DAYS = 100  # the fewest daily returns the tail tests run on: 5 days in a 95% tail (with fewer, CVaR 95% rests
# on 1-4 days and the loss beyond the VaR on 0-3: the first sweep this ran on, 39 days, had all of them 0)


def snooping_tests(folder: Path, keys: list[str], best_key: str, benchmark_returns: np.ndarray, seed: int,
                   mode: str = "none", reps: int = 1000, size: float = 0.05, block: int = 0,
                   test: str = "return", books: dict[str, np.ndarray] | None = None) -> dict[str, Any]:
    """Return SPA and StepM (``arch.bootstrap``'s, computed by :mod:`vixhedge.snooping`) of all points' daily
    returns against a benchmark's: the best point's book under the built-in hedge ``mode`` (:data:`BASELINES`;
    ``benchmark`` and ``against`` name it).

    Losses are minus the daily returns, so a point "beats" the benchmark when its mean daily return is
    higher. SPA (Hansen 2005) asks whether the best of the N points beats the benchmark once the search
    over N is accounted for (p-value: consistent; lower and upper beside it); StepM (Romano & Wolf 2005)
    returns the points that beat it at ``size`` with the family-wise error controlled. Stationary
    bootstrap, ``reps`` draws, block length data-driven (Politis-White) on the loss differential of the point with
    the highest mean daily return (SPA's own best: the same block whatever the sweep ranks by; review 14 found the
    p-value moving with ``--rank-by``); ``block`` > 0 (``sweep.spa_block_days``) instead of it. When no point's
    daily returns differ from the benchmark's other than by a constant (plug-ins that never hedge), the p-values are
    1.0, no point is superior and ``note`` says why. ``test = "tail"``: the losses are those beyond the benchmark's
    95% VaR (:func:`tail_losses`, ``var95`` the VaR as a share of NAV), so "better" is a smaller tail loss, which
    implies a smaller CVaR 95% on these days. ``books``: point key -> the returns of the baseline it is tested
    against (its own book's, :func:`vixhedge.sweep_books.book_returns`) instead of ``benchmark_returns`` (the VaR
    then each book's, ``var95`` the best point's).
    """
    from vixhedge.bootstrap import data_block_length
    from vixhedge.snooping import spa_stepm

    found, r = sweep_returns.load(folder, keys, len(benchmark_returns))
    out: dict[str, Any] = {"benchmark": BENCHMARKS[mode], "against": AGAINST[mode], "points_tested": len(found),
                           "points_finished": len(keys), "reps": reps, "seed": seed, **(OWN[mode] if books else {})}
    if not found or len(benchmark_returns) < 10:
        out["note"] = ("no stored daily returns (returns.bin) for these points: SPA/StepM not run" if not found else
                       f"{len(benchmark_returns)} daily returns are too few to test (10 or more): SPA/StepM not run")
        return out
    out["test"] = test
    if test == "tail" and len(benchmark_returns) < TAIL_DAYS:
        out["note"] = (f"not run: the {len(benchmark_returns)} daily returns tested put fewer than 5 days in a 95% "
                       f"tail ({TAIL_DAYS} or more do: a longer window, or a later in_sample_end)")
        return out
    bench = np.column_stack([books[k] for k in found]) if books else benchmark_returns[:, None]  # T x N or T x 1
    # a point level with its baseline to float noise (a run and a read-back row differ by 2e-16) is it: no noise
    # column decides a p-value (review 24: one moved 0.795 -> 0.724 with --rank-by, which picks the run book)
    r = np.where(np.abs(r - bench).max(axis=0) <= FLAT, bench, r)
    bench = bench if books else bench[:, 0]
    if test == "tail":
        bench_loss, losses, var = tail_losses(bench, r)
        var = var if np.ndim(var) == 0 else var[found.index(best_key)] if best_key in found else None
        out.update({} if var is None else {"var95": float(var)})
    else:
        bench_loss, losses = -bench, -r
    diff = (bench_loss if bench_loss.ndim == 2 else bench_loss[:, None]) - losses  # SPA's loss differentials
    moving = np.ptp(diff, axis=0) > FLAT  # (a point level with its own book has none to estimate a block on)
    col = int(np.argmax(np.where(moving, diff.mean(axis=0), -np.inf)))  # SPA's own best: whatever sweep.rank_by
    out["block_from"] = "spec" if block else "data"  # (sweep.spa_block_days, else Politis-White's estimate)
    block = block or data_block_length(-diff[:, col], "stationary")  # stationary blocks resampled
    res = spa_stepm(bench_loss, losses, block, reps, seed, size, benchmark=out["against"],
                    what="tail losses" if test == "tail" else "daily returns")
    superior = {found[i] for i in res.superior}
    # one binomial standard error (1 s.e., not a 95% band: 1.96 s.e.): a bootstrap p-value is a share of the reps draws
    mc_se = math.sqrt(res.pvalue * (1.0 - res.pvalue) / reps)
    out.update({"block_days": block, "days": len(benchmark_returns), "spa_pvalue": res.pvalue, "spa_mc_se": mc_se,
                "spa_pvalue_lower": res.pvalue_lower, "spa_pvalue_upper": res.pvalue_upper, "stepm_size": size, "stepm_superior": len(superior),
                "best_in_stepm_set": best_key in superior})
    if res.degenerate:  # p-values 1.0 and no StepM point: no evidence (vixhedge.snooping.degenerate)
        out["note"] = f"not testable: {res.degenerate} (p-values 1.0: no evidence)"
    return out
