"""Sweeps on dask.distributed (``sweep.scheduler``): the parent submits batches and alone writes results.

Each worker builds the Market of a sweep once, on its first batch, and keeps it (and what the kernel shares) for
later sweeps. A batch goes out as pickled points (configs pickle by their field values, see
:func:`vixhedge.core.config.base.fast_pickle`) and comes back as rows with the daily returns in one matrix; on a
loopback scheduler the client reads results from the workers directly instead of through the scheduler.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future
from typing import Any

import numpy as np

from feeds.market import Market, build_market
from vixhedge.core import config as C
from vixhedge.core.config import ConfigError
from vixhedge.heap import keep_freed_memory
from vixhedge.sweep_metrics import RETURNS_KEY
from vixhedge.sweep_paths import run_points as _run_points
from vixhedge.sweep_keys import tcp_address
from vixhedge.sweep_spec import Point, SweepSpec


_LOADED: dict[str, Market] = {}  # dask workers: one Market per market config, built on first use


def run_batch_loading(batch: list[Point], in_sample_end: dt.date | None, engine: str, kernel: str = "off"
                      ) -> tuple[list[dict[str, Any]], list[int], np.ndarray | None]:
    """A dask task: the batch's rows (:func:`vixhedge.sweep_paths.run_points`), packed by :func:`_packed`, computed
    on the worker's main thread (:func:`_on_main_thread`)."""
    def run() -> tuple[list[dict[str, Any]], list[int], np.ndarray | None]:
        mcfg = batch[0].config.market
        key = repr(C.to_dict(mcfg))
        if key not in _LOADED:
            keep_freed_memory()  # see vixhedge.heap
            _LOADED[key] = build_market(mcfg)
            gc.freeze()  # the Market out of garbage collection (vixhedge.progress.frozen_heap)
        return _packed(_run_points(batch, _LOADED[key], in_sample_end, engine, kernel))

    return _on_main_thread(run)


def _on_main_thread(fn: Callable[[], Any]) -> Any:
    """Run ``fn`` on the dask worker's event-loop thread (a worker process's main thread) and return its result.

    A dask worker runs tasks on a pool thread, and glibc gives such a thread an arena of its own whose freed heaps
    go back to the system: the few-MB arrays a kernel batch allocates again and again then fault in fresh pages
    (~140,000 page faults and ~17% more CPU over the 12 batches of a 5,184-point sweep than on the main thread,
    which reuses its heap; ``vixhedge.heap``). A batch holds the loop for its duration (~0.2 s on the kernel).
    Outside a worker, or on the loop's own thread, ``fn`` runs here.
    """
    try:
        from distributed import get_worker

        loop = get_worker().loop
    except (ImportError, ValueError):  # not in a dask worker
        return fn()
    if threading.current_thread() is threading.main_thread() or not loop.asyncio_loop.is_running():
        return fn()  # on the loop's thread already, or a loop that stopped (a closing worker) would never call back
    done: Future = Future()

    def call() -> None:
        try:
            done.set_result(fn())
        except BaseException as exc:  # noqa: BLE001 - handed to the task, which re-raises it
            done.set_exception(exc)

    loop.add_callback(call)
    return done.result()


def _packed(rows: list[dict[str, Any]]) -> tuple[list[dict[str, Any]], list[int], np.ndarray | None]:
    """Move the rows' daily returns into one matrix: dask sends one frame for it instead of one per point
    (serialising a 432-point batch took 22 ms as rows, 2.5 ms packed)."""
    have = [i for i, r in enumerate(rows) if RETURNS_KEY in r]
    if len({len(rows[i][RETURNS_KEY]) for i in have}) != 1:  # none, or (never in a sweep) of unequal lengths
        return rows, [], None
    return rows, have, np.stack([rows[i].pop(RETURNS_KEY) for i in have])


