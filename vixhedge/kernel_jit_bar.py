"""The compiled book's bar (:mod:`vixhedge.kernel_jit`): :func:`_points` advances every point of a chunk, bar by
bar and, within a bar, point by point, through :class:`vixhedge.kernel_book.KernelTrader.on_bar`'s phases in its
order, each a function here on one point's scalars: :func:`_open_day` (interest, the settlements at the open, the
capital tests that hand a point to the numpy book), :func:`_manage_condor` (the exit, the entry and its caps),
:func:`_decide` (the policy on the bar's state and the add's size), then the actions: :func:`_roll_layers`,
:func:`_remove_layers`, :func:`_cut_condor` (a divergence's), :func:`_add_layer`. Their arguments are the
NamedTuples of :mod:`vixhedge.kernel_jit` (the rules, settings, condor tape, VX market, scalars and the points'
accounts, which the phases update in place).
"""

from __future__ import annotations

import numpy as np

from vixhedge.kernel_jit_ops import (CAPS, CONDOR_BP, LAYER_BP, MAINT, NO_PRICE, ROLL_BP, RUIN, SETTLES, _buy, _close,
                                     _condor_cut, _fit, _jit, _leave, _margin, _maxnan, _minnan, _new_col, _pnl,
                                     _wings)


@_jit
def _points(rules, settings, tp, vx, sc, acc, nav, hedge, condor):  # pragma: no cover - compiled by numba
    """Every point of the chunk, bar by bar (its twin: kernel_book.KernelTrader.on_bar's phases, in its order, on
    each point): bars outer, points inner, so each bar's rows of the [days, points] rules are read in memory order;
    the day's NAV and hedge and condor group values at the close to ``nav``, ``hedge``, ``condor`` [days, points]."""
    W, P = rules.div.shape
    for k in range(W):
        i = sc.i0 + k
        for p in range(P):
            _open_day(k, i, p, tp, vx, sc, acc)
            _manage_condor(k, p, rules, settings, tp, vx, sc, acc)
            n_remove, add, n_new, carry, mo = _decide(k, i, p, rules, settings, vx, sc, acc)
            _roll_layers(k, p, n_remove, settings, tp, vx, sc, acc)
            _remove_layers(k, i, p, n_remove, vx, sc, acc)
            if rules.div[k, p] and not tp.entry[k]:  # the divergence's condor cut
                _cut_condor(k, p, settings, tp, acc)
            if add:
                _add_layer(k, i, p, n_new, carry, mo, settings, tp, vx, sc, acc)
            book = _pnl(acc.qtys, acc.bases, acc.cols, p, vx.mid, k, sc.mult)
            wings = _wings(acc.wid, acc.wn, p, tp.w_marks, k)
            nav[k, p] = acc.cash[p] + tp.marks_close[k] * acc.condors[p] + book + wings
            hedge[k, p] = acc.realized[p] + book
            condor[k, p] = acc.flows[p] + tp.marks_close[k] * acc.condors[p] + wings


@_jit
def _reasons(r, nav):  # pragma: no cover - compiled
    """Each point's reason: the one its bars gave, else NO_PRICE when its NAV is NaN on a day."""
    W, P = nav.shape
    out = r.copy()
    for p in range(P):
        if out[p] == 0:
            for k in range(W):
                if not np.isfinite(nav[k, p]):
                    out[p] = NO_PRICE
                    break
    return out


@_jit
def _open_day(k, i, p, tp, vx, sc, acc):  # pragma: no cover - compiled
    """``KernelTrader._open_day``, ``_sync_settled`` and ``_cure_breach``'s tests: the interest on the cash, the
    condor's settlement at the open and the wings left open that settle today; a layer settling, a ruin or a
    maintenance breach hands the point to the numpy book (SETTLES, RUIN, MAINT)."""
    cash, condors, flows, r = acc.cash[p], acc.condors[p], acc.flows[p], acc.r[p]
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
    if cash + book - tp.req_open[k] * condors - _margin(acc.qtys, acc.cols, p, vx.maint, k) < 0 and r == 0:
        r = MAINT
    acc.cash[p], acc.condors[p], acc.flows[p], acc.r[p] = cash, condors, flows, r


