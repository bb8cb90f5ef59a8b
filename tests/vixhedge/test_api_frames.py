"""Frames edited by hand and passed back to the notebook API (trial API31 M3, /work/notes/api31_report.md; its script
/tmp/api31/bad/b5.py edited them with ``dataclasses.replace``): one ArgumentError line naming the function, the frame
and the column, checked before any work by one checker (vixhedge/frame_checks.py). The old code raised:

* ``fig_equity`` with ``nav_usd`` dropped: ``KeyError: 'nav_usd'`` from pandas (fig_vega, fig_benchmark alike);
  ``daily.reset_index()``: ``ValueError: Invalid format specifier '%Y-%m-%d' for object of type 'int'``; an empty
  daily: numpy's ``zero-size array to reduction operation minimum``; ``attribution=None``: an AttributeError;
* ``write_run`` with ``nav_usd`` dropped: a pandas KeyError, leaving an empty runs_dir; ``metrics={}``:
  ``KeyError: 'counts'`` (html.py); ``trades=None``: an AttributeError (csvout.py); ``nav_usd`` NaN or daily cut to
  75 rows: a RunFolderError naming the temporary folder, whose fix named that (gone) folder's config.toml;
* ``fig_paired`` of an empty ``paired``: matplotlib's ``Number of columns must be a positive integer``;
  ``fig_sweep_heatmap`` without ``sharpe``: ``ValueError: 'sharpe' is not in list``.

Every window is the trial's, 2015-06-01..2015-12-31 on the embedded market (150 sessions: its RunResult repr).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import vixhedge.api as api

FIX_RUN = "pass a run as run_backtest returned it or load_run read it, its frames as they were (edit a copy)"


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    cfg = api.replace_config(api.load_default_config(), run={"start": "2015-06-01", "end": "2015-12-31"})
    res = api.run_backtest(cfg)
    files = api.load_run(api.write_run(res, tmp_path_factory.mktemp("frames") / "runs"))
    return res, files


def _edit(obj, **frames):
    return dataclasses.replace(obj, **frames)


FIGURE_CASES = [  # (figure, the edit of the folder read back, the line's start)
    ("fig_equity", lambda f: _edit(f, daily=f.daily.drop(columns="nav_usd")),
     "fig_equity: files.daily lacks the column nav_usd, which fig_equity reads: " + FIX_RUN),
    ("fig_vega", lambda f: _edit(f, daily=f.daily.drop(columns=["hedge_ratio", "net_vega_usd"])),
     "fig_vega: files.daily lacks the columns net_vega_usd, hedge_ratio, which fig_vega reads"),
    ("fig_benchmark", lambda f: _edit(f, benchmark=f.benchmark.drop(columns="spx_tr_nav_usd")),
     "fig_benchmark: files.benchmark lacks the column spx_tr_nav_usd"),
    ("fig_equity", lambda f: _edit(f, daily=f.daily.reset_index()),
     "fig_equity: files.daily is indexed by a RangeIndex, not by date (a DatetimeIndex) (after reset_index(): "
     "set_index(\"date\"))"),
    ("fig_equity", lambda f: _edit(f, daily=f.daily.iloc[:0]), "fig_equity: files.daily has no rows: nothing to draw"),
    ("fig_attribution", lambda f: _edit(f, attribution=None),
     "fig_attribution: files.attribution is a NoneType, not a DataFrame"),
    ("fig_vx_macd", lambda f: _edit(f, daily=f.daily.astype({"macd": str})),
     "fig_vx_macd: files.daily['macd'] holds "),
    ("fig_vx_macd", lambda f: _edit(f, layers=f.layers.drop(columns="exit_date")),
     "fig_vx_macd: files.layers lacks the column exit_date"),
]


@pytest.mark.parametrize("name, edit, line", FIGURE_CASES)
def test_a_run_figure_of_frames_edited_by_hand_is_one_line(run, name, edit, line):
    with pytest.raises(api.ArgumentError) as err:
        getattr(api, name)(edit(run[1]))
    assert str(err.value).startswith(line) and "\n" not in str(err.value), str(err.value)


def test_a_run_figure_still_draws_a_run_and_a_folder_and_an_empty_layers_frame(run):
    res, files = run
    for name in ("fig_equity", "fig_attribution", "fig_vx_macd", "fig_vega"):
        assert getattr(api, name)(res).startswith("<svg ") and getattr(api, name)(files).startswith("<svg ")
    # a run without hedge layers reads back an empty layers.csv, without columns (runfolder._csv): not refused
    assert api.fig_vx_macd(_edit(files, layers=pd.DataFrame())).startswith("<svg ")


def test_every_daily_column_a_figure_does_not_list_can_be_dropped(run):
    """The needs are complete for the default run: a daily column outside a figure's list (frame_checks.FIGURES)
    never breaks it (a column it reads unguarded and not listed would raise a KeyError here)."""
    from vixhedge import frame_checks as F

    files = run[1]
    for name in ("fig_equity", "fig_attribution", "fig_vx_macd", "fig_vega", "fig_benchmark"):
        listed = set(F.FIGURES[name]["daily"].columns)
        extra = [c for c in files.daily.columns if c not in listed]
        assert getattr(api, name)(_edit(files, daily=files.daily[[c for c in files.daily.columns
                                                                  if c in listed]])).startswith("<svg "), extra


WRITE_CASES = [  # (the edit of the RunResult, the line's start)
    (lambda r: _edit(r, daily=r.daily.drop(columns="nav_usd")),
     "write_run: result.daily lacks the column nav_usd, which write_run reads: pass the RunResult run_backtest "
     "returned"),
    (lambda r: _edit(r, metrics={}), "write_run: result.metrics has no 'performance' table (start_nav_usd, "),
    (lambda r: _edit(r, metrics={**r.metrics, "counts": {"days": 150}}),
     "write_run: result.metrics['counts'] lacks condors, hedge_layers, which the run's report reads"),
    (lambda r: _edit(r, trades=None), "write_run: result.trades is a NoneType, not a DataFrame"),
    (lambda r: _edit(r, daily=r.daily.assign(nav_usd=np.nan)),
     "write_run: result.daily holds 150 days (150 without a NAV) where result.metrics counts 150 (counts.days)"),
    (lambda r: _edit(r, daily=r.daily.iloc[:75]),
     "write_run: result.daily holds 75 days (0 without a NAV) where result.metrics counts 150 (counts.days)"),
    (lambda r: _edit(r, daily=r.daily.reset_index()), "write_run: result.daily is indexed by a RangeIndex"),
    (lambda r: _edit(r, attribution=r.attribution.iloc[:0]), "write_run: result.attribution has no rows: nothing "
                                                              "to write"),
]


@pytest.mark.parametrize("edit, line", WRITE_CASES)
def test_write_run_of_frames_edited_by_hand_is_one_line_and_makes_no_folder(run, tmp_path, edit, line):
    runs = tmp_path / "runs"
    with pytest.raises(api.ArgumentError) as err:
        api.write_run(edit(run[0]), runs)
    text = str(err.value)
    assert text.startswith(line) and "\n" not in text and ".tmp-" not in text, text
    assert not runs.exists()  # (the old code left an empty runs_dir, or one holding nothing but a cleaned .tmp)


def test_the_run_checks_hold_for_every_built_in_hedge(run, tmp_path):
    """What write_run requires (frame_checks.RUN, METRICS_READ) is in every run of the built-in modes and the option
    layers, not the default's alone (a key read only where present would refuse a good run)."""
    from vixhedge import frame_checks as F

    base = run[0].config
    for change in ({"mode": "none"}, {"mode": "static"}, {"mode": "vxth"}, {"instrument": "vix_call_spread"}):
        F.check_run(api.run_backtest(api.replace_config(base, hedge=change)), "write_run")
    # without a condor (the session's CI: write_run refused a genuine run, its vega_drift and condor_trades one count)
    F.check_run(api.run_backtest(api.replace_config(base, condor={"enabled": False}, hedge={"require_condor": False})),
                "write_run")


