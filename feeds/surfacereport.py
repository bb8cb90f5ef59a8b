"""Calibrate the SPX surface (:mod:`feeds.surface`) on the 2019 chains and report its errors in vol points.

Errors are model - market, by side, |delta| bucket (5-10, 10-20, 20-35, 35-50), DTE bucket (7-29, 30-59, 60-119,
120-180 days) and both, in sample and on days not used for the fit: each day left out in turn, and the split
fitting the first three days and testing the last two. Variants side by side: SKEW held at one level (what SKEW
adds), the put slope steepening with SKEW at the Backus-Foresi-Wu rate of 1/6 per unit of skewness (the theory's
``s_g``) and every index, SKEW included, estimated from VIX (the embedded market). And the error of SKEW estimated
from VIX, its EMA and its level by year, in and out of sample (:func:`skew_level_report`).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
from scipy.stats import norm

from feeds import surface
from feeds.spreadfit import DELTA_EDGES, DTE_EDGES  # the buckets the spread fit reports by too
from vixhedge.core import implied
from vixhedge.fmt import pct

TARGET = "median |error| <= 0.35 vol points per side, |median error| <= 0.2, on days not used for the fit"


def _cell(e: np.ndarray) -> dict:
    if not len(e):
        return {"n": 0}
    return {"n": int(len(e)), "median_abs": round(float(np.median(np.abs(e))), 3),
            "median": round(float(np.median(e)), 3), "mean": round(float(np.mean(e)), 3)}


def _report(err: np.ndarray, obs: dict, sel: np.ndarray) -> dict:
    """Cells per side: all, per |delta| bucket, per DTE bucket and per |delta| x DTE bucket."""
    delta = [(f"{lo * 100:g}-{hi * 100:g} delta", (obs["abs_delta"] >= lo) & (obs["abs_delta"] < hi))
             for lo, hi in itertools.pairwise(DELTA_EDGES)]
    dte = [(f"{lo}-{hi - 1} days", (obs["dte"] >= lo) & (obs["dte"] < hi)) for lo, hi in itertools.pairwise(DTE_EDGES)]
    out = {}
    for side, name in (("P", "puts"), ("C", "calls")):
        m = sel & (obs["side"] == side) & np.isfinite(err)
        rows = {"all": _cell(err[m])}
        rows.update({k: _cell(err[m & b]) for k, b in (*delta, *dte)})
        rows.update({f"{kd} / {kt}": _cell(err[m & bd & bt]) for (kd, bd), (kt, bt) in itertools.product(delta, dte)})
        out[name] = rows
    return out


def _evaluate(obs: dict, days: pd.Series, fixed: dict[str, float] | None = None) -> dict:
    """Fit on every day, each day left out, and the first three days; return params and reports."""
    every = np.ones(len(obs["iv"]), bool)
    unique = np.sort(days.unique())
    p = surface.fit(obs, every, fixed)
    loo, left_out = np.full(len(obs["iv"]), np.nan), {}
    for day in unique:
        test = (days == day).to_numpy()
        left_out[str(pd.Timestamp(day).date())] = q = surface.fit(obs, ~test, fixed)
        loo[test] = surface.quote_errors(q, obs)[test]
    early = days.isin(unique[:3]).to_numpy()
    p_early = surface.fit(obs, early, fixed)
    named = lambda q: dict(zip(surface.PARAMS, (np.round(q, 4) + 0.0).tolist()))  # noqa: E731 (+0.0: no -0.0)
    return {"params": named(p), "in_sample": _report(surface.quote_errors(p, obs), obs, every),
            "leave_one_day_out": _report(loo, obs, every),
            "leave_one_day_out_params": {d: named(q) for d, q in left_out.items()},
            "split": {"fit_days": [str(pd.Timestamp(d).date()) for d in unique[:3]], "params": named(p_early),
                      "test": _report(surface.quote_errors(p_early, obs), obs, ~early)}}


def calibrate_surface(smile_obs: pd.DataFrame, indices: pd.DataFrame, spx_close: pd.Series,
                      snap: pd.DataFrame) -> dict:
    """Fit the surface on ``smile_obs`` priced at ``snap`` (the index levels of each quote day,
    :func:`feeds.snapshot_level.market_levels`) and report (module docstring)."""
    days = smile_obs["quote_date"]
    obs = _observations(smile_obs, snap)
    relations, skew_by_year = surface.fit_index_relations(indices.dropna(subset=["VIX"]))
    skewness, iv = obs["skewness"], obs["iv"]
    from_vix = surface.indices_from_vix(snap.reindex(days)["VIX"].to_numpy(), relations,
                                        _snapshot_average(indices, snap).reindex(days),
                                        surface.skew_offsets(days, list(skew_by_year), list(skew_by_year.values())))
    # SKEW held at its median leaves the slope per unit of g unidentified (collinear with the put skew): held at 0
    variants = {"skew_fixed": (dict(obs, skewness=np.full(len(iv), float(np.median(skewness)))),
                               {"put_skew_per_skewness": 0.0}),
                "put_slope_1/6_per_skewness": (obs, {"put_skew_per_skewness": -1.0 / 6.0}),
                "put_slope_0_per_skewness": (obs, {"put_skew_per_skewness": 0.0}),  # the put slope not following SKEW
                "from_vix": (_with_levels(obs, from_vix), None)}
    return {
        "model": "sigma_atm(T) = I(T) (1/sqrt(1 + c g) + a1 L), I(T) the indices linear in ln T, "
                 "g = (SKEW - 100)/10, L = ln(T/30d); sigma = sigma_atm max(0.5, 1 + (s_p + s_g (g - 2.5)) z + "
                 f"q_p z^2) (puts; the tangent beyond z = -{surface.EDGE:g}), max(0.5, 1 + (s_c + s_c1 L) z + "
                 f"(q_c + q_c1 L) z^2) (calls; flat beyond z = {surface.CALL_EDGE:g})",
        "target": TARGET, "days": [str(pd.Timestamp(d).date()) for d in np.sort(days.unique())], "quotes": int(len(iv)),
        "index_relations": relations, "skew_by_year": skew_by_year, "skew_level": skew_level_report(indices),
        "skew_spx": skew_spx_report(indices, spx_close),
        "index_relations_split": relation_split_report(indices),
        "snapshot_levels": {str(d.date()): {n: round(float(v), 3) for n, v in row.items()}
                            for d, row in snap.iterrows()},
        "fit": _evaluate(obs, days),
        "variants": {name: _evaluate(o, days, fixed) for name, (o, fixed) in variants.items()},
    }


def _observations(smile_obs: pd.DataFrame, snap: pd.DataFrame) -> dict:
    """Return the quotes as :func:`surface.fit` reads them, each at its day's index levels ``snap``."""
    days = smile_obs["quote_date"]
    t, k, iv = (smile_obs["t_years"].to_numpy(), np.log(smile_obs["strike"] / smile_obs["forward"]).to_numpy(),
                smile_obs["iv"].to_numpy())
    d1 = (-k + 0.5 * iv * iv * t) / (iv * np.sqrt(t))
    side = np.where(k < 0, "P", "C")
    return _with_levels({"t": t, "k": k, "iv": iv, "side": side, "dte": np.rint(t * 365.0),
                        "abs_delta": np.where(side == "C", norm.cdf(d1), norm.cdf(-d1))}, snap.reindex(days).to_numpy())


