"""End-of-day option chains (SPX, SPXW, VIX): Cboe DataShop, delayed-quote snapshots, generic CSV.

Every layout is normalised to one table (:class:`OptionQuotes.rows`) with the columns of
``COLUMNS``: ``quote_date``, ``root``, ``settlement`` (``AM``/``PM``), ``expiration``, ``strike``,
``right`` (``C``/``P``), ``bid``, ``ask``, ``last``, ``volume``, ``open_interest``, ``iv``
(fraction, NaN when absent or 0), ``delta``, ``gamma``, ``underlying`` (index level the quotes
were taken against), ``file``, ``line``. Roots are never merged: an SPX (AM-settled, on the
Special Opening Quotation) and an SPXW (PM-settled, on the close) series can share an expiration
date; ``root`` is part of every key.

Layouts
-------
DataShop (:func:`load_datashop`)
    ``UnderlyingOptionsEODQuotes`` / ``UnderlyingOptionsEODCalcs``: ``underlying_symbol,
    quote_date, root, expiration, strike, option_type, ..., bid_1545, ask_1545, ..., bid_eod,
    ask_eod, underlying_bid_eod, underlying_ask_eod, ..., open_interest``; the Calcs product adds
    ``implied_volatility_1545, delta_1545, gamma_1545, ...``. ``quotes="eod"`` (default) takes the
    closing bid/ask and underlying mid; ``"1545"`` the 15:45 ET snapshot. Greeks are always the
    15:45 ones (DataShop computes no others). For VIX options the underlying fields hold the VIX
    index, not the VX future the options price off.
Snapshot (:func:`load_snapshot`)
    Cboe delayed-quote download as in ``spx_option_chains_2019_sample``: ``underlying,
    underlying_last, optionroot, type, expiration, quotedate, strike, last, bid, ask, volume,
    openinterest, impliedvol, delta, gamma``; the root comes from the OCC symbol in
    ``optionroot`` (e.g. ``SPXW190426C00800000``), whose date, right and strike must match the
    row. The snapshot is intraday (``underlying_last`` is not the close).
Generic (:func:`load_generic`)
    Any CSV, with ``columns`` mapping the normalised names above to the file's headers; the root
    is a column or a constant (``root="SPX"``).

Validation
----------
Errors (nothing is kept): missing column, bad date, text in a number, a crossed quote (bid above
a positive ask), a negative bid/ask, a non-positive strike, an unknown right or root, an
expiration before the quote date, quote dates not in increasing order, and the same
(quote date, root, expiration, strike, right) twice; each message ends with the fix (fix or delete the row, or move
the file out of ``chains/``). A row quoted on a day that is not a session (a holiday copy) is a bad row (below)
before any of these checks: its other faults are not errors. Implied vols of 0 become NaN.

Rows that parse but are no usable market are left out of ``rows`` and reported in ``bad_rows``
with the reason: a quote date that is not an exchange session, a VIX-root expiration that is no VX settlement date
(VIX options expire on the VX futures' settlement dates: :func:`_not_vix_expiration`), no offer (ask 0, e.g.
DataShop's expiring series and placeholder rows), a zero-width quote (bid = ask), and a mid above its no-arbitrage
bound (a put above its strike; an SPX-family call above the underlying the row was quoted against), and a quote out
of strike order against a neighbouring strike while the strikes on either side agree (:func:`_out_of_strike_order`).
A bid of 0 under a positive ask (far out-of-the-money) is a usable market and kept.

:func:`load_chain_file` picks the loader from the header (DataShop or snapshot);
:meth:`OptionQuotes.concat` joins several files (rows in file order).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from feeds import calendars

from feeds.loaders._table import (
    BadRow,
    LoadError,
    Table,
    check_sorted,
    check_unique,
    peek_header,
    read_table,
    shown,
)

__all__ = ["COLUMNS", "ROOT_SETTLEMENT", "OptionQuotes", "load_chain_file", "load_datashop", "load_generic",
           "load_snapshot"]

#: Settlement style of each known root: AM = Special Opening Quotation, PM = closing value.
ROOT_SETTLEMENT: Mapping[str, str] = {"SPX": "AM", "SPXW": "PM", "SPXPM": "PM", "SPXQ": "PM",
                                      "VIX": "AM", "VIXW": "AM"}
COLUMNS = ("quote_date", "root", "settlement", "expiration", "strike", "right", "bid", "ask", "last", "volume",
           "open_interest", "iv", "delta", "gamma", "underlying", "file", "line")
_REQUIRED = ("quote_date", "expiration", "strike", "right", "bid", "ask")
_OPTIONAL = ("last", "volume", "open_interest", "iv", "delta", "gamma", "underlying")
_OCC = re.compile(r"^(?P<root>[A-Z]+)(?P<date>\d{6})(?P<right>[CP])(?P<strike>\d{8})$")
_RIGHTS = {"c": "C", "call": "C", "p": "P", "put": "P"}
_EMPTY_DTYPES = {"quote_date": "datetime64[ns]", "expiration": "datetime64[ns]", "line": np.int64,
                 **{c: np.float64 for c in ("strike", "bid", "ask", "last", "volume", "open_interest", "iv",
                                            "delta", "gamma", "underlying")}}


@dataclass(frozen=True)
class OptionQuotes:
    """Normalised option quotes of one or more files (see the module docstring)."""

    rows: pd.DataFrame
    bad_rows: tuple[BadRow, ...] = ()
    files: tuple[tuple[str, str], ...] = ()

    @classmethod
    def concat(cls, parts: Sequence[OptionQuotes]) -> OptionQuotes:
        """Return the quotes of ``parts`` in one table (rows, bad rows and files in the given order)."""
        if not parts:
            return cls(pd.DataFrame({c: pd.Series(dtype=_EMPTY_DTYPES.get(c, object)) for c in COLUMNS}))
        rows = pd.concat([p.rows for p in parts], ignore_index=True) if len(parts) > 1 else parts[0].rows
        return cls(rows, tuple(b for p in parts for b in p.bad_rows), tuple(f for p in parts for f in p.files))

    def roots(self) -> list[str]:
        return sorted(self.rows["root"].unique())

    def quote_dates(self) -> list[dt.date]:
        return [d.date() for d in pd.DatetimeIndex(self.rows["quote_date"].unique()).sort_values()]

    def expirations(self, quote_date: dt.date, root: str) -> list[dt.date]:
        """Return the expirations of ``root`` quoted on ``quote_date``."""
        r = self.rows
        sel = r[(r["quote_date"] == pd.Timestamp(quote_date)) & (r["root"] == root)]
        return [d.date() for d in pd.DatetimeIndex(sel["expiration"].unique()).sort_values()]

    def chain(self, quote_date: dt.date, root: str, expiration: dt.date) -> pd.DataFrame:
        """Return one chain (both rights), sorted by strike then right."""
        r = self.rows
        sel = r[(r["quote_date"] == pd.Timestamp(quote_date)) & (r["root"] == root)
                & (r["expiration"] == pd.Timestamp(expiration))]
        return sel.sort_values(["strike", "right"], kind="stable").reset_index(drop=True)


def load_chain_file(path: Path | str, *, check_expiry: bool = True) -> OptionQuotes:
    """Load a chain file of the DataShop or the snapshot layout, recognised from its header.

    ``check_expiry=False`` leaves out the error for a row expiring before its quote date (:mod:`feeds.chainfiles`
    reloads a file that failed on it to see whether it is a stale copy, which it skips whole)."""
    header = {c.lower() for c in peek_header(path)}
    if {"underlying_symbol", "root", "option_type"} <= header:
        return load_datashop(path, check_expiry=check_expiry)
    if "optionroot" in header:
        return load_snapshot(path, check_expiry=check_expiry)
    raise LoadError(path, 1, f"not an option chain file (header {sorted(header)}): give a Cboe DataShop "
                             "file (underlying_symbol, root, option_type, ...) or a delayed-quote snapshot "
                             "(optionroot, type, ...); see feeds.loaders.options")


def load_datashop(path: Path | str, quotes: str = "eod", *, check_expiry: bool = True) -> OptionQuotes:
    """Load a Cboe DataShop ``UnderlyingOptionsEODQuotes``/``EODCalcs`` file."""
    if quotes not in ("eod", "1545"):
        raise ValueError(f"quotes ({quotes!r}) must be 'eod' (closing quotes) or '1545' (15:45 ET snapshot)")
    mapping = {"quote_date": "quote_date", "root": "root", "expiration": "expiration", "strike": "strike",
               "right": "option_type", "bid": f"bid_{quotes}", "ask": f"ask_{quotes}", "last": "close",
               "volume": "trade_volume", "open_interest": "open_interest", "iv": "implied_volatility_1545",
               "delta": "delta_1545", "gamma": "gamma_1545"}
    t = read_table(path, [mapping[k] for k in (*_REQUIRED, "root")] + [f"underlying_bid_{quotes}",
                   f"underlying_ask_{quotes}"], [mapping[k] for k in _OPTIONAL if k in mapping])
    cols = _normalise(t, mapping, root=None)
    cols["underlying"] = (t.numbers(f"underlying_bid_{quotes}") + t.numbers(f"underlying_ask_{quotes}")) / 2.0
    for greek in ("delta", "gamma"):  # DataShop writes 0 where it computed nothing
        cols[greek] = np.where(cols["iv"] > 0, cols[greek], np.nan)
    return _finish(t, cols, check_expiry)


def load_snapshot(path: Path | str, *, check_expiry: bool = True) -> OptionQuotes:
    """Load a Cboe delayed-quote snapshot file (the ``spx_option_chains_2019_sample`` layout)."""
    mapping = {"quote_date": "quotedate", "expiration": "expiration", "strike": "strike", "right": "type",
               "bid": "bid", "ask": "ask", "last": "last", "volume": "volume", "open_interest": "openinterest",
               "iv": "impliedvol", "delta": "delta", "gamma": "gamma", "underlying": "underlying_last"}
    t = read_table(path, [mapping[k] for k in _REQUIRED] + ["optionroot"], [mapping[k] for k in _OPTIONAL])
    symbols = t.text("optionroot")
    parts = pd.Series(symbols, dtype=object).str.extract(_OCC.pattern)
    if parts["root"].isna().any():
        i = int(np.argmax(parts["root"].isna().to_numpy()))
        raise t.error(i, f"column 'optionroot': {shown(symbols[i])} is not an OCC symbol like SPXW190426C00800000")
    cols = _normalise(t, mapping, root=parts["root"].to_numpy(dtype=object))
    _check_symbols(t, parts, cols)
    return _finish(t, cols, check_expiry)


def load_generic(path: Path | str, columns: Mapping[str, str], root: str | None = None) -> OptionQuotes:
    """Load any chain CSV; ``columns`` maps normalised names (``quote_date``, ``expiration``,
    ``strike``, ``right``, ``bid``, ``ask``, optional ``root`` and ``last, volume, open_interest,
    iv, delta, gamma, underlying``) to the file's headers; ``root`` gives a constant root."""
    allowed = {*_REQUIRED, *_OPTIONAL, "root"}
    unknown = set(columns) - allowed
    if unknown:
        raise ValueError(f"columns has unknown key(s) {sorted(unknown)}: use {sorted(allowed)}")
    missing = [k for k in _REQUIRED if k not in columns]
    if missing or (root is None) == ("root" not in columns):
        raise ValueError(f"columns must map {list(_REQUIRED)} (missing {missing}) and exactly one of "
                         "columns['root'] or root= must give the root")
    required = [columns[k] for k in (*_REQUIRED, "root") if k in columns]
    t = read_table(path, required, [columns[k] for k in _OPTIONAL if k in columns])
    cols = _normalise(t, columns, root=None if root is None else np.full(len(t), root, dtype=object))
    return _finish(t, cols)


