"""Settings a config changes that its run cannot read are told (trial V, 2026-12-05: `hedge.rsi.period` with the
RSI filter off, `market.vx_curve.long_run_level` under the two-factor curve, `hedge.premium_budget_usd` on VX
futures ran without a word): vixhedge.core.config.unread, a WARNING line per setting, metrics.json
`unread_settings` and report.html's note; a sweep notes its [base]'s."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import numpy as np
import pytest

from feeds.market import build_market
from vixhedge.cli import main
from vixhedge.core import config as C
from vixhedge.core.config.unread import LAYER_KEYS, MODEL_KEYS, SWITCHES, get, unread_settings
from vixhedge.run import run_backtest
from vixhedge.sweep_inert import unread_base
from vixhedge.sweep_spec import nested
from vixhedge.sweepgrid import values

YEAR = {"start": dt.date(2016, 1, 4), "end": dt.date(2016, 12, 30)}


@pytest.mark.parametrize("name", ["default", *C.PRESETS])
def test_the_default_and_the_presets_set_nothing_unread(name) -> None:
    assert unread_settings(C.load_default() if name == "default" else C.load_preset(name)) == []


def test_each_kind_is_one_line_naming_the_key_the_reason_and_the_fix(tmp_path, monkeypatch) -> None:
    cfg = C.replace(C.load_default(), hedge={"rsi": {"period": 7}, "premium_budget_usd": 2000.0},
                    market={"vx_curve": {"long_run_level": 20.0}})
    assert unread_settings(cfg) == [
        'market.vx_curve.long_run_level = 20.0 changes no trade or price while market.vx_curve.model = "two_factor" '
        'and market.spx_smile.model = "surface": only market.vx_curve.model = "one_factor" or '
        'market.spx_smile.model = "vix_anchored" reads it; set that, or drop the key',
        'hedge.premium_budget_usd = 2000.0 changes no trade or price while hedge.instrument = "vx_future": it acts '
        'on VIX call-spread and VIX call layers only; change the instrument, or drop the key',
        "hedge.rsi.period = 7 changes no trade or price while hedge.rsi.enabled = false: set it to true, or drop "
        "the key"]
    # read where the switch, the instrument or the model lets them act
    read = C.replace(cfg, hedge={"rsi": {"enabled": True}, "instrument": "vix_call_spread"},
                     market={"vx_curve": {"model": "one_factor"}})
    assert unread_settings(read) == []
    # a plug-in or the vxth policy may read any layer key, a plug-in any signal's: not judged
    assert unread_settings(C.replace(C.load_default(), hedge={"mode": "vxth", "premium_budget_usd": 2000.0})) == []
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "own_pick.py").write_text("def pick(choice, cfg):\n    return None\n")
    assert unread_settings(C.replace(cfg, condor={"selector": "own_pick:pick"}))[-1].startswith(
        "hedge.premium_budget_usd")  # (the switch's note left out: a plug-in selector may read the RSI)
    # the built-in spelled as "module:callable" is the built-in: judged as it is
    assert unread_settings(C.replace(cfg, condor={"selector": "strategies.selectors:standard"})) == unread_settings(cfg)
    # review of session 12: keys two models read are noted under neither only; the floor is read by both smiles
    assert unread_settings(C.replace(cfg, hedge={"rsi": {"enabled": True}}, market={"spx_smile": {
        "model": "vix_anchored"}})) == [cfg_note for cfg_note in unread_settings(cfg) if "premium" in cfg_note]
    assert unread_settings(C.replace(C.load_default(), market={"spx_smile": {"min_vol_fraction": 0.9}})) == []


def test_the_tables_name_config_fields_and_values() -> None:
    cfg = C.Config()
    for key, _ in (*SWITCHES, *LAYER_KEYS, *MODEL_KEYS):
        assert get(cfg, key.rstrip(".")) is not None, key
    for _, switch in SWITCHES:
        assert isinstance(get(cfg, switch), bool), switch
    for key, readers in MODEL_KEYS:
        for model_key, models in readers:
            assert set(models) <= {m.value for m in type(get(cfg, model_key))}, key


def _changed(section: str, keys, scale: float) -> dict:
    """Every key of ``section`` in ``keys`` moved by ``scale`` (lists element-wise), as a replace() override."""
    node = get(C.Config(), section)
    out = {}
    for k in keys:
        v = getattr(node, k)
        out[k] = [x * scale for x in v] if isinstance(v, (list, tuple)) else v + 1 if k == "skew_first_year" \
            else v * scale if v else -0.05  # (put_skew_per_skewness: 0 by default, in [-1, 0])
    return out


@pytest.mark.parametrize("section, model, keys", [
    ("market.vx_curve", "two_factor", ["long_run_level"]),
    ("market.vx_curve", "one_factor", [k.rsplit(".", 1)[1] for k, r in MODEL_KEYS if r[0][1] == ("two_factor",)]),
    ("market.spx_smile", "surface", ["skew", "curvature"]),
    ("market.spx_smile", "vix_anchored", [k.rsplit(".", 1)[1] for k, r in MODEL_KEYS if r[0][1] == ("surface",)]),
], ids=["theta-under-two-factor", "two-factor-keys-under-one-factor", "quadratic-under-surface",
        "surface-keys-under-vix-anchored"])
def test_a_model_key_noted_as_unread_moves_no_nav(section, model, keys) -> None:
    """Every key the table says one model reads, cut by 40% under the other model: each is noted, and the run's
    NAV equals the same run without them to the cent (2016, embedded market). (Review of session 12: a 10% change of
    min_vol_fraction, 0.55, never reached the floor both smiles apply; 0.9 moved NAV by $103k. It is not noted.)"""
    part = section.split(".")[1]
    base = C.replace(C.load_default(), run=YEAR, market={part: {"model": model}})
    moved = C.replace(base, market={part: _changed(section, keys, 0.6)})
    assert sorted(n.split(" = ")[0] for n in unread_settings(moved)) == sorted(f"{section}.{k}" for k in keys)
    navs = [run_backtest(c, build_market(c.market), engine="fast").daily["nav_usd"].to_numpy() for c in (base, moved)]
    assert np.array_equal(*navs)


def test_a_run_warns_writes_them_and_the_report_shows_them(tmp_path, capsys) -> None:
    config = tmp_path / "unread.toml"
    config.write_text('[run]\nstart = 2016-01-04\nend = 2016-06-30\n[hedge.rsi]\nperiod = 7\n', encoding="utf-8")
    assert main(["run", str(config), "--runs-dir", str(tmp_path / "runs")]) == 0
    err = capsys.readouterr().err
    line = "hedge.rsi.period = 7 changes no trade or price while hedge.rsi.enabled = false"
    assert err.count(line) == 1 and f"WARNING: {line}" in err  # once: the no-hedge benchmark's run is not told again
    folder = next((tmp_path / "runs").iterdir())
    assert json.loads((folder / "metrics.json").read_text())["unread_settings"][0].startswith(line)
    assert "Settings that change nothing here" in (folder / "report.html").read_text(encoding="utf-8")


def test_a_sweep_notes_its_bases_and_leaves_a_swept_key_to_the_axis_notes() -> None:
    from vixhedge import sweep as sw

    base = C.replace(C.load_default(), hedge={"rsi": {"period": 7, "add_min": 60.0}})
    spec = sw.SweepSpec(name="u", base=base, grid={"hedge.rsi.add_min": values("hedge.rsi.add_min", [55.0, 65.0])})
    assert unread_base(spec) == ["[base] hedge.rsi.period = 7 changes no trade or price while hedge.rsi.enabled = "
                                 "false: set it to true, or drop the key"]
    assert any("grid.hedge.rsi.add_min has no effect" in n for n in sw.inert_axes(spec))
    assert unread_base(dataclasses.replace(spec, base=C.load_default())) == []
    # review of session 12: a swept switch or instrument lets a [base] setting act on some points: no [base] note
    base = C.replace(C.load_default(), hedge={"rsi": {"period": 7}, "premium_budget_usd": 2000.0})
    for axis, vals in (("hedge.rsi.enabled", [False, True]), ("hedge.instrument", ["vx_future", "vix_call_spread"])):
        notes = unread_base(sw.SweepSpec(name="u", base=base, grid={axis: values(axis, vals)}))
        assert len(notes) == 1 and axis.split(".")[-1] not in ("enabled" if "rsi" in notes[0] else "instrument")


def _other(value):
    """Another valid-looking value of a setting: a bool flipped, another enum member, an int moved by one, a number
    cut by 40% (0.05 for 0), a list's numbers likewise; None for text (a file name)."""
    if isinstance(value, bool):
        return not value
    if hasattr(value, "value") and not isinstance(value, (int, float)):
        return next(m.value for m in type(value) if m is not value)
    if isinstance(value, int):
        return value - 1 if value > 1 else value + 1
    if isinstance(value, float):
        return value * 0.6 if value else 0.05
    if isinstance(value, tuple):
        return [x * 0.6 if isinstance(x, float) else x for x in value]
    return None


