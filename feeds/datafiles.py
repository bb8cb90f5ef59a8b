"""The data files a run reads, each with its sha256: the manifest's ``data_files``.

``run_files`` lists every data file a run read with its sha256 (the manifest's ``data_files``): the market's
files (SPX, VIX, VX, chains, the rate and vol-index files of a data directory), the package's shipped files it read,
as recorded where they were read (the Market's ``shipped_paths``: ``feeds/calendar_data/xnys_closures.csv`` always,
``feeds/calibration/short_rate_monthly.csv`` without a rate file; the signal set's ``files``:
``feeds/calendar_data/events.csv`` without calendar files of the config's own) and the files the config names
(``hedge.fomc.ad_csv``, ``hedge.fomc.calendar_csv``, ``hedge.events.calendar_csv``), and the data directory's files
a run read where the config names none (its A/D file, :mod:`strategies.adinput`; its ``fomc_cpi_macro_calendar``
sources, :func:`feeds.events.folder_dates`), under their paths in the directory.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from feeds import events


CONFIG_FILES = (("fomc", "ad_csv"), ("fomc", "calendar_csv"), ("events", "calendar_csv"))  # under [hedge]


def run_files(market, cfg, signals) -> tuple[tuple[str, str], ...]:
    """Return ``(name, sha256)`` of every data file a run of ``cfg`` on ``market`` with the signal set ``signals``
    (:class:`strategies.signalset.SignalSet`) reads (see the module docstring).

    A file the config names is listed under its path as written in the config; a file the package ships (the
    monthly rate series, the events calendar) under its path in the package's folder (``feeds/...``)."""
    h = cfg.hedge
    named = [getattr(getattr(h, section), key) for section, key in CONFIG_FILES
             if section != "events" or h.events.enabled]  # a disabled event window reads no calendar
    own = tuple((p, file_sha256(Path(p))) for p in named if p and Path(p).is_file())
    # a data directory's files the signals read where the config names none: its calendar folder, its A/D file
    packaged = str(events.packaged_path())
    found = [f for f in (*signals.files, getattr(signals, "ad_file", "")) if f and f not in named and f != packaged]
    own += tuple((_in_data_dir(market, Path(f)), file_sha256(Path(f))) for f in dict.fromkeys(found))
    return (*market.data.files, *_shipped_files(market, signals), *own)


def directory_extras(market) -> list[tuple[str, str]]:
    """``(name in the directory, sha256)`` of a directory market's files its runs' signals read where a config names
    none: the breadth folder's A/D files (:func:`feeds.breadth.ad_candidates`: every one, never an error: a run that
    reads none, its config naming ``hedge.fomc.ad_csv`` or its policy reading no signals, runs on a folder of two;
    one that reads one is refused before its market is built, feeds.market.market_for) and the calendar
    folder's sources (:func:`feeds.events.find_folder`); [] for another source. A sweep's identity hashes them
    (:func:`vixhedge.sweep_spec.spec_identity`): other files there make other rows."""
    from feeds import breadth

    mcfg = getattr(market, "cfg", None)
    if mcfg is None or getattr(mcfg.source, "value", mcfg.source) != "directory":
        return []
    folder = events.find_folder(mcfg.data_dir)
    paths = [*breadth.ad_candidates(mcfg.data_dir),
             *(folder / n for n in events.SOURCES if folder and (folder / n).is_file())]
    return [(_in_data_dir(market, p), file_sha256(p)) for p in paths]


def _in_data_dir(market, path: Path) -> str:
    """``path`` relative to the market's data directory (as its other files are listed), resolved or as found there
    (a folder of symlinks to files elsewhere: trial DET32 M2), else as it is."""
    root = Path(market.cfg.data_dir)
    for folder, file in ((root.resolve(), path.resolve()), (Path(os.path.abspath(root)), Path(os.path.abspath(path)))):
        if file.is_relative_to(folder):
            return file.relative_to(folder).as_posix()
    return str(path)


def _shipped_files(market, signals) -> list[tuple[str, str]]:
    """The package's own data files a run read, as recorded where they were read: the Market's ``shipped_paths``
    (the exchange's closures its calendars read, feeds.closures; the shipped monthly rates of a market without a
    rate file, feeds.market) and the packaged events calendar among the signal set's ``files`` (its FOMC dates
    without ``hedge.fomc.calendar_csv``, its CPI/PPI dates with the event window on and no file of its own:
    strategies.signalset.announcements, release_dates).

    Recorded per Market and per signal set, not by the readers: one Market serves a run, its no-hedge benchmark, a
    comparison's modes and a sweep's points (configs that read different calendars, each its own signal set), and
    the readers keep what they read for the process (feeds.events, feeds.closures). tests/feeds/test_provenance.py
    pins each condition."""
    packaged = events.packaged_path()
    calendars = [packaged] if any(Path(f) == packaged for f in signals.files) else []
    return [_shipped(p) for p in dict.fromkeys([*market.shipped_paths, *calendars])]


def _shipped(path: Path) -> tuple[str, str]:
    """A shipped file as ``(feeds/<folder>/<name>, sha256)``."""
    return f"feeds/{path.parent.name}/{path.name}", file_sha256(path)


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes (hex), read in chunks (a sweep's returns.bin may be 100 MB)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
