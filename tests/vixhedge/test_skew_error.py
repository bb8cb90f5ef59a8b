"""vixhedge.skew_error: the noise shaped like the embedded SKEW estimate's error."""

from __future__ import annotations


import numpy as np
import pytest

from vixhedge.skew_error import ar1_noise


def test_ar1_noise_has_the_requested_sd_and_autocorrelation() -> None:
    """Stationary AR(1) draws: sd and lag-1 autocorrelation as asked (7.0 points and 0.805: the embedded SKEW
    estimate's error 2014-2018, `python -m vixhedge.skew_error`), the same draws for the same seed."""
    x = ar1_noise(200_000, 7.0, 0.805, 3)
    assert abs(x.std() - 7.0) < 0.1 and abs(np.corrcoef(x[1:], x[:-1])[0, 1] - 0.805) < 0.01
    assert abs(x.mean()) < 0.2
    np.testing.assert_array_equal(ar1_noise(50, 7.0, 0.805, 3), ar1_noise(50, 7.0, 0.805, 3))


def test_ar1_noise_starts_stationary() -> None:
    """MUT27 SE2: the first draw is from the stationary law (sd 7.0), not 0: over 2,000 seeds the first and the
    third draws have sd 7.0 (the sample sd's own sd about 7 / sqrt(2 x 2000) = 0.11; 0.4 is over 3 of them); a start
    at 0 would give sd 0 and then 7 x sqrt(1 - 0.805^4) = 5.3 on the third."""
    first = np.array([ar1_noise(3, 7.0, 0.805, seed) for seed in range(1, 2001)])
    assert abs(first[:, 0].std() - 7.0) < 0.4 and abs(first[:, 2].std() - 7.0) < 0.4


@pytest.mark.realdata
def test_the_estimated_indices_give_the_real_atm_vol_on_average_2014_2018(shared_data) -> None:
    """README "SPX surface per day", SKEW's level by year (`python -m vixhedge.skew_error --data-dir
    ../shared/data`): ATM vol from the estimated indices over the one from Cboe's, 2014-03..2018-12, mean
    -0.6% / +0.1% / +0.3% at 21 / 45 / 60 days (with one SKEW level for all years +4.7% / +5.3% / +5.5%); the
    estimate's SKEW error sd 7.00 points, lag-1 autocorrelation 0.805."""
    from feeds.market import build_market
    from vixhedge.core import config as C
    from vixhedge.skew_error import all_estimated, atm_ratios, error_shape

    data = shared_data
    real = build_market(C.replace(C.load_default(), market={"source": "directory", "data_dir": str(data)}).market)
    estimated = all_estimated(real)
    ratios = atm_ratios(real, estimated, "2014-03-03", "2018-12-31")
    assert all(abs(r.mean()) < 0.01 for r in ratios.values())
    # README l.1720, to its digit: each mean within 0.05% of -0.6% / +0.1% / +0.3%, the daily sd 5.4-6.0% (MUT27 SE7:
    # the tenor's d / 252 for d / 365 passed |mean| < 1%)
    for d, readme in ((21, -0.006), (45, 0.001), (60, 0.003)):
        assert ratios[d].mean() == pytest.approx(readme, abs=0.0005), d
        assert 5.4 <= round(100 * ratios[d].std(), 1) <= 6.0, d
    assert error_shape(real, estimated, "2014-03-03", "2018-12-31") == pytest.approx((7.00, 0.805), abs=0.005)


def test_noise_shift_is_the_mean_against_the_real_run_with_its_standard_error() -> None:
    """README "SPX surface per day": the noise runs' mean condor P&L minus the real indices' run, and that mean's
    standard error, sd / sqrt(runs) (20 runs, sd $52.1k: $11.6k; the line `python -m vixhedge.skew_error` prints
    after its table). Here on made-up P&Ls: mean -25,000 - (-60,000) = +35,000; sd 7,071.07 / sqrt(2) = 5,000."""
    from vixhedge.skew_error import noise_shift, shift_line

    assert noise_shift(-60_000.0, np.array([-30_000.0, -20_000.0])) == pytest.approx((35_000.0, 5_000.0))
    assert shift_line(-60_000.0, np.array([-30_000.0, -20_000.0])) == (
        "noise runs' mean condor P&L - the real indices' run: +$35.0k (standard error $5.0k, sd / sqrt(2))")
