"""What a run on a data directory is told about its data: rejected rows and where the real VX settles end.

A data directory's loaders set aside every row they cannot use (``bad_rows``: a zero price, a row off the exchange
calendar, a whole VX file quoted x10, :mod:`feeds.loaders`). ``vixhedge data check DIR`` lists them; a run used to
drop them silently. Each such row carries the date its loader parsed (:attr:`feeds.loaders.BadRow.day`);
:func:`window_notes` says, once per file family (SPX, VIX, VX, option chains, short rates), how many rows dated from
:data:`REACH_BARS` sessions before ``run.start`` to ``run.end`` were rejected and why, and when the real VX settles
end (or start) before or inside the run window, so the model fills the VX curve from a date the user does not see
otherwise, and a monthly VX contract whose real settles stop well before its final settlement or equal another
contract's on every session both hold (:func:`_vx_file_notes`). Which SPX monthly expiries the run's options settled on
a stale SPX open is known after the run only (:func:`feeds.provenance.data_provenance`, :mod:`feeds.staleopen`).
:func:`note_once` logs a note (logger ``vixhedge.data``) once per Market: a run, its no-hedge benchmark and a
comparison's modes share one Market and print it once.
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
from collections.abc import Collection, Iterable
from dataclasses import dataclass

from feeds.calendars import trading_days
from feeds.checklines import dates_text
from feeds.loaders import BadRow
from feeds.loaders._table import by_kind, kind_reason, spans

__all__ = ["LISTED", "Rejected", "as_rejected", "check_rates", "listing_note", "log_window_notes", "note_once",
           "window_notes"]

_SHOW_KINDS = 2  # reasons named per family note; the rest are counted
#: how many sessions before run.start a value still moves the signals visibly: (25/27)^252 ~ 4e-9 is the weight an
#: EMA(26) (MACD's slow line) still gives a value 252 bars old. A rejected row older than this is not noted, nor is a
#: history cut (vixhedge.run._check_cut)
REACH_BARS = 252
_SHOW_FILES = 3
#: a monthly contract whose real settles stop more than this many sessions before its final settlement (the data
#: running past it) is named by a run near the stop: a file without the settlement-day row is common, a month cut
#: short or another contract's file relabelled is not (robustness trial: both went into a run unseen)
STOP_SESSIONS = 5


@dataclass(frozen=True, slots=True)
class Rejected:
    """A row a loader set aside, with its file family."""

    family: str
    row: BadRow

    @property
    def day(self) -> dt.date | None:
        """The row's date as its loader parsed it (:attr:`feeds.loaders.BadRow.day`)."""
        return self.row.day


def as_rejected(family: str, rows: Iterable[BadRow]) -> list[Rejected]:
    """Return ``rows`` (bad rows of one file family) as :class:`Rejected`, grouped by file in order of first
    appearance (the order a note lists files in and breaks ties between kinds of equal count by)."""
    by_file: dict[str, list[BadRow]] = {}
    for b in rows:
        by_file.setdefault(b.file, []).append(b)
    return [Rejected(family, b) for bad in by_file.values() for b in bad]


def _kinds(rows: list[Rejected]) -> list[dict]:
    """The rows grouped by rule (their reason with its numbers blanked): the largest group, then implausible values,
    then by count; each as ``{"reason", "rows", "files"}`` worded as ``vixhedge data check`` words it (:func:`feeds.loaders._table.kind_reason`)."""
    ranked = sorted(by_kind(r.row for r in rows).values(), key=lambda g: (not g[0].implausible, -len(g)))
    largest = max(ranked, key=len, default=None)  # named first: the note must not count the most rows as "more"
    ranked = ([largest] + [g for g in ranked if g is not largest]) if largest else ranked
    return [{"reason": kind_reason(g), "rows": len(g), "files": list(dict.fromkeys(b.file for b in g))} for g in ranked]


