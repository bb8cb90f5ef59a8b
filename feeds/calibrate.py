"""Calibrate the models that stand in for missing data, on the real files, and say how wrong they are.

    python -m feeds.calibrate [--data-dir ../shared/data] [--out DIR | --write-package]

Fits (least squares of the exact model functions the Market prices with) and prints the report of each: errors
model - real, in sample and out of sample, beside the hand-set priors. It writes the files below to
``runs/calibration/`` (or ``--out DIR``); only ``--write-package`` rewrites the package's ``feeds/calibration``
files (small, sorted, rounded: reviewed as diffs; the packaged defaults of :mod:`vixhedge.core.config` equal them,
tested):

``vx_curve.json``
    VX curve (:mod:`feeds.vxcurve`), on every real daily settle of the monthly contracts against that day's VIX
    close. One-factor ``F = theta + (VIX - theta) exp(-kappa tau)`` on levels 2004-03-26 .. 2023-12-31 (RMSE and
    bias by 30-day tenor bucket, vs the prior theta 20 / kappa 3; out of sample fit 2004-2015, errors 2016-2023).
    Two-factor (:mod:`feeds.vxfit`, the packaged model) on levels and daily changes, 1-119 days to settlement,
    the whole history (RMSE, bias and daily-change beta to VIX by tenor and VIX regime; out of sample fit before
    2014 / test after, and the reverse).
``spx_smile.json``
    SPX smile (:mod:`feeds.chains`) ``sigma = vix_to_atm * vbar(T) * max(min_frac, 1 + skew z + curvature z^2)``
    on the OTM options of ``spx_option_chains_2019_sample`` (7..180 days, 5..50 delta, bid > 0; vols implied
    from the mid with Black-76 on the parity-implied forward and discount), RMSE and bias in vol points by DTE;
    and the SPX surface (:mod:`feeds.surfacereport`, the packaged model) on the same quotes at the vol indices the
    Market prices them at (``cboe_volatility_indices``' closes; an intraday snapshot's own, by Cboe's formula on its
    quotes: :func:`feeds.snapshot_level.market_levels`), by side, delta and DTE, each day left out, plus the
    far-wing check on ``spx_option_eod_contract_samples``.
``spreads.json``
    Option bid/ask widths (:mod:`feeds.spreadfit`) ``clip(fraction * mid^power, min, max)`` for SPX and VIX
    options, fitted on the real chains (SPX on the 2019 session snapshots), in sample and, for SPX, out of sample.
``market.toml``
    The calibrated ``[market.*]`` keys (VX curve, SPX smile and surface, spreads) as a config fragment.
``short_rate_monthly.csv``
    Monthly means of the data's daily short rate (``us_short_rates/`` or ``rates/``, FRED layout): the rates of
    markets without a rate file. Not written when the data has no rate file.

About 45 s of one core on ../shared/data (101 s wall on 2 cores another job kept busy).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import json
import sys
from pathlib import Path

from vixhedge import argtypes
from vixhedge.guard import Parser

PROG = "python -m feeds.calibrate"
PACKAGE_OUT = Path(__file__).resolve().parent / "calibration"  # the shipped files: written with --write-package only
USER_OUT = Path("runs") / "calibration"  # the default --out, under the current folder (as `vixhedge run`'s runs/)


def parser() -> Parser:
    """Return the command's parser (built before the numerical imports below: ``--help`` needs none of them)."""
    p = Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=argtypes.path, metavar="DIR",
                   default=Path(__file__).resolve().parents[2] / "shared" / "data",
                   help="the real data folder (default: ../shared/data beside the repo)")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--out", type=argtypes.path, metavar="DIR", default=USER_OUT,
                     help=f"folder the files are written to (default: {USER_OUT}/ under the current folder)")
    out.add_argument("--write-package", action="store_true",
                     help="write them to the package's feeds/calibration instead, the files the packaged defaults "
                          "must equal (tested): review the diff")
    return p


def out_dir(args: argparse.Namespace) -> Path:
    """Return the folder ``args`` write to: the package's calibration folder only with ``--write-package``."""
    return PACKAGE_OUT if args.write_package else args.out


