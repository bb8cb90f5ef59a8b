"""A sweep point's run (Trader ``journal=False``, Desk without components) trades exactly like a full run.

:func:`vixhedge.run.daily_book` skips the decision log, the capital rows and the layer log; the NAV and
P&L by group (and the day-end margin requirement, the hedge's carry, VIX move and option marks) it returns must
equal, bit for bit, ``RunResult.daily``'s
columns of the same config, its days a cap cut an order the run's capital_cuts.csv ``cap`` days, and its layer
count ``metrics.json`` ``counts.hedge_layers``, for every policy, instrument, margin mode and breach rule (a point
with margin calls included).
"""

import numpy as np
import pandas as pd
import pytest

from analyzers.hedge_cost import DAILY_CAUSES
from feeds.market import build_market
from strategies.book import RemoveLayer, RestrikeLayer, RollLayer
from vixhedge.core import config as C
from vixhedge.run import daily_book, run_backtest

WINDOW = {"start": "2015-03-02", "end": "2016-06-30"}  # Aug 2015 spike, Jan-Feb 2016 sell-off (test_engines.py)
COLUMNS = ("nav_usd", "condor_value_usd", "hedge_value_usd", "fees_value_usd", "interest_value_usd",
           "condor_pnl_usd", "hedge_pnl_usd", "fees_pnl_usd", "interest_pnl_usd", "total_pnl_usd",
           "margin_usd",  # (the day-end maintenance requirement: a sweep's peak_margin_utilisation, trial CAP)
           "excess_liquidity_usd",  # (... and excess liquidity: with each session's check, its capital_needed_usd)
           *DAILY_CAUSES[:3])  # (the hedge's carry, VIX move and option marks: a sweep's hedge_vx_carry_usd ...)


def _configs() -> dict[str, C.Config]:
    base = C.load_default()
    out = {name: C.load_preset(name) for name in ("steward", "promoter", "cndr", "vxth")}
    out["default"] = base
    out["none"] = C.replace(base, hedge={"mode": "none"})
    out["static_spread"] = C.replace(base, hedge={"mode": "static", "instrument": "vix_call_spread"})
    out["call_portfolio_margin"] = C.replace(base, hedge={"instrument": "vix_call", "premium_budget_usd": 40000.0},
                                             margin={"mode": "portfolio"})
    out["settle_and_reopen"] = C.replace(base, hedge={"roll_days": 0}, condor={"entry": "calendar"})
    # 60k USD against 40 condors (caps at 1 x NAV): buying-power cuts and maintenance breaches, liquidated
    out["margin_calls"] = C.replace(base, run={"initial_cash_usd": 60000.0},
                                    condor={"contracts": 40, "max_loss_cap_nav_fraction": 1.0,
                                            "margin_cap_nav_fraction": 1.0, "stop_multiple": 0.0},
                                    hedge={"first_layer_contracts": 3},
                                    margin={"on_breach": "liquidate", "hedge_budget_nav_fraction": 1.0})
    return {k: C.replace(v, run=WINDOW) for k, v in out.items()}


CONFIGS = _configs()


@pytest.fixture(scope="module")
def market():
    return build_market(C.load_default().market)


@pytest.mark.parametrize("name", list(CONFIGS))
def test_sweep_point_run_equals_full_run(name: str, market) -> None:
    cfg = CONFIGS[name]
    full = run_backtest(cfg, market, engine="fast")
    book, layers = daily_book(cfg, market)
    assert list(book.columns) == [*COLUMNS, DAILY_CAUSES[3]]
    for col in COLUMNS:
        assert book[col].to_numpy().tobytes() == full.daily[col].to_numpy().tobytes(), col
    # the fills against mid, without a journal of fills: the rest of the day's hedge P&L (hedge_cost.book_causes)
    np.testing.assert_allclose(book[DAILY_CAUSES[3]], full.daily[DAILY_CAUSES[3]], rtol=0, atol=1e-6)
    assert [d.isoformat() for d in book.index] == [d.date().isoformat() for d in full.daily.index]
    assert layers == full.metrics["counts"]["hedge_layers"]
    assert book.attrs["ruin"] == full.metrics["ruin"]
    cuts = full.capital_cuts  # the days a capital cap cut an order: metrics.json capital.days_cut_by_capital_caps
    assert book.attrs["cap_days"] == {t.date() for t in cuts.index[cuts["kind"] == "cap"]}
    assert len(book.attrs["cap_days"]) == full.metrics["capital"]["days_cut_by_capital_caps"]
    mine, full_checks = book.attrs["checks"], full.daily.attrs["checks"]
    assert mine.days.tobytes() == full_checks.days.tobytes() and len(mine.days) > 0
    assert mine.excess.tobytes() == full_checks.excess.tobytes()


