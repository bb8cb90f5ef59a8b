"""The compiled book's (:mod:`vixhedge.kernel_jit`) reasons and its operations on one point's scalars: a layer
slot's close and buy (``kernel_desk.KernelDesk.close`` / ``open_``, the buying-power check), the layers' P&L and
margin, the wings left open (their marks, a free slot), a new layer's column (the policy's own
:func:`strategies.book.vx_layer_month`, compiled), the condor cut (:func:`strategies.book.condor_cut`, compiled) and
np.maximum / np.minimum on scalars. The bar's phases that call them: :mod:`vixhedge.kernel_jit_bar`.
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
else:
    _jit = lambda f: f  # noqa: E731  (available() is False: never called)
_vx_month = _jit(vx_layer_month)  # the policy's own rule, compiled: one definition of the month a layer opens in
_condor_cut = _jit(types.FunctionType(condor_cut.__code__, {**condor_cut.__globals__, "half_up": _jit(half_up)},
                                       condor_cut.__name__))  # ... and of the contracts a divergence's condor cut
# buys back (numba calls only compiled functions: its helper half_up is compiled too, in a copy of its globals)


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
