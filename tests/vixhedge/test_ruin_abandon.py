"""A ruin never pays to close what is worth at least 0 (trial MRG33B MEDIUM, LEAVE33 item 2; brief FIX36R).

The ruin test valued the account by closing every position at the day's fills with fees (``Desk.liquidation_value``),
a long VIX call spread whose long call bid below its short call's ask included: the debit of closing a position whose
payoff is never below 0 could call an account ruined, and the ruin's liquidation paid it. Now (strategies.ruin) such
a group (a layer's legs together, a lone long option: a call layer, a wing left open, the legs of a layer left to
expire) counts at 0 when its close would bring nothing after fees, and the liquidation abandons it at 0, no fee
(trades.csv ``ruin+abandoned``, capital_cuts.csv verb ``abandon``); the short condor and VX futures count at their
close as before. The old figures are from main at f8cc9b7 (a ``git archive`` snapshot, /tmp/fix36r/old, 2026-12-07).
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pandas as pd
import pytest

from feeds.market import build_market
from strategies.book import Layer
from strategies.condor import CondorLegs
from strategies.condor_actions import OpenCondor, condor_component
from strategies.layers import LayerActions
from tests.vixhedge.test_kernel_capital import SPIKE, _assert_kernel_equals_event, _drain, _point
from vixhedge.core import config as C
from vixhedge.core.config import HedgeInstrument
from vixhedge.core.desk import Desk
from vixhedge.core.instruments import Contract, Kind, Right

DAY = dt.date(2020, 2, 4)
VIX_EXP, SPX_EXP = dt.date(2020, 3, 18), dt.date(2020, 3, 20)


@pytest.fixture(scope="module")
def market():
    return build_market(C.load_default().market)


def _vix(strike: float) -> Contract:
    return Contract(Kind.VIX_OPTION, VIX_EXP, strike, Right.CALL)


def _spx(strike: float, right: Right) -> Contract:
    return Contract(Kind.SPX_OPTION, SPX_EXP, strike, right)


def _hand_book(quotes: dict[Contract, tuple[float, float]]):
    """The trader's state the ruin reads (layers, condor, desk, market, cfg) without a run: a one-day market quoting
    ``quotes`` (bid, ask), the default config's fees, an empty ledger; no layer, no condor."""
    from strategies.ruin import RuinActions

    class Book(RuinActions, LayerActions):
        pass

    market = SimpleNamespace(days=[DAY], quote=lambda c, i: SimpleNamespace(
        bid=quotes[c][0], ask=quotes[c][1], mid=(quotes[c][0] + quotes[c][1]) / 2))
    cfg = C.load_default()
    book = Book()
    book.market, book.cfg, book.desk = market, cfg, Desk(market, cfg.execution, 0.0, 0.0)
    book.desk.day_index, book.layers, book.condor = 0, (), None
    return book


