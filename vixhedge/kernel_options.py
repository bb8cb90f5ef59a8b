"""Option layers in the kernel (``hedge.instrument = "vix_call_spread"`` or ``"vix_call"``).

A layer of ``n`` units holds ``n`` long VIX calls at :func:`strategies.book.call_strike` of its VX column's mid
on its expiry (the VIX options settle with the VX contract) and, for a spread, ``n`` short calls at
:func:`strategies.book.short_strike`, ``spread_width_points`` above on the listed grid. :class:`OptionQuotes`
prices each (day, expiry, strike) with
:meth:`feeds.market.Market.quote`, the event path's own pricing code, on first use: only the strikes a point
holds or prices are ever quoted. :class:`OptionSlots` keeps, per point and layer slot, what
:class:`strategies.layers.LayerActions` books for such a layer (long strike, units, premium paid, long_otm) and
trades it as ``Desk.execute`` and ``Ledger.fill`` / ``Ledger.settle`` do: premiums at the fill prices, a fee per
leg and contract, marks at the mid, settlement at the payoff. The VX slots' columns (``kernel_capital.State.col``) name the
expiry; their ``qty`` stays 0, so the futures' P&L and margins (:mod:`vixhedge.kernel_book`) skip them (Reg-T:
a long call or call spread has no requirement beyond its premium, and no loan value).

A removal, a margin call or a roll whose close of a layer would bring nothing after fees (its long call sold and a
spread's short call bought back at the fill prices, less a fee a leg, <= 0) leaves the layer's legs to expire
(:meth:`strategies.layers.LayerActions._leave`; the test, here :meth:`OptionSlots.closes_for_nothing`; a restrike
is skipped by :meth:`OptionSlots.sells_for_nothing`, a call sold for 0): :meth:`OptionSlots.close` with ``leave``
moves it out of its slot into
a few slots of its own (``lcol``, ``lk1``, ``ln``), marked at the mid in :meth:`OptionSlots.value`, sold in a ruin's
liquidation (:meth:`OptionSlots.liquidation`) and cash-settled at its expiry (:meth:`OptionSlots.settle_left`). A
ruin's liquidation abandons any layer, held or left, whose close would bring nothing after fees (its payoff is never
below 0: ``strategies.ruin``): it counts 0, no fee.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np

from strategies.book import CLOSE_TOLERANCE_USD
from vixhedge.core import vixstrikes
from vixhedge.core.config import ExecutionConfig, FillMode
from vixhedge.core.instruments import Contract, Kind, Right

OPT_MULT = 100.0  # VIX option multiplier (USD per point)
LEFT = 16  # slots of option layers left to expire per point (they live to their expiry; far spreads: 5 at once)


def fill_prices(mid: np.ndarray, bid: np.ndarray, ask: np.ndarray, execution: ExecutionConfig
                ) -> tuple[np.ndarray, np.ndarray]:
    """Return (buy, sell) fill prices of quotes (:func:`vixhedge.core.desk.fill_price`)."""
    if execution.fill is FillMode.MID:
        return mid, mid
    if execution.fill is FillMode.BID_ASK:
        return ask, bid
    s = execution.slippage_fraction
    return mid + s * (ask - mid), mid - s * (mid - bid)


def call_strike(future: np.ndarray, long_otm: np.ndarray) -> np.ndarray:
    """:func:`strategies.book.call_strike` on arrays (the listed strike nearest, :mod:`vixhedge.core.vixstrikes`)."""
    return vixstrikes.nearest(future * (1.0 + long_otm))


def short_strike(long_strike: np.ndarray, width: np.ndarray) -> np.ndarray:
    """:func:`strategies.book.short_strike` on arrays."""
    return vixstrikes.at_or_above(long_strike + width)


class OptionQuotes:
    """VIX call quotes (mid, bid, ask, vix_beta) per (window day, VX column, strike), priced on first use."""

    def __init__(self, market, i0: int, expiries: Sequence[dt.date]) -> None:
        self._market, self._i0, self._expiries = market, i0, expiries
        self._cache: dict[tuple[int, int, float], tuple[float, float, float, float]] = {}
        self._strikes: dict[tuple[int, int, float], float] = {}
        self._day, self._codes, self._rows = -1, np.array([-1]), np.zeros((4, 1))

    def get(self, k: int, cols: np.ndarray, strikes: np.ndarray, use: np.ndarray) -> np.ndarray:
        """Return [4, *cols.shape]: mid, bid, ask, vix_beta of the calls ``(cols, strikes)`` on day ``k``
        (0 where not ``use``)."""
        with np.errstate(invalid="ignore"):  # (strikes where not ``use`` may be NaN)
            code = np.where(use, cols * 10**7 + np.rint(np.where(use, strikes, 0.0) * 1000.0).astype(np.int64), -1)
        if k != self._day:  # the day's table: sorted codes (-1: no call) and their quotes
            self._day, self._codes, self._rows = k, np.array([-1]), np.zeros((4, 1))
        pos = np.searchsorted(self._codes, code)
        miss = self._codes[np.minimum(pos, len(self._codes) - 1)] != code
        if miss.any():
            new, first = np.unique(code[miss], return_index=True)
            found = [self._quote(k, int(c), float(x)) for c, x in zip(cols[miss][first], strikes[miss][first])]
            codes = np.concatenate([self._codes, new])
            order = np.argsort(codes)
            self._codes, self._rows = codes[order], np.concatenate([self._rows, np.array(found).T], axis=1)[:, order]
            pos = np.searchsorted(self._codes, code)
        return self._rows[:, pos]

    def nearest_delta(self, k: int, col: int, delta: float) -> float:
        """The strike of the column's VIX chain whose call |delta| is nearest ``delta`` (VXTH's calls)."""
        key = (k, col, delta)
        hit = self._strikes.get(key)
        if hit is None:
            chain = self._market.vix_chain(self._i0 + k, self._expiries[col])
            hit = self._strikes[key] = chain.nearest_delta(Right.CALL, delta)
        return hit

    def _quote(self, k: int, col: int, strike: float) -> tuple[float, float, float, float]:
        key = (k, col, strike)
        hit = self._cache.get(key)
        if hit is None:
            q = self._market.quote(Contract(Kind.VIX_OPTION, self._expiries[col], strike, Right.CALL), self._i0 + k)
            hit = self._cache[key] = (q.mid, q.bid, q.ask, q.vix_beta)
        return hit


class OptionSlots:
    """The option layers of a chunk's points (see the module docstring); ``st`` is the chunk's ``kernel_capital.State``."""

    def __init__(self, c: dict[str, np.ndarray], st, m, execution: ExecutionConfig) -> None:
        P, L = st.col.shape
        self.st, self.m, self.execution = st, m, execution
        self.spread, self.width = c["spread"], c["width"]
        self.fee = execution.fee_vix_option_usd * np.where(self.spread, 2.0, 1.0)  # per unit: one fee a leg
        self.k1 = np.zeros((P, L))  # long strike
        self.n = np.zeros((P, L))  # units held (0: not an option layer)
        self.premium = np.zeros((P, L))  # premium paid at entry or the last roll / restrike (Layer.premium_usd)
        self.otm = np.zeros((P, L))  # long_otm
        self.lcol = np.full((P, LEFT), st.empty, dtype=np.int64)  # layers left to expire: VX column (expiry),
        self.lk1, self.ln = np.zeros((P, LEFT)), np.zeros((P, LEFT))  # long strike, units (0: free slot)

    def _legs(self, k: int, cols: np.ndarray, k1: np.ndarray, use: np.ndarray):
        """Return ((mid, buy, sell, beta) of the long call, ... of the short call (0 without one))."""
        spread = use & (self.spread if k1.ndim == 1 else self.spread[:, None])
        width = self.width if k1.ndim == 1 else self.width[:, None]
        out = []
        for q in (self.m.options.get(k, cols, k1, use), self.m.options.get(k, cols, short_strike(k1, width), spread)):
            buy, sell = fill_prices(q[0], q[1], q[2], self.execution)
            out.append((q[0], buy, sell, q[3]))
        return out

    def unit(self, k: int, j: np.ndarray, otm: np.ndarray, use: np.ndarray, strike: np.ndarray | None = None):
        """One unit of a layer opened on column ``j`` at ``otm`` (or at a fixed long ``strike``): (long strike,
        premium paid, vix_beta x 100)."""
        k1 = call_strike(self.m.mid[k][j], otm) if strike is None else strike
        (_, buy1, _, beta1), (_, _, sell2, beta2) = self._legs(k, j, k1, use)
        return k1, buy1 * OPT_MULT - sell2 * OPT_MULT, beta1 * OPT_MULT - beta2 * OPT_MULT

    def value(self, k: int) -> np.ndarray:
        """The option layers' marks (USD per point), those left to expire included."""
        out = np.zeros(len(self.n))
        for cols, k1, n in ((self.st.col, self.k1, self.n), (self.lcol, self.lk1, self.ln)):
            held = n != 0
            if held.any():
                (mid1, *_), (mid2, *_) = self._legs(k, cols, k1, held)
                out = out + (n * mid1 * OPT_MULT - n * mid2 * OPT_MULT).sum(axis=1)
        return out

    def marks_on(self, k: int, i: int) -> np.ndarray:
        """The option layers held now (those left to expire included) valued on window day ``k`` (market day ``i``):
        at the mid, or at their payoff when their expiry is on or before it (``hedge_cost._price``)."""
        out = np.zeros(len(self.n))
        for cols, k1, n in ((self.st.col, self.k1, self.n), (self.lcol, self.lk1, self.ln)):
            held = n != 0
            if held.any():
                due = held & (self.m.settles[cols] <= i)
                (mid1, *_), (mid2, *_) = self._legs(k, cols, k1, held & ~due)
                marks = np.where(due, 0.0, n * mid1 * OPT_MULT - n * mid2 * OPT_MULT)
                out = out + (marks + self._payoff(due, cols, k1, n)).sum(axis=1)
        return out

    def _payoff(self, due: np.ndarray, cols: np.ndarray, k1: np.ndarray, n: np.ndarray) -> np.ndarray:
        """What the ``due`` layers (``n`` units, long strikes ``k1`` on ``cols``) pay at their expiry's settlement
        value (a spread's short call's payoff less), 0 for the others."""
        s, n = self.m.settle_px[cols], np.where(due, n, 0.0)
        amount = n * np.maximum(s - k1, 0.0) * OPT_MULT
        amount -= np.where(self.spread[:, None], n * np.maximum(s - short_strike(k1, self.width[:, None]), 0.0)
                           * OPT_MULT, 0.0)
        return np.where(due, amount, 0.0)

    def cost(self, k: int, n: np.ndarray, j: np.ndarray, otm: np.ndarray, use: np.ndarray,
             strike: np.ndarray | None = None) -> np.ndarray:
        """What buying ``n`` units takes from the loan value (``Desk._cost``: premium and fees)."""
        _, premium, _ = self.unit(k, j, otm, use, strike)
        return np.where(use, n * self.fee + n * premium, 0.0)

    def open(self, k: int, mask: np.ndarray, slot: np.ndarray, j: np.ndarray, n: np.ndarray,
             otm: np.ndarray, strike: np.ndarray | None = None) -> None:
        """Buy ``n`` units into ``slot`` of the ``mask`` points (``LayerActions._add_layer`` / ``_roll_layer``)."""
        st, p = self.st, np.flatnonzero(mask)
        k1, premium, _ = self.unit(k, j, otm, mask, strike)
        paid = np.where(mask, n * premium, 0.0)
        st.cash -= paid + np.where(mask, n * self.fee, 0.0)
        st.realized -= paid
        s = slot[p]
        self.k1[p, s], self.n[p, s], self.premium[p, s], self.otm[p, s] = k1[p], n[p], paid[p], otm[p]
        st.col[p, s] = j[p]
        st.notional[p, s] = n[p] * self.m.mid[k][j[p]] * OPT_MULT

    def _proceeds(self, k: int, held: np.ndarray, cols: np.ndarray, k1: np.ndarray, n: np.ndarray) -> np.ndarray:
        """Selling ``n`` units (long strikes ``k1`` on ``cols``) at the day's fills, before fees."""
        (_, _, sell1, _), (_, buy2, _, _) = self._legs(k, cols, k1, held)
        return np.where(held, n * sell1 * OPT_MULT - n * buy2 * OPT_MULT, 0.0)

    def close_value(self, k: int, mask: np.ndarray | None = None, slot: int = 0) -> np.ndarray:
        """The cash selling the layers held (or the ``mask`` points' ``slot``) at the day's fills brings, fees
        paid (``Desk._close_value``); every layer (``mask`` None): a ruin's liquidation value, the layers left to
        expire included, each layer whose close would bring nothing after fees counted at 0 (abandoned:
        ``strategies.ruin``; :meth:`liquidation`)."""
        if mask is None:
            return self.liquidation(k)[0]
        held = mask & (self.n[:, slot] != 0)
        n = np.where(held, self.n[:, slot], 0.0)
        return self._proceeds(k, held, self.st.col[:, slot], self.k1[:, slot], n) - n * self.fee

    def close(self, k: int, mask: np.ndarray, slot: int, leave: bool = False) -> np.ndarray:
        """Sell the ``mask`` points' layer in ``slot`` at the day's fills; ``leave`` (a removal, a margin call, a
        roll: ``LayerActions._leave``): one whose close would bring nothing after fees (:meth:`closes_for_nothing`)
        is left to expire instead (:meth:`leave`). Return the points with no slot free to leave it in."""
        full = np.zeros(len(mask), dtype=bool)
        if leave:
            held = mask & (self.n[:, slot] != 0)
            kept = self.closes_for_nothing(k, held, slot) if held.any() else held
            if kept.any():
                full = self.leave(kept, slot)
        mask = mask & (self.n[:, slot] != 0)
        if not mask.any():
            return full
        st, n = self.st, np.where(mask, self.n[:, slot], 0.0)
        proceeds = self._proceeds(k, mask, st.col[:, slot], self.k1[:, slot], n)
        st.cash += proceeds - n * self.fee
        st.realized += proceeds
        self.n[mask, slot] = 0.0
        return full

    def liquidation(self, k: int) -> tuple[np.ndarray, np.ndarray]:
        """A ruin's liquidation of every option layer (those left to expire included): (the cash it brings, fees
        paid; the fees it pays). A layer whose close would bring nothing after fees (:meth:`closes_for_nothing`'s
        test) is abandoned (``strategies.ruin.RuinActions``: its legs go at 0, no fee): it counts 0 in both."""
        cash, fees = np.zeros(len(self.n)), np.zeros(len(self.n))
        for cols, k1, n in ((self.st.col, self.k1, self.n), (self.lcol, self.lk1, self.ln)):
            held = n != 0
            if held.any():
                sold = held & ~self._for_nothing(k, held, cols, k1, self.fee[:, None])
                fee = np.where(sold, n * self.fee[:, None], 0.0)
                cash = cash + (self._proceeds(k, sold, cols, k1, n) - fee).sum(axis=1)
                fees = fees + fee.sum(axis=1)
        return cash, fees

    def closes_for_nothing(self, k: int, held: np.ndarray, slot: int) -> np.ndarray:
        """The ``held`` points whose layer in ``slot`` would bring nothing closed today, after fees
        (``LayerActions._closes_for_nothing``): per unit, the long call's sell fill less a spread's short call's buy
        fill, x 100, less a fee a leg, <= ``CLOSE_TOLERANCE_USD`` (a removal, a margin call or a roll leaves it)."""
        return self._for_nothing(k, held, self.st.col[:, slot], self.k1[:, slot], self.fee)

    def _for_nothing(self, k: int, held: np.ndarray, cols: np.ndarray, k1: np.ndarray, fee: np.ndarray) -> np.ndarray:
        (_, _, sell1, _), (_, buy2, _, _) = self._legs(k, cols, k1, held)
        return held & (sell1 * OPT_MULT - buy2 * OPT_MULT - fee <= CLOSE_TOLERANCE_USD)

    def sells_for_nothing(self, k: int, mask: np.ndarray, cols: np.ndarray, strikes: np.ndarray) -> np.ndarray:
        """The ``mask`` points whose call sold (``cols``, ``strikes``) would fill at 0 or less today
        (``LayerActions._sells_for_nothing``): a restrike's test (its long call, a spread's new short call: the
        restrike is skipped)."""
        q = self.m.options.get(k, cols, strikes, mask)
        return mask & (fill_prices(q[0], q[1], q[2], self.execution)[1] <= 0)

    def leave(self, mask: np.ndarray, slot: int) -> np.ndarray:
        """Move the ``mask`` points' layer in ``slot`` to their layers left to expire (nothing traded); return those
        with no free slot."""
        free = self.ln == 0
        full = mask & ~free.any(axis=1)
        p = np.flatnonzero(mask & ~full)
        s = free.argmax(axis=1)[p]
        self.lcol[p, s], self.lk1[p, s], self.ln[p, s] = self.st.col[p, slot], self.k1[p, slot], self.n[p, slot]
        self.n[mask, slot] = 0.0
        return full

    def settle_left(self, i: int) -> None:
        """Cash-settle the layers left to expire whose expiry is market day ``i`` or earlier (``Desk.open_day``)."""
        due = (self.ln != 0) & (self.m.settles[self.lcol] <= i)
        if not due.any():
            return
        st = self.st
        gain = self._payoff(due, self.lcol, self.lk1, self.ln).sum(axis=1)
        st.cash += gain
        st.realized += gain
        self.ln[due], self.lcol[due] = 0.0, st.empty

    def settle(self, due: np.ndarray) -> np.ndarray:
        """Cash-settle the ``due`` option slots at their expiry's settlement value; return the units they held."""
        st, n = self.st, np.where(due, self.n, 0.0)
        gain = self._payoff(due, st.col, self.k1, self.n).sum(axis=1)
        st.cash += gain
        st.realized += gain
        self.n[due] = 0.0
        return n


