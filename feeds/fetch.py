"""``vixhedge data fetch``: download Cboe's public VX per-contract files and VIX history to a cache.

Files (Cboe's public URLs; ``base_url`` replaces the ``https://cdn.cboe.com`` part, e.g. for a
mirror or a test server):

* ``{base}/data/us/futures/market_statistics/historical_data/VX/VX_{YYYY-MM-DD}.csv`` for every
  monthly VX contract settling in the requested span (Cboe's current archive starts in 2013;
  earlier contracts are in the CFE archive layout, not fetched here);
* ``{base}/api/global/us_indices/daily_prices/VIX_History.csv``.

They land in ``cache/vx/`` and ``cache/VIX_History.csv``: the standard layout of
:mod:`feeds.directory` once an ``spx.csv`` is added. Every download is validated with the loader
of its layout before it replaces anything in the cache (written to a temporary name, loaded,
then renamed): a malformed or truncated file is reported and never cached. Files already in the
cache are kept unless ``refresh``; a contract whose file is absent on the server (HTTP 404) is
reported, not fatal. Only the standard library is used (``urllib``), with a timeout.
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from feeds import calendars
from feeds.loaders import LoadError
from feeds.loaders.index import load_cboe_index
from feeds.loaders.vx import load_vx

__all__ = ["CBOE_BASE", "FetchReport", "fetch_cboe", "vix_url", "vx_url"]

CBOE_BASE = "https://cdn.cboe.com"
_VX_PATH = "/data/us/futures/market_statistics/historical_data/VX/VX_{expiry}.csv"
_VIX_PATH = "/api/global/us_indices/daily_prices/VIX_History.csv"
TIMEOUT_S = 30.0


def vx_url(base: str, expiry: dt.date) -> str:
    return base.rstrip("/") + _VX_PATH.format(expiry=expiry.isoformat())


def vix_url(base: str) -> str:
    return base.rstrip("/") + _VIX_PATH


@dataclass
class FetchReport:
    """What a fetch did, file by file."""

    downloaded: list[str] = field(default_factory=list)
    cached: list[str] = field(default_factory=list)
    not_found: list[str] = field(default_factory=list)
    rejected: list[str] = field(default_factory=list)  # "url: reason"

    @property
    def ok(self) -> bool:
        return not self.rejected

    def lines(self) -> list[str]:
        out = [(f"downloaded {len(self.downloaded)}, already cached {len(self.cached)}, "
                f"not on the server {len(self.not_found)}, rejected {len(self.rejected)}")]
        out += [f"  not found: {u}" for u in self.not_found]
        out += [f"  rejected: {r}" for r in self.rejected]
        return out


def _download(url: str, timeout: float) -> bytes:
    req = urllib.request.Request(url, headers={"User-Agent": "vixhedge-data-fetch"})
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.read()


def _store(url: str, target: Path, validate: Callable[[Path], object], report: FetchReport, refresh: bool,
           timeout: float) -> None:
    if target.exists() and not refresh:
        report.cached.append(target.name)
        return
    try:
        body = _download(url, timeout)
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            report.not_found.append(url)
        else:
            report.rejected.append(f"{url}: HTTP {exc.code}")
        return
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        report.rejected.append(f"{url}: {getattr(exc, 'reason', exc)}")
        return
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(body)
        validate(tmp)
        os.replace(tmp, target)
        report.downloaded.append(target.name)
    except LoadError as exc:
        report.rejected.append(f"{url}: {exc.problem} (line {exc.line})" if exc.line else f"{url}: {exc.problem}")
    finally:
        tmp.unlink(missing_ok=True)


def fetch_cboe(cache: Path | str, start: dt.date, end: dt.date, *, base_url: str = CBOE_BASE,
               refresh: bool = False, vix: bool = True, timeout: float = TIMEOUT_S) -> FetchReport:
    """Download the VX monthly contracts settling in ``[start, end]`` (and VIX history) into ``cache``."""
    cache = Path(cache)
    (cache / "vx").mkdir(parents=True, exist_ok=True)
    report = FetchReport()
    for contract in calendars.vx_contracts(start, end):
        target = cache / "vx" / f"VX_{contract.settlement.isoformat()}.csv"
        _store(vx_url(base_url, contract.settlement), target, lambda p, t=target: _validate_vx(p, t), report,
               refresh, timeout)
    if vix:
        target = cache / "VIX_History.csv"
        _store(vix_url(base_url), target, load_cboe_index, report, refresh, timeout)
    return report


def _validate_vx(tmp: Path, target: Path) -> None:
    """Load ``tmp`` under the target's name (the VX loader reads the expiry from the file name)."""
    with tempfile.TemporaryDirectory(dir=tmp.parent) as check_dir:
        probe = Path(check_dir) / target.name
        probe.write_bytes(tmp.read_bytes())
        try:
            load_vx(probe)
        except LoadError as exc:
            raise LoadError(target.name, exc.line, exc.problem) from None
