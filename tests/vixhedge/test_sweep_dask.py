"""The sweep's dask transport (vixhedge.sweep_dask): results keep each point's returns when packed, results are
read straight from the workers only on a loopback scheduler, and a batch computes on the worker's main thread."""

import pickle

import numpy as np
import pytest

from vixhedge.sweep_dask import _on_this_host, _packed, _unpacked
from vixhedge.sweep_metrics import RETURNS_KEY


def test_packed_rows_keep_each_points_returns():
    rows = [{"point": f"p{i}", RETURNS_KEY: np.arange(5.0) + i} for i in range(3)]
    rows.insert(1, {"point": "bad", "__error__": "ValueError: x"})  # a failed point has no returns
    want = [dict(r) for r in rows]
    back = _unpacked(*pickle.loads(pickle.dumps(_packed(rows))))
    assert [r["point"] for r in back] == [r["point"] for r in want]
    for got, exp in zip(back, want):
        assert (RETURNS_KEY in got) == (RETURNS_KEY in exp)
        if RETURNS_KEY in exp:
            np.testing.assert_array_equal(got[RETURNS_KEY], exp[RETURNS_KEY])


@pytest.mark.parametrize("address, local", [("tcp://127.0.0.1:8786", True), ("tcp://localhost:8786", True),
                                            ("tcp://[::1]:8786", True), ("tcp://10.0.0.5:8786", False),
                                            ("tls://sched.example.org:8786", False),
                                            # MUT28 DK2: all of 127.0.0.0/8 is loopback (RFC 1122 3.2.1.3)
                                            ("tcp://127.1.2.3:8786", True), ("tcp://127.0.1.1:8786", True)])
def test_direct_gather_only_from_a_loopback_scheduler(address, local):
    assert _on_this_host(address) is local


def _main_thread_and_error():
    import threading

    from vixhedge.sweep_dask import _on_main_thread

    on_main = _on_main_thread(lambda: threading.current_thread() is threading.main_thread())
    try:
        _on_main_thread(lambda: 1 / 0)
    except ZeroDivisionError:
        return on_main, "raised"
    return on_main, "swallowed"


def test_a_dask_task_computes_on_the_workers_main_thread():
    """The batch runs on the worker process's main thread (its own heap, vixhedge.sweep_dask._on_main_thread),
    and an error raised there reaches the task."""
    from dask.distributed import Client, LocalCluster

    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address="127.0.0.1:0") as cluster, Client(cluster) as client:
        on_pool_thread = client.submit(lambda: __import__("threading").current_thread().name, pure=False).result()
        assert on_pool_thread != "MainThread"  # dask runs tasks on a pool thread
        assert client.submit(_main_thread_and_error, pure=False).result() == (True, "raised")
    assert _main_thread_and_error() == (True, "raised")  # outside a worker: inline


def test_a_server_not_speaking_dask_is_named_as_such():
    """MUT28 DK5: vixhedge.sweep_dask._dask_handshake's comment: a peer that does not speak dask's protocol makes
    distributed read a frame length from its bytes (MemoryError), which is "its reply is not dask's protocol". A
    loopback server answering every connection with an HTTP 400 line is such a peer."""
    pytest.importorskip("distributed")
    import socket
    import threading

    from vixhedge.sweep_dask import _dask_handshake

    server = socket.create_server(("127.0.0.1", 0))
    port = server.getsockname()[1]

    def answer() -> None:
        server.settimeout(10)
        try:
            while True:
                conn, _ = server.accept()
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\n\r\n" * 64)
                conn.close()
        except OSError:
            pass

    threading.Thread(target=answer, daemon=True).start()
    try:
        assert _dask_handshake(f"tcp://127.0.0.1:{port}", 3.0) == "its reply is not dask's protocol"
    finally:
        server.close()
