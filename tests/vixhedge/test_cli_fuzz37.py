"""Trial FUZZ37 (2026-12-07, /work/notes/fuzz37_report.md): bad input that ended in an internal error (exit 3), in
two lines, or was taken silently. Each is now one line naming the file, key or flag, the value and the fix, exit 2,
before any work, nothing written:

* H2: a sweep grid naming a ``hedge.policy`` that does not load (``["alvh", "nosuchmod:x"]``, ``"alhv"``,
  ``mod:CONST``, a module whose import raises) was ``internal error: PluginError ...`` with an empty ``--out`` left
  behind (vixhedge/sweep_spec.py spec_identity -> extensions.grid_identities).
* H3 / M3 / M4: `vixhedge report` of a ``compare --period all`` folder: a periods.csv of another header was
  ``internal error: KeyError: 'period'``; a binary one two lines (pandas' message ends in a line break), an empty
  one a line naming no file; a cut or edited one was drawn as if whole (exit 0): the folder now records its files'
  sha256 in output_files.json, and one written before that is checked by its shape.
* H4 / L3: ``data fetch --base-url 'http://[::1'`` was ``internal error: ValueError: Invalid IPv6 URL``; ``''``
  silently fetched from https://cdn.cboe.com, and a URL with a space was taken.
* M5: a plug-in exception whose ``str()`` raises was ``internal error: RuntimeError: str of the exception raised``.
* L5: a damaged windows.json (compare --windows folder) named the folder, not the file; ``[1]`` there was an
  internal AttributeError (found while mending L5).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest

from tests.vixhedge.sweep_cases import write_grid_spec
from vixhedge.cli import main

WINDOW = ["--start", "2015-03-02", "--end", "2015-03-20"]  # (the trial's window, shorter: 15 sessions)
BAD_STR = '''
class BadStr(Exception):
    def __str__(self):
        raise RuntimeError("str of the exception raised")
'''


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


@pytest.fixture
def plug(tmp_path: Path, monkeypatch) -> Path:
    """A folder on sys.path holding the trial's misbehaving plug-ins (/tmp/fuzz37/plug/p_bad.py and kin)."""
    folder = tmp_path / "plug"
    folder.mkdir()
    (folder / "fz37_bad.py").write_text("CONST = 42\n" + BAD_STR + '''
def policy(state, snap, cfg):
    raise BadStr()


def selector(choice, cfg):
    raise BadStr()


def signal(inputs, cfg):
    raise BadStr()


def analyzer(result):
    raise BadStr()


class BadRepr:
    def __repr__(self):
        raise RuntimeError("repr raised")


def returns_bad_repr(state, snap, cfg):
    return BadRepr()
''')
    (folder / "fz37_import_raises.py").write_text('raise RuntimeError("import-time failure of a plug-in")\n')
    (folder / "fz37_import_badstr.py").write_text(BAD_STR + "raise BadStr()\n")
    monkeypatch.syspath_prepend(str(folder))
    return folder


# --- H2 ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, why", [
    ("nosuchmod:x", "cannot import module 'nosuchmod' (No module named 'nosuchmod')"),
    ("alhv", "'alhv' is neither a built-in (none, static, alvh, vxth, placebo), a 'module:callable' name, nor "
             "registered in the 'vixhedge.plugins' entry-point group (did you mean 'alvh'?)"),
    ("fz37_bad:CONST", "'fz37_bad:CONST' is a int, not a function"),
    ("fz37_import_raises:x", "importing module 'fz37_import_raises' failed: RuntimeError: import-time failure of a "
                             "plug-in (at "),
])
def test_a_grid_policy_that_does_not_load_is_one_line_before_the_out_folder(plug, tmp_path, capsys, name,
                                                                            why) -> None:
    """FUZZ37 H2, the trial's four cases (`"hedge.policy" = ["alvh", X]`): each was `vixhedge: internal error:
    PluginError: <why>`, exit 3, 1.0 s in, with --out created empty. The reasons are the loader's
    (vixhedge/plugins.py load / target_of), as the trial's output quotes them."""
    spec = write_grid_spec(tmp_path, f'"hedge.policy" = ["alvh", "{name}"]', name="pg3")
    out = tmp_path / "pg3"
    assert main(["sweep", str(spec), "--out", str(out), "-q"]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"vixhedge: {spec}: [grid] hedge.policy = {name!r} is invalid: {why}"), line
    assert not out.exists()


