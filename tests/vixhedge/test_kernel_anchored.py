"""The sweep kernel on real-data days between real chains (review 19, 2026-12-05): condors are chosen there on the
chain that carries the anchored quotes (feeds.marketquotes._quoted_chain), and the kernel, which reads the same
Market's chains, keeps the event path's NAV (checked by hand on three grids by the review; this holds one point of
each condor rule the 2019 sample window can tell apart)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np
import pytest

from vixhedge import kernel as K
from vixhedge import sweep as sw
from vixhedge.core import config as C
from vixhedge.core.instruments import Right
from vixhedge.run import daily_book

pytestmark = pytest.mark.realdata


def test_the_kernel_keeps_the_event_paths_nav_where_anchored_quotes_choose_the_strikes(shared_data: Path) -> None:
    from feeds.market import build_market

    base = C.replace(C.load_default(), run={"start": dt.date(2019, 4, 1), "end": dt.date(2019, 9, 30)},
                     market={"source": "directory", "data_dir": str(shared_data)})
    market = build_market(base.market)
    configs = [base, C.replace(base, condor={"short_delta": 0.15, "profit_take": 0.65}),
               C.replace(base, hedge={"mode": "static"}, condor={"wing_width_points": 50.0})]
    chain = market.spx_chain(market.index_of(dt.date(2019, 5, 10)), dt.date(2019, 6, 21))
    assert chain.nearest_delta(Right.CALL, 0.05) == 3075.0  # the anchored chain's wing (test_market_realdata.py)
    for cfg in configs:
        (_, out, k, _), = K.outcomes([sw.Point(C.to_toml(cfg), {}, cfg)], market)
        daily, _ = daily_book(cfg, market)
        np.testing.assert_allclose(out.nav[k], daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)
