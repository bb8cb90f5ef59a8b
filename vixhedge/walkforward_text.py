"""A walk-forward's summary (``walkforward.json``, :mod:`vixhedge.walkforward`) in words: the lines ``vixhedge sweep
--walk-forward`` prints (:func:`format_walk`) and the ones its report.html shares (:mod:`vixhedge.walkforward_page`):
the odds against picking at random, the [base] point's test ranks, the paired differences' figures and how many of
their intervals would exclude 0 by chance.
"""

from __future__ import annotations

import numpy as np

from pathlib import Path
from typing import Any

from vixhedge import fmt
from vixhedge.paired_tracks import PAIRED, holm_cells, paired_figures, tested as walk_tested, unit
from vixhedge.paired_tracks import WORDS as PAIRED_WORDS
from vixhedge.walkforward import FIGURE, FILE, STATS, TABLE

#: each stitched statistic's and ranking metric's format (the command's lines, the bottom line, the page)
FORM = {"sharpe": fmt.num, "max_drawdown": fmt.pct, "cvar95": fmt.pct, "hedge_cost_usd": fmt.usd,
        "total_return": lambda v: fmt.pct(v, 1)}


def paired_stats(rows: dict[str, Any]) -> list[str]:
    """The statistics of one baseline's paired differences (walkforward.json ``paired``), in :data:`PAIRED`'s order
    (a file from before the total return's has the three stitched ones)."""
    return [k for k in PAIRED if k in rows]


#: the stitched statistics and the metrics the folds rank on, in words (the command's lines, the bottom line, the page)
WORDS = {**PAIRED_WORDS, "hedge_cost_usd": "hedge cost ex fees"}  # (results.csv's, as the sweep says: TASK42 M2)


def values_words(params: dict[str, Any], s: dict[str, Any], eq: str = " = ") -> str:
    """A pick's swept values ("hedge.next_layer_multiple = 1.5, hedge.macd.fast = 8") in the grid's order, as the
    sweep prints them (walkforward.json ``keys``; trial TASK42 L1: its sorted keys printed them alphabetically); a
    walkforward.json from before ``keys`` in its own order."""
    order = {k: i for i, k in enumerate(s.get("keys") or ())}
    return ", ".join(f"{k}{eq}{v}" for k, v in sorted(params.items(), key=lambda kv: order.get(kv[0], len(order))))


def metric_words(metric: str) -> str:
    """The metric the folds ranked on, in words (:data:`WORDS`; another: its own name)."""
    return WORDS.get(metric, metric)


#: a paired difference that is 0 on every stitched day (walkforward.json ``paired`` ``identical``)
IDENTICAL = "identical on every stitched day (every pick made that baseline's daily returns), nothing to test"


def chance_lines(s: dict[str, Any]) -> list[str]:
    """How many of the paired intervals would exclude 0 by chance alone and which hold after Holm's adjustment
    (compare's caveats, :func:`vixhedge.verdicts.chance_words` and :func:`~vixhedge.verdicts.holm_words`; the Holm
    line where every interval has its p-value: a walkforward.json written before them has none); none under two."""
    from vixhedge.verdicts import chance_and_holm, side

    tested = [(f"picks minus {base.replace('_', ' ')}: {WORDS[k]}", k, s["paired"][base][k])
              for base, k in walk_tested(s["paired"])]
    pv = np.array([np.nan if fmt.missing(v := d.get("p_value")) else v for *_, d in tested], dtype=float)
    names = [f"{name} {side(d['diff'], d['ci_low'], d['ci_high'], PAIRED[k])}" for name, k, d in tested]
    return chance_and_holm("the picks differed from neither baseline", names, pv, draws=s.get("reps"))


def base_words(bp: dict[str, Any] | None, s: dict[str, Any]) -> str:
    """walkforward.json's ``base_point`` in words ("" without one): the [base] settings' own test ranks, their sum
    and a random pick's mean (:func:`vixhedge.walkforward.base_point`); its values in the grid's order (``s``'s)."""
    if not bp:
        return ""
    values = values_words(bp["params"], s)
    ranks = ", ".join("n/a" if r is None else str(r) for r in bp["test_ranks"])
    over = "" if bp["folds"] == len(bp["test_ranks"]) else f" over the {fmt.plural(bp['folds'], 'fold')} ranking it"
    return (f"[base] point ({values}) ranks {ranks} in its test periods: sum {bp['rank_sum']}, a random pick's "
            f"mean {fmt.num(bp['random_mean'], 1)}{over}")


