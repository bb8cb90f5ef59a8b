"""One load per data file signature and process, for the files a market build reads beside its data directory.

:func:`feeds.directory.load_directory` caches the directory per file signature; the short-rate file and the wide
vol-index table were parsed again on every :func:`feeds.market.build_market` (``compare --period all`` builds a
market per period: trial PERF36 item 4, 2.4 s of rates and 1.5 s of vol indices over 9 periods). :func:`once`
returns the value loaded before for a file whose signature (resolved path, sha256 of its bytes) is unchanged, else
loads it again. A cached value is shared between the markets built from it: nothing mutates them (a frozen
RateSeries; a frame every reader reindexes or selects from).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

__all__ = ["CACHE_SIZE", "clear", "once", "signature"]

T = TypeVar("T")
CACHE_SIZE = 4  # entries (a rate series or a vol-index frame each, a few MB), the oldest evicted first
_CACHE: dict[tuple, tuple] = {}


def signature(path: Path | str) -> tuple[str, str]:
    """Return what tells one version of the file at ``path`` from another: its resolved path and the sha256 of its
    bytes (a few hundred kB here: about a millisecond, where a size and mtime miss a same-size rewrite within the
    file system's clock tick)."""
    p = Path(path).resolve()
    return str(p), hashlib.sha256(p.read_bytes()).hexdigest()


def once(kind: str, path: Path | str, load: Callable[[], T], *made_from: object) -> T:
    """Return ``load()`` (which reads the file at ``path``: its ``kind`` of load), loaded once per signature of the
    file (:func:`signature`) and per identity of ``made_from`` (the objects the value also depends on, e.g. the data
    directory whose rules and VIX closes screen a vol-index file: held by the entry, so their ids stay theirs); a
    changed file is loaded again. What ``load`` raises is raised each time (nothing is cached)."""
    key = (kind, signature(path), *map(id, made_from))
    hit = _CACHE.get(key)
    if hit is not None:
        return hit[0]
    value = load()
    while len(_CACHE) >= CACHE_SIZE:
        del _CACHE[next(iter(_CACHE))]
    _CACHE[key] = (value, made_from)
    return value


def clear() -> None:
    """Forget every cached load."""
    _CACHE.clear()
