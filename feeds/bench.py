"""Benchmark (not a test): load and prepare 20 years of daily data plus modelled chains.

    python -m feeds.bench [--data-dir ../shared/data] [--years 20]

Steps, each timed on this machine (wall clock) with the process's peak resident memory after it:

1. load the data directory cold: parse and validate SPX, VIX and every VX file (``load_directory``);
2. cut ``--years`` of market data ending at the last VX settle, and build the Market (modelled VX
   curve for every monthly contract and day, then the real-settle overlay);
3. the continuous VX series (front, second, constant 30-day maturity);
4. price the modelled chains a condor + hedge replay needs each day: the ~45-DTE SPX monthly chain
   and the 2nd-month VIX option chain (cached by the Market thereafter).

Numbers are printed as measured, with the sizes they were measured on, and as JSON on the last line.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import sys
import time
from pathlib import Path

from vixhedge import argtypes
from vixhedge.guard import Parser

PROG = "python -m feeds.bench"


def parser() -> Parser:
    """Return the command's parser (built before the numerical imports below: ``--help`` needs none of them)."""
    p = Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=argtypes.path,
                   metavar="DIR", default=Path(__file__).resolve().parents[2] / "shared" / "data",
                   help="the real data folder (default: ../shared/data beside the repo)")
    p.add_argument("--years", type=int, default=20,
                   help="years of market data ending at the last VX settle (default: %(default)s)")
    return p


if __name__ == "__main__":  # --help and usage errors answer before numpy and the market load (~1 s)
    parser().parse_args()

import numpy as np  # noqa: E402

from feeds import calendars  # noqa: E402
from feeds.directory import load_directory  # noqa: E402
from feeds.market import Market  # noqa: E402
from vixhedge.core.config import MarketConfig, MarketSource, VxSeries  # noqa: E402


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux reports KiB


def _step(name: str, results: dict, fn):
    t0 = time.perf_counter()
    out = fn()
    results[name] = {"seconds": round(time.perf_counter() - t0, 3), "peak_rss_mb": round(_peak_mb(), 1)}
    print(f"{name:<34} {results[name]['seconds']:>8.2f} s   peak RSS {results[name]['peak_rss_mb']:>7.1f} MB",
          file=sys.stderr)
    return out


def _first_session(day: dt.date) -> dt.date:
    return calendars.trading_days(day, day + dt.timedelta(days=10))[0].date()


def _chains(market: Market, strikes: list[int]) -> int:
    """Price each day's 30-60 DTE SPX chain and 2nd-month VIX chain; return how many; ``strikes`` gets the strike
    count of the first 200 SPX chains."""
    priced = 0
    for i in range(len(market.days)):
        expiry = market.spx_expiry(i, 30, 60, 45)
        if expiry is not None:
            chain = market.spx_chain(i, expiry)
            if len(strikes) < 200:
                strikes.append(len(chain.strikes))
            priced += 1
        second = market.vx.nth_contract(i, 2).settlement
        market.vix_chain(i, second)
        priced += 1
    return priced


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    results: dict = {"data_dir": str(args.data_dir), "years": args.years}
    data = _step("1 load + validate files (cold)", results, lambda: load_directory(args.data_dir))
    end = data.vx.span[1] if data.vx.span else data.common_sessions()[-1].date()
    start = end - dt.timedelta(days=round(365.25 * args.years))
    cfg = MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(args.data_dir))
    market = _step("2 market data + VX curve", results,
                   lambda: Market(data.market_data(_first_session(start), end), cfg, vx_panel=data.vx))
    _step("3 VX series (front, 2nd, 30d CM)", results,
          lambda: [market.vx_series(s) for s in (VxSeries.FRONT, VxSeries.SECOND, VxSeries.CONSTANT_30D)])
    counts: list[int] = []
    n_chains = _step("4 modelled SPX + VIX chains", results, lambda: _chains(market, counts))
    strikes = int(np.mean(counts))
    results.update({"days": len(market.days), "span": [str(market.days[0]), str(market.days[-1])],
                    "vx_rows": len(data.vx.rows), "vx_files": len(data.layout.vx),
                    "vx_curve_shape": list(market.vx.prices.shape), "vx_prices": market.vx_origin_counts(),
                    "chains_priced": n_chains, "spx_strikes_per_chain": strikes})
    print(f"{len(market.days)} days {market.days[0]}..{market.days[-1]}, {len(data.vx.rows)} VX rows from "
          f"{len(data.layout.vx)} files, curve {market.vx.prices.shape}, {n_chains} chains "
          f"(~{strikes} SPX strikes each)", file=sys.stderr)
    print(json.dumps(results, sort_keys=True))
    return 0


if __name__ == "__main__":  # pragma: no cover
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
