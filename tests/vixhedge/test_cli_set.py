"""``--set KEY=VALUE`` on run and compare (vixhedge/cli_set.py): a researcher's trial (session 14) wrote one TOML
file per switch to turn each rule off and on. Each value below is what a TOML file would hold for the key."""

from __future__ import annotations

import datetime as dt

import pytest

from vixhedge import cli_set
from vixhedge.cli import main
from vixhedge.core import config as C


@pytest.mark.parametrize("text, key, value", [
    ("hedge.require_condor=false", "hedge.require_condor", False),
    ("hedge.macd.fast=8", "hedge.macd.fast", 8),
    ("hedge.divergence.condor_cut = 0.25", "hedge.divergence.condor_cut", 0.25),
    ("run.start=2016-01-04", "run.start", dt.date(2016, 1, 4)),
    ("hedge.mode=static", "hedge.mode", "static"),  # a bare word: a string
    ('run.name="a b"', "run.name", "a b"),
])
def test_parse(text, key, value) -> None:
    assert cli_set.parse(text) == (key, value)


@pytest.mark.parametrize("text, words", [
    ("hedge=1", "write a dotted config key"),
    ("hedge.require_condor", "write a dotted config key"),
    ("hedge.macd.fast=[8", "is not a TOML value"),
    ("run.start=2016-01-04T10:00:00", "not a date and time"),
])
def test_parse_refuses_in_one_line(text, words) -> None:
    with pytest.raises(C.ConfigError, match=words):
        cli_set.parse(text)


def test_apply_in_order_checked_as_the_files_keys() -> None:
    cfg = C.load_default()
    out = cli_set.apply(cfg, ["hedge.require_condor=false", "hedge.macd.fast=8", "hedge.macd.fast=10"], {})
    assert (out.hedge.require_condor, out.hedge.macd.fast) == (False, 10)
    assert C.replace(cfg, hedge={"require_condor": False, "macd": {"fast": 10}}) == out
    with pytest.raises(C.ConfigError, match="did you mean 'hedge.require_condor'"):
        cli_set.apply(cfg, ["hedge.require_condr=false"], {})
    with pytest.raises(C.ConfigError, match=r"--set hedge.macd.fast=x: hedge.macd.fast = 'x' is invalid"):
        cli_set.apply(cfg, ["hedge.macd.fast=x"], {})
    with pytest.raises(C.ConfigError, match="--set run.start and --start both set run.start: give one"):
        cli_set.apply(cfg, ["run.start=2016-01-04"], {"start": "2016-01-05"})
    with pytest.raises(C.ConfigError, match="--set run.end and --period both set run.end: give one"):
        cli_set.apply(cfg, ["run.end=2016-01-04"], {"period": "covid"})  # (dropped without a word: review 14)


def test_the_command_line(capsys) -> None:
    assert main(["run", "--set", "hedge.require_condor=false", "--set", "hedge.mode=static", "--print-config"]) == 0
    text = capsys.readouterr().out
    assert "require_condor = false" in text and 'mode = "static"' in text
    assert main(["run", "--set", "hedge.require_condr=false", "--print-config"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == ("vixhedge: --set hedge.require_condr=false: unknown key 'hedge.require_condr': did you mean "
                   "'hedge.require_condor'?")  # (the dotted key --set takes: trial MG followed a bare hint)
    assert main(["compare", "--set", "hedge.macd.fast=99", "--modes", "none,alvh"]) == 2
    assert "--set hedge.macd.fast=99: hedge.macd.fast = 99" in capsys.readouterr().err
