"""Parameter sweeps: grid -> points -> batched runs on one shared Market -> streamed results.

* The grid is a TOML table of dotted config keys to lists or ``{start, stop, step}`` ranges;
  every combination is validated as a full :class:`~vixhedge.core.config.Config` and invalid ones
  (e.g. ``fast >= slow``) are skipped and counted.
* The Market is built ONCE in the parent; workers are forked and inherit it read-only (copy-on-write), so it is
  never rebuilt or pickled per point. Keys under ``market.`` cannot be swept for that reason.
* The grid is counted before it is expanded and refused above ``sweep.max_points``; points are
  generated lazily (:mod:`vixhedge.sweepgrid`), so memory does not grow with the grid.
* Points are batched per task; only the parent writes results, one CSV row per point with the
  point's config hash, appended whole and fsynced per batch, under an exclusive lock on the
  output folder (:mod:`vixhedge.sweepio`). A rerun repairs a torn last row and skips hashes
  already present, so an interrupted sweep loses nothing and nothing is written twice. Rows land in the order
  workers finish; at the end of the walk results.csv, paths.csv, failed.csv and returns.bin are rewritten in grid
  order (:func:`sort_outputs`): the same spec gives the same bytes however the points were scheduled.
* Workers die with the parent (``PR_SET_PDEATHSIG`` on Linux, and a parent check at start). A dead worker's points
  are retried one at a time, up to ``sweep.retries`` more times each; one that keeps killing its worker, or raises,
  goes to ``failed.csv`` with its error and the sweep goes on.
* In-sample / out-of-sample: with ``in_sample_end`` set, every point's metrics are reported on both sides of that
  date of its one continuous run (the policy fits nothing, so the out-of-sample slice is what the chosen parameters
  would have done next); the best in-sample point (on ``sweep.rank_by``) is reported out of sample, with its
  deflated Sharpe ratio given the number of trials when ranked by Sharpe.
"""

from __future__ import annotations

import collections
import contextlib
import datetime as dt
import json
import multiprocessing as mp
import os
import re
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

from feeds.market import Market, build_market
from vixhedge import sweep_returns, sweep_worker
from vixhedge.fmt import plural
from vixhedge.heap import keep_freed_memory
from vixhedge.plugin_trace import interrupted_in
from vixhedge.progress import frozen_heap as _frozen_heap  # the Market out of garbage collection
from vixhedge.sweep_paths import (ERROR, PATH, PATH_RECORDS, PATHS_FILE, RECORD_FIELDS, check_same_paths, count_paths,
                                  path_batches, path_record, repair_records, run_points as _run_points)
from vixhedge.sweep_dask import REACH_SECONDS, check_reachable
from vixhedge.sweepgrid import check_size, make_batches
from vixhedge.sweep_progress import Progress, config_note, note, stage  # the tests patch sweep.note, Progress
from vixhedge.sweep_order import sort_outputs
from vixhedge.sweep_claim import drop_stale
from vixhedge.sweepio import BASE_FILE, FAILED_FIELDS, append_rows, output_lock, read_done, say_older_header
# the sweep's public names, defined by concept in sweep_spec / sweep_metrics / sweep_summary / sweep_text
from vixhedge.sweep_metrics import LATER_FIELDS, RESULT_FIELDS, RETURNS_KEY, run_point
from vixhedge.sweep_keys import check_kernel, with_overrides
from vixhedge.sweep_spec import (GridOrder, Point, SweepSpec, check_some_valid, check_split, expand, grid_order,
                                 inert_axes, iter_points, load_spec, result_fields, spec_identity, unread_base)
from vixhedge.sweep_summary import deflated_sharpe, ranked_fields, summarize, write_summary
from vixhedge.sweep_text import format_summary

