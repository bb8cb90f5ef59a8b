"""Compare's multiple-comparison line: Holm's adjusted p-values and the percentile-bootstrap p-value they adjust.

Sources: Holm (1979), "A simple sequentially rejective multiple test procedure", Scand. J. Statist. 6, 65-70 (the
step-down rule); Marcus, Peritz & Gabriel (1976), Biometrika 63 (closed testing: Holm is the closed test of
Bonferroni local tests, so its adjusted p-value of H_i is the largest Bonferroni p-value over the intersections
holding i, computed here by brute force as an independent reference); Davison & Hinkley (1997), Bootstrap Methods
and their Application, eq. 4.11 (the (1 + k) / (1 + B) p-value). statsmodels' ``multipletests(method="holm")``
agreed to 1e-15 on 2,000 random cases (checked by hand, session 34; statsmodels is no dependency).
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
import pytest

from vixhedge import bootstrap as bs
from vixhedge.compare_text import paired_caveats
from vixhedge.verdicts import holm, holm_figures, holm_words


def closed_bonferroni(p: np.ndarray) -> np.ndarray:
    """Each hypothesis' adjusted p-value by closed testing: max over index sets S holding i of min(1, |S| min p_S)."""
    m = len(p)
    out = np.zeros(m)
    for size in range(1, m + 1):
        for s in combinations(range(m), size):
            local = min(1.0, size * min(p[j] for j in s))
            for i in s:
                out[i] = max(out[i], local)
    return out


def test_holm_by_hand() -> None:
    # sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1: 0.02, 0.03, 0.06, 0.04 -> kept non-decreasing: 0.06
    assert holm(np.array([0.01, 0.04, 0.03, 0.005])) == pytest.approx([0.03, 0.06, 0.06, 0.02], abs=1e-15)
    assert holm(np.array([0.5, 0.9])) == pytest.approx([1.0, 1.0])  # capped at 1
    assert holm(np.array([0.02])) == pytest.approx([0.02])  # one test: unadjusted


def test_holm_equals_closed_testing_of_bonferroni_tests() -> None:
    rng = np.random.default_rng(34)
    for _ in range(300):
        p = rng.uniform(0.0, 0.3, rng.integers(1, 8))
        if len(p) > 2:
            p[1] = p[2]  # ties
        assert holm(p) == pytest.approx(closed_bonferroni(p), abs=1e-12)


def test_two_sided_p_counts_the_draws_beyond_zero() -> None:
    d = np.arange(-5.0, 95.0)  # 100 draws: 6 at or below 0 (-5..0), 95 at or above (0..94)
    assert bs.two_sided_p(d) == pytest.approx(2 * 7 / 101)
    assert bs.two_sided_p(-d) == pytest.approx(2 * 7 / 101)  # the side with fewer, either way
    assert bs.two_sided_p(np.zeros(50)) == 1.0  # every draw 0: capped at 1
    assert bs.two_sided_p(np.array([np.nan, 1.0, 2.0, 3.0])) == pytest.approx(2 / 4)  # the defined draws alone
    assert np.isnan(bs.two_sided_p(np.full(3, np.nan)))


def test_the_p_value_agrees_with_the_95_percentile_interval() -> None:
    """Below 0.05 where the 95% percentile interval of the same draws excludes 0, at or above it where it holds 0,
    away from the boundary (a few draws either way: the (1 + k) and np.percentile's interpolation)."""
    rng = np.random.default_rng(7)
    for shift in np.linspace(0.0, 4.0, 81):
        d = rng.standard_normal(2000) + shift
        low, high = np.percentile(d, [2.5, 97.5])
        tail = min((d <= 0).mean(), (d >= 0).mean())
        if abs(tail - 0.025) < 0.003:
            continue
        assert (bs.two_sided_p(d) < 0.05) == (low > 0 or high < 0)


