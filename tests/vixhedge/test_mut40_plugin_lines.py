"""Trial MUT40 (hand mutants of the apifix39 branch, /work/notes/mut40_report.md): plugins.py's error lines,
runfolder._changed_files, entry.shadowing_line, run_notes' all-NaN note and report_sections' nested values; the
survivors that were real gaps."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vixhedge import plugins
from vixhedge.cli import main
from vixhedge.core import config as C

ROOT = Path(__file__).resolve().parents[2]
WINDOW = ["--start", "2016-01-04", "--end", "2016-04-29"]  # test_plugin_fixes39's short embedded-market window


def test_a_module_with_no_close_name_gets_no_did_you_mean():
    """Kills L02 (the hint always added: "did you mean ''?")."""
    with pytest.raises(plugins.PluginError, match=r"^cannot import module 'qqzzxqj_x40' \(No module named "
                                                  r"'qqzzxqj_x40'\)$"):
        plugins.load("qqzzxqj_x40:f")


def test_a_list_element_that_fails_to_import_or_has_a_bad_params_is_named_with_its_index(tmp_path, monkeypatch):
    """Kills L07 and L08 (the index dropped from the PluginImportError line and the .params line; trial API39 L4
    named the element only for a module that does not import)."""
    (tmp_path / "boom_x40.py").write_text("raise RuntimeError('boom')\n\n\ndef f(result):\n    return {}\n")
    (tmp_path / "parm_x40.py").write_text("def s(inputs, cfg):\n    return None\n\n\ns.params = {'a': 1}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(C.ConfigError, match=r"^analysis\.analyzers\[1\] = 'boom_x40:f' is invalid: importing "):
        C.replace(C.load_default(), analysis={"analyzers": ["monthly_returns", "boom_x40:f"]})
    with pytest.raises(C.ConfigError, match=r"^hedge\.signals\[0\] = 'parm_x40:s' is invalid: its \.params is "):
        C.replace(C.load_default(), hedge={"signals": ["parm_x40:s"]})


def _run(tmp_path, *extra) -> Path:
    assert main(["run", "--runs-dir", str(tmp_path / "runs"), "-q", "--engine", "fast", *WINDOW, *extra]) == 0
    (run,) = [p for p in (tmp_path / "runs").iterdir() if p.is_dir()]
    return run


def test_report_names_a_helper_imported_now_and_one_no_longer_imported(tmp_path, monkeypatch, capsys):
    """Kills R03 and R04 (the "is imported now, not then" / "is not imported now" words dropped) and R06 (only the
    first changed file named): the plug-in's file edited to import b_x40 instead of a_x40."""
    pol = tmp_path / "hp_x40.py"
    pol.write_text("from vixhedge.api import decide_alvh\nimport a_x40\n\n\ndef policy(state, snap, cfg):\n"
                   "    return decide_alvh(state, snap, cfg)\n")
    for n in ("a_x40", "b_x40"):
        (tmp_path / f"{n}.py").write_text("ON = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    run = _run(tmp_path, "--set", "hedge.policy=hp_x40:policy")
    was = hashlib.sha256(pol.read_bytes()).hexdigest()
    pol.write_text(pol.read_text().replace("import a_x40", "import b_x40"))
    now = hashlib.sha256(pol.read_bytes()).hexdigest()
    for n in ("hp_x40", "a_x40", "b_x40"):
        monkeypatch.delitem(sys.modules, n, raising=False)  # as a new process loads them
    capsys.readouterr()
    assert main(["report", str(run)]) == 0
    err = capsys.readouterr().err
    assert (f"changed since it ran: {pol.resolve()} was edited (sha256 {was[:12]} then, {now[:12]} now); "
            f"{(tmp_path / 'a_x40.py').resolve()} is not imported now; {(tmp_path / 'b_x40.py').resolve()} is "
            "imported now, not then: the folder's files are the run's") in err, err


def test_report_of_a_folder_written_before_source_files_still_says_the_plugin_was_edited(tmp_path, monkeypatch,
                                                                                        capsys):
    """Kills R01 (the not-a-list guard dropped: `for f in None` crashed `report` of a pre-session-39 folder whose
    plug-in was edited): manifest.json without ``source_files``, the words are the source sha256 then and now."""
    pol = tmp_path / "hq_x40.py"
    pol.write_text("from vixhedge.api import decide_alvh\n\n\ndef policy(state, snap, cfg):\n"
                   "    return decide_alvh(state, snap, cfg)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    run = _run(tmp_path, "--set", "hedge.policy=hq_x40:policy")
    mf = json.loads((run / "manifest.json").read_text())
    was = mf["hedge_policy"].pop("source_files") and mf["hedge_policy"]["source_sha256"]
    (run / "manifest.json").write_text(json.dumps(mf, indent=2))
    pol.write_text(pol.read_text() + "# edited\n")
    monkeypatch.delitem(sys.modules, "hq_x40")
    capsys.readouterr()
    assert main(["report", str(run)]) == 0
    now = hashlib.sha256(pol.read_bytes()).hexdigest()  # (one file, no helper: its own sha256)
    assert (f"the run's plug-in hq_x40:policy was edited since it ran (source sha256 {was[:12]} then, {now[:12]} "
            "now)") in capsys.readouterr().err


def _shadow(tmp_path, make, script_dir: bool):
    """Run vixhedge's shadowing check in a fresh process with ``make(folder)`` building an analyzers module or
    package in ``folder``: on PYTHONPATH, or (``script_dir``) the folder of the script python runs (first on
    sys.path, in neither PYTHONPATH nor the working folder)."""
    plug, cwd = tmp_path / "plug", tmp_path / "cwd"
    plug.mkdir()
    cwd.mkdir()
    make(plug)
    env = {k: v for k, v in os.environ.items() if k != "VIXHEDGE_DEBUG"}
    if script_dir:
        (plug / "probe_x40.py").write_text("from vixhedge.entry import shadowing_line\n"
                                           "print(shadowing_line('vixhedge'))\n")
        env["PYTHONPATH"] = str(ROOT)
        cmd = [sys.executable, str(plug / "probe_x40.py")]
    else:
        env["PYTHONPATH"] = f"{plug}{os.pathsep}{ROOT}"
        cmd = [sys.executable, "-m", "vixhedge", "--help"]
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300), plug


def test_a_script_s_own_folder_is_blamed_on_sys_path(tmp_path):
    """Kills N02 (_why_first never saying "sys.path"): a script's folder is first on sys.path (Python docs,
    sys.path[0]) without being on PYTHONPATH or the working folder."""
    done, plug = _shadow(tmp_path, lambda d: (d / "analyzers.py").write_text("X = 1\n"), script_dir=True)
    assert f"its folder {plug} comes before vixhedge's on sys.path: " in done.stdout, done.stdout + done.stderr
    assert "working folder" not in done.stdout


def test_a_package_folder_named_analyzers_gets_a_folder_s_new_name(tmp_path):
    """Kills N03 (e.g. my_analyzers.py for a folder): a package analyzers/ on PYTHONPATH is a folder to rename."""
    def make(d):
        (d / "analyzers").mkdir()
        (d / "analyzers" / "__init__.py").write_text("X = 1\n")

    done, plug = _shadow(tmp_path, make, script_dir=False)
    assert done.returncode == 2 and "rename that folder (e.g. my_analyzers) and" in done.stderr, done.stderr


def test_a_signal_nan_on_some_sessions_gets_no_note(tmp_path, monkeypatch, capsys):
    """Kills U01 (isna().any(): a signal NaN on every other session noted as NaN on every one) and U02 (metrics.json
    ``signals_all_nan: []`` where none is empty; run_notes' docstring: absent when there is nothing to say)."""
    from tests.vixhedge.test_plugin_fixes39 import signals_run

    metrics = signals_run(tmp_path, monkeypatch, "warm_x40", "import numpy as np\n\n\ndef warm(inputs, cfg):\n"
                          "    v = np.asarray(inputs.vix, float).copy()\n    v[::2] = np.nan\n    return v\n", ["warm"])
    assert "signals_all_nan" not in metrics
    assert "is NaN on every" not in capsys.readouterr().err


def test_an_analyzer_s_nested_strings_and_non_ascii_show_as_json(tmp_path):
    """Kills K01 (a list left to txt(): ['a', 'b'] with &#x27; quotes) and K02 (ensure_ascii: "\\u00e9" for é)."""
    from vixhedge.report_sections import plugin_analyzers

    page = plugin_analyzers({"analyzers": {"tags_x40": {"names": ["a", "b"], "where": {"café": 1}}}}, tmp_path)
    assert "<td>[&quot;a&quot;, &quot;b&quot;]</td>" in page and "&#x27;" not in page, page
    assert "café" in page and "\\u00e9" not in page, page
