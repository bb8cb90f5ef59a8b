"""`vixhedge compare` (vixhedge.compare): the modes run on one market path equal their runs one by one, the table's
rows are each run's own, the CLI and the API check their arguments before any work. The compare's folder is in
test_compare_folder.py, its text in test_compare_text.py, condor fills in test_compare_fills.py, the paired bootstrap in
test_compare_bootstrap.py (split from one 917-line module, 2026-12-04)."""

import html
import json
import re

import numpy as np
import pandas as pd
import pytest

from feeds.market import build_market
from vixhedge import bootstrap as bs
from vixhedge.core import config as C
from vixhedge.cli import main
from vixhedge.compare import compare
from vixhedge.compare_text import format_comparison
from vixhedge.run import run_backtest
from tests.vixhedge.compare_cases import default_comparison


@pytest.fixture(scope="module")
def cmp():
    return default_comparison()


def test_compare_equals_runs_one_by_one(cmp):
    for mode, res in cmp.results.items():
        alone = run_backtest(C.replace(cmp.config, hedge={"mode": mode}), cmp.results[mode].market)
        pd.testing.assert_frame_equal(alone.daily, res.daily)
        pd.testing.assert_frame_equal(alone.trades, res.trades)
        assert cmp.table.loc["end_nav_usd", mode] == alone.metrics["performance"]["end_nav_usd"]


def test_table_sharpe_is_each_runs_own(cmp):
    """The compared Sharpe is the one each run reports: both over the cash return of each day (the default)."""
    for mode, res in cmp.results.items():
        sharpe = res.metrics["performance"]["sharpe"]
        assert cmp.table.loc["sharpe", mode] == pytest.approx(sharpe, rel=1e-12), mode


def test_paired_table_and_text(cmp):
    p = cmp.paired
    assert set(p["mode"]) == {"static", "alvh"} and set(p["stat"]) == {"sharpe", "max_drawdown", "cvar95",
                                                                         "hedge_cost_usd", "pnl_usd"}
    assert (p["ci_low"] <= p["ci_high"]).all()
    assert p.attrs["block_days"] == "auto" and (p["block_days"] >= 1).all() and set(p["ci_method"]) == {"percentile"}
    none_cost = cmp.table.loc["hedge_cost_usd", "none"]
    assert none_cost == 0.0
    alvh_cost = p[(p["mode"] == "alvh") & (p["stat"] == "hedge_cost_usd")]["diff"].iloc[0]
    assert alvh_cost == pytest.approx(cmp.results["alvh"].metrics["hedge_cost"]["net_cost_usd"], abs=0.05)
    text = format_comparison(cmp)
    assert "paired difference vs none" in text and "alvh" in text


