"""The comparison's text and figures (vixhedge.compare_text, compare_report) on made-up Comparisons: counts, flags
and money, long mode names, the paired figure, Sharpe n/a and its caveats, verdicts of CIs, data provenance."""

import numpy as np
import pandas as pd
import pytest

from analyzers import metrics as M
from feeds.market import build_market
from vixhedge import bootstrap as bs
from vixhedge.core import config as C
from vixhedge.compare import compare
from vixhedge.compare_text import format_comparison
from vixhedge.run import run_backtest
from tests.vixhedge.compare_cases import MadeUpRun, SHORT, synthetic


def test_comparison_text_formats_counts_flags_and_money():
    """The CLI table uses the report's labels and cells: counts whole, flags yes/no, money with separators."""
    from vixhedge.compare import Comparison

    table = pd.DataFrame({"none": {"end_nav_usd": 989971.2, "hedge_layers": 0.0, "days_cut_by_caps": 1.0,
                                   "ruined": 0.0},
                          "alvh": {"end_nav_usd": 1234567.8, "hedge_layers": 15.0, "days_cut_by_caps": 1.0,
                                   "ruined": 1.0}})
    paired = pd.DataFrame([{"mode": "alvh", "baseline": "none", "stat": "hedge_cost_usd", "diff": 2348.633,
                            "ci_low": -87494.847, "ci_high": 54221.244, "ci_method": "percentile", "block_days": 6}])
    paired.attrs.update(baseline="none", n_boot=2000, block_days="auto", ci_method="percentile", seed=7)
    runs = {m: MadeUpRun() for m in table.columns}
    lines = format_comparison(Comparison(C.load_default(), runs, table, paired)).splitlines()
    assert lines[1].split() == ["final", "NAV", "(higher", "is", "better)", "$989,971", "$1,234,568"]
    assert lines[2].split() == ["hedge", "layers", "opened", "0", "15"]
    assert lines[3].split() == ["days", "cut", "by", "capital", "caps", "1", "1"]
    assert lines[4].split() == ["ruined", "no", "yes"]
    assert "+2,349  [-87,495, +54,221]  unclear (CI includes 0)" in lines[-1]


def test_comparison_text_header_keeps_long_mode_names_apart():
    """A plug-in mode's name longer than the cells (`--modes none,alvh,custom_hedge:policy`, README "Plug-ins")
    gets its own column: the header printed `alvhcustom_hedge:policy`."""
    lines = format_comparison(synthetic(("alvh", "custom_hedge:policy"))).splitlines()
    assert lines[0].split() == ["metric", "none", "alvh", "custom_hedge:policy"]
    assert len(lines[0]) == len(lines[1])  # the cells line up under their mode
    assert lines[1].split()[-3:] == ["$1,000,000"] * 3


def test_many_modes_wrap_the_table_into_blocks_under_each_other():
    """Trial RS38 L5: a 13-variant ablation printed the side-by-side table 330+ characters wide. Past
    compare_text.TABLE_CHARS (160: a default compare and a plug-in's mode, 126, stay one block) the modes go on in
    another block under the first, each with its own header and every metric's label (as pandas wraps a wide frame).
    Made-up modes of 18-character names (20-character cells) after the 28-character label column ("final NAV (higher
    is better)") and none's 14: 28 + 14 + 5 x 20 = 142, a sixth would make 162; then 28 + 6 x 20 = 148: blocks of
    none and 5, 6 and 2."""
    modes = tuple(f"no_rule_number_{k:03d}" for k in range(13))
    lines = format_comparison(synthetic(modes)).splitlines()
    heads = [k for k, line in enumerate(lines) if line.startswith("metric")]
    assert [lines[k].split()[1:] for k in heads] == [["none", *modes[:5]], list(modes[5:11]), list(modes[11:])]
    table = lines[:heads[-1] + 3]  # three blocks of a header and two metric rows
    assert [len(line) for line in table[::3]] == [142, 148, 68]
    assert [line.split()[:2] for line in table if not line.startswith("metric")] == [["final", "NAV"], ["hedge",
                                                                                                          "layers"]] * 3
    assert format_comparison(synthetic(("static", "alvh"))).splitlines()[0].split() == ["metric", "none", "static",
                                                                                          "alvh"]


