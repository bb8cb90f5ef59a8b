"""Tests for feeds.surface: total-variance ATM term structure, recovery of known parameters, real-data target."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from feeds import surface


def test_atm_base_interpolates_total_variance() -> None:
    levels = np.array([[10.0, 12.0, 15.0, 16.0, 17.0]])
    t = np.array([30.0 / 365.0])
    assert surface.atm_base(t, levels)[0] == pytest.approx(0.12, rel=1e-12)  # on a node: the index itself
    mid = (30.0 + 93.0) / 2 / 365.0  # halfway in T: the mean of the two total variances
    w = (0.12 ** 2 * 30 / 365 + 0.15 ** 2 * 93 / 365) / 2
    assert surface.atm_base(np.array([mid]), levels)[0] == pytest.approx(np.sqrt(w / mid), rel=1e-12)
    assert surface.atm_base(np.array([3 / 365]), levels)[0] == pytest.approx(0.10)  # flat before VIX9D


def test_surface_fit_recovers_known_parameters() -> None:
    rng = np.random.default_rng(5)
    truth = np.array([0.78, 0.02, -0.35, 0.01, 0.2, 6.0, -0.4])
    n = 3000
    t = rng.uniform(10, 170, n) / 365.0
    k = rng.uniform(-0.25, 0.08, n)
    base = rng.uniform(0.11, 0.16, n)
    move = rng.normal(0.0, 0.004, n)
    iv = surface.surface_vol(truth, t, k, base, move) + rng.normal(0.0, 0.0005, n)
    obs = {"t": t, "k": k, "iv": iv, "base": base, "move": move}
    fitted = surface._fit(obs, np.ones(n, bool))
    tol = np.array([0.003, 0.003, 0.01, 0.005, 0.02, 0.3, 0.03])
    assert (np.abs(fitted - truth) <= tol).all(), (fitted, truth)


def test_index_relations_from_vix() -> None:
    import pandas as pd

    vix = np.array([12.0, 15.0, 20.0, 30.0, 45.0])
    frame = pd.DataFrame({"VIX": vix, "VIX9D": vix * 0.9 * (vix / 20) ** 0.2, "VIX3M": vix * 1.1 * (vix / 20) ** -0.1,
                          "VIX6M": vix * 1.15 * (vix / 20) ** -0.2, "VIX1Y": vix * 1.2 * (vix / 20) ** -0.25})
    rel = surface.fit_index_relations(frame)
    est = surface.indices_from_vix(vix, rel)
    np.testing.assert_allclose(est, frame[list(surface.NODES)].to_numpy(), rtol=2e-3)


@pytest.mark.realdata
def test_surface_meets_the_target_on_days_not_used_for_the_fit(shared_data: Path) -> None:
    """Issue 11 target, each 2019 sample day left out in turn: median |IV error| <= 0.35 vol points per side,
    no side biased by more than 0.2 (the committed report: feeds/calibration/spx_smile.json "surface")."""
    import json

    stored = json.loads((Path(__file__).resolve().parents[2] / "feeds" / "calibration" / "spx_smile.json").read_text())
    loo = stored["surface"]["leave_one_day_out"]
    for side in ("puts", "calls"):
        assert loo[side]["all"]["median_abs"] <= 0.35 and abs(loo[side]["all"]["median"]) <= 0.2, side
    assert stored["fit"]["rmse_vol_points"] > 0.7  # the VIX-anchored smile the chains use: 0.79 in sample