def test_the_data_driven_block_is_estimated_on_each_pairs_difference(cmp):
    """Trial MUT24 cmp06 (the block estimated on the mode's own returns, not on mode - baseline, survived): with
    block_days None each pair resamples with the block of its daily return difference (compare._paired's docstring;
    README: "arch.bootstrap.optimal_block_length of the daily return difference, its circular estimate rounded up,
    at least 1 day and at most half the days"). Expected apart from compare: each
    mode's daily NAV returns less none's, arch.bootstrap.optimal_block_length's "circular" estimate rounded up, capped
    at half the 149 returns (Politis & White): static 3.34 -> 4, alvh 5.75 -> 6 days. The mode's returns alone
    give 1 and 22 days (what the mutant wrote)."""
    import math

    from arch.bootstrap import optimal_block_length

    def returns(mode: str) -> np.ndarray:
        nav = cmp.results[mode].daily["nav_usd"].to_numpy()  # (no ruin here: the whole window is the valid span)
        return nav[1:] / nav[:-1] - 1.0

    own = {}
    for mode in ("static", "alvh"):
        d = returns(mode) - returns("none")
        arch_block = min(math.ceil(float(optimal_block_length(d)["circular"].iloc[0])), len(d) // 2)
        rows = cmp.paired[cmp.paired["mode"] == mode]
        assert set(rows["block_days"]) == {arch_block} == {bs.data_block_length(d)}, mode
        assert set(rows["days"]) == {len(d)} == {149}
        own[mode] = bs.data_block_length(returns(mode))
    assert own != {"static": 4, "alvh": 6}  # the case tells the difference's block from a mode's own


def test_hedge_cost_is_each_runs_own_hedge_net_cost(cmp):
    """Compare's "hedge net cost" is the run's own (metrics.json hedge_cost.net_cost_usd, the run report's line):
    fees and the first day included. Static trades on the window's first day (2015-06-01: two hedge fills, hedge
    P&L -$15.24 that day, $58.50 of hedge fees in the window: run_backtest of this config), so a definition
    without either misses it. Tolerance: net_cost_usd sums per-layer amounts rounded to cents."""
    from vixhedge.compare import legs, hedge_cost_days

    for mode, res in cmp.results.items():
        own = res.metrics["hedge_cost"]["net_cost_usd"]
        assert cmp.table.loc["hedge_cost_usd", mode] == pytest.approx(own, abs=0.05), mode
        assert hedge_cost_days(res).sum() == pytest.approx(own, abs=0.05), mode
    static = cmp.results["static"]
    assert hedge_cost_days(static)[0] != 0.0  # the first day's fills: not in any resampled day step
    hedge_fees = static.trades.loc[static.trades["component"].str.startswith("hedge"), "fee_usd"].sum()
    assert hedge_fees > 0 and static.metrics["hedge_cost"]["net_cost_usd"] == pytest.approx(
        -static.daily["hedge_pnl_usd"].sum() + hedge_fees, abs=0.05)
    # the paired interval: the day steps' hedge net cost resampled, the first day's difference added as it is
    row = cmp.paired.set_index(["mode", "stat"]).loc[("static", "hedge_cost_usd")]
    (leg, first), (base, base_first) = legs(static), legs(cmp.results["none"])
    low, high, _, _ = bs.paired_intervals(lambda r, c, rf, pnl: np.array([c.sum()]), leg, base, int(row["block_days"]),
                                       300, cmp.config.run.seed)
    shift = first[3] - base_first[3]
    assert row["diff"] == pytest.approx(leg[1].sum() - base[1].sum() + shift, rel=1e-12)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((low[0] + shift, high[0] + shift), rel=1e-12)


def test_the_run_summary_and_compare_print_one_hedge_net_cost(cmp):
    """Trial (2026-12-03): a run's summary printed its hedge net cost of $20,184.50 as $20,184 where `vixhedge
    compare` printed $20,185 for the same run: the summary formatted metrics.json's figure with Python's rounding
    (an exact half to even), compare's table summed the daily series the paired CIs resample (within a cent of it:
    metrics round each layer to cents). Both now print the run's own figure (metrics.json
    hedge_cost.net_cost_usd), rounded half away from zero once (vixhedge.fmt.usd)."""
    import dataclasses
    import re

    from vixhedge.compare import _table_column
    from vixhedge.compare_text import _fmt
    from vixhedge.summary import summary_table

    def summary_cell(res) -> str:
        return re.search(r"^ *hedge net cost +(\S+)", summary_table(res), re.M).group(1)

    line = next(x for x in format_comparison(cmp).splitlines() if x.startswith("hedge net cost"))
    cells = dict(zip(cmp.table.columns, line.split()[-len(cmp.table.columns):]))
    for mode, res in cmp.results.items():
        assert cmp.table.loc["hedge_cost_usd", mode] == res.metrics["hedge_cost"]["net_cost_usd"], mode
        assert cells[mode] == summary_cell(res), mode
    static = cmp.results["static"]  # the trial's figure, set in a copy of a run's metrics
    metrics = {**static.metrics, "hedge_cost": {**static.metrics["hedge_cost"], "net_cost_usd": 20184.50}}
    trial = dataclasses.replace(static, metrics=metrics)
    assert _fmt("usd", _table_column(trial)["hedge_cost_usd"]) == summary_cell(trial) == "$20,185"


@pytest.mark.parametrize("n_boot", [5, 99, 100_001, 200.0, True], ids=str)
def test_api_compare_checks_n_boot_as_the_cli_does(n_boot):
    # the CLI's --n-boot range, 100..100,000 (vixhedge.compare_args.MAX_BOOT); before: api.compare(cfg, n_boot=5) ran
    from vixhedge import api

    why = r"^compare: n_boot = .* is invalid: use 100..100,000 bootstrap draws \(as --n-boot\)$"  # (API31 L1: named)
    with pytest.raises(C.ConfigError, match=why):
        api.compare(C.load_default(), market=object(), n_boot=n_boot)  # refused before the market is read


def test_cli_compare(tmp_path, capsys):
    cfgfile = tmp_path / "c.toml"
    cfgfile.write_text('[run]\nname = "cmp"\nstart = 2016-01-04\nend = 2016-03-31\n')
    assert main(["compare", str(cfgfile), "--runs-dir", str(tmp_path), "--modes", "none,alvh",
                 "--n-boot", "200"]) == 0
    (folder,) = [p for p in tmp_path.iterdir() if p.is_dir()]
    assert {p.name for p in folder.iterdir()} == {"comparison.csv", "paired.csv", "overlay.png", "paired.png",
                                                  "report.html", "runs", "config.toml", "comparison.json"}
    runs = sorted(p.name for p in (folder / "runs").iterdir())
    assert len(runs) == 2
    page = (folder / "report.html").read_text()
    assert page.count('<img src="data:image/png;base64,') == 2 and "<script" not in page and "http" not in page
    for rid in runs:  # links to each mode's own report, relative to the folder
        assert f'href="runs/{rid}/report.html"' in page and (folder / "runs" / rid / "report.html").exists()
        assert f"(this folder's <code>runs/{rid}</code>)" in page  # not the runs/ a user's shell is in
        mf = json.loads((folder / "runs" / rid / "manifest.json").read_text())  # its final path, not the temporary
        assert mf["replay_command"] == f"vixhedge run {folder}/runs/{rid}/config.toml"
    assert "Paired differences vs none" in page and "verdict" in page
    assert "max drawdown (lower is better)" in page and "final NAV (higher is better)" in page
    assert all(rid.startswith("cmp-none-") or rid.startswith("cmp-alvh-") for rid in runs)  # named by mode
    # the reproduce line names the folder's own config and every option: no placeholder (its words with a hyphen
    # in spans that do not wrap: the text without them)
    assert f"vixhedge compare {folder}/config.toml --modes none,alvh --baseline none --n-boot 200 " \
           "--ci-method percentile --engine fast" in re.sub(r"</?span[^>]*>", "", page)
    assert C.load(folder / "config.toml").run.name == "cmp"
    # `vixhedge report` rebuilds a compare folder from its files alone: the same page
    (folder / "report.html").unlink()
    assert main(["report", str(folder)]) == 0
    assert (folder / "report.html").read_text() == page
    assert main(["compare", str(cfgfile), "--modes", "none,bogus"]) == 2
    assert "--modes 'none,bogus' is invalid" in capsys.readouterr().err


def test_bca_paired_table(cmp):
    from vixhedge.compare import _paired

    p = _paired(cmp.results, "none", cmp.config, 300, 10, "bca")
    assert (p["block_days"] == 10).all()
    assert "bca" in set(p["ci_method"])  # at least one statistic gets a BCa interval
    pct = cmp.paired.set_index(["mode", "stat"])["diff"]
    np.testing.assert_array_equal(p.set_index(["mode", "stat"])["diff"], pct)  # same point estimates


def test_compare_sub_runs_take_their_benchmark_from_the_none_mode(cmp, tmp_path):
    """The no-hedge benchmark of each mode's folder is compare's own none run, equal to running it again; the
    page's reproduce and rebuild commands name the folder it was written to (not runs/<id>)."""
    from vixhedge.compare import write_comparison
    from vixhedge.compare_report import rebuild_comparison_report
    from vixhedge.report import write_run

    folder = write_comparison(cmp, tmp_path / "cmp")
    (alvh_dir,) = [p for p in (folder / "runs").iterdir() if "-alvh-" in p.name]
    alone = write_run(cmp.results["alvh"], tmp_path / "alone")  # benchmark run here from scratch
    assert (alvh_dir / "benchmark.csv").read_bytes() == (alone / "benchmark.csv").read_bytes()
    page = (folder / "report.html").read_text(encoding="utf-8")  # its commands name where it was written
    words = re.sub(r"</?span[^>]*>", "", page)  # (a command's hyphenated words are in spans that do not wrap)
    assert f"vixhedge report {folder}<" in words and f"vixhedge compare {folder / 'config.toml'} --modes" in words
    rebuilt = rebuild_comparison_report(folder).read_text(encoding="utf-8")
    assert rebuilt == page  # a rebuild in place names the same folder


def test_table_pnl_rows_sum_to_the_nav_change(cmp):
    """The side-by-side table reconciles (the trial: none's -$22,942 condor + -$5,082 fees is not its final NAV
    $1,006,170 less $1m without the cash interest): condor + hedge + fees + interest P&L = final NAV - initial cash,
    per mode, to the cents metrics.json rounds each to (4 x 0.005)."""
    cash = cmp.config.run.initial_cash_usd  # $1,000,000, the default config's
    for mode in cmp.results:
        rows = cmp.table.loc[["condor_pnl_usd", "hedge_pnl_usd", "fees_pnl_usd", "interest_pnl_usd"], mode]
        assert rows.sum() == pytest.approx(cmp.table.loc["end_nav_usd", mode] - cash, abs=0.02), mode
    assert "interest P&L (higher is better)" in format_comparison(cmp)


def test_a_window_too_short_for_the_bootstrap_gets_the_table_alone(tmp_path, capsys, monkeypatch):
    """Trial RS35 (2026-12-06): `vixhedge compare --period volmageddon` (19 sessions) was refused whole, so the
    episode had no side-by-side table: a window under a sweep's side (vixhedge.sweep_spec.MIN_SIDE_SESSIONS, 20) gets
    the table and one line for the paired differences, paired.csv its header alone and no paired.png. 2015-06-01 ..
    2015-06-25 holds 19 NYSE sessions (no holiday in June 2015), .. 06-26 holds 20; .. 06-02 holds 2, fewer than a run
    takes (vixhedge.window.check_window: 3): refused in one line before the market is built."""
    import feeds.market

    from vixhedge.compare_args import check_sessions, paired_sessions
    from vixhedge.sweep_spec import MIN_SIDE_SESSIONS

    assert MIN_SIDE_SESSIONS == 20
    assert main(["compare", "--start", "2015-06-01", "--end", "2015-06-25", "--runs-dir", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    line = ("paired differences: not computed: the window holds 19 sessions, fewer than the 20 its block bootstrap "
            "needs: read the table alone; a window of more sessions (--start/--end, without --period) gives them with "
            "CIs")
    assert line in out.splitlines() and "paired difference vs" not in out and "final NAV" in out
    # the window's caveats under the table whose annualised figures they qualify (trial VIS30: they sat under the
    # paired section, away from the 19-session CAGR they warn of), the page's in a banner over it
    lines = out.splitlines()
    short = lines.index(next(ln for ln in lines if ln.startswith("window caveat: only 19 sessions")))
    assert lines[short - 1].startswith("ruined ") and lines[short + 2].startswith("Sharpe: ")
    (folder,) = tmp_path.iterdir()
    assert (folder / "paired.csv").read_text() == ("mode,baseline,stat,diff,ci_low,ci_high,ci_method,block_days,days,"
                                                   "ci_borderline,p_value,p_holm\n")
    page = html.unescape((folder / "report.html").read_text())
    assert not (folder / "paired.png").exists() and line in page
    assert page.index("<b>Caveat:</b> only 19 sessions") < page.index(">metric</th>") < page.index(line)
    assert "window caveat" not in page
    assert json.loads((folder / "comparison.json").read_text())["paired_caveats"][0] == line
    short = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-06-25"})
    assert check_sessions(short) == 19 and not paired_sessions(19) and paired_sessions(20)
    monkeypatch.setattr(feeds.market, "build_market", lambda *a, **k: pytest.fail("built the market first"))
    assert main(["compare", "--start", "2015-06-01", "--end", "2015-06-02", "--runs-dir", str(tmp_path / "x")]) == 2
    assert capsys.readouterr().err.strip().splitlines() == [
        "vixhedge: --start/--end = 2015-06-01..2015-06-02 holds 2 sessions: compare needs at least 3, as a run: "
        "widen the window"]
    assert not (tmp_path / "x").exists()


def test_an_ad_files_warnings_print_once_not_once_per_mode(tmp_path, caplog):
    """A compare with an A/D file printed the file's warnings (its bad rows, the sessions it misses) once per mode:
    the modes share one Market, and a warning about the file is said once for it (strategies.signalset._warn_once).
    The file here holds 2015-01-02 .. 2015-03-31 with one row scaled x10 (a bad row), the window 2015-06-01 ..
    2015-07-31 (sessions without A/D): each warning comes once for the three modes."""
    import logging

    market = build_market(C.load_default().market)
    dates = market.dates[(market.dates >= "2015-01-02") & (market.dates <= "2015-03-31")]
    adv = np.full(len(dates), 300)
    adv[5] = 3_000  # advances + declines 3,200 against the usual 500: a bad row (feeds.breadth.TOTAL_BAND)
    path = tmp_path / "ad.csv"
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "sp500_advancers": adv, "sp500_decliners": 200}).to_csv(
        path, index=False)
    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-07-31"},
                    hedge={"fomc": {"ad_csv": str(path)}})
    with caplog.at_level(logging.WARNING):
        compare(cfg, market, n_boot=100)
    # each tagged with the mode that first read the file, as the command prints it (plug-in trial 2026-12-04, finding 3)
    said = [m for r in caplog.records if (m := re.sub(r"^vixhedge \[none\]: ", "", r.getMessage())) != r.getMessage()
            and m.startswith(f"A/D file {path}")]
    assert len(said) == 2 and "1 bad row(s) not used" in said[0] and "have no A/D" in said[1]


