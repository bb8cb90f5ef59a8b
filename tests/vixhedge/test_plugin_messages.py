"""The smaller plug-in messages of the plug-in trial 2026-12-04 (finding 3: a callable given to replace_config, a
signal's failure and causality day within the run, compare()'s notes tagged by mode from Python; finding 4: run and
replay --help say --hedge-mode clears hedge.policy). A typo'd params key: tests/vixhedge/test_policy_errors.py."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from vixhedge import api
from vixhedge.cli import main

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def test_a_callable_given_to_replace_config_is_told_its_module_callable_name(monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))
    custom_hedge = importlib.import_module("custom_hedge")
    cfg = api.load_default_config()
    for sections, key in (({"hedge": {"policy": custom_hedge.policy}}, "hedge.policy"),
                          ({"analysis": {"analyzers": [custom_hedge.policy]}}, r"analysis.analyzers\[0\]")):
        with pytest.raises(api.ConfigError, match=rf"^{key} = <function custom_hedge.policy> is invalid: a config names "
                                                  r"a plug-in as 'module:callable' \(a string\), it does not hold the "
                                                  r"function: give its name 'custom_hedge:policy'$"):
            api.replace_config(cfg, **sections)
    with pytest.raises(api.ConfigError, match=r"^hedge.signals\[0\] = <function .*<lambda>> is invalid: .*put it in a "
                                              r"module file on PYTHONPATH \(e.g. my_plugins.py\) and give its name "
                                              r"'my_plugins:my_function'$"):
        api.replace_config(cfg, hedge={"signals": [lambda inputs, c: inputs.vx]})


def _signal(tmp_path: Path, monkeypatch, module: str, body: str) -> Path:
    sys.modules.pop(module, None)
    (tmp_path / f"{module}.py").write_text(f"import numpy as np\nimport pandas as pd\n\ndef sig(inputs, cfg):\n    {body}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    importlib.invalidate_caches()
    p = tmp_path / "c.toml"
    p.write_text(f'[run]\nstart = 2015-01-02\nend = 2015-12-31\n[hedge]\nsignals = ["{module}:sig"]\n')
    return p


@pytest.mark.parametrize("module, body", [
    ("msg_future", "return pd.Series(inputs.vx).shift(-1).to_numpy()"),  # the trial's bad:sig_future
    ("msg_fullmean", "return np.asarray(inputs.vx) - np.nanmean(inputs.vx)"),  # a full-sample statistic
])
def test_a_signal_that_is_not_causal_is_named_with_a_day_within_the_run(module, body, tmp_path, monkeypatch, capsys):
    # the trial's line named 2016-06-30 for a run of 2015 (the middle of the embedded market's 1257 bars)
    p = _signal(tmp_path, monkeypatch, module, body)
    assert main(["run", str(p), "--runs-dir", str(tmp_path / "runs"), "--engine", "fast"]) == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    day = dt.date.fromisoformat(re.search(r"is not causal: its value on (\S+) changes", line).group(1))
    assert dt.date(2015, 1, 2) <= day <= dt.date(2015, 12, 31), line


def test_a_signal_that_raises_counts_the_runs_sessions_and_the_bars_it_was_called_with(tmp_path, monkeypatch, capsys):
    p = _signal(tmp_path, monkeypatch, "msg_raises", "return inputs.vx / inputs.nonexistent")
    assert main(["run", str(p), "--runs-dir", str(tmp_path / "runs"), "--engine", "fast"]) == 2
    line = capsys.readouterr().err.strip().splitlines()[-1]
    assert line.startswith("vixhedge: signal msg_raises:sig failed on the run 2015-01-02..2015-12-31 (252 sessions; "
                           "called with 1257 bars, 2014-01-03..2018-12-31): AttributeError: ")


def test_python_compare_tags_each_modes_notes_as_the_command_does(caplog):
    cfg = api.replace_config(api.load_default_config(), run={"start": "2015-01-02", "end": "2015-03-31"})
    with caplog.at_level("WARNING", logger="vixhedge"):
        api.compare(cfg, n_boot=100)
    notes = [r.getMessage() for r in caplog.records]
    assert any(n.startswith("vixhedge [alvh]: hedge.fomc: no S&P 500 advance/decline input") for n in notes), notes
    assert all(re.match(r"vixhedge \[(none|static|alvh)\]: ", n) for n in notes), notes
    caplog.clear()
    with caplog.at_level("WARNING", logger="vixhedge"):
        api.run_backtest(cfg, engine="fast")  # a run of its own: its notes, untagged
    assert caplog.records and not any(r.getMessage().startswith("vixhedge [") for r in caplog.records)


@pytest.mark.parametrize("command", ["run", "replay"])
def test_hedge_mode_help_says_it_clears_hedge_policy(command):
    out = subprocess.run([sys.executable, "-m", "vixhedge", command, "--help"], capture_output=True, text=True,
                         cwd=ROOT, timeout=60, env={**os.environ, "COLUMNS": "200", "PYTHONPATH": str(ROOT)}).stdout
    assert "sets hedge.mode and clears hedge.policy and [hedge.policy_params] (a plug-in policy the config names is " \
           "not run)" in " ".join(out.split())
