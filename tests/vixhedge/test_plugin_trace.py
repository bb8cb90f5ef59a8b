"""A plug-in that raises: the one line ends with where in the plug-in's code, VIXHEDGE_DEBUG=1 prints its traceback
(plug-in trial 2026-12-04, finding 1: the line named the plug-in and the exception but no file or line, even with
VIXHEDGE_DEBUG=1). One helper, vixhedge.plugin_trace, read by vixhedge.guard for every plug-in kind."""

from __future__ import annotations

import functools
import importlib
import json
import sys
from pathlib import Path

import pytest

from strategies.policies import PolicyError
from vixhedge import plugin_trace
from vixhedge.cli import main
from vixhedge.core.config import ConfigError

WINDOW = "[run]\nstart = 2016-01-04\nend = 2016-01-29\n"
# kind: (the config's lines naming the plug-in, the plug-in's arguments, what the line starts with)
KINDS = {
    "policy": ('[hedge]\npolicy = "{m}:boom"\n', "state, snap, cfg", "hedge policy {m}:boom failed on 2016-01-04"),
    "signal": ('[hedge]\nsignals = ["{m}:boom"]\n', "inputs, cfg", "signal {m}:boom failed on"),
    "selector": ('[condor]\nselector = "{m}:boom"\n', "choice, cfg", "condor selector {m}:boom failed on 2016-01-04"),
    "analyzer": ('[analysis]\nanalyzers = ["{m}:boom"]\n', "result", "analyzer {m}:boom failed"),
}


def _plugin(tmp_path: Path, monkeypatch, kind: str, body: str, helper: str | None = None) -> tuple[Path, Path]:
    """Write the plug-in module ``pt_<kind>`` (its ``boom`` raising on line 5) and its config; return both."""
    m = f"pt_{kind}"
    for name in (m, f"{m}_help"):  # a module of the same name left by another test: import this one
        sys.modules.pop(name, None)
    if helper is not None:
        (tmp_path / f"{m}_help.py").write_text(f"def helper():\n    {helper}\n")
    head = f"import {m}_help\n" if helper is not None else "\n"
    (tmp_path / f"{m}.py").write_text(f"{head}\n\ndef boom({KINDS[kind][1]}):\n    {body}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    config = tmp_path / "c.toml"
    config.write_text(WINDOW + KINDS[kind][0].format(m=m))
    return tmp_path / f"{m}.py", config


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_the_one_line_ends_with_the_plugins_file_line_and_function(kind, tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("VIXHEDGE_DEBUG", raising=False)
    module, config = _plugin(tmp_path, monkeypatch, kind, "return 1 / 0")
    assert main(["run", str(config), "--runs-dir", str(tmp_path / "runs"), "--engine", "fast"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("vixhedge: " + KINDS[kind][2].format(m=f"pt_{kind}"))
    assert err[-1].endswith(f": ZeroDivisionError: division by zero (at {module}:5 in boom)")
    assert not any("Traceback" in line for line in err)


def test_with_debug_the_causes_traceback_comes_before_the_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("VIXHEDGE_DEBUG", "1")
    module, config = _plugin(tmp_path, monkeypatch, "policy", "return 1 / 0")
    assert main(["run", str(config), "--runs-dir", str(tmp_path / "runs"), "--engine", "fast"]) == 2
    err = capsys.readouterr().err
    tb = err[err.index("Traceback (most recent call last):"):].splitlines()
    assert f'  File "{module}", line 5, in boom' in tb and "ZeroDivisionError: division by zero" in tb
    assert tb[-1].endswith(f"(at {module}:5 in boom)") and tb[-1].startswith("vixhedge: hedge policy")


def test_an_error_raised_in_a_helper_module_names_the_plugins_line_then_the_helpers(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("VIXHEDGE_DEBUG", raising=False)
    module, config = _plugin(tmp_path, monkeypatch, "analyzer", "return pt_analyzer_help.helper()",
                             helper="raise KeyError('nope_col')")
    assert main(["run", str(config), "--runs-dir", str(tmp_path / "runs"), "--engine", "fast"]) == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.endswith(f"KeyError: 'nope_col' (at {module}:5 in boom; raised in {tmp_path}/pt_analyzer_help.py:2 "
                         "in helper)")


def _policy_error(call) -> PolicyError:
    """The PolicyError a wrapper raises from what ``call()`` raised (as strategies.policies.decide_checked does)."""
    try:
        try:
            call()
        except Exception as exc:
            raise PolicyError("hedge policy x failed on 2016-01-04: ...") from exc
    except PolicyError as wrapped:
        return wrapped
    raise AssertionError("call() did not raise")


def test_a_plugin_failing_inside_a_library_names_its_own_line_not_the_librarys():
    import numpy as np

    def plugin():
        return np.asarray([1, 2]).reshape(3)  # numpy raises; the plug-in's frame is this test's file

    line = plugin.__code__.co_firstlineno + 1
    assert plugin_trace.where(_policy_error(plugin)) == f" (at {__file__}:{line} in plugin)"


def test_only_a_plugin_failure_gets_a_place():
    def plugin():
        return 1 / 0

    plain = ConfigError("run.start = 'x' is invalid")
    try:
        raise plain from ZeroDivisionError()
    except ConfigError:
        pass
    assert plugin_trace.where(plain) == "" and plugin_trace.cause_traceback(plain) == ""
    assert plugin_trace.where(PolicyError("hedge policy x returned None on 2016-01-04")) == ""  # no cause: no place
    assert plugin_trace.where(_policy_error(functools.partial(json.loads, "{"))) == ""  # raised in the stdlib only
    assert plugin_trace.cause_traceback(_policy_error(plugin)).startswith("Traceback (most recent call last):")


def test_a_builtin_plugins_failure_names_the_deepest_project_frame():
    from strategies import selectors

    where = plugin_trace.where(_policy_error(functools.partial(selectors.standard, None, None)))  # None.chain raises
    assert where.startswith(f" (at {selectors.__file__}:") and where.endswith(" in standard)")


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_from_python_the_error_itself_names_the_place_once(kind, tmp_path, monkeypatch):
    """Trial API22: from Python (a notebook) the PolicyError / AnalyzerError text had no `(at ...)`: the command line
    added it, and the place was only on __cause__, under eight frames of the engine. The error's own text ends
    with it now, and the command line prints it once."""
    from vixhedge.api import load_config, run_backtest

    module, config = _plugin(tmp_path, monkeypatch, kind, "return 1 / 0")
    with pytest.raises(ConfigError) as info:
        run_backtest(load_config(config), engine="fast")
    text = str(info.value)
    assert text.startswith(KINDS[kind][2].format(m=f"pt_{kind}"))
    assert text.endswith(f": ZeroDivisionError: division by zero (at {module}:5 in boom)")
    assert text.count(" (at ") == 1
