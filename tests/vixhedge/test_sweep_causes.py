"""A sweep row's hedge P&L by cause (results.csv ``hedge_vx_carry_usd``, ``hedge_vx_vix_move_usd``,
``hedge_option_marks_usd``, ``hedge_fills_vs_mid_usd``: README *Hedge cost* (4), compare's keys of the same names).

Each is the point's `vixhedge run` daily.csv column of the same name summed over its valid span, on both sweep paths:
the event path (``run.daily_book``'s CarryTracker) and the all-points kernel (``KernelDesk.overnight``: the numpy book
and the compiled one). Fees apart, the four sum to minus ``hedge_cost_usd``. metrics.json's ``hedge_cost`` totals are
the sums of each layer's figure rounded to the cent, so a row is within half a cent per layer of them.
"""

import datetime as dt
import hashlib

import pytest

from feeds.market import build_market
from vixhedge import kernel as K
from vixhedge import kernel_jit as J
from vixhedge import sweep as sw
from vixhedge.core import config as C
from vixhedge.run import run_backtest
from vixhedge.sweep_metrics import CAUSE_FIELDS, run_point

WINDOW = {"start": "2015-06-01", "end": "2016-03-31"}  # tests/vixhedge/test_kernel.py's: the August 2015 VIX spike
SPLIT = dt.date(2015, 12, 31)
# the point's `vixhedge run` daily.csv columns summed over WINDOW (measured 2026-12-06 on the embedded market): carry,
# VIX move, option marks, fills against mid; the hedge cost (metrics.json hedge_cost net_cost_usd + fees_usd)
CASES = {
    "vx_future": ({}, (5736.37, -4473.08, 0.0, -1913.29), 650.0),  # the default: VX-future layers, rolled
    "vx_settled": ({"hedge": {"roll_days": 0, "tenor_months": 1}}, (4899.65, -9336.76, 0.0, -1702.90), 6140.0),
    "call_spread": ({"hedge": {"instrument": "vix_call_spread"}}, (0.0, 0.0, 723.72, -973.72), 250.0),
    "vxth": ({"hedge": {"mode": "vxth"}}, (0.0, 0.0, -18314.82, -4605.35), 22920.17),  # calls held to settlement
}


@pytest.fixture(scope="module")
def market():
    return build_market(C.MarketConfig())


def _point(overrides: dict) -> sw.Point:
    cfg = C.replace(C.load_default(), run=WINDOW, **overrides)
    return sw.Point(hashlib.sha256(C.to_toml(cfg).encode()).hexdigest()[:16], {}, cfg)


@pytest.mark.parametrize("book", ["compiled", "numpy"])
@pytest.mark.parametrize("case", list(CASES))
def test_both_sweep_paths_give_the_runs_causes(market, monkeypatch, case, book):
    """The kernel's row (the compiled book where it covers the point: VX-future layers rolled before settlement;
    else, and with ``VIXHEDGE_KERNEL=numpy``, the numpy book) and the event path's row give each cause as the run's
    daily.csv column summed (1e-6 USD), within half a cent per layer of metrics.json's total, and the four sum to
    minus hedge_cost_usd."""
    if book == "numpy":
        monkeypatch.setenv(J.ENV, "numpy")
    elif J.numba is None:
        pytest.skip("numba is not installed (the compiled book)")
    overrides, measured, cost = CASES[case]
    p = _point(overrides)
    assert K.runs_compiled(p.config) == (book == "compiled" and case == "vx_future")
    rows, back = K.run_points([p], market, SPLIT)
    assert back == []
    kernel, event = rows[0], run_point(p, market, SPLIT)
    res = run_backtest(p.config, market)
    h, layers = res.metrics["hedge_cost"], len(res.metrics["hedge_cost_layers"])
    for col, figure in zip(CAUSE_FIELDS, measured, strict=True):
        daily = float(res.daily[col].sum())
        assert kernel[col] == pytest.approx(daily, abs=1e-6), col
        assert event[col] == pytest.approx(daily, abs=1e-6), col
        assert abs(kernel[col] - h[col.removeprefix("hedge_")]) <= 0.005 * layers + 1e-9, col
        assert round(kernel[col], 2) == pytest.approx(figure, abs=0.005), col
    for row in (kernel, event):
        assert sum(row[c] for c in CAUSE_FIELDS) == pytest.approx(-row["hedge_cost_usd"], abs=1e-6)
        assert row["hedge_cost_usd"] == pytest.approx(cost, abs=0.01)