@pytest.mark.parametrize("modes", [("static", "alvh"), ("alvh", "custom_hedge:policy")], ids=["default", "plug-in"])
def test_paired_figure_is_readable(modes):
    """paired.png: every panel title inside the figure, money ticks in $k that do not overlap, the modes named once
    (the fresh-user trial: ticks '-100000 0 100000200000300000', the fourth title cut to 'hedge cost, USD (lower is')."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from vixhedge.compare_report import fig_paired
    from vixhedge.html import FIGURE_DPI

    fig = fig_paired(synthetic(modes))
    renderer = FigureCanvasAgg(fig).get_renderer()
    fig.draw(renderer)
    box = fig.bbox
    for ax in fig.axes:
        title = ax.title.get_window_extent(renderer)
        assert box.x0 <= title.x0 and title.x1 <= box.x1 and title.y1 <= box.y1, ax.get_title()
    cost = fig.axes[-1]
    ticks = [t for t in cost.get_xticklabels() if t.get_text() and box.x0 <= t.get_window_extent(renderer).x0
             and t.get_window_extent(renderer).x1 <= box.x1]
    assert 2 <= len(ticks) <= 5
    assert all(t.get_text() == "$0" or t.get_text().endswith("k") for t in ticks), [t.get_text() for t in ticks]
    extents = sorted(t.get_window_extent(renderer).x0 for t in ticks)
    widths = {t.get_window_extent(renderer).x0: t.get_window_extent(renderer).width for t in ticks}
    assert all(a + widths[a] < b for a, b in zip(extents, extents[1:]))  # no two tick labels touch
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == [modes[0], f"{modes[1]} (same as {modes[0]})"]
    # (synthetic()'s modes share every interval: the second is the first's twin, named so: trial RS38 L7)
    # top to bottom in paired.csv's order, as the page's table lists them (trial: alvh drawn above static)
    heights = [t.get_window_extent(renderer).y0 for t in fig.axes[0].get_yticklabels()]
    assert heights == sorted(heights, reverse=True) and heights[0] > heights[1]
    # three panels a row (trial VIS42 M2: five in one row, a 1,947 px PNG): the first of each row names the modes
    assert len(fig.axes) == 5 and fig.axes[3].get_yticklabels()[0].get_text() == modes[0]
    assert all(not t.get_visible() or not t.get_text() for k, ax in enumerate(fig.axes) if k % 3
               for t in ax.get_yticklabels())
    assert fig.get_size_inches()[0] * FIGURE_DPI < 1600  # (five panels a row: 1,947 px and more)


def test_cash_only_mode_sharpe_is_na_as_in_its_run():
    """N6: no condor and no hedge: the NAV earns cash alone, its excess return is rounding noise; the run says
    Sharpe n/a (analyzers.metrics.RETURN_NOISE) and so does compare (it said -0.89 before)."""
    cfg = C.replace(C.load_default(), run=SHORT, condor={"enabled": False}, hedge={"mode": "none"})  # alvh: refused
    market = build_market(cfg.market)
    run = run_backtest(C.replace(cfg, hedge={"mode": "none"}), market)
    assert run.metrics["performance"]["sharpe"] is None or np.isnan(run.metrics["performance"]["sharpe"])
    c = compare(cfg, market, modes=("none", "static"), n_boot=100)
    assert np.isnan(c.table.loc["sharpe", "none"])
    # static: no condor to hedge, no layer (hedge layers 0): cash alone too; its paired Sharpe is n/a, not "+nan"
    (line,) = [ln for ln in format_comparison(c).splitlines() if ln.startswith("  static  Sharpe")]
    assert line.split()[-5:] == ["better)", "n/a", "n/a", "n/a", "(undefined)"]
    rf = 1.01 ** (1 / 252) - 1  # 1%/yr a day; noise of a few eps around it, as a NAV ratio has
    noisy = rf + np.random.default_rng(1).normal(0.0, 1e-17, 300)
    assert np.isnan(bs.sharpe_rows(noisy, rf, 252)) and np.isnan(M.sharpe(noisy, 0.01, 252))


def test_sharpe_words_name_ruined_modes_sharing_a_span_and_rate_once():
    """Trial (2026-12-03, /tmp/v/ruin.toml): static and alvh, both ruined on 2017-10-27, were each named with the same
    span and rate on one long line ("static's (its span to its ruin, 2017-10-02 .. 2017-10-27) over ...; alvh's (its
    span to its ruin, 2017-10-02 .. 2017-10-27) over ..."). Made-up metrics (the trial's rates 1.39% and 1.15%, a
    third ruined mode on another day): modes sharing span and rate are named together, once."""
    from types import SimpleNamespace

    from vixhedge.compare_text import sharpe_words

    def run(rate, ruin_end=None):
        span = {"start": "2017-10-02", "end": ruin_end, "ruined": True} if ruin_end else None
        perf = {"cash_rate_act365": rate, "valid_span": span}
        return SimpleNamespace(metrics={"ruin": {"date": ruin_end} if ruin_end else None, "performance": perf})

    results = {"none": run(0.0139), "static": run(0.0115, "2017-10-27"), "alvh": run(0.0115, "2017-10-27"),
               "vxth": run(0.0120, "2017-11-30")}
    rate = "cash at the day's short rate, {}/yr on average (simple, ACT/365)".format
    assert sharpe_words(SimpleNamespace(results=results, config=C.load_default())) == (
        f"excess return over {rate('1.39%')}; static's and alvh's (their span to their ruins, 2017-10-02 .. "
        f"2017-10-27) over {rate('1.15%')}; vxth's (its span to its ruin, 2017-10-02 .. 2017-11-30) over "
        f"{rate('1.20%')}")


def test_a_ci_that_is_not_estimable_gets_no_verdict():
    """A NaN interval is printed as n/a with no verdict, never as "unclear (CI includes 0)"."""
    cmp = synthetic(("static",))
    p = cmp.paired
    p.loc[p["stat"] == "sharpe", ["diff", "ci_low", "ci_high", "ci_method"]] = \
        [-1.371, np.nan, np.nan, "not estimable (2000 of 2000 draws undefined)"]  # the trial's point estimate
    (line,) = [ln for ln in format_comparison(cmp).splitlines() if ln.startswith("  static  Sharpe")]
    assert line.split()[-11:] == ["-1.371", "[n/a]", "no", "verdict:", "CI", "not", "estimable", "(2000", "of",
                                  "2000", "draws", "undefined)"][-11:]
    assert "nan" not in line and "unclear" not in line


def test_the_window_caveat_counts_the_window_not_the_days_to_a_ruin():
    """Trial RS24 (volmageddon, 2018-02-05..03-29, 38 sessions, static and alvh ruined on 2018-02-06): the caveat
    read "only 2 sessions", the paired days to the ruins; the window's sessions are the longest mode's daily rows.
    And numpy's "Degrees of freedom <= 0" warnings printed under -q: a Sharpe of one return is n/a without them."""
    import dataclasses
    import warnings

    from vixhedge.compare_text import paired_caveats, window_sessions

    cmp = synthetic(("static", "alvh"))
    cmp.paired["days"] = 1
    days = pd.DataFrame(index=pd.bdate_range("2018-02-05", periods=38))

    @dataclasses.dataclass(frozen=True)
    class Dated(MadeUpRun):
        daily: pd.DataFrame = dataclasses.field(default_factory=lambda: days)

    cmp.results.update({m: Dated() for m in cmp.results})
    assert window_sessions(cmp) == 38 and window_sessions(synthetic(("alvh",))) is None
    caveats = [c for c in paired_caveats(cmp.paired, window_sessions(cmp)) if c.startswith("window caveat: only")]
    assert caveats == ["window caveat: only 38 sessions: the annualised figures (CAGR, vol, Sharpe, Sortino, Calmar, "
                       "return on margin per year, the hedge cost's per-year figures) scale so short a window to a "
                       "year and mean little under 60 sessions"]
    assert "only 2 sessions" in " ".join(paired_caveats(cmp.paired))  # (without the window: the pairs' days)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(bs.sharpe_rows(np.array([[-1.0]]), 0.0, 252)).all()


