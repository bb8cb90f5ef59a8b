"""Parameter sweeps: grid -> points -> batched runs on one shared Market -> streamed results.

* The grid is a TOML table of dotted config keys to lists or ``{start, stop, step}`` ranges;
  every combination is validated as a full :class:`~vixhedge.core.config.Config` and invalid ones
  (e.g. ``fast >= slow``) are skipped and counted.
* The Market is built ONCE in the parent; workers are forked and inherit it read-only
  (copy-on-write), so it is never rebuilt or pickled per point. Keys under ``market.`` cannot
  be swept for that reason.
* The grid is counted before it is expanded and refused above ``sweep.max_points``; points are
  generated lazily (:mod:`vixhedge.sweepgrid`), so memory does not grow with the grid.
* Points are batched per task; only the parent writes results, one CSV row per point with the
  point's config hash, appended whole and fsynced per batch, under an exclusive lock on the
  output folder (:mod:`vixhedge.sweepio`). A rerun repairs a torn last row and skips hashes
  already present, so an interrupted sweep loses nothing and nothing is written twice.
* Workers die with the parent (``PR_SET_PDEATHSIG`` on Linux, and a parent check at start). When
  a worker dies, the points it may have been running are retried one at a time, each up to
  ``sweep.retries`` more times; a point that keeps killing its worker, or raises, is recorded in
  ``failed.csv`` with its error and the sweep goes on.
* In-sample / out-of-sample: with ``in_sample_end`` set, every point's metrics are reported
  on both sides of that date of its one continuous run (the policy fits nothing, so the
  out-of-sample slice is what the chosen parameters would have done next); the best in-sample
  point is reported out of sample with its deflated Sharpe ratio given the number of trials.
"""

from __future__ import annotations

import collections
import contextlib
import ctypes
import datetime as dt
import gc
import hashlib
import itertools
import json
import logging
import math
import multiprocessing as mp
import os
import re
import signal
import sys
import tomllib
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from feeds.market import Market, build_market
from vixhedge.core import config as C
from vixhedge import sweep_returns
from vixhedge.sweep_paths import PATH, PATHS_FILE, path_batches, run_points as _run_points
from vixhedge.progress import frozen_heap as _frozen_heap  # the Market out of garbage collection
from vixhedge.sweepgrid import DEFAULT_MAX_POINTS, check_size, iter_params
from vixhedge.sweepgrid import values as _values
from vixhedge.sweepio import FAILED_FIELDS, append_rows, output_lock, read_done, read_keys

ANALYZERS = "analyzers"  # results.csv column of analyzer plug-ins' answers (analyzers.plugins.sweep_cell)
RETURNS_KEY = "_returns"  # a point's evaluation-window daily returns: kept in returns.bin, not in results.csv
RESULT_FIELDS = ("sharpe", "cagr", "max_drawdown", "end_nav_usd", "hedge_cost_usd", "hedge_layers", "ruined")
EULER_GAMMA = 0.5772156649015329


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


@dataclass(frozen=True)
class Point:
    key: str  # hash of the resolved config
    params: dict[str, Any]
    config: C.Config


