"""A finished sweep's statistics and its page: the deflated Sharpe ratio, SPA / StepM against no hedge, the
Sharpe's basis, report.html's labels, heatmaps on one colour scale per metric, the top points and the in- against
out-of-sample plot, and a point ruined in sample."""

import dataclasses
import datetime as dt
import html
import math
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from feeds.market import build_market
from tests.vixhedge.sweep_cases import write_spec
from vixhedge import sweep as sw
from vixhedge import sweep_metrics
from vixhedge.core import config as C
from vixhedge.run import run_backtest


@pytest.fixture(scope="module")
def market():
    return build_market(C.MarketConfig())


def test_deflated_sharpe_single_trial_is_the_probabilistic_sharpe():
    r = np.random.default_rng(1).normal(0.001, 0.01, 500)
    sr = r.mean() / r.std(ddof=1)
    from scipy.stats import kurtosis, skew
    g3, g4 = skew(r), kurtosis(r, fisher=False)
    psr = norm.cdf(sr * math.sqrt(len(r) - 1) / math.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr ** 2))
    assert sw.deflated_sharpe(r, np.array([sr])) == pytest.approx(psr, rel=1e-12)
    # more trials with spread-out Sharpe ratios raise the bar
    many = sw.deflated_sharpe(r, np.random.default_rng(2).normal(0, 0.05, 200))
    assert many < psr


def test_deflated_sharpe_benchmark_of_a_hundred_trials() -> None:
    """Trial MUT2 (D3, X19): the benchmark's Gumbel term and the trials' sample variance were caught only by a README
    count. Bailey & Lopez de Prado (2014), eq. for E[max SR]: with N = 100 trials of sample variance v (ddof 1),
    SR0 = sqrt(v) x ((1 - g) Phi^-1(1 - 1/100) + g Phi^-1(1 - 1/(100 e))) = sqrt(v) x 2.53060, g = 0.57722 (by
    hand); the DSR is Phi((SR - SR0) sqrt(T - 1) / sqrt(1 - g3 SR + (g4 - 1)/4 SR^2))."""
    from scipy.stats import kurtosis, skew

    r = np.random.default_rng(3).normal(0.0012, 0.01, 400)
    trials = np.random.default_rng(4).normal(0.0, 0.04, 100)
    sr, sr0 = r.mean() / r.std(ddof=1), math.sqrt(np.var(trials, ddof=1)) * 2.53060
    g3, g4 = skew(r), kurtosis(r, fisher=False)
    want = norm.cdf((sr - sr0) * math.sqrt(len(r) - 1) / math.sqrt(1 - g3 * sr + (g4 - 1) / 4 * sr ** 2))
    assert sw.deflated_sharpe(r, trials) == pytest.approx(want, abs=2e-5)  # (2.53060 to 5 decimals)


def test_sweep_summary_report_and_snooping_tests(tmp_path, market):
    """A finished sweep: SPA/StepM over every point against the no-hedge baseline, and a report.html."""
    from vixhedge import sweep_returns
    from vixhedge.sweep_report import render_sweep, swept_keys, write_sweep_report

    spec = sw.load_spec(write_spec(tmp_path, fast="[8, 10, 12]"))
    out = tmp_path / "out"
    results = sw.run_sweep(spec, out, market, progress=False)
    summary = sw.summarize(results, spec, market)
    df = pd.read_csv(results)
    sn = summary["snooping"]
    assert sn["points_tested"] == sn["points_finished"] == len(df) == 6
    assert 0.0 <= sn["spa_pvalue_lower"] <= sn["spa_pvalue"] <= sn["spa_pvalue_upper"] <= 1.0
    assert 0 <= sn["stepm_superior"] <= 6 and sn["block_days"] >= 1
    # the stored returns are each point's in-sample daily returns, exactly
    p0 = next(p for p in sw.expand(spec)[0] if p.key == df["point"].iloc[0])
    d = run_backtest(p0.config, market).daily
    is_nav = d["nav_usd"][pd.to_datetime(d.index) <= pd.Timestamp(spec.in_sample_end)].to_numpy()
    _, m = sweep_returns.load(out, [p0.key], len(is_nav) - 1)
    # the point ran on the kernel: equal to the event path's to float rounding (tests/vixhedge/test_kernel.py)
    np.testing.assert_allclose(m[:, 0], is_nav[1:] / is_nav[:-1] - 1, rtol=0, atol=1e-12)
    # the no-hedge baseline of the same window sits beside the best point
    base = run_backtest(C.replace(spec.base, hedge={"mode": "none"}), market)
    assert summary["baseline_none"]["end_nav_usd"] == base.metrics["performance"]["end_nav_usd"]
    # what Sharpe is over (the default analysis.risk_free = "cash"), in a run report's words on the same window
    from vixhedge.html import rf_label
    assert summary["sharpe_over"] == rf_label(spec.base.analysis, base.metrics["performance"])
    assert summary["sharpe_over"].startswith("cash at the day's short rate, ")
    import json
    (out / "summary.json").write_text(json.dumps(summary, default=str))
    page = write_sweep_report(out).read_text()
    assert swept_keys(df) == ["hedge.macd.fast", "hedge.macd.slow"]
    # one pair of swept keys; in vs out of sample; the best point's NAV against no hedge
    assert page.count('<img src="data:image/png;base64,') == 3
    assert "In sample against out of sample" in page and "rank correlation (Spearman)" in page
    # best_nav.csv: the best point's NAV and the baseline's, every session, ending at their summary figures
    from vixhedge.sweep_figures import read_best_nav

    nav = read_best_nav(out)
    assert list(nav.index.date) == list(base.daily.index.date)  # the window's sessions
    assert nav["best_nav_usd"].iloc[-1] == pytest.approx(summary["best"]["end_nav_usd"], abs=1e-4)  # its 4 decimals
    np.testing.assert_allclose(nav["no_hedge_nav_usd"], base.daily["nav_usd"], rtol=0, atol=5e-7)
    assert "Best point against no hedge" in page and "the dotted line ends the in-sample part (2016-02-29)" in page
    assert "SPA p-value, against no hedge" in page and "StepM points better than no hedge" in page
    assert "SPA p-value, against the static hedge" in page and "deflated Sharpe ratio" in page
    assert "no hedge:" in page and "static:" in page and "<script" not in page
    # the static hedge's NAV beside them (session 14): the [base] config under hedge.mode = static
    static = run_backtest(C.replace(spec.base, hedge={"mode": "static"}), market)
    assert summary["baseline_static"]["end_nav_usd"] == static.metrics["performance"]["end_nav_usd"]
    np.testing.assert_allclose(nav["static_nav_usd"], static.daily["nav_usd"], rtol=0, atol=5e-7)
    assert render_sweep(out) == page  # rebuilt from the folder's files alone: the same page
    # VIS30 (session 30): the figures existed only inline; now also as PNG files, the page's bytes
    import base64
    import re

    inline = [base64.b64decode(b) for b in re.findall(r'<img src="data:image/png;base64,([^"]+)"', page)]
    files = sorted((out / "figures").iterdir())
    assert [f.name for f in files] == ["best_point_against_no_hedge.png",
                                       "heatmap_hedge.macd.fast_x_hedge.macd.slow.png",
                                       "in-sample_vs_out-of-sample_Sharpe.png"]
    assert sorted(f.read_bytes() for f in files) == sorted(inline)
    (out / "best_nav.csv").unlink()  # a folder from before best_nav.csv: the page without that figure
    assert "Best point against no hedge" not in render_sweep(out)
    write_sweep_report(out)  # and its file goes with it (a figure the page no longer draws)
    assert "best_point_against_no_hedge.png" not in {f.name for f in (out / "figures").iterdir()}
    assert f"Sharpe ratios are over {html.escape(summary['sharpe_over'])}." in page


