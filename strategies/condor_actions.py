"""The condor's execution: open, exit, cut and log the short iron condor on the desk, and condors.csv (pure).

:class:`CondorActions` is the half of :class:`~strategies.trader.Trader` that turns the condor rules
(:mod:`strategies.condor`: entry schedule, strikes, size, exits) into fills: the entry (sized, cut to the
capital caps and buying power), the exit by the condor's rules, the partial buy-back of ``condor_vega_cut``, and
the condor log (one row of condors.csv per condor). It reads and writes the trader's state (``cfg``, ``market``,
``desk``, ``capital``, ``sigs``, ``selector``, ``condor``, ``condor_scale``, ``traded_expiries``, ``condor_log``).

An exit leaves open the wings that would sell for 0 (:func:`strategies.condor.wings_left`): such a wing stays in
the ledger under its condor component (``condor:put`` / ``condor:call``), marked each day at its mid like any
position, cash-settled at its expiry by the desk at its intrinsic value; it needs no margin (a long option is
paid for) and its P&L stays the condor's (condors.csv ``pnl_usd`` counts every flow on the condor's legs,
``wings_left`` names the wings left). A margin call leaves them too (``Trader._cure_breach``: a lone long wing
needs no margin, so selling it at 0 cures nothing and costs its fee), from each condor it closes, and so does the
partial buy-back of ``condor_vega_cut`` from the contracts it cuts; a ruin's liquidation sells them with every other
position at the day's bid, fee paid, or abandons one whose sale would bring nothing after its fee (at 0, no fee:
:mod:`strategies.ruin`; one capital_cuts.csv row per wing).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from strategies import condor as cc
from strategies import selectors
from strategies.book import CutCondor, condor_cut
from vixhedge.core.config import CondorEntry
from vixhedge.core.desk import fill_price
from vixhedge.core.instruments import Contract, Right

CONDOR = "condor"
CONDOR_LOG_COLUMNS = ("entry_date", "expiry", "exit_date", "exit_reason", "contracts", "long_put", "short_put",
                      "short_call", "long_call", "credit_points", "entry_reason", "vega_scale", "nav_at_entry_usd",
                      "max_loss_usd", "contracts_cut", "wings_left")  # a row of condor_log (_log_condor), condors.csv


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
    left: tuple[Contract, ...] = ()  # wings partial margin calls and cuts left open (logged at the final close)
    held_back: int = 0  # entry bar: contracts of the sized entry not opened, the bar's divergence cut (no round trip)
    cut_at_entry: int = 0  # of ``cut``: held back on the entry bar and cut there, never opened (_entry_cut)
    pairs: tuple[tuple[Contract, int], ...] = field(init=False, repr=False)  # legs.legs(): read on every bar it is open

    def __post_init__(self) -> None:
        self.pairs = self.legs.legs()

    @property
    def opened(self) -> int:
        """The contracts it was sized with (still open, cut by the policy, closed by a margin call or a ruin)."""
        return self.contracts + self.cut + self.called + self.held_back

    @property
    def decided(self) -> int:
        """The contracts the hedge policy sees on the bar (the entry's size on its entry bar, held back ones too)."""
        return self.contracts + self.held_back


class CondorActions:
    """The trader's condor actions (mixed into :class:`~strategies.trader.Trader`)."""

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
        expiry = self._entry_expiry(roll)
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
        held = self._entry_cut(i, n)  # the bar's divergence cut of it: not opened, rather than opened and bought back
        for contract, q in legs.legs():
            fill = self.desk.execute(contract, q * (n - held), condor_component(contract), "open")
            credit -= q * fill.price
        self.condor = OpenCondor(legs, n - held, credit, self.desk.today, reason, self.condor_scale, nav,
                                 held_back=held)
        self.condor_scale = 1.0
        self.traded_expiries.add(legs.expiry)

    def _entry_cut(self, i: int, n: int) -> int:
        """Return the contracts of an entry of ``n`` condors the bar's bullish divergence will cut
        (``hedge._divergence``'s ``condor_vega_cut``, the alvh policy: ``book.condor_cut``), which the entry does not
        open: opened and bought back on the same bar at the same prices, they would be a pure round trip (spread and
        fees twice). The policy still decides on the entry's ``n`` (``OpenCondor.decided``); its cut is then
        recorded without a trade (:meth:`_cut_condor`), and :meth:`_open_held_back` opens any it did not cut."""
        d = self.cfg.hedge.divergence
        if not self.cfg.hedge.reads_signals or not d.enabled:  # alvh, or a plug-in that may wrap it (API31: a
            return 0  # wrapper of decide_alvh opened the cut contracts and bought them back on the same bar)
        snap = self.sigs.snapshot(i)
        return int(condor_cut(d.condor_cut, n)) if snap.valid and snap.divergence > 0 else 0

    def _open_held_back(self) -> None:
        """Open the contracts :meth:`_entry_cut` held back that the bar's policy did not cut (its decision was
        not the predicted one: a plug-in's, or refused), at the entry's fills."""
        c = self.condor
        if c is None or not c.held_back:
            return
        for contract, q in c.legs.legs():
            self.desk.execute(contract, q * c.held_back, condor_component(contract), "open")
        c.contracts += c.held_back
        c.held_back = 0

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

    def _entry_expiry(self, roll: bool) -> dt.date | None:
        """The expiry an entry opens today: the untraded standard monthly one with DTE in [min_dte, max_dte]
        closest to target_dte (a roll, or ``entry = "dte"``), or so within the calendar window (``"calendar"``)."""
        cfg, today = self.cfg.condor, self.desk.today
        if roll or cfg.entry is not CondorEntry.CALENDAR:
            return cc.dte_entry_expiry(today, cfg, self.traded_expiries)
        return cc.calendar_entry_expiry(today, cfg, self.traded_expiries)

    def _credit_at_fill(self, i: int, legs: cc.CondorLegs) -> float:
        """Return the per-condor credit opening ``legs`` would receive at today's fill prices (points)."""
        return -sum(q * fill_price(self.market.quote(k, i), q, self.cfg.execution) for k, q in legs.legs())

    def _cost_to_close(self, c: OpenCondor) -> float:
        """Return the per-condor cost of closing at today's fill prices (points, paid > 0)."""
        cost = 0.0
        for contract, q in c.pairs:
            quote = self.market.quote(contract, self.desk.day_index)
            cost -= q * fill_price(quote, -q, self.cfg.execution)
        return cost

    def _condor_vega_usd(self, i: int) -> float:
        c = self.condor
        if c is None:
            return 0.0
        vega = sum(q * self.market.quote(k, i).vega for k, q in c.pairs)
        return abs(vega * c.decided * 100.0)  # (on an entry bar, the size the policy decides on)

    def _close_condor(self, reason: str) -> None:
        """Exit the condor by its rules: buy back the shorts, sell the wings but those that would sell for 0
        (:func:`strategies.condor.wings_left`: they stay open to expiry, see the module docstring)."""
        c = self.condor
        assert c is not None
        left = self._wings_left(c)
        for contract, q in c.legs.legs():
            if contract not in left:
                self.desk.execute(contract, -q * c.contracts, condor_component(contract), reason)
        self._log_condor(reason, left)

    def _wings_left(self, c: OpenCondor) -> tuple[Contract, ...]:
        """The wings of ``c`` a close today leaves open: those that would sell for 0 (:func:`cc.wings_left`)."""
        i, execution = self.desk.day_index, self.cfg.execution
        return cc.wings_left(c.legs, lambda k: fill_price(self.market.quote(k, i), -1, execution))

    def _log_condor(self, reason: str, left: tuple[Contract, ...] = ()) -> None:
        c = self.condor
        assert c is not None
        L = c.legs
        wings = {(L.long_put, Right.PUT): "long_put", (L.long_call, Right.CALL): "long_call"}
        left_keys = {(k.strike, k.right) for k in (*left, *c.left)}  # and those partial margin calls left earlier
        self.condor_log.append({
            "entry_date": c.entry_date, "expiry": L.expiry, "exit_date": self.desk.today, "exit_reason": reason,
            "contracts": c.opened, "long_put": L.long_put, "short_put": L.short_put,
            "short_call": L.short_call, "long_call": L.long_call, "credit_points": round(c.credit_points, 4),
            "entry_reason": c.entry_reason, "vega_scale": c.scale, "nav_at_entry_usd": round(c.nav_at_entry_usd, 2),
            # over the contracts that traded: those held back and cut on the entry bar never opened
            "max_loss_usd": round((c.opened - c.cut_at_entry) * 100 * (L.max_width_points - c.credit_points), 2),
            "contracts_cut": c.cut, "wings_left": ";".join(name for key, name in wings.items() if key in left_keys)})
        self.condor = None

    def _cut_condor(self, action: CutCondor) -> str:
        """Buy back part of the open condor (condor_vega_cut), keeping at least one contract: a larger cut stops at
        one left; with one left it is a no-op, logged blocked (``cut_condor!one_contract_left``). Like an exit, it
        leaves the cut contracts' wings that would sell for 0 open (logged at the condor's final close)."""
        c = self.condor
        assert c is not None
        if c.held_back:  # the entry bar's cut: those contracts were never opened (_entry_cut)
            k = min(action.contracts, c.held_back)
            c.held_back -= k
            c.cut += k
            c.cut_at_entry += k
            self._open_held_back()  # (any it did not cut)
            return f"cut_condor x{k} at entry: opened {c.contracts} of {c.opened} ({action.reason})"
        k = min(action.contracts, c.contracts - 1)
        if k < 1:
            return f"cut_condor!one_contract_left ({action.reason})"
        left = self._wings_left(c)
        for contract, q in c.legs.legs():
            if contract not in left:
                self.desk.execute(contract, -q * k, condor_component(contract), f"vega_cut ({action.reason})")
        c.contracts -= k
        c.cut += k
        c.left = (*c.left, *(w for w in left if w not in c.left))
        kept = "" if k == action.contracts else f" of {action.contracts} asked, 1 kept"
        return f"cut_condor x{k}{kept} ({action.reason})"


def condor_component(contract: Contract) -> str:
    """Ledger component of a condor leg: its put spread or its call spread."""
    return f"{CONDOR}:{'put' if contract.right is Right.PUT else 'call'}"
