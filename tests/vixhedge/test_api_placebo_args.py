"""The notebook API's placebo, write_placebo, write_comparison and run_sweep arguments: the findings of trial API31
(/work/notes/api31_report.md: H1, H2, M1, M2, M4), each one line naming the function, before any work.

Every message asserted is the one the code now writes; the calls are the trial's own (its report quotes the old
code's tracebacks: an AttributeError from placebo.py:80, a TypeError from pathlib.py:493, ...).
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

import numpy as np
import pytest

from vixhedge import api
from vixhedge.cli import main

WINDOW = {"start": "2015-06-01", "end": "2015-07-31"}
#: a placebo folder's five files (vixhedge/placebo.py write_folder)
FIVE = ("config.toml", "placebo.csv", "placebo.json", "placebo.svg", "report.html")


@pytest.fixture(scope="module")
def short():
    """A two-month default config on the embedded market."""
    return api.replace_config(api.load_default_config(), run=WINDOW)


def _never(*args, **kwargs):  # the placebo must not start: every case below is refused first
    raise AssertionError("the placebo ran")


@pytest.fixture
def no_run(monkeypatch):
    from vixhedge import placebo as PL

    monkeypatch.setattr(PL, "run_placebo", _never)


@pytest.mark.parametrize("cfg, why", [
    # H1: placebo(None) / placebo("default") raised AttributeError: 'NoneType' object has no attribute 'hedge'
    (None, r"^placebo: cfg = None is a NoneType, not a Config: pass "),
    ("default", r"^placebo: cfg = 'default' is a str, not a Config: pass load_preset_config\('default'\)"),
    ({"hedge": {}}, r"^placebo: cfg = \{'hedge': \{\}\} is a dict, not a Config: pass from_dict\(table\)"),
])
def test_placebo_checks_its_config_as_run_backtest_does(cfg, why, no_run):
    with pytest.raises(api.ArgumentError, match=why):
        api.placebo(cfg, seeds=19)


def test_placebo_refuses_a_market_string_and_another_markets_market(short, no_run):
    # H1: market="embedded" raised AttributeError 'str' object has no attribute 'days' (window.py:19, 7 frames deep)
    with pytest.raises(api.ArgumentError, match=r"^placebo: market = 'embedded' is a str, not a Market: pass "
                                                r"build_market\(cfg.market\)"):
        api.placebo(short, market="embedded", seeds=19)
    # H1: a market of another [market] was ranked on (max drawdown 0.0787 against its own 0.0568), config.toml saying
    # cfg's; compare refuses the same market in this line (vixhedge/api_args.py check_market)
    other = api.build_market(api.replace_config(short, market={"spreads": {"spx_option_fraction": 0.5}}).market)
    with pytest.raises(api.ConfigError, match=r"^placebo: the market passed was built from another \[market\] than "
                                              r"the config's: market.spreads.spx_option_fraction = "):
        api.placebo(short, market=other, seeds=19)


@pytest.mark.parametrize("seeds", ["100", 25.0, None, np.float64(25.0), True])
def test_placebo_seeds_not_a_whole_number_say_so(short, seeds, no_run):
    # M1: each said "seeds = ... is too few: use 19 or more" (placebo.py check_args)
    with pytest.raises(api.ConfigError, match=r"^placebo: seeds = .* is not a whole number: use 19\.\.100,000 seeds"):
        api.placebo(short, seeds=seeds)


def test_placebo_takes_numpy_integers_and_workers_zero_means_all_cores(short, monkeypatch):
    # M1: np.int64(19) was "too few" (README: numpy scalars are taken wherever Python numbers are); workers=0 ran
    # serially (_run_seeds: workers <= 1), where --workers 0 and run_sweep(workers=0) mean all cores
    from vixhedge import placebo as PL

    seen = {}
    monkeypatch.setattr(PL, "run_placebo", lambda cfg, market, seeds, workers, engine, on_seed: seen.update(
        seeds=seeds, workers=workers))
    api.placebo(short, seeds=np.int64(19), workers=np.int64(0))
    assert seen == {"seeds": 19, "workers": min(os.cpu_count() or 1, 19)} and type(seen["seeds"]) is int
    api.placebo(short, seeds=19, workers=2)
    assert seen["workers"] == 2


@pytest.mark.parametrize("workers, why", [
    (-1, r"^placebo: workers = -1: use 1 or more processes, or 0 for all cores"),  # M1: taken, ran serially
    (2.5, r"^placebo: workers = 2.5 is not a whole number"),  # M1: TypeError from multiprocessing, 11 frames deep
    ("2", r"^placebo: workers = '2' is not a whole number"),  # M1: TypeError '<=' (placebo.py:212)
    (None, r"^placebo: workers = None is not a whole number"),
])
def test_placebo_workers_are_checked_as_the_commands(short, workers, why, no_run):
    with pytest.raises(api.ConfigError, match=why):
        api.placebo(short, seeds=19, workers=workers)


def _placebo(cfg):
    """A Placebo whose folder is never written (every call below is refused before write_folder)."""
    from vixhedge.placebo import Placebo

    return Placebo(cfg, "alvh", {}, {}, 0, [], {}, [])


@pytest.mark.parametrize("out, why", [
    # H2: TypeError from pathlib.py:493 (None, 123); "" wrote the five files into the current directory (None, the
    # default since API31 M5, writes the command's default folder: test_api_placebo_read)
    (123, r"^write_placebo: out = 123 is invalid: give a folder as a str or pathlib.Path"),
    ("", r"^write_placebo: out = '' is invalid: give a folder"),
    ("/proc/x", r"^write_placebo: out '/proc/x' cannot be created or written"),  # H2: FileNotFoundError
])
def test_write_placebo_checks_out_as_the_command_checks_its_out(short, out, why):
    with pytest.raises(api.ArgumentError, match=why):
        api.write_placebo(_placebo(short), out)


def test_write_placebo_refuses_a_file_and_a_run_folder_before_writing(short, tmp_path):
    file = tmp_path / "afile"
    file.write_text("x")
    # H2: FileExistsError
    with pytest.raises(api.ArgumentError, match=r"^write_placebo: out '.*afile' is not a folder"):
        api.write_placebo(_placebo(short), file)
    run = tmp_path / "run"  # H2: a run folder's report.html and config.toml were replaced by the placebo's unsaid
    run.mkdir()
    for name in ("config.toml", "daily.csv", "manifest.json", "report.html"):
        (run / name).write_text(name)
    with pytest.raises(api.ConfigError, match=r"^write_placebo: out = '.*run' holds other files than a placebo "
                                              r"folder's \(daily.csv, manifest.json\): .* give another out"):
        api.write_placebo(_placebo(short), run)
    assert sorted(p.name for p in run.iterdir()) == ["config.toml", "daily.csv", "manifest.json", "report.html"]
    assert (run / "report.html").read_text() == "report.html"


def test_the_command_refuses_a_run_folder_as_out_before_any_work(tmp_path, capsys):
    # H2: `vixhedge placebo --out <run folder>` replaced its report.html and config.toml (trial API31, runcopy2)
    run = tmp_path / "run"
    run.mkdir()
    for name in ("config.toml", "manifest.json", "report.html", "runs"):
        (run / name).mkdir() if name == "runs" else (run / name).write_text(name)
    assert main(["placebo", "--seeds", "19", "--out", str(run)]) == 2
    err = capsys.readouterr().err.strip()
    assert f"--out '{run}' holds other files than a placebo folder's (manifest.json, runs/)" in err
    assert "give another --out" in err and len(err.splitlines()) == 1
    assert (run / "report.html").read_text() == "report.html"


def test_a_placebo_folder_an_empty_one_or_a_killed_writes_leftover_is_replaced(tmp_path):
    from vixhedge.placebo_args import check_out

    folder = tmp_path / "p"
    folder.mkdir()
    check_out(folder, "--out", "another --out")  # empty
    for name in FIVE:
        (folder / name).write_text(name)
    (folder / ".report.html.4242.tmp").write_text("")  # vixhedge/atomic.py write_with's temporary name
    check_out(folder, "--out", "another --out")  # (no error: the command replaces it, as before)
    check_out(tmp_path / "new", "--out", "another --out")


def test_write_comparison_of_a_folder_read_back_says_it_is_written(short, tmp_path, monkeypatch):
    # M2: AttributeError 'RunFiles' object has no attribute 'market' (report.py:132), leaving an empty x/ behind
    monkeypatch.chdir(tmp_path)
    folder = api.write_comparison(api.compare(short, modes="none,static", n_boot=100))
    back = api.load_comparison(folder)
    with pytest.raises(api.ArgumentError, match=r"^write_comparison: cmp was read back from a compare folder by "
                                                r"load_comparison: it is written already"):
        api.write_comparison(back, "x")
    assert not Path("x").exists()


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    folder = tmp_path_factory.mktemp("spec")
    (folder / "grid.toml").write_text('[sweep]\nname = "tiny"\nworkers = 1\n\n[base]\n'
                                      'run = { start = 2015-06-01, end = 2015-07-31 }\n\n[grid]\n'
                                      '"hedge.first_layer_contracts" = [1, 2]\n', encoding="utf-8")
    return api.load_sweep_spec(folder / "grid.toml")


@pytest.mark.parametrize("change, error, why", [
    # M4 (README's own dataclasses.replace example): name "a/b" was taken
    ({"name": "a/b"}, api.ConfigError, r"^run_sweep: spec.name = 'a/b' is invalid: use letters, digits"),
    # M4: ValueError max_workers must be greater than 0 (concurrent/futures), after base.toml and spec.json were written
    ({"workers": -3}, api.ConfigError, r"^run_sweep: spec.workers = -3 is invalid: use a whole number >= 0"),
    # M4: AttributeError from sweep_folder.py:98
    ({"base": None}, api.ArgumentError, r"^run_sweep: spec.base is a NoneType, not a Config"),
    ({"engine": "bogus"}, api.ConfigError, r"^run_sweep: spec.engine = 'bogus' is invalid"),
    ({"grid": {}}, api.ConfigError, r"^run_sweep: spec.grid = \{\} is invalid"),
])
def test_a_spec_changed_with_replace_is_checked_before_anything_is_written(spec, change, error, why, tmp_path):
    out = tmp_path / "out"
    with pytest.raises(error, match=why):
        api.run_sweep(dataclasses.replace(spec, **change), out, progress=False)
    assert not out.exists()


@pytest.mark.parametrize("call, why", [
    # L1: "engine = 'bogus' is not known" (vixhedge/run.py run_backtest), no function named
    (lambda cfg: api.run_backtest(cfg, engine="bogus"), r"^run_backtest: engine = 'bogus' is not known: use one of "),
    (lambda cfg: api.compare(cfg, engine="bogus"), r"^compare: engine = 'bogus' is not known"),
    (lambda cfg: api.placebo(cfg, seeds=19, engine="bogus"), r"^placebo: engine = 'bogus' is not known"),
    # L1: "n_boot = 0 is invalid: use 100..100,000 bootstrap draws (as --n-boot)", no function named
    (lambda cfg: api.compare(cfg, n_boot=0), r"^compare: n_boot = 0 is invalid: use 100..100,000 bootstrap draws"),
    (lambda cfg: api.compare(cfg, baseline="static", modes="none,alvh"), r"^compare: baseline = 'static' is not among"),
])
def test_compare_and_run_backtest_name_themselves_in_an_argument_line(short, call, why, no_run, monkeypatch):
    import feeds.market
    import vixhedge.compare
    import vixhedge.run  # (imported before the patch: a module first imported under it bound _never for good, and
    # a later test's placebo in the same xdist worker "ran the placebo": 12 of test_placebo's tests failed with -n 2)

    monkeypatch.setattr(feeds.market, "market_for", _never)  # refused before any market is built
    monkeypatch.setattr(vixhedge.compare, "market_for", _never)
    monkeypatch.setattr(vixhedge.run, "market_for", _never)
    with pytest.raises(api.ConfigError, match=why) as caught:
        call(short)
    assert "\n" not in str(caught.value)


def test_load_run_of_a_path_not_there_or_a_file_says_so(tmp_path):
    """Trial API31 L1: load_run of a missing path or of a file listed all 7 run files as missing."""
    from vixhedge import api

    (tmp_path / "f.txt").write_text("x")
    for path, state in ((tmp_path / "nope", "does not exist"), (tmp_path / "f.txt", "is a file, not a run folder")):
        with pytest.raises(api.RunFolderError) as err:
            api.load_run(path)
        assert str(err.value) == f"{path} {state}: give a folder `vixhedge run` wrote, e.g. runs/<run-id>"


@pytest.mark.parametrize("value", ["yes", 1, None])
def test_parquet_is_true_or_false(value, tmp_path):
    """Trial API31 L4: write_run(res, dir, parquet="yes") was taken as True (then "needs pyarrow"); a non-bool
    is one line naming it, before anything is written."""
    from vixhedge.api_args import ArgumentError, checked_runs_dir

    with pytest.raises(ArgumentError, match=r"^write_run: parquet = .* is invalid: pass True or False$"):
        checked_runs_dir(tmp_path / "runs", value, "write_run")  # (write_run's and write_comparison's check)
    assert checked_runs_dir(tmp_path / "runs", False, "write_run") == tmp_path / "runs"
