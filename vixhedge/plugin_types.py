"""The call signatures of the four extension points (README "Plug-ins"), as ``typing.Protocol`` classes whose
``help()`` says what a plug-in receives and returns: a plain function of the signature is one (nothing to subclass).

:class:`HedgePolicy` (``hedge.policy``, :mod:`strategies.policies`), :class:`CondorSelector` (``condor.selector``,
:mod:`strategies.selectors`, which keeps its own alias: that file is the built-in selector's source, hashed into
every run's manifest and report), :class:`ExtraSignal` (``hedge.signals``, :mod:`strategies.extra_signals`) and
:class:`Analyzer` (``analysis.analyzers``, :mod:`analyzers.plugins`); :mod:`vixhedge.api` exports them. Types only:
importing this module imports nothing of the package.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from strategies.book import BookState, Decision
    from strategies.condor import CondorLegs
    from strategies.selectors import CondorChoice
    from strategies.signalset import SignalInputs
    from strategies.snapshot import Snapshot
    from vixhedge.core.config import CondorConfig, HedgeConfig


class HedgePolicy(Protocol):
    """A hedge policy: ``policy(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision``, pure, called once
    per bar after the condor was managed (README "Plug-ins").

    ``state`` is the hedge book and the market it sees (open layers, trading days to their expiry, NAV, the open
    condor's vega and contracts, the quote of one unit of a new layer), ``snap`` the bar's signals (see
    :class:`~strategies.snapshot.Snapshot`; with ``execution.signal_delay_bars = N``, those of N bars before),
    ``cfg`` the run's ``[hedge]`` section (its own table is ``cfg.policy_params``). The returned Decision's actions
    (AddLayer, RemoveLayer, RollLayer, RestrikeLayer, CutCondor, ScaleCondor) are applied in order at bid/ask with
    fees, within the margin and hedge budget. Name it ``hedge.policy = "module:callable"`` (a module file on
    PYTHONPATH); the built-ins (``vixhedge.api.BUILTIN_POLICIES``) are looked up the same way. A policy that declares ``policy.params``
    (a dataclass) has ``[hedge.policy_params]`` checked against it when the config loads."""

    def __call__(self, state: BookState, snap: Snapshot, cfg: HedgeConfig, /) -> Decision: ...


class CondorSelector(Protocol):
    """A condor selector: ``selector(choice: CondorChoice, cfg: CondorConfig) -> CondorLegs | None``, pure, asked on
    each bar the entry rule (``condor.entry``, the DTE window) opens a condor: the rule decides *when*, the selector
    *what* (README "Plug-ins").

    ``choice`` holds the day, the proposed ``expiry`` and its ``chain`` (strikes, bid/ask, deltas; read-only),
    ``expiries`` (the untraded standard monthlies), ``chain_of(expiry)``, NAV, ``roll`` and the bar's ``snap``;
    ``cfg`` the run's ``[condor]`` section (its own table is ``cfg.selector_params``). Return four listed strikes in
    order on an untraded standard monthly expiry after the day, or None to skip the bar. Name it ``condor.selector
    = "module:callable"``; the built-in ``standard`` (:func:`strategies.selectors.standard`) is looked up the same
    way."""

    def __call__(self, choice: CondorChoice, cfg: CondorConfig, /) -> CondorLegs | None: ...


class ExtraSignal(Protocol):
    """An extra signal: ``signal(inputs: SignalInputs, cfg: HedgeConfig) -> array``, pure and causal (README
    "Plug-ins").

    ``inputs`` the run's daily inputs (``dates``, the MACD's VX series ``vx``, ``front_vx``, ``second_vx``, spot
    VIX, SPX closes, the A/D input; read-only), ``cfg`` the ``[hedge]`` section; it returns one number per
    ``inputs.dates`` (NaN where not known yet), the value on bar ``t`` reading bars ``0..t`` only (checked). Named in
    ``hedge.signals = ["module:callable"]``, policies and selectors read it as ``snap.extra[<name>]`` and
    signals.csv shows it as ``extra_<name>``."""

    def __call__(self, inputs: SignalInputs, cfg: HedgeConfig, /) -> np.ndarray: ...


class Analyzer(Protocol):
    """An analyzer: ``analyzer(result: RunResult) -> dict | DataFrame | Series``, called on each finished run (README
    "Plug-ins").

    ``result`` a private copy of the :class:`~vixhedge.run.RunResult`. A dict (JSON-able) goes to metrics.json
    ``analyzers.<name>``, a table to ``analyzer_<name>.csv``. Named in ``analysis.analyzers =
    ["module:callable"]``; the built-in ``monthly_returns`` is looked up the same way."""

    def __call__(self, result: Any, /) -> Mapping[str, Any] | pd.DataFrame | pd.Series: ...
