"""The notebook API (``vixhedge.api``, README "From Python") as a fresh user calls it: the findings of the API trial.

Each test names its finding: a market of another [market] (1), a relative data_dir (3), wrong argument types (6).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vixhedge import api

WINDOW = {"start": "2015-06-01", "end": "2015-07-31"}


@pytest.fixture(scope="module")
def short():
    """A two-month default config on the embedded market, and that market (built once)."""
    cfg = api.replace_config(api.load_default_config(), run=WINDOW)
    return cfg, api.build_market(cfg.market)


def test_a_market_of_another_market_config_is_refused_in_one_line(short):
    # finding 1: the run gave the base config's NAV exactly, and write_run recorded a [market] it never ran on
    cfg, market = short
    rates = api.replace_config(cfg, market={"rates": "constant", "rate": 0.05})
    why = (r"^run_backtest: the market passed was built from another \[market\] than the config's: market.rate = 0.05 "
           r"\(the market's: 0.01\), market.rates = 'constant' \(the market's: 'series'\); the run would ignore "
           r"cfg.market: pass build_market\(cfg.market\), or no market$")
    with pytest.raises(api.ConfigError, match=why):
        api.run_backtest(rates, market=market, engine="fast")
    real = api.replace_config(cfg, market={"source": "directory", "data_dir": "/nonexistent/data"})
    with pytest.raises(api.ConfigError, match=r"market.source = 'directory' \(the market's: 'embedded'\)"):
        api.run_backtest(real, market=market, engine="fast")
    with pytest.raises(api.ConfigError, match=r"^compare: the market passed was built from another \[market\]"):
        api.compare(rates, market=market, modes=("none", "static"), n_boot=100)


def test_a_market_differing_in_five_fields_names_four_and_counts_the_fifth(short):
    """MUT27 AA7: the line names the first four differing fields and counts the rest: five fields, by hand four
    "(the market's: ...)" and "and 1 more"."""
    cfg, market = short
    five = api.replace_config(cfg, market={"rate": 0.05, "rates": "constant", "div_yield": 0.03,
                                           "history_start": "2000-01-03", "spreads": {"spx_option_fraction": 0.5}})
    with pytest.raises(api.ConfigError) as exc:
        api.run_backtest(five, market=market, engine="fast")
    assert str(exc.value).count("(the market's: ") == 4
    assert "(the market's: 0.02) and 1 more; the run would ignore cfg.market" in str(exc.value), str(exc.value)


def test_a_long_argument_is_shown_cut_at_60_characters():
    """MUT27 AA1: a value is echoed on one line, cut after 60 characters with "...": 'x' * 100's repr is 102
    characters, shown as its first 60 (the quote and 59 x); 'x' * 58's repr is 60, shown whole."""
    with pytest.raises(api.ConfigError) as exc:
        api.run_backtest("x" * 100)
    assert f"cfg = '{'x' * 59}... is a str, not a Config" in str(exc.value), str(exc.value)
    with pytest.raises(api.ConfigError) as exc:
        api.run_backtest("x" * 58)
    assert f"cfg = '{'x' * 58}' is a str, not a Config" in str(exc.value), str(exc.value)


def test_a_shared_market_still_serves_configs_that_differ_outside_market(short):
    # finding 1: sharing one market between runs is what market= is for; a sweep's points share it internally
    cfg, market = short
    none = api.replace_config(cfg, hedge={"mode": "none"})
    assert api.run_backtest(none, market=market, engine="fast").config.hedge.policy_name == "none"
    rates = api.replace_config(cfg, market={"rates": "constant", "rate": 0.05})
    own = api.build_market(rates.market)
    assert api.run_backtest(rates, market=own, engine="fast").market is own