def test_margin_call_config_exercises_the_capital_guard(market) -> None:
    """The margin_calls config above does hit margin calls and buying-power cuts (else it tests nothing new)."""
    log = run_backtest(CONFIGS["margin_calls"], market, engine="fast").signals_log["capital"].astype(str)
    assert log.str.contains("margin_call").any() and log.str.contains("buying power").any()


@pytest.mark.parametrize("action", [RemoveLayer(5, "x"), RollLayer(5, "x"), RestrikeLayer(5, 0.1, "x")], ids=str)
def test_an_action_on_a_layer_a_refused_roll_closed_this_bar_is_skipped(action):
    # decide_checked passed it (layer 5 was open at the bar); a roll refused for buying power earlier in the same
    # decision closed it (self.layers no longer holds it): before, next(...) over self.layers raised StopIteration
    from types import SimpleNamespace

    from strategies.trader import Trader

    done = Trader._apply(SimpleNamespace(layers=()), 0, action, None, None)
    assert done == f"{type(action).__name__} L5 skipped: closed by a refused roll"


def test_the_default_market_lists_eight_vx_months_on_every_day(market):
    # decide_checked's AddLayer tenor bound: feeds.vxcurve quotes a contract from LISTED_DAYS = 270 days before its
    # settlement, 8 or 9 monthly contracts (8 on 209 of the 1,257 days 2014-01-03 .. 2018-12-31, 9 on the others)
    import numpy as np

    assert market.vx.listed_months == 8 == C.LISTED_VX_MONTHS  # the config's bound on outer layers' month
    live = (np.isfinite(market.vx.prices) & (market.vx.tau_years > 0)).sum(axis=1)
    assert set(live) == {8, 9}


def _condor_trader(contracts: int, left: tuple = ()):
    from types import SimpleNamespace

    from strategies.condor_actions import OpenCondor

    fills = []
    legs = SimpleNamespace(legs=lambda: (("P", 1), ("p", -1), ("c", -1), ("C", 1)))  # a condor's 4 legs
    desk = SimpleNamespace(execute=lambda contract, qty, *_: fills.append((contract, qty)))
    condor = OpenCondor(legs, contracts, 1.0, None)
    return SimpleNamespace(condor=condor, desk=desk, _wings_left=lambda c: left), fills


def test_a_cut_never_fills_zero_and_keeps_one_contract(monkeypatch):
    # README "Plug-ins": the trader keeps at least one contract of an open condor (before: k = min(n, contracts - 1)
    # = 0 on a 1-contract condor still filled, "ValueError: fill of zero contracts", exit 3)
    from strategies import condor_actions
    from strategies import trader as T
    from strategies.book import CutCondor

    monkeypatch.setattr(condor_actions, "condor_component", lambda contract: "condor")  # the fake legs have no right
    one, fills = _condor_trader(1)
    assert T.Trader._cut_condor(one, CutCondor(10**6, "x")) == "cut_condor!one_contract_left (x)"
    assert fills == [] and (one.condor.contracts, one.condor.cut) == (1, 0)
    three, fills = _condor_trader(3)
    assert T.Trader._cut_condor(three, CutCondor(10**6, "x")) == "cut_condor x2 of 1000000 asked, 1 kept (x)"
    assert [q for _, q in fills] == [-2, 2, 2, -2] and (three.condor.contracts, three.condor.cut) == (1, 2)
    five, fills = _condor_trader(5)
    assert T.Trader._cut_condor(five, CutCondor(2, "x")) == "cut_condor x2 (x)"  # within the condor: as asked


