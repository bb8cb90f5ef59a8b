"""Swept keys that cannot change a point, noted at the start of a sweep (the sweep still runs them).

Three kinds, each read from one table (:mod:`vixhedge.core.config.unread`, which notes a run's settings alike; a
sweep notes its [base]'s with :func:`unread_base`):

* a key behind a switch that is false in [base] and not swept (:data:`SWITCHES`, read from the config fields'
  metadata ``needs``: ``hedge.rsi.*`` while ``hedge.rsi.enabled = false``, ...);
* a key of one kind of hedge layer while [base] trades the other (:data:`LAYER_KEYS`, the config reference's
  "option layers:" / "VX-future layers:" keys: ``hedge.spread_long_otm`` while ``hedge.instrument = "vx_future"``,
  ...), with the built-in alvh or static policy (a plug-in policy may read any key);
* a key the alvh policy reads on an add review or a second layer alone while [base] runs no review or holds one layer
  at most (:func:`vixhedge.core.config.unread.alvh_idle`: ``hedge.next_layer_multiple`` under ``review_bars = 0``),
  none of the keys deciding that swept.

Their points are the same run: the deflated Sharpe ratio counts their one result once (it counts distinct result
rows, :func:`vixhedge.sweep_summary.distinct_results`).
"""

from __future__ import annotations

import itertools

from vixhedge.core.config.unread import (LAYER_KEYS, MODEL_KEYS, ONE_LAYER_DECIDERS, SWITCHES, WORDS, alvh_idle, get,
                                         unread_settings)

__all__ = ["LAYER_KEYS", "SWITCHES", "inert_axes", "unread_base"]


def inert_axes(spec) -> list[str]:
    """Return one note per swept key (of 2+ values) that cannot change a point: a switch guarding it is false in
    [base] and not swept (:data:`SWITCHES`), it belongs to layers [base] does not trade (:data:`LAYER_KEYS`), or
    [base]'s alvh policy runs no review or holds one layer at most while it acts on those alone (:func:`alvh_idle`)."""
    notes = []
    repeat = "give the same runs (one trial of the deflated Sharpe ratio, which counts distinct results)"
    for key, values in spec.grid.items():
        if len(values) < 2:
            continue
        for guarded, switch in SWITCHES:
            hit = key.startswith(guarded) if guarded.endswith(".") else key == guarded
            if not hit or key == switch or switch in spec.grid or get(spec.base, switch) is not False:
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
            elif not {*ONE_LAYER_DECIDERS, "hedge.mode", "hedge.policy"} & set(spec.grid) and \
                    (idle := alvh_idle(spec.base, key))[0]:
                state, acts, fix = idle
                notes.append(f"grid.{key} has no effect while {state} ([base], not swept): {acts}; its {len(values)} "
                             f"values {repeat}; {fix} in [base] (or sweep it) or drop the axis")
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
    return " and ".join(WORDS[i] for i in acts_on)


# the keys whose value decides whether another is read (vixhedge.core.config.unread): swept, one may let a [base]
# setting act on some points
_DECIDERS = frozenset({"hedge.instrument", "hedge.mode", "hedge.policy", "condor.selector", *(s for _, s in SWITCHES),
                       *ONE_LAYER_DECIDERS,  # (a review, a second layer)
                       *(choice for _, readers in MODEL_KEYS for choice, _ in readers)})  # a model, a sizing, ...


def unread_base(spec) -> list[str]:
    """[base]'s settings that no point can read (:func:`vixhedge.core.config.unread.unread_settings`): unread under
    [base] and under every combination of the swept values that decide it (a switch, the instrument, the mode, the
    policy or selector); the swept keys left out (:func:`inert_axes` judges those)."""
    from vixhedge.core import config as C
    from vixhedge.sweep_spec import nested  # (here: sweep_spec imports this module)

    notes = [n for n in unread_settings(spec.base) if n.split(" = ", 1)[0] not in spec.grid]
    deciding = {k: v for k, v in spec.grid.items() if k in _DECIDERS}
    for combo in itertools.product(*deciding.values()):
        if not notes:
            break
        try:
            cfg = C.replace(spec.base, **nested(dict(zip(deciding, combo))))
        except C.ConfigError:  # an invalid point reads nothing
            continue
        still = {n.split(" = ", 1)[0] for n in unread_settings(cfg)}
        notes = [n for n in notes if n.split(" = ", 1)[0] in still]
    return [f"[base] {n}" for n in notes]
