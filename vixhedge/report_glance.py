"""The run page's first table, "At a glance": did the hedge help, at what cost, on what capital and on what prices.

Trial VIS42 M1: at 1,400 x 900 the first screen of a run's page held its notes and the data banner, and the answers
a researcher opens it for sat 1,300 to 4,400 px below (the real-data run's max drawdown 65.70% against 44.13%
without the hedge, its net cost $235,641, its capital needed $718,319). Each row repeats a figure of a table further
down (named in its convention cell); the no-hedge path's are measured the same way on benchmark.csv (its total return
and CVaR are given here alone: trial RD42 M1).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analyzers.report_tables import valid_rows
from vixhedge.fmt import num, pct, usd
from vixhedge.page_style import kv_table

__all__ = ["glance"]


def _path(nav: np.ndarray) -> tuple[float, float, float]:
    """Total return, max drawdown and CVaR 95% of a NAV path (Performance's conventions: analyzers.metrics)."""
    from analyzers import metrics as M

    return float(nav[-1] / nav[0] - 1.0), M.max_drawdown(nav), M.cvar(M.daily_returns(nav))


def _against_no_hedge(bench: pd.DataFrame | None) -> list[tuple[str, str, str]]:
    """The run against the same config without hedge on the same market path (benchmark.csv): return, max drawdown
    and CVaR 95%, one row each; none without it."""
    if bench is None or "no_hedge_nav_usd" not in bench.columns:
        return []
    b = valid_rows(bench)  # (to a ruin, as the metrics)
    run, bare = b["nav_usd"].to_numpy(dtype=float), b["no_hedge_nav_usd"].to_numpy(dtype=float)
    if len(run) < 3 or not np.isfinite(bare).all():
        return []
    hedged, not_hedged = _path(run), _path(bare)
    where = ("hedged (this run: Performance below) vs the same config with hedge.mode = none on the same market path, "
             "measured the same way on benchmark.csv (Relative to the benchmarks below)")
    return [(f"{what}, hedged vs not", f"{pct(a)} vs {pct(b)}", where if k == 0 else "")
            for k, (what, a, b) in enumerate(zip(("total return", "max drawdown", "CVaR 95%"), hedged, not_hedged))]


def _cost(h: Mapping) -> tuple[str, str, str]:
    share = h.get("cost_pct_of_condor_credit")
    of_credit = f"{num(share, sep=False)}% of the condor credit; " if share is not None and share == share else ""
    return ("hedge net cost", usd(h["net_cost_usd"]),
            f"{of_credit}{usd(h['net_cost_usd_per_year'])} per year; minus the hedge's P&L, fees included "
            "(Hedge cost below)")


def _capital(c: Mapping) -> tuple[str, str, str] | None:
    if "capital_needed_usd" not in c:  # (a folder from before the figure)
        return None
    return ("capital", f"peak requirement {usd(c['peak_margin_usd'])}, needed {usd(c['capital_needed_usd'])}",
            "the cash the start needed to meet no margin call, for this run's trades: caps sized by NAV would "
            "change them (Capital below)")


def _data(p: Mapping | None) -> tuple[str, str, str] | None:
    if not p or not (p.get("marks") or p.get("fills")):
        return None
    from feeds.provenance import percent

    got = {o: sum(r[o] for kind in ("marks", "fills") for r in p[kind].values()) for o in ("real", "anchored", "model")}
    verdict = "mostly modelled: read the result as a study of the model" if p.get("rests_on_model") else "mostly real"
    return ("prices", f"{percent(got['real'], sum(got.values()))} real", f"of the marks and fills; {verdict} (Data "
            "below, by instrument)")


def glance(m: Mapping, bench: pd.DataFrame | None, hedged: bool = True) -> str:
    """The "At a glance" table of a run's metrics.json ``m`` and benchmark.csv ``bench`` (None: no such file);
    ``hedged``: False for a run without hedge (its no-hedge benchmark is itself: no such row)."""
    rows = [*(_against_no_hedge(bench) if hedged else []),
            *(row for row in (_cost(m["hedge_cost"]), _capital(m.get("capital") or {}), _data(m.get("data_provenance")))
              if row)]
    return "<h2>At a glance</h2>\n" + kv_table(rows)
