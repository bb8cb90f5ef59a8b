"""Fit the VIX option smile (:func:`feeds.chains.vix_chain`) on the real VIX chain, and say how wrong it is.

    python -m feeds.vixsmilefit [--data-dir ../shared/data]

The model: Black-76 on the same-expiry VX future, ``sigma(K, T) = atm * (T / 30 d)^-term_exponent *
max(0.3, 1 + skew ln(K/F))``, with ``atm = atm_per_vvix * VVIX / 100`` on a day Cboe published VVIX (the 30-day
implied volatility of VIX options, from their prices as VIX is from SPX options') and the constant ``atm_vol``
otherwise. The fit: least squares, in vol points, of ``atm_per_vvix``, ``term_exponent`` and ``skew`` (each quote at
its day's VVIX, read from the screened wide vol-index file as a run reads it) to the implied vols of the chain's
out-of-the-money options (calls at or above the future, puts below; both quotes positive; 5 to 50 delta; 5 days or
more), the mid of the end-of-day bid and ask against that day's real VX settle of the option's expiry and the
shipped monthly DFF. ``atm_vol`` is the same ratio at the median VVIX of 2007-2025 (the market of a day without
VVIX: the embedded one's and the gaps').

``../shared/data`` holds one VIX chain (Cboe DataShop, 2016-06-01, nine expiries), so there is no day out of sample:
the report gives the in-sample error by expiry and a leave-one-expiry-out error (each expiry priced with the shape
fitted on the other eight), beside the previous hand-set shape's. Whether the VVIX scaling holds on other days
cannot be measured on this data; the README says so.
"""

from __future__ import annotations

from pathlib import Path

from vixhedge import argtypes
from vixhedge.guard import Parser

PROG = "python -m feeds.vixsmilefit"


def parser() -> Parser:
    """Return the command's parser (built before the numerical imports below: ``--help`` needs none of them)."""
    p = Parser(prog=PROG, description="Fit the VIX option smile on the data directory's real VIX chain and print "
               "its errors (in sample, each expiry left out, and the previous hand-set shape's); about 5 s of one "
               "core on ../shared/data.")
    p.add_argument("--data-dir", type=argtypes.path,
                   metavar="DIR", default=Path(__file__).resolve().parents[2] / "shared" / "data",
                   help="real data folder (default ../shared/data beside the repo, as its siblings')")
    return p


if __name__ == "__main__":  # --help and usage errors answer before numpy, pandas and the data load
    parser().parse_args()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from feeds.marketdata import DataError  # noqa: E402

PRIOR = (0.85, 0.25, 0.6)  # atm_vol, term_exponent, skew: the hand-set shape until 2026-12-05 (a constant level)
MEDIAN_SPAN = ("2007-01-01", "2025-12-31")  # VVIX before 2007 is noisy (the data README): left out of the median
BANDS = ((5, 27, "5-27 days"), (28, 10_000, "28 days or more"))  # tenors a layer is sold at / bought at


def observations(data_dir: Path) -> tuple[pd.DataFrame, pd.Series]:
    """Return the chain's fitted quotes (quote_date, expiration, days, strike, right, forward: the VX settle, rate,
    mid, iv: Black-76 implied vol of the mid, vvix: the quote day's VVIX close) and the VVIX closes by date, both
    read as a run reads them (the directory loaders; VVIX from the screened wide vol-index file)."""
    from feeds.directory import load_directory
    from feeds.loaders.rates import shipped_monthly
    from feeds.loaders.volindex import WIDE_FILE, load_vol_indices
    from vixhedge.core.implied import implied_vol_black76

    data = load_directory(data_dir)
    if not (data_dir / WIDE_FILE).is_file():
        raise DataError(f"{data_dir / WIDE_FILE} not found: the VIX smile's level is fitted on VVIX, which a run "
                        "reads from that file; give --data-dir a directory holding it")
    vvix = load_vol_indices(data_dir / WIDE_FILE, data.rules, data.vix_closes)["VVIX"].dropna()
    rows = data.options.rows
    rows = rows[(rows["root"] == "VIX") & (rows["bid"] > 0) & (rows["ask"] > rows["bid"])].copy()
    if rows.empty:
        raise DataError(f"{data_dir}: no VIX option chain with quotes (root VIX, bid > 0) to fit the VIX smile on")
    vx = data.vx.rows[["trade_date", "expiry", "settle"]].rename(columns={"trade_date": "quote_date",
                                                                          "expiry": "expiration"})
    rows = rows.merge(vx, on=["quote_date", "expiration"], how="inner").rename(columns={"settle": "forward"})
    rows["vvix"] = vvix.reindex(pd.DatetimeIndex(rows["quote_date"])).to_numpy()
    rows["rate"] = shipped_monthly().on(pd.DatetimeIndex(rows["quote_date"]))  # (the day's DFF: 0.37% on 2016-06-01)
    rows["days"] = (rows["expiration"] - rows["quote_date"]).dt.days
    rows["mid"] = (rows["bid"] + rows["ask"]) / 2.0
    call = (rows["right"] == "C").to_numpy()
    t = rows["days"].to_numpy() / 365.0
    rows["iv"] = implied_vol_black76(rows["mid"].to_numpy(), rows["forward"].to_numpy(), rows["strike"].to_numpy(),
                                     t, rows["rate"].to_numpy(), call)
    otm = np.where(call, rows["strike"] >= rows["forward"], rows["strike"] < rows["forward"])
    keep = otm & (rows["days"] >= 5) & np.isfinite(rows["iv"]) & rows["delta"].abs().between(0.05, 0.50)
    keep &= np.isfinite(rows["vvix"])
    if not keep.any():
        raise DataError(f"{data_dir}: no out-of-the-money VIX option quote (5-50 delta, 5 days or more) on a day "
                        "with a VVIX close and a VX settle of its expiry: nothing to fit the VIX smile on")
    return rows.loc[keep, ["quote_date", "expiration", "days", "strike", "right", "forward", "rate", "mid", "iv",
                           "vvix"]].reset_index(drop=True), vvix


