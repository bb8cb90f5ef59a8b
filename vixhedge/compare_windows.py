"""Compare over rolling windows: the same compare on every window of a length, stepped through a range, on ONE market.

``vixhedge compare --windows 5y/3m`` (:mod:`vixhedge.cli_windows`) asks whether a verdict is a property of the
method or of the day the backtest starts (trial RS33: 140 separate compares, each rebuilding the market). A window
of LENGTH starts at the first session on or after ``range start + k * STEP`` and ends at the last session before
that date + LENGTH; the windows whose end lies within the range's end are compared, each through
:func:`vixhedge.compare.compare` with the config's ``run.start``/``run.end`` replaced (the market does not depend on
the window: a window's numbers are a plain compare's). Each window starts flat, as a run does (README *Where a
window starts*). The summary's words: :mod:`vixhedge.compare_windows_text`.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np

from vixhedge.core import config as C

__all__ = ["Window", "WindowSpec", "parse_windows", "window_list", "check_windows", "compare_windows",
           "window_rows", "ROW_COLUMNS", "STAT_COLUMNS"]

DEFAULT_STEP_MONTHS = 3  # --windows LENGTH without /STEP
MAX_MONTHS = 12 * 45  # a LENGTH or STEP longer than the 1990..2035 calendar (feeds.calendars) is refused
#: LENGTH[/STEP] as the help writes it: ASCII digits, units y and m in lower case, nothing around it (strip(),
#: lower() and \d also took ' 2m', '2m\n', '2M' and an Arabic-Indic '٢m': trial FUZZ37 L1)
_SPEC = re.compile(r"([0-9]+)([ym])(?:/([0-9]+)([ym]))?")
EXAMPLE = "e.g. 5y/3m (5-year windows, one starting every 3 months) or 18m (STEP 3m by default)"


@dataclass(frozen=True)
class WindowSpec:
    """``--windows LENGTH[/STEP]`` in months, and as given (``text``)."""

    length_months: int
    step_months: int
    text: str

    @property
    def canonical(self) -> str:
        """``LENGTH/STEP`` as the folder records it, in whole years where it can (``60m`` and ``5y/3m``: ``5y/3m``):
        the same windows, the same windows.json (trial DET32 M3)."""
        span = lambda months: f"{months // 12}y" if months % 12 == 0 else f"{months}m"  # noqa: E731
        return f"{span(self.length_months)}/{span(self.step_months)}"


@dataclass(frozen=True)
class Window:
    """One window: its first and last sessions and how many it holds."""

    start: dt.date
    end: dt.date
    sessions: int


def parse_windows(text: str, flag: str = "--windows") -> WindowSpec:
    """Return ``LENGTH[/STEP]`` (units y and m; STEP 3m when left out) as months; ConfigError when malformed."""
    m = _SPEC.fullmatch(text) if isinstance(text, str) else None
    if not m:
        raise C.ConfigError(f"{flag} {text!r} is malformed: write LENGTH[/STEP], each the digits 0-9 and y (years) or "
                            f"m (months) in lower case, nothing around them, {EXAMPLE}")
    length = int(m[1]) * (12 if m[2] == "y" else 1)
    step = DEFAULT_STEP_MONTHS if m[3] is None else int(m[3]) * (12 if m[4] == "y" else 1)
    if length < 1 or step < 1:
        raise C.ConfigError(f"{flag} {text!r}: LENGTH and STEP must be 1 month or more, {EXAMPLE}")
    if max(length, step) > MAX_MONTHS:  # (review 29: 22y reached past the calendar, an internal error)
        raise C.ConfigError(f"{flag} {text!r}: LENGTH and STEP must be {MAX_MONTHS // 12} years or less (the "
                            f"calendar's dates), {EXAMPLE}")
    return WindowSpec(length, step, text)


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` + ``months`` calendar months, the day clamped to the month's last (01-31 + 1 month: 02-28/29)."""
    y, m = divmod(day.month - 1 + months, 12)
    year, month = day.year + y, m + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window_list(start: dt.date, end: dt.date, spec: WindowSpec) -> list[Window]:
    """Return the windows of ``spec`` in ``start..end`` (XNYS sessions, :func:`feeds.calendars.trading_days`): the
    k-th starts at the first session on or after ``start + k * STEP`` and ends at the last session before that date
    + LENGTH; the windows whose end is after ``end`` are left out (the list stops at the first)."""
    from feeds import calendars

    out: list[Window] = []
    while (anchor := add_months(start, len(out) * spec.step_months)) <= end:
        stop = add_months(anchor, spec.length_months) - dt.timedelta(days=1)
        if stop > end + dt.timedelta(days=14):  # its last session is after ``end`` (and may be past the calendar)
            break
        days = calendars.trading_days(anchor, stop)
        if not len(days) or days[-1].date() > end:
            break
        out.append(Window(days[0].date(), days[-1].date(), len(days)))
    return out