def test_a_cut_leaves_open_the_wings_that_would_sell_for_0(monkeypatch):
    """Trial (2026-12-03): condor_vega_cut sold every leg of the contracts it cut, a wing bid at 0 too (at $0, for
    its fee), while an exit and a margin call leave such a wing open (strategies.condor.wings_left). Now the cut
    leaves it too, kept on the OpenCondor (``left``: condors.csv ``wings_left`` at the final close). Legs: the
    stand-in condor of _condor_trader, its long call "C" bid at 0."""
    from strategies import condor_actions
    from strategies import trader as T
    from strategies.book import CutCondor

    monkeypatch.setattr(condor_actions, "condor_component", lambda contract: "condor")
    five, fills = _condor_trader(5, left=("C",))
    assert T.Trader._cut_condor(five, CutCondor(2, "x")) == "cut_condor x2 (x)"
    assert fills == [("P", -2), ("p", 2), ("c", 2)]  # the long call is not sold
    assert (five.condor.contracts, five.condor.cut, five.condor.left) == (3, 2, ("C",))
    T.Trader._cut_condor(five, CutCondor(1, "x"))  # a second cut: the wing is named once
    assert five.condor.left == ("C",) and fills[-1] == ("c", 1)


@pytest.mark.parametrize("roll_days, mode, held", [
    (5, "alvh", "else held to settlement"),
    (0, "alvh", "at settlement reopened on the next contract (hedge.roll_days = 0)"),  # Trader._sync_settled
    (0, "vxth", "else held to settlement"),  # VXTH calls are held to settlement, not reopened
])
def test_a_plugin_layers_exit_rule_says_the_plugin_rolls_it(roll_days, mode, held):
    # before: "by the plug-in policy p:policy; rolled 5 sessions before expiry" on layers a plug-in never rolled
    # (layers.csv exit_reason "settled"): the trader rolls no plug-in layer before expiry, the plug-in does
    from types import SimpleNamespace

    from strategies.layers import LayerActions

    hedge = SimpleNamespace(mode=C.HedgeMode(mode), policy_name="p:policy", roll_days=roll_days)  # not imported
    rule = LayerActions._exit_rule(SimpleNamespace(cfg=SimpleNamespace(hedge=hedge)))
    assert rule == f"by the plug-in policy p:policy (its RemoveLayer and RollLayer actions); {held}"


def test_an_exit_sells_no_wing_at_0_and_the_condor_keeps_its_pnl(market):
    """strategies.condor.wings_left: an exit leaves a wing bid at 0 open (before: the default run sold 14 wings at
    $0 for $123.20 of fees, trades.csv). In WINDOW the default condor exits twice leaving a wing (condors.csv
    ``wings_left``); no condor leg is sold at 0, and the condors' P&L (every flow on their legs, the wings' to
    their expiry) plus their fills' fees still sum to the condor group's P&L (analyzers.condor_trades)."""
    res = run_backtest(C.replace(C.load_default(), run=WINDOW), market, engine="fast")
    t, condors = res.trades, res.condors
    condor_fills = t[t["component"].astype(str).str.startswith("condor")]
    assert condor_fills[(condor_fills["qty"] < 0) & (condor_fills["price"] == 0)].empty
    left = condors[condors["wings_left"].astype(str) != ""]
    assert len(left) >= 1 and set(left["exit_reason"]) <= {"profit_take", "stop", "dte"}
    fees = condor_fills["fee_usd"].sum()
    assert condors["pnl_usd"].sum() + fees == pytest.approx(res.daily["condor_pnl_usd"].sum(), abs=0.01 * len(condors))


def test_wings_a_partial_margin_call_left_are_logged_at_the_condor_s_final_close() -> None:
    """The review of the session: Trader._cure_breach logged the wings a margin call left (bid at 0) only when it
    closed the whole condor; a partial call's never reached condors.csv. They are kept on the OpenCondor
    (``left``) and logged with those the final close leaves. Strikes: a stand-in condor, 1800/1900/2100/2200."""
    import datetime as dt
    from types import SimpleNamespace

    from strategies import condor as cc
    from strategies.condor_actions import CondorActions, OpenCondor

    legs = cc.CondorLegs(dt.date(2016, 1, 15), 1800.0, 1900.0, 2100.0, 2200.0)
    long_call = next(k for k, q in legs.legs() if q > 0 and k.strike == 2200.0)
    long_put = next(k for k, q in legs.legs() if q > 0 and k.strike == 1800.0)
    for left_by_call, left_at_close, logged in [((long_call,), (), "long_call"),
                                                ((long_call,), (long_put,), "long_put;long_call"),
                                                ((), (long_put,), "long_put")]:
        book = SimpleNamespace(condor=OpenCondor(legs, 3, 10.0, dt.date(2015, 12, 1), called=2, left=left_by_call),
                               condor_log=[], desk=SimpleNamespace(today=dt.date(2016, 1, 4)))
        CondorActions._log_condor(book, "profit", left_at_close)
        assert book.condor_log[0]["wings_left"] == logged and book.condor is None


