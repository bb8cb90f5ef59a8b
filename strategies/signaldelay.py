"""The signals a decision reads under ``execution.signal_delay_bars``: on bar ``t``, those of bar ``t - N``.

Every array of a :class:`~strategies.signalset.SignalSet` is known at a bar's close: the MACD family, the
divergence, RSI and the VX levels are computed from that bar's closing VX settle, SPX and VIX closes (the
calendar windows and the A/D flag are delayed with them: the decision is the one taken at that close). A trader
cannot compute a signal from a settle and still trade at it. With ``execution.signal_delay_bars = N`` the
decision taken on bar ``t - N``'s close is traded at bar ``t``'s quotes: the policy reads on bar ``t`` the
signals of bar ``t - N`` with the book as it stands on bar ``t`` (its layers, quotes, NAV, days to settlement).

One place, read by every engine: :class:`strategies.trader.Trader` (the backtrader and fast engines) and
:meth:`vixhedge.kernel_signals.SignalBank.signals` (the numpy and compiled sweep kernels) take :func:`delayed`
of the run's set, so the hedge policy (built-in or plug-in), the condor selector (``CondorChoice.snap``) and the
``hedge.signals`` plug-ins' values (``snap.extra``) all see the delayed signals. The first N bars of the history
read no signal (NaN, 0, false: the policy only rolls; a run starts after the MACD warm-up, so its first bar
reads the bar before it). signals.csv gains ``signal_date``, the bar whose signals each row's decision read
(only when N > 0); daily.csv and ``RunResult.signals`` keep each bar's own signals. The VXTH and static policies
read no signal (their calendar and the day's quotes decide): the delay leaves them as they are.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from strategies.signalset import SignalSet

_KEPT = ("dates", "notes", "files", "ad_uncovered", "ad_file")  # not per-bar signals: as they are


@dataclass(frozen=True)
class DelayedSignalSet(SignalSet):
    """A :class:`SignalSet` whose bar ``t`` holds the signals of bar ``t - delay_bars`` (see the module docstring)."""

    delay_bars: int = 0

    def frame(self) -> pd.DataFrame:
        """Return :meth:`SignalSet.frame` with ``signal_date`` first: the bar whose signals the row holds."""
        out = super().frame().drop(columns="delay_bars")
        n, days = self.delay_bars, list(self.dates.date)
        out.insert(0, "signal_date", [None] * min(n, len(days)) + days[:max(len(days) - n, 0)])
        return out


def shift(values: np.ndarray, bars: int) -> np.ndarray:
    """Return ``values`` moved ``bars`` later (read-only): the first ``bars`` are NaN (floats), 0 or false."""
    a = np.asarray(values)
    out = np.full(a.shape, np.nan) if a.dtype.kind == "f" else np.zeros(a.shape, dtype=a.dtype)
    out = out.astype(a.dtype, copy=False)
    if bars < len(a):
        out[bars:] = a[:len(a) - bars]
    out.flags.writeable = False
    return out


def delayed(signals: SignalSet, bars: int) -> SignalSet:
    """Return ``signals`` as decisions ``bars`` sessions later read them; ``signals`` itself when ``bars`` is 0."""
    if bars == 0:
        return signals
    moved = {f.name: getattr(signals, f.name) if f.name in _KEPT else shift(getattr(signals, f.name), bars)
             for f in dataclasses.fields(SignalSet) if f.name != "extra"}
    extra = {name: shift(a, bars) for name, a in signals.extra.items()}
    return DelayedSignalSet(**moved, extra=extra, delay_bars=getattr(signals, "delay_bars", 0) + bars)
