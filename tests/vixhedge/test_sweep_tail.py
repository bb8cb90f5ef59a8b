"""The tail SPA / StepM of a sweep ranked by CVaR (``--rank-by cvar95``).

A researcher's trial (session 14) ranked 96 points by CVaR 95% and found no significance test for that ranking: SPA
and StepM test mean daily return. CVaR is not a mean, but Rockafellar & Uryasev (2002, "Conditional value-at-risk for
general loss distributions", J. Banking & Finance 26, eq. 8-9) bound it by one: for any threshold v,
CVaR <= v + sum(max(0, L - v)) / k, equal at the k-th worst loss. With v the baseline's VaR, a point whose mean loss
beyond v is smaller than the baseline's has a smaller CVaR, so SPA / StepM of those losses (means) are a conservative
test of the CVaR ranking. The test's p-values are checked against ``arch.bootstrap.SPA`` on the same losses.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from arch.bootstrap import SPA

from analyzers import metrics as M
from tests.vixhedge.sweep_cases import write_grid_spec, write_spec
from vixhedge import sweep_returns
from vixhedge.cli import main
from vixhedge.sweep_summary import tail_losses


def test_the_bound_is_equal_for_the_baseline_and_above_every_points_cvar() -> None:
    """Rockafellar & Uryasev's bound on synthetic returns (fat-tailed, T = 250, so k = 12 days): equal to
    analyzers.metrics.cvar for the baseline at its own VaR, at or above it for every point; a smaller mean tail loss
    than the baseline's means a smaller CVaR (the implication the tail test rests on)."""
    rng = np.random.default_rng(5)
    bench = 0.01 * rng.standard_t(3, 250)
    points = bench[:, None] * rng.uniform(0.5, 1.5, 40) + 0.004 * rng.standard_t(3, (250, 40))
    bench_loss, losses, v = tail_losses(bench, points)
    k = M.tail_count(250, 0.05)
    assert k == 12 and v == pytest.approx(-np.sort(bench)[11], abs=0)
    assert v + bench_loss.sum() / k == pytest.approx(M.cvar(bench), rel=1e-12)
    bounds = v + losses.sum(axis=0) / k
    cvars = np.array([M.cvar(points[:, j]) for j in range(40)])
    assert (cvars <= bounds + 1e-15).all()
    smaller = losses.mean(axis=0) < bench_loss.mean()
    assert smaller.any() and (~smaller).any()  # (both kinds of point are present)
    assert (cvars[smaller] < M.cvar(bench)).all()


def test_a_benchmark_per_point_has_its_own_var() -> None:
    """Points tested against their own books' baselines (vixhedge.sweep_books): each column's tail losses and VaR
    are the one-benchmark call's on that column (the definition above, column by column)."""
    rng = np.random.default_rng(8)
    bench = 0.01 * rng.standard_t(3, (250, 4))
    points = bench * 0.8 + 0.004 * rng.standard_t(3, (250, 4))
    bench_loss, losses, v = tail_losses(bench, points)
    for j in range(4):
        b, p, w = tail_losses(bench[:, j], points[:, [j]])
        assert v[j] == w and (bench_loss[:, j] == b).all() and (losses[:, j] == p[:, 0]).all()
    assert len(set(v)) == 4  # (four different VaRs)


def test_a_tail_test_against_each_points_own_book_says_whose_var_it_quotes() -> None:
    """Trial RS26: "mean loss beyond no hedge's 95% VaR (0.25% of NAV a day)" quoted the best point's book's VaR
    (5 lots) while each point was tested beyond its own book's (several times larger at 40 lots)."""
    from vixhedge.sweep_text import tested

    sn = {"test": "tail", "own_books": True, "against": "their own book without hedge", "var95": 0.0025}
    assert tested(sn)[1] == ("by mean loss beyond the 95% VaR of their own book without hedge (the best point's "
                             "0.25% of NAV a day), a bound on CVaR 95%,")
    assert tested({**sn, "own_books": False, "against": "no hedge"})[1] == (
        "by mean loss beyond no hedge's 95% VaR (0.25% of NAV a day), a bound on CVaR 95%,")


def _summary(out) -> dict:
    return json.loads((out / "summary.json").read_text())


def test_a_cvar_ranking_gets_tail_tests_equal_to_arch_on_the_tail_losses(tmp_path, capsys) -> None:
    """A sweep over 2016-06..12 (148 daily returns, 7 in the 95% tail) ranked by CVaR: ``snooping_tail`` and
    ``snooping_tail_static`` test each point's losses beyond the baseline's VaR; their p-values equal arch's SPA on
    those losses (the folder's returns.bin and the baseline's returns, at the block the summary records). Ranked by
    Sharpe the sweep has no tail test."""
    from feeds.market import build_market
    from vixhedge.core import config as C
    from vixhedge.sweep_metrics import RETURNS_KEY
    from vixhedge.sweep_summary import baseline
    from vixhedge import sweep as sw

    path = write_grid_spec(tmp_path, '"hedge.macd.fast" = [6, 8, 12]\n"hedge.first_layer_contracts" = [1, 2]',
                           extra="workers = 1")
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--quiet", "--rank-by", "cvar95"]) == 0
    text = capsys.readouterr().out
    s = _summary(out)
    spec, market = sw.load_spec(path), build_market(C.MarketConfig())
    keys = [r.split(",")[0] for r in (out / "results.csv").read_text().splitlines()[1:]]
    for key, mode in (("snooping_tail", "none"), ("snooping_tail_static", "static")):
        sn = s[key]
        bench = baseline(spec, market, mode)[0][RETURNS_KEY]
        found, r = sweep_returns.load(out, keys, len(bench))
        bench_loss, losses, v = tail_losses(bench, r)
        assert len(bench) == sn["days"] == 148 and sn["test"] == "tail" and sn["var95"] == v
        assert sn["points_tested"] == len(found) == 6
        spa = SPA(bench_loss, losses, block_size=sn["block_days"], reps=1000, seed=np.random.default_rng(7))
        spa.compute()
        assert (sn["spa_pvalue_lower"], sn["spa_pvalue"], sn["spa_pvalue_upper"]) == tuple(
            spa.pvalues[["lower", "consistent", "upper"]])
    assert "tail SPA p-value" in text and "a bound on CVaR 95%, better than the static hedge, the whole window (148 days)?" in text
    assert "the tail SPA / StepM test the CVaR ranking" in text
    page = (out / "report.html").read_text()
    assert "tail SPA p-value, against no hedge" in page and "tail StepM points better than the static hedge" in page
    assert main(["sweep", str(path), "--out", str(out), "--quiet"]) == 0  # ranked by Sharpe again: nothing runs
    assert "snooping_tail" not in _summary(out) and "tail SPA" not in capsys.readouterr().out


def test_too_few_days_for_a_tail_test_say_so(tmp_path, capsys) -> None:
    """38 in-sample daily returns put 1 day in a 95% tail: the baseline loses nothing beyond its own VaR and no
    point of that sweep does either (found when it was first run), so the tail test has nothing to measure: it is
    not run, and the summary says why and what gives more days."""
    spec, out = write_spec(tmp_path, fast="[8, 12]"), tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet", "--rank-by", "cvar95"]) == 0
    text = capsys.readouterr().out
    assert "tail SPA / StepM against no hedge: not run: the 38 daily returns tested put fewer than 5 days" in text
    assert "spa_pvalue" not in _summary(out)["snooping_tail"]
    assert "the ranking has no significance test here (ranked by cvar95 on 100 days or more, a tail test)" in text
