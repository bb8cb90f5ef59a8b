"""Tests for feeds.vxfit_spx: the SPX variance-premium feature, the variant's fit and its ablation report.

References: the feature is recomputed here from its definition (realized vol and the EMA's weights written out
by hand, not through pandas); the fit must give back the ``cz`` of settles priced on SYNTHETIC data (a random
VIX path and a random ``z``, priced by feeds.vxcurve's two-factor model plus the premium term); the realdata test
pins the figures the README quotes ("VX term structure"), which are this module's output.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from feeds import vxfit, vxfit_spx
from feeds.vxcurve import two_factor_price, two_factor_states


def _spx_and_vix(n: int, seed: int) -> tuple[pd.DatetimeIndex, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    days = pd.bdate_range("2012-01-02", periods=n)
    spx = 1500.0 * np.exp(np.cumsum(0.01 * rng.standard_normal(n)))
    vix = 18.0 * np.exp(0.1 * rng.standard_normal(n))
    return days, spx, vix


def test_variance_premium_is_its_definition_and_causal() -> None:
    """On a random SPX and VIX path: day t's value is ``sum w^(t-s) v_s / sum w^(t-s)``, ``w = 2^(-1/21)``,
    ``v_s = ln(VIX_s / RV_s)``, ``RV_s = 100 sqrt(252 / 21 sum of the 21 squared log returns to s)``, and it does
    not move when every close after t changes."""
    days, spx, vix = _spx_and_vix(120, seed=3)
    ema = vxfit_spx.variance_premium(days, vix, days, spx)
    r = np.diff(np.log(spx))  # r[k] is the return into day k + 1
    v = {s: np.log(vix[s] / (100.0 * np.sqrt(252.0 / 21.0 * np.sum(r[s - 21:s] ** 2)))) for s in range(21, 120)}
    assert ema.iloc[:21].isna().all()  # fewer than 21 returns
    for t in (21, 22, 60, 119):
        w = 2.0 ** (-(t - np.arange(21, t + 1)) / 21.0)
        expected = np.sum(w * np.array([v[s] for s in range(21, t + 1)])) / w.sum()
        assert ema.iloc[t] == pytest.approx(expected, rel=1e-12), t
    t = 80
    later_spx, later_vix = spx.copy(), vix.copy()
    later_spx[t + 1:] *= 0.7
    later_vix[t + 1:] += 15.0
    changed = vxfit_spx.variance_premium(days, later_vix, days, later_spx)
    np.testing.assert_array_equal(changed.to_numpy()[:t + 1], ema.to_numpy()[:t + 1])
    assert not np.allclose(changed.to_numpy()[t + 1:], ema.to_numpy()[t + 1:])


def test_variance_premium_reads_spx_on_vixs_sessions() -> None:
    """An SPX close on a day VIX lacks is skipped; a VIX day SPX lacks carries the last close (a zero return)."""
    days, spx, vix = _spx_and_vix(60, seed=4)
    vix_days = days.delete(30)
    spx_days = days.delete(40)
    ema = vxfit_spx.variance_premium(vix_days, np.delete(vix, 30), spx_days, np.delete(spx, 40))
    by_hand = np.delete(spx, 30)  # the closes on VIX's sessions: day 30 dropped ...
    by_hand[39] = spx[39]  # ... and day 40 (position 39 now) carrying day 39's close
    same = vxfit_spx.variance_premium(vix_days, np.delete(vix, 30), vix_days, by_hand)
    pd.testing.assert_series_equal(ema, same)


def test_fit_recovers_a_known_cz(monkeypatch: pytest.MonkeyPatch) -> None:
    """SYNTHETIC settles: the two-factor model (parameters of test_calibrate's recovery test) plus
    ``cz z (1 - e^(-kp tau))`` with ``cz = 4``, on a random VIX path and an independent AR(1) ``z`` (plus 0.02
    noise), give back ``cz``, ``c`` and the other parameters.

    As in test_calibrate.test_two_factor_fit_recovers_known_parameters, the objective's VIX-forecast block is off:
    it scores the model's dynamics against a VIX path not drawn from them.
    """
    monkeypatch.setattr(vxfit, "FORECAST_WEIGHT", 0.0)
    rng = np.random.default_rng(11)
    days = pd.bdate_range("2010-01-04", periods=700)
    log_vix = np.empty(len(days))
    log_vix[0] = np.log(18.0)
    raw = np.empty(len(days))  # the uncentred feature: mean 0.25, sd about 0.2
    raw[0] = 0.25
    for t in range(1, len(days)):
        log_vix[t] = log_vix[t - 1] + 3.0 * (np.log(18.0) - log_vix[t - 1]) / 252 + 0.07 * rng.standard_normal()
        raw[t] = 0.25 + 0.97 * (raw[t - 1] - 0.25) + 0.05 * rng.standard_normal()
    vix = np.exp(log_vix)
    ema = pd.Series(raw, index=days)
    z = raw - raw.mean()  # the fit centres on its window: here every day
    truth = dataclasses.replace(vxfit.START, slow_long_run_level=21.0, slow_reversion_per_year=1.5,
                                fast_reversion_per_year=9.0, slow_gain=0.25, fast_gain=0.6, premium=1.2,
                                premium_per_level=0.3, premium_reversion_per_year=6.0)
    cz = 4.0
    m, x = two_factor_states(days, vix, truth)
    rows = []
    for i, d in enumerate(days):
        for k in range(4):  # four listed contracts, settling every 28 days: 1..112 days out
            expiry = days[0] + pd.Timedelta(days=28 * (i // 20 + k + 1))
            tau = (expiry - d).days / 365.0
            if 0 < tau < 120 / 365.0:
                price = (two_factor_price(m[i], x[i], tau, truth) + vxfit_spx.premium_term(z[i], tau, cz, truth)
                         + rng.normal(0.0, 0.02))
                rows.append((d, expiry, f"C{expiry.date()}", True, price))
    panel = pd.DataFrame(rows, columns=["trade_date", "expiry", "contract", "is_monthly", "settle"])
    obs = vxfit.curve_observations(panel, days, vix)
    every = np.ones(len(obs), bool)
    fitted = vxfit_spx.fit(obs, ema, every, vxfit.START)
    assert fitted.centre == pytest.approx(raw.mean(), abs=1e-12)
    assert fitted.cz == pytest.approx(cz, abs=0.1)
    for name, tol in (("slow_gain", 0.01), ("fast_gain", 0.01), ("premium", 0.3), ("premium_per_level", 0.03),
                      ("premium_reversion_per_year", 0.5)):
        assert getattr(fitted.curve, name) == pytest.approx(getattr(truth, name), abs=tol), name
    rep = vxfit.report(obs, fitted.curve, every, fitted.settles(obs, ema))
    assert rep["overall"]["rmse"] < 0.03  # the noise we added
    without = vxfit.report(obs, vxfit.fit(obs), every)  # the packaged model's fit cannot price z
    assert without["overall"]["rmse"] > 5 * rep["overall"]["rmse"]


def test_without_the_premium_the_series_is_the_packaged_models() -> None:
    """``cz = 0`` (or no ``z``) gives the modelled curve's constant_30d; the term is 0 on the settlement day."""
    days, _, vix = _spx_and_vix(200, seed=5)
    c = vxfit.START
    plain = vxfit_spx.constant_30d(days, vix, vix, c)
    np.testing.assert_array_equal(vxfit_spx.constant_30d(days, vix, vix, c, np.ones(len(days)), 0.0), plain)
    assert vxfit_spx.premium_term(np.array([0.3]), np.array([0.0]), 4.0, c)[0] == 0.0
    moved = vxfit_spx.constant_30d(days, vix, vix, c, np.full(len(days), 0.1), 4.0)
    assert np.all(moved[np.isfinite(plain)] > plain[np.isfinite(plain)])  # a positive z raises every 30-day level


@pytest.mark.realdata
def test_ablation_gives_the_readme_figures(shared_data: Path) -> None:
    """The README's figures ("VX term structure", paragraph "Information from the SPX itself"), printed by
    ``python -m feeds.vxfit_spx --data-dir ../shared/data`` (15-25 s). Tolerance: the last printed decimal."""
    res = vxfit_spx.ablation(shared_data)
    expected = {"packaged": ((1.264, 1.196, 1.498), (0.671, 0.830, -0.056, 0.076), (0.728, 0.860)),
                "variant": ((1.208, 1.130, 1.473), (0.626, 0.812, -0.014, 0.028), (0.635, 0.821))}
    for name, (rmse, full, forward) in expected.items():
        r = res[name]
        assert [r["rmse"][s] for s in vxfit_spx.SPLITS] == pytest.approx(rmse, abs=1e-3), name
        assert all(r["targets"].values()), name
        assert r["c30"]["in sample"] == pytest.approx(full, abs=1e-3), name
        assert r["c30"]["forward"][:2] == pytest.approx(forward, abs=1e-3), name
    # the packaged row is the committed report's figures (feeds/calibration/vx_curve.json), scored not refitted
    assert res["packaged"]["fits"]["in sample"].cz == 0.0


def test_the_table_puts_each_figure_under_its_column():
    """MUT27 VF11 (table() was never run): README's ablation table, by hand figures, each distinct: the last column
    is "corr of its daily change with SPX return / VIX change" (error_shape's 3rd and 4th figures, in that order)."""
    fit = vxfit_spx.SpxFit(vxfit.START, 1.5, 0.25)
    one = {"rmse": {"in sample": 1.264, "forward": 1.196, "reverse": 1.498},
           "targets": {"in sample": True, "forward": False, "reverse": True},
           "c30": {"in sample": (0.671, 0.830, -0.056, 0.076), "forward": (0.728, 0.860, -0.5, 0.5)},
           "fits": {s: fit for s in vxfit_spx.SPLITS}}
    lines = vxfit_spx.table({"packaged": one, "variant": one}).splitlines()
    assert lines[2] == ("| packaged two-factor (vx_curve.json, not refitted) | 1.264 | 1.196 | 1.498 | yes / no / yes "
                        "| 0.671 / 0.830 | 0.728 / 0.860 | -0.056 / +0.076 |")
    assert lines[-1].startswith("variant: in sample cz 1.500, zbar 0.2500, premium c ")


def test_a_missing_variance_premium_is_one_data_error():
    """MUT27 VF5: z on a day the EMA does not cover (SPX closes starting too late) is a DataError naming the count."""
    from feeds.marketdata import DataError

    days = pd.bdate_range("2015-01-05", periods=5)
    ema = pd.Series([0.1, 0.2, 0.3, 0.4], index=days[1:])
    fit = vxfit_spx.SpxFit(vxfit.START, 1.0, 0.1)
    np.testing.assert_allclose(fit.z(ema, days[1:]), [0.0, 0.1, 0.2, 0.3], atol=1e-15)
    with pytest.raises(DataError, match=r"^the SPX variance premium is missing on 1 of the days "
                                        r"2015-01-05\.\.2015-01-09"):
        fit.z(ema, days)
