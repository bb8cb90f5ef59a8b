"""The kernel's accounts: each point's cash, condor and layer slots, and the capital paths on them.

:class:`State` holds a chunk's books (:mod:`vixhedge.kernel_book` trades them). The capital paths are
:class:`strategies.capital.CapitalGuard`'s and the Trader's, replayed on arrays of points:

* :func:`fit` is ``CapitalGuard.fit``: an order that buying power does not allow is cut to as many units as it
  does (``margin.on_insufficient = "reduce"``) or refused; a roll cut to none closes its layer
  (``LayerActions._roll_layer``): the slot becomes a hole, closed up by :meth:`State.compact` at the end of the
  step, so the stack keeps its order (the policy removes the newest);
* :func:`at_open` is ``CapitalGuard.check`` and ``Trader._cure_breach``: NAV <= 0, or a maintenance breach no
  liquidation at the day's fills cures, is a ruin (the point's metrics end that day, :meth:`State.ruin`: its hedge
  value is the one the ruin's liquidation leaves, ``RuinActions._liquidate``, and its NAV 0, the debt written off); else
  a breach closes layers newest first while it lasts, then the fewest condors that cure it (or everything,
  ``margin.on_breach = "liquidate"``), at the day's fills and fees, their wings bid at 0 left open, and marks the
  point ``called``: no layer opens that session (``CapitalGuard.fit``); :func:`outcome` ends a ruined point's rows
  on its ruin day.

The ruin (its test and its liquidation) has three copies, on data too unlike to share one function (the event
path's desk and ledger, this module's arrays of points, the compiled book's scalars): the event path's test is
``CapitalGuard.check`` and its liquidation ``strategies.ruin.RuinActions._liquidate`` (``Trader._cure_breach(i,
"ruin")``, then the wings and legs left open, then ``CapitalGuard.close_account``; a group whose payoff is never below
0 and whose close would bring nothing after fees is abandoned at 0 and counts 0 in the test: here
``kernel_options.OptionSlots.liquidation`` and ``kernel_condor.Wings``' sale); here :func:`at_open` (the test, and
the hedge value the liquidation leaves) and :func:`outcome` (NAV 0 on the ruin day); the compiled book
(``kernel_jit_bar.advance_points``) only tests NAV <= 0 and the maintenance breach, and hands such a point to this
one (``RUIN``, ``MAINT``). Their equality is pinned by
``tests/vixhedge/test_kernel_capital.py::test_the_kernel_replays_the_capital_path_as_the_event_path`` (its ruin cases:
NAV <= 0, and a breach no liquidation cures), ``tests/vixhedge/test_ruin.py`` (the two event engines on a ruined run),
``tests/vixhedge/test_ruin_abandon.py`` (groups abandoned) and ``tests/vixhedge/test_kernel_jit.py`` (BINDING: a
maintenance breach handed over).

A point left without its condor (a refused entry, or a margin call that closes it all) tries an entry every day
as the Trader does (:func:`enter`: :func:`size_condor` on ``CondorTape.attempt``, or its tape's own entry, which
it then rejoins); one that opens a condor its tape does not trade follows a branch of the tape traded from that
day on (:class:`vixhedge.kernel_condor.Tapes`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from strategies.book import condor_cut
from vixhedge.core.config import BreachRule, CondorConfig, CondorSizing, MarginConfig, OnInsufficient


@dataclass
class Outcome:
    nav: np.ndarray  # [points, days] end-of-day NAV (a ruined point's: valid to its ruin day)
    hedge_pnl: np.ndarray  # [points, days] daily P&L of the hedge group
    layers: np.ndarray  # [points] layers opened
    reason: list  # per point: "" or why the event path must run it
    ruin: np.ndarray  # [points] the window day of its ruin, -1 if none
    condor_pnl: np.ndarray  # [points, days] daily P&L of the condor group (fees apart: pnl.condor_pnl_usd's)
    margin: np.ndarray  # [points, days] day-end maintenance requirement (Desk.record_day's margin_usd)
    capped: np.ndarray  # [points, days] a capital cap cut an order that day (CapitalGuard.cap_days)
    called: np.ndarray  # [points, days] the session opened with a margin call (CapitalGuard.breach_days)
    excess: np.ndarray  # [points, days] the day's lowest excess liquidity: its session's check (before its trades,
    # CapitalGuard.checks) or its end (Desk.record_day's), the smaller (vixhedge.run.lowest_excess)
    carry: np.ndarray  # [points, days] the hedge's P&L by cause (analyzers.hedge_cost.CarryTracker's): VX carry,
    vix_move: np.ndarray  # VIX move and the VIX options' marks of the layers held since the previous close
    option_marks: np.ndarray  # (kernel_desk.KernelDesk.overnight, vx_causes)

    def causes(self, k: int) -> list[np.ndarray]:
        """Point ``k``'s hedge P&L by cause day by day (:data:`analyzers.hedge_cost.DAILY_CAUSES`' order): the fills
        against mid the rest of its hedge P&L (fees excluded), as :func:`analyzers.hedge_cost.book_causes`'."""
        seen = (self.carry[k], self.vix_move[k], self.option_marks[k])
        return [*seen, self.hedge_pnl[k] - (seen[0] + seen[1] + seen[2])]


