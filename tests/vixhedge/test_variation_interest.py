"""The interest CFE's daily variation would have earned, recorded in metrics.json ``performance``, not booked
(trial ACC30).

CFE settles a VX future's gains and losses in cash every day; the ledger keeps a future's open P&L in its marks and
pays interest on cash alone (vixhedge/core/ledger.py), so a run misses the interest on that variation. The trial's
own script found $17.11 on `vixhedge run --data-dir ../shared/data --start 2017-06-01 --end 2018-06-30`, in no file.
metrics.json ``performance.vx_variation_interest_unbooked_usd`` states it: the open futures P&L at each close times the
night's rate, ACT/365, as the ledger's interest on cash (vixhedge.core.desk.Desk.open_day).
"""

from __future__ import annotations

import pytest

from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge.core import ledger as L
from vixhedge.run import run_backtest


def _cfg(mode: str) -> C.Config:
    # a constant 5% rate makes the figure large enough to measure against a book that books it
    return C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2016-12-30"}, hedge={"mode": mode},
                     market={"rates": "constant", "rate": 0.05})


def test_the_recorded_figure_is_what_booking_the_variation_s_interest_moves_nav(monkeypatch):
    """Booking the interest on cash plus the futures' open P&L (CFE's rule: the variation is cash in the account)
    moves the alvh run's final NAV by the recorded figure (its interest on itself included), to the cent: the same
    orders either way (trades.csv alike), so nothing else moves."""
    cfg = _cfg("alvh")
    market = build_market(cfg.market)
    booked = run_backtest(cfg, market)
    recorded = booked.metrics["performance"]["vx_variation_interest_unbooked_usd"]

    def on_variation(self, date, rate, days):  # the ledger's accrue_interest on cash AND the futures' open P&L
        if days <= 0:
            return 0.0
        amount = (self.cash + self.futures_value()) * rate * days / 365.0
        self._flow(date, L.INTEREST, "interest", amount, None)
        return amount

    monkeypatch.setattr(L.Ledger, "accrue_interest", on_variation)
    cfe = run_backtest(cfg, market)
    moved = cfe.daily["nav_usd"].iloc[-1] - booked.daily["nav_usd"].iloc[-1]
    assert abs(recorded) > 10.0  # (a figure worth measuring: the run held VX futures through 2015-08 and 2016)
    assert (cfe.trades[["qty", "price"]].to_numpy() == booked.trades[["qty", "price"]].to_numpy()).all()
    assert moved == pytest.approx(recorded, abs=0.005)


@pytest.mark.parametrize("mode, instrument", [("none", None), ("alvh", "vix_call_spread")])
def test_a_run_without_vx_futures_records_none(mode, instrument):
    """No VX future held, no variation: $0 (options are paid in full at the trade; their cash earns as cash)."""
    cfg = _cfg(mode)
    if instrument:
        cfg = C.replace(cfg, hedge={"instrument": instrument})
    assert run_backtest(cfg).metrics["performance"]["vx_variation_interest_unbooked_usd"] == 0.0