__all__ = [  # this module's own names, then the sweep's public names it re-exports
    "ERROR", "checked_sweep", "preflight", "run_and_summarize", "run_sweep", "sweep_and_summarize", "write_inputs",
    "REACH_SECONDS", "check_reachable", "check_size", "make_batches", "Progress", "note", "stage", "RESULT_FIELDS",
    "RETURNS_KEY", "run_point", "check_kernel", "with_overrides", "GridOrder", "Point", "SweepSpec", "check_some_valid",
    "check_split", "expand", "grid_order", "inert_axes", "iter_points", "load_spec", "result_fields", "spec_identity",
    "deflated_sharpe", "format_summary", "summarize", "write_summary",
]


# ---------------------------------------------------------------------------- workers
_MARKET: Market | None = None  # set in the parent before forking; inherited read-only by workers

def _run_batch(batch: list[Point], in_sample_end: dt.date | None, engine: str, kernel: str = "off"
               ) -> list[dict[str, Any]]:
    assert _MARKET is not None, "sweep workers must be forked from a parent that built the Market"
    with sweep_worker.busy():
        return _run_points(batch, _MARKET, in_sample_end, engine, kernel)


# ---------------------------------------------------------------------------- driver
class _Sink:
    """The parent's writer: result rows to results.csv, failures to failed.csv, progress to the bar."""

    def __init__(self, out_dir: Path, fields: list[str], bar: Progress | None) -> None:
        self.results, self.failed, self.fields, self.bar = out_dir / "results.csv", out_dir / "failed.csv", fields, bar
        self.legacy = LATER_FIELDS[-1][1][0] not in fields  # a folder from before a column (LATER_FIELDS)
        self.n_failed = 0
        self.finished: set[str] = set()  # points of the grid in results.csv: earlier ones (kept) and this run's
        self.order = GridOrder()  # the grid's valid points in grid order, and its invalid count, as it is walked
        repair_records(out_dir)

    def rows(self, rows: list[dict[str, Any]]) -> None:
        drop_stale(self.results.parent)  # the folder's files change from here (sweep_claim: not before, FUZZ37 H1)
        whys = {r["point"]: r.pop(PATH, None) for r in rows}
        good = [r for r in rows if ERROR not in r]
        if good:  # paths and returns first: a row in results.csv means its records are on disk
            records = [path_record(r["point"], whys[r["point"]]) for r in good if whys[r["point"]] is not None]
            if records:
                append_rows(self.results.with_name(PATH_RECORDS), records, RECORD_FIELDS)
            sweep_returns.append(self.results.parent, [(r["point"], r.pop(RETURNS_KEY)) for r in good])
            append_rows(self.results, [{k: r[k] for k in self.fields} for r in good] if self.legacy else good,
                        self.fields)
            self.finished.update(r["point"] for r in good)
        for r in rows:
            if ERROR in r:
                self.fail(r["point"], r["params"], r[ERROR])
        if self.bar:
            self.bar.advance(len(rows))

    def paths(self) -> dict[str, Any]:
        """How many finished points of the grid, earlier invocations' included, ran on each path (paths.json)."""
        return count_paths(self.results.parent, self.finished)

    def fail(self, key: str, params: dict[str, Any], error: str) -> None:
        append_rows(self.failed, [{"point": key, "params": repr(params), "error": error}], FAILED_FIELDS)
        self.n_failed += 1


def preflight(spec: SweepSpec, market: Market) -> int:
    """Return the grid's number of points, or raise ConfigError, before any work or output folder, when the grid is
    above ``sweep.max_points`` (counted, not walked), a file key names no readable file, the [base] window lies
    outside the data (a split of it would count 0 sessions a side), a side of the split is too short for its
    metrics, nothing is to run or the dask scheduler does not answer. Run once, before the lock (checked_sweep)."""
    from vixhedge.core.config.paths import check_input_files
    from vixhedge.window import check_span

    total = check_size(spec.grid, spec.max_points, f"sweep '{spec.name}'")
    check_input_files(spec.base, f"sweep '{spec.name}': ", spec.grid)  # a folder, a FIFO, /dev/zero, ...
    check_span(spec.base.run.start, spec.base.run.end, market, f"sweep '{spec.name}': [base] ")
    check_split(spec, market)
    check_some_valid(spec, market)
    check_reachable(spec.scheduler)
    return total