def _comparison(res, paired):
    from vixhedge.compare import Comparison

    return Comparison(res.config, {"none": res, "alvh": res}, pd.DataFrame(), paired)


PAIRED = pd.DataFrame({"mode": ["alvh"], "baseline": ["none"], "stat": ["sharpe"], "diff": [0.1], "ci_low": [0.0],
                       "ci_high": [0.2]})


def test_compare_figures_of_frames_edited_by_hand_are_one_line(run):
    res = run[0]
    with pytest.raises(api.ArgumentError, match=r"^fig_paired: cmp\.paired has no rows: nothing to draw; pass the "
                                                 r"Comparison compare returned"):
        api.fig_paired(_comparison(res, PAIRED.iloc[:0]))
    with pytest.raises(api.ArgumentError, match=r"^fig_paired: cmp\.paired lacks the column stat, which fig_paired"):
        api.fig_paired(_comparison(res, PAIRED.drop(columns="stat")))
    cut = _edit(res, daily=res.daily.drop(columns="drawdown"))
    cmp = _comparison(res, PAIRED)
    with pytest.raises(api.ArgumentError, match=r"^fig_overlay: cmp\.results\['alvh'\]\.daily lacks the column "
                                                 r"drawdown, which fig_overlay reads: pass the Comparison compare"):
        api.fig_overlay(dataclasses.replace(cmp, results={"none": res, "alvh": cut}))
    assert api.fig_paired(cmp) is not None and api.fig_overlay(cmp) is not None


def _sweep(results: pd.DataFrame):
    return api.SweepResult(Path("runs/tiny-sweep"), {"best": {"point": "p1"}}, results, Path("report.html"))


RESULTS = pd.DataFrame({"point": ["p1", "p2"], "hedge.macd.fast": [8, 12], "hedge.macd.slow": [26, 26],
                        "sharpe": [0.1, 0.2], "hedge_cost_usd": [100.0, 200.0]})


@pytest.mark.parametrize("column", ["sharpe", "point", "hedge_cost_usd"])
def test_a_sweep_heatmap_of_results_edited_by_hand_is_one_line(column):
    with pytest.raises(api.ArgumentError, match=rf"^fig_sweep_heatmap: sweep\.results lacks the column {column}, "
                                                 r"which fig_sweep_heatmap reads: pass the SweepResult run_sweep"):
        api.fig_sweep_heatmap(_sweep(RESULTS.drop(columns=column)), "hedge.macd.fast", "hedge.macd.slow")
    with pytest.raises(api.ArgumentError, match=r"^fig_sweep_heatmap: sweep\.results is a NoneType, not a DataFrame"):
        api.fig_sweep_heatmap(_sweep(None), "hedge.macd.fast", "hedge.macd.slow")
