"""The kernel's desk: what :func:`vixhedge.kernel_book.simulate` shares over a chunk of points (its Book, market
arrays, fills, :class:`vixhedge.kernel_capital.State`, option slots, condor tapes and wings left open) and the
trades every phase of a bar makes on it, ``Desk``'s and ``LayerActions``' primitives on arrays of points: marks and
margins, a layer's contract, buying power and its cut (``CapitalGuard.fit``), opening, closing and rolling a layer
slot, and the condor wings a close leaves open.

:class:`KernelDesk` holds no rule: the hedge policy's are :class:`vixhedge.kernel_hedge.HedgeActions`' and the
bar's phases, in the Trader's order, :class:`vixhedge.kernel_book.KernelTrader`'s.
"""

from __future__ import annotations

import numpy as np

from strategies.book import vx_layer_months
from vixhedge.core.config import Config, MarginMode
from vixhedge.kernel_capital import State, fit
from vixhedge.kernel_condor import HeldWings, Tapes
from vixhedge.kernel_options import OptionSlots, fill_prices
from vixhedge.kernel_rules import Book

HORIZON = 12  # VX contracts tracked past the front one (tenor <= 6, placement and roll skips on top)
WINGS = 4  # slots of condor wings left open per point (one exit's each; they live to their expiry)
MULT = 1000.0  # VX future multiplier (USD per point)