def test_the_liquidation_value_counts_a_group_worth_at_least_0_at_no_less_than_0():
    """A hand-built book, fees $1.10 a contract (execution.fee_vix_option_usd / fee_spx_option_usd defaults,
    vixhedge/core/config/book.py), cash $10,000, quotes (bid / ask) the brief's stand-ins:

    * L1, 10 VIX 35C / 40C spreads, long bid 0.20, short ask 0.25 (MRG33B's L1 on 2020-02-04): closing it brings
      10 x (20 - 25) - 10 x 2 x 1.10 = -$72: counted 0, abandoned;
    * L2, 10 VIX 20C / 25C spreads, long bid 0.80, short ask 0.25: 10 x (80 - 25) - $22 = +$528: counted at it;
    * L3, a VIX call layer, 5 VIX 30C bid 0.00: -$5.50: counted 0, abandoned;
    * the condor held, 2 contracts of MRG33B's 2770P / 3075P / 3365C / 3475C (trades.csv of its run: long put bid
      4.50, short put ask 16.50, short call ask 23.10, long call bid 3.60): 200 x (4.50 - 16.50 - 23.10 + 3.60)
      - 8 x 1.10 = -$6,308.80, counted at its debit as before (its payoff can be below 0);
    * a wing an earlier exit left open, 2 SPX 3600C bid 0.00: -$2.20: counted 0, abandoned.

    Liquidation value 10,000 + 0 + 528 + 0 - 6,308.80 + 0 = $4,219.20; main at f8cc9b7 counted every close:
    10,000 - 72 + 528 - 5.50 - 6,308.80 - 2.20 = $4,139.50 (``Desk.liquidation_value()``, still that figure)."""
    from strategies.ruin import floored

    quotes = {_vix(35.0): (0.20, 0.30), _vix(40.0): (0.15, 0.25), _vix(20.0): (0.80, 0.90), _vix(25.0): (0.20, 0.25),
              _vix(30.0): (0.00, 0.05), _spx(2770.0, Right.PUT): (4.50, 4.70), _spx(3075.0, Right.PUT): (16.20, 16.50),
              _spx(3365.0, Right.CALL): (22.70, 23.10), _spx(3475.0, Right.CALL): (3.60, 3.80),
              _spx(3600.0, Right.CALL): (0.00, 0.05)}
    book = _hand_book(quotes)
    desk = book.desk
    spread, call = HedgeInstrument.VIX_CALL_SPREAD, HedgeInstrument.VIX_CALL
    book.layers = (Layer(1, spread, ((_vix(35.0), 10), (_vix(40.0), -10)), 0.0, "cross_up", DAY),
                   Layer(2, spread, ((_vix(20.0), 10), (_vix(25.0), -10)), 0.0, "cross_up", DAY),
                   Layer(3, call, ((_vix(30.0), 5),), 0.0, "cross_up", DAY))
    book.condor = OpenCondor(CondorLegs(SPX_EXP, 2770.0, 3075.0, 3365.0, 3475.0), 2, 1.0, DAY)
    for layer in book.layers:
        for contract, q in layer.legs:
            desk.ledger.fill(DAY, contract, q, 0.0, 0.0, layer.component, "add")
    for contract, q in book.condor.legs.legs():
        desk.ledger.fill(DAY, contract, 2 * q, 0.0, 0.0, condor_component(contract), "open")
    wing = _spx(3600.0, Right.CALL)
    desk.ledger.fill(DAY, wing, 2, 0.0, 0.0, condor_component(wing), "open")
    desk.ledger.cash = 10_000.0
    # what the layers and the condor held leave: the wing alone, not the condor's own legs (2 contracts a leg: MUT36 U9)
    assert book._leftovers() == [("condor:call", ((wing, 2),))]
    abandoned = book._abandoned()
    assert abandoned == (book.layers[0].legs, book.layers[2].legs, ((wing, 2),))
    assert desk.liquidation_value(abandoned) == pytest.approx(4219.20, abs=1e-9)
    assert desk.liquidation_value() == pytest.approx(4139.50, abs=1e-9)
    # the groups whose payoff is never below 0: a long call, a debit call spread, a long put; not the condor (a short
    # put and call), a short call alone, a credit call spread, a VX future
    condor = book.condor.legs.legs()
    assert floored(book.layers[0].legs) and floored(((wing, 2),)) and floored(((_spx(2770.0, Right.PUT), 1),))
    assert not floored(condor) and not floored(((_vix(40.0), -10),))
    assert not floored(((_vix(35.0), -10), (_vix(40.0), 10)))
    assert not floored(((Contract(Kind.VX_FUTURE, VIX_EXP), 1),))


def test_two_wings_of_one_side_and_expiry_left_open_are_valued_and_abandoned_one_by_one():
    """Two put wings of one expiry that earlier exits left open (trial MUT36 U10: grouped by expiry, they were one
    group worth selling): 2 SPX 2500P bid 0.00 and 2 SPX 2600P bid 1.00, fees $1.10 a contract (the default
    execution.fee_spx_option_usd), cash $10,000. Each is its own group: the 2500P would close for -$2.20, counted 0
    and abandoned; the 2600P for 200 x 1.00 - $2.20 = +$197.80, counted at it. Liquidation value $10,197.80; every
    close counted, $10,195.60; the two as one group (worth +$195.60 together) would have sold the 2500P for its fees."""
    low, high = _spx(2500.0, Right.PUT), _spx(2600.0, Right.PUT)
    book = _hand_book({low: (0.00, 0.05), high: (1.00, 1.20)})
    for wing in (low, high):
        book.desk.ledger.fill(DAY, wing, 2, 0.0, 0.0, condor_component(wing), "open")
    book.desk.ledger.cash = 10_000.0
    assert book._leftovers() == [("condor:put", ((low, 2),)), ("condor:put", ((high, 2),))]
    assert book._abandoned() == (((low, 2),),)
    assert book.desk.liquidation_value(book._abandoned()) == pytest.approx(10_197.80, abs=1e-9)
    assert book.desk.liquidation_value() == pytest.approx(10_195.60, abs=1e-9)


