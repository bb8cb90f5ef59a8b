"""Cold start (issue 16): what a run imports. Timings are measured by ``python -m vixhedge.bench``, not here."""

from __future__ import annotations

import subprocess
import sys

# scipy.special alone cost 0.16-0.3 s (its array-API layer loads numpy.f2py): pricing has its own ndtr
HEAVY = ("scipy", "numpy.f2py", "arch", "statsmodels", "exchange_calendars", "matplotlib")


def _modules_after(code: str) -> list[str]:
    probe = f"import sys\n{code}\nprint(sorted(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-800:]
    return eval(done.stdout.strip().splitlines()[-1])  # noqa: S307 - our own probe's printed list


def test_a_run_imports_none_of_the_heavy_modules():
    """Importing the run path and running a backtest on the embedded market (its calendar, its data) imports none
    of them: the EMA is written out (not scipy.signal), N(x) is vixhedge.core.normal's (not scipy.special), the
    embedded CSVs are read without arch, the sessions come from the shipped closures file (not exchange_calendars),
    matplotlib is not needed (the run's figures are SVG)."""
    code = ("import vixhedge.cli, vixhedge.report, vixhedge.run, vixhedge.compare\n"
            "from vixhedge.core import config as C\n"
            "from vixhedge.run import run_backtest\n"
            "run_backtest(C.replace(C.load_default(), run={'start': '2018-01-02', 'end': '2018-03-29'}))")
    assert _modules_after(code) == []


def test_a_run_folder_imports_none_of_them():
    """Writing the whole run folder (CSVs, the SVG figures, report.html) imports none of them either."""
    code = ("import pathlib, tempfile\n"
            "from vixhedge.core import config as C\n"
            "from vixhedge.report import write_run\n"
            "from vixhedge.run import run_backtest\n"
            "res = run_backtest(C.replace(C.load_default(), run={'start': '2018-01-02', 'end': '2018-03-29'}))\n"
            "write_run(res, pathlib.Path(tempfile.mkdtemp()))")
    assert _modules_after(code) == []


def test_a_fast_run_and_its_folder_never_load_backtrader():
    """The fast engine (the CLI's default) drives the analyzers' pure cores; Cerebro and the backtrader adapters
    (vixhedge.cerebro, analyzers.bt_analyzers) load only for ``engine="backtrader"``."""
    code = ("import pathlib, sys, tempfile\n"
            "from vixhedge.core import config as C\n"
            "from vixhedge.report import write_run\n"
            "from vixhedge.run import run_backtest\n"
            "cfg = C.replace(C.load_default(), run={'start': '2018-01-02', 'end': '2018-03-29'})\n"
            "write_run(run_backtest(cfg, engine='fast'), pathlib.Path(tempfile.mkdtemp()))\n"
            "print('backtrader' in sys.modules)")
    for engine, loaded in (("fast", "False"), ("backtrader", "True")):
        done = subprocess.run([sys.executable, "-c", code.replace("'fast'", repr(engine))], capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, done.stderr[-800:]
        assert done.stdout.split()[-1] == loaded, engine


def test_compare_figures_import_matplotlib_only():
    assert _modules_after("from vixhedge.compare import fig_overlay\nimport vixhedge.html as H\n"
                          "from matplotlib.figure import Figure\nH.png_bytes(Figure())") == ["matplotlib"]