def _family_note(family: str, rows: list[Rejected], start: dt.date, end: dt.date, root: str) -> tuple[str, dict]:
    days = sorted(r.day for r in rows if r.day is not None)
    kinds = _kinds(rows)
    shown = []
    for k in kinds[:_SHOW_KINDS]:
        more = len(k["files"]) - _SHOW_FILES
        files = k["files"][:_SHOW_FILES] + ([f"{more} more file{'s' * (more != 1)}"] if more > 0 else [])
        shown.append(f"{k['rows']} x {k['reason']} ({', '.join(files)})")
    rest = kinds[_SHOW_KINDS:]
    if rest:
        shown.append(f"{sum(k['rows'] for k in rest)} more of {len(rest)} other kind(s)")
    span = (f"dated {days[0]}" + (f"..{days[-1]}" if days[-1] != days[0] else "")) if days else "of unknown date"
    where = "before the run" if days and len(days) == len(rows) and days[-1] < start else "before or inside the run"
    note = (f"{family} files: {len(rows)} row{'s' * (len(rows) != 1)} {span}, {where} {start}..{end}, "
            f"{'were' if len(rows) != 1 else 'was'} rejected and not used (or only in part, where the reason says so): "
            f"{'; '.join(shown)}; "
            f"`vixhedge data check {root}` lists them")
    record = {"rows": len(rows), "first": str(days[0]) if days else None, "last": str(days[-1]) if days else None,
              "kinds": kinds}
    return note, record


#: the first day each hedge instrument traded: VX futures on the CFE's launch (MARKET_RULES.md: "Monthly contracts
#: listed since 2004-03-26"), VIX options on Cboe (first listed 2006-02-24). A hedge fill before it is on a contract
#: that did not exist, priced by the model alone (trial finding 1): the run says so before (:func:`listing_note`) and
#: counts the fills after (:func:`feeds.provenance.unlisted_fills`)
LISTED = {"vx_future": (dt.date(2004, 3, 26), "VX futures", "the CFE's launch, MARKET_RULES.md"),
          "vix_option": (dt.date(2006, 2, 24), "VIX options", "Cboe's launch")}


def listing_note(start: dt.date, end: dt.date, instruments: Collection[str] = tuple(LISTED)) -> str:
    """A note when the run ``start..end`` begins before one of the hedge ``instruments`` it can trade (keys of
    :data:`LISTED`) was first listed ("" otherwise: a VX-future hedge is not told of VIX options' launch)."""
    before = [(day, label, where) for key, (day, label, where) in LISTED.items() if key in instruments and start < day]
    if not before:
        return ""
    named = " and ".join(f"{label} on {day} ({where})" for day, label, where in before)
    fix = " or ".join(f"{day} or later ({label})" for day, label, _ in before)
    return (f"listing: the run {start}..{end} begins before {named} were first listed: a hedge fill before that date "
            "is on a contract that did not exist, priced by the model alone (the data line counts them after the "
            f"run): read the hedge before it as the model's, or start the run on {fix}")


def vx_end_note(market, first_day: int, last_day: int) -> str:
    """The data line's sentence when the real VX settles end inside market days ``first_day..last_day`` of a run that
    held VX futures ("" otherwise): the run's notes say so before it runs, on stderr (:func:`_vx_span_notes`), which
    ``-q`` silences, and the data line's "anchored on real" share did not say where (trial RS31: a run to 2025-03-31
    read "VX futures 97% real, 3% anchored on real")."""
    span = market.vx_panel.span if market.vx_panel is not None else None
    if span is None or not market.days[first_day] <= span[1] < market.days[last_day]:
        return ""
    after = sum(1 for d in market.days[first_day:last_day + 1] if d > span[1])
    return (f"The real VX settles end on {span[1]}, inside this window: the VX prices of its last "
            f"{after:,} session{'s' * (after != 1)} are the model's, moved from each contract's last real settle "
            "where it has one, else the model alone")


def _vx_span_notes(market, start: dt.date, end: dt.date) -> list[str]:
    """The notes when the real VX settles end before ``end`` and when they start after ``start`` (both when both
    apply: trial finding 1 was told only of the end)."""
    span = market.vx_panel.span if market.vx_panel is not None else None
    if span is None:
        return []
    first, last = span
    notes = []
    if last < end:
        after = next((d for d in market.days if d > last), None)
        where = "before the run" if last < start else "inside the run"
        notes.append(f"VX files: the real VX settles end on {last}, {where} {start}..{end}: from {after} every VX "
                     "price is the model's, moved from each contract's last real settle where it has one (counted as "
                     "'anchored on real' in the data line), else the model alone: add VX files that reach run.end or "
                     f"end the run by {last}")
    if first > start:
        where = "after the run" if first > end else "inside the run"
        notes.append(f"VX files: the real VX settles start on {first}, {where} {start}..{end}: before that every VX "
                     f"price is the model's: add VX files from {start} or start the run on {first} or later")
    notes += _vx_gap_notes(market, max(first, start), min(last, end), start, end)
    return notes


