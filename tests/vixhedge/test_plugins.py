"""Hedge-policy plug-ins (README "Plug-ins"): the registry, config validation, identity, and examples/custom_hedge.py
run through run, replay, compare, a local sweep and a dask LocalCluster."""

import ast
import datetime as dt
import re
import json
import shutil
import sys
import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from strategies import hedge as hp
from strategies import policies
from strategies.book import BookState, Decision
from strategies.signalset import Snapshot
from vixhedge.core import config as C
from vixhedge import extensions
from vixhedge import sweep as sw
from vixhedge.cli import main
from vixhedge.report import run_id

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SHORT = {"start": "2016-01-04", "end": "2016-04-29"}


def example_config(**run) -> C.Config:
    return C.replace(C.load(EXAMPLES / "custom_hedge.toml"), run=run) if run else C.load(EXAMPLES / "custom_hedge.toml")


def test_builtins_are_found_through_the_registry():
    from strategies.placebo import placebo
    from strategies.vxth import decide_vxth

    expected = {"none": policies.no_hedge, "static": hp.decide_static, "alvh": hp.decide_alvh, "vxth": decide_vxth,
                "placebo": placebo}
    assert set(policies.BUILTINS) == set(expected)
    for name, fn in expected.items():
        assert policies.resolve(name) is fn  # the same loader a "module:callable" plug-in goes through
        ident = policies.identity(name)
        assert f"{ident['module']}:{ident['qualname']}" == policies.BUILTINS[name] and len(ident["source_sha256"]) == 64
    # hedge.decide is a registry lookup: it returns what the named policy returns
    state, snap = BookState(condor_contracts=1), Snapshot(vx=20.0, macd=0.1, signal=0.0, hist=0.1, cross=1)
    for mode in ("none", "static", "alvh"):
        cfg = C.HedgeConfig(mode=C.HedgeMode(mode))
        assert hp.decide(state, snap, cfg) == expected[mode](state, snap, cfg)
    assert hp.decide(state, snap, C.HedgeConfig(mode=C.HedgeMode.ALVH, policy="none")) == Decision()


def test_stock_configs_keep_their_toml_and_run_id():
    cfg = C.load_default()
    assert "policy" not in C.to_toml(cfg) and extensions.fingerprint(cfg) == ""
    named = C.replace(cfg, hedge={"policy": "alvh"})  # the built-in by name: the same policy, its own id
    assert 'policy = "alvh"' in C.to_toml(named) and run_id(named) != run_id(cfg)


