"""The option chain files of a data directory, loaded file by file; stale copies are skipped, not fatal.

A chain folder often holds one file per day (``SPX_20190425.csv.gz``). A file that cannot be a real
day's chain is skipped with every row in ``bad_rows`` (reason naming the file it repeats or the
date), and the directory still loads:

* **not a session**: its quotes are dated on a day the exchange was closed (e.g. 2019-07-04): the
  options loader already reports each such row as a bad row;
* **stale copy**: its quotes (root, expiration, strike, right, bid, ask) repeat an earlier file's
  row for row under another quote date, e.g. a holiday's file that repeats the day before;
* **name/date mismatch**: the date in its name (``YYYYMMDD`` or ``YYYY-MM-DD``) is not its quote
  date (a copy renamed, e.g. ``SPX_20190704`` holding the 2019-07-03 quotes);
* **repeat**: a (quote date, root, expiration, strike, right) already given by an earlier file.

These tests come before the options loader's row checks: a row of a non-session is a bad row, never an error, and a
file whose rows expire before its quote date (a copy under a later date) is skipped when it is a stale copy or a
name/date mismatch. Any other malformed file (a :class:`~feeds.loaders.LoadError`) still stops the load: nothing
partial is kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from feeds.loaders._table import BadRow, LoadError
from feeds.loaders.options import OptionQuotes, load_chain_file

__all__ = ["load_chain_files"]

_NAME_DATE = re.compile(r"(?<!\d)(\d{4})-?(\d{2})-?(\d{2})(?!\d)")
_KEY = ["quote_date", "root", "expiration", "strike", "right"]


def load_chain_files(paths: Sequence[Path]) -> OptionQuotes:
    """Load ``paths`` in order; skip (as bad rows) the files that cannot be a real day's chain."""
    kept: list[OptionQuotes] = []
    skipped: list[BadRow] = []
    prints: dict[str, tuple[str, list[dt.date]]] = {}  # fingerprint of the quotes -> (file, quote dates)
    seen = pd.DataFrame(columns=_KEY)
    for path in paths:
        try:
            q = load_chain_file(path)
        except LoadError as exc:  # a stale copy under a later date can hold rows expiring before it: skip it first
            q = _stale_or_raise(path, exc, prints, seen)
        why = _why_skip(path, q, prints, seen)
        if why:
            skipped += [BadRow(path.name, int(line), why, day.date())
                        for line, day in zip(q.rows["line"], q.rows["quote_date"])]
            kept.append(OptionQuotes(q.rows.iloc[:0], q.bad_rows, q.files))
            continue
        if len(q.rows):
            prints[_fingerprint(q.rows)] = (path.name, _days(q.rows))
            seen = pd.concat([seen, q.rows[_KEY].assign(file=path.name)], ignore_index=True) if len(seen) else \
                q.rows[_KEY].assign(file=path.name)
        kept.append(q)
    out = OptionQuotes.concat(kept)
    return OptionQuotes(out.rows, out.bad_rows + tuple(skipped), out.files)


def _stale_or_raise(path: Path, exc: LoadError, prints: dict[str, tuple[str, list[dt.date]]],
                    seen: pd.DataFrame) -> OptionQuotes:
    """Return the quotes of ``path`` read without the expiry check when it is a file to skip (a stale copy, a
    name/date mismatch: :func:`_why_skip`); else raise ``exc``, the error of the strict load."""
    try:
        q = load_chain_file(path, check_expiry=False)
    except LoadError:
        raise exc from None
    if not _why_skip(path, q, prints, seen):
        raise exc
    return q


def _days(rows: pd.DataFrame) -> list[dt.date]:
    return sorted({d.date() for d in pd.DatetimeIndex(rows["quote_date"].unique())})


def _why_skip(path: Path, q: OptionQuotes, prints: dict[str, tuple[str, list[dt.date]]], seen: pd.DataFrame) -> str:
    rows = q.rows
    if rows.empty:
        return ""
    days = _days(rows)  # rows dated on a non-session are already bad rows (feeds.loaders.options)
    named = _name_date(path.name)
    if named is not None and days != [named]:
        return f"the file name says {named} but its quotes are dated {', '.join(map(str, days[:3]))}: file skipped"
    earlier = prints.get(_fingerprint(rows))
    if earlier is not None:
        when = "on the same day" if earlier[1] == days else "under another date (a stale copy)"
        return f"the quotes repeat {earlier[0]} row for row {when}: file skipped"
    if len(seen):
        dup = rows[_KEY].merge(seen, on=_KEY, how="inner")
        if len(dup):
            return f"{len(dup)} quote(s) repeat {dup['file'].iloc[0]} (same date, contract): file skipped"
    return ""


def _name_date(name: str) -> dt.date | None:
    m = _NAME_DATE.search(name)
    if m is None:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _fingerprint(rows: pd.DataFrame) -> str:
    cols = rows[["root", "expiration", "strike", "right", "bid", "ask"]]
    return hashlib.sha256(pd.util.hash_pandas_object(cols, index=False).to_numpy(np.uint64).tobytes()).hexdigest()
