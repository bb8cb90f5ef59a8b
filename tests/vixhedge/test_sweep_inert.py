"""Sweep trial (sweeps at scale), finding 2: axes without effect for the chosen instrument
(``hedge.spread_long_otm``, ``hedge.placement.flat_extra_otm`` with ``hedge.instrument = "vx_future"``) ran
without a note, and the deflated Sharpe counted their repeated points as trials ("over 72 trials" when 24 differ).
Now a note names each such axis, and the deflated Sharpe's trials are the distinct result rows."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pandas as pd
import pytest

from feeds.market import build_market
from vixhedge import sweep as sw
from vixhedge.cli import main
from vixhedge.core import config as C
from vixhedge.sweep_inert import LAYER_KEYS
from vixhedge.sweepgrid import values

OPTION_KEYS = {"hedge.spread_long_otm": [0.0, 0.10], "hedge.spread_width_points": [2.0, 8.0],
               "hedge.placement.flat_extra_otm": [0.025, 0.2], "hedge.slope.near_otm": [0.02, 0.1],
               "execution.fee_vix_option_usd": [0.0, 5.0],
               "hedge.premium_budget_usd": [400.0, 2000.0],  # (trial V, 2026-12-05: inert on VX futures, unnoted)
               "hedge.placement.restrike_min_points": [0.0, 3.0]}
VX_KEYS = {"hedge.placement.flat_extra_tenor": [1, 3], "execution.fee_vx_future_usd": [0.0, 10.0],
           "margin.vx_initial_usd": [[5500.0, 3850.0, 3410.0], [9000.0, 8000.0, 7000.0]],
           "margin.vx_maintenance_usd": [[5000.0, 3500.0, 3100.0], [4000.0, 3000.0, 2000.0]]}


@pytest.fixture(scope="module")
def market():
    return build_market(C.MarketConfig())


def _spec(base: dict, grid: dict, **kw) -> sw.SweepSpec:
    cfg = C.replace(C.load_default(), run={"start": dt.date(2016, 1, 4), "end": dt.date(2016, 12, 30)}, **base)
    return sw.SweepSpec(name="inert", base=cfg, grid={k: values(k, v) for k, v in grid.items()}, workers=1, **kw)


def _distinct(results, grid) -> int:
    df = pd.read_csv(results)
    return len(df.drop_duplicates(subset=[c for c in df.columns if c != "point" and c not in grid])), len(df)


def test_the_layer_table_names_config_fields_and_instruments() -> None:
    cfg = C.load_default()
    instruments = {i.value for i in C.HedgeInstrument}
    for key, acts_on in LAYER_KEYS:
        node = cfg
        for part in key.split("."):
            assert dataclasses.is_dataclass(node) and hasattr(node, part), key
            node = getattr(node, part)
        assert set(acts_on) < instruments, key
    assert {k for k, _ in LAYER_KEYS} == set(OPTION_KEYS) | set(VX_KEYS)


@pytest.mark.parametrize("base, grid, kernel", [
    ({}, OPTION_KEYS, "auto"),  # option-layer keys under VX-future layers: 128 points, one result
    ({}, {k: OPTION_KEYS[k] for k in ("hedge.spread_long_otm", "hedge.placement.flat_extra_otm")}, "off"),
    ({"hedge": {"instrument": "vix_call_spread"}}, VX_KEYS, "auto"),  # VX-future keys under call spreads
    ({"hedge": {"instrument": "vix_call"}}, {"hedge.spread_width_points": [2.0, 8.0]}, "auto"),
], ids=["options-under-vx", "options-under-vx-event-path", "vx-under-spreads", "width-under-calls"])
def test_each_noted_layer_key_changes_no_row_under_the_other_instrument(tmp_path, market, base, grid, kernel):
    spec = _spec(base, grid, kernel=kernel)
    notes = sw.inert_axes(spec)
    assert len(notes) == len(grid) and all('has no effect while hedge.instrument = "' in n for n in notes), notes
    distinct, n = _distinct(sw.run_sweep(spec, tmp_path / "out", market, progress=False), grid)
    assert distinct == 1 and n == 2 ** len(grid)


@pytest.mark.parametrize("key", list(OPTION_KEYS))
def test_an_option_layer_key_acts_on_option_layers(tmp_path, market, key) -> None:
    """The control: under VIX call spreads each option-layer key changes the rows (and no note is printed)."""
    spec = _spec({"hedge": {"instrument": "vix_call_spread"}}, {key: OPTION_KEYS[key]})
    assert sw.inert_axes(spec) == []
    assert _distinct(sw.run_sweep(spec, tmp_path / "out", market, progress=False), spec.grid) == (2, 2)


@pytest.mark.parametrize("base, grid", [
    ({"hedge": {"instrument": "vix_call_spread"}}, {"hedge.spread_long_otm": [0.0, 0.1]}),  # it acts there
    ({}, {"hedge.spread_long_otm": [0.0, 0.1], "hedge.instrument": ["vx_future", "vix_call"]}),  # swept instrument
    ({"hedge": {"mode": "vxth"}}, {"hedge.spread_long_otm": [0.0, 0.1]}),  # not alvh / static: not judged
    ({}, {"hedge.spread_long_otm": [0.05]}),  # one value: no repeated point
], ids=["acts", "instrument-swept", "vxth", "one-value"])
def test_no_layer_note_where_the_key_may_act(base, grid) -> None:
    assert sw.inert_axes(_spec(base, grid)) == []


@pytest.mark.parametrize("base, grid, noted", [
    ({"hedge": {"review_bars": 0}}, {"hedge.next_layer_multiple": [1.5, 3.0], "hedge.expansion.review_bars": [1, 4]},
     ["at most one layer is held (hedge.review_bars = 0", "while hedge.review_bars = 0 ([base], not swept)"]),
    ({"hedge": {"review_bars": 0}}, {"hedge.next_layer_multiple": [1.5, 3.0], "hedge.review_bars": [0, 5]}, []),
    ({}, {"hedge.next_layer_multiple": [1.5, 3.0]}, []),
], ids=["no-review", "reviews-swept", "reviews-on"])
def test_a_key_a_review_or_second_layer_reads_is_noted_where_base_has_neither(tmp_path, market, base, grid, noted):
    """Trial RS23: the README's walk-forward grid picked review_bars = 0 in every fold, where the book holds one layer
    at most and the layering keys act on nothing. A swept key that an add review or a later layer alone reads is
    noted under such a [base], and its points give one result row (2016, embedded market); swept with the key that
    decides it, or under reviews, it is not noted."""
    spec = _spec(base, grid)
    got = sw.inert_axes(spec)
    assert len(got) == len(noted) and all(w in g for g, w in zip(got, noted)), got
    if noted:
        assert _distinct(sw.run_sweep(spec, tmp_path / "out", market, progress=False), grid) == (1, 4)


def test_the_deflated_sharpe_counts_distinct_results_and_says_so(tmp_path, capsys) -> None:
    """The trial's layer grid in small: 2 x 2 points of which flat_extra_otm (VX-future layers) repeats each: 2
    trials, stated beside the 4 points, in the CLI's line, summary.json and report.html."""
    spec = tmp_path / "layer.toml"
    spec.write_text('[sweep]\nname = "layer"\nworkers = 1\nin_sample_end = 2016-09-30\n[base]\n'
                    'run = { start = 2016-01-04, end = 2016-12-30 }\n[grid]\n"hedge.next_layer_multiple" = [1.5, 3.0]\n'
                    '"hedge.placement.flat_extra_otm" = [0.025, 0.10]\n')
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out)]) == 0
    got = capsys.readouterr()
    assert 'NOTE grid.hedge.placement.flat_extra_otm has no effect while hedge.instrument = "vx_future"' in got.err
    doc = json.loads((out / "summary.json").read_text())
    assert (doc["trials"], doc["trial_points"], doc["trials_counted"]) == (2, 4, "distinct in-sample result rows")
    assert "over 2 trials (distinct in-sample result rows of 4 points: the others repeat one)" in got.out
    assert "given 2 trials (distinct in-sample result rows of 4 points" in (out / "report.html").read_text()


