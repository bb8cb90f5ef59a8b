"""Why a run traded less than its config asks, in words: it opened no condor, its hedge opened no layer (the rule
tags of the adds held back, the capital guard's refusals), adds ``hedge.require_condor`` held back for want of a
condor; from the trader's record (signals.csv). The console summary's warnings, metrics.json ``no_layer`` and
``held_without_condor``, and report.html's banners (:mod:`vixhedge.report_sections`)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from vixhedge.core import config as config_mod
from vixhedge.fmt import num, plural, usd


def idle_words(cfg: config_mod.Config, counts: Mapping) -> str:
    """Return why a run's statistics describe idle cash ("" when they do not): no condor and no hedge layer.
    A run with ``condor.enabled = false`` whose hedge traded is a hedge alone, as configured: no warning."""
    if counts["condors"] or counts["hedge_layers"]:
        return ""
    return "the statistics below describe idle cash, not " + ("a strategy" if not cfg.condor.enabled else
                                                                "the strategy")


def no_condor_words(cfg: config_mod.Config, counts: Mapping, log: pd.DataFrame) -> str:
    """Return why a run opened no condor ("" when it opened one or its config disables condors and its hedge
    traded) and what its statistics then describe, from the trader's record (signals.csv ``condor_not_placed``,
    :class:`strategies.condor.NotPlaced`): capital cuts, no entry day, or why the first entry day placed none.
    The console summary's warning and report.html's banner."""
    if counts["condors"] or not (cfg.condor.enabled or idle_words(cfg, counts)):
        return ""
    idle = idle_words(cfg, counts) or "the statistics below describe the hedge alone"
    if not cfg.condor.enabled:
        need = (" (hedge.require_condor = true: no layer opens without a condor; set it to false to run the hedge "
                "alone)" if cfg.hedge.require_condor and cfg.hedge.policy_name == "static" else "")
        return f"no trade was opened: condor.enabled = false and the hedge opened no layer{need}; {idle}"
    if "condor_not_placed" not in log.columns:  # a folder written before the trader recorded it
        return f"no condor was opened (capital cuts are in signals.csv, column 'capital'); {idle}"
    missed = log["condor_not_placed"].fillna("").astype(str)
    missed = missed[missed != ""]
    days = log["date"][missed.index] if "date" in log.columns else pd.Series(missed.index, index=missed.index)
    parts = missed.str.split(": ", n=1)
    kind, why = parts.str[0], parts.str[1]
    cut = kind == "capital"
    if cut.any():
        first = cut.idxmax()
        return (f"no condor was opened: the capital caps cut every condor order on {int(cut.sum())} days (first on "
                f"{pd.Timestamp(days[first]):%Y-%m-%d}: {why[first]}): raise run.initial_cash_usd "
                f"({usd(cfg.run.initial_cash_usd)}) or condor.max_loss_cap_nav_fraction / "
                f"condor.margin_cap_nav_fraction; {idle}")
    if missed.empty:
        return f"no condor was opened: no entry day in the window (the entry rule named no SPX expiry); {idle}"
    n = len(missed)
    return f"no condor was opened on any of the {n} entry day{'s' * (n != 1)}: {why.iloc[0]}; {idle}"


def no_layer_words(cfg: config_mod.Config, counts: Mapping, log: pd.DataFrame) -> str:
    """Return why a run whose hedge trades (policy not "none") opened no hedge layer in its window ("" when it
    opened one, hedges nothing, or opened no condor: :func:`no_condor_words` says that), from signals.csv's rule
    tags (``rule!why``: an add a gate or cap held back, counted by why) and the config keys behind them. One line:
    the run's stderr note, metrics.json ``no_layer`` and report.html's banner."""
    h = cfg.hedge
    if h.policy_name == "none" or counts["hedge_layers"] or not counts["condors"]:
        return ""
    tags = log["rules_fired"].fillna("").astype(str) if "rules_fired" in log.columns else pd.Series(dtype=str)
    held: dict[str, int] = {}
    for tag in (t for row in tags for t in row.split(";") if "!" in t):
        why = tag.split("!", 1)[1]
        if why != "no_layers":  # a removal with nothing to remove: no add held back
            held[why] = held.get(why, 0) + 1
    causes = [_held_words(why, n, h, log) for why, n in sorted(held.items(), key=lambda kv: -kv[1])]
    refused = _refused_adds(log)
    if refused:  # (trial CF21: a hedge budget that refused all 12 adds was blamed on the 1 held without a condor)
        causes.insert(0, refused)
    if h.review_bars == 0 and h.policy_name == "alvh":
        causes.append("no review adds layers (hedge.review_bars = 0)")
    cause = "; ".join(causes) or "no rule of the policy asked for a layer in the window"
    return (f"the hedge ({h.policy_name}) opened no layer in the whole window: likely cause: {cause}; the statistics "
            "below describe the condor alone, unhedged")


REFUSED_ADD = r"add layer L\d+ x\d+ refuse \d+->0 \((.*?)\)(?:;|$)"  # signals.csv capital: an add the guard refused


def _refused_adds(log: pd.DataFrame) -> str:
    """The adds the capital guard refused whole (signals.csv ``capital``), with the first one's reason; "" if none."""
    cells = log["capital"].dropna().astype(str) if "capital" in log.columns else pd.Series(dtype=str)
    found = cells.str.extractall(REFUSED_ADD)[0]
    if found.empty:
        return ""
    row = found.index[0][0]  # the log's label: its date (a run's log), or a row number beside a date column
    day = log.at[row, "date"] if "date" in log.columns else row
    return (f"the capital guard refused {plural(len(found), 'add')} (the first on {pd.Timestamp(day):%Y-%m-%d}: "
            f"{found.iloc[0]}; capital_cuts.csv lists each)")


