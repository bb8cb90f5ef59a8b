"""The condor book of a sweep's kernel points, traded once for all points that share its keys.

When no swept key reaches the condor (its config, the execution config and the window are the same), the
condor's trades are the same for every point but for their size: sizing by NAV and the capital caps read each
point's NAV, buying power its whole book. Every decision (exit, expiry, strikes) is per condor, and fills, fees, marks,
settlement and the Reg-T requirement of ``n`` condors are ``n`` times one condor's. :func:`condor_tape`
trades one condor as :class:`strategies.trader.Trader` does (exits, rolls, entries; the same pure functions
of :mod:`strategies.condor`, fills at :func:`vixhedge.core.desk.fill_price`) and records per day, per condor: the
cash flows at the open (settlement), of the exit and of the entry, the marks and the requirement at the
open and at the close (Reg-T, or the desk's portfolio margin of the legs with ``margin.mode = "portfolio"``), and
per entry the size before caps and what the caps read. The kernel
(:mod:`vixhedge.kernel_book`) scales it by each point's own size. A point whose capital leaves it without the
tape's condor and then opens another follows a branch (:class:`Tapes`): the tape traded from that day, with the
expiries that point had traded.

An exit leaves open the wings that would sell for 0 (:func:`strategies.condor.wings_left`, as the Trader does):
the tape records their id in :class:`Wings` (per condor: their marks, their settlement at the open of their expiry,
what selling them would bring), shared by a tape and its branches; each point holds its own count of them from the
exit on (its condors then), in a few slots (:class:`HeldWings`). A margin call leaves them too, from the condors it
closes (``Trader._cure_breach``), and a divergence's cut from those it buys back (``CondorActions._cut_condor``):
the tape records per day the flows of closing a condor but those wings (``call_flows``) and, asked on such a day,
their id (``call_left``, :meth:`Tapes.called`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from strategies import condor as cc
from strategies.book import CLOSE_TOLERANCE_USD
from vixhedge.core import margin as mg
from vixhedge.core.config import CondorConfig, CondorEntry, CondorSizing, ExecutionConfig, MarginConfig, MarginMode
from vixhedge.core.desk import Desk, fee_per_contract, fill_price
from vixhedge.core.instruments import Contract


@dataclass(frozen=True)
class CondorTape:
    """Per window day (arrays of the window's length), per condor; USD unless named."""

    open_flows: np.ndarray  # settlement of expiring legs at the open
    exit_flows: np.ndarray  # the exit's fills (premium and fees)
    entry_flows: np.ndarray  # the entry's fills (premium and fees)
    marks_open: np.ndarray  # the legs held at the open, at the day's mid
    marks_close: np.ndarray  # the legs held at the close, at the day's mid
    req_open: np.ndarray  # Reg-T requirement of the legs held at the open
    req_close: np.ndarray  # ... after the day's condor trades
    settled: np.ndarray  # bool: the condor held settled at the open
    exit: np.ndarray  # bool: the condor held was closed
    entry: np.ndarray  # bool: a condor opened
    entry_n: np.ndarray  # its contracts before the capital caps (0 elsewhere, and when sized by NAV: per point)
    entry_loss: np.ndarray  # its max loss at the fill prices ((widest wing - credit) x 100)
    entry_width: np.ndarray  # ... and Reg-T requirement (widest wing x 100)
    entry_cost: np.ndarray  # what the entry takes from the loan value (premium and fees; < 0: a credit)
    close_flows: np.ndarray  # closing the condor held at the close at the day's fills, every leg
    vega_close: np.ndarray  # its vega (USD per SPX vol point / 100, signed; hedge.sizing = "vega_ratio")
    t_close: np.ndarray  # its years to expiry (NaN: none held)
    roll: np.ndarray  # bool: the entry rolled an exit (condor.roll_on_dte / roll_on_stop)
    expiry: np.ndarray  # the entry's expiry (date ordinal; -1: no entry)
    left: np.ndarray  # the wings the exit left open: their id in ``wings`` (0: none)
    wing_flows: np.ndarray  # what selling those wings would have booked (their fees: a ruin sells them)
    call_flows: np.ndarray  # ... but its wings bid at 0 (condor_vega_cut; a margin call, the day after)
    # the condor group's part of those flows (premium; the fees are the fees group's), pnl.condor_pnl_usd's
    exit_prem: np.ndarray
    entry_prem: np.ndarray
    close_prem: np.ndarray
    wing_prem: np.ndarray
    call_prem: np.ndarray
    call_left: Callable[[int], int]  # day -> the id in ``wings`` of those wings (0: none; Wings.add on first ask)
    attempt: Callable[[int, frozenset[int]], Entry | None]  # (day, its traded expiries) -> the entry a point
    # holding no condor would try (kernel_capital)
    initial: frozenset[int]  # the expiries traded before it starts (date ordinals)
    branch: Callable[[int, frozenset[int]], CondorTape]  # (day, traded): a tape from that day (Tapes)
    wings: Wings  # the wings exits left open, of this tape and its branches


class Wings:
    """The wings exits left open, one entry per exit (id 0: none), per condor and window day: ``marks`` (at the
    day's mid while held), ``open`` (the settlement at the open of the day they settle), ``sale`` (selling them
    at the day's fills, fees paid: a ruin's liquidation value; a wing whose sale would bring nothing after its fee
    is abandoned, 0: ``strategies.ruin``) and ``sale_prem`` (its premium, fees apart: the condor group's part);
    ``end``: the window day they settle (the window's length if later)."""

    def __init__(self, market, execution: ExecutionConfig, i0: int, i1: int) -> None:
        self._market, self._execution, self._i0, self._n = market, execution, i0, i1 - i0 + 1
        self._rows: list[np.ndarray] = [np.zeros((4, self._n))]
        self._ends, self._ids = [self._n], {}
        self._stacked: tuple | None = None

    def add(self, wings: tuple[Contract, ...], k: int) -> int:
        """Return the id of ``wings`` (one condor's) left open on window day ``k``."""
        key = (wings, k)
        if key not in self._ids:
            m, ex, row, end = self._market, self._execution, np.zeros((4, self._n)), self._n
            for kk in range(k, self._n):
                i = self._i0 + kk
                if wings[0].expiry <= m.days[i]:  # Desk.open_day: settled at the open
                    row[1, kk] = sum(c.payoff(m.settlement_value(c)) * c.multiplier for c in wings)
                    end = kk
                    break
                quotes = [m.quote(c, i) for c in wings]
                row[0, kk] = sum(m.mark(c, i) * c.multiplier for c in wings)
                sold = [(c, fill_price(q, -1, ex) * c.multiplier) for c, q in zip(wings, quotes)]
                sold = [(c, v) for c, v in sold if v - fee_per_contract(c, ex) > CLOSE_TOLERANCE_USD]  # else abandoned
                row[2, kk] = sum(v - fee_per_contract(c, ex) for c, v in sold)
                row[3, kk] = sum(v for _, v in sold)
            self._ids[key] = len(self._rows)
            self._rows.append(row)
            self._ends.append(end)
            self._stacked = None
        return self._ids[key]

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Return (marks, open, sale) [ids, days] and end [ids]."""
        return self._stack()[:4]

    def sale_premium(self) -> np.ndarray:
        """Return sale_prem [ids, days]."""
        return self._stack()[4]

    def _stack(self) -> tuple:
        if self._stacked is None:
            rows = np.stack(self._rows)
            self._stacked = (rows[:, 0], rows[:, 1], rows[:, 2], np.array(self._ends, dtype=np.int64), rows[:, 3])
        return self._stacked


class HeldWings:
    """The wings each of ``points`` holds (its exits left them open): per slot, their id in ``wings`` and its
    contracts (its condors at the exit), until they settle."""

    def __init__(self, wings: Wings, points: int, slots: int) -> None:
        self.wings = wings
        self.id, self.n = np.zeros((points, slots), dtype=np.int64), np.zeros((points, slots))

    def value(self, k: int, what: int):
        """On day ``k``: their marks (``what`` 0), their settlement at the open (1), what selling them at the
        day's fills brings, fees paid (2), or its premium, fees apart (4); 0 when none is held."""
        if not self.n.any():
            return 0.0
        per_condor = self.wings.sale_premium() if what == 4 else self.wings.arrays()[what]
        return (self.n * per_condor[self.id, k]).sum(axis=1)

    def settle(self, k: int):
        """Return the settlement at day ``k``'s open of those that settle then, and free their slots."""
        flows = self.value(k, 1)
        if self.n.any():
            self.n[self.wings.arrays()[3][self.id] <= k] = 0.0
        return flows

    def leave(self, new: np.ndarray, wing_id, condors: np.ndarray) -> np.ndarray:
        """The ``new`` points' exits leave ``wing_id`` open, ``condors`` each; return those with no free slot."""
        free = self.n == 0
        full = new & ~free.any(axis=1)
        p = np.flatnonzero(new & ~full)
        s = free.argmax(axis=1)[p]
        self.id[p, s], self.n[p, s] = np.broadcast_to(wing_id, new.shape)[p], condors[p]
        return full


@dataclass(frozen=True)
class Entry:
    """The condor a point holding none would open on a day (``Trader._manage_condor``'s entry), per condor (USD)."""

    expiry: int  # date ordinal
    n: int  # contracts before the capital caps (condor.sizing = "contracts"; else 0)
    loss: float  # as CondorTape.entry_loss, entry_width, entry_cost
    width: float
    cost: float
    req: float  # its requirement, and its marks, after the entry
    marks: float


def condor_tape(market, cfg: CondorConfig, execution: ExecutionConfig, margin: MarginConfig, i0: int, i1: int,
                start: int = 0, initial: frozenset[int] = frozenset(), shared: dict | None = None) -> CondorTape:
    """Trade the condor over days ``i0..i1`` as the Trader does, without capital limits (see the module); a
    branch from window day ``start`` on (nothing held before), the ``initial`` expiries already traded."""
    n_days = i1 - i0 + 1
    z = lambda dtype=float: np.zeros(n_days, dtype=dtype)  # noqa: E731
    shared = {"tried": {}, "req": {}, "wings": Wings(market, execution, i0, i1)} if shared is None else shared
    tried: dict[tuple, Entry | None] = shared["tried"]  # the attempts per (day, expiry): not per tape
    reqs: dict[tuple, float] = shared["req"]  # requirements per (legs, day): portfolio margin solves for vols

    def attempt(k: int, done: frozenset[int]) -> Entry | None:
        i = i0 + k
        expiry = _expiry(market, cfg, i, {dt.date.fromordinal(x) for x in done})
        key = (k, expiry)
        if key not in tried:
            found = _legs(market, cfg, execution, i, expiry) if expiry is not None else None
            if found is None:
                tried[key] = None
            else:
                h, cost = (found[0], 1, found[1]), -trade(found[0].legs(), i)
                tried[key] = Entry(expiry.toordinal(), _contracts(cfg, *found), (found[0].max_width_points - found[1])
                                   * 100.0, found[0].max_width_points * 100.0, cost, req(h, i), value(h, i))
        return tried[key]

    call_wings: dict[int, tuple[Contract, ...]] = {}  # day -> the wings bid at 0 of the condor held at its close
    t = CondorTape(z(), z(), z(), z(), z(), z(), z(), z(bool), z(bool), z(bool), z(int), z(), z(), z(), z(), z(),
                   np.full(n_days, np.nan), z(bool), np.full(n_days, -1), z(int), z(), z(), z(), z(), z(), z(), z(),
                   lambda k: t.wings.add(call_wings[k], k) if k in call_wings else 0, attempt, initial,
                   lambda k, traded: condor_tape(market, cfg, execution, margin, i0, i1, k, traded, shared),
                   shared["wings"])  # (a tape's branches share these: the attempts, requirements, wings)
    held: tuple[cc.CondorLegs, int, float] | None = None  # legs, 1 condor, credit per condor (points)
    traded = {dt.date.fromordinal(x) for x in initial}

    def legs_of(h):
        return tuple((c, q * h[1]) for c, q in h[0].legs())

    def trade(book, i, fees: bool = True) -> float:
        """The cash flows of trading ``book`` on day ``i`` at the fills, fees paid (``fees`` False: the premium)."""
        flow = 0.0
        for c, q in book:
            price = fill_price(market.quote(c, i), q, execution)
            flow += -q * price * c.multiplier - (abs(q) * fee_per_contract(c, execution) if fees else 0.0)
        return flow

    def value(h, i) -> float:
        return sum(q * market.mark(c, i) * c.multiplier for c, q in legs_of(h)) if h else 0.0

    pm = Desk(market, execution, 0.0, 0.0, False, margin) if margin.mode is MarginMode.PORTFOLIO else None

    def req(h, i) -> float:
        """The legs' requirement: Reg-T (the universal spread rule), or the desk's portfolio margin."""
        if not h:
            return 0.0
        if pm is None:
            return mg.requirement(legs_of(h), None, margin).options_usd
        key = (legs_of(h), i)
        if key not in reqs:
            pm.day_index = i  # (an empty desk: the requirement of the legs alone, on day i)
            reqs[key] = pm.requirement(key[0]).options_usd
        return reqs[key]

    for k, i in enumerate(range(i0 + start, i1 + 1), start):
        day = market.days[i]
        if held is not None and held[0].expiry <= day:
            t.open_flows[k] = sum(q * c.payoff(market.settlement_value(c)) * c.multiplier for c, q in legs_of(held))
            t.settled[k], held = True, None
        t.marks_open[k], t.req_open[k] = value(held, i), req(held, i)
        if cfg.enabled:
            held = _manage(market, cfg, execution, margin, i, k, held, traded, t, trade, legs_of)
        t.marks_close[k], t.req_close[k] = value(held, i), req(held, i)
        if held is not None:
            close = tuple((c, -q) for c, q in legs_of(held))
            t.close_flows[k], t.close_prem[k] = trade(close, i), trade(close, i, False)
            left = cc.wings_left(held[0], lambda c: fill_price(market.quote(c, i), -1, execution))
            call = tuple((c, q) for c, q in close if c not in left)
            t.call_flows[k], t.call_prem[k] = (trade(call, i), trade(call, i, False)) if left \
                else (t.close_flows[k], t.close_prem[k])
            if left:
                call_wings[k] = left
            t.vega_close[k] = sum(q * market.quote(c, i).vega for c, q in held[0].legs())
            t.t_close[k] = market.t_years(i, held[0].expiry)
    return t


def _manage(market, cfg, execution, margin, i, k, held, traded, t, trade, legs_of):
    """``Trader._manage_condor`` on the tape: return the condor held after day ``i``'s condor trades."""
    day = market.days[i]
    roll = False
    if held is not None:
        cost = -sum(q * fill_price(market.quote(c, i), -q, execution) for c, q in held[0].legs())
        reason = cc.exit_reason(cost, held[2], (held[0].expiry - day).days, cfg)
        if not reason:
            return held
        left = cc.wings_left(held[0], lambda c: fill_price(market.quote(c, i), -1, execution))
        book = tuple((c, -q) for c, q in legs_of(held) if c not in left)
        t.exit_flows[k], t.exit_prem[k], t.exit[k] = trade(book, i), trade(book, i, False), True
        if left:
            t.left[k] = t.wings.add(left, k)
            book = tuple((c, -1) for c in left)
            t.wing_flows[k], t.wing_prem[k] = trade(book, i), trade(book, i, False)
        held = None
        roll = cc.rolls_on(reason, cfg)
        if reason in ("stop", "dte") and not roll:
            return None
    expiry = cc.dte_entry_expiry(day, cfg, traded) if roll else _expiry(market, cfg, i, traded)
    found = _legs(market, cfg, execution, i, expiry) if expiry is not None else None
    if found is None:
        return None
    legs, credit_at_fill = found
    t.entry_n[k] = _contracts(cfg, legs, credit_at_fill)
    t.entry[k], t.roll[k], t.expiry[k] = True, roll, expiry.toordinal()
    t.entry_loss[k] = (legs.max_width_points - credit_at_fill) * 100.0
    t.entry_width[k] = legs.max_width_points * 100.0
    t.entry_flows[k], t.entry_prem[k] = trade(legs.legs(), i), trade(legs.legs(), i, False)
    t.entry_cost[k] = -t.entry_flows[k]
    traded.add(expiry)
    return legs, 1, credit_at_fill


def _expiry(market, cfg: CondorConfig, i: int, traded) -> dt.date | None:
    """``Trader._entry_expiry`` without a roll: the untraded expiry an entry on day ``i`` opens, or None."""
    if cfg.entry is CondorEntry.CALENDAR:
        return cc.calendar_entry_expiry(market.days[i], cfg, traded)
    return cc.dte_entry_expiry(market.days[i], cfg, traded)


def _legs(market, cfg: CondorConfig, execution: ExecutionConfig, i: int, expiry: dt.date):
    """The condor the standard selector picks on ``expiry`` and its credit at the fills, or None."""
    legs = cc.select_condor(market.spx_chain(i, expiry), cfg)
    if legs is None:
        return None
    return legs, -sum(q * fill_price(market.quote(c, i), q, execution) for c, q in legs.legs())


def _contracts(cfg: CondorConfig, legs, credit_at_fill: float) -> int:
    """Its contracts before the caps with ``condor.sizing = "contracts"`` (NAV not read), else 0 (per point)."""
    if cfg.sizing is CondorSizing.CONTRACTS:  # (condor.contracts >= 1: the config checks it)
        return cc.condor_contracts(cfg, float("nan"), legs, credit_at_fill)
    return 0


FIELDS = ("open_flows", "exit_flows", "entry_flows", "marks_open", "marks_close", "req_open", "req_close", "settled",
          "exit", "entry", "entry_n", "entry_loss", "entry_width", "entry_cost", "close_flows", "vega_close",
          "t_close", "roll", "expiry", "left", "wing_flows", "call_flows", "exit_prem", "entry_prem", "close_prem",
          "wing_prem", "call_prem")


class Tapes:
    """The condor tapes a chunk's points follow: the shared one, and branches for points that open a condor it
    does not trade (each traded from that day as the Trader would). ``of``: per point, its tape."""

    def __init__(self, tape: CondorTape, points: int) -> None:
        self.tapes, self.of, self._keys = [tape], np.zeros(points, dtype=np.int64), {}
        self.attempt = tape.attempt
        self._arrays = {f: getattr(tape, f)[None, :] for f in FIELDS}

    def at(self, name: str, k: int):
        """The field on day ``k``: a scalar while every point follows the shared tape, else one per point."""
        a = self._arrays[name]
        return a[0, k] if len(self.tapes) == 1 else a[self.of, k]

    def called(self, k: int, points: np.ndarray, close: bool = False) -> np.ndarray:
        """Per point, the id of the wings bid at 0 a margin call at day ``k``'s open leaves, per condor closed (0
        for none, and for the points not in ``points``): on an exit day the exit's, else those of the condor its
        tape holds at the close (the same condor, at the same quotes); ``close``: those of the condor held at the
        close (a divergence's cut, after the day's condor trades)."""
        ids = np.zeros(len(self.of), dtype=np.int64)
        for p in np.flatnonzero(points):
            t = self.tapes[self.of[p]]
            ids[p] = t.left[k] if t.exit[k] and not close else t.call_left(k)
        return ids

    def traded(self, p: int, k: int) -> set[int]:
        """The expiries point ``p``'s tape traded up to day ``k`` (date ordinals)."""
        t = self.tapes[self.of[p]]
        return set(t.initial) | set(t.expiry[:k + 1][t.entry[:k + 1]].tolist())

    def branch(self, p: int, k: int, traded: frozenset[int]) -> CondorTape:
        """Move point ``p`` to the tape that starts on day ``k`` with ``traded`` (made once)."""
        key = (k, traded)
        if key not in self._keys:
            self._keys[key] = len(self.tapes)
            self.tapes.append(self.tapes[0].branch(k, traded))
            self._arrays = {f: np.stack([getattr(t, f) for t in self.tapes]) for f in FIELDS}
        self.of[p] = self._keys[key]
        return self.tapes[self.of[p]]
