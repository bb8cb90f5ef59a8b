"""``vixhedge compare --period all``: the compare of every named stress period the data cover, one after another,
each as ``--period NAME`` runs and writes it, then a table of the periods.

Trial RS35 (2026-12-06) scripted nine ``compare --period`` runs and read their folders by hand to say, per episode,
what the hedge earned, what the condor lost and which mode ended ahead; this is that table, from the comparisons.
"""

from __future__ import annotations

import argparse
import math
import sys
from collections.abc import Callable
from pathlib import Path

from typing import TYPE_CHECKING

from vixhedge import cli_data
from vixhedge import fmt as F
from vixhedge.core import config as C

if TYPE_CHECKING:  # (`vixhedge --help` imports this module: no pandas or numpy before a command runs)
    import pandas as pd

__all__ = ["ALL", "period_cells", "period_rows", "period_table", "periods_id", "run", "write_periods"]

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
        compare_one: Callable[..., tuple[object, Path]]) -> int:
    """Compare every named period the data cover (``compare_one``: the command's compare of one period, which checks
    its arguments (with ``check_only``, that alone), prints the heading it is given, compares, prints it and writes
    its folder); print the periods' table and, under it, the periods not covered. Every period's arguments are
    checked before the first runs (trial RS36: a --block-days too long for the third stopped it after two); none
    covered is one error line before any work; an interrupt says how far it got."""
    from vixhedge import progress
    from vixhedge.atomic import check_target

    cli_data.check_period_flags(args)
    plans, missing = _plans(args, cfg)
    if not plans:
        raise C.ConfigError(f"--period {ALL}: the data cover none of the named periods (the embedded market holds "
                            "2014-2018; `vixhedge replay NAME` names what a period misses): give --data-dir")
    if missing and not progress.QUIET:
        print(f"vixhedge: --period {ALL}: {', '.join(missing)} not covered by the data, left out "
              "(`vixhedge replay NAME` names what each misses)", file=sys.stderr)
    folders = []
    for name, one, period_cfg in plans:
        try:
            folders.append(compare_one(one, period_cfg, check_only=True)[1])
        except C.ConfigError as exc:
            raise C.ConfigError(f"--period {ALL}, {name}: {exc}") from None
    check_target(args.runs_dir, periods_id(cfg.run.name, folders))  # (IO31: a file there stopped it after every run)
    done = []
    try:
        for k, (name, one, period_cfg) in enumerate(plans, 1):  # (the heading after its checks: review 30; how
            # far along: PERF36, "== gfc ==" alone on a 30-second command)
            cmp, folder = compare_one(one, period_cfg, f"== {name} (period {k} of {len(plans)}) ==")
            done.append((name, cmp, folder))
            print()
    except KeyboardInterrupt:  # (trial RS36: "vixhedge: interrupted" alone)
        n = len(done) + (len(done) < len(plans) and folders[len(done)].is_dir())  # (IO31: a folder written just
        kept = "the finished periods' compare folders are kept" if n else "no period had finished"  # before: not done)
        print(f"vixhedge: compare --period {ALL} stopped after {n} of {len(plans)} periods: {kept}; the "
              "periods' table is written only when the last is done: run the command again (a finished period is "
              "redone to the same bytes)", file=sys.stderr)
        raise
    rows = period_rows(done)
    lines = period_table(rows)
    if missing:  # (on stdout too, -q or not: the table's reader learns what it leaves out)
        lines.append(f"not covered by the data, left out: {', '.join(missing)} (`vixhedge replay NAME` names what "
                     "each misses)")
    folder = write_periods(args.runs_dir, cfg.run.name, rows, lines)
    print("\n".join(lines))
    print(f"\nperiods folder  {folder}  (periods.csv, periods.txt, report.html)")
    return 0


def _ci(p, mode: str, sessions: int) -> tuple[float, float, str]:
    """A period row's CI of the total P&L difference and its verdict (paired.csv's ``pnl_usd``, as compare words
    it), or NaNs and why there is none; a pair a ruin cut says its CI covers the days to the ruin (review 30)."""
    from vixhedge import bootstrap as bs
    from vixhedge.compare_rows import BETTER
    from vixhedge.verdicts import verdict_words

    if p is None or (mode, "pnl_usd") not in p.index:
        return math.nan, math.nan, f"no CI: {sessions} sessions"
    r = p.loc[(mode, "pnl_usd")]
    cut = " (CI to the ruin)" if int(r["days"]) < sessions - 1 else ""
    rough = " (rough CI: few blocks)" if bs.few_blocks(int(r["block_days"]), int(r["days"]), "") else ""
    return (float(r["ci_low"]), float(r["ci_high"]), verdict_words(
        r["diff"], r["ci_low"], r["ci_high"], BETTER["pnl_usd"], str(r["ci_method"]),
        str(r["ci_borderline"]) == "True") + cut + rough)


#: periods.csv's capital columns and their types, each mode's compare table's (its run's metrics.json figures)
CAPITAL = {"days_with_margin_call": int, "capital_needed_usd": float, "ruined": bool}


