"""vixhedge.core.signals at its edges (test_signals.py): warm-up positions and leading NaNs, RSI's known
values and a flat series, crossover / expanding / slope semantics, validation messages, a frozen read-only MACD."""

from __future__ import annotations

import math
from dataclasses import FrozenInstanceError

import numpy as np
import pytest

from vixhedge.core.signals import Macd, crossover, ema, expanding, macd, rsi, slope


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
