"""Capital guard of one run: buying-power checks on orders, the maintenance check, ruin (pure).

The :class:`~strategies.trader.Trader` asks it before every opening order:

* :meth:`CapitalGuard.fit` sizes an order to the buying power it would leave (equity with loan
  value minus the initial requirement, :mod:`vixhedge.core.margin`, at today's fill prices and fees):
  ``margin.on_insufficient = "reduce"`` trades as many contracts as fit, ``"refuse"`` none;
* :meth:`CapitalGuard.cap` applies a sizing cap (condor max loss / margin as a fraction of NAV,
  the hedge layers' margin + premium budget).

Every reduction or refusal is written to the day's decision-log notes (signals.csv column ``capital``) with the
numbers behind it, and kept structured for the run folder (:attr:`CapitalGuard.cuts`, capital_cuts.csv:
:func:`cuts_frame`), by kind: ``buying_power``, ``cap``, ``margin_call`` (a new layer refused in a session that
opened with a margin call, metrics.json ``capital.days_layer_refused_by_margin_call``; or a layer or condors the
margin call's cure closed, verb ``close``, or left to expire, verb ``leave``: :meth:`CapitalGuard.cure`), ``ruin``
(what the ruin's liquidation closed, likewise). At the open of each day
:meth:`CapitalGuard.check` returns whether the maintenance requirement is breached; the trader then cures it, and in
a session that opened with a breach no new hedge layer opens (:meth:`CapitalGuard.fit` refuses it: a margin call is
not undone the same day; rolls of held layers and condor entries still go, checked for buying power).

NAV <= 0, or a breach that closing everything at today's fill prices would not cure (liquidation value
<= 0), is a **ruin**. The account is liquidated that day as a broker would: every position closed at the
day's bid/ask with fees (reason ``ruin``), but a group whose payoff is never below 0 and whose close would bring
nothing after fees (a VIX call spread layer bought, a call, a wing left open), abandoned at 0 instead
(:mod:`strategies.ruin`; reason ``ruin+abandoned``, verb ``abandon``), and the liquidation value counts it so;
the cash left, at most 0, is a debt written off as its own
P&L line (:meth:`CapitalGuard.close_account`, group ``ruin_debt``), so NAV is 0 from the ruin day on, and
nothing trades, settles, is marked or earns interest after it.
"""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from vixhedge.core.config import MarginConfig, OnInsufficient
from vixhedge.core.desk import Desk
from vixhedge.core.instruments import Contract, Kind
from vixhedge.core.margin import vx_margin
from vixhedge.fmt import usd

log = logging.getLogger("vixhedge.capital")

Trades = tuple[tuple[Contract, int], ...]


def scaled(unit: Trades, k: int) -> Trades:
    return tuple((c, q * k) for c, q in unit)


@dataclass(frozen=True, slots=True)
class CapitalCut:
    """One order the guard cut: ``what`` (``condor``, ``add layer L4 x2``: the layer id the add takes, left unused
    when refused, so two adds of one session are two rows, ``roll L5``, ...) from ``wanted`` to
    ``allowed`` contracts, and why. Its text (``str``) is the note in signals.csv's ``capital`` column,
    ``condor reduce 10->9 (max loss cap 0.25 x NAV)``; its fields are a row of capital_cuts.csv
    (:func:`cuts_frame`)."""

    what: str
    verb: Literal["reduce", "refuse", "close", "leave", "abandon"]
    wanted: int
    allowed: int
    why: str

    def __str__(self) -> str:
        return f"{self.what} {self.verb} {self.wanted}->{self.allowed} ({self.why})"


CutKind = Literal["buying_power", "cap", "margin_call", "ruin"]
CUT_COLUMNS = ("date", "kind", "what", "verb", "wanted", "allowed", "why")  # capital_cuts.csv


def cuts_frame(cuts: list[tuple[dt.date, CutKind, CapitalCut]]) -> pd.DataFrame:
    """Return capital_cuts.csv: one row per cut of the run (:attr:`CapitalGuard.cuts`), columns ``CUT_COLUMNS``."""
    return pd.DataFrame([(day, kind, c.what, c.verb, c.wanted, c.allowed, c.why) for day, kind, c in cuts],
                        columns=list(CUT_COLUMNS))