def test_sells_for_nothing_names_the_first_vix_option_sold_at_0():
    """strategies.layers.LayerActions._sells_for_nothing, the one test of a removal, a margin call, a roll (a layer's
    long call: left to expire) and a restrike (its long call and new short one: skipped): the first VIX option of
    the contracts sold whose sale fills at 0 or less (the bid under the default bid_ask fill); a call bid above 0
    sells, whatever the others' price, and a VX future always does. Strikes and prices: stand-ins (the 2015-07-21
    bids of the trial's spread were 0.00 / 0.00, asks 0.05 / 0.05)."""
    import datetime as dt
    from types import SimpleNamespace

    from strategies.layers import LayerActions
    from vixhedge.core.instruments import Contract, Kind, Right

    exp = dt.date(2015, 7, 22)
    long, short = (Contract(Kind.VIX_OPTION, exp, k, Right.CALL) for k in (18.0, 23.0))
    future = Contract(Kind.VX_FUTURE, exp)

    def book(bids: dict) -> SimpleNamespace:
        quote = lambda c, i: SimpleNamespace(bid=bids[c], ask=bids[c] + 0.05, mid=bids[c] + 0.025)  # noqa: E731
        return SimpleNamespace(market=SimpleNamespace(quote=quote), cfg=C.load_default())

    free = LayerActions._sells_for_nothing
    assert free(book({long: 0.0, short: 0.0}), 0, [long]) is long
    assert free(book({long: 0.05, short: 0.0}), 0, [long]) is None
    assert free(book({long: 0.05, short: 0.0}), 0, [long, short]) is short  # a restrike's new short call
    assert free(book({future: 0.0}), 0, [future]) is None


def test_a_layer_whose_close_brings_nothing_after_fees_is_left():
    """strategies.layers.LayerActions._closes_for_nothing, the test of a removal, a margin call and a roll (trial
    MRG33B HIGH 2, 2026-12-07: main at 39dcb59 closed a spread whose long call bid 0.10 against a short ask 0.15,
    run 3229267f): per unit, the long call sold and the short call bought back at their fill prices, x 100, less a
    fee a leg (execution.fee_vix_option_usd, $1.10 by default: vixhedge/core/config/book.py), <= 0 leaves the layer.
    Quotes are the brief's stand-ins: long bid 0.10 / short ask 0.15 (-$5.00 - $2.20): left; long bid 0.30 / short
    ask 0.15 ($15.00 - $2.20): closed; the fee edge, long bid 0.17 / short ask 0.15 ($2.00) with a fee of $1.00 a
    leg: $0, left, and with $0.99: $0.02, closed. One call: bid 0.01 ($1.00 - $1.10) left, 0.02 ($2.00 - $1.10)
    closed. execution.fill = "mid" fills at the mids (0.20 / 0.15 on the first quote: $5.00 - $2.20): closed. A VX
    future always closes."""
    import datetime as dt
    from types import SimpleNamespace

    from strategies.layers import LayerActions
    from vixhedge.core.instruments import Contract, Kind, Right

    exp = dt.date(2018, 2, 14)
    long, short = (Contract(Kind.VIX_OPTION, exp, k, Right.CALL) for k in (24.0, 29.0))
    spread, call = ((long, 626), (short, -626)), ((long, 3),)

    def left(bid: float, ask: float, fee: float = 1.10, fill: str = "bid_ask", legs=spread) -> bool:
        quotes = {long: SimpleNamespace(bid=bid, ask=bid + 0.10, mid=bid + 0.10),
                  short: SimpleNamespace(bid=ask - 0.05, ask=ask, mid=ask)}
        cfg = C.replace(C.load_default(), execution={"fee_vix_option_usd": fee, "fill": fill})
        book = SimpleNamespace(market=SimpleNamespace(quote=lambda c, i: quotes[c]), cfg=cfg)
        return LayerActions._closes_for_nothing(book, 0, legs)

    assert left(0.10, 0.15) and not left(0.30, 0.15)
    assert left(0.17, 0.15, fee=1.00) and not left(0.17, 0.15, fee=0.99)
    assert left(0.01, 0.15, legs=call) and not left(0.02, 0.15, legs=call)
    assert not left(0.10, 0.15, fill="mid")
    future = Contract(Kind.VX_FUTURE, exp)
    book = SimpleNamespace(market=SimpleNamespace(quote=lambda c, i: SimpleNamespace(bid=0.0, ask=0.0, mid=0.0)),
                           cfg=C.load_default())
    assert not LayerActions._closes_for_nothing(book, 0, ((future, 5),))


