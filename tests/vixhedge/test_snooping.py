"""vixhedge.snooping gives arch.bootstrap's SPA p-values and StepM superior set, on arch's own draws."""

import numpy as np
import pytest
from arch.bootstrap import SPA, StepM

from vixhedge import sweep_returns
from vixhedge.bootstrap import data_block_length
from vixhedge.snooping import _draw_means, long_run_variance, spa_stepm
from vixhedge.sweep_summary import snooping_tests

T, N, REPS = 300, 40, 500  # sizes of the brief (issue 16): N=40 models over T=300 days; 500 draws keep arch quick


def losses(data_seed: int, edge: float) -> tuple[np.ndarray, np.ndarray]:
    """Benchmark and N model losses: models 0-3 lose ``edge`` less per day than the benchmark, model 5 is it,
    model 6 it plus 0.01 every day.

    Model noise sd 1 around the benchmark's (so the mean difference's sd is 1/sqrt(300) = 0.058): an
    edge of 0.15 is about 2.6 sd (some of models 0-3 found, others not), 0 leaves only luck.
    """
    rng = np.random.default_rng(data_seed)
    bench = rng.normal(0.0, 1.0, T)
    shift = np.r_[np.full(4, edge), rng.normal(-0.05, 0.05, N - 4)]
    models = bench[:, None] + rng.normal(0.0, 1.0, (T, N)) - shift
    models[:, 5] = bench  # zero loss differential: zero variance, always a valid (recentred) column
    models[:, 6] = bench + 0.01  # a constant loss differential: variance zero up to rounding, never recentred
    return bench, models


def arch_results(bench, models, block, seed, size=0.05):
    spa = SPA(bench, models, block_size=block, reps=REPS, seed=np.random.default_rng(seed))
    spa.compute()
    stepm = StepM(bench, models, size=size, block_size=block, reps=REPS, seed=np.random.default_rng(seed))
    stepm.compute()
    return spa, [int(i) for i in stepm.superior_models]


@pytest.mark.parametrize("edge", [0.0, 0.15])
@pytest.mark.parametrize("block", [1, 4, 12])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pvalues_and_superior_set_equal_arch(seed, block, edge):
    bench, models = losses(10 + seed, edge)
    spa, superior = arch_results(bench, models, block, seed)
    got = spa_stepm(bench, models, block, REPS, seed, 0.05)
    pv = spa.pvalues
    assert (got.pvalue_lower, got.pvalue, got.pvalue_upper) == (pv["lower"], pv["consistent"], pv["upper"])
    assert got.superior == superior
    # the draws and the variances behind them: arch's to float rounding of the summation order
    mean = spa._loss_diff.mean(0)
    np.testing.assert_allclose(_draw_means(spa._loss_diff, block, REPS, seed) - mean,
                               spa._simulated_vals[:, :, 2].T, rtol=0, atol=1e-12)
    np.testing.assert_allclose(long_run_variance(spa._loss_diff, block), spa._loss_diff_var, rtol=1e-12, atol=0)
    assert spa._loss_diff_var[5] == long_run_variance(spa._loss_diff, block)[5] == 0.0


@pytest.mark.parametrize("block", [1, 5])
def test_a_benchmark_per_point_equals_arch_on_the_loss_differentials(block):
    """Each point against its own book's baseline (vixhedge.sweep_books): a T x N benchmark. SPA and StepM depend on
    the losses only through the differentials d = benchmark - model (Hansen 2005, eq. 1), so arch on a zero
    benchmark and the models' losses less their own benchmarks is the reference; a column equal to its own
    benchmark differs by 0, and three books of 40 models make the benchmarks really differ."""
    rng = np.random.default_rng(3)
    books = rng.normal(0.0, 1.0, (T, 3)) + np.array([0.0, 0.3, -0.2])
    bench = books[:, np.arange(N) % 3]
    models = bench + rng.normal(0.0, 1.0, (T, N)) - np.r_[np.full(4, 0.15), rng.normal(-0.05, 0.05, N - 4)]
    models[:, 5] = bench[:, 5]
    spa, superior = arch_results(np.zeros(T), models - bench, block, 4)
    got = spa_stepm(bench, models, block, REPS, 4, 0.05)
    pv = spa.pvalues
    assert (got.pvalue_lower, got.pvalue, got.pvalue_upper) == pytest.approx(
        (pv["lower"], pv["consistent"], pv["upper"]), abs=0)
    assert got.superior == superior and superior  # (some model found: the case is not trivial)
    one = spa_stepm(books[:, 0], models[:, ::3], block, REPS, 4, 0.05)  # one book: the 1-D benchmark's result
    same = spa_stepm(bench[:, ::3], models[:, ::3], block, REPS, 4, 0.05)
    assert (one.pvalue, one.superior) == (same.pvalue, same.superior)


