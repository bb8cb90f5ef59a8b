"""A walk-forward folder's self-contained ``report.html`` (:mod:`vixhedge.walkforward`): each fold's pick and its test
period beside the baselines', the stitched tracks as a figure and a table, the picks' paired differences from each
baseline, and links to the folds' own sweep reports."""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from vixhedge import fmt as F
from vixhedge import html as H
from vixhedge.page_style import REBUILD, page_head
from vixhedge.paired_tracks import PAIRED
from vixhedge.walkforward import STATS
from vixhedge.walkforward_text import FORM, WORDS, paired_stats, values_words

TRACKS = (("picked", "picks"), ("no_hedge", "no hedge"), ("static", "static hedge"))


def fold_note(folder: Path, name: str) -> str:
    """The line a fold's own sweep report opens with (a folder ``fold-K`` holding the sweep ``NAME-foldK`` that
    :func:`vixhedge.walkforward.fold_spec` names): which walk-forward it belongs to and where its page is; else ""."""
    k = folder.name.removeprefix("fold-")
    if not (k.isdigit() and name.endswith(f"-fold{k}")):
        return ""
    return (f'<p class="sub">This sweep is fold {k} of the walk-forward {html.escape(name.removesuffix(f"-fold{k}"))}: '
            f'its in-sample split is the fold\'s fit period; the folds\' picks are judged together on '
            f'<a href="../report.html">the walk-forward\'s page</a> (written when every fold has run).</p>\n')


def walk_figure(table, plan: list, name: str, rank: str, data: str):
    """Return a matplotlib Figure: the stitched tracks' NAV index over the test periods, each new fold's test period
    dotted; titled with the sweep's ``name``, what each fold's pick was chosen on (``rank``, summary.json's
    ``rank_by``, in the page's words), the test periods and the ``data`` (visual audit FIG21: the title was
    "walkforward: walk-forward, 4 folds ranked by cvar95", a raw key and no window or data)."""
    import pandas as pd
    from matplotlib.figure import Figure

    from vixhedge.sweep_figures import wrapped
    from vixhedge.sweep_keys import RANK_BY

    fig = Figure(figsize=(11, 5))
    ax = fig.subplots()
    x = pd.to_datetime(table.index)
    for track, label in (("picked", "each fold's pick"), ("no_hedge", "no hedge"), ("static", "static hedge")):
        same = track != "picked" and (table[f"{track}_index"] == table["picked_index"]).all()  # (RS26: hidden)
        ax.plot(x, table[f"{track}_index"], lw=1.1 if track == "picked" else 0.9, ls="--" if same else "-",
                label=f"{label} (the same as the picks)" if same else label)
    for fold in plan[1:]:
        ax.axvline(pd.Timestamp(fold.fit_end), color="grey", lw=0.6, ls=":",
                   label="a new fold's test period" if fold is plan[1] else None)
    ax.set_ylabel("NAV over the test periods (1 = the first test day's start)")
    ax.grid(alpha=0.3)
    ax.legend(loc="best", fontsize=8, frameon=False)
    title = (f"sweep {name}: {len(plan)} folds, each fold's best point by {WORDS.get(rank, rank)} "
             f"({RANK_BY.get(rank, 'higher')} is better) on its fit period, judged on the test period after it\n"
             f"test periods {x[0]:%Y-%m-%d} .. {x[-1]:%Y-%m-%d} ({len(x):,} sessions), chained; data: {data}")
    ax.set_title(wrapped(title, fig.get_figwidth()), fontsize=9)
    fig.tight_layout()
    return fig


