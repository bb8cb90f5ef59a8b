"""A directory of real data files as a market source (``market.source = "directory"``).

Two layouts are recognised (the first that matches wins):

Standard layout
    ``spx.csv[.gz]``  daily SPX OHLC, generic layout (:func:`feeds.loaders.index.load_ohlc`)
    ``vix.csv[.gz]`` or ``VIX_History.csv``  Cboe VIX history (``DATE,OPEN,HIGH,LOW,CLOSE``)
    ``vx/``  VX files of any layout of :mod:`feeds.loaders.vx`; precedence (for a contract-day
    given twice): per-contract files (``CFE_*_VX.csv``, then ``VX_YYYY-MM-DD.csv``) before
    consolidated files, each group in name order
    Two files for one series (``spx.csv`` and ``spx.csv.gz``, ``vix.csv`` and ``VIX_History.csv``) are an error
    naming both (which one is meant?).
    ``chains/``  optional SPX/SPXW/VIX option chains, DataShop or snapshot layout, recognised per
    file from its header (:func:`feeds.loaders.options.load_chain_file`); a stale copy (a holiday's
    file repeating the day before, a renamed copy) is skipped as bad rows (:mod:`feeds.chainfiles`)
Shared-data layout (the ``../shared/data`` folders of this project)
    SPX: ``spx_index_daily/SPX_daily_combined_1927_2026.csv.gz``; VIX:
    ``cboe_volatility_indices/VIX_daily_1990_2026.csv``; VX, in precedence order: the CFE files of
    ``vix_futures_cfe_per_contract_2004_2015/raw``, then
    ``vix_futures_close_settle_per_contract_2004_2023``, then
    ``vix_futures_settle_all_listed_2004_2025`` (any one of them is enough); chains:
    ``spx_option_chains_2019_sample/daily``
    (SPX + SPXW snapshots, 2019-04-25..05-01) and the DataShop VIX options file of
    ``vix_options_cboe_datashop_sample_2016``. The ``spx_option_eod_contract_samples`` are left out:
    a few contracts far from any traded strike (300..1650 with SPX near 2000-2400), and the 2014
    file's calls are placeholder rows without an offer.

The market's days are the exchange sessions where both SPX and VIX have a usable row (an SPX row whose open
the loader dropped included: its open is the previous close, as a stale open, :mod:`feeds.staleopen`). Without
an explicit span the latest gap-free run of such sessions is used (VIX misses four sessions in
the 1990s, so the shared data give 2000-01-03 onwards) and ``MarketData.cut`` names the session,
absent or rejected, that cut the history there (a run that needs it stops naming the file, the row
and the fix: :func:`vixhedge.run.check_window`); with a span, any session missing in it is an error
naming the dates. VRO (VX/VIX option settlement) is proxied by the VIX open (the VIX
close on the few days whose open the loader rejected, listed in ``vix.bad_rows``); the real VX
final settlement replaces it where the VX files hold the settlement-day row.

Option chain files are loaded with the directory (``DataDirectory.options``, rows in file order;
unusable markets in its ``bad_rows``) and priced by :class:`feeds.market.Market` through
:mod:`feeds.realquotes`. Only a directory source reads them; the embedded and synthetic sources
never do.

Every row a loader rejected stays in its history's ``bad_rows``, dated by its loader (``BadRow.day``);
``DataDirectory.dated_bad_rows`` gives them their file family so that a run names those dated in the data it reads
(:mod:`feeds.datanotes`).

A loaded directory is cached per path and file signature (size, mtime; the last few directories),
so building several markets from one directory reads the files once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from feeds import calendars
from feeds.loaders import LoadError
from feeds.loaders._table import by_kind
from feeds.loaders.index import IndexHistory, load_cboe_index, load_ohlc
from feeds.chainfiles import load_chain_files
from feeds.datanotes import Rejected, as_rejected
from feeds.layout import Layout, detect_layout, relative_note
from feeds.loaders.options import OptionQuotes
from feeds.loaders.plausible import DEFAULT, RULES_FILE, Rules, load_rules
from feeds.loaders.plausible_vx import screen_panel
from feeds.loaders.vx import VxPanel, load_vx_files
from feeds.marketdata import DataError, MarketData
from feeds.staleopen import frozen_runs

__all__ = ["CoverageError", "DataDirectory", "Layout", "detect_layout", "load_directory", "relative_note"]

class CoverageError(DataError):
    """The data do not cover a requested span; the message names the missing dates."""


@dataclass(frozen=True)
class DataDirectory:
    """The validated contents of a data directory."""

    root: Path
    layout: Layout
    spx: IndexHistory
    vix: IndexHistory
    vx: VxPanel
    options: OptionQuotes = field(default_factory=lambda: OptionQuotes.concat(()))  # chain files, in file order
    rules: Rules = DEFAULT  # plausibility.toml's rules (the wide vol-index file is screened with them too)

    @property
    def vix_closes(self) -> pd.Series:
        """The VIX file's closes by date (the wide vol-index file's VIX is checked against them)."""
        return pd.Series(self.vix.close, self.vix.dates, name=self.layout.vix.name)

    @property
    def source(self) -> str:
        return f"directory:{self.root}"

    @property
    def files(self) -> tuple[tuple[str, str], ...]:
        paths = (self.layout.spx, self.layout.vix, *self.layout.vx, *self.layout.chains)
        rel = {p.name: str(p.relative_to(self.root)) for p in paths}
        rules = self.root / RULES_FILE  # plausibility overrides: they decide which rows are used
        own = ((RULES_FILE, hashlib.sha256(rules.read_bytes()).hexdigest()),) if rules.is_file() else ()
        return tuple((rel.get(n, n), h) for n, h in (*self.spx.files, *self.vix.files, *self.vx.files,
                                                     *self.options.files)) + own

    @functools.cached_property
    def dated_bad_rows(self) -> tuple[Rejected, ...]:
        """Every bad row of the SPX, VIX, VX and chain files with its family (dated by its loader: ``BadRow.day``)."""
        families = (("SPX", self.spx.bad_rows), ("VIX", self.vix.bad_rows), ("VX", self.vx.bad_rows),
                    ("option chain", self.options.bad_rows))
        return tuple(r for family, rows in families for r in as_rejected(family, rows))

    def rejected_from(self, first: dt.date) -> tuple[Rejected, ...]:
        """Return :attr:`dated_bad_rows` dated on or after ``first`` (or undated): the rows a market from ``first``
        would have read (:func:`feeds.datanotes.window_notes`)."""
        return tuple(r for r in self.dated_bad_rows if r.day is None or r.day >= first)

    def common_sessions(self) -> pd.DatetimeIndex:
        """Return the sessions where both SPX and VIX have a usable row (an SPX row without its open included:
        :meth:`market_data` gives it the previous close, the stale-open proxy)."""
        return self.spx.dates.intersection(self.vix.dates)

    def missing(self, start: dt.date, end: dt.date) -> dict[str, pd.DatetimeIndex]:
        """Return, per input, the exchange sessions in ``[start, end]`` it lacks (only non-empty)."""
        out = {"SPX": self.spx.missing_sessions(start, end), "VIX": self.vix.missing_sessions(start, end)}
        return {k: v for k, v in out.items() if len(v)}

    def why_rejected(self, gaps: dict[str, pd.DatetimeIndex]) -> str:
        """Return a note naming the bad rows behind missing sessions ("" when all are simply absent)."""
        bad = [b for k, h in (("SPX", self.spx), ("VIX", self.vix)) if k in gaps for b in h.rejected_on(gaps[k])]
        if not bad:
            return ""
        shown = "; ".join(str(b) for b in bad[:3]) + (f"; and {len(bad) - 3} more" if len(bad) > 3 else "")
        return (f". {len(bad)} of those rows exist but were rejected ({shown}): fix them (the run never skips "
                "or fills a session) or set a window without them")

    def describe(self, gaps: dict[str, pd.DatetimeIndex]) -> str:
        """Return one clause per input of ``gaps`` (see :meth:`missing`) naming its file and the sessions.

        E.g. ``VIX_daily_1990_2026.csv: VIX missing on 2019-03-12 (a session the SPX file has)``; a
        session whose row exists but was rejected names the row and the reason."""
        files = {"SPX": self.layout.spx.name, "VIX": self.layout.vix.name}
        other = {"SPX": "VIX", "VIX": "SPX"}
        out = []
        for k, days in gaps.items():
            has = other[k] not in gaps or not len(days.intersection(gaps[other[k]]))
            many = len(days) > 1
            text = f"{files[k]}: {k} missing on {_dates(days)[1:-1]}" + (f" ({len(days)} sessions)" if many else "") + (
                f" ({'sessions' if many else 'a session'} the {other[k]} file has)" if has else "")
            bad = (self.spx if k == "SPX" else self.vix).rejected_on(days)
            if bad:
                text += ("; its row exists but was rejected: " if len(bad) == 1 else
                         f"; {len(bad)} of those rows exist but were rejected: ") + "; ".join(
                    str(b) for b in bad[:3]) + (f"; and {len(bad) - 3} more" if len(bad) > 3 else "")
            out.append(text)
        return "; ".join(out)

    def market_data(self, start: dt.date | None = None, end: dt.date | None = None, *,
                    history_start: dt.date | None = None) -> MarketData:
        """Return SPX + VIX on ``[start, end]``.

        Without ``start`` and ``end``: the latest gap-free span of sessions, from ``history_start``
        on when given (``market.history_start``); a session missing before it (absent, or its row rejected)
        cuts the history there, and ``MarketData.cut`` names it (:meth:`describe`). With them, a session
        missing in the span is a CoverageError naming the dates.
        """
        common = self.common_sessions()
        if history_start is not None:
            common = common[common >= pd.Timestamp(history_start)]
        if len(common) < 2:
            raise CoverageError(f"{self.root}: SPX and VIX share fewer than 2 sessions"
                                + (f" from {history_start}" if history_start else ""))
        cut = stop = ""
        if start is None and end is None:  # the latest gap-free span; the hole before it is named in ``cut``
            start, end, cut = self._gap_free(common)
            stop = self._stop_after(end)
        start = start or common[0].date()
        end = end or common[-1].date()
        gaps = self.missing(start, end)
        if gaps:
            raise CoverageError(f"{self.root}: the data do not cover {start}..{end}: " + "; ".join(
                f"{k} missing on {len(v)} session(s) {_dates(v)}" for k, v in gaps.items()) + self.why_rejected(gaps))
        days = calendars.trading_days(start, end)
        pick = lambda h, f: h.column(f, days)
        vix_close, vix_open = pick(self.vix, "close"), pick(self.vix, "open")
        vix_open = np.where(np.isfinite(vix_open), vix_open, vix_close)  # opens dropped by the loader
        spx_open, spx_high, spx_low = _proxy_opens(self.spx, days)
        frozen = tuple((path.name, *run) for path, h in ((self.layout.spx, self.spx), (self.layout.vix, self.vix))
                       for run in frozen_runs(h.dates, h.open, h.high, h.low, h.close)
                       if run[1] >= start and run[0] <= end)
        return MarketData(dates=days, spx_open=spx_open, spx_high=spx_high, spx_low=spx_low,
                          spx_close=pick(self.spx, "close"), vix_close=vix_close, vix_open=vix_open,
                          source=self.source, files=self.files, cut=cut, stop=stop, frozen=frozen)

    def _gap_free(self, common: pd.DatetimeIndex) -> tuple[dt.date, dt.date, str]:
        """The latest gap-free span of ``common`` sessions and the hole before it (:meth:`describe`; "" if none)."""
        start, end = _latest_gap_free(common)
        hole = pd.Timestamp(start) > common[0]
        return start, end, self.describe(self.missing(*_hole_before(pd.Timestamp(start), common))) if hole else ""

    def cut_after(self, history_start: dt.date) -> tuple[dt.date, str]:
        """Where a run's data from ``history_start`` begin (:meth:`market_data`: after the latest hole) and the hole
        that cuts them there ("" if none): a named period before it cannot run (trial IO31: a rejected 2018 VIX row
        stopped `--period all` on 2008's gfc, with a fix --period refuses)."""
        common = self.common_sessions()
        common = common[common >= pd.Timestamp(history_start)]
        if len(common) < 2:
            return history_start, ""
        start, _, cut = self._gap_free(common)
        return start, cut

    def _stop_after(self, end: dt.date) -> str:
        """Why the data stop at ``end`` where a file goes on after it (its rows, or the other's, absent or
        rejected after ``end``, to today at most), as :meth:`describe` says; "" when neither does (trial DF26: VIX
        rows rejected at the file's end shortened the data with no word, and a run past them was told to move its
        window)."""
        from feeds.loaders import plausible

        days = [h.dates[-1].date() for h in (self.spx, self.vix) if len(h.dates)]
        last = min(max(days + [b.day for h in (self.spx, self.vix) for b in h.rejected]), plausible.today())
        after = calendars.trading_days(end + dt.timedelta(days=1), last) if last > end else []
        return self.describe(self.missing(after[0].date(), last)) if len(after) else ""


def _proxy_opens(spx: IndexHistory, days: pd.DatetimeIndex) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return SPX open, high, low on ``days``; an open the loader dropped (missing, outside low..high) becomes the
    previous row's close (the day's close on the file's first row) with high/low widened to it, as a stale open
    (:mod:`feeds.staleopen`: the best proxy measured; a run notes the AM-settled expiries that settled on one)."""
    prev = np.concatenate([spx.close[:1], spx.close[:-1]])
    open_ = np.where(np.isfinite(spx.open), spx.open, prev)
    frame = pd.DataFrame({"open": open_, "high": np.maximum(spx.high, open_), "low": np.minimum(spx.low, open_)},
                         index=spx.dates).reindex(days)
    return frame["open"].to_numpy(), frame["high"].to_numpy(), frame["low"].to_numpy()


def _latest_gap_free(common: pd.DatetimeIndex) -> tuple[dt.date, dt.date]:
    sessions = calendars.trading_days(common[0].date(), common[-1].date())
    have = sessions.isin(common)
    holes = np.flatnonzero(~have)
    first = 0 if len(holes) == 0 else int(holes[-1]) + 1
    return sessions[first].date(), sessions[-1].date()


def _hole_before(first: pd.Timestamp, common: pd.DatetimeIndex) -> tuple[dt.date, dt.date]:
    """Return the first and last session of the run of sessions missing just before ``first``."""
    sessions = calendars.trading_days(common[0].date(), first.date())
    have = np.flatnonzero(sessions.isin(common))
    last_had = have[-2]  # have[-1] is ``first`` itself
    return sessions[last_had + 1].date(), sessions[len(sessions) - 2].date()


def _dates(days: pd.DatetimeIndex, show: int = 8) -> str:
    shown = ", ".join(d.date().isoformat() for d in days[:show])
    return f"[{shown}{', ...' if len(days) > show else ''}]"


_CACHE: dict[tuple, DataDirectory] = {}  # insertion order: the oldest is evicted first
_CACHE_SIZE = 4


def _signature(layout: Layout, root: Path) -> tuple:
    rules = root / RULES_FILE
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns)
                 for p in (layout.spx, layout.vix, *layout.vx, *layout.chains, *([rules] if rules.is_file() else [])))


def _ticked(paths: Sequence[Path], tick: Callable[[Path], object]) -> Iterator[Path]:
    """Yield ``paths``, calling ``tick(path)`` once the consumer is done with each (asks for the next)."""
    for path in paths:
        yield path
        tick(path)


def _screened(panel: VxPanel, vix: IndexHistory, rules: Rules) -> tuple[VxPanel, IndexHistory]:
    """Return ``panel`` without the rows that fail the VX-against-VIX plausibility rules (as bad rows), and ``vix``
    without the rows those rules find wrong (VIX, not VX, the outlier: :func:`screen_panel`)."""
    keep, bad, wrong = screen_panel(panel.rows, vix.dates, vix.close, rules)
    lo, hi = rules.vx.vix_ratio
    vix = vix.without({day: f"implausible VIX close: the day's VX settles are {q:.3g}x it (median; allowed {lo:g}.."
                            f"{hi:g}x), and VIX moved into that gap while they did not: the VIX row looks mis-keyed"
                       for day, q in wrong.items()})
    if not bad:
        return panel, vix
    return dataclasses.replace(panel, rows=panel.rows[keep].reset_index(drop=True),
                               bad_rows=panel.bad_rows + tuple(bad)), vix


def _required(path: Path, history: IndexHistory) -> IndexHistory:
    """Return ``history``; raise LoadError naming the file, the most common reason and the fix when no row of it
    is usable (a run would only say that SPX and VIX share no session)."""
    if len(history.dates) or not history.bad_rows:
        return history
    top = max(by_kind(history.bad_rows).values(), key=len)
    raise LoadError(path, None, f"none of its {len(history.bad_rows)} rows is usable ({len(top)} like line "
                                f"{top[0].line}: {top[0].reason}): fix the file, or give the right one "
                                f"(`vixhedge data check {path}` lists them)")


def load_directory(root: Path | str, on_file: Callable[[Path], object] | None = None) -> DataDirectory:
    """Load and validate a data directory (see the module docstring); cached per file signature.

    ``on_file`` (e.g. a progress bar's update) is called with each data file once it is loaded (not on a cache hit).
    """
    if not Path(root).is_dir():
        detect_layout(root)  # raises naming the path as given and, if relative, the folder it was taken from
    root = Path(root).resolve()
    layout = detect_layout(root)
    key = (str(root), _signature(layout, root))
    hit = _CACHE.get(key)
    if hit is not None:
        return hit
    tick = on_file or (lambda _path: None)
    rules = load_rules(root / RULES_FILE)
    vix = _required(layout.vix, load_cboe_index(layout.vix, "VIX", rules))
    tick(layout.vix)
    spx = _required(layout.spx, load_ohlc(layout.spx, "SPX", rules=rules))
    tick(layout.spx)
    vx, vix = _screened(load_vx_files(_ticked(layout.vx, tick), rules), vix, rules)
    loaded = DataDirectory(root, layout, spx=spx, vix=vix, vx=vx, options=load_chain_files(_ticked(layout.chains, tick)),
                           rules=rules)
    while len(_CACHE) >= _CACHE_SIZE:  # a 20-year directory holds ~100k rows (tens of MB)
        del _CACHE[next(iter(_CACHE))]
    _CACHE[key] = loaded
    return loaded