SPREADS = {"margin": {"hedge_budget_nav_fraction": 1.0},
           "hedge": {"instrument": "vix_call_spread", "spread_long_otm": 1.0, "first_layer_contracts": 2000},
           "condor": {"contracts": 10, "max_loss_cap_nav_fraction": 1.0, "margin_cap_nav_fraction": 1.0}}


def test_a_breach_that_only_the_spreads_debit_made_a_ruin_is_a_margin_call_and_the_kernel_replays_it(market,
                                                                                                     monkeypatch):
    """Calls 100% out of the money, 2,000-spread first layers, the hedge budget at 1 x NAV, 10 condors, on SPIKE;
    one night's cash drained before 2015-07-16 so that its open finds the excess liquidity at -$100,000. On
    2015-07-16 the spreads held (L1-L3) and the legs rolls and removals left to expire (July 32.5C / 37.5C, ...)
    would close for a debit of $172,764 with fees
    (measured by /tmp/fix36r/probe.py on the undrained run: liquidation value $322,136.18 counting their closes,
    $494,900.18 at 0). Main at f8cc9b7 called it a ruin: "maintenance breach (excess liquidity -$100,000) no
    liquidation can cure (liquidation value -$63,969)", debt $96,458.00 written off, NAV 0 to the end. Now the
    liquidation value is above 0, so it is a margin call: L3, L2, L1 left to expire (verb leave), 6 of the 10
    condors closed, no ruin in the window (final NAV $13,943.35; all measured with /tmp/fix36r/case2.py, 2026-12-07,
    on both trees). The backtrader engine writes the same rows; the kernel keeps the point and equals the event
    path."""
    from vixhedge.run import run_backtest

    p = _point(SPREADS, SPIKE)
    _drain(p, market, monkeypatch, "2015-07-15", 100_000.0)
    res, bt = (run_backtest(p.config, market, engine=engine) for engine in ("fast", "backtrader"))
    assert res.metrics["ruin"] is None
    cuts = res.capital_cuts
    called = cuts[cuts["kind"] == "margin_call"]
    assert called.index.unique().tolist() == [pd.Timestamp("2015-07-16")]
    assert called[["what", "verb", "wanted", "allowed"]].values.tolist() == [
        ["L3", "leave", 4219, 0], ["L2", "leave", 2956, 0], ["L1", "leave", 2000, 0], ["condor", "close", 10, 4]]
    assert called["why"].iloc[0].startswith("margin call: excess liquidity -$100,000")
    assert res.daily["nav_usd"].iloc[-1] == pytest.approx(13943.35, abs=0.005)
    for a, b in ((res.trades, bt.trades), (res.capital_cuts, bt.capital_cuts), (res.daily, bt.daily)):
        pd.testing.assert_frame_equal(a, b)
    _assert_kernel_equals_event(p, market, SPIKE, False)