def check_windows(cfg: C.Config, spec: WindowSpec, period: str | None = None) -> list[Window]:
    """Return the windows of ``spec`` in ``cfg``'s run.start..run.end; one ConfigError line, before any work, when
    ``--period`` is given too, a window holds fewer sessions than compare's bootstrap needs, or the range holds
    fewer than 2 windows."""
    from vixhedge.sweep_spec import MIN_SIDE_SESSIONS

    if period:
        raise C.ConfigError(f"--windows {spec.text} steps windows through run.start..run.end; --period {period} sets "
                            "the window: drop one of them")
    run = cfg.run
    wins = window_list(run.start, run.end, spec)
    short = min(wins, key=lambda w: w.sessions, default=None)
    if short is not None and short.sessions < MIN_SIDE_SESSIONS:
        raise C.ConfigError(f"--windows {spec.text}: the window {short.start}..{short.end} holds {short.sessions} "
                            f"sessions: compare's paired bootstrap needs at least {MIN_SIDE_SESSIONS}: give a longer "
                            "LENGTH")
    if len(wins) < 2:
        from vixhedge.compare_windows_text import months_words

        held = f"holds {len(wins)} window" + ("s" * (len(wins) != 1))
        raise C.ConfigError(f"--windows {spec.text}: run.start..run.end = {run.start}..{run.end} {held} of "
                            f"{months_words(spec.length_months)}: compare over windows needs 2 or more: widen the "
                            "range (--start/--end) or shorten LENGTH or STEP")
    return wins


def window_config(cfg: C.Config, w: Window) -> C.Config:
    """``cfg`` on window ``w`` (its first and last sessions: a plain compare of the window runs the same)."""
    return C.replace(cfg, run={"start": w.start, "end": w.end})


#: windows.csv's columns before the paired statistics'
ROW_COLUMNS = ("window", "start", "end", "sessions", "mode", "baseline", "end_nav_usd", "baseline_end_nav_usd",
               "nav_diff_usd", "hedge_pnl_usd", "baseline_hedge_pnl_usd", "condor_pnl_usd",
               "baseline_condor_pnl_usd", "days_with_margin_call", "baseline_days_with_margin_call",
               "capital_needed_usd", "baseline_capital_needed_usd", "ruined", "baseline_ruined", "ad_rules_off")
#: per paired statistic (compare's STATS): its columns' suffixes (paired.csv's words)
STAT_COLUMNS = ("diff", "ci_low", "ci_high", "verdict", "ci_borderline")


#: a window's Sharpe verdict where a leg's is n/a by its run's rule (compare_text.PAIRED_NO_RATIO's, without its
#: table and paired.csv, which a windows folder does not have: the window's own compare has them)
WINDOW_NO_RATIO = "no verdict: {m}'s Sharpe is n/a (a ruined or flat book; the window's compare computes it)"


def verdict_word(r) -> str:
    """A paired row's verdict without its tags: better, worse, unclear, or compare's 'no verdict: ...' words
    (:func:`vixhedge.verdicts.verdict_words`; the borderline tag is its own column)."""
    from vixhedge.compare_rows import BETTER
    from vixhedge.verdicts import verdict_words

    if isinstance(leg := getattr(r, "na_leg", None), str):  # (RS34: a windows folder has no table, no paired.csv)
        return WINDOW_NO_RATIO.format(m=leg)
    if not np.isfinite(r.diff):
        return "n/a (undefined)"
    words = verdict_words(r.diff, r.ci_low, r.ci_high, BETTER[r.stat], str(r.ci_method))
    return words if words.startswith("no verdict") else words.split(" (")[0]