def test_the_sharpe_basis_of_a_constant_rate_or_a_swept_one(tmp_path, market):
    """analysis.risk_free = "constant" at 2%/yr (the spec's own value) is said as such; a swept basis per point."""
    from vixhedge import sweep_summary

    spec = sw.load_spec(write_spec(tmp_path, fast="[8]"))
    const = dataclasses.replace(spec, base=C.replace(spec.base, analysis={"risk_free": "constant",
                                                                        "risk_free_rate": 0.02}))
    assert sweep_summary.sharpe_over(const, market, []) == "a constant 2.00%/yr"
    swept = dataclasses.replace(spec, grid={**spec.grid, "analysis.risk_free": ["cash", "constant"]})
    assert "(swept)" in sweep_summary.sharpe_over(swept, market, [])


def test_sweep_report_formats_labels_and_names(tmp_path, market):
    """The fresh-user trial's rough edges: ``ruined`` "n/a" for every point (results.csv's cell is empty when not
    ruined), "89.4651" / "-0.0000" / "1,589" in one table, raw keys as heatmap titles, an in-sample Sharpe beside a
    whole-window hedge cost, a caption in thousand USD beside a colour bar in USD, the folder's name as title."""
    import json
    import re

    from vixhedge.sweep_heatmap import heatmap_figure
    from vixhedge.sweep_report import _cell, render_sweep

    assert [_cell("ruined", math.nan), _cell("ruined", "2016-08-01")] == ["no", "2016-08-01"]
    assert _cell("sharpe", -0.00001) == "0.00" and _cell("is_sharpe", 0.4567) == "0.46"
    assert _cell("hedge_cost_usd", -0.3) == "$0" and _cell("oos_hedge_cost_usd", 1589.4) == "$1,589"
    assert _cell("end_nav_usd", 960891.7) == "$960,892" and _cell("cagr", -0.0000001) == "0.00%"
    assert _cell("max_drawdown", 0.10612) == "10.61%" and _cell("hedge_layers", np.int64(46)) == "46"
    assert _cell("hedge.macd.fast", np.int64(16)) == "16" and _cell("hedge.dte", 0.5) == "0.5"
    spec = sw.load_spec(write_spec(tmp_path, fast="[8, 12]"))
    out = tmp_path / "out-folder"
    results = sw.run_sweep(spec, out, market, progress=False)
    summary = sw.summarize(results, spec, market)
    (out / "summary.json").write_text(json.dumps(summary, default=str))
    page = render_sweep(out)
    assert "<title>vixhedge sweep t</title>" in page and "out-folder" not in page  # the spec's name
    assert "-0.00" not in page and "-$0" not in page
    top = page[page.index("<h2>Top points</h2>"):]
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", top.replace("<wbr>", ""))  # (a header may break after a dot)
    rows = [re.findall(r"<td[^>]*>([^<]*)</td>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", top)[1:]]
    assert len([r for r in rows if r]) == 3 * 4  # 4 valid points in 3 tables
    assert "No point shown was ruined (its columns not drawn)." in top
    assert {"Sharpe, in sample", "hedge cost ex fees, out of sample", "hedge.macd.fast"} <= set(heads)  # in words
    assert not {"is_sharpe", "oos_hedge_cost_usd"} & set(heads)
    assert ("Left Sharpe, in sample, right hedge cost ex fees, in sample (thousand USD), over hedge.macd.slow (rows) "
            "and hedge.macd.fast (columns)") in page  # (as the heading, y x x: trial VIS38 L2)
    # the best point's table and the subtitle in the heatmaps' words, not results.csv's keys (fresh-user trial N11)
    best_table = page[page.index("<h2>Best point</h2>"):page.index("<h2>Top points</h2>")]
    labels = re.findall(r"<tr><td>([^<]*)</td>", best_table)
    assert {"Sharpe, in sample", "Sharpe, out of sample", "hedge cost ex fees, out of sample",
            "max drawdown, whole window", "end NAV", "hedge layers opened", "peak margin / NAV, out of sample",
            "days cut by capital caps, in sample"} <= set(labels), labels  # (capital: results.csv's, trial CAP)
    row = re.search(r"<tr><td>peak margin / NAV, in sample</td><td>([^<]*)</td>", best_table)
    assert row and row.group(1) == f"{100 * summary['best']['is_peak_margin_utilisation']:.2f}%", row
    assert not {"is_sharpe", "oos_hedge_cost_usd", "sharpe"} & set(labels)
    assert "points chosen on Sharpe, in sample (higher is better)</p>" in page and "on is sharpe" not in page
    assert "Chosen in sample (up to the split) on Sharpe, in sample (higher is better);" in page
    df = pd.read_csv(results)
    best = df[df["point"] == summary["best"]["point"]].iloc[0]
    fig = heatmap_figure(df, "hedge.macd.fast", "hedge.macd.slow", best)
    sharpe_ax, sharpe_bar, cost_ax, cost_bar = fig.axes[0], fig.axes[2], fig.axes[1], fig.axes[3]
    assert [sharpe_ax.get_title(), cost_ax.get_title()] == ["Sharpe, in sample", "hedge cost ex fees, in sample (thousand USD)"]
    assert [sharpe_bar.get_ylabel(), cost_bar.get_ylabel()] == ["Sharpe ratio", "thousand USD"]
    cells = sorted(float(t.get_text()) for t in cost_ax.texts)  # the in-sample cost of each point, in thousand USD
    np.testing.assert_allclose(cells, sorted(df["is_hedge_cost_usd"] / 1000), atol=0.05)
    # a small grid's cell values in 9 points (trial VIS30: at 7 points, 6 pixels tall at 1100 px)
    assert {t.get_fontsize() for t in cost_ax.texts} == {9.0}


