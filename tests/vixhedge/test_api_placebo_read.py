"""A placebo in a notebook (trial API31 M5, /work/notes/api31_report.md): ``print(p)`` is the command's summary
(vixhedge.placebo.format_summary, not exported before), ``p.table`` the rows as a DataFrame (``p.rows`` was a list of
dicts only), ``write_placebo(p)`` writes the command's default folder ``runs/<name>-placebo-<hash8>``
(cli_placebo.py: ``Path("runs") / placebo_id(cfg, seeds)``; write_placebo had no default ``out``), and
``load_placebo(folder)`` reads a placebo folder back (there was none). All fail on the old code: no ``load_placebo``,
no ``table``, ``str(p)`` was the one-line repr, ``write_placebo(p)`` a TypeError (``out`` missing)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import math
import re
from pathlib import Path

import pytest

import vixhedge.api as api
from vixhedge import placebo as PL
from vixhedge import placebo_stats as S
from vixhedge.cli import main
from vixhedge.core import config as C

START, END = "2015-06-01", "2015-09-30"  # a short window: the reference, 10 pilot seeds, 19 seeds in ~3 s
NO_CAUSES = dict.fromkeys((c for c, _ in S.CAUSES), 0.0)


@pytest.fixture(scope="module")
def short():
    cfg = api.replace_config(api.load_default_config(), run={"start": START, "end": END})
    return api.placebo(cfg, seeds=19)


def _digests(folder: Path) -> dict[str, str]:
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(folder.iterdir())}


def test_print_shows_the_commands_summary_and_the_table_is_a_frame(short):
    text = str(short)
    assert text == PL.format_summary(short, None)
    assert text.startswith("placebo: alvh on 'default' 2015-06-01..2015-09-30")
    assert f"  placebo folder not written (write_placebo(p) writes runs/{PL.placebo_id(short.config, 19)})" in text
    assert text.splitlines()[-1] == S.verdict("alvh", short.summary)
    assert short._repr_html_().startswith("<pre>placebo: ")
    table = short.table
    assert table.index.name == "seed" and list(table.index) == list(range(1, 20))
    assert list(table.columns) == list(S.COLUMNS[1:]) and table.to_dict("index")[7] == {
        k: v for k, v in short.rows[6].items() if k != "seed"}


def test_write_placebo_without_out_writes_the_commands_default_folder(short, tmp_path, monkeypatch):
    """The command's default folder (cli_placebo.py: runs/<placebo_id>), byte for byte the files the command writes
    there for the same config and seeds (README "From Python")."""
    (tmp_path / "api").mkdir()
    (tmp_path / "cli").mkdir()
    monkeypatch.chdir(tmp_path / "api")
    folder = api.write_placebo(short)
    assert folder == Path("runs") / PL.placebo_id(short.config, 19) and folder.name.startswith("default-placebo-")
    monkeypatch.chdir(tmp_path / "cli")
    assert main(["placebo", "--seeds", "19", "--start", START, "--end", END, "-q"]) == 0
    assert _digests(tmp_path / "cli" / folder) == _digests(tmp_path / "api" / folder)
    assert sorted(_digests(tmp_path / "api" / folder)) == sorted(PL_FILES)


PL_FILES = ("config.toml", "placebo.csv", "placebo.json", "placebo.svg", "report.html")


def test_load_placebo_reads_back_what_wrote_the_folder(short, tmp_path):
    folder = api.write_placebo(short, tmp_path / "p")
    back = api.load_placebo(str(folder))
    for name in ("config", "policy", "reference", "params", "add_bars", "summary", "pilot", "condor_note", "restrikes",
                 "piloted", "as_configured"):
        assert getattr(back, name) == getattr(short, name), name
    assert back.prices == PL.prices_record(short.prices) and back.folder == folder
    assert [r["seed"] for r in back.rows] == list(range(1, 20))
    assert all(math.isclose(a[k], b[k], abs_tol=5e-7) for a, b in zip(short.rows, back.rows) for k in a)  # 6 decimals
    assert str(back) == str(short).replace(str(short).splitlines()[-2], f"  {'placebo folder':<14} {folder}")
    assert repr(back) == repr(short)
    with pytest.raises(api.ArgumentError, match=r"^write_placebo: result was read back from .* by load_placebo: it is "
                                                 r"written already \(that folder\); pass what placebo\(cfg\) returned"):
        api.write_placebo(back, tmp_path / "again")
    assert not (tmp_path / "again").exists()


def test_a_placebo_whose_figures_are_not_numbers_and_an_option_reference_read_back(tmp_path):
    """placebo.json writes a NaN figure as null (review 27's hand case: 10 of 19 Sharpes NaN, here the reference's
    too): read back as NaN, so the summary prints as the run's did; an option reference's restrikes (3, as
    test_placebo's MUT27 case) come back from report.html's options note."""
    nan = float("nan")
    rows = [{"seed": s, "hedge_pnl_usd": -1000.0 * s, "max_drawdown": 0.01 * s, "cvar95": 0.001 * s,
             "sharpe": nan if s > 9 else 0.1 + 0.1 * s, "layers_opened": 10, "contract_sessions": 100,
             "mean_layers_held": 1.0, **NO_CAUSES} for s in range(1, 20)]
    ref = {**rows[0], "sharpe": nan}
    del ref["seed"]
    cfg = C.replace(C.load_default(), hedge={"instrument": "vix_call_spread"},
                    run={"start": dt.date(2015, 1, 2), "end": dt.date(2015, 6, 30)})
    p = PL.Placebo(cfg, "alvh", ref, {"p_add": 0.1, "layers": [[1, 2, 3]]}, 100, rows, S.summarise(ref, rows),
                   [(0.1, 100.0)], restrikes=3)
    back = api.load_placebo(PL.write_folder(p, tmp_path / "p"))
    assert math.isnan(back.reference["sharpe"]) and math.isnan(back.summary["metrics"]["sharpe"]["p_value"])
    assert back.summary["metrics"]["sharpe"]["at_least_as_good"] is None and back.restrikes == 3
    assert str(back) == PL.format_summary(p, tmp_path / "p")
    assert "alvh's placement and its 3 restrikes are not copied" in str(back)


def test_load_placebo_refuses_other_folders_in_one_line(short, tmp_path):
    with pytest.raises(api.RunFolderError, match=r"^load_placebo: .*nothing does not exist: give a folder "):
        api.load_placebo(tmp_path / "nothing")
    run = tmp_path / "run"
    run.mkdir()
    (run / "manifest.json").write_text("{}")
    with pytest.raises(api.RunFolderError, match=r"^load_placebo: .*run is not a placebo folder: it lacks "
                                                 r"config\.toml, placebo\.csv, placebo\.json \(a run folder: read it "
                                                 r"with load_run\)"):
        api.load_placebo(run)
    with pytest.raises(api.ArgumentError, match=r"^load_placebo: folder = None is invalid"):
        api.load_placebo(None)
    folder = api.write_placebo(short, tmp_path / "p")
    (folder / "placebo.csv").write_text("seed,x\n1,2\n")
    with pytest.raises(api.RunFolderError, match=r"^load_placebo: .* holds a damaged or foreign placebo\.json or "
                                                 r"placebo\.csv"):
        api.load_placebo(folder)


def test_the_placebo_docstring_lists_its_attributes_and_names_exported_functions():
    # trial API31 L6: it cited :func:`run_placebo` (not in vixhedge.api) and listed no attribute
    doc = api.Placebo.__doc__
    assert "run_placebo" not in doc and "Attributes" in doc
    assert [f.name for f in dataclasses.fields(api.Placebo) if not re.search(rf"\b{f.name}\b", doc)] == []
    assert {"placebo", "write_placebo", "load_placebo", "Placebo"} <= set(api.__all__)
