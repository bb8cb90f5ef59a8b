"""What :func:`strategies.hedge.decide_alvh` reads of the signals, for every point and bar of a kernel chunk.

The ALVH decision mixes the bar's signals with the book's state. Everything that depends on the signals and
the point's settings only (which branch a bar takes: divergence, crossover or review; the rule it applies;
the review's cadence; the RSI and term-structure filters; the sizing multiple; the placement) is computed
here at once for the whole window, as [days, points] arrays; :mod:`vixhedge.kernel_book` combines them with
the state bar by bar (layers held, bars since the last action, the condor held).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

from strategies.hedge import cadence_bars
from vixhedge.core.config import Config, HedgeInstrument, HedgeMode, LayerSizing, SignalAction

ACTIONS = {SignalAction.NOTHING: 0, SignalAction.ADD_LAYER: 1, SignalAction.REMOVE_NEWEST: 2,
           SignalAction.REMOVE_ALL: 3}
ADD, NEWEST = 1, 2  # codes of ACTIONS the state machine tests
SIGNALS = ("series", "macd", "signal", "hist", "divergence", "confirmed_cross", "regime", "agree_up", "agree_down",
           "fomc_window", "event_window", "macd_slope", "ad_weakening", "expanding_above_zero", "rsi", "term_ratio",
           "flattening", "fomc_near")


def _settings(cfgs: list[Config]) -> dict[str, np.ndarray]:
    hs = [c.hedge for c in cfgs]
    col = lambda f, dtype=float: np.array([f(h) for h in hs], dtype=dtype)  # noqa: E731
    return {
        "alvh": col(lambda h: h.policy_name == "alvh", bool),  # the signals decide (none: nothing; static: size)
        "static": col(lambda h: h.policy_name == "static", bool),
        "static_layers": col(lambda h: h.static_layers, int),
        "div_on": col(lambda h: h.divergence.enabled, bool), "div_rm": col(lambda h: h.divergence.remove_layers, int),
        "hold": col(lambda h: h.divergence.hold_adds, int),
        "cut": col(lambda h: h.divergence.condor_cut), "scale": col(lambda h: h.divergence.condor_scale),
        "fomc_div": col(lambda h: h.fomc.enabled and h.fomc.divergence, bool),
        "fomc_rm": col(lambda h: h.fomc.divergence_remove_layers, int), "fomc_on": col(lambda h: h.fomc.enabled, bool),
        "require_ad": col(lambda h: h.fomc.require_ad, bool), "cadence": col(cadence_bars, int),
        "up": col(lambda h: ACTIONS[h.on_cross_up], int), "down": col(lambda h: ACTIONS[h.on_cross_down], int),
        "review": col(lambda h: h.review_bars, int), "need": col(lambda h: h.confirm.hold_bars + 1, int),
        "strict": col(lambda h: h.confirm.require_expanding, bool), "exp_cad": col(lambda h: h.expansion.cadence, bool),
        "exp_review": col(lambda h: h.expansion.review_bars, int), "exp_size": col(lambda h: h.expansion.sizing, bool),
        "exp_mult": col(lambda h: h.expanding_layer_multiple), "next_mult": col(lambda h: h.next_layer_multiple),
        "carry_on": col(lambda h: h.fractional_carry, bool), "first_n": col(lambda h: h.first_layer_contracts, int),
        "vega_on": col(lambda h: h.sizing is LayerSizing.VEGA_RATIO, bool),
        "target": col(lambda h: h.target_hedge_ratio),
        "max_layers": col(lambda h: h.max_layers, int), "max_notional": col(lambda h: h.max_notional_usd),
        "need_condor": col(lambda h: h.require_condor, bool), "rsi_on": col(lambda h: h.rsi.enabled, bool),
        "rsi_add": col(lambda h: h.rsi.add_min), "rsi_rm": col(lambda h: h.rsi.remove_max),
        "ts_on": col(lambda h: h.term_structure.enabled, bool), "ts_add": col(lambda h: h.term_structure.add_min_ratio),
        "ts_rm": col(lambda h: h.term_structure.remove_max_ratio), "tenor": col(lambda h: h.tenor_months, int),
        "roll_days": col(lambda h: h.roll_days, int), "place_on": col(lambda h: h.placement.enabled, bool),
        "flat_tenor": col(lambda h: h.placement.flat_extra_tenor, int),
        "slope_on": col(lambda h: h.slope.enabled, bool), "steep": col(lambda h: h.slope.steep),
        "opt": col(lambda h: h.instrument is not HedgeInstrument.VX_FUTURE or h.mode is HedgeMode.VXTH, bool),
        "spread": col(lambda h: h.instrument is HedgeInstrument.VIX_CALL_SPREAD and h.mode is not HedgeMode.VXTH, bool),
        "vxth": col(lambda h: h.policy_name == "vxth", bool), "vx_delta": col(lambda h: h.vxth.call_delta),
        "vx_min": col(lambda h: h.vxth.min_sessions, int), "vx_levels": col(lambda h: h.vxth.levels),
        "vx_weights": col(lambda h: h.vxth.weights),
        "width": col(lambda h: h.spread_width_points), "otm": col(lambda h: h.spread_long_otm),
        "flat_otm": col(lambda h: h.placement.flat_extra_otm),
        "restrike_min": col(lambda h: h.placement.restrike_min_points), "near_otm": col(lambda h: h.slope.near_otm),
        "max_premium": col(lambda h: h.premium_budget_usd),
    }


@dataclass
class Book:
    """Per point: its settings (``cfg``, [points]); per bar and point (``[days, points]``) what its signals say."""

    cfg: dict[str, np.ndarray]
    div: np.ndarray  # bool: a bullish divergence fires (with layers held it removes some and takes the bar)
    near: np.ndarray  # bool: ... near an FOMC meeting, with fomc.divergence on
    cross: np.ndarray  # bool: a crossover decides the bar (unless the divergence removes layers)
    review: np.ndarray  # bool: no crossover; a persisting regime asks the review (if it is due)
    review_up: np.ndarray  # bool: ... the regime above the signal line (review_fear_rising: divergence.hold_adds)
    bars: np.ndarray  # the review's cadence on the bar (the window / expansion cadences: add reviews only)
    rule: np.ndarray  # int8 ACTIONS code of the crossover's / review's rule
    remove_ok: np.ndarray  # bool: the RSI and term-structure filters allow a removal
    add_ok: np.ndarray  # bool: ... an add
    multiple: np.ndarray  # later layers' size multiple (expansion_sizing)
    months: np.ndarray  # contract month of a later layer (placement; slope_breakeven also for a first)
    first_months: np.ndarray  # ... of a first layer (no flattening placement)
    otm: np.ndarray  # option layers: long_otm of a later layer (placement; slope_breakeven also for a first)
    first_otm: np.ndarray  # ... of a first layer
    restrike: np.ndarray  # bool: option layers: flattening_placement moves outer layers (placement.restrikes)
    layers: int  # slots: the most layers a point holds (max_layers; static_layers for the static policy's points)

    @classmethod
    def of(cls, cfgs: list[Config], signal_sets: Iterable, i0: int, i1: int) -> Book:
        c = _settings(cfgs)
        sl = slice(i0, i1 + 1)
        cols: dict[str, np.ndarray] = {}
        for p, s in enumerate(signal_sets):  # one point's SignalSet at a time: memory holds the [days, points] arrays
            for name in SIGNALS:
                a = np.asarray(getattr(s, name))[sl]
                if name not in cols:
                    cols[name] = np.empty((len(cfgs), len(a)), dtype=a.dtype)
                cols[name][p] = a
        g = lambda name: cols[name].T  # noqa: E731  [days, points] views
        macd, signal, hist = g("macd"), g("signal"), g("hist")
        with np.errstate(invalid="ignore"):
            valid = (c["alvh"] & np.isfinite(g("series")) & np.isfinite(macd) & np.isfinite(signal)
                     & np.isfinite(hist))
            div = valid & c["div_on"] & (g("divergence") > 0)
            ev = g("confirmed_cross")
            cross = valid & (ev != 0)
            regime = g("regime")
            up = (macd > signal) & (regime >= c["need"]) & (g("agree_up") | ~c["strict"])
            down = ~up & (macd < signal) & (regime <= -c["need"]) & (g("agree_down") | ~c["strict"])
            window = (c["fomc_on"] & g("fomc_window")) | g("event_window")
            slope = g("macd_slope")
            rising = (slope > 0) & ~g("flattening")  # as strategies.hedge.review_cadence
            fast = window & rising & (~c["require_ad"] | (g("ad_weakening") == 1.0))
            exp0 = g("expanding_above_zero")
            adds = np.where(up, c["up"], c["down"]) == ADD  # the review would add: its cadence may be faster
            bars = np.where(adds & fast, c["cadence"],
                            np.where(adds & c["exp_cad"] & exp0, c["exp_review"], c["review"]))
            review = valid & (ev == 0) & (c["review"] > 0) & (up | down)
            rule = np.where(cross, np.where(ev > 0, c["up"], c["down"]), np.where(up, c["up"], c["down"]))
            rsi, ratio = g("rsi"), g("term_ratio")
            remove_ok = (~c["rsi_on"] | (rsi <= c["rsi_rm"])) & (~c["ts_on"] | ~(ratio > c["ts_rm"]))
            add_ok = (~c["rsi_on"] | (rsi >= c["rsi_add"])) & (~c["ts_on"] | ~(ratio < c["ts_add"]))
            flat = c["place_on"] & g("flattening")
            steep = c["slope_on"] & (slope >= c["steep"])  # VX layers: one month nearer, if there is one
        vx_flat, vx_steep = flat & ~c["opt"], steep & ~c["opt"] & (c["tenor"] > 1)
        months = np.where(vx_flat, c["tenor"] + c["flat_tenor"], np.where(vx_steep, c["tenor"] - 1, c["tenor"]))
        near = c["otm"] - c["near_otm"]
        rows = (div, c["fomc_div"] & g("fomc_near"), cross, review, review & up, bars, rule.astype(np.int8), remove_ok, add_ok,
                np.where(c["exp_size"] & exp0, c["exp_mult"], c["next_mult"]), months,
                np.where(vx_steep, c["tenor"] - 1, c["tenor"]),
                np.where(flat, c["otm"] + c["flat_otm"], np.where(steep, near, c["otm"])),
                np.where(steep, near, c["otm"]), valid & flat & c["opt"])
        slots = int(np.where(c["static"], c["static_layers"], c["max_layers"]).max())
        return cls(c, *(np.ascontiguousarray(a) for a in rows), slots)  # a bar is a row
