"""Analyzers by name: a user's callable over a finished run, its answer filed in the run folder under its name.

An analyzer is a callable ``analyzer(result) -> dict | DataFrame | Series`` (:data:`Analyzer`): ``result`` the
finished :class:`~vixhedge.run.RunResult` (``daily``, ``returns``, ``trades``, ``layers``, ``condors``,
``attribution``, ``signals_log``, ``metrics``, ``config``), a private copy: what an analyzer changes in it changes
neither the run's files and metrics nor what the next analyzer sees. Named in ``analysis.analyzers = ["module:callable",
...]`` (or by a ``vixhedge.plugins`` entry point), it runs after every run (run, replay, each mode of a
compare, each point of a sweep). A dict (JSON-able: numbers, strings, lists, dicts) goes to metrics.json
``analyzers.<name>``; a table to ``analyzer_<name>.csv`` in the run folder, with ``{"table": file, "rows": n}``
in metrics.json. ``<name>`` is :func:`vixhedge.plugins.key_of` of the configured name. In a sweep,
results.csv's ``analyzers`` column holds each point's metrics.json ``analyzers`` entry as JSON; a table is not
kept there (its entry says so: ``"table": null`` and a note to ``vixhedge run`` the point for the CSV). The built-in
``monthly_returns`` (the year x month grid of :func:`analyzers.report_tables.monthly_returns`) is looked up by
the same loader (:data:`REGISTRY`).
"""

from __future__ import annotations

import copy
import dataclasses
import datetime
import json
import math
from collections.abc import Mapping
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from analyzers.report_tables import monthly_returns as _monthly_grid
from vixhedge import plugins, registries
from vixhedge.api_args import a_type
from vixhedge.plugin_trace import Located
from vixhedge.plugin_types import Analyzer
from vixhedge.core.config import ConfigError


__all__ = ["BUILTINS", "REGISTRY", "Analyzer", "AnalyzerError", "check_analyzers", "monthly_returns", "run_analyzers",
           "sweep_cell", "table_file"]  # Analyzer: vixhedge.plugin_types', re-exported

REGISTRY = registries.ANALYZER  # names only (vixhedge.registries): a config loads without this module
BUILTINS: dict[str, str] = REGISTRY.builtins
check_analyzers = registries.check_analyzers  # what a config's [analysis] runs when it loads


def monthly_returns(result: Any) -> pd.DataFrame:
    """The built-in analyzer: calendar-month NAV returns as a year x month grid (fractions) with ``Year``."""
    return _monthly_grid(result.daily["nav_usd"]).rename_axis("year")


class AnalyzerError(Located, ConfigError):
    """An analyzer raised or returned something that cannot be filed: one line naming it, no run folder."""


def table_file(key: str) -> str:
    return f"analyzer_{key}.csv"


def run_analyzers(result: Any) -> tuple[dict[str, Any], dict[str, pd.DataFrame]]:
    """Return (metrics.json ``analyzers`` entries, tables by name) of ``result.config.analysis.analyzers``."""
    entries: dict[str, Any] = {}
    tables: dict[str, pd.DataFrame] = {}
    for name in result.config.analysis.analyzers:
        key = plugins.key_of(name)
        try:
            out = REGISTRY.resolve(name)(_private_copy(result))
        except plugins.PLUGIN_FAILURES as exc:  # a plug-in's own bug: name it
            raise AnalyzerError(f"analyzer {name} failed: {plugins.failure_words(exc)}") from exc
        if isinstance(out, pd.Series):
            out = out.to_frame()
        if isinstance(out, pd.DataFrame):
            _check_cells(name, out)
            tables[key] = out
            entries[key] = {"table": table_file(key), "rows": len(out)}
        elif isinstance(out, Mapping):
            entries[key] = _json_safe(name, dict(out))
        else:
            raise AnalyzerError(f"analyzer {name} returned {type(out).__name__} {plugins.short_repr(out, 40)}: return "
                                "a dict (metrics.json) or a pandas DataFrame / Series (a CSV in the run folder)")
    return entries, tables


#: what a table's cell may hold: its CSV text is the same in every run (an object's default repr holds its address,
#: a set's order of strings changes from process to process)
PLAIN_CELLS = (str, bytes, bool, int, float, complex, type(None), datetime.date, datetime.time, datetime.timedelta,
               Decimal, Fraction, np.generic, type(pd.NaT), type(pd.NA), pd.Period, pd.Interval)


def _check_cells(name: str, frame: pd.DataFrame) -> None:
    """Raise :class:`AnalyzerError` naming the analyzer, column and row of the first cell of ``frame`` (or of its
    index) whose CSV text would differ from run to run (not :data:`PLAIN_CELLS`, nor a list, tuple or dict of them):
    trial FUZZ40 L7, ``<object object at 0x7f8a...>`` in analyzer_an_badframe.csv, two identical runs apart."""
    def plain(v: Any) -> bool:
        if isinstance(v, (list, tuple)):
            return all(plain(x) for x in v)
        if isinstance(v, dict):
            return all(plain(k) and plain(x) for k, x in v.items())
        return isinstance(v, PLAIN_CELLS)

    def held(s: pd.Series) -> bool:  # (a categorical's values too: trial MUT41, its objects passed)
        return s.dtype == object or isinstance(s.dtype, pd.CategoricalDtype)

    columns = [("index", frame.index.to_series())] + [(f"column {c!r}", frame.iloc[:, i])
                                                     for i, c in enumerate(frame.columns)]
    for where, cells in ((w, c.astype(object)) for w, c in columns if held(c)):
        bad = next(((row, v) for row, v in zip(range(len(cells)), cells) if not plain(v)), None)
        if bad is not None:
            raise AnalyzerError(f"analyzer {name} returned a table whose {where} holds {a_type(bad[1])} "
                                f"in row {bad[0]} ({plugins.short_repr(bad[1], 60)}): its CSV text would change from "
                                "run to run; return numbers, strings, booleans or dates there")


