"""One backtest: config -> Market -> an engine driving Desk + Trader + analyzers -> RunResult.

Two engines run the same pure objects (:class:`~vixhedge.core.desk.Desk`,
:class:`~strategies.trader.Trader`, the analyzers' cores) day by day in the same order
(open the day: interest, settlement, marks; trade; record; observe):

* ``backtrader`` (``vixhedge run --engine backtrader``, ``run_backtest(..., engine="backtrader")``): Cerebro with
  the SPX clock feed, the :class:`~vixhedge.broker.LedgerBroker`, :class:`~strategies.alvh.AlvhStrategy` and the
  project's backtrader analyzers (:mod:`vixhedge.cerebro`, imported only for it);
* ``fast`` (:data:`~vixhedge.core.config.DEFAULT_ENGINE`: the default of :func:`run_backtest`, of the API and of
  the ``run``, ``compare`` and ``sweep`` commands): a plain loop over the run's days, without backtrader's per-bar
  machinery (feed preload, line buffers, notifications).

Their outputs are byte-identical (tests/vixhedge/test_engines.py); ``python -m vixhedge.bench``
measures the difference.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from analyzers.condor_trades import trade_stats
from analyzers.hedge_cost import DAILY_CAUSES, CarryTracker, book_causes, held_totals, layers_open, run_hedge_cost
from analyzers.metrics import (capital_metrics, capital_needed, cash_growth, rf_steps, run_summary, simple_rate,
                               tail_correlation, valid_span)
from analyzers.periods import named_periods
from analyzers.pnl import attribution, component_pnl, component_values, group_totals
from analyzers.vega_drift import VegaRecorder
from feeds.market import Market, market_for
from feeds.provenance import data_provenance
from feeds.periods import macd_warmup
from strategies.capital import cuts_frame
from strategies.signalset import SignalSet, compute, inputs_from_market
from strategies.trader import Trader
from vixhedge import codeid
from vixhedge.core.config import DEFAULT_ENGINE, ENGINES, AnalysisConfig, Config, ConfigError, RiskFree
from vixhedge.core.desk import Desk
from vixhedge.core.instruments import SPX_OPTION
from vixhedge.frames import dated_frames
from vixhedge.progress import no_collections
from vixhedge.run_notes import note_run
from vixhedge.run_tables import condor_table, layer_table, trade_table
from vixhedge.window import check_window

codeid.loaded()  # the identity of the code this process runs, before any of its files can change (manifest.json)


@dataclass
class RunResult:
    """Everything a run produced, as pandas objects and plain dicts.

    ``repr(result)`` is one line (name, window, hedge, final NAV, Sharpe); a notebook cell shows the console
    summary (:func:`vixhedge.summary.summary_table`). Every frame has a DatetimeIndex named ``date``.

    Attributes
    ----------
    config : the resolved config the run ran.
    market : the :class:`~feeds.market.Market` it ran on.
    signals : the signal set (:class:`~strategies.signalset.SignalSet`: VX level, MACD, RSI, regimes, per bar).
    signals_log : the decision log, one row per bar: signals, rules fired and acted (``signals.csv``;
        :func:`vixhedge.runfolder.load_run` reads it back under the same name).
    daily : one row per run day (index ``date``): NAV, value and P&L per group, market and
        signal series, open layers, vega and drift (the columns of ``daily.csv``: e.g. ``nav_usd``,
        ``hedge_pnl_usd``, ``vix_close``, ``hedge_layers``, ``condor_vega_usd``, ``hedge_vega_usd``,
        ``net_vega_usd``, ``margin_usd``, ``drawdown``; README "What a run prints and writes" lists them all).
    trades : one row per fill (``trades.csv``).
    layers : one row per hedge layer, with its hedge-cost breakdown (``layers.csv``).
    condors : one row per condor (``condors.csv``).
    attribution : daily P&L in USD per ledger component (``condor:put``, ``condor:call``,
        ``hedge:L<n>``, ``fees``, ``interest``) and ``total_pnl_usd`` (``attribution.csv``).
    metrics : nested dict of ``performance``, ``hedge_cost``, ``hedge_cost_layers``,
        ``vega_drift``, ``pnl``, ``pnl_by_component`` and ``counts`` (``metrics.json``); with
        ``analysis.analyzers``, their answers under ``analyzers`` (:mod:`analyzers.plugins`).
    analyzer_tables : the tables those analyzers returned, by name (``analyzer_<name>.csv``).
    capital_cuts : one row per order the capital guard cut, by day: kind, what, verb, wanted and allowed contracts,
        why (``capital_cuts.csv``; :mod:`strategies.capital`).
    """

    config: Config
    market: Market
    signals: SignalSet
    daily: pd.DataFrame
    trades: pd.DataFrame
    layers: pd.DataFrame
    condors: pd.DataFrame
    metrics: dict
    attribution: pd.DataFrame
    signals_log: pd.DataFrame = field(default_factory=pd.DataFrame)  # signals.csv: per bar, signals + rules
    engine: str = DEFAULT_ENGINE  # which engine ran it (ENGINES; results are identical)
    quote_origins: dict = field(default_factory=dict)  # metrics' data_provenance marks and fills (manifest)
    analyzer_tables: dict = field(default_factory=dict)  # analysis.analyzers plug-ins' tables, by name
    capital_cuts: pd.DataFrame = field(default_factory=pd.DataFrame)  # capital_cuts.csv: strategies.capital.cuts_frame

    def __repr__(self) -> str:
        from vixhedge.runfolder import run_brief

        return f"RunResult({run_brief(self.config, self.daily, self.metrics)})"

    def _repr_html_(self) -> str:
        """The console summary (what ``vixhedge run`` prints), shown by a notebook for ``result`` in a cell."""
        import html

        from vixhedge.summary import summary_table

        return f"<pre>{html.escape(summary_table(self))}</pre>"

    @property
    def returns(self) -> pd.Series:
        """Daily simple returns of the end-of-day NAV (from the second day; DatetimeIndex)."""
        nav = self.daily["nav_usd"]
        return (nav / nav.shift(1) - 1.0).iloc[1:].rename("return")


@dataclass
class Session:
    """What an engine leaves behind: the trader and desk after the run, and the analyzers' results."""

    trader: Trader
    desk: Desk
    vega: VegaRecorder
    hedge_cost: dict
    performance: dict
    pnl: dict
    strategy: object | None = None  # engine "backtrader": the strategy (bt.Strategy), with its analyzers


