"""One sweep point on the event-driven path, and the result row every path writes.

The row holds the point's parameters, its metrics on the whole window (on both sides of ``in_sample_end`` when
split) and, under ``RETURNS_KEY``, the daily returns it is chosen on (kept in returns.bin, not in results.csv).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import math
from typing import TYPE_CHECKING, Any

import numpy as np

from analyzers.hedge_cost import DAILY_CAUSES
from feeds.market import Market
from vixhedge.core import config as C

if TYPE_CHECKING:
    from vixhedge.sweep_spec import Point

ANALYZERS = "analyzers"  # results.csv column of analyzer plug-ins' answers (analyzers.plugins.sweep_cell)
RETURNS_KEY = "_returns"  # a point's evaluation-window daily returns: kept in returns.bin, not in results.csv
SIDE_METRICS = ("sharpe", "max_drawdown", "cvar95", "hedge_cost_usd", "condor_pnl_usd")  # in and out of sample
# the capital a point takes (metrics.json capital's figures of its run): the peak of the day-end maintenance
# requirement over NAV, the days a capital cap cut an order, the sessions that opened with a margin call, the cash
# the account needed at the start to meet no margin call and the peak requirement in USD; in and out of sample too
# (after SIDE_METRICS' sides)
CAPITAL_METRICS = ("peak_margin_utilisation", "days_cut_by_capital_caps", "days_with_margin_call",
                   "capital_needed_usd", "peak_margin_usd")
# the hedge's P&L by cause over the whole window (a run's daily.csv columns of the same names summed, compare's
# comparison.csv keys; README *Hedge cost* (4)): they sum to minus hedge_cost_usd (fees apart, as it); not split in and
# out of sample (is_ / oos_hedge_cost_usd are; a point's `vixhedge run` has them by day and by period)
CAUSE_FIELDS = DAILY_CAUSES
RESULT_FIELDS = ("sharpe", "cagr", "max_drawdown", "cvar95", "end_nav_usd", "hedge_cost_usd", *CAUSE_FIELDS,
                 "condor_pnl_usd", "hedge_layers",
                 "ruined", "ruin_date",  # ruined True / False; ruin_date the day, empty when not ruined
                 *CAPITAL_METRICS)
CONDOR_FIELDS = ("condor_pnl_usd", "is_condor_pnl_usd", "oos_condor_pnl_usd")  # not in a folder from before them
CVAR_FIELDS = ("cvar95", "is_cvar95", "oos_cvar95")  # not in a folder from before them (session 14)
CAPITAL_FIELDS = (*CAPITAL_METRICS[:2], *(f"{t}_{k}" for t in ("is", "oos") for k in CAPITAL_METRICS[:2]))  # (CAP)
CALL_FIELDS = (CAPITAL_METRICS[2], *(f"{t}_{CAPITAL_METRICS[2]}" for t in ("is", "oos")))  # (trial RS24, CAP22)
NEEDED_FIELDS = (*CAPITAL_METRICS[3:], *(f"{t}_{k}" for t in ("is", "oos") for k in CAPITAL_METRICS[3:]))  # (CAPS23)
LATER_FIELDS = (("condor P&L", CONDOR_FIELDS), ("CVaR", CVAR_FIELDS), ("capital", CAPITAL_FIELDS),
                ("margin-call", CALL_FIELDS), ("capital-needed", NEEDED_FIELDS),
                ("hedge-by-cause", CAUSE_FIELDS))  # columns added since, oldest first


def _capital_metrics(nav: np.ndarray, margin: np.ndarray, capped: np.ndarray, called: np.ndarray,
                     excess: np.ndarray, cash: float, growth: np.ndarray) -> dict[str, float | int]:
    """Return a span's capital figures: the peak of the day-end maintenance requirement ``margin`` over ``nav``
    (its days with NAV > 0, :func:`analyzers.metrics.nav_ratio`, as metrics.json capital.peak_margin_utilisation),
    the days ``capped`` says a capital cap cut an order (capital.days_cut_by_capital_caps), those ``called`` says
    opened with a margin call (capital.days_with_margin_call), and :func:`analyzers.metrics.capital_needed`'s
    ``capital_needed_usd`` (the initial ``cash`` less the lowest of ``excess``, each day's lowest excess liquidity:
    :func:`vixhedge.run.lowest_excess`, over ``growth``, a dollar of the start's growth to that day:
    :func:`analyzers.metrics.cash_growth`) and ``peak_margin_usd`` (the peak of ``margin``)."""
    from analyzers import metrics as M

    need = M.capital_needed(cash, margin, excess, math.inf, np.zeros(0), growth=growth)
    return {"peak_margin_utilisation": M.nav_ratio(margin, nav)[0], "days_cut_by_capital_caps": int(np.sum(capped)),
            "days_with_margin_call": int(np.sum(called)), "capital_needed_usd": need["capital_needed_usd"],
            "peak_margin_usd": need["peak_margin_usd"]}


def _window_metrics(nav: np.ndarray, hedge_pnl: np.ndarray, condor_pnl: np.ndarray, rf: np.ndarray,
                    a: C.AnalysisConfig) -> dict[str, float]:
    """Return a window's metrics from its NAV, the hedge's and the condor's P&L on each of its days and the
    risk-free returns (one per NAV step): the hedge cost is minus the hedge P&L's sum, the condor P&L its sum, the
    first day's included (its fills, as a run's; fees apart: the run's pnl.hedge_pnl_usd, pnl.condor_pnl_usd); the
    CVaR 95% that of the window's daily returns (:func:`analyzers.metrics.cvar`, as a run's and compare's)."""
    from analyzers import metrics as M

    r = M.daily_returns(nav)
    return {"sharpe": M.sharpe(r, rf[:len(r)], a.periods_per_year),
            "cagr": M.cagr(nav, a.periods_per_year), "max_drawdown": M.max_drawdown(nav), "cvar95": M.cvar(r),
            "end_nav_usd": float(nav[-1]), "hedge_cost_usd": float(-hedge_pnl.sum()) + 0.0,
            "condor_pnl_usd": float(condor_pnl.sum()) + 0.0}


