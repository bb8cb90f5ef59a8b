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
