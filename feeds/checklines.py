"""The report lines ``vixhedge data check`` prints for any file: bad rows grouped by kind, lists of days.

Shared by :mod:`feeds.check` (the market files) and :mod:`feeds.check_runinputs` (the A/D file and calendar folder a
run also reads), which both import it: neither imports the other's helpers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from feeds.loaders import BadRow
from feeds.loaders._table import by_kind, kind_reason

SHOW = 5  # days, notes, kinds of bad row listed before "..."


def bad_lines(bad_rows: Iterable[BadRow], what: str = "rows (reported, not used)") -> list[str]:
    """The bad rows of a file, grouped by kind: the total, the :data:`SHOW` largest kinds (implausible ones always)
    with their counts, the rest counted, and one example row of each kind shown (``what``: the total's words, after
    "bad ")."""
    bad = list(bad_rows)
    if not bad:
        return [f"  bad {what.split()[0]}: none"]
    groups = by_kind(bad)
    ranked = sorted(groups.values(), key=len, reverse=True)
    shown = ranked[:SHOW] + [rows for rows in ranked[SHOW:] if rows[0].implausible]  # implausible kinds always
    lines = [f"  bad {what}: {len(bad)}"]
    lines += [f"    {len(rows):>6} x {kind_reason(rows)}" for rows in shown]
    rest = [rows for rows in ranked[SHOW:] if not rows[0].implausible]
    if rest:  # the counts listed add up to the total
        lines.append(f"    {sum(map(len, rest)):>6} more rows of {len(rest)} other kind(s)")
    lines += [f"    e.g. {rows[0]}" for rows in shown]  # one example of each kind
    return lines


def days_text(days: pd.DatetimeIndex) -> str:
    """``[d1, d2, ..., d5, ...]``: the first :data:`SHOW` days of ``days``."""
    return dates_text([d.date() for d in days])


def dates_text(days: list[dt.date]) -> str:
    """As :func:`days_text`, of dates."""
    shown = ", ".join(d.isoformat() for d in days[:SHOW])
    return f"[{shown}{', ...' if len(days) > SHOW else ''}]"
