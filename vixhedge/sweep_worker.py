"""A local sweep's worker process: set up once when forked (:func:`init`), and how it takes an interrupt.

Ctrl-C (SIGINT to the process group) reaches every worker with the parent; SIGTERM ends a worker at once (:func:`init`).
A worker running a batch (:func:`busy`) raises KeyboardInterrupt there: the batch's future carries it back to the
parent, which says what is saved and, from the interrupt's words, the point it stopped and the plug-in it was in
(:func:`named`). An idle worker, waiting on its queue, ignores it (:func:`_interrupted`): the parent, interrupted
too, shuts the pool down and the worker leaves on its sentinel, quietly; the pool is never broken, so every busy
worker's words reach the parent.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import itertools
import os
import signal
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Any

_BUSY = False  # this worker is running a batch


def init(parent: int, on_sigint=None) -> None:
    """Make a forked worker die with its parent (a parent killed with -9 left its workers running: review 26b), take
    SIGTERM by default (the parent's handler, cli_signals, is not a worker's: it dies) and SIGINT with ``on_sigint``
    (None: :func:`_interrupted`, a sweep's, placebo's and compare --windows' workers'), then freeze the inherited
    heap."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, _interrupted if on_sigint is None else on_sigint)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # (forked with it blocked: forks_masked)
    gc.freeze()


def _interrupted(signum: int, frame: object) -> None:
    # busy: KeyboardInterrupt, which the batch's future carries to the parent with the words of the point and plug-in
    # it stopped; idle: nothing (the parent, interrupted too, shuts the pool down and the worker leaves on its
    # sentinel, quietly). It raised KeyboardInterrupt (review 25: multiprocessing's traceback), then SystemExit, which
    # broke the pool: the busy worker's words were lost (session 26), and with a grace second before it, the busy
    # worker, done, could write to a pool the exit had just broken (a traceback in 2 of 7 fresh-clone CIs)
    if _BUSY:
        raise KeyboardInterrupt


@contextlib.contextmanager
def forks_masked() -> Iterator[None]:
    """The block in which the parent forks workers (a pool's first submit): SIGINT is held back, and a worker starts
    with it blocked until :func:`init` has its handler in place; a Ctrl-C meanwhile reaches the parent when the block
    ends and the worker after its set-up (a worker slow to start under load took it with Python's default handler
    and printed multiprocessing's traceback: a fresh-clone CI, session 26)."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


@contextlib.contextmanager
def busy() -> Iterator[None]:
    """The block in which this worker runs a batch (an interrupt there is a KeyboardInterrupt)."""
    global _BUSY
    _BUSY = True
    try:
        yield
    finally:
        _BUSY = False


GRACE_S = 2.0  # after the parent's interrupt, how long busy workers get to end on their own before the next step


def stop_busy(pool, futures: Iterable[Future], grace: float = GRACE_S) -> None:
    """After the parent's interrupt: give the busy workers ``grace`` seconds to end their batches with their own
    interrupt (Ctrl-C reaches the process group), then send each SIGINT (a SIGTERM or SIGINT sent to the parent
    alone reached none: RD31 saw `kill -TERM` leave a sweep whose plug-in hangs waiting for ever on its pool's
    shutdown), then, ``grace`` later, kill them (a plug-in that swallows the interrupt)."""
    pending = [f for f in futures if not f.done()]
    for step in (signal.SIGINT, signal.SIGKILL, None):
        if not pending:
            return
        pending = list(wait(pending, timeout=grace)[1])
        for proc in list(getattr(pool, "_processes", {}).values()) if pending and step else ():
            with contextlib.suppress(OSError):  # (a worker already gone)
                os.kill(proc.pid, step)


@contextlib.contextmanager
def forked_pool(workers: int, what: str) -> Iterator:
    """A pool of ``workers`` forked processes (they inherit what the parent built: the market), each taking Ctrl-C as
    a sweep's does (:func:`_interrupted`: an interrupt in a :func:`busy` block); on an interrupt (or any error in the
    block) the work not started is cancelled and the workers are terminated, the running ones included (nothing of
    theirs is kept: a placebo's seeds, compare --windows' windows; :func:`as_finished` first gives them their grace,
    for their words); a worker that died is one ConfigError line naming ``what`` ran in it."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from vixhedge.core.config import ConfigError

    try:
        with ProcessPoolExecutor(max_workers=workers, mp_context=mp.get_context("fork"), initializer=init,
                                 initargs=(os.getpid(),)) as pool:
            try:
                yield pool
            except BaseException:
                running = list((getattr(pool, "_processes", None) or {}).values())
                pool.shutdown(wait=False, cancel_futures=True)
                for proc in running:
                    proc.terminate()
                raise
    except BrokenProcessPool:
        raise ConfigError(f"a {what} worker process died (killed, crashed or out of memory): rerun, with --workers 1 "
                          "if it happens again") from None


