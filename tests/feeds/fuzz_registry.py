"""The loaders under fuzz (tests/feeds/test_fuzz.py): one :class:`LoaderCase` per loader, by name.

A case writes a valid sample file, loads a file, and extracts the values the loader keeps, by key
(``{key: value}``), so the fuzz test can compare every kept value with the pristine file's.
Add a loader with :func:`register` (e.g. the FOMC/CPI calendar loaders):

    register(LoaderCase("fomc", make=..., load=..., values=..., value_columns=(1,), date_column=0))

``value_columns`` / ``date_column`` are 0-based field indices of the sample's data lines that the
corruptions target; ``header_line`` is the 0-based line of the header (CFE files have a preamble).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from feeds import breadth, calendars
from feeds.directory import load_directory
from feeds.loaders import LoadError
from feeds.loaders.index import load_cboe_index, load_ohlc
from feeds.loaders.options import load_snapshot
from feeds.loaders.vx import load_vx
from feeds.marketdata import DataError
from tests.feeds import synthdir
from tests.feeds.conftest import FIXTURES


@dataclass(frozen=True)
class LoaderCase:
    name: str
    make: Callable[[Path], Path]  # write a valid sample under the folder given; return the file (or folder) to load
    load: Callable[[Path], Any]
    values: Callable[[Any], dict[Any, float]]  # the values kept, by key
    bad_rows: Callable[[Any], int]  # how many rows the load reported as bad
    value_columns: tuple[int, ...]
    date_column: int
    date_format: str = "%Y-%m-%d"
    header_line: int = 0
    target: str = ""  # for a folder case: the file inside it that corruptions edit
    errors: tuple[type[Exception], ...] = (LoadError, DataError)


REGISTRY: dict[str, LoaderCase] = {}


def register(case: LoaderCase) -> LoaderCase:
    REGISTRY[case.name] = case
    return case


def _vx_values(p) -> dict[Any, float]:
    r = p.rows
    return dict(zip(zip(r["trade_date"], r["expiry"]), r["settle"]))


def _index_values(h) -> dict[Any, float]:
    out = dict(zip(((d, "close") for d in h.dates), h.close))
    out.update({(d, "open"): v for d, v in zip(h.dates, h.open) if math.isfinite(v)})
    return out


def _sample(tmp: Path, name: str) -> Path:
    return synthdir.write(tmp / "src") / name


def _cfe_2006(tmp: Path) -> Path:
    """A pre-2007-03-26 CFE archive file: prices x10, as CFE quoted them (the loader divides by 10)."""
    tmp.mkdir(parents=True, exist_ok=True)
    expiry = calendars.vx_settlement_date(2006, 5)
    days, vix, _ = synthdir.series(3)
    sessions = [d.date() for d in calendars.trading_days(dt.date(2006, 1, 3), expiry)]
    lines = ["CFE data is compiled for the convenience of site visitors (disclaimer line)",
             "Trade Date,Futures,Open,High,Low,Close,Settle,Change,Total Volume,EFP,Open Interest"]
    for d, v in zip(sessions, vix):
        s = 10 * synthdir.vx_settle(v, d, expiry)
        lines.append(f"{d.month}/{d.day}/{d.year},K (May 06),{s:.2f},{s:.2f},{s:.2f},{s:.2f},{s:.2f},0,50,0,500")
    path = tmp / "CFE_K06_VX.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _breadth(tmp: Path) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(5)
    days = calendars.trading_days(dt.date(2018, 1, 2), dt.date(2018, 3, 30))
    adv = rng.integers(100, 400, len(days))
    lines = ["date,sp500_advancers,sp500_decliners"] + [f"{d.date()},{a},{500 - a - 3}" for d, a in zip(days, adv)]
    path = tmp / "ad.csv"
    path.write_text("\n".join(lines) + "\n")
    return path


def _chain(tmp: Path) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    path = tmp / "SPX_20180104_snapshot.csv"
    path.write_bytes((FIXTURES / "chains" / path.name).read_bytes())
    return path


def _chain_values(q) -> dict[Any, float]:
    r = q.rows
    keys = list(zip(r["quote_date"], r["root"], r["expiration"], r["strike"], r["right"]))
    return {**{(k, "bid"): v for k, v in zip(keys, r["bid"])}, **{(k, "ask"): v for k, v in zip(keys, r["ask"])}}


def _dir_values(d) -> dict[Any, float]:
    return {**{("vx", k): v for k, v in _vx_values(d.vx).items()}, **{("vix", k): v for k, v in _index_values(d.vix).items()}}


register(LoaderCase("vx-cboe", lambda t: _sample(t, "vx/VX_2018-05-16.csv"), load_vx, _vx_values,
                    lambda p: len(p.bad_rows), value_columns=(2, 3, 4, 5, 6), date_column=0))
register(LoaderCase("vx-cfe-2006", _cfe_2006, load_vx, _vx_values, lambda p: len(p.bad_rows),
                    value_columns=(2, 3, 4, 5, 6), date_column=0, date_format="%-m/%-d/%Y", header_line=1))
register(LoaderCase("vix-cboe", lambda t: _sample(t, "vix.csv"), lambda p: load_cboe_index(p, "VIX"), _index_values,
                    lambda h: len(h.bad_rows), value_columns=(1, 2, 3, 4), date_column=0, date_format="%m/%d/%Y"))
register(LoaderCase("spx-ohlc", lambda t: _sample(t, "spx.csv"), lambda p: load_ohlc(p, "SPX"), _index_values,
                    lambda h: len(h.bad_rows), value_columns=(1, 2, 3, 4), date_column=0))
register(LoaderCase("breadth", _breadth, lambda p: breadth.load_ad_csv(p, "sp500_advancers", "sp500_decliners"),
                    lambda f: {(d, c): v for c in f.columns for d, v in f[c].items()}, lambda f: len(f.attrs["bad_rows"]),
                    value_columns=(1, 2), date_column=0))
register(LoaderCase("chain-snapshot", _chain, load_snapshot, _chain_values, lambda q: len(q.bad_rows),
                    value_columns=(10, 11), date_column=6, date_format="%m/%d/%Y"))
register(LoaderCase("directory", lambda t: synthdir.write(t / "src"), load_directory, _dir_values,
                    lambda d: len(d.vx.bad_rows) + len(d.vix.bad_rows) + len(d.spx.bad_rows),
                    value_columns=(2, 3, 4, 5, 6), date_column=0, target="vx/VX_2018-04-18.csv"))