def _vx_gap_notes(market, lo: dt.date, hi: dt.date, start: dt.date, end: dt.date) -> list[str]:
    """A note naming the sessions ``lo..hi`` (inside the real settles' span and the run) with no real settle of any
    VX contract (trial H: a week of them missing was told only as "1% anchored" in the data line; none on
    ../shared/data 2004-2025)."""
    have = market.vx_panel.trade_days
    missing = [d for d in market.days if lo <= d <= hi and d not in have]
    if not missing:
        return []
    return [f"VX files: no real VX settle on {len(missing)} session(s) inside the run {start}..{end} "
            f"{dates_text(missing)}: every VX price of those days is the model's moved from each contract's last real "
            "settle (counted as 'anchored on real' in the data line): add the VX files' rows of those days"]


def _vx_file_notes(market, first: dt.date, start: dt.date, end: dt.date) -> list[str]:
    """The notes on the VX files near the run (dated ``first..end``): a monthly contract whose real settles stop more
    than :data:`STOP_SESSIONS` sessions before its final settlement (:attr:`feeds.loaders.vx.VxPanel.stops`), and two
    monthly contracts with the same settle on every session both hold (:attr:`~feeds.loaders.vx.VxPanel.copies`)."""
    panel = market.vx_panel
    notes = []
    for s in getattr(panel, "stops", ()):
        missing = trading_days(s.last + dt.timedelta(days=1), s.expiry)
        if len(missing) <= STOP_SESSIONS or not first <= s.last <= end:
            continue
        notes.append(f"VX files: the real settles of VX expiring {s.expiry} stop on {s.last} ({s.file}), "
                     f"{len(missing)} sessions before its final settlement, while the data run past it, near the run "
                     f"{start}..{end}: from {missing[0].date()} its marks are the model's moved from that last settle "
                     "(counted as 'anchored on real' in the data line), not the exchange's: check that "
                     f"{s.file} is that contract's whole file (cut short? another contract's data?) and give its "
                     "missing rows")
    for c in getattr(panel, "copies", ()):
        if c.last >= first and c.first <= end:
            notes.append(f"VX files, near the run {start}..{end}: {c.note}; the run prices both contracts on these "
                         "settles")
    return notes


def _skipped_months_note(market, start: dt.date, end: dt.date) -> list[str]:
    """A note when the VX files show the exchange listing only some months in ``start..end`` within the reach of
    a layer (the front six): :attr:`feeds.vxcurve.VxCurve.unlisted`."""
    vx = getattr(market, "vx", None)  # (a test's stand-in market may have none)
    if vx is None:
        return []
    cols = vx.skipped_near(bisect.bisect_left(market.days, start), bisect.bisect_right(market.days, end), 6)
    if not cols:
        return []
    months = [vx.contracts[j].settlement for j in cols]
    shown = ", ".join(f"{d:%Y-%m}" for d in months[:4]) + (f" and {len(months) - 4} more" if len(months) > 4 else "")
    return [f"VX listing: in {start}..{end} the VX files hold no settle yet of some months while a later month has "
            f"one ({shown}): the exchange had not listed them (the CFE listed a few months at a time until 2008), or "
            "their files are missing; layers count contract months among those with settles and never open on "
            "these (the MACD's 30-day series interpolates them between real neighbours): if a file is missing, add "
            "it"]


def _frozen_notes(market, first: dt.date, start: dt.date, end: dt.date) -> list[str]:
    """A note per index file with a frozen feed (:func:`feeds.staleopen.frozen_runs`) dated ``first..end``."""
    from feeds.staleopen import FROZEN_ROWS, frozen_text

    by_file: dict[str, list[tuple]] = {}
    for name, a, b, rows in market.data.frozen:
        if b >= first and a <= end:
            by_file.setdefault(name, []).append((a, b, rows))
    return [f"{name}: the same open, high, low and close on {FROZEN_ROWS} or more sessions in a row (a frozen "
            f"feed?), near the run {start}..{end}: {frozen_text(runs, 3, ' and {n} more')}"
            "; the rows are used as they are: check them against the source (`vixhedge data check` lists them)"
            for name, runs in by_file.items()]


