"""VXTH baseline policy: weight schedule and monthly roll, on crafted states."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from strategies import hedge as hp
from strategies.book import AddLayer, BookState, Decision, Layer, UnitQuote
from strategies.signalset import Snapshot
from strategies.vxth import vxth_weight
from vixhedge.core.config import HedgeConfig, HedgeInstrument, HedgeMode, VxthConfig
from vixhedge.core.instruments import Contract, Kind, Right

CALL = UnitQuote(notional_usd=1_800.0, premium_usd=100.0, vega_usd=30.0)
CFG = HedgeConfig(mode=HedgeMode.VXTH, roll_days=5)


@pytest.mark.parametrize("front_vx, weight", [
    (12.0, 0.0), (15.0, 0.0), (15.01, 0.01), (30.0, 0.01), (30.5, 0.005), (50.0, 0.005), (50.1, 0.0),
    (float("nan"), 0.0)], ids=lambda v: f"{v}")
def test_weight_schedule_by_front_vx(front_vx, weight):
    assert vxth_weight(front_vx, VxthConfig()) == weight


def _snap(front_vx):
    return Snapshot(vx=front_vx, macd=0.0, signal=0.0, hist=0.0, front_vx=front_vx)


def _layer(i=1):
    leg = Contract(Kind.VIX_OPTION, dt.date(2016, 4, 20), 20.0, Right.CALL)
    return Layer(i, HedgeInstrument.VIX_CALL, ((leg, 50),), 90_000.0, "vxth", dt.date(2016, 3, 16), 5_000.0)


def _state(layers=(), bars=10, expiration=False, vx=20.0, **kw):
    return BookState(layers=tuple(layers), days_to_expiry={L.layer_id: 20 for L in layers}, bars_in_run=bars,
                     nav_usd=1_000_000.0, unit=CALL, vix_expiration=expiration, new_future=vx, **kw)


def test_first_bar_buys_weight_times_nav_of_premium():
    d = hp.decide(_state(bars=0), _snap(20.0), CFG)
    assert d.actions == (AddLayer(100, 1.0, "vxth"),)  # 1% x 1,000,000 / 100 per call


def test_the_calls_bought_never_cost_more_than_the_weight():
    """A whole number of calls whose premium stays within weight x NAV: 1% x 1,000,000 / $150 = 66.7 -> 66 ($9,900;
    67 would spend $10,050, over the weight; mutation trial, 2026-12-04: rounding passed every test whose premium
    divided the budget exactly)."""
    state = BookState(layers=(), days_to_expiry={}, bars_in_run=0, nav_usd=1_000_000.0, new_future=20.0,
                      unit=UnitQuote(notional_usd=1_800.0, premium_usd=150.0, vega_usd=30.0))
    assert hp.decide(state, _snap(20.0), CFG).actions == (AddLayer(66, 1.0, "vxth"),)


def test_without_calls_it_waits_for_the_vix_expiration():
    assert hp.decide(_state(bars=7), _snap(20.0), CFG) == Decision()
    d = hp.decide(_state(bars=7, expiration=True, vx=35.0), _snap(20.0), CFG)
    assert d.actions == (AddLayer(50, 1.0, "vxth_roll"),)  # 0.5% above 30


def test_weight_reads_the_vx_of_the_calls_month_not_the_front():
    # Cboe: the forward VIX of the calls' month sets the weight; the front (expiring) contract is ignored
    d = hp.decide(_state(bars=7, expiration=True, vx=14.0), _snap(20.0), CFG)
    assert d.actions == () and d.fired == ("vxth_roll!weight_0",)


def test_held_calls_are_held_to_settlement_never_sold():
    for expiration in (False, True):
        assert hp.decide(_state([_layer()], expiration=expiration), _snap(20.0), CFG) == Decision()


def test_premium_budget_caps_the_calls():
    cfg = HedgeConfig(mode=HedgeMode.VXTH, premium_budget_usd=2_500.0)
    # 100 calls wanted (weight 1% of $1,000,000 at $100 a call, test_first_bar_buys_weight_times_nav_of_premium), 25
    # within the $2,500 budget: the cut is named for the trader's capital log (Trader._apply), with what it counted
    assert hp.decide(_state(bars=0), _snap(20.0), cfg).actions == (AddLayer(
        25, 1.0, "vxth", wanted=100, cap="premium_budget_usd", cap_counted="$0 paid, $100 a contract"),)



def test_a_cap_that_leaves_no_call_is_a_refused_add_of_0():
    """MUT28 vt5: README *ALVH* 6 (the caps): "a cut to none is rule!premium_budget_usd in rules_fired and a refuse
    row", so the decision carries an add of 0 contracts the trader logs as refused. By hand: 100 calls wanted (1% of
    $1,000,000 at $100 a call), a $50 budget fits floor(50 / 100) = 0."""
    cfg = HedgeConfig(mode=HedgeMode.VXTH, premium_budget_usd=50.0)
    d = hp.decide(_state(bars=0), _snap(20.0), cfg)
    assert d.actions == (AddLayer(0, 1.0, "vxth", wanted=100, cap="premium_budget_usd",
                                  cap_counted="$0 paid, $100 a contract"),)
    assert d.fired == ("vxth!premium_budget_usd",)


def test_a_call_quoted_at_no_premium_buys_nothing():
    """MUT28 vt8: a call whose premium is 0 (nothing quoted) sizes no calls (``if premium > 0 else 0``), named
    weight_0 as a zero weight is, rather than dividing by it."""
    state = BookState(layers=(), days_to_expiry={}, bars_in_run=0, nav_usd=1_000_000.0, new_future=20.0,
                      unit=UnitQuote(notional_usd=1_800.0, premium_usd=0.0, vega_usd=30.0))
    d = hp.decide(state, _snap(20.0), CFG)
    assert d.actions == () and d.fired == ("vxth!weight_0",)

# --------------------------------------------------------------------------- the pure replica (vixhedge.vxth_index)

@pytest.fixture(scope="module")
def embedded():
    from feeds.market import build_market
    from vixhedge.core import config as C

    return build_market(C.load_default().market)


def test_replica_buys_weighted_calls_at_each_expiration_and_holds_them(embedded):
    from feeds import calendars
    from vixhedge.vxth_index import replica
    from vixhedge.core import config as C

    cfg = C.load_preset("vxth")
    rep = replica(embedded, cfg, dt.date(2015, 1, 2), dt.date(2016, 12, 30))
    assert rep["spx_tr"].iloc[0] == pytest.approx(100.0)
    assert 99.5 < rep["vxth"].iloc[0] <= 100.0  # the calls bought at the ask are marked at mid
    expirations = [d for d in rep.index if calendars.vx_settlement_date(d.year, d.month) == d]
    assert rep.index[0] == expirations[0] and len(expirations) == 24
    m = embedded
    for day in expirations:
        i = m.index_of(day)
        vx_next = float(m.vx_quote(i, m.vx.nth_contract(i, 1).settlement).mid)  # the calls' month
        assert rep.loc[day, "weight"] == vxth_weight(vx_next, cfg.hedge.vxth)
    # the calls (count and strike) change only on expiration days: held to settlement
    changed = rep.index[1:][(rep["calls"].diff().iloc[1:] != 0).to_numpy()]
    assert set(changed) <= set(expirations)
    assert ((rep["calls"] > 0) == (rep["weight"] > 0)).all()


def test_replica_buys_no_calls_at_a_zero_weight_roll(embedded):
    """MUT26 X8 (``weight > 0`` -> ``>= 0``): vxth_index's docstring (Cboe's VXTH rules): a weight of "0% at or below
    15" buys no calls. On the embedded market in 2015-2016 the weight is 0 at 4 of the 24 expirations (2015-05-20,
    2015-07-22, 2016-07-20, 2016-12-21, the calls' month VX at or below 15): no strike is held after them and only
    the 20 others are purchases."""
    from vixhedge.vxth_index import _is_expiration, replica
    from vixhedge.core import config as C

    rep = replica(embedded, C.load_preset("vxth"), dt.date(2015, 1, 2), dt.date(2016, 12, 30))
    rolls = rep[[_is_expiration(d) for d in rep.index]]
    zero = [d for d in rolls.index if rolls.loc[d, "weight"] == 0]
    assert zero == [dt.date(2015, 5, 20), dt.date(2015, 7, 22), dt.date(2016, 7, 20), dt.date(2016, 12, 21)]
    assert rolls.loc[zero, "strike"].isna().all()
    assert [r["bought"] for r in rep.attrs["rolls"]] == [d for d in rolls.index if d not in zero]


def test_replica_starts_on_a_window_start_that_is_an_expiration(embedded):
    """MUT26 X10 (``d >= start`` -> ``>``): vxth_index's docstring, "the index starts at 100 on the first VIX
    expiration of the window": a window from 2015-01-21, itself the January 2015 VIX expiration, starts there."""
    from vixhedge.vxth_index import _is_expiration, replica
    from vixhedge.core import config as C

    assert _is_expiration(dt.date(2015, 1, 21))
    rep = replica(embedded, C.load_preset("vxth"), dt.date(2015, 1, 21), dt.date(2015, 6, 30))
    assert rep.index[0] == dt.date(2015, 1, 21) and rep["spx_tr"].iloc[0] == pytest.approx(100.0)


