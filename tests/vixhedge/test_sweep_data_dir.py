"""Sweep trial (sweeps at scale), findings 1 and 3: `vixhedge sweep SPEC --data-dir ../shared/data` was
"unrecognized arguments: --data-dir" (run, compare and replay take it), the outputs did not say which market or
window they ran on, and a real-data sweep sat at 0/N for 35-45 s of set-up without a word, its ETA wrong early and
an interrupt's message printed onto the half-drawn bar."""

from __future__ import annotations

import io
import json
import os
import re
import sys
from pathlib import Path

import pytest

from vixhedge import sweep as sw
from vixhedge.cli import main
from vixhedge.sweep_progress import Progress

SPEC = """[sweep]
name = "{name}"
workers = 1
{extra}
[base]
run = {{ start = {start}, end = {end} }}

[grid]
"hedge.macd.fast" = [8, 12]
"""


def _spec(tmp_path: Path, name: str = "dd", start: str = "2016-06-01", end: str = "2016-12-30",
          extra: str = "") -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(SPEC.format(name=name, start=start, end=end, extra=extra))
    return p


def test_a_data_dir_that_is_not_a_folder_is_one_line_before_any_work(tmp_path: Path, capsys) -> None:
    out = tmp_path / "out"
    assert main(["sweep", str(_spec(tmp_path)), "--data-dir", "no/such/dir", "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("vixhedge: --data-dir 'no/such/dir' (taken relative to the current "
                                               "directory: "), err
    assert "does not exist: give the folder of the data files (e.g. ../shared/data)" in err[0]
    assert not out.exists()


def test_the_outputs_say_the_market_window_split_and_how_to_reproduce(tmp_path: Path, capsys) -> None:
    """Embedded market: the stdout block, summary.json's market and reproduce, report.html; the folder keeps the
    resolved [base] (base.toml) and the spec as run (spec.toml), and a rerun (resume) writes the same bytes."""
    spec = _spec(tmp_path, extra="in_sample_end = 2016-09-30")
    out = tmp_path / "out"
    argv = ["sweep", str(spec), "--out", str(out)]
    assert main(argv) == 0
    got = capsys.readouterr()
    stage = "vixhedge sweep: building the market (the embedded market: SPX and VIX 2014-2018, VX curve and options "
    assert got.err.startswith(stage), got.err
    assert "vixhedge sweep: building the condor book, VX quotes and signals on the first point" in got.err
    assert got.err.index("valid points (0 invalid skipped") < got.err.index("vixhedge sweep: summarizing: ")
    doc = json.loads((out / "summary.json").read_text())
    m = doc["market"]
    assert (m["source"], m["data_dir"], m["window"], m["in_sample_end"]) == ("embedded", "", "2016-06-01..2016-12-30",
                                                                             "2016-09-30")
    assert m["in_sample_sessions"] + m["out_of_sample_sessions"] == m["sessions"] > 100
    assert m["modelled_share"] == 1.0 and m["prices"].startswith("MOST OF THIS RESULT RESTS ON MODELLED PRICES")
    assert doc["reproduce"] == f"vixhedge sweep {spec.resolve()} --out {out.resolve()}"
    assert f"market: the embedded market: SPX and VIX 2014-2018, VX curve and options modelled; window " \
           f"2016-06-01..2016-12-30 ({m['sessions']} sessions), in sample to 2016-09-30" in got.out
    assert f"reproduce: {doc['reproduce']}" in got.out
    page = (out / "report.html").read_text()
    assert "Market: the embedded market" in page and "MOST OF THIS RESULT RESTS ON MODELLED PRICES" in page
    assert doc["reproduce"] in page
    assert (out / "spec.toml").read_bytes() == spec.read_bytes()
    assert (out / "base.toml").read_text().startswith("[run]")
    recorded = json.loads((out / "output_files.json").read_text())["output_files"]
    assert {"base.toml", "spec.toml"} <= set(recorded)
    files = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "output_files.json"}
    lines = (out / "results.csv").read_text().splitlines(keepends=True)
    (out / "output_files.json").unlink()  # a resume after a kill: one point's row lost
    (out / "results.csv").write_text("".join(lines[:2]))
    assert main(argv) == 0
    again = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file() and p.name != "output_files.json"}
    assert again == files  # the resumed folder is the clean one, byte for byte


