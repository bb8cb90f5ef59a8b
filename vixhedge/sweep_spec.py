"""A sweep's spec and its points: ``[sweep]``/``[grid]``/``[base]`` read and checked, the grid expanded lazily.

Every combination is validated as a full :class:`~vixhedge.core.config.Config`; invalid ones (e.g. ``fast >=
slow``, a warm-up the window cannot hold) are yielded with their reason, to be counted. A point's key hashes its
resolved config (but the data folder's path: the spec identity hashes the data files) and the identity of the
plug-ins it names.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from feeds.market import Market
from feeds.datafiles import CONFIG_FILES, directory_extras, file_sha256  # data files hashed as a manifest hashes them
from vixhedge.core import config as C
from vixhedge.core.config.base import check_name_length, toml_echo
from vixhedge.core.config.load import close_key, read_toml
from vixhedge.core.config.write import toml_value  # one value's TOML (as C.to_toml)
from vixhedge.sweep_keys import (check_engine, check_grid_key, check_grid_plugins, check_grid_types, check_kernel,
                                 check_plugin_param_types, check_rank_by, check_scheduler, check_spa_block)
from vixhedge.sweepgrid import DEFAULT_MAX_POINTS, check_size, iter_params, typed_axis
from vixhedge.sweepgrid import values as _values
from vixhedge.sweep_metrics import ANALYZERS, CAPITAL_METRICS, RESULT_FIELDS, SIDE_METRICS
from vixhedge.sweep_inert import SWITCHES, inert_axes, unread_base

__all__ = ["DATA_RECIPE", "MIN_SIDE_SESSIONS", "SWEEP_KEYS", "GridOrder", "Point", "SweepSpec", "check_some_valid",
           "check_split", "data_files", "expand", "grid_order", "iter_points", "load_spec", "point_key",
           "result_fields", "spec_identity",
           "SWITCHES", "inert_axes", "unread_base"]  # (re-exported: the sweep's public names, defined in sweep_inert)


# the [sweep] table's keys (README *Research workflows*: a table of them, checked by test_sweep_data_dir.py)
SWEEP_KEYS = ("name", "config", "workers", "batch_size", "in_sample_end", "scheduler", "engine", "kernel",
              "max_points", "retries", "rank_by", "spa_block_days")


@dataclass(frozen=True)
class SweepSpec:
    name: str
    base: C.Config
    grid: dict[str, list[Any]]
    workers: int = 0  # 0 = all cores
    batch_size: int = 4
    in_sample_end: dt.date | None = None
    scheduler: str = "local"  # local (forked processes) | local-cluster (dask) | tcp://HOST:PORT (dask)
    engine: str = "fast"  # fast | backtrader (vixhedge.run.ENGINES; identical results)
    max_points: int = DEFAULT_MAX_POINTS  # a bigger grid is refused before it is expanded
    retries: int = 2  # times a point is run again after its worker died
    kernel: str = "auto"  # auto: points vixhedge.kernel covers run on it (engine fast) | off: all on the event path
    rank_by: str = "sharpe"  # the metric the best point is chosen on (sweep_keys.RANK_BY; in sample when split)
    spa_block_days: int = 0  # SPA / StepM's mean block; 0: data-driven (Politis-White)


@dataclass(frozen=True)
class Point:
    key: str  # hash of the resolved config
    params: dict[str, Any]
    config: C.Config


def _dotted(table: dict, prefix: str = "") -> Iterator[str]:
    """The dotted keys of a TOML table's values (``hedge.macd.fast``)."""
    for k, v in table.items():
        yield from _dotted(v, f"{prefix}{k}.") if isinstance(v, dict) else (f"{prefix}{k}",)