if __name__ == "__main__":  # --help and usage errors answer before numpy, pandas and scipy load (~2 s)
    parser().parse_args()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.optimize import least_squares  # noqa: E402

from feeds import spreadfit, surface, surfacereport, vxfit  # noqa: E402
from feeds.loaders import rates  # noqa: E402
from feeds.loaders.options import OptionQuotes, load_snapshot  # noqa: E402
from feeds.loaders.volindex import WIDE_FILE, load_vol_indices  # noqa: E402
from feeds.market import build_market  # noqa: E402
from feeds.snapshot_level import market_levels  # noqa: E402
from feeds.vxcurve import model_price  # noqa: E402
from vixhedge.core import implied  # noqa: E402
from vixhedge.atomic import check_writable  # noqa: E402
from vixhedge.core.config import MarketConfig, MarketSource, SpreadConfig  # noqa: E402

__all__ = ["fit_spx_smile", "fit_vx_curve", "smile_model", "smile_observations", "vx_observations"]

# hand-set priors (the defaults before calibration; the fits start here and report against them)
PRIOR_CURVE = (20.0, 3.0)  # theta, kappa
PRIOR_SMILE = (0.85, -0.20, 0.033)  # vix_to_atm, skew, curvature
MIN_VOL_FRACTION = 0.5
TENOR_EDGES = np.arange(0, 301, 30)  # days to settlement
DTE_EDGES = np.array(spreadfit.DTE_EDGES)  # the spread fit's buckets
TWO_FACTOR_SPLIT = dt.date(2014, 1, 1)
EOD_SAMPLES = Path("spx_option_eod_contract_samples")  # out of sample: fit 2004-2013, test 2014-2025, and the reverse


# --------------------------------------------------------------------------- VX curve


def vx_observations(rows: pd.DataFrame, vix_dates: pd.DatetimeIndex, vix_close: np.ndarray,
                    start: dt.date, end: dt.date) -> pd.DataFrame:
    """Return monthly settles with ``tau_days`` > 0 and that day's VIX close, ``start`` .. ``end``."""
    m = rows[rows["is_monthly"].to_numpy()]
    m = m[(m["trade_date"] >= pd.Timestamp(start)) & (m["trade_date"] <= pd.Timestamp(end))]
    tau_days = (m["expiry"] - m["trade_date"]).dt.days.to_numpy()
    pos = vix_dates.get_indexer(m["trade_date"])
    ok = (tau_days > 0) & (pos >= 0)
    return pd.DataFrame({"trade_date": m["trade_date"].to_numpy()[ok], "tau_days": tau_days[ok],
                         "vix": vix_close[pos[ok]], "settle": m["settle"].to_numpy()[ok]})


def _curve_errors(obs: pd.DataFrame, theta: float, kappa: float) -> np.ndarray:
    return model_price(obs["vix"].to_numpy(), obs["tau_days"].to_numpy() / 365.0, theta, kappa) - obs["settle"].to_numpy()


def _by_bucket(errors: np.ndarray, key: np.ndarray, edges: np.ndarray, unit: str) -> dict[str, dict]:
    out = {}
    for lo, hi in itertools.pairwise(edges):
        sel = (key >= lo) & (key < hi)
        if sel.any():
            e = errors[sel]
            out[f"{lo}-{hi - 1} {unit}"] = {"n": int(sel.sum()), "rmse": round(float(np.sqrt(np.mean(e * e))), 4),
                                            "bias": round(float(e.mean()), 4)}
    return out