def period_rows(done: list[tuple[str, object, Path]]) -> pd.DataFrame:
    """A row per period and mode (periods.csv): its window, final NAV, hedge and condor P&L and :data:`CAPITAL`
    (comparison.csv), and against the baseline its total P&L's difference (comparison.csv's) with the 95% CI and
    verdict (:func:`_ci`; a period under the bootstrap's 20 sessions has the difference alone), its p-value and
    Holm-adjusted p-value over the table's intervals (the table's Holm line's family), and its compare folder."""
    import numpy as np
    import pandas as pd

    from vixhedge.compare_text import baseline, traded_window
    from vixhedge.verdicts import holm, holm_undecided

    rows = []
    for name, cmp, folder in done:
        t, win, base = cmp.table, traded_window(cmp), baseline(cmp)
        p = cmp.paired.set_index(["mode", "stat"]) if len(cmp.paired) else None
        for m in t.columns:
            vs = (t.at["pnl_usd", m] - t.at["pnl_usd", base], *_ci(p, m, win["sessions"])) if m != base else \
                (math.nan, math.nan, math.nan, "")
            pv = p.at[(m, "pnl_usd"), "p_value"] if p is not None and "p_value" in p and (m, "pnl_usd") in p.index \
                else math.nan  # (paired.csv's, unadjusted: the table's Holm line adjusts)
            rows.append({"period": name, "start": win["start"], "end": win["end"], "sessions": win["sessions"],
                         "mode": str(m), "baseline": base, "end_nav_usd": t.at["end_nav_usd", m],
                         "hedge_pnl_usd": t.at["hedge_pnl_usd", m], "condor_pnl_usd": t.at["condor_pnl_usd", m],
                         **{k: kind(t.at[k, m]) if k in t.index else math.nan  # (trial RS40 M4)
                            for k, kind in CAPITAL.items()},
                         **dict(zip(("pnl_diff_usd", "ci_low_usd", "ci_high_usd", "verdict"), vs)),
                         "p_value": float(pv), "folder": Path(folder).name})
    out = pd.DataFrame(rows)
    attrs = done[0][1].paired.attrs if done else {}
    if len(out):  # the table's Holm family: every mode's row with a CI, over the periods (RS37 L4: in the line only)
        tested = (out["mode"] != out["baseline"]) & out["ci_low_usd"].notna()
        pv = out.loc[tested, "p_value"].to_numpy(float)
        out.insert(len(out.columns) - 1, "p_holm", math.nan)
        out.insert(len(out.columns) - 1, "holm_undecided", None)  # (the line's word, on the row: trial RD36 M1)
        if len(pv) and np.isfinite(pv).all():
            out.loc[tested, "p_holm"] = adj = holm(pv)
            out.loc[tested, "holm_undecided"] = holm_undecided(pv, adj, attrs.get("n_boot"))
    out.attrs.update(ci_method=str(attrs.get("ci_method", "percentile")), n_boot=attrs.get("n_boot"),
                     pooled=pooled_family(done))
    return out


def pooled_family(done: list[tuple[str, object, Path]]) -> tuple[list[str], list[float], dict[str, str]]:
    """Every interval the periods' compares tested, pooled (trial VIS35 M1: each period's Holm line adjusts its own
    alone, so a difference one period's page held came out of a search over all of them): the Holm line's names,
    each with its period (``alvh CVaR 95% worse in gfc``), p-values and rough names
    (:func:`vixhedge.compare_family.holm_names`)."""
    from vixhedge.compare_family import holm_names, tested
    from vixhedge.compare_text import shown_paired

    names, pv, rough = [], [], {}
    for name, cmp, _ in done:
        rows = tested(shown_paired(cmp))
        if len(rows) and "p_value" in rows:
            n, p, r = holm_names(rows)
            names += [f"{k} in {name}" for k in n]
            pv += list(p)
            rough |= {f"{k} in {name}": why for k, why in r.items()}
    return names, pv, rough


