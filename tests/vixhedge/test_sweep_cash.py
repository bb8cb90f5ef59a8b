"""A sweep over the starting cash (trial RS40 M3: the grid refused run.initial_cash_usd, so a capital study took 13
sweeps whose summaries could not be pooled). The cash changes no market and no window: it is the one [run] key a
grid takes, each value a book of its own (its baselines run at that cash)."""

from __future__ import annotations

import csv
import json

import pytest

from feeds.market import build_market
from vixhedge.api import run_sweep
from vixhedge.core import config as C
from vixhedge.run import run_backtest
from vixhedge.sweep_keys import check_grid_key

SPEC = """
[sweep]
name = "cash"

[base]
run = { start = 2015-06-01, end = 2015-12-31 }

[grid]
"run.initial_cash_usd" = [250000.0, 1000000.0]
"hedge.first_layer_contracts" = [1, 2]
"""


def test_a_grid_over_the_starting_cash_gives_each_point_its_own_runs_figures(tmp_path) -> None:
    """Each results.csv row is `vixhedge run` of its point (the cash and the layer size set): final NAV and capital
    needed to the row's 10 significant digits; the points fall in 2 books, one a cash level, and each is beside its
    own book's no-hedge baseline (its run at that cash)."""
    (tmp_path / "spec.toml").write_text(SPEC)
    out = tmp_path / "out"
    run_sweep(tmp_path / "spec.toml", out, progress=False)
    rows = list(csv.DictReader((out / "results.csv").read_text().splitlines()))
    assert sorted((float(r["run.initial_cash_usd"]), int(r["hedge.first_layer_contracts"])) for r in rows) == [
        (250000.0, 1), (250000.0, 2), (1000000.0, 1), (1000000.0, 2)]
    market = build_market(C.MarketConfig())
    base = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-12-31"})
    for r in rows:
        cfg = C.replace(base, run={"initial_cash_usd": float(r["run.initial_cash_usd"])},
                        hedge={"first_layer_contracts": int(r["hedge.first_layer_contracts"])})
        m = run_backtest(cfg, market).metrics
        for key, want in (("end_nav_usd", m["performance"]["end_nav_usd"]),
                          ("capital_needed_usd", m["capital"]["capital_needed_usd"])):
            assert r[key] == f"{want:.10g}", (key, r)
    books = json.loads((out / "summary.json").read_text())["books"]
    assert books["keys"] == ["run.initial_cash_usd"] and books["count"] == 2


@pytest.mark.parametrize("key", ["run.start", "run.seed", "market.source"])
def test_the_other_run_and_market_keys_stay_refused(key) -> None:
    """Only the cash: [run]'s other keys set the window every point shares, [market] the market."""
    with pytest.raises(C.ConfigError, match="cannot be swept"):
        check_grid_key(key, f"grid.{key}")


def test_no_best_point_says_why() -> None:
    """Trial RS40 L2: a $25k sweep of 3 points, all finished and none ruined (the caps cut every order, so no point
    traded and none had a Sharpe), read "no finished point, or every one ruined or without a score"."""
    from vixhedge.sweep_text import no_best_words

    assert no_best_words({"finished": 3, "ruined": 0, "rank_by": {"metric": "sharpe"}}) == (
        "none of the 3 finished points not ruined has a Sharpe to rank by: a point that never traded, or whose daily "
        "returns do not vary, has none; results.csv holds their figures")
    assert no_best_words({"finished": 0}) == "no point finished"
    assert no_best_words({"finished": 2, "ruined": 2}) == "every finished point was ruined"
