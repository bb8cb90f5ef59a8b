"""Settings a config changes that its run cannot read: one note each, so a key that moves nothing is told, not
silently ignored (trial V, 2026-12-05: ``hedge.rsi.period`` with the RSI filter off, a two-factor curve's key under
the one-factor model, ``hedge.premium_budget_usd`` on VX futures, all ran without a word).

Four kinds, each read from one table that the sweep's inert-axis notes share (:mod:`vixhedge.sweep_inert`):

* a key behind a switch that is false (:data:`SWITCHES`, the config fields' metadata ``needs``: ``hedge.rsi.*``
  while ``hedge.rsi.enabled = false``, ...), with the built-in policies and condor selector (a plug-in may read
  the values the signals compute, switch or not);
* a key of one kind of hedge layer while the config trades another (:data:`LAYER_KEYS`), with the built-in alvh or
  static policy (a plug-in policy may read any key; vxth buys its own calls);
* a key that one value of a choice reads while the config makes another (:data:`MODEL_KEYS`): a market model's
  (``market.vx_curve.long_run_level`` under the two-factor curve), a source's or mode's (``market.synthetic.*``
  while ``market.source`` is not ``"synthetic"``, ``market.rate`` under the rate series, ``hedge.static_layers``
  and ``hedge.vxth.*`` under another policy, ``hedge.fomc.review_bars`` while ``hedge.fomc.cadence`` is not
  ``"bars"``), a fill's, entry's, strike rule's or sizing's (``execution.slippage_fraction`` under bid/ask fills,
  ``condor.max_loss_nav_fraction`` under fixed contracts; trial CF21: these ran without a word); a condor key with
  the built-in condor selector, a hedge key with the built-in policies (a plug-in may read any);
* a key the alvh policy reads on an add review alone while ``hedge.review_bars = 0`` runs none
  (:data:`REVIEW_KEYS`), or on a second or later layer alone while the config holds at most one (:func:`one_layer`,
  :data:`LATER_LAYER_KEYS`; trial RS23: ``next_layer_multiple`` 2 and 3 under ``review_bars = 0`` ended on the same
  NAV without a word).

A key at its default is never noted. Pure: no I/O; :func:`vixhedge.run.run_backtest` logs the notes and writes them
to metrics.json ``unread_settings`` (absent when there are none).
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import functools
from collections.abc import Iterable, Iterator
from typing import Any

from vixhedge.core.config.base import toml_echo
from vixhedge.core.config.hedge import HedgeConfig, SignalAction
from vixhedge.core.config.load import Config
from vixhedge.core.config.market import SyntheticConfig
from vixhedge.core.config.vxth import VxthConfig

__all__ = ["LATER_LAYER_KEYS", "LAYER_KEYS", "MODEL_KEYS", "ONE_LAYER_DECIDERS", "REVIEW_KEYS", "SWITCHES", "alvh_idle",
           "capped_budgets", "differing", "get", "one_layer", "unread_settings"]


def _switches(node: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(key, or a section's prefix ending in ".") -> each switch its config field declares it needs (metadata
    ``needs``, :class:`vixhedge.core.config.HedgeConfig`), in field order."""
    for f in dataclasses.fields(node):
        key, value = prefix + f.name, getattr(node, f.name)
        section = dataclasses.is_dataclass(value)
        yield from ((key + "." if section else key, switch) for switch in f.metadata.get("needs", ()))
        if section:
            yield from _switches(value, key + ".")


# the switches that, false, leave a key without effect on a run (strategies/hedge.py and signalset.py read these
# keys only behind their switch; the kernel mirrors them): read from the config's fields, where they are declared;
# test_sweep_cli.py checks each name is a config field and each switch a bool
SWITCHES: tuple[tuple[str, str], ...] = tuple(_switches(Config()))

_OPTIONS = ("vix_call_spread", "vix_call")
# key -> the hedge.instrument values whose layers read it (strategies/book.py layer_legs: the strikes and the short
# call; strategies/placement.py: the flattening and steep-rise placements; the Desk's fees; VX margins; book.py
# cap_contracts: a VX future's premium is 0); under any other instrument the key changes no fill, mark or margin.
# test_sweep_inert.py checks each is a config field and that its points give equal rows under the other instrument.
LAYER_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("hedge.spread_long_otm", _OPTIONS),
    ("hedge.spread_width_points", ("vix_call_spread",)),
    ("hedge.placement.flat_extra_otm", _OPTIONS),
    ("hedge.placement.restrike_min_points", _OPTIONS),
    ("hedge.slope.near_otm", _OPTIONS),
    ("execution.fee_vix_option_usd", _OPTIONS),
    ("hedge.premium_budget_usd", _OPTIONS),
    ("hedge.placement.flat_extra_tenor", ("vx_future",)),
    ("execution.fee_vx_future_usd", ("vx_future",)),
    ("margin.vx_initial_usd", ("vx_future",)),
    ("margin.vx_maintenance_usd", ("vx_future",)),
)