def load_spec(path: str | Path) -> SweepSpec:
    """Load a sweep spec (``[sweep]``, ``[grid]``, optional ``[base]`` config overrides)."""
    path = Path(path)
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise C.ConfigError(f"sweep spec {str(path)!r} does not exist: check the path") from None
    except tomllib.TOMLDecodeError as exc:
        raise C.ConfigError(f"{path}: not valid TOML ({exc})") from None
    unknown = set(table) - {"sweep", "grid", "base"}
    if unknown:
        raise C.ConfigError(f"{path}: unknown table(s) {sorted(unknown)}: use [sweep], [grid] and [base]")
    sw = dict(table.get("sweep", {}))
    allowed = {"name", "config", "workers", "batch_size", "in_sample_end", "scheduler", "engine", "max_points",
               "retries", "kernel"}
    if set(sw) - allowed:
        raise C.ConfigError(f"{path}: unknown key(s) sweep.{sorted(set(sw) - allowed)}: use {sorted(allowed)}")
    base = C.load(path.parent / sw["config"]) if "config" in sw else C.load_default()
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
    ints = {k: sw.get(k, d) for k, d in (("workers", 0), ("batch_size", 4), ("max_points", DEFAULT_MAX_POINTS),
                                         ("retries", 2))}
    for k, v in ints.items():
        if isinstance(v, bool) or not isinstance(v, int) or v < (1 if k in ("batch_size", "max_points") else 0):
            raise C.ConfigError(f"{path}: sweep.{k} = {v!r} is invalid: use a whole number >= "
                                f"{1 if k in ('batch_size', 'max_points') else 0}")
    name = sw.get("name", path.stem)
    if not isinstance(name, str) or not C.is_safe_name(name):
        raise C.ConfigError(f"{path}: sweep.name = {name!r} is invalid: use letters, digits, '-', '_' or '.' only "
                            "(it names the output folder under runs/)")
    ise = sw.get("in_sample_end")
    if ise is not None and not isinstance(ise, dt.date):
        raise C.ConfigError(f"{path}: sweep.in_sample_end = {ise!r} is invalid: write a date as YYYY-MM-DD")
    spec = SweepSpec(name=name, base=base, grid=grid, in_sample_end=ise or None,
                     scheduler=str(sw.get("scheduler", "local")), engine=str(sw.get("engine", "fast")),
                     kernel=sw.get("kernel", "auto"), **ints)
    check_scheduler(spec.scheduler, f"{path}: sweep.scheduler")
    check_kernel(spec.kernel, f"{path}: sweep.kernel")
    check_engine(spec.engine, f"{path}: sweep.engine")
    check_size(grid, spec.max_points, str(path))
    if ise and not (base.run.start < spec.in_sample_end < base.run.end):
        raise C.ConfigError(f"{path}: sweep.in_sample_end = {ise} must lie inside the run window "
                            f"{base.run.start}..{base.run.end}")
    return spec


