"""``vixhedge data fetch``: download Cboe's VX per-contract files, vol-index histories and FRED's DFF.

Files (Cboe's public URLs; ``base_url`` replaces the ``https://cdn.cboe.com`` part and
``fred_url`` the ``https://fred.stlouisfed.org`` part, e.g. for a mirror or a test server):

* ``{base}/data/us/futures/market_statistics/historical_data/VX/VX_{YYYY-MM-DD}.csv`` for every
  monthly VX contract settling in the requested span, and with ``listed`` those still trading at its end
  (``vixhedge data fetch``: the front months' settles to date) (Cboe's current archive starts in 2013;
  earlier contracts are in the CFE archive layout, not fetched here) -> ``cache/vx/``;
* ``{base}/api/global/us_indices/daily_prices/VIX_History.csv`` -> ``cache/VIX_History.csv``;
* the same folder's ``VIX9D_History.csv``, ``VIX3M_History.csv``, ``VIX6M_History.csv``
  (``DATE,OPEN,HIGH,LOW,CLOSE``) and ``SKEW_History.csv`` (``DATE,SKEW``) -> ``cache/indices/``;
* ``{fred}/graph/fredgraph.csv?id=DFF`` (``observation_date,DFF``, percent) -> ``cache/rates/DFF.csv``.

``cache`` is the standard layout of :mod:`feeds.directory` once an ``spx.csv`` is added.

Every download is bounded and checked before it replaces anything (written to a temporary name,
loaded, then renamed); a file that fails is reported and never cached:

* **size**: a body above ``max_bytes`` (by ``Content-Length`` or as it streams) is refused;
* **time**: the whole fetch has one deadline (``deadline_s``); a server that drips bytes is cut
  off when it passes, and the files not yet fetched are reported as skipped;
* **completeness**: a body shorter than its ``Content-Length``, a file cut mid-line (no final line
  break), an expired VX contract without its final-settlement row, or a history that stops more
  than ``stale_days`` before ``min(end, today)``;
* **plausibility**: the loaders' rules (:mod:`feeds.loaders.plausible`): a file with any
  implausible row (prices x100, 1e12, ...) is refused with the first such row;
* **shrinking**: a cached file is never replaced by one with fewer rows unless ``force``.

Files already in the cache are kept unless ``refresh``; a file absent on the server (HTTP 404) is
reported, not fatal. Before any download, ``base_url`` and ``fred_url`` must be http(s) URLs and each
host still to be asked is probed once (a TCP connection within ``PROBE_S``, through the proxy when one is
set): an unreachable host (no network, no DNS, connection refused) stops the fetch in one line
(:class:`FetchError`). A file whose download fails (HTTP error, network, deadline) is "not fetched";
repeated failures for the same reason are one line. Only the standard library is used (``urllib``).
"""

from __future__ import annotations

import datetime as dt
import http.client
import os
import socket
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

import numpy as np

from feeds import calendars
from feeds.loaders import LoadError
from feeds.loaders._table import check_sorted, read_table
from feeds.loaders.index import load_cboe_index, load_cboe_value
from feeds.loaders.vx import load_vx
from feeds.marketdata import DataError

__all__ = ["CBOE_BASE", "FRED_BASE", "FetchError", "FetchLimits", "FetchReport", "check_url", "fetch_cboe",
           "index_url", "vix_url", "vx_url"]

CBOE_BASE = "https://cdn.cboe.com"
FRED_BASE = "https://fred.stlouisfed.org"
_VX_PATH = "/data/us/futures/market_statistics/historical_data/VX/VX_{expiry}.csv"
_INDEX_PATH = "/api/global/us_indices/daily_prices/{name}_History.csv"
_DFF_PATH = "/graph/fredgraph.csv?id=DFF"
INDICES = ("VIX9D", "VIX3M", "VIX6M", "SKEW")
TIMEOUT_S = 30.0
DFF_RANGE = (-5.0, 30.0)  # percent per annum; real 0.04..22.36 (1954-2026)
PROBE_S = 3.0  # seconds for the one reachability probe per host, before any download
#: days before its final settlement a monthly VX contract first trades: the median over the 154 monthly contracts
#: settling 2013-01..2025-11 in ../shared/data/vix_futures_settle_all_listed_2004_2025 (their first trade date;
#: 266-268 for half of them, 244..345 in all), about nine months: the contracts still trading on a day are those
#: settling within this many days after it (HELP32 M1: a fetch to today left out the front and second months)
LISTING_LEAD_DAYS = 267


class FetchError(DataError):
    """A fetch that cannot start: a malformed server URL or an unreachable host (one line, nothing fetched)."""


