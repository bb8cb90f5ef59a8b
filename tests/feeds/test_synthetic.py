"""Tests for feeds.synthetic: seeded, shocks exact, sensible statistics, usable by a backtest.

Shock sizes are the historical closes cited in feeds.synthetic.SHOCKS (MARKET_RULES.md quotes
VIX 17.31 -> 37.32 on 2018-02-05).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from feeds import calendars
from feeds.market import build_market
from feeds.synthetic import SHOCKS, synthetic_market_data
from vixhedge.core import config as C
from vixhedge.core.config import ConfigError, MarketConfig, MarketSource, ShockName, SyntheticConfig, VxSeries
from vixhedge.run import run_backtest

D = dt.date


def test_same_seed_same_path_other_seed_other_path() -> None:
    a, b = (synthetic_market_data(SyntheticConfig(start=D(2012, 1, 3), end=D(2013, 12, 31))) for _ in range(2))
    for name in ("spx_open", "spx_high", "spx_low", "spx_close", "vix_close", "vix_open"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name))
    c = synthetic_market_data(SyntheticConfig(start=D(2012, 1, 3), end=D(2013, 12, 31), seed=8))
    assert not np.allclose(a.spx_close, c.spx_close)
    assert a.source == "synthetic:seed=7" and a.files == ()


def test_one_day_shocks_are_exact_and_move_to_the_next_session() -> None:
    cfg = SyntheticConfig(start=D(2015, 1, 2), end=D(2016, 12, 30), shocks="vol_spike@2016-02-06, flash@2015-05-06")
    data = synthetic_market_data(cfg)
    i = data.dates.get_loc(pd.Timestamp("2016-02-08"))  # 2016-02-06 is a Saturday
    assert data.vix_close[i] / data.vix_close[i - 1] == pytest.approx(37.32 / 17.31, rel=1e-12)
    assert data.spx_close[i] / data.spx_close[i - 1] == pytest.approx(2648.94 / 2762.13, rel=1e-12)
    j = data.dates.get_loc(pd.Timestamp("2015-05-06"))
    assert data.vix_close[j] / data.vix_close[j - 1] == pytest.approx(32.80 / 24.91, rel=1e-12)


def test_crash_is_spread_over_its_sessions() -> None:
    data = synthetic_market_data(SyntheticConfig(start=D(2015, 1, 2), end=D(2016, 12, 30), shocks="crash@2016-03-01"))
    i = data.dates.get_loc(pd.Timestamp("2016-03-01"))
    n = SHOCKS[ShockName.CRASH].sessions
    assert data.spx_close[i + n - 1] / data.spx_close[i - 1] == pytest.approx(2237.40 / 3386.15, rel=1e-12)
    assert data.vix_close[i + n - 1] / data.vix_close[i - 1] == pytest.approx(61.59 / 14.38, rel=1e-12)


def test_long_path_statistics() -> None:
    data = synthetic_market_data(SyntheticConfig(start=D(1995, 1, 3), end=D(2019, 12, 31)))
    spx, vix = np.diff(np.log(data.spx_close)), np.diff(np.log(data.vix_close))
    assert abs(np.median(data.vix_close) - 18.0) < 2.0  # mean-reverts to vix_long_run
    assert 0.12 < spx.std() * np.sqrt(252) < 0.25
    assert np.corrcoef(spx, vix)[0, 1] < -0.5  # leverage effect
    assert data.vix_close.max() > 40.0  # jumps give stress episodes


def test_market_and_backtest_on_the_synthetic_source() -> None:
    cfg = C.replace(C.load_default(), run={"start": "2010-04-01", "end": "2010-09-30"},
                    market={"source": "synthetic", "synthetic": {"end": "2010-12-31", "shocks": "vol_spike@2010-06-01"}})
    market = build_market(cfg.market)
    assert market.days[0] == D(2010, 1, 4) and np.isfinite(market.vx_series(VxSeries.CONSTANT_30D)).all()
    assert market.settlement_proxies["vix_vro"] == "vix_open"
    result = run_backtest(cfg, market)
    assert len(result.daily) == len(calendars.trading_days(D(2010, 4, 1), D(2010, 9, 30))) == 127
    assert np.isfinite(result.daily["nav_usd"]).all() and result.metrics["counts"]["condors"] > 0


@pytest.mark.parametrize("kwargs, message", [
    ({"shocks": "meltdown@2012-01-03"}, r"market\.synthetic\.shocks entry 'meltdown@2012-01-03' is invalid"),
    ({"shocks": "vol_spike"}, r"entry 'vol_spike' is invalid: write name@YYYY-MM-DD"),
    ({"shocks": "vol_spike@2030-01-02"}, r"the date must fall after start \(2010-01-04\) and by end"),
    ({"correlation": -1.5}, r"market\.synthetic\.correlation = -1\.5 is invalid"),
    ({"start": D(2020, 1, 1)}, r"market\.synthetic\.start = '2020-01-01' is invalid: must be before"),
], ids=["unknown-shock", "no-date", "outside", "correlation", "order"])
def test_config_errors(kwargs, message) -> None:
    with pytest.raises(ConfigError, match=message):
        SyntheticConfig(**kwargs)


def test_source_enum_and_config_table() -> None:
    cfg = C.from_dict({"market": {"source": "synthetic", "synthetic": {"seed": 11, "shocks": "crash@2015-03-02"}}})
    assert cfg.market.source is MarketSource.SYNTHETIC
    assert cfg.market.synthetic.shock_list() == ((ShockName.CRASH, D(2015, 3, 2)),)
    assert MarketConfig().synthetic == SyntheticConfig()


def test_three_sessions_recomputed_by_hand_from_the_seeds_draws() -> None:
    """MUT27 SY1, SY2, SY4, SY6-SY8, SY11, SY13: the module docstring's model recomputed step by step, in scalars, from
    ``np.random.default_rng(seed)``'s draws taken in the module's order (z_vix, z_ind, the Poisson counts, the
    exponential sizes, the two gap rows, the two spread rows), to 1e-12: dt = 1/252; x = ln VIX mean-reverting with
    vol of vol and upward jumps J; SPX log return (mu - s^2/2) dt + s sqrt(dt) z, s = vix_to_spx_vol x VIX_{t-1} / 100,
    z = rho z_vix + sqrt(1 - rho^2) z_ind, minus jump_spx_beta J; the open a fifth of the day's move from yesterday's
    close (plus 0.1 of the daily vol x a gap draw), high / low outside open / close by half-normal draws x half the
    daily vol, the daily vol from yesterday's VIX; the VIX open yesterday's VIX close moved by a fifth of the VIX's move
    (plus 0.02 x the second gap draw). Seed 10 with 50 jumps a year jumps on sessions 1 and 2 (its Poisson draws
    0, 1, 1), so the jump terms are in the figures."""
    import math

    cfg = SyntheticConfig(seed=10, start=D(2019, 1, 2), end=D(2019, 1, 4), jumps_per_year=50.0)
    data = synthetic_market_data(cfg)
    assert list(data.dates.strftime("%Y-%m-%d")) == ["2019-01-02", "2019-01-03", "2019-01-04"]
    n, dt_ = 3, 1.0 / 252.0
    rng = np.random.default_rng(10)
    z_vix, z_ind = rng.standard_normal(n), rng.standard_normal(n)
    counts, sizes = rng.poisson(50.0 * dt_, n), rng.exponential(0.3, n)
    gaps, spread = rng.standard_normal((2, n)), np.abs(rng.standard_normal((2, n)))
    assert list(counts) == [0, 1, 1]
    rho, kappa, theta, nu = -0.75, 5.0, math.log(18.0), 0.9
    x, lvl = [math.log(18.0)], [math.log(1100.0)]
    dx, dl = [0.0], [0.0]
    for t in (1, 2):
        jump = float(counts[t]) * float(sizes[t])
        s = 0.8 * math.exp(x[t - 1]) / 100.0
        z = rho * z_vix[t] + math.sqrt(1.0 - rho * rho) * z_ind[t]
        dx.append(kappa * (theta - x[t - 1]) * dt_ + nu * math.sqrt(dt_) * z_vix[t] + jump)
        dl.append((0.07 - s * s / 2.0) * dt_ + s * math.sqrt(dt_) * z - 0.1 * jump)
        x.append(x[t - 1] + dx[t])
        lvl.append(lvl[t - 1] + dl[t])
    for t in range(n):
        y = max(t - 1, 0)  # yesterday (session 0: itself)
        close, prev = math.exp(lvl[t]), math.exp(lvl[y])
        dvol = 0.8 * math.exp(x[y]) / 100.0 * math.sqrt(dt_)
        open_ = prev * math.exp(dl[t] / 5.0 + 0.1 * dvol * gaps[0][t])
        want = {"spx_close": close, "spx_open": open_,
                "spx_high": max(open_, close) * math.exp(0.5 * dvol * spread[0][t]),
                "spx_low": min(open_, close) * math.exp(-0.5 * dvol * spread[1][t]),
                "vix_close": math.exp(x[t]), "vix_open": math.exp(x[y]) * math.exp(dx[t] / 5.0 + 0.02 * gaps[1][t])}
        for name, v in want.items():
            assert getattr(data, name)[t] == pytest.approx(v, rel=1e-12, abs=0), (name, t)


def test_the_crash_is_the_23_sessions_after_2020_02_19() -> None:
    """MUT27 SY12: the crash spreads 2020-02-19 .. 03-23 closes over the sessions after 02-19: 2020-02-20 .. 03-23 on
    the exchange calendar (exchange_calendars' XNYS itself, built by feeds.sessions with pandas' warning silenced, not
    the shipped closures the synthetic path's sessions come from), 23 sessions (by hand: Feb 20, 21, 24-28 = 7;
    Mar 2-6, 9-13, 16-20 = 15; Mar 23 = 1). The old test read SHOCKS' own count. Each of the 23 sessions moves by the
    same 23rd of the total; the 24th is the model's own day."""
    from feeds.sessions import build_exchange_calendar

    xnys = build_exchange_calendar(start=D(2020, 1, 2), end=D(2020, 12, 31))
    sessions = xnys.sessions[(xnys.sessions >= "2020-02-20") & (xnys.sessions <= "2020-03-23")]  # (not
    # sessions_in_range: before exchange_calendars 4.13, pyproject's floor 4.7, it raises under pandas 3: COMPAT39)
    assert len(sessions) == 23
    data = synthetic_market_data(SyntheticConfig(start=D(2015, 1, 2), end=D(2016, 12, 30), shocks="crash@2016-03-01"))
    i = data.dates.get_loc(pd.Timestamp("2016-03-01"))
    spx, vix = np.diff(np.log(data.spx_close)), np.diff(np.log(data.vix_close))
    np.testing.assert_allclose(spx[i - 1:i + 22], np.log(2237.40 / 3386.15) / 23, rtol=1e-12)
    np.testing.assert_allclose(vix[i - 1:i + 22], np.log(61.59 / 14.38) / 23, rtol=1e-12)
    assert abs(vix[i + 22] - np.log(61.59 / 14.38) / 23) > 1e-6  # the 24th session is not the crash's


