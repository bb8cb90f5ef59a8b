"""Swept keys that cannot change a point, noted at the start of a sweep (the sweep still runs them).

Two kinds, each read from one table:

* a key behind a switch that is false in [base] and not swept (:data:`SWITCHES`, read from the config fields'
  metadata ``needs``: ``hedge.rsi.*`` while ``hedge.rsi.enabled = false``, ...);
* a key of one kind of hedge layer while [base] trades the other (:data:`LAYER_KEYS`, the config reference's
  "option layers:" / "VX-future layers:" keys: ``hedge.spread_long_otm`` while ``hedge.instrument = "vx_future"``,
  ...), with the built-in alvh or static policy (a plug-in policy may read any key).

Their points are the same run: the deflated Sharpe ratio counts their one result once (it counts distinct result
rows, :func:`vixhedge.sweep_summary.distinct_results`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any

from vixhedge.core import config as C

__all__ = ["LAYER_KEYS", "SWITCHES", "inert_axes"]


def _switches(node: Any, prefix: str = "") -> Iterator[tuple[str, str]]:
    """(swept key, or a section's prefix ending in ".") -> each switch its config field declares it needs
    (metadata ``needs``, :class:`vixhedge.core.config.HedgeConfig`), in field order."""
    for f in dataclasses.fields(node):
        key, value = prefix + f.name, getattr(node, f.name)
        section = dataclasses.is_dataclass(value)
        yield from ((key + "." if section else key, switch) for switch in f.metadata.get("needs", ()))
        if section:
            yield from _switches(value, key + ".")


# the switches that, false, leave a key without effect on a point's run (strategies/hedge.py and signalset.py read
# these keys only behind their switch; the kernel mirrors them): read from the config's fields, where they are
# declared; test_sweep_cli.py checks each name is a config field and each switch a bool
SWITCHES: tuple[tuple[str, str], ...] = tuple(_switches(C.Config()))

_OPTIONS = ("vix_call_spread", "vix_call")
# key -> the hedge.instrument values whose layers read it (strategies/book.py layer_legs: the strikes and the short
# call; strategies/placement.py: the flattening and steep-rise placements; the Desk's fees; VX margins); under any
# other instrument the key changes no fill, mark or margin. test_sweep_inert.py checks each is a config field and
# that its points give equal rows under the other instrument.
LAYER_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("hedge.spread_long_otm", _OPTIONS),
    ("hedge.spread_width_points", ("vix_call_spread",)),
    ("hedge.placement.flat_extra_otm", _OPTIONS),
    ("hedge.slope.near_otm", _OPTIONS),
    ("execution.fee_vix_option_usd", _OPTIONS),
    ("hedge.premium_budget_usd", _OPTIONS),  # (strategies/book.py cap_contracts: a VX future's premium is 0)
    ("hedge.placement.flat_extra_tenor", ("vx_future",)),
    ("execution.fee_vx_future_usd", ("vx_future",)),
    ("margin.vx_initial_usd", ("vx_future",)),
    ("margin.vx_maintenance_usd", ("vx_future",)),
)
_WORDS = {"vx_future": "VX-future", "vix_call_spread": "VIX call-spread", "vix_call": "VIX call"}


def inert_axes(spec) -> list[str]:
    """Return one note per swept key (of 2+ values) that cannot change a point: a switch guarding it is false in
    [base] and not swept (:data:`SWITCHES`), or it belongs to layers [base] does not trade (:data:`LAYER_KEYS`)."""
    notes = []
    repeat = "give the same runs (one trial of the deflated Sharpe ratio, which counts distinct results)"
    for key, values in spec.grid.items():
        if len(values) < 2:
            continue
        for guarded, switch in SWITCHES:
            hit = key.startswith(guarded) if guarded.endswith(".") else key == guarded
            if not hit or key == switch or switch in spec.grid or _base_value(spec.base, switch) is not False:
                continue
            notes.append(f"grid.{key} has no effect while {switch} = false ([base], not swept): its {len(values)} "
                         f"values {repeat}; set {switch} = true in [base] or drop the axis")
            break
        else:
            kinds = _other_layers(spec, key)
            if kinds:
                notes.append(f'grid.{key} has no effect while hedge.instrument = "{spec.base.hedge.instrument.value}" '
                             f"([base], not swept): it acts on {kinds} layers only; its {len(values)} values "
                             f"{repeat}; set hedge.instrument in [base] (or sweep it) or drop the axis")
    return notes


def _other_layers(spec, key: str) -> str | None:
    """The layers ``key`` acts on, in words, when [base] trades none of them, with the built-in alvh or static
    policy and neither the instrument, the mode nor the policy swept; else None."""
    acts_on = dict(LAYER_KEYS).get(key)
    h = spec.base.hedge
    if acts_on is None or {"hedge.instrument", "hedge.mode", "hedge.policy"} & set(spec.grid):
        return None
    if h.policy_name not in ("alvh", "static") or h.instrument.value in acts_on:
        return None
    return " and ".join(_WORDS[i] for i in acts_on)


def _base_value(cfg: C.Config, dotted: str) -> Any:
    node: Any = cfg
    for part in dotted.split("."):
        node = getattr(node, part, None)
    return node