def load_spec(path: str | Path) -> SweepSpec:
    """Load a sweep spec (``[sweep]``, ``[grid]``, optional ``[base]`` config overrides)."""
    path = Path(path)
    table = read_toml(path, "sweep spec")  # UTF-8 (a byte-order mark accepted); one line otherwise
    unknown = set(table) - {"sweep", "grid", "base"}
    if unknown:
        sections = {f.name for f in dataclasses.fields(C.Config)}
        run_config = (f": it looks like a run config; put its settings under [base] (e.g. "
                      f"[base.{min(unknown & sections)}]) or point sweep.config at it") if unknown & sections else ""
        raise C.ConfigError(f"{path}: unknown table(s) {sorted(unknown)}: use [sweep], [grid] and [base]{run_config}")
    sw = dict(table.get("sweep", {}))
    allowed = set(SWEEP_KEYS)
    if set(sw) - allowed:
        names = ", ".join(f"sweep.{k}" + (f" (did you mean sweep.{c[0]}?)" if (c := close_key(k, allowed)) else "")
                          for k in sorted(set(sw) - allowed))
        raise C.ConfigError(f"{path}: unknown key(s) {names}: use {sorted(allowed)}")
    if not isinstance(sw.get("config", ""), str):  # (a number: an internal TypeError, trial CF21)
        raise C.ConfigError(f"{path}: sweep.config = {toml_echo(sw['config'])} is invalid: give the run config's file, "
                            "relative to the spec, e.g. \"base.toml\"")
    named = f"{path}: sweep.config = {toml_echo(sw.get('config'))}"  # each line of the file it names names it
    try:
        base = C.load(path.parent / sw["config"], f"{named}: config file") if "config" in sw else C.load_default()
    except C.ConfigError as exc:
        raise (exc if str(exc).startswith(named) else C.ConfigError(f"{named}: {exc}")) from None
    try:
        if table.get("base"):
            base = C.replace(base, **table["base"])
    except C.ConfigError as exc:
        raise C.ConfigError(f"{path} [base]: {exc}") from None
    try:
        grid = {k: _values(k, v) for k, v in table.get("grid", {}).items()}
    except C.ConfigError as exc:
        raise C.ConfigError(f"{path}: {exc}") from None
    if not grid:
        raise C.ConfigError(f"{path}: [grid] is empty: add e.g. \"hedge.macd.fast\" = [8, 12, 16]")
    for k in grid:
        check_grid_key(k, f"{path}: grid.{k}")
    if both := sorted(set(grid) & set(_dotted(table.get("base") or {}))):  # (IO31: the grid won, unsaid)
        import logging

        logging.getLogger("vixhedge.sweep").warning(
            "%s: %s in [base] and [grid]: every point takes the grid's values; [base]'s is the base point (base.toml, "
            "a walk-forward's base_point)", path, ", ".join(both))
    ints = {k: sw.get(k, d) for k, d in (("workers", 0), ("batch_size", 4), ("max_points", DEFAULT_MAX_POINTS),
                                         ("retries", 2), ("spa_block_days", 0))}
    for k, v in ints.items():
        if isinstance(v, bool) or not isinstance(v, int) or v < (1 if k in ("batch_size", "max_points") else 0):
            raise C.ConfigError(f"{path}: sweep.{k} = {toml_echo(v)} is invalid: use a whole number >= "
                                f"{1 if k in ('batch_size', 'max_points') else 0}")
    name = sw.get("name", path.stem)
    if isinstance(name, str):
        check_name_length("sweep.name", name, f"{path}: ")
    if not isinstance(name, str) or not C.is_safe_name(name):
        raise C.ConfigError(f"{path}: sweep.name = {toml_echo(name)} is invalid: use letters, digits, '-', '_' or '.' "
                            "only (it names the output folder under runs/)")
    ise = sw.get("in_sample_end")
    if ise is not None and not isinstance(ise, dt.date):
        raise C.ConfigError(f"{path}: sweep.in_sample_end = {toml_echo(ise)} is invalid: write a date as "
                            "YYYY-MM-DD")
    check_scheduler(sw.get("scheduler", "local"), f"{path}: sweep.scheduler")  # as written: a boolean is no name
    check_kernel(sw.get("kernel", "auto"), f"{path}: sweep.kernel")
    check_engine(sw.get("engine", "fast"), f"{path}: sweep.engine")
    check_rank_by(sw.get("rank_by", "sharpe"), f"{path}: sweep.rank_by")
    spec = SweepSpec(name=name, base=base, grid=grid, in_sample_end=ise or None,
                     scheduler=str(sw.get("scheduler", "local")), engine=str(sw.get("engine", "fast")),
                     kernel=sw.get("kernel", "auto"), rank_by=sw.get("rank_by", "sharpe"), **ints)
    check_size(grid, spec.max_points, str(path))
    for k, v in grid.items():  # after check_size: an axis holds at most max_points values
        check_grid_types(k, v, f"{path}: grid.")
    spec = dataclasses.replace(spec, grid={k: typed_axis(k, v) for k, v in grid.items()})  # a float key's 2: 2.0
    check_grid_plugins(grid, f"{path}: ")  # each plug-in name loads (the folder's identity hashes it: FUZZ37 H2)
    check_plugin_param_types(base, grid, f"{path}: grid.")
    if ise and not (base.run.start < spec.in_sample_end < base.run.end):
        raise C.ConfigError(f"{path}: sweep.in_sample_end = {ise} must lie inside the run window "
                            f"{base.run.start}..{base.run.end}")
    check_spa_block(spec.spa_block_days, spec, f"{path}: sweep.spa_block_days = {spec.spa_block_days}")
    return spec


