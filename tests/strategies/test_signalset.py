"""The policy's signal set: causal on every bar, wired to the config, snapshots as the policy sees them."""

from __future__ import annotations

import dataclasses
import datetime as dt

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.market import build_market
from strategies.signalset import SignalInputs, SignalSet, compute, inputs_from_market
from vixhedge.core import config as C
from vixhedge.core import signals as sig

ARRAYS = [f.name for f in dataclasses.fields(SignalSet) if f.name not in ("dates", "notes", "extra")]


@pytest.fixture(scope="module")
def market():
    return build_market(C.load_default().market)


@pytest.fixture(scope="module")
def every_rule():
    """A hedge config that switches every signal-dependent rule on."""
    return C.replace(C.load_default(), hedge={
        "confirm": {"hold_bars": 2, "require_expanding": True}, "rsi": {"enabled": True},
        "divergence": {"source": "spx"}, "fomc": {"require_ad": True}}).hedge


@pytest.fixture(scope="module")
def inputs(market, every_rule):
    base = inputs_from_market(market, every_rule)
    rng = np.random.default_rng(11)
    n = len(base.dates)
    return dataclasses.replace(base, advances=rng.integers(100, 400, n).astype(float),
                               declines=rng.integers(100, 400, n).astype(float))


@pytest.fixture(scope="module")
def full(inputs, every_rule):
    return compute(inputs, every_rule)


@settings(max_examples=12, deadline=None)
@given(t=st.integers(0, 1256))
def test_truncating_the_inputs_after_bar_t_changes_no_signal_up_to_t(inputs, every_rule, full, t):
    part = compute(inputs.head(t + 1), every_rule)
    for name in ARRAYS:
        np.testing.assert_array_equal(getattr(part, name), getattr(full, name)[: t + 1], err_msg=name)


def test_signals_are_wired_to_the_config(inputs, every_rule, full):
    m = every_rule.macd
    lines = sig.macd(inputs.vx, m.fast, m.slow, m.signal)
    np.testing.assert_array_equal(full.hist, lines.hist)
    np.testing.assert_array_equal(full.rsi, sig.rsi(inputs.vix, every_rule.rsi.period))
    spx = sig.macd(inputs.spx, m.fast, m.slow, m.signal).macd
    np.testing.assert_array_equal(full.divergence, sig.divergence(inputs.spx, spx, 5, 5, 5, 60))
    assert (full.confirmed_cross != 0).sum() < (full.cross != 0).sum()  # confirmation filters crossovers
    assert full.fomc_window.sum() == pytest.approx(40 * 4, abs=8)  # 4 sessions around 40 announcements
    assert np.isfinite(full.ad_weakening).all() and full.notes == ()



def test_the_fomc_window_and_the_expansion_rule_read_the_right_terms(inputs, every_rule, full):
    """Mutation trial (2026-12-04): swapping days_before and days_after (2 and 1 in default.toml) kept the window's
    count above, and ``expanding_above_zero`` read off the MACD line instead of the histogram passed every test.
    The 2016-03-16 FOMC statement (feeds/calendar_data) opens the window 2 sessions before and closes it 1 after:
    2016-03-14..17. The rule is the histogram's (README, ALVH rules: histogram expansion above zero), so it holds on
    bars where the histogram is above zero and expanding while the MACD line itself is still below zero."""
    days = inputs.dates
    window = days[full.fomc_window & (days >= "2016-03-07") & (days <= "2016-03-25")]
    assert [d.strftime("%m-%d") for d in window] == ["03-14", "03-15", "03-16", "03-17"]
    # the CPI/PPI window (hedge.events: 1 session before, 0 after; feeds/calendar_data/events.csv: PPI 2016-04-13,
    # CPI 2016-04-14, BLS release dates): 04-12..14, never 04-15 (swapping before and after passed every test but a
    # real-data rule count)
    events = days[full.event_window & (days >= "2016-04-08") & (days <= "2016-04-20")]
    assert [d.strftime("%m-%d") for d in events] == ["04-12", "04-13", "04-14"]
    up = sig.expanding(full.hist, every_rule.macd.expansion_bars)
    np.testing.assert_array_equal(full.expanding_above_zero, up & (full.hist > 0))
    assert (full.expanding_above_zero & (full.macd < 0)).any()


