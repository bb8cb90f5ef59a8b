"""The model-vs-real report's arithmetic (the comparison itself runs in the README command, on real data)."""

import numpy as np
import pandas as pd
import pytest

from vixhedge.model_vs_real import _apart, _k, daily_change_beta, swaps_report


def test_daily_change_beta_recovers_a_known_slope():
    rng = np.random.default_rng(0)
    vix = 15 + np.cumsum(rng.normal(0, 1, 500))
    series = 20 + 0.6 * (vix - 15) + rng.normal(0, 0.05, 500)  # daily changes: 0.6 x VIX's plus noise
    assert daily_change_beta(series, vix) == pytest.approx(0.6, abs=0.01)
    series[10] = np.nan  # a missing day drops its two changes, not the whole series
    assert daily_change_beta(series, vix) == pytest.approx(0.6, abs=0.01)


def test_money_and_gap_formatting():
    assert _k(-100_000.0) == "-$100.0k" and _k(43_500.0) == "$43.5k"
    assert _apart(-100.0, -43.5) == "130% apart" and _apart(1.0, 0.0) == "n/a"


def test_swaps_report_names_the_quarters_that_moved_most():
    days = pd.bdate_range("2015-01-01", "2015-12-31")
    base = pd.Series(0.0, index=days)
    moved = base.copy()
    moved[pd.Timestamp("2015-08-24")] = -25_000.0  # 2015Q3, the largest move
    moved[pd.Timestamp("2015-02-02")] = 4_000.0  # 2015Q1
    swaps = [("real", {"alvh": (0.0, base), "static": (-1_000.0, base)}),
             ("+ model", {"alvh": (-21_000.0, moved), "static": (-1_000.0, base)})]
    lines = swaps_report(swaps).splitlines()
    assert lines[2] == "| real | $0.0k | -$1.0k |  |"
    assert lines[3].startswith("| + model | -$21.0k | -$1.0k | 2015Q3 -$25.0k, 2015Q1 $4.0k, ")


# --------------------------------------------------------------------------- pricing vs schedule, noise floor


@pytest.fixture(scope="module")
def embedded():
    from feeds.market import build_market
    from vixhedge.core import config as C

    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-12-31"})
    return cfg, build_market(cfg.market)


def test_a_runs_vx_fills_repriced_on_its_own_curve_give_its_hedge_pnl(embedded):
    from vixhedge.model_vs_real_gap import run_quietly, schedule_pnl

    cfg, market = embedded
    res = run_quietly(cfg, market)
    assert (res.trades["kind"] == "vx_future").sum() > 10  # a schedule with entries, exits and rolls (2015-08)
    # the run's own fills at its own curve's bid/ask: exactly the hedge P&L (fees are their own ledger line)
    assert schedule_pnl(res.trades, market, res.daily.index[-1]) == pytest.approx(res.metrics["pnl"]["hedge_pnl_usd"],
                                                                                abs=0.01)


def test_pricing_plus_schedule_is_the_gap_and_a_noiseless_copy_changes_nothing(embedded):
    from vixhedge.model_vs_real_gap import Split, run_quietly, split, with_noise

    cfg, market = embedded
    same = split(cfg, market, with_noise(market, 0.0, 0))  # two identical curves: no gap, no pricing, no schedule
    assert same.gap == 0.0 and same.pricing("real") == 0.0 and same.schedule("model") == 0.0
    s = Split({("real", "real"): -10.0, ("real", "model"): -25.0, ("model", "real"): -12.0, ("model", "model"): -40.0})
    pricing = (s.pricing("real") + s.pricing("model")) / 2  # (-15 - 28) / 2
    schedule = (s.schedule("real") + s.schedule("model")) / 2  # (-2 - 15) / 2
    assert (pricing, schedule, s.gap) == (-21.5, -8.5, -30.0) and pricing + schedule == s.gap
    a, b = (run_quietly(cfg, with_noise(market, 0.05, 3)).metrics["pnl"]["hedge_pnl_usd"] for _ in range(2))
    assert a == b  # seeded: the same noise, the same run


def test_gap_reports_show_signed_thousands():
    from vixhedge.model_vs_real_gap import Split, noise_report, windows_report

    s = Split({("real", "real"): -76_300.0, ("real", "model"): -95_900.0, ("model", "real"): -94_800.0,
               ("model", "model"): -138_800.0})
    rows = [("2014-03 .. 2018-12", s, (-65_500.0, -73_700.0))]
    assert windows_report(rows).splitlines()[2] == ("| 2014-03 .. 2018-12 | -$76.3k | -$138.8k | -$62.5k | -$31.8k | "
                                                    "-$30.7k | -$65.5k | -$73.7k | -$8.2k |")
    line = noise_report({"real": -76_300.0}, {"real": np.array([-70_000.0, -90_000.0])}, 0.01).splitlines()[2]
    assert line == "| real | -$76.3k | -$80.0k | $14.1k | -$90.0k .. -$70.0k | 2 |"


@pytest.mark.realdata
def test_on_real_settles_a_hundredth_of_a_point_of_noise_moves_alvh_more_than_the_20_percent_target():
    """README "Model vs real market", reason 1 (`python -m vixhedge.model_vs_real --data-dir ../shared/data`)."""
    from pathlib import Path

    from feeds.market import build_market
    from vixhedge.core import config as C
    from vixhedge.model_vs_real_gap import noise_floor, run_quietly

    data = Path(__file__).resolve().parents[2].parent / "shared" / "data"
    if not data.is_dir():
        pytest.skip(f"real data folder {data} is absent (see /work/shared/data/README.md)")
    cfg = C.replace(C.load_default(), run={"start": "2014-03-03", "end": "2018-12-31"},
                    market={"source": "directory", "data_dir": str(data)})
    market = build_market(cfg.market)
    alvh = run_quietly(cfg, market).metrics["pnl"]["hedge_pnl_usd"]
    assert alvh == pytest.approx(-87_875.0, abs=1.0)  # the README's real-settles figure
    noisy = noise_floor(cfg, market, 0.01, 5)  # seeds 0-4 of the README's 20
    assert np.ptp(noisy) > 0.2 * abs(alvh)  # 0.01 points (a fifth of a VX tick) spans more than the target's 20%
    static = noise_floor(C.replace(cfg, hedge={"mode": "static"}), market, 0.01, 5)
    assert np.ptp(static) < 1_000.0  # the static hedge barely moves (README: -$65.9k .. -$64.8k over 20 seeds)
