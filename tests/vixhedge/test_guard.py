"""The ``python -m`` reports end an error as one line too (vixhedge.guard, shared with the CLI)."""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from feeds.marketdata import DataError
from vixhedge.argtypes import seed_count
from vixhedge.core.config import ConfigError
from vixhedge.guard import Parser, guarded
from vixhedge.sweep_load import SweepFolderError

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("error, code", [(ConfigError("run.start = 'x' is invalid: write a date as YYYY-MM-DD"), 2),
                                         (DataError("data directory '/x' does not exist or is not a folder"), 2),
                                         (FileNotFoundError(2, "No such file or directory", "/x/y.csv"), 2),
                                         (KeyboardInterrupt(), 130), (ZeroDivisionError("division by zero"), 3),
                                         # a damaged sweep folder (a run folder's error): the user's folder, its fix
                                         # named, not an internal error (the plug-in trial's sweep ended with one)
                                         (SweepFolderError("out/results.csv holds 16 points but out/summary.json "
                                                           "counts 8 finished: rerun with the same spec"), 2)])
def test_guarded_turns_each_error_into_one_line_naming_the_program(error, code, capsys, monkeypatch):
    monkeypatch.delenv("VIXHEDGE_DEBUG", raising=False)

    def command() -> int:
        raise error

    assert guarded("python -m some.report", command) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("python -m some.report: ")
    assert guarded("p", lambda: None) == 0 and guarded("p", lambda: 4) == 4


@pytest.mark.parametrize("module", ["vixhedge.model_vs_real", "vixhedge.skew_error", "vixhedge.capital_figures",
                                    "feeds.calibrate", "feeds.vxfit_spx", "vixhedge.rollcheck",
                                    "vixhedge.vxth_index"])