def six_models(data_seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Three clear winners (1.0, 1.0, 0.9 less loss a day) and three marginal ones (0.066 a day, about 1.9 sd
    of their mean difference with noise sd 0.5 over 300 days): StepM often rejects the marginal ones only
    after the clear ones are out."""
    rng = np.random.default_rng(data_seed)
    bench = rng.normal(0.0, 1.0, T)
    return bench, bench[:, None] + rng.normal(0.0, 0.5, (T, 6)) - np.array([1.0, 1.0, 0.9, 0.066, 0.066, 0.066])


def test_stepdown_equal_arch_and_cases_are_not_trivial():
    """StepM after its first step equals arch's; the cases above include p-values inside (0, 1)."""
    later_steps = 0
    for data_seed in range(7):  # 0..6: arch completes on all (it raises on 7, test below)
        bench, models = six_models(data_seed)
        spa, superior = arch_results(bench, models, 3, 0)
        assert spa_stepm(bench, models, 3, REPS, 0, 0.05).superior == superior
        later_steps += len(superior) > len(spa.better_models(0.05))
    assert later_steps >= 1
    assert 0.0 < spa_stepm(*losses(10, 0.0), 4, REPS, 0, 0.05).pvalue < 1.0


def test_stepm_ends_when_a_later_step_rejects_every_remaining_model():
    """A later step rejects every model left (data seed 7, the first of 0..39 where it does, by scanning):
    arch 8.0 then takes a max over no columns and raises; the stepdown here ends, every model superior."""
    bench, models = six_models(7)
    stepm = StepM(bench, models, size=0.05, block_size=3, reps=REPS, seed=np.random.default_rng(0))
    with pytest.raises(ValueError, match="zero-size array"):
        stepm.compute()
    assert spa_stepm(bench, models, 3, REPS, 0, 0.05).superior == [0, 1, 2, 3, 4, 5]


def test_snooping_tests_equal_arch_on_stored_returns(tmp_path):
    """sweep_summary.snooping_tests on a folder of returns.bin records: arch's SPA/StepM of the same data."""
    bench_loss, model_losses = losses(12, 0.15)
    keys = [f"{i:016x}" for i in range(N)]
    sweep_returns.append(tmp_path, zip(keys, (-model_losses).T))
    out = snooping_tests(tmp_path, keys, keys[0], -bench_loss, seed=3, reps=REPS)
    top = int(np.argmin(model_losses.mean(axis=0)))  # the block's point: the highest mean return, whatever is ranked
    block = data_block_length(model_losses[:, top] - bench_loss, "stationary")  # SPA resamples stationary blocks
    first = model_losses[:, 0] - bench_loss  # (the stationary estimate is not the circular one it took until 2026-12-04)
    assert data_block_length(first, "stationary") != data_block_length(first)
    spa, superior = arch_results(bench_loss, model_losses, block, 3)
    assert out["block_days"] == block and out["points_tested"] == N
    assert (out["spa_pvalue_lower"], out["spa_pvalue"], out["spa_pvalue_upper"]) == tuple(
        spa.pvalues[["lower", "consistent", "upper"]])
    assert out["stepm_superior"] == len(superior) and out["best_in_stepm_set"] == (0 in superior)


def test_each_points_own_benchmark_equals_arch_and_ignores_float_noise(tmp_path):
    """A sweep whose points each have their own book's baseline (``books``, vixhedge.sweep_books): arch's SPA /
    StepM on zero benchmark losses and the loss differentials, the block on SPA's best moving differential (the
    highest mean over its own book); a point equal to its own book but for 2.2e-16 on some days (a run against a
    read-back row, review 24), here SPA's best as no other point beats its book, gives the same figures as its
    exact copy (trial MUT24B: the snap and the block's column were
    unpinned)."""
    rng = np.random.default_rng(3)
    books = rng.normal(0.0, 0.01, (T, 3))
    bench = books[:, np.arange(N) % 3]
    r = bench + rng.normal(0.0, 0.01, (T, N)) - 0.004  # no point beats its own book: SPA's best is the level one
    r[:, 5] = bench[:, 5]
    keys = [f"{i:016x}" for i in range(N)]
    own = dict(zip(keys, bench.T))
    noisy = r.copy()
    noisy[::7, 5] += 2.2e-16
    figures = []
    for name, data in (("exact", r), ("noisy", noisy)):
        (tmp_path / name).mkdir()
        sweep_returns.append(tmp_path / name, zip(keys, data.T))
        out = snooping_tests(tmp_path / name, keys, keys[0], bench[:, 0], seed=3, reps=REPS, books=own)
        figures.append({k: out[k] for k in ("spa_pvalue", "spa_pvalue_lower", "block_days", "stepm_superior")})
    assert figures[0] == figures[1]
    d = r - bench  # the loss differentials: -bench - (-r)
    moving = np.ptp(d, axis=0) > 1e-12  # (the level point has none to estimate a block on)
    top = int(np.argmax(np.where(moving, d.mean(axis=0), -np.inf)))
    block = data_block_length(d[:, top], "stationary")
    spa, superior = arch_results(np.zeros(T), bench - r, block, 3)
    assert figures[0] == {"spa_pvalue": spa.pvalues["consistent"], "spa_pvalue_lower": spa.pvalues["lower"],
                          "block_days": block, "stepm_superior": len(superior)}
    assert int(np.argmax(d.mean(axis=0))) == 5  # (the level point is SPA's best: where the noise told)


def test_points_equal_to_the_benchmark_are_not_evidence(tmp_path):
    """Fresh-user trial: plug-in policies that never hedge equal the no-hedge baseline every day, and arch's SPA
    gives p-value 0.0 on all-zero loss differentials (checked below), which the summary printed as "SPA p-value 0.00".
    With no column varying over the days (all zero, or a constant shift) the p-values are 1.0, StepM finds none and
    the summary says why; a column that varies at all keeps arch's numbers (the test above)."""
    from pathlib import Path

    from vixhedge.sweep_text import format_summary

    bench = np.random.default_rng(0).normal(0.0, 1.0, T)
    equal = np.column_stack([bench, bench])
    spa = SPA(bench, equal, block_size=3, reps=REPS, seed=np.random.default_rng(0))
    spa.compute()
    assert spa.pvalues["consistent"] == 0.0  # arch 8.0: reads as significant
    got = spa_stepm(bench, equal, 3, REPS, 0, 0.05)
    assert (got.pvalue_lower, got.pvalue, got.pvalue_upper, got.superior) == (1.0, 1.0, 1.0, [])
    assert "equal the benchmark's" in got.degenerate
    shifted = spa_stepm(bench, equal - 0.01, 3, REPS, 0, 0.05)  # 0.01 less loss every day: nothing to resample
    assert shifted.pvalue == 1.0 and shifted.superior == [] and "the same amount each day" in shifted.degenerate
    assert spa_stepm(*losses(10, 0.15), 3, REPS, 0, 0.05).degenerate is None
    keys = ["a" * 16, "b" * 16]
    sweep_returns.append(tmp_path, zip(keys, (-equal).T))
    out = snooping_tests(tmp_path, keys, keys[0], -bench, seed=3, reps=REPS)
    assert out["spa_pvalue"] == 1.0 and out["stepm_superior"] == 0 and not out["best_in_stepm_set"]
    text = format_summary({"snooping": out}, "s", [], Path("o"))
    assert ("SPA p-value 1.00 (is the best of 2 points by mean daily return better than no hedge?); StepM: 0 of 2 points beat no hedge at "
            "5%; not testable: every point's daily returns equal no hedge's") in text
