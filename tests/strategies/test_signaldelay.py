"""``execution.signal_delay_bars``: a hedge decision computed from bar t's close fills at bar t + N's quotes.

Default 0 keeps the run as it was (the golden digests, tests/vixhedge/test_default_run_golden.py); the engines'
equality with a delay is in tests/vixhedge/test_engines.py (``signal_delay_1``), the kernels' in
tests/vixhedge/test_kernel.py and test_kernel_jit.py (the ``signal_delay_bars`` cases).
"""

import dataclasses
import datetime as dt
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds.market import build_market
from strategies.signaldelay import DelayedSignalSet, delayed, shift
from strategies.signalset import compute, inputs_from_market
from vixhedge import sweep as sw
from vixhedge.core import config as C
from vixhedge.run import run_backtest

WINDOW = {"start": "2014-03-03", "end": "2014-04-15"}
APR_VX = dt.date(2014, 4, 16)  # the April 2014 VX future's final settlement (the first layer's contract)


@pytest.fixture(scope="module")
def market():
    return build_market(C.MarketConfig())


def _run(market, bars: int):
    cfg = C.replace(C.load_default(), run=WINDOW, execution={"signal_delay_bars": bars})
    return run_backtest(cfg, market, engine="fast")


def _first_add(res) -> pd.Series:
    hedge = res.trades[res.trades["component"].str.startswith("hedge")].reset_index()  # (indexed by date)
    return hedge.iloc[0]


def test_with_delay_1_the_add_comes_one_bar_after_the_cross_at_that_bars_price(market):
    """Embedded market (the default config's): the MACD(12,26,9) of the constant 30-day VX series makes its first
    confirmed cross up of the window on 2014-03-13 (signals.csv: cross and confirmed_cross 1, histogram -0.044675
    on 03-12 -> 0.028707, the series 15.53 -> 16.47). Delay 0 buys the April VX that bar at its ask 16.55
    (bid/ask 16.50/16.55, modelled: Market.vx_quote); delay 1 buys it on 2014-03-14, the next session, at that
    session's ask 17.45 (bid/ask 17.40/17.45), reading the signals of 03-13 (signals.csv signal_date). The same
    first layer on the real data (vixhedge run --data-dir ../shared/data, README "Signal timing"): 2014-03-03 at
    the ask 16.70 (the April settle 16.65) with delay 0, 2014-03-04 at the ask 15.65 with delay 1."""
    now, later = _run(market, 0), _run(market, 1)
    a, b = _first_add(now), _first_add(later)
    assert (a["date"].date(), a["reason"], a["qty"], a["price"]) == (dt.date(2014, 3, 13), "macd_cross_up", 1,
                                                                      16.55)
    assert (b["date"].date(), b["reason"], b["qty"], b["price"]) == (dt.date(2014, 3, 14), "macd_cross_up", 1,
                                                                      17.45)
    for res, day in ((now, dt.date(2014, 3, 13)), (later, dt.date(2014, 3, 14))):  # each fills at its own bar's ask
        i = market.index_of(day)
        assert _first_add(res)["price"] == pytest.approx(market.vx_quote(i, APR_VX).ask, abs=1e-12)
    log0, log1 = now.signals_log, later.signals_log
    assert "signal_date" not in log0.columns  # the default's signals.csv is unchanged
    row = log1.loc[pd.Timestamp("2014-03-14")]
    assert (row["signal_date"], row["confirmed_cross"], row["rule_ids"]) == (pd.Timestamp("2014-03-13"), 1, "cross_up")
    assert log0.loc[pd.Timestamp("2014-03-13"), "confirmed_cross"] == 1
    # bar t's signals in the delayed log are the undelayed log's of bar t - 1 (daily.csv keeps each bar's own)
    cols = ["macd", "macd_signal", "macd_hist", "confirmed_cross", "divergence", "rsi"]
    pd.testing.assert_frame_equal(log1[cols].iloc[1:].reset_index(drop=True), log0[cols].iloc[:-1].reset_index(
        drop=True))
    np.testing.assert_array_equal(later.daily["macd"].to_numpy(), now.daily["macd"].to_numpy())


def test_delayed_moves_every_signal_and_keeps_the_rest(market):
    cfg = C.load_default().hedge
    s = compute(inputs_from_market(market, cfg), cfg)
    assert delayed(s, 0) is s
    d = delayed(s, 2)
    assert isinstance(d, DelayedSignalSet) and d.delay_bars == 2 and delayed(d, 1).delay_bars == 3
    assert d.dates is s.dates and d.notes == s.notes and d.files == s.files
    for name in ("macd", "hist", "cross", "confirmed_cross", "divergence", "rsi", "fomc_window", "ad_weakening",
                 "front_vx", "series", "term_ratio", "projected", "expanding_above_zero"):
        a, b = np.asarray(getattr(s, name)), np.asarray(getattr(d, name))
        assert b.dtype == a.dtype, name
        np.testing.assert_array_equal(b[2:], a[:-2], err_msg=name)
    assert np.isnan(d.macd[:2]).all() and not d.cross[:2].any() and not d.fomc_window[:2].any()
    assert not d.snapshot(1).valid and d.snapshot(100) == s.snapshot(98)  # the first bars read no signal
    np.testing.assert_array_equal(shift(np.array([1, 2, 3], dtype=np.int8), 5), [0, 0, 0])
    x = dataclasses.replace(s, extra={"x": np.arange(len(s.dates), dtype=float)})  # a hedge.signals plug-in's values
    assert delayed(x, 2).snapshot(5).extra["x"] == 3.0 and np.isnan(delayed(x, 2).snapshot(1).extra["x"])
    frame = d.frame()
    assert list(frame.columns[:2]) == ["signal_date", "vx_signal_series"] and "delay_bars" not in frame.columns
    assert frame["signal_date"].iloc[2] == s.dates[0].date() and frame["signal_date"].iloc[1] is None


