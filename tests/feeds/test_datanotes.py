"""feeds.datanotes: which rejected rows a run is told about, dated by their loaders, and the one bound of reach.

The markets here are stand-ins holding only what the notes read (days, rejected rows, the data's source and cut);
the days are the exchange sessions from 2017-01-03 (feeds.calendars). Notes on real files: tests/feeds/
test_directory.py.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from feeds import calendars
from feeds.datanotes import REACH_BARS, Rejected, as_rejected, check_rates, window_notes
from feeds.loaders import BadRow
from feeds.loaders.rates import load_fred_csv
from feeds.marketdata import DataError

DAYS = [d.date() for d in calendars.trading_days(dt.date(2017, 1, 3), dt.date(2019, 12, 31))]
I0 = REACH_BARS + 40  # run.start's index: REACH_BARS sessions of reach and some more before it


def _market(rejected=(), cut: str = "", spx_open=None) -> SimpleNamespace:
    close = 2000.0 + np.arange(len(DAYS), dtype=float)  # every open 0.5 above the previous close: none stale
    opens = np.r_[close[0], close[:-1] + 0.5] if spx_open is None else spx_open
    return SimpleNamespace(days=DAYS, rejected=tuple(rejected), vx_panel=None, notes_logged=set(), vol_indices={},
                           data=SimpleNamespace(source="directory:/d", cut=cut, spx_open=opens, spx_close=close,
                                                frozen=()))


@pytest.mark.parametrize("back, noted", [(REACH_BARS, True), (REACH_BARS + 1, False)], ids=["at-reach", "beyond"])
def test_a_rejected_row_is_noted_within_reach_sessions_before_the_run(back: int, noted: bool) -> None:
    row = BadRow("vix.csv", 7, "not an exchange session (XNYS); not used", DAYS[I0 - back])
    notes, record = window_notes(_market([Rejected("VIX", row)]), DAYS[I0], DAYS[I0 + 20])
    assert bool(notes) is noted and ("data_rejected_rows" in record) is noted
    if noted:
        assert notes[0].startswith(f"VIX files: 1 row dated {DAYS[I0 - back]}, before the run ")


def test_rows_keep_their_loaders_date_and_are_grouped_by_file() -> None:
    """The date is the loader's (BadRow.day): as_rejected is given no file to read again."""
    rows = [BadRow("a.csv", 3, "x", DAYS[1]), BadRow("b.csv", 2, "y", DAYS[0]), BadRow("a.csv", 9, "z", DAYS[2])]
    got = as_rejected("VX", rows)
    assert [(r.family, r.row.file, r.row.line, r.day) for r in got] == [
        ("VX", "a.csv", 3, DAYS[1]), ("VX", "a.csv", 9, DAYS[2]), ("VX", "b.csv", 2, DAYS[0])]


@pytest.mark.parametrize("extra, noted", [(-1, True), (0, False)], ids=["within", "at-reach"])
def test_a_history_cut_is_noted_within_the_same_reach(extra: int, noted: bool, caplog) -> None:
    """vixhedge.run notes a cut fewer than REACH_BARS sessions (plus the warm-up) before run.start: the bound of
    feeds.datanotes, defined there once."""
    from vixhedge.window import _check_cut

    need = 34  # MACD(12,26,9) warm-up bars (vixhedge.core.config.hedge: 26 + 9 - 1)
    start = DAYS[REACH_BARS + need + extra]
    with caplog.at_level(logging.WARNING, logger="vixhedge.data"):
        _check_cut(_market(cut="vix.csv: VIX missing on 2016-12-30"), start, DAYS[-1], need)
    assert ("history cut:" in caplog.text) is noted


