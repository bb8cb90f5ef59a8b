"""Row-level VX rules shared by the layouts of :mod:`feeds.loaders.vx` (see its docstring)."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd

from feeds import calendars
from feeds.closures import adhoc_words
from feeds.loaders._table import BadRow, Table, check_sorted, check_unique
from feeds.loaders.plausible import Rules
from feeds.loaders.plausible_vx import file_reasons

RESCALE_BEFORE = np.datetime64("2007-03-26", "D")
WEEKLIES_LISTED = np.datetime64("2015-07-23", "D")  # first weekly VX expired 2015-08-05
MIN_SETTLE = 5.0  # VIX points; VIX never closed below 9.14 (1993), VX never settled below ~9
_TWICE = (": looks divided by 10 twice (CFE quoted VX x10 before 2007-03-26 and the loader divides; this file "
          "seems to be in VIX points already)")


class Loaded(NamedTuple):
    """One loaded VX file: usable rows, bad rows, the file's sha256 and notes."""

    frame: pd.DataFrame
    bad: list[BadRow]
    digest: str
    notes: list[str]


def frame_columns(t: Table, trade: np.ndarray, expiry: np.ndarray, prices: dict[str, np.ndarray],
                  volume: np.ndarray, oi: np.ndarray) -> dict[str, np.ndarray]:
    """Return the row columns of one file; a trade after the contract's expiry is an error."""
    after = trade > expiry
    if after.any():
        i = int(np.argmax(after))
        raise t.error(i, f"trade date {trade[i]} is after the contract's final settlement date {expiry[i]}")
    monthly = _is_monthly(expiry)
    return {"trade_date": trade, "expiry": expiry, "contract": _contract_names(expiry, monthly),
            "is_monthly": monthly, **prices, "volume": volume, "open_interest": oi}


def _is_monthly(expiry: np.ndarray) -> np.ndarray:
    out = np.zeros(len(expiry), dtype=bool)
    for e in np.unique(expiry):
        d = e.astype(object)
        out[expiry == e] = calendars.vx_settlement_date(d.year, d.month) == d
    return out


def _contract_names(expiry: np.ndarray, monthly: np.ndarray) -> np.ndarray:
    names = np.empty(len(expiry), dtype=object)
    for e in np.unique(expiry):
        d = e.astype(object)
        mask = expiry == e
        is_m = bool(monthly[np.argmax(mask)])
        names[mask] = (f"VX{calendars.VX_MONTH_CODES[d.month - 1]}{d.year % 100:02d}" if is_m
                       else f"VXW-{d.isoformat()}")
    return names


def check_divisor(t: Table, trade: np.ndarray) -> None:
    """Raise when a ``price_divisor`` cell contradicts the 2007-03-26 rescaling rule."""
    divisor = t.numbers("price_divisor")
    rule = np.where(trade < RESCALE_BEFORE, 10.0, 1.0)
    wrong = divisor != rule
    if wrong.any():
        i = int(np.argmax(wrong))
        raise t.error(i, f"price_divisor {divisor[i]:g} on {trade[i]} contradicts the rule (10 before 2007-03-26, "
                         "else 1)")


def monthly_notes(t: Table, cols: dict[str, np.ndarray]) -> list[str]:
    """Return notes where the file's is_monthly column disagrees with the settlement calendar.

    The calendar decides (the column is derived data, e.g. ``close_settle`` calls the June 2024
    contract weekly because it settled on Tue 2024-06-18, Juneteenth being a holiday).
    """
    given = t.booleans("is_monthly")
    ours, expiry = cols["is_monthly"], cols["expiry"]
    notes = []
    for e in np.unique(expiry[(given != ours) & (ours | (expiry >= WEEKLIES_LISTED))]):
        i = int(np.argmax(expiry == e))
        kind = "monthly" if ours[i] else "weekly"
        notes.append(f"{t.name}, line {t.lines[i]}: is_monthly {t.text('is_monthly')[i]} for expiry {e}; "
                     f"the settlement calendar says {kind} and is used")
    return notes


