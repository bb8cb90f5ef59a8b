"""A VIX call-spread layer whose close would bring nothing after fees is left to expire (trial MRG33B, 2026-12-07).

MRG33B (HIGH 1, HIGH 2) found removals, roll-outs and margin calls closing long VIX call spreads whose long call bid
at or below the short call's ask: a close for nothing or a debit, plus fees, of a spread that pays >= 0 at expiry
and needs no margin. Under Reg-T it left day-end excess liquidity negative (README *Capital, margin and ruin*: never
negative) and the next session's margin call closed condors. The rule now (strategies.layers.LayerActions.
_closes_for_nothing, vixhedge.kernel_options.OptionSlots.closes_for_nothing) leaves such a layer to expire. The runs
are the trial's commands (its report, /work/notes/mrg33b_report.md; the old figures are its files, made on main at
4cceb87, whose code equals 39dcb59's, and re-measured on a snapshot of 39dcb59 on 2026-12-07).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from feeds.market import build_market
from vixhedge import kernel as K
from vixhedge import sweep as sw
from vixhedge.core import config as C
from vixhedge.run import daily_book, run_backtest

BIG = {"condor": {"contracts": 100, "max_loss_cap_nav_fraction": 1.0, "margin_cap_nav_fraction": 1.0},
       "margin": {"hedge_budget_nav_fraction": 1.0}}
SPREAD = {"instrument": "vix_call_spread", "first_layer_contracts": 5000, "spread_long_otm": 1.0}
# (run id in the trial's report, window, cash, hedge overrides, the removal that closed for nothing then: day, layer)
RUNS = [("3229267f", ("2018-01-02", "2018-04-30"), 120_000.0, {}, ("2018-01-03", 1, "macd_cross_down")),
        ("fb14028a", ("2020-02-03", "2020-05-29"), 80_000.0, {"tenor_months": 1}, ("2020-05-18", 4, "macd_cross_down")),
        ("6340289c", ("2017-01-03", "2017-06-30"), 120_000.0, {"review_bars": 1},
         ("2017-01-09", 1, "review_fear_easing"))]


def _config(shared_data, window, cash, hedge) -> C.Config:
    return C.replace(C.load_default(), run={"start": window[0], "end": window[1], "initial_cash_usd": cash},
                     hedge={**SPREAD, **hedge}, **BIG, market={"source": "directory", "data_dir": str(shared_data)})


@pytest.mark.realdata
@pytest.mark.parametrize("run_id, window, cash, hedge, removal", RUNS, ids=[r[0] for r in RUNS])
def test_a_removal_that_would_close_for_nothing_leaves_the_spread_and_no_margin_call_follows(
        shared_data, run_id, window, cash, hedge, removal):
    """The trial's Reg-T runs, whose removal closed a spread for nothing or a debit and left day-end excess negative,
    a margin call the next session closing condors (its report and files):

    * 3229267f: 2018-01-03 L1 sold 626 x 24C at 0.10, bought the 29C at 0.15 ($3,130 + $1,377.20 of fees): day-end
      excess -$4,500.57; 2018-01-04 margin call at -$4,496, 1 of 7 condors closed;
    * fb14028a: 2020-05-18 L4's 65C / 70C closed at 0.75 / 0.75 (net $0, $444.40 of fees): day-end -$417.28;
      2020-05-19 margin call, the condor closed;
    * 6340289c: 2017-01-09 L1 removed: day-end -$1,948.67, 2017-01-10 margin call; 2017-01-24 L6 removed, day-end
      negative, 2017-01-25 margin call closing L5 (0.05 / 0.15) and both condors.

    Now each such removal leaves the layer (layers.csv ``+left_to_expire``, no fill of it that day), no day-end
    excess is negative and no margin call is made (measured 2026-12-07: lowest day-end excess $1.24, $0.40, $1.70)."""
    day, layer, reason = removal
    res = run_backtest(_config(shared_data, window, cash, hedge), engine="fast")
    layers = res.layers.set_index("layer_id")
    exit_ = (str(layers.loc[layer, "exit_date"])[:10], layers.loc[layer, "exit_reason"])
    assert exit_ == (day, f"{reason}+left_to_expire")
    t = res.trades
    assert t[(t["component"] == f"hedge:L{layer}") & (t.index == day)].empty
    assert (res.daily["excess_liquidity_usd"] >= 0).all()
    assert res.metrics["capital"]["days_with_margin_call"] == 0
    assert (res.capital_cuts["kind"] != "margin_call").all()


@pytest.mark.realdata
def test_the_kernel_replays_the_spreads_left_on_real_data(shared_data) -> None:
    """The kernel (numpy book: option layers are not the compiled book's) equals the event path on the first run
    above (five layers left to expire, L1 on 2018-01-03, measured 2026-12-07): daily NAV within 1e-6 USD (the
    kernel's bound, tests/vixhedge/test_kernel.py), the layers counted the same."""
    _, window, cash, hedge, _ = RUNS[0]
    cfg = _config(shared_data, window, cash, hedge)
    market = build_market(cfg.market)
    p = sw.Point(hashlib.sha256(C.to_toml(cfg).encode()).hexdigest()[:16], {}, cfg)
    left = run_backtest(cfg, market, engine="fast").layers["exit_reason"].astype(str).str.endswith("+left_to_expire")
    assert int(left.sum()) == 5
    (_, out, k, _), = K.outcomes([p], market)
    assert out.reason[k] == ""
    daily, layers = daily_book(cfg, market)
    assert int(out.layers[k]) == layers
    np.testing.assert_allclose(out.nav[k], daily["nav_usd"].to_numpy(), rtol=0, atol=1e-6)