def test_sweep_report_in_headless_chromium(tmp_path, market, rendered):
    import json

    from vixhedge.sweep_report import write_sweep_report

    spec = sw.load_spec(write_spec(tmp_path, fast="[8, 12]"))
    out = tmp_path / "out"
    results = sw.run_sweep(spec, out, market, progress=False)
    (out / "summary.json").write_text(json.dumps(sw.summarize(results, spec, market), default=str))
    dom, _ = rendered(write_sweep_report(out))
    heads = [text for tag, _, text in dom if tag == "h2"]
    # the in- against out-of-sample scatter (session 8) is drawn for this spec's split: a figure of its own; each
    # key's values after the heatmaps (trial RS39 M4)
    assert heads == ["Best point", "hedge.macd.slow x hedge.macd.fast", "Each key's values",
                     "In sample against out of sample",
                     "Best point against no hedge", "Top points"]
    assert sum(tag == "img" for tag, _, _ in dom) == 3
    cells = [text for tag, _, text in dom if tag == "td"]
    assert "SPA p-value, against no hedge" in cells and "StepM points better than no hedge" in cells
    assert "SPA p-value, against the static hedge" in cells and "deflated Sharpe ratio" in cells


def test_a_point_ruined_in_sample_has_nan_out_of_sample_metrics():
    """Ruined on day 3 of 6 with the split after day 4: the in-sample side ends at the ruin (NAV 0, drawdown
    100%), the out-of-sample side has no span (NaN), and the evaluation returns are 0 after the ruin. Its capital
    figures (requirements 50, 80 and 99 USD, a cap cutting orders on days 1, 3 and 5, margin calls on days 2 and 3,
    all written here): the peak utilisation over days with NAV > 0 (80 / 90), the cap days of the valid span less the
    ruin day (day 1 only), its margin-call days likewise (day 2 only). The capital needed and the peak requirement
    in USD are read on the valid span, the ruin day in it (as metrics.json's capital): 100 USD of initial cash less
    the ruin day's lowest excess liquidity (-300: its check, the breach the ruin is), not the -999 written after it;
    the peak requirement 99 (the ruin day's, as written here: a run's is 0 then, its account closed)."""
    days = np.arange(np.datetime64("2018-02-01"), np.datetime64("2018-02-07"))
    nav = np.array([100.0, 90.0, 0.0])  # the valid span: to the ruin day, NAV 0 on it
    a = C.replace(C.load_default(), analysis={"risk_free": "constant"}).analysis  # no market days needed
    flat = SimpleNamespace(cash_returns=lambda d: np.zeros(len(d) - 1))  # cash earning nothing: no interest
    row = sweep_metrics.metrics_row(nav, np.zeros(len(days)), np.zeros(len(days)), days, 2, a, dt.date(2018, 2, 4),
                                    flat, "2018-02-03", margin=np.array([50.0, 80.0, 99.0, 0.0, 0.0, 0.0]),
                                    capped=np.array([True, False, True, False, True, False]),
                                    called=np.array([False, True, True, False, False, False]),
                                    excess=np.array([40.0, -20.0, -300.0, -999.0, -999.0, 0.0]), cash=100.0,
                                    causes=[np.zeros(len(days))] * 4)
    assert row["ruined"] is True and row["ruin_date"] == "2018-02-03" and row["is_max_drawdown"] == 1.0
    assert all(math.isnan(row[f"oos_{k}"]) for k in (*sweep_metrics.SIDE_METRICS, *sweep_metrics.CAPITAL_METRICS))
    assert row["peak_margin_utilisation"] == row["is_peak_margin_utilisation"] == 80.0 / 90.0
    assert row["days_cut_by_capital_caps"] == row["is_days_cut_by_capital_caps"] == 1
    assert row["days_with_margin_call"] == row["is_days_with_margin_call"] == 1
    assert row["capital_needed_usd"] == row["is_capital_needed_usd"] == 400.0
    assert row["peak_margin_usd"] == row["is_peak_margin_usd"] == 99.0
    np.testing.assert_allclose(row[sweep_metrics.RETURNS_KEY], [-0.1, -1.0, 0.0], rtol=0, atol=1e-15)


def _three_key_folder(tmp_path):
    """A sweep folder written by hand: 3 x 2 x 2 points over keys a, b, c; in-sample Sharpe -0.11 - 0.05 * a
    - 0.10 * c (every point below the no-hedge -0.10, the best -0.16 at a = 1, c = 0), whole-window Sharpe
    rising the other way (so the table's order shows which column it is sorted by)."""
    import json

    rows = []
    for n, (a, b, c) in enumerate((a, b, c) for a in (1, 2, 3) for b in (10, 20) for c in (0, 1)):
        is_sharpe = -0.11 - 0.05 * a - 0.10 * c - 0.001 * b / 10
        rows.append({"point": f"p{n:02d}", "a": a, "b": b, "c": c, "sharpe": -is_sharpe, "cagr": 0.01,
                     "max_drawdown": 0.1, "end_nav_usd": 1e6, "hedge_cost_usd": 1000.0 * a,
                     "hedge_layers": 3, "ruined": False, "ruin_date": "", "is_sharpe": is_sharpe,
                     "is_max_drawdown": 0.05, "is_hedge_cost_usd": 2000.0 * a - 500.0 * c, "oos_sharpe": 0.0,
                     "oos_max_drawdown": 0.05, "oos_hedge_cost_usd": 0.0})
    df = pd.DataFrame(rows)
    out = tmp_path / "three"
    out.mkdir()
    df.to_csv(out / "results.csv", index=False)
    best = df.loc[df["is_sharpe"].idxmax()]
    base = {"is_sharpe": -0.10, "sharpe": -0.2, "is_hedge_cost_usd": 0.0, "hedge_cost_usd": 0.0}
    (out / "summary.json").write_text(json.dumps({"finished": len(df), "points": len(df), "invalid": 0,
                                                  "best": {k: (v.item() if hasattr(v, "item") else v)
                                                           for k, v in best.items()},
                                                  "baseline_none": base}))
    return out, df, best, base


