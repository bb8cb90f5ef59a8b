"""A placebo of a short window says so, as a run and a comparison do (trial FUZZ37 L2, 2026-12-07: `vixhedge placebo`
on 5 or 10 sessions gave its verdict with no caveat). The words are vixhedge.caveats.window_caveats' (a run's)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from vixhedge.caveats import window_caveats
from vixhedge.placebo_notes import window_lines


def _p(start, end):
    return SimpleNamespace(config=SimpleNamespace(run=SimpleNamespace(start=start, end=end)))


def test_a_short_placebo_window_is_said_and_a_long_one_is_not():
    """2015-08-17..2015-08-28: 10 NYSE sessions (two weeks, no holiday): both caveats (under 60 sessions, under a
    year); 2015-01-02..2016-06-30: 376 sessions: none."""
    lines = window_lines(_p(dt.date(2015, 8, 17), dt.date(2015, 8, 28)))
    assert lines == [("window", w) for w in window_caveats(10)] and len(lines) == 2
    assert lines[0][1].startswith("only 10 sessions: the annualised figures")
    assert window_lines(_p(dt.date(2015, 1, 2), dt.date(2016, 6, 30))) == []
