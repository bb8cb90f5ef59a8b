"""A sweep point's run (Trader ``journal=False``, Desk without components) trades exactly like a full run.

:func:`vixhedge.run.daily_book` skips the decision log, the capital rows and the layer log; the NAV and
P&L by group it returns must equal, bit for bit, the first columns of ``RunResult.daily`` of the same
config, and its layer count ``metrics.json`` ``counts.hedge_layers``, for every policy, instrument,
margin mode and breach rule (a point with margin calls included).
"""

import pytest

from feeds.market import build_market
from strategies.book import RemoveLayer, RestrikeLayer, RollLayer
from vixhedge.core import config as C
from vixhedge.run import daily_book, run_backtest

WINDOW = {"start": "2015-03-02", "end": "2016-06-30"}  # Aug 2015 spike, Jan-Feb 2016 sell-off (test_engines.py)
COLUMNS = ("nav_usd", "condor_value_usd", "hedge_value_usd", "fees_value_usd", "interest_value_usd",
           "condor_pnl_usd", "hedge_pnl_usd", "fees_pnl_usd", "interest_pnl_usd", "total_pnl_usd")


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
    assert list(book.columns) == list(COLUMNS)
    for col in COLUMNS:
        assert book[col].to_numpy().tobytes() == full.daily[col].to_numpy().tobytes(), col
    assert [d.isoformat() for d in book.index] == [d.date().isoformat() for d in full.daily.index]
    assert layers == full.metrics["counts"]["hedge_layers"]
    assert book.attrs["ruin"] == full.metrics["ruin"]


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
