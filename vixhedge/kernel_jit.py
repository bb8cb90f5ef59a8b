"""The kernel's hedge book compiled with numba (the optional ``fast`` extra): :func:`vixhedge.kernel_book.simulate`
bar by bar and, within a bar, point by point on scalars.

The rules, their order and their arithmetic are :mod:`vixhedge.kernel_book`'s, one point at a time (the points of
a chunk do not interact): the same operations in the same order, so the rows equal the numpy path's
(``tests/vixhedge/test_kernel_jit.py``; a point it hands back carries kernel_book's reason, word for word). A point
whose capital binds (``NUMPY``: the caps or buying power cut an order, a maintenance breach, ruin) goes to the
numpy book, which replays those paths (:mod:`vixhedge.kernel_capital`). :func:`covers` names the configs this
compiled book runs (Reg-T margin, VX-future layers, contracts sizing, rolls before settlement, the next condor
not rescaled: ``condor_scale`` 1); any other chunk, a machine where numba does not import, or
``VIXHEDGE_KERNEL=numpy`` in the environment runs the numpy book. Compiled once per checkout (``cache=True``:
numba keeps the machine code beside :mod:`vixhedge.kernel_jit_bar`, the compiled bar, phase by phase, on the
NamedTuples of its inputs defined here); a sweep's parent runs one point before it forks its workers
(:func:`vixhedge.kernel.prepare`), so they inherit it.
"""

from __future__ import annotations

import os
from typing import NamedTuple

import numpy as np

from vixhedge.core import config as C
from vixhedge.kernel_capital import Outcome
from vixhedge.kernel_desk import HORIZON, MULT, WINGS, vx_causes
from vixhedge.kernel_jit_bar import NO_PRICE, NUMPY, NUMPY_REASONS, REASONS, advance_points, compiled_condor_cut, numba
from vixhedge.kernel_options import fill_prices
from vixhedge.kernel_rules import ADD, NEWEST

__all__ = ["ENV", "NUMPY", "NUMPY_REASONS", "REASONS", "available", "covers", "numba", "simulate",
           "compiled_condor_cut"]  # (the reasons and numba for vixhedge.kernel and the tests; the cut for the tests)

ENV = "VIXHEDGE_KERNEL"  # "numpy": never the compiled book (e.g. to compare the two)


def available() -> bool:
    """True when numba imports and the compiled book is not switched off (``VIXHEDGE_KERNEL=numpy``)."""
    return numba is not None and os.environ.get(ENV, "") != "numpy"


def covers(cfg: C.Config) -> bool:
    """True when the compiled book models every rule ``cfg`` uses (a subset of kernel.kernel_covers)."""
    h, c = cfg.hedge, cfg.condor
    return (cfg.margin.mode is C.MarginMode.REG_T and h.instrument is C.HedgeInstrument.VX_FUTURE
            and h.sizing is C.LayerSizing.CONTRACTS
            and h.divergence.condor_scale >= 1
            and c.sizing is C.CondorSizing.CONTRACTS and h.policy_name in ("alvh", "none") and h.roll_days > 0)


class Rules(NamedTuple):
    """The book's rules, per bar and point (:class:`vixhedge.kernel_rules.Book`)."""

    div: np.ndarray
    near: np.ndarray
    cross: np.ndarray
    review: np.ndarray
    review_up: np.ndarray
    bars: np.ndarray
    rule: np.ndarray
    remove_ok: np.ndarray
    add_ok: np.ndarray
    multiple: np.ndarray
    months: np.ndarray
    first_months: np.ndarray


class Settings(NamedTuple):
    """Per point: its hedge settings (``Book.cfg``)."""

    div_rm: np.ndarray
    hold: np.ndarray
    fomc_rm: np.ndarray
    need_condor: np.ndarray
    max_layers: np.ndarray
    roll_days: np.ndarray
    review: np.ndarray
    tenor: np.ndarray
    carry_on: np.ndarray
    first_n: np.ndarray
    max_notional: np.ndarray
    cut: np.ndarray


class Tape(NamedTuple):
    """The condor tape per day (:class:`vixhedge.kernel_condor.CondorTape`; ``*_prem`` the condor group's part of
    the flows) and the wings its exits and cuts left open (``w_*``: :class:`vixhedge.kernel_condor.Wings`)."""

    settled: np.ndarray
    open_flows: np.ndarray
    marks_open: np.ndarray
    req_open: np.ndarray
    exit: np.ndarray
    exit_flows: np.ndarray
    exit_prem: np.ndarray
    entry: np.ndarray
    entry_n: np.ndarray
    entry_loss: np.ndarray
    entry_width: np.ndarray
    entry_cost: np.ndarray
    entry_flows: np.ndarray
    entry_prem: np.ndarray
    marks_close: np.ndarray
    req_close: np.ndarray
    call_flows: np.ndarray
    call_prem: np.ndarray
    left: np.ndarray
    cut_left: np.ndarray
    w_marks: np.ndarray
    w_open: np.ndarray
    w_end: np.ndarray


class VX(NamedTuple):
    """The VX market per day and column (``kernel._Market``) and the day's fills."""

    first: np.ndarray
    mid: np.ndarray
    buy_px: np.ndarray
    sell_px: np.ndarray
    days_to: np.ndarray
    init: np.ndarray
    maint: np.ndarray
    settles: np.ndarray
    beta: np.ndarray  # (the layers' exposure to the VIX: KernelDesk.overnight)


class Scalars(NamedTuple):
    """The window's cash interest, the chunk's shared settings and the kernel's constants (passed: numba's cache
    would keep another module's globals as compiled)."""

    rates: np.ndarray
    gaps: np.ndarray
    i0: int
    fee: float
    frac: float
    loss_cap: float
    margin_cap: float
    horizon: int
    mult: float
    add: int
    newest: int
    empty: int  # the no-contract column