class State:
    """The books of a chunk's points: cash, the condor size held, layer slots (a stack: slot < n is held; a
    closed slot has 0 contracts on the no-contract column ``empty``, see ``kernel._Market``)."""

    def __init__(self, P: int, L: int, cash: float, empty: int) -> None:
        self.empty = empty
        self.cash = np.full(P, cash)
        self.condors = np.zeros(P)  # contracts of the condor held
        self.scale = np.ones(P)  # the next condor's pending size scale (divergence.condor_scale)
        self.n = np.zeros(P, dtype=np.int64)  # layers held (holes included until compact)
        self.col = np.full((P, L), empty, dtype=np.int64)  # VX column of each slot
        self.qty = np.zeros((P, L))
        self.basis = np.zeros((P, L))
        self.notional = np.zeros((P, L))
        self.tenor = np.zeros((P, L), dtype=np.int64)  # contract month it rolls into (0: hedge.tenor_months)
        self.hole = np.zeros((P, L), dtype=bool)  # a layer closed in this step (a roll buying power refused)
        self.realized = np.zeros(P)  # hedge group's realised futures P&L
        self.condor = np.zeros(P)  # condor group's cash flows: premium and settlements (fees: the fees group's)
        self.first = np.zeros(P)  # the first layer's notional
        self.carry = np.zeros(P)  # fractional notional carried
        self.added = np.zeros(P, dtype=np.int64)  # layers opened
        self.last = np.full(P, -(10**9), dtype=np.int64)  # bar of the last add / remove
        self.last_div = np.full(P, -(10**9), dtype=np.int64)  # ... a divergence removed layers (divergence.hold_adds)
        self.bad = np.zeros(P, dtype=bool)
        self.reason = [""] * P
        self.ruined = np.full(P, -1, dtype=np.int64)  # window day of the ruin
        self.ruin_hedge = np.zeros(P)  # the hedge group's value then, after the ruin's liquidation
        self.ruin_condor = np.zeros(P)  # ... and the condor group's (KernelTrader._cure_breach)
        self.called = np.zeros(P, dtype=bool)  # today's session opened with a maintenance breach: no layer opens
        self.check = np.full(P, np.nan)  # today's opening excess liquidity (CapitalGuard.check's; NaN once ruined)
        self.ruin_check = np.zeros(P)  # ... on the ruin day (the breach or NAV <= 0 the ruin is)
        self.ruin_added = np.zeros(P, dtype=np.int64)  # layers opened by then
        self.off = np.zeros(P, dtype=bool)  # holds no condor where the tape holds one (refused, or margin-called)
        self.refused: list[set[int]] = [set() for _ in range(P)]  # tape entries' expiries it refused (not traded)
        self.entered = np.zeros(P, dtype=bool)  # opened a condor today (enter; read and reset by hold_back)
        self.held = np.zeros(P)  # of it, the contracts held back for the day's divergence cut (Trader._entry_cut)
        self.capped = np.zeros(P, dtype=bool)  # a capital cap cut an order today (CapitalGuard.cap, cap_days)

    def flag(self, mask: np.ndarray, why: str) -> None:
        """Hand the ``mask`` points back with ``why`` (a ruined point's later steps are never read)."""
        new = mask & ~self.bad & (self.ruined < 0)
        if new.any():
            for p in np.flatnonzero(new):
                self.reason[p] = why
            self.bad |= new

    def live(self) -> np.ndarray:
        """Layers held (holes not counted)."""
        return self.n - self.hole.sum(axis=1)

    def ruin(self, mask: np.ndarray, k: int, hedge_value: np.ndarray) -> None:
        """``CapitalGuard._ruin`` on day ``k``: the point trades no more; its metrics end here."""
        new = mask & (self.ruined < 0) & ~self.bad
        self.ruined[new] = k
        self.ruin_check[new] = self.check[new]
        self.ruin_hedge[new] = hedge_value[new]
        self.ruin_added[new] = self.added[new]

    def drop(self, mask: np.ndarray, slot: int, opt) -> None:
        """Leave the (already closed) ``slot`` of the ``mask`` points a hole."""
        self.hole[mask, slot] = True
        self.qty[mask, slot], self.col[mask, slot], self.notional[mask, slot] = 0.0, self.empty, 0.0
        self.tenor[mask, slot] = 0
        if opt is not None:
            opt.n[mask, slot], opt.premium[mask, slot] = 0.0, 0.0

    def compact(self, opt) -> None:
        """Close up the holes, keeping the layers' order."""
        if not self.hole.any():
            return
        arrays = [self.col, self.qty, self.basis, self.notional, self.tenor]
        if opt is not None:
            arrays += [opt.k1, opt.n, opt.premium, opt.otm]
        L = self.col.shape[1]
        for p in np.flatnonzero(self.hole.any(axis=1)):
            keep = [s for s in range(int(self.n[p])) if not self.hole[p, s]]
            order = keep + [s for s in range(L) if s not in keep]
            for a in arrays:
                a[p] = a[p, order]
            self.n[p] = len(keep)
            self.col[p, len(keep):], self.qty[p, len(keep):] = self.empty, 0.0
        self.hole[:] = False


