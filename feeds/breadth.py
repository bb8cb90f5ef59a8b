"""Optional S&P 500 advance/decline input for the policy's FOMC rule (see strategies.signalset).

A CSV with a ``date`` column (ISO dates) and two count columns, named in the config
(``hedge.fomc.ad_advances_column`` / ``ad_declines_column``; defaults ``sp500_advancers`` /
``sp500_decliners``, the layout of ``../shared/data/nyse_breadth_computed_2023_2026``). ``.csv.gz`` is
read as well. The file is read by the strict table reader of :mod:`feeds.loaders` (a truncated file,
a wrong field count or a bad date is a :class:`BreadthError` naming the file and line). Counts must
be whole numbers in ``0..MAX_COUNT`` (NaN, inf, 1e12 and negative counts are refused with their
line). Rows on a date that is not an exchange session, or whose advances + declines leave
``TOTAL_BAND`` of the file's median total (a partial day, a row x10 or zeroed), are bad rows:
listed in ``frame.attrs["bad_rows"]``, logged, not used. Counts are aligned on the market's sessions; a session the file lacks is NaN (the rule sees
no A/D on that bar) and :func:`align` logs how many sessions that is (in the run window and its A/D
look-back when it is given one) and the file's real span.

A data directory's A/D file (:func:`find_ad_file`): the one ``.csv`` / ``.csv.gz`` file of its ``breadth/`` folder or
of a folder whose name holds ``breadth`` (``nyse_breadth_computed_2023_2026/advance_decline_2023_2026.csv.gz`` in
``../shared/data``); a run on the directory reads it when ``hedge.fomc.ad_csv`` is empty (an explicit file wins:
:mod:`strategies.adinput`).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from feeds import calendars
from feeds.layout import missing_file
from feeds.loaders._table import LoadError, check_unique, read_table

MAX_COUNT = 10_000  # issues per side; the NYSE lists ~3,500, the S&P 500 ~505
TOTAL_BAND = 1.2  # a row's advances + declines within x1/1.2..x1.2 of the file's median total (real: x0.89..x1.12)
_LOG = logging.getLogger("vixhedge.policy")


def find_ad_file(root: str | Path) -> Path | None:
    """Return the A/D file of a data directory (see the module docstring), or None; folders holding several files
    are a BreadthError naming them (which one is meant?)."""
    return only_ad_file(root, ad_candidates(root))


def only_ad_file(root: str | Path, files: list[Path]) -> Path | None:
    """Return the one file of :func:`ad_candidates` ``files`` of ``root`` (None for none); several are the
    BreadthError of :func:`find_ad_file`."""
    root = Path(root)
    if len(files) > 1:
        shown = ", ".join(str(f.relative_to(root)) for f in files[:4])
        raise BreadthError(root, None, f"{len(files)} advance/decline files in its breadth folder(s) ({shown}): a run "
                                       "reads one: keep one, or name it in hedge.fomc.ad_csv")
    return files[0] if files else None


def ad_candidates(root: str | Path) -> list[Path]:
    """Return every ``.csv`` / ``.csv.gz`` file of a data directory's breadth folder(s), sorted ([] for none or no
    folder): :func:`find_ad_file` reads the one; a sweep's identity hashes them all (feeds.provenance)."""
    root = Path(root)
    if not root.is_dir():
        return []
    folders = sorted(d for d in root.iterdir() if d.is_dir() and "breadth" in d.name.lower())
    return [f for d in folders for f in sorted([*d.glob("*.csv"), *d.glob("*.csv.gz")])]


def _warn(text: str) -> None:
    _LOG.warning("%s", text)


class BreadthError(LoadError):
    """The advance/decline file is missing, malformed, truncated or holds an implausible count."""


