"""vixhedge.skew_error: the noise shaped like the embedded SKEW estimate's error."""

from __future__ import annotations

import numpy as np

from vixhedge.skew_error import ar1_noise


def test_ar1_noise_has_the_requested_sd_and_autocorrelation() -> None:
    """Stationary AR(1) draws: sd and lag-1 autocorrelation as asked (7.0 points and 0.805: the embedded SKEW
    estimate's error 2014-2018, `python -m vixhedge.skew_error`), the same draws for the same seed."""
    x = ar1_noise(200_000, 7.0, 0.805, 3)
    assert abs(x.std() - 7.0) < 0.1 and abs(np.corrcoef(x[1:], x[:-1])[0, 1] - 0.805) < 0.01
    assert abs(x.mean()) < 0.2
    np.testing.assert_array_equal(ar1_noise(50, 7.0, 0.805, 3), ar1_noise(50, 7.0, 0.805, 3))