# --------------------------------------------------------------------------- shared


def _normalise(t: Table, mapping: Mapping[str, str], root: np.ndarray | None) -> dict[str, np.ndarray]:
    n = len(t)
    cols: dict[str, np.ndarray] = {"quote_date": t.dates(mapping["quote_date"]),
                                   "expiration": t.dates(mapping["expiration"])}
    cols["root"] = np.char.upper(t.text(mapping["root"]).astype(str)).astype(object) if root is None else root
    for f in ("strike", "bid", "ask"):
        cols[f] = t.numbers(mapping[f])
    for f in _OPTIONAL:
        has = f in mapping and t.has(mapping[f])
        cols[f] = t.numbers(mapping[f], required=False) if has else np.full(n, np.nan)
    cols["iv"] = np.where(cols["iv"] > 0, cols["iv"], np.nan)
    raw = t.text(mapping["right"])
    rights = np.array([_RIGHTS.get(s.lower(), "") for s in raw], dtype=object)
    if (rights == "").any():
        i = int(np.argmax(rights == ""))
        raise t.error(i, f"column {mapping['right']!r}: right {shown(raw[i])} is not C/P/call/put")
    cols["right"] = rights
    return cols


def _check_symbols(t: Table, parts: pd.DataFrame, cols: dict[str, np.ndarray]) -> None:
    expiry = pd.to_datetime(parts["date"], format="%y%m%d").to_numpy().astype("datetime64[D]")
    strike = parts["strike"].astype(np.int64).to_numpy() / 1000.0
    wrong = ((expiry != cols["expiration"]) | (parts["right"].to_numpy() != cols["right"])
             | (np.abs(strike - cols["strike"]) > 1e-6))
    if wrong.any():
        i = int(np.argmax(wrong))
        raise t.error(i, f"symbol {t.text('optionroot')[i]} does not match the row (expiration "
                         f"{cols['expiration'][i]}, right {cols['right'][i]}, strike {cols['strike'][i]:g})")


