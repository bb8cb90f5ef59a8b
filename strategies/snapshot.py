"""One bar's signal values as a hedge policy or a condor selector reads them (:class:`Snapshot`).

Kept apart from :mod:`strategies.signalset`, which computes them with numpy and pandas: a plug-in that imports
``Snapshot`` (``from vixhedge.api import Snapshot``) loads neither.
"""

from __future__ import annotations

import math
import types
from collections.abc import Mapping
from dataclasses import dataclass, field

__all__ = ["NO_EXTRA", "Extra", "Snapshot"]

_NAN = float("nan")


class MissingSignal(KeyError):
    """``snap.extra[name]`` of a signal the run does not compute: a KeyError whose line says which it holds."""

    def __str__(self) -> str:
        return str(self.args[0])


class Extra(Mapping[str, float]):
    """A bar's ``hedge.signals`` values by name, read-only; a name it lacks raises a KeyError naming what it holds
    and the fix (plug-in trial, session 16: a bare ``KeyError: 'vx_z'`` left the reader to guess)."""

    __slots__ = ("_values",)

    def __init__(self, values: Mapping[str, float] | None = None) -> None:
        self._values = types.MappingProxyType(dict(values or {}))

    def __getitem__(self, name: str) -> float:
        try:
            return self._values[name]
        except KeyError:
            held = ", ".join(map(repr, self._values)) or "none (hedge.signals names no signal)"
            raise MissingSignal(f"snap.extra has no {name!r}: it holds {held}; name the signal in hedge.signals "
                                "(a signal plug-in's output is read under its callable's name)") from None

    def __iter__(self):
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __repr__(self) -> str:
        return f"Extra({dict(self._values)!r})"

    def __reduce__(self):  # (a mappingproxy does not pickle: a plug-in may deep-copy a Snapshot it keeps)
        return Extra, (dict(self._values),)


NO_EXTRA: Mapping[str, float] = Extra()  # a bar without hedge.signals plug-ins


@dataclass(frozen=True, slots=True)
class Snapshot:
    """Signal values known at the close of one bar, as a hedge policy or a condor selector reads them (defaults:
    neutral, for crafted tests). Every value is causal (known at that close).

    * ``vx``: the bar's value of the VX series the MACD is computed on, ``hedge.macd.series`` (default
      ``constant_30d``: the 30-day constant-maturity blend of the front and second monthly VX with the S&P VIX
      Short-Term Futures Index's roll weights; ``front``, ``second``, ``short_term_index``); ``front_vx`` the front
      monthly VX itself, ``term_ratio`` front / second VX;
    * ``macd``, ``signal``, ``hist``: MACD(fast, slow) of ``vx``, its signal line and ``hist = macd - signal``;
      ``macd_slope`` its slope over ``hedge.macd.slope_bars`` and ``flattening`` ``|slope| < flat_threshold``;
    * ``cross``: +1 on the bar MACD crosses above its signal line, -1 below, 0 on every other bar;
      ``confirmed_cross`` the crossover confirmed on this bar (held ``hedge.confirm.hold_bars`` bars, the histogram
      agreeing as configured: ``agree_up`` / ``agree_down``), +1 / -1 / 0 (None: same as ``cross``); :attr:`event`
      is the one the built-in policies act on, ``projected`` 1 when it was projected ahead (``front_run``);
    * ``regime``: +k when MACD has stayed above its signal line for the last k bars, -k below, 0 on a touch (or
      NaN); ``expanding_above_zero``: the histogram expanding while above zero (the built-in 1.5x layer size);
    * ``divergence``: +1 bullish, -1 bearish, 0 none, from confirmed pivots (``[hedge.divergence]`` source and
      pattern: on the VX series against its MACD by default);
    * ``rsi``: Wilder RSI of spot VIX over ``hedge.rsi.period`` bars (14), there whether or not the RSI filter
      (``hedge.rsi.enabled``) is on; ``fomc_window``, ``fomc_near``, ``event_window`` (CPI/PPI): the scheduled
      calendars' windows; ``ad_weakening``: the S&P 500 A/D line weakening (None without an A/D input);
    * ``extra``: the ``hedge.signals`` plug-ins' values on the bar, by name;
    * :attr:`valid`: False while any of ``vx``, ``macd``, ``signal``, ``hist`` is NaN (the MACD's warm-up, a
      day without VX): the built-in policies do nothing then.
    """

    vx: float
    macd: float
    signal: float
    hist: float
    cross: int = 0
    confirmed_cross: int | None = None  # None: same as cross
    regime: int = 0
    expanding_above_zero: bool = False
    agree_up: bool = True
    agree_down: bool = True
    macd_slope: float = _NAN
    flattening: bool = False
    divergence: int = 0
    rsi: float = _NAN
    fomc_window: bool = False
    ad_weakening: bool | None = None  # None: no A/D input
    front_vx: float = _NAN
    event_window: bool = False
    fomc_near: bool = False
    term_ratio: float = _NAN
    projected: int = 0  # the crossover acted on was projected, not yet happened (front_run)
    extra: Mapping[str, float] = field(default_factory=lambda: NO_EXTRA)  # the hedge.signals plug-ins' values on the bar, by name

    @property
    def valid(self) -> bool:
        """Whether the VX level, MACD, signal line and histogram are all known on this bar (False in warm-up)."""
        isfinite = math.isfinite
        return isfinite(self.vx) and isfinite(self.macd) and isfinite(self.signal) and isfinite(self.hist)

    @property
    def event(self) -> int:
        """The crossover the policy acts on: the confirmed one."""
        return self.cross if self.confirmed_cross is None else self.confirmed_cross
