"""Strict CSV reading shared by the loaders: every cell keeps the file line it came from.

A file is read completely into memory as text (``.gz`` is decompressed; a file whose last line has
no line break is taken as truncated and refused), the header line is found
(an optional preamble, such as the disclaimer line of Cboe's CFE files, is skipped), and every data
line is split with :mod:`csv`. Conversions are vectorised; the first bad cell raises
:class:`LoadError` naming the file, the line and the problem. Nothing is returned on error, so a
caller never holds a partly loaded file.
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import hashlib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter
from pathlib import Path

import numpy as np
import pandas as pd

from feeds.loaders.fileerrors import gzip_words, not_a_file, unreadable_words
from feeds.marketdata import DataError
from vixhedge.core.utf8 import NotUtf8, decode_utf8

__all__ = ["BadRow", "LoadError", "Table", "as_date", "by_kind", "kind_reason", "peek_header", "read_table",
           "sha256_of", "shown", "spans"]

_PREAMBLE_LINES = 5  # header must be among the first lines; Cboe puts at most one disclaimer line before it
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_US = re.compile(r"^\d{1,2}/\d{1,2}/\d{4}$")
_NAN_WORDS = frozenset({"", "nan", "NaN", "NA", "N/A", "null"})
_NUMBER = re.compile(r"\d[\d.\-]*")  # a number in a bad row's reason: blanked to group rows by rule


def shown(cell: str, limit: int = 40) -> str:
    """Return ``repr(cell)`` for a message, cut to at most ``limit`` characters + '...' (a cell of 500 NUL bytes
    would otherwise make a 2,000-character line)."""
    text = repr(cell)
    if len(text) <= limit:
        return text
    k = limit
    while k > 0 and len(repr(cell[:k])) > limit - 2:
        k -= 1
    return repr(cell[:k]) + "..."


class LoadError(DataError):
    """A file is malformed; the message names the file, the line (when known) and the problem."""

    def __init__(self, path: Path | str, line: int | None, problem: str) -> None:
        self.path = str(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}, line {line}" if line is not None else self.path
        super().__init__(f"{where}: {problem}")


@dataclass(frozen=True, slots=True)
class BadRow:
    """A row that parsed but is not usable (reported, never used), with the row's date as its loader parsed it
    (its trade or quote date; None only for a row built without one)."""

    file: str
    line: int
    reason: str
    day: dt.date | None = None

    def __str__(self) -> str:
        return f"{self.file}, line {self.line}: {self.reason}"

    @property
    def implausible(self) -> bool:
        """True for a value that parses but cannot be real (feeds.loaders.plausible)."""
        return self.reason.startswith("implausible")


def as_date(value: np.datetime64 | pd.Timestamp | dt.date) -> dt.date:
    """Return a parsed date cell (``datetime64``, Timestamp or date) as a ``datetime.date``."""
    return pd.Timestamp(value).date()


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@dataclass(frozen=True)
class Table:
    """The raw text cells of one CSV file, by column, with the file line of every row."""

    path: Path
    columns: Mapping[str, np.ndarray]  # canonical name -> object array of stripped strings
    lines: np.ndarray  # 1-based file line of each row
    header_line: int
    sha256: str

    def __len__(self) -> int:
        return len(self.lines)

    @property
    def name(self) -> str:
        return self.path.name

    def error(self, row: int | None, problem: str) -> LoadError:
        return LoadError(self.path, None if row is None else int(self.lines[row]), problem)

    def bad(self, row: int, reason: str, day: np.datetime64 | pd.Timestamp) -> BadRow:
        """Return row ``row`` as a bad row dated ``day`` (the cell :meth:`dates` parsed from the row's date column)."""
        return BadRow(self.path.name, int(self.lines[row]), reason, as_date(day))

    def has(self, column: str) -> bool:
        return column in self.columns

    def text(self, column: str) -> np.ndarray:
        return self.columns[column]

    def dates(self, column: str) -> np.ndarray:
        """Return ``column`` as ``datetime64[D]``; ISO ``YYYY-MM-DD`` or US ``M/D/YYYY`` cells."""
        raw = self.columns[column]
        # a file repeats its dates (a chain file its day on every row): each distinct cell is parsed once
        codes, cells = pd.factorize(raw, use_na_sentinel=False)
        return self._parsed_dates(column, raw, np.asarray(cells, dtype=object), codes)[codes]

    def _parsed_dates(self, column: str, raw: np.ndarray, cells: np.ndarray, codes: np.ndarray) -> np.ndarray:
        """Return the distinct date ``cells`` of ``column`` (``raw`` is ``cells[codes]``) as ``datetime64[D]``."""
        try:  # fast path: all ISO
            if all(_ISO.match(s) for s in cells):
                return cells.astype("datetime64[D]")
        except ValueError:
            pass
        out = np.full(len(cells), np.datetime64("NaT", "D"))
        for pattern, fmt in ((_ISO, "%Y-%m-%d"), (_US, "%m/%d/%Y")):
            mask = np.fromiter((bool(pattern.match(s)) for s in cells), bool, len(cells))
            if mask.any():
                parsed = pd.to_datetime(pd.Series(cells[mask], dtype=object), format=fmt, errors="coerce")
                out[mask] = parsed.to_numpy(dtype="datetime64[ns]").astype("datetime64[D]")
        bad = np.isnat(out)[codes]
        if bad.any():
            i = int(np.argmax(bad))
            what = "missing date" if raw[i] == "" else f"bad date {shown(raw[i])}"
            raise self.error(i, f"column {column!r}: {what} (expected YYYY-MM-DD or M/D/YYYY)")
        return out

    def numbers(self, column: str, *, required: bool = True) -> np.ndarray:
        """Return ``column`` as float64; empty cells are NaN unless ``required``."""
        raw = self.columns[column]
        try:  # fast path: every cell a plain number
            out = raw.astype(np.float64)
        except ValueError:
            out = None
        if out is not None and np.isfinite(out).all():
            return out
        empty = _empty(raw)
        values = pd.to_numeric(pd.Series(raw, dtype=object).where(~empty), errors="coerce")
        out = values.to_numpy(dtype=np.float64, na_value=np.nan)
        text = np.isnan(out) & ~empty
        if text.any():
            i = int(np.argmax(text))
            raise self.error(i, f"column {column!r}: {shown(raw[i])} is not a number")
        if required and empty.any():
            i = int(np.argmax(empty))
            raise self.error(i, f"column {column!r}: value missing: fill it in or delete the row")
        if np.isinf(out).any():
            i = int(np.argmax(np.isinf(out)))
            raise self.error(i, f"column {column!r}: {shown(raw[i])} is not a finite number")
        return out

    def booleans(self, column: str) -> np.ndarray:
        raw = self.columns[column]
        low = np.char.lower(raw.astype(str))
        true, false = np.isin(low, ("true", "1", "yes")), np.isin(low, ("false", "0", "no"))
        bad = ~(true | false)
        if bad.any():
            i = int(np.argmax(bad))
            raise self.error(i, f"column {column!r}: {shown(raw[i])} is not true/false")
        return true


def _empty(raw: np.ndarray) -> np.ndarray:
    return np.fromiter((s in _NAN_WORDS for s in raw), bool, len(raw))


_ZIP = b"PK\x03\x04"  # .xlsx (and every zip file)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls


def _decode(path: Path) -> tuple[str, str]:
    _regular(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, None, unreadable_words(path, exc)) from None
    digest = sha256_of(data)
    if path.suffix == ".gz":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise LoadError(path, None, gzip_words(path, data[:16], exc)) from None
    if data.startswith((_ZIP, _OLE)):  # read as text it is bytes that look like UTF-16: name what it is
        raise LoadError(path, None, "is an Excel workbook (or another zip file), not CSV text: open it in Excel and "
                                    "save it as CSV (File > Save As > CSV UTF-8), then give that file")
    try:
        text = decode_utf8(data, nul=True)  # a NUL in a cell is named by the cell's check
    except NotUtf8 as exc:
        raise LoadError(path, None, str(exc)) from None
    if text.strip() and not text.endswith(("\n", "\r")):
        last = text.splitlines()[-1]
        raise LoadError(path, text.count("\n") + 1, f"the file does not end with a line break: it looks truncated "
                                                     f"(last line {last[-40:]!r}); if it is complete, add a line break")
    return text, digest


def _find_header(lines: list[str], required: Sequence[str], path: Path) -> tuple[int, list[str]]:
    want = {c.lower() for c in required}
    best: tuple[int, int, list[str]] | None = None  # (overlap, line index, names)
    for k, line in enumerate(lines[:_PREAMBLE_LINES]):
        if not line.strip():
            continue
        names = [c.strip() for c in next(csv.reader([line]))]
        overlap = len(want & {n.lower() for n in names})
        if overlap == len(want):
            return k, names
        if best is None or overlap > best[0]:
            best = (overlap, k, names)
    if best is None:
        raise LoadError(path, None, "file is empty (no header line)")
    _, k, names = best
    have = {n.lower() for n in names}
    missing = [c for c in required if c.lower() not in have]
    raise LoadError(path, k + 1, f"missing column(s) {missing}; the header has {names}")


def read_table(path: Path | str, required: Sequence[str], optional: Sequence[str] = ()) -> Table:
    """Read ``path`` and return the cells of the ``required`` and ``optional`` columns.

    Column names are matched case-insensitively after stripping spaces and are returned under
    the spelling given in ``required``/``optional``. A data line may carry one extra trailing
    empty field (Cboe's CFE files do); any other field count is an error. Blank lines are skipped.
    """
    path = Path(path)
    text, digest = _decode(path)
    lines = text.splitlines()
    k, names = _find_header(lines, required, path)
    lower = [n.lower() for n in names]
    if len(set(lower)) != len(lower):
        dup = sorted({n for n in names if lower.count(n.lower()) > 1})
        raise LoadError(path, k + 1, f"duplicate column name(s) {dup}")
    wanted = {c: lower.index(c.lower()) for c in (*required, *optional) if c.lower() in lower}
    width = len(names)
    rows, numbers, spaced = _split_rows(lines, k, width, path)
    if not rows:
        raise LoadError(path, k + 1, "no data rows after the header (an empty or cut file)")
    cols = {c: _column(rows, j, spaced) for c, j in wanted.items()}
    return Table(path, cols, np.asarray(numbers, dtype=np.int64), k + 1, digest)


def _split_rows(lines: list[str], k: int, width: int, path: Path) -> tuple[list[list[str]], list[int], bool]:
    """Return the data rows, their file lines, and whether any cell may need stripping."""
    body = lines[k + 1:]
    joined = "\n".join(body)
    if '"' in joined:
        reader = csv.reader(body)
        parsed = [(k + 1 + reader.line_num, fields) for fields in reader]
    else:  # no quoting anywhere: a plain split is the csv result, several times faster
        split = [line.split(",") for line in body]
        if all(len(fields) == width for fields in split):  # every row whole (the usual file): nothing to drop or trim
            return split, list(range(k + 2, k + 2 + len(body))), (" " in joined or "\t" in joined)
        parsed = [(k + 2 + n, fields) for n, fields in enumerate(split)]
    rows: list[list[str]] = []
    numbers: list[int] = []
    for line_no, fields in parsed:
        if len(fields) != width:
            if not fields or (len(fields) == 1 and not fields[0].strip()):
                continue
            if len(fields) == width + 1 and not fields[-1].strip():
                fields = fields[:-1]
            else:
                raise LoadError(path, line_no, f"expected {width} fields like the header, got {len(fields)}: fix "
                                "the row (quote a value that holds a comma) or the header")
        rows.append(fields)
        numbers.append(line_no)
    return rows, numbers, (" " in joined or "\t" in joined)


def _column(rows: list[list[str]], j: int, spaced: bool) -> np.ndarray:
    cells = list(map(itemgetter(j), rows))
    if spaced:
        cells = list(map(str.strip, cells))
    out = np.empty(len(cells), dtype=object)  # (np.array of a list of str of one length would be the same)
    out[:] = cells
    return out


def peek_header(path: Path | str) -> list[str]:
    """Return the stripped column names of the first non-empty line of ``path`` (no validation)."""
    path = Path(path)
    _regular(path)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rt", encoding="utf-8-sig", newline="") as fh:  # type: ignore[operator]
            for line in fh:
                if line.strip():
                    return [c.strip() for c in next(csv.reader([line]))]
    except UnicodeDecodeError:
        _decode(path)  # the whole file fails as its first lines did: one line naming what its bytes are
        raise
    except (OSError, EOFError) as exc:
        if isinstance(exc, gzip.BadGzipFile) or isinstance(exc, EOFError):
            raise LoadError(path, None, gzip_words(path, _head(path), exc)) from None
        raise LoadError(path, None, unreadable_words(path, exc)) from None
    raise LoadError(path, None, "file is empty (no header line)")


def _regular(path: Path) -> None:
    """Raise LoadError, before a byte is read, where ``path`` is there but no regular file (:func:`not_a_file`): a FIFO
    with no writer blocked for ever, /dev/zero was read until memory ran out (trial FUZZ33 M2, L7)."""
    if why := not_a_file(path):
        raise LoadError(path, None, why)


def _head(path: Path) -> bytes:
    with open(path, "rb") as fh:
        return fh.read(16)


def check_sorted(table: Table, keys: np.ndarray, what: str, *, strict: bool) -> None:
    """Raise when ``keys`` (one per row) decrease, or repeat when ``strict``."""
    if len(keys) < 2:
        return
    step = keys[1:] < keys[:-1]
    if step.any():
        i = int(np.argmax(step)) + 1
        raise table.error(i, f"rows are not sorted by {what}: {_fmt(keys[i])} comes after {_fmt(keys[i - 1])}")
    if strict:
        same = keys[1:] == keys[:-1]
        if same.any():
            i = int(np.argmax(same)) + 1
            raise table.error(i, f"duplicate row for {what} {_fmt(keys[i])} (first on line {table.lines[i - 1]})")


def check_unique(table: Table, keys: np.ndarray, describe: Callable[[int], str]) -> None:
    """Raise when two rows share a key; ``describe(i)`` names the key of row ``i``."""
    order = np.argsort(keys, kind="stable")
    same = keys[order][1:] == keys[order][:-1]
    if same.any():
        k = int(np.argmax(same))
        first, again = int(order[k]), int(order[k + 1])
        raise table.error(again, f"duplicate row for {describe(again)}; first on line {table.lines[first]}")


def _fmt(value: object) -> str:
    if isinstance(value, np.datetime64):
        return str(value.astype("datetime64[D]"))
    if isinstance(value, (pd.Timestamp, dt.datetime)):
        return value.date().isoformat()
    return str(value)


def by_kind(rows: Iterable[BadRow]) -> dict[str, list[BadRow]]:
    """Return ``rows`` grouped by rule (their reason with its numbers blanked), in order of first appearance."""
    groups: dict[str, list[BadRow]] = {}
    for b in rows:
        groups.setdefault(_NUMBER.sub("#", b.reason), []).append(b)
    return groups


def kind_reason(rows: Sequence[BadRow]) -> str:
    """Return the common reason of one :func:`by_kind` group: a number every row shares is kept, one that varies
    reads ``<varies>``."""
    values = [_NUMBER.findall(b.reason) for b in rows]
    parts = _NUMBER.split(rows[0].reason)
    out = parts[0]
    for k, text in enumerate(parts[1:]):
        slot = {v[k] for v in values}
        out += (slot.pop() if len(slot) == 1 else "<varies>") + text
    return out


def spans(runs: Sequence[tuple], limit: int, more: str = ", ...") -> str:
    """Return the first ``limit`` (first, last) date runs as ``a..b`` (``a`` for one day), joined by ", ", then
    ``more`` when some are left out (``{n}`` in it is replaced by their count)."""
    text = ", ".join(f"{a}..{b}" if a != b else str(a) for a, b, *_ in runs[:limit])
    return text + (more.replace("{n}", str(len(runs) - limit)) if len(runs) > limit else "")
