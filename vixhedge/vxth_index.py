"""The pure Cboe VXTH replica as an index, beside the S&P 500 and the VXTH overlay alone (README table).

Cboe VIX Tail Hedge Index rules (Cboe, VXTH index page and methodology,
https://www.cboe.com/index/dashboard/VXTH): hold the S&P 500 total-return index; at each monthly roll,
the VIX options expiration, buy one-month 30-delta VIX calls (the next expiration's) with a weight of
the portfolio set by the VX future of the calls' month (0% at or below 15, 1% above 15 to 30, 0.5%
above 30 to 50, 0% above 50); hold them to settlement, when their value returns to the portfolio
and the next calls are bought.

Here (:func:`replica`): the index starts at 100 on the first VIX expiration of the window; calls are
bought at the ask of the Market's VIX chain (real where the files quote it, else the Black-76 model
on the real or modelled VX curve), in fractional quantity as an index does, no fees; they settle at the
VRO proxy of :meth:`feeds.market.Market.settlement_value`; the S&P 500 total return is the price index
compounded with the configured dividend yield (``market.div_yield``, continuous; a stated
simplification: no total-return file is in the data). Between rolls the calls are marked at mid.

    python -m vixhedge.vxth_index [--data-dir ../shared/data] [--start 2007-01-03] [--end 2023-12-29]

prints the replica, the S&P 500 total return and the overlay alone (``vxth`` preset with
``condor.enabled = false``: the calls bought with integer contracts on a cash account at bid/ask with
fees, the rest of NAV in cash at the run's rate) over the same window, as a Markdown table, then the
replica's calendar years against the S&P 500 and its largest payoffs. About 3 s on the embedded market, 16 s on
../shared/data 2007-2023 (wall, a shared 2-core machine, 2026-12-07; --smiles about 30 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import math
import sys

from vixhedge import argtypes
from vixhedge.guard import Parser

PROG = "python -m vixhedge.vxth_index"


def parser() -> Parser:
    """Return the command's parser (built before the numerical imports below: ``--help`` needs none of them)."""
    p = Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=argtypes.path_text,
                   metavar="DIR", help="real data folder (directory source); default: embedded")
    p.add_argument("--start", type=argtypes.iso_day, default="2007-01-03",
                   help="first day of the window (the first day after the signals' warm-up if that is later; "
                        "default: %(default)s)")
    p.add_argument("--end", type=argtypes.iso_day, default="2023-12-29",
                   help="last day of the window (the market's last day if that is earlier; default: %(default)s)")
    p.add_argument("--smiles", action="store_true",
                   help="also measure the replica's gap to Cboe's published VXTH under the other VIX smiles "
                        "(vixhedge.vxth_published.SMILES; needs --data-dir with the published index)")
    return p


if __name__ == "__main__":  # --help and usage errors answer before numpy, pandas and the market load (~1 s)
    parser().parse_args()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from analyzers import metrics as M  # noqa: E402
from feeds import calendars  # noqa: E402
from feeds.market import Market, build_market  # noqa: E402
from strategies.vxth import vxth_weight  # noqa: E402
from vixhedge.core import config as C  # noqa: E402
from vixhedge.core.desk import fill_price  # noqa: E402
from vixhedge.vxth_published import SMILES, WIDE_FILE, published, tracking, tracking_line  # noqa: E402
from vixhedge.core.instruments import Contract, Kind, Right  # noqa: E402
from vixhedge.fmt import num, pct  # noqa: E402


def total_return(market: Market, i0: int, i1: int) -> np.ndarray:
    """Return the S&P 500 total-return level (1 on day ``i0``): price x exp(div_yield x years)."""
    spx = np.asarray(market.data.spx_close[i0:i1 + 1], dtype=float)
    days = np.array([(d - market.days[i0]).days for d in market.days[i0:i1 + 1]], dtype=float)
    return spx / spx[0] * np.exp(market.cfg.div_yield * days / 365.0)


def replica(market: Market, cfg: C.Config, start: dt.date, end: dt.date) -> pd.DataFrame:
    """Return the daily VXTH replica (index level, weight, calls held) and the S&P 500 TR, both from 100."""
    days = market.days
    i0 = next(i for i, d in enumerate(days) if d >= start and _is_expiration(d))
    i1 = max(i for i, d in enumerate(days) if d <= end)
    tr = total_return(market, i0, i1)
    v = cfg.hedge.vxth
    units, calls, contract = 100.0, 0.0, None
    weight = 0.0
    rows, rolls = [], []
    for k, i in enumerate(range(i0, i1 + 1)):
        day = days[i]
        value = units * tr[k]
        if contract is not None and contract.expiry <= day:  # the calls settle at the VRO proxy
            settle = market.settlement_value(contract)
            units += calls * contract.payoff(settle) / tr[k]
            rolls[-1].update(settlement=settle, multiple=contract.payoff(settle) / rolls[-1]["ask"])
            value, calls, contract = units * tr[k], 0.0, None
        if contract is None and _is_expiration(day):
            expiry = market.vx.nth_contract(i, 1).settlement  # the next expiration: one month out
            weight = vxth_weight(float(market.vx_quote(i, expiry).mid), v)
            if weight > 0:
                strike = market.vix_chain(i, expiry).nearest_delta(Right.CALL, v.call_delta)
                contract = Contract(Kind.VIX_OPTION, expiry, strike, Right.CALL)
                ask = fill_price(market.quote(contract, i), 1, cfg.execution)
                calls = weight * value / ask
                units -= calls * ask / tr[k]
                rolls.append({"bought": day, "expiry": expiry, "strike": strike, "ask": ask, "weight": weight})
        held = calls * market.quote(contract, i).mid if contract is not None else 0.0
        rows.append({"date": day, "vxth": units * tr[k] + held, "spx_tr": 100.0 * tr[k], "weight": weight,
                     "calls": calls, "strike": contract.strike if contract is not None else math.nan})
    out = pd.DataFrame(rows).set_index("date")
    out.attrs["rolls"] = rolls  # each purchase: strike, ask, weight; settlement and payoff / ask
    return out


