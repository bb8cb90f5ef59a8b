"""Probe of MUT38 (sweep_report.py survivor SR1): top_results' docstring, "the TOP best distinct results by
``metric``": for CVaR 95% (lower is better, sweep_keys.RANK_BY) the lowest first. Made-up results."""
from __future__ import annotations

import pandas as pd

from vixhedge.sweep_report import top_results


def test_sr1_the_best_of_a_lower_is_better_metric_is_the_lowest():
    df = pd.DataFrame({"point": [0, 1, 2], "a": [1, 2, 3], "cvar95": [0.02, 0.01, 0.03]})
    top, counts, distinct = top_results(df, ["a"], "cvar95")
    assert top["cvar95"].tolist() == [0.01, 0.02, 0.03] and counts == [1, 1, 1] and distinct == 3
