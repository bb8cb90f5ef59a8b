"""The trader: short SPX iron condor plus the hedge book (none / static / alvh / vxth / a plug-in), pure.

Each bar (:meth:`Trader.on_bar`, after the desk opened the day) it gathers state, asks the pure
policies (:mod:`strategies.condor`, the hedge policy named in config, :mod:`strategies.policies`) what to do,
turns the answers into fills on the :class:`~vixhedge.core.desk.Desk`, and logs the bar's decision
(signals.csv). No backtrader here: :class:`strategies.alvh.AlvhStrategy` drives it inside
Cerebro, :func:`vixhedge.run.run_backtest` with ``engine="fast"`` in a plain loop. The condor actions
(open, exit, cut; condors.csv) are :class:`strategies.condor_actions.CondorActions`, the layer actions
(open, roll, restrike, close; layers.csv) :class:`strategies.layers.LayerActions`, a ruin's liquidation
:class:`strategies.ruin.RuinActions`.
"""

from __future__ import annotations

import datetime as dt
import logging
import math

import pandas as pd

from strategies import policies, selectors
from strategies.book import Action, BookState, CutCondor, Decision, DeferredPrices, DeferredUnitQuote, Layer, RemoveLayer
from strategies.book import FLAT_OTM, AddLayer, RestrikeLayer, RollLayer, Rule, ScaleCondor
from strategies.capital import CapitalGuard, scaled
from strategies.condor_actions import CondorActions, OpenCondor, condor_component
from strategies.layers import LEFT, LayerActions, LayerLog
from strategies.ruin import ABANDONED, RuinActions
from strategies.signaldelay import delayed
from strategies.signalset import SignalSet
from strategies.snapshot import Snapshot
from strategies.vxth import vxth_weight
from vixhedge.core.config import BreachRule, Config, HedgeMode
from vixhedge.core.desk import Desk
from vixhedge.core.instruments import SPX_OPTION, VIX_OPTION
from vixhedge.fmt import usd

log = logging.getLogger("vixhedge.policy")
_NO_DECISION = Decision()  # a bar without a hedge policy's decision (frozen: one, shared, not one built per bar)