_TWO_FACTOR = ("slow_long_run_level", "slow_reversion_per_year", "fast_reversion_per_year", "slow_gain", "fast_gain",
               "premium", "premium_per_level", "premium_reversion_per_year")
_SURFACE = ("atm_ratio_per_log_tenor", "put_skew", "put_skew_per_skewness", "put_curvature", "call_skew",
            "call_skew_per_log_tenor", "call_curvature", "call_curvature_per_log_tenor", "index_wing_variance",
            "index_relations", "skew_first_year", "skew_by_year")
# key -> its readers, (the model key, the models of it that read the key): under none of them the key moves no price
# (feeds/vxcurve.py: one_factor, theta + (VIX - theta) e^(-kappa tau); two_factor. feeds/chains.py: the
# vix_anchored smile's ATM vol reads theta and kappa whatever the curve; feeds/surface.py: surface). Not here:
# vx_curve.mean_reversion_per_year and spx_smile.vix_to_atm (the hedge-vega bridge reads them under either model,
# vixhedge/bridge.py) and spx_smile.min_vol_fraction (the floor of either smile's shape, feeds/chains.py).
_ONE_FACTOR = (("market.vx_curve.model", ("one_factor",)),)
_ANCHORED = (("market.spx_smile.model", ("vix_anchored",)),)
MODEL_KEYS: tuple[tuple[str, tuple[tuple[str, tuple[str, ...]], ...]], ...] = (
    ("market.vx_curve.long_run_level", _ONE_FACTOR + _ANCHORED),
    *((f"market.vx_curve.{k}", (("market.vx_curve.model", ("two_factor",)),)) for k in _TWO_FACTOR),
    *((f"market.spx_smile.{k}", _ANCHORED) for k in ("skew", "curvature")),
    *((f"market.spx_smile.{k}", (("market.spx_smile.model", ("surface",)),)) for k in _SURFACE),
    # not a model's but a mode's: strategies/hedge.py _window_interval reads fomc.review_bars under cadence "bars"
    # alone (trial RS21: 3 and 5 ran unnoted under the default twice_weekly, and a variant of it was "never acted")
    ("hedge.fomc.review_bars", (("hedge.fomc.cadence", ("bars",)),)),
    # trial CF21, each read where the comment says and nowhere else: feeds/market.py build_market (the synthetic
    # path; the constant rate); vixhedge/core/desk.py fill_price; strategies/condor.py calendar_entry_expiry,
    # select_condor, condor_contracts (vixhedge/kernel_condor.py, kernel_capital.py size_condor alike);
    # strategies/book.py first_layer_contracts (kernel_hedge.py); the static policy (strategies/hedge.py
    # decide_static, kernel_hedge.py); the vxth policy (strategies/vxth.py, kernel_rules.py)
    *((f"market.synthetic.{f.name}", (("market.source", ("synthetic",)),))
      for f in dataclasses.fields(SyntheticConfig)),
    ("market.rate", (("market.rates", ("constant",)),)),
    ("execution.slippage_fraction", (("execution.fill", ("slippage",)),)),
    ("condor.entry_window_days", (("condor.entry", ("calendar",)),)),
    ("condor.short_delta", (("condor.strike_rule", ("delta",)),)),
    ("condor.short_otm_pct", (("condor.strike_rule", ("pct_otm",)),)),
    ("condor.contracts", (("condor.sizing", ("contracts",)),)),
    ("condor.max_loss_nav_fraction", (("condor.sizing", ("max_loss",)),)),
    ("condor.margin_nav_fraction", (("condor.sizing", ("margin",)),)),
    ("hedge.target_hedge_ratio", (("hedge.sizing", ("vega_ratio",)),)),
    ("hedge.static_layers", (("hedge.mode", ("static",)),)),
    *((f"hedge.vxth.{f.name}", (("hedge.mode", ("vxth",)),)) for f in dataclasses.fields(VxthConfig)),
)
# keys the alvh policy reads on an add review alone: strategies/hedge.py review_cadence and cadence_bars (the FOMC and
# CPI/PPI windows' cadence, the A/D filter on it, the expansion's cadence); strategies/signalset.py computes the FOMC
# window from days_before / days_after and the CPI/PPI windows for them only (fomc_near, the FOMC divergence's, reads
# divergence_sessions). With hedge.review_bars = 0 no review runs (strategies/hedge.py _review). A "." ends a prefix.
REVIEW_KEYS = ("hedge.expansion.cadence", "hedge.expansion.review_bars", "hedge.fomc.days_before",
               "hedge.fomc.days_after", "hedge.fomc.review_bars", "hedge.fomc.require_ad", "hedge.fomc.ad_bars",
               "hedge.fomc.ad_csv", "hedge.fomc.ad_advances_column", "hedge.fomc.ad_declines_column",
               "hedge.fomc.cadence", "hedge.events.")
