"""A local sweep's worker process: set up once when forked (:func:`init`), and how it takes an interrupt.

Ctrl-C (or ``timeout``'s signal to the process group) reaches every worker with the parent. A worker running a
batch (:func:`busy`) raises KeyboardInterrupt there, as before: the batch's future carries it back to the parent,
which says what is saved. An idle worker, waiting on its queue, raised it too and died with a traceback of
``multiprocessing`` internals printed before the sweep's own line (review 25); it now exits quietly (SystemExit).
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import signal
import sys
from collections.abc import Iterator

_BUSY = False  # this worker is running a batch


def init(parent: int) -> None:
    """Make a forked worker die with its parent, take SIGTERM by default (the parent's handler, cli_signals, is not a
    worker's: it dies) and SIGINT as :func:`_interrupted` says, then freeze the inherited heap."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, _interrupted)
    gc.freeze()


def _interrupted(signum: int, frame: object) -> None:
    # idle: SystemExit, which multiprocessing ends the process on with its code and no traceback; raised, not
    # os._exit, so the queue's lock the worker holds while it waits is released on the way out (with os._exit the
    # other worker waited on that lock for ever, and the parent on it)
    raise KeyboardInterrupt if _BUSY else SystemExit(1)


@contextlib.contextmanager
def busy() -> Iterator[None]:
    """The block in which this worker runs a batch (an interrupt there is a KeyboardInterrupt)."""
    global _BUSY
    _BUSY = True
    try:
        yield
    finally:
        _BUSY = False
