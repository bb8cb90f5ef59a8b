"""The project's backtrader analyzers: thin adapters of the pure cores, for the ``backtrader`` engine.

Each reads the broker's desk (:class:`vixhedge.broker.LedgerBroker`) once a bar and answers with its core's
result; the ``fast`` engine drives the same cores without backtrader (:mod:`vixhedge.run`), so the cores'
modules import no backtrader and a run on the fast engine never loads it (issue 16, cold start).
"""

from __future__ import annotations

import datetime as dt

import backtrader as bt

from analyzers.hedge_cost import CarryTracker, run_hedge_cost
from analyzers.metrics import run_summary
from analyzers.pnl import group_totals
from analyzers.vega_drift import VegaRecorder


class Performance(bt.Analyzer):
    """Standard metrics of the broker's end-of-day NAV (after the day's fills)."""

    params = (("risk_free", 0.01), ("periods_per_year", 252))  # risk_free: as analyzers.metrics.run_summary

    def start(self) -> None:
        self.nav: list[float] = []
        self.dates: list[dt.date] = []

    def next(self) -> None:
        self.nav.append(self.strategy.broker.getvalue())
        self.dates.append(self.strategy.broker.today)

    def get_analysis(self) -> dict:
        return run_summary(self.nav, self.dates, self.p.risk_free, self.p.periods_per_year)


class PnLAttribution(bt.Analyzer):
    """Totals per group over the run (daily detail via :func:`analyzers.pnl.attribution`)."""

    def get_analysis(self) -> dict[str, float]:
        return group_totals(self.strategy.broker.records)


class VegaDrift(bt.Analyzer):
    """Daily book vega, hedge ratio, target band and drift; summary over days with a condor."""

    params = (("band", (0.25, 0.75)),)

    def start(self) -> None:
        self.core = VegaRecorder(tuple(self.p.band))

    @property
    def rows(self) -> list[dict]:
        return self.core.rows

    def next(self) -> None:
        self.core.observe(self.strategy.broker.desk)

    def get_analysis(self) -> dict:
        return self.core.summary()


class HedgeCost(bt.Analyzer):
    """Hedge cost of the run, computed from the broker's desk at the end (core: :class:`CarryTracker`)."""

    params = (("periods_per_year", 252), ("stress_vix_level", 25.0), ("stress_top_share", 0.05))

    def start(self) -> None:
        self.core = CarryTracker()

    def next(self) -> None:
        self.core.observe(self.strategy.broker.desk)

    def stop(self) -> None:
        self._result = self._compute()  # backtrader asks for the analysis more than once: compute it once

    def get_analysis(self) -> dict:
        return self._result if hasattr(self, "_result") else self._compute()

    def _compute(self) -> dict:
        return run_hedge_cost(self.strategy.broker.desk, self.core, self.p.periods_per_year,
                              self.p.stress_vix_level, self.p.stress_top_share)
