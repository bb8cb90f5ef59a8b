"""VIX option strikes on the listed grid (vixhedge.core.vixstrikes; exchange-rules trial, session 8, 2026-12-04: the
modelled chains quoted, and layers traded, every whole point, 31C and 32C in 2016-02 and 53C / 58C in 2020-03 among
them, none listed). Independent reference: the strikes of the one real VIX chain in ../shared/data (Cboe DataShop
2016-06-01), read with plain pandas."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from vixhedge.core import vixstrikes as V


@pytest.mark.parametrize("x, near, up", [
    (0.3, 1.0, 1.0), (13.3, 13.5, 13.5), (13.25, 13.0, 13.5), (14.8, 15.0, 15.0), (22.4, 22.0, 23.0),
    (22.5, 22.0, 23.0), (30.4, 30.0, 32.5), (31.0, 30.0, 32.5), (31.3, 32.5, 32.5), (33.0, 32.5, 35.0),
    (35.0, 35.0, 35.0), (51.2, 50.0, 55.0), (52.5, 50.0, 55.0), (53.0, 55.0, 55.0), (58.0, 60.0, 60.0)])
def test_the_nearest_listed_strike_and_the_first_at_or_above(x, near, up):
    """Half points below 15, whole to 30, 2.5 to 50, 5 above; a tie (13.25, 22.5, 52.5) to the lower strike."""
    assert V.nearest(x) == near and V.at_or_above(x) == up
    np.testing.assert_array_equal(V.nearest(np.array([x, x])), [near, near])


def test_a_spread_on_the_grid_is_never_narrower_than_configured():
    from strategies.book import call_strike, short_strike

    long = call_strike(30.0, 0.05)  # 31.5 -> 32.5 (nearest: 30 is 1.5 away)
    assert (long, short_strike(long, 5.0)) == (32.5, 37.5)
    assert short_strike(28.0, 5.0) == 35.0 and short_strike(47.5, 5.0) == 55.0 and short_strike(20.0, 5.0) == 25.0
    assert list(V.between(28.0, 36.0)) == [28.0, 29.0, 30.0, 32.5, 35.0]


@pytest.mark.realdata
def test_the_grid_is_the_real_chain_s(shared_data: Path):
    """Every strike of the 2016-06-01 chain is on the grid, and the grid holds no other strike within the range of
    each expiry listing the half points below 15 (the nearer ones; the August to November monthlies list whole
    points there, 33 strikes, so the grid has more than they list)."""
    raw = pd.read_csv(shared_data / "vix_options_cboe_datashop_sample_2016" / "UnderlyingOptionsEODCalcs_2016-06-01.csv")
    for _, strikes in raw.groupby("expiration")["strike"]:
        real = np.unique(strikes.to_numpy(dtype=float))
        grid = V.between(real.min(), real.max())
        assert set(real) <= set(V.LISTED)
        if len(real) >= 38:  # the expiries with the half points below 15 (38 or 40 strikes; the farther, 33)
            np.testing.assert_array_equal(grid, real)
