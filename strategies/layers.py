"""The hedge layers' execution: open, roll, restrike and close layers on the desk, and layers.csv (pure).

:class:`LayerActions` is the half of :class:`~strategies.trader.Trader` that turns the policy's layer
actions into fills: the contract a new layer uses, its unit price and SPX-vega equivalent, the hedge
budget and buying-power fit, and the layer log (:class:`LayerLog`, one row of layers.csv per layer;
kept only when the trader keeps its journal). It reads and writes the trader's state (``cfg``,
``market``, ``desk``, ``capital``, ``sigs``, ``condor``, ``layers``, ``layer_log``, ``journal``).

A removal (the policy's ``RemoveLayer``: a crossover, a review, a divergence; or a margin call) of a VIX option layer
whose close would bring nothing after fees (:meth:`LayerActions._closes_for_nothing`: per unit, its long call sold and a
spread's short call bought back at their fill prices, x 100, less a fee a leg, <= 0 under the execution config; at
bid/ask and $1.10 a leg: a spread whose long call bids at most 0.022 above the short call's ask, a call bid at most
0.011) closes nothing: left open, it pays its payoff at expiry, never below 0, and needs no Reg-T margin, so a close
could only lose (trial MRG33B: such closes had left Reg-T day-end excess liquidity below 0, and margin calls closing
condors followed). The layer leaves the book (the policy, the caps and the hedge budget no longer see it) but its legs
stay in the ledger under its component, marked each day at their mid, cash-settled at their expiry at the SOQ like any
VIX option held; layers.csv ``exit_reason`` is the rule's plus ``+left_to_expire`` and its ``pnl_usd`` counts the
settlement. A roll leaves such legs likewise (signals.csv ``roll L3 (roll_out+left_to_expire)``) and opens the layer's
new legs beside them, under the same component (a roll then refused for buying power: ``exit_reason``
``roll_out!buying_power+left_to_expire``). A ruin's liquidation abandons such a layer at 0 (:mod:`strategies.ruin`);
a restrike that would sell a call for 0 (the layer's long call or its new short one:
:meth:`LayerActions._sells_for_nothing`) is skipped (signals.csv ``restrike L3 skipped: ...``); a restrike whose old
legs would close for a debit still trades (it buys the new spread the placement asks for).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, replace

from feeds import calendars
from strategies import policies
from strategies.book import (CLOSE_TOLERANCE_USD, AddLayer, Layer, RestrikeLayer, UnitQuote, layer_legs,
                            opening_sessions, vx_layer_month)
from strategies.capital import scaled
from strategies.snapshot import Snapshot
from vixhedge.bridge import spx_vega_equivalent
from vixhedge.core.config import HedgeInstrument, HedgeMode
from vixhedge.core.desk import fee_per_contract, fill_price
from vixhedge.core.instruments import Contract, Right
from vixhedge.fmt import usd


@dataclass
class LayerLog:
    """One row of layers.csv: the layer, the rule that opened it and the values it saw, its exit."""

    layer_id: int
    instrument: str
    contracts: int
    notional_usd: float
    size_multiple: float  # the first layer's notional it was sized at (1.0 first; next / expanding multiple later)
    premium_usd: float
    trigger: str
    entry_date: dt.date
    entry_vx: float
    entry_macd: float
    entry_signal: float
    entry_hist: float
    entry_macd_slope: float
    entry_rsi: float
    entry_front_vx: float
    legs: str
    exit_rule: str = ""
    rolls: int = 0
    restrikes: int = 0
    exit_date: dt.date | None = None
    exit_reason: str = ""
    exit_vx: float = float("nan")
    exit_macd: float = float("nan")
    exit_hist: float = float("nan")
    pnl_usd: float = float("nan")

class LayerActions:
    """The trader's layer actions (mixed into :class:`~strategies.trader.Trader`)."""

    def _trading_days_to(self, i: int, day: dt.date) -> int:
        """Sessions from day ``i`` (included) to ``day`` (excluded), on the exchange calendar (past the data too)."""
        today = self.market.days[i]
        return calendars.business_days_between(today, day) if day >= today else -1

    def _new_layer_contract(self, i: int, tenor: int, roll: bool = False) -> tuple[dt.date, float, float | None]:
        """Return (expiry, VX future price, fixed call strike or None) of a layer opened (``roll``: rolled) today
        on ``tenor``: a new layer skips months it would roll out of before its next review (book.opening_sessions),
        a roll those within ``roll_days``."""
        cfg, market = self.cfg.hedge, self.market
        if cfg.mode is HedgeMode.VXTH:
            expiry = market.vx_sessions(i, self._layer_month(i, 1, cfg.vxth.min_sessions))[0]
            strike = market.vix_chain(i, expiry).nearest_delta(Right.CALL, cfg.vxth.call_delta)
            return expiry, float(market.vx_quote(i, expiry).mid), strike
        near = cfg.roll_days if roll else opening_sessions(cfg)
        expiry = market.vx_sessions(i, self._layer_month(i, tenor, near))[0]
        return expiry, float(market.vx_quote(i, expiry).mid), None

    def _layer_month(self, i: int, tenor: int, near: int) -> int:
        """The VX month (1 = front) a layer opens in on day ``i``: :func:`~strategies.book.vx_layer_month`, or the
        furthest month listed that day where the exchange had not listed that one yet (the CFE listed 3 to 5
        months on days of 2004-2006; a tenor of 4 to 6 reached past them), kept for the run's note
        (:meth:`~strategies.trader.Trader.finish`)."""
        market = self.market
        month, listed = vx_layer_month(tenor, market.vx_dte(i), near), market.vx.listed_on(i)
        if month <= listed or self._priced(i, month):
            return month
        self.unlisted_months.append((market.days[i], month, listed))
        return listed

    def _priced(self, i: int, month: int) -> bool:
        """Whether the ``month``-th VX contract after day ``i`` has a price that day (listed, or modelled)."""
        vx = self.market.vx
        try:
            column = vx.column(vx.nth_contract(i, month).settlement)
        except IndexError:  # past the last contract the market holds
            return False
        return bool(math.isfinite(vx.prices[i, column]))

    def unlisted_note(self) -> str:
        """The run's note on the days :meth:`_layer_month` opened a layer on the furthest listed month ("" if none)."""
        if not self.unlisted_months:
            return ""
        days = sorted({day for day, _, _ in self.unlisted_months})
        day, month, listed = self.unlisted_months[0]
        return (f"on {len(days)} session{'s' * (len(days) != 1)} ({days[0]}..{days[-1]}) the VX month a layer would "
                f"open in was not listed yet (month {month} on {day}, {listed} listed): those layers opened on the "
                f"furthest listed month; a shorter hedge.tenor_months keeps to the configured one")

    def _vx_price(self, i: int, month: int) -> float:
        """Today's mid of the ``month``-th listed VX contract (1 = front)."""
        return float(self.market.vx_quote(i, self.market.vx_sessions(i, month)[0]).mid)

    def _exit_rule(self) -> str:
        cfg = self.cfg.hedge
        roll = f"rolled {cfg.roll_days} sessions before expiry"
        name = cfg.policy_name
        if name == "vxth":
            return "held to settlement (VXTH); new calls at the next VIX expiration"
        if name == "static":
            return f"held; {roll}"
        if name == "placebo":
            return f"held its drawn sessions_held (placebo); {roll}"
        if name not in policies.BUILTINS:  # the trader rolls a plug-in's layers only at settlement, with roll_days 0
            reopen = cfg.roll_days == 0 and cfg.mode is not HedgeMode.VXTH
            held = "at settlement reopened on the next contract (hedge.roll_days = 0)" if reopen else \
                "else held to settlement"
            return f"by the plug-in policy {name} (its RemoveLayer and RollLayer actions); {held}"
        div = "; bullish divergence" if cfg.divergence.enabled else ""
        return f"on_cross_down={cfg.on_cross_down.value} on the opposite crossover or easing review{div}; {roll}"

    def _instrument(self) -> HedgeInstrument:
        return HedgeInstrument.VIX_CALL if self.cfg.hedge.mode is HedgeMode.VXTH else self.cfg.hedge.instrument

    def _unit_quote(self, i: int, expiry: dt.date, fut: float, strike: float | None,
                    long_otm: float | None = None) -> UnitQuote:
        """One unit of a layer opened today on ``expiry`` (an option layer's long call at ``strike``, else at
        ``long_otm``, default ``hedge.spread_long_otm``)."""
        inst = self._instrument()
        legs = layer_legs(inst, expiry, fut, 1, self.cfg.hedge, long_otm=long_otm, strike=strike)
        if inst is HedgeInstrument.VX_FUTURE:
            return UnitQuote(fut * 1000.0, 0.0, self._spx_vega(self.market.quote(legs[0][0], i).vix_beta * 1000.0, i))
        premium = vix_vega = 0.0
        for contract, q in legs:
            quote = self.market.quote(contract, i)
            premium += q * fill_price(quote, q, self.cfg.execution) * contract.multiplier
            vix_vega += q * quote.vix_beta * contract.multiplier
        return UnitQuote(fut * 100.0, premium, self._spx_vega(vix_vega, i))

    def _spx_vega(self, usd_per_vix_point: float, i: int) -> float:
        """Express a hedge's VIX-point exposure in SPX vega at the open condor's tenor (vixhedge.bridge)."""
        t = self.market.t_years(i, self.condor.legs.expiry) if self.condor is not None else None
        m = self.market.cfg
        return spx_vega_equivalent(usd_per_vix_point, t, m.spx_smile.vix_to_atm, m.vx_curve.mean_reversion_per_year)

    def _add_layer(self, action: AddLayer, snap: Snapshot, expiry: dt.date, fut: float, strike: float | None) -> str:
        inst = self._instrument()
        unit_legs = layer_legs(inst, expiry, fut, 1, self.cfg.hedge, long_otm=action.long_otm, strike=strike)
        lid = self._next_layer_id  # named in its cuts (capital_cuts.csv): a refused add keeps its id unused
        n = self._hedge_fit(unit_legs, action.contracts, f"add layer L{lid} x{action.contracts}")
        if n < 1:
            self._next_layer_id += 1  # the next add is another order: its cuts name another layer
            return f"add L{lid} refused ({action.reason})"
        legs = scaled(unit_legs, n)
        unit = 1000.0 if inst is HedgeInstrument.VX_FUTURE else 100.0
        layer = Layer(self._next_layer_id, inst, legs, n * fut * unit, action.reason, self.desk.today, 0.0,
                      action.long_otm, self._exit_rule(), action.tenor_months)
        self._next_layer_id += 1
        premium = self._trade_legs(legs, 1, layer.component, action.reason)
        layer = _with(layer, premium_usd=premium)
        if not self.layers:
            self.first_notional = layer.notional_usd
        self.layers = self.layers + (layer,)
        self.layers_opened += 1
        if self.journal:
            self.layer_log[layer.layer_id] = LayerLog(
                layer.layer_id, inst.value, n, round(layer.notional_usd, 2), action.size_multiple, round(premium, 2),
                action.reason, self.desk.today, round(snap.vx, 4), round(snap.macd, 6), round(snap.signal, 6),
                round(snap.hist, 6), round(snap.macd_slope, 6), round(snap.rsi, 4), round(snap.front_vx, 4),
                legs_text(legs), layer.exit_rule)
        return f"add L{layer.layer_id} x{n} ({action.reason})"

    def _roll_layer(self, i: int, layer_id: int, settled: bool = False) -> str:
        """Roll a layer to its tenor's contract (``settled``: it settled this morning, only reopen it)."""
        old = next(L for L in self.layers if L.layer_id == layer_id)
        left = not settled and self._leave(i, old)  # (its close would bring nothing: its legs left to expire)
        if not settled and not left:
            self._trade_legs(old.legs, -1, old.component, "roll_out")
        tag = f" (roll_out+{LEFT})" if left else ""
        expiry, fut, _ = self._new_layer_contract(i, old.tenor_months or self.cfg.hedge.tenor_months, roll=True)
        unit_legs = layer_legs(old.instrument, expiry, fut, 1, self.cfg.hedge, long_otm=old.long_otm)
        n = self.capital.fit(unit_legs, old.contracts, f"roll L{layer_id}")  # the old legs are sold or left
        if n < 1:
            self._drop_layer(old, f"roll_out!buying_power{'+' + LEFT if left else ''}", self.sigs.snapshot(i))
            what = "dropped, old legs left to expire" if left else "closed"
            return f"roll L{layer_id} refused: {what} (buying power)"
        legs = scaled(unit_legs, n)
        premium = self._trade_legs(legs, 1, old.component, "roll_in")
        unit = 1000.0 if old.instrument is HedgeInstrument.VX_FUTURE else 100.0
        self._replace(_with(old, legs=legs, notional_usd=n * fut * unit, premium_usd=premium))
        if self.journal:
            log_row = self.layer_log[layer_id]
            log_row.rolls += 1
            log_row.legs = legs_text(legs)
        return f"roll L{layer_id}{tag}"

    def _restrike_layer(self, i: int, action: RestrikeLayer) -> str:
        old = next(L for L in self.layers if L.layer_id == action.layer_id)
        fut = float(self.market.vx_quote(i, old.expiry).mid)
        legs = layer_legs(old.instrument, old.expiry, fut, old.contracts, self.cfg.hedge, long_otm=action.long_otm)
        free = self._sells_for_nothing(i, _bought(old.legs) + [c for c, q in legs if q < 0])  # old long, new short
        if free is not None:  # selling it brings nothing and costs its fee: the layer stays as it is
            return f"restrike L{old.layer_id} skipped: {free.symbol} would sell for 0 ({action.reason})"
        close = tuple((c, -q) for c, q in old.legs)
        if self.capital.fit(legs, 1, f"restrike L{old.layer_id}", base=close) < 1:
            return f"restrike L{old.layer_id} refused ({action.reason})"
        self._trade_legs(old.legs, -1, old.component, action.reason)
        premium = self._trade_legs(legs, 1, old.component, action.reason)
        self._replace(_with(old, legs=legs, premium_usd=premium, long_otm=action.long_otm))
        if self.journal:
            log_row = self.layer_log[old.layer_id]
            log_row.restrikes += 1
            log_row.legs = legs_text(legs)
        return f"restrike L{old.layer_id} otm={action.long_otm:g} ({action.reason})"

    def _hedge_fit(self, unit_legs: tuple[tuple[Contract, int], ...], n: int, what: str) -> int:
        """Cut a new layer of ``n`` units to the hedge budget (margin + premium, a share of NAV), then to buying
        power."""
        i, cap = self.desk.day_index, self.capital
        unit_premium = sum(q * fill_price(self.market.quote(c, i), q, self.cfg.execution) * c.multiplier
                           for c, q in unit_legs if c.is_option)
        used = sum(cap.hedge_use(L.legs, L.premium_usd) for L in self.layers)
        per_unit = cap.hedge_use(unit_legs, unit_premium)
        room = cap.hedge_budget_usd(self.desk.ledger.nav) - used
        limit = math.floor(room / per_unit) if per_unit > 0 else n
        frac = self.cfg.margin.hedge_budget_nav_fraction
        n = cap.cap(n, limit, what, f"hedge budget {frac:g} x NAV: {usd(max(room, 0))} left, {usd(per_unit)} a unit")
        return cap.fit(unit_legs, n, what)

    def _replace(self, new: Layer) -> None:
        self.layers = tuple(new if L.layer_id == new.layer_id else L for L in self.layers)

    def _trade_legs(self, legs: tuple[tuple[Contract, int], ...], sign: int, component: str, reason: str) -> float:
        """Trade ``sign`` x ``legs``; return the net premium paid in USD (received < 0)."""
        paid = 0.0
        for contract, q in legs:
            fill = self.desk.execute(contract, sign * q, component, reason)
            if contract.is_option:
                paid += sign * q * fill.price * contract.multiplier
        return paid

    def _exit_layer(self, layer: Layer, reason: str, snap: Snapshot) -> bool:
        """Close ``layer`` for ``reason`` (a removal, a margin call) and drop it; return True when it was left to
        expire instead (:meth:`_leave`; see the module docstring)."""
        left = self._leave(self.desk.day_index, layer)
        if not left:
            self._trade_legs(layer.legs, -1, layer.component, reason)
        self._drop_layer(layer, f"{reason}+{LEFT}" if left else reason, snap)
        return left

    def _sells_for_nothing(self, i: int, sold: list[Contract]) -> Contract | None:
        """Return the first VIX option of ``sold`` whose sale on day ``i`` would fill at 0 or less (its bid under
        ``execution.fill = "bid_ask"``; :func:`~vixhedge.core.desk.fill_price`), else None: a restrike's test (the
        layer's long call, a spread's new short call; selling such a call brings nothing and costs its fee). Whether
        a removal, a margin call or a roll closes a layer is :meth:`_closes_for_nothing`'s."""
        return next((c for c in sold if c.is_option and fill_price(self.market.quote(c, i), -1,
                                                                    self.cfg.execution) <= 0), None)

    def _closes_for_nothing(self, i: int, legs: tuple[tuple[Contract, int], ...]) -> bool:
        """Whether closing ``legs`` (a VIX call or call spread layer's) on day ``i`` would bring nothing after fees:
        per unit (each leg holds as many contracts), the long call sold and a spread's short call bought back
        at their fill prices (:func:`~vixhedge.core.desk.fill_price`: the bid and the ask under ``execution.fill =
        "bid_ask"``), less a fee a leg (:func:`~vixhedge.core.desk.fee_per_contract`), <= 0. Such a close can only
        lose: left open, the layer pays its payoff at the settlement, never below 0, and needs no Reg-T margin (a long
        call or a debit spread, paid for). A VX future (no such payoff floor) always closes."""
        if not legs or not all(c.is_option for c, _ in legs):
            return False
        per_unit = sum((1 if q > 0 else -1) * fill_price(self.market.quote(c, i), -q, self.cfg.execution)
                       * c.multiplier for c, q in legs)  # (the long call first: OptionSlots.closes_for_nothing's sum)
        return per_unit - sum(fee_per_contract(c, self.cfg.execution) for c, _ in legs) <= CLOSE_TOLERANCE_USD

    def _leave(self, i: int, layer: Layer) -> bool:
        """Leave the legs of ``layer`` to expire when closing them would bring nothing after fees
        (:meth:`_closes_for_nothing`; a removal, a margin call, a roll): return True when they are left (nothing
        traded)."""
        if not self._closes_for_nothing(i, layer.legs):
            return False
        self.layers_left[(layer.layer_id, layer.expiry)] = layer  # (a rolled layer's new legs expire later)
        return True

    def _settle_left(self, expired: bool = True) -> None:
        """The legs left to expire that settled this morning (every one still open: ``expired`` False, the run's
        end): layers.csv ``pnl_usd`` is their component's value now, the settlement (or the marks) counted (a layer
        still open, or left again, after a roll left its old legs: its exit or the run's end writes it again)."""
        today = self.desk.today
        for key, layer in list(self.layers_left.items()):
            if layer.expiry <= today or not expired:
                if self.journal:
                    self.layer_log[layer.layer_id].pnl_usd = round(self.desk.ledger.component_value(layer.component), 2)
                del self.layers_left[key]

    def _drop_layer(self, layer: Layer, reason: str, snap: Snapshot) -> None:
        self.layers = tuple(L for L in self.layers if L.layer_id != layer.layer_id)
        if not self.journal:
            return
        row = self.layer_log[layer.layer_id]
        row.exit_date, row.exit_reason = self.desk.today, reason
        row.exit_vx, row.exit_macd, row.exit_hist = round(snap.vx, 4), round(snap.macd, 6), round(snap.hist, 6)
        row.pnl_usd = round(self.desk.ledger.component_value(layer.component), 2)

def _with(layer: Layer, **changes) -> Layer:
    return replace(layer, **changes)


LEFT = "left_to_expire"  # the tag of a removal or a roll that left a layer's legs to expire (layers.csv, signals.csv)


def _bought(legs: tuple[tuple[Contract, int], ...]) -> list[Contract]:
    return [c for c, q in legs if q > 0]


def legs_text(legs: tuple[tuple[Contract, int], ...]) -> str:
    return "; ".join(f"{q:+d} {c.symbol}" for c, q in legs)
