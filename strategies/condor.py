"""Iron condor management as pure functions: entry schedule, strikes, size, exits, rolls.

* Entry: ``dte`` (whenever flat, on an untraded standard monthly expiry with DTE in
  [min_dte, max_dte], closest to target: :func:`dte_entry_expiry`) or ``calendar``
  (:func:`calendar_entry_expiry`: on the monthly cycle, within ``entry_window_days`` calendar days
  after a standard expiration, into the untraded expiry with DTE in range closest to target).
* Strikes (:func:`select_condor`): shorts by |delta| or ``short_otm_pct`` from spot; wings by
  |delta| or ``wing_width_points`` beyond the shorts.
* Size (:func:`condor_contracts`): fixed ``contracts``, or as many condors as keep the max loss
  (widest wing minus the credit, x $100) within ``max_loss_nav_fraction`` of NAV, or the Reg-T
  requirement (widest wing x $100) within ``margin_nav_fraction`` of NAV; times the hedge policy's
  pending vega scale (a bullish divergence, one cycle); then cut to the capital caps
  (:func:`capital_cap`: max loss and margin as fractions of NAV).
* Exits (:func:`exit_reason`): profit-take, stop (multiple of the credit; 0 = none), DTE; an exit by
  DTE or stop rolls into the next cycle on the same bar when ``roll_on_dte`` / ``roll_on_stop``. The exit
  buys back the shorts and sells the wings, but a wing that would sell for 0 (bid 0 under bid/ask fills) stays
  open (:func:`wings_left`): selling it brings nothing and costs its fee; it is held to its expiry and
  cash-settled at its intrinsic value, its P&L the condor's.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import math
from collections.abc import Callable
from dataclasses import dataclass

from feeds import calendars
from feeds.chains import OptionChain
from strategies.book import half_up
from vixhedge.core.config import CondorConfig, CondorSizing, StrikeRule
from vixhedge.core.instruments import Contract, Kind, Right


@dataclass(frozen=True, slots=True)
class CondorLegs:
    """Strikes of one short iron condor: long put < short put < short call < long call."""

    expiry: dt.date
    long_put: float
    short_put: float
    short_call: float
    long_call: float

    def legs(self) -> tuple[tuple[Contract, int], ...]:
        """Return ``(contract, quantity per condor)``: shorts -1, wings +1."""
        return _legs(self)

    @property
    def max_width_points(self) -> float:
        return max(self.short_put - self.long_put, self.long_call - self.short_call)


@functools.lru_cache(maxsize=1024)
def _legs(c: CondorLegs) -> tuple[tuple[Contract, int], ...]:
    leg = lambda k, r: Contract(Kind.SPX_OPTION, c.expiry, k, r)
    return ((leg(c.long_put, Right.PUT), 1), (leg(c.short_put, Right.PUT), -1),
            (leg(c.short_call, Right.CALL), -1), (leg(c.long_call, Right.CALL), 1))


def select_condor(chain: OptionChain, cfg: CondorConfig) -> CondorLegs | None:
    """Pick strikes from ``chain``; return None if no valid condor exists.

    Shorts at the strikes whose |delta| is closest to ``short_delta`` (``strike_rule = "delta"``)
    or at the listed strikes nearest ``spot x (1 -/+ short_otm_pct)`` (``"pct_otm"``); wings at
    ``wing_delta`` or, when ``wing_width_points`` > 0, that many points beyond the shorts.
    """
    if cfg.strike_rule is StrikeRule.DELTA:
        sp = chain.nearest_delta(Right.PUT, cfg.short_delta)
        sc = chain.nearest_delta(Right.CALL, cfg.short_delta)
    else:
        sp = _nearest_strike(chain, chain.underlying * (1.0 - cfg.short_otm_pct))
        sc = _nearest_strike(chain, chain.underlying * (1.0 + cfg.short_otm_pct))
    if cfg.wing_width_points > 0:
        lp, lc = sp - cfg.wing_width_points, sc + cfg.wing_width_points
    else:
        lp = chain.nearest_delta(Right.PUT, cfg.wing_delta)
        lc = chain.nearest_delta(Right.CALL, cfg.wing_delta)
    if not (0 < lp < sp < sc < lc):
        return None
    return CondorLegs(chain.expiry, lp, sp, sc, lc)


class NotPlaced(enum.StrEnum):
    """Why an entry day opened no condor: signals.csv column ``condor_not_placed`` holds ``<kind>: <detail>``."""

    CAPITAL = "capital"  # the capital caps or buying power cut the order to 0 (the detail: the day's notes)
    SIZE = "size"  # condor.sizing sized 0 condors
    STRIKES = "strikes"  # the standard selector found no four strikes in order
    SELECTOR = "selector"  # a plug-in selector chose none


def no_strikes_words(chain: OptionChain, cfg: CondorConfig, day: dt.date) -> str:
    """Return why :func:`select_condor` found no condor in ``chain`` on ``day``, naming the setting to change."""
    if cfg.strike_rule is StrikeRule.DELTA:
        sp, sc = chain.nearest_delta(Right.PUT, cfg.short_delta), chain.nearest_delta(Right.CALL, cfg.short_delta)
    else:
        sp = _nearest_strike(chain, chain.underlying * (1.0 - cfg.short_otm_pct))
        sc = _nearest_strike(chain, chain.underlying * (1.0 + cfg.short_otm_pct))
    w = cfg.wing_width_points
    if w > 0 and sp - w <= 0:
        return (f"the long put strike would be {sp - w:g} on {day} (short put {sp:g} - condor.wing_width_points "
                f"{w:g}), and a strike must be above 0: set condor.wing_width_points below {sp:g} (e.g. 50) or to 0 "
                "(wings by condor.wing_delta)")
    lp, lc = (sp - w, sc + w) if w > 0 else (chain.nearest_delta(Right.PUT, cfg.wing_delta),
                                             chain.nearest_delta(Right.CALL, cfg.wing_delta))
    fix = "check condor.short_delta / short_otm_pct and the wings"
    if w == 0 and (lp >= sp or lc <= sc):  # the wing's delta sits at or inside the short's strike (pct_otm, a low vol)
        fix = (f"the condor.wing_delta {cfg.wing_delta:g} wing is not beyond its short: set condor.wing_width_points "
               "(e.g. 50) or a lower wing_delta")
    return (f"no four strikes in order (long put {lp:g} < short put {sp:g} < short call {sc:g} < long call {lc:g}) "
            f"on {day} (expiry {chain.expiry}): {fix}")


def sized_zero_words(legs: CondorLegs, cfg: CondorConfig, day: dt.date) -> str:
    """Return why :func:`condor_contracts` opened no condor on ``legs`` on ``day`` (its sizing sized 0)."""
    return (f"strikes were found ({legs.long_put:g}/{legs.short_put:g}/{legs.short_call:g}/{legs.long_call:g} on "
            f"{day}) but condor.sizing = {cfg.sizing.value!r} sized 0 condors: raise its budget or use "
            'sizing = "contracts"')


def _nearest_strike(chain: OptionChain, level: float) -> float:
    return float(chain.strikes[int(abs(chain.strikes - level).argmin())])


def condor_contracts(cfg: CondorConfig, nav_usd: float, legs: CondorLegs, credit_points: float,
                     scale: float = 1.0) -> int:
    """Return how many condors to open (0: none fits).

    ``contracts`` sizing: ``cfg.contracts``; ``max_loss``: floor(max_loss_nav_fraction x NAV / max
    loss per condor), the max loss being (widest wing - credit) x $100; ``margin``:
    floor(margin_nav_fraction x NAV / Reg-T requirement per condor), the requirement being the
    widest wing x $100 (:mod:`vixhedge.core.margin`). Then times ``scale`` (rounded half up, at least 1 of a
    non-zero size). The capital caps are applied by :func:`capital_cap`.
    """
    if cfg.sizing is CondorSizing.CONTRACTS:
        base = cfg.contracts
    elif cfg.sizing is CondorSizing.MAX_LOSS:
        base = _fit(cfg.max_loss_nav_fraction * nav_usd, (legs.max_width_points - credit_points) * 100.0)
    else:
        base = _fit(cfg.margin_nav_fraction * nav_usd, legs.max_width_points * 100.0)
    if base < 1:
        return 0
    return base if scale >= 1 else max(1, half_up(base * scale))


def capital_cap(cfg: CondorConfig, nav_usd: float, legs: CondorLegs, credit_points: float) -> tuple[int, str]:
    """Return the most condors the capital caps allow and the binding cap's name.

    At most ``max_loss_cap_nav_fraction`` x NAV of max loss ((widest wing - credit) x $100 per
    condor) and ``margin_cap_nav_fraction`` x NAV of Reg-T requirement (widest wing x $100).
    """
    by_loss = _fit(cfg.max_loss_cap_nav_fraction * nav_usd, (legs.max_width_points - credit_points) * 100.0)
    by_margin = _fit(cfg.margin_cap_nav_fraction * nav_usd, legs.max_width_points * 100.0)
    if by_loss <= by_margin:
        return by_loss, f"max loss cap {cfg.max_loss_cap_nav_fraction:g} x NAV"
    return by_margin, f"margin cap {cfg.margin_cap_nav_fraction:g} x NAV"


def _fit(budget_usd: float, per_condor_usd: float) -> int:
    if per_condor_usd <= 0:  # no loss or requirement per condor: a mispriced chain, trade none
        return 0
    return max(0, math.floor(budget_usd / per_condor_usd + 1e-9))


def next_expiries(today: dt.date, count: int = 14):
    """Yield the standard monthly SPX expirations after ``today`` over ``count`` months, nearest first."""
    for k in range(count):
        yy, mm = divmod(today.month - 1 + k, 12)
        exp = calendars.spx_monthly_expiration(today.year + yy, mm + 1)
        if exp > today:
            yield exp


def dte_entry_expiry(today: dt.date, cfg: CondorConfig, exclude: set[dt.date] | frozenset[dt.date] = frozenset()
                     ) -> dt.date | None:
    """Return the standard monthly expiry not in ``exclude`` with DTE in [min_dte, max_dte] closest to target."""
    best: tuple[int, dt.date] | None = None
    for exp in next_expiries(today):
        dte = (exp - today).days
        if exp not in exclude and cfg.min_dte <= dte <= cfg.max_dte \
                and (best is None or abs(dte - cfg.target_dte) < best[0]):
            best = (abs(dte - cfg.target_dte), exp)
    return None if best is None else best[1]


def calendar_entry_expiry(today: dt.date, cfg: CondorConfig, exclude: set[dt.date] | frozenset[dt.date] = frozenset()
                          ) -> dt.date | None:
    """Return the expiry a calendar entry opens today, or None when today is off the cycle.

    On the cycle: within ``entry_window_days`` calendar days on or after the latest standard monthly
    expiration (the expiration day itself included). The expiry is the standard monthly one not in ``exclude``
    (the expiries already traded) with DTE in [min_dte, max_dte] closest to ``target_dte``.
    """
    y, m = today.year, today.month
    prev = calendars.spx_monthly_expiration(y, m)
    if prev > today:
        prev = calendars.spx_monthly_expiration(*((y - 1, 12) if m == 1 else (y, m - 1)))
    if (today - prev).days > cfg.entry_window_days:
        return None
    return dte_entry_expiry(today, cfg, exclude)


def rolls_on(reason: str, cfg: CondorConfig) -> bool:
    """Return True when an exit for ``reason`` reopens a condor on the next cycle the same bar."""
    return (reason == "dte" and cfg.roll_on_dte) or (reason == "stop" and cfg.roll_on_stop)


def wings_left(legs: CondorLegs, sale_price: Callable[[Contract], float]) -> tuple[Contract, ...]:
    """Return the long legs (wings) an exit of ``legs`` leaves open: those whose sale would fill at 0 or less
    (``sale_price``: the day's fill price of selling one; the bid under ``execution.fill = "bid_ask"``).

    A trader cannot sell a wing bid at 0 and would pay the fee for nothing: it is left to expire, settled at its
    intrinsic value (which is above 0 if SPX moves through its strike). An exit by the condor's own rules
    (profit-take, stop, DTE), a margin call (a lone long wing needs no margin: selling it cures nothing) and a
    partial buy-back (``condor_vega_cut``) leave them; a ruin's liquidation (the account is closed) sells every leg of
    the condor held (wings left open before it abandons at 0 when their sale would bring nothing: strategies.ruin).
    """
    return tuple(c for c, q in legs.legs() if q > 0 and sale_price(c) <= 0)


PRICE_TOL = 1e-9  # index points: far below a tick (0.05), far above a sum of a few prices' float error


def exit_reason(cost_to_close: float, credit: float, dte_days: int, cfg: CondorConfig) -> str | None:
    """Return why an open condor should be closed today, or None to hold.

    ``cost_to_close`` and ``credit`` are per condor in index points (positive = paid /
    received). Profit-take when the cost to close is at most (1 - profit_take) * credit;
    stop when it reaches ``stop_multiple`` * credit (never with ``stop_multiple = 0``); DTE exit
    at ``exit_dte`` days. Both thresholds hold on the line to :data:`PRICE_TOL` (sums of tick prices carry a
    float's error: a credit of 12.50 + 1.70 - 3.80 - 1.40 sums to 8.999999999999998, and a cost of 4.50 missed
    the 50% take by it; trial CX).
    """
    if cfg.profit_take < 1 and cost_to_close <= (1.0 - cfg.profit_take) * credit + PRICE_TOL:
        return "profit_take"
    if cfg.stop_multiple > 0 and cost_to_close >= cfg.stop_multiple * credit - PRICE_TOL:
        return "stop"
    if cfg.exit_dte and dte_days <= cfg.exit_dte:
        return "dte"
    return None
