"""metrics.json ``capital.min_excess_liquidity_date`` / ``_at``: where the lowest excess liquidity was measured
(trial ACC30, finding 1: ``min_excess_liquidity_usd`` read 669,407.79 while daily.csv's lowest
``excess_liquidity_usd`` was 672,963.62, with no margin call: the capital guard's check before 2018-04-17's trades,
when the book still carried the maintenance of a layer it closed that day). A check before a day's trades values the
book it opened with at the day's closing marks; the day's end differs by what its trades did: closing a VX layer
frees its maintenance ($5,000 a contract at the default CFE 2013 level, README *Margin model*) and costs the sale's
distance from the mark (trades.csv ``mid`` - ``price``, $1,000 a point) and its fees."""

from __future__ import annotations

import html

import pytest

from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge.run import run_backtest

from tests.vixhedge.capital_by_hand import needed_by_hand

VX_MAINTENANCE_USD = 5_000.0  # per contract, CFE's 2013 level (README *Margin model*; metrics.json
# capital.vx_moves_over_maintenance.worst.maintenance_usd reads it too)


def _check_by_hand(res, day: str) -> float:
    """The excess liquidity before ``day``'s trades from its end (daily.csv) and its fills (trades.csv): only VX
    sales closing a layer here (asserted), each giving back its maintenance."""
    fills = res.trades.loc[res.trades.index == day]
    assert len(fills) and (fills["kind"] == "vx_future").all() and (fills["qty"] < 0).all()
    given_up = ((fills["mid"] - fills["price"]) * -fills["qty"] * 1_000).sum()
    end = float(res.daily.loc[day, "excess_liquidity_usd"])
    return end - VX_MAINTENANCE_USD * float(-fills["qty"].sum()) + given_up + fills["fee_usd"].sum()


def test_the_lowest_excess_says_where_it_was_measured(short_run, tmp_path) -> None:
    """Embedded market, 2014-03-03 .. 2014-12-31: on 2014-10-21 the policy sold L17's 2 Dec VX (cross_down) at 17.10
    against a mark of 17.128969; its check before that trade is the day's end less the $10,000 of their
    maintenance, plus $57.94 given up against the mark and $4.50 of fees: below every day's end, with no margin
    call. short_run's (2015-06 .. 12) lowest is a day's end: daily.csv's lowest row."""
    from vixhedge.report import write_run

    cfg = C.replace(C.load_default(), run={"start": "2014-03-03", "end": "2014-12-31"})
    res = run_backtest(cfg, build_market(cfg.market))
    c = res.metrics["capital"]
    assert (c["min_excess_liquidity_date"], c["min_excess_liquidity_at"]) == ("2014-10-21", "check_before_trades")
    # (to half a cent: trades.csv's model mid has 6 decimals, 2 contracts x $1,000 a point)
    assert c["min_excess_liquidity_usd"] == pytest.approx(_check_by_hand(res, "2014-10-21"), abs=0.005)
    assert c["min_excess_liquidity_usd"] < res.daily["excess_liquidity_usd"].min() - 7_000
    assert c["days_with_margin_call"] == 0  # the capital needed: that lowest in dollars of the start (RS40 M1)
    assert c["capital_needed_usd"] == pytest.approx(needed_by_hand(res, build_market(cfg.market), 1e6), abs=1e-6)
    page = (write_run(res, tmp_path) / "report.html").read_text(encoding="utf-8")
    # (the date in a span that does not wrap: trial VIS35 L3)
    assert 'at <span class="nw">2014-10-21</span>' + html.escape("'s check before its trades") in page
    s = short_run.metrics["capital"]
    low = short_run.daily["excess_liquidity_usd"]
    assert (s["min_excess_liquidity_date"], s["min_excess_liquidity_at"]) == (str(low.idxmin())[:10], "day_end")
    assert s["min_excess_liquidity_usd"] == pytest.approx(low.min(), abs=1e-9)


@pytest.mark.realdata
def test_acc30s_lowest_excess_is_a_check_before_2018_04_17s_trades(shared_data) -> None:
    """Trial ACC30: `vixhedge run --data-dir ../shared/data --start 2017-06-01 --end 2018-06-30`: 669,407.79 on
    2018-04-17, before L23's 2 May VX were sold (at 16.35 against the settle's mark 16.375: $50, fees $4.50);
    daily.csv's lowest row 672,963.62 (2018-04-16); its own script rebuilt the check to $0.00."""
    cfg = C.replace(C.load_default(), run={"start": "2017-06-01", "end": "2018-06-30"},
                    market={"source": "directory", "data_dir": str(shared_data)})
    res = run_backtest(cfg, build_market(cfg.market))
    c = res.metrics["capital"]
    assert (c["min_excess_liquidity_date"], c["min_excess_liquidity_at"]) == ("2018-04-17", "check_before_trades")
    assert round(c["min_excess_liquidity_usd"], 2) == 669_407.79 and c["days_with_margin_call"] == 0
    assert c["min_excess_liquidity_usd"] == pytest.approx(_check_by_hand(res, "2018-04-17"), abs=1e-6)
    assert round(res.daily["excess_liquidity_usd"].min(), 2) == 672_963.62
    # 1,000,000 - 669,407.79 = 330,592.21 before its interest: $1 of 2017-06-01 had grown to 1.0112 by then (trial
    # RS40 M1), so 1,000,000 - 669,407.79 / 1.0112 = 337,986.55; by hand in tests/vixhedge/capital_by_hand.py
    assert round(c["capital_needed_usd"], 2) == 337_986.55
    assert c["capital_needed_usd"] == pytest.approx(needed_by_hand(res, build_market(cfg.market), 1e6), abs=1e-6)
