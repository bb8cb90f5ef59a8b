"""The backtrader wrappers equal the numpy cores and bt.indicators.MACD, in runonce and next mode."""

import backtrader as bt
import numpy as np
import pandas as pd
import pytest

from strategies.indicators import CoreDivergence, CoreMacd, CoreProjectedCross
from vixhedge.core import signals as sig


def _series(n=400, seed=11):
    rng = np.random.default_rng(seed)
    close = 15 + np.cumsum(rng.normal(0, 0.6, n))
    close = np.abs(close) + 9
    idx = pd.bdate_range("2015-01-02", periods=n)
    return pd.DataFrame({"open": close, "high": close, "low": close, "close": close, "volume": 0.0}, index=idx)


class _Probe(bt.Strategy):
    def __init__(self):
        self.core = CoreMacd(self.data)
        self.ref = bt.indicators.MACD(self.data, period_me1=12, period_me2=26, period_signal=9)
        self.div = CoreDivergence(self.data)
        self.proj = CoreProjectedCross(self.data)
        self.rows = []

    def next(self):
        self.rows.append((self.core.macd[0], self.core.signal[0], self.core.histo[0], self.ref.macd[0],
                          self.ref.signal[0], self.div.divergence[0], self.proj.projected[0]))


@pytest.mark.parametrize("runonce", [True, False], ids=["runonce", "next"])
def test_wrappers_equal_core_and_backtrader(runonce):
    df = _series()
    cerebro = bt.Cerebro(stdstats=False, runonce=runonce)
    cerebro.adddata(bt.feeds.PandasData(dataname=df))
    cerebro.addstrategy(_Probe)
    (strat,) = cerebro.run()
    rows = np.array(strat.rows)
    first = len(df) - len(rows)  # bars before the strategy's minimum period
    m = sig.macd(df["close"].to_numpy(), 12, 26, 9)
    np.testing.assert_allclose(rows[:, 0], m.macd[first:], rtol=1e-12)
    np.testing.assert_allclose(rows[:, 2], m.hist[first:], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(rows[:, 0], rows[:, 3], rtol=1e-10)  # bt.indicators.MACD
    np.testing.assert_allclose(rows[:, 1], rows[:, 4], rtol=1e-10)
    d = sig.divergence(df["close"].to_numpy(), m.macd)
    assert np.count_nonzero(d[first:]) >= 2  # the path has divergences to compare
    np.testing.assert_array_equal(rows[:, 5], d[first:].astype(float))
    p = sig.projected_cross(m.hist, 2)
    assert np.count_nonzero(p[first:]) >= 2
    np.testing.assert_array_equal(rows[:, 6], p[first:].astype(float))


class _Alone(bt.Strategy):
    """One indicator alone (its own minimum period decides the strategy's first bar)."""

    params = (("make", None),)

    def __init__(self):
        self.ind = self.p.make(self.data)
        self.rows = []

    def next(self):
        self.rows.append(self.ind.lines[0][0])


def _alone(make, df):
    cerebro = bt.Cerebro(stdstats=False)
    cerebro.adddata(bt.feeds.PandasData(dataname=df))
    cerebro.addstrategy(_Alone, make=make)
    (strat,) = cerebro.run()
    return np.array(strat.rows)


def test_core_macd_alone_starts_on_backtraders_macd_bar():
    """Trial MUT25 (I1): CoreMacd's minimum period one bar later survived (the probe above also holds the divergence,
    whose longer period decides). bt.indicators.MACD's minimum period is slow + signal - 1 = 34 (its own reference):
    alone, each starts on bar 34 of 400, the first with a signal line (sig.macd)."""
    df = _series()
    core = _alone(lambda d: CoreMacd(d), df)
    ref = _alone(lambda d: bt.indicators.MACD(d, period_me1=12, period_me2=26, period_signal=9), df)
    assert len(core) == len(ref) == 400 - 33
    m = sig.macd(df["close"].to_numpy(), 12, 26, 9)
    assert np.isnan(m.signal[32]) and np.isfinite(m.signal[33])
    np.testing.assert_allclose(core, m.macd[33:], rtol=1e-12)


def test_core_divergence_reads_left_and_right_as_given():
    """Trial MUT25 (I4): CoreDivergence passing ``right`` as ``left`` survived (both 5 by default). With left 3 and
    right 7 it equals vixhedge.core.signals.divergence(values, macd, 3, 7) (the core it wraps), not (7, 3)."""
    df = _series(600, seed=5)
    close = df["close"].to_numpy()
    got = _alone(lambda d: CoreDivergence(d, left=3, right=7), df)
    m = sig.macd(close, 12, 26, 9)
    want, swapped = sig.divergence(close, m.macd, 3, 7), sig.divergence(close, m.macd, 7, 3)
    first = len(df) - len(got)
    assert first == 26 + 3 + 7 - 1 and np.count_nonzero(want[first:]) >= 2
    assert not np.array_equal(want[first:], swapped[first:])
    np.testing.assert_array_equal(got, want[first:].astype(float))
