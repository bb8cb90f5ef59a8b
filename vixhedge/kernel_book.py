"""The kernel's hedge book: :class:`strategies.trader.Trader`'s hedge state machine (the alvh, static, vxth and
none policies; VX-future or option layers, :mod:`vixhedge.kernel_options`) on arrays of points (one row per
point, one column per layer slot), advanced bar by bar.

Per bar, in the Trader's order: interest, the condor's, its wings left open's and the layers' settlements at the
open (``roll_days = 0``: the settled layers reopen), the ruin check and the maintenance cure, the condor's exit and entry
(:mod:`vixhedge.kernel_condor`; sized fixed or by NAV, times a divergence's pending scale, cut to each point's
capital caps and buying power), then the policy (:func:`strategies.hedge.decide_alvh`: divergence (it takes
the bar when it removes layers), else the crossover, else the review at its cadence; filters, sizing with
fractional carry or by the condor's vega, caps, placement; or :func:`strategies.hedge.decide_static`,
:func:`strategies.vxth.decide_vxth`) and its actions: rolls, restrikes, then removals (and a divergence's condor
cut) or adds (hedge budget, buying power); a removal, a margin call or a roll leaves an option layer whose close
would bring nothing after fees to expire (:meth:`vixhedge.kernel_options.OptionSlots.close`). Buying power, the
cure and ruin are :mod:`vixhedge.kernel_capital`'s (Reg-T, or portfolio margin). Layers are a stack (the policy
removes the newest), so a point's open layers are its first ``n`` slots. A point that takes a path the kernel does
not replay gets a reason and its row is not used (the caller runs it on the event path).

:class:`KernelTrader` is that bar, phase by phase, named as the Trader's (read them side by side):
``on_bar`` runs ``_open_day`` (``Desk.open_day``'s interest), ``_sync_settled``, ``_cure_breach``,
``_manage_condor``, then ``_manage_hedge`` (:class:`vixhedge.kernel_hedge.HedgeActions`: ``_decide``, then
``_apply``); the trades they make on the shared books (marks, buying power, opening and closing a layer slot) are
:class:`vixhedge.kernel_desk.KernelDesk`'s.
"""

from __future__ import annotations

import numpy as np

from vixhedge.core.config import Config
from vixhedge.kernel_capital import Outcome, at_open, enter, hold_back, outcome
from vixhedge.kernel_desk import HORIZON, MULT, WINGS, KernelDesk, vx_causes  # noqa: F401  (kernel, kernel_jit)
from vixhedge.kernel_hedge import HedgeActions
from vixhedge.kernel_rules import Book

__all__ = ["HORIZON", "MULT", "WINGS", "KernelDesk", "KernelTrader", "simulate"]


def simulate(b: Book, tape, m, cfg0: Config, rates: np.ndarray, gaps: np.ndarray, i0: int) -> Outcome:
    """Advance every point of ``b`` over the window (see the module docstring)."""
    t = KernelTrader(b, tape, m, cfg0, rates, gaps, i0)
    nav, hedge, condor, margin, excess = (np.empty((t.P, t.W)) for _ in range(5))
    capped, called = np.zeros((t.P, t.W), dtype=bool), np.zeros((t.P, t.W), dtype=bool)
    night, exposure, marks = (np.zeros((t.P, t.W)) for _ in range(3))  # the hedge's P&L by cause (KernelDesk.overnight)
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for k in range(t.W):
            nav[:, k], hedge[:, k], condor[:, k] = t.on_bar(k, i0 + k)
            margin[:, k], capped[:, k], called[:, k] = t.requirement(k), t.st.capped, t.st.called
            excess[:, k] = np.minimum(t.st.check, t.excess_close(k, nav[:, k], margin[:, k]))
            if k + 1 < t.W:
                night[:, k + 1], exposure[:, k + 1], marks[:, k + 1] = t.overnight(k, i0 + k)
    causes = (*vx_causes(night, exposure, m.vix), marks)
    return outcome(t.st, nav, hedge, condor, margin, capped, called, excess, causes)


