"""Configs pickle by their field values (vixhedge.core.config.base.fast_pickle): equal after a round trip, frozen,
every config dataclass covered."""

import dataclasses
import pickle

import pytest

from vixhedge.core import config as C
from vixhedge.core.config import book, hedge, load, market, rules, vxth


def _config_classes():
    return [c for mod in (market, book, hedge, rules, vxth, load) for c in vars(mod).values()
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
