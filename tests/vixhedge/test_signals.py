"""Tests for vixhedge.core.signals: backtrader indicators as reference, a plain EMA, invariants."""

from __future__ import annotations

import math
from dataclasses import FrozenInstanceError

import backtrader as bt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vixhedge.core.signals import (
    Macd,
    advance_decline_weakening,
    confirmed_cross,
    contracting,
    crossover,
    divergence,
    ema,
    expanding,
    flattening,
    macd,
    pivots,
    regime_run,
    rsi,
    slope,
)

N_BARS = 600
MACD_PARAMS = [(12, 26, 9), (5, 35, 5)]
EMA_PERIODS = [10, 30]
RSI_PERIODS = [14, 5]


def _random_walk_frame(seed: int, integer_steps: bool) -> pd.DataFrame:
    """Daily OHLCV bars; integer_steps makes open and close lazy integer walks that tie often."""
    rng = np.random.default_rng(seed)
    index = pd.bdate_range("2015-01-02", periods=N_BARS, name="datetime")
    if integer_steps:
        close = 100.0 + np.cumsum(rng.integers(-1, 2, N_BARS)).astype(float)
        open_ = close + np.cumsum(rng.integers(-1, 2, N_BARS)).astype(float)
    else:
        close = 100.0 * np.exp(np.cumsum(rng.normal(0.0, 0.012, N_BARS)))
        open_ = np.concatenate([[100.0], close[:-1]]) * np.exp(rng.normal(0.0, 0.003, N_BARS))
    return pd.DataFrame(
        {
            "open": open_,
            "high": np.maximum(open_, close) + 0.5,
            "low": np.minimum(open_, close) - 0.5,
            "close": close,
            "volume": 1_000.0,
        },
        index=index,
    )


class _Reference(bt.Strategy):
    """Holds backtrader's indicators so their lines can be read after the run."""

    # bt RSI raises ZeroDivisionError while no down bar has occurred, which the tie series can hit.
    params = (("rsi_periods", tuple(RSI_PERIODS)),)

    def __init__(self) -> None:
        close = self.data.close
        self.macds = {
            p: bt.indicators.MACD(close, period_me1=p[0], period_me2=p[1], period_signal=p[2])
            for p in MACD_PARAMS
        }
        self.emas = {p: bt.indicators.EMA(close, period=p) for p in EMA_PERIODS}
        self.rsis = {p: bt.indicators.RSI(close, period=p) for p in self.p.rsi_periods}
        first = self.macds[MACD_PARAMS[0]]
        self.cross_macd = bt.indicators.CrossOver(first.macd, first.signal)
        self.cross_close_open = bt.indicators.CrossOver(close, self.data.open)


def _run_backtrader(frame: pd.DataFrame, rsi_periods: tuple[int, ...]) -> _Reference:
    cerebro = bt.Cerebro(stdstats=False)  # runonce and preload left at their defaults
    cerebro.adddata(bt.feeds.PandasData(dataname=frame), name="walk")
    cerebro.addstrategy(_Reference, rsi_periods=rsi_periods)
    (strategy,) = cerebro.run()
    return strategy


def _line(line: object) -> np.ndarray:
    arr = np.asarray(line.array, dtype=float)  # type: ignore[attr-defined]
    assert arr.shape == (N_BARS,)
    return arr


@pytest.fixture(scope="module")
def walk() -> pd.DataFrame:
    return _random_walk_frame(seed=20240805, integer_steps=False)


@pytest.fixture(scope="module")
def bt_walk(walk: pd.DataFrame) -> _Reference:
    return _run_backtrader(walk, rsi_periods=tuple(RSI_PERIODS))


@pytest.fixture(scope="module")
def ticks() -> pd.DataFrame:
    return _random_walk_frame(seed=7, integer_steps=True)


@pytest.fixture(scope="module")
def bt_ticks(ticks: pd.DataFrame) -> _Reference:
    return _run_backtrader(ticks, rsi_periods=())


def _assert_matches_backtrader(ours: np.ndarray, theirs: np.ndarray, first_valid: int) -> None:
    """NaN exactly on the warm-up bars in both; equal to rtol 1e-10 from first_valid on."""
    np.testing.assert_array_equal(np.isnan(theirs), np.arange(N_BARS) < first_valid)
    np.testing.assert_array_equal(np.isnan(ours), np.arange(N_BARS) < first_valid)
    np.testing.assert_allclose(ours[first_valid:], theirs[first_valid:], rtol=1e-10, atol=0.0)


# --- backtrader as the independent reference -------------------------------------------------


