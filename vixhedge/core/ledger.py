"""Portfolio ledger: positions, cash, fees, settlement and per-component P&L.

Pure accounting (no backtrader). Conventions:

* Options: buying pays ``qty * price * multiplier`` in cash; open options are marked at mid.
* VX futures: no cash at the trade; the open P&L ``qty * (mark - basis) * multiplier`` is part
  of the marks and turns into cash when the position is closed or settles (economically the
  same NAV as daily variation margin; no margin requirement is modelled).
* Fees are paid in cash at each fill. Cash accrues simple ACT/365 interest at the run's rate.

``nav = cash + marks`` holds on every day (tested invariant). Every cash movement is booked
to a *component* (``condor``, ``hedge:L3``, ``fees``, ``interest``) so that the daily P&L of
the components sums to the daily change of NAV.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from vixhedge.core.instruments import VX_FUTURE, Contract

FEES = "fees"
INTEREST = "interest"


def group_of(component: str) -> str:
    """Map a ledger component (``hedge:L3``) to its reporting group (``hedge``)."""
    return component.split(":", 1)[0]


@dataclass(slots=True)
class Position:
    contract: Contract
    component: str
    qty: int = 0
    basis: float = 0.0  # average entry price per unit (futures P&L reference)
    group: str = field(init=False)  # the component's reporting group

    def __post_init__(self) -> None:
        self.group = group_of(self.component)


@dataclass(frozen=True, slots=True)
class Fill:
    date: dt.date
    contract: Contract
    component: str
    qty: int
    price: float
    bid: float
    ask: float
    mid: float
    fee_usd: float
    reason: str


@dataclass(frozen=True, slots=True)
class CashFlow:
    date: dt.date
    component: str
    kind: str  # premium | futures_pnl | settlement | fee | interest
    amount_usd: float
    contract: Contract | None = None


class Ledger:
    """Positions and cash of one run, with a journal of fills and cash flows (``journal=False``: without;
    the totals per component and group are kept either way)."""

    def __init__(self, initial_cash_usd: float, journal: bool = True) -> None:
        self.journal = journal
        self.initial_cash_usd = float(initial_cash_usd)
        self.cash = float(initial_cash_usd)
        self.positions: dict[tuple[Contract, str], Position] = {}
        self.fills: list[Fill] = []
        self.flows: list[CashFlow] = []
        self.flow_by_component: dict[str, float] = defaultdict(float)
        self.flow_by_group: dict[str, float] = defaultdict(float)
        self._marks: dict[Contract, float] = {}
        # caches, None = stale: open positions' values at the marks (fills, settlements and marks reset
        # it) and the sorted open contracts (fills and settlements reset it)
        self._values: list[tuple[str, str, float]] | None = None  # (component, group, value) per position
        self._sums = (0.0, 0.0)  # with _values: the sum of the values, and of the VX futures' values
        self._open: list[Contract] | None = None
        self.version = 0  # bumped by every change of cash, positions or marks (lets the desk cache per state)
        self.book_version = 0  # bumped by every change of positions (fills, settlements): margin is cached on it
        self.options_version = 0  # bumped by every change of option positions: their margin is cached on it

    # ------------------------------------------------------------------ trading
    def fill(self, date: dt.date, contract: Contract, qty: int, price: float, fee_usd: float,
             component: str, reason: str, bid: float = float("nan"), ask: float = float("nan"),
             mid: float = float("nan")) -> Fill:
        """Book a fill of ``qty`` (signed) at ``price`` and its fee; return the fill record."""
        if qty == 0:
            raise ValueError(f"fill of zero contracts for {contract.symbol}")
        if fee_usd < 0:
            raise ValueError(f"fee must be >= 0, got {fee_usd}")
        self._values = self._open = None
        self.version += 1
        self.book_version += 1
        key = (contract, component)
        pos = self.positions.get(key) or Position(contract, component)
        mult = contract.multiplier
        if contract.kind is VX_FUTURE:
            self._trade_future(date, pos, qty, price)
        else:
            self.options_version += 1
            self._flow(date, component, "premium", -qty * price * mult, contract)
            pos.qty += qty
        self._flow(date, FEES, "fee", -fee_usd, contract)
        if pos.qty == 0:
            self.positions.pop(key, None)
        else:
            self.positions[key] = pos
        if mid == mid:  # a fill refreshes the mark of its contract
            self._marks[contract] = mid
        rec = Fill(date, contract, component, qty, price, bid, ask, mid, fee_usd, reason)
        if self.journal:
            self.fills.append(rec)
        return rec

    def _trade_future(self, date: dt.date, pos: Position, qty: int, price: float) -> None:
        mult = pos.contract.multiplier
        if pos.qty * qty < 0:  # reduces (and may flip) the position: realise the closed part
            closed = qty if abs(qty) <= abs(pos.qty) else -pos.qty
            self._flow(date, pos.component, "futures_pnl", -closed * (price - pos.basis) * mult, pos.contract)
            pos.qty += closed
            qty -= closed
            if pos.qty == 0:
                pos.basis = 0.0
        if qty:
            new_qty = pos.qty + qty
            pos.basis = (pos.basis * pos.qty + price * qty) / new_qty
            pos.qty = new_qty

    def settle(self, date: dt.date, contract: Contract, settlement_value: float) -> list[CashFlow]:
        """Cash-settle every position in ``contract`` at ``settlement_value``; return the flows (none without
        a journal)."""
        out = []
        self._values = self._open = None
        self.version += 1
        self.book_version += 1
        if contract.kind is not VX_FUTURE:
            self.options_version += 1
        for key in [k for k in self.positions if k[0] == contract]:
            pos = self.positions.pop(key)
            unit = contract.payoff(settlement_value)
            if contract.kind is VX_FUTURE:
                amount = pos.qty * (unit - pos.basis) * contract.multiplier
            else:
                amount = pos.qty * unit * contract.multiplier
            rec = self._flow(date, pos.component, "settlement", amount, contract)
            if rec is not None:
                out.append(rec)
        self._marks.pop(contract, None)
        return out

    def accrue_interest(self, date: dt.date, rate: float, days: int) -> float:
        """Accrue simple ACT/365 interest on cash over ``days`` calendar days; return it."""
        if days <= 0:
            return 0.0
        amount = self.cash * rate * days / 365.0
        self._flow(date, INTEREST, "interest", amount, None)
        return amount

    def write_off(self, date: dt.date, component: str, amount: float) -> None:
        """Book ``amount`` of cash under ``component`` (a ruin's debt written off,
        :meth:`vixhedge.core.desk.Desk.close_account`)."""
        self._flow(date, component, "write_off", amount, None)

    def _flow(self, date: dt.date, component: str, kind: str, amount: float,
              contract: Contract | None) -> CashFlow | None:
        self.cash += amount
        self.version += 1
        self.flow_by_component[component] += amount
        self.flow_by_group[group_of(component)] += amount
        if not self.journal:
            return None
        rec = CashFlow(date, component, kind, amount, contract)
        self.flows.append(rec)
        return rec

    # ------------------------------------------------------------------ valuation
    def set_marks(self, marks: dict[Contract, float]) -> None:
        """Replace the mid marks of open contracts (missing ones keep their last mark)."""
        self.version += 1
        self._marks.update(marks)
        self._values = None

    def open_contracts(self) -> list[Contract]:
        if self._open is None:
            self._open = sorted({c for c, _ in self.positions})
        return list(self._open)

    def mark(self, contract: Contract) -> float:
        """Return the current mid mark of an open contract."""
        return self._marks[contract]

    def position_value(self, pos: Position) -> float:
        mark = self._marks.get(pos.contract)
        if mark is None:
            raise KeyError(f"no mark for open position {pos.contract.symbol}")
        if pos.contract.kind is VX_FUTURE:
            return pos.qty * (mark - pos.basis) * pos.contract.multiplier
        return pos.qty * mark * pos.contract.multiplier

    def _position_values(self) -> list[tuple[str, str, float]]:
        if self._values is None:
            rows, futures = [], []
            for p in self.positions.values():
                value = self.position_value(p)
                rows.append((p.component, p.group, value))
                if p.contract.kind is VX_FUTURE:
                    futures.append(value)
            self._values = rows
            self._sums = (sum(v for _, _, v in rows), sum(futures))
        return self._values

    def marks_value(self) -> float:
        self._position_values()
        return self._sums[0]

    def futures_value(self) -> float:
        """Return the open P&L of the VX futures held (their part of :meth:`marks_value`)."""
        self._position_values()
        return self._sums[1]

    @property
    def nav(self) -> float:
        return self.cash + self.marks_value()

    def component_values(self) -> dict[str, float]:
        """Return cumulative cash flows plus open marks per component.

        ``initial cash + sum(values) == nav`` exactly (up to float rounding).
        """
        values = dict(self.flow_by_component)
        for component, _, value in self._position_values():
            values[component] = values.get(component, 0.0) + value
        return values

    def component_value(self, component: str) -> float:
        """Return one component's value: ``component_values().get(component, 0.0)``, without the others."""
        value = self.flow_by_component.get(component, 0.0)
        for name, _, v in self._position_values():
            if name == component:
                value += v
        return value

    def some_component_values(self, components: Iterable[str]) -> dict[str, float]:
        """Return :meth:`component_value` of each of ``components`` (distinct names), in one pass over the positions."""
        values = {name: self.flow_by_component.get(name, 0.0) for name in components}
        for name, _, v in self._position_values():
            if name in values:
                values[name] += v
        return values

    def group_values(self) -> dict[str, float]:
        """Return cumulative cash flows plus open marks per reporting group (:func:`group_of`).

        Kept incrementally (the flows are summed per group as they are booked), so a day costs the
        open positions only; equal to summing :meth:`component_values` per group up to float rounding.
        """
        values = dict(self.flow_by_group)
        for _, group, value in self._position_values():
            values[group] = values.get(group, 0.0) + value
        return values

    def positions_of(self, component_prefix: str) -> list[Position]:
        return [p for p in self.positions.values() if p.component.startswith(component_prefix)]