class Trader(CondorActions, LayerActions, RuinActions):
    """One run's condor and hedge book, trading on ``desk``.

    With ``journal=False`` (a sweep point: it reads NAV and the number of layers only) the trader keeps no
    decision log, capital rows or layer log (``layers_opened`` still counts the layers); it trades the same.
    """

    def __init__(self, cfg: Config, market, signals: SignalSet, desk: Desk, journal: bool = True) -> None:
        self.cfg = cfg
        self.journal = journal
        self.market = market
        self.sigs = delayed(signals, cfg.execution.signal_delay_bars)  # bar t reads bar t - N's signals
        self._own_front_vx = pd.Series(signals.front_vx, index=signals.dates.date)  # the bar's own: VXTH reads it
        self.desk = desk
        self.condor: OpenCondor | None = None
        self.traded_expiries: set[dt.date] = set()
        self.condor_log: list[dict] = []
        self.condor_scale = 1.0
        self.layers: tuple[Layer, ...] = ()
        self.layers_left: dict[tuple[int, dt.date], Layer] = {}  # legs left to expire (LayerActions._leave: a
        # removal's, a margin call's, a roll's), by layer id and expiry
        self.layer_log: dict[int, LayerLog] = {}
        self.layers_opened = 0
        self.first_notional: float | None = None
        self.decision_rows: list[dict] = []
        self._next_layer_id = 1
        self._last_action_bar = -(10**9)
        self._last_divergence_bar = -(10**9)  # a bullish divergence's layer removal (hedge.divergence.hold_adds)
        self._bars = 0
        self.capital = CapitalGuard(cfg.margin, desk)
        self.capital_rows: list[dict] = []  # per day: condor max loss, gross notional (daily.csv)
        self.condors_held: list[int] = []  # per day: condor contracts held at its end (metrics.json capital)
        self.carry_usd = 0.0  # fractional notional carried to the next layer (hedge.fractional_carry)
        self._vix_expirations = frozenset(x.settlement for x in market.vx.contracts)
        self._settle_rolls: list[str] = []  # what _sync_settled did this bar (roll_days = 0), for the log
        self._settle_done: list[str] = []
        self._condor_missed = ""
        self.unlisted_months: list[tuple[dt.date, int, int]] = []  # (day, month wanted, months listed): _layer_month
        self.policy = policies.resolve(cfg.hedge.policy_name)  # by name: a built-in or a plug-in
        if cfg.hedge.mode.value == "none" and cfg.hedge.policy_name != "none":  # (a built-in under any spelling)
            log.warning(policies.NONE_WITH_POLICY.format(policy=cfg.hedge.policy))  # the policy wins: say so
        self.selector = selectors.resolve(cfg.condor.selector_name)  # likewise (strategies.selectors)
        sizing = [n for n in (policies.small_option_layers(cfg.hedge), policies.legged_spreads(
            cfg.hedge, cfg.execution.fill)) if n]
        self.policy_notes = (*(self.sigs.notes if self.cfg.hedge.policy_name == "alvh" else ()), *sizing)
        for note in self.policy_notes:
            log.warning(note)

    def on_bar(self) -> None:
        """Trade the desk's current day (opened by the engine) and record its end-of-day state."""
        i = self.desk.day_index
        self.capital.start_day()  # first: a settled layer's roll (roll_days = 0) is today's order, its cut today's note
        self._sync_settled(i)
        self._condor_missed = ""  # why the entry rule's condor was not placed today (signals.csv)
        if self.capital.ruin is None and self.capital.check(self._abandoned) < 0:
            self._cure_breach(i)
        if self.capital.ruin is None:
            self._manage_condor(i)
            self._manage_hedge(i)
            self._open_held_back()  # (an entry's contracts held back for a divergence cut the policy did not make)
        else:  # ruined: liquidated on the ruin day (strategies.capital), no trading after
            if not self.desk.closed:
                self._liquidate(i)
            if self.journal:
                self.decision_rows.append({"date": self.desk.today, "rules_fired": "", "rule_ids": "", "actions": "",
                                           "layers_open": len(self.layers), "condor_scale_pending": self.condor_scale,
                                           **self._breakevens()})  # (no condor, no layer: NaN, NaN, 0)
        self._bars += 1
        if self.journal:
            self.decision_rows[-1]["capital"] = ";".join(self.capital.notes)
            self.decision_rows[-1]["condor_not_placed"] = self._condor_missed
            self._record_capital(i)
        self.desk.record_day()

    # ------------------------------------------------------------------ capital (strategies.capital)
    def _cure_breach(self, i: int, reason: str = "margin_call") -> None:
        """Maintenance breach at the open: close hedge layers newest first, then condors (or everything: with
        ``margin.on_breach = "liquidate"``, or at a ruin, ``reason = "ruin"``). The condors a margin call closes
        leave their wings bid at 0 open, as an exit does (:mod:`strategies.condor_actions`), and its option layers
        whose close would bring nothing after fees are left to expire (:mod:`strategies.layers`: closing them would
        only cost); a ruin sells the condor's every leg and abandons such layers at 0 (:mod:`strategies.ruin`)."""
        liquidate = self.cfg.margin.on_breach is BreachRule.LIQUIDATE or reason == "ruin"
        snap = self.sigs.snapshot(i)
        for layer in reversed(self.layers):
            if not liquidate and self.desk.excess_liquidity() >= 0:
                return
            if reason == "ruin":
                left = self._abandon_layer(layer)  # (its legs at 0, no fee: strategies.ruin)
                if not left:
                    self._trade_legs(layer.legs, -1, layer.component, reason)
                self._drop_layer(layer, f"{reason}+{ABANDONED}" if left else reason, snap)
                tag, verb = ABANDONED, "abandon"
            else:
                left = self._exit_layer(layer, reason, snap)
                tag, verb = LEFT, "leave"
            self.capital.cure(reason, f"L{layer.layer_id}", layer.contracts, 0,
                              f"remove L{layer.layer_id} ({reason}{'+' + tag if left else ''})",
                              verb if left else "close")
        c = self.condor
        if c is None or (not liquidate and self.desk.excess_liquidity() >= 0):
            return
        left = () if reason == "ruin" else self._wings_left(c)  # a margin call leaves the wings bid at 0 open
        close = tuple((contract, -q) for contract, q in c.legs.legs() if contract not in left)
        n = c.contracts
        if not liquidate:  # the fewest condors whose closing cures the breach
            n = next((j for j in range(1, c.contracts) if self.desk.buying_power_after(scaled(close, j), False) >= 0),
                     c.contracts)
        for contract, q in close:
            self.desk.execute(contract, q * n, condor_component(contract), reason)
        self.capital.cure(reason, "condor", c.contracts, c.contracts - n,
                          f"reduce condor {c.contracts}->{c.contracts - n} ({reason})")
        c.contracts -= n
        c.called += n
        if c.contracts == 0:
            self._log_condor(reason, left)
        else:  # a partial call: its wings left are logged at the condor's final close
            c.left = (*c.left, *(k for k in left if k not in c.left))

    def _record_capital(self, i: int) -> None:
        c, ledger, spx = self.condor, self.desk.ledger, float(self.market.data.spx_close[i])
        gross = 0.0  # |qty| x multiplier x (SPX for SPX options, the strike for VIX options, the mark for VX)
        for pos in ledger.positions.values():
            k = pos.contract
            level = spx if k.kind is SPX_OPTION else k.strike if k.kind is VIX_OPTION else ledger.mark(k)
            gross += abs(pos.qty) * level * k.multiplier
        max_loss = c.contracts * 100.0 * (c.legs.max_width_points - c.credit_points) if c is not None else 0.0
        today = self.desk.today
        self.condors_held.append(c.contracts if c is not None else 0)
        self.capital_rows.append({"date": today, "condor_max_loss_usd": max_loss, "gross_notional_usd": gross,
                                  "bp_constrained": int(today in self.capital.bp_days)})

    # ------------------------------------------------------------------ condor (strategies.condor_actions)
    def _sync_settled(self, i: int) -> None:
        """Forget positions the broker cash-settled this morning; with ``hedge.roll_days = 0`` an ALVH or
        static layer is held to settlement and reopened on the next contract that day."""
        today = self.desk.today
        self._settle_rolls, self._settle_done = [], []
        if self.condor is not None and self.condor.legs.expiry <= today:
            self._log_condor("settled")
        if self.layers_left:
            self._settle_left()
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
        decision, done = _NO_DECISION, []
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
                bars_since_divergence=i - self._last_divergence_bar,
                vx_dte=self.market.vx_dte(i),
                first_notional_usd=self.first_notional if layers else None,
                condor_vega_usd=self._condor_vega_usd(i), nav_usd=self.desk.ledger.nav,
                unit=DeferredUnitQuote(lambda: self._unit_quote(i, expiry, fut, strike)), futures=futures,
                condor_contracts=self.condor.decided if self.condor is not None else 0,
                carry_usd=self.carry_usd if layers else 0.0,
                vix_expiration=today in self._vix_expirations, new_future=fut,
                vx_futures=DeferredPrices(lambda k: self._vx_price(i, k + 1), self.market.vx.listed_on(i)),
                vx_unit_vegas=DeferredPrices(lambda k: self._spx_vega(self.market.vx_quote(  # (as _unit_quote's)
                    i, self.market.vx_sessions(i, k + 1)[0]).vix_beta * 1000.0, i), self.market.vx.listed_on(i)),
                option_unit=lambda otm: self._unit_quote(i, expiry, fut, strike, otm), date=today)
            decision = policies.decide_checked(
                self.policy, state, snap, cfg, today, self.market.vx.listed_on(i),  # an AddLayer's tenor bound
                lambda L: self._new_layer_contract(i, L.tenor_months or cfg.tenor_months, roll=True)[0])  # a roll's
            done = [self._apply(i, a, snap, (expiry, fut, strike)) for a in decision.actions]
            if any(isinstance(a, RemoveLayer) and a.reason.startswith(Rule.DIVERGENCE) for a in decision.actions):
                self._last_divergence_bar = i
        if self.journal:
            self.decision_rows.append({"date": self.desk.today, "rules_fired": ";".join(decision.fired),
                                       "rule_ids": ";".join(self._settle_rolls + _acted(decision, done)),
                                       "actions": ";".join(self._settle_done + [d for d in done if d]),
                                       "layers_open": len(self.layers),
                                       "condor_scale_pending": self.condor_scale, **self._breakevens()})

    def _breakevens(self) -> dict[str, float]:
        """The book's break-even SPX levels at the condor's expiry (slope_breakeven reports them daily).

        The condor's short strikes moved out by its credit plus the open layers' P&L so far, per condor
        (points): the hedge's gains widen the range the book keeps a profit in, its losses narrow it.
        Skipped on a desk that does not record components (a sweep point reads NAV only).
        """
        if not self.desk.components:
            return {}
        values = self.desk.ledger.some_component_values(L.component for L in self.layers)
        hedge = sum(values[L.component] for L in self.layers)
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
        if isinstance(action, AddLayer) and action.cap:  # the policy's hedge cap cut it (book.cap_contracts)
            cap_usd = getattr(self.cfg.hedge, action.cap, math.nan)
            self.capital.cap(action.wanted, action.contracts, f"add layer L{self._next_layer_id} x{action.wanted}",
                             f"hedge.{action.cap} {usd(cap_usd)}"  # a capital cut, as the condor's caps
                             + (f": {action.cap_counted}" if action.cap_counted else ""))
            if action.contracts < 1:  # cut to 0: refused, nothing traded (the rule fired as rule!cap)
                return ""
        self._last_action_bar = i
        if isinstance(action, RemoveLayer):
            layer = next(L for L in self.layers if L.layer_id == action.layer_id)
            left = self._exit_layer(layer, action.reason, snap)  # (an option layer closing for nothing: left)
            return f"remove L{layer.layer_id} ({action.reason}{'+' + LEFT if left else ''})"
        if action.tenor_months not in (0, self.cfg.hedge.tenor_months):
            new = self._new_layer_contract(i, action.tenor_months)
        self.carry_usd = action.carry_usd
        return self._add_layer(action, snap, *new)

    def finish(self) -> None:
        """End of the run: report the P&L so far of the layers still open (layers.csv ``exit_reason = "open"``, as
        condors.csv's, and no exit date: a researcher's trial found it blank), and the condor still open (condors.csv
        row with ``exit_reason = "open"`` and no exit date)."""
        for L in self.layers if self.journal else ():
            row = self.layer_log[L.layer_id]
            row.pnl_usd, row.exit_reason = round(self.desk.ledger.component_value(L.component), 2), "open"
        self._settle_left(expired=False)  # (the layers left to expire still open: their marks)
        note = self.unlisted_note()
        if note:
            log.warning(note)
            self.policy_notes = (*self.policy_notes, note)
        if self.condor is not None:
            self._log_condor("open")
            self.condor_log[-1]["exit_date"] = None

    # ------------------------------------------------------------------ decision log
    def signals_log(self) -> pd.DataFrame:
        """Return signals.csv: per bar of the run, the signal values, the rules that fired and the actions."""
        decisions = pd.DataFrame(self.decision_rows).set_index("date")
        frame = self.sigs.frame().loc[decisions.index].join(decisions)
        ad = frame.get("ad_weakening")
        if ad is not None and ad.notna().any():  # a flag like the others (True / False), not 1.0 / 0.0; empty (NaN)
            frame["ad_weakening"] = pd.Series([v if v != v else bool(v) for v in ad], index=frame.index, dtype=object)
        if self.cfg.hedge.mode is HedgeMode.VXTH:  # VXTH trades on the bar's own VX, whatever the signal delay
            own = self._own_front_vx.loc[frame.index]
            frame["vxth_weight"] = [vxth_weight(v, self.cfg.hedge.vxth) for v in own]
        return frame


def _acted(decision: Decision, done: list[str]) -> list[str]:
    """The decision's rule ids that acted (signals.csv ``rule_ids``): without ``flattening_placement`` on a bar whose
    placement was restrikes alone and each one was skipped (a call would sell for 0) or refused at the fill, so
    left the layer as it was (trial PX2: 13 such bars counted on a 2007-2022 call-spread run); with ``roll`` on a bar
    whose actions roll a layer, whether or not the policy said so (a plug-in's :func:`strategies.hedge.due_rolls`
    returns the rolls alone: trial API39 M4 read 0 rolls of a plug-in that rolled 3 times)."""
    acted = list(decision.acted)
    if "roll" not in acted and any(isinstance(a, RollLayer) for a in decision.actions):
        acted.append("roll")
    if "flattening_placement" in acted and not any(isinstance(a, AddLayer) and FLAT_OTM in a.reason
                                                   for a in decision.actions):
        restruck = [d for a, d in zip(decision.actions, done) if isinstance(a, RestrikeLayer)]
        if restruck and all(" skipped" in d or " refused" in d for d in restruck):
            acted.remove("flattening_placement")
    return acted