def nested(dotted: dict[str, Any]) -> dict[str, Any]:
    """``{"hedge.macd.fast": 8}`` as ``{"hedge": {"macd": {"fast": 8}}}`` (:func:`vixhedge.core.config.replace`'s)."""
    out: dict[str, Any] = {}
    for key, value in dotted.items():
        node = out
        *parents, leaf = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    return out

def iter_points(spec: SweepSpec, market: Market | None = None) -> Iterator[Point | tuple[dict[str, Any], str]]:
    """Yield, in grid order and one at a time, a :class:`Point` or ``(params, reason)`` when invalid.

    With ``market``, a point whose window or indicator warm-up the data cannot hold is invalid too.
    """
    from vixhedge.window import check_window

    check_size(spec.grid, spec.max_points, f"sweep '{spec.name}'")
    keys = _PointKeys(spec.base, list(spec.grid))
    windows: set[tuple] = set()  # (start, end, MACD warm-up) the market holds: the window checked once each
    for params in iter_params(spec.grid):
        try:
            cfg = C.replace(spec.base, **nested(params))
            window = (cfg.run.start, cfg.run.end, cfg.hedge.macd.warmup_bars)
            if market is not None and window not in windows:
                check_window(cfg, market)
                windows.add(window)
        except C.ConfigError as exc:
            yield params, str(exc)
            continue
        yield Point(keys.key(cfg), params, cfg)


def point_key(cfg: C.Config) -> str:
    """Return a point's key: the hash of its resolved config (TOML, :func:`keyed_toml`) and of the plug-ins it names."""
    from vixhedge.extensions import fingerprint

    return hashlib.sha256((keyed_toml(cfg) + fingerprint(cfg)).encode()).hexdigest()[:16]


KEYED_DATA_DIR = 'data_dir = "(the data files: spec.json hashes them)"'


def keyed_toml(cfg: C.Config) -> str:
    """The config's TOML as a point key and the spec identity's ``base`` hash it: ``[market] data_dir``'s path
    replaced by :data:`KEYED_DATA_DIR` (every point shares the market, and the identity's ``data`` part hashes the
    files' content), so the same files at another path give the same point ids and the folder resumes from there
    (trial DET32 M2: a folder of symlinks to ../shared/data gave every point another id)."""
    lines, table = C.to_toml(cfg).split("\n"), None
    for n, line in enumerate(lines):
        if line.startswith("["):
            table = line
        elif table == "[market]" and line.startswith("data_dir = ") and cfg.market.data_dir:
            lines[n] = KEYED_DATA_DIR
    return "\n".join(lines)


