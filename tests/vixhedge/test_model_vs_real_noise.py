"""Curve errors shaped like the model's (vixhedge.model_vs_real_gap: ar1_path, with_noise(rho), error_shape)."""

from __future__ import annotations

import numpy as np
import pytest

from vixhedge.model_vs_real_gap import ar1_path, error_shape, shaped_noise_report, with_noise


def test_ar1_path_has_the_stationary_sd_and_autocorrelation_it_is_given():
    # a stationary AR(1) u_t = rho u_(t-1) + e_t with sd(e) = sigma sqrt(1 - rho^2) has sd sigma and lag-1
    # autocorrelation rho (Hamilton 1994, "Time Series Analysis", 3.4); 200,000 steps: both within 1%
    u = ar1_path(200_000, 0.7, 0.83, np.random.default_rng(1))
    assert u.std() == pytest.approx(0.7, rel=0.01)
    assert np.corrcoef(u[1:], u[:-1])[0, 1] == pytest.approx(0.83, abs=0.01)


@pytest.fixture(scope="module")
def embedded():
    from feeds.market import build_market
    from vixhedge.core import config as C

    cfg = C.replace(C.load_default(), run={"start": "2014-03-03", "end": "2018-12-31"})
    return cfg, build_market(cfg.market)


def test_a_shaped_error_moves_the_whole_curve_and_error_shape_reads_it_back(embedded):
    cfg, market = embedded
    noisy = with_noise(market, 0.5, 4, rho=0.8)
    shift = noisy.vx.prices - market.vx.prices
    live = np.isfinite(shift)
    rows = np.where(live.any(axis=1))[0]
    spread = np.nanmax(np.where(live, shift, np.nan)[rows], axis=1) - np.nanmin(np.where(live, shift, np.nan)[rows], axis=1)
    assert np.abs(spread).max() < 1e-12  # one shift a day for every contract: the curve's shape is kept
    sd, rho = error_shape(cfg, market, noisy)
    # the constant-maturity series weighs two contracts with weights summing to 1, so its error is the day's shift:
    # over ~1,215 sessions the sample sd and autocorrelation sit within a few standard errors of 0.5 and 0.8
    assert sd == pytest.approx(0.5, rel=0.15) and rho == pytest.approx(0.8, abs=0.06)
    assert error_shape(cfg, market, with_noise(market, 0.0, 4, rho=0.8)) == (0.0, 0.0)


def test_shaped_noise_report_counts_the_runs_within_the_target():
    line = shaped_noise_report(-100_000.0, {"sd 0.67": np.array([-70_000.0, -90_000.0, -125_000.0])}).splitlines()[2]
    # |-70k + 100k| = 30k > 20k; 10k and 25k: 10k within
    assert line == "| sd 0.67 | -$95.0k | $27.8k | -$125.0k .. -$70.0k | 1 of 3 |"


@pytest.mark.realdata
def test_the_modelled_curves_error_on_the_macd_series_has_the_readme_shape(real_2014_2018):
    """README "Model vs real market", reason 2 (`python -m vixhedge.model_vs_real --data-dir ../shared/data`)."""
    from vixhedge.model_vs_real import modelled_curve

    cfg, real = real_2014_2018
    sd, rho = error_shape(cfg, real, modelled_curve(real))
    assert (round(sd, 2), round(rho, 2)) == (0.67, 0.83)  # the README's "sd 0.67, autocorrelation 0.83"