def test_a_missing_endpoint_read_back_from_json_gets_no_verdict():
    """walkforward.json keeps a NaN interval as null; `vixhedge report OUT` rebuilt the page through verdict_words,
    whose np.isfinite(None) raised a TypeError (helper WF22, session 22). None reads as no interval."""
    from vixhedge.verdicts import verdict_words

    assert verdict_words(0.1, None, None, "higher") == "no verdict: CI not estimable"
    assert verdict_words(0.1, None, 0.2, "lower", "not estimable (2000 of 2000 draws undefined)") == \
        "no verdict: CI not estimable (2000 of 2000 draws undefined)"


def test_sharpe_caveat_when_a_mode_and_the_baseline_both_lose():
    """Fresh-user trial (volmageddon compare): static had the higher NAV and the lower drawdown and CVaR, yet
    Sharpe -5.02 against none's -3.66 (the README's figures, from `vixhedge replay volmageddon --data-dir
    ../shared/data --hedge-mode static` and `--hedge-mode none`); with a negative mean a lower vol makes Sharpe more
    negative. Compare says so in one line when both Sharpe ratios are negative, and only then."""
    cmp = synthetic(("static",))
    cmp.table.loc["sharpe"] = {"none": -3.66, "static": -5.02}
    lines = [ln for ln in format_comparison(cmp).splitlines() if ln.startswith("Sharpe caveat:")]
    assert lines == ["Sharpe caveat: static and none both have a negative Sharpe; with a negative mean excess "
                     "return a lower volatility makes the ratio more negative, so Sharpe can rank the one that "
                     "lost less lower: read final NAV, max drawdown and CVaR beside it"]
    cmp.table.loc["sharpe"] = {"none": -3.66, "static": 0.4}
    assert "Sharpe caveat" not in format_comparison(cmp)


