"""Shared paths and fixtures of the feeds tests.

``FIXTURES`` holds small hand-written files in the Cboe/CFE layouts (values typed by hand in the
shape of the public files, not copied from them). Real data: the ``shared_data`` fixture of
``tests/conftest.py``.
"""

from __future__ import annotations

import shutil
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
