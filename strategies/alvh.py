"""backtrader strategy: short SPX iron condor plus the hedge book (none / static / alvh).

Thin adapter: each bar it gathers state, asks the pure cores (:mod:`strategies.condor`,
:mod:`strategies.hedge`) what to do and turns the answers into ledger fills through the
:class:`~vixhedge.broker.LedgerBroker`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import backtrader as bt
import numpy as np

from strategies import condor as cc
from strategies import hedge as hp
from vixhedge.broker import LedgerBroker, fill_price
from vixhedge.config import Config, HedgeInstrument
from vixhedge.instruments import Contract

CONDOR = "condor"


@dataclass
class OpenCondor:
    legs: cc.CondorLegs
    contracts: int
    credit_points: float  # per condor, received at entry (after bid/ask)
    entry_date: dt.date


@dataclass
class LayerLog:
    """One row of layers.csv."""

    layer_id: int
    instrument: str
    contracts: int
    notional_usd: float
    trigger: str
    entry_date: dt.date
    entry_vx: float
    entry_macd: float
    entry_signal: float
    entry_hist: float
    legs: str
    rolls: int = 0
    exit_date: dt.date | None = None
    exit_reason: str = ""
    pnl_usd: float = float("nan")


class AlvhStrategy(bt.Strategy):
    params = (("config", None), ("market", None), ("signals", None))

    def __init__(self) -> None:
        self.cfg: Config = self.p.config
        self.market = self.p.market
        self.sigs: hp.SignalSet = self.p.signals
        self.condor: OpenCondor | None = None
        self.traded_expiries: set[dt.date] = set()
        self.condor_log: list[dict] = []
        self.layers: tuple[hp.Layer, ...] = ()
        self.layer_log: dict[int, LayerLog] = {}
        self.first_notional: float | None = None
        self._next_layer_id = 1
        self._last_action_bar = -(10**9)

    @property
    def lb(self) -> LedgerBroker:
        return self.broker

    def next(self) -> None:
        i = self.lb.day_index
        self._sync_settled(i)
        self._manage_condor(i)
        self._manage_hedge(i)
        self.lb.record_day()
        self.lb.publish(self)

    # ------------------------------------------------------------------ condor
    def _manage_condor(self, i: int) -> None:
        cfg = self.cfg.condor
        if self.condor is not None:
            c = self.condor
            cost = self._cost_to_close(c)
            reason = cc.exit_reason(cost, c.credit_points, (c.legs.expiry - self.lb.today).days, cfg)
            if reason:
                self._close_condor(reason)
            return
        expiry = self.market.spx_expiry(i, cfg.min_dte, cfg.max_dte, cfg.target_dte)
        if expiry is None or expiry in self.traded_expiries:
            return
        legs = cc.select_condor(self.market.spx_chain(i, expiry), cfg)
        if legs is None:
            return
        credit = 0.0
        for contract, q in legs.legs():
            fill = self.lb.execute(contract, q * cfg.contracts, CONDOR, "open")
            credit -= q * fill.price
        self.condor = OpenCondor(legs, cfg.contracts, credit, self.lb.today)
        self.traded_expiries.add(expiry)

    def _cost_to_close(self, c: OpenCondor) -> float:
        """Return the per-condor cost of closing at today's fill prices (points, paid > 0)."""
        cost = 0.0
        for contract, q in c.legs.legs():
            quote = self.market.quote(contract, self.lb.day_index)
            cost -= q * fill_price(quote, -q, self.cfg.execution)
        return cost

    def _close_condor(self, reason: str) -> None:
        assert self.condor is not None
        for contract, q in self.condor.legs.legs():
            self.lb.execute(contract, -q * self.condor.contracts, CONDOR, reason)
        self._log_condor(reason)

    def _log_condor(self, reason: str) -> None:
        c = self.condor
        assert c is not None
        L = c.legs
        self.condor_log.append(dict(entry_date=c.entry_date, expiry=L.expiry, exit_date=self.lb.today,
                                    exit_reason=reason, contracts=c.contracts, long_put=L.long_put,
                                    short_put=L.short_put, short_call=L.short_call, long_call=L.long_call,
                                    credit_points=round(c.credit_points, 4)))
        self.condor = None

    def _sync_settled(self, i: int) -> None:
        """Forget positions the broker cash-settled this morning."""
        today = self.lb.today
        if self.condor is not None and self.condor.legs.expiry <= today:
            self._log_condor("settled")
        for layer in [L for L in self.layers if L.expiry <= today]:
            self._drop_layer(layer, "settled")

    # ------------------------------------------------------------------ hedge
    def _manage_hedge(self, i: int) -> None:
        snap = self.sigs.snapshot(i)
        dte = {L.layer_id: self._trading_days_to(i, L.expiry) for L in self.layers}
        for action in hp.decide(self.layers, snap, dte, i - self._last_action_bar, self.cfg.hedge):
            if isinstance(action, hp.RollLayer):
                self._roll_layer(i, action.layer_id)
                continue
            self._last_action_bar = i
            if isinstance(action, hp.RemoveLayer):
                layer = next(L for L in self.layers if L.layer_id == action.layer_id)
                self._trade_legs(layer.legs, -1, layer.component, action.reason)
                self._drop_layer(layer, action.reason)
            else:
                self._add_layer(i, action, snap)

    def _trading_days_to(self, i: int, day: dt.date) -> int:
        return int(np.searchsorted(self.market.dates.values, np.datetime64(day, "ns"))) - i

    def _hedge_expiry(self, i: int) -> tuple[dt.date, float]:
        contract = self.market.vx.nth_contract(i, self.cfg.hedge.tenor_months)
        return contract.settlement, float(self.market.vx_quote(i, contract.settlement).mid)

    def _unit_notional(self, future_price: float) -> float:
        inst = self.cfg.hedge.instrument
        mult = 1000.0 if inst is HedgeInstrument.VX_FUTURE else 100.0
        return future_price * mult

    def _add_layer(self, i: int, action: hp.AddLayer, snap: hp.Snapshot) -> None:
        cfg = self.cfg.hedge
        expiry, fut = self._hedge_expiry(i)
        first = self.first_notional if self.layers else None
        n = hp.layer_contracts(action.size_multiple, first, self._unit_notional(fut), cfg.first_layer_contracts)
        legs = hp.layer_legs(cfg.instrument, expiry, fut, n, cfg)
        layer = hp.Layer(self._next_layer_id, cfg.instrument, legs, n * self._unit_notional(fut), action.reason,
                         self.lb.today)
        self._next_layer_id += 1
        if first is None:
            self.first_notional = layer.notional_usd
        self._trade_legs(legs, 1, layer.component, action.reason)
        self.layers = self.layers + (layer,)
        self.layer_log[layer.layer_id] = LayerLog(
            layer.layer_id, cfg.instrument.value, n, round(layer.notional_usd, 2), action.reason, self.lb.today,
            round(snap.vx, 4), round(snap.macd, 6), round(snap.signal, 6), round(snap.hist, 6),
            _legs_text(legs))

    def _roll_layer(self, i: int, layer_id: int) -> None:
        old = next(L for L in self.layers if L.layer_id == layer_id)
        self._trade_legs(old.legs, -1, old.component, "roll_out")
        expiry, fut = self._hedge_expiry(i)
        n = abs(old.legs[0][1])
        legs = hp.layer_legs(old.instrument, expiry, fut, n, self.cfg.hedge)
        self._trade_legs(legs, 1, old.component, "roll_in")
        new = hp.Layer(old.layer_id, old.instrument, legs, n * self._unit_notional(fut), old.trigger, old.entry_date)
        self.layers = tuple(new if L.layer_id == layer_id else L for L in self.layers)
        log = self.layer_log[layer_id]
        log.rolls += 1
        log.legs = _legs_text(legs)

    def _trade_legs(self, legs: tuple[tuple[Contract, int], ...], sign: int, component: str, reason: str) -> None:
        for contract, q in legs:
            self.lb.execute(contract, sign * q, component, reason)

    def _drop_layer(self, layer: hp.Layer, reason: str) -> None:
        self.layers = tuple(L for L in self.layers if L.layer_id != layer.layer_id)
        log = self.layer_log[layer.layer_id]
        log.exit_date = self.lb.today
        log.exit_reason = reason
        log.pnl_usd = round(self.lb.ledger.component_values().get(layer.component, 0.0), 2)

    def stop(self) -> None:
        for L in self.layers:  # open at the end: report P&L so far
            self.layer_log[L.layer_id].pnl_usd = round(
                self.lb.ledger.component_values().get(L.component, 0.0), 2)


def _legs_text(legs: tuple[tuple[Contract, int], ...]) -> str:
    return "; ".join(f"{q:+d} {c.symbol}" for c, q in legs)
