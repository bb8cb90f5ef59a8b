"""A sweep's (and the placebo's) forked workers start with SIGINT blocked until their handler is in place
(vixhedge/sweep_worker.py forks_masked, init): a fresh-clone CI of session 26 saw a worker, slow to start under load,
take Ctrl-C with Python's default handler and print multiprocessing's traceback before the sweep's line."""

from __future__ import annotations

import os
import signal

from vixhedge import sweep_worker


def _child(check) -> int:
    """Fork; the child exits 0 when ``check()`` holds, else 1; return the child's exit code."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        try:
            os._exit(0 if check() else 1)
        except BaseException:
            os._exit(2)
    return os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])


def _blocked() -> bool:
    return signal.SIGINT in signal.pthread_sigmask(signal.SIG_BLOCK, [])


def test_a_worker_is_forked_with_sigint_blocked_and_init_unblocks_it() -> None:
    before = signal.pthread_sigmask(signal.SIG_BLOCK, [])
    with sweep_worker.forks_masked():
        assert _blocked()
        assert _child(_blocked) == 0  # a worker forked here starts with SIGINT held back ...

        def initialised() -> bool:
            sweep_worker.init(os.getppid())
            return not _blocked() and signal.getsignal(signal.SIGINT) is sweep_worker._interrupted

        assert _child(initialised) == 0  # ... until its handler is in place

        def placebo_worker() -> bool:  # vixhedge placebo's workers ignore it: the parent stops the pool, one line
            sweep_worker.init(os.getppid(), signal.SIG_IGN)
            return not _blocked() and signal.getsignal(signal.SIGINT) is signal.SIG_IGN

        assert _child(placebo_worker) == 0
    assert signal.pthread_sigmask(signal.SIG_BLOCK, []) == before  # the parent's mask is restored
    assert not _blocked()