# keys it reads on a second or later layer alone: strategies/hedge.py _add and _later_layer (a later layer's multiple
# of the first's notional, the expansion's, the rounding carried on; a layer added to an empty book is a first one),
# strategies/placement.py (the flattening's placement and restrikes move layers after the first; max_layers: a slot)
LATER_LAYER_KEYS = ("hedge.next_layer_multiple", "hedge.expanding_layer_multiple", "hedge.expansion.sizing",
                    "hedge.fractional_carry", "hedge.placement.", "hedge.max_layers")
# the keys :func:`one_layer` reads: swept, one may let a later layer open (vixhedge.sweep_inert)
ONE_LAYER_DECIDERS = ("hedge.review_bars", "hedge.max_layers", "hedge.on_cross_up", "hedge.on_cross_down",
                      "hedge.rsi.enabled", "hedge.term_structure.enabled", "hedge.confirm.hold_bars",
                      "hedge.confirm.require_expanding", "hedge.confirm.anticipate_bars")
WORDS = {"vx_future": "VX-future", "vix_call_spread": "VIX call-spread", "vix_call": "VIX call"}


def get(cfg: Any, dotted: str) -> Any:
    """The value of ``dotted`` (e.g. ``hedge.rsi.enabled``) in ``cfg``; None where no such key is."""
    node: Any = cfg
    for part in dotted.split("."):
        node = getattr(node, part, None)
    return node


def differing(a: Any, b: Any, prefix: str = "") -> list[str]:
    """Return the dotted names of the fields where the config tables ``a`` and ``b`` differ (nested tables walked;
    ``prefix``: the tables' own dotted name, "" for whole configs)."""
    out = []
    for f in dataclasses.fields(a):
        x, y = getattr(a, f.name), getattr(b, f.name)
        if x == y:
            continue
        key = f"{prefix}.{f.name}" if prefix else f.name
        out += differing(x, y, key) if dataclasses.is_dataclass(x) and type(x) is type(y) else [key]
    return out


def one_layer(h: HedgeConfig) -> str:
    """Return why the alvh policy under ``h`` never holds more than one layer ("" if it may): ``max_layers = 1``; or no
    review (``review_bars = 0``) with one crossover adding and the other removing, unfiltered and acting on its own
    bar: a layer opens on one crossover and the next, the other way, removes it (raw crossovers alternate; a bullish
    divergence only removes). strategies/rulesoff.py names the rules it leaves idle."""
    if h.max_layers <= 1:
        return "at most one layer is held (hedge.max_layers = 1)"
    acts = {h.on_cross_up, h.on_cross_down}
    removes = acts & {SignalAction.REMOVE_NEWEST, SignalAction.REMOVE_ALL}
    c = h.confirm
    if (h.review_bars == 0 and SignalAction.ADD_LAYER in acts and removes and not h.rsi.enabled
            and not h.term_structure.enabled and c.hold_bars == 0 and not c.require_expanding
            and c.anticipate_bars == 0):
        down = "on_cross_down" if h.on_cross_up is SignalAction.ADD_LAYER else "on_cross_up"
        return (f"at most one layer is held (hedge.review_bars = 0: a layer opens only on a crossover, and the next "
                f"one removes it, hedge.{down} = {removes.pop().value})")
    return ""


def _listed(key: str, keys: tuple[str, ...]) -> bool:
    return any(key.startswith(k) if k.endswith(".") else key == k for k in keys)


def alvh_idle(cfg: Config, key: str) -> tuple[str, str, str]:
    """Why the built-in alvh policy cannot read ``key`` under ``cfg`` for a number's sake, as (the state, what the key
    acts on, the fix), or three "" if it may: no add review runs (:data:`REVIEW_KEYS`), or no second layer opens
    (:data:`LATER_LAYER_KEYS`, :func:`one_layer`)."""
    h = cfg.hedge
    if h.policy_name != "alvh":
        return "", "", ""
    if h.review_bars == 0 and _listed(key, REVIEW_KEYS):
        return ("hedge.review_bars = 0", "it acts on add reviews only and none runs (crossovers only)",
                "set hedge.review_bars > 0")
    one = one_layer(h)
    if one and _listed(key, LATER_LAYER_KEYS) and not (key == "hedge.max_layers" and h.max_layers <= 1):
        return (one, "it acts on a second or later layer only",
                "raise hedge.max_layers" if h.max_layers <= 1 else "set hedge.review_bars > 0")
    return "", "", ""


