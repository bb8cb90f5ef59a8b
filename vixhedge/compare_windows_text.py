"""A compare over rolling windows in words: the summary ``vixhedge compare --windows`` prints and windows.json keeps.

Per mode against the baseline: in how many windows it ends ahead on final NAV (the difference's median and range),
per paired statistic how many windows' CIs say better, worse or unclear, how often the NAV difference changes sign
between consecutive starts, and the best and worst windows with the command that reruns each as a plain compare.
:mod:`vixhedge.compare_windows` computes the rows.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from vixhedge import fmt as F

__all__ = ["FLAT_START", "ad_words", "summarise", "format_summary", "months_words"]

#: what a window's flat start means (README *Where a window starts*)
FLAT_START = ("flat start: each window starts as a run does, with no hedge layer and no condor (README \"Where a "
              "window starts\"), so a window's result is not that of the same days inside a longer run; read a "
              "verdict that flips between neighbouring starts as the path's, not the method's")


def months_words(months: int) -> str:
    """``60`` -> "5 years", ``18`` -> "18 months", ``12`` -> "1 year"."""
    if months % 12 == 0:
        return F.plural(months // 12, "year")
    return F.plural(months, "month")


def sign_changes(diffs: np.ndarray) -> int:
    """How many times the sign of ``diffs`` (in window order) changes between consecutive starts; a zero difference
    (a mode equal to its baseline) is skipped, neither sign."""
    s = np.sign(diffs)
    s = s[s != 0]
    return int((s[1:] != s[:-1]).sum())


def _window(row: dict, rerun: Callable[[str, str], str]) -> dict:
    return {"start": row["start"], "end": row["end"], "nav_diff_usd": row["nav_diff_usd"],
            "rerun": rerun(row["start"], row["end"])}


def summarise(rows: list[dict], stats: tuple[str, ...], rerun: Callable[[str, str], str]) -> dict:
    """Return the summary per mode (windows.json ``summary``): ``{mode: {baseline, windows, ahead, nav_diff_*,
    sign_changes, stats: {stat: {better, worse, unclear, no_verdict, borderline}}, best, worst}}``; ``rerun(start,
    end)`` the command that reruns one window as a plain compare."""
    out: dict[str, dict] = {}
    for mode in dict.fromkeys(r["mode"] for r in rows):
        own = [r for r in rows if r["mode"] == mode]
        d = np.array([r["nav_diff_usd"] for r in own], dtype=float)
        counts = {}
        for s in stats:
            words = [str(r[f"{s}_verdict"]) for r in own]
            counts[s] = {"better": words.count("better"), "worse": words.count("worse"),
                         "unclear": words.count("unclear"),
                         "no_verdict": sum(w not in ("better", "worse", "unclear") for w in words),
                         "borderline": sum(bool(r[f"{s}_ci_borderline"]) for r in own)}
        best, worst = own[int(np.argmax(d))], own[int(np.argmin(d))]  # (the first of equals: the earliest start)
        out[mode] = {"baseline": own[0]["baseline"], "windows": len(own), "ahead": int((d > 0).sum()),
                     "behind": int((d < 0).sum()), "nav_diff_median_usd": float(np.median(d)),
                     "nav_diff_min_usd": float(d.min()), "nav_diff_max_usd": float(d.max()),
                     "sign_changes": sign_changes(d), "stats": counts,
                     "ruined": [r["start"] for r in own if r.get("ruined")],
                     "baseline_ruined": [r["start"] for r in own if r.get("baseline_ruined")],
                     "best": _window(best, rerun), "worst": _window(worst, rerun)}
    return out


def ad_words(rows: list[dict]) -> str:
    """A line naming, per mode, the windows in which its A/D-dependent rules could not act (windows.csv
    ``ad_rules_off``: no A/D row on their sessions), when some windows are so and others not, or all are: the
    policy is then not the same in every window (trial RS33 1e); "" when no window is."""
    parts = []
    for mode in dict.fromkeys(r["mode"] for r in rows):
        own = [r for r in rows if r["mode"] == mode]
        off = [r for r in own if r["ad_rules_off"]]
        if off:
            rules = ", ".join(dict.fromkeys(x for r in off for x in r["ad_rules_off"].split(",")))
            parts.append(f"{mode}'s {rules} could not act in {len(off)} of {len(own)} windows"
                         + (f" (first {off[0]['start']}, last {off[-1]['start']})" if len(off) < len(own) else ""))
    if not parts:
        return ""
    some, several = any(" (first " in p for p in parts), len(parts) > 1  # (RS34: "it" of two modes)
    return ("A/D rules: " + "; ".join(parts) + ": no A/D input covering those windows' sessions "
            "(hedge.fomc.ad_csv), so "
            + (f"the polic{'ies are' if several else 'y is'} not the same in every window" if some
               else f"every window runs {'them' if several else 'it'} without those rules"))


def _usd(v: float) -> str:
    return F.usd(v, signed=True)


def overlap_words(spec: dict) -> str:
    """The line on what the verdict counts are (trial RS36: "worse in 10 of 57" read as 57 pieces of evidence)."""
    length, step = spec["length_months"], spec["step_months"]
    shared = (f"consecutive windows share {F.pct(1 - step / length, 0)} of their months, so the counts above are not "
              "independent verdicts, and " if step < length else "")
    return (f"counts: {shared}at 95% about 1 CI in 20 excludes 0 by chance alone where the modes do not differ "
            "(no multiple-comparison adjustment)")


def tail_words(spec: dict) -> str:
    """The clause saying the range's days after the last window are in none (trial VIS30: q4-2018 fell outside every
    window of `--windows 2y/6m`, unsaid); "" where the last window ends the range or no range is recorded."""
    end = (spec.get("range") or [None, None])[1]
    return (f"; the days after {spec['last_end']}, to the range's end {end}, are in no window (the next would end "
            "past it)") if end and end > spec["last_end"] else ""


def format_summary(summary: dict, spec: dict, data: str, ad_note: str = "", search: list[str] | tuple = ()) -> str:
    """Return the printed summary: a heading line, then per mode its lines (:func:`summarise`), the flat-start line
    and the data line (``data``: compare's data line over every window's runs); ``ad_note``: a line on the
    A/D-dependent rules (:func:`ad_words`), "" for none; ``search``: the variants' lines
    (:func:`vixhedge.compare_search.search_caveats`, its windows counted against the ranked days)."""
    from vixhedge.compare_rows import BETTER, STAT_LABELS

    lines = [f"compare over {spec['count']} windows of {months_words(spec['length_months'])}, one starting every "
             f"{months_words(spec['step_months'])}, {spec['first_start']}..{spec['last_end']} (each a plain compare "
             "of its window, on one market)" + tail_words(spec)]
    for mode, s in summary.items():
        n = s["windows"]
        lines.append(f"{mode} vs {s['baseline']}: ahead on final NAV in {s['ahead']} of {n} windows (difference "
                     f"median {_usd(s['nav_diff_median_usd'])}, range {_usd(s['nav_diff_min_usd'])} .. "
                     f"{_usd(s['nav_diff_max_usd'])}); the difference changes sign "
                     f"{F.plural(s['sign_changes'], 'time')} between consecutive starts")
        labels = {st: f"{STAT_LABELS[st]} ({BETTER[st]} is better)" for st in s["stats"]}
        width = max(map(len, labels.values()))
        for st, c in s["stats"].items():
            extra = "".join(f", {k.replace('_', ' ')} {c[k]}" for k in ("no_verdict", "borderline") if c[k])
            lines.append(f"  {labels[st]:<{width}}  CI says {mode} better in {c['better']}, worse in {c['worse']}, "
                         f"unclear in {c['unclear']} of {n}{extra}")
        for who, starts in ((mode, s.get("ruined") or []), (s["baseline"], s.get("baseline_ruined") or [])):
            if starts:  # (trial RS34: a window's ruin was a stderr note alone)
                lines.append(f"  RUINED: {who} in {F.plural(len(starts), 'window')} (starting {', '.join(starts)}): "
                             "liquidated on its ruin day, NAV 0 to the window's end; its Sharpe there is n/a")
        for word in ("best", "worst"):
            w = s[word]
            lines.append(f"  {word + ' window':<12} {w['start']}..{w['end']}  {_usd(w['nav_diff_usd'])}  rerun: "
                         f"{w['rerun']}")
    lines.append(FLAT_START)
    lines.append(overlap_words(spec))
    if ad_note:
        lines.append(ad_note)
    lines += search
    if data:
        lines.append(f"data (summed over the windows): {data}")
    return "\n".join(lines)
