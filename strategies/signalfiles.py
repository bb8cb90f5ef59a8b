"""Read a run's calendar and A/D files before any work: :func:`check_signal_files`.

A run reads them when it sets up its signals (:func:`strategies.signalset.inputs_from_market`, :func:`~strategies.
signalset.announcements`, :func:`~strategies.signalset.release_dates`), after the market is built and the
``vixhedge: running ...`` line printed: a broken ``hedge.fomc.calendar_csv``, ``hedge.events.calendar_csv``,
``hedge.fomc.ad_csv``, a data directory's ``fomc_cpi_macro_calendar/`` folder or A/D file was refused 0.6 s (embedded
market) to 3.5-6.6 s (``--data-dir``) in, the third or fourth line printed (trial FUZZ33 M3). :func:`feeds.market.
market_for` (run, compare, placebo, replay, the notebook API) and the sweep command (its ``[base]``) ask this first,
so such a file is the only line printed.

The same loaders read the same files under the same conditions as the run. The run reads them again: measured on
../shared/data, the A/D file took 13 ms, the FOMC file 0.7 ms and the calendar folder 6 ms (the event calendars are
cached, :mod:`feeds.events`: read once), so the parsed result is not passed along.
"""

from __future__ import annotations

from feeds import breadth, events
from strategies import adinput
from strategies.signalset import announcements, release_dates
from vixhedge.core.config import MarketSource

__all__ = ["check_signal_files"]


def check_signal_files(configs) -> None:
    """Read the calendar and A/D files runs of ``configs`` (whole Configs) read, raising the loaders' one-line errors
    (FomcError, EventsError, BreadthError); each file once, whatever the number of configs sharing it."""
    seen: set = set()
    for cfg in configs:
        mcfg, hedge = cfg.market, cfg.hedge
        directory = mcfg.source is MarketSource.DIRECTORY and bool(mcfg.data_dir)
        found = events.find_folder(mcfg.data_dir) if directory else None  # as inputs_from_market finds it
        folder = "" if found is None else str(found)
        key = (hedge.fomc.calendar_csv, hedge.events.calendar_csv, hedge.events.enabled, hedge.events.cpi,
               hedge.events.ppi, folder)
        if key not in seen:
            seen.add(key)
            announcements(hedge, folder=folder)
            release_dates(hedge, folder=folder)
        path, given = hedge.fomc.ad_csv, True
        if not path and adinput.reads_directory_file(mcfg, hedge):
            path, given = str(breadth.find_ad_file(mcfg.data_dir) or ""), False
        columns = (path, hedge.fomc.ad_advances_column, hedge.fomc.ad_declines_column)
        if path and columns not in seen:
            seen.add(columns)
            breadth.load_ad_csv(path, columns[1], columns[2], lambda _text: None, "hedge.fomc.ad_csv" if given else "")
