"""Pins for mutants of session 35's statistics code that no test killed (trial MUT35, /tmp/mut35/mutants.py ids in
each docstring): the boundaries and orders of the Holm lines, the tested family, the named short-interval caveats.
Every number is worked by hand in its test (Holm 1979: the i-th smallest of m p-values times m - i + 1)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from vixhedge.verdicts import holm_held, holm_sources, holm_words


def test_a_flat_difference_needs_its_estimate_at_0_too() -> None:
    """V1 (flat() without the estimate): 0.1 with a CI of [0, 0] (an estimate outside its CI) is a test, read as
    such; 0 [0, 0] is not."""
    from vixhedge.verdicts import FLAT_WORDS, flat, verdict_words

    assert flat(0.0, 0.0, 0.0) and not flat(0.1, 0.0, 0.0)
    assert verdict_words(0.1, 0.0, 0.0, "higher") != FLAT_WORDS


def test_the_level_itself_holds_and_counts_as_p_at_most_005() -> None:
    """V17, V20 (<= as <): p = 0.05 exactly is "p <= 0.05 unadjusted"; an adjusted p of 0.05 holds (0.025 x 2)."""
    line = holm_words(["a", "b"], np.array([0.025, 0.05]))
    assert line.endswith("2 differences hold: a (Holm p 0.050), b (Holm p 0.050) (2 of 2 had p <= 0.05 unadjusted)")
    assert holm_held(["a"], np.array([0.05])) == ["a (Holm p 0.050)"]


def test_a_tie_of_steps_keeps_the_later_source() -> None:
    """V19 (>= as >): p = (0.01, 0.02): steps 0.01 x 2 = 0.02 and 0.02 x 1 = 0.02 tie; the second's adjusted p is set
    by its own step, the later of the two equal ones (the binomial error read is then its own p's)."""
    assert holm_sources(np.array([0.01, 0.02])).tolist() == [0.01, 0.02]


def test_undecided_names_are_listed_lowest_holm_p_first() -> None:
    """V22 (the undecided list in the names' order): p (0.030, 0.0145, 0.9) at 2000 draws: Holm 0.0145 x 3 = 0.0435
    (b), 0.030 x 2 = 0.060 (a), 0.9; each within 1.96 binomial errors of 0.05 (b: q = 0.00725, relative error 0.262,
    1.96 x 0.0435 x 0.262 = 0.022 > 0.0065; a: q = 0.015, 0.181, 0.021 > 0.010): b is named first."""
    line = holm_words(["a", "b", "c"], np.array([0.030, 0.0145, 0.9]), draws=2000)
    assert line.endswith("undecided (more draws may settle it; rerunning seeds until it holds would not): b (Holm p "
                         "0.044), a (Holm p 0.060)")


def test_the_short_caveats_name_the_shortest_tested_pair_and_need_a_cvar_row() -> None:
    """T1 (the shortest pair's days as the longest's), T5 (the mode never named), T6 (the thin-CVaR caveat without a
    CVaR row): static's 63 returns and alvh's 72, a CVaR row each: "static: a CVaR 95% of 63 daily returns is the mean
    of the worst 3 days" (63 x 5% = 3.15, analyzers.metrics.tail_count 3); Sharpe rows alone: no CVaR caveat."""
    from vixhedge.compare_text import paired_caveats

    p = pd.DataFrame({"mode": ["static", "alvh"] * 2, "stat": ["cvar95"] * 2 + ["sharpe"] * 2, "block_days": [3] * 4,
                      "days": [63, 72] * 2, "diff": [0.1, 0.2] * 2, "ci_low": [-0.1] * 4, "ci_high": [0.2, 0.3] * 2})
    text = "\n".join(paired_caveats(p, 73))
    assert "CI caveat: static: a CVaR 95% of 63 daily returns is the mean of the worst 3 days" in text
    assert "a CVaR 95%" not in "\n".join(paired_caveats(p[p["stat"] == "sharpe"].reset_index(drop=True), 73))


def test_rough_starts_under_100_returns() -> None:
    """F10 (< as <=): 99 returns are rough, 100 are not (compare_family.SHORT_CI_DAYS = 100)."""
    from vixhedge.compare_family import rough_why

    assert (rough_why(99, 0), rough_why(100, 0)) == ("99 returns", "")


def test_one_missing_p_value_leaves_the_family_unadjusted() -> None:
    """F12, F14 (all() / any() swapped): a tested row without its p-value (NaN) leaves every p_holm NaN and every cell
    empty, as the Holm line is then left out (verdicts.chance_and_holm): no family of part of the rows."""
    from vixhedge.compare_family import holm_cells, holm_column

    p = pd.DataFrame({"mode": ["alvh", "alvh"], "stat": ["sharpe", "cvar95"], "diff": [0.5, 0.1], "ci_low": [0.1, 0.05],
                      "ci_high": [0.9, 0.2], "block_days": [5, 5], "days": [1000, 1000], "p_value": [0.01, np.nan]})
    p.attrs["n_boot"] = 2000
    assert holm_column(p).isna().all()
    assert holm_cells(p.assign(p_holm=[0.02, np.nan])).tolist() == ["", ""]


def test_the_monte_carlo_error_read_is_that_of_the_step_that_set_the_adjusted_p() -> None:
    """V6 (each test's own p for the error): test_holm's p = (0.01, 0.04, 0.03, 0.005), adjusted 0.03, 0.06, 0.06,
    0.02, the 0.04's set by the 0.03's step. At 8000 draws its error from q = 0.03 / 2: relative sqrt(0.985 / (0.015
    x 8000)) = 0.0906, 1.96 x 0.06 x 0.0906 = 0.0107 >= 0.01 (undecided); from its own q = 0.02: 0.0783, 0.0092 <
    0.01 (not)."""
    from vixhedge.verdicts import holm, holm_undecided

    p = np.array([0.01, 0.04, 0.03, 0.005])
    assert holm_undecided(p, holm(p), 8000).tolist() == [False, True, True, False]


def test_rule_changes_keyed_rules_and_which_variants_are_read() -> None:
    """CR5 (a keyed rule also listed among the other rules' bars), CR8 (condor_scale not one of condor_vega_cut's
    keys), CR7 (a variant under another policy read against the comparison's own): condor_scale 1 -> 0.5 with the
    cut on leaves condor_vega_cut acting, 40 -> 30 bars, named by its key alone; a preset=vxth variant (the VXTH
    policy) is not compared rule by rule with alvh."""
    from types import SimpleNamespace

    from vixhedge.compare_rules import rule_changes, variant_changes
    from vixhedge.compare_variants import variant_config
    from vixhedge.core import config as C

    def run(keys: dict, fired: dict) -> SimpleNamespace:
        return SimpleNamespace(config=variant_config(C.load_default(), "v", keys),
                               metrics={"rules_fired": fired, "policy_notes": []})

    c = rule_changes(run({}, {"condor_vega_cut": 40}), run({"hedge.divergence.condor_scale": 0.5},
                                                           {"condor_vega_cut": 30}))
    assert c["keyed"] == {"condor_vega_cut": [[40, 30], ["hedge.divergence.condor_scale 1.0 -> 0.5"]]}
    assert "condor_vega_cut" not in c["changed"]
    cfg = C.load_default()
    cmp = SimpleNamespace(config=cfg, variants={"s": {"preset": "vxth"}},
                          results={"alvh": run({}, {}), "s": run({"preset": "vxth"}, {})})
    assert variant_changes(cmp) == {}


def test_plain_lines_keep_the_bar_moving_and_the_note_filter_goes_with_its_block() -> None:
    """R4 (with_lines dropping the bar's update: on a terminal the bar would stall) and R5 (filtered_notes leaving
    its filter on the handlers after the compare: a later command's notes dropped)."""
    import logging

    from vixhedge import progress

    calls = []
    step = progress.with_lines(lambda: calls.append(1), 10, "day", True)
    step()
    assert calls == [1]
    handler = logging.Handler()
    logger = logging.getLogger("vixhedge")
    logger.addHandler(handler)
    try:
        with progress.filtered_notes(progress.OnceAcrossRuns()):
            assert len(handler.filters) == 1
        assert handler.filters == []
    finally:
        logger.removeHandler(handler)


def test_a_twin_with_an_undefined_interval_is_still_a_twin() -> None:
    """MUT35 F3 (equal_nan=False): two modes alike in every cell, a Sharpe CI undefined (NaN) in both: b is a's twin
    and counted once (one tested row: a's CVaR; its Sharpe has no CI)."""
    from vixhedge.compare_family import tested, twin_modes

    p = pd.DataFrame({"mode": ["a", "a", "b", "b"], "stat": ["sharpe", "cvar95"] * 2, "diff": [0.5, 0.2] * 2,
                      "ci_low": [np.nan, 0.1] * 2, "ci_high": [np.nan, 0.3] * 2})
    assert twin_modes(p) == {"b": "a"} and len(tested(p)) == 1


def test_an_adjusted_p_of_1_is_never_undecided() -> None:
    """MUT35 V4 (holm_undecided without adj < 1): thirteen p of 0.08 at 100 draws adjust to 1 (0.08 x 13 > 1); the
    binomial error of q = 0.04 of 100 draws (relative 0.49) would reach 0.05 from 1, so without the guard every cell
    read "1.000 undecided" at --n-boot 100."""
    from vixhedge.verdicts import holm, holm_figures

    p = np.full(13, 0.08)
    assert holm_figures(p, holm(p), 100) == ["1.000"] * 13


def test_the_pooled_line_needs_two_periods() -> None:
    """MUT35 P6 (>= 1): one period's intervals pooled are its own line again: no pooled line; two periods give one."""
    from tests.vixhedge.test_mut31_pins import _period_rows
    from vixhedge.cli_periods import period_table

    rows = _period_rows([100.0, 50.0])
    rows.attrs["pooled"] = (["alvh Sharpe better in p0", "alvh CVaR 95% better in p0"], [0.01, 0.02], {})
    assert not any("pooled" in ln for ln in period_table(rows))
    rows.attrs["pooled"] = (["alvh Sharpe better in p0", "alvh CVaR 95% better in p1"], [0.01, 0.02], {})
    assert sum("pooled" in ln for ln in period_table(rows)) == 1


def test_the_walk_forward_reads_its_draws_for_undecided_and_none_can_hold() -> None:
    """MUT35 WT1, WT3 (the walk-forward's Holm cells and line without its draws): p (0.04/3, 0.018, 0.035) adjust to
    0.040 each (Holm by hand: 0.0133 x 3, 0.018 x 2 = 0.036 -> 0.04, 0.035 x 1 -> 0.04); at 5000 draws 0.040 lies
    within Monte-Carlo error of 0.05 (q = 0.00667: relative 0.173, 1.96 x 0.04 x 0.173 = 0.0136 > 0.01); at 300
    draws three intervals' floor 2/301 x 3 = 0.0199 is within error of 0.05 (relative error 1 at the floor), so none
    can hold."""
    from vixhedge.paired_tracks import holm_cells
    from vixhedge.verdicts import holm
    from vixhedge.walkforward_text import chance_lines

    pv = np.array([0.04 / 3, 0.018, 0.035])
    adj = holm(pv)
    cell = {k: {"diff": 1.0, "ci_low": 0.5, "ci_high": 1.5, "p_value": float(v), "p_holm": float(a)}
            for k, v, a in zip(("sharpe", "max_drawdown", "cvar95"), pv, adj)}
    s = {"paired": {"no_hedge": cell, "static": {"identical": True, **cell}}, "reps": 5000}
    assert list(holm_cells(s["paired"], s["reps"]).values()) == ["0.040 undecided"] * 3
    assert "none can hold at 300 draws" in chance_lines({**s, "reps": 300})[-1]


def test_a_note_repeated_by_one_run_names_that_run_once() -> None:
    """MUT35 R2 (a run appended to the others each time): the same note under a, then b twice: printed once (a's),
    and the line after names b once."""
    import logging

    from vixhedge import progress

    once = progress.OnceAcrossRuns()

    def passes(who: str) -> bool:
        with progress.labelled(who):
            return once.filter(logging.LogRecord("vixhedge", logging.WARNING, "", 0, "the note", None, None))

    assert [passes("a"), passes("b"), passes("b")] == [True, False, False]
    assert once.lines() == ["vixhedge [b]: the same note as [a]'s above (the note)"]
