"""What a finished run notes about itself: a line on stderr (the ``vixhedge`` loggers) and a metrics.json key each,
absent when there is nothing to say; report.html shows them from metrics.json.

* ``no_layer``: a hedge that trades opened no layer in the window; ``held_without_condor``: adds
  ``hedge.require_condor`` held back (:mod:`vixhedge.report_sections` words both);
* ``unread_settings``: settings the config changes that the run cannot read
  (:func:`vixhedge.core.config.unread.unread_settings`);
* ``capital.vx_moves_over_maintenance``: sessions on which a held VX future lost more than the maintenance margin
  charged for it (:mod:`vixhedge.vx_moves`): a figure of the finished run, said by the summary and report.html, not
  on stderr;
* ``condor_not_placed``: sessions on which the entry rule named an expiry and no condor opened, by why (signals.csv
  ``condor_not_placed``, :class:`strategies.condor.NotPlaced`): % OTM shorts with wings by delta left the embedded
  default without a condor on 189 sessions, unnoted (trial CX);
* ``signals_all_nan``: the extra signals (``hedge.signals``) that are NaN on every session of the run: a policy
  reading one never sees a value (trial API39 L6: accepted with no word, signals.csv's column empty).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import TYPE_CHECKING

import pandas as pd

from feeds.datanotes import note_once
from vixhedge.fmt import num, pct
from vixhedge.core.config.unread import capped_budgets, unread_settings
from vixhedge.vx_moves import vx_moves

if TYPE_CHECKING:
    from vixhedge.run import RunResult


def note_run(result: RunResult) -> None:
    """Write the run's notes (module docstring) into ``result.metrics`` and on stderr."""
    _warn_no_layer(result)
    _note_unread(result)
    _note_empty_signals(result)
    capital = result.metrics.get("capital")
    moves = vx_moves(result.trades, result.daily.index, result.market, result.config.margin) if capital else None
    if moves is not None:
        capital["vx_moves_over_maintenance"] = moves
    missed = condor_not_placed(result.signals_log)
    if missed:
        result.metrics["condor_not_placed"] = missed
        if result.metrics["counts"]["condors"] and missed_words(missed):  # (none opened: the run's WARNING says why)
            logging.getLogger("vixhedge.policy").warning("%s", "note: " + missed_words(missed))


def _warn_no_layer(result: RunResult) -> None:
    """A hedge that trades but opened no layer in the window: one WARNING line on stderr (the run's notes) and
    metrics.json ``no_layer`` (:func:`vixhedge.why_idle.no_layer_words`; absent when it opened one). Adds
    held back for want of a condor: metrics.json ``held_without_condor``, and a note when some were held back on
    consecutive sessions (:func:`vixhedge.why_idle.held_words`)."""
    from vixhedge.why_idle import held_without_condor, held_words, no_layer_words

    words = no_layer_words(result.config, result.metrics["counts"], result.signals_log)
    if words:  # (none: it opened a layer, hedges nothing, or opened no condor: the no-condor warning says that)
        result.metrics["no_layer"] = words
        logging.getLogger("vixhedge.policy").warning("%s", "WARNING: " + words)
    held = held_without_condor(result.signals_log)  # adds hedge.require_condor held back: metrics.json, a note
    if held:
        result.metrics["held_without_condor"] = held
        if held_words(held):
            logging.getLogger("vixhedge.policy").warning("%s", "note: " + held_words(held))


def _note_empty_signals(result: RunResult) -> None:
    """The extra signals that are NaN on every session of the run: metrics.json ``signals_all_nan`` (their names;
    absent when there are none) and a note line each on stderr; the run goes on."""
    from vixhedge.plugins import key_of

    log = result.signals_log
    if not len(log) or not any(str(c).startswith("extra_") for c in log.columns):  # no extra signal
        return
    empty = [n for n in result.config.hedge.signals
             if f"extra_{key_of(n)}" in log.columns and log[f"extra_{key_of(n)}"].isna().all()]
    if empty:
        result.metrics["signals_all_nan"] = empty
    for name in empty:
        key = key_of(name)
        logging.getLogger("vixhedge.policy").warning(
            "%s", f"note: the extra signal {name} is NaN on every one of the run's {len(log)} sessions (signals.csv "
            f"extra_{key} is empty): a policy or selector reading snap.extra[{key!r}] never sees a value")