def test_the_total_pnl_difference_is_the_final_nav_difference_with_a_ci(cmp):
    """Trial RS33 (2026-12-06): compare said which mode ended ahead on NAV with no interval, so "alvh ahead of static
    in 27 of 57 windows" could not say whether any one lead was more than noise. paired.csv's ``pnl_usd`` row: the
    difference of the two runs' total P&L, which with the same starting cash is the difference of their final NAVs
    (each run's own daily.csv, compare's table ``end_nav_usd``), with the CI of the same day blocks resampled: the day
    steps' returns compounded from the NAV they start at per draw (review 30), the first day's P&L (its fills precede
    the first step) added as it is."""
    from vixhedge.compare import legs

    p = cmp.paired.set_index(["mode", "stat"])
    for mode in ("static", "alvh"):
        row = p.loc[(mode, "pnl_usd")]
        ends = cmp.table.loc["end_nav_usd"]
        assert row["diff"] == pytest.approx(ends[mode] - ends["none"], abs=1e-6), mode  # (compounded: ~1e-9 off)
        (leg, first), (base, base_first) = legs(cmp.results[mode]), legs(cmp.results["none"])
        low, high, _, _ = bs.paired_intervals(lambda r, c, rf, nav0: np.array([nav0[0] * (np.prod(1 + r) - 1)]),
                                              leg, base, int(row["block_days"]), 300, cmp.config.run.seed)
        shift = first[4] - base_first[4]
        assert (row["ci_low"], row["ci_high"]) == pytest.approx((low[0] + shift, high[0] + shift), rel=1e-12)
    text = format_comparison(cmp)
    assert "total P&L, USD (higher is better)" in text


