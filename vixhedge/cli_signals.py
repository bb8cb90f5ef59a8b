"""SIGTERM handled as an interrupt: what ``timeout``, SLURM and ``kill`` send ends a command as Ctrl-C does.

Python's default for SIGTERM is to die at once: no line, no cleanup (a sweep left its ``.sweep.lock`` and a
half-written ``.invalid.csv.PID``), exit -15. Inside :func:`sigterm_as_interrupt` the signal raises
:class:`Terminated`, a KeyboardInterrupt, wherever the command is: the same ``finally`` blocks run and the same
line is printed as for Ctrl-C (a sweep's ``interrupted: ... rerun ... to resume``); the exit code is then
128 + 15 = 143, as a shell reports a process SIGTERM ended (130 is SIGINT's). Imports nothing heavy: the installed
command enters it before the CLI is imported.
"""

from __future__ import annotations

import signal
from collections.abc import Iterator
from contextlib import contextmanager

SIGINT_EXIT = 128 + signal.SIGINT  # 130
SIGTERM_EXIT = 128 + signal.SIGTERM  # 143


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: raised where the program is, handled as an interrupt."""


class Received:
    """Whether SIGTERM arrived inside the block, and the exit code that says so."""

    def __init__(self) -> None:
        self.sigterm = False

    def exit_code(self, code: int) -> int:
        """Return ``code``, or 143 where the block ended as interrupted (130) by SIGTERM."""
        return SIGTERM_EXIT if self.sigterm and code == SIGINT_EXIT else code


@contextmanager
def sigterm_as_interrupt() -> Iterator[Received]:
    """Raise :class:`Terminated` on SIGTERM inside the block (the handler before it restored after); outside the
    main thread, where no handler can be set, the signal is left alone."""
    received = Received()

    def handler(signum: int, frame: object) -> None:
        received.sigterm = True
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (a notebook's worker thread...)
        yield received
        return
    try:
        yield received
    finally:
        signal.signal(signal.SIGTERM, previous)


def interrupt_words(exc: KeyboardInterrupt) -> str:
    """`` (in hedge policy mine:policy on 2016-01-05)``: where the interrupt stopped
    (:func:`vixhedge.plugin_trace.interrupted_in`), or ""."""
    return f" ({exc.args[0]})" if exc.args and isinstance(exc.args[0], str) and exc.args[0] else ""