def test_holm_words_names_what_holds() -> None:
    line = holm_words(["alvh total P&L", "alvh Sharpe", "static CVaR 95%"], np.array([0.001, 0.04, 0.2]))
    assert line == ("CI caveat: Holm's adjustment of their p-values (percentile bootstrap, the same draws) for at most "
                    "a 5% chance of any false verdict: 1 difference holds: alvh total P&L (Holm p 0.003) (2 of 3 had "
                    "p <= 0.05 unadjusted)")  # 0.001 x 3; 0.04 x 2 = 0.08 fails
    none = holm_words(["a", "b"], np.array([0.03, 0.04]), "bca")
    assert none.endswith("no difference holds (2 of 2 had p <= 0.05 unadjusted: each could be chance)")  # 0.06, 0.06
    assert "; a BCa verdict can disagree)" in none
    assert holm_words(["a"], np.array([0.001])) == ""  # one interval: nothing to adjust


def test_compare_caveats_add_the_holm_line_over_the_counted_intervals() -> None:
    import pandas as pd

    rows = [{"mode": m, "baseline": "none", "stat": s, "diff": d, "ci_low": d - 1.0, "ci_high": d + 1.0,
             "ci_method": "percentile", "block_days": 5, "days": 1000, "ci_borderline": False, "p_value": pv}
            for m, s, d, pv in (("alvh", "sharpe", 2.0, 0.002), ("alvh", "pnl_usd", 0.5, 0.4),
                                ("static", "sharpe", -2.0, 0.005), ("static", "pnl_usd", 0.2, 0.7))]
    p = pd.DataFrame(rows)
    p.attrs.update({"n_boot": 2000, "block_days": 5, "ci_method": "percentile"})
    lines = paired_caveats(p, 1001)
    assert lines[-2].startswith("CI caveat: 4 intervals at 95% each") and lines[-2].endswith(
        "(each at its own 95%: the Holm line below adjusts)")
    assert lines[-1].endswith("2 differences hold: alvh Sharpe better (Holm p 0.008), static Sharpe worse (Holm p "
                              "0.015) (2 of 4 had p <= 0.05 unadjusted)")  # 0.002 x 4, 0.005 x 3; the CI's side
    # (a raw p of 0.01, Holm 0.030, rests on 9 tail draws of 2000: its exact 95% band, 6 x beta.ppf(0.975, 10, 1991)
    # = 0.0512 at the top, holds 0.05, so it is undecided: trial STAT39 M1)
    old = paired_caveats(p.drop(columns="p_value"), 1001)  # a folder written before paired.csv had p-values
    assert old[:-1] == lines[:-2] and old[-1].endswith("(no multiple-comparison adjustment)")


def test_too_few_draws_say_none_can_hold_and_how_many_would_let_one() -> None:
    """Trial STAT34 M1: at --n-boot 300 the README's compare read "none holds (9 of 10 ...: each could be chance)"
    where 2000 draws held 5: the smallest p of 300 draws, 2/301, times 10 is 0.066 > 0.05, so none can. Trial RS38
    M1: at 2000 draws and 50 intervals the floor 100/2001 = 0.04998 passed by 2e-5, so every difference that held sat
    within Monte-Carlo error of 0.05. A difference can hold once the floor's exact 95% band lies below 0.05 (trial
    STAT39 M1: the normal approximation's 1.96 errors replaced): at the floor no draw is past 0, the tail share's
    Clopper-Pearson upper bound is 1 - 0.025^(1/B), about 3.69 / B, so 3.69 x 2 m / B < 0.05: B about 147.5 m (by
    scipy.stats.beta and by hand), 1,474 for 10 and 7,376 for 50 (the first B where the bound is under 0.05)."""
    from vixhedge.verdicts import can_hold, draws_to_hold

    p = np.full(10, 2 / 301)
    line = holm_words([f"d{i}" for i in range(10)], p, draws=300)
    undecided = "; within Monte-Carlo error of 5%, undecided (more draws may settle it; rerunning seeds until it "
    assert line.split(undecided)[0].endswith(
        "none can hold at 300 draws (the smallest p, 2/301, times 10 is 0.066: --n-boot 1474 or more lets one; 10 "
        "of 10 had p <= 0.05 unadjusted)")
    line = holm_words([f"d{i}" for i in range(50)], np.full(50, 2 / 2001), draws=2000)
    assert line.split(undecided)[0].endswith(
        "none can hold at 2000 draws (the smallest p, 2/2001, times 50 is 0.050, within Monte-Carlo error of 5%, as a "
        "p resting on no draw past 0 could be up to 3.7 times as large (an exact 95% bound): --n-boot 7376 or more "
        "lets one; 50 of 50 had p <= "
        "0.05 unadjusted)")
    assert (draws_to_hold(10), draws_to_hold(50)) == (1474, 7376)
    assert not can_hold(10, 1473) and can_hold(10, 1474) and can_hold(10, 2000)
    assert "none can hold" not in holm_words([f"d{i}" for i in range(10)], np.full(10, 2 / 1475), draws=1474)