@pytest.mark.parametrize("params", MACD_PARAMS, ids=lambda p: "fast{}-slow{}-signal{}".format(*p))
def test_macd_matches_backtrader(walk, bt_walk, params):
    fast, slow, signal = params
    ours = macd(walk["close"].to_numpy(), fast=fast, slow=slow, signal=signal)
    ref = bt_walk.macds[params]
    bt_macd, bt_signal = _line(ref.macd), _line(ref.signal)
    _assert_matches_backtrader(ours.macd, bt_macd, first_valid=slow - 1)
    _assert_matches_backtrader(ours.signal, bt_signal, first_valid=slow + signal - 2)
    _assert_matches_backtrader(ours.hist, bt_macd - bt_signal, first_valid=slow + signal - 2)


@pytest.mark.parametrize("period", EMA_PERIODS, ids=lambda p: f"period{p}")
def test_ema_matches_backtrader(walk, bt_walk, period):
    ours = ema(walk["close"].to_numpy(), period)
    _assert_matches_backtrader(ours, _line(bt_walk.emas[period].ema), first_valid=period - 1)


@pytest.mark.parametrize("period", RSI_PERIODS, ids=lambda p: f"period{p}")
def test_rsi_matches_backtrader(walk, bt_walk, period):
    ours = rsi(walk["close"].to_numpy(), period)
    _assert_matches_backtrader(ours, _line(bt_walk.rsis[period].rsi), first_valid=period)


def _assert_cross_matches_backtrader(ours: np.ndarray, theirs: np.ndarray) -> None:
    # backtrader leaves its warm-up bars NaN where we return 0.
    assert ours.dtype == np.int8
    np.testing.assert_array_equal(ours, np.nan_to_num(theirs, nan=0.0).astype(np.int8))


def test_crossover_matches_backtrader_on_macd(walk, bt_walk):
    lines = macd(walk["close"].to_numpy())
    ours = crossover(lines.macd, lines.signal)
    _assert_cross_matches_backtrader(ours, _line(bt_walk.cross_macd.crossover))
    # Enough crossings both ways that the comparison is not vacuous.
    assert (ours == 1).sum() >= 5
    assert (ours == -1).sum() >= 5


def test_crossover_matches_backtrader_with_ties(ticks, bt_ticks):
    close, open_ = ticks["close"].to_numpy(), ticks["open"].to_numpy()
    ours = crossover(close, open_)
    _assert_cross_matches_backtrader(ours, _line(bt_ticks.cross_close_open.crossover))
    diff = close - open_
    touched = (diff[1:-1] == 0) & (ours[2:] != 0) & (diff[2:] != 0)
    assert touched.sum() >= 5  # crosses through a tie bar occur, so the tie rule is exercised


# --- plain-Python reference -------------------------------------------------------------------


def _reference_ema(values: list[float], period: int) -> list[float]:
    """EMA as the loop in backtrader's ExponentialSmoothing, written from its definition."""
    alpha = 2.0 / (1.0 + period)
    out = [math.nan] * len(values)
    first = next((i for i, v in enumerate(values) if not math.isnan(v)), len(values))
    if first + period > len(values):
        return out
    prev = math.fsum(values[first : first + period]) / period
    out[first + period - 1] = prev
    for i in range(first + period, len(values)):
        prev = prev * (1.0 - alpha) + values[i] * alpha
        out[i] = prev
    return out


finite_prices = st.floats(min_value=1.0, max_value=1e4, allow_nan=False)


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(finite_prices, max_size=80),
    leading_nans=st.integers(0, 5),
    period=st.integers(1, 30),
)
def test_ema_matches_plain_python(values, leading_nans, period):
    series = [math.nan] * leading_nans + values
    np.testing.assert_allclose(
        ema(np.array(series), period), _reference_ema(series, period), rtol=1e-12, atol=0.0
    )


def test_ema_matches_plain_python_on_long_walk(walk):
    close = walk["close"].to_numpy()
    # ema's recursion performs the same multiply-adds as the loop; exact equality documents that.
    np.testing.assert_array_equal(ema(close, 26), _reference_ema(close.tolist(), 26))


@pytest.mark.parametrize("period", [1, 9, 26, 40])
def test_ema_recursion_equals_scipy_lfilter(walk, period):
    """The recursion written out (no scipy.signal on the import path) equals the lfilter it replaced (1e-12)."""
    from scipy.signal import lfilter

    close = walk["close"].to_numpy()
    alpha = 2.0 / (period + 1)
    seed = math.fsum(close[:period]) / period
    filtered, _ = lfilter([alpha], [1.0, -(1.0 - alpha)], close[period:], zi=[(1.0 - alpha) * seed])
    np.testing.assert_allclose(ema(close, period)[period:], filtered, rtol=1e-12, atol=0.0)


# --- causality --------------------------------------------------------------------------------


