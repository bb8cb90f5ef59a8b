"""A researcher's trial (RS20, session 20): what a short window, a thin CVaR tail and negative Sharpe ratios do to a
conclusion, said where the figures are read (vixhedge/caveats.py, compare's and a sweep's caveats), and ``--set`` on
``vixhedge replay``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from vixhedge import caveats
from vixhedge.cli import main
from vixhedge.compare_text import paired_caveats
from vixhedge.sweep_text import format_summary, negative_sharpe_words, walk_negative_sharpe


@pytest.mark.parametrize("sessions, kinds", [(19, ["only 19 sessions", "the book starts flat"]),
                                              (60, ["the book starts flat"]), (251, ["the book starts flat"]),
                                              (252, [])])
def test_window_caveats_by_length(sessions, kinds) -> None:
    """Under 60 sessions the annualised figures, under 252 (a year) the flat start; none from a year on."""
    words = caveats.window_caveats(sessions)
    assert [w[:len(k)] for w, k in zip(words, kinds)] == kinds and len(words) == len(kinds)
    banner = caveats.caveat_banner({"counts": {"days": sessions}}, pd.bdate_range("2015-01-01", periods=sessions))
    assert banner.count("<b>Caveat:</b>") == len(kinds)


@pytest.mark.parametrize("days, words", [(1, "the worst day alone"), (3, "the mean of the worst 3 days"),
                                         (4, "the mean of the worst 4 days"), (5, ""), (0, ""), (None, "")])
def test_thin_tail_words(days, words) -> None:
    """metrics.json cvar_95_days = max(1, floor(5% of the returns)): under 5 days it is said (README, CVaR)."""
    assert caveats.thin_tail_words(days) == words


def _row(**kw):
    base = {"mode": "alvh", "baseline": "none", "stat": "cvar95", "diff": -0.01, "ci_low": -0.01, "ci_high": 0.002,
            "ci_method": "percentile", "block_days": 2, "days": 20, "ci_borderline": False}
    return {**base, **kw}


def test_compare_says_a_months_cvar_is_its_worst_day() -> None:
    """The trial's china-deval compare: CVaR -1.178 [-1.178, +0.201], the CI ending at its estimate, unsaid. 20
    returns: 5% is one day; 100 returns: 5 days, no caveat; the window's own caveats come last."""
    lines = paired_caveats(pd.DataFrame([_row(), _row(stat="sharpe")]))
    assert lines[-2:] == [f"window caveat: {w}" for w in caveats.window_caveats(21)]
    assert ("CI caveat: a CVaR 95% of 20 daily returns is the worst day alone, so its estimate and CI rest on that day "
            "(an interval can end at its estimate); a longer window gives more") in lines
    assert any("the mean of the worst 3 days, so its estimate and CI rest on those days" in ln
               for ln in paired_caveats(pd.DataFrame([_row(days=60)])))
    assert not any("CVaR 95% of" in ln or "window caveat" in ln
                   for ln in paired_caveats(pd.DataFrame([_row(days=300, block_days=5)])))


def _summary(best: dict, rank: dict | None) -> dict:
    out = {"points": 4, "finished": 4, "invalid": 0, "failed": 0, "not_run": 0, "ruined": 0,
           "best": {"point": "ab", "k": 1, **best}, "baseline_none": {}}
    return {**out, "rank_by": rank} if rank else out


def test_a_sweep_ranked_by_negative_sharpe_says_so() -> None:
    """The trial's 24-point grid on 2018-2022: every in-sample Sharpe negative, ranked by Sharpe, unsaid. The best
    is the highest, so its sign is every ranked point's."""
    neg = _summary({"is_sharpe": -0.84, "oos_sharpe": -1.0}, {"metric": "sharpe", "column": "is_sharpe",
                                                               "better": "higher"})
    words = negative_sharpe_words(neg)
    assert words.startswith("every ranked point's in-sample Sharpe is negative (the best -0.84): with a negative mean")
    assert f"  note: {words}" in format_summary(neg, "w", ["k"], Path("o")).splitlines()
    whole = _summary({"sharpe": -0.5}, None)  # a folder from before rank_by: ranked by Sharpe
    assert negative_sharpe_words(whole).startswith("every ranked point's Sharpe is negative (the best -0.50)")
    for quiet in (_summary({"sharpe": 0.1}, None), _summary({"sharpe": None}, None),
                  _summary({"cvar95": 0.01, "sharpe": -1.0}, {"metric": "cvar95", "column": "cvar95",
                                                              "better": "lower"})):
        assert negative_sharpe_words(quiet) == ""
        assert "every ranked point's" not in format_summary(quiet, "w", ["k"], Path("o"))


