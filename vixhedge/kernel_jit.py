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
numba keeps the machine code beside this module); a sweep's parent runs one point before it forks its workers
(:func:`vixhedge.kernel.prepare`), so they inherit it.
"""

from __future__ import annotations

import os
import types

import numpy as np

from strategies.book import condor_cut, half_up, vx_layer_month
from vixhedge.core import config as C
from vixhedge.kernel_desk import HORIZON, MULT, WINGS
from vixhedge.kernel_capital import Outcome
from vixhedge.kernel_options import fill_prices
from vixhedge.kernel_rules import ADD, NEWEST

ENV = "VIXHEDGE_KERNEL"  # "numpy": never the compiled book (e.g. to compare the two)
REASONS = ("", "no VX contract within the kernel's horizon", "a layer reached its settlement", "ruin (NAV <= 0)",
           "maintenance breach", "the capital caps refuse its condor", "its condor exceeds buying power",
           "a roll exceeds buying power", "a layer exceeds buying power", "a VX contract it trades has no price",
           "more condor wings left open than the kernel tracks")
NO_VX, SETTLES, RUIN, MAINT, CAPS, CONDOR_BP, ROLL_BP, LAYER_BP, NO_PRICE, WINGS_FULL = range(1, len(REASONS))
NUMPY = (RUIN, MAINT, CAPS, CONDOR_BP, ROLL_BP, LAYER_BP)  # capital paths handed to the numpy book (it replays them)
NUMPY_REASONS = frozenset(REASONS[r] for r in NUMPY)  # their reasons, as the compiled book's rows carry them


try:  # this module is imported only where the kernel runs
    import numba
except ImportError:  # not installed (the optional fast extra), or built for another numpy: the numpy book runs
    numba = None


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


if numba is not None:
    _jit = numba.njit(cache=True, error_model="numpy")  # NaN and inf as numpy gives them, never an exception
else:
    _jit = lambda f: f  # noqa: E731  (available() is False: never called)
_vx_month = _jit(vx_layer_month)  # the policy's own rule, compiled: one definition of the month a layer opens in
_condor_cut = _jit(types.FunctionType(condor_cut.__code__, {**condor_cut.__globals__, "half_up": _jit(half_up)},
                                       condor_cut.__name__))  # ... and of the contracts a divergence's condor cut
# buys back (numba calls only compiled functions: its helper half_up is compiled too, in a copy of its globals)


def simulate(b, tape, m, cfg0: C.Config, rates: np.ndarray, gaps: np.ndarray, i0: int) -> Outcome:
    """:func:`vixhedge.kernel_book.simulate` on the compiled book (same arguments, same Outcome)."""
    c, cc = b.cfg, cfg0.condor
    buy_px, sell_px = fill_prices(m.mid, m.bid, m.ask, cfg0.execution)
    P, W = len(c["tenor"]), b.div.shape[0]
    nav, hedge, condor = np.empty((W, P)), np.empty((W, P)), np.empty((W, P))  # [days, points]; [points, days] out
    added, reason = np.zeros(P, dtype=np.int64), np.zeros(P, dtype=np.int64)
    f = lambda a: np.ascontiguousarray(a, dtype=np.float64)  # noqa: E731
    i = lambda a: np.ascontiguousarray(a, dtype=np.int64)  # noqa: E731
    cut_left = np.array([tape.call_left(k) if b.div[k].any() and c["cut"].any() else 0 for k in range(W)])
    w_marks, w_open, _, w_end, _ = tape.wings.arrays()  # (after cut_left: the cuts' wings added first)
    _points(
        # the book's per-bar, per-point rules
        b.div, b.near, b.cross, b.review, i(b.bars), i(b.rule), b.remove_ok, b.add_ok, f(b.multiple), i(b.months),
        i(b.first_months), b.layers,
        # per-point settings
        i(c["div_rm"]), i(c["fomc_rm"]), c["need_condor"], i(c["max_layers"]), i(c["roll_days"]), i(c["review"]), i(c["tenor"]),
        c["carry_on"], f(c["first_n"]), f(c["max_notional"]), f(c["cut"]),
        # the condor tape
        tape.settled, f(tape.open_flows), f(tape.marks_open), f(tape.req_open), tape.exit, f(tape.exit_flows),
        tape.entry, f(tape.entry_n), f(tape.entry_loss), f(tape.entry_width), f(tape.entry_cost),
        f(tape.entry_flows), f(tape.marks_close), f(tape.req_close), f(tape.call_flows),
        f(tape.exit_prem), f(tape.entry_prem), f(tape.call_prem),  # (the condor group's part: premium)
        i(tape.left), i(cut_left), f(w_marks), f(w_open), i(w_end),  # the wings exits and cuts left (Wings)
        # the VX market
        i(m.first), f(m.mid), f(buy_px), f(sell_px), i(m.days_to), f(m.init), f(m.maint), i(m.settles),
        # scalars
        f(rates), f(gaps), i0, cfg0.execution.fee_vx_future_usd, cfg0.margin.hedge_budget_nav_fraction,
        cfg0.run.initial_cash_usd, cc.max_loss_cap_nav_fraction, cc.margin_cap_nav_fraction,
        # the kernel's constants, passed (numba's cache would keep another module's globals as compiled)
        HORIZON, MULT, ADD, NEWEST, WINGS,
        # outputs
        nav, hedge, condor, added, reason)
    return Outcome(np.ascontiguousarray(nav.T), np.diff(hedge.T, axis=1, prepend=0.0), added,
                   [REASONS[r] for r in reason], np.full(P, -1), np.diff(condor.T, axis=1, prepend=0.0))


@_jit
def _points(div, near, cross, review, bars, rule, remove_ok, add_ok, multiple, months, first_months, L,
            div_rm, fomc_rm, need_condor, max_layers, roll_days, review_bars, tenor, carry_on, first_n, max_notional,
            cut,
            settled, open_flows, marks_open, req_open, exit_, exit_flows, entry, entry_n, entry_loss, entry_width,
            entry_cost, entry_flows, marks_close, req_close, call_flows, exit_prem, entry_prem, call_prem, left,
            cut_left, w_marks, w_open, w_end,
            first, mid, buy_px, sell_px, days_to, init, maint, settles,
            rates, gaps, i0, fee, frac, cash0, loss_cap, margin_cap, horizon, mult, add_code, newest_code,
            n_wings, nav, hedge, condor_value, added, reason):  # pragma: no cover - compiled by numba (its twin: kernel_book.simulate)
    """Every point of the chunk, bar by bar (kernel_book.KernelTrader.on_bar's phases, in its order, on each
    point): bars outer, points inner, so each bar's rows of the [days, points] rules are read in memory order."""
    W, P = div.shape
    empty = mid.shape[1] - 1
    cols = np.full((P, L), empty, dtype=np.int64)
    qtys, bases, notionals = np.zeros((P, L)), np.zeros((P, L)), np.zeros((P, L))
    tens = np.zeros((P, L), dtype=np.int64)
    s_cash, s_condors, s_realized = np.full(P, cash0), np.zeros(P), np.zeros(P)
    s_first, s_carry, s_condor = np.zeros(P), np.zeros(P), np.zeros(P)  # s_condor: the condor group's flows
    s_n, s_last, s_r = np.zeros(P, dtype=np.int64), np.full(P, -(10**9), dtype=np.int64), np.zeros(P, dtype=np.int64)
    wid, wn = np.zeros((P, n_wings), dtype=np.int64), np.zeros((P, n_wings))  # wings left open: id, contracts
    for k in range(W):
        i = i0 + k
        for p in range(P):
            cash, condors, n, realized = s_cash[p], s_condors[p], s_n[p], s_realized[p]
            first_notional, carry, last, r, flows = s_first[p], s_carry[p], s_last[p], s_r[p], s_condor[p]
            rd, tn = roll_days[p], tenor[p]
            ro = rd + review_bars[p]  # book.opening_sessions: a new layer skips months it would roll out of
            # ---- open_day: interest, settlement, maintenance and ruin, the condor's trades
            if k:
                cash += cash * rates[k - 1] * gaps[k - 1] / 365.0
            if settled[k]:
                cash += open_flows[k] * condors
                flows += open_flows[k] * condors  # (a settlement pays no fee)
                condors = 0.0
            for s in range(n_wings):  # the wings left open that settle today
                if wn[p, s] != 0:
                    cash += wn[p, s] * w_open[wid[p, s], k]
                    flows += wn[p, s] * w_open[wid[p, s], k]
                    if w_end[wid[p, s]] <= k:
                        wn[p, s] = 0.0
            for s in range(L):
                if settles[cols[p, s]] <= i and r == 0:
                    r = SETTLES
            book = _pnl(qtys, bases, cols, p, mid, k, mult)
            if cash + marks_open[k] * condors + book + _wings(wid, wn, p, w_marks, k) <= 0 and r == 0:
                r = RUIN
            if cash + book - req_open[k] * condors - _margin(qtys, cols, p, maint, k) < 0 and r == 0:
                r = MAINT
            if exit_[k]:
                r = _leave(wid, wn, p, left[k], condors, r)  # its wings bid at 0 left open
                cash += exit_flows[k] * condors
                flows += exit_prem[k] * condors
                condors = 0.0
            if entry[k]:
                nav_e = cash + book + _wings(wid, wn, p, w_marks, k)
                condors = _minnan(entry_n[k], _minnan(_fit(loss_cap * nav_e, entry_loss[k]),
                                                      _fit(margin_cap * nav_e, entry_width[k])))
                if condors < 1 and r == 0:
                    r = CAPS
                if (cash + book - (entry_cost[k] + req_close[k]) * condors - _margin(qtys, cols, p, init, k) < 0
                        and r == 0):
                    r = CONDOR_BP
                cash += entry_flows[k] * condors
                flows += entry_prem[k] * condors
                if div[k, p] and condors >= 1:  # kernel_capital.hold_back: the day's cut of it is not opened
                    held = _condor_cut(cut[p], condors)
                    cash -= held * entry_flows[k]
                    flows -= held * entry_prem[k]
                    condors -= held
            # ---- hedge_bar: decide on the bar's state, then roll, remove or add
            nl = n
            rm = div_rm[p]
            n_div = min(fomc_rm[p] if (near[k, p] and nl > rm and fomc_rm[p] > rm) else rm, nl)
            pre = div[k, p] and n_div > 0  # the divergence removes layers: the crossover / review waits
            act = not pre and (cross[k, p] or (review[k, p] and i - last >= bars[k, p]))
            ru = rule[k, p]
            remove = act and ru >= newest_code and nl > 0 and remove_ok[k, p]
            n_remove = n_div if pre else ((1 if ru == newest_code else nl) if remove else 0)
            add = (act and ru == add_code and not (need_condor[p] and condors == 0) and nl < max_layers[p]
                   and add_ok[k, p])
            n_new, carry_new, mo = 0.0, 0.0, 0
            if add:  # size: contracts after the notional cap, carry and contract month
                is_first = n == 0
                mo = first_months[k, p] if is_first else months[k, p]
                j, r = _new_col(first[k] + mo - 1, days_to, ro, first[k], empty, k, r, horizon)  # the one bought
                j0, r = _new_col(first[k] + tn - 1, days_to, ro, first[k], empty, k, r, horizon)
                if j == j0:  # a placement acts only when it changes the contract
                    mo = tn
                unit = mid[k, j] * mult
                times = multiple[k, p]
                want = times * first_notional + carry
                n_carry = _maxnan(1.0, np.floor(want / unit + 0.5 + 1e-9))
                carried = carry_on[p] and unit > 0
                if is_first:
                    n_new = first_n[p]
                elif carried:
                    n_new = n_carry
                else:
                    n_new = _maxnan(1.0, np.rint(times * first_notional / unit))
                if carried and not is_first:
                    carry_new = _minnan(_maxnan(want - n_carry * unit, -unit), unit)
                if np.isfinite(max_notional[p]) and unit > 0:
                    held = 0.0
                    for s in range(L):
                        held += notionals[p, s] if s < n else 0.0
                    fit = np.floor((max_notional[p] - held) / unit + 1e-9)
                    if fit < n_new:
                        n_new = fit
                n_new = _maxnan(n_new, 0.0)
                add = n_new >= 1
            for s in range(L):  # rolls, in layer order
                dte = days_to[k, cols[p, s]]
                if qtys[p, s] != 0 and not s >= nl - n_remove and dte > 0 and dte <= rd:
                    gain, q = _close(qtys, bases, cols, p, s, sell_px, k, empty, mult)
                    realized += gain
                    cash += gain - q * fee
                    months_s = tens[p, s] if tens[p, s] > 0 else tn
                    to, r = _new_col(first[k] + months_s - 1, days_to, rd, first[k], empty, k, r, horizon)
                    cash, r = _buy(cash, qtys, bases, cols, notionals, p, s, to, q, mid, buy_px, init, req_close,
                                   condors, fee, k, mult, r, ROLL_BP)
            if n_remove:
                for s in range(L):
                    if s >= nl - n_remove and qtys[p, s] != 0:
                        gain, q = _close(qtys, bases, cols, p, s, sell_px, k, empty, mult)
                        realized += gain
                        cash += gain - q * fee
                n -= n_remove
                if n_remove > 0:
                    last = i
            if div[k, p] and not entry[k]:  # the divergence's condor cut (kernel_hedge.HedgeActions.divergence_condor)
                n_cut = _condor_cut(cut[p], condors)
                cash += n_cut * call_flows[k]  # (its wings bid at 0 left open)
                flows += n_cut * call_prem[k]
                condors -= n_cut
                r = _leave(wid, wn, p, cut_left[k], n_cut, r)
            if add:  # add_layer: the hedge budget, buying power, the new slot
                last = i
                carry = carry_new
                to, r = _new_col(first[k] + mo - 1, days_to, ro, first[k], empty, k, r, horizon)
                room = frac * _maxnan(cash + marks_close[k] * condors + _pnl(qtys, bases, cols, p, mid, k, mult)
                                      + _wings(wid, wn, p, w_marks, k), 0.0) - _margin(qtys, cols, p, init, k)
                limit = np.floor(room / init[k, to])
                if limit < n_new:
                    n_new = _maxnan(limit, 0.0)
                if n_new >= 1:
                    cash, r = _buy(cash, qtys, bases, cols, notionals, p, n, to, n_new, mid, buy_px, init, req_close,
                                   condors, fee, k, mult, r, LAYER_BP)
                    tens[p, n] = 0 if mo == tn else mo
                    if n == 0:
                        first_notional = notionals[p, 0]
                    n += 1
                    added[p] += 1
            book = _pnl(qtys, bases, cols, p, mid, k, mult)
            nav[k, p] = cash + marks_close[k] * condors + book + _wings(wid, wn, p, w_marks, k)
            hedge[k, p] = realized + book
            condor_value[k, p] = flows + marks_close[k] * condors + _wings(wid, wn, p, w_marks, k)
            s_cash[p], s_condors[p], s_n[p], s_realized[p] = cash, condors, n, realized
            s_first[p], s_carry[p], s_last[p], s_r[p], s_condor[p] = first_notional, carry, last, r, flows
    for p in range(P):
        r = s_r[p]
        if r == 0:
            for k in range(W):
                if not np.isfinite(nav[k, p]):
                    r = NO_PRICE
                    break
        reason[p] = r