def _all_signals(x: np.ndarray) -> list[np.ndarray]:
    m = macd(x, fast=3, slow=6, signal=4)
    return [
        ema(x, 5),
        m.macd,
        m.signal,
        m.hist,
        rsi(x, 4),
        crossover(x, ema(x, 3)),
        expanding(x, 2),
        slope(x, 3),
        contracting(x, 2),
        flattening(slope(x, 3), 0.5),
        regime_run(m.hist),
        confirmed_cross(crossover(m.macd, m.signal), m.hist, 2, expanding(m.hist), contracting(m.hist)),
        pivots(x, 2, 2),
        pivots(x, 2, 3, high=True),
        divergence(x, m.macd, 2, 2, 2, 20),
        advance_decline_weakening(x, 3.0 * np.sqrt(x), 3),
    ]


@settings(max_examples=150, deadline=None)
@given(
    values=st.lists(st.integers(1, 20).map(float) | finite_prices, min_size=1, max_size=60),
    leading_nans=st.integers(0, 4),
    data=st.data(),
)
def test_outputs_are_causal(values, leading_nans, data):
    x = np.array([math.nan] * leading_nans + values)
    t = data.draw(st.integers(0, x.size - 1), label="t")
    for full, prefix in zip(_all_signals(x), _all_signals(x[: t + 1]), strict=True):
        np.testing.assert_array_equal(prefix, full[: t + 1])


# --- warm-up positions ------------------------------------------------------------------------


def test_warmup_positions_without_leading_nans():
    x = np.linspace(100.0, 130.0, 60) + np.sin(np.arange(60))
    bars = np.arange(60)
    np.testing.assert_array_equal(np.isnan(ema(x, 10)), bars < 9)
    lines = macd(x, fast=5, slow=12, signal=4)
    np.testing.assert_array_equal(np.isnan(lines.macd), bars < 11)
    np.testing.assert_array_equal(np.isnan(lines.signal), bars < 14)
    np.testing.assert_array_equal(np.isnan(lines.hist), bars < 14)
    np.testing.assert_array_equal(np.isnan(rsi(x, 14)), bars < 14)
    np.testing.assert_array_equal(np.isnan(slope(x, 3)), bars < 3)
    assert not expanding(x, 3)[:3].any()


def test_ema_seed_is_sma_and_leading_nans_are_skipped():
    x = np.array([math.nan, math.nan, 1.0, 2.0, 3.0, 7.0])
    out = ema(x, 3)
    np.testing.assert_array_equal(np.isnan(out), [True, True, True, True, False, False])
    assert out[4] == 2.0  # mean of 1, 2, 3
    assert out[5] == pytest.approx(2.0 * 0.5 + 7.0 * 0.5, rel=1e-15)  # alpha = 2 / (3 + 1)


def test_signal_line_seeds_on_first_macd_value():
    x = 100.0 + np.cumsum(np.random.default_rng(3).normal(size=80))
    lines = macd(x, fast=4, slow=9, signal=5)
    first = 9 - 1
    assert lines.signal[first + 4] == pytest.approx(
        np.mean(lines.macd[first : first + 5]), rel=1e-14
    )


def test_interior_nan_propagates_to_later_ema_values():
    x = np.arange(1.0, 21.0)
    x[12] = math.nan
    out = ema(x, 4)
    assert np.isfinite(out[3:12]).all()
    assert np.isnan(out[12:]).all()


def test_short_and_empty_inputs_give_warmup_only():
    assert np.isnan(ema([1.0, 2.0], 3)).all()
    assert np.isnan(macd(np.arange(1.0, 30.0)).signal).all()  # needs 26 + 9 - 1 = 34 bars
    assert ema([], 3).shape == (0,)
    assert rsi([], 14).shape == (0,)
    assert crossover([], []).shape == (0,)
    assert expanding([], 2).shape == (0,)
    assert slope([], 2).shape == (0,)


# --- rsi edge cases ---------------------------------------------------------------------------


def test_rsi_known_values():
    # Hand computation: changes +1, +1, -2, +2 with period 2 -> seed gain 1, loss 0 at bar 2;
    # bar 3: gain 0.5, loss 1 -> rs 0.5 -> 100 - 100 / 1.5; bar 4: gain 1.25, loss 0.5 -> rs 2.5.
    out = rsi([10.0, 11.0, 12.0, 10.0, 12.0], period=2)
    np.testing.assert_allclose(
        out[2:], [100.0, 100.0 - 100.0 / 1.5, 100.0 - 100.0 / 3.5], rtol=1e-14
    )
    assert np.isnan(out[:2]).all()


def test_rsi_flat_series_is_50():
    np.testing.assert_array_equal(rsi(np.full(10, 5.0), period=3)[3:], 50.0)


