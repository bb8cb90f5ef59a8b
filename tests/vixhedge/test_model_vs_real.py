"""The model-vs-real report's arithmetic (the comparison itself runs in the README command, on real data)."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from vixhedge.fmt import usd_k
from vixhedge.model_vs_real import _apart, daily_change_beta, swaps_report


def test_daily_change_beta_recovers_a_known_slope():
    rng = np.random.default_rng(0)
    vix = 15 + np.cumsum(rng.normal(0, 1, 500))
    series = 20 + 0.6 * (vix - 15) + rng.normal(0, 0.05, 500)  # daily changes: 0.6 x VIX's plus noise
    assert daily_change_beta(series, vix) == pytest.approx(0.6, abs=0.01)
    series[10] = np.nan  # a missing day drops its two changes, not the whole series
    assert daily_change_beta(series, vix) == pytest.approx(0.6, abs=0.01)


def test_money_and_gap_formatting():
    assert usd_k(-100_000.0) == "-$100.0k" and usd_k(43_500.0) == "$43.5k"  # model_vs_real's money (vixhedge.fmt)
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


def test_the_out_of_sample_curve_is_the_packaged_fit_before_the_window_and_the_default_is_the_full_fit():
    """Trial E (causality, 2026-12-04): the default [market.vx_curve] is vx_curve.json's fit on every settle
    (2004-2023), the 2014-2018 default window among them, so the embedded market's figures are in sample for its
    curve. curve_before picks the forward split (fit < 2014-01-01) for a window from 2014-03-03, and none for a
    window before that split's day."""
    import datetime as dt
    import json

    from feeds.vxfit_spx import CALIBRATION
    from vixhedge.core import config as C
    from vixhedge.model_vs_real import curve_before

    two = json.loads(CALIBRATION.read_text(encoding="utf-8"))["two_factor"]
    default = C.VxCurveConfig()
    assert {k: getattr(default, k) for k in two["fit"]["params"]} == two["fit"]["params"]
    day, params = curve_before(dt.date(2014, 3, 3))
    assert day == "2014-01-01" and params == two["out_of_sample"][0]["params"] != two["fit"]["params"]
    assert curve_before(dt.date(2013, 12, 31)) is None


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


def _on_curve(market, mids: dict[tuple[str, str], float]):
    """``market`` with a VX curve that holds only ``mids`` ({(day, contract's settlement day): price}), NaN elsewhere:
    a repricing that reads any other cell gives NaN."""
    import dataclasses
    import datetime as dt

    from feeds.market import Market

    prices = np.full(market.vx.prices.shape, np.nan)
    for (day, settles), mid in mids.items():
        prices[market.index_of(dt.date.fromisoformat(day)), market.vx.column(dt.date.fromisoformat(settles))] = mid
    out = Market(market.data, market.cfg, vx_panel=market.vx_panel, options=market.options,
                 rate_series=market.rate_series, vol_indices=market.vol_indices)
    out.vx = dataclasses.replace(market.vx, prices=prices)
    return out


def _schedule(fills: list[tuple[str, int, str]], last_day: str):
    """A run as split reads it: VX fills (day, qty, contract's settlement day) beside an SPX option fill it must
    ignore, and a daily index ending on ``last_day``."""
    import types

    rows = [("vx_future", qty, settles) for _, qty, settles in fills] + [("spx_option", -1, "2015-09-18")]
    trades = pd.DataFrame(rows, columns=["kind", "qty", "expiry"],
                          index=pd.DatetimeIndex([d for d, _, _ in fills] + [fills[0][0]], name="date"))
    trades["expiry"] = pd.to_datetime(trades["expiry"])
    return types.SimpleNamespace(trades=trades, daily=pd.DataFrame(index=pd.DatetimeIndex([last_day])))


def test_split_reprices_each_runs_fills_on_each_curve(embedded, monkeypatch):
    """split's 2 x 2 table and its pricing / schedule halves on two hand-made schedules and curves, against the
    P&L worked out by hand below (no backtest: run_quietly hands split the two schedules).

    Mids sit half a tick off the CFE grid (tick 0.05), so a one-tick spread (market.spreads.vx_future = 0.05)
    quotes them 0.025 either side: 13.025 -> 13.00 / 13.05. A fill on a contract's settlement day is at the
    settlement value, no spread; a contract open at the end is marked at the real run's last day's mid; USD 1,000
    a point. Every other cell of the curves is NaN, and the modelled run's last day differs from the real run's.
    """
    from vixhedge import model_vs_real_gap as gap

    cfg, market = embedded
    assert market.cfg.spreads.vx_future == 0.05
    sep, nov, jan = "2015-09-16", "2015-11-18", "2016-01-20"  # VX Sep 15, Nov 15, Jan 16 settlement days
    real = _on_curve(market, {("2015-08-03", sep): 13.025, ("2015-08-10", sep): 13.525, ("2015-08-24", sep): 25.025,
                              ("2015-10-01", nov): 20.025, ("2015-11-18", nov): 15.27,
                              ("2015-12-01", jan): 17.525, ("2015-12-15", jan): 18.025, ("2015-12-31", jan): 19.40})
    model = _on_curve(market, {("2015-08-03", sep): 14.025, ("2015-08-10", sep): 14.525, ("2015-08-24", sep): 21.025,
                               ("2015-10-01", nov): 19.025, ("2015-11-18", nov): 16.00,
                               ("2015-12-01", jan): 18.525, ("2015-12-15", jan): 17.025, ("2015-12-31", jan): 18.10})
    runs = {id(real): _schedule([("2015-08-03", 2, sep), ("2015-08-24", -2, sep), ("2015-10-01", 1, nov),
                                 ("2015-11-18", -1, nov), ("2015-12-01", 1, jan)], "2015-12-31"),
            id(model): _schedule([("2015-08-10", 1, sep), ("2015-08-24", -1, sep), ("2015-12-15", 3, jan)],
                                 "2015-12-30")}
    monkeypatch.setattr(gap, "run_quietly", lambda c, m: runs[id(m)])
    s = gap.split(cfg, real, model)
    by_hand = {
        # real fills: Sep 2 x (25.00 bid - 13.05 ask) + Nov (15.27 settled - 20.05) + Jan (19.40 mark - 17.55)
        ("real", "real"): (2 * (25.00 - 13.05) + (15.27 - 20.05) + (19.40 - 17.55)) * 1000,  # 20,970
        ("real", "model"): (2 * (21.00 - 14.05) + (16.00 - 19.05) + (18.10 - 18.55)) * 1000,  # 10,400
        # modelled fills: Sep 1 x (25.00 - 13.55) + Jan 3 x (19.40 mark - 18.05 ask)
        ("model", "real"): ((25.00 - 13.55) + 3 * (19.40 - 18.05)) * 1000,  # 15,500
        ("model", "model"): ((21.00 - 14.55) + 3 * (18.10 - 17.05)) * 1000,  # 9,600
    }
    assert s.pnl == pytest.approx(by_hand, abs=1e-6)
    assert (s.pricing("real"), s.pricing("model")) == pytest.approx((10_400 - 20_970, 9_600 - 15_500), abs=1e-6)
    assert (s.schedule("real"), s.schedule("model")) == pytest.approx((15_500 - 20_970, 9_600 - 10_400), abs=1e-6)
    assert s.gap == pytest.approx(9_600 - 20_970, abs=1e-6)


