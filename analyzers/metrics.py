"""Standard performance metrics with explicit conventions (pure numpy).

Conventions
-----------
* ``nav`` is the end-of-day NAV of each run day (after that day's fills); the first value is
  the base. Daily returns are simple: r_t = NAV_t / NAV_{t-1} - 1 (n = len(nav) - 1 returns).
* P = periods per year (252 trading days by default); rf_d = the per-period risk-free return:
  either the run's cash return of each day (an array, one value per return: simple ACT/365
  interest at the day's short rate, what the ledger credits) or a stated annual rate rf turned
  into a per-period rate geometrically, rf_d = (1 + rf)^(1/P) - 1.
* CAGR = (NAV_end / NAV_start)^(P / n) - 1.
* Annualised volatility = std(r, ddof=1) * sqrt(P).
* Sharpe = mean(r - rf_d) / std(r - rf_d, ddof=1) * sqrt(P).
* Sortino = mean(r - rf_d) / DD * sqrt(P), DD = sqrt(mean(min(r - rf_d, 0)^2)): the downside
  deviation below the target rf_d, averaged over ALL n days (Sortino & Price 1994; the
  convention of empyrical's ``sortino_ratio``).
* Max drawdown = max over t of 1 - NAV_t / max_{s<=t} NAV_s (a positive fraction). Its
  duration is counted in calendar days from the peak before the deepest trough to the first
  day NAV is back at that peak (or to the last day, ``max_drawdown_recovered = False``);
  ``longest_drawdown_days`` is the longest such peak-to-recovery spell of any drawdown.
* Calmar = CAGR / max drawdown, both over the whole run (not the trailing 36 months).
* CVaR 95% (historical expected shortfall) = minus the mean of the k = max(1, floor(5% n))
  lowest daily returns: a positive loss fraction, the same rule as :mod:`vixhedge.bootstrap`.
* Worst day = the lowest daily return. Worst month = the lowest calendar-month return,
  prod(1 + r_t) - 1 over the returns dated in that month (first and last months may be partial).
* Tail correlation: on the k = max(1, floor(5% m)) days with the lowest total P&L (USD, the m
  day-over-day rows, the first run day excluded as it has no previous NAV), the Pearson
  correlation of hedge daily P&L with condor daily P&L (NaN with fewer than 3 such days or
  no dispersion). Fees and interest are in neither.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Mapping, Sequence

import numpy as np

from vixhedge.fmt import pct

TAIL_SHARE = 0.05


def daily_returns(nav: np.ndarray) -> np.ndarray:
    """Return the simple returns NAV_t / NAV_{t-1} - 1 (NaN after a NAV of 0: a ruined account's days after its
    ruin, which its metrics leave out, :func:`valid_span`)."""
    nav = np.asarray(nav, dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        return nav[1:] / nav[:-1] - 1.0


def drawdown(nav: np.ndarray) -> np.ndarray:
    """Return the drawdown series 1 - NAV / running peak (>= 0)."""
    nav = np.asarray(nav, dtype=np.float64)
    return 1.0 - nav / np.maximum.accumulate(nav)


def max_drawdown(nav: np.ndarray) -> float:
    """Return the largest fall from a running peak, as a positive fraction."""
    return float(drawdown(nav).max()) if len(nav) else 0.0


# Returns are NAV ratios minus one, so their absolute rounding error is a few machine epsilons: a
# dispersion below this is rounding noise (a constant-return or cash-only path), not risk.
RETURN_NOISE = 64 * np.finfo(np.float64).eps


RateOrReturns = float | np.ndarray  # an annual rate, or the per-period returns of cash (one per return)


def _rf_per_period(risk_free: RateOrReturns, periods_per_year: int) -> float | np.ndarray:
    if isinstance(risk_free, np.ndarray):
        return risk_free
    return (1.0 + risk_free) ** (1.0 / periods_per_year) - 1.0


def rf_steps(risk_free: RateOrReturns, periods_per_year: int, n: int) -> np.ndarray:
    """Return ``risk_free`` as ``n`` per-period returns (an array as it is; an annual rate geometrically)."""
    return risk_free if isinstance(risk_free, np.ndarray) else np.full(n, _rf_per_period(risk_free, periods_per_year))


def annual_rate(risk_free: RateOrReturns, periods_per_year: int) -> float:
    """Return ``risk_free`` as one annual rate: itself, or a per-period array's mean compounded over a year."""
    if not isinstance(risk_free, np.ndarray):
        return float(risk_free)
    return float((1.0 + risk_free.mean()) ** periods_per_year - 1.0) if len(risk_free) else float("nan")


