"""A sweep does each piece of work once (review findings on measured waste): the summary runs the best point once,
the parent's warm-up run of the first point is its row, the spec is checked once and the folder locked once, the
API and the CLI share one override check; results.csv's condor P&L column."""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vixhedge import run as run_mod
from vixhedge import sweep as sw
from vixhedge.core import config as C

SPEC = """
[sweep]
name = "{name}"
workers = 1
{extra}
[base]
run = {{ start = 2016-06-01, end = 2016-12-30 }}

[grid]
{grid}
"""


def spec_of(tmp_path: Path, grid: str = '"hedge.macd.fast" = [8, 12]', extra: str = "", name: str = "w"):
    p = tmp_path / f"{name}.toml"
    p.write_text(SPEC.format(name=name, extra=extra, grid=grid))
    return sw.load_spec(p)


@pytest.fixture(scope="module")
def market():
    from feeds.market import build_market

    return build_market(C.MarketConfig())


def _counting(monkeypatch, name: str) -> list:
    """Record the config of every call of vixhedge.run.<name> (the functions the sweep imports where it runs)."""
    calls, real = [], getattr(run_mod, name)

    def counted(cfg, *args, **kwargs):
        calls.append(cfg)
        return real(cfg, *args, **kwargs)

    monkeypatch.setattr(run_mod, name, counted)
    return calls


@pytest.mark.parametrize("kernel", ["auto", "off"])
def test_the_summary_runs_the_best_point_once(tmp_path: Path, market, monkeypatch, kernel) -> None:
    """Finding 1: the summary ran the best point twice with a split (run_backtest for its data provenance, then
    daily_book for its in-sample returns); now once, its one run giving both. The deflated Sharpe ratio is the
    one the second run gave, to the last bit (on the kernel too, whose returns.bin records are not: 1e-15 off)."""
    spec = spec_of(tmp_path, extra=f'in_sample_end = 2016-09-30\nkernel = "{kernel}"')
    results = sw.run_sweep(spec, tmp_path / "out", market, progress=False)
    backtests, books = _counting(monkeypatch, "run_backtest"), _counting(monkeypatch, "daily_book")
    summary = sw.summarize(results, spec, market)
    monkeypatch.undo()
    best = next(p for p in sw.iter_points(spec) if isinstance(p, sw.Point) and p.key == summary["best"]["point"])
    assert [c.hedge.mode.value for c in books] == ["none", "static"]  # the two baselines only (static: session 14)
    assert backtests == [best.config]  # the best point: once
    # the deflated Sharpe ratio as the summary computed it before, from a daily_book run of the best point
    from vixhedge.sweep_metrics import bar_days, evaluation_returns
    from vixhedge.sweep_summary import deflated_sharpe, distinct_results

    d, _ = run_mod.daily_book(best.config, market)
    is_r = evaluation_returns(bar_days(d), spec.in_sample_end, run_mod.valid_nav(d, d.attrs.get("ruin")))
    is_r = is_r - run_mod.risk_free_returns(best.config.analysis, market, list(d.index))[:len(is_r)]
    trials = distinct_results(pd.read_csv(results))["is_sharpe"].to_numpy()
    trials = trials / math.sqrt(spec.base.analysis.periods_per_year)
    assert summary["deflated_sharpe_ratio"] == deflated_sharpe(is_r, trials[np.isfinite(trials)])
    assert summary["market"]["prices_counted"] > 0


def test_the_first_point_warmed_in_the_parent_is_not_run_again(tmp_path: Path, market, monkeypatch) -> None:
    """Finding 2: on the event path the parent ran the first point in full to fill the market's quote caches, then
    a worker ran it again; now the parent's run is the point's row (its path recorded, every row as before)."""
    spec = spec_of(tmp_path, grid='"hedge.macd.fast" = [8, 12, 16]', extra='kernel = "off"')
    points = [p for p in sw.iter_points(spec) if isinstance(p, sw.Point)]
    books = _counting(monkeypatch, "daily_book")
    results = sw.run_sweep(spec, tmp_path / "out", market, progress=False)
    assert books == [p.config for p in points]  # each point once, the first (the parent's) first
    df = pd.read_csv(results)
    assert list(df["point"]) == [p.key for p in points]
    paths = pd.read_csv(tmp_path / "out" / "paths.csv")
    assert list(paths["point"]) == [p.key for p in points] and set(paths["reason"]) == {"sweep.kernel = 'off'"}
    monkeypatch.undo()  # the same rows as each point run alone
    assert list(df["sharpe"]) == [float(f"{sw.run_point(p, market, None)['sharpe']:.10g}") for p in points]


