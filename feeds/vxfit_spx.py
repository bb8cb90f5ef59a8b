"""Ablation: the two-factor VX curve plus a premium on the SPX variance premium (README, "VX term structure").

    python -m feeds.vxfit_spx [--data-dir ../shared/data]

Prints one Markdown table: the packaged two-factor model (:mod:`feeds.vxcurve`, the parameters of
``feeds/calibration/vx_curve.json``, scored, not refitted) against the same model with one more premium term,
refitted on :mod:`feeds.vxfit`'s objective. It changes no packaged model and no default-run figure. 15-25 s
on the project's 2-core machine (6-8 s loading the data folder, three fits of 3-6 s each); progress on stderr.

Variant. The contract pays the two-factor price plus a premium that moves with the SPX variance premium::

    F = S(m, tau) + x e^(-k1 tau) + (c + 20 c1 ln(m / 20) + cz z_t) (1 - e^(-kp tau))

    z_t  = EMA_21(v)_t - zbar,        v_t = ln(VIX_t / RV_t),        RV_t = 100 sqrt(252 / 21 sum_{i<21} r_{t-i}^2)

``r`` the SPX's log close-to-close return on VIX's sessions, ``EMA_21`` pandas' ``ewm(halflife=21 sessions)``
(weights ``(1 - a)^i``, ``a = 1 - 2^(-1/21)``, normalised over the days seen). A day's ``z`` reads closes up to
that day only. ``zbar`` is the mean of the EMA over the sessions of the fit's own window (2004-2025 in sample,
2004-2013 forward, 2014-2025 reverse), so a test period lends the fit no statistic of its own; the research
scripts this replaces centred on 2004-2025 for every fit (look-ahead for the forward one). The centring moves
only ``c`` (``c - cz zbar`` absorbs it): the fit is the same up to the optimiser's path. ``z`` enters the price
only, not the filter, so the objective's VIX-forecast block is the packaged model's. Every fit gives ``cz > 0``:
futures pay less over the filter's expected VIX when realized volatility catches up with VIX, as the VIX premium
of Cheng 2019 ("The VIX premium", Review of Financial Studies 32(1)) falls or stays flat when risk rises.

Columns: level RMSE (model - real settle, VIX points, every monthly settle 1-119 days out) in sample, forward
(fit 2004-2013, test 2014-2025) and reverse; whether each fit meets the targets (:func:`feeds.vxfit.meets_targets`)
on both its fit and its test rows; the sd and lag-1 autocorrelation of modelled minus real ``constant_30d`` (the
MACD's series: roll-free, SPVXSP weights) over the default run's window 2014-03-03 .. 2018-12-31, on the directory
market's days (from 2000: the filter starts there), for the full fit and the 2004-2013 fit, and the correlations of
the full fit's daily error change with the SPX's log return and VIX's change there. The real series is the
directory market's (real settles; :class:`feeds.market.Market`).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from vixhedge import argtypes
from vixhedge.guard import Parser

PROG = "python -m feeds.vxfit_spx"


def parser() -> Parser:
    """Return the command's parser (built before the numerical imports below: ``--help`` needs none of them)."""
    p = Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=argtypes.path,
                   metavar="DIR", default=Path(__file__).resolve().parents[2] / "shared" / "data",
                   help="real data folder (default ../shared/data beside the repo)")
    return p


if __name__ == "__main__":  # --help and usage errors answer before numpy, pandas and scipy load (~2 s)
    parser().parse_args()

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy.optimize import least_squares  # noqa: E402

from feeds import vxfit  # noqa: E402
from feeds.marketdata import DataError  # noqa: E402
from feeds.vxcontinuous import constant_maturity  # noqa: E402
from feeds.vxcurve import VxCurve  # noqa: E402
from vixhedge.core.config import DEFAULT_WINDOW, VxCurveConfig, VxSeries  # noqa: E402

if TYPE_CHECKING:
    from feeds.market import Market

RV_SESSIONS = 21  # realized-vol window (sessions)
EMA_HALFLIFE = 21  # of ln(VIX / RV), sessions
SESSIONS_PER_YEAR = 252
CZ_BOUNDS = (-20.0, 20.0)  # VIX points per unit of z
WINDOW = tuple(d.isoformat() for d in DEFAULT_WINDOW)  # the default run's window: constant_30d error shape
CALIBRATION = Path(__file__).resolve().parent / "calibration" / "vx_curve.json"
SPLITS = ("in sample", "forward", "reverse")