def simple_rate(cash_returns: np.ndarray, dates: Sequence[dt.date]) -> float:
    """Return the simple ACT/365 annual rate that ``cash_returns`` (one per step between consecutive ``dates``)
    add up to: the rate as a user states one (a constant 5% reads 5.00%, whatever the window's weekends; the
    compounded :func:`annual_rate` of the mean return per session reads 4.65% on 2010-05-03..05-28)."""
    span = (dates[-1] - dates[0]).days if len(dates) > 1 else 0
    return float(np.sum(cash_returns)) / span * 365.0 if span > 0 else float("nan")


def sharpe(returns: np.ndarray, risk_free: RateOrReturns, periods_per_year: int) -> float:
    """Return the annualised Sharpe ratio of per-period ``returns`` over ``risk_free`` (an annual rate, or the
    per-period cash returns of the same periods)."""
    excess = np.asarray(returns) - _rf_per_period(risk_free, periods_per_year)
    if len(excess) < 2:
        return float("nan")
    sd = excess.std(ddof=1)
    return float(excess.mean() / sd * math.sqrt(periods_per_year)) if sd > RETURN_NOISE else float("nan")


def sortino(returns: np.ndarray, risk_free: RateOrReturns, periods_per_year: int) -> float:
    """Return the annualised Sortino ratio (target = the per-period risk-free return, as :func:`sharpe`)."""
    excess = np.asarray(returns) - _rf_per_period(risk_free, periods_per_year)
    if len(excess) < 2:
        return float("nan")
    dd = math.sqrt(float(np.mean(np.minimum(excess, 0.0) ** 2)))
    return float(excess.mean() / dd * math.sqrt(periods_per_year)) if dd > RETURN_NOISE else float("nan")


def cagr(nav: np.ndarray, periods_per_year: int) -> float:
    """Return the compound annual growth rate of a NAV path of per-period values."""
    n = len(nav) - 1
    if n > 0 and nav[-1] <= 0:  # everything lost (a ruin): -100% a year, not a power of a negative ratio
        return -1.0
    return float((nav[-1] / nav[0]) ** (periods_per_year / n) - 1.0) if n > 0 else float("nan")


def tail_count(n: int, share: float = TAIL_SHARE) -> int:
    """Return how many of ``n`` observations make the worst ``share`` (at least one)."""
    return max(1, int(math.floor(share * n + 1e-9)))


def cvar(returns: np.ndarray, level: float = 0.95) -> float:
    """Return the historical CVaR at ``level``: minus the mean of the worst (1 - level) share of returns."""
    r = np.sort(np.asarray(returns, dtype=np.float64), kind="stable")
    return float(-r[:tail_count(len(r), 1.0 - level)].mean()) if len(r) else float("nan")


def drawdown_spells(nav: np.ndarray, dates: Sequence[dt.date]) -> dict:
    """Return the max drawdown's peak, trough, recovery and duration, and the longest spell (days)."""
    nav = np.asarray(nav, dtype=np.float64)
    dd = drawdown(nav)
    trough = int(np.argmax(dd))
    peak = int(np.nonzero(dd[:trough + 1] == 0.0)[0][-1])  # the last day at the running peak
    back = np.nonzero(dd[trough:] == 0.0)[0]  # NAV back at (or above) that peak
    end = trough + int(back[0]) if len(back) else len(nav) - 1
    longest, start = 0, None
    for k in range(len(nav)):
        if dd[k] > 0 and start is None:
            start = k - 1  # the peak is the day before the first underwater day
        if start is not None and (dd[k] == 0 or k == len(nav) - 1):
            longest = max(longest, (dates[k] - dates[start]).days)
            start = None
    if dd[trough] == 0.0:  # never under water
        return {"max_drawdown_peak": None, "max_drawdown_trough": None, "max_drawdown_recovery": None,
                "max_drawdown_recovered": True, "max_drawdown_duration_days": 0, "longest_drawdown_days": 0}
    return {"max_drawdown_peak": dates[peak].isoformat(), "max_drawdown_trough": dates[trough].isoformat(),
            "max_drawdown_recovery": dates[end].isoformat() if len(back) else None,
            "max_drawdown_recovered": bool(len(back)),
            "max_drawdown_duration_days": (dates[end] - dates[peak]).days, "longest_drawdown_days": longest}


