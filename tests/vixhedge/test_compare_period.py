"""`vixhedge compare --period NAME`: the hedge modes on a named stress period, as `vixhedge replay NAME` runs it.

Fresh-user trial (2026-12-03, finding 3): there was no documented way to compare hedge modes on a named period.
"""

from __future__ import annotations

import json

import pytest

from vixhedge.cli import main


def _nav(folder) -> float:
    return json.loads((folder / "metrics.json").read_text())["performance"]["end_nav_usd"]


def test_compare_on_a_period_is_the_replay_s_window_and_warm_up(tmp_path, capsys) -> None:
    """china-deval on the embedded market: the alvh mode's run is the replay's (same window, same 92 sessions of
    warm-up history: the same final NAV), and the folder is named after the period."""
    assert main(["replay", "china-deval", "-q", "--runs-dir", str(tmp_path / "replay")]) == 0
    (replayed,) = (tmp_path / "replay").iterdir()
    assert main(["compare", "--period", "china-deval", "--modes", "none,alvh", "--n-boot", "100", "-q",
                 "--runs-dir", str(tmp_path / "cmp")]) == 0
    (folder,) = (tmp_path / "cmp").iterdir()
    assert folder.name.startswith("replay-china-deval-compare-")
    cfg = (folder / "config.toml").read_text()
    assert "start = 2015-08-03" in cfg and "end = 2015-08-31" in cfg and "history_start = 2015-03-23" in cfg
    assert "history_start = 2015-03-23" in (replayed / "config.toml").read_text()  # 92 sessions before the window
    table = (folder / "comparison.csv").read_text().splitlines()
    nav = next(r for r in table if r.startswith("end_nav_usd,")).split(",")
    assert float(nav[2]) == pytest.approx(_nav(replayed), abs=1e-6)  # columns: none, alvh


@pytest.mark.parametrize("argv, message", [
    (["--period", "covid", "--start", "2015-01-02"],
     "--period covid sets the window: drop --start (or drop --period to compare on a window of your own)"),
    # review finding 1: a --start/--end after the default config's run.end (2018-12-31) was refused for the window
    # it made ("--start 2020-01-01 is not before run.end") before the --period conflict was checked
    (["--period", "covid", "--start", "2020-01-01", "--data-dir", "."],
     "--period covid sets the window: drop --start (or drop --period to compare on a window of your own)"),
    (["--period", "covid", "--end", "2021-01-01", "--data-dir", "."],
     "--period covid sets the window: drop --end (or drop --period to compare on a window of your own)"),
    (["--period", "covid", "--start", "2020-01-01", "--end", "2021-01-01"],
     "--period covid sets the window: drop --start/--end (or drop --period to compare on a window of your own)"),
    (["--period", "volmageddon"],
     "--period volmageddon = 2018-02-01..2018-02-28 holds 19 sessions: compare's paired bootstrap needs at least "
     "20: give a wider window with --start/--end instead (`vixhedge replay` runs the period itself)"),
    (["--period", "covid"],  # the embedded market holds 2014-2018: replay's coverage error, one line
     "named period 'covid' (2020-02-01..2020-04-30 with warm-up from 2019-09-20) is not covered by the data"),
])
def test_a_period_compare_cannot_run_is_one_line(tmp_path, capsys, monkeypatch, argv, message) -> None:
    monkeypatch.delenv("VIXHEDGE_DATA_DIR", raising=False)
    assert main(["compare", *argv, "--runs-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and message in err[0]
    assert list(tmp_path.iterdir()) == []


def test_an_unknown_period_names_the_choices(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["compare", "--period", "dotcom"])
    assert "argument --period: invalid choice: 'dotcom' (choose from 'bear-2022', 'china-deval'" in capsys.readouterr().err