def test_sharpe_caveat_of_a_mode_whose_nav_fell_with_a_positive_mean():
    """Review (2026-12-03): compare's Sharpe caveats covered a ruin only, while the run's summary and report.html
    also flag a NAV that fell with a positive Sharpe (analyzers.metrics.ratio_caveat, volatility drag); compare
    says it per mode from the same rule. The numbers are test_metrics' audit run (total return -95.46%, Sharpe 0.51)."""
    from analyzers.metrics import ratio_caveat

    cmp = synthetic(("static",))
    perf = {**cmp.results["static"].metrics["performance"], "total_return": -0.9546, "sharpe": 0.51}
    cmp.results["static"] = MadeUpRun(metrics={**cmp.results["static"].metrics, "performance": perf})
    lines = [ln for ln in format_comparison(cmp).splitlines() if ln.startswith("Sharpe caveat:")]
    assert lines == [f"Sharpe caveat: static: {ratio_caveat(perf, None)} (n/a in the table, as its run's summary and "
                     "report show it; computed in comparison.csv)"]
    cmp.table.loc["sharpe"] = {"none": 0.2, "static": 0.51}  # trial VIS27: the table's cell n/a, as the run's own
    table = format_comparison(cmp).splitlines()
    assert next(ln for ln in table if ln.startswith("Sharpe (higher")).split()[-2:] == ["0.20", "n/a"]
    assert lines[0].startswith("Sharpe caveat: static: the NAV fell 95.46% while its mean daily excess return")


def test_format_comparison_is_importable_from_compare() -> None:
    """The review of the session: moving format_comparison to compare_text broke `from vixhedge.compare import
    format_comparison` for outside code; it is re-exported (the same function)."""
    from vixhedge import compare_text
    from vixhedge.compare import format_comparison

    assert format_comparison is compare_text.format_comparison


def test_combined_provenance_names_the_modes_of_a_note_not_all_share():
    from feeds.provenance import combined

    row = {"real": 1, "anchored": 0, "model": 3}
    one = {"marks": {"spx_option": row}, "fills": {}, "modelled_share": 0.75, "rests_on_model": True,
           "verdict": "v", "rates": "r", "notes": ["shared", "only none"]}
    two = {**one, "fills": {"vx_future": {"real": 4, "anchored": 0, "model": 0}}, "modelled_share": 0.375,
           "rests_on_model": False, "notes": ["shared"]}
    got = combined({"none": one, "alvh": two})
    assert got["marks"]["spx_option"]["model"] == 6 and got["fills"]["vx_future"]["real"] == 4
    assert got["modelled_share"] == 0.5 and not got["rests_on_model"]
    assert got["notes"] == ["shared", "none: only none"]
    # trial HELP23: the comparison's share (here 50%) read beside a mode's own (75%, 37.5%) said neither was pooled
    assert "50% of the modes' marks and fills are modelled (none 75%, alvh 38%; SPX options" in got["verdict"]
    idle = {**one, "marks": {}, "fills": {}, "modelled_share": 0.0, "rests_on_model": False}
    assert "(none 75%, idle no price;" in combined({"none": one, "idle": idle})["verdict"]  # not "0%": REV23
    # a mode with fills but no mark at a close (its one order closed the day it opened) has a price: 4 real fills
    # and no modelled one, 0% (not "no price")
    shut = {**idle, "fills": {"vx_future": {"real": 4, "anchored": 0, "model": 0}}}
    assert "(none 75%, shut 0%;" in combined({"none": one, "shut": shut})["verdict"]


