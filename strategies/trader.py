"""The trader: short SPX iron condor plus the hedge book (none / static / alvh / vxth / a plug-in), pure.

Each bar (:meth:`Trader.on_bar`, after the desk opened the day) it gathers state, asks the pure
policies (:mod:`strategies.condor`, the hedge policy named in config, :mod:`strategies.policies`) what to do,
turns the answers into fills on the :class:`~vixhedge.core.desk.Desk`, and logs the bar's decision
(signals.csv). No backtrader here: :class:`strategies.alvh.AlvhStrategy` drives it inside
Cerebro, :func:`vixhedge.run.run_backtest` with ``engine="fast"`` in a plain loop. The layer actions
(open, roll, restrike, close; layers.csv) are :class:`strategies.layers.LayerActions`.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

import pandas as pd

from strategies import condor as cc
from strategies import policies, selectors
from strategies.book import Action, BookState, CutCondor, Decision, DeferredPrices, DeferredUnitQuote, Layer, RemoveLayer
from strategies.book import RestrikeLayer, RollLayer, ScaleCondor
from strategies.capital import CapitalGuard, scaled
from strategies.layers import LayerActions, LayerLog
from strategies.signalset import SignalSet, Snapshot
from strategies.vxth import vxth_weight
from vixhedge.core.config import BreachRule, CondorEntry, Config, HedgeMode
from vixhedge.core.desk import Desk, fill_price
from vixhedge.core.instruments import SPX_OPTION, VIX_OPTION, Contract, Right

CONDOR = "condor"
log = logging.getLogger("vixhedge.policy")


@dataclass
class OpenCondor:
    legs: cc.CondorLegs
    contracts: int
    credit_points: float  # per condor, received at entry (after bid/ask)
    entry_date: dt.date
    entry_reason: str = "open"
    scale: float = 1.0
    nav_at_entry_usd: float = float("nan")
    cut: int = 0  # contracts bought back by condor_vega_cut (``contracts`` is what is still open)
    called: int = 0  # contracts closed by a margin call or the ruin's liquidation

    @property
    def opened(self) -> int:
        """The contracts it opened with (still open, cut by the policy, closed by a margin call or a ruin)."""
        return self.contracts + self.cut + self.called


class Trader(LayerActions):
    """One run's condor and hedge book, trading on ``desk``.

    With ``journal=False`` (a sweep point: it reads NAV and the number of layers only) the trader keeps no
    decision log, capital rows or layer log (``layers_opened`` still counts the layers); it trades the same.
    """

    def __init__(self, cfg: Config, market, signals: SignalSet, desk: Desk, journal: bool = True) -> None:
        self.cfg = cfg
        self.journal = journal
        self.market = market
        self.sigs = signals
        self.desk = desk
        self.condor: OpenCondor | None = None
        self.traded_expiries: set[dt.date] = set()
        self.condor_log: list[dict] = []
        self.condor_scale = 1.0
        self.layers: tuple[Layer, ...] = ()
        self.layer_log: dict[int, LayerLog] = {}
        self.layers_opened = 0
        self.first_notional: float | None = None
        self.decision_rows: list[dict] = []
        self._next_layer_id = 1
        self._last_action_bar = -(10**9)
        self._bars = 0
        self.capital = CapitalGuard(cfg.margin, desk)
        self.capital_rows: list[dict] = []  # per day: condor max loss, gross notional (daily.csv)
        self.carry_usd = 0.0  # fractional notional carried to the next layer (hedge.fractional_carry)
        self._vix_expirations = frozenset(x.settlement for x in market.vx.contracts)
        self._settle_rolls: list[str] = []  # what _sync_settled did this bar (roll_days = 0), for the log
        self._settle_done: list[str] = []
        self._condor_missed = ""
        self.policy = policies.resolve(cfg.hedge.policy_name)  # by name: a built-in or a plug-in
        self.selector = selectors.resolve(cfg.condor.selector_name)  # likewise (strategies.selectors)
        self.policy_notes = self.sigs.notes if self.cfg.hedge.policy_name == "alvh" else ()
        for note in self.policy_notes:
            log.warning(note)

    def on_bar(self) -> None:
        """Trade the desk's current day (opened by the engine) and record its end-of-day state."""
        i = self.desk.day_index
        self._sync_settled(i)
        self.capital.start_day()
        self._condor_missed = ""  # why the entry rule's condor was not placed today (signals.csv)
        if self.capital.ruin is None and self.capital.check() < 0:
            self._cure_breach(i)
        if self.capital.ruin is None:
            self._manage_condor(i)
            self._manage_hedge(i)
        else:  # ruined: liquidated on the ruin day (strategies.capital), no trading after
            if not self.desk.closed:
                self._liquidate(i)
            if self.journal:
                self.decision_rows.append({"date": self.desk.today, "rules_fired": "", "actions": "",
                                           "layers_open": len(self.layers), "condor_scale_pending": self.condor_scale})
        self._bars += 1
        if self.journal:
            self.decision_rows[-1]["capital"] = ";".join(self.capital.notes)
            self.decision_rows[-1]["condor_not_placed"] = self._condor_missed
            self._record_capital(i)
        self.desk.record_day()

    # ------------------------------------------------------------------ capital (strategies.capital)
    def _liquidate(self, i: int) -> None:
        """Ruin: close every position at today's fills and fees, as a broker would, then close the account."""
        self._cure_breach(i, "ruin")
        for pos in list(self.desk.ledger.positions.values()):  # (none left: the book holds layers and the condor)
            self.desk.execute(pos.contract, -pos.qty, pos.component, "ruin")
        self.capital.close_account()

    def _cure_breach(self, i: int, reason: str = "margin_call") -> None:
        """Maintenance breach at the open: close hedge layers newest first, then condors (or everything: with
        ``margin.on_breach = "liquidate"``, or at a ruin, ``reason = "ruin"``)."""
        liquidate = self.cfg.margin.on_breach is BreachRule.LIQUIDATE or reason == "ruin"
        snap = self.sigs.snapshot(i)
        for layer in reversed(self.layers):
            if not liquidate and self.desk.excess_liquidity() >= 0:
                return
            self._trade_legs(layer.legs, -1, layer.component, reason)
            self._drop_layer(layer, reason, snap)
            self.capital.notes.append(f"remove L{layer.layer_id} ({reason})")
        c = self.condor
        if c is None or (not liquidate and self.desk.excess_liquidity() >= 0):
            return
        close = tuple((contract, -q) for contract, q in c.legs.legs())
        n = c.contracts
        if not liquidate:  # the fewest condors whose closing cures the breach
            n = next((j for j in range(1, c.contracts) if self.desk.buying_power_after(scaled(close, j), False) >= 0),
                     c.contracts)
        for contract, q in close:
            self.desk.execute(contract, q * n, _condor_component(contract), reason)
        self.capital.notes.append(f"reduce condor {c.contracts}->{c.contracts - n} ({reason})")
        c.contracts -= n
        c.called += n
        if c.contracts == 0:
            self._log_condor(reason)

    def _record_capital(self, i: int) -> None:
        c, ledger, spx = self.condor, self.desk.ledger, float(self.market.data.spx_close[i])
        gross = 0.0  # |qty| x multiplier x (SPX for SPX options, the strike for VIX options, the mark for VX)
        for pos in ledger.positions.values():
            k = pos.contract
            level = spx if k.kind is SPX_OPTION else k.strike if k.kind is VIX_OPTION else ledger.mark(k)
            gross += abs(pos.qty) * level * k.multiplier
        max_loss = c.contracts * 100.0 * (c.legs.max_width_points - c.credit_points) if c is not None else 0.0
        today = self.desk.today
        self.capital_rows.append({"date": today, "condor_max_loss_usd": max_loss, "gross_notional_usd": gross,
                                  "bp_constrained": int(today in self.capital.bp_days)})

    # ------------------------------------------------------------------ condor
    def _manage_condor(self, i: int) -> None:
        cfg = self.cfg.condor
        if not cfg.enabled:
            return
        roll = False
        if self.condor is not None:
            c = self.condor
            reason = cc.exit_reason(self._cost_to_close(c), c.credit_points, (c.legs.expiry - self.desk.today).days, cfg)
            if not reason:
                return
            self._close_condor(reason)
            roll = cc.rolls_on(reason, cfg)
            if reason in ("stop", "dte") and not roll:
                return  # not rolled: no new condor on the exit's bar; the entry rule applies from the next session
        expiry = self._entry_expiry(i, roll)
        if expiry is None:
            return
        choice = selectors.CondorChoice(self.desk.today, expiry, self.market.spx_chain(i, expiry), self.desk.ledger.nav,
                                        self.sigs.snapshot(i), roll, frozenset(self.traded_expiries),
                                        lambda e: self.market.spx_chain(i, e))
        legs = selectors.select_checked(self.selector, choice, cfg)
        if legs is None:
            return self._not_placed(cc.NotPlaced.SELECTOR, choice)
        nav = self.desk.ledger.nav
        credit_at_fill = self._credit_at_fill(i, legs)
        n = cc.condor_contracts(cfg, nav, legs, credit_at_fill, self.condor_scale)
        if n < 1:
            return self._not_placed(cc.NotPlaced.SIZE, choice, legs)
        limit, why = cc.capital_cap(cfg, nav, legs, credit_at_fill)
        n = self.capital.fit(legs.legs(), self.capital.cap(n, limit, "condor", why), "condor")
        if n < 1:
            return self._not_placed(cc.NotPlaced.CAPITAL, choice)
        credit = 0.0
        reason = "roll" if roll else "open"  # condors.csv entry_reason; fills say "open" (analyzers key on it)
        for contract, q in legs.legs():
            fill = self.desk.execute(contract, q * n, _condor_component(contract), "open")
            credit -= q * fill.price
        self.condor = OpenCondor(legs, n, credit, self.desk.today, reason, self.condor_scale, nav)
        self.condor_scale = 1.0
        self.traded_expiries.add(legs.expiry)

    def _not_placed(self, kind: cc.NotPlaced, choice: selectors.CondorChoice, legs: cc.CondorLegs | None = None
                    ) -> None:
        """Record why the entry rule's condor was not placed today (signals.csv ``condor_not_placed``)."""
        if not self.journal:
            return
        cfg, day = self.cfg.condor, choice.day
        if kind is cc.NotPlaced.CAPITAL:
            why = ";".join(n for n in self.capital.notes if n.startswith("condor "))
        elif kind is cc.NotPlaced.SIZE:
            why = cc.sized_zero_words(legs, cfg, day)
        elif cfg.selector_name == "standard":
            kind, why = cc.NotPlaced.STRIKES, cc.no_strikes_words(choice.chain, cfg, day)
        else:
            why = f"the condor selector {cfg.selector_name!r} chose no condor on {day} (expiry {choice.expiry})"
        self._condor_missed = f"{kind}: {why}"

    def _entry_expiry(self, i: int, roll: bool) -> dt.date | None:
        cfg = self.cfg.condor
        if roll:
            return cc.dte_entry_expiry(self.desk.today, cfg, self.traded_expiries)
        if cfg.entry is CondorEntry.CALENDAR:
            expiry = cc.calendar_entry_expiry(self.desk.today, cfg)
        else:
            expiry = self.market.spx_expiry(i, cfg.min_dte, cfg.max_dte, cfg.target_dte)
        return None if expiry is None or expiry in self.traded_expiries else expiry

    def _credit_at_fill(self, i: int, legs: cc.CondorLegs) -> float:
        """Return the per-condor credit opening ``legs`` would receive at today's fill prices (points)."""
        return -sum(q * fill_price(self.market.quote(k, i), q, self.cfg.execution) for k, q in legs.legs())

    def _cost_to_close(self, c: OpenCondor) -> float:
        """Return the per-condor cost of closing at today's fill prices (points, paid > 0)."""
        cost = 0.0
        for contract, q in c.legs.legs():
            quote = self.market.quote(contract, self.desk.day_index)
            cost -= q * fill_price(quote, -q, self.cfg.execution)
        return cost

    def _condor_vega_usd(self, i: int) -> float:
        c = self.condor
        if c is None:
            return 0.0
        vega = sum(q * self.market.quote(k, i).vega for k, q in c.legs.legs())
        return abs(vega * c.contracts * 100.0)

    def _close_condor(self, reason: str) -> None:
        assert self.condor is not None
        for contract, q in self.condor.legs.legs():
            self.desk.execute(contract, -q * self.condor.contracts, _condor_component(contract), reason)
        self._log_condor(reason)

    def _log_condor(self, reason: str) -> None:
        c = self.condor
        assert c is not None
        L = c.legs
        self.condor_log.append({
            "entry_date": c.entry_date, "expiry": L.expiry, "exit_date": self.desk.today, "exit_reason": reason,
            "contracts": c.opened, "long_put": L.long_put, "short_put": L.short_put,
            "short_call": L.short_call, "long_call": L.long_call, "credit_points": round(c.credit_points, 4), "entry_reason": c.entry_reason,
            "vega_scale": c.scale, "nav_at_entry_usd": round(c.nav_at_entry_usd, 2),
            "max_loss_usd": round(c.opened * 100 * (L.max_width_points - c.credit_points), 2),
            "contracts_cut": c.cut})
        self.condor = None

    def _sync_settled(self, i: int) -> None:
        """Forget positions the broker cash-settled this morning; with ``hedge.roll_days = 0`` an ALVH or
        static layer is held to settlement and reopened on the next contract that day."""
        today = self.desk.today
        self._settle_rolls, self._settle_done = [], []
        if self.condor is not None and self.condor.legs.expiry <= today:
            self._log_condor("settled")
        hedge = self.cfg.hedge
        reopen = hedge.roll_days == 0 and hedge.mode is not HedgeMode.VXTH  # (mode none: no layers to reopen)
        for layer in [L for L in self.layers if L.expiry <= today]:
            if reopen:
                self._settle_done.append(self._roll_layer(i, layer.layer_id, settled=True) + " (settled)")
                self._settle_rolls = ["roll"]
            else:
                self._drop_layer(layer, "settled", self.sigs.snapshot(i))

    # ------------------------------------------------------------------ hedge
    def _manage_hedge(self, i: int) -> None:
        cfg = self.cfg.hedge
        snap = self.sigs.snapshot(i)
        decision, done = Decision(), []
        if self.policy is not policies.no_hedge:
            expiry, fut, strike = self._new_layer_contract(i, cfg.tenor_months)
            layers, today = self.layers, self.desk.today
            days_to_expiry, futures = {}, {}
            if layers:
                held = {L.expiry for L in layers}  # layers share expiries: price and count each once
                days_to = {e: self._trading_days_to(i, e) for e in held}
                prices = {e: float(self.market.vx_quote(i, e).mid) for e in held}
                days_to_expiry = {L.layer_id: days_to[L.expiry] for L in layers}
                futures = {L.layer_id: prices[L.expiry] for L in layers}
            state = BookState(
                layers=layers, days_to_expiry=days_to_expiry,
                bars_since_action=i - self._last_action_bar, bars_in_run=self._bars,
                vx_dte=self._vx_dte(i),
                first_notional_usd=self.first_notional if layers else None,
                condor_vega_usd=self._condor_vega_usd(i), nav_usd=self.desk.ledger.nav,
                unit=DeferredUnitQuote(lambda: self._unit_quote(i, expiry, fut, strike)), futures=futures,
                condor_contracts=self.condor.contracts if self.condor is not None else 0,
                carry_usd=self.carry_usd if layers else 0.0,
                vix_expiration=today in self._vix_expirations, new_future=fut,
                vx_futures=DeferredPrices(lambda k: self._vx_price(i, k + 1), self.market.vx.listed_months),
                vx_unit_vegas=DeferredPrices(lambda k: self._spx_vega(self.market.vx_quote(  # (as _unit_quote's)
                    i, self.market.vx_sessions(i, k + 1)[0]).vix_beta * 1000.0, i), self.market.vx.listed_months))
            decision = policies.decide_checked(
                self.policy, state, snap, cfg, today, self.market.vx.listed_months,  # an AddLayer's tenor bound
                lambda L: self._new_layer_contract(i, L.tenor_months or cfg.tenor_months, roll=True)[0])  # a roll's
            done = [self._apply(i, a, snap, (expiry, fut, strike)) for a in decision.actions]
        if self.journal:
            self.decision_rows.append({"date": self.desk.today, "rules_fired": ";".join(decision.fired),
                                       "rule_ids": ";".join(self._settle_rolls + list(decision.acted)),
                                       "actions": ";".join(self._settle_done + done), "layers_open": len(self.layers),
                                       "condor_scale_pending": self.condor_scale, **self._breakevens()})

    def _breakevens(self) -> dict[str, float]:
        """The book's break-even SPX levels at the condor's expiry (slope_breakeven reports them daily).

        The condor's short strikes moved out by its credit plus the open layers' P&L so far, per condor
        (points): the hedge's gains widen the range the book keeps a profit in, its losses narrow it.
        Skipped on a desk that does not record components (a sweep point reads NAV only).
        """
        if not self.desk.components:
            return {}
        hedge = sum(self.desk.ledger.component_value(L.component) for L in self.layers)
        c = self.condor
        if c is None:
            return {"breakeven_low_spx": float("nan"), "breakeven_high_spx": float("nan"),
                    "hedge_open_pnl_usd": round(hedge, 2)}
        cushion = c.credit_points + hedge / (100.0 * c.contracts)
        return {"breakeven_low_spx": round(c.legs.short_put - cushion, 2),
                "breakeven_high_spx": round(c.legs.short_call + cushion, 2), "hedge_open_pnl_usd": round(hedge, 2)}

    def _apply(self, i: int, action: Action, snap: Snapshot, new: tuple[dt.date, float, float | None]) -> str:
        # (policies.decide_checked refused actions on layers not open at the bar; a roll refused for buying power
        # earlier in this decision closes its layer, so what follows on that layer has nothing left to act on)
        if isinstance(action, (RemoveLayer, RollLayer, RestrikeLayer)) and \
                all(L.layer_id != action.layer_id for L in self.layers):
            return f"{type(action).__name__} L{action.layer_id} skipped: closed by a refused roll"
        if isinstance(action, RollLayer):
            return self._roll_layer(i, action.layer_id)
        if isinstance(action, RestrikeLayer):
            return self._restrike_layer(i, action)
        if isinstance(action, ScaleCondor):
            self.condor_scale = min(self.condor_scale, action.scale)
            return f"scale_condor {action.scale:g} ({action.reason})"
        if isinstance(action, CutCondor):
            return self._cut_condor(action)
        self._last_action_bar = i
        if isinstance(action, RemoveLayer):
            layer = next(L for L in self.layers if L.layer_id == action.layer_id)
            self._trade_legs(layer.legs, -1, layer.component, action.reason)
            self._drop_layer(layer, action.reason, snap)
            return f"remove L{layer.layer_id} ({action.reason})"
        if action.tenor_months not in (0, self.cfg.hedge.tenor_months):
            new = self._new_layer_contract(i, action.tenor_months)
        self.carry_usd = action.carry_usd
        return self._add_layer(action, snap, *new)

    def _cut_condor(self, action: CutCondor) -> str:
        """Buy back part of the open condor (condor_vega_cut), keeping at least one contract: a larger cut stops at
        one left; with one left it is a no-op, logged blocked (``cut_condor!one_contract_left``)."""
        c = self.condor
        assert c is not None
        k = min(action.contracts, c.contracts - 1)
        if k < 1:
            return f"cut_condor!one_contract_left ({action.reason})"
        for contract, q in c.legs.legs():
            self.desk.execute(contract, -q * k, _condor_component(contract), f"vega_cut ({action.reason})")
        c.contracts -= k
        c.cut += k
        kept = "" if k == action.contracts else f" of {action.contracts} asked, 1 kept"
        return f"cut_condor x{k}{kept} ({action.reason})"

    def finish(self) -> None:
        """End of the run: report the P&L so far of the layers still open, and the condor still open
        (condors.csv row with ``exit_reason = "open"`` and no exit date)."""
        for L in self.layers if self.journal else ():
            self.layer_log[L.layer_id].pnl_usd = round(self.desk.ledger.component_value(L.component), 2)
        if self.condor is not None:
            self._log_condor("open")
            self.condor_log[-1]["exit_date"] = None

    # ------------------------------------------------------------------ decision log
    def signals_log(self) -> pd.DataFrame:
        """Return signals.csv: per bar of the run, the signal values, the rules that fired and the actions."""
        decisions = pd.DataFrame(self.decision_rows).set_index("date")
        frame = self.sigs.frame().loc[decisions.index].join(decisions)
        if self.cfg.hedge.mode is HedgeMode.VXTH:
            frame["vxth_weight"] = [vxth_weight(v, self.cfg.hedge.vxth) for v in frame["front_vx"]]
        return frame


def _condor_component(contract: Contract) -> str:
    """Ledger component of a condor leg: its put spread or its call spread."""
    return f"{CONDOR}:{'put' if contract.right is Right.PUT else 'call'}"
