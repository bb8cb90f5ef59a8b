"""The all-points sweep kernel: every point of a batch advanced together, bar by bar, with numpy.

A sweep point's result depends on its own keys through the hedge book only when the condor, the execution
and the window are shared. The kernel therefore computes once per batch what the points share (the condor
book, :mod:`vixhedge.kernel_condor`; the VX quotes, fills, margins and trading days to settlement of every
contract on every day and the VIX calls points trade, :class:`_Market`; each signal part,
:mod:`vixhedge.kernel_signals`) and runs the hedge state machine of :class:`strategies.trader.Trader`
(:mod:`vixhedge.kernel_book`) on arrays of points: layers, caps, the hedge budget, buying power, maintenance
and ruin checks.

The event-driven Trader stays the reference. :func:`kernel_covers` names what a config uses that the kernel
does not model; such points run on the event path. The capital paths (buying-power cuts, the maintenance cure,
ruin) are replayed (:mod:`vixhedge.kernel_capital`; a point whose capital makes it open a condor the shared tape
does not trade follows a branch of it, :class:`vixhedge.kernel_condor.Tapes`). A point whose path the kernel
does not replay is detected bar by bar and sent to the event path, with its reason: the kernel never returns a
row the Trader would not.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from feeds import calendars
from feeds.marketquotes import vx_bid_ask
from strategies.book import opening_sessions
from vixhedge.core import config as C
from vixhedge.kernel_book import HORIZON, simulate
from vixhedge.kernel_condor import condor_tape
from vixhedge.kernel_options import OptionQuotes
from vixhedge.kernel_rules import Book
from vixhedge.kernel_signals import SignalBank
from vixhedge.core.instruments import Contract, Kind
from vixhedge.core.margin import vx_margin

CHUNK = 512  # points advanced together: bounds the [days, points] arrays (~5 MB each on 5 years)


def kernel_covers(cfg: C.Config) -> str | None:
    """Return None when the kernel models every rule ``cfg`` uses, else why not (one short phrase)."""
    h, c = cfg.hedge, cfg.condor
    checks = (
        (h.policy_name in ("alvh", "static", "vxth", "none"),
         f"hedge.policy = {h.policy_name!r} (the kernel runs alvh, static, vxth and none)"),
        ((h.mode is C.HedgeMode.VXTH) == (h.policy_name == "vxth"),
         f"hedge.policy = {h.policy_name!r} with hedge.mode = {h.mode.value!r}"),
        (cfg.margin.mode is C.MarginMode.REG_T or (h.instrument is C.HedgeInstrument.VX_FUTURE and h.mode is not
                                                    C.HedgeMode.VXTH),  # (VIX options margined together: no)
         f"margin.mode = {cfg.margin.mode.value!r} with VIX option layers"),
        (c.selector_name == "standard", f"condor.selector = {c.selector_name!r} (a plug-in picks the strikes)"),
        (not h.signals, "hedge.signals (plug-in signals)"),
        (not cfg.analysis.analyzers, "analysis.analyzers (plug-in analyzers read the full result)"),
    )
    return next((why for ok, why in checks if not ok), None)


@dataclass(frozen=True)
class _Market:
    """Per window day and VX column (the front contract and HORIZON after it): quotes, margins, sessions."""

    first: np.ndarray  # [days] column of the front contract (settling strictly after the day)
    mid: np.ndarray  # [days, columns] VX mid (NaN: not listed)
    bid: np.ndarray
    ask: np.ndarray
    days_to: np.ndarray  # sessions from the day to the column's settlement (-1 once past)
    init: np.ndarray  # VX initial margin per contract
    maint: np.ndarray
    settles: np.ndarray  # [columns] settlement day index in the market (or len(days) past the data)
    settle_px: np.ndarray  # [columns] final settlement value (Market.settlement_value; 0 past the window)
    beta: np.ndarray  # [days, columns] VX vix_beta (dF/dVIX; hedge.sizing = "vega_ratio"; the VIX move's share)
    vix_to_atm: float  # the market's bridge parameters (vixhedge.bridge.spx_vega_equivalent)
    kappa: float
    options: OptionQuotes  # VIX calls on each column's expiry, priced on first use (option layers)
    vix: np.ndarray  # [days] VIX close (the hedge's P&L by cause: kernel_desk.vx_causes)
    # the last column is no contract (price, margins 0; never settles): where closed layer slots point


_MARKETS: dict[tuple, tuple[object, _Market]] = {}  # (id(market), window, margin, spread): built once per sweep


def _market(market, i0: int, i1: int, margin: C.MarginConfig) -> _Market:
    key = (id(market), i0, i1, margin.vx_initial_usd, margin.vx_maintenance_usd, market.cfg.spreads.vx_future)
    hit = _MARKETS.get(key)
    if hit is not None and hit[0] is market:
        return hit[1]
    vx = market.vx
    rows = np.arange(i0, i1 + 1)
    first = np.argmax(vx.tau_years[rows] > 0, axis=1)
    ncol = len(vx.contracts)
    shape = (len(rows), ncol + 1)
    mid = np.zeros(shape)
    mid[:, :ncol] = vx.prices[rows]
    bid, ask = np.zeros(shape), np.zeros(shape)
    bid[:, :ncol] = ask[:, :ncol] = np.nan
    days_to, init, maint = np.full(shape, -1, dtype=np.int64), np.zeros(shape), np.zeros(shape)
    beta = np.zeros(shape)
    beta[:, :ncol] = vx.beta[rows]
    settle = [x.settlement for x in vx.contracts]
    spread = market.cfg.spreads.vx_future
    for k, i in enumerate(rows):
        today = market.days[i]
        front, skipped = market.vx_listing(today)
        for j in range(max(first[k] - 1, 0), min(first[k] + HORIZON, ncol)):
            if math.isfinite(mid[k, j]):
                bid[k, j], ask[k, j] = vx_bid_ask(float(mid[k, j]), spread)
            if settle[j] >= today:
                days_to[k, j] = calendars.business_days_between(today, settle[j])
            init[k, j], maint[k, j] = vx_margin(front, settle[j], margin, skipped)  # the Desk's own rule
    index = {d: n for n, d in enumerate(market.days)}
    settles = np.array([index.get(d, len(market.days)) for d in settle] + [len(market.days)])
    settle_px = np.zeros(ncol + 1)
    for j in np.flatnonzero((settles >= i0) & (settles <= i1)):  # what the window's layers can settle at
        settle_px[j] = market.settlement_value(Contract(Kind.VX_FUTURE, settle[j]))
    mc = market.cfg
    out = _Market(first, mid, bid, ask, days_to, init, maint, settles, settle_px, beta, mc.spx_smile.vix_to_atm,
                  mc.vx_curve.mean_reversion_per_year, OptionQuotes(market, i0, settle),
                  np.asarray(market.data.vix_close[rows], dtype=float))
    _MARKETS.clear()  # one market and window at a time: memory stays flat
    _MARKETS[key] = (market, out)
    return out


_TAPES: dict[tuple, tuple[object, object]] = {}  # the condor tapes of this process's sweep (a few condor books)


def _tape(market, cfg: C.Config, i0: int, i1: int):
    key = (id(market), cfg.condor, _fills(cfg.execution), cfg.margin, i0, i1)
    hit = _TAPES.get(key)
    if hit is None or hit[0] is not market:
        if len(_TAPES) >= 8:
            _TAPES.clear()
        hit = _TAPES[key] = (market, condor_tape(market, cfg.condor, cfg.execution, cfg.margin, i0, i1))
    return hit[1]


def run_points(points: Sequence, market, in_sample_end: dt.date | None) -> tuple[list[dict], list[tuple]]:
    """Run covered ``points`` (sweep.Point) on the kernel; return (result rows, [(point, reason)] to run on the
    event path). Rows equal :func:`vixhedge.sweep.run_point`'s for the same points."""
    from vixhedge.sweep_metrics import metrics_row

    rows, rest = [], []
    checked: dict[tuple, str | None] = {}  # one listing check per window and reach, not per point
    gaps: dict[str, str] = {}
    for p in points:
        key = _reach(p.config)
        if key not in checked:
            checked[key] = listing_gap(market, p.config)
        if checked[key]:
            gaps[p.key] = checked[key]
    rest += [(p, gaps[p.key]) for p in points if p.key in gaps]
    for p, out, k, days in outcomes([p for p in points if p.key not in gaps], market):
        if out.reason[k]:
            rest.append((p, out.reason[k]))
            continue
        nav, ruin, ruined = out.nav[k], int(out.ruin[k]), ""
        if ruin >= 0:  # the valid span: to the ruin day, NAV 0 on it (vixhedge.run.valid_nav)
            nav, ruined = nav[:ruin + 1], str(days[ruin])
        rows.append({"point": p.key, **p.params,
                     **metrics_row(nav, out.hedge_pnl[k], out.condor_pnl[k], days, int(out.layers[k]),
                                   p.config.analysis, in_sample_end, market, ruined, margin=out.margin[k],
                                   capped=out.capped[k], called=out.called[k], excess=out.excess[k],
                                   cash=p.config.run.initial_cash_usd, causes=out.causes(k))})
    return rows, rest


