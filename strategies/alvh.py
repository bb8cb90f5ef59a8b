"""backtrader strategy: the thin adapter that drives a :class:`strategies.trader.Trader` inside Cerebro.

The LedgerBroker opens each day on its :class:`~vixhedge.core.desk.Desk` before ``next()``; ``next()``
lets the trader trade that day, then pushes the post-fill value to the analyzers
(:meth:`vixhedge.broker.LedgerBroker.publish`).
"""

from __future__ import annotations

import backtrader as bt

from strategies.trader import Trader


class AlvhStrategy(bt.Strategy):
    params = (("config", None), ("market", None), ("signals", None))

    def __init__(self) -> None:
        self.trader = Trader(self.p.config, self.p.market, self.p.signals, self.broker.desk)

    def next(self) -> None:
        self.trader.on_bar()
        self.broker.publish(self)

    def stop(self) -> None:
        self.trader.finish()