@dataclass(frozen=True)
class FetchLimits:
    """Bounds of one fetch (see the module docstring)."""

    max_bytes: int = 20_000_000
    deadline_s: float = 900.0
    timeout_s: float = TIMEOUT_S
    stale_days: int = 10


def vx_url(base: str, expiry: dt.date) -> str:
    return base.rstrip("/") + _VX_PATH.format(expiry=expiry.isoformat())


def index_url(base: str, name: str) -> str:
    return base.rstrip("/") + _INDEX_PATH.format(name=name)


def vix_url(base: str) -> str:
    return index_url(base, "VIX")


@dataclass
class FetchReport:
    """What a fetch did, file by file."""

    downloaded: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # "url: reason": downloaded, then refused by a check
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason): not downloaded (HTTP, network, time)

    @property
    def ok(self) -> bool:
        return not self.rejected and not self.failed

    def lines(self) -> list[str]:
        out = [(f"downloaded {len(self.downloaded)}, already cached {len(self.cached)}, "
                f"not on the server {len(self.not_found)}, rejected {len(self.rejected)}"
                + (f", not fetched {len(self.failed)}" if self.failed else ""))]
        out += [f"  not found: {u}" for u in self.not_found]
        out += [f"  rejected: {r}" for r in self.rejected]
        by_reason: dict[str, list[str]] = {}
        for url, reason in self.failed:
            by_reason.setdefault(reason, []).append(url)
        for reason, urls in by_reason.items():  # one line per reason: a dropped network is not 170 lines
            out.append(f"  not fetched: {urls[0]}: {reason}" if len(urls) == 1 else
                       f"  not fetched: {len(urls)} files ({_file_name(urls[0])} .. {_file_name(urls[-1])}): {reason}")
        return out


def _file_name(url: str) -> str:
    parts = urllib.parse.urlsplit(url)
    return parts.path.rsplit("/", 1)[-1] + (f"?{parts.query}" if parts.query else "")


def check_url(url: str, flag: str) -> None:
    """Raise :class:`FetchError` unless ``url`` is an http(s) URL with a host (``flag`` names it: ``--base-url``) and
    no space or control character (trial FUZZ37 H4 / L3: ``http://[::1`` was an internal ValueError, a space was
    accepted)."""
    try:
        parts = urllib.parse.urlsplit(url)
        ok = parts.port is None or parts.port > 0
    except ValueError:  # (urlsplit: "Invalid IPv6 URL"; .port: out of range)
        parts, ok = None, False
    if any(c.isspace() or not c.isprintable() for c in url):
        raise FetchError(f"{flag} {url!r} holds a space or a control character, which no server's URL has: remove it "
                         "(or write a space as %20)")
    if not ok or parts is None or parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(f"{flag} {url!r} is not an http(s) URL with a host, like {CBOE_BASE} or "
                         "http://127.0.0.1:8000: give the scheme and host of the server")


def _probe_address(url: str) -> tuple[str, str, int]:
    """Return (what to name, host, port) that a download of ``url`` connects to first (the proxy when one is set)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or ""
    proxy = urllib.request.getproxies().get(parts.scheme)
    if proxy and not urllib.request.proxy_bypass(host):
        pp = urllib.parse.urlsplit(proxy if "://" in proxy else "http://" + proxy)
        return f"the proxy {pp.hostname}:{pp.port or 80} (for {host})", pp.hostname or "", pp.port or 80
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return (host if parts.port is None else f"{host}:{port}"), host, port


def _check_reachable(urls: list[str], timeout_s: float) -> None:
    """Connect once to each server of ``urls``; raise :class:`FetchError` naming every one that cannot be reached."""
    failures: dict[str, list[str]] = {}
    for name, host, port in dict.fromkeys(_probe_address(u) for u in urls):
        try:
            socket.create_connection((host, port), timeout=timeout_s).close()
        except socket.gaierror as exc:
            failures.setdefault(f"cannot be resolved ({exc})", []).append(name)
        except ConnectionRefusedError as exc:
            failures.setdefault(f"refuses connections ({exc})", []).append(name)
        except (TimeoutError, socket.timeout):
            failures.setdefault(f"did not answer within {timeout_s:g} s", []).append(name)
        except OSError as exc:
            failures.setdefault(f"cannot be reached ({exc})", []).append(name)
    if not failures:
        return
    why = "; ".join(f"{', '.join(names)} {reason}" for reason, names in failures.items())
    wanted = f"{len(urls)} file{'s' if len(urls) != 1 else ''} to download"
    if all(r.startswith("cannot be resolved") for r in failures):  # no DNS answer: off-line (or no DNS)
        raise FetchError(f"no network: {why}, so nothing was fetched ({wanted}): connect to the internet (or set "
                         "https_proxy) and run again, or pass --base-url / --fred-url of a reachable mirror")
    raise FetchError(f"server not reachable: {why}, so nothing was fetched ({wanted}): check the --base-url / "
                     "--fred-url given (or the network, or https_proxy) and run again")


class _Summary(NamedTuple):
    rows: int
    first: dt.date | None
    last: dt.date | None


class _Reject(Exception):
    """A download that must not be cached; the message is the reason."""


class _Late(_Reject):
    """A download not made or not finished within the fetch's deadline (not fetched, rather than refused)."""


