"""The comparison in words: the side-by-side table, the paired differences and the Sharpe ratio's caveats as text.

What ``vixhedge compare`` prints and the cells of its report.html (:mod:`vixhedge.compare_report`);
:mod:`vixhedge.compare` computes what they say.
"""

from __future__ import annotations

from collections.abc import Collection

import numpy as np
import pandas as pd

from analyzers.metrics import ratio_caveat, tail_count
from vixhedge import bootstrap as bs
from vixhedge import fmt as F
from vixhedge.caveats import sentence, thin_tail_words, window_caveats
from vixhedge.report_periods import compare_lines
from vixhedge.compare import PERCENTILE_ONLY, Comparison
from vixhedge.compare_args import MAX_BOOT, not_paired_words, paired_sessions
from vixhedge.verdicts import chance_and_holm, signed_figure, verdict_words
from vixhedge.compare_rows import BETTER, PCT_STATS, STAT_LABELS, TABLE_ROWS
from vixhedge.compare_condors import condor_fills, run_books
from vixhedge.compare_read import compare_plugins
from vixhedge.compare_rules import variant_rule_lines
from vixhedge.extensions import plugin_words
from vixhedge.compare_family import (SHORT_CI_DAYS, draws_of, holm_cells, holm_column, holm_names, identical_modes,
                                     tested, twin_modes)

#: the side-by-side table's widest line before its modes wrap into another block (:func:`column_blocks`)
TABLE_CHARS = 160


def _fmt(kind: str, v: float) -> str:
    """Format one table cell: money with separators, counts as whole numbers, flags as yes/no."""
    if kind == "bool":
        return "n/a" if F.missing(v) else ("yes" if v else "no")
    return {"usd": F.usd, "pct": F.pct, "num": F.num, "int": lambda x: F.num(x, 0)}[kind](v)


def table_rows(t: pd.DataFrame, no_ratio: Collection[str] = ()) -> list[list[str]]:
    """The side-by-side table's rows: a label naming which direction is better, then one cell per mode; the Sharpe
    of a mode in ``no_ratio`` n/a, as its run's summary and report.html show it (:func:`no_ratio_modes`)."""
    rows = []
    for name, row in t.iterrows():
        label, kind, better = TABLE_ROWS.get(str(name), (str(name), "num", None))
        cells = [F.MISSING if name == "sharpe" and m in no_ratio else _fmt(kind, v) for m, v in row.items()]
        rows.append([label + (f" ({better} is better)" if better else ""), *cells])
    return rows


NO_RATIO = "n/a in the table, as its run's summary and report show it; computed in comparison.csv"


def no_ratio_modes(cmp: Comparison) -> set[str]:
    """The modes whose Sharpe their own run shows as n/a (:func:`analyzers.metrics.ratio_caveat`: a ruined path, a
    NAV that fell with a positive mean): trial VIS27, static ruined after 4 sessions read Sharpe -10.98 in compare's
    table where its run's page said n/a. comparison.csv keeps the computed figure, as metrics.json does."""
    return {str(m) for m, r in cmp.results.items()
            if ratio_caveat(r.metrics.get("performance", {}), r.metrics.get("ruin"))}


def shown_paired(cmp: Comparison) -> pd.DataFrame:
    """``cmp.paired`` as the console, report.html and comparison.json show it: column ``na_leg`` names, on a Sharpe
    row, the leg (the mode first, then the baseline) whose Sharpe its own run shows as n/a (:func:`no_ratio_modes`),
    None elsewhere: that row reads n/a without a verdict (:func:`paired_cells`), is neither borderline nor counted
    among the intervals (:func:`paired_caveats`) and is not drawn (paired.png); paired.csv keeps the computed
    figures. ``p_holm``: each tested row's Holm-adjusted p-value (:func:`vixhedge.compare_family.holm_column`)."""
    p, no_ratio = cmp.paired.copy(), no_ratio_modes(cmp)
    if p.empty:
        return p.assign(na_leg=None, p_holm=np.nan)
    bases = p["baseline"] if "baseline" in p else [None] * len(p)
    p["na_leg"] = [next((m for m in (mode, base) if m is not None and m in no_ratio), None) if stat == "sharpe"
                   else None for mode, stat, base in zip(p["mode"], p["stat"], bases)]
    p["p_holm"] = holm_column(p)  # (of the rows tested as shown: a folder written before p_holm gets it too)
    return p