def _finish(t: Table, cols: dict[str, np.ndarray], check_expiry: bool = True) -> OptionQuotes:
    roots = cols["root"]
    unknown = ~np.isin(roots, list(ROOT_SETTLEMENT))
    if unknown.any():
        i = int(np.argmax(unknown))
        raise t.error(i, f"unknown root {shown(roots[i])}: known roots are {sorted(ROOT_SETTLEMENT)} "
                         "(feeds.loaders.options.ROOT_SETTLEMENT gives each one's settlement style)")
    session = ~_off_session(cols["quote_date"])  # a row of a non-session (a holiday copy) is a bad row, not checked
    every = ("fix or delete the row; a chain file with such a row stops the whole directory: move the file out of "
             "chains/ to run without it")
    checks = [
        (cols["strike"] <= 0, lambda i: f"strike {cols['strike'][i]:g} is not positive: {every}"),
        ((cols["bid"] < 0) | (cols["ask"] < 0), lambda i: f"negative quote (bid {cols['bid'][i]:g}, ask "
                                                          f"{cols['ask'][i]:g}): {every}"),
        ((cols["ask"] > 0) & (cols["bid"] > cols["ask"]),
         lambda i: f"crossed quote: bid {cols['bid'][i]:g} above ask {cols['ask'][i]:g}: {every}"),
        ((cols["expiration"] < cols["quote_date"]) & check_expiry,
         lambda i: f"expiration {cols['expiration'][i]} is before the quote date {cols['quote_date'][i]}: "
                   f"a file copied to a later date? {every}"),
    ]
    for mask, why in checks:
        mask = mask & session
        if mask.any():
            i = int(np.argmax(mask))
            raise t.error(i, why(i))
    check_sorted(t, cols["quote_date"], "quote date", strict=False)
    key = pd.DataFrame({k: cols[k] for k in ("quote_date", "root", "expiration", "strike", "right")})
    codes = key.groupby(list(key.columns), sort=False).ngroup().to_numpy()
    check_unique(t, codes, lambda i: f"{cols['root'][i]} {cols['expiration'][i]} {cols['strike'][i]:g} "
                                     f"{cols['right'][i]} on {cols['quote_date'][i]}")
    frame = pd.DataFrame({k: cols[k] for k in COLUMNS if k in cols})
    frame["settlement"] = [ROOT_SETTLEMENT[r] for r in roots]
    frame["quote_date"] = frame["quote_date"].astype("datetime64[ns]")
    frame["expiration"] = frame["expiration"].astype("datetime64[ns]")
    frame["file"] = t.name
    frame["line"] = t.lines
    keep, bad = _screen(t, cols)
    if bad:
        frame = frame[keep].reset_index(drop=True)
    return OptionQuotes(frame[list(COLUMNS)], tuple(bad), ((t.name, t.sha256),))


