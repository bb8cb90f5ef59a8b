"""The all-points sweep kernel against the event-driven Trader (the reference), on the embedded market.

Every case below switches on rules the kernel covers (README "Spec table" rule ids in the comments; together
they fire every rule id but ad_filter, which needs an A/D file: its own test writes one); each
point's sweep row from the kernel must equal the event path's (layer counts exact, metrics to 1e-9) and its
daily NAV must match within 1e-6 USD (the issue's bound).
"""

import dataclasses
import datetime as dt
import hashlib
import json

import numpy as np
import pandas as pd
import pytest

from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge import kernel as K
from vixhedge import sweep as sw
from vixhedge import sweep_metrics
from vixhedge.run import daily_book, run_backtest
from vixhedge.window import check_window

WINDOW = {"start": "2015-06-01", "end": "2016-03-31"}  # the August 2015 VIX spike: layers, rolls, removals
SPLIT = dt.date(2015, 12, 31)

HOLD_TO_EXPIRY = {"condor": {"profit_take": 1.0, "stop_multiple": 0.0}}
CASES = [
    {},  # the default config: cross_up/down, review, expansion_sizing/cadence, divergence_bullish, roll, ...
    {"hedge": {"macd": {"fast": 6, "slow": 20, "signal": 5}, "review_bars": 2}},
    {"hedge": {"on_cross_down": "remove_all", "fractional_carry": False}},
    {"hedge": {"on_cross_down": "nothing", "max_layers": 2}},
    {"hedge": {"rsi": {"enabled": True, "add_min": 50.0, "remove_max": 60.0},  # rsi_filter
               "term_structure": {"enabled": True}}},  # term_structure_filter
    {"hedge": {"fomc": {"require_ad": False, "cadence": "every_two_weeks"}, "events": {"enabled": False}}},
    {"hedge": {"fomc": {"require_ad": False, "cadence": "bars", "review_bars": 1},  # fomc_cadence, event_window
               "events": {"days_before": 3, "days_after": 2}, "review_bars": 8}},
    {"hedge": {"expansion": {"cadence": False, "sizing": False}}},
    {"hedge": {"confirm": {"hold_bars": 2, "require_expanding": True}}},
    {"hedge": {"confirm": {"anticipate_bars": 2}}},  # front_run
    {"hedge": {"placement": {"enabled": False}, "slope": {"steep": 0.01}, "tenor_months": 3}},  # slope_breakeven
    {"hedge": {"max_notional_usd": 60000.0, "first_layer_contracts": 2}},  # the notional cap binds
    # placements near the front's roll: tenor 1 and a month nearer than tenor 2 open month 2 while the front is
    # within roll_days (book.vx_layer_month): the placement does not act and the layer keeps the default tenor
    {"hedge": {"tenor_months": 1, "roll_days": 12}},
    {"hedge": {"placement": {"enabled": False}, "slope": {"steep": 0.01}, "roll_days": 12}},
    {"hedge": {"divergence": {"source": "spx", "remove_layers": 2}}},
    {"hedge": {"divergence": {"remove_layers": 0}}},  # the condor cut alone (researcher trial MR, session 14)
    {"hedge": {"divergence": {"pattern": "equity"}}},
    {"hedge": {"fomc": {"divergence_sessions": 15},  # fomc_divergence
               "divergence": {"left": 3, "right": 3, "min_bars": 3}}},
    {"hedge": {"require_condor": False, "roll_days": 2, "review_bars": 0}},
    {"condor": {"profit_take": 0.3, "stop_multiple": 1.5}},  # another condor book
    # condors held to their AM settlement (profit_take 1 = hold, stop_multiple 0 = no stop: README config reference):
    # 6 settle in the window (test_the_hold_to_expiry_case_settles_its_condors; trial MUT24 kc01)
    HOLD_TO_EXPIRY,
    # DTE exits and rolls (strategies.condor.exit_reason: close at exit_dte days or fewer; a DTE exit not rolled
    # opens nothing that bar; a roll opens the DTE rule's expiry even under entry = calendar, the _entry_expiry
    # docstring). On WINDOW exit_dte 21 closes profit_take 6, stop 3, dte 1 (trial MUT34 G1: KC09 a day early,
    # KC10 a reopen on a DTE exit's bar, KC11 / CA13 a calendar roll; each moved NAV by $6,547 to $40,107)
    {"condor": {"exit_dte": 21}},
    {"condor": {"exit_dte": 21, "roll_on_dte": True}},
    {"condor": {"entry": "calendar", "exit_dte": 21, "roll_on_dte": True}},
    {"execution": {"fill": "slippage", "slippage_fraction": 0.25}},
    {"margin": {"hedge_budget_nav_fraction": 0.01}},  # the hedge budget cuts and refuses layers
    {"hedge": {"mode": "none"}},  # the condor alone
    # portfolio margin (VX-future layers; buying power and maintenance read it); at mid fills, as a wing bid at 0
    # left open by an exit (strategies.condor.wings_left) is margined with the next condor: such a point is handed
    # to the event path (test_a_wing_left_open_under_portfolio_margin_goes_to_the_event_path)
    {"margin": {"mode": "portfolio"}, "execution": {"fill": "mid"}},
    # decisions read the signals of 2 bars before (strategies.signaldelay): crossovers, reviews, the divergence's
    # removals and condor cut, front-running, placements all act on the delayed arrays
    {"execution": {"signal_delay_bars": 2}, "hedge": {"confirm": {"anticipate_bars": 2}, "divergence": {
        "condor_cut": 0.5, "left": 3, "right": 3, "min_bars": 3}, "slope": {"steep": 0.01}}},
]

