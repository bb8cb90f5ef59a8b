"""Sweeps: expanding a spec, batches, refused specs, points equal to runs one by one on every engine and
scheduler, a killed sweep resumed, the returns store, bytes independent of the order points finish in, the end of
sweep rewrite, and the worker count."""

import dataclasses
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pandas as pd
import pytest

from feeds.market import build_market
from tests.vixhedge.sweep_cases import SPEC, write_spec
from vixhedge import sweep as sw
from vixhedge import sweep_metrics
from vixhedge.core import config as C
from vixhedge.run import run_backtest


@pytest.fixture(scope="module")
def market():
    return build_market(C.MarketConfig())


def test_expand_counts_invalid_points(tmp_path):
    spec = sw.load_spec(write_spec(tmp_path))
    points, invalid = sw.expand(spec)
    assert len(points) == 4 and len(invalid) == 2  # (26, 20) and (26, 26): fast >= slow
    assert all("must be smaller than hedge.macd.slow" in r for _, r in invalid)
    assert len({p.key for p in points}) == 4


@pytest.mark.parametrize("n, size, workers", [(81, 4, 2), (5, 4, 2), (10, 1, 8), (100, 16, 3), (0, 4, 2)])
def test_batches_keep_every_point_once_in_order_and_shrink_at_the_end(n, size, workers):
    batches = sw.make_batches(list(range(n)), size, workers)
    assert [p for b in batches for p in b] == list(range(n))
    lengths = [len(b) for b in batches]
    assert all(1 <= k <= size for k in lengths) and lengths == sorted(lengths, reverse=True)
    if n >= 4 * workers * size:
        assert lengths[0] == size and lengths[-workers:] == [1] * workers  # the tail is split point by point


@pytest.mark.parametrize("text, message", [
    ('[grid]\n"market.rate" = [0.01]\n', "cannot be swept"),
    ('[grid]\n"hedge.macd.fast" = []\n', "non-empty list"),
    ('[sweep]\nbogus = 1\n[grid]\n"hedge.macd.fast" = [8]\n', "unknown key"),
    ('[sweep]\nname = "x"\n', r"\[grid\] is empty"),
    ('[grid]\n"hedge.macd.fast" = { start = 10, stop = 5, step = 1 }\n', "step must move start towards stop"),
], ids=["market-key", "empty-list", "unknown-key", "no-grid", "backwards-range"])
def test_bad_specs_are_rejected(tmp_path, text, message):
    p = tmp_path / "bad.toml"
    p.write_text(text)
    with pytest.raises(C.ConfigError, match=message):
        sw.load_spec(p)


def test_the_readme_names_the_sections_a_sweep_varies():
    """README's "confined" row lists vixhedge.sweep_keys.SWEEPABLE (a trial found `margin` missing there)."""
    import re
    from pathlib import Path

    from vixhedge.sweep_keys import SWEEPABLE

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    row = next(ln for ln in readme.splitlines() if ln.startswith("| confined |"))
    listed = row.split("grid keys must be leaf settings of ", 1)[1].split(" (", 1)[0]
    assert tuple(re.findall(r"`([a-z_]+)`", listed)) == SWEEPABLE


def test_range_values():
    from vixhedge.sweepgrid import values

    assert values("k", {"start": 20, "stop": 30, "step": 5}) == [20, 25, 30]


def test_sweep_equals_runs_one_by_one(tmp_path, market):
    """Every row, as written, equals the row built from ``vixhedge run``'s daily.csv of that point."""
    spec = sw.load_spec(write_spec(tmp_path))
    results = sw.run_sweep(spec, tmp_path / "out", market, progress=False)
    res = pd.read_csv(results, dtype=str).set_index("point")
    points, _ = sw.expand(spec)
    assert len(res) == len(points) == 4
    for p in points:
        alone = run_backtest(p.config, market, engine="backtrader")  # the other engine than the sweep's
        d, a = alone.daily, p.config.analysis
        rf = market.cash_returns(list(d.index))  # analysis.risk_free = "cash", the default
        expected = {**sweep_metrics._window_metrics(d["nav_usd"].to_numpy(), d["hedge_pnl_usd"].to_numpy(),
                                                    d["condor_pnl_usd"].to_numpy(), rf, a),
                    "hedge_layers": alone.metrics["counts"]["hedge_layers"]}
        got = res.loc[p.key]
        for k, v in expected.items():
            assert got[k] == (f"{v:.10g}" if isinstance(v, float) else str(v)), (p.params, k)
    # a rerun is a no-op: nothing appended
    sw.run_sweep(spec, tmp_path / "out", market, progress=False)
    assert len(pd.read_csv(tmp_path / "out" / "results.csv")) == 4