def month_returns(nav: np.ndarray, dates: Sequence[dt.date]) -> dict[str, float]:
    """Return the compounded return of each calendar month (``YYYY-MM``) of the daily returns."""
    growth: dict[str, float] = {}
    for day, r in zip(dates[1:], daily_returns(nav), strict=True):
        key = f"{day.year:04d}-{day.month:02d}"
        growth[key] = growth.get(key, 1.0) * (1.0 + r)
    return {k: g - 1.0 for k, g in growth.items()}


def tail_correlation(total_pnl: np.ndarray, hedge_pnl: np.ndarray, condor_pnl: np.ndarray,
                     share: float = TAIL_SHARE) -> dict[str, float]:
    """Return corr(hedge P&L, condor P&L) and their sums on the worst ``share`` of days by total P&L."""
    total = np.asarray(total_pnl, dtype=np.float64)
    if len(total) == 0:
        return {"tail_days": 0, "tail_hedge_condor_corr": float("nan"), "tail_hedge_pnl_usd": 0.0,
                "tail_condor_pnl_usd": 0.0, "tail_total_pnl_usd": 0.0}
    worst = np.argsort(total, kind="stable")[:tail_count(len(total), share)]
    h, c = np.asarray(hedge_pnl, dtype=np.float64)[worst], np.asarray(condor_pnl, dtype=np.float64)[worst]
    corr = float("nan")
    if len(worst) >= 3 and h.std() > 0 and c.std() > 0:
        corr = float(np.corrcoef(h, c)[0, 1])
    return {"tail_days": len(worst), "tail_hedge_condor_corr": corr, "tail_hedge_pnl_usd": float(h.sum()),
            "tail_condor_pnl_usd": float(c.sum()), "tail_total_pnl_usd": float(total[worst].sum())}


def summary(nav: np.ndarray, risk_free: RateOrReturns, periods_per_year: int,
            dates: Sequence[dt.date] | None = None) -> dict:
    """Return the standard metrics of a NAV path (calendar metrics need its ``dates``); ``risk_free`` as
    :func:`sharpe` (an array: one cash return per day-over-day return; ``risk_free_rate`` reports its
    :func:`annual_rate`)."""
    nav = np.asarray(nav, dtype=np.float64)
    r = daily_returns(nav)
    if isinstance(risk_free, np.ndarray) and len(risk_free) != len(r):
        raise ValueError(f"risk_free has {len(risk_free)} per-period returns for {len(r)} returns")
    vol = float(r.std(ddof=1) * math.sqrt(periods_per_year)) if len(r) > 1 else float("nan")
    growth, mdd = cagr(nav, periods_per_year), max_drawdown(nav)
    out = {
        "start_nav_usd": float(nav[0]),
        "end_nav_usd": float(nav[-1]),
        "total_return": float(nav[-1] / nav[0] - 1.0),
        "cagr": growth,
        "ann_vol": vol,
        "sharpe": sharpe(r, risk_free, periods_per_year),
        "sortino": sortino(r, risk_free, periods_per_year),
        "max_drawdown": mdd,
        "calmar": growth / mdd if mdd > 0 else float("nan"),
        "cvar_95": cvar(r, 0.95),
        "cvar_95_days": tail_count(len(r), 0.05) if len(r) else 0,  # the worst days it averages
        "worst_day": float(r.min()) if len(r) else float("nan"),
        "risk_free_rate": annual_rate(risk_free, periods_per_year),
        "periods_per_year": periods_per_year,
    }
    if dates is not None and len(r):
        dates = list(dates)
        out["worst_day_date"] = dates[1 + int(np.argmin(r))].isoformat()
        months = month_returns(nav, dates)
        worst = min(months, key=months.__getitem__)
        out.update({"worst_month": months[worst], "worst_month_label": worst})
        out.update(drawdown_spells(nav, dates))
    return out


def run_summary(nav: Sequence[float], dates: Sequence[dt.date],
                risk_free: float | Callable[[Sequence[dt.date]], np.ndarray], periods_per_year: int) -> dict:
    """Return :func:`summary` of a run's end-of-day NAV path, or ``{}`` for fewer than two days; ``risk_free``
    is an annual rate or a function of the run's dates returning the cash return of each day-over-day step."""
    nav = np.asarray(nav, dtype=np.float64)
    if len(nav) < 2:
        return {}
    rf = risk_free(list(dates)) if callable(risk_free) else risk_free
    return summary(nav, rf, periods_per_year, dates)