# --- crossover, expanding, slope semantics ----------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        pytest.param([0, 2, 0], [1, 1, 1], [0, 1, -1], id="up-then-down"),
        pytest.param([0, 1, 2], [1, 1, 1], [0, 0, 1], id="through-a-tie-crosses-after-it"),
        pytest.param([0, 1, 0], [1, 1, 1], [0, 0, 0], id="touch-and-back-is-no-cross"),
        pytest.param([2, 1, 2], [1, 1, 1], [0, 0, 0], id="touch-from-above-is-no-cross"),
        pytest.param([1, 1, 2], [1, 1, 1], [0, 0, 0], id="starting-tied-is-no-cross"),
        pytest.param([0, math.nan, 2], [1, 1, 1], [0, 0, 0], id="nan-forgets-history"),
        pytest.param(
            [0, math.nan, 0, 2], [1, 1, 1, 1], [0, 0, 0, 1], id="fresh-difference-after-nan"
        ),
    ],
)
def test_crossover_semantics(a, b, expected):
    np.testing.assert_array_equal(crossover(a, b), np.array(expected, dtype=np.int8))


def test_expanding_requires_strict_rises():
    x = [1.0, 2.0, 3.0, 3.0, 4.0, 5.0, 6.0, math.nan, 7.0]
    np.testing.assert_array_equal(expanding(x), [0, 1, 1, 0, 1, 1, 1, 0, 0])
    np.testing.assert_array_equal(expanding(x, 2), [0, 0, 1, 0, 0, 1, 1, 0, 0])
    assert expanding(x).dtype == np.bool_


def test_slope_is_average_change_per_bar():
    np.testing.assert_array_equal(slope([1.0, 2.0, 4.0, 7.0], 2), [math.nan, math.nan, 1.5, 2.5])


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        pytest.param(
            {"fast": 26, "slow": 12},
            r"macd fast \(26\) must be smaller than slow \(12\): swap them or lower fast",
            id="fast-above-slow",
        ),
        pytest.param({"fast": 12, "slow": 12}, r"macd fast \(12\) must be smaller", id="equal"),
        pytest.param({"fast": 0}, r"macd fast \(0\) must be a positive integer", id="fast-zero"),
        pytest.param({"slow": 26.0}, r"macd slow \(26\.0\) must be a positive integer", id="float"),
        pytest.param(
            {"signal": -1}, r"macd signal \(-1\) must be a positive integer", id="negative"
        ),
        pytest.param(
            {"signal": True}, r"macd signal \(True\) must be a positive integer", id="bool"
        ),
    ],
)
def test_macd_validation_messages(kwargs, message):
    with pytest.raises(ValueError, match=message):
        macd(np.arange(100.0), **kwargs)


def test_other_validation_messages():
    with pytest.raises(ValueError, match=r"ema period \(0\) must be a positive integer"):
        ema([1.0], 0)
    with pytest.raises(ValueError, match=r"rsi period \(2\.5\) must be a positive integer"):
        rsi([1.0], 2.5)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"expanding n \(0\)"):
        expanding([1.0], 0)
    with pytest.raises(ValueError, match=r"slope n \(None\)"):
        slope([1.0], None)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=r"ema values must be a 1-D series, got shape \(2, 2\)"):
        ema(np.ones((2, 2)), 3)
    with pytest.raises(ValueError, match=r"crossover inputs differ in length \(3 vs 2\)"):
        crossover([1.0, 2.0, 3.0], [1.0, 2.0])


def test_numpy_integer_periods_are_accepted():
    x = np.arange(1.0, 50.0)
    np.testing.assert_array_equal(ema(x, np.int64(5)), ema(x, 5))


def test_macd_result_is_frozen_and_read_only():
    lines = macd(np.arange(1.0, 50.0))
    assert isinstance(lines, Macd)
    with pytest.raises(FrozenInstanceError):
        lines.macd = lines.signal  # type: ignore[misc]
    with pytest.raises(ValueError, match="read-only"):
        lines.hist[0] = 1.0


def test_inputs_are_not_modified():
    x = np.array([math.nan, 1.0, 2.0, 3.0, 2.0, 5.0, 4.0, 6.0])
    before = x.copy()
    _all_signals(x)
    np.testing.assert_array_equal(x, before)


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


def test_confirmed_cross_hold_zero_equals_crossover(walk):
    m = macd(walk["close"].to_numpy())
    cross = crossover(m.macd, m.signal)
    np.testing.assert_array_equal(confirmed_cross(cross, m.hist, 0), cross)
    assert (confirmed_cross(cross, m.hist, 3) != 0).sum() < (cross != 0).sum()


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
