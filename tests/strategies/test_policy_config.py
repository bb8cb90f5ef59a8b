"""Policy and condor configuration: impossible values and combinations fail at load, naming field, value, fix."""

import math
import tomllib

import pytest

from vixhedge.core import config as C


@pytest.mark.parametrize("text, message", [
    ("[hedge.macd]\nfast = 26\nslow = 12\n",
     r"hedge.macd.fast = 26 is invalid: must be smaller than hedge.macd.slow \(12\): swap them or lower fast"),
    ("[hedge.macd]\nfast = 26\n", r"hedge.macd.fast = 26 is invalid: must be smaller than hedge.macd.slow \(26\)"),
    ("[hedge]\nnext_layer_multiple = 1.5\nexpanding_layer_multiple = 2.0\n",
     r"hedge.expanding_layer_multiple = 2.0 is invalid: must be in \(0, next_layer_multiple=1.5\]"),
    ("[hedge]\npremium_budget_usd = -5000.0\n",
     r"hedge.premium_budget_usd = -5000.0 is invalid: must be a positive amount of USD up to 1e\+12 "
     r"\(run.initial_cash_usd's most\), or inf for no cap"),
    ("[hedge]\nmax_notional_usd = 0.0\n", r"hedge.max_notional_usd = 0.0 is invalid: must be a positive amount"),
    ("[condor]\nmax_loss_nav_fraction = -0.1\n",
     r"condor.max_loss_nav_fraction = -0.1 is invalid: budget for the condors' max loss as a fraction of NAV"),
    ("[condor]\nstop_multiple = 0.5\n", r"condor.stop_multiple = 0.5 is invalid: .* must be > 1, or 0 for no stop"),
    ("[condor]\nroll_on_dte = true\n", r"condor.roll_on_dte = true is invalid: rolling on the DTE exit needs"),
    ("[condor]\nstrike_rule = \"moneyness\"\n", r"condor.strike_rule = 'moneyness' is invalid: use one of"),
    ("[hedge.divergence]\nmin_bars = 30\nmax_bars = 10\n",
     r"hedge.divergence.max_bars = 10 is invalid: must be in \[min_bars=30, 250\]"),
    ("[hedge.divergence]\ncondor_scale = 1.5\n", r"hedge.divergence.condor_scale = 1.5 is invalid: .* \(0, 1\]"),
    ("[hedge.confirm]\nhold_bars = -1\n", r"hedge.confirm.hold_bars = -1 is invalid"),
    ("[hedge.rsi]\nadd_min = 120.0\n", r"hedge.rsi.add_min = 120.0 is invalid: an RSI level in \[0, 100\]"),
    ("[hedge.macd]\nflat_threshold = 0.0\n", r"hedge.macd.flat_threshold = 0.0 is invalid"),
    ("[hedge.vxth]\nlevels = [30.0, 15.0, 50.0]\n",
     r"hedge.vxth.levels = \[30.0, 15.0, 50.0\] is invalid: give three increasing positive VX levels"),
    ("[hedge.vxth]\nweights = [0.0, -0.01, 0.005, 0.0]\n", r"hedge.vxth.weights = .* is invalid"),
    ("[hedge.fomc]\nreview_bars = 0\n", r"hedge.fomc.review_bars = 0 is invalid"),
    ("[hedge]\nsizing = \"delta\"\n", r"hedge.sizing = 'delta' is invalid: use one of \['contracts', 'vega_ratio'\]"),
    ("[hedge.placement]\nbogus = 1\n", r"unknown key 'hedge.placement.bogus'"),
], ids=["fast>=slow", "fast-equal-default-slow", "1.5x-above-2x", "negative-premium-budget", "zero-notional-cap",
        "negative-max-loss-budget", "stop-below-1", "roll-without-dte-exit", "unknown-strike-rule",
        "divergence-bounds-reversed", "condor-scale-above-1", "negative-hold", "rsi-out-of-range",
        "zero-flat-threshold", "vxth-levels-unsorted", "vxth-negative-weight", "fomc-review-zero",
        "unknown-sizing", "unknown-key"])
def test_impossible_values_fail_at_load(tmp_path, text, message):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(C.ConfigError, match=r"bad.toml: " + message):
        C.load(path)


@pytest.mark.parametrize("name", C.PRESETS)
def test_presets_load_and_round_trip(name):
    cfg = C.load_preset(name)
    assert cfg.run.name == name
    assert C.from_dict(tomllib.loads(C.to_toml(cfg))) == cfg


def test_presets_differ_where_documented():
    steward, promoter = C.load_preset("steward").hedge, C.load_preset("promoter").hedge
    assert (steward.confirm.hold_bars, steward.confirm.require_expanding, steward.rsi.enabled) == (3, True, True)
    assert (promoter.confirm.hold_bars, promoter.confirm.require_expanding, promoter.rsi.enabled) == (0, False, False)
    assert promoter.next_layer_multiple > steward.next_layer_multiple
    assert promoter.expanding_layer_multiple > steward.expanding_layer_multiple
    assert steward.divergence.condor_scale == 0.5 and promoter.divergence.condor_scale == 1.0
    cndr = C.load_preset("cndr")
    assert cndr.condor.entry is C.CondorEntry.CALENDAR and cndr.condor.sizing is C.CondorSizing.MAX_LOSS
    assert (cndr.condor.short_delta, cndr.condor.wing_delta, cndr.condor.profit_take, cndr.condor.stop_multiple) == (
        0.20, 0.05, 1.0, 0.0)
    assert cndr.hedge.mode is C.HedgeMode.NONE and C.load_preset("vxth").hedge.mode is C.HedgeMode.VXTH


def test_caps_default_to_none_and_accept_inf_in_toml():
    cfg = C.load_default()
    assert math.isinf(cfg.hedge.max_notional_usd) and math.isinf(cfg.hedge.premium_budget_usd)
    assert "premium_budget_usd = inf" in C.to_toml(cfg)


def test_unknown_preset():
    with pytest.raises(C.ConfigError, match=r"preset 'bold' does not exist: use one of \['default', 'steward'"):
        C.load_preset("bold")
