"""The condor's P&L in a sweep's rows: results.csv ``condor_pnl_usd`` (and ``is_`` / ``oos_`` with a split).

It is a run's ``pnl.condor_pnl_usd`` (metrics.json; the sum of daily.csv's ``condor_pnl_usd``: the condor group's
premium, settlements and marks, fees apart) over the point's valid span. The all-points kernel (its numpy book and
the compiled one) computes it from the condor tape's premiums (``kernel_condor.CondorTape.*_prem``) and gives the
event path's figure, a ruined point's (its liquidation) included; a folder written before the column resumes with its
own header and says so.
"""

import csv
import json

import numpy as np
import pytest

from feeds.market import build_market
from vixhedge import kernel as K
from vixhedge import kernel_jit as J
from vixhedge import sweep as sw
from vixhedge.api import run_sweep
from vixhedge import sweep_metrics
from vixhedge.core import config as C
from vixhedge.run import run_backtest
from vixhedge.sweep_metrics import CALL_FIELDS, CAPITAL_FIELDS, CAUSE_FIELDS, CONDOR_FIELDS, CVAR_FIELDS, NEEDED_FIELDS
from tests.vixhedge.test_kernel import CASES as RULES
from tests.vixhedge.test_kernel import _point as rule_point
from tests.vixhedge.test_kernel_capital import CASES as CAPITAL
from tests.vixhedge.test_kernel_capital import SPIKE, _midpoint
from tests.vixhedge.test_kernel_capital import _point as capital_point


@pytest.fixture(scope="module")
def market():
    return build_market(C.MarketConfig())


# the default config, a margin call that cuts the condor (its wings bid at 0 left open), a ruin holding a condor
GRID = [({}, SPIKE), CAPITAL[7][:2], CAPITAL[10][:2],
        ({"hedge": {"divergence": {"condor_cut": 0.9}}}, SPIKE)]  # divergences cut 90% of the condor


@pytest.mark.parametrize("book", ["", "numpy"], ids=["auto", "numpy"])
def test_the_kernel_gives_the_event_paths_condor_pnl(market, monkeypatch, book):
    """Kernel rows (the compiled book where it covers the point, or the numpy book) against the event path's: every
    condor column to the tolerance of the parity tests (test_kernel_capital), a ruined point's too."""
    monkeypatch.setenv(J.ENV, book)
    ruined = 0
    for case, window in GRID:
        p, split = capital_point(case, window), _midpoint(window)
        rows, back = K.run_points([p], market, split)
        assert back == [], case
        ref, row = sweep_metrics.run_point(p, market, split), rows[0]
        for key in CONDOR_FIELDS:
            assert row[key] == pytest.approx(ref[key], rel=1e-9, abs=1e-9, nan_ok=True), (case, key)
        assert row["condor_pnl_usd"] != 0.0 and row["ruined"] == ref["ruined"]
        if not row["ruined"]:  # the two sides add up to the whole window, as the hedge cost's
            assert row["is_condor_pnl_usd"] + row["oos_condor_pnl_usd"] == pytest.approx(row["condor_pnl_usd"])
        ruined += row["ruined"]
    assert ruined == 1  # the ruin case is ruined: its condor P&L is what its liquidation left


@pytest.mark.skipif(J.numba is None, reason="numba does not import here: the numpy book runs")
def test_the_compiled_book_gives_the_numpy_books_daily_condor_pnl(market, monkeypatch):
    points = [p for p in map(rule_point, RULES) if J.covers(p.config)]
    out = {}
    for mode in ("", "numpy"):
        monkeypatch.setenv(J.ENV, mode)
        out[mode] = {p.key: (o.condor_pnl[k].copy(), o.reason[k]) for p, o, k, _ in K.outcomes(points, market)}
    assert len(points) >= 20
    for p in points:
        (pnl, why), (ref, ref_why) = out[""][p.key], out["numpy"][p.key]
        assert why == ref_why
        np.testing.assert_allclose(pnl, ref, rtol=0, atol=1e-6)
    assert sum(np.abs(v[0]).sum() > 0 for v in out[""].values()) == len(points)  # every point trades its condor


SPEC = """
[sweep]
name = "condor"
in_sample_end = 2016-02-29

[base]
run = { start = 2016-01-04, end = 2016-04-29 }

[grid]
"hedge.macd.fast" = [8, 12]
"hedge.macd.slow" = [26]
"""


