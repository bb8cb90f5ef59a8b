"""Plausibility rules per instrument: values that parse but cannot be real are bad rows.

Rules (limits in :class:`Rules`, defaults measured on the real data of ``../shared/data``; every
one is configurable, see :func:`load_rules`):

* **Range**: SPX closes in ``spx.low..spx.high``, VIX in ``vix.low..vix.high`` (and VIX9D, VIX3M,
  VIX6M, SKEW in theirs, for ``vixhedge data fetch``), VX settles in
  ``vx.low..vx.high`` (VIX points, after the pre-2007-03-26 division by 10). Real extremes: VX
  settles 8.75..72.6 (2004-2025), VIX closes 9.14..82.69 (1990-2026).
* **Jumps**: a day-over-day log move above ``jump_log`` must be explained, otherwise the row is
  bad. A move is explained for VX by the VIX move of the same two days (within
  ``explained_log``) or by the median move of the other contracts that day (at least
  ``min_neighbours`` contracts); an index move is never explained (its limits lie beyond every
  real move: SPX 0.229 on 1987-10-19, VIX 0.768 on 2018-02-05). An isolated outlier (a move in and
  a move back, both unexplained; or a series' first row with an unexplained move out, such as
  CFE's 10.25 listing-day settle of VXG14 on 2013-05-28) is flagged on its own row only; the rows
  around it are judged against each other. A shifted block (an unexplained move, then the series' next unexplained
  move the opposite way and of about the same size, fewer rows between them than outside them: VIX keyed x10 for
  seven weeks) is flagged whole, not the good row after it; an index's rows out of range stay in the series judged
  for moves. A lasting unexplained level shift without a move back is flagged on its first row. Moves over a
  gap of more than ``max_gap_days`` calendar days are not judged. A single VX file checked alone
  (no VIX) uses ``alone_jump_log`` and its own contracts as neighbours.
* **Scale** (VX against VIX, data directories): a settle outside ``vix_ratio`` x the same day's
  VIX close (real 0.29..2.02) is bad; a ratio near 10 says "quoted x10" (the CFE convention that
  applies only before 2007-03-26 and is undone by the loader), near 0.1 "divided by 10 twice". Not on days where
  VIX is the outlier: the day's contracts disagree with it together and VIX, not they, moved into or out of that
  run of days (:func:`feeds.loaders.plausible_vx._vix_outlier_days`).
* **Settle vs close** (VX): both present and apart by more than ``settle_close_points`` AND
  ``settle_close_share`` of the settle (real worst: 0.53 of the settle on 2008-10-07, 11.8 points
  on the 2020-03-18 expiry).
* **Lag** (VX against VIX): a contract with at least 20 judged moves whose moves follow the
  previous day's VIX move better than the same day's (correlation higher by ``lag_corr_margin``
  and above 0.5) has every row flagged: its settles look shifted by a day.

Every violation is a :class:`~feeds.loaders.BadRow` with ``implausible=True``: file, line,
value and reason. ``vixhedge data check`` exits non-zero when any exists.

A row dated after today (a typo'd year?) is not a bad row: a load reads the file alone, never the clock, so a run's
outputs do not depend on the day it runs. ``vixhedge data check`` only warns of such rows (file, the row's date and
today's, :func:`future_warning`) and does not count the sessions after today as missing.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from feeds.marketdata import DataError
from vixhedge.core.config.load import read_utf8

__all__ = ["IndexRules", "Rules", "VxRules", "index_reasons", "jump_flags", "load_rules", "RULES_FILE"]

RULES_FILE = "plausibility.toml"  # optional, in a data directory: overrides of the defaults below


@dataclass(frozen=True, slots=True, kw_only=True)
class IndexRules:
    low: float
    high: float
    jump_log: float
    max_gap_days: int = 7
    median: tuple[float, float] = (0.0, math.inf)  # the file's median close must lie here (a whole file scaled)


@dataclass(frozen=True, slots=True, kw_only=True)
class VxRules:
    low: float = 5.0
    high: float = 100.0
    median: tuple[float, float] = (8.0, 75.0)  # of one file's settles: a whole file x10 has a median >= 90
    jump_log: float = 0.4
    alone_jump_log: float = 1.0
    explained_log: float = 0.35
    min_neighbours: int = 3
    max_gap_days: int = 7
    vix_ratio: tuple[float, float] = (0.2, 3.0)
    settle_close_points: float = 3.0
    settle_close_share: float = 0.6
    lag_corr_margin: float = 0.3


def _index(low: float, high: float, jump_log: float, median: tuple[float, float] = (0.0, math.inf)):
    return field(default_factory=lambda: IndexRules(low=low, high=high, jump_log=jump_log, median=median))


@dataclass(frozen=True, slots=True, kw_only=True)
class Rules:
    """Limits per instrument; the index ranges hold every real close since 1990 of ../shared/data with room."""

    spx: IndexRules = _index(1.0, 100_000.0, 0.25)
    vix: IndexRules = _index(5.0, 150.0, 1.0, (8.0, 75.0))  # real closes 9.14..82.69, median 17.6
    vix9d: IndexRules = _index(3.0, 300.0, 1.6)  # real 7.1..106.7, largest move 1.146 (2018-02-05)
    vix3m: IndexRules = _index(5.0, 200.0, 1.0)  # real 11.9..73.0, 0.502
    vix6m: IndexRules = _index(5.0, 200.0, 1.0)
    skew: IndexRules = _index(80.0, 300.0, 0.4)  # real 101.2..183.1, 0.268
    vvix: IndexRules = _index(40.0, 400.0, 1.0)  # real 59.7..207.6 from 2007; 2006's 15.7..37.9 are errors (its README)
    vx: VxRules = field(default_factory=VxRules)

    def for_index(self, name: str) -> IndexRules | None:
        value = getattr(self, name.lower(), None) if name.lower() != "vx" else None
        return value if isinstance(value, IndexRules) else None


DEFAULT = Rules()


def load_rules(path: Path | str | None) -> Rules:
    """Return the default rules overridden by ``path`` (TOML tables ``[spx]``, ``[vix]``, ``[vx]``).

    Raises DataError naming the file and key for an unknown table or key, a value where a table belongs,
    a value that is not a finite number > 0 (>= 0 for a ``low``; a list of two for ``vx.vix_ratio`` and
    ``median``), a ``low`` not below its ``high`` or a pair not ascending.
    """
    if path is None or not Path(path).is_file():
        return DEFAULT
    path = Path(path)
    try:
        table = tomllib.loads(read_utf8(path, DataError))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"{path}: not a readable TOML file ({exc})") from None
    parts: dict[str, Any] = {}
    sections = [f.name for f in dataclasses.fields(Rules)]
    for section, value in table.items():
        if section not in sections:
            raise DataError(f"{path}: unknown table [{section}]: use one of {sections}")
        current = getattr(DEFAULT, section)
        known = [f.name for f in dataclasses.fields(current)]
        if not isinstance(value, dict):
            raise DataError(f"{path}: {section} = {value!r} is not a table: write [{section}] on its own line, then "
                            f"its keys ({', '.join(known)}) one per line")
        for key, v in value.items():
            if key not in known:
                raise DataError(f"{path}: unknown key {section}.{key}: use one of {sorted(known)}")
            _check_value(path, f"{section}.{key}", v, getattr(current, key), may_be_zero=key == "low")
        parts[section] = dataclasses.replace(current, **{k: (tuple(v) if isinstance(v, list) else v)
                                                         for k, v in value.items()})
        _check_order(path, section, parts[section])
    return dataclasses.replace(DEFAULT, **parts)


def _check_value(path: Path, name: str, value: Any, default: Any, may_be_zero: bool) -> None:
    """Raise DataError unless ``value`` is a finite number > 0 (>= 0 for a ``low``; a pair's first may be 0)."""
    pair = isinstance(default, tuple)
    items = value if pair and isinstance(value, list) and len(value) == 2 else [value]
    ok = all(isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and v >= 0
             for v in items) and (not pair or len(items) == 2)
    if ok and not pair and not may_be_zero:
        ok = value > 0  # a limit of 0 flags every move (jump_log) or judges none (max_gap_days)
    if isinstance(default, int) and not isinstance(default, bool):
        ok = ok and isinstance(value, int)
    if not ok:
        want = ("a list of two finite numbers >= 0" if pair else "a finite number >= 0" if may_be_zero
                else "a finite number > 0")
        raise DataError(f"{path}: {name} = {value!r} is invalid: use {want} (default {default!r})")


def _check_order(path: Path, section: str, rules: IndexRules | VxRules) -> None:
    """Raise DataError when a range's lower end is not below its upper end (``low < high``, each pair ascending)."""
    if rules.low >= rules.high:
        raise DataError(f"{path}: {section}.low = {rules.low:g} is not below {section}.high = {rules.high:g}: every "
                        f"row would be implausible; make low < high (defaults {getattr(DEFAULT, section).low:g} "
                        f"and {getattr(DEFAULT, section).high:g})")
    for f in dataclasses.fields(rules):
        value = getattr(rules, f.name)
        if isinstance(value, tuple) and not value[0] < value[1]:
            raise DataError(f"{path}: {section}.{f.name} = {list(value)} is not ascending: write [lower, upper] "
                            f"with lower < upper (default {list(getattr(getattr(DEFAULT, section), f.name))})")


# --------------------------------------------------------------------------- shared screens


def today() -> dt.date:
    """Return today's date (the clock only ``vixhedge data check``'s advisory reads; a test pins it)."""
    return dt.date.today()


def future_warning(label: str, dates: Iterable[dt.date]) -> list[str]:
    """Return ``data check``'s advisory line for the rows of ``label`` dated after today (none when there is none):
    not a bad row (a run uses them; its outputs never depend on the clock), a typo'd year no market printed yet?"""
    now = today()
    late = sorted({d for d in dates if d > now})
    if not late:
        return []
    return [f"  WARNING {label}: {len(late)} date(s) after today ({now}), e.g. {', '.join(map(str, late[:3]))}: "
            "no market has printed them yet (a typo'd year?); a run uses them as written"]


def range_reasons(values: np.ndarray, low: float, high: float, what: str, x10: str = "") -> np.ndarray:
    """Return a reason per row ("" when fine) for values outside ``low..high``."""
    out = np.full(len(values), "", dtype=object)
    with np.errstate(invalid="ignore"):
        bad = np.isfinite(values) & ((values < low) | (values > high))
    for i in np.flatnonzero(bad):
        hint = x10 if low <= values[i] / 10 <= high else ""
        out[i] = f"implausible {what} {values[i]:g}: outside {low:g}..{high:g}" + hint
    return out


def jump_flags(series: np.ndarray, days: np.ndarray, values: np.ndarray, limit: float, max_gap_days: int,
               explain=None, known: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Return (flagged mask, move of each flagged row, block of each flagged row) of unexplained day-over-day log
    moves.

    Rows must be sorted by ``series`` then ``days``. ``explain(prev, cur, move)`` returns which
    moves (rows ``cur`` from rows ``prev``) are explained; None means none is. Isolated outliers
    are flagged first and left out before lasting shifts are judged (see the module docstring).
    A shifted block (an unexplained move at one row and the next unexplained move of the series, the opposite way
    and of about the same size, fewer rows between them than outside them) is flagged whole: ``block`` holds, per
    row of it, the (first, last) row of its block and the move out after it (``moves`` holds the move in); other
    rows hold (-1, -1, nan). ``known`` marks rows already bad (an index's rows out of range): they stay in the series
    so that a block holding some of them is seen whole, but a move from or to one never flags a good row by itself.
    """
    known = np.zeros(len(values), dtype=bool) if known is None else known
    n = len(values)
    flagged = np.zeros(n, dtype=bool)
    moves = np.zeros(n)
    block = np.full((n, 3), -1.0)
    block[:, 2] = np.nan
    logv = np.log(np.where(values > 0, values, np.nan))
    for rnd in range(2):
        idx = np.flatnonzero(~flagged & np.isfinite(logv))
        if len(idx) < 2:
            break
        prev, cur = idx[:-1], idx[1:]
        ok = (series[prev] == series[cur]) & ((days[cur] - days[prev]).astype(np.int64) <= max_gap_days)
        prev, cur = prev[ok], cur[ok]
        m = logv[cur] - logv[prev]
        unexplained = np.abs(m) > limit
        if explain is not None and unexplained.any():
            unexplained[unexplained] = ~explain(prev[unexplained], cur[unexplained], m[unexplained])
        if rnd == 0:  # outliers: an unexplained move in, then one back out of the same row
            alone = unexplained & ~known[prev] & ~known[cur]  # a known bad row is no good row's evidence
            sign = np.where(alone, np.sign(m), 0.0)  # by row: the sign of each lone move into it and out of it
            coming, going = _by_row(n, cur, sign, 0.0)[idx], _by_row(n, prev, sign, 0.0)[idx]
            first = ~np.isin(idx, cur)  # a series' first row (e.g. a contract's listing day) has no move in
            hit = idx[(coming * going < 0) | (first & (going != 0))]
            move_in = _by_row(n, cur, m, np.nan)[hit]
            moves[hit] = np.where(np.isnan(move_in), -_by_row(n, prev, m, np.nan)[hit], move_in)
        else:
            hit = _shifts(series, idx, prev[unexplained], cur[unexplained], m[unexplained], moves, block, known)
        flagged[hit] = True
    return flagged, moves, block


def _by_row(n: int, rows: np.ndarray, values: np.ndarray, fill: float) -> np.ndarray:
    """Return ``values`` placed at their (distinct) ``rows`` of ``n`` rows, ``fill`` elsewhere."""
    out = np.full(n, fill)
    out[rows] = values
    return out


def _shifts(series: np.ndarray, idx: np.ndarray, prev: np.ndarray, cur: np.ndarray, m: np.ndarray,
            moves: np.ndarray, block: np.ndarray, known: np.ndarray) -> np.ndarray:
    """Return the rows of the lasting shifts among the unexplained moves ``m`` (rows ``prev`` -> ``cur``, in series
    then day order): a move back of about the same size closes a shifted block (every row of it is returned; not the
    good row after it); a move without one is flagged on its first row. Fills ``moves`` and ``block`` in place."""
    pos = pd.Series(np.arange(len(idx)), index=idx)
    per_series = pd.Series(series[idx]).value_counts()
    hit: list[np.ndarray] = []
    k = 0
    while k < len(m):
        if k + 1 < len(m) and series[cur[k]] == series[cur[k + 1]] and m[k] * m[k + 1] < 0 \
                and abs(m[k] + m[k + 1]) <= 0.5 * min(abs(m[k]), abs(m[k + 1])):
            rows = idx[pos[cur[k]]:pos[cur[k + 1]]]
            if 2 * len(rows) < per_series[series[cur[k]]]:
                moves[rows] = m[k]
                block[rows] = (rows[0], rows[-1], m[k + 1])
                hit.append(rows)
                k += 2
                continue
        if not known[prev[k]]:  # a lone move out of a known bad row does not blame the good row after it
            moves[cur[k]] = m[k]
            hit.append(cur[k:k + 1])
        k += 1
    return np.concatenate(hit) if hit else np.zeros(0, dtype=np.int64)


def shift_words(days: np.ndarray, move: float, block_row: np.ndarray, limit: float, unmade: str = "") -> str:
    """Return how a flagged row moved: "a day-over-day move of 9.88x (limit 2.72x)", or for a row of a shifted block
    "in a block of rows 2016-07-15..2016-08-31 shifted 9.88x from the rows around it (and back 0.101x after it; limit
    2.72x): the whole block looks mis-keyed"; ``unmade`` ("VIX or the other contracts") says who did not make the
    move, before the block's conclusion (review 26: it was appended after it)."""
    first, last, out = block_row
    by = f" that {unmade} did not make" if unmade else ""
    if first < 0:
        return f"a day-over-day move of {math.exp(move):.3g}x (limit {math.exp(limit):.3g}x){by}"
    first, last = int(first), int(last)
    span = f"{str(days[first])[:10]}..{str(days[last])[:10]}"
    return (f"in a block of rows {span} shifted {math.exp(move):.3g}x from the rows around it{by} (and back "
            f"{math.exp(out):.3g}x after it; limit {math.exp(limit):.3g}x): the whole block looks mis-keyed")


def index_reasons(name: str, dates: np.ndarray, close: np.ndarray, candidates: np.ndarray,
                  rules: Rules = DEFAULT, ranged: np.ndarray | None = None) -> np.ndarray:
    """Return a reason per row for an index history (SPX, VIX); unknown names get no rules.

    ``candidates`` marks the rows still in use (others are neither judged nor used as neighbours).
    ``ranged`` marks rows already bad for another reason whose close is still judged by the range rules:
    a close of 1650 in a VIX row whose high/low do not bracket it is implausible, not only unbracketed.
    """
    out = np.full(len(close), "", dtype=object)
    r = rules.for_index(name)
    if r is None or not len(close):
        return out
    use = np.flatnonzero(candidates if ranged is None else candidates | ranged)
    out[use] = range_reasons(close[use], r.low, r.high, f"{name} close")
    if name.upper() == "SPX":
        out[use] = np.where(out[use] == "", _spx_year_reasons(dates[use], close[use]), out[use])
    ok = use[(out[use] == "") & candidates[use]]
    out[ok] = median_reasons(close[ok], r.median, f"{name} close")
    # rows out of range stay in the series judged for moves: a block keyed x10 whose larger values leave the range
    # still shows its move in and its move back out, so the whole block is flagged, not the good row after it
    ok = np.sort(np.r_[ok[out[ok] == ""], use[(out[use] != "") & candidates[use]]]) if (out[ok] == "").any() else ok[:0]
    flagged, moves, block = jump_flags(np.zeros(len(ok)), dates[ok], close[ok], r.jump_log, r.max_gap_days,
                                       known=out[ok] != "")
    for k in np.flatnonzero(flagged & (out[ok] == "")):
        out[ok[k]] = (f"implausible {name} close {close[ok[k]]:g}: "
                      + shift_words(dates[ok], moves[k], block[k], r.jump_log))
    return out


def median_reasons(values: np.ndarray, bounds: tuple[float, float], what: str, x10: str = " (x10?)",
                   of: str = "") -> np.ndarray:
    """Flag every row when the median of ``values`` lies outside ``bounds`` (a whole file scaled; ``of``: the
    one contract of a VX file the values are, named in the reason)."""
    out = np.full(len(values), "", dtype=object)
    finite = values[np.isfinite(values)]
    if len(finite) == 0:
        return out
    med = float(np.median(finite))
    lo, hi = bounds
    if not lo <= med <= hi:
        whose, scope = (f"the median of {of}, {med:g},", "its whole series") if of else \
            (f"the file's median {med:g}", "the whole file")
        why = f"implausible {what}: {whose} is outside {lo:g}..{hi:g}, {scope} looks scaled"
        out[:] = why + (x10 if lo <= med / 10 <= hi else "")
    return out


# Yearly low..high of real SPX closes (../shared/data/spx_index_daily, 1990-2026); a close beyond
# SPX_BAND x that year's range is implausible (a file x10, a 1e12 row). Later years: the range rule only.
SPX_YEARLY = {1990: (295, 369), 1991: (311, 417), 1992: (394, 441), 1993: (429, 471), 1994: (439, 482),
              1995: (459, 622), 1996: (598, 757), 1997: (737, 984), 1998: (928, 1242), 1999: (1212, 1469),
              2000: (1265, 1527), 2001: (966, 1374), 2002: (777, 1173), 2003: (801, 1112), 2004: (1063, 1214),
              2005: (1138, 1273), 2006: (1224, 1427), 2007: (1374, 1565), 2008: (752, 1447), 2009: (677, 1128),
              2010: (1023, 1260), 2011: (1099, 1364), 2012: (1277, 1466), 2013: (1457, 1848), 2014: (1742, 2091),
              2015: (1868, 2131), 2016: (1829, 2272), 2017: (2258, 2690), 2018: (2351, 2931), 2019: (2448, 3240),
              2020: (2237, 3756), 2021: (3701, 4793), 2022: (3577, 4797), 2023: (3808, 4783), 2024: (4689, 6090),
              2025: (4983, 6932), 2026: (6344, 7799)}
SPX_BAND = 1.6


def _spx_year_reasons(dates: np.ndarray, close: np.ndarray) -> np.ndarray:
    out = np.full(len(close), "", dtype=object)
    years = dates.astype("datetime64[Y]").astype(int) + 1970
    for y in np.unique(years):
        if int(y) not in SPX_YEARLY:
            continue
        lo, hi = SPX_YEARLY[int(y)]
        sel = np.flatnonzero((years == y) & ((close < lo / SPX_BAND) | (close > hi * SPX_BAND)))
        for i in sel:
            x10 = lo / SPX_BAND <= close[i] / 10 <= hi * SPX_BAND
            spy = lo / SPX_BAND <= close[i] * 10 <= hi * SPX_BAND  # SPY trades near SPX / 10
            out[i] = (f"implausible SPX close {close[i]:g}: far outside SPX's {y} range {lo}..{hi}"
                      + (" (x10?)" if x10 else " (x0.1: SPY, not SPX?)" if spy else ""))
    return out
