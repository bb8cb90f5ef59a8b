"""Fixtures every test folder shares.

``SHARED_DATA`` is the project's real data folder (``../shared/data`` beside the clone); tests marked ``realdata``
take it through the ``shared_data`` fixture, which skips with a reason when it is absent.

Property tests (hypothesis) draw the same examples on every run (``derandomize``): CI passes or fails on the code,
never on the draw. To explore new draws: ``python -m pytest --hypothesis-profile=explore``; a failure found so is
pinned with ``@example`` in its test (tests/strategies/test_capital.py has one).

``$VIXHEDGE_DATA_DIR`` is unset in every test (``no_data_dir_env``, autouse): ``replay`` and ``compare --period``
fall back to it, so an unmarked test would read ../shared/data on a machine that sets it; a test that wants the
real data passes the folder itself (``--data-dir``, the ``shared_data`` fixture), one that tests the variable sets
it with ``monkeypatch.setenv``.
"""

from __future__ import annotations

import os
from pathlib import Path

# One BLAS thread a process, set before numpy or scipy is imported (OpenBLAS reads it when it loads; pytest-xdist's
# workers and the processes tests start inherit it). The default run is `-n 2` on two cores: OpenBLAS's own thread
# per core on top of that oversubscribed the machine, its idle threads spinning. Measured (session 40, trial PERF41):
# tests/feeds/test_calibrate.py::test_committed_calibration_reports_regenerate 36.6 s CPU -> 16.3 s, the same
# figures; a 40,000 x 14 SVD 0.78 s CPU (0.97 s wall) on two threads, 0.18 s (0.37 s) on one. A value set outside
# (CI, a shell) is kept.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("ci")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(autouse=True)
def no_data_dir_env(monkeypatch) -> None:
    # audit (2026-12-04, finding 2): unmarked tests (test_compare_period, test_plugins, test_plugin_points,
    # test_cli_errors) ran on ../shared/data instead of the embedded market when the variable was set
    monkeypatch.delenv("VIXHEDGE_DATA_DIR", raising=False)


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent: tests marked realdata need the project's shared data "
                    "folder as ../shared/data beside the clone (its data/README.md names each source)")
    return SHARED_DATA


@pytest.fixture
def refuse_orders(monkeypatch):
    """``refuse_orders(prefix)``: the capital guard allows 0 units of every order whose name starts with ``prefix``
    (``"roll L"``, ``"restrike"``) and sizes the others as it does (strategies.capital.CapitalGuard.fit)."""
    from strategies.capital import CapitalGuard

    fit = CapitalGuard.fit

    def refuse(prefix: str) -> None:
        monkeypatch.setattr(CapitalGuard, "fit", lambda self, unit, n, what, base=(): 0 if what.startswith(prefix)
                            else fit(self, unit, n, what, base))
    return refuse