def test_a_sweep_row_is_the_runs_condor_pnl_and_an_older_folder_resumes(tmp_path, market, capsys):
    """Each row's ``condor_pnl_usd`` is ``vixhedge run``'s metrics.json ``pnl.condor_pnl_usd`` of the point's config
    (written to 10 significant digits there, to the cent here); summary.json's best point and report show it. A
    folder written before the column (its header without it, a point not yet run) resumes: the header is kept, the
    point runs, its row has the other columns as a fresh sweep's, and one line says the rows have no condor P&L."""
    (tmp_path / "spec.toml").write_text(SPEC)
    spec = sw.load_spec(tmp_path / "spec.toml")
    out, results = tmp_path / "out", tmp_path / "out" / "results.csv"
    run_sweep(tmp_path / "spec.toml", out, progress=False)  # the folder `vixhedge sweep` writes
    rows = {r["point"]: r for r in csv.DictReader(results.read_text().splitlines())}
    points, _ = sw.expand(spec)
    assert len(rows) == len(points) == 2
    for p in points:
        metrics = run_backtest(p.config, market).metrics
        assert float(rows[p.key]["condor_pnl_usd"]) == pytest.approx(metrics["pnl"]["condor_pnl_usd"], abs=0.006)
        assert float(rows[p.key]["condor_pnl_usd"]) != 0.0
    summary = json.loads((out / "summary.json").read_text())
    assert {"condor_pnl_usd", "is_condor_pnl_usd", "oos_condor_pnl_usd"} <= set(summary["best"])
    assert "oos_condor_pnl_usd" in summary["best_out_of_sample"]
    assert "condor P&amp;L ex fees, out of sample" in (out / "report.html").read_text()

    fresh = list(csv.reader(results.read_text().splitlines()))
    keep = [k for k, name in enumerate(fresh[0]) if name not in CONDOR_FIELDS + CVAR_FIELDS + CAPITAL_FIELDS
            + CALL_FIELDS + NEEDED_FIELDS + CAUSE_FIELDS]  # (later)
    old = [[r[k] for k in keep] for r in fresh]  # as a sweep wrote it before the column; its last point not run
    with results.open("w", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(old[:-1])
    (out / "output_files.json").unlink()  # (an interrupted sweep has no record: sweep_claim.claim)
    capsys.readouterr()
    run_sweep(tmp_path / "spec.toml", out, progress=False)
    assert list(csv.reader(results.read_text().splitlines())) == old  # its header, the resumed row as fresh
    err = capsys.readouterr().err
    assert err.count("was written before the condor P&L and CVaR and capital and margin-call and capital-needed and "
                     "hedge-by-cause columns (condor_pnl_usd, cvar95, peak_margin_utilisation, days_with_margin_call, "
                     "capital_needed_usd, hedge_vx_carry_usd)") == 1, err
    summary = json.loads((out / "summary.json").read_text())
    assert "condor_pnl_usd" not in summary["best"] and "oos_condor_pnl_usd" not in summary["best_out_of_sample"]
    # review 17b: written by another version of the code, the same folder is refused, and the line about its older
    # header (which says it resumes) is not printed before the refusal
    held = json.loads((out / "spec.json").read_text())
    held["parts"]["code"], held["hash"] = "0" * 64, "0" * 64
    (out / "spec.json").write_text(json.dumps(held))
    (out / "output_files.json").unlink(missing_ok=True)
    with pytest.raises(C.ConfigError, match="another version of the code"):
        run_sweep(tmp_path / "spec.toml", out, progress=False)
    assert "was written before" not in capsys.readouterr().err


def test_progress_false_prints_no_stage_line_for_several_books(tmp_path, capsys):
    """Trial RD36 M2: README ("the stage lines on stderr (`progress=False`: none)") held, but a grid sweeping a condor
    key (2 books: each point judged against its own book's baselines, sweep_books.tested_books) printed "vixhedge
    sweep: the no-hedge and static baselines of 2 books ... up to 2 runs ..." under progress=False; the command keeps
    the line."""
    from vixhedge.cli import main

    (tmp_path / "spec.toml").write_text('[sweep]\nname = "books"\nworkers = 1\n[base]\nrun = { start = 2016-01-04, '
                                        'end = 2016-04-29 }\n[grid]\n"condor.contracts" = [10, 5]\n')
    run_sweep(tmp_path / "spec.toml", tmp_path / "quiet", progress=False)
    assert "vixhedge sweep:" not in capsys.readouterr().err
    assert main(["sweep", str(tmp_path / "spec.toml"), "--out", str(tmp_path / "loud")]) == 0
    assert "vixhedge sweep: the no-hedge and static baselines of 2 books" in capsys.readouterr().err
