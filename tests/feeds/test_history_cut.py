"""A session missing in a data directory's files: the history is cut after it, and the run says so.

The directory is test_directory's (SPX and VIX on every session of 2018-01-02..04-30) with the VIX row of
2018-02-06 removed; every date below is counted on the exchange calendar (feeds.calendars).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from feeds import calendars
from feeds.datanotes import no_vol_indices_note
from feeds.market import build_market
from tests.feeds.test_directory import _write_dir
from vixhedge.core import config as C
from vixhedge.window import check_window

D = dt.date
GAP = D(2018, 2, 6)
AFTER = calendars.trading_days(D(2018, 2, 7), D(2018, 4, 30))  # the gap-free data after the gap
WARMUP = C.load_default().hedge.macd.warmup_bars  # 34: MACD(12,26,9) needs 26 + 9 - 1 bars


def _config(root: Path, start: dt.date) -> C.Config:
    return C.replace(C.load_default(), run={"start": start, "end": D(2018, 4, 30)},
                     market={"source": "directory", "data_dir": str(root)})


@pytest.fixture()
def root(tmp_path: Path) -> Path:
    root = _write_dir(tmp_path / "d")
    lines = (root / "vix.csv").read_text().splitlines()
    (root / "vix.csv").write_text("\n".join(x for x in lines if not x.startswith(f"{GAP:%m/%d/%Y}")) + "\n")
    return root


def test_a_run_over_the_gap_names_the_file_the_session_and_the_fix(root: Path) -> None:
    """The fresh-user trial was told `run.start/run.end ... is outside the data (...): choose dates inside it`."""
    cfg = _config(root, D(2018, 2, 1))
    market = build_market(cfg.market)
    assert market.data.cut == "vix.csv: VIX missing on 2018-02-06 (a session the SPX file has)"
    ok = AFTER[WARMUP].date()
    with pytest.raises(C.ConfigError) as err:
        check_window(cfg, market)
    assert str(err.value) == ("vix.csv: VIX missing on 2018-02-06 (a session the SPX file has): the gap lies inside "
                              f"the run 2018-02-01..2018-04-30: restore the row, or start the run on {ok} or later (the "
                              "data after the gap begin 2018-02-07)")
    with pytest.raises(C.ConfigError, match=f"the run {AFTER[WARMUP - 1].date()}..2018-04-30 with its {WARMUP} bars "
                                            "of MACD warm-up reaches before the gap"):  # the warm-up alone reaches it
        check_window(_config(root, AFTER[WARMUP - 1].date()), market)


@pytest.mark.parametrize("start, end, message", [
    # the trial: the gap in the window's last months was told "reaches before the gap ... start the run on <a day
    # after run.end> or later"; a run ending before the gap cannot run either (the market is the data after it)
    (D(2018, 1, 10), D(2018, 2, 5), "the run 2018-01-10..2018-02-05 ends before 2018-02-07, where the data after the "
                                    "gap begin (a run reads only the data after the latest gap): restore the row, or "
                                    "move the whole run after the gap: start it on {ok} or later"),
    # the window ends 2 sessions after the first start the warm-up allows: fewer than the 3 a run needs
    (D(2018, 2, 1), AFTER[WARMUP + 1].date(), "the gap lies inside the run 2018-02-01..{end}: restore the row, or move "
                                              "the whole run after the gap: start it on {ok} or later (the data after "
                                              "the gap begin 2018-02-07)"),
    # 2018-02-03 is a Saturday, the gap's Tuesday 02-06 follows the sessions of 02-05: inside the window
    (D(2018, 2, 3), D(2018, 4, 30), "the gap lies inside the run 2018-02-03..2018-04-30: restore the row, or start "
                                    "the run on {ok} or later (the data after the gap begin 2018-02-07)"),
], ids=["window-before-the-gap", "window-too-short-after-it", "weekend-start"])
def test_the_fix_never_starts_the_run_after_its_end(root: Path, start: dt.date, end: dt.date, message: str) -> None:
    cfg = _config(root, start)
    cfg = C.replace(cfg, run={"end": end})
    with pytest.raises(C.ConfigError) as err:
        check_window(cfg, build_market(cfg.market))
    assert str(err.value) == ("vix.csv: VIX missing on 2018-02-06 (a session the SPX file has): "
                              + message.format(ok=AFTER[WARMUP].date(), end=end))


def test_a_gap_before_the_run_is_noted_not_silent(root: Path, caplog) -> None:
    cfg = _config(root, AFTER[WARMUP].date())
    with caplog.at_level(logging.WARNING, logger="vixhedge.data"):
        check_window(cfg, build_market(cfg.market))
    assert (f"history cut: the data before 2018-02-07 are not used (vix.csv: VIX missing on 2018-02-06 (a session "
            f"the SPX file has)); the signals warm up from 2018-02-07, {WARMUP} sessions before run.start"
            ) in caplog.text


def test_no_gap_no_note(tmp_path: Path, caplog) -> None:
    cfg = _config(_write_dir(tmp_path / "d"), D(2018, 3, 1))
    market = build_market(cfg.market)
    with caplog.at_level(logging.WARNING, logger="vixhedge.data"):
        check_window(cfg, market)
    assert market.data.cut == "" and caplog.messages == [no_vol_indices_note()]  # (the fixture has no vol indices)


@pytest.mark.realdata
def test_the_trial_folder_without_vix_2019_03_12(shared_data: Path, tmp_path: Path) -> None:
    """../shared/data linked file by file, VIX_daily_1990_2026.csv copied without its 2019-03-12 row (the trial).

    2019-05-01 is the 35th session from 2019-03-13: 34 bars of MACD warm-up before it."""
    root = tmp_path / "data"
    root.mkdir()
    for entry in shared_data.iterdir():
        if entry.name != "cboe_volatility_indices":
            (root / entry.name).symlink_to(entry)
    (root / "cboe_volatility_indices").mkdir()
    for entry in (shared_data / "cboe_volatility_indices").iterdir():
        if entry.name != "VIX_daily_1990_2026.csv":
            (root / "cboe_volatility_indices" / entry.name).symlink_to(entry)
    lines = (shared_data / "cboe_volatility_indices" / "VIX_daily_1990_2026.csv").read_text().splitlines(keepends=True)
    (root / "cboe_volatility_indices" / "VIX_daily_1990_2026.csv").write_text(
        "".join(x for x in lines if not x.startswith("2019-03-12,")))
    cfg = C.replace(C.load_default(), run={"start": D(2019, 3, 1), "end": D(2019, 6, 28)},
                    market={"source": "directory", "data_dir": str(root)})
    with pytest.raises(C.ConfigError, match=r"^VIX_daily_1990_2026\.csv: VIX missing on 2019-03-12 \(a session the SPX "
                                            r"file has\): the gap lies inside the run 2019-03-01\.\.2019-06-28: "
                                            r"restore the row, or start the run on 2019-05-01 or later \(the data "
                                            r"after the gap begin 2019-03-13\)$"):
        check_window(cfg, build_market(cfg.market))


def test_rows_rejected_at_a_file_s_end_are_named_where_a_run_reaches_past_them(tmp_path: Path) -> None:
    """Trial DF26: VIX rows rejected at the file's end (high and low swapped) ended the data early with no word, and
    a run reaching past them was told `... is outside the data (...: 2018-01-02..2018-04-20): choose dates inside
    it`, steering the user to cut the window instead of fixing the rows. The market names where the data stop and
    why (MarketData.stop), the run's refusal names the rows and the fix, and `vixhedge data check` prints it."""
    from feeds.check import check

    root = _write_dir(tmp_path / "d")
    lines = (root / "vix.csv").read_text().splitlines()
    last = calendars.trading_days(D(2018, 4, 23), D(2018, 4, 30))  # the file's last 6 sessions: high below low
    swapped = {f"{d:%m/%d/%Y}" for d in last}
    for k, line in enumerate(lines):
        date, o, h, lo, c = line.split(",")
        if date in swapped:
            lines[k] = ",".join((date, o, lo, h, c))
    (root / "vix.csv").write_text("\n".join(lines) + "\n")
    cfg = C.replace(_config(root, D(2018, 3, 20)), run={"end": D(2018, 4, 30)})
    market = build_market(cfg.market)
    assert market.days[-1] == D(2018, 4, 20) and market.data.cut == ""
    assert market.data.stop.startswith("vix.csv: VIX missing on 2018-04-23, 2018-04-24, 2018-04-25, 2018-04-26, "
                                       "2018-04-27, 2018-04-30 (6 sessions) (sessions the SPX file has); 6 of those "
                                       "rows exist but were rejected: vix.csv, line ")
    with pytest.raises(C.ConfigError) as err:
        check_window(cfg, market)
    assert "is outside the data (" in str(err.value) and "..2018-04-20; they stop there: vix.csv: VIX missing on " \
        "2018-04-23" in str(err.value) and "high/low do not bracket open/close" in str(err.value)
    assert str(err.value).endswith("and 3 more): fix those rows, or choose dates inside 2018-01-02..2018-04-20")
    text = check(root)[0]
    assert "  sessions after 2018-04-20 not used: vix.csv: VIX missing on 2018-04-23" in text
    whole = _write_dir(tmp_path / "whole")  # the undamaged files: both end on 2018-04-30, nothing to say
    assert build_market(_config(whole, D(2018, 3, 20)).market).data.stop == ""


