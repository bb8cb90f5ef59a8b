"""Probe of MUT38 (sweep.py survivor SW2): a rerun tries failed points again (sweep.py:193, "a rerun tries failed
points again: the files change from here"): a point (fast 12, slow 26) that failed on the first run and finishes on
the rerun is no longer in failed.csv (sweep_order.sort_rows keeps the first row of a key, so a kept failed.csv would
keep the old failure). The spec is test_sweep_integrity's (fast 5/8/12 x slow 20/26), run on one worker."""
from __future__ import annotations

import pandas as pd

from feeds.market import build_market
from tests.vixhedge.test_sweep_integrity import write_spec
from vixhedge import sweep as sw
from vixhedge import sweep_metrics


def test_sw2_a_failed_point_that_finishes_on_the_rerun_is_not_failed(tmp_path, monkeypatch):
    spec = sw.load_spec(write_spec(tmp_path, fast="[5, 8, 12]", extra="workers = 1\nkernel = \"off\""))
    market = build_market(spec.base.market)
    real = sw.run_point

    first = [True]

    def boom(point, *args):
        if first[0] and point.params["hedge.macd.fast"] == 12 and point.params["hedge.macd.slow"] == 26:
            raise ValueError("boom")
        return real(point, *args)

    monkeypatch.setattr(sweep_metrics, "run_point", boom)
    out = tmp_path / "out"
    sw.run_sweep(spec, out, market, progress=False)
    assert len(pd.read_csv(out / "failed.csv")) == 1
    first[0] = False
    sw.run_sweep(spec, out, market, progress=False)
    assert not (out / "failed.csv").is_file() or pd.read_csv(out / "failed.csv").empty
