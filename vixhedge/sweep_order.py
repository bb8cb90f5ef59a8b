"""A finished sweep's per-point files in grid order, so the same spec gives the same bytes however the work was
scheduled or interrupted.

Rows are appended in the order workers finish (:func:`vixhedge.sweepio.append_rows`); at the end of a sweep
:func:`sort_outputs` rewrites results.csv, paths.csv, failed.csv (:func:`sort_rows`) and returns.bin
(:func:`vixhedge.sweep_returns.sort`) in grid order, each whole and atomically (the same rows, the first of each
point only, so a kill at any instant leaves a file a resume reads); :func:`grid_ranked` is the order both use.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

from vixhedge.sweepio import record_fields, replace_durably, split_records

__all__ = ["grid_ranked", "sort_outputs", "sort_rows"]


def sort_rows(path: Path, order: dict[str, int]) -> None:
    """Rewrite the CSV ``path`` (header, then rows whose first field is a point key) with its rows in grid order
    (``order``: key -> index; a key not in it goes last, in file order), the first row of each key only (a point
    rerun after a kill before its results row: returns.bin keeps its first record too); a file already so is left
    alone.

    Whole records are moved (:func:`split_records`: a quoted field may hold line breaks), never re-formatted, so
    the rewrite changes their order only.
    """
    if not path.is_file() or path.stat().st_size == 0:
        return
    data = path.read_bytes()
    records, torn = split_records(data)
    if torn or not records:  # a torn last row: the next run's repair cuts it, nothing is reordered
        return
    header, body = records[0], records[1:]
    kept = grid_ranked([record_fields(rec)[0] for rec in body], order)
    if kept is not None:
        replace_durably(path, lambda fh: fh.write(header + b"".join(body[i] for i in kept)))


def grid_ranked(keys: Sequence[str], order: Mapping[str, int]) -> list[int] | None:
    """Return the positions in ``keys`` (a file's point keys, in file order) of the first of each key, sorted by
    the key's index in ``order`` (a key not in it last; ties in file order); None when that is every position in
    turn (the file is already so: nothing to rewrite). :func:`sort_rows` and :func:`vixhedge.sweep_returns.sort`
    order their files by it."""
    first: dict[str, int] = {}
    for i, k in enumerate(keys):
        first.setdefault(k, i)
    ranked = sorted(first.values(), key=lambda i: order.get(keys[i], len(order)))  # stable: file order
    return None if ranked == list(range(len(keys))) else ranked


def sort_outputs(out_dir: Path, order: dict[str, int], n_days: int) -> None:
    """Rewrite the folder's per-point files in grid order (``order``: key -> index), each whole and atomically:
    the same rows and records (the first of each point), so a resume reads them as before (:func:`sort_rows`,
    vixhedge.sweep_returns.sort)."""
    from vixhedge import sweep_returns
    from vixhedge.sweep_paths import PATH_RECORDS

    for name in ("results.csv", PATH_RECORDS, "failed.csv"):
        sort_rows(out_dir / name, order)
    sweep_returns.sort(out_dir, order, n_days)
