import json

import numpy as np
import pandas as pd
import pytest

from analyzers import metrics as M
from feeds.market import build_market
from vixhedge import bootstrap as bs
from vixhedge.core import config as C
from vixhedge.cli import main
from vixhedge.compare import compare, format_comparison
from vixhedge.run import run_backtest

SHORT = {"start": "2015-06-01", "end": "2015-12-31"}


def _mean(x: np.ndarray) -> np.ndarray:
    return np.array([x.mean()])


def test_percentile_ci_is_the_quantile_of_the_paired_draws():
    """arch's percentile interval equals np.quantile of (stat(a) - stat(b)) over arch's own draws."""
    from arch.bootstrap import CircularBlockBootstrap

    rng = np.random.default_rng(3)
    a, b = rng.normal(0.001, 0.01, 400), rng.normal(0.0, 0.01, 400)
    low, high, used = bs.paired_intervals(_mean, (a,), (b,), block=7, reps=500, seed=11)
    boot = CircularBlockBootstrap(7, a, b, seed=np.random.default_rng(11))
    draws = np.array([x[0].mean() - x[1].mean() for x, _ in boot.bootstrap(500)])
    np.testing.assert_allclose([low[0], high[0]], np.quantile(draws, [0.025, 0.975]), rtol=1e-12)
    assert used == ["percentile"]
    # the paired draw resamples the same days for both legs: a leg against itself gives exactly 0
    low0, high0, _ = bs.paired_intervals(_mean, (a,), (a,), block=7, reps=200, seed=1)
    assert low0[0] == high0[0] == 0.0


def test_bca_differs_from_percentile_on_a_skewed_statistic_and_falls_back_where_undefined():
    rng = np.random.default_rng(4)
    a, b = rng.lognormal(0.0, 1.0, 300), rng.normal(0.0, 0.1, 300)
    pct = bs.paired_intervals(_mean, (a,), (b,), block=1, reps=2000, seed=2)
    bca = bs.paired_intervals(_mean, (a,), (b,), block=1, reps=2000, seed=2, method="bca")
    assert bca[2] == ["bca"]
    # a right-skewed statistic: BCa moves both ends to the right of the percentile interval
    assert bca[0][0] > pct[0][0] and bca[1][0] > pct[1][0]
    same = bs.paired_intervals(_mean, (a,), (a,), block=1, reps=200, seed=2, method="bca")
    assert same[2] == ["percentile"] and same[0][0] == same[1][0] == 0.0


def test_data_driven_block_length_follows_the_serial_dependence():
    """Politis-White: iid noise needs short blocks, a persistent AR(1) (phi 0.9) long ones."""
    rng = np.random.default_rng(8)
    e = rng.normal(size=2000)
    ar = np.empty_like(e)
    ar[0] = e[0]
    for t in range(1, len(e)):
        ar[t] = 0.9 * ar[t - 1] + e[t]
    assert bs.data_block_length(e) <= 3
    assert bs.data_block_length(ar) >= 15
    assert bs.data_block_length(np.zeros(50)) == 1  # a constant difference: no dependence to keep


def test_row_statistics_match_the_scalar_metrics():
    rng = np.random.default_rng(5)
    r = rng.normal(0.0003, 0.01, (3, 300))
    nav = np.concatenate([np.ones((3, 1)), np.cumprod(1 + r, axis=1)], axis=1)
    rf = 1.01 ** (1 / 252) - 1
    for k in range(3):
        assert bs.sharpe_rows(r[k], rf, 252) == pytest.approx(M.sharpe(r[k], 0.01, 252), rel=1e-12)
        assert bs.max_drawdown_rows(r[k]) == pytest.approx(M.max_drawdown(nav[k]), rel=1e-12)
    # CVaR 95% of 1..100 losses: the worst 5 are -100..-96, mean -98
    assert bs.cvar_rows(-np.arange(1.0, 101.0)) == pytest.approx(98.0)


@pytest.fixture(scope="module")
def cmp():
    cfg = C.replace(C.load_default(), run=SHORT)
    return compare(cfg, build_market(cfg.market), n_boot=300)


def test_compare_equals_runs_one_by_one(cmp):
    for mode, res in cmp.results.items():
        alone = run_backtest(C.replace(cmp.config, hedge={"mode": mode}), cmp.results[mode].market)
        pd.testing.assert_frame_equal(alone.daily, res.daily)
        pd.testing.assert_frame_equal(alone.trades, res.trades)
        assert cmp.table.loc["end_nav_usd", mode] == alone.metrics["performance"]["end_nav_usd"]


def test_same_path_same_condor_fills(cmp):
    from tests.vixhedge.test_run import _first_condor_cut

    cut = min(_first_condor_cut(r) for r in cmp.results.values())  # until a capital cap sized on NAV cuts one
    condor = [r.trades[r.trades["component"].str.startswith("condor") & (r.trades.index < cut)]
              for r in cmp.results.values()]
    assert len(condor[0]) >= 8  # at least two condors of four legs
    for other in condor[1:]:
        pd.testing.assert_frame_equal(condor[0], other)


