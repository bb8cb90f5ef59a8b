"""The ``python -m`` reports end an error as one line too (vixhedge.guard, shared with the CLI)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from feeds.marketdata import DataError
from vixhedge.core.config import ConfigError
from vixhedge.guard import Parser, guarded
from vixhedge.model_vs_real_gap import seed_count

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("error, code", [(ConfigError("run.start = 'x' is invalid: write a date as YYYY-MM-DD"), 2),
                                         (DataError("data directory '/x' does not exist or is not a folder"), 2),
                                         (FileNotFoundError(2, "No such file or directory", "/x/y.csv"), 2),
                                         (KeyboardInterrupt(), 130), (ZeroDivisionError("division by zero"), 3)])
def test_guarded_turns_each_error_into_one_line_naming_the_program(error, code, capsys, monkeypatch):
    monkeypatch.delenv("VIXHEDGE_DEBUG", raising=False)

    def command() -> int:
        raise error

    assert guarded("python -m some.report", command) == code
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("python -m some.report: ")
    assert guarded("p", lambda: None) == 0 and guarded("p", lambda: 4) == 4


@pytest.mark.parametrize("module", ["vixhedge.model_vs_real", "vixhedge.skew_error", "vixhedge.capital_figures",
                                    "feeds.calibrate", "feeds.vxfit_spx", "strategies.rollcheck",
                                    "strategies.vxth_index"])
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


REPORTS = ["feeds.bench", "feeds.calibrate", "feeds.events", "feeds.vxfit_spx", "strategies.presets",
           "strategies.rollcheck", "strategies.vxth_index", "vixhedge.bench", "vixhedge.capital_figures", "vixhedge.skew_error",
           "vixhedge.model_vs_real"]  # the python -m reports whose parser is vixhedge.guard.Parser
HEAVY = ("numpy", "pandas", "scipy", "backtrader", "matplotlib")


@pytest.mark.parametrize("module", REPORTS)
def test_a_usage_error_of_each_report_is_one_line(module):
    out = subprocess.run([sys.executable, "-m", module, "--no-such-flag"], capture_output=True, text=True,
                         cwd=ROOT, timeout=120)
    prog = f"python -m {module}"
    assert out.returncode == 2 and out.stdout == ""
    # the message argparse gives first (a missing required argument or the unknown flag), on one line
    assert out.stderr.startswith(f"{prog}: error: ") and out.stderr.endswith(f" (see {prog} --help)\n")
    assert out.stderr.count("\n") == 1 and "usage:" not in out.stderr


@pytest.mark.parametrize("module", ["feeds.calibrate", "feeds.events", "strategies.presets",
                                    "vixhedge.capital_figures"])
def test_help_of_each_report_exits_0_without_the_numerical_imports(module):
    """``--help`` prints the usage of ``python -m <module>`` and loads none of HEAVY (1-2 s each when it did)."""
    code = (f"import sys, runpy; sys.argv = ['{module}', '--help']\ntry:\n    runpy.run_module('{module}', "
            f"run_name='__main__')\nexcept SystemExit as e:\n    print('exit', e.code)\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    lines = done.stdout.strip().splitlines()
    assert lines[0].startswith(f"usage: python -m {module} "), done.stdout[:300]
    assert lines[-2:] == ["exit 0", "[]"], done.stdout[-500:] + done.stderr[-500:]


def test_parser_error_is_one_line_naming_the_program(capsys):
    p = Parser(prog="python -m some.report")
    p.add_argument("--data-dir", required=True)
    with pytest.raises(SystemExit) as exc:
        p.parse_args([])
    assert exc.value.code == 2
    assert capsys.readouterr().err == ("python -m some.report: error: the following arguments are required: "
                                       "--data-dir (see python -m some.report --help)\n")