def fit(bp: Callable[[np.ndarray], np.ndarray], n: np.ndarray, use: np.ndarray, margin: MarginConfig) -> np.ndarray:
    """``CapitalGuard.fit`` on arrays: the units of ``n`` the ``use`` points' buying power allows (``bp(k)``:
    the buying power after ``k`` units; ``n`` elsewhere)."""
    n = np.asarray(n, dtype=float)
    short = use & (n >= 1) & ~(bp(n) >= 0)
    if not short.any():
        return n
    bp0 = bp(np.zeros_like(n))
    k = np.zeros_like(n)
    if margin.on_insufficient is OnInsufficient.REDUCE:
        per = bp0 - bp(np.ones_like(n))
        k = np.where(short & (bp0 > 0) & (per > 0), np.minimum(n - 1, np.floor(bp0 / per)), 0.0)
        while True:
            over = short & (k > 0) & (bp(k) < 0)
            if not over.any():
                break
            k = np.where(over, k - 1, k)
    return np.where(short, k, n)


def at_open(k: int, st: State, margin: MarginConfig, cure, call, condor_net, nav: np.ndarray,
            liquidated_hedge: Callable[[], np.ndarray], excess: Callable[[], np.ndarray],
            layers_value: Callable[[], np.ndarray], close: Callable[[np.ndarray, int], None],
            leave: Callable[[np.ndarray, np.ndarray], None]) -> None:
    """``CapitalGuard.check`` then ``Trader._cure_breach`` on day ``k``'s open (module docstring): ``cure`` the flows
    of closing one condor held (every leg: the liquidation value), ``call`` those of a margin call's close (its wings
    bid at 0 left open), ``condor_net`` its requirement less its loan value (portfolio margin: its marks), ``nav``
    now, ``liquidated_hedge()`` the hedge group's value once every layer is closed at the day's fills, ``excess()``
    the excess liquidity, ``layers_value()`` the cash closing every layer at the day's fills would bring,
    ``close(mask, slot)`` closes a layer slot at the day's fills, ``leave(mask, n)`` keeps the wings bid at 0 of
    ``n`` condors closed."""
    live = st.ruined < 0
    st.check = np.where(live, excess(), np.nan)  # (before the ruin test: CapitalGuard.check's, a ruin's too)
    ruined = live & (nav <= 0)
    breach = live & ~ruined & (st.check < 0)
    if breach.any():
        ruined |= breach & (st.cash + layers_value() + cure * st.condors <= 0)  # Desk.liquidation_value
        breach &= ~ruined
    if ruined.any():
        st.ruin(ruined, k, liquidated_hedge())
    st.called = breach
    if not breach.any():
        return
    everything = margin.on_breach is BreachRule.LIQUIDATE
    for s in reversed(range(st.col.shape[1])):  # newest first
        go = breach & (s < st.n) & (everything | (excess() < 0))
        if go.any():
            close(go, s)
            st.n[go] = s
    out = excess()
    go = breach & (st.condors > 0) & (everything | (out < 0))
    if not go.any():
        return
    slope = call + condor_net  # excess liquidity per condor closed: its flows, requirement and loan value
    j = np.where(go & (slope > 0), np.maximum(1.0, np.ceil(-out / slope) - 1.0), st.condors)
    j = np.where(everything, st.condors, np.minimum(j, st.condors))
    while True:  # the fewest condors whose closing cures the breach (Trader._cure_breach)
        more = go & (j < st.condors) & ~(out + j * slope >= 0)
        if not more.any():
            break
        j = np.where(more, j + 1, j)
    j = np.where(go, j, 0.0)
    st.cash += j * call
    st.condors -= j
    leave(go & (j > 0), j)
    st.off |= go & (st.condors == 0)


