"""Condor selection by name: which strikes, and which expiry of the cycle, a new condor opens on.

A condor selector is a pure callable ``selector(choice, cfg) -> CondorLegs | None`` (:data:`CondorSelector`),
asked on each bar the entry rule opens a condor (``condor.entry`` and its DTE window decide *when*;
the selector decides *what*). ``choice`` (:class:`CondorChoice`) is the day, the expiry the entry rule
proposes and its SPX chain, the other untraded standard monthly expiries and their chains, NAV and the
bar's signals; ``cfg`` the run's ``[condor]`` section (its own table is ``cfg.selector_params``). None
opens nothing that bar. The built-in ``standard`` (:func:`strategies.condor.select_condor`: shorts by
delta or % OTM, wings by delta or width) is looked up by the same loader as ``condor.selector =
"module:callable"`` (:data:`REGISTRY`). :func:`select_checked` holds a selector to what the trader can
trade: four listed strikes in order, on an untraded standard monthly expiry after the day.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from feeds.chains import OptionChain
from strategies import condor as cc
from strategies.snapshot import Snapshot
from vixhedge import plugins, registries
from vixhedge.plugin_trace import Located, interrupted_in
from vixhedge.core.config import CondorConfig, ConfigError


@dataclass(frozen=True)
class CondorChoice:
    """What a condor selector sees on an entry bar (pure data plus a chain lookup): ``day``; ``expiry``, the one the
    entry rule proposes; ``chain``, its SPX chain on ``day`` (read-only): ``chain.strikes`` and, per right,
    ``chain.put`` / ``chain.call`` arrays over those strikes, ``bid``, ``ask``, ``mid``, ``iv``, ``delta`` (a put's
    negative), ``gamma``, ``vega``, ``theta`` (per unit; NaN where a real file does not quote the strike);
    ``nav_usd``; ``snap``, the bar's signals; ``roll``, whether the condor replaces one closed on this bar;
    ``traded``, expiries earlier condors opened on; ``chain_of(expiry)``, another expiry's chain; ``expiries``, the
    untraded monthly expiries after ``day`` (trial API39 M5: the deltas' place was nowhere but the source)."""

    day: dt.date
    expiry: dt.date  # the expiry the entry rule proposes (condor.entry, min/target/max_dte)
    chain: OptionChain  # its SPX chain on ``day`` (strikes, bid/ask, deltas: feeds.chains.OptionChain), read-only
    nav_usd: float
    snap: Snapshot  # the bar's signals, extra signals included (snap.extra)
    roll: bool  # the new condor replaces one closed on this bar (condor.roll_on_dte / roll_on_stop)
    traded: frozenset[dt.date]  # expiries earlier condors opened on (never reopened: one condor per expiry); a set:
    # test membership, or sort it before iterating (its order follows the process's hash seed; ``expiries`` is sorted)
    chain_of: Callable[[dt.date], OptionChain]  # the SPX chain of another expiry on ``day``, read-only

    def __post_init__(self) -> None:
        # a selector reads the market's shared chains: hand it read-only views (a write raises "assignment
        # destination is read-only", as for a signal plug-in's inputs)
        object.__setattr__(self, "chain", self.chain.read_only())
        chain_of = self.chain_of
        object.__setattr__(self, "chain_of", lambda expiry: chain_of(expiry).read_only())

    @functools.cached_property
    def expiries(self) -> tuple[dt.date, ...]:
        """The untraded standard monthly expiries after ``day`` (about 14 months), nearest first."""
        return tuple(e for e in cc.next_expiries(self.day) if e not in self.traded)


CondorSelector = Callable[[CondorChoice, CondorConfig], "cc.CondorLegs | None"]


def standard(choice: CondorChoice, cfg: CondorConfig) -> cc.CondorLegs | None:
    """The built-in selector: :func:`strategies.condor.select_condor` on the entry rule's expiry."""
    return cc.select_condor(choice.chain, cfg)


#: this extension point (vixhedge.registries.SELECTOR: names only, so a config loads without this module)
REGISTRY = registries.SELECTOR
BUILTINS: dict[str, str] = REGISTRY.builtins


def resolve(name: str) -> CondorSelector:
    """Return the selector registered under ``name`` (a built-in, ``"module:callable"`` or an entry point)."""
    return REGISTRY.resolve(name)


def check_selector(name: str, params: Mapping[str, Any] | None = None) -> None:
    """Raise a one-line ConfigError naming ``condor.selector`` when ``name`` does not load (or is not called as
    ``selector(choice, cfg)``), or ``condor.selector_params`` when the selector declares a ``params`` dataclass
    ``params`` does not build, or is not empty under the built-in ``standard`` (the table is a plug-in's own)."""
    REGISTRY.refuse_builtin_params(name, params, "selectors")
    REGISTRY.check(name, params)


class SelectorError(Located, ConfigError):
    """A condor selector raised or chose a condor the trader cannot open: one line, like bad input."""


def select_checked(selector: CondorSelector, choice: CondorChoice, cfg: CondorConfig) -> cc.CondorLegs | None:
    """Return ``selector``'s condor for ``choice`` (None: none this bar); a failure or a condor that is not four
    listed strikes in order on an untraded standard monthly expiry after the day is a SelectorError."""
    name = cfg.selector_name
    try:
        legs = selector(choice, cfg)
    except KeyboardInterrupt as exc:  # a selector that hangs: the interrupt's line names it
        raise interrupted_in(exc, f"in condor selector {name} on {choice.day}")
    except plugins.PLUGIN_FAILURES as exc:  # a plug-in's own bug: name it and the day
        raise SelectorError(f"condor selector {name} failed on {choice.day}: {plugins.failure_words(exc)}") from exc
    if legs is None or (selector is standard):
        return legs
    if not isinstance(legs, cc.CondorLegs):
        raise SelectorError(f"condor selector {name} returned {plugins.short_repr(legs)} on {choice.day}: return a "
                            "CondorLegs or None")
    if legs.expiry != choice.expiry and legs.expiry not in choice.expiries:
        raise SelectorError(f"condor selector {name} chose expiry {legs.expiry} on {choice.day}: choose "
                            f"choice.expiry or one of choice.expiries (untraded standard monthly expiries)")
    if not 0 < legs.long_put < legs.short_put < legs.short_call < legs.long_call:
        raise SelectorError(f"condor selector {name} chose strikes {legs.long_put:g}/{legs.short_put:g}/"
                            f"{legs.short_call:g}/{legs.long_call:g} on {choice.day}: need 0 < long put < short put "
                            "< short call < long call")
    chain = choice.chain if legs.expiry == choice.expiry else choice.chain_of(legs.expiry)
    for strike, leg in ((legs.long_put, "long put"), (legs.short_put, "short put"), (legs.short_call, "short call"),
                        (legs.long_call, "long call")):
        try:
            chain.index(strike)
        except KeyError as exc:
            raise SelectorError(f"condor selector {name} chose a {leg} at {strike:g} on {choice.day}: "
                                f"{exc.args[0]}; pick strikes from chain.strikes") from None
    return legs