def test_calendar_years_first_year_runs_from_the_first_day():
    """MUT26 X9 (the first year measured from the second row): calendar_years' docstring, "the first year from the
    start". Levels by hand: 100 on 2015-01-21, 110 on 06-01, 120 at the end of 2015, 132 at the end of 2016:
    2015 = 120 / 100 - 1 = 20%, 2016 = 132 / 120 - 1 = 10%."""
    import pandas as pd

    from vixhedge.vxth_index import calendar_years

    days = [dt.date(2015, 1, 21), dt.date(2015, 6, 1), dt.date(2015, 12, 31), dt.date(2016, 12, 30)]
    rep = pd.DataFrame({"vxth": [100.0, 110.0, 120.0, 132.0], "spx_tr": [100.0, 105.0, 150.0, 165.0]}, index=days)
    years = calendar_years(rep)
    assert years.index.tolist() == [2015, 2016]
    assert years["vxth"].tolist() == pytest.approx([0.2, 0.1])
    assert years["spx_tr"].tolist() == pytest.approx([0.5, 0.1])


def test_the_command_starts_after_the_signals_warm_up(embedded, monkeypatch):
    """MUT26 X14 (the start no longer moved past the warm-up): --start's help, "the first day after the signals'
    warm-up if that is later", and --end's, "the market's last day if that is earlier". The embedded market begins
    2014-01-03; hedge.macd.warmup_bars is 34, so its 35th session, 2014-02-24 (counted on the calendar), is the
    start; it ends 2018-12-31."""
    from vixhedge import vxth_index
    from vixhedge.core import config as C

    seen = []

    def compare(market, start, end, pub=None):
        seen.append((start, end))
        raise KeyboardInterrupt  # stop before the runs

    monkeypatch.setattr(vxth_index, "compare", compare)
    assert C.load_default().hedge.macd.warmup_bars == 34 and embedded.days[34] == dt.date(2014, 2, 24)
    with pytest.raises(KeyboardInterrupt):
        vxth_index.main(["--start", "2014-01-03", "--end", "2030-01-01"])
    assert seen == [(dt.date(2014, 2, 24), dt.date(2018, 12, 31))]