def test_heatmaps_share_one_colour_scale_per_metric_centred_on_no_hedge(tmp_path):
    """Trial finding: each heatmap had its own red-yellow-green scale over its own span, so the same Sharpe was
    red in one pair and green in another and the best cells dark green though every point was worse than no
    hedge. Now: one scale per metric on the page, yellow (the middle) at the no-hedge value. Trial finding
    (2026-12-04): that scale was symmetric around no hedge, so with every point worse half of it went unused and
    close values looked alike; now it spans the points. The in-sample Sharpes run from -0.362 (a = 3, b = 20, c = 1:
    the folder's formula -0.11 - 0.15 - 0.10 - 0.002) to -0.161 (a = 1, b = 10, c = 0), all below no hedge's -0.10:
    the red half of RdYlGn (0 .. 0.5) spans them from the worst to no hedge; the in-sample costs run from $1,500
    (a = 1, c = 1) to $6,000 (a = 3, c = 0), all above no hedge's $0: the red half of RdYlGn_r (0.5 .. 1) from no
    hedge to the worst. Review (session 9): a half spread over the points' span alone drew the best point in near
    no-hedge yellow though far from it; the half now runs from no hedge to the farthest point."""
    import matplotlib
    from matplotlib.image import AxesImage

    from vixhedge.sweep_heatmap import colour_map, heatmap_figure

    _, df, best, base = _three_key_folder(tmp_path)
    norms = []
    for x, y in (("a", "b"), ("a", "c"), ("b", "c")):
        fig = heatmap_figure(df, x, y, best, base)
        (sharpe_im,) = [a for a in fig.axes[0].get_children() if isinstance(a, AxesImage)]
        (cost_im,) = [a for a in fig.axes[1].get_children() if isinstance(a, AxesImage)]
        norms.append((sharpe_im.norm.vmin, sharpe_im.norm.vmax, cost_im.norm.vmin, cost_im.norm.vmax))
        rdylgn = matplotlib.colormaps["RdYlGn"]
        for at, where in ((0.0, 0.0), (1.0, 0.5)):  # the red half, from the worst point to no hedge's yellow
            np.testing.assert_allclose(sharpe_im.cmap(at), rdylgn(where), atol=1 / 255)
        # the best Sharpe (-0.161) sits at (-0.161 + 0.362) / (-0.10 + 0.362) = 77% of the half: orange, not yellow
        np.testing.assert_allclose(sharpe_im.norm(-0.161), 0.201 / 0.262, atol=1e-9)
        assert "every point worse than no hedge (-0.10)" in fig.axes[2].get_ylabel()
        assert "every point worse than no hedge (0.0)" in fig.axes[3].get_ylabel()
    np.testing.assert_allclose(norms[0][:2], (-0.362, -0.10), rtol=0, atol=1e-12)
    np.testing.assert_allclose(norms[0][2:], (0.0, 6.0), rtol=0, atol=1e-12)
    assert norms[0] == norms[1] == norms[2]
    # points on both sides: yellow (0.5) at no hedge, a scale symmetric about it (visual audit FIG21, below)
    _, norm = colour_map("RdYlGn", -1.0, 0.2, 0.0)
    np.testing.assert_allclose(norm(np.array([-1.0, -0.5, 0.0, 0.1, 0.2])), [0.0, 0.25, 0.5, 0.55, 0.6])


def test_a_heatmap_with_points_both_sides_of_no_hedge_is_symmetric_and_titled(tmp_path):
    """Visual audit FIG21 (`vixhedge sweep examples/macd_grid.toml`): the hedge-cost heatmap spread its green half
    over -$1.2k..$0 and its red half over $0..$85k, so a $1.2k saving was as dark as an $85k cost, and the green half
    had no tick. Now a scale symmetric about no hedge (-$85k..$85k here), ticks on both halves; and the figure names
    the sweep, its window, split and data (it named none: a PNG copied out of the page said nothing of them)."""
    from matplotlib.image import AxesImage

    from vixhedge.sweep_heatmap import heatmap_figure

    _, df, best, base = _three_key_folder(tmp_path)
    df = df.assign(is_hedge_cost_usd=np.linspace(-1200.0, 85000.0, len(df)))  # a saving, and costs up to $85k
    market = {"first_session": "2015-01-02", "last_session": "2016-12-30", "sessions": 504,
              "in_sample_end": "2015-12-31", "words": "real data in /data"}
    fig = heatmap_figure(df, "a", "b", best, base, name="macd-grid", market=market)
    (cost,) = [a for a in fig.axes[1].get_children() if isinstance(a, AxesImage)]
    assert (cost.norm.vmin, cost.norm.vmax) == (-85.0, 85.0)  # thousand USD
    assert cost.norm(-1.2) == pytest.approx(0.5 - 1.2 / 170)  # a $1.2k saving: pale, next to no hedge's yellow
    ticks = [t for t in fig.axes[3].get_yticks() if -85.0 <= t <= 85.0]
    assert min(ticks) < 0 < max(ticks), ticks  # the green half has its ticks
    assert fig.get_suptitle() == ("sweep macd-grid: b x a, the other swept keys at the best point's values\n"
                                  "2015-01-02 .. 2016-12-30 (504 sessions), in sample to 2015-12-31; data: real data "
                                  "in /data")


def test_with_several_books_a_heatmap_colours_each_point_against_its_own(tmp_path):
    """Keys outside [hedge] give points different books (vixhedge.sweep_books); a cell's colour is then its
    difference from its own book without hedge. Hand-made books on key a (a book per a; a written 1.0, 2.0, 3.0 in
    summary.json as a float grid's TOML values would be, the CSV reading back 1, 2, 3): unhedged in-sample Sharpe
    -0.15 - 0.05 * a, so the points (-0.11 - 0.05 * a - 0.10 * c - 0.001 * b / 10) beat their own book by
    0.04 - 0.10 * c - 0.0001 * b: from +0.039 (c = 0, b = 10) to -0.062 (c = 1, b = 20), both sides of it."""
    from matplotlib.image import AxesImage

    from vixhedge.sweep_figures import split_section
    from vixhedge.sweep_heatmap import heatmap_figure, own_baseline

    _, df, best, base = _three_key_folder(tmp_path)
    books = {"keys": ["a"], "count": 3, "tests": "own", "baselines": [
        {"values": {"a": float(a)}, "none": {"is_sharpe": -0.15 - 0.05 * a, "is_hedge_cost_usd": 0.0,
                                             "oos_sharpe": -0.01}} for a in (1, 2, 3)]}
    own = own_baseline(df, books, "is_sharpe")
    np.testing.assert_allclose(own, -0.15 - 0.05 * df["a"], rtol=0, atol=1e-15)
    assert own_baseline(df, {**books, "baselines": books["baselines"][:1]}, "is_sharpe") is None  # one book
    assert own_baseline(df.assign(a=df["a"] + 10), books, "is_sharpe").isna().all()  # no book of theirs: none
    thirds = {**books, "baselines": [{**b, "values": {"a": b["values"]["a"] / 6.0}} for b in books["baselines"]]}
    written = df.assign(a=[float(f"{a / 6.0:.10g}") for a in df["a"]])  # review 24: 0.1666666666666 in the spec,
    assert not own_baseline(written, thirds, "is_sharpe").isna().any()  # 0.1666666667 in results.csv: one book
    fig = heatmap_figure(df, "a", "b", best, base, books=books)
    (sharpe,) = [a for a in fig.axes[0].get_children() if isinstance(a, AxesImage)]
    assert (sharpe.norm.vmin, sharpe.norm.vmax) == pytest.approx((-0.062, 0.062), abs=1e-12)
    shade = sharpe.get_array()  # the slice at c = 0: each cell 0.04 - 0.0001 * b above its own book
    np.testing.assert_allclose(shade, [[0.039] * 3, [0.038] * 3], rtol=0, atol=1e-12)
    assert fig.axes[2].get_ylabel() == ("Sharpe ratio less its own book's without hedge;\n"
                                        "line: level; green better, red worse")
    assert fig.axes[3].get_ylabel() == ("thousand USD less its own book's without hedge;\n"
                                        "no point better: the red half")
    summary = {"best": {"point": best["point"]}, "baseline_none": base, "books": books}
    caption = split_section(df, summary, "is_sharpe")
    assert "6 of 12 points beat their own book without hedge in sample" in caption  # the c = 0 half
    assert "12 of 12 points beat their own book without hedge out of sample" in caption  # 0.0 > -0.01
    old = {"best": {"point": best["point"]}, "baseline_none": base, "baselines_apart": {"a": ["2", "1"]}}
    assert "dashed lines: the [base] config without hedge." in split_section(df, old, "is_sharpe")  # review 24:
    assert "dashed lines: the best point&#x27;s config without hedge." in caption  # a folder from before books


