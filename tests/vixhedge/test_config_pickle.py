"""Configs pickle by their field values (vixhedge.core.config.base.fast_pickle): equal after a round trip, every
config dataclass covered, and the sweep's dask results keep each point's returns (vixhedge.sweep_dask)."""

import dataclasses
import pickle

import numpy as np
import pytest

from vixhedge.core import config as C
from vixhedge.core.config import book, hedge, load, market
from vixhedge.sweep_dask import _on_this_host, _packed, _unpacked
from vixhedge.sweep_metrics import RETURNS_KEY


def _config_classes():
    return [c for mod in (market, book, hedge, load) for c in vars(mod).values()
            if isinstance(c, type) and dataclasses.is_dataclass(c) and c.__module__ == mod.__name__]


def test_every_config_dataclass_pickles_by_field_values():
    classes = _config_classes()
    assert len(classes) >= 20  # the sections of core/config (24 when this test was written)
    slow = [c.__name__ for c in classes if c.__getstate__.__qualname__.startswith("_dataclass")]
    assert slow == [], f"config dataclasses left on dataclasses' own (slow) pickling: {slow}"


@pytest.mark.parametrize("protocol", [2, pickle.HIGHEST_PROTOCOL])
def test_round_trip_equal_and_frozen(protocol):
    cfg = C.replace(C.load_default(), hedge={"macd": {"fast": 7, "slow": 31}}, run={"start": "2016-01-04"})
    back = pickle.loads(pickle.dumps(cfg, protocol))
    assert back == cfg and hash(back) == hash(cfg)
    assert C.to_toml(back) == C.to_toml(cfg)
    assert back.hedge.macd.fast == 7 and back.hedge.macd.slow == 31
    with pytest.raises(dataclasses.FrozenInstanceError):
        back.hedge.macd.fast = 8


def test_packed_rows_keep_each_points_returns():
    rows = [{"point": f"p{i}", RETURNS_KEY: np.arange(5.0) + i} for i in range(3)]
    rows.insert(1, {"point": "bad", "__error__": "ValueError: x"})  # a failed point has no returns
    want = [dict(r) for r in rows]
    back = _unpacked(*pickle.loads(pickle.dumps(_packed(rows))))
    assert [r["point"] for r in back] == [r["point"] for r in want]
    for got, exp in zip(back, want):
        assert (RETURNS_KEY in got) == (RETURNS_KEY in exp)
        if RETURNS_KEY in exp:
            np.testing.assert_array_equal(got[RETURNS_KEY], exp[RETURNS_KEY])


@pytest.mark.parametrize("address, local", [("tcp://127.0.0.1:8786", True), ("tcp://localhost:8786", True),
                                            ("tcp://[::1]:8786", True), ("tcp://10.0.0.5:8786", False),
                                            ("tls://sched.example.org:8786", False)])
def test_direct_gather_only_from_a_loopback_scheduler(address, local):
    assert _on_this_host(address) is local