def test_an_am_settlement_on_a_stale_spx_open_is_noted_for_the_expiries_the_run_settled_on() -> None:
    """A fresh-user trial: ../shared/data's SPX open repeats the previous close on 85+ monthly expiries since 2000
    (e.g. 2007-03-16, 2012-10-19): AM-settled condors settled on it with no note; then the note named every stale
    expiry of the window, settled on or not, in manifest.json only. Here the opens of two of the window's monthly
    expiries (third Fridays 2018-03-16 and 2018-05-18, feeds.calendars) are set to the previous close and the run
    settled options on 2018-03-16 and 2018-04-20 (a real open): the note names 2018-03-16 only, and goes with the
    data provenance (the console summary's and report.html's data line), not the pre-run window notes."""
    from feeds.provenance import data_provenance
    from feeds.staleopen import stale_expiry_note

    close = 2000.0 + np.arange(len(DAYS), dtype=float)
    opens = np.r_[close[0], close[:-1] + 0.5]
    for d in (dt.date(2018, 3, 16), dt.date(2018, 5, 18)):
        opens[DAYS.index(d)] = close[DAYS.index(d) - 1]
    start, end = dt.date(2018, 1, 2), dt.date(2018, 6, 29)
    market = _market(spx_open=opens)
    settled = {dt.date(2018, 3, 16), dt.date(2018, 4, 20)}
    note = stale_expiry_note(market, start, end, settled)
    assert note.startswith("SPX file: 1 SPX monthly expiry this run's SPX options settled on (2018-01-02..2018-06-29) "
                           "opens on the previous session's close (a stale open")
    assert "2018-03-16;" in note and "2018-05-18" not in note and "2018-04-20" not in note
    assert "5.4 bp on average" in note  # feeds.staleopen.PROXY_ERROR, measured on ../shared/data
    assert stale_expiry_note(market, start, end, {dt.date(2018, 4, 20)}) == ""  # settled on real opens only
    assert window_notes(market, start, end) == ([], {})  # known after the run only
    market.vx = SimpleNamespace(origin=None)
    i0, i1 = DAYS.index(start), DAYS.index(end)
    market.rate_source, market.data.source = {"rates": "x"}, "synthetic"
    assert data_provenance(market, (), i0, i1, settled)["notes"] == [note]


def test_a_run_refuses_a_window_the_rate_file_does_not_cover(tmp_path: Path) -> None:
    """A fresh-user trial: a DFF file cut at 2021-12-31 priced a 2022-06..2023-05 run at 0.07% (DFF was 1.21..4.83%,
    feeds/calibration/short_rate_monthly.csv) with no note. Here a file of 2014 and a run into 2015."""
    path = tmp_path / "DFF.csv"
    days_2014 = pd.date_range("2014-01-01", "2014-12-31")
    path.write_text("date,value\n" + "".join(f"{d.date()},0.09\n" for d in days_2014))
    s = load_fred_csv(path)
    days = [d.date() for d in calendars.trading_days(dt.date(2014, 6, 2), dt.date(2015, 3, 31))]
    market = SimpleNamespace(rate_series=s, days=days)
    check_rates(market, dt.date(2014, 6, 2), dt.date(2014, 12, 31))  # covered: nothing raised
    # 2015-01-22: the 16th business day after 2014-12-31 (feeds.loaders.rates.MAX_STALE_BUSDAYS = 15 are carried)
    with pytest.raises(DataError, match=r"DFF\.csv: the short rates do not cover the run 2014-06-02\.\.2015-03-31: "
                                        r"the sessions 2015-01-22\.\.2015-03-31 have no value in the 15 business "
                                        r"days before them \(the file holds 2014-01-01\.\.2014-12-31; .*"
                                        r"fill the file's gap or replace \S+DFF\.csv with a file that reaches further \(`vixhedge data fetch "
                                        r"--cache DIR` downloads FRED's daily DFF to DIR/rates/DFF\.csv"):
        check_rates(market, dt.date(2014, 6, 2), dt.date(2015, 3, 31))
    assert check_rates(SimpleNamespace(rate_series=None, days=days), days[0], days[-1]) is None  # shipped series


def test_a_run_that_starts_before_and_ends_after_the_real_vx_settles_is_told_both() -> None:
    """Trial finding 1: a run 2000-02-22..2026-07-23 on VX files 2004-03-26..2025-03-19 was told only where they end
    (the start check came after a return). Here the stand-in's VX span lies inside the window: both notes."""
    market = _market()
    market.vx_panel = SimpleNamespace(span=(DAYS[I0 + 5], DAYS[I0 + 10]), trade_days=frozenset(DAYS[I0 + 5:I0 + 11]))
    notes, record = window_notes(market, DAYS[I0], DAYS[I0 + 20])
    vx = [n for n in notes if n.startswith("VX files:")]
    assert len(vx) == 2 and record["data_notes"] == notes
    assert vx[0].startswith(f"VX files: the real VX settles end on {DAYS[I0 + 10]}, inside the run")
    assert vx[1].startswith(f"VX files: the real VX settles start on {DAYS[I0 + 5]}, inside the run")


