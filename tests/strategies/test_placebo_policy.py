"""The built-in ``placebo`` hedge policy (strategies/placebo.py) on hand-built book states: it adds on the days the
hash's draws say, holds each layer exactly its drawn sessions, respects max_layers, require_condor and the caps,
and a day's decision does not depend on the order days are called in (README "Is the timing worth anything? A
placebo"). Fails on the old code: there was no placebo policy (ImportError; ``hedge.policy = "placebo"`` was
"neither a built-in ...")."""

import datetime as dt
import random

import pytest

from feeds import calendars
from strategies import placebo as P
from strategies.book import AddLayer, BookState, Layer, RemoveLayer, RollLayer, UnitQuote
from strategies.policies import _word, resolve
from strategies.snapshot import Snapshot
from vixhedge.core import config as C
from vixhedge.core.instruments import Contract, Kind

UNIT = UnitQuote(notional_usd=18_000.0)
SNAP = Snapshot(vx=18.0, macd=0.1, signal=0.0, hist=0.1)
EXPIRY = dt.date(2016, 6, 15)


def cfg(layers=((1, 2, 5),), p_add=0.3, seed=7, **hedge):
    return C.HedgeConfig(policy="placebo", policy_params={"seed": seed, "p_add": p_add,
                                                          "layers": [list(t) for t in layers]}, **hedge)


def layer(i, entry, contracts=1, expiry=EXPIRY):
    return Layer(i, C.HedgeInstrument.VX_FUTURE, ((Contract(Kind.VX_FUTURE, expiry), contracts),), 18_000.0 * contracts,
                 P.ADD, entry)


def state(day, *layers, condor=10, dte=30, unit=UNIT):
    return BookState(layers=tuple(layers), days_to_expiry={L.layer_id: dte for L in layers}, condor_contracts=condor,
                     unit=unit, date=day)


def sessions(start, end):
    day = lambda v: dt.date.fromisoformat(v) if isinstance(v, str) else v  # noqa: E731
    return [d.date() for d in calendars.trading_days(day(start), day(end))]


def test_the_hash_is_splitmix64():
    # Vigna's splitmix64.c from state 0 gives 0xE220A8397B1DCDAF, then 0x6E789E6AA1B965F4 (the published sequence);
    # mix(x) is one splitmix64 step from state x - gamma
    gamma, m64 = 0x9E3779B97F4A7C15, (1 << 64) - 1
    assert P.mix(-gamma & m64) == 0xE220A8397B1DCDAF and P.mix(0) == 0x6E789E6AA1B965F4
    assert P.draw(7, dt.date(2016, 3, 1)) == P.mix(7, 1, dt.date(2016, 3, 1).toordinal()) / 2.0**64


def test_it_is_the_builtin_placebo_by_name():
    assert resolve("placebo") is P.placebo and resolve("strategies.placebo:placebo") is P.placebo
    c = cfg()
    assert c.policy_name == "placebo" and P.Params(**c.policy_params).p_add == 0.3


def test_adds_on_the_days_the_draws_say_with_the_drawn_triple():
    triples = ((1, 2, 5), (2, 3, 9), (3, 1, 4))
    c = cfg(triples, p_add=0.3)
    days = sessions("2016-01-04", "2016-06-30")
    added = {}
    for d in days:
        acts = [a for a in P.placebo(state(d), SNAP, c).actions if isinstance(a, AddLayer)]
        if acts:
            added[d] = (acts[0].contracts, acts[0].tenor_months)
    want = {d: triples[P.mix(7, 2, d.toordinal()) % 3][:2] for d in days if P.mix(7, 1, d.toordinal()) / 2**64 < 0.3}
    assert added == want and 0.2 < len(want) / len(days) < 0.4  # ~p_add of the days, each its triple
    assert {v for v in want.values()} == {t[:2] for t in triples}  # every triple drawn somewhere
    other = {d for d in days if any(isinstance(a, AddLayer) for a in P.placebo(state(d), SNAP, cfg(triples, seed=8))
                                                                         .actions)}
    assert other != set(want)  # another seed, other days


def test_holds_each_layer_exactly_its_drawn_sessions():
    c = cfg(((1, 2, 5), (2, 2, 9)), p_add=0.0)
    for entry in sessions("2016-02-01", "2016-02-12"):
        hold = P.hold_of(entry, P.Params(**c.policy_params))
        assert hold == ((1, 2, 5), (2, 2, 9))[P.mix(7, 2, entry.toordinal()) % 2][2]
        later = sessions(entry, entry + dt.timedelta(days=30))
        for k, day in enumerate(later):  # k: sessions from the entry day (in) to this day (out), as layers.csv counts
            d = P.placebo(state(day, layer(1, entry)), SNAP, c)
            removed = [a for a in d.actions if isinstance(a, RemoveLayer)]
            assert (removed == [RemoveLayer(1, P.HOLD_DONE)]) == (k >= hold), (entry, day, k)
            assert (P.HOLD_DONE in d.fired) == (k >= hold)


def test_a_layer_done_is_removed_not_rolled_and_the_others_roll():
    c = cfg(((1, 2, 3),), p_add=0.0, roll_days=5)
    old, new = dt.date(2016, 3, 1), dt.date(2016, 3, 9)
    day = dt.date(2016, 3, 10)  # old held 7 sessions >= 3, new 1 session
    d = P.placebo(state(day, layer(1, old), layer(2, new), dte=4), SNAP, c)
    assert d.actions == (RollLayer(2, "roll"), RemoveLayer(1, P.HOLD_DONE))
    assert d.fired == ("roll", P.HOLD_DONE) and d.acted == ("roll", P.HOLD_DONE)