@_jit
def _manage_condor(k, p, rules, settings, tp, vx, sc, acc):  # pragma: no cover - compiled
    """``KernelTrader._manage_condor``: the condor's exit (its wings bid at 0 left open), then the entry, cut to
    the capital caps (CAPS when they refuse it; CONDOR_BP when buying power does not allow it), less the day's
    divergence cut held back (``kernel_capital.hold_back``)."""
    cash, condors, flows, r = acc.cash[p], acc.condors[p], acc.flows[p], acc.r[p]
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
        if condors < 1 and r == 0:
            r = CAPS
        if (cash + book - (tp.entry_cost[k] + tp.req_close[k]) * condors
                - _margin(acc.qtys, acc.cols, p, vx.init, k) < 0 and r == 0):
            r = CONDOR_BP
        cash += tp.entry_flows[k] * condors
        flows += tp.entry_prem[k] * condors
        if rules.div[k, p] and condors >= 1:  # kernel_capital.hold_back: the day's cut of it is not opened
            held = _condor_cut(settings.cut[p], condors)
            cash -= held * tp.entry_flows[k]
            flows -= held * tp.entry_prem[k]
            condors -= held
    acc.cash[p], acc.condors[p], acc.flows[p], acc.r[p] = cash, condors, flows, r


@_jit
def _decide(k, i, p, rules, settings, vx, sc, acc):  # pragma: no cover - compiled
    """``HedgeActions._decide`` on the bar's state: the layers a divergence (it takes the bar when it removes
    some), the crossover or the review removes; whether it adds one, and its size (the first layer's, or the
    notional multiple with its carry; the notional cap), carry and contract month. Return (layers removed, add,
    contracts, carry, month)."""
    nl, condors = acc.n[p], acc.condors[p]
    rm, fomc_rm = settings.div_rm[p], settings.fomc_rm[p]
    n_div = min(fomc_rm if (rules.near[k, p] and nl > rm and fomc_rm > rm) else rm, nl)
    pre = rules.div[k, p] and n_div > 0  # the divergence removes layers: the crossover / review waits
    act = not pre and (rules.cross[k, p] or (rules.review[k, p] and i - acc.last[p] >= rules.bars[k, p]))
    ru = rules.rule[k, p]
    remove = act and ru >= sc.newest and nl > 0 and rules.remove_ok[k, p]
    n_remove = n_div if pre else ((1 if ru == sc.newest else nl) if remove else 0)
    add = (act and ru == sc.add and not (settings.need_condor[p] and condors == 0) and nl < settings.max_layers[p]
           and rules.add_ok[k, p])
    n_new, carry_new, mo = 0.0, 0.0, 0
    if add:  # size: contracts after the notional cap, carry and contract month
        tn, r, first = settings.tenor[p], acc.r[p], vx.first[k]
        ro = settings.roll_days[p] + settings.review[p]  # book.opening_sessions: skip months it would roll out of
        is_first = nl == 0
        mo = rules.first_months[k, p] if is_first else rules.months[k, p]
        j, r = _new_col(first + mo - 1, vx.days_to, ro, first, sc.empty, k, r, sc.horizon)  # the one bought
        j0, r = _new_col(first + tn - 1, vx.days_to, ro, first, sc.empty, k, r, sc.horizon)
        acc.r[p] = r
        if j == j0:  # a placement acts only when it changes the contract
            mo = tn
        unit = vx.mid[k, j] * sc.mult
        times = rules.multiple[k, p]
        want = times * acc.first[p] + acc.carry[p]
        n_carry = _maxnan(1.0, np.floor(want / unit + 0.5 + 1e-9))
        carried = settings.carry_on[p] and unit > 0
        if is_first:
            n_new = settings.first_n[p]
        elif carried:
            n_new = n_carry
        else:
            n_new = _maxnan(1.0, np.rint(times * acc.first[p] / unit))
        if carried and not is_first:
            carry_new = _minnan(_maxnan(want - n_carry * unit, -unit), unit)
        cap = settings.max_notional[p]
        if np.isfinite(cap) and unit > 0:
            held = 0.0
            for s in range(acc.notionals.shape[1]):
                held += acc.notionals[p, s] if s < nl else 0.0
            fit = np.floor((cap - held) / unit + 1e-9)
            if fit < n_new:
                n_new = fit
        n_new = _maxnan(n_new, 0.0)
        add = n_new >= 1
    return n_remove, add, n_new, carry_new, mo