def test_a_one_day_data_driven_block_is_a_caveat():
    """Researcher trial, session 13: on 2008-06..2009-03 the data-driven block was 1 day for static vs none and 15 for
    alvh vs none; static's CVaR verdict "better" rested on the 1-day block and turned borderline with --block-days 10.
    A data-driven block of 1 day is a caveat line; a block given by --block-days, or longer, is not."""
    import pandas as pd

    from vixhedge.compare_text import paired_caveats

    p = pd.DataFrame({"mode": ["static", "alvh"], "block_days": [1, 15], "ci_low": [0.1, -0.1],
                      "ci_high": [0.2, 0.3]})
    p.attrs["block_days"] = "auto"
    lines = [ln for ln in paired_caveats(p) if "block is 1 day" in ln]
    assert lines == ["CI caveat: static: the data-driven block is 1 day, so the bootstrap reads its days as "
                     "independent, which a volatile window's clustered days are not; rerun with --block-days 10 "
                     "before reading its verdicts"]
    p.attrs["block_days"] = 1
    assert not [ln for ln in paired_caveats(p) if "block is 1 day" in ln]


def test_the_comparison_says_what_its_vix_options_rest_on_and_shows_the_modes_notes():
    """Trial RS22: an instrument comparison's data line and page dropped the Black-76 / VVIX words each option mode's
    own line had, and its page showed none of the modes' notes (call-spread legs at bid and ask). Made-up
    provenances: only the option mode has the words; they are the comparison's, once."""
    import types

    from feeds.provenance import combined
    from vixhedge.compare_text import mode_notes

    row = {"real": 0, "anchored": 0, "model": 4}
    vx = {"marks": {"vx_future": row}, "fills": {}, "modelled_share": 1.0, "rests_on_model": True, "verdict": "v",
          "rates": "r", "notes": []}
    cs = {**vx, "marks": {"vix_option": row}, "vix_option_model": "Black-76 on the VX future of their expiry"}
    got = combined({"alvh": vx, "cs": cs})
    assert got["vix_option_model"] == cs["vix_option_model"]
    assert "VIX options 0% real, 100% modelled by Black-76 on the VX future of their expiry" in got["verdict"]
    assert "vix_option_model" not in combined({"alvh": vx})
    runs = {"alvh": {"policy_notes": ["idle rule"]}, "cs": {"policy_notes": ["idle rule", "legs at bid and ask"]}}
    cmp = types.SimpleNamespace(results={m: types.SimpleNamespace(metrics=mt) for m, mt in runs.items()})
    assert mode_notes(cmp) == ["idle rule", "cs: legs at bid and ask"]


def test_the_comparison_page_carries_the_require_condor_note() -> None:
    """Trial VIS27: the default `vixhedge compare` printed alvh's "hedge.require_condor held back 6 adds ..." on
    stderr and its run page shows it as a banner, but the comparison's page had only alvh's hedge.fomc note."""
    import types

    from vixhedge.compare_text import mode_notes
    from vixhedge.why_idle import held_words

    held = {"adds": 14, "longest": {"first": "2016-01-08", "last": "2016-01-15", "adds": 6, "vx_first": 24.46,
                                    "vx_last": 24.57, "vx_max": 24.57}}
    runs = {"none": {}, "static": {"held_without_condor": None},
            "alvh": {"policy_notes": ["hedge.fomc: no A/D"], "held_without_condor": held}}
    cmp = types.SimpleNamespace(results={m: types.SimpleNamespace(metrics=mt) for m, mt in runs.items()})
    notes = mode_notes(cmp)
    assert notes == ["alvh: hedge.fomc: no A/D", f"alvh: {held_words(held)}"]
    assert notes[1].startswith("alvh: hedge.require_condor held back 6 adds on consecutive sessions from 2016-01-08")