def test_a_grid_plugin_that_does_not_load_stops_a_walk_forward_before_the_market(plug, tmp_path, capsys) -> None:
    """FUZZ37 H2 under --walk-forward, and an analyzer list in the grid: the same line, before `building the
    market` (no -q: that stage line would have come first)."""
    spec = write_grid_spec(tmp_path, '"analysis.analyzers" = [[], ["nosuchmod:x"]]', name="pga")
    assert main(["sweep", str(spec), "--walk-forward", "3m,1m", "--out", str(tmp_path / "w")]) == 2
    assert _one_line(capsys).startswith(f"vixhedge: {spec}: [grid] analysis.analyzers[0] = 'nosuchmod:x' is invalid: "
                                        "cannot import module 'nosuchmod'")
    assert not (tmp_path / "w").exists()


def test_a_spec_built_in_python_is_checked_before_the_folder(plug, tmp_path) -> None:
    """FUZZ37 H2 through the API (a SweepSpec made in Python skips load_spec): sweep.preflight says it."""
    import dataclasses

    from feeds.market import build_market
    from vixhedge import sweep as sw
    from vixhedge.core.config import ConfigError

    spec = sw.load_spec(write_grid_spec(tmp_path, '"hedge.policy" = ["alvh", "static"]', name="api"))
    spec = dataclasses.replace(spec, grid={"hedge.policy": ["alvh", "fz37_bad:CONST"]})
    with pytest.raises(ConfigError, match=r"^sweep 'api': \[grid\] hedge.policy = 'fz37_bad:CONST' is invalid: "):
        sw.run_sweep(spec, tmp_path / "o", build_market(spec.base.market), progress=False)
    assert not (tmp_path / "o").exists()


# --- H3 / M3 / M4 -----------------------------------------------------------------------------------------------

def _periods_folder(tmp_path: Path, diff: float = 37178.03542) -> Path:
    """A `compare --period all` folder written by its writer (vixhedge.cli_periods.write_periods) from hand-made
    rows: two periods, a none and an alvh row each (test_compare_period's row shape), alvh's P&L difference
    ``diff``."""
    from vixhedge.cli_periods import period_table, write_periods

    base = {"start": "2015-08-03", "end": "2015-08-31", "sessions": 21, "baseline": "none", "p_value": math.nan}
    rows = []
    for period, folder in (("china-deval", "replay-china-deval-compare-1"), ("q4-2018", "replay-q4-2018-compare-2")):
        rows += [{**base, "period": period, "mode": "none", "end_nav_usd": 969221.5177, "hedge_pnl_usd": 0.0,
                  "condor_pnl_usd": -30755.61, "pnl_diff_usd": math.nan, "ci_low_usd": math.nan,
                  "ci_high_usd": math.nan, "verdict": "", "folder": folder},
                 {**base, "period": period, "mode": "alvh", "end_nav_usd": 1006399.553, "hedge_pnl_usd": 36544.29,
                  "condor_pnl_usd": -30106.32, "pnl_diff_usd": diff, "ci_low_usd": -40802.54894,
                  "ci_high_usd": 131626.5982, "verdict": "unclear (CI includes 0)", "folder": folder}]
    frame = pd.DataFrame(rows)
    return write_periods(tmp_path / "runs", "default", frame, period_table(frame))


AGAIN = "write the folder again with the command that made it"


@pytest.mark.parametrize("content, why", [
    (b"this is not what you think {{{ \n", "(no column 'period')"),  # the trial's H3 case (KeyError, exit 3)
    (bytes(range(256)) * 10, "(ParserError: Error tokenizing data. C error: Expected 1 fields in line 3, saw 2)"),
    (b"", "(EmptyDataError: No columns to parse from file)"),  # M4: binary (two lines), empty (no file named)
], ids=["garbage", "binary", "empty"])
def test_a_periods_csv_that_is_not_the_table_is_one_line_naming_it(tmp_path, capsys, content, why) -> None:
    """FUZZ37 H3 / M4, the trial's garbage, binary and empty periods.csv, in a folder written before
    output_files.json (its record removed: the trial's folders had none)."""
    folder = _periods_folder(tmp_path)
    (folder / "output_files.json").unlink(missing_ok=True)
    (folder / "periods.csv").write_bytes(content)
    page = (folder / "report.html").read_bytes()
    assert main(["report", str(folder)]) == 2
    assert _one_line(capsys) == (f"vixhedge: {folder / 'periods.csv'} is not the table `compare --period all` "
                                 f"writes {why}: {AGAIN}")
    assert (folder / "report.html").read_bytes() == page


