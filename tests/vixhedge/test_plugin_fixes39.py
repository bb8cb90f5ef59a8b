"""Findings of the plug-in trial API39 (2026-12-07, /work/notes/api39_report.md), each test failing on 77b48fa:

- M2: a plug-in module named like one of vixhedge's own packages (``analyzers.py``): with its folder first on
  PYTHONPATH the line blamed the working folder and ``python -m``; with vixhedge's first it said only "module
  'analyzers' has no 'layer_vega'" (the user's file has it: vixhedge's package was imported);
- M3: manifest.json's ``source_sha256`` of a plug-in importing a helper is not its file's sha256 and named no helper;
  `report` said the plug-in was edited when only the helper was;
- L1: a module typo got no "did you mean"; L2: an analyzer's nested dict was a Python repr in report.html; L4: a bad
  element of a list named the list key as if the element were its whole value; L6: a signal NaN on every session of
  the run was accepted with no word.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vixhedge import extensions, plugins
from vixhedge.cli import main
from vixhedge.core import config as C

ROOT = Path(__file__).resolve().parents[2]
WINDOW = ["--start", "2016-01-04", "--end", "2016-04-29"]  # a short window of the embedded market (test_plugins' SHORT)
ANALYZER = "def layer_vega(result):\n    return {'days': len(result.daily)}\n"


def test_a_module_named_analyzers_first_on_pythonpath_is_blamed_on_pythonpath_not_the_working_folder(tmp_path):
    """M2 (a): the trial's repro, PYTHONPATH=<plug-in folder>:<vixhedge> run from another folder: the line names
    PYTHONPATH and the fix that works (rename), not `python -m` and the working folder."""
    plug, elsewhere = tmp_path / "plug", tmp_path / "cwd"
    plug.mkdir()
    elsewhere.mkdir()
    (plug / "analyzers.py").write_text(ANALYZER)
    env = {**os.environ, "PYTHONPATH": f"{plug}{os.pathsep}{ROOT}"}
    env.pop("VIXHEDGE_DEBUG", None)
    done = subprocess.run([sys.executable, "-m", "vixhedge", "--help"], cwd=elsewhere, env=env, capture_output=True,
                          text=True, timeout=300)
    assert (done.returncode, done.stdout, done.stderr.count("\n")) == (2, "", 1), done.stderr
    assert done.stderr.startswith(f"vixhedge: the module {plug / 'analyzers.py'} is imported as the package "
                                  f"'analyzers' instead of vixhedge's own ({ROOT / 'analyzers'}): its folder {plug} "
                                  "comes before vixhedge's on PYTHONPATH: "), done.stderr
    assert "rename that module (e.g. my_analyzers.py)" in done.stderr
    assert "working folder" not in done.stderr and "python -m" not in done.stderr


def test_a_module_named_analyzers_behind_vixhedge_says_the_name_resolved_to_vixhedge_s_package(tmp_path, monkeypatch):
    """M2 (b): vixhedge's folder first (as in this test process), the user's analyzers.py further down sys.path."""
    (tmp_path / "analyzers.py").write_text(ANALYZER)
    monkeypatch.setattr(sys, "path", [*sys.path, str(tmp_path)])
    with pytest.raises(C.ConfigError) as err:
        C.replace(C.load_default(), analysis={"analyzers": ["analyzers:layer_vega"]})
    text = str(err.value)
    assert text.startswith(f"analysis.analyzers[0] = 'analyzers:layer_vega' is invalid: 'analyzers' resolved to "
                           f"vixhedge's own package {ROOT / 'analyzers'}, which has no 'layer_vega': the module "
                           f"{tmp_path / 'analyzers.py'} is never imported"), text
    assert "rename the plug-in module, e.g. my_analyzers.py, and name it 'my_analyzers:layer_vega'" in text
    # a typo in a built-in's own submodule is a typo, with no word of renaming
    with pytest.raises(plugins.PluginError, match=r"has no 'monthly_retruns' \(did you mean 'monthly_returns'\?\)$"):
        plugins.load("analyzers.plugins:monthly_retruns")


def test_a_module_typo_gets_the_closest_importable_module(tmp_path, monkeypatch):
    """L1: `tenddelta` beside `tendelta_x39` (one letter apart) on sys.path; a submodule's typo too."""
    (tmp_path / "tendelta_x39.py").write_text("def pick(choice, cfg):\n    return None\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(plugins.PluginError, match=r"^cannot import module 'tenddelta_x39' \(No module named "
                                                  r"'tenddelta_x39'; did you mean 'tendelta_x39'\?\)$"):
        plugins.load("tenddelta_x39:pick")
    with pytest.raises(plugins.PluginError, match=r"did you mean 'analyzers\.plugins'\?\)$"):
        plugins.load("analyzers.plugin:monthly_returns")


@pytest.mark.parametrize("section, key, names", [
    ("analysis", "analyzers", ["monthly_returns", "nope_x39:f"]),
    ("hedge", "signals", ["nope_x39:a", "nope_x39:b"])])
def test_a_bad_element_of_a_list_is_named_with_its_index(section, key, names):
    """L4: the first bad element's index (1 of the analyzers, 0 of the signals) before its value."""
    index = next(i for i, n in enumerate(names) if n.startswith("nope_x39"))
    with pytest.raises(C.ConfigError, match=rf"^{section}\.{key}\[{index}\] = '{names[index]}' is invalid: cannot "):
        C.replace(C.load_default(), **{section: {key: names}})


def test_the_manifest_lists_each_hashed_file_and_report_names_the_helper_that_changed(tmp_path, monkeypatch, capsys):
    """M3: the trial's hpol.py importing rsi_consts.py. manifest.json keeps source_sha256 (the file and its helper, so
    not `sha256sum hpol.py`) and lists both files with their own sha256; after an edit of the helper alone, `report`
    names the helper's file and both of its sha256, not the plug-in's own file. The run id still hashes
    source_sha256 only."""
    (tmp_path / "hpol_x39.py").write_text(
        "from vixhedge.api import decide_alvh\nimport consts_x39\n\n\ndef policy(state, snap, cfg):\n"
        "    return decide_alvh(state, snap, cfg) if consts_x39.ON else None\n")
    helper = tmp_path / "consts_x39.py"
    helper.write_text("ON = True\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["run", "--runs-dir", str(tmp_path / "runs"), "-q", "--engine", "fast", *WINDOW,
                 "--set", "hedge.policy=hpol_x39:policy"]) == 0
    (run,) = [p for p in (tmp_path / "runs").iterdir() if p.is_dir()]
    entry = json.loads((run / "manifest.json").read_text())["hedge_policy"]
    sha = {n: hashlib.sha256((tmp_path / n).read_bytes()).hexdigest() for n in ("hpol_x39.py", "consts_x39.py")}
    assert entry["source_files"] == [
        {"module": "hpol_x39", "file": str((tmp_path / "hpol_x39.py").resolve()), "sha256": sha["hpol_x39.py"]},
        {"module": "consts_x39", "file": str(helper.resolve()), "sha256": sha["consts_x39.py"]}]
    assert entry["source_sha256"] not in sha.values()  # the module followed by its helper (README "Identity")
    cfg = C.load(run / "config.toml")
    assert "source_files" not in extensions.fingerprint(cfg)  # what the run id hashes beside the TOML
    capsys.readouterr()
    helper.write_text("ON = True  # edited\n")
    monkeypatch.delitem(sys.modules, "hpol_x39")  # as a new process loads them
    monkeypatch.delitem(sys.modules, "consts_x39")
    assert main(["report", str(run)]) == 0
    err = capsys.readouterr().err
    now = hashlib.sha256(helper.read_bytes()).hexdigest()
    assert (f"the run's plug-in hpol_x39:policy changed since it ran: {helper.resolve()} was edited (sha256 "
            f"{sha['consts_x39.py'][:12]} then, {now[:12]} now): the folder's files are the run's") in err, err
    assert "hpol_x39.py" not in err
    page = (run / "report.html").read_text()  # the Reproduce table lists each file the run hashed
    assert f"policy file</td><td><span class=\"nw\">{helper.resolve()}</span> sha256 {sha['consts_x39.py']}" in page


