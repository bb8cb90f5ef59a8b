"""Each sweep point's daily returns on disk, for data-snooping tests over all points (SPA, StepM).

``returns.bin`` in the sweep folder holds one fixed-size record per finished point: the point's
16-character config hash (ASCII) followed by its daily returns as little-endian float64, all records
the same length (the evaluation window is the same for every point of a sweep). Fixed-size records
make a torn tail (a kill or a full disk during a write) detectable and repairable: the file is cut
back to a whole number of records before anything is appended, and a point whose record is missing
is simply absent from the matrix :func:`load` returns (the summary says how many were used).
Records are appended in the order workers finish; :func:`sort` rewrites the file in grid order at the end of a
sweep, a bounded number of records in memory at a time.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from feeds.market import Market
    from vixhedge.sweep_spec import SweepSpec

KEY_BYTES = 16
FILE = "returns.bin"


def _record_bytes(n_days: int) -> int:
    return KEY_BYTES + 8 * n_days


def n_returns(spec: SweepSpec, market: Market) -> int:
    """Return how many daily returns each point's record holds (every point of a sweep shares the window)."""
    from vixhedge.sweep_metrics import evaluation_returns

    start, end = spec.base.run.start, spec.base.run.end
    days = np.array([d for d in market.days if start <= d <= end], dtype="datetime64[D]")
    return len(evaluation_returns(days, spec.in_sample_end, np.ones(1))) if len(days) > 1 else 0


def append(folder: Path, rows: Iterable[tuple[str, np.ndarray]]) -> None:
    """Append (point key, daily returns) records to ``folder/returns.bin``, whole records only, fsynced."""
    rows = list(rows)
    if not rows:
        return
    n_days = len(rows[0][1])
    path = Path(folder) / FILE
    _repair(path, n_days)
    buf = bytearray()
    for key, r in rows:
        k = key.encode("ascii")
        if len(k) != KEY_BYTES or len(r) != n_days:
            raise ValueError(f"returns record for point {key!r}: key must be {KEY_BYTES} chars and every point "
                             f"must have {n_days} days (got {len(r)})")
        buf += k + np.asarray(r, dtype="<f8").tobytes()
    with path.open("ab") as fh:
        fh.write(buf)
        fh.flush()
        os.fsync(fh.fileno())


def _repair(path: Path, n_days: int) -> None:
    """Cut a torn tail (a partial last record) off ``path``."""
    if not path.exists():
        return
    size, rec = path.stat().st_size, _record_bytes(n_days)
    if size % rec:
        with path.open("r+b") as fh:
            fh.truncate(size - size % rec)


SORT_CHUNK_BYTES = 64 << 20  # records moved per write when sorting (memory stays bounded on a huge grid)


