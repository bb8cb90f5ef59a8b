"""Tests for vixhedge.core.signals: backtrader indicators as reference, a plain EMA, invariants (causal,
inputs unchanged). Warm-up, RSI edges, semantics and validation in test_signals_edges.py; histogram, regime,
confirmation, pivots, divergence and A/D in test_signals_rules.py (split from one 604-line module, 2026-12-04)."""

from __future__ import annotations

import math

import backtrader as bt
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vixhedge.core.signals import (
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




def test_inputs_are_not_modified():
    x = np.array([math.nan, 1.0, 2.0, 3.0, 2.0, 5.0, 4.0, 6.0])
    before = x.copy()
    _all_signals(x)
    np.testing.assert_array_equal(x, before)



def test_confirmed_cross_hold_zero_equals_crossover(walk):
    m = macd(walk["close"].to_numpy())
    cross = crossover(m.macd, m.signal)
    np.testing.assert_array_equal(confirmed_cross(cross, m.hist, 0), cross)
    assert (confirmed_cross(cross, m.hist, 3) != 0).sum() < (cross != 0).sum()