def test_sweep_engines_write_identical_results(tmp_path, market):
    spec = sw.load_spec(write_spec(tmp_path))
    fast = sw.run_sweep(spec, tmp_path / "fast", market, progress=False)
    slow = sw.run_sweep(dataclasses.replace(spec, engine="backtrader"), tmp_path / "bt", market, progress=False)
    assert fast.read_bytes() == slow.read_bytes()  # each row byte-identical, and in grid order once the sweep ends


def test_killed_sweep_resumes_with_every_point_once(tmp_path, market):
    spec_path = write_spec(tmp_path, fast="[5, 6, 8, 10, 12]")
    # the event path, one point per batch: the kernel would run all ten points in one batch, before any kill
    spec_path.write_text(spec_path.read_text().replace("[sweep]\n", "[sweep]\nkernel = \"off\"\n"))
    out = tmp_path / "killed"
    cmd = [sys.executable, "-m", "vixhedge", "sweep", str(spec_path), "--out", str(out), "--workers", "1"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    results = out / "results.csv"
    deadline = time.time() + 120
    while time.time() < deadline:
        if results.exists() and len(results.read_text().splitlines()) >= 3:  # header + 2 points
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    partial = len(pd.read_csv(results))
    assert 2 <= partial < 10
    assert subprocess.run(cmd, capture_output=True).returncode == 0
    resumed = pd.read_csv(results)
    clean = sw.run_sweep(sw.load_spec(spec_path), tmp_path / "clean", market, progress=False)
    assert len(resumed) == 10 and resumed["point"].is_unique
    for name in ("results.csv", "returns.bin", "paths.csv"):  # in grid order once finished, the resume's too
        assert (out / name).read_bytes() == (clean.parent / name).read_bytes(), name


def test_dask_local_cluster_gives_the_same_results(tmp_path, market):
    pytest.importorskip("distributed", reason="dask.distributed not installed: pip install -e '.[dask]'")
    import dataclasses

    spec = sw.load_spec(write_spec(tmp_path))
    local = sw.run_sweep(spec, tmp_path / "local", market, progress=False)
    dspec = dataclasses.replace(spec, scheduler="local-cluster", workers=2, batch_size=2)
    dask = sw.run_sweep(dspec, tmp_path / "dask", progress=False)
    for name in ("results.csv", "returns.bin", "paths.csv"):  # the same bytes, whichever scheduler
        assert (dask.parent / name).read_bytes() == (local.parent / name).read_bytes(), name


def test_bad_scheduler_is_rejected(tmp_path):
    p = tmp_path / "s.toml"
    p.write_text('[sweep]\nscheduler = "yarn"\n[grid]\n"hedge.macd.fast" = [8]\n')
    with pytest.raises(C.ConfigError, match="sweep.scheduler = 'yarn' is invalid"):
        sw.load_spec(p)


def test_returns_store_keeps_whole_records_and_repairs_a_torn_tail(tmp_path):
    from vixhedge import sweep_returns

    a, b = np.arange(5.0) / 100, -np.arange(5.0) / 100
    sweep_returns.append(tmp_path, [("a" * 16, a)])
    with (tmp_path / "returns.bin").open("ab") as fh:  # a write torn mid-record (kill, full disk)
        fh.write(b"b" * 16 + b"\x00" * 7)
    sweep_returns.append(tmp_path, [("b" * 16, b)])
    keys, m = sweep_returns.load(tmp_path, ["b" * 16, "a" * 16, "c" * 16], 5)
    assert keys == ["b" * 16, "a" * 16]
    np.testing.assert_array_equal(m, np.column_stack([b, a]))
    assert (tmp_path / "returns.bin").stat().st_size == 2 * (16 + 8 * 5)


def test_returns_store_loads_before_a_torn_tail_keeps_a_keys_first_record_and_refuses_a_short_record(tmp_path):
    """MUT27 SR13, SR14, SR3 (the module docstring): load reads the whole records of a file whose tail is torn (no
    append has cut it yet); a key recorded twice gives its first record ("first record per key wins"); append refuses
    a point whose returns are not the others' length (records are fixed-size)."""
    from vixhedge import sweep_returns

    a, a2, b = np.arange(5.0) / 100, np.full(5, 9.0), -np.arange(5.0) / 100
    sweep_returns.append(tmp_path, [("a" * 16, a), ("b" * 16, b)])
    sweep_returns.append(tmp_path, [("a" * 16, a2)])
    with (tmp_path / "returns.bin").open("ab") as fh:  # a torn tail: 23 of a record's 56 bytes
        fh.write(b"c" * 16 + b"\x00" * 7)
    keys, m = sweep_returns.load(tmp_path, ["a" * 16, "b" * 16, "c" * 16], 5)
    assert keys == ["a" * 16, "b" * 16]
    np.testing.assert_array_equal(m, np.column_stack([a, b]))
    with pytest.raises(ValueError, match=f"point {'d' * 16!r}: key must be 16 chars and every point must have 5 days "
                                         r"\(got 4\)"):
        sweep_returns.append(tmp_path, [("c" * 16, a), ("d" * 16, b[:4])])
    assert (tmp_path / "returns.bin").stat().st_size == 3 * (16 + 8 * 5)  # the torn tail cut, nothing appended


@pytest.mark.parametrize("sessions, returns", [(1, 0), (2, 1), (3, 2)])
def test_a_record_holds_one_return_per_session_after_the_first(sessions, returns):
    """MUT27 SR2: n_returns of a window of N sessions is N - 1 (a daily return needs two NAVs; by hand: 2 sessions,
    1 return; 1 session, none), the market's days outside the window not counted."""
    import datetime as dt
    from types import SimpleNamespace

    from vixhedge import sweep_returns

    days = [dt.date(2016, 1, 4) + dt.timedelta(days=k) for k in range(6)]
    spec = SimpleNamespace(base=SimpleNamespace(run=SimpleNamespace(start=days[1], end=days[sessions])),
                           in_sample_end=None)
    assert sweep_returns.n_returns(spec, SimpleNamespace(days=days)) == returns


def test_the_sweeps_ad_note_counts_the_points_window_not_the_whole_history(market, tmp_path, caplog):
    """The parent logs the first point's A/D coverage once (workers are silent): over the run window and the A/D
    look-back, as a run does (strategies.signalset.inputs_from_market), not over the market's 2014-2018 history."""
    path = tmp_path / "ad.csv"
    days = pd.bdate_range("2015-01-01", "2016-01-31")
    pd.DataFrame({"date": days.strftime("%Y-%m-%d"), "sp500_advancers": 150, "sp500_decliners": 350}).to_csv(
        path, index=False)
    base = C.replace(C.load_default(), run={"start": "2016-01-04", "end": "2016-03-31"},
                     hedge={"fomc": {"ad_csv": str(path)}})
    spec = sw.SweepSpec(name="ad", base=base, grid={"hedge.macd.fast": [8, 12]})
    with caplog.at_level("WARNING"):
        sw._policy_notes(spec, market)
    (line,) = [r.getMessage() for r in caplog.records if "have no A/D" in r.getMessage()]
    assert "42 of the 66 sessions 2015-12-24..2016-03-31 of the run window and its A/D look-back" in line


TIE_SPEC = """
[sweep]
name = "tie"
batch_size = 1
kernel = "off"

[base]
run = { start = 2016-01-04, end = 2016-04-29 }

[grid]
"hedge.rsi.add_min" = [30.0, 40, 50, 60]
"""


def _folder_bytes(spec, out, market):
    from vixhedge.sweep_report import write_sweep_report

    results = sw.run_sweep(spec, out, market, progress=False)
    sw.write_summary(out, sw.summarize(results, spec, market))
    write_sweep_report(out)
    return {n: (out / n).read_bytes() for n in ("results.csv", "returns.bin", "paths.csv", "summary.json",
                                                 "report.html")}


def test_a_sweep_writes_the_same_bytes_whatever_order_its_points_finish_in(tmp_path, market, monkeypatch):
    """Fresh-user trial: rows landed in the order workers finished and the best of tied points was the first to
    finish. hedge.rsi.add_min with hedge.rsi.enabled = false (the default) gives four identical points; run once in
    grid order and once with the batches finishing in reverse, every file is the same and the best is the first."""
    spec_path = tmp_path / "tie.toml"
    spec_path.write_text(TIE_SPEC)
    spec = sw.load_spec(spec_path)
    forward = _folder_bytes(spec, tmp_path / "forward", market)
    batches = sw.path_batches
    monkeypatch.setattr(sw, "path_batches", lambda *a, **k: iter(list(batches(*a, **k))[::-1]))
    backward = _folder_bytes(spec, tmp_path / "backward", market)
    assert list(pd.read_csv(tmp_path / "backward" / "results.csv")["hedge.rsi.add_min"]) == [30, 40, 50, 60]
    assert forward == backward
    import json
    assert json.loads(forward["summary.json"])["best"]["hedge.rsi.add_min"] == 30.0  # the first of 4 tied points


def test_the_hedge_cost_counts_the_first_days_fills_and_the_split_adds_up(tmp_path, market):
    """Fresh-user trial: a sweep's hedge_cost_usd left out day 1's hedge P&L (a 2016 static sweep said 44,266.72 where
    the same config run directly lost 44,331.66 on its hedge: day 1's -64.94 missing). Each row's hedge cost is minus
    the run's whole daily hedge P&L (vixhedge run's daily.csv), in = in sample + out of sample, on the kernel and on
    the event path alike (static layers open on the first day: its P&L is not 0)."""
    spec_path = tmp_path / "static.toml"
    spec_path.write_text(SPEC.format(fast="[12]").replace("[base]\n", '[base]\nhedge = { mode = "static" }\n')
                         .replace('"hedge.macd.slow" = [20, 26]', '"hedge.static_layers" = [1, 2]'))
    spec = sw.load_spec(spec_path)
    kernel = pd.read_csv(sw.run_sweep(spec, tmp_path / "kernel", market, progress=False)).set_index("point")
    event = pd.read_csv(sw.run_sweep(dataclasses.replace(spec, kernel="off"), tmp_path / "event", market,
                                     progress=False)).set_index("point")
    for p in sw.expand(spec)[0]:
        daily = run_backtest(p.config, market, engine="fast").daily
        assert daily["hedge_pnl_usd"].iloc[0] < -1.0  # the first day's fills cost (-32.47 per layer here)
        for rows in (kernel, event):
            row = rows.loc[p.key]
            # results.csv holds 10 significant digits (sweepio._format): equal to that rounding
            assert row["hedge_cost_usd"] == pytest.approx(-daily["hedge_pnl_usd"].sum(), rel=1e-9)
            assert row["is_hedge_cost_usd"] + row["oos_hedge_cost_usd"] == pytest.approx(row["hedge_cost_usd"],
                                                                                          rel=1e-9)


def test_a_table_analyzer_in_a_sweep_says_its_table_is_not_kept(tmp_path, market):
    """Fresh-user trial: results.csv's analyzers column named analyzer_<name>.csv for a table analyzer, a file no
    sweep writes. The built-in monthly_returns (a table: analyzers/plugins.py) now has its rows counted, no file
    named, and a note saying tables are not kept in a sweep; nothing in the folder is named analyzer_*."""
    import json

    spec_path = tmp_path / "an.toml"
    spec_path.write_text(SPEC.format(fast="[12]").replace(
        "[base]\n", '[base]\nanalysis = { analyzers = ["monthly_returns"] }\n'))
    spec = sw.load_spec(spec_path)
    out = tmp_path / "out"
    df = pd.read_csv(sw.run_sweep(spec, out, market, progress=False))
    for cell in df["analyzers"]:
        entry = json.loads(cell)["monthly_returns"]
        assert entry["table"] is None and entry["rows"] == 1  # one year (2016) in the window 2016-01-04..04-29
        assert entry["note"].startswith("tables are not kept in a sweep")
        assert "analyzer_monthly_returns.csv" in entry["note"]
    assert not list(out.glob("analyzer_*"))


def test_ruined_is_a_bool_beside_ruin_date_and_an_older_folder_resumes(tmp_path, market, capsys):
    """Fresh-user trial: results.csv's ``ruined`` was empty unless ruined (pandas read NaN) and a date when set, where
    summary.json has a bool. Now ``ruined`` True / False and ``ruin_date`` beside it, as summary.json; a folder
    written before (``ruined`` the day or empty, no ``ruin_date``) resumes: its rows are rewritten in today's
    columns, none runs again, and the file equals a fresh sweep's."""
    import csv

    spec = sw.load_spec(write_spec(tmp_path, fast="[12]"))
    out = tmp_path / "out"
    results = sw.run_sweep(spec, out, market, progress=False)
    df = pd.read_csv(results)
    assert df["ruined"].dtype == bool and not df["ruined"].any() and df["ruin_date"].isna().all()
    fresh = results.read_bytes()
    rows = list(csv.reader(fresh.decode().splitlines()))
    at = rows[0].index("ruin_date")
    with results.open("w", newline="") as fh:  # as a sweep wrote it before ruin_date: the day (none here) in ruined
        csv.writer(fh, lineterminator="\n").writerows(
            [r[:at - 1] + ([r[at - 1]] if i == 0 else [r[at]]) + r[at + 1:] for i, r in enumerate(rows)])
    assert "ruin_date" not in results.read_text() and ",True," not in results.read_text()
    returns = (out / "returns.bin").read_bytes()
    sw.run_sweep(spec, out, market, progress=False)
    assert results.read_bytes() == fresh and (out / "returns.bin").read_bytes() == returns  # nothing ran again
    assert "is now ruined (True / False) and ruin_date" in capsys.readouterr().err


def test_the_end_of_sweep_rewrite_orders_rows_and_records_and_keeps_every_one(tmp_path, monkeypatch):
    """sweep_order.sort_rows and sweep_returns.sort on hand-made files: rows and records in grid order, keys outside the
    grid last in file order, the first record of a key kept (the one sweep_returns.load reads), one record per
    write (a 1-byte chunk: the memory bound), the file unchanged when already in order."""
    from vixhedge import sweep_returns
    from vixhedge.sweep_order import sort_rows

    csv_path = tmp_path / "results.csv"
    csv_path.write_text("point,x\nc,3\nz,9\na,1\ny,8\nb,2\n")
    sort_rows(csv_path, {"a": 0, "b": 1, "c": 2})
    assert csv_path.read_text() == "point,x\na,1\nb,2\nc,3\nz,9\ny,8\n"
    before = csv_path.stat().st_mtime_ns
    sort_rows(csv_path, {"a": 0, "b": 1, "c": 2})
    assert csv_path.stat().st_mtime_ns == before  # already in order: not rewritten
    key = lambda c: c * 16  # noqa: E731
    recs = {c: np.arange(3.0) + i for i, c in enumerate("abc")}
    sweep_returns.append(tmp_path, [(key("c"), recs["c"]), (key("a"), recs["a"]), (key("b"), recs["b"]),
                                    (key("a"), recs["a"] + 100)])  # a second record of a: load reads the first
    monkeypatch.setattr(sweep_returns, "SORT_CHUNK_BYTES", 1)
    sweep_returns.sort(tmp_path, {key(c): i for i, c in enumerate("abc")}, 3)
    raw = (tmp_path / "returns.bin").read_bytes()
    assert len(raw) == 3 * (16 + 8 * 3) and [raw[i * 40:i * 40 + 16] for i in range(3)] == [
        key(c).encode() for c in "abc"]
    keys, m = sweep_returns.load(tmp_path, [key(c) for c in "abc"], 3)
    np.testing.assert_array_equal(m, np.column_stack([recs[c] for c in "abc"]))


def test_the_end_of_sweep_rewrite_moves_whole_csv_records(tmp_path, capsys):
    """Fresh-user trial: a grid value "slow\\nline two, with comma" (a plug-in's policy_params) and a failure reason
    over two lines: sort_rows split files on line breaks, so the rewrite put the other rows inside the quoted field
    (results.csv then read as 1 point of 3, every rerun ran 2 again). Now whole records move, each byte-identical,
    the first row of a point only (paths.csv after a point reran); read_done reads the same keys, and cuts a torn
    record (its quote never closed) or a last one short of fields, never a whole multi-line one."""
    import csv
    import io

    from vixhedge.sweep_order import sort_rows
    from vixhedge.sweepio import read_done

    fields = ["point", "note", "x"]
    rows = {"a": ["a", "slow\nline two, with comma", "1"], "b": ["b", "fast", "2"], "c": ["c", 'say "hi"\r\n', "3"]}

    def record(r):
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\n").writerow(r)
        return buf.getvalue()

    path = tmp_path / "results.csv"
    path.write_text(record(fields) + record(rows["b"]) + record(rows["c"]) + record(rows["a"]), newline="")
    assert read_done(path, fields) == {"a", "b", "c"}  # the multi-line last record is whole: nothing cut
    sort_rows(path, {"a": 0, "b": 1, "c": 2})
    assert path.read_bytes().decode() == record(fields) + "".join(record(rows[k]) for k in "abc")
    assert list(csv.reader(io.StringIO(path.read_bytes().decode(), newline=""))) == [fields, *rows.values()]
    failed = tmp_path / "failed.csv"  # an error over two lines, a point outside the grid: last, in file order
    failed.write_text(record(["point", "params", "error"]) + record(["z", "{}", "Boom: line one\nline two"])
                      + record(["b", "{}", "ValueError: x"]), newline="")
    sort_rows(failed, {"b": 0})
    assert failed.read_bytes().decode() == (record(["point", "params", "error"]) + record(["b", "{}", "ValueError: x"])
                                            + record(["z", "{}", "Boom: line one\nline two"]))
    paths = tmp_path / "paths.csv"  # b ran twice (killed before its results row): the first line is kept
    paths.write_text("point,path,reason\nb,event,first\na,kernel,\nb,event,again\n")
    sort_rows(paths, {"a": 0, "b": 1})
    assert paths.read_text() == "point,path,reason\na,kernel,\nb,event,first\n"
    whole = path.read_bytes()
    path.write_bytes(whole + b'd,"slow\nline tw')  # torn inside the quoted field: its quote never closes
    sort_rows(path, {"a": 0})  # a torn file is left for the next run's repair
    assert path.read_bytes() == whole + b'd,"slow\nline tw'
    assert read_done(path, fields) == {"a", "b", "c"} and path.read_bytes() == whole
    path.write_bytes(whole + b'd,"two\nlines"\n')  # torn after a line break: a record short of fields
    assert read_done(path, fields) == {"a", "b", "c"} and path.read_bytes() == whole
    assert capsys.readouterr().err.count("cut a torn last row") == 2


def test_never_more_worker_processes_than_points(tmp_path, market, monkeypatch):
    """--workers 200 on a 6-point grid (3 x 2) forked 200 processes (the trial counted them with ps): the pool gets
    at most one process per point to run, and the results are those of one process."""
    import dataclasses

    seen = []
    real_pool = sw._run_pool
    monkeypatch.setattr(sw, "_run_pool", lambda batches, workers, spec, sink: (
        seen.append(workers), real_pool(batches, workers, spec, sink)))
    spec = sw.load_spec(write_spec(tmp_path))  # 6 grid points (2 of them invalid: fast >= slow)
    many = sw.run_sweep(dataclasses.replace(spec, workers=200), tmp_path / "many", market, progress=False)
    one = sw.run_sweep(dataclasses.replace(spec, workers=1), tmp_path / "one", market, progress=False)
    assert seen == [6]
    assert (many.parent / "results.csv").read_bytes() == (one.parent / "results.csv").read_bytes()


def test_cash_returns_of_a_datetime64_window_equal_the_per_day_ones(market):
    """A sweep point passes its window as datetime64[D] (vectorised, ~0.04 ms; the per-date path took ~0.6 ms a
    point, 3 s of a 5,184-point sweep): the same returns as from the dates, and a day outside the market refused."""
    import datetime as dt

    days = [d for d in market.days if dt.date(2016, 1, 4) <= d <= dt.date(2016, 12, 30)]
    arr = np.array(days, dtype="datetime64[D]")
    np.testing.assert_array_equal(market.cash_returns(arr), market.cash_returns(days))
    with pytest.raises(KeyError):
        market.cash_returns(np.array(["2016-01-02", "2016-01-04"], dtype="datetime64[D]"))  # a Saturday


def test_a_float_range_keeps_its_stop():
    """MUT26 G2 (the 1e-9 of the count dropped): 0.1, 0.2, 0.3 by hand, though (0.3 - 0.1) / 0.1 is
    1.9999999999999998 in floating point (Python prints it), whose floor would make two values."""
    from vixhedge.sweepgrid import values

    assert (0.3 - 0.1) / 0.1 < 2.0  # the case the tolerance is for
    got = values("k", {"start": 0.1, "stop": 0.3, "step": 0.1})
    assert len(got) == 3 and list(got) == pytest.approx([0.1, 0.2, 0.3], rel=0, abs=1e-12)


def test_the_split_is_part_of_a_sweeps_identity():
    """MUT26 S6 (the split left out of spec_identity's parts): README (a sweep's rows are split in and out of
    sample at sweep.in_sample_end, is_/oos_ columns): two specs differing only in in_sample_end make other rows, so
    their hashes differ (and a folder of one is not resumed as the other's); the same spec hashes the same."""
    import datetime as dt

    base = C.replace(C.load_default(), run={"start": "2016-01-04", "end": "2016-04-29"})
    grid = {"hedge.macd.fast": [8, 12]}
    specs = [sw.SweepSpec(name="t", base=base, grid=grid, in_sample_end=d)
             for d in (dt.date(2016, 2, 29), dt.date(2016, 3, 31), None, dt.date(2016, 2, 29))]
    hashes = [sw.spec_identity(s)["hash"] for s in specs]
    assert len(set(hashes[:3])) == 3 and hashes[3] == hashes[0], hashes


def test_a_grid_sweeping_analyzers_keeps_their_column(tmp_path):
    """MUT26 S11 (only the base config's analyzers kept the column): README (Analyzers: "in a sweep each point's
    entries are the JSON column `analyzers` of results.csv"): a grid over analysis.analyzers, the base with none,
    has the column; the same grid without that axis has none."""
    from vixhedge.sweep_metrics import ANALYZERS

    p = tmp_path / "an.toml"
    p.write_text('[base]\nrun = { start = 2016-01-04, end = 2016-04-29 }\n[grid]\n'
                 '"analysis.analyzers" = [[], ["monthly_returns"]]\n"hedge.macd.fast" = [8]\n')
    spec = sw.load_spec(p)
    assert spec.base.analysis.analyzers in ((), []) and "analysis.analyzers" in spec.grid
    assert sw.result_fields(spec)[-1] == ANALYZERS
    bare = dataclasses.replace(spec, grid={"hedge.macd.fast": [8]})
    assert ANALYZERS not in sw.result_fields(bare)