def _is_expiration(day: dt.date) -> bool:
    return calendars.vx_settlement_date(day.year, day.month) == day


def compare(market: Market, start: dt.date, end: dt.date, pub: pd.Series | None = None) -> pd.DataFrame:
    """Return one row of metrics each for the VXTH replica, the S&P 500 TR and the VXTH overlay alone, and Cboe's
    published VXTH on the replica's days when ``pub`` (its closes by date) is given."""
    from vixhedge.run import run_backtest

    base = C.load_preset("vxth")
    rep = replica(market, base, start, end)
    first, last = rep.index[0], rep.index[-1]
    alone = C.replace(base, run={"start": first.isoformat(), "end": last.isoformat(), "name": "vxth-overlay"},
                      market=C.to_dict(market.cfg), condor={"enabled": False})
    overlay = run_backtest(alone, market, engine="fast").daily["nav_usd"]
    navs = [("VXTH replica", rep["vxth"]), ("S&P 500 total return", rep["spx_tr"]),
            ("VXTH overlay alone (cash + calls)", overlay)]
    if pub is not None:
        navs.insert(1, ("Cboe VXTH, published", pub.reindex(pd.DatetimeIndex(rep.index)).dropna()))
    out = {}
    for name, nav in navs:
        s = M.summary(np.asarray(nav, dtype=float), 0.0, 252, list(nav.index))
        out[name] = {k: s[k] for k in ("total_return", "cagr", "ann_vol", "sharpe", "max_drawdown", "worst_month",
                                       "worst_month_label", "cvar_95")}
    table = pd.DataFrame(out).T
    table.attrs["window"] = f"{first}..{last}"
    table.attrs["weights"] = rep.loc[[d for d in rep.index if _is_expiration(d)], "weight"].value_counts().to_dict()
    table.attrs["years"] = calendar_years(rep)
    table.attrs["rolls"] = rep.attrs["rolls"]
    table.attrs["replica"] = rep
    return table


def calendar_years(rep: pd.DataFrame) -> pd.DataFrame:
    """Return each calendar year's return of the replica and the S&P 500 TR (the first year from the start)."""
    levels = rep[["vxth", "spx_tr"]].copy()
    levels.index = pd.DatetimeIndex(levels.index)
    ends = levels.groupby(levels.index.year).last()
    starts = pd.concat([levels.iloc[:1], ends.iloc[:-1]]).set_axis(ends.index)
    return ends / starts - 1.0


def main(argv: list[str] | None = None) -> int:
    a = parser().parse_args(argv)
    pub = published(a.data_dir) if a.data_dir else None
    if a.smiles and pub is None:  # (before the market is built)
        print(f"{PROG}: --smiles needs --data-dir with Cboe's published VXTH (the VXTH column of {WIDE_FILE})",
              file=sys.stderr)
        return 2
    market_cfg = {"source": "directory", "data_dir": a.data_dir, "history_start": "2006-06-01"} if a.data_dir \
        else {}
    cfg = C.replace(C.Config(), market=market_cfg)
    market = build_market(cfg.market)
    start, end = dt.date.fromisoformat(a.start), dt.date.fromisoformat(a.end)
    warm_up = cfg.hedge.macd.warmup_bars  # the runs it compares need the signals' warm-up before their start
    start, end = max(start, market.days[min(warm_up, len(market.days) - 1)]), min(end, market.days[-1])
    table = compare(market, start, end, pub)
    print(f"window {table.attrs['window']}; weights at the rolls: {table.attrs['weights']}")
    print("| | total return | CAGR | vol | Sharpe (rf 0) | max drawdown | worst month | CVaR 95% (daily) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, r in table.iterrows():
        print(f"| {name} | {pct(r.total_return, 1)} | {pct(r.cagr)} | {pct(r.ann_vol, 1)} | {num(r.sharpe)} | "
              f"{pct(r.max_drawdown, 1)} | {pct(r.worst_month, 1)} ({r.worst_month_label}) | {pct(r.cvar_95)} |")
    years = table.attrs["years"]
    print("\ncalendar years, replica minus S&P 500 TR (points): " + ", ".join(
        f"{y} {num(100 * (r.vxth - r.spx_tr), 1, signed=True)}" for y, r in years.iterrows()))
    settled = [r for r in table.attrs["rolls"] if "multiple" in r]  # (review 15: none settled was a KeyError)
    best = sorted(settled, key=lambda r: -r["multiple"])[:3]
    print("largest payoffs: " + ("; ".join(
        f"bought {r['bought']} strike {r['strike']:g} at {r['ask']:.2f}, settled {r['settlement']:.2f} on "
        f"{r['expiry']}: {r['multiple']:.0f}x" for r in best) or "none (no call settled in the window)"))
    if pub is not None:
        t = tracking(table.attrs["replica"], pub)
        print(tracking_line("against Cboe's published VXTH", t))
        print("calendar years, replica minus published (points): " + ", ".join(
            f"{y} {num(v, 1, signed=True)}" for y, v in t["years"].items()))
    for name, keys in list(SMILES.items())[1:] if a.smiles else ():
        other = build_market(C.replace(cfg, market={"vix_smile": keys}).market)
        print(tracking_line(f"VIX smile {name}", tracking(replica(other, C.load_preset("vxth"), start, end), pub)))
    return 0


if __name__ == "__main__":
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
