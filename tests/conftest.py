"""Fixtures every test folder shares.

``SHARED_DATA`` is the project's real data folder (``../shared/data`` beside the clone); tests marked ``realdata``
take it through the ``shared_data`` fixture, which skips with a reason when it is absent.

Property tests (hypothesis) draw the same examples on every run (``derandomize``): CI passes or fails on the code,
never on the draw. To explore new draws: ``python -m pytest --hypothesis-profile=explore``; a failure found so is
pinned with ``@example`` in its test (tests/strategies/test_capital.py has one).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, database=None)
settings.register_profile("explore", derandomize=False)
settings.load_profile("ci")

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (see /work/shared/data/README.md)")
    return SHARED_DATA
