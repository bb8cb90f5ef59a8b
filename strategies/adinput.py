"""The S&P 500 advance/decline input of a run: which file, its counts on the market's sessions, and the A/D flag.

The file (:func:`ad_file`): ``hedge.fomc.ad_csv`` when set; else, on a directory market
(``market.source = "directory"``), the data directory's A/D file (:func:`feeds.breadth.find_ad_file`:
``nyse_breadth_computed_2023_2026/advance_decline_2023_2026.csv.gz`` in ``../shared/data``) for a policy that reads
the signals (not ``static``, ``vxth`` or ``none``, whose rules never read it, nor the no-hedge benchmark); else none.
The run log's note says which file was used (:func:`source_note`); the manifest's ``data_files`` lists it
(:func:`feeds.datafiles.run_files`, from ``SignalSet.ad_file``).

Without A/D input (or with a file that has no row on the run's window) the FOMC and CPI/PPI window accelerations are
disabled when ``hedge.fomc.require_ad`` is on, and the run log says so (:data:`NO_AD_NOTE`, :data:`AD_NO_ROWS_NOTE`:
:mod:`strategies.rulesoff` reads them back).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import numpy as np
import pandas as pd

from feeds import breadth
from vixhedge.core import signals as sig
from vixhedge.core.config import HedgeConfig

# how the run log's A/D notes begin (strategies.rulesoff reads them back from metrics.json ``policy_notes``)
NO_AD_NOTE = "hedge.fomc: no S&P 500 advance/decline input"
AD_NO_ROWS_NOTE = "hedge.fomc: the advance/decline input has no row on these sessions"
FOUND_NOTE = "hedge.fomc: advance/decline input"
# trial RS31: the note named the columns only; the shared breadth file's README: "computed by the repo from a stock
# universe, NOT the official NYSE advance/decline figures" (its NYSE counts ~1,626 issues a day, not ~2,800-3,000)
COMPUTED_NOTE = ("counts computed from a stock universe by the data's source, not an exchange's official "
                 "advance/decline figures")


def ad_file(market, cfg: HedgeConfig) -> tuple[str, bool]:
    """Return (the A/D file a run of ``cfg`` on ``market`` reads, whether it is the data directory's) ("", False:
    none); see the module docstring."""
    if cfg.fomc.ad_csv:
        return cfg.fomc.ad_csv, False
    mcfg = getattr(market, "cfg", None)  # (a stand-in market without a config: no data directory)
    if not reads_directory_file(mcfg, cfg):
        return "", False
    # looked up on every call (a folder listing, ~0.3 ms): a file added to or removed from the data directory in a
    # long-lived process (a notebook) is seen by the next run, not a cached answer (review finding 4)
    found = breadth.find_ad_file(str(mcfg.data_dir))
    return (str(found), True) if found is not None else ("", False)


def reads_directory_file(mcfg, cfg: HedgeConfig) -> bool:
    """Whether a run of ``cfg`` on a market of ``mcfg`` (its ``[market]``; None: a stand-in without one) reads the data
    directory's A/D file: a directory market, no ``hedge.fomc.ad_csv`` and a policy that reads the signals."""
    return (mcfg is not None and getattr(mcfg.source, "value", mcfg.source) == "directory" and not cfg.fomc.ad_csv
            and cfg.reads_signals)


def check_directory_file(configs) -> None:
    """Raise the data directory's BreadthError (several A/D files: which one is meant?) before any market is built,
    when a run of one of ``configs`` (whole Configs) reads it (:func:`reads_directory_file`); a run that reads none
    (its hedge.fomc.ad_csv set, or a static / vxth / none policy) goes on. :func:`feeds.market.market_for` asks it
    before it builds a run's market (every entry point's: CLI run / compare / replay, vixhedge.run.run_backtest and
    so the notebook API): refused ~7 s in before, after the market was built."""
    for cfg in configs:
        if reads_directory_file(cfg.market, cfg.hedge):
            breadth.find_ad_file(cfg.market.data_dir)
            return


def load(market, cfg: HedgeConfig, window: tuple[dt.date, dt.date] | None = None
         ) -> tuple[np.ndarray | None, np.ndarray | None, str, str, str]:
    """Return (advances, declines, uncovered, file, note) of the run's A/D input on the market's sessions (None,
    None, "", "", "" without one). ``uncovered``: "" or, when the file has no row in ``window``, which file, its span
    and the window; ``note``: which file was read (:func:`source_note`)."""
    path, found = ad_file(market, cfg)
    if not path:
        return None, None, "", "", ""
    pending: list[str] = []  # the file's warnings: logged below unless the data directory's file misses the window
    frame = breadth.load_ad_csv(path, cfg.fomc.ad_advances_column, cfg.fomc.ad_declines_column, pending.append,
                                "" if found else "hedge.fomc.ad_csv")
    seen = None
    dates = pd.DatetimeIndex(market.dates)
    if window is not None:
        i0 = int(dates.searchsorted(pd.Timestamp(window[0])))
        seen = (dates[max(i0 - cfg.fomc.ad_bars, 0)], pd.Timestamp(window[1]))
    advances, declines = breadth.align(frame, market.dates, seen, pending.append)
    uncovered = ""
    # a session without a row has no A/D flag (its own row is needed): none in the window, the rules see none
    if window is not None and np.isnan(advances[(dates >= pd.Timestamp(window[0]))
                                                & (dates <= pd.Timestamp(window[1]))]).all():
        first, last = frame.attrs["span"]
        uncovered = (f"the A/D file {frame.attrs['file']} holds {first} .. {last}, no session of the run's "
                     f"window {window[0]} .. {window[1]}")
    if found and uncovered:  # the data directory's file, none of the window: one note (weakening's), no chatter
        return advances, declines, uncovered, path, ""
    for text in pending:
        _warn_once(market, text)  # a file's warnings once per Market (compare's modes share it)
    return advances, declines, uncovered, path, source_note(market, cfg, path, found, frame)


