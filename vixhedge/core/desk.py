"""The desk of one run: the ledger on a market, one trading day at a time (pure, no backtrader).

Each day the desk is opened with :meth:`Desk.open_day`: it accrues interest on yesterday's cash,
cash-settles what expires today at the named proxy (:meth:`feeds.market.Market.settlement_value`)
and marks every open position at the day's mid. The strategy then trades through
:meth:`Desk.execute` (fills at bid/ask with fees, :func:`fill_price`) and the day ends with
:meth:`Desk.record_day`. Both engines drive this same object: backtrader through
:class:`vixhedge.broker.LedgerBroker`, the fast engine through a plain loop (:mod:`vixhedge.run`).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np

from vixhedge.core import margin as mg
from vixhedge.core import implied, pricing
from vixhedge.core.config import ExecutionConfig, FillMode, MarginConfig, MarginMode
from vixhedge.core.instruments import SPX_OPTION, VIX_OPTION, VX_FUTURE, Contract, Kind, Quote
from vixhedge.core.ledger import CashFlow, Fill, Ledger, group_of

RUIN_DEBT = "ruin_debt"  # the component (and reporting group) of the debt a ruin's liquidation leaves, written off


@dataclass(frozen=True, slots=True)
class DayRecord:
    """End-of-day state recorded after the strategy's fills.

    ``components`` and ``groups`` are cumulative values (flows plus marks) per ledger component
    (empty on a desk that does not record them) and per reporting group; the desk records the
    ledger's :meth:`~vixhedge.core.ledger.Ledger.group_values`, a record built by hand without ``groups``
    sums its components per group. ``margin_usd`` is the maintenance requirement of the book and
    ``excess_liquidity_usd`` the equity with loan value above it (:mod:`vixhedge.core.margin`).
    """

    date: dt.date
    cash: float
    nav: float
    components: dict[str, float]
    groups: dict[str, float] | None = None
    margin_usd: float = float("nan")
    excess_liquidity_usd: float = float("nan")

    def __post_init__(self) -> None:
        if self.groups is None:
            groups: dict[str, float] = {}
            for component, value in self.components.items():
                group = group_of(component)
                groups[group] = groups.get(group, 0.0) + value
            object.__setattr__(self, "groups", groups)


_MID, _BID_ASK = FillMode.MID, FillMode.BID_ASK  # read per fill: as module constants (see instruments.VX_FUTURE)


def fill_price(quote: Quote, qty: int, cfg: ExecutionConfig) -> float:
    """Return the price a market order of signed ``qty`` gets under the execution config."""
    if cfg.fill is _MID:
        return quote.mid
    if cfg.fill is _BID_ASK:
        return quote.ask if qty > 0 else quote.bid
    edge = quote.ask - quote.mid if qty > 0 else quote.mid - quote.bid
    return quote.mid + (1 if qty > 0 else -1) * cfg.slippage_fraction * edge


def fee_per_contract(contract: Contract, cfg: ExecutionConfig) -> float:
    kind = contract.kind
    return cfg.fee_spx_option_usd if kind is SPX_OPTION else cfg.fee_vix_option_usd if kind is VIX_OPTION \
        else cfg.fee_vx_future_usd


class Desk:
    """Ledger, fills, settlement and day records of one run on one market.

    With ``components=False`` the day records keep NAV and the per-group values only (what a
    sweep point reads): not every ledger component's value (the run's by-component report), nor the
    margin and excess liquidity (NaN), and the ledger keeps no journal of fills and cash flows.
    """

    def __init__(self, market, execution: ExecutionConfig, rate: float, cash_usd: float,
                 components: bool = True, margin: MarginConfig | None = None) -> None:
        self.market = market
        self.execution = execution
        self.margin_cfg = margin or MarginConfig()
        self._options_cache: tuple[int, int | None, float] | None = None  # (options version, day, USD)
        self._today: tuple[tuple[int, ...], mg.Requirement] | None = None  # the whole book's, per _requirement_key()
        self._loan: tuple[tuple[int, int], float] | None = None  # loan value, per _state()
        self._listing: tuple[int | None, tuple] = (None, ())  # vx_listing(), per day
        self._vols: dict[Contract, tuple[int, float, float]] = {}  # portfolio margin: (day, mark, implied vol)
        self.rate = rate
        self.ledger = Ledger(cash_usd, journal=components)
        self.records: list[DayRecord] = []
        self.settlements: list[CashFlow] = []
        self.day_index = -1
        self.components = components
        self._last_day: dt.date | None = None
        self.closed = False  # a ruined account, liquidated (:meth:`close_account`): no interest, settlement or mark
        self.closed_on: dt.date | None = None  # its ruin day
        # the interest the VX futures' open P&L would have earned (paid, when a loss) had CFE's daily variation been
        # cash in the account, as it is: the ledger keeps that P&L in the marks and pays interest on cash alone, so
        # this is the NAV's error from that simplification, recorded, not booked (trial ACC30; metrics.json pnl),
        # exact where the orders do not depend on it
        self.variation_interest_usd = 0.0

    @property
    def today(self) -> dt.date:
        return self.market.days[self.day_index]

    def open_day(self, i: int) -> None:
        """Start day ``i``: interest on yesterday's cash, today's settlements, marks at today's close (the quote's
        mid, but an intraday snapshot's real quote moved to the close: :meth:`feeds.marketquotes.MarketQuotes.mark`)."""
        day = self.market.days[i]
        self.day_index = i
        if self.closed:  # flat after its ruin: nothing to settle or mark, no interest
            self._last_day = day
            return
        if self._last_day is not None:
            rate, nights = self.market.night_rate(self._last_day), (day - self._last_day).days
            self.ledger.accrue_interest(day, rate, nights)
            # (yesterday's marks; what it earned so far earns too, as cash would)
            variation = self.ledger.futures_value() + self.variation_interest_usd
            self.variation_interest_usd += variation * rate * nights / 365.0
        self._last_day = day
        if self._vols:  # portfolio margin's implied vols: none of an expired contract
            self._vols = {c: v for c, v in self._vols.items() if c.expiry > day}
        for contract in self.ledger.open_contracts():
            if contract.expiry <= day:
                self.settlements.extend(self.ledger.settle(day, contract, self.market.settlement_value(contract)))
        self.remark()

    def remark(self) -> None:
        """Mark every open position at today's close (:meth:`feeds.marketquotes.MarketQuotes.mark`)."""
        m, i = self.market, self.day_index
        open_contracts = self.ledger.open_contracts()
        self.ledger.set_marks({c: m.mark(c, i) for c in open_contracts})  # (the close's: feeds.marketquotes.mark)

    def execute(self, contract: Contract, qty: int, component: str, reason: str) -> Fill:
        """Fill ``qty`` (signed) of ``contract`` at today's quote and book the fee."""
        q = self.market.quote(contract, self.day_index)
        price = fill_price(q, qty, self.execution)
        fee = abs(qty) * fee_per_contract(contract, self.execution)
        fill = self.ledger.fill(self.today, contract, qty, price, fee, component, reason, q.bid, q.ask, q.mid)
        mark = self.market.mark(contract, self.day_index)  # the close's, where an intraday quote filled it
        if mark != q.mid:
            self.ledger.set_marks({contract: mark})
        return fill

    # ------------------------------------------------------------------ margin (vixhedge.core.margin)
    def _book(self) -> dict[Contract, int]:
        book: dict[Contract, int] = {}
        for pos in self.ledger.positions.values():
            book[pos.contract] = book.get(pos.contract, 0) + pos.qty
        return book

    def requirement(self, trades: tuple[tuple[Contract, int], ...] = ()) -> mg.Requirement:
        """Return the margin requirement of the book today, after ``trades`` (signed) if given.

        A function of the day and the positions only (marks and index levels are the day's close):
        kept while neither changes (:meth:`_requirement_key`).
        """
        key = self._requirement_key()
        if not trades and self._today is not None and self._today[0] == key:
            return self._today[1]
        book = self._book()
        for contract, qty in trades:
            book[contract] = book.get(contract, 0) + qty
        init = maint = 0.0
        front, skipped = self.vx_listing()
        for c, q in book.items():
            if q and c.kind is VX_FUTURE:
                i, m = mg.vx_margin(front, c.expiry, self.margin_cfg, skipped)
                init, maint = init + abs(q) * i, maint + abs(q) * m
        req = mg.Requirement(self._options_requirement(book, cacheable=not trades), init, maint)
        if not trades:
            self._today = (key, req)
        return req

    def _requirement_key(self) -> tuple[int, ...]:
        """What the book's requirement depends on: the positions and the day, or, under Reg-T with
        covered options (their requirement does not depend on the day), the positions and the front VX
        contract (VX futures are margined by their listed month seen from today,
        :func:`~vixhedge.core.margin.vx_margin`: it moves when a monthly contract settles)."""
        version = self.ledger.book_version
        cached = self._options_cache
        if not self.portfolio and cached is not None and cached[0] == self.ledger.options_version and \
                cached[1] is None:
            return version, self.vx_listing()
        return version, self.day_index

    def vx_listing(self) -> tuple[tuple[int, int], tuple[tuple[int, int], ...]]:
        """Today's front VX month and the later months not listed today, from the market (the calendar rule and the
        VX files live in feeds): what a VX future's listed month counts from (:func:`~vixhedge.core.margin.vx_margin`)."""
        if self._listing[0] != self.day_index:  # (a function of the day, asked by every requirement: once a day)
            self._listing = (self.day_index, self.market.vx_listing(self.today))
        return self._listing[1]

    def _state(self) -> tuple[int, int]:
        """(day, ledger version): every change of cash, positions or marks changes it."""
        return self.day_index, self.ledger.version

    def _options_requirement(self, book: dict[Contract, int], cacheable: bool) -> float:
        """The options' requirement, kept while the option positions are unchanged (a VX future's fill leaves it; covered
        books do not depend on the day)."""
        version = self.ledger.options_version
        cached = self._options_cache
        if cacheable and cached is not None and cached[0] == version and cached[1] in (None, self.day_index):
            return cached[2]
        options = [(c, q) for c, q in book.items() if c.is_option and q]
        if self.portfolio:
            value = sum(self._portfolio_requirement([(c, q) for c, q in options if c.kind is kind])
                        for kind in (Kind.SPX_OPTION, Kind.VIX_OPTION))
            if cacheable:
                self._options_cache = (version, self.day_index, value)
            return value
        try:
            value, day = mg.requirement(options, None, self.margin_cfg).options_usd, None
        except ValueError:  # uncovered shorts: margined on today's index level and the options' marks
            m, i = self.market, self.day_index
            index = {Kind.SPX_OPTION: float(m.data.spx_close[i]), Kind.VIX_OPTION: float(m.data.vix_close[i])}
            marks = {c: m.mark(c, i) for c, _ in options}
            value, day = mg.requirement(options, None, self.margin_cfg, index, marks).options_usd, i
        if cacheable:
            self._options_cache = (version, day, value)
        return value

    def _portfolio_requirement(self, legs: list[tuple[Contract, int]]) -> float:
        """Portfolio margin of one index's options: worst loss over its valuation points, vols held."""
        if not legs:
            return 0.0
        m, i = self.market, self.day_index
        cfg, rate = m.cfg, float(m.short_rates[i])  # the day's rate, the one its quotes were priced at
        k = np.array([c.strike for c, _ in legs], dtype=float)
        call = np.array([c.right is pricing.Right.CALL for c, _ in legs])
        t = np.array([m.t_years(i, c.expiry) for c, _ in legs])
        now = np.array([m.mark(c, i) for c, _ in legs])
        moves = mg.pm_moves(legs[0][0].kind)[:, None]
        if legs[0][0].kind is Kind.SPX_OPTION:
            spot = float(m.data.spx_close[i])
            vol = self._implied(legs, now, lambda j, guess: implied.implied_vol_bsm(
                now[j], spot, k[j], t[j], rate, cfg.div_yield, call[j], guess=guess))
            at = pricing.bsm_price(spot * (1 + moves), k, t, rate, cfg.div_yield, vol, call)
        else:
            fut = np.array([m.vx_quote(i, c.expiry).mid for c, _ in legs])
            vol = self._implied(legs, now, lambda j, guess: implied.implied_vol_black76(
                now[j], fut[j], k[j], t[j], rate, call[j], guess=guess))
            at = pricing.black76_price(fut * (1 + moves), k, t, rate, vol, call)
        return mg.portfolio_requirement(now, np.atleast_2d(at), np.array([q * c.multiplier for c, q in legs]))

    def _implied(self, legs: list[tuple[Contract, int]], marks: np.ndarray, solve) -> np.ndarray:
        """The legs' implied vols (0 where none) at ``marks``: each solved once per day and mark, Newton starting
        from the contract's last vol (``solve(index array, guess)``; the root is the same to the solver's 1e-10)."""
        i, held = self.day_index, [self._vols.get(c) for c, _ in legs]
        todo = np.array([h is None or h[:2] != (i, m) for h, m in zip(held, marks.tolist())])
        vol = np.array([np.nan if h is None else h[2] for h in held])
        if todo.any():
            guess = vol[todo]
            vol[todo] = np.nan_to_num(solve(todo, np.where(guess > 0, guess, np.nan)))
            self._vols.update((c, (i, m, v)) for (c, _), m, v, new in zip(legs, marks.tolist(), vol.tolist(), todo)
                              if new)
        return vol

    @property
    def portfolio(self) -> bool:
        return self.margin_cfg.mode == MarginMode.PORTFOLIO

    def loan_value(self) -> float:
        """Return the equity with loan value: cash plus the VX futures' open P&L (Reg-T: options carry none;
        portfolio margin: their marks count too, i.e. NAV)."""
        key = self._state()
        if self._loan is None or self._loan[0] != key:
            ledger = self.ledger
            value = ledger.nav if self.portfolio else ledger.cash + ledger.futures_value()
            self._loan = (key, value)
        return self._loan[1]

    def excess_liquidity(self) -> float:
        """Return equity with loan value minus the maintenance requirement (USD)."""
        return self.loan_value() - self.requirement().maintenance_usd

    def buying_power_after(self, trades: tuple[tuple[Contract, int], ...] = (), initial: bool = True) -> float:
        """Return the buying power (loan value - initial requirement) if ``trades`` filled now at today's quotes.

        ``initial=False``: the excess liquidity (loan value - maintenance requirement) after them.
        """
        req = self.requirement(trades)
        return self.loan_value() - self._cost(trades) - (req.initial_usd if initial else req.maintenance_usd)

    def affords(self, trades: tuple[tuple[Contract, int], ...]) -> bool:
        """Return True when ``trades`` leave buying power >= 0 (:meth:`buying_power_after`).

        Under Reg-T, tried first on a bound: the requirement of book + trades is at most the book's plus the
        trades' own (the largest loss of a sum is at most the sum of the largest losses). Not under portfolio
        margin: there a long option's mark counts in the loan value and its scenario loss in the requirement, while
        the trades' own requirement here is Reg-T's (a long option alone needs none), so the bound could pass an
        order that leaves a breach.
        """
        if self.portfolio:
            return self.buying_power_after(trades) >= 0
        try:
            front, skipped = self.vx_listing()
            own = mg.requirement(trades, front, self.margin_cfg, skipped=skipped).initial_usd
        except ValueError:  # uncovered shorts among the trades alone: no cheap bound
            own = math.inf
        if self.loan_value() - self._cost(trades) - self.requirement().initial_usd - own >= 0:
            return True
        return self.buying_power_after(trades) >= 0

    def _cost(self, trades: tuple[tuple[Contract, int], ...]) -> float:
        """Return what ``trades`` take from the loan value at today's fill prices: premium, fees, futures' edge."""
        cost = 0.0
        for contract, qty in trades:
            q = self.market.quote(contract, self.day_index)
            price = fill_price(q, qty, self.execution)
            cost += abs(qty) * fee_per_contract(contract, self.execution)
            if contract.kind is VX_FUTURE or self.portfolio:  # the position counts at its mark after the fill
                cost -= qty * (self.market.mark(contract, self.day_index) - price) * contract.multiplier
            else:
                cost += qty * price * contract.multiplier
        return cost

    def liquidation_value(self, abandoned: tuple[tuple[tuple[Contract, int], ...], ...] = ()) -> float:
        """Return the cash left if every open position were closed now at today's fill prices, fees paid, but the
        groups of legs ``abandoned`` (a ruin's: positions whose payoff is never below 0 and whose close would bring
        nothing, :mod:`strategies.ruin`), counted at 0: left in place of closed (:meth:`abandon`)."""
        value = self.ledger.cash
        for contract, qty in self._book().items():
            if qty:
                value += self._close_value(contract, qty)
        return value - sum(self.close_value(legs) for legs in abandoned)

    def close_value(self, legs: tuple[tuple[Contract, int], ...]) -> float:
        """Return the cash closing ``legs`` (held, signed) at today's fill prices would bring, fees paid."""
        return sum(self._close_value(contract, qty) for contract, qty in legs)

    def abandon(self, contract: Contract, qty: int, component: str, reason: str) -> Fill:
        """Let ``qty`` (signed, reducing) of ``contract`` go at 0, no fee (a ruin's liquidation, :mod:`strategies.ruin`:
        a position worth at least 0 at expiry that a close would pay for): its loss against its mark is its
        component's, as a close at 0 would book it."""
        q = self.market.quote(contract, self.day_index)
        return self.ledger.fill(self.today, contract, qty, 0.0, 0.0, component, reason, q.bid, q.ask, q.mid)

    def _close_value(self, contract: Contract, qty: int) -> float:
        q = self.market.quote(contract, self.day_index)
        price = fill_price(q, -qty, self.execution)
        fee = abs(qty) * fee_per_contract(contract, self.execution)
        if contract.kind is VX_FUTURE:
            basis = sum(p.basis * p.qty for p in self.ledger.positions.values() if p.contract == contract) / qty
            return qty * (price - basis) * contract.multiplier - fee
        return qty * price * contract.multiplier - fee

    def close_account(self) -> tuple[float, float]:
        """Close a ruined account after its liquidation; return (the cash the liquidation left, the debt written off).

        Cash below 0 is a debt to the broker: it is written off as its own line (component and group
        :data:`RUIN_DEBT`), so the account ends at NAV 0, the value its metrics take on the ruin day. From the
        next day the desk is closed: no interest, settlement or mark, NAV stays 0.
        """
        cash = self.ledger.cash
        debt = max(-cash, 0.0)
        if debt:
            self.ledger.write_off(self.today, RUIN_DEBT, debt)
        self.closed, self.closed_on = True, self.today
        return cash, debt

    def record_day(self) -> DayRecord:
        """Record today's end-of-day state (after the strategy's fills)."""
        ledger = self.ledger
        if self.components:
            req = self.requirement().maintenance_usd
            rec = DayRecord(self.today, ledger.cash, ledger.nav, ledger.component_values(), ledger.group_values(), req,
                            self.loan_value() - req)
        else:
            rec = DayRecord(self.today, ledger.cash, ledger.nav, {}, ledger.group_values())
        if self.records and self.records[-1].date == rec.date:
            self.records[-1] = rec
        else:
            self.records.append(rec)
        return rec