def enter(k: int, st: State, T, cc: CondorConfig, margin: MarginConfig, pm: float, net, nav: np.ndarray,
          bp0: np.ndarray) -> None:
    """``Trader._manage_condor``'s entries on day ``k`` (``net``: per condor held at the close, its requirement
    less its loan value; ``nav`` and ``bp0`` before the entry). A point whose tape (``T``, kernel_condor.Tapes)
    enters sizes that condor, refused: it holds none, the expiry not traded. A point holding none where its tape
    holds one, or that never traded an expiry its tape did, tries its own entry (``CondorTape.attempt``: the
    untraded expiry closest to target, which may be one its tape traded and it refused); one that opens it follows
    a branch from that day."""
    entry = np.array(np.broadcast_to(T.at("entry", k), st.off.shape))
    tape_expiry, roll = (np.broadcast_to(T.at(f, k), st.off.shape) for f in ("expiry", "roll"))
    for p in np.flatnonzero(entry):  # one that never traded an expiry its tape did may open that one instead
        if st.refused[p] and _own(T, p, k, st.refused[p]) != tape_expiry[p]:
            if roll[p]:
                st.flag(np.arange(len(entry)) == p, "a condor entry off the shared tape")
            entry[p], st.off[p] = False, True  # (it tries its own below: holds none where the tape holds one)
            st.refused[p].add(int(tape_expiry[p]))
    if entry.any():
        st.flag(st.off & entry & roll, "a condor entry off the shared tape")  # (its roll would differ)
        n = size_condor(st, cc, margin, entry, T.at("entry_n", k), T.at("entry_loss", k), T.at("entry_width", k),
                        T.at("entry_cost", k) + net, nav, bp0)
        st.condors = np.where(entry, n, st.condors)
        st.scale[entry & (n >= 1)] = 1.0
        st.entered |= entry & (n >= 1)
        refused = entry & (n < 1)
        st.off = np.where(entry, refused, st.off)
        for p in np.flatnonzero(refused):
            st.refused[p].add(int(tape_expiry[p]))
        st.cash += np.where(entry, T.at("entry_flows", k) * st.condors, 0.0)
        st.condor += np.where(entry, T.at("entry_prem", k) * st.condors, 0.0)
    flat = np.broadcast_to(np.isnan(T.at("t_close", k)), st.off.shape)  # the tape holds none at the close
    loose = flat & np.array([bool(r) for r in st.refused]) & ~st.off & ~entry  # its own entry may exist
    exited = np.broadcast_to(T.at("exit", k), st.off.shape)  # (a stop or DTE exit waits a session: not known here)
    for p in np.flatnonzero(loose & exited):
        if T.attempt(k, frozenset(T.traded(p, k) - st.refused[p])) is not None:
            st.flag(np.arange(len(entry)) == p, "a condor entry off the shared tape")
    trying = (st.off & ~entry) | (loose & ~exited)
    known = {p: frozenset(T.traded(p, k) - st.refused[p]) for p in np.flatnonzero(trying)}  # its traded expiries
    tries: dict = {}  # the entry each tries (its traded expiries excluded) -> those points
    for p, traded in known.items():
        e = T.attempt(k, traded)
        if e is not None:
            tries.setdefault(e.expiry, (e, []))[1].append(p)
    for e, points in tries.values():
        use = np.zeros_like(trying)
        use[points] = True
        n = size_condor(st, cc, margin, use, e.n, e.loss, e.width, e.cost + e.req - pm * e.marks, nav, bp0)
        for p in np.flatnonzero(use & (n >= 1)):
            t = T.branch(p, k, known[p])
            if not (t.entry[k] and t.expiry[k] == e.expiry):  # (the branch opens that same condor that day)
                st.flag(np.arange(len(use)) == p, "a condor entry off the shared tape")
            st.condors[p], st.scale[p], st.off[p], st.refused[p] = n[p], 1.0, False, set()
            st.entered[p] = True
            st.cash[p] += t.entry_flows[k] * n[p]
            st.condor[p] += t.entry_prem[k] * n[p]


