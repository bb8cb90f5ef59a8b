"""The rule signals of vixhedge.core.signals (test_signals.py): contracting, flattening, regime runs,
confirmed crosses, pivots and divergences (crafted and against their bar-by-bar definitions), the A/D line, the
closed forms against the loops they replaced."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vixhedge.core.signals import (
    advance_decline_weakening,
    confirmed_cross,
    contracting,
    crossover,
    divergence,
    flattening,
    pivots,
    regime_run,
)


# --- histogram, slope, regime, confirmation ----------------------------------------------------


def test_contracting_mirrors_expanding():
    x = [5.0, 4.0, 3.0, 3.0, 2.0, 1.0, math.nan, 0.0]
    np.testing.assert_array_equal(contracting(x), [0, 1, 1, 0, 1, 1, 0, 0])
    np.testing.assert_array_equal(contracting(x, 2), [0, 0, 1, 0, 0, 1, 0, 0])


def test_flattening_is_small_absolute_slope():
    np.testing.assert_array_equal(flattening([math.nan, 0.01, -0.01, 0.02, -0.5], 0.02),
                                  [False, True, True, False, False])
    with pytest.raises(ValueError, match=r"flattening threshold \(0\) must be a positive number"):
        flattening([0.0], 0)


def test_regime_run_counts_bars_on_one_side():
    np.testing.assert_array_equal(regime_run([1.0, 2.0, -1.0, -1.0, -3.0, 0.0, 2.0, math.nan, 1.0]),
                                  [1, 2, -1, -2, -3, 0, 1, 0, 1])


@pytest.mark.parametrize(("hist", "hold", "agree", "expected"), [
    pytest.param([-1, 1, 2, 3, 4], 0, None, [0, 1, 0, 0, 0], id="hold0-is-the-raw-cross"),
    pytest.param([-1, 1, 2, 3, 4], 2, None, [0, 0, 0, 1, 0], id="held-two-bars"),
    pytest.param([-1, 1, 2, -1, 4], 2, None, [0, 0, 0, 0, 0], id="lost-before-confirmation"),
    pytest.param([-1, 1, 2, 3, 4], 1, [0, 0, 0, 0, 1], [0, 0, 0, 0, 1], id="waits-for-the-histogram"),
    pytest.param([1, -1, -2, -3, -1], 1, None, [0, 0, -1, 0, 0], id="down-cross"),
])
def test_confirmed_cross_crafted(hist, hold, agree, expected):
    h = np.array(hist, dtype=float)
    cross = crossover(h, np.zeros_like(h))
    mask = None if agree is None else np.array(agree, dtype=bool)
    out = confirmed_cross(cross, h, hold, mask, mask)
    np.testing.assert_array_equal(out, np.array(expected, dtype=np.int8))


@pytest.mark.parametrize("lost", [0.0, math.nan], ids=["zero", "nan"])
def test_a_bar_without_the_cross_sign_cancels_it(lost):
    """Trial MUT22 (C7): cancelling on a histogram of the other sign only (``h * pending < 0``) survived every test.
    confirmed_cross's docstring: confirmed when ``sign(hist) == s`` on every bar ``c..t``; a bar where the histogram
    loses the cross's sign cancels it. A 0 or NaN bar has not the sign +1: the up-cross of bar 0 held 2 bars is
    cancelled on bar 1, not confirmed on bar 2 (the mutant's [0, 0, 1, 0])."""
    out = confirmed_cross([1, 0, 0, 0], [1.0, lost, 1.0, 1.0], 2)
    np.testing.assert_array_equal(out, np.zeros(4, dtype=np.int8))




# --- pivots and divergence --------------------------------------------------------------------


def test_pivot_is_reported_right_bars_after_it_never_on_the_pivot_bar():
    x = np.array([5, 4, 3, 2, 1, 2, 3, 4, 5, 6, 7], dtype=float)  # low at bar 4
    lows = pivots(x, left=3, right=3)
    assert lows[7] == 4 and (np.delete(lows, 7) == -1).all()
    assert (pivots(x, 3, 3, high=True) == -1).all()
    assert (pivots(x[:7], 3, 3) == -1).all()  # bar 6: not yet confirmed


def test_flat_bottom_pivots_on_its_first_bar_and_ties_on_the_left_do_not():
    lows = pivots(np.array([3, 2, 1, 1, 2, 3], dtype=float), left=2, right=2)
    assert lows.tolist() == [-1, -1, -1, -1, 2, -1]


def test_a_flat_bottom_a_few_ulps_apart_is_flat():
    """The front-two VX series on real data was 14.325 on 2019-04-22 and 04-23 as floats a few ulps apart (a blend of
    two contracts; a researcher's trial, session 14): the second day pivoted, the divergence came a day late. Values
    within divergence.TIE (relative) of each other tie: the first bar pivots, and a low lower by an ulp is no lower
    low."""
    low = 14.325
    x = np.array([15.0, 14.6, low, np.nextafter(np.nextafter(low, 0), 0), 14.8, 15.1])
    assert x[3] < x[2] and pivots(x, left=2, right=2).tolist() == [-1, -1, -1, -1, 2, -1]
    v = np.array([16.0, 15.0, low, 15.0, 16.0, 16.5, 16.0, 15.0, np.nextafter(low, 0), 15.0, 16.0, 17.0])
    o = np.array([0.0, 0.0, -1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -0.5, 0.0, 0.0, 0.0])  # a higher MACD low
    assert not divergence(v, o, 2, 2, 3, 60).any()  # the same low, not a lower one
    v[8] = low - 0.005  # half a VX tick lower: a lower low
    assert divergence(v, o, 2, 2, 3, 60).tolist() == [0] * 10 + [1, 0]


def _pivots_by_definition(x, left, right, high):
    """The docstring's definition, bar by bar (the second implementation the vectorised one must match)."""
    v = -np.asarray(x, dtype=float) if high else np.asarray(x, dtype=float)
    out = [-1] * v.size
    for p in range(left, v.size - right):
        window = v[p - left:p + right + 1]
        if np.isfinite(window).all() and all(v[p] < b for b in v[p - left:p]) \
                and all(v[p] <= a for a in v[p + 1:p + right + 1]):
            out[p + right] = p
    return out


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, 4.0, math.nan]), max_size=30),
       st.integers(1, 4), st.integers(1, 4), st.booleans())
