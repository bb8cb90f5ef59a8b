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


def test_a_run_and_its_folder_import_none_of_the_heavy_modules():
    """Importing the run path (the CLI, compare included), running a backtest on the embedded market (its calendar,
    its data) and writing the whole run folder (CSVs, the SVG figures, report.html) import none of them: the EMA
    is written out (not scipy.signal), N(x) is vixhedge.core.normal's (not scipy.special), the embedded CSVs are
    read without arch, the sessions come from the shipped closures file (not exchange_calendars), matplotlib is
    not needed (the run's figures are SVG; compare imports it only to draw)."""
    code = ("import pathlib, tempfile\n"
            "import vixhedge.cli, vixhedge.compare\n"
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

