"""The condor-selector, extra-signal and analyzer plug-ins (README "Plug-ins"): the built-ins through the registry,
config validation (one line before any work), identity, and examples/custom_plugins.toml through run, replay,
compare, a local sweep and a dask LocalCluster. The hedge-policy plug-in is tested in test_plugins.py."""

import ast
import dataclasses
import datetime as dt
import hashlib
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from analyzers import plugins as analyzer_plugins
from strategies import selectors
from vixhedge.core import config as C
from vixhedge import extensions
from vixhedge import sweep as sw
from vixhedge.cli import main
from vixhedge.report import run_id
from vixhedge.run import run_backtest

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SHORT = {"start": "2016-01-04", "end": "2016-04-29"}
FILES = ("custom_condor.py", "custom_signal.py", "custom_analyzer.py")


def example_config(**run) -> C.Config:
    cfg = C.load(EXAMPLES / "custom_plugins.toml")
    return C.replace(cfg, run=run) if run else cfg


def test_builtins_come_through_the_same_registry_and_stock_configs_keep_their_ids():
    assert selectors.resolve("standard") is selectors.standard
    assert analyzer_plugins.REGISTRY.resolve("monthly_returns") is analyzer_plugins.monthly_returns
    stock = C.replace(C.load_default(), run=SHORT)
    toml = C.to_toml(stock)
    assert "selector" not in toml and "signals" not in toml and "analyzers" not in toml  # written only when set
    assert extensions.fingerprint(stock) == "" and extensions.named(stock) == []
    ident = extensions.identities(stock)
    assert ident["condor_selector"]["qualname"] == "standard" and ident["signals"] == ident["analyzers"] == []
    # naming the built-in selector explicitly: its own run id, the very same trades
    named = C.replace(stock, condor={"selector": "standard"})
    assert run_id(named) != run_id(stock)
    a, b = run_backtest(stock, engine="fast"), run_backtest(named, engine="fast")
    pd.testing.assert_frame_equal(a.condors, b.condors)
    pd.testing.assert_frame_equal(a.daily, b.daily)
    assert "analyzers" not in a.metrics and a.analyzer_tables == {}  # stock metrics.json unchanged


def test_examples_import_only_the_public_api():
    for name in FILES:
        tree = ast.parse((EXAMPLES / name).read_text())
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        project = {m for m in modules if m.split(".")[0] in ("vixhedge", "strategies", "feeds", "analyzers")}
        assert project == {"vixhedge.api"}, name
        assert modules - project <= {"__future__", "dataclasses", "numpy", "pandas"}, name


