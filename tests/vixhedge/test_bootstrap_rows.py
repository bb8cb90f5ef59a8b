"""The bootstrap's draws as rows (vixhedge.bootstrap.draw_rows, paired_intervals(rows=True), compare's path): bit
for bit arch's own per-draw ``apply`` with compare's statistics (trial PERF36 item 3: same generator stream, same
numbers, several times faster), and the progress ticks the same."""

import numpy as np
import pytest

from vixhedge import api
from vixhedge import bootstrap as bs
from vixhedge.compare import leg_stats

ANALYSIS = api.load_preset_config("default").analysis


def _stats(r, hedge_cost, rf, nav0):
    return leg_stats(r, hedge_cost, rf, nav0, ANALYSIS)


def _legs(days: int, seed: int) -> tuple[tuple, tuple]:
    """Two legs as compare's legs(): daily returns, hedge net cost, risk-free returns, the starting NAV; on short
    series the baseline's returns are flat but for 3 days (its Sharpe undefined on the draws missing them: NaN
    draws), on long ones the mode's hold a -100% ruin day; costs in cents."""
    rng = np.random.default_rng(seed)
    r = rng.normal(4e-4, 0.012, days)
    if days > 1000:
        r[days // 3] = -1.0
    base = np.where(rng.random(days) < 0.5, 0.0, rng.normal(2e-4, 1e-6, days))
    if days < 100:
        base[:] = 0.0
        base[10:13] = (3e-4, -1e-4, 2e-4)
    cost = np.round(rng.normal(0.0, 900.0, days), 2)
    rf = np.full(days, 1.6e-4)
    return (r, cost, rf, np.full(days, 1_000_000.0)), (base, np.zeros(days), rf, np.full(days, 1_003_512.25))


def _bits(x: np.ndarray) -> np.ndarray:
    return np.ascontiguousarray(x, dtype=float).view(np.int64)


@pytest.mark.parametrize("days, block, reps", [(60, 4, 700), (1_258, 5, 300), (3_900, 9, 150)])
def test_draw_rows_are_arch_apply_s_draws_bit_for_bit(days, block, reps):
    """60 days (a stress period), 1,258 (5 years), 3,900 (15 years), as the brief PERF36B asks; reps not a
    multiple of the chunk (256, 52, 16 draws: bs.CHUNK_CELLS), so the last chunk is partial. arch's apply, one
    call per draw, is the reference: a changed generator stream or statistic moves some bit."""
    from arch.bootstrap import CircularBlockBootstrap

    a, b = _legs(days, days)

    def diff(*x):
        return _stats(*x[:4]) - _stats(*x[4:])

    def boot():
        return CircularBlockBootstrap(block, *a, *b, seed=np.random.default_rng(17))

    with np.errstate(divide="ignore", invalid="ignore"):
        ref = boot().apply(diff, reps)
        ticks = []
        new = bs.draw_rows(_stats, a, b, boot(), reps, ticks.append)
    assert new.shape == ref.shape == (reps, 5)
    assert np.isnan(ref[:, 0]).any() == (days < 100)  # the flat baseline's undefined Sharpe reaches the draws
    np.testing.assert_array_equal(_bits(new), _bits(ref))
    assert sum(ticks) == reps


@pytest.mark.parametrize("method", ["percentile", "bca"])
def test_paired_intervals_with_rows_equal_the_per_draw_path(method):
    """paired_intervals(rows=True), compare's call, returns the per-draw path's intervals, methods and draws bit
    for bit, and calls on_draw as often (bs.draws: reps for percentile, reps per BCa statistic)."""
    a, b = _legs(250, 5)
    out, calls = {}, {}
    for rows in (False, True):
        ticks = []
        out[rows] = bs.paired_intervals(_stats, a, b, 6, 300, 23, method, on_draw=lambda: ticks.append(1),
                                        percentile_only=(1, 2), rows=rows)
        calls[rows] = len(ticks)
    for old, new in zip(out[False], out[True]):
        if isinstance(old, list):
            assert new == old
        else:
            np.testing.assert_array_equal(_bits(new), _bits(old))
    assert calls[True] == calls[False] == bs.draws(1, 300, 3, method)


def test_cvar_and_drawdown_rows_are_the_full_sort_s_and_the_plain_formula_s_bit_for_bit():
    """cvar_rows takes the k worst returns by np.partition and sorts only those, max_drawdown_rows works in place
    (trial PERF36B: at 3,900 days the full sort and the temporaries were half a draw's time): the same bits as
    the formulas they replace (a full sort's first k; 1 - nav / running peak from 1), on rows with ties, zeros of
    both signs, a -100% day, and on one row (1-D) as the point statistics call them."""
    rng = np.random.default_rng(4)
    r = np.round(rng.standard_t(3, (40, 1_258)) * 0.01, 4)  # rounded: many ties
    r[:, ::7] = 0.0
    r[:, 3::11] = -0.0
    r[5, 100] = -1.0
    for x in (r, r[0], r[:, :25]):
        k = max(1, int(np.floor(0.05 * x.shape[-1])))
        np.testing.assert_array_equal(_bits(bs.cvar_rows(x)), _bits(-np.sort(x, axis=-1)[..., :k].mean(axis=-1)))
        nav = np.cumprod(1.0 + x, axis=-1)
        old = (1.0 - nav / np.maximum.accumulate(np.maximum(nav, 1.0), axis=-1)).max(axis=-1)
        np.testing.assert_array_equal(_bits(bs.max_drawdown_rows(x)), _bits(old))
