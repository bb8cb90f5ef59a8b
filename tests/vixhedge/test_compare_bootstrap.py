"""The paired block bootstrap of `vixhedge compare` (vixhedge.bootstrap): percentile and BCa intervals against arch's
own draws, the data-driven block length, the row statistics against the scalar metrics, undefined draws dropped."""

import math

import numpy as np
import pytest

from analyzers import metrics as M
from vixhedge import bootstrap as bs


def _mean(x: np.ndarray) -> np.ndarray:
    return np.array([x.mean()])


def test_percentile_ci_is_the_quantile_of_the_paired_draws():
    """arch's percentile interval equals np.quantile of (stat(a) - stat(b)) over arch's own draws."""
    from arch.bootstrap import CircularBlockBootstrap

    rng = np.random.default_rng(3)
    a, b = rng.normal(0.001, 0.01, 400), rng.normal(0.0, 0.01, 400)
    low, high, used, _ = bs.paired_intervals(_mean, (a,), (b,), block=7, reps=500, seed=11)
    boot = CircularBlockBootstrap(7, a, b, seed=np.random.default_rng(11))
    draws = np.array([x[0].mean() - x[1].mean() for x, _ in boot.bootstrap(500)])
    np.testing.assert_allclose([low[0], high[0]], np.quantile(draws, [0.025, 0.975]), rtol=1e-12)
    assert used == ["percentile"]
    # the paired draw resamples the same days for both legs: a leg against itself gives exactly 0
    low0, high0, _, _ = bs.paired_intervals(_mean, (a,), (a,), block=7, reps=200, seed=1)
    assert low0[0] == high0[0] == 0.0