def _private_copy(result: Any) -> Any:
    """Return a copy of ``result`` an analyzer may change without changing the run's files or metrics, nor what
    the next analyzer sees: its frames, metrics and signals deep-copied (the config is frozen; the Market, shared
    by every run of a compare or sweep, is passed as it is)."""
    if not dataclasses.is_dataclass(result):
        return result
    shared = {id(getattr(result, f)): getattr(result, f) for f in ("config", "market") if hasattr(result, f)}
    return copy.deepcopy(result, memo=dict(shared))


MAX_DEPTH = 100  # how deep an analyzer's dict may nest (the JSON writer and the page recurse: a RecursionError)


class _Unfit(ValueError):
    """Why a value of an analyzer's dict cannot be filed (:func:`_plain`)."""


def _plain(v: Any, at: str = "", path: frozenset[int] = frozenset()) -> Any:
    """``v`` as plain JSON types (numpy scalars and arrays become numbers and lists); raise :class:`_Unfit` naming
    the key path (``a.b[2]``) of a dict or list that holds itself, a nesting deeper than :data:`MAX_DEPTH` or an
    integer out of a float's range (trial FUZZ40 M6: a RecursionError or an OverflowError, internal errors)."""
    if isinstance(v, (np.generic, np.ndarray)):
        v = v.tolist()
    if isinstance(v, (Mapping, list, tuple)):
        if id(v) in path:
            raise _Unfit(f"{at or 'the dict'} holds itself")
        if len(path) >= MAX_DEPTH:
            raise _Unfit(f"{at if len(at) <= 60 else at[:60] + '...'} is nested more than {MAX_DEPTH} deep")
        inner = path | {id(v)}
        if isinstance(v, Mapping):
            return {str(k): _plain(x, f"{at}.{k}" if at else str(k), inner) for k, x in v.items()}
        return [_plain(x, f"{at}[{i}]", inner) for i, x in enumerate(v)]
    if isinstance(v, int) and not isinstance(v, bool):
        try:
            float(v)
        except OverflowError:
            raise _Unfit(f"{at or 'a value'} is an integer of {v.bit_length():,} bits, out of a float's "
                         "range") from None
    return v


def _json_safe(name: str, out: dict[str, Any]) -> dict[str, Any]:
    """Return ``out`` as plain JSON types (numpy scalars become numbers; NaN stays for metrics.json's null)."""
    try:
        safe = _plain(out)
        json.dumps(safe, allow_nan=True)
    except (TypeError, ValueError) as exc:  # (_Unfit: a ValueError)
        raise AnalyzerError(f"analyzer {name} returned a dict that is not JSON ({exc}): use numbers, strings, "
                            "booleans, lists and dicts") from None
    odd = _not_finite(safe)
    if odd:  # (trial FUZZ37 L8: written null without a word; refusing would lose the finished run)
        import logging

        shown = ", ".join(f"{k} = {v!r}" for k, v in odd[:NOT_FINITE_SHOWN])
        more = f" and {len(odd) - NOT_FINITE_SHOWN} more" if len(odd) > NOT_FINITE_SHOWN else ""
        logging.getLogger("vixhedge.policy").warning("%s", f"note: analyzer {name} returned {shown}{more}: not a "
                                                           "JSON number, written null in metrics.json")
    return safe


NOT_FINITE_SHOWN = 3  # the non-finite values an analyzer's note names (then "and N more")


def _not_finite(v: Any, at: str = "") -> list[tuple[str, float]]:
    """The (key path, value) of each NaN or infinite float in ``v`` (``a.b[2]``), in order."""
    if isinstance(v, float):
        return [] if math.isfinite(v) else [(at, v)]
    if isinstance(v, Mapping):
        return [x for k, y in v.items() for x in _not_finite(y, f"{at}.{k}" if at else str(k))]
    if isinstance(v, list):
        return [x for i, y in enumerate(v) for x in _not_finite(y, f"{at}[{i}]")]
    return []


def sweep_cell(entries: Mapping[str, Any]) -> str:
    """Return a sweep point's ``analyzers`` column: its entries as compact JSON (NaN as null)."""
    clean = lambda v: {k: clean(x) for k, x in v.items()} if isinstance(v, Mapping) else (  # noqa: E731
        [clean(x) for x in v] if isinstance(v, list) else None if isinstance(v, float) and not math.isfinite(v) else v)
    return json.dumps(clean(entries), sort_keys=True, separators=(",", ":"))