def _own(T, p: int, k: int, refused: set[int]) -> int:
    """The expiry point ``p`` (its tape's traded expiries but ``refused``) would open on day ``k`` (-1: none)."""
    e = T.attempt(k, frozenset(T.traded(p, k - 1) - refused))
    return -1 if e is None else e.expiry


def hold_back(st: State, div: np.ndarray, cut: np.ndarray, entry_flows, entry_prem) -> None:
    """``CondorActions._entry_cut``: an entry on a divergence day (``div``) does not open the contracts the day's
    cut (``book.condor_cut`` of ``cut``) would buy back; the policy still sees them (``st.held``, consumed by
    ``kernel_hedge.HedgeActions.divergence_condor``, which then trades nothing). ``entry_flows`` and
    ``entry_prem``: one condor's entry, fees paid and its premium."""
    go = st.entered & div
    if go.any():
        st.held = np.array([condor_cut(f, n) if g else 0.0 for f, n, g in zip(cut, st.condors, go)])
        st.cash -= st.held * entry_flows
        st.condor -= st.held * entry_prem
        st.condors -= st.held
    st.entered[:] = False  # (read once: enter sets it the day a point opens a condor)


def size_condor(st: State, cc: CondorConfig, margin: MarginConfig, use: np.ndarray, n0, loss, width, cost,
                nav: np.ndarray, bp0: np.ndarray) -> np.ndarray:
    """``Trader._manage_condor``'s size of an entry for the ``use`` points: ``condor_contracts`` (``n0``, or by NAV)
    times the pending scale, ``capital_cap`` and buying power (``bp0`` before it, ``cost`` per condor: what it takes
    from it, premium, fees and requirement); 0 where refused."""
    if cc.sizing is CondorSizing.CONTRACTS:
        n = np.zeros(len(nav)) + n0
    elif cc.sizing is CondorSizing.MAX_LOSS:
        n = _fit(cc.max_loss_nav_fraction * nav, loss)
    else:
        n = _fit(cc.margin_nav_fraction * nav, width)
    n = np.where(n < 1, 0.0, np.where(st.scale >= 1, n, np.maximum(1, np.floor(n * st.scale + 0.5 + 1e-9))))
    capped = np.minimum(n, np.minimum(_fit(cc.max_loss_cap_nav_fraction * nav, loss),
                                      _fit(cc.margin_cap_nav_fraction * nav, width)))
    st.capped |= use & (capped < n)  # CapitalGuard.cap noted the cut
    n = capped
    return np.where(use, fit(lambda x: bp0 - cost * x, n, use, margin), 0.0)


