"""``data fetch`` against a scripted loopback server: truncated, scaled, huge and slow responses,
a shorter file never replacing a longer one, and the vol-index and FRED DFF files.

Bodies are built from the hand-written fixtures (VIX 2018-01-30..02-08, VXG18 to its 2018-02-14
settlement); nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from feeds.fetch import FetchLimits, fetch_cboe, index_url, vx_url
from tests.feeds.conftest import FIXTURES
from vixhedge.cli import main

D = dt.date
TODAY = D(2018, 2, 15)
VIX = (FIXTURES / "VIX_History.csv").read_text()
VXG18 = (FIXTURES / "vx" / "VX_2018-02-14.csv").read_text()


def _scaled(text: str, factor: float, first_col: int) -> str:
    head, *rows = text.splitlines()
    out = [head]
    for r in rows:
        c = r.split(",")
        out.append(",".join(c[:first_col] + [f"{float(x) * factor:.4f}" for x in c[first_col:first_col + 5]]
                            + c[first_col + 5:]))
    return "\n".join(out) + "\n"


def _dff(value: str = "1.42") -> str:
    days = [D(2018, 1, 1) + dt.timedelta(days=k) for k in range(46)]
    return "observation_date,DFF\n" + "".join(f"{d},{value}\n" for d in days)


class _Handler(http.server.BaseHTTPRequestHandler):
    routes: dict[str, tuple[str, bytes]] = {}

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server's name
        mode, body = self.routes.get(self.path, ("404", b""))
        if mode == "404":
            self.send_error(404)
            return
        self.send_response(200)
        try:
            if mode == "ok":
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif mode == "short":  # the connection drops before the announced length
                self.send_header("Content-Length", str(len(body) + 500))
                self.end_headers()
                self.wfile.write(body)
            elif mode == "announce-huge":
                self.send_header("Content-Length", str(10**9))
                self.end_headers()
            elif mode == "stream-huge":  # no length: an endless body
                self.end_headers()
                for _ in range(2000):
                    self.wfile.write(b"9" * 65536)
            elif mode == "drip":
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for k in range(len(body)):
                    self.wfile.write(body[k:k + 1])
                    self.wfile.flush()
                    time.sleep(0.05)
        except (BrokenPipeError, ConnectionResetError):
            pass


@pytest.fixture
def serve() -> Iterator:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"

    def set_routes(routes: dict[str, tuple[str, str | bytes]]) -> str:
        _Handler.routes = {k.removeprefix(base): (m, b.encode() if isinstance(b, str) else b)
                           for k, (m, b) in routes.items()}
        return base

    try:
        yield set_routes
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _base_routes(base: str) -> dict[str, tuple[str, str]]:
    return {vx_url(base, D(2018, 2, 14)): ("ok", VXG18), index_url(base, "VIX"): ("ok", VIX),
            index_url(base, "VIX9D"): ("ok", _scaled(VIX, 0.95, 1)), index_url(base, "VIX3M"): ("ok", _scaled(VIX, 1.1, 1)),
            index_url(base, "VIX6M"): ("ok", _scaled(VIX, 1.15, 1)),
            index_url(base, "SKEW"): ("ok", "DATE,SKEW\n" + "".join(f"{r.split(',')[0]},131.5\n"
                                                                    for r in VIX.splitlines()[1:])),
            base + "/graph/fredgraph.csv?id=DFF": ("ok", _dff())}


def _fetch(cache: Path, base: str, **kw):
    return fetch_cboe(cache, D(2018, 2, 1), D(2018, 2, 14), base_url=base, fred_url=base, today=TODAY, **kw)


def test_every_series_is_fetched_and_validated(serve, tmp_path: Path) -> None:
    base = serve({})
    serve(_base_routes(base))
    report = _fetch(tmp_path, base)
    assert report.ok and report.downloaded == ["VX_2018-02-14.csv", "VIX_History.csv", "VIX9D_History.csv",
                                               "VIX3M_History.csv", "VIX6M_History.csv", "SKEW_History.csv", "DFF.csv"]
    assert sorted(p.name for p in (tmp_path / "indices").iterdir()) == [
        "SKEW_History.csv", "VIX3M_History.csv", "VIX6M_History.csv", "VIX9D_History.csv"]
    assert (tmp_path / "rates" / "DFF.csv").read_text() == _dff()


@pytest.mark.parametrize("name, mode, body, reason", [
    ("vx", "ok", "\n".join(VXG18.splitlines()[:-3]) + "\n",
     "incomplete: the contract settled on 2018-02-14 but the rows stop on 2018-02-09 (truncated)"),
    ("vix", "ok", "\n".join(VIX.splitlines()[:3]) + "\n",
     "incomplete: the rows stop on 2018-01-31, expected data up to at least 2018-02-04"),
    ("vix", "ok", VIX[:-9], "the file does not end with a line break: it looks truncated"),
    ("vix", "short", VIX, "truncated"),
    ("vix", "ok", _scaled(VIX, 100, 1), "implausible VIX close 1479: outside 5..150"),
    ("vx", "ok", _scaled(VXG18, 100, 2), "implausible VX settle: the median of contract VXG18 (expiring 2018-02-14), "
     "2365, is outside 8..75, its whole series looks scaled"),  # (the trial: "the file's median" of one contract)
    ("vx", "ok", VXG18.replace("17.2250", "1e12"), "implausible"),
    ("vix", "announce-huge", "", "1,000,000,000 bytes announced, above the cap of 2,000,000 bytes"),
    ("vix", "stream-huge", "", "more than the cap of 2,000,000 bytes"),
    ("skew", "ok", "DATE,SKEW\n01/30/2018,131\n01/31/2018,1310\n02/01/2018,131\n", "implausible SKEW close 1310"),
    ("dff", "ok", _dff("."), "column 'DFF': '.' is not a number (line 2)"),
    ("dff", "ok", _dff("1e12"), "implausible DFF 1e+12: outside -5..30 percent (line 2)"),
], ids=["vx-cut-at-a-line", "vix-cut-at-a-line", "vix-cut-mid-line", "vix-connection-drop", "vix-x100", "vx-x100",
        "vx-1e12", "huge-announced", "huge-streamed", "skew-x10-row", "dff-missing", "dff-1e12"])
def test_bad_responses_are_rejected_and_never_cached(serve, tmp_path: Path, name: str, mode: str, body: str,
                                                     reason: str) -> None:
    base = serve({})
    routes = _base_routes(base)
    url = {"vx": vx_url(base, D(2018, 2, 14)), "vix": index_url(base, "VIX"), "skew": index_url(base, "SKEW"),
           "dff": base + "/graph/fredgraph.csv?id=DFF"}[name]
    routes[url] = (mode, body)
    serve(routes)
    report = _fetch(tmp_path, base, limits=FetchLimits(max_bytes=2_000_000, timeout_s=5))
    assert len(report.rejected) == 1 and report.rejected[0].startswith(url + ": ") and reason in report.rejected[0], \
        report.rejected
    assert len(report.downloaded) == 6
    cached = {p.name for p in tmp_path.rglob("*") if p.is_file()}
    assert Path(url.split("?")[0]).name not in cached and not any(n.startswith(".") for n in cached)


def test_a_slow_server_is_cut_off_by_the_total_deadline(serve, tmp_path: Path) -> None:
    base = serve({})
    routes = _base_routes(base)
    routes[index_url(base, "VIX")] = ("drip", VIX)  # ~25 s at this pace
    serve(routes)
    t0 = time.perf_counter()
    report = _fetch(tmp_path, base, limits=FetchLimits(deadline_s=1.0, timeout_s=5))
    assert time.perf_counter() - t0 < 3.0
    assert report.downloaded == ["VX_2018-02-14.csv"] and report.rejected == [] and not report.ok
    assert "the fetch's deadline (1 s) passed during the download" in report.failed[0][1]
    assert all(r == "skipped: the fetch's deadline (1 s) had passed" for _, r in report.failed[1:])
    assert len(report.failed) == 6  # VIX, then VIX9D, VIX3M, VIX6M, SKEW and DFF skipped: one line for the five
    assert report.lines()[0] == "downloaded 1, already cached 0, not on the server 0, rejected 0, not fetched 6"
    assert report.lines()[2:] == ["  not fetched: 5 files (VIX9D_History.csv .. fredgraph.csv?id=DFF): skipped: the "
                                  "fetch's deadline (1 s) had passed"]


def test_a_shorter_file_replaces_a_cached_one_only_with_force(serve, tmp_path: Path, capsys) -> None:
    base = serve({})
    serve(_base_routes(base))
    assert _fetch(tmp_path, base).ok
    routes = _base_routes(base)
    routes[index_url(base, "VIX")] = ("ok", "\n".join(VIX.splitlines()[:1] + VIX.splitlines()[-3:]) + "\n")
    serve(routes)
    report = _fetch(tmp_path, base, refresh=True)
    assert report.rejected == [f"{index_url(base, 'VIX')}: would replace the cached 8 rows (2018-01-30..2018-02-08) "
                               "with 3 rows (2018-02-06..2018-02-08): pass --force to accept a shorter file"]
    assert (tmp_path / "VIX_History.csv").read_text() == VIX
    args = ["data", "fetch", "--cache", str(tmp_path), "--start", "2018-02-01", "--end", "2018-02-14",
            "--base-url", base, "--fred-url", base, "--refresh"]
    assert main(args) == 2 and "pass --force" in capsys.readouterr().out
    assert _fetch(tmp_path, base, refresh=True, force=True).ok
    assert len((tmp_path / "VIX_History.csv").read_text().splitlines()) == 4


def test_a_dff_file_with_a_repeated_date_is_rejected_and_never_cached(serve, tmp_path: Path) -> None:
    """MUT28 FE10b: FRED's DFF has one row per day (feeds.fetch._validate_dff checks observation_date strictly
    increasing); 2018-01-02 given twice (header line 1, 2018-01-01 line 2, 2018-01-02 lines 3 and 4, by hand)."""
    base = serve({})
    routes = _base_routes(base)
    url = base + "/graph/fredgraph.csv?id=DFF"
    routes[url] = ("ok", _dff().replace("2018-01-02,1.42\n", "2018-01-02,1.42\n2018-01-02,1.42\n"))
    serve(routes)
    report = _fetch(tmp_path, base)
    assert len(report.rejected) == 1 and report.rejected[0].startswith(url + ": "), report.rejected
    assert "duplicate row for observation_date 2018-01-02 (first on line 3)" in report.rejected[0], report.rejected
    assert not (tmp_path / "rates" / "DFF.csv").exists() and len(report.downloaded) == 6