def window_notes(market, start: dt.date, end: dt.date,
                 instruments: Collection[str] = tuple(LISTED)) -> tuple[list[str], dict]:
    """Return the notes for a run of ``market`` on ``start..end`` (its hedge able to trade ``instruments``, keys of
    :data:`LISTED`) and the manifest's record of them.

    The record is ``{"data_rejected_rows": {family: {rows, first, last, kinds: [{reason, rows, files}]}},
    "data_notes": [...]}``
    with only the non-empty keys ({} for a market without a data directory or with nothing to say).
    """
    rejected = market.rejected
    root = market.data.source.removeprefix("directory:")
    by_family: dict[str, list[Rejected]] = {}
    days = market.days
    first = days[max(0, bisect.bisect_left(days, start) - REACH_BARS)]  # rows before it move no signal visibly
    for r in rejected:
        if r.day is None or first <= r.day <= end:
            by_family.setdefault(r.family, []).append(r)
    notes, record = [], {}
    for family, rows in by_family.items():
        note, record[family] = _family_note(family, rows, start, end, root)
        notes.append(note)
    notes += _frozen_notes(market, first, start, end)
    notes += _vx_span_notes(market, start, end)
    notes += _vx_file_notes(market, first, start, end)
    notes += _skipped_months_note(market, start, end) if instruments else []  # (no hedge: no layer to skip them)
    if not market.data.source.startswith("synthetic"):  # a synthetic path's dates are no market's history
        listed = listing_note(start, end, instruments)
        notes += [listed] if listed else []
    if market.data.source.startswith("directory:") and market.vol_indices is None:
        notes.append(no_vol_indices_note())  # (trial DF26: the surface's source changed with no word)
    out = {"data_rejected_rows": record} if record else {}
    return notes, {**out, **({"data_notes": notes} if notes else {})}


def no_vol_indices_note() -> str:
    """The note of a data directory without the Cboe vol-index table."""
    from feeds.loaders.volindex import WIDE_FILE

    return (f"vol indices: the data directory has no Cboe vol-index table ({WIDE_FILE.as_posix()}): the SPX "
            "surface's term structure and skew come from VIX through the fitted relations, as on the embedded market")


def note_once(market, text: str, logger: str = "vixhedge.data") -> None:
    """Log ``text`` (a warning of ``logger``) unless it was logged already for ``market``."""
    log = logging.getLogger(logger)
    if text in market.notes_logged or not log.isEnabledFor(logging.WARNING):  # a quiet run (a sweep point) marks none
        return
    market.notes_logged.add(text)
    log.warning("%s", text)


def check_rates(market, start: dt.date, end: dt.date) -> None:
    """Raise DataError when the market's short-rate file does not cover the sessions ``start..end``
    (:func:`feeds.loaders.rates.uncovered`): one line naming the file, the uncovered dates and the fix."""
    from feeds.loaders.rates import RATE_FIX, stale_limit, uncovered
    from feeds.marketdata import DataError

    series = market.rate_series
    if series is None:
        return
    runs = uncovered(series, [d for d in market.days if start <= d <= end])
    if not runs:
        return
    shown = spans(runs, 3, " and {n} more span(s)")
    first, last = (str(d) for d in series.dates[[0, -1]])
    raise DataError(f"{series.source}: the short rates do not cover the run {start}..{end}: the sessions {shown} "
                    f"have no value in the {stale_limit(series)} business days before them (the file holds "
                    f"{first}..{last}; carrying a rate further would price and credit interest at a rate the file "
                    f"does not hold): fill the file's gap or {RATE_FIX.format(source=series.source)}, move the run "
                    "inside the file's values, or remove the file to use the shipped monthly DFF means")


def log_window_notes(market, start: dt.date, end: dt.date, instruments: Collection[str] = tuple(LISTED)) -> None:
    """Refuse a window the short-rate file does not cover (:func:`check_rates`), then log :func:`window_notes` once
    per Market (:func:`note_once`); no note is computed when the log is quiet."""
    check_rates(market, start, end)
    if logging.getLogger("vixhedge.data").isEnabledFor(logging.WARNING):
        for note in window_notes(market, start, end, instruments)[0]:
            note_once(market, note)
