"""Walk-forward: choose a sweep's best point on each fold's fit period, judge it on the test period that follows,
and stitch the test periods into one track beside no hedge and the static hedge.

    vixhedge sweep SPEC.toml --walk-forward FIT,TEST [--out DIR] [--rank-by ...] [--data-dir DIR]

FIT and TEST are whole years (``4,3``) or months (``18m,6m``; the two may mix: ``2,6m``). The spec's window
(``[base] run``) is cut into folds of a FIT period to choose on and the TEST period after it to judge on, stepping by
TEST, so the test periods follow one another without overlap (fold k fits from ``start + k TEST`` for FIT; the last
test period ends at the window's end). Each fold is an ordinary sweep of the spec over its fit and test periods,
split at the end of the fit period (``sweep.in_sample_end``), in its own folder ``OUT/fold-K`` (resumable, with its
own summary and report.html): its best point on ``sweep.rank_by`` in sample is the pick, and the summary's
``best_nav.csv`` gives the pick's, no hedge's and the static hedge's NAV over the test period. Their daily returns,
the first one from the fit period's last session, are chained fold after fold into ``OUT/walkforward.csv``;
``OUT/walkforward.json`` holds each fold's pick and test figures, the stitched tracks' Sharpe (over the cash rate),
max drawdown and CVaR 95%, the pick's paired differences from each baseline with circular block bootstrap CIs
(compare's, :func:`vixhedge.bootstrap.paired_intervals`), the odds against picking at random, the metrics the
folder has been ranked by with each one's odds (``rankings``, :mod:`vixhedge.rankings`: a rerun with another
``--rank-by`` ranks the finished folds again) and, where the swept keys' [base] values are a grid point, that
point's test ranks (``base_point``). Its words: :mod:`vixhedge.walkforward_text`.

What a stitched track is: each fold's run starts at its own fit start with the configured capital, so a test
period continues that run (the condor's cycle and the hedge book as the fit period left them), not a fresh start on
the test period's first day; the no-hedge and static tracks are stitched the same way from each fold's own
baseline runs. A ruin inside a test period ends the stitched track there (NAV 0 after it).
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from vixhedge.core import config as C
from vixhedge.sweep_books import book_keys
from vixhedge.sweep_spec import MIN_SIDE_SESSIONS

TRACKS = {"picked": "best_nav_usd", "no_hedge": "no_hedge_nav_usd", "static": "static_nav_usd"}  # best_nav.csv
STATS = ("sharpe", "max_drawdown", "cvar95")
FILE, TABLE, FIGURE = "walkforward.json", "walkforward.csv", "walkforward.png"
STITCHED = (FILE, TABLE, FIGURE)  # the top level's files (output_files.json records their sha256)


@dataclasses.dataclass(frozen=True)
class Fold:
    index: int  # from 1
    fit_start: dt.date
    fit_end: dt.date
    test_end: dt.date


def parse_plan(text: str) -> tuple[int, int, bool]:
    """``"4,3"`` -> (48, 36, False), ``"18m,6m,anchored"`` -> (18, 6, True): the fit and test periods in months
    (a bare number is years, 1..50; ``Nm`` months, 1..600) and whether every fold fits from the window's start
    (ValueError names the fix)."""
    parts = str(text).split(",")
    anchored = len(parts) == 3 and parts[2].strip() == "anchored"
    spans = [_months_of(p.strip()) for p in (parts[:2] if anchored else parts)]
    if len(spans) != 2 or None in spans:
        raise ValueError(f"--walk-forward {text!r} is invalid: give FIT,TEST as two whole numbers of years 1..50 or "
                         "of months 1m..600m, e.g. 4,3 (choose on 4 years, judge on the next 3) or 18m,6m, and "
                         ",anchored to choose on everything from the window's start")
    return spans[0], spans[1], anchored


def _months_of(text: str) -> int | None:
    months = text.endswith("m")
    digits = text[:-1] if months else text
    if not (digits.isascii() and digits.isdigit()):
        return None
    n = int(digits) * (1 if months else 12)
    return n if 1 <= n <= 600 else None


def plan_flag(fit: int, test: int, anchored: bool) -> str:
    """The ``--walk-forward`` value of a plan in months (the reproduce command's): years where both are whole."""
    years = fit % 12 == 0 and test % 12 == 0
    return ",".join(str(n // 12) if years else f"{n}m" for n in (fit, test)) + (",anchored" if anchored else "")


def _months(day: dt.date, n: int) -> dt.date:
    """``day`` plus ``n`` months, on the month's last day where it is shorter (29 February + 12 -> 28 February)."""
    years, month = divmod(day.month - 1 + n, 12)
    year, month = day.year + years, month + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def folds(start: dt.date, end: dt.date, fit: int, test: int, anchored: bool = False) -> list[Fold]:
    """The folds of the window ``start..end``: ``fit`` months to choose on, the ``test`` months after them to judge on
    (the last cut at ``end``), stepping by ``test`` months (module docstring); ``anchored``: every fold chooses on
    everything from ``start`` to its fit end (an expanding window), the test periods the same. Every date counts
    whole months from ``start``, so a fold's test period ends where the next fold's fit period ends and the test
    periods tile the window (trial WF2: counted from each fold's own dates, 29 February left a session out or in
    twice)."""
    day = dt.timedelta(days=1)
    out, k = [], 0
    while (fit_end := _months(start, k * test + fit) - day) < end:
        out.append(Fold(k + 1, start if anchored else _months(start, k * test), fit_end,
                        min(_months(start, (k + 1) * test + fit) - day, end)))
        k += 1
    return out


def fold_spec(spec, fold: Fold):
    """The sweep of one fold: the spec over its fit and test periods, split at the fit period's end."""
    base = C.replace(spec.base, run={"start": fold.fit_start.isoformat(), "end": fold.test_end.isoformat()})
    return dataclasses.replace(spec, name=f"{spec.name}-fold{fold.index}", base=base, in_sample_end=fold.fit_end)


def precheck(spec, fit: int, test: int, anchored: bool = False, block_flag: bool = False) -> list[Fold]:
    """What can be checked of the folds before the market is built (trial FUZZ37 M1: 8.5 s of building real data
    before one of these lines), each a ConfigError line: the spec's own split, fewer than two folds by the calendar,
    an SPA block as long as a fit period (``block_flag``: --spa-block-days, else the spec's); return the calendar's
    folds (:func:`checked_folds` checks them on the market's sessions)."""
    from vixhedge.sweep_keys import check_spa_block

    if spec.in_sample_end is not None:
        raise C.ConfigError(f"sweep '{spec.name}': --walk-forward sets each fold's split; the spec's "
                            f"sweep.in_sample_end = {spec.in_sample_end} would be ignored: remove it")
    out = folds(spec.base.run.start, spec.base.run.end, fit, test, anchored)
    if len(out) < 2:
        too_few(spec, out, fit, test, anchored)
    where = "--spa-block-days " if block_flag else f"sweep '{spec.name}': sweep.spa_block_days = "
    for fold in out:
        check_spa_block(spec.spa_block_days, spec, f"{where}{spec.spa_block_days}", fold.fit_start, fold.fit_end,
                        f"on fold {fold.index}'s fit period")
    return out


def too_few(spec, plan: list[Fold], fit: int, test: int, anchored: bool) -> None:
    """Raise the line of a plan of fewer than two folds."""
    raise C.ConfigError(f"sweep '{spec.name}': --walk-forward {plan_flag(fit, test, anchored)} makes {len(plan)} "
                        f"fold(s) of the window {spec.base.run.start}..{spec.base.run.end}: a walk-forward needs two "
                        "or more; shorten FIT or TEST, or widen [base] run")


def checked_folds(spec, market, fit: int, test: int, anchored: bool = False, block_flag: bool = False) -> list[Fold]:
    """The spec's folds, each checked as its sweep will be (:func:`vixhedge.sweep.preflight`: one ConfigError line
    before any fold runs), after :func:`precheck`; a last test period too short on the market's sessions dropped."""
    from vixhedge import sweep as sw
    from vixhedge.window import check_span

    out = precheck(spec, fit, test, anchored, block_flag)
    # the window outside the data first, as the sweep's preflight says it (trial RD42 M3: "fold 1's fit period holds
    # 0 sessions: lengthen FIT" on a window the embedded market does not cover)
    check_span(spec.base.run.start, spec.base.run.end, market, f"sweep '{spec.name}': [base] ")
    short = out[-1:] if out and _sessions(market, out[-1].fit_end, out[-1].test_end) < MIN_SIDE_SESSIONS else []
    out = out[:len(out) - len(short)]  # (a last test period of a few sessions: not judged, said in the summary)
    if len(out) < 2:
        too_few(spec, out, fit, test, anchored)
    for fold in out:
        day = dt.timedelta(days=1)
        for side, first, last in (("fit", fold.fit_start, fold.fit_end), ("test", fold.fit_end + day, fold.test_end)):
            if (n := _sessions(market, first - day, last)) < MIN_SIDE_SESSIONS:  # (the walk-forward's fix, not a split's)
                raise C.ConfigError(f"sweep '{spec.name}': --walk-forward {plan_flag(fit, test, anchored)}: fold "
                                    f"{fold.index}'s {side} period {first}..{last} holds {n} session(s); each fold's "
                                    f"fit and test periods need {MIN_SIDE_SESSIONS} or more: lengthen "
                                    f"{side.upper()}")
        sw.preflight(fold_spec(spec, fold), market)
    return out


def _sessions(market, after: dt.date, to: dt.date) -> int:
    return sum(after < d <= to for d in market.days)


def left_out(spec, market, plan: list[Fold], fit: int, test: int) -> str:  # (anchored or not: the same tests)
    """The note on a last test period too short to judge (:func:`checked_folds` drops it), or ""."""
    every = folds(spec.base.run.start, spec.base.run.end, fit, test)
    if len(every) == len(plan):
        return ""
    last = every[-1]
    return (f"the window's last {_sessions(market, last.fit_end, last.test_end)} session(s) after {last.fit_end} are "
            f"too few for a test period ({MIN_SIDE_SESSIONS} or more): not judged; end [base] run on "
            f"{last.fit_end} or {MIN_SIDE_SESSIONS} sessions or more after it")


def run_walk_forward(spec, out: Path, market, fit: int, test: int, *, data_dir: bool, flags: dict,
                     progress: bool = True, anchored: bool = False) -> dict[str, Any]:
    """Run (or resume) every fold's sweep into ``out/fold-K`` and write the stitched ``walkforward.json`` and
    ``walkforward.csv``; return the summary (module docstring). ConfigError before any work on a bad fold."""
    from vixhedge.atomic import write_file
    from vixhedge.rankings import earlier_rankings, ranked_again, rankings_note
    from vixhedge.sweep_folder import write_sweep_folder
    from vixhedge.sweep_progress import stage
    from vixhedge.sweep_summary import strict
    from vixhedge.sweep_claim import ranked_by
    from vixhedge.sweepio import OUTPUTS_FILE, PAGE, record_outputs
    from vixhedge.walkforward_folder import check_walk_folder

    plan = checked_folds(spec, market, fit, test, anchored, flags.get("spa-block-days") is not None)
    check_walk_folder(spec, out, market, plan)  # a refusal leaves the folder as it was (review 18)
    # the metrics this finished folder was ranked by before (its folds this spec's, as checked): kept (trial RS23)
    every = all((out / f"fold-{fold.index}").is_dir() for fold in plan)
    earlier = earlier_rankings(out / FILE) if every else []
    finished = every and all((out / f"fold-{f.index}" / OUTPUTS_FILE).is_file() and not
                             (out / f"fold-{f.index}" / "failed.csv").exists() for f in plan)
    if not (finished and ranked_by(out / FILE) == spec.rank_by):
        for stale in (*STITCHED, PAGE, OUTPUTS_FILE):  # made again at the end: none stays beside folds re-ranked or
            (out / stale).unlink(missing_ok=True)  # resumed by an interrupted rerun (trial IO)
    # (a finished walk-forward run again by its own metric changes no fold: its files stay until rewritten, each at
    # once, so an interrupt loses none: trial FUZZ37 H1)
    picks = []
    for fold in plan:
        if progress:
            stage(f"walk-forward fold {fold.index} of {len(plan)}: choosing on {fold.fit_start}..{fold.fit_end}, "
                  f"judging on the days to {fold.test_end}")
        folder = out / f"fold-{fold.index}"
        summary, _ = write_sweep_folder(fold_spec(spec, fold), folder, spec_file=None, data_dir=data_dir,
                                        flags=flags, progress=progress, market=market)
        picks.append(_pick(fold, folder, summary, spec.rank_by))
    table = stitch(out, plan)
    result = summarize(spec, market, plan, picks, table)
    result["base_point"] = base_point(spec, out, plan)
    result["rankings"] = ranked_again(earlier, spec.rank_by, result["random_pick"])
    ranked = rankings_note(result["rankings"], spec.rank_by)
    result["notes"] += [n for n in (left_out(spec, market, plan, fit, test), ranked) if n]
    result["reproduce"], result["name"], result["anchored"] = flags.get("reproduce"), spec.name, anchored
    write_file(out / TABLE, table.to_csv(index_label="date", float_format="%.10g"))
    from vixhedge.html import default_style, png_bytes
    from vixhedge.sweep_market import market_words
    from vixhedge.walkforward_page import walk_figure, write_walk_page

    with default_style():  # the same bytes whatever the user's matplotlibrc
        image = png_bytes(walk_figure(table, plan, spec.name, spec.rank_by, market_words(spec.base.market)))
    write_file(out / FIGURE, image)
    text = json.dumps(strict(result), indent=2, sort_keys=True, allow_nan=False) + "\n"
    write_file(out / FILE, text)
    record_outputs(out, STITCHED)  # their sha256: `vixhedge report` refuses them edited (not the page: it rewrites it)
    result = json.loads(text)  # as `vixhedge report` reads it back (review 24: the picks' values in another order)
    write_walk_page(out, result, image, spec.name)  # (the page last: every file it shows is written)
    return result


def _pick(fold: Fold, folder: Path, summary: dict, rank: str) -> dict[str, Any]:
    """A fold's pick: its point and values, its ranking metric in sample, its rank among the fold's points on the
    same metric in the test period and the rank correlation of the two over every point (trial WF2: whether the
    choosing carries over, which the picks' figures alone do not say; :func:`vixhedge.rankings.carried`)."""
    from vixhedge.rankings import carried

    best = summary.get("best") or {}
    return {"fold": fold.index, "fit": f"{fold.fit_start}..{fold.fit_end}", "test_end": str(fold.test_end),
            "folder": folder.name, "point": best.get("point"), "params": {k: v for k, v in best.items() if "." in k},
            "ties": summary.get("best_ties", 0), "in_sample": best.get(f"is_{rank}"), "prices": fold_prices(summary),
            **carried(pd.read_csv(folder / "results.csv"), rank, best.get("point"))}


def fold_prices(summary: dict) -> dict[str, int] | None:
    """A fold's pick's marks and fills, ``real`` of ``counted`` (its summary.json ``market``: the one run of its best
    point over the fold's window, fit and test, :func:`vixhedge.sweep_market.market_record`); None where the fold
    ranked no point or its summary is from before the counts. The walk-forward's data line sums them (trial VIS22:
    its page never said the result rests on modelled prices, each fold's page did)."""
    m = summary.get("market") or {}
    return {"real": m["real_prices"], "counted": m["prices_counted"]} if m.get("prices_counted") else None


def base_point(spec, out: Path, plan: list[Fold]) -> dict[str, Any] | None:
    """Where the swept keys' [base] values are a grid point (its key among a fold's results): that point's values,
    its test rank per fold on ``sweep.rank_by`` (None where it has none: ruined, failed), their sum and a point
    drawn at random per fold's mean over the same folds (trial RS23: how the settings one starts from fared out of
    sample); None when [base]'s values are not a point."""
    from vixhedge.rankings import oos_ranks, random_pick_odds
    from vixhedge.sweep_spec import point_key

    params, ranked = None, []
    for fold in plan:
        key, rows = point_key(fold_spec(spec, fold).base), pd.read_csv(out / f"fold-{fold.index}" / "results.csv")
        ranks = oos_ranks(rows, spec.rank_by)[1]
        if params is None and (rows["point"] == key).any():
            at = rows[rows["point"] == key]  # column by column: a row of ints and floats is all float64 (trial STAT23)
            params = {k: at[k].tolist()[0] for k in spec.grid}
        ranked.append({"test_rank": int(ranks[key]) if key in ranks.index else None,
                       "rank_counts": np.bincount(ranks.to_numpy(int)).tolist() if len(ranks) else []})
    odds = random_pick_odds(ranked, least=1)
    if params is None or odds is None:
        return None
    return {"params": params, "test_ranks": [r["test_rank"] for r in ranked], "rank_sum": odds["rank_sum"],
            "random_mean": odds["random_mean"], "folds": odds["folds"]}


def stitch(out: Path, plan: list[Fold]) -> pd.DataFrame:
    """Each track's daily returns over the test periods, fold after fold (the first from the fit period's last
    session), with the fold and each track's NAV as an index from 1."""
    parts = []
    for fold in plan:
        nav = pd.read_csv(out / f"fold-{fold.index}" / "best_nav.csv", index_col="date", parse_dates=["date"])
        levels = nav[list(TRACKS.values())]
        with np.errstate(divide="ignore", invalid="ignore"):
            r = levels.pct_change()
        test = r.index > pd.Timestamp(fold.fit_end)
        r = r[test].replace([np.inf, -np.inf], np.nan).fillna(0.0)
        r.columns = list(TRACKS)
        dead = levels[~test].iloc[-1].to_numpy() <= 0.0  # ruined in the fit period: the track ends here (-100%)
        r.iloc[0, dead] = -1.0
        r.insert(0, "fold", fold.index)
        parts.append(r)
    table = pd.concat(parts)
    if not table.index.is_monotonic_increasing or table.index.has_duplicates:  # (the folds tile: :func:`folds`)
        raise AssertionError("walk-forward: the test periods overlap or are out of order")
    for name in TRACKS:  # (a ruin's -100% leaves the index at 0 for good)
        table[f"{name}_index"] = np.cumprod(1.0 + table[name].to_numpy())
    return table


def summarize(spec, market, plan: list[Fold], picks: list[dict], table: pd.DataFrame) -> dict[str, Any]:
    """Each fold's pick and its test figures beside the baselines', the stitched tracks' and the paired CIs
    (:func:`vixhedge.paired_tracks.paired_tracks`: Sharpe, max drawdown, CVaR 95% and, trial RS39 M2, the total
    return)."""
    from vixhedge.paired_tracks import REPS, paired_tracks, stat_rows
    from vixhedge.rankings import random_pick_odds
    from vixhedge.run import risk_free_returns
    from vixhedge.sweep_text import walk_negative_sharpe

    a = spec.base.analysis
    first = max(d for d in market.days if d <= plan[0].fit_end)  # the fit period's last session: the first return's base
    days = [first, *(d.date() for d in table.index)]
    rf = risk_free_returns(a, market, days)
    tracks = {name: table[name].to_numpy() for name in TRACKS}
    stats = stat_rows(a.periods_per_year)  # (STATS are its first three)
    for pick, fold in zip(picks, plan):
        rows = (table["fold"] == fold.index).to_numpy()
        pick["test_days"] = int(rows.sum())
        pick["test"] = f"{table.index[rows][0].date()}..{table.index[rows][-1].date()}"  # first and last session
        pick["test_stats"] = {name: dict(zip(STATS, map(float, stats(r[rows], rf[rows]))))
                              for name, r in tracks.items()}
    stitched = {name: dict(zip(STATS, map(float, stats(r, rf)))) for name, r in tracks.items()}
    for name in TRACKS:
        stitched[name]["total_return"] = float(table[f"{name}_index"].iloc[-1] - 1.0)
    # each pick its own book without a hedge, or static, is identical to it (trial RS26: "0.00 [0.00, 0.00] unclear")
    paired = paired_tracks(tracks["picked"], {b: tracks[b] for b in ("no_hedge", "static")}, rf, a.periods_per_year,
                           spec.base.run.seed, REPS)
    return {"folds": picks, "stitched": stitched, "paired": paired, "random_pick": random_pick_odds(picks),
            "rank_by": spec.rank_by, "days": len(table), "keys": list(spec.grid),  # (the grid's order: TASK42 L1)
            "window": f"{days[1]}..{days[-1]}", "reps": REPS, "seed": spec.base.run.seed,
            "ruined": {name: str(table.index[table[f"{name}_index"] <= 0][0].date())
                       for name in TRACKS if (table[f"{name}_index"] <= 0).any()},
            "notes": ["each test period continues its fold's run from the fit start (not a fresh start); the "
                      "baselines are stitched from each fold's own baseline runs" + (
                          f" (each the pick's own {', '.join(keys)} without a hedge and under the static one)"
                          if (keys := book_keys(spec)) else ""),
                      "SPA / StepM" + (" and the deflated Sharpe" if spec.rank_by == "sharpe" else "")
                      + " of each fold's choice: fold-K/summary.json and report.html (--spa-block-days sets their "
                      "block; these CIs take the data-driven block)", *walk_negative_sharpe(picks, stitched,
                                                                                          spec.rank_by)]}