def fit_vx_curve(obs: pd.DataFrame, holdout_from: dt.date | None = None) -> dict:
    """Fit ``theta``/``kappa`` to ``obs`` (from :func:`vx_observations`) and report errors by tenor."""
    def solve(o: pd.DataFrame) -> tuple[float, float]:
        res = least_squares(lambda p: _curve_errors(o, p[0], p[1]), x0=np.array(PRIOR_CURVE),
                            bounds=([5.0, 0.01], [60.0, 50.0]))
        return float(res.x[0]), float(res.x[1])

    theta, kappa = solve(obs)
    tenor = obs["tau_days"].to_numpy()
    fit_err, prior_err = _curve_errors(obs, theta, kappa), _curve_errors(obs, *PRIOR_CURVE)
    report = {
        "model": "F = theta + (VIX - theta) * exp(-kappa * tau_years)",
        "data": {"rows": len(obs), "first": str(obs["trade_date"].min().date()),
                 "last": str(obs["trade_date"].max().date())},
        "fit": {"theta": round(theta, 4), "kappa_per_year": round(kappa, 4),
                "rmse": round(float(np.sqrt(np.mean(fit_err ** 2))), 4),
                "by_tenor": _by_bucket(fit_err, tenor, TENOR_EDGES, "days")},
        "prior": {"theta": PRIOR_CURVE[0], "kappa_per_year": PRIOR_CURVE[1],
                  "rmse": round(float(np.sqrt(np.mean(prior_err ** 2))), 4),
                  "by_tenor": _by_bucket(prior_err, tenor, TENOR_EDGES, "days")},
    }
    if holdout_from is not None:
        early = obs["trade_date"] < pd.Timestamp(holdout_from)
        t_in, k_in = solve(obs[early])
        late = obs[~early]
        err = _curve_errors(late, t_in, k_in)
        report["out_of_sample"] = {"fit_before": str(holdout_from), "theta": round(t_in, 4),
                                   "kappa_per_year": round(k_in, 4), "rows": len(late),
                                   "rmse": round(float(np.sqrt(np.mean(err ** 2))), 4),
                                   "by_tenor": _by_bucket(err, late["tau_days"].to_numpy(), TENOR_EDGES, "days")}
    return report


# --------------------------------------------------------------------------- SPX smile


def smile_model(vix: np.ndarray, t_years: np.ndarray, log_moneyness: np.ndarray, vix_to_atm: float, skew: float,
                curvature: float, theta: float, kappa: float) -> np.ndarray:
    """Return the model vol of feeds.chains (vectorised over quotes): ATM from VIX, quadratic in z."""
    kt = kappa * np.maximum(t_years, 1e-8)
    vbar = theta + (vix - theta) * (-np.expm1(-kt)) / kt
    atm = vix_to_atm * vbar / 100.0
    z = np.clip(log_moneyness / (atm * np.sqrt(np.maximum(t_years, 1e-8))), -4.0, 4.0)
    return atm * np.maximum(MIN_VOL_FRACTION, 1.0 + skew * z + curvature * z * z)


def smile_observations(quotes: OptionQuotes) -> pd.DataFrame:
    """Return OTM quotes with parity-implied forward/discount and Black-76 implied vols."""
    out = []
    for (day, root, expiry), g in quotes.rows.groupby(["quote_date", "root", "expiration"], sort=True):
        t = (expiry - day).days / 365.0
        calls = g[g["right"] == "C"].set_index("strike")
        puts = g[g["right"] == "P"].set_index("strike")
        both = calls.merge(puts, left_index=True, right_index=True, suffixes=("_c", "_p"))
        both = both[(both["bid_c"] > 0) & (both["bid_p"] > 0)]
        if not 7 <= (expiry - day).days <= 180 or len(both) < 5:
            continue
        spot = float(g["underlying"].iloc[0])
        near = both[np.abs(both.index.to_numpy() / spot - 1.0) < 0.03]
        if len(near) < 3:
            continue
        diff = (near["bid_c"] + near["ask_c"] - near["bid_p"] - near["ask_p"]).to_numpy() / 2.0
        slope, intercept = np.polyfit(near.index.to_numpy(), diff, 1)  # C - P = D F - D K
        disc = -slope
        if not 0.8 < disc <= 1.0 + 1e-6:
            continue
        fwd = intercept / disc
        for right, side in (("P", puts), ("C", calls)):
            k = side.index.to_numpy()
            otm = (k < fwd) if right == "P" else (k >= fwd)
            s = side[otm & (side["bid"].to_numpy() > 0) & (np.abs(side["delta"].to_numpy()) >= 0.05)
                     & (np.abs(side["delta"].to_numpy()) <= 0.5)]
            if s.empty:
                continue
            mid = (s["bid"] + s["ask"]).to_numpy() / 2.0
            rate = -np.log(min(disc, 1.0)) / t
            iv = implied.implied_vol_black76(mid, fwd, s.index.to_numpy(), t, rate, right == "C")
            out.append(pd.DataFrame({"quote_date": day, "root": root, "expiration": expiry, "t_years": t,
                                     "strike": s.index.to_numpy(), "forward": fwd, "iv": np.atleast_1d(iv)}))
    obs = pd.concat(out, ignore_index=True)
    return obs[np.isfinite(obs["iv"])].reset_index(drop=True)


