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
