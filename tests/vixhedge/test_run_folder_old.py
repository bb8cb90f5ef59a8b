"""A run folder read back by `vixhedge report` / load_run where the newer checks do not reach: folders written before
manifest.json held ``output_files`` (and ``engine``), plug-in entries without a source sha256, the rebuild line's
``--runs-dir`` and rename note, and run_folder paths written with quote characters (MUT27 RF1, RF2, RF5, RF6, RF8,
RF9, RF11, RF12, RF14, RF15, RF17, RF20). (conftest's ``short_folder``: the default config over 2015-06..12.)"""

from __future__ import annotations

import json
import logging
import shutil
import sys
from pathlib import Path

import pytest

from vixhedge.cli import main
from vixhedge.core import config as C
from vixhedge.runfolder import (RunFolderError, _csv, _plugin_path_error, _say_edited_plugins, first_damaged,
                                load_run, unquoted)


def _old(short_folder: Path, where: Path, drop=("output_files",)) -> Path:
    """A copy of the folder as one written before manifest.json held the keys ``drop``."""
    copy = where / short_folder.name
    shutil.copytree(short_folder, copy)
    mf = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    for key in drop:
        del mf[key]
    (copy / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    return copy


def test_an_old_folder_without_condors_csv_is_not_complete(short_folder: Path, tmp_path: Path) -> None:
    """RF1: condors.csv is one of the files a run folder must hold (README `Files of a run folder`); a folder from
    before output_files has no hash to name it by, so the completeness check must."""
    old = _old(short_folder, tmp_path)
    (old / "condors.csv").unlink()
    with pytest.raises(RunFolderError, match=r"not a complete run folder: missing condors\.csv \(write one with"):
        load_run(old)


def test_a_folder_whose_manifest_predates_engine_ran_fast(short_folder: Path, tmp_path: Path) -> None:
    """RF2: README (engines): the fast engine is the default; folders written before manifest.json named the engine
    ran it (RunFiles.engine's docstring). short_folder itself ran backtrader: the field, when there, is read."""
    assert load_run(short_folder).engine == "backtrader"
    assert load_run(_old(short_folder, tmp_path, drop=("output_files", "engine"))).engine == "fast"


def test_an_old_folder_whose_daily_csv_lost_a_nav_is_damaged(short_folder: Path, tmp_path: Path, capsys) -> None:
    """RF5: README line "in a folder written before them, daily.csv must hold the days metrics.json counts": a row
    kept but its nav_usd blanked (the row count still right) is a day without a NAV, named, exit 2."""
    old = _old(short_folder, tmp_path)
    lines = (old / "daily.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    col = header.index("nav_usd")
    row = lines[5].rstrip("\n").split(",")
    row[col] = ""
    lines[5] = ",".join(row) + "\n"
    (old / "daily.csv").write_text("".join(lines), encoding="utf-8")
    days = json.loads((old / "metrics.json").read_text(encoding="utf-8"))["counts"]["days"]
    assert len(lines) - 1 == days  # the count alone does not see it
    with pytest.raises(RunFolderError, match=rf"daily\.csv is damaged \(cut\?\): it holds {days} days, 1 without a "
                                             rf"NAV, where metrics\.json counts {days}"):
        load_run(old)
    assert main(["report", str(old)]) == 2
    assert "1 without a NAV" in capsys.readouterr().err


def test_a_csv_whose_dates_do_not_parse_is_named_not_an_internal_error(short_folder: Path, tmp_path: Path,
                                                                       capsys) -> None:
    """RF17: a date that is not one raises ValueError (not a ParserError) when the frame's dates are parsed; it is
    the damaged file named with the rerun (README "Checked first": one line naming it, exit 2), not exit 3."""
    old = _old(short_folder, tmp_path)
    lines = (old / "layers.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    col = lines[0].rstrip("\n").split(",").index("entry_date")
    row = lines[-1].rstrip("\n").split(",")  # the last row: the first's date sets the format
    row[col] = "2015-13-45"
    lines[-1] = ",".join(row) + "\n"
    (old / "layers.csv").write_text("".join(lines), encoding="utf-8")
    with pytest.raises(RunFolderError, match=r"layers\.csv cannot be read as a CSV \(.*\): the file is damaged; "
                                             r"write the folder again"):
        load_run(old)
    assert main(["report", str(old)]) == 2


def test_an_all_empty_exit_reason_column_reads_back_as_text(tmp_path: Path) -> None:
    """RF20: exit_reason is "" while open (TEXT_COLUMNS' comment: every row of a static book held to the end); a
    column with no value at all must read back as "" (text), not NaN (pandas' default for an empty column)."""
    (tmp_path / "layers.csv").write_text("layer_id,contracts,exit_reason\nL1,2,\nL2,1,\n", encoding="utf-8")
    frame = _csv(tmp_path / "layers.csv")
    assert frame["exit_reason"].tolist() == ["", ""]


def test_the_rebuild_line_of_a_folder_under_runs_gives_no_runs_dir(short_folder: Path, tmp_path: Path, monkeypatch,
                                                                   capsys) -> None:
    """RF12: `vixhedge run CONFIG` writes runs/<id> by default, so a folder under ./runs is rewritten without
    --runs-dir (README: the commands it prints name the folder relative to the working folder)."""
    (tmp_path / "runs").mkdir()
    old = _old(short_folder, tmp_path / "runs")
    (old / "metrics.json").write_text('{"performance": ', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["report", f"runs/{old.name}"]) == 2
    err = capsys.readouterr().err
    assert f"write the folder again: `vixhedge run runs/{old.name}/config.toml`" in err and "--runs-dir" not in err, err


def test_a_run_id_with_a_slash_is_not_taken_for_a_renamed_folder(short_folder: Path, tmp_path: Path, capsys) -> None:
    """RF14: `vixhedge run` writes the folder of its run id, a single name; a manifest whose run_id holds '/' is not
    one (hand-edited), so the rebuild line does not claim the folder was renamed to it."""
    old = _old(short_folder, tmp_path)
    mf = json.loads((old / "manifest.json").read_text(encoding="utf-8"))
    mf["run_id"] = f"elsewhere/{old.name}"
    (old / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    (old / "metrics.json").write_text('{"performance": ', encoding="utf-8")
    assert main(["report", str(old)]) == 2
    err = capsys.readouterr().err
    assert f"`vixhedge run {old}/config.toml --runs-dir {tmp_path}`" in err and "renamed" not in err, err
    mf["run_id"] = "other-name"  # control: a plain run id that is not the folder's name is the rename note
    (old / "manifest.json").write_text(json.dumps(mf), encoding="utf-8")
    assert main(["report", str(old)]) == 2
    assert "the folder was renamed" in capsys.readouterr().err


def test_the_first_damaged_file_is_the_first_by_name(tmp_path: Path) -> None:
    """RF15: with several files damaged the one named is the first by name, whatever order output_files holds them
    in (the same line every time)."""
    for name in ("a.csv", "z.csv"):
        (tmp_path / name).write_text("x\n", encoding="utf-8")
    wrong = "0" * 64
    found = first_damaged(tmp_path, {"z.csv": wrong, "a.csv": wrong}, "manifest.json")
    assert found is not None and found[0] == "a.csv"
    found = first_damaged(tmp_path, {"z.csv": wrong, "b.csv": wrong}, "manifest.json")
    assert found is not None and found[0] == "b.csv" and "b.csv is missing" in found[1]


@pytest.mark.parametrize("text,path", [("runs/x-1", "runs/x-1"), ("'out dir/x'", "out dir/x"),
                                       ('a"b"c/x', 'a"b"c/x'), ("it's/x", "it's/x"), ("a\\ b/x", "a\\ b/x")])
def test_unquoted_takes_off_only_the_quoting_shlex_quote_puts_on(text: str, path: str) -> None:
    """RF11: a run_folder written as a shell word (shlex.quote's form) is unquoted; a plain path that merely holds
    quote or backslash characters (balanced or not) is a path as it is."""
    assert unquoted(text) == path


def test_a_plugin_entry_without_a_source_sha256_does_not_warn(tmp_path: Path, monkeypatch, caplog) -> None:
    """RF6: a manifest's plug-in entry written without source_sha256 has nothing to compare: no warning (and no
    KeyError); the same entry with another sha256 warns (the control)."""
    (tmp_path / "oldsha_pol.py").write_text("from vixhedge.api import decide_alvh\n\n\ndef policy(state, snap, cfg):\n"
                                            "    return decide_alvh(state, snap, cfg)\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    cfg = C.replace(C.load_default(), hedge={"policy": "oldsha_pol:policy"})
    entry = {"module": "oldsha_pol", "name": "oldsha_pol:policy"}
    with caplog.at_level(logging.WARNING, logger="vixhedge.runfolder"):
        _say_edited_plugins(tmp_path, cfg, {"hedge_policy": entry})
        assert not [r for r in caplog.records if "was edited since it ran" in r.getMessage()]
        _say_edited_plugins(tmp_path, cfg, {"hedge_policy": {**entry, "source_sha256": "0" * 64}})
        assert [r for r in caplog.records if "was edited since it ran" in r.getMessage()]


def test_the_pythonpath_fix_needs_a_pythonpath_and_an_importable_module_name(tmp_path: Path, monkeypatch) -> None:
    """RF8, RF9: the PYTHONPATH line is given only when the replay command records a PYTHONPATH (else there is no
    folder to name: None) and only for a module a path could give (a __main__ plug-in is the load's own line:
    None, even where find_spec cannot look __main__ up, as in a script)."""
    gone = {"module": "no_such_plugin_mod_rf8", "name": "no_such_plugin_mod_rf8:policy"}
    assert _plugin_path_error(tmp_path, {"replay_command": "vixhedge run x/config.toml", "hedge_policy": gone}) is None
    err = _plugin_path_error(tmp_path, {"replay_command": "PYTHONPATH=/p vixhedge run x/config.toml",
                                        "hedge_policy": gone})
    assert err is not None and "'no_such_plugin_mod_rf8' does not import here" in str(err)  # control
    monkeypatch.setattr(sys.modules["__main__"], "__spec__", None)  # a script's __main__: find_spec raises
    main_entry = {"module": "__main__", "name": "__main__:policy"}
    assert _plugin_path_error(tmp_path, {"replay_command": "PYTHONPATH=/p vixhedge run x/config.toml",
                                         "hedge_policy": main_entry}) is None