def _range(log: pd.DataFrame, column: str, digits: int = 1) -> str:
    """``column``'s range over the run's bars in words ("12.3..31.7"), or "undefined on every bar"."""
    values = pd.to_numeric(log[column], errors="coerce").dropna() if column in log.columns else pd.Series([])
    return f"{num(values.min(), digits)}..{num(values.max(), digits)}" if len(values) else "undefined on every bar"


def _held_words(why: str, n: int, h: config_mod.HedgeConfig, log: pd.DataFrame) -> str:
    """One cause of :func:`no_layer_words`: the ``n`` adds held back by ``why``, with the key that sets it."""
    times = f"{n} add{'s' * (n != 1)}"
    if why == "rsi":
        return (f"the RSI gate held back {times} (hedge.rsi.add_min = {num(h.rsi.add_min, 1)}; RSI "
                f"({h.rsi.period} bars) of the VX series ranged {_range(log, 'rsi')})")
    if why == "term_structure":
        return (f"the term-structure gate held back {times} (hedge.term_structure.add_min_ratio = "
                f"{num(h.term_structure.add_min_ratio, 2)}; the front / second VX ratio ranged "
                f"{_range(log, 'term_ratio', 2)})")
    if why == "weight_0":
        levels = list(h.vxth.levels)
        vx = pd.to_numeric(log.get("front_vx", pd.Series([], dtype=float)), errors="coerce").dropna()
        above = (f", above every VX level seen (at most {num(vx.max(), 1)})"
                 if len(vx) and levels[0] >= vx.max() else f"; VX ranged {_range(log, 'front_vx')}")
        return (f"the VXTH weight was 0 on {n} purchase day{'s' * (n != 1)} (hedge.vxth.levels = {levels}, "
                f"weights = {list(h.vxth.weights)}{above})")
    if why == "nothing":
        return (f"{n} MACD crossover{'s' * (n != 1)} or reviews of their regime acted as \"nothing\" "
                f"(hedge.on_cross_up = \"{h.on_cross_up.value}\", on_cross_down = \"{h.on_cross_down.value}\")")
    if why == "no_condor":
        return f"{times} came with no condor open (hedge.require_condor = true)"
    return f"{times} held back by \"{why}\" (signals.csv rules_fired; capital_cuts.csv names a cap that cut one)"


HELD_STRETCH = 3  # consecutive sessions of adds held back for want of a condor that make a note


def held_without_condor(log: pd.DataFrame) -> dict | None:
    """Return the adds ``hedge.require_condor`` held back (signals.csv ``rules_fired`` tag ``!no_condor``) and, under
    ``longest``, their longest run of consecutive sessions with the VX series the MACD reads over it (metrics.json
    ``held_without_condor``), or None when it held back none (README *Where a window starts*: August 2011)."""
    if "rules_fired" not in log.columns or log.empty:
        return None
    mask = log["rules_fired"].fillna("").astype(str).str.contains("!no_condor", regex=False).to_numpy()
    if not mask.any():
        return None
    edges = np.flatnonzero(np.diff(np.concatenate(([0], mask.astype(np.int8), [0]))))  # starts and ends of runs
    starts, ends = edges[::2], edges[1::2]
    k = int(np.argmax(ends - starts))  # the first of the longest
    a, b = int(starts[k]), int(ends[k]) - 1
    vx = pd.to_numeric(log["vx_signal_series"], errors="coerce").to_numpy() if "vx_signal_series" in log.columns \
        else np.full(len(log), np.nan)
    days = [str(pd.Timestamp(d).date()) for d in log.index[[a, b]]]
    return {"adds": int(mask.sum()), "longest": {
        "adds": b - a + 1, "first": days[0], "last": days[1], "vx_first": float(vx[a]), "vx_last": float(vx[b]),
        "vx_max": float(np.nanmax(vx[a:b + 1])) if np.isfinite(vx[a:b + 1]).any() else float("nan")}}


def held_words(h: Mapping | None) -> str:
    """The note of adds held back for want of a condor on :data:`HELD_STRETCH` or more consecutive sessions (the
    run's stderr note and report.html's), "" otherwise."""
    run = (h or {}).get("longest") or {}
    if not run or run["adds"] < HELD_STRETCH:
        return ""
    return (f"hedge.require_condor held back {run['adds']} adds on consecutive sessions from {run['first']}"
            f" to {run['last']} while no condor was open (the VX series of hedge.macd.series went "
            f"{num(run['vx_first'], 2)} -> {num(run['vx_last'], 2)}, high {num(run['vx_max'], 2)}; "
            f"{h['adds']} adds held in the run): the hedge kept only what it held; set hedge.require_condor = "
            "false to keep adding while the condor waits to re-enter, and read a period's result knowing it depends "
            "on where the condor's cycle stood (README, *Where a window starts*)")