def source_note(market, cfg: HedgeConfig, path: str, found: bool, frame: pd.DataFrame) -> str:
    """The run log's line naming the A/D file read, for a file the data directory gave ("" for ``ad_csv``'s own,
    which the config names); from a folder whose name holds ``computed`` (the shared data's
    nyse_breadth_computed_2023_2026) it says the counts are computed (:data:`COMPUTED_NOTE`)."""
    if not found:
        return ""
    root = Path(market.cfg.data_dir)
    shown = Path(path).relative_to(root) if Path(path).is_relative_to(root) else Path(path)
    first, last = frame.attrs["span"]
    bad = len(frame.attrs.get("bad_rows", ()))
    return (f"{FOUND_NOTE}: {shown.as_posix()} of the data directory (hedge.fomc.ad_csv is empty), columns "
            f"{cfg.fomc.ad_advances_column} / {cfg.fomc.ad_declines_column}"
            + (f" ({COMPUTED_NOTE})" if "computed" in shown.parent.name.lower() else "") + f", {first} .. {last}"
            + (f", {bad} bad row{'s' * (bad != 1)} not used" if bad else "")
            + "; set hedge.fomc.ad_csv to read another file")


def _warn_once(market, text: str) -> None:
    """Log an A/D file's warning (logger ``vixhedge.policy``) unless ``market`` logged it already: the modes of a
    compare share one Market and each loaded the same file (its warnings printed once per mode)."""
    logged = getattr(market, "notes_logged", None)  # (a stand-in market without it: every time)
    if logged is None or text not in logged:
        if logged is not None:
            logged.add(text)
        logging.getLogger("vixhedge.policy").warning("%s", text)


def _ad_rules(cfg: HedgeConfig) -> str:
    """Which window accelerations of this config the missing A/D line disables (``fomc.require_ad``), "" if none."""
    e = cfg.events
    rules = [r for r, on in ((("FOMC", "fomc_cadence"), cfg.fomc.enabled),
                             (("CPI/PPI", "event_window"), e.enabled and (e.cpi or e.ppi))) if on]
    if not rules:
        return ""
    names, ids = " and ".join(n for n, _ in rules), ", ".join(i for _, i in rules)
    return (f"the {names} acceleration rule{'s' if len(rules) > 1 else ''} ({ids}: rising MACD + weakening A/D "
            f"line) {'are' if len(rules) > 1 else 'is'} disabled for this run")


def weakening(inputs, cfg: HedgeConfig, notes: list[str]) -> np.ndarray:
    """Return the A/D weakening flag per bar of ``inputs`` (:class:`strategies.signalset.SignalInputs`; NaN without
    A/D), noting in ``notes`` which window accelerations (FOMC, CPI/PPI: both need the A/D line) it disables."""
    disabled = _ad_rules(cfg)
    alvh = cfg.policy_name == "alvh" and bool(disabled)  # by the policy's name, as ad_file and the Trader's notes
    if inputs.advances is None or inputs.declines is None:
        if alvh and cfg.fomc.require_ad:
            notes.append(f"{NO_AD_NOTE}; {disabled}: give hedge.fomc.ad_csv (an "
                         "advance/decline file) or set hedge.fomc.require_ad = false (to ignore the A/D line)")
        return np.full(len(inputs.dates), np.nan)
    if inputs.ad_note:
        notes.append(inputs.ad_note)
    ad = sig.advance_decline_weakening(inputs.advances, inputs.declines, cfg.fomc.ad_bars).astype(float)
    ad[~(np.isfinite(inputs.advances) & np.isfinite(inputs.declines))] = np.nan  # no A/D on that bar
    if alvh and cfg.fomc.require_ad and (inputs.ad_uncovered or np.isnan(ad).all()):
        where = f": {inputs.ad_uncovered}" if inputs.ad_uncovered else ""
        notes.append(f"{AD_NO_ROWS_NOTE}{where}; {disabled}: give a "
                     "hedge.fomc.ad_csv that covers the window or set hedge.fomc.require_ad = false (to ignore "
                     "the A/D line)")
    return ad
