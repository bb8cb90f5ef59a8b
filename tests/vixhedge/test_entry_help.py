"""Every ``python -m`` report answers ``--help`` and a usage error before its numerical imports.

Each report builds its parser right after the standard-library imports (``parser()``, :class:`vixhedge.guard.Parser`)
and parses the command line before numpy, pandas, scipy or the run load (the pattern of ``feeds/calibrate.py``):
``--help`` took 0.7-1.5 s when they loaded first, ~0.1 s after (wall, 2-core machine). Checked on the import list
(``python -X importtime``), not on a clock: a shared machine's timings are noise.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REPORTS = ["feeds.anchor_measure", "feeds.bench", "feeds.bridge_measure", "feeds.calibrate", "feeds.events", "feeds.staleopen_measure",
           "feeds.vxfit_spx", "vixhedge.presets_figures",
           "vixhedge.rollcheck", "vixhedge.vxth_index", "vixhedge.bench", "vixhedge.capital_figures",
           "vixhedge.skew_error", "vixhedge.model_vs_real", "feeds.vixsmilefit", "vixhedge.ci_null",
           "vixhedge.bench_research",
           "feeds.snapshot_level"]  # the python -m reports (vixhedge.guard.Parser; snapshot_level's help was 0.88 s:
# HELP32)
HEAVY = ("numpy", "pandas", "scipy", "backtrader", "matplotlib")
# usage errors a report finds after argparse (a check of its own, a type that rejects the value): before the imports too
CHECKED = [("vixhedge.rollcheck", []), ("vixhedge.bench", ["--pairs", "0"]),
           ("vixhedge.bench_research", ["--reps", "99"]), ("vixhedge.presets_figures", ["nope"]),
           ("vixhedge.skew_error", ["--data-dir", "x", "--seeds", "1"]),
           ("vixhedge.model_vs_real", ["--data-dir", "x", "--noise-seeds", "1"]),
           ("vixhedge.vxth_index", ["--start", "2015-13-01"]),  # was an internal error after the market loaded
           ("vixhedge.skew_error", ["--data-dir", "x", "--end", "2015-2-1"]),
           # an empty path was the current folder, or (capital_figures) no data folder: the embedded figures ran
           ("vixhedge.capital_figures", ["--data-dir", ""]), ("feeds.calibrate", ["--data-dir", ""]),
           ("feeds.vxfit_spx", ["--data-dir", ""]), ("vixhedge.vxth_index", ["--data-dir", ""]),
           ("feeds.staleopen_measure", ["--data-dir", ""]), ("feeds.anchor_measure", ["--data-dir", ""]),
           ("feeds.vixsmilefit", ["--data-dir", ""]), ("vixhedge.ci_null", ["--days", "63,10"]),
           ("vixhedge.ci_null", ["--noise", "hetero,iid"]), ("feeds.snapshot_level", ["--data-dir", ""])]


def run(module: str, *argv: str) -> tuple[subprocess.CompletedProcess, str, set[str]]:
    """Run ``python -X importtime -m module argv``: (the process, its stderr without the import lines, top packages)."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", module, *argv], capture_output=True, text=True,
                          cwd=ROOT, timeout=120)
    lines = done.stderr.splitlines(keepends=True)
    imported = {line.rsplit("|", 1)[1].strip().split(".")[0] for line in lines if line.startswith("import time:")}
    return done, "".join(line for line in lines if not line.startswith("import time:")), imported


@pytest.mark.parametrize("module", REPORTS)
def test_help_of_each_report_exits_0_without_the_numerical_imports(module):
    done, err, imported = run(module, "--help")
    assert (done.returncode, err) == (0, ""), err[-500:]
    assert done.stdout.startswith(f"usage: python -m {module} "), done.stdout[:300]
    assert sorted(imported & set(HEAVY)) == []
    assert "--data-dir DATA_DIR" not in done.stdout  # --data-dir DIR, as every vixhedge subcommand names it (HELP32 M4)
    # HELP32 L9: docstrings' Sphinx roles and ``literals`` printed as they are, and the project's history in a help
    assert not re.findall(r":(?:mod|func|data|meth|class):|``|[Ss]ession \d+|trial [A-Z]+\d+", done.stdout)
    # trial RD36 L1: README "each --help shows ... about how long it takes"; six of them did not say
    assert re.search(r"\d s\b|\d seconds?\b|\bminutes?\b|\d min\b|under a second|hours?\b|timed", done.stdout), module


@pytest.mark.parametrize("module, argv", [(m, ["--no-such-flag"]) for m in REPORTS] + CHECKED,
                         ids=lambda x: (" ".join(x) or "no-arguments") if isinstance(x, list) else x)
def test_a_usage_error_of_each_report_is_one_line_before_the_numerical_imports(module, argv):
    done, err, imported = run(module, *argv)
    prog = f"python -m {module}"
    assert done.returncode == 2 and done.stdout == ""
    # one line; an unknown flag is named even where a required argument is missing too (vixhedge.guard.Parser)
    assert err.startswith(f"{prog}: error: ") and err.endswith(f" (see {prog} --help)\n"), err
    assert err.count("\n") == 1 and "usage:" not in err
    if argv == ["--no-such-flag"]:
        assert "unrecognized arguments: --no-such-flag" in err, err
    assert sorted(imported & set(HEAVY)) == []


def test_the_preset_names_presets_lists_before_the_config_loads_are_the_configs():
    from vixhedge.presets_figures import PRESETS
    from vixhedge.core.config import PRESETS as CONFIG_PRESETS

    assert PRESETS == CONFIG_PRESETS
