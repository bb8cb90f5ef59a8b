"""vixhedge.api imports a name's module on first use (PEP 562 ``__getattr__`` over its ``if TYPE_CHECKING:`` imports):
a plug-in that imports a few names from it loads their modules, not the run, compare, sweep and figure modules
behind the rest (structure review 2026-12-04: ``from vixhedge.api import Decision`` loaded ~700 modules, ~240 since).
Session 8 (2026-12-04): ``Snapshot`` and ``due_rolls`` (what examples/custom_hedge.py imports) still loaded pandas
through strategies.signalset, ~630 modules (``--print-config`` of examples/custom_hedge.toml 0.63 s against 0.20 s for
the default); Snapshot lives in strategies/snapshot.py since, ~245 modules, 0.35-0.41 s."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import vixhedge.api as api

ROOT = Path(__file__).resolve().parents[2]


def test_every_name_of_all_resolves_to_the_object_of_its_module():
    from strategies import policies
    from vixhedge import extensions, run

    assert [n for n in api.__all__ if not hasattr(api, n)] == []
    lazy = api._lazy()
    assert set(lazy) <= set(api.__all__) and set(api.__all__) <= set(lazy) | set(vars(api))
    assert api.BUILTIN_POLICIES is policies.BUILTINS and api.resolve_policy is policies.resolve
    assert api.plugin_identities is extensions.identities and api.RunResult is run.RunResult
    assert set(api.__all__) <= set(dir(api))
    with pytest.raises(AttributeError, match="has no attribute 'no_such_name'"):
        api.no_such_name  # noqa: B018


def test_star_import_gives_every_name():
    names: dict = {}
    exec("from vixhedge.api import *", names)  # noqa: S102
    assert set(api.__all__) <= set(names)


@pytest.mark.parametrize("names, absent", [
    ("Decision, AddLayer, BookState", ("pandas", "backtrader", "matplotlib", "vixhedge.run", "vixhedge.compare")),
    ("load_config, replace_config, Config", ("pandas", "backtrader", "strategies", "vixhedge.run")),
    ("AddLayer, BookState, Decision, HedgeConfig, RemoveLayer, Snapshot, cap_contracts, due_rolls",
     ("pandas", "backtrader", "matplotlib", "strategies.signalset", "vixhedge.run")),
])
def test_importing_a_few_names_loads_only_their_modules(names, absent):
    code = (f"import sys\nfrom vixhedge.api import {names}\n"
            f"print(len(sys.modules), sorted(m for m in sys.modules if m in {absent!r} or m.split('.')[0] in {absent!r}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=120)
    assert out.returncode == 0, out.stderr
    count, loaded = out.stdout.split(" ", 1)
    assert loaded.strip() == "[]" and int(count) < 400, out.stdout  # 241 and 238 on 2026-12-04; ~700 before