#: the paired cells' verdict where a leg's Sharpe is n/a by its run's rule (review 27: static ruined after 4 sessions
#: read "Sharpe -73.222 ... worse" beside the table's n/a)
PAIRED_NO_RATIO = "no verdict: {m}'s Sharpe is n/a, as in the table (computed in paired.csv)"


def paired_cells(r) -> list[str]:
    """One paired row as text: mode, statistic, difference, 95% CI, verdict (percentages in points); a Sharpe row
    n/a, without a verdict, where a leg's Sharpe is n/a by its run's rule (``na_leg``: :func:`shown_paired`), as
    the table shows it; paired.csv keeps the computed figures."""
    scale, unit = (100.0, " pts") if r.stat in PCT_STATS else (1.0, "")
    digits = 0 if r.stat.endswith("_usd") else 3

    def signed(v: float) -> str:
        return signed_figure(v, scale, digits)

    if isinstance(leg := getattr(r, "na_leg", None), str):  # (None, or NaN in pandas' string column)
        return [r.mode, f"{STAT_LABELS[r.stat]} ({BETTER[r.stat]} is better)", "n/a", "n/a",
                PAIRED_NO_RATIO.format(m=leg)]
    if not np.isfinite(r.diff):  # undefined in a leg (a cash-only mode's Sharpe, as its run says n/a)
        return [r.mode, f"{STAT_LABELS[r.stat]} ({BETTER[r.stat]} is better)", "n/a", "n/a", "n/a (undefined)"]
    ci = (f"[{signed(r.ci_low)}, {signed(r.ci_high)}]{unit}" if np.isfinite(r.ci_low) and np.isfinite(r.ci_high)
          else "[n/a]")
    cue = verdict_words(r.diff, r.ci_low, r.ci_high, BETTER[r.stat], str(getattr(r, "ci_method", "")),
                        str(getattr(r, "ci_borderline", False)) == "True")  # (a bool or numpy's)
    return [r.mode, f"{STAT_LABELS[r.stat]} ({BETTER[r.stat]} is better)", f"{signed(r.diff)}{unit}", ci, cue]


def window_sessions(cmp: Comparison) -> int | None:
    """The sessions of the compared window: the longest mode's daily rows (a ruined mode's run keeps its window);
    None where no mode has them."""
    w = traded_window(cmp)
    return w["sessions"] if w else None


def traded_window(cmp: Comparison) -> dict | None:
    """The compared window as the modes traded it (the longest mode's daily rows: a ruined mode's end early), for
    the console's first line and comparison.json's ``window`` (trial RS33: a Saturday start, shown as given on
    stderr alone, and no window in the folder's files); None where no mode has rows."""
    days = max((d.index for r in cmp.results.values() if (d := getattr(r, "daily", None)) is not None), key=len,
               default=None)
    if days is None or not len(days):
        return None
    return {"start": f"{days[0]:%Y-%m-%d}", "end": f"{days[-1]:%Y-%m-%d}", "sessions": len(days)}