def run_sweep(spec: SweepSpec, out_dir: Path, market: Market | None = None, progress: bool = True) -> Path:
    """Run (or resume) a sweep into ``out_dir``; return the results CSV path.

    Checks the spec against the market first (:func:`preflight`: ConfigError, the folder untouched), then holds
    the folder's lock throughout; the grid is walked lazily (memory does not grow with it).
    """
    market = market or build_market(spec.base.market)
    with checked_sweep(spec, out_dir, market) as total:
        return _sweep(spec, out_dir, market, progress, total)[0]


def run_and_summarize(spec: SweepSpec, out_dir: Path, market: Market | None = None, progress: bool = True,
                      files: dict[str, bytes] | None = None) -> dict[str, Any]:
    """Run (or resume) a sweep (:func:`run_sweep`) and return its summary (:func:`summarize`), the grid walked
    once for both, the folder's lock held throughout. ``files``: more files (name -> bytes) written into the folder
    once it is claimed (the CLI's copy of the spec, spec.toml)."""
    market = market or build_market(spec.base.market)
    with checked_sweep(spec, out_dir, market) as total:
        return sweep_and_summarize(spec, out_dir, market, total, progress, files)


@contextlib.contextmanager
def checked_sweep(spec: SweepSpec, out_dir: Path, market: Market) -> Iterator[int]:
    """Check the spec against the market (:func:`preflight`, once: ConfigError, the folder untouched), then hold
    the folder's lock (taken once); yield the grid's number of points."""
    total = preflight(spec, market)
    with output_lock(out_dir):
        yield total


def sweep_and_summarize(spec: SweepSpec, out_dir: Path, market: Market, total: int, progress: bool = True,
                        files: dict[str, bytes] | None = None) -> dict[str, Any]:
    """:func:`run_and_summarize` inside :func:`checked_sweep` (``total`` its count; the folder's lock held)."""
    results, order = _sweep(spec, out_dir, market, progress, total, files)
    if progress:
        stage("summarizing: the no-hedge and static baselines, the best point's run, SPA and StepM")
    try:
        return summarize(results, spec, market, order, progress)
    except KeyboardInterrupt as exc:  # (review 26: a plug-in named there read as a point's)
        raise interrupted_in(exc, "in the summary: the baselines and the best point's run") from None