def as_finished(fn: Callable, calls: Sequence[tuple], workers: int, what: str) -> Iterator[tuple[int, Any]]:
    """Yield ``(i, fn(*calls[i]))`` as each call finishes, run in a :func:`forked_pool` of ``workers`` processes
    (placebo's seeds, compare --windows' windows), saying what one process says: a plug-in failure in a worker with
    its place (``(at FILE:LINE in FUNC)``: :func:`_carried`), and an interrupt with the words of where the busy workers
    stopped (``interrupted (in hedge policy mine:hang on DAY)``: :func:`stop_busy`, :func:`named`), where the pooled
    run said ``interrupted`` alone (trial FUZZ37 L4)."""
    futures: dict[Future, int] = {}
    queue = iter(enumerate(calls))
    with forked_pool(workers, what) as pool:
        try:
            todo: set[Future] = set()
            while True:
                for i, args in itertools.islice(queue, workers - len(todo)):  # (none queued: an interrupted worker
                    with forks_masked():  # would take the next) (the first submit forks the workers)
                        todo.add(f := pool.submit(_carried, fn, *args))
                    futures[f] = i
                if not todo:
                    return
                done, todo = wait(todo, return_when=FIRST_COMPLETED)
                for f in sorted(done, key=futures.__getitem__):
                    yield futures[f], f.result()
        except KeyboardInterrupt as exc:  # (before the pool's shutdown terminates the busy workers)
            stop_busy(pool, futures)
            raise named(exc, futures) from None


def _carried(fn: Callable, *args: Any) -> Any:
    """``fn(*args)`` in an :func:`as_finished` worker: busy (an interrupt there is a KeyboardInterrupt, which the
    plug-in it stopped in names), and a plug-in failure's place kept in its text
    (:func:`vixhedge.plugin_trace.keep_place`: what the plug-in raised does not reach the parent)."""
    from vixhedge.plugin_trace import keep_place

    with busy():
        try:
            return fn(*args)
        except Exception as exc:
            keep_place(exc)
            raise


def named(exc: KeyboardInterrupt, futures: Iterable[Future]) -> KeyboardInterrupt:
    """The parent's interrupt ``exc`` saying which points the workers were running when it came: the words of each
    finished future's own interrupt (:func:`vixhedge.sweep_paths.run_points` names its point and any plug-in the
    interrupt stopped in; a hung plug-in in a sweep was not named, review 25), joined by "; "."""
    from vixhedge.plugin_trace import interrupted_in

    words = [str(e.args[0]) for f in futures if f.done() and not f.cancelled()
             and isinstance(e := f.exception(), KeyboardInterrupt) and e.args and e.args[0]]
    words = list(dict.fromkeys(words))
    if exc.args and exc.args[0] in words:  # ``exc`` a future's own, re-raised here (RD31: its words twice)
        exc.args = ("; ".join(words),)
        return exc
    return interrupted_in(exc, "; ".join(words)) if words else exc
