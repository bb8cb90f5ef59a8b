"""Fixtures every test folder shares.

``SHARED_DATA`` is the project's real data folder (``../shared/data`` beside the clone); tests marked ``realdata``
take it through the ``shared_data`` fixture, which skips with a reason when it is absent.
"""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (see /work/shared/data/README.md)")
    return SHARED_DATA
