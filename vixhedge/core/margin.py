"""Reg-T margin of the book: SPX and VIX option combinations, VX futures (pure, no backtrader).

Rules and their sources
-----------------------
* **Option combinations** (SPX iron condors and credit spreads, VIX call spreads, long options):
  the requirement of the options on one underlying and one expiry is the largest loss their
  payoff can show at expiry, evaluated at zero and at every strike (the payoff is piecewise
  linear between strikes). This is the *universal spread* rule of Cboe Rule 12.3(a)(5)
  (SEC Release 34-67752, 2012-08-29, approving SR-CBOE-2012-043) and reproduces the Cboe Margin
  Manual (April 2000) "Put Spread or Call Spread" rule, the amount by which the long strike is
  below the short put strike (above the short call strike) times the multiplier:
  - a short iron condor needs the *wider* of its two spreads' widths x $100 per condor (both
    spreads cannot lose at the same expiry);
  - a long option or a debit spread (long VIX call below the short one) needs nothing beyond
    its premium, paid in full (Cboe Margin Manual: long puts and calls of 9 months or less are
    paid in full and have no loan value);
  - the proceeds of the short legs may be applied to the requirement (they sit in cash).
* **Uncovered short options** (more short than long calls, or puts, on an expiry; the strategies
  never hold them, a scripted book may): Cboe Rule 12.3(c)(5)(C) for broad-based index options,
  100% of the option's current value plus 15% of the index value less the out-of-the-money
  amount, at least the value plus 10% of the index value (calls) or of the strike (puts). The
  uncovered ones are taken to be the most in-the-money shorts; the rest is margined as above.
* **VX futures**: initial and maintenance margin per contract, by listed month (1-3, 4-6, 7 and
  later; month 1 is the front contract, the first not yet settled: a contract settling later this
  month is month 1 until its settlement morning, when the next takes its place; months the exchange
  had not listed that day are not counted, :func:`months_to_expiry`), from
  :class:`~vixhedge.core.config.MarginConfig` (defaults: the speculative customer levels of CFE
  Regulatory Circular RG13-019, effective 2013-06-27: $5,500 / $3,850 / $3,410 initial, $5,000 /
  $3,500 / $3,100 maintenance). The same levels apply on every date (the one dated level cited).

Portfolio margin (``margin.mode = "portfolio"``)
------------------------------------------------
The options on one index (SPX; VIX) are margined together, across expiries, at the worst
theoretical loss over ten equidistant valuation points of the underlying's move: -8% .. +6% for a
high-capitalisation broad-based index (SPX), -10% .. +10% for other broad-based indexes, applied
here to VIX options on their VX future (the NYSE portfolio-margin rule's table, SEC Release
34-46576). Each option is revalued at the moved underlying with its implied volatility held
(Black-Scholes-Merton for SPX, Black-76 on the same-expiry VX future for VIX options); equity then
counts the options' marks. Simplifications, stated: no implied-volatility shift, no per-contract
minimum, no house add-ons; VX futures keep their per-contract margin.

Account
-------
Equity with loan value = cash + the open P&L of VX futures (variation margin, paid daily in a
real account; the ledger keeps it in the marks). Options carry no loan value: a long option's
mark is not equity the account can borrow against, a short option's liability is covered by
its requirement. Excess liquidity = equity with loan value - maintenance requirement; buying
power = equity with loan value - initial requirement (equal for options under Reg-T).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from vixhedge.core.config import MarginConfig
from vixhedge.core.instruments import Contract, Kind, Right


@dataclass(frozen=True, slots=True)
class Requirement:
    """Margin requirement of a book (USD)."""

    options_usd: float = 0.0
    futures_initial_usd: float = 0.0
    futures_maintenance_usd: float = 0.0

    @property
    def initial_usd(self) -> float:
        return self.options_usd + self.futures_initial_usd

    @property
    def maintenance_usd(self) -> float:
        return self.options_usd + self.futures_maintenance_usd


NAKED_INDEX_SHARE = 0.15  # Cboe Rule 12.3(c)(5)(C): broad-based index options, share of the index value
NAKED_MIN_SHARE = 0.10    # ... at least this share of the index value (calls) or of the strike (puts)


def naked_requirement(contract: Contract, short_qty: int, index_value: float, option_value: float) -> float:
    """Return the Reg-T requirement (USD) of ``short_qty`` (> 0) uncovered short index options."""
    k = float(contract.strike)  # type: ignore[arg-type]
    call = contract.right is Right.CALL
    otm = max(k - index_value, 0.0) if call else max(index_value - k, 0.0)
    floor = NAKED_MIN_SHARE * (index_value if call else k)
    return short_qty * (option_value + max(NAKED_INDEX_SHARE * index_value - otm, floor)) * contract.multiplier


def _uncovered(legs: list[tuple[Contract, int]], right: Right) -> list[tuple[Contract, int]]:
    """Return the (contract, short count) of the uncovered shorts of one right: the most in-the-money ones."""
    net = -sum(q for c, q in legs if c.right is right)
    shorts = sorted(((c, -q) for c, q in legs if c.right is right and q < 0),
                    key=lambda cq: cq[0].strike if right is Right.CALL else -cq[0].strike)  # type: ignore[operator]
    out = []
    for c, q in shorts:
        if net <= 0:
            break
        out.append((c, min(q, net)))
        net -= q
    return out


def option_requirement(legs: Iterable[tuple[Contract, int]], index_value: float = float("nan"),
                       values: dict[Contract, float] | None = None) -> float:
    """Return the Reg-T requirement (USD, >= 0) of options on ONE underlying and expiry.

    ``legs``: (contract, signed quantity). Covered combinations: the largest loss of the expiry
    payoff over the settlement values 0 and every strike (the universal spread rule).
    Uncovered shorts (:func:`naked_requirement`) need ``index_value`` and their current ``values``.
    """
    legs = [(c, q) for c, q in legs if q]
    if not legs:
        return 0.0
    net = {Right.CALL: 0, Right.PUT: 0}
    for c, q in legs:
        net[c.right] += q  # type: ignore[index]
    naked = [cq for right, n in net.items() if n < 0 for cq in _uncovered(legs, right)]
    if naked:
        if not index_value == index_value or values is None:
            raise ValueError("uncovered short options need the index value and the options' values to be margined")
        cut = dict(naked)
        covered = [(c, q + cut.get(c, 0)) for c, q in legs]
        return option_requirement(covered) + sum(naked_requirement(c, n, index_value, values[c]) for c, n in naked)
    return _covered_requirement(tuple(legs))


@functools.lru_cache(maxsize=1 << 14)
def _covered_requirement(legs: tuple[tuple[Contract, int], ...]) -> float:
    """The largest loss of covered ``legs``' expiry payoff (a function of the legs alone: books recur, kept)."""
    terms = [(float(c.strike), c.right is Right.CALL, q * c.multiplier) for c, q in legs]  # type: ignore[arg-type]
    worst = min(sum(w * (max(s - k, 0.0) if call else max(k - s, 0.0)) for k, call, w in terms)
                for s in {0.0, *(k for k, _, _ in terms)})
    return max(0.0, -worst)