class KernelTrader(HedgeActions):
    """:class:`strategies.trader.Trader`'s bar on arrays of points: its phases, in its order, by its names."""

    def on_bar(self, k: int, i: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``Trader.on_bar``: the day's open (interest), settlements, the capital check and cure, the condor, the
        hedge; return the day's NAV, hedge-group and condor-group values at the close (``Desk.record_day``)."""
        self.st.capped = np.zeros(self.P, dtype=bool)
        self._open_day(k)
        self._sync_settled(k, i)
        self._cure_breach(k)
        self._manage_condor(k)
        self._manage_hedge(k, i)
        self.options_close = 0.0 if self.opt is None else self.opt.value(k)  # (KernelDesk.overnight reads it)
        value = self.pnl(k) + self.options_close  # (marks(k))
        return self.nav_close(k, value), self.st.realized + value, self.condor_value(k)

    def _open_day(self, k: int) -> None:
        """``Desk.open_day``'s interest on the cash held overnight."""
        if k:
            st = self.st
            st.cash += st.cash * self.rates[k - 1] * self.gaps[k - 1] / 365.0

    def _sync_settled(self, k: int, i: int) -> None:
        """The condor held settles at the open, then the wings left open that settle today (``Desk.open_day``),
        then the layers (:meth:`settle_layers`)."""
        self.condor_out(k, "settled", "open_flows", "open_flows")  # (a settlement pays no fee)
        wings = self.held.settle(k)
        self.st.cash += wings
        self.st.condor += wings
        self.settle_layers(k, i)

    def _cure_breach(self, k: int) -> None:
        """``CapitalGuard.check`` and ``Trader._cure_breach`` at the open (:func:`vixhedge.kernel_capital.at_open`):
        a ruin, or a maintenance breach cured by closing layers newest first, then condors (their wings bid at 0
        left open); the condor group's part of the flows (a margin call's, a ruin's liquidation value)."""
        st, tp, wings, m = self.st, self.tp, self.wings, self.m
        value, held = self.marks(k), st.condors.copy()
        cure = np.where(tp("exit", k), tp("exit_flows", k) + tp("wing_flows", k), tp("close_flows", k))
        call = np.where(tp("exit", k), tp("exit_flows", k), tp("call_flows", k))  # its wings bid at 0 left
        at_open(k, st, self.cfg0.margin, cure, call, self.net(k, "open"), st.cash + tp("marks_open", k) * st.condors
                + value + wings(k, 0), lambda: st.realized + self.proceeds(k),
                lambda: st.cash + self.pnl(k) - self.net(k, "open") * st.condors - self.margin(k, m.maint),
                lambda: self.close_value(k) + wings(k, 2), lambda mask, s: self.close(k, mask, s, True),
                lambda mask, n: self.leave_wings(mask, self.T.called(k, mask), n))
        call_prem = np.where(tp("exit", k), tp("exit_prem", k), tp("call_prem", k))
        st.condor += (held - st.condors) * call_prem  # the condors the cure closed
        now = st.ruined == k
        if now.any():  # RuinActions._liquidate: every leg at the day's fills, the wings left open sold (or abandoned)
            sale = np.where(tp("exit", k), tp("exit_prem", k) + tp("wing_prem", k), tp("close_prem", k))
            st.ruin_condor[now] = (st.condor + sale * st.condors + wings(k, 4))[now]

    def _manage_condor(self, k: int) -> None:
        """``CondorActions._manage_condor``: the condor's exit (its tape's), then the entries
        (:func:`vixhedge.kernel_capital.enter`) and an entry's cut held back (``CondorActions._entry_cut``)."""
        st, tp, cc = self.st, self.tp, self.cc
        self.condor_out(k, "exit", "exit_flows", "exit_prem")
        if np.any(tp("entry", k)) or (cc.enabled and (st.off.any() or any(st.refused))):
            enter(k, st, self.T, cc, self.cfg0.margin, self.pm, self.net(k, "close"),
                  st.cash + self.marks(k) + self.wings(k, 0),
                  st.cash + self.pnl(k) - self.margin(k, self.m.init))  # (no condor held by the points that enter)
            hold_back(st, self.b.div[k], self.c["cut"], tp("entry_flows", k), tp("entry_prem", k))

    def condor_out(self, k: int, when: str, flows: str, prem: str) -> None:
        """The condor held settles at the open, or exits (leaving the wings that would sell for 0): its flows (and
        the condor group's part of them, ``prem``); none held after."""
        tp, st, P = self.tp, self.st, self.P
        if np.any(tp(when, k)):
            if when == "exit":
                self.leave_wings(np.broadcast_to(tp("exit", k), (P,)), np.broadcast_to(tp("left", k), (P,)), st.condors)
            st.cash += np.where(tp(when, k), tp(flows, k) * st.condors, 0.0)
            st.condor += np.where(tp(when, k), tp(prem, k) * st.condors, 0.0)
            st.condors = np.where(tp(when, k), 0.0, st.condors)

    def settle_layers(self, k: int, i: int) -> None:
        """``Desk.open_day`` settles the layers whose VX contract settles today (at its final settlement value),
        then ``Trader._sync_settled`` reopens each (``roll_days = 0``; buying power checked as in
        ``Trader._roll_layer``) on its tenor's contract, in layer order; and the option layers left to expire."""
        c, st, m, opt = self.c, self.st, self.m, self.opt
        if opt is not None and opt.ln.any():
            opt.settle_left(i)
        due = m.settles[st.col] <= i
        if not due.any():
            return
        st.flag(due.any(axis=1) & (c["roll_days"] > 0) & ~c["vxth"], "a layer reached its settlement")
        q = np.where(due, st.qty, 0.0)
        gain = np.where(due, q * (m.settle_px[st.col] - st.basis) * MULT, 0.0).sum(axis=1)
        st.realized += gain
        st.cash += gain
        if opt is not None:
            q = q + opt.settle(due)
        st.qty[due], st.col[due] = 0.0, self.empty
        dropped = c["vxth"] & due.any(axis=1)  # VXTH's calls are held to settlement, not reopened
        st.n[dropped] = 0
        due &= ~dropped[:, None]
        for j in np.flatnonzero(due.any(axis=0)):
            d = due[:, j]
            to = self.new_col(k, np.where(st.tenor[:, j] > 0, st.tenor[:, j], c["tenor"]), d, roll=True)
            self.reopen(k, d, j, to, q[:, j], self.slot_otm(j), self.net(k, "open"))
        st.compact(opt)