def fit_spx_smile(obs: pd.DataFrame, vix_by_day: pd.Series, theta: float, kappa: float) -> dict:
    """Fit ``vix_to_atm, skew, curvature`` to ``obs`` and report errors in vol points by DTE."""
    vix = vix_by_day.reindex(obs["quote_date"]).to_numpy()
    t, k = obs["t_years"].to_numpy(), np.log(obs["strike"].to_numpy() / obs["forward"].to_numpy())
    iv = obs["iv"].to_numpy()

    def err(p: np.ndarray, th: float = theta, ka: float = kappa) -> np.ndarray:
        return (smile_model(vix, t, k, p[0], p[1], p[2], th, ka) - iv) * 100.0

    res = least_squares(err, x0=np.array(PRIOR_SMILE), bounds=([0.3, -1.0, 0.0], [1.5, 0.0, 0.5]))
    dte = np.rint(t * 365.0)
    fitted, prior = err(res.x), err(np.array(PRIOR_SMILE), *PRIOR_CURVE)
    return {
        "model": "sigma = vix_to_atm * vbar(T)/100 * max(0.5, 1 + skew*z + curvature*z^2), z = ln(K/F)/(sigma_atm sqrt T)",
        "data": {"quotes": len(obs), "days": sorted({str(d.date()) for d in obs["quote_date"]}),
                 "roots": sorted(obs["root"].unique()), "vix_close": {str(d.date()): float(v) for d, v in
                                                                      vix_by_day.items()}},
        "vx_curve_used": {"theta": round(theta, 4), "kappa_per_year": round(kappa, 4)},
        "fit": {"vix_to_atm": round(float(res.x[0]), 4), "skew": round(float(res.x[1]), 4),
                "curvature": round(float(res.x[2]), 4),
                "rmse_vol_points": round(float(np.sqrt(np.mean(fitted ** 2))), 4),
                "by_dte": _by_bucket(fitted, dte, DTE_EDGES, "days")},
        "prior": {"vix_to_atm": PRIOR_SMILE[0], "skew": PRIOR_SMILE[1], "curvature": PRIOR_SMILE[2],
                  "vx_curve": {"theta": PRIOR_CURVE[0], "kappa_per_year": PRIOR_CURVE[1]},
                  "rmse_vol_points": round(float(np.sqrt(np.mean(prior ** 2))), 4),
                  "by_dte": _by_bucket(prior, dte, DTE_EDGES, "days")},
    }


# --------------------------------------------------------------------------- command


def calibrate(data_dir: Path, printed_only: dict | None = None) -> tuple[dict, dict, dict]:
    """Return the (VX curve, SPX smile, option spreads) reports computed from ``data_dir``. Given a dict
    ``printed_only``, also fill it with the figures the report prints and the calibration files do not hold
    (``"earlier_embedded"``: :func:`feeds.surfacereport.earlier_embedded_variants`)."""
    from feeds.directory import load_directory

    data = load_directory(data_dir)
    obs = vx_observations(data.vx.rows, data.vix.dates, data.vix.close, dt.date(2004, 3, 26), dt.date(2023, 12, 31))
    curve = fit_vx_curve(obs, holdout_from=dt.date(2016, 1, 1))
    curve["two_factor"] = vxfit.calibrate_two_factor(
        vxfit.curve_observations(data.vx.rows, data.vix.dates, data.vix.close), TWO_FACTOR_SPLIT)
    rows = data.options.rows
    rows = rows[rows["root"].isin(["SPX", "SPXW"])].reset_index(drop=True)  # the directory's VIX options are not SPX
    if rows.empty:
        raise FileNotFoundError(f"{data_dir}: no SPX option chain files to fit the SPX smile on")
    quotes = OptionQuotes(rows)
    smile_obs = smile_observations(quotes)
    vix = data.vix_closes
    days = pd.DatetimeIndex(sorted(smile_obs["quote_date"].unique()))
    smile = fit_spx_smile(smile_obs, vix.reindex(days), curve["fit"]["theta"], curve["fit"]["kappa_per_year"])
    vol_file = data_dir / WIDE_FILE
    if vol_file.is_file():
        spx_close = pd.Series(data.spx.close, index=data.spx.dates)
        indices = load_vol_indices(vol_file, data.rules, vix)  # screened as a run screens it
        snap = market_levels(build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(data_dir))), days)
        smile["surface"] = surfacereport.calibrate_surface(smile_obs, indices, spx_close, snap)
        if printed_only is not None:
            printed_only["earlier_embedded"] = surfacereport.earlier_embedded_variants(smile_obs, indices, snap)
    eod = _eod_samples(data_dir)
    if eod is not None and "surface" in smile:
        smile["surface"]["wing_check"] = surfacereport.wing_check(eod, indices, smile["surface"]["fit"]["params"])
    s = SpreadConfig()
    spreads = spreadfit.calibrate_spreads(data.options.rows, s.spx_option_max, s.vix_option_max,
                                          {"spx_fraction": 0.04, "vix_fraction": 0.06},
                                          pd.Series(data.spx.close, index=data.spx.dates), eod, vix)
    return curve, smile, spreads


