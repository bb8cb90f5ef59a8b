"""Fit the option bid/ask width rule (feeds.chains.make_quotes) on real chains, and report model/real widths.

Rule: ``width = clip(fraction * mid^power, min, max)`` on whole ticks, placed around the mid. Fitted per
root on the real quotes (bid > 0, ask > bid, 7..180 days, 5..50 |delta|, the file's own delta):

* SPX options: root ``SPX`` (the AM-settled monthlies the condor trades; SPXW quotes are about 40% narrower)
  of ``spx_option_chains_2019_sample`` (5 intraday snapshots, 2019-04-25..05-01), the session snapshots only;
* VIX options: the one-day DataShop sample of ``vix_options_cboe_datashop_sample_2016``.

The fit is a grid search over ``(fraction, power)`` minimising the mean over |delta| x DTE buckets of
the squared mean log model/real width (smoother than medians of tick-sized widths), with the exact quoting function
(tick rounding included); ``min`` is one tick, ``max`` stays as configured.

Session or after-close quotes. The snapshots are of two kinds: taken after the close (the snapshot's SPX equals the
official close: 2019-04-26, 04-29; SPX options quote until 16:15 while the index no longer moves) or during the
session. After-close quotes are 25-33% wider. A modelled fill happens at the day's close, when the session's
quotes are the ones a trader meets (Cboe's end-of-day files carry a 15:45 snapshot for this reason), so the SPX
rule is fitted on the session snapshots; the after-close ones are reported with it (model narrower by ~25%), and
so is the rule fitted on all days. Out of sample: each session day left out in turn, and the split fitting the
session days among the first three days and testing those among the last two.

Widening with VIX comes through the premium: at a fixed delta the mid grows with vol, so the width grows as
vol^power. The 2019 days cannot identify more (VIX 12.7-14.8); the 2014-2017 EOD contract samples (a few
far-from-the-money puts followed through 13 < VIX < 24) give the elasticity of the width to VIX at a fixed mid
and contract (:func:`vix_widening`), reported, not used.
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from feeds.chains import make_quotes

DELTA_EDGES = (0.05, 0.10, 0.20, 0.35, 0.50)
DTE_EDGES = (7, 30, 60, 120, 181)
MIN_WIDTH = 0.05
FRACTIONS = np.exp(np.linspace(np.log(0.01), np.log(1.0), 93))
POWERS = np.round(np.arange(0.0, 1.01, 0.02), 2)


def width_observations(rows: pd.DataFrame, root: str) -> pd.DataFrame:
    """Return the usable real quotes of ``root``: mid, width, |delta|, DTE and their buckets."""
    r = rows[(rows["root"] == root) & (rows["bid"] > 0) & (rows["ask"] > rows["bid"])]
    dte = (r["expiration"] - r["quote_date"]).dt.days
    ad = r["delta"].abs()
    r = r[(dte >= 7) & (dte <= 180) & (ad >= 0.05) & (ad < 0.5)]
    out = pd.DataFrame({"day": r["quote_date"].to_numpy(), "mid": ((r["bid"] + r["ask"]) / 2.0).to_numpy(),
                        "width": (r["ask"] - r["bid"]).to_numpy(), "abs_delta": r["delta"].abs().to_numpy(),
                        "dte": (r["expiration"] - r["quote_date"]).dt.days.to_numpy()})
    out["delta_bucket"] = pd.cut(out["abs_delta"], DELTA_EDGES, right=False, labels=_labels(DELTA_EDGES, 100, "delta"))
    out["dte_bucket"] = pd.cut(out["dte"], DTE_EDGES, right=False, labels=_labels(DTE_EDGES, 1, "days"))
    return out


def _labels(edges, scale, unit) -> list[str]:
    return [f"{lo * scale:g}-{hi * scale:g} {unit}" for lo, hi in itertools.pairwise(edges)]


def model_width(obs: pd.DataFrame, fraction: float, power: float, max_width: float) -> np.ndarray:
    bid, ask = make_quotes(obs["mid"].to_numpy(), fraction, MIN_WIDTH, max_width, power)
    return ask - bid


def fit_widths(obs: pd.DataFrame, max_width: float) -> tuple[float, float]:
    """Return the ``(fraction, power)`` of the grid that fits ``obs`` best (module docstring)."""
    groups = [np.flatnonzero(g) for g in (obs.groupby(["delta_bucket", "dte_bucket"], observed=True).ngroup()
                                           .to_numpy()[None, :] == np.arange(64)[:, None]) if g.any()]
    real, mid = obs["width"].to_numpy(), obs["mid"].to_numpy()
    # each group's rows side by side (one gather a grid point): a slice's np.add.reduce / n is np.mean of the group's
    # rows bit for bit (the same values in the same order, pairwise-summed), at a fifth of np.mean's cost
    order = np.concatenate(groups) if groups else np.zeros(0, dtype=np.intp)
    bounds = list(itertools.pairwise(np.cumsum([0, *map(len, groups)]).tolist()))

    def objective(fraction: float, power: float) -> float:
        bid, ask = make_quotes(mid, fraction, MIN_WIDTH, max_width, power)  # model_width's, mid read once
        log_ratio = np.log((ask - bid) / real)[order]
        return float(np.mean([(np.add.reduce(log_ratio[a:b]) / (b - a)) ** 2 for a, b in bounds]))

    best = min((objective(f, p), f, p) for p in POWERS for f in FRACTIONS)
    return round(float(best[1]), 4), float(best[2])


def width_report(obs: pd.DataFrame, fraction: float, power: float, max_width: float) -> dict:
    """Median model/real width and median widths by |delta| bucket, DTE bucket and both."""
    model = model_width(obs, fraction, power, max_width)
    frame = obs.assign(model=model, ratio=model / obs["width"].to_numpy())

    def table(keys) -> dict:
        g = frame.groupby(keys, observed=True)
        out = {}
        for k, part in g:
            name = " / ".join(k) if isinstance(k, tuple) else str(k)
            out[name] = {"n": len(part), "median_ratio": round(float(part["ratio"].median()), 3),
                         "real_median_width": round(float(part["width"].median()), 3),
                         "model_median_width": round(float(part["model"].median()), 3)}
        return out

    return {"n": len(frame), "median_ratio": round(float(frame["ratio"].median()), 3),
            "by_delta": table("delta_bucket"), "by_dte": table("dte_bucket"),
            "by_delta_dte": table(["delta_bucket", "dte_bucket"])}


def leave_one_day_out(obs: pd.DataFrame, max_width: float) -> tuple[dict, dict]:
    """Return the report of each day's model widths from the rule fitted on the other days, and those rules."""
    model = np.full(len(obs), np.nan)
    rules = {}
    for day in np.sort(obs["day"].unique()):
        test = (obs["day"] == day).to_numpy()
        f, p = fit_widths(obs[~test], max_width)
        model[test] = model_width(obs[test], f, p, max_width)
        rules[str(pd.Timestamp(day).date())] = [f, p]
    return _ratio_report(obs, model), rules


