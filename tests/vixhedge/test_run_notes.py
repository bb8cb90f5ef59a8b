"""The sessions whose condor was not placed (trial CX, 2026-12-05): metrics.json ``condor_not_placed``, a run note and
report.html's Condor trades row (vixhedge/run_notes.py)."""

from __future__ import annotations

import logging

import pandas as pd

from vixhedge.api import load_default_config, replace_config, run_backtest, write_run
from vixhedge.run_notes import condor_not_placed, missed_sessions, missed_words


def _log(rows: dict[str, str]) -> pd.DataFrame:
    return pd.DataFrame({"condor_not_placed": list(rows.values())}, index=pd.to_datetime(list(rows)))


def test_counts_by_why_and_the_note_leaves_the_capital_refusals_to_their_own_notes():
    """Review 19: a run with 82 capital refusals and 14 strike misses printed "on 14 sessions ... (capital 82, strikes
    14)", its first a capital refusal, while the page counted 96. The note and the row count the 14, first the first
    strike miss; the capital refusals are named as noted apart."""
    m = condor_not_placed(_log({"2019-04-01": "capital: condor refuse 10->0 (max loss cap 0.015 x NAV)",
                                "2019-04-02": "", "2019-04-05": "strikes: no four strikes in order (A)",
                                "2019-04-08": "strikes: no four strikes in order (B)",
                                "2019-04-09": "capital: condor refuse 10->0 (C)"}))
    assert m == {"sessions": 4, "by_why": {"capital": 2, "strikes": 2},
                 "first": {"capital": {"date": "2019-04-01", "why": "condor refuse 10->0 (max loss cap 0.015 x NAV)"},
                           "strikes": {"date": "2019-04-05", "why": "no four strikes in order (A)"}}}
    assert missed_sessions(m) == 2
    assert missed_words(m) == (
        "on 2 sessions the entry rule asked for a condor and none was placed (strikes 2; the capital caps refused 2 "
        "more, noted apart; signals.csv condor_not_placed): no condor was open; the first: no four strikes in order "
        "(A)")
    capital_only = condor_not_placed(_log({"2019-04-01": "capital: condor refuse 10->0 (C)"}))
    assert missed_sessions(capital_only) == 0 and missed_words(capital_only) == ""
    assert condor_not_placed(_log({"2019-04-01": ""})) is None and missed_words(None) == ""


def test_pct_otm_shorts_with_delta_wings_say_how_often_the_condor_waited(caplog, tmp_path):
    """The README's pct_otm sentence: on the embedded default, % OTM shorts with wings by delta found no four strikes
    in order on 189 of 1218 sessions (49 condors against the default's 59), noted nowhere before: metrics.json,
    one note naming the wing and the fix, and the page's row."""
    cfg = replace_config(load_default_config(), condor={"strike_rule": "pct_otm"})
    with caplog.at_level(logging.WARNING, logger="vixhedge"):
        res = run_backtest(cfg)
    m = res.metrics["condor_not_placed"]
    assert m["by_why"] == {"strikes": 189} and res.metrics["counts"]["condors"] == 49
    assert m["first"]["strikes"]["date"] == "2016-04-14"
    notes = [r.getMessage() for r in caplog.records if "none was placed" in r.getMessage()]
    assert len(notes) == 1 and "the condor.wing_delta 0.05 wing is not beyond its short" in notes[0]
    assert "long call 2180" in notes[0] and "short call 2185" in notes[0]
    page = (write_run(res, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert "entry sessions with none placed</td><td>189</td>" in page


def test_the_first_missed_session_is_the_earliest_and_one_session_is_singular():
    """MUT28 rn4, rn5: "the first" of the note is the earliest session any why missed (by date, not the why's words:
    strikes on 2019-04-05 before size on 2019-06-03, though "no four..." sorts after "budget..."), and one session
    reads "1 session"."""
    m = condor_not_placed(_log({"2019-06-03": "size: budget 0.0 sizes no contract", "2019-04-05": "strikes: no four"}))
    assert missed_words(m).endswith("the first: no four")
    one = condor_not_placed(_log({"2019-04-05": "strikes: no four"}))
    assert missed_words(one).startswith("on 1 session the entry rule asked for a condor and none was placed (strikes ")


def test_a_run_without_a_condor_gets_no_missed_note(caplog, monkeypatch):
    """MUT28 rn2: note_run notes the missed sessions only when the run opened a condor ("none opened: the run's
    WARNING says why"); the entry rule's misses still go to metrics.json."""
    from types import SimpleNamespace

    from vixhedge import run_notes

    monkeypatch.setattr(run_notes, "_warn_no_layer", lambda result: None)
    monkeypatch.setattr(run_notes, "_note_unread", lambda result: None)
    for condors, notes in ((0, 0), (3, 1)):
        result = SimpleNamespace(metrics={"counts": {"condors": condors}},
                                 signals_log=_log({"2019-04-05": "strikes: no four strikes in order (A)"}))
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="vixhedge"):
            run_notes.note_run(result)
        assert result.metrics["condor_not_placed"]["sessions"] == 1
        assert len([r for r in caplog.records if "none was placed" in r.getMessage()]) == notes, condors


def test_the_summary_names_a_window_one_tenth_without_a_condor():
    """MUT28 rn6: no_condor_share_words' docstring: "at least NO_CONDOR_SHARE of the window's sessions" (0.10): 10
    of 100 sessions is named; 9 is not. NAV then: 900,000 of 1,000,000 = 90.0%."""
    from vixhedge.run_notes import no_condor_share_words

    nav = pd.Series(900_000.0, index=pd.bdate_range("2019-01-01", periods=100))
    missed = {"sessions": 10, "by_why": {"strikes": 10}, "first": {"strikes": {"date": "2019-01-10", "why": "x"}}}
    got = no_condor_share_words({"condor_not_placed": missed, "counts": {"days": 100}}, nav, 1_000_000.0)
    assert got == ("on 10 of 100 sessions (10.0%) the entry rule asked for a condor and none was placed (strikes 10; "
                   "signals.csv condor_not_placed); the first on 2019-01-10, NAV then 90.0% of the initial cash")
    missed["sessions"] = 9
    assert no_condor_share_words({"condor_not_placed": missed, "counts": {"days": 100}}, nav, 1_000_000.0) == ""
