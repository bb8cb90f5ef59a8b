"""LedgerBroker: a backtrader BackBroker whose value is the NAV of a :class:`~vixhedge.core.desk.Desk`.

Options and futures are not backtrader data feeds (one feed per contract is 10-600x slower
and cannot fill at bid/ask); they live in the desk's ledger. Each bar, before the strategy
runs, the broker opens the desk's day (settlement at the named proxy, interest, marks at the
day's mid), so ``getvalue()`` (and with it TimeReturn, DrawDown and the project's analyzers)
sees the whole portfolio. Fills made during ``next()`` are pushed to the analyzers on the same
bar by :meth:`LedgerBroker.publish` (backtrader reads the broker value *before* ``next()``).
"""

from __future__ import annotations

import itertools

import backtrader as bt

from vixhedge.core.desk import DayRecord, Desk, fee_per_contract, fill_price

__all__ = ["DayRecord", "LedgerBroker", "fee_per_contract", "fill_price"]


class LedgerBroker(bt.brokers.BackBroker):
    """BackBroker holding SPX options, VX futures and VIX options in a desk's ledger."""

    params = (("market", None), ("execution", None), ("rate", 0.0), ("margin", None))
    _clock = None  # set once by set_clock(); init() runs again at every start and must not reset it

    def init(self) -> None:
        super().init()
        # backtrader reuses the broker object across runs: the book restarts here
        self.desk = Desk(self.p.market, self.p.execution, self.p.rate, self.p.cash, margin=self.p.margin)

    def set_clock(self, data: bt.AbstractDataBase) -> None:
        """Use ``data``'s datetime as the broker's day (the market's date index)."""
        self._clock = data

    @property
    def ledger(self):
        return self.desk.ledger

    @property
    def records(self) -> list[DayRecord]:
        return self.desk.records

    @property
    def settlements(self):
        return self.desk.settlements

    @property
    def today(self):
        return self.desk.today

    def next(self) -> None:
        super().next()
        if self._clock is None:
            raise RuntimeError("LedgerBroker.set_clock(data) was not called before the run")
        self.desk.open_day(self.p.market.index_of(self._clock.datetime.date(0)))
        self._sync_value()

    def _sync_value(self) -> None:
        nav = self.desk.ledger.nav
        self.cash = self.desk.ledger.cash
        self._value = self._valuelever = nav
        self._fundval = nav / self._fundshares

    def publish(self, strategy: bt.Strategy) -> None:
        """Push the post-fill cash and value to the strategy's analyzers on this bar."""
        self._sync_value()
        cash, value = self.getcash(), self.getvalue()
        # observers (TimeReturn, DrawDown, LogReturns) read through slave analyzers: push to them too,
        # as backtrader's own Strategy._notify does
        for analyzer in itertools.chain(strategy.analyzers, strategy._slave_analyzers):
            analyzer._notify_cashvalue(cash, value)
            analyzer._notify_fund(cash, value, self.fundvalue, self.fundshares)