@contextlib.contextmanager
def quiet_policy_log():
    """Silence the per-run notes (policy, capital) inside a sweep (the parent logs the policy notes once)."""
    logger = logging.getLogger("vixhedge")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def run_point(point: Point, market: Market, in_sample_end: dt.date | None, engine: str = "fast") -> dict[str, Any]:
    """Run one point with ``engine``; return its result row (params, metrics, and IS/OOS metrics if split)."""
    with quiet_policy_log():
        return _run_point(point, market, in_sample_end, engine)


def _run_point(point: Point, market: Market, in_sample_end: dt.date | None, engine: str) -> dict[str, Any]:
    from vixhedge.run import daily_book, run_backtest

    analyzers = {}
    if engine == "fast" and not point.config.analysis.analyzers:
        d, layers = daily_book(point.config, market)
        ruin = d.attrs["ruin"]
    else:  # the whole result: the backtrader engine, or analyzer plug-ins that read it
        from analyzers.plugins import sweep_cell

        res = run_backtest(point.config, market, engine=engine)
        d, layers, ruin = res.daily, res.metrics["counts"]["hedge_layers"], res.metrics["ruin"]
        cuts = res.capital_cuts  # (indexed by day: frames.dated_frames)
        d.attrs["cap_days"] = {t.date() for t in cuts.index[cuts["kind"] == "cap"]}
        if point.config.analysis.analyzers:
            analyzers = {ANALYZERS: sweep_cell(_tables_not_kept(res.metrics.get("analyzers", {})))}
    return {"point": point.key, **point.params,
            **point_metrics(d, layers, point.config.analysis, in_sample_end, market, ruin,
                            cash=point.config.run.initial_cash_usd), **analyzers}


TABLE_NOT_KEPT = "tables are not kept in a sweep: `vixhedge run` the point to get {file}"


def _tables_not_kept(entries: dict[str, Any]) -> dict[str, Any]:
    """Return a point's analyzer entries with each table's file name (a run folder's ``analyzer_<name>.csv``, which
    a sweep does not write: one per point would grow with the grid) replaced by ``None`` and a note saying so."""
    from analyzers.plugins import table_file

    def entry(key: str, v: Any) -> Any:
        if isinstance(v, dict) and set(v) == {"table", "rows"} and v["table"] == table_file(key):
            return {"rows": v["rows"], "table": None, "note": TABLE_NOT_KEPT.format(file=v["table"])}
        return v

    return {k: entry(k, v) for k, v in entries.items()}


def bar_days(daily) -> np.ndarray:
    return np.array(daily.index, dtype="datetime64[D]")


def _split_index(days: np.ndarray, in_sample_end: dt.date) -> int:
    """Return the number of ``days`` (datetime64[D], ascending) on or before ``in_sample_end``."""
    return int(np.searchsorted(days, np.datetime64(in_sample_end), "right"))


def evaluation_returns(days: np.ndarray, in_sample_end: dt.date | None, nav: np.ndarray) -> np.ndarray:
    """Return the daily NAV returns a point is chosen on: in sample when split, else the whole window.

    ``nav`` is the run's valid NAV span (shorter than ``days`` after a ruin): returns are 0 after its end.
    """
    r = np.zeros(len(days) - 1)
    r[:len(nav) - 1] = nav[1:] / nav[:-1] - 1.0
    if in_sample_end is not None:
        r = r[: _split_index(days, in_sample_end) - 1]
    return r