PM_RANGES: dict[Kind, tuple[float, float]] = {Kind.SPX_OPTION: (-0.08, 0.06), Kind.VIX_OPTION: (-0.10, 0.10)}
PM_POINTS = 10


def pm_moves(kind: Kind) -> np.ndarray:
    """Return the valuation points (relative moves of the underlying) of an index's options."""
    lo, hi = PM_RANGES[kind]
    return np.linspace(lo, hi, PM_POINTS)


def portfolio_requirement(value_now: np.ndarray, value_at: np.ndarray, qty_usd: np.ndarray) -> float:
    """Return the worst loss (USD, >= 0) over the valuation points.

    ``value_now`` (legs) and ``value_at`` (points x legs) are per-unit option values; ``qty_usd`` is
    signed quantity x multiplier per leg.
    """
    pnl = (np.asarray(value_at) - np.asarray(value_now)) @ np.asarray(qty_usd)
    return max(0.0, -float(pnl.min())) if len(pnl) else 0.0


def months_to_expiry(front: tuple[int, int], expiry: dt.date, skipped: tuple[tuple[int, int], ...] = ()) -> int:
    """Return the listed month of a VX contract expiring on ``expiry``, given the ``front`` contract month.

    ``front`` is (year, month) of the front contract: the first monthly contract whose settlement is
    after today (an expiring contract stops trading on its settlement morning, so on that day the next
    one is the front); the market gives it (:func:`feeds.expirations.front_vx_month`, a calendar rule
    the pure core does not import). 1 = the front contract, 2 = the one after it, and so on. A contract
    month's settlement always falls in that month, so the count is the calendar-month gap from the
    front contract's month, plus one, less the months between that the exchange did not list that day
    (``skipped``, (year, month) each: the CFE listed fewer months in 2004-2006, e.g. on 2006-01-03 January,
    February, May and August 2006; trial MG, session 16: counted by calendar, May was month 4, not 2).
    """
    end = (expiry.year, expiry.month)
    gap = (expiry.year - front[0]) * 12 + expiry.month - front[1] + 1
    return max(1, gap - sum(1 for m in skipped if front <= m < end))


def vx_margin(front: tuple[int, int], expiry: dt.date, cfg: MarginConfig,
              skipped: tuple[tuple[int, int], ...] = ()) -> tuple[float, float]:
    """Return (initial, maintenance) USD per VX contract expiring on ``expiry`` when ``front`` (year, month)
    is the front contract and the ``skipped`` months are not listed: the levels of its listed month
    (:func:`months_to_expiry`) 1-3, 4-6 or 7 and later."""
    m = months_to_expiry(front, expiry, skipped)
    bucket = 0 if m <= 3 else 1 if m <= 6 else 2
    return cfg.vx_initial_usd[bucket], cfg.vx_maintenance_usd[bucket]


def requirement(positions: Iterable[tuple[Contract, int]], front: tuple[int, int] | None, cfg: MarginConfig,
                index_values: dict[Kind, float] | None = None,
                values: dict[Contract, float] | None = None, skipped: tuple[tuple[int, int], ...] = ()) -> Requirement:
    """Return the requirement of a book of (contract, signed quantity) positions.

    Options are grouped by (kind, expiry) and margined as one combination each; a VX future
    needs its per-contract margin whatever its side. ``index_values`` (SPX, VIX by option kind)
    and the options' current ``values`` are needed only for uncovered shorts; ``front`` (year, month of
    the front VX contract, :func:`vx_margin`; ``skipped`` the months not listed) only for VX futures (None: a book
    of options).
    """
    index_values = index_values or {}
    groups: dict[tuple[Kind, dt.date], dict[Contract, int]] = defaultdict(lambda: defaultdict(int))
    init = maint = 0.0
    for contract, qty in positions:
        if contract.kind is Kind.VX_FUTURE:
            if front is None:
                raise ValueError("a VX future's margin needs the front VX contract month (front=None)")
            i, m = vx_margin(front, contract.expiry, cfg, skipped)
            init += abs(qty) * i
            maint += abs(qty) * m
        else:
            groups[(contract.kind, contract.expiry)][contract] += qty
    options = sum(option_requirement(g.items(), index_values.get(kind, float("nan")), values)
                  for (kind, _), g in groups.items())
    return Requirement(options, init, maint)
