"""A walk-forward's page and a sweep's market line as a reader sees them (trial VIS27, 2026-12-06:
`vixhedge sweep examples/walkforward.toml --data-dir ../shared/data --walk-forward 4,3`, screenshots at 1,400 px).

Found: the first screen had no bottom line (the picks' CVaR against no hedge and the odds against random picks came
after the figure); the folds table's "0.16 / 7.08% / 0.95%" wrapped over three lines; a fold's Market line said its
configured window "2008-01-02..2015-01-01" (the end a holiday) beside its heatmap's sessions "2008-01-02 ..
2014-12-31". The figures below are the trial's walkforward.json (fold 2 alone; its stitched tracks and pairs).
"""

from __future__ import annotations

import re

from vixhedge.sweep_market import market_lines
from vixhedge.walkforward_page import render_walk


def _trial() -> dict:
    pair = lambda d, lo, hi: {"diff": d, "ci_low": lo, "ci_high": hi, "ci_method": "percentile", "ci_borderline": False}
    fold = {"fit": "2011-01-02..2015-01-01", "fold": 2, "folder": "fold-2", "in_sample": 0.007779162803,
            "params": {"hedge.macd.fast": 16, "hedge.macd.slow": 26, "hedge.review_bars": 0}, "points": 18,
            "rank_correlation": 0.7647058823529411, "test": "2015-01-02..2017-12-29", "test_days": 755,
            "test_median": 0.01167394649, "test_rank": 2, "ties": 0,
            "test_stats": {"picked": {"cvar95": 0.009492641635911143, "max_drawdown": 0.0707852800386004,
                                      "sharpe": 0.15971931988859242},
                           "no_hedge": {"cvar95": 0.009958430302068036, "max_drawdown": 0.08177252451729711,
                                        "sharpe": 0.2984415619162365},
                           "static": {"cvar95": 0.010856784514909712, "max_drawdown": 0.12152564856943548,
                                      "sharpe": -0.30056868320251545}}}
    return {"rank_by": "cvar95", "window": "2012-01-03..2022-12-30", "days": 2768, "reps": 2000, "seed": 7,
            "folds": [fold], "notes": [], "anchored": False, "ruined": {},
            "stitched": {"picked": {"cvar95": 0.011522182423711096, "max_drawdown": 0.380807118774632,
                                    "sharpe": -0.7608701184723761, "total_return": -0.3677497423837298},
                         "no_hedge": {"cvar95": 0.012544085767203495, "max_drawdown": 0.3866689146521133,
                                      "sharpe": -0.6916666993013162, "total_return": -0.3696666323894521},
                         "static": {"cvar95": 0.01293494462660216, "max_drawdown": 0.5723885333469789,
                                    "sharpe": -1.08629742291569, "total_return": -0.56747300767619}},
            "paired": {"no_hedge": {"block_days": 6, "sharpe": pair(-0.0692, -0.2507, 0.1243),
                                    "max_drawdown": pair(-0.00586, -0.08436, 0.06511),
                                    "cvar95": pair(-0.0010219, -0.0016273, -0.0005064)},
                       "static": {"block_days": 4, "sharpe": pair(0.3254, -0.0083, 0.6604),
                                  "max_drawdown": pair(-0.19158, -0.30037, -0.05443),
                                  "cvar95": pair(-0.0014128, -0.0021777, -0.0006478)}},
            "random_pick": {"folds": 4, "p": 0.0020004572473708276, "random_mean": 38.0, "rank_sum": 10}}


def test_the_page_opens_with_its_bottom_line() -> None:
    from vixhedge.walkforward_text import headline_words

    s = _trial()
    words = headline_words(s)
    assert words == ("over the stitched test periods 2012-01-03..2022-12-30 (2,768 sessions), the folds' picks "
                     "(chosen on CVaR 95%) had a CVaR 95% of 1.15% against no hedge's 1.25% (-0.10 pts [-0.16, "
                     "-0.05]: better) and the static hedge's 1.29% (-0.14 pts [-0.22, -0.06]: better); total return "
                     "-36.8% against -37.0% and -56.7%. Random picks do as well or better with probability 0.002 "
                     "(the picks' test ranks sum to 10 over 4 folds, a random point per fold's to 38.0 on average)")
    page = render_walk(s, None, "walkforward")
    head = page.index("<p><b>Bottom line:</b> over the stitched test periods")
    assert head < page.index("<h2>Folds</h2>") and head < page.index("The stitched test periods")
    assert "(2,768 sessions)</p>" in page  # the subtitle's count, separated