@pytest.mark.parametrize("value, says", [
    (-1, "execution.signal_delay_bars = -1 is invalid: use a whole number of bars 0..5"),
    (6, "execution.signal_delay_bars = 6 is invalid: use a whole number of bars 0..5"),
    (1.5, "execution.signal_delay_bars = 1.5 is invalid: use a whole number"),
    (True, "execution.signal_delay_bars = true is invalid: use a whole number"),  # as TOML spells it (trial)
    ("1", "execution.signal_delay_bars = '1' is invalid: use a whole number"),
])
def test_a_bad_delay_is_one_line_naming_the_field_and_the_fix(value, says, tmp_path):
    path = tmp_path / "c.toml"
    path.write_text(f"[execution]\nsignal_delay_bars = {json.dumps(value)}\n")
    with pytest.raises(C.ConfigError) as err:
        C.load(path)
    assert f"c.toml: {says}" in str(err.value)  # the file, the field, the value and the fix
    assert "\n" not in str(err.value)
    with pytest.raises(C.ConfigError, match="execution.signal_delay_bars"):
        C.ExecutionConfig(signal_delay_bars=value)


def test_the_default_config_text_is_unchanged_and_a_delay_is_written():
    assert "signal_delay_bars" not in C.to_toml(C.Config())  # the default run's config.toml (its golden digest)
    cfg = C.replace(C.Config(), execution={"signal_delay_bars": 1})
    assert "signal_delay_bars = 1" in C.to_toml(cfg)
    assert C.from_dict(C.to_dict(cfg)) == cfg


SPEC = """
[sweep]
name = "delay"
workers = 1
kernel = "{kernel}"
[base]
run = {{ start = 2015-06-01, end = 2016-03-31 }}

[grid]
"execution.signal_delay_bars" = [0, 1]
"""


def test_a_sweep_varies_the_delay_on_the_kernel_as_on_the_event_path(tmp_path, market):
    """The grid takes the key; the kernel's rows equal the event path's (sweep.kernel = "off"), and the two delays
    give different runs (the August 2015 spike: layers open and close a bar later)."""
    rows = {}
    for kernel in ("auto", "off"):
        path = tmp_path / f"{kernel}.toml"
        path.write_text(SPEC.format(kernel=kernel))
        out = tmp_path / kernel
        rows[kernel] = pd.read_csv(sw.run_sweep(sw.load_spec(path), out, market, progress=False)).sort_values(
            "point").reset_index(drop=True)
        paths = json.loads((out / "paths.json").read_text())
        assert paths["kernel" if kernel == "auto" else "event"] == 2
    pd.testing.assert_frame_equal(rows["auto"], rows["off"], rtol=1e-9)
    auto = rows["auto"].set_index("execution.signal_delay_bars")
    assert sorted(auto.index) == [0, 1]
    numeric = auto.select_dtypes("number")
    assert (numeric.loc[0] != numeric.loc[1]).any()


@pytest.mark.realdata
def test_the_real_data_layer_of_2014_03_03_fills_the_next_session_with_delay_1(shared_data):
    """The defect's example (../shared/data, the real VX settles): the MACD crosses up on 2014-03-03 on the April
    VX settle 16.65 and, with delay 0, the layer fills that bar at the ask 16.70 (mid 16.65); with delay 1 it fills
    on 2014-03-04 at that session's ask 15.65 (the April settle 15.60)."""
    cfg = C.replace(C.load_default(), market={"source": "directory", "data_dir": str(shared_data)},
                    run={"start": "2014-03-03", "end": "2014-03-14"})
    real = build_market(cfg.market)
    for bars, day, price, mid in ((0, dt.date(2014, 3, 3), 16.70, 16.65), (1, dt.date(2014, 3, 4), 15.65, 15.60)):
        res = run_backtest(C.replace(cfg, execution={"signal_delay_bars": bars}), real, engine="fast")
        add = _first_add(res)
        assert (add["date"].date(), add["reason"], add["price"], add["mid"]) == (day, "macd_cross_up", price, mid)
        assert add["bid"] == mid  # a settle on the grid is the bid, the ask a tick above (README "Quotes and fills")
    readme = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    assert "the layer fills at the ask 16.70 (trades.csv `mid` 16.65: the settle, the mark) that bar" in readme