def test_each_paired_row_carries_the_p_value_of_its_own_draws(cmp):
    """Session 34 (STAT32's carried "no multiple-comparison adjustment anywhere"): paired.csv's ``p_value`` is the
    two-sided percentile-bootstrap p-value (:func:`vixhedge.bootstrap.two_sided_p`) of the very draws its CI came
    from, redrawn here for the total P&L as the test above does; the caveats end with the Holm line over them."""
    from vixhedge.compare import legs
    from vixhedge.compare_text import paired_caveats

    p = cmp.paired.set_index(["mode", "stat"])
    for mode in ("static", "alvh"):
        row = p.loc[(mode, "pnl_usd")]
        (leg, first), (base, base_first) = legs(cmp.results[mode]), legs(cmp.results["none"])
        *_, draws = bs.paired_intervals(lambda r, c, rf, nav0: np.array([nav0[0] * (np.prod(1 + r) - 1)]),
                                        leg, base, int(row["block_days"]), cmp.paired.attrs["n_boot"],
                                        cmp.config.run.seed)
        assert row["p_value"] == bs.two_sided_p(draws[:, 0] + first[4] - base_first[4])
    excludes = (cmp.paired["ci_low"] > 0) | (cmp.paired["ci_high"] < 0)
    assert ((cmp.paired["p_value"] < 0.05) == excludes).all()  # (none of the default's 10 lies near 0.05)
    assert paired_caveats(cmp.paired, 1000)[-1].startswith("CI caveat: Holm's adjustment of their p-values")