def test_points_equal_in_sample_but_apart_after_the_split_are_one_trial() -> None:
    """Causality trial (2026-12-04): the trial count read every column, oos_ and whole-window ones included, so two
    points equal in sample but apart after the split were two trials, and the deflated Sharpe of the best in-sample
    point moved with data after the split. Only the in-sample (is_) columns count now."""
    import pandas as pd

    from vixhedge.sweep_summary import distinct_results

    df = pd.DataFrame({"point": ["p0", "p1"], "hedge.next_layer_multiple": [1.5, 3.0], "sharpe": [0.1, 0.2],
                       "is_sharpe": [0.3, 0.3], "is_max_drawdown": [0.05, 0.05], "oos_sharpe": [-0.1, 0.4]})
    assert list(distinct_results(df)["point"]) == ["p0"]
    assert list(distinct_results(df.assign(is_max_drawdown=[0.05, 0.06]))["point"]) == ["p0", "p1"]
    # review 17b: two points apart in their in-sample capital figures alone (a margin.mode changing no trade) are one
    # return stream, one trial
    capital = df.assign(is_peak_margin_utilisation=[0.294, 0.200], is_days_cut_by_capital_caps=[3, 0])
    assert list(distinct_results(capital)["point"]) == ["p0"]


@pytest.mark.parametrize("base, grid, noted", [
    ({}, {"hedge.rsi.add_min": [30.0, 70.0]}, ["hedge.rsi.enabled"]),
    ({"hedge": {"rsi": {"enabled": True}}}, {"hedge.rsi.add_min": [30.0, 70.0]}, []),
    ({}, {"hedge.rsi.add_min": [30.0, 70.0], "hedge.rsi.enabled": [False, True]}, []),  # the switch swept too
    ({}, {"hedge.rsi.add_min": [30.0]}, []),  # one value: no repeated point
    ({"hedge": {"expansion": {"cadence": False}}}, {"hedge.expansion.review_bars": [1, 10]},
     ["hedge.expansion.cadence"]),
    ({"hedge": {"fomc": {"divergence": False}}}, {"hedge.fomc.divergence_sessions": [0, 10]},
     ["hedge.fomc.divergence"]),
    ({}, {"hedge.macd.fast": [8, 12]}, []),
], ids=["rsi-off", "rsi-on", "switch-swept", "one-value", "expansion-cadence-off", "fomc-divergence-off", "macd"])
def test_inert_axes_names_the_switch_that_is_off(base, grid, noted) -> None:
    """Each switch checked by a sweep of its guarded key (switch off: every result column equal across the points,
    on the 2015-2017 window; on: they differ) when sweep_spec.SWITCHES was written."""
    from vixhedge.core import config as C
    from vixhedge.sweepgrid import values

    spec = sw.SweepSpec(name="x", base=C.replace(C.load_default(), **base),
                        grid={k: values(k, v) for k, v in grid.items()})
    got = sw.inert_axes(spec)
    assert len(got) == len(noted) and all(f"while {s} = false" in g for g, s in zip(got, noted)), got