def variance_premium(dates: pd.DatetimeIndex, vix: np.ndarray, spx_dates: pd.DatetimeIndex,
                     spx_close: np.ndarray) -> pd.Series:
    """Return ``EMA_21(ln(VIX / RV_21))`` on ``dates`` (VIX's sessions), uncentred; causal (module docstring).

    SPX closes are read on ``dates`` (the last close carried over a day without one); NaN until 21 returns exist.
    """
    close = pd.Series(np.asarray(spx_close, dtype=float), index=spx_dates).reindex(dates).ffill()
    r = np.log(close).diff()
    rv = 100.0 * np.sqrt(SESSIONS_PER_YEAR * (r * r).rolling(RV_SESSIONS).mean())
    return np.log(pd.Series(np.asarray(vix, dtype=float), index=dates) / rv).ewm(halflife=EMA_HALFLIFE).mean()


def premium_term(z: np.ndarray, tau_years: np.ndarray, cz: float, c: VxCurveConfig) -> np.ndarray:
    """Return ``cz z (1 - e^(-kp tau))``: the variant's price over the two-factor one (0 at ``tau = 0``)."""
    return -cz * np.asarray(z) * np.expm1(-c.premium_reversion_per_year * np.asarray(tau_years))


@dataclasses.dataclass(frozen=True)
class SpxFit:
    """A fitted variant: the two-factor parameters, ``cz`` and the centre ``zbar`` of its ``z``."""

    curve: VxCurveConfig
    cz: float
    centre: float

    def z(self, ema: pd.Series, dates: pd.DatetimeIndex) -> np.ndarray:
        """Return ``z`` on ``dates`` from the uncentred EMA (:func:`variance_premium`)."""
        z = ema.reindex(dates).to_numpy() - self.centre
        if not np.isfinite(z).all():
            raise DataError(f"the SPX variance premium is missing on {int((~np.isfinite(z)).sum())} of the days "
                             f"{dates[0].date()}..{dates[-1].date()} (SPX closes start too late?)")
        return z

    def settles(self, obs: vxfit.CurveObs, ema: pd.Series) -> np.ndarray:
        """Return the variant's price of every observation row."""
        z = self.z(ema, obs.vix_dates[obs.day])
        return vxfit.model_settles(obs, self.curve) + premium_term(z, obs.tau_years, self.cz, self.curve)


def fit(obs: vxfit.CurveObs, ema: pd.Series, sel: np.ndarray, start: VxCurveConfig, cz0: float = 0.0) -> SpxFit:
    """Return the variant fitted on rows ``sel`` with :func:`feeds.vxfit.objective` (8 parameters and ``cz``)."""
    when = obs.vix_dates[obs.day[sel]]
    centre = float(ema[when.min():when.max()].mean())  # the fit window's sessions only
    z = SpxFit(start, 0.0, centre).z(ema, obs.vix_dates[obs.day])
    resid = vxfit.objective(obs, sel)

    def r(p: np.ndarray) -> np.ndarray:
        c = vxfit.curve_config(p[:-1])
        return resid(c, premium_term(z, obs.tau_years, p[-1], c))

    lo, hi = (*vxfit.LOWER, CZ_BOUNDS[0]), (*vxfit.UPPER, CZ_BOUNDS[1])
    x0 = np.clip([*(getattr(start, k) for k in vxfit.PARAMS), cz0], lo, hi)
    res = least_squares(r, x0, bounds=(lo, hi), x_scale="jac")
    return SpxFit(vxfit.curve_config(res.x[:-1]), float(res.x[-1]), centre)


def constant_30d(dates: pd.DatetimeIndex, vix: np.ndarray, vro: np.ndarray, c: VxCurveConfig,
                 z: np.ndarray | None = None, cz: float = 0.0) -> np.ndarray:
    """Return the modelled ``constant_30d`` series on a market's days, as :class:`feeds.market.Market` builds it
    from a modelled curve (settlement day = the VRO proxy), with the variant's premium when ``z`` is given."""
    curve = VxCurve.from_model(dates, vix, vro, c)
    prices = curve.prices if z is None else curve.prices + premium_term(z[:, None], curve.tau_years, cz, c)
    return constant_maturity(curve.dates, curve.settlement_ns, prices)


def error_shape(model: np.ndarray, real: np.ndarray, dates: pd.DatetimeIndex, spx: np.ndarray,
                vix: np.ndarray) -> tuple[float, float, float, float]:
    """Return, over :data:`WINDOW`'s finite days, the sd and lag-1 autocorrelation of ``e = model - real`` and the
    correlations of its daily change with the SPX's log return and with VIX's change."""
    inside = (dates >= pd.Timestamp(WINDOW[0])) & (dates <= pd.Timestamp(WINDOW[1])) & np.isfinite(model - real)
    e, spx, vix = (np.asarray(a, dtype=float)[inside] for a in (model - real, spx, vix))
    de = np.diff(e)
    return (float(e.std()), float(np.corrcoef(e[1:], e[:-1])[0, 1]),
            float(np.corrcoef(de, np.diff(np.log(spx)))[0, 1]), float(np.corrcoef(de, np.diff(vix))[0, 1]))


def _log(msg: str, t0: float) -> None:
    print(f"[{time.time() - t0:5.1f} s] {msg}", file=sys.stderr, flush=True)