def _note_unread(result: RunResult) -> None:
    """Settings the config changes that the run cannot read: metrics.json ``unread_settings`` (absent when there
    are none), report.html's note, and one WARNING line each, once per Market (compare's runs share one)."""
    notes = unread_settings(result.config) + capped_budgets(result.config)
    if notes:
        result.metrics["unread_settings"] = notes
        for text in notes:
            note_once(result.market, f"WARNING: {text}", "vixhedge.config")


def condor_not_placed(log: pd.DataFrame) -> dict | None:
    """Return the sessions on which the entry rule's condor was not placed, counted by why (``capital``, ``size``,
    ``strikes``, ``selector``), with the first of each why (its date and reason: metrics.json
    ``condor_not_placed``), or None when there was none."""
    if "condor_not_placed" not in log.columns:
        return None
    missed = log["condor_not_placed"].fillna("").astype(str)
    missed = missed[missed != ""]
    if missed.empty:
        return None
    by_why: dict[str, int] = {}
    first: dict[str, dict] = {}
    for day, text in missed.items():
        kind, _, why = text.partition(": ")
        by_why[kind] = by_why.get(kind, 0) + 1
        first.setdefault(kind, {"date": str(pd.Timestamp(day).date()), "why": why})
    return {"sessions": int(len(missed)), "by_why": dict(sorted(by_why.items())), "first": dict(sorted(first.items()))}


def missed_sessions(m: Mapping | None) -> int:
    """The sessions whose condor was not placed for want of strikes, a size or a selector's choice: those
    :func:`missed_words` notes (the capital caps' refusals have notes of their own)."""
    return sum(v for k, v in (m or {}).get("by_why", {}).items() if k != "capital")


def missed_first(m: Mapping) -> str:
    """The reason of the first session :func:`missed_sessions` counts (the capital caps' refusals left out)."""
    return min((f for k, f in m["first"].items() if k != "capital"), key=lambda f: f["date"])["why"]


def missed_words(m: Mapping | None) -> str:
    """The run's stderr note of :func:`missed_sessions`: how many, by why, and the first; "" when there were
    none."""
    n = missed_sessions(m)
    if not n:
        return ""
    assert m is not None
    kinds = {k: v for k, v in m["by_why"].items() if k != "capital"}
    capital = m["by_why"].get("capital")
    refused = f"; the capital caps refused {capital} more, noted apart" if capital else ""
    return (f"on {n} session{'s' * (n != 1)} the entry rule asked for a condor and none was placed "
            f"({', '.join(f'{k} {v}' for k, v in kinds.items())}{refused}; signals.csv condor_not_placed): no "
            f"condor was open; the first: {missed_first(m)}")


NO_CONDOR_SHARE = 0.10  # the share of a window's sessions without the entry rule's condor the console summary names


def no_condor_share_words(m: Mapping, nav_usd: pd.Series, initial_cash_usd: float) -> str:
    """The console summary's line when the entry rule's condor was not placed on at least ``NO_CONDOR_SHARE`` of the
    window's sessions, for any why (metrics.json ``condor_not_placed``: the capital caps' and buying power's
    refusals too, which :func:`missed_words` leaves out), with the first such session and the NAV then (``nav_usd``:
    daily.csv's, by day); "" otherwise. (RS24's stress run: 759 sessions from 2016-05-20, said only in metrics.json.)"""
    missed, days = m.get("condor_not_placed"), int(m["counts"]["days"])
    if not missed or not days or missed["sessions"] < NO_CONDOR_SHARE * days:
        return ""
    first = min(f["date"] for f in missed["first"].values())
    nav = float(nav_usd[nav_usd.index >= pd.Timestamp(first)].iloc[0])
    kinds = ", ".join(f"{k} {v}" for k, v in missed["by_why"].items())
    n = missed["sessions"]
    return (f"on {num(n, 0)} of {num(days, 0)} sessions ({pct(n / days, 1)}) the entry rule asked for a condor and "
            f"none was placed ({kinds}; signals.csv condor_not_placed); the first on {first}, NAV then "
            f"{pct(nav / initial_cash_usd, 1)} of the initial cash")
