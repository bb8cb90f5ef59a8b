"""The placebo test's pure core (``vixhedge placebo``; README "Is the timing worth anything? A placebo").

From a reference run: its layers as the placebo's ``[contracts, tenor_months, sessions_held]`` triples
(:func:`reference_layers`), the bars on which it could add (:func:`add_bars`) and the placebo's ``p_add``
(:func:`p_add`); from the placebo seeds' rows: the ranking and one-sided p-value of each metric (:func:`rank`),
the distribution and exposure match (:func:`summarise`) and the verdict in words (:func:`verdict`). Imports no
backtrader and runs nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from analyzers.hedge_cost import CAUSE_NAMES
from feeds import calendars
from vixhedge.fmt import num, pct, plural, usd

#: the ranked metrics: (placebo.csv column, label, higher is better)
METRICS = (("hedge_pnl_usd", "hedge P&L", True), ("max_drawdown", "max drawdown", False),
           ("cvar95", "CVaR 95%", False), ("sharpe", "Sharpe", True))
#: how much hedge a run held (metrics.json hedge_cost): the exposure the placebo is matched on
EXPOSURE = ("layers_opened", "contract_sessions", "mean_layers_held")
MEAN_DIGITS = {"layers_opened": 1, "contract_sessions": 0, "mean_layers_held": 2}  # the placebos' means, as shown
#: the hedge's P&L by cause (metrics.json hedge_cost, README *Hedge cost* (4)): (placebo.csv column, label), ranked as a
#: metric, higher better; with hedge_cost.fees_usd they sum to hedge_cost.net_pnl_usd, so without it to hedge P&L
#: (pnl.hedge_pnl_usd, fees excluded), to the cent each layer's figures are rounded to
CAUSES = tuple(CAUSE_NAMES.items())
COLUMNS = ("seed", *(m for m, _, _ in METRICS), *EXPOSURE, *(c for c, _ in CAUSES))
ALPHA = 0.05  # the verdict's one-sided level
SAME_EXPOSURE = 0.05  # the placebos' mean contract-sessions within this share of the reference's: "the same exposure"


def row_of(metrics: Mapping) -> dict[str, float]:
    """A run's placebo.csv figures from its metrics.json dict: hedge P&L (pnl), max drawdown, CVaR 95% and Sharpe
    (performance), layers opened, contract-sessions and mean layers held, and the P&L by cause (hedge_cost:
    :data:`CAUSES`)."""
    perf, held = metrics["performance"], metrics["hedge_cost"]
    return {"hedge_pnl_usd": float(metrics["pnl"]["hedge_pnl_usd"]), "max_drawdown": float(perf["max_drawdown"]),
            "cvar95": float(perf["cvar_95"]), "sharpe": float(perf["sharpe"]),
            "layers_opened": int(held["layers_opened"]), "contract_sessions": int(held["contract_sessions"]),
            "mean_layers_held": float(held["mean_layers_held"]), **{c: float(held[c]) for c, _ in CAUSES}}


def entry_tenor(entry: dt.date, expiry: dt.date) -> int:
    """The VX month (1 = front) of a contract settling on ``expiry``, counted on ``entry``: the monthly contracts
    settling after ``entry`` up to ``expiry`` (one settling on ``entry`` has stopped trading that morning)."""
    return max(1, len(calendars.vx_contracts(entry + dt.timedelta(days=1), expiry)))


def reference_layers(layers: pd.DataFrame, trades: pd.DataFrame) -> list[list[int]]:
    """The reference run's layers (layers.csv) as ``[contracts, tenor_months, sessions_held]`` triples, in layer
    order: contracts opened, the VX month of the contract it opened in (its first fill's expiry in trades.csv,
    component ``hedge:L<id>``, on its entry day; a roll moves layers.csv ``legs`` on) and ``sessions_held``
    (at least 1: a layer held to the run's last day counts the sessions it was held)."""
    first = {}
    if len(trades):
        buys = trades[trades["component"].astype(str).str.startswith("hedge:L")]
        days = buys["date"] if "date" in buys.columns else buys.index  # (a RunResult's frames: indexed by date)
        for comp, day, expiry in zip(buys["component"], days, buys["expiry"], strict=True):
            first.setdefault(str(comp), (_day(day), _day(expiry)))
    out = []
    for lid, contracts, entry, held in zip(layers["layer_id"], layers["contracts"], layers["entry_date"],
                                           layers["sessions_held"], strict=True):
        day, expiry = first.get(f"hedge:L{int(lid)}", (_day(entry), None))
        tenor = entry_tenor(day, expiry) if expiry is not None else 1
        out.append([int(contracts), tenor, max(1, int(held))])
    return out


def drawn_layers(layers: list[list[int]], table: pd.DataFrame) -> list[list[int]]:
    """The triples the placebo draws from: the reference's ``layers`` (:func:`reference_layers`) that it closed before
    the window's end (layers.csv ``exit_reason`` not ``open``), or all of them where none closed: a layer still open
    at the end has a hold the end cut short, which a placebo drawing it earlier would hold that short again (review
    26b: contract-sessions 16% short on a half-year window). The reference's count of layers sets ``p_add``."""
    closed = [t for t, why in zip(layers, table["exit_reason"], strict=True) if str(why) != "open"]
    return closed or layers


def _day(v) -> dt.date:
    return v if type(v) is dt.date else pd.Timestamp(v).date()


def add_bars(daily: pd.DataFrame, max_layers: int, require_condor: bool) -> int:
    """The sessions on which the reference could add a layer (daily.csv): fewer than ``max_layers`` layers open at
    the previous close (``hedge_layers``; none before the first day) and, with ``require_condor``, a condor open
    (``condor_max_loss_usd`` > 0: the condor is managed before the hedge policy decides)."""
    held = daily["hedge_layers"].to_numpy(dtype=float)
    before = np.concatenate([[0.0], held[:-1]])
    ok = before < max_layers
    if require_condor:
        ok &= daily["condor_max_loss_usd"].to_numpy(dtype=float) > 0
    return int(ok.sum())


def p_add(layers_opened: int, bars: float) -> float:
    """The placebo's chance of an add per bar that could take one: the reference's layers over the bars that could
    (:func:`add_bars`), so the expected adds match the reference's; rounded to 6 decimals (it is written in
    config.toml), at most 1: ``vixhedge placebo``'s first ``p_add``, then scaled by pilot rounds
    (:func:`vixhedge.placebo.run_placebo`)."""
    return round(min(1.0, layers_opened / bars), 6) if bars > 0 else 0.0


def rank(reference: float, values: Sequence[float], higher_better: bool) -> tuple[int | None, float]:
    """``(k, p)``: the placebos ``values`` at least as good as ``reference`` (>= when higher is better, else <=) and
    the one-sided p-value (k + 1) / (N + 1) (the reference counted among the draws: never 0), over the values that are
    numbers only (N their count: a NaN seed, a flat book's Sharpe, is left out, not counted as worse in both tails:
    review 27); ``(None, NaN)`` for a reference that is not a number, or no placebo that is (every comparison false
    read as the best: review 26b, and k = 0 printed as beating them all: review 27)."""
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if not np.isfinite(reference) or not len(v):
        return None, float("nan")
    k = int(np.sum(v >= reference) if higher_better else np.sum(v <= reference))
    return k, (k + 1) / (len(v) + 1)


def ranked_figure(reference: float, values: Sequence[float], label: str, higher: bool) -> dict:
    """One figure's entry in placebo.json: the reference, the placebos' median and 5% / 95% quantiles (numpy's linear
    interpolation), the count ``k`` at least as good, the p-value (:func:`rank`) and the other tail's, over the
    seeds whose figure is a number (``not_a_number``: how many were not, left out)."""
    v = np.array(values, dtype=float)
    k, p = rank(reference, v, higher)
    worse = rank(reference, v, not higher)[1]  # the mirror: placebos at most as good, the other tail
    finite = v[np.isfinite(v)]
    q = ((float(np.median(finite)), *(float(np.quantile(finite, a)) for a in (0.05, 0.95))) if len(finite)
         else (np.nan,) * 3)
    return {"label": label, "better": "higher" if higher else "lower", "reference": reference, "median": q[0],
            "q05": q[1], "q95": q[2], "at_least_as_good": k, "p_value": round(p, 6), "p_value_worse": round(worse, 6),
            "not_a_number": len(v) - len(finite)}


def summarise(reference: Mapping[str, float], rows: Sequence[Mapping[str, float]]) -> dict:
    """placebo.json's figures: per metric its :func:`ranked_figure`; the exposure match (the placebos' mean and the
    reference's, and their ratio); per cause (:data:`CAUSES`) its :func:`ranked_figure`, higher P&L better, and
    ``held``: whether the reference or any placebo had a figure other than 0 (an option hedge has no VX carry)."""
    n = len(rows)
    metrics = {key: ranked_figure(reference[key], [r[key] for r in rows], label, higher)
               for key, label, higher in METRICS}
    causes = {key: {**ranked_figure(reference[key], [r[key] for r in rows], label, True),
                    "held": bool(reference[key] != 0 or any(r[key] != 0 for r in rows))}
              for key, label in CAUSES}
    exposure = {}
    for key in EXPOSURE:
        mean = float(np.mean([r[key] for r in rows]))
        ref = float(reference[key])
        exposure[key] = {"reference": ref, "placebo_mean": mean, "placebo_min": float(min(r[key] for r in rows)),
                         "placebo_max": float(max(r[key] for r in rows)),
                         "ratio": round(mean / ref, 6) if ref else None}
    return {"seeds": n, "metrics": metrics, "exposure": exposure, "causes": causes}


def figure(key: str, v: float) -> str:
    """A metric's value as the summary prints it: dollars, a percent or a plain number."""
    if key == "hedge_pnl_usd":
        return usd(v)
    if key in ("max_drawdown", "cvar95"):
        return pct(v)
    return num(v)


def verdict(policy: str, summary: Mapping, key: str = "hedge_pnl_usd") -> str:
    """The plain-words verdict on ``key`` (hedge P&L): the reference, how many placebos did as well or better, the
    p-value and what it means at the one-sided 5% level."""
    m, n = summary["metrics"][key], ranked(summary, key)
    k, p = m["at_least_as_good"], m["p_value"]
    if not p == p:  # NaN: the reference's figure is not a number, or no placebo's is
        if m["reference"] == m["reference"]:
            return f"{policy}'s {m['label']}: no placebo's is a number: no verdict"
        return f"{policy}'s {m['label']} is not a number: no verdict"
    if p <= ALPHA:
        means = "on this market path its timing beats buying the same hedge at random times"
    elif m["p_value_worse"] <= ALPHA:  # the same test on the other tail (review 26b: p >= 0.95 was looser)
        means = "on this market path its timing did worse than buying the same hedge at random times"
    else:
        means = "on this market path its timing is not distinguishable from random"
    return (f"{policy}'s {m['label']} {figure(key, m['reference'])}: {k} of {plural(n, 'placebo')} with "
            f"{exposure_words(summary)} did as well or better (p = {p_text(p)}{nan_words(m, '; ')}): {means}")


def exposure_words(summary: Mapping) -> str:
    """"the same exposure" where the placebos' mean contract-sessions is within :data:`SAME_EXPOSURE` of the
    reference's, else how far off it is (review 26b: the words said "the same" whatever the gap)."""
    ratio = summary["exposure"]["contract_sessions"]["ratio"]
    if ratio is None or apart(ratio) <= SAME_EXPOSURE:
        return "the same exposure"
    return f"{pct(apart(ratio), 0)} {'more' if ratio > 1 else 'less'} exposure (contract-sessions)"


def apart(ratio: float) -> float:
    """How far ``ratio`` is from 1, rounded to 9 decimals, to compare with :data:`SAME_EXPOSURE`: in floating point
    abs(0.95 - 1.0) = 0.05000000000000004, so a ratio of exactly 0.95 or 1.05 read "5% less / more", not within 5%
    (trial MUT27)."""
    return round(abs(ratio - 1.0), 9)


def p_text(p: float) -> str:
    """A p-value as the summary, report, figure and verdict print it: two decimals, more where two would put it on the
    other side of :data:`ALPHA` than the verdict reads it (trial STAT32: 19 seeds, one not a number, p = 1/19 =
    0.0526 printed "p = 0.05" beside "not distinguishable from random"; now 0.053); ``n/a`` for a reference's NaN
    figure. placebo.json keeps p to 6 decimals, so 6 at most."""
    from vixhedge.verdicts import p_figure  # (ALPHA is its LEVEL)

    return p_figure(p, 2)


def ranked(summary: Mapping, key: str, section: str = "metrics") -> int:
    """The placebos ``key`` (of ``section``: metrics, causes) is ranked among: the seeds whose figure is a number
    (``not_a_number`` left out)."""
    return summary["seeds"] - summary[section][key]["not_a_number"]


def k_text(summary: Mapping, key: str, section: str = "metrics") -> str:
    """"k of N" as the summary, report and figure print it, N the placebos ranked (:func:`ranked`); k ``n/a`` for a
    reference's NaN figure (review 27: "0 of 19 as good or better" read as beating every placebo)."""
    k = summary[section][key]["at_least_as_good"]
    return f"{'n/a' if k is None else k} of {ranked(summary, key, section)}"


def nan_words(m: Mapping, lead: str = "") -> str:
    """``lead`` and "10 placebos not a number, left out" where seeds' figures were not numbers, else ""."""
    bad = m["not_a_number"]
    return f"{lead}{plural(bad, 'placebo')} not a number, left out" if bad else ""


def tail_words(m: Mapping) -> str:
    """A metric line's ending where either tail is at the verdict's level (trial RS28: a CVaR worse than all 100
    placebos was in placebo.json alone, the verdict being hedge P&L's)."""
    words = tail_verdict(m, f" at {pct(ALPHA, 0)}")
    return f": {words}" if words else ""


def tail_verdict(m: Mapping, level: str = "") -> str:
    """"better than random", "WORSE than random (the other tail's p = 0.01)" or "" (neither tail at :data:`ALPHA`),
    ``level`` after "random" (:func:`tail_words`' " at 5%"); the page's verdict column has its own (trial VIS35 L2:
    the words in the p cell wrapped it)."""
    if m["p_value"] <= ALPHA:
        return f"better than random{level}"
    if m["p_value_worse"] <= ALPHA:
        return f"WORSE than random{level} (the other tail's p = {p_text(m['p_value_worse'])})"
    return ""


def lines(policy: str, summary: Mapping) -> list[str]:
    """The summary's lines: one per metric (reference, the placebos' median and 5-95% range, k of N, p), the
    exposure match, and the verdict last."""
    out = []
    for key, label, higher in METRICS:
        m = summary["metrics"][key]
        f = lambda v: figure(key, v)  # noqa: E731
        out.append(f"  {label:<14} {policy} {f(m['reference'])}; placebos median {f(m['median'])} "
                   f"[5% {f(m['q05'])}, 95% {f(m['q95'])}]; {k_text(summary, key)} as good or better "
                   f"({'higher' if higher else 'lower'} is better), p = {p_text(m['p_value'])}{tail_words(m)}"
                   f"{nan_words(m, '; ')}")
    e = summary["exposure"]
    mean = lambda k: num(e[k]["placebo_mean"], MEAN_DIGITS[k])  # noqa: E731
    out.append(f"  {'exposure':<14} layers opened {mean('layers_opened')} placebo mean vs "
               f"{int(e['layers_opened']['reference'])} {policy}; contract-sessions "
               f"{mean('contract_sessions')} vs {int(e['contract_sessions']['reference']):,}; "
               f"mean layers held {mean('mean_layers_held')} vs {num(e['mean_layers_held']['reference'])}")
    out.append(verdict(policy, summary))
    return out


def held_causes(summary: Mapping) -> list[str]:
    """The causes the summary's lines and the page show: those the reference or a placebo held (a VX-future hedge:
    VX carry, VIX move, fills; an option hedge: option marks, fills), in :data:`CAUSES` order."""
    return [key for key, m in summary["causes"].items() if m["held"]]


def causes_words(summary: Mapping) -> str:
    """What the by-cause figures are and which one tests the timing (trial RS32: alvh's cost against static was its VIX
    move in calm years, and the placebo could not say whether random timing did as badly)."""
    shown = held_causes(summary)
    parts = " + ".join(summary["causes"][k]["label"] for k in shown)
    why = ("the VIX move (the exposure held x the VIX's moves) is the line that tests the timing at the same "
           "exposure; the carry (the rest of the futures' moves: the curve's roll-down and what the model's beta "
           "misses) depends on when too; the split of the two rests on the model's dF/dVIX, their sum (the futures' "
           "own moves) does not" if "vx_vix_move_usd" in shown else
           "VIX options' marks are not split into carry and VIX move: no line isolates the timing")
    return f"hedge P&L (fees excluded) = {parts}; {why}"


def multiple_tests(summary: Mapping) -> str:
    """How many of the lines ranked (the metrics and the causes held whose p is a number) would reach 5% in either
    tail by chance alone if the timing were random, as compare's and a walk-forward's "CI caveat" count their
    intervals (:func:`vixhedge.verdicts.chance_words`: each of n tests at 5% fires with chance 5%, so about 0.05 n),
    and that the causes are parts of one sum (trial STAT32: the default placebo's VX carry "better than random" and
    its VIX move "WORSE than random" are the hedge P&L split in two, not two pieces of evidence); "" for none."""
    def tested(keys, section: str) -> list[dict]:  # (a NaN p, a reference's figure n/a, is no test)
        return [summary[section][k] for k in keys if summary[section][k]["p_value"] == summary[section][k]["p_value"]]

    metrics, causes = tested([k for k, _, _ in METRICS], "metrics"), tested(held_causes(summary), "causes")
    if not metrics + causes:
        return ""
    tails = 2 * len(metrics + causes)
    ranked_words = plural(len(metrics), "metric") + (f", {plural(len(causes), 'cause')}" if causes else "")
    out = (f"{plural(len(metrics + causes), 'line')} ranked ({ranked_words}), each tested in both tails at "
           f"{pct(ALPHA, 0)}: if the timing were no better or worse than random, about {num(ALPHA * tails, 1)} of "
           f"their {tails} tails would still reach {pct(ALPHA, 0)} by chance (each at its own {pct(ALPHA, 0)}); "
           + holm_tails(metrics + causes, int(summary["seeds"])))
    if causes:
        split = ("VX carry and VIX move are not independent evidence: one better and the other worse than random "
                 "can be one P&L split in two" if "vx_vix_move_usd" in held_causes(summary) else
                 "they are not independent evidence")
        out += f"; the causes are parts of one sum, the hedge P&L (fees excluded), so {split}"
    return out


def holm_tails(lines: list[dict], seeds: int) -> str:
    """Holm's adjustment (:func:`vixhedge.verdicts.holm`, as compare's Holm line) of the ranked ``lines``' one-sided
    p-values in both tails (placebo.json ``p_value``, ``p_value_worse``): which "better" or "worse than random" hold
    with at most a 5% chance of any false one among them. A p of N = ``seeds`` placebos is a Monte-Carlo estimate as a
    bootstrap's is: a tail whose adjusted p lies within its error of 5% is undecided, neither holding nor not
    (:func:`vixhedge.verdicts.holm_undecided` of one-sided p, q = p), and none can hold where the smallest p,
    1 / (N + 1), times the tails is above 5% or within that error of it (100 placebos, 14 tails: 0.139): the words
    say how many seeds would let one (N about 73.7 x the tails: 1,032 for 14)."""
    from vixhedge.verdicts import (can_hold, draws_to_hold, floor_words, holm, holm_held, holm_undecided,
                                   undecided_clause)

    names = [f"{m['label']} {side} than random" for m in lines for side in ("better", "worse")]
    p = np.array([m[k] for m in lines for k in ("p_value", "p_value_worse")], dtype=float)
    adj = holm(p)
    near = holm_undecided(p, adj, seeds, tails=1)
    later = undecided_clause(names, adj, near, draws="placebos")
    held = holm_held([n for n, u in zip(names, near) if not u], adj[~near])  # (at most ALPHA, as compare's line)
    how = (f"Holm's adjustment of the {len(adj)} tails' p-values for at most a {pct(ALPHA, 0)} chance of any false "
           "verdict: ")
    if held:
        return how + f"{len(held)} {'holds' if len(held) == 1 else 'hold'}: " + ", ".join(held) + later
    if not can_hold(len(adj), seeds, tails=1):
        floor = len(adj) / (seeds + 1)
        why = "" if floor > ALPHA else (f", within Monte-Carlo error of {pct(ALPHA, 0)}, as a p resting on no "
                                        f"placebo past the reference {floor_words(seeds)}")
        return how + (f"none can hold at {plural(seeds, 'placebo')} (the smallest p, 1/{seeds + 1}, times "
                      f"{len(adj)} is {num(floor, 3)}{why}: --seeds {draws_to_hold(len(adj), tails=1)} or more lets "
                      "one)")  # (no table marks a tail undecided, as compare's does: nothing more to name)
    return how + "no tail holds" + later


def cause_lines(policy: str, summary: Mapping) -> list[str]:
    """The summary's "by cause" block: what it is (:func:`causes_words`), then a line per cause held
    (:func:`held_causes`): the reference, the placebos' median and 5-95% range, k of N, p; none where none is held."""
    shown = held_causes(summary)
    if not shown:
        return []
    out = [f"  {'by cause':<14} {causes_words(summary)}"]
    for key in shown:
        m = summary["causes"][key]
        out.append(f"  {'  ' + m['label']:<20} {policy} {usd(m['reference'])}; placebos median {usd(m['median'])} "
                   f"[5% {usd(m['q05'])}, 95% {usd(m['q95'])}]; {k_text(summary, key, 'causes')} as good or better, "
                   f"p = {p_text(m['p_value'])}{tail_words(m)}{nan_words(m, '; ')}")
    return out
