"""VX (VIX futures) daily data per contract: Cboe/CFE file layouts, validated and merged.

Layouts read (detected by :func:`detect_layout` from the file name and header)
-------------------------------------------------------------------------------
``cfe_legacy``  CFE archive, one file per contract, named ``CFE_<M><YY>_VX.csv`` (``M`` the month
    letter F..Z): ``Trade Date,Futures,Open,High,Low,Close,Settle,Change,Total Volume,EFP,Open
    Interest``. Dates ``M/D/YYYY`` or ``MM/DD/YYYY``; ``Futures`` is a label such as ``K (May 04)``;
    an optional disclaimer line before the header and a trailing comma on some rows are accepted.
``cboe``  Cboe's current files, one per contract, named ``VX_YYYY-MM-DD.csv`` after the contract's
    final settlement date, same columns, ISO dates, labels such as ``F (Jan 2018)``. Weekly
    contracts (since 2015) have their own files; their label is only checked for its ``(Mon YYYY)``.
``cfe_consolidated``  ``trade_date, contract (VXK04), expiry, open..settle, volume, open_interest,
    price_divisor`` (``vix_futures_cfe_per_contract_2004_2015``).
``close_settle``  ``trade_date, expiry, is_monthly, close, settle, calendar_days_to_expiry,
    price_divisor`` (``vix_futures_close_settle_per_contract_2004_2023``; zero-volume days absent).
``settle_by_tenor``  ``trade_date, tenor_rank, expiry, expiry_method, is_monthly, ..., settle,
    flag`` (``vix_futures_settle_all_listed_2004_2025``; settles already in VIX points).

Rules applied to every layout
-----------------------------
* Prices dated before 2007-03-26 are divided by 10 (CFE quoted VX x10 until then); a
  ``price_divisor`` column must agree with that rule.
* A contract is monthly when its expiry is the monthly settlement date of its month
  (:func:`feeds.calendars.vx_settlement_date`), else weekly. A month code (``K04``, ``F (Jan
  2018)``) must give exactly the expiry of the file; a file's ``is_monthly`` column must agree.
* Errors (the whole load fails, nothing is kept): missing column, bad date, text in a number, an
  empty settle, rows not sorted by date, the same contract-day twice in one file, a row after the
  contract's final settlement, a contract code that contradicts the file name or calendar.
* Bad rows (reported in ``bad_rows``, never used): settle 0 or all prices 0, settle below
  ``MIN_SETTLE`` VIX points (e.g. CFE's 1.00 settles of 2008-04-21), high/low not bracketing
  open/close on a day with volume, a source flag, a trade date that is not an exchange session
  (CFE traded on 2015-04-03 and 2018-12-05), and, when files are merged, a contract-day already
  given by a file earlier in the precedence order.
* On days without volume the open/high/low/close cells are non-trade values and are set to NaN;
  the settle is kept. OHLC cells of 0 are set to NaN.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from feeds import calendars
from feeds.loaders._table import BadRow, LoadError, Table, check_sorted, peek_header, read_table, shown
from feeds.loaders.plausible import DEFAULT, Rules
from feeds.loaders._vxrows import (
    MIN_SETTLE,
    RESCALE_BEFORE,
    Loaded,
    check_divisor,
    frame_columns,
    monthly_notes,
    validate,
)

__all__ = ["MIN_SETTLE", "RESCALE_BEFORE", "VxCopy", "VxPanel", "VxStop", "detect_layout", "load_vx", "load_vx_files"]

AGREE = 0.01  # VIX points: two sources agree on a settle within this
#: sessions two monthly contracts must both hold, with the same settle on every one, to be noted as one contract's data
#: under two labels (robustness trial: CFE_K14_VX.csv replaced by the April file relabelled went into a run unseen).
#: On ../shared/data no pair of monthly contracts has equal settles on more than 13% of the sessions both hold
COPY_SESSIONS = 5
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LEGACY_NAME = re.compile(r"^CFE_(?P<m>[FGHJKMNQUVXZ])(?P<y>\d{2})_VX\.csv(\.gz)?$", re.IGNORECASE)
_CBOE_NAME = re.compile(r"^VX_(?P<d>\d{4}-\d{2}-\d{2})\.csv(\.gz)?$", re.IGNORECASE)
_LABEL = re.compile(r"^(?P<code>[A-Z]+\d*)\s*\((?P<mon>[A-Za-z]{3})\s+(?P<y>\d{2}|\d{4})\)$")
_CODE = re.compile(r"^VX(?P<m>[FGHJKMNQUVXZ])(?P<y>\d{2})$")
_CFE_COLUMNS = ("Trade Date", "Futures", "Open", "High", "Low", "Close", "Settle", "Total Volume",
                "Open Interest")
COLUMNS = ("trade_date", "expiry", "contract", "is_monthly", "open", "high", "low", "close", "settle",
           "volume", "open_interest", "file", "line")


@dataclass(frozen=True, slots=True)
class VxStop:
    """A monthly contract whose rows stop before its final settlement while the data run past it."""

    expiry: dt.date
    last: dt.date  # its last row's trade date
    file: str  # the file of that row


@dataclass(frozen=True, slots=True)
class VxCopy:
    """Two monthly contracts with the same settle on every one of the ``sessions`` (>= COPY_SESSIONS) both hold,
    ``first..last``: one file is likely the other contract's data, relabelled."""

    expiry: dt.date
    files: str  # the file(s) of ``expiry``'s rows on those sessions
    other: dt.date  # the later expiry
    other_files: str
    sessions: int
    first: dt.date
    last: dt.date

    @property
    def note(self) -> str:
        return (f"VX expiring {self.expiry} ({self.files}) has the same settle as VX expiring {self.other} "
                f"({self.other_files}) on all {self.sessions} sessions both hold ({self.first}..{self.last}): one file "
                "is likely another contract's data, relabelled: check them")