def test_a_cut_periods_csv_of_a_folder_before_the_record_is_refused_by_its_shape(tmp_path, capsys) -> None:
    """FUZZ37 M3: periods.csv cut mid-row (the trial cut it in half: 5 of 10 rows drawn, the last mid-line, exit
    0). Here its last row loses its folder cell; and a whole row dropped disagrees with periods.txt's table."""
    folder = _periods_folder(tmp_path)
    (folder / "output_files.json").unlink(missing_ok=True)
    text = (folder / "periods.csv").read_text()
    (folder / "periods.csv").write_text(text[:text.rindex(",")] + "\n")  # the last row's folder cut off
    assert main(["report", str(folder)]) == 2
    assert _one_line(capsys) == (f"vixhedge: {folder / 'periods.csv'} is damaged (cut or edited?): a row has no "
                                 f"'folder': {AGAIN}")
    (folder / "periods.csv").write_text("".join(text.splitlines(keepends=True)[:-1]))  # 3 of the 4 rows
    assert main(["report", str(folder)]) == 2
    assert _one_line(capsys) == (f"vixhedge: {folder}: periods.txt does not hold periods.csv's 3 rows under its "
                                 f"header: {AGAIN}")


def test_an_edited_periods_file_is_refused_by_its_recorded_sha256(tmp_path, capsys) -> None:
    """FUZZ37 M3: a number edited in a data row of periods.csv, or periods.txt cut, was drawn (exit 0). The folder
    records both files' sha256 (output_files.json, as a compare --windows folder's windows.json does)."""
    folder = _periods_folder(tmp_path)
    record = json.loads((folder / "output_files.json").read_text())["output_files"]
    assert sorted(record) == ["periods.csv", "periods.txt"]
    assert main(["report", str(folder)]) == 0  # intact: drawn again
    capsys.readouterr()
    csv_bytes, txt = (folder / "periods.csv").read_bytes(), (folder / "periods.txt").read_text()
    (folder / "periods.csv").write_bytes(csv_bytes.replace(b"1006399.553", b"1006399.554", 1))
    assert main(["report", str(folder)]) == 2
    assert _one_line(capsys) == (f"vixhedge: {folder / 'periods.csv'} is damaged or was edited: its sha256 is not the "
                                 f"one output_files.json recorded when it was written: {AGAIN}")
    (folder / "periods.csv").write_bytes(csv_bytes)
    (folder / "periods.txt").write_text(txt[:len(txt) // 2])  # the trial's cut: the lines under the table
    assert main(["report", str(folder)]) == 2
    assert _one_line(capsys).startswith(f"vixhedge: {folder / 'periods.txt'} is damaged or was edited: ")
    (folder / "output_files.json").write_text("[1,")
    assert main(["report", str(folder)]) == 2
    assert _one_line(capsys) == (f"vixhedge: {folder / 'output_files.json'} is damaged (not the JSON `compare "
                                 f"--period all` writes): {AGAIN}")


# --- H4 / L3 ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("flag", ["--base-url", "--fred-url"])
@pytest.mark.parametrize("url, why", [
    ("http://[::1", "is not an http(s) URL with a host, like https://cdn.cboe.com or http://127.0.0.1:8000: give the "
                    "scheme and host of the server"),  # H4 (exit 3: urlsplit's ValueError)
    ("", "is not an http(s) URL with a host, like https://cdn.cboe.com or http://127.0.0.1:8000: give the scheme and "
         "host of the server"),  # L3 (the default server, silently)
    ("http://127.0.0.1:9/ with space", "holds a space or a control character, which no server's URL has: remove it "
                                       "(or write a space as %20)"),  # L3 (taken)
], ids=["ipv6", "empty", "space"])
def test_a_bad_server_url_is_one_line_before_any_fetch(tmp_path, capsys, flag, url, why) -> None:
    """FUZZ37 H4 / L3 (`data fetch` URL flags given once). Before the fix the last two reached the network probe
    (`no network: ...` or a refused connection): not this line."""
    assert main(["data", "fetch", "--cache", str(tmp_path / "c"), flag, url]) == 2
    assert _one_line(capsys) == f"vixhedge: {flag} {url!r} {why}"
    assert not (tmp_path / "c").exists() or not any((tmp_path / "c").iterdir())


# --- M5 ---------------------------------------------------------------------------------------------------------

NO_MESSAGE = "BadStr: (no message: its __str__ raised RuntimeError)"


@pytest.mark.parametrize("setting, words", [
    ("hedge.policy='fz37_bad:policy'", "hedge policy fz37_bad:policy failed on 2015-03-02: "),  # the trial's case
    ("condor.selector='fz37_bad:selector'", "condor selector fz37_bad:selector failed on 2015-03-02: "),
    ("hedge.signals=['fz37_bad:signal']", "signal fz37_bad:signal failed "),
    ("analysis.analyzers=['fz37_bad:analyzer']", "analyzer fz37_bad:analyzer failed: "),
])
def test_a_plugin_exception_whose_str_raises_is_named_by_its_type(plug, tmp_path, capsys, setting, words) -> None:
    """FUZZ37 M5: `run --set hedge.policy='p_bad:bad_str'` was `internal error: RuntimeError: str of the exception
    raised`, exit 3 (strategies/policies.py, selectors.py, extra_signals.py, analyzers/plugins.py f-strings)."""
    assert main(["run", "-q", *WINDOW, "--runs-dir", str(tmp_path / "runs"), "--set", setting]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"vixhedge: {words}") and NO_MESSAGE in line and "fz37_bad.py" in line, line


def test_an_import_error_whose_str_raises_and_a_return_whose_repr_raises_are_one_line(plug, tmp_path,
                                                                                      capsys) -> None:
    """FUZZ37 M5's kin (vixhedge/plugins.py load and short_repr quote a plug-in's exception and return value)."""
    runs = ["--runs-dir", str(tmp_path / "runs")]
    assert main(["run", "-q", *WINDOW, *runs, "--set", "hedge.policy='fz37_import_badstr:x'"]) == 2
    assert _one_line(capsys).startswith(f"vixhedge: --set hedge.policy='fz37_import_badstr:x': hedge.policy = "
                                        f"'fz37_import_badstr:x' is invalid: importing module 'fz37_import_badstr' "
                                        f"failed: {NO_MESSAGE} (at ")
    assert main(["run", "-q", *WINDOW, *runs, "--set", "hedge.policy='fz37_bad:returns_bad_repr'"]) == 2
    assert _one_line(capsys).startswith("vixhedge: hedge policy fz37_bad:returns_bad_repr returned a BadRepr (whose "
                                        "__repr__ raised RuntimeError) on 2015-03-02: return a Decision")


# --- L5 ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("content, why", [("{", "(JSONDecodeError: Expecting property name enclosed in double quotes: "
                                                 "line 1 column 2 (char 1))"),  # the trial's garbage / truncated
                                          ("[1]", "(TypeError: it holds a JSON list, not the object the command "
                                                  "writes)")], ids=["cut", "list"])  # (AttributeError)
