"""Tests for feeds.periods: the named stress periods, their warm-up and the coverage check.

Anchor dates: MARKET_RULES.md, "Stress episodes researchers replay".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from feeds import calendars
from feeds.directory import CoverageError, load_directory
from feeds.periods import PERIODS, Period, check_coverage, get_period
from tests.feeds.test_directory import _write_dir

D = dt.date

ANCHORS = {  # a day each window must contain
    "gfc": D(2008, 11, 20), "flash-crash": D(2010, 5, 6), "us-downgrade": D(2011, 8, 8),
    "china-deval": D(2015, 8, 24), "volmageddon": D(2018, 2, 5), "q4-2018": D(2018, 12, 24),
    "covid": D(2020, 3, 16), "bear-2022": D(2022, 10, 12), "yen-carry": D(2024, 8, 5),
}


def test_every_issue_period_is_a_preset() -> None:
    assert sorted(PERIODS) == sorted(ANCHORS)
    for name, day in ANCHORS.items():
        p = get_period(name)
        assert p.start <= day <= p.end and calendars.is_trading_day(day), name
        assert str(day) in p.anchors or name in ("gfc", "us-downgrade", "q4-2018")
    with pytest.raises(KeyError, match=r"unknown period 'dotcom': use one of \['bear-2022'"):
        get_period("dotcom")


@pytest.mark.parametrize("name", sorted(ANCHORS))
def test_warmup_counts_sessions_before_the_window(name: str) -> None:
    p = PERIODS[name]
    first = p.sessions()[0].date()
    start = p.history_start()
    assert len(calendars.trading_days(start, first)) - 1 == p.warmup_sessions == 60
    assert len(calendars.trading_days(p.history_start(34), first)) - 1 == 34


def test_embedded_market_covers_only_2014_2018_presets() -> None:
    for name in ("china-deval", "volmageddon", "q4-2018"):
        check_coverage(PERIODS[name], None)
    with pytest.raises(CoverageError, match=r"named period 'covid' \(2020-02-01\.\.2020-04-30 with warm-up from "
                                            r"2019-11-05\) is not covered by the data: SPX/VIX \(embedded 2014-2018\) "
                                            r"missing on 122 session\(s\) \[2019-11-05, .*--data-dir"):
        check_coverage(PERIODS["covid"], None)


def test_coverage_names_missing_vx_and_index_dates(tmp_path: Path) -> None:
    data = load_directory(_write_dir(tmp_path / "d"))  # VX files from 2018-02-01; VXH18 lacks 2018-03-07
    march = Period("march", "test", D(2018, 3, 1), D(2018, 3, 30), "", warmup_sessions=10)
    with pytest.raises(CoverageError, match=r"VX \(real settle of the 1st and 2nd monthly contract\) missing on 1 "
                                            r"session\(s\) \[2018-03-07\]"):
        check_coverage(march, data)
    check_coverage(Period("feb", "test", D(2018, 2, 15), D(2018, 3, 6), "", warmup_sessions=5), data)
    early = Period("jan", "test", D(2018, 1, 25), D(2018, 2, 9), "", warmup_sessions=5)
    with pytest.raises(CoverageError, match=r"missing on 10 session\(s\) \[2018-01-18, 2018-01-19, 2018-01-22"):
        check_coverage(early, data)
    late = Period("may", "test", D(2018, 4, 20), D(2018, 5, 4), "", warmup_sessions=5)
    with pytest.raises(CoverageError, match=r"SPX missing on 4 session\(s\) \[2018-05-01, .*VIX missing on 4"):
        check_coverage(late, data)
