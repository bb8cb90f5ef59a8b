"""How well a day's option quotes pin the vol level they were taken at: a measurement, not a model the Market uses.

The 2019 chain files are intraday snapshots at an unknown hour (their SPX level inside the day's range, rarely the
close), while the data hold VIX at the close (and its high and low). The anchored marks price the model at a
snapshot's SPX but the close's VIX, so the VIX move between the snapshot and the close lands in the quotes' vol gap
to the model (README *Real first, model for the gaps*; fill-and-settlement trial, session 16: 2019-05-01's condor
P&L). Could the snapshot's own level be read from its quotes? Two estimators, each scaled to VIX on the snapshots
taken at the close (the file's SPX is the close's: :data:`AT_CLOSE`), ``ratio`` = the median of VIX close /
estimate there:

- **Cboe's VIX formula** on the file's SPX and SPXW quotes (Cboe, "VIX White Paper", the step-by-step calculation):
  per expiry the forward ``F = K* + e^{RT} (C(K*) - P(K*))`` at the strike whose call and put mids are closest,
  ``K0`` the strike at or below ``F``, the out-of-the-money mids ``Q(K)`` (puts below ``K0``, calls above, both
  averaged at ``K0``; zero bids skipped, a wing cut after two in a row),
  ``sigma^2 = 2/T sum dK/K^2 e^{RT} Q(K) - 1/T (F/K0 - 1)^2``; the expiries either side of 30 days interpolated in
  total variance, ``100 sqrt((T1 s1 (T2 - T30) + T2 s2 (T30 - T1)) / ((T2 - T1) T30))`` (:func:`term_variance`,
  :func:`thirty_day`);
- **the 30-day at-the-money vol**: per expiry the implied vols of the put just below ``F`` and the call just above,
  interpolated to ``F``, then to 30 days in total variance.

Measured (``python -m feeds.snapshot_level --data-dir ../shared/data``): on the two snapshots at the close
(04-26, 04-29) the formula is within 0.06 of VIX with the other day's ratio, the ATM vol within 0.27; on the three
intraday days they
disagree by up to 1.3 points, and each puts one day outside that day's VIX range (the formula 04-25 at 14.41, above
its high of 14.30; the ATM vol 04-30 at 11.92, below its low of 12.88). The files do not pin the level to better
than about a point, so the Market keeps the close's VIX (README: the error this leaves, in dollars).
"""

from __future__ import annotations

import argparse
import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

THIRTY = 30.0 / 365.0
ROOTS = ("SPX", "SPXW")  # as Cboe's VIX uses them (the Market prices contracts from SPX only)


def _sides(strike, is_call, bid, ask) -> tuple[dict[float, tuple[float, float]], dict[float, tuple[float, float]]]:
    quoted = [(float(k), bool(c), float(b), float(a)) for k, c, b, a in zip(strike, is_call, bid, ask)
              if np.isfinite(b) and np.isfinite(a)]
    return ({k: (b, a) for k, c, b, a in quoted if c}, {k: (b, a) for k, c, b, a in quoted if not c})


def _forward(calls, puts, t: float, rate: float) -> tuple[float, list[float]] | None:
    """The parity forward and the strikes quoting both rights with bids (None under two such strikes)."""
    both = [k for k in sorted(set(calls) & set(puts)) if calls[k][0] > 0 and puts[k][0] > 0]
    if len(both) < 2 or t <= 0:
        return None
    mid = lambda q: (q[0] + q[1]) / 2.0  # noqa: E731
    star = min(both, key=lambda k: abs(mid(calls[k]) - mid(puts[k])))
    return star + math.exp(rate * t) * (mid(calls[star]) - mid(puts[star])), both


def term_variance(strike, is_call, bid, ask, t: float, rate: float) -> float | None:
    """``sigma^2`` of one expiry's quotes by Cboe's formula (module docstring), or None."""
    calls, puts = _sides(strike, is_call, bid, ask)
    found = _forward(calls, puts, t, rate)
    below = [] if found is None else [k for k in found[1] if k <= found[0]]
    if not below:
        return None
    forward, k0 = found[0], below[-1]
    mid = lambda q: (q[0] + q[1]) / 2.0  # noqa: E731
    q = {k0: (mid(calls[k0]) + mid(puts[k0])) / 2.0}
    for side, strikes in ((puts, sorted((k for k in puts if k < k0), reverse=True)),
                          (calls, sorted(k for k in calls if k > k0))):
        zeros = 0
        for k in strikes:
            zeros = zeros + 1 if side[k][0] <= 0 else 0
            if zeros == 2:
                break
            if not zeros:
                q[k] = mid(side[k])
    ks = np.array(sorted(q))
    if len(ks) < 3:
        return None
    dk = np.empty_like(ks)
    dk[1:-1], dk[0], dk[-1] = (ks[2:] - ks[:-2]) / 2.0, ks[1] - ks[0], ks[-1] - ks[-2]
    total = float(np.sum(dk / ks ** 2 * math.exp(rate * t) * np.array([q[k] for k in ks])))
    return 2.0 / t * total - (forward / k0 - 1.0) ** 2 / t


