"""Probes of MUT38 (walkforward_text.py survivors WT2, WT11). Made-up walkforward.json ``paired`` records; the words
are chance_lines' (compare's Holm line) and paired_stats' docstrings on the snapshot (main 346315e): a higher CVaR is
worse (paired_tracks.PAIRED), the total return is one of the paired statistics (trial RS39 M2)."""
from __future__ import annotations

from vixhedge.walkforward_text import chance_lines, paired_stats


def _d(diff, lo, hi, p, ph):
    return {"diff": diff, "ci_low": lo, "ci_high": hi, "ci_method": "percentile", "ci_borderline": False,
            "p_value": p, "p_holm": ph}


def test_wt11_a_higher_cvar_that_holds_is_worse_in_the_holm_line():
    s = {"reps": 2000, "paired": {"no_hedge": {"block_days": 5, "sharpe": _d(0.1, -0.2, 0.4, 0.5, 0.5),
                                               "cvar95": _d(0.005, 0.002, 0.009, 0.0005, 0.001)}}}
    assert "1 difference holds: picks minus no hedge: CVaR 95% worse (Holm p 0.001)" in chance_lines(s)[1]


def test_wt2_the_total_return_is_a_paired_statistic():
    rows = {k: _d(0.1, -0.2, 0.4, 0.5, 0.5) for k in ("sharpe", "max_drawdown", "cvar95", "total_return")}
    assert paired_stats(rows) == ["sharpe", "max_drawdown", "cvar95", "total_return"]
