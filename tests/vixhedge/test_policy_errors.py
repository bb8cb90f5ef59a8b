"""A hedge-policy plug-in that fails, or returns what a run cannot act on, is one line naming the policy, the day and
the value: an exception, an invalid action or rule name, a cut past the condor, a class given as the policy, and
params a built-in policy or selector does not take (README "Plug-ins"). The plug-in run end to end:
tests/vixhedge/test_plugins.py."""

import dataclasses
import datetime as dt
import re
import zlib

import pandas as pd
import pytest

from strategies import policies
from strategies.book import AddLayer, BookState, CutCondor, Decision, ScaleCondor
from strategies.signalset import Snapshot
from vixhedge.cli import main
from vixhedge.core import config as C



@pytest.mark.parametrize("module, body, why", [
    ("raising_hedge", "return 1 / 0", "failed on 2016-01-04: ZeroDivisionError: division by zero"),
    ("none_hedge", "return None", "returned None on 2016-01-04: return a Decision of AddLayer"),
    # a plug-in calling sys.exit ended the run with exit 0, no folder and no word (the trial's badplug:exits)
    ("exiting_hedge", "raise SystemExit(0)", "failed on 2016-01-04: SystemExit: 0"),
])
def test_a_failing_plugin_is_one_line_naming_it_and_the_day(module, body, why, tmp_path, monkeypatch, capsys):
    (tmp_path / f"{module}.py").write_text(f"def policy(state, snap, cfg):\n    {body}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    p = tmp_path / "c.toml"
    p.write_text(f'[run]\nstart = 2016-01-04\nend = 2016-01-29\n[hedge]\npolicy = "{module}:policy"\n')
    assert main(["run", str(p), "--runs-dir", str(tmp_path / "runs"), "--engine", "fast"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith(f"vixhedge: hedge policy {module}:policy {why}")
    assert "Traceback" not in err
    assert not [q for q in (tmp_path / "runs").glob("*") if q.is_dir()]  # no run folder left behind


@pytest.mark.parametrize("params, why", [
    ("contracts = 0", "contracts = 0: use a whole number >= 1"),  # the plug-in's own check
    ("size = 2", "unknown key 'size'; use the fields of Params (contracts)"),
    # plug-in trial 2026-12-04, finding 3: a typo'd key named the closest field
    ("contrcts = 2", "unknown key 'contrcts' (did you mean 'contracts'?); use the fields of Params (contracts)"),
    ('contracts = "3"', "contracts = '3': use a whole number (Params.contracts is int)"),  # the trial's (failed on bar 1)
    ("contracts = true", "contracts = True: use a whole number"),  # checked against the dataclass annotations
    ("contracts = 2.5", "contracts = 2.5: use a whole number"),
])
def test_plugin_params_are_checked_at_load(params, why, on_path, tmp_path):
    p = tmp_path / "c.toml"
    p.write_text(f'[hedge]\npolicy = "custom_hedge:policy"\n[hedge.policy_params]\n{params}\n')
    with pytest.raises(C.ConfigError, match=r"hedge.policy_params = \{.*\} is invalid for custom_hedge:policy: .*"
                                            + re.escape(why)):
        C.load(p)


# Each policy opens a layer on the first bar (when none is open), then returns the bad action on the next bar.
_BAD = "from vixhedge.api import *\n\n\ndef policy(state, snap, cfg):\n    if state.bars_in_run == 0:\n" \
       "        return Decision((AddLayer(1, 1.0, 'first'),))\n    return Decision(({action},))\n"


@pytest.mark.parametrize("action, why", [
    ("RemoveLayer(999, 'x')", r"RemoveLayer\(layer_id=999, .*layer_id 999 is not an open layer \(open: 1\): name "
                              r"a layer_id of state.layers"),
    ("RollLayer(999, 'g')", r"RollLayer\(layer_id=999, .*layer_id 999 is not an open layer \(open: 1\)"),
    ("RestrikeLayer(7, 0.1, 'r')", r"RestrikeLayer\(layer_id=7, .*layer_id 7 is not an open layer"),
    ("RemoveLayer(1, 'x'), RemoveLayer(1, 'y')", r"RemoveLayer\(layer_id=1, reason='y'\): layer_id 1 was removed by "
                                                 r"an earlier action of this Decision"),
    ("AddLayer(1.5, 1.0, 'x')", r"AddLayer\(contracts=1.5, .*contracts = 1.5: use a whole number \(int\) >= 1"),
    ("AddLayer(-3, 1.0, 'neg')", r"AddLayer\(contracts=-3, .*contracts = -3: use a whole number \(int\) >= 1"),
    ("ScaleCondor(-1.0, 's')", r"ScaleCondor\(scale=-1.0, .*scale = -1.0: use a number in \(0, 1\]"),
    ("ScaleCondor(float('nan'), 's')", r"scale = nan: use a number in \(0, 1\]"),
    # the trial's actions accepted but not applicable (before: IndexError "no VX contract #99" / TypeError, exit 3;
    # or applied every bar: a VX restrike or a roll onto the layer's own contract closed and reopened it, 248 "rolls"
    # and $2,236 of fees in 6 months; a NaN or negative size_multiple passed). 8: VxCurve.listed_months of the default
    # market (test_trader_journal.py); VX 2016-02-17: the 2nd month (hedge.tenor_months = 2) on 2016-01-04
    ("AddLayer(1, 1.0, 'x', tenor_months=99)", r"tenor_months = 99: use a whole number of months 0..8 "
                                               r"\(0: hedge.tenor_months; the market lists 8 VX contract months"),
    ("AddLayer(1, 1.0, None)", r"reason=None, .*: reason = None: use a str"),
    ("RemoveLayer(1, 3)", r"reason = 3: use a str"),
    ("RestrikeLayer(1, 0.1, 'r')", r"RestrikeLayer\(layer_id=1, .*layer 1 holds VX futures, which have no strike "
                                   r"to move: restrike only option layers"),
    ("RollLayer(1, 'g')", r"RollLayer\(layer_id=1, reason='g'\): layer 1 already holds its roll target "
                          r"\(VX 2016-02-17\), so the roll would close and reopen the same contract"),
    ("AddLayer(1, float('nan'), 'x')", r"size_multiple = nan: use a finite number > 0"),
    ("AddLayer(1, -2.0, 'x')", r"size_multiple = -2.0: use a finite number > 0"),
    # trial PL25: long_otm 50 bought a 1000 / 1000 call "spread" (LISTED's top strike twice), -0.9 a 1.5 / 6.5 one at
    # $520 for a $500 most; the range is hedge.spread_long_otm's (-0.5 .. 1, the config's check) plus the most
    # hedge.placement.flat_extra_otm adds (1); a reason with ';' or a line break split signals.csv's actions
    ("AddLayer(1, 1.0, 'x', long_otm=50.0)", r"long_otm = 50.0: use a fraction above the VX future in \[-0.5, 2\]"),
    ("AddLayer(1, 1.0, 'x', long_otm=-0.9)", r"long_otm = -0.9: use a fraction above the VX future in \[-0.5, 2\]"),
    ("AddLayer(1, 1.0, 'x', long_otm=float('inf'))", r"long_otm = inf: use a fraction above the VX future"),
    ("RestrikeLayer(1, 2.5, 'r')", r"RestrikeLayer\(layer_id=1, .*long_otm = 2.5: use a fraction above the VX future"),
    ("AddLayer(1, 1.0, 'x', carry_usd=float('nan'))", r"carry_usd = nan: use a finite number"),
    ("AddLayer(1, 1.0, 'a;b')", r"reason = 'a;b': use printable characters without ';'"),
    ("RemoveLayer(1, 'two\\nlines')", r"reason = 'two\\nlines': use printable characters without ';' .*no line break"),
    ("AddLayer(0, 1.0, 'x')", r"contracts = 0: use a whole number \(int\) >= 1"),  # (0 only as a cap's refusal)
])
def test_an_invalid_action_is_one_line_naming_the_policy_the_day_and_the_value(action, why, tmp_path, monkeypatch,
                                                                                capsys):
    # before the check: StopIteration / ValueError "Unknown format code 'd'" (exit 3), or silently applied
    # (condors.csv vega_scale -1.0, "add refused (neg)" every bar); 2016-01-05 is the window's second session
    module = f"bad_hedge_{zlib.crc32(action.encode())}"  # one module per case (a module imports once)
    (tmp_path / f"{module}.py").write_text(_BAD.format(action=action))
    monkeypatch.syspath_prepend(str(tmp_path))
    p = tmp_path / "c.toml"
    p.write_text(f'[run]\nstart = 2016-01-04\nend = 2016-01-29\n[hedge]\npolicy = "{module}:policy"\n'
                 'instrument = "vx_future"\n')
    assert main(["run", str(p), "--runs-dir", str(tmp_path / "runs"), "--engine", "fast", "-q"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert err.startswith(f"vixhedge: hedge policy {module}:policy returned an invalid action on 2016-01-05: ")
    assert re.search(why, err), err
    assert not [q for q in (tmp_path / "runs").glob("*") if q.is_dir()]  # no run folder left behind


def test_a_cut_without_an_open_condor_is_one_line():
    # CutCondor needs an open condor (before the check: an AssertionError in the trader, exit 3)
    def cut(state, snap, cfg):
        return Decision((CutCondor(5, "cut"),))

    day, cfg = dt.date(2016, 1, 5), C.HedgeConfig()
    with pytest.raises(policies.PolicyError, match=r"hedge policy alvh returned an invalid action on 2016-01-05: "
                       r"CutCondor\(contracts=5, reason='cut'\): no condor is open \(state.condor_contracts = 0\): "
                       r"cut only while state.condor_contracts >= 1"):
        policies.decide_checked(cut, BookState(condor_contracts=0), None, cfg, day)
    decision = policies.decide_checked(cut, BookState(condor_contracts=3), None, cfg, day)
    assert decision.actions == (CutCondor(5, "cut"),)  # with a condor open it stands (the trader keeps one)



@pytest.mark.parametrize("action, why", [
    (AddLayer(1, 1.0, "x", tenor_months=-1), "tenor_months = -1: use a whole number of months 0..8 "),  # MUT34 PO09
    (AddLayer(1, 0.0, "x"), "size_multiple = 0.0: use a finite number > 0"),  # PO10
    (ScaleCondor(1.5, "s"), "scale = 1.5: use a number in (0, 1]"),  # PO11 (the next condor would open 1.5x)
    (AddLayer(1, 1.0, "x", tenor_months=8), ""),  # PO08: the last month the market lists is a valid tenor
], ids=["tenor_-1", "size_multiple_0", "scale_1.5", "tenor_8"])
def test_an_action_at_the_edge_of_its_range_is_checked_on_its_side(action, why):
    """Trial MUT34 G3 (PO08-PO11, each survived): the ranges of policies._invalid's docstring, "a new layer has whole
    contracts >= 1, a finite size_multiple > 0 and a tenor_months the market lists (<= vx_months); a condor scale
    lies in (0, 1]", on each side. 8: the VX contract months the default market lists (the tenor_months = 99 case
    above); the messages are policies.py's."""
    def policy(state, snap, cfg):
        return Decision((action,))

    day, state = dt.date(2016, 1, 5), BookState(condor_contracts=3)
    if not why:
        assert policies.decide_checked(policy, state, None, C.HedgeConfig(), day, vx_months=8).actions == (action,)
        return
    with pytest.raises(policies.PolicyError, match=r"invalid action on 2016-01-05: .*: " + re.escape(why)):
        policies.decide_checked(policy, state, None, C.HedgeConfig(), day, vx_months=8)


@pytest.mark.parametrize("cuts", [1, 2])
def test_a_cut_past_one_contract_keeps_one_and_then_is_logged_blocked(cuts, tmp_path, monkeypatch):
    # the trial's policy (CutCondor(10**6) on every bar with a condor open): before, the second bar's cut filled zero
    # contracts, "internal error: ValueError: fill of zero contracts for SPX 2016-02-19 1675P", exit 3; two cuts in
    # one Decision did too. The default condor opens 10 contracts ([condor] contracts, vixhedge/configs/default.toml)
    module = f"cut_all_{cuts}"
    (tmp_path / f"{module}.py").write_text(
        "from vixhedge.api import *\n\n\ndef policy(state, snap, cfg):\n    if state.condor_contracts >= 1:\n"
        f"        return Decision((CutCondor(10**6, 'cut_all'),) * {cuts})\n    return Decision()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    p = tmp_path / "c.toml"
    p.write_text(f'[run]\nstart = 2016-01-04\nend = 2016-01-29\n[hedge]\npolicy = "{module}:policy"\n')
    assert main(["run", str(p), "--runs-dir", str(tmp_path / "runs"), "--engine", "fast", "-q"]) == 0
    (folder,) = [q for q in (tmp_path / "runs").iterdir() if q.is_dir()]
    condors = pd.read_csv(folder / "condors.csv")
    assert (condors["contracts"] == 10).all() and (condors["contracts_cut"] == 9).all()  # one contract kept
    actions = pd.read_csv(folder / "signals.csv")["actions"].dropna()
    cut = "cut_condor x9 of 1000000 asked, 1 kept (cut_all)"
    blocked = "cut_condor!one_contract_left (cut_all)"
    assert set(actions[actions.str.startswith("cut")]) == {";".join([cut] + [blocked] * (cuts - 1)),
                                                          ";".join([blocked] * cuts)}
    trades = pd.read_csv(folder / "trades.csv")
    assert (trades["qty"] != 0).all() and (trades.loc[trades["reason"] == "vega_cut (cut_all)", "qty"].abs() == 9).all()


def test_an_entry_cut_past_the_contracts_held_back_cuts_only_those(tmp_path, monkeypatch):
    """Trial MUT34 CA11 (``k = min(action.contracts, c.held_back)`` -> ``action.contracts`` survived): on an entry
    bar with a bullish divergence the condor holds back the contracts the divergence cuts (CondorActions._entry_cut;
    2015-06-01: 5 of the default 10, as test_kernel.py's test_a_divergence_on_an_entry_day_opens_the_condor_... counts
    them). A plug-in wrapping decide_alvh that asks that cut plus 5 cuts the 5 held back, no more
    (_cut_condor: an entry cut takes them; the 5 opened stay): condors.csv 10 sized, 5 cut, opening fills of 5 per
    leg and no vega_cut on that bar."""
    (tmp_path / "cut_more.py").write_text(
        "from vixhedge.api import *\n\n\ndef policy(state, snap, cfg):\n    d = decide_alvh(state, snap, cfg)\n"
        "    acts = tuple(CutCondor(a.contracts + 5, a.reason) if isinstance(a, CutCondor) else a for a in d.actions)\n"
        "    return Decision(acts, d.fired, d.acted)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-06-30"},
                    hedge={"policy": "cut_more:policy"})
    res = run_backtest(cfg, engine="fast")
    row = res.condors[res.condors["entry_date"].astype(str).str[:10] == "2015-06-01"].iloc[0]
    assert (row["contracts"], row["contracts_cut"]) == (10, 5)
    assert "cut_condor x5 at entry: opened 5 of 10" in res.signals_log.loc[pd.Timestamp("2015-06-01"), "actions"]
    fills = res.trades.loc[[pd.Timestamp("2015-06-01")]]
    opened = fills[fills["reason"] == "open"]  # (the hedge's fills that day have their own reasons)
    assert len(opened) == 4 and set(opened["qty"].abs()) == {5}  # four legs of 5 condors
    assert not fills["reason"].astype(str).str.startswith("vega_cut").any()


@pytest.mark.parametrize("hedge", ['mode = "alvh"', 'policy = "static"', 'policy = "strategies.hedge:decide_alvh"'])
def test_policy_params_under_a_built_in_policy_are_one_line(hedge, tmp_path, capsys):
    # the trial's config: before, the alvh run went ahead and ignored both keys without a word
    p = tmp_path / "c.toml"
    p.write_text(f"[hedge]\n{hedge}\n[hedge.policy_params]\ncontracts = 3\ntypo_key = 1\n")
    assert main(["run", str(p), "--runs-dir", str(tmp_path / "runs")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert re.search(r"hedge.policy_params = \{'contracts': 3, 'typo_key': 1\} is invalid under the built-in hedge "
                     r"policy \S+: \[hedge.policy_params\] applies to plug-in policies only .*so contracts, typo_key "
                     r"would be ignored; remove the table", err), err
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


@pytest.mark.parametrize("fired, acted, why", [
    # the trial's pol_badfired: before, an internal TypeError in the trader's ";".join
    (("x", 3), (), r"Decision.fired = \('x', 3\) on 2016-01-05: use a tuple of rule names"),
    # the trial's pol_firedstr: before, signals.csv read m;o;m;_;u;p and rules_fired counted letters
    ("mom_up", "mom_up", r"Decision.fired = 'mom_up' on 2016-01-05: use a tuple of rule names, each a non-empty str"),
    (("up",), ("a;b",), r"Decision.acted = \('a;b',\) on 2016-01-05: .*without ';'"),
    (("up",), None, r"Decision.acted = None on 2016-01-05"),
])
def test_bad_rule_names_of_a_decision_are_one_line_naming_the_policy_the_day_and_the_value(fired, acted, why):
    def policy(state, snap, cfg):
        return Decision((), fired, acted)

    with pytest.raises(policies.PolicyError, match=r"^hedge policy alvh returned " + why):
        policies.decide_checked(policy, BookState(), None, C.HedgeConfig(), dt.date(2016, 1, 5))
    ok = lambda state, snap, cfg: Decision((), ["up", "x!cap"], ("up",))  # noqa: E731 - a list of str is fine
    assert policies.decide_checked(ok, BookState(), None, C.HedgeConfig(), dt.date(2016, 1, 5)).fired == ["up", "x!cap"]


def test_a_class_used_as_a_policy_is_one_short_line():
    # the trial: a dataclass used as hedge.policy returned an instance whose repr (the whole BookState and Snapshot)
    # made a 3,221-character line
    @dataclasses.dataclass
    class NotAPolicy:
        state: object
        snap: object
        cfg: object

    snap = Snapshot(vx=20.0, macd=0.1, signal=0.0, hist=0.1, cross=1)
    with pytest.raises(policies.PolicyError) as err:
        policies.decide_checked(NotAPolicy, BookState(), snap, C.HedgeConfig(), dt.date(2016, 1, 5))
    text = str(err.value)
    assert len(text) < 400 and "\n" not in text and "characters) on 2016-01-05: return a Decision of" in text


def test_selector_params_under_the_built_in_selector_are_one_line(tmp_path, capsys):
    # README "Plug-ins": checked like a policy's; before, [condor.selector_params] under standard was ignored silently
    p = tmp_path / "c.toml"
    p.write_text("[condor.selector_params]\ndelta = 0.12\n")
    assert main(["run", str(p), "--runs-dir", str(tmp_path / "runs")]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert "condor.selector_params = {'delta': 0.12} is invalid under the built-in condor selector standard" in err
    assert not (tmp_path / "runs").exists() or not any((tmp_path / "runs").iterdir())


def test_a_policy_reading_a_signal_the_run_does_not_compute_is_told_what_snap_extra_holds(tmp_path, monkeypatch,
                                                                                          capsys):
    """Plug-in trial, session 16: `snap.extra["vx_z"]` without the signal in hedge.signals ended in a bare
    "KeyError: 'vx_z'"; the line now says what snap.extra holds and the fix (strategies.snapshot.Extra), and
    `snap.extra.get` still returns None."""
    from strategies.snapshot import NO_EXTRA, Extra

    (tmp_path / "reads_z.py").write_text("from vixhedge.api import Decision\n\n\ndef policy(state, snap, cfg):\n"
                                         "    z = snap.extra['vx_z']\n    return Decision()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    p = tmp_path / "c.toml"
    p.write_text('[run]\nstart = 2016-01-04\nend = 2016-02-26\n[hedge]\npolicy = "reads_z:policy"\n')
    assert main(["run", str(p), "--runs-dir", str(tmp_path / "runs"), "-q"]) == 2
    err = capsys.readouterr().err
    assert "MissingSignal: snap.extra has no 'vx_z': it holds none (hedge.signals names no signal); name the signal " \
           "in hedge.signals" in err and err.count("\n") == 1, err
    assert NO_EXTRA.get("vx_z") is None and Extra({"a": 1.0}) == {"a": 1.0} and dict(Extra({"a": 1.0})) == {"a": 1.0}
    with pytest.raises(KeyError, match="it holds 'a'"):
        Extra({"a": 1.0})["b"]


def test_a_plugin_wrapping_alvh_runs_as_alvh_through_a_caps_refusal(tmp_path, monkeypatch):
    """Review 25: README's "decide_alvh ... to wrap a built-in" failed wherever a cap cut an add to 0 contracts (the
    built-in's AddLayer(0, cap=...), a refusal the trader logs, was an invalid action for a plug-in): the wrapper's
    run equals alvh's, day by day, refusals included (max_notional_usd 20,000: about one VX contract)."""
    from vixhedge.run import run_backtest

    (tmp_path / "wrap_alvh.py").write_text("from vixhedge.api import decide_alvh\n\n\ndef policy(state, snap, cfg):\n"
                                           "    return decide_alvh(state, snap, cfg)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = C.replace(C.load_default(), run={"end": "2014-09-30"}, hedge={"max_notional_usd": 20_000.0})
    alvh = run_backtest(cfg, engine="fast")
    wrapped = run_backtest(C.replace(cfg, hedge={"policy": "wrap_alvh:policy"}), engine="fast")
    capital = alvh.signals_log["capital"].fillna("")
    assert capital.str.contains("refuse 2->0").any()  # (the case: on 2014-03-20 a cap cut an add of 2 to 0)
    assert (wrapped.daily["nav_usd"] == alvh.daily["nav_usd"]).all()
    for column in ("actions", "capital"):
        assert wrapped.signals_log[column].fillna("").tolist() == alvh.signals_log[column].fillna("").tolist()
