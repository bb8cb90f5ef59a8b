"""The embedded default market: real daily SPX OHLC and VIX closes shipped by ``arch``.

``arch.data.sp500`` holds S&P 500 OHLC 1999-2018 and ``arch.data.vix`` VIX closes
2014-2019 (both from public Yahoo Finance history). Their common span on exchange sessions
is 2014-01-03 .. 2018-12-31. VIX opens are absent, so the VIX settlement value (VRO) is
proxied by the VIX close of the settlement day; this is named in every run's manifest.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from feeds.marketdata import DataError, MarketData

SOURCE = "embedded:arch.data(sp500,vix)"


def _arch_file(name: str) -> Path:
    """Return the path of ``arch/data/<name>/<name>.csv.gz`` without importing arch (0.4 s of statsmodels,
    scipy.stats and matplotlib that a run never uses)."""
    from importlib.util import find_spec  # finds the installed package (a dependency) without running it

    return Path(find_spec("arch").submodule_search_locations[0]) / "data" / name / f"{name}.csv.gz"


def _read_arch_csv(name: str) -> pd.DataFrame:
    """Return what ``arch.data.<name>.load()`` returns (arch.data.utility.load_file, tested equal)."""
    data = pd.read_csv(_arch_file(name))
    if "Date" in data:
        data.Date = pd.to_datetime(data.Date)
        data = data.set_index("Date")
    for col in data:
        data[col] = pd.to_numeric(data[col], errors="coerce")
    return data


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@lru_cache(maxsize=1)
def load_embedded() -> MarketData:
    """Return the embedded SPX + VIX history on their common span of exchange sessions."""
    spx = _read_arch_csv("sp500")
    vix = _read_arch_csv("vix")["vix"].dropna()
    common = spx.index.intersection(vix.index)
    if len(common) == 0:
        raise DataError(f"{SOURCE}: SPX and VIX histories do not overlap")
    span = (common[0], common[-1])
    spx = spx.loc[span[0]:span[1]]
    vix = vix.loc[span[0]:span[1]]
    if not spx.index.equals(vix.index):
        only = spx.index.symmetric_difference(vix.index)
        raise DataError(f"{SOURCE}: SPX and VIX dates differ on {[d.date() for d in only[:5]]}")
    dates = pd.DatetimeIndex(spx.index).normalize().as_unit("ns")
    col = lambda name: spx[name].to_numpy(dtype=np.float64)  # noqa: E731
    files = tuple((f"arch/data/{m}/{m}.csv.gz", _sha256(_arch_file(m)))
                  for m in ("sp500", "vix"))
    return MarketData(dates=dates, spx_open=col("Open"), spx_high=col("High"), spx_low=col("Low"),
                      spx_close=col("Close"), vix_close=vix.to_numpy(dtype=np.float64), vix_open=None,
                      source=SOURCE, files=files)
