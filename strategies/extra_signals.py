"""Extra signals by name: a user's per-bar series, computed with the built-in signals and read by the policies.

An extra signal is a pure callable ``signal(inputs, cfg) -> array`` (:data:`ExtraSignal`): ``inputs`` the
run's :class:`~strategies.signalset.SignalInputs` (dates, the MACD's VX series, front and second VX, spot
VIX, SPX closes, the A/D input), ``cfg`` the ``[hedge]`` section; it returns one number per date (NaN
where it is not known yet). Named in ``hedge.signals = ["module:callable", ...]`` (or by a
``vixhedge.plugins`` entry point), it is computed once per run (:func:`compute`) and handed to every
policy as ``snap.extra[<name>]`` (``<name>``: :func:`vixhedge.plugins.key_of`, e.g. ``vx_zscore`` of
``"custom_signal:vx_zscore"``); signals.csv carries it as the column ``extra_<name>``. It must be causal:
the value on bar ``t`` may read bars ``0..t`` only. :func:`compute` checks that on the bars up to the middle of
the run (a centred window or a ``shift(-1)`` fails) and that the output is one finite-or-NaN number per date; a
line that names a day names one within the run where it can, and a signal that raises is named with the run's
window, its sessions and the bars it was called with (the market's, warm-up history included).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from vixhedge import plugins, registries
from vixhedge.plugin_trace import Located
from vixhedge.plugin_types import ExtraSignal  # its signature, re-exported
from vixhedge.core.config import ConfigError, HedgeConfig

if TYPE_CHECKING:
    from strategies.signalset import SignalInputs


__all__ = ["REGISTRY", "SignalError", "check_signals", "compute", "ExtraSignal"]  # ExtraSignal: plugin_types'

REGISTRY = registries.SIGNAL  # names only (vixhedge.registries): a config loads without this module


class SignalError(Located, ConfigError):
    """An extra signal raised, returned the wrong shape or looked ahead: one line, before any trading."""


check_signals = registries.check_signals  # what a config's [hedge] runs when it loads


def compute(inputs: SignalInputs, cfg: HedgeConfig) -> Mapping[str, np.ndarray]:
    """Return ``{name: per-bar float array}`` of ``cfg.signals`` on ``inputs`` (empty without extra signals)."""
    return {plugins.key_of(name): _checked(name, inputs, cfg) for name in cfg.signals}


def _call(name: str, inputs: SignalInputs, cfg: HedgeConfig) -> np.ndarray:
    n = len(inputs.dates)
    try:
        values = REGISTRY.resolve(name)(dataclasses.replace(inputs, window=None), cfg)  # not the run's end
    except plugins.PLUGIN_FAILURES as exc:  # a plug-in's own bug: name it
        raise SignalError(f"signal {name} failed {_called_on(inputs)}: {plugins.failure_words(exc)}") from exc
    try:
        out = np.asarray(values, dtype=float).reshape(-1) if np.ndim(values) == 1 else None
    except (TypeError, ValueError) as exc:  # (trial PL25: strings read as the signal having failed)
        raise SignalError(f"signal {name} returned values that are not numbers ({exc}): return one float per "
                          "inputs.dates (NaN where not known yet)") from None
    if out is None or len(out) != n:
        got = f"shape {np.shape(values)}" if out is None else f"{len(out)} values"
        raise SignalError(f"signal {name} returned {got} for {n} bars: return one number per inputs.dates (NaN "
                          "where not known yet)")
    if np.isinf(out).any():
        raise SignalError(f"signal {name} returned an infinite value on {_first_day(inputs, np.isinf(out))}, called "
                          f"{_called_on(inputs)}: return finite numbers (NaN where not known)")
    return out


def _checked(name: str, inputs: SignalInputs, cfg: HedgeConfig) -> np.ndarray:
    """Return the signal's values after checking it is causal: computed again on the bars up to the middle of the
    run (of the data, when the run's window is not known), they must be those of the full computation."""
    out = _call(name, inputs, cfg)
    first, last = _run_bars(inputs)
    cut = (first + last + 1) // 2 if inputs.window is not None else len(inputs.dates) // 2
    if cut >= 2:
        early = _call(name, inputs.head(cut), cfg)
        differ = ~np.isclose(early, out[:cut], rtol=1e-9, atol=1e-12, equal_nan=True)  # float noise only
        if differ.any():
            raise SignalError(f"signal {name} is not causal: its value on {_first_day(inputs, differ)} changes when "
                              "later bars are added (a centred window, shift(-1) or a full-sample statistic?): read "
                              "bars up to t only")
    out.flags.writeable = False
    return out


def _run_bars(inputs: SignalInputs) -> tuple[int, int]:
    """Return the first and last index of the run's bars in ``inputs`` (every bar without a known window)."""
    if inputs.window is None:
        return 0, len(inputs.dates) - 1
    days = inputs.dates.date
    first = int(np.searchsorted(days, inputs.window[0]))
    return first, max(first, int(np.searchsorted(days, inputs.window[1], side="right")) - 1)


def _first_day(inputs: SignalInputs, flags: np.ndarray) -> dt.date:
    """Return the first day ``flags`` marks within the run's window, else the first it marks."""
    at = np.flatnonzero(flags)
    inside = at[at >= _run_bars(inputs)[0]]
    return inputs.dates[int(inside[0] if len(inside) else at[0])].date()


def _called_on(inputs: SignalInputs) -> str:
    """Return what a signal was called on: the run's sessions and all the bars it was handed."""
    n = len(inputs.dates)
    if inputs.window is None or not n:
        return f"on {n} bars"
    first, last = _run_bars(inputs)
    sessions = max(0, min(last, n - 1) - first + 1)
    span = f"{inputs.dates[0].date()}..{inputs.dates[-1].date()}"
    return (f"on the run {inputs.window[0]}..{inputs.window[1]} ({sessions} session{'s' * (sessions != 1)}; called "
            f"with {n} bars, {span})")