def _sweep(spec: SweepSpec, out_dir: Path, market: Market, progress: bool, total: int,
           files: dict[str, bytes] | None = None) -> tuple[Path, GridOrder]:
    """Run (or resume) the checked spec into ``out_dir``, whose lock the caller holds (:func:`checked_sweep`)."""
    from vixhedge import progress as _progress

    progress = progress and not _progress.QUIET  # --quiet: errors and the final summary only
    fields = ranked_fields(out_dir / "results.csv", spec, say=False)  # an older folder: its own (refused first)
    n_days = sweep_returns.n_returns(spec, market)  # a folder holds one sweep: another's is refused, nothing written
    sweep_returns.claim_whole(out_dir, spec_identity(spec, market), n_days,  # (a garbled returns.bin too)
                              lambda: check_same_paths(out_dir, spec, market), spec.rank_by)  # (DET32 M5)
    say_older_header(out_dir / "results.csv", fields)  # (once it is known to be this sweep's)
    write_inputs(out_dir, spec, files)  # base.toml (and the spec): the same bytes on every resume
    done = sweep_returns.keep_recorded(out_dir, read_done(out_dir / "results.csv", fields), n_days)
    if (out_dir / "failed.csv").is_file():  # a rerun tries failed points again: the files change from here
        drop_stale(out_dir, "failed.csv")
    counts = {"done": 0, "reasons": collections.Counter(), "example": {}}
    if progress:  # what is known before the points run, then the bar (the counts by path after it)
        note(f"sweep '{spec.name}': {total} grid points ({len(done)} already done)")
        for text in [*inert_axes(spec), *unread_base(spec)]:
            config_note(f"sweep '{spec.name}': NOTE {text}")  # (logged: a notebook's logging silences them)
        for text in _policy_notes(spec, market):
            config_note(f"sweep: {text}")
    bar = Progress(total) if progress else None
    sink = _Sink(out_dir, fields, bar)
    try:
        with _invalid_writer(out_dir / "invalid.csv") as write_invalid:
            todo = _todo(spec, market, done, sink, counts, write_invalid)
            _dispatch(spec, market, todo, sink, total, progress)
    finally:  # an interrupt too: the bar's line is cleared before the CLI says what is saved
        if bar:
            bar.close()
    sort_outputs(out_dir, sink.order.index, sweep_returns.n_returns(spec, market))
    paths = sink.paths()
    (out_dir / PATHS_FILE).write_text(json.dumps(paths, indent=2) + "\n", encoding="utf-8")
    if progress:
        why = "; ".join(f"{reason}: {n}" for reason, n in paths["event_reasons"].items())
        unrecorded = f", {paths['unrecorded']} not recorded" if paths.get("unrecorded") else ""
        earlier = f", {counts['done']} of them from earlier runs" if counts["done"] else ""
        note(f"sweep '{spec.name}': {plural(paths['kernel'], 'point')} on the kernel, {paths['event']} on the event "
             f"path{f' ({why})' if why else ''}{unrecorded}{earlier}")
        invalid = sink.order.invalid
        note(f"sweep '{spec.name}': {total - invalid} valid points ({invalid} invalid skipped, {counts['done']} "
             f"already done, {sink.n_failed} failed)")
        if invalid:
            why = "; ".join(f"{n} like '{counts['example'][kind]}'" for kind, n in counts["reasons"].most_common(3))
            note(f"sweep '{spec.name}': WARNING {invalid} of {total} grid points were NOT run: {why} "
                 f"(every one in {out_dir / 'invalid.csv'})")
    return out_dir / "results.csv", sink.order


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
    """Yield the points still to run; put each in ``sink.order``; count (and write) the invalid and done ones."""
    for item in iter_points(spec, market):
        sink.order.add(item)
        if not isinstance(item, Point):
            write_invalid(*item)
            kind = _reason_kind(item[1])
            counts["reasons"][kind] += 1
            counts["example"].setdefault(kind, item[1])
        elif item.key in done:
            counts["done"] += 1
            sink.finished.add(item.key)
        else:
            yield item
            continue
        if sink.bar:
            sink.bar.total -= 1


def _dispatch(spec: SweepSpec, market: Market, todo: Iterator[Point], sink: _Sink, total: int,
              progress: bool = False) -> None:
    global _MARKET
    keep_freed_memory()  # kernel batches reuse their large arrays (vixhedge.heap); forked workers inherit it
    workers = min(spec.workers or os.cpu_count() or 1, max(1, total))  # never more processes than points to run
    local = spec.scheduler == "local"  # local workers (forked, or this process) use what the parent prepares
    batches = _after_setup(path_batches(todo, spec, workers, total, market if local else None,
                                        say=stage if progress else lambda _text: None, rows=sink.rows), sink.bar)
    if not local:
        from vixhedge.sweep_dask import run_dask

        run_dask(batches, workers, spec, sink)
        return
    _MARKET = market
    if workers == 1:
        with _frozen_heap():
            for b in batches:
                sink.rows(_run_batch(b, spec.in_sample_end, spec.engine, spec.kernel))
        return
    _run_pool(batches, workers, spec, sink)


def _after_setup(batches: Iterator[list[Point]], bar: Progress | None) -> Iterator[list[Point]]:
    """Yield ``batches``, the bar drawn once the first is ready: after the set-up the parent does before it (the
    first point's quote caches and condor book, :func:`vixhedge.sweep_paths.path_batches`)."""
    for batch in batches:
        if bar:
            bar.start()
        yield batch


