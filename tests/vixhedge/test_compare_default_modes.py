"""compare without --modes compares the config's own hedge policy too, under its own name (plug-in trial 2026-12-04,
finding 2: `vixhedge compare plugin.toml` compared none, static and alvh only, silently leaving the config's plug-in
policy out)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vixhedge import api
from vixhedge.cli import main
from vixhedge.compare import DEFAULT_MODES, default_modes
from vixhedge.core import config as C

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
WINDOW = {"start": "2015-01-02", "end": "2015-03-31"}


@pytest.fixture
def on_path(monkeypatch):
    monkeypatch.syspath_prepend(str(EXAMPLES))


def test_the_default_modes_add_the_configs_own_policy_when_it_is_another(on_path):
    assert default_modes(C.load_default()) == DEFAULT_MODES == ("none", "static", "alvh")  # the stock config: as before
    assert default_modes(C.load_preset("vxth")) == ("none", "static", "alvh", "vxth")
    plugin = C.load(EXAMPLES / "custom_hedge.toml")
    assert default_modes(plugin) == ("none", "static", "alvh", "custom_hedge:policy")
    for own in ("static", "none"):  # a built-in among the three: nothing added
        assert default_modes(C.replace(plugin, hedge={"policy": own})) == DEFAULT_MODES


def test_vixhedge_compare_of_a_plugin_config_without_modes_runs_it_beside_the_built_ins(on_path, tmp_path, capsys):
    config = tmp_path / "plug.toml"
    config.write_text((EXAMPLES / "custom_hedge.toml").read_text().replace("2015-01-02", WINDOW["start"])
                      .replace("2016-12-30", WINDOW["end"]))
    assert "custom_hedge:policy" in config.read_text() and WINDOW["end"] in config.read_text()
    assert main(["compare", str(config), "--runs-dir", str(tmp_path), "--n-boot", "100", "--engine", "fast"]) == 0
    out, err = capsys.readouterr()
    assert ("vixhedge: comparing none, static, alvh and the config's own hedge policy custom_hedge:policy "
            "(--modes picks others) on ") in err
    header = next(line for line in out.splitlines() if line.startswith("metric"))
    assert header.split() == ["metric", "none", "static", "alvh", "custom_hedge:policy"]
    page = next(tmp_path.glob("*-compare-*/report.html")).read_text()
    assert "--modes none,static,alvh,custom_hedge:policy " in re.sub(r"</?span[^>]*>", "", page)  # (unbroken words)


def test_api_compare_without_modes_runs_the_configs_own_policy_too(on_path):
    cfg = api.replace_config(api.load_config(EXAMPLES / "custom_hedge.toml"), run=WINDOW)
    cmp = api.compare(cfg, n_boot=100)
    assert list(cmp.results) == ["none", "static", "alvh", "custom_hedge:policy"]
    assert cmp.results["custom_hedge:policy"].config.hedge.policy_params == cfg.hedge.policy_params  # its own table