def paired_caveats(p: pd.DataFrame, sessions: int | None = None) -> list[str]:
    """Return the paired differences' caveats, one line each (console, report.html, comparison.json): verdicts
    whose CI endpoint is within Monte-Carlo error of 0 (:func:`vixhedge.bootstrap.borderline`: more draws settle
    them); a pair whose bootstrap block is a quarter or more of its daily returns (few independent blocks: its
    CIs are rough, as a sweep's SPA / StepM say); a CVaR 95% of a few days; how many of the intervals would
    exclude 0 by chance alone; and a window under a year (:func:`vixhedge.caveats.window_caveats`: every mode's
    book starts flat, trial RS20), of ``sessions`` (:func:`window_sessions`; None: the longest pair's days and one,
    which a ruin shortens: trial RS24 read "only 2 sessions" of a 38-session window whose compared modes were
    ruined on its second day); intervals of fewer than :data:`SHORT_CI_DAYS` daily returns. A Sharpe row shown n/a
    (``na_leg``: :func:`shown_paired`) is neither borderline nor counted among the intervals. A window too short for
    paired differences (none in ``p``: :func:`vixhedge.compare_args.paired_sessions`) gets its one line (trial RS35)
    and its window caveats."""
    if p.empty:
        window = [f"window caveat: {w}" for w in window_caveats(sessions)] if sessions is not None else []
        short = sessions is not None and not paired_sessions(sessions)
        return ([not_paired_words(sessions, p.attrs.get("block_days"))] if short else []) + window
    if sessions is None and "days" in p:
        sessions = int(p["days"].max()) + 1
    out, window = [], [f"window caveat: {w}" for w in window_caveats(sessions)] if sessions is not None else []
    same = identical_modes(p)
    for m in same:  # (a researcher's trial, session 14: a variant whose rule never acted was called "borderline")
        out.append(f"CI caveat: {m}: every statistic and interval equals {p['baseline'].iloc[0]}'s: the two ran "
                   "the same book (what it changes never acted in this window); nothing to test")
    attrs, p = p.attrs, p[~p["mode"].isin(same)].copy()
    p.attrs.update(attrs)
    out += [f"CI caveat: {m}: every statistic and interval equals {t}'s: the two ran the same book in this window; "
            "its intervals are counted once below" for m, t in twin_modes(p).items()]
    counted = tested(p)  # (a twin's verdicts are its twin's: counted once)
    drawn, draws = p.attrs.get("n_boot"), draws_of(p)
    if "ci_borderline" in p and (n := int((counted["ci_borderline"].astype(str) == "True").sum())):
        # 4x the draws halves an endpoint's Monte-Carlo error (the audit: --n-boot 40000 was told to use 20000),
        # up to the most compare runs (review 17: 160000 was refused)
        more = min(MAX_BOOT, max(20000, 4 * draws)) if draws else 20000
        rerun = (f"{MAX_BOOT:d} draws is the most compare runs, so these verdicts stay unsettled: read them as unclear"
                 if draws and draws >= MAX_BOOT else f"rerun with more draws (--n-boot {more:d}) before reading them")
        out.append(f"CI caveat: {F.plural(n, 'verdict')} marked borderline: 0 lies within the Monte-Carlo error of a CI "
                   f"endpoint at {drawn if drawn is not None else '?'} draws, so another seed can flip better / "
                   f"worse / unclear; {rerun}")
    days = counted.groupby("mode", sort=False)["days"].first().astype(int) if "days" in counted else pd.Series()
    steps = int(days.min()) if len(days) else 0  # (the tested pairs': a pair a ruin cut short is not one, VIS35 M3)
    who = "" if days.nunique() < 2 else ", ".join(days.index[days == steps]) + ": "  # (the rest have more)
    thin = steps and "cvar95" in set(counted["stat"]) and thin_tail_words(tail_count(steps))
    if "days" in p:
        for m, g in p.groupby("mode", sort=False):
            if words := bs.few_blocks(int(g["block_days"].iloc[0]), int(g["days"].iloc[0]), "compared"):
                out.append(f"CI caveat: {m}: the {words}, so its CIs are rough"
                           + ("" if thin else " (a CVaR 95% rests on a handful of days)")  # (said below: review 20)
                           + "; a longer window gives more")
    if thin:  # (trial RS20: a CVaR CI ending at its estimate)
        out.append(f"CI caveat: {who}a CVaR 95% of {steps} daily returns is {thin}, so its estimate and CI rest on "
                   f"{'that day' if tail_count(steps) == 1 else 'those days'} (an interval can end at its "
                   "estimate); a longer window gives more")
    if len(short := days[days < SHORT_CI_DAYS]):  # (trial STAT32: no caveat at 63 sessions)
        rest = (f"the intervals rest on {steps} daily returns" if days.nunique() < 2 else
                ", ".join(f"{m}'s intervals rest on {n} daily returns" for m, n in short.items()))
        out.append(f"CI caveat: {rest}: on simulated nulls of 63 sessions about 8% of such 95% intervals excluded 0 "
                   "by chance, not 5%, so a verdict here is weaker than its 95% says; a longer window gives more")
    if p.attrs.get("block_days") == "auto":  # a data-driven block of a day reads the days as independent
        for m, b in p.groupby("mode", sort=False)["block_days"].first().items():
            if int(b) == 1:  # (researcher trial, session 13: 1 day in 2008, 15 for another pair; 10 flipped a verdict)
                out.append(f"CI caveat: {m}: the data-driven block is 1 day, so the bootstrap reads its days as "
                           "independent, which a volatile window's clustered days are not; rerun with --block-days 10 "
                           "before reading its verdicts")
    names, pv, rough = (holm_names(counted) if "p_value" in counted  # (a folder written before paired.csv had
                        else (list(counted["mode"]), None, set()))  # p-values: the count alone)
    return out + chance_and_holm("no mode differed from the baseline", names, pv,
                                 str(p.attrs.get("ci_method", "percentile")), draws, rough) + window


