"""Trial FUZZ40 (2026-12-07, bad input on session 39's entry points), the findings fix40a mends:

* H1: ``compare --variant NAME sweep=FOLDER`` ran a hand-edited summary.json's best point (rc 0, "the best of 2
  points of the sweep"), which ``vixhedge report FOLDER`` refuses by its output_files.json sha256; base.toml alike.
* M1: summary.json fields the search words read, edited, were ``internal error`` (exit 3), under --windows too.
* L5: ``sweep=''`` said ``sweep = '.'``; a key given twice in one --variant: the last won, unsaid.
* M4: a windows.json ``command`` that is not text blamed windows.csv.
* L6: an unbalanced-quote --runs-dir was kept and a second added; windows.json ``summary = {}`` drew a page.
* L4: a sweep grid's bad list element lost its ``[i]``.

The sweep is two points (hedge.review_bars 0 / 5, the trial's /tmp/fuzz40/tiny_sweep.toml) over 2015-01-02..03-31 on
the embedded market; the windows folder is tests/vixhedge/test_det39_paths.py's WINDOWS (3 windows of 6 months in
2015, n_boot 100)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.vixhedge.sweep_cases import write_grid_spec
from vixhedge.cli import main
from vixhedge.compare import MODE_NAMES
from vixhedge.compare_variants import checked_variants, cli_variants
from vixhedge.core import config as C

COMPARE = ["compare", "--modes", "none,alvh", "--n-boot", "100", "-q", "--start", "2015-01-02", "--end", "2015-03-31"]
WINDOWS = ["compare", "-q", "--start", "2015-01-01", "--end", "2015-12-31", "--windows", "6m/3m", "--n-boot", "100",
           "--modes", "none,static"]


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err
    return err[0]


@pytest.fixture(scope="module")
def sweep(tmp_path_factory) -> Path:
    """The trial's tiny sweep (2 points, review_bars 0 and 5), run by the command."""
    tmp = tmp_path_factory.mktemp("fz40a")
    spec = write_grid_spec(tmp, '"hedge.review_bars" = [0, 5]', name="tiny", start="2015-01-02", end="2015-03-31")
    assert main(["sweep", str(spec), "--out", str(tmp / "sw"), "--workers", "1", "-q"]) == 0
    return tmp / "sw"


def _copy(sweep: Path, tmp_path: Path, edit=None, hashed: bool = True) -> Path:
    """A copy of the sweep with summary.json edited by ``edit`` (and without output_files.json unless ``hashed``)."""
    folder = tmp_path / "copy"
    shutil.copytree(sweep, folder)
    if edit:
        s = json.loads((folder / "summary.json").read_text())
        edit(s)
        (folder / "summary.json").write_text(json.dumps(s))
    if not hashed:
        (folder / "output_files.json").unlink()
    return folder


def test_h1_an_edited_best_point_is_refused_as_report_refuses_it(sweep, tmp_path, capsys):
    """trial FUZZ40 H1: best["hedge.review_bars"] set to the point the sweep did not pick (5) ran with rc 0 and the
    caveat "the best of 2 points of the sweep"; report refused the folder (vixhedge/sweepio.py damaged_output).
    Now the compare says report's words, naming the variant, exit 2, before any folder is written."""
    picked = json.loads((sweep / "summary.json").read_text())["best"]["hedge.review_bars"]
    folder = _copy(sweep, tmp_path, lambda s: s["best"].__setitem__("hedge.review_bars", 5 - picked))
    runs = tmp_path / "runs"
    assert main([*COMPARE, "--variant", "best", f"sweep={folder}", "--runs-dir", str(runs)]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"vixhedge: variant best: sweep = '{folder}': {folder / 'summary.json'} is damaged or was "
                           "edited: its sha256 is not the one output_files.json recorded when the sweep finished: "
                           f"rerun `vixhedge sweep SPEC.toml --out {folder}`"), line
    assert not runs.exists()
    assert main(["report", str(folder)]) == 2  # (report's own line: the same words)
    assert "summary.json is damaged or was edited" in _one_line(capsys)


def test_h1_an_edited_base_toml_is_refused(sweep, tmp_path):
    """trial FUZZ40 H1: base.toml, listed in output_files.json, was not checked (a valid edit used silently)."""
    folder = _copy(sweep, tmp_path)
    (folder / "base.toml").write_text((folder / "base.toml").read_text() + "\n")
    with pytest.raises(C.ConfigError, match=r"base\.toml is damaged or was edited"):
        checked_variants({"b": {"sweep": str(folder)}}, MODE_NAMES, C.load_default())


@pytest.mark.parametrize("field, edit, echo", [
    ("rank_by.metric", lambda s: s["rank_by"].__setitem__("metric", ["x"]), "['x']"),
    ("rank_by.metric", lambda s: s["rank_by"].__setitem__("metric", "zzz"), "'zzz'"),
    ("points", lambda s: s.__setitem__("points", "abc"), "'abc'"),
    ("points", lambda s: s.__setitem__("points", [2]), "[2]"),
    ("points", lambda s: s.__setitem__("points", 2.7), "2.7"),
    ("rankings", lambda s: s.__setitem__("rankings", 5), "5"),
    ("market", lambda s: s.__setitem__("market", "x"), "'x'"),
    ("out_of_sample_rank", lambda s: s.__setitem__("out_of_sample_rank", [1]), "[1]"),
    ("out_of_sample_rank.points", lambda s: (s["market"].__setitem__("in_sample_end", "2015-02-27"),
                                             s.__setitem__("out_of_sample_rank", {"test_rank": 1})), "None"),
    ("best", lambda s: s.__setitem__("best", {}), "{}"),
], ids=["metric-list", "metric-unknown", "points-text", "points-list", "points-float", "rankings-int", "market-str",
        "oos-list", "oos-no-points", "best-empty"])