@pytest.mark.parametrize("name, why", [
    ("no_such_module_xyz:policy", "cannot import module 'no_such_module_xyz'"),
    ("custom_hedge:nope", "module 'custom_hedge' has no 'nope';"),
    # trial PL25: typos got no hint (a key of the plug-in's table did); examples/custom_hedge.py defines `policy`
    ("custom_hedge:polcy", r"module 'custom_hedge' has no 'polcy' \(did you mean 'policy'\?\);"),
    # review 25: a class (Params) and a helper the module imports (due_rolls) are no plug-ins to suggest
    ("custom_hedge:Param", r"module 'custom_hedge' has no 'Param';"),
    ("custom_hedge:due_roll", r"module 'custom_hedge' has no 'due_roll';"),
    ("alhv", r"'alhv' is neither a built-in .* entry-point group \(did you mean 'alvh'\?\);"),
    ("custom_hedge:ABOVE", "is a str, not a function"),
    ("custom_hedge:Params", "is a class, not a function"),  # (plug-in trial, session 16: a dataclass passed)
    ("alvhh", "is neither a built-in"),
    ("zzzzq", "entry-point group; name a built-in"),  # (nothing close: no hint)
])
def test_bad_policy_name_is_one_config_error(name, why, on_path, tmp_path, capsys):
    with pytest.raises(C.ConfigError, match=f"hedge.policy = '{name}' is invalid: .*{why}"):
        C.replace(C.load_default(), hedge={"policy": name})
    p = tmp_path / "bad.toml"
    p.write_text(f'[hedge]\npolicy = "{name}"\n')
    assert main(["run", str(p), "--runs-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and "hedge.policy" in err and "PYTHONPATH" in err
    assert not [q for q in tmp_path.iterdir() if q.is_dir()]  # no folder: rejected before any work


@pytest.mark.parametrize("source, why, fix", [
    ("import os\nx = 1 / 0\n", r"ZeroDivisionError: division by zero \(at {f}:2 in <module>\)",
     "fix the module's code there"),
    ("def policy(s, n, c)\n    pass\n", r"SyntaxError: expected ':' \(at {f}:1\)", "fix the module's code there"),
    ("import no_such_dep_xyz\n", r"ModuleNotFoundError: No module named 'no_such_dep_xyz' \(at {f}:1 in <module>\)",
     "install 'no_such_dep_xyz' or fix that import"),
])
def test_a_plugin_module_that_raises_while_imported_names_its_file_and_line(source, why, fix, tmp_path, monkeypatch,
                                                                           capsys):
    """Plug-in trial 2026-12-04, left over: an error at import printed the exception only (ZeroDivisionError: division
    by zero), and a missing dependency read as a missing plug-in ("cannot import module 'mine'")."""
    mod = f"import_fails_{len(source)}"
    path = tmp_path / f"{mod}.py"
    path.write_text(source)
    monkeypatch.syspath_prepend(str(tmp_path))
    p = tmp_path / "bad.toml"
    p.write_text(f'[hedge]\npolicy = "{mod}:policy"\n')
    try:
        assert main(["run", str(p), "--runs-dir", str(tmp_path / "runs")]) == 2
    finally:
        sys.modules.pop(mod, None)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err, err
    assert re.search(f"importing module '{mod}' failed: " + why.format(f=re.escape(str(path))), err), err
    assert f"; {fix} (the module is found, its own code raised)" in err and "PYTHONPATH" not in err, err
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())  # refused before any work


def test_example_imports_only_the_public_api():
    tree = ast.parse((EXAMPLES / "custom_hedge.py").read_text())
    modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
    modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    project = {m for m in modules if m.split(".")[0] in ("vixhedge", "strategies", "feeds", "analyzers")}
    assert project == {"vixhedge.api"} and modules - project <= {"__future__", "dataclasses"}  # + the stdlib
    import vixhedge.api as api

    assert all(hasattr(api, name) for name in api.__all__)


def test_example_runs_end_to_end_from_the_cli(on_path, tmp_path, capsys):
    assert main(["run", str(EXAMPLES / "custom_hedge.toml"), "--runs-dir", str(tmp_path), "--engine", "fast"]) == 0
    out = capsys.readouterr().out
    assert "hedge policy        custom_hedge:policy (vx_future)" in out
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    manifest = json.loads((folder / "manifest.json").read_text())
    ident = manifest["hedge_policy"]
    assert (ident["name"], ident["module"], ident["qualname"]) == ("custom_hedge:policy", "custom_hedge", "policy")
    import hashlib

    assert ident["source_sha256"] == hashlib.sha256((EXAMPLES / "custom_hedge.py").read_bytes()).hexdigest()
    layers = pd.read_csv(folder / "layers.csv")
    assert len(layers) >= 10 and set(layers["trigger"]) == {"vx_above_mean"}  # the plug-in acted, many times
    assert set(layers["exit_reason"].dropna()) <= {"vx_below_mean", "settled", "margin_call", "open"}  # open: at the end
    metrics = json.loads((folder / "metrics.json").read_text())
    assert metrics["rules_fired"]["vx_above_mean"] == len(layers)
    page = (folder / "report.html").read_text()
    assert "hedge custom_hedge:policy" in page and "hedge mode alvh" not in page


def test_a_changed_plugin_gets_a_new_run_id(tmp_path, monkeypatch):
    shutil.copy(EXAMPLES / "custom_hedge.py", tmp_path / "my_hedge_v.py")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = C.replace(C.load_default(), hedge={"policy": "my_hedge_v:policy"})
    stock = C.replace(cfg, hedge={"policy": ""})
    first = run_id(cfg)
    assert first != run_id(stock) and first == run_id(cfg)
    with (tmp_path / "my_hedge_v.py").open("a") as fh:
        fh.write("# edited\n")
    assert run_id(cfg) == first  # the code that runs in this process is still the loaded one ...
    import importlib
    import my_hedge_v

    importlib.reload(my_hedge_v)  # ... as in a new process: the edited source is a new id, never the old folder
    assert run_id(cfg) != first and run_id(cfg) != run_id(stock)


def test_example_through_replay_and_compare(on_path, tmp_path, capsys):
    assert main(["replay", "china-deval", "--config", str(EXAMPLES / "custom_hedge.toml"),
                 "--runs-dir", str(tmp_path)]) == 0
    assert "hedge custom_hedge:policy" in capsys.readouterr().err
    short = tmp_path / "short.toml"
    short.write_text((EXAMPLES / "custom_hedge.toml").read_text().replace("2015-01-02", "2016-01-04")
                     .replace("2016-12-30", "2016-04-29"))
    assert main(["compare", str(short), "--runs-dir", str(tmp_path / "cmp"), "--modes", "none,custom_hedge:policy",
                 "--n-boot", "200"]) == 0
    (folder,) = list((tmp_path / "cmp").iterdir())
    runs = sorted(p.name for p in (folder / "runs").iterdir())
    assert runs[0].startswith("custom-hedge-custom_hedge-policy-") and runs[1].startswith("custom-hedge-none-")
    table = pd.read_csv(folder / "comparison.csv", index_col=0)
    layers = table.loc["hedge_layers"].astype(int)  # (whole numbers in comparison.csv; its flags true / false)
    assert layers["custom_hedge:policy"] >= 1 and layers["none"] == 0


def _spec(tmp_path: Path) -> Path:
    p = tmp_path / "spec.toml"
    p.write_text(f'[sweep]\nname = "plug"\nconfig = "{EXAMPLES / "custom_hedge.toml"}"\nbatch_size = 1\n'
                 f'[base]\nrun = {{ start = {SHORT["start"]}, end = {SHORT["end"]} }}\n'
                 '[grid]\n"hedge.policy_params.contracts" = [1, 3]\n"hedge.macd.slow" = [10, 20]\n')
    return p


def test_example_through_a_local_sweep_and_a_dask_local_cluster(on_path, tmp_path):
    spec = sw.load_spec(_spec(tmp_path))
    local = pd.read_csv(sw.run_sweep(spec, tmp_path / "local", progress=False))
    assert len(local) == 4 and (local["hedge_layers"] >= 1).all()
    one = C.replace(example_config(**SHORT), hedge={"policy_params": {"contracts": 3}, "macd": {"slow": 20}})
    from vixhedge.run import run_backtest

    alone = run_backtest(one, engine="fast").metrics["performance"]["end_nav_usd"]
    row = local[(local["hedge.policy_params.contracts"] == 3) & (local["hedge.macd.slow"] == 20)]
    assert row["end_nav_usd"].iloc[0] == pytest.approx(alone, abs=0.01)  # the sweep ran the plug-in, not alvh
    # trial PL25: summary.json named no plug-in; its provenance names each as a run's manifest.json does
    from vixhedge.api import run_sweep

    plugins = run_sweep(spec, tmp_path / "folder", progress=False).summary["provenance"]["plugins"]
    assert plugins == [{"key": "hedge.policy", **extensions.identities(one)["hedge_policy"]}]
    assert plugins[0]["module"] == "custom_hedge" and plugins[0]["qualname"] == "policy"
    pytest.importorskip("distributed", reason="dask.distributed not installed: pip install -e '.[dask]'")
    dspec = dataclasses.replace(spec, scheduler="local-cluster", workers=2, batch_size=2)
    dask = pd.read_csv(sw.run_sweep(dspec, tmp_path / "dask", progress=False))
    key = lambda df: df.sort_values("point").reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(key(dask), key(local))


def test_a_policy_registered_as_an_entry_point_is_found_by_name(on_path, tmp_path, monkeypatch):
    dist = tmp_path / "my_hedges-0.1.dist-info"  # what `pip install` of a package declaring the group leaves
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: my-hedges\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[vixhedge.plugins]\nvx-above-mean = custom_hedge:policy\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = C.replace(C.load_default(), hedge={"policy": "vx-above-mean"})
    import custom_hedge

    assert policies.resolve(cfg.hedge.policy_name) is custom_hedge.policy
    assert policies.identity("vx-above-mean")["module"] == "custom_hedge"


def test_a_dask_worker_that_cannot_import_the_plugin_is_one_error_before_any_point(tmp_path, monkeypatch):
    pytest.importorskip("distributed", reason="dask.distributed not installed: pip install -e '.[dask]'")
    import sys
    import types

    monkeypatch.syspath_prepend(str(EXAMPLES))
    import custom_hedge

    ghost = types.ModuleType("ghost_hedge")  # importable in this process only, as on a machine without the workers'
    ghost.policy, ghost.__file__ = custom_hedge.policy, custom_hedge.__file__
    monkeypatch.setitem(sys.modules, "ghost_hedge", ghost)
    spec = dataclasses.replace(sw.load_spec(_spec(tmp_path)), scheduler="local-cluster", workers=1)
    spec = dataclasses.replace(spec, base=C.replace(spec.base, hedge={"policy": "ghost_hedge:policy"}))
    with pytest.raises(C.ConfigError, match=r"dask worker tcp://\S+ cannot load hedge.policy = 'ghost_hedge:policy' "
                                            r"\(cannot import module 'ghost_hedge'.*PYTHONPATH"):
        sw.run_sweep(spec, tmp_path / "out", progress=False)
    assert not (tmp_path / "out" / "results.csv").exists() and not (tmp_path / "out" / "failed.csv").exists()


def test_switching_a_plugin_config_to_a_built_in_drops_its_params(on_path, capsys):
    # compare's built-in modes and --hedge-mode write configs a later load accepts (examples/custom_hedge.toml sets
    # [hedge.policy_params] contracts = 2 for its plug-in)
    cfg = example_config(**SHORT)
    none = policies.builtin_config(cfg, "none")
    assert (none.hedge.policy_name, none.hedge.policy_params) == ("none", {})
    assert C.from_dict(C.to_dict(none)) == none  # its config.toml loads again
    assert main(["run", str(EXAMPLES / "custom_hedge.toml"), "--hedge-mode", "alvh", "--print-config"]) == 0
    out = capsys.readouterr().out
    set_lines = [line.split("  # ")[0] for line in out.splitlines()  # (defaults print as comments, meanings after)
                 if not line.startswith("#")]
    assert 'mode = "alvh"' in out and not any("policy" in line for line in set_lines)


def test_report_of_a_plugin_run_without_its_pythonpath_names_the_recorded_one(on_path, tmp_path, capsys, monkeypatch):
    # before: "... name a built-in (none, static, alvh, vxth) or a 'module:callable' ...", i.e. edit the config
    assert main(["run", str(EXAMPLES / "custom_hedge.toml"), "--runs-dir", str(tmp_path), "--start", SHORT["start"],
                 "--end", SHORT["end"], "-q"]) == 0
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    capsys.readouterr()
    monkeypatch.setattr("sys.path", [p for p in __import__("sys").path if Path(p or ".").resolve() != EXAMPLES])
    monkeypatch.delitem(__import__("sys").modules, "custom_hedge")
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert f"the run's plug-in module 'custom_hedge' does not import here: put the folder its manifest.json " \
           f"replay_command names on PYTHONPATH, e.g. `PYTHONPATH={EXAMPLES} vixhedge report " in err, err


def test_a_builtin_mode_on_a_plugins_config_needs_no_plugin(tmp_path, monkeypatch, capsys):
    """`vixhedge run examples/custom_hedge.toml --hedge-mode static` failed with "cannot import module
    'custom_hedge'" without PYTHONPATH, though --hedge-mode drops hedge.policy (the verification trial)."""
    from strategies.policies import builtin_config, load_builtin

    path = EXAMPLES / "custom_hedge.toml"
    monkeypatch.setattr("sys.path", [p for p in sys.path if Path(p or ".").resolve() != EXAMPLES])
    monkeypatch.delitem(sys.modules, "custom_hedge", raising=False)
    assert main(["run", str(path), "--hedge-mode", "static", "--runs-dir", str(tmp_path), "-q"]) == 0
    assert "custom_hedge" not in sys.modules
    monkeypatch.syspath_prepend(str(EXAMPLES))  # with the plug-in importable: the same config either way
    assert load_builtin(path, "static") == builtin_config(C.load(path), "static")


def test_a_builtin_mode_with_a_window_needs_no_plugin_either(tmp_path, capsys):
    """Mutation trial MUT29 (MU21): with --start/--end the config file is read by cli_data._windowed, which dropped
    hedge.policy for --hedge-mode in its own line (cli_data.py: "as vixhedge.registries.load_builtin: the plug-in
    not imported"); without it a plug-in no one has was imported and the run refused. --hedge-mode's help: it
    "clears hedge.policy and [hedge.policy_params] (a plug-in policy the config names is not run)"."""
    path = tmp_path / "c.toml"
    path.write_text('[hedge]\npolicy = "no_such_plugin_mod:policy"\n')
    for window in ([], ["--start", "2015-01-02"], ["--end", "2018-06-29"]):
        assert main(["run", str(path), "--hedge-mode", "none", *window, "--print-config"]) == 0, window
        out = capsys.readouterr().out
        assert 'mode = "none"' in out and "\n# policy = \"\"  (its default" in out and "no_such_plugin" not in out


def test_a_sweep_folder_whose_plugin_was_edited_is_refused_in_one_line_before_any_work(tmp_path, monkeypatch):
    # the trial: the rerun after an edit said "(8 already done)", appended 8 new points beside the old 8, then stopped
    # on every rerun with "internal error: SweepFolderError: results.csv holds 16 points but summary.json counts 8"
    import importlib

    shutil.copy(EXAMPLES / "custom_hedge.py", tmp_path / "edited_hedge.py")
    monkeypatch.syspath_prepend(str(tmp_path))
    p = tmp_path / "spec.toml"
    p.write_text('[sweep]\nname = "ed"\nworkers = 1\n[base]\nrun = { start = 2016-01-04, end = 2016-02-26 }\n'
                 'hedge = { policy = "edited_hedge:policy" }\n[grid]\n"hedge.policy_params.contracts" = [1, 2]\n')
    out = tmp_path / "out"
    sw.run_sweep(sw.load_spec(p), out, progress=False)
    before = (out / "results.csv").read_bytes()
    sw.run_sweep(sw.load_spec(p), out, progress=False)  # unchanged: a resume, nothing rerun
    assert (out / "results.csv").read_bytes() == before
    with (tmp_path / "edited_hedge.py").open("a") as fh:
        fh.write("# edited\n")
    import edited_hedge

    importlib.reload(edited_hedge)  # as a new process would load it
    with pytest.raises(C.ConfigError, match=r"^sweep output folder .*out holds another sweep \('ed' in spec.json; its "
                                            r"plug-ins' source .* differs .*give another --out, or delete the folder"):
        sw.run_sweep(sw.load_spec(p), out, progress=False)
    assert (out / "results.csv").read_bytes() == before  # nothing written


def test_an_edited_helper_module_the_plugin_imports_gets_a_new_run_id(tmp_path, monkeypatch):
    # the trial: only the plug-in's own file was hashed, so an edit to a module it imports reused the old run id
    import importlib
    from vixhedge import plugins

    (tmp_path / "helper_mod_h.py").write_text("N = 2\n")
    (tmp_path / "helper_pkg_h").mkdir()
    (tmp_path / "helper_pkg_h" / "__init__.py").write_text("")
    (tmp_path / "helper_pkg_h" / "deep.py").write_text("M = 1\n")
    (tmp_path / "uses_helper_h.py").write_text(
        "import numpy as np\nfrom helper_mod_h import N\nfrom helper_pkg_h import deep\n"
        "from vixhedge.api import Decision\n\n\ndef policy(state, snap, cfg):\n    return Decision()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = C.replace(C.load_default(), hedge={"policy": "uses_helper_h:policy"})
    first = run_id(cfg)
    import uses_helper_h

    # its own modules (same directory), not numpy nor vixhedge
    assert plugins.local_imports(uses_helper_h) == {"helper_mod_h", "helper_pkg_h", "helper_pkg_h.deep"}
    for edited in ("helper_mod_h.py", "helper_pkg_h/deep.py"):
        with (tmp_path / edited).open("a") as fh:
            fh.write("# edited\n")
        importlib.reload(uses_helper_h)  # as in a new process
        assert run_id(cfg) != first
        first = run_id(cfg)


def test_a_helper_in_another_pythonpath_folder_is_hashed_too(tmp_path, monkeypatch):
    """Plug-in trial, session 16: a plug-in in one PYTHONPATH folder importing a helper kept in another; an edit to
    the helper kept the run id (a run folder overwritten, a sweep resumed on stale rows). Any Python source outside
    the standard library, installed packages and this project is the plug-in's own now."""
    import importlib
    from vixhedge import plugins

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "far_helper_x.py").write_text("T = 1.0\n")
    (tmp_path / "a" / "cross_x.py").write_text(
        "import json\nimport numpy\nimport far_helper_x\nfrom vixhedge.api import Decision\n\n\n"
        "def policy(state, snap, cfg):\n    return Decision()\n")
    monkeypatch.syspath_prepend(str(tmp_path / "b"))
    monkeypatch.syspath_prepend(str(tmp_path / "a"))
    cfg = C.replace(C.load_default(), hedge={"policy": "cross_x:policy"})
    first = run_id(cfg)
    import cross_x

    assert plugins.local_imports(cross_x) == {"far_helper_x"}  # not json (stdlib), numpy (installed), vixhedge
    with (tmp_path / "b" / "far_helper_x.py").open("a") as fh:
        fh.write("T = 1.03\n")
    importlib.reload(cross_x)  # as in a new process
    assert run_id(cfg) != first


def test_a_helper_imported_lazily_is_hashed_before_and_after_its_import(tmp_path):
    """The review of the session: local imports were looked up in sys.modules, so a helper a plug-in imports inside
    a function was hashed only once imported: the digest (the run id) depended on the process. A fresh process and
    one that has run the function (and so imported the helper) give the same digest, which covers the helper."""
    import subprocess

    (tmp_path / "lazy_helper_l.py").write_text("N = 2\n")
    (tmp_path / "lazy_policy_l.py").write_text(
        "def policy(state, snap, cfg):\n    import lazy_helper_l\n\n    return lazy_helper_l.N\n")
    code = ("import sys, lazy_policy_l; from vixhedge import plugins\n"
            "if sys.argv[1] == 'after': lazy_policy_l.policy(None, None, None); assert 'lazy_helper_l' in sys.modules\n"
            "print(plugins.identity('lazy_policy_l:policy')['source_sha256'], sorted(plugins.local_imports("
            "lazy_policy_l)))")
    env = {**__import__("os").environ, "PYTHONPATH": f"{tmp_path}:{Path(__file__).resolve().parents[2]}"}
    fresh, after = (subprocess.run([sys.executable, "-c", code, when], capture_output=True, text=True, env=env,
                                   check=True).stdout for when in ("fresh", "after"))
    assert fresh == after and fresh.split(" ", 1)[1].strip() == "['lazy_helper_l']", (fresh, after)


def test_switching_the_policy_in_replace_replaces_its_params_and_a_built_in_refuses_them(on_path):
    # the trial: replace merged policy_params across a policy change ({} did not clear it either), so switching between
    # two plug-ins failed, and a built-in named with plug-in params was accepted (the sweep's alvh points ran
    # identical, each counted as a trial) or ran and then failed in write_run with a traceback
    cfg = example_config(**SHORT)  # examples/custom_hedge.toml: policy custom_hedge:policy, contracts = 2
    zs = C.replace(cfg, hedge={"policy": "custom_signal:zscore_policy", "signals": ["custom_signal:vx_zscore"],
                               "policy_params": {"enter": 1.5, "leave": 0.5}})
    assert zs.hedge.policy_params == {"enter": 1.5, "leave": 0.5}  # not merged with custom_hedge's contracts
    assert C.replace(zs, hedge={"policy": "custom_hedge:policy"}).hedge.policy_params == {}  # a new plug-in: its own
    assert C.replace(zs, hedge={"policy_params": {"leave": 0.0}}).hedge.policy_params == {"enter": 1.5, "leave": 0.0}
    assert C.replace(zs, hedge={"policy_params": {}}).hedge.policy_params == {}  # {} clears it
    alvh = C.replace(cfg, hedge={"policy": "alvh"})
    assert (alvh.hedge.policy_name, alvh.hedge.policy_params) == ("alvh", {})
    assert C.from_dict(C.to_dict(alvh)) == alvh  # its config.toml loads again (write_run's check)
    with pytest.raises(C.ConfigError, match=r"^hedge.policy_params = \{'contracts': 3\} is invalid under the built-in "
                                            r"hedge policy alvh: .*remove the table"):
        C.replace(cfg, hedge={"policy": "alvh", "policy_params": {"contracts": 3}})
    with pytest.raises(C.ConfigError, match="is invalid under the built-in hedge policy static"):
        C.replace(C.load_default(), hedge={"mode": "static", "policy_params": {"contracts": 3}})


def test_replace_then_write_run_of_a_plugin_config_switched_to_a_built_in(on_path, tmp_path):
    # the trial: replace_config(load_config("examples/custom_hedge.toml"), hedge={"policy": "alvh"}) kept the
    # plug-in's params, ran, then write_run raised a multi-line traceback naming a temporary path
    from vixhedge.api import replace_config, load_config, run_backtest, write_run

    cfg = replace_config(load_config(EXAMPLES / "custom_hedge.toml"), hedge={"policy": "alvh"},
                         run={"start": dt.date(2016, 1, 4), "end": dt.date(2016, 2, 26)})
    folder = write_run(run_backtest(cfg, engine="fast"), tmp_path)
    assert "policy_params" not in (folder / "config.toml").read_text()


def test_a_sweep_over_two_plugin_policies_gives_each_its_own_params_and_refuses_them_to_built_ins(on_path, tmp_path):
    # the trial's sw_two.toml marked its second plug-in invalid (zscore's enter/leave merged into custom_hedge's
    # Params); sweep_pol2.toml ran alvh with contracts = 1 and = 3, identical points counted as two trials
    p = tmp_path / "two.toml"
    p.write_text('[sweep]\nname = "two"\nworkers = 1\n[base]\nrun = { start = 2016-01-04, end = 2016-02-26 }\n'
                 'hedge = { signals = ["custom_signal:vx_zscore"], instrument = "vx_future", policy = '
                 '"custom_signal:zscore_policy", policy_params = { contracts = 2, enter = 1.0, leave = 0.0 } }\n'
                 '[grid]\n"hedge.policy" = ["custom_signal:zscore_policy", "custom_hedge:policy"]\n')
    points = list(sw.iter_points(sw.load_spec(p)))
    assert [pt.config.hedge.policy_params for pt in points] == [{"contracts": 2, "enter": 1.0, "leave": 0.0}, {}]
    p.write_text('[sweep]\nname = "pol2"\n[base]\nrun = { start = 2016-01-04, end = 2016-02-26 }\n'
                 'hedge = { instrument = "vx_future" }\n[grid]\n"hedge.policy" = ["alvh", "custom_hedge:policy"]\n'
                 '"hedge.policy_params.contracts" = [1, 3]\n')
    points = list(sw.iter_points(sw.load_spec(p)))
    valid = [pt for pt in points if isinstance(pt, sw.Point)]
    assert [(pt.config.hedge.policy, pt.config.hedge.policy_params) for pt in valid] == [
        ("custom_hedge:policy", {"contracts": 1}), ("custom_hedge:policy", {"contracts": 3})]
    invalid = [pt for pt in points if not isinstance(pt, sw.Point)]
    assert len(invalid) == 2 and all("invalid under the built-in hedge policy alvh" in why for _, why in invalid)


def test_plugin_param_types_in_a_sweep_grid_are_a_spec_error(on_path, tmp_path):
    """Plug-in trial 2026-12-04, finding 3: a value of the wrong type for a plug-in's parameter made one invalid point
    per value (the sweep ran the rest); now the spec is refused in one line before any work. Values of the right
    type make points."""
    p = tmp_path / "s.toml"
    spec = (f'[sweep]\nname = "t"\nconfig = "{EXAMPLES / "custom_plugins.toml"}"\n[base]\nrun = {{ start = '
            '2016-01-04, end = 2016-02-26 }\n[grid]\n"condor.selector_params.wing_points" = [FIRST, 60.0]\n')
    p.write_text(spec.replace("FIRST", '"x"'))
    with pytest.raises(C.ConfigError, match=re.escape(f"{p}: grid.condor.selector_params.wing_points = 'x' is invalid "
                                                      "for custom_condor:pick: wing_points = 'x': use a number "
                                                      "(Params.wing_points is float)")):
        sw.load_spec(p)
    p.write_text(spec.replace("FIRST", "50.0"))
    points = list(sw.iter_points(sw.load_spec(p)))
    assert isinstance(points[1], sw.Point) and points[1].config.condor.selector_params["wing_points"] == 60.0


def test_the_compare_figures_the_readme_presents_are_in_the_api():
    # README "From Python" presents compare's figures beside the run's; the trial found them only in compare_report
    import vixhedge.api as api
    from vixhedge import compare_report

    assert {"fig_overlay", "fig_paired"} <= set(api.__all__)
    # (wrapped since trial API22: they check their argument, a Comparison or a compare folder's path)
    assert [f.__module__ for f in (api.fig_overlay, api.fig_paired)] == ["vixhedge.api"] * 2
    assert all(callable(getattr(compare_report, f)) for f in ("fig_overlay", "fig_paired"))


def test_plugin_params_round_trip(on_path):
    cfg = example_config()
    assert C.from_dict(C.to_dict(cfg)) == cfg and cfg.hedge.policy_params == {"contracts": 2}


def test_switching_to_another_plugin_says_the_table_is_not_carried(on_path, tmp_path, caplog):
    """Plug-in trial, session 16: `--set hedge.policy=OTHER` (and compare's plug-in mode) dropped the config's
    [hedge.policy_params] (config.replace replaces a plug-in's table) and the other policy ran on its defaults
    without a word. It is said, once per switch; switching to a built-in (which takes no table) is not."""
    import logging

    from vixhedge import cli_set

    (tmp_path / "other_hedge_s.py").write_text("from custom_hedge import Params, policy as _p\n\n\n"
                                               "def policy(state, snap, cfg):\n    return _p(state, snap, cfg)\n\n\n"
                                               "policy.params = Params\n")
    sys.path.insert(0, str(tmp_path))
    try:
        cfg = example_config()
        with caplog.at_level(logging.WARNING, logger="vixhedge.config"):
            moved = cli_set.apply(cfg, ["hedge.policy=other_hedge_s:policy"], {})
        assert moved.hedge.policy_params == {}
        assert [r.getMessage() for r in caplog.records] == [
            "--set hedge.policy=other_hedge_s:policy: [hedge.policy_params] (contracts = 2) belonged to "
            "custom_hedge:policy and is not carried to other_hedge_s:policy, which runs on its own defaults: give "
            "its table with --set hedge.policy_params.KEY=VALUE"]
        kept = cli_set.apply(cfg, ["hedge.policy=other_hedge_s:policy", "hedge.policy_params.contracts=2"], {})
        assert kept.hedge.policy_params == {"contracts": 2}
        assert cli_set.dropped_tables(cfg, C.replace(cfg, hedge={"policy": "alvh"}), "x") == []  # a built-in
    finally:
        sys.path.remove(str(tmp_path))


def test_params_that_are_no_dataclass_are_one_line(tmp_path, monkeypatch) -> None:
    """Plug-in trial, session 16: `policy.params = {"threshold": 1.0}` (a dict) ended in "internal error:
    AttributeError: 'dict' object has no attribute '__qualname__'"."""
    (tmp_path / "dict_params_p.py").write_text("from vixhedge.api import Decision\n\n\ndef policy(state, snap, cfg):\n"
                                               "    return Decision()\n\n\npolicy.params = {'threshold': 1.0}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(C.ConfigError) as err:
        C.replace(C.load_default(), hedge={"policy": "dict_params_p:policy", "policy_params": {"threshold": 2.0}})
    assert str(err.value) == ("hedge.policy = 'dict_params_p:policy' is invalid: its .params is {'threshold': 1.0} "
                              "(dict), not a dataclass: declare the table's fields as a @dataclass and set .params "
                              "to the class (README \"Plug-ins\")")


def test_report_of_a_folder_whose_plugin_changed_or_is_off_the_path_says_which(tmp_path, monkeypatch, capsys):
    """Plug-in trial, session 16: a run folder whose plug-in callable was renamed answered `report` with a new
    config's advice ("name a built-in ... importable from PYTHONPATH"); a compare folder without the plug-in's
    PYTHONPATH did too, where a run folder names the recorded one."""
    (tmp_path / "renamed_pol_r.py").write_text((EXAMPLES / "custom_hedge.py").read_text())
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = tmp_path / "c.toml"
    cfg.write_text((EXAMPLES / "custom_hedge.toml").read_text().replace("custom_hedge:policy", "renamed_pol_r:policy"))
    window = ["--start", SHORT["start"], "--end", SHORT["end"], "-q"]
    assert main(["run", str(cfg), "--runs-dir", str(tmp_path / "runs"), *window]) == 0
    assert main(["compare", str(cfg), "--modes", "none,renamed_pol_r:policy", "--runs-dir", str(tmp_path / "cmp"),
                 "--n-boot", "100", *window]) == 0
    (run,) = [p for p in (tmp_path / "runs").iterdir() if p.is_dir()]
    (cmp,) = [p for p in (tmp_path / "cmp").iterdir() if p.is_dir()]
    capsys.readouterr()
    src = tmp_path / "renamed_pol_r.py"
    src.write_text(src.read_text().replace("def policy(", "def policy2(").replace("policy.params", "policy2.params"))
    monkeypatch.delitem(sys.modules, "renamed_pol_r")  # as a new process loads it (a reload keeps the old name)
    assert main(["report", str(run)]) == 2
    err = capsys.readouterr().err
    want = f"{run / 'config.toml'}: the run's plug-in does not load as it ran (hedge.policy = 'renamed_pol_r:policy' "
    assert len(err.strip().splitlines()) == 1 and want in err and "restore the plug-in as it was" in err, err
    monkeypatch.setattr("sys.path", [p for p in sys.path if Path(p or ".").resolve() != tmp_path.resolve()])
    monkeypatch.delitem(sys.modules, "renamed_pol_r", raising=False)
    assert main(["report", str(cmp)]) == 2
    err = capsys.readouterr().err
    want = ("the run's plug-in module 'renamed_pol_r' does not import here: put the folder its manifest.json "
            f"replay_command names on PYTHONPATH, e.g. `PYTHONPATH={tmp_path}")
    assert len(err.strip().splitlines()) == 1 and want in err, err


def test_reading_back_a_run_whose_plugin_was_edited_says_so(tmp_path, monkeypatch, capsys):
    """Trial PL25: `vixhedge report` (and load_run) of a folder whose policy was edited since it ran said nothing,
    while its replay command would run the new code: one WARNING naming the plug-in and both sha256; none before the
    edit, none for the built-ins (the manifest's commit versions those)."""
    import hashlib

    src = tmp_path / "edited_pol.py"
    src.write_text("from vixhedge.api import decide_alvh\n\n\ndef policy(state, snap, cfg):\n"
                   "    return decide_alvh(state, snap, cfg)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = tmp_path / "c.toml"
    cfg.write_text(f'[run]\nstart = {SHORT["start"]}\nend = {SHORT["end"]}\n[hedge]\npolicy = "edited_pol:policy"\n')
    assert main(["run", str(cfg), "--runs-dir", str(tmp_path / "runs"), "-q", "--engine", "fast"]) == 0
    (run,) = [p for p in (tmp_path / "runs").iterdir() if p.is_dir()]
    was = hashlib.sha256(src.read_bytes()).hexdigest()
    capsys.readouterr()
    assert main(["report", str(run)]) == 0
    assert "was edited since it ran" not in capsys.readouterr().err
    src.write_text(src.read_text() + "# edited\n")
    monkeypatch.delitem(sys.modules, "edited_pol")  # as a new process loads it
    now = hashlib.sha256(src.read_bytes()).hexdigest()
    assert main(["report", str(run)]) == 0
    err = capsys.readouterr().err
    assert (f"{run}: the run's plug-in edited_pol:policy changed since it ran: {src.resolve()} was edited (sha256 "
            f"{was[:12]} then, {now[:12]} now): the folder's files are the run's; its replay command would run the "
            "plug-in as it is now") in err, err


def test_a_policy_is_told_the_bar_s_session_date(tmp_path, monkeypatch):
    """Trial RS27: a holding-time rule ("remove a layer N days after its entry_date") had no way to know the day
    (neither BookState nor Snapshot carried it). ``state.date`` is the bar's session: the dates the policy is handed
    are the run's sessions (daily.csv's), in order, and each layer's entry_date is a date the policy was told."""
    import importlib

    from vixhedge.run import run_backtest

    (tmp_path / "pol_dates.py").write_text(
        "from vixhedge.api import decide_alvh\n\nSEEN = []\nENTRIES = set()\n\n"
        "def policy(state, snap, cfg):\n    SEEN.append(state.date)\n"
        "    ENTRIES.update(L.entry_date for L in state.layers)\n    return decide_alvh(state, snap, cfg)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = C.replace(C.load_default(), run={"start": "2016-01-04", "end": "2016-06-30"},
                    hedge={"policy": "pol_dates:policy"})
    result = run_backtest(cfg)
    module = importlib.import_module("pol_dates")
    sessions = [d.date() for d in pd.to_datetime(result.daily.index)]
    assert module.SEEN == sessions and module.SEEN[0] == dt.date(2016, 1, 4)
    assert module.ENTRIES and module.ENTRIES <= set(module.SEEN)
    assert BookState().date is None  # a state a plug-in builds to call a built-in may leave it


def test_a_sweep_folder_whose_second_grid_plugin_was_edited_is_refused(tmp_path, monkeypatch):
    """MUT28 EX3: grid_fingerprint hashes every plug-in the grid names, not only the first in sort order (its
    docstring: "the identities ... of every plug-in a sweep's base config or grid names"). Two copies of
    examples/custom_hedge.py, ed_a and ed_b; ed_b sorts second; editing ed_b alone must refuse the rerun."""
    import importlib

    for name in ("ed_a_hedge", "ed_b_hedge"):
        shutil.copy(EXAMPLES / "custom_hedge.py", tmp_path / f"{name}.py")
    monkeypatch.syspath_prepend(str(tmp_path))
    p = tmp_path / "spec.toml"
    p.write_text('[sweep]\nname = "ed2"\nworkers = 1\n[base]\nrun = { start = 2016-01-04, end = 2016-02-26 }\n'
                 '[grid]\n"hedge.policy" = ["ed_a_hedge:policy", "ed_b_hedge:policy"]\n')
    spec = sw.load_spec(p)
    before_fp = extensions.grid_fingerprint(spec.base, spec.grid)
    out = tmp_path / "out"
    sw.run_sweep(spec, out, progress=False)
    before = (out / "results.csv").read_bytes()
    with (tmp_path / "ed_b_hedge.py").open("a") as fh:
        fh.write("# edited\n")
    import ed_b_hedge

    importlib.reload(ed_b_hedge)  # as a new process would load it
    spec = sw.load_spec(p)
    assert extensions.grid_fingerprint(spec.base, spec.grid) != before_fp
    with pytest.raises(C.ConfigError, match=r"out holds another sweep \('ed2' in spec.json; its plug-ins' source"):
        sw.run_sweep(spec, out, progress=False)
    assert (out / "results.csv").read_bytes() == before  # nothing written


def test_a_tuple_parameter_given_too_few_values_names_the_length():
    """MUT28 PL3: vixhedge.plugins._check_types: a ``tuple[float, float]`` field takes a list of exactly 2 values;
    [1.0] (1 value, by hand) is "use a list of 2 values", as a list of 3 is."""
    import dataclasses

    from vixhedge.plugins import _check_types

    @dataclasses.dataclass
    class Params:
        band: tuple[float, float] = (0.0, 1.0)

    for short_or_long in ([1.0], [1.0, 2.0, 3.0]):
        with pytest.raises(TypeError, match=r"^band = \[.*\]: use a list of 2 values \(.*Params\.band is "):
            _check_types(Params, {"band": short_or_long})
    _check_types(Params, {"band": [1.0, 2.0]})


def test_a_plugin_that_wraps_decide_alvh_is_alvh(tmp_path, monkeypatch):
    """Trial API31: README offers `decide_alvh` "to wrap a built-in", but a plug-in returning decide_alvh's
    decision unchanged ended 2015-06-01..12-31 at $980,559.00 against alvh's $981,028.35, 107 fills against 103: on
    an entry bar with a bullish divergence it opened 10 condors and bought 5 back (the entry cut, held back for
    the built-in alone by its name). A plug-in's entry is now held back too (opened later where its decision does
    not cut): the wrapper's daily NAV and trades are alvh's."""
    from vixhedge.api import load_default_config, replace_config, run_backtest

    (tmp_path / "wrap_alvh31.py").write_text("from vixhedge.api import decide_alvh\n\n\ndef policy(state, snap, cfg):\n"
                                             "    return decide_alvh(state, snap, cfg)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    base = replace_config(load_default_config(), run={"start": "2015-06-01", "end": "2015-12-31"})
    alvh, wrapped = run_backtest(base), run_backtest(replace_config(base, hedge={"policy": "wrap_alvh31:policy"}))
    assert round(alvh.daily["nav_usd"].iloc[-1], 2) == 981028.35 and len(alvh.trades) == 103  # (API31's figures)
    pd.testing.assert_series_equal(wrapped.daily["nav_usd"], alvh.daily["nav_usd"])
    pd.testing.assert_frame_equal(wrapped.trades.reset_index(drop=True), alvh.trades.reset_index(drop=True))
