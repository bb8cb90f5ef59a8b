"""The vol levels a snapshot of SPX option quotes was taken at: Cboe's index formula on the snapshot's own quotes
(about 5 s of one core on ../shared/data).

The 2019 chain files are intraday snapshots at an unknown hour (their SPX level inside the day's range, rarely the
close), while the data hold the vol indices at the close. Priced at a snapshot's SPX but the close's VIX9D .. VIX1Y,
the model put the indices' move between the snapshot and the close into the quotes' vol gap to the model, which the
anchored marks carry (fill-and-settlement trial, session 16: on 2019-05-01, an FOMC day whose VIX closed at 14.80
after a low of 12.74, a short-vega condor booked $2,197, $154 without the chains). So on a snapshot day away from
the close the Market prices the model at the snapshot's own levels (:func:`snapshot_levels`;
``feeds.anchoring.AnchoredQuotes.quoted_levels``); on a snapshot at the close (the file's SPX is the close's,
:data:`AT_CLOSE`) and on every other day at the published closes, as before.

**The formula** (Cboe, "VIX White Paper", the step-by-step calculation; the same at 9, 93, 184 and 365 days for
VIX9D, VIX3M, VIX6M and VIX1Y), on the Friday expiries Cboe uses (the third Friday's standard SPX, SPXW on the
other Fridays; review 16: Monday and Wednesday chains quote fewer wing strikes and read ~0.3-0.5 low): per expiry
the forward ``F = K* + e^{RT} (C(K*) - P(K*))`` at the strike whose call and put mids are closest, ``K0`` the strike
at or below ``F``, the out-of-the-money mids ``Q(K)`` (puts below ``K0``, calls above, both averaged at ``K0``;
zero bids skipped, a wing cut after two in a row),

    sigma^2 = 2/T sum_K dK/K^2 e^{RT} Q(K) - 1/T (F/K0 - 1)^2          (dK: half the gap between the neighbours)

and the two expiries either side of the horizon ``H`` interpolated in total variance,
``100 sqrt((T1 s1 (T2 - H) + T2 s2 (H - T1)) / ((T2 - T1) H))``. Times are calendar days to the expiry over 365 (the
snapshot's hour is unknown). A day is computed when the Market first asks for it (a data folder of years of
intraday files pays for the days a run reads).

Measured (``python -m feeds.snapshot_level --data-dir ../shared/data``): on the snapshots at the close (2019-04-26,
04-29) the formula reproduces the published VIX9D, VIX, VIX3M, VIX6M and VIX1Y within 0.05 points as it is (the
ratios published / formula 0.9996..1.0031: no scale is applied); on the intraday days it puts the snapshot's VIX at
14.10 (04-25, close 13.25, high 14.30), 12.94 (04-30, close 13.12) and 13.34 (05-01, close 14.80), and the 30-day
at-the-money vol (Black-76 on ``F``, the put just below it and the call just above, to 30 days in total variance,
scaled to VIX on the at-the-close days), a cross-check, within 0.3 of it each day.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from feeds.measure_cli import data_dir_parser
from vixhedge.guard import Parser

PROG = "python -m feeds.snapshot_level"


def parser() -> Parser:
    """Return the command's parser (built before numpy and pandas load): ``--data-dir DIR``, default beside the
    repo, as the measure scripts' (:func:`feeds.measure_cli.data_dir_parser`)."""
    return data_dir_parser(PROG, __doc__.split("\n\n")[0])


if __name__ == "__main__":  # --help and usage errors answer before numpy and pandas load
    parser().parse_args()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from feeds.surface import LEVELS  # noqa: E402