def _eod_samples(data_dir: Path) -> pd.DataFrame | None:
    """Return the rows of ``spx_option_eod_contract_samples`` (a few far-from-the-money contracts), if present."""
    files = sorted((data_dir / EOD_SAMPLES).glob("*.csv"))
    return OptionQuotes.concat([load_snapshot(f) for f in files]).rows if files else None


def market_toml(curve: dict, smile: dict, spreads: dict) -> str:
    """Return a config fragment that runs the Market on the calibrated models."""
    f, s = curve["fit"], smile["fit"]
    two = curve["two_factor"]["fit"]
    return "\n".join([
        "# Calibrated market models, written by `python -m feeds.calibrate` (see feeds/calibrate.py).",
        "# The packaged defaults of vixhedge.core.config equal these values (tests/feeds/test_calibrate.py).",
        (f"# VX curve (two-factor, levels and daily changes, 1-119 days): RMSE {two['in_sample']['overall']['rmse']} "
         f"VIX points; one-factor (levels, SPX ATM term structure) RMSE {f['rmse']} "
         f"({curve['data']['first']}..{curve['data']['last']}); SPX smile RMSE {s['rmse_vol_points']} vol points."),
        "[market.vx_curve]", f"long_run_level = {f['theta']}", f"mean_reversion_per_year = {f['kappa_per_year']}",
        'model = "two_factor"', *(f"{k} = {v}" for k, v in two["params"].items()),
        "", "[market.spx_smile]", f"vix_to_atm = {s['vix_to_atm']}", f"skew = {s['skew']}",
        f"curvature = {s['curvature']}", 'model = "surface"',
        *(f"{k} = {v}" for k, v in smile["surface"]["fit"]["params"].items()),
        "index_relations = [" + ", ".join(str(x) for n in surface.ESTIMATED
                                          for x in smile["surface"]["index_relations"][n]) + "]",
        f"skew_first_year = {min(smile['surface']['skew_by_year'])}",
        "skew_by_year = [" + ", ".join(str(v) for v in smile["surface"]["skew_by_year"].values()) + "]",
        "", "[market.spreads]",
        *(f"{root}_option_{k} = {spreads[root][k]}" for root in ("spx", "vix") for k in ("fraction", "min", "power")),
        ""])


