"""The signals of many sweep points at once, sharing everything that does not depend on a point's own keys.

:class:`SignalBank` holds, for one Market: the signal inputs per series, the MACD-independent signals per
context (:func:`strategies.signalset.context`: calendars, A/D, RSI, term ratio), each EMA per (series, period)
and the diverging pivot pairs per price series
(:func:`vixhedge.core.signals.divergence_pairs`). A point's :class:`~strategies.signalset.SignalSet` is then
:func:`strategies.signalset.assemble` of those: the same arrays :func:`strategies.signalset.compute` returns
(same operations, same order), at a fraction of the cost.
"""

from __future__ import annotations

import numpy as np

from strategies import adinput
from strategies.signaldelay import delayed
from strategies.signalset import SignalInputs, SignalSet, assemble, context, inputs_from_market
from vixhedge.core import signals as sig
from vixhedge.core.config import DivergencePattern, DivergenceSource, HedgeConfig


MAX_SETS = 256  # signal sets kept at once (~0.4 MB each on 5 years): bounded whatever the grid


class SignalBank:
    """Per-Market caches of the parts of points' signals (see the module docstring)."""

    def __init__(self, market) -> None:
        self.market = market
        self._inputs: dict[tuple, SignalInputs] = {}
        self._contexts: dict[tuple, dict] = {}
        self._ema: dict[tuple, np.ndarray] = {}
        self._pairs: dict[tuple, sig.DivergencePairs] = {}
        self._sets: dict[tuple, SignalSet] = {}  # points that differ only outside the signals share one set

    def signals(self, cfg: HedgeConfig, delay_bars: int = 0) -> SignalSet:
        """Return the point's SignalSet (equal to ``compute(inputs_from_market(market, cfg), cfg)``), as decisions
        ``delay_bars`` sessions later read it (``execution.signal_delay_bars``, :func:`strategies.signaldelay.delayed`,
        as the Trader does); a delayed set is kept too, per (signal keys, delay)."""
        f = cfg.fomc
        key = (cfg.macd.series, adinput.ad_file(self.market, cfg)[0], f.ad_advances_column, f.ad_declines_column)
        ckey = (key, cfg.fomc, cfg.events, cfg.rsi, cfg.mode)
        # the set depends on these tables only (plug-in signals may read any key: not shared)
        skey = None if cfg.signals else (ckey, cfg.macd, cfg.confirm, cfg.divergence)
        if delay_bars:
            dkey = None if skey is None else ("delayed", skey, delay_bars)
            found = self._sets.get(dkey) if dkey is not None else None
            if found is None:
                found = self._keep(dkey, delayed(self.signals(cfg), delay_bars))
            return found
        found = self._sets.get(skey) if skey is not None else None
        if found is not None:
            return found
        inputs = self._inputs.get(key)
        if inputs is None:
            inputs = self._inputs[key] = inputs_from_market(self.market, cfg)
        ctx = self._contexts.get(ckey)
        if ctx is None:
            ctx = self._contexts[ckey] = context(inputs, cfg)
        m = cfg.macd
        lines = self._macd(("vx", m.series), inputs.vx, m.fast, m.slow, m.signal)
        return self._keep(skey, assemble(ctx, inputs, cfg, lines, self._divergence(key, inputs, lines, cfg)))

    def _keep(self, key: tuple | None, out: SignalSet) -> SignalSet:
        """Keep ``out`` under ``key`` (None: not shared), at most MAX_SETS sets at once."""
        if key is not None:
            if len(self._sets) >= MAX_SETS:
                self._sets.clear()
            self._sets[key] = out
        return out

    def _smooth(self, name: tuple, x: np.ndarray, period: int) -> np.ndarray:
        k = (name, period)
        if k not in self._ema:
            self._ema[k] = sig.smooth(x, period, 2.0 / (1.0 + period))
        return self._ema[k]

    def _macd(self, name: tuple, x: np.ndarray, fast: int, slow: int, signal: int) -> sig.Macd:
        """:func:`vixhedge.core.signals.macd` with each EMA of ``x`` computed once (same operations)."""
        line = self._smooth(name, x, fast) - self._smooth(name, x, slow)
        s = sig.smooth(line, signal, 2.0 / (1.0 + signal))
        hist = line - s
        for arr in (line, s, hist):
            arr.flags.writeable = False
        return sig.Macd(macd=line, signal=s, hist=hist)

    def _divergence(self, key: tuple, inputs: SignalInputs, lines: sig.Macd, cfg: HedgeConfig) -> np.ndarray:
        """``strategies.signalset._divergence`` from cached pivot pairs and MACD lines."""
        d, m = cfg.divergence, cfg.macd
        if d.source is DivergenceSource.VX:
            price, osc, name = inputs.vx, lines.macd, ("vx", m.series)
        else:
            price, name = inputs.spx, ("spx",)
            osc = self._macd(name, inputs.spx, m.fast, m.slow, m.signal).macd
        pk = (name, key, d.left, d.right, d.min_bars, d.max_bars)
        if pk not in self._pairs:
            self._pairs[pk] = sig.divergence_pairs(price, d.left, d.right, d.min_bars, d.max_bars)
        found = sig.divergence_at(self._pairs[pk], osc)
        if d.source is DivergenceSource.VX and d.pattern is not DivergencePattern.LITERAL:
            return -found
        return found
