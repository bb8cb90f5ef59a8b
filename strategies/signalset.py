"""Every signal the hedge policy reads, computed once per run from data known at each bar.

:func:`compute` is pure: :class:`SignalInputs` (aligned daily arrays) and a :class:`HedgeConfig` in, a
:class:`SignalSet` of causal per-bar arrays out (the value on bar ``t`` depends on inputs ``0..t``
only; the FOMC window reads the *scheduled* announcement calendar, which is published in advance).
:meth:`SignalSet.snapshot` hands one bar to the policy (:class:`strategies.snapshot.Snapshot`).

Signals (numpy cores in :mod:`vixhedge.core.signals`):

* MACD(fast, slow, signal) of the configured VX series, backtrader seeding; crossovers;
  confirmed crossovers (held ``confirm.hold_bars`` bars, histogram agreeing if required);
  ``regime`` = signed bars MACD has stayed above / below its signal;
* histogram expanding / contracting over ``macd.expansion_bars``; ``expanding_above_zero``
  (drives the 1.5x layer size);
* MACD slope over ``macd.slope_bars`` and flattening (``|slope| < macd.flat_threshold``);
* divergence (+1 bullish, -1 bearish), from confirmed pivots only. Source ``vx`` with pattern
  ``literal`` (default, the text's definition): the VX series against its MACD, bullish = VX lower
  low + MACD higher low; pattern ``equity``: equity terms, where a regular *bearish* VX divergence
  (VX higher high, MACD lower high: the fear spike losing momentum) counts as bullish; source
  ``spx``: SPX closes against the SPX MACD, regular divergence as is;
* RSI of spot VIX; the FOMC window, and ``fomc_near`` (within ``fomc.divergence_sessions`` of a
  meeting); the CPI/PPI release window (``events``); the A/D line weakening (NaN where no A/D
  input exists); the front / second VX ratio (``term_ratio``);
* the extra signals named in ``hedge.signals`` (plug-ins, :mod:`strategies.extra_signals`), as
  ``Snapshot.extra[name]``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from feeds import events, fomc
from strategies import adinput, extra_signals
from strategies.snapshot import NO_EXTRA, Extra, Snapshot
from vixhedge.core import signals as sig
from vixhedge.core.config import DivergencePattern, DivergenceSource, HedgeConfig



@dataclass(frozen=True)
class SignalInputs:
    """Daily inputs aligned on ``dates``, oldest first; ``advances``/``declines`` optional (S&P 500 A/D).

    ``ad_uncovered``: "" or, when the A/D file has no row on the run's sessions, which file, its span and the
    run's window (:func:`inputs_from_market`; the A/D note of the run log and report.html's Rules fired say it)."""

    dates: pd.DatetimeIndex
    vx: np.ndarray
    front_vx: np.ndarray
    vix: np.ndarray
    spx: np.ndarray
    advances: np.ndarray | None = None
    declines: np.ndarray | None = None
    second_vx: np.ndarray | None = None  # the second monthly VX (term_structure_filter); None: not known
    ad_uncovered: str = ""
    ad_file: str = ""  # the A/D file read ("" none: strategies.adinput.ad_file)
    ad_note: str = ""  # the run log's line naming a data directory's A/D file (strategies.adinput.source_note)
    calendar_dir: str = ""  # a data directory's fomc_cpi_macro_calendar folder ("" none: the packaged calendar)
    # the run's first and last day (None: not known): an extra signal's error line counts and dates within it; a signal
    # plug-in is handed its inputs without it (strategies.extra_signals), so it cannot read the run's end
    window: tuple[dt.date, dt.date] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        n = len(self.dates)
        for name in ("vx", "front_vx", "vix", "spx", "advances", "declines", "second_vx"):  # the daily arrays
            arr = getattr(self, name)
            if arr is not None and len(arr) != n:
                raise ValueError(f"signal input {name} has {len(arr)} rows for {n} dates: align it")

    def head(self, n: int) -> SignalInputs:
        """Return the first ``n`` bars (the data as known on bar ``n - 1``)."""
        cut = lambda a: None if a is None else np.asarray(a)[:n]
        return SignalInputs(self.dates[:n], cut(self.vx), cut(self.front_vx), cut(self.vix), cut(self.spx),
                            cut(self.advances), cut(self.declines), cut(self.second_vx), self.ad_uncovered,
                            self.ad_file, self.ad_note, self.calendar_dir, self.window)


def inputs_from_market(market, cfg: HedgeConfig, window: tuple[dt.date, dt.date] | None = None) -> SignalInputs:
    """Return the signal inputs of a :class:`feeds.market.Market`, with the A/D file of :mod:`strategies.adinput`
    (``hedge.fomc.ad_csv``, else a data directory's).

    ``window``: the run's first and last day; the note on sessions without A/D counts them and the
    ``hedge.fomc.ad_bars`` sessions before (the A/D rule's look-back), else the whole history.
    """
    from vixhedge.core.config import VxSeries

    advances, declines, uncovered, ad_file, ad_note = adinput.load(market, cfg, window)
    mcfg = getattr(market, "cfg", None)  # a data directory's calendar folder (feeds.events.find_folder)
    folder = events.find_folder(mcfg.data_dir) if mcfg is not None and mcfg.data_dir and \
        getattr(mcfg.source, "value", mcfg.source) == "directory" else None
    return SignalInputs(market.dates, market.vx_series(cfg.macd.series), market.vx_series(VxSeries.FRONT),
                        np.asarray(market.data.vix_close, dtype=float), np.asarray(market.data.spx_close, dtype=float),
                        advances, declines, market.vx_series(VxSeries.SECOND), uncovered, ad_file, ad_note,
                        "" if folder is None else str(folder), window)


def announcements(cfg: HedgeConfig, read: list[str] | None = None, folder: str = "") -> tuple[dt.date, ...]:
    """Return the FOMC calendar of the config: its CSV, else the dates of a data directory's calendar ``folder``
    (:func:`feeds.events.folder_dates`), else the packaged 2000-2026 schedule (``read``: gets the files' paths)."""
    path = cfg.fomc.calendar_csv
    if read is not None:
        read.extend([path] if path else events.folder_files(("fomc",), folder) if folder
                    else [str(events.packaged_path())])
    return fomc.load_csv(path) if path else events.folder_dates(("fomc",), folder) if folder \
        else fomc.default_calendar()


def release_dates(cfg: HedgeConfig, read: list[str] | None = None, folder: str = "") -> tuple[dt.date, ...]:
    """Return the CPI / PPI release dates the config's event window reads (``events.calendar_csv``, else a data
    directory's calendar ``folder``, else the packaged file; ``read``: gets the files' paths, if it reads any)."""
    e = cfg.events
    kinds = tuple(k for k, on in (("cpi", e.cpi), ("ppi", e.ppi)) if on)
    if not (e.enabled and kinds):
        return ()
    if read is not None:
        read.extend([e.calendar_csv] if e.calendar_csv else events.folder_files(kinds, folder) if folder
                    else [str(events.packaged_path())])
    if not e.calendar_csv and folder:
        return events.folder_dates(kinds, folder)
    return events.dates(kinds, e.calendar_csv or None)


@dataclass(frozen=True)
class SignalSet:
    """Per-bar signal arrays of one run (see the module docstring); ``notes`` go to the run log."""

    dates: pd.DatetimeIndex
    series: np.ndarray
    macd: np.ndarray
    signal: np.ndarray
    hist: np.ndarray
    cross: np.ndarray
    confirmed_cross: np.ndarray
    regime: np.ndarray
    expanding_above_zero: np.ndarray
    agree_up: np.ndarray
    agree_down: np.ndarray
    macd_slope: np.ndarray
    flattening: np.ndarray
    divergence: np.ndarray
    rsi: np.ndarray
    fomc_window: np.ndarray
    ad_weakening: np.ndarray  # 1.0 / 0.0, NaN without A/D input
    front_vx: np.ndarray
    event_window: np.ndarray
    fomc_near: np.ndarray
    term_ratio: np.ndarray
    projected: np.ndarray
    notes: tuple[str, ...] = ()
    extra: Mapping[str, np.ndarray] = field(default_factory=dict)  # hedge.signals plug-ins, by name
    files: tuple[str, ...] = ()  # the calendar files read (the manifest's data_files: feeds.datafiles.run_files)
    ad_uncovered: str = ""  # SignalInputs.ad_uncovered (metrics.json "ad_uncovered": strategies.rulesoff reads it)
    ad_file: str = ""  # SignalInputs.ad_file (the manifest's data_files: feeds.datafiles.run_files)

    def snapshot(self, i: int) -> Snapshot:
        """Return bar ``i``'s values (built once per bar: the engines ask for the same bar more than once)."""
        snaps = self._snapshots
        snap = snaps[i]
        if snap is None:
            snap = snaps[i] = Snapshot(*self._rows[i])
        return snap

    def __getstate__(self) -> dict:
        """Pickle the arrays only: the per-bar caches are rebuilt on demand (backtrader's optstrategy returns)."""
        return {k: v for k, v in self.__dict__.items() if k not in ("_snapshots", "_rows")}

    @functools.cached_property
    def _snapshots(self) -> list[Snapshot | None]:
        return [None] * len(self.dates)

    @functools.cached_property
    def _rows(self) -> list[tuple]:
        """Per bar, the values as Python scalars in :class:`Snapshot`'s field order."""
        floats = lambda a: np.asarray(a, dtype=float).tolist()
        ints = lambda a: [int(v) for v in np.asarray(a).tolist()]
        bools = lambda a: np.asarray(a, dtype=bool).tolist()
        ad = [None if math.isnan(v) else bool(v) for v in floats(self.ad_weakening)]
        names, columns = list(self.extra), [floats(a) for a in self.extra.values()]
        extra = [Extra(dict(zip(names, vals))) for vals in zip(*columns)] if names \
            else [NO_EXTRA] * len(self.dates)
        return list(zip(floats(self.series), floats(self.macd), floats(self.signal), floats(self.hist),
                        ints(self.cross), ints(self.confirmed_cross), ints(self.regime),
                        bools(self.expanding_above_zero), bools(self.agree_up), bools(self.agree_down),
                        floats(self.macd_slope), bools(self.flattening), ints(self.divergence), floats(self.rsi),
                        bools(self.fomc_window), ad, floats(self.front_vx), bools(self.event_window),
                        bools(self.fomc_near), floats(self.term_ratio), ints(self.projected), extra, strict=True))

    def frame(self) -> pd.DataFrame:
        """Return the arrays as a DataFrame indexed by date (the signal half of signals.csv)."""
        names = [f.name for f in dataclasses.fields(self)
                 if f.name not in ("dates", "notes", "series", "front_vx", "extra", "files", "ad_uncovered", "ad_file")]
        cols = {"vx_signal_series": self.series, "front_vx": self.front_vx} | {n: getattr(self, n) for n in names}
        cols |= {f"extra_{k}": v for k, v in self.extra.items()}
        frame = pd.DataFrame(cols, index=pd.Index(self.dates.date, name="date"))
        return frame.rename(columns={"signal": "macd_signal", "hist": "macd_hist"})


def compute(inputs: SignalInputs, cfg: HedgeConfig,
            fomc_dates: tuple[dt.date, ...] | None = None) -> SignalSet:
    """Return the :class:`SignalSet` of ``inputs`` under ``cfg`` (causal on every bar)."""
    m = cfg.macd
    lines = sig.macd(inputs.vx, m.fast, m.slow, m.signal)
    return assemble(context(inputs, cfg, fomc_dates), inputs, cfg, lines, _divergence(inputs, lines.macd, cfg))


def context(inputs: SignalInputs, cfg: HedgeConfig, fomc_dates: tuple[dt.date, ...] | None = None) -> dict:
    """Return the signals that do not depend on the MACD periods (calendars, A/D, RSI, term ratio) and the notes.

    A sweep computes them once for every point sharing ``hedge.fomc``, ``hedge.events``, ``hedge.rsi`` and the
    series (:mod:`vixhedge.kernel_signals`); :func:`assemble` adds each point's MACD part.
    """
    notes: list[str] = []
    read: list[str] = []  # the calendar files read (SignalSet.files)
    fomc_dates = announcements(cfg, read, inputs.calendar_dir) if fomc_dates is None else fomc_dates
    window = _window_mask(inputs.dates, fomc_dates, cfg.fomc.days_before, cfg.fomc.days_after)
    near = _window_mask(inputs.dates, fomc_dates, cfg.fomc.divergence_sessions, cfg.fomc.divergence_sessions)
    releases = release_dates(cfg, read, inputs.calendar_dir)
    ev = cfg.events
    event_window = _window_mask(inputs.dates, releases, ev.days_before, ev.days_after) if releases \
        else np.zeros(len(inputs.dates), dtype=bool)
    _note_coverage(inputs, cfg, "hedge.events: the CPI/PPI calendar", releases, notes, ev.enabled)
    _note_coverage(inputs, cfg, "hedge.fomc: the FOMC calendar", fomc_dates, notes, cfg.fomc.enabled)
    named = (cfg.fomc.calendar_csv, cfg.events.calendar_csv)
    folder = [Path(f).name for f in read
              if inputs.calendar_dir and f not in named and Path(f).parent == Path(inputs.calendar_dir)]
    if folder and cfg.policy_name == "alvh":  # (the run log says which files, as for the A/D file; by policy name)
        notes.append(f"hedge.fomc: calendar dates from {Path(inputs.calendar_dir).name}/ of the data directory "
                     f"({', '.join(folder)}; the config names no calendar_csv), derived as the packaged calendar")
    if events.SOURCES[2] in folder:  # its rows of an unknown event, not read (trial FUZZ33 L4)
        notes += events.folder_notes(inputs.calendar_dir)
    ad = adinput.weakening(inputs, cfg, notes)
    if inputs.second_vx is None:
        ratio = np.full(len(inputs.dates), np.nan)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.asarray(inputs.front_vx, dtype=float) / np.asarray(inputs.second_vx, dtype=float)
    return dict(rsi=sig.rsi(inputs.vix, cfg.rsi.period), fomc_window=window, ad_weakening=ad,
                front_vx=np.asarray(inputs.front_vx, dtype=float), event_window=event_window, fomc_near=near,
                term_ratio=ratio, notes=tuple(notes), files=tuple(dict.fromkeys(read)))


def assemble(ctx: dict, inputs: SignalInputs, cfg: HedgeConfig, lines: sig.Macd, divergence: np.ndarray) -> SignalSet:
    """Return the :class:`SignalSet` of the :func:`context` ``ctx`` with the MACD ``lines`` of ``inputs.vx``."""
    m, conf = cfg.macd, cfg.confirm
    cross = sig.crossover(lines.macd, lines.signal)
    up = sig.expanding(lines.hist, m.expansion_bars)
    down = sig.contracting(lines.hist, m.expansion_bars)
    confirmed = sig.confirmed_cross(cross, lines.hist, conf.hold_bars,
                                    up if conf.require_expanding else None,
                                    down if conf.require_expanding else None)
    projected = np.zeros(len(cross), dtype=np.int8)
    if conf.anticipate_bars:
        projected = sig.projected_cross(lines.hist, conf.anticipate_bars)
        confirmed = _front_run(cross, projected)
    slope = sig.slope(lines.macd, m.slope_bars)
    return SignalSet(
        dates=inputs.dates if isinstance(inputs.dates, pd.DatetimeIndex) else pd.DatetimeIndex(inputs.dates),
        series=np.asarray(inputs.vx, dtype=float), macd=lines.macd,
        signal=lines.signal, hist=lines.hist, cross=cross, confirmed_cross=confirmed,
        regime=sig.regime_run(lines.hist), expanding_above_zero=up & (lines.hist > 0), agree_up=up, agree_down=down,
        macd_slope=slope, flattening=sig.flattening(slope, m.flat_threshold), divergence=divergence,
        projected=projected, extra=extra_signals.compute(inputs, cfg), ad_uncovered=inputs.ad_uncovered,
        ad_file=inputs.ad_file, **ctx)


_WINDOWS: dict[tuple, tuple[object, np.ndarray]] = {}  # (id of dates, calendar, before, after) -> (dates, mask)


def _window_mask(dates, days: tuple[dt.date, ...], before: int, after: int) -> np.ndarray:
    """:func:`feeds.fomc.window_mask`, kept (read-only) per dates object: every run on a Market asks the same."""
    key = (id(dates), tuple(days), before, after)
    hit = _WINDOWS.get(key)
    if hit is not None and hit[0] is dates:  # the entry holds ``dates``: its id cannot be reused meanwhile
        return hit[1]
    if len(_WINDOWS) >= 64:
        _WINDOWS.clear()
    mask = fomc.window_mask(dates, days, before, after)
    mask.setflags(write=False)
    _WINDOWS[key] = (dates, mask)
    return mask


def _front_run(cross: np.ndarray, projected: np.ndarray) -> np.ndarray:
    """Return the crossovers a front-runner acts on: each projected one, and an actual one not already
    acted on in its direction (a projection that came true is not acted on twice)."""
    out = np.zeros(len(cross), dtype=np.int8)
    last = 0
    for t in range(len(cross)):
        ev = projected[t] or (cross[t] if cross[t] != last else 0)
        if ev:
            out[t] = last = ev
    return out


def _note_coverage(inputs: SignalInputs, cfg: HedgeConfig, what: str, days: tuple[dt.date, ...],
                   notes: list[str], enabled: bool) -> None:
    """Note in the run log when the run leaves a calendar's coverage (no window is known there)."""
    if not (enabled and cfg.policy_name == "alvh" and len(inputs.dates)):
        return
    span = events.coverage(days)
    if span is None or inputs.dates[0].date() < span[0] or inputs.dates[-1].date() > span[1]:
        cov = "nothing" if span is None else f"{span[0]}..{span[1]}"
        notes.append(f"{what} covers {cov}; no window is known outside it (give a calendar_csv for other years)")


def _divergence(inputs: SignalInputs, vx_macd: np.ndarray, cfg: HedgeConfig) -> np.ndarray:
    d, m = cfg.divergence, cfg.macd
    if d.source is DivergenceSource.VX:
        found = sig.divergence(inputs.vx, vx_macd, d.left, d.right, d.min_bars, d.max_bars)
        return found if d.pattern is DivergencePattern.LITERAL else -found
    spx_macd = sig.macd(inputs.spx, m.fast, m.slow, m.signal).macd
    return sig.divergence(inputs.spx, spx_macd, d.left, d.right, d.min_bars, d.max_bars)