def test_legs_left_to_expire_are_journaled_on_their_settlement_day():
    """Trial MUT22 (LA5): strategies.layers.LayerActions._settle_left taking the left legs a day after their expiry
    (``expiry < today``) survived every test. Its docstring: "the legs left to expire that settled this morning"
    (vixhedge.core.desk.Desk.open_day settles a contract on its expiry day, ``expiry <= day``; a VIX option on its
    settlement morning, MARKET_RULES.md's VIX options and VX settlement rules): on the day before nothing is
    journaled, on the expiry day layers.csv ``pnl_usd`` is the component's value that day and the legs are no longer
    left. Stand-ins: a 2015-07-22 VIX call spread (the removal test's L3), values $-1,234.567 / $-480.004."""
    import datetime as dt
    from types import SimpleNamespace

    from strategies.book import Layer
    from strategies.layers import LayerActions
    from vixhedge.core.config import HedgeInstrument
    from vixhedge.core.instruments import Contract, Kind, Right

    exp = dt.date(2015, 7, 22)
    long, short = (Contract(Kind.VIX_OPTION, exp, k, Right.CALL) for k in (17.0, 22.0))
    legs = ((long, 2), (short, -2))
    layer = Layer(3, HedgeInstrument.VIX_CALL_SPREAD, legs, 0.0, "cross_up", dt.date(2015, 6, 15))
    values = {dt.date(2015, 7, 21): -1234.567, exp: -480.004}
    book = SimpleNamespace(journal=True, layers_left={(3, exp): layer}, layer_log={3: SimpleNamespace(pnl_usd=None)},
                           desk=SimpleNamespace(today=None, ledger=SimpleNamespace(
                               component_value=lambda c: values[book.desk.today] if c == "hedge:L3" else 0.0)))
    book.desk.today = dt.date(2015, 7, 21)
    LayerActions._settle_left(book)
    assert book.layer_log[3].pnl_usd is None and list(book.layers_left) == [(3, exp)]
    book.desk.today = exp
    LayerActions._settle_left(book)
    assert book.layer_log[3].pnl_usd == -480.0 and book.layers_left == {}