def test_vix_jumps_are_on_a_long_path() -> None:
    """MUT27 SY13: the VIX's upward jumps (docstring: Poisson at jumps_per_year, exponential log sizes of mean
    jump_mean_log). The diffusion's daily sd is 0.9 x sqrt(1/252) = 0.0567; a rise above 6 of them (0.34) has a
    Gaussian chance of 1e-9 a day. With 2 jumps a year of mean 0.3 over 25 years (~50 jumps), about 50 x
    exp(-0.34 / 0.3) = 16 jumps exceed it (hand); without the jumps none would."""
    data = synthetic_market_data(SyntheticConfig(start=D(1995, 1, 3), end=D(2019, 12, 31)))
    vix = np.diff(np.log(data.vix_close))
    big = int(np.sum(vix > 6 * 0.9 * np.sqrt(1 / 252)))
    assert 5 <= big <= 40, big


def test_the_source_names_the_shocks_without_spaces() -> None:
    """MUT27 SY10: the source string (a run's data provenance) gives the shocks as written, spaces dropped."""
    cfg = SyntheticConfig(start=D(2015, 1, 2), end=D(2016, 12, 30), shocks="vol_spike@2016-02-08, flash@2015-05-06")
    assert synthetic_market_data(cfg).source == "synthetic:seed=7,shocks=vol_spike@2016-02-08,flash@2015-05-06"