def _ratio_report(obs: pd.DataFrame, model: np.ndarray) -> dict:
    frame = obs.assign(model=model, ratio=model / obs["width"].to_numpy())
    return {"n": len(frame), "median_ratio": round(float(frame["ratio"].median()), 3),
            **{key: {str(k): {"n": len(g), "median_ratio": round(float(g["ratio"].median()), 3)}
                     for k, g in frame.groupby(col, observed=True)}
               for key, col in (("by_delta", "delta_bucket"), ("by_dte", "dte_bucket"))}}


def vix_widening(eod: pd.DataFrame, vix: pd.Series) -> dict:
    """Fit ``ln width = e ln VIX + m ln mid + one level per contract`` on the EOD contract samples' puts."""
    r = eod[(eod["right"] == "P") & (eod["bid"] > 0) & (eod["ask"] > eod["bid"])]
    out = {}
    for name, g in r.groupby("file"):
        v = vix.reindex(g["quote_date"]).to_numpy()
        mid = ((g["bid"] + g["ask"]) / 2.0).to_numpy()
        key = (g["expiration"].astype(str) + "/" + g["strike"].astype(str)).to_numpy()
        x = np.column_stack([np.log(v), np.log(mid), *((key == k).astype(float) for k in np.unique(key))])
        coef = np.linalg.lstsq(x, np.log((g["ask"] - g["bid"]).to_numpy()), rcond=None)[0]
        out[str(name)] = {"n": len(g), "contracts": int(len(np.unique(key))),
                          "vix_range": [float(v.min()), float(v.max())],
                          "width_per_log_vix": round(float(coef[0]), 3), "width_per_log_mid": round(float(coef[1]), 3),
                          "median_width": round(float(np.median(g["ask"] - g["bid"])), 3)}
    return out