def test_an_analyzer_s_nested_dict_and_list_show_as_json_in_the_report(tmp_path):
    """L2: the trial's month-end vega dict was `{&#x27;2015-01-30&#x27;: 0.0, ...}` in one cell."""
    from vixhedge.report_sections import plugin_analyzers

    page = plugin_analyzers({"analyzers": {"layer_vega": {"month_end": {"2015-01-30": 0.0, "2015-02-27": -12.5},
                                                          "layers": [1, 2], "days": 5}}}, tmp_path)
    dates = [f'<span class="nw">{d}</span>' for d in ("2015-01-30", "2015-02-27")]  # (a date never breaks)
    assert f"{{&quot;{dates[0]}&quot;: 0.0, &quot;{dates[1]}&quot;: -12.5}}" in page, page
    assert "<td>[1, 2]</td>" in page and "&#x27;" not in page


def signals_run(tmp_path, monkeypatch, module: str, source: str, names: list[str]) -> dict:
    """Run the short window with the signal plug-ins ``module:name`` of ``source`` (exit 0); its metrics.json."""
    (tmp_path / f"{module}.py").write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    listed = ", ".join(f'"{module}:{n}"' for n in names)
    assert main(["run", "--runs-dir", str(tmp_path / "runs"), "--engine", "fast", *WINDOW,
                 "--set", f"hedge.signals=[{listed}]"]) == 0
    (run,) = [p for p in (tmp_path / "runs").iterdir() if p.is_dir()]
    return json.loads((run / "metrics.json").read_text())


def test_a_signal_nan_on_every_session_gets_a_note_and_the_run_goes_on(tmp_path, monkeypatch, capsys):
    """L6: one all-NaN signal beside a real one: exit 0, metrics.json names the empty one, one note line says so."""
    metrics = signals_run(tmp_path, monkeypatch, "sig_x39", "import numpy as np\n\n\ndef empty(inputs, cfg):\n"
                          "    return np.full(len(inputs.dates), np.nan)\n\n\n"
                          "def vix(inputs, cfg):\n    return np.asarray(inputs.vix, float)\n", ["empty", "vix"])
    assert metrics["signals_all_nan"] == ["sig_x39:empty"]
    notes = [line for line in capsys.readouterr().err.splitlines() if "is NaN on every" in line]
    days = metrics["counts"]["days"]
    assert notes == [f"vixhedge [alvh]: note: the extra signal sig_x39:empty is NaN on every one of the run's {days} "
                     "sessions (signals.csv extra_empty is empty): a policy or selector reading snap.extra['empty'] "
                     "never sees a value"], notes