@_jit
def _close(qtys, bases, cols, p, s, sell_px, k, empty, mult):  # pragma: no cover - compiled
    """``kernel_desk.KernelDesk.close`` of slot ``s``: empty it; return (realised gain, contracts closed)."""
    q = qtys[p, s]
    gain = q * (sell_px[k, cols[p, s]] - bases[p, s]) * mult
    qtys[p, s], cols[p, s] = 0.0, empty
    return gain, q


@_jit
def _buy(cash, qtys, bases, cols, notionals, p, s, to, q, mid, buy_px, init, req_close, condors, fee, k, mult, r,
         why):  # pragma: no cover - compiled
    """The buying-power check (reason ``why`` when short), then ``kernel_desk.KernelDesk.open_``: ``q`` contracts of
    column ``to`` in slot ``s``; return (cash, reason)."""
    if not _affords(cash, qtys, bases, cols, p, mid, buy_px, init, req_close, condors, fee, q, to, k, mult) and r == 0:
        r = why
    cols[p, s], qtys[p, s], bases[p, s] = to, q, buy_px[k, to]
    notionals[p, s] = q * mid[k, to] * mult
    return cash - q * fee, r


@_jit
def _pnl(qtys, bases, cols, p, mid, k, mult):  # pragma: no cover - compiled
    s = 0.0
    for j in range(qtys.shape[1]):
        s += qtys[p, j] * (mid[k, cols[p, j]] - bases[p, j])
    return s * mult