def _with_levels(obs: dict, levels: np.ndarray) -> dict:
    """Return ``obs`` priced on the index levels ``levels`` (one row per quote, ``surface.LEVELS`` columns)."""
    return dict(obs, base=surface.atm_base(obs["t"], levels), skewness=surface.index_skewness(levels[:, -1]))


def earlier_embedded_variants(smile_obs: pd.DataFrame, indices: pd.DataFrame, snap: pd.DataFrame) -> dict:
    """Evaluate (as :func:`calibrate_surface`'s variants) the surface on the indices the embedded market estimated
    before SKEW had a level by year: from VIX and its EMA with one SKEW level for all years, and before that from
    VIX alone (``ln(I/VIX) = c + d ln VIX``, fitted on every day both are quoted). Printed by ``python -m
    feeds.calibrate``, not written: they are the README's record of what each step of the estimate changed."""
    days = smile_obs["quote_date"]
    obs = _observations(smile_obs, snap)
    vix = snap.reindex(days)["VIX"].to_numpy()
    closes = indices.dropna(subset=["VIX"])
    one_level, _ = surface.fit_index_relations(closes, closes.index.year[:1].to_numpy())  # one knot: a constant
    alone = {}
    for name in surface.ESTIMATED:
        both = indices[["VIX", name]].dropna()
        d, c = np.polyfit(np.log(both["VIX"].to_numpy()), np.log(both[name].to_numpy() / both["VIX"].to_numpy()), 1)
        alone[name] = (round(float(c), 4), round(float(d), 4), 0.0)  # rounded as the relations were
    levels = {"one SKEW level for all years": surface.indices_from_vix(
                  vix, one_level, _snapshot_average(indices, snap).reindex(days)),
              "from VIX alone": surface.indices_from_vix(vix, alone)}
    return {name: _evaluate(_with_levels(obs, lv), days) for name, lv in levels.items()}


