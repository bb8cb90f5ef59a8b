"""Statistics trial 2026-12-04: a verdict whose CI endpoint sits within Monte-Carlo error of 0 flipped with the seed
(the default config's static max drawdown, BCa [-0.002, +17.342] at seed 7, "worse" at 40,000 draws) with no word
said; a 3-block compare gave "better" with no caveat (a sweep warns); 8 intervals at 95% with no note on chance;
SPA / StepM took the circular bootstrap's block length for a stationary bootstrap."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from vixhedge import bootstrap as bs
from vixhedge.compare_text import paired_caveats, paired_cells
from vixhedge.verdicts import BORDERLINE


def _interval(draws: np.ndarray) -> tuple[float, float]:
    return tuple(np.quantile(draws, [0.025, 0.975]))


@pytest.mark.parametrize("centre, expected", [(0.5, False), (1.96, True), (5.0, False), (-1.96, True)])
def test_borderline_when_an_endpoint_is_within_monte_carlo_error_of_0(centre, expected):
    """2,000 draws of N(centre, 1): the endpoints sit near centre -+ 1.96; at centre +-1.96 one is at 0 (borderline),
    at 0.5 and 5 both are 1.5 and 3 sd of the draws away, far beyond the endpoint's Monte-Carlo sd (~0.06)."""
    draws = np.random.default_rng(1).normal(centre, 1.0, 2000)
    assert bs.borderline(draws, *_interval(draws)) is expected


def test_the_monte_carlo_band_covers_the_true_quantile_about_95_percent_of_the_time():
    """The band of the 2.5% endpoint (order statistics at B p -+ 1.96 sqrt(B p (1 - p))) holds the population's 2.5%
    quantile on about 95% of seeds: shift each sample so that quantile is 0 and count the borderline calls."""
    q = -1.959963984540054  # N(0, 1)'s 2.5% quantile (scipy.stats.norm.ppf(0.025))
    hits = 0
    for seed in range(400):
        draws = np.random.default_rng(seed).normal(-q, 1.0, 500)  # population 2.5% quantile at 0
        hits += bs.borderline(draws, *_interval(draws))
    assert 0.90 <= hits / 400 <= 0.99, hits


def test_nan_draws_and_undefined_intervals_are_never_borderline():
    assert bs.borderline(np.array([np.nan, np.nan]), 0.0, 1.0) is False
    assert bs.borderline(np.random.default_rng(0).normal(2, 1, 100), np.nan, np.nan) is False


@pytest.mark.parametrize("shift, expected", [(14.5, True), (13.5, False)], ids=["d14-below-0", "d14-above-0"])
def test_the_monte_carlo_band_is_1_96_binomial_sds_wide(shift, expected):
    """Trial MUT24 bs08 (1.96 -> 1.645 survived): the band runs over B p -+ 1.96 sqrt(B p (1 - p)) draws (the
    docstring's 95% band). By hand, d = 0..999 - 14.5 (B = 1000 distinct draws): the 2.5% endpoint (numpy's linear
    percentile, position 0.025 x 999 = 24.975) is d[24] + 0.975 = 10.475; 25 draws lie at or below it, p = 0.025,
    half = 1.96 sqrt(1000 x 0.025 x 0.975) = 9.68, the band's low order statistic d[floor(25 - 9.68) - 1] = d[14]
    = -0.5 <= 0: borderline. At 1.645 (half 8.12) it is d[15] = +0.5 > 0: not. Shifted by 13.5 instead, d[14] =
    +0.5: not borderline at 1.96 either (the band's edge is that order statistic). The 97.5% endpoint (959.5 + ...)
    is far from 0 throughout."""
    d = np.arange(1000) - shift
    low, high = np.percentile(d, [2.5, 97.5])
    assert low == pytest.approx(24.975 - shift, abs=1e-9)
    assert bs.borderline(d, low, high) is expected