def point_metrics(daily, layers: int, a: C.AnalysisConfig, in_sample_end: dt.date | None, market: Market,
                  ruin: dict | None = None, *, cash: float) -> dict[str, Any]:
    """Return a point's result metrics (whole window, IS/OOS sides when split) and its evaluation returns.

    Metrics are computed on the valid span (to the ruin day, NAV 0 on it); ``ruined`` says whether the point was
    ruined and ``ruin_date`` on which day ("" when not); a ruined point is never ranked best. ``cash``: the run's
    initial cash (``run.initial_cash_usd``: capital_needed_usd is it less the lowest excess liquidity).
    """
    from vixhedge.run import lowest_excess, valid_nav

    days = bar_days(daily)
    capped, called = (np.isin(days, np.array(sorted(daily.attrs[k]), dtype="datetime64[D]"))
                      for k in ("cap_days", "call_days"))
    return metrics_row(valid_nav(daily, ruin), daily["hedge_pnl_usd"].to_numpy(), daily["condor_pnl_usd"].to_numpy(),
                       days, layers, a, in_sample_end, market, ruin["date"] if ruin else "",
                       margin=daily["margin_usd"].to_numpy(), capped=capped, called=called,
                       excess=lowest_excess(daily, days), cash=cash,
                       causes=[daily[c].to_numpy() for c in CAUSE_FIELDS])


def metrics_row(nav: np.ndarray, hedge_pnl: np.ndarray, condor_pnl: np.ndarray, days: np.ndarray, layers: int,
                a: C.AnalysisConfig, in_sample_end: dt.date | None, market: Market, ruined: str = "", *,
                margin: np.ndarray, capped: np.ndarray, called: np.ndarray, excess: np.ndarray,
                cash: float, causes: list[np.ndarray]) -> dict[str, Any]:
    """:func:`point_metrics` of arrays: the valid NAV span, the daily hedge and condor P&L, the days of the window,
    the day-end maintenance requirement, whether a capital cap cut an order and whether the session opened with a
    margin call, and the day's lowest excess liquidity (:func:`vixhedge.run.lowest_excess`), day by day (``capped``,
    ``called``: read on the valid span less a ruin day, on which nothing trades: its breach is the ruin, not a margin
    call;
    ``margin`` and ``excess`` on the valid span, as metrics.json's: a ruin day's check is its breach, its end the
    closed account's, requirement 0), the initial ``cash`` and the hedge's P&L by cause day by day (``causes``, in
    :data:`CAUSE_FIELDS`' order: each summed over the valid span, as the hedge cost)."""
    from analyzers import metrics as M
    from vixhedge.run import risk_free_returns

    hedge, condor = hedge_pnl[:len(nav)], condor_pnl[:len(nav)]
    margin, excess = margin[:len(nav)], excess[:len(nav)]
    capped, called = (x[:len(nav) - 1 if ruined else len(nav)] for x in (capped, called))
    rf = risk_free_returns(a, market, days)  # datetime64[D]: Market.cash_returns' vectorised path
    growth = M.cash_growth(market.cash_returns(days))[:len(nav)]  # (the capital needed's: RS40 M1)
    row: dict[str, Any] = dict(_window_metrics(nav, hedge, condor, rf, a))
    row.update({c: float(x[:len(nav)].sum()) + 0.0 for c, x in zip(CAUSE_FIELDS, causes, strict=True)})
    row["hedge_layers"] = layers
    row["ruined"] = bool(ruined)
    row["ruin_date"] = ruined
    row.update(_capital_metrics(nav, margin, capped, called, excess, cash, growth))
    row[RETURNS_KEY] = evaluation_returns(days, in_sample_end, nav)
    if in_sample_end is not None:
        cut = _split_index(days, in_sample_end)
        # the out-of-sample NAV starts on the last in-sample day (its first return is the next day's); its hedge
        # and condor P&L start the day after, so the two sides' figures add up to the whole window's
        for tag, sl, days_sl in (("is", slice(0, cut), slice(0, cut)),
                                 ("oos", slice(max(cut - 1, 0), None), slice(cut, None))):
            # a point ruined in sample has no out-of-sample span: its out-of-sample metrics are NaN
            m = (_window_metrics(nav[sl], hedge[days_sl], condor[days_sl], rf[sl], a) if len(nav[sl])
                 else dict.fromkeys(SIDE_METRICS, math.nan))
            row.update({f"{tag}_{k}": m[k] for k in SIDE_METRICS})
        for tag, sl in (("is", slice(0, cut)), ("oos", slice(cut, None))):  # each side's own days (as the P&L's)
            m = (_capital_metrics(nav[sl], margin[sl], capped[sl], called[sl], excess[sl], cash, growth[sl])
                 if len(nav[sl]) else dict.fromkeys(CAPITAL_METRICS, math.nan))
            row.update({f"{tag}_{k}": m[k] for k in CAPITAL_METRICS})
    return row
