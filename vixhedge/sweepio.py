"""A sweep's output folder: an exclusive lock, whole-row appends, torn-tail repair, failed points.

* :func:`output_lock` holds an exclusive ``flock`` on ``OUT/.sweep.lock`` for the life of a sweep; a
  second sweep into the same folder stops at once with one line naming the holder's pid.
* :func:`append_rows` writes a batch's rows as ONE ``write`` on an ``O_APPEND`` descriptor, then
  fsyncs; if the write fails (disk full) the file is cut back to its size before the batch, so
  no partial row is left and the error is one line.
* :func:`read_done` repairs a torn tail before a resume: a last line without its line break, or with
  the wrong number of fields, is cut off (and said so); the header must equal the spec's columns.
* Points that fail (an exception, or a worker that died ``retries + 1`` times running them) go to
  ``failed.csv`` (point, params, error); a rerun tries them again.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from vixhedge.core.config import ConfigError

__all__ = ["FAILED_FIELDS", "append_rows", "output_lock", "read_done", "read_keys"]

LOCK_NAME = ".sweep.lock"
FAILED_FIELDS = ["point", "params", "error"]
_HELD: set[str] = set()  # folders this process holds (flock is per open file: do not lock twice)


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out_dir`` (re-entrant within one process)."""
    key = str(out_dir.resolve())
    if key in _HELD:
        yield
        return
    out_dir.mkdir(parents=True, exist_ok=True, mode=0o755)
    fd = os.open(out_dir / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            raise ConfigError(f"sweep output folder {out_dir} is in use by another sweep (pid {holder}): wait for "
                              "it to finish or give another --out") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _HELD.add(key)
        try:
            yield
        finally:
            _HELD.discard(key)
    finally:
        os.close(fd)


def _format(rows: list[dict[str, Any]], fields: list[str], header: bool) -> bytes:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    if header:
        w.writeheader()
    for r in rows:
        w.writerow({k: (f"{v:.10g}" if isinstance(v, float) else v) for k, v in r.items()})
    return buf.getvalue().encode()


def append_rows(path: Path, rows: list[dict[str, Any]], fields: list[str]) -> None:
    """Append ``rows`` whole (one write + fsync), with the header first in a new file."""
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        size = os.fstat(fd).st_size
        data = _format(rows, fields, header=size == 0)
        try:
            written = os.write(fd, data)
            if written != len(data):
                raise OSError(28, f"short write ({written} of {len(data)} bytes)")
            os.fsync(fd)
        except OSError as exc:
            os.ftruncate(fd, size)  # never leave part of a row behind
            raise ConfigError(f"sweep: cannot write {path} ({exc.strerror or exc}): free space or fix the folder, "
                              "then rerun the same command to resume (finished points are kept)") from None
    finally:
        os.close(fd)


def read_done(path: Path, fields: list[str]) -> set[str]:
    """Return the point keys already in ``path`` after repairing a torn tail (see the module docstring)."""
    if not path.exists() or path.stat().st_size == 0:
        return set()
    data = path.read_bytes()
    cut = len(data)
    if not data.endswith(b"\n"):
        cut = data.rfind(b"\n") + 1
    lines = data[:cut].decode(errors="replace").splitlines()
    if not lines:
        os.truncate(path, 0)
        return set()
    header = next(csv.reader([lines[0]]))
    if header != fields:
        raise ConfigError(f"{path} has the columns {header}, but this sweep writes {fields}: give another --out "
                          "(a folder holds one sweep)")
    if len(lines) > 1 and len(next(csv.reader([lines[-1]]))) != len(fields):
        cut -= len(lines[-1].encode()) + 1
        lines = lines[:-1]
    if cut != len(data):
        print(f"sweep: {path}: cut a torn last row ({len(data) - cut} bytes, an interrupted write); its point runs "
              "again", file=sys.stderr)
        os.truncate(path, cut)
    return {row[0] for row in csv.reader(lines[1:]) if row}


def read_keys(path: Path) -> set[str]:
    """Return the ``point`` keys of a results or failed CSV (empty when absent)."""
    if not path.exists():
        return set()
    with path.open(newline="") as fh:
        return {row["point"] for row in csv.DictReader(fh) if row.get("point")}
