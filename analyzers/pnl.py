"""P&L attribution per ledger component and per reporting group, per day.

A component's value is its cumulative cash flows plus the marks of its open positions
(:meth:`vixhedge.core.ledger.Ledger.component_values`); its daily P&L is the change of that value
(0 before the component's first flow). Because every cash movement is booked to exactly one
component, the components' daily P&L sums to the daily change of NAV (tested invariant; the
first day's change is measured from the initial cash).

Components: ``condor:put`` and ``condor:call`` (the condor's put spread and call spread),
``hedge:L<n>`` (one per hedge layer, rolls included), ``fees`` and ``interest`` (cash
interest), and in a ruined run ``ruin_debt`` (the debt its liquidation left, written off so that NAV ends at 0,
:meth:`vixhedge.core.desk.Desk.close_account`). Groups: ``condor``, ``hedge``, ``fees``, ``interest`` (the text
before the colon), and ``ruin_debt`` in a ruined run only (:func:`groups_of`).
"""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd

from vixhedge.core.ledger import group_of

__all__ = ["GROUPS", "attribution", "component_order", "component_pnl", "component_values",
           "group_of", "group_totals", "groups_of"]

GROUPS = ("condor", "hedge", "fees", "interest")
RUIN_DEBT = "ruin_debt"  # vixhedge.core.desk.RUIN_DEBT: a group (and column) of a ruined run only


def groups_of(records: list) -> tuple[str, ...]:
    """Return the reporting groups of a run: :data:`GROUPS`, then ``ruin_debt`` if its liquidation left a debt."""
    return GROUPS + ((RUIN_DEBT,) if records and RUIN_DEBT in records[-1].groups else ())

_GROUP_RANK = {g: k for k, g in enumerate(GROUPS)}
_LEG_RANK = {"put": 0, "call": 1}


def component_order(component: str) -> tuple:
    """Sort key: condor:put, condor:call, hedge:L1, hedge:L2, ... hedge:L10, fees, interest."""
    group, _, tail = component.partition(":")
    if tail in _LEG_RANK:
        return (_GROUP_RANK.get(group, len(GROUPS)), 0, _LEG_RANK[tail], "")
    num = tail[1:] if tail[:1] == "L" else ""
    if num.isdigit():
        return (_GROUP_RANK.get(group, len(GROUPS)), 1, int(num), "")
    return (_GROUP_RANK.get(group, len(GROUPS)), 2, 0, component)


def component_values(records: list) -> pd.DataFrame:
    """Return the cumulative value (USD) of every component on every recorded day."""
    days = [rec.components for rec in records]
    layouts = [tuple(comps) for comps in days]  # a day's components in its order: few distinct ones, each mapped once
    columns_of: dict[tuple[str, ...], np.ndarray] = dict.fromkeys(layouts)
    seen: dict[str, None] = {}
    for layout in columns_of:
        seen.update(dict.fromkeys(layout))
    names = sorted(seen, key=component_order)
    column = {name: k for k, name in enumerate(names)}
    for layout in columns_of:
        columns_of[layout] = np.fromiter(map(column.__getitem__, layout), np.intp, len(layout))
    n = sum(map(len, layouts))  # one entry per (day, component) recorded: scattered into a zero matrix
    rows = np.repeat(np.arange(len(days)), np.fromiter(map(len, layouts), np.intp, len(days)))
    cols = np.concatenate([columns_of[layout] for layout in layouts]) if layouts else np.zeros(0, np.intp)
    values = np.zeros((len(days), len(names)))
    values[rows, cols] = np.fromiter(itertools.chain.from_iterable(map(dict.values, days)), float, n)
    values[np.isnan(values)] = 0.0  # as missing components: 0
    return pd.DataFrame(values, index=pd.Index([rec.date for rec in records], name="date"), columns=names)


def component_pnl(records: list, initial_cash_usd: float, values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Return daily P&L (USD) per component plus ``total_pnl_usd`` (the daily change of NAV)."""
    values = component_values(records) if values is None else values
    pnl = values - values.shift(1).fillna(0.0)  # values start at 0 before the first day
    nav = pd.Series([rec.nav for rec in records], index=values.index)
    pnl["total_pnl_usd"] = nav - nav.shift(1).fillna(initial_cash_usd)
    return pnl


def attribution(records: list, initial_cash_usd: float) -> pd.DataFrame:
    """Return daily cumulative value and P&L by group from the day records' group values."""
    index = pd.Index([rec.date for rec in records], name="date")
    nav = np.array([rec.nav for rec in records], dtype=float)
    names = groups_of(records)
    groups = np.array([[rec.groups.get(g, 0.0) for g in names] for rec in records], dtype=float)
    groups = groups.reshape(-1, len(names))  # no records: no rows
    cols = {"nav_usd": nav} | {f"{g}_value_usd": groups[:, k] for k, g in enumerate(names)}
    for k, g in enumerate(names):
        cols[f"{g}_pnl_usd"] = _change(groups[:, k], 0.0)  # values start at 0 before the first day
    cols["total_pnl_usd"] = _change(nav, float(initial_cash_usd))
    return pd.DataFrame(cols, index=index)


def _change(values: np.ndarray, before: float) -> np.ndarray:
    """Return the day-over-day change of ``values`` (the first day's from ``before``)."""
    return values - np.concatenate(([before], values[:-1]))


def group_totals(records: list) -> dict[str, float]:
    """Return the run's P&L per group (``condor``, ``hedge``, ``fees``, ``interest``, and ``ruin_debt`` in a
    ruined run, :func:`groups_of`) from its day records."""
    if not records:
        return {}
    last = records[-1].groups
    return {f"{g}_pnl_usd": round(last.get(g, 0.0), 2) for g in groups_of(records)}