def test_vx_divergence_literal_by_default_equity_terms_as_an_option(inputs):
    s = compute(inputs, C.HedgeConfig())
    vx_regular = sig.divergence(inputs.vx, s.macd, 5, 5, 5, 60)
    np.testing.assert_array_equal(s.divergence, vx_regular)  # the text: VX lower low + MACD higher low
    assert (s.divergence > 0).any() and (s.divergence < 0).any()
    equity = C.replace(C.Config(), hedge={"divergence": {"pattern": "equity"}}).hedge
    # VX higher high + weaker MACD = equity-bullish
    np.testing.assert_array_equal(compute(inputs, equity).divergence, -vx_regular)


def test_missing_ad_input_disables_the_fomc_rule_with_a_note(market):
    cfg = C.HedgeConfig()
    s = compute(inputs_from_market(market, cfg), cfg)
    assert np.isnan(s.ad_weakening).all()
    assert s.snapshot(500).ad_weakening is None
    assert any("no S&P 500 advance/decline input" in n and "give hedge.fomc.ad_csv" in n
               and "hedge.fomc.require_ad = false" in n for n in s.notes)  # the note names the fix
    quiet = C.replace(C.Config(), hedge={"fomc": {"require_ad": False}}).hedge
    assert compute(inputs_from_market(market, quiet), quiet).notes == ()


def test_the_missing_ad_note_names_every_window_rule_it_disables(market):
    """Without A/D both window accelerations are off (strategies.hedge.review_cadence: fomc_cadence and
    event_window share fomc.require_ad; the README's presets table has event_window 0 for default): the note
    names each one the config enables, and a config with the FOMC rule off still gets one for CPI/PPI."""
    def notes(hedge: dict) -> tuple[str, ...]:
        cfg = C.replace(C.Config(), hedge=hedge).hedge
        return tuple(n for n in compute(inputs_from_market(market, cfg), cfg).notes if "advance/decline" in n)

    (both,) = notes({})
    assert "the FOMC and CPI/PPI acceleration rules (fomc_cadence, event_window: " in both and "are disabled" in both
    (fomc,) = notes({"events": {"enabled": False}})
    assert "the FOMC acceleration rule (fomc_cadence: " in fomc and "CPI" not in fomc
    (event,) = notes({"fomc": {"enabled": False}})
    assert "the CPI/PPI acceleration rule (event_window: " in event and "give hedge.fomc.ad_csv" in event
    assert notes({"fomc": {"enabled": False}, "events": {"enabled": False}}) == ()  # no window rule to disable


def test_a_calendar_that_does_not_cover_the_data_is_noted(inputs):
    s = compute(inputs, C.HedgeConfig(), fomc_dates=(dt.date(2016, 3, 16),))
    assert any("covers 2016-01-01..2016-12-31" in n for n in s.notes)


def test_snapshot_carries_every_value_of_the_bar(full):
    i = int(np.flatnonzero(full.confirmed_cross != 0)[0])
    s = full.snapshot(i)
    assert s.valid and s.event == full.confirmed_cross[i] and s.macd == full.macd[i]
    assert isinstance(s.fomc_window, bool) and isinstance(s.ad_weakening, bool)
    assert not full.snapshot(0).valid  # warm-up


def test_frame_is_indexed_by_date_with_named_columns(full):
    f = full.frame()
    assert f.index.name == "date" and f.index[0] == full.dates[0].date()
    assert {"vx_signal_series", "front_vx", "macd", "macd_signal", "macd_hist", "divergence", "rsi",
            "fomc_window", "flattening"} <= set(f.columns)


def test_inputs_must_be_aligned(inputs):
    with pytest.raises(ValueError, match=r"signal input vix has 3 rows for 1257 dates: align it"):
        SignalInputs(inputs.dates, inputs.vx, inputs.front_vx, inputs.vix[:3], inputs.spx)


