"""Every config number is finite, from TOML and from Python alike; inf only where it means no cap."""

from __future__ import annotations

import math

import pytest

from vixhedge.core import config as C


@pytest.mark.parametrize("sections, message", [
    ({"run": {"initial_cash_usd": math.inf}}, r"run.initial_cash_usd = inf is invalid: use a finite number"),
    ({"execution": {"fee_spx_option_usd": math.inf}}, r"execution.fee_spx_option_usd = inf"),
    ({"hedge": {"next_layer_multiple": math.inf}}, r"hedge.next_layer_multiple = inf"),
    ({"analysis": {"hedge_ratio_band": [0.25, math.inf]}}, r"analysis.hedge_ratio_band\[1\] = inf"),
    ({"market": {"rate": math.nan}}, r"market.rate = nan"),
], ids=["cash", "fee", "layer-multiple", "band", "nan-rate"])
def test_non_finite_numbers_are_refused_at_load(sections, message) -> None:
    with pytest.raises(C.ConfigError, match=message):
        C.replace(C.load_default(), **sections)


def test_the_python_api_is_checked_too_and_inf_caps_pass() -> None:
    with pytest.raises(C.ConfigError, match=r"hedge.next_layer_multiple = inf is invalid"):
        C.Config(hedge=C.HedgeConfig(next_layer_multiple=math.inf, expanding_layer_multiple=1.5))
    cfg = C.Config(hedge=C.HedgeConfig(max_notional_usd=math.inf, premium_budget_usd=math.inf))
    assert cfg.hedge.max_notional_usd == math.inf