class _PointKeys:
    """:func:`point_key` of a grid's points without serialising each whole config.

    A swept key that is a plain scalar field, written for every value, is one line ``name = value`` of the
    config's TOML, under its table's header; ``C.replace`` changes nothing else, and the plug-ins named (the
    fingerprint) are the base's. A point's TOML is then the base's with those lines rewritten. A grid over
    anything else (a plug-in's table or name, a field omitted at its default, a list) hashes the whole config;
    so does every point if the first one's key differs from :func:`point_key` (never expected: a safety net).
    """

    def __init__(self, base: C.Config, keys: list[str]) -> None:
        from vixhedge.extensions import fingerprint

        self.lines: list[str] | None = keyed_toml(base).split("\n")
        self.at: list[tuple[int, str, list[str]]] = []  # (line index, "name = ", field path)
        self.tail, self.checked = fingerprint(base), False
        for key in keys:
            found = self._line(base, key.split("."))
            if found is None:
                self.lines = None
                break
            self.at.append(found)

    def _line(self, base: C.Config, path: list[str]) -> tuple[int, str, list[str]] | None:
        node: Any = base
        for part in path[:-1]:
            node = getattr(node, part, None)
        fields = {f.name: f for f in dataclasses.fields(node)} if dataclasses.is_dataclass(node) else {}
        f = fields.get(path[-1])
        if f is None or f.metadata.get("omit_default") or isinstance(getattr(node, f.name), (dict, tuple, list)) \
                or dataclasses.is_dataclass(getattr(node, f.name)):
            return None
        header, lead, table = f"[{'.'.join(path[:-1])}]", f"{path[-1]} = ", None
        for n, line in enumerate(self.lines or []):
            if line.startswith("["):
                table = line
            elif table == header and line.startswith(lead):
                return n, lead, path
        return None

    def key(self, cfg: C.Config) -> str:
        if self.lines is None:
            return point_key(cfg)
        lines = self.lines[:]
        for n, lead, path in self.at:
            value: Any = cfg
            for part in path:
                value = getattr(value, part)
            lines[n] = lead + toml_value(C.to_dict(value))
        key = hashlib.sha256(("\n".join(lines) + self.tail).encode()).hexdigest()[:16]
        if not self.checked:
            self.checked = True
            if key != point_key(cfg):
                self.lines = None
                return point_key(cfg)
        return key


MIN_SIDE_SESSIONS = 20  # sessions each side of sweep.in_sample_end must hold: a Sharpe ratio of fewer means little


def check_split(spec: SweepSpec, market: Market) -> None:
    """Raise ConfigError unless each side of ``in_sample_end`` holds ``MIN_SIDE_SESSIONS`` sessions of the window."""
    ise = spec.in_sample_end
    if ise is None:
        return
    start, end = spec.base.run.start, spec.base.run.end
    days = [d for d in market.days if start <= d <= end]
    n_is = sum(d <= ise for d in days)
    n_oos = len(days) - n_is
    if min(n_is, n_oos) >= MIN_SIDE_SESSIONS:
        return
    if len(days) < 2 * MIN_SIDE_SESSIONS:
        fix = f"widen the run window to at least {2 * MIN_SIDE_SESSIONS} sessions, or drop in_sample_end"
    else:
        fix = (f"move it to between {days[MIN_SIDE_SESSIONS - 1]} and {days[-MIN_SIDE_SESSIONS - 1]}, or drop "
               "in_sample_end")
    raise C.ConfigError(f"sweep '{spec.name}': sweep.in_sample_end = {ise} leaves {n_is} session(s) in sample and "
                        f"{n_oos} out of sample of the run window {start}..{end}; each side needs at least "
                        f"{MIN_SIDE_SESSIONS} for its metrics: {fix}")


def check_some_valid(spec: SweepSpec, market: Market | None = None) -> None:
    """Raise ConfigError unless every plug-in name of the grid loads (:func:`check_grid_plugins`, load_spec's check:
    again for a spec built in Python) and the grid holds a valid point; the grid is walked up to its first valid
    point. Called before any output folder is created or touched: a sweep with nothing to run fails in one line.
    """
    check_grid_plugins(spec.grid, f"sweep '{spec.name}': ")
    n_invalid, example = 0, ""
    for item in iter_points(spec, market):
        if isinstance(item, Point):
            return
        n_invalid += 1
        example = example or item[1]
    raise C.ConfigError(f"sweep '{spec.name}': no valid grid point: {n_invalid} of {n_invalid} invalid, like "
                        f"'{example}' (fix [grid] or [base])")


def expand(spec: SweepSpec, market: Market | None = None) -> tuple[list[Point], list[tuple[dict[str, Any], str]]]:
    """Return (valid points, invalid (params, reason)) of the grid, in grid order (as lists: small grids)."""
    points, invalid = [], []
    for item in iter_points(spec, market):
        (points if isinstance(item, Point) else invalid).append(item)
    return points, invalid


