"""Trial MUT40 (hand mutants of session 39's plug-in naming, /work/notes/mut40_report.md): the survivors that were
real gaps in vixhedge.extensions (manifest_identity, grid_fingerprint, own_plugins), sweep_market.plugin_lines and
compare_read.compare_plugins."""

from __future__ import annotations

import hashlib
import sys

from vixhedge import extensions
from vixhedge.cli import main
from vixhedge.core import config as C
from vixhedge.sweep_market import plugin_lines

WINDOW = ["--start", "2016-01-04", "--end", "2016-04-29"]  # test_plugin_fixes39's short embedded-market window
SIGNAL = "import numpy as np\nimport helper_x40\n\n\ndef vix(inputs, cfg):\n    return np.asarray(inputs.vix, float)\n"


def _plugin(tmp_path, monkeypatch) -> None:
    """sig_x40:vix, a signal importing a helper module (two source files: manifest.json ``source_files``)."""
    (tmp_path / "sig_x40.py").write_text(SIGNAL)
    (tmp_path / "helper_x40.py").write_text("K = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))


def test_a_built_in_s_identity_has_no_source_files():
    """Kills E01 (``"source_files": []`` for every built-in): manifest_identity's docstring, "a built-in's
    without"; the default config's policy (alvh) and selector (standard) are built-ins."""
    ident = extensions.identities(C.load_default())
    assert "source_files" not in ident["hedge_policy"] and "source_files" not in ident["condor_selector"]


def test_a_sweep_s_identity_hashes_no_file_paths(tmp_path, monkeypatch):
    """Kills E02 (grid_fingerprint keeping ``source_files``): the sweep folder's identity hashes name, module,
    qualname and source sha256 as before session 39 (the source sha256 covers the helper already); with the files'
    absolute paths in it a folder would be refused after its plug-ins' folder moved, and every folder written before
    the list would be refused on a resume."""
    _plugin(tmp_path, monkeypatch)
    base = C.replace(C.load_default(), hedge={"signals": ["sig_x40:vix"]})
    assert len(extensions.grid_identities(base, {})[0]["source_files"]) == 2  # (the provenance lists them)
    fp = extensions.grid_fingerprint(base, {})
    assert "source_files" not in fp and str(tmp_path) not in fp and "helper_x40" not in fp


def test_a_built_in_spelled_as_module_callable_is_no_plugin():
    """Kills E08 (own_plugins comparing the name as spelled with the built-ins' short names): Registry.builtin_name
    maps "strategies.hedge:decide_alvh" to alvh, "strategies.selectors:standard" to standard (vixhedge.registries);
    a sweep grid may name them so."""
    spelled = [{"key": "hedge.policy", "name": "strategies.hedge:decide_alvh"},
               {"key": "condor.selector", "name": "strategies.selectors:standard"},
               {"key": "analysis.analyzers", "name": "analyzers.plugins:monthly_returns"}]
    assert extensions.own_plugins(spelled) == []


def test_a_sweep_over_built_in_policies_names_no_plugins():
    """Kills E17 (plugin_lines without own_plugins): a grid over alvh and static puts both in summary.json's
    provenance (grid_identities, built-ins included, trial PL25), and the summary's plug-ins line names none."""
    prov = extensions.grid_identities(C.load_default(), {"hedge.policy": ["alvh", "static"]})
    assert {p["name"] for p in prov} >= {"alvh", "static"}
    assert plugin_lines({"provenance": {"plugins": prov}}) == []


def test_compare_read_back_names_the_source_its_runs_used(tmp_path, monkeypatch):
    """Kills E13 (compare_plugins reading the config's identities now, not the runs' manifest.json): after the
    helper is edited, `vixhedge report` of the compare folder still names the sha256 its runs hashed (the one
    manifest.json holds), not the edited source's."""
    _plugin(tmp_path, monkeypatch)
    assert main(["compare", "--modes", "none,static", "--baseline", "none", *WINDOW, "--n-boot", "200", "-q",
                 "--runs-dir", str(tmp_path / "runs"), "--set", 'hedge.signals=["sig_x40:vix"]']) == 0
    (folder,) = (tmp_path / "runs").iterdir()
    page = (folder / "report.html").read_text()
    then = extensions.identities(C.load(folder / "config.toml"))["signals"][0]["source_sha256"]
    assert f"hedge.signals sig_x40:vix (sha256 {then[:12]})" in page
    (tmp_path / "helper_x40.py").write_text("K = 2\n")
    monkeypatch.delitem(sys.modules, "sig_x40")  # as a new process loads them
    monkeypatch.delitem(sys.modules, "helper_x40")
    now = hashlib.sha256((tmp_path / "sig_x40.py").read_bytes() + b"\0helper_x40\0K = 2\n").hexdigest()
    assert now != then  # (plugin_source.hashed: the module, then each helper's name and source)
    assert main(["report", str(folder)]) == 0
    page = (folder / "report.html").read_text()
    assert f"hedge.signals sig_x40:vix (sha256 {then[:12]})" in page and now[:12] not in page
