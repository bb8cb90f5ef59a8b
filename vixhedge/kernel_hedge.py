"""The kernel's hedge policy and its actions: ``Trader._manage_hedge`` (:func:`strategies.hedge.decide_alvh`,
:func:`strategies.hedge.decide_static`, :func:`strategies.vxth.decide_vxth`) and ``Trader._apply`` on arrays of
points, over :class:`vixhedge.kernel_desk.KernelDesk`'s books.

:meth:`HedgeActions._decide` reads the bar's state: a divergence (it takes the bar when it removes layers), else
the crossover, else the review at its cadence; the adds' sizes (fractional carry, or the condor's vega), caps and
placement; decide_static's plan; the rolls and restrikes due. :meth:`HedgeActions._apply` then trades them in the
Trader's order: rolls, restrikes, removals, a divergence's condor cut, adds (hedge budget, buying power), VXTH's
calls.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np

from strategies.book import condor_cut
from vixhedge.bridge import spx_vega_equivalent
from vixhedge.kernel_capital import hedge_caps
from vixhedge.kernel_desk import MULT, KernelDesk
from vixhedge.kernel_options import OPT_MULT, call_strike, short_strike, vxth_calls
from vixhedge.kernel_rules import ADD, NEWEST


class Decision(NamedTuple):
    """A bar's decision for every point (the policy's actions, :class:`strategies.hedge.Decision`'s)."""

    n_remove: np.ndarray  # layers each point removes (newest first)
    cut: np.ndarray  # the points whose bullish divergence removes layers (divergence.hold_adds counts from the bar)
    add: np.ndarray  # the points that add a layer: ``sized``, (units, carry, months, long_otm)
    sized: tuple | None
    plan: list  # decide_static's adds: (points, units), one after another
    removed: np.ndarray  # [points, slots] the slots removed
    due: np.ndarray  # [points, slots] the slots rolled
    moves: np.ndarray | None  # [points, slots] the option layers restruck