def period_cells(rows: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """The periods' table's header and cells (console, periods.txt and the page): a period named on its first row;
    against the baseline the total P&L's difference, CI, verdict and Holm p (periods.csv ``p_holm``, trial VIS35)."""
    from vixhedge.verdicts import p_figure

    base = rows["baseline"].iloc[0] if len(rows) else "-"
    cells = []
    for r in rows.itertuples():
        first = r.Index == 0 or rows["period"].iloc[r.Index - 1] != r.period
        holm = "" if F.missing(getattr(r, "p_holm", None)) else f", Holm p {p_figure(r.p_holm)}" + (
            " undecided" if str(getattr(r, "holm_undecided", "")) == "True" else "")  # (as the line: RD36 M1)
        ci = (f" [{F.usd(r.ci_low_usd, signed=True)}, {F.usd(r.ci_high_usd, signed=True)}] {r.verdict}{holm}"
              if not F.missing(r.ci_low_usd) else f" ({r.verdict})")
        cells.append([r.period if first else "", f"{r.start}..{r.end}" if first else "", r.mode, F.usd(r.end_nav_usd),
                      F.usd(r.hedge_pnl_usd), F.usd(r.condor_pnl_usd),
                      "" if r.mode == base else F.usd(r.pnl_diff_usd, signed=True) + ci])
    return ["period", "window", "mode", "final NAV", "hedge P&L", "condor P&L",  # (VIS36: whose Holm family)
            f"total P&L vs {base} [95% CI], verdict, Holm p over this table's intervals"], cells


def period_table(rows: pd.DataFrame) -> list[str]:
    """The periods' table as printed (:func:`period_rows`' figures, the period named on its first row); then, per
    mode, the periods it ended ahead in, how many CIs would exclude 0 by chance and which hold after Holm's
    adjustment (:func:`vixhedge.verdicts.holm_words`), and the flat start."""
    import numpy as np

    from vixhedge.compare_family import rough_why
    from vixhedge.verdicts import chance_and_holm, holm_words, side

    base = rows["baseline"].iloc[0] if len(rows) else "-"
    head, cells = period_cells(rows)
    widths = [max(len(c[k]) for c in [head, *cells]) for k in range(len(head) - 1)]
    lines = [f"periods compared against {base} (each a plain `compare --period NAME`, its folder above):"]
    lines += [("  " + "  ".join(c.ljust(w) if k < 3 else c.rjust(w) for k, (c, w) in enumerate(zip(r, widths)))
               + f"  {r[-1]}").rstrip() for r in [head, *cells]]
    others = rows[rows["mode"] != base]
    lines += [f"{m} ended ahead of {base} on total P&L in {int((g['pnl_diff_usd'] > 0).sum())} of "
              f"{F.plural(len(g), 'period')}" for m, g in others.groupby("mode", sort=False)]
    tested = others[others["ci_low_usd"].notna()]
    names = [f"{r.mode} in {r.period} {side(r.pnl_diff_usd, r.ci_low_usd, r.ci_high_usd, 'higher')}"
             for r in tested.itertuples()]
    rough = {n: why for n, r in zip(names, tested.itertuples())  # (as its row and compare's caveats say: RS37)
             if (why := "few blocks" if "rough CI" in r.verdict else rough_why(r.sessions - 1, 0))}
    lines += chance_and_holm("no mode differed from the baseline", names,
                             tested["p_value"].to_numpy(float) if "p_value" in tested else None,
                             rows.attrs.get("ci_method", "percentile"), rows.attrs.get("n_boot"), rough)
    names, pv, rough = rows.attrs.get("pooled") or ([], [], {})
    if len({n.rsplit(" in ", 1)[1] for n in names}) > 1:  # (trial VIS35 M1)
        lines.append(f"CI caveat: each period's Holm line (under its compare above, and on its page) adjusts that "
                     f"period's intervals alone; all {len(names)} intervals of the periods' compares pooled: "
                     + holm_words(names, np.array(pv, dtype=float), rows.attrs.get("ci_method", "percentile"),
                                  rows.attrs.get("n_boot"), rough).removeprefix("CI caveat: "))
    lines.append("flat start: each period starts as a run does, with no hedge layer and no condor (README \"Where a "
                 "window starts\"): the same days inside a longer run can end otherwise (its metrics.json "
                 "named_periods)")  # (trial RS36: alvh - static -$15,852 alone in us-downgrade, +$74,341 inside)
    return lines


def periods_id(name: str, folders: list[Path] | list[str]) -> str:
    """The periods folder's name ``<name>-periods-<hash8>``, the hash of its period folders' names in order (known
    from the checks, before any period runs)."""
    import hashlib

    names = ",".join(dict.fromkeys(Path(f).name for f in folders))
    return f"{name}-periods-{hashlib.sha256(names.encode()).hexdigest()[:8]}"


def write_periods(runs_dir: Path, name: str, rows: pd.DataFrame, lines: list[str]) -> Path:
    """Write ``runs_dir/<name>-periods-<hash8>/`` (:func:`periods_id`) atomically: periods.csv (:func:`period_rows`),
    periods.txt (the table as printed; trial RS36: the table lived on stdout alone), output_files.json (their sha256)
    and report.html drawn from them (:func:`vixhedge.periods_page.draw_page`)."""
    from vixhedge.atomic import atomic_folder
    from vixhedge.periods_page import draw_page, record_files

    rid = periods_id(name, list(rows["folder"]))
    with atomic_folder(runs_dir, rid) as tmp:
        rows.to_csv(tmp / "periods.csv", index=False, lineterminator="\n")  # each float's shortest repr, as the
        # console formats it (at %.10g a P&L difference of 74316.49999... read 74316.5: +$74,317 on the page beside
        # periods.txt's +$74,316, as paired.csv's trial RS38 L1)
        (tmp / "periods.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        record_files(tmp)  # their sha256: `vixhedge report` refuses a cut or edited one (trial FUZZ37 M3)
        draw_page(tmp, rid)
    return runs_dir / rid
