"""Trial FUZZ37's LOW findings left open (/work/notes/fuzz37_report.md, LOW; brief FIX38):

* L4: ``compare --windows 1y --workers 2`` with a failing plug-in said ``hedge policy p_bad:raises failed on
  2015-03-02: ZeroDivisionError: division by zero`` without the ``(at FILE:LINE in FUNC)`` one process prints, and
  with a hanging plug-in interrupted ``vixhedge: interrupted`` alone where a plain run says ``interrupted (in hedge
  policy p_bad:hang on ...)``. The pooled paths (compare --windows', placebo's) now say what one process says
  (vixhedge/sweep_worker.py as_finished).
* L8: an analyzer's ``{"x": nan, "y": inf}`` was written null in metrics.json without a word: now with a note.
* L1: ``--windows ' 2m'`` / ``'2m '`` / ``'2M'`` / ``'2m\n'`` / ``'٢m'``, ``--n-boot 2_000`` / ``' 200'``,
  ``--seeds ' 20'`` and ``--workers ' 2'`` were taken (exit 0): refused in one line naming the flag, value and form.
* L3: ``data fetch --cache <a run folder>`` was taken and downloaded into: refused before any download.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.vixhedge.test_cli_fuzz_cf21 import one_line  # (stderr's one line: no traceback, no internal error)
from vixhedge.cli import main

WINDOWS = ["--windows", "1y", "--start", "2015-01-02", "--end", "2016-12-31"]  # (5 windows on the embedded market)


@pytest.fixture
def plug(tmp_path: Path, monkeypatch) -> Path:
    """A folder on sys.path holding plug-ins like the trial's /tmp/fuzz37/plug/p_bad.py (``raises``: 1 / 0 on a
    valid snapshot) and one that hangs once it has said so in a marker file."""
    folder = tmp_path / "plug"
    folder.mkdir()
    (folder / "fx38_bad.py").write_text(f'''import pathlib
import time

from vixhedge.api import Decision


def raises(state, snap, cfg):
    if snap.valid:
        return 1 / 0
    return Decision((), (), ())


def hang(state, snap, cfg):
    pathlib.Path({str(tmp_path / "hanging")!r}).touch()  # (the test interrupts now)
    while True:
        time.sleep(0.05)


def seed_analyzer(result):
    if result.config.hedge.policy_name == "placebo":  # a placebo seed, run in a worker
        return 1 / 0
    return {{}}
''')
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.delitem(sys.modules, "fx38_bad", raising=False)  # (another test's: another folder)
    return folder


# --- L4 ---------------------------------------------------------------------------------------------------------

PLACE = re.compile(r" \(at (.+)/fx38_bad\.py:(\d+) in (\w+)\)$")


def test_a_plugin_failure_in_a_windows_worker_names_its_place(plug, tmp_path, capsys) -> None:
    """FUZZ37 L4: with --workers 2 the line lacked ``(at FILE:LINE in FUNC)``, which --workers 1 gives (the
    plug-in's cause, which vixhedge.plugin_trace.where reads, does not cross the process boundary: its place is now
    kept in the error, plugin_trace.keep_place). Line 9 of fx38_bad.py is ``return 1 / 0`` (the fixture above)."""
    args = ["compare", *WINDOWS, "--set", "hedge.policy='fx38_bad:raises'", "-q"]
    lines = []
    for workers in ("1", "2"):
        assert main([*args, "--workers", workers, "--runs-dir", str(tmp_path / workers)]) == 2
        lines.append(one_line(capsys))
    for line in lines:
        assert re.match(r"vixhedge: hedge policy fx38_bad:raises failed on 20\d\d-\d\d-\d\d: ZeroDivisionError: "
                        r"division by zero \(at ", line), line
        m = PLACE.search(line)
        assert m and m.groups() == (str(plug), "9", "raises"), line
    assert not any((tmp_path / w).exists() and any((tmp_path / w).iterdir()) for w in ("1", "2"))  # nothing written


def test_a_plugin_failure_in_a_placebo_worker_names_its_place(plug, tmp_path, capsys) -> None:
    """The placebo's seeds share the pooled path (sweep_worker.as_finished): an analyzer that fails on the seeds
    alone (not the reference) is named with its place under --workers 2 as under 1 (line 21 of fx38_bad.py:
    ``return 1 / 0`` in seed_analyzer)."""
    for workers in ("1", "2"):
        out = tmp_path / f"pl{workers}"
        assert main(["placebo", "--start", "2015-01-02", "--end", "2015-12-31", "--seeds", "19", "--workers",
                     workers, "--set", "analysis.analyzers=['fx38_bad:seed_analyzer']", "--out", str(out), "-q"]) == 2
        line = one_line(capsys)
        assert line.startswith("vixhedge: analyzer fx38_bad:seed_analyzer failed: ZeroDivisionError: division by "
                               "zero (at "), line
        m = PLACE.search(line)
        assert m and m.groups() == (str(plug), "21", "seed_analyzer"), line
        assert not out.exists()


def test_ctrl_c_on_a_hanging_plugin_in_a_windows_worker_names_it(plug, tmp_path) -> None:
    """FUZZ37 L4: Ctrl-C (SIGINT to the process group) of ``compare --windows --workers 2`` whose policy hangs gave
    ``vixhedge: interrupted`` alone; a plain run names the plug-in and day (strategies/policies.py decide_checked).
    The workers now take the interrupt as a sweep's do, and the parent's line carries their words. The two workers
    run the first two windows (1y windows stepped 3m from 2015-01-02: 2015-01-02 and 2015-04-02, each window's
    first session), both hung."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(plug), *sys.path])}
    proc = subprocess.Popen([sys.executable, "-m", "vixhedge", "compare", *WINDOWS, "--workers", "2", "-q",
                             "--set", "hedge.policy='fx38_bad:hang'", "--runs-dir", str(tmp_path / "runs")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)
    deadline = time.time() + 120
    while not (tmp_path / "hanging").exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(1.0)  # (the second worker in its window too)
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    last = err.strip().splitlines()[-1]
    assert last == ("vixhedge: interrupted (in hedge policy fx38_bad:hang on 2015-01-02; in hedge policy "
                    "fx38_bad:hang on 2015-04-02)"), err


# --- L8 ---------------------------------------------------------------------------------------------------------

def test_an_analyzer_nan_or_inf_is_written_null_with_a_note(tmp_path, capsys, monkeypatch) -> None:
    """FUZZ37 L8: an analyzer returning ``{"x": nan, "y": inf}`` was written ``null`` in metrics.json without a
    word (exit 0), while other non-JSON values are refused in one line. Refusing would lose the finished run (the
    analyzer runs after it), so the run is kept, null written, and one note names the analyzer, each key (nested:
    ``w.a[1]``) and value (analyzers/plugins.py _json_safe)."""
    import json

    folder = tmp_path / "plug"
    folder.mkdir()
    (folder / "fx38_nan.py").write_text('def an(result):\n    return {"x": float("nan"), "y": float("inf"), "z": 1.5, '
                                        '"w": {"a": [1, float("-inf")]}}\n')
    monkeypatch.syspath_prepend(str(folder))
    assert main(["run", "--start", "2015-03-02", "--end", "2015-04-30", "--set", "analysis.analyzers=['fx38_nan:an']",
                 "--runs-dir", str(tmp_path / "runs")]) == 0
    err = capsys.readouterr().err
    assert ("note: analyzer fx38_nan:an returned x = nan, y = inf, w.a[1] = -inf: not a JSON number, written null "
            "in metrics.json\n") in err, err
    (metrics,) = (tmp_path / "runs").glob("*/metrics.json")
    assert json.loads(metrics.read_text())["analyzers"]["an"] == {"x": None, "y": None, "z": 1.5, "w": {"a": [1, None]}}


# --- L1 ---------------------------------------------------------------------------------------------------------

def _refused(argv: list[str], capsys) -> str:
    try:
        code = main(argv)
    except SystemExit as exc:  # (argparse's own errors: the parser's one line, exit 2)
        code = exc.code
    assert code == 2
    return one_line(capsys)


@pytest.mark.parametrize("text", [" 2m", "2m ", "2M", "2m\n", "\u0662m", "5Y/3m"])
def test_a_windows_value_in_a_form_the_help_does_not_give_is_refused(text, tmp_path, capsys) -> None:
    """FUZZ37 L1: ``--windows ' 2m'``, ``'2m '``, ``'2M'``, ``'2m\\n'`` and ``'٢m'`` (U+0662, an Arabic-Indic 2, read
    as 2) ran (exit 0): parse_windows stripped, lower-cased and matched \\d. The help writes y and m, e.g. 5y/3m."""
    line = _refused(["compare", "--windows", text, "--start", "2015-01-02", "--end", "2015-12-31",
                     "--runs-dir", str(tmp_path / "runs")], capsys)
    assert line.startswith(f"vixhedge: --windows {text!r} is malformed: write LENGTH[/STEP], each the digits 0-9 and y "
                           "(years) or m (months) in lower case, nothing around them, e.g. 5y/3m"), line
    assert not (tmp_path / "runs").exists()


@pytest.mark.parametrize("argv", [
    ["compare", "--n-boot", "2_000"],  # (the trial: ran 2,000 draws)
    ["compare", "--n-boot", " 200"],
    ["compare", "--block-days", "\u0665"],
    ["compare", "--windows", "1y", "--workers", " 2"],
    ["placebo", "--seeds", " 20"],
    ["placebo", "--workers", " 2"],
    ["placebo", "--seeds", "+20"],
    ["sweep", "spec.toml", "--workers", "2 "],
    ["sweep", "spec.toml", "--spa-block-days", "1_0"],
])
def test_a_count_in_a_form_the_help_does_not_give_is_refused(argv, tmp_path, capsys) -> None:
    """FUZZ37 L1: ``--n-boot 2_000``, ``--n-boot ' 200'``, ``--seeds ' 20'`` and ``--workers ' 2'`` were taken
    (argparse's type=int is Python's int(): spaces, underscores and any script's digits). One shared type now,
    vixhedge.argtypes.whole: the digits 0-9 alone."""
    flag, value = argv[-2:]
    line = _refused([*argv, *(["--runs-dir", str(tmp_path / "o")] if argv[0] == "compare" else
                              ["--out", str(tmp_path / "o")])], capsys)
    assert f"error: argument {flag}: {value!r} is not a whole number: write the digits 0-9 alone (no spaces, " \
           "underscores, '+' or other scripts' digits)" in line and "e.g." not in line, line
    assert not (tmp_path / "o").exists()


# --- L3 ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("files, words", [
    (["metrics.json", "report.html", "manifest.json", "daily.csv"], "is a vixhedge output folder (it holds "
                                                                     "metrics.json)"),  # a run folder
    (["summary.json", "results.csv", "report.html"], "is a vixhedge output folder (it holds report.html)"),  # a sweep
    (["default-b101769d/metrics.json", "default-b101769d/manifest.json"],
     "holds vixhedge output folders (default-b101769d/metrics.json)"),  # a runs/ folder
])
def test_a_fetch_cache_that_is_an_output_folder_is_one_line_before_any_download(tmp_path, capsys, files,
                                                                                words) -> None:
    """FUZZ37 L3: ``data fetch --cache <a run folder>`` was taken and went on to download into it (stopped in the
    trial only by the refused connection of 127.0.0.1:9). Offline: the servers are 127.0.0.1:9, as the trial's, and
    the refusal comes before any connection."""
    cache = tmp_path / "out"
    for name in files:
        (cache / name).parent.mkdir(parents=True, exist_ok=True)
        (cache / name).write_text("{}\n")
    before = sorted(p.relative_to(cache) for p in cache.rglob("*"))
    line = _refused(["data", "fetch", "--cache", str(cache), "--base-url", "http://127.0.0.1:9", "--fred-url",
                     "http://127.0.0.1:9", "--start", "2018-02-01", "--end", "2018-02-28"], capsys)
    assert line == (f"vixhedge: --cache {str(cache)!r} {words}: the fetch would write vx/, VIX_History.csv, indices/ "
                    "and rates/ among them: give the data cache (a data directory, or ~/.cache/vixhedge/cboe) or a new "
                    "folder"), line
    assert sorted(p.relative_to(cache) for p in cache.rglob("*")) == before  # nothing made or changed