def test_the_own_book_figures_words_counts_and_colours(tmp_path, monkeypatch):
    """Trial MUT24B's survivors in the page's own-book figures, on the hand-made folder above (books on key a,
    unhedged in-sample Sharpe -0.15 - 0.05 * a): the colour bar's line at level (both sides present), the caption's
    words, each cell's text colour read off its own shade, a count of points level with their book (one made so),
    as written (10 digits) against a single baseline too, an out-of-sample count without an in-sample one, the
    scatter's legend, and an old folder's equity caption."""
    from matplotlib.image import AxesImage

    from vixhedge import sweep_figures
    from vixhedge.sweep_heatmap import heatmap_figure, heatmaps

    folder, df, best, base = _three_key_folder(tmp_path)
    df = df.assign(is_sharpe=[float(f"{v:.10g}") for v in df["is_sharpe"]])  # as results.csv holds it
    books = {"keys": ["a"], "count": 3, "tests": "own", "baselines": [
        {"values": {"a": a}, "none": {"is_sharpe": -0.15 - 0.05 * a, "oos_sharpe": -0.01}} for a in (1, 2, 3)]}
    fig = heatmap_figure(df, "a", "b", best, base, books=books)
    assert len(fig.axes[2].get_lines()) == 1  # the line at 0: level with its own book
    (im,) = [a for a in fig.axes[0].get_children() if isinstance(a, AxesImage)]
    shade = im.get_array()
    for (i, j), text in zip(np.ndindex(shade.shape), fig.axes[0].texts):
        r, g, b, _ = im.cmap(im.norm(shade[i, j]))
        assert text.get_color() == ("black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white")
    summary = {"best": {"point": best["point"]}, "baseline_none": base, "books": books}
    assert "yellow at each point&#x27;s own book (its a) without hedge" in heatmaps(df, summary, ["a", "b", "c"],
                                                                                  "is_sharpe")
    level = df.loc[df["point"] == "p00", "is_sharpe"].iloc[0]  # a = 1, b = 10, c = 0: its book made level with it
    books["baselines"][0]["none"]["is_sharpe"] = level
    assert "4 of 12 points beat their own book without hedge in sample, 1 level with it" in \
        sweep_figures.split_section(df, summary, "is_sharpe")
    single = {"best": {"point": best["point"]}, "baseline_none": {"is_sharpe": level + 1e-13}}
    assert "beat no hedge in sample (Sharpe -0.16), 1 level with it" in \
        sweep_figures.split_section(df, single, "is_sharpe")
    oos_only = {"best": {"point": best["point"]}, "baseline_none": {"oos_sharpe": -1.0}}
    assert "; 12 of 12 points beat no hedge out of sample" in sweep_figures.split_section(df, oos_only, "is_sharpe")
    labels = []
    real = sweep_figures.split_figure
    monkeypatch.setattr(sweep_figures, "split_figure", lambda *a, **k: labels.append(a[6]) or real(*a, **k))
    sweep_figures.split_section(df, summary, "is_sharpe")
    sweep_figures.split_section(df, single, "is_sharpe")
    assert labels == ["the best point's book, no hedge", "no hedge"]
    fig = real(df, {"is_sharpe": -0.2, "oos_sharpe": 0.0}, best["point"], "sharpe", None, None, "the book, no hedge")
    assert "the book, no hedge" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    pd.DataFrame({"date": ["2015-01-02", "2015-01-05"], "best_nav_usd": [1e6, 1.01e6],
                  "no_hedge_nav_usd": [1e6, 1.02e6]}).to_csv(folder / "best_nav.csv", index=False)
    old = {"baselines_apart": {"a": ["2", "1"]}}
    assert "and the same [base] config&#x27;s without hedge" in sweep_figures.equity_section(folder, old)
    assert "and the same config&#x27;s without hedge" in sweep_figures.equity_section(folder, {})


def test_top_points_lead_with_their_sort_key_and_name_every_column(tmp_path):
    """Trial finding: the table was sorted by in-sample Sharpe but that was column 13, off-screen right of the
    empty ruined / ruin date columns, and `cagr` was a raw key. Now the sort key follows the point's swept
    values, the page says what it is sorted by, every metric in words. Trial VIS30: one table of 43 columns showed
    14 in its box, an all-zero column among them: three tables of the same rows (rank, P&L, capital), each row
    numbered, a column 0 for every point shown named under them, ruined / ruin date only when a point was."""
    import re

    from vixhedge import sweep_heatmap, sweep_report
    from vixhedge.sweep_report import render_sweep

    def tables(page):
        top = page[page.index("<h2>Top points</h2>"):]
        out = []
        for t in re.findall(r"<table.*?</table>", top, re.S):
            heads = re.findall(r"<th[^>]*>([^<]*)</th>", t.replace("<wbr>", ""))  # (a header may break after a dot)
            rows = [re.findall(r"<td[^>]*>([^<]*)</td>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", t)[1:]]
            out.append((heads, rows))
        return top, out

    out, df, _, _ = _three_key_folder(tmp_path)
    top, ((heads, rows), (pnl_heads, pnl_rows)) = tables(render_sweep(out))  # (no capital column in this folder)
    assert heads[:5] == ["#", "a", "b", "c", "Sharpe, in sample"]
    judge = [sweep_heatmap.label(c) for c in sweep_report.JUDGE if c in df.columns and c != "is_sharpe"]
    assert heads[5:] == judge  # the figures that judge a point right after the sort key
    assert pnl_heads == ["#", "a", "b", "c", "end NAV", "CAGR, whole window", "hedge layers opened", "point"]
    assert "The capital they take" not in top and "No point shown was ruined (its columns not drawn)." in top
    assert top.endswith("<code>vixhedge report</code> on this folder (nothing runs again).</p>\n</body>\n</html>\n")
    assert "<p>Every point, sorted by Sharpe, in sample, best first (ties in grid order), in tables of" in top
    shown = [float(r[4]) for r in rows]
    assert shown == sorted(shown, reverse=True) and len(rows) == 12  # 3 x 2 x 2 points
    assert [r[:4] for r in pnl_rows] == [r[:4] for r in rows]  # the same rows, numbered alike
    assert [r[-1] for r in pnl_rows][:2] == ["p00", "p02"]  # the best two: a = 1, c = 0, b = 10 then 20
    # a cause 0 for every point is named, not drawn; a ruined point brings ruined / ruin date to the capital table
    df["hedge_option_marks_usd"], df["peak_margin_usd"], df["is_peak_margin_usd"] = 0.0, 250000.0, 240000.0
    df["ruined"], df["ruin_date"] = df["point"] == "p11", (df["point"] == "p11").map({True: "2018-02-05", False: ""})
    df.to_csv(out / "results.csv", index=False)
    top, (_, (pnl_heads, _), (cap_heads, cap_rows)) = tables(render_sweep(out))
    assert "hedge P&amp;L: VIX options&#x27; marks" not in "".join(pnl_heads)
    assert "<p>Not drawn, 0 for every point shown: hedge P&amp;L: VIX options&#x27; marks, whole window.</p>" in top
    assert cap_heads == ["#", "a", "b", "c", "peak margin requirement, whole window", "ruined", "ruin date"]
    assert ["yes", "2018-02-05"] in [r[-2:] for r in cap_rows] and "No point shown was ruined" not in top