def test_none_can_hold_still_names_the_rows_the_table_marks_undecided() -> None:
    """Trial VIS36 L6: on a 29-interval real-data ablation at 2000 draws the table marked five rows undecided (four
    at Holm p 2/2001 x 29 = 0.029, one at 0.075) while the "none can hold" line named none of them. Here four p of
    2/2001 and one of 0.0026 (Holm 0.0026 x 25 = 0.065, within 1.96 binomial errors of 0.05 at 2000 draws: its
    tail share 0.0013 of 2000 draws has relative error 0.62) and 24 of 0.3; the line names the five, lowest first,
    as :func:`holm_figures` marks them."""
    names = [f"r{i}" for i in range(29)]
    p = np.array([2 / 2001] * 4 + [0.0026] + [0.3] * 24)
    line = holm_words(names, p, draws=2000)
    figures = holm_figures(p, holm(p), 2000)
    assert "none can hold at 2000 draws" in line
    assert [f for f in figures if f.endswith("undecided")] == ["0.029 undecided"] * 4 + ["0.065 undecided"]
    assert line.endswith("undecided (more draws may settle it; rerunning seeds until it holds would not): r0 (Holm p "
                         "0.029), r1 (Holm p 0.029), r2 (Holm p 0.029), r3 (Holm p 0.029), r4 (Holm p 0.065)")


def test_differences_within_monte_carlo_error_of_the_level_are_named() -> None:
    """Trial STAT34 H1: on the README's real-data compare alvh's Sharpe (Holm p 0.055) held on 9 of 20 seeds and its
    hedge cost (Holm 0.012) on all 20. The tail share q = p / 2 of B = 2000 draws has the relative binomial error
    sqrt((1 - q) / (q B)), which Holm's multiplier keeps. Here p 0.011 of 5 (Holm 4 x 0.011 = 0.044): q = 0.0055,
    relative error 0.301, so 0.044 +- 1.96 x 0.0132 holds 0.05 (named); p 0.002 (Holm 0.010): q = 0.001, 0.706, so
    0.010 +- 1.96 x 0.0071 does not (not named). An undecided one is not counted as holding (trial VIS35 H2: "1
    difference holds: static CVaR 95% better (Holm p 0.050)" and "undecided: static CVaR 95% better" in one line),
    and keeps its rough tag there (VIS35: q4-2018's was dropped)."""
    names = ["alvh Sharpe", "alvh hedge net cost", "a", "b", "c"]
    line = holm_words(names, np.array([0.011, 0.002, 0.9, 0.9, 0.9]), draws=2000, rough={"alvh Sharpe"})
    assert line.endswith("1 difference holds: alvh hedge net cost (Holm p 0.010) (2 of 5 had p <= 0.05 unadjusted); "
                         "within Monte-Carlo error of 5%, undecided (more draws may settle it; rerunning seeds until "
                         "it holds would not): alvh Sharpe (Holm p 0.044; rough CI)")
    alone = holm_words(names, np.array([0.011, 0.3, 0.9, 0.9, 0.9]), draws=2000)  # Holm 5 x 0.011 = 0.055
    assert "no difference holds (1 of 5 had p <= 0.05 unadjusted: each could be chance); within" in alone
    assert alone.endswith("undecided (more draws may settle it; rerunning seeds until it holds would not): alvh Sharpe "
                          "(Holm p 0.055)")
    assert "Monte-Carlo" not in holm_words(names, np.array([0.011, 0.002, 0.9, 0.9, 0.9]))  # no draws: not judged


