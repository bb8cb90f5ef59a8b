"""Measure how fast a real quote's implied-vol gap to the model decays (:data:`feeds.marketquotes.ANCHOR_TAU`).

    python -m feeds.anchor_measure [--data-dir ../shared/data]

On the five 2019 SPX snapshot days of the data folder (consecutive sessions 2019-04-25 .. 05-01), the contracts of
root SPX quoted on all five with the file's ``|delta|`` within 0.05-0.5 on each. Each one's gap on each day is
``IV_real - IV_model`` as an anchored quote carries it (:meth:`feeds.marketquotes.MarketQuotes.vol_gap`: the real
mid's vol at the file's SPX level against the model's vol at that level and at the file's own vol indices,
:mod:`feeds.snapshot_level`). For each pair of days ``j`` sessions apart
(ten pairs, ``j = 1..4``) the later gaps are regressed on the earlier ones through the origin (the share of the gap
still there); ``exp(-j / tau)`` is fitted to the ten slopes by least squares. Prints the contracts, the mean slope
per ``j`` and ``tau`` (947 with the packaged surface; ANCHOR_TAU keeps 13: the constant's comment says
why).
About 10 s (building the directory market ~6 s; the gaps each snapshot day's expiry and right together, ~1 s, where
one contract at a time took ~13 s).
"""

from __future__ import annotations

from pathlib import Path

from feeds.measure_cli import data_dir_parser
from vixhedge.guard import Parser

PROG = "python -m feeds.anchor_measure"
DELTA_RANGE = (0.05, 0.5)  # |delta| of the contracts followed, on every day
NEEDS = ("the measure needs 2 or more consecutive SPX snapshot days with common SPX contracts (option chain files "
         "of the data folder, e.g. ../shared/data/spx_option_chains_2019_sample/daily)")


def parser() -> Parser:
    """Return the command's parser (built before numpy, pandas and scipy load)."""
    return data_dir_parser(PROG, __doc__)


if __name__ == "__main__":  # --help and usage errors answer before numpy and the market load
    parser().parse_args()

import numpy as np  # noqa: E402


def decay_fit(gaps: np.ndarray) -> dict:
    """Return ``{slopes: {j: mean slope}, pair_slopes: {(a, b): slope}, tau_sessions}`` of a (contracts x
    consecutive sessions) array of gaps (see the module docstring)."""
    from scipy.optimize import curve_fit

    n = gaps.shape[1]
    pairs = {(a, b): float(gaps[:, a] @ gaps[:, b] / (gaps[:, a] @ gaps[:, a]))
             for a in range(n) for b in range(a + 1, n)}
    slopes = {j: float(np.mean([s for (a, b), s in pairs.items() if b - a == j])) for j in range(1, n)}
    lags = np.array([b - a for a, b in pairs], dtype=np.float64)
    (tau,), _ = curve_fit(lambda j, t: np.exp(-j / t), lags, np.array(list(pairs.values())), p0=[10.0])
    return {"slopes": slopes, "pair_slopes": pairs, "tau_sessions": float(tau)}


def snapshot_gaps(data_dir: Path) -> tuple[list, np.ndarray]:
    """Return (the snapshot days, contracts x days array of gaps) of the contracts followed (module docstring);
    DataError unless the folder has 2+ consecutive snapshot days with common SPX contracts."""
    from feeds.market import build_market
    from feeds.marketdata import DataError
    from vixhedge.core.config import MarketConfig, MarketSource
    from vixhedge.core.instruments import Contract, Kind, Right

    market = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(data_dir)))
    real = market.real
    days = [] if real is None else sorted({int(d) for d in real.day[real.root == "SPX"]})
    if len(days) < 2 or days[-1] - days[0] != len(days) - 1:
        raise DataError(f"{data_dir}: {len(days)} SPX snapshot day(s) in its option chain files "
                        f"({', '.join(str(market.days[k]) for k in days[:5])}{', ...' if len(days) > 5 else ''}): "
                        f"{NEEDS}")
    lo, hi = DELTA_RANGE
    gaps = []
    for (root, expiry, strike_k, right), (on, rows) in real.series():  # every real contract's days and rows
        d = np.abs(real.delta[rows])
        if root != "SPX" or on != days or not ((d >= lo) & (d <= hi)).all():
            continue
        c = Contract(Kind.SPX_OPTION, expiry, strike_k / 1000.0, Right.CALL if right == "C" else Right.PUT)
        # the gap exactly as an anchored quote carries it (a snapshot day's expiry and right solved together)
        gaps.append([market.anchor_gap(c, k, float(real.mid[row])) for k, row in zip(on, rows, strict=True)])
    if not gaps:
        raise DataError(f"{data_dir}: no SPX contract is quoted on all {len(days)} snapshot days "
                        f"{market.days[days[0]]}..{market.days[days[-1]]} with |delta| {lo}-{hi} on each: {NEEDS}")
    return [market.days[k] for k in days], np.array(gaps, dtype=np.float64)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    days, gaps = snapshot_gaps(args.data_dir)
    fit = decay_fit(gaps)
    print(f"{len(gaps)} SPX contracts real on all {len(days)} snapshot days ({days[0]} .. {days[-1]}), "
          f"|delta| {DELTA_RANGE[0]}-{DELTA_RANGE[1]}")
    print("gap slope j sessions later (mean over the day pairs): "
          + ", ".join(f"j={j} {s:.2f}" for j, s in fit["slopes"].items()))
    print(f"exp(-j / tau) fitted to the {len(fit['pair_slopes'])} pairs: tau = {fit['tau_sessions']:.1f} sessions")
    return 0


if __name__ == "__main__":  # pragma: no cover
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
