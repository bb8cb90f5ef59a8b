"""feeds.snapshot_level: the vol level a snapshot of SPX quotes pins (a measurement the README cites, not a model).

Synthetic chains first: on Black-Scholes prices at one flat vol, Cboe's VIX formula and the at-the-money vol both
return that vol (the formula up to its strike discretisation, Cboe "VIX White Paper"); then the 2019 sample's
figures the README quotes.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest

from feeds import snapshot_level as S
from vixhedge.core import pricing


def _flat_chain(vol: float, t: float, rate: float = 0.02, spot: float = 2900.0, step: float = 5.0):
    strikes = np.arange(0.4 * spot, 1.6 * spot + step, step)
    k = np.concatenate([strikes, strikes])
    call = np.concatenate([np.ones(len(strikes), bool), np.zeros(len(strikes), bool)])
    px = np.array([float(pricing.bsm_price(spot, kk, t, rate, 0.0, vol, bool(c))) for kk, c in zip(k, call)])
    return k, call, px, px, t, rate, spot  # bid = ask = the price (a quote with no width)


@pytest.mark.parametrize("vol, days", [(0.15, 28), (0.30, 35)])
def test_on_one_flat_vol_both_estimators_return_it(vol, days) -> None:
    k, call, bid, ask, t, rate, spot = _flat_chain(vol, days / 365.0)
    assert S.term_variance(k, call, bid, ask, t, rate) == pytest.approx(vol ** 2, rel=0.01)  # 5-point strikes
    assert S.atm_variance(k, call, bid, ask, t, rate, spot) == pytest.approx(vol ** 2, rel=1e-4)


def test_thirty_days_interpolate_in_total_variance() -> None:
    """Two expiries at 0.04 and 0.09 variance, 23 and 37 days: 30 days sits halfway, so the total variance is the
    mean of 23 x 0.04 and 37 x 0.09 (in days / 365) and the level 100 sqrt(that / (30 / 365))."""
    t1, t2 = 23 / 365, 37 / 365
    want = 100 * math.sqrt((t1 * 0.04 + t2 * 0.09) / 2 / (30 / 365))
    assert S.thirty_day([(t1, 0.04), (t2, 0.09)]) == pytest.approx(want, rel=1e-12)
    assert S.thirty_day([(t1, 0.04)]) is None and S.thirty_day([]) is None


def test_a_chain_without_two_strikes_quoting_both_rights_has_no_level() -> None:
    k = np.array([2900.0, 2950.0])
    assert S.term_variance(k, np.array([True, False]), np.array([10.0, 12.0]), np.array([11.0, 13.0]), 0.08,
                           0.02) is None


@pytest.mark.realdata
def test_the_2019_snapshots_do_not_pin_their_level(shared_data: Path, capsys) -> None:
    """The README's figures (`python -m feeds.snapshot_level --data-dir ../shared/data`): each estimator puts one
    intraday day outside that day's VIX range (Cboe's VIX_History: 04-25 high 14.30, 04-30 low 12.88)."""
    assert S.main(["--data-dir", str(shared_data)]) == 0
    rows = {line[:10]: line for line in capsys.readouterr().out.splitlines() if line.startswith("2019-")}
    assert "formula 14.41" in rows["2019-04-25"] and "high 14.30" in rows["2019-04-25"]
    assert "ATM 11.90" in rows["2019-04-30"] and "low 12.88" in rows["2019-04-30"]
    assert "at the close" in rows["2019-04-26"] and "at the close" in rows["2019-04-29"]
