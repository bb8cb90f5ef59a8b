"""Probe of MUT38 (placebo_notes.py survivor PN1): notes(), the lines the summary and the page print
(placebo.py:383, placebo_page.py:40), hold a short window's caveats (notes' docstring "a short window"; FUZZ37 L2).
The window and its 10 sessions are test_placebo_window's; the condor and option lines stubbed out."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from vixhedge import placebo_notes
from vixhedge.caveats import window_caveats


def test_pn1_the_notes_say_a_short_window(monkeypatch):
    monkeypatch.setattr(placebo_notes, "condor_lines", lambda p: [])
    monkeypatch.setattr(placebo_notes, "option_lines", lambda p: [])
    p = SimpleNamespace(prices={}, config=SimpleNamespace(run=SimpleNamespace(start=dt.date(2015, 8, 17),
                                                                               end=dt.date(2015, 8, 28))))
    assert placebo_notes.notes(p) == [("window", w) for w in window_caveats(10)]