def test_the_folds_figures_keep_to_one_line() -> None:
    """A grid's figure cell does not wrap (its td nowrap); the trio was a wrapping ("w") cell."""
    page = render_walk(_trial(), None, "walkforward")
    row = re.search(r"<tr><td[^>]*>2</td>.*?</tr>", page).group(0)
    assert "<td>0.16 / 7.08% / 0.95%</td><td>0.30 / 8.18% / 1.00%</td><td>-0.30 / 12.15% / 1.09%</td>" in row


def test_the_market_line_gives_the_windows_sessions() -> None:
    rec = {"words": "real data in /work/shared/data", "window": "2008-01-02..2015-01-01", "sessions": 1763,
           "first_session": "2008-01-02", "last_session": "2014-12-31", "in_sample_end": "2012-01-01",
           "in_sample_sessions": 1009, "out_of_sample_sessions": 754}
    assert market_lines(rec)[0] == ("market: real data in /work/shared/data; window 2008-01-02..2014-12-31 (1,763 "
                                    "sessions), in sample to 2012-01-01 (1,009) and out of sample after it (754)")
    old = {k: v for k, v in rec.items() if k not in ("first_session", "last_session")}  # a summary from before them
    assert "window 2008-01-02..2015-01-01 (1,763 sessions)" in market_lines(old)[0]


def test_a_baseline_the_picks_equal_is_said_once_without_an_interval() -> None:
    """Trial RS26's case (every pick its book unhedged): the bottom line gives no interval for that pair, and leaves
    "identical on every stitched day" to the paired table's one row. The picks' stitched track is then no hedge's
    (review 27: the fixture kept the picks' CVaR 1.15% against no hedge's 1.25%, a pair it called identical)."""
    from vixhedge.walkforward_text import headline_words

    s = _trial()
    s["paired"]["no_hedge"] = {"identical": True, "block_days": 6}
    s["stitched"]["picked"] = dict(s["stitched"]["no_hedge"])
    words = headline_words(s)
    assert ("had a CVaR 95% of 1.25% against no hedge's 1.25% (the picks made its daily returns: nothing to test) "
            "and the static hedge's 1.29% (-0.14 pts [-0.22, -0.06]: better); total return -37.0% against -37.0% and "
            "-56.7%") in words
    assert render_walk(s, None, "walkforward").count("identical on every stitched day") == 1


def test_the_folds_headers_say_what_each_cell_holds() -> None:
    """Trial VIS30: the folds' "-0.84 / 10.78% / 0.77%" cells were headed "pick: test" (their order in the
    paragraph only), "in sample" did not name the ranking metric, the fit's calendar bounds (2011-01-02, a
    Sunday) sat beside the test's sessions, and a period wrapped with ".." alone on a line."""
    page = render_walk(_trial(), None, "walkforward")
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", page[page.index("<h2>Folds</h2>"):])
    assert heads[:8] == ["fold", "fit (calendar dates)", "test (sessions)", "pick", "in sample (CVaR 95%)",
                         "test rank", "points&#x27; median", "rank corr."]
    trio = "Sharpe / max drawdown / CVaR 95%"
    assert heads[8:11] == [f"{t}, test: {trio}" for t in ("picks", "no hedge", "static hedge")]
    row = re.sub(r"<[^>]+>", "", re.search(r"<tr><td[^>]*>2</td>.*?</tr>", page).group(0))
    assert "2011-01-02\u00a0.. 2015-01-01" in row and "2015-01-02\u00a0.. 2017-12-29" in row  # fold 2's (_trial)


def test_the_page_says_how_to_rebuild_it() -> None:
    """Trial VIS30: the run and compare pages said how to rebuild them; the windows, sweep and walk-forward pages
    did not (the same words on each: vixhedge.page_style.REBUILD)."""
    from vixhedge.page_style import REBUILD

    assert render_walk(_trial(), None, "walkforward").endswith(f"<p>{REBUILD}</p>\n</body>\n</html>\n")


def test_the_stitched_span_and_the_paired_differences_carry_their_units(tmp_path) -> None:
    """Trial VIS38 L6: the console's stitched line said "(2768 days)" where the page says "(2,768 sessions)"
    (_trial's days), and the page's paired differences were "-0.10" where the sweep's read "-0.10 pts" (CVaR 95%
    against no hedge, _trial's -0.10 pts [-0.16, -0.05], as the bottom line gives it)."""
    from vixhedge.walkforward_text import format_walk

    s = _trial()
    assert f"  stitched {s['window']} (2,768 sessions): picked" in format_walk(s, tmp_path)
    page = render_walk(s, None, "walkforward")
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", page[page.index("<h2>Paired differences</h2>"):])
    assert cells[cells.index("CVaR 95% (lower is better)") + 1] == "-0.10 pts"