def test_a_relative_data_dir_is_made_absolute_as_the_cli_makes_it(tmp_path, monkeypatch, capsys):
    # finding 3: replace_config / load_config kept "../shared/data" relative: another run id than the CLI's
    from vixhedge.cli import main
    from vixhedge.report import run_id

    (tmp_path / "data").mkdir()
    monkeypatch.chdir(tmp_path)
    cfg = api.replace_config(api.load_default_config(), market={"source": "directory", "data_dir": "data"})
    assert cfg.market.data_dir == str(tmp_path / "data")
    (tmp_path / "my.toml").write_text('[market]\nsource = "directory"\ndata_dir = "data"\n', encoding="utf-8")
    assert api.load_config("my.toml").market.data_dir == str(tmp_path / "data")
    table = {"market": {"source": "directory", "data_dir": "data"}}
    assert api.from_dict(table).market.data_dir == str(tmp_path / "data")
    assert main(["run", "--data-dir", "data", "--print-config"]) == 0
    assert capsys.readouterr().out == api.to_toml(cfg, omitted=True)  # the same config, so the same run id
    assert main(["run", "my.toml", "--print-config"]) == 0
    assert capsys.readouterr().out == api.to_toml(api.load_config("my.toml"), omitted=True)
    assert run_id(cfg) == run_id(api.load_config("my.toml"))


@pytest.mark.parametrize(("call", "why"), [
    (lambda: api.run_backtest("default"), r"^run_backtest: cfg = 'default' is a str, not a Config: pass "
                                          r"load_preset_config\('default'\)"),
    (lambda: api.run_backtest({"run": {}}), r"^run_backtest: cfg = \{'run': \{\}\} is a dict, not a Config: pass "
                                            r"from_dict\(table\)"),
    (lambda: api.run_backtest(api.load_default_config(), market="embedded"),
     r"^run_backtest: market = 'embedded' is a str, not a Market: pass build_market\(cfg.market\), or no market"),
    (lambda: api.compare("default"), r"^compare: cfg = 'default' is a str, not a Config"),
    (lambda: api.compare(api.load_default_config(), modes=3), r"^compare: modes = 3 is invalid: give hedge modes"),
    (lambda: api.write_run("runs"), r"^write_run: result is a str, not a RunResult"),
    (lambda: api.replace_config("default", run={}), r"^replace_config: cfg = 'default' is a str, not a Config"),
    # review finding 3: a bare TypeError / AttributeError from inside, and a spec file called a folder
    (lambda: api.load_run(3), r"^load_run: folder = 3 is invalid: give a folder as a str or pathlib.Path, e.g. "
                              r"\"runs/<run-id>\""),
    (lambda: api.load_comparison(3), r"^load_comparison: folder = 3 is invalid: give a folder as a str or "
                                     r"pathlib.Path"),
    (lambda: api.write_comparison("x", "runs"), r"^write_comparison: cmp is a str, not a Comparison: pass what "
                                                r"compare\(cfg\) returned"),
    (lambda: api.write_comparison(None), r"^write_comparison: cmp is a NoneType, not a Comparison"),
    (lambda: api.load_sweep_spec(None), r"^load_sweep_spec: path = None is invalid: give the file's path as a str or "
                                        r"pathlib.Path, e.g. \"sweep.toml\"$"),
    # verification trial finding 4: "is a int"; the article follows the type name's first letter
    (lambda: api.run_backtest(3), r"^run_backtest: cfg = 3 is an int, not a Config: pass load_default_config\(\)"),
    (lambda: api.run_sweep(3.5), r"^run_sweep: spec is a float, not a SweepSpec"),
], ids=["str-config", "dict-config", "str-market", "compare-str-config", "compare-int-modes", "write-str",
        "replace-str", "load-run-int", "load-comparison-int", "write-comparison-str", "write-comparison-none",
        "load-sweep-spec-none", "int-config", "float-spec"])
def test_wrong_argument_types_are_one_line_not_an_internal_error(call, why):
    # finding 6: AttributeError / TypeError from inside a run before; now an ArgumentError (a ConfigError, a TypeError)
    with pytest.raises(api.ArgumentError, match=why) as caught:
        call()
    assert isinstance(caught.value, TypeError) and "\n" not in str(caught.value)