def test_each_report_names_a_missing_data_folder_in_one_line_before_any_run(module, tmp_path):
    missing = tmp_path / "no-such-folder"
    out = subprocess.run([sys.executable, "-m", module, "--data-dir", str(missing)], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    assert out.returncode == 2 and out.stdout == ""  # nothing ran: no report line before the error
    assert out.stderr == f"python -m {module}: data directory '{missing}' does not exist\n"


def test_noise_runs_are_zero_or_at_least_two():
    assert (seed_count("0"), seed_count("2"), seed_count("20")) == (0, 2, 20)
    for bad in ("1", "-3", "x"):
        with pytest.raises(Exception, match="give 0"):
            seed_count(bad)


def test_parser_error_is_one_line_naming_the_program(capsys):
    p = Parser(prog="python -m some.report")
    p.add_argument("--data-dir", required=True)
    with pytest.raises(SystemExit) as exc:
        p.parse_args([])
    assert exc.value.code == 2
    assert capsys.readouterr().err == ("python -m some.report: error: the following arguments are required: "
                                       "--data-dir (see python -m some.report --help)\n")


def test_parser_flags_after_a_double_dash_and_abbreviations_and_a_message_on_several_lines(capsys):
    """MUT27 GU2, GU4, GU5: after ``--`` every token is an argument (argparse's rule), so none is an unknown flag;
    an abbreviation argparse accepts (``--runs`` for ``--runs-dir``) is not refused first; a message with line
    breaks is one line (README: "Every CLI error is one line on stderr")."""
    p = Parser(prog="python -m some.report")
    p.add_argument("--runs-dir")
    p.add_argument("names", nargs="*")
    assert p.parse_args(["--runs", "x"]).runs_dir == "x"
    assert p.parse_args(["--", "--not-a-flag"]).names == ["--not-a-flag"]
    with pytest.raises(SystemExit) as exc:
        p.error("first line\n  second\tline ")
    assert exc.value.code == 2
    assert capsys.readouterr().err == ("python -m some.report: error: first line second line "
                                       "(see python -m some.report --help)\n")


def test_a_flag_given_twice_with_two_values_is_one_line_naming_both(capsys):
    """IO31 (session 31, left): ``--period gfc --period covid`` ran covid without a word (argparse keeps the last).
    Two values are refused, naming both; the same value twice passes, and so does a parse after it (the seen value
    is per parse); --set KEY=VALUE stays repeatable."""
    from vixhedge.cli import _parser

    p = _parser()
    with pytest.raises(SystemExit) as exc:
        p.parse_args(["compare", "--period", "gfc", "--period", "covid"])
    assert exc.value.code == 2
    assert capsys.readouterr().err == ("vixhedge compare: error: --period given twice (gfc, then covid): give it once "
                                       "(see vixhedge compare --help)\n")
    assert p.parse_args(["run", "--start", "2015-01-02", "--start=2015-01-02"]).start == "2015-01-02"
    assert p.parse_args(["run", "--start", "2016-01-04"]).start == "2016-01-04"
    assert p.parse_args(["run", "--set", "run.seed=1", "--set", "run.seed=2"]).set == ["run.seed=1", "run.seed=2"]


def test_with_vixhedge_debug_an_internal_error_is_raised_with_its_traceback(monkeypatch, capsys):
    """MUT27 GU10: README "an unexpected one `vixhedge: internal error: ...`, exit 3, traceback only with
    `VIXHEDGE_DEBUG=1`": with it set, the exception goes on (its traceback printed by Python), no line."""
    def command() -> int:
        raise ZeroDivisionError("division by zero")

    monkeypatch.setenv("VIXHEDGE_DEBUG", "1")
    with pytest.raises(ZeroDivisionError):
        guarded("p", command)
    assert "internal error" not in capsys.readouterr().err
    monkeypatch.delenv("VIXHEDGE_DEBUG")
    assert guarded("p", command) == 3


@pytest.mark.parametrize("error, line", [
    (OSError(28, "No space left on device", "runs/default-1"),  # 28 = ENOSPC (Linux errno)
     "p: cannot read or write runs/default-1: No space left on device: free some space on that disk, or write "
     "elsewhere (vixhedge run and compare: --runs-dir DIR; sweep: --out DIR)"),
    (OSError(30, "Read-only file system", "runs/r/equity.svg"),  # 30 = EROFS
     "p: cannot read or write runs/r/equity.svg: Read-only file system: that file system is read-only: write "
     "elsewhere (vixhedge run and compare: --runs-dir DIR; sweep: --out DIR), or work on a writable copy"),
    (IsADirectoryError(21, "Is a directory", "/tmp"),  # `vixhedge run /tmp`: 21 = EISDIR
     "p: /tmp is a folder, not a file: give a file (vixhedge run, compare: a .toml config file)"),
    (OSError(27, "File too large", "runs/r/daily.csv"),  # 27 = EFBIG (trial IO: `ulimit -f`, no fix was named)
     "p: cannot read or write runs/r/daily.csv: File too large: a file size limit stopped the write (ulimit -f): "
     "raise it, or write elsewhere (vixhedge run and compare: --runs-dir DIR; sweep: --out DIR)"),
    (OSError(18, "Invalid cross-device link", "runs/default-1"),  # 18 = EXDEV (trial IO: an overlay's lower layer)
     "p: cannot read or write runs/default-1: Invalid cross-device link: the folder cannot be replaced in place "
     "there (another device or an overlay file system's lower layer): delete the old folder first, or write "
     "elsewhere (vixhedge run and compare: --runs-dir DIR; sweep: --out DIR)")],
    ids=["disk-full", "read-only", "folder-for-a-file", "file-size-limit", "cross-device"])
def test_an_io_error_names_the_path_and_the_fix(error, line, capsys):
    """The trial's lines named no path (`cannot read or write: No space left on device`) or no fix."""
    def command() -> int:
        raise error

    assert guarded("p", command) == 2
    assert capsys.readouterr().err == line + "\n"


@pytest.mark.parametrize("readable", [True, False], ids=["readable-folder", "unreadable-folder"])
def test_a_permission_error_on_a_folder_says_which_permission(readable, tmp_path, monkeypatch, capsys):
    """MUT27 GU13 / GU15: EACCES (13) on a folder the user can read is a write refused: "no permission there: make it
    writable" (guard.FIXES), not "cannot read the folder"; on one the user cannot read, the folder's fix is chmod
    u+rx (x: a folder is entered, not only read). os.access is set either way (root reads everything)."""
    import os

    monkeypatch.setattr(os, "access", lambda path, mode: readable if mode == os.R_OK else False)

    def command() -> int:
        raise PermissionError(13, "Permission denied", str(tmp_path))

    assert guarded("p", command) == 2
    if readable:
        assert capsys.readouterr().err == (f"p: cannot read or write {tmp_path}: Permission denied: no permission "
                                           "there: make it writable (or readable) for you, or write elsewhere (vixhedge "
                                           "run and compare: --runs-dir DIR; sweep: --out DIR)\n")
    else:
        assert capsys.readouterr().err == (f"p: cannot read the folder {tmp_path}: Permission denied: make it "
                                           "readable for you (chmod u+rx), or give a readable copy\n")


def test_report_names_a_fix_report_has(capsys):
    """Trial B: `vixhedge report` on a read-only folder suggested --runs-dir and --out, flags report does not have."""
    from vixhedge.guard import REPORT_ELSEWHERE

    def command() -> int:
        raise OSError(30, "Read-only file system", "runs/r/equity.svg")  # 30 = EROFS

    assert guarded("vixhedge", command, REPORT_ELSEWHERE) == 2
    assert capsys.readouterr().err == ("vixhedge: cannot read or write runs/r/equity.svg: Read-only file system: that "
                                       "file system is read-only: copy the folder somewhere writable (cp -r FOLDER "
                                       "COPY) and run vixhedge report COPY\n")


def test_a_file_where_the_run_folder_goes_is_one_line(capsys):
    from vixhedge.atomic import FolderError

    def command() -> int:
        raise FolderError("runs/default-69c7de80 is a file, not a run folder: move it or use --runs-dir")

    assert guarded("vixhedge", command) == 2
    assert capsys.readouterr().err == ("vixhedge: runs/default-69c7de80 is a file, not a run folder: move it or use "
                                       "--runs-dir\n")


def test_capital_figures_checks_the_data_folder_before_any_run(tmp_path, monkeypatch):
    """The trial: a data folder with a cut vix.csv ran the 6 embedded backtests (24 s) before the one-line error."""
    from feeds.marketdata import DataError
    from tests.feeds.test_directory import _write_dir
    from vixhedge import capital_figures

    root = _write_dir(tmp_path / "d")
    (root / "vix.csv").write_text((root / "vix.csv").read_text().rstrip("\n"))  # cut: no final line break

    def ran(*args, **kwargs):
        raise AssertionError("a backtest ran before the data folder was checked")

    monkeypatch.setattr(capital_figures, "_line", ran)
    logger = logging.getLogger("vixhedge")
    level = logger.level  # main() silences the package's notes: give the level back to the tests after this one
    try:
        with pytest.raises(DataError, match="vix.csv.*does not end with a line break"):
            capital_figures.main(["--data-dir", str(root)])
    finally:
        logger.setLevel(level)
