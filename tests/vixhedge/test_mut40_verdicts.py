"""Trial MUT40 (hand mutants of session 39's Holm band, /work/notes/mut40_report.md): survivors that were real gaps.

The band is the exact (Clopper-Pearson 1934) 95% interval of k tail draws in B: lower edge pL with
P(X >= k | B, pL) = 0.025, upper edge pU with P(X <= k | B, pU) = 0.025 (X binomial); here found by root-finding on
scipy.stats.binom, independently of verdicts.holm_undecided's Beta quantiles. At k = 0 the upper edge is
1 - 0.025^(1/B) (P(X = 0) = (1 - p)^B = 0.025)."""

from __future__ import annotations

import numpy as np
from scipy.optimize import brentq
from scipy.stats import binom

from vixhedge import bootstrap as bs
from vixhedge.placebo_stats import holm_tails
from vixhedge.verdicts import holm, holm_figures, holm_undecided


def _cp(k: int, n: int) -> tuple[float, float]:
    """Clopper-Pearson 95% interval of k successes in n, by root-finding on the binomial tails."""
    low = 0.0 if k == 0 else brentq(lambda x: binom.sf(k - 1, n, x) - 0.025, 1e-12, 1 - 1e-12, xtol=1e-15)
    high = 1.0 if k == n else brentq(lambda x: binom.cdf(k, n, x) - 0.025, 1e-12, 1 - 1e-12, xtol=1e-15)
    return low, high


def _lines(ps):
    return [{"label": f"m{k}", "p_value": a, "p_value_worse": b} for k, (a, b) in enumerate(ps)]


def test_floor_words_at_few_placebos():
    """Kills V02 (floor_words' ratio times B, not B + 1) and P02 (holm_tails passing 2 x seeds). One line (2 tails)
    at 39 placebos: floor 2/40 = 0.050, shown "within Monte-Carlo error"; (1 - 0.025^(1/39)) x 40 = 3.610 -> "3.6"
    (x 39 = 3.520 -> "3.5"). At 60: floor 2/61 = 0.033; (1 - 0.025^(1/60)) x 61 = 3.639 -> "3.6"
    ((1 - 0.025^(1/120)) x 121 = 3.667 -> "3.7" for 2 x 60)."""
    for seeds in (39, 60):
        words = holm_tails(_lines([(1 / (seeds + 1), 0.9)]), seeds)
        assert abs(_cp(0, seeds)[1] - (1 - 0.025 ** (1 / seeds))) < 1e-12  # (the k = 0 upper edge, by hand)
        assert "could be up to 3.6 times as large (an exact 95% bound)" in words, (seeds, words)


def test_a_capped_holm_p_of_one_is_never_undecided():
    """Kills V18 (adj <= 1 in holm_undecided's guard). 30 intervals at 99 draws, one at p 0.04 (q 0.02: k = 1 tail
    draw past 0): Holm 30 x 0.04 = 1.2, capped at 1.000. Its band 50 x [0.00026, 0.055] (Clopper-Pearson of 1 in 99)
    holds 0.05, but a p capped at 1 is not near the level: the cell reads "1.000", not "1.000 undecided"."""
    p = np.array([0.04] + [0.5] * 29)
    low, high = _cp(1, 99)
    assert 50 * low <= 0.05 <= 50 * high  # (what the band alone would say)
    assert holm_figures(p, holm(p), 99)[0] == "1.000"


def test_the_tail_count_survives_float_rounding():
    """Kills V08 (np.floor for np.rint in k = q (B + 1) - 1). 5,000 draws, 2 of them at or below 0: two_sided_p =
    2 x 3/5001 (Davison & Hinkley eq. 4.11), whose q (B + 1) is 2.9999999999999996 in floating point: k = 2, not 1.
    18 intervals with this the smallest: Holm 18 x 0.0012 = 0.0216, scale 36; Clopper-Pearson of 2 in 5000 tops
    out at 36 x 0.00144 = 0.052 >= 0.05: undecided (of 1 in 5000, 36 x 0.00111 = 0.040: it would hold)."""
    d = np.concatenate([-np.ones(2), np.ones(4998)])
    p0 = bs.two_sided_p(d)
    assert p0 == 2 * 3 / 5001 and p0 / 2 * 5001 < 3.0  # (the rounding the rint absorbs)
    p = np.array([p0] + [0.6] * 17)
    assert 36 * _cp(2, 5000)[1] >= 0.05 > 36 * _cp(1, 5000)[1]
    assert holm_undecided(p, holm(p), 5000).tolist() == [True] + [False] * 17


def test_the_band_s_lower_edge_is_clopper_pearson_s():
    """Kills V12 (the lower edge's Beta(k, B - k) for Clopper-Pearson's Beta(k, B - k + 1)). 100 draws, 4 intervals,
    one at p 2 x 4/101 = 0.0792 (k = 3 tail draws past 0): Holm 4 x 0.0792 = 0.317, scale 8. The exact lower edge
    of 3 in 100 is 0.006229, x 8 = 0.0498 <= 0.05: its band holds the level, undecided (Beta(3, 97)'s edge,
    x 8 = 0.0503, would not)."""
    p = np.array([2 * 4 / 101, 0.5, 0.5, 0.5])
    low, high = _cp(3, 100)
    assert 8 * low <= 0.05 <= 8 * high
    assert holm_undecided(p, holm(p), 100).tolist() == [True, False, False, False]