def sort(folder: Path, order: dict[str, int], n_days: int) -> None:
    """Rewrite ``folder/returns.bin`` with its records in grid order (``order``: key -> index; keys not in it last,
    in file order), the first record of each key only (:func:`load` reads no other; both as
    :func:`vixhedge.sweep_order.grid_ranked`); whole and atomically (:func:`vixhedge.sweepio.replace_durably`). A file
    already in order is left alone."""
    from vixhedge.sweep_order import grid_ranked
    from vixhedge.sweepio import replace_durably

    path = Path(folder) / FILE
    if not path.exists() or n_days < 1:
        return
    rec = _record_bytes(n_days)
    n, torn = divmod(path.stat().st_size, rec)
    if n == 0 or torn:  # not whole records of this length: left as it is (the next append cuts a torn tail)
        return
    table = np.memmap(path, dtype=np.dtype([("key", f"S{KEY_BYTES}"), ("r", "<f8", (n_days,))]), mode="r",
                      shape=(n,))
    kept = grid_ranked([k.decode("ascii") for k in table["key"].tolist()], order)
    if kept is None:
        return
    idx = np.array(kept, dtype=np.int64)
    step = max(1, SORT_CHUNK_BYTES // rec)

    def write(fh) -> None:
        for lo in range(0, len(idx), step):
            fh.write(table[idx[lo:lo + step]].tobytes())

    replace_durably(path, write)


def recorded(folder: Path, n_days: int) -> set[str]:
    """Return the point keys with a whole record in ``folder/returns.bin`` (none when it is missing)."""
    path = Path(folder) / FILE
    rec = _record_bytes(n_days)
    if not path.exists() or n_days < 1 or path.stat().st_size < rec:
        return set()
    n = path.stat().st_size // rec
    table = np.memmap(path, dtype=np.dtype([("key", f"S{KEY_BYTES}"), ("r", "<f8", (n_days,))]), mode="r",
                      shape=(n,))
    try:
        return {k.decode("ascii") for k in table["key"].tolist()}
    except UnicodeDecodeError:  # (bytes shifted or overwritten by hand: no record can be trusted)
        from vixhedge.core.config import ConfigError

        raise ConfigError(f"{path} is damaged (a record's point key is not text: its records are not whole): delete "
                          "it and rerun the sweep (the points whose daily returns it held run again)") from None


def claim_whole(folder: Path, identity: dict, n_days: int, resumable: Callable[[], None] | None = None,
                rank_by: str | None = None) -> None:
    """:func:`vixhedge.sweep_claim.claim` the folder for the sweep of ``identity`` once it is known to be this sweep's,
    its returns.bin is whole (:func:`recorded`) and ``resumable()`` raised nothing (a resume's own check, e.g.
    :func:`vixhedge.sweep_paths.check_same_paths`): a refusal changes nothing in it."""
    from vixhedge.sweep_claim import check_claim, claim

    held = check_claim(folder, identity)
    if held is not None:  # (another sweep's records have another length: read only once the folder is this one's)
        recorded(folder, n_days)
        if resumable is not None:
            resumable()
    claim(folder, identity, held, rank_by)


def keep_recorded(folder: Path, done: set[str], n_days: int) -> set[str]:
    """Return the points of ``done`` (results.csv's rows, a resume's) whose returns are in returns.bin. A row in
    results.csv means its records are on disk (the sink writes them first); a row without one (returns.bin deleted
    or cut by hand in an interrupted folder: its SPA / StepM would test fewer points) is dropped, said so, and its
    point runs again."""
    from vixhedge.sweepio import record_fields, replace_durably, split_records

    missing = done - recorded(folder, n_days) if done and n_days > 0 else set()
    if missing:
        print(f"sweep: {Path(folder) / FILE} lacks the daily returns of {len(missing)} of the {len(done)} points in "
              "results.csv (deleted or cut, or a folder from before it): their rows are dropped and they run again",
              file=sys.stderr)
        results = Path(folder) / "results.csv"
        records, torn = split_records(results.read_bytes())  # (whole records: read_done cut a torn tail)
        kept = [records[0], *(r for r in records[1:] if record_fields(r)[0] not in missing)]
        replace_durably(results, lambda fh: fh.write(b"".join(kept) + torn))
    return done - missing


def load(folder: Path, keys: Sequence[str], n_days: int) -> tuple[list[str], np.ndarray]:
    """Return (keys found, matrix days x points) of the records of ``keys`` (first record per key wins)."""
    path = Path(folder) / FILE
    if not path.exists() or n_days < 1:
        return [], np.empty((n_days, 0))
    rec = _record_bytes(n_days)
    raw = path.read_bytes()
    raw = raw[: len(raw) - len(raw) % rec]
    dtype = np.dtype([("key", f"S{KEY_BYTES}"), ("r", "<f8", (n_days,))])
    table = np.frombuffer(raw, dtype=dtype)
    first: dict[str, int] = {}
    for i, k in enumerate(table["key"]):
        first.setdefault(k.decode("ascii"), i)
    found = [k for k in keys if k in first]
    return found, table["r"][[first[k] for k in found]].T.copy()