def validate(t: Table, cols: dict[str, np.ndarray], rules: Rules, *, rescale: bool,
             flags: np.ndarray | None = None) -> Loaded:
    """Check order and keys, rescale pre-2007-03-26 prices, and split usable rows from bad rows (``rules``: the
    plausibility rules the file's rows are judged by)."""
    trade, expiry = cols["trade_date"], cols["expiry"]
    check_sorted(t, trade, "trade_date", strict=False)
    check_unique(t, trade.astype(np.int64) * 1_000_000 + expiry.astype(np.int64),
                 lambda i: f"trade_date {trade[i]}, expiry {expiry[i]}")
    ohlc = ("open", "high", "low", "close")
    if rescale:
        scale = np.where(trade < RESCALE_BEFORE, 10.0, 1.0)
        for c in (*ohlc, "settle"):
            cols[c] = cols[c] / scale
    reasons = _bad_reasons(cols, ohlc, flags)
    no_trade = cols["volume"] == 0
    for c in ohlc:
        cols[c] = np.where(no_trade | ~(cols[c] > 0), np.nan, cols[c])
    implausible = file_reasons(cols, reasons == "", rules)
    reasons = np.where(implausible != "", implausible, reasons)
    keep = reasons == ""
    bad = [t.bad(i, str(reasons[i]), trade[i]) for i in np.flatnonzero(~keep)]
    frame = pd.DataFrame({k: v[keep] for k, v in cols.items()})
    frame["trade_date"] = frame["trade_date"].astype("datetime64[ns]")
    frame["expiry"] = frame["expiry"].astype("datetime64[ns]")
    frame["file"] = t.name
    frame["line"] = t.lines[keep]
    return Loaded(frame, bad, t.sha256, [])


def _off_session(day: np.datetime64) -> str:
    """Why a row dated ``day`` (not an XNYS session) is not used: an unscheduled NYSE closure is named (CFE may
    have traded VX that day, e.g. 2018-12-05, but the SPX did not)."""
    closure = adhoc_words(day)
    if closure:
        return f"trade date {day} is {closure}; the row is ignored because the SPX did not trade that day"
    return "trade date is not an exchange session (XNYS); not used"


def _bad_reasons(cols: dict[str, np.ndarray], ohlc: tuple[str, ...], flags: np.ndarray | None) -> np.ndarray:
    trade = cols["trade_date"]
    n = len(trade)
    reasons = np.full(n, "", dtype=object)
    settle = cols["settle"]
    px = np.column_stack([cols[c] for c in ohlc]) if n else np.zeros((0, 4))
    o, h, lo, c = px.T
    traded = (cols["volume"] > 0) & (px > 0).all(axis=1)
    unbracketed = traded & ((h < np.maximum(o, c) - 1e-9) | (lo > np.minimum(o, c) + 1e-9))
    off = np.zeros(n, dtype=bool)
    if n:
        sessions = calendars.trading_days(trade[0].astype(object), trade[-1].astype(object))
        off = ~np.isin(trade, sessions.values.astype("datetime64[D]"))
    expiry = cols["expiry"]
    early_weekly = ~cols["is_monthly"] & (expiry < WEEKLIES_LISTED)
    weekly = ~cols["is_monthly"] & ~early_weekly
    no_settlement = np.isin(expiry, [e for e in np.unique(expiry[weekly])
                                     if not calendars.is_vx_weekly_settlement(e.astype(object))]) & weekly
    rules = [  # later rules overwrite earlier reasons: the most specific comes last
        (early_weekly, lambda i: f"expiry {expiry[i]} is not a monthly settlement date and weekly VX were "
                                 f"only listed from {WEEKLIES_LISTED}"),
        (no_settlement, lambda i: f"expiry {expiry[i]} is no VX settlement date (a weekly settles on a Wednesday, "
                                  "or the session before a Wednesday, or a Friday 30 days on, that is a holiday)"),
        (off, lambda i: _off_session(trade[i])),
        (unbracketed, lambda i: f"high/low do not bracket open/close ({o[i]:g}/{h[i]:g}/{lo[i]:g}/{c[i]:g})"),
        (settle < MIN_SETTLE, lambda i: f"implausible settle {settle[i]:g} (below {MIN_SETTLE:g} VIX points)"
                                        + (_TWICE if trade[i] < RESCALE_BEFORE and settle[i] * 10 >= MIN_SETTLE else "")),
        (settle == 0, lambda i: "settle is 0"),
        ((settle == 0) & ~(np.nan_to_num(px) != 0).any(axis=1), lambda i: "all prices are 0"),
    ]
    if flags is not None:
        rules.append((flags != "", lambda i: f"flagged by the source: {flags[i]}"))
    for mask, why in rules:
        for i in np.flatnonzero(mask):
            reasons[i] = why(i)
    return reasons
