"""The ``backtrader`` engine: Cerebro with the SPX clock feed, the :class:`~vixhedge.broker.LedgerBroker`,
:class:`~strategies.alvh.AlvhStrategy` and the project's backtrader analyzers (:mod:`analyzers.bt_analyzers`),
driving the same Desk and Trader as the ``fast`` engine (:mod:`vixhedge.run`); imported only when a run asks for
it, so a fast run never loads backtrader.
"""

from __future__ import annotations

from collections.abc import Callable

import backtrader as bt
import pandas as pd

from analyzers.bt_analyzers import HedgeCost, PnLAttribution, Performance, VegaDrift
from feeds.market import Market
from strategies.alvh import AlvhStrategy
from strategies.signalset import SignalSet
from vixhedge.broker import LedgerBroker
from vixhedge.core.config import Config
from vixhedge.run import Session, risk_free


def _feed(market: Market, i0: int, i1: int) -> bt.feeds.PandasData:
    d = market.data
    sl = slice(i0, i1 + 1)
    frame = pd.DataFrame({"open": d.spx_open[sl], "high": d.spx_high[sl], "low": d.spx_low[sl],
                          "close": d.spx_close[sl], "volume": 0.0, "openinterest": 0.0},
                         index=pd.DatetimeIndex(d.dates[sl]))
    return bt.feeds.PandasData(dataname=frame, name="spx")


def make_cerebro(cfg: Config, market: Market, i0: int, i1: int, **cerebro_kwargs) -> tuple[bt.Cerebro, LedgerBroker]:
    """Return a Cerebro with the SPX clock feed of days ``i0..i1`` and a LedgerBroker on ``market``."""
    cerebro = bt.Cerebro(stdstats=False, **cerebro_kwargs)
    feed = _feed(market, i0, i1)
    cerebro.adddata(feed, name="spx")
    broker = LedgerBroker(cash=cfg.run.initial_cash_usd, market=market, execution=cfg.execution,
                          rate=cfg.market.rate, margin=cfg.margin)
    broker.set_clock(feed)
    cerebro.broker = broker
    return cerebro, broker


class _TimeReturn(bt.analyzers.TimeReturn):
    """backtrader's TimeReturn, with no return (NaN) from a NAV of 0: the days after a ruin (the account is
    liquidated and its debt written off on the ruin day, NAV 0 from then on, strategies.capital)."""

    def next(self) -> None:
        bt.analyzers.TimeFrameAnalyzerBase.next(self)
        self.rets[self.dtkey] = self._value / self._value_start - 1.0 if self._value_start else float("nan")
        self._lastvalue = self._value


class _DayCallback(bt.Analyzer):
    """Call ``params.callback`` once per bar (the CLI's progress bar)."""

    params = (("callback", None),)

    def next(self) -> None:
        self.p.callback()


def run_cerebro(cfg: Config, market: Market, signals: SignalSet, i0: int, i1: int,
                on_day: Callable[[], object] | None = None) -> Session:
    """Run days ``i0..i1`` in Cerebro; return the trader, desk and analyzers' results (vixhedge.run.run_backtest)."""
    cerebro, broker = make_cerebro(cfg, market, i0, i1)
    cerebro.addstrategy(AlvhStrategy, config=cfg, market=market, signals=signals)
    if on_day is not None:
        cerebro.addanalyzer(_DayCallback, callback=on_day)
    a = cfg.analysis
    cerebro.addanalyzer(Performance, _name="performance", risk_free=risk_free(a, market),
                        periods_per_year=a.periods_per_year)
    cerebro.addanalyzer(HedgeCost, _name="hedge_cost", periods_per_year=a.periods_per_year,
                        stress_vix_level=a.stress_vix_level, stress_top_share=a.stress_top_share)
    cerebro.addanalyzer(VegaDrift, _name="vega_drift", band=a.hedge_ratio_band)
    cerebro.addanalyzer(PnLAttribution, _name="pnl")
    cerebro.addanalyzer(_TimeReturn, _name="time_return", timeframe=bt.TimeFrame.Days)
    strat = cerebro.run()[0]
    an = strat.analyzers
    return Session(strat.trader, broker.desk, an.vega_drift.core, an.hedge_cost.get_analysis(),
                   an.performance.get_analysis(), an.pnl.get_analysis(), strat)