def test_one_set_of_draws_gives_arch_s_percentile_interval_and_the_borderline_draws():
    """compare once drew every pair twice (the interval, then the same draws again for the borderline check);
    now one set serves both: its percentile interval is arch's conf_int(method="percentile") exactly, and the
    draws are arch's (the same generator, so the same days)."""
    from arch.bootstrap import CircularBlockBootstrap

    rng = np.random.default_rng(8)
    a, b = rng.normal(0.001, 0.01, 250), rng.normal(0.0, 0.01, 250)

    def two(x: np.ndarray) -> np.ndarray:
        return np.array([x.mean(), x.std()])

    def diff(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        return two(x) - two(y)

    out = bs.paired_intervals(two, (a,), (b,), block=6, reps=400, seed=21)
    boot = CircularBlockBootstrap(6, a, b, seed=np.random.default_rng(21))
    ci = boot.conf_int(diff, reps=400, method="percentile")
    np.testing.assert_array_equal(out.low, ci[0])
    np.testing.assert_array_equal(out.high, ci[1])
    again = CircularBlockBootstrap(6, a, b, seed=np.random.default_rng(21)).apply(diff, 400)
    np.testing.assert_array_equal(out.draws, again)


def test_bca_differs_from_percentile_on_a_skewed_statistic_and_falls_back_where_undefined():
    rng = np.random.default_rng(4)
    a, b = rng.lognormal(0.0, 1.0, 300), rng.normal(0.0, 0.1, 300)
    pct = bs.paired_intervals(_mean, (a,), (b,), block=1, reps=2000, seed=2)
    bca = bs.paired_intervals(_mean, (a,), (b,), block=1, reps=2000, seed=2, method="bca")
    assert bca[2] == ["bca"]
    # a right-skewed statistic: BCa moves both ends to the right of the percentile interval
    assert bca[0][0] > pct[0][0] and bca[1][0] > pct[1][0]
    same = bs.paired_intervals(_mean, (a,), (a,), block=1, reps=200, seed=2, method="bca")
    assert same[2] == ["percentile"] and same[0][0] == same[1][0] == 0.0


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_each_bootstrap_draw_is_reported_and_changes_nothing(method):
    """Trial B: `compare --n-boot 100000` spent ~25 s silent after the days bar; on_draw feeds a draws bar whose
    total (bs.draws) is what it is called, and the intervals are those computed without it."""
    rng = np.random.default_rng(5)
    a, b = rng.normal(0.001, 0.01, 300), rng.normal(0.0, 0.01, 300)

    def two(x: np.ndarray) -> np.ndarray:  # 2 statistics: BCa estimates one interval each
        return np.array([x.mean(), x.std()])

    calls = []
    with_bar = bs.paired_intervals(two, (a,), (b,), block=5, reps=300, seed=3, method=method,
                                   on_draw=lambda: calls.append(1))
    without = bs.paired_intervals(two, (a,), (b,), block=5, reps=300, seed=3, method=method)
    assert len(calls) == bs.draws(1, 300, 2, method) == (600 if method == "bca" else 300)
    np.testing.assert_array_equal(with_bar[0], without[0])
    np.testing.assert_array_equal(with_bar[1], without[1])
    assert with_bar[2] == without[2]


def test_data_driven_block_length_follows_the_serial_dependence():
    """Politis-White: iid noise needs short blocks, a persistent AR(1) (phi 0.9) long ones."""
    rng = np.random.default_rng(8)
    e = rng.normal(size=2000)
    ar = np.empty_like(e)
    ar[0] = e[0]
    for t in range(1, len(e)):
        ar[t] = 0.9 * ar[t - 1] + e[t]
    assert bs.data_block_length(e) <= 3
    assert bs.data_block_length(ar) >= 15
    assert bs.data_block_length(np.zeros(50)) == 1  # a constant difference: no dependence to keep


@pytest.mark.filterwarnings("ignore::RuntimeWarning")  # (arch's own divide-by-zero on so few values, if it is asked)
def test_a_difference_of_10_days_or_fewer_has_a_1_day_block():
    """Trial MUT24 bs12 (``len(x) < 10`` -> ``< 5`` survived): short series are not estimated (1 day). On 0, 1, ...,
    8 arch.bootstrap.optimal_block_length gives 3 ("circular"; 9 // 2 = 4 does not cap it), which the mutant
    returned. TST24: on 10 values arch divides by zero (a RuntimeWarning on every one of 200 random series, none
    from 11 to 39), so 10 are not estimated either; 11 values, 0 .. 10, are: arch's estimate, no warning."""
    import warnings

    from arch.bootstrap import optimal_block_length

    assert bs.data_block_length(np.arange(9.0)) == 1
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # (arch's own, on these short series)
        assert float(optimal_block_length(np.arange(9.0))["circular"].iloc[0]) == 3.0  # what was not asked
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert bs.data_block_length(np.random.default_rng(0).normal(size=10)) == 1
        eleven = float(optimal_block_length(np.arange(11.0))["circular"].iloc[0])
        assert bs.data_block_length(np.arange(11.0)) == min(math.ceil(eleven), 5)


def test_defined_interval_is_the_central_95_percent_of_the_defined_draws():
    """Trial MUT24 bs11 (alpha = (1 - size) / 2 -> 1 - size survived): the interval cuts 2.5% off each tail. By
    hand: draws 0..99 and one NaN; the NaN dropped, numpy's linear percentiles of 0..99 at 2.5 and 97.5 sit at
    positions 0.025 x 99 = 2.475 and 0.975 x 99 = 96.525, the values there (the mutant: 4.95 and 94.05)."""
    low, high, method = bs.defined_interval(np.r_[np.arange(100.0), np.nan])
    assert low == pytest.approx(2.475, abs=1e-12) and high == pytest.approx(96.525, abs=1e-12)
    assert method == "percentile (1 of 101 draws undefined, dropped)"


def test_row_statistics_match_the_scalar_metrics():
    rng = np.random.default_rng(5)
    r = rng.normal(0.0003, 0.01, (3, 300))
    nav = np.concatenate([np.ones((3, 1)), np.cumprod(1 + r, axis=1)], axis=1)
    rf = 1.01 ** (1 / 252) - 1
    for k in range(3):
        assert bs.sharpe_rows(r[k], rf, 252) == pytest.approx(M.sharpe(r[k], 0.01, 252), rel=1e-12)
        assert bs.max_drawdown_rows(r[k]) == pytest.approx(M.max_drawdown(nav[k]), rel=1e-12)
    # CVaR 95% of 1..100 losses: the worst 5 are -100..-96, mean -98
    assert bs.cvar_rows(-np.arange(1.0, 101.0)) == pytest.approx(98.0)


def test_draws_with_an_undefined_statistic_are_dropped_and_counted():
    """Fresh-user trial (volmageddon replay): ``static Sharpe ... -1.371 [+nan, +nan] unclear (CI includes 0)``:
    a bootstrap draw with no spread has no Sharpe (NaN, bootstrap.sharpe_rows) and the percentile of draws with one
    NaN is NaN. Now the interval is taken on the defined draws, and the method names how many were dropped."""
    def sharpe(r: np.ndarray) -> np.ndarray:
        return np.atleast_1d(bs.sharpe_rows(r, 0.0, 252))

    a = np.zeros(30)
    a[7] = 0.01  # one non-zero day in 30: a draw of 30 single days misses it with probability (29/30)^30 = 36%
    b = np.random.default_rng(5).normal(0.0, 0.01, 30)
    low, high, used, _ = bs.paired_intervals(sharpe, (a,), (b,), block=1, reps=200, seed=3)
    assert np.isfinite([low[0], high[0]]).all() and low[0] <= high[0]
    dropped = int(used[0].split("(")[1].split(" of ")[0])
    assert used[0] == f"percentile ({dropped} of 200 draws undefined, dropped)" and 40 <= dropped <= 110  # ~72
    # the same on BCa: its fallback interval is the defined draws' percentile one
    assert bs.paired_intervals(sharpe, (a,), (b,), block=1, reps=200, seed=3, method="bca")[2] == used
    # no draw defines it (both legs flat): NaN, named "not estimable"
    low, high, used, _ = bs.paired_intervals(sharpe, (np.zeros(30),), (np.zeros(30),), block=1, reps=100, seed=3)
    assert np.isnan([low[0], high[0]]).all() and used == ["not estimable (100 of 100 draws undefined)"]


def test_a_drawdown_from_the_first_nav_counts_the_start_as_the_peak() -> None:
    """Trial MUT2 (B3): the peak without the starting NAV survived every test (their random paths all rose first)
    and moved compare's drawdown intervals. By hand: NAV 1 -> 0.90 -> 0.945, the peak the start: 10% (the
    mutant: 0, the path's own first point its peak); analyzers.metrics.max_drawdown of the NAV says the same."""
    r = np.array([[-0.10, 0.05], [0.05, -0.10]])
    assert bs.max_drawdown_rows(r) == pytest.approx([0.10, 0.10], abs=1e-12)
    assert M.max_drawdown(np.array([1.0, 0.9, 0.945])) == pytest.approx(0.10, abs=1e-12)