@pytest.mark.realdata
def test_data_dir_runs_the_sweep_on_real_data_and_names_it(tmp_path: Path, capsys, shared_data, monkeypatch) -> None:
    """`--data-dir` given relatively: the market is the folder's (its absolute path in spec.json's [base], the
    summary and the reproduce command), and the same sweep given the absolute path resumes the same folder."""
    spec = _spec(tmp_path, name="real", start="2019-06-03", end="2019-12-31")
    out = tmp_path / "out"
    monkeypatch.chdir(shared_data.parent)
    assert main(["sweep", str(spec), "--data-dir", "data", "--out", str(out)]) == 0
    got = capsys.readouterr()
    data = str(shared_data.resolve())
    assert got.err.startswith(f"vixhedge sweep: building the market (real data in {data}) ...\n"), got.err
    doc = json.loads((out / "summary.json").read_text())
    assert (doc["market"]["source"], doc["market"]["data_dir"]) == ("directory", data)
    assert 0 < doc["market"]["modelled_share"] < 1  # real VX settles, modelled SPX options where no chain is
    assert doc["reproduce"] == f"vixhedge sweep {spec.resolve()} --data-dir {data} --out {out.resolve()}"
    assert f"market: real data in {data}; window 2019-06-03..2019-12-31" in got.out
    assert f'data_dir = "{data}"' in (out / "base.toml").read_text()
    results = (out / "results.csv").read_bytes()
    monkeypatch.chdir(tmp_path)
    assert main(["sweep", str(spec), "--data-dir", data, "--out", str(out), "-q"]) == 0  # the same sweep: resumed
    assert (out / "results.csv").read_bytes() == results
    assert "--data-dir" in capsys.readouterr().out
    # verification trial finding 1: run_sweep(data_dir=) is --data-dir; its folder is the command's but for its path
    from vixhedge import api

    monkeypatch.chdir(shared_data.parent)
    py = api.run_sweep(spec, tmp_path / "py", data_dir="data", progress=False)
    assert py.summary["reproduce"] == f"vixhedge sweep {spec.resolve()} --data-dir {data} --out {py.folder.resolve()}"
    for name in ("results.csv", "spec.toml", "base.toml", "summary.json"):
        ours = (py.folder / name).read_bytes().replace(str(py.folder.resolve()).encode(), str(out.resolve()).encode())
        assert ours == (out / name).read_bytes(), name


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError("no descriptor")


def test_the_bar_starts_after_the_set_up_and_times_from_then(monkeypatch) -> None:
    """The bar is not drawn, and its clock not started, before start() (after the set-up): a minute of set-up is
    not read as seconds per point; its rate is the points finished over the time since (no moving average of
    the workers' bursts); close() clears its line so the next message starts a line of its own."""
    import time

    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    bar = Progress(10)
    bar.total = 8  # a done point skipped during the set-up
    assert screen.getvalue() == ""  # nothing drawn during the set-up
    time.sleep(0.3)
    bar.start()
    tq = bar._bar
    assert tq.total == 8 and tq.n == 0 and tq.smoothing == 0
    assert tq.format_dict["elapsed"] < 0.3  # its clock starts with the bar, after the set-up
    tq.start_t -= 4.0  # 4 s of points
    bar.advance(2)
    d = tq.format_dict
    assert d["rate"] is None and 0.45 < d["n"] / d["elapsed"] < 0.55  # tqdm's rate: 2 points in ~4 s
    bar.close()
    assert screen.getvalue().endswith("\r")  # the bar's line cleared: a message after it starts at column 0