def after_close_days(rows: pd.DataFrame, spx_close: pd.Series | None) -> set:
    """Return the days whose SPX snapshot equals the official close (taken after 16:00), from ``rows``' SPX level."""
    if spx_close is None:
        return set()
    quoted = rows[rows["root"] == "SPX"].groupby("quote_date")["underlying"].median()
    return {d for d, q in quoted.items() if abs(q - spx_close.get(d, np.nan)) < 0.005}


def _split(obs: pd.DataFrame, max_width: float, fit_days) -> dict:
    """Fit on the days ``fit_days`` of ``obs``, report on its other days."""
    early = obs["day"].isin(fit_days)
    f, p = fit_widths(obs[early], max_width)
    return {"fit_days": [str(pd.Timestamp(d).date()) for d in np.sort(obs.loc[early, "day"].unique())],
            "fraction": f, "power": p, "test": width_report(obs[~early], f, p, max_width)}


def calibrate_spreads(rows: pd.DataFrame, spx_max: float, vix_max: float, old: dict,
                      spx_close: pd.Series | None = None, eod: pd.DataFrame | None = None,
                      vix: pd.Series | None = None) -> dict:
    """Fit SPX and VIX option widths; report in sample, SPX out of sample, and the rule before (``old``).

    The SPX rule is fitted on the session snapshots (``spx_close``, official closes, tells the after-close ones
    apart; without it every day counts as a session day). Out of sample: each session day left out, and the
    split fitting the session days among the first three days and testing the session days among the last two.
    Beside it, the rule fitted on all days (session and after-close) with the same tests. ``eod`` (the EOD
    contract samples' rows) with ``vix`` (VIX closes) gives :func:`vix_widening`.
    """
    out = {"model": "width = clip(fraction * mid^power, min, max) on whole ticks around the mid; SPX fitted on the "
                    "session snapshots"}
    spx = width_observations(rows, "SPX")
    days = np.sort(spx["day"].unique())
    after = spx["day"].isin(after_close_days(rows, spx_close)).to_numpy()
    session = spx[~after]
    f, p = fit_widths(session, spx_max)
    loo, loo_rules = leave_one_day_out(session, spx_max)
    f_all, p_all = fit_widths(spx, spx_max)
    level = (spx["width"] / spx["mid"] ** p).groupby(spx["day"]).median()
    kind = pd.Series(after, index=spx.index).groupby(spx["day"]).first()
    out["spx"] = {"days": [str(pd.Timestamp(d).date()) for d in days], "fraction": f, "power": p,
                  "min": MIN_WIDTH, "max": spx_max, "in_sample": width_report(session, f, p, spx_max),
                  "leave_one_day_out": {"rules": loo_rules, "test": loo},
                  "out_of_sample": _split(session, spx_max, days[:3]),
                  "on_all_days": width_report(spx, f, p, spx_max),
                  "on_after_close_days": _ratio_report(spx[after], model_width(spx[after], f, p, spx_max)),
                  "day_levels": {str(pd.Timestamp(d).date()): {"after_close": bool(kind[d]),
                                                               "width_over_mid_power": round(float(v), 4)}
                                 for d, v in level.items()},
                  "all_days_rule": {"fraction": f_all, "power": p_all,
                                    "leave_one_day_out": leave_one_day_out(spx, spx_max)[0],
                                    "out_of_sample": _split(spx, spx_max, days[:3]),
                                    "on_session_days": _ratio_report(session, model_width(session, f_all, p_all,
                                                                                          spx_max))},
                  "before": width_report(spx, old["spx_fraction"], 1.0, spx_max)}
    if eod is not None and vix is not None:
        out["spx"]["vix_widening"] = vix_widening(eod, vix)
    vix = width_observations(rows, "VIX")
    if len(vix):
        fv, pv = fit_widths(vix, vix_max)
        out["vix"] = {"days": sorted({str(pd.Timestamp(d).date()) for d in vix["day"]}), "fraction": fv, "power": pv,
                      "min": MIN_WIDTH, "max": vix_max, "in_sample": width_report(vix, fv, pv, vix_max),
                      "before": width_report(vix, old["vix_fraction"], 1.0, vix_max)}
    return out