def test_a_sweep_checks_its_spec_once_and_takes_its_folder_lock_once(tmp_path: Path, monkeypatch) -> None:
    """Finding 3: one `vixhedge sweep` ran preflight three times (write_sweep_folder, run_and_summarize, _sweep),
    each walking the grid to its first valid point, and took the folder's lock nested; now once each, on every
    entry point (the command, run_and_summarize, run_sweep)."""
    from vixhedge import sweepio
    from vixhedge.cli import main

    calls = {"preflight": 0, "lock": 0}
    preflight, lock = sw.preflight, sweepio.output_lock

    def counted_preflight(*a):
        calls["preflight"] += 1
        return preflight(*a)

    def counted_lock(*a):
        calls["lock"] += 1
        return lock(*a)

    monkeypatch.setattr(sw, "preflight", counted_preflight)
    monkeypatch.setattr(sw, "output_lock", counted_lock)
    monkeypatch.setattr(sweepio, "output_lock", counted_lock)
    spec_file = tmp_path / "w.toml"
    spec_file.write_text(SPEC.format(name="w", extra="", grid='"hedge.macd.fast" = [8, 12]'))
    assert main(["sweep", str(spec_file), "--out", str(tmp_path / "cli"), "--quiet"]) == 0
    assert calls == {"preflight": 1, "lock": 1}
    spec = sw.load_spec(spec_file)
    for run in (sw.run_and_summarize, sw.run_sweep):
        calls.update(preflight=0, lock=0)
        run(spec, tmp_path / run.__name__, progress=False)
        assert calls == {"preflight": 1, "lock": 1}, run.__name__
    # a grid above sweep.max_points is refused by the same check, counted before it is walked, the folder untouched
    big = dataclasses.replace(spec, max_points=1)
    with pytest.raises(C.ConfigError, match=r"^sweep 'w': the grid has 2 points .* above sweep.max_points = 1"):
        sw.run_sweep(big, tmp_path / "big", progress=False)
    assert not (tmp_path / "big").exists()


@pytest.mark.parametrize("kwargs, api_line, cli_args, cli_line", [
    ({"workers": -1}, "run_sweep: workers = -1 is invalid: use 0 (all cores) or more",
     ["--workers", "-1"], "--workers -1 is invalid: use 0 (all cores) or more"),
    ({"kernel": "on"}, "run_sweep: kernel = 'on' is invalid: use 'auto'",
     ["--kernel", "on"], "--kernel = 'on' is invalid: use 'auto'"),
    ({"engine": "zipline"}, "run_sweep: engine = 'zipline' is not known: use one of ['backtrader', 'fast']",
     None, None),
    ({"workers": 2.5}, "run_sweep: workers = 2.5 is invalid: use 0 (all cores) or more", None, None),
    ({}, None, ["--scheduler", "smtp://x"], "--scheduler = 'smtp://x' is invalid: use 'local'"),
], ids=["workers", "kernel", "engine", "workers-type", "scheduler"])
def test_the_api_and_the_command_check_their_overrides_with_one_helper(tmp_path: Path, monkeypatch, capsys, kwargs,
                                                                       api_line, cli_args, cli_line) -> None:
    """Finding 4: api.run_sweep and `vixhedge sweep` each checked workers / engine / kernel themselves; now both call
    sweep_keys.with_overrides, the name passed in: the same one-line messages as before, nothing written."""
    from vixhedge import api
    from vixhedge import sweep_keys
    from vixhedge.cli import main

    spec_file = tmp_path / "w.toml"
    spec_file.write_text(SPEC.format(name="w", extra="", grid='"hedge.macd.fast" = [8, 12]'))
    seen = []
    real = sweep_keys.with_overrides
    monkeypatch.setattr(sw, "with_overrides", lambda spec, label, **kw: seen.append(label) or real(spec, label, **kw))
    if api_line:
        with pytest.raises(C.ConfigError) as err:
            api.run_sweep(spec_file, tmp_path / "api", progress=False, **kwargs)
        assert str(err.value).startswith(api_line) and "\n" not in str(err.value)
        assert seen == ["run_sweep"]
    if cli_args:
        assert main(["sweep", str(spec_file), "--out", str(tmp_path / "cli"), "--quiet", *cli_args]) == 2
        err_lines = capsys.readouterr().err.strip().splitlines()
        assert len(err_lines) == 1 and err_lines[0].startswith(f"vixhedge: {cli_line}"), err_lines
        assert seen[-1] == "--"
    assert not (tmp_path / "api").exists() and not (tmp_path / "cli").exists()
    spec = sw.load_spec(spec_file)
    assert real(spec, "--") is spec  # nothing given: the spec as it is
    assert real(spec, "run_sweep", workers=0, engine="backtrader", kernel="off") == dataclasses.replace(
        spec, workers=0, engine="backtrader", kernel="off")