def test_an_endpoint_on_tied_draws_takes_its_level_from_the_draws_at_or_below_it():
    """Trial MUT24 bs07 (searchsorted side "right" -> "left" survived): an endpoint's empirical level p is the share
    of draws at or below it (the empirical CDF). By hand, t = 0..99 each 10 times, less 3 (B = 1000): the 2.5%
    endpoint is t[24] = t[25] = -1 (a tie of the 10 draws t[20..29]); 30 draws lie at or below it, p = 0.03, half =
    1.96 sqrt(1000 x 0.03 x 0.97) = 10.57, band t[floor(19.43) - 1] = t[18] = -2 .. t[ceil(40.57) - 1] = t[40] = +1:
    it holds 0, borderline. With side "left" p = 0.02, half 8.68, band t[10] = -2 .. t[28] = -1: 0 outside, not
    borderline; the 97.5% endpoint (94) is far from 0."""
    t = np.repeat(np.arange(100.0), 10) - 3.0
    low, high = np.percentile(t, [2.5, 97.5])
    assert (low, high) == (-1.0, 94.0)
    assert bs.borderline(t, low, high) is True


def test_the_stationary_block_length_is_arch_s_stationary_estimate():
    from arch.bootstrap import optimal_block_length

    x = np.cumsum(np.random.default_rng(4).normal(size=600)) * 0.01 + np.random.default_rng(5).normal(size=600)
    est = optimal_block_length(x)
    for kind in ("circular", "stationary"):
        assert bs.data_block_length(x, kind) == int(np.ceil(est[kind].iloc[0]))


def _row(**kw):
    base = {"mode": "alvh", "stat": "cvar95", "diff": -0.002, "ci_low": -0.0032, "ci_high": -0.0005,
            "ci_method": "percentile", "block_days": 5, "days": 1200, "ci_borderline": False}
    return {**base, **kw}


def test_a_borderline_verdict_is_tagged_and_said_once():
    p = pd.DataFrame([_row(ci_borderline=True), _row(stat="sharpe", diff=0.1, ci_low=-0.2, ci_high=0.4)])
    p.attrs["n_boot"] = 2000
    cells = [paired_cells(r) for r in p.itertuples()]
    assert cells[0][-1] == f"better ({BORDERLINE})" and cells[1][-1] == "unclear (CI includes 0)"
    lines = paired_caveats(p)
    assert lines[0].startswith("CI caveat: 1 verdict marked borderline") and "2000 draws" in lines[0]
    assert lines[0].endswith("rerun with more draws (--n-boot 20000) before reading them")
    p.attrs["n_boot"] = 40000  # (README audit, session 17: a 40000-draw compare was told to rerun with 20000)
    assert paired_caveats(p)[0].endswith("at 40000 draws, so another seed can flip better / worse / unclear; rerun "
                                         "with more draws (--n-boot 100000) before reading them")  # compare's most
    p.attrs["n_boot"] = 100000  # (review 17: the advice named 160000, which compare refuses)
    assert paired_caveats(p)[0].endswith("100000 draws is the most compare runs, so these verdicts stay unsettled: "
                                         "read them as unclear")
    p.attrs["n_boot"] = 2000
    assert lines[-1] == ("CI caveat: 2 intervals at 95% each: if no mode differed from the baseline, about 0.1 of them "
                         "would still exclude 0 by chance (no multiple-comparison adjustment)")
    p.loc[1, "ci_borderline"] = True
    assert paired_cells(next(p.iloc[[1]].itertuples()))[-1] == f"unclear (CI includes 0; {BORDERLINE})"