def test_compare_names_the_modes_argument_for_a_mode_that_is_not_one():
    # verification trial finding 4 (LOW): Python said "hedge.policy = 'nosuch' is invalid" (the config key the mode
    # becomes) where the command says "--modes ... is invalid"; now the argument is named, before any market builds
    why = (r"^compare: modes = 'none,nosuch' is invalid: nosuch is not a mode of \['none', 'static', 'alvh', 'vxth'\] "
           r"nor a plug-in policy that loads \(")
    with pytest.raises(api.ConfigError, match=why) as caught:
        api.compare(api.load_default_config(), modes="none,nosuch")
    assert "\n" not in str(caught.value) and "hedge.policy" not in str(caught.value)
    with pytest.raises(api.ConfigError, match=r"^compare: modes = \('none', 'nosuch'\) is invalid: nosuch is not"):
        api.compare(api.load_default_config(), modes=("none", "nosuch"))


def test_compare_takes_modes_as_one_comma_separated_string(short):
    # finding 6: compare(cfg, modes="none,static") iterated the string's characters
    cfg, market = short
    cmp = api.compare(cfg, market=market, modes="none, static", n_boot=100)
    assert list(cmp.results) == ["none", "static"]


def test_write_run_takes_a_str_folder(short, tmp_path, monkeypatch):
    # finding 6: write_run(res, "runs") was a TypeError while load_run takes a str
    cfg, market = short
    monkeypatch.chdir(tmp_path)
    res = api.run_backtest(api.replace_config(cfg, hedge={"mode": "none"}), market=market, engine="fast")
    folder = api.write_run(res, "runs")
    assert folder.parent == Path("runs") and api.load_run(str(folder)).daily.shape == res.daily.shape


def test_write_comparison_defaults_to_runs_as_write_run(short, tmp_path, monkeypatch):
    # review finding 3: write_comparison had no default runs_dir (write_run defaults "runs") and took no str
    import inspect

    assert inspect.signature(api.write_comparison).parameters["runs_dir"].default == "runs"
    cfg, market = short
    monkeypatch.chdir(tmp_path)
    cmp = api.compare(cfg, market=market, modes="none,static", n_boot=100)
    folder = api.write_comparison(cmp)
    assert folder.parent == Path("runs") and "-compare-" in folder.name
    assert list(api.load_comparison(str(folder)).results) == ["none", "static"]
    assert api.write_comparison(cmp, "runs") == folder


def test_numpy_scalars_are_taken_where_python_numbers_are():
    # finding 6: replace_config(cfg, hedge={"first_layer_contracts": np.int64(3)}) said "np.int64(3) is invalid"
    cfg = api.replace_config(api.load_default_config(),
                             hedge={"first_layer_contracts": np.int64(3), "target_hedge_ratio": np.float64(0.5)},
                             condor={"enabled": np.bool_(True)}, run={"seed": np.int32(11)})
    assert (cfg.hedge.first_layer_contracts, cfg.hedge.target_hedge_ratio, cfg.condor.enabled, cfg.run.seed) == (
        3, 0.5, True, 11)
    assert type(cfg.hedge.first_layer_contracts) is int and type(cfg.condor.enabled) is bool
    assert "first_layer_contracts = 3\n" in api.to_toml(cfg)
    with pytest.raises(api.ConfigError, match=r"hedge.first_layer_contracts = 2.5 is invalid: use a whole number"):
        api.replace_config(cfg, hedge={"first_layer_contracts": np.float64(2.5)})


def test_a_plugin_defined_in_main_is_refused_up_front():
    # finding 2: "__main__:mypolicy" ran with source_sha256 "unknown": an edit reused the folder, replay and
    # `vixhedge report` could not import it
    with pytest.raises(api.ConfigError, match=r"^hedge.policy = '__main__:mypolicy' is invalid: mypolicy is defined in "
                                              r"__main__ .*: put it in a module file on PYTHONPATH \(e.g. my_plugins.py\) "
                                              r"and name it 'my_plugins:mypolicy'"):
        api.replace_config(api.load_default_config(), hedge={"policy": "__main__:mypolicy"})
    with pytest.raises(api.ConfigError, match=r"^analysis.analyzers\[0\] = .* no source file to hash"):
        api.replace_config(api.load_default_config(), analysis={"analyzers": ["sys:exit"]})