def test_the_page_counts_the_pairs_it_leaves_out_and_plots_in_against_out_of_sample(tmp_path, monkeypatch):
    """Determinism trial, session 8 (2026-12-04): six swept keys drew 6 of their 15 heatmap pairs, silently (the
    README said every pair), and nothing showed whether the in-sample ranking carried out of sample. MAX_PAIRS is
    15 (every pair of 6 keys) and the page counts those it leaves out; with a split, a scatter of in-sample against
    out-of-sample Sharpe, its caption the rank correlation and the points beating no hedge (here in sample only:
    the folder's baseline has no out-of-sample Sharpe; every in-sample Sharpe is below its -0.10)."""
    from vixhedge import sweep_heatmap, sweep_report

    out, df, _, _ = _three_key_folder(tmp_path)
    page = sweep_report.render_sweep(out)
    assert "more pair" not in page and page.count("<h2>heatmap") == 0 and page.count("<h2>b x a</h2>") == 1
    assert "In sample against out of sample" in page and "; 0 of 12 points beat no hedge in sample (Sharpe -0.10)" in page
    monkeypatch.setattr(sweep_heatmap, "MAX_PAIRS", 2)
    page = sweep_report.render_sweep(out)
    assert "<p>1 more pair of the 3 varied keys is not drawn (at most 2 heatmaps a page)" in page


def test_axis_values_that_changed_nothing_are_noted():
    """Researcher trial, session 13: hedge.next_layer_multiple 1.5 and 2 gave identical rows in a 2020 H1 sweep (every
    stacked layer took the expanding multiple), unnoted; the summary names such values, and an axis none of whose
    values changed a result. Made-up rows: a x b, b's values 1 and 2 identical, c's all identical."""
    from vixhedge.sweep_summary import identical_axes
    from vixhedge.sweep_text import format_summary

    rows = [{"point": f"p{a}{b}{c}", "a": a, "b": b, "c": c, "sharpe": 0.1 * a + (0.5 if b == 3 else 0.0)}
            for a in (1, 2) for b in (1, 2, 3) for c in ("x", "y")]
    notes = identical_axes(pd.DataFrame(rows), ["a", "b", "c"])
    assert notes == ["grid.b = 1, 2 gave identical rows for every setting of the other axes",
                     "grid.c changed no result on this window: its 2 values gave identical rows for every setting of "
                     "the other axes"]
    assert identical_axes(pd.DataFrame([r for r in rows if r["c"] == "x"]).drop(columns="c"), ["a", "b"]) == notes[:1]
    text = format_summary({"finished": 12, "points": 12, "identical_axes": notes}, "t", ["a", "b", "c"], Path("f"))
    assert "\n  note: grid.b = 1, 2 gave identical rows" in text


def test_an_axis_that_changed_nothing_where_another_took_a_value_is_noted():
    """Walk-forward trial, session 15: with hedge.review_bars = 0 (no reviews), next_layer_multiple changed no row,
    and the best point was "tied with 3 other points" with no word why. Made-up rows: review x mult x k, where mult
    moves the Sharpe only when review is 5 (k always moves it)."""
    from vixhedge.sweep_summary import identical_axes

    rows = [{"point": f"p{r}{m}{k}", "review": r, "mult": m, "k": k,
             "sharpe": (0.1 * r + 0.01 * m if r else 0.3) + 0.001 * k} for r in (0, 5) for m in (1.5, 3) for k in (1, 2)]
    assert identical_axes(pd.DataFrame(rows), ["review", "mult", "k"]) == [
        "grid.mult changed no result where grid.review = 0: its values gave identical rows there for every setting "
        "of the other axes"]


def test_every_figure_of_the_page_names_the_sweep_its_window_and_data(tmp_path, monkeypatch):
    """Visual audit FIG21: the heatmaps and the in- against out-of-sample scatter did not name the sweep, and the
    "best point against no hedge" figure had no title at all: copied out of the page, none said which sweep, days or
    data. Each now opens with "sweep NAME: what it shows" and, below, the window, the split and the data."""
    import json

    from vixhedge import html as H
    from vixhedge.sweep_figures import figure_title
    from vixhedge.sweep_report import render_sweep

    out, _, _, _ = _three_key_folder(tmp_path)
    summary = json.loads((out / "summary.json").read_text())
    summary["market"] = {"first_session": "2015-01-02", "last_session": "2016-12-30", "sessions": 504,
                         "in_sample_end": "2015-12-31", "words": "real data in /data", "window": "2015-01-01..2016-12-31",
                         "in_sample_sessions": 252, "out_of_sample_sessions": 252}
    (out / "summary.json").write_text(json.dumps(summary))
    (out / "spec.json").write_text(json.dumps({"name": "macd-grid"}))
    days = pd.bdate_range("2015-01-02", "2016-12-30")
    pd.DataFrame({"best_nav_usd": np.linspace(1e6, 1.1e6, len(days)), "no_hedge_nav_usd": 1e6,
                  "static_nav_usd": 1e6}, index=pd.Index(days, name="date")).to_csv(out / "best_nav.csv")
    titles = []
    drawn = H.png_bytes
    monkeypatch.setattr(H, "png_bytes", lambda fig: titles.append(
        fig.get_suptitle() or next(a.get_title() for a in fig.axes if a.get_title())) or drawn(fig))
    render_sweep(out)
    about = "2015-01-02 .. 2016-12-30 (504 sessions), in sample to 2015-12-31; data: real data in /data"
    assert [t.replace("\n", " ") for t in titles] == [f"sweep macd-grid: {what} {about}" for what in (
        "b x a, the other swept keys at the best point's values", "c x a, the other swept keys at the best point's values",
        "c x b, the other swept keys at the best point's values", "Sharpe in sample against out of sample",
        "the best point against no hedge and the static hedge")]
    # a summary from before its market record: the sweep and what the figure shows
    assert figure_title("t", None, "b x a") == "sweep t: b x a"
    assert figure_title(None, {"window": "2015-01-01..2015-12-31", "source": "embedded"}, "b x a") == (
        "b x a\nwindow 2015-01-01..2015-12-31, no in-sample split; data: embedded")