def test_every_key_behind_a_switch_moves_no_trade_while_it_is_off() -> None:
    """The switch notes' claim, key by key: with its switch off, each key of SWITCHES moved to another value leaves
    the trades and the daily NAV of a 2016 run exactly as they were (32 keys; the calendar files' names left out)."""
    base = C.replace(C.load_default(), run=YEAR)
    market = build_market(base.market)
    default = dict(_leaves(C.Config()))
    moved = 0
    for guarded, switch in SWITCHES:
        off = C.replace(base, **nested({switch: False}))
        ref = run_backtest(off, market, engine="fast")
        for key in [k for k in default if (k.startswith(guarded) if guarded.endswith(".") else k == guarded)
                    and k != switch and _other(default[k]) is not None]:
            res = run_backtest(C.replace(off, **nested({key: _other(default[key])})), market, engine="fast")
            assert res.trades.equals(ref.trades) and res.daily["nav_usd"].equals(ref.daily["nav_usd"]), key
            moved += 1
    assert moved >= 30


def _leaves(node, prefix: str = ""):
    """(dotted key, value) of every setting of a config, in field order."""
    for f in dataclasses.fields(node):
        value = getattr(node, f.name)
        yield from _leaves(value, f"{prefix}{f.name}.") if dataclasses.is_dataclass(value) else [(prefix + f.name, value)]


