"""Tests for feeds.fetch against a local HTTP server on 127.0.0.1 serving the fixture files.

The server mimics Cboe's URL layout (feeds.fetch docstring): the Feb 2018 monthly VX file and
VIX_History.csv exist; the Mar 2018 file is malformed (text in a number); every other contract
is absent (404). No network access beyond loopback.
"""

from __future__ import annotations

import datetime as dt
import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from feeds.fetch import FetchError, fetch_cboe, vix_url, vx_url
from tests.feeds.conftest import FIXTURES
from vixhedge.cli import main

D = dt.date
TODAY = D(2018, 2, 15)  # the fixture VIX history ends 2018-02-08: fresh enough for a span ending 2018-02-14


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # keep pytest output clean
        pass


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "www"
    vx_dir = root / "data/us/futures/market_statistics/historical_data/VX"
    vx_dir.mkdir(parents=True)
    (vx_dir / "VX_2018-02-14.csv").write_bytes((FIXTURES / "vx" / "VX_2018-02-14.csv").read_bytes())
    bad = (FIXTURES / "vx" / "VX_2018-02-14.csv").read_text().replace("G (Feb 2018)", "H (Mar 2018)")
    bad = bad.replace("14.1250", "14.1x50")
    (vx_dir / "VX_2018-03-21.csv").write_text(bad)
    idx = root / "api/global/us_indices/daily_prices"
    idx.mkdir(parents=True)
    (idx / "VIX_History.csv").write_bytes((FIXTURES / "VIX_History.csv").read_bytes())
    handler = functools.partial(_QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", tmp_path / "cache"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def test_urls_follow_cboe_layout() -> None:
    assert vx_url("https://cdn.cboe.com", D(2018, 2, 14)) == (
        "https://cdn.cboe.com/data/us/futures/market_statistics/historical_data/VX/VX_2018-02-14.csv")
    assert vix_url("https://cdn.cboe.com/") == "https://cdn.cboe.com/api/global/us_indices/daily_prices/VIX_History.csv"


def test_fetch_validates_before_caching(server: tuple[str, Path]) -> None:
    base, cache = server
    report = fetch_cboe(cache, D(2018, 1, 1), D(2018, 3, 31), base_url=base, timeout=5, indices=False, rates=False,
                        today=TODAY)
    assert report.downloaded == ["VX_2018-02-14.csv", "VIX_History.csv"]
    assert report.not_found == [vx_url(base, D(2018, 1, 17))]
    assert len(report.rejected) == 1 and report.rejected[0].startswith(vx_url(base, D(2018, 3, 21)))
    assert "column 'Settle': '14.1x50' is not a number (line 2)" in report.rejected[0]
    assert sorted(p.name for p in (cache / "vx").iterdir()) == ["VX_2018-02-14.csv"]  # nothing partial kept
    assert (cache / "vx" / "VX_2018-02-14.csv").read_bytes() == (FIXTURES / "vx" / "VX_2018-02-14.csv").read_bytes()
    again = fetch_cboe(cache, D(2018, 2, 1), D(2018, 2, 28), base_url=base, timeout=5, indices=False, rates=False,
                       today=TODAY)
    assert again.cached == ["VX_2018-02-14.csv", "VIX_History.csv"] and again.downloaded == [] and again.ok


def test_cli_fetch_reports_and_fails_on_rejected_files(server: tuple[str, Path], capsys) -> None:
    """--end 2018-02-14 fetches the contracts listed by then (HELP32 M1): Feb 2018 and the eight still trading on it,
    settling 2018-03-21 .. 10-17 (the nine monthly expiries with a settle on 2018-02-14 in ../shared/data/
    vix_futures_settle_all_listed_2004_2025); the server has Feb and a malformed Mar, not the other seven."""
    base, cache = server
    rc = main(["data", "fetch", "--cache", str(cache), "--start", "2018-02-01", "--end", "2018-02-14",
               "--base-url", base, "--no-indices", "--no-rates"])
    assert rc == 2
    out = capsys.readouterr().out
    assert "downloaded 2, already cached 0, not on the server 7, rejected 1" in out
    assert f"not found: {vx_url(base, D(2018, 10, 17))}" in out and "rejected: " + vx_url(base, D(2018, 3, 21)) in out
    rc = main(["data", "fetch", "--cache", str(cache), "--start", "2018-03-01", "--end", "2018-03-31",
               "--base-url", base, "--no-vix", "--no-indices", "--no-rates"])
    assert rc == 2
    assert "rejected: " + vx_url(base, D(2018, 3, 21)) in capsys.readouterr().out



def test_cli_fetch_quiet_prints_the_report_only(server: tuple[str, Path], capsys) -> None:
    """-q, as every subcommand takes it: no 'fetching' line on stderr; the report (stdout) is the answer."""
    base, cache = server
    rc = main(["data", "fetch", "--cache", str(cache), "--start", "2018-02-01", "--end", "2018-02-14",
               "--base-url", base, "--no-indices", "--no-rates", "-q"])
    out, err = capsys.readouterr()
    assert rc == 2 and err == "" and "downloaded 2" in out  # (2: the malformed Mar 2018 file, listed by 02-14)

def test_a_refused_connection_stops_before_any_download(tmp_path: Path) -> None:
    """127.0.0.1:9 (discard) refuses connections here: one probe, one line, no cache folder made."""
    with pytest.raises(FetchError, match=r"^server not reachable: 127.0.0.1:9 refuses connections \(.*\), so nothing "
                                         r"was fetched \(1 file to download\): check the --base-url / --fred-url "
                                         r"given") as exc:
        fetch_cboe(tmp_path / "cache", D(2018, 2, 1), D(2018, 2, 28), base_url="http://127.0.0.1:9", vix=False,
                   indices=False, rates=False, timeout=2, today=TODAY)
    assert "\n" not in str(exc.value) and not (tmp_path / "cache").exists()


def _offline(monkeypatch) -> list[tuple[str, int]]:
    """Make every host unresolvable, as off-line (socket.gaierror -2); return the probes made."""
    import socket

    probes: list[tuple[str, int]] = []

    def offline(address, *_args, **_kwargs):
        probes.append(address)
        raise socket.gaierror(-2, "Name or service not known")

    monkeypatch.setattr("socket.create_connection", offline)
    monkeypatch.setattr("urllib.request.getproxies", lambda: {})
    return probes


def test_no_network_is_one_line_with_the_fix_after_one_probe_per_host(tmp_path: Path, monkeypatch, capsys) -> None:
    """Off-line, the trial's fetch tried 173 URLs (15 s) and printed "rejected 173"; now one probe per host and one
    line naming both hosts (to 2018-02-28: the Feb 2018 VX file and the 9 listed by then, settling Mar..Nov 2018
    (feeds.fetch.LISTING_LEAD_DAYS), VIX, the 4 indices of feeds.fetch.INDICES and DFF = 16 files)."""
    probes = _offline(monkeypatch)
    rc = main(["data", "fetch", "--cache", str(tmp_path / "cache"), "--start", "2018-02-01", "--end", "2018-02-28"])
    out, err = capsys.readouterr()
    assert rc == 2 and out == "" and probes == [("cdn.cboe.com", 443), ("fred.stlouisfed.org", 443)]
    assert err.splitlines()[-1] == (
        "vixhedge: no network: cdn.cboe.com, fred.stlouisfed.org cannot be resolved ([Errno -2] Name or service not "
        "known), so nothing was fetched (16 files to download): connect to the internet (or set https_proxy) and run "
        "again, or pass --base-url / --fred-url of a reachable mirror")


def test_a_cached_file_needs_no_probe(server: tuple[str, Path], monkeypatch) -> None:
    base, cache = server
    assert fetch_cboe(cache, D(2018, 2, 1), D(2018, 2, 14), base_url=base, timeout=5, indices=False, rates=False,
                      today=TODAY).ok
    assert _offline(monkeypatch) == [] and fetch_cboe(cache, D(2018, 2, 1), D(2018, 2, 14), base_url=base,
                                                      indices=False, rates=False, today=TODAY).cached


def test_failures_after_the_probe_are_one_line_per_reason(server: tuple[str, Path], monkeypatch) -> None:
    """The network drops after the probe: every download fails the same way, one line for all (Feb..Mar 2018:
    2 VX files and VIX), and none of them counts as rejected."""
    import socket
    import urllib.error

    base, cache = server

    def dropped(*_args, **_kwargs):
        raise urllib.error.URLError(socket.gaierror(-3, "Temporary failure in name resolution"))

    monkeypatch.setattr("urllib.request.urlopen", dropped)
    report = fetch_cboe(cache, D(2018, 2, 1), D(2018, 3, 31), base_url=base, indices=False, rates=False, today=TODAY)
    assert not report.ok and report.rejected == [] and len(report.failed) == 3
    assert report.lines() == ["downloaded 0, already cached 0, not on the server 0, rejected 0, not fetched 3",
                              "  not fetched: 3 files (VX_2018-02-14.csv .. VIX_History.csv): [Errno -3] Temporary "
                              "failure in name resolution"]


@pytest.mark.parametrize("flag, url", [("--base-url", "not-a-url"), ("--fred-url", "ftp://example.org"),
                                       ("--base-url", "http://"), ("--base-url", "http://host:99999")])
def test_a_malformed_server_url_is_one_line_before_any_work(tmp_path: Path, capsys, flag: str, url: str) -> None:
    """The trial's --base-url not-a-url printed 178 lines of 'unknown url type'; now the only line, before the
    "fetching" banner."""
    rc = main(["data", "fetch", "--cache", str(tmp_path / "cache"), "--start", "2018-02-01", "--end", "2018-02-28",
               flag, url])
    out, err = capsys.readouterr()
    assert rc == 2 and out == "" and err.splitlines() == [
        f"vixhedge: {flag} {url!r} is not an http(s) URL with a host, like https://cdn.cboe.com or "
        "http://127.0.0.1:8000: give the scheme and host of the server"]
    assert not (tmp_path / "cache" / "vx").exists()


def test_history_one_day_short_of_must_reach_is_incomplete() -> None:
    """MUT28 FE6: feeds.fetch._Job.must_reach's comment: "the last row must be on or after this day". Rows up to
    2018-02-07 against must_reach 2018-02-08 (one day short, by hand) are rejected; rows up to 2018-02-08 pass."""
    from feeds.fetch import _check_complete, _Reject, _Summary

    with pytest.raises(_Reject, match=r"^incomplete: the rows stop on 2018-02-07, expected data up to at least "
                                      r"2018-02-08"):
        _check_complete(_Summary(rows=20, first=D(2018, 1, 2), last=D(2018, 2, 7)), D(2018, 2, 8))
    _check_complete(_Summary(rows=20, first=D(2018, 1, 2), last=D(2018, 2, 8)), D(2018, 2, 8))


def test_one_host_unresolved_and_one_refusing_is_not_reachable_not_no_network(monkeypatch) -> None:
    """MUT28 FE11: feeds.fetch._check_reachable says "no network" only when no host resolves (its comment: "no DNS
    answer: off-line"); one unresolvable host and one refusing host is "server not reachable", naming both."""
    import socket

    from feeds.fetch import _check_reachable

    def connect(address, *_args, **_kwargs):
        if address[0] == "nowhere.invalid":
            raise socket.gaierror(-2, "Name or service not known")
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr("socket.create_connection", connect)
    monkeypatch.setattr("urllib.request.getproxies", lambda: {})
    with pytest.raises(FetchError, match=r"^server not reachable: nowhere.invalid cannot be resolved .*; "
                                         r"127.0.0.1:9 refuses connections .*\(2 files to download\)"):
        _check_reachable(["https://nowhere.invalid/a.csv", "http://127.0.0.1:9/b.csv"], 1.0)


def test_two_failures_with_one_reason_are_one_line() -> None:
    """MUT28 FE12: FetchReport.lines' comment: "one line per reason"; two URLs failing the same way give one line
    "not fetched: 2 files (first .. last): reason" (expected line written by hand)."""
    from feeds.fetch import FetchReport

    report = FetchReport(failed=[("https://h/x/VX_2018-02-14.csv", "timed out"), ("https://h/VIX_History.csv",
                                                                                   "timed out")])
    assert report.lines()[1:] == ["  not fetched: 2 files (VX_2018-02-14.csv .. VIX_History.csv): timed out"]


def test_a_fetch_to_a_day_takes_the_contracts_still_trading_on_it() -> None:
    """HELP32 M1: on 2026-12-07 a fetch to today took the contracts settling by then (2026-10-21, 11-18: the trial's
    calendars.vx_contracts(2026-10-01, 2026-12-07)), not the front and second months (Dec 2026, Jan 2027). The VX
    final settlement is the Wednesday 30 days before the next month's third Friday (MARKET_RULES.md): 2027-01-15
    less 30 days is 2026-12-16, 2027-02-19 less 30 is 2027-01-20."""
    from feeds.fetch import listed_contracts

    got = [c.settlement for c in listed_contracts(D(2026, 10, 1), D(2026, 12, 7))]
    assert got[:4] == [D(2026, 10, 21), D(2026, 11, 18), D(2026, 12, 16), D(2027, 1, 20)]
    assert D(2027, 8, 18) - D(2026, 12, 7) <= dt.timedelta(days=267) < D(2027, 9, 15) - D(2026, 12, 7)
    assert got[-1] == D(2027, 8, 18)  # about nine months out (feeds.fetch.LISTING_LEAD_DAYS)
    assert listed_contracts(D(2035, 1, 1), D(2035, 11, 30))[-1].settlement == D(2035, 11, 21)  # the calendar's end


@pytest.mark.realdata
def test_the_listed_contracts_hold_the_front_six_the_exchange_traded_each_day(shared_data: Path) -> None:
    """On each of the 3,075 sessions 2013-01-02 .. 2025-03-19 of the all-listed VX file (read with plain pandas),
    the first six monthly contracts with a settle that day and settling after it are in listed_contracts(day, day)
    (the front six: the reach of the hedge's layers)."""
    import pandas as pd

    from feeds.fetch import listed_contracts

    d = pd.read_csv(shared_data / "vix_futures_settle_all_listed_2004_2025" / "vx_settle_all_listed_2004_2025.csv.gz",
                    parse_dates=["trade_date", "expiry"])
    d = d[d["is_monthly"] & (d["trade_date"] >= "2013-01-01")]
    missed = []
    for t, rows in d.groupby("trade_date"):
        day = t.date()
        front = [e for e in sorted(rows["expiry"].dt.date) if e > day][:6]
        if not set(front) <= {c.settlement for c in listed_contracts(day, day)}:
            missed.append(day)
    assert d["trade_date"].nunique() == 3075 and missed == []


def test_a_fetch_cache_is_named_short_of_an_spx_file_in_the_help_and_in_a_runs_error(tmp_path: Path, capsys) -> None:
    """HELP32 M2: a fetch writes vx/, VIX_History.csv, indices/ and rates/ but no SPX file (feeds.fetch docstring),
    and a run on it said only "missing the SPX file spx.csv (or spx.csv.gz) (see feeds.directory)". The file
    suggested is the shared data's (spx_index_daily/README.md: date, open, high, low, close, volume, source)."""
    from feeds.layout import detect_layout
    from feeds.marketdata import DataError

    (tmp_path / "vx").mkdir()
    (tmp_path / "vx" / "VX_2018-02-14.csv").write_bytes((FIXTURES / "vx" / "VX_2018-02-14.csv").read_bytes())
    (tmp_path / "VIX_History.csv").write_bytes((FIXTURES / "VIX_History.csv").read_bytes())
    with pytest.raises(DataError) as exc:
        detect_layout(tmp_path)
    assert "missing the SPX file spx.csv (or spx.csv.gz): vixhedge data fetch downloads no SPX history: add a daily " \
           "SPX OHLC CSV as spx.csv (columns date,open,high,low,close), e.g. a copy of " \
           "../shared/data/spx_index_daily/SPX_daily_combined_1927_2026.csv.gz as spx.csv.gz" in str(exc.value)
    with pytest.raises(SystemExit):
        main(["data", "fetch", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "The cache is not a data directory by itself: it has no SPX file" in out and "CACHE/spx.csv" in out
