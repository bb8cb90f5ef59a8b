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
