"""What the notebook API's writers and figures read of the frames they are given, checked before any work (trial API31
M3): a frame edited by hand (a column dropped, ``daily.reset_index()``, an empty ``daily``, ``attribution=None``)
raised a KeyError from pandas, a numpy or matplotlib ValueError or an AttributeError from deep inside, and
``write_run`` left an empty runs folder behind, or named its temporary folder in a fix.

One checker (:func:`check_frames`) over tables of needs: :data:`FIGURES` (each ``fig_*`` of a run), :data:`RUN` and
:data:`METRICS_READ` (``write_run``: what its files, figures and report read), :data:`OVERLAY`, :data:`PAIRED` and
:func:`heatmap` (compare's and sweep's figures). Each refusal is one :class:`~vixhedge.api_args.ArgumentError` line
naming the function, the frame and the column, and the fix. The columns are the ones the code reads without a
guard (found by dropping each column of a default run's frames in turn, 2026-12-07); one read only where present
(``margin_usd``, ``vega_drift_usd``, the break-evens) is not required.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

NUMBERS, DATES, TEXT = "numbers", "dates", "text"


@dataclass(frozen=True)
class Needs:
    """What a function reads of one frame: its ``columns`` by kind (:data:`NUMBERS`, :data:`DATES`, :data:`TEXT`);
    ``dated``: indexed by the run's days (a DatetimeIndex, as every run frame is); ``rows``: it must hold a row (else
    its columns are read only where it has rows: a run folder's empty layers.csv reads back with no column);
    ``optional``: None is taken (trades: without fills the hedge book's panel counts each layer at entry)."""

    columns: Mapping[str, str] = field(default_factory=dict)
    dated: bool = True
    rows: bool = True
    optional: bool = False  # None is taken (a folder or frames without it: the figure draws without it)


def numbers(*names: str) -> dict[str, str]:
    return dict.fromkeys(names, NUMBERS)


EQUITY = numbers("nav_usd", "condor_value_usd", "hedge_value_usd", "drawdown")
MACD = numbers("vix_close", "vx_signal_series", "macd", "macd_signal", "macd_hist")
VEGA = numbers("condor_vega_usd", "hedge_vega_usd", "net_vega_usd", "hedge_ratio", "net_vega_band_low_usd",
               "net_vega_band_high_usd")
LAYERS = Needs({"layer_id": NUMBERS, "instrument": TEXT, "entry_date": DATES, "exit_date": DATES,
                "contracts": NUMBERS}, dated=False, rows=False)
TRADES = Needs({"component": TEXT, "symbol": TEXT, "expiry": DATES, "qty": NUMBERS}, rows=False)
#: what fig_vx_macd reads of layers without fills (run_figure_book.mark_layers; layer_contracts counts a layer only
#: where it has ``contracts``, by ``layer_id`` only beside fills): frames made by hand draw (tests/.../test_run_figures)
MARKED = Needs({"entry_date": DATES, "exit_date": DATES}, dated=False, rows=False)
#: a run's figures (vixhedge.run_figures): by function, the frames each reads
FIGURES: dict[str, dict[str, Needs]] = {
    "fig_equity": {"daily": Needs(EQUITY)},
    "fig_attribution": {"daily": Needs(), "attribution": Needs(numbers("total_pnl_usd"))},
    "fig_vx_macd": {"daily": Needs(MACD), "layers": MARKED, "trades": Needs(TRADES.columns, rows=False, optional=True)},
    "fig_vega": {"daily": Needs(VEGA)},
    "fig_condor": {"daily": Needs(numbers("spx_close"))},
    "fig_benchmark": {"daily": Needs(numbers("nav_usd")),  # a RunFiles' benchmark.csv (a RunResult: made from daily)
                      "benchmark": Needs(numbers("nav_usd", "spx_tr_nav_usd", "no_hedge_nav_usd"), optional=True)},
}
#: what write_run reads of a RunResult's frames: its figures' and its report's (vixhedge.html, report_sections)
RUN: dict[str, Needs] = {
    "daily": Needs({**EQUITY, **MACD, **VEGA, **numbers("hedge_pnl_usd", "spx_close", "hedge_layers")}),
    "attribution": Needs(numbers("total_pnl_usd")), "trades": TRADES, "layers": LAYERS,
    "condors": Needs(dated=False, rows=False), "signals_log": Needs(rows=False), "capital_cuts": Needs(rows=False)}
#: the metrics.json keys write_run's report reads, by section (macd_warmup's only where the run has one)
METRICS_READ: dict[str, tuple[str, ...]] = {
    "performance": ("start_nav_usd", "end_nav_usd", "total_return", "cagr", "ann_vol", "sharpe", "sortino",
                    "max_drawdown", "calmar", "cvar_95", "worst_day"),
    "hedge_cost": ("futures_pnl_usd", "settlement_usd", "fees_usd", "open_marks_usd", "net_pnl_usd", "net_cost_usd",
                   "roll_pnl_usd", "signal_exit_pnl_usd", "settled_pnl_usd", "open_pnl_usd", "vx_roll_carry_usd",
                   "stress_pnl_usd", "vx_vix_move_usd", "condor_credit_usd", "net_cost_usd_per_year",
                   "vx_roll_carry_usd_per_year", "vx_carry_usd_per_year", "cost_pct_of_condor_credit", "stress_days",
                   "stress_rule", "condor_stress_pnl_usd", "layers_opened", "contracts_opened", "contract_sessions",
                   "mean_sessions_held", "net_cost_per_contract_session_usd"),
    "vega_drift": (),  # (its keys, and condor_trades', are those of a run with condors: without, one count)
    "counts": ("days", "condors", "hedge_layers"),
    "capital": ("return_on_margin", "return_on_margin_annual", "mean_margin_usd", "peak_margin_utilisation",
                "mean_margin_utilisation", "peak_gross_leverage", "mean_gross_leverage", "peak_max_loss_to_nav",
                "mean_max_loss_to_nav", "days_constrained_by_buying_power", "days_cut_by_capital_caps",
                "peak_margin_usd", "peak_margin_per_condor_usd", "min_excess_liquidity_usd"),
    "condor_trades": (),
    "data_provenance": ("marks", "fills", "rests_on_model", "verdict"),
}
OPTIONAL_SECTIONS = {"macd_warmup": ("history_sessions", "settled_sessions")}
#: compare's overlay (each mode's run), its paired CIs, and a sweep's heatmap (the metric ranked by added)
OVERLAY = {"daily": Needs(numbers("nav_usd", "drawdown", "hedge_value_usd"))}
PAIRED = {"paired": Needs({"mode": TEXT, "stat": TEXT, "diff": NUMBERS, "ci_low": NUMBERS, "ci_high": NUMBERS},
                          dated=False)}


def heatmap(*metrics: str) -> dict[str, Needs]:
    """A sweep heatmap's needs: results.csv's ``point``, the metrics it draws and its first metric column (the swept
    keys are the columns between them)."""
    return {"results": Needs({"point": TEXT, **numbers(*metrics)}, dated=False)}


#: what to pass instead, by the argument's name
SOURCES = {"files": "a run as run_backtest returned it or load_run read it",
           "result": "the RunResult run_backtest returned", "cmp": "the Comparison compare returned",
           "sweep": "the SweepResult run_sweep returned"}


def _is(kind: str, dtype: Any) -> bool:
    if kind == NUMBERS:
        return pd.api.types.is_numeric_dtype(dtype)
    if kind == DATES:
        return pd.api.types.is_datetime64_any_dtype(dtype)
    return pd.api.types.is_string_dtype(dtype) or pd.api.types.is_object_dtype(dtype)


def check_frames(owner: Any, where: str, needs: Mapping[str, Needs], name: str, given: str | None = None) -> None:
    """Raise one ArgumentError line when a frame of ``owner`` (named ``name``: ``files``, ``result``, ...; of the
    argument ``given``, by default ``name``) is not what ``needs`` says ``where`` reads: not a DataFrame, not indexed
    by the run's days, without rows, a column missing or of another kind. An attribute ``owner`` has not (a
    RunResult's ``benchmark``), or None where its need is ``optional``, is not checked."""
    from vixhedge.api_args import ArgumentError, a_type

    fix = f"pass {SOURCES.get(given or name, 'what the API returned')}, its frames as they were (edit a copy)"
    for attr, need in needs.items():
        frame = getattr(owner, attr, _ABSENT)
        if frame is _ABSENT or frame is None and need.optional:  # (fig_benchmark says a folder has no benchmark.csv)
            continue
        label = f"{where}: {name}.{attr}"
        if not isinstance(frame, pd.DataFrame):
            raise ArgumentError(f"{label} is {a_type(frame)}, not a DataFrame: {fix}")
        if need.dated and not isinstance(frame.index, pd.DatetimeIndex):
            undo = " (after reset_index(): set_index(\"date\"))" if "date" in frame.columns else ""
            raise ArgumentError(f"{label} is indexed by a {type(frame.index).__name__}, not by date (a "
                                f"DatetimeIndex){undo}: {fix}")
        if need.rows and not len(frame):
            raise ArgumentError(f"{label} has no rows: nothing to {'write' if name == 'result' else 'draw'}; {fix}")
        if not len(frame) and not need.rows:
            continue
        missing = [c for c in need.columns if c not in frame.columns]
        if missing:
            raise ArgumentError(f"{label} lacks the column{'s' if len(missing) > 1 else ''} {', '.join(missing)}, "
                                f"which {where} reads: {fix}")
        for col, kind in need.columns.items():
            if not _is(kind, frame[col].dtype):
                raise ArgumentError(f"{label}[{col!r}] holds {frame[col].dtype}, not {kind}: {fix}")


_ABSENT = object()


def _is_result(value: Any) -> bool:
    from vixhedge.run import RunResult  # (imported only when it is no RunFiles: `vixhedge report` needs no run)

    return isinstance(value, RunResult)


def run_files(files: Any, where: str) -> Any:
    """Return what the run figure ``where`` draws: a run folder read back (RunFiles) or a RunResult as given, a run
    folder's path (a str or Path) read back (:func:`vixhedge.runfolder.load_run`), its frames checked
    (:data:`FIGURES`); anything else (a run's table, a Config) is one ArgumentError line naming ``files``, before any
    drawing."""
    from pathlib import Path

    from vixhedge.api_args import ArgumentError, a_type
    from vixhedge.runfolder import RunFiles, load_run

    if isinstance(files, (str, Path)) and str(files):
        files = load_run(files)
    if not isinstance(files, RunFiles) and not _is_result(files):
        raise ArgumentError(f"{where}: files is {a_type(files)}, not a run: pass a RunResult (run_backtest), a run "
                            "folder read back (load_run) or a run folder's path, e.g. \"runs/<run-id>\"")
    needs = FIGURES[where]
    if where == "fig_benchmark" and getattr(files, "benchmark", None) is not None:  # benchmark.csv's NAV is drawn,
        needs = {**needs, "daily": Needs()}  # not daily's (a RunResult's benchmark is made from daily)
    check_frames(files, where, needs, "files")
    return files


def check_run(result: Any, where: str) -> None:
    """:func:`check_frames` of what ``write_run`` writes and reads (:data:`RUN`), then its metrics
    (:data:`METRICS_READ`) and that ``daily`` holds the days they count, each with a NAV (else its folder would read
    back "damaged", naming the temporary folder it was built in)."""
    from vixhedge.api_args import ArgumentError, a_type

    check_frames(result, where, RUN, "result")
    fix = f"pass {SOURCES['result']}, its metrics and frames as they were (edit a copy)"
    m = result.metrics
    if not isinstance(m, dict):
        raise ArgumentError(f"{where}: result.metrics is {a_type(m)}, not a dict: {fix}")
    for section, keys in {**METRICS_READ, **{k: v for k, v in OPTIONAL_SECTIONS.items() if k in m}}.items():
        table = m.get(section)
        if not isinstance(table, dict):
            what = f"has no {section!r} table" if section not in m else f"[{section!r}] is {a_type(table)}, not a dict"
            some = f" ({', '.join(keys[:3])}, ...)" if keys else ""
            raise ArgumentError(f"{where}: result.metrics {what}{some}, which the run's report reads: {fix}")
        lacks = [k for k in keys if k not in table]
        if lacks:
            raise ArgumentError(f"{where}: result.metrics[{section!r}] lacks {', '.join(lacks[:3])}"
                                f"{f' and {len(lacks) - 3} more' if len(lacks) > 3 else ''}, which the run's report "
                                f"reads: {fix}")
    days, nav = m["counts"]["days"], result.daily["nav_usd"]
    if len(result.daily) != days or nav.isna().any():
        raise ArgumentError(f"{where}: result.daily holds {len(result.daily)} days ({int(nav.isna().sum())} without "
                            f"a NAV) where result.metrics counts {days} (counts.days), each with its NAV: another "
                            f"window is another run (replace_config(cfg, run={{...}}), then run_backtest); {fix}")