@pytest.mark.parametrize("table, why", [
    ('[condor]\nselector = "no_such_module_xyz:pick"', "condor.selector = 'no_such_module_xyz:pick' is invalid: "
                                                       "cannot import module"),
    ('[condor]\nselector = "custom_condor:nope"', "module 'custom_condor' has no 'nope'"),
    ('[condor]\nselector = "custom_analyzer:drawdowns"', "a condor selector is called as f(choice, cfg), but "
                                                         "drawdowns(result) cannot be"),
    ('[condor]\nselector = "custom_condor:pick"\n[condor.selector_params]\notm_per_vx_point = 0.5',
     "condor.selector_params = {'otm_per_vx_point': 0.5} is invalid for custom_condor:pick: otm_per_vx_point"),
    ('[hedge]\nsignals = ["custom_analyzer:tail_offset"]', "hedge.signals[0] = 'custom_analyzer:tail_offset' is "
                                                           "invalid: a signal is called as f(inputs, cfg)"),
    ('[hedge]\nsignals = "custom_signal:vx_zscore"', "hedge.signals = 'custom_signal:vx_zscore' is invalid: use a "
                                                     "list"),
    ('[hedge]\nsignals = ["custom_signal:vx_zscore", "custom_signal:vx_zscore"]', "both read as "
                                                                                  "snap.extra['vx_zscore']"),
    ('[analysis]\nanalyzers = ["custom_signal:vx_zscore"]', "an analyzer is called as f(result), but "
                                                            "vx_zscore(inputs, cfg) cannot be"),
    ('[analysis]\nanalyzers = ["nope"]', "'nope' is neither a built-in (monthly_returns), a 'module:callable'"),
])
def test_a_bad_plugin_is_one_config_error_before_any_work(table, why, on_path, tmp_path, capsys):
    p = tmp_path / "bad.toml"
    p.write_text(table + "\n")
    with pytest.raises(C.ConfigError) as exc:
        C.load(p)
    assert why in str(exc.value)
    assert main(["run", str(p), "--runs-dir", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err and why in err
    assert not [q for q in tmp_path.iterdir() if q.is_dir()]  # rejected before any work


def test_the_examples_run_end_to_end_from_the_cli(on_path, tmp_path, capsys):
    assert main(["run", str(EXAMPLES / "custom_plugins.toml"), "--runs-dir", str(tmp_path), "--engine", "fast"]) == 0
    out = capsys.readouterr().out
    assert "condor selector     custom_condor:pick" in out and "extra signals       custom_signal:vx_zscore" in out
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    manifest = json.loads((folder / "manifest.json").read_text())
    sha = {n: hashlib.sha256((EXAMPLES / n).read_bytes()).hexdigest() for n in FILES}
    own = {"module": "custom_condor", "file": str((EXAMPLES / "custom_condor.py").resolve()),
           "sha256": sha["custom_condor.py"]}  # it imports no helper: its one file's sha256 is source_sha256
    assert manifest["condor_selector"] == {"name": "custom_condor:pick", "module": "custom_condor", "qualname": "pick",
                                           "source_sha256": sha["custom_condor.py"], "source_files": [own]}
    assert [s["qualname"] for s in manifest["signals"]] == ["vx_zscore"]
    assert manifest["signals"][0]["source_sha256"] == sha["custom_signal.py"]
    assert [a["name"] for a in manifest["analyzers"]] == ["custom_analyzer:tail_offset", "custom_analyzer:drawdowns",
                                                         "monthly_returns"]
    # the folder the three modules were imported from (examples/), not a placeholder
    assert manifest["replay_command"] == f"PYTHONPATH={EXAMPLES.resolve()} vixhedge run {folder / 'config.toml'}"
    # the selector chose every condor: 50-point wings beyond its shorts (examples/custom_plugins.toml)
    condors = pd.read_csv(folder / "condors.csv")
    assert len(condors) >= 10
    assert ((condors["short_put"] - condors["long_put"]) == 50).all()
    assert ((condors["long_call"] - condors["short_call"]) == 50).all()
    # the extra signal reached signals.csv and the policy that reads it acted on it
    signals = pd.read_csv(folder / "signals.csv")
    assert signals["extra_vx_zscore"].notna().all()
    layers = pd.read_csv(folder / "layers.csv")
    assert len(layers) >= 5 and set(layers["trigger"]) == {"vx_z_high"}
    entries = signals.loc[signals["actions"].fillna("").str.contains("add L"), "extra_vx_zscore"]
    assert (entries > 1.0).all()  # enter = 1.0 in the toml: added only above it
    # the analyzers: a dict in metrics.json, tables in the folder (the built-in monthly grid compounds to the run)
    metrics = json.loads((folder / "metrics.json").read_text())
    tail = metrics["analyzers"]["tail_offset"]
    assert tail["days"] == 10 and tail["condor_pnl_usd"] < 0
    assert metrics["analyzers"]["drawdowns"] == {"table": "analyzer_drawdowns.csv",
                                                 "rows": len(pd.read_csv(folder / "analyzer_drawdowns.csv"))}
    grid = pd.read_csv(folder / "analyzer_monthly_returns.csv", index_col="year")
    total = float(np.prod(1 + grid["Year"])) - 1
    assert total == pytest.approx(metrics["performance"]["total_return"], abs=1e-6)
    page = (folder / "report.html").read_text()
    assert "condor selector" in page and "custom_condor:pick" in page and "analyzer source" in page
    # the answers themselves are in the page: the dict's values and the tables' rows
    assert "<h2>Analyzer plug-ins</h2>" in page and "<h3>tail_offset</h3>" in page
    assert f"<td>offset_share</td><td>{tail['offset_share']:.4g}</td>" in page
    assert "<code>analyzer_monthly_returns.csv</code>" in page and "<th>Year</th>" in page
    from vixhedge.api import load_run  # read back as a RunResult holds them (plug-in trial, session 16)

    back = load_run(folder).analyzer_tables
    assert set(back) == {"drawdowns", "monthly_returns"}
    pd.testing.assert_frame_equal(back["drawdowns"], pd.read_csv(folder / "analyzer_drawdowns.csv"))


def test_the_extra_signal_is_what_the_plugin_computes_and_reaches_the_snapshot(on_path):
    import custom_signal
    from strategies.signalset import inputs_from_market

    res = run_backtest(example_config(**SHORT), engine="fast")
    expected = custom_signal.vx_zscore(inputs_from_market(res.market, res.config.hedge), res.config.hedge)
    np.testing.assert_array_equal(res.signals.extra["vx_zscore"], expected)
    i = len(res.signals.dates) - 1
    assert res.signals.snapshot(i).extra == {"vx_zscore": float(expected[i])}


@pytest.mark.parametrize("module, body, why", [  # one module name each: an imported module stays imported
    ("peeks", "return np.roll(np.asarray(inputs.vx, dtype=float), -1)", "is not causal: its value on"),
    ("short", "return np.asarray(inputs.vx)[:-1]", "returned 1256 values for 1257 bars"),  # the embedded market
    # the run's sessions and window, then the market's bars (plug-in trial 2026-12-04, finding 3: "on 1257 bars" alone)
    ("raises", "return 1 / 0", "failed on the run 2016-01-04..2016-01-29 (19 sessions; called with 1257 bars, "
                               "2014-01-03..2018-12-31): ZeroDivisionError"),
    # trial PL25: an infinity after the run named a day outside it without the bars; strings read as a failure
    ("inf", "v = np.asarray(inputs.vx, dtype=float).copy()\n    v[-3] = np.inf\n    return v",
     "returned an infinite value on 2018-12-27, called on the run 2016-01-04..2016-01-29 (19 sessions; called with "
     "1257 bars, 2014-01-03..2018-12-31): return finite numbers"),
    ("text", "return np.array(['a'] * len(inputs.dates))", "returned values that are not numbers (could not convert "
                                                           "string to float: "),  # (then numpy's repr of 'a')
])
def test_a_broken_signal_is_one_line_before_any_trading(module, body, why, tmp_path, monkeypatch, capsys):
    err = _broken_signal_run(tmp_path, monkeypatch, capsys, module, body, "2016-01-04", "2016-01-29")
    assert why in err and "Traceback" not in err and not list((tmp_path / "runs").glob("*/"))


def _broken_signal_run(tmp_path, monkeypatch, capsys, module, body, start, end) -> str:
    """A run on [start, end] with the signal plug-in sig_<module> of ``body``: exit 2, its last line naming the
    signal; returns stderr."""
    (tmp_path / f"sig_{module}.py").write_text(f"import numpy as np\n\ndef sig(inputs, cfg):\n    {body}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    p = tmp_path / "c.toml"
    p.write_text(f'[run]\nstart = {start}\nend = {end}\n[hedge]\nsignals = ["sig_{module}:sig"]\n')
    assert main(["run", str(p), "--runs-dir", str(tmp_path / "runs"), "--engine", "fast"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith(f"vixhedge: signal sig_{module}:sig ")
    return err


@pytest.mark.parametrize("module, start, body, why", [
    # trial MUT25 (E1): checking causality up to the run's last bar + 1 survived; a run ending on the data's last bar
    # (2018-12-31 on the embedded market) then recomputed on every bar and saw no change. The middle of its 19
    # sessions (2018-12-03..31, no 12-05) is the 9th, 2018-12-14: the roll's wrapped value shows there (hand count)
    ("peeks_end", "2018-12-03", "return np.roll(np.asarray(inputs.vx, dtype=float), -1)",
     "is not causal: its value on 2018-12-14 changes"),
    # trial MUT25 (E6): a day named from the bars after the run's first survived; an inf on the session before the
    # run and on its first one names the first (README "Plug-ins": "a day within the run where one differs")
    ("inf_first", "2016-01-04", "import datetime as dt\n    v = np.asarray(inputs.vx, dtype=float).copy()\n    "
     "i = int(np.searchsorted(inputs.dates.date, dt.date(2016, 1, 4)))\n    v[i - 1] = v[i] = np.inf\n    return v",
     "returned an infinite value on 2016-01-04, called on the run 2016-01-04..2018-12-31"),
])
def test_a_broken_signal_is_named_on_a_day_of_the_run_at_its_ends(module, start, body, why, tmp_path, monkeypatch,
                                                                  capsys):
    assert why in _broken_signal_run(tmp_path, monkeypatch, capsys, module, body, start, "2018-12-31")


def _signal_module(tmp_path, monkeypatch, name, body):
    (tmp_path / f"{name}.py").write_text(f"import numpy as np\n\nSEEN = []\n\ndef sig(inputs, cfg):\n    {body}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    return C.replace(C.load_default(), hedge={"signals": [f"{name}:sig"]}).hedge


def test_a_signal_is_handed_no_run_window_and_its_values_are_read_only(tmp_path, monkeypatch):
    """Trial MUT25 (E5, E9): handing the plug-in the run's window, and leaving its values writable, survived.
    Commit c0dd10b: the window is stripped from the inputs a signal plug-in is given (it cannot read the run's end;
    README "Plug-ins": called with all the market's bars); README (plug-ins' tables): what a plug-in is given is
    read-only (the values are shared by every policy, selector and sweep point reading snap.extra)."""
    import importlib

    from feeds.market import build_market
    from strategies import extra_signals
    from strategies.signalset import inputs_from_market

    h = _signal_module(tmp_path, monkeypatch, "sig_window_seen",
                       "SEEN.append(inputs.window)\n    return np.zeros(len(inputs.dates))")
    inputs = inputs_from_market(build_market(C.load_default().market), h, (dt.date(2016, 1, 4), dt.date(2016, 1, 29)))
    assert inputs.window is not None
    out = extra_signals.compute(inputs, h)["sig"]
    assert importlib.import_module("sig_window_seen").SEEN == [None, None]  # the run, then the causal check
    assert not out.flags.writeable
    with pytest.raises(ValueError, match="read-only"):
        out[0] = 1.0


SELECTORS = {
    "raises": ("return 1 / 0", "failed on 2016-01-04: ZeroDivisionError"),
    "unordered": ("legs = select_condor(choice.chain, cfg)\n    return CondorLegs(legs.expiry, legs.short_put, "
                  "legs.long_put, legs.short_call, legs.long_call)", "need 0 < long put < short put"),
    "unlisted": ("legs = select_condor(choice.chain, cfg)\n    return CondorLegs(legs.expiry, legs.long_put + 0.5, "
                 "legs.short_put, legs.short_call, legs.long_call)", "chose a long put at"),
    "weekly": ("import datetime as dt\n    legs = select_condor(choice.chain, cfg)\n    return CondorLegs(legs.expiry - "
               "dt.timedelta(days=7), legs.long_put, legs.short_put, legs.short_call, legs.long_call)",
               "chose expiry"),
    "junk": ("return 'condor'", "returned 'condor' on 2016-01-04: return a CondorLegs or None"),
    # the trial's plug3:peek_pick tripled the shared chain's call bids (every mode / point on the cache changed P&L)
    "writes": ("choice.chain.call.bid[:] = choice.chain.call.bid * 3\n    return select_condor(choice.chain, cfg)",
               "failed on 2016-01-04: ValueError: assignment destination is read-only"),
    "writes_other": ("choice.chain_of(choice.expiries[1]).put.mid[0] = 0.0", "assignment destination is read-only"),
}


@pytest.mark.parametrize("kind", sorted(SELECTORS))
def test_a_broken_selector_is_one_line_naming_it_and_the_day(kind, tmp_path, monkeypatch, capsys):
    body, why = SELECTORS[kind]
    (tmp_path / f"sel_{kind}.py").write_text("from vixhedge.api import CondorLegs, select_condor\n\n"
                                             f"def pick(choice, cfg):\n    {body}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    p = tmp_path / "c.toml"
    p.write_text(f'[run]\nstart = 2016-01-04\nend = 2016-01-29\n[condor]\nselector = "sel_{kind}:pick"\n')
    assert main(["run", str(p), "--runs-dir", str(tmp_path / "runs"), "--engine", "fast"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith(f"vixhedge: condor selector sel_{kind}:pick ") and why in err
    assert "Traceback" not in err and not list((tmp_path / "runs").glob("*/"))


def test_a_selector_may_open_on_a_later_untraded_expiry(tmp_path, monkeypatch):
    (tmp_path / "later.py").write_text("from vixhedge.api import select_condor\n\n"
                                       "def pick(choice, cfg):\n"
                                       "    later = [e for e in choice.expiries if e > choice.expiry][0]\n"
                                       "    return select_condor(choice.chain_of(later), cfg)\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = C.replace(C.load_default(), run=SHORT, condor={"selector": "later:pick"})
    stock = run_backtest(C.replace(cfg, condor={"selector": ""}), engine="fast").condors
    later = run_backtest(cfg, engine="fast").condors
    # each condor opens one monthly cycle further out than the entry rule's (28..35 days: the third Fridays)
    first = (pd.Timestamp(later["expiry"].iloc[0]) - pd.Timestamp(stock["expiry"].iloc[0])).days
    assert 28 <= first <= 35 and later["expiry"].is_unique



@pytest.fixture(scope="module")
def jan4_choice():
    """A CondorChoice on 2016-01-04 (embedded market) proposing the 2016-02-19 expiry, 2016-03-18 already traded;
    returns it and a plug-in-style check of a selector's legs (strategies.selectors.select_checked)."""
    from feeds.market import build_market
    from strategies.condor import CondorLegs

    market = build_market(C.load_default().market)
    i = int(np.flatnonzero(market.dates.date == dt.date(2016, 1, 4))[0])
    feb = dt.date(2016, 2, 19)
    choice = selectors.CondorChoice(dt.date(2016, 1, 4), feb, market.spx_chain(i, feb), 1e6, None, False,
                                    frozenset({dt.date(2016, 3, 18)}), lambda e: market.spx_chain(i, e))
    cfg = C.load_default().condor

    def check(*legs):
        return selectors.select_checked(lambda ch, c: CondorLegs(*legs), choice, cfg)
    return choice, check


def test_a_selector_is_offered_and_allowed_untraded_expiries_only(jan4_choice):
    """Trial MUT25 (L3): ``choice.expiries`` keeping the traded expiries survived. README "Plug-ins" / the
    CondorChoice docstring: ``expiries`` are the untraded standard monthly expiries (one condor per expiry). Third
    Fridays after 2016-01-04 (hand, calendar): Jan 15, Feb 19, Apr 15 (Mar 18 traded); choosing Mar 18 is refused."""
    choice, check = jan4_choice
    assert choice.expiries[:3] == (dt.date(2016, 1, 15), dt.date(2016, 2, 19), dt.date(2016, 4, 15))
    with pytest.raises(selectors.SelectorError, match="chose expiry 2016-03-18 on 2016-01-04"):
        check(dt.date(2016, 3, 18), 1800.0, 1850.0, 2100.0, 2150.0)


def test_a_selector_iron_fly_is_refused_and_later_strikes_are_read_on_their_chain(jan4_choice):
    """Trial MUT25 (L2, L4): allowing short put == short call, and reading another expiry's strikes on the entry
    expiry's chain, survived. README "Plug-ins" (select_checked: four listed strikes in order, long put < short put
    < short call < long call): an iron fly (short put = short call = 2000) is refused; the 2016-04-15 chain lists
    1300 (its grid starts lower than 2016-02-19's, 1420 on the embedded market), so a condor there is accepted."""
    choice, check = jan4_choice
    with pytest.raises(selectors.SelectorError, match="need 0 < long put < short put < short call < long call"):
        check(dt.date(2016, 2, 19), 1950.0, 2000.0, 2000.0, 2050.0)
    assert choice.chain.strikes[0] > 1300 and 1300 in choice.chain_of(dt.date(2016, 4, 15)).strikes
    legs = check(dt.date(2016, 4, 15), 1300.0, 1850.0, 2100.0, 2150.0)
    assert legs.expiry == dt.date(2016, 4, 15) and legs.long_put == 1300.0


@pytest.mark.parametrize("module, body, why", [
    ("an_raises", "return 1 / 0", "analyzer an_raises:a failed: ZeroDivisionError: division by zero"),
    ("an_list", "return [1, 2]", "analyzer an_list:a returned list [1, 2]: return a dict"),
    ("an_junk", "return {'x': object()}", "analyzer an_junk:a returned a dict that is not JSON"),
])
def test_a_broken_analyzer_is_one_line_and_no_folder(module, body, why, tmp_path, monkeypatch, capsys):
    (tmp_path / f"{module}.py").write_text(f"def a(result):\n    {body}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    p = tmp_path / "c.toml"
    p.write_text(f'[run]\nstart = 2016-01-04\nend = 2016-01-29\n[analysis]\nanalyzers = ["{module}:a"]\n')
    assert main(["run", str(p), "--runs-dir", str(tmp_path / "runs"), "--engine", "fast"]) == 2
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].startswith(f"vixhedge: {why}")
    assert "Traceback" not in err and not list((tmp_path / "runs").glob("*/"))


def test_an_analyzer_that_changes_the_result_changes_neither_the_run_nor_the_next_analyzer(tmp_path, monkeypatch):
    # the trial's plug3:mutator doubled daily.csv's nav_usd, cut its last 5 rows and printed Sharpe 99.0 (a column deleted here:
    # DataFrame.drop(inplace=True) warns under pandas 3)
    (tmp_path / "an_mut.py").write_text(
        "def mutate(result):\n    result.daily['nav_usd'] *= 2\n    del result.daily['condor_pnl_usd']\n"
        "    result.metrics['performance']['sharpe'] = 99.0\n    result.trades['qty'] = 0\n"
        "    return {'ok': 1}\n"
        "def seen(result):\n    return {'nav': float(result.daily['nav_usd'].iloc[-1]), 'n': len(result.daily), "
        "'sharpe': result.metrics['performance']['sharpe']}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    plain = run_backtest(C.replace(C.load_default(), run=SHORT), engine="fast")
    cfg = C.replace(C.load_default(), run=SHORT, analysis={"analyzers": ["an_mut:mutate", "an_mut:seen"]})
    res = run_backtest(cfg, engine="fast")
    pd.testing.assert_frame_equal(res.daily, plain.daily)
    pd.testing.assert_frame_equal(res.trades, plain.trades)
    assert res.metrics["performance"] == plain.metrics["performance"]
    seen = res.metrics["analyzers"]["seen"]  # the second analyzer saw the run, not the first one's changes
    assert seen == {"nav": float(plain.daily["nav_usd"].iloc[-1]), "n": len(plain.daily),
                    "sharpe": plain.metrics["performance"]["sharpe"]}


def test_an_edited_analyzer_gets_a_new_run_id(tmp_path, monkeypatch):
    (tmp_path / "my_an_v.py").write_text("def a(result):\n    return {'n': len(result.daily)}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = C.replace(C.load_default(), analysis={"analyzers": ["my_an_v:a"]})
    first = run_id(cfg)
    with (tmp_path / "my_an_v.py").open("a") as fh:
        fh.write("# edited\n")
    import importlib
    import my_an_v

    importlib.reload(my_an_v)  # as in a new process
    assert run_id(cfg) != first


def test_the_examples_through_replay_and_compare(on_path, tmp_path, capsys):
    assert main(["replay", "china-deval", "--config", str(EXAMPLES / "custom_plugins.toml"),
                 "--runs-dir", str(tmp_path / "replay")]) == 0
    (folder,) = list((tmp_path / "replay").iterdir())
    assert (folder / "analyzer_drawdowns.csv").is_file()
    short = tmp_path / "short.toml"
    short.write_text((EXAMPLES / "custom_plugins.toml").read_text().replace("2015-01-02", "2016-01-04")
                     .replace("2016-12-30", "2016-04-29"))
    assert main(["compare", str(short), "--runs-dir", str(tmp_path / "cmp"),
                 "--modes", "none,custom_signal:zscore_policy", "--n-boot", "200"]) == 0
    (folder,) = list((tmp_path / "cmp").iterdir())
    for run in (folder / "runs").iterdir():  # each mode ran the selector, the signal and the analyzers
        metrics = json.loads((run / "metrics.json").read_text())
        assert set(metrics["analyzers"]) == {"tail_offset", "drawdowns", "monthly_returns"}
        condors = pd.read_csv(run / "condors.csv")
        assert ((condors["short_put"] - condors["long_put"]) == 50).all()


def _spec(tmp_path: Path) -> Path:
    p = tmp_path / "spec.toml"
    p.write_text(f'[sweep]\nname = "plug"\nconfig = "{EXAMPLES / "custom_plugins.toml"}"\nbatch_size = 1\n'
                 f'[base]\nrun = {{ start = {SHORT["start"]}, end = {SHORT["end"]} }}\n'
                 '[grid]\n"condor.selector_params.wing_points" = [25.0, 50.0]\n'
                 '"hedge.policy_params.enter" = [0.5, 1.0]\n')
    return p


def test_the_examples_through_a_local_sweep_and_a_dask_local_cluster(on_path, tmp_path):
    spec = sw.load_spec(_spec(tmp_path))
    local = pd.read_csv(sw.run_sweep(spec, tmp_path / "local", progress=False))
    assert len(local) == 4 and (local["hedge_layers"] >= 1).all()
    row = local[(local["condor.selector_params.wing_points"] == 25.0) & (local["hedge.policy_params.enter"] == 1.0)]
    one = C.replace(example_config(**SHORT), condor={"selector_params": {"wing_points": 25.0}})
    alone = run_backtest(one, engine="fast")
    assert row["end_nav_usd"].iloc[0] == pytest.approx(alone.metrics["performance"]["end_nav_usd"], abs=0.01)
    cell = json.loads(row["analyzers"].iloc[0])
    assert cell["tail_offset"] == alone.metrics["analyzers"]["tail_offset"]  # the point ran the analyzers
    assert cell["drawdowns"]["table"] is None and "not kept in a sweep" in cell["drawdowns"]["note"]  # no file
    pytest.importorskip("distributed", reason="dask.distributed not installed: pip install -e '.[dask]'")
    dspec = dataclasses.replace(spec, scheduler="local-cluster", workers=2, batch_size=2)
    dask = pd.read_csv(sw.run_sweep(dspec, tmp_path / "dask", progress=False))
    key = lambda df: df.sort_values("point").reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(key(dask), key(local))


def test_a_dask_worker_that_cannot_import_a_selector_is_one_error_before_any_point(on_path, tmp_path, monkeypatch):
    pytest.importorskip("distributed", reason="dask.distributed not installed: pip install -e '.[dask]'")
    import sys
    import types

    import custom_condor

    ghost = types.ModuleType("ghost_condor")  # importable in this process only
    ghost.pick, ghost.__file__ = custom_condor.pick, custom_condor.__file__
    monkeypatch.setitem(sys.modules, "ghost_condor", ghost)
    spec = dataclasses.replace(sw.load_spec(_spec(tmp_path)), scheduler="local-cluster", workers=1)
    spec = dataclasses.replace(spec, base=C.replace(spec.base, condor={"selector": "ghost_condor:pick"}))
    with pytest.raises(C.ConfigError, match=r"dask worker tcp://\S+ cannot load condor.selector = 'ghost_condor:pick' "
                                            r"\(cannot import module 'ghost_condor'.*PYTHONPATH"):
        sw.run_sweep(spec, tmp_path / "out", progress=False)
    assert not (tmp_path / "out" / "results.csv").exists()


def test_selectors_signals_and_analyzers_registered_as_entry_points_are_found_by_name(on_path, tmp_path, monkeypatch):
    dist = tmp_path / "my_research-0.1.dist-info"  # what `pip install` of a package declaring the group leaves
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: my-research\nVersion: 0.1\n")
    (dist / "entry_points.txt").write_text("[vixhedge.plugins]\nvx-scaled = custom_condor:pick\n"
                                           "vxz = custom_signal:vx_zscore\ntail = custom_analyzer:tail_offset\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = C.replace(C.load_default(), condor={"selector": "vx-scaled"}, hedge={"signals": ["vxz"]},
                    analysis={"analyzers": ["tail"]})
    ident = extensions.identities(cfg)
    assert (ident["condor_selector"]["module"], ident["signals"][0]["qualname"], ident["analyzers"][0]["qualname"]) \
        == ("custom_condor", "vx_zscore", "tail_offset")
    res = run_backtest(C.replace(cfg, run=SHORT), engine="fast")
    assert "vxz" in res.signals.extra and set(res.metrics["analyzers"]) == {"tail"}  # filed under the entry name


def _analyzed(tmp_path, monkeypatch, module: str, body: str):
    """run_analyzers on a stand-in result (the analyzers here read nothing of it) of an analyzer ``<module>:a``."""
    from types import SimpleNamespace

    (tmp_path / f"{module}.py").write_text(f"import numpy as np\nimport pandas as pd\ndef a(result):\n    {body}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    result = SimpleNamespace(config=SimpleNamespace(analysis=SimpleNamespace(analyzers=(f"{module}:a",))))
    return analyzer_plugins.run_analyzers(result)


def test_an_analyzer_returning_a_series_is_filed_as_a_table(tmp_path, monkeypatch):
    """MUT28 AP1: README "Analyzers": "a table to analyzer_<name>.csv"; the error line names "a pandas DataFrame /
    Series" as a table. A 3-row Series: metrics.json's entry {"table": "analyzer_a.csv", "rows": 3} (by hand)."""
    entries, tables = _analyzed(tmp_path, monkeypatch, "an_tst_series", "return pd.Series([1.0, 2.0, 3.0], name='x')")
    assert entries == {"a": {"table": "analyzer_a.csv", "rows": 3}}
    assert isinstance(tables["a"], pd.DataFrame) and list(tables["a"]["x"]) == [1.0, 2.0, 3.0]


def test_an_analyzers_numpy_scalars_become_plain_json_numbers(tmp_path, monkeypatch):
    """MUT28 AP4: analyzers.plugins._json_safe's docstring: "numpy scalars become numbers": np.int64(3) and
    np.float64(0.5) are filed as 3 and 0.5, not refused as "not JSON"."""
    entries, _ = _analyzed(tmp_path, monkeypatch, "an_tst_numpy", "return {'n': np.int64(3), 'x': np.float64(0.5)}")
    assert entries == {"a": {"n": 3, "x": 0.5}} and type(entries["a"]["n"]) is int
    assert json.dumps(entries, allow_nan=False) == '{"a": {"n": 3, "x": 0.5}}'


def test_a_sweep_cell_writes_an_infinite_value_as_null():
    """MUT28 AP5: results.csv's analyzers column is strict JSON (RFC 8259 has no Infinity nor NaN): sweep_cell
    writes inf, -inf and NaN as null, as its docstring's "NaN as null"."""
    cell = analyzer_plugins.sweep_cell({"a": {"hi": float("inf"), "lo": float("-inf"), "nan": float("nan"), "n": 1}})
    assert cell == '{"a":{"hi":null,"lo":null,"n":1,"nan":null}}'
    assert json.loads(cell, parse_constant=lambda c: pytest.fail(f"not strict JSON: {c}")) == {
        "a": {"hi": None, "lo": None, "n": 1, "nan": None}}
