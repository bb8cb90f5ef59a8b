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
cut) or adds (hedge budget, buying power); a removal, a margin call or a roll leaves an option layer whose long
call bids 0 to expire (:meth:`vixhedge.kernel_options.OptionSlots.close`). Buying power, the cure and ruin are
:mod:`vixhedge.kernel_capital`'s (Reg-T, or portfolio margin). Layers are a stack (the policy removes the newest),
so a point's open layers are its first ``n`` slots. A point that takes a path the kernel does not replay gets a
reason and its row is not used (the caller runs it on the event path).
"""

from __future__ import annotations

import numpy as np

from strategies.book import condor_cut, vx_layer_months
from vixhedge.bridge import spx_vega_equivalent
from vixhedge.core.config import Config, MarginMode
from vixhedge.kernel_capital import Outcome, State, at_open, enter, fit, hedge_caps, hold_back, outcome
from vixhedge.kernel_condor import HeldWings, Tapes
from vixhedge.kernel_options import OPT_MULT, OptionSlots, call_strike, fill_prices, vxth_calls
from vixhedge.kernel_rules import ADD, NEWEST, Book

HORIZON = 12  # VX contracts tracked past the front one (tenor <= 6, placement and roll skips on top)
WINGS = 4  # slots of condor wings left open per point (one exit's each; they live to their expiry)
MULT = 1000.0  # VX future multiplier (USD per point)


def simulate(b: Book, tape, m, cfg0: Config, rates: np.ndarray, gaps: np.ndarray, i0: int) -> Outcome:
    """Advance every point of ``b`` over the window (see the module docstring)."""
    c = b.cfg
    W, P = b.div.shape
    L, empty = b.layers, m.mid.shape[1] - 1
    slots = np.arange(L)[None, :]
    rows = np.arange(P)
    fee, frac, cc = cfg0.execution.fee_vx_future_usd, cfg0.margin.hedge_budget_nav_fraction, cfg0.condor
    buy_px, sell_px = fill_prices(m.mid, m.bid, m.ask, cfg0.execution)
    st = State(P, L, cfg0.run.initial_cash_usd, empty)
    vx = ~c["opt"]
    opening = c["roll_days"] + c["review"]  # book.opening_sessions: a new layer skips months it would roll out of
    opt = OptionSlots(c, st, m, cfg0.execution) if c["opt"].any() else None  # option layers (kernel_options)
    nav, hedge = np.empty((P, W)), np.empty((P, W))
    expiring = np.isin(i0 + np.arange(W), m.settles)  # VIX expiration days (VXTH buys its calls)
    pm = float(cfg0.margin.mode is MarginMode.PORTFOLIO)
    T = Tapes(tape, P)  # the condor tape each point follows (kernel_condor: the shared one or a branch)
    tp, held = T.at, HeldWings(tape.wings, P, WINGS)  # ... and the wings the points' exits left open
    wings = held.value

    def leave_wings(mask: np.ndarray, ids, n: np.ndarray) -> None:
        """The ``mask`` points keep ``n`` of the wings ``ids`` (bid at 0, 0: none) open: an exit's, ``n`` its condors
        (``CondorActions._close_condor``), a margin call's or a cut's, ``n`` the condors it closes."""
        new = mask & (ids > 0) & (n > 0)
        if new.any():
            st.flag(new & (pm > 0), "a condor wing left open under portfolio margin (margined with the next condor)")
            st.flag(held.leave(new, ids, n), "more condor wings left open than the kernel tracks")

    def net(k: int, when: str):
        """Per condor held at the open / close: its requirement less its loan value (portfolio margin: its marks)."""
        return tp(f"req_{when}", k) - pm * tp(f"marks_{when}", k)

    def pnl(k: int) -> np.ndarray:
        """The VX layers' open P&L (in the loan value)."""
        return (st.qty * (m.mid[k][st.col] - st.basis)).sum(axis=1) * MULT

    def marks(k: int) -> np.ndarray:
        """The layers' value in NAV: the VX layers' open P&L and the option layers' marks."""
        return pnl(k) if opt is None else pnl(k) + opt.value(k)

    def margin(k: int, per_contract: np.ndarray) -> np.ndarray:
        return (st.qty * per_contract[k][st.col]).sum(axis=1)

    def new_col(k: int, months: np.ndarray, use: np.ndarray, roll: bool = False) -> np.ndarray:
        """``Trader._new_layer_contract``: the column of :func:`strategies.book.vx_layer_month` (the ``months``-th
        contract, the next while it is too near its settlement: a new layer's book.opening_sessions, a roll's
        roll_days; ``use``: the points that trade it)."""
        listed = m.days_to[k][np.minimum(m.first[k] + np.arange(HORIZON), empty - 1)]  # the front contract first
        j = m.first[k] + vx_layer_months(months, listed, c["roll_days"] if roll else opening) - 1
        st.flag(use & (j >= np.minimum(empty, m.first[k] + HORIZON)), "no VX contract within the kernel's horizon")
        return np.where(use, np.minimum(j, empty - 1), empty)

    def bp(k: int, n: np.ndarray, j: np.ndarray, condor_req: float, otm: np.ndarray,
           strike: np.ndarray | None = None) -> np.ndarray:
        """Buying power after buying ``n`` units of a layer on column ``j`` (Desk.buying_power_after)
        (``condor_req``: one condor held then, ``net(k, 'open')`` or ``net(k, 'close')``; option layers: long_otm
        or the long strike)."""
        cost = np.where(vx, n * fee - n * (m.mid[k][j] - buy_px[k][j]) * MULT, 0.0)
        if opt is not None:
            cost = cost + opt.cost(k, n, j, otm, c["opt"] & (j != empty), strike)
        req = condor_req * st.condors + margin(k, m.init) + np.where(vx, n * m.init[k][j], 0.0)
        return st.cash + pnl(k) - cost - req

    def fit_layer(k: int, use: np.ndarray, n: np.ndarray, j: np.ndarray, condor_req: float, otm: np.ndarray,
                  strike: np.ndarray | None = None) -> np.ndarray:
        """``CapitalGuard.fit``: the units of ``n`` buying power allows (kernel_capital.fit)."""
        return fit(lambda x: bp(k, x, j, condor_req, otm, strike), n, use, cfg0.margin)

    def reopen(k: int, d: np.ndarray, j: int, to: np.ndarray, q: np.ndarray, otm: np.ndarray, req: float) -> None:
        """``LayerActions._roll_layer``'s buy (the old layer sold): cut to buying power; none closes the layer."""
        n = fit_layer(k, d, q, to, req, otm)
        go = d & (n >= 1)
        open_(k, go, np.full(P, j), to, n, otm)
        st.drop(d & ~go, j, opt)

    def close_value(k: int) -> np.ndarray:
        """The cash closing every layer at the day's fills would bring (Desk.liquidation_value's part)."""
        out = ((st.qty * (sell_px[k][st.col] - st.basis)).sum(axis=1) * MULT - st.qty.sum(axis=1) * fee)
        return out if opt is None else out + opt.close_value(k)

    def proceeds(k: int) -> np.ndarray:
        """What closing every layer at the day's fills books to the hedge group (fees apart: the fees group)."""
        fees = st.qty.sum(axis=1) * fee
        if opt is not None:
            fees = fees + opt.fees()
        return close_value(k) + fees

    def close(k: int, mask: np.ndarray, slot: int, leave: bool = False) -> None:  # leave: LayerActions._exit_layer
        if opt is not None:
            st.flag(opt.close(k, mask, slot, leave), "more VIX option layers left to expire than the kernel tracks")
        q = np.where(mask, st.qty[:, slot], 0.0)
        gain = q * (sell_px[k][st.col[:, slot]] - st.basis[:, slot]) * MULT
        st.realized += gain
        st.cash += gain - q * fee
        st.qty[mask, slot], st.col[mask, slot] = 0.0, empty

    def open_(k: int, mask: np.ndarray, slot: np.ndarray, j: np.ndarray, n: np.ndarray, otm: np.ndarray,
              strike: np.ndarray | None = None) -> None:
        if opt is not None:
            opt.open(k, mask & c["opt"], slot, j, n, otm, strike)
            mask = mask & vx
        p, s = rows[mask], slot[mask]
        st.col[p, s], st.qty[p, s], st.basis[p, s] = j[p], n[p], buy_px[k][j[p]]
        st.notional[p, s] = n[p] * m.mid[k][j[p]] * MULT
        st.cash[p] -= n[p] * fee

    def open_day(k: int, i: int) -> None:
        """Interest, settlements, the maintenance and ruin checks, then the condor's trades (Trader.on_bar)."""
        if k:
            st.cash += st.cash * rates[k - 1] * gaps[k - 1] / 365.0
        condor_out(k, "settled", "open_flows")
        st.cash += held.settle(k)  # the wings left open that settle today (Desk.open_day)
        settle_layers(k, i)
        value = marks(k)
        cure = np.where(tp("exit", k), tp("exit_flows", k) + tp("wing_flows", k), tp("close_flows", k))
        call = np.where(tp("exit", k), tp("exit_flows", k), tp("call_flows", k))  # its wings bid at 0 left
        at_open(k, st, cfg0.margin, cure, call, net(k, "open"), st.cash + tp("marks_open", k) * st.condors + value
                + wings(k, 0), lambda: st.realized + proceeds(k),
                lambda: st.cash + pnl(k) - net(k, "open") * st.condors - margin(k, m.maint),
                lambda: close_value(k) + wings(k, 2), lambda mask, s: close(k, mask, s, True),
                lambda mask, n: leave_wings(mask, T.called(k, mask), n))
        condor_out(k, "exit", "exit_flows")
        if np.any(tp("entry", k)) or (cc.enabled and (st.off.any() or any(st.refused))):
            enter(k, st, T, cc, cfg0.margin, pm, net(k, "close"), st.cash + marks(k) + wings(k, 0),
                  st.cash + pnl(k) - margin(k, m.init))  # (no condor held by the points that enter)
            hold_back(st, b.div[k], c["cut"], tp("entry_flows", k))  # (CondorActions._entry_cut)

    def condor_out(k: int, when: str, flows: str) -> None:
        """The condor held settles at the open, or exits (leaving the wings that would sell for 0): its flows; none
        held after."""
        if np.any(tp(when, k)):
            if when == "exit":
                leave_wings(np.broadcast_to(tp("exit", k), (P,)), np.broadcast_to(tp("left", k), (P,)), st.condors)
            st.cash += np.where(tp(when, k), tp(flows, k) * st.condors, 0.0)
            st.condors = np.where(tp(when, k), 0.0, st.condors)

    def settle_layers(k: int, i: int) -> None:
        """``Desk.open_day`` settles the layers whose VX contract settles today (at its final settlement value),
        then ``Trader._sync_settled`` reopens each (``roll_days = 0``; buying power checked as in
        ``Trader._roll_layer``) on its tenor's contract, in layer order; and the option layers left to expire."""
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
        st.qty[due], st.col[due] = 0.0, empty
        dropped = c["vxth"] & due.any(axis=1)  # VXTH's calls are held to settlement, not reopened
        st.n[dropped] = 0
        due &= ~dropped[:, None]
        for j in np.flatnonzero(due.any(axis=0)):
            d = due[:, j]
            to = new_col(k, np.where(st.tenor[:, j] > 0, st.tenor[:, j], c["tenor"]), d, roll=True)
            reopen(k, d, j, to, q[:, j], slot_otm(j), net(k, "open"))
        st.compact(opt)

    def slot_otm(j: int) -> np.ndarray:
        return opt.otm[:, j].copy() if opt is not None else c["otm"]

    def units(j: int) -> np.ndarray:
        return st.qty[:, j] + opt.n[:, j] if opt is not None else st.qty[:, j].copy()

    def hedge_bar(k: int, i: int) -> None:
        """``Trader._manage_hedge`` with ``decide_alvh``, ``decide_static`` or ``decide_vxth``: decide on the
        bar's state, then roll, restrike, remove or add."""
        nl = st.n
        rm = c["div_rm"]
        n_div = np.minimum(np.where(b.near[k] & (nl > rm) & (c["fomc_rm"] > rm), c["fomc_rm"], rm), nl)
        pre = b.div[k] & (n_div > 0)  # the divergence removes layers: the crossover / review waits
        act = ~pre & (b.cross[k] | (b.review[k] & (i - st.last >= b.bars[k])))
        rule = b.rule[k]
        remove = act & (rule >= NEWEST) & (nl > 0) & b.remove_ok[k]
        n_remove = np.where(pre, n_div, np.where(remove, np.where(rule == NEWEST, 1, nl), 0))
        add = (act & (rule == ADD) & ~(c["need_condor"] & (st.condors == 0)) & (nl < c["max_layers"])
               & b.add_ok[k])
        if add.any():
            n, carry, months, otm = size(k, add)
        plan = static_plan(k) if c["static"].any() else []
        held = slots < nl[:, None]
        removed = held & (slots >= (nl - n_remove)[:, None])
        dte = m.days_to[k][st.col]
        due = held & ~removed & (dte > 0) & (dte <= c["roll_days"][:, None]) & ~c["vxth"][:, None]
        moves = restrikes(k, removed, dte) if opt is not None and b.restrike[k].any() else None
        for j in np.flatnonzero(due.any(axis=0)):  # rolls, in layer order
            d, q, o = due[:, j], units(j), slot_otm(j)
            close(k, d, j, True)  # (an option layer whose long call would sell for 0: left to expire)
            to = new_col(k, np.where(st.tenor[:, j] > 0, st.tenor[:, j], c["tenor"]), d, roll=True)
            reopen(k, d, j, to, q, o, net(k, "close"))
        if moves is not None:
            restrike(k, moves)
        if n_remove.any():
            for j in np.flatnonzero(removed.any(axis=0)):
                close(k, removed[:, j], j, True)
            st.n -= n_remove
            st.last[n_remove > 0] = i
        if b.div[k].any():
            divergence_condor(k)
        if add.any():
            add_layer(k, i, add, n, carry, months, otm)
        for go, n_static in plan:  # decide_static's adds, one after another
            add_layer(k, i, go, n_static, np.zeros(P), c["tenor"], c["otm"])
        if opt is not None and c["vxth"].any():
            vxth_add(k, i)
        st.compact(opt)

    def vxth_add(k: int, i: int) -> None:
        """:func:`strategies.vxth.decide_vxth`: without calls held, on the run's first bar or a VIX expiration,
        buy the calls for weight x NAV of premium (cut to the caps), held to settlement."""
        want = c["vxth"] & (st.n == 0) & ((k == 0) | expiring[k])
        if not want.any():
            return
        j, strike, weight = vxth_calls(m, k, c, want)
        st.flag(want & (j == empty), "no VX contract within the kernel's horizon")
        _, premium, _ = opt.unit(k, j, c["otm"], want, strike)
        value = weight * (st.cash + tp("marks_close", k) * st.condors + marks(k) + wings(k, 0))
        n = caps(k, j, want, np.where(premium > 0, np.floor(value / premium + 1e-9), 0.0), np.zeros(P), strike)
        want &= n >= 1
        if want.any():
            add_layer(k, i, want, n, np.zeros(P), c["tenor"], np.zeros(P), (j, strike))

    def restrikes(k: int, removed: np.ndarray, dte: np.ndarray) -> np.ndarray:
        """``placement.restrikes`` on the bar's state: the outer option layers (not removed, not rolling by the
        next session) whose long call the flattened offset would put higher."""
        target = (c["otm"] + c["flat_otm"])[:, None]
        return (b.restrike[k][:, None] & (slots >= 1) & (opt.n != 0) & ~removed & ~(opt.otm >= target - 1e-9)
                & (dte - 1 > c["roll_days"][:, None]) & (call_strike(m.mid[k][st.col], target) > opt.k1))

    def restrike(k: int, moves: np.ndarray) -> None:
        """``LayerActions._restrike_layer``: close and reopen each on its expiry at the flattened offset, same
        units and notional, in layer order; not one that would sell a call for 0 (skipped)."""
        target = c["otm"] + c["flat_otm"]
        for j in np.flatnonzero(moves.any(axis=0)):
            d, q, col, notional = moves[:, j], units(j), st.col[:, j].copy(), st.notional[:, j].copy()
            d &= ~opt.sells_for_nothing(k, d, col, opt.k1[:, j])  # its long call, a spread's new short call:
            d &= ~opt.sells_for_nothing(k, d & c["spread"], col, call_strike(m.mid[k][col], target) + c["width"])
            d &= bp(k, q, col, net(k, "close"), target) + opt.close_value(k, d, j) >= 0  # else refused
            close(k, d, j)
            open_(k, d, np.full(P, j), col, q, target)
            st.notional[:, j] = notional

    def static_plan(k: int) -> list[tuple[np.ndarray, np.ndarray]]:
        """:func:`strategies.hedge.decide_static`'s adds (on the bar's state, before its rolls): up to
        ``static_layers`` first-size layers, each cut to the notional cap left by the earlier ones."""
        want = c["static"] & ~(c["need_condor"] & (st.condors == 0))
        j = new_col(k, c["tenor"], want)
        n0 = first_size(k, j)
        pending, plan = np.zeros(P), []
        for a in range(int(c["static_layers"].max())):
            n = caps(k, j, want, n0, pending)
            want &= (st.n + a < c["static_layers"]) & (n >= 1)
            if not want.any():
                break
            plan.append((want.copy(), n))
            pending += np.where(want, n, 0)
        return plan

    def caps(k: int, j: np.ndarray, use: np.ndarray, n: np.ndarray, pending: np.ndarray,
             strike: np.ndarray | None = None, otm: np.ndarray | None = None) -> np.ndarray:
        """:func:`kernel_capital.hedge_caps` on a unit of column ``j`` (a VX future or a VIX option)."""
        return hedge_caps(c, st, opt, k, m.mid[k][j] * np.where(vx, MULT, OPT_MULT), j, use, n, pending, strike, otm)

    def divergence_condor(k: int) -> None:
        """``hedge._divergence``'s CutCondor (``Trader._cut_condor``: wings bid at 0 left) and ScaleCondor."""
        div = b.div[k]  # (an entry's cut, st.held: its contracts were never opened, kernel_capital.hold_back)
        cut = np.where(st.held > 0, 0.0, [condor_cut(f, n) if d else 0.0 for f, n, d in zip(c["cut"], st.condors, div)])
        st.held[:] = 0.0
        st.cash += cut * tp("call_flows", k)
        st.condors -= cut
        leave_wings(cut > 0, T.called(k, cut > 0, close=True), cut)
        st.scale = np.where(div, np.minimum(st.scale, c["scale"]), st.scale)

    def size(k: int, add: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """``hedge._add``: units (after the caps), carry, contract month and long_otm of each point's add;
        clears ``add`` where the caps leave none."""
        first = st.n == 0
        months = np.where(first, b.first_months[k], b.months[k])
        j0, j = new_col(k, c["tenor"], add), new_col(k, months, add)
        months = np.where(j == j0, c["tenor"], months)  # a placement acts only when it changes the contract
        # sized on the contract bought (a placement moves VX layers to another month)
        unit = m.mid[k][j] * np.where(vx, MULT, OPT_MULT)
        multiple = b.multiple[k]
        want = multiple * st.first + st.carry
        n_carry = np.maximum(1, np.floor(want / unit + 0.5 + 1e-9))
        carried = c["carry_on"] & (unit > 0)
        otm = np.where(first, b.first_otm[k], b.otm[k])
        if opt is not None:  # a placement (flattening, slope_breakeven) that leaves the long strike where it was
            fut = m.mid[k][j]  # does not act
            with np.errstate(invalid="ignore"):
                same = call_strike(fut, otm) == call_strike(fut, c["otm"])
            otm = np.where(same, c["otm"], otm)
        n = np.where(first, first_size(k, j, otm), np.where(carried, n_carry,
                                                        np.maximum(1, np.rint(multiple * st.first / unit))))
        carry = np.where(first | ~carried, 0.0, np.clip(want - n_carry * unit, -unit, unit))
        n = caps(k, j, add, n, np.zeros(P), otm=otm)
        add &= n >= 1
        return n, carry, months, otm

    def first_size(k: int, j: np.ndarray, otm: np.ndarray | None = None) -> np.ndarray:
        """:func:`strategies.book.first_layer_contracts`: fixed, or (vega_ratio) the target share of the condor's
        vega over the unit's SPX-vega equivalent at the condor's tenor (``LayerActions._unit_quote``; an option
        unit's long call at ``otm``, default the config's: ``placement.bought``)."""
        if not c["vega_on"].any():
            return c["first_n"]
        condor = np.abs(tp("vega_close", k) * (st.condors + st.held) * 100.0)  # (an entry's held back too)
        t = tp("t_close", k)
        usd = m.beta[k][j] * 1000.0  # per VIX point: a VX unit's, or an option unit's
        if opt is not None:
            usd = np.where(vx, usd, opt.unit(k, j, c["otm"] if otm is None else otm, c["opt"] & (j != empty))[2])
        if np.ndim(t):  # points on several tapes: each at its own condor's tenor
            unit = np.array([spx_vega_equivalent(u, None if np.isnan(x) else x, m.vix_to_atm, m.kappa)
                             for u, x in zip(usd, t)])
        else:
            unit = spx_vega_equivalent(usd, None if np.isnan(t) else t, m.vix_to_atm, m.kappa)
        on = c["vega_on"] & (condor > 0) & (unit > 0)
        return np.where(on, np.maximum(1, np.rint(c["target"] * condor / unit)), c["first_n"])

    def add_layer(k: int, i: int, add: np.ndarray, n: np.ndarray, carry: np.ndarray, months: np.ndarray,
                  otm: np.ndarray, fixed: tuple[np.ndarray, np.ndarray] | None = None) -> None:
        """``Trader._apply`` / ``_add_layer`` / ``_hedge_fit``: the hedge budget (VX initial margin, option
        premium), buying power, the new slot (``fixed``: VXTH's column and long strike)."""
        st.last[add] = i
        st.carry[add] = carry[add]
        to, strike = (new_col(k, months, add), None) if fixed is None else fixed
        used, per_unit = margin(k, m.init), np.where(vx, m.init[k][to], 0.0)
        if opt is not None:
            used = used + np.where(slots < st.n[:, None], np.maximum(opt.premium, 0.0), 0.0).sum(axis=1)
            per_unit = np.where(vx, per_unit, np.maximum(opt.unit(k, to, otm, add & c["opt"], strike)[1], 0.0))
        room = frac * np.maximum(st.cash + tp("marks_close", k) * st.condors + marks(k) + wings(k, 0), 0.0) - used
        limit = np.where(per_unit > 0, np.floor(room / np.where(per_unit > 0, per_unit, 1.0)), n)
        n = np.where(limit < n, np.maximum(limit, 0), n)
        go = add & (n >= 1)
        if not go.any():
            return
        n = np.where(st.called, 0.0, fit_layer(k, go, n, to, net(k, "close"), otm, strike))  # (CapitalGuard.fit)
        go &= n >= 1
        open_(k, go, st.n, to, n, otm, strike)
        p = rows[go]
        st.tenor[p, st.n[p]] = np.where(months == c["tenor"], 0, months)[p]
        p = rows[go & (st.live() == 0)]
        st.first[p] = st.notional[p, st.n[p]]
        st.n[go] += 1
        st.added[go] += 1

    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for k in range(W):
            i = i0 + k
            open_day(k, i)
            hedge_bar(k, i)
            value = marks(k)
            nav[:, k] = st.cash + tp("marks_close", k) * st.condors + value + wings(k, 0)
            hedge[:, k] = st.realized + value
    return outcome(st, nav, hedge)
