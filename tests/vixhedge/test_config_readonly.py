"""A config's plug-in tables (``hedge.policy_params``, ``condor.selector_params``) are read-only (trial PL25: a policy
that did ``cfg.policy_params["contracts"] += 1`` each bar ended the same Config's second run in one process at
$837,433 after $986,017, three sweep points took the first one's leftovers, and write_run wrote a table the run never
used); they stay equal to, encoded and written as, and pickled as the plain tables."""

import copy
import json
import pickle
import tomllib

import pytest

from vixhedge.cli import main
from vixhedge.core import config as C
from vixhedge.core.config.readonly import REFUSAL, ReadOnlyDict, ReadOnlyList, freeze, thaw

TABLE = {"contracts": 2, "levels": [60.0, 70.0], "inner": {"window": 14, "days": ["mon", "fri"]}}
WINDOW = "[run]\nstart = 2016-01-04\nend = 2016-01-29\n"
REFUSED = REFUSAL.replace("(", r"\(").replace(")", r"\)").replace(".", r"\.")

WRITES = [lambda t: t.__setitem__("contracts", 3), lambda t: t.update(contracts=3), lambda t: t.pop("contracts"),
          lambda t: t.setdefault("new", 1), lambda t: t.clear(), lambda t: t.popitem(),
          lambda t: t.__delitem__("contracts"), lambda t: t.__ior__({"contracts": 3}),
          lambda t: t["levels"].append(80.0), lambda t: t["levels"].__setitem__(0, 1.0),
          lambda t: t["levels"].sort(), lambda t: t["levels"].extend([1.0]), lambda t: t["levels"].__iadd__([1.0]),
          lambda t: t["inner"].__setitem__("window", 1), lambda t: t["inner"]["days"].insert(0, "sun"),
          lambda t: t.__init__(contracts=99), lambda t: t["levels"].__init__([1.0])]  # (review 25: refilled)


@pytest.mark.parametrize("write", range(len(WRITES)))
def test_every_write_to_a_table_or_anything_in_it_is_refused_and_changes_nothing(write):
    table = freeze(copy.deepcopy(TABLE))
    with pytest.raises(TypeError, match=REFUSED):
        WRITES[write](table)
    assert table == TABLE


def test_a_frozen_table_equals_encodes_copies_and_pickles_as_the_plain_one():
    table = freeze(copy.deepcopy(TABLE))
    assert type(table) is ReadOnlyDict and type(table["levels"]) is ReadOnlyList
    assert type(table["inner"]) is ReadOnlyDict and type(table["inner"]["days"]) is ReadOnlyList
    assert table == TABLE and json.dumps(table) == json.dumps(TABLE)
    for protocol in (2, pickle.HIGHEST_PROTOCOL):
        back = pickle.loads(pickle.dumps(table, protocol))
        assert back == TABLE and type(back) is ReadOnlyDict and type(back["inner"]["days"]) is ReadOnlyList
    deep = copy.deepcopy(table)
    assert deep == TABLE and type(deep) is ReadOnlyDict
    mine = copy.copy(table)  # a plain dict to change, as dict(table) is
    mine["contracts"] = 3
    assert type(mine) is dict and table["contracts"] == 2
    assert freeze(table) is table and freeze(5) == 5 and freeze("s") == "s"


def test_the_configs_tables_are_frozen_and_a_config_writes_and_pickles_as_before(tmp_path, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "ro_pol.py").write_text("from vixhedge.api import Decision\n\n\ndef policy(state, snap, cfg):\n"
                                        "    return Decision()\n")
    params = {"contracts": 2, "levels": [60.0, 70.0], "days": ["mon", "fri"]}  # (a table of scalars and lists)
    cfg = C.replace(C.load_default(), hedge={"policy": "ro_pol:policy", "policy_params": params})
    table = cfg.hedge.policy_params
    assert type(table) is ReadOnlyDict and type(table["days"]) is ReadOnlyList
    assert type(C.load_default().condor.selector_params) is ReadOnlyDict
    text = C.to_toml(cfg)
    assert 'levels = [60.0, 70.0]' in text and 'days = ["mon", "fri"]' in text
    back = pickle.loads(pickle.dumps(cfg))
    assert back == cfg and type(back.hedge.policy_params["levels"]) is ReadOnlyList and C.to_toml(back) == text
    merged = C.replace(cfg, hedge={"policy_params": {"contracts": 4}})  # replace merges into a new table
    assert merged.hedge.policy_params == {**params, "contracts": 4} and cfg.hedge.policy_params == params