def test_pivots_match_the_bar_by_bar_definition(x, left, right, high):
    assert pivots(np.array(x), left, right, high=high).tolist() == _pivots_by_definition(x, left, right, high)


def _two_lows(first_low, second_low, osc_first, osc_second, gap=10):
    """A price with two V-shaped lows ``gap`` bars apart, and an oscillator with its own values there."""
    n = 2 * gap + 10
    price = np.full(n, 100.0)
    osc = np.zeros(n)
    for centre, low, o in ((5, first_low, osc_first), (5 + gap, second_low, osc_second)):
        for k in range(-3, 4):
            price[centre + k] = low + 2.0 * abs(k)
        osc[centre] = o
    return price, osc, 5 + gap


@pytest.mark.parametrize(("lows", "osc", "expected"), [
    pytest.param((90, 85), (-2.0, -1.0), 1, id="bullish-lower-low-higher-osc"),
    pytest.param((90, 85), (-1.0, -2.0), 0, id="both-lower-no-divergence"),
    pytest.param((85, 90), (-2.0, -1.0), 0, id="higher-low-no-divergence"),
    # trial MUT22 (V7): equal MACD lows are none (the article: "price makes lower lows but MACD forms higher lows")
    pytest.param((90, 85), (-2.0, -2.0), 0, id="equal-osc-no-divergence"),
])
def test_regular_bullish_divergence_crafted(lows, osc, expected):
    price, o, p2 = _two_lows(*lows, *osc)
    out = divergence(price, o, left=3, right=3, min_bars=5, max_bars=60)
    assert out[p2 + 3] == expected  # on the confirmation bar of the second low
    assert (np.delete(out, p2 + 3) == 0).all()


def test_regular_bearish_divergence_is_the_mirror():
    price, o, p2 = _two_lows(90, 85, -2.0, -1.0)
    out = divergence(-price, -o, left=3, right=3, min_bars=5, max_bars=60)
    assert out[p2 + 3] == -1 and (out != 0).sum() == 1


@pytest.mark.parametrize(("gap", "min_bars", "max_bars", "fires"), [
    (10, 5, 60, True), (10, 11, 60, False), (10, 5, 9, False)], ids=["inside", "too-close", "too-far"])