def test_colour_map_with_the_best_point_at_no_hedge_is_the_red_half():  # trial MUT21 H1, H6: a point at no hedge
    import matplotlib

    from vixhedge.sweep_heatmap import colour_map

    cmap, norm = colour_map("RdYlGn", -1.0, 0.0, 0.0)
    assert (norm.vmin, norm.vmax) == (-1.0, 0.0)
    np.testing.assert_allclose(cmap(norm(-1.0)), matplotlib.colormaps["RdYlGn"](0.0), atol=1 / 255)


def test_a_sweep_figure_title_counts_sessions_with_separators():
    """Trial MUT21 T1: summary.json's market of a 2006-2025 sweep (5,040 sessions) in the figures' title."""
    from vixhedge.sweep_figures import figure_title

    market = {"first_session": "2006-01-03", "last_session": "2025-12-31", "sessions": 5040, "words": "real data"}
    assert figure_title("s", market, "what") == ("sweep s: what\n2006-01-03 .. 2025-12-31 (5,040 sessions), no "
                                                 "in-sample split; data: real data")


def test_each_point_is_judged_against_its_own_book_without_a_hedge(tmp_path, capsys, monkeypatch):
    """Trial RS24 (real data 2007-2022, condor.sizing = "margin" swept over margin_nav_fraction): the best point
    (0.1, alvh) read "max drawdown 46.77% (no hedge 78.35%, static 90.16%)", the baselines run at [base]'s 0.5; no
    hedge at 0.1 drew down 15.12%. Trial RS25: 5 condors "beat no hedge" at p 0.00 against [base]'s 10 unhedged.
    Now each point stands beside its own book (its keys outside [hedge]) without a hedge: the grid sweeps
    hedge.mode none too, so the independent references are results.csv's own row of each book under mode none,
    `run_backtest` of each book under the static hedge, and returns.bin for the VaR (over 100 days in sample).
    Trial MUT24B: with two books that sized alike (margin 0.1 and 0.3 in 2016 H1) the best point's baselines could
    be [base]'s unnoticed; here 5 and 20 condors against [base]'s 10, interleaved in grid order."""
    import json

    import pandas as pd

    from analyzers.metrics import tail_count
    from feeds.market import build_market
    from vixhedge import sweep_books, sweep_returns
    from vixhedge.sweep_metrics import RETURNS_KEY
    from vixhedge.sweep_summary import snooping_tests
    from vixhedge.core import config as C
    from vixhedge.run import run_backtest
    from vixhedge.sweep_spec import load_spec
    from vixhedge.cli import main
    from vixhedge.sweep_text import apart_words

    spec = tmp_path / "size.toml"
    spec.write_text('[sweep]\nname = "size"\nworkers = 1\nin_sample_end = 2016-08-31\n[base]\n'
                    'run = { start = 2016-01-04, end = 2016-12-30 }\ncondor = { contracts = 10, '
                    'max_loss_cap_nav_fraction = 1.0, margin_cap_nav_fraction = 1.0 }\n[grid]\n'
                    '"hedge.mode" = ["alvh", "none"]\n"condor.contracts" = [20, 5]\n')  # (books interleaved)
    runs = []
    real = sweep_books.baseline
    monkeypatch.setattr(sweep_books, "baseline", lambda *a, **k: runs.append(a[2]) or real(*a, **k))
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o")]) == 0
    out = capsys.readouterr().out
    # beyond the best point's book (run both ways by the summary: its daily NAV, best_nav.csv), the other book's
    # static run alone: its unhedged one is the grid's own point under hedge.mode none, read back (trial RS26)
    assert runs == ["static"]
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    rows = pd.read_csv(tmp_path / "o" / "results.csv")
    unhedged = rows[rows["hedge.mode"] == "none"].set_index("condor.contracts")
    assert unhedged.loc[5, "max_drawdown"] != unhedged.loc[20, "max_drawdown"]  # (two books that differ)
    best = summary["best"]["condor.contracts"]
    for metric in ("max_drawdown", "sharpe", "cvar95", "condor_pnl_usd"):  # the best point's own book, unhedged
        assert summary["baseline_none"][metric] == pytest.approx(unhedged.loc[best, metric], rel=1e-9)
    books = summary["books"]
    assert (books["keys"], books["count"], books["tests"]) == (["condor.contracts"], 2, "own")
    base = load_spec(spec).base
    for book in books["baselines"]:  # each book unhedged: the grid's own point; under the static hedge: a run
        n = book["values"]["condor.contracts"]
        assert book["none"]["max_drawdown"] == pytest.approx(unhedged.loc[n, "max_drawdown"], rel=1e-9)
        static = run_backtest(C.replace(base, condor={"contracts": n}, hedge={"mode": "static"})).metrics
        assert book["static"]["max_drawdown"] == pytest.approx(static["performance"]["max_drawdown"], rel=1e-9)
        assert not set(book["none"]) & {"point", "condor.contracts", "hedge.mode"}  # (a result row, no grid key)
    assert summary["snooping"]["against"] == "their own book without hedge" and summary["snooping"]["own_books"]
    assert summary["snooping_static"]["against"] == "their own book under the static hedge"
    # the scatter compares as results.csv writes (RS26: unhedged points "beat" their own book by 4e-12)
    own = rows["condor.contracts"].map(unhedged["is_sharpe"])
    beat, level = int((rows["is_sharpe"] > own).sum()), int((rows["is_sharpe"] == own).sum())
    assert level == 2 and f"{beat} of 4 points beat their own book without hedge in sample, 2 level with it" in \
        html.unescape((tmp_path / "o" / "report.html").read_text())
    assert "baselines_apart" not in summary and "note: the baselines run [base]" not in out
    assert ("note: each point stands beside its own book (its condor.contracts) without a hedge and "
            "under the static hedge") in out
    page = (tmp_path / "o" / "report.html").read_text()
    assert "SPA / StepM each point&#x27;s against its own (2 books" in page
    # ranked by CVaR, the tail tests quote the best point's book's VaR: its k-th worst in-sample return unhedged
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--rank-by", "cvar95", "-q"]) == 0
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    key = rows.loc[(rows["hedge.mode"] == "none") & (rows["condor.contracts"] == summary["best"]["condor.contracts"]),
                   "point"].iloc[0]
    days = summary["snooping_tail"]["days"]
    _, r = sweep_returns.load(tmp_path / "o", [key], days)
    assert summary["snooping_tail"]["var95"] == -np.sort(r[:, 0])[tail_count(days, 0.05) - 1]
    assert rows["point"].iloc[0] != key  # (the best is not the first column: the VaR is its own book's)
    # as many books as a sweep runs baselines for: each its own; one more: every point against [base]'s, said
    monkeypatch.setattr(sweep_books, "MAX_BOOKS", 2)
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "-q"]) == 0
    assert json.loads((tmp_path / "o" / "summary.json").read_text())["books"]["tests"] == "own"
    monkeypatch.setattr(sweep_books, "MAX_BOOKS", 1)
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--rank-by", "sharpe"]) == 0
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["books"]["tests"] == "base" and "baselines" not in summary["books"]
    assert summary["snooping"]["against"] == "[base]'s book without hedge"
    market = build_market(base.market)  # the tests' benchmark: [base]'s 10 condors unhedged, not the best book's
    against = snooping_tests(tmp_path / "o", list(rows["point"]), summary["best"]["point"],
                             sweep_books.baseline(load_spec(spec), market, "none")[0][RETURNS_KEY], base.run.seed)
    assert summary["snooping"]["spa_pvalue"] == against["spa_pvalue"] and \
        summary["snooping"]["block_days"] == against["block_days"]
    assert summary["baseline_none"]["max_drawdown"] == pytest.approx(unhedged.loc[best, "max_drawdown"], rel=1e-9)
    assert ("the finished points hold 2 books, more than the 1 whose baselines a sweep runs, so SPA / StepM test "
            "every point against [base]'s runs") in capsys.readouterr().out
    (tmp_path / "o2").mkdir()
    spec.write_text(spec.read_text().replace('"condor.contracts" = [20, 5]\n', '"condor.contracts" = [20]\n'))
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o2")]) == 0  # one book, not [base]'s: its own
    assert "own book" not in capsys.readouterr().out
    one = json.loads((tmp_path / "o2" / "summary.json").read_text())
    assert (one["books"]["count"], "baselines" in one["books"]) == (1, False)
    assert one["baseline_none"]["max_drawdown"] == pytest.approx(unhedged.loc[20, "max_drawdown"], rel=1e-9)
    # a folder from before ``books``, rebuilt: its baselines held [base]'s book, still said
    legacy = {"baselines_apart": {"condor.margin_nav_fraction": ["0.5", "0.1"]}}
    assert apart_words(legacy).startswith("the baselines run [base]'s condor.margin_nav_fraction = 0.5 (the best "
                                          "point's 0.1): beside the best point they hold another book")