def test_an_interrupt_clears_the_bar_before_the_message(tmp_path: Path, monkeypatch, capsys) -> None:
    """Ctrl-C mid-sweep: the bar is closed (its line cleared) before the CLI prints what is saved."""
    closed: list[str] = []
    real = sw.Progress

    class Watched(real):
        def close(self) -> None:
            closed.append("closed")
            super().close()

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(sw, "Progress", Watched)
    monkeypatch.setattr(sw, "_run_batch", interrupted)
    out = tmp_path / "out"
    assert main(["sweep", str(_spec(tmp_path)), "--out", str(out)]) == 130
    err = capsys.readouterr().err
    assert closed == ["closed"]
    assert re.search(r"^vixhedge: interrupted: 0 points are saved in .*results\.csv; rerun the same command",
                     err, re.M), err
    assert not (out / ".sweep.lock").exists() and os.path.isdir(out)


def test_the_readme_documents_every_sweep_key() -> None:
    """Finding 5: `--workers` said "default: sweep.workers" but the README never listed the [sweep] keys. Its table
    holds exactly the keys load_spec accepts; `--kernel`'s help names its choices."""
    from vixhedge.cli import _parser
    from vixhedge.sweep_spec import SWEEP_KEYS

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    start = readme.index("`[sweep]` keys (")
    table = readme[start:readme.index("\n\n", readme.index("| key |", start))]
    rows = [line.split("|")[1].strip().strip("`") for line in table.splitlines() if line.startswith("| `")]
    assert rows == list(SWEEP_KEYS)
    sweep = next(a for a in _parser()._actions if getattr(a, "choices", None) and "sweep" in a.choices).choices["sweep"]
    assert "{auto,off}" in sweep.format_help() and "--data-dir DIR" in sweep.format_help()


def test_off_a_terminal_a_sweep_writes_plain_progress_lines(monkeypatch, capsys):
    """Determinism trial, session 8 (2026-12-04): outside a terminal (nohup, a batch job) a sweep said nothing until
    it ended. Off a terminal it writes a line at each tenth of the points, at most every PLAIN_EVERY_S seconds (here
    11 s of a stand-in clock per point: every tenth is said); none with --quiet."""
    from vixhedge import progress, sweep_progress

    clock = iter(range(0, 10_000, 11))
    monkeypatch.setattr(sweep_progress.time, "monotonic", lambda: float(next(clock)))
    bar = sweep_progress.Progress(20)
    for _ in range(20):
        bar.advance(1)
    bar.close()
    lines = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("vixhedge sweep: ")]
    assert len(lines) == 10 and lines[0].startswith("vixhedge sweep: 2 of 20 points (10%), ")
    assert lines[-1].startswith("vixhedge sweep: 20 of 20 points (100%), 0.1 points/s")
    monkeypatch.setattr(progress, "QUIET", True)
    bar = sweep_progress.Progress(20)
    bar.advance(20)
    assert capsys.readouterr().err == ""