def _snapshot_average(indices: pd.DataFrame, snap: pd.DataFrame) -> pd.Series:
    """Return the VIX EMA at each snapshot: the previous close's EMA moved by one step to the snapshot's VIX."""
    vix = indices["VIX"].dropna()
    avg = pd.Series(surface.vix_average(vix.to_numpy()), index=vix.index)
    prev = avg.reindex(vix.index[vix.index.get_indexer(snap.index) - 1]).to_numpy()
    alpha = 2.0 / (surface.AVERAGE_PERIOD + 1.0)
    return pd.Series(prev + alpha * (snap["VIX"].to_numpy() - prev), index=snap.index)


def skew_level_report(indices: pd.DataFrame) -> dict:
    """SKEW estimated from VIX and its EMA, estimate - Cboe's close in SKEW points: its level by year (knots on
    July 1) against one level for all years, in sample, fitted on alternate years (knots on those years only)
    testing the others, and fitted on one half of the years testing the other (the level flat beyond the knots)."""
    indices = indices.dropna(subset=["VIX"])
    years = indices.index.year.to_numpy()
    known = np.unique(years[np.isfinite(indices["SKEW"].to_numpy())])
    mid = known[len(known) // 2]
    splits = {"in sample": (known, known), "fit even years, test odd": (known[known % 2 == 0], known[known % 2 == 1]),
              "fit odd years, test even": (known[known % 2 == 1], known[known % 2 == 0]),
              f"fit {known[0]}-{mid - 1}, test {mid}-{known[-1]}": (known[known < mid], known[known >= mid]),
              f"fit {mid}-{known[-1]}, test {known[0]}-{mid - 1}": (known[known >= mid], known[known < mid])}
    vix = indices["VIX"].to_numpy()
    vix_avg = surface.vix_average(vix)
    out = {}
    for name, (fit_years, test_years) in splits.items():
        train = indices[np.isin(years, fit_years)]
        test = np.isin(years, test_years)
        row = {}
        for model, knots in (("level by year", fit_years), ("one level", fit_years[:1])):
            rel, by_year = surface.fit_index_relations(train, knots)
            est = surface.indices_from_vix(vix, rel, vix_avg, surface.skew_offsets(indices.index, list(by_year),
                                                                                   list(by_year.values())))
            err = est[:, -1] - indices["SKEW"].to_numpy()
            row[model] = {"all": _skew_cell(err[test]),
                          "2014-2018": _skew_cell(err[test & (years >= 2014) & (years <= 2018)])}
        out[name] = row
    return out


RELATION_SPLIT = 2017  # the term-structure relations' out-of-sample split: fit before, test from (and the reverse)


def relation_split_report(indices: pd.DataFrame) -> dict:
    """The VIX-to-index relations (:func:`feeds.surface.fit_index_relations`) out of sample in time: fitted on the
    years before :data:`RELATION_SPLIT` and tested on the others, and the reverse; RMS error in ln(I/VIX), percent,
    with the EMA term and without it (``ln(I/VIX) = c + d ln VIX``), per index of VIX9D..VIX1Y."""
    indices = indices.dropna(subset=["VIX"])
    early = indices.index.year < RELATION_SPLIT
    vix = indices["VIX"].to_numpy(dtype=float)
    lv, la = np.log(vix), np.log(surface.vix_average(vix) / vix)
    rms = lambda r: round(float(100.0 * np.sqrt(np.mean(r * r))), 1)  # noqa: E731
    out = {}
    for name, fit in ((f"fit < {RELATION_SPLIT}, test >= {RELATION_SPLIT}", early),
                      (f"fit >= {RELATION_SPLIT}, test < {RELATION_SPLIT}", ~early)):
        with_ema, _ = surface.fit_index_relations(indices[fit], indices.index.year[:1].to_numpy())
        row = {}
        for index in (n for n in surface.ESTIMATED if n != "SKEW"):
            y = np.log(indices[index].to_numpy(dtype=float) / vix)
            ok = np.isfinite(y) & np.isfinite(la)
            c, d = np.linalg.lstsq(np.column_stack([np.ones(len(y)), lv])[ok & fit], y[ok & fit], rcond=None)[0]
            c3, d3, e3 = with_ema[index]  # (rounded to 4 decimals, as the config holds them)
            t = ok & ~fit
            row[index] = {"without_ema": rms(y[t] - c - d * lv[t]),
                          "with_ema": rms(y[t] - c3 - d3 * lv[t] - e3 * la[t]), "test_days": int(t.sum())}
        out[name] = row
    return out


SPX_FEATURES = ("ln(VIX / 21-day realized vol)", "21-session SPX return", "SPX drawdown from its 252-session high")


def skew_spx_report(indices: pd.DataFrame, spx_close: pd.Series) -> dict:
    """Does the SPX's own path say what VIX does not about SKEW? SKEW's error under its level by year (fitted on
    the fit years) regressed on :data:`SPX_FEATURES` on the fit years and tested on the others, alternate years
    each way: RMSE in SKEW points without and with the SPX terms (the embedded market holds the SPX's closes)."""
    indices = indices.dropna(subset=["VIX", "SKEW"])
    close = spx_close.astype(float)
    log_return = np.log(close).diff()
    realized = log_return.rolling(21).std() * np.sqrt(252.0) * 100.0
    features = np.column_stack([
        np.log(indices["VIX"] / realized.reindex(indices.index)).to_numpy(),
        np.log(close / close.shift(21)).reindex(indices.index).to_numpy(),
        np.log(close / close.rolling(252).max()).reindex(indices.index).to_numpy()])
    years = indices.index.year.to_numpy()
    known = np.unique(years)
    vix, skew = indices["VIX"].to_numpy(), indices["SKEW"].to_numpy()
    out = {"features": list(SPX_FEATURES)}
    for name, fit_years in (("fit even years, test odd", known[known % 2 == 0]),
                            ("fit odd years, test even", known[known % 2 == 1])):
        fit = np.isin(years, fit_years)
        rel, by_year = surface.fit_index_relations(indices[fit], fit_years)
        est = surface.indices_from_vix(vix, rel, surface.vix_average(vix),
                                       surface.skew_offsets(indices.index, list(by_year), list(by_year.values())))
        resid = np.log(skew / est[:, -1])
        x = np.column_stack([np.ones(len(resid)), features])
        ok = np.isfinite(x).all(axis=1) & np.isfinite(resid)
        coef = np.linalg.lstsq(x[ok & fit], resid[ok & fit], rcond=None)[0]
        test = ok & ~fit
        rmse = lambda r: round(float(np.sqrt(np.mean((skew[test] * (1.0 - np.exp(-r))) ** 2))), 2)  # noqa: E731
        out[name] = {"n": int(test.sum()), "rmse_without": rmse(resid[test]),
                     "rmse_with": rmse(resid[test] - x[test] @ coef), "coefficients": np.round(coef[1:], 4).tolist()}
    return out


def _skew_cell(e: np.ndarray) -> dict:
    e = e[np.isfinite(e)]
    if not len(e):
        return {"n": 0}
    return {"n": int(len(e)), "rmse": round(float(np.sqrt(np.mean(e * e))), 2), "bias": round(float(np.mean(e)), 2),
            "median_abs": round(float(np.median(np.abs(e))), 2)}


def wing_check(eod: pd.DataFrame, indices: pd.DataFrame, params: dict) -> dict:
    """Model vs market IV of the EOD contract samples' puts (bid > 0), with each day's closing indices.

    The contracts sit far below any fitted strike (|delta| < 0.02, ln(K/F) -0.2 .. -1.2); the forward is taken as
    the spot (r - q within 2% a year then: ln(K/F) moves by < 0.03). Market IVs of the bid, mid and ask. Over SKEW's
    range on those days (2014-2017: ~120-155, where the 2019 fit saw 124-127) they also check how far the put slope's
    response to SKEW reaches: the error's slope on SKEW within a contract (its tenor and moneyness held), with the
    fitted response and without.
    """
    r = eod[(eod["right"] == "P") & (eod["bid"] > 0) & (eod["ask"] > eod["bid"])]
    p = np.array([params[n] for n in surface.PARAMS])
    flat = np.where(np.array(surface.PARAMS) == "put_skew_per_skewness", 0.0, p)  # the put slope not following SKEW
    out = {}
    for name, g in r.groupby("file"):
        t = ((g["expiration"] - g["quote_date"]).dt.days / 365.0).to_numpy()
        spot, strike = g["underlying"].to_numpy(), g["strike"].to_numpy()
        iv = {q: np.asarray(implied.implied_vol_black76(px, spot, strike, t, 0.0, False), dtype=float)
              for q, px in (("bid", g["bid"].to_numpy()), ("mid", ((g["bid"] + g["ask"]) / 2).to_numpy()),
                            ("ask", g["ask"].to_numpy()))}
        levels = indices.reindex(g["quote_date"])[list(surface.LEVELS)].to_numpy()
        model, model_flat = (surface.surface_vol(q, t, np.log(strike / spot), surface.atm_base(t, levels),
                                                 surface.index_skewness(levels[:, -1])) for q in (p, flat))
        e = (model - iv["mid"]) * 100.0
        inside = (model >= iv["bid"]) & (model <= iv["ask"])
        contract, skew = (g["strike"].astype(str) + "/" + g["expiration"].astype(str)).to_numpy(), levels[:, -1]
        aging = np.column_stack([t, np.log(strike / spot)])  # a contract's tenor and moneyness move with the days
        out[str(name)] = {"n": len(g), "days": [str(g["quote_date"].min().date()), str(g["quote_date"].max().date())],
                          "dte": [int(t.min() * 365 + 0.5), int(t.max() * 365 + 0.5)],
                          "log_moneyness": [round(float(np.log(strike / spot).min()), 2),
                                            round(float(np.log(strike / spot).max()), 2)],
                          "median_iv_mid": round(float(np.nanmedian(iv["mid"]) * 100), 2),
                          "median_bid_ask_iv_spread": round(float(np.nanmedian(iv["ask"] - iv["bid"]) * 100), 2),
                          "median_error_vs_mid": round(float(np.nanmedian(e)), 2),
                          "share_inside_bid_ask": round(float(inside.mean()), 3),
                          "skew_range": [round(float(np.nanmin(skew)), 1), round(float(np.nanmax(skew)), 1)],
                          "error_per_skew_point": round(within_slope(e, skew, contract, aging), 3),
                          "error_per_skew_point_slope_0": round(
                              within_slope((model_flat - iv["mid"]) * 100.0, skew, contract, aging), 3)}
    return out


def within_slope(y: np.ndarray, x: np.ndarray, group: np.ndarray, controls: np.ndarray | None = None) -> float:
    """Least-squares coefficient of ``x`` in ``y ~ x + controls`` within ``group`` (each group's means of every
    column taken out: a group's own level does not enter), over the rows where all are finite. In
    :func:`wing_check`: how the model's error moves with the day's SKEW, a contract's tenor and moneyness (which
    drift with the days, and SKEW with them: review 17) held; 0 when the put wing follows SKEW as the market's does
    (``put_skew_per_skewness``)."""
    cols = np.column_stack([y, x] + ([] if controls is None else [np.asarray(controls, float).reshape(len(y), -1)]))
    ok = np.isfinite(cols).all(axis=1)
    d = pd.DataFrame(cols[ok])
    within = (d - d.groupby(group[ok]).transform("mean")).to_numpy()
    return float(np.linalg.lstsq(within[:, 1:], within[:, 0], rcond=None)[0][0])


def print_surface(sf: dict, earlier: dict | None = None) -> None:
    """Print the report of :func:`calibrate_surface`: marginal cells per variant (with ``earlier``, the variants of
    :func:`earlier_embedded_variants`), |delta| x DTE grids of the model and of its embedded variant (from_vix)."""
    print(f"SPX surface per day from VIX9D/VIX/VIX3M/VIX6M/VIX1Y and SKEW ({sf['quotes']} OTM quotes): "
          + ", ".join(f"{k} {v}" for k, v in sf["fit"]["params"].items()))
    left_out = [q["put_skew_per_skewness"] for q in sf["fit"]["leave_one_day_out_params"].values()]
    print(f"  put_skew_per_skewness with each day left out: {min(left_out)} .. {max(left_out)}")
    levels = "; ".join(f"{d} " + " / ".join(f"{row[n]:.2f}" for n in surface.LEVELS)
                       for d, row in sf["snapshot_levels"].items())
    print("  index levels each day's quotes are fitted at (VIX9D / VIX / VIX3M / VIX6M / VIX1Y / SKEW; Cboe's formula "
          f"on the quotes away from the close): {levels}")
    print(f"  vol points, model - market: median |error| / median error; target: {sf['target']}")
    for name, ev in (("model (the day's SKEW)", sf["fit"]), *((f"variant {k}", v) for k, v in sf["variants"].items()),
                     *((f"variant from_vix, the embedded market before: {k}", v) for k, v in (earlier or {}).items())):
        split = f"fit {', '.join(ev['split']['fit_days'])}, test the others"
        for title, rep in (("in sample", ev["in_sample"]), ("each day left out", ev["leave_one_day_out"]),
                           (split, ev["split"]["test"])):
            print(f"  {name}, {title}:")
            for side, rows in rep.items():
                cells = "  ".join(f"{k} {v['median_abs']:.2f}/{v['median']:+.2f}" for k, v in rows.items()
                                  if v["n"] and " / " not in k)
                print(f"    {side:>5}: {cells}")
    print("  SKEW estimated from VIX and its EMA, estimate - Cboe's close (SKEW points): RMSE / bias, all test days "
          "and 2014-2018 (the embedded market's years)")
    for name, row in sf["skew_level"].items():
        print(f"    {name:>26}: " + "   ".join(
            f"{m} {c['all']['rmse']:.2f}/{c['all']['bias']:+.2f}, 2014-2018 "
            + (f"{c['2014-2018']['rmse']:.2f}/{c['2014-2018']['bias']:+.2f}" if c["2014-2018"]["n"] else "-")
            for m, c in row.items()))
    spx = sf["skew_spx"]
    print("  SKEW's error under its level by year, with the SPX's path added (" + "; ".join(spx["features"])
          + "), fitted on alternate years: RMSE without / with, test years")
    for name in (k for k in spx if k != "features"):
        print(f"    {name:>26}: {spx[name]['rmse_without']:.2f} / {spx[name]['rmse_with']:.2f} ({spx[name]['n']} days)")
    print("  VIX-to-index relations out of sample in time: RMS error in ln(I/VIX), %, without / with the EMA term")
    for name, row in sf["index_relations_split"].items():
        print(f"    {name:>26}: " + "   ".join(f"{k} {row[k]['without_ema']:.1f}/{row[k]['with_ema']:.1f}"
                                           for k in surface.ESTIMATED if k in row))  # (the JSON sorts them)
    dtes = [f"{lo}-{hi - 1} days" for lo, hi in itertools.pairwise(DTE_EDGES)]
    grids = [(f"{name}, {title}", rep) for name, ev in (("model", sf["fit"]),
                                                          ("variant from_vix", sf["variants"]["from_vix"]))
             for title, rep in (("in sample", ev["in_sample"]), ("each day left out", ev["leave_one_day_out"]),
                                ("split test", ev["split"]["test"]))]
    for title, rep in grids:
        for side, rows in rep.items():
            print(f"  {title}, {side}, |delta| x DTE (n median|e|/median):  " + "  ".join(f"{d:>16}" for d in dtes))
            for lo, hi in itertools.pairwise(DELTA_EDGES):
                dk = f"{lo * 100:g}-{hi * 100:g} delta"
                cells = [rows[f"{dk} / {d}"] for d in dtes]
                print(f"    {dk:>12}: " + "  ".join(f"{c['n']:>5} {c['median_abs']:.2f}/{c['median']:+.2f}" if c["n"]
                                                    else f"{'-':>16}" for c in cells))
    for name, w in sf.get("wing_check", {}).items():
        print(f"  far wing, {name} ({w['n']} puts with a bid, {w['days'][0]}..{w['days'][1]}, {w['dte'][0]}-{w['dte'][1]} "
              f"days, ln(K/F) {w['log_moneyness'][0]}..{w['log_moneyness'][1]}): market IV {w['median_iv_mid']}, "
              f"bid/ask IV spread {w['median_bid_ask_iv_spread']}, model - mid {w['median_error_vs_mid']:+.2f}, "
              f"model inside bid/ask IV {pct(w['share_inside_bid_ask'], 0)}; SKEW {w['skew_range'][0]}.."
              f"{w['skew_range'][1]}, model - mid per SKEW point within a contract {w['error_per_skew_point']:+.3f} "
              f"({w['error_per_skew_point_slope_0']:+.3f} with put_skew_per_skewness 0; 0 when the put wing follows "
              "SKEW as the market's does)")
