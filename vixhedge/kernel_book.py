"""The kernel's hedge book: :class:`strategies.trader.Trader`'s ALVH state machine for VX-future layers, on
arrays of points (one row per point, one column per layer slot), advanced bar by bar.

Per bar, in the Trader's order: interest and the condor's settlement at the open, the maintenance and ruin
checks, the condor's exit and entry (:mod:`vixhedge.kernel_condor`, with each point's capital caps and buying
power checked), then the policy (:func:`strategies.hedge.decide_alvh`: divergence, else the crossover, else
the review at its cadence; filters, sizing with fractional carry, caps, placement) and its actions: rolls,
then removals or an add (hedge budget, buying power). Layers are a stack (the policy removes the newest), so
a point's open layers are its first ``n`` slots. A point that takes a path the kernel does not replay gets a
reason and its row is not used (the caller runs it on the event path).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from strategies.hedge import cadence_bars
from vixhedge.config import Config, FillMode, SignalAction

HORIZON = 12  # VX contracts tracked past the front one (tenor <= 6, placement and roll skips on top)
MULT = 1000.0  # VX future multiplier (USD per point)
ACTIONS = {SignalAction.NOTHING: 0, SignalAction.ADD_LAYER: 1, SignalAction.REMOVE_NEWEST: 2,
           SignalAction.REMOVE_ALL: 3}
SIGNALS = ("divergence", "fomc_near", "confirmed_cross", "macd", "signal", "regime", "agree_up", "agree_down",
           "macd_slope", "fomc_window", "event_window", "ad_weakening", "expanding_above_zero", "rsi",
           "term_ratio", "flattening")


@dataclass
class Book:
    """Per point (rows): the hedge settings the state machine reads, and its signals over the window."""

    cfg: dict  # name -> [points] array
    sig: dict  # name -> [points, days] array
    valid: np.ndarray  # [points, days]
    layers: int  # slots: the largest max_layers

    @classmethod
    def of(cls, cfgs: list[Config], signal_sets: list, i0: int, i1: int) -> Book:
        hs = [c.hedge for c in cfgs]
        col = lambda f, dtype=float: np.array([f(h) for h in hs], dtype=dtype)  # noqa: E731
        cfg = {
            "div_on": col(lambda h: h.divergence.enabled, bool), "div_rm": col(lambda h: h.divergence.remove_layers, int),
            "fomc_div": col(lambda h: h.fomc.enabled and h.fomc.divergence, bool),
            "fomc_rm": col(lambda h: h.fomc.divergence_remove_layers, int),
            "fomc_on": col(lambda h: h.fomc.enabled, bool), "require_ad": col(lambda h: h.fomc.require_ad, bool),
            "cadence": col(cadence_bars, int), "up": col(lambda h: ACTIONS[h.on_cross_up], int),
            "down": col(lambda h: ACTIONS[h.on_cross_down], int), "review": col(lambda h: h.review_bars, int),
            "need": col(lambda h: h.confirm.hold_bars + 1, int), "strict": col(lambda h: h.confirm.require_expanding, bool),
            "exp_cad": col(lambda h: h.expansion.cadence, bool), "exp_review": col(lambda h: h.expansion.review_bars, int),
            "exp_size": col(lambda h: h.expansion.sizing, bool), "exp_mult": col(lambda h: h.expanding_layer_multiple),
            "next_mult": col(lambda h: h.next_layer_multiple), "carry_on": col(lambda h: h.fractional_carry, bool),
            "first_n": col(lambda h: h.first_layer_contracts, int), "max_layers": col(lambda h: h.max_layers, int),
            "max_notional": col(lambda h: h.max_notional_usd), "need_condor": col(lambda h: h.require_condor, bool),
            "rsi_on": col(lambda h: h.rsi.enabled, bool), "rsi_add": col(lambda h: h.rsi.add_min),
            "rsi_rm": col(lambda h: h.rsi.remove_max), "ts_on": col(lambda h: h.term_structure.enabled, bool),
            "ts_add": col(lambda h: h.term_structure.add_min_ratio),
            "ts_rm": col(lambda h: h.term_structure.remove_max_ratio), "tenor": col(lambda h: h.tenor_months, int),
            "roll_days": col(lambda h: h.roll_days, int), "place_on": col(lambda h: h.placement.enabled, bool),
            "flat_tenor": col(lambda h: h.placement.flat_extra_tenor, int), "slope_on": col(lambda h: h.slope.enabled, bool),
            "steep": col(lambda h: h.slope.steep),
        }
        sl = slice(i0, i1 + 1)
        sig = {name: np.stack([np.asarray(getattr(s, name))[sl] for s in signal_sets]) for name in SIGNALS}
        valid = np.stack([np.isfinite(s.series[sl]) & np.isfinite(s.macd[sl]) & np.isfinite(s.signal[sl])
                          & np.isfinite(s.hist[sl]) for s in signal_sets])
        return cls(cfg, sig, valid, int(cfg["max_layers"].max()))


@dataclass
class Outcome:
    nav: np.ndarray  # [points, days] end-of-day NAV
    hedge_pnl: np.ndarray  # [points, days] daily P&L of the hedge group
    layers: np.ndarray  # [points] layers opened
    reason: list  # per point: "" or why the event path must run it


def _fill_prices(m, execution) -> tuple[np.ndarray, np.ndarray]:
    """Return (buy, sell) fill prices of every VX quote (:func:`vixhedge.desk.fill_price`)."""
    if execution.fill is FillMode.MID:
        return m.mid, m.mid
    if execution.fill is FillMode.BID_ASK:
        return m.ask, m.bid
    s = execution.slippage_fraction
    return m.mid + s * (m.ask - m.mid), m.mid - s * (m.mid - m.bid)


def simulate(b: Book, tape, m, cfg0: Config, rates: np.ndarray, gaps: np.ndarray, i0: int) -> Outcome:
    """Advance every point of ``b`` over the window (see the module docstring)."""
    c, s = b.cfg, b.sig
    P, W = b.valid.shape
    slots = np.arange(b.layers)[None, :]
    rows = np.arange(P)
    fee = cfg0.execution.fee_vx_future_usd
    frac = cfg0.margin.hedge_budget_nav_fraction
    cc = cfg0.condor
    buy_px, sell_px = _fill_prices(m, cfg0.execution)
    ncol = m.mid.shape[1]
    cash = np.full(P, cfg0.run.initial_cash_usd)
    condors = np.zeros(P)  # contracts of the condor held
    nl = np.zeros(P, dtype=np.int64)
    col = np.zeros((P, b.layers), dtype=np.int64)
    qty = np.zeros((P, b.layers))
    basis = np.zeros((P, b.layers))
    notional = np.zeros((P, b.layers))
    tenor = np.zeros((P, b.layers), dtype=np.int64)
    realized, first, carry = np.zeros(P), np.zeros(P), np.zeros(P)
    added = np.zeros(P, dtype=np.int64)
    last = np.full(P, -(10**9), dtype=np.int64)
    nav, hedge = np.empty((P, W)), np.empty((P, W))
    bad = np.zeros(P, dtype=bool)
    reason = [""] * P

    def flag(mask, why: str) -> None:
        for p in np.flatnonzero(mask & ~bad):
            reason[p] = why
        bad[:] |= mask

    def held() -> np.ndarray:
        return (slots < nl[:, None]) & (qty != 0)

    def over(k: int, per_contract: np.ndarray) -> np.ndarray:
        """Sum over held layers of qty x a per-(day, column) value (P&L at the mid, margins)."""
        return np.where(held(), qty * per_contract[k][col], 0.0).sum(axis=1)

    def pnl(k: int) -> np.ndarray:
        return np.where(held(), qty * (m.mid[k][col] - basis) * MULT, 0.0).sum(axis=1)

    def new_col(k: int, months: np.ndarray, use: np.ndarray) -> np.ndarray:
        """``Trader._new_layer_contract``: the ``months``-th contract, the next while it would roll at once
        (``use``: the points that trade it)."""
        j = m.first[k] + months - 1
        for _ in range(4):
            j = j + (m.days_to[k][np.minimum(j, ncol - 1)] <= c["roll_days"])
        flag(use & (j >= min(ncol, m.first[k] + HORIZON)), "no VX contract within the kernel's horizon")
        return np.minimum(j, ncol - 1)

    def affords(k: int, n: np.ndarray, j: np.ndarray) -> np.ndarray:
        """Buying power after buying ``n`` VX contracts of column ``j`` (Desk.buying_power_after) >= 0."""
        cost = n * fee - n * (m.mid[k][j] - buy_px[k][j]) * MULT
        req = tape.req_close[k] * condors + over(k, m.init) + n * m.init[k][j]
        return cash + pnl(k) - cost - req >= 0

    def close(k: int, mask: np.ndarray, slot: int) -> None:
        q = np.where(mask, qty[:, slot], 0.0)
        gain = q * (sell_px[k][col[:, slot]] - basis[:, slot]) * MULT
        gain = np.where(mask, gain, 0.0)
        realized[:] += gain
        cash[:] += gain - q * fee
        qty[mask, slot] = 0.0

    def open_(k: int, mask: np.ndarray, slot: np.ndarray, j: np.ndarray, n: np.ndarray) -> None:
        p, sl = rows[mask], slot[mask]
        col[p, sl], qty[p, sl], basis[p, sl] = j[mask], n[mask], buy_px[k][j[mask]]
        notional[p, sl] = n[mask] * m.mid[k][j[mask]] * MULT
        cash[:] -= np.where(mask, n * fee, 0.0)

    def _hedge_bar(k: int, i: int) -> None:
        """``Trader._manage_hedge`` with ``decide_alvh``: decide on the bar's state, then roll, remove or add."""
        g = {name: a[:, k] for name, a in s.items()}
        valid = b.valid[:, k]
        # --- the decision (on the state before any action)
        div = valid & c["div_on"] & (g["divergence"] > 0)
        rm = c["div_rm"]
        fomc = c["fomc_div"] & g["fomc_near"] & (nl > rm) & (c["fomc_rm"] > rm)
        n_div = np.minimum(np.where(fomc, c["fomc_rm"], rm), nl)
        ev = g["confirmed_cross"]
        cross = valid & ~div & (ev != 0)
        macd, sig, regime = g["macd"], g["signal"], g["regime"]
        up = (macd > sig) & (regime >= c["need"]) & (g["agree_up"] | ~c["strict"])
        down = ~up & (macd < sig) & (regime <= -c["need"]) & (g["agree_down"] | ~c["strict"])
        window = (c["fomc_on"] & g["fomc_window"]) | g["event_window"]
        fast = window & (g["macd_slope"] > 0) & (~c["require_ad"] | (g["ad_weakening"] == 1.0))
        bars = np.where(fast, c["cadence"], np.where(c["exp_cad"] & g["expanding_above_zero"], c["exp_review"],
                                                     c["review"]))
        review = valid & ~div & (ev == 0) & (c["review"] > 0) & (up | down) & (i - last >= bars)
        act = cross | review
        rule = np.where(cross, np.where(ev > 0, c["up"], c["down"]), np.where(up, c["up"], c["down"]))
        rsi, ratio = g["rsi"], g["term_ratio"]
        remove = (act & (rule >= 2) & (nl > 0) & (~c["rsi_on"] | (rsi <= c["rsi_rm"]))
                  & (~c["ts_on"] | ~(ratio > c["ts_rm"])))
        n_remove = np.where(div, n_div, np.where(remove, np.where(rule == 2, 1, nl), 0))
        add = (act & (rule == 1) & ~(c["need_condor"] & (condors == 0)) & (nl < c["max_layers"])
               & (~c["rsi_on"] | (rsi >= c["rsi_add"])) & (~c["ts_on"] | ~(ratio < c["ts_add"])))
        n, new_carry, months = _size(k, add, g)
        # --- rolls (layers not removed), then the removals, then the add
        removed = slots >= (nl - n_remove)[:, None]
        for j in range(b.layers):
            dte = m.days_to[k][col[:, j]]
            due = (j < nl) & ~removed[:, j] & (dte > 0) & (dte <= c["roll_days"])
            if due.any():
                q = qty[:, j].copy()
                close(k, due, j)
                to = new_col(k, np.where(tenor[:, j] > 0, tenor[:, j], c["tenor"]), due)
                flag(due & ~affords(k, q, to), "a roll exceeds buying power")
                open_(k, due, np.full(P, j), to, q)
        for j in range(b.layers):
            gone = (j < nl) & removed[:, j]
            if gone.any():
                close(k, gone, j)
        nl[:] -= n_remove
        last[(n_remove > 0) | add] = i
        carry[add] = new_carry[add]
        to = new_col(k, months, add)
        used = over(k, m.init)
        room = frac * np.maximum(cash + tape.marks_close[k] * condors + pnl(k), 0.0) - used
        limit = np.floor(room / m.init[k][to])
        n = np.where(limit < n, np.maximum(limit, 0), n)
        go = add & (n >= 1)
        if go.any():
            flag(go & ~affords(k, n, to), "a layer exceeds buying power")
            open_(k, go, nl, to, n)
            p = rows[go]
            tenor[p, nl[p]] = np.where(months == c["tenor"], 0, months)[p]
            p = rows[go & (nl == 0)]
            first[p] = notional[p, 0]
            nl[go] += 1
            added[go] += 1

    def _size(k: int, add: np.ndarray, g: dict) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``hedge._add``'s size (contracts, carry after it) and contract month of the layer each point adds."""
        unit = m.mid[k][new_col(k, c["tenor"], add)] * MULT
        first_layer = nl == 0
        multiple = np.where(c["exp_size"] & g["expanding_above_zero"], c["exp_mult"], c["next_mult"])
        want = multiple * first + carry
        n_carry = np.maximum(1, np.floor(want / unit + 0.5 + 1e-9))
        n_round = np.maximum(1, np.rint(multiple * first / unit))
        carried = c["carry_on"] & (unit > 0)
        n = np.where(first_layer, c["first_n"], np.where(carried, n_carry, n_round))
        new_carry = np.where(first_layer | ~carried, 0.0, np.clip(want - n_carry * unit, -unit, unit))
        capped = np.isfinite(c["max_notional"]) & (unit > 0)
        room = c["max_notional"] - np.where(slots < nl[:, None], notional, 0.0).sum(axis=1)
        fit = np.floor(np.where(capped, room, 0.0) / unit + 1e-9)
        n = np.maximum(np.where(capped & (fit < n), fit, n), 0)
        add &= n >= 1
        months = c["tenor"].copy()
        flat = ~first_layer & c["place_on"] & g["flattening"]
        steep = ~flat & c["slope_on"] & (g["macd_slope"] >= c["steep"]) & (c["tenor"] > 1)
        months = np.where(flat, months + c["flat_tenor"], np.where(steep, months - 1, months))
        return n, new_carry, months

    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        for k in range(W):
            i = i0 + k
            if k:
                cash += cash * rates[k - 1] * gaps[k - 1] / 365.0
            if tape.settled[k]:
                cash += tape.open_flows[k] * condors
                condors[:] = 0
            flag((held() & (m.settles[col] <= i)).any(axis=1), "a layer reached its settlement")
            book = pnl(k)
            flag(cash + tape.marks_open[k] * condors + book <= 0, "ruin (NAV <= 0)")
            flag(cash + book - tape.req_open[k] * condors - over(k, m.maint) < 0, "maintenance breach")
            if tape.exit[k]:
                cash += tape.exit_flows[k] * condors
                condors[:] = 0
            if tape.entry[k]:
                nav_e = cash + book
                limit = np.minimum(_fit(cc.max_loss_cap_nav_fraction * nav_e, tape.entry_loss[k]),
                                   _fit(cc.margin_cap_nav_fraction * nav_e, tape.entry_width[k]))
                condors[:] = np.minimum(tape.entry_n[k], limit)
                flag(condors < 1, "the capital caps refuse its condor")
                flag(cash + book - (tape.entry_cost[k] + tape.req_close[k]) * condors - over(k, m.init) < 0,
                     "its condor exceeds buying power")
                cash += tape.entry_flows[k] * condors
            _hedge_bar(k, i)
            book = pnl(k)
            nav[:, k] = cash + tape.marks_close[k] * condors + book
            hedge[:, k] = realized + book
    hedge_pnl = np.diff(hedge, axis=1, prepend=0.0)
    return Outcome(nav, hedge_pnl, added, reason)


def _fit(budget_usd: np.ndarray, per_condor_usd: float) -> np.ndarray:
    """:func:`strategies.condor._fit` on arrays of budgets."""
    if per_condor_usd <= 0:
        return np.zeros_like(budget_usd)
    return np.maximum(0, np.floor(budget_usd / per_condor_usd + 1e-9))
