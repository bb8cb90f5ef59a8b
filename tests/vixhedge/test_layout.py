"""The layout tells the engine's pure core from its application layer (issue 14, "a shape that shows the seams").

vixhedge/core (configuration, pricing, instruments, ledger, desk, margin, signals) imports nothing of the
application (run, compare, sweep, report, CLI), of strategies/feeds/analyzers, of backtrader or of matplotlib;
plug-ins and notebooks import only vixhedge.api.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CORE = ROOT / "vixhedge" / "core"
CORE_FILES = sorted(CORE.rglob("*.py"))
# the extension points by name (names and signatures only; a plug-in's module is imported when it is named)
PLUGIN_CHECKS = {"vixhedge.registries"}


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", CORE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_imports_only_the_core(path: Path) -> None:
    ours = ("vixhedge", "strategies", "feeds", "analyzers", "backtrader", "matplotlib")
    outside = sorted(m for m in _imports(path) if m.split(".")[0] in ours and not m.startswith("vixhedge.core"))
    # a config section checks the plug-ins it names when it loads (one line before any work): those registries
    # are imported lazily, only when a plug-in is named
    if path.parent.name == "config":
        outside = [m for m in outside if m not in PLUGIN_CHECKS]
    assert outside == [], f"{path.relative_to(ROOT)} imports {outside}: the core must not depend on them"


def test_importing_the_core_loads_no_backtrader_or_matplotlib() -> None:
    code = ("import sys, vixhedge.core.config, vixhedge.core.pricing, vixhedge.core.instruments, "
            "vixhedge.core.ledger, vixhedge.core.desk, vixhedge.core.margin, vixhedge.core.signals\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('backtrader', 'matplotlib', 'strategies', "
            "'feeds', 'analyzers') or m in ('vixhedge.run', 'vixhedge.sweep', 'vixhedge.cli')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True).stdout
    assert out.strip() == "[]"
