"""SIGTERM handled as an interrupt: what ``timeout``, SLURM and ``kill`` send ends a command as Ctrl-C does.

Python's default for SIGTERM is to die at once: no line, no cleanup (a sweep left its ``.sweep.lock`` and a
half-written ``.invalid.csv.PID``), exit -15. Inside :func:`sigterm_as_interrupt` the signal raises
:class:`Terminated`, a KeyboardInterrupt, wherever the command is: the same ``finally`` blocks run and the same
line is printed as for Ctrl-C (a sweep's ``interrupted: ... rerun ... to resume``); the exit code is then
128 + 15 = 143, as a shell reports a process SIGTERM ended (130 is SIGINT's). Imports nothing heavy: the installed
command enters it before the CLI is imported.

An interrupt that lands while Python runs a weakref callback or a ``__del__`` is "ignored" by Python: it printed a
traceback and the command ran on to exit 0 (trial IO31, 2 of ~30 Ctrl-C's). Inside the block such an interrupt is
given again (:func:`_again`) a moment later, where it can stop the command.
"""

from __future__ import annotations

import os
import signal
import sys
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
    """Raise :class:`Terminated` on SIGTERM inside the block (the handler before it restored after), and give again
    an interrupt Python ignored (:func:`_again`); outside the main thread, where no handler can be set, the signals
    are left alone."""
    received = Received()

    def handler(signum: int, frame: object) -> None:
        received.sigterm = True
        raise Terminated()

    try:
        previous = signal.signal(signal.SIGTERM, handler)
    except ValueError:  # not the main thread (a notebook's worker thread...)
        yield received
        return
    live = [True]  # (a signal sent again after the block would reach whoever called it: a notebook, the tests)
    hook, sys.unraisablehook = sys.unraisablehook, _again(sys.unraisablehook, live)
    try:
        yield received
    finally:
        live[0] = False
        sys.unraisablehook = hook
        signal.signal(signal.SIGTERM, previous)


AGAIN_AFTER_S = 0.05  # the ignored interrupt is sent again this long after: the hook has returned by then


def _again(hook, live: list[bool]):
    """An unraisable-exception hook that sends an ignored KeyboardInterrupt's signal again (SIGTERM for a
    :class:`Terminated`, else SIGINT) from a thread, so it arrives after the callback that ignored it has returned
    (a signal raised inside the hook would be ignored there too), unless the block has ended (``live``); any other
    exception goes to ``hook``."""
    def send(sig: int) -> None:
        if live[0]:
            os.kill(os.getpid(), sig)

    def again(unraisable) -> None:
        if unraisable.exc_type is None or not issubclass(unraisable.exc_type, KeyboardInterrupt):
            return hook(unraisable)
        import threading

        sig = signal.SIGTERM if issubclass(unraisable.exc_type, Terminated) else signal.SIGINT
        later = threading.Timer(AGAIN_AFTER_S, send, (sig,))  # (a thread's start waits for it: not at once)
        later.daemon = True
        later.start()
        return None

    return again


def interrupt_words(exc: KeyboardInterrupt) -> str:
    """`` (in hedge policy mine:policy on 2016-01-05)``: where the interrupt stopped
    (:func:`vixhedge.plugin_trace.interrupted_in`), or ""."""
    return f" ({exc.args[0]})" if exc.args and isinstance(exc.args[0], str) and exc.args[0] else ""