def render_walk(s: dict[str, Any], image: bytes | None, name: str) -> str:
    """The page of ``walkforward.json``'s content ``s``; ``image`` the stitched tracks' PNG."""
    from vixhedge.sweep_keys import RANK_BY
    from vixhedge.verdicts import HOLM_P_WORDS
    from vixhedge.paired_tracks import holm_cells, paired_cells
    from vixhedge.walkforward_text import IDENTICAL, base_words, chance_lines, data_words, headline_words, random_words

    rank = s["rank_by"]
    shown = FORM.get(rank, F.num)
    title = html.escape(f"vixhedge walk-forward {name}")
    parts = [page_head(title),
             f'<p class="sub">{len(s["folds"])} folds'
             f'{" (anchored: every fold fits from the window start)" if s.get("anchored") else ""}; each fold\'s '
             f"best point by {html.escape(WORDS.get(rank, rank))} "
             f"on its fit period ({RANK_BY.get(rank, 'higher')} is better), judged on the test period after it; "
             f"stitched test periods {html.escape(s['window'])} ({s['days']:,} sessions)</p>\n",
             f"<p><b>Bottom line:</b> {html.escape(headline_words(s))}.</p>\n"]
    for track, day in (s.get("ruined") or {}).items():
        parts.append(f'<div class="banner warn"><p><b>RUINED:</b> the {html.escape(track.replace("_", " "))} track on '
                     f"{html.escape(day)}: its index is 0 from then on</p></div>\n")
    model, words = data_words(s)  # (as a run's page and a comparison's: trial VIS22)
    parts += [f'<div class="banner{" warn" * model}"><p><b>Data:</b> {html.escape(words)}</p></div>\n'] if words else []
    rows = []
    for p in s["folds"]:
        t = p["test_stats"]
        # a value stays beside its key (no-break spaces), a period breaks after its first day (trial VIS22: the
        # table ran 1,665 px wide in a 1,040 px page)
        params = values_words(p["params"], s, "\u00a0=\u00a0") or "none"  # (the grid's order: trial TASK42 L1)
        rho = F.num(p["rank_correlation"], 2, signed=True) if p.get("rank_correlation") is not None else "n/a"
        fit, test = (period.replace("..", "\u00a0.. ") for period in (p["fit"], p["test"]))  # (".." kept beside a day)
        rows.append([str(p["fold"]), fit, f"{test} ({p['test_days']})", params, shown(p.get("in_sample")),
                     f"{p['test_rank']} of {p['points']}", shown(p.get("test_median")), rho,
                     *(" / ".join(FORM[k](t[track][k]) for k in STATS) for track, _ in TRACKS)])
    parts.append("<h2>Folds</h2>\n<p>Per fold: the pick (its folder's best point in sample), its ranking metric in "
                 "sample, its rank on that metric in the test period among the fold's points, the points' median "
                 "there (what any setting of the grid did), the rank correlation of the two over every point, and "
                 "Sharpe / max drawdown / CVaR 95% in the test period of the pick, no hedge and the static hedge.</p>\n")
    trio = "Sharpe / max drawdown / CVaR 95%"  # (VIS30: the triples' order was in the paragraph only)
    parts.append(H.table(["fold", "fit (calendar dates)", "test (sessions)", "pick",
                          f"in sample ({WORDS.get(rank, rank)})", "test rank", "points' median", "rank corr.",
                          *(f"{words}, test: {trio}" for _, words in TRACKS)], rows,
                         "grid", text_columns=(3,), unbroken=(1, 2)))  # (trial VIS27: "0.16 / 7.08% / 0.95%" in
    # three lines; a figure cell of a grid does not wrap: the pick's text column takes the width)
    parts.append(H.figure("walkforward.png", "The stitched test periods", "Each track's NAV over the test "
                          "periods, chained fold after fold (1 at the first test day's start); dotted: a new "
                          "fold's test period.", image))
    st = s["stitched"]
    parts.append(H.table(["track", "Sharpe", "max drawdown", "CVaR 95%", "total return"],
                         [[label, *(FORM[k](st[track][k]) for k in STATS), F.pct(st[track]["total_return"], 1)]
                          for track, label in TRACKS], "grid", text_columns=(0,)))
    rows, holm_p = [], holm_cells(s["paired"], s.get("reps"))
    for base, r in s["paired"].items():
        if r.get("identical"):
            rows.append([f"picks minus {base.replace('_', ' ')}", "every statistic", "0", "", IDENTICAL, "", ""])
            continue
        for k in paired_stats(r):  # (trial VIS35 L4: compare's table says which way is better; this one did not)
            rows.append([f"picks minus {base.replace('_', ' ')}", f"{WORDS[k]} ({PAIRED[k]} is better)",
                         *paired_cells(r[k], k), holm_p.get((base, k), "n/a"), str(r["block_days"])])
    parts.append(f"<h2>Paired differences</h2>\n<p>95% intervals, circular block bootstrap of the stitched days "
                 f"({s['reps']} draws, seed {s['seed']}); drawdown, CVaR and total return in points of %. "
                 f"{HOLM_P_WORDS}.</p>\n")
    # (trial VIS36: this page said neither what Holm p nor what undecided means)
    parts.append(H.table(["pair", "statistic", "difference", "95% CI", "verdict", "Holm\u00a0p", "block days"], rows,
                         "grid", text_columns=(0, 1, 4)))
    parts += [f"<p>{html.escape(chance)}.</p>\n" for chance in chance_lines(s)]
    if s.get("random_pick"):
        parts.append(f"<p>Against picking at random: {html.escape(random_words(s['random_pick']))}.</p>\n")
    parts += [f"<p>{html.escape(base)}.</p>\n" for base in (base_words(s.get("base_point"), s),) if base]
    parts.append("<h2>Notes</h2>\n" + "".join(f"<p>{html.escape(n)}</p>\n" for n in s["notes"]))
    links = ", ".join(f'<a href="{html.escape(p["folder"])}/report.html">fold {p["fold"]}</a>' for p in s["folds"])
    parts.append(f"<p>Each fold's sweep report: {links}.</p>\n")
    if s.get("reproduce"):
        parts.append(f"<p>Reproduce: <code>{html.escape(s['reproduce'])}</code></p>\n")
    parts.append(f"<p>{REBUILD}</p>\n</body>\n</html>\n")
    return "".join(parts)


