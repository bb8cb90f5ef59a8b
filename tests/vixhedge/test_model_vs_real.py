"""The model-vs-real report's arithmetic (the comparison itself runs in the README command, on real data)."""

import numpy as np
import pandas as pd
import pytest

from vixhedge.model_vs_real import _apart, _k, daily_change_beta, swaps_report


def test_daily_change_beta_recovers_a_known_slope():
    rng = np.random.default_rng(0)
    vix = 15 + np.cumsum(rng.normal(0, 1, 500))
    series = 20 + 0.6 * (vix - 15) + rng.normal(0, 0.05, 500)  # daily changes: 0.6 x VIX's plus noise
    assert daily_change_beta(series, vix) == pytest.approx(0.6, abs=0.01)
    series[10] = np.nan  # a missing day drops its two changes, not the whole series
    assert daily_change_beta(series, vix) == pytest.approx(0.6, abs=0.01)


def test_money_and_gap_formatting():
    assert _k(-100_000.0) == "-$100.0k" and _k(43_500.0) == "$43.5k"
    assert _apart(-100.0, -43.5) == "130% apart" and _apart(1.0, 0.0) == "n/a"


def test_swaps_report_names_the_quarters_that_moved_most():
    days = pd.bdate_range("2015-01-01", "2015-12-31")
    base = pd.Series(0.0, index=days)
    moved = base.copy()
    moved[pd.Timestamp("2015-08-24")] = -25_000.0  # 2015Q3, the largest move
    moved[pd.Timestamp("2015-02-02")] = 4_000.0  # 2015Q1
    swaps = [("real", {"alvh": (0.0, base), "static": (-1_000.0, base)}),
             ("+ model", {"alvh": (-21_000.0, moved), "static": (-1_000.0, base)})]
    lines = swaps_report(swaps).splitlines()
    assert lines[2] == "| real | $0.0k | -$1.0k |  |"
    assert lines[3].startswith("| + model | -$21.0k | -$1.0k | 2015Q3 -$25.0k, 2015Q1 $4.0k, ")
