"""Trial FUZZ40 (bad input on session 39's entry points, /work/notes/fuzz40_report.md), the plug-in findings: M2 (a
hand-edited manifest.json plug-in identity), M3 (the plug-ins line names the modes or points that ran one), M5 (a
plug-in module named like a standard-library module), M6 (an analyzer's self-referencing, too deep or out-of-range
dict), L1 (a layer action's layer_id a bool or float) and L7 (an analyzer table whose cells print their address)."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from vixhedge import extensions
from vixhedge.cli import main
from vixhedge.core import config as C
from vixhedge.sweep_market import plugin_lines

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"  # custom_condor:pick, custom_hedge:policy (README "Plug-ins")
WINDOW = ["--start", "2016-01-04", "--end", "2016-04-29"]  # test_plugin_fixes39's short embedded-market window


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): _sha(p) for p in sorted(folder.rglob("*")) if p.is_file()}


def _run(tmp_path, *extra) -> Path:
    assert main(["run", "--runs-dir", str(tmp_path / "runs"), "-q", "--engine", "fast", *WINDOW, *extra]) == 0
    (run,) = [p for p in (tmp_path / "runs").iterdir() if p.is_dir()]
    return run


def _refused(argv, capsys) -> str:
    """The one stderr line of a command refused with exit 2."""
    capsys.readouterr()
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "internal error" not in err, err
    return err


# the manifest.json edits of trial FUZZ40 M2 (case_manifest.py / case_runmf.py): each was an internal error, exit 3
EDITS = [("hedge_policy", lambda m: m.__setitem__("hedge_policy", "custom_hedge:policy"),
          "hedge_policy = 'custom_hedge:policy' is not a plug-in identity (an object of name, module, qualname, "
          "source_sha256)"),
         ("signals", lambda m: m.__setitem__("signals", [None]), "signals[0] = None is not a plug-in identity"),
         ("signals dict", lambda m: m.__setitem__("signals", {"name": "x"}),
          "signals = {'name': 'x'} is not a list of plug-in identities"),
         ("name", lambda m: m["hedge_policy"].__setitem__("name", 5),
          "hedge_policy.name = 5 is not a non-empty string"),
         ("sha", lambda m: m["hedge_policy"].__setitem__("source_sha256", 12345),
          "hedge_policy.source_sha256 = 12345 is not a non-empty string"),
         ("files", lambda m: m["hedge_policy"].__setitem__("source_files", [1, {"module": 5}]),
          "hedge_policy.source_files[0] = 1 is not a file (module, file, sha256)")]


def test_a_hand_edited_plugin_identity_in_a_run_s_manifest_is_one_line(tmp_path, monkeypatch, capsys):
    """Trial FUZZ40 M2 (run folder): `vixhedge report` of a folder whose manifest.json plug-in identity was edited
    into a string, a list of null, a dict for a list, a number name or source sha256, or junk source_files ended as
    "internal error" (exit 3, html._policy_rows / extensions.manifest_plugins); now one line naming manifest.json and
    the field, exit 2, the folder unchanged. A manifest that is a JSON array too (runfolder.py:106)."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    run = _run(tmp_path, "--set", "hedge.policy=custom_hedge:policy")
    good = (run / "manifest.json").read_text()
    for _, edit, words in EDITS:
        mf = json.loads(good)
        edit(mf)
        (run / "manifest.json").write_text(json.dumps(mf, indent=2))
        before = _tree(run)
        err = _refused(["report", str(run)], capsys)
        assert f"{run / 'manifest.json'} is damaged or was edited: {words}" in err, err
        assert "; write the folder again: `vixhedge run " in err, err
        assert _tree(run) == before
    (run / "manifest.json").write_text("[]")
    err = _refused(["report", str(run)], capsys)
    assert "manifest.json is damaged or was edited: it holds a JSON array, not an object; write the folder" in err
    (run / "manifest.json").write_text(good)
    assert main(["report", str(run)]) == 0  # (the manifest as the run wrote it reads back)