def write_inputs(out_dir: Path, spec: SweepSpec, files: dict[str, bytes] | None = None) -> None:
    """Write the sweep's inputs into its folder: ``base.toml`` (the resolved [base] config every point starts from,
    as ``vixhedge run`` reads a config) and ``files`` (the CLI's spec.toml), each rewritten only when it differs."""
    from vixhedge.atomic import write_file
    from vixhedge.core import config as C

    for name, data in {BASE_FILE: C.to_toml(spec.base).encode(), **(files or {})}.items():
        path = out_dir / name
        if not path.is_file() or path.read_bytes() != data:
            write_file(path, data)


def _policy_notes(spec: SweepSpec, market: Market) -> tuple[str, ...]:
    """Return the policy notes of the first point's signals (e.g. a rule disabled for lack of an input), and the
    option layers' notes (strategies.policies' small_option_layers, legged_spreads) of [base] per swept instrument."""
    from strategies.policies import legged_spreads, small_option_layers
    from strategies.signalset import compute, inputs_from_market
    from vixhedge.core import config as C

    sizing = []
    for instrument in spec.grid.get("hedge.instrument", [spec.base.hedge.instrument.value]):
        with contextlib.suppress(C.ConfigError):  # (an instrument [base] cannot take: its points are invalid.csv's)
            cfg = C.replace(spec.base, hedge={"instrument": instrument})
            sizing += [n for n in (small_option_layers(cfg.hedge), legged_spreads(cfg.hedge, cfg.execution.fill)) if n]
    first = next((p for p in iter_points(spec) if isinstance(p, Point)), None)
    if first is None or (hedge := first.config.hedge).policy_name != "alvh":
        return tuple(sizing)
    window = (first.config.run.start, first.config.run.end)  # the A/D note counts the run's sessions, as a run's
    return (*compute(inputs_from_market(market, hedge, window), hedge).notes, *sizing)


def _run_pool(batches: Iterable[list[Point]], workers: int, spec: SweepSpec, sink: _Sink) -> None:
    """Run batches on forked workers, at most ``workers`` in flight; survive worker deaths point by point.

    When the pool breaks, every point in flight is a suspect: suspects run alone (one task in flight), so the next
    death names its point exactly; a point whose worker died more than ``spec.retries`` times is recorded as failed
    and the sweep goes on with a new pool."""
    fresh = iter(batches)
    ready: deque[list[Point]] = deque()  # taken from ``fresh``, not yet submitted
    suspects: deque[Point] = deque()
    deaths: dict[str, int] = {}
    ctx = mp.get_context("fork")
    while True:
        inflight: dict[Any, list[Point]] = {}
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=sweep_worker.init,
                                     initargs=(os.getpid(),)) as pool:
                try:
                    while True:
                        _fill(pool, inflight, fresh, ready, suspects, workers, spec)
                        if not inflight:
                            return
                        finished, _ = wait(inflight, return_when=FIRST_COMPLETED)
                        for f in finished:
                            rows = f.result()
                            inflight.pop(f)
                            sink.rows(rows)
                except KeyboardInterrupt:  # (before the pool's shutdown waits for its busy workers)
                    sweep_worker.stop_busy(pool, inflight)
                    raise
        except KeyboardInterrupt as exc:  # (the pool shut down: the workers' own interrupts are in their futures)
            raise sweep_worker.named(exc, inflight) from None
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
            note(f"sweep: a worker died with {plural(sum(map(len, inflight.values())), 'point')} in flight; "
                 f"{plural(len(suspects), 'point')} to retry one at a time")


def _fill(pool, inflight: dict, fresh: Iterator[list[Point]], ready: deque, suspects: deque, workers: int,
          spec: SweepSpec) -> None:
    """Submit work: a suspect alone when there are suspects, else fresh batches up to ``workers`` in flight.

    A batch leaves ``ready`` / ``suspects`` only once submitted: a pool that broke meanwhile loses nothing.
    """
    def submit(b: list[Point]) -> None:
        with sweep_worker.forks_masked():  # (the first submit forks the workers)
            inflight[pool.submit(_run_batch, b, spec.in_sample_end, spec.engine, spec.kernel)] = b
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