# Cases of the rules the kernel covers beside the ALVH layers, each with the same case but that rule off: the
# kernel's NAV must differ between the two (the grid exercises the rule), and each is in CASES.
SPREAD = {"instrument": "vix_call_spread"}
ACTS = [
    ({"hedge": {"divergence": {"condor_cut": 0.5, "left": 3, "right": 3, "min_bars": 3}}},  # condor_vega_cut
     {"hedge": {"divergence": {"condor_cut": 0.0, "left": 3, "right": 3, "min_bars": 3}}}),
    ({"hedge": {"divergence": {"condor_scale": 0.7}}}, {}),  # a divergence shrinks the next condor
    # divergence.hold_adds: after a divergence removed layers a review adds none back for 5 sessions (the event path
    # alone ran it before session 8, 2026-12-04; NAV at the window's end $952,835 with it, $949,708 without)
    ({"hedge": {"divergence": {"hold_adds": 5, "left": 3, "right": 3, "min_bars": 3}, "review_bars": 1}},
     {"hedge": {"divergence": {"left": 3, "right": 3, "min_bars": 3}, "review_bars": 1}}),
    ({"hedge": {"sizing": "vega_ratio", "target_hedge_ratio": 0.5}}, {}),  # the first layer reads the condor's vega
    # ... a first layer the slope places nearer is sized on the vega of the contract it buys (off by up to $21,271
    # in NAV when the kernel sized it on the default tenor's, measured 2026-12-03)
    ({"hedge": {"sizing": "vega_ratio", "target_hedge_ratio": 0.5, "slope": {"steep": 0.02}}},
     {"hedge": {"sizing": "vega_ratio", "target_hedge_ratio": 0.5}}),
    ({"condor": {"sizing": "max_loss"}}, {}),  # condors sized by each point's NAV
    ({"condor": {"sizing": "margin", "margin_nav_fraction": 0.2}}, {}),
    ({"hedge": {"roll_days": 0, "tenor_months": 1}}, {"hedge": {"tenor_months": 1}}),  # layers held to settlement
    ({"hedge": {"mode": "static"}}, {}),  # the static policy: static_layers first-size layers, rolled
    ({"hedge": {"mode": "static", "static_layers": 3, "max_layers": 3, "first_layer_contracts": 2,
                "max_notional_usd": 70000.0}},  # ... the notional cap stops its adds
     {"hedge": {"mode": "static", "static_layers": 3, "max_layers": 3, "first_layer_contracts": 2}}),
    # option layers (VIX call spreads / calls): placement and flattening_restrike, slope_breakeven, the caps
    ({"hedge": SPREAD}, {}),
    ({"hedge": {**SPREAD, "placement": {"flat_extra_otm": 0.3}}},
     {"hedge": {**SPREAD, "placement": {"enabled": False}}}),
    # ... a restrike only when the long call moves up 2 points or more (trial RS22: most moved it a point or less)
    ({"hedge": {**SPREAD, "placement": {"restrike_min_points": 2.0}}}, {"hedge": SPREAD}),
    ({"hedge": {**SPREAD, "placement": {"enabled": False}, "slope": {"steep": 0.01}}},
     {"hedge": {**SPREAD, "placement": {"enabled": False}}}),
    # ... a steep layer whose nearer offset rounds to the same long strike opens at the base offset
    ({"hedge": {**SPREAD, "placement": {"enabled": False}, "slope": {"steep": 0.01, "near_otm": 0.02}}},
     {"hedge": {**SPREAD, "placement": {"enabled": False}}}),
    ({"hedge": {"instrument": "vix_call", "sizing": "vega_ratio"}}, {"hedge": {"instrument": "vix_call"}}),
    # ... a first call the slope strikes nearer is sized on the vega of the call it buys (placement.bought; off by
    # up to $10,066 in NAV when the kernel sized it on the default strike's, measured 2026-12-03)
    ({"hedge": {"instrument": "vix_call", "sizing": "vega_ratio", "placement": {"enabled": False},
                "slope": {"steep": 0.01}}},
     {"hedge": {"instrument": "vix_call", "sizing": "vega_ratio", "placement": {"enabled": False}}}),
    ({"hedge": {**SPREAD, "premium_budget_usd": 400.0}}, {"hedge": SPREAD}),  # the premium cap binds
    # ... on a spread the slope strikes nearer: the premium of the spread it buys (2026-12-03)
    ({"hedge": {**SPREAD, "premium_budget_usd": 400.0, "placement": {"enabled": False}, "slope": {"steep": 0.01}}},
     {"hedge": {**SPREAD, "premium_budget_usd": 400.0, "placement": {"enabled": False}}}),
    ({"hedge": SPREAD, "margin": {"hedge_budget_nav_fraction": 0.0003}}, {"hedge": SPREAD}),  # the hedge budget
    ({"hedge": {**SPREAD, "max_notional_usd": 8000.0, "first_layer_contracts": 2}},
     {"hedge": {**SPREAD, "first_layer_contracts": 2}}),
    ({"hedge": {**SPREAD, "mode": "static", "roll_days": 0, "tenor_months": 1}},  # spreads held to settlement
     {"hedge": {**SPREAD, "mode": "static", "tenor_months": 1}}),
    # VXTH: weighted ~30-delta calls at each VIX expiration, held to settlement
    ({"hedge": {"mode": "vxth"}}, {}),
    ({"hedge": {"mode": "vxth", "vxth": {"call_delta": 0.5, "weights": [0.01, 0.02, 0.01, 0.0]}},
      "margin": {"hedge_budget_nav_fraction": 0.003}}, {"hedge": {"mode": "vxth"}}),
    # execution.signal_delay_bars: decisions of bar t fill at bar t + 1's quotes (VX layers, VIX call spreads)
    ({"execution": {"signal_delay_bars": 1}}, {}),
    ({"hedge": SPREAD, "execution": {"signal_delay_bars": 1}}, {"hedge": SPREAD}),
]
CASES += [on for on, _ in ACTS]
# restrikes near a roll (placement.restrikes: not of a layer that rolls at the next session; measured 2026-12-03: L2 of
# 2015-06-15 at 2 sessions to expiry, roll_days 1, and of 2015-06-11 at 4, roll_days 3) and one skipped because it
# would sell its new short call for 0 (LayerActions._restrike_layer: L5 of 2015-07-13, 25C bid 0.00)
CASES += [{"hedge": {**SPREAD, "tenor_months": 1, "roll_days": 1, "placement": {"flat_extra_otm": 0.1}}},
          {"hedge": {**SPREAD, "tenor_months": 1, "roll_days": 3, "placement": {"flat_extra_otm": 0.3}}}]


