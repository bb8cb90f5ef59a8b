"""Paired circular block bootstrap of daily series, on ``arch.bootstrap``.

Two strategies run on the same market path produce daily returns on the same days. Resampling
the SAME blocks of day indices for both keeps their dependence (paired), and blocks keep the
serial dependence of volatility regimes. The resampling and the intervals are arch's
(:class:`arch.bootstrap.CircularBlockBootstrap`): percentile intervals by default, BCa on request
(bias-corrected and accelerated, Efron 1987; the acceleration from a leave-one-out jackknife), and the
block length chosen from the data by default (Politis & White 2004 with the Patton, Politis & White
2009 correction, :func:`arch.bootstrap.optimal_block_length`, "circular" column, of the paired
difference of daily returns) unless the caller fixes it.

The row statistics below are vectorised over bootstrap rows (last axis = days) and equal the
scalar metrics of :mod:`analyzers.metrics` (tested).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection
from typing import Literal, NamedTuple

import numpy as np

from analyzers.metrics import RETURN_NOISE  # the run's own noise floor: both say n/a on a cash-only path
from vixhedge.core.config.base import CI_METHODS  # the interval methods (compare's ci_method, --ci-method)

CiMethod = Literal["percentile", "bca"]


def sharpe_rows(r: np.ndarray, rf_daily: float | np.ndarray, periods_per_year: int) -> np.ndarray:
    ex = r - rf_daily
    if ex.shape[-1] < 2:  # one return has no spread: n/a, without numpy's degrees-of-freedom warnings on the
        return np.full(ex.shape[:-1], np.nan)  # console (trial RS24: a compare whose modes were ruined on day 2)
    sd = ex.std(axis=-1, ddof=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(sd > RETURN_NOISE, ex.mean(axis=-1) / sd * np.sqrt(periods_per_year), np.nan)


def max_drawdown_rows(r: np.ndarray) -> np.ndarray:
    nav = np.cumprod(1.0 + r, axis=-1)
    peak = np.maximum(nav, 1.0)  # the path starts at 1 (in place below: the same numbers, fewer arrays)
    np.maximum.accumulate(peak, axis=-1, out=peak)
    np.divide(nav, peak, out=peak)
    return np.subtract(1.0, peak, out=peak).max(axis=-1)


def cvar_rows(r: np.ndarray, level: float = 0.95) -> np.ndarray:
    """Return the historical CVaR: minus the mean of the worst (1 - level) share of returns (the k worst by a
    partition, then in sorted order: the same sum, bit for bit, as of a full sort's first k)."""
    k = max(1, int(np.floor((1.0 - level) * r.shape[-1])))
    worst = np.sort(np.partition(r, k - 1, axis=-1)[..., :k], axis=-1)
    return -worst.mean(axis=-1)


# a difference of daily returns moving less than this over the days is constant (1e-12 of NAV, $0.000001 a day on
# $1M; float rounding of returns that are equal leaves about 1e-17): no block to estimate, none to resample
FLAT = 1e-12


def data_block_length(diff: np.ndarray, kind: str = "circular") -> int:
    """Return the data-driven block length (days) for a paired difference series: the ``circular`` block
    bootstrap's (compare) or the ``stationary`` one's mean block (SPA / StepM, which resample with it).

    Politis & White (2004) / Patton, Politis & White (2009) as implemented by
    :func:`arch.bootstrap.optimal_block_length`, rounded up, at least 1 and at most half the sample.
    """
    from arch.bootstrap import optimal_block_length

    x = np.asarray(diff, dtype=float)
    # (rounding noise: a 15-day block, review 14; 10 values or fewer: none, arch divides by zero at 10, TST24)
    if len(x) <= 10 or not np.isfinite(x).all() or np.ptp(x) <= FLAT:
        return 1
    b = float(optimal_block_length(x)[kind].iloc[0])
    return int(min(max(1, math.ceil(b)), max(1, len(x) // 2)))


class Intervals(NamedTuple):
    """What :func:`paired_intervals` returns: per statistic the interval's ends and method, and the draws."""
    low: np.ndarray
    high: np.ndarray
    used: list[str]
    draws: np.ndarray  # (reps, statistics): stat(a) - stat(b) on each draw (:func:`borderline` reads them)


def paired_intervals(stat: Callable[..., np.ndarray], a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...],
                     block: int, reps: int, seed: int, method: CiMethod = "percentile",
                     size: float = 0.95, on_draw: Callable[[], object] | None = None,
                     percentile_only: Collection[int] = (), rows: bool = False) -> Intervals:
    """Return the intervals (low, high, method used per statistic) of ``stat(*a) - stat(*b)`` by a paired
    bootstrap, and its draws.

    ``a`` and ``b`` are same-length day series of the two legs; every draw resamples the same circular
    blocks of days for both (arch draws them; each estimate starts its generator from ``seed``, so all draw the
    same days). The percentile interval is arch's (``conf_int(method="percentile")``: ``np.percentile`` of the
    draws, tested equal) taken on the one set of draws; a statistic undefined on some draws (NaN) takes it on
    the defined ones (:func:`defined_interval`). BCa is arch's, one statistic at a time, and falls back to the
    percentile interval for a statistic whose bias correction is undefined (every draw on one side of the point
    estimate, e.g. a difference that is zero on every draw); the returned methods say so. The statistics at the
    indices ``percentile_only`` take the percentile interval under ``bca`` too (compare's max drawdown and CVaR:
    :data:`vixhedge.compare.PERCENTILE_ONLY`).

    ``on_draw`` (a progress bar) is called ``reps`` times per interval estimated: once per BCa statistic for
    ``bca``, once in all for ``percentile`` (:func:`draws`); the results do not depend on it.

    ``rows``: ``stat`` also takes the days of many draws as rows (2-D series, a draw a row) and returns a row of
    statistics per draw (compare's :func:`vixhedge.compare.leg_stats`); the draws are then computed a chunk of draws
    at a time on arch's own day indices (:func:`draw_rows`): the same numbers, bit for bit, several times faster on
    short series (trial PERF36). BCa's intervals stay arch's, draw by draw.
    """
    if method not in CI_METHODS:  # else any other word ran BCa (compare checks its ci_method before any work)
        raise ValueError(f"method = {method!r} is not a CI method: use one of {list(CI_METHODS)}")
    from arch.bootstrap import CircularBlockBootstrap

    k = len(a)
    ticks = [0]  # on_draw calls of the current estimate: at most reps (a BCa jackknife evaluates more)

    def diff(*x: np.ndarray) -> np.ndarray:
        if on_draw is not None and ticks[0] < reps:
            ticks[0] += 1
            on_draw()
        return np.asarray(stat(*x[:k]), dtype=float) - np.asarray(stat(*x[k:]), dtype=float)

    def done() -> None:  # an estimate is made: its reps ticks are all given, whatever arch evaluated
        while on_draw is not None and ticks[0] < reps:
            ticks[0] += 1
            on_draw()

    def boot() -> CircularBlockBootstrap:
        return CircularBlockBootstrap(block, *a, *b, seed=np.random.default_rng(seed))

    def tick(n: int) -> None:
        for _ in range(n):
            if on_draw is not None and ticks[0] < reps:
                ticks[0] += 1
                on_draw()

    ticks[0] = 0 if method == "percentile" else reps  # the BCa intervals below tick; these draws do not
    with np.errstate(divide="ignore", invalid="ignore"):
        draws = (draw_rows(stat, a, b, boot(), reps, tick) if rows
                 else np.asarray(boot().apply(diff, reps), dtype=float).reshape(reps, -1))
    done()
    n_stats = draws.shape[1]
    low, high, used = np.empty(n_stats), np.empty(n_stats), []
    for i in range(n_stats):
        if method == "bca" and i not in percentile_only:
            def one(*x: np.ndarray, i: int = i) -> np.ndarray:
                return diff(*x)[i:i + 1]
            ticks[0] = 0
            try:
                with np.errstate(divide="ignore", invalid="ignore"):
                    ci = boot().conf_int(one, reps=reps, method="bca", size=size)
            except (RuntimeError, ValueError):  # arch: bias correction undefined (empirical probability 0 or 1,
                ci = np.full((2, 1), np.nan)    # or NaN draws: a statistic undefined on some)
            done()
            if np.isfinite(ci).all():
                low[i], high[i] = ci[0, 0], ci[1, 0]
                used.append("bca")
                continue
        if np.isfinite(draws[:, i]).all():  # arch's percentile interval: np.percentile of the draws
            alpha = (1.0 - size) / 2.0
            low[i], high[i] = np.percentile(draws[:, i], [100 * alpha, 100 * (1.0 - alpha)])
            used.append("percentile")
        else:
            low[i], high[i], how = defined_interval(draws[:, i], size)
            used.append(how)
    return Intervals(low, high, used, draws)


#: draws x days resampled at once by :func:`draw_rows`: a chunk of 16 draws of 15 years (3,900 days), 256 of a
#: 60-day period (at most CHUNK_DRAWS); larger chunks of long series leave the cache and gain nothing (trial PERF36)
CHUNK_CELLS, CHUNK_DRAWS = 65_536, 256


def draw_rows(stat: Callable[..., np.ndarray], a: tuple[np.ndarray, ...], b: tuple[np.ndarray, ...], boot,
              reps: int, tick: Callable[[int], object] = lambda n: None) -> np.ndarray:
    """Return the (reps, statistics) draws ``stat(*a) - stat(*b)`` of a paired bootstrap as arch's
    ``boot.apply`` makes them (``boot`` an arch bootstrap of ``*a, *b`` not yet used), ``stat`` taking draws as
    rows: arch's ``update_indices`` draws each draw's day indices, the same generator stream in the same order as
    ``apply`` (whose evaluation on the original data draws nothing), and a chunk of draws is resampled and its
    statistics computed at once; ``tick(n)`` after each chunk of n draws (a progress bar's)."""
    k, days = len(a), len(a[0])
    legs = [np.asarray(x) for x in (*a, *b)]
    chunk = max(1, min(CHUNK_DRAWS, CHUNK_CELLS // max(days, 1)))
    out = []
    for start in range(0, reps, chunk):
        j = np.stack([boot.update_indices() for _ in range(min(chunk, reps - start))])
        x = [v[j] for v in legs]
        out.append(np.asarray(stat(*x[:k]), dtype=float) - np.asarray(stat(*x[k:]), dtype=float))
        tick(len(j))
    return np.concatenate(out).reshape(reps, -1)


def borderline(draws: np.ndarray, low: float, high: float) -> bool:
    """Whether 0 lies within the Monte-Carlo error of an endpoint of the interval [low, high] made from ``draws``
    (one statistic's bootstrap draws): another seed, or more draws, could move that endpoint across 0 and so the
    verdict. Each endpoint sits at some rank of the sorted draws (its empirical level p, percentile or BCa alike);
    its 95% Monte-Carlo band runs between the order statistics at ``B p -+ 1.96 sqrt(B p (1 - p))`` (the binomial
    count of draws below a fixed quantile), and the check is whether 0 lies inside it. BCa's bias and
    acceleration estimates add Monte-Carlo error this does not count. An endpoint equal to several draws (a CVaR
    of the same worst days) takes the middle of their ranks."""
    d = np.sort(draws[np.isfinite(draws)])
    n = len(d)
    if n < 2 or not (np.isfinite(low) and np.isfinite(high)) or d[-1] - d[0] <= FLAT:
        return False  # (every draw the same, e.g. a mode identical to the baseline: no Monte-Carlo error to flip it)
    for end in (low, high):  # (its rank the middle of the draws tied with it: trial RS37 met 66 CVaR draws equal to
        # an endpoint ranked as the last of them, 1996 of 2000 for 1950, whose band then reached the one draw above 0)
        p = float(np.searchsorted(d, end, side="left") + np.searchsorted(d, end, side="right")) / (2.0 * n)
        half = 1.96 * math.sqrt(n * p * (1.0 - p))
        lo, hi = d[max(0, math.floor(n * p - half) - 1)], d[min(n - 1, math.ceil(n * p + half) - 1)]
        if min(lo, end) <= 0.0 <= max(hi, end):
            return True
    return False


def two_sided_p(draws: np.ndarray) -> float:
    """Return the two-sided percentile-bootstrap p-value of one statistic's paired ``draws`` against a difference of
    0: ``2 (1 + k) / (1 + B)``, at most 1, ``k`` the defined draws on the side of 0 with fewer, ``B`` the defined
    draws (NaN with none): about the 1 - level at which the percentile interval's nearer end reaches 0, so below
    0.05 where the 95% percentile interval excludes 0 but for a draw or two at the boundary (the ``1 +`` counts the
    estimate as a draw, Davison & Hinkley 1997, eq. 4.11; np.percentile interpolates: trial STAT34 met a "better"
    beside p 0.053 at 300 draws). Compare's Holm line adjusts them (:func:`vixhedge.verdicts.holm`)."""
    d = draws[np.isfinite(draws)]
    if not len(d):
        return math.nan
    k = min(int((d <= 0.0).sum()), int((d >= 0.0).sum()))
    return min(1.0, 2.0 * (1 + k) / (1 + len(d)))


def few_blocks(block: int, days: int, what: str) -> str:
    """Return ``bootstrap block (B days) is X% of the D daily returns <what>: about N independent blocks`` when the
    block is a quarter or more of the returns (few independent blocks: rough intervals and p-values), else "";
    compare's and a sweep's SPA / StepM caveats say it."""
    if not block or not days or 4 * block < days:
        return ""
    from vixhedge import fmt

    return (f"bootstrap block ({fmt.plural(block, 'day')}) is {fmt.pct(block / days, 0)} of the {days} daily returns "
            f"{what}: about {days / block:.1f} independent blocks")


UNDEFINED = "not estimable"  # the method cell of a CI no draw defines (paired.csv ``ci_method``)


def draws(pairs: int, reps: int, n_stats: int, method: CiMethod) -> int:
    """Return how many times :func:`paired_intervals` calls ``on_draw`` for ``pairs`` pairs (a bar's total) of
    ``n_stats`` BCa statistics under ``bca`` (at least one)."""
    return pairs * reps * (n_stats if method == "bca" else 1)


def defined_interval(draws: np.ndarray, size: float = 0.95) -> tuple[float, float, str]:
    """Return (low, high, method) of the percentile interval of one statistic's bootstrap ``draws`` with the
    draws where it is undefined (NaN: a Sharpe ratio of a draw with no spread, :func:`sharpe_rows`) dropped, and
    the method saying how many were; with none defined, NaN and ``"not estimable (...)"``."""
    ok = np.isfinite(draws)
    dropped = f"{len(draws) - int(ok.sum())} of {len(draws)} draws undefined"
    if not ok.any():
        return math.nan, math.nan, f"{UNDEFINED} ({dropped})"
    alpha = (1.0 - size) / 2.0
    low, high = np.percentile(draws[ok], [100 * alpha, 100 * (1.0 - alpha)])
    return float(low), float(high), f"percentile ({dropped}, dropped)"