def listing_gap(market, cfg: C.Config) -> str | None:
    """Why the kernel cannot run ``cfg``'s window on ``market`` (None when it can): the VX files show the exchange
    skipping a contract month the kernel could trade there (:attr:`feeds.vxcurve.VxCurve.unlisted`: CFE before
    2008; a far month missing for a day or two later, as 2020-09 on 2019-12-09/10, is beyond any layer's reach);
    the kernel counts a layer's month in consecutive contracts, the Trader in listed ones."""
    start, end, reach = _reach(cfg)
    if reach == 0 or not market.vx.skipped_near(
            bisect.bisect_left(market.days, start), bisect.bisect_right(market.days, end), reach):
        return None
    return "the VX files show months the exchange had not listed in the window (the kernel counts every month)"


SETTLEMENT_GAP = 16  # fewest sessions between consecutive VX settlements, 2004-2035 (test_kernel_reach.py)


def _reach(cfg: C.Config) -> tuple[dt.date, dt.date, int]:
    """The window and the furthest contract month (1 = front) a layer of ``cfg`` opens or rolls in: what
    :func:`listing_gap` checks. Its tenor, placement's extra month on top; or further when the skip rule
    (:func:`strategies.book.vx_layer_month`) passes the months within ``near`` sessions of settlement: month n is
    more than (n - 1) x SETTLEMENT_GAP sessions away, so the rule stops by month near // SETTLEMENT_GAP + 2. (Trial
    W, 2026-12-05: tenor + extra + 3 handed every default point of a 2008 window to the event path, ~150x slower,
    where the kernel equals it; tenor 5 + extra 3 there does not, and stays handed back.) 0 without a hedge: no
    layer, no month counted (a key of :func:`run_points`' checks: a hedged point of the window is checked apart)."""
    h = cfg.hedge
    if h.policy_name == "none":
        return cfg.run.start, cfg.run.end, 0
    near = max(opening_sessions(h), h.vxth.min_sessions if h.policy_name == "vxth" else 0)
    return cfg.run.start, cfg.run.end, max(h.tenor_months + h.placement.flat_extra_tenor, near // SETTLEMENT_GAP + 2)


def outcomes(points: Sequence, market) -> Iterator[tuple]:
    """Yield ``(point, Outcome, its row in it, the window's days)`` per point, chunk by chunk (CHUNK points)."""
    from vixhedge.window import check_window

    groups: dict[tuple, list] = {}
    for p in points:
        cfg = p.config
        shared = (cfg.condor, _fills(cfg.execution), cfg.margin, cfg.run, cfg.market, runs_compiled(cfg))
        groups.setdefault(shared, []).append(p)
    bank = _bank(market)
    for group in groups.values():
        cfg0 = group[0].config
        i0, i1 = check_window(cfg0, market)
        vxm = _market(market, i0, i1, cfg0.margin)
        tape = _tape(market, cfg0, i0, i1)
        days = np.array(market.days[i0:i1 + 1], dtype="datetime64[D]")
        rates = np.array([market.night_rate(d) for d in market.days[i0:i1 + 1]])  # the Desk's cash interest
        gaps = np.diff(days).astype(np.int64)
        for s in range(0, len(group), CHUNK):
            chunk = group[s:s + CHUNK]
            book = _signal_book(bank, chunk, i0, i1)
            run = _book(chunk)
            out = run(book, tape, vxm, cfg0, rates, gaps, i0)
            again = set() if run is simulate else _handed_to_numpy(out.reason)
            for k, p in enumerate(chunk):
                if k not in again:
                    yield p, out, k, days
            if again:  # capital paths the compiled book hands to the numpy book
                chunk = [chunk[k] for k in sorted(again)]
                book = _signal_book(bank, chunk, i0, i1)
                out = simulate(book, tape, vxm, cfg0, rates, gaps, i0)
                for k, p in enumerate(chunk):
                    yield p, out, k, days


def _fills(e: C.ExecutionConfig) -> C.ExecutionConfig:
    """What a chunk's points share of ``[execution]``: all but the signal delay, which acts through their Book."""
    return replace(e, signal_delay_bars=0) if e.signal_delay_bars else e


def _signal_book(bank: SignalBank, chunk: Sequence, i0: int, i1: int) -> Book:
    """The chunk's signals as its decisions read them (``execution.signal_delay_bars``: bar t reads bar t - N's)."""
    sets = (bank.signals(p.config.hedge, p.config.execution.signal_delay_bars) for p in chunk)
    return Book.of([p.config for p in chunk], sets, i0, i1)


# ---- the compiled book (vixhedge.kernel_jit, the optional numba extra) where it covers a chunk; shared state
_BANKS: dict[int, tuple[object, SignalBank]] = {}  # one SignalBank per Market: each EMA once per sweep


def _bank(market) -> SignalBank:
    hit = _BANKS.get(id(market))
    if hit is None or hit[0] is not market:
        _BANKS.clear()
        hit = _BANKS[id(market)] = (market, SignalBank(market))
    return hit[1]


def _handed_to_numpy(reasons: list[str]) -> set[int]:
    """The points of a compiled chunk whose capital bound (kernel_jit.NUMPY): the numpy book replays them."""
    from vixhedge import kernel_jit

    return {k for k, why in enumerate(reasons) if why in kernel_jit.NUMPY_REASONS}


def runs_compiled(cfg: C.Config) -> bool:
    """True when the compiled book runs ``cfg`` (numba is there and covers it): its points form chunks apart."""
    from vixhedge import kernel_jit

    return kernel_jit.available() and kernel_jit.covers(cfg)


def _book(chunk: Sequence):
    """Return the chunk's simulate: the compiled one when it runs every point of the chunk, else numpy's."""
    from vixhedge import kernel_jit

    return kernel_jit.simulate if all(runs_compiled(p.config) for p in chunk) else simulate


def prepare(point, market) -> None:
    """Run ``point`` once, discarding it: builds what a sweep's kernel points share (the VX quotes, the condor
    tape, the signal bank) and compiles the book, so workers forked after this inherit them."""
    for _ in outcomes([point], market):
        pass
