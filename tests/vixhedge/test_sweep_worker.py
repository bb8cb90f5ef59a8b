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


def test_a_worker_takes_an_interrupt_only_while_busy() -> None:
    """MUT28 sw4: the module docstring: a worker running a batch (busy) raises KeyboardInterrupt; an idle worker
    ignores it, so once a batch ends (busy's block left) the interrupt is ignored again."""
    with sweep_worker.busy():
        try:
            sweep_worker._interrupted(signal.SIGINT, None)
        except KeyboardInterrupt:
            pass
        else:
            raise AssertionError("a busy worker did not raise KeyboardInterrupt")
    try:  # (a KeyboardInterrupt escaping a test stops pytest itself: caught, a failure)
        sweep_worker._interrupted(signal.SIGINT, None)
    except KeyboardInterrupt:
        raise AssertionError("an idle worker, its batch done, raised KeyboardInterrupt") from None


def test_the_parents_interrupt_names_each_finished_points_words_joined_by_semicolons() -> None:
    """MUT28 sw2, sw3: named's docstring: "the words of each finished future's own interrupt ... joined by '; '"; a
    cancelled future (a point never started) has no words and no exception to read."""
    from concurrent.futures import Future

    futures = [Future() for _ in range(4)]
    futures[0].cancel()
    futures[1].set_exception(KeyboardInterrupt("point 3 in custom_hedge:policy"))
    futures[2].set_exception(KeyboardInterrupt("point 7"))
    futures[3].set_result(None)
    exc = sweep_worker.named(KeyboardInterrupt(), futures)
    assert exc.args == ("point 3 in custom_hedge:policy; point 7",)
    # RD31: a future's own interrupt re-raised in the parent (its SIGINT ignored, a background job) printed its
    # words twice, "(point 1eee... : in hedge policy hang:policy on 2014-03-03: point 1eee... : in hedge ...)"
    own = futures[2].exception()
    assert sweep_worker.named(own, futures).args == ("point 3 in custom_hedge:policy; point 7",)