def test_condor_switch_runs_the_overlay_alone(embedded):
    from vixhedge.core import config as C
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_preset("vxth"), run={"start": "2015-06-01", "end": "2015-12-31"}, condor={"enabled": False})
    res = run_backtest(cfg, embedded, engine="fast")
    assert res.condors.empty and len(res.layers) >= 4
    assert set(res.trades["kind"]) == {"vix_option"}


@pytest.mark.realdata
def test_replica_on_real_vx_loses_less_than_the_index_in_2008(shared_data):
    from analyzers import metrics as M
    from feeds.market import build_market
    from vixhedge.vxth_index import calendar_years, replica
    from vixhedge.core import config as C

    data = shared_data
    cfg = C.replace(C.Config(), market={"source": "directory", "data_dir": str(data), "history_start": "2006-06-01"})
    rep = replica(build_market(cfg.market), C.load_preset("vxth"), dt.date(2007, 1, 3), dt.date(2009, 12, 31))
    years = calendar_years(rep)
    # README: 2008 +14.9 points over the S&P 500 total return (python -m vixhedge.vxth_index --data-dir ...; +18.7
    # on the hand-set VIX smile until 2026-12-05, +17.7 before 2026-12-04, when the calls of 2008-09-17 took strike
    # 32, never listed, where they now take 32.5)
    assert years.loc[2008, "vxth"] - years.loc[2008, "spx_tr"] == pytest.approx(0.149, abs=0.002)
    assert M.max_drawdown(rep["vxth"].to_numpy()) < M.max_drawdown(rep["spx_tr"].to_numpy()) - 0.05