def test_p_figure_keeps_the_side_of_the_level() -> None:
    """Trial STAT34 L2: 0.0498 holds at <= 0.05 and reads 0.050 (the same side); 0.0502 does not and keeps 0.0502."""
    from vixhedge.verdicts import p_figure

    assert [p_figure(v) for v in (0.0498, 0.0502, 0.0004, 0.1234)] == ["0.050", "0.0502", "< 0.001", "0.123"]
    assert p_figure(1 / 19, 2) == "0.053" and p_figure(float("nan")) == "n/a"


def test_a_rough_interval_that_holds_is_tagged_and_each_name_says_its_side() -> None:
    """Trial RS37: `compare --period all --baseline static` held "alvh in flash-crash (Holm p 0.032)", an interval of
    19 returns its own row called rough, and a Holm line held "alvh CVaR 95%" where the table said worse. Rows of 19
    returns (fewer than SHORT_CI_DAYS = 100) are tagged rough; a CVaR difference above 0 (lower is better) is worse,
    a Sharpe one above 0 better."""
    import pandas as pd

    from vixhedge.compare_family import holm_names
    from vixhedge.verdicts import side

    rows = pd.DataFrame([{"mode": "alvh", "stat": "cvar95", "diff": 0.004, "ci_low": 0.002, "ci_high": 0.007,
                          "block_days": 5, "days": 19, "p_value": 0.001},
                         {"mode": "alvh", "stat": "sharpe", "diff": 0.5, "ci_low": 0.1, "ci_high": 0.9,
                          "block_days": 5, "days": 1000, "p_value": 0.002}])
    names, p, rough = holm_names(rows)
    assert names == ["alvh CVaR 95% worse", "alvh Sharpe better"]
    assert rough == {"alvh CVaR 95% worse": "19 returns, few blocks"}
    line = holm_words(names, p, draws=2000, rough=rough)
    assert ("alvh CVaR 95% worse (Holm p 0.002; rough CI: 19 returns, few blocks), alvh Sharpe better (Holm p "
            "0.002)") in line
    # trial VIS36 L5: the tag read alike for fewer than 100 returns and for few blocks (a 5-day block of 19 returns
    # is both; 1000 returns in 300-day blocks: few blocks alone)
    from vixhedge.compare_family import rough_why

    assert (rough_why(19, 0), rough_why(19, 5), rough_why(1000, 300), rough_why(1000, 5)) == (
        "19 returns", "19 returns, few blocks", "few blocks", "")
    assert side(-1.0, -2.0, 0.5, "lower") == "better" and side(1.0, -0.5, 2.0, "higher") == "better"  # (the sign)


def test_the_monte_carlo_error_is_that_of_the_p_value_whose_step_set_the_adjusted_one() -> None:
    """Trial RS37 L3: Holm's adjusted p of a test can come from an earlier step (kept non-decreasing), and that
    step's p-value's Monte-Carlo error is the one that moves it. test_holm_by_hand's p = (0.01, 0.04, 0.03, 0.005):
    adjusted 0.03, 0.06, 0.06, 0.02, the 0.04's set by the 0.03's step (0.03 x 2 = 0.06 > 0.04 x 1)."""
    from vixhedge import verdicts

    assert verdicts.holm_sources(np.array([0.01, 0.04, 0.03, 0.005])).tolist() == [0.01, 0.03, 0.03, 0.005]
    assert verdicts.holm_sources(np.array([0.0124, 0.0125])).tolist() == [0.0124, 0.0124]  # 0.0248 >= 0.0125