def run_backtest(cfg: Config, market: Market | None = None, engine: str = DEFAULT_ENGINE,
                 on_day: Callable[[], object] | None = None) -> RunResult:
    """Run one backtest of ``cfg`` (on ``market`` if given, else the configured source) with ``engine``.

    ``on_day`` (e.g. a progress bar's ``update``) is called once after each trading day of the window.
    """
    if engine not in ENGINES:
        raise ConfigError(f"engine = {engine!r} is not known: use one of {list(ENGINES)}")
    with no_collections():
        return _run(cfg, market_for(cfg, market), engine, on_day)


def _run(cfg: Config, market: Market, engine: str, on_day: Callable[[], object] | None) -> RunResult:
    i0, i1 = check_window(cfg, market)
    signals = compute(inputs_from_market(market, cfg.hedge, (cfg.run.start, cfg.run.end)), cfg.hedge)
    if engine == "backtrader":  # imported here: a run on the fast engine never loads backtrader (issue 16)
        from vixhedge.cerebro import run_cerebro as drive
    else:
        drive = _run_loop
    result = _assemble(cfg, market, signals, drive(cfg, market, signals, i0, i1, on_day))
    result.engine = engine
    note_run(result)
    if cfg.analysis.analyzers:  # plug-ins, on the finished result
        from analyzers.plugins import run_analyzers

        result.metrics["analyzers"], result.analyzer_tables = run_analyzers(result)
    return result


class _DayObserver:
    """The fast engine's counterpart of vixhedge.cerebro._DayCallback: an observer that calls back once per day."""

    def __init__(self, callback: Callable[[], object]) -> None:
        self.callback = callback

    def observe(self, desk: Desk) -> None:
        self.callback()


class _MarginObserver:
    """The day-end maintenance requirement and excess liquidity: ``RunResult.daily``'s margin_usd and
    excess_liquidity_usd (a sweep's desk records none)."""

    def __init__(self) -> None:
        self.usd: list[float] = []
        self.excess: list[float] = []

    def observe(self, desk: Desk) -> None:
        self.usd.append(desk.requirement().maintenance_usd)
        self.excess.append(desk.excess_liquidity())


def _loop(cfg: Config, market: Market, signals: SignalSet, i0: int, i1: int,
          observers: tuple = (), full: bool = True) -> tuple[Desk, Trader]:
    """The fast engine: open each day, let the trader trade it, let ``observers`` record it (``full=False``:
    a sweep point's run, without the components' values or the trader's logs, see :class:`~vixhedge.core.desk.Desk`
    and :class:`~strategies.trader.Trader`)."""
    desk = Desk(market, cfg.execution, cfg.market.rate, cfg.run.initial_cash_usd, full, cfg.margin)
    trader = Trader(cfg, market, signals, desk, journal=full)
    for i in range(i0, i1 + 1):
        desk.open_day(i)
        trader.on_bar()
        for o in observers:
            o.observe(desk)
    trader.finish()
    return desk, trader


