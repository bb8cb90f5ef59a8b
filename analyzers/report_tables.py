"""Tables a run report shows beside its figures (pure pandas; usable from a notebook too).

* :func:`monthly_returns` - calendar-month NAV returns as a year x month grid with the year's total.
* :func:`benchmark_frame` - the run's NAV beside the S&P 500 total return and the same run without hedge,
  both from the run's first NAV.
* :func:`relative_metrics` - the run against each benchmark: CAGR of both, excess CAGR, tracking error,
  information ratio, beta and correlation of daily returns, max drawdown of both (a ruined run: over its
  valid span, to the ruin day where its NAV is 0, as its metrics).
* :func:`parameters` - the resolved config flattened to ``section.key = value`` rows.

The S&P 500 total return is the price index grown by the config's continuous dividend yield
(``market.div_yield``) day by day, ``TR_t = TR_{t-1} * S_t / S_{t-1} * exp(q * days / 365)``: the
data sources hold the price index only, so the dividends are the model's, as in option pricing.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def monthly_returns(nav: pd.Series) -> pd.DataFrame:
    """Return the year x month grid of NAV returns (fractions) plus ``Year``, compounded from daily NAV.

    A month's return runs from the last NAV of the month before (the first NAV for the first month) to
    its last NAV; a month without a run day is NaN.
    """
    idx = pd.DatetimeIndex(pd.to_datetime(nav.index))
    s = pd.Series(np.asarray(nav, dtype=float), index=idx)
    month_end = s.groupby([idx.year, idx.month]).last()
    prev = month_end.shift(1)
    prev.iloc[0] = s.iloc[0]
    rets = month_end / prev - 1.0
    grid = pd.DataFrame(np.nan, index=sorted(set(idx.year)), columns=list(MONTHS) + ["Year"])
    for (year, month), r in rets.items():
        grid.loc[year, MONTHS[month - 1]] = r
    for year in grid.index:
        grid.loc[year, "Year"] = np.prod(1.0 + grid.loc[year, list(MONTHS)].dropna().to_numpy()) - 1.0
    grid.index.name = "year"
    return grid


def spx_total_return(spx_close: pd.Series, div_yield: float, start_value: float) -> pd.Series:
    """Return the S&P 500 total-return path (see the module docstring) starting at ``start_value``."""
    idx = pd.DatetimeIndex(pd.to_datetime(spx_close.index))
    s = np.asarray(spx_close, dtype=float)
    days = np.diff(idx.values).astype("timedelta64[D]").astype(float)
    growth = np.concatenate([[1.0], s[1:] / s[:-1] * np.exp(div_yield * days / 365.0)])
    return pd.Series(start_value * np.cumprod(growth), index=spx_close.index, name="spx_tr_nav_usd")


def benchmark_frame(daily: pd.DataFrame, no_hedge_nav: pd.Series, div_yield: float) -> pd.DataFrame:
    """Return date-indexed NAVs: the run, the S&P 500 total return and the run without hedge, both benchmarks
    rebased to start at the run's first NAV (the no-hedge run's own first NAV differs by the first day's hedge
    fills: its daily returns, CAGR and drawdowns are unchanged, only its level)."""
    nav = daily["nav_usd"]
    no_hedge = no_hedge_nav.reindex(nav.index)
    return pd.DataFrame({"nav_usd": nav, "spx_tr_nav_usd": spx_total_return(daily["spx_close"], div_yield,
                                                                           float(nav.iloc[0])),
                         "no_hedge_nav_usd": no_hedge * (float(nav.iloc[0]) / float(no_hedge.iloc[0]))})


def _cagr(nav: np.ndarray, periods_per_year: int) -> float:
    n = len(nav) - 1
    if n > 0 and nav[0] > 0 >= nav[-1]:  # everything lost (a ruin): -100%, as analyzers.metrics.cagr
        return -1.0
    return float((nav[-1] / nav[0]) ** (periods_per_year / n) - 1.0) if n > 0 and nav[0] > 0 < nav[-1] else math.nan


def _max_drawdown(nav: np.ndarray) -> float:
    return float((1.0 - nav / np.maximum.accumulate(nav)).max())


def valid_rows(bench: pd.DataFrame) -> pd.DataFrame:
    """``bench`` (benchmark.csv) up to a ruin's day, NAV 0 on it: a ruined run's valid span, as its metrics count it
    (the whole frame for a run not ruined)."""
    dead = np.flatnonzero(bench["nav_usd"].to_numpy(dtype=float) <= 0)
    return bench.iloc[:dead[0] + 1] if len(dead) else bench


def relative_metrics(bench: pd.DataFrame, periods_per_year: int = 252) -> dict[str, dict[str, float]]:
    """Return, per benchmark column, the run against it (see the module docstring), over :func:`valid_rows`."""
    bench = valid_rows(bench)
    run = bench["nav_usd"].to_numpy(dtype=float)
    r = run[1:] / run[:-1] - 1.0
    out = {}
    for col in ("spx_tr_nav_usd", "no_hedge_nav_usd"):
        b = bench[col].to_numpy(dtype=float)
        if not np.isfinite(b).all() or len(b) < 3:
            continue
        rb = b[1:] / b[:-1] - 1.0
        active = r - rb
        te = float(active.std(ddof=1) * math.sqrt(periods_per_year))
        var_b = float(rb.var(ddof=1))
        out[col.removesuffix("_nav_usd")] = {
            "cagr": _cagr(run, periods_per_year), "benchmark_cagr": _cagr(b, periods_per_year),
            "excess_cagr": _cagr(run, periods_per_year) - _cagr(b, periods_per_year),
            "tracking_error": te,
            "information_ratio": float(active.mean() * periods_per_year / te) if te > 0 else math.nan,
            "beta": float(np.cov(r, rb, ddof=1)[0, 1] / var_b) if var_b > 0 else math.nan,
            "correlation": float(np.corrcoef(r, rb)[0, 1]) if r.std() > 0 and rb.std() > 0 else math.nan,
            "max_drawdown": _max_drawdown(run), "benchmark_max_drawdown": _max_drawdown(b)}
    return out


def parameters(config_dict: Mapping[str, Any], prefix: str = "") -> list[tuple[str, str]]:
    """Return the config flattened to (``section.key``, value) rows in config order."""
    rows: list[tuple[str, str]] = []
    for key, value in config_dict.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            rows.extend(parameters(value, f"{name}."))
        elif isinstance(value, Iterable) and not isinstance(value, str):
            rows.append((name, ", ".join(_toml_word(v) for v in value)))
        else:
            rows.append((name, _toml_word(value)))
    return rows


def _toml_word(value: Any) -> str:
    """A config value as config.toml spells it where Python's str differs: true / false (trial RP: a pasted
    ``False`` is no TOML boolean)."""
    return ("true" if value else "false") if isinstance(value, bool) else str(value)


def layers_by_trigger(layers: pd.DataFrame, total: bool = False) -> pd.DataFrame:
    """Hedge layers grouped by what opened them (layers.csv ``trigger``: the rule tags, '+'-joined): ``layers``
    (how many), ``net_pnl_usd`` (their net P&L, fees included) and ``per_layer_usd``, most layers first (ties by
    trigger; ``total``: an "all layers" row last). A layer's P&L is where the hedge's money went, not its rule's
    effect: a compare with the rule off (``--variant``) measures that. Empty without layers."""
    if layers.empty or not {"trigger", "net_pnl_usd"} <= set(layers.columns):
        return pd.DataFrame(columns=["trigger", "layers", "net_pnl_usd", "per_layer_usd"])
    g = layers.groupby("trigger")["net_pnl_usd"].agg(layers="count", net_pnl_usd="sum", per_layer_usd="mean")
    out = g.reset_index().sort_values(["layers", "trigger"], ascending=[False, True], kind="stable", ignore_index=True)
    if total:
        pnl = layers["net_pnl_usd"]
        out.loc[len(out)] = ["all layers", len(pnl), pnl.sum(), pnl.mean()]
    return out