@dataclass(frozen=True)
class VxPanel:
    """Daily VX rows, one per (trade_date, expiry), in VIX points, with the rows left out.

    ``rows`` has the columns of ``COLUMNS``: dates as ``datetime64[ns]``, prices as float
    (NaN where absent), ``file``/``line`` where the row came from. ``files`` lists
    ``(name, sha256)`` of every source file in precedence order. A merged panel (:func:`merge`) also holds the
    monthly contracts whose rows stop before their final settlement while the data run past it (``stops``) and the
    pairs of monthly contracts with the same settle on every session both hold (``copies``); each has a note too.
    """

    rows: pd.DataFrame
    bad_rows: tuple[BadRow, ...] = ()
    files: tuple[tuple[str, str], ...] = ()
    notes: tuple[str, ...] = field(default=())
    stops: tuple[VxStop, ...] = ()
    copies: tuple[VxCopy, ...] = ()

    @functools.cached_property
    def trade_days(self) -> frozenset[dt.date]:
        """The days with a settle of any contract (a run's note names the sessions without one: feeds.datanotes)."""
        return frozenset(self.rows["trade_date"].dt.date)

    @property
    def span(self) -> tuple[dt.date, dt.date] | None:
        if self.rows.empty:
            return None
        return self.rows["trade_date"].iloc[0].date(), self.rows["trade_date"].iloc[-1].date()

    def monthly(self) -> pd.DataFrame:
        """Return the monthly-contract rows."""
        return self.rows[self.rows["is_monthly"].to_numpy()]

    def settle_matrix(self, dates: pd.DatetimeIndex, expiries: Sequence[dt.date]) -> np.ndarray:
        """Return settles as ``[len(dates), len(expiries)]``, NaN where the panel has no row."""
        out = np.full((len(dates), len(expiries)), np.nan)
        if self.rows.empty:
            return out
        d_idx = pd.Index(dates).get_indexer(self.rows["trade_date"])
        e_idx = pd.Index(pd.to_datetime(list(expiries))).get_indexer(self.rows["expiry"])
        ok = (d_idx >= 0) & (e_idx >= 0)
        out[d_idx[ok], e_idx[ok]] = self.rows["settle"].to_numpy()[ok]
        return out


# --------------------------------------------------------------------------- public entry points


def detect_layout(path: Path) -> str:
    """Return the layout name of a VX file from its name and header (see the module docstring)."""
    name = Path(path).name
    if _LEGACY_NAME.match(name):
        return "cfe_legacy"
    if _CBOE_NAME.match(name):
        return "cboe"
    header = {c.lower() for c in peek_header(path)}
    for column, layout in (("tenor_rank", "settle_by_tenor"), ("calendar_days_to_expiry", "close_settle"),
                           ("contract", "cfe_consolidated")):
        if {"trade_date", column} <= header:
            return layout
    raise LoadError(path, None, "not a known VX layout: name per-contract files CFE_<M><YY>_VX.csv or "
                    "VX_YYYY-MM-DD.csv, or give a consolidated file (README *Real data* gives the VX layouts)")


