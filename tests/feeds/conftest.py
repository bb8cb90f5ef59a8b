"""Shared paths and fixtures of the feeds tests.

``FIXTURES`` holds small hand-written files in the Cboe/CFE layouts (values typed by hand in the
shape of the public files, not copied from them). Real data: the ``shared_data`` fixture of
``tests/conftest.py``.
"""

from __future__ import annotations

import os
import shutil
import signal
from collections.abc import Callable
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def edited(tmp_path: Path) -> Callable[..., Path]:
    """Return ``make(fixture, edit, name=None)``: a copy of a fixture file with ``edit(lines)`` applied.

    ``edit`` gets the file's lines (without line ends) and returns the new lines; ``name`` renames
    the copy (the VX loaders read the contract from the file name).
    """

    def make(fixture: str, edit: Callable[[list[str]], list[str]] = lambda x: x, name: str | None = None) -> Path:
        src = FIXTURES / fixture
        dst = tmp_path / (name or src.name)
        dst.parent.mkdir(parents=True, exist_ok=True)
        if edit is None:
            shutil.copy(src, dst)
        else:
            lines = src.read_text(encoding="utf-8").splitlines()
            dst.write_text("\n".join(edit(lines)) + "\n", encoding="utf-8")
        return dst

    return make


class Blocked(Exception):
    """Raised by the alarm where a FIFO blocked."""


@pytest.fixture
def fifo(tmp_path: Path):
    """A FIFO with no writer (the trial's /tmp/fuzz33/outs/fifo); the old code blocked on it: an alarm bounds it."""
    path = tmp_path / "fifo"
    os.mkfifo(path)

    def late(*_):  # (not an OSError, which a loader would catch: the old code then blocked on the next open)
        raise Blocked("blocked on the FIFO")

    before = signal.signal(signal.SIGALRM, late)
    signal.setitimer(signal.ITIMER_REAL, 10, 5)  # again every 5 s while blocked
    yield path
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, before)