@_jit
def _roll_layers(k, p, n_remove, settings, tp, vx, sc, acc):  # pragma: no cover - compiled
    """``HedgeActions._apply``'s rolls, in layer order: each layer (not removed this bar) within ``roll_days`` of its
    contract's settlement is sold and bought again on its tenor's contract (ROLL_BP when buying power refuses)."""
    cash, realized, r = acc.cash[p], acc.realized[p], acc.r[p]
    nl, rd, first = acc.n[p], settings.roll_days[p], vx.first[k]
    for s in range(acc.cols.shape[1]):
        dte = vx.days_to[k, acc.cols[p, s]]
        if acc.qtys[p, s] != 0 and not s >= nl - n_remove and dte > 0 and dte <= rd:
            gain, q = _close(acc.qtys, acc.bases, acc.cols, p, s, vx.sell_px, k, sc.empty, sc.mult)
            realized += gain
            cash += gain - q * sc.fee
            months_s = acc.tens[p, s] if acc.tens[p, s] > 0 else settings.tenor[p]
            to, r = _new_col(first + months_s - 1, vx.days_to, rd, first, sc.empty, k, r, sc.horizon)
            cash, r = _buy(cash, acc.qtys, acc.bases, acc.cols, acc.notionals, p, s, to, q, vx.mid, vx.buy_px,
                           vx.init, tp.req_close, acc.condors[p], sc.fee, k, sc.mult, r, ROLL_BP)
    acc.cash[p], acc.realized[p], acc.r[p] = cash, realized, r


@_jit
def _remove_layers(k, i, p, n_remove, vx, sc, acc):  # pragma: no cover - compiled
    """``HedgeActions._apply``'s removals: the newest ``n_remove`` layers closed at the day's fills."""
    if n_remove:
        cash, realized, nl = acc.cash[p], acc.realized[p], acc.n[p]
        for s in range(acc.cols.shape[1]):
            if s >= nl - n_remove and acc.qtys[p, s] != 0:
                gain, q = _close(acc.qtys, acc.bases, acc.cols, p, s, vx.sell_px, k, sc.empty, sc.mult)
                realized += gain
                cash += gain - q * sc.fee
        acc.n[p] = nl - n_remove
        if n_remove > 0:
            acc.last[p] = i
        acc.cash[p], acc.realized[p] = cash, realized


@_jit
def _cut_condor(k, p, settings, tp, acc):  # pragma: no cover - compiled
    """``HedgeActions.divergence_condor``: the divergence buys back its cut of the condor (its wings bid at 0 left
    open; WINGS_FULL when no slot is free)."""
    condors = acc.condors[p]
    n_cut = _condor_cut(settings.cut[p], condors)
    acc.cash[p] += n_cut * tp.call_flows[k]  # (its wings bid at 0 left open)
    acc.flows[p] += n_cut * tp.call_prem[k]
    acc.condors[p] = condors - n_cut
    acc.r[p] = _leave(acc.wid, acc.wn, p, tp.cut_left[k], n_cut, acc.r[p])


@_jit
def _add_layer(k, i, p, n_new, carry, mo, settings, tp, vx, sc, acc):  # pragma: no cover - compiled
    """``HedgeActions.add_layer``: the hedge budget (VX initial margin within its share of NAV), buying power
    (LAYER_BP when it refuses), the new slot on month ``mo``; the carry and the first layer's notional."""
    cash, condors, n, r, tn = acc.cash[p], acc.condors[p], acc.n[p], acc.r[p], settings.tenor[p]
    acc.last[p] = i
    acc.carry[p] = carry
    first, ro = vx.first[k], settings.roll_days[p] + settings.review[p]
    to, r = _new_col(first + mo - 1, vx.days_to, ro, first, sc.empty, k, r, sc.horizon)
    room = sc.frac * _maxnan(cash + tp.marks_close[k] * condors + _pnl(acc.qtys, acc.bases, acc.cols, p, vx.mid, k,
                                                                       sc.mult)
                             + _wings(acc.wid, acc.wn, p, tp.w_marks, k), 0.0) - _margin(acc.qtys, acc.cols, p,
                                                                                         vx.init, k)
    limit = np.floor(room / vx.init[k, to])
    if limit < n_new:
        n_new = _maxnan(limit, 0.0)
    if n_new >= 1:
        cash, r = _buy(cash, acc.qtys, acc.bases, acc.cols, acc.notionals, p, n, to, n_new, vx.mid, vx.buy_px,
                       vx.init, tp.req_close, condors, sc.fee, k, sc.mult, r, LAYER_BP)
        acc.tens[p, n] = 0 if mo == tn else mo
        if n == 0:
            acc.first[p] = acc.notionals[p, 0]
        acc.n[p] = n + 1
        acc.added[p] += 1
    acc.cash[p], acc.r[p] = cash, r