def _off_session(qd: np.ndarray) -> np.ndarray:
    """Return the mask of quote dates (datetime64[D]) that are not exchange sessions."""
    if not len(qd):
        return np.zeros(0, bool)
    sessions = calendars.trading_days(qd.min().astype(object), qd.max().astype(object))
    return ~np.isin(qd, np.asarray(sessions, dtype="datetime64[D]"))


def _not_vix_expiration(roots: np.ndarray, expiration: np.ndarray) -> np.ndarray:
    """Return the mask of VIX-root rows (VIX, VIXW) whose expiration is no VX settlement date (monthly,
    :func:`feeds.calendars.vx_settlement_date`, or weekly, :func:`feeds.calendars.is_vx_weekly_settlement`); a date
    outside the exchange calendar is not judged here."""
    vix = np.char.startswith(roots.astype(str), "VIX")
    out = np.zeros(len(roots), dtype=bool)
    for e in np.unique(expiration[vix]):
        d = e.astype("datetime64[D]").astype(object)
        try:
            ok = calendars.vx_settlement_date(d.year, d.month) == d or calendars.is_vx_weekly_settlement(d)
        except ValueError:
            continue
        if not ok:
            out |= vix & (expiration == e)
    return out


def _screen(t: Table, cols: dict[str, np.ndarray]) -> tuple[np.ndarray, list[BadRow]]:
    """Return the mask of usable markets and the bad rows (see the module docstring)."""
    bid, ask, strike, under = cols["bid"], cols["ask"], cols["strike"], cols["underlying"]
    mid = (bid + ask) / 2.0
    put = cols["right"] == "P"
    index_call = ~put & ~np.char.startswith(cols["root"].astype(str), "VIX")
    qd = cols["quote_date"]
    with np.errstate(invalid="ignore"):
        tests = [
            (_off_session(qd), lambda i: f"quote date {qd[i]} is not an exchange session (a holiday copy?); not "
                                         "used"),
            (_not_vix_expiration(cols["root"], cols["expiration"]),
             lambda i: f"expiration {cols['expiration'][i]} is not a VIX expiration (VIX options expire on the VX "
                       "settlement dates: a Wednesday 30 days before an SPX third Friday, a weekly's Wednesday, or the "
                       "session before one a holiday moves; MARKET_RULES.md): a mistyped date? not used"),
            (ask == 0, lambda i: "no offer (ask 0)"),
            ((ask > 0) & (bid == ask), lambda i: f"zero-width quote (bid = ask = {ask[i]:g})"),
            (put & (mid > strike), lambda i: f"put mid {mid[i]:g} above the strike {strike[i]:g} (no-arbitrage "
                                             "bound)"),
            (index_call & (mid > under), lambda i: f"call mid {mid[i]:g} above the underlying {under[i]:g} "
                                                   "(no-arbitrage bound)"),
        ]
    keep = np.ones(len(t), dtype=bool)
    reasons: dict[int, str] = {}
    for mask, why in tests:
        for i in np.flatnonzero(mask & keep):
            reasons[int(i)] = why(int(i))
        keep &= ~mask
    for i, why in _out_of_strike_order(cols, keep).items():
        reasons[i] = why
        keep[i] = False
    return keep, [t.bad(i, reasons[i], qd[i]) for i in sorted(reasons)]