def baseline(cmp: Comparison) -> str:
    """The mode the paired differences are taken against ("-" without one)."""
    return str(cmp.paired.attrs.get("baseline", "-"))


def ci_words(p: pd.DataFrame) -> str:
    """Describe how the paired CIs were made: draws, method, block length per mode, seed."""
    a = p.attrs
    blocks = ", ".join(f"{m} {b or '- (not tested)'}"  # (0: a pair a ruin cut short, compare.short_pair_words)
                       for m, b in p.groupby("mode", sort=False)["block_days"].first().items())
    auto = " (data-driven, Politis-White)" if a.get("block_days") == "auto" else ""
    bca = a.get("ci_method") == "bca"
    only = sorted(set(p["stat"]) & set(PERCENTILE_ONLY), key=PERCENTILE_ONLY.index) if bca else []
    fallback = " BCa fell back to percentile where its bias correction is undefined;" if bca and (
        (p["ci_method"] == "percentile") & ~p["stat"].isin(PERCENTILE_ONLY)).any() else ""
    if only:  # (trial STAT32: BCa's jackknife acceleration on a statistic of a few days over-rejects)
        fallback += (f" {' and '.join(STAT_LABELS[s].split(',')[0] for s in only)} take percentile intervals (BCa "
                     "excludes 0 too often on a statistic of a few days);")
    return (f"arch circular block bootstrap, {a.get('n_boot')} draws, {a.get('ci_method')} intervals;{fallback} "
            f"block days{auto}: {blocks or '-'}; seed {a.get('seed')}")


def sharpe_rates(cmp: Comparison) -> dict[str, str]:
    """Return ``{mode: what its Sharpe measures excess return over}`` (:func:`vixhedge.html.rf_label` of its own
    metrics): a ruined mode's Sharpe, as its metrics, ends at its ruin, so its mean cash rate is its span's."""
    from vixhedge import html as H

    return {m: H.rf_label(cmp.config.analysis, r.metrics["performance"]) for m, r in cmp.results.items()}


def sharpe_words(cmp: Comparison) -> str:
    """What the comparison's Sharpe measures excess return over: the rate of a run that is not ruined, then each
    mode whose Sharpe used another rate (a ruined mode's span to its ruin), named with its rate and span; modes
    sharing a span and a rate are named together, once."""
    rates = sharpe_rates(cmp)
    base = next((m for m, r in cmp.results.items() if not r.metrics.get("ruin")), next(iter(rates)))
    groups: dict[tuple[str, str], list[str]] = {}  # modes sharing a span and a rate are named once, together
    for m, rate in rates.items():
        if rate != rates[base]:
            span = cmp.results[m].metrics["performance"].get("valid_span") or {}
            groups.setdefault((f"{span['start']} .. {span['end']}" if span.get("ruined") else "", rate), []).append(m)
    words = [f"excess return over {rates[base]}"]
    for (span, rate), modes in groups.items():
        names = [f"{m}'s" for m in modes]
        who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
        their = "its span to its ruin" if len(modes) == 1 else "their span to their ruins"
        words.append(f"{who}{f' ({their}, {span})' if span else ''} over {rate}")
    return "; ".join(words)