def model_vol(obs: pd.DataFrame, atm, term_exponent: float, skew: float) -> np.ndarray:
    """The smile of :func:`feeds.chains.vix_chain` at the observations' strikes, futures and days; ``atm`` the
    30-day ATM vol, one number or one per observation."""
    term = (np.maximum(obs["days"].to_numpy(), 1.0) / 30.0) ** (-term_exponent)
    return atm * term * np.maximum(0.3, 1.0 + skew * np.log(obs["strike"].to_numpy() / obs["forward"].to_numpy()))


def fit(obs: pd.DataFrame) -> tuple[float, float, float]:
    """Least squares (vol points) of (atm_per_vvix, term_exponent, skew) to ``obs``, each quote's ATM vol
    atm_per_vvix x its day's VVIX / 100 (so several chain days pool at their own levels); bounds as the config's."""
    from scipy.optimize import least_squares

    level = obs["vvix"].to_numpy() / 100.0

    def err(p: np.ndarray) -> np.ndarray:
        return (model_vol(obs, p[0] * level, p[1], p[2]) - obs["iv"].to_numpy()) * 100.0

    res = least_squares(err, np.array([1.0, PRIOR[1], PRIOR[2]]), bounds=([0.0, 0.0, 0.0], [3.0, 1.0, 3.0]))
    return tuple(float(x) for x in res.x)  # type: ignore[return-value]


def _stats(err: np.ndarray) -> dict:
    return {"n": int(len(err)), "rmse": round(float(np.sqrt(np.mean(err ** 2))), 2),
            "median_abs": round(float(np.median(np.abs(err))), 2), "bias": round(float(np.mean(err)), 2)}


def report(obs: pd.DataFrame, vvix: pd.Series) -> dict:
    """The fit, its in-sample and leave-one-expiry-out errors (vol points, model - real) overall, by expiry and by
    tenor band, the prior's, and the constant level for days without VVIX (module docstring)."""
    ratio, te, sk = fit(obs)
    iv, level = obs["iv"].to_numpy(), obs["vvix"].to_numpy() / 100.0
    errors = {"in_sample": (model_vol(obs, ratio * level, te, sk) - iv) * 100.0,
              "left_out": np.empty(len(obs)), "prior": (model_vol(obs, *PRIOR) - iv) * 100.0}
    for expiry in obs["expiration"].unique():
        out = (obs["expiration"] == expiry).to_numpy()
        r, t, k = fit(obs[~out])
        errors["left_out"][out] = (model_vol(obs[out], r * level[out], t, k) - iv[out]) * 100.0
    median = float(vvix.loc[MEDIAN_SPAN[0]:MEDIAN_SPAN[1]].median())
    rows = lambda sel: {name: _stats(e[sel]) for name, e in errors.items()}  # noqa: E731
    by = {f"{expiry.date()} ({int(g['days'].iloc[0])} d)": rows(g.index.to_numpy())
          for expiry, g in obs.groupby("expiration")}
    bands = {name: rows(obs["days"].between(lo, hi).to_numpy()) for lo, hi, name in BANDS}
    days = sorted(str(d.date()) for d in obs["quote_date"].unique())
    return {"days": days, "quotes": int(len(obs)), "vvix": sorted(set(obs["vvix"].round(2))),
            "vvix_median_2007_2025": median,
            "fit": {"term_exponent": round(te, 4), "skew": round(sk, 4), "atm_per_vvix": round(ratio, 4),
                    "atm_vol": round(ratio * median / 100.0, 4)},
            **rows(np.ones(len(obs), dtype=bool)), "by_expiry": by, "by_tenor": bands}


def print_report(r: dict) -> None:
    f = r["fit"]
    print(f"VIX smile on {r['quotes']} OTM quotes of {', '.join(r['days'])} (VVIX {', '.join(map(str, r['vvix']))}): "
          f"atm_per_vvix {f['atm_per_vvix']}, term_exponent {f['term_exponent']}, skew {f['skew']}; atm_vol "
          f"{f['atm_vol']} (at the 2007-2025 median VVIX {r['vvix_median_2007_2025']:.2f})")
    print(f"{'vol points, model - real':<26} {'n':>4} {'in sample':>22} {'expiry left out':>22} "
          f"{'prior 0.85/0.25/0.6':>22}")
    print(f"{'':<31} {'RMSE  med|e|  bias':>22} {'RMSE  med|e|  bias':>22} {'RMSE  med|e|  bias':>22}")

    def cells(s: dict) -> str:
        return f"{s['rmse']:>7.2f} {s['median_abs']:>6.2f} {s['bias']:>+7.2f}"

    for name, row in [*r["by_expiry"].items(), *r["by_tenor"].items(),
                      ("all expiries", {k: r[k] for k in ("in_sample", "left_out", "prior")})]:
        print(f"{name:<26} {row['in_sample']['n']:>4} {cells(row['in_sample']):>22} {cells(row['left_out']):>22} "
              f"{cells(row['prior']):>22}")


def main(argv: list[str] | None = None) -> int:
    data_dir = Path(parser().parse_args(argv).data_dir)
    print_report(report(*observations(data_dir)))
    return 0


if __name__ == "__main__":
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
