"""vixhedge.api argument mistakes of the fuzz trial, session 9 (finding L13): each is one ArgumentError line naming
the argument, what was given and what to give, before any work (they escaped as AttributeError, TypeError partway
through a run, IsADirectoryError, FileExistsError / FileNotFoundError and pandas' multi-line ImportError).
The values (123, 5, None, a folder, an existing file, /proc/nope, parquet=True) are the trial's repros."""

from __future__ import annotations

import importlib.util

import pytest

from vixhedge import api

WINDOW = {"start": "2015-06-01", "end": "2015-07-31"}  # a two-month window (as tests/vixhedge/test_api.py)


@pytest.fixture(scope="module")
def short():
    cfg = api.replace_config(api.load_default_config(), run=WINDOW)
    return cfg, api.run_backtest(cfg)


def _one_line(call, pattern):
    with pytest.raises(api.ArgumentError, match=pattern) as err:
        call()
    assert "\n" not in str(err.value)


def test_calls_given_the_wrong_thing_are_one_line_before_any_work(short, tmp_path):
    cfg, _ = short
    days = []
    cases = [
        (lambda: api.build_market(cfg), r"^build_market: cfg is a Config, not a \[market\] table \(MarketConfig\): "
                                        r"pass cfg.market, the config's \[market\] table$"),
        (lambda: api.load_config(None), r"^load_config: path = None is invalid: give the file's path"),
        (lambda: api.load_config(tmp_path), r"^load_config: path = '.*' is a folder, not a config file: give a "
                                            r"\.toml file's path"),
        (lambda: api.run_backtest(cfg, on_day=123), r"^run_backtest: on_day = 123 is an int, not a callable: pass a "
                                                    r"function of no arguments"),
        (lambda: api.compare(cfg, modes=("none", "static"), on_day=lambda: days.append(1), on_draw=5),
         r"^compare: on_draw = 5 is an int, not a callable"),
    ]
    for call, pattern in cases:
        _one_line(call, pattern)
    assert days == []  # refused before the first day ran


def test_the_api22_trials_mistakes_are_one_line_of_an_exported_type(short, tmp_path):
    """Trial API22 (a notebook's session): run_sweep into a file raised vixhedge.atomic.FolderError, which the API
    does not export; fig_overlay(res) and fig_paired(None) raised an AttributeError from inside the figure;
    load_preset_config(None) said "preset None does not exist"; on_day=lambda x: 0 raised a TypeError from inside the
    day loop after the market was built. Each is one ArgumentError line now, before any work."""
    cfg, res = short
    days = []
    (tmp_path / "taken.txt").write_text("a user's file")
    cases = [
        (lambda: api.run_sweep("examples/macd_grid.toml", tmp_path / "taken.txt"),
         r"^run_sweep: out '.*taken\.txt' is not a folder \(.*taken\.txt is a file\): choose another path$"),
        (lambda: api.fig_overlay(res), r"^fig_overlay: cmp is a RunResult, not a Comparison: pass what compare\(cfg\) "
                                       r"returned, or a compare folder's path$"),
        (lambda: api.fig_paired(None), r"^fig_paired: cmp is a NoneType, not a Comparison"),
        (lambda: api.load_preset_config(None), r"^load_preset_config: name is a NoneType, not a str: pass a preset's "
                                               r"name, one of \['default', "),
        (lambda: api.run_backtest(cfg, on_day=lambda x: days.append(x)),
         r"^run_backtest: on_day = .* cannot be called without arguments \(missing a required argument: 'x'\): "
         r"pass a function of no arguments"),
    ]
    for call, pattern in cases:
        _one_line(call, pattern)
    assert days == [] and (tmp_path / "taken.txt").read_text() == "a user's file"
    assert issubclass(api.ArgumentError, api.ConfigError)  # one except clause catches them all
    with pytest.raises(api.RunFolderError):  # a path that is no compare folder: load_comparison's error
        api.fig_overlay(tmp_path)


def test_write_run_refuses_a_file_an_unwritable_place_and_parquet_without_pyarrow(short, tmp_path):
    _, res = short
    (tmp_path / "taken").write_text("a user's file")
    _one_line(lambda: api.write_run(res, tmp_path / "taken"), r"^write_run: runs_dir '.*taken' is not a folder "
                                                               r"\(.*taken is a file\): choose another path$")
    _one_line(lambda: api.write_run(res, "/proc/nope"), r"^write_run: runs_dir '/proc/nope' cannot be created or "
                                                        r"written \(/proc: .*\): choose a writable folder$")
    assert (tmp_path / "taken").read_text() == "a user's file"
    if importlib.util.find_spec("pyarrow") is not None:
        pytest.skip("pyarrow is installed: parquet=True is allowed")
    _one_line(lambda: api.write_run(res, tmp_path / "runs", parquet=True),
              r"^write_run: parquet = True needs pyarrow, which is not installed: python -m pip install -e "
              r"'\.\[parquet\]'")
    assert not (tmp_path / "runs").exists()  # nothing written


@pytest.mark.parametrize("name", ["fig_equity", "fig_attribution", "fig_vx_macd", "fig_vega", "fig_benchmark"])
def test_a_figure_takes_a_run_folder_path_and_refuses_a_table(short, tmp_path_factory, name):
    cfg, res = short
    fig = getattr(api, name)
    _one_line(lambda: fig(res.daily), rf"^{name}: files is a DataFrame, not a run: pass a RunResult \(run_backtest\), "
                                      r"a run folder read back \(load_run\) or a run folder's path")
    folder = api.write_run(res, tmp_path_factory.mktemp("runs"))
    assert fig(str(folder)) == fig(api.load_run(folder))  # a str path is the folder read back


def test_a_series_given_for_a_list_key_is_echoed_on_one_line():
    """The trial's pd.Series for hedge.vxth.levels: its repr spans four lines, and so did the ConfigError; the echo
    is now one line (config.base.toml_echo), cut at 80 characters."""
    import pandas as pd

    with pytest.raises(api.ConfigError) as err:
        api.from_dict({"hedge": {"vxth": {"levels": pd.Series([15.0, 30.0, 50.0])}}})
    text = str(err.value)
    assert "\n" not in text and text.startswith("hedge.vxth.levels = 0 15.0 1 30.0 2 50.0 dtype: float64 is invalid")
    with pytest.raises(api.ConfigError) as err:
        api.from_dict({"hedge": {"vxth": {"levels": pd.Series(range(100), dtype=float)}}})
    assert "\n" not in str(err.value) and "..." in str(err.value)


def test_api_compare_takes_the_arguments_and_defaults_of_vixhedge_compare():
    """api.compare checks its callbacks, then calls vixhedge.compare.compare: the same parameters and defaults, so
    the two cannot drift apart (review, session 9)."""
    import inspect

    from vixhedge.compare import compare

    assert inspect.signature(api.compare).parameters.keys() == inspect.signature(compare).parameters.keys()
    assert [p.default for p in inspect.signature(api.compare).parameters.values()] == \
        [p.default for p in inspect.signature(compare).parameters.values()]


def test_an_empty_folder_name_is_one_line_not_the_working_folder():
    """MUT27 AA13: "" is no folder (Path("") is "."): load_run and load_comparison refuse it in one line, as 3."""
    _one_line(lambda: api.load_run(""), r"^load_run: folder = '' is invalid: give a folder as a str or pathlib.Path")
    _one_line(lambda: api.load_comparison(""), r"^load_comparison: folder = '' is invalid: give a folder")