def test_a_removal_leaves_a_vix_spread_whose_long_call_bids_0_to_expire(market):
    """Trial (2026-12-03, runs_acct/settlevixopt-2e33dc88 on real data): a review removed L3, a VIX call spread, the
    day before its expiry by selling 2x 18C at their bid 0.00 and buying back 2x 23C at 0.05: $10 of premium and
    $4.40 of fees to close a spread that can only settle at 0 or more. Now left to expire
    (strategies.layers.LayerActions._leave). On the embedded market with the layers held in the front month
    (hedge.roll_days 0, tenor_months 1; measured 2026-12-03) the review of 2015-07-21 removes L3 (+2 17C / -2 22C,
    expiry 2015-07-22, bid 0.00 on 2015-07-21: Market.quote): no fill closes it, layers.csv says so, its legs settle
    at the 2015-07-22 settlement (12.12: both 0), and the layers' pnl_usd (each rounded to the cent) still sum to the
    hedge group's P&L: the left layer's counts its settlement. Both engines trade the same. Since trial MRG33B (HIGH
    2, 2026-12-07) a layer whose close would bring nothing after fees is left too (LayerActions._closes_for_nothing):
    the cross-down of 2015-07-14 leaves L5 (+1 19C / -1 24C, expiry 2015-07-22), which main at 39dcb59 closed by
    selling the 19C at its bid 0.05 and buying back the 24C at its ask 0.05, $2.20 of fees (trades.csv, measured
    2026-12-07)."""
    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2016-03-31"},
                    hedge={"instrument": "vix_call_spread", "roll_days": 0, "tenor_months": 1})
    res, bt = (run_backtest(cfg, market, engine=e) for e in ("fast", "backtrader"))
    for a, b in ((res.trades, bt.trades), (res.layers, bt.layers), (res.daily, bt.daily)):
        pd.testing.assert_frame_equal(a, b)
    layers = res.layers.set_index("layer_id")
    left = layers[layers["exit_reason"].astype(str).str.endswith("+left_to_expire")]
    assert left.index.tolist() == [3, 5] and left.loc[3, "exit_reason"] == "review_fear_easing+left_to_expire"
    assert str(left.loc[3, "exit_date"])[:10] == "2015-07-21"
    assert (left.loc[5, "exit_reason"], str(left.loc[5, "exit_date"])[:10]) == ("macd_cross_down+left_to_expire",
                                                                               "2015-07-14")
    t = res.trades
    l3 = t[t["component"] == "hedge:L3"]
    assert (l3["qty"].abs() == 2).all() and (l3["reason"] != "review_fear_easing").all()  # opened, never closed
    zero = t[(t["kind"] == "vix_option") & (t["qty"] < 0) & (t["price"] == 0)]  # no call sold at 0: not by a
    assert zero.empty  # removal, nor by the restrike of 2015-06-15 (skipped: its new short call bid 0)
    assert "remove L3 (review_fear_easing+left_to_expire)" in res.signals_log.loc["2015-07-21", "actions"]
    assert layers["pnl_usd"].sum() == pytest.approx(res.daily["hedge_pnl_usd"].sum(), abs=0.005 * len(layers))


def test_a_roll_leaves_the_old_legs_of_a_vix_spread_whose_long_call_bids_0_to_expire(market):
    """Trial (2026-12-03): a roll sold the old spread's long call at its bid 0 (the embedded run with
    hedge.instrument = "vix_call_spread": 2 roll_out sells at 0.00 in trades.csv, L59 on 2016-07-13, L85 on
    2017-05-10). A roll now leaves such legs to expire as a removal does (strategies.layers.LayerActions._leave) and
    opens the new ones. Layers in the front month rolled 1 session before expiry (test_kernel.CASES' restrike case;
    measured 2026-12-03): on 2015-07-21 L1 and L2 roll, their 2015-07-22 calls bid 0.00 (Market.quote), and L3 is
    removed: no roll_out fill, only the roll_in ones; signals.csv names it; the left legs settle at the 2015-07-22
    settlement (12.12: all 0) and the layers' pnl_usd (each rounded to the cent) still sum to the hedge group's P&L.
    Both engines trade the same."""
    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2016-03-31"},
                    hedge={"instrument": "vix_call_spread", "tenor_months": 1, "roll_days": 1,
                           "placement": {"flat_extra_otm": 0.1}})
    res, bt = (run_backtest(cfg, market, engine=e) for e in ("fast", "backtrader"))
    for a, b in ((res.trades, bt.trades), (res.layers, bt.layers), (res.daily, bt.daily)):
        pd.testing.assert_frame_equal(a, b)
    t = res.trades
    day = t.loc["2015-07-21"]
    assert sorted(set(day["reason"])) == ["roll_in"] and set(day["component"]) == {"hedge:L1", "hedge:L2"}
    assert (day["symbol"].astype(str).str.contains("2015-08-19")).all()  # the new legs only
    assert t[(t["kind"] == "vix_option") & (t["qty"] < 0) & (t["price"] == 0)].empty  # no call sold at 0
    assert res.signals_log.loc["2015-07-21", "actions"] == ("roll L1 (roll_out+left_to_expire);roll L2 "
                                                           "(roll_out+left_to_expire);remove L3 "
                                                           "(review_fear_easing+left_to_expire)")
    layers = res.layers.set_index("layer_id")
    assert layers.loc[[1, 2], "rolls"].tolist() == [2, 2]  # the roll counts; the layers go on in August
    assert layers["pnl_usd"].sum() == pytest.approx(res.daily["hedge_pnl_usd"].sum(), abs=0.005 * len(layers))


