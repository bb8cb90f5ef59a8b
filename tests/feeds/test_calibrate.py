"""Tests for feeds.calibrate: the fits recover known parameters; the committed reports regenerate.

Independent references: the smile model is checked against feeds.chains.spx_chain (the Market's
own pricer); synthetic quotes are priced with vixhedge.core.pricing.black76_price and must give back
their forward, discount and vol through put-call parity and the implied-vol solver.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds import chains, spreadfit, vxfit
from feeds.calibrate import (
    calibrate,
    fit_spx_smile,
    fit_vx_curve,
    market_toml,
    smile_model,
    smile_observations,
    vx_observations,
)
from feeds.loaders.options import COLUMNS, OptionQuotes
from feeds.vxcurve import model_price, slow_path, two_factor_price, two_factor_states
from vixhedge.core import pricing
from vixhedge.core.config import SmileModel, SpreadConfig, SpxSmileConfig, VxCurveConfig, load, load_default

CALIBRATION = Path(__file__).resolve().parents[2] / "feeds" / "calibration"


def test_vx_fit_recovers_known_parameters() -> None:
    rng = np.random.default_rng(3)
    days = pd.bdate_range("2010-01-04", periods=400)
    vix = 15.0 + 10.0 * np.abs(np.sin(np.arange(400) / 30.0))
    rows = []
    for i, d in enumerate(days):
        for tau in (20, 50, 80, 140, 230):
            price = model_price(vix[i], tau / 365.0, 23.0, 1.7) + rng.normal(0.0, 0.05)
            rows.append((d, d + pd.Timedelta(days=tau), True, price))
    panel = pd.DataFrame(rows, columns=["trade_date", "expiry", "is_monthly", "settle"])
    obs = vx_observations(panel, pd.DatetimeIndex(days), vix, dt.date(2010, 1, 1), dt.date(2012, 1, 1))
    report = fit_vx_curve(obs, holdout_from=dt.date(2010, 12, 1))
    assert report["fit"]["theta"] == pytest.approx(23.0, abs=0.05)
    assert report["fit"]["kappa_per_year"] == pytest.approx(1.7, abs=0.02)
    assert report["fit"]["rmse"] == pytest.approx(0.05, abs=0.005)  # the noise we added
    assert set(report["fit"]["by_tenor"]) == {"0-29 days", "30-59 days", "60-89 days", "120-149 days",
                                              "210-239 days"}
    assert report["out_of_sample"]["rmse"] < 0.07 and report["prior"]["rmse"] > 1.0


def test_surface_model_is_the_chain_pricers_smile() -> None:
    from feeds import surface

    smile = SpxSmileConfig()  # the default: surface
    t, vix, spot = 45 / 365.0, 24.0, 2700.0
    levels = np.array([22.0, 24.0, 25.0, np.nan, 26.0, 131.0])  # VIX6M missing: estimated from VIX
    chain = chains.spx_chain(spot, vix, dt.date(2018, 3, 16), t, 0.01, 0.02, smile, VxCurveConfig(), SpreadConfig(),
                             levels=levels)
    filled = chains.day_index_levels(vix, smile, levels)
    c, d = smile.index_relations[6:8]  # VIX6M's (c, d, e) (VIX9D, VIX3M, VIX6M, VIX1Y, SKEW); one day: no EMA
    assert filled[3] == pytest.approx(vix * np.exp(c + d * np.log(vix)), rel=1e-12)
    assert filled[5] == 131.0
    k = np.log(chain.strikes / chain.forward)
    p = [getattr(smile, n) for n in surface.PARAMS]
    g = np.full(k.shape, 3.1)  # (131 - 100) / 10
    ours = surface.surface_vol(np.array(p), np.full(k.shape, t), k, surface.atm_base(np.full(k.shape, t),
                               np.tile(filled, (len(k), 1))), g)
    np.testing.assert_allclose(ours, chain.put.iv, rtol=1e-12)
    # without SKEW it is estimated from VIX like the other indices; a higher SKEW lowers ATM vol (index_wing_variance)
    est = chains.day_index_levels(vix, smile, levels[:5].tolist() + [np.nan])
    assert est[5] == pytest.approx(vix * np.exp(smile.index_relations[12] + smile.index_relations[13] * np.log(vix)))

    def atm(day_levels) -> float:  # the surface model's ATM vol of the day, as spx_chains computes it
        days = chains.day_index_levels(vix, smile, day_levels)[None, :]
        return float(chains.surface_atm(np.array([max(t, 1.0 / 365.0)]), days, chains.surface_params(smile))[0][0])

    assert atm(levels[:5].tolist() + [115.0]) > atm(levels) > 0


def test_smile_model_is_the_chain_pricers_smile() -> None:
    smile, curve = SpxSmileConfig(model=SmileModel.VIX_ANCHORED), VxCurveConfig()
    t, vix, spot = 45 / 365.0, 24.0, 2700.0
    chain = chains.spx_chain(spot, vix, dt.date(2018, 3, 16), t, 0.01, 0.02, smile, curve, SpreadConfig())
    k = np.log(chain.strikes / chain.forward)
    ours = smile_model(np.full(k.shape, vix), np.full(k.shape, t), k, smile.vix_to_atm, smile.skew, smile.curvature,
                       curve.long_run_level, curve.mean_reversion_per_year)
    np.testing.assert_allclose(ours, chain.put.iv, rtol=1e-12)


def _synthetic_quotes(vol_fn, fwd: float, disc: float, days: int) -> pd.DataFrame:
    day = pd.Timestamp("2019-04-25")
    t = days / 365.0
    strikes = np.arange(2400.0, 3300.0, 25.0)
    rate = -np.log(disc) / t
    rows = []
    for right in ("C", "P"):
        vol = vol_fn(np.log(strikes / fwd))
        price = pricing.black76_price(fwd, strikes, t, rate, vol, right == "C")
        delta = pricing.black76_greeks(fwd, strikes, t, rate, vol, right == "C").delta
        rows.append(pd.DataFrame({"quote_date": day, "root": "SPX", "settlement": "AM",
                                  "expiration": day + pd.Timedelta(days=days), "strike": strikes, "right": right,
                                  "bid": price - 0.05, "ask": price + 0.05, "delta": delta, "underlying": 2900.0}))
    frame = pd.concat(rows, ignore_index=True)
    for c in COLUMNS:
        if c not in frame:
            frame[c] = np.nan if c != "file" else "synthetic"
    return frame[list(COLUMNS)]


def test_smile_observations_recover_forward_and_vols() -> None:
    frame = _synthetic_quotes(lambda k: 0.15 - 0.3 * k, fwd=2910.0, disc=0.995, days=40)
    obs = smile_observations(OptionQuotes(frame))
    assert obs["forward"].iloc[0] == pytest.approx(2910.0, abs=1e-6)
    expected = 0.15 - 0.3 * np.log(obs["strike"] / 2910.0)
    np.testing.assert_allclose(obs["iv"], expected, atol=1e-8)  # mid = model price: exact round trip
    # each strike once (OTM side: puts below the forward, calls above), only 5..50 delta: 2650..3100 here
    assert obs["strike"].is_unique and (obs["strike"].min(), obs["strike"].max(), len(obs)) == (2650.0, 3100.0, 19)


def test_smile_fit_recovers_known_parameters() -> None:
    truth = (0.8, -0.3, 0.02)
    frames = []
    for days in (20, 45, 90, 150):
        t = days / 365.0
        frames.append(_synthetic_quotes(
            lambda k, t=t: smile_model(np.full(k.shape, 16.0), np.full(k.shape, t), k, *truth, 22.0, 2.0),
            fwd=2900.0, disc=0.997, days=days))
    obs = smile_observations(OptionQuotes(pd.concat(frames, ignore_index=True)))
    vix = pd.Series([16.0], index=pd.DatetimeIndex(["2019-04-25"]))
    report = fit_spx_smile(obs, vix, 22.0, 2.0)
    fit = report["fit"]
    assert (fit["vix_to_atm"], fit["skew"], fit["curvature"]) == pytest.approx(truth, abs=2e-4)
    assert fit["rmse_vol_points"] < 0.01


def _flat(obj, path: str = "") -> dict:
    """Return a nested JSON/TOML value as {path: leaf}, so that numbers compare with a tolerance."""
    if isinstance(obj, dict):
        return {k: v for key, val in obj.items() for k, v in _flat(val, f"{path}/{key}").items()}
    if isinstance(obj, list):
        return {k: v for i, val in enumerate(obj) for k, v in _flat(val, f"{path}[{i}]").items()}
    return {path: obj}


@pytest.mark.realdata
def test_committed_calibration_reports_regenerate(shared_data: Path) -> None:
    curve, smile, spreads = calibrate(shared_data)
    stored = {n: json.loads((CALIBRATION / n).read_text()) for n in ("vx_curve.json", "spx_smile.json", "spreads.json")}
    # regenerate with: python -m feeds.calibrate --data-dir ../shared/data --write-package. The least-squares fits
    # stop at the optimiser's tolerance, and where they stop moves with the machine's BLAS: by up to 0.7% for the
    # parameters the 2004-2013 fit pins down least (premium and its reversion), 1e-3 for every error figure. Compare
    # to 1%.
    for name, fresh in (("vx_curve.json", curve), ("spx_smile.json", smile), ("spreads.json", spreads)):
        _assert_close(json.loads(json.dumps(fresh)), stored[name], name)
    fresh_toml = tomllib.loads(market_toml(curve, smile, spreads))["market"]
    _assert_close(fresh_toml, tomllib.loads((CALIBRATION / "market.toml").read_text())["market"], "market.toml")
    cfg = load(CALIBRATION / "market.toml")
    assert cfg.market.vx_curve.long_run_level == curve["fit"]["theta"]
    assert curve["fit"]["rmse"] < curve["prior"]["rmse"]
    assert smile["fit"]["rmse_vol_points"] < smile["prior"]["rmse_vol_points"]


def _assert_close(fresh, stored, name: str) -> None:
    """Every leaf of ``stored`` in ``fresh``: numbers to 1% or 2e-3, the rest (names, dates) equal (pytest 9.2's
    approx refuses a text leaf under a relative tolerance)."""
    f, s = _flat(fresh), _flat(stored)
    assert f.keys() == s.keys(), name
    numbers = {k for k, v in s.items() if isinstance(v, int | float) and not isinstance(v, bool)}
    assert {k: f[k] for k in numbers} == pytest.approx({k: s[k] for k in numbers}, rel=1e-2, abs=2e-3), name
    assert {k: f[k] for k in s.keys() - numbers} == {k: s[k] for k in s.keys() - numbers}, name


def test_packaged_defaults_are_the_committed_calibration() -> None:
    """The models that stand in for missing data run on the calibrated values by default."""
    calibrated = load(CALIBRATION / "market.toml").market
    default = load_default().market
    assert default.vx_curve == calibrated.vx_curve
    assert default.spx_smile == calibrated.spx_smile
    assert default.spreads == calibrated.spreads


def test_two_factor_fit_recovers_known_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    """Settles priced by the two-factor model on a random VIX path (plus 0.02 noise) give back its parameters.

    The fit's third block (the filter's VIX forecasts) is off here: it scores the model's dynamics against
    this one VIX path, which is not drawn from them; its own test is the next one.
    """
    monkeypatch.setattr(vxfit, "FORECAST_WEIGHT", 0.0)
    rng = np.random.default_rng(11)
    days = pd.bdate_range("2010-01-04", periods=700)
    log_vix = np.empty(len(days))
    log_vix[0] = np.log(18.0)
    for t in range(1, len(days)):
        log_vix[t] = log_vix[t - 1] + 3.0 * (np.log(18.0) - log_vix[t - 1]) / 252 + 0.07 * rng.standard_normal()
    vix = np.exp(log_vix)
    truth = dataclasses.replace(vxfit.START, slow_long_run_level=21.0, slow_reversion_per_year=1.5,
                                fast_reversion_per_year=9.0, slow_gain=0.25, fast_gain=0.6, premium=1.2,
                                premium_per_level=0.3, premium_reversion_per_year=6.0)
    m, x = two_factor_states(days, vix, truth)
    rows = []
    for i, d in enumerate(days):
        for k in range(4):  # four listed contracts, settling every 28 days: 1..112 days out
            expiry = days[0] + pd.Timedelta(days=28 * (i // 20 + k + 1))
            tau = (expiry - d).days
            if 0 < tau < 120:
                price = two_factor_price(m[i], x[i], tau / 365.0, truth) + rng.normal(0.0, 0.02)
                rows.append((d, expiry, f"C{expiry.date()}", True, price))
    panel = pd.DataFrame(rows, columns=["trade_date", "expiry", "contract", "is_monthly", "settle"])
    obs = vxfit.curve_observations(panel, days, vix)
    fitted = vxfit.fit(obs)
    for name, tol in (("slow_gain", 0.01), ("fast_gain", 0.01), ("fast_reversion_per_year", 0.3),
                      ("premium_reversion_per_year", 0.5), ("premium", 0.3), ("premium_per_level", 0.03)):
        assert getattr(fitted, name) == pytest.approx(getattr(truth, name), abs=tol), name
    rep = vxfit.report(obs, fitted, np.ones(len(obs), bool))
    assert rep["overall"]["rmse"] < 0.03  # the noise we added
    for row in rep["by_tenor"].values():
        assert row["beta_model"] == pytest.approx(row["beta_real"], abs=0.01)


def test_vix_forecast_errors_vanish_on_the_models_own_path() -> None:
    """VIX that follows the filter's prediction exactly (no surprise after day 0) is forecast without error.

    VIX spikes from 18 to 33 on day 1 and then decays along ``S(m, d)`` and ``x e^(-k1 d)``; a forecast
    from session i >= 1 of session i + 63 is then the model's own path.
    """
    truth = dataclasses.replace(vxfit.START, slow_long_run_level=21.0, slow_reversion_per_year=1.5,
                                fast_reversion_per_year=9.0, slow_gain=0.25, fast_gain=0.6)
    days = pd.bdate_range("2010-01-04", periods=300)
    vix = np.empty(len(days))
    vix[0], vix[1] = 18.0, 33.0
    m, x = two_factor_states(days[:2], vix[:2], truth)  # the filter's state after the spike
    m, x = float(m[1]), float(x[1])
    for t in range(2, len(days)):  # no surprise after it: VIX is the filter's own prediction
        d = (days[t] - days[t - 1]).days / 365.0
        m, x = float(slow_path(m, d, truth)), x * np.exp(-truth.fast_reversion_per_year * d)
        vix[t] = m + x
    panel = pd.DataFrame({"trade_date": days, "expiry": days + pd.Timedelta(days=30), "contract": "C",
                          "is_monthly": True, "settle": 20.0})
    obs = vxfit.curve_observations(panel, days, vix)
    sessions = vxfit.forecast_sessions(obs, np.ones(len(obs), bool))
    assert sessions[0] == 0 and sessions[-1] + vxfit.FORECAST_SESSIONS == len(days) - 1  # horizons inside the window
    errors = vxfit.vix_forecast_errors(obs, truth, sessions[sessions >= 1])
    np.testing.assert_allclose(errors, 0.0, atol=1e-9)
    wrong = dataclasses.replace(truth, slow_reversion_per_year=3.0)
    assert np.abs(vxfit.vix_forecast_errors(obs, wrong, sessions[sessions >= 1])).max() > 0.1


@pytest.mark.realdata
def test_default_vx_curve_meets_the_targets_on_the_real_settles(shared_data: Path) -> None:
    """Issue 11 targets, on every real monthly settle 1-119 days out (2004-2025), packaged default curve."""
    from feeds.directory import load_directory

    data = load_directory(shared_data)
    obs = vxfit.curve_observations(data.vx.rows, data.vix.dates, data.vix.close)
    assert len(obs) > 19_000
    rep = vxfit.report(obs, load_default().market.vx_curve, np.ones(len(obs), bool))
    assert rep["overall"]["rmse"] < 1.5
    for name, row in rep["by_tenor"].items():
        assert abs(row["beta_model"] - row["beta_real"]) <= 0.08, name
    for name, row in rep["by_regime"].items():
        assert abs(row["bias"]) <= 1.0, name
    # the facts the model was built for (real betas 0.61 / 0.42; the one-factor curve gave 0.93 / 0.82)
    assert rep["by_tenor"]["0-30 days"]["beta_real"] == pytest.approx(0.61, abs=0.01)
    assert rep["by_tenor"]["30-60 days"]["beta_real"] == pytest.approx(0.42, abs=0.01)


def _meets_the_targets(rep: dict, label: tuple) -> None:
    """Issue 11 targets on one vxfit.report: RMSE < 1.5, |beta model - real| <= 0.08 by tenor, |bias| <= 1 by regime."""
    assert rep["overall"]["rmse"] < 1.5, label
    for name, row in rep["by_tenor"].items():
        assert abs(row["beta_model"] - row["beta_real"]) <= 0.08, (*label, name)
    for name, row in rep["by_regime"].items():
        assert abs(row["bias"]) <= 1.0, (*label, name)


def test_committed_vx_curve_report_meets_the_targets_out_of_sample() -> None:
    """Guards the committed file only: feeds/calibration/vx_curve.json's out-of-sample figures (fit 2004-2013 /
    test 2014-2025 and the reverse) meet the issue 11 targets.

    It reads no data and fits nothing, so it fails only when a regenerated report that misses the targets (or drops
    a direction) is committed. That those figures are what the committed parameters give on the real settles is
    test_committed_vx_curve_out_of_sample_figures_recompute; that the parameters are what the fit gives is
    test_committed_calibration_reports_regenerate.
    """
    two = json.loads((CALIBRATION / "vx_curve.json").read_text())["two_factor"]
    assert [o["name"] for o in two["out_of_sample"]] == ["fit < 2014-01-01, test >= 2014-01-01",
                                                         "fit >= 2014-01-01, test < 2014-01-01"]
    for oos in two["out_of_sample"]:
        for part in ("in_sample", "out_of_sample"):
            _meets_the_targets(oos[part], (oos["name"], part))


@pytest.mark.realdata
def test_committed_vx_curve_out_of_sample_figures_recompute(shared_data: Path) -> None:
    """Each direction's committed parameters (feeds/calibration/vx_curve.json), scored by vxfit.report on the real
    monthly settles of its train and test rows, give the committed figures, and those meet the issue 11 targets.

    No fit (10 s alone, mostly loading the data; test_committed_calibration_reports_regenerate refits, 35 s): it
    fails when the figures are not what their parameters give, e.g. a report edited by hand or left stale by a
    change to the model's pricing or to the observations. Tolerance 1.5e-3: the file rounds parameters to 4
    decimals and figures to 3 (measured: 12 of 560 figures one unit of the third decimal apart, none more).
    """
    from feeds.calibrate import TWO_FACTOR_SPLIT
    from feeds.directory import load_directory

    data = load_directory(shared_data)
    obs = vxfit.curve_observations(data.vx.rows, data.vix.dates, data.vix.close)
    early = obs.trade_date < np.datetime64(TWO_FACTOR_SPLIT, "ns")
    two = json.loads((CALIBRATION / "vx_curve.json").read_text())["two_factor"]
    for oos, train in zip(two["out_of_sample"], (early, ~early)):  # the order of vxfit.calibrate_two_factor
        params = dataclasses.replace(vxfit.START, **oos["params"])
        for part, rows in (("in_sample", train), ("out_of_sample", ~train)):
            rep = vxfit.report(obs, params, rows)
            assert _flat(rep) == pytest.approx(_flat(oos[part]), abs=1.5e-3), (oos["name"], part)
            _meets_the_targets(rep, (oos["name"], part))


@pytest.mark.realdata
def test_default_option_widths_meet_the_target_on_the_real_chains(shared_data: Path) -> None:
    """Issue 11 target: median model/real bid/ask width 0.8..1.25 in every |delta| bucket (packaged rule)."""
    from feeds.directory import load_directory

    rows = load_directory(shared_data).options.rows
    s = load_default().market.spreads
    for root, f, p, mx in (("SPX", s.spx_option_fraction, s.spx_option_power, s.spx_option_max),
                           ("VIX", s.vix_option_fraction, s.vix_option_power, s.vix_option_max)):
        obs = spreadfit.width_observations(rows, root)
        rep = spreadfit.width_report(obs, f, p, mx)
        assert len(rep["by_delta"]) == 4, root
        for bucket, row in rep["by_delta"].items():
            assert 0.8 <= row["median_ratio"] <= 1.25, (root, bucket, row)
    # the proportional rule before: 2x real overall, 3.3x at 35-50 delta (the measurement)
    before = spreadfit.width_report(spreadfit.width_observations(rows, "SPX"), 0.04, 1.0, 3.0)
    assert before["by_delta"]["35-50 delta"]["median_ratio"] > 3.0


def test_width_fit_recovers_known_parameters() -> None:
    """Real widths made by the quoting rule itself (fraction 0.12, power 0.4) give the rule back."""
    rng = np.random.default_rng(2)
    n = 4000
    mid = np.exp(rng.uniform(np.log(1.0), np.log(80.0), n))
    bid, ask = chains.make_quotes(mid, 0.12, spreadfit.MIN_WIDTH, 3.0, 0.4)
    rows = pd.DataFrame({"root": "SPX", "bid": bid, "ask": ask, "delta": -rng.uniform(0.05, 0.5, n),
                         "quote_date": pd.Timestamp("2019-04-25"),
                         "expiration": pd.Timestamp("2019-04-25") + pd.to_timedelta(rng.integers(7, 181, n), "D")})
    rows["bid"] = np.maximum(rows["bid"], 0.05)  # the observations need a bid
    rows["ask"] = np.maximum(rows["ask"], rows["bid"] + 0.05)
    obs = spreadfit.width_observations(rows, "SPX")
    fraction, power = spreadfit.fit_widths(obs, 3.0)
    assert (fraction, power) == (pytest.approx(0.12, rel=0.1), pytest.approx(0.4, abs=0.04))
    rep = spreadfit.width_report(obs, fraction, power, 3.0)
    assert all(r["median_ratio"] == 1.0 for r in rep["by_delta"].values())


def _by_delta(obs: pd.DataFrame, model: np.ndarray) -> dict:
    """Median model/real width and count per |delta| bucket, worked out here (not by spreadfit's reports)."""
    ratio = pd.Series(model / obs["width"].to_numpy(), index=obs.index)
    return {str(k): {"n": len(g), "median_ratio": round(float(g.median()), 3)}
            for k, g in ratio.groupby(obs["delta_bucket"], observed=True)}


def _committed_by_delta(rep: dict) -> dict:
    return {k: {"n": v["n"], "median_ratio": v["median_ratio"]} for k, v in rep["by_delta"].items()}


@pytest.mark.realdata
def test_widths_out_of_sample_each_day_left_out(shared_data: Path) -> None:
    """Issue 11 target out of sample: the width rule (fitted on the session snapshots) refitted without each session
    day, and fitted on the session day among the first three and tested on the later two, reads 0.8..1.25 on the
    days left out in every |delta| bucket (committed report, feeds/calibration/spreads.json).

    Every figure read here is first recomputed from the real chains with the rules the file records for it (no fit;
    test_committed_calibration_reports_regenerate refits them): a report left stale or edited by hand fails. The
    medians sit on the tick grid, so a rule moved by 1% can give the same figures (moved by 5%, it does not).
    """
    from feeds.directory import load_directory

    data = load_directory(shared_data)
    rows = data.options.rows
    obs = spreadfit.width_observations(rows, "SPX")
    after_days = spreadfit.after_close_days(rows, pd.Series(data.spx.close, index=data.spx.dates))
    after = obs["day"].isin(after_days).to_numpy()
    session = obs[~after]
    spx = json.loads((CALIBRATION / "spreads.json").read_text())["spx"]
    width = functools.partial(spreadfit.model_width, max_width=spx["max"])

    def tested_on(frame: pd.DataFrame, split: dict) -> pd.DataFrame:  # the days a split did not fit on
        return frame[~frame["day"].isin(pd.to_datetime(split["fit_days"])).to_numpy()]

    rules = spx["leave_one_day_out"]["rules"]  # each session day: the rule fitted without it
    assert sorted(rules) == sorted(str(d.date()) for d in pd.to_datetime(session["day"].unique()))
    left_out = np.full(len(session), np.nan)
    for day, (f, p) in rules.items():
        on_day = (session["day"] == pd.Timestamp(day)).to_numpy()
        left_out[on_day] = width(session[on_day], f, p)
    split = spx["out_of_sample"]
    later = tested_on(session, split)
    for name, rep, fresh in (
            ("each session day left out", spx["leave_one_day_out"]["test"], _by_delta(session, left_out)),
            ("fit the first session day, test the later ones", split["test"],
             _by_delta(later, width(later, split["fraction"], split["power"]))),
            ("all days", spx["on_all_days"], _by_delta(obs, width(obs, spx["fraction"], spx["power"])))):
        assert fresh == _committed_by_delta(rep), name
        assert len(fresh) == 4, name
        for bucket, row in fresh.items():
            assert 0.8 <= row["median_ratio"] <= 1.25, (name, bucket)
    # the after-close snapshots (SPX at the official close) quote wider: the session rule reads them 25% narrow,
    # and the rule fitted on all days misses the 3/2 split (its fit days hold both after-close snapshots)
    assert sorted(str(d.date()) for d in after_days) == ["2019-04-26", "2019-04-29"]
    level = (obs["width"] / obs["mid"] ** spx["power"]).groupby(obs["day"]).median()
    assert {str(d.date()): {"after_close": d in after_days, "width_over_mid_power": round(float(v), 4)}
            for d, v in level.items()} == spx["day_levels"]
    assert min(level[list(after_days)]) > 1.15 * max(level.drop(list(after_days)))
    ratio = np.median(width(obs[after], spx["fraction"], spx["power"]) / obs["width"].to_numpy()[after])
    assert round(float(ratio), 3) == spx["on_after_close_days"]["median_ratio"] == pytest.approx(0.75, abs=0.03)
    all_days = spx["all_days_rule"]["out_of_sample"]
    later = tested_on(obs, all_days)
    fresh = _by_delta(later, width(later, all_days["fraction"], all_days["power"]))
    assert fresh == _committed_by_delta(all_days["test"])
    assert max(r["median_ratio"] for r in fresh.values()) > 1.25


def test_vix_widening_recovers_a_known_elasticity() -> None:
    """Widths built as mid^0.5 VIX^0.4 x a level per contract give the elasticity 0.4 back."""
    rng = np.random.default_rng(3)
    days = pd.bdate_range("2015-01-02", periods=60)
    vix = pd.Series(np.exp(rng.uniform(np.log(12), np.log(25), len(days))), index=days)
    rows = []
    for strike, level in ((650.0, 0.5), (700.0, 0.8)):
        mid = np.exp(rng.uniform(0, 1.2, len(days)))
        width = level * mid ** 0.5 * vix.to_numpy() ** 0.4 * np.exp(rng.normal(0, 0.01, len(days)))
        rows.append(pd.DataFrame({"file": "f.csv", "right": "P", "quote_date": days,
                                  "expiration": pd.Timestamp("2016-06-17"), "strike": strike,
                                  "bid": mid - width / 2, "ask": mid + width / 2}))
    got = spreadfit.vix_widening(pd.concat(rows, ignore_index=True), vix)["f.csv"]
    assert got["width_per_log_vix"] == pytest.approx(0.4, abs=0.02) and got["contracts"] == 2
    assert got["width_per_log_mid"] == pytest.approx(0.5, abs=0.02)


# --- survivors of the feeds/ mutation trial (MUT23) ---------------------------------------------------


def test_a_regime_bias_over_one_point_misses_the_targets() -> None:
    """MUT23 (vxfit.meets_targets' bias tolerance doubled survived): the README's VX term-structure table sets the
    target "bias +-1.0" per VIX regime. A report inside every target but one regime's bias 1.2 misses them; at 1.0
    (the edge) it meets them."""
    rep = {"overall": {"rmse": 1.0}, "by_tenor": {"0-30 days": {"beta_model": 0.63, "beta_real": 0.61}},
           "by_regime": {"VIX < 15": {"bias": 0.1}, "VIX 15-20": {"bias": 1.2}}}
    assert not vxfit.meets_targets(rep)
    rep["by_regime"]["VIX 15-20"]["bias"] = -1.0
    assert vxfit.meets_targets(rep)


def test_the_previous_settle_is_the_previous_session_s_only() -> None:
    """MUT23 (``np.diff(day) == 1`` -> ``<= 2`` in vxfit.curve_observations survived): ``prev`` is "the row of the
    same contract's previous session" (CurveObs). One contract settled on sessions d0, d1 and d3 (no row on d2, a
    VIX session): prev is [-1, 0, -1] (d3's previous session d2 has no settle)."""
    days = pd.DatetimeIndex(["2018-01-02", "2018-01-03", "2018-01-04", "2018-01-05"])
    rows = pd.DataFrame({"contract": ["VXG18"] * 3, "is_monthly": [True] * 3,
                         "trade_date": pd.to_datetime(["2018-01-02", "2018-01-03", "2018-01-05"]),
                         "expiry": pd.to_datetime(["2018-02-14"] * 3), "settle": [12.0, 12.5, 13.0]})
    obs = vxfit.curve_observations(rows, days, np.array([10.0, 10.5, 11.0, 11.5]))
    assert obs.day.tolist() == [0, 1, 3] and obs.prev.tolist() == [-1, 0, -1]


def test_the_test_run_gives_openblas_one_thread() -> None:
    """PERF41: tests/conftest.py sets OPENBLAS_NUM_THREADS=1 before numpy loads: OpenBLAS's thread per core beside
    pytest-xdist's two workers on two cores spun idle (test_committed_calibration_reports_regenerate 36.6 s CPU on
    two BLAS threads, 16.3 s on one). numpy's OpenBLAS reports its count (numpy 2's wheels name the call
    scipy_openblas_get_num_threads64_; another BLAS build is checked by the variable alone)."""
    import ctypes
    import glob
    import os

    assert os.environ.get("OPENBLAS_NUM_THREADS") == "1"
    libs = glob.glob(os.path.join(os.path.dirname(np.__file__), os.pardir, "numpy.libs", "*openblas*"))
    counts = [getattr(ctypes.CDLL(lib), "scipy_openblas_get_num_threads64_", lambda: 1)() for lib in libs]
    assert counts == [1] * len(libs), counts