def test_m1_a_bad_summary_field_is_one_line_naming_it(sweep, tmp_path, field, edit, echo):
    """trial FUZZ40 M1 (its 7 cases, and H1's points 2.7, rank_by zzz and best {}), in a folder without
    output_files.json (one from before it: nothing hashed): each was an internal error (TypeError, ValueError,
    AttributeError, KeyError) or ran; now one ConfigError naming summary.json's field and value."""
    folder = _copy(sweep, tmp_path, edit, hashed=False)
    with pytest.raises(C.ConfigError) as got:
        checked_variants({"b": {"sweep": str(folder)}}, MODE_NAMES, C.load_default())
    assert str(got.value).startswith(f"variant b: sweep = '{folder}': its summary.json's {field} = {echo} is not "
                                     "what a sweep writes ("), str(got.value)


def test_m1_under_windows_too(sweep, tmp_path, capsys):
    """trial FUZZ40 M1: `--windows 3m/3m --variant b sweep=sv/points_text` exited 3; now 2, one line."""
    folder = _copy(sweep, tmp_path, lambda s: s.__setitem__("points", "abc"), hashed=False)
    runs = tmp_path / "runs"
    assert main([*WINDOWS, "--variant", "b", f"sweep={folder}", "--runs-dir", str(runs)]) == 2
    assert "its summary.json's points = 'abc'" in _one_line(capsys)
    assert not runs.exists()


def test_l5_an_empty_sweep_says_what_was_typed_and_a_repeated_key_is_refused():
    """trial FUZZ40 L5: `sweep=''` said `sweep = '.' has no summary.json`; `hedge.review_bars=0
    hedge.review_bars=5` (or sweep=A sweep=A) ran the last, unsaid."""
    with pytest.raises(C.ConfigError, match=r"^variant b: sweep = '' is empty: give the folder"):
        checked_variants(cli_variants([["b", "sweep="]]), MODE_NAMES, C.load_default())
    with pytest.raises(C.ConfigError, match=r"^--variant b gives hedge\.review_bars twice \('hedge\.review_bars=0' "
                                            r"and 'hedge\.review_bars=5'\): give each key once$"):
        cli_variants([["b", "hedge.review_bars=0", "hedge.review_bars=5"]])
    with pytest.raises(C.ConfigError, match=r"^--variant b gives sweep twice"):
        cli_variants([["b", "sweep=A", "sweep=A"]])


@pytest.fixture(scope="module")
def windows(tmp_path_factory) -> Path:
    """A compare --windows folder (WINDOWS), written by the command."""
    runs = tmp_path_factory.mktemp("fz40aw") / "runs"
    assert main([*WINDOWS, "--runs-dir", str(runs)]) == 0
    (folder,) = runs.iterdir()
    return folder


def _edited(windows: Path, tmp_path: Path, key: str, value) -> Path:
    folder = tmp_path / "runs" / windows.name
    shutil.copytree(windows, folder)
    record = json.loads((folder / "windows.json").read_text())
    if value is KeyError:
        record.pop(key)
    else:
        record[key] = value
    (folder / "windows.json").write_text(json.dumps(record, indent=2))
    return folder


@pytest.mark.parametrize("value", [123, None, ["vixhedge"], KeyError], ids=["int", "null", "list", "missing"])
def test_m4_a_bad_command_names_windows_json(windows, tmp_path, capsys, value):
    """trial FUZZ40 M4: `command` 123, null, ["vixhedge"] or missing said `.../windows.csv is damaged` (windows.csv
    was intact); the folder is left as it was."""
    folder = _edited(windows, tmp_path, "command", value)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert main(["report", str(folder)]) == 2
    assert _one_line(capsys).startswith(f"vixhedge: {folder / 'windows.json'} is damaged, so {folder} is not")
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


@pytest.mark.parametrize("value", [{}, None, []], ids=["empty", "null", "list"])
def test_l6_a_summary_without_its_modes_is_refused(windows, tmp_path, capsys, value):
    """trial FUZZ40 L6: windows.json `summary = {}` drew a page saying nothing of any mode, rc 0."""
    folder = _edited(windows, tmp_path, "summary", value)
    assert main(["report", str(folder)]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"vixhedge: {folder / 'windows.json'} is damaged"), line
    assert "where the command writes an entry for each mode beside the baseline (static)" in line


def test_l6_an_unbalanced_runs_dir_is_kept_as_it_is(tmp_path):
    """trial FUZZ40 L6: `... --runs-dir 'a b --windows 3m` was drawn `... --runs-dir 'a b --runs-dir wv --windows
    3m/3m`: a command of another shape is kept as it is (placed's docstring)."""
    from vixhedge.compare_windows_page import placed

    command = "vixhedge compare x --modes none,alvh --baseline none --runs-dir 'a b --windows 3m/3m"
    assert placed(command, tmp_path / "wv" / "fz-windows-1") == command


def test_l4_a_grid_list_element_keeps_its_index(tmp_path, capsys):
    """trial FUZZ40 L4: `"hedge.signals" = [[...], ["custom_signal:vx_zscore", "nomod:x"]]` said `[grid]
    hedge.signals = 'nomod:x' is invalid`; a config says `hedge.signals[1] = 'nomod:x'` (API39 L4)."""
    spec = write_grid_spec(tmp_path, '"hedge.signals" = [[], ["math:sqrt", "nomodfz40a:x"]]', name="l4")
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "-q"]) == 2
    assert _one_line(capsys).startswith(f"vixhedge: {spec}: [grid] hedge.signals[1] = 'nomodfz40a:x' is invalid: "
                                        "cannot import module 'nomodfz40a'")
    assert not (tmp_path / "o").exists()
