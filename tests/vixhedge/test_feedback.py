"""Feedback on long work: progress bars (TTY-aware, --quiet), notes once outside them, presets by name, a missing
dask named before any work, a fast --help."""

from __future__ import annotations

import logging
import subprocess
import sys
import time

import pytest

from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge.cli import main
from vixhedge.run import run_backtest
from vixhedge.window import check_window

SHORT = {"start": "2016-01-04", "end": "2016-03-31"}


@pytest.mark.parametrize("engine", ["backtrader", "fast"])
def test_on_day_is_called_once_per_trading_day(engine):
    cfg = C.replace(C.load_default(), run=SHORT)
    market = build_market(cfg.market)
    i0, i1 = check_window(cfg, market)
    calls = []
    res = run_backtest(cfg, market, engine=engine, on_day=lambda: calls.append(1))
    assert len(calls) == i1 - i0 + 1 == len(res.daily)


def test_off_a_terminal_no_bar_is_drawn_and_each_note_prints_once(tmp_path, capsys):
    assert main(["run", "--start", SHORT["start"], "--end", SHORT["end"], "--runs-dir", str(tmp_path)]) == 0
    err = capsys.readouterr().err
    assert "\r" not in err and "day/s" not in err  # pytest's stderr is not a terminal: no bar
    notes = [line for line in err.splitlines() if "hedge.fomc" in line]
    assert len(notes) == 1 and notes[0].startswith("vixhedge [alvh]: hedge.fomc")  # once, on its own line, labelled


def test_each_note_names_the_run_it_is_about(tmp_path, capsys):
    # 2018-02-20: the capital cap cuts the condor of the vxth run and of its no-hedge benchmark, 10->7 each: the same
    # words twice, each under its run's label (2015-06..09 was the case, a cut in each run on 2015-08-24, until the
    # SPX surface refit of f9ebd2d left the vxth run's condor uncut there)
    assert main(["run", "--preset", "vxth", "--start", "2018-01-02", "--end", "2018-03-30",
                 "--runs-dir", str(tmp_path)]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if "condor reduce" in line]
    assert sorted(n.split(":")[0] for n in notes) == ["vixhedge [no-hedge benchmark]", "vixhedge [vxth]"], notes


def test_quiet_prints_no_notes_and_preset_picks_a_packaged_config(tmp_path, capsys):
    assert main(["run", "--preset", "steward", "--quiet", "--start", SHORT["start"], "--end", SHORT["end"],
                 "--runs-dir", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and "final NAV" in out
    (folder,) = tmp_path.iterdir()
    assert folder.name.startswith("steward-")
    assert C.load(folder / "config.toml").hedge.confirm == C.load_preset("steward").hedge.confirm
    assert main(["run", str(folder / "config.toml"), "--preset", "steward"]) == 2
    assert "not both" in capsys.readouterr().err


def test_a_bar_is_drawn_on_a_terminal(tmp_path):
    """Under a pseudo-terminal the run draws its day bar on stderr (tqdm)."""
    from tests.vixhedge.terminal import stderr_on_a_terminal

    code, text = stderr_on_a_terminal(["run", "--start", SHORT["start"], "--end", SHORT["end"],
                                       "--runs-dir", str(tmp_path)])
    assert code == 0
    assert "day/s" in text and "\r" in text and "/61 " in text  # 61 sessions in 2016-01-04..03-31


def test_a_bar_is_drawn_on_a_terminal_that_reports_no_size(tmp_path):
    """Trial B: under `script -qc` the terminal reports 0x0; the width got 80 but tqdm hid the bar at 0 rows."""
    from tests.vixhedge.terminal import stderr_on_a_terminal

    code, text = stderr_on_a_terminal(["run", "--start", SHORT["start"], "--end", SHORT["end"],
                                       "--runs-dir", str(tmp_path)], rows=0, columns=0)
    assert code == 0
    assert "day/s" in text and "/61 " in text  # 61 sessions in 2016-01-04..03-31


def test_missing_dask_is_one_line_before_any_folder(tmp_path, monkeypatch, capsys):
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name, *a))
    spec = tmp_path / "s.toml"
    spec.write_text('[sweep]\nname = "d"\n[grid]\n"hedge.macd.fast" = [8, 12]\n')
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--scheduler", "local-cluster", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "pip install 'vixhedge[dask]'" in err
    assert not out.exists()