def test_p_holm_adjusts_the_family_the_holm_line_reads_and_leaves_the_rest_nan() -> None:
    """Trial RS37 L4: the adjusted p-value was in the Holm line only. paired.csv ``p_holm`` (compare_family.
    holm_column) adjusts the tested rows as the line does: a twin (same intervals as alvh), an identical mode (all
    zeros), a Sharpe shown n/a (na_leg) and an undefined CI are not tested (NaN). Family: alvh's two rows and static's
    pnl, p = (0.002, 0.4, 0.01): Holm 0.002 x 3 = 0.006, 0.01 x 2 = 0.02, 0.4 x 1 = 0.4 (by hand)."""
    import math

    import pandas as pd

    from vixhedge.compare_family import holm_column

    def row(m: str, s: str, d: float, pv: float, low: float | None = None, na_leg: str | None = None) -> dict:
        return {"mode": m, "baseline": "none", "stat": s, "diff": d, "ci_low": d - 1.0 if low is None else low,
                "ci_high": d + 1.0, "ci_method": "percentile", "block_days": 5, "days": 1000, "ci_borderline": False,
                "p_value": pv, "na_leg": na_leg}

    p = pd.DataFrame([row("alvh", "sharpe", 2.0, 0.002), row("alvh", "pnl_usd", 0.5, 0.4),
                      row("static", "sharpe", -2.0, 0.001, na_leg="static"), row("static", "pnl_usd", -2.0, 0.01),
                      row("static", "cvar95", 0.1, math.nan, low=math.nan),
                      row("same", "sharpe", 2.0, 0.002), row("same", "pnl_usd", 0.5, 0.4),
                      row("flat", "sharpe", 0.0, 1.0, low=0.0), row("flat", "pnl_usd", 0.0, 1.0, low=0.0)])
    p.loc[p["mode"] == "flat", "ci_high"] = 0.0
    got = holm_column(p)
    assert got.iloc[:4].tolist()[:2] == pytest.approx([0.006, 0.4]) and got.iloc[3] == pytest.approx(0.02)
    assert got.iloc[[2, 4, 5, 6, 7, 8]].isna().all()
    p.attrs.update({"n_boot": 2000, "block_days": 5, "ci_method": "percentile"})
    line = paired_caveats(p, 1001)[-1]  # the line names what p_holm <= 0.05 holds
    assert line.endswith("2 differences hold: alvh Sharpe better (Holm p 0.006), static total P&L worse (Holm p "
                         "0.020) (2 of 3 had p <= 0.05 unadjusted)")
    assert holm_column(p.drop(columns="p_value")).isna().all()  # a folder written before p-values


def test_holm_cells_say_undecided_where_the_line_does() -> None:
    """Trial VIS35 H1: the table said worse where the Holm line, under the figure, said undecided. Each tested row's
    cell (console and page) is its Holm p, "undecided" added as the line names it: p (0.011, 0.002, 0.9) of 3 at 2000
    draws: Holm 0.022 (0.011 x 2; relative error sqrt((1 - q) / (q B)) = 0.301 at q = 0.0055, so 0.022 +- 0.013
    stays under 0.05: not undecided), 0.006, 0.9; at p 0.018 instead, 0.036 +- 0.017 reaches 0.05: undecided."""
    import pandas as pd

    from vixhedge.compare_family import holm_cells, holm_column

    def frame(first: float) -> pd.DataFrame:
        p = pd.DataFrame([{"mode": "alvh", "stat": s, "diff": 1.0, "ci_low": 0.5, "ci_high": 1.5, "block_days": 5,
                           "days": 1000, "p_value": v} for s, v in (("sharpe", first), ("pnl_usd", 0.002))]
                         + [{"mode": "static", "stat": "sharpe", "diff": 0.1, "ci_low": -1.0, "ci_high": 1.0,
                             "block_days": 5, "days": 1000, "p_value": 0.9}])
        p.attrs["n_boot"] = 2000
        return p.assign(p_holm=holm_column(p))

    assert holm_cells(frame(0.011)).tolist() == ["0.022", "0.006", "0.900"]
    assert holm_cells(frame(0.018)).tolist() == ["0.036 undecided", "0.006", "0.900"]
    assert "undecided" in holm_words(["a", "b", "c"], np.array([0.018, 0.002, 0.9]), draws=2000)
    assert holm_cells(frame(0.018).drop(columns="p_holm")).tolist() == ["", "", ""]  # (no column: nothing said)