def test_divergence_pivot_distance_bounds(gap, min_bars, max_bars, fires):
    price, o, p2 = _two_lows(90, 85, -2.0, -1.0, gap=gap)
    out = divergence(price, o, left=3, right=3, min_bars=min_bars, max_bars=max_bars)
    assert bool(out[p2 + 3] == 1) is fires


def test_divergence_cannot_be_seen_before_confirmation():
    price, o, p2 = _two_lows(90, 85, -2.0, -1.0)
    for t in range(p2, p2 + 3):  # data ending before the second low is confirmed
        assert (divergence(price[: t + 1], o[: t + 1], 3, 3, 5, 60) == 0).all()
    assert divergence(price[: p2 + 4], o[: p2 + 4], 3, 3, 5, 60)[-1] == 1


def test_divergence_validation():
    with pytest.raises(ValueError, match=r"divergence min_bars \(9\) must not exceed max_bars \(5\)"):
        divergence([1.0], [1.0], min_bars=9, max_bars=5)
    with pytest.raises(ValueError, match=r"divergence inputs differ in length \(2 vs 1\)"):
        divergence([1.0, 2.0], [1.0])


# --- advance / decline ------------------------------------------------------------------------


def test_advance_decline_weakening_is_a_falling_ad_line():
    adv = np.array([500, 500, 400, 300, 600, 100, math.nan, 500], dtype=float)
    dec = np.full(8, 450.0)
    # net: +50, +50, -50, -150, +150, -350, nan, +50; 2-bar sums from bar 2: 0, -200, 0, -200, nan, nan
    np.testing.assert_array_equal(advance_decline_weakening(adv, dec, 2),
                                  [False, False, False, True, False, True, False, False])


def test_advance_decline_weakening_is_false_on_the_first_n_bars():
    """Trial MUT22 (S7): the loop starting at bar n - 1 survived every test. The docstring: weakening when
    line[t] - line[t-n] < 0, "False on the first n bars" (line[t-n] is not there). Net -50 a bar: bar 2's 2-bar sum
    -100 < 0; bars 0 and 1 have fewer than n bars before them."""
    np.testing.assert_array_equal(advance_decline_weakening([400.0] * 3, [450.0] * 3, 2), [False, False, True])


# --- closed forms against their bar-by-bar definitions (the loops they replaced) -----------------------------
def _regime_loop(d: np.ndarray) -> np.ndarray:
    sign = np.where(d > 0, 1, np.where(d < 0, -1, 0))
    out = np.zeros(len(d), dtype=np.int64)
    for t, s in enumerate(sign):
        out[t] = s if t == 0 or s == 0 or np.sign(out[t - 1]) != s else out[t - 1] + s
    return out


def _divergence_loop(px, o, left, right, min_bars, max_bars) -> np.ndarray:
    out = np.zeros(len(px), dtype=np.int8)
    for sign, high in ((1, False), (-1, True)):
        seen: list[int] = []
        for t, p2 in enumerate(pivots(px, left, right, high=high)):
            if p2 < 0:
                continue
            p1 = next((p for p in reversed(seen) if min_bars <= p2 - p <= max_bars), None)
            seen.append(int(p2))
            if p1 is None or not (np.isfinite(o[p1]) and np.isfinite(o[p2])):
                continue
            if (not high and px[p2] < px[p1] and o[p2] > o[p1]) or (high and px[p2] > px[p1] and o[p2] < o[p1]):
                out[t] = sign
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 2**32 - 1))
def test_closed_forms_equal_their_loops(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 300))
    h = rng.normal(size=n)
    h[rng.random(n) < 0.1] = 0.0
    h[rng.random(n) < 0.05] = np.nan
    np.testing.assert_array_equal(regime_run(h), _regime_loop(h))
    cross = rng.integers(-1, 2, size=n)
    with np.errstate(invalid="ignore"):
        np.testing.assert_array_equal(confirmed_cross(cross, h, 0), np.where(cross * h > 0, cross, 0))
    px, osc = np.cumsum(rng.normal(size=n)), np.cumsum(rng.normal(size=n))
    osc[: int(rng.integers(0, n))] = np.nan
    args = (int(rng.integers(1, 6)), int(rng.integers(1, 6)), int(rng.integers(1, 6)), int(rng.integers(6, 80)))
    np.testing.assert_array_equal(divergence(px, osc, *args), _divergence_loop(px, osc, *args))
