"""Fit the option bid/ask width rule (feeds.chains.make_quotes) on real chains, and report model/real widths.

Rule: ``width = clip(fraction * mid^power, min, max)`` on whole ticks, placed around the mid. Fitted per
root on the real quotes (bid > 0, ask > bid, 7..180 days, 5..50 |delta|, the file's own delta):

* SPX options: root ``SPX`` (the AM-settled monthlies the condor trades; SPXW quotes are about 40% narrower)
  of ``spx_option_chains_2019_sample`` (5 intraday snapshots, 2019-04-25..05-01);
* VIX options: the one-day DataShop sample of ``vix_options_cboe_datashop_sample_2016``.

The fit is a grid search over ``(fraction, power)`` minimising the mean over |delta| x DTE buckets of
the squared mean log model/real width (smoother than medians of tick-sized widths), with the exact quoting function (tick rounding included);
``min`` is one tick, ``max`` stays as configured. Out of sample: fit on the first three SPX days and test
on the last two. Widening with VIX comes through the premium: at a fixed delta the mid grows with vol, so
the width grows as vol^power. The samples cannot identify more (all five SPX days have VIX 12.7-13.1).
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
    real = obs["width"].to_numpy()

    def objective(fraction: float, power: float) -> float:
        ratio = model_width(obs, fraction, power, max_width) / real
        log_ratio = np.log(ratio)
        return float(np.mean([np.mean(log_ratio[g]) ** 2 for g in groups]))

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


def calibrate_spreads(rows: pd.DataFrame, spx_max: float, vix_max: float, old: dict) -> dict:
    """Fit SPX and VIX option widths; report in sample, SPX out of sample, and the rule before (``old``)."""
    out = {"model": "width = clip(fraction * mid^power, min, max) on whole ticks around the mid"}
    spx = width_observations(rows, "SPX")
    days = np.sort(spx["day"].unique())
    f, p = fit_widths(spx, spx_max)
    early = spx["day"].isin(days[:3])
    f_in, p_in = fit_widths(spx[early], spx_max)
    out["spx"] = {"days": [str(pd.Timestamp(d).date()) for d in days], "fraction": f, "power": p,
                  "min": MIN_WIDTH, "max": spx_max, "in_sample": width_report(spx, f, p, spx_max),
                  "out_of_sample": {"fit_days": [str(pd.Timestamp(d).date()) for d in days[:3]], "fraction": f_in,
                                    "power": p_in, "test": width_report(spx[~early], f_in, p_in, spx_max)},
                  "before": width_report(spx, old["spx_fraction"], 1.0, spx_max)}
    vix = width_observations(rows, "VIX")
    if len(vix):
        fv, pv = fit_widths(vix, vix_max)
        out["vix"] = {"days": sorted({str(pd.Timestamp(d).date()) for d in vix["day"]}), "fraction": fv, "power": pv,
                      "min": MIN_WIDTH, "max": vix_max, "in_sample": width_report(vix, fv, pv, vix_max),
                      "before": width_report(vix, old["vix_fraction"], 1.0, vix_max)}
    return out