def test_the_fomc_review_bars_are_read_under_the_bars_cadence_alone() -> None:
    """Trial RS21: hedge.fomc.review_bars = 3 or 5 ran without a word under the default twice_weekly cadence (and a
    compare variant of it read "never acted"): strategies/hedge.py reads it under cadence "bars" only. With the FOMC
    rule acting on the embedded market (require_ad = false), 2016: noted and NAV equal to the cent under
    twice_weekly; under "bars" not noted, and the run moves."""
    base = C.replace(C.load_default(), run=YEAR, hedge={"fomc": {"require_ad": False}})
    moved = C.replace(base, hedge={"fomc": {"review_bars": 5}})
    assert [n.split(" changes")[0] for n in unread_settings(moved)] == ["hedge.fomc.review_bars = 5"]
    assert 'while hedge.fomc.cadence = "twice_weekly": only hedge.fomc.cadence = "bars" reads it' in \
        unread_settings(moved)[0]
    navs = [run_backtest(c, build_market(c.market), engine="fast").daily["nav_usd"].to_numpy() for c in (base, moved)]
    assert np.array_equal(*navs)
    bars = [C.replace(c, hedge={"fomc": {"cadence": "bars"}}) for c in (base, moved)]
    assert unread_settings(bars[1]) == []
    navs = [run_backtest(c, build_market(c.market), engine="fast").daily["nav_usd"].to_numpy() for c in bars]
    assert not np.array_equal(*navs)