@pytest.fixture(scope="module")
def selector_compare(tmp_path_factory):
    """A compare of none and alvh with a variant ``sel`` whose condors the plug-in selector custom_condor:pick picks
    (trial FUZZ40 M3's case: `--variant sel condor.selector=custom_condor:pick`); its folder and stdout."""
    tmp = tmp_path_factory.mktemp("cmp")
    done = subprocess.run([sys.executable, "-m", "vixhedge", "compare", "--modes", "none,alvh", "--variant", "sel",
                           "condor.selector=custom_condor:pick", "--runs-dir", str(tmp / "runs"), "--n-boot", "200",
                           *WINDOW], capture_output=True, text=True, timeout=600, cwd=tmp,
                          env={**os.environ, "PYTHONPATH": f"{ROOT}{os.pathsep}{EXAMPLES}"})
    assert done.returncode == 0, done.stderr
    (folder,) = [p for p in (tmp / "runs").iterdir() if p.is_dir() and (p / "comparison.json").is_file()]
    return folder, done.stdout


def test_the_compare_plugins_line_and_subtitle_name_the_mode_that_ran_the_plugin(selector_compare):
    """Trial FUZZ40 M3: with the plug-in selector in variant sel alone, the summary's line said `plug-ins:
    condor.selector custom_condor:pick (sha256 ...)` and the page's subtitle `plug-ins condor.selector
    custom_condor:pick`, as if none and alvh picked their condors with it (they ran `standard`)."""
    folder, out = selector_compare
    sha = _sha(EXAMPLES / "custom_condor.py")[:12]  # (one file: its own sha256 is the source sha256)
    assert f"plug-ins: condor.selector custom_condor:pick (sha256 {sha}; in mode sel)\n" in out, out
    page = (folder / "report.html").read_text()
    assert "; plug-ins condor.selector custom_condor:pick (in mode sel)</p>" in page
    assert f"<td>condor.selector custom_condor:pick (sha256 {sha}; in mode sel)</td>" in page


def test_a_hand_edited_plugin_identity_in_a_compare_mode_s_manifest_is_one_line(selector_compare, tmp_path,
                                                                                   monkeypatch, capsys):
    """Trial FUZZ40 M2 (compare folder, case_manifest.py): `condor_selector = "custom_condor:pick"` in the sel mode's
    manifest.json was `internal error: TypeError: 'str' object is not a mapping` (extensions.py:134), exit 3."""
    monkeypatch.syspath_prepend(str(EXAMPLES))  # (the selector imports: the edit alone is wrong)
    folder = tmp_path / "cmp"
    shutil.copytree(selector_compare[0], folder)
    (mf_path,) = [p for p in (folder / "runs").glob("*/manifest.json") if "custom_condor" in p.read_text()]
    mf = json.loads(mf_path.read_text())
    mf["condor_selector"] = "custom_condor:pick"
    mf_path.write_text(json.dumps(mf, indent=2))
    before = _tree(folder)
    err = _refused(["report", str(folder)], capsys)
    assert (f"{mf_path} is damaged or was edited: condor_selector = 'custom_condor:pick' is not a plug-in identity"
            in err), err
    assert _tree(folder) == before


def test_plugin_words_names_the_modes_only_where_not_all_ran_it():
    """Trial FUZZ40 M3: the modes that ran a plug-in, named where not every mode did (a plug-in every mode ran is
    said as before: trial API39 M1's line)."""
    one = {"key": "condor.selector", "name": "m:pick", "source_sha256": "a" * 64}
    plugs = [{**one, "mode": "sel"}, {**one, "mode": "sel2"}]
    assert extensions.plugin_words(plugs, ["none", "sel", "sel2"]) == \
        f"condor.selector m:pick (sha256 {'a' * 12}; in modes sel, sel2)"
    assert extensions.plugin_words(plugs, ["sel", "sel2"]) == f"condor.selector m:pick (sha256 {'a' * 12})"
    assert extensions.plugin_words(plugs, ["none", "sel", "sel2"], sources=False) == \
        "condor.selector m:pick (in modes sel, sel2)"