def valid_span(nav: Sequence[float], dates: Sequence[dt.date], ruin_date: dt.date | None) -> tuple[np.ndarray, list]:
    """Return the NAV path and dates metrics are computed on: up to the ruin day, its NAV set to 0.

    A ruined account (NAV <= 0, or a breach no liquidation cures) has lost everything on the ruin
    day; the days after it are not returns an account could have earned.
    """
    nav, dates = np.asarray(nav, dtype=np.float64), list(dates)
    if ruin_date is None:
        return nav, dates
    n = dates.index(ruin_date) + 1
    nav = nav[:n].copy()
    nav[-1] = 0.0
    return nav, dates[:n]


def ratio_caveat(performance: Mapping, ruin: Mapping | None) -> str:
    """Return why the run's Sharpe and Sortino do not measure its path, or "" when they do.

    * a ruined run (``metrics.json`` ``ruin``): its last return is the -100% of the ruin day;
    * a run whose mean daily excess return is positive (Sharpe or Sortino > 0) while its NAV fell: daily returns
      this volatile compound to a loss (volatility drag), and a mean of them says nothing of the path.
    The console summary and report.html show both ratios as n/a with this reason (the computed values stay in
    ``metrics.json``).
    """
    if ruin:
        return f"a ruined path (ruin on {ruin['date']}, NAV 0 that day): its ratios are not meaningful"
    sharpe, sortino, total = (performance.get(k) for k in ("sharpe", "sortino", "total_return"))
    if total is not None and total < 0 and any(x is not None and x > 0 for x in (sharpe, sortino)):
        return (f"the NAV fell {pct(-total)} while its mean daily excess return is positive: returns this "
                "volatile compound to a loss (volatility drag), so a ratio of their mean does not measure this path")
    return ""


def capital_metrics(nav: np.ndarray, pnl_usd: float, margin_usd: np.ndarray, gross_notional_usd: np.ndarray,
                    max_loss_usd: np.ndarray, bp_constrained: np.ndarray, cap_days: int,
                    periods_per_year: int) -> dict:
    """Return the run's return-on-capital metrics (USD series per day, over the valid span).

    * return on margin = total P&L (``pnl_usd``: NAV at the end less the initial cash, the sum of the P&L
      rows, the first day's included) / mean maintenance requirement; annualised as that times P / n, n the
      days the P&L spans (``len(nav)``: the first day's P&L is one);
    * margin utilisation = requirement / NAV (peak, mean over days with NAV > 0);
    * leverage = gross notional / NAV and condor max loss / NAV (peak, mean);
    * days constrained = days an order was reduced or refused for buying power (and, apart, by a cap).
    """
    nav = np.asarray(nav, dtype=np.float64)
    mean_margin = float(np.mean(margin_usd)) if len(margin_usd) else float("nan")
    util, gross, loss = (nav_ratio(x, nav) for x in (margin_usd, gross_notional_usd, max_loss_usd))
    rom = pnl_usd / mean_margin if mean_margin > 0 else float("nan")
    n = max(len(nav), 1)
    return {
        "return_on_margin": rom,
        "return_on_margin_annual": rom * periods_per_year / n,
        "mean_margin_usd": mean_margin,
        "peak_margin_utilisation": util[0], "mean_margin_utilisation": util[1],
        "peak_gross_leverage": gross[0], "mean_gross_leverage": gross[1],
        "peak_max_loss_to_nav": loss[0], "mean_max_loss_to_nav": loss[1],
        "days_constrained_by_buying_power": int(np.sum(bp_constrained)),
        "days_cut_by_capital_caps": int(cap_days),
    }


def cash_growth(cash_returns: np.ndarray) -> np.ndarray:
    """What a dollar of the starting cash has grown to on each day of a run (1 on its first): the product of 1 plus
    each step's cash interest return (``cash_returns``, one per step: feeds.market.Market.cash_returns, as the Desk
    credits interest on cash of either sign)."""
    return np.concatenate(([1.0], np.cumprod(1.0 + np.asarray(cash_returns, dtype=np.float64))))