@dataclass(frozen=True, eq=False)
class OpeningChecks:
    """``CapitalGuard.checks`` in a daily table's attrs: the sessions (datetime64[D]) and the excess liquidity each
    saw before its trades (USD). pandas deep-copies attrs with every derived frame (a dict of 1,250 dates cost a
    default run ~15%: trial REV23) and compares them with == when it concatenates (arrays raise there): this one is
    shared, not copied, and equal only to itself."""

    days: np.ndarray
    excess: np.ndarray

    def __deepcopy__(self, memo: dict) -> OpeningChecks:
        return self  # (read only)


def opening_checks(checks: dict) -> OpeningChecks:
    """:class:`OpeningChecks` of ``CapitalGuard.checks``."""
    return OpeningChecks(np.array(list(checks), dtype="datetime64[D]"), np.array(list(checks.values()), dtype=float))


def lowest_excess(daily, days: np.ndarray) -> np.ndarray:
    """Return each day's lowest excess liquidity (USD): its session's check before its trades (``daily.attrs``
    ``checks``: ``CapitalGuard.checks``, a margin call's breach before its cure, a ruin's) or its end (daily.csv
    ``excess_liquidity_usd``), the smaller: what metrics.json capital.min_excess_liquidity_usd is the lowest of."""
    checks = daily.attrs["checks"]  # (OpeningChecks)
    when, excess = checks.days, checks.excess
    at, k = np.full(len(days), math.inf), np.searchsorted(days, when)
    hit = k < len(days)
    hit[hit] &= days[k[hit]] == when[hit]  # (a check on a day of the window)
    at[k[hit]] = excess[hit]
    return np.minimum(daily["excess_liquidity_usd"].to_numpy(dtype=float), at)


def daily_book(cfg: Config, market: Market) -> tuple[pd.DataFrame, int]:
    """Return a run's daily NAV and P&L by group (``RunResult.daily``'s first columns, same numbers), the hedge's
    P&L by cause (its :data:`~analyzers.hedge_cost.DAILY_CAUSES` columns: :func:`~analyzers.hedge_cost.book_causes`)
    and its number of hedge layers, on the fast engine without the vega observer or the report tables: what a sweep
    point needs."""
    i0, i1 = check_window(cfg, market)
    signals = compute(inputs_from_market(market, cfg.hedge, (cfg.run.start, cfg.run.end)), cfg.hedge)
    margin, carry = _MarginObserver(), CarryTracker()
    desk, trader = _loop(cfg, market, signals, i0, i1, (margin, carry), full=False)
    frame = attribution(desk.records, cfg.run.initial_cash_usd)
    frame["margin_usd"] = margin.usd
    frame["excess_liquidity_usd"] = margin.excess
    for col, values in book_causes(carry, frame.index, frame["hedge_pnl_usd"].to_numpy()).items():
        frame[col] = values
    frame.attrs["ruin"] = trader.capital.ruin
    frame.attrs["cap_days"] = set(trader.capital.cap_days)  # days a capital cap cut an order (metrics.json capital)
    frame.attrs["call_days"] = set(trader.capital.breach_days)  # ... opened with a margin call (days_with_margin_call)
    frame.attrs["checks"] = opening_checks(trader.capital.checks)  # each session's opening excess (capital needed)
    return frame, trader.layers_opened


def risk_free(a: AnalysisConfig, market: Market) -> float | Callable[[list], np.ndarray]:
    """Return what Sharpe and Sortino measure excess return over (``analysis.risk_free``): the constant annual
    rate, or a function of a run's days returning what a dollar of cash earned over each day-over-day step."""
    return market.cash_returns if a.risk_free is RiskFree.CASH else a.risk_free_rate


def risk_free_returns(a: AnalysisConfig, market: Market, days) -> np.ndarray:
    """Return the per-step risk-free return between consecutive ``days`` (:func:`risk_free` on those days)."""
    rf = risk_free(a, market)
    return rf_steps(rf(days) if callable(rf) else rf, a.periods_per_year, len(days) - 1)