def test_a_walk_forward_on_negative_sharpe_says_so() -> None:
    """The trial: picks -0.86 'better' on Sharpe than no hedge's -1.04 while losing 23.6% against 22.4%."""
    picks = [{"fold": 1, "in_sample": 0.3}, {"fold": 2, "in_sample": -0.2}, {"fold": 3, "in_sample": -0.1}]
    stitched = {"picked": {"sharpe": -0.86}, "no_hedge": {"sharpe": -1.04}, "static": {"sharpe": 0.2}}
    notes = walk_negative_sharpe(picks, stitched, "sharpe")
    assert notes[0].startswith("every point's in-sample Sharpe was negative in folds 2, 3: with a negative mean")
    assert notes[1].startswith("the stitched Sharpe ratios of the picks and no hedge are all negative")
    assert walk_negative_sharpe(picks, stitched, "cvar95") == notes[1:]  # not ranked by Sharpe: the folds' part goes
    assert walk_negative_sharpe(picks[:1], {**stitched, "picked": {"sharpe": 0.1}}, "sharpe") == []


def test_replay_takes_set(tmp_path, capsys) -> None:
    """The trial: `vixhedge replay gfc --set hedge.macd.fast=8` was 'unrecognized arguments'. A key the period or
    the data flags set is refused in one line, as run's are beside --start / --data-dir."""
    runs = tmp_path / "runs"
    assert main(["replay", "volmageddon", "-q", "--runs-dir", str(runs), "--set", "hedge.macd.fast=8"]) == 0
    assert "fast = 8" in next(runs.glob("replay-volmageddon-*/config.toml")).read_text()
    capsys.readouterr()
    for key, flag in (("run.start=2018-01-02", "replay volmageddon"), ("run.name=x", "replay volmageddon"),
                      ("market.history_start=2017-01-03", "replay volmageddon"),
                      ("market.data_dir=/x", "replay volmageddon (its data: --data-dir, $VIXHEDGE_DATA_DIR or the "
                                             "embedded market)")):
        assert main(["replay", "volmageddon", "-q", "--runs-dir", str(runs), "--set", key]) == 2
        name = key.partition("=")[0]
        assert capsys.readouterr().err.strip() == f"vixhedge: --set {name} and {flag} both set {name}: give one"
    assert main(["compare", "--period", "covid", "--set", "market.history_start=2019-01-02"]) == 2
    assert "--set market.history_start and --period both set" in capsys.readouterr().err


def test_a_ruined_run_counts_its_sessions_to_the_ruin() -> None:
    """Review 20: a run of 150 sessions ruined on its 57th annualised 57 sessions (CAGR -100%, vol 210%) with no
    caveat; the metrics cover the span to the ruin, so the short-window caveat counts it."""
    words = caveats.window_caveats(150, to_ruin=57)
    assert words[0].startswith("only 57 sessions to the ruin: the annualised figures") and len(words) == 2
    m = {"counts": {"days": 150}, "ruin": {"date": "2015-08-20"}}
    days = pd.bdate_range("2015-06-01", periods=150)
    assert caveats.to_ruin(m, days) == len(days[days <= "2015-08-20"]) == 59
    assert caveats.to_ruin({"counts": {"days": 150}}, days) is None


def test_a_pages_caveat_names_a_readme_section_in_italics() -> None:
    """Review 20: report.html and compare's page printed "(README, *Where a window starts*)" with its asterisks."""
    page = caveats.caveat_banner({"counts": {"days": 100}}, pd.bdate_range("2015-06-01", periods=100))
    assert "<i>Where a window starts</i>" in page and "*" not in page
    assert caveats.in_html("a < b, *Section*") == "a &lt; b, <i>Section</i>"


def test_an_endpoint_that_rounds_to_zero_keeps_a_digit() -> None:
    """Trial RS21: CVaR "-0.019 pts [-0.049, 0.000] better" (paired.csv's upper end -2.09e-06: -0.000209 pts)
    read as an interval holding 0; it keeps its first significant digit. An exact 0 stays 0.000."""
    from vixhedge.compare_text import paired_cells

    rows = pd.DataFrame([_row(mode="noevents", diff=-0.00019, ci_low=-0.00049, ci_high=-2.09e-06),
                         _row(mode="same", diff=0.0, ci_low=0.0, ci_high=0.0)])
    cells = [paired_cells(r) for r in rows.itertuples()]
    assert cells[0][2:] == ["-0.019 pts", "[-0.049, -0.0002] pts", "better"]
    assert cells[1][3] == "[0.000, 0.000] pts"
    # trial STAT23: decimals were added until the rounded figure was nonzero, so an endpoint whose first significant
    # digit is 5 or more showed the next decimal up (paired.csv's 5.2385e-07: 0.0000524 pts printed "+0.0001")
    from vixhedge.verdicts import signed_figure

    assert signed_figure(5.2385e-07, 100) == "+0.00005" and signed_figure(-5.1e-7, 100) == "-0.00005"
    assert signed_figure(-2.09e-06, 100) == "-0.0002" and signed_figure(0.0123) == "+0.012"
    assert signed_figure(9.7e-5) == "+0.0001" and signed_figure(-9.96e-7) == "-0.000001"  # (REV23: not "+0.00010")