def test_an_old_folder_of_a_main_plugin_reads_back_as_one_line(short, tmp_path, monkeypatch, capsys):
    # finding 2: `vixhedge report` on such a folder said "internal error: ValueError: __main__.__spec__ is None"
    import hashlib
    import json

    from vixhedge.cli import main

    (tmp_path / "mine.py").write_text("from vixhedge.api import Decision\n\n\ndef hold(state, snap, cfg):\n"
                                      "    return Decision(actions=())\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg, market = short
    res = api.run_backtest(api.replace_config(cfg, hedge={"policy": "mine:hold"}), market=market, engine="fast")
    folder = api.write_run(res, tmp_path / "runs")
    toml = folder / "config.toml"  # as a run of "__main__:hold" wrote it before the refusal
    toml.write_text(toml.read_text(encoding="utf-8").replace("mine:hold", "__main__:hold"), encoding="utf-8")
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    manifest["output_files"]["config.toml"] = hashlib.sha256(toml.read_bytes()).hexdigest()
    manifest["hedge_policy"] = {**manifest["hedge_policy"], "module": "__main__", "source_sha256": "unknown"}
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(api.ConfigError, match=r"config.toml: hedge.policy = '__main__:hold' is invalid: hold is "
                                              r"defined in __main__"):
        api.load_run(folder)
    assert main(["report", str(folder)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "defined in __main__" in err[0] and "internal error" not in err[0], err


def test_run_sweep_from_python_writes_the_folder_the_cli_writes(tmp_path, monkeypatch, capsys):
    # finding 4: README said notebooks import vixhedge.api and sweep figures are Figures, but no sweep was public
    import json

    from matplotlib.figure import Figure

    from vixhedge.cli import main

    spec = tmp_path / "grid.toml"
    spec.write_text('[sweep]\nname = "tiny"\nworkers = 1\nkernel = "off"\n\n[base]\n'
                    'run = { start = 2015-06-01, end = 2015-09-30 }\n\n[grid]\n'
                    '"hedge.mode" = ["none", "static"]\n"hedge.first_layer_contracts" = [1, 2]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    sweep = api.run_sweep("grid.toml")
    assert sweep.folder == Path("runs/tiny-sweep") and sweep.report.is_file()
    assert len(sweep.results) == 4 and sweep.summary["finished"] == 4
    assert repr(sweep).startswith("SweepResult('tiny-sweep', 4 of 4 points finished, best ")
    # verification trial finding 1 (MED): the folder lacked spec.toml, the reproduce command and the stage lines
    assert capsys.readouterr().err.startswith("vixhedge sweep: building the market (the embedded market: ")
    assert main(["sweep", "grid.toml", "--out", "cli-sweep", "-q"]) == 0
    api_dir, cli_dir = sweep.folder.resolve(), (tmp_path / "cli-sweep").resolve()
    for name in ("results.csv", "spec.toml", "base.toml", "summary.json", "report.html"):
        ours = (sweep.folder / name).read_bytes().replace(str(api_dir).encode(), str(cli_dir).encode())
        assert (cli_dir / name).read_bytes() == ours, name  # byte for byte but the folder's own path
    assert sweep.summary["reproduce"] == f"vixhedge sweep {spec.resolve()} --out {api_dir}"
    assert f"Reproduce (the spec as run is spec.toml, its resolved [base] config base.toml): <code>vixhedge sweep " \
           f"{spec.resolve()} --out {api_dir}</code>" in sweep.report.read_text()
    # a SweepSpec object: no file to copy or name, so no spec.toml and no reproduce; the rest the command's
    obj = api.run_sweep(api.load_sweep_spec("grid.toml"), "obj-sweep", progress=False)
    assert not (obj.folder / "spec.toml").exists() and "reproduce" not in obj.summary
    assert "Reproduce" not in obj.report.read_text()
    for name in ("results.csv", "base.toml"):
        assert (obj.folder / name).read_bytes() == (cli_dir / name).read_bytes(), name
    cli_summary = json.loads((cli_dir / "summary.json").read_text())
    del cli_summary["reproduce"]
    assert json.loads((obj.folder / "summary.json").read_text()) == cli_summary
    again = api.run_sweep("grid.toml", progress=False)  # a rerun resumes: every point is done
    assert again.results.equals(sweep.results)
    heat = api.fig_sweep_heatmap(sweep, "hedge.mode", "hedge.first_layer_contracts")
    assert isinstance(heat, Figure)  # titled as on the page: the sweep, its window and data (visual audit FIG21)
    assert heat.get_suptitle().startswith("sweep tiny: hedge.first_layer_contracts x hedge.mode, nothing else swept\n"
                                          "2015-06-01 .. 2015-09-30 (")
    with pytest.raises(api.ConfigError, match=r"^fig_sweep_heatmap: 'hedge.nope' is not a swept key"):
        api.fig_sweep_heatmap(sweep, "hedge.mode", "hedge.nope")
    # verification trial finding 3 (LOW): the same key twice was pandas' "Grouper ... not 1-dimensional"
    with pytest.raises(api.ConfigError, match=r"^fig_sweep_heatmap: x and y are both 'hedge.mode': give two different "
                                              r"swept keys of \['hedge.mode', 'hedge.first_layer_contracts'\]$"):
        api.fig_sweep_heatmap(sweep, "hedge.mode", "hedge.mode")
    with pytest.raises(api.ArgumentError, match=r"^run_sweep: spec is a dict, not a SweepSpec"):
        api.run_sweep({"grid": {}})
    # verification trial finding 1: data_dir= is --data-dir (one line for a folder that is not there, none created)
    with pytest.raises(api.ConfigError, match=r"^run_sweep: data_dir = 'no/such' \(taken relative to the current "
                                              r"directory: .*\) does not exist: give the folder of the data files"):
        api.run_sweep("grid.toml", "dd-sweep", data_dir="no/such")
    with pytest.raises(api.ArgumentError, match=r"^run_sweep: data_dir = 3 is invalid: give a folder"):
        api.run_sweep("grid.toml", "dd-sweep", data_dir=3)
    assert not Path("dd-sweep").exists()


def test_mode_none_with_a_plugin_policy_says_the_policy_decides(short, tmp_path, monkeypatch, caplog):
    # finding 5: hedge.mode = "none" with a hedge.policy plug-in silently hedged (README: the policy wins)
    (tmp_path / "always.py").write_text(
        "from vixhedge.api import AddLayer, Decision\n\n\ndef add(state, snap, cfg):\n"
        "    return Decision(actions=() if state.layers else (AddLayer(contracts=1, size_multiple=1.0, reason='always'),))\n",
        encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg, market = short
    mixed = api.replace_config(cfg, hedge={"mode": "none", "policy": "always:add"})
    with caplog.at_level("WARNING", logger="vixhedge"):
        res = api.run_backtest(mixed, market=market, engine="fast")
    notes = [r.getMessage() for r in caplog.records if "hedge.mode = \"none\" with hedge.policy" in r.getMessage()]
    assert notes == ["hedge.mode = \"none\" with hedge.policy = 'always:add': the policy decides and may hedge (it wins "
                     "over hedge.mode, which only picks the contracts); to run unhedged, clear hedge.policy (or set it "
                     "to \"none\")"]
    assert res.metrics["counts"]["hedge_layers"] >= 1  # it did hedge, as the note says
    caplog.clear()
    with caplog.at_level("WARNING", logger="vixhedge"):
        api.run_backtest(api.replace_config(cfg, hedge={"mode": "none"}), market=market, engine="fast")
        api.run_backtest(api.replace_config(cfg, hedge={"policy": "always:add"}), market=market, engine="fast")
    assert not [r for r in caplog.records if "with hedge.policy" in r.getMessage()]


def test_write_run_tags_its_no_hedge_benchmark_notes_and_notes_silence_by_logger(tmp_path, caplog, capfd):
    # finding 7: write_run's no-hedge benchmark printed its notes untagged from Python (the CLI: "vixhedge
    # [no-hedge benchmark]: ..."); README says how to silence them
    import logging

    cfg = api.replace_config(api.load_default_config(), run={"start": "2015-06-01", "end": "2015-09-30"})
    res = api.run_backtest(cfg, engine="fast")
    caplog.clear()
    with caplog.at_level("WARNING", logger="vixhedge"):
        api.write_run(res, tmp_path)
    notes = [r.getMessage() for r in caplog.records]
    assert notes and all(n.startswith("vixhedge [no-hedge benchmark]: ") for n in notes), notes
    assert any("capital (cap): condor reduce" in n for n in notes)
    caplog.clear()
    with caplog.at_level("WARNING", logger="vixhedge"):
        api.run_backtest(cfg, engine="fast")  # outside the benchmark: the run's own notes, untouched
    assert caplog.records and not any(r.getMessage().startswith("vixhedge [") for r in caplog.records)
    logger = logging.getLogger("vixhedge")
    before = logger.level
    logger.setLevel(logging.ERROR)  # README "From Python": how a notebook silences the notes
    try:
        capfd.readouterr()
        caplog.clear()
        api.write_run(api.run_backtest(cfg, engine="fast"), tmp_path / "quiet")
        assert capfd.readouterr().err == "" and not caplog.records
    finally:
        logger.setLevel(before)


def test_fig_benchmark_draws_a_run_result_as_its_folder(short, tmp_path):
    # finding 8: fig_benchmark(res) raised AttributeError 'benchmark' while fig_equity / fig_vega take a RunResult
    cfg, market = short
    res = api.run_backtest(cfg, market=market, engine="fast")
    svg = api.fig_benchmark(res)
    assert svg.startswith("<svg ") and "same run, no hedge" in svg
    files = api.load_run(api.write_run(res, tmp_path))
    assert api.fig_benchmark(files).startswith("<svg ")
    assert svg == api.fig_benchmark(files)  # review finding 8: the same figure from the result as from its folder
    # fuzz trial, session 9, finding L13: a str is a run folder's path, read back (a missing one: load_run's line)
    assert api.fig_benchmark(str(files.folder)) == svg
    with pytest.raises(api.RunFolderError, match=r"^runs/x does not exist: give a folder `vixhedge run` wrote"):
        api.fig_benchmark("runs/x")
    with pytest.raises(api.ArgumentError, match=r"^fig_benchmark: files is a DataFrame, not a run: pass a RunResult"):
        api.fig_benchmark(res.daily)


def test_plugin_signatures_and_actions_have_their_own_help():
    # finding 9: help(HedgePolicy) etc. showed typing.Callable's help; Snapshot did not say what its values mean
    import pydoc

    for name, says in (("HedgePolicy", "policy(state: BookState, snap: Snapshot, cfg: HedgeConfig) -> Decision"),
                       ("CondorSelector", "selector(choice: CondorChoice, cfg: CondorConfig) -> CondorLegs | None"),
                       ("ExtraSignal", "signal(inputs: SignalInputs, cfg: HedgeConfig) -> array"),
                       ("Analyzer", "analyzer(result: RunResult) -> dict | DataFrame | Series")):
        text = pydoc.render_doc(getattr(api, name), renderer=pydoc.plaintext)
        assert says in " ".join(text.split()) and "typing.Callable" not in text.split("\n", 3)[2], name
    snap = " ".join(api.Snapshot.__doc__.split())
    for says in ("``cross``: +1 on the bar MACD crosses above its signal line, -1 below", "``regime``: +k when MACD",
                 "``divergence``: +1 bullish, -1 bearish, 0 none", "hedge.macd.series", ":attr:`valid`: False"):
        assert says in snap, says
    assert api.Snapshot.valid.__doc__
    for action in (api.AddLayer, api.RemoveLayer, api.RollLayer):
        assert action.__doc__ and "layer" in action.__doc__ and not action.__doc__.startswith(action.__name__ + "(")
    for error in ("PolicyError", "SelectorError", "SignalError", "AnalyzerError", "DataError"):
        assert error in api.__all__ and issubclass(getattr(api, error), ValueError)


def test_load_run_reads_the_frames_back_in_the_run_results_dtypes(short, tmp_path):
    # finding 10: signals_log's cross, confirmed_cross, divergence, projected came back int64 (int8 in the RunResult);
    # condors.csv's wings_left came back float (all empty)
    # trial Z (2026-12-05): layers.csv's exit_reason came back float when no layer had exited (a static book held to
    # the end), and a ruined run's signals_log had NaN rule_ids after its ruin day ("" read back)
    cfg, market = short
    ruin = {"margin": {"hedge_budget_nav_fraction": 1.0, "vx_initial_usd": [2000.0, 1500.0, 1000.0],
                       "vx_maintenance_usd": [1000.0, 900.0, 800.0]},
            "run": {"initial_cash_usd": 100_000.0, "start": "2015-07-01", "end": "2015-10-30"},
            "hedge": {"first_layer_contracts": 50, "next_layer_multiple": 3.0, "max_layers": 20,
                      "on_cross_down": "add_layer"}}
    for k, case in enumerate(({}, {"hedge": {"mode": "static"}}, ruin)):
        res = api.run_backtest(api.replace_config(cfg, **case), market=market, engine="fast")
        files = api.load_run(api.write_run(res, tmp_path / str(k)))
        for name in ("signals_log", "daily", "trades", "layers", "condors", "attribution", "capital_cuts"):
            ours, read = getattr(res, name), getattr(files, name)
            differ = {c: (ours[c].dtype, read[c].dtype) for c in ours.columns if c in read and ours[c].dtype != read[c].dtype}
            assert not differ, (name, differ)
            text = [c for c in ours.columns if c in read and ours[c].dtype == object]
            assert ours[text].equals(read[text]), (name, case)
        assert (res.signals_log["cross"].to_numpy() == files.signals_log["cross"].to_numpy()).all()
        assert k < 2 or res.metrics["ruin"]


def test_every_engine_default_is_the_commands_default_engine(short, tmp_path):
    # audit (2026-12-04, finding 5): api.run_backtest, run.run_backtest and RunResult.engine defaulted to
    # "backtrader" while `vixhedge run` and compare default to DEFAULT_ENGINE ("fast"): a notebook's run was
    # several times slower, and its folder's replay command named --engine backtrader
    import dataclasses
    import inspect
    import json

    from vixhedge import compare, run
    from vixhedge.core.config import DEFAULT_ENGINE

    for func in (api.run_backtest, run.run_backtest, api.compare, compare.compare):
        assert inspect.signature(func).parameters["engine"].default == DEFAULT_ENGINE, func
    assert {f.name: f.default for f in dataclasses.fields(run.RunResult)}["engine"] == DEFAULT_ENGINE == "fast"
    cfg, market = short
    res = api.run_backtest(cfg, market=market)
    mf = json.loads((api.write_run(res, tmp_path) / "manifest.json").read_text(encoding="utf-8"))
    assert res.engine == mf["engine"] == "fast" and "--engine" not in mf["replay_command"]


def test_the_reproduce_command_keeps_the_engine_from_the_cli_and_from_python(tmp_path, monkeypatch, capsys):
    """MUT28 SF1 / AS2: README "reproduce": "the spec and the folder by absolute path, ... `--engine` / `--kernel` if
    given": a sweep run with --engine backtrader (CLI) or run_sweep(engine="backtrader") says so in its command."""
    import json

    from vixhedge.cli import main

    spec = tmp_path / "one.toml"
    spec.write_text('[sweep]\nname = "one"\nworkers = 1\n\n[base]\nrun = { start = 2015-06-01, end = 2015-06-30 }\n'
                    '\n[grid]\n"hedge.mode" = ["none"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["sweep", "one.toml", "--engine", "backtrader", "--out", "cli", "-q"]) == 0
    got = json.loads((tmp_path / "cli" / "summary.json").read_text())["reproduce"]
    assert got == f"vixhedge sweep {spec.resolve()} --engine backtrader --out {(tmp_path / 'cli').resolve()}"
    py = api.run_sweep("one.toml", "py", engine="backtrader", progress=False)
    assert py.summary["reproduce"] == f"vixhedge sweep {spec.resolve()} --engine backtrader --out {py.folder.resolve()}"