def format_walk(s: dict[str, Any], out: Path) -> str:
    """The command's lines: each fold's pick and its test figures beside the baselines', the stitched tracks, the
    pick's paired differences from each baseline, and where the files are."""
    def trio(st: dict) -> str:
        return " / ".join(FORM[k](st[k]) for k in STATS)

    metric = s["rank_by"]
    name = metric_words(metric)
    lines = [f"walk-forward{' (anchored: every fold fits from the window start)' if s.get('anchored') else ''}: "
             f"{len(s['folds'])} folds, the best point by {name} on each fold's fit period judged on the "
             "test period after it; per fold: the pick, its "
             f"{name} in sample, its rank on it in the test period among the fold's points (and their median: what "
             "any setting of the grid did), the rank correlation of the two over every point; then Sharpe / max "
             "drawdown / CVaR 95% in the test period of the pick, no hedge and the static hedge"]
    for p in s["folds"]:
        t = p["test_stats"]
        params = values_words(p["params"], s) or "none"
        tied = f" (tied with {fmt.plural(p['ties'], 'other point')})" if p.get("ties") else ""
        shown = FORM.get(metric, fmt.num)
        rho = fmt.num(p["rank_correlation"], 2, signed=True) if p.get("rank_correlation") is not None else "n/a"
        lines.append(f"  fold {p['fold']}: fit {p['fit']} (calendar dates), test {p['test']} ({p['test_days']} "
                     f"sessions): {params}{tied}")  # (trial RS39 L5: a fit ending on a holiday, unexplained)
        lines.append(f"    in sample {shown(p['in_sample'])}, test rank {p['test_rank']} of {p['points']} (the "
                     f"points' median {shown(p.get('test_median'))}), rank correlation {rho}; test: picked "
                     f"{trio(t['picked'])}; no hedge {trio(t['no_hedge'])}; static {trio(t['static'])}")
    st = s["stitched"]
    lines.append(f"  stitched {s['window']} ({fmt.plural(s['days'], 'session')}): picked {trio(st['picked'])}, total "
                 f"{fmt.pct(st['picked']['total_return'], 1)}; no hedge {trio(st['no_hedge'])}, total "
                 f"{fmt.pct(st['no_hedge']['total_return'], 1)}; static {trio(st['static'])}, total "
                 f"{fmt.pct(st['static']['total_return'], 1)}")
    for base, rows in s["paired"].items():
        if rows.get("identical"):
            lines.append(f"  picks minus {base.replace('_', ' ')}: {IDENTICAL}")
            continue
        cells, holm_p = [], holm_cells(s["paired"], s.get("reps"))
        for k in paired_stats(rows):
            diff, ci, verdict = paired_figures(rows[k], k)
            adj = f", Holm p {holm_p[base, k]}" if (base, k) in holm_p else ""
            cells.append(f"{WORDS[k]} {diff}{unit(k)} {ci} {verdict}{adj}")
        block = fmt.plural(rows['block_days'], 'day')
        lines.append(f"  picks minus {base.replace('_', ' ')} (95% CI, circular blocks of {block}, {s['reps']} draws, "
                     f"seed {s['seed']}): " + "; ".join(cells))
    lines += [f"  {chance}" for chance in chance_lines(s)]
    if s.get("random_pick"):
        lines.append(f"  against picking at random: {random_words(s['random_pick'])}")
    lines += [f"  {base}" for base in (base_words(s.get("base_point"), s),) if base]
    for track, day in (s.get("ruined") or {}).items():
        lines.append(f"  RUINED: the {track.replace('_', ' ')} track on {day} (its index is 0 from then on)")
    lines += [f"  data: {words}" for words in (data_words(s)[1],) if words]
    lines += [f"  note: {n}" for n in s["notes"]]
    if s.get("reproduce"):
        lines.append(f"reproduce: {s['reproduce']}")
    lines.append(f"folder {out} ({FILE}, {TABLE}, {FIGURE}; each fold's sweep in fold-K/ with its report.html); "
                 f"report {out / 'report.html'}")
    return "\n".join(lines)


def data_words(s: dict[str, Any]) -> tuple[bool, str]:
    """What the walk-forward's result rests on, from the folds' records (walkforward.json ``folds`` ``prices``:
    :func:`vixhedge.walkforward.fold_prices`): whether most of the picks' marks and fills are not real quotes, and
    the sentence the page's banner and the console's data line give (a run's and a comparison's verdict words);
    (False, "") where no fold recorded them."""
    from feeds.provenance import MODELLED_HEAD, REAL_HEAD, percent

    counted = [(p["fold"], p["prices"]["real"], p["prices"]["counted"]) for p in s["folds"] if p.get("prices")]
    if not counted:
        return False, ""
    real, total = sum(r for _, r, _ in counted), sum(n for _, _, n in counted)
    model = total - real > total / 2
    each = ", ".join(f"fold {k} {percent(n - r, n)}" for k, r, n in counted)
    return model, (f"{MODELLED_HEAD if model else REAL_HEAD}{percent(total - real, total)} of the picks' marks and "
                   f"fills are modelled or anchored on real ({each}; each fold's pick over its fit and test periods, "
                   "fold-K/summary.json market; fold-K/report.html names them by instrument).")