def _fit(budget_usd: np.ndarray, per_condor_usd) -> np.ndarray:
    """:func:`strategies.condor._fit` on arrays of budgets (and of per-condor amounts: points on several tapes)."""
    return np.where(per_condor_usd > 0, np.maximum(0, np.floor(budget_usd / per_condor_usd + 1e-9)), 0.0)


def outcome(st: State, nav: np.ndarray, hedge: np.ndarray, condor: np.ndarray, margin: np.ndarray,
            capped: np.ndarray, called: np.ndarray, excess: np.ndarray, causes: tuple) -> Outcome:
    """The Outcome of the points' end-of-day ``nav``, hedge and condor values: a ruined point's NAV valid to its ruin
    day and 0 on it (the debt written off), its hedge and condor values the ruin's liquidation left
    (:meth:`State.ruin`, ``State.ruin_condor``), its layers opened by then, its requirement 0 then and its day's
    lowest excess liquidity the ruin's check (the closed account's end: 0, no position, no cash); a point with a
    NaN NAV before that is handed back (the event path raises). ``causes``: the hedge's carry, VIX move and option
    marks (:attr:`Outcome.carry` ...)."""
    days = np.arange(nav.shape[1])[None, :]
    ruined = st.ruined >= 0
    valid = ~ruined[:, None] | (days < st.ruined[:, None])
    bad = ~(np.isfinite(nav) | ~valid).all(axis=1) & ~st.bad  # the event path raises
    for p in np.flatnonzero(bad):
        st.reason[p] = "a VX contract it trades has no price"
    p = np.flatnonzero(ruined)
    hedge[p, st.ruined[p]] = st.ruin_hedge[p]
    condor[p, st.ruined[p]] = st.ruin_condor[p]
    nav[p, st.ruined[p]] = 0.0
    margin[p, st.ruined[p]] = 0.0
    excess[p, st.ruined[p]] = np.minimum(st.ruin_check[p], 0.0)
    return Outcome(nav, np.diff(hedge, axis=1, prepend=0.0), np.where(ruined, st.ruin_added, st.added), st.reason,
                   st.ruined, np.diff(condor, axis=1, prepend=0.0), margin, capped, called, excess, *causes)


def hedge_caps(c: dict, st: State, opt, k: int, unit: np.ndarray, j: np.ndarray, use: np.ndarray, n: np.ndarray,
               pending: np.ndarray, strike: np.ndarray | None = None, otm: np.ndarray | None = None) -> np.ndarray:
    """:func:`strategies.book.cap_contracts`: ``n`` cut to the notional and premium caps left by the layers held and
    ``pending`` units added earlier on the bar (a unit: column ``j``, notional ``unit`` USD, at ``otm``, the default
    offset unless placed, or at a fixed long ``strike``; ``opt`` the option slots, kernel_options.OptionSlots)."""
    held = np.arange(st.notional.shape[1])[None, :] < st.n[:, None]
    capped = np.isfinite(c["max_notional"]) & (unit > 0)
    room = np.floor((c["max_notional"] - np.where(held, st.notional, 0.0).sum(axis=1) - pending * unit) / unit + 1e-9)
    n = np.where(capped & (room < n), room, n)
    if opt is not None and np.isfinite(c["max_premium"]).any():
        _, premium, _ = opt.unit(k, j, c["otm"] if otm is None else otm, use & c["opt"], strike)
        capped = np.isfinite(c["max_premium"]) & (premium > 0)
        room = np.floor((c["max_premium"] - np.where(held, opt.premium, 0.0).sum(axis=1) - pending * premium)
                        / premium + 1e-9)
        n = np.where(capped & (room < n), room, n)
    return np.maximum(n, 0)
