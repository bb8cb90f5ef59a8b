"""strategies/ is the strategy layer: definitions the engine calls (condor, hedge policies, trader, capital guard),
never the engine itself. The README's measurement reports that ran the engine from here (presets, the VXTH index,
the roll artefact) live in vixhedge/ (presets_figures.py, vxth_index.py, rollcheck.py) since the structure review
of 2026-12-04: no module under strategies/ imports the run, the CLI or the public API, and none is a command."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FILES = sorted((ROOT / "strategies").rglob("*.py"))
#: the application layer above the strategies: the run (both engines), the command line, the public API
ABOVE = ("vixhedge.run", "vixhedge.cli", "vixhedge.api")


def imported(path: Path) -> set[str]:
    """Return every module name an import statement of ``path`` names, ``from a import b`` as ``a`` and ``a.b``
    (``from vixhedge import run`` is an import of vixhedge.run), at any depth (a function's lazy import too)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names |= {node.module} | {f"{node.module}.{a.name}" for a in node.names}
    return names


def above(name: str) -> bool:
    """Whether ``name`` is a module of :data:`ABOVE` (vixhedge.cli_data and vixhedge.api_args count: the CLI's and
    the API's own modules)."""
    return any(name == m or name.startswith(m + ".") or name.startswith(m + "_") for m in ABOVE)


def test_the_check_sees_every_spelling_of_an_import(tmp_path):
    assert above("vixhedge.run") and above("vixhedge.cli_data") and above("vixhedge.api_args")
    assert not above("vixhedge.runfolder") and not above("vixhedge.core.config") and not above("vixhedge.plugins")
    src = tmp_path / "probe.py"
    src.write_text("def f():\n    from vixhedge import run\n    import vixhedge.cli\n", encoding="utf-8")
    assert {n for n in imported(src) if above(n)} == {"vixhedge.run", "vixhedge.cli"}


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_strategy_module_imports_the_run_the_cli_or_the_api(path: Path):
    bad = sorted(n for n in imported(path) if above(n))
    assert bad == [], (f"{path.relative_to(ROOT)} imports {bad}: a strategy is called by the engine; a report that "
                       "runs the engine belongs in vixhedge/ (e.g. vixhedge/presets_figures.py)")


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_strategy_module_is_a_command(path: Path):
    assert '__name__ == "__main__"' not in path.read_text(encoding="utf-8"), (
        f"{path.relative_to(ROOT)} is a `python -m` command: put it in vixhedge/ beside the other reports")