class CapitalGuard:
    """Buying power, caps, maintenance and ruin of one run on ``desk``."""

    def __init__(self, cfg: MarginConfig, desk: Desk) -> None:
        self.cfg = cfg
        self.desk = desk
        self.notes: list[str] = []  # today's
        self.ruin: dict | None = None  # {"date", "cause", "liquidation_cash_usd", "debt_written_off_usd"} once ruined
        self.called = False  # today's session opened with a maintenance breach (no new layer today)
        self.breach = ""  # why today's cure closes positions: the margin call's or the ruin's numbers (cure rows)
        self.bp_days: set[dt.date] = set()  # days an order was reduced or refused for buying power
        self.cap_days: set[dt.date] = set()  # days a sizing cap cut an order
        self.call_days: set[dt.date] = set()  # days a margin call refused a new layer
        self.breach_days: set[dt.date] = set()  # sessions that opened with a margin call (a breach cured, not a ruin)
        self.low_excess_usd = math.inf  # the lowest excess liquidity a session's check saw (before its trades: a
        # breach's before its cure, and any session's whose trades then cut its requirement, e.g. closing a layer)
        self.low_excess_day: dt.date | None = None  # ... and its session (capital.min_excess_liquidity_date)
        self.checks: dict[dt.date, float] = {}  # ... each session's, by day (a sweep's capital_needed_usd, day by day)
        self.cuts: list[tuple[dt.date, CutKind, CapitalCut]] = []  # every cut of the run, by day (capital_cuts.csv)
        self._warned: set[str] = set()

    def start_day(self) -> None:
        self.notes = []
        self.called = False
        self.breach = ""

    def _note(self, kind: CutKind, cut: CapitalCut) -> None:
        today = self.desk.today
        {"buying_power": self.bp_days, "cap": self.cap_days, "margin_call": self.call_days}[kind].add(today)
        self.cuts.append((today, kind, cut))
        text = str(cut)
        self.notes.append(text)
        if kind not in self._warned:
            self._warned.add(kind)
            log.warning("capital (%s): %s on %s; every later one is in signals.csv, column 'capital', and "
                        "capital_cuts.csv", kind, text, today)

    def cure(self, kind: Literal["margin_call", "ruin"], what: str, held: int, left: int, note: str,
             verb: Literal["close", "leave", "abandon"] = "close") -> None:
        """Record what a margin call's cure or a ruin's liquidation closed (``Trader._cure_breach``,
        ``RuinActions._liquidate``):
        ``what`` (``L3``, ``condor``, ``wing SPX 2016-01-15 2200C``: a wing left open) from ``held`` to ``left``
        contracts, as a capital_cuts.csv row (verb ``close``, or ``leave``: an option layer whose close would bring
        nothing after fees, left to expire rather than closed, or ``abandon``: at a ruin, such a group let go at 0,
        :mod:`strategies.ruin`; why: the breach's numbers) and ``note`` in the day's
        notes (signals.csv ``capital``, ``remove L3 (margin_call)``). Not counted as a day a margin call refused a
        new layer (:attr:`call_days`)."""
        self.cuts.append((self.desk.today, kind, CapitalCut(what, verb, held, left, self.breach or kind)))
        self.notes.append(note)

    # ------------------------------------------------------------------ orders
    def fit(self, unit: Trades, n: int, what: str, base: Trades = ()) -> int:
        """Return how many of ``n`` units of ``unit`` (traded with ``base``) buying power allows."""
        desk = self.desk
        if n >= 1 and self.called and what.startswith("add layer"):
            why = "margin call this session: no new layer before the next"
            self._note("margin_call", CapitalCut(what, "refuse", n, 0, why))  # not a buying-power cut: its own count
            return 0
        if n < 1 or desk.affords(base + scaled(unit, n)):
            return n
        after_n = desk.buying_power_after(base + scaled(unit, n))
        bp0 = desk.buying_power_after(base)
        k = 0
        if self.cfg.on_insufficient is OnInsufficient.REDUCE and bp0 > 0:
            per_unit = bp0 - desk.buying_power_after(base + unit)
            k = min(n - 1, math.floor(bp0 / per_unit)) if per_unit > 0 else 0
            while k > 0 and desk.buying_power_after(base + scaled(unit, k)) < 0:
                k -= 1
        why = f"buying power {usd(bp0)}, {n} would leave {usd(after_n)}"
        self._note("buying_power", CapitalCut(what, "reduce" if k else "refuse", n, k, why))
        return k

    def cap(self, n: int, limit: int, what: str, why: str) -> int:
        """Return ``min(n, limit)``, noting the cut (verb ``refuse`` when it leaves none)."""
        if n <= limit:
            return n
        self._note("cap", CapitalCut(what, "reduce" if limit > 0 else "refuse", n, max(limit, 0), why))
        return max(limit, 0)

    def hedge_use(self, legs: Trades, premium_usd: float) -> float:
        """Return the budget a hedge position uses: VX futures' initial margin plus option premium paid."""
        front, skipped = self.desk.vx_listing()
        futures = sum(abs(q) * vx_margin(front, c.expiry, self.cfg, skipped)[0] for c, q in legs
                      if c.kind is Kind.VX_FUTURE)
        return futures + max(premium_usd, 0.0)

    def hedge_budget_usd(self, nav_usd: float) -> float:
        return self.cfg.hedge_budget_nav_fraction * max(nav_usd, 0.0)

    # ------------------------------------------------------------------ maintenance and ruin
    def check(self, abandoned: Callable[[], tuple[Trades, ...]] = tuple) -> float:
        """Before the day's trades: return the excess liquidity (< 0: a breach to cure), or NaN once ruined today.
        A breach's liquidation value counts the groups ``abandoned()`` names at 0 (:mod:`strategies.ruin`).

        The book is valued as :meth:`Desk.open_day` left it: the positions held from the day before, after the day's
        settlements and the night's interest, marked at the day's closing quotes (mid; an end-of-day simulation has no
        intraday price), their requirement included, before the day's trades: below the day's end (daily.csv
        ``excess_liquidity_usd``) where those trades cut the requirement, a margin call or none (trial ACC30: a layer
        closed on 2018-04-17, its maintenance in this check, 669,407.79 against 672,963.62 at the lowest day's end)."""
        desk = self.desk
        nav = desk.ledger.nav
        excess = desk.excess_liquidity()
        if excess < self.low_excess_usd:  # (a ruin's too: metrics.json capital_needed_usd)
            self.low_excess_usd, self.low_excess_day = excess, desk.today
        self.checks[desk.today] = excess
        if nav <= 0:
            self._ruin(f"NAV {usd(nav)} <= 0")
            return math.nan
        if excess < 0:
            liquidation = desk.liquidation_value(abandoned())
            if liquidation <= 0:
                self._ruin(f"maintenance breach (excess liquidity {usd(excess)}) no liquidation can cure "
                           f"(liquidation value {usd(liquidation)})")
                return math.nan
            self.notes.append(f"margin_call excess liquidity {usd(excess)}")
            self.breach = f"margin call: excess liquidity {usd(excess)} at the day's closing marks, before its trades"
            self.called = True
            self.breach_days.add(desk.today)
        return excess

    def margin_call_counts(self) -> dict[str, int]:
        """Return metrics.json ``capital``'s margin-call counts: ``days_with_margin_call``, the sessions that opened
        with a maintenance breach a cure acted on (:attr:`breach_days`; a ruin's breach is the ruin, not counted), and
        ``margin_call_closes``, the positions the cures closed or left to expire (capital_cuts.csv rows of kind
        ``margin_call``, verb ``close`` or ``leave``: a layer, or the condor however many of its contracts went)."""
        closes = sum(kind == "margin_call" and c.verb in ("close", "leave") for _, kind, c in self.cuts)
        return {"days_with_margin_call": len(self.breach_days), "margin_call_closes": int(closes)}

    def close_account(self) -> None:
        """After the ruin's liquidation: write off the debt left and close the desk (:meth:`Desk.close_account`)."""
        cash, debt = self.desk.close_account()
        assert self.ruin is not None
        self.ruin.update(liquidation_cash_usd=round(cash, 2), debt_written_off_usd=round(debt, 2))
        self.notes.append(f"liquidated: cash {usd(cash)} after closing every position, debt {usd(debt)} "
                          "written off (NAV 0)")

    def _ruin(self, cause: str) -> None:
        self.ruin = {"date": self.desk.today.isoformat(), "cause": cause}
        self.notes.append(f"ruin: {cause}")
        self.breach = f"ruin: {cause}"
        log.warning("ruin on %s: %s; trading stops", self.desk.today, cause)