def test_the_sweep_plugins_line_says_in_how_many_points(monkeypatch):
    """Trial FUZZ40 M3 (plug_sweep.toml): a grid `"hedge.policy" = ["alvh", "custom_hedge:policy"]` printed
    `plug-ins: ..., hedge.policy custom_hedge:policy (sha256 ...)` with no "in 1 of 2 points"; the provenance records
    the grid's combinations that name it, which the sweep folder's identity does not hash (a folder written before
    the count resumes)."""
    monkeypatch.syspath_prepend(str(EXAMPLES))
    base = C.load_default()
    grid = {"hedge.policy": ["alvh", "custom_hedge:policy"], "hedge.review_bars": [0, 5, 10]}
    prov = extensions.grid_identities(base, grid)
    sha = _sha(EXAMPLES / "custom_hedge.py")[:12]
    assert plugin_lines({"points": 6, "invalid": 0, "provenance": {"plugins": prov}}) == \
        [f"plug-ins: hedge.policy custom_hedge:policy (sha256 {sha}; in 3 of 6 points)"]  # (2 x 3 combinations)
    assert plugin_lines({"points": 5, "invalid": 1, "provenance": {"plugins": prov}}) == \
        [f"plug-ins: hedge.policy custom_hedge:policy (sha256 {sha}; in 3 of the grid's 6 combinations)"]
    assert "grid_points" not in extensions.grid_fingerprint(base, grid)
    every = extensions.grid_identities(C.replace(base, hedge={"policy": "custom_hedge:policy"}), {})
    assert "grid_points" not in every[0]  # every point runs it: summary.json as before


