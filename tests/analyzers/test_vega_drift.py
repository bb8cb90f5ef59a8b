"""Tests for analyzers.vega_drift: hedge ratio and outside-band distance, book vega aggregation."""

from __future__ import annotations

import datetime as dt
import math

import pytest

from analyzers.vega_drift import UNIT, VegaRecorder, book_vega, drift, target_band
from vixhedge.core.config import MarketConfig, SpxSmileConfig, VxCurveConfig
from vixhedge.core.instruments import Contract, Kind, Quote, Right
from vixhedge.core.ledger import Ledger

BAND = (0.25, 0.75)


@pytest.mark.parametrize(("condor", "hedge", "ratio", "outside"), [
    (-1_000.0, 100.0, 0.10, 150.0),     # below: (0.25 - 0.10) x 1,000
    (-1_000.0, 0.0, 0.0, 250.0),        # unhedged condor
    (-1_000.0, -200.0, -0.20, 450.0),   # hedge adds to the short vega: (0.25 + 0.20) x 1,000
    (-1_000.0, 250.0, 0.25, 0.0),       # on the lower edge
    (-1_000.0, 500.0, 0.50, 0.0),       # inside
    (-1_000.0, 750.0, 0.75, 0.0),       # on the upper edge
    (-1_000.0, 900.0, 0.90, 150.0),     # above: (0.90 - 0.75) x 1,000
    (2_000.0, 2_000.0, 1.00, 500.0),    # |condor vega| is the scale whatever its sign
], ids=["below", "unhedged", "negative-hedge", "low-edge", "inside", "high-edge", "above", "long-vega-condor"])
def test_drift(condor: float, hedge: float, ratio: float, outside: float) -> None:
    got_ratio, got_outside = drift(condor, hedge, BAND)
    assert got_ratio == pytest.approx(ratio, abs=1e-12)
    assert got_outside == pytest.approx(outside, abs=1e-9)
    assert got_outside >= 0


@pytest.mark.parametrize("hedge", [0.0, 500.0], ids=["flat", "hedge-only"])
def test_drift_without_condor(hedge: float) -> None:
    ratio, outside = drift(0.0, hedge, BAND)
    assert math.isnan(ratio) and outside == 0.0


class _StubMarket:
    # the hand-computed bridge below uses vix_to_atm 0.85 and kappa 3/yr (the pre-calibration models)
    cfg = MarketConfig(vx_curve=VxCurveConfig(long_run_level=20.0, mean_reversion_per_year=3.0),
                       spx_smile=SpxSmileConfig(vix_to_atm=0.85, skew=-0.20, curvature=0.033))

    def __init__(self, quotes: dict[Contract, Quote]) -> None:
        self.quotes = quotes

    def t_years(self, i: int, expiry: dt.date) -> float:
        return (expiry - dt.date(2018, 1, 2)).days / 365.0

    def quote(self, contract: Contract, i: int) -> Quote:
        assert i == 7
        return self.quotes[contract]


def test_book_vega_sums_condor_vega_and_hedge_vix_beta() -> None:
    exp = dt.date(2018, 2, 16)
    vexp = dt.date(2018, 2, 14)
    put = Contract(Kind.SPX_OPTION, exp, 2600.0, Right.PUT)
    call = Contract(Kind.SPX_OPTION, exp, 2850.0, Right.CALL)
    vx = Contract(Kind.VX_FUTURE, vexp)
    vc = Contract(Kind.VIX_OPTION, vexp, 20.0, Right.CALL)
    quotes = {put: Quote(1, 1, 1, vega=2.0), call: Quote(1, 1, 1, vega=1.5),
              vx: Quote(15, 15, 15, delta=1.0, vix_beta=0.8), vc: Quote(1, 1, 1, vega=0.1, vix_beta=0.3)}
    ledger = Ledger(1e6)
    for c, q, comp in [(put, -2, "condor"), (call, -1, "condor"), (vx, 3, "hedge:L1"), (vc, 10, "hedge:L2")]:
        ledger.fill(dt.date(2018, 1, 2), c, q, 1.0, 0.0, comp, "open", mid=1.0)
    condor, hedge = book_vega(ledger, _StubMarket(quotes), 7)
    assert condor == pytest.approx(-2 * 2.0 * 100 - 1 * 1.5 * 100, abs=1e-9)   # -550 USD per vol point
    # 2,700 USD per VIX point; the condor (45 days to expiry) moves 0.85 * (1 - e^-x) / x SPX vol points per
    # VIX point, x = 3 * 45/365 (vixhedge.bridge): hand-computed (1 - 0.69083) / 0.36986 * 0.85 = 0.7105, so 2,700 / 0.7105 = 3,800 per SPX point
    x = 3.0 * 45 / 365
    assert hedge == pytest.approx(2_700 / (0.85 * (1 - math.exp(-x)) / x), rel=1e-12)
    assert 0.85 * (1 - math.exp(-x)) / x == pytest.approx(0.7105, abs=1e-4)


def _analysis(rows: list[dict], band=BAND) -> dict:
    core = VegaRecorder(band)
    core.rows = rows
    return core.summary()


def test_get_analysis_counts_only_condor_days() -> None:
    rows = []
    for cv, hv in [(0.0, 100.0), (-1_000.0, 100.0), (-1_000.0, 500.0), (-2_000.0, 2_000.0)]:
        ratio, d = drift(cv, hv, BAND)
        rows.append({"condor_vega_usd": cv, "hedge_vega_usd": hv, "hedge_ratio": ratio, "vega_drift_usd": d})
    a = _analysis(rows)
    # active days: drift 150, 0, 500; ratios 0.1, 0.5, 1.0
    assert a == {"days_with_condor": 3, "band": [0.25, 0.75], "unit": UNIT, "mean_abs_drift_usd": pytest.approx(216.67),
                 "max_drift_usd": 500.0, "share_days_outside_band": 2 / 3,  # in full (trial MX: printed figures
                 "mean_hedge_ratio": 1.6 / 3, "median_hedge_ratio": 0.5}  # rounded a 4-place value a second time)
    assert _analysis([rows[0]]) == {"days_with_condor": 0}


@pytest.mark.parametrize(("condor", "low", "high"), [(-1_000.0, 250.0, 750.0), (2_000.0, 500.0, 1_500.0)],
                         ids=["short-vega", "long-vega"])
def test_target_band_scales_with_condor_vega(condor: float, low: float, high: float) -> None:
    assert target_band(condor, BAND) == (low, high)
    # inside the target band <=> no drift; on its edges too
    for hedge in (low, (low + high) / 2, high):
        assert drift(condor, hedge, BAND)[1] == 0.0
    assert drift(condor, low - 1.0, BAND)[1] == pytest.approx(1.0) == drift(condor, high + 1.0, BAND)[1]


def test_target_band_without_condor_is_undefined() -> None:
    assert all(math.isnan(v) for v in target_band(0.0, BAND))
