"""Hansen's SPA and Romano-Wolf's StepM over many models at once: ``arch.bootstrap``'s statistics, vectorised.

``arch.bootstrap.SPA`` (arch 8.0) gathers the T x N loss differentials once per bootstrap draw and
estimates each column's long-run variance with a Python loop over all T - 1 lags; with N in the
thousands that is about a minute, and ``StepM`` repeats all of it. Here the draws are ``arch``'s own
(the same ``StationaryBootstrap`` class, block length and seeded generator that ``SPA`` builds, so the
same indices), and every draw's column means come from one matrix product: a draw's mean of column j
is ``counts @ X[:, j] / T`` with ``counts = bincount(indices, minlength=T)``. The variance is the same
Politis-Romano kernel sum, the autocovariances taken by FFT. Everything else (the lower / consistent /
upper recentring, the p-values, the critical value and the stepdown loop) follows ``arch`` line for
line, on a single set of draws shared by SPA and StepM (``arch`` seeds both from the same seed, so
they draw the same indices). Results agree with ``arch`` up to float rounding in the summation order:
p-values are exact counts out of ``reps`` and tie only if a bootstrap maximum equals the observed one
to the last bit (tests/vixhedge/test_snooping.py compares both on several seeds and block lengths).

One case departs from ``arch``: when no column's loss differential varies over the days (every point equals
the benchmark, e.g. plug-in policies that never hedge, or differs from it by the same amount each day), the
bootstrap has nothing to resample and ``arch`` gives p-values of 0.0, which read as significant. Here the
p-values are then 1.0 (no evidence), StepM finds no superior column, and ``degenerate`` says why.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from vixhedge.bootstrap import FLAT  # a loss differential moving less than it over the days is constant


@dataclass(frozen=True)
class SnoopingResult:
    """SPA p-values (``arch``'s lower / consistent / upper) and StepM's superior columns (sorted); ``degenerate``:
    why the test could not be run (p-values 1.0, no superior column), else None."""

    pvalue_lower: float
    pvalue: float
    pvalue_upper: float
    superior: list[int]
    degenerate: str | None = None




def degenerate(loss_diff: np.ndarray, benchmark: str = "the benchmark", what: str = "daily returns") -> str | None:
    """Return why SPA/StepM cannot test ``loss_diff`` (T x N): every column constant over the days, all zero or
    not; else None. ``what`` names the series the losses come from."""
    if loss_diff.size == 0 or np.ptp(loss_diff, axis=0).max() > FLAT:
        return None
    if np.abs(loss_diff).max() <= FLAT:
        return f"every point's {what} equal {benchmark}'s, so there is nothing to test"
    return (f"every point's {what} differ from {benchmark}'s by the same amount each day, so the bootstrap "
            "has nothing to resample")


def _draw_means(loss_diff: np.ndarray, block: int, reps: int, seed: int) -> np.ndarray:
    """Return (reps x N) the column means of ``reps`` stationary-bootstrap resamples of ``loss_diff``'s rows.

    The indices are those ``arch.bootstrap.SPA(..., block_size=block, reps=reps,
    seed=np.random.default_rng(seed))`` draws: its ``StationaryBootstrap`` over the T rows, one
    ``update_indices`` per replication (resampling the data consumes no random numbers).
    """
    from arch.bootstrap import StationaryBootstrap

    t = loss_diff.shape[0]
    bs = StationaryBootstrap(block, np.zeros(t), seed=np.random.default_rng(seed))
    idx = np.stack([bs.update_indices() for _ in range(reps)])
    counts = np.bincount((idx + t * np.arange(reps)[:, None]).ravel(), minlength=reps * t).reshape(reps, t)
    return (counts.astype(float) @ loss_diff) / t


def long_run_variance(loss_diff: np.ndarray, block: int) -> np.ndarray:
    """Return each column's variance estimate as ``arch``'s ``SPA._compute_variance`` (non-nested).

    ``(gamma_0 + 2 * sum_i kappa_i * gamma_i) / T`` with ``gamma_i`` the lag-i sum of products of the
    demeaned column and ``kappa_i = (1 - i/T)(1 - p)^i + (i/T)(1 - p)^(T - i)``, ``p = 1/block``
    (Politis & Romano 1994 stationary-bootstrap weights). The ``gamma_i`` of all lags come from one
    zero-padded FFT per column instead of ``arch``'s loop over lags.
    """
    t = loss_diff.shape[0]
    d = loss_diff - loss_diff.mean(axis=0)
    f = np.fft.rfft(d, n=2 * t, axis=0)
    gamma = np.fft.irfft(f.real ** 2 + f.imag ** 2, n=2 * t, axis=0)[1:t]
    p = 1.0 / block
    i = np.arange(1, t)
    kappa = (1.0 - i / t) * (1 - p) ** i + (i / t) * (1 - p) ** (t - i)
    return np.sum(d ** 2, 0) / t + 2 * (kappa @ gamma) / t


def spa_stepm(benchmark_loss: np.ndarray, losses: np.ndarray, block: int, reps: int, seed: int,
              size: float, benchmark: str = "the benchmark", what: str = "daily returns") -> SnoopingResult:
    """Return ``arch``'s SPA p-values and StepM superior set of ``losses`` (T x N) against ``benchmark_loss`` (T, or
    T x N: a benchmark per column, as ``arch`` on zero benchmark losses and ``losses - benchmark_loss``).

    Equal to ``SPA(benchmark_loss, losses, block_size=block, reps=reps, seed=default_rng(seed))``
    and ``StepM(..., size=size, ...)`` with ``arch``'s defaults otherwise (stationary bootstrap,
    asymptotic studentization, which ``arch`` uses only to pick the consistent p-value's columns), except when
    :func:`degenerate` (p-values 1.0, no superior column: ``arch`` gives 0.0; ``benchmark`` and ``what`` name it
    and the losses' series there).
    """
    bench = np.asarray(benchmark_loss, dtype=float)
    loss_diff = (bench[:, None] if bench.ndim == 1 else bench) - np.asarray(losses, dtype=float)
    why = degenerate(loss_diff, benchmark, what)
    if why:
        return SnoopingResult(1.0, 1.0, 1.0, [], why)
    t = loss_diff.shape[0]
    mean = loss_diff.mean(0)
    # SPA._check_column_validity: a column too far below zero for its variance is not recentred
    valid = mean >= -1.0 * np.sqrt((long_run_variance(loss_diff, block) / t) * 2 * np.log(np.log(t)))
    consistent = mean.copy()
    consistent[~valid] = 0.0
    lower = mean.copy()
    lower[lower < 0] = 0.0
    star = _draw_means(loss_diff, block, reps, seed)
    best = np.max(mean)
    pv = {k: float((np.max(star - c, axis=1) > best).mean())
          for k, c in (("lower", lower), ("consistent", consistent), ("upper", mean))}
    sim = star - consistent
    # StepM.compute: SPA.better_models at the consistent critical value, then again without them
    k = mean.shape[0]
    selector = np.ones(k, dtype=bool)

    def better() -> list[int]:
        crit = np.percentile(np.max(sim[:, selector], axis=1), 100.0 * (1 - size))
        return [int(i) for i in np.argwhere((mean > crit) & selector).flatten()]

    found = better()
    superior = found[:]
    # arch loops on ``len(found) < k`` and raises (a max over no columns) once a later step rejects the
    # last remaining ones; here the stepdown ends there, every model superior
    while found and len(superior) < k:
        selector = np.ones(k, dtype=bool)
        selector[np.array(superior)] = False
        found = better()
        superior.extend(found)
    return SnoopingResult(pv["lower"], pv["consistent"], pv["upper"], sorted(superior))


def tail_losses(benchmark_returns: np.ndarray, r: np.ndarray,
                level: float = 0.95) -> tuple[np.ndarray, np.ndarray, float | np.ndarray]:
    """Return the daily losses beyond the benchmark's VaR, ``max(0, -r - v)``, of the benchmark (T, or T x N: one
    per point, ``v`` then one each) and of the points (T x N), and ``v``: the benchmark's loss on its k-th worst
    day, k = floor((1 - level) T), the day :func:`analyzers.metrics.cvar` stops at (its historical VaR).

    Rockafellar & Uryasev (2002): for any threshold v, CVaR <= v + sum(max(0, L - v)) / k, with equality for the
    benchmark at its own VaR. So a point whose mean loss beyond v is smaller than the benchmark's has a smaller CVaR
    (on these days, exactly); the converse need not hold, so a test of these means, which SPA / StepM are, can miss
    a CVaR gain; it is conservative only approximately, v being estimated on the same days (review 15)."""
    from analyzers.metrics import tail_count

    k = tail_count(len(benchmark_returns), 1.0 - level)
    v = -np.sort(benchmark_returns, axis=0, kind="stable")[k - 1]  # (T x N benchmarks: a VaR each)
    v = float(v) if np.ndim(v) == 0 else v
    return np.maximum(-benchmark_returns - v, 0.0), np.maximum(-r - v, 0.0), v
