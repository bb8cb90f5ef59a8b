"""Trial FUZZ37 (2026-12-07, /work/notes/fuzz37_report.md): bad input that ended in an internal error (exit 3), in
two lines, or was taken silently. Each is now one line naming the file, key or flag, the value and the fix, exit 2,
before any work, nothing written:

* H2: a sweep grid naming a ``hedge.policy`` that does not load (``["alvh", "nosuchmod:x"]``, ``"alhv"``,
  ``mod:CONST``, a module whose import raises) was ``internal error: PluginError ...`` with an empty ``--out`` left
  behind (vixhedge/sweep_spec.py spec_identity -> extensions.grid_identities).
"""

from __future__ import annotations

from pathlib import Path

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
    assert _one_line(capsys).startswith(f"vixhedge: {spec}: [grid] analysis.analyzers = 'nosuchmod:x' is invalid: "
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