@pytest.fixture(scope="module")
def market():
    return build_market(C.MarketConfig())


def _point(overrides: dict) -> sw.Point:
    cfg = C.replace(C.load_default(), run=WINDOW, **overrides)
    return sw.Point(hashlib.sha256(C.to_toml(cfg).encode()).hexdigest()[:16], {}, cfg)


@pytest.fixture(scope="module")
def compared(market):
    points = [_point(o) for o in CASES]
    assert all(K.kernel_covers(p.config) is None for p in points)
    out = {p.key: (o.nav[k].copy(), int(o.layers[k]), o.reason[k]) for p, o, k, _ in K.outcomes(points, market)}
    rows, back = K.run_points(points, market, SPLIT)
    return points, out, {r["point"]: r for r in rows}, back


def test_kernel_rows_and_nav_equal_the_event_path(market, compared):
    points, out, rows, back = compared
    assert back == []  # every case stays on the kernel
    for p in points:
        daily, layers = daily_book(p.config, market)
        ref = {"point": p.key, **p.params,
               **sweep_metrics.point_metrics(daily, layers, p.config.analysis, SPLIT, market,
                                             cash=p.config.run.initial_cash_usd)}
        nav, k_layers, _ = out[p.key]
        assert k_layers == layers
        np.testing.assert_allclose(nav, daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)
        row = rows[p.key]
        assert row.keys() == ref.keys()
        for key, value in ref.items():
            if isinstance(value, float):
                assert row[key] == pytest.approx(value, rel=1e-9, abs=1e-9), key
            elif isinstance(value, np.ndarray):
                np.testing.assert_allclose(row[key], value, rtol=0, atol=1e-12)
            else:
                assert row[key] == value, key
    assert sum(out[p.key][1] for p in points) > 50  # the cases trade: layers were opened


def test_the_hold_to_expiry_case_settles_its_condors(market):
    """Trial MUT24 kc01 (the kernel settling a condor the day after its expiry, ``expiry <= day`` -> ``<``,
    survived: no case held a condor to expiry; the default's profit take and stop close them before). The
    HOLD_TO_EXPIRY case of CASES (so of test_kernel_jit.py too) holds every condor to its AM settlement: on the
    event path (the reference) 6 settle in the window (expiries 2015-07-17 .. 2016-02-19; the 7th is open at its
    end) and none exits otherwise; test_kernel_rows_and_nav_equal_the_event_path holds the kernel's NAV to it
    (off by $67,703 with the mutant)."""
    res = run_backtest(_point(HOLD_TO_EXPIRY).config, market, engine="backtrader")
    reasons = res.condors["exit_reason"].tolist()
    assert reasons == ["settled"] * 6 + ["open"]
    settled = res.condors.iloc[:6]
    assert (settled["exit_date"] == settled["expiry"]).all()  # at the open of the expiry day


def test_each_newly_covered_rule_changes_the_result(market):
    points = [_point(o) for pair in ACTS for o in pair]
    nav = {p.key: o.nav[k].copy() for p, o, k, _ in K.outcomes(points, market)}
    for on, off in zip(points[::2], points[1::2]):
        assert np.abs(nav[on.key] - nav[off.key]).max() > 1.0, on.config.hedge


def test_the_ad_filter_acts_on_the_kernel_as_on_the_event_path(market, tmp_path):
    """ad_filter (README spec table: FOMC cadence only while the A/D line weakens) on an A/D file written here
    (strong breadth, 300 advancers and 200 decliners every session of 2015-2016-06): on the event path it holds
    back the FOMC window's reviews (8 times in the window); the kernel's rows and NAV equal the event path's."""
    dates = market.dates[(market.dates >= "2015-01-01") & (market.dates <= "2016-06-30")]
    path = tmp_path / "ad.csv"
    pd.DataFrame({"date": dates.strftime("%Y-%m-%d"), "sp500_advancers": 300, "sp500_decliners": 200}).to_csv(
        path, index=False)
    on, off = (_point({"hedge": {"fomc": {"require_ad": req, "ad_csv": str(path)}}}) for req in (True, False))
    assert run_backtest(on.config, market, engine="fast").metrics["rules_fired"]["ad_filter"] > 0
    nav = {p.key: (o.nav[k].copy(), int(o.layers[k]), o.reason[k]) for p, o, k, _ in K.outcomes([on, off], market)}
    for p in (on, off):
        daily, layers = daily_book(p.config, market)
        assert nav[p.key][1:] == (layers, "")
        np.testing.assert_allclose(nav[p.key][0], daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)
    assert np.abs(nav[on.key][0] - nav[off.key][0]).max() > 1.0  # the rule changes the result