def _nested(dotted: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in dotted.items():
        node = out
        *parents, leaf = key.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    return out


SWEEPABLE = ("hedge", "condor", "execution", "analysis")  # market and run are shared by every point


def check_grid_key(key: str, where: str) -> None:
    """Raise unless ``key`` names one leaf setting of a section a sweep may vary."""
    section, *rest = key.split(".")
    if section not in SWEEPABLE:
        raise C.ConfigError(f"{where} cannot be swept: only keys of {list(SWEEPABLE)} vary between points (every "
                            "point shares one Market and window; put market/run settings in [base] or run separate "
                            "sweeps)")
    node: Any = C.Config()
    for k, part in enumerate([section, *rest]):
        if isinstance(node, dict) and k == len(rest):  # a plug-in's own parameter: hedge.policy_params.<key>
            return
        if not dataclasses.is_dataclass(node) or part not in {f.name for f in dataclasses.fields(node)}:
            raise C.ConfigError(f"{where} is not a config key: write a dotted key such as hedge.macd.fast")
        node = getattr(node, part)
    if dataclasses.is_dataclass(node):
        raise C.ConfigError(f"{where} is a whole section: sweep its keys one by one (e.g. {key}.<key>)")


def check_scheduler(value: str, where: str) -> None:
    """Raise ConfigError for an unknown scheduler, or a dask one without dask.distributed installed."""
    if value not in ("local", "local-cluster") and not value.startswith("tcp://"):
        raise C.ConfigError(f"{where} = {value!r} is invalid: use 'local', 'local-cluster' or 'tcp://HOST:PORT'")
    if value != "local":
        import importlib.util

        if importlib.util.find_spec("distributed") is None:
            raise C.ConfigError(f"{where} = {value!r} needs dask.distributed, which is not installed: "
                                "python -m pip install 'vixhedge[dask]' (or use scheduler = 'local')")


KERNEL_MODES = ("auto", "off")


def check_kernel(value: Any, where: str) -> None:
    if value not in KERNEL_MODES:
        raise C.ConfigError(f"{where} = {value!r} is invalid: use 'auto' (the all-points kernel where it covers "
                            "a point) or 'off' (every point on the event path)")


def check_engine(value: str, where: str) -> None:
    if value not in C.ENGINES:
        raise C.ConfigError(f"{where} = {value!r} is invalid: use one of {list(C.ENGINES)}")


def iter_points(spec: SweepSpec, market: Market | None = None) -> Iterator[Point | tuple[dict[str, Any], str]]:
    """Yield, in grid order and one at a time, a :class:`Point` or ``(params, reason)`` when invalid.

    With ``market``, a point whose window or indicator warm-up the data cannot hold is invalid too.
    """
    from vixhedge.extensions import fingerprint
    from vixhedge.run import check_window

    check_size(spec.grid, spec.max_points, f"sweep '{spec.name}'")
    for params in iter_params(spec.grid):
        try:
            cfg = C.replace(spec.base, **_nested(params))
            if market is not None:
                check_window(cfg, market)
        except C.ConfigError as exc:
            yield params, str(exc)
            continue
        yield Point(hashlib.sha256((C.to_toml(cfg) + fingerprint(cfg)).encode()).hexdigest()[:16], params, cfg)


def expand(spec: SweepSpec, market: Market | None = None) -> tuple[list[Point], list[tuple[dict[str, Any], str]]]:
    """Return (valid points, invalid (params, reason)) of the grid, in grid order (as lists: small grids)."""
    points, invalid = [], []
    for item in iter_points(spec, market):
        (points if isinstance(item, Point) else invalid).append(item)
    return points, invalid


# ---------------------------------------------------------------------------- workers
_MARKET: Market | None = None  # set in the parent before forking; inherited read-only by workers


def _window_metrics(nav: np.ndarray, hedge_pnl: np.ndarray, a: C.AnalysisConfig) -> dict[str, float]:
    from analyzers import metrics as M

    r = M.daily_returns(nav)
    return {"sharpe": M.sharpe(r, a.risk_free_rate, a.periods_per_year),
            "cagr": M.cagr(nav, a.periods_per_year), "max_drawdown": M.max_drawdown(nav),
            "end_nav_usd": float(nav[-1]), "hedge_cost_usd": float(-hedge_pnl[1:].sum()) + 0.0}


@contextlib.contextmanager
def _quiet_policy_log():
    """Silence the per-run notes (policy, capital) inside a sweep (the parent logs the policy notes once)."""
    logger = logging.getLogger("vixhedge")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def run_point(point: Point, market: Market, in_sample_end: dt.date | None, engine: str = "fast") -> dict[str, Any]:
    """Run one point with ``engine``; return its result row (params, metrics, and IS/OOS metrics if split)."""
    with _quiet_policy_log():
        return _run_point(point, market, in_sample_end, engine)


def _run_point(point: Point, market: Market, in_sample_end: dt.date | None, engine: str) -> dict[str, Any]:
    from vixhedge.run import daily_book, run_backtest

    analyzers = {}
    if engine == "fast" and not point.config.analysis.analyzers:
        d, layers = daily_book(point.config, market)
        ruin = d.attrs["ruin"]
    else:  # the whole result: the backtrader engine, or analyzer plug-ins that read it
        from analyzers.plugins import sweep_cell

        res = run_backtest(point.config, market, engine=engine)
        d, layers, ruin = res.daily, res.metrics["counts"]["hedge_layers"], res.metrics["ruin"]
        if point.config.analysis.analyzers:
            analyzers = {ANALYZERS: sweep_cell(res.metrics.get("analyzers", {}))}
    return {"point": point.key, **point.params,
            **_run_point_metrics(d, layers, point.config.analysis, in_sample_end, ruin), **analyzers}


def _days(daily) -> np.ndarray:
    return np.array(daily.index, dtype="datetime64[D]")


def _split_index(days: np.ndarray, in_sample_end: dt.date) -> int:
    """Return the number of ``days`` (datetime64[D], ascending) on or before ``in_sample_end``."""
    return int(np.searchsorted(days, np.datetime64(in_sample_end), "right"))


def _evaluation_returns(days: np.ndarray, in_sample_end: dt.date | None, nav: np.ndarray) -> np.ndarray:
    """Return the daily NAV returns a point is chosen on: in sample when split, else the whole window.

    ``nav`` is the run's valid NAV span (shorter than ``days`` after a ruin): returns are 0 after its end.
    """
    r = np.zeros(len(days) - 1)
    r[:len(nav) - 1] = nav[1:] / nav[:-1] - 1.0
    if in_sample_end is not None:
        r = r[: _split_index(days, in_sample_end) - 1]
    return r


ERROR = "__error__"  # key of a failed point's row (never written to results.csv)


def _guarded(point: Point, market: Market, in_sample_end: dt.date | None, engine: str) -> dict[str, Any]:
    """Return the point's row, or ``{point, ERROR}`` when it raises (recorded in failed.csv)."""
    try:
        return run_point(point, market, in_sample_end, engine)
    except Exception as exc:  # noqa: BLE001 - any error of one point must not end the sweep
        return {"point": point.key, "params": point.params, ERROR: f"{type(exc).__name__}: {exc}".splitlines()[0]}


def _run_batch(batch: list[Point], in_sample_end: dt.date | None, engine: str, kernel: str = "off"
               ) -> list[dict[str, Any]]:
    assert _MARKET is not None, "sweep workers must be forked from a parent that built the Market"
    return _run_points(batch, _MARKET, in_sample_end, engine, kernel)


def _worker_init(parent: int) -> None:
    """Make a forked worker die with its parent, then freeze the inherited heap (see _frozen_heap)."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before the line above
        os._exit(1)
    gc.freeze()


_LOADED: dict[str, Market] = {}  # dask workers: one Market per market config, built on first use


def _run_batch_loading(batch: list[Point], in_sample_end: dt.date | None, engine: str, kernel: str = "off"
                       ) -> list[dict[str, Any]]:
    mcfg = batch[0].config.market
    key = repr(C.to_dict(mcfg))
    if key not in _LOADED:
        _LOADED[key] = build_market(mcfg)
        gc.freeze()  # see _frozen_heap
    return _run_points(batch, _LOADED[key], in_sample_end, engine, kernel)


# ---------------------------------------------------------------------------- driver
class Progress:
    """The sweep's progress bar over points (a tqdm bar, vixhedge.progress.bar: drawn only on a terminal).

    ``total`` shrinks as invalid and already finished points are skipped while the grid is walked.
    """

    def __init__(self, total: int) -> None:
        from vixhedge import progress

        self._bar = progress.bar(total, "sweep", "point")

    @property
    def total(self) -> int:
        return self._bar.total

    @total.setter
    def total(self, value: int) -> None:
        self._bar.total = value
        self._bar.refresh()

    def advance(self, n: int) -> None:
        self._bar.update(n)

    def close(self) -> None:
        self._bar.close()


def result_fields(spec: SweepSpec) -> list[str]:
    fields = ["point", *spec.grid, *RESULT_FIELDS]
    if spec.in_sample_end:
        fields += [f"{t}_{k}" for t in ("is", "oos") for k in ("sharpe", "max_drawdown", "hedge_cost_usd")]
    if spec.base.analysis.analyzers or "analysis.analyzers" in spec.grid:  # plug-ins' answers, JSON per point
        fields.append(ANALYZERS)
    return fields


class _Sink:
    """The parent's writer: result rows to results.csv, failures to failed.csv, progress to the bar."""

    def __init__(self, out_dir: Path, fields: list[str], bar: Progress | None) -> None:
        self.results, self.failed, self.fields, self.bar = out_dir / "results.csv", out_dir / "failed.csv", fields, bar
        self.n_failed = 0
        self.kernel = 0  # points run on the kernel
        self.event: collections.Counter = collections.Counter()  # points run on the event path, by reason

    def rows(self, rows: list[dict[str, Any]]) -> None:
        for r in rows:
            why = r.pop(PATH, None)
            if why == "":
                self.kernel += 1
            elif why is not None:
                self.event[why] += 1
        good = [r for r in rows if ERROR not in r]
        if good:  # returns first: a row in results.csv means its returns record is on disk
            sweep_returns.append(self.results.parent, [(r["point"], r.pop(RETURNS_KEY)) for r in good])
            append_rows(self.results, good, self.fields)
        for r in rows:
            if ERROR in r:
                self.fail(r["point"], r["params"], r[ERROR])
        if self.bar:
            self.bar.advance(len(rows))

    def paths(self) -> dict[str, Any]:
        """How many points of this invocation ran on each path, and why on the event path (paths.json)."""
        return {"kernel": self.kernel, "event": sum(self.event.values()),
                "event_reasons": dict(sorted(self.event.items(), key=lambda kv: (-kv[1], kv[0])))}

    def fail(self, key: str, params: dict[str, Any], error: str) -> None:
        append_rows(self.failed, [{"point": key, "params": repr(params), "error": error}], FAILED_FIELDS)
        self.n_failed += 1


def run_sweep(spec: SweepSpec, out_dir: Path, market: Market | None = None, progress: bool = True) -> Path:
    """Run (or resume) a sweep into ``out_dir``; return the results CSV path.

    Holds the folder's lock throughout; the grid is walked lazily (memory does not grow with it).
    """
    total = check_size(spec.grid, spec.max_points, f"sweep '{spec.name}'")
    market = market or build_market(spec.base.market)
    with output_lock(out_dir):
        fields = result_fields(spec)
        done = read_done(out_dir / "results.csv", fields)
        (out_dir / "failed.csv").unlink(missing_ok=True)  # a rerun tries failed points again
        bar = Progress(total) if progress else None
        sink = _Sink(out_dir, fields, bar)
        counts = {"invalid": 0, "done": 0, "reasons": collections.Counter(), "example": {}}
        if progress:
            print(f"sweep '{spec.name}': {total} grid points ({len(done)} already done)", file=sys.stderr)
        with _invalid_writer(out_dir / "invalid.csv") as write_invalid:
            todo = _todo(spec, market, done, sink, counts, write_invalid)
            _dispatch(spec, market, todo, sink, total)
        if bar:
            bar.close()
        paths = sink.paths()
        (out_dir / PATHS_FILE).write_text(json.dumps(paths, indent=2) + "\n", encoding="utf-8")
        if progress:
            why = "; ".join(f"{n} {reason}" for reason, n in paths["event_reasons"].items())
            print(f"sweep '{spec.name}': {paths['kernel']} point(s) on the kernel, {paths['event']} on the event "
                  f"path{f' ({why})' if why else ''}", file=sys.stderr)
            print(f"sweep '{spec.name}': {total - counts['invalid']} valid points ({counts['invalid']} invalid "
                  f"skipped, {counts['done']} already done, {sink.n_failed} failed)", file=sys.stderr)
            if counts["invalid"]:
                why = "; ".join(f"{n} like '{counts['example'][kind]}'" for kind, n in counts["reasons"].most_common(3))
                print(f"sweep '{spec.name}': WARNING {counts['invalid']} of {total} grid points were NOT run: {why} "
                      f"(every one in {out_dir / 'invalid.csv'})", file=sys.stderr)
            for note in _policy_notes(spec, market):
                print(f"sweep: {note}", file=sys.stderr)
    return out_dir / "results.csv"


@contextlib.contextmanager
def _invalid_writer(path: Path):
    """Yield ``write(params, reason)``; the file is written to a temporary name and renamed at the end."""
    for stale in path.parent.glob(f".{path.name}.*"):  # left by a killed sweep (the folder's lock is held)
        stale.unlink(missing_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with tmp.open("w", encoding="utf-8") as fh:
            fh.write("params,reason\n")
            yield lambda params, reason: fh.write(f"\"{params}\",\"{reason.replace(chr(34), chr(39))}\"\n")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _reason_kind(reason: str) -> str:
    """Return an invalid point's reason without its numbers and dates, to count reasons of one kind together."""
    return re.sub(r"\d[\d.\-:]*", "#", reason)


def _todo(spec: SweepSpec, market: Market, done: set[str], sink: _Sink, counts: dict[str, int],
          write_invalid) -> Iterator[Point]:
    """Yield the points still to run; count (and write) the invalid and already-done ones as they pass."""
    for item in iter_points(spec, market):
        if not isinstance(item, Point):
            write_invalid(*item)
            counts["invalid"] += 1
            kind = _reason_kind(item[1])
            counts["reasons"][kind] += 1
            counts["example"].setdefault(kind, item[1])
        elif item.key in done:
            counts["done"] += 1
        else:
            yield item
            continue
        if sink.bar:
            sink.bar.total -= 1


def _dispatch(spec: SweepSpec, market: Market, todo: Iterator[Point], sink: _Sink, total: int) -> None:
    global _MARKET
    workers = spec.workers or os.cpu_count() or 1
    batches = path_batches(todo, spec, workers, total)
    if spec.scheduler != "local":
        _run_dask(batches, workers, spec, sink)
        return
    _MARKET = market
    if workers == 1:
        with _frozen_heap():
            for b in batches:
                sink.rows(_run_batch(b, spec.in_sample_end, spec.engine, spec.kernel))
        return
    _run_pool(batches, workers, spec, sink)


def make_batches(points: list[Point], size: int, workers: int) -> list[list[Point]]:
    """Split ``points`` (in order) into tasks of ``size`` points, smaller towards the end.

    Once fewer than ``2 x workers x size`` points remain, a batch holds a ``2 x workers``-th of
    them (at least one), so the workers run out of work together rather than one finishing a
    full batch alone (guided self-scheduling).
    """
    return list(iter_batches(iter(points), size, workers, len(points)))


def iter_batches(points: Iterator[Point], size: int, workers: int, total: int) -> Iterator[list[Point]]:
    """Yield the batches of :func:`make_batches` lazily; ``total`` bounds how many points remain."""
    left = total
    while True:
        n = max(1, min(size, left // (2 * workers)))
        batch = list(itertools.islice(points, n))
        if not batch:
            return
        left -= len(batch)
        yield batch


def _policy_notes(spec: SweepSpec, market: Market) -> tuple[str, ...]:
    """Return the policy notes of the first point's signals (e.g. a rule disabled for lack of an input)."""
    from strategies.signalset import compute, inputs_from_market

    first = next((p for p in iter_points(spec) if isinstance(p, Point)), None)
    hedge = first.config.hedge if first else None
    if hedge is None or hedge.policy_name != "alvh":
        return ()
    return compute(inputs_from_market(market, hedge), hedge).notes


def _run_pool(batches: Iterable[list[Point]], workers: int, spec: SweepSpec, sink: _Sink) -> None:
    """Run batches on forked workers, at most ``workers`` in flight; survive worker deaths point by point.

    When the pool breaks, every point in flight is a suspect: suspects run alone (one task in
    flight), so the next death names its point exactly; a point whose worker died more than
    ``spec.retries`` times is recorded as failed and the sweep goes on with a new pool.
    """
    fresh = iter(batches)
    ready: deque[list[Point]] = deque()  # taken from ``fresh``, not yet submitted
    suspects: deque[Point] = deque()
    deaths: dict[str, int] = {}
    ctx = mp.get_context("fork")
    while True:
        inflight: dict[Any, list[Point]] = {}
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_worker_init,
                                     initargs=(os.getpid(),)) as pool:
                while True:
                    _fill(pool, inflight, fresh, ready, suspects, workers, spec)
                    if not inflight:
                        return
                    finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
                    for f in finished:
                        rows = f.result()
                        inflight.pop(f)
                        sink.rows(rows)
        except BrokenProcessPool:
            for p in (p for b in inflight.values() for p in b):
                deaths[p.key] = deaths.get(p.key, 0) + 1
                if deaths[p.key] > spec.retries:
                    sink.fail(p.key, p.params, f"its worker process died {deaths[p.key]} times while running it "
                                               "(killed, crashed or out of memory)")
                    if sink.bar:
                        sink.bar.advance(1)
                else:
                    suspects.append(p)
            print(f"\nsweep: a worker died with {sum(map(len, inflight.values()))} point(s) in flight; "
                  f"{len(suspects)} point(s) to retry one at a time", file=sys.stderr)


def _fill(pool, inflight: dict, fresh: Iterator[list[Point]], ready: deque, suspects: deque, workers: int,
          spec: SweepSpec) -> None:
    """Submit work: a suspect alone when there are suspects, else fresh batches up to ``workers`` in flight.

    A batch leaves ``ready`` / ``suspects`` only once submitted: a pool that broke meanwhile loses nothing.
    """
    submit = lambda b: inflight.__setitem__(pool.submit(_run_batch, b, spec.in_sample_end, spec.engine,  # noqa: E731
                                                        spec.kernel), b)
    if suspects:
        if not inflight:
            submit([suspects[0]])
            suspects.popleft()
        return
    while len(inflight) < workers:
        if not ready:
            batch = next(fresh, None)
            if batch is None:
                return
            ready.append(batch)
        submit(ready[0])
        ready.popleft()


def _run_dask(batches: Iterable[list[Point]], workers: int, spec: SweepSpec, sink: _Sink) -> None:
    """Run batches on dask.distributed; the parent alone writes results as they complete.

    A worker that dies has its tasks rescheduled by the scheduler; nothing is written twice.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if spec.scheduler == "local-cluster":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address="127.0.0.1:0")  # None still binds :8787; a free port never clashes
        client = Client(cluster)
    else:
        client = Client(spec.scheduler)
    try:
        from vixhedge.extensions import check_workers, grid_names

        check_workers(client, spec.scheduler, grid_names(spec.base, spec.grid))
        submit = lambda b: client.submit(_run_batch_loading, b, spec.in_sample_end, spec.engine,  # noqa: E731
                                         spec.kernel, pure=False)
        pending = iter(batches)
        running = as_completed([submit(b) for b in itertools.islice(pending, 2 * workers)])
        for fut in running:  # a bounded window of tasks: memory does not grow with the grid
            sink.rows(fut.result())
            nxt = next(pending, None)
            if nxt is not None:
                running.add(submit(nxt))
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


# ---------------------------------------------------------------------------- analysis
def deflated_sharpe(best_returns: np.ndarray, sharpe_trials_per_period: np.ndarray) -> float:
    """Return the deflated Sharpe ratio (Bailey & Lopez de Prado, 2014) of the best trial.

    ``best_returns`` are the chosen point's per-period returns; ``sharpe_trials_per_period``
    the non-annualised Sharpe ratios of all N trials. The benchmark SR0 is the expected maximum
    of N Sharpe ratios under the null (zero true Sharpe) given their cross-trial variance.
    """
    from scipy.stats import kurtosis, norm, skew  # 0.8 s of import: only the summary needs it

    n = len(sharpe_trials_per_period)
    r = np.asarray(best_returns)
    t = len(r)
    sr = r.mean() / r.std(ddof=1)
    if n < 2:
        sr0 = 0.0
    else:
        v = np.var(sharpe_trials_per_period, ddof=1)
        sr0 = math.sqrt(v) * ((1 - EULER_GAMMA) * norm.ppf(1 - 1 / n) + EULER_GAMMA * norm.ppf(1 - 1 / (n * math.e)))
    g3, g4 = skew(r), kurtosis(r, fisher=False)
    denom = math.sqrt(max(1 - g3 * sr + (g4 - 1) / 4 * sr * sr, 1e-12))
    return float(norm.cdf((sr - sr0) * math.sqrt(t - 1) / denom))


def summarize(results: Path, spec: SweepSpec, market: Market) -> dict[str, Any]:
    """Return the sweep summary.

    With an in-sample split: the best IS point out of sample and its deflated Sharpe ratio. Always: the
    no-hedge baseline of the base config on the same window (and IS/OOS sides), and Hansen's SPA and
    Romano-Wolf's StepM tests of every point's evaluation-window daily returns against that baseline
    (:func:`snooping_tests`).
    """
    import pandas as pd

    from vixhedge.run import daily_book, valid_nav

    df = pd.read_csv(results) if results.exists() else pd.DataFrame(columns=result_fields(spec))
    keys, invalid = set(), 0
    for item in iter_points(spec, market):
        if isinstance(item, Point):
            keys.add(item.key)
        else:
            invalid += 1
    df = df[df["point"].isin(keys)].drop_duplicates("point")
    failed = read_keys(results.with_name("failed.csv")) - set(df["point"])
    out: dict[str, Any] = {"points": len(keys), "invalid": invalid, "finished": int(len(df)), "failed": len(failed),
                           "not_run": len(keys) - int(len(df)) - len(failed)}
    if (results.parent / PATHS_FILE).is_file():  # the last invocation's points per path (kernel / event)
        out["paths"] = json.loads((results.parent / PATHS_FILE).read_text(encoding="utf-8"))
    if df.empty:
        return out
    col = "is_sharpe" if spec.in_sample_end else "sharpe"
    ruined = (df["ruined"].notna() & (df["ruined"].astype(str) != "") if "ruined" in df
              else pd.Series(False, index=df.index))
    out["ruined"] = int(ruined.sum())
    if ruined.all():
        out["best"] = None  # every point was ruined: none is ranked
        return out
    best = df.loc[df.loc[~ruined, col].idxmax()]
    out["best"] = {k: (v.item() if hasattr(v, "item") else v) for k, v in best.items()}
    base_cfg = C.replace(spec.base, hedge={"mode": "none", "policy": ""})
    with _quiet_policy_log():
        base_daily, _ = daily_book(base_cfg, market)
    base_row = _run_point_metrics(base_daily, 0, base_cfg.analysis, spec.in_sample_end, base_daily.attrs.get("ruin"))
    out["baseline_none"] = {k: v for k, v in base_row.items() if k != RETURNS_KEY}
    if spec.in_sample_end:
        point = next(p for p in iter_points(spec) if isinstance(p, Point) and p.key == best["point"])
        with _quiet_policy_log():
            d, _ = daily_book(point.config, market)
        is_r = _evaluation_returns(_days(d), spec.in_sample_end, valid_nav(d, d.attrs.get("ruin")))
        trials = df["is_sharpe"].to_numpy() / math.sqrt(spec.base.analysis.periods_per_year)
        out["best_out_of_sample"] = {"oos_sharpe": float(best["oos_sharpe"]),
                                     "oos_max_drawdown": float(best["oos_max_drawdown"]),
                                     "oos_hedge_cost_usd": float(best["oos_hedge_cost_usd"])}
        out["deflated_sharpe_ratio"] = deflated_sharpe(is_r, trials[np.isfinite(trials)])
        out["trials"] = int(np.isfinite(trials).sum())
    out["snooping"] = snooping_tests(results.parent, list(df["point"]), str(best["point"]),
                                     base_row[RETURNS_KEY], spec.base.run.seed)
    return out


def snooping_tests(folder: Path, keys: list[str], best_key: str, benchmark_returns: np.ndarray, seed: int,
                   reps: int = 1000, size: float = 0.05) -> dict[str, Any]:
    """Return SPA and StepM (``arch.bootstrap``) of all points' daily returns against a benchmark's.

    Losses are minus the daily returns, so a point "beats" the benchmark when its mean daily return is
    higher. SPA (Hansen 2005) asks whether the best of the N points beats the benchmark once the search
    over N is accounted for (p-value: consistent; lower and upper beside it); StepM (Romano & Wolf 2005)
    returns the points that beat it at ``size`` with the family-wise error controlled. Stationary
    bootstrap, ``reps`` draws, block length data-driven (Politis-White) on the best point's loss
    differential.
    """
    from arch.bootstrap import SPA, StepM

    from vixhedge.bootstrap import data_block_length

    found, r = sweep_returns.load(folder, keys, len(benchmark_returns))
    out: dict[str, Any] = {"benchmark": "no hedge (hedge.mode = none), same config and window",
                           "points_tested": len(found), "points_finished": len(keys), "reps": reps}
    if not found or len(benchmark_returns) < 10:
        out["note"] = "no stored daily returns (returns.bin) for these points: SPA/StepM not run"
        return out
    bench_loss, losses = -benchmark_returns, -r
    col = found.index(best_key) if best_key in found else int(np.argmax(r.mean(axis=0)))
    block = data_block_length(losses[:, col] - bench_loss)
    spa = SPA(bench_loss, losses, block_size=block, reps=reps, seed=np.random.default_rng(seed))
    spa.compute()
    stepm = StepM(bench_loss, losses, size=size, block_size=block, reps=reps, seed=np.random.default_rng(seed))
    stepm.compute()
    superior = {found[int(i)] for i in stepm.superior_models}
    pv = spa.pvalues
    out.update({"block_days": block, "spa_pvalue": float(pv["consistent"]), "spa_pvalue_lower": float(pv["lower"]),
                "spa_pvalue_upper": float(pv["upper"]), "stepm_size": size, "stepm_superior": len(superior),
                "best_in_stepm_set": best_key in superior})
    return out


def _run_point_metrics(daily, layers: int, a: C.AnalysisConfig, in_sample_end: dt.date | None,
                       ruin: dict | None = None) -> dict[str, Any]:
    """Return a point's result metrics (whole window, IS/OOS sides when split) and its evaluation returns.

    Metrics are computed on the valid span (to the ruin day, NAV 0 on it); ``ruined`` names the ruin day, and
    a ruined point is never ranked best.
    """
    from vixhedge.run import valid_nav

    return metrics_row(valid_nav(daily, ruin), daily["hedge_pnl_usd"].to_numpy(), _days(daily), layers, a,
                       in_sample_end, ruin["date"] if ruin else "")


def metrics_row(nav: np.ndarray, hedge_pnl: np.ndarray, days: np.ndarray, layers: int, a: C.AnalysisConfig,
                in_sample_end: dt.date | None, ruined: str = "") -> dict[str, Any]:
    """:func:`_run_point_metrics` of arrays: the valid NAV span, the daily hedge P&L and the days of the window."""
    hedge = hedge_pnl[:len(nav)]
    row: dict[str, Any] = dict(_window_metrics(nav, hedge, a))
    row["hedge_layers"] = layers
    row["ruined"] = ruined
    row[RETURNS_KEY] = _evaluation_returns(days, in_sample_end, nav)
    if in_sample_end is not None:
        cut = _split_index(days, in_sample_end)
        for tag, sl in (("is", slice(0, cut)), ("oos", slice(max(cut - 1, 0), None))):
            m = _window_metrics(nav[sl], hedge[sl], a)
            row.update({f"{tag}_{k}": v for k, v in m.items() if k in ("sharpe", "max_drawdown", "hedge_cost_usd")})
    return row
