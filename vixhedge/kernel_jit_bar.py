"""The compiled book's bar (:mod:`vixhedge.kernel_jit`): :func:`advance_points` advances every point of a chunk, bar by
bar and, within a bar, point by point, through :class:`vixhedge.kernel_book.KernelTrader.on_bar`'s phases in its
order, each a function here on one point's scalars: :func:`_open_day` (interest, the settlements at the open, the
capital tests that hand a point to the numpy book), :func:`_manage_condor` (the exit, the entry and its caps),
:func:`_decide` (the policy on the bar's state and the add's size), then the actions: :func:`_roll_layers`,
:func:`_remove_layers`, :func:`_cut_condor` (a divergence's), :func:`_add_layer`. Their arguments are the
NamedTuples of :mod:`vixhedge.kernel_jit` (the rules, settings, condor tape, VX market, scalars and the points'
accounts). Below them, the operations on one point's slots (a layer's close and buy, the layers' P&L and margin, the
wings left open, a new layer's column by the policy's own :func:`strategies.book.vx_layer_month`, compiled) and the
reasons a point is handed back (``REASONS``). Every compiled function of the book is in this module: numba's cache
(``cache=True``, beside it) is made stale by an edit of the module it is in only, and a cached loop holds the
functions it inlined.
"""

from __future__ import annotations

import types

import numpy as np

from strategies.book import condor_cut, half_up, vx_layer_month

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


if numba is not None:
    _jit = numba.njit(cache=True, error_model="numpy")  # NaN and inf as numpy gives them, never an exception
    # the loop, its phases and the sums over a point's slots every bar reads allocate nothing: compiled without
    # numba's reference counting (_nrt=False), which would count a reference to each array a phase takes from its
    # NamedTuples, for every point on every bar, the phases and sums inlined in the loop (numba's IR): measured on
    # the bench's 2048-point grid, 0.23 s of CPU where the one-function loop before the split took 0.46 (without
    # the condor P&L), and 10 x that without these flags
    _loop = numba.njit(cache=True, error_model="numpy", _nrt=False)
    _phase = _sum = numba.njit(cache=True, error_model="numpy", _nrt=False, inline="always")
else:
    _jit = _loop = _phase = _sum = lambda f: f  # noqa: E731  (available() is False: never called)
_vx_month = _jit(vx_layer_month)  # the policy's own rule, compiled: one definition of the month a layer opens in
compiled_condor_cut = _jit(types.FunctionType(condor_cut.__code__, {**condor_cut.__globals__, "half_up": _jit(half_up)},
                                       condor_cut.__name__))  # ... and of the contracts a divergence's condor cut
# buys back (numba calls only compiled functions: its helper half_up is compiled too, in a copy of its globals)


