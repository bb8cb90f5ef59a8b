"""Probes of MUT38 (sweep_marginal.py survivors SM5, SM9, SM10, SM11): made-up results; the rules are the module's
docstrings on the snapshot (main 346315e); the figures worked by hand in each docstring."""
from __future__ import annotations

import pandas as pd

from vixhedge import fmt
from vixhedge.sweep_marginal import colour_key, marginal_rows, marginal_section


def test_sm5_the_instrument_colours_the_scatter_whenever_it_varies():
    """INSTRUMENT "whenever the grid sweeps it", even when another key explains more (here a: all of the spread)."""
    df = pd.DataFrame({"hedge.instrument": ["futures", "call_spread"] * 2, "a": [1, 1, 2, 2],
                       "is_sharpe": [0.0, 0.0, 1.0, 1.0]})
    assert colour_key(df, ["hedge.instrument", "a"], "is_sharpe") == "hedge.instrument"


def test_sm9_the_median_is_the_median():
    """a = 1 takes 0, 0.1, 0.9 (median 0.1, mean 0.333); a = 2 takes 1."""
    df = pd.DataFrame({"a": [1, 1, 1, 2], "sharpe": [0.0, 0.1, 0.9, 1.0]})
    assert marginal_rows(df, ["a"], "sharpe", True)[0]["median"] == 0.1


def test_sm10_a_key_that_does_not_vary_has_no_row():
    df = pd.DataFrame({"a": [1, 2], "b": [5, 5], "sharpe": [0.0, 1.0]})
    assert [r["key"] for r in marginal_rows(df, ["a", "b"], "sharpe", True)] == ["a", "a"]


def test_sm11_a_lower_is_better_statistic_says_so():
    df = pd.DataFrame({"a": [1, 2], "cvar95": [0.01, 0.02]})
    assert "(lower is better)" in marginal_section(df, ["a"], "cvar95", False, fmt.pct)