def test_a_signal_set_pickles_after_use_and_equals_itself() -> None:
    """backtrader's optstrategy pickles each strategy's params (the SignalSet among them) back to the parent."""
    import pickle

    cfg = C.load_default()
    s = compute(inputs_from_market(build_market(cfg.market), cfg.hedge), cfg.hedge)
    snap = s.snapshot(40)
    back = pickle.loads(pickle.dumps(s))
    assert back.snapshot(40) == snap


def test_a_front_runner_does_not_act_twice_on_a_projected_cross_that_came_true():
    """Trial MUT25 (S6): acting on every actual cross survived. strategies.signalset._front_run's docstring (README
    rules table, ``front_run``: one flag per approach): the up cross projected on bar 0 came true on bar 2 and is
    not acted on again; the down cross on bar 5 was not projected and is acted on (hand-derived)."""
    from strategies.signalset import _front_run

    out = _front_run(np.array([0, 0, 1, 0, 0, -1], dtype=np.int8), np.array([1, 0, 0, 0, 0, 0], dtype=np.int8))
    assert out.tolist() == [1, 0, 0, 0, 0, -1]


def test_require_expanding_confirms_an_up_cross_when_the_histogram_rises(inputs):
    """Trial MUT25 (S7): passing the contracting mask as the up cross's agreement survived. README
    (``confirm.require_expanding``; vixhedge.core.crossings.confirmed_cross): an up cross is confirmed on the first
    bar at / after it where the histogram rose on each of the last ``macd.expansion_bars`` (2) bars. Crafted lines
    (signal 0, so MACD = histogram): the cross is on bar 11 (-0.5 -> 0.2); bar 14 (0.1, 0.3, 0.5) is the first
    with two rises; the histogram then falls (bar 16 is the first with two falls: not an up confirmation)."""
    from strategies.signalset import assemble, context

    cfg = C.replace(C.load_default(), hedge={"confirm": {"require_expanding": True},
                                             "macd": {"expansion_bars": 2}}).hedge
    part = inputs.head(30)
    hist = np.array([-1.0] * 9 + [-0.4, -0.5, 0.2, 0.1, 0.3, 0.5, 0.4, 0.3, 0.2] + [0.1] * 12)
    lines = sig.Macd(macd=hist, signal=np.zeros(30), hist=hist)
    s = assemble(context(part, cfg), part, cfg, lines, np.zeros(30, dtype=np.int8))
    assert np.flatnonzero(s.cross).tolist() == [11] and s.cross[11] == 1
    assert np.flatnonzero(s.confirmed_cross).tolist() == [14] and s.confirmed_cross[14] == 1


def test_the_ppi_window_reads_the_ppi_releases():
    """Trial MUT25 (S15): reading ``events.ppi`` from ``events.cpi`` survived. The packaged calendar
    (feeds/calendar_data/events.csv: 2016-01-15 ppi, 2016-01-20 cpi): PPI alone gives the PPI dates, not none."""
    from strategies.signalset import release_dates

    ppi = release_dates(C.replace(C.load_default(), hedge={"events": {"cpi": False, "ppi": True}}).hedge)
    cpi = release_dates(C.replace(C.load_default(), hedge={"events": {"cpi": True, "ppi": False}}).hedge)
    assert dt.date(2016, 1, 15) in ppi and dt.date(2016, 1, 20) not in ppi
    assert dt.date(2016, 1, 20) in cpi and dt.date(2016, 1, 15) not in cpi


def test_the_window_mask_cache_tells_sessions_before_apart():
    """Trial MUT25 (S11): a window-mask cache key without ``before`` survived. feeds.fomc.window_mask (offsets in
    sessions, the announcement's own session 0): on 2016-01-04.. business days, an announcement on Friday
    2016-01-08 (bar 4) marks bar 4 with 0 sessions before, bars 2..4 with 2 (hand count), on the same dates."""
    import pandas as pd

    from strategies.signalset import _window_mask

    dates = pd.bdate_range("2016-01-04", periods=10)
    days = (dt.date(2016, 1, 8),)
    assert np.flatnonzero(_window_mask(dates, days, 0, 0)).tolist() == [4]
    assert np.flatnonzero(_window_mask(dates, days, 2, 0)).tolist() == [2, 3, 4]