class _Job(NamedTuple):
    url: str
    target: Path
    validate: Callable[[Path], _Summary]
    must_reach: dt.date | None  # completeness: the last row must be on or after this day


def _download(url: str, limits: FetchLimits, deadline: float) -> bytes:
    remaining = deadline - time.monotonic()
    if remaining <= 0:
        raise _Late(f"skipped: the fetch's deadline ({limits.deadline_s:g} s) had passed")
    req = urllib.request.Request(url, headers={"User-Agent": "vixhedge-data-fetch"})
    with urllib.request.urlopen(req, timeout=min(limits.timeout_s, remaining)) as resp:
        length = resp.headers.get("Content-Length")
        if length is not None and int(length) > limits.max_bytes:
            raise _Reject(f"{int(length):,} bytes announced, above the cap of {limits.max_bytes:,} bytes")
        chunks, total = [], 0
        while True:
            if time.monotonic() > deadline:
                raise _Late(f"the fetch's deadline ({limits.deadline_s:g} s) passed during the download "
                              f"({total:,} bytes received): the server is too slow")
            try:
                chunk = resp.read1(65536)
            except http.client.IncompleteRead as exc:
                raise _Reject(f"the server closed the connection early ({len(exc.partial) + total:,} bytes)") from None
            if not chunk:
                break
            total += len(chunk)
            if total > limits.max_bytes:
                raise _Reject(f"more than the cap of {limits.max_bytes:,} bytes")
            chunks.append(chunk)
    if length is not None and total != int(length):
        raise _Reject(f"truncated: {total:,} of {int(length):,} bytes received")
    return b"".join(chunks)


def _store(job: _Job, report: FetchReport, *, refresh: bool, force: bool, limits: FetchLimits,
           deadline: float) -> None:
    target = job.target
    if target.exists() and not refresh:
        report.cached.append(target.name)
        return
    try:
        body = _download(job.url, limits, deadline)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            report.not_found.append(job.url)
        else:
            report.failed.append((job.url, f"HTTP {exc.code}"))
        return
    except _Late as exc:
        report.failed.append((job.url, str(exc)))
        return
    except _Reject as exc:
        report.rejected.append(f"{job.url}: {exc}")
        return
    except (urllib.error.URLError, TimeoutError, OSError, http.client.HTTPException, ValueError) as exc:
        report.failed.append((job.url, str(getattr(exc, "reason", None) or exc or type(exc).__name__)))
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        new = job.validate(tmp)
        _check_complete(new, job.must_reach)
        if target.exists() and not force:
            old = _old_summary(job, target)
            if old is not None and old.rows > new.rows:
                raise _Reject(f"would replace the cached {old.rows} rows ({old.first}..{old.last}) with {new.rows} "
                              f"rows ({new.first}..{new.last}): pass --force to accept a shorter file")
        os.replace(tmp, target)
        report.downloaded.append(target.name)
    except LoadError as exc:
        report.rejected.append(f"{job.url}: {exc.problem} (line {exc.line})" if exc.line else f"{job.url}: {exc.problem}")
    except _Reject as exc:
        report.rejected.append(f"{job.url}: {exc}")
    finally:
        tmp.unlink(missing_ok=True)


def _old_summary(job: _Job, target: Path) -> _Summary | None:
    try:
        return job.validate(target)
    except (LoadError, _Reject):
        return None  # a broken or incomplete cached file may be replaced


def _check_complete(s: _Summary, must_reach: dt.date | None) -> None:
    if s.rows == 0:
        raise _Reject("no usable rows")
    if must_reach is not None and s.last is not None and s.last < must_reach:
        raise _Reject(f"incomplete: the rows stop on {s.last}, expected data up to at least {must_reach} "
                      "(truncated, or a stale copy)")


def listed_contracts(start: dt.date, end: dt.date) -> list[calendars.VxContract]:
    """Return the monthly VX contracts settling on or after ``start`` that had listed by ``end``: those settling in
    ``[start, end]`` and those still trading on ``end`` (settling within :data:`LISTING_LEAD_DAYS` after it; the
    farthest may not be listed yet: the server answers "not found", which is reported, not fatal)."""
    last = min(end + dt.timedelta(days=LISTING_LEAD_DAYS), calendars.SUPPORTED_END - dt.timedelta(days=31))
    return calendars.vx_contracts(start, max(last, end))