def test_a_roll_refused_after_its_old_legs_were_left_says_so(market, refuse_orders):
    """Review: a roll refused for buying power after its old legs were left to expire wrote signals.csv
    "roll L1 (roll_out+left_to_expire) refused: closed (buying power)": nothing was closed. The scenario of
    test_a_roll_leaves_the_old_legs_... (layers roll on 2015-07-21, their calls bid 0.00, left) with every roll's
    buy refused (CapitalGuard.fit stubbed to 0 units for a roll; measured 2026-12-03: the earlier rolls dropped L1
    and L2, so the layer rolled that day is L3): the row names the drop and the left legs, layers.csv the same."""
    refuse_orders("roll L")
    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-07-31"},
                    hedge={"instrument": "vix_call_spread", "tenor_months": 1, "roll_days": 1,
                           "placement": {"flat_extra_otm": 0.1}})
    res = run_backtest(cfg, market, engine="fast")
    assert res.signals_log.loc["2015-07-21", "actions"].split(";")[0] == ("roll L3 refused: dropped, old legs left "
                                                                          "to expire (buying power)")
    assert res.layers.set_index("layer_id").loc[3, "exit_reason"] == "roll_out!buying_power+left_to_expire"


def test_a_flat_book_opens_the_closest_untraded_expiry_in_range(market) -> None:
    """README (*Condor and baselines*): ``entry = "dte"`` opens, whenever flat, an untraded standard monthly expiry
    in [min_dte, max_dte] closest to target_dte. Before: the entry took the closest expiry in range, traded or
    not, and stayed flat while it was traded (the trial's default run: stopped 2014-06-09, 2014-08-15 untraded and
    in range from 06-16 at 60 DTE, entry only on 06-18; 17 such sessions after 10 exits). Every session the book
    ends flat, but an exit's bar (a stop or DTE exit not rolled waits a session), no such expiry is left, or
    signals.csv ``condor_not_placed`` says why."""
    import datetime as dt

    import pandas as pd

    from strategies import condor as cc

    cfg = C.load_default()
    res = run_backtest(cfg, market, engine="fast")
    condors, log = res.condors, res.signals_log
    day_of = lambda x: dt.date.max if pd.isna(x) else pd.Timestamp(x).date()  # noqa: E731 (NaT: still open)
    entries = [day_of(d) for d in condors["entry_date"]]
    ends = [day_of(d) for d in condors["exit_date"]]
    expiries = [day_of(d) for d in condors["expiry"]]
    exits = set(ends)
    missed = log["condor_not_placed"].fillna("").astype(str)
    flat = []
    for stamp in log.index:
        day = stamp.date()
        if day in exits or any(a <= day < b for a, b in zip(entries, ends)):
            continue
        traded = {e for e, a in zip(expiries, entries) if a < day}
        if cc.dte_entry_expiry(day, cfg.condor, traded) is not None and not missed[stamp]:
            flat.append(day)
    assert entries and not flat, flat[:5]


def test_flattening_placement_counts_when_one_restrike_of_the_bar_moved_a_layer():
    """Trial MUT25 (T12): dropping ``flattening_placement`` from signals.csv ``rule_ids`` when *any* restrike of the
    bar was skipped (not *all*) survived. strategies.trader._acted's docstring (trial PX2): the rule is dropped only
    when every restrike was skipped or refused, so left the book as it was; one that moved a layer counts."""
    from strategies.book import Decision
    from strategies.trader import _acted

    d = Decision(actions=(RestrikeLayer(2, 0.1, "flattening_restrike"), RestrikeLayer(3, 0.1, "flattening_restrike")),
                 fired=("flattening_restrike",), acted=("flattening_placement",))
    moved = "restrike L2 otm=0.1 (flattening_restrike)"  # strategies.layers._restrike_layer's words
    skipped = "restrike L3 skipped: VIX 150415C25 would sell for 0 (flattening_restrike)"
    assert _acted(d, [moved, skipped]) == ["flattening_placement"]
    assert _acted(d, [skipped, "restrike L2 refused (flattening_restrike)"]) == []
