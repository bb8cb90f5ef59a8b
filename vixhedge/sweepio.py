"""A sweep's output folder: an exclusive lock, whole-row appends, torn-tail repair, failed points.

* :func:`output_lock` holds an exclusive ``flock`` on ``OUT/.sweep.lock`` while a sweep runs (a second sweep into
  the folder stops at once, naming the holder's pid); a non-empty folder holding no sweep is refused first
  (:func:`check_folder`).
* :func:`vixhedge.sweep_claim.claim` records the spec's identity in ``OUT/spec.json`` and refuses a folder holding
  another spec's sweep (its rows would mix), or this spec's on other data files or code (``check_claim``, which
  changes nothing).
* :func:`append_rows` writes a batch's rows as ONE fsynced ``write`` on an ``O_APPEND`` descriptor; a failed write
  (disk full) is cut back to the size before the batch: no partial row, one line.
* :func:`read_done` cuts a torn last row (no line break, or the wrong number of fields: said so) before a resume;
  the header must equal the spec's columns (an older folder keeps its own, said: :func:`folder_fields`); rows are
  whole CSV records (:func:`split_records`). :func:`vixhedge.sweep_returns.keep_recorded` drops a row whose daily
  returns returns.bin lacks: its point runs again.
* Failed points (an exception, or a worker dead ``retries + 1`` times) go to ``failed.csv``; a rerun retries them.
* A finished sweep records its files' sha256 in ``OUT/output_files.json`` (:func:`record_outputs`; not report.html
  and figures/, which ``vixhedge report`` rewrites): ``vixhedge report`` refuses a folder whose files differ
  (:func:`damaged_output`); a rerun refuses one whose kept rows differ, then deletes the record, the page and its
  figures before it changes a file (``vixhedge.sweep_claim.drop_stale``: a rerun that writes no new row and ranks
  by the same metric keeps them, trial FUZZ37 H1): a folder mid-sweep has none and is checked for torn rows only.
* Rows are appended as workers finish; :mod:`vixhedge.sweep_order` rewrites the files in grid order at the end.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import hashlib
import io
import json
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO

from vixhedge.atomic import write_file, write_with
from vixhedge.core.config import ConfigError

__all__ = ["BASE_FILE", "FAILED_FIELDS", "FIGURES", "KEPT", "OUTPUTS_FILE", "PAGE", "SPEC_COPY", "SPEC_FILE",
           "append_rows", "check_folder", "damaged_output", "folder_fields", "output_lock", "read_done",
           "record_outputs", "refusal", "read_keys", "record_fields", "replace_durably", "say_older_header",
           "split_records"]

LOCK_NAME = ".sweep.lock"
SPEC_FILE = "spec.json"  # the identity of the spec whose sweep the folder holds (:func:`claim`)
OUTPUTS_FILE = "output_files.json"  # the sha256 of a finished sweep's files (:func:`record_outputs`)
PAGE, FIGURES = "report.html", "figures"  # a finished sweep's page, its figures' PNGs (not hashed: report rewrites)
BASE_FILE = "base.toml"  # the resolved [base] config every point starts from (vixhedge.sweep.write_inputs)
SPEC_COPY = "spec.toml"  # a copy of the spec file the CLI ran (its bytes)
HASHED = ("base.toml", "best_nav.csv", "failed.csv", "invalid.csv", "paths.csv", "paths.json", "results.csv",
          "returns.bin", "spec.toml", "summary.json")
KEPT = ("paths.csv", "results.csv", "returns.bin")  # what a rerun keeps of a finished sweep (it rewrites the rest)
# what a sweep writes in its folder (a folder holding only these, without spec.json, is a sweep's from before it)
SWEEP_FILES = {LOCK_NAME, SPEC_FILE, OUTPUTS_FILE, BASE_FILE, SPEC_COPY, "results.csv", "failed.csv", "invalid.csv",
               "paths.csv", "paths.json", "returns.bin", "summary.json", PAGE, FIGURES, "best_nav.csv"}
FAILED_FIELDS = ["point", "params", "error"]
_HELD: set[str] = set()  # folders this process holds (flock is per open file: do not lock twice)


@contextlib.contextmanager
def output_lock(out_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``out_dir`` (re-entrant within one process)."""
    key = str(out_dir.resolve())
    if key in _HELD:
        yield
        return
    check_folder(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    fd = _lock(out_dir)
    try:
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        _HELD.add(key)
        try:
            yield
        finally:
            _HELD.discard(key)
            (out_dir / LOCK_NAME).unlink(missing_ok=True)  # still locked: no other sweep holds this file
    finally:
        os.close(fd)


def _lock(out_dir: Path) -> int:
    """Return a descriptor holding the flock of ``out_dir/.sweep.lock``; retried when the file locked is one an
    ending sweep removed meanwhile (its name then names another file, or none)."""
    path = out_dir / LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip() or "?"
            os.close(fd)
            raise ConfigError(f"sweep output folder {out_dir} is in use by another sweep (pid {holder}): wait for "
                              "it to finish or give another --out") from None
        try:
            if os.stat(path).st_ino == os.fstat(fd).st_ino:
                return fd
        except FileNotFoundError:
            pass
        os.close(fd)


def check_folder(out_dir: Path) -> None:
    """Raise ConfigError (nothing written) when ``out_dir`` exists, is not empty and holds no sweep."""
    if not out_dir.is_dir():
        return
    names = {p.name for p in out_dir.iterdir()}
    temporary = tuple(f".{n}." for n in SWEEP_FILES)  # a killed sweep's half-written files (invalid.csv, report)
    if SPEC_FILE in names or all(n in SWEEP_FILES or n.startswith(temporary) for n in names):
        return
    what = "a `vixhedge run` folder" if "manifest.json" in names else "not empty and holds no sweep"
    n = f"{len(names)} entr{'y' if len(names) == 1 else 'ies'}"
    raise ConfigError(f"sweep output folder {out_dir} is {what} ({n}, e.g. {', '.join(sorted(names)[:3])}): give "
                      "another --out (a new or empty folder, or an earlier sweep's to resume it)")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):  # returns.bin may be 100 MB: in chunks
            digest.update(chunk)
    return digest.hexdigest()


