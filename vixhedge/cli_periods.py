"""``vixhedge compare --period all``: the compare of every named stress period the data cover, one after another,
each as ``--period NAME`` runs and writes it, then a table of the periods.

Trial RS35 (2026-12-06) scripted nine ``compare --period`` runs and read their folders by hand to say, per episode,
what the hedge earned, what the condor lost and which mode ended ahead; this is that table, from the comparisons.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from vixhedge import bootstrap as bs
from vixhedge import cli_data
from vixhedge import fmt as F
from vixhedge.core import config as C

__all__ = ["ALL", "period_table", "run"]

ALL = "all"  # --period's word for every named period the data cover


def _plans(args: argparse.Namespace, cfg: C.Config) -> tuple[list[tuple[str, argparse.Namespace, C.Config]], list[str]]:
    """Return each named period the data cover (by start: name, its args, its config) and those they do not."""
    from feeds.directory import CoverageError
    from feeds.periods import PERIODS

    plans, missing = [], []
    for name in sorted(PERIODS, key=lambda n: PERIODS[n].start):
        one = argparse.Namespace(**{**vars(args), "period": name})
        try:
            plans.append((name, one, cli_data.period_config(one, cfg)))
        except CoverageError:
            missing.append(name)
    return plans, missing


def run(args: argparse.Namespace, cfg: C.Config,
        compare_one: Callable[..., tuple[object, Path] | None]) -> int:
    """Compare every named period the data cover (``compare_one``: the command's compare of one period, which checks
    its arguments (with ``check_only``, that alone), prints the heading it is given, compares, prints it and writes
    its folder); print the periods' table and, under it, the periods not covered. Every period's arguments are
    checked before the first runs (trial RS36: a --block-days too long for the third stopped it after two); none
    covered is one error line before any work; an interrupt says how far it got."""
    from vixhedge import progress

    cli_data.check_period_flags(args)
    plans, missing = _plans(args, cfg)
    if not plans:
        raise C.ConfigError(f"--period {ALL}: the data cover none of the named periods (the embedded market holds "
                            "2014-2018; `vixhedge replay NAME` names what a period misses): give --data-dir")
    if missing and not progress.QUIET:
        print(f"vixhedge: --period {ALL}: {', '.join(missing)} not covered by the data, left out "
              "(`vixhedge replay NAME` names what each misses)", file=sys.stderr)
    for name, one, period_cfg in plans:
        try:
            compare_one(one, period_cfg, check_only=True)
        except C.ConfigError as exc:
            raise C.ConfigError(f"--period {ALL}, {name}: {exc}") from None
    done = []
    try:
        for name, one, period_cfg in plans:
            cmp, folder = compare_one(one, period_cfg, f"== {name} ==")  # (the heading after its checks: review 30)
            done.append((name, cmp, folder))
            print()
    except KeyboardInterrupt:  # (trial RS36: "vixhedge: interrupted" alone)
        print(f"vixhedge: compare --period {ALL} stopped after {len(done)} of {len(plans)} periods: their folders are "
              "kept, the table is printed at the end; run the command again (a finished period is redone to the "
              "same bytes)", file=sys.stderr)
        raise
    print("\n".join(period_table([(name, cmp) for name, cmp, _ in done])))
    if missing:  # (on stdout too, -q or not: the table's reader learns what it leaves out)
        print(f"not covered by the data, left out: {', '.join(missing)} (`vixhedge replay NAME` names what each "
              "misses)")
    return 0


def _ci_words(p, mode: str, sessions: int) -> str:
    """A period row's CI and verdict of the total P&L difference (paired.csv's ``pnl_usd``, as compare prints it),
    or why there is none; a pair a ruin cut says its CI covers the days to the ruin (review 30)."""
    from vixhedge.compare_rows import BETTER
    from vixhedge.verdicts import verdict_words

    if p is None or (mode, "pnl_usd") not in p.index:
        return f"(no CI: {sessions} sessions)"
    r = p.loc[(mode, "pnl_usd")]
    cut = " (CI to the ruin)" if int(r["days"]) < sessions - 1 else ""
    rough = " (rough CI: few blocks)" if bs.few_blocks(int(r["block_days"]), int(r["days"]), "") else ""
    return (f"[{F.usd(r['ci_low'], signed=True)}, {F.usd(r['ci_high'], signed=True)}] "
            + verdict_words(r["diff"], r["ci_low"], r["ci_high"], BETTER["pnl_usd"], str(r["ci_method"]),
                            str(r["ci_borderline"]) == "True") + cut + rough)


def period_table(done: list[tuple[str, object]]) -> list[str]:
    """The periods' table: per period and mode its final NAV, hedge and condor P&L (comparison.csv), and against
    the baseline its total P&L's difference (comparison.csv's) with the 95% CI and verdict (:func:`_ci_words`; a
    period under the bootstrap's 20 sessions has the difference alone); then, per mode, the periods it ended ahead
    in."""
    from vixhedge.compare_text import baseline, traded_window
    from vixhedge.verdicts import chance_words

    base = baseline(done[0][1]) if done else "-"
    rows, ahead = [], {}
    for name, cmp in done:
        t, win = cmp.table, traded_window(cmp)
        p = cmp.paired.set_index(["mode", "stat"]) if len(cmp.paired) else None
        for k, m in enumerate(t.columns):
            vs = ""
            if m != base:
                diff = t.at["pnl_usd", m] - t.at["pnl_usd", base]
                ahead.setdefault(m, []).append(diff > 0)
                vs = f"{F.usd(diff, signed=True)} {_ci_words(p, m, win['sessions'])}"
            rows.append([name if k == 0 else "", f"{win['start']}..{win['end']}" if k == 0 else "", str(m),
                         F.usd(t.at["end_nav_usd", m]), F.usd(t.at["hedge_pnl_usd", m]),
                         F.usd(t.at["condor_pnl_usd", m]), vs])  # (the period named on its first row)
    head = ["period", "window", "mode", "final NAV", "hedge P&L", "condor P&L", f"total P&L vs {base} [95% CI]"]
    widths = [max(len(r[k]) for r in [head, *rows]) for k in range(len(head) - 1)]
    lines = [f"periods compared against {base} (each a plain `compare --period NAME`, its folder above):"]
    lines += [("  " + "  ".join(c.ljust(w) if k < 3 else c.rjust(w) for k, (c, w) in enumerate(zip(r, widths)))
               + f"  {r[-1]}").rstrip() for r in [head, *rows]]
    lines += [f"{m} ended ahead of {base} on total P&L in {sum(a)} of {F.plural(len(a), 'period')}"
              for m, a in ahead.items()]
    intervals = sum(r[-1].count("[") for r in rows)
    lines += [chance_words(intervals, "no mode differed from the baseline")] if intervals > 1 else []
    lines.append("flat start: each period starts as a run does, with no hedge layer and no condor (README \"Where a "
                 "window starts\"): the same days inside a longer run can end otherwise (its metrics.json "
                 "named_periods)")  # (trial RS36: alvh - static -$15,852 alone in us-downgrade, +$74,341 inside)
    return lines
