"""Ruined runs in compare and sweep: flagged, metrics on the valid span, never ranked best.

A ruin is forced by draining the account on a chosen morning (the desk's cash is cut through a
negative interest accrual, as tests/strategies/test_capital.py does), only in runs holding hedge
layers, so ``none`` survives and ``alvh`` is ruined on the same market path.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge import sweep as sw
from vixhedge.compare import compare, format_comparison
from vixhedge.core.desk import Desk

WINDOW = {"start": "2015-06-01", "end": "2015-12-31"}
RUIN_FROM = dt.date(2015, 9, 1)


@pytest.fixture(scope="module")
def market():
    return build_market(C.load_default().market)


@pytest.fixture
def ruin_hedged(monkeypatch):
    real_open = Desk.open_day

    def open_day(self: Desk, i: int) -> None:  # wipe out an account holding hedge layers, from RUIN_FROM on
        real_open(self, i)
        if self.today >= RUIN_FROM and self.ledger.positions_of("hedge") and self.ledger.nav > 0:
            self.ledger.accrue_interest(self.today, -2.0 * 365.0, 1)

    monkeypatch.setattr(Desk, "open_day", open_day)


def test_compare_flags_the_ruined_mode(market, ruin_hedged):
    cmp = compare(C.replace(C.load_default(), run=WINDOW), market, modes=("none", "alvh"), n_boot=100)
    assert cmp.table.loc["ruined", "alvh"] == 1.0 and cmp.table.loc["ruined", "none"] == 0.0
    ruin = cmp.results["alvh"].metrics["ruin"]
    assert ruin is not None and ruin["date"] >= RUIN_FROM.isoformat()
    n = len(cmp.results["alvh"].daily) - 1  # the ruin day's -100% return is one of the floor(5% n) worst
    assert cmp.table.loc["cvar95", "alvh"] >= 1.0 / (n // 20) > cmp.table.loc["cvar95", "none"]
    assert f"RUINED: alvh on {ruin['date']}" in format_comparison(cmp)


def test_sweep_marks_ruined_points_and_never_ranks_them_best(tmp_path, market, ruin_hedged):
    base = C.replace(C.load_default(), run=WINDOW)
    spec = sw.SweepSpec(name="t", base=base, grid={"hedge.mode": ["none", "alvh"]})
    points, _ = sw.expand(spec)
    rows = {p.params["hedge.mode"]: sw.run_point(p, market, None) for p in points}
    assert rows["none"]["ruined"] is False and rows["none"]["ruin_date"] == ""
    assert rows["alvh"]["ruined"] is True and rows["alvh"]["ruin_date"] >= RUIN_FROM.isoformat()
    assert rows["alvh"]["end_nav_usd"] == 0.0  # metrics on the valid span: NAV 0 on the ruin day
    rows["alvh"]["sharpe"] = 99.0  # even with the best Sharpe, a ruined point is not ranked
    results = tmp_path / "results.csv"
    pd.DataFrame(rows.values()).to_csv(results, index=False)
    summary = sw.summarize(results, spec, market)
    assert summary["ruined"] == 1 and summary["best"]["hedge.mode"] == "none"
    pd.DataFrame([rows["alvh"]]).to_csv(results, index=False)
    assert sw.summarize(results, spec, market)["best"] is None


def test_engines_agree_on_a_ruined_run(market, ruin_hedged):
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run=WINDOW)
    fast, bt = (run_backtest(cfg, market, engine=e) for e in ("fast", "backtrader"))
    assert fast.metrics["ruin"] == bt.metrics["ruin"] is not None
    assert fast.metrics["performance"] == bt.metrics["performance"]
    assert fast.metrics["capital"] == bt.metrics["capital"]
    pd.testing.assert_frame_equal(fast.daily, bt.daily)