def test_a_ruin_abandons_a_held_spread_whose_close_is_a_debit_and_the_kernel_replays_it(market, monkeypatch):
    """The same book drained $600,000 below 0 instead: a ruin either way ("NAV -$374,900 <= 0"), on 2015-07-16; the
    liquidation abandons L1-L3 held and the legs the layers left to expire (verb abandon, trades.csv ruin+abandoned
    at 0, no fee) and sells the condor, so the debt written off falls from $596,458.00 (main at f8cc9b7) to
    $423,694.00, by the spreads' $172,764 (measured with /tmp/fix36r/case2.py 2015-07-15 600000, 2026-12-07, on both
    trees). The kernel's ruin day, hedge and condor values equal the event path's."""
    from vixhedge.run import run_backtest

    p = _point(SPREADS, SPIKE)
    _drain(p, market, monkeypatch, "2015-07-15", 600_000.0)
    res = run_backtest(p.config, market, engine="fast")
    assert res.metrics["ruin"]["date"] == "2015-07-16"
    ruin = res.capital_cuts[res.capital_cuts["kind"] == "ruin"]
    assert ruin[["what", "verb"]].values.tolist()[:4] == [["L3", "abandon"], ["L2", "abandon"], ["L1", "abandon"],
                                                          ["condor", "close"]]
    t = res.trades[res.trades.index == "2015-07-16"]
    gone = t[t["reason"] == "ruin+abandoned"]
    assert (gone["price"] == 0.0).all() and (gone["fee_usd"] == 0.0).all()
    assert len(gone) == 2 * 3 + (ruin["verb"] == "abandon").sum() - 3  # L1-L3 held, 2 legs each; each leg left a row
    assert set(t.loc[t["reason"] == "ruin", "component"]) == {"condor:put", "condor:call"}  # no VIX option sold
    assert res.metrics["ruin"]["debt_written_off_usd"] == pytest.approx(423694.00, abs=0.005)
    _assert_kernel_equals_event(p, market, SPIKE, True)



# (fills, L8's and L9's units, the ruin's NAV, the debt written off; measured on the event path with
# /tmp/tst36/e3.py 2015-08-12 20000 2015-08-24 1000000, MIDF=0.95 for the slippage fills, 2026-12-07)
SOLD = [({}, 1121, 684, "NAV -$5,076 <= 0", 100192.40),
        ({"execution": {"fill": "slippage", "slippage_fraction": 0.95}}, 1149, 701, "NAV -$799 <= 0", 92685.34)]


@pytest.mark.parametrize("fills, n8, n9, cause, debt", SOLD, ids=["bid_ask", "slippage"])
def test_a_ruin_sells_the_spreads_worth_selling_held_or_left_to_expire_and_the_kernel_replays_it(
        market, monkeypatch, fills, n8, n9, cause, debt):
    """MUT36 gap 1 (brief TST36): the ruin's sale of VIX call spreads, not only their abandonment. SPREADS on SPIKE,
    $20,000 drained before 2015-08-13: the margin call leaves L7 and L6 (VIX 2015-09-16 30C / 35C, 3,015 and 2,000
    units, whose close then would bring nothing after fees: verb leave) and closes 2 of the 10 condors; then $1M
    drained before 2015-08-25, in the August spike: a ruin at that open, the backtrader engine's rows the same. The
    figures: the runs' capital_cuts.csv, trades.csv and ruin metrics (SOLD's measure). On 2015-08-25 (the run's
    trades.csv rows) the 30C bids 2.90 and the 35C asks 1.55, so L8 held (the same spread) and L6 and L7 left to
    expire close for (2.90 - 1.55) x 100 - 2 x 1.10 = $132.80 a unit at bid/ask (the default fees, $1.10 a leg):
    sold (reason ruin, fees paid), each leg of those left a capital_cuts.csv row whose ``wanted`` is its units, the
    short leg's too (MUT36 U18); L9 held (VIX
    2015-10-21 55C bid 0.45 / 60C ask 0.45) closes for 0 - $2.20 at bid/ask, and for
    (0.453172 - 0.448659) x 100 = $0.45 before its $2.20 of fees at fills 95% of the way from the mid to the
    bid/ask (55C mid 0.513440, 60C mid 0.423175): above 0 but not above its fees, so abandoned on both engines
    (MUT36 O6: the kernel's test without the fees sells it). The kernel's ruin day, hedge and condor values equal
    the event path's (MUT36 O2, O3, O5, KD1: the option fees, the layers left to expire)."""
    from vixhedge.core.desk import fill_price
    from vixhedge.run import run_backtest

    p = _point({**SPREADS, **fills}, SPIKE)
    _drain(p, market, monkeypatch, "2015-08-12", 20_000.0)
    _drain(p, market, monkeypatch, "2015-08-24", 1_000_000.0)
    res, bt = (run_backtest(p.config, market, engine=engine) for engine in ("fast", "backtrader"))
    for a, b in ((res.trades, bt.trades), (res.capital_cuts, bt.capital_cuts), (res.daily, bt.daily)):
        pd.testing.assert_frame_equal(a, b)
    assert res.metrics["ruin"]["date"] == "2015-08-25" and res.metrics["ruin"]["cause"] == cause
    cuts = res.capital_cuts
    assert cuts.loc[cuts["kind"] == "margin_call", ["what", "verb", "wanted", "allowed"]].values.tolist() == [
        ["L7", "leave", 3015, 0], ["L6", "leave", 2000, 0], ["condor", "close", 10, 8]]
    legs = [f"{L} VIX 2015-09-16 {k}" for L in ("L6", "L7") for k in ("30C", "35C")]
    assert cuts.loc[cuts["kind"] == "ruin", ["what", "verb", "wanted"]].values.tolist() == [
        ["L9", "abandon", n9], ["L8", "close", n8], ["condor", "close", 3],
        *([what, "close", n] for what, n in zip(legs, (2000, 2000, 3015, 3015)))]
    t = res.trades[res.trades.index == "2015-08-25"]
    sold = t[(t["reason"] == "ruin") & (t["kind"] == "vix_option")]
    assert sold.groupby("component")["qty"].apply(list).to_dict() == {  # sold, not abandoned
        "hedge:L6": [-2000, 2000], "hedge:L7": [-3015, 3015], "hedge:L8": [-n8, n8]}
    cfg = p.config.execution
    assert sold["fee_usd"].tolist() == pytest.approx((cfg.fee_vix_option_usd * sold["qty"].abs()).tolist())
    gone = t[t["reason"] == "ruin+abandoned"]
    assert gone["component"].tolist() == ["hedge:L9"] * 2 and (gone[["price", "fee_usd"]] == 0.0).all().all()
    long, short = (SimpleNamespace(**r) for r in gone.sort_values("strike")[["bid", "ask", "mid"]].to_dict("records"))
    gross = (fill_price(long, -1, cfg) - fill_price(short, 1, cfg)) * 100.0
    assert 0.0 <= gross <= 2 * cfg.fee_vix_option_usd and (gross > 0.0) == bool(fills)
    assert res.metrics["ruin"]["debt_written_off_usd"] == pytest.approx(debt, abs=0.005)
    _assert_kernel_equals_event(p, market, SPIKE, True)


