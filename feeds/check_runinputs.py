"""``vixhedge data check DIR``: the data directory's A/D (breadth) file and FOMC/CPI/PPI calendar folder.

A run on a data directory reads them besides the market files (:mod:`strategies.adinput`,
:mod:`strategies.signalset`): the one file of its breadth folder(s) (:func:`feeds.breadth.find_ad_file`) when
``hedge.fomc.ad_csv`` is empty, and the ``fomc_cpi_macro_calendar`` folder (:func:`feeds.events.find_folder`) when the
config names no calendar file. The check reads them with the same loaders (:func:`feeds.breadth.load_ad_csv` with the
default columns ``hedge.fomc.ad_advances_column`` / ``ad_declines_column``, or those of ``--config FILE``'s
``[hedge.fomc]``; :func:`feeds.events.folder_dates`), so
what a run refuses the check refuses (two or more breadth files, a malformed row: one line naming the file, line and
fix, exit 2) and what a run skips the check lists (the A/D file's bad rows, with their lines). Trial finding 1
(2026-12-03): ``data check`` ignored both.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from feeds import breadth, calendars, events
from feeds.checklines import bad_lines, days_text
from feeds.loaders import BadRow
from vixhedge.core.config.rules import FomcConfig

__all__ = ["RunInputs", "ad_lines", "file_lines", "run_input_lines", "source_lines"]

_LIST = 50  # bad rows listed one by one (a real A/D file has 1 in 752)
_EVENT_NAMES = {"fomc": "FOMC statement dates (scheduled)", "cpi": "CPI release dates", "ppi": "PPI release dates"}


@dataclass(frozen=True)
class RunInputs:
    """The A/D and calendar inputs of data directory ``root``, found once per check (:meth:`find`): the files of its
    breadth folder(s) (:func:`feeds.breadth.ad_candidates`: a run reads the one, several are refused) and its
    calendar folder (:func:`feeds.events.find_folder`; None: none). ``vixhedge data check`` sizes its progress bar
    (:meth:`files`) and checks the directory (:func:`feeds.check.check`) from the same one."""

    root: Path
    ad_files: tuple[Path, ...]
    folder: Path | None
    fomc: FomcConfig | None = None  # whose A/D column names read the file (None: the defaults)
    given: str = ""  # where ``fomc`` came from (``--config FILE``)

    @classmethod
    def find(cls, root: Path | str, fomc: FomcConfig | None = None, given: str = "") -> RunInputs:
        """Look ``root``'s A/D files and calendar folder up; ``fomc``: a config's ``[hedge.fomc]`` (``given`` names
        it) whose A/D column names read the file, None for the defaults."""
        root = Path(root)
        return cls(root, tuple(breadth.ad_candidates(root)), events.find_folder(root), fomc, given)

    def columns(self) -> tuple[str, str, str]:
        """(advances column, declines column, "" or a note on where they came from): a config's own names, or the
        defaults and a line saying the config sets none."""
        fomc, default = self.fomc or FomcConfig(), FomcConfig()
        names = (fomc.ad_advances_column, fomc.ad_declines_column)
        if self.fomc is None:
            return (*names, "")
        if names == (default.ad_advances_column, default.ad_declines_column):
            return (*names, f" (the defaults: {self.given} names no A/D columns of its own in [hedge.fomc])")
        return (*names, f" (hedge.fomc of {self.given})")

    def ad_file(self) -> Path | None:
        """The A/D file a run reads (None: none); several are a BreadthError naming them, as a run's."""
        return breadth.only_ad_file(self.root, list(self.ad_files))

    def files(self) -> list[Path]:
        """The files :func:`run_input_lines` loads (for the progress bar; several breadth files count none: the
        check refuses them before loading any)."""
        return ([*self.ad_files] if len(self.ad_files) == 1 else []) + (
            [self.folder / name for name in events.SOURCES] if self.folder else [])