ROOTS = ("SPX", "SPXW")  # as Cboe's indices use them (the Market prices contracts from SPX only)
NODE_DAYS = (9, 30, 93, 184, 365)  # VIX9D, VIX, VIX3M, VIX6M, VIX1Y: feeds.surface.NODES, the day_levels columns
#: a file's SPX level within this share of the close is the close (an end-of-day file's rounding or its bid/ask
#: midpoint): its quotes are marked as quoted; the 2019 intraday snapshots sit 9, 24 and 79 bp off (MarketQuotes.mark)
AT_CLOSE = 1e-4
#: a node the formula reads outside this band around the close's is not used (the close's stands): wider than any
#: real day's VIX range against its close (2018-02-05: low 16.80 / close 37.32 = 0.45; 2024-08-05: high 65.73 /
#: 38.57 = 1.70), so it only turns away a reading far off (a chain of a few strikes); a chain whose wings are cut
#: reads low inside it (:func:`term_variance`), which the run's note says
BAND = (0.4, 2.5)


def _sides(strike, is_call, bid, ask) -> tuple[dict[float, tuple[float, float]], dict[float, tuple[float, float]]]:
    quoted = [(float(k), bool(c), float(b), float(a)) for k, c, b, a in zip(strike, is_call, bid, ask)
              if np.isfinite(b) and np.isfinite(a)]
    return ({k: (b, a) for k, c, b, a in quoted if c}, {k: (b, a) for k, c, b, a in quoted if not c})


def _mid(q: tuple[float, float]) -> float:
    return (q[0] + q[1]) / 2.0


def _forward(calls, puts, t: float, rate: float) -> tuple[float, list[float]] | None:
    """The parity forward and the strikes quoting both rights with bids (None under two such strikes)."""
    both = [k for k in sorted(set(calls) & set(puts)) if calls[k][0] > 0 and puts[k][0] > 0]
    if len(both) < 2 or t <= 0:
        return None
    star = min(both, key=lambda k: abs(_mid(calls[k]) - _mid(puts[k])))
    return star + math.exp(rate * t) * (_mid(calls[star]) - _mid(puts[star])), both


def term_variance(strike, is_call, bid, ask, t: float, rate: float) -> float | None:
    """``sigma^2`` of one expiry's quotes by Cboe's formula (module docstring), or None. The wings make the variance:
    a file that cuts them reads low (review 16b, flat 20% vol, 30 days: strikes within 3% read 15.2, 5% 17.7, 10%
    19.6; the 2019 files reach the published indices within 0.05)."""
    calls, puts = _sides(strike, is_call, bid, ask)
    found = _forward(calls, puts, t, rate)
    below = [] if found is None else [k for k in found[1] if k <= found[0]]
    if not below:
        return None
    forward, k0 = found[0], below[-1]
    q = {k0: (_mid(calls[k0]) + _mid(puts[k0])) / 2.0}
    for side, strikes in ((puts, sorted((k for k in puts if k < k0), reverse=True)),
                          (calls, sorted(k for k in calls if k > k0))):
        zeros = 0
        for k in strikes:
            zeros = zeros + 1 if side[k][0] <= 0 else 0
            if zeros == 2:
                break
            if not zeros:
                q[k] = _mid(side[k])
    ks = np.array(sorted(q))
    if len(ks) < 3:
        return None
    dk = np.empty_like(ks)
    dk[1:-1], dk[0], dk[-1] = (ks[2:] - ks[:-2]) / 2.0, ks[1] - ks[0], ks[-1] - ks[-2]
    total = float(np.sum(dk / ks ** 2 * math.exp(rate * t) * np.array([q[k] for k in ks])))
    return 2.0 / t * total - (forward / k0 - 1.0) ** 2 / t