def random_words(rp: dict[str, Any]) -> str:
    """:func:`vixhedge.rankings.random_pick_odds` in words (the command's line and the page's; the bottom line,
    :func:`headline_words`, gives the same two parts the other way round)."""
    return f"{random_ranks(rp)}; {random_odds(rp)} (exact; ties share the better rank)"


def random_ranks(rp: dict[str, Any]) -> str:
    """The picks' test ranks against a random pick's mean, in words (:func:`random_words`, :func:`headline_words`)."""
    return (f"the picks' test ranks sum to {rp['rank_sum']} over {rp['folds']} folds, a random point per fold's to "
            f"{fmt.num(rp['random_mean'], 1)} on average")


def random_odds(rp: dict[str, Any]) -> str:
    """The odds against picking at random, in words (:func:`random_words`, :func:`headline_words`)."""
    return f"random picks do as well or better with probability {fmt.num(rp['p'], 3)}"


def headline_words(s: dict[str, Any]) -> str:
    """The walk-forward's bottom line, the page's first paragraph (trial VIS27: the first screen had none; the picks'
    CVaR against no hedge and the odds against random picks came after the figure): over the stitched test periods,
    the picks' figure on the metric they were chosen on (CVaR 95% where that is no stitched statistic) beside each
    baseline's, its paired difference and verdict, the total returns, and the odds against picking at random."""
    k = s["rank_by"] if s["rank_by"] in STATS else "cvar95"
    form = FORM[k]
    st = s["stitched"]
    against = []
    for base, label in (("no_hedge", "no hedge's"), ("static", "the static hedge's")):
        r = s["paired"].get(base)
        if base not in st or r is None:
            continue
        if r.get("identical"):
            against.append(f"{label} {form(st[base][k])} (the picks made its daily returns: nothing to test)")
            continue
        diff, ci, verdict = paired_figures(r[k], k)
        against.append(f"{label} {form(st[base][k])} ({diff}{unit(k)} {ci}: {verdict})")
    totals = []
    for base in ("no_hedge", "static"):
        r, total = s["paired"].get(base) or {}, fmt.pct(st[base]["total_return"], 1) if base in st else None
        if total is not None and "total_return" in r and not r.get("identical"):  # (trial RS39 M2: no interval)
            diff, ci, verdict = paired_figures(r["total_return"], "total_return")
            total += f" ({diff}{unit('total_return')} {ci}: {verdict})"
        totals += [total] if total is not None else []
    out = (f"over the stitched test periods {s['window']} ({fmt.plural(s['days'], 'session')}), the folds' picks "
           f"(chosen on {metric_words(s['rank_by'])}) had a {WORDS[k]} of {form(st['picked'][k])} against "
           f"{' and '.join(against)}; total return {fmt.pct(st['picked']['total_return'], 1)} against "
           f"{' and '.join(totals)}")
    out += holds_words(s)
    rp = s.get("random_pick")
    if rp:
        odds = random_odds(rp)
        out += f". {odds[0].upper()}{odds[1:]} ({random_ranks(rp)})"
    return out


def holds_words(s: dict[str, Any]) -> str:
    """What holds after Holm's adjustment, for the bottom line (trial RS39 M3: the one difference that held, CVaR
    against no hedge, came only further down): ". After Holm's adjustment of its 8 intervals, the picks' CVaR 95% is
    worse than no hedge's (Holm p 0.006)", or that none holds; an undecided one is not said to hold (the Holm line
    names it); "" where the file has no Holm p-values."""
    from vixhedge.verdicts import LEVEL, side

    cells, family = holm_cells(s["paired"], s.get("reps")), walk_tested(s["paired"])
    if not cells:
        return ""
    held = [f"{WORDS[k]} is {side(d['diff'], d['ci_low'], d['ci_high'], PAIRED[k])} than {b.replace('_', ' ')}'s "
            f"(Holm p {cells[b, k]})" for b, k in family
            if (d := s["paired"][b][k])["p_holm"] <= LEVEL and "undecided" not in cells[b, k]]
    near = [f"{WORDS[k]} against {b.replace('_', ' ')}'s (Holm p {cells[b, k].removesuffix(' undecided')})"
            for b, k in family if "undecided" in cells[b, k]]  # (trial VIS38 M5: "+19.97 pts: better" above, unsaid)
    return (f". After Holm's adjustment of its {fmt.plural(len(family), 'interval')}, "
            + (f"the picks' {'; their '.join(held)}" if held else "no difference holds")
            + (f"; undecided, within Monte-Carlo error of {fmt.pct(LEVEL, 0)}: the picks' {', their '.join(near)}"
               if near else ""))
