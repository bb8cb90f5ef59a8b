"""Probes of MUT38 (paired_tracks.py survivors PT1, PT7; PT10, which it did not run). Numbers made up; the
expected words follow paired_tracks.PAIRED's docstring ("the side that is better": a drawdown, positive in
bootstrap.max_drawdown_rows, is better lower) and holm_cells'/holds_words' docstrings ("{} for a file written before
p_holm"; "" then)."""
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


def test_pt10_an_interval_ending_at_zero_is_borderline():
    """MUT38 PT10 (paired_tracks.py's ci_borderline forced False; not run by the trial): made-up tracks (300 days of
    N(0.0003, 0.01) returns, the track those plus N(0, 0.002), seed 0, 500 draws) whose CVaR interval starts at
    -1.8e-6, within the Monte-Carlo error of 0 (bootstrap.borderline): flagged, the other three intervals, which
    hold 0 well inside, not."""
    import numpy as np

    from vixhedge.paired_tracks import paired_tracks

    rng = np.random.default_rng(0)
    base = rng.normal(0.0003, 0.01, 300)
    track = base + rng.normal(0.0, 0.002, 300)
    out = paired_tracks(track, {"none": base}, np.zeros(300), 252, 7, reps=500)["none"]
    assert abs(out["cvar95"]["ci_low"]) < 1e-5 < out["cvar95"]["ci_high"]
    assert {k: out[k]["ci_borderline"] for k in ("sharpe", "max_drawdown", "cvar95", "total_return")} == {
        "sharpe": False, "max_drawdown": False, "cvar95": True, "total_return": False}
