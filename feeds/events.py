"""Scheduled macro events the policy reads: FOMC decisions, CPI and PPI releases (package data + loader; build
takes under a second).

The package ships ``feeds/calendar_data/events.csv``: the scheduled FOMC statement dates and the BLS
CPI and PPI release dates 2000-2026 (public schedules, published ahead of the dates, so a window
opening before a release is not look-ahead). It is derived by this module from the
``fomc_cpi_macro_calendar`` folder of ../shared/data (Federal Reserve FOMC calendars and BLS release
schedules, as compiled there)::

    python -m feeds.events build ../shared/data/fomc_cpi_macro_calendar    # rewrites the package file

Derivation: FOMC = the ``scheduled`` rows of ``fomc_announcements_2000_2027.csv`` (intermeeting
actions are not known in advance and are left out); CPI = ``us_cpi_release_dates_2000_2026.csv``
(its eight January year errors already corrected there); PPI = the ``ppi`` rows of
``macro_events_2000_2027_original.csv``, where the same year error is corrected here (a January
release whose reference period is December of the same year is moved one year later). The packaged file keeps
the dates up to :data:`LAST_DAY`, 2026-12-31 (schedules, not events).

A run on a data directory that holds that folder (:func:`find_folder`) derives its dates from it the same way
(:func:`folder_dates`), where the config names no calendar file (``hedge.fomc.calendar_csv``,
``hedge.events.calendar_csv``): the files it read are in the manifest's ``data_files``
(:mod:`strategies.signalset`). Those dates are the folder's own, every one: no LAST_DAY cut-off (review finding 7:
2027's eight FOMC meetings in the shared folder were dropped silently). The shared folder gives the packaged file's
dates exactly up to LAST_DAY (a test checks it), and its 2027 FOMC meetings after it.

File layout (also of a file ``hedge.events.calendar_csv`` names; ``hedge.fomc.calendar_csv`` takes another,
``announcement_date,type``: :mod:`feeds.fomc`)::

    # any comment lines
    date,event
    2000-01-14,cpi
    ...
    # rows: 1037

``event`` is one of ``fomc``, ``cpi``, ``ppi``; dates ISO, ascending, a (date, event) pair once; the
``# rows: N`` trailer must give the number of data rows, so a truncated file is detected. Every
error is one line naming the file, the line, the value and the fix (:class:`EventsError`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from vixhedge import argtypes
from vixhedge.guard import Parser

if TYPE_CHECKING:  # (numpy and the CSV reader are imported where a folder is derived: --help stays light)
    import numpy as np

    from feeds.loaders._table import Table

PROG = "python -m feeds.events"
SOURCES = ("fomc_announcements_2000_2027.csv", "us_cpi_release_dates_2000_2026.csv",
           "macro_events_2000_2027_original.csv")


EPILOG = """examples:
  python -m feeds.events build ../shared/data/fomc_cpi_macro_calendar
        rewrites the packaged feeds/calendar_data/events.csv (the dates a run reads where neither its config
        nor its data directory gives a calendar)
  python -m feeds.events build ../shared/data/fomc_cpi_macro_calendar --out my_events.csv
        writes my_events.csv instead, the packaged file untouched