def test_a_file_that_simply_ends_earlier_is_named_with_the_rows_to_add(tmp_path: Path) -> None:
    """Review 26: a VIX file that simply ends before the SPX file (../shared/data: VIX to 2026-07-23, SPX to 08-21)
    was told "fix those rows" of rows that do not exist."""
    root = _write_dir(tmp_path / "d")
    lines = (root / "vix.csv").read_text().splitlines()
    (root / "vix.csv").write_text("\n".join(lines[:-6]) + "\n")  # the last 6 sessions, 2018-04-23..30, absent
    cfg = C.replace(_config(root, D(2018, 3, 20)), run={"end": D(2018, 4, 30)})
    with pytest.raises(C.ConfigError) as err:
        check_window(cfg, build_market(cfg.market))
    assert "; they stop there: vix.csv: VIX missing on 2018-04-23" in str(err.value)
    assert str(err.value).endswith("(sessions the SPX file has)): add the missing rows, or choose dates inside "
                                   "2018-01-02..2018-04-20")


def test_a_named_period_before_the_gap_is_not_covered(root: Path) -> None:
    """Trial IO31: a rejected 2018 VIX row made `compare --period all` stop on gfc (2008) with "... move the whole run
    after the gap: start it on ... or later", a fix --period refuses (its window is the period's), after counting gfc
    as covered. check_coverage now says such a period is not covered by the data a run reads, which begin after the
    gap (2018-02-07 here), and the only fix; a period after the gap is covered. Periods of this file's dates (the
    directory's VX settles begin 2018-02-01): 2018-02-02..05 with 1 session of warm-up, the gap the next session."""
    from feeds.directory import CoverageError, load_directory
    from feeds.periods import Period, check_coverage

    data = load_directory(root)
    before = Period("before", "t", D(2018, 2, 2), D(2018, 2, 5), "t", 1)
    with pytest.raises(CoverageError) as err:
        check_coverage(before, data)
    assert str(err.value) == (
        "named period 'before' (2018-02-02..2018-02-05 with warm-up from 2018-02-01) is not covered by the data a run "
        "reads, which begin 2018-02-07 after a gap (vix.csv: VIX missing on 2018-02-06 (a session the SPX file has); "
        "a run reads only the data after the latest gap): restore the rows (if a value is real, widen its limit in "
        "the data directory's plausibility.toml: README, Plausibility rules)")
    check_coverage(Period("after", "t", D(2018, 2, 20), D(2018, 3, 2), "t", 5), data)  # after the gap: covered
    with pytest.raises(CoverageError) as err:  # (MUT31 F4: a period over the gap lists the session, not the cut)
        check_coverage(Period("over", "t", D(2018, 2, 2), D(2018, 2, 9), "t", 1), data)
    assert str(err.value).endswith("is not covered by the data: VIX missing on 1 session(s) [2018-02-06]")