def _print(curve: dict, smile: dict, printed_only: dict | None = None) -> None:
    f, d = curve["fit"], curve["prior"]
    print(f"VX curve on {curve['data']['rows']} settles {curve['data']['first']}..{curve['data']['last']}: "
          f"theta {f['theta']}, kappa {f['kappa_per_year']}/yr, RMSE {f['rmse']} (prior 20/3: {d['rmse']})")
    for tenor, row in f["by_tenor"].items():
        print(f"  {tenor:>13}: n {row['n']:>6}  RMSE {row['rmse']:>6.3f}  bias {row['bias']:>+7.3f}   "
              f"prior RMSE {d['by_tenor'][tenor]['rmse']:>6.3f}")
    oos = curve.get("out_of_sample")
    if oos:
        print(f"  out of sample (fit before {oos['fit_before']}: theta {oos['theta']}, kappa {oos['kappa_per_year']}): "
              f"RMSE {oos['rmse']} on {oos['rows']} later settles")
    _print_two_factor(curve["two_factor"])
    s, sd = smile["fit"], smile["prior"]
    print(f"SPX smile on {smile['data']['quotes']} OTM quotes ({', '.join(smile['data']['days'])}): vix_to_atm "
          f"{s['vix_to_atm']}, skew {s['skew']}, curvature {s['curvature']}; RMSE {s['rmse_vol_points']} vol points "
          f"(prior: {sd['rmse_vol_points']})")
    for dte, row in s["by_dte"].items():
        print(f"  {dte:>13}: n {row['n']:>6}  RMSE {row['rmse']:>6.2f}  bias {row['bias']:>+6.2f}   "
              f"prior RMSE {sd['by_dte'][dte]['rmse']:>6.2f}")
    if "surface" in smile:
        surfacereport.print_surface(smile["surface"], (printed_only or {}).get("earlier_embedded"))


def _print_two_factor(two: dict) -> None:
    fit = two["fit"]
    print("VX curve, two-factor (levels and daily changes, 1-119 days to settlement): "
          + ", ".join(f"{k} {v}" for k, v in fit["params"].items()))
    print("  targets: |beta model - real| <= 0.08 per tenor; |bias| <= 1.0 per regime; RMSE < 1.5 overall")
    _print_report("in sample 2004-2025", fit["in_sample"])
    for oos in two["out_of_sample"]:
        _print_report(f"{oos['name']}: in sample", oos["in_sample"])
        _print_report(f"{oos['name']}: OUT of sample", oos["out_of_sample"])


def _print_report(title: str, r: dict) -> None:
    o = r["overall"]
    changes = (f", daily-change beta to VIX model {o['beta_model']:.3f} vs real {o['beta_real']:.3f}, correlation "
               f"of model and real daily changes {o['change_corr']:.3f}" if "beta_model" in o else "")
    print(f"  {title}: n {o['n']}, RMSE {o['rmse']:.3f}, bias {o['bias']:+.3f}{changes}")
    print(f"    {'':>13} {'n':>6} {'RMSE':>6} {'bias':>6} {'beta model':>10} {'real':>6} {'corr dF':>7}")
    for name, row in (*r["by_tenor"].items(), *r["by_regime"].items()):
        print(f"    {name:>13} {row['n']:>6} {row['rmse']:>6.3f} {row['bias']:>+6.3f} {row.get('beta_model', 0):>10.3f} "
              f"{row.get('beta_real', 0):>6.3f} {row.get('change_corr', 0):>7.3f}")


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    out = out_dir(args)
    check_writable(out, "--out")  # before the fits (a minute), not after them
    rate_file = rates.find_rate_file(args.data_dir)  # a rate folder with no usable file: refused before them too
    printed_only: dict = {}
    curve, smile, spreads = calibrate(args.data_dir, printed_only)
    out.mkdir(parents=True, exist_ok=True)
    for name, report in (("vx_curve.json", curve), ("spx_smile.json", smile), ("spreads.json", spreads)):
        (out / name).write_text(json.dumps(report, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    (out / "market.toml").write_text(market_toml(curve, smile, spreads), encoding="utf-8")
    written = ["vx_curve.json", "spx_smile.json", "spreads.json", "market.toml"]
    if rate_file is not None:  # the shipped monthly short-rate series of markets without a rate file
        rates.write_monthly(rates.load_fred_csv(rate_file), out / rates.SHIPPED_MONTHLY.name)
        written.append(rates.SHIPPED_MONTHLY.name)
    _print(curve, smile, printed_only)
    spreadfit.print_spreads(spreads)
    print(f"wrote {', '.join(written[:-1])} and {written[-1]} in {out}"
          + ("" if rate_file else " (no rate file in the data folder: the shipped monthly rates were kept)"),
          file=sys.stderr)
    return 0


if __name__ == "__main__":  # pragma: no cover
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
