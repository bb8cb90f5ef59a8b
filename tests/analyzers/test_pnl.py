"""Tests for analyzers.pnl: group mapping and daily attribution that sums to the NAV change."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analyzers.bt_analyzers import PnLAttribution
from analyzers.pnl import GROUPS, attribution, component_order, component_pnl, group_of
from vixhedge.broker import DayRecord
from vixhedge.core.instruments import Contract, Kind, Right
from vixhedge.core.ledger import Ledger

CASH = 1_000_000.0
DAYS = [dt.date(2018, 1, 2) + dt.timedelta(days=k) for k in range(40)]


@pytest.mark.parametrize(("component", "group"), [
    ("condor", "condor"), ("condor:put", "condor"), ("condor:call", "condor"), ("hedge:L1", "hedge"),
    ("hedge:L12", "hedge"), ("hedge:L3:roll", "hedge"), ("fees", "fees"), ("interest", "interest")])
def test_group_of(component: str, group: str) -> None:
    assert group_of(component) == group
    assert group in GROUPS


def _hand_records() -> list[DayRecord]:
    # nav = initial + sum(components) on every day, as the ledger guarantees
    comps = [
        {"condor": 400.0, "fees": -8.8},
        {"condor": 250.0, "hedge:L1": -1_200.0, "fees": -10.0, "interest": 27.4},
        {"condor": 900.0, "hedge:L1": -300.0, "hedge:L2": 150.0, "fees": -12.25, "interest": 54.8},
    ]
    return [DayRecord(DAYS[k], CASH, CASH + sum(c.values()), c) for k, c in enumerate(comps)]


def test_attribution_hand_example() -> None:
    df = attribution(_hand_records(), CASH)
    assert list(df.index) == DAYS[:3]
    np.testing.assert_allclose(df["hedge_value_usd"], [0.0, -1_200.0, -150.0], atol=1e-9)
    # daily P&L is the change of value, starting from 0 before the first day
    np.testing.assert_allclose(df["condor_pnl_usd"], [400.0, -150.0, 650.0], atol=1e-9)
    np.testing.assert_allclose(df["hedge_pnl_usd"], [0.0, -1_200.0, 1_050.0], atol=1e-9)
    np.testing.assert_allclose(df["fees_pnl_usd"], [-8.8, -1.2, -2.25], atol=1e-9)
    np.testing.assert_allclose(df["interest_pnl_usd"], [0.0, 27.4, 27.4], atol=1e-9)
    np.testing.assert_allclose(df["total_pnl_usd"], [391.2, -1_323.8, 1_725.15], atol=1e-9)
    _assert_sums(df)


def _assert_sums(df) -> None:
    parts = df[[f"{g}_pnl_usd" for g in GROUPS]].sum(axis=1)
    np.testing.assert_allclose(parts, df["total_pnl_usd"], rtol=0, atol=1e-6)


POOL = (Contract(Kind.SPX_OPTION, dt.date(2018, 2, 16), 2600.0, Right.PUT),
        Contract(Kind.SPX_OPTION, dt.date(2018, 2, 16), 2850.0, Right.CALL),
        Contract(Kind.VX_FUTURE, dt.date(2018, 2, 14)),
        Contract(Kind.VIX_OPTION, dt.date(2018, 2, 14), 20.0, Right.CALL))
prices = st.integers(5, 5_000).map(lambda c: c / 100)
day_ops = st.lists(st.tuples(st.sampled_from(POOL), st.integers(-5, 5).filter(bool), prices, prices,
                             st.sampled_from(("condor:put", "condor:call", "hedge:L1", "hedge:L2", "hedge:L10")),
                             st.integers(0, 300).map(lambda c: c / 100)), max_size=4)
day_plan = st.tuples(day_ops, st.lists(st.tuples(st.sampled_from(POOL), prices), max_size=4),
                     st.none() | st.tuples(st.sampled_from(POOL), st.integers(0, 300_000).map(lambda c: c / 100)))


@settings(max_examples=60, deadline=None)
@given(plan=st.lists(day_plan, min_size=1, max_size=25), rate=st.sampled_from([0.0, 0.02, -0.005]))
def test_group_pnl_sums_to_total_every_day(plan, rate: float) -> None:
    ledger, records = Ledger(CASH), []
    for k, (fills, marks, settle) in enumerate(plan):
        day = DAYS[k]
        if k:
            ledger.accrue_interest(day, rate, 1)
        if settle is not None:
            ledger.settle(day, *settle)
        ledger.set_marks(dict(marks))
        for c, qty, price, mid, comp, fee in fills:
            ledger.fill(day, c, qty, price, fee, comp, "prop", mid=mid)
        records.append(DayRecord(day, ledger.cash, ledger.nav, ledger.component_values(), ledger.group_values()))
        by_hand = DayRecord(day, ledger.cash, ledger.nav, ledger.component_values())  # groups summed from components
        assert by_hand.groups.keys() == records[-1].groups.keys()
        for g, v in records[-1].groups.items():
            assert v == pytest.approx(by_hand.groups[g], rel=1e-12, abs=1e-6)
        for c, v in records[-1].components.items():
            assert ledger.component_value(c) == v  # one component alone: the same number
    df = attribution(records, CASH)
    _assert_sums(df)
    np.testing.assert_allclose(df["total_pnl_usd"].cumsum(), df["nav_usd"] - CASH, rtol=0, atol=1e-6)
    comp = component_pnl(records, CASH)
    np.testing.assert_allclose(comp.drop(columns="total_pnl_usd").sum(axis=1), comp["total_pnl_usd"], rtol=0,
                               atol=1e-6)
    np.testing.assert_allclose(comp["total_pnl_usd"], df["total_pnl_usd"], rtol=0, atol=0)


def test_analyzer_totals_from_last_record() -> None:
    fake = SimpleNamespace(strategy=SimpleNamespace(broker=SimpleNamespace(records=_hand_records())))
    totals = PnLAttribution.get_analysis(fake)  # type: ignore[arg-type]
    assert totals == {"condor_pnl_usd": 900.0, "hedge_pnl_usd": -150.0, "fees_pnl_usd": -12.25,
                      "interest_pnl_usd": 54.8}
    empty = SimpleNamespace(strategy=SimpleNamespace(broker=SimpleNamespace(records=[])))
    assert PnLAttribution.get_analysis(empty) == {}  # type: ignore[arg-type]


def test_component_order() -> None:
    names = ["interest", "hedge:L10", "fees", "hedge:static", "condor:call", "hedge:L2", "condor:put", "hedge:L1",
             "condor"]
    assert sorted(names, key=component_order) == ["condor:put", "condor:call", "condor", "hedge:L1", "hedge:L2",
                                                  "hedge:L10", "hedge:static", "fees", "interest"]


def test_component_pnl_hand_example() -> None:
    comps = [
        {"condor:put": 300.0, "condor:call": 100.0, "fees": -8.8},
        {"condor:put": -50.0, "condor:call": 300.0, "hedge:L1": -1_200.0, "fees": -10.0, "interest": 27.4},
        {"condor:put": 400.0, "condor:call": 500.0, "hedge:L1": -300.0, "hedge:L2": 150.0, "fees": -12.25,
         "interest": 54.8},
    ]
    records = [DayRecord(DAYS[k], CASH, CASH + sum(c.values()), c) for k, c in enumerate(comps)]
    df = component_pnl(records, CASH)
    assert list(df.columns) == ["condor:put", "condor:call", "hedge:L1", "hedge:L2", "fees", "interest",
                                "total_pnl_usd"]
    expected = {"condor:put": [300.0, -350.0, 450.0], "condor:call": [100.0, 200.0, 200.0],
                "hedge:L1": [0.0, -1_200.0, 900.0], "hedge:L2": [0.0, 0.0, 150.0], "fees": [-8.8, -1.2, -2.25],
                "interest": [0.0, 27.4, 27.4], "total_pnl_usd": [391.2, -1_323.8, 1_725.15]}
    for col, values in expected.items():
        np.testing.assert_allclose(df[col], values, rtol=0, atol=1e-9, err_msg=col)
    # the legs add up to the condor group of the grouped attribution
    grouped = attribution(records, CASH)
    np.testing.assert_allclose(df["condor:put"] + df["condor:call"], grouped["condor_pnl_usd"], rtol=0, atol=1e-9)