def fetch_cboe(cache: Path | str, start: dt.date, end: dt.date, *, base_url: str = CBOE_BASE,
               fred_url: str = FRED_BASE, refresh: bool = False, force: bool = False, vix: bool = True,
               indices: bool = True, rates: bool = True, timeout: float = TIMEOUT_S,
               limits: FetchLimits | None = None, today: dt.date | None = None, listed: bool = False) -> FetchReport:
    """Download the VX monthly contracts settling in ``[start, end]`` (``listed``: also those still trading on
    ``end``, :func:`listed_contracts`), VIX, the vol indices and DFF into ``cache``.

    Raises
    ------
    FetchError
        Before any download: ``base_url`` or ``fred_url`` is not an http(s) URL, or a server still to be
        asked cannot be reached (one probe each, :data:`PROBE_S`).
    """
    check_url(base_url, "--base-url")
    check_url(fred_url, "--fred-url")
    cache = Path(cache)
    limits = limits or FetchLimits(timeout_s=timeout)
    today = today or dt.date.today()
    deadline = time.monotonic() + limits.deadline_s
    fresh = min(end, today) - dt.timedelta(days=limits.stale_days)
    jobs = []
    for contract in (listed_contracts if listed else calendars.vx_contracts)(start, end):
        target = cache / "vx" / f"VX_{contract.settlement.isoformat()}.csv"
        expired = contract.settlement < today
        jobs.append(_Job(vx_url(base_url, contract.settlement), target,
                         lambda p, t=target, e=contract.settlement if expired else None: _validate_vx(p, t, e),
                         None if expired else today - dt.timedelta(days=limits.stale_days)))
    if vix:
        jobs.append(_Job(vix_url(base_url), cache / "VIX_History.csv", lambda p: _validate_index(p, "VIX"), fresh))
    for name in INDICES if indices else ():
        jobs.append(_Job(index_url(base_url, name), cache / "indices" / f"{name}_History.csv",
                         lambda p, n=name: _validate_index(p, n), fresh))
    if rates:
        jobs.append(_Job(fred_url.rstrip("/") + _DFF_PATH, cache / "rates" / "DFF.csv", _validate_dff, fresh))
    wanted = [j.url for j in jobs if refresh or not j.target.exists()]
    _check_reachable(wanted, min(PROBE_S, limits.timeout_s, limits.deadline_s))
    (cache / "vx").mkdir(parents=True, exist_ok=True)
    report = FetchReport()
    for job in jobs:
        _store(job, report, refresh=refresh, force=force, limits=limits, deadline=deadline)
    return report


def _first_implausible(bad_rows, name: str) -> None:
    for b in bad_rows:
        if b.implausible:
            raise LoadError(name, b.line, b.reason)


def _validate_vx(tmp: Path, target: Path, settlement: dt.date | None) -> _Summary:
    """Load ``tmp`` under the target's name (the VX loader reads the expiry from the file name)."""
    with tempfile.TemporaryDirectory(dir=tmp.parent) as check_dir:
        probe = Path(check_dir) / target.name
        probe.write_bytes(tmp.read_bytes())
        try:
            panel = load_vx(probe)
        except LoadError as exc:
            raise LoadError(target.name, exc.line, exc.problem) from None
    _first_implausible(panel.bad_rows, target.name)
    rows = panel.rows["trade_date"]
    s = _Summary(len(rows), *(None, None) if rows.empty else (rows.iloc[0].date(), rows.iloc[-1].date()))
    if settlement is not None and s.last != settlement:
        raise _Reject(f"incomplete: the contract settled on {settlement} but the rows stop on {s.last} (truncated)")
    return s


def _validate_index(path: Path, name: str) -> _Summary:
    h = load_cboe_value(path, name) if name == "SKEW" else load_cboe_index(path, name)
    _first_implausible(h.bad_rows, path.name)
    return _Summary(len(h.dates), *(h.span or (None, None)))


def _validate_dff(path: Path) -> _Summary:
    """Check FRED's ``observation_date,DFF`` CSV (the rates loader of feeds.loaders.rates reads it for runs)."""
    t = read_table(path, ("observation_date", "DFF"))
    dates = t.dates("observation_date")
    check_sorted(t, dates, "observation_date", strict=True)
    rate = t.numbers("DFF")
    lo, hi = DFF_RANGE
    bad = (rate < lo) | (rate > hi)
    if bad.any():
        i = int(np.argmax(bad))
        raise t.error(i, f"implausible DFF {rate[i]:g}: outside {lo:g}..{hi:g} percent")
    return _Summary(len(t), dates[0].astype(object), dates[-1].astype(object))