def run_input_lines(inputs: RunInputs, on_file: Callable[[Path], object] | None) -> tuple[list[str], list[BadRow]]:
    """Return the report lines and bad rows of the A/D file and calendar folder of ``inputs`` (none: a line saying
    so).

    Raises
    ------
    feeds.breadth.BreadthError
        Two or more breadth files (which one is meant?), or an A/D file a run refuses (its line and the fix).
    feeds.events.EventsError
        A calendar folder a run refuses (a source file missing, a row whose date is not a date).
    """
    root = inputs.root
    lines: list[str] = []
    bad: list[BadRow] = []
    path = inputs.ad_file()  # several files: its BreadthError names them and the fix, as a run's
    if path is None:
        lines.append("A/D (breadth) file: none (no folder whose name holds 'breadth' with a .csv / .csv.gz file): a "
                     "run's FOMC and CPI/PPI A/D rule reads hedge.fomc.ad_csv, else none")
    else:
        advances, declines, whose = inputs.columns()
        more, rows = ad_lines(path, path.relative_to(root).as_posix(), advances, declines, whose)
        lines += [more[0] + " (read by a run whose hedge.fomc.ad_csv is empty)", *more[1:]]
        bad += rows
        if on_file is not None:
            on_file(path)
    folder = inputs.folder
    if folder is None:
        lines.append(f"calendar folder: none ({events.FOLDER}/): a run reads hedge.fomc.calendar_csv / "
                     "hedge.events.calendar_csv, else the packaged 2000-2026 schedule")
        return lines, bad
    lines.append(f"calendar folder {folder.relative_to(root).as_posix()}/ (read by a run whose config names no "
                 "calendar file)")
    notes = events.folder_notes(folder)  # the loader a run uses; a bad row is its EventsError
    for event, name in zip(events.EVENTS, events.SOURCES):
        said = notes if event == "ppi" else ()  # (only the macro-events file holds other events' rows)
        lines += source_lines(f"  {name}", event, events.folder_dates((event,), folder), said)
        if on_file is not None:
            on_file(folder / name)
    return lines, bad


def ad_lines(path: Path, label: str, advances: str, declines: str, whose: str = "") -> tuple[list[str], list[BadRow]]:
    """The report lines and bad rows of an A/D file read as a run reads it (:func:`feeds.breadth.load_ad_csv`)."""
    frame = breadth.load_ad_csv(path, advances, declines, lambda _text: None)
    first, last = frame.attrs["span"]
    gaps = calendars.trading_days(first, last).difference(frame.index)
    lines = [f"A/D {label}: {len(frame)} usable rows, {first}..{last}, columns {advances} / {declines}{whose}",
             f"  missing sessions: {len(gaps)} {days_text(gaps)}"]
    return lines + _bad_all(frame.attrs["bad_rows"]), list(frame.attrs["bad_rows"])


def source_lines(label: str, event: str, days: tuple, notes: list[str] | tuple[str, ...]) -> list[str]:
    """The lines of a calendar source's dates of ``event`` and its rows not read (:func:`feeds.events.source_dates`)."""
    span = f", {days[0]}..{days[-1]}" if days else ""
    return [f"{label}: {len(days)} {_EVENT_NAMES[event]}{span}; "
            + (f"rows not read: {len(notes)}" if notes else "bad rows: none"), *(f"    {n}" for n in notes[:_LIST])]


def file_lines(path: Path, kind: str) -> tuple[list[str], list[BadRow]]:
    """``vixhedge data check FILE`` of a calendar source (``kind``: its event, :data:`feeds.events.EVENTS`) or an
    A/D file (``breadth``: the default columns of hedge.fomc), read as a run on a data directory reads it (trial
    FUZZ33 L5: refused as "not a recognised data file")."""
    if kind == "breadth":
        fomc = FomcConfig()
        return ad_lines(path, path.name, fomc.ad_advances_column, fomc.ad_declines_column,
                        " (hedge.fomc's default columns)")
    days, notes = events.source_dates(path, kind)
    return source_lines(path.name, kind, days, notes), []


def _bad_all(rows: list[BadRow]) -> list[str]:
    """:func:`feeds.checklines.bad_lines`' grouped lines, then each row with its line (the first :data:`_LIST`)."""
    out = bad_lines(rows)
    if len(rows) > 1:
        out += [f"    {row}" for row in rows[:_LIST]]
        out += [f"    ... {len(rows) - _LIST} more"] if len(rows) > _LIST else []
    return out
