"""Write a folder atomically: build it under a temporary sibling name, rename it into place."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def atomic_folder(parent: Path, name: str) -> Iterator[Path]:
    """Yield a temporary folder that becomes ``parent/name`` only when the block succeeds.

    An interrupted write never leaves a folder that looks complete; an earlier folder of the
    same name is replaced only after the new one is complete.
    """
    parent.mkdir(parents=True, exist_ok=True)
    final = parent / name
    tmp = Path(tempfile.mkdtemp(prefix=f".{name}.", dir=parent))
    try:
        yield tmp
        old = None
        if final.exists():
            old = parent / f".{name}.old.{os.getpid()}"
            final.rename(old)
        tmp.rename(final)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