def test_a_damaged_windows_json_is_named(tmp_path, capsys, content, why) -> None:
    """FUZZ37 L5: `.../rep is not a readable compare --windows folder (JSONDecodeError: ...)` named the folder, not
    the file."""
    folder = tmp_path / "rep"
    folder.mkdir()
    (folder / "windows.json").write_text(content)
    (folder / "windows.csv").write_text("start,end,mode\n")
    assert main(["report", str(folder)]) == 2
    assert _one_line(capsys) == (f"vixhedge: {folder / 'windows.json'} is damaged, so {folder} is not a readable "
                                 f"compare --windows folder {why}: write it again with the command that made it")


def test_workers_above_the_cores_are_capped_and_said(capsys, monkeypatch):
    """FUZZ37 L1: `compare --windows 1m --workers 64` on 6 windows took 11 s against 4.6 s with all cores (64 forked
    processes for 6 windows on 2 cores); placebo's --workers alike. Capped at the cores (and the seeds / windows), in
    one stderr line as a sweep's workers are (sweep_keys.cap_workers)."""
    import os

    from vixhedge.placebo_args import worker_count

    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert worker_count(64, 6, "--workers") == 2
    assert capsys.readouterr().err == ("vixhedge: --workers 64 is more than this machine's 2 cores: running 2 worker "
                                       "processes\n")
    assert worker_count(0, 6, "--workers") == 2 and worker_count(2, 1, "--workers") == 1
    assert capsys.readouterr().err == ""
