"""The desk of one run: the ledger on a market, one trading day at a time (pure, no backtrader).

Each day the desk is opened with :meth:`Desk.open_day`: it accrues interest on yesterday's cash,
cash-settles what expires today at the named proxy (:meth:`feeds.market.Market.settlement_value`)
and marks every open position at the day's mid. The strategy then trades through
:meth:`Desk.execute` (fills at bid/ask with fees, :func:`fill_price`) and the day ends with
:meth:`Desk.record_day`. Both engines drive this same object: backtrader through
:class:`vixhedge.broker.LedgerBroker`, the fast engine through a plain loop (:mod:`vixhedge.run`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from vixhedge.config import ExecutionConfig, FillMode
from vixhedge.instruments import Contract, Kind, Quote
from vixhedge.ledger import CashFlow, Fill, Ledger, group_of


@dataclass(frozen=True, slots=True)
class DayRecord:
    """End-of-day state recorded after the strategy's fills.

    ``components`` and ``groups`` are cumulative values (flows plus marks) per ledger component
    (empty on a desk that does not record them) and per reporting group; the desk records the
    ledger's :meth:`~vixhedge.ledger.Ledger.group_values`, a record built by hand without ``groups``
    sums its components per group.
    """

    date: dt.date
    cash: float
    nav: float
    components: dict[str, float]
    groups: dict[str, float] | None = None

    def __post_init__(self) -> None:
        if self.groups is None:
            groups: dict[str, float] = {}
            for component, value in self.components.items():
                group = group_of(component)
                groups[group] = groups.get(group, 0.0) + value
            object.__setattr__(self, "groups", groups)


def fill_price(quote: Quote, qty: int, cfg: ExecutionConfig) -> float:
    """Return the price a market order of signed ``qty`` gets under the execution config."""
    if cfg.fill is FillMode.MID:
        return quote.mid
    if cfg.fill is FillMode.BID_ASK:
        return quote.ask if qty > 0 else quote.bid
    edge = quote.ask - quote.mid if qty > 0 else quote.mid - quote.bid
    return quote.mid + (1 if qty > 0 else -1) * cfg.slippage_fraction * edge


def fee_per_contract(contract: Contract, cfg: ExecutionConfig) -> float:
    return {Kind.SPX_OPTION: cfg.fee_spx_option_usd, Kind.VIX_OPTION: cfg.fee_vix_option_usd,
            Kind.VX_FUTURE: cfg.fee_vx_future_usd}[contract.kind]


class Desk:
    """Ledger, fills, settlement and day records of one run on one market.

    With ``components=False`` the day records keep NAV and the per-group values only (what a
    sweep point reads), not every ledger component's value (the run's by-component report).
    """

    def __init__(self, market, execution: ExecutionConfig, rate: float, cash_usd: float,
                 components: bool = True) -> None:
        self.market = market
        self.execution = execution
        self.rate = rate
        self.ledger = Ledger(cash_usd)
        self.records: list[DayRecord] = []
        self.settlements: list[CashFlow] = []
        self.day_index = -1
        self.components = components
        self._marked: list[tuple[int, tuple[Contract, ...]]] = []  # (day, contracts marked or filled that day)
        self._last_day: dt.date | None = None

    @property
    def today(self) -> dt.date:
        return self.market.days[self.day_index]

    def open_day(self, i: int) -> None:
        """Start day ``i``: interest on yesterday's cash, today's settlements, marks at today's mid."""
        day = self.market.days[i]
        self.day_index = i
        if self._last_day is not None:
            self.ledger.accrue_interest(day, self.market.rate_on(self._last_day), (day - self._last_day).days)
        self._last_day = day
        for contract in self.ledger.open_contracts():
            if contract.expiry <= day:
                self.settlements.extend(self.ledger.settle(day, contract, self.market.settlement_value(contract)))
        self.remark()

    def remark(self) -> None:
        """Mark every open position at today's mid."""
        m, i = self.market, self.day_index
        open_contracts = self.ledger.open_contracts()
        self.ledger.set_marks({c: m.quote(c, i).mid for c in open_contracts})
        self._marked.append((i, tuple(open_contracts)))

    @property
    def marked(self) -> set[tuple[int, Contract]]:
        """The (day, option) pairs marked or filled so far: the provenance of the run's option prices."""
        return {(i, c) for i, contracts in self._marked for c in contracts if c.is_option}

    def execute(self, contract: Contract, qty: int, component: str, reason: str) -> Fill:
        """Fill ``qty`` (signed) of ``contract`` at today's quote and book the fee."""
        q = self.market.quote(contract, self.day_index)
        self._marked.append((self.day_index, (contract,)))
        price = fill_price(q, qty, self.execution)
        fee = abs(qty) * fee_per_contract(contract, self.execution)
        return self.ledger.fill(self.today, contract, qty, price, fee, component, reason, q.bid, q.ask, q.mid)

    def record_day(self) -> DayRecord:
        """Record today's end-of-day state (after the strategy's fills)."""
        ledger = self.ledger
        rec = DayRecord(self.today, ledger.cash, ledger.nav, ledger.component_values() if self.components else {},
                        ledger.group_values())
        if self.records and self.records[-1].date == rec.date:
            self.records[-1] = rec
        else:
            self.records.append(rec)
        return rec
