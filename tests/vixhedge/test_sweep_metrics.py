"""vixhedge.sweep_metrics: a point's result row from its daily arrays (the in-sample / out-of-sample sides against
the metrics of each side computed apart)."""

from __future__ import annotations

import datetime as dt
import math
import statistics

import numpy as np
import pytest

from analyzers import metrics as M
from feeds.market import build_market
from vixhedge import sweep_metrics
from vixhedge.core import config as C


def test_the_in_sample_sharpe_is_over_the_cash_returns_of_its_own_steps():
    """Trial MUT24 sw01 (``rf[:len(r)]`` -> ``rf[-len(r):]`` survived): each side's Sharpe pairs the NAV return of
    a step with the cash return of the same step. The risk-free returns come one per step of the whole window; the
    in-sample side (its NAV to in_sample_end, one return fewer than its days) takes the first of them: the mutant
    took them one step late (the 3-day weekend steps and Good Friday's 4-day step paired with the wrong returns).
    Expected by hand: per step the overnight rate of its first day (the market's DFF, Market.night_rate) x the
    calendar days to the next session / 365 (ACT/365, README *Conventions*), then analyzers.metrics.sharpe of the
    side's daily returns over those, and the textbook mean / sd (ddof 1) x sqrt(252) of the excess with statistics.
    2018-03-01 .. 04-13 (31 sessions, overnight rates 1.42% - 1.51%), split after 2018-03-23."""
    market = build_market(C.MarketConfig())
    a = C.load_default().analysis  # risk_free = "cash", 252 periods
    dates = [d for d in market.days if dt.date(2018, 3, 1) <= d <= dt.date(2018, 4, 13)]
    days = np.array(dates, dtype="datetime64[D]")
    n, cut = len(dates), sum(d <= dt.date(2018, 3, 23) for d in dates)
    k = np.arange(n)
    nav = 1e6 * np.cumprod(1.0 + 0.0002 + 0.001 * np.sin(k))  # a made-up NAV path
    zeros = np.zeros(n)
    row = sweep_metrics.metrics_row(nav, zeros, zeros, days, 0, a, dt.date(2018, 3, 23), market,
                                    margin=zeros, capped=zeros.astype(bool), called=zeros.astype(bool),
                                    excess=zeros, cash=1e6, causes=[zeros] * 4)
    cash = [market.night_rate(d0) * (d1 - d0).days / 365.0 for d0, d1 in zip(dates[:-1], dates[1:])]
    assert max(cash) > 3 * min(cash) > 0  # weekends and Good Friday: the steps' cash returns differ
    r_is = nav[1:cut] / nav[:cut - 1] - 1.0
    expected = M.sharpe(r_is, np.array(cash[:cut - 1]), 252)
    excess = [x - c for x, c in zip(r_is, cash[:cut - 1])]
    assert expected == pytest.approx(statistics.mean(excess) / statistics.stdev(excess) * math.sqrt(252), rel=1e-12)
    assert row["is_sharpe"] == pytest.approx(expected, rel=1e-12)
    r_oos = nav[cut:] / nav[cut - 1:-1] - 1.0  # from the last in-sample close on
    assert row["oos_sharpe"] == pytest.approx(M.sharpe(r_oos, np.array(cash[cut - 1:]), 252), rel=1e-12)
    assert row["sharpe"] == pytest.approx(M.sharpe(nav[1:] / nav[:-1] - 1.0, np.array(cash), 252), rel=1e-12)