@dataclass
class GridOrder:
    """What one walk of a grid (:func:`iter_points`) tells: its valid points' keys in grid order (key -> index; a
    key met twice keeps its first) and how many combinations were invalid. A sweep fills one as it walks its grid,
    orders its files by it and hands it to its summary, so the grid is walked once (:func:`grid_order` alone)."""

    index: dict[str, int] = dataclasses.field(default_factory=dict)
    invalid: int = 0

    def add(self, item: Point | tuple[dict[str, Any], str]) -> None:
        if isinstance(item, Point):
            self.index.setdefault(item.key, len(self.index))
        else:
            self.invalid += 1


def grid_order(spec: SweepSpec, market: Market | None = None) -> GridOrder:
    """Return the :class:`GridOrder` of one walk of the grid (with ``market``, as :func:`iter_points`)."""
    order = GridOrder()
    for item in iter_points(spec, market):
        order.add(item)
    return order


DATA_RECIPE = "2"  # "data" also hashes a data directory's A/D and calendar files (vixhedge.sweep_claim.claim)


def spec_identity(spec: SweepSpec, market: Market | None = None) -> dict[str, Any]:
    """Return what makes a sweep's rows: its resolved base config, grid, window and split (hashed), and with
    ``market`` its data files and the files its base config or grid names (names and sha256), for
    :func:`vixhedge.sweep_claim.claim`. The name, workers, scheduler, engine and kernel change no row: not in it."""
    digest = lambda text: hashlib.sha256(text.encode()).hexdigest()[:16]  # noqa: E731
    parts = {"base": digest(keyed_toml(spec.base)),  # (the data folder's path left out: "data" hashes its files)
             "grid": digest(json.dumps([[k, list(v)] for k, v in spec.grid.items()], default=str)),
             "window": f"{spec.base.run.start}..{spec.base.run.end}",
             "split": str(spec.in_sample_end) if spec.in_sample_end else "none"}
    from vixhedge.codeid import code_sha256
    from vixhedge.extensions import grid_fingerprint

    if plugins := grid_fingerprint(spec.base, spec.grid):  # an edited plug-in makes other rows (left out: none named)
        parts["plugins"] = digest(plugins)
    parts["code"] = code_sha256()[:16]  # another version of the engine makes other rows (vixhedge.codeid)
    if market is not None:  # the same config on changed data files makes other rows (the point keys hash configs)
        extras = directory_extras(market)  # (hashes the A/D and calendar files: once)
        parts["data"] = digest(json.dumps(data_files(spec, market, extras)))
        if extras:  # a data directory's A/D and calendar files, read since 2026-12-03: rows before them differ
            parts["data_recipe"] = DATA_RECIPE
    return {"name": spec.name, "hash": digest(json.dumps(parts, sort_keys=True)), "parts": parts}


def data_files(spec: SweepSpec, market: Market, extras: list | None = None) -> list[list[str]]:
    """``[name, sha256]`` of every data file the sweep's rows read, sorted: the market's, a data directory's A/D and
    calendar files (``extras``, :func:`feeds.datafiles.directory_extras`, when the caller has them) and those the
    base config or a grid value names (summary.json's provenance lists them)."""
    extras = directory_extras(market) if extras is None else extras
    return sorted([*map(list, market.data.files), *map(list, extras), *_config_files(spec)])


def _config_files(spec: SweepSpec) -> list[list[str]]:
    """``[path, sha256]`` of each data file the base config or a grid value names (feeds.datafiles.CONFIG_FILES:
    the FOMC and A/D CSVs, the events calendar; one named but not read, its rule off, is hashed all the same)."""
    named = {getattr(getattr(spec.base.hedge, section), key) for section, key in CONFIG_FILES}
    named.update(str(v) for section, key in CONFIG_FILES for v in spec.grid.get(f"hedge.{section}.{key}", ()))
    return [[p, file_sha256(Path(p))] for p in sorted(named) if p and Path(p).is_file()]


def result_fields(spec: SweepSpec) -> list[str]:
    fields = ["point", *spec.grid, *RESULT_FIELDS]
    if spec.in_sample_end:
        fields += [f"{t}_{k}" for t in ("is", "oos") for k in SIDE_METRICS]
        fields += [f"{t}_{k}" for t in ("is", "oos") for k in CAPITAL_METRICS]
    if spec.base.analysis.analyzers or "analysis.analyzers" in spec.grid:  # plug-ins' answers, JSON per point
        fields.append(ANALYZERS)
    return fields