def _plain(value: Any) -> Any:
    return value.value if hasattr(value, "value") and not isinstance(value, (int, float)) else value


def unread_settings(cfg: Config) -> list[str]:
    """Return one line per key ``cfg`` changes from the default that its run cannot read, naming why and the fix."""
    notes = []
    for key in differing(cfg, _default()):
        why = _why(cfg, key)
        if why:
            notes.append(f"{key} = {toml_echo(_plain(get(cfg, key)))} changes no trade or price {why}")
    return notes


def capped_budgets(cfg: Config) -> list[str]:
    """One line per condor sizing budget that its cap overrides (trial RS25: under ``sizing = "margin"`` the default
    budget 0.5 of NAV sits above the default cap 0.3, so a sweep's 0.3 and 0.5 gave the same book, unsaid): the
    built-in selector's ``margin_nav_fraction`` or ``max_loss_nav_fraction`` at or above its cap, default or not."""
    c = cfg.condor
    pairs = {"margin": ("margin_nav_fraction", "margin_cap_nav_fraction"),
             "max_loss": ("max_loss_nav_fraction", "max_loss_cap_nav_fraction")}
    budget, cap = pairs.get(_plain(c.sizing), (None, None))
    if budget is None or c.selector_name != "standard" or getattr(c, budget) < getattr(c, cap):
        return []
    return [f"condor.{budget} = {toml_echo(getattr(c, budget))} sizes no condor under condor.sizing = "
            f'"{_plain(c.sizing)}": condor.{cap} = {toml_echo(getattr(c, cap))} caps every one first (a budget at or '
            "above the cap gives the same book); lower the budget below the cap, or raise the cap"]


#: the hedge policies a comparison runs side by side (:func:`compared`): a key one of them reads is not noted on the
#: others' runs (``hedge.static_layers`` set for compare's static mode warned on its none and alvh runs)
_COMPARED: contextvars.ContextVar[frozenset[str]] = contextvars.ContextVar("compared", default=frozenset())


@contextlib.contextmanager
def compared(policies: Iterable[str]) -> Iterator[None]:
    """While runs of ``policies`` are compared (:func:`vixhedge.compare.compare`), judge a policy's keys by them all."""
    token = _COMPARED.set(frozenset(policies))
    try:
        yield
    finally:
        _COMPARED.reset(token)


def _choice(cfg: Config, key: str) -> Any:
    """The value of a choice ``key``; ``hedge.mode``: the policy that runs (``hedge.policy`` may name a built-in)."""
    return cfg.hedge.policy_name if key == "hedge.mode" else _plain(get(cfg, key))


@functools.lru_cache(maxsize=1)
def _default() -> Config:
    return Config()


def _why(cfg: Config, key: str) -> str:
    h = cfg.hedge
    own = {"hedge": h.policy_name in ("alvh", "static", "vxth", "none"), "condor": cfg.condor.selector_name ==
           "standard"}  # a built-in reads what its code says; a plug-in may read any key of its section
    builtin = own["hedge"] and own["condor"]
    for guarded, switch in SWITCHES if builtin else ():  # (a plug-in reads the snapshot's values, on or off)
        hit = key.startswith(guarded) if guarded.endswith(".") else key == guarded
        if hit and key != switch and get(cfg, switch) is False:
            return f"while {switch} = false: set it to true, or drop the key"
    acts_on = dict(LAYER_KEYS).get(key)
    if acts_on and h.policy_name in ("alvh", "static") and h.instrument.value not in acts_on:
        kinds = " and ".join(WORDS[i] for i in acts_on)
        return (f'while hedge.instrument = "{h.instrument.value}": it acts on {kinds} layers only; change the '
                "instrument, or drop the key")
    readers = dict(MODEL_KEYS).get(key, ()) if own.get(key.split(".")[0], True) else ()
    if any(model_key == "hedge.mode" and _COMPARED.get() & set(models) for model_key, models in readers):
        return ""  # another mode of the comparison reads it
    if readers and not any(_choice(cfg, model_key) in models for model_key, models in readers):
        now = " and ".join(f'{model_key} = "{_choice(cfg, model_key)}"' for model_key, _ in readers)
        which = " or ".join(f'{model_key} = "{m}"' for model_key, models in readers for m in models)
        return f"while {now}: only {which} reads it; set that, or drop the key"
    state, acts, fix = alvh_idle(cfg, key)
    return f"while {state}: {acts}; {fix}, or drop the key" if state else ""
