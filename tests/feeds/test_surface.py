"""Tests for feeds.surface: total-variance ATM term structure, recovery of known parameters, real-data target."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds import surface


def test_atm_base_interpolates_the_levels_in_log_tenor() -> None:
    levels = np.array([[10.0, 12.0, 15.0, 16.0, 17.0]])
    t = np.array([30.0 / 365.0])
    assert surface.atm_base(t, levels)[0] == pytest.approx(0.12, rel=1e-12)  # on a node: the index itself
    mid = np.sqrt(30.0 * 93.0) / 365.0  # halfway in ln T between VIX and VIX3M: the mean of the two levels
    assert surface.atm_base(np.array([mid]), levels)[0] == pytest.approx(0.135, rel=1e-12)
    assert surface.atm_base(np.array([3 / 365]), levels)[0] == pytest.approx(0.10)  # flat before VIX9D
    assert surface.atm_base(np.array([2.0]), levels)[0] == pytest.approx(0.17)  # and after VIX1Y
    gap = np.array([[10.0, 12.0, np.nan, 16.0, 17.0]])  # VIX3M not published: VIX to VIX6M
    x = np.log(93.0 / 30.0) / np.log(183.0 / 30.0)
    assert surface.atm_base(np.array([93 / 365]), gap)[0] == pytest.approx((12 + x * 4) / 100, rel=1e-12)


def test_put_wing_goes_on_along_its_tangent_beyond_the_edge() -> None:
    """Within -6 <= z <= 1.7 the shape is the quadratic; below -6 the put wing is linear with the slope it has at
    -6 (continuous, with a continuous slope), above 1.7 (the farthest 2019 call fitted) the call wing is flat."""
    p = np.array([0.0, -0.35, 0.0, -0.01, -0.27, 0.12, 0.28, -0.14, 0.075])
    t, g = 20 / 365.0, 2.5
    e = surface.EDGE
    quad = 1 + 0.35 * e - 0.01 * e * e  # the put quadratic at z = -6
    slope = -0.35 - 2 * 0.01 * (-e)  # its derivative there
    z = np.array([-e - 4.0, -e - 1e-9, -e, -3.0])
    got = surface.smile_shape(p, z, g, t)
    np.testing.assert_allclose(got[:3], [quad - 4.0 * slope, quad, quad], rtol=1e-9)
    assert got[3] == pytest.approx(1 + 0.35 * 3 - 0.01 * 9)
    lt = np.log(20 / 30)
    c = surface.CALL_EDGE
    call_edge = 1 + (-0.27 - 0.14 * lt) * c + (0.12 + 0.075 * lt) * c * c
    np.testing.assert_allclose(surface.smile_shape(p, np.array([c, c + 3.0, 10.0]), g, t), [call_edge] * 3)
    assert surface.smile_shape(p, np.array([1.0]), g, t)[0] == pytest.approx(
        1 + (-0.27 - 0.14 * lt) + (0.12 + 0.075 * lt))


@pytest.mark.slow
def test_the_flat_call_wing_example_is_the_default_runs_condor(monkeypatch) -> None:
    """README / module docstring: the quadratic carried on to z = 6 (CALL_EDGE = EDGE) put the default condor's long
    call 250 points out: the condor expiring 2014-06-20 has 1985 in the default run, 2235 so (the example moved with
    the surface's refit at the snapshots' own vol levels; it was the condor expiring 2015-08-21). Two default runs,
    ~7 s."""
    import datetime as dt

    from vixhedge.core import config as C
    from vixhedge.run import run_backtest

    def long_call() -> float:
        c = run_backtest(C.load_default(), engine="fast").condors
        expiry = pd.to_datetime(pd.Series(c["expiry"], dtype=object)).dt.date.to_numpy()
        return float(np.asarray(c["long_call"])[expiry == dt.date(2014, 6, 20)][0])

    flat = long_call()
    monkeypatch.setattr(surface, "CALL_EDGE", surface.EDGE)
    assert (flat, long_call()) == (1985.0, 2235.0)
    text = " ".join((Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8").split())
    example = "250 points out (the condor expiring 2014-06-20: 2235 instead of 1985)"
    assert example in text and example in " ".join(surface.__doc__.split())


def test_surface_fit_recovers_known_parameters() -> None:
    rng = np.random.default_rng(5)
    truth = np.array([0.012, -0.35, -0.05, -0.01, -0.32, 0.17, 0.28, -0.06, 0.07])  # surface.PARAMS order
    n = 3000
    t = rng.uniform(10, 170, n) / 365.0
    k = rng.uniform(-0.25, 0.08, n)
    base = rng.uniform(0.11, 0.16, n)
    g = rng.uniform(1.5, 4.5, n)  # SKEW 115 .. 145
    iv = surface.surface_vol(truth, t, k, base, g) + rng.normal(0.0, 0.0005, n)
    fitted = surface.fit({"t": t, "k": k, "iv": iv, "base": base, "skewness": g}, np.ones(n, bool))
    tol = np.array([0.003, 0.01, 0.01, 0.005, 0.03, 0.02, 0.02, 0.02, 0.02])
    assert (np.abs(fitted - truth) <= tol).all(), (fitted, truth)
    held = surface.fit({"t": t, "k": k, "iv": iv, "base": base, "skewness": g}, np.ones(n, bool),
                       {"put_skew_per_skewness": -0.05})
    assert held[2] == -0.05 and np.abs(held - truth).max() < 0.03


def test_atm_ratio_is_one_for_a_symmetric_smile() -> None:
    """SKEW 100 (zero skewness): the index is ATM vol at 30 days; SKEW 125 with c 0.28: 1/sqrt(1.7)."""
    p = np.zeros(len(surface.PARAMS))
    p[6] = 0.28
    t = np.array([30 / 365.0])
    assert surface.atm_ratio(p, t, surface.index_skewness(np.array([100.0])))[0] == pytest.approx(1.0)
    assert surface.atm_ratio(p, t, surface.index_skewness(np.array([125.0])))[0] == pytest.approx(1 / np.sqrt(1.7))


def test_index_relations_from_vix_and_its_average() -> None:
    """Indices built as ln(I/VIX) = c + d ln VIX + e ln(A/VIX) on a random VIX path (A its 20-day EMA), SKEW's
    c moving by a level by year (knots on July 1), give (c, d, e) and the levels back; without an average (a single
    day) the e term drops; without a date SKEW sits at the mean level; real levels win where published."""
    import pandas as pd

    rng = np.random.default_rng(4)
    n = 600
    lv = np.empty(n)
    lv[0] = np.log(18.0)
    for i in range(1, n):
        lv[i] = lv[i - 1] + 0.05 * (np.log(18.0) - lv[i - 1]) + 0.08 * rng.standard_normal()
    vix = np.exp(lv)
    avg = surface.vix_average(vix)
    assert np.isnan(avg[:19]).all() and avg[19] == pytest.approx(vix[:20].mean())  # seeded like backtrader's EMA
    truth = {"VIX9D": (-0.3, 0.09, -0.38), "VIX3M": (0.48, -0.13, 0.31), "VIX6M": (0.94, -0.26, 0.41),
             "VIX1Y": (1.34, -0.39, 0.45), "SKEW": (4.95, -1.05, 0.0)}
    dates = pd.bdate_range("2014-01-02", periods=n)  # .. 2016-04: knots 2014-07-01, 2015-07-01, 2016-07-01
    levels = {2014: 0.05, 2015: -0.07, 2016: 0.02}  # mean 0: SKEW's c is the knots' mean
    offset = surface.skew_offsets(dates, list(levels), list(levels.values()))
    frame = pd.DataFrame({"VIX": vix, **{k: vix * np.exp(c + d * lv + e * np.log(avg / vix))
                                          for k, (c, d, e) in truth.items()}}, index=dates)
    frame["SKEW"] *= np.exp(offset)
    rel, by_year = surface.fit_index_relations(frame)
    for k, v in truth.items():
        assert rel[k] == pytest.approx(v, abs=2e-4), k
    assert list(by_year) == list(levels) and list(by_year.values()) == pytest.approx(list(levels.values()), abs=2e-4)
    est = surface.indices_from_vix(vix, rel, avg, offset)
    ok = np.isfinite(avg)
    np.testing.assert_allclose(est[ok], frame[list(surface.LEVELS)].to_numpy()[ok], rtol=1e-3)
    c, d, _ = rel["VIX3M"]
    single = surface.indices_from_vix(vix[:1], rel)[0]  # no average: A = VIX; no date: SKEW's mean level
    assert single[2] == pytest.approx(vix[0] * np.exp(c + d * lv[0]), rel=1e-12)
    c, d, _ = rel["SKEW"]
    assert single[5] == pytest.approx(vix[0] * np.exp(c + d * lv[0]), rel=1e-12)
    # the level between knots is linear in time, flat outside them
    days = pd.DatetimeIndex(["2013-01-01", "2014-07-01", "2015-01-01", "2015-07-01", "2017-01-01"])
    np.testing.assert_allclose(surface.skew_offsets(days, [2014, 2015], [0.1, -0.1]),
                               [0.1, 0.1, 0.1 - 0.2 * 184 / 365, -0.1, -0.1])
    assert not surface.skew_offsets(days, [], []).any()
    real = np.full((n, len(surface.LEVELS)), np.nan)
    real[:, 1] = vix
    real[100, 2] = 30.0  # one published VIX3M close
    days = surface.daily_levels(vix, rel, real, offset)
    assert days[100, 2] == 30.0 and days[101, 2] == pytest.approx(est[101, 2])
    np.testing.assert_allclose(surface.daily_levels(vix, rel, skew_offset=offset)[ok], est[ok])



def test_a_day_missing_inside_a_published_span_keeps_the_last_closes_gap_to_the_estimate() -> None:
    """Window-edge trial, session 13 (2026-12-05): SKEW is missing on 16 sessions of its span (2017-09-14 among
    them); the estimate from VIX sat ~9 points below its published neighbours (142.74, 144.54), so a held condor was
    repriced for one day and back (the 10-lot's day moved by $1,582 on 2017-09-14, undone the next). A hole takes
    the estimate plus the last published close's gap to its own estimate; after the last published close (the
    series ends) the estimate alone. Made-up levels: est 10, 11, 12, 13, 14; published 15, -, -, 16, -."""
    vix = np.array([10.0, 11.0, 12.0, 13.0, 14.0])
    rel = {k: (0.0, 0.0, 0.0) for k in surface.LEVELS}  # every index estimated as the day's VIX (no average yet)
    real = np.full((5, len(surface.LEVELS)), np.nan)
    real[[0, 3], 5] = [15.0, 16.0]
    got = surface.daily_levels(vix, rel, real)[:, 5]
    np.testing.assert_allclose(got, [15.0, 16.0, 17.0, 16.0, 14.0])  # the gap +5 carried over the hole; then est
    assert np.isnan(real[:, 0]).all() and (surface.daily_levels(vix, rel, real)[:, 0] == vix).all()  # never published


@pytest.mark.realdata
def test_skews_2017_09_14_hole_sits_between_its_neighbours(shared_data: Path) -> None:
    """The trial's day on ../shared/data: SKEW 142.74 on 2017-09-13 and 144.54 on 09-15 (published); 09-14 was
    133.92 (estimated), now within 1 point of the day before."""
    import datetime as dt

    from feeds.market import build_market
    from vixhedge.core import config as C

    market = build_market(C.replace(C.load_default(), market={"source": "directory",
                                                              "data_dir": str(shared_data)}).market)
    skew = [market.vol_levels[market.index_of(dt.date(2017, 9, d)), 5] for d in (13, 14, 15)]
    assert skew[0] == pytest.approx(142.74) and skew[2] == pytest.approx(144.54) and abs(skew[1] - skew[0]) < 1.0

@pytest.mark.realdata
def test_surface_meets_the_target_on_days_not_used_for_the_fit(shared_data: Path) -> None:
    """Issue 11 target on the 2019 sample days not used for the fit: median |IV error| <= 0.35 vol points per
    side and in every |delta| bucket (5-10, 10-20, 20-35, 35-50) and DTE bucket, no side biased by more than 0.2;
    each day left out in turn and the split fitting the first three days (the committed report:
    feeds/calibration/spx_smile.json "surface", regenerated by test_calibrate). Every |delta| x DTE cell meets it
    too, both ways (README, SPX surface per day: at the snapshots' own vol levels; at the elasticity mapping before
    session 17 two short-dated call cells of the split did not, 0.55 and 0.42)."""
    import json

    stored = json.loads((Path(__file__).resolve().parents[2] / "feeds" / "calibration" / "spx_smile.json").read_text())
    fit = stored["surface"]["fit"]
    for name, rep in (("each day left out", fit["leave_one_day_out"]), ("fit 3 days, test 2", fit["split"]["test"])):
        for side in ("puts", "calls"):
            assert abs(rep[side]["all"]["median"]) <= 0.2, (name, side)
            for cell, row in rep[side].items():
                if " / " not in cell:
                    assert row["median_abs"] <= 0.35, (name, side, cell)
    for name in ("leave_one_day_out", "split"):
        rep = fit[name]["test"] if name == "split" else fit[name]
        for side in ("puts", "calls"):
            for cell, row in rep[side].items():
                assert row["median_abs"] <= 0.35, (name, side, cell)
    # the far put wing (the 2014-2017 EOD samples, z -4.5 .. -24): the model within the bid/ask IV spread
    for name, w in stored["surface"]["wing_check"].items():
        assert abs(w["median_error_vs_mid"]) < w["median_bid_ask_iv_spread"], name
    assert stored["fit"]["rmse_vol_points"] > 0.7  # the VIX-anchored smile: 0.79 in sample


def test_embedded_market_prices_on_the_indices_estimated_from_vix_and_its_average() -> None:
    """Without Cboe's indices the Market's SPX surface takes each day's levels from VIX and its 20-day EMA
    (feeds.surface.daily_levels with the packaged relations), and its chains price on them."""
    import datetime as dt

    from feeds import chains
    from feeds.embedded import load_embedded
    from feeds.market import Market
    from vixhedge.core.config import MarketConfig

    cfg = MarketConfig()
    m = Market(load_embedded(), cfg)
    vix = m.data.vix_close
    years = cfg.spx_smile.skew_first_year + np.arange(len(cfg.spx_smile.skew_by_year))
    skew = surface.skew_offsets(m.dates, years, cfg.spx_smile.skew_by_year)  # SKEW's level by year
    want = surface.indices_from_vix(vix, chains.index_relations(cfg.spx_smile), surface.vix_average(vix), skew)
    i = 300
    np.testing.assert_allclose(m.day_levels(i), want[i], rtol=1e-12)
    expiry = m.days[i] + dt.timedelta(days=45)
    chain = m.spx_chain(i, expiry)
    direct = chains.spx_chain(float(m.data.spx_close[i]), float(vix[i]), expiry, m.t_years(i, expiry),
                              float(m.short_rates[i]), cfg.div_yield, cfg.spx_smile, cfg.vx_curve, cfg.spreads,
                              None, want[i])
    np.testing.assert_allclose(chain.put.iv, direct.put.iv, rtol=1e-12)
    # the average matters: after a VIX spike the estimated VIX3M / VIX sits lower than from VIX alone
    alone = surface.indices_from_vix(vix[i:i + 1], chains.index_relations(cfg.spx_smile))[0]
    a = surface.vix_average(vix)[i]
    assert (m.day_levels(i)[2] < alone[2]) == (a < vix[i])


@pytest.mark.realdata
def test_embedded_skew_follows_its_level_by_year(shared_data: Path) -> None:
    """The embedded market's SKEW (from VIX, its EMA and the shipped level by year) against Cboe's closes on the
    same days, 2014-2018: mean error within 1 point (in sample -0.1, `python -m feeds.calibrate`,
    spx_smile.json surface.skew_level); one level for all years, the estimate before, sat 6.4 points low there.
    Fitted on alternate years the level by year still beats one level on the years left out (RMSE 7.7 / 7.6 vs
    11.9 / 11.2 over 1990-2026)."""
    from feeds import surfacereport
    from feeds.embedded import load_embedded
    from feeds.loaders.volindex import WIDE_FILE, load_vol_indices
    from feeds.market import Market
    from vixhedge.core.config import MarketConfig

    m = Market(load_embedded(), MarketConfig())
    cboe = load_vol_indices(shared_data / WIDE_FILE)
    real = cboe["SKEW"].reindex(m.dates).to_numpy()
    est = np.array([m.day_levels(i)[5] for i in range(len(m.dates))])
    ok = np.isfinite(real)
    assert ok.sum() > 1200 and abs(np.mean(est[ok] - real[ok])) < 1.0
    report = surfacereport.skew_level_report(cboe)
    for split in ("fit even years, test odd", "fit odd years, test even"):
        row = report[split]
        assert row["level by year"]["all"]["rmse"] < 0.7 * row["one level"]["all"]["rmse"], split


def test_within_slope_takes_each_contracts_own_level_out() -> None:
    """Three contracts whose error sits at its own level (-2, 0, +5) and whose SKEW sits in its own range, the error
    moving 0.3 per SKEW point within each: within_slope gives 0.3 back (to the noise's 0.01), where one line over
    all rows reads the contracts' levels (-0.1 here: the wrong sign). NaNs are left out."""
    from feeds import surfacereport

    rng = np.random.default_rng(3)
    skew, err, group = [], [], []
    for k, (level, centre) in enumerate(((-2.0, 150.0), (0.0, 120.0), (5.0, 125.0))):
        x = centre + rng.normal(0.0, 4.0, 60)
        skew.append(x)
        err.append(level + 0.3 * (x - centre) + rng.normal(0.0, 0.1, 60))
        group.append(np.full(60, k))
    x, y, g = (np.concatenate(v) for v in (skew, err, group))
    y[5] = np.nan
    assert surfacereport.within_slope(y, x, g) == pytest.approx(0.3, abs=0.01)
    ok = np.isfinite(y)
    assert abs(np.polyfit(x[ok], y[ok], 1)[0] - 0.3) > 0.2
    # a control that drifts with x within each group (a contract's tenor, aging while SKEW rose: review 17): held, the
    # slope of x alone comes back; left out, its effect reads as x's
    tenor = 0.5 * (x - np.repeat([150.0, 120.0, 125.0], 60)) + rng.normal(0.0, 1.0, len(x))
    y2 = y + 0.4 * tenor
    assert surfacereport.within_slope(y2, x, g, tenor) == pytest.approx(0.3, abs=0.01)
    assert surfacereport.within_slope(y2, x, g) == pytest.approx(0.3 + 0.4 * 0.5, abs=0.03)


def test_skew_spx_report_finds_an_spx_term_that_is_there() -> None:
    """Synthetic SKEW = 125 VIX^-0.04 exp(0.8 r21 + noise sd 0.005), r21 the SPX's 21-session log return (a known
    SPX dependence, 10x the fitted ones): the SPX terms recover the slope on the fit years and cut the test years'
    RMSE by more than half; with the dependence removed they cut nothing (under 2%)."""
    from feeds import surfacereport

    rng = np.random.default_rng(7)
    days = pd.bdate_range("2000-01-03", periods=2600)
    spx = pd.Series(1000.0 * np.exp(np.cumsum(rng.normal(0.0003, 0.01, len(days)))), index=days)
    vix = 18.0 * np.exp(0.3 * np.sin(np.arange(len(days)) / 40.0) + rng.normal(0.0, 0.05, len(days)))
    r21 = np.log(spx / spx.shift(21)).fillna(0.0).to_numpy()
    for slope, lo, hi in ((0.8, 0.0, 0.5), (0.0, 0.98, 1.0)):
        skew = 125.0 * vix ** -0.04 * np.exp(slope * r21 + rng.normal(0.0, 0.005, len(days)))
        levels = {n: vix * (1.0 + 0.1 * k) for k, n in enumerate(surface.NODES)}  # the fit reads every index
        report = surfacereport.skew_spx_report(pd.DataFrame({**levels, "SKEW": skew}, index=days), spx)
        for split in ("fit even years, test odd", "fit odd years, test even"):
            row = report[split]
            assert lo <= row["rmse_with"] / row["rmse_without"] <= hi, (slope, row)
            if slope:
                assert row["coefficients"][1] == pytest.approx(slope, abs=0.1), row


@pytest.mark.realdata
def test_the_spx_path_explains_little_of_skews_error(shared_data: Path) -> None:
    """README "SPX surface per day": fitted on alternate years 1990-2026, the SPX's variance premium, 21-session
    return and drawdown take SKEW's test-year RMSE from 7.70 to 7.56 and 7.30 to 7.17 points (`python -m
    feeds.calibrate`, spx_smile.json surface.skew_spx): under 3% each way."""
    import json

    from feeds import surfacereport
    from feeds.directory import load_directory
    from feeds.loaders.volindex import WIDE_FILE, load_vol_indices

    data = load_directory(shared_data)
    report = surfacereport.skew_spx_report(load_vol_indices(shared_data / WIDE_FILE),
                                           pd.Series(data.spx.close, index=data.spx.dates))
    packaged = json.loads((Path(__file__).resolve().parents[2] / "feeds" / "calibration" / "spx_smile.json")
                          .read_text())["surface"]["skew_spx"]
    assert report == packaged
    for split, (without, with_spx) in {"fit even years, test odd": (7.70, 7.56),
                                       "fit odd years, test even": (7.30, 7.17)}.items():
        assert (report[split]["rmse_without"], report[split]["rmse_with"]) == (without, with_spx)
        assert with_spx / without > 0.97


def test_report_prints_the_embedded_variants_cells(capsys: pytest.CaptureFixture) -> None:
    """README "SPX surface per day": the embedded variant's |delta| x DTE cells it names (puts 5-10 delta at
    120-180 days 0.34/+0.34 with each day left out, 343 quotes; calls 5-10 delta at 7-29 days 0.37 on the split, 65
    quotes) are printed by `python -m feeds.calibrate` from the committed report (feeds/calibration/spx_smile.json
    surface.variants.from_vix: 0.335/+0.335, 0.366/+0.366), and so is every variant it is given beside them."""
    import json

    from feeds import surfacereport

    sf = json.loads((Path(__file__).resolve().parents[2] / "feeds" / "calibration" / "spx_smile.json").read_text())
    sf = sf["surface"]
    surfacereport.print_surface(sf, {"one SKEW level for all years": sf["variants"]["skew_fixed"]})
    lines = capsys.readouterr().out.splitlines()

    def grid(title: str) -> list[str]:
        at = lines.index(next(x for x in lines if x.startswith(f"  {title}, |delta| x DTE")))
        return lines[at + 1:at + 5]

    puts, calls = grid("variant from_vix, each day left out, puts"), grid("variant from_vix, split test, calls")
    assert puts[0].split(":")[1].split()[-2:] == ["343", "0.34/+0.34"]  # 5-10 delta, 120-180 days
    assert calls[0].split(":")[1].split()[:2] == ["65", "0.37/+0.37"]  # 5-10 delta, 7-29 days
    assert "  variant from_vix, the embedded market before: one SKEW level for all years, in sample:" in lines


@pytest.mark.realdata
def test_earlier_embedded_variants_reproduce_the_readme_rows(shared_data: Path) -> None:
    """README "SPX surface per day", the rows "the same with one SKEW level for all years" and "the same from VIX
    alone" (the embedded market before SKEW's level by year, and before the VIX EMA), puts / calls all cells, median
    |error| / median error: in sample 0.10/-0.00 / 0.08/-0.01 and 0.11/+0.00 / 0.12/-0.03; each day left out
    0.10/-0.01 / 0.09/-0.01 and 0.12/+0.00 / 0.14/-0.03; fit 3 days, test 2 0.09/-0.02 / 0.08/-0.02 and
    0.10/-0.01 / 0.10/-0.04 (`python -m feeds.calibrate`), each snapshot at the vol levels the Market prices it at
    (feeds.snapshot_level.market_levels)."""
    import pandas as pd

    from feeds import surfacereport
    from feeds.calibrate import smile_observations
    from feeds.directory import load_directory
    from feeds.loaders.options import OptionQuotes
    from feeds.loaders.volindex import WIDE_FILE, load_vol_indices
    from feeds.market import build_market
    from feeds.snapshot_level import market_levels
    from vixhedge.core.config import MarketConfig, MarketSource

    data = load_directory(shared_data)
    rows = data.options.rows[data.options.rows["root"].isin(["SPX", "SPXW"])].reset_index(drop=True)
    obs = smile_observations(OptionQuotes(rows))
    market = build_market(MarketConfig(source=MarketSource.DIRECTORY, data_dir=str(shared_data)))
    snap = market_levels(market, pd.DatetimeIndex(sorted(obs["quote_date"].unique())))
    got = surfacereport.earlier_embedded_variants(obs, load_vol_indices(shared_data / WIDE_FILE), snap)

    def cells(ev: dict) -> list[str]:
        return [" / ".join(f"{rep[s]['all']['median_abs']:.2f}/{rep[s]['all']['median'] + 0.0:+.2f}"
                           for s in ("puts", "calls"))
                for rep in (ev["in_sample"], ev["leave_one_day_out"], ev["split"]["test"])]

    assert cells(got["one SKEW level for all years"]) == ["0.10/-0.00 / 0.08/-0.01", "0.10/-0.01 / 0.09/-0.01",
                                                          "0.09/-0.02 / 0.08/-0.02"]
    assert cells(got["from VIX alone"]) == ["0.11/+0.00 / 0.12/-0.03", "0.12/+0.00 / 0.14/-0.03",
                                            "0.10/-0.01 / 0.10/-0.04"]


def test_the_smile_is_floored_at_half_the_atm_vol() -> None:
    """MUT23 (surface.FLOOR 0.5 -> 0.3 survived): ``sigma(K) = sigma_atm * max(0.5, ...)`` (module docstring). By
    hand: p with call slope -1.0 and index_wing_variance 0.3, T = 30 days, I(T) 0.20, g = 0 (so sigma_atm = 0.20 x
    (1 / sqrt(1 + 0.3 x 0) + 0) = 0.20), ln K/F = 0.2 sqrt(T): z = 1, the call shape 1 - 1.0 x 1 = 0, floored at
    0.5: 0.20 x 0.5 = 0.10 (0.06 at a 0.3 floor)."""

    p = (0.0, -0.3, -0.01, 0.0, -1.0, 0.0, 0.3, 0.0, 0.0)
    t = np.array([30 / 365])
    assert surface.smile_shape(p, np.array([1.0]), 0.0, t)[0] == pytest.approx(0.0, abs=1e-15)
    vol = surface.surface_vol(p, t, 0.2 * np.sqrt(t), np.array([0.20]), np.array([0.0]))
    assert vol[0] == pytest.approx(0.10, rel=1e-12)


def test_the_snapshot_average_is_one_ema_step_from_the_previous_close() -> None:
    """MUT27 SU6: an intraday snapshot's VIX average is the previous close's EMA moved one step, alpha 2 / (N + 1)
    (N = surface.AVERAGE_PERIOD), to the snapshot's VIX: pandas' ewm(span=N, adjust=False) over the closes before
    the snapshot's day and then the snapshot's VIX. 400 closes: the SMA seed's weight (1 - 2/21)^380 ~ 3e-17 is gone.
    alpha 2 / N (the mutant) is 10% larger: 0.1 x 0.0476 x |30 - ~18| ~ 0.06 VIX points off."""
    from feeds import surfacereport

    days = pd.bdate_range("2016-01-04", periods=400)
    closes = 18.0 + 4.0 * np.sin(np.arange(400) / 9.0)
    indices = pd.DataFrame({"VIX": closes}, index=days)
    snap = pd.DataFrame({"VIX": [30.0, 12.0]}, index=days[[300, 350]])
    got = surfacereport._snapshot_average(indices, snap)
    n = surface.AVERAGE_PERIOD
    want = [pd.Series([*closes[:i], v]).ewm(span=n, adjust=False).mean().iloc[-1] for i, v in ((300, 30.0),
                                                                                              (350, 12.0))]
    np.testing.assert_allclose(got.to_numpy(), want, rtol=1e-12)
    assert list(got.index) == list(snap.index)