def test_the_split_counts_the_xnys_sessions_on_each_side() -> None:
    """MUT28 sm2: summary.json's market counts the window's sessions and the in-sample ones up to in_sample_end,
    that day included (README *sweep*: "in sample to" the date). Expected from the exchange calendar
    (exchange_calendars' XNYS): 2015-01-02..2015-12-31 holds 252 sessions, 124 of them to 2015-06-30 (a Tuesday, a
    session: an in-sample end counted with "<" would give 123); and README's example window's counts."""
    import datetime as dt
    from types import SimpleNamespace

    from feeds.market import build_market
    from feeds.sessions import build_exchange_calendar
    from vixhedge.core import config as C
    from vixhedge.sweep_market import market_record

    xnys = build_exchange_calendar(start=dt.date(2014, 1, 2), end=dt.date(2018, 12, 31))  # exchange_calendars' XNYS
    s = xnys.sessions  # (sessions_in_range raises under pandas 3 before exchange_calendars 4.13: COMPAT39)
    year, first_half = (int(((s >= "2015-01-02") & (s <= end)).sum()) for end in ("2015-12-31", "2015-06-30"))
    base = C.replace(C.load_default(), run={"start": dt.date(2015, 1, 2), "end": dt.date(2015, 12, 31)})
    spec = SimpleNamespace(base=base, in_sample_end=dt.date(2015, 6, 30))
    m = market_record(spec, build_market(base.market), None)
    assert (m["sessions"], m["in_sample_sessions"], m["out_of_sample_sessions"]) == (year, first_half,
                                                                                     year - first_half)
    assert (year, first_half) == (252, 124)
    assert (m["first_session"], m["last_session"]) == ("2015-01-02", "2015-12-31")
    # README's sweep example: "window 2014-06-02..2018-12-31 (1,155 sessions), in sample to 2016-12-30 (653) and out
    # of sample after it (502)"
    readme = C.replace(C.load_default(), run={"start": dt.date(2014, 6, 2), "end": dt.date(2018, 12, 31)})
    m = market_record(SimpleNamespace(base=readme, in_sample_end=dt.date(2016, 12, 30)), build_market(readme.market),
                      None)
    assert (m["sessions"], m["in_sample_sessions"], m["out_of_sample_sessions"]) == (1155, 653, 502)


def _plain_lines(monkeypatch, capsys, step_s: int, total: int, points: int, shrink_to: int | None = None):
    """The plain progress lines (off a terminal) of ``points`` points, each ``step_s`` seconds of a stand-in clock."""
    from vixhedge import sweep_progress

    clock = iter(range(0, 10_000_000, step_s))
    monkeypatch.setattr(sweep_progress.time, "monotonic", lambda: float(next(clock)))
    bar = sweep_progress.Progress(total)
    bar.start()
    if shrink_to is not None:
        bar.total = shrink_to
    for _ in range(points):
        bar.advance(1)
    bar.close()
    return [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("vixhedge sweep: ")]


def test_plain_progress_lines_come_at_least_every_plain_max_s(monkeypatch, capsys):
    """MUT28 PP3: sweep_progress's docstring: a plain line "at least every PLAIN_MAX_S" (300 s). 400 s per point of
    1,000 points: no point reaches a tenth (100 points), yet each of 3 points is said (400 >= 300, by hand)."""
    lines = _plain_lines(monkeypatch, capsys, 400, 1000, 3)
    assert [ln.split(" points (")[0] for ln in lines] == [f"vixhedge sweep: {k} of 1,000" for k in (1, 2, 3)]


def test_plain_progress_lines_come_at_most_every_plain_every_s(monkeypatch, capsys):
    """MUT28 PP7: sweep_progress's docstring: "at most every PLAIN_EVERY_S" (10 s). 1 s per point of 20 (a tenth
    every 2 points): the first line at 10 s (point 10), then the last one (by hand); 5 s would give 5, 10, 15, 20."""
    lines = _plain_lines(monkeypatch, capsys, 1, 20, 20)
    assert [ln.split(" points (")[0] for ln in lines] == ["vixhedge sweep: 10 of 20", "vixhedge sweep: 20 of 20"]


def test_plain_progress_lines_follow_a_total_that_shrinks(monkeypatch, capsys):
    """MUT28 PP6: Progress.total's setter ("total may change (a sweep's shrinks)", PlainLines' docstring): 20 points
    announced, 10 left after skips, 11 s per point (every tenth said): the last line is 10 of 10 (100%)."""
    lines = _plain_lines(monkeypatch, capsys, 11, 20, 10, shrink_to=10)
    assert len(lines) == 10 and lines[-1].startswith("vixhedge sweep: 10 of 10 points (100%), ")
