"""vixhedge.vxth_published: the replica's gap to Cboe's published VXTH, on series made by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from feeds import calendars
from vixhedge.vxth_published import published, tracking


def _days() -> list[dt.date]:
    return [d.date() for d in pd.bdate_range("2016-01-04", "2016-12-30")]


def test_a_replica_equal_to_the_index_has_no_gap_and_one_periods_move_is_measured() -> None:
    """Equal levels: every figure 0. Then the replica gains 1% more than the index over one roll period (the
    2016-05-18 to 06-15 VIX expirations, Cboe's settlement calendar via feeds.calendars): a gap of g = 1.01 (1 + r)
    - 1 - r = (1 + r) points, r the index's return over it, so per-period RMSE sqrt(g^2 / n) over the n periods
    between the year's expirations, mean g / n."""
    days = _days()
    level = 100.0 * np.cumprod(1.0 + np.random.default_rng(1).normal(0.0003, 0.01, len(days)))
    pub = pd.Series(level, index=pd.DatetimeIndex(days))
    rep = pd.DataFrame({"vxth": level}, index=days)
    t = tracking(rep, pub)
    expirations = [d for d in days if calendars.vx_settlement_date(d.year, d.month) == d]
    n = len(expirations) - 1
    assert t["periods"] == n == 11 and t["rmse_points"] == 0.0 and t["daily_te"] == 0.0
    assert set(t["years"]) == {2016} and t["years"][2016] == 0.0
    bumped = level.copy()
    i0, i1 = days.index(dt.date(2016, 5, 18)), days.index(dt.date(2016, 6, 15))
    bumped[i0 + 1:i1 + 1] *= np.linspace(1.0, 1.01, i1 - i0 + 1)[1:]  # +1% by the end of the period ...
    bumped[i1 + 1:] *= 1.01  # ... kept after it
    t = tracking(pd.DataFrame({"vxth": bumped}, index=days), pub)
    g = level[i1] / level[i0]  # 1 + r, in points of the 1% bump
    assert t["rmse_points"] == pytest.approx(np.sqrt(g ** 2 / n), rel=1e-9)
    assert t["mean_points"] == pytest.approx(g / n, rel=1e-9)
    assert t["total_replica"] - t["total_published"] == pytest.approx(0.01 * level[-1] / level[0], rel=1e-9)


def test_no_published_index_without_the_wide_file_or_its_column(tmp_path) -> None:
    assert published(tmp_path) is None
    folder = tmp_path / "cboe_volatility_indices"
    folder.mkdir()
    pd.DataFrame({"date": ["2016-01-04"], "VIX": [20.7]}).to_csv(folder / "cboe_vol_indices_wide_1990_2026.csv.gz",
                                                                  index=False)
    assert published(tmp_path) is None


def test_the_years_sign_the_largest_gap_by_size_and_the_median_by_hand() -> None:
    """MUT28 vp2, vp7, vp8: the published index flat at 100; the replica moves only on the 2016 VIX expirations
    (Cboe's settlement calendar via feeds.calendars), by r = +1%, -3%, +2%, then +0.5% over its 11 roll periods, so
    the period gaps are 100 r points: +1, -3, +2 and 8 x +0.5. By hand: the largest by size is -3 (the period ending on
    the third expiration, not the largest signed, +2); the median |gap| is 0.5 (the 6th of 11 sorted: eight 0.5s,
    then 1, 2, 3), not their mean 10 / 11; 2016's difference, replica minus published (the module docstring: "the
    difference per calendar year"), is 100 (prod(1 + r) - 1) = +4.0 points (numpy), the replica ahead."""
    days = _days()
    expirations = [d for d in days if calendars.vx_settlement_date(d.year, d.month) == d]
    r = np.array([0.01, -0.03, 0.02] + [0.005] * 8)
    assert len(expirations) - 1 == len(r)
    steps = np.concatenate([[1.0], np.cumprod(1.0 + r)])
    rep = [100.0 * steps[sum(e <= d for e in expirations[1:])] for d in days]
    pub = pd.Series(100.0, index=pd.DatetimeIndex(days))
    t = tracking(pd.DataFrame({"vxth": rep}, index=days), pub)
    assert t["largest"]["ends"] == str(expirations[2]) and t["largest"]["points"] == pytest.approx(-3.0, rel=1e-9)
    assert t["median_abs_points"] == pytest.approx(0.5, rel=1e-9)
    assert t["years"][2016] == pytest.approx(100.0 * (np.prod(1.0 + r) - 1.0), rel=1e-9)
    assert t["years"][2016] > 0.0