def test_a_ruined_modes_words_are_its_own() -> None:
    """Trial VIS27 (`vixhedge compare --data-dir ../shared/data --start 2020-03-18 --end 2020-06-30 --set
    hedge.static_layers=1 --set hedge.first_layer_contracts=1000 --set margin.hedge_budget_nav_fraction=1.0 --set
    hedge.require_condor=false`, static ruined 2020-03-23): the covid row took none's words and never said static's
    ruin, which its run's row does (README: the period that holds the ruin is marked); the ruin banner's "the
    metrics below cover the valid span" read as every column's; "bootstrap block (1 days)"."""
    from types import SimpleNamespace

    from vixhedge.page_banners import ruin_banner
    from vixhedge.report_periods import compare_lines, compare_section

    period = {"name": "covid", "first": "2020-03-18", "last": "2020-04-30", "sessions": 31, "whole": False}
    runs = {"none": SimpleNamespace(metrics={"named_periods": [{**period, "hedge_pnl_usd": 0.0,
                                                                "total_pnl_usd": 40945.0}]}),
            "static": SimpleNamespace(metrics={"named_periods": [{**period, "ruin": "2020-03-23",
                                                                  "hedge_pnl_usd": -1471950.0,
                                                                  "total_pnl_usd": -1e6}]})}
    assert compare_lines(runs)[1] == ("  covid 2020-03-18 .. 2020-04-30 (31 sessions, part of the period): none $0 / "
                                      "$40,945; static -$1,471,950 / -$1,000,000 (ruined 2020-03-23)")
    assert ('<td>-$1,471,950 / -$1,000,000 (ruined <span class="nw">2020-03-23</span>)</td>'  # (VIS35 L3: it broke
            in compare_section(runs))  # at its hyphens, test_page_wrap)
    m = {"ruin": {"date": "2020-03-23", "cause": "NAV -$451,266 <= 0"},
         "performance": {"valid_span": {"start": "2020-03-18", "end": "2020-03-23"}}}
    assert "static&#x27;s column of the metrics below covers the valid span 2020-03-18 .. 2020-03-23" in ruin_banner(
        m, "static")
    assert "; the metrics below cover the valid span" in ruin_banner(m)  # a run's own page: all of it is the run's
    assert bs.few_blocks(1, 3, "compared").startswith("bootstrap block (1 day) is 33% of the 3 daily returns")
    assert bs.few_blocks(20, 60, "compared").startswith("bootstrap block (20 days) is 33%")


def test_a_paired_sharpe_whose_leg_is_n_a_reads_n_a_without_a_verdict():
    """Review 27 (README's ruin compare: `vixhedge compare --data-dir ../shared/data --start 2020-03-18 --end
    2020-06-30 --set hedge.static_layers=1 --set hedge.first_layer_contracts=1000 --set
    margin.hedge_budget_nav_fraction=1.0 --set hedge.require_condor=false`): the table showed ruined static's Sharpe
    n/a (its run's rule) while the paired block read "static Sharpe -73.222 [-146.002, -67.182] worse". Made up:
    static ruined (the CI excludes 0), alvh not: static's paired Sharpe n/a, no verdict, not counted among the
    intervals nor the borderline ones, not drawn in paired.png; its other rows and alvh's as before; paired.csv keeps
    the computed figures. A baseline whose Sharpe is n/a makes every mode's paired Sharpe n/a."""
    from vixhedge.compare_report import fig_paired
    from vixhedge.compare_text import paired_caveats, paired_cells, shown_paired

    cmp = synthetic(("static", "alvh"))
    ruin = {"date": "2020-03-23", "cause": "NAV -$451,266 <= 0"}
    cmp.results["static"] = MadeUpRun(metrics={**cmp.results["static"].metrics, "ruin": ruin})
    sharpe = (cmp.paired["mode"] == "static") & (cmp.paired["stat"] == "sharpe")
    cmp.paired.loc[sharpe, ["diff", "ci_low", "ci_high", "ci_borderline"]] = [-73.2, -146.0, -67.2, "True"]
    cmp.paired.loc[~sharpe, "ci_borderline"] = "False"
    text = format_comparison(cmp).splitlines()
    static = next(ln for ln in text if ln.split()[:2] == ["static", "Sharpe"])
    assert " ".join(static.split()) == ("static Sharpe (higher is better) n/a n/a no verdict: static's Sharpe is n/a, as "
                                        "in the table (computed in paired.csv)")
    alvh = next(ln for ln in text if ln.split()[:2] == ["alvh", "Sharpe"])
    assert "+0.010" in alvh and alvh.endswith("unclear (CI includes 0)")
    assert next(ln for ln in text if ln.split()[:2] == ["static", "max"]).endswith("unclear (CI includes 0)")
    lines = paired_caveats(shown_paired(cmp))
    assert any(ln.startswith("CI caveat: 9 intervals at 95% each") for ln in lines)
    assert not any("borderline" in ln for ln in lines)  # (static's Sharpe was the one borderline row)
    assert any(ln.startswith("CI caveat: 10 intervals") for ln in paired_caveats(cmp.paired))  # (without: counted)
    drawn = next(ln for ln in fig_paired(cmp).axes[0].lines if ln.get_marker() == "o").get_xdata()  # the estimates
    assert np.isnan(drawn[0]) and drawn[1] == pytest.approx(0.01)  # static's Sharpe not drawn, alvh's drawn
    assert cmp.paired.loc[sharpe, "diff"].item() == -73.2  # (what paired.csv writes: computed)
    cmp.results["none"] = MadeUpRun(metrics={**cmp.results["none"].metrics, "ruin": ruin})  # the baseline's too
    row = next(shown_paired(cmp).query("mode == 'alvh'").itertuples())  # sharpe first
    assert paired_cells(row)[2:] == ["n/a", "n/a", "no verdict: none's Sharpe is n/a, as in the table "
                                                            "(computed in paired.csv)"]