@_loop
def advance_points(rules, settings, tp, vx, sc, acc, nav, hedge, condor, req, capped, low, night,
                   exposure):  # pragma: no cover
    """Every point of the chunk, bar by bar (its twin: kernel_book.KernelTrader.on_bar's phases, in its order, on
    each point): bars outer, points inner, so each bar's rows of the [days, points] rules are read in memory order;
    the day's NAV and hedge and condor group values at the close to ``nav``, ``hedge``, ``condor`` [days, points],
    its maintenance requirement then to ``req``, whether a capital cap cut an order that day to ``capped`` and its
    lowest excess liquidity (the open's check or the close's, Reg-T: cash and the layers' P&L less the requirement)
    to ``low``; what the layers held at the close make by the next one and their exposure to the VIX to ``night``
    and ``exposure`` on the next day (``KernelDesk.overnight``'s, no layer settling on the compiled book).
    A point's scalars (cash, condors held, layers held, realised hedge P&L, the first layer's notional, the carry,
    the bar of the last add / remove, its reason, the condor group's flows) are local to its step, kept in ``acc``
    between bars."""
    W, P = rules.div.shape
    for k in range(W):
        i = sc.i0 + k
        for p in range(P):
            cash, condors, n, realized = acc.cash[p], acc.condors[p], acc.n[p], acc.realized[p]
            acc.cap[p] = False
            first_notional, carry, last, r, flows = acc.first[p], acc.carry[p], acc.last[p], acc.r[p], acc.flows[p]
            cash, condors, flows, r, check = _open_day(k, i, p, cash, condors, flows, r, tp, vx, sc, acc)
            cash, condors, flows, r = _manage_condor(k, p, cash, condors, flows, r, rules, settings, tp, vx, sc, acc)
            n_remove, cut, add, n_new, carry_new, mo, r = _decide(k, i, p, n, condors, first_notional, carry, last,
                                                                  r, rules, settings, vx, sc, acc)
            if cut:
                acc.last_div[p] = i
            cash, realized, r = _roll_layers(k, p, n, n_remove, cash, realized, condors, r, settings, tp, vx, sc, acc)
            if n_remove:
                cash, realized = _remove_layers(k, p, n, n_remove, cash, realized, vx, sc, acc)
                n -= n_remove
                if n_remove > 0:
                    last = i
            if rules.div[k, p] and not tp.entry[k]:  # the divergence's condor cut
                cash, condors, flows, r = _cut_condor(k, p, cash, condors, flows, r, settings, tp, acc)
            if add:
                last, carry = i, carry_new
                cash, n, first_notional, r = _add_layer(k, p, n, n_new, mo, cash, condors, first_notional, r,
                                                        settings, tp, vx, sc, acc)
            book = _pnl(acc.qtys, acc.bases, acc.cols, p, vx.mid, k, sc.mult)
            wings = _wings(acc.wid, acc.wn, p, tp.w_marks, k)
            nav[k, p] = cash + tp.marks_close[k] * condors + book + wings
            hedge[k, p] = realized + book
            condor[k, p] = flows + tp.marks_close[k] * condors + wings
            req[k, p] = tp.req_close[k] * condors + _margin(acc.qtys, acc.cols, p, vx.maint, k)  # (KernelDesk's)
            low[k, p] = _minnan(check, cash + book - req[k, p])  # (KernelDesk.excess_close's, Reg-T)
            capped[k, p] = acc.cap[p]
            if k + 1 < W:
                night[k + 1, p] = _pnl(acc.qtys, acc.bases, acc.cols, p, vx.mid, k + 1, sc.mult) - book
                exposure[k + 1, p] = _margin(acc.qtys, acc.cols, p, vx.beta, k)
            acc.cash[p], acc.condors[p], acc.n[p], acc.realized[p] = cash, condors, n, realized
            acc.first[p], acc.carry[p], acc.last[p], acc.r[p], acc.flows[p] = first_notional, carry, last, r, flows


@_phase
def _open_day(k, i, p, cash, condors, flows, r, tp, vx, sc, acc):  # pragma: no cover - compiled
    """``KernelTrader._open_day``, ``_sync_settled`` and ``_cure_breach``'s tests: the interest on the cash, the
    condor's settlement at the open and the wings left open that settle today; a layer settling, a ruin or a
    maintenance breach hands the point to the numpy book (SETTLES, RUIN, MAINT). Return (cash, condors, condor
    flows, reason, the excess liquidity the check saw)."""
    wid, wn = acc.wid, acc.wn
    if k:
        cash += cash * sc.rates[k - 1] * sc.gaps[k - 1] / 365.0
    if tp.settled[k]:
        cash += tp.open_flows[k] * condors
        flows += tp.open_flows[k] * condors  # (a settlement pays no fee)
        condors = 0.0
    for s in range(wid.shape[1]):  # the wings left open that settle today
        if wn[p, s] != 0:
            cash += wn[p, s] * tp.w_open[wid[p, s], k]
            flows += wn[p, s] * tp.w_open[wid[p, s], k]
            if tp.w_end[wid[p, s]] <= k:
                wn[p, s] = 0.0
    for s in range(acc.cols.shape[1]):
        if vx.settles[acc.cols[p, s]] <= i and r == 0:
            r = SETTLES
    book = _pnl(acc.qtys, acc.bases, acc.cols, p, vx.mid, k, sc.mult)
    if cash + tp.marks_open[k] * condors + book + _wings(wid, wn, p, tp.w_marks, k) <= 0 and r == 0:
        r = RUIN
    check = cash + book - tp.req_open[k] * condors - _margin(acc.qtys, acc.cols, p, vx.maint, k)
    if check < 0 and r == 0:
        r = MAINT
    return cash, condors, flows, r, check