def atm_variance(strike, is_call, bid, ask, t: float, rate: float, spot: float) -> float | None:
    """The at-the-money implied variance of one expiry (module docstring), or None."""
    from vixhedge.core import implied

    calls, puts = _sides(strike, is_call, bid, ask)
    found = _forward(calls, puts, t, rate)
    if found is None:
        return None
    forward, both = found
    lo, hi = [k for k in both if k <= forward], [k for k in both if k > forward]
    if not lo or not hi:
        return None
    iv = lambda k, side, call: float(implied.implied_vol_bsm(  # noqa: E731
        np.array([sum(side[k]) / 2.0]), spot, np.array([k]), t, rate, 0.0, call)[0])
    v_lo, v_hi = iv(lo[-1], puts, False), iv(hi[0], calls, True)
    w = (forward - lo[-1]) / (hi[0] - lo[-1])
    return ((1.0 - w) * v_lo + w * v_hi) ** 2 if np.isfinite(v_lo + v_hi) else None


def thirty_day(terms: Sequence[tuple[float, float]]) -> float | None:
    """The 30-day level from ``(T, variance)`` of a day's expiries: the last below 30 days and the first at or past
    it, interpolated in total variance (x 100); None without both."""
    near, far = [x for x in terms if x[0] < THIRTY], [x for x in terms if x[0] >= THIRTY]
    if not near or not far:
        return None
    (t1, s1), (t2, s2) = max(near), min(far)
    total = (t1 * s1 * (t2 - THIRTY) + t2 * s2 * (THIRTY - t1)) / (t2 - t1)
    return 100.0 * math.sqrt(total / THIRTY) if total > 0 else None


def day_levels(book, days, rates: np.ndarray) -> dict[int, tuple[float, float | None, float | None]]:
    """Per day index the files quote SPX options on: (their SPX level, the formula's level, the ATM level)."""
    by_day: dict[int, list] = {}
    for (root, i, expiry), rows in book.chain_items():
        if root in ROOTS:
            by_day.setdefault(i, []).append((root, expiry, rows))
    out = {}
    for i, chains in sorted(by_day.items()):
        under = np.concatenate([book.underlying[rows] for root, _, rows in chains if root == "SPX"] or [[np.nan]])
        if not np.isfinite(under).any():
            continue
        spot, formula, atm = float(np.median(under[np.isfinite(under)])), [], []
        for _, expiry, rows in chains:
            t, r = (expiry - days[i]).days / 365.0, float(rates[i])
            cols = (book.strike[rows], book.is_call[rows], book.bid[rows], book.ask[rows], t, r)
            formula += [(t, v) for v in (term_variance(*cols),) if v is not None and v > 0]
            atm += [(t, v) for v in (atm_variance(*cols, spot),) if v is not None and v > 0]
        out[i] = (spot, thirty_day(formula), thirty_day(atm))
    return out


#: a file's SPX level within this share of the close is the close (feeds.marketquotes marks such quotes as quoted)
AT_CLOSE = 1e-4


def main(argv: list[str] | None = None) -> int:
    """Print each snapshot day's estimates (scaled to VIX on the snapshots at the close) beside VIX's low, close
    and high."""
    from feeds.layout import detect_layout
    from feeds.loaders.index import load_cboe_index
    from feeds.market import build_market
    from feeds.marketdata import DataError
    from vixhedge import fmt
    from vixhedge.core.config import MarketConfig, MarketSource

    p = argparse.ArgumentParser(prog="python -m feeds.snapshot_level", description=__doc__.split("\n\n")[0])
    p.add_argument("--data-dir", required=True, help="the data directory (../shared/data)")
    args = p.parse_args(argv)
    try:
        market = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(args.data_dir)))
        vix = load_cboe_index(detect_layout(args.data_dir).vix)
    except DataError as exc:
        print(f"python -m feeds.snapshot_level: {exc}")
        return 2
    if market.real is None:
        print(f"no real SPX option quotes in {args.data_dir}")
        return 0
    d, levels = market.data, day_levels(market.real, market.days, market.short_rates)
    at_close = {i for i, (spot, _, _) in levels.items() if abs(spot / float(d.spx_close[i]) - 1.0) <= AT_CLOSE}
    ratios = [float(np.median([float(d.vix_close[i]) / levels[i][k] for i in at_close if levels[i][k]] or [1.0]))
              for k in (1, 2)]
    print(f"scaled to VIX on the {len(at_close)} snapshot(s) taken at the close: formula x "
          f"{fmt.num(ratios[0], 4)}, ATM vol x {fmt.num(ratios[1], 4)}")
    for i, (spot, formula, atm) in levels.items():
        row = vix.dates.get_indexer([pd.Timestamp(market.days[i])])[0]
        low, high = (float(vix.low[row]), float(vix.high[row])) if row >= 0 else (math.nan, math.nan)
        cell = lambda v, r: fmt.num(None if v is None else r * v, 2)  # noqa: E731
        print(f"{market.days[i]}  {'at the close' if i in at_close else 'intraday':12}  SPX {fmt.num(spot, 2)} "
              f"(close {fmt.num(float(d.spx_close[i]), 2)})  formula {cell(formula, ratios[0])}  ATM "
              f"{cell(atm, ratios[1])}  VIX low {fmt.num(low, 2)} close {fmt.num(float(d.vix_close[i]), 2)} high "
              f"{fmt.num(high, 2)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