def _moved(section: str) -> dict:
    """Every setting of ``section`` that _other can move, moved."""
    return {k: _other(v) for k, v in _leaves(get(C.Config(), section), section + ".") if _other(v) is not None}


@pytest.mark.parametrize("choice, moved", [
    ({}, _moved("market.synthetic")),
    ({}, {"market.rate": 0.03, "execution.slippage_fraction": 0.2, "condor.entry_window_days": 10,
          "condor.short_otm_pct": 0.08, "condor.max_loss_nav_fraction": 0.2, "condor.margin_nav_fraction": 0.3,
          "hedge.target_hedge_ratio": 0.5, "hedge.static_layers": 4, **_moved("hedge.vxth")}),
    ({"condor.strike_rule": "pct_otm", "condor.sizing": "max_loss"},
     {"condor.short_delta": 0.12, "condor.contracts": 7}),
], ids=["synthetic-keys-under-embedded", "keys-of-other-choices-under-the-default", "delta-and-contracts"])
def test_a_key_another_choice_reads_is_noted_and_moves_no_nav(choice, moved) -> None:
    """Trial CF21: these keys changed nothing under the choice the config makes (the market source, the rate
    source, the fill, the condor's entry, strike rule and sizing, the hedge's sizing and policy) and ran without a
    word. Each is noted, the 2016 run's NAV equals the same run without them to the cent, and under a choice that
    reads it, it is not noted."""
    base = C.replace(C.load_default(), run=YEAR, **nested(choice))
    cfg = C.replace(base, **nested(moved))
    assert sorted(n.split(" = ")[0] for n in unread_settings(cfg)) == sorted(moved)
    navs = [run_backtest(c, build_market(c.market), engine="fast").daily["nav_usd"].to_numpy() for c in (base, cfg)]
    assert np.array_equal(*navs)
    readers = dict(MODEL_KEYS)
    for key in moved:
        (decider, values), = readers[key]
        reading = C.replace(cfg, **nested({decider: values[0]}))
        assert key not in {n.split(" = ")[0] for n in unread_settings(reading)}, key


def test_a_plug_in_may_read_the_keys_of_any_choice(tmp_path, monkeypatch) -> None:
    """A plug-in policy may read hedge.static_layers, a plug-in selector condor.short_otm_pct: neither is noted;
    hedge.policy naming the static built-in reads static_layers."""
    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "own_hedge.py").write_text("def decide(snap, state, cfg):\n    return []\n")
    (tmp_path / "own_pick2.py").write_text("def pick(choice, cfg):\n    return None\n")
    cfg = C.replace(C.load_default(), hedge={"static_layers": 4}, condor={"short_otm_pct": 0.08})
    assert len(unread_settings(cfg)) == 2
    assert unread_settings(C.replace(cfg, hedge={"policy": "own_hedge:decide"},
                                     condor={"selector": "own_pick2:pick"})) == []
    assert [n.split(" = ")[0] for n in unread_settings(C.replace(cfg, hedge={"policy": "static"}))] == [
        "condor.short_otm_pct"]


def test_a_swept_sizing_lets_a_base_sizing_key_act():  # trial MUT21 I1, I2
    from vixhedge import sweep as sw
    from vixhedge.sweep_inert import unread_base
    from vixhedge.sweepgrid import values

    base = C.replace(C.load_default(), condor={"max_loss_nav_fraction": 0.2})
    spec = sw.SweepSpec(name="u", base=base, grid={"condor.sizing": values("condor.sizing", ["contracts", "max_loss"])})
    assert unread_base(spec) == []