def atm_variance(strike, is_call, bid, ask, t: float, rate: float) -> float | None:
    """The at-the-money implied variance of one expiry (the cross-check), or None: Black-76 on the parity forward,
    so the dividend yield the quotes imply is in it (review 16: BSM on the spot without it read the put below ``F``
    high and the call above it low, by up to ~0.7 vol points)."""
    from vixhedge.core import implied

    calls, puts = _sides(strike, is_call, bid, ask)
    found = _forward(calls, puts, t, rate)
    if found is None:
        return None
    forward, both = found
    lo, hi = [k for k in both if k <= forward], [k for k in both if k > forward]
    if not lo or not hi:
        return None
    iv = lambda k, side, call: float(implied.implied_vol_black76(  # noqa: E731
        np.array([_mid(side[k])]), forward, np.array([k]), t, rate, call)[0])
    v_lo, v_hi = iv(lo[-1], puts, False), iv(hi[0], calls, True)
    w = (forward - lo[-1]) / (hi[0] - lo[-1])
    return ((1.0 - w) * v_lo + w * v_hi) ** 2 if np.isfinite(v_lo + v_hi) else None


def horizon_level(terms: Sequence[tuple[float, float]], horizon: float) -> float | None:
    """The level at ``horizon`` years from ``(T, variance)`` of a day's expiries: the last below it and the first at
    or past it, interpolated in total variance (x 100); None without both."""
    near, far = [x for x in terms if x[0] < horizon], [x for x in terms if x[0] >= horizon]
    if not near or not far:
        return None
    (t1, s1), (t2, s2) = max(near), min(far)
    total = (t1 * s1 * (t2 - horizon) + t2 * s2 * (horizon - t1)) / (t2 - t1)
    return 100.0 * math.sqrt(total / horizon) if total > 0 else None


def _fridays(book, i: int) -> tuple[dict, float | None]:
    """Day ``i``'s Friday chains (SPX where SPXW lists the same day too) and the files' SPX level (None without SPX
    quotes). Cboe's indices read Friday expiries only; a holiday-moved Thursday monthly is left out with them."""
    chains: dict = {}
    for root, expiry, rows in book.chains_on(i):
        if root in ROOTS and expiry.weekday() == 4 and (root == "SPX" or expiry not in chains):
            chains[expiry] = (root, rows)
    under = np.concatenate([book.underlying[rows] for root, rows in chains.values() if root == "SPX"] or [[np.nan]])
    return chains, (float(np.median(under[np.isfinite(under)])) if np.isfinite(under).any() else None)


def day_nodes(book, i: int, day, rate: float, atm: bool = True) -> tuple[float, np.ndarray, float] | None:
    """Day ``i``'s (``day``'s) SPX option quotes: (their SPX level, the formula at each of :data:`NODE_DAYS`, NaN
    where two Friday expiries do not bracket it, the 30-day ATM vol x 100, NaN without ``atm``); None without SPX
    quotes."""
    chains, spot = _fridays(book, i)
    return None if spot is None else (spot, *_nodes(book, chains, day, rate, atm))


def _nodes(book, chains: dict, day, rate: float, atm: bool) -> tuple[np.ndarray, float]:
    """:func:`day_nodes`' formula nodes and ATM vol of the Friday ``chains`` (:func:`_fridays`)."""
    formula, atms = [], []
    for expiry, (_, rows) in chains.items():
        t, cols = (expiry - day).days / 365.0, (book.strike[rows], book.is_call[rows], book.bid[rows], book.ask[rows])
        formula += [(t, v) for v in (term_variance(*cols, t, rate),) if v is not None and v > 0]
        atms += [(t, v) for v in (atm_variance(*cols, t, rate) if atm else None,) if v is not None and v > 0]
    nodes = np.array([horizon_level(formula, n / 365.0) or np.nan for n in NODE_DAYS])
    return nodes, horizon_level(atms, 30 / 365.0) or np.nan


def at_close(spot: float, close: float) -> bool:
    """Whether a file quoting SPX at ``spot`` was taken at the ``close`` (:data:`AT_CLOSE`)."""
    return abs(spot / close - 1.0) <= AT_CLOSE