def test_a_difference_zero_in_every_draw_is_no_test() -> None:
    """Trial RS38 L2: a variant that changed only the condor read "hedge net cost 0 [0, 0] unclear" with p_holm 1.000,
    one of the 55 intervals Holm adjusted (54 were tests). It reads verdicts.FLAT_WORDS, and the family is the other
    two: p (0.01, 0.02) -> Holm 0.02, 0.02 (by hand: 0.01 x 2, then max(0.02, 0.02 x 1))."""
    import pandas as pd

    from vixhedge.compare_family import holm_column, tested
    from vixhedge.compare_text import paired_cells
    from vixhedge.verdicts import FLAT_WORDS, verdict_words

    p = pd.DataFrame([{"mode": "v", "baseline": "alvh", "stat": s, "diff": d, "ci_low": lo, "ci_high": hi,
                       "ci_method": "percentile", "block_days": 5, "days": 1000, "ci_borderline": False, "p_value": pv}
                      for s, d, lo, hi, pv in (("sharpe", 0.5, 0.1, 0.9, 0.01), ("cvar95", 0.002, 0.001, 0.003, 0.02),
                                               ("hedge_cost_usd", 0.0, 0.0, 0.0, 1.0))])
    assert list(tested(p).index) == [0, 1] and holm_column(p).tolist()[:2] == pytest.approx([0.02, 0.02])
    assert np.isnan(holm_column(p).iloc[2]) and verdict_words(0.0, 0.0, 0.0, "lower") == FLAT_WORDS
    assert paired_cells(next(p.iloc[2:].itertuples()))[-1] == "no difference in any draw: nothing to test"


def test_a_walk_forward_leaves_a_difference_zero_in_every_draw_out_of_its_family_as_compare_does() -> None:
    """The hook's review of session 36: the walk-forward's family (walkforward.tested) kept an interval 0 in every
    draw that its table reads verdicts.FLAT_WORDS for and compare's family leaves out (RS38 L2); both now read
    verdicts.testable. Picks minus no hedge: Sharpe p 0.01, max drawdown 0 [0, 0] p 1, CVaR p 0.02; minus static: a
    CI that is a JSON null. Family: the two, Holm (0.02, 0.02) by hand (0.01 x 2, then max(0.02, 0.02 x 1)); with the
    flat one it was three: 0.03, 0.04, 1.0."""
    from vixhedge.paired_tracks import tested
    from vixhedge.verdicts import holm, testable

    def cell(d, lo, hi, p):
        return {"diff": d, "ci_low": lo, "ci_high": hi, "p_value": p}

    paired = {"no_hedge": {"sharpe": cell(0.5, 0.1, 0.9, 0.01), "max_drawdown": cell(0.0, 0.0, 0.0, 1.0),
                           "cvar95": cell(0.002, 0.001, 0.003, 0.02)},
              "static": {k: cell(0.1, None, 0.2, 0.5) for k in ("sharpe", "max_drawdown", "cvar95")}}
    family = tested(paired)
    assert family == [("no_hedge", "sharpe"), ("no_hedge", "cvar95")]
    assert holm(np.array([paired[b][k]["p_value"] for b, k in family])).tolist() == pytest.approx([0.02, 0.02])
    assert testable(None, 0.1, 0.2) and not testable(0.0, 0.0, 0.0) and not testable(0.1, 0.1, None)