def capital_needed(initial_cash_usd: float, margin_usd: np.ndarray, excess_usd: np.ndarray, low_check_usd: float,
                   condors: np.ndarray, days: Sequence = (), low_check_day=None, growth: np.ndarray | None = None,
                   day_low: np.ndarray | None = None) -> dict:
    """Return the capital the path needed (metrics.json ``capital``; USD series per day over the valid span):

    * ``peak_margin_usd``: the peak day-end maintenance requirement (daily.csv ``margin_usd``);
    * ``peak_margin_per_condor_usd``: that peak over the condor contracts held at the end of its day (the hedge's
      requirement included; NaN when none was held then);
    * ``min_excess_liquidity_usd``: the lowest excess liquidity of the run: at a day's end (daily.csv
      ``excess_liquidity_usd``, after any cure) or at a session's check before its trades (``low_check_usd`` on
      ``low_check_day``, ``CapitalGuard.low_excess_usd``: the day's opening book at its closing marks, a margin call's
      breach before its cure, or a book whose trades that day then cut its requirement);
    * ``min_excess_liquidity_date`` and ``min_excess_liquidity_at``, where it was measured: ``day_end`` (the row of
      ``days``, daily.csv's dates) or ``check_before_trades`` (``low_check_day``; only where the check is lower by
      more than half a cent: a session without trades checks what its end records), None without ``days``;
    * ``capital_needed_usd``: the cash the account needed at the start to meet no margin call on this path (the same
      trades; NAV-sized orders aside): ``initial_cash_usd`` less the lowest of each day's lowest excess liquidity
      (``day_low``: its check or its end, the smaller; ``excess_usd`` and ``low_check_usd`` without it) over
      ``growth`` that day (:func:`cash_growth`): a start smaller by k holds k x growth less cash on each day, the
      interest it would not earn included (trial RS40 M1: without it, a 10-condor book on $20M over 2007-2022 read
      $103,694, the $2.79M of interest its $20M earned counted as capital; $1,361,231 with it). Without ``growth``,
      the initial cash less the lowest excess;
    * ``capital_needed_date`` and ``capital_needed_growth``: the day that sets it and what a dollar of the start had
      grown to then (None without ``day_low`` and ``days``): the lowest excess as measured may fall on another day
      (trial RD39 M2: a $20M book's lowest was its first day's $19,896,306; 2022-05-04's $20,927,505 over 1.12279
      set its $1,361,231).
    """
    margin_usd, excess_usd = np.asarray(margin_usd, dtype=np.float64), np.asarray(excess_usd, dtype=np.float64)
    if not len(margin_usd):
        return {**dict.fromkeys(("peak_margin_usd", "peak_margin_per_condor_usd", "min_excess_liquidity_usd",
                                 "capital_needed_usd"), float("nan")),
                **dict.fromkeys(("capital_needed_date", "capital_needed_growth", "min_excess_liquidity_date",
                                 "min_excess_liquidity_at"))}
    k, j = int(np.argmax(margin_usd)), int(np.argmin(excess_usd))
    peak, held = float(margin_usd[k]), float(condors[k]) if k < len(condors) else 0.0
    low = min(float(excess_usd[j]), float(low_check_usd))
    check = low_check_usd < excess_usd[j] - 0.005 and low_check_day is not None
    day = low_check_day if check else (days[j] if len(days) else None)
    g = np.ones(len(excess_usd)) if growth is None else np.asarray(growth, dtype=np.float64)[:len(excess_usd)]
    scaled = np.asarray(excess_usd if day_low is None else day_low, dtype=np.float64) / g  # (in dollars of the start)
    k = int(np.argmin(scaled))
    start = float(scaled[k]) if day_low is not None else min(float(scaled[k]), float(low_check_usd))
    known = day_low is not None and len(days) > 0  # (the day that sets it, and the growth then: trial RD39 M2)
    return {"peak_margin_usd": peak, "peak_margin_per_condor_usd": peak / held if held > 0 else float("nan"),
            "min_excess_liquidity_usd": low, "capital_needed_usd": float(initial_cash_usd) - start,
            "capital_needed_date": days[k].isoformat()[:10] if known else None,
            "capital_needed_growth": float(g[k]) if known else None,
            "min_excess_liquidity_date": None if day is None else day.isoformat()[:10],
            "min_excess_liquidity_at": None if day is None else "check_before_trades" if check else "day_end"}


def nav_ratio(x: np.ndarray, nav: np.ndarray) -> tuple[float, float]:
    """Return the peak and the mean of ``x / nav`` over the days with NAV > 0 (NaN, NaN without one): the
    utilisation and leverage figures of :func:`capital_metrics` (a sweep's ``peak_margin_utilisation`` column,
    :mod:`vixhedge.sweep_metrics`, is this peak on the point's day-end requirement)."""
    nav = np.asarray(nav, dtype=np.float64)
    live = nav > 0
    r = np.asarray(x, dtype=np.float64)[live] / nav[live]
    return (float(r.max()), float(r.mean())) if len(r) else (float("nan"), float("nan"))
