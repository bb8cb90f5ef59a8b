"""Every ``python -m <module>`` the README names is a module of the project that exists (a report moved to another
package, as strategies.presets -> vixhedge.presets_figures on 2026-12-04, takes the README's command with it), and
each project module the README runs that way is a command (it has a ``__main__`` block or is a package with
``__main__.py``)."""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
OURS = ("vixhedge", "feeds", "strategies", "analyzers", "tests")


def test_each_python_m_module_the_readme_names_exists_and_is_a_command():
    named = sorted({m for m in re.findall(r"python -m ([A-Za-z_][\w.]*)", README) if m.split(".")[0] in OURS})
    assert "vixhedge.presets_figures" in named and "vixhedge.vxth_index" in named and "vixhedge.rollcheck" in named
    missing, not_commands = [], []
    for module in named:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            missing.append(module)
            continue
        path = Path(spec.origin)
        if spec.submodule_search_locations is not None:
            path = path.parent / "__main__.py"
        if not path.exists() or "__main__" not in path.read_text(encoding="utf-8"):
            not_commands.append(module)
    assert (missing, not_commands) == ([], [])