@pytest.mark.realdata
def test_the_trial_s_ruin_no_longer_pays_to_buy_back_l1(shared_data):
    """MRG33B's command (its report, /work/notes/mrg33b_report.md, run 22dd3bf6: portfolio margin, 2020-02-03 to
    2020-05-29, $80,000, caps and hedge budget at 1 x NAV, 5,000-spread first layers 100% out of the money, 100
    condors): ruined on 2020-02-04 either way, but main at f8cc9b7 counted and paid buying back L1's 3,994 short 40C
    at 0.25 against its long 35C sold at 0.20, $28,756.80 with fees: liquidation value and debt -$37,981.33 /
    $37,981.33 (the trial's figure, to the cent). Now L1 is abandoned (verb abandon, trades.csv ruin+abandoned at 0,
    no fee): the liquidation value is the condor's close alone, -$9,224.53 (the trial's "closing the condor alone
    leaves cash -$9,224.53"), and so is the debt written off."""
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run={"start": "2020-02-03", "end": "2020-05-29", "initial_cash_usd": 80_000.0},
                    hedge={"instrument": "vix_call_spread", "first_layer_contracts": 5000, "spread_long_otm": 1.0},
                    condor={"contracts": 100, "max_loss_cap_nav_fraction": 1.0, "margin_cap_nav_fraction": 1.0},
                    margin={"hedge_budget_nav_fraction": 1.0, "mode": "portfolio"},
                    market={"source": "directory", "data_dir": str(shared_data)})
    res = run_backtest(cfg, engine="fast")
    ruin = res.metrics["ruin"]
    assert ruin["date"] == "2020-02-04" and "liquidation value -$9,225" in ruin["cause"]
    assert ruin["liquidation_cash_usd"] == pytest.approx(-9224.53, abs=0.005)
    assert ruin["debt_written_off_usd"] == pytest.approx(9224.53, abs=0.005)
    cuts = res.capital_cuts[res.capital_cuts["kind"] == "ruin"]
    assert cuts[["what", "verb", "wanted"]].values.tolist() == [["L1", "abandon", 3994], ["condor", "close", 2]]
