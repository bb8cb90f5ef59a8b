"""How much of a backtest's condor P&L rests on the SKEW the embedded market estimates from VIX.

    python -m vixhedge.skew_error --data-dir ../shared/data [--start 2014-03-03] [--end 2018-12-31] [--seeds 8]
                                  [--config FILE]

The directory market (real VX settles, short rates, vol indices; SPX options modelled) runs the packaged default
config (or ``--config``; hedge alvh) with: the real indices; SKEW estimated (feeds.surface: VIX, its EMA and SKEW's
level by year), the other indices real; the other indices estimated, SKEW real; every index estimated. Then the
real SKEW plus noise shaped like the estimate's own error over the window (AR(1) with the error's standard
deviation and lag-1 autocorrelation, ``--seeds`` runs): the spread of the condor P&L that an unbiased SKEW
estimate as good as the embedded one leaves. It prints, as Markdown (the README's SKEW figures in "SPX surface per
day"), the error's shape, the ATM vol the estimated indices give against the real ones, then the runs, the noise
runs' mean condor P&L against the real indices' (:func:`noise_shift`) and the condor P&L unhedged
(``hedge.mode = "none"``) with the real and with every index estimated. About 50 s with the defaults
(2014-2018, 8 seeds; wall, a shared 2-core machine, 2026-12-07), more with more seeds.
"""

from __future__ import annotations

import argparse

from vixhedge import argtypes
from vixhedge.core.config import DEFAULT_WINDOW
from vixhedge.guard import Parser

PROG = "python -m vixhedge.skew_error"


def parser() -> Parser:
    """Return the command's parser (built before the numerical imports below: ``--help`` needs none of them)."""
    p = Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=argtypes.path_text,
                   metavar="DIR", required=True, help="real data folder (../shared/data)")
    p.add_argument("--start", type=argtypes.iso_day, default=DEFAULT_WINDOW[0].isoformat(),
                   help="first day of the runs (default: %(default)s)")
    p.add_argument("--end", type=argtypes.iso_day, default=DEFAULT_WINDOW[1].isoformat(),
                   help="last day of the runs (default: %(default)s)")
    p.add_argument("--seeds", type=argtypes.seed_count, default=8,
                   help="runs of the real SKEW plus noise (0: none; default: %(default)s)")
    p.add_argument("--config", type=argtypes.path_text, help="config TOML (default: the packaged default config)")
    return p


if __name__ == "__main__":  # --help and usage errors answer before numpy, the surface and the run load (~1.5 s)
    parser().parse_args()

import numpy as np  # noqa: E402

from feeds import surface  # noqa: E402
from feeds.chains import surface_params  # noqa: E402
from feeds.market import Market, market_for  # noqa: E402
from feeds.surface import LEVELS  # noqa: E402
from vixhedge.core import config as C  # noqa: E402
from vixhedge.fmt import pct, usd_k  # noqa: E402
from vixhedge.model_vs_real_gap import run_quietly  # noqa: E402

NODES = [n for n in LEVELS if n not in ("VIX", "SKEW")]
ATM_DAYS = (21, 45, 60)  # the condor sells at 45-60 days and buys back near 21


def ar1_noise(n: int, sd: float, rho: float, seed: int) -> np.ndarray:
    """Return ``n`` stationary AR(1) draws with standard deviation ``sd`` and lag-1 autocorrelation ``rho``."""
    rng = np.random.default_rng(seed)
    out = np.empty(n)
    out[0] = rng.normal(0.0, sd)
    shocks = rng.normal(0.0, sd * np.sqrt(1.0 - rho * rho), n)
    for i in range(1, n):
        out[i] = rho * out[i - 1] + shocks[i]
    return out


def error_shape(real: Market, estimated: Market, start: str, end: str) -> tuple[float, float]:
    """Return the sd and lag-1 autocorrelation of estimated - Cboe SKEW over ``start`` .. ``end``
    (``estimated``: :func:`all_estimated` of ``real``)."""
    cboe = real.vol_indices.reindex(real.dates)["SKEW"].to_numpy()  # NaN where Cboe published none
    err = estimated.vol_levels[:, -1] - cboe
    err = err[(real.dates >= start) & (real.dates <= end) & np.isfinite(err)]
    return float(err.std()), float(np.corrcoef(err[1:], err[:-1])[0, 1])


def atm_ratios(real: Market, estimated: Market, start: str, end: str,
               days: tuple[int, ...] = ATM_DAYS) -> dict[int, np.ndarray]:
    """Return, per tenor in ``days``, each day's ATM vol from the estimated indices (``estimated``:
    :func:`all_estimated` of ``real``) over the one from the real indices, minus 1 (feeds.surface), over
    ``start`` .. ``end``."""
    sel = (real.dates >= start) & (real.dates <= end)
    p = surface_params(real.cfg.spx_smile)
    out = {}
    for d in days:
        t = np.full(sel.sum(), d / 365.0)
        atm = [surface.atm_base(t, m.vol_levels[sel]) * surface.atm_ratio(
            p, t, surface.index_skewness(m.vol_levels[sel][:, -1])) for m in (estimated, real)]
        out[d] = atm[0] / atm[1] - 1.0
    return out


