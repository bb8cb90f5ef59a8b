"""Thin backtrader indicator wrappers over the pure numpy signal cores.

For charting and for researchers who compose their own backtrader strategies. Each wrapper
computes its lines with the :mod:`vixhedge.core.signals` core on the data seen so far (``once``:
the whole preloaded array at once, vectorised; ``next``: the history up to the bar, so the
value at a bar never depends on later bars) and is tested equal to that core and, for the
MACD, to ``bt.indicators.MACD``. The project's own strategy reads the cores directly.
"""

from __future__ import annotations

import backtrader as bt
import numpy as np

from vixhedge.core import signals as sig


class _CoreIndicator(bt.Indicator):
    """Base: subclasses return ``{line name: array}`` from ``_core(values)``."""

    def _core(self, values: np.ndarray) -> dict[str, np.ndarray]:  # pragma: no cover - abstract
        raise NotImplementedError

    def next(self) -> None:
        out = self._core(np.asarray(self.data.get(size=len(self.data)), dtype=np.float64))
        for name, arr in out.items():
            getattr(self.lines, name)[0] = float(arr[-1])

    def once(self, start: int, end: int) -> None:
        out = self._core(np.asarray(self.data.array[:end], dtype=np.float64))
        for name, arr in out.items():
            dst = getattr(self.lines, name).array
            for i in range(start, end):
                dst[i] = float(arr[i])


class CoreMacd(_CoreIndicator):
    """MACD of :func:`vixhedge.core.signals.macd` (EMAs seeded with their first SMA, like backtrader)."""

    lines = ("macd", "signal", "histo")
    params = (("fast", 12), ("slow", 26), ("signal", 9))

    def __init__(self) -> None:
        self.addminperiod(self.p.slow + self.p.signal - 1)

    def _core(self, values: np.ndarray) -> dict[str, np.ndarray]:
        m = sig.macd(values, self.p.fast, self.p.slow, self.p.signal)
        return {"macd": m.macd, "signal": m.signal, "histo": m.hist}


class CoreDivergence(_CoreIndicator):
    """+1 / -1 on the bar a regular bullish / bearish MACD divergence is confirmed (else 0)."""

    lines = ("divergence",)
    params = (("fast", 12), ("slow", 26), ("signal", 9), ("left", 5), ("right", 5), ("min_bars", 5),
              ("max_bars", 60))

    def __init__(self) -> None:
        self.addminperiod(self.p.slow + self.p.left + self.p.right)

    def _core(self, values: np.ndarray) -> dict[str, np.ndarray]:
        m = sig.macd(values, self.p.fast, self.p.slow, self.p.signal)
        d = sig.divergence(values, m.macd, self.p.left, self.p.right, self.p.min_bars, self.p.max_bars)
        return {"divergence": d.astype(np.float64)}


class CoreProjectedCross(_CoreIndicator):
    """+1 / -1 on the bar the MACD crossover is projected within ``bars`` bars (the promoter's front-run)."""

    lines = ("projected",)
    params = (("fast", 12), ("slow", 26), ("signal", 9), ("bars", 2))

    def __init__(self) -> None:
        self.addminperiod(self.p.slow + self.p.signal)

    def _core(self, values: np.ndarray) -> dict[str, np.ndarray]:
        m = sig.macd(values, self.p.fast, self.p.slow, self.p.signal)
        return {"projected": sig.projected_cross(m.hist, self.p.bars).astype(np.float64)}