def ablation(data_dir: Path) -> dict[str, dict]:
    """Return, per model (``packaged``, ``variant``), its fits per split and the figures of the table (module
    docstring)."""
    from feeds.calibrate import TWO_FACTOR_SPLIT
    from feeds.directory import load_directory
    from feeds.market import Market
    from vixhedge.core.config import load_default

    t0 = time.time()
    data = load_directory(data_dir)
    obs = vxfit.curve_observations(data.vx.rows, data.vix.dates, data.vix.close)
    ema = variance_premium(obs.vix_dates, obs.vix, data.spx.dates, data.spx.close)
    cfg = load_default().market
    real = Market(data.market_data(history_start=cfg.history_start), cfg, vx_panel=data.vx)  # as build_market's
    _log(f"loaded {data_dir}: {len(obs)} settles", t0)
    early = obs.trade_date < np.datetime64(TWO_FACTOR_SPLIT, "ns")
    rows = {"in sample": (np.ones(len(obs), bool),) * 2, "forward": (early, ~early), "reverse": (~early, early)}

    two = json.loads(CALIBRATION.read_text())["two_factor"]
    packaged = {s: SpxFit(dataclasses.replace(vxfit.START, **p["params"]), 0.0, 0.0)
                for s, p in zip(SPLITS, (two["fit"], *two["out_of_sample"]))}  # vxfit.calibrate_two_factor's order
    variant = {"in sample": fit(obs, ema, rows["in sample"][0], packaged["in sample"].curve)}
    _log(f"fitted in sample: cz {variant['in sample'].cz:.3f}", t0)
    for split in SPLITS[1:]:
        variant[split] = fit(obs, ema, rows[split][0], variant["in sample"].curve, variant["in sample"].cz)
        _log(f"fitted {split}: cz {variant[split].cz:.3f}", t0)

    out = {name: _score(obs, ema, rows, fits, real) for name, fits in (("packaged", packaged), ("variant", variant))}
    _log("done", t0)
    return out


def _score(obs: vxfit.CurveObs, ema: pd.Series, rows: dict, fits: dict[str, SpxFit], real: Market) -> dict:
    """Return one model's figures: test RMSE and targets per split, constant_30d error shape of two fits."""
    d, real_30d = real.data, real.vx_series(VxSeries.CONSTANT_30D)
    rmse, ok, shape = {}, {}, {}
    for split, f in fits.items():
        settles = f.settles(obs, ema) if f.cz else vxfit.model_settles(obs, f.curve)
        train, test = (vxfit.report(obs, f.curve, s, settles) for s in rows[split])
        rmse[split], ok[split] = test["overall"]["rmse"], vxfit.meets_targets(train) and vxfit.meets_targets(test)
        if split != "reverse":
            z = f.z(ema, d.dates) if f.cz else None
            shape[split] = error_shape(constant_30d(d.dates, d.vix_close, real.vro_proxy, f.curve, z, f.cz),
                                       real_30d, d.dates, d.spx_close, d.vix_close)
    return {"fits": fits, "rmse": rmse, "targets": ok, "c30": shape}


def table(res: dict[str, dict]) -> str:
    """Return the Markdown table of :func:`ablation`, and a line with the variant's ``cz`` and ``zbar`` per fit."""
    lines = ["| model | level RMSE in sample | forward (fit 2004-13, test 2014-25) "
             "| reverse (fit 2014-25, test 2004-13) | all targets met: in sample / forward / reverse "
             "| constant_30d error sd / lag-1 ac, full fit | the same, 2004-13 fit "
             "| corr of its daily change with SPX return / VIX change, full fit |",
             "|---|---|---|---|---|---|---|---|"]
    names = {"packaged": "packaged two-factor (vx_curve.json, not refitted)",
             "variant": f"+ cz z (1 - e^(-kp tau)), z = EMA{EMA_HALFLIFE} ln(VIX / RV{RV_SESSIONS}) (refitted)"}
    for key, r in res.items():
        lines.append(f"| {names[key]} | " + " | ".join(f"{r['rmse'][s]:.3f}" for s in SPLITS)
                     + " | " + " / ".join("yes" if r["targets"][s] else "no" for s in SPLITS)
                     + " | " + " | ".join(f"{sd:.3f} / {ac:.3f}" for sd, ac, _, _ in r["c30"].values())
                     + " | {2:+.3f} / {3:+.3f} |".format(*r["c30"]["in sample"]))
    v = res["variant"]["fits"]
    lines.append("\nvariant: " + "; ".join(f"{s} cz {v[s].cz:.3f}, zbar {v[s].centre:.4f}, premium c "
                                           f"{v[s].curve.premium:.3f}" for s in SPLITS))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    print(table(ablation(args.data_dir)))
    return 0


if __name__ == "__main__":  # pragma: no cover
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
