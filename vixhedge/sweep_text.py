"""The words of a finished sweep's summary (``summary.json``, :mod:`vixhedge.sweep_summary`): the lines
``vixhedge sweep`` prints (:func:`format_summary`), the failure warning, the deflated Sharpe ratio's trials and the
SPA / StepM caveat the command and report.html share.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from analyzers.hedge_cost import CAUSE_NAMES
from vixhedge import fmt
from vixhedge.sweep_market import market_lines, plugin_lines


def failure_words(s: dict[str, Any], failed_csv: str) -> str:
    """The warning of a sweep some of whose points failed ("" when none did): how many, the first one's error, and
    ``failed_csv`` (the file that holds every one); the console's stderr line and report.html's banner say it."""
    n = s.get("failed") or 0
    if not n:
        return ""
    first = s.get("first_failure") or {}
    what = (f"; the first (point {first['point']}, {first.get('params')}): {first['error']}"
            if first.get("error") else "")
    return (f"{n} of {s.get('points', '?')} valid points failed (no row in results.csv: not ranked, not tested)"
            f"{what}; every failure's error is in {failed_csv} (a rerun of the same command runs them again)")


#: the deflated Sharpe ratio's words over one distinct trial (every point gave the same results: no search)
ONE_TRIAL = "one distinct trial, so nothing to deflate: the best point's probabilistic Sharpe ratio against 0"
# what the deflated Sharpe ratio is (Bailey & Lopez de Prado 2014; the determinism trial of 2026-12-04 read "the
# probability the best in-sample Sharpe is real" beside a best Sharpe of -0.49): a probability about 0, not no hedge
DSR_WORDS = "the probability the best in-sample point's true Sharpe is above 0 once its trials are deflated; not against no hedge"


#: a sweep's metrics in the words its summary prints them: results.csv / summary.json key -> (words, format)
METRIC_WORDS = {"sharpe": ("Sharpe", fmt.num), "max_drawdown": ("max drawdown", fmt.pct),
                "cvar95": ("CVaR 95%", fmt.pct), "hedge_cost_usd": ("hedge cost", fmt.usd),
                "condor_pnl_usd": ("condor P&L", fmt.usd)}


def rank_metric(s: dict[str, Any]) -> str:
    """The metric the points were ranked by (summary.json's ``rank_by``), Sharpe for a folder from before it."""
    return (s.get("rank_by") or {}).get("metric", "sharpe")


def rank_words(s: dict[str, Any]) -> str:
    """What the best point was chosen on (summary.json's ``rank_by``): "Sharpe (higher is better)"; Sharpe for a
    folder from before ``rank_by``."""
    rank = s.get("rank_by") or {"metric": "sharpe", "better": "higher"}
    return f"{METRIC_WORDS[rank['metric']][0]} ({rank['better']} is better)"


def no_best_words(s: dict[str, Any]) -> str:
    """Why a sweep has no best point (trial RS40 L2: "no finished point, or every one ruined or without a score" of
    3 points finished and none ruined, which had never traded: a $25k account whose caps cut every order)."""
    done, ruined = s.get("finished", 0), s.get("ruined", 0)
    if not done:
        return "no point finished"
    if ruined >= done:
        return "every finished point was ruined"
    metric = METRIC_WORDS[rank_metric(s)][0]
    return (f"none of the {done - ruined} finished points not ruined has a {metric} to rank by: a point that never "
            "traded, or whose daily returns do not vary, has none; results.csv holds their figures")


#: why a ranking by negative Sharpe ratios misleads (compare's Sharpe caveat, in a sweep's words)
NEGATIVE_SHARPE = ("with a negative mean excess return a lower volatility makes Sharpe more negative, so a Sharpe "
                   "ranking can put a point that lost less below one that lost more: read the final NAV, max drawdown "
                   "and CVaR beside it, or rank by CVaR (--rank-by cvar95)")


def negative_sharpe_words(s: dict[str, Any]) -> str:
    """The caveat of a sweep ranked by Sharpe whose best point's ranking Sharpe is negative, and so every point's
    (a researcher's trial, session 20: 24 points on 2018-2022, all negative, unsaid); "" otherwise."""
    rank = s.get("rank_by") or {"metric": "sharpe"}
    column = rank.get("column") or ("is_sharpe" if "is_sharpe" in (s.get("best") or {}) else "sharpe")
    value = (s.get("best") or {}).get(column)
    if rank.get("metric") != "sharpe" or not isinstance(value, (int, float)) or not value < 0:
        return ""
    return (f"every ranked point's {'in-sample ' if column.startswith('is_') else ''}Sharpe is negative (the best "
            f"{fmt.num(value, 2)}): {NEGATIVE_SHARPE}")


def walk_negative_sharpe(picks: list[dict[str, Any]], stitched: dict[str, dict[str, float]], rank_by: str) -> list[str]:
    """A walk-forward's notes (walkforward.json ``notes``) where its Sharpe ranking or differences rest on negative
    Sharpe ratios: folds whose picks' in-sample Sharpe was negative (so every point's), and baselines whose
    stitched Sharpe is negative beside the picks' (the trial: picks -0.86 "better" than no hedge's -1.04 while
    losing 23.6% against 22.4%)."""
    folds = [str(p["fold"]) for p in picks if rank_by == "sharpe" and isinstance(p.get("in_sample"), (int, float))
             and p["in_sample"] < 0]
    both = [b.replace("_", " ") for b in ("no_hedge", "static") if stitched["picked"]["sharpe"] < 0
            and stitched[b]["sharpe"] < 0]
    out = [f"every point's in-sample Sharpe was negative in fold{'s' * (len(folds) > 1)} {', '.join(folds)}: "
           f"{NEGATIVE_SHARPE}"] if folds else []
    return out + ([f"the stitched Sharpe ratios of the picks and {' and '.join(both)} are all negative: their "
                   "Sharpe differences can favour the track that lost more with less volatility; read the totals "
                   "and CVaR beside them"] if both else [])


def oos_rank_words(s: dict[str, Any]) -> str:
    """A split sweep's summary.json ``out_of_sample_rank`` in words (the console's line and report.html's caption):
    the best in-sample point's rank out of sample among the points, the probability a point drawn at random ranks
    as well or better, and the in / out-of-sample rank correlation (trial RS23: only the page's caption said it)."""
    r, metric = s["out_of_sample_rank"], METRIC_WORDS[s["rank_by"]["metric"]][0]
    rho = "n/a" if r.get("rank_correlation") is None else fmt.num(r["rank_correlation"], 2, signed=True)
    where = (f"ranks {r['test_rank']} of {r['points']} out of sample by {metric} (a point drawn at random ranks as "
             f"well or better with probability {fmt.num(r.get('random_pick'), 3)})" if r.get("test_rank")
             else f"has no rank out of sample by {metric} (ruined in sample, or no figure)")
    return (f"the best in sample {where}; rank correlation in sample / out of sample {rho} over "
            f"{fmt.plural(r['points'], 'point')} (1: the points keep their in-sample order, 0: none of it carries)")


def capital_words(row: dict[str, Any], tag: str) -> str:
    """A row's capital figures on one side (``tag``: "", "is_", "oos_"): its peak margin / NAV, days capped, days
    with a margin call and the capital needed, "45.20% / 3 / 0 / $586,888" (a folder from before a column: the
    ones it has)."""
    calls = f" / {fmt.num(row[f'{tag}days_with_margin_call'], 0)}" if f"{tag}days_with_margin_call" in row else ""
    need = f" / {fmt.usd(row[f'{tag}capital_needed_usd'])}" if f"{tag}capital_needed_usd" in row else ""
    return (f"{fmt.pct(row.get(f'{tag}peak_margin_utilisation'))} / "
            f"{fmt.num(row.get(f'{tag}days_cut_by_capital_caps'), 0)}{calls}{need}")


def cause_words(row: dict[str, Any]) -> str:
    """A point's hedge P&L by cause on the whole window (results.csv's ``hedge_vx_carry_usd`` ...: README *Hedge
    cost* (4), in :data:`analyzers.hedge_cost.CAUSE_NAMES`' words; a cause at 0, an instrument not held, left out, the
    fills against mid never) and their sum; "" without them (a folder from before the columns)."""
    if row.get("hedge_fills_vs_mid_usd") is None:
        return ""
    held = [(name, row[f"hedge_{k}"]) for k, name in CAUSE_NAMES.items()
            if row.get(f"hedge_{k}") or k == "fills_vs_mid_usd"]
    return (", ".join(f"{name} {fmt.usd(v)}" for name, v in held)
            + f"; sum {fmt.usd(sum(v for _, v in held))}, the hedge cost's negative (fees apart)")


def format_summary(summary: dict[str, Any], name: str, keys: list[str], folder: Path, page: Path | None = None,
                   seconds: float | None = None) -> str:
    """Return the few lines ``vixhedge sweep`` prints: counts and paths, the best point on the ranking metric and
    its no-hedge and static baselines in and out of sample, the deflated Sharpe ratio, SPA/StepM against each
    baseline, and where the folder and report are. Every figure is in ``summary.json``."""
    from vixhedge.rankings import rankings_note
    from vixhedge.sweep_judge import beat_words, paired_lines

    s, lines = summary, []
    paths = s.get("paths") or {}
    on = f"; {paths.get('kernel', 0)} on the kernel, {paths.get('event', 0)} on the event path" if paths else ""
    lines.append(f"sweep '{name}': {s.get('finished', 0)} of {s.get('points', 0)} valid points finished "
                 f"({s.get('invalid', 0)} invalid, {s.get('failed', 0)} failed, {s.get('not_run', 0)} not run, "
                 f"{s.get('ruined', 0)} ruined){on}")
    best, base, static = s.get("best"), s.get("baseline_none") or {}, s.get("baseline_static") or {}
    if not best:
        lines.append(f"best point: none ({no_best_words(s)})")
    else:
        split = "is_sharpe" in best
        ties = s.get("best_ties") or 0
        tied = f"; tied with {ties} other point{'s' * (ties > 1)} on it, the first in grid order" if ties else ""
        lines.append(f"best {'in sample' if split else 'on the whole window'} by {rank_words(s)}: "
                     + ", ".join(f"{k} = {best.get(k)}" for k in keys) + f" (point {best.get('point')}{tied})")
        sides = (("in sample", "is_"), ("out of sample", "oos_")) if split else (("whole window", ""),)
        for metric, (label, form) in METRIC_WORDS.items():
            if sides[0][1] + metric not in best:
                continue  # (a folder from before the condor P&L or the CVaR columns)
            over = f"; over {s['sharpe_over']}" if metric == "sharpe" and s.get("sharpe_over") else ""
            # (the hedge cost ex fees too, as results.csv and the page: trial TASK42 M2; compare's net cost adds them)
            over = "; ex fees, as results.csv" if metric in ("hedge_cost_usd", "condor_pnl_usd") else over
            lines.append(f"  {label:<12} " + "; ".join(
                f"{side} {form(best.get(tag + metric))} (no hedge {form(base.get(tag + metric))}"
                + (f", static {form(static.get(tag + metric))})" if static else ")")
                for side, tag in sides) + over)
        if sides[0][1] + "peak_margin_utilisation" in best:  # (a folder from before the capital columns)
            lines.append(f"  {'capital':<12} " + "; ".join(
                f"{side} {capital_words(best, tag)} (no hedge {capital_words(base, tag)}"
                + (f", static {capital_words(static, tag)})" if static else ")") for side, tag in sides)
                + "; the peak day-end maintenance requirement / NAV / the days a capital cap cut an order"
                + (" / the days with a margin call" if f"{sides[0][1]}days_with_margin_call" in best else "")
                + (" / the capital needed" if f"{sides[0][1]}capital_needed_usd" in best else ""))
        if (words := cause_words(best)):  # (a folder from before the hedge-by-cause columns has none)
            lines.append(f"  {'hedge causes':<12} whole window: {words}")
        if "deflated_sharpe_ratio" in s:
            lines.append(f"  deflated Sharpe ratio {fmt.num(s['deflated_sharpe_ratio'], 3)} over {trials_words(s)} ("
                         + (ONE_TRIAL if s.get("trials") == 1 else DSR_WORDS)
                         + ")")
        elif not split:
            lines.append("  deflated Sharpe ratio: none (no in-sample split: the best point is picked and judged on "
                         "the same days; set sweep.in_sample_end to pick in sample and judge out of sample)")
        else:
            lines.append(f"  deflated Sharpe ratio: none (points ranked by {rank_words(s)}: it deflates the "
                         "highest of N Sharpe ratios; rank by sharpe to get it)")
    if best and s.get("beat_baselines"):  # (the scatter caption's count: one record, sweep_judge)
        lines.append(f"  beside the baselines: {beat_words(s['beat_baselines'], rank_metric(s))}")
    if best and s.get("out_of_sample_rank"):
        lines.append(f"  {oos_rank_words(s)}")
    lines += [f"  {line}" for line in paired_lines(s)]
    for note in [*(s.get("identical_axes") or ()), apart_words(s), called_words(s), negative_sharpe_words(s),
                 rankings_note(s.get("rankings"), (s.get("rank_by") or {}).get("metric")), tests_apart_words(s)]:
        lines += [f"  note: {note}"] if note else []
    for key in SNOOPING_KEYS:
        lines += snooping_lines(s.get(key) or {})
    if spa_words(s):
        lines.append(f"  note: {spa_words(s)}")
    lines += market_lines(s.get("market")) + plugin_lines(s)
    if s.get("reproduce"):
        lines.append(f"reproduce: {s['reproduce']}")
    took = f" ({seconds:.1f} s)" if seconds is not None else ""
    held = "results.csv; " if s.get("finished") else "failed.csv; "
    lines.append(f"folder {folder} ({held}summary.json holds every figure)"
                 + (f"; report {page}" if page else "") + took)
    return "\n".join(lines)


def spa_words(s: dict[str, Any]) -> str:
    """What SPA / StepM do not judge when the points are ranked by another metric than Sharpe ("" otherwise): they
    test mean daily return (a researcher's trial, session 14: "96 of 96 beat no hedge" held 52 points with a worse
    CVaR than no hedge's); ranked by CVaR, the tail tests beside them judge it, conservatively."""
    rank = s.get("rank_by") or {}
    if rank.get("metric", "sharpe") == "sharpe" or "spa_pvalue" not in (s.get("snooping") or {}):
        return ""
    if "spa_pvalue" in (s.get("snooping_tail") or {}):
        return ("SPA / StepM test mean daily return; the tail SPA / StepM test the CVaR ranking through a bound: a "
                "point whose mean loss beyond the baseline's 95% VaR is smaller has a smaller CVaR 95% on these days "
                "(Rockafellar & Uryasev 2002), not conversely, so they can miss a CVaR gain; the VaR is the "
                "baseline's on the same days, held fixed by the bootstrap, and their best is the point with the "
                "lowest mean tail loss, not always the best by CVaR")
    return (f"SPA / StepM test mean daily return, not {METRIC_WORDS[rank['metric']][0]}: the ranking has no "
            "significance test here (ranked by cvar95 on 100 days or more, a tail test); `vixhedge compare --variant` "
            "gives paired CIs of CVaR and drawdown for the settings that matter")


#: the summary.json keys of the SPA / StepM tests, in the order the summary and the page show them (those of
#: vixhedge.sweep_summary.SNOOPING, which this light module does not import)
SNOOPING_KEYS = ("snooping", "snooping_static", "snooping_tail", "snooping_tail_static")


def tested(sn: dict[str, Any]) -> tuple[str, str, str]:
    """What one SPA / StepM (a summary.json ``snooping*`` record) tests, in words: the prefix of their names ("tail "
    or ""), what the best of the points is best by, and what a StepM point does better than the baseline."""
    against = sn.get("against", "no hedge")
    if sn.get("test") == "tail" and sn.get("own_books"):  # each point beyond its own book's VaR (sweep_books)
        var = f" (the best point's {fmt.pct(sn['var95'])} of NAV a day)" if "var95" in sn else ""
        return ("tail ", f"by mean loss beyond the 95% VaR of {against}{var}, a bound on CVaR 95%,",
                f"lose less than {against} beyond its 95% VaR")
    if sn.get("test") == "tail":
        var = f" ({fmt.pct(sn['var95'])} of NAV a day)" if "var95" in sn else ""
        return ("tail ", f"by mean loss beyond {against}'s 95% VaR{var}, a bound on CVaR 95%,",
                f"lose less than {against} beyond its 95% VaR")
    if sn.get("own_books"):  # SPA's best: the highest mean daily return over its own baseline's
        return "", "by its mean daily return less its own book's,", f"beat {against}"
    return "", "by mean daily return", f"beat {against}"


def snooping_lines(sn: dict[str, Any]) -> list[str]:
    """SPA / StepM against one baseline (summary.json's ``snooping`` or ``snooping_static``) in a line, and its
    caveat when its bootstrap blocks are long; none for a folder from before the baseline was tested."""
    against = sn.get("against", "no hedge")  # (a folder from before ``against``: its one test was against no hedge)
    lines = []
    if "spa_pvalue" in sn:
        error = (f"+-{fmt.num(sn['spa_mc_se'])} Monte-Carlo error (1 s.e.) at seed {sn['seed']}; "
                 if sn.get("spa_mc_se") else "")  # (none at a p-value of 0 or 1: no draw to vary)
        n, (tail, by, beat) = sn["points_tested"], tested(sn)
        lines.append(f"{tail}SPA p-value {fmt.num(sn['spa_pvalue'])} ({error}is the best of {n} points {by} "
                     f"better than {against}{span_words(sn)}?); StepM: {sn['stepm_superior']} of {n} points {beat} at "
                     f"{fmt.pct(sn['stepm_size'], 0)}" + (f"; {sn['note']}" if sn.get("note") else ""))
    elif sn.get("note"):
        lines.append(f"{tested(sn)[0]}SPA / StepM against {against}: {sn['note']}")
    if block_caveat(sn):  # (named: with four tests, its place alone did not say whose: walk-forward trial)
        lines.append(f"  caveat ({tested(sn)[0]}SPA / StepM against {against}): {block_caveat(sn)}")
    return lines


def span_words(sn: dict[str, Any]) -> str:
    """``, in sample (1,008 days)``: the days SPA / StepM test (summary.json ``snooping*`` ``span`` and ``days``), ""
    for a folder from before ``span`` (the walk-forward trial, session 15, read in-sample p-values as out of sample's)."""
    return f", {sn['span']} ({fmt.num(sn['days'], 0)} days)" if sn.get("span") and sn.get("days") else ""


def block_caveat(sn: dict[str, Any]) -> str:
    """The caveat of SPA / StepM (summary.json's ``snooping``) whose bootstrap block is a quarter or more of the
    daily returns they test (a one-year evaluation window, a long data-driven block): few independent blocks, so
    their p-values are rough; or whose data-driven block is 1 day (the days read as independent); "" otherwise (or
    for a folder from before ``days`` was recorded)."""
    from vixhedge.bootstrap import few_blocks

    words = few_blocks(sn.get("block_days") or 0, sn.get("days") or 0, "tested")
    if words:
        return f"the SPA / StepM {words}, so their p-values are rough (a longer evaluation window gives more)"
    if sn.get("block_from") == "data" and sn.get("block_days") == 1 and not sn.get("note"):
        # (a researcher's trial, session 14: 96 of 96 points "beat no hedge" in 2008 on 1-day blocks, 0 on 10-day)
        return ("the data-driven block is 1 day, so the bootstrap reads the days as independent, which a volatile "
                "window's clustered days are not; rerun with --spa-block-days 10 (nothing runs again) before reading "
                "the tests")
    return ""


def trials_words(s: dict[str, Any]) -> str:
    """``N trials`` of the deflated Sharpe ratio, and when points repeated another's results, how many points."""
    n, points = s.get("trials"), s.get("trial_points")
    if s.get("trials_counted") and points is not None and points != n:
        return f"{n} trials ({s['trials_counted']} of {points} points: the others repeat one)"
    return f"{n} trial{'' if n == 1 else 's'}"


def called_words(summary: dict[str, Any]) -> str:
    """A note when the best point met a margin call (trial RS25: the Sharpe-best point of a sizing sweep met 20,
    needed more than the account and drew down 99%, and only a ruin keeps a point from being ranked best)."""
    best = summary.get("best") or {}
    n = best.get("days_with_margin_call") or 0
    if not n:
        return ""
    return (f"the best point met a margin call on {fmt.plural(n, 'session')} (capital needed "
            f"{fmt.usd(best.get('capital_needed_usd'))}, a lower bound: the calls' closes are part of its path, so "
            "funding it with that still meets calls) and drew down "
            f"{fmt.pct(best.get('max_drawdown'))}: read results.csv's capital columns before choosing it")


def tests_apart_words(summary: dict[str, Any]) -> str:
    """A note when the grid sweeps keys outside [hedge] (summary.json ``books``, :mod:`vixhedge.sweep_books`): each
    point is judged against its own book, unhedged and under the static hedge, or, beyond ``max_books`` books,
    SPA / StepM test every point against [base]'s (trial RS25: 5 condors' CVaR 'beat no hedge' at p 0.00 against
    [base]'s 10 condors unhedged; the same 5 condors unhedged were better still)."""
    books = summary.get("books")
    if books is None:  # a folder from before ``books``: its tests ran against [base]'s books
        keys = [k for k in (summary.get("best") or {}) if "." in k and not k.startswith("hedge.")]
        return _base_tests(keys) if keys and any(k in summary for k in SNOOPING_KEYS) else ""
    if books.get("count", 1) < 2:
        return ""
    keys = ", ".join(books.get("keys") or ())
    if books.get("tests") == "own":
        return (f"each point stands beside its own book (its {keys}) without a hedge and under the static hedge: "
                f"the best point's figures above beside its own, SPA / StepM each point's against its own "
                f"({fmt.plural(books['count'], 'book')}, each run both ways: summary.json books)")
    return (f"the best point's figures above stand beside its own book; the finished points hold "
            f"{fmt.plural(books['count'], 'book')}, more than the {books.get('max_books')} whose baselines a sweep "
            f"runs, so {_base_tests(books.get('keys') or [])}")


def _base_tests(keys: list[str]) -> str:
    return (f"SPA / StepM test every point against [base]'s runs without a hedge and with the static one, whose "
            f"{', '.join(keys)} {'is' if len(keys) == 1 else 'are'} [base]'s: where a point's differ they test its "
            "book as well as its hedge (a smaller condor can beat no hedge with no help from its hedge); "
            "`vixhedge compare` a point's config (--modes none,alvh) for its hedge alone")


def apart_words(summary: dict[str, Any]) -> str:
    """The note of a folder from before summary.json ``books`` whose baselines held [base]'s book where the best
    point's differed (``baselines_apart``: {key: [base's, the best point's]}); "" without one."""
    apart = summary.get("baselines_apart") or {}
    if not apart:
        return ""
    keys = "; ".join(f"{k} = {b} (the best point's {p})" for k, (b, p) in apart.items())
    return (f"the baselines run [base]'s {keys}: beside the best point they hold another book, not its own without a "
            "hedge; for that, read results.csv's row of the point's values under hedge.mode = \"none\" if the grid "
            "sweeps it, or `vixhedge compare` the point's config")