def test_a_static_point_holds_more_layers_than_max_layers(market):
    """The static policy reads static_layers, not max_layers (the alvh policy's; trial V, 2026-12-05: max_layers = 1
    was refused under every mode while static_layers kept its default 2). A sweep of that point alone gives the
    kernel max_layers = 1 slot per point; it holds 3 layers, as the event path does."""
    p = _point({"hedge": {"mode": "static", "static_layers": 3, "max_layers": 1}})
    nav = {q.key: (o.nav[k].copy(), int(o.layers[k]), o.reason[k]) for q, o, k, _ in K.outcomes([p], market)}
    daily, layers = daily_book(p.config, market)
    assert run_backtest(p.config, market, engine="fast").daily["hedge_layers"].max() == 3
    assert nav[p.key][1:] == (layers, "")
    np.testing.assert_allclose(nav[p.key][0], daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)


def test_a_point_whose_condors_are_all_refused_stays_on_the_kernel(market):
    """The caps refuse every condor (or it sizes to 0): the Trader tries an entry every day and trades none; the
    kernel replays that (vixhedge.kernel_capital: the point holds no condor off the shared tape)."""
    for case in ({"condor": {"max_loss_cap_nav_fraction": 0.001}},
                 {"condor": {"sizing": "max_loss", "max_loss_nav_fraction": 0.0001}}):
        p = _point(case)
        (_, out, k, _), = K.outcomes([p], market)
        daily, layers = daily_book(p.config, market)
        assert (out.reason[k], int(out.layers[k])) == ("", layers)
        np.testing.assert_allclose(out.nav[k], daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)
        assert daily["condor_pnl_usd"].abs().max() == 0.0  # no condor traded


def test_uncovered_configs_name_what_they_use():
    cfg = C.load_default()
    assert K.kernel_covers(cfg) is None
    assert K.kernel_covers(C.replace(cfg, margin={"mode": "portfolio"})) is None
    assert "portfolio" in K.kernel_covers(C.replace(cfg, margin={"mode": "portfolio"},
                                                    hedge={"instrument": "vix_call_spread"}))
    assert "with hedge.mode = 'vxth'" in K.kernel_covers(C.replace(cfg, hedge={"mode": "vxth", "policy": "alvh"}))
    # a built-in spelled "module:callable" (registries.POLICY / SELECTOR) is that built-in, by name too
    spelled = C.replace(cfg, hedge={"policy": "strategies.hedge:decide_static"},
                        condor={"selector": "strategies.selectors:standard"})
    assert (spelled.hedge.policy_name, spelled.condor.selector_name) == ("static", "standard")
    assert K.kernel_covers(spelled) is None
    from vixhedge.extensions import modules  # nothing for a replay to put on PYTHONPATH (trial RR3)

    assert modules(spelled) == []


SPEC = """
[sweep]
name = "k"
workers = 1
in_sample_end = 2015-12-31
{kernel}
[base]
run = {{ start = 2015-06-01, end = 2016-03-31 }}

[grid]
"hedge.macd.fast" = [8, 12]
"condor.selector" = ["standard", "strategies.selectors:standard", "same_pick:pick"]
"""
#: a plug-in selector that picks what the built-in picks: the kernel declines it, the event path runs it
SAME_PICK = "from strategies.selectors import standard\n\n\ndef pick(choice, cfg):\n    return standard(choice, cfg)\n"


def _sweep(tmp_path, market, kernel: str):
    (tmp_path / "same_pick.py").write_text(SAME_PICK)
    path = tmp_path / f"{kernel or 'default'}.toml"
    path.write_text(SPEC.format(kernel=f'kernel = "{kernel}"' if kernel else ""))
    spec = sw.load_spec(path)
    out = tmp_path / f"out-{kernel or 'default'}"
    results = sw.run_sweep(spec, out, market, progress=False)
    return spec, out, pd.read_csv(results).sort_values("point").reset_index(drop=True)