def load_vx(path: Path | str, rules: Rules = DEFAULT) -> VxPanel:
    """Load one VX file of any supported layout, its rows judged by ``rules`` (a data directory's
    plausibility.toml: :func:`feeds.loaders.plausible_vx.file_reasons`)."""
    path = Path(path)
    layout = detect_layout(path)
    loader = {"cfe_legacy": _load_cfe, "cboe": _load_cfe, "cfe_consolidated": _load_consolidated,
              "close_settle": _load_close_settle, "settle_by_tenor": _load_by_tenor}[layout]
    got = loader(path, rules)
    return VxPanel(got.frame, tuple(got.bad), ((path.name, got.digest),), tuple(got.notes))


def load_vx_files(paths: Iterable[Path | str], rules: Rules = DEFAULT) -> VxPanel:
    """Load and merge VX files; earlier files take precedence for a contract-day given twice.

    A contract-day found in a later file is reported in ``bad_rows`` (never used), with the
    settle difference, so disagreeing sources are visible.
    """
    panels = [load_vx(p, rules) for p in paths]
    if not panels:
        raise LoadError("<no files>", None, "no VX files given")
    return merge(panels)


def merge(panels: Sequence[VxPanel]) -> VxPanel:
    """Merge panels in precedence order (see :func:`load_vx_files`).

    A contract-day given again by a later panel is never used. When its settle agrees with the
    one used (within ``AGREE``) it is counted in a note per pair of files; otherwise it is
    reported in ``bad_rows`` with both settles.
    """
    frames = [p.rows.assign(_rank=k) for k, p in enumerate(panels)]
    allrows = pd.concat(frames, ignore_index=True).sort_values(["trade_date", "expiry", "_rank"], kind="stable")
    allrows = allrows.reset_index(drop=True)
    dup = allrows.duplicated(["trade_date", "expiry"], keep="first").to_numpy()
    first = np.maximum.accumulate(np.where(~dup, np.arange(len(allrows)), 0))
    bad = [b for p in panels for b in p.bad_rows]
    notes = [n for p in panels for n in p.notes]
    settle, file, line = (allrows[c].to_numpy() for c in ("settle", "file", "line"))
    agree = np.abs(settle - settle[first]) <= AGREE
    rows = allrows[~dup].drop(columns="_rank").reset_index(drop=True)
    copies = _copies(rows)
    # keyed by (file, contract): a consolidated file holding the copy and other contracts is suspect for that one only
    suspect = {(c.files, c.expiry): c for c in copies} | {(c.other_files, c.other): c for c in copies}
    for i in np.flatnonzero(dup & ~agree):
        j = first[i]
        day = allrows["trade_date"].iat[i].date()
        c = suspect.get((str(file[j]), allrows["expiry"].iat[j].date()))
        why = "" if c is None else (
            f", but {file[j]} looks relabelled: its settles equal VX expiring "
            f"{c.other if c.files == str(file[j]) else c.expiry}'s on all {c.sessions} sessions both hold "
            f"({c.first}..{c.last}): check it (if it is the other contract's data, delete or replace it, and this "
            "file's row is used)")
        bad.append(BadRow(str(file[i]), int(line[i]),
                          f"duplicate of {file[j]} line {line[j]} for {allrows['contract'].iat[i]} on "
                          f"{day} with a different settle ({settle[i]:g} vs {settle[j]:g}); {file[j]} is used{why}",
                          day))
    pairs = pd.DataFrame({"later": file[dup & agree], "earlier": file[first[dup & agree]]})
    for later, group in pairs.groupby("later", sort=False):
        used = sorted(set(group["earlier"]))
        others = ", ".join(used[:3]) + (f" and {len(used) - 3} more" if len(used) > 3 else "")
        notes.append(f"{later}: {len(group)} contract-day(s) also given by {others} (earlier in precedence), "
                     f"settles agree within {AGREE:g}; not used")
    files = tuple(f for p in panels for f in p.files)
    stops = _stops(rows)
    notes += [*_truncation_notes(rows, stops), *(c.note for c in copies)]
    return VxPanel(rows, tuple(bad), files, tuple(notes), stops, copies)


# --------------------------------------------------------------------------- layouts