class HedgeActions(KernelDesk):
    """``Trader._manage_hedge`` and ``Trader._apply`` (module docstring)."""

    def _manage_hedge(self, k: int, i: int) -> None:
        """``Trader._manage_hedge``: decide on the bar's state, then roll, restrike, remove or add."""
        self._apply(k, i, self._decide(k, i))

    def _decide(self, k: int, i: int) -> Decision:
        """``decide_alvh`` / ``decide_static`` on the bar's state (before any of its trades), and the rolls due."""
        b, c, st, m = self.b, self.c, self.st, self.m
        nl = st.n
        rm = c["div_rm"]
        n_div = np.minimum(np.where(b.near[k] & (nl > rm) & (c["fomc_rm"] > rm), c["fomc_rm"], rm), nl)
        pre = b.div[k] & (n_div > 0)  # the divergence removes layers: the crossover / review waits
        act = ~pre & (b.cross[k] | (b.review[k] & (i - st.last >= b.bars[k])))
        rule = b.rule[k]
        remove = act & (rule >= NEWEST) & (nl > 0) & b.remove_ok[k]
        n_remove = np.where(pre, n_div, np.where(remove, np.where(rule == NEWEST, 1, nl), 0))
        held = b.review_up[k] & (i - st.last_div <= c["hold"])  # divergence.hold_adds: a review adds none back
        add = (act & (rule == ADD) & ~(c["need_condor"] & (st.condors == 0)) & (nl < c["max_layers"])
               & b.add_ok[k] & ~held)
        sized = self.size(k, add) if add.any() else None
        plan = self.static_plan(k) if c["static"].any() else []
        open_slots = self.slots < nl[:, None]
        removed = open_slots & (self.slots >= (nl - n_remove)[:, None])
        dte = m.days_to[k][st.col]
        due = open_slots & ~removed & (dte > 0) & (dte <= c["roll_days"][:, None]) & ~c["vxth"][:, None]
        moves = self.restrikes(k, removed, dte) if self.opt is not None and b.restrike[k].any() else None
        return Decision(n_remove, pre, add, sized, plan, removed, due, moves)

    def _apply(self, k: int, i: int, d: Decision) -> None:
        """``Trader._apply`` of the bar's actions: rolls in layer order, restrikes, removals (and a divergence's
        condor cut), adds, VXTH's calls."""
        c, st = self.c, self.st
        for j in np.flatnonzero(d.due.any(axis=0)):  # rolls, in layer order
            due, q, o = d.due[:, j], self.units(j), self.slot_otm(j)
            self.close(k, due, j, True)  # (an option layer whose close brings nothing after fees: left to expire)
            to = self.new_col(k, np.where(st.tenor[:, j] > 0, st.tenor[:, j], c["tenor"]), due, roll=True)
            self.reopen(k, due, j, to, q, o, self.net(k, "close"))
        if d.moves is not None:
            self.restrike(k, d.moves)
        if d.n_remove.any():
            for j in np.flatnonzero(d.removed.any(axis=0)):
                self.close(k, d.removed[:, j], j, True)
            st.n -= d.n_remove
            st.last[d.n_remove > 0] = i
            st.last_div[d.cut] = i
        if self.b.div[k].any():
            self.divergence_condor(k)
        if d.add.any():
            self.add_layer(k, i, d.add, *d.sized)
        for go, n_static in d.plan:  # decide_static's adds, one after another
            self.add_layer(k, i, go, n_static, np.zeros(self.P), c["tenor"], c["otm"])
        if self.opt is not None and c["vxth"].any():
            self.vxth_add(k, i)
        st.compact(self.opt)

    def vxth_add(self, k: int, i: int) -> None:
        """:func:`strategies.vxth.decide_vxth`: without calls held, on the run's first bar or a VIX expiration,
        buy the calls for weight x NAV of premium (cut to the caps), held to settlement."""
        c, st, P = self.c, self.st, self.P
        want = c["vxth"] & (st.n == 0) & ((k == 0) | self.expiring[k])
        if not want.any():
            return
        j, strike, weight = vxth_calls(self.m, k, c, want)
        st.flag(want & (j == self.empty), "no VX contract within the kernel's horizon")
        _, premium, _ = self.opt.unit(k, j, c["otm"], want, strike)
        value = weight * self.nav_close(k, self.marks(k))
        n0 = np.where(premium > 0, np.floor(value / premium + 1e-9), 0.0)
        n = self.caps(k, j, want, n0, np.zeros(P), strike)
        st.capped |= want & (n < n0)
        want &= n >= 1
        if want.any():
            self.add_layer(k, i, want, n, np.zeros(P), c["tenor"], np.zeros(P), (j, strike))

    def restrikes(self, k: int, removed: np.ndarray, dte: np.ndarray) -> np.ndarray:
        """``placement.restrikes`` on the bar's state: the outer option layers (not removed, not rolling by the
        next session) whose long call the flattened offset would put higher."""
        c, opt = self.c, self.opt
        target = (c["otm"] + c["flat_otm"])[:, None]
        up = call_strike(self.m.mid[k][self.st.col], target) - opt.k1  # (placement.restrike_min_points)
        return (self.b.restrike[k][:, None] & (self.slots >= 1) & (opt.n != 0) & ~removed
                & ~(opt.otm >= target - 1e-9) & (dte - 1 > c["roll_days"][:, None])
                & (up > 1e-9) & (up >= c["restrike_min"][:, None] - 1e-9))

    def restrike(self, k: int, moves: np.ndarray) -> None:
        """``LayerActions._restrike_layer``: close and reopen each on its expiry at the flattened offset, same
        units and notional, in layer order; not one that would sell a call for 0 (skipped)."""
        c, st, opt = self.c, self.st, self.opt
        target = c["otm"] + c["flat_otm"]
        for j in np.flatnonzero(moves.any(axis=0)):
            d, q, col, notional = moves[:, j], self.units(j), st.col[:, j].copy(), st.notional[:, j].copy()
            d &= ~opt.sells_for_nothing(k, d, col, opt.k1[:, j])  # its long call, a spread's new short call:
            d &= ~opt.sells_for_nothing(k, d & c["spread"], col,
                                        short_strike(call_strike(self.m.mid[k][col], target), c["width"]))
            d &= self.bp(k, q, col, self.net(k, "close"), target) + opt.close_value(k, d, j) >= 0  # else refused
            self.close(k, d, j)
            self.open_(k, d, np.full(self.P, j), col, q, target)
            st.notional[:, j] = notional

    def static_plan(self, k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """:func:`strategies.hedge.decide_static`'s adds (on the bar's state, before its rolls): up to
        ``static_layers`` first-size layers, each cut to the notional cap left by the earlier ones."""
        c, st = self.c, self.st
        want = c["static"] & ~(c["need_condor"] & (st.condors == 0))
        j = self.new_col(k, c["tenor"], want)
        n0 = self.first_size(k, j)
        pending, plan = np.zeros(self.P), []
        for a in range(int(c["static_layers"].max())):
            n = self.caps(k, j, want, n0, pending)
            want &= st.n + a < c["static_layers"]
            st.capped |= want & (n < n0)
            want &= n >= 1
            if not want.any():
                break
            plan.append((want.copy(), n))
            pending += np.where(want, n, 0)
        return plan

    def caps(self, k: int, j: np.ndarray, use: np.ndarray, n: np.ndarray, pending: np.ndarray,
             strike: np.ndarray | None = None, otm: np.ndarray | None = None) -> np.ndarray:
        """:func:`kernel_capital.hedge_caps` on a unit of column ``j`` (a VX future or a VIX option)."""
        unit = self.m.mid[k][j] * np.where(self.vx, MULT, OPT_MULT)
        return hedge_caps(self.c, self.st, self.opt, k, unit, j, use, n, pending, strike, otm)

    def divergence_condor(self, k: int) -> None:
        """``hedge._divergence``'s CutCondor (``Trader._cut_condor``: wings bid at 0 left) and ScaleCondor."""
        c, st = self.c, self.st
        div = self.b.div[k]  # (an entry's cut, st.held: its contracts were never opened, kernel_capital.hold_back)
        cut = np.where(st.held > 0, 0.0, [condor_cut(f, n) if d else 0.0 for f, n, d in zip(c["cut"], st.condors, div)])
        st.held[:] = 0.0
        st.cash += cut * self.tp("call_flows", k)
        st.condor += cut * self.tp("call_prem", k)
        st.condors -= cut
        self.leave_wings(cut > 0, self.T.called(k, cut > 0, close=True), cut)
        st.scale = np.where(div, np.minimum(st.scale, c["scale"]), st.scale)

    def size(self, k: int, add: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``hedge._add``: units (after the caps), carry, contract month and long_otm of each point's add;
        clears ``add`` where the caps leave none."""
        b, c, st, m = self.b, self.c, self.st, self.m
        first = st.n == 0
        months = np.where(first, b.first_months[k], b.months[k])
        j0, j = self.new_col(k, c["tenor"], add), self.new_col(k, months, add)
        months = np.where(j == j0, c["tenor"], months)  # a placement acts only when it changes the contract
        # sized on the contract bought (a placement moves VX layers to another month)
        unit = m.mid[k][j] * np.where(self.vx, MULT, OPT_MULT)
        multiple = b.multiple[k]
        want = multiple * st.first + st.carry
        n_carry = np.maximum(1, np.floor(want / unit + 0.5 + 1e-9))
        carried = c["carry_on"] & (unit > 0)
        otm = np.where(first, b.first_otm[k], b.otm[k])
        if self.opt is not None:  # a placement (flattening, slope_breakeven) that leaves the long strike where it
            fut = m.mid[k][j]  # was does not act
            with np.errstate(invalid="ignore"):
                same = call_strike(fut, otm) == call_strike(fut, c["otm"])
            otm = np.where(same, c["otm"], otm)
        n = np.where(first, self.first_size(k, j, otm), np.where(carried, n_carry,
                                                                 np.maximum(1, np.rint(multiple * st.first / unit))))
        carry = np.where(first | ~carried, 0.0, np.clip(want - n_carry * unit, -unit, unit))
        capped = self.caps(k, j, add, n, np.zeros(self.P), otm=otm)
        st.capped |= add & (capped < n)
        n = capped
        add &= n >= 1
        return n, carry, months, otm

    def first_size(self, k: int, j: np.ndarray, otm: np.ndarray | None = None) -> np.ndarray:
        """:func:`strategies.book.first_layer_contracts`: fixed, or (vega_ratio) the target share of the condor's
        vega over the unit's SPX-vega equivalent at the condor's tenor (``LayerActions._unit_quote``; an option
        unit's long call at ``otm``, default the config's: ``placement.bought``)."""
        c, st, m = self.c, self.st, self.m
        if not c["vega_on"].any():
            return c["first_n"]
        condor = np.abs(self.tp("vega_close", k) * (st.condors + st.held) * 100.0)  # (an entry's held back too)
        t = self.tp("t_close", k)
        usd = m.beta[k][j] * 1000.0  # per VIX point: a VX unit's, or an option unit's
        if self.opt is not None:
            usd = np.where(self.vx, usd, self.opt.unit(k, j, c["otm"] if otm is None else otm,
                                                       c["opt"] & (j != self.empty))[2])
        if np.ndim(t):  # points on several tapes: each at its own condor's tenor
            unit = np.array([spx_vega_equivalent(u, None if np.isnan(x) else x, m.vix_to_atm, m.kappa)
                             for u, x in zip(usd, t)])
        else:
            unit = spx_vega_equivalent(usd, None if np.isnan(t) else t, m.vix_to_atm, m.kappa)
        on = c["vega_on"] & (condor > 0) & (unit > 0)
        return np.where(on, np.maximum(1, np.rint(c["target"] * condor / unit)), c["first_n"])

    def add_layer(self, k: int, i: int, add: np.ndarray, n: np.ndarray, carry: np.ndarray, months: np.ndarray,
                  otm: np.ndarray, fixed: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """``Trader._apply`` / ``_add_layer`` / ``_hedge_fit``: the hedge budget (VX initial margin, option
        premium), buying power, the new slot (``fixed``: VXTH's column and long strike)."""
        c, st, m, opt, vx = self.c, self.st, self.m, self.opt, self.vx
        st.last[add] = i
        st.carry[add] = carry[add]
        to, strike = (self.new_col(k, months, add), None) if fixed is None else fixed
        used, per_unit = self.margin(k, m.init), np.where(vx, m.init[k][to], 0.0)
        if opt is not None:
            used = used + np.where(self.slots < st.n[:, None], np.maximum(opt.premium, 0.0), 0.0).sum(axis=1)
            per_unit = np.where(vx, per_unit, np.maximum(opt.unit(k, to, otm, add & c["opt"], strike)[1], 0.0))
        room = self.frac * np.maximum(self.nav_close(k, self.marks(k)), 0.0) - used
        limit = np.where(per_unit > 0, np.floor(room / np.where(per_unit > 0, per_unit, 1.0)), n)
        st.capped |= add & (limit < n)  # the hedge budget's cut (CapitalGuard.cap)
        n = np.where(limit < n, np.maximum(limit, 0), n)
        go = add & (n >= 1)
        if not go.any():
            return
        n = np.where(st.called, 0.0, self.fit_layer(k, go, n, to, self.net(k, "close"), otm, strike))  # CapitalGuard
        go &= n >= 1
        self.open_(k, go, st.n, to, n, otm, strike)
        rows = self.rows
        p = rows[go]
        st.tenor[p, st.n[p]] = np.where(months == c["tenor"], 0, months)[p]
        p = rows[go & (st.live() == 0)]
        st.first[p] = st.notional[p, st.n[p]]
        st.n[go] += 1
        st.added[go] += 1