def valid_nav(daily: pd.DataFrame, ruin: dict | None) -> np.ndarray:
    """Return the NAV of a run's valid span: to its ruin day, NAV 0 on it (:func:`analyzers.metrics.valid_span`)."""
    date = dt.date.fromisoformat(ruin["date"]) if ruin else None
    days = [d.date() if isinstance(d, dt.datetime) else d for d in daily.index]  # result frames hold Timestamps
    return valid_span(daily["nav_usd"].to_numpy(), days, date)[0]


def _run_loop(cfg: Config, market: Market, signals: SignalSet, i0: int, i1: int,
              on_day: Callable[[], object] | None = None) -> Session:
    a = cfg.analysis
    vega, carry = VegaRecorder(tuple(a.hedge_ratio_band)), CarryTracker()
    observers = (vega, carry) if on_day is None else (vega, carry, _DayObserver(on_day))
    desk, trader = _loop(cfg, market, signals, i0, i1, observers)
    records = desk.records
    performance = run_summary([r.nav for r in records], [r.date for r in records], risk_free(a, market),
                              a.periods_per_year)
    cost = run_hedge_cost(desk, carry, a.periods_per_year, a.stress_vix_level, a.stress_top_share)
    return Session(trader, desk, vega, cost, performance, group_totals(records))