def snapshot_levels(book, i: int, day, rate: float, spx_close: float, closes: np.ndarray) -> np.ndarray | None:
    """Day ``i``'s vol index levels at its SPX option files' moment when they were taken away from the close: the
    day's ``closes`` (VIX9D .. VIX1Y, SKEW) with each node the formula on the quotes, where it has a value (SKEW the
    close's); None on a day without SPX quotes or with quotes at the close (the closes stand)."""
    chains, spot = _fridays(book, i)
    if spot is None or at_close(spot, spx_close):  # (before the formula: most files of a long folder stop here)
        return None
    nodes = _nodes(book, chains, day, rate, atm=False)[0]
    level, n = np.array(closes, dtype=float), len(NODE_DAYS)
    with np.errstate(invalid="ignore"):  # a reading far off the close's is not used
        ok = np.isfinite(nodes) & (nodes >= BAND[0] * level[:n]) & (nodes <= BAND[1] * level[:n])
    level[:n] = np.where(ok, nodes, level[:n])
    return level


def market_levels(market, days: pd.DatetimeIndex) -> pd.DataFrame:
    """The vol index levels (VIX9D .. VIX1Y, SKEW) ``market`` prices each of ``days``' SPX option quotes at
    (``AnchoredQuotes.quoted_levels``): the closes, or on a snapshot away from the close the formula's; the SPX
    surface is fitted at them (``feeds.calibrate``)."""
    return pd.DataFrame([market.quoted_levels(market.index_of(d.date()))[1] for d in days], index=days,
                        columns=list(LEVELS))


def main(argv: list[str] | None = None) -> int:
    """Print per day the formula's VIX9D .. VIX1Y beside the published closes, the ATM cross-check and VIX's low and
    high."""
    from feeds.layout import detect_layout
    from feeds.loaders.index import load_cboe_index
    from feeds.market import build_market
    from vixhedge import fmt
    from vixhedge.core.config import MarketConfig, MarketSource

    args = parser().parse_args(argv)
    market = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(args.data_dir)))
    vix = load_cboe_index(detect_layout(args.data_dir).vix)  # a DataError: one line on stderr, exit 2 (guarded)
    if market.real is None:
        print(f"no real SPX option quotes in {args.data_dir}")
        return 0
    d, real = market.data, market.real
    days = sorted({i for root, i, _ in (key for key, _ in real.chain_items()) if root in ROOTS})
    found = {i: got for i in days if (got := day_nodes(real, i, market.days[i], float(market.short_rates[i])))}
    closing = [i for i, (spot, _, _) in found.items() if at_close(spot, float(d.spx_close[i]))]
    atm_scale = float(np.nanmedian([float(d.vix_close[i]) / found[i][2] for i in closing] or [1.0]))
    nodes = lambda v: " / ".join(fmt.num(x, 2) for x in v)  # noqa: E731
    print(f"VIX9D / VIX / VIX3M / VIX6M / VIX1Y by Cboe's formula on each day's Friday SPX/SPXW quotes (unscaled) "
          f"beside the published closes; {len(closing)} file(s) taken at the close (ATM cross-check scaled to VIX "
          f"there: x {fmt.num(atm_scale, 4)})")
    for i, (spot, raw, atm) in found.items():
        row = vix.dates.get_indexer([pd.Timestamp(market.days[i])])[0]
        low, high = (float(vix.low[row]), float(vix.high[row])) if row >= 0 else (math.nan, math.nan)
        print(f"{market.days[i]}  {'at the close' if i in closing else 'intraday':12}  SPX {fmt.num(spot, 2)} (close "
              f"{fmt.num(float(d.spx_close[i]), 2)})  formula {nodes(raw)}; published closes "
              f"{nodes(market.vol_levels[i][:len(NODE_DAYS)])}; ATM {fmt.num(atm_scale * atm, 2)}; VIX low "
              f"{fmt.num(low, 2)} high {fmt.num(high, 2)}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    from vixhedge.guard import guarded  # one line per error on stderr, never a traceback

    raise SystemExit(guarded(PROG, main))
