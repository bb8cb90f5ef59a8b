"""The plug-in registries hold names only (vixhedge.registries): a config that names a plug-in imports that plug-in's
module, not every extension point's module with numpy and pandas (structure review 2026-12-04: a config naming one
analyzer that imports nothing took the process from 137 modules (the config's own) to 639; 138 -> 144 since)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from vixhedge import extensions, registries

ROOT = Path(__file__).resolve().parents[2]
TINY = '''def analyzer(result):
    return {}


def policy(state, snap, cfg):
    return None


def signal(inputs, cfg):
    return None


def selector(choice, cfg):
    return None
'''
CONFIGS = {"analyzer": '[analysis]\nanalyzers = ["tiny_plugin:analyzer"]\n',
           "policy": '[hedge]\npolicy = "tiny_plugin:policy"\n',
           "signal": '[hedge]\nsignals = ["tiny_plugin:signal"]\n',
           "selector": '[condor]\nselector = "tiny_plugin:selector"\n'}
HEAVY = ("numpy", "pandas", "backtrader", "strategies", "analyzers", "feeds")
NUMERIC = ("numpy", "pandas", "backtrader", "strategies", "analyzers")  # the CLI's own parsers import feeds.periods


def test_the_extension_points_modules_use_the_registries_here():
    from analyzers import plugins as analyzer_plugins
    from strategies import extra_signals, policies, selectors

    assert policies.REGISTRY is registries.POLICY and policies.check_policy is registries.check_policy
    assert extra_signals.REGISTRY is registries.SIGNAL and analyzer_plugins.REGISTRY is registries.ANALYZER
    assert selectors.REGISTRY is registries.SELECTOR  # was an equal copy until 2026-12-04 (session 7)
    assert extensions.registries() == registries.BY_KEY
    assert registries.POLICY.resolve("none") is policies.no_hedge
    assert registries.SELECTOR.resolve("standard") is selectors.standard
    assert registries.ANALYZER.resolve("monthly_returns") is analyzer_plugins.monthly_returns


@pytest.mark.parametrize("kind", sorted(CONFIGS))
def test_a_config_naming_one_plugin_imports_that_plugin_and_no_extension_point_module(kind, tmp_path):
    (tmp_path / "tiny_plugin.py").write_text(TINY, encoding="utf-8")
    (tmp_path / "cfg.toml").write_text(CONFIGS[kind], encoding="utf-8")
    code = ("import sys\nfrom vixhedge.core import config as C\nbefore = set(sys.modules)\nC.load(sys.argv[1])\n"
            "print(len(before), len(sys.modules))\n"
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r}))\n"
            "print('tiny_plugin' in sys.modules)")
    env = {"PYTHONPATH": f"{ROOT}:{tmp_path}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "cfg.toml")], capture_output=True, text=True,
                         cwd=tmp_path, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    counts, heavy, plugin = out.stdout.splitlines()
    before, after = map(int, counts.split())
    assert heavy == "[]" and plugin == "True"
    assert after - before < 20, (before, after)  # 6 on 2026-12-04 (hashlib, the plug-in, its registry); was ~500


def test_a_bad_name_is_still_one_line_naming_the_key():
    from vixhedge.core import config as C

    with pytest.raises(C.ConfigError, match=r"^analysis.analyzers\[0\] = 'no_such_module:f' is invalid: cannot import"):
        C.replace(C.Config(), analysis={"analyzers": ["no_such_module:f"]})
    with pytest.raises(C.ConfigError, match=r"^hedge.policy = 'nope' is invalid: 'nope' is neither a built-in"):
        C.replace(C.Config(), hedge={"policy": "nope"})


def test_analyzers_plugins_exports_what_its_all_names():
    # it was PENDING in test_lint.py: its re-export of vixhedge.plugin_types.Analyzer is now in __all__
    from analyzers import plugins as analyzer_plugins

    assert [n for n in analyzer_plugins.__all__ if not hasattr(analyzer_plugins, n)] == []
    assert analyzer_plugins.check_analyzers is registries.check_analyzers


@pytest.mark.parametrize("argv", [["--print-config"], ["--hedge-mode", "static", "--print-config"],
                                  ["--start", "2016-01-04", "--print-config"]], ids=" ".join)
def test_print_config_of_a_plugin_config_loads_no_numerical_module(argv, tmp_path):
    """`vixhedge run cfg.toml --print-config` (its --hedge-mode and --start too) imported strategies.policies for
    builtin_config / load_builtin, with numpy and pandas: 679 modules, ~0.5 s; 170, ~0.1 s since (2026-12-04)."""
    (tmp_path / "tiny_plugin.py").write_text(TINY, encoding="utf-8")
    (tmp_path / "cfg.toml").write_text(CONFIGS["analyzer"] + '[hedge]\npolicy = "tiny_plugin:policy"\n',
                                       encoding="utf-8")
    code = ("import sys\nfrom vixhedge.cli import main\ncode = main(sys.argv[1:])\n"
            f"print(code, sorted(m for m in sys.modules if m.split('.')[0] in {NUMERIC!r}), file=sys.stderr)")
    env = {"PYTHONPATH": f"{ROOT}:{tmp_path}", "PATH": "/usr/bin:/bin"}
    out = subprocess.run([sys.executable, "-c", code, "run", str(tmp_path / "cfg.toml"), *argv], capture_output=True,
                         text=True, cwd=tmp_path, env=env, timeout=120)
    assert out.stderr.splitlines()[-1] == "0 []", out.stderr
    assert "[analysis]" in out.stdout and ('policy = "tiny_plugin:policy"' in out.stdout) == ("static" not in argv)
