"""Findings of the packaging/locale trial (2026-12-04) on how a command starts and ends (vixhedge.entry).

- an output encoding that lacks a character (``PYTHONIOENCODING=ascii``) escapes it: a finished run with a
  non-ASCII name was "internal error ... UnicodeEncodeError", exit 3;
- a ``feeds/`` (or ``strategies``, ``analyzers``) folder or module in the working folder shadows the project's
  package under ``python -m``: one line naming it and the fix, exit 2 (was a raw ModuleNotFoundError traceback);
- output cut short by its reader (``| head``) ends quietly, exit 141 = 128 + SIGPIPE's number 13 (signal(7)), as a
  shell reports ``cat`` ended by the signal (was a BrokenPipeError traceback or "cannot read or write: Broken
  pipe", exit 2);
- the help names no file that only a source checkout has (a wheel install has no vixhedge/configs/default.toml
  beside it, no examples/).
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from vixhedge.guard import guarded

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "feeds" / "fixtures"


def python_m(*argv: str, cwd: Path = ROOT, stdout=subprocess.PIPE, **env: str) -> subprocess.CompletedProcess:
    """Run ``python -m argv`` on this checkout (PYTHONPATH: ROOT, whatever the working folder)."""
    environ = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    environ.pop("VIXHEDGE_DEBUG", None)
    return subprocess.run([sys.executable, "-m", *argv], cwd=cwd, env=environ, stdout=stdout, stderr=subprocess.PIPE,
                          text=True, timeout=300)


def test_a_run_named_with_non_ascii_letters_on_an_ascii_stdout_exits_0_with_them_escaped(tmp_path: Path) -> None:
    """The trial's repro, on a 4-month window of the embedded market (the default config's start, 2014-03-03)."""
    config = tmp_path / "uni.toml"
    config.write_text('[run]\nname = "dä-ümlaut"\nstart = 2014-03-03\nend = 2014-06-30\n', encoding="utf-8")
    done = python_m("vixhedge", "run", str(config), "-q", "--runs-dir", str(tmp_path / "cmp öut"),
                    PYTHONIOENCODING="ascii")
    assert (done.returncode, done.stderr) == (0, ""), done.stderr
    (folder,) = (tmp_path / "cmp öut").iterdir()
    assert folder.name.startswith("dä-ümlaut-")  # the folder keeps its name; only the printed line escapes it
    assert f"cmp \\xf6ut/d\\xe4-\\xfcmlaut-{folder.name[len('dä-ümlaut-'):]}" in done.stdout


def test_guarded_escapes_what_stdout_cannot_encode(monkeypatch) -> None:
    """Every python -m report goes through vixhedge.guard.guarded: its output escapes too."""
    raw = io.BytesIO()
    monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(raw, encoding="ascii"))
    assert guarded("python -m some.report", lambda: print("data in /tmp/dä")) == 0
    assert raw.getvalue() == b"data in /tmp/d\\xe4\n"


@pytest.mark.parametrize("shadow, module, argv", [("feeds/__init__.py", "vixhedge", ["run", "-q"]),
                                                  ("feeds/__init__.py", "vixhedge", ["--help"]),
                                                  ("strategies/__init__.py", "vixhedge", ["data", "check", "x"]),
                                                  ("analyzers.py", "vixhedge.rollcheck", []),
                                                  ("feeds/__init__.py", "vixhedge.model_vs_real",
                                                   ["--data-dir", "x"])])
def test_a_folder_in_the_working_folder_named_as_a_project_package_is_one_line(tmp_path, shadow, module, argv):
    (tmp_path / shadow).parent.mkdir(exist_ok=True)
    (tmp_path / shadow).write_text("")
    found = tmp_path / shadow.split("/")[0]
    done = python_m(module, *argv, cwd=tmp_path)
    prog = "vixhedge" if module == "vixhedge" else f"python -m {module}"
    kind = "module" if shadow.endswith(".py") and "/" not in shadow else "folder"
    assert (done.returncode, done.stdout) == (2, "") and done.stderr.count("\n") == 1, done.stderr
    name = found.name.removesuffix(".py")
    assert done.stderr.startswith(f"{prog}: the {kind} {found} is imported as the package '{name}' instead of "
                                  f"vixhedge's own ({ROOT / name}): `python -m` looks in the working folder first: "
                                  f"run it from another folder or rename that {kind}"), done.stderr
    assert ("run the installed `vixhedge` command" in done.stderr) == (module == "vixhedge")
    assert not list(tmp_path.glob("runs"))  # before any work


def test_the_working_folder_also_on_pythonpath_behind_vixhedge_s_is_blamed_as_the_working_folder(tmp_path) -> None:
    """Trial RD40 M1: with PYTHONPATH `ROOT:WORKING_FOLDER`, `python -m` still looks in the working folder first; the
    line said the folder "comes before vixhedge's on PYTHONPATH" (already not so) and to put vixhedge's first."""
    (tmp_path / "analyzers.py").write_text("")
    done = python_m("vixhedge", "run", "-q", cwd=tmp_path, PYTHONPATH=f"{ROOT}{os.pathsep}{tmp_path}")
    assert (done.returncode, done.stdout) == (2, "") and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"vixhedge: the module {tmp_path / 'analyzers.py'} is imported as the package "
                                  f"'analyzers' instead of vixhedge's own ({ROOT / 'analyzers'}): `python -m` looks in "
                                  "the working folder first: run it from another folder or rename that module"), \
        done.stderr


def test_a_namespace_folder_does_not_shadow(tmp_path: Path) -> None:
    """A folder without __init__.py is only a namespace portion: the project's regular package is imported."""
    (tmp_path / "feeds").mkdir()
    done = python_m("vixhedge", "--help", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("usage: vixhedge "), done.stderr


@pytest.mark.parametrize("argv", [["vixhedge.core.config.reference"],
                                  ["vixhedge", "data", "check", "-q", str(FIXTURES / "vx" / "CFE_K07_VX.csv")]],
                         ids=["config-reference", "data-check"])
def test_output_whose_reader_has_gone_ends_quietly_with_exit_141(argv) -> None:
    """The reader's end of the pipe is closed before the command starts: every write is EPIPE."""
    read, write = os.pipe()
    os.close(read)
    try:
        done = python_m(*argv, stdout=write)
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (141, "")


def test_a_broken_pipe_that_is_not_stdout_is_still_an_error() -> None:
    """Only a closed stdout is quiet: another pipe's EPIPE (a worker's) is the usual one line, exit 2. Run with
    stdout an open pipe (its reader still there), so the guard's check of stdout is the one under test."""
    code = ("import sys; from vixhedge.guard import guarded\n"
            "def command():\n    raise BrokenPipeError(32, 'Broken pipe')  # 32: EPIPE on Linux (errno.h)\n"
            "sys.exit(guarded('p', command))")
    environ = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", code], env=environ, capture_output=True, text=True, timeout=60)
    assert (done.returncode, done.stderr) == (2, "p: cannot read or write: Broken pipe\n")


def test_the_help_names_no_file_only_a_source_checkout_has() -> None:
    """`vixhedge --help` said "see vixhedge/configs/default.toml"; sweep's examples are the repository's."""
    from vixhedge.cli_help import EPILOG, SWEEP_EPILOG

    assert "vixhedge/configs/" not in EPILOG and "`vixhedge run --print-config` prints the default one" in EPILOG
    assert "vixhedge sweep examples/macd_grid.toml                   the source repository's MACD grid" \
        in SWEEP_EPILOG