def _shadowed(tmp_path, name: str, in_cwd: bool) -> subprocess.CompletedProcess:
    plug, cwd = tmp_path / "plug", tmp_path / "cwd"
    plug.mkdir()
    cwd.mkdir()
    ((cwd if in_cwd else plug) / name).write_text("def pick(choice, cfg):\n    return None\n")
    env = {**{k: v for k, v in os.environ.items() if k != "VIXHEDGE_DEBUG"},
           "PYTHONPATH": str(ROOT) if in_cwd else f"{ROOT}{os.pathsep}{plug}"}
    return subprocess.run([sys.executable, "-m", "vixhedge", "run", "-q", "--runs-dir", str(tmp_path / "runs"),
                           *WINDOW, "--set", f"condor.selector={name.removesuffix('.py')}:pick"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def test_a_plugin_module_named_like_a_stdlib_module_is_one_line(tmp_path):
    """Trial FUZZ40 M5: a condor selector in selectors.py on PYTHONPATH (after vixhedge's folder) was `internal
    error: AttributeError: module 'selectors' has no attribute 'SelectSelector'`, exit 3; random.py a 23-line
    traceback. Now one line naming the file and the fix (entry.stdlib_shadow), with nothing written."""
    done = _shadowed(tmp_path, "selectors.py", in_cwd=False)
    assert done.returncode == 2, done.stderr
    err = done.stderr.strip()
    assert err.startswith(f"vixhedge: the module {tmp_path / 'plug' / 'selectors.py'} hides the standard library's "
                          "'selectors' ("), err
    assert err.endswith(f"its folder {tmp_path / 'plug'} comes before the standard library's on PYTHONPATH: rename "
                        "that module (e.g. my_selectors.py) and the plug-in names that use it"), err
    assert len(err.splitlines()) == 1 and not (tmp_path / "runs").exists()


def test_a_stdlib_named_file_nothing_imports_is_no_error(tmp_path):
    """A research folder's code.py or test.py (standard-library names nothing here imports) runs as any folder: a
    first version of the M5 fix refused every such name found ahead of the standard library."""
    plug, cwd = tmp_path / "plug", tmp_path / "cwd"
    plug.mkdir()
    cwd.mkdir()
    (cwd / "code.py").write_text("raise SystemExit('imported')\n")
    (plug / "test.py").write_text("raise SystemExit('imported')\n")
    env = {**{k: v for k, v in os.environ.items() if k != "VIXHEDGE_DEBUG"}, "PYTHONPATH": f"{ROOT}{os.pathsep}{plug}"}
    done = subprocess.run([sys.executable, "-m", "vixhedge", "run", "-q", "--runs-dir", str(tmp_path / "runs"),
                           *WINDOW], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and not done.stderr, done.stderr


def test_a_plugin_named_like_a_stdlib_module_python_imported_first_says_so(tmp_path):
    """Trial FUZZ40 M5: os.py in the working folder is never imported (Python's start imports the standard library's
    os first): the selector 'os:pick' read only "module 'os' has no 'pick'"."""
    done = _shadowed(tmp_path, "os.py", in_cwd=True)
    assert done.returncode == 2, done.stderr
    assert (f"'os' resolved to the standard library's module {os.path.realpath(os.__file__)}, which has no 'pick': the "
            f"module {tmp_path / 'cwd' / 'os.py'} is never imported; a plug-in module cannot take a standard-library "
            "name: rename it, e.g. my_os.py, and name it 'my_os:pick'") in done.stderr, done.stderr


def test_a_stdlib_named_module_in_the_working_folder_is_one_line(tmp_path):
    """Trial FUZZ40 M5: selectors.py in the working folder (`python -m` looks there first)."""
    done = _shadowed(tmp_path, "selectors.py", in_cwd=True)
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().endswith("`python -m` looks in the working folder first: rename that module (e.g. "
                                        "my_selectors.py)"), done.stderr


ANALYZERS = ("def selfref(result):\n    d = {}\n    d['me'] = d\n    return d\n\n\n"
             "def deep(result):\n    d = cur = {}\n    for _ in range(5000):\n        cur['a'] = {}\n"
             "        cur = cur['a']\n    return d\n\n\n"
             "def huge(result):\n    return {'x': [1, 10 ** 400]}\n\n\n"
             "def badframe(result):\n    import pandas as pd\n"
             "    return pd.DataFrame({'n': [1, 2], 'a': [1, object()]})\n\n\n"
             "def setframe(result):\n    import pandas as pd\n    return pd.Series([{'b', 'a'}], name='s')\n")


@pytest.mark.parametrize("name, words", [
    ("selfref", "returned a dict that is not JSON (me.me holds itself): use numbers"),
    ("deep", f"returned a dict that is not JSON ({'.'.join('a' * 30)}.... is nested more than 100 deep): use"),
    ("huge", "returned a dict that is not JSON (x[1] is an integer of 1,329 bits, out of a float's range): use"),
    ("badframe", "returned a table whose column 'a' holds an object in row 1 (<object object at 0x"),
    ("setframe", "returned a table whose column 's' holds a set in row 0 (")])
def test_an_analyzer_value_that_cannot_be_filed_is_one_line(tmp_path, monkeypatch, capsys, name, words):
    """Trial FUZZ40 M6: a self-referencing dict or a 5,000-deep one was `internal error: RecursionError`, and
    {"x": 10**400} (1,329 bits: 400 x log2(10) = 1,328.8) an OverflowError while the page was drawn, exit 3. L7: a
    table cell of an object (its CSV text its address) or a set of strings (its order per process) made two identical
    runs differ. Each is one line naming the analyzer, no run folder."""
    (tmp_path / "an_x40.py").write_text(ANALYZERS)
    monkeypatch.syspath_prepend(str(tmp_path))
    err = _refused(["run", "--runs-dir", str(tmp_path / "runs"), "-q", "--engine", "fast", *WINDOW,
                    "--set", f'analysis.analyzers=["an_x40:{name}"]'], capsys)
    assert f"analyzer an_x40:{name} {words}" in err, err
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


@pytest.mark.parametrize("layer_id, said", [
    ("float(state.layers[0].layer_id)", r"layer_id=(\d+)\.0, reason='r'\): layer_id = \1\.0"),
    ("True", r"layer_id=True, reason='r'\): layer_id = True")])  # (MUT41 Y2: a bool is an int to isinstance)
def test_a_layer_action_s_layer_id_must_be_an_int(tmp_path, monkeypatch, capsys, layer_id, said):
    """Trial FUZZ40 L1: RollLayer(True, ...) rolled layer 1 (True == 1) and signals.csv recorded `roll LTrue`; a
    float id (here RemoveLayer(2.0), the open layer's id as a float) the same. AddLayer's contracts refuse bool and
    float (policies._whole): layer_id now too, in the policy's line."""
    module = f"rm_x40_{len(layer_id)}"  # (one module name per case: an imported module is kept)
    (tmp_path / f"{module}.py").write_text(
        "from vixhedge.api import AddLayer, Decision, RemoveLayer\n\n\n"
        "def policy(state, snap, cfg):\n    if state.layers:\n"
        f"        return Decision((RemoveLayer({layer_id}, 'r'),))\n"
        "    return Decision((AddLayer(1, 1.0, 'a'),), ('a',), ('a',)) if snap.valid else Decision()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    err = _refused(["run", "--runs-dir", str(tmp_path / "runs"), "-q", "--engine", "fast", *WINDOW,
                    "--set", f"hedge.policy={module}:policy"], capsys)
    assert "returned an invalid action on " in err, err
    assert re.search(rf": RemoveLayer\({said}: use a whole number \(int\), the layer_id of a layer of "
                     r"state\.layers$", err), err