def test_paired_p_holm_is_holm_of_the_ten_p_values_and_what_the_line_holds(cmp, tmp_path):
    """Trial RS37 L4: the Holm-adjusted p was in the console's line only. The default compare tests all 10 intervals
    (no twin, no n/a Sharpe), so ``p_holm`` is verdicts.holm of the 10 ``p_value`` (Holm 1979; test_holm checks holm
    against closed testing, and the family's exclusions); at this fixture's 300 draws none can hold, as the line says;
    paired.csv writes the column."""
    from vixhedge.compare import write_comparison
    from vixhedge.compare_text import paired_caveats
    from vixhedge.verdicts import holm

    p = cmp.paired
    assert len(p) == 10 and p["p_holm"].tolist() == holm(p["p_value"].to_numpy()).tolist()
    assert "none can hold at 300 draws" in paired_caveats(p, 1000)[-1] and (p["p_holm"] > 0.05).all()
    folder = write_comparison(cmp, tmp_path)
    back = pd.read_csv(folder / "paired.csv")
    assert back["p_holm"].to_numpy() == pytest.approx(p["p_holm"].to_numpy(), rel=1e-9)
    # trial RS38 L1: the page reads paired.csv; at 10 significant digits a hedge cost of 74316.49999... read back as
    # 74316.5 printed +74,317 beside the console's +74,316: every float is written in full (its shortest repr)
    for col in ("diff", "ci_low", "ci_high", "p_value"):
        assert back[col].tolist() == p[col].tolist(), col
    text = [ln for ln in format_comparison(cmp).splitlines() if ln.startswith(("  static  ", "  alvh  "))]
    assert len(text) == 10 and all(ln.endswith("unclear (CI includes 0)  Holm p 1.000") for ln in text)  # (VIS35 H1)
    page = (folder / "report.html").read_text()  # the page's paired table: a Holm p column, p_figure's 3 decimals
    assert "verdict</th><th>Holm p</th></tr>" in page and page.count("<td>1.000</td></tr>") == 10
    assert "on ONE market path; config default; engine " in page  # (trial VIS35 L5: a preset's name was nowhere)


