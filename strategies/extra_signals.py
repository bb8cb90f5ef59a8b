"""Extra signals by name: a user's per-bar series, computed with the built-in signals and read by the policies.

An extra signal is a pure callable ``signal(inputs, cfg) -> array`` (:data:`ExtraSignal`): ``inputs`` the
run's :class:`~strategies.signalset.SignalInputs` (dates, the MACD's VX series, front and second VX, spot
VIX, SPX closes, the A/D input), ``cfg`` the ``[hedge]`` section; it returns one number per date (NaN
where it is not known yet). Named in ``hedge.signals = ["module:callable", ...]`` (or by a
``vixhedge.plugins`` entry point), it is computed once per run (:func:`compute`) and handed to every
policy as ``snap.extra[<name>]`` (``<name>``: :func:`vixhedge.plugins.key_of`, e.g. ``vx_zscore`` of
``"custom_signal:vx_zscore"``); signals.csv carries it as the column ``extra_<name>``. It must be causal:
the value on bar ``t`` may read bars ``0..t`` only. :func:`compute` checks that on the first half of the
run (a centred window or a ``shift(-1)`` fails) and that the output is one finite-or-NaN number per date.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from vixhedge import plugins, registries
from vixhedge.plugin_types import ExtraSignal  # its signature, re-exported
from vixhedge.core.config import ConfigError, HedgeConfig

if TYPE_CHECKING:
    from strategies.signalset import SignalInputs


__all__ = ["REGISTRY", "SignalError", "check_signals", "compute", "ExtraSignal"]  # ExtraSignal: plugin_types'

REGISTRY = registries.SIGNAL  # names only (vixhedge.registries): a config loads without this module


class SignalError(ConfigError):
    """An extra signal raised, returned the wrong shape or looked ahead: one line, before any trading."""


check_signals = registries.check_signals  # what a config's [hedge] runs when it loads


def compute(inputs: SignalInputs, cfg: HedgeConfig) -> Mapping[str, np.ndarray]:
    """Return ``{name: per-bar float array}`` of ``cfg.signals`` on ``inputs`` (empty without extra signals)."""
    return {plugins.key_of(name): _checked(name, inputs, cfg) for name in cfg.signals}


def _call(name: str, inputs: SignalInputs, cfg: HedgeConfig) -> np.ndarray:
    n = len(inputs.dates)
    try:
        values = REGISTRY.resolve(name)(inputs, cfg)
        out = np.asarray(values, dtype=float).reshape(-1) if np.ndim(values) == 1 else None
    except plugins.PLUGIN_FAILURES as exc:  # a plug-in's own bug: name it
        raise SignalError(f"signal {name} failed on {n} bars: {type(exc).__name__}: {exc}") from exc
    if out is None or len(out) != n:
        got = f"shape {np.shape(values)}" if out is None else f"{len(out)} values"
        raise SignalError(f"signal {name} returned {got} for {n} bars: return one number per inputs.dates (NaN "
                          "where not known yet)")
    if np.isinf(out).any():
        raise SignalError(f"signal {name} returned an infinite value on {inputs.dates[int(np.isinf(out).argmax())].date()}"
                          ": return finite numbers (NaN where not known)")
    return out


def _checked(name: str, inputs: SignalInputs, cfg: HedgeConfig) -> np.ndarray:
    """Return the signal's values after checking it is causal on the first half of the run."""
    out = _call(name, inputs, cfg)
    half = len(inputs.dates) // 2
    if half >= 2:
        early = _call(name, inputs.head(half), cfg)
        differ = ~np.isclose(early, out[:half], rtol=1e-9, atol=1e-12, equal_nan=True)  # float noise only
        if differ.any():
            day = inputs.dates[int(differ.argmax())].date()
            raise SignalError(f"signal {name} is not causal: its value on {day} changes when later bars are added "
                              "(a centred window, shift(-1) or a full-sample statistic?): read bars up to t only")
    out.flags.writeable = False
    return out