def _load_cfe(path: Path, rules: Rules) -> Loaded:
    t = read_table(path, _CFE_COLUMNS, ("EFP", "Change"))
    trade = t.dates("Trade Date")
    check_sorted(t, trade, "Trade Date", strict=True)
    expiry = _cfe_expiry(t)
    prices = {c.lower(): t.numbers(c, required=(c == "Settle")) for c in ("Open", "High", "Low", "Close", "Settle")}
    cols = frame_columns(t, trade, np.full(len(t), expiry), prices, t.numbers("Total Volume"), t.numbers("Open Interest"))
    return validate(t, cols, rules, rescale=True)


def _cfe_expiry(t: Table) -> np.datetime64:
    """Return the file's contract expiry, checking the name, the labels and the calendar agree."""
    labels = t.text("Futures")
    if len(t) == 0:
        raise t.error(None, "no data rows")
    distinct = pd.unique(labels)
    if len(distinct) != 1:
        i = int(np.argmax(labels != labels[0]))
        raise t.error(i, f"label {shown(labels[i])} differs from {labels[0]!r}: one contract per file")
    m = _LABEL.match(labels[0])
    if m is None:
        raise t.error(0, f"column 'Futures': label {shown(labels[0])} is not like 'K (May 04)' or 'F (Jan 2018)'")
    year = int(m["y"]) + (2000 if len(m["y"]) == 2 else 0)
    if m["mon"].title() not in _MONTHS:
        raise t.error(0, f"column 'Futures': unknown month {m['mon']!r} in {shown(labels[0])}")
    month = _MONTHS.index(m["mon"].title()) + 1
    code = m["code"]
    monthly_code = len(code) == 1 and code in calendars.VX_MONTH_CODES
    if monthly_code and calendars.VX_MONTH_CODES.index(code) + 1 != month:
        raise t.error(0, f"label {shown(labels[0])}: month letter {code} is not {m['mon']}")
    legacy, current = _LEGACY_NAME.match(t.name), _CBOE_NAME.match(t.name)
    if legacy:
        if not monthly_code or (legacy["m"].upper(), int(legacy["y"]) + 2000) != (code, year):
            raise t.error(0, f"label {shown(labels[0])} does not match the file name {t.name}")
        return np.datetime64(calendars.vx_settlement_date(year, month), "D")
    assert current is not None
    expiry = dt.date.fromisoformat(current["d"])
    rule = calendars.vx_settlement_date(expiry.year, expiry.month)
    if monthly_code and (year, month) != (expiry.year, expiry.month):
        raise t.error(0, f"label {shown(labels[0])} is not the month of the file's expiry {expiry}")
    if monthly_code and rule != expiry:
        raise t.error(0, f"file name gives expiry {expiry} but monthly contract {shown(labels[0])} settles "
                         f"on {rule} (feeds.calendars.vx_settlement_date)")
    if not monthly_code and rule == expiry:
        raise t.error(0, f"label {shown(labels[0])} is not a month code but {expiry} is the monthly settlement date")
    return np.datetime64(expiry, "D")


def _load_consolidated(path: Path, rules: Rules) -> Loaded:
    cols = ("trade_date", "contract", "expiry", "open", "high", "low", "close", "settle", "volume",
            "open_interest", "price_divisor")
    t = read_table(path, cols)
    trade, expiry = t.dates("trade_date"), t.dates("expiry")
    codes = t.text("contract")
    for code in pd.unique(codes):
        m = _CODE.match(code)
        i = int(np.argmax(codes == code))
        if m is None:
            raise t.error(i, f"column 'contract': {shown(code)} is not a monthly code like VXK04")
        rule = np.datetime64(calendars.vx_settlement_date(2000 + int(m["y"]),
                                                          calendars.VX_MONTH_CODES.index(m["m"]) + 1), "D")
        wrong = (codes == code) & (expiry != rule)
        if wrong.any():
            j = int(np.argmax(wrong))
            raise t.error(j, f"expiry {expiry[j]} of {code} is not its settlement date {rule} "
                             "(feeds.calendars.vx_settlement_date)")
    check_divisor(t, trade)
    prices = {c: t.numbers(c, required=(c == "settle")) for c in ("open", "high", "low", "close", "settle")}
    cols = frame_columns(t, trade, expiry, prices, t.numbers("volume"), t.numbers("open_interest"))
    return validate(t, cols, rules, rescale=True)