@_jit
def _leave(wid, wn, p, wing_id, n, r):  # pragma: no cover - compiled
    """``kernel_desk.KernelDesk.leave_wings``: point ``p`` keeps ``n`` of the wings ``wing_id`` (0: none) open in a
    free slot; return the reason (WINGS_FULL when none is free)."""
    if wing_id > 0 and n > 0:
        s = 0
        while s < wid.shape[1] and wn[p, s] != 0:
            s += 1
        if s == wid.shape[1]:
            if r == 0:
                r = WINGS_FULL
        else:
            wid[p, s], wn[p, s] = wing_id, n
    return r


@_jit
def _wings(wid, wn, p, w_marks, k):  # pragma: no cover - compiled
    """The marks of the wings point ``p``'s exits left open (kernel_desk.KernelDesk.wings)."""
    s = 0.0
    for j in range(wid.shape[1]):
        s += wn[p, j] * w_marks[wid[p, j], k]
    return s


@_jit
def _margin(qtys, cols, p, per, k):  # pragma: no cover - compiled
    s = 0.0
    for j in range(qtys.shape[1]):
        s += qtys[p, j] * per[k, cols[p, j]]
    return s


@_jit
def _new_col(j, days_to, rd, first_k, empty, k, r, horizon):  # pragma: no cover - compiled
    """``kernel_desk.KernelDesk.new_col`` for one point that trades: (column, reason), by the compiled
    :func:`strategies.book.vx_layer_month` on the listed contracts' sessions left."""
    j = first_k + _vx_month(j - first_k + 1, days_to[k, first_k:min(first_k + horizon, empty)], rd) - 1
    if j >= min(empty, first_k + horizon) and r == 0:
        r = NO_VX
    return min(j, empty - 1), r


@_jit
def _affords(cash, qtys, bases, cols, p, mid, buy_px, init, req_close, condors, fee, n, j, k, mult):  # pragma: no cover
    cost = n * fee - n * (mid[k, j] - buy_px[k, j]) * mult
    req = req_close[k] * condors + _margin(qtys, cols, p, init, k) + n * init[k, j]
    return cash + _pnl(qtys, bases, cols, p, mid, k, mult) - cost - req >= 0


@_jit
def _fit(budget, per):  # pragma: no cover - compiled
    if per <= 0:
        return 0.0
    return _maxnan(0.0, np.floor(budget / per + 1e-9))


@_jit
def _maxnan(a, b):  # pragma: no cover - compiled
    """np.maximum on scalars: NaN when either is NaN."""
    if a != a or b != b:
        return np.nan
    return a if a >= b else b


@_jit
def _minnan(a, b):  # pragma: no cover - compiled
    """np.minimum on scalars: NaN when either is NaN."""
    if a != a or b != b:
        return np.nan
    return a if a <= b else b
