"""The notebook API's low findings of trial API31 (/work/notes/api31_report.md, L2 and L4-L7), each on the old code:

* L2: ``to_toml(None)`` and ``to_toml({...})`` raised ``TypeError: must be called with a dataclass type or
  instance`` from dataclasses.py;
* L4: ``run_sweep(..., progress="no")`` printed the stage lines (a non-bool taken as true; ``parquet="yes"`` was
  fixed in session 31);
* L5: ``run_sweep(..., data_dir=123)``'s line said ``e.g. "runs"`` for a data folder;
* L6: ``help(fig_equity)`` was one line, saying neither what ``files`` takes nor that it returns SVG text;
  ``fig_overlay``, ``fig_paired`` and ``fig_sweep_heatmap`` had no return annotation; ``Config``'s docstring was
  "A whole run.";
* L7: a sweep's config notes (``sweep: hedge.fomc: ...``, ``NOTE`` lines) were printed directly, so
  ``logging.getLogger("vixhedge").setLevel(logging.ERROR)`` did not silence them.
"""

from __future__ import annotations

import inspect
import logging

import numpy as np
import pytest

import vixhedge.api as api
from vixhedge.core import config as C


def test_to_toml_takes_a_config_alone():
    with pytest.raises(api.ArgumentError, match=r"^to_toml: cfg = None is a NoneType, not a Config: pass "
                                                 r"load_default_config\(\)"):
        api.to_toml(None)
    with pytest.raises(api.ArgumentError, match=r"^to_toml: cfg = \{'run': \{\}\} is a dict, not a Config: pass "
                                                 r"from_dict\(table\)"):
        api.to_toml({"run": {}})
    with pytest.raises(api.ArgumentError, match=r"^to_toml: omitted = 'yes' is invalid: pass True or False"):
        api.to_toml(api.load_default_config(), omitted="yes")
    relative = C.replace(C.load_default(), market={"source": "directory", "data_dir": "data"})
    assert api.to_toml(relative) == C.to_toml(relative)  # the text of the config given (its data_dir not resolved)
    assert api.to_toml(relative, omitted=np.bool_(True)) == C.to_toml(relative, omitted=True)


class _Stop(Exception):
    pass


@pytest.fixture
def no_sweep(monkeypatch):
    """Stop run_sweep / walk_forward after their argument checks, recording what reached the sweep."""
    from vixhedge import sweep_folder, walkforward

    seen: dict = {}

    def stop(*args, **kwargs):
        seen.update(kwargs)
        raise _Stop

    monkeypatch.setattr(sweep_folder, "write_sweep_folder", stop)
    monkeypatch.setattr(walkforward, "run_walk_forward", stop)
    monkeypatch.setattr(walkforward, "precheck", lambda *a, **k: [])  # (its folds: SPEC's half-year makes none)
    return seen


SPEC = api.SweepSpec(name="flags", base=C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-12-31"}),
                     grid={"hedge.macd.fast": [8, 12]})


def test_flags_are_true_or_false_alone(no_sweep, tmp_path):
    with pytest.raises(api.ArgumentError, match=r"^run_sweep: progress = 'no' is invalid: pass True or False"):
        api.run_sweep(SPEC, tmp_path / "s", progress="no")
    with pytest.raises(api.ArgumentError, match=r"^walk_forward: progress = 0 is invalid: pass True or False"):
        api.walk_forward(SPEC, 1, 1, tmp_path / "w", progress=0)
    with pytest.raises(api.ArgumentError, match=r"^walk_forward: anchored = 'no' is invalid: pass True or False"):
        api.walk_forward(SPEC, 1, 1, tmp_path / "w", anchored="no")
    with pytest.raises(_Stop):
        api.run_sweep(SPEC, tmp_path / "s", progress=np.bool_(False))  # a numpy bool taken (README: np.bool_)
    assert no_sweep["progress"] is False
    with pytest.raises(_Stop):
        api.walk_forward(SPEC, 1, 1, tmp_path / "w", anchored=np.True_)
    assert no_sweep["anchored"] is True


def test_a_data_dir_of_the_wrong_type_names_a_data_folder(no_sweep):
    with pytest.raises(api.ArgumentError, match=r'^run_sweep: data_dir = 123 is invalid: give a folder as a str or '
                                                 r'pathlib.Path, e.g. "\.\./shared/data"$'):
        api.run_sweep(SPEC, data_dir=123)


@pytest.mark.parametrize("name", ["fig_equity", "fig_attribution", "fig_vx_macd", "fig_vega", "fig_benchmark"])
def test_a_run_figures_help_says_what_it_takes_and_returns(name):
    doc = inspect.getdoc(getattr(api, name))
    assert "``files``: a :class:`~vixhedge.run.RunResult`" in doc or "``files``: a run folder read back" in doc
    assert "Returns SVG text" in doc and "ArgumentError" in doc


def test_the_matplotlib_figures_are_annotated_and_config_documented():
    for name in ("fig_overlay", "fig_paired", "fig_sweep_heatmap"):
        assert inspect.signature(getattr(api, name)).return_annotation == "Figure", name
    doc = api.Config.__doc__
    assert doc != "A whole run." and all(f"``{s}``" in doc for s in ("run", "market", "condor", "hedge", "margin"))


def test_a_sweeps_config_notes_are_logged_so_the_package_level_silences_them(tmp_path, capsys, caplog):
    """Trial API31 L7. [base] hedge.rsi.period = 7 with RSI off is a NOTE line (vixhedge.sweep_inert.unread_base), the
    default config's missing A/D input the ``sweep: hedge.fomc`` line (vixhedge.sweep._policy_notes): logged by
    ``vixhedge.sweep`` (the command prints them as before: test_sweep_inert, test_sweep_cli)."""
    base = C.replace(SPEC.base, hedge={"rsi": {"period": 7}})
    spec = api.SweepSpec(name="noted", base=base, grid={"hedge.macd.fast": [8, 12]}, workers=1)
    with caplog.at_level(logging.WARNING, logger="vixhedge"):
        api.run_sweep(spec, tmp_path / "a")
    noted = [r.getMessage() for r in caplog.records if r.name == "vixhedge.sweep"]
    assert any(m.startswith("sweep 'noted': NOTE [base] hedge.rsi.period = 7 changes no trade") for m in noted)
    assert any(m.startswith("sweep: hedge.fomc: no S&P 500 advance/decline input") for m in noted), noted
    capsys.readouterr()
    caplog.clear()
    package = logging.getLogger("vixhedge")
    before = package.level
    package.setLevel(logging.ERROR)
    try:
        api.run_sweep(spec, tmp_path / "b")
    finally:
        package.setLevel(before)
    err = capsys.readouterr().err
    assert "NOTE" not in err and "sweep: hedge.fomc" not in err and "vixhedge sweep: building" in err  # stages stay
    assert not [r for r in caplog.records if r.name == "vixhedge.sweep"]