def test_sweep_runs_covered_points_on_the_kernel_and_counts_the_rest(tmp_path, market, monkeypatch):
    monkeypatch.syspath_prepend(str(tmp_path))
    spec, out, auto = _sweep(tmp_path, market, "")
    assert spec.kernel == "auto"
    paths = json.loads((out / "paths.json").read_text())
    # the built-in spelled as "module:callable" is the built-in (session 16: it was sent to the event path)
    assert paths == {"kernel": 4, "event": 2,
                     "event_reasons": {"condor.selector = 'same_pick:pick' (a plug-in picks the strikes)": 2}}
    summary = sw.summarize(out / "results.csv", spec, market)
    assert summary["paths"] == paths
    from vixhedge.sweep_report import _paths_line

    assert ("4 points on the all-points kernel, 2 on the event-driven path (2 x condor.selector = "
            "&#x27;same_pick:pick&#x27; (a plug-in picks the strikes))") in _paths_line(summary)
    _, out_off, off = _sweep(tmp_path, market, "off")
    assert json.loads((out_off / "paths.json").read_text())["event_reasons"] == {"sweep.kernel = 'off'": 6}
    assert list(auto.columns) == list(off.columns) == sw.result_fields(spec)
    pd.testing.assert_frame_equal(auto, off, rtol=1e-9)
    from vixhedge import sweep_returns

    keys = list(auto["point"])
    n_days = ((out / sweep_returns.FILE).stat().st_size // len(keys) - sweep_returns.KEY_BYTES) // 8
    (found, a), (_, b) = sweep_returns.load(out, keys, n_days), sweep_returns.load(out_off, keys, n_days)
    assert found == keys
    np.testing.assert_allclose(a, b, rtol=0, atol=1e-12)


def test_kernel_sweeps_are_deterministic(tmp_path, market, monkeypatch):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    monkeypatch.syspath_prepend(str(tmp_path / "a"))
    _, out1, _ = _sweep(tmp_path / "a", market, "auto")
    _, out2, _ = _sweep(tmp_path / "b", market, "auto")
    for name in ("results.csv", "returns.bin", "paths.json"):
        assert (out1 / name).read_bytes() == (out2 / name).read_bytes(), name


def test_a_bad_kernel_value_is_one_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(SPEC.format(kernel='kernel = "fast"'))
    with pytest.raises(C.ConfigError) as err:
        sw.load_spec(path)
    assert "sweep.kernel = 'fast' is invalid: use 'auto'" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(C.ConfigError, match="--kernel = 'on' is invalid"):
        sw.check_kernel("on", "--kernel")


def test_signal_bank_equals_compute(market):
    from strategies.signalset import compute, inputs_from_market
    from vixhedge.kernel_signals import SignalBank

    bank = SignalBank(market)
    # Trial MUT25 (K1, K3): cache keys without hedge.rsi (the context) or divergence.max_bars (the pivot pairs)
    # survived: on the one bank, after the default, a 5-bar RSI and 20-bar divergences must still equal compute()
    for over in ({}, {"macd": {"fast": 5, "slow": 20, "signal": 4}}, {"divergence": {"source": "spx"}},
                 {"divergence": {"pattern": "equity"}, "confirm": {"hold_bars": 2, "require_expanding": True}},
                 {"rsi": {"enabled": True, "period": 5}}, {"divergence": {"max_bars": 20}}):
        h = C.replace(C.load_default(), hedge=over).hedge
        a, b = compute(inputs_from_market(market, h), h), bank.signals(h)
        for f in dataclasses.fields(a):
            x, y = getattr(a, f.name), getattr(b, f.name)
            if isinstance(x, np.ndarray):
                np.testing.assert_array_equal(x, y, err_msg=f.name)
            else:
                assert (x == y) if not isinstance(x, pd.Index) else x.equals(y), f.name


def test_signal_bank_keeps_a_delayed_set(market):
    """Review (2026-12-03): SignalBank.signals(cfg, delay) rebuilt delayed(...) for every point; it is kept per
    (signal keys, delay), equal to strategies.signaldelay.delayed of the point's set (execution.signal_delay_bars)."""
    from strategies.signaldelay import delayed
    from vixhedge.kernel_signals import SignalBank

    bank, h = SignalBank(market), C.load_default().hedge
    once = bank.signals(h, 1)
    assert bank.signals(h, 1) is once and bank.signals(h, 2) is not once and bank.signals(h) is not once
    np.testing.assert_array_equal(once.macd, delayed(bank.signals(h), 1).macd)


@pytest.mark.parametrize("book", ["numpy", ""], ids=["numpy", "compiled"])
def test_a_wing_left_open_by_an_exit_is_carried_by_both_kernels(market, monkeypatch, book):
    """strategies.condor.wings_left: in WINDOW the default condor's profit-take on 2015-12-23 leaves its long call
    (bid 0: selling it brought $0 and cost its fee before) open; it is marked daily and cash-settles on its expiry
    2016-01-15 (the default run's condors.csv, row 21). The kernel (numpy and compiled book) carries it after its
    condor closed: daily NAV equal to the event path's within 1e-6 USD (the issue's bound), as the other cases."""
    from vixhedge import kernel_jit as J

    if book == "" and J.numba is None:
        pytest.skip("numba does not import here")
    p = _point({})
    res = run_backtest(p.config, market, engine="fast")
    row = res.condors[res.condors["wings_left"].astype(str) != ""].iloc[0]
    assert (str(row["exit_date"])[:10], row["wings_left"], str(row["expiry"])[:10]) == \
        ("2015-12-23", "long_call", "2016-01-15")
    t = res.trades  # its contract: strike and expiry (the July 2015 condor's long call was a 2225C too, sold)
    sold = t[(t["strike"] == row["long_call"]) & (t["expiry"] == row["expiry"]) & (t["qty"] < 0)]
    assert sold.empty  # never sold: held to its expiry
    monkeypatch.setenv(J.ENV, book)
    (_, out, k, _), = K.outcomes([p], market)
    assert out.reason[k] == ""
    assert (K._book([p]) is J.simulate) == (book == "")  # the book asked for ran it
    np.testing.assert_allclose(out.nav[k], res.daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)
    tape = K._tape(market, p.config, *check_window(p.config, market))
    marks, settled, _, _ = tape.wings.arrays()
    assert (tape.left > 0).sum() == 1 and marks.max() > 0.1  # the tape left it open (kernel_condor.Wings), marked


def test_a_wing_left_open_under_portfolio_margin_goes_to_the_event_path(market):
    """Portfolio margin prices the SPX options together across expiries: a wing left open is margined with the next
    condor, which the kernel's per-condor requirement does not model; such a point is handed back, with its reason
    (the kernel never returns a row the Trader would not)."""
    p = _point({"margin": {"mode": "portfolio"}})
    (_, out, k, _), = K.outcomes([p], market)
    assert out.reason[k] == "a condor wing left open under portfolio margin (margined with the next condor)"


@pytest.mark.parametrize("book", ["numpy", ""], ids=["numpy", "compiled"])
def test_a_wing_a_condor_cut_leaves_open_is_carried_by_both_kernels(market, monkeypatch, book):
    """Trial (2026-12-03): the divergence's condor cut (condor_vega_cut) sold every leg of the contracts it cut,
    a wing bid at 0 too, while an exit and a margin call leave it open (strategies.condor.wings_left). In 2016 with
    far wings (wing_delta 0.01) the cut on 2016-05-17 sells 3 legs and leaves a wing (3 cut days to 2016-11-30, 1
    with a wing left: counted on the event path after the SPX surface refit of f9ebd2d, which ended the window at
    11-30, as 12-29's cut hits a condor still open on 12-30, whose wings_left condors.csv cannot name yet; 5 and 2
    over 2016 from 2026-12-03, since a flat book opens the closest untraded expiry; 6 and 5 before); the kernel
    (numpy and compiled book) carries them: daily NAV equal to the event path's within 1e-6 USD (the issue's
    bound), its layers the same."""
    from vixhedge import kernel_jit as J

    if book == "" and J.numba is None:
        pytest.skip("numba does not import here")
    cfg = C.replace(C.load_default(), run={"start": "2016-01-04", "end": "2016-11-30"}, condor={"wing_delta": 0.01})
    p = sw.Point(hashlib.sha256(C.to_toml(cfg).encode()).hexdigest()[:16], {}, cfg)
    res = run_backtest(cfg, market, engine="fast")
    t = res.trades
    cut = t[t["reason"].astype(str).str.startswith("vega_cut")]
    legs = cut.groupby(cut.index).size()
    assert len(legs) == 3 and (legs < 4).sum() == 1 and legs[pd.Timestamp("2016-05-17")] == 3
    assert cut[(cut["qty"] < 0) & (cut["price"] == 0)].empty  # no wing sold at 0
    cut_condors = res.condors[res.condors["contracts_cut"] > 0]
    assert (cut_condors["wings_left"].astype(str) != "").all()  # condors.csv names them
    monkeypatch.setenv(J.ENV, book)
    (_, out, k, _), = K.outcomes([p], market)
    assert out.reason[k] == "" and (K._book([p]) is J.simulate) == (book == "")
    daily, layers = daily_book(cfg, market)
    assert int(out.layers[k]) == layers
    np.testing.assert_allclose(out.nav[k], daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)


@pytest.mark.parametrize("book", ["numpy", ""], ids=["numpy", "compiled"])
def test_a_divergence_on_an_entry_day_opens_the_condor_at_the_size_its_cut_leaves(market, monkeypatch, book):
    """Trial (2026-12-03): a bullish divergence on a condor's entry day bought back half of the condor opened that
    bar at the same prices (a pure round trip: spread and fees twice; Trader.on_bar runs the condor before the
    hedge). In WINDOW with the default config (CASES[0]) the 2015-06-01 entry of 10 condors meets the divergence's
    cut of 5 (book.condor_cut(0.5, 10); counted on the event path, 2026-12-03, since a flat book opens the closest
    untraded expiry: before, the case was 2016-02-19 with divergence.pattern = "equity"): the condor opens 5, no
    vega_cut fill that day, condors.csv keeps 10 sized and 5 cut, signals.csv names the cut. Both kernels equal the
    event path (daily NAV within 1e-6 USD, the issue's bound)."""
    from vixhedge import kernel_jit as J

    if book == "" and J.numba is None:
        pytest.skip("numba does not import here")
    p = _point(CASES[0])
    res = run_backtest(p.config, market, engine="fast")
    day = pd.Timestamp("2015-06-01")
    fills = res.trades.loc[[day]]
    opened = fills[fills["reason"] == "open"]
    assert len(opened) == 4 and set(opened["qty"].abs()) == {5}  # four legs of 5 condors
    assert not fills["reason"].astype(str).str.startswith("vega_cut").any()  # no round trip
    row = res.condors[res.condors["entry_date"].astype(str).str[:10] == "2015-06-01"].iloc[0]
    assert (row["contracts"], row["contracts_cut"]) == (10, 5)
    # review (2026-12-03): its max loss is the 5 condors opened, not the 10 sized (the 5 cut never traded)
    width = max(row["short_put"] - row["long_put"], row["long_call"] - row["short_call"])
    assert row["max_loss_usd"] == pytest.approx(5 * 100 * (width - row["credit_points"]), abs=0.01)
    assert "cut_condor x5 at entry: opened 5 of 10 (bullish_divergence)" in res.signals_log.loc[day, "actions"]
    monkeypatch.setenv(J.ENV, book)
    (_, out, k, _), = K.outcomes([p], market)
    assert out.reason[k] == "" and (K._book([p]) is J.simulate) == (book == "")
    np.testing.assert_allclose(out.nav[k], res.daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)



# Trial MUT25: kernel_hedge / kernel_options mutants that no case of CASES told apart (each case here fails with its
# mutant, measured 2026-12-06 on WINDOW; the event path is the reference, README "divergence" / "vxth" keys):
DIV3 = {"left": 3, "right": 3, "min_bars": 3}
MUT25_CASES = {
    # H5 (i - last_div < hold): hold_adds = 2 holds a review 2 sessions after the removal too (the mutant adds one
    # layer more, 31 vs 30, $1,161 off in NAV)
    "hold_adds_2": [{"hedge": {"divergence": {"hold_adds": 2, **DIV3}, "review_bars": 1}}],
    # H1 (a near-FOMC divergence removes divergence_remove_layers even when fewer than remove_layers): with 1 < 2
    # the plain rule's 2 go (README: fomc_divergence acts only when it removes more; mutant $3,356 off)
    "fomc_removes_fewer": [{"hedge": {"fomc": {"divergence_sessions": 15, "divergence_remove_layers": 1},
                                      "divergence": {"remove_layers": 2, **DIV3}}}],
    # H9 (condor_scale applied to every point of the chunk on any point's divergence): two points in one chunk,
    # their divergences on different bars (VX and SPX sources; mutant $852 and $3,060 off)
    "scale_per_point": [{"hedge": {"divergence": {"condor_scale": 0.7}}},
                        {"hedge": {"divergence": {"condor_scale": 0.7, "source": "spx"}}}],
    # O9 (the VXTH band reading levels[1] twice): levels 10 / 20 / 30, a VX future between 20 and 30 buys at the
    # third weight, 0.02, not the fourth's 0.005 (mutant $43,020 off)
    "vxth_bands": [{"hedge": {"mode": "vxth", "vxth": {"levels": [10.0, 20.0, 30.0],
                                                       "weights": [0.0, 0.01, 0.02, 0.005]}}}],
}


@pytest.mark.parametrize("book", ["numpy", ""], ids=["numpy", "compiled"])
@pytest.mark.parametrize("case", sorted(MUT25_CASES))
def test_the_kernel_books_equal_the_event_path_on_the_mut25_cases(market, monkeypatch, case, book):
    """Trial MUT25 (H5, H1, H9, O9): the numpy and the compiled book's daily NAV (an option layer's point, vxth, runs
    on the numpy book either way) within 1e-6 USD (the issue's bound) and its layer count equal the event path's, on
    points run together (one chunk)."""
    from vixhedge import kernel_jit as J

    monkeypatch.setenv(J.ENV, book)
    points = [_point(o) for o in MUT25_CASES[case]]
    out = {p.key: (o.nav[k].copy(), int(o.layers[k]), o.reason[k]) for p, o, k, _ in K.outcomes(points, market)}
    for p in points:
        daily, layers = daily_book(p.config, market)
        nav, k_layers, why = out[p.key]
        assert why == "" and k_layers == layers and layers > 0
        np.testing.assert_allclose(nav, daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)


def test_a_missing_second_vx_month_holds_back_no_add_on_the_kernel():
    """Trial MUT25 (KR7): ``ratio >= add_min_ratio`` for ``~(ratio < add_min_ratio)`` survived (they differ on NaN
    only; the embedded market has every second month). strategies.hedge (the event path): a NaN term ratio (no second
    month) is no cross-check, the add goes ahead; kernel_rules.Book's add_ok and remove_ok likewise."""
    from strategies import hedge as hp
    from strategies.book import BookState, UnitQuote
    from strategies.signalset import Snapshot
    from vixhedge.kernel_rules import Book
    from vixhedge.kernel_signals import SignalBank

    cfg = C.replace(C.load_default(), hedge={"term_structure": {"enabled": True}})
    h = cfg.hedge
    snap = Snapshot(vx=18.0, macd=0.5, signal=0.4, hist=0.1, regime=10, cross=1, term_ratio=float("nan"))
    state = BookState(layers=(), days_to_expiry={}, bars_since_action=99, unit=UnitQuote(notional_usd=18_000.0),
                      condor_contracts=10)
    assert [type(a).__name__ for a in hp.decide(state, snap, h).actions] == ["AddLayer"]
    s = SignalBank(build_market(cfg.market)).signals(h)
    s = dataclasses.replace(s, term_ratio=np.full(len(s.dates), np.nan))
    book = Book.of([cfg], [s], 0, len(s.dates) - 1)
    assert book.add_ok.all() and book.remove_ok.all()


def _without_the_rule_both_paths_agree_and_move(p, market, monkeypatch, on: np.ndarray) -> None:
    """Turn the test of a close for nothing off on both paths (LayerActions._closes_for_nothing,
    OptionSlots.closes_for_nothing: every such layer closed at the day's fills, as before 2026-12-03): the kernel's
    NAV still equals the event path's within 1e-6 USD (the issue's bound) and moves by more than $1 from ``on`` (the
    kernel's NAV with the rule): the rule acts on each."""
    from strategies import layers as strategy_layers
    from vixhedge.kernel_options import OptionSlots

    monkeypatch.setattr(strategy_layers.LayerActions, "_closes_for_nothing", lambda self, i, legs: False)
    monkeypatch.setattr(OptionSlots, "closes_for_nothing", lambda self, k, held, slot: np.zeros_like(held))
    (_, out, k, _), = K.outcomes([p], market)
    daily, _ = daily_book(p.config, market)
    np.testing.assert_allclose(out.nav[k], daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)
    assert np.abs(on - out.nav[k]).max() > 1.0


# Removals that leave a VIX option layer to expire (strategies.layers.LayerActions._leave: its close would bring
# nothing after fees), on WINDOW, counted on the event path (2026-12-03): spreads held in the front month (roll_days
# 0), the review of 2015-07-21 leaves L3 (expiry 2015-07-22, its long call bid 0; the trial's real-data run removed
# its L3 the same day, paying $14.40) and, since trial MRG33B (2026-12-07), the cross-down of 2015-07-14 leaves L5
# (19C bid 0.05, 24C ask 0.05: $0 less $2.20 of fees; main at 39dcb59 closed it); calls 50% out of the money,
# reviews leave L6 (2015-10-08) and L11 (2016-03-02); the spreads held filled at the mid (execution.fill = "mid",
# 2026-12-07) leave L3 alone (its 17C's mid is above 0, so main at 39dcb59 closed it: the fill config is honoured).
HELD = {"instrument": "vix_call_spread", "roll_days": 0, "tenor_months": 1}
LEFT = [({"hedge": HELD}, {3: "2015-07-21", 5: "2015-07-14"}),
        ({"hedge": {"instrument": "vix_call", "spread_long_otm": 0.5}}, {6: "2015-10-08", 11: "2016-03-02"}),
        ({"hedge": HELD, "execution": {"fill": "mid"}}, {3: "2015-07-21"})]


@pytest.mark.parametrize("over, left", LEFT, ids=["spread_held", "far_call", "spread_held_mid"])
def test_a_vix_option_layer_left_to_expire_is_carried_by_the_kernel(market, monkeypatch, over, left):
    """The numpy book (option layers are not the compiled book's) leaves the layer in its own slots
    (kernel_options.OptionSlots.leave), marks it and settles it at its expiry: daily NAV equal to the event path's
    within 1e-6 USD (the issue's bound), its layers the same. With the rule off on both paths (closing at the bid 0,
    as before) both NAVs move by more than $1 and still agree: the rule acts on each."""
    from vixhedge import kernel_jit as J

    p = _point(over)
    res = run_backtest(p.config, market, engine="fast")
    L = res.layers[res.layers["exit_reason"].astype(str).str.endswith("+left_to_expire")]
    assert dict(zip(L["layer_id"], L["exit_date"].astype(str).str[:10])) == left
    (_, out, k, _), = K.outcomes([p], market)
    assert out.reason[k] == "" and not J.covers(p.config)  # (the numpy book ran it)
    daily, layers = daily_book(p.config, market)
    assert int(out.layers[k]) == layers
    np.testing.assert_allclose(out.nav[k], daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)
    _without_the_rule_both_paths_agree_and_move(p, market, monkeypatch, out.nav[k].copy())


# Rolls that leave a VIX option layer's old legs to expire (LayerActions._leave: their close brings nothing) and open
# new ones, on WINDOW, counted on the event path (2026-12-03): the two restrike cases near a roll (CASES' last two);
# the first day's layers; since the VIX smile fitted on 2026-12-05 the first case leaves L12's old legs too (2016-02-16)
# and, since trial MRG33B (2026-12-07: a close bringing nothing after fees), a roll's old legs on 2015-08-18
ROLLED = [({**SPREAD, "tenor_months": 1, "roll_days": 1, "placement": {"flat_extra_otm": 0.1}},
           ["2015-07-21", "2015-08-18", "2016-02-16"], [1, 2]),
          ({**SPREAD, "tenor_months": 1, "roll_days": 3, "placement": {"flat_extra_otm": 0.3}}, ["2015-07-17"], [2, 3])]


@pytest.mark.parametrize("hedge, days, rolled", ROLLED, ids=["roll_days_1", "roll_days_3"])
def test_a_roll_that_leaves_its_old_legs_to_expire_is_carried_by_the_kernel(market, monkeypatch, hedge, days, rolled):
    """The numpy book rolls such a layer with ``OptionSlots.close(..., leave=True)``: the old legs move to the slots
    of the layers left to expire, the new ones open in the layer's slot; daily NAV equal to the event path's within
    1e-6 USD (the issue's bound), its layers the same. Both NAVs move by more than $1 when the test of a sale for 0
    is off on both paths (the old long call sold at its bid 0, as before), and still agree: the rule acts on each."""
    p = _point({"hedge": hedge})
    res = run_backtest(p.config, market, engine="fast")
    actions = res.signals_log["actions"].fillna("").astype(str)
    hits = actions[actions.str.contains("roll_out+left_to_expire", regex=False)]
    assert hits.index.strftime("%Y-%m-%d").tolist() == days
    assert all(f"roll L{n} (roll_out+left_to_expire)" in hits.iloc[0] for n in rolled)
    (_, out, k, _), = K.outcomes([p], market)
    assert out.reason[k] == ""
    daily, layers = daily_book(p.config, market)
    assert int(out.layers[k]) == layers
    np.testing.assert_allclose(out.nav[k], daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)
    _without_the_rule_both_paths_agree_and_move(p, market, monkeypatch, out.nav[k].copy())


def test_a_call_spread_left_to_expire_settles_both_legs():
    """Trial MUT25 (O6, no config on the embedded market reaches it: 14 tried): a VIX call spread left to expire
    (its long call bid 0, kept to settlement) that settles above its short strike pays the spread's width, not the
    long call alone. Hand: 3 units of the 20 / 25 call spread (short_strike: the first listed strike at or above
    20 + 5) settling at VRO 30 pay 3 x ((30 - 20) - (30 - 25)) x 100 = $1,500; a slot due later stays."""
    from types import SimpleNamespace

    from vixhedge.kernel_options import LEFT, OptionSlots

    empty = 2  # the chunk's empty VX column (never settles)
    st = SimpleNamespace(col=np.full((1, 3), empty), empty=empty, cash=np.zeros(1), realized=np.zeros(1))
    m = SimpleNamespace(settles=np.array([5, 9, 10**9]), settle_px=np.array([30.0, 20.0, 0.0]))
    slots = OptionSlots({"spread": np.array([True]), "width": np.array([5.0])}, st, m, C.load_default().execution)
    slots.lcol[0, :2], slots.lk1[0, :2], slots.ln[0, :2] = [0, 1], [20.0, 18.0], [3.0, 2.0]
    assert LEFT >= 2
    slots.settle_left(5)
    assert st.cash[0] == st.realized[0] == 1_500.0
    assert slots.ln[0, :2].tolist() == [0.0, 2.0] and slots.lcol[0, :2].tolist() == [empty, 1]