def test_a_draw_loses_at_most_the_nav_it_starts_with():
    """Review 30: the total P&L summed the days' dollar changes, so a draw holding a ruin's day (static's -$866k on
    the README's ruin compare) three times lost -$2.6m of a $1m account ([-2,616,433, -13,491]). Compounded from
    its starting NAV, a draw of a ruin day any number of times loses the NAV, no more: here $1m, twice -100%."""
    from vixhedge.compare import leg_stats

    a = C.load_default().analysis
    r = np.array([-1.0, 0.05, -1.0, 0.02])  # a resampled leg that drew its ruin day twice
    assert leg_stats(r, np.zeros(4), np.zeros(4), np.full(4, 1e6), a)[4] == -1e6
    assert leg_stats(np.array([0.1, -0.5]), np.zeros(2), np.zeros(2), np.full(2, 2e5), a)[4] == pytest.approx(-9e4)


def test_a_folder_written_before_a_statistic_draws_no_panel_of_it(cmp):
    """Review 30: a compare folder written before `pnl_usd` (its paired.csv has the four older statistics), redrawn
    by `vixhedge report`, drew a fifth panel "n/a" with ticks "$0 $0 $0"."""
    import dataclasses

    from vixhedge.compare_report import fig_paired

    old = cmp.paired[cmp.paired["stat"] != "pnl_usd"].copy()
    old.attrs.update(cmp.paired.attrs)
    fig = fig_paired(dataclasses.replace(cmp, paired=old))
    assert [ax.get_title().split(",")[0].split(" (")[0] for ax in fig.axes] == [
        "Sharpe", "max drawdown", "CVaR 95%", "hedge net cost"]