def test_points_that_are_their_own_book_unhedged_are_not_testable(tmp_path, capsys):
    """Trial MUT24B: every point tested against book 0's baseline, and a degenerate test naming "no hedge", went
    unnoticed. A grid of unhedged books alone: each point is its own book without a hedge, so every differential is
    0 and SPA / StepM say so, naming that benchmark (with one baseline for all, the 20-lot point would differ)."""
    import json

    from vixhedge.cli import main

    spec = tmp_path / "flat.toml"
    spec.write_text('[sweep]\nname = "flat"\n[base]\nrun = { start = 2016-01-04, end = 2016-06-30 }\n'
                    'condor = { max_loss_cap_nav_fraction = 1.0, margin_cap_nav_fraction = 1.0 }\n[grid]\n'
                    '"hedge.mode" = ["none"]\n"condor.contracts" = [5, 20]\n')
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "-q"]) == 0
    capsys.readouterr()
    sn = json.loads((tmp_path / "o" / "summary.json").read_text())["snooping"]
    assert sn["note"] == ("not testable: every point's daily returns equal their own book without hedge's, so there "
                          "is nothing to test (p-values 1.0: no evidence)")


def test_spa_against_each_points_own_book_does_not_move_with_the_ranking(tmp_path, capsys):
    """Review 24: the best point's book's baseline was a fresh run, the others' the grid's own points read back;
    they differ by 2e-16 on some days, and that noise column moved SPA's p-value 0.795 -> 0.724 when --rank-by
    picked another best book (README: SPA / StepM do not depend on rank_by); the data-driven block came from a
    column level with its own book (1 day, a spurious caveat). A point level with its baseline to float noise now
    is it, and the block is estimated on SPA's best moving differential."""
    import json

    from vixhedge.cli import main

    spec = tmp_path / "modes.toml"
    spec.write_text('[sweep]\nname = "modes"\nin_sample_end = 2016-12-30\nrank_by = "cvar95"\n[base]\n'
                    'condor = { max_loss_cap_nav_fraction = 1.0, margin_cap_nav_fraction = 1.0 }\n[grid]\n'
                    '"hedge.mode" = ["none", "static", "alvh"]\n"condor.contracts" = [5, 10, 20]\n')
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "-q"]) == 0
    first = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert main(["sweep", str(spec), "--out", str(tmp_path / "o"), "--rank-by", "sharpe", "-q"]) == 0
    again = json.loads((tmp_path / "o" / "summary.json").read_text())
    capsys.readouterr()
    assert first["best"]["condor.contracts"] != again["best"]["condor.contracts"]  # (another book run afresh)
    for key in ("snooping", "snooping_static"):
        assert {k: first[key][k] for k in ("spa_pvalue", "spa_pvalue_lower", "stepm_superior", "block_days")} == \
            {k: again[key][k] for k in ("spa_pvalue", "spa_pvalue_lower", "stepm_superior", "block_days")}, key
    assert first["snooping"]["block_days"] > 1


def test_the_sweep_page_says_what_its_prices_rest_on_in_a_data_banner():
    """Trial VIS22: the run, compare and walk-forward pages open with a boxed data banner; the sweep's page said its
    best point's prices in a plain paragraph below the market lines. A banner now, warned when over half of the
    prices are modelled (feeds.provenance's rests_on_model)."""
    from vixhedge.sweep_report import _market_section

    rec = {"prices": "MOST OF THIS RESULT RESTS ON MODELLED PRICES, not market quotes: ...", "modelled_share": 1.0,
           "words": "the embedded market", "window": "2016-01-04..2016-12-30", "sessions": 252,
           "real_prices": 0, "prices_counted": 100}
    page = _market_section({"market": rec})
    assert page.startswith('<div class="banner warn"><p><b>Data:</b> the best point\'s prices: MOST OF THIS RESULT')
    real = _market_section({"market": {**rec, "prices": "mostly real quotes", "modelled_share": 0.2,
                                        "real_prices": 80}})
    assert real.startswith('<div class="banner"><p><b>Data:</b>')
