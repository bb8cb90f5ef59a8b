"""SPX implied-vol surface per day from Cboe's volatility indices, fitted on the real chains (calibration).

ATM term structure of a day. Cboe's VIX9D, VIX, VIX3M, VIX6M and VIX1Y are 30-day-style variance measures at
9, 30, 93, 183 and 365 days. Their total variances ``w_n = (I_n / 100)^2 T_n`` are interpolated linearly in
``T`` (flat vol outside the nodes), and the ATM vol of maturity ``T`` is::

    sigma_atm(T) = sqrt(w(T) / T) * (a + a1 ln(T / 30d)) * exp(-b ln(S_quote / S_close))

``a`` < 1 because the indices integrate the whole smile (skewed puts lift them above ATM vol). The last factor
moves the closing index levels to the time the chain was quoted (the 2019 sample is intraday snapshots) by a
spot-vol elasticity ``b``; on end-of-day data it is 1. Without the indices (the embedded market has VIX only)
each index is estimated from VIX by a relation fitted on their common history (2011-2025):
``ln(I_n / VIX) = c_n + d_n ln VIX``.

Smile, with ``z = ln(K/F) / (sigma_atm sqrt T)``::

    sigma(K) = sigma_atm * max(0.5, 1 + s_p z + q_p z^2)   (z < 0, puts)
               sigma_atm * max(0.5, 1 + s_c z + q_c z^2)   (z >= 0, calls)

Fitted by least squares on the OTM quotes of the 2019 sample (:func:`feeds.calibrate.smile_observations`).
Errors are reported in vol points, model - market, by side, |delta| bucket (5-10, 10-20, 20-35, 35-50) and DTE,
in sample and on days not used for the fit (each day left out in turn, and a 3-day / 2-day split).
The Market prices SPX chains on this surface (``market.spx_smile.model = "surface"``, the default; feeds.chains):
with the day's closing indices where the data directory has them, else the indices estimated from VIX.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.special import ndtr

NODES = ("VIX9D", "VIX", "VIX3M", "VIX6M", "VIX1Y")
NODE_DAYS = np.array([9.0, 30.0, 93.0, 183.0, 365.0])
PARAMS = ("atm_ratio", "atm_ratio_per_log_tenor", "put_skew", "put_curvature", "call_curvature",
          "spot_vol_elasticity", "call_skew")
START = (0.8, 0.0, -0.25, 0.02, 0.02, 4.0, -0.25)
LOWER = (0.3, -1.0, -2.0, -1.0, -1.0, 0.0, -2.0)
UPPER = (1.5, 1.0, 0.0, 1.0, 1.0, 30.0, 1.0)
DELTA_EDGES = (0.05, 0.10, 0.20, 0.35, 0.50)
DTE_EDGES = (7, 30, 60, 120, 181)
FLOOR = 0.5  # the chains' min_vol_fraction


def fit_index_relations(indices: pd.DataFrame) -> dict[str, tuple[float, float]]:
    """Return ``(c, d)`` of ``ln(I/VIX) = c + d ln VIX`` per index, on the days both are quoted."""
    out = {}
    for name in NODES:
        if name == "VIX":
            continue
        both = indices[["VIX", name]].dropna()
        x, y = np.log(both["VIX"].to_numpy()), np.log(both[name].to_numpy() / both["VIX"].to_numpy())
        d, c = np.polyfit(x, y, 1)
        out[name] = (round(float(c), 4), round(float(d), 4))
    return out


def indices_from_vix(vix: np.ndarray, relations: dict[str, tuple[float, float]]) -> np.ndarray:
    """Return the estimated index levels (columns ``NODES``) of each VIX close."""
    vix = np.asarray(vix, dtype=float)
    cols = [vix if n == "VIX" else vix * np.exp(relations[n][0] + relations[n][1] * np.log(vix)) for n in NODES]
    return np.column_stack(cols)


def atm_base(t_years: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Return ``sqrt(w(T)/T)`` from the index levels of each row (total variance linear in T)."""
    nodes = NODE_DAYS / 365.0
    w = (levels / 100.0) ** 2 * nodes[None, :]
    out = np.empty(len(t_years))
    for i, t in enumerate(t_years):
        ok = np.isfinite(w[i])
        tn, wn = nodes[ok], w[i][ok]
        out[i] = np.sqrt(np.interp(t, tn, wn) / t) if tn[0] <= t <= tn[-1] else \
            levels[i][ok][0 if t < tn[0] else -1] / 100.0
    return out