class Accounts(NamedTuple):
    """Per point: cash, condors, layers held, realised hedge P&L, the first layer's notional, the carry, the bar of
    the last add / remove and of the last divergence's removal, the reason (REASONS), the condor group's flows, layers opened; per point and slot: the
    layers (VX column, contracts, basis, notional, contract month) and the wings left open (id, contracts)."""

    cash: np.ndarray
    condors: np.ndarray
    n: np.ndarray
    realized: np.ndarray
    first: np.ndarray
    carry: np.ndarray
    last: np.ndarray
    last_div: np.ndarray
    r: np.ndarray
    flows: np.ndarray
    added: np.ndarray
    cols: np.ndarray
    qtys: np.ndarray
    bases: np.ndarray
    notionals: np.ndarray
    tens: np.ndarray
    wid: np.ndarray
    wn: np.ndarray
    cap: np.ndarray  # a capital cap cut an order on this bar (CapitalGuard.cap_days)


def simulate(b, tape, m, cfg0: C.Config, rates: np.ndarray, gaps: np.ndarray, i0: int) -> Outcome:
    """:func:`vixhedge.kernel_book.simulate` on the compiled book (same arguments, same Outcome)."""
    c, cc = b.cfg, cfg0.condor
    buy_px, sell_px = fill_prices(m.mid, m.bid, m.ask, cfg0.execution)
    P, W, L, empty = len(c["tenor"]), b.div.shape[0], b.layers, m.mid.shape[1] - 1
    nav, hedge, condor, req, low = (np.empty((W, P)) for _ in range(5))  # [days, points]; [points, days] out
    capped = np.zeros((W, P), dtype=np.bool_)
    f = lambda a: np.ascontiguousarray(a, dtype=np.float64)  # noqa: E731
    i = lambda a: np.ascontiguousarray(a, dtype=np.int64)  # noqa: E731
    cut_left = np.array([tape.call_left(k) if b.div[k].any() and c["cut"].any() else 0 for k in range(W)])
    w_marks, w_open, _, w_end = tape.wings.arrays()  # (after cut_left: the cuts' wings added first)
    rules = Rules(b.div, b.near, b.cross, b.review, b.review_up, i(b.bars), i(b.rule), b.remove_ok, b.add_ok, f(b.multiple),
                  i(b.months), i(b.first_months))
    settings = Settings(i(c["div_rm"]), i(c["hold"]), i(c["fomc_rm"]), c["need_condor"], i(c["max_layers"]), i(c["roll_days"]),
                        i(c["review"]), i(c["tenor"]), c["carry_on"], f(c["first_n"]), f(c["max_notional"]),
                        f(c["cut"]))
    tp = Tape(tape.settled, f(tape.open_flows), f(tape.marks_open), f(tape.req_open), tape.exit, f(tape.exit_flows),
              f(tape.exit_prem), tape.entry, f(tape.entry_n), f(tape.entry_loss), f(tape.entry_width),
              f(tape.entry_cost), f(tape.entry_flows), f(tape.entry_prem), f(tape.marks_close), f(tape.req_close),
              f(tape.call_flows), f(tape.call_prem), i(tape.left), i(cut_left), f(w_marks), f(w_open), i(w_end))
    vx = VX(i(m.first), f(m.mid), f(buy_px), f(sell_px), i(m.days_to), f(m.init), f(m.maint), i(m.settles),
            f(m.beta))
    sc = Scalars(f(rates), f(gaps), i0, cfg0.execution.fee_vx_future_usd, cfg0.margin.hedge_budget_nav_fraction,
                 cc.max_loss_cap_nav_fraction, cc.margin_cap_nav_fraction, HORIZON, MULT, ADD, NEWEST, empty)
    z, zi = lambda *shape: np.zeros(shape), lambda *shape: np.zeros(shape, dtype=np.int64)  # noqa: E731
    acc = Accounts(np.full(P, float(cfg0.run.initial_cash_usd)), z(P), zi(P), z(P), z(P), z(P),
                   np.full(P, -(10**9), dtype=np.int64), np.full(P, -(10**9), dtype=np.int64), zi(P), z(P), zi(P), np.full((P, L), empty, dtype=np.int64),
                   z(P, L), z(P, L), z(P, L), zi(P, L), zi(P, WINGS), z(P, WINGS), np.zeros(P, dtype=np.bool_))
    night, exposure = np.zeros((W, P)), np.zeros((W, P))  # the hedge's P&L by cause (KernelDesk.overnight's)
    advance_points(rules, settings, tp, vx, sc, acc, nav, hedge, condor, req, capped, low, night, exposure)
    reason = point_reasons(acc.r, nav)
    return Outcome(np.ascontiguousarray(nav.T), np.diff(hedge.T, axis=1, prepend=0.0), acc.added,
                   [REASONS[r] for r in reason], np.full(P, -1), np.diff(condor.T, axis=1, prepend=0.0),
                   np.ascontiguousarray(req.T), np.ascontiguousarray(capped.T),
                   np.zeros((P, W), dtype=bool),  # (a margin call: the point is the numpy book's, MAINT)
                   np.ascontiguousarray(low.T), *vx_causes(night.T, exposure.T, m.vix), np.zeros((P, W)))


def point_reasons(r: np.ndarray, nav: np.ndarray) -> np.ndarray:
    """Each point's reason: the one its bars gave, else NO_PRICE when its NAV ([days, points]) is NaN on a day."""
    return np.where((r == 0) & ~np.isfinite(nav).all(axis=0), NO_PRICE, r)