def sharpe_caveats(cmp: Comparison) -> list[str]:
    """Return the Sharpe ratio's caveats, one line each (console, report.html, comparison.json): per mode, the
    run's own (:func:`analyzers.metrics.ratio_caveat`, as its summary and report.html say it): a ruined mode's
    Sharpe covers only the sessions to its ruin (a run that lost everything can read positive over a few days), a
    mode whose NAV fell with a positive mean daily excess return (volatility drag); then a mode and the baseline
    both negative (:func:`_negative_caveat`)."""
    out = []
    for m, r in cmp.results.items():
        perf = r.metrics.get("performance", {})
        ruin, span = r.metrics.get("ruin"), perf.get("valid_span")
        if ruin and span:
            out.append(f"Sharpe caveat: {m} was ruined on {ruin['date']}; its Sharpe covers only {span['start']} .. "
                       f"{span['end']} and ranks nothing ({NO_RATIO}): read its final NAV (0)")
        elif caveat := ratio_caveat(perf, ruin):
            out.append(f"Sharpe caveat: {m}: {caveat} ({NO_RATIO})")
    negative = _negative_caveat(cmp)
    return out + ([negative] if negative else [])


def _negative_caveat(cmp: Comparison) -> str:
    """Return a one-line caveat when a mode and the baseline both have a negative Sharpe ratio (else ""): there a
    lower volatility makes the ratio more negative, so Sharpe can rank a hedge that lost less below no hedge."""
    t, base = cmp.table, baseline(cmp)
    if "sharpe" not in t.index or base not in t.columns or not t.at["sharpe", base] < 0:
        return ""
    ruined = {m for m, r in cmp.results.items() if r.metrics.get("ruin")}  # their own caveat says what it covers
    modes = [str(m) for m in t.columns if m != base and m not in ruined and t.at["sharpe", m] < 0]
    if not modes or base in ruined:
        return ""
    who = f"{modes[0]} and {base} both have" if len(modes) == 1 else f"{', '.join(modes)} and {base} all have"
    return (f"Sharpe caveat: {who} a negative Sharpe; with a negative mean excess "
            "return a lower volatility makes the ratio more negative, so Sharpe can rank the one that lost less "
            "lower: read final NAV, max drawdown and CVaR beside it")


def data_provenance(cmp: Comparison) -> dict:
    """Return what the comparison's prices rest on: its modes' data provenance as one
    (:func:`feeds.provenance.combined`), as comparison.json's ``data_provenance``; {} when no mode has one."""
    from feeds.provenance import combined

    provs = {m: r.metrics["data_provenance"] for m, r in cmp.results.items() if "data_provenance" in r.metrics}
    return combined(provs) if provs else {}


def mode_notes(cmp: Comparison) -> list[str]:
    """The notes the modes' own runs wrote on their hedge (metrics.json ``policy_notes``: call-spread legs at bid and
    ask, option layers sized in contracts, rules left idle; and ``held_without_condor``, the adds
    hedge.require_condor held back: :func:`vixhedge.why_idle.held_words`), each once (trial RS22: the comparison's
    page showed none of them; each run's page and stderr did; trial VIS27: the default compare's page lacked alvh's
    require_condor note its stderr printed)."""
    from feeds.provenance import once_each
    from vixhedge.why_idle import held_words

    return once_each({m: [*(r.metrics.get("policy_notes") or ()),
                          *filter(None, [held_words(r.metrics.get("held_without_condor"))])]
                      for m, r in cmp.results.items()})


def data_words(cmp: Comparison) -> str:
    """The console's data line: the verdict on the modes' marks and fills together, then their notes (as a run's
    summary prints its own, :func:`vixhedge.summary.summary_table`); "" when no mode has a data provenance."""
    p = data_provenance(cmp)
    return " ".join(map(sentence, [p["verdict"], *p["notes"]])) if p else ""


def comparison_caveats(cmp: Comparison, shown: pd.DataFrame) -> list[str]:
    """The comparison's caveat lines (console, report.html, comparison.json): the paired differences' (``shown``:
    :func:`shown_paired`; :func:`paired_caveats`), then its variants' (:func:`vixhedge.compare_search.search_caveats`:
    one picked by a search, trial RS39 H1)."""
    from vixhedge.compare_search import search_caveats

    win = traded_window(cmp) or {}
    return paired_caveats(shown, window_sessions(cmp)) + search_caveats(cmp.variants, win.get("start"), win.get("end"))


def split_caveats(caveats: list[str]) -> tuple[list[str], list[str]]:
    """Split :func:`paired_caveats` into the window's (said beside the table: a short window's annualised figures)
    and the paired differences' own."""
    window = [c for c in caveats if c.startswith("window caveat: ")]
    return window, [c for c in caveats if c not in window]