def surface_vol(p: np.ndarray, t_years: np.ndarray, log_moneyness: np.ndarray, base: np.ndarray,
                spot_move: np.ndarray) -> np.ndarray:
    a, a1, sp, qp, qc, b, sc = p
    atm = base * np.exp(-b * spot_move) * (a + a1 * np.log(t_years / (30.0 / 365.0)))
    z = np.clip(log_moneyness / (atm * np.sqrt(t_years)), -6.0, 6.0)
    put = z < 0
    return atm * np.maximum(FLOOR, 1.0 + np.where(put, sp, sc) * z + np.where(put, qp, qc) * z * z)


def _errors(p, obs: dict) -> np.ndarray:
    """Model - market in vol points, every quote."""
    return (surface_vol(p, obs["t"], obs["k"], obs["base"], obs["move"]) - obs["iv"]) * 100.0


def _fit(obs: dict, sel: np.ndarray) -> np.ndarray:
    from scipy.optimize import least_squares  # calibration only: 0.4 s of import off every run's path

    return least_squares(lambda p: _errors(p, obs)[sel], np.array(START), bounds=(LOWER, UPPER)).x


def _report(err: np.ndarray, obs: dict, sel: np.ndarray) -> dict:
    out = {}
    for side, name in (("P", "puts"), ("C", "calls")):
        m = sel & (obs["side"] == side) & np.isfinite(err)
        rows = {"all": _cell(err[m])}
        for lo, hi in itertools.pairwise(DELTA_EDGES):
            rows[f"{lo * 100:g}-{hi * 100:g} delta"] = _cell(err[m & (obs["abs_delta"] >= lo) & (obs["abs_delta"] < hi)])
        for lo, hi in itertools.pairwise(DTE_EDGES):
            rows[f"{lo}-{hi - 1} days"] = _cell(err[m & (obs["dte"] >= lo) & (obs["dte"] < hi)])
        out[name] = rows
    return out


def _cell(e: np.ndarray) -> dict:
    if not len(e):
        return {"n": 0}
    return {"n": int(len(e)), "median_abs": round(float(np.median(np.abs(e))), 3),
            "median": round(float(np.median(e)), 3), "mean": round(float(np.mean(e)), 3)}


def calibrate_surface(smile_obs: pd.DataFrame, indices: pd.DataFrame, spx_close: pd.Series,
                      quoted_spot: pd.Series) -> dict:
    """Fit the surface on ``smile_obs`` with the day's indices; report in and out of sample (module docstring)."""
    days = smile_obs["quote_date"]
    t, k, iv = (smile_obs["t_years"].to_numpy(), np.log(smile_obs["strike"] / smile_obs["forward"]).to_numpy(),
                smile_obs["iv"].to_numpy())
    d1 = (-k + 0.5 * iv * iv * t) / (iv * np.sqrt(t))
    side = np.where(k < 0, "P", "C")
    abs_delta = np.where(side == "C", ndtr(d1), 1.0 - ndtr(d1))  # ndtr is norm.cdf
    relations = fit_index_relations(indices.dropna(subset=["VIX"]))
    levels = indices.reindex(days)[list(NODES)].to_numpy()
    move = np.log(quoted_spot.reindex(days).to_numpy() / spx_close.reindex(days).to_numpy())
    obs = {"t": t, "k": k, "iv": iv, "side": side, "abs_delta": abs_delta, "dte": np.rint(t * 365.0),
           "base": atm_base(t, levels), "move": move}
    every = np.ones(len(iv), bool)
    p = _fit(obs, every)
    unique = np.sort(days.unique())
    loo = np.full(len(iv), np.nan)
    for day in unique:
        test = (days == day).to_numpy()
        loo[test] = _errors(_fit(obs, ~test), obs)[test]
    early = days.isin(unique[:3]).to_numpy()
    p_early = _fit(obs, early)
    from_vix = dict(obs, base=atm_base(t, indices_from_vix(indices.reindex(days)["VIX"].to_numpy(), relations)))
    p_vix = _fit(from_vix, every)
    return {
        "model": "sigma_atm(T) = sqrt(w(T)/T) (a + a1 ln(T/30d)) exp(-b ln(S_quote/S_close)); "
                 "sigma = sigma_atm max(0.5, 1 + s z + q z^2), s, q per side",
        "days": [str(pd.Timestamp(d).date()) for d in unique], "quotes": int(len(iv)),
        "index_relations": relations,
        "fit": {"params": dict(zip(PARAMS, np.round(p, 4).tolist())), "in_sample": _report(_errors(p, obs), obs, every)},
        "leave_one_day_out": _report(loo, obs, every),
        "split": {"fit_days": [str(pd.Timestamp(d).date()) for d in unique[:3]],
                  "params": dict(zip(PARAMS, np.round(p_early, 4).tolist())),
                  "test": _report(_errors(p_early, obs), obs, ~early)},
        "from_vix_only": {"params": dict(zip(PARAMS, np.round(p_vix, 4).tolist())),
                          "in_sample": _report(_errors(p_vix, from_vix), from_vix, every)},
    }