def _unpacked(rows: list[dict[str, Any]], have: list[int], returns: np.ndarray | None) -> list[dict[str, Any]]:
    for i, r in zip(have, returns if returns is not None else ()):
        rows[i][RETURNS_KEY] = r
    return rows


def run_dask(batches: Iterable[list[Point]], workers: int, spec: SweepSpec, sink) -> None:
    """Run batches on dask.distributed; the parent alone writes results (``sink.rows``, vixhedge.sweep) as they
    complete.

    A worker that dies has its tasks rescheduled by the scheduler; nothing is written twice.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if spec.scheduler == "local-cluster":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0")  # None still binds :8787; a free port never clashes
        client = Client(cluster, direct_to_workers=True)
    else:  # results straight from the workers, not through the scheduler, when they share this host
        client = Client(spec.scheduler, direct_to_workers=_on_this_host(spec.scheduler))
    try:
        from vixhedge.extensions import check_workers, grid_names

        check_workers(client, spec.scheduler, grid_names(spec.base, spec.grid))
        submit = lambda b: client.submit(run_batch_loading, b, spec.in_sample_end, spec.engine,  # noqa: E731
                                         spec.kernel, pure=False)
        pending = iter(batches)
        running = as_completed([submit(b) for b in itertools.islice(pending, 2 * workers)])
        for fut in running:  # a bounded window of tasks: memory does not grow with the grid
            sink.rows(_unpacked(*fut.result()))
            nxt = next(pending, None)
            if nxt is not None:
                running.add(submit(nxt))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


REACH_SECONDS = 5.0  # a scheduler that does not accept a connection in this long is refused before any work


def check_reachable(scheduler: str, timeout: float = REACH_SECONDS) -> None:
    """Raise ConfigError when ``scheduler`` is a ``tcp://HOST:PORT`` address that accepts no connection within
    ``timeout`` seconds (dask's client would wait 30 s, after the output folder was bound to the spec)."""
    import socket

    if not scheduler.startswith("tcp://"):
        return
    host, port = tcp_address(scheduler, "sweep.scheduler / --scheduler")
    fix = f"start one there (`dask scheduler --port {port}` and its workers) or give another address, or use 'local'"
    try:
        socket.create_connection((host, port), timeout=timeout).close()
    except OSError as exc:
        why = f"timed out after {timeout:g} s" if isinstance(exc, TimeoutError) else (exc.strerror or str(exc))
        raise ConfigError(f"sweep.scheduler / --scheduler = {scheduler!r}: no dask scheduler answers at "
                          f"{host}:{port} ({why}): {fix}") from None
    why = _dask_handshake(scheduler, timeout)
    if why:
        raise ConfigError(f"sweep.scheduler / --scheduler = {scheduler!r}: {host}:{port} accepts connections but "
                          f"is not a dask scheduler ({why}): {fix}")


def _dask_handshake(address: str, timeout: float) -> str:
    """Return "" when a dask peer at ``address`` completes distributed's handshake within ``timeout`` s, else why.
    Run on a thread of its own: its event loop never meets the caller's (a notebook's, say)."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from distributed.comm import connect

    async def shake() -> None:
        comm = await asyncio.wait_for(connect(address, timeout=timeout), timeout + 1)
        await comm.close()

    try:
        with ThreadPoolExecutor(1) as pool:
            pool.submit(lambda: asyncio.run(shake())).result()
    except MemoryError:  # distributed read a frame length from a peer that does not speak its protocol
        return "its reply is not dask's protocol"
    except Exception as exc:  # noqa: BLE001 - anything but a handshake: not a scheduler to send work to
        return f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else 'no handshake'}"[:160]
    return ""


def _on_this_host(address: str) -> bool:
    """Whether a scheduler address is a loopback one (its workers then run on this host too)."""
    host = address.split("://", 1)[-1].rsplit(":", 1)[0].strip("[]")
    return host in ("localhost", "::1") or host.startswith("127.")
