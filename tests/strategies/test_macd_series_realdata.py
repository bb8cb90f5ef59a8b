"""The default MACD series (constant 30-day maturity of the front two VX months) has no roll artefact.

On the real VX settles 2014-2018 (../shared/data) the front-month series jumps at each monthly roll
(its mean absolute daily change on a settlement day or the day after is ~1.7x that of other days) and
its MACD crosses up on those days 16 times against ~6 expected; the default series moves on roll days as
on any other day and crosses up on them as often as chance says (measured: 6 against 5.3 expected).
"""

import math
from pathlib import Path

import numpy as np
import pytest

from feeds import calendars
from feeds.market import build_market
from vixhedge import config as C
from vixhedge import signals as sig

pytestmark = pytest.mark.realdata
SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"


@pytest.fixture(scope="module")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real data folder {SHARED_DATA} is absent (see /work/shared/data/README.md)")
    return SHARED_DATA


@pytest.fixture(scope="module")
def real(shared_data):
    cfg = C.replace(C.Config(), market={"source": "directory", "data_dir": str(shared_data),
                                        "history_start": "2013-06-01"})
    m = build_market(cfg.market)
    settle = {calendars.vx_settlement_date(y, mo) for y in range(2013, 2020) for mo in range(1, 13)}
    days = list(m.days)
    roll = np.array([d in settle or (i > 0 and days[i - 1] in settle) for i, d in enumerate(days)])
    window = np.array([2014 <= d.year <= 2018 for d in days])
    return m, roll, window


def _roll_day_up_crosses(series, roll, window):
    lines = sig.macd(series)
    up = (sig.crossover(lines.macd, lines.signal) == 1) & window
    expected = up.sum() * (roll & window).sum() / window.sum()  # up-crosses spread evenly over the days
    return int((up & roll).sum()), float(expected)


def _roll_jump_ratio(series, roll, window):
    move = np.abs(np.diff(series))
    return move[roll[1:] & window[1:]].mean() / move[~roll[1:] & window[1:]].mean()


def test_default_series_is_the_roll_free_constant_maturity():
    assert C.Config().hedge.macd.series is C.VxSeries.CONSTANT_30D
    assert C.load_default().hedge.macd.series is C.VxSeries.CONSTANT_30D


def test_roll_day_crossings_artefact_gone_on_real_vx(real):
    m, roll, window = real
    front, front_expected = _roll_day_up_crosses(m.vx_series(C.VxSeries.FRONT), roll, window)
    cm, cm_expected = _roll_day_up_crosses(m.vx_series(C.VxSeries.CONSTANT_30D), roll, window)
    bound = lambda e: e + 2 * math.sqrt(e)  # chance count + 2 Poisson standard deviations
    assert front > bound(front_expected)  # the artefact: 16 vs 6.1 expected
    assert cm <= bound(cm_expected)  # gone: 6 vs 5.3 expected
    assert _roll_jump_ratio(m.vx_series(C.VxSeries.FRONT), roll, window) > 1.4  # 1.68
    assert 0.8 < _roll_jump_ratio(m.vx_series(C.VxSeries.CONSTANT_30D), roll, window) < 1.25  # 0.98