def test_respects_max_layers_with_the_slot_a_removal_frees():
    c = cfg(((1, 2, 50),), p_add=1.0, max_layers=2)
    day = dt.date(2016, 3, 10)
    full = P.placebo(state(day, layer(1, dt.date(2016, 3, 8)), layer(2, dt.date(2016, 3, 9))), SNAP, c)
    assert not any(isinstance(a, AddLayer) for a in full.actions) and "placebo_add!max_layers" in full.fired
    c3 = cfg(((1, 2, 1),), p_add=1.0, max_layers=2)  # each held 1 session: both done today, slots free
    freed = P.placebo(state(day, layer(1, dt.date(2016, 3, 8)), layer(2, dt.date(2016, 3, 9))), SNAP, c3)
    assert [type(a) for a in freed.actions] == [RemoveLayer, RemoveLayer, AddLayer]


def test_respects_require_condor():
    day = dt.date(2016, 3, 10)
    held = P.placebo(state(day, condor=0), SNAP, cfg(p_add=1.0))
    assert held.actions == () and held.fired == ("placebo_add!no_condor",)
    free = P.placebo(state(day, condor=0), SNAP, cfg(p_add=1.0, require_condor=False))
    assert free.actions == (AddLayer(1, 1.0, P.ADD, 0.05, tenor_months=2),) and free.fired == (P.ADD,)


def test_caps_cut_the_drawn_size_as_the_builtins():
    day = dt.date(2016, 3, 10)
    c = cfg(((3, 2, 5),), p_add=1.0, max_notional_usd=40_000.0)  # room for 2 of 18,000
    (add,) = P.placebo(state(day), SNAP, c).actions
    assert (add.contracts, add.wanted, add.cap) == (2, 3, "max_notional_usd")
    c0 = cfg(((3, 2, 5),), p_add=1.0, max_notional_usd=10_000.0)
    d = P.placebo(state(day), SNAP, c0)
    assert d.actions[0].contracts == 0 and d.actions[0].cap == "max_notional_usd"  # logged as a cap's refusal
    assert d.fired == ("placebo_add!max_notional_usd",) and d.acted == ()


def test_a_days_decision_does_not_depend_on_the_call_order():
    c = cfg(((1, 2, 5), (2, 3, 9)), p_add=0.4)
    days = sessions("2016-01-04", "2016-12-30")
    entries = sessions("2015-12-01", "2015-12-31")
    book = {d: state(d, layer(1, entries[d.toordinal() % len(entries)])) for d in days}
    forward = {d: P.placebo(book[d], SNAP, c) for d in days}
    shuffled = list(days)
    random.Random(3).shuffle(shuffled)
    assert {d: P.placebo(book[d], SNAP, c) for d in reversed(days)} == forward
    assert {d: P.placebo(book[d], SNAP, c) for d in shuffled} == forward


def test_names_are_printable_without_semicolons_and_a_state_without_date_only_rolls():
    c = cfg(p_add=1.0, max_notional_usd=10_000.0, roll_days=5)
    day = dt.date(2016, 3, 10)
    for d in (P.placebo(state(day, layer(1, dt.date(2016, 1, 4)), dte=3), SNAP, c),
              P.placebo(state(day, condor=0), SNAP, c)):
        assert all(_word(n) for n in (*d.fired, *d.acted, *(a.reason for a in d.actions)))
    no_date = BookState(layers=(layer(1, dt.date(2016, 1, 4)),), days_to_expiry={1: 3}, condor_contracts=10, unit=UNIT)
    assert P.placebo(no_date, SNAP, c).actions == (RollLayer(1, "roll"),)


@pytest.mark.parametrize("params, words", [
    ({"p_add": 1.5}, "p_add = 1.5: use a probability in [0, 1]"),
    ({"layers": []}, "layers = []: give at least one"),
    ({"layers": [[1, 2]]}, "layers item 0 = [1, 2]: use [contracts >= 1, tenor_months 1..9, sessions_held >= 1]"),
    ({"layers": [[0, 2, 5]]}, "layers item 0 = [0, 2, 5]"),
    # MUT27 SP5, SP6, SP18: the docstring's bounds, tenor_months 1..9 and sessions_held >= 1, and a triple of three
    ({"layers": [[1, 9, 1], [1, 10, 5]]}, "layers item 1 = [1, 10, 5]: use [contracts >= 1, tenor_months 1..9"),
    ({"layers": [[1, 2, 0]]}, "layers item 0 = [1, 2, 0]: use"),
    ({"layers": [[1, 2, 5, 7]]}, "layers item 0 = [1, 2, 5, 7]: use"),
    ({"seeds": 3}, "unknown key 'seeds' (did you mean 'seed'?)"),
])
def test_a_bad_table_is_one_line_when_the_config_loads(params, words):
    with pytest.raises(C.ConfigError, match="hedge.policy_params") as exc:
        C.HedgeConfig(policy="placebo", policy_params=params)
    assert words in str(exc.value) and "\n" not in str(exc.value)


def test_a_table_at_its_bounds_loads():
    """The edges Params' docstring allows: contracts 1, tenor_months 1 and 9, sessions_held 1."""
    C.HedgeConfig(policy="placebo", policy_params={"layers": [[1, 1, 1], [1, 9, 1]]})


def test_other_builtins_still_refuse_a_table():
    with pytest.raises(C.ConfigError, match="applies to plug-in policies only"):
        C.HedgeConfig(policy="alvh", policy_params={"seed": 1})