def test_plug_in_policy_alone_leaves_condor_choices_judged(tmp_path, monkeypatch):  # trial MUT21 U4
    from vixhedge.core.config.unread import unread_settings

    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "own_hedge3.py").write_text("def decide(snap, state, cfg):\n    return []\n")
    cfg = C.replace(C.load_default(), hedge={"policy": "own_hedge3:decide"}, condor={"short_otm_pct": 0.08})
    assert [n.split(" = ")[0] for n in unread_settings(cfg)] == ["condor.short_otm_pct"]


def test_static_layers_under_mode_none_is_noted():  # trial MUT21 U8
    from vixhedge.core.config.unread import unread_settings

    cfg = C.replace(C.load_default(), hedge={"mode": "none", "static_layers": 4})
    assert "hedge.static_layers" in [n.split(" = ")[0] for n in unread_settings(cfg)]


def test_a_key_another_compared_mode_reads_is_not_noted_on_the_others() -> None:
    """hedge.static_layers set for compare's static mode warned on its none and alvh runs (this session's
    mode-keyed notes): while compared beside static it is not noted; compared without static, it is."""
    from vixhedge.compare import compare
    from vixhedge.core.config.unread import compared

    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-09-30"}, hedge={"static_layers": 3})
    with compared(["none", "static", "alvh"]):
        assert unread_settings(cfg) == []
    assert [n.split(" = ")[0] for n in unread_settings(cfg)] == ["hedge.static_layers"]
    runs = compare(cfg, modes="none,static", n_boot=100).results
    notes = {m: r.metrics.get("unread_settings") for m, r in runs.items()}
    assert notes == {"none": None, "static": None}
    alone = compare(cfg, modes="none,alvh", n_boot=100).results
    assert alone["alvh"].metrics["unread_settings"][0].startswith("hedge.static_layers = 3")


NO_REVIEW = {"hedge.expansion.cadence": False, "hedge.expansion.review_bars": 1, "hedge.fomc.days_before": 4,
             "hedge.fomc.days_after": 3, "hedge.fomc.review_bars": 2, "hedge.fomc.require_ad": False,
             "hedge.fomc.ad_bars": 10, "hedge.fomc.cadence": "bars", "hedge.events.cpi": False,
             "hedge.events.days_before": 3}
LATER = {"hedge.next_layer_multiple": 3.0, "hedge.expanding_layer_multiple": 1.0, "hedge.expansion.sizing": False,
         "hedge.fractional_carry": False, "hedge.placement.flat_extra_tenor": 2}


@pytest.mark.parametrize("decider, moved", [
    ({"hedge.review_bars": 0}, {**NO_REVIEW, **LATER, "hedge.max_layers": 8}),
    ({"hedge.max_layers": 1}, LATER),
], ids=["no-review", "one-slot"])
def test_a_key_a_second_layer_or_a_review_reads_is_noted_where_none_comes(decider, moved) -> None:
    """Trial RS23 (real data 2007-06..2022-12): with hedge.review_bars = 0 the book held one layer at most (a
    crossover opens it, the next one removes it), and next_layer_multiple 2.0 and 3.0 ended on the same NAV, $633,906,
    without a word, as did expansion.review_bars. Each key that an add review or a later layer alone reads is noted
    (strategies.rulesoff names the rules idle for the same reason), the 2016 run's NAV equals the same run without
    them to the cent, and with reviews on (the default) the later layer's multiple moves it and is not noted."""
    base = C.replace(C.load_default(), run=YEAR, **nested(decider))
    cfg = C.replace(base, **nested(moved))
    noted = {n.split(" = ")[0]: n for n in unread_settings(cfg)}
    assert sorted(noted) == sorted(moved)
    why = "at most one layer is held (hedge.max_layers = 1)" if "hedge.max_layers" in decider else \
        "hedge.review_bars = 0: a layer opens only on a crossover, and the next one removes it"
    assert why in noted["hedge.next_layer_multiple"] and "acts on a second or later layer only" in \
        noted["hedge.next_layer_multiple"]
    runs = [run_backtest(c, build_market(c.market), engine="fast") for c in (base, cfg)]
    assert runs[0].layers.shape[0] > 5 and np.array_equal(*(r.daily["nav_usd"].to_numpy() for r in runs))
    assert runs[0].daily["hedge_layers"].max() == 1
    reviewed = C.replace(C.load_default(), run=YEAR, hedge={"next_layer_multiple": 3.0})
    assert unread_settings(reviewed) == []
    navs = [run_backtest(c, build_market(c.market), engine="fast").daily["nav_usd"].iloc[-1]
            for c in (C.replace(C.load_default(), run=YEAR), reviewed)]
    assert navs[0] != navs[1]


