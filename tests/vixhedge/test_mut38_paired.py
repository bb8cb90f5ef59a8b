"""Probes of MUT38 (paired_tracks.py survivors PT1, PT7). Numbers made up; the expected words follow
paired_tracks.PAIRED's docstring ("the side that is better": a drawdown, positive in bootstrap.max_drawdown_rows, is
better lower) and holm_cells'/holds_words' docstrings ("{} for a file written before p_holm"; "" then)."""
from __future__ import annotations

from vixhedge.paired_tracks import paired_figures

D = {"diff": 0.05, "ci_low": 0.01, "ci_high": 0.1, "ci_method": "percentile", "ci_borderline": False,
     "p_value": 0.01, "p_holm": None}


def test_pt1_a_deeper_drawdown_is_worse():
    """The picks' max drawdown 5 points of % deeper, CI [+1, +10]: worse, as compare says it."""
    assert paired_figures(dict(D), "max_drawdown")[2] == "worse"


def test_pt7_a_walkforward_json_before_holm_p_says_no_holm_line():
    """A walkforward.json from before p_holm (p_holm null): holds_words says nothing, no TypeError."""
    from vixhedge.walkforward_text import holds_words

    s = {"reps": 2000, "paired": {"no_hedge": {"block_days": 5, "sharpe": dict(D), "max_drawdown": dict(D)}}}
    assert holds_words(s) == ""