def window_rows(k: int, w: Window, cmp) -> list[dict]:
    """Return windows.csv's rows of one window's Comparison: one per mode other than the baseline."""
    from vixhedge.compare import STATS
    from vixhedge.compare_text import baseline, shown_paired

    base, t, p = baseline(cmp), cmp.table, shown_paired(cmp)
    rows = []
    for m in (str(c) for c in t.columns if str(c) != base):
        row = {"window": k, "start": w.start.isoformat(), "end": w.end.isoformat(), "sessions": w.sessions,
               "mode": m, "baseline": base}
        for key in ("end_nav_usd", "hedge_pnl_usd", "condor_pnl_usd"):
            row[key], row[f"baseline_{key}"] = float(t.at[key, m]), float(t.at[key, base])
        row["nav_diff_usd"] = row["end_nav_usd"] - row["baseline_end_nav_usd"] + 0.0
        for key, kind in (("days_with_margin_call", int), ("capital_needed_usd", float)):  # (trial RS40 M4)
            row[key], row[f"baseline_{key}"] = (kind(cmp.results[x].metrics["capital"][key]) for x in (m, base))
        # the ruin's day, "" where none (trial RS34: a window's ruin was a stderr note alone, and none under -q)
        row["ruined"], row["baseline_ruined"] = ((cmp.results[k].metrics.get("ruin") or {}).get("date") or ""
                                                 for k in (m, base))
        row["ad_rules_off"] = ",".join(ad_rules_off(cmp.results[m]))
        for r in p[p["mode"] == m].itertuples():
            row.update({f"{r.stat}_diff": float(r.diff), f"{r.stat}_ci_low": float(r.ci_low),
                        f"{r.stat}_ci_high": float(r.ci_high), f"{r.stat}_verdict": verdict_word(r),
                        f"{r.stat}_ci_borderline": bool(r.ci_borderline)})
        rows.append({c: row.get(c) for c in (*ROW_COLUMNS, *(f"{s}_{x}" for s in STATS for x in STAT_COLUMNS))})
    return rows


AD_RULES = ("fomc_cadence", "event_window", "ad_filter")  # the alvh rules that read the A/D line


def ad_rules_off(res) -> list[str]:
    """The A/D-dependent rules of a mode's run that could not act for want of an A/D row on its sessions
    (:func:`strategies.rulesoff.rules_off`; trial RS33 1e: the shared A/D file covers 2023-06..2026-06 only, so
    "alvh" is not the same policy in a window before it); [] for the others."""
    from strategies.rulesoff import rules_off

    off = rules_off(res.config.hedge, res.metrics.get("policy_notes") or (), res.metrics.get("ad_uncovered") or "")
    return [r for r in AD_RULES if "A/D" in off.get(r, "")]


@dataclass
class WindowsResult:
    """What :func:`compare_windows` returns: the rows (windows.csv) and the modes' data provenance summed over the
    windows (the data line)."""

    rows: list[dict]
    provenance: dict