def test_signals_csv_vxth_weight_is_the_bar_s_own_under_a_signal_delay(embedded):
    """Review (2026-12-03): with execution.signal_delay_bars = 1 signals.csv ``vxth_weight`` was computed from the
    delayed frame's front_vx (the bar before's), while VXTH trades on the bar's own quotes (the delay leaves it as
    it is, strategies.signaldelay). It is the weight of the bar's own front VX (RunResult.signals keeps each bar's
    own signals); the window is the vxth preset's on 2015, one VX expiration a month."""
    from vixhedge.core import config as C
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_preset("vxth"), run={"start": dt.date(2015, 1, 2), "end": dt.date(2015, 4, 30)},
                    execution={"signal_delay_bars": 1})
    res = run_backtest(cfg, embedded, engine="fast")
    log = res.signals_log
    own = pd.Series(res.signals.front_vx, index=pd.DatetimeIndex(res.signals.dates)).loc[
        pd.DatetimeIndex(log.index)].to_numpy()
    np.testing.assert_array_equal(log["front_vx"].to_numpy()[1:], own[:-1])  # the delayed frame: the bar before's
    assert log["vxth_weight"].tolist() == [vxth_weight(v, cfg.hedge.vxth) for v in own]
    assert log["vxth_weight"].tolist() != [vxth_weight(v, cfg.hedge.vxth) for v in log["front_vx"]]


@pytest.mark.realdata
def test_the_replica_tracks_cboes_published_vxth_closer_on_the_packaged_vix_smile(shared_data):
    """README table (python -m vixhedge.vxth_index --data-dir ../shared/data --smiles): over 2007-01..2023-12 the
    replica's return minus Cboe's published VXTH (the wide vol-index file's VXTH column) per roll period has an RMSE
    of 0.56 points on the packaged smile (level from VVIX) against 0.67 on the hand-set one of before 2026-12-05,
    and a daily tracking error of 2.93% against 3.47% a year; total returns 356.6% and 439.0% against the
    published 374.9%."""
    from feeds.market import build_market
    from vixhedge.core import config as C
    from vixhedge.vxth_index import replica
    from vixhedge.vxth_published import SMILES, published, tracking

    pub = published(shared_data)
    got = {}
    for name in ("packaged (level from VVIX)", "hand-set until 2026-12-05"):
        cfg = C.replace(C.Config(), market={"source": "directory", "data_dir": str(shared_data),
                                            "history_start": "2006-06-01", "vix_smile": SMILES[name]})
        got[name] = tracking(replica(build_market(cfg.market), C.load_preset("vxth"), dt.date(2007, 1, 3),
                                     dt.date(2023, 12, 29)), pub)
    new, old = got["packaged (level from VVIX)"], got["hand-set until 2026-12-05"]
    assert new["periods"] == old["periods"] == 203
    assert (round(new["rmse_points"], 2), round(old["rmse_points"], 2)) == (0.56, 0.67)
    assert (round(new["daily_te"], 4), round(old["daily_te"], 4)) == (0.0293, 0.0347)
    assert (round(new["total_replica"], 3), round(old["total_replica"], 3), round(new["total_published"], 3)) == (
        3.566, 4.390, 3.749)