def record_outputs(out_dir: Path, names: Sequence[str] = HASHED) -> Path:
    """Write ``out_dir/output_files.json``: the sha256 of each file of ``names`` (:data:`HASHED`: a sweep's; a
    walk-forward's stitched files) the finished folder holds."""
    files = {n: _sha256(out_dir / n) for n in names if (out_dir / n).is_file()}
    path = out_dir / OUTPUTS_FILE
    write_file(path, json.dumps({"output_files": files}, indent=2, sort_keys=True) + "\n")
    return path


def refusal(name: str) -> str | None:
    """The fix when a rerun (:func:`claim`) refuses a folder whose ``name`` :func:`damaged_output` found: a file the
    rerun would keep, or output_files.json itself (unreadable: the kept files cannot be checked); None when the rerun
    rewrites the file."""
    if name in KEPT:
        return "delete the folder and rerun the sweep (a rerun would keep its rows), or restore the file"
    if name == OUTPUTS_FILE:
        return ("delete the folder and rerun the sweep (the rows a rerun would keep cannot be checked), or restore "
                "the file")
    return None


def damaged_output(out_dir: Path, names: Sequence[str] = HASHED, writer: str = "a sweep",
                   when: str = "the sweep finished") -> tuple[str, str] | None:
    """Return (name, why) of the first of ``names`` that differs from (or lacks) the sha256 output_files.json
    recorded when the sweep finished, or of output_files.json when it cannot be read (none of ``names`` can then be
    checked); None when each is intact or nothing is recorded (a folder mid-sweep). ``writer`` / ``when``: what
    wrote the record, and when, in the lines (a `compare --period all` folder's too)."""
    record = out_dir / OUTPUTS_FILE
    if not record.is_file():
        return None
    try:
        files = json.loads(record.read_text(encoding="utf-8"))["output_files"]
        files = {str(k): str(v) for k, v in files.items()}
    except (ValueError, UnicodeDecodeError, KeyError, TypeError, AttributeError):
        return OUTPUTS_FILE, f"{record} is damaged (not the JSON {writer} writes)"
    for name in sorted(set(files) & set(names)):
        path = out_dir / name
        if not path.is_file():
            return name, f"{path} is missing (it was written: {OUTPUTS_FILE} records it)"
        if _sha256(path) != files[name]:
            return name, (f"{path} is damaged or was edited: its sha256 is not the one {OUTPUTS_FILE} recorded when "
                          f"{when}")
    return None


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


def split_records(data: bytes) -> tuple[list[bytes], bytes]:
    """Return (the whole CSV records of ``data``, each with its line break; the bytes after the last one).

    A record ends at a line break outside quotes (an even number of ``"`` before it in the record: the csv module
    quotes every field holding a quote, comma or line break, and doubles the quotes inside), so a quoted field
    holding line breaks stays in its record; the bytes of each record are those of the file."""
    pieces = data.split(b"\n")
    tail = pieces.pop()
    records: list[bytes] = []
    open_: list[bytes] = []
    quotes = 0
    for piece in pieces:
        open_.append(piece)
        quotes += piece.count(b'"')
        if quotes % 2 == 0:
            records.append(b"\n".join(open_) + b"\n")
            open_, quotes = [], 0
    return records, b"\n".join([*open_, tail])


def record_fields(record: bytes) -> list[str]:
    """The fields of one whole CSV record (:func:`split_records`)."""
    return next(csv.reader([record.decode(errors="replace")]), None) or [""]