def refitted_rules_line(rules: dict[str, list[float]]) -> str:
    """Return the printed line of the rules refitted with each session day left out (``{day: [fraction, power]}``)
    and their range."""
    f, p = [[r[i] for r in rules.values()] for i in (0, 1)]
    return ("rules refitted with each session day left out: "
            + ", ".join(f"{d} left out {r[0]} x mid^{r[1]:.2f}" for d, r in rules.items())
            + f"; refitted: {min(f)}-{max(f)} x mid^{min(p):.2f}-{max(p):.2f}")


def print_spreads(spreads: dict) -> None:
    """Print the report of :func:`calibrate_spreads`."""
    print(f"Option widths: {spreads['model']}; target median model/real 0.8..1.25 per |delta| bucket")
    for root in ("spx", "vix"):
        r = spreads.get(root)
        if not r:
            continue
        print(f"  {root.upper()} ({', '.join(r['days'])}): fraction {r['fraction']}, power {r['power']}, min {r['min']}")
        blocks = [("in sample", r["in_sample"])]
        if "out_of_sample" in r:
            o, a = r["out_of_sample"], r["all_days_rule"]
            ao = a["out_of_sample"]
            blocks += [("OUT of sample, each session day left out (fit on the other session days)",
                        r["leave_one_day_out"]["test"]),
                       (f"OUT of sample, fit {', '.join(o['fit_days'])} ({o['fraction']}, {o['power']}), test the "
                        "later session days", o["test"]),
                       ("on all days (after-close snapshots included)", r["on_all_days"]),
                       ("on the after-close snapshots", r["on_after_close_days"]),
                       (f"rule fitted on all days ({a['fraction']}, {a['power']}), each day left out",
                        a["leave_one_day_out"]),
                       (f"rule fitted on all days, fit {', '.join(ao['fit_days'])} ({ao['fraction']}, {ao['power']}), "
                        "test the others", ao["test"]),
                       ("rule fitted on all days, on the session snapshots", a["on_session_days"])]
        blocks.append(("before (0.04/0.06 x mid)", r["before"]))
        for title, rep in blocks:
            cells = "  ".join(f"{k} {v['median_ratio']:.2f}" for k, v in (*rep["by_delta"].items(), *rep["by_dte"].items()))
            print(f"    {title}: model/real median {rep['median_ratio']:.2f}; {cells}")
        if "leave_one_day_out" in r:
            print("    " + refitted_rules_line(r["leave_one_day_out"]["rules"]))
        if "day_levels" in r:
            print("    width level per day (median width / mid^power): " + ", ".join(
                f"{d} {v['width_over_mid_power']} ({'after close' if v['after_close'] else 'session'})"
                for d, v in r["day_levels"].items()))
        for name, w in r.get("vix_widening", {}).items():
            print(f"    widening with VIX, {name} ({w['n']} puts, {w['contracts']} contracts, VIX {w['vix_range'][0]:.1f}-"
                  f"{w['vix_range'][1]:.1f}): d ln width / d ln VIX {w['width_per_log_vix']:+.2f} at a fixed mid and "
                  f"contract (d ln width / d ln mid {w['width_per_log_mid']:+.2f}; the rule: 0 and its power)")