@_phase
def _manage_condor(k, p, cash, condors, flows, r, rules, settings, tp, vx, sc, acc):  # pragma: no cover - compiled
    """``KernelTrader._manage_condor``: the condor's exit (its wings bid at 0 left open), then the entry, cut to
    the capital caps (CAPS when they refuse it; CONDOR_BP when buying power does not allow it), less the day's
    divergence cut held back (``kernel_capital.hold_back``). Return (cash, condors, condor flows, reason)."""
    if tp.exit[k]:
        r = _leave(acc.wid, acc.wn, p, tp.left[k], condors, r)  # its wings bid at 0 left open
        cash += tp.exit_flows[k] * condors
        flows += tp.exit_prem[k] * condors
        condors = 0.0
    if tp.entry[k]:
        book = _pnl(acc.qtys, acc.bases, acc.cols, p, vx.mid, k, sc.mult)
        nav_e = cash + book + _wings(acc.wid, acc.wn, p, tp.w_marks, k)
        condors = _minnan(tp.entry_n[k], _minnan(_fit(sc.loss_cap * nav_e, tp.entry_loss[k]),
                                                 _fit(sc.margin_cap * nav_e, tp.entry_width[k])))
        if condors < tp.entry_n[k]:  # the caps cut it (CapitalGuard.cap)
            acc.cap[p] = True
        if condors < 1 and r == 0:
            r = CAPS
        if (cash + book - (tp.entry_cost[k] + tp.req_close[k]) * condors
                - _margin(acc.qtys, acc.cols, p, vx.init, k) < 0 and r == 0):
            r = CONDOR_BP
        cash += tp.entry_flows[k] * condors
        flows += tp.entry_prem[k] * condors
        if rules.div[k, p] and condors >= 1:  # kernel_capital.hold_back: the day's cut of it is not opened
            held = compiled_condor_cut(settings.cut[p], condors)
            cash -= held * tp.entry_flows[k]
            flows -= held * tp.entry_prem[k]
            condors -= held
    return cash, condors, flows, r


@_phase
def _decide(k, i, p, n, condors, first_notional, carry, last, r, rules, settings, vx, sc,
            acc):  # pragma: no cover - compiled
    """``HedgeActions._decide`` on the bar's state: the layers a divergence (it takes the bar when it removes
    some), the crossover or the review removes; whether it adds one, and its size (the first layer's, or the
    notional multiple with its carry; the notional cap), carry and contract month. Return (layers removed,
    whether a divergence removed them (``divergence.hold_adds`` counts from this bar), add, contracts, carry, month,
    reason)."""
    rm, fomc_rm = settings.div_rm[p], settings.fomc_rm[p]
    n_div = min(fomc_rm if (rules.near[k, p] and n > rm and fomc_rm > rm) else rm, n)
    pre = rules.div[k, p] and n_div > 0  # the divergence removes layers: the crossover / review waits
    act = not pre and (rules.cross[k, p] or (rules.review[k, p] and i - last >= rules.bars[k, p]))
    ru = rules.rule[k, p]
    remove = act and ru >= sc.newest and n > 0 and rules.remove_ok[k, p]
    n_remove = n_div if pre else ((1 if ru == sc.newest else n) if remove else 0)
    held = rules.review_up[k, p] and i - acc.last_div[p] <= settings.hold[p]  # a review adds none back yet
    add = (act and ru == sc.add and not (settings.need_condor[p] and condors == 0) and n < settings.max_layers[p]
           and rules.add_ok[k, p] and not held)
    n_new, carry_new, mo = 0.0, 0.0, 0
    if add:  # size: contracts after the notional cap, carry and contract month
        tn, first = settings.tenor[p], vx.first[k]
        ro = settings.roll_days[p] + settings.review[p]  # book.opening_sessions: skip months it would roll out of
        is_first = n == 0
        mo = rules.first_months[k, p] if is_first else rules.months[k, p]
        j, r = _new_col(first + mo - 1, vx.days_to, ro, first, sc.empty, k, r, sc.horizon)  # the one bought
        j0, r = _new_col(first + tn - 1, vx.days_to, ro, first, sc.empty, k, r, sc.horizon)
        if j == j0:  # a placement acts only when it changes the contract
            mo = tn
        unit = vx.mid[k, j] * sc.mult
        times = rules.multiple[k, p]
        want = times * first_notional + carry
        n_carry = _maxnan(1.0, np.floor(want / unit + 0.5 + 1e-9))
        carried = settings.carry_on[p] and unit > 0
        if is_first:
            n_new = settings.first_n[p]
        elif carried:
            n_new = n_carry
        else:
            n_new = _maxnan(1.0, np.rint(times * first_notional / unit))
        if carried and not is_first:
            carry_new = _minnan(_maxnan(want - n_carry * unit, -unit), unit)
        cap = settings.max_notional[p]
        if np.isfinite(cap) and unit > 0:
            held = 0.0
            for s in range(acc.notionals.shape[1]):
                held += acc.notionals[p, s] if s < n else 0.0
            fit = np.floor((cap - held) / unit + 1e-9)
            if fit < n_new:
                n_new = fit
                acc.cap[p] = True
        n_new = _maxnan(n_new, 0.0)
        add = n_new >= 1
    return n_remove, pre, add, n_new, carry_new, mo, r