def _load_close_settle(path: Path, rules: Rules) -> Loaded:
    t = read_table(path, ("trade_date", "expiry", "is_monthly", "close", "settle", "calendar_days_to_expiry",
                          "price_divisor"))
    trade, expiry = t.dates("trade_date"), t.dates("expiry")
    days = t.numbers("calendar_days_to_expiry")
    wrong = days != (expiry - trade).astype(np.int64)
    if wrong.any():
        i = int(np.argmax(wrong))
        raise t.error(i, f"calendar_days_to_expiry {days[i]:g} is not expiry - trade_date "
                         f"({(expiry[i] - trade[i]).astype(int)} days)")
    check_divisor(t, trade)
    nan = np.full(len(t), np.nan)
    prices = {"open": nan, "high": nan, "low": nan, "close": t.numbers("close", required=False),
              "settle": t.numbers("settle")}
    cols = frame_columns(t, trade, expiry, prices, nan, nan)
    return validate(t, cols, rules, rescale=True)._replace(notes=monthly_notes(t, cols))


def _load_by_tenor(path: Path, rules: Rules) -> Loaded:
    t = read_table(path, ("trade_date", "expiry", "is_monthly", "settle"), ("flag",))
    trade, expiry = t.dates("trade_date"), t.dates("expiry")
    nan = np.full(len(t), np.nan)
    prices = {"open": nan, "high": nan, "low": nan, "close": nan, "settle": t.numbers("settle")}
    cols = frame_columns(t, trade, expiry, prices, nan, nan)
    flags = t.text("flag") if t.has("flag") else np.full(len(t), "", dtype=object)
    return validate(t, cols, rules, rescale=False, flags=flags)._replace(notes=monthly_notes(t, cols))


def _stops(rows: pd.DataFrame) -> tuple[VxStop, ...]:
    """The monthly contracts whose rows stop before their settlement while the data runs past it."""
    if rows.empty:
        return ()
    last_day = rows["trade_date"].iloc[-1]
    m = rows[rows["is_monthly"].to_numpy()]
    at = m.groupby("expiry")["trade_date"].idxmax()  # rows are in date order: the contract's last row
    ends = m.loc[at.to_numpy(), ["expiry", "trade_date", "file"]]
    short = ends[(ends["expiry"] <= last_day) & (ends["trade_date"] < ends["expiry"])]
    return tuple(VxStop(e.date(), d.date(), str(f)) for e, d, f in short.itertuples(index=False))


def _truncation_notes(rows: pd.DataFrame, stops: Sequence[VxStop]) -> tuple[str, ...]:
    """Note monthly contracts whose rows stop before their settlement while the data runs past it."""
    last_day = rows["trade_date"].iloc[-1].date() if len(rows) else None
    return tuple(f"VX expiring {s.expiry}: rows stop on {s.last}, before its final settlement, while the "
                 f"data runs to {last_day}" for s in stops)


def _copies(rows: pd.DataFrame) -> tuple[VxCopy, ...]:
    """The pairs of monthly contracts with the same settle (within 1e-9) on every one of the >= COPY_SESSIONS
    sessions both hold, judged file by file: a contract's rows from one file against another contract's (a relabelled
    file whose contract goes on in another source, e.g. a CFE file holding April's data under May's label, CFE's
    rows ending where the consolidated file's May rows begin, is caught on the sessions it holds)."""
    m = rows[rows["is_monthly"].to_numpy()]
    if m.empty:
        return ()
    grid = m.pivot(index="trade_date", columns=["expiry", "file"], values="settle")
    values, days, keys = grid.to_numpy(), grid.index, list(grid.columns)
    out = []
    for j in range(values.shape[1]):
        held = np.flatnonzero(np.isfinite(values[:, j]))
        later = values[held, j + 1:]
        both = np.isfinite(later)
        same = both & (np.abs(later - values[held, j:j + 1]) <= 1e-9)
        n = both.sum(axis=0)
        for k in np.flatnonzero((n >= COPY_SESSIONS) & (same.sum(axis=0) == n)):
            (e1, f1), (e2, f2) = keys[j], keys[j + 1 + k]
            if e1 == e2:
                continue
            on = held[both[:, k]]
            out.append(VxCopy(e1.date(), str(f1), e2.date(), str(f2), int(n[k]), days[on[0]].date(),
                              days[on[-1]].date()))
    return tuple(out)