def _out_of_strike_order(cols: dict[str, np.ndarray], keep: np.ndarray) -> dict[int, str]:
    """Return {row: reason} of the kept rows whose quote breaks a vertical spread's bounds (:mod:`feeds.strikeorder`:
    a put no cheaper than a lower strike's, a call than a higher one's, and no dearer by more than the strikes'
    distance) against a neighbouring strike of its quote date, root, expiry and right by the whole quote (one's bid
    past the other's ask), while its two neighbours keep them with each other and with their own other neighbours:
    the one row their agreement says is wrong (a price keyed x10 or /10). A row within two strikes of its chain's
    end is not judged: its outer neighbour has no neighbour to vouch for it (a wrong end row would blame the row
    beside it). Vectorised over the rows in chain and strike order (1.2 us a row on the 2019 sample, a loop 5.9)."""
    rows = np.flatnonzero(keep)
    if len(rows) < 5:
        return {}
    c = cols
    order = rows[np.lexsort((c["strike"][rows], c["right"][rows], c["expiration"][rows], c["root"][rows],
                             c["quote_date"][rows]))]
    chain = np.stack([np.asarray(c[k][order]).astype(str) for k in ("quote_date", "root", "expiration", "right")])
    same = np.ones(len(order) - 1, dtype=bool)
    for part in chain:
        same &= part[1:] == part[:-1]
    bid, ask, strike = c["bid"][order], c["ask"][order], c["strike"][order]
    call = c["right"][order] == "C"

    def breaks(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Rows x < y in strike order (same chain): the pair's bounds broken by whole quotes."""
        cheap, dear = np.where(call[x], y, x), np.where(call[x], x, y)
        return (bid[cheap] > ask[dear]) | (bid[dear] - ask[cheap] > np.abs(strike[dear] - strike[cheap]))

    i = np.arange(2, len(order) - 2)
    whole = same[i - 2] & same[i - 1] & same[i] & same[i + 1]  # a2, a, i, b, b2 in one chain
    i = i[whole]
    low, high = breaks(i - 1, i), breaks(i, i + 1)
    vouched = ~(breaks(i - 1, i + 1) | breaks(i - 2, i - 1) | breaks(i + 1, i + 2))
    out: dict[int, str] = {}
    for j in i[(low | high) & vouched]:
        n = j - 1 if breaks(np.array([j - 1]), np.array([j]))[0] else j + 1
        out[int(order[j])] = (f"out of strike order: bid {bid[j]:g} / ask {ask[j]:g} against the {strike[n]:g} "
                              f"strike's {bid[n]:g} / {ask[n]:g} (a vertical spread's bounds), while the strikes "
                              f"{strike[j - 1]:g} and {strike[j + 1]:g} on either side keep them")
    return out
