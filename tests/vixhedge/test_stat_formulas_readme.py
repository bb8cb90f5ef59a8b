"""Trial STAT32 F7: what README says of three statistics is what the code computes. The relative metrics (tracking
error, an arithmetic information ratio beside a geometric excess CAGR, beta) as analyzers/report_tables.py
``relative_metrics``; SPA's "+-" Monte-Carlo error is one binomial standard error (sweep_summary's ``spa_mc_se``), said
"1 s.e." on the console, the page and README; the deflated Sharpe ratio's N counts distinct rows, and a larger N
deflates more. Fails on the old code: README had no "arithmetic" / "1 s.e." / independent-trials words and the
console and page said "Monte-Carlo error" alone."""

import math
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from analyzers.report_tables import relative_metrics
from vixhedge import sweep_report
from vixhedge.sweep_summary import EULER_GAMMA, deflated_sharpe
from vixhedge.sweep_text import snooping_lines

README = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
P = 252

# README *Conventions*, "Against a benchmark": each formula as written, and the same formula in numpy (r the run's
# daily return, b the benchmark's, a = r - b)
FORMULAS = (
    ("tracking error = std(a, ddof 1) x sqrt(P)", "tracking_error", lambda r, b: np.std(r - b, ddof=1) * math.sqrt(P)),
    ("information ratio = mean(a) x P / tracking error (arithmetic:", "information_ratio",
     lambda r, b: np.mean(r - b) * P / (np.std(r - b, ddof=1) * math.sqrt(P))),
    ("beta = cov(r, r_b) / var(r_b) (ddof 1)", "beta", lambda r, b: np.cov(r, b, ddof=1)[0, 1] / np.var(b, ddof=1)),
    ("correlation of r and r_b", "correlation", lambda r, b: np.corrcoef(r, b)[0, 1]),
)


def test_the_readme_s_relative_metric_formulas_are_the_code_s_on_a_small_example():
    """Six days' NAVs by hand: the run 100, 101, 99.5, 100.2, 102, 101.1; the benchmark 100, 100.5, 100.9, 99.8,
    100.4, 101.6. Each README formula, evaluated in numpy, equals relative_metrics' figure (report_tables.py:96-101);
    the excess CAGR is a difference of geometric rates, so excess CAGR / TE differs from the IR here too."""
    run = np.array([100.0, 101.0, 99.5, 100.2, 102.0, 101.1])
    bench = np.array([100.0, 100.5, 100.9, 99.8, 100.4, 101.6])
    frame = pd.DataFrame({"nav_usd": run, "spx_tr_nav_usd": bench, "no_hedge_nav_usd": bench})
    got = relative_metrics(frame, P)["spx_tr"]
    r, b = run[1:] / run[:-1] - 1, bench[1:] / bench[:-1] - 1
    for words, key, formula in FORMULAS:
        assert words in README, words
        assert got[key] == pytest.approx(formula(r, b), rel=1e-12), words
    cagr = lambda nav: (nav[-1] / nav[0]) ** (P / (len(nav) - 1)) - 1  # noqa: E731 (README: CAGR)
    assert "excess CAGR = CAGR - the benchmark's" in README
    assert got["excess_cagr"] == pytest.approx(cagr(run) - cagr(bench), rel=1e-12)
    assert "so excess CAGR / tracking error is not the information ratio" in README
    assert abs(got["excess_cagr"] / got["tracking_error"] - got["information_ratio"]) > 0.1


def test_the_readme_s_default_run_ratio_against_the_information_ratio():
    """README: "-0.846 against the -0.88 shown for the default run against the S&P 500 total return" (trial STAT32:
    excess CAGR / TE = -0.846 on the default SPX row, IR shown -0.88); the default config on the embedded market."""
    from feeds.market import build_market
    from vixhedge.core import config as C
    from vixhedge.report import benchmark
    from vixhedge.run import run_backtest

    cfg = C.load_default()
    m = relative_metrics(benchmark(run_backtest(cfg, build_market(cfg.market))))["spx_tr"]
    assert (round(m["excess_cagr"] / m["tracking_error"], 3), round(m["information_ratio"], 2)) == (-0.846, -0.88)
    assert "-0.846 against the -0.88 shown for the default run against the S&P 500 total return" in README