def write_walk_page(out: Path, s: dict[str, Any], image: bytes | None, name: str) -> Path:
    """Write ``out/report.html``; return its path."""
    return H.write_page(Path(out) / "report.html", render_walk(s, image, name))


def rebuild_walk_page(folder: Path) -> Path:
    """``vixhedge report`` on a walk-forward folder: its page again from walkforward.json and walkforward.png (a
    damaged JSON file, a fold's sweep missing or damaged, is one line: :class:`vixhedge.sweep_load.
    SweepFolderError`)."""
    import json

    from vixhedge.sweep_load import SweepFolderError

    from vixhedge.sweepio import damaged_output
    from vixhedge.walkforward import STITCHED

    folder = Path(folder)
    again = f"run the walk-forward again (vixhedge sweep SPEC --walk-forward FIT,TEST --out {folder})"
    found = damaged_output(folder, STITCHED)  # (a folder from before the record: none)
    if found:
        raise SweepFolderError(f"{found[1]}: {again}")
    if not (folder / STITCHED[0]).is_file():
        raise SweepFolderError(f"{folder} is an unfinished walk-forward (its folds' sweeps in fold-K/, no "
                               f"{STITCHED[0]} yet): {again} to finish it")
    try:
        s = json.loads((folder / "walkforward.json").read_text(encoding="utf-8"))
        s["folds"], s["stitched"], s["paired"]  # noqa: B018 (the keys the page reads)
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise SweepFolderError(f"{folder / 'walkforward.json'} cannot be read ({type(exc).__name__}: {exc}): "
                               f"{again}") from None
    for p in s["folds"]:  # each fold's sweep, whose page this one links, whole (trial FUZZ37 L6: drawn without one)
        fold = folder / str(p.get("folder", ""))
        if not (fold / "summary.json").is_file():
            raise SweepFolderError(f"{fold} is missing or not a finished sweep (walkforward.json names it, fold "
                                   f"{p.get('fold')}): {again}")
        if found := damaged_output(fold):
            raise SweepFolderError(f"{found[1]}: {again}")
        if "prices" not in p:  # a folder from before the folds' prices: from each fold's summary.json
            p["prices"] = _fold_prices(folder / str(p.get("folder", "")) / "summary.json")
    png = folder / "walkforward.png"
    return write_walk_page(folder, s, png.read_bytes() if png.is_file() else None, s.get("name") or folder.name)


def _fold_prices(path: Path) -> dict[str, int] | None:
    """:func:`vixhedge.walkforward.fold_prices` of the summary.json at ``path``; None where it cannot be read."""
    import json

    from vixhedge.walkforward import fold_prices

    try:
        return fold_prices(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, AttributeError):
        return None
