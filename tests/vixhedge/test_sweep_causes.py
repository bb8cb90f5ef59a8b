"""A sweep row's hedge P&L by cause (results.csv ``hedge_vx_carry_usd``, ``hedge_vx_vix_move_usd``,
``hedge_option_marks_usd``, ``hedge_fills_vs_mid_usd``: README *Hedge cost* (4), compare's keys of the same names).

Each is the point's `vixhedge run` daily.csv column of the same name summed over its valid span, on both sweep paths:
the event path (``run.daily_book``'s CarryTracker) and the all-points kernel (``KernelDesk.overnight``: the numpy book
and the compiled one). Fees apart, the four sum to minus ``hedge_cost_usd``. metrics.json's ``hedge_cost`` totals are
the sums of each layer's figure rounded to the cent, so a row is within half a cent per layer of them.
"""

import csv
import datetime as dt

import pytest

from tests.vixhedge.sweep_cases import write_spec
from tests.vixhedge.test_kernel import SPLIT, _point, market  # noqa: F401  (the module's market fixture)
from vixhedge import kernel as K
from vixhedge import kernel_jit as J
from vixhedge import sweep as sw
from vixhedge.run import run_backtest
from vixhedge.sweep_metrics import CAUSE_FIELDS, run_point
from vixhedge.sweep_text import cause_words

# the point's `vixhedge run` daily.csv columns summed over test_kernel.WINDOW (2015-06-01..2016-03-31) (measured
# 2026-12-06 on the embedded market): carry, VIX move, option marks, fills against mid; the hedge cost (metrics.json hedge_cost net_cost_usd + fees_usd)
CASES = {
    "vx_future": ({}, (5736.37, -4473.08, 0.0, -1913.29), 650.0),  # the default: VX-future layers, rolled
    "vx_settled": ({"hedge": {"roll_days": 0, "tenor_months": 1}}, (4899.65, -9336.76, 0.0, -1702.90), 6140.0),
    # (723.72, -973.72 before 2026-12-07: a close bringing nothing after fees now leaves its layer to expire)
    "call_spread": ({"hedge": {"instrument": "vix_call_spread"}}, (0.0, 0.0, 715.21, -965.21), 250.0),
    "vxth": ({"hedge": {"mode": "vxth"}}, (0.0, 0.0, -18314.82, -4605.35), 22920.17),  # calls held to settlement
}


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


def test_a_folder_from_before_the_causes_resumes_and_re_reports(tmp_path, capsys):
    """A results.csv written before the four cause columns (session 28's layout), its last point not run, resumes
    with its header, said in one line: the resumed row has no cause cell, as the rows before it (no blank read as
    0); its summary has no cause line and its page (written again by ``vixhedge report``) no cause row. A fresh
    folder's summary line and page give the best point's causes."""
    from vixhedge.cli import main

    spec = write_spec(tmp_path, fast="[8, 12]")
    out, results = tmp_path / "out", tmp_path / "out" / "results.csv"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0
    fresh = list(csv.reader(results.read_text().splitlines()))
    assert set(CAUSE_FIELDS) < set(fresh[0])
    summary = capsys.readouterr().out
    best = next(r for r in csv.DictReader(results.read_text().splitlines()) if r["point"] in summary)
    words = cause_words({k: float(best[k]) for k in CAUSE_FIELDS})
    assert f"hedge causes whole window: {words}" in summary and words.startswith("VX carry -$")
    page = (out / "report.html").read_text()
    assert "hedge P&amp;L: VIX move, whole window" in page
    # VX-future points and baselines: no VIX option held anywhere, no best-point row of $0 for their marks (review
    # 29; the table of every point keeps results.csv's columns)
    at = page.index("<h2>Best point")
    best_table = page[at:page.index("<h2>", at + 1)]
    assert float(best["hedge_option_marks_usd"]) == 0 and "hedge P&amp;L: VX carry" in best_table
    assert "hedge P&amp;L: VIX options&#x27; marks" not in best_table

    keep = [k for k, name in enumerate(fresh[0]) if name not in CAUSE_FIELDS]
    old = [[r[k] for k in keep] for r in fresh]
    with results.open("w", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(old[:-1])
    (out / "output_files.json").unlink()  # (an interrupted sweep has no record: sweep_claim.claim)
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0
    assert list(csv.reader(results.read_text().splitlines())) == old  # its header; the resumed row as fresh
    said = capsys.readouterr()
    assert said.err.count("was written before the hedge-by-cause columns (hedge_vx_carry_usd): it keeps its "
                          "header") == 1
    assert "hedge causes" not in said.out and "VX carry" not in said.out
    (out / "report.html").unlink()
    assert main(["report", str(out)]) == 0
    assert "hedge P&amp;L: VIX move" not in (out / "report.html").read_text()


def test_the_cause_words_leave_out_an_instrument_not_held():
    """The summary's line names the causes a point had (a VX-future point no option marks, an option point no VX
    carry or VIX move) and always the fills; their sum is minus the hedge cost (figures made up here)."""
    vx = dict(zip(CAUSE_FIELDS, (-5356.1, -7385.4, 0.0, -908.5)))
    assert cause_words(vx) == ("VX carry -$5,356, VIX move -$7,385, fills against mid -$909; sum -$13,650, the hedge "
                               "cost's negative (fees apart)")
    options = dict(zip(CAUSE_FIELDS, (0.0, 0.0, 723.72, -973.72)))
    assert cause_words(options) == ("VIX options' marks $724, fills against mid -$974; sum -$250, the hedge cost's "
                                    "negative (fees apart)")
    assert cause_words({"hedge_cost_usd": 1.0}) == ""


def test_the_readmes_macd_grid_causes_are_the_sweeps(market):
    """README "Sweeps" (What a setting's cost is made of): ``vixhedge sweep examples/macd_grid.toml``'s 30 points
    (all on the kernel) give the ranges and standard deviations it quotes, by ``review_bars``."""
    from pathlib import Path

    import numpy as np

    from vixhedge import fmt

    points, _ = sw.expand(sw.load_spec("examples/macd_grid.toml"), market)
    rows, back = K.run_points(points, market, dt.date(2016, 12, 30))
    assert back == [] and len(rows) == 30
    text = " ".join(Path("README.md").read_text().split())

    def span(values, sign=1.0):
        lo, hi = sorted(sign * np.array(values))[::len(values) - 1]
        return f"{fmt.usd(lo)} to {fmt.usd(hi)}"

    cost = [r["hedge_cost_usd"] for r in rows]
    assert f"`hedge_cost_usd` runs from {span(cost)}" in text
    for bars, carry_sign in ((5, -1.0), (0, 1.0)):
        group = [r for r in rows if r["hedge.review_bars"] == bars]
        assert len(group) == 15
        for col, sign in (("hedge_vx_vix_move_usd", -1.0), ("hedge_vx_carry_usd", carry_sign),
                          ("hedge_fills_vs_mid_usd", -1.0)):
            assert span([r[col] for r in group], sign) in text, (bars, col)
    for col in ("hedge_vx_vix_move_usd", "hedge_vx_carry_usd", "hedge_fills_vs_mid_usd"):
        assert fmt.usd(float(np.std([r[col] for r in rows], ddof=1))) in text, col
