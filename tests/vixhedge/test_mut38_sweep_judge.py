"""Probes of MUT38 (sweep_judge.py survivors SJ1, SJ6, SJ8, SJ9, SJ11, SJ12, SJ14). Every number is made up here and
the expected counts are worked by hand below; the rules are sweep_judge's docstrings on the snapshot (main 346315e)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from vixhedge.sweep_judge import beat_counts, beat_words, nav_returns, oos_paired


def test_sj1_a_lower_is_better_metric_counts_the_points_below_the_baseline():
    """CVaR 95% (lower is better, sweep_keys.RANK_BY): points 0.010, 0.015, 0.030 against no hedge's 0.020: two beat
    it (0.010, 0.015)."""
    df = pd.DataFrame({"a": [1, 2, 3], "cvar95": [0.010, 0.015, 0.030]})
    s = {"rank_by": {"metric": "cvar95"}, "baseline_none": {"cvar95": 0.020}}
    assert [r["beat"] for r in beat_counts(df, s)] == [2]


def _books():
    df = pd.DataFrame({"condor.width": [1, 2], "h": [1, 1], "sharpe": [0.4, 0.0]})
    s = {"rank_by": {"metric": "sharpe"}, "baseline_none": {"sharpe": 0.6},
         "books": {"baselines": [{"values": {"condor.width": 1}, "none": {"sharpe": 0.5}},
                                 {"values": {"condor.width": 2}, "none": {"sharpe": -0.5}}]}}
    return df, s


def test_sj6_with_several_books_each_point_is_against_its_own_book():
    """Book width 1 unhedged 0.5, width 2 unhedged -0.5: the width-1 point (0.4) does not beat its book, the width-2
    point (0.0) does: 1 (against summary.json's single 0.6 it would be 0)."""
    df, s = _books()
    assert beat_counts(df, s)[0]["beat"] == 1


def test_sj8_own_books_against_no_hedge_are_their_book_without_hedge():
    df, s = _books()
    assert beat_words(beat_counts(df, s)[:1], "sharpe") == \
        "1 of 2 points beat their own book without hedge on the whole window"


def test_sj9_after_a_ruin_the_returns_are_zero():
    """NAV 100, 50, 0, 0: returns -50%, -100%, then 0 (nothing left to return; docstring)."""
    assert nav_returns(np.array([100.0, 50.0, 0.0, 0.0])).tolist() == [-0.5, -1.0, 0.0]


def _frame(n, static=None):
    idx = pd.bdate_range("2020-01-01", periods=n)
    rng = np.random.default_rng(0)
    best = 100 * np.cumprod(1 + rng.normal(0, 0.01, n))
    none = 100 * np.cumprod(1 + rng.normal(0, 0.01, n))
    st = 100 * np.cumprod(1 + rng.normal(0, 0.01, n)) if static is None else static
    return pd.DataFrame({"best_nav_usd": best, "no_hedge_nav_usd": none, "static_nav_usd": st}, index=idx)


def test_sj11_nine_out_of_sample_returns_are_too_few():
    """oos_paired docstring: None with fewer than 10 out-of-sample returns. 2020-01-01 in sample, then 9 sessions: 9
    returns."""
    f = _frame(10)
    assert oos_paired(f, "2020-01-01", np.zeros(9), 252, 1, reps=50) is None


def test_sj14_the_window_starts_on_the_first_out_of_sample_day():
    """In sample to 2020-01-01 (a Wednesday); the first return is 2020-01-02's, the last 2020-01-15's (10 sessions)."""
    p = oos_paired(_frame(11), "2020-01-01", np.zeros(10), 252, 1, reps=50)
    assert (p["window"], p["days"]) == ("2020-01-02..2020-01-15", 10)


def test_sj12_a_baseline_with_no_nav_is_left_out():
    """A best_nav.csv whose static column has a NaN NAV (its last) has no static baseline to pair with."""
    st = np.full(11, 100.0)
    st[-1] = np.nan
    p = oos_paired(_frame(11, static=st), "2020-01-01", np.zeros(10), 252, 1, reps=50)
    assert list(p["paired"]) == ["none"]


def _summary():
    return {"out_of_sample_paired": oos_paired(_frame(40), "2020-01-01", np.zeros(39), 252, 1, reps=200)}


def test_sj18_the_page_says_each_baseline_s_line_once_in_its_table_not_as_a_paragraph():
    """paired_section: the console's "minus ..." lines are the table; only the by-chance and Holm lines are
    paragraphs."""
    from vixhedge.sweep_judge import paired_section

    assert "<p>Minus no hedge" not in paired_section(_summary())


def test_sj19_a_drawdown_difference_is_in_points_of_percent():
    """paired_cells docstring: "with its unit: points of % but for Sharpe"."""
    from vixhedge.paired_tracks import paired_cells

    d = {"diff": 0.05, "ci_low": 0.01, "ci_high": 0.1, "ci_method": "percentile", "ci_borderline": False}
    assert paired_cells(d, "cvar95")[0] == "+5.00 pts" and paired_cells(d, "sharpe")[0] == "+0.05"


def test_sj16_the_holm_p_goes_into_the_verdict_s_parentheses():
    """with_holm docstring: "its Holm p in the verdict's parentheses"."""
    from vixhedge.sweep_judge import with_holm

    assert with_holm("unclear (CI includes 0)", "0.50") == "unclear (CI includes 0; Holm p 0.50)"


def test_sj20_the_paired_sharpe_is_over_cash(tmp_path):
    """The best point's out-of-sample Sharpe less no hedge's, as the summary states them (results.csv's oos_sharpe and
    the baseline's run, both over cash): the paired difference's point estimate is that difference (the sweep's
    own test checks the CVaR alike; the embedded market's cash is not 0: 1.03e-5 a day in March 2016)."""
    import pytest

    from feeds.market import build_market
    from tests.vixhedge.sweep_cases import write_spec
    from vixhedge import sweep as sw
    from vixhedge.core import config as C
    from vixhedge.sweep_folder import write_sweep_folder

    spec = sw.load_spec(write_spec(tmp_path, fast="[8, 12]"))
    summary, _ = write_sweep_folder(spec, tmp_path / "out", spec_file=None, data_dir=False, flags={}, progress=False,
                                    market=build_market(C.MarketConfig()))
    want = summary["best"]["oos_sharpe"] - summary["baseline_none"]["oos_sharpe"]
    assert summary["out_of_sample_paired"]["paired"]["none"]["sharpe"]["diff"] == pytest.approx(want, rel=1e-6)


def test_a_baseline_whose_nav_is_all_nan_is_not_paired_nor_one_a_book_lacks_counted():
    """MUT38's problems 1 and 2 (found while probing): a best_nav.csv baseline column that is all NaN gave returns 0
    (nav_returns divides only where the NAV before is above 0) and was paired as a flat track; with several books none
    of which has a static baseline, beat_counts wrote "0 of N points beat their own book under the static hedge".
    Both are left out now, as a baseline the summary lacks."""
    idx = pd.date_range("2016-01-04", periods=30, freq="B")
    frame = pd.DataFrame({"best_nav_usd": np.linspace(1e6, 1.1e6, 30), "no_hedge_nav_usd": np.nan,
                          "static_nav_usd": np.linspace(1e6, 1.05e6, 30)}, index=idx)
    p = oos_paired(frame, "2016-01-08", np.zeros(25), 252, 7, reps=100)
    assert set(p["paired"]) == {"static"}
    df = pd.DataFrame({"point": ["a", "b"], "condor.contracts": [1, 2], "sharpe": [0.5, 0.1]})
    books = {"baselines": [{"values": {"condor.contracts": n}, "none": {"sharpe": 0.3}} for n in (1, 2)]}
    counts = beat_counts(df, {"rank_by": {"metric": "sharpe"}, "books": books})
    assert [c["against"] for c in counts] == ["none"]