def load_ad_csv(path: str | Path, advances_column: str, declines_column: str,
                warn: Callable[[str], None] | None = None, key: str = "") -> pd.DataFrame:
    """Return a frame indexed by session date with float columns ``advances`` and ``declines``.

    ``frame.attrs`` holds ``file``, ``span`` (first and last usable date) and ``bad_rows``; ``warn`` gets the
    bad rows' warning (default: logged, logger ``vixhedge.policy``); ``key``: the config key that named ``path``
    (a missing file's line names it, its value as given and the fix).

    Raises
    ------
    BreadthError
        Naming the file, the line and the fix (see the module docstring).
    """
    given = str(path)
    path = Path(path)
    try:
        t = read_table(path, ("date", advances_column, declines_column))
    except LoadError as exc:
        if key and exc.problem == "file does not exist":  # the config's key and value as given, and the fix
            err = BreadthError(exc.path, None, exc.problem)
            err.args = (missing_file("advance/decline", key, given, "a data directory's breadth file, else no A/D "
                                     "line"),)
            raise err from None
        hint = ("; set hedge.fomc.ad_advances_column / ad_declines_column to columns of the file"
                if exc.problem.startswith("missing column") else
                ": check hedge.fomc.ad_csv" if exc.problem == "file does not exist" else "")
        raise BreadthError(exc.path, exc.line, exc.problem + hint) from None
    try:
        dates = t.dates("date")
        check_unique(t, dates.astype(np.int64), lambda i: f"date {dates[i]} (drop the duplicate)")
        counts = {}
        for name, column in (("advances", advances_column), ("declines", declines_column)):
            v = t.numbers(column)
            bad = (v < 0) | (v > MAX_COUNT) | (v != np.round(v))
            if bad.any():
                i = int(np.argmax(bad))
                raise t.error(i, f"column {column!r}: {t.text(column)[i]!r} is not a count of issues (a whole "
                                 f"number in 0..{MAX_COUNT}): fix the file")
            counts[name] = v
    except LoadError as exc:
        raise BreadthError(exc.path, exc.line, exc.problem) from None
    bad = _bad_rows(t, dates, counts)
    keep = ~np.isin(t.lines, [b.line for b in bad])
    out = pd.DataFrame({k: v[keep] for k, v in counts.items()},
                       index=pd.DatetimeIndex(dates[keep].astype("datetime64[ns]"))).sort_index()
    if out.empty:
        raise BreadthError(path, None, "no usable rows (every row is a bad row)")
    out.attrs.update(file=str(path), span=(out.index[0].date(), out.index[-1].date()), bad_rows=bad)
    if bad:
        (warn or _warn)(f"A/D file {path}: {len(bad)} bad row(s) not used, e.g. {bad[0]}")
    return out


def _bad_rows(t, dates: np.ndarray, counts: dict[str, np.ndarray]) -> list:
    """Return the bad rows: a date that is not a session, a total far from the file's usual total."""
    sessions = calendars.trading_days(dates.min().astype(object), dates.max().astype(object))
    off = ~np.isin(dates, sessions.values.astype("datetime64[D]"))
    total = counts["advances"] + counts["declines"]
    usual = float(np.median(total))
    far = (total < usual / TOTAL_BAND) | (total > usual * TOTAL_BAND)
    bad = [t.bad(i, f"date {dates[i]} is not an exchange session (XNYS); not used", dates[i]) for i in np.flatnonzero(off)]
    bad += [t.bad(i, f"implausible counts: advances + declines = {total[i]:g}, far from the file's usual {usual:g} "
                     f"(allowed x{1 / TOTAL_BAND:.3g}..x{TOTAL_BAND:g}: a partial day, or a row scaled); not used", dates[i])
            for i in np.flatnonzero(far & ~off)]
    return bad


def align(frame: pd.DataFrame, dates: pd.DatetimeIndex, window: tuple[pd.Timestamp, pd.Timestamp] | None = None,
          warn: Callable[[str], None] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return (advances, declines) on ``dates``; NaN where the file has no row (``warn``: as :func:`load_ad_csv`'s).

    The sessions without a row are logged with the file's span, counted on ``window`` (first and last session
    that matter, e.g. a run's window and its A/D look-back) when given, else on all of ``dates``.
    """
    on = frame.reindex(pd.DatetimeIndex(dates).normalize())
    seen = on.index if window is None else on.index[(on.index >= window[0]) & (on.index <= window[1])]
    missing = int(on["advances"].reindex(seen).isna().sum())
    if missing and "span" in frame.attrs:
        first, last = frame.attrs["span"]
        which = ("the market's {n} sessions {a}..{b} (its whole history)" if window is None else
                 "the {n} sessions {a}..{b} of the run window and its A/D look-back")
        (warn or _warn)(f"A/D file {frame.attrs['file']} covers {first}..{last} ({len(frame)} rows): {missing} of "
                        f"{which.format(n=len(seen), a=seen[0].date(), b=seen[-1].date())} have no A/D (the FOMC A/D "
                        "rule sees none on them)")
    return on["advances"].to_numpy(dtype=float), on["declines"].to_numpy(dtype=float)
