"""The ``placebo`` hedge policy: another policy's layers, bought at random times (README "Is the timing worth
anything? A placebo").

A timing claim's first test: the same hedge, bought when a coin says so. ``[hedge.policy_params]`` (:class:`Params`)
holds ``seed``, ``p_add`` (the chance of an add on a bar that could take one) and ``layers``, the reference
policy's layers as ``[contracts, tenor_months, sessions_held]`` triples (``vixhedge placebo`` reads them from the
reference run's layers.csv). On each bar, in order:

1. the rolls due (:func:`strategies.hedge.due_rolls`, as the built-ins roll);
2. each open layer that has been held its drawn ``sessions_held`` is removed (reason ``placebo_hold_done``), its
   roll dropped: the sessions from its ``entry_date`` (included) to the bar (excluded) on the exchange calendar
   (:func:`feeds.calendars.business_days_between`), which is layers.csv ``sessions_held`` on a market that trades
   every exchange session (the embedded one; a real data directory missing a session holds such a layer one bar
   less). The hold is the one drawn with the layer: the triple is drawn from the seed and the entry day;
3. with probability ``p_add`` (:func:`draw`: a hash of ``seed`` and the bar's date, no counter and no global state,
   so a bar's draw does not depend on the bars called before it) one layer is added, a triple of ``layers`` drawn
   with it (size, tenor and hold together), if fewer than ``hedge.max_layers`` stay open and, with
   ``hedge.require_condor``, a condor is open; its contracts cut by the hedge caps (:func:`cap_contracts`, as the
   built-ins), in the triple's VX month (``tenor_months``), an option layer at ``hedge.spread_long_otm``.

Rule names (signals.csv ``rules_fired``): ``roll``, ``placebo_hold_done``, ``placebo_add`` and, when the coin said add
but the book could not, ``placebo_add!no_condor``, ``placebo_add!max_layers`` or ``placebo_add!<cap key>``. A state
without ``date`` (one a plug-in builds) only rolls. Pure; written against the public types (:mod:`vixhedge.api`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field

from feeds import calendars
from strategies.book import AddLayer, BookState, Decision, RemoveLayer, Rule, cap_contracts, cap_counted
from strategies.hedge import due_rolls
from strategies.snapshot import Snapshot
from vixhedge.core.config import HedgeConfig

ADD, HOLD_DONE = "placebo_add", "placebo_hold_done"
_M64 = (1 << 64) - 1
_ADD_STREAM, _PICK_STREAM = 1, 2  # the two draws of a day: whether to add, which layer


def mix(*xs: int) -> int:
    """splitmix64 folded over ``xs`` (ints): the same 64-bit value for the same ints, in any process."""
    z = 0x9E3779B97F4A7C15
    for x in xs:
        z = (z + (int(x) & _M64) + 0x9E3779B97F4A7C15) & _M64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _M64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _M64
        z ^= z >> 31
    return z


def draw(seed: int, day: dt.date) -> float:
    """The add coin of ``day`` under ``seed``: uniform in [0, 1); the policy adds when it is below ``p_add``."""
    return mix(seed, _ADD_STREAM, day.toordinal()) / 2.0**64


def pick(seed: int, day: dt.date, n: int) -> int:
    """The index of the triple (of ``n``) a layer added on ``day`` takes: its size, tenor and hold."""
    return mix(seed, _PICK_STREAM, day.toordinal()) % n


@dataclass(frozen=True)
class Params:
    """``[hedge.policy_params]`` of the placebo: ``seed``, ``p_add`` in [0, 1] and ``layers``, a list of
    ``[contracts >= 1, tenor_months 1..9, sessions_held >= 1]`` triples (the reference's layers)."""

    seed: int = 1
    p_add: float = 0.1
    layers: list[list[int]] = field(default_factory=lambda: [[1, 2, 20]])

    def __post_init__(self) -> None:
        if not 0.0 <= self.p_add <= 1.0:
            raise ValueError(f"p_add = {self.p_add!r}: use a probability in [0, 1], e.g. 0.13")
        if not self.layers:
            raise ValueError("layers = []: give at least one [contracts, tenor_months, sessions_held] triple")
        for k, t in enumerate(self.layers):
            ok = isinstance(t, (list, tuple)) and len(t) == 3 and all(isinstance(v, int) and not isinstance(v, bool)
                                                                        for v in t)
            if not (ok and t[0] >= 1 and 1 <= t[1] <= 9 and t[2] >= 1):
                raise ValueError(f"layers item {k} = {t!r}: use [contracts >= 1, tenor_months 1..9, "
                                 "sessions_held >= 1], e.g. [1, 2, 12]")


@dataclasses.dataclass(frozen=True)
class _Read:
    seed: int
    p_add: float
    layers: tuple[tuple[int, int, int], ...]


_LAST: list = [None, None]  # the last HedgeConfig read and its _Read (one config a run: read once, not every bar)


def _params(cfg: HedgeConfig) -> _Read:
    """``cfg``'s params, checked and read once per config (trial PERF36: rebuilt on every bar they took 54% of a
    placebo's CPU; the config is frozen, so the same object reads the same)."""
    if _LAST[0] is not cfg:
        p = Params(**cfg.policy_params)
        _LAST[:] = cfg, _Read(p.seed, float(p.p_add), tuple(tuple(int(v) for v in t) for t in p.layers))
    return _LAST[1]


def hold_of(layer_entry: dt.date, p: Params | _Read) -> int:
    """The sessions a layer entered on ``layer_entry`` is held (the triple drawn on its entry day)."""
    return int(p.layers[pick(p.seed, layer_entry, len(p.layers))][2])


def placebo(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision:
    """The ``placebo`` policy (module docstring): roll, remove what was held its drawn sessions, maybe add."""
    p = _params(cfg)
    rolls = due_rolls(state, cfg, set())
    today = state.date
    if today is None:
        return Decision(tuple(rolls), (Rule.ROLL.value,) if rolls else (), ("roll",) if rolls else ())
    done = [L for L in state.layers if calendars.business_days_between(L.entry_date, today) >= hold_of(L.entry_date, p)]
    gone = {L.layer_id for L in done}
    actions: list = [a for a in rolls if a.layer_id not in gone]
    fired = [Rule.ROLL.value] if actions else []
    acted = ["roll"] if actions else []
    for L in done:
        actions.append(RemoveLayer(L.layer_id, HOLD_DONE))
    if done:
        fired.append(HOLD_DONE)
        acted.append(HOLD_DONE)
    left = tuple(L for L in state.layers if L.layer_id not in gone)
    if draw(p.seed, today) < p.p_add:
        want, tenor, _ = p.layers[pick(p.seed, today, len(p.layers))]
        if len(left) >= cfg.max_layers:
            fired.append(f"{ADD}!max_layers")
        elif cfg.require_condor and not state.condor_contracts:
            fired.append(f"{ADD}!no_condor")
        else:
            n, why = cap_contracts(want, left, state.unit, cfg)
            counted = cap_counted(why, left, state.unit)
            if n >= 1:
                fired.append(ADD)
                acted.append(ADD)
            else:
                fired.append(f"{ADD}!{why}")
            if n >= 1 or why:  # a cap's refusal is logged by the trader (capital_cuts.csv), as the built-ins'
                actions.append(AddLayer(n, 1.0, ADD, cfg.spread_long_otm, tenor_months=tenor,
                                        wanted=want if why else 0, cap=why, cap_counted=counted))
    return Decision(tuple(actions), tuple(fired), tuple(acted))


placebo.params = Params