def read_done(path: Path, fields: list[str]) -> set[str]:
    """Return the point keys already in ``path`` after repairing a torn tail (see the module docstring)."""
    if not path.exists() or path.stat().st_size == 0:
        return set()
    data = path.read_bytes()
    records, torn = split_records(data)
    if not records:
        os.truncate(path, 0)
        return set()
    header = record_fields(records[0])
    old = header == _before_ruin_date(fields)  # a folder from before ruin_date: the same rows in today's columns
    if header != fields and not old:
        raise ConfigError(f"{path} has the columns {header}, but this sweep writes {fields}: give another --out "
                          "(a folder holds one sweep)")
    cut = len(data) - len(torn)
    if len(records) > 1 and len(record_fields(records[-1])) != len(header):
        cut -= len(records.pop())
    if cut != len(data):
        print(f"sweep: {path}: cut a torn last row ({len(data) - cut} bytes, an interrupted write); its point runs "
              "again", file=sys.stderr)
        os.truncate(path, cut)
    if old:
        _add_ruin_date(path, len(header), header.index("ruined"))
        return read_done(path, fields)
    return {record_fields(r)[0] for r in records[1:] if r.strip()}


def folder_fields(path: Path, fields: list[str], say: bool = True) -> list[str]:
    """The columns a sweep writes in results.csv ``path``: ``fields``, or without the columns added since the file
    was written (``sweep_metrics.LATER_FIELDS``: the condor P&L, the CVaR, the capital), so that it still resumes
    (said in one line: :func:`say_older_header`, here unless ``say`` is False)."""
    from vixhedge.sweep_metrics import LATER_FIELDS

    if not path.exists() or path.stat().st_size == 0:
        return fields
    with path.open("rb") as fh:  # (its header: one line)
        header = record_fields(fh.readline())
    for k in range(len(LATER_FIELDS)):  # the oldest layout first: a folder from before the condor P&L has no CVaR
        later = LATER_FIELDS[k:]
        old = [f for f in fields if not any(f in cols for _, cols in later)]
        if old != fields and header in (old, _before_ruin_date(old)):
            if say:
                say_older_header(path, old)
            return old
    return fields  # (a new folder's header, or another sweep's: read_done says which)


def say_older_header(path: Path, fields: list[str]) -> None:
    """Say that results.csv ``path``, written before the later columns ``fields`` lacks, keeps its header (a sweep
    says it once the folder is known to hold this sweep: review 17b saw it before a refusal)."""
    from vixhedge.sweep_metrics import LATER_FIELDS

    later = [(n, cols) for n, cols in LATER_FIELDS if cols[0] not in fields]
    if later:
        print(f"sweep: {path} was written before the {' and '.join(n for n, _ in later)} columns "
              f"({', '.join(c[0] for _, c in later)}): it keeps its header, so its rows (and those this run adds) "
              "have none (a new --out folder has them)", file=sys.stderr)


def _before_ruin_date(fields: list[str]) -> list[str] | None:
    """The columns a sweep wrote before ``ruin_date`` (``ruined`` held the ruin day, empty when not ruined)."""
    return [f for f in fields if f != "ruin_date"] if "ruin_date" in fields and "ruined" in fields else None


def _add_ruin_date(path: Path, n_fields: int, at: int) -> None:
    """Rewrite a results.csv from before ``ruin_date`` in today's columns, whole and atomically: ``ruined`` becomes
    True / False and ``ruin_date`` (after it) the day it held. Torn tails are cut before (:func:`read_done`)."""
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    for i, row in enumerate(rows):
        if len(row) == n_fields:
            day = row[at]
            row[at:at + 1] = ["ruined", "ruin_date"] if i == 0 else [str(bool(day)), day]
        w.writerow(row)
    replace_durably(path, lambda fh: fh.write(buf.getvalue().encode()))
    print(f"sweep: {path}: the ruined column (the ruin day, empty when not ruined) is now ruined (True / False) and "
          "ruin_date (a folder from before ruin_date; every row kept)", file=sys.stderr)


def read_keys(path: Path) -> set[str]:
    """Return the ``point`` keys of a results or failed CSV (empty when absent)."""
    if not path.exists():
        return set()
    with path.open(newline="") as fh:
        return {row["point"] for row in csv.DictReader(fh) if row.get("point")}


def replace_durably(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write a new ``path`` through ``write(binary file)``, fsynced, in place of the old one at one instant
    (:func:`vixhedge.atomic.write_with`), after deleting the temporary files of a killed sweep's rewrite (safe: the
    folder's lock is held)."""
    for stale in path.parent.glob(f".{path.name}.*.tmp"):
        stale.unlink(missing_ok=True)
    write_with(path, write, durable=True)
