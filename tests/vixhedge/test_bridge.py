import math

import numpy as np
import pytest

from feeds.chains import atm_vol
from vixhedge.bridge import VIX_TENOR_YEARS, spx_vega_equivalent, spx_vol_points_per_vix_point
from vixhedge.core.config import SpxSmileConfig, VxCurveConfig


@pytest.mark.parametrize("t_days", [7, 30, 45, 90, 365])
def test_bridge_matches_a_finite_difference_of_the_chain_model(t_days):
    """The bridge is the derivative of the chain model's ATM vol with respect to VIX (independent path)."""
    smile, curve = SpxSmileConfig(), VxCurveConfig()
    t = t_days / 365.0
    h = 1e-4
    fd = (atm_vol(18.0 + h, t, smile, curve) - atm_vol(18.0 - h, t, smile, curve)) / (2 * h) * 100.0
    assert spx_vol_points_per_vix_point(t, smile.vix_to_atm, curve.mean_reversion_per_year) == pytest.approx(
        fd, rel=1e-7)


def test_limits_and_default_tenor():
    assert spx_vol_points_per_vix_point(0.0, 0.85, 3.0) == pytest.approx(0.85)  # short tenor: one for one x ratio
    assert spx_vol_points_per_vix_point(10.0, 0.85, 3.0) == pytest.approx(0.85 / 30.0, rel=1e-3)
    x = 3.0 * VIX_TENOR_YEARS
    assert spx_vega_equivalent(1000.0, None, 0.85, 3.0) == pytest.approx(1000.0 / (0.85 * -math.expm1(-x) / x))
    assert np.isfinite(spx_vega_equivalent(1000.0, 0.0, 0.85, 3.0))
