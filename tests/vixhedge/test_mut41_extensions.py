"""MUT41 probes: extensions.manifest_shape / _identity_shape (commit 6e4079b5, FUZZ40 M2), sweep_market.plugin_lines
(8ecd7a58, FUZZ40 M3) and runfolder._check_manifest's output_files clause."""

from __future__ import annotations

import json

from tests.vixhedge.test_fuzz40_b import _refused, _run
from vixhedge import extensions
from vixhedge.sweep_market import plugin_lines

GOOD = {"name": "m:pick", "module": "m", "qualname": "pick", "source_sha256": "a" * 64,
        "source_files": [{"module": "m", "file": "m.py", "sha256": "a" * 64}]}


def test_a_good_identity_is_fine():
    """The shape a run writes reads back (the control of the three below)."""
    assert extensions.manifest_shape({"hedge_policy": GOOD, "signals": [], "analyzers": [GOOD]}) == ""


def test_an_empty_name_is_not_an_identity():
    """Kills MUT41 X4 (extensions.py _identity_shape: ``or not ident[k]`` dropped): the line the code writes is
    'is not a non-empty string'."""
    assert extensions.manifest_shape({"hedge_policy": {**GOOD, "name": ""}}) == \
        "hedge_policy.name = '' is not a non-empty string"


def test_a_source_file_s_fields_are_checked():
    """Kills MUT41 X5 (extensions.py: a dict source_files element's FILE_FIELDS not checked); test_fuzz40_b's EDITS
    stop at element 0 (the int 1) and never reach its {"module": 5}."""
    assert extensions.manifest_shape({"hedge_policy": {**GOOD, "source_files": [{"module": 5}]}}) == \
        "hedge_policy.source_files[0].module = 5 is not a string"


def test_an_empty_string_identity_is_refused():
    """Kills MUT41 X6 (``if value is None: continue`` -> ``if not value``): hedge_policy = "" is no identity."""
    assert extensions.manifest_shape({"hedge_policy": ""}).startswith("hedge_policy = '' is not a plug-in identity")


def test_a_plugin_no_point_ran_is_not_named():
    """Kills MUT41 X10 (sweep_market.py ``if p.get("grid_points") != 0`` dropped): plugin_lines' comment 'a base
    config's plug-in every point of the grid replaces: none ran it'."""
    p = {"key": "hedge.policy", "name": "custom_hedge:policy", "source_sha256": "b" * 64, "grid_points": 0}
    assert plugin_lines({"points": 2, "invalid": 0, "provenance": {"plugins": [p]}}) == []


def test_a_manifest_output_files_not_an_object_is_one_line(tmp_path, capsys):
    """Kills MUT41 R2 (runfolder.py _check_manifest: the output_files clause dropped): output_files = [1] is one line
    naming manifest.json (the code's 'is not an object of files and sha256'), exit 2, not an internal error."""
    run = _run(tmp_path)
    mf = json.loads((run / "manifest.json").read_text())
    mf["output_files"] = [1]
    (run / "manifest.json").write_text(json.dumps(mf))
    err = _refused(["report", str(run)], capsys)
    assert "manifest.json is damaged or was edited: output_files = [1] is not an object of files" in err, err