def test_vxth_calls_settle_and_are_bought_anew_under_roll_days_0(embedded):
    """Trial MUT25 (T13): reopening a settled VXTH layer when ``hedge.roll_days = 0`` survived (the vxth preset has
    roll_days 5, which VXTH never reads). README (VXTH): the calls are held to settlement and bought anew at each VIX
    expiration for weight x NAV; ``roll_days = 0`` reopens a settled layer of the other policies only. On 2015 to
    April: three layers settle on the VIX expirations 2015-02-18, 03-18 and 04-15 (Wednesdays, hand calendar), each
    followed by a fresh purchase (vxth_roll), none reopened (no roll_in)."""
    from vixhedge.core import config as C
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_preset("vxth"), run={"start": dt.date(2015, 1, 2), "end": dt.date(2015, 4, 30)},
                    hedge={"roll_days": 0})
    res = run_backtest(cfg, embedded, engine="fast")
    assert res.layers["exit_reason"].tolist() == ["settled"] * 3 + ["open"]
    assert [str(d)[:10] for d in res.layers["exit_date"].iloc[:3]] == ["2015-02-18", "2015-03-18", "2015-04-15"]
    reasons = res.trades["reason"].astype(str)
    assert (reasons == "vxth_roll").sum() == 3 and not (reasons == "roll_in").any()


@pytest.mark.realdata
def test_compare_gives_the_readmes_vxth_table(shared_data):
    """MUT26 X13 (``rolls_with_calls``, read by nothing, removed) and the figures compare() makes: README (*VXTH: the
    replica and the overlay*; ``python -m vixhedge.vxth_index --data-dir ../shared/data`` prints them): window
    2007-01-17..2023-12-29, weights at the 204 rolls 1% 143 times, 0.5% 17, 0% 44; total returns 356.6% (replica),
    374.9% (published), 368.0% (S&P 500 TR), -6.9% (overlay alone); max drawdowns 46.2%, 55.5%, 38.1%."""
    from feeds.market import build_market
    from vixhedge.core import config as C
    from vixhedge.vxth_index import compare
    from vixhedge.vxth_published import published

    cfg = C.replace(C.Config(), market={"source": "directory", "data_dir": str(shared_data),
                                        "history_start": "2006-06-01"})
    table = compare(build_market(cfg.market), dt.date(2007, 1, 3), dt.date(2023, 12, 29), published(shared_data))
    assert table.attrs["window"] == "2007-01-17..2023-12-29"
    assert table.attrs["weights"] == {0.01: 143, 0.005: 17, 0.0: 44}
    assert set(table.attrs) == {"window", "weights", "years", "rolls", "replica"}
    got = {name: (f"{100 * r.total_return:.1f}%", f"{100 * r.max_drawdown:.1f}%") for name, r in table.iterrows()}
    assert got == {"VXTH replica": ("356.6%", "46.2%"), "Cboe VXTH, published": ("374.9%", "43.3%"),
                   "S&P 500 total return": ("368.0%", "55.5%"),
                   "VXTH overlay alone (cash + calls)": ("-6.9%", "38.1%")}
