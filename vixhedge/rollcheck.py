"""The roll artefact of a VX series: how its MACD behaves on VX settlement days (README figures).

    python -m vixhedge.rollcheck --data-dir ../shared/data [--start-year 2014] [--end-year 2018]
    python -m vixhedge.rollcheck --model      the modelled curve under a constant VIX (14, 20, 30)

For each series (``front``, ``second``, ``constant_30d``) on the real VX settles: the MACD(12,26,9)
up-crosses that fall on a monthly settlement day or the session after, against the count expected if
up-crosses were spread evenly over the sessions, and the mean absolute daily change on those roll days
over that of the other days (1 = no jump at the roll). ``--model``: the range each series still
spans over 2016 when the VIX does not move at all (the VX model's curve shape seen through each series); it reads
no data, so --data-dir and the years are refused beside it. Prints one line per series. About 8 s on
../shared/data (2014-2018), 1 s with --model (wall, a shared 2-core machine, 2026-12-07).
"""

from __future__ import annotations

import argparse
import datetime as dt

from vixhedge import argtypes
from vixhedge.guard import Parser

PROG = "python -m vixhedge.rollcheck"
YEARS = (2014, 2018)  # the years measured by default (README's figures)
FIRST_YEAR, LAST_YEAR = 1991, 2035  # the calendar's 1990-01-01..2035-12-31 (market.history_start) less a warm-up


def parser() -> Parser:
    """Return the command's parser (built before the numerical imports below: ``--help`` needs none of them)."""
    p = Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=argtypes.path_text,
                   metavar="DIR", help="real data folder with the VX settles (../shared/data)")
    p.add_argument("--model", action="store_true", help="constant-VIX ranges on the modelled curve")
    p.add_argument("--start-year", type=int, default=None, help=f"first year measured (default: {YEARS[0]})")
    p.add_argument("--end-year", type=int, default=None, help=f"last year measured (default: {YEARS[1]})")
    return p


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """Return the parsed command line; neither ``--data-dir`` nor ``--model`` is a usage error."""
    p = parser()
    a = p.parse_args(argv)
    if not a.model and not a.data_dir:
        p.error("give --data-dir (real VX settles) or --model")
    given = [f for f, v in (("--data-dir", a.data_dir), ("--start-year", a.start_year), ("--end-year", a.end_year))
             if v is not None]
    if a.model and given:  # (HELP32 M7: they were ignored without a word)
        p.error(f"--model measures the modelled curve over 2016 under a constant VIX and reads no data: drop "
                f"{' '.join(given)} (or drop --model to measure the real settles)")
    a.start_year = YEARS[0] if a.start_year is None else a.start_year
    a.end_year = YEARS[1] if a.end_year is None else a.end_year
    if a.start_year > a.end_year:
        p.error(f"--start-year {a.start_year} is after --end-year {a.end_year}: give the first year first")
    return a


if __name__ == "__main__":  # --help and usage errors answer before numpy and the market load (~1 s)
    arguments()

import numpy as np  # noqa: E402

from feeds import calendars  # noqa: E402
from feeds.market import Market, build_market  # noqa: E402
from vixhedge.core import config as C  # noqa: E402
from vixhedge.core import signals as sig  # noqa: E402


def roll_days(market: Market, first_year: int, last_year: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (settlement day or the session after, inside the years) masks over the market's days."""
    settle = {calendars.vx_settlement_date(y, m) for y in range(first_year - 1, last_year + 2) for m in range(1, 13)}
    days = list(market.days)
    roll = np.array([d in settle or (i > 0 and days[i - 1] in settle) for i, d in enumerate(days)])
    return roll, np.array([first_year <= d.year <= last_year for d in days])


def artefact(series: np.ndarray, roll: np.ndarray, window: np.ndarray) -> dict[str, float]:
    """Return the roll-day up-crosses, the count expected by chance and the roll-day jump ratio."""
    lines = sig.macd(series)
    up = (sig.crossover(lines.macd, lines.signal) == 1) & window
    move = np.abs(np.diff(series))
    return {"roll_day_up_crosses": int((up & roll).sum()),
            "expected": float(up.sum() * (roll & window).sum() / window.sum()),
            "jump_ratio": float(move[roll[1:] & window[1:]].mean() / move[~roll[1:] & window[1:]].mean())}


def flat_vix_ranges(levels: tuple[float, ...] = (14.0, 20.0, 30.0)) -> dict[float, dict[str, float]]:
    """Return, per constant VIX level, the range (max - min) of each VX series over 2016 on the modelled curve.

    The market starts two years earlier: the two-factor curve's slow level (feeds.vxcurve) takes months to settle
    at a constant VIX, and that settling is not a roll effect.
    """
    import pandas as pd

    from feeds.marketdata import MarketData

    dates = pd.DatetimeIndex(calendars.trading_days(dt.date(2014, 1, 2), dt.date(2016, 12, 30)))
    measured = dates >= pd.Timestamp(2016, 1, 4)
    out = {}
    for v in levels:
        spx = np.full(len(dates), 2000.0)
        market = Market(MarketData(dates, spx, spx, spx, spx, np.full(len(dates), v), None, "flat"), C.Config().market)
        out[v] = {s.value: float(np.ptp(market.vx_series(s)[measured])) for s in C.VxSeries}
    return out


def _covering(data_dir: str, first_year: int, last_year: int) -> Market:
    """Return the market of the real data in ``data_dir`` read from June of the year before ``first_year``; years
    it does not cover are a ConfigError naming the flags and the years the folder holds (they used to name
    ``market.history_start``, a key the user never set, or print NaN)."""
    from feeds.marketdata import DataError

    cfg = C.replace(C.Config(), market={"source": "directory", "data_dir": data_dir})
    if FIRST_YEAR <= first_year and last_year <= LAST_YEAR:
        try:
            market = build_market(C.replace(cfg, market={"history_start": f"{first_year - 1}-06-01"}).market)
            if market.days[0].year <= first_year and market.days[-1].year >= last_year:
                return market
        except DataError:
            pass
    whole = build_market(cfg.market)
    raise C.ConfigError(f"--start-year {first_year} --end-year {last_year} is outside the data: {data_dir} holds "
                        f"{whole.days[0]}..{whole.days[-1]}: give years in {whole.days[0].year}..{whole.days[-1].year}")


def main(argv: list[str] | None = None) -> int:
    a = arguments(argv)
    if a.model:
        for v, ranges in flat_vix_ranges().items():
            print(f"VIX constant at {v:g}: " + ", ".join(f"{k} spans {r:.2f}" for k, r in ranges.items()))
        return 0
    market = _covering(a.data_dir, a.start_year, a.end_year)
    roll, window = roll_days(market, a.start_year, a.end_year)
    for s in C.VxSeries:
        r = artefact(market.vx_series(s), roll, window)
        print(f"{s.value}: {r['roll_day_up_crosses']} up-crosses on roll days ({r['expected']:.1f} expected), "
              f"roll-day move {r['jump_ratio']:.2f}x the other days'")
    return 0


if __name__ == "__main__":
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
