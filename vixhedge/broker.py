"""LedgerBroker: a backtrader BackBroker whose value is the ledger's NAV.

Options and futures are not backtrader data feeds (one feed per contract is 10-600x slower
and cannot fill at bid/ask); they live in a :class:`~vixhedge.ledger.Ledger`. Each bar,
before the strategy runs, the broker settles what expires today at the named proxy, accrues
interest on cash and marks every open position at the day's mid, so ``getvalue()`` (and with
it TimeReturn, DrawDown and the project's analyzers) sees the whole portfolio. Fills made
during ``next()`` are pushed to the analyzers on the same bar by
:meth:`LedgerBroker.publish` (backtrader reads the broker value *before* ``next()``).
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import backtrader as bt

from vixhedge.config import ExecutionConfig, FillMode
from vixhedge.instruments import Contract, Kind, Quote
from vixhedge.ledger import CashFlow, Fill, Ledger


@dataclass(frozen=True, slots=True)
class DayRecord:
    """End-of-day state recorded after the strategy's fills."""

    date: dt.date
    cash: float
    nav: float
    components: dict[str, float]


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


class LedgerBroker(bt.brokers.BackBroker):
    """BackBroker holding SPX options, VX futures and VIX options in a ledger."""

    params = (("market", None), ("execution", None), ("rate", 0.0))
    _clock = None  # set once by set_clock(); init() runs again at every start and must not reset it

    def init(self) -> None:
        super().init()
        # backtrader reuses the broker object across runs: the book restarts here
        self.ledger = Ledger(self.p.cash)
        self.records: list[DayRecord] = []
        self.settlements: list[CashFlow] = []
        self._i = -1
        self._last_day: dt.date | None = None

    def set_clock(self, data: bt.AbstractDataBase) -> None:
        """Use ``data``'s datetime as the broker's day (the market's date index)."""
        self._clock = data

    @property
    def day_index(self) -> int:
        return self._i

    @property
    def today(self) -> dt.date:
        return self.p.market.days[self._i]

    def next(self) -> None:
        super().next()
        if self._clock is None:
            raise RuntimeError("LedgerBroker.set_clock(data) was not called before the run")
        day = self._clock.datetime.date(0)
        market = self.p.market
        self._i = market.index_of(day)
        if self._last_day is not None:
            self.ledger.accrue_interest(day, self.p.rate, (day - self._last_day).days)
        self._last_day = day
        for contract in self.ledger.open_contracts():
            if contract.expiry <= day:
                value = market.settlement_value(contract)
                self.settlements.extend(self.ledger.settle(day, contract, value))
        self.remark()

    def remark(self) -> None:
        """Mark every open position at today's mid and refresh backtrader's view of value."""
        m = self.p.market
        self.ledger.set_marks({c: m.quote(c, self._i).mid for c in self.ledger.open_contracts()})
        self._sync_value()

    def _sync_value(self) -> None:
        nav = self.ledger.nav
        self.cash = self.ledger.cash
        self._value = self._valuelever = nav
        self._fundval = nav / self._fundshares

    def execute(self, contract: Contract, qty: int, component: str, reason: str) -> Fill:
        """Fill ``qty`` (signed) of ``contract`` at today's quote; book the fee; refresh the value."""
        q = self.p.market.quote(contract, self._i)
        price = fill_price(q, qty, self.p.execution)
        fee = abs(qty) * fee_per_contract(contract, self.p.execution)
        fill = self.ledger.fill(self.today, contract, qty, price, fee, component, reason, q.bid, q.ask, q.mid)
        self._sync_value()  # the fill marked its own contract at today's mid; the others are marked already
        return fill

    def record_day(self) -> DayRecord:
        """Record today's end-of-day state (after the strategy's fills)."""
        rec = DayRecord(self.today, self.ledger.cash, self.ledger.nav, self.ledger.component_values())
        if self.records and self.records[-1].date == rec.date:
            self.records[-1] = rec
        else:
            self.records.append(rec)
        return rec

    def publish(self, strategy: bt.Strategy) -> None:
        """Push the post-fill cash and value to the strategy's analyzers on this bar."""
        cash, value = self.getcash(), self.getvalue()
        # observers (TimeReturn, DrawDown, LogReturns) read through slave analyzers: push to them too,
        # as backtrader's own Strategy._notify does
        for analyzer in itertools.chain(strategy.analyzers, strategy._slave_analyzers):
            analyzer._notify_cashvalue(cash, value)
            analyzer._notify_fund(cash, value, self.fundvalue, self.fundshares)
