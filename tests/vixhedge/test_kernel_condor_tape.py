"""The condor tape's per-condor numbers (vixhedge.kernel_condor) that the kernel-vs-event-path cases of
``test_kernel.py`` do not tell apart (trial MUT34 G6: KC01, KC02, KC04, KC14, KC17 survived every test), on its
WINDOW with the default config: one condor per entry, fees ``fee_spx_option_usd`` 1.10 per contract
(vixhedge/configs/default.toml)."""

import datetime as dt

import numpy as np
import pytest

from feeds.market import build_market
from tests.vixhedge.test_kernel import WINDOW
from vixhedge.core import config as C
from vixhedge.core.desk import fee_per_contract
from vixhedge.core.instruments import Contract, Kind, Right
from vixhedge.kernel_condor import HeldWings, Tapes, Wings, condor_tape
from vixhedge.window import check_window

EXIT, EXPIRY = dt.date(2015, 12, 23), dt.date(2016, 1, 15)  # the wing left open (test_kernel.py, see below)


@pytest.fixture(scope="module")
def market():
    return build_market(C.MarketConfig())


@pytest.fixture(scope="module")
def tape(market):
    cfg = C.replace(C.load_default(), run=WINDOW)
    i0, i1 = check_window(cfg, market)
    return cfg, i0, condor_tape(market, cfg.condor, cfg.execution, cfg.margin, i0, i1)


def test_an_entry_costs_its_fees_too_and_counts_as_traded_on_its_day(tape):
    """KC14 (``entry_cost = -entry_prem``) and KC17 (``Tapes.traded`` up to day k - 1): CondorTape's field comments,
    ``entry_cost`` "what the entry takes from the loan value (premium and fees)", ``entry_flows`` "the entry's fills
    (premium and fees)", ``entry_prem`` the premium alone; so on each entry day the cost is minus the flows and the
    flows are the premium less 4 legs x 1 contract x $1.10; Tapes.traded's docstring "the expiries point p's tape
    traded up to day k": the day's own entry included."""
    cfg, _, t = tape
    fee = fee_per_contract(Contract(Kind.SPX_OPTION, EXPIRY, 2000.0, Right.CALL), cfg.execution)
    assert fee == 1.10
    days = np.flatnonzero(t.entry)
    assert len(days) >= 5  # the window's entries
    tapes = Tapes(t, 1)
    for k in days:
        assert t.entry_cost[k] == -t.entry_flows[k]
        assert t.entry_flows[k] - t.entry_prem[k] == pytest.approx(-4 * fee, abs=1e-9)
        assert int(t.expiry[k]) in tapes.traded(0, int(k))


def test_a_wing_left_open_is_sold_net_of_its_fee_and_settles_on_its_expiry(market, tape):
    """KC01 (a wing settled the day after its expiry), KC02 (its sale adds the fee) and KC04 (a slot freed the day
    after its wing settled). test_kernel.py's test_a_wing_left_open_by_an_exit_is_carried_by_both_kernels: the
    default condor's profit-take on 2015-12-23 leaves its long call open (SPX 2016-01-15 2225C, test_capital.py),
    expiry 2016-01-15. Wings' docstring: ``sale`` is selling it at the day's fills, fees paid (the premium,
    ``sale_prem``, less one contract's $1.10), a wing whose sale would bring nothing after its fee abandoned, 0 (a
    ruin's, strategies.ruin, brief FIX36R): this one, bid 0 every day it is held, is 0 (main at f8cc9b7: -1.10);
    filled at its mid (``execution.fill = "mid"``: $1.94 and $1.30 its first two days, then below $1.10), its sale is
    that premium less $1.10 on the days the premium is above $1.10, 0 on the others. ``end`` the window day it
    settles: its expiry, a session (Desk.open_day: settled at the open). HeldWings.settle frees the slot of a wing that
    settles that day (10 condors: the default's [condor] contracts)."""
    cfg, i0, t = tape
    k_exit, end = market.index_of(EXIT) - i0, market.index_of(EXPIRY) - i0
    wing = int(t.left[k_exit])
    assert wing > 0 and (t.left > 0).sum() == 1
    marks, settle, sale, ends = t.wings.arrays()
    assert ends[wing] == end
    held = slice(k_exit, end)  # held from the exit to the day before it settles
    assert (sale[wing, held] == 0).all() and (t.wings.sale_premium()[wing, held] == 0).all()
    slip = C.replace(cfg, execution={"fill": "mid"}).execution
    call = Contract(Kind.SPX_OPTION, EXPIRY, 2225.0, Right.CALL)
    w = Wings(market, slip, i0, i0 + end)
    j = w.add((call,), k_exit)
    premium = np.array([market.quote(call, i0 + k).mid * 100.0 for k in range(k_exit, end)])
    sold = premium - 1.10 > 1e-9
    assert sold.any() and (~sold).any()
    np.testing.assert_allclose(w.arrays()[2][j, held], np.where(sold, premium - 1.10, 0.0), rtol=0, atol=1e-9)
    np.testing.assert_allclose(w.sale_premium()[j, held], np.where(sold, premium, 0.0), rtol=0, atol=1e-9)
    assert (sale[wing, end:] == 0).all() and (marks[wing, end:] == 0).all()
    slots = HeldWings(t.wings, 1, 2)
    slots.leave(np.array([True]), wing, np.array([10.0]))
    assert slots.settle(end - 1)[0] == 0.0 and slots.n.sum() == 10.0  # not yet
    assert slots.settle(end)[0] == pytest.approx(10.0 * settle[wing, end], abs=1e-9)
    assert slots.n.sum() == 0.0  # its slot is free on the day it settles
