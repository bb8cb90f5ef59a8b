"""Tests for analyzers.hedge_cost on a hand-built ledger (every number worked out in comments)."""

from __future__ import annotations

import datetime as dt
import math
from types import SimpleNamespace

import pytest

from analyzers.hedge_cost import FIELDS, HedgeCost, hedge_cost
from vixhedge.instruments import Contract, Kind, Right
from vixhedge.ledger import Ledger

D0, D1, D2 = dt.date(2018, 1, 2), dt.date(2018, 1, 10), dt.date(2018, 1, 17)
SPX_EXP = dt.date(2018, 2, 16)
VX_JAN, VX_FEB, VX_MAR = dt.date(2018, 1, 17), dt.date(2018, 2, 14), dt.date(2018, 3, 21)
CASH = 1_000_000.0


def _spx(strike: float, right: Right) -> Contract:
    return Contract(Kind.SPX_OPTION, SPX_EXP, strike, right)


def _vix_call(expiry: dt.date, strike: float) -> Contract:
    return Contract(Kind.VIX_OPTION, expiry, strike, Right.CALL)


def _fill(ledger: Ledger, day, contract, qty, price, component, reason="open", fee_each=None) -> None:
    fee_each = (2.25 if contract.kind is Kind.VX_FUTURE else 1.10) if fee_each is None else fee_each
    ledger.fill(day, contract, qty, price, abs(qty) * fee_each, component, reason, mid=price)


@pytest.fixture
def book() -> Ledger:
    ledger = Ledger(CASH)
    # condor, 2 lots: credit 2 x (5 - 3 + 4 - 2) x 100 = 800
    for contract, qty, price in [(_spx(2600, Right.PUT), -2, 5.0), (_spx(2550, Right.PUT), 2, 3.0),
                                 (_spx(2850, Right.CALL), -2, 4.0), (_spx(2900, Right.CALL), 2, 2.0)]:
        _fill(ledger, D0, contract, qty, price, "condor")
    _fill(ledger, D1, _spx(2600, Right.PUT), 2, 1.0, "condor", reason="take_profit")  # not credit
    # L1 VX Feb: buy 2 @ 15.00, sell 1 @ 16.50 (+1,500 realised); 1 left, marked 17.20 (+2,200 open)
    _fill(ledger, D0, Contract(Kind.VX_FUTURE, VX_FEB), 2, 15.00, "hedge:L1")
    _fill(ledger, D1, Contract(Kind.VX_FUTURE, VX_FEB), -1, 16.50, "hedge:L1", reason="exit")
    # L2 VIX Jan 20/30 call spread x10: -1,200 + 400 premium; settles at 24: +4,000 and 0
    _fill(ledger, D0, _vix_call(VX_JAN, 20), 10, 1.20, "hedge:L2")
    _fill(ledger, D0, _vix_call(VX_JAN, 30), -10, 0.40, "hedge:L2")
    # L3 VX Jan: buy 1 @ 14.00, settles with L2 at the VRO proxy 24.00: 1 x (24 - 14) x 1,000 = +10,000
    _fill(ledger, D0, Contract(Kind.VX_FUTURE, VX_JAN), 1, 14.00, "hedge:L3")
    # L10 VIX Mar 22/32 call spread x5: -500 + 150; long leg sold back at 1.60 (+800); short leg open at 0.50
    _fill(ledger, D0, _vix_call(VX_MAR, 22), 5, 1.00, "hedge:L10")
    _fill(ledger, D0, _vix_call(VX_MAR, 32), -5, 0.30, "hedge:L10")
    _fill(ledger, D1, _vix_call(VX_MAR, 22), -5, 1.60, "hedge:L10", reason="exit")
    ledger.settle(D2, _vix_call(VX_JAN, 20), 24.0)
    ledger.settle(D2, _vix_call(VX_JAN, 30), 24.0)
    ledger.settle(D2, Contract(Kind.VX_FUTURE, VX_JAN), 24.0)
    ledger.accrue_interest(D2, 0.02, 7)
    ledger.set_marks({Contract(Kind.VX_FUTURE, VX_FEB): 17.20, _vix_call(VX_MAR, 32): 0.50})
    return ledger