def _assemble(cfg: Config, market: Market, signals: SignalSet, run: Session) -> RunResult:
    trader, desk = run.trader, run.desk
    values = component_values(desk.records)
    daily = attribution(desk.records, cfg.run.initial_cash_usd)
    by_component = component_pnl(desk.records, cfg.run.initial_cash_usd, values)
    vega = pd.DataFrame(run.vega.rows).set_index("date")
    idx = [market.index_of(d) for d in daily.index]
    daily["spx_close"] = market.data.spx_close[idx]
    daily["vix_close"] = market.data.vix_close[idx]
    daily["vx_signal_series"] = signals.series[idx]
    daily["macd"] = signals.macd[idx]
    daily["macd_signal"] = signals.signal[idx]
    daily["macd_hist"] = signals.hist[idx]
    logs = trader.layer_log.values()
    daily["hedge_layers"] = layers_open([g.entry_date for g in logs], [g.exit_date for g in logs], daily.index)
    daily["margin_usd"] = [r.margin_usd for r in desk.records]
    daily["excess_liquidity_usd"] = [r.excess_liquidity_usd for r in desk.records]
    daily = daily.join(pd.DataFrame(trader.capital_rows).set_index("date"))
    daily = daily.join(vega)
    log = trader.signals_log()
    for col in ("breakeven_low_spx", "breakeven_high_spx", "hedge_open_pnl_usd"):
        daily[col] = log[col].to_numpy()
    causes = run.hedge_cost["daily"]  # the hedge's P&L by cause, day by day (a ruined run's to its ruin day)
    for k, col in enumerate(DAILY_CAUSES):
        daily[col] = [causes[d][k] if d in causes else 0.0 for d in daily.index]
    daily["drawdown"] = 1.0 - daily["nav_usd"] / daily["nav_usd"].cummax()
    daily.index.name = "date"
    daily.attrs["call_days"] = set(trader.capital.breach_days)  # as daily_book's (a sweep's days_with_margin_call)
    daily.attrs["checks"] = opening_checks(trader.capital.checks)  # ... and its sessions' opening excess
    hedge = run.hedge_cost
    performance = dict(run.performance)
    ruin = trader.capital.ruin
    ruin_date = dt.date.fromisoformat(ruin["date"]) if ruin else None
    nav, dates = valid_span(daily["nav_usd"].to_numpy(), list(daily.index), ruin_date)
    if ruin:  # metrics on the valid span (up to the ruin day, NAV 0 on it), marked
        performance = run_summary(nav, dates, risk_free(cfg.analysis, market), cfg.analysis.periods_per_year)
    performance["valid_span"] = {"start": dates[0].isoformat(), "end": dates[-1].isoformat(), "ruined": bool(ruin)}
    performance["vx_variation_interest_unbooked_usd"] = round(desk.variation_interest_usd, 2) + 0.0  # (Desk.open_day)
    performance["risk_free"] = cfg.analysis.risk_free.value  # what risk_free_rate is: cash's mean, or the constant
    days = [d.date() if isinstance(d, dt.datetime) else d for d in dates]
    steps = market.cash_returns(days)  # (a dollar of cash, step by step: capital_needed's growth too)
    if cfg.analysis.risk_free is RiskFree.CASH:  # the rate cash earned as a user states one (simple, ACT/365)
        performance["cash_rate_act365"] = round(simple_rate(steps, days), 6)
        performance["cash_rate_constant"] = market.rate_source.get("rates") == "constant"
    span = daily.iloc[:len(nav)]
    tail = span.iloc[1:]  # day-over-day rows of the valid span, as the daily returns CVaR reads (trial finding 5)
    performance.update(tail_correlation(tail["total_pnl_usd"].to_numpy(), tail["hedge_pnl_usd"].to_numpy(),
                                        tail["condor_pnl_usd"].to_numpy()))
    metrics = {
        "performance": performance,
        "hedge_cost": hedge["total"],
        "hedge_cost_layers": hedge["layers"],
        "vega_drift": run.vega.summary(),
        "pnl": run.pnl,
        "pnl_by_component": {c: round(float(v), 2) + 0.0  # + 0.0: a sum of ~1e-6 rounds to 0.0, never -0.0
                             for c, v in by_component.drop(columns="total_pnl_usd").sum().items()},
        "counts": {"days": len(daily), "fills": len(desk.ledger.fills), "condors": len(trader.condor_log),
                   "hedge_layers": len(trader.layer_log)},
        "ruin": ruin,
        "capital": {**capital_metrics(nav, float(nav[-1] - cfg.run.initial_cash_usd), span["margin_usd"].to_numpy(),
                                      span["gross_notional_usd"].to_numpy(), span["condor_max_loss_usd"].to_numpy(),
                                      span["bp_constrained"].to_numpy(), len(trader.capital.cap_days),
                                      cfg.analysis.periods_per_year),
                    **capital_needed(cfg.run.initial_cash_usd, span["margin_usd"].to_numpy(),
                                     span["excess_liquidity_usd"].to_numpy(), trader.capital.low_excess_usd,
                                     np.asarray(trader.condors_held[:len(nav)]), list(span.index),
                                     trader.capital.low_excess_day, cash_growth(steps),
                                     lowest_excess(daily, np.array(daily.index, dtype="datetime64[D]"))[:len(nav)]),
                    "margin_mode": cfg.margin.mode.value,
                    **trader.capital.margin_call_counts(),
                    "days_layer_refused_by_margin_call": len(trader.capital.call_days)},
    }
    trades = trade_table(desk.ledger.fills, market)
    layers = layer_table(trader, hedge["layers"], dates)  # sessions_held: on the valid span, as the metrics
    hedge["total"].update(held_totals(layers["contracts"], layers["sessions_held"], len(dates),
                                      hedge["total"]["net_cost_usd"]))
    condors = condor_table(trader, desk)
    metrics["condor_trades"] = trade_stats(condors["pnl_usd"].tolist(), condors["exit_reason"].tolist(),
                                           condors["exit_date"].isna().tolist()) if len(condors) else {}
    metrics["policy_notes"] = list(trader.policy_notes)
    if trader.policy_notes and trader.sigs.ad_uncovered:  # (written only then: the why of strategies.rulesoff)
        metrics["ad_uncovered"] = trader.sigs.ad_uncovered
    metrics["rules_fired"] = rules_fired(log["rule_ids"])
    settled = {f.contract.expiry for f in desk.settlements if f.contract.kind is SPX_OPTION}  # (stale opens)
    metrics["data_provenance"] = data_provenance(market, desk.ledger.fills, market.index_of(daily.index[0]),
                                                 market.index_of(daily.index[-1]), settled,
                                                 pays_spread=cfg.execution.pays_spread)
    origins = {k: metrics["data_provenance"][k] for k in ("marks", "fills")}  # the manifest's: the same counts
    warmup = macd_warmup(cfg, market, market.index_of(daily.index[0]), signals)
    if warmup:
        metrics["macd_warmup"] = warmup
    if periods := named_periods(daily, ruin=ruin and ruin["date"]):  # the stress periods the window meets
        metrics["named_periods"] = periods
    return RunResult(cfg, market, signals, *dated_frames(daily, trades, layers, condors), metrics,
                     dated_frames(by_component)[0], signals_log=dated_frames(log)[0], quote_origins=origins,
                     capital_cuts=dated_frames(cuts_frame(trader.capital.cuts))[0])


def rules_fired(rule_ids: pd.Series) -> dict[str, int]:
    """Return {rule id: bars it acted on} from the decision log's ``rule_ids`` column (every id, 0 included)."""
    from strategies.book import RULE_IDS

    counts = dict.fromkeys(RULE_IDS, 0)
    for cell in rule_ids:
        for rule in filter(None, str(cell).split(";")) if isinstance(cell, str) else ():
            counts[rule] = counts.get(rule, 0) + 1
    return counts
