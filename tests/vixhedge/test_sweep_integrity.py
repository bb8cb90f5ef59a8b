"""Sweep integrity: folder lock, whole rows and torn-tail repair, workers die with the parent,
per-point retries, true counts, bounded grids, confined names and keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest

from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge import sweep as sw
from vixhedge import sweep_metrics
from vixhedge.sweepio import append_rows, output_lock, read_done

SPEC = """
[sweep]
name = "t"
batch_size = 1
{extra}
[base]
run = {{ start = 2016-01-04, end = 2016-04-29 }}

[grid]
"hedge.macd.fast" = {fast}
"hedge.macd.slow" = [20, 26]
"""


def write_spec(tmp_path: Path, fast: str = "[8, 12]", extra: str = "") -> Path:
    p = tmp_path / "spec.toml"
    p.write_text(SPEC.format(fast=fast, extra=extra))
    return p


@pytest.fixture(scope="module")
def market():
    return build_market(C.MarketConfig())


def test_a_second_sweep_into_a_held_folder_stops_at_once(tmp_path: Path, market) -> None:
    spec = sw.load_spec(write_spec(tmp_path))
    out = tmp_path / "out"
    code = f"import fcntl, os, time; fd = os.open({str(out / '.sweep.lock')!r}, os.O_RDWR | os.O_CREAT); " \
           "fcntl.flock(fd, fcntl.LOCK_EX); os.write(fd, str(os.getpid()).encode()); print('held', flush=True); " \
           "time.sleep(30)"
    out.mkdir()
    holder = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        t0 = time.perf_counter()
        with pytest.raises(C.ConfigError, match=rf"is in use by another sweep \(pid {holder.pid}\)"):
            sw.run_sweep(spec, out, market, progress=False)
        assert time.perf_counter() - t0 < 1.0 and not (out / "results.csv").exists()
    finally:
        holder.kill()
        holder.wait()
        holder.stdout.close()
    results = pd.read_csv(sw.run_sweep(spec, out, market, progress=False))
    assert len(results) == 4 and results["point"].is_unique


@pytest.mark.slow
def test_two_concurrent_sweeps_write_every_point_once(tmp_path: Path) -> None:
    spec = write_spec(tmp_path, fast="[8, 12]")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "vixhedge", "sweep", str(spec), "--out", str(out), "--workers", "1"]
    procs = [subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    errs = [p.communicate(timeout=300)[1] for p in procs]
    codes = sorted(p.returncode for p in procs)
    # the later one stops at the lock (or, if it started only after the first had finished, finds every point done)
    assert codes in ([0, 2], [0, 0]) and not any("Traceback" in e for e in errs), errs
    assert codes == [0, 0] or any("is in use by another sweep" in e for e in errs)
    df = pd.read_csv(out / "results.csv")
    summary = json.loads((out / "summary.json").read_text())
    assert len(df) == 4 and df["point"].is_unique and summary["finished"] == summary["points"] == 4


def test_a_torn_last_row_is_cut_and_rerun(tmp_path: Path, market) -> None:
    spec = sw.load_spec(write_spec(tmp_path))
    clean = pd.read_csv(sw.run_sweep(spec, tmp_path / "clean", market, progress=False))
    out = tmp_path / "torn"
    results = sw.run_sweep(spec, out, market, progress=False)
    text = results.read_bytes()
    results.write_bytes(text[: len(text) - 25])  # the disk filled up in the middle of the last row
    resumed = pd.read_csv(sw.run_sweep(spec, out, market, progress=False))
    key = lambda df: df.sort_values("point").reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(key(resumed), key(clean))
    assert results.read_bytes().endswith(b"\n") and len(results.read_text().splitlines()) == 5


def test_a_point_rerun_after_a_kill_leaves_the_folder_of_a_clean_sweep(tmp_path: Path, market, capsys) -> None:
    """Fresh-user trial: a kill after a point's paths.csv line but before its results row (or mid-row) runs the
    point again on resume, and paths.csv kept both lines (8 lines against a clean sweep's 7); the end-of-sweep
    rewrite now keeps the first line of a point, as returns.bin keeps its first record: every file equals a clean
    sweep's. A torn row in a folder from before ruin_date is cut before its rows are converted, and the notes say
    so in that order (they said it the other way round)."""
    import csv

    spec = sw.load_spec(write_spec(tmp_path))
    clean = tmp_path / "clean"
    sw.run_sweep(spec, clean, market, progress=False)
    names = ("results.csv", "paths.csv", "returns.bin")
    want = {n: (clean / n).read_bytes() for n in names}
    assert len(want["paths.csv"].splitlines()) == 5  # the header and one line per point: 2 x 2 grid, no invalid one
    out = tmp_path / "out"
    results = sw.run_sweep(spec, out, market, progress=False)
    lines = results.read_bytes().splitlines(keepends=True)
    results.write_bytes(b"".join(lines[:2] + lines[3:]))  # killed before point 2's row: paths line, returns kept
    sw.run_sweep(spec, out, market, progress=False)
    assert {n: (out / n).read_bytes() for n in names} == want
    rows = list(csv.reader(want["results.csv"].decode().splitlines()))
    at = rows[0].index("ruin_date")
    with results.open("w", newline="") as fh:  # as a sweep wrote it before ruin_date (the day, none, in ruined)
        csv.writer(fh, lineterminator="\n").writerows(
            [r[:at - 1] + ([r[at - 1]] if i == 0 else [r[at]]) + r[at + 1:] for i, r in enumerate(rows)])
    results.write_bytes(results.read_bytes()[:-25])  # and killed in the middle of its last row
    capsys.readouterr()
    sw.run_sweep(spec, out, market, progress=False)
    assert {n: (out / n).read_bytes() for n in names} == want
    err = capsys.readouterr().err
    assert 0 <= err.index("cut a torn last row") < err.index("is now ruined (True / False) and ruin_date")


def test_a_failed_write_leaves_no_partial_row(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "r.csv"
    fields = ["point", "x"]
    append_rows(path, [{"point": "a", "x": 1.0}], fields)
    real_write = os.write
    monkeypatch.setattr(os, "write", lambda fd, data: real_write(fd, data[:2]))  # a short write: disk full
    with pytest.raises(C.ConfigError, match=r"cannot write .*r\.csv .*rerun the same command to resume"):
        append_rows(path, [{"point": "b", "x": 2.0}], fields)
    monkeypatch.undo()
    assert path.read_text() == "point,x\na,1\n" and read_done(path, fields) == {"a"}


def test_points_that_kill_their_worker_are_failed_alone_and_the_sweep_finishes(tmp_path: Path, market,
                                                                               monkeypatch) -> None:
    spec = sw.load_spec(write_spec(tmp_path, fast="[5, 8, 12]",  # the event path runs each point by run_point
                                   extra="retries = 2\nworkers = 2\nkernel = \"off\""))
    real = sw.run_point

    def deadly(point, *args):
        if point.params["hedge.macd.fast"] == 8 and point.params["hedge.macd.slow"] == 20:
            os.kill(os.getpid(), signal.SIGKILL)  # dies every time, like an out-of-memory kill
        if point.params["hedge.macd.fast"] == 12 and point.params["hedge.macd.slow"] == 26:
            raise ValueError("boom")
        return real(point, *args)

    monkeypatch.setattr(sweep_metrics, "run_point", deadly)  # the event path (sweep_paths) calls it; forks inherit it
    out = tmp_path / "out"
    results = sw.run_sweep(spec, out, market, progress=False)
    monkeypatch.undo()
    failed = pd.read_csv(out / "failed.csv")
    assert sorted(failed["error"].str[:39]) == ["ValueError: boom", "its worker process died 3 times while r"]
    summary = sw.summarize(results, spec, market)
    assert (summary["points"], summary["finished"], summary["failed"], summary["not_run"]) == (6, 4, 2, 0)


@pytest.mark.slow
def test_workers_die_with_a_killed_parent(tmp_path: Path) -> None:
    # the event path keeps both workers busy for seconds (the kernel runs these 20 points in a blink)
    spec = write_spec(tmp_path, fast="[3, 4, 5, 6, 7, 8, 9, 10, 11, 12]", extra='kernel = "off"')
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "vixhedge", "sweep", str(spec), "--out", str(out), "--workers", "2"]
    parent = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    children: list[int] = []
    deadline = time.time() + 120
    while time.time() < deadline and len(children) < 2:
        children = _children(parent.pid)
        time.sleep(0.1)
    assert len(children) >= 2
    parent.send_signal(signal.SIGKILL)  # the parent alone, not its process group
    parent.wait()
    deadline = time.time() + 10
    while time.time() < deadline and any(_alive(c) for c in children):
        time.sleep(0.1)
    assert not any(_alive(c) for c in children)


def _children(pid: int) -> list[int]:
    out = []
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                if int((d / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                    out.append(int(d.name))
            except (OSError, ValueError, IndexError):
                pass
    return out


def _alive(pid: int) -> bool:
    try:
        state = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_a_huge_grid_is_refused_before_expansion_in_under_a_second(tmp_path: Path) -> None:
    p = tmp_path / "huge.toml"
    p.write_text('[grid]\n"hedge.macd.fast" = { start = 1, stop = 1000, step = 1 }\n'
                 '"hedge.macd.slow" = { start = 1, stop = 1000, step = 1 }\n'
                 '"hedge.review_bars" = { start = 0, stop = 999, step = 1 }\n')
    t0 = time.perf_counter()
    with pytest.raises(C.ConfigError, match=r"the grid has 1,000,000,000 points \(1,000 \(hedge.macd.fast\) x 1,000 "
                                            r"\(hedge.macd.slow\) x 1,000 \(hedge.review_bars\)\), above "
                                            r"sweep.max_points = 100,000"):
        sw.load_spec(p)
    assert time.perf_counter() - t0 < 1.0  # measured ~0.05 s (mostly the default config)
    q = tmp_path / "big.toml"
    q.write_text(p.read_text().replace("[grid]", "[sweep]\nmax_points = 2_000_000_000\n\n[grid]"))
    big = sw.load_spec(q)
    params, reason = next(sw.iter_points(big))  # lazy: the first point without expanding 1e9 (invalid: 1 >= 1)
    assert params == {"hedge.macd.fast": 1, "hedge.macd.slow": 1, "hedge.review_bars": 0}
    assert "must be smaller than hedge.macd.slow" in reason


@pytest.mark.parametrize("text, message", [
    ('[grid]\n"market.rate" = [0.01, 0.02]\n', r"grid.market.rate cannot be swept: the grid takes keys of the sections "
     r"\[hedge\], \[condor\], \[execution\], \[margin\], \[analysis\] .*put \[market\] settings in \[base\]"),
    ('[grid]\nmarket = [{ source = "synthetic" }]\n', r"grid.market cannot be swept"),
    ('[grid]\n"run.seed" = [1, 2]\n', r"grid.run.seed cannot be swept"),
    ('[grid]\nhedge = [{ mode = "none" }]\n', r"grid.hedge is a whole section"),
    ('[grid]\n"hedge.nope" = [1]\n', r"grid.hedge.nope is not a config key"),
    ('[sweep]\nname = "../../x"\n[grid]\n"hedge.macd.fast" = [8]\n', r"sweep.name = '../../x' is invalid"),
    ('[sweep]\nname = ".."\n[grid]\n"hedge.macd.fast" = [8]\n', r"sweep.name = '..' is invalid"),
    ('[sweep]\nbatch_size = 1.5\n[grid]\n"hedge.macd.fast" = [8]\n', r"sweep.batch_size = 1.5 is invalid"),
    ('[sweep]\nretries = -1\n[grid]\n"hedge.macd.fast" = [8]\n', r"sweep.retries = -1 is invalid"),
    ('[grid]\n"hedge.macd.fast" = { start = 1, stop = inf, step = 1 }\n', r"give finite numbers"),
    # the trial: a range error echoed a Python dict ({'start': 20, 'stop': 10, 'step': 2}); it reads as the spec does
    ('[grid]\n"hedge.macd.slow" = { start = 20, stop = 10, step = 2 }\n',
     r"bad.toml: grid.hedge.macd.slow = \{ start = 20, stop = 10, step = 2 \} is invalid: give finite numbers"),
    ('[grid]\n"hedge.mode" = { from = "a" }\n',
     r"bad.toml: grid.hedge.mode = \{ from = \"a\" \} is invalid: give a non-empty list or "
     r"\{ start = \.\.\., stop = \.\.\., step = \.\.\. \}$"),
    ('[grid]\n"hedge.macd.fast" = [12, "26"]\n', r"grid.hedge.macd.fast = '26' is invalid: use a whole number"),
    ('[grid]\n"hedge.mode" = [3]\n', r"grid.hedge.mode = 3 is invalid: use a string"),
    ('[grid]\n"hedge.review_bars" = [5, 3, 5.0]\n', r"grid.hedge.review_bars lists 5.0 more than once"),
    # trial B: a typo got "write a dotted key such as hedge.macd.fast", an unknown [sweep] key a Python list
    ('[grid]\n"hedge.macd.slwo" = [30]\n', r"grid.hedge.macd.slwo is not a config key: did you mean hedge.macd.slow\?$"),
    ('[grid]\n"hedge.macdd.slow" = [30]\n', r"grid.hedge.macdd.slow is not a config key: did you mean hedge.macd.slow"),
    ('[sweep]\nworkrs = 2\n[grid]\n"hedge.macd.fast" = [8]\n',
     r"unknown key\(s\) sweep.workrs \(did you mean sweep.workers\?\): use \['batch_size'"),
    # trial B: a run config given to sweep was told only to use [sweep], [grid] and [base]
    ('[run]\nname = "x"\n[hedge]\nmode = "alvh"\n', r"unknown table\(s\) \['hedge', 'run'\]: use \[sweep\], \[grid\] and "
     r"\[base\]: it looks like a run config; put its settings under \[base\] \(e.g. \[base.hedge\]\) or point "
     r"sweep.config at it$"),
    # the trial: [sweep] values echoed in Python's spelling (sweep.workers = True); they read as the spec does
    ('[sweep]\nworkers = true\n[grid]\n"hedge.macd.fast" = [8]\n', r"bad.toml: sweep.workers = true is invalid: use "
     r"a whole number >= 0$"),
    ('[sweep]\nname = false\n[grid]\n"hedge.macd.fast" = [8]\n', r"bad.toml: sweep.name = false is invalid"),
    ('[sweep]\nin_sample_end = true\n[grid]\n"hedge.macd.fast" = [8]\n',
     r"bad.toml: sweep.in_sample_end = true is invalid: write a date as YYYY-MM-DD$"),
    ('[sweep]\nscheduler = true\n[grid]\n"hedge.macd.fast" = [8]\n', r"bad.toml: sweep.scheduler = true is invalid"),
    ('[sweep]\nkernel = false\n[grid]\n"hedge.macd.fast" = [8]\n', r"bad.toml: sweep.kernel = false is invalid"),
    ('[sweep]\nengine = true\n[grid]\n"hedge.macd.fast" = [8]\n', r"bad.toml: sweep.engine = true is invalid: use one"),
    # the trial: [base] run.seed = -1 ran every point, then the summary's bootstrap crashed (numpy: non-negative seed)
    ('[base.run]\nseed = -1\n[grid]\n"hedge.macd.fast" = [8]\n',
     r"bad.toml \[base\]: run.seed = -1 is invalid: use a whole number 0 or more"),
    # MUT26 S1: a task of no point, a grid capped at none: whole numbers >= 1 (README, [sweep] keys: points per task;
    # a bigger grid is refused), where workers and retries may be 0
    ('[sweep]\nbatch_size = 0\n[grid]\n"hedge.macd.fast" = [8]\n',
     r"bad.toml: sweep.batch_size = 0 is invalid: use a whole number >= 1$"),
    ('[sweep]\nmax_points = 0\n[grid]\n"hedge.macd.fast" = [8]\n',
     r"bad.toml: sweep.max_points = 0 is invalid: use a whole number >= 1$"),
], ids=["market-key", "market-section", "run-key", "whole-section", "unknown", "name-escape", "name-dots",
        "batch-float", "retries-negative", "infinite-range", "range-backwards-in-toml", "not-a-range-in-toml",
        "string-for-whole-number", "number-for-a-name", "a-value-twice",
        "key-typo", "section-typo", "sweep-key-typo", "a-run-config", "bool-workers", "bool-name",
        "bool-in-sample-end", "bool-scheduler", "bool-kernel", "bool-engine", "negative-base-seed", "batch-size-zero",
        "max-points-zero"])
def test_a_sweep_may_vary_only_what_it_may(tmp_path: Path, text: str, message: str) -> None:
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(C.ConfigError, match=message):
        sw.load_spec(p)


def test_margin_keys_are_swept_on_the_kernel(tmp_path: Path) -> None:
    """README (*Sweep*): a capital stress grid over the hedge budget and Reg-T vs portfolio margin (the trial: every
    margin.* key was refused). The kernel covers both modes with VX-future layers (vixhedge.kernel.kernel_covers)."""
    from vixhedge.kernel import kernel_covers

    p = tmp_path / "margin.toml"
    p.write_text('[grid]\n"margin.hedge_budget_nav_fraction" = [0.25, 1.0]\n"margin.mode" = ["reg_t", "portfolio"]\n')
    points, invalid = sw.expand(sw.load_spec(p))
    assert not invalid and len(points) == 4
    assert {(q.config.margin.mode.value, q.config.margin.hedge_budget_nav_fraction) for q in points} == {
        (m, f) for m in ("reg_t", "portfolio") for f in (0.25, 1.0)}
    assert [kernel_covers(q.config) for q in points] == [None] * 4


def test_the_lock_is_reentrant_in_one_process(tmp_path: Path) -> None:
    with output_lock(tmp_path / "o"), output_lock(tmp_path / "o"):
        assert (tmp_path / "o" / ".sweep.lock").read_text() == str(os.getpid())
    assert not (tmp_path / "o" / ".sweep.lock").exists()  # the fresh-user trial found a stale one with a pid


def test_a_folder_holds_the_sweep_of_one_spec(tmp_path: Path, market) -> None:
    """The fresh-user trial: the same grid into the same folder with another window crashed on returns.bin (records
    of another length) after appending its rows; with another [base] its rows were appended silently. Both are
    refused before anything is written; the same spec (renamed: the name changes no row) resumes."""
    spec = sw.load_spec(write_spec(tmp_path))
    out = tmp_path / "out"
    sw.run_sweep(spec, out, market, progress=False)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    assert json.loads(before["spec.json"])["name"] == "t" and ".sweep.lock" not in before
    other_window = C.replace(spec.base, run={"start": dt.date(2016, 2, 1)})
    other_base = C.replace(spec.base, condor={"contracts": 5})
    for base, what in ((other_window, r"\[base\] config and run window differ"),
                       (other_base, r"\[base\] config differs")):
        with pytest.raises(C.ConfigError, match=rf"sweep output folder {re.escape(str(out))} holds another sweep "
                                                rf"\('t' in spec.json; its {what} from this spec's\): give another "
                                                r"--out, or delete the "
                                                r"folder to start this sweep there \(a folder holds one sweep\)$"):
            sw.run_sweep(dataclasses.replace(spec, base=base), out, market, progress=False)
        assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # nothing written, no lock left
    with pytest.raises(C.ConfigError, match=r"its \[grid\] differs"):
        sw.run_sweep(sw.load_spec(write_spec(tmp_path, fast="[8, 10]")), out, market, progress=False)
    results = pd.read_csv(sw.run_sweep(dataclasses.replace(spec, name="renamed", workers=1), out, market,
                                       progress=False))
    assert len(results) == 4 and json.loads((out / "spec.json").read_text())["name"] == "renamed"


def test_a_folder_from_before_plugin_hashing_is_refused_for_what_it_is(tmp_path: Path) -> None:
    """The review of the session: a spec.json written before parts["plugins"] existed was refused with "a plug-in
    or a module it imports was edited" (untrue). The parts are stand-ins (sweepio.claim compares them only)."""
    from vixhedge.core.config import ConfigError
    from vixhedge.sweep_claim import claim

    parts = {"base": "b", "grid": "g", "window": "w", "split": "none"}
    out = tmp_path / "out"
    out.mkdir()
    (out / "spec.json").write_text(json.dumps({"name": "t", "hash": "old", "parts": parts}))
    with pytest.raises(ConfigError) as err:
        claim(out, {"name": "t", "hash": "new", "parts": {**parts, "plugins": "p"}})
    assert str(err.value) == (f"sweep output folder {out} predates plug-in source hashing (its spec.json records no "
                              "plug-ins' source, so its rows cannot be matched to this spec's plug-ins): give a new "
                              "--out")
    with pytest.raises(ConfigError, match=r"its \[grid\] differs from this spec's"):  # what else differs, named
        claim(out, {"name": "t", "hash": "new", "parts": {**parts, "grid": "G", "plugins": "p"}})


def test_a_folder_that_holds_no_sweep_is_refused_before_anything_is_written(tmp_path: Path, market) -> None:
    """The fresh-user trial: `--out` a run's folder overwrote its report.html; any non-empty folder was written
    into. An empty folder, or one with only a sweep's files (a sweep from before spec.json), is taken."""
    spec = sw.load_spec(write_spec(tmp_path))
    run = tmp_path / "run"
    run.mkdir()
    for name in ("manifest.json", "report.html", "daily.csv"):
        (run / name).write_text(name)
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine")
    for folder, what in ((run, r"is a `vixhedge run` folder \(3 entries, e.g. daily.csv, manifest.json, "
                               r"report.html\)"),
                         (other, r"is not empty and holds no sweep \(1 entry, e.g. notes.txt\)")):
        before = {p.name: p.read_bytes() for p in folder.iterdir()}
        with pytest.raises(C.ConfigError, match=rf"sweep output folder {re.escape(str(folder))} {what}: give another "
                                                r"--out \(a new or empty folder, or an earlier sweep's to resume "
                                                r"it\)$"):
            sw.run_sweep(spec, folder, market, progress=False)
        assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    empty = tmp_path / "empty"
    empty.mkdir()
    with output_lock(empty):
        pass
    legacy = tmp_path / "legacy"
    legacy.mkdir()
    (legacy / "results.csv").write_text("")
    (legacy / ".invalid.csv.123").write_text("")  # a killed sweep's half-written invalid.csv
    assert len(pd.read_csv(sw.run_sweep(spec, legacy, market, progress=False))) == 4


def test_a_spec_not_in_utf8_is_one_line_and_a_bom_is_read(tmp_path: Path) -> None:
    """A spec saved as UTF-16 (Windows Notepad's 'Unicode') was a UnicodeDecodeError reported as an internal error;
    one with a UTF-8 byte-order mark loads (vixhedge.core.config.load.read_toml)."""
    text = '[grid]\n"hedge.macd.fast" = [8]\n'
    p = tmp_path / "u16.toml"
    p.write_text(text, encoding="utf-16")
    with pytest.raises(C.ConfigError, match=r"is UTF-16 text .*: save it as UTF-8"):
        sw.load_spec(p)
    p.write_text(text, encoding="utf-8-sig")
    assert sw.load_spec(p).grid == {"hedge.macd.fast": [8]}


def test_a_sweep_whose_data_changed_is_refused_and_an_older_folder_is_taken(tmp_path: Path) -> None:
    """The trial (a run's folder replaced on changed data): a sweep resumed on changed data kept its earlier rows
    and added others, every point keyed by its config alone. spec.json now records the data files' hash; a folder
    from before it is this sweep's and gets it recorded. The parts are stand-ins (sweepio.claim compares them)."""
    from types import SimpleNamespace

    from vixhedge.core.config import ConfigError
    from vixhedge.sweep_claim import claim

    parts = {"base": "b", "grid": "g", "window": "w", "split": "none"}
    out = tmp_path / "out"
    out.mkdir()
    (out / "spec.json").write_text(json.dumps({"name": "t", "hash": "old", "parts": parts}))
    now = {"name": "t", "hash": "new", "parts": {**parts, "data": "d1"}}
    claim(out, now)
    assert json.loads((out / "spec.json").read_text()) == now
    with pytest.raises(ConfigError) as err:
        claim(out, {"name": "t", "hash": "newer", "parts": {**parts, "data": "d2"}})
    assert str(err.value) == (f"sweep output folder {out} holds this sweep's rows computed on other data (a data file "
                              "changed since they were written; spec.json records their hash): give another --out, or "
                              "delete the folder to run the sweep again on the data as they are now")
    with pytest.raises(ConfigError, match=r"its \[grid\] and data files differ from this spec's"):
        claim(out, {"name": "t", "hash": "newer", "parts": {**parts, "grid": "G", "data": "d2"}})
    spec = sw.load_spec(write_spec(tmp_path))
    market = lambda files: SimpleNamespace(data=SimpleNamespace(files=files))  # noqa: E731 - what it reads
    a, b = (sw.spec_identity(spec, market(((n, "sha-1"), ("vix.csv", h)))) for n, h in (("spx.csv", "x"),
                                                                                       ("spx.csv", "y")))
    assert a["parts"]["data"] != b["parts"]["data"] and a["hash"] != b["hash"]
    assert "data" not in sw.spec_identity(spec)["parts"]  # without a market: the spec alone


def test_a_directory_sweep_from_before_a_s_and_calendar_files_were_read_says_so(tmp_path: Path) -> None:
    """Review (2026-12-03): a data directory's A/D and calendar files are read and hashed since then; a sweep folder
    written before on the same directory was refused with "a data file changed since they were written", untrue.
    Its spec.json has no data_recipe: the refusal says what changed. Parts are stand-ins (sweepio.claim compares)."""
    from vixhedge.core.config import ConfigError
    from vixhedge.sweep_spec import DATA_RECIPE
    from vixhedge.sweep_claim import claim

    parts = {"base": "b", "grid": "g", "window": "w", "split": "none", "data": "d1"}
    out = tmp_path / "out"
    out.mkdir()
    (out / "spec.json").write_text(json.dumps({"name": "t", "hash": "old", "parts": parts}))
    with pytest.raises(ConfigError, match=r"rows computed before a run read the data directory's A/D and event "
                                          r"calendar files .*no data file changed\): give another --out"):
        claim(out, {"name": "t", "hash": "new", "parts": {**parts, "data": "d2", "data_recipe": DATA_RECIPE}})


def test_a_sweep_hashes_the_files_its_config_and_grid_name(tmp_path: Path) -> None:
    """Review: the data hash held the market's files only; an edited hedge.fomc.calendar_csv (base) or
    hedge.fomc.ad_csv (a grid value) made other rows under the same hash. Each edit now changes the data part; a
    config naming no file keeps the market's hash alone (folders written before keep theirs)."""
    from types import SimpleNamespace

    market = SimpleNamespace(data=SimpleNamespace(files=(("spx.csv", "sha-1"),)))  # what spec_identity reads
    cal, ad = tmp_path / "fomc.csv", tmp_path / "ad.csv"
    cal.write_text("announcement_date,type\n2016-01-27,scheduled\n")
    ad.write_text("date,advances,declines\n2016-01-04,1,2\n")
    plain = sw.spec_identity(sw.load_spec(write_spec(tmp_path)), market)["parts"]["data"]
    spec = sw.load_spec(write_spec(tmp_path, extra=f'[base.hedge.fomc]\nenabled = true\ncalendar_csv = "{cal}"'))
    spec = dataclasses.replace(spec, grid={**spec.grid, "hedge.fomc.ad_csv": ["", str(ad)]})  # (a grid value)
    first = sw.spec_identity(spec, market)["parts"]["data"]
    cal.write_text("announcement_date,type\n2016-03-16,scheduled\n")
    second = sw.spec_identity(spec, market)["parts"]["data"]
    ad.write_text("date,advances,declines\n2016-01-04,2,1\n")
    third = sw.spec_identity(spec, market)["parts"]["data"]
    assert len({plain, first, second, third}) == 4


def test_a_resume_by_another_version_of_the_code_is_refused_and_an_older_folder_is_taken(tmp_path: Path) -> None:
    """Determinism trial, session 8 (2026-12-04): a sweep resumed after an edit of the engine kept its 30 rows and
    recomputed the baseline with the new code, no warning (the summary's Sharpe lines moved). spec.json records the
    engine's sha256 (vixhedge.codeid); a resume whose code differs is refused, nothing written; a folder written before
    code hashing (no code part) is matched on the rest, as before, and records the code from then on (review: it
    stayed code-less, so every later version resumed it). Parts are stand-ins (sweepio.claim compares)."""
    from vixhedge.codeid import code_sha256
    from vixhedge.core.config import ConfigError
    from vixhedge.sweep_claim import claim

    assert sw.spec_identity(sw.load_spec(write_spec(tmp_path)))["parts"]["code"] == code_sha256()[:16]
    parts = {"base": "b", "grid": "g", "window": "w", "split": "none", "data": "d1"}
    out = tmp_path / "out"
    out.mkdir()
    held = {"name": "t", "hash": "h1", "parts": {**parts, "code": "c1"}}
    (out / "spec.json").write_text(json.dumps(held))
    with pytest.raises(ConfigError, match=r"rows computed by another version of the code .*a resume would mix rows "
                                          r"of two versions: give another --out"):
        claim(out, {"name": "t", "hash": "h2", "parts": {**parts, "code": "c2"}})
    assert json.loads((out / "spec.json").read_text()) == held
    (out / "spec.json").write_text(json.dumps({"name": "t", "hash": "h0", "parts": parts}))  # before code hashing
    claim(out, {"name": "t", "hash": "h2", "parts": {**parts, "code": "c2"}})  # taken, and its identity from now on
    assert json.loads((out / "spec.json").read_text()) == {"name": "t", "hash": "h2", "parts": {**parts, "code": "c2"}}
    with pytest.raises(ConfigError, match=r"another version of the code"):  # (so another version is refused later)
        claim(out, {"name": "t", "hash": "h3", "parts": {**parts, "code": "c3"}})


def test_a_grid_of_exactly_max_points_is_accepted(tmp_path: Path) -> None:
    """MUT26 G4 (``n > limit`` made ``n >= limit``): README (``max_points``: "a bigger grid is refused"): a grid of
    3 x 2 = 6 points (a hand count) loads under max_points = 6 and is refused under 5."""
    p = tmp_path / "six.toml"
    grid = '[grid]\n"hedge.macd.fast" = [8, 10, 12]\n"hedge.macd.slow" = [30, 40]\n'
    p.write_text("[sweep]\nmax_points = 6\n" + grid)
    assert sw.load_spec(p).max_points == 6
    p.write_text("[sweep]\nmax_points = 5\n" + grid)
    with pytest.raises(C.ConfigError, match=r"the grid has 6 points \(3 \(hedge.macd.fast\) x 2 \(hedge.macd.slow\)\), "
                                            r"above sweep.max_points = 5"):
        sw.load_spec(p)


FLOAT_GRID = """
[sweep]
name = "t"
workers = 1

[base]
run = {{ start = 2016-01-04, end = 2016-04-29 }}

[grid]
"condor.stop_multiple" = {values}
"""


def test_a_float_key_s_grid_written_as_whole_numbers_is_the_same_sweep(tmp_path: Path, market) -> None:
    """Trial DET32 M4: ``[2, 3]`` and ``[2.0, 3.0]`` (or a range from 2 or 2.0) for a float key gave the same rows
    but another spec.json ``grid`` hash, so a resume with the other spelling was refused as another sweep; a grid's
    values are taken as the config holds them (``--set`` and config files already were)."""
    specs = []
    for n, values in enumerate(("[2, 3]", "[2.0, 3.0]", "{ start = 2, stop = 3, step = 1 }",
                                "{ start = 2.0, stop = 3.0, step = 1.0 }")):
        (tmp_path / f"s{n}.toml").write_text(FLOAT_GRID.format(values=values))
        specs.append(sw.load_spec(tmp_path / f"s{n}.toml"))
    assert len({sw.spec_identity(s)["hash"] for s in specs}) == 1
    assert [list(s.grid["condor.stop_multiple"]) for s in specs] == [[2.0, 3.0]] * 4
    assert all(type(v) is float for s in specs for v in s.grid["condor.stop_multiple"])
    out = tmp_path / "out"
    sw.run_sweep(specs[0], out, market, progress=False)
    before = (out / "results.csv").read_bytes(), (out / "spec.json").read_bytes()
    sw.run_sweep(specs[1], out, market, progress=False)  # (old code: "holds another sweep ... its [grid] differs")
    assert ((out / "results.csv").read_bytes(), (out / "spec.json").read_bytes()) == before
    # a SweepSpec built in Python (api.run_sweep re-checks its fields) is typed as a file's is (DETFIX32's left item)
    import dataclasses

    from vixhedge.api_sweep import _checked_fields

    built = _checked_fields(dataclasses.replace(specs[0], grid={"condor.stop_multiple": [2, 3]}), "run_sweep")
    assert sw.spec_identity(built)["hash"] == sw.spec_identity(specs[0])["hash"]
