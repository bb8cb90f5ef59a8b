"""The smaller plug-in messages of the plug-in trial 2026-12-04 (finding 3: a callable given to replace_config, a
signal's failure and causality day within the run, compare()'s notes tagged by mode from Python; finding 4: run and
replay --help say --hedge-mode clears hedge.policy). A typo'd params key: tests/vixhedge/test_plugins.py."""

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