def test_table_sharpe_is_each_runs_own(cmp):
    """The compared Sharpe is the one each run reports: both over the cash return of each day (the default)."""
    for mode, res in cmp.results.items():
        sharpe = res.metrics["performance"]["sharpe"]
        assert cmp.table.loc["sharpe", mode] == pytest.approx(sharpe, rel=1e-12), mode


def test_paired_table_and_text(cmp):
    p = cmp.paired
    assert set(p["mode"]) == {"static", "alvh"} and set(p["stat"]) == {"sharpe", "max_drawdown", "cvar95",
                                                                         "hedge_cost_usd"}
    assert (p["ci_low"] <= p["ci_high"]).all()
    assert p.attrs["block_days"] == "auto" and (p["block_days"] >= 1).all() and set(p["ci_method"]) == {"percentile"}
    none_cost = cmp.table.loc["hedge_cost_usd", "none"]
    assert none_cost == 0.0
    alvh_cost = p[(p["mode"] == "alvh") & (p["stat"] == "hedge_cost_usd")]["diff"].iloc[0]
    assert alvh_cost == pytest.approx(-cmp.results["alvh"].daily["hedge_pnl_usd"].iloc[1:].sum())
    text = format_comparison(cmp)
    assert "paired difference vs none" in text and "alvh" in text


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
    # the reproduce line names the folder's own config and every option: no placeholder
    assert f"vixhedge compare runs/{folder.name}/config.toml --modes none,alvh --baseline none --n-boot 200 " \
           "--ci-method percentile --engine fast" in page
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
    assert p.attrs["ci_method"] == "bca" and (p["block_days"] == 10).all()
    assert "bca" in set(p["ci_method"])  # at least one statistic gets a BCa interval
    pct = cmp.paired.set_index(["mode", "stat"])["diff"]
    np.testing.assert_array_equal(p.set_index(["mode", "stat"])["diff"], pct)  # same point estimates


def test_compare_report_in_headless_chromium(cmp, tmp_path, rendered):
    from vixhedge.compare import write_comparison

    folder = write_comparison(cmp, tmp_path)
    dom, _ = rendered(folder / "report.html")
    heads = [text for tag, _, text in dom if tag == "h2"]
    assert heads[:3] == ["Side by side", "Paired differences vs none", "Paired differences"]
    imgs = [a["src"] for tag, a, _ in dom if tag == "img"]
    assert len(imgs) == 2 and all(s.startswith("data:image/png;base64,") for s in imgs)
    cells = [text for tag, _, text in dom if tag == "td"]
    assert "Sharpe (higher is better)" in cells and "max drawdown (lower is better)" in cells
    assert any(c in ("better", "worse") or c.startswith("unclear") for c in cells)
    assert sum(tag == "a" for tag, _, _ in dom) == 3  # one link per mode's run report


def test_compare_sub_runs_take_their_benchmark_from_the_none_mode(cmp, tmp_path):
    """The no-hedge benchmark of each mode's folder is compare's own none run, equal to running it again."""
    from vixhedge.compare import write_comparison
    from vixhedge.report import write_run

    folder = write_comparison(cmp, tmp_path / "cmp")
    (alvh_dir,) = [p for p in (folder / "runs").iterdir() if "-alvh-" in p.name]
    alone = write_run(cmp.results["alvh"], tmp_path / "alone")  # benchmark run here from scratch
    assert (alvh_dir / "benchmark.csv").read_bytes() == (alone / "benchmark.csv").read_bytes()


def test_comparison_text_formats_counts_flags_and_money():
    """The CLI table uses the report's labels and cells: counts whole, flags yes/no, money with separators."""
    import types

    from vixhedge.compare import Comparison

    table = pd.DataFrame({"none": {"end_nav_usd": 989971.2, "hedge_layers": 0.0, "days_cut_by_caps": 1.0,
                                   "ruined": 0.0},
                          "alvh": {"end_nav_usd": 1234567.8, "hedge_layers": 15.0, "days_cut_by_caps": 1.0,
                                   "ruined": 1.0}})
    paired = pd.DataFrame([{"mode": "alvh", "baseline": "none", "stat": "hedge_cost_usd", "diff": 2348.633,
                            "ci_low": -87494.847, "ci_high": 54221.244, "ci_method": "percentile", "block_days": 6}])
    paired.attrs.update(baseline="none", n_boot=2000, block_days="auto", ci_method="percentile", seed=7)
    runs = {m: types.SimpleNamespace(metrics={}) for m in table.columns}
    lines = format_comparison(Comparison(None, runs, table, paired)).splitlines()
    assert lines[1].split() == ["final", "NAV", "(higher", "is", "better)", "$989,971", "$1,234,568"]
    assert lines[2].split() == ["hedge", "layers", "0", "15"]
    assert lines[3].split() == ["days", "cut", "by", "capital", "caps", "1", "1"]
    assert lines[4].split() == ["ruined", "no", "yes"]
    assert "+2,349  [-87,495, +54,221]  unclear (CI includes 0)" in lines[-1]
