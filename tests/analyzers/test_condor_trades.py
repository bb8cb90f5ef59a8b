"""Per-condor P&L and trade statistics (analyzers.condor_trades)."""

from __future__ import annotations

import datetime as dt
import math
from types import SimpleNamespace

import pytest

from analyzers.condor_trades import condor_pnl, trade_stats
from vixhedge.core import config as C
from vixhedge.core.instruments import Contract, Kind, Right
from vixhedge.run import run_backtest

E = dt.date(2015, 7, 17)


def _leg(strike: float, right: Right, expiry: dt.date = E) -> Contract:
    return Contract(Kind.SPX_OPTION, expiry, strike, right)


def _flow(day: int, amount: float, contract: Contract | None) -> SimpleNamespace:
    return SimpleNamespace(date=dt.date(2015, 6, day), amount_usd=amount, contract=contract)


ROW = {"entry_date": dt.date(2015, 6, 1), "exit_date": dt.date(2015, 6, 10), "expiry": E,
       "long_put": 1900.0, "short_put": 2000.0, "short_call": 2200.0, "long_call": 2300.0}


def test_a_condors_total_does_not_move_with_the_hash_seed() -> None:
    """Perf18's finding: the legs' flows were summed over a set of (date, strike, right), whose order follows the
    process's hash seed, so a total could differ in its last bit (a half cent rounded either way) between two runs.
    Summed in the legs' fixed order, the unrounded total is the same in processes with different seeds."""
    import os
    import subprocess
    import sys

    code = ("import datetime as dt; from types import SimpleNamespace as N; from analyzers import condor_trades as ct; "
            "from vixhedge.core.instruments import Contract, Kind, Right; E = dt.date(2015, 7, 17); "
            "row = {'entry_date': dt.date(2015, 6, 1), 'exit_date': dt.date(2015, 6, 10), 'expiry': E, "
            "'long_put': 1900.0, 'short_put': 2000.0, 'short_call': 2200.0, 'long_call': 2300.0}; "
            "legs = [Contract(Kind.SPX_OPTION, E, k, r) for k, r in ((1900.0, Right.PUT), (2000.0, Right.PUT), "
            "(2200.0, Right.CALL), (2300.0, Right.CALL))]; "
            "flows = [N(date=dt.date(2015, 6, 2), amount_usd=a, contract=c) for c, a in zip(legs, (0.1, 1e16, 0.3, -1e16))]; "
            "ct.round = lambda x, n: x; print(repr(ct.condor_pnl([row], flows, {})[0]))")
    out = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                          env={**os.environ, "PYTHONHASHSEED": seed}).stdout for seed in "0123"}
    # one total: LEGS order (seeds 0-3 gave 0.0 and 0.3); its value is sum() of the flows in that order, this Python's:
    # ((0.1 + 1e16) + 0.3) - 1e16 = 0.0 to 3.11, 0.4 from 3.12, whose sum() is compensated (COMPAT39)
    assert out == {f"{sum((0.1, 1e16, 0.3, -1e16))!r}\n"}, out


def test_a_condor_sums_its_legs_flows_and_fees_in_its_window_only():
    sp, lc = _leg(2000.0, Right.PUT), _leg(2300.0, Right.CALL)
    flows = [_flow(1, 1500.0, sp), _flow(1, -120.0, lc), _flow(1, -4.0, sp),  # credit legs + a fee
             _flow(10, -900.0, sp), _flow(10, 50.0, lc), _flow(10, -4.0, sp),  # the close and its fee
             _flow(11, 999.0, sp),  # after the exit: another condor's
             _flow(5, 7.0, None), _flow(5, 3.0, _leg(2000.0, Right.CALL))]  # interest; not a leg (call at 2000)
    assert condor_pnl([ROW], flows, {}) == [1500.0 - 120.0 - 4.0 - 900.0 + 50.0 - 4.0]
    still_open = {**ROW, "exit_date": None}
    # an open condor adds its legs' marks at the end; a position of another expiry is not its leg
    marks = {sp: -700.0, _leg(2000.0, Right.PUT, dt.date(2015, 8, 21)): 5.0}
    assert condor_pnl([still_open], flows, marks) == [1500 - 120 - 4 - 900 + 50 - 4 + 999 - 700.0]



def test_a_condor_whose_exit_date_is_nan_is_open():
    """Trial MUT34 CT09 (``_is_open``'s NaN clause dropped: only pyflakes caught it, through the unused ``math``): a
    row read from a frame carries an empty exit_date as float NaN, and that condor is open as with None: its flows
    from entry on plus its legs' marks (the numbers of the open case above, by hand)."""
    sp = _leg(2000.0, Right.PUT)
    flows = [_flow(1, 1500.0, sp), _flow(1, -4.0, sp), _flow(11, 999.0, sp)]
    row = {**ROW, "exit_date": float("nan")}
    assert condor_pnl([row], flows, {sp: -700.0}) == [1500.0 - 4.0 + 999.0 - 700.0]


def test_trade_statistics_by_hand():
    # closed: +100, -50, +30, -20 (stop); one open condor is left out and counted apart
    s = trade_stats([100.0, -50.0, 30.0, -20.0, 500.0], ["profit_take", "stop", "dte", "stop", ""],
                    [False, False, False, False, True])
    assert s["condors_closed"] == 4 and s["condors_open"] == 1
    assert s["win_rate"] == 0.5 and s["avg_win_usd"] == 65.0 and s["avg_loss_usd"] == -35.0
    assert s["expectancy_usd"] == 15.0 and s["profit_factor"] == pytest.approx(130 / 70)
    assert s["stop_share"] == 0.5 and s["best_usd"] == 100.0 and s["worst_usd"] == -50.0
    assert math.isnan(trade_stats([], [], [])["win_rate"])


def test_condor_pnl_reconciles_with_the_condor_book_on_a_run():
    """Sum of per-condor P&L = condor group P&L + the condor fills' fees (no condor open at the end)."""
    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-09-15"})
    res = run_backtest(cfg, engine="fast")
    c = res.condors
    assert len(c) == 4 and c["exit_date"].notna().all()
    fees = res.trades.loc[res.trades["component"].str.startswith("condor"), "fee_usd"].sum()
    assert c["pnl_usd"].sum() == pytest.approx(res.metrics["pnl"]["condor_pnl_usd"] - fees, abs=0.05)
    st = res.metrics["condor_trades"]
    assert st["condors_closed"] == 4 and st["win_rate"] == (c["pnl_usd"] > 0).mean()


def test_a_condor_closed_at_zero_counts_as_a_loss():
    """Trial MUT24 ct03 (``p <= 0`` -> ``p < 0`` survived): a closed condor that made exactly $0.00 is not a win
    (``wins`` are ``p > 0``), so it is counted with the losses and the two lists split every closed condor. By
    hand: closed +100, 0, -50: wins [100], losses [0, -50], average loss (0 - 50) / 2 = -25 (the mutant: -50 / 1);
    win rate 1 / 3, profit factor 100 / 50."""
    s = trade_stats([100.0, 0.0, -50.0], ["profit_take", "dte", "stop"], [False, False, False])
    assert s["avg_loss_usd"] == -25.0
    assert s["win_rate"] == pytest.approx(1 / 3) and s["profit_factor"] == 2.0 and s["worst_usd"] == -50.0