class KernelDesk:
    """A chunk's books and the trades on them (module docstring); ``k`` is the window day, ``i`` the market's."""

    def __init__(self, b: Book, tape, m, cfg0: Config, rates: np.ndarray, gaps: np.ndarray, i0: int) -> None:
        self.b, self.m, self.cfg0, self.rates, self.gaps, self.i0 = b, m, cfg0, rates, gaps, i0
        self.c = c = b.cfg
        self.W, self.P = W, P = b.div.shape
        self.L, self.empty = b.layers, m.mid.shape[1] - 1
        self.slots = np.arange(self.L)[None, :]
        self.rows = np.arange(P)
        self.fee, self.frac = cfg0.execution.fee_vx_future_usd, cfg0.margin.hedge_budget_nav_fraction
        self.cc = cfg0.condor
        self.buy_px, self.sell_px = fill_prices(m.mid, m.bid, m.ask, cfg0.execution)
        self.st = st = State(P, self.L, cfg0.run.initial_cash_usd, self.empty)
        self.vx = ~c["opt"]
        self.opening = c["roll_days"] + c["review"]  # book.opening_sessions: a new layer skips months it rolls out of
        self.opt = OptionSlots(c, st, m, cfg0.execution) if c["opt"].any() else None  # option layers (kernel_options)
        self.expiring = np.isin(i0 + np.arange(W), m.settles)  # VIX expiration days (VXTH buys its calls)
        self.pm = float(cfg0.margin.mode is MarginMode.PORTFOLIO)
        self.T = Tapes(tape, P)  # the condor tape each point follows (kernel_condor: the shared one or a branch)
        self.tp, self.held = self.T.at, HeldWings(tape.wings, P, WINGS)  # ... and the wings the points' exits left
        self.wings = self.held.value
        self.options_close = 0.0  # the option layers' marks at the last close (KernelTrader.on_bar)

    def leave_wings(self, mask: np.ndarray, ids, n: np.ndarray) -> None:
        """The ``mask`` points keep ``n`` of the wings ``ids`` (bid at 0, 0: none) open: an exit's, ``n`` its condors
        (``CondorActions._close_condor``), a margin call's or a cut's, ``n`` the condors it closes."""
        new = mask & (ids > 0) & (n > 0)
        if new.any():
            st = self.st
            why = "a condor wing left open under portfolio margin (margined with the next condor)"
            st.flag(new & (self.pm > 0), why)
            st.flag(self.held.leave(new, ids, n), "more condor wings left open than the kernel tracks")

    def net(self, k: int, when: str):
        """Per condor held at the open / close: its requirement less its loan value (portfolio margin: its marks)."""
        return self.tp(f"req_{when}", k) - self.pm * self.tp(f"marks_{when}", k)

    def pnl(self, k: int) -> np.ndarray:
        """The VX layers' open P&L (in the loan value)."""
        st = self.st
        return (st.qty * (self.m.mid[k][st.col] - st.basis)).sum(axis=1) * MULT

    def marks(self, k: int) -> np.ndarray:
        """The layers' value in NAV: the VX layers' open P&L and the option layers' marks."""
        return self.pnl(k) if self.opt is None else self.pnl(k) + self.opt.value(k)

    def overnight(self, k: int, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """What the layers held at the close of window day ``k`` (market day ``i``) make by the next close
        (``CarryTracker.observe``'s split of it): the VX layers' mark then (their mid, or their final settlement
        value the day they settle), their exposure to the VIX (contracts x vix_beta, per VIX point and contract
        multiplier: :func:`vx_causes`), and the option layers' marks (their mid, or their payoff at settlement)."""
        st, m = self.st, self.m
        then = np.where(m.settles[st.col] <= i + 1, m.settle_px[st.col], m.mid[k + 1][st.col])
        vx = np.where(st.qty != 0, st.qty * (then - st.basis), 0.0).sum(axis=1) * MULT - self.pnl(k)
        options = 0.0 if self.opt is None else self.opt.marks_on(k + 1, i + 1) - self.options_close  # (on_bar's)
        return vx, self.margin(k, m.beta), options + np.zeros(self.P)

    def nav_close(self, k: int, value: np.ndarray) -> np.ndarray:
        """NAV at the close (``value``: :meth:`marks`): cash, the condors' marks, the layers', the wings left open."""
        st = self.st
        return st.cash + self.tp("marks_close", k) * st.condors + value + self.wings(k, 0)

    def condor_value(self, k: int) -> np.ndarray:
        """The condor group's value at the close: its flows (premium, settlements; fees apart), the condors' marks,
        the wings left open's (``pnl.condor_pnl_usd`` is its last day's)."""
        st = self.st
        return st.condor + self.tp("marks_close", k) * st.condors + self.wings(k, 0)

    def requirement(self, k: int) -> np.ndarray:
        """The day-end maintenance requirement (``Desk.record_day``'s margin_usd): the condors held (their tape's
        requirement per condor) and the VX layers' maintenance margin; VIX call layers (long calls, debit spreads)
        and the wings left open (long options) need none beyond their premium (:mod:`vixhedge.core.margin`)."""
        return self.tp("req_close", k) * self.st.condors + self.margin(k, self.m.maint)

    def excess_close(self, k: int, nav: np.ndarray, requirement: np.ndarray) -> np.ndarray:
        """The day-end excess liquidity (``Desk.record_day``'s): the loan value (Reg-T: cash and the VX layers' open
        P&L, options carrying none; portfolio margin: ``nav``) less the ``requirement`` (:meth:`requirement`)."""
        return (nav if self.pm else self.st.cash + self.pnl(k)) - requirement

    def margin(self, k: int, per_contract: np.ndarray) -> np.ndarray:
        st = self.st
        return (st.qty * per_contract[k][st.col]).sum(axis=1)

    def new_col(self, k: int, months: np.ndarray, use: np.ndarray, roll: bool = False) -> np.ndarray:
        """``Trader._new_layer_contract``: the column of :func:`strategies.book.vx_layer_month` (the ``months``-th
        contract, the next while it is too near its settlement: a new layer's book.opening_sessions, a roll's
        roll_days; ``use``: the points that trade it)."""
        m, empty = self.m, self.empty
        listed = m.days_to[k][np.minimum(m.first[k] + np.arange(HORIZON), empty - 1)]  # the front contract first
        j = m.first[k] + vx_layer_months(months, listed, self.c["roll_days"] if roll else self.opening) - 1
        self.st.flag(use & (j >= np.minimum(empty, m.first[k] + HORIZON)), "no VX contract within the kernel's horizon")
        return np.where(use, np.minimum(j, empty - 1), empty)

    def bp(self, k: int, n: np.ndarray, j: np.ndarray, condor_req: float, otm: np.ndarray,
           strike: np.ndarray | None = None) -> np.ndarray:
        """Buying power after buying ``n`` units of a layer on column ``j`` (Desk.buying_power_after)
        (``condor_req``: one condor held then, ``net(k, 'open')`` or ``net(k, 'close')``; option layers: long_otm
        or the long strike)."""
        m, st, vx = self.m, self.st, self.vx
        cost = np.where(vx, n * self.fee - n * (m.mid[k][j] - self.buy_px[k][j]) * MULT, 0.0)
        if self.opt is not None:
            cost = cost + self.opt.cost(k, n, j, otm, self.c["opt"] & (j != self.empty), strike)
        req = condor_req * st.condors + self.margin(k, m.init) + np.where(vx, n * m.init[k][j], 0.0)
        return st.cash + self.pnl(k) - cost - req

    def fit_layer(self, k: int, use: np.ndarray, n: np.ndarray, j: np.ndarray, condor_req: float, otm: np.ndarray,
                  strike: np.ndarray | None = None) -> np.ndarray:
        """``CapitalGuard.fit``: the units of ``n`` buying power allows (kernel_capital.fit)."""
        return fit(lambda x: self.bp(k, x, j, condor_req, otm, strike), n, use, self.cfg0.margin)

    def reopen(self, k: int, d: np.ndarray, j: int, to: np.ndarray, q: np.ndarray, otm: np.ndarray,
               req: float) -> None:
        """``LayerActions._roll_layer``'s buy (the old layer sold): cut to buying power; none closes the layer."""
        n = self.fit_layer(k, d, q, to, req, otm)
        go = d & (n >= 1)
        self.open_(k, go, np.full(self.P, j), to, n, otm)
        self.st.drop(d & ~go, j, self.opt)

    def close_value(self, k: int) -> np.ndarray:
        """The cash closing every layer at the day's fills would bring (Desk.liquidation_value's part: an option layer
        whose close would bring nothing after fees counted at 0, abandoned, ``OptionSlots.liquidation``)."""
        st = self.st
        out = ((st.qty * (self.sell_px[k][st.col] - st.basis)).sum(axis=1) * MULT - st.qty.sum(axis=1) * self.fee)
        return out if self.opt is None else out + self.opt.close_value(k)

    def proceeds(self, k: int) -> np.ndarray:
        """What closing every layer at the day's fills books to the hedge group (fees apart: the fees group; an
        option layer a ruin abandons books 0, ``OptionSlots.liquidation``)."""
        fees = self.st.qty.sum(axis=1) * self.fee
        if self.opt is not None:
            fees = fees + self.opt.liquidation(k)[1]
        return self.close_value(k) + fees

    def close(self, k: int, mask: np.ndarray, slot: int, leave: bool = False) -> None:
        """Close layer slot ``slot`` of the ``mask`` points at the day's fills (``leave``: LayerActions._exit_layer,
        an option layer whose close would bring nothing after fees is left to expire)."""
        st, opt = self.st, self.opt
        if opt is not None:
            st.flag(opt.close(k, mask, slot, leave), "more VIX option layers left to expire than the kernel tracks")
        q = np.where(mask, st.qty[:, slot], 0.0)
        gain = q * (self.sell_px[k][st.col[:, slot]] - st.basis[:, slot]) * MULT
        st.realized += gain
        st.cash += gain - q * self.fee
        st.qty[mask, slot], st.col[mask, slot] = 0.0, self.empty

    def open_(self, k: int, mask: np.ndarray, slot: np.ndarray, j: np.ndarray, n: np.ndarray, otm: np.ndarray,
              strike: np.ndarray | None = None) -> None:
        """Open ``n`` units of column ``j`` in each ``mask`` point's ``slot`` at the day's fills."""
        st, opt = self.st, self.opt
        if opt is not None:
            opt.open(k, mask & self.c["opt"], slot, j, n, otm, strike)
            mask = mask & self.vx
        p, s = self.rows[mask], slot[mask]
        st.col[p, s], st.qty[p, s], st.basis[p, s] = j[p], n[p], self.buy_px[k][j[p]]
        st.notional[p, s] = n[p] * self.m.mid[k][j[p]] * MULT
        st.cash[p] -= n[p] * self.fee

    def slot_otm(self, j: int) -> np.ndarray:
        return self.opt.otm[:, j].copy() if self.opt is not None else self.c["otm"]

    def units(self, j: int) -> np.ndarray:
        st = self.st
        return st.qty[:, j] + self.opt.n[:, j] if self.opt is not None else st.qty[:, j].copy()


def vx_causes(night: np.ndarray, exposure: np.ndarray, vix: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The VX layers' carry and VIX move day by day ([points, days]; ``CarryTracker``'s: ``carry_split``) from their
    mark since the previous close ``night`` and their exposure then ``exposure`` (:meth:`KernelDesk.overnight`, day
    0's both 0) and the VIX closes: the VIX move is the exposure x the VIX's change x MULT, the carry the rest."""
    move = np.zeros_like(night)
    move[:, 1:] = exposure[:, 1:] * MULT * np.diff(vix)[None, :]
    return night - move, move
