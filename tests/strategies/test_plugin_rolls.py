"""A plug-in policy's rolls are counted as the roll rule (metrics.json ``rules_fired``), whether or not its Decision
names them, and its report lists the ids it recorded, not the alvh policy's 17 others at 0 (trial API39 M4: a
plug-in returning ``due_rolls`` alone read ``roll 0`` beside 3 rolls in signals.csv)."""

import json
import re
from pathlib import Path

import pandas as pd

from vixhedge.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
# examples/custom_hedge.py with its own "roll" tags taken off: the Decision carries the RollLayer actions alone
QUIET = '''from custom_hedge import Params, policy as _base
from vixhedge.api import Decision


def policy(state, snap, cfg):
    d = _base(state, snap, cfg)
    return Decision(d.actions, tuple(f for f in d.fired if f != "roll"), tuple(a for a in d.acted if a != "roll"))


policy.params = Params
'''


def _run(tmp_path, monkeypatch, policy: str) -> Path:
    monkeypatch.syspath_prepend(str(EXAMPLES))
    out = tmp_path / policy.split(":")[0]
    assert main(["run", str(EXAMPLES / "custom_hedge.toml"), "--runs-dir", str(out), "--quiet",
                 "--set", f'hedge.policy="{policy}"']) == 0
    (folder,) = [p for p in out.iterdir() if p.is_dir()]
    return folder


def test_rolls_a_plugin_does_not_name_are_counted_as_the_roll_rule(tmp_path, monkeypatch):
    (tmp_path / "quiet_rolls.py").write_text(QUIET)
    monkeypatch.syspath_prepend(str(tmp_path))
    quiet, named = _run(tmp_path, monkeypatch, "quiet_rolls:policy"), _run(tmp_path, monkeypatch, "custom_hedge:policy")
    signals = pd.read_csv(quiet / "signals.csv", keep_default_na=False)
    rolled = int(signals["actions"].str.contains(r"\broll L\d", regex=True).sum())  # bars whose actions rolled a layer
    fired = json.loads((quiet / "metrics.json").read_text())["rules_fired"]
    assert rolled >= 1 and fired["roll"] == rolled  # (0 before: the plug-in's acted had no "roll")
    assert fired == json.loads((named / "metrics.json").read_text())["rules_fired"]  # as if it had said so
    page = (quiet / "report.html").read_text()
    table = page[page.index("<h2>Rules fired</h2>"):]
    table = table[:table.index("</table>")]
    ids = re.findall(r"<tr><td class=\"t\">([a-z_]+)</td>", table)
    assert ids == ["roll", "vx_above_mean", "vx_below_mean"]  # (all 18 built-in ids before, 17 of them at 0)
    assert "the plug-in policy&#x27;s own rule id" in table
    assert "The alvh policy's rule ids that the plug-in policy quiet_rolls:policy did not record are left out (17)" \
        in page