def test_switches_are_read_from_the_config_fields_that_need_them() -> None:
    """SWITCHES is derived from one source, the config fields' metadata ``needs`` (HedgeConfig, FomcConfig,
    ExpansionConfig), not typed beside them: it holds exactly the entries the hand-typed table held before (so the
    sweep notes are the same), and a field's declaration is what puts it there."""
    import dataclasses

    from vixhedge.core.config import FomcConfig, HedgeConfig
    from vixhedge.sweep_spec import SWITCHES

    near = ("hedge.fomc.enabled", "hedge.fomc.divergence", "hedge.divergence.enabled")
    hand_typed = {  # sweep_spec.SWITCHES as typed by hand until this commit
        ("hedge.rsi.", "hedge.rsi.enabled"), ("hedge.divergence.", "hedge.divergence.enabled"),
        ("hedge.placement.", "hedge.placement.enabled"), ("hedge.slope.", "hedge.slope.enabled"),
        ("hedge.events.", "hedge.events.enabled"), ("hedge.term_structure.", "hedge.term_structure.enabled"),
        *((f"hedge.fomc.{k}", "hedge.fomc.enabled") for k in ("days_before", "days_after", "calendar_csv",
                                                              "divergence", "divergence_sessions",
                                                              "divergence_remove_layers")),
        *((f"hedge.fomc.{k}", s) for k in ("divergence_sessions", "divergence_remove_layers") for s in near[1:]),
        ("hedge.fomc.divergence", "hedge.divergence.enabled"),
        ("hedge.expansion.review_bars", "hedge.expansion.cadence"),
        ("hedge.expanding_layer_multiple", "hedge.expansion.sizing"),
    }
    assert len(SWITCHES) == len(set(SWITCHES)) and set(SWITCHES) == hand_typed
    meta = {f.name: f.metadata.get("needs", ()) for f in dataclasses.fields(FomcConfig)}
    assert meta["divergence_sessions"] == near and meta["review_bars"] == ()  # shared with the events window
    assert {f.name: f.metadata.get("needs") for f in dataclasses.fields(HedgeConfig)}["rsi"] == ("hedge.rsi.enabled",)


def test_every_switch_table_entry_names_config_fields() -> None:
    """sweep_spec.SWITCHES is read from the config fields' ``needs`` (their guards live in strategies/hedge.py and
    signalset.py): each guarded key (or section, a prefix ending in ".") and each switch must be a field of the
    default config, each switch a bool, so a renamed field cannot silently end a note."""
    import dataclasses

    from vixhedge.core import config as C
    from vixhedge.sweep_spec import SWITCHES

    def node(dotted: str):
        obj = C.load_default()
        for part in dotted.split("."):
            assert dataclasses.is_dataclass(obj) and part in {f.name for f in dataclasses.fields(obj)}, dotted
            obj = getattr(obj, part)
        return obj

    for guarded, switch in SWITCHES:
        got = node(guarded.rstrip("."))
        assert dataclasses.is_dataclass(got) == guarded.endswith("."), guarded  # a prefix names a section
        assert isinstance(node(switch), bool), switch