def test_few_independent_blocks_get_the_sweeps_caveat():
    """The trial's 2015-01-02..2015-03-31 compare: 60 returns, a 20-day data-driven block, "better" from 3 blocks."""
    p = pd.DataFrame([_row(mode="static", block_days=20, days=60), _row(block_days=4, days=60, diff=-0.02)])
    lines = paired_caveats(p)
    assert ("CI caveat: static: the bootstrap block (20 days) is 33% of the 60 daily returns compared: about 3.0 "
            "independent blocks, so its CIs are rough") in lines[0]
    assert lines[-1].startswith("window caveat: the book starts flat")  # 61 sessions: under a year
    assert not any("alvh: the bootstrap block" in ln for ln in lines)  # 4 of 60: fine
    old = pd.DataFrame([_row()]).drop(columns=["days", "ci_borderline"])  # a folder written before the columns
    assert paired_caveats(old) == [] and paired_cells(next(old.itertuples()))[-1] == "better"


def test_the_sweep_summary_says_when_nothing_was_deflated_or_there_is_no_deflated_sharpe() -> None:
    """Statistics trial 2026-12-04, finding 5: over one distinct trial (every point the no-hedge baseline) the summary
    read "deflated Sharpe ratio 0.327 over 1 trials (the probability the best in-sample Sharpe is real)"; without
    a split it printed no line at all."""
    from pathlib import Path

    from vixhedge import sweep as sw
    from vixhedge.sweep_text import ONE_TRIAL

    one = {"points": 2, "finished": 2, "invalid": 0, "failed": 0, "not_run": 0, "ruined": 0,
           "best": {"point": "ab", "k": 3, "is_sharpe": 0.5, "oos_sharpe": 0.1}, "baseline_none": {},
           "deflated_sharpe_ratio": 0.327, "trials": 1}
    lines = sw.format_summary(one, "w", ["k"], Path("o")).splitlines()
    assert f"  deflated Sharpe ratio 0.327 over 1 trial ({ONE_TRIAL})" in lines
    whole = {**one, "best": {"point": "ab", "k": 3, "sharpe": 0.5}}
    del whole["deflated_sharpe_ratio"], whole["trials"]
    lines = sw.format_summary(whole, "w", ["k"], Path("o")).splitlines()
    assert any(ln.startswith("  deflated Sharpe ratio: none (no in-sample split") for ln in lines), lines


def test_a_borderline_verdict_is_tagged_wherever_it_is_worded():
    """Trial SX (2026-12-05): the walk-forward printed compare's verdict words without the borderline check; the tag
    now lives in verdict_words itself, for compare's table, the walk-forward's lines and its page alike."""
    from vixhedge.verdicts import verdict_words

    assert verdict_words(0.33, -0.01, 0.66, "higher", "percentile", True) == f"unclear (CI includes 0; {BORDERLINE})"
    assert verdict_words(0.33, 0.01, 0.66, "higher", "percentile", True) == f"better ({BORDERLINE})"
    assert verdict_words(0.33, 0.01, 0.66, "higher", "percentile") == "better"
    assert verdict_words(0.33, float("nan"), 0.66, "higher", "percentile", True) == "no verdict: CI not estimable"


def test_an_endpoint_tied_with_many_draws_ranks_at_their_middle():
    """Trial RS37: `compare --period q4-2018` tagged static's CVaR difference "better (borderline)" beside p 0.002 (1
    draw of 2000 at or above 0): 66 draws equal to the upper endpoint ranked it as the last of them, so its band
    reached the one draw at 0. Here 1,899 draws in [-2, -0.2], 100 tied at -0.1 (the 97.5% endpoint) and one at 0:
    ranked at the tie's middle (1,949.5 of 2,000) the band, +-1.96 sqrt(2000 x 0.975 x 0.025) = +-13.7 ranks, stays
    inside the tie; ranked last (2,000) it reached 0."""
    rng = np.random.default_rng(1)
    d = np.concatenate([rng.uniform(-2.0, -0.2, 1899), np.full(100, -0.1), [0.0]])
    low, high = np.percentile(d, [2.5, 97.5])
    assert high == -0.1 and not bs.borderline(d, low, high)