@pytest.mark.slow
def test_help_is_fast():
    """`vixhedge --help` imports no pandas, backtrader or matplotlib (it ran 3 s when it did)."""
    code = "import sys, runpy; sys.argv = ['vixhedge', '--help']\ntry:\n    runpy.run_module('vixhedge', " \
           "run_name='__main__')\nexcept SystemExit:\n    pass\nprint(sorted(m for m in ('pandas', 'backtrader', " \
           "'matplotlib', 'scipy') if m in sys.modules))"
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout.strip().splitlines()[-1] == "[]", done.stdout[-500:]
    assert time.perf_counter() - t0 < 5.0  # generous: the point is what is imported, measured in the bench


def test_a_note_under_a_command_inside_a_tagging_label_is_prefixed_once(capsys):
    """MUT28 PR4b: vixhedge.progress.labelled's docstring: under a command its handler writes
    ``vixhedge [name]: note``; the record factory's tag is for notes logged from Python (no command). A benchmark
    labelled with outside_commands=True inside a command (notes_outside_bars) must not get the prefix twice."""
    import logging

    from vixhedge import progress

    with progress.notes_outside_bars():
        with progress.labelled("no hedge", outside_commands=True):
            logging.getLogger("vixhedge.tst28b").warning("a note %s", 1)
    assert capsys.readouterr().err == "vixhedge [no hedge]: a note 1\n"  # the expected line, written by hand


class _Keep(logging.Handler):
    """Keep each record's final message (getMessage: msg % args)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def _messages_under_label(logger_name: str, label: str, *log_args) -> list[str]:
    from vixhedge import progress

    keep = _Keep()
    lg = logging.getLogger(logger_name)
    lg.addHandler(keep)
    try:
        with progress.labelled(label, outside_commands=True):
            lg.warning(*log_args)
    finally:
        lg.removeHandler(keep)
    return keep.messages


def test_a_tagging_label_with_a_percent_sign_keeps_the_message_formattable():
    """MUT28 PR1: progress._tagging escapes ``%`` in the prefix when the record has args; a label "mode 50%" with
    logger.warning("x %s", 1) must read "vixhedge [mode 50%]: x 1" (expected line written by hand from
    labelled's docstring: the prefix ``vixhedge [name]: ``)."""
    assert _messages_under_label("vixhedge.tst28c", "mode 50%", "x %s", 1) == ["vixhedge [mode 50%]: x 1"]


def test_a_tagging_label_prefixes_the_package_root_logger_too():
    """MUT28 PR5b: _tagging's docstring: a ``vixhedge.*`` record is prefixed; the package's own logger "vixhedge"
    is one of them (record.name == "vixhedge"). Expected line by hand: "vixhedge [no hedge]: " + "root note"."""
    assert _messages_under_label("vixhedge", "no hedge", "root note") == ["vixhedge [no hedge]: root note"]


def test_the_same_note_twice_under_a_command_prints_once(capsys):
    """MUT28 PR2b: progress module docstring: "each distinct note is printed once". The same record logged twice
    under notes_outside_bars gives one line (expected line by hand: "vixhedge: " + the note, no label)."""
    from vixhedge import progress

    with progress.notes_outside_bars():
        for _ in range(2):
            logging.getLogger("vixhedge.tst28c").warning("twice %s", "here")
    assert capsys.readouterr().err == "vixhedge: twice here\n"


def test_a_terminal_of_zero_lines_gets_a_fixed_80x24_bar(monkeypatch):
    """MUT28 PR6: progress.bar's comment: a terminal that reports no size gets 80x24, not an empty bar; a size of
    (80, 0) (0 lines: tqdm would hide the bar) is such a size: fixed ncols 80, nrows 24, not dynamic_ncols."""
    import os

    import tqdm

    from vixhedge import progress

    seen = {}
    monkeypatch.setattr(os, "get_terminal_size", lambda fd=0: os.terminal_size((80, 0)))
    monkeypatch.setattr(tqdm, "tqdm", lambda **kw: seen.update(kw))
    progress.bar(10, "points", "pt")
    assert (seen["dynamic_ncols"], seen["ncols"], seen["nrows"]) == (False, 80, 24)