EXPECTED_LAYERS = {
    # paid, received, futures, settlement, fees, open marks, net
    "hedge:L1": (0.0, 0.0, 1_500.0, 0.0, -6.75, 2_200.0, 3_693.25),
    "hedge:L2": (-1_200.0, 400.0, 0.0, 4_000.0, -22.0, 0.0, 3_178.0),
    "hedge:L3": (0.0, 0.0, 0.0, 10_000.0, -2.25, 0.0, 9_997.75),
    "hedge:L10": (-500.0, 950.0, 0.0, 0.0, -16.5, -250.0, 183.5),
}


def test_layers_hand_computed(book: Ledger) -> None:
    layers = hedge_cost(book, 1.0)["layers"]
    assert list(layers) == ["hedge:L1", "hedge:L2", "hedge:L3", "hedge:L10"]  # numeric, not lexical
    for comp, row in EXPECTED_LAYERS.items():
        assert layers[comp] == dict(zip((*FIELDS, "net_pnl_usd"), row)), comp


def test_totals_hand_computed(book: Ledger) -> None:
    total = hedge_cost(book, 0.5)["total"]
    # -1,700 paid; 1,350 received; 1,500 futures; 14,000 settled; -47.50 fees; 1,950 open -> 17,052.50
    assert total == {
        "premium_paid_usd": -1_700.0, "premium_received_usd": 1_350.0, "futures_pnl_usd": 1_500.0,
        "settlement_usd": 14_000.0, "fees_usd": -47.5, "open_marks_usd": 1_950.0, "net_pnl_usd": 17_052.5,
        "net_cost_usd": -17_052.5, "condor_credit_usd": 800.0,
        "cost_pct_of_condor_credit": pytest.approx(100.0 * -17_052.5 / 800.0, abs=1e-4),
        "net_cost_usd_per_year": -34_105.0,
    }


def test_net_pnl_reconciles_with_ledger_components(book: Ledger) -> None:
    values = book.component_values()
    hedge_value = sum(v for c, v in values.items() if c.startswith("hedge"))
    hedge_fees = sum(f.fee_usd for f in book.fills if f.component.startswith("hedge"))
    assert hedge_cost(book, 1.0)["total"]["net_pnl_usd"] == pytest.approx(hedge_value - hedge_fees, abs=0.01)
    for comp, row in hedge_cost(book, 1.0)["layers"].items():
        layer_fees = sum(f.fee_usd for f in book.fills if f.component == comp)
        assert row["net_pnl_usd"] == pytest.approx(values[comp] - layer_fees, abs=0.01), comp
    # and the hedge flows are cash: the whole book still reconciles to NAV
    assert CASH + sum(values.values()) == pytest.approx(book.nav, abs=1e-6)


def test_no_condor_no_years_no_hedge() -> None:
    ledger = Ledger(CASH)
    _fill(ledger, D0, _vix_call(VX_FEB, 20), 1, 1.0, "hedge:L1")
    total = hedge_cost(ledger, 0.0)["total"]
    assert math.isnan(total["cost_pct_of_condor_credit"]) and math.isnan(total["net_cost_usd_per_year"])
    assert total["net_pnl_usd"] == -1.10  # premium paid and marked at the same price: only the fee
    empty = hedge_cost(Ledger(CASH), 1.0)
    assert empty["layers"] == {} and empty["total"]["net_pnl_usd"] == 0.0


def test_component_without_layer_number_sorts_last() -> None:
    ledger = Ledger(CASH)
    for comp in ("hedge:static", "hedge:L2", "hedge:L1"):
        _fill(ledger, D0, _vix_call(VX_FEB, 20), 1, 1.0, comp, fee_each=0.0)
    assert list(hedge_cost(ledger, 1.0)["layers"]) == ["hedge:L1", "hedge:L2", "hedge:static"]


def test_analyzer_annualises_by_252_sessions(book: Ledger) -> None:
    fake = SimpleNamespace(days=126, strategy=SimpleNamespace(broker=SimpleNamespace(ledger=book)))
    assert HedgeCost.get_analysis(fake) == hedge_cost(book, 0.5)  # type: ignore[arg-type]