def test_the_caveat_edges_mutations_found_unpinned() -> None:
    """Trial MUT20's survivors: report.html's banner counts a ruined run's sessions to the ruin (59 business days
    2015-06-01..08-20); the flat start counts the window, not the span to the ruin; one session is singular; the
    few-blocks line keeps its CVaR remark when the tail is not thin (300 returns: 15 days)."""
    page = caveats.caveat_banner({"counts": {"days": 150}, "ruin": {"date": "2015-08-20"}},
                                 pd.bdate_range("2015-06-01", periods=150))
    assert "Only 59 sessions to the ruin:" in page
    assert caveats.window_caveats(300, to_ruin=100) == []
    assert caveats.window_caveats(1)[0].startswith("only 1 session: ")
    lines = paired_caveats(pd.DataFrame([_row(days=300, block_days=100)]))
    assert any("so its CIs are rough (a CVaR 95% rests on a handful of days); a longer" in ln for ln in lines)


def test_the_sharpe_notes_edges() -> None:
    """Trial MUT20's survivors: a ranking by another metric with a negative best (a hedge that made money) says
    nothing of Sharpe; a Sharpe of exactly 0 is not negative; a folder from before rank_by with a split reads its
    in-sample Sharpe; the stitched note names static, and both baselines when both are negative."""
    assert negative_sharpe_words(_summary({"hedge_cost_usd": -5000.0}, {"metric": "hedge_cost_usd",
                                                                         "column": "hedge_cost_usd",
                                                                         "better": "lower"})) == ""
    assert negative_sharpe_words(_summary({"sharpe": 0.0}, None)) == ""
    assert negative_sharpe_words(_summary({"is_sharpe": -0.3, "sharpe": 0.2}, None)).startswith(
        "every ranked point's in-sample Sharpe is negative (the best -0.30)")
    up = {"sharpe": 1.0}
    assert walk_negative_sharpe([{"fold": 1, "in_sample": 0.0}], {"picked": up, "no_hedge": up, "static": up},
                                "sharpe") == []
    st = {"picked": {"sharpe": -0.86}, "no_hedge": {"sharpe": 0.1}, "static": {"sharpe": -0.5}}
    assert walk_negative_sharpe([], st, "sharpe")[0].startswith("the stitched Sharpe ratios of the picks and static")
    st["no_hedge"]["sharpe"] = -1.0
    assert walk_negative_sharpe([], st, "sharpe")[0].startswith(
        "the stitched Sharpe ratios of the picks and no hedge and static are all negative")


def test_a_negative_sharpe_sweep_page_says_so(tmp_path) -> None:
    """Trial MUT20: the sweep page's "ranked by Sharpe" row could go with no test failing (pyflakes alone)."""
    from vixhedge.sweep_report import _best_section

    s = _summary({"is_sharpe": -0.84, "oos_sharpe": -1.0}, {"metric": "sharpe", "column": "is_sharpe",
                                                             "better": "higher"})
    page = _best_section(pd.DataFrame(), s, ["k"], "is_sharpe")
    assert "ranked by Sharpe" in page and "every ranked point&#x27;s in-sample Sharpe is negative" in page


def test_compare_prints_the_named_periods_lines() -> None:
    """Trial MUT20: format_comparison could drop the named periods' lines with only pyflakes noticing."""
    from vixhedge.compare_text import format_comparison
    from tests.vixhedge.compare_cases import default_comparison

    text = format_comparison(default_comparison())
    assert "named periods inside the window (hedge P&L / total P&L per mode" in text


def test_a_mode_equal_to_another_mode_is_said_and_its_intervals_counted_once() -> None:
    """Trial STAT23: `--variant same hedge.require_condor=true` ran alvh's book (baseline none): its four intervals,
    alvh's own, made the by-chance line count 12 intervals where 8 were distinct (about 0.6 instead of 0.4)."""
    stats = ("sharpe", "max_drawdown", "cvar95", "hedge_cost_usd")
    rows = [_row(mode=m, stat=st, diff=d + k, ci_low=d + k - 1, ci_high=d + k + 1, days=300)
            for m, d in (("static", 0.5), ("alvh", 2.0), ("same", 2.0)) for k, st in enumerate(stats)]
    lines = paired_caveats(pd.DataFrame(rows))
    assert ("CI caveat: same: every statistic and interval equals alvh's: the two ran the same book in this window; "
            "its intervals are counted once below") in lines
    assert any(ln.startswith("CI caveat: 8 intervals at 95% each") for ln in lines), lines


def test_twin_modes_need_every_interval_equal_and_a_number() -> None:
    """Two modes are twins only when every statistic's diff and both CI endpoints match and some figure is a number:
    'wide' has alvh's diffs but its intervals 1 wider each side (not a twin); 'blank' and 'void' have no figure (NaN
    everywhere: equal arrays, but nothing ran the same book to say so); 'same' is alvh's copy (its twin)."""
    from vixhedge.compare_family import twin_modes

    stats, nan = ("sharpe", "cvar95"), float("nan")
    rows = [_row(mode=m, stat=st, diff=d + k, ci_low=d + k - w, ci_high=d + k + w)
            for m, d, w in (("alvh", 2.0, 1), ("wide", 2.0, 2), ("blank", nan, 0), ("void", nan, 0), ("same", 2.0, 1))
            for k, st in enumerate(stats)]
    assert twin_modes(pd.DataFrame(rows)) == {"same": "alvh"}