@_phase
def _roll_layers(k, p, n, n_remove, cash, realized, condors, r, settings, tp, vx, sc,
                 acc):  # pragma: no cover - compiled
    """``HedgeActions._apply``'s rolls, in layer order: each layer (not removed this bar) within ``roll_days`` of its
    contract's settlement is sold and bought again on its tenor's contract (ROLL_BP when buying power refuses).
    Return (cash, realised hedge P&L, reason)."""
    rd, first = settings.roll_days[p], vx.first[k]
    for s in range(acc.cols.shape[1]):
        dte = vx.days_to[k, acc.cols[p, s]]
        if acc.qtys[p, s] != 0 and not s >= n - n_remove and dte > 0 and dte <= rd:
            gain, q = _close(acc.qtys, acc.bases, acc.cols, p, s, vx.sell_px, k, sc.empty, sc.mult)
            realized += gain
            cash += gain - q * sc.fee
            months_s = acc.tens[p, s] if acc.tens[p, s] > 0 else settings.tenor[p]
            to, r = _new_col(first + months_s - 1, vx.days_to, rd, first, sc.empty, k, r, sc.horizon)
            cash, r = _buy(cash, acc.qtys, acc.bases, acc.cols, acc.notionals, p, s, to, q, vx.mid, vx.buy_px,
                           vx.init, tp.req_close, condors, sc.fee, k, sc.mult, r, ROLL_BP)
    return cash, realized, r


@_phase
def _remove_layers(k, p, n, n_remove, cash, realized, vx, sc, acc):  # pragma: no cover - compiled
    """``HedgeActions._apply``'s removals: the newest ``n_remove`` of the ``n`` layers closed at the day's fills.
    Return (cash, realised hedge P&L)."""
    for s in range(acc.cols.shape[1]):
        if s >= n - n_remove and acc.qtys[p, s] != 0:
            gain, q = _close(acc.qtys, acc.bases, acc.cols, p, s, vx.sell_px, k, sc.empty, sc.mult)
            realized += gain
            cash += gain - q * sc.fee
    return cash, realized


@_phase
def _cut_condor(k, p, cash, condors, flows, r, settings, tp, acc):  # pragma: no cover - compiled
    """``HedgeActions.divergence_condor``: the divergence buys back its cut of the condor (its wings bid at 0 left
    open; WINGS_FULL when no slot is free). Return (cash, condors, condor flows, reason)."""
    n_cut = compiled_condor_cut(settings.cut[p], condors)
    cash += n_cut * tp.call_flows[k]  # (its wings bid at 0 left open)
    flows += n_cut * tp.call_prem[k]
    condors -= n_cut
    r = _leave(acc.wid, acc.wn, p, tp.cut_left[k], n_cut, r)
    return cash, condors, flows, r


@_phase
def _add_layer(k, p, n, n_new, mo, cash, condors, first_notional, r, settings, tp, vx, sc,
               acc):  # pragma: no cover - compiled
    """``HedgeActions.add_layer``: the hedge budget (VX initial margin within its share of NAV), buying power
    (LAYER_BP when it refuses), the new slot ``n`` on month ``mo``. Return (cash, layers held, the first layer's
    notional, reason)."""
    first, ro, tn = vx.first[k], settings.roll_days[p] + settings.review[p], settings.tenor[p]
    to, r = _new_col(first + mo - 1, vx.days_to, ro, first, sc.empty, k, r, sc.horizon)
    book = _pnl(acc.qtys, acc.bases, acc.cols, p, vx.mid, k, sc.mult)
    room = (sc.frac * _maxnan(cash + tp.marks_close[k] * condors + book + _wings(acc.wid, acc.wn, p, tp.w_marks, k),
                              0.0) - _margin(acc.qtys, acc.cols, p, vx.init, k))
    limit = np.floor(room / vx.init[k, to])
    if limit < n_new:  # the hedge budget's cut
        n_new = _maxnan(limit, 0.0)
        acc.cap[p] = True
    if n_new >= 1:
        cash, r = _buy(cash, acc.qtys, acc.bases, acc.cols, acc.notionals, p, n, to, n_new, vx.mid, vx.buy_px,
                       vx.init, tp.req_close, condors, sc.fee, k, sc.mult, r, LAYER_BP)
        acc.tens[p, n] = 0 if mo == tn else mo
        if n == 0:
            first_notional = acc.notionals[p, 0]
        n += 1
        acc.added[p] += 1
    return cash, n, first_notional, r


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


@_sum
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


@_sum
def _wings(wid, wn, p, w_marks, k):  # pragma: no cover - compiled
    """The marks of the wings point ``p``'s exits left open (kernel_desk.KernelDesk.wings)."""
    s = 0.0
    for j in range(wid.shape[1]):
        s += wn[p, j] * w_marks[wid[p, j], k]
    return s


@_sum
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