# summary.json's ``snooping`` of README's sweep example (`vixhedge sweep examples/macd_grid.toml`, session 32):
# p = 0.906 over 1,000 draws, spa_mc_se = sqrt(0.906 x 0.094 / 1000) = 0.009228
SNOOPING = {"against": "no hedge", "benchmark": "no hedge (hedge.mode = none), same config and window",
            "best_in_stepm_set": False, "block_days": 3, "block_from": "data", "days": 652, "points_finished": 30,
            "points_tested": 30, "reps": 1000, "seed": 7, "spa_mc_se": math.sqrt(0.906 * 0.094 / 1000),
            "spa_pvalue": 0.906, "spa_pvalue_lower": 0.619, "spa_pvalue_upper": 0.906, "span": "in sample",
            "stepm_size": 0.05, "stepm_superior": 0, "test": "return"}


def test_spa_s_monte_carlo_error_is_said_to_be_one_standard_error():
    """Trial STAT32: "+-0.01 Monte-Carlo error" is one binomial standard error, sqrt(p(1-p)/reps) = 0.0092, where
    compare's borderline is a 95% band: the console, the page's row and README say "1 s.e."."""
    assert SNOOPING["spa_mc_se"] == pytest.approx(0.0092, abs=5e-5)
    line = snooping_lines(SNOOPING)[0]
    assert line.startswith("SPA p-value 0.91 (+-0.01 Monte-Carlo error (1 s.e.) at seed 7; is the best of 30 points")
    assert line in README  # README's printed block, the same line
    row = sweep_report._snooping_rows(SNOOPING)[0]
    assert row[2].endswith(", seed 7, Monte-Carlo error \u00b10.009 (1 s.e.)")
    assert "one binomial standard error of a share of the draws, sqrt(p (1 - p) / draws), `spa_mc_se`, 1 s.e.: " \
           "0.0092 at p = 0.906 and 1,000 draws; a 95% band is 1.96 times it" in README


def test_the_deflated_sharpe_s_n_counts_rows_and_a_larger_n_deflates_more():
    """README: "N counts the grid's distinct rows, not independent trials ... the expected maximum grows with N, its
    factor 2.07 at N = 30 and 1.57 at 10, so on that count the figure is conservative". The factor is Bailey & Lopez
    de Prado's (1 - gamma) Phi^-1(1 - 1/N) + gamma Phi^-1(1 - 1/(N e)) (sweep_summary.deflated_sharpe); the same best
    returns against trials of the same cross-trial variance: 30 of them deflate more than 10."""
    factor = lambda n: ((1 - EULER_GAMMA) * norm.ppf(1 - 1 / n)  # noqa: E731
                        + EULER_GAMMA * norm.ppf(1 - 1 / (n * math.e)))
    assert (round(factor(30), 2), round(factor(10), 2)) == (2.07, 1.57)
    assert re.search(r"N counts the grid's distinct rows, not independent trials: .* its factor 2\.07 at N = 30 and "
                     r"1\.57 at 10, so on that count the figure is conservative", README)
    best = np.random.default_rng(3).normal(0.002, 0.01, 500)
    trials = lambda n: np.linspace(-1.0, 1.0, n) / np.std(np.linspace(-1.0, 1.0, n), ddof=1) * 0.02  # noqa: E731
    assert np.var(trials(30), ddof=1) == pytest.approx(np.var(trials(10), ddof=1))  # the same variance, 0.02^2
    assert deflated_sharpe(best, trials(30)) < deflated_sharpe(best, trials(10))