def all_estimated(real: Market) -> Market:
    """Return ``real`` with every vol index the surface reads (the nodes and SKEW) left to the estimate."""
    return with_indices(real, [*NODES, "SKEW"])


def with_indices(real: Market, estimate: list[str], skew_noise: np.ndarray | None = None) -> Market:
    """Return ``real`` with the indices ``estimate`` left to the estimate (NaN) and ``skew_noise`` added to SKEW."""
    v = real.vol_indices.reindex(real.dates)
    v[estimate] = np.nan
    if skew_noise is not None:
        v["SKEW"] = v["SKEW"] + skew_noise
    return Market(real.data, real.cfg, vx_panel=real.vx_panel, options=real.options, rate_series=real.rate_series,
                  vol_indices=v)


def _signed_k(usd: float) -> str:
    return usd_k(usd, signed=True)


def noise_shift(real_pnl: float, noise_pnl: np.ndarray) -> tuple[float, float]:
    """Return how far the noise runs' mean P&L ``noise_pnl`` sits from the real indices' ``real_pnl``, and that
    mean's standard error (sample sd / sqrt(runs))."""
    noise_pnl = np.asarray(noise_pnl, dtype=float)
    return float(noise_pnl.mean() - real_pnl), float(noise_pnl.std(ddof=1) / np.sqrt(len(noise_pnl)))


def shift_line(real_pnl: float, noise_pnl: np.ndarray) -> str:
    """Return the printed line of :func:`noise_shift` for the condor P&L."""
    shift, se = noise_shift(real_pnl, noise_pnl)
    return (f"noise runs' mean condor P&L - the real indices' run: {_signed_k(shift)} (standard error {usd_k(se)}, "
            f"sd / sqrt({len(noise_pnl)}))")


def main(argv: list[str] | None = None) -> int:
    a = parser().parse_args(argv)
    cfg = C.replace(C.load(a.config) if a.config else C.load_default(), run={"start": a.start, "end": a.end},
                    hedge={"mode": "alvh"}, market={"source": "directory", "data_dir": a.data_dir})
    real = market_for(cfg)
    estimated = all_estimated(real)  # read three times below: built once
    sd, rho = error_shape(real, estimated, a.start, a.end)
    print(f"estimated - Cboe SKEW, {a.start} .. {a.end}: sd {sd:.2f} points, lag-1 autocorrelation {rho:.3f}")
    cboe = real.vol_indices["SKEW"].dropna().loc[a.start:a.end]
    lo, hi = cboe.quantile([0.05, 0.95])
    print(f"Cboe SKEW, {a.start} .. {a.end}: 5th-95th percentile {lo:.1f} .. {hi:.1f}, sd of the daily change "
          f"{cboe.diff().std():.2f} points (the put slope moves with it by market.spx_smile.put_skew_per_skewness)")
    ratios = atm_ratios(real, estimated, a.start, a.end)
    print("ATM vol from the estimated indices / from the real ones - 1: " + ", ".join(
        f"{d} days mean {pct(r.mean(), signed=True)} sd {pct(r.std())}" for d, r in ratios.items()))
    print("| vol indices | condor P&L | ALVH hedge P&L |\n|---|---|---|")
    condor = {}
    for name, estimate in (("real", []), ("SKEW estimated, the others real", ["SKEW"]),
                           ("the others estimated, SKEW real", NODES), ("all estimated", None)):
        market = estimated if estimate is None else with_indices(real, estimate)  # None: every index, built above
        pnl = run_quietly(cfg, market).metrics["pnl"]
        condor[name] = pnl["condor_pnl_usd"]
        print(f"| {name} | {usd_k(pnl['condor_pnl_usd'])} | {usd_k(pnl['hedge_pnl_usd'])} |")
    runs = np.array([[run_quietly(cfg, with_indices(real, [], ar1_noise(len(real.dates), sd, rho, s))
                                  ).metrics["pnl"][k] for k in ("condor_pnl_usd", "hedge_pnl_usd")]
                     for s in range(a.seeds)])
    if len(runs) > 1:
        cells = [f"mean {usd_k(x.mean())}, sd {usd_k(x.std(ddof=1))}, {_signed_k(x.min())} .. {_signed_k(x.max())}"
                 for x in runs.T]  # a range that crosses zero shows its sign at both ends
        print(f"| real SKEW + AR(1) noise ({a.seeds} runs) | {cells[0]} | {cells[1]} |")
        print(shift_line(condor["real"], runs[:, 0]))
    unhedged = C.replace(cfg, hedge={"mode": "none"})
    print('condor P&L unhedged (hedge.mode = "none"): ' + ", ".join(
        f"{name} indices {usd_k(run_quietly(unhedged, market).metrics['pnl']['condor_pnl_usd'])}"
        for name, market in (("real", real), ("all estimated", estimated))))
    return 0


if __name__ == "__main__":
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