def test_the_overlay_draws_each_of_many_modes_alike_of_no_other(cmp):
    """Trial RS38 M2: a 13-mode ablation's overlay.png drew no_cross_down and no_ad_filter both orange (matplotlib's
    cycle holds 10). Twelve modes (alvh's run, its NAV shifted per mode so no two are the same line): the first ten in
    matplotlib's ten colours (tab10, matplotlib's colour tables), solid, the next two in the first two colours
    dash-dotted (trial VIS36: tab20's lighter tones read as the same hue)."""
    import dataclasses

    from matplotlib.colors import to_hex

    from vixhedge.compare_report import fig_overlay, line_colors

    res = cmp.results["alvh"]
    many = {f"m{i}": dataclasses.replace(res, daily=res.daily.assign(nav_usd=res.daily["nav_usd"] + 1e4 * i))
            for i in range(12)}
    fig = fig_overlay(dataclasses.replace(cmp, results=many))
    drawn = [(to_hex(ln.get_color()), ln.get_linestyle()) for ln in fig.axes[0].lines]
    assert len(drawn) == 12 == len(set(drawn)) and len(set(map(to_hex, line_colors()))) == 10
    assert drawn[:2] == [("#1f77b4", "-"), ("#ff7f0e", "-")] and drawn[10:] == [("#1f77b4", "-."), ("#ff7f0e", "-.")]


def test_off_a_terminal_compare_says_its_progress_in_plain_lines(tmp_path, capsys):
    """Trial RS38 L4: a 145 s compare into a log said nothing until its table (the bars draw on a terminal only).
    Off one (pytest's captured stderr), a line at each tenth of the days and of the draws (sweep_progress.PlainLines,
    at most every 10 s, and at the last: so here the last alone); none with -q. 2016-01-04..2016-03-31: 61 sessions
    x 2 modes = 122 days; 1 pair x 200 draws."""
    args = ["compare", "--start", "2016-01-04", "--end", "2016-03-31", "--modes", "none,alvh", "--n-boot", "200",
            "--runs-dir", str(tmp_path)]
    assert main(args) == 0
    err = capsys.readouterr().err.splitlines()
    assert any(ln.startswith("vixhedge compare: 122 of 122 days (100%), ") for ln in err)
    assert any(ln.startswith("vixhedge compare: 200 of 200 bootstrap draws (100%), ") for ln in err)
    assert main([*args, "-q"]) == 0
    assert "vixhedge compare: " not in capsys.readouterr().err
