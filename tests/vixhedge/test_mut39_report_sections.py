"""MUT39 probes: the run page's "capital needed" row (vixhedge/report_sections.py capital, capital_needed_rows).

* mutant RS1 (``capital`` calling ``capital_needed_rows(c)`` without the run's ruin) passed every test: a ruined run's
  page row read as any other's, the RS40 L4 finding back; tests/vixhedge/test_sweep_capital.py passes ``ruined=True``
  to capital_needed_rows alone.
* mutant RS6 (the row naming ``min_excess_liquidity_date`` where ``capital_needed_date`` sets the figure) passed: the
  RD39 M2 finding back (the lowest as measured was the first day's; another day set the capital needed).
* mutant RS5 (the ruin's words over the margin calls' where a ruined run also met calls) passed.
"""

from __future__ import annotations

import datetime as dt
import html

import pytest

from tests.vixhedge import test_ruin
from vixhedge.core import config as C
from vixhedge.report_sections import capital, capital_needed_rows

# trial RD39 M2's book (commit 87bedc3's message): a $20M book whose lowest excess as measured was its first day's
# $19,896,306 while 2022-05-04's $20,927,505 over a growth of 1.12279 set its capital needed of $1,361,231
ROW = {"capital_needed_usd": 1361231.0, "min_excess_liquidity_usd": 19896306.0, "peak_margin_usd": 1.0,
       "peak_margin_per_condor_usd": 1.0, "min_excess_liquidity_date": "2007-01-03", "min_excess_liquidity_at": "end",
       "capital_needed_date": "2022-05-04", "capital_needed_growth": 1.12279}


def test_the_row_names_the_day_that_sets_the_capital_needed_not_the_lowest_as_measured() -> None:
    words = capital_needed_rows({**ROW, "days_with_margin_call": 0})[1][2]
    assert "; set by 2022-05-04's, over 1.1228;" in words, words  # (num(..., 4): 1.12279 -> 1.1228)
    assert "set by 2007-01-03" not in words


def test_a_ruined_run_that_met_margin_calls_says_the_calls_lower_bound() -> None:
    # capital_needed_rows: the calls' words where days_with_margin_call is set, the ruin's "if ruined" else
    words = capital_needed_rows({**ROW, "days_with_margin_call": 3}, ruined=True)[1][2]
    assert "a lower bound here: the margin calls' closes are part of this path" in words, words


@pytest.fixture
def ruined(monkeypatch):
    """tests/vixhedge/test_ruin.py's ruin_hedged: an account holding hedge layers drained from 2015-09-01 on."""
    test_ruin.ruin_hedged.__wrapped__(monkeypatch)


def test_a_ruined_runs_page_row_says_its_capital_needed_is_a_lower_bound(ruined) -> None:
    from feeds.market import build_market
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run=test_ruin.WINDOW)
    res = run_backtest(cfg, build_market(cfg.market), engine="fast")
    assert res.metrics["ruin"] and res.metrics["ruin"]["date"] >= dt.date(2015, 9, 1).isoformat()  # (test_ruin.py)
    page = capital(res.metrics)
    if res.metrics["capital"]["days_with_margin_call"]:
        assert html.escape("a lower bound here: the margin calls' closes") in page
    else:  # (the page escapes the apostrophe)
        assert html.escape("a lower bound here: its ruin's liquidation is part of this path (trial RS40 L4)") in page