def test_a_noiseless_copy_changes_nothing_and_the_noise_is_seeded(embedded):
    """with_noise(sigma=0) copies every input of the Market (a missed one would move the modelled run: a schedule
    or pricing term); the same seed gives the same noise and so the same run."""
    from vixhedge.model_vs_real_gap import run_quietly, split, with_noise

    cfg, market = embedded
    same = split(cfg, market, with_noise(market, 0.0, 0))  # two identical curves: no gap, no pricing, no schedule
    assert same.gap == 0.0 and same.pricing("real") == 0.0 and same.schedule("model") == 0.0
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


def test_the_split_reports_gap_is_the_mean_pricing_plus_the_mean_schedule():
    """MUT27 MG14: split_report's last line, README "Gap -$39.7k = pricing -$28.3k + schedule -$11.4k (each the mean
    of its two orders)". By hand: fills of the real run -$100k on the real curve, -$130k on the modelled; of the
    modelled run -$90k and -$150k. Gap = -150 - (-100) = -50; pricing = mean(-130 + 100, -150 + 90) = -45; schedule
    = mean(-90 + 100, -150 + 130) = -5; -45 + -5 = -50."""
    from vixhedge.model_vs_real_gap import Split, split_report

    s = Split({("real", "real"): -100_000.0, ("real", "model"): -130_000.0, ("model", "real"): -90_000.0,
               ("model", "model"): -150_000.0})
    assert split_report(s).splitlines()[-1] == ("Gap -$50.0k = pricing -$45.0k + schedule -$5.0k (each the mean of "
                                                "its two orders).")


def test_the_gap_windows_are_whole_months_of_sessions():
    """MUT27 MG16: README's window table reads "2004-06 .. 2008-12", "2009-01 .. 2013-12", "2014-03 .. 2018-12",
    "2019-01 .. 2024-12": each window runs from the first XNYS session of its first month to the last of its last
    (exchange_calendars, not the shipped closures): 2008-12-30 would leave out 2008-12-31."""
    from feeds.sessions import build_exchange_calendar
    from vixhedge.model_vs_real_gap import WINDOWS

    xnys = build_exchange_calendar(start=dt.date(2004, 1, 2), end=dt.date(2024, 12, 31))
    months = (("2004-06", "2008-12"), ("2009-01", "2013-12"), ("2014-03", "2018-12"), ("2019-01", "2024-12"))
    want = []
    for first, last in months:
        s = xnys.sessions  # (sessions_in_range raises under pandas 3 before exchange_calendars 4.13: COMPAT39)
        a = s[s >= f"{first}-01"][0]
        b = s[s <= pd.Period(last, "M").end_time.normalize()][-1]
        want.append((a.strftime("%Y-%m-%d"), b.strftime("%Y-%m-%d")))
    assert [tuple(map(str, w)) for w in WINDOWS] == want


@pytest.mark.realdata
def test_on_real_settles_a_hundredth_of_a_point_of_noise_moves_alvh_more_than_the_20_percent_target(real_2014_2018):
    """README "Model vs real market", reason 1 (`python -m vixhedge.model_vs_real --data-dir ../shared/data`)."""
    from vixhedge.core import config as C
    from vixhedge.model_vs_real_gap import noise_floor, run_quietly

    cfg, market = real_2014_2018
    alvh = run_quietly(cfg, market).metrics["pnl"]["hedge_pnl_usd"]
    assert alvh == pytest.approx(-87_075.0, abs=1.0)  # the README's real-settles figure (-$87.1k)
    noisy = noise_floor(cfg, market, 0.01, 5)  # seeds 0-4 of the README's 20
    assert np.ptp(noisy) > 0.2 * abs(alvh)  # 0.01 points (a fifth of a VX tick) spans more than the target's 20%
    static = noise_floor(C.replace(cfg, hedge={"mode": "static"}), market, 0.01, 5)
    assert np.ptp(static) < 1_000.0  # the static hedge barely moves (README: -$65.9k .. -$64.8k over 20 seeds)