def vxth_calls(m, k: int, c: dict[str, np.ndarray], use: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """VXTH's calls on day ``k`` (``Trader._new_layer_contract`` in VXTH mode, :func:`strategies.vxth.vxth_weight`):
    per point, the column of the nearest VX expiry more than ``vxth.min_sessions`` sessions away (the last
    column, the no-contract one, if none is within the kernel's columns), the strike nearest ``vxth.call_delta``
    and the premium's weight in NAV for that VX's level."""
    empty = m.mid.shape[1] - 1
    j, strike = np.full(len(use), empty), np.zeros(len(use))
    cols = np.arange(m.first[k], empty)
    for least in np.unique(c["vx_min"][use]):
        later = cols[m.days_to[k][cols] > least]
        j[use & (c["vx_min"] == least)] = later[0] if len(later) else empty
    for p in np.flatnonzero(use & (j < empty)):
        strike[p] = m.options.nearest_delta(k, int(j[p]), float(c["vx_delta"][p]))
    fut = m.mid[k][j]
    levels = c["vx_levels"]
    band = (fut > levels[:, 0]).astype(int) + (fut > levels[:, 1]) + (fut > levels[:, 2])
    weight = np.take_along_axis(c["vx_weights"], band[:, None], axis=1)[:, 0]
    return j, strike, np.where(np.isfinite(fut), weight, 0.0)