def test_every_table_rows_label_and_which_way_is_better_by_hand():
    """MUT28 cr5, cr7: each side-by-side row's label and direction, against README *compare* (its rows: "NAV, CAGR,
    vol, Sharpe, max drawdown, CVaR 95%, hedge net cost ... P&L by book and cash interest ... the hedge's P&L on stress
    days and on the run's own worst 5% of days", its total P&L (trial RS33), the "hedge P&L: ..." rows by cause of
    *Hedge cost* (4), the counts; VIS30: "its own worst" read as the hedge's own worst days) and the placebo's "higher
    P&L better" / drawdown and CVaR "lower is better": a P&L row is better higher, a cost, drawdown or tail loss lower,
    a size, a count, a cause or a flag neither. The hand list, as the rows stand on HEAD."""
    from vixhedge.compare_rows import TABLE_ROWS
    from vixhedge.compare_text import table_rows

    hand = {"end_nav_usd": "final NAV (higher is better)", "cagr": "CAGR (higher is better)",
            "ann_vol": "annualised vol", "sharpe": "Sharpe (higher is better)",
            "max_drawdown": "max drawdown (lower is better)", "cvar95": "CVaR 95% (daily) (lower is better)",
            "hedge_cost_usd": "hedge net cost (lower is better)",
            "hedge_vx_carry_usd": "hedge P&L: VX carry (roll-down and what the beta misses)",
            "hedge_vx_vix_move_usd": "hedge P&L: VIX move (exposure held x the VIX's moves)",
            "hedge_option_marks_usd": "hedge P&L: VIX options' marks",
            "hedge_fills_vs_mid_usd": "hedge P&L: fills against mid (spread paid)",
            "hedge_fees_usd": "hedge P&L: fees",
            "pnl_usd": "total P&L (higher is better)",
            "condor_pnl_usd": "condor P&L (higher is better)", "hedge_pnl_usd": "hedge P&L (higher is better)",
            "fees_pnl_usd": "fees P&L (higher is better)", "interest_pnl_usd": "interest P&L (higher is better)",
            "stress_hedge_pnl_usd": "hedge P&L on stress days (higher is better)",
            "tail_hedge_pnl_usd": "hedge P&L on the book's worst 5% of days (higher is better)",
            "median_hedge_ratio": "hedge ratio, median (hedge / condor vega)",
            "ruin_debt_pnl_usd": "ruin debt written off", "hedge_layers": "hedge layers opened",
            "hedge_mean_layers_held": "hedge layers held, mean at a close",
            "hedge_contract_sessions": "hedge contract-sessions (contracts x sessions held)",
            "days_cut_by_caps": "days cut by capital caps", "days_with_margin_call": "days with a margin call",
            "peak_margin_usd": "peak margin requirement",  # (trial RS40 M4: in each mode's metrics.json alone)
            "capital_needed_usd": "capital needed at the start (no margin call on this path's trades)",
            "vx_moves_over_maintenance": "sessions a held VX future lost more than its maintenance margin",
            "ruined": "ruined"}
    assert list(TABLE_ROWS) == list(hand)  # every row, in the table's order
    table = pd.DataFrame({"none": {k: 1.0 for k in hand}})
    assert [r[0] for r in table_rows(table)] == list(hand.values())
