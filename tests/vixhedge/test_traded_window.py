"""The window a command trades, said where it moved (trial RS33): a start or end that is not a session of the data
moves to the next / the last before it; run's and compare's banners say so, and compare's console and
comparison.json give the window traded (the folder had none)."""

from __future__ import annotations

import json

import pandas as pd

from vixhedge.cli import main


def test_a_weekend_start_and_a_holiday_end_are_said_in_the_banner(capsys, tmp_path) -> None:
    """2016-01-02 is a Saturday, 2016-07-04 Independence Day (XNYS closed): the run trades 2016-01-04..07-01 and its
    banner says both moved (it named the dates given: 'running 'default' 2016-01-02..2016-07-04')."""
    assert main(["run", "--start", "2016-01-02", "--end", "2016-07-04", "--runs-dir", str(tmp_path)]) == 0
    banner = next(ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("vixhedge: running"))
    assert banner == ("vixhedge: running 'default' 2016-01-04..2016-07-01 (run.start 2016-01-02 is not a session: the "
                      "window starts on the next; run.end 2016-07-04 is not a session: the window ends on the last "
                      "before), hedge alvh")
    assert main(["run", "--start", "2016-01-04", "--end", "2016-07-01", "--runs-dir", str(tmp_path)]) == 0
    assert "vixhedge: running 'default' 2016-01-04..2016-07-01, hedge alvh\n" in capsys.readouterr().err


def test_compare_prints_and_records_the_window_it_traded(capsys, tmp_path) -> None:
    """A Sunday start (2016-01-03): the banner says it moved; the console's first line and comparison.json give the
    window traded, its sessions counted by hand: the weekdays less NYSE's 2016 holidays in it (MLK Day 01-18,
    Washington's Birthday 02-15, Good Friday 03-25, Memorial Day 05-30; nyse.com holiday list)."""
    holidays = pd.to_datetime(["2016-01-18", "2016-02-15", "2016-03-25", "2016-05-30"])
    sessions = len(pd.bdate_range("2016-01-04", "2016-06-30").difference(holidays))
    assert sessions == 125
    argv = ["compare", "--start", "2016-01-03", "--end", "2016-06-30", "--n-boot", "100", "--runs-dir", str(tmp_path)]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    assert ("vixhedge: comparing none, static, alvh on 'default' 2016-01-04..2016-06-30 (run.start 2016-01-03 is not "
            "a session: the window starts on the next)\n") in err
    assert out.splitlines()[0] == "window 2016-01-04 .. 2016-06-30 (125 sessions), on one market path"
    (folder,) = tmp_path.glob("default-compare-*")
    record = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
    assert record["window"] == {"start": "2016-01-04", "end": "2016-06-30", "sessions": sessions}


def test_placebo_names_the_window_it_trades(capsys, tmp_path) -> None:
    """Review 29: placebo's banner named the dates given too; 2016-01-02 (a Saturday) trades from 2016-01-04."""
    argv = ["placebo", "--start", "2016-01-02", "--end", "2016-06-30", "--seeds", "19", "--workers", "1", "--out",
            str(tmp_path / "p")]
    assert main(argv) == 0
    assert ("vixhedge: placebo of alvh on 'default' 2016-01-04..2016-06-30 (run.start 2016-01-02 is not a session: "
            "the window starts on the next): the reference") in capsys.readouterr().err