"""


def parser() -> Parser:
    """Return the command's parser (built before ``feeds.marketdata``, which loads pandas: ``--help`` is instant)."""
    p = Parser(prog=PROG, description=__doc__.split("\n\n")[0], epilog=EPILOG,
               formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = p.add_subparsers(dest="command", required=True, title="commands", metavar="COMMAND")
    b = sub.add_parser("build", help="derive the package's events.csv from the shared calendar folder",
                       description="Derive the FOMC / CPI / PPI calendar from the fomc_cpi_macro_calendar folder "
                                   f"({', '.join(SOURCES)}), write it and print what each event covers.")
    b.add_argument("source_dir", type=argtypes.path, metavar="SOURCE_DIR",
                   help="the fomc_cpi_macro_calendar folder (../shared/data/fomc_cpi_macro_calendar)")
    b.add_argument("--out", type=argtypes.path, metavar="FILE",
                   help="file to write (default: the packaged feeds/calendar_data/events.csv, rewritten)")
    return p


if __name__ == "__main__":  # --help and usage errors answer before feeds.marketdata loads pandas
    parser().parse_args()

from feeds.marketdata import DataError  # noqa: E402
from vixhedge.core.config.load import read_utf8  # noqa: E402

__all__ = ["EVENTS", "EventsError", "FOLDER", "MACRO_EVENTS", "build", "coverage", "dates", "derive", "find_folder",
           "folder_dates", "folder_files", "folder_notes", "load", "packaged_path", "source_dates"]

EVENTS = ("fomc", "cpi", "ppi")  # in the order of SOURCES
FOLDER = "fomc_cpi_macro_calendar"  # a data directory's calendar sources (find_folder)
HEADER = "date,event"
LAST_DAY = dt.date(2026, 12, 31)


class EventsError(DataError):
    """An event calendar file is missing, malformed or truncated (a DataError: the CLI prints its one line)."""


def packaged_path() -> Path:
    return Path(str(resources.files("feeds") / "calendar_data" / "events.csv"))


def load(path: str | Path | None = None) -> dict[str, tuple[dt.date, ...]]:
    """Return ``{event: sorted dates}`` of an events file (default: the packaged one).

    Raises
    ------
    EventsError
        One line naming the file, the line, the value and the fix: missing file or header, a bad
        date or event name, rows out of order or repeated, a missing or wrong ``# rows:`` trailer.
    """
    path = str(path) if path is not None else str(packaged_path())
    return _load(path, file_stamp(path))


def file_stamp(*paths: str | Path) -> tuple:
    """Return (mtime_ns, size) of each file (None where it cannot be read): a cache key beside the paths, so a file
    edited or replaced in a long-lived process (a notebook) is read again, and a run's manifest hashes what it used
    (review finding 4)."""
    out = []
    for p in paths:
        try:
            st = os.stat(p)
            out.append((st.st_mtime_ns, st.st_size))
        except OSError:
            out.append(None)
    return tuple(out)


@functools.lru_cache(maxsize=8)
def _load(path: str, _stamp: tuple = ()) -> dict[str, tuple[dt.date, ...]]:
    from feeds.loaders.fileerrors import not_a_file

    if why := not_a_file(path):  # a FIFO blocked, /dev/zero was read until memory ran out (trial FUZZ33 M2, L7)
        raise EventsError(f"event calendar {path!r} {why}")
    try:
        lines = read_utf8(path, EventsError).splitlines()  # a UTF-8 byte-order mark is dropped
    except FileNotFoundError:
        raise EventsError(f"event calendar {path!r} does not exist: check the path (hedge.events.calendar_csv "
                          "or hedge.fomc.calendar_csv)") from None
    out: dict[str, list[dt.date]] = {e: [] for e in EVENTS}
    header_seen, trailer, rows, last = False, None, 0, (dt.date.min, "")
    for n, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("#"):
            if line.startswith("# rows:"):
                try:
                    trailer = (n, int(line.split(":", 1)[1]))
                except ValueError:
                    raise EventsError(f"{path}:{n}: trailer {line!r} is not '# rows: <count>': fix it") from None
            continue
        if trailer is not None:
            raise EventsError(f"{path}:{n}: row {line!r} after the '# rows:' trailer: the trailer must be last")
        if not header_seen:
            if line != HEADER:
                raise EventsError(f"{path}:{n}: header {line!r} must be {HEADER!r}")
            header_seen = True
            continue
        parts = line.split(",")
        if len(parts) != 2:
            raise EventsError(f"{path}:{n}: row {line!r} needs 2 fields (date,event)")
        try:
            day = dt.date.fromisoformat(parts[0].strip())
        except ValueError:
            raise EventsError(f"{path}:{n}: date {parts[0]!r} is not a YYYY-MM-DD date: fix the row") from None
        event = parts[1].strip()
        if event not in EVENTS:
            raise EventsError(f"{path}:{n}: event {event!r} is not one of {list(EVENTS)}: fix the row")
        if (day, event) <= last:
            what = "repeats" if (day, event) == last else "is out of order"
            raise EventsError(f"{path}:{n}: row {day},{event} {what}: sort by date then event, each pair once")
        last = (day, event)
        out[event].append(day)
        rows += 1
    if not header_seen:
        raise EventsError(f"{path}: no {HEADER!r} header: the file is empty or not an event calendar")
    if trailer is None:
        raise EventsError(f"{path}: no '# rows: N' trailer after {rows} rows: the file is truncated "
                          "(or add the trailer)")
    if trailer[1] != rows:
        raise EventsError(f"{path}:{trailer[0]}: trailer says {trailer[1]} rows but the file has {rows}: "
                          "the file is truncated or edited; rebuild it")
    return {e: tuple(v) for e, v in out.items()}


def dates(events: tuple[str, ...], path: str | Path | None = None) -> tuple[dt.date, ...]:
    """Return the sorted union of the dates of ``events`` in a calendar file."""
    table = load(path)
    return tuple(sorted({d for e in events for d in table[e]}))


def coverage(days: tuple[dt.date, ...]) -> tuple[dt.date, dt.date] | None:
    """Return the span a calendar covers (1 Jan of its first year .. 31 Dec of its last), None if empty."""
    if not days:
        return None
    return dt.date(days[0].year, 1, 1), dt.date(days[-1].year, 12, 31)


# --------------------------------------------------------------------------- derivation

_FIX = "fix the row, or name a calendar file in hedge.fomc.calendar_csv / hedge.events.calendar_csv"
_FIX_FILE = _FIX.replace("the row", "the file")


def _table(file: Path, columns: tuple[str, ...]) -> Table:
    """The cells of source file ``i`` read as every loader reads a CSV (:func:`feeds.loaders._table.read_table`:
    UTF-8, no row cut or with a field more or less than the header, not empty), or one EventsError line naming the
    file and line (loader fuzz, session 13: a file cut mid-line, a row with an extra field and an empty file were
    read as if whole)."""
    from feeds.loaders._table import LoadError, read_table

    try:
        return read_table(file, columns)
    except LoadError as exc:
        raise EventsError(f"{exc}: {_FIX_FILE}") from None


def build(source_dir: str | Path, out: str | Path | None = None) -> Path:
    """Derive the package's events.csv from the shared ``fomc_cpi_macro_calendar`` folder; return its path.

    Raises
    ------
    EventsError
        ``source_dir`` is not a folder or lacks one of the :data:`SOURCES` files (checked before anything is read).
    """
    rows = [r for r in derive(source_dir) if r[0] <= LAST_DAY]  # the packaged file's span (module docstring)
    target = Path(out) if out is not None else packaged_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    body = [f"{d.isoformat()},{e}" for d, e in rows]
    text = ("# Scheduled FOMC statements, BLS CPI and PPI release dates 2000-2026 (public schedules).\n"
            "# Derived by `python -m feeds.events build <fomc_cpi_macro_calendar dir>`; see feeds/events.py.\n"
            f"{HEADER}\n" + "\n".join(body) + f"\n# rows: {len(body)}\n")
    target.write_text(text, encoding="utf-8")
    _load.cache_clear()
    return target


def find_folder(root: str | Path) -> Path | None:
    """Return a data directory's ``fomc_cpi_macro_calendar`` folder (:data:`FOLDER`), or None; a run on the
    directory reads its dates (:func:`folder_dates`) where the config names no calendar file of its own."""
    folder = Path(root) / FOLDER
    return folder if folder.is_dir() else None


def folder_dates(events: tuple[str, ...], folder: str | Path) -> tuple[dt.date, ...]:
    """Return the sorted union of the dates of ``events`` derived from a ``fomc_cpi_macro_calendar`` folder, as
    :func:`build` derives the packaged file (the same dates up to :data:`LAST_DAY` while the folder is the one it was
    built from), without the packaged file's cut-off: the folder's later dates are used too."""
    root = Path(folder).resolve()
    table = _folder_table(str(root), file_stamp(*(root / name for name in SOURCES)))[0]
    return tuple(sorted({d for e in events for d in table[e]}))


def folder_files(events: tuple[str, ...], folder: str | Path) -> list[str]:
    """The files of the folder that :func:`folder_dates` of ``events`` reads (FOMC, CPI, PPI: one source each)."""
    return [str(Path(folder) / SOURCES[EVENTS.index(e)]) for e in EVENTS if e in events]


@functools.lru_cache(maxsize=4)
def _folder_table(folder: str, _stamp: tuple = ()) -> tuple[dict[str, tuple[dt.date, ...]], tuple[str, ...]]:
    """The folder's dates per event and its notes (:func:`source_dates`; a run's log holds them: strategies.signalset),
    cached on the folder AND its source files' stamps (:func:`file_stamp`)."""
    out: dict[str, list[dt.date]] = {e: [] for e in EVENTS}
    rows, notes = _derive(_checked(Path(folder)))
    for day, event in rows:
        out[event].append(day)
    return {e: tuple(v) for e, v in out.items()}, notes


def folder_notes(folder: str | Path) -> tuple[str, ...]:
    """The notes of a calendar folder's sources (:func:`source_dates`: a macro-events row of an unknown event)."""
    root = Path(folder).resolve()
    return _folder_table(str(root), file_stamp(*(root / name for name in SOURCES)))[1]


def derive(source_dir: str | Path) -> list[tuple[dt.date, str]]:
    """Return the sorted (date, event) rows derived from a ``fomc_cpi_macro_calendar`` folder (module docstring).

    Raises
    ------
    EventsError
        ``source_dir`` is not a folder or lacks one of the :data:`SOURCES` files (checked before anything is read),
        or a source file is not whole CSV text (:func:`_table`), a row's date is not a date or repeats, or a file
        gives no date of its event (each named with its file and line; the FOMC file is read by
        :func:`feeds.fomc.load_csv`, as a config's hedge.fomc.calendar_csv is, and raises its FomcError).
    """
    return _derive(_checked(Path(source_dir)))[0]


def _checked(src: Path) -> Path:
    """``src``, or the EventsError of :func:`derive` where it is no folder or lacks a source file."""
    if not src.is_dir():
        raise EventsError(f"calendar source folder {str(src)!r} does not exist or is not a folder: give the "
                          "fomc_cpi_macro_calendar folder of the data (../shared/data/fomc_cpi_macro_calendar)")
    missing = [name for name in SOURCES if not (src / name).is_file()]
    if missing:
        raise EventsError(f"calendar source folder {str(src)!r} has no {', '.join(missing)}: give the "
                          "fomc_cpi_macro_calendar folder of the data (../shared/data/fomc_cpi_macro_calendar), "
                          "or name a calendar file in hedge.fomc.calendar_csv / hedge.events.calendar_csv")
    return src


def _derive(src: Path) -> tuple[list[tuple[dt.date, str]], tuple[str, ...]]:
    """The folder's sorted (date, event) rows and its sources' notes (:func:`source_dates`)."""
    pairs, notes = set(), []
    for event, name in zip(EVENTS, SOURCES):
        days, said = source_dates(src / name, event)
        pairs |= {(day, event) for day in days}
        notes += said
    return sorted(pairs), tuple(notes)  # every date: build() cuts the packaged file at LAST_DAY, a folder keeps its own


#: the events of macro_events_2000_2027_original.csv (the shared file's, session 33); a row of another is noted, not
#: read (trial FUZZ33 L4: a PPI row misspelt `ppl` dropped its date silently)
MACRO_EVENTS = ("cpi", "election", "fomc_decision", "fomc_intermeeting", "fomc_minutes", "jackson_hole", "nfp", "opex",
                "ppi", "quad_witching", "vix_expiry")


def source_dates(file: str | Path, event: str) -> tuple[tuple[dt.date, ...], tuple[str, ...]]:
    """Return the sorted dates of ``event`` (fomc, cpi, ppi) in its source file of a calendar folder (:data:`SOURCES`,
    read as :func:`derive` reads it; ``vixhedge data check FILE`` too) and notes: the macro-events rows whose event
    is none of :data:`MACRO_EVENTS` (file, line and value; not read)."""
    import numpy as np

    from feeds.fomc import FomcError, load_csv

    file = Path(file)
    if event == "fomc":
        try:  # the scheduled ones, read as a config's hedge.fomc.calendar_csv is (feeds.fomc.TYPES)
            return tuple(load_csv(file)), ()
        except FomcError as exc:
            raise EventsError(str(exc)) from None
    if event == "cpi":
        days = _days(file, _table(file, ("release_date",)), "release_date", None)
        if not days:
            raise EventsError(f"{file} holds no row of release date: it gives no CPI date; {_FIX_FILE}")
        return tuple(sorted(days)), ()
    macro = _table(file, ("date", "event", "ref_period"))
    kinds = np.char.lower(np.char.strip(np.asarray(macro.text("event"), dtype=str)))
    # the PPI rows alone are read (a TBD date of another event's row is none of the calendar's business)
    ppi = kinds == "ppi"
    out = set()
    for day, ref in zip(_days(file, macro, "date", ppi), macro.text("ref_period")[ppi]):
        ref = ref.strip()  # e.g. "December 2000"
        if day.month == 1 and ref.startswith("December") and ref.endswith(str(day.year)):
            day = day.replace(year=day.year + 1)  # the source's year error (see the module docstring)
        out.add(day)
    if not out:
        raise EventsError(f"{file} holds no row of event 'ppi': it gives no PPI date; {_FIX_FILE}")
    odd = np.flatnonzero(~np.isin(kinds, MACRO_EVENTS))
    notes = tuple(f"{file}, line {macro.lines[j]}: event {macro.text('event')[j]!r} is not one of {list(MACRO_EVENTS)}:"
                  " the row is not read (a misspelt 'ppi' loses its PPI date): fix the row" for j in odd)
    return tuple(sorted(out)), notes


def _days(file: Path, table: Table, column: str, rows: np.ndarray | None) -> list[dt.date]:
    """The column's dates (of ``rows`` only, a mask, if given); one line naming the file, line and value where one
    is not a YYYY-MM-DD date (trial finding 1: the error named neither) or repeats (trial FUZZ33 L4: a repeated CPI
    row was read, a repeated FOMC one refused)."""
    out: list[dt.date] = []
    seen: set[dt.date] = set()
    for j, text in enumerate(table.text(column)):
        if rows is not None and not rows[j]:
            continue
        try:
            day = dt.date.fromisoformat(text.strip())
        except ValueError:
            raise EventsError(f"{file}, line {table.lines[j]}: {column} {text!r} is not a YYYY-MM-DD "
                              f"date: {_FIX}") from None
        if day in seen:
            raise EventsError(f"{file}, line {table.lines[j]}: {column} {day} repeats: drop the duplicate row")
        seen.add(day)
        out.append(day)
    return out


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    path = build(args.source_dir, args.out)
    table = load(path)
    for e in EVENTS:
        span = coverage(table[e])
        print(f"{e}: {len(table[e])} dates, {table[e][0]}..{table[e][-1]} (covers {span[0]}..{span[1]})")
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