def column_blocks(first: int, cells: list[int], limit: int) -> list[list[int]]:
    """The columns of widths ``cells`` in blocks of consecutive ones, each block's row (the ``first`` column's width
    repeated before it) within ``limit`` characters where it can be (a column wider than that is a block alone): the
    side-by-side table printed block under block, as pandas wraps a wide frame, not one line per metric 330
    characters wide (trial RS38 L5, 13 modes). One block where the whole row fits."""
    blocks: list[list[int]] = [[]]
    used = first
    for k, w in enumerate(cells):
        if blocks[-1] and used + w > limit:
            blocks.append([])
            used = first
        blocks[-1].append(k)
        used += w
    return blocks


def format_comparison(cmp: Comparison) -> str:
    """Return the side-by-side table and the paired differences as text (the cells of the HTML report)."""
    rows = table_rows(cmp.table, no_ratio_modes(cmp))
    width = max(len(r[0]) for r in rows)
    modes = [str(m) for m in cmp.table.columns]  # each column as wide as its mode's name or its widest cell
    cells = [max(14, len(m) + 2, *(len(r[k]) + 2 for r in rows)) for k, m in enumerate(modes, 1)]
    win = traded_window(cmp)
    lines = [f"window {win['start']} .. {win['end']} ({win['sessions']:,} sessions), on one market path"] if win else []
    for block in column_blocks(width, cells, TABLE_CHARS):  # (trial RS38 L5: 13 modes, one table 330 wide)
        lines.append("metric".ljust(width) + "".join(modes[k].rjust(cells[k]) for k in block))
        lines += [r[0].ljust(width) + "".join(r[k + 1].rjust(cells[k]) for k in block) for r in rows]
    shown = shown_paired(cmp)
    window, caveats = split_caveats(comparison_caveats(cmp, shown))
    lines += window  # under the table their annualised figures are in (trial VIS30: they sat under the paired lines)
    lines.append(f"Sharpe: {sharpe_words(cmp)}")
    lines += sharpe_caveats(cmp)
    lines += [f"condors, {m}: {words}" for m, words in condor_fills(run_books(cmp.results), baseline(cmp)).items()]
    lines += variant_rule_lines(cmp)  # (trial RS38: which rules a variant's keys switched, and whether they still act)
    lines += compare_lines(cmp.results)  # each named stress period on the one path (trial RS20)
    data = data_words(cmp)  # what the verdicts below rest on (trial finding 2)
    lines += [f"data: {data}"] if data else []
    plugs = plugin_words(compare_plugins(cmp), list(cmp.results))  # (trial API39 M1: a plug-in selector every mode
    # ran was said nowhere; FUZZ40 M3: the modes that ran one, where not all did)
    lines += [f"plug-ins: {plugs}"] if plugs else []
    lines.append("")
    if not shown.empty:
        lines.append(f"paired difference vs {baseline(cmp)} (95% CI: {ci_words(cmp.paired)})")
    same, holm_p = identical_modes(shown), holm_cells(shown)
    paired = [[*paired_cells(r), holm_p[r.Index]] for r in shown.itertuples() if r.mode not in same]
    w = [max((len(c[k]) for c in paired if k < 4 or c[5]), default=0) for k in range(5)]  # (a verdict without
    # a Holm p, a pair not tested, does not push the column out)
    for mode, stat, diff, ci, cue, adj in paired:
        lines.append(f"  {mode:<{w[0]}}  {stat:<{w[1]}}  {diff:>{w[2]}}  {ci:<{w[3]}}  "
                     + (f"{cue:<{w[4]}}  Holm p {adj}" if adj else cue).rstrip())
    lines += caveats
    for m, res in cmp.results.items():
        ruin = res.metrics.get("ruin")
        if ruin:
            days = shown.loc[shown["mode"] == m, "days"] if "days" in shown else []
            cover = (f"its {int(min(days))} daily returns to its ruin are too few for a paired CI: not tested"
                     if len(days) and not paired_sessions(int(min(days)) + 1) else  # (trial VIS35 M2)
                     "its paired differences cover the days to its ruin only")
            lines.append(f"RUINED: {m} on {ruin['date']} ({ruin['cause']}); liquidated that day, its metrics "
                         f"(the table) end there, NAV 0; {cover}")
    return "\n".join(lines)