PLUGINS = {
    "policy": ("ro_policy", "def policy(state, snap, cfg):\n    cfg.policy_params['contracts'] += 1\n"
                            "    return Decision()\n",
               '[hedge]\npolicy = "ro_policy:policy"\n[hedge.policy_params]\ncontracts = 1\n',
               "hedge policy ro_policy:policy failed on 2016-01-04: TypeError: "),
    "selector": ("ro_selector", "def pick(choice, cfg):\n    cfg.selector_params['n'] = 1\n    return None\n",
                 '[condor]\nselector = "ro_selector:pick"\n',
                 "condor selector ro_selector:pick failed on 2016-01-04: TypeError: "),
    "analyzer": ("ro_analyzer", "def an(result):\n    result.config.hedge.policy_params['sneaky'] = 1\n"
                                "    return {}\n",
                 '[analysis]\nanalyzers = ["ro_analyzer:an"]\n',
                 "analyzer ro_analyzer:an failed: TypeError: "),
    "signal": ("ro_signal", "def sig(inputs, cfg):\n    cfg.policy_params['t'] = 1\n    return inputs.vx\n",
               '[hedge]\nsignals = ["ro_signal:sig"]\n',
               "signal ro_signal:sig failed on the run 2016-01-04..2016-01-29 ("),
}


@pytest.mark.parametrize("kind", list(PLUGINS))
def test_a_plugin_that_writes_to_a_table_is_one_line_naming_it_and_no_folder(kind, tmp_path, monkeypatch, capsys):
    module, body, table, line = PLUGINS[kind]
    (tmp_path / f"{module}.py").write_text(f"from vixhedge.api import *\n\n\n{body}")
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "c.toml").write_text(WINDOW + table)
    runs = tmp_path / "runs"
    assert main(["run", str(tmp_path / "c.toml"), "--runs-dir", str(runs), "--engine", "fast", "-q"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err, err
    assert err.startswith(f"vixhedge: {line}") and f"{REFUSAL} (at {tmp_path / module}.py:" in err, err
    assert not runs.exists() or not any(runs.iterdir())


def test_thaw_and_to_dict_give_plain_tables_to_change_and_a_tuple_is_written_as_a_list(tmp_path, monkeypatch):
    """Review 25: dict(table) left its lists read-only and C.to_dict ("a plain nested dict") returned the read-only
    table; a tuple in a table given from Python was written to config.toml as the string "(1.0, 2.0)"."""
    from vixhedge.api import thaw as api_thaw

    mine = thaw(freeze(copy.deepcopy(TABLE)))
    mine["inner"]["days"].append("sun")
    assert type(mine) is dict and type(mine["levels"]) is list and api_thaw is thaw
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "ro_tuple.py").write_text("from vixhedge.api import Decision\n\n\ndef policy(state, snap, cfg):\n"
                                          "    return Decision()\n")
    cfg = C.replace(C.load_default(), hedge={"policy": "ro_tuple:policy", "policy_params": {"levels": (1.0, 2.0)}})
    assert type(cfg.hedge.policy_params["levels"]) is ReadOnlyList
    plain = C.to_dict(cfg)["hedge"]["policy_params"]
    plain["levels"].append(3.0)
    assert type(plain) is dict and cfg.hedge.policy_params == {"levels": [1.0, 2.0]}
    assert "levels = [1.0, 2.0]" in C.to_toml(cfg)
    assert C.from_dict(tomllib.loads(C.to_toml(cfg))) == cfg
