"""What the compare tests share (tests/vixhedge/test_compare*.py): the default compare of a short window, computed once
per process, and made-up runs and Comparisons for the text and figures (no run)."""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import pandas as pd

from feeds.market import build_market
from vixhedge.compare import compare
from vixhedge.core import config as C

SHORT = {"start": "2015-06-01", "end": "2015-12-31"}
RF_METRICS = {"performance": {"risk_free_rate": 0.0067}}  # a made-up mean cash rate (0.67%/yr) for made-up runs


@dataclass(frozen=True)
class MadeUpRun:
    """A made-up run for a made-up Comparison: what its text and figures read of a RunResult (no condor traded)."""

    metrics: dict = field(default_factory=lambda: RF_METRICS)
    trades: pd.DataFrame = field(default_factory=pd.DataFrame)
    condors: pd.DataFrame = field(default_factory=pd.DataFrame)
    signals_log: pd.DataFrame = field(default_factory=pd.DataFrame)
    capital_cuts: pd.DataFrame = field(default_factory=pd.DataFrame)


def synthetic(modes: tuple[str, ...]):
    """A Comparison of made-up numbers (no run): the default compare's alvh hedge net cost and CI scale
    (+$127,183 [-$96,924, +$340,849], `vixhedge compare` on the default config) for every mode."""
    from vixhedge.compare import STATS, Comparison

    table = pd.DataFrame({m: {"end_nav_usd": 1e6, "hedge_layers": 3.0} for m in ("none", *modes)})
    paired = pd.DataFrame([{"mode": m, "baseline": "none", "stat": s, "diff": 127183.0 if s.endswith("usd") else 0.01,
                            "ci_low": -96924.0 if s.endswith("usd") else -0.02,
                            "ci_high": 340849.0 if s.endswith("usd") else 0.03, "ci_method": "percentile",
                            "block_days": 5} for m in modes for s in STATS])
    paired.attrs.update(baseline="none", n_boot=2000, block_days="auto", ci_method="percentile", seed=7)
    return Comparison(C.load_default(), {m: MadeUpRun() for m in table.columns},
                      table, paired)


@functools.cache
def default_comparison():
    """The default config's compare over SHORT (none, static, alvh; 300 draws), once per process: the modules that
    read it share it (each test only reads it)."""
    # without the divergence's condor cut (default 0.5; it cuts alvh's condor on 2015-06-01, the first day): the
    # condor books then differ only where a capital cap sized on each mode's NAV cuts one, which these tests read
    cfg = C.replace(C.load_default(), run=SHORT, hedge={"divergence": {"condor_cut": 0.0}})
    return compare(cfg, build_market(cfg.market), n_boot=300)
