import numpy as np
import pandas as pd
import pytest

from analyzers import metrics as M
from feeds.market import build_market
from vixhedge import bootstrap as bs
from vixhedge import config as C
from vixhedge.cli import main
from vixhedge.compare import compare, format_comparison
from vixhedge.run import run_backtest

SHORT = {"start": "2015-06-01", "end": "2015-12-31"}


def test_block_indices_are_circular_blocks():
    idx = bs.block_indices(10, 4, 50, np.random.default_rng(0))
    assert idx.shape == (50, 10)
    steps = np.diff(idx, axis=1) % 10
    # inside a block consecutive days follow each other (mod n); blocks start at positions 0, 4, 8
    inside = np.ones(9, bool)
    inside[[3, 7]] = False
    assert (steps[:, inside] == 1).all()
    with pytest.raises(ValueError, match="need n >= 2"):
        bs.block_indices(1, 4, 5, np.random.default_rng(0))


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


def test_identical_series_have_zero_paired_difference():
    a = np.array([0.1, 0.2, 0.3])
    assert bs.paired_ci(a, a, 0.0) == {"diff": 0.0, "ci_low": 0.0, "ci_high": 0.0}


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
    condor = [r.trades[r.trades["component"].str.startswith("condor")].reset_index(drop=True)
              for r in cmp.results.values()]
    assert len(condor[0]) >= 8  # at least two condors of four legs
    for other in condor[1:]:
        pd.testing.assert_frame_equal(condor[0], other)


def test_paired_table_and_text(cmp):
    p = cmp.paired
    assert set(p["mode"]) == {"static", "alvh"} and set(p["stat"]) == {"sharpe", "max_drawdown", "cvar95",
                                                                         "hedge_cost_usd"}
    assert (p["ci_low"] <= p["ci_high"]).all()
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
                                                  "report.html", "runs"}
    runs = sorted(p.name for p in (folder / "runs").iterdir())
    assert len(runs) == 2
    page = (folder / "report.html").read_text()
    assert page.count('<img src="data:image/png;base64,') == 2 and "<script" not in page and "http" not in page
    for rid in runs:  # links to each mode's own report, relative to the folder
        assert f'href="runs/{rid}/report.html"' in page and (folder / "runs" / rid / "report.html").exists()
    assert "Paired differences vs none" in page and "CI excludes 0" in page
    assert main(["compare", str(cfgfile), "--modes", "none,bogus"]) == 2
    assert "--modes 'none,bogus' is invalid" in capsys.readouterr().err
