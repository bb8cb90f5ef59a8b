"""Tests for vixhedge.core.ledger and vixhedge.core.instruments: hand-computed books and Hypothesis invariants.

Every expected number below is worked out by hand in the comment beside it from the contract specs:
SPX options $100 x index points, VX futures $1,000 x VIX points, VIX options $100 x VIX points
(Cboe contract specifications).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vixhedge.core.instruments import MULTIPLIER_USD, Contract, Kind, Right
from vixhedge.core.ledger import FEES, INTEREST, Ledger

D0 = dt.date(2018, 1, 2)
D1 = dt.date(2018, 1, 3)
D2 = dt.date(2018, 1, 8)
SPX_EXP = dt.date(2018, 2, 16)
VX_EXP = dt.date(2018, 2, 14)

SPX_PUT = Contract(Kind.SPX_OPTION, SPX_EXP, 2600.0, Right.PUT)
SPX_CALL = Contract(Kind.SPX_OPTION, SPX_EXP, 2850.0, Right.CALL)
VX = Contract(Kind.VX_FUTURE, VX_EXP)
VIX_CALL = Contract(Kind.VIX_OPTION, VX_EXP, 20.0, Right.CALL)
CASH = 1_000_000.0


@pytest.fixture
def ledger() -> Ledger:
    return Ledger(CASH)


def _buy(ledger: Ledger, contract: Contract, qty: int, price: float, fee: float = 0.0, component: str = "condor",
         date: dt.date = D0, mid: float | None = None):
    return ledger.fill(date, contract, qty, price, fee, component, "test", mid=price if mid is None else mid)


# ---------------------------------------------------------------------------------------------------- contracts
class TestContract:
    def test_multipliers_follow_contract_specs(self) -> None:
        assert SPX_PUT.multiplier == 100.0
        assert VX.multiplier == 1000.0
        assert VIX_CALL.multiplier == 100.0
        assert set(MULTIPLIER_USD) == set(Kind)

    def test_a_contract_pickled_in_another_process_finds_its_position(self) -> None:
        """A Contract keeps its hash (of its enum and date: per process, by the hash seed); pickled with it, one
        from a process of another seed was equal to this process's but found nothing in a dict keyed by it."""
        import os
        import pickle
        import subprocess
        import sys

        code = ("import pickle, sys, datetime as dt; from vixhedge.core.instruments import Contract, Kind, Right; "
                "sys.stdout.buffer.write(pickle.dumps(Contract(Kind.SPX_OPTION, dt.date(2015, 7, 17), 1900.0, Right.PUT)))")
        raw = subprocess.run([sys.executable, "-c", code], capture_output=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": "7"}).stdout
        here = Contract(Kind.SPX_OPTION, dt.date(2015, 7, 17), 1900.0, Right.PUT)
        there = pickle.loads(raw)
        assert there == here and {here: 1}.get(there) == 1 and there.multiplier == 100.0

    @pytest.mark.parametrize("kind", [Kind.SPX_OPTION, Kind.VIX_OPTION], ids=["spx", "vix"])
    @pytest.mark.parametrize(("strike", "right"), [(None, Right.PUT), (2600.0, None), (0.0, Right.CALL),
                                                   (-5.0, Right.CALL), (math.nan, Right.CALL)],
                             ids=["no-strike", "no-right", "zero-strike", "negative-strike", "nan-strike"])
    def test_option_needs_positive_strike_and_right(self, kind: Kind, strike, right) -> None:
        with pytest.raises(ValueError, match="needs a positive strike and a right"):
            Contract(kind, SPX_EXP, strike, right)

    @pytest.mark.parametrize(("strike", "right"), [(20.0, None), (None, Right.CALL), (20.0, Right.CALL)],
                             ids=["strike", "right", "both"])
    def test_future_rejects_strike_or_right(self, strike, right) -> None:
        with pytest.raises(ValueError, match="VX future has no strike or right"):
            Contract(Kind.VX_FUTURE, VX_EXP, strike, right)

    def test_plain_strings_are_coerced_to_the_enums(self) -> None:
        # a plain "C" must not be priced as a put (the py_vollib flag pitfall in STYLE.md rule 6)
        call = Contract("spx_option", SPX_EXP, 2850.0, "C")  # type: ignore[arg-type]
        assert call.kind is Kind.SPX_OPTION and call.right is Right.CALL
        assert call.payoff(2900.0) == 50.0
        assert call == SPX_CALL and hash(call) == hash(SPX_CALL)
        with pytest.raises(ValueError):
            Contract(Kind.SPX_OPTION, SPX_EXP, 2850.0, "c")  # type: ignore[arg-type]

    def test_contract_is_frozen_and_hashable(self) -> None:
        with pytest.raises(dataclasses.FrozenInstanceError):
            SPX_PUT.strike = 1.0  # type: ignore[misc]
        assert len({SPX_PUT, Contract(Kind.SPX_OPTION, SPX_EXP, 2600.0, Right.PUT)}) == 1

    @pytest.mark.parametrize(("contract", "settle", "expected"), [
        (SPX_CALL, 2900.0, 50.0), (SPX_CALL, 2850.0, 0.0), (SPX_CALL, 2700.0, 0.0),
        (SPX_PUT, 2550.5, 49.5), (SPX_PUT, 2600.0, 0.0), (SPX_PUT, 2700.0, 0.0),
        (VIX_CALL, 23.4, 3.4), (VIX_CALL, 12.0, 0.0), (VX, 17.25, 17.25),
    ], ids=["call-itm", "call-atm", "call-otm", "put-itm", "put-atm", "put-otm", "vix-call-itm", "vix-call-otm",
            "future-final-price"])
    def test_payoff(self, contract: Contract, settle: float, expected: float) -> None:
        assert contract.payoff(settle) == pytest.approx(expected, abs=1e-12)

    @pytest.mark.parametrize(("contract", "symbol"), [
        (SPX_PUT, "SPX 2018-02-16 2600P"), (SPX_CALL, "SPX 2018-02-16 2850C"),
        (Contract(Kind.SPX_OPTION, SPX_EXP, 2612.5, Right.PUT), "SPX 2018-02-16 2612.5P"),
        (VX, "VX 2018-02-14"), (VIX_CALL, "VIX 2018-02-14 20C"),
    ], ids=["spx-put", "spx-call", "fractional-strike", "vx", "vix-call"])
    def test_symbol(self, contract: Contract, symbol: str) -> None:
        assert contract.symbol == symbol


# ---------------------------------------------------------------------------------------------------- options
class TestOptionFills:
    def test_buy_pays_premium_and_fee(self, ledger: Ledger) -> None:
        fill = ledger.fill(D0, SPX_PUT, 2, 10.50, 2.20, "condor", "open", bid=10.3, ask=10.5, mid=10.4)
        # premium 2 x 10.50 x 100 = 2,100; fee 2.20
        assert ledger.cash == pytest.approx(CASH - 2_100.0 - 2.20, abs=1e-9)
        assert ledger.flow_by_component["condor"] == pytest.approx(-2_100.0, abs=1e-9)
        assert ledger.flow_by_component[FEES] == pytest.approx(-2.20, abs=1e-12)
        assert [(f.component, f.kind, f.amount_usd) for f in ledger.flows] == [
            ("condor", "premium", pytest.approx(-2_100.0)), (FEES, "fee", pytest.approx(-2.20))]
        assert ledger.flows[1].contract == SPX_PUT
        pos = ledger.positions[(SPX_PUT, "condor")]
        assert (pos.qty, pos.component) == (2, "condor")
        # open options are marked at mid: 2 x 10.40 x 100 = 2,080
        assert ledger.marks_value() == pytest.approx(2_080.0, abs=1e-9)
        assert ledger.nav == pytest.approx(CASH - 2_100.0 - 2.20 + 2_080.0, abs=1e-9)
        assert fill == ledger.fills[0]
        assert (fill.qty, fill.price, fill.bid, fill.ask, fill.mid, fill.fee_usd, fill.reason) == (
            2, 10.50, 10.3, 10.5, 10.4, 2.20, "open")

    def test_sell_receives_premium(self, ledger: Ledger) -> None:
        _buy(ledger, SPX_CALL, -3, 4.00, fee=3.30, mid=4.10)
        # premium received 3 x 4.00 x 100 = 1,200; short mark -3 x 4.10 x 100 = -1,230
        assert ledger.cash == pytest.approx(CASH + 1_200.0 - 3.30, abs=1e-9)
        assert ledger.flow_by_component["condor"] == pytest.approx(1_200.0, abs=1e-9)
        assert ledger.marks_value() == pytest.approx(-1_230.0, abs=1e-9)
        assert ledger.component_values() == pytest.approx({"condor": 1_200.0 - 1_230.0, FEES: -3.30})

    def test_vix_option_uses_multiplier_100(self, ledger: Ledger) -> None:
        _buy(ledger, VIX_CALL, 10, 1.25, component="hedge:L1")
        assert ledger.flow_by_component["hedge:L1"] == pytest.approx(-1_250.0, abs=1e-9)  # 10 x 1.25 x 100

    def test_closing_removes_position_and_books_round_trip(self, ledger: Ledger) -> None:
        _buy(ledger, SPX_PUT, 2, 10.0)
        _buy(ledger, SPX_PUT, -2, 12.5, date=D1)
        assert ledger.positions == {}
        assert ledger.marks_value() == 0.0
        # round trip 2 x (12.5 - 10.0) x 100 = +500
        assert ledger.flow_by_component["condor"] == pytest.approx(500.0, abs=1e-9)
        assert ledger.nav == pytest.approx(CASH + 500.0, abs=1e-9)

    def test_option_flip_through_zero(self, ledger: Ledger) -> None:
        _buy(ledger, SPX_PUT, 1, 10.0)
        _buy(ledger, SPX_PUT, -3, 11.0)
        assert ledger.positions[(SPX_PUT, "condor")].qty == -2
        # -1,000 + 3,300 = +2,300 premium; mark -2 x 11 x 100 = -2,200
        assert ledger.flow_by_component["condor"] == pytest.approx(2_300.0, abs=1e-9)
        assert ledger.nav == pytest.approx(CASH + 100.0, abs=1e-9)

    def test_same_contract_in_two_components_are_separate_positions(self, ledger: Ledger) -> None:
        _buy(ledger, VIX_CALL, 5, 1.0, component="hedge:L1")
        _buy(ledger, VIX_CALL, -2, 1.0, component="hedge:L2")
        assert ledger.positions[(VIX_CALL, "hedge:L1")].qty == 5
        assert ledger.positions[(VIX_CALL, "hedge:L2")].qty == -2
        assert ledger.open_contracts() == [VIX_CALL]
        assert [p.component for p in ledger.positions_of("hedge")] == ["hedge:L1", "hedge:L2"]
        assert ledger.positions_of("condor") == []

    def test_fees_booked_to_fees_component(self, ledger: Ledger) -> None:
        _buy(ledger, SPX_PUT, 4, 1.0, fee=4.40)
        _buy(ledger, VX, 1, 15.0, fee=2.25, component="hedge:L1")
        fees = [f for f in ledger.flows if f.kind == "fee"]
        assert [(f.component, f.amount_usd, f.contract) for f in fees] == [(FEES, -4.40, SPX_PUT),
                                                                           (FEES, -2.25, VX)]
        assert ledger.component_values()[FEES] == pytest.approx(-6.65, abs=1e-12)

    def test_fill_without_mid_keeps_previous_mark(self, ledger: Ledger) -> None:
        _buy(ledger, SPX_PUT, 1, 10.0, mid=9.9)
        ledger.fill(D1, SPX_PUT, 1, 11.0, 0.0, "condor", "add")  # no mid given
        assert ledger.marks_value() == pytest.approx(2 * 9.9 * 100, abs=1e-9)

    def test_open_position_without_mark_raises(self, ledger: Ledger) -> None:
        ledger.fill(D0, SPX_PUT, 1, 10.0, 0.0, "condor", "open")
        with pytest.raises(KeyError, match="no mark for open position SPX 2018-02-16 2600P"):
            ledger.marks_value()

    def test_set_marks_replaces_given_and_keeps_missing(self, ledger: Ledger) -> None:
        _buy(ledger, SPX_PUT, 1, 10.0)
        _buy(ledger, SPX_CALL, -1, 5.0)
        ledger.set_marks({SPX_PUT: 12.0})
        assert ledger.marks_value() == pytest.approx(1_200.0 - 500.0, abs=1e-9)


@pytest.mark.parametrize(("qty", "fee", "match"), [(0, 1.0, "fill of zero contracts for SPX 2018-02-16 2600P"),
                                                    (1, -0.01, "fee must be >= 0, got -0.01")],
                         ids=["zero-qty", "negative-fee"])
def test_invalid_fill_raises_and_leaves_book_untouched(ledger: Ledger, qty: int, fee: float, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        ledger.fill(D0, SPX_PUT, qty, 10.0, fee, "condor", "open", mid=10.0)
    assert (ledger.cash, ledger.positions, ledger.fills, ledger.flows) == (CASH, {}, [], [])


# ---------------------------------------------------------------------------------------------------- futures
class TestFutures:
    def test_open_moves_no_cash_and_marks_open_pnl(self, ledger: Ledger) -> None:
        _buy(ledger, VX, 2, 15.00, fee=4.50, component="hedge:L1", mid=15.10)
        assert ledger.cash == pytest.approx(CASH - 4.50, abs=1e-9)
        assert ledger.flow_by_component["hedge:L1"] == 0.0
        ledger.set_marks({VX: 15.80})
        # open P&L 2 x (15.80 - 15.00) x 1,000 = 1,600
        assert ledger.marks_value() == pytest.approx(1_600.0, abs=1e-9)
        assert ledger.component_values()["hedge:L1"] == pytest.approx(1_600.0, abs=1e-9)

    @pytest.mark.parametrize("qty", [1, 3])
    def test_long_round_trip_realises_1500_per_contract(self, ledger: Ledger, qty: int) -> None:
        _buy(ledger, VX, qty, 15.00, component="hedge:L1")
        _buy(ledger, VX, -qty, 16.50, component="hedge:L1", date=D1)
        # (16.50 - 15.00) x 1,000 = +1,500 per contract
        assert ledger.flow_by_component["hedge:L1"] == pytest.approx(1_500.0 * qty, abs=1e-9)
        assert [f.kind for f in ledger.flows if f.component == "hedge:L1"] == ["futures_pnl"]
        assert ledger.cash == pytest.approx(CASH + 1_500.0 * qty, abs=1e-9)
        assert ledger.positions == {}

    def test_short_round_trip(self, ledger: Ledger) -> None:
        _buy(ledger, VX, -2, 20.00, component="hedge:L1")
        _buy(ledger, VX, 2, 18.25, component="hedge:L1")
        assert ledger.flow_by_component["hedge:L1"] == pytest.approx(3_500.0, abs=1e-9)  # 2 x 1.75 x 1,000

    def test_adding_averages_basis(self, ledger: Ledger) -> None:
        _buy(ledger, VX, 1, 15.00, component="hedge:L1")
        _buy(ledger, VX, 3, 17.00, component="hedge:L1")
        pos = ledger.positions[(VX, "hedge:L1")]
        # (1 x 15 + 3 x 17) / 4 = 16.50
        assert (pos.qty, pos.basis) == (4, pytest.approx(16.50, abs=1e-12))
        assert ledger.cash == CASH
        ledger.set_marks({VX: 16.00})
        assert ledger.marks_value() == pytest.approx(-2_000.0, abs=1e-9)  # 4 x (16 - 16.5) x 1,000

    def test_partial_close_realises_closed_part_at_average_basis(self, ledger: Ledger) -> None:
        _buy(ledger, VX, 1, 15.00, component="hedge:L1")
        _buy(ledger, VX, 3, 17.00, component="hedge:L1")
        _buy(ledger, VX, -1, 18.00, component="hedge:L1", mid=18.00)
        pos = ledger.positions[(VX, "hedge:L1")]
        assert (pos.qty, pos.basis) == (3, pytest.approx(16.50, abs=1e-12))
        # realised 1 x (18.00 - 16.50) x 1,000 = 1,500; open 3 x 1.50 x 1,000 = 4,500
        assert ledger.cash == pytest.approx(CASH + 1_500.0, abs=1e-9)
        assert ledger.marks_value() == pytest.approx(4_500.0, abs=1e-9)
        # total = sum over fills of q x (mark - price) x 1,000 = 1 x 3 + 3 x 1 + (-1) x 0 points = 6,000
        assert ledger.nav - CASH == pytest.approx(6_000.0, abs=1e-9)

    @pytest.mark.parametrize(("first", "second", "realised", "left_qty", "left_basis"), [
        ((2, 15.00), (-5, 14.00), -2_000.0, -3, 14.00),   # long 2 sold 5: 2 x (14 - 15) x 1,000
        ((-2, 20.00), (3, 19.00), 2_000.0, 1, 19.00),     # short 2 bought 3: -2 x (19 - 20) x 1,000
    ], ids=["long-to-short", "short-to-long"])
    def test_flip_through_zero(self, ledger: Ledger, first, second, realised, left_qty, left_basis) -> None:
        _buy(ledger, VX, first[0], first[1], component="hedge:L1")
        _buy(ledger, VX, second[0], second[1], component="hedge:L1")
        pos = ledger.positions[(VX, "hedge:L1")]
        assert (pos.qty, pos.basis) == (left_qty, pytest.approx(left_basis, abs=1e-12))
        assert ledger.flow_by_component["hedge:L1"] == pytest.approx(realised, abs=1e-9)
        assert ledger.marks_value() == pytest.approx(0.0, abs=1e-9)  # marked at the flip price

    def test_reopen_after_flat_starts_fresh_basis(self, ledger: Ledger) -> None:
        _buy(ledger, VX, 2, 15.00, component="hedge:L1")
        _buy(ledger, VX, -2, 16.00, component="hedge:L1")
        _buy(ledger, VX, 1, 18.00, component="hedge:L1")
        assert ledger.positions[(VX, "hedge:L1")].basis == 18.00


# ---------------------------------------------------------------------------------------------------- settlement
class TestSettlement:
    @pytest.mark.parametrize(("contract", "qty", "settle", "amount"), [
        (SPX_CALL, 2, 2900.0, 10_000.0),      # long call: 2 x (2900 - 2850) x 100
        (SPX_CALL, -2, 2900.0, -10_000.0),    # short call pays the same
        (SPX_CALL, 2, 2800.0, 0.0),           # OTM call expires worthless
        (SPX_PUT, 3, 2550.25, 14_925.0),      # long put: 3 x 49.75 x 100
        (SPX_PUT, -1, 2550.25, -4_975.0),     # short put: -1 x 49.75 x 100
        (SPX_PUT, -1, 2650.0, 0.0),           # OTM put
        (VIX_CALL, 10, 24.0, 4_000.0),        # long VIX call: 10 x 4 x 100
        (VIX_CALL, -10, 24.0, -4_000.0),
    ], ids=["long-call-itm", "short-call-itm", "long-call-otm", "long-put-itm", "short-put-itm", "short-put-otm",
            "long-vix-call", "short-vix-call"])
    def test_option_settles_at_intrinsic(self, ledger: Ledger, contract, qty, settle, amount) -> None:
        _buy(ledger, contract, qty, 7.0)
        cash_before = ledger.cash
        flows = ledger.settle(SPX_EXP, contract, settle)
        assert [(f.date, f.component, f.kind, f.contract) for f in flows] == [
            (SPX_EXP, "condor", "settlement", contract)]
        assert flows[0].amount_usd == pytest.approx(amount, abs=1e-9)
        assert ledger.cash - cash_before == pytest.approx(amount, abs=1e-9)
        assert ledger.positions == {}
        assert ledger.marks_value() == 0.0
        # whole life: premium -qty x 7 x 100 plus the payout
        assert ledger.nav - CASH == pytest.approx(amount - qty * 700.0, abs=1e-9)

    @pytest.mark.parametrize(("qty", "basis", "settle", "amount"), [
        (2, 15.00, 17.35, 4_700.0),    # 2 x (17.35 - 15) x 1,000
        (-3, 15.00, 17.35, -7_050.0),  # -3 x 2.35 x 1,000
        (1, 18.00, 12.10, -5_900.0),
    ], ids=["long-up", "short-up", "long-down"])
    def test_future_settles_against_basis(self, ledger: Ledger, qty, basis, settle, amount) -> None:
        _buy(ledger, VX, qty, basis, component="hedge:L1")
        flows = ledger.settle(VX_EXP, VX, settle)
        assert flows[0].amount_usd == pytest.approx(amount, abs=1e-9)
        assert ledger.cash == pytest.approx(CASH + amount, abs=1e-9)
        assert ledger.positions == {}
        assert ledger.component_values() == pytest.approx({"hedge:L1": amount, FEES: 0.0})

    def test_settles_every_component_and_only_that_contract(self, ledger: Ledger) -> None:
        _buy(ledger, VIX_CALL, 4, 1.0, component="hedge:L1")
        _buy(ledger, VIX_CALL, -4, 1.0, component="hedge:L2")
        _buy(ledger, SPX_PUT, 1, 10.0)
        flows = ledger.settle(VX_EXP, VIX_CALL, 21.5)
        assert sorted((f.component, f.amount_usd) for f in flows) == [("hedge:L1", 600.0), ("hedge:L2", -600.0)]
        assert list(ledger.positions) == [(SPX_PUT, "condor")]
        assert ledger.settle(VX_EXP, VIX_CALL, 21.5) == []  # nothing left to settle


# ---------------------------------------------------------------------------------------------------- interest
class TestInterest:
    def test_simple_act_365(self, ledger: Ledger) -> None:
        amount = ledger.accrue_interest(D2, 0.05, 3)
        # 1,000,000 x 5% x 3 / 365 = 410.9589041...
        assert amount == pytest.approx(410.958904109589, rel=1e-12)
        assert ledger.cash == pytest.approx(CASH + 410.958904109589, rel=1e-15)
        assert [(f.date, f.component, f.kind, f.contract) for f in ledger.flows] == [
            (D2, INTEREST, "interest", None)]

    def test_accrues_on_current_cash_not_compounded_within_call(self, ledger: Ledger) -> None:
        _buy(ledger, SPX_PUT, 10, 100.0)  # cash 900,000
        assert ledger.accrue_interest(D1, 0.02, 1) == pytest.approx(900_000 * 0.02 / 365, rel=1e-12)

    def test_negative_cash_pays_interest(self) -> None:
        ledger = Ledger(-1_000.0)
        assert ledger.accrue_interest(D1, 0.0365, 10) == pytest.approx(-1.0, rel=1e-12)

    @pytest.mark.parametrize("days", [0, -1])
    def test_no_days_no_flow(self, ledger: Ledger, days: int) -> None:
        assert ledger.accrue_interest(D1, 0.05, days) == 0.0
        assert ledger.flows == [] and ledger.cash == CASH


# ---------------------------------------------------------------------------------------------------- invariants
POOL = (SPX_PUT, SPX_CALL, VX, VIX_CALL, Contract(Kind.VX_FUTURE, dt.date(2018, 3, 21)))
COMPONENTS = ("condor", "hedge:L1", "hedge:L2")
prices = st.integers(5, 5_000).map(lambda c: c / 100)

fill_op = st.tuples(st.just("fill"), st.sampled_from(POOL), st.integers(-6, 6).filter(bool), prices,
                    st.integers(0, 500).map(lambda c: c / 100), st.sampled_from(COMPONENTS), prices)
mark_op = st.tuples(st.just("mark"), st.lists(st.tuples(st.sampled_from(POOL), prices), max_size=len(POOL)))
settle_op = st.tuples(st.just("settle"), st.sampled_from(POOL), st.integers(0, 300_000).map(lambda c: c / 100))
interest_op = st.tuples(st.just("interest"), st.integers(-100, 800).map(lambda bp: bp / 10_000),
                        st.integers(0, 4))
ops_strategy = st.lists(st.one_of(fill_op, fill_op, mark_op, settle_op, interest_op), max_size=40)


class _Shadow:
    """Independent P&L model: each fill earns ``q x (end value - price) x multiplier``.

    The end value is the current mark while the lot is open and the payoff once settled. This
    holds whatever basis convention the ledger uses, so it checks average-cost accounting.
    """

    def __init__(self) -> None:
        self.open: dict[tuple[Contract, str], list[tuple[int, float]]] = defaultdict(list)
        self.done: dict[str, float] = defaultdict(float)
        self.marks: dict[Contract, float] = {}

    def component_values(self) -> dict[str, float]:
        out = defaultdict(float, self.done)
        for (c, comp), lots in self.open.items():
            out[comp] += sum(q * (self.marks[c] - p) * c.multiplier for q, p in lots)
        return out


@settings(max_examples=150, deadline=None)
@given(ops=ops_strategy)
def test_invariants_over_random_books(ops) -> None:
    ledger, shadow = Ledger(CASH), _Shadow()
    for op in ops:
        if op[0] == "fill":
            _, c, qty, price, fee, comp, mid = op
            ledger.fill(D0, c, qty, price, fee, comp, "prop", mid=mid)
            shadow.open[(c, comp)].append((qty, price))
            shadow.marks[c] = mid
            shadow.done[FEES] -= fee
        elif op[0] == "mark":
            marks = dict(op[1])
            ledger.set_marks(marks)
            shadow.marks.update(marks)
        elif op[0] == "settle":
            _, c, value = op
            ledger.settle(D1, c, value)
            payoff = value if c.kind is Kind.VX_FUTURE else (
                max(value - c.strike, 0.0) if c.right is Right.CALL else max(c.strike - value, 0.0))
            for key in [k for k in shadow.open if k[0] == c]:
                shadow.done[key[1]] += sum(q * (payoff - p) * c.multiplier for q, p in shadow.open.pop(key))
        else:
            _, rate, days = op
            cash_before = ledger.cash
            amount = ledger.accrue_interest(D2, rate, days)
            assert amount == pytest.approx(cash_before * rate * days / 365.0, rel=1e-12, abs=1e-12)
            shadow.done[INTEREST] += amount
        _check_invariants(ledger, shadow)


def _check_invariants(ledger: Ledger, shadow: _Shadow) -> None:
    nav = ledger.nav
    assert nav == pytest.approx(ledger.cash + ledger.marks_value(), abs=1e-6)
    values = ledger.component_values()
    assert CASH + sum(values.values()) == pytest.approx(nav, abs=1e-6)
    assert CASH + sum(f.amount_usd for f in ledger.flows) == pytest.approx(ledger.cash, abs=1e-6)
    by_comp: dict[str, float] = defaultdict(float)
    for f in ledger.flows:
        by_comp[f.component] += f.amount_usd
    assert dict(ledger.flow_by_component) == pytest.approx(dict(by_comp), abs=1e-6)
    # per-component value agrees with the independent lot model
    expected = shadow.component_values()
    for comp in set(values) | set(expected):
        assert values.get(comp, 0.0) == pytest.approx(expected.get(comp, 0.0), abs=1e-6), comp
    # no zero positions linger, and positions are signed sums of their fills
    assert all(p.qty != 0 for p in ledger.positions.values())
    for key, lots in shadow.open.items():
        qty = sum(q for q, _ in lots)
        assert (ledger.positions[key].qty if key in ledger.positions else 0) == qty