def test_the_review_and_later_layer_tables_name_config_fields() -> None:
    from vixhedge.core.config.unread import LATER_LAYER_KEYS, ONE_LAYER_DECIDERS, REVIEW_KEYS

    for key in (*REVIEW_KEYS, *LATER_LAYER_KEYS, *ONE_LAYER_DECIDERS):
        node = get(C.Config(), key.rstrip("."))
        assert node is not None, key
        assert dataclasses.is_dataclass(node) == key.endswith("."), key


def test_a_condor_budget_its_cap_overrides_is_told_and_sizes_as_the_cap() -> None:
    """Trial RS25: under condor.sizing = "margin" the default budget (0.5 of NAV) sits above the default cap (0.3),
    so a sweep's budgets 0.3 and 0.5 gave the same book without a word: a WARNING line and metrics.json
    unread_settings say the cap sizes it; the two books are equal to the cent, a budget below the cap differs."""
    from vixhedge.core.config.unread import capped_budgets

    window = {"start": "2015-06-01", "end": "2015-12-31"}
    runs = {f: run_backtest(C.replace(C.load_default(), run=window, condor={"sizing": "margin",
                                                                             "margin_nav_fraction": f}), engine="fast")
            for f in (0.5, 0.3, 0.2)}
    note = ('condor.margin_nav_fraction = 0.5 sizes no condor under condor.sizing = "margin": '
            "condor.margin_cap_nav_fraction = 0.3 caps every one first (a budget at or above the cap gives the same "
            "book); lower the budget below the cap, or raise the cap")
    assert runs[0.5].metrics["unread_settings"] == [note] and "unread_settings" not in runs[0.2].metrics
    nav = {f: r.daily["nav_usd"].to_numpy() for f, r in runs.items()}
    assert nav[0.5].tobytes() == nav[0.3].tobytes() and nav[0.2].tobytes() != nav[0.3].tobytes()
    loss = C.replace(C.load_default(), condor={"sizing": "max_loss", "max_loss_nav_fraction": 0.25})
    assert capped_budgets(loss)[0].startswith("condor.max_loss_nav_fraction = 0.25 sizes no condor")
    assert capped_budgets(C.load_default()) == []  # fixed contracts: no budget


def test_a_plug_in_selectors_budget_is_not_judged_against_the_cap(tmp_path, monkeypatch) -> None:
    """capped_budgets judges the built-in selector only: a plug-in sizes its condor as it likes, so margin sizing's
    default budget 0.5 over the cap 0.3 says nothing under it; the built-in spelled "module:callable" says it."""
    from vixhedge.core.config.unread import capped_budgets

    monkeypatch.syspath_prepend(str(tmp_path))
    (tmp_path / "own_pick3.py").write_text("def pick(choice, cfg):\n    return None\n")
    cfg = C.replace(C.load_default(), condor={"sizing": "margin"})
    assert len(capped_budgets(cfg)) == 1
    assert capped_budgets(C.replace(cfg, condor={"selector": "own_pick3:pick"})) == []
    assert capped_budgets(C.replace(cfg, condor={"selector": "strategies.selectors:standard"})) == capped_budgets(cfg)