def test_sessions_without_any_real_vx_settle_inside_the_run_are_named() -> None:
    """Trial H: a week with no VX rows inside the run was told only as "1% anchored" in the data line. Settles on
    sessions I0-10..I0+30 but for I0+12..I0+14: the run I0..I0+20 is told those three sessions."""
    market = _market()
    held = [d for k, d in enumerate(DAYS[I0 - 10:I0 + 31], I0 - 10) if not I0 + 12 <= k <= I0 + 14]
    market.vx_panel = SimpleNamespace(span=(held[0], held[-1]), trade_days=frozenset(held))
    vx = [n for n in window_notes(market, DAYS[I0], DAYS[I0 + 20])[0] if n.startswith("VX files:")]
    assert vx == [f"VX files: no real VX settle on 3 session(s) inside the run {DAYS[I0]}..{DAYS[I0 + 20]} "
                  f"[{DAYS[I0 + 12]}, {DAYS[I0 + 13]}, {DAYS[I0 + 14]}]: every VX price of those days is the model's "
                  "moved from each contract's last real settle (counted as 'anchored on real' in the data line): add "
                  "the VX files' rows of those days"]


@pytest.mark.parametrize("start, named", [
    (dt.date(2000, 2, 22), ["VX futures on 2004-03-26", "VIX options on 2006-02-24"]),
    (dt.date(2005, 1, 3), ["VIX options on 2006-02-24"]),
    (dt.date(2006, 2, 24), [])], ids=["before-both", "before-vix-options", "after-both"])
def test_a_run_that_starts_before_the_hedge_instruments_were_listed_is_told(start: dt.date, named: list) -> None:
    """Trial finding 1: VX futures were first listed on 2004-03-26 (MARKET_RULES.md), VIX options on 2006-02-24: a
    hedge fill before is on a contract that did not exist. No note for a synthetic path (its dates are no market's)."""
    from feeds.datanotes import listing_note

    note = listing_note(start, dt.date(2026, 7, 23))
    assert all(n in note for n in named) and bool(note) is bool(named)
    if named:
        assert "contract that did not exist" in note
        assert note.endswith("start the run on " + " or ".join(f"{n[-10:]} or later ({n[:-14]})" for n in named))
    days = [d.date() for d in calendars.trading_days(dt.date(1999, 1, 4), dt.date(2001, 12, 31))]
    for source, noted in (("directory:/d", True), ("synthetic(seed=1)", False)):
        market = SimpleNamespace(days=days, rejected=(), vx_panel=None, vol_indices={},
                                 data=SimpleNamespace(source=source, cut="", frozen=()))
        notes, _ = window_notes(market, dt.date(2000, 2, 22), dt.date(2001, 6, 29))
        assert any(n.startswith("listing: the run 2000-02-22..2001-06-29 begins before VX futures") for n in notes) \
            is noted


def test_fills_before_the_listing_are_counted_in_the_data_line() -> None:
    """Trial finding 1: 289 VX fills 2000-02-22..2004-03-25, every one modelled, were never called what they are."""
    from feeds.provenance import unlisted_fills, unlisted_note
    from vixhedge.core.instruments import Kind

    vx, opt = SimpleNamespace(kind=Kind.VX_FUTURE), SimpleNamespace(kind=Kind.VIX_OPTION)
    fills = [SimpleNamespace(date=d, contract=c) for d, c in (
        (dt.date(2003, 5, 1), vx), (dt.date(2004, 3, 25), vx), (dt.date(2004, 3, 26), vx),
        (dt.date(2006, 2, 23), opt), (dt.date(2006, 2, 24), opt))]
    market = SimpleNamespace(data=SimpleNamespace(source="directory:/d"))
    got = unlisted_fills(market, fills)
    assert got == {"vx_future": {"fills": 2, "first": "2003-05-01", "last": "2004-03-25", "listed": "2004-03-26"},
                   "vix_option": {"fills": 1, "first": "2006-02-23", "last": "2006-02-23", "listed": "2006-02-24"}}
    note = unlisted_note(got)
    assert note.startswith("Contracts that did not exist: 2 VX future fills dated 2003-05-01..2004-03-25, before VX "
                           "futures were first listed on 2004-03-26 (the CFE's launch, MARKET_RULES.md); 1 VIX option "
                           "fill dated 2006-02-23, before VIX options were first listed on 2006-02-24")
    assert unlisted_fills(SimpleNamespace(data=SimpleNamespace(source="synthetic(seed=1)")), fills) == {}
    assert unlisted_note({}) == ""