def compare_windows(cfg: C.Config, market, windows: list[Window], on_window: Callable[[], object] | None = None,
                    workers: int = 1, **compare_args) -> WindowsResult:
    """Run :func:`vixhedge.compare.compare` (``compare_args``: modes, baseline, n_boot, block_days, ci_method, engine,
    variants) on each window of ``windows`` on ``market``; ``on_window`` after each. Only each window's rows and its
    runs' data provenance are kept (57 windows of 3 runs on real data would not fit in memory). ``workers`` > 1: the
    windows in that many forked processes (:func:`in_workers`), merged in window order: the same result and notes
    (trial PERF36: 57 real windows, 95 s on one core)."""
    from feeds.provenance import combined, note_kind

    rows: list[dict] = []
    provs: dict[str, dict[str, dict]] = {}
    seen, dropped = set(), 0  # the notes' kinds (digits masked) an earlier window gave; how many later ones left out
    done = (in_workers(cfg, market, windows, workers, on_window, compare_args) if workers > 1 else
            (_compared(cfg, market, k, w, compare_args, on_window) for k, w in enumerate(windows, 1)))
    for (rows_k, provs_k), w in zip(done, windows):  # (done first: a pool's generator runs to its end)
        rows += rows_k
        here = set()
        for m, p in provs_k.items():
            notes = [n for n in p.get("notes", ()) if note_kind(n) not in seen]
            dropped += len(p.get("notes", ())) - len(notes)
            here |= {note_kind(n) for n in notes}
            provs.setdefault(m, {})[w.start.isoformat()] = {**p, "notes": notes}
        seen |= here
    per_mode = {m: combined(ps) for m, ps in provs.items()}  # (a note of some windows only names their starts)
    out = combined(per_mode) if per_mode else {}
    if dropped:  # (57 real windows' banner held every window's note of each kind: 12 on the embedded 6)
        out["notes"] = [*out["notes"], f"{dropped} more data notes of these kinds from later windows, left out (a "
                                        "plain compare of a window gives its own)"]
    return WindowsResult(rows, out)


def _compared(cfg: C.Config, market, k: int, w: Window, compare_args: dict,
              on_window: Callable[[], object] | None = None) -> tuple[list[dict], dict[str, dict]]:
    """Window ``k``'s rows (:func:`window_rows`) and its modes' data provenance, its compare dropped."""
    from vixhedge.compare import compare

    cmp = compare(window_config(cfg, w), market, **compare_args)
    out = window_rows(k, w, cmp), {str(m): r.metrics["data_provenance"] for m, r in cmp.results.items()
                                   if "data_provenance" in r.metrics}
    if on_window is not None:
        on_window()
    return out


_SHARED: dict = {}  # what a forked worker inherits: the config, the market, compare's arguments (set before the fork)


def _window_in_worker(k: int, w: Window) -> tuple[list[dict], dict[str, dict], list, set[str]]:
    """Window ``k`` in a worker: :func:`_compared`, the notes its runs logged, kept for the parent to print, and the
    once-per-market notes it logged first in this worker (``Market.notes_logged``,
    :func:`feeds.datanotes.note_once`)."""
    from vixhedge import progress

    market = _SHARED["market"]
    before = set(market.notes_logged)
    with progress.kept_notes() as notes:
        rows, provs = _compared(_SHARED["cfg"], market, k, w, _SHARED["args"])
    return rows, provs, notes, market.notes_logged - before


def in_workers(cfg: C.Config, market, windows: list[Window], workers: int, on_window: Callable[[], object] | None,
               compare_args: dict) -> Iterator[tuple[list[dict], dict[str, dict]]]:
    """Yield each window's :func:`_compared` in window order, the windows run in ``workers`` forked processes (the
    market built once, inherited); ``on_window`` as each finishes, whatever its order; each window's notes printed
    (:func:`vixhedge.progress.replay`) when its turn comes, as one process prints them: a note said once per market
    is said by each worker's copy, so the parent keeps the market's record and drops a repeat (as it would not have
    been logged in one process: the notes: line's count of repeats, 367 for 365 on 57 real windows). Ctrl-C stops the
    workers, and the words of a failure or an interrupt are one process's (:func:`vixhedge.sweep_worker.as_finished`,
    as a placebo's)."""
    from vixhedge import progress, sweep_worker

    _SHARED.update(cfg=cfg, market=market, args=compare_args)
    finished: dict[int, tuple] = {}
    pooled = sweep_worker.as_finished(_window_in_worker, list(enumerate(windows, 1)), workers, "compare --windows")
    try:
        for k in range(1, len(windows) + 1):
            while k not in finished:
                i, out = next(pooled)
                finished[i + 1] = out
                if on_window is not None:
                    on_window()
            rows, provs, notes, once = finished.pop(k)
            said = once & market.notes_logged  # (a once-per-market note another worker's earlier window said)
            market.notes_logged |= once
            progress.replay([n for n in notes if not any(n[3].endswith(text) for text in said)])
            yield rows, provs
    finally:
        pooled.close()  # (the pool stopped, its workers ended, whatever ended this generator)
        _SHARED.clear()
