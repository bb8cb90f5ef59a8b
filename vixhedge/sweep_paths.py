"""Which path runs each sweep point: the all-points kernel (:mod:`vixhedge.kernel`) or the event-driven Trader.

With ``sweep.kernel = "auto"`` (and ``sweep.engine = "fast"``) the points :func:`vixhedge.kernel.kernel_covers`
covers are batched apart from the others and each batch runs on the kernel at once; the others, and any point
the kernel hands back (its own capital binds: a path the kernel does not replay), run on the event path. Every
row carries its path (``PATH``) to the parent, which records it in ``paths.csv`` before the row and counts every
finished point of the grid per path and reason, earlier invocations' included (``paths.json``, the summary's
``paths``, the CLI line); ``kernel = "off"`` runs every point on the event path.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import itertools
import os
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from feeds.market import Market
    from vixhedge.sweep import Point, SweepSpec

PATH = "_path"  # a row's path: "" = the kernel, else why it ran on the event path (recorded in PATH_RECORDS)
PATHS_FILE = "paths.json"  # every finished point of the grid per path (kernel / event path and why)
PATH_RECORDS = "paths.csv"  # each finished point's path, appended before its row: a resume counts earlier points
RECORD_FIELDS = ["point", "path", "reason"]
ERROR = "__error__"  # key of a failed point's row (never written to results.csv)


def path_record(key: str, why: str) -> dict[str, str]:
    """Return a point's line of ``paths.csv``: path ``kernel`` or ``event``, and why on the event path."""
    return {"point": key, "path": "kernel" if why == "" else "event", "reason": why}


def repair_records(folder: Path) -> None:
    """Cut a torn last row of ``paths.csv`` (a kill mid-append) so the next append starts a row of its own."""
    from vixhedge.sweepio import split_records

    path = folder / PATH_RECORDS
    if path.is_file() and path.stat().st_size:
        data = path.read_bytes()
        torn = split_records(data)[1]
        if torn:
            os.truncate(path, len(data) - len(torn))


def count_paths(folder: Path, keys: Iterable[str]) -> dict[str, Any]:
    """Return how many of ``keys`` (finished points) ran on the kernel and on the event path, and why (paths.json).

    ``unrecorded`` (only when > 0) counts finished points without a line in ``paths.csv`` (a folder from before it).
    """
    recs = _records(folder)
    kernel, unrecorded, event = 0, 0, collections.Counter()
    for key in keys:
        rec = recs.get(key)
        if rec is None:
            unrecorded += 1
        elif rec[0] == "kernel":
            kernel += 1
        else:
            event[rec[1]] += 1
    out: dict[str, Any] = {"kernel": kernel, "event": sum(event.values()),
                           "event_reasons": dict(sorted(event.items(), key=lambda kv: (-kv[1], kv[0])))}
    if unrecorded:
        out["unrecorded"] = unrecorded
    return out


def check_same_paths(folder: Path, spec: SweepSpec, market: Market) -> None:
    """Raise ConfigError, nothing changed, when a resume of ``folder`` would run points left on another path than its
    earlier points ran on by the sweep's own settings (``paths.csv``): on the kernel then ``--kernel off`` or
    ``--engine backtrader`` now, or the other way. The paths' rows agree, but their daily returns can differ in their
    last bits (rounding), so returns.bin would match neither clean sweep, nor the summary's reproduce command (trial
    DET32 M5: 9 points on the kernel, 3 on the event path). A finished folder (nothing left to run: a re-rank) is
    not refused."""
    from vixhedge.core.config import ConfigError
    from vixhedge.sweep_spec import Point, iter_points
    from vixhedge.sweepio import record_fields, split_records

    results = folder / "results.csv"
    done = {record_fields(r)[0] for r in split_records(results.read_bytes())[0][1:]} if results.is_file() else set()
    recs = {k: v for k, v in _records(folder).items() if k in done}  # (a point recorded but not saved runs again)
    on = spec.kernel == "auto" and spec.engine == "fast"  # the points the kernel covers run on it
    if on:  # earlier points on the event path by the sweep's settings (event_reason's words), not by their config
        other = [why for path, why in recs.values() if path == "event" and why.startswith(("sweep.kernel = ",
                                                                                            "sweep.engine = "))]
        fix = other[0].replace("sweep.", "--").replace(" = ", " ").replace("'", "") if other else ""
    else:
        other = ["sweep.kernel = 'auto'" for path, _ in recs.values() if path == "kernel"]
        fix = " ".join(f for f, given in (("--kernel auto", spec.kernel == "off"),
                                          ("--engine fast", spec.engine != "fast")) if given)
    if not other or all(not isinstance(p, Point) or p.key in done for p in iter_points(spec, market)):
        return
    now = f"--kernel {spec.kernel}" if spec.kernel == "off" or on else f"--engine {spec.engine}"
    from vixhedge.fmt import plural

    raise ConfigError(f"sweep output folder {folder} holds {plural(len(other), 'point')} run "
                      f"{'on the event path' if on else 'on the kernel'} ({other[0]}), and {now} would run the points "
                      f"left {'on the kernel' if on else 'on the event path'}: the two paths' daily returns can differ "
                      "in their last bits, so the folder would match neither clean sweep: resume with "
                      f"{fix}, or give another --out (or delete the folder) to sweep it with {now}")


def _records(folder: Path) -> dict[str, tuple[str, str]]:
    """``paths.csv``'s records: point key -> (path, reason)."""
    path = folder / PATH_RECORDS
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as fh:
        return {row[0]: (row[1], row[2]) for row in csv.reader(fh) if len(row) == 3 and row[0] != "point"}


def event_reason(point: Point, engine: str, kernel: str) -> str | None:
    """Return why ``point`` runs on the event path, or None when it runs on the kernel (vixhedge.kernel)."""
    if kernel == "off":
        return "sweep.kernel = 'off'"
    if engine != "fast":
        return f"sweep.engine = {engine!r}"
    from vixhedge.kernel import kernel_covers

    return kernel_covers(point.config)


def run_points(batch: list[Point], market: Market, in_sample_end: dt.date | None, engine: str,
               kernel: str) -> list[dict[str, Any]]:
    """Return the batch's rows in batch order, each tagged with its path (PATH): the points the kernel covers
    run on it together, the others (and any the kernel hands back, with its reason) on the event path."""
    from vixhedge.sweep_metrics import quiet_policy_log

    todo = [(p, event_reason(p, engine, kernel)) for p in batch]
    covered = [p for p, why in todo if why is None]
    rows: dict[str, dict[str, Any]] = {}
    if covered:
        from vixhedge import kernel as K

        with quiet_policy_log():
            done, back = K.run_points(covered, market, in_sample_end)
        rows.update((r["point"], {**r, PATH: ""}) for r in done)
        todo = [(p, why) for p, why in todo if why is not None] + back
    rows.update((p.key, {**_guarded(p, market, in_sample_end, engine), PATH: why}) for p, why in todo)
    return [rows[p.key] for p in batch]


def _guarded(point: Point, market: Market, in_sample_end: dt.date | None, engine: str) -> dict[str, Any]:
    """Return the point's row on the event path, or ``{point, ERROR}`` when it raises (recorded in failed.csv)."""
    from vixhedge.plugin_trace import interrupted_in
    from vixhedge.sweep_metrics import run_point

    try:
        return run_point(point, market, in_sample_end, engine)
    except KeyboardInterrupt as exc:  # Ctrl-C or SIGTERM: the interrupt's line names the point (and any plug-in in it)
        raise interrupted_in(exc, f"point {point.key} {point.params}") from None
    except Exception as exc:  # noqa: BLE001 - any error of one point must not end the sweep
        from vixhedge.plugins import failure_words  # (its str() may raise: FUZZ37 M5)

        text = failure_words(exc).splitlines()[0]  # a plug-in's failure ends with where (plugin_trace)
        return {"point": point.key, "params": point.params, ERROR: text}


def path_batches(points: Iterator[Point], spec: SweepSpec, workers: int, total: int,
                 market: Market | None = None,
                 say: Callable[[str], None] = lambda _text: None,
                 rows: Callable[[list[dict[str, Any]]], None] = lambda _rows: None) -> Iterator[list[Point]]:
    """Yield the batches of :func:`vixhedge.sweepgrid.iter_batches`, the points the kernel runs apart from the others:
    theirs hold up to ``vixhedge.kernel.CHUNK`` points (the grid shared evenly by the workers), so each runs on
    the kernel at once. At most one batch of each kind is held back at a time: memory does not grow with the grid.
    With ``market`` (local workers: forked from this process, or this process), the first point is prepared here
    first, so the workers inherit what the points share instead of each building it: on the kernel its book
    (:func:`_prepare`); on the event path the point is run here (:func:`_prepared_first`), its row handed to
    ``rows`` (the sink) and never batched. ``say`` prints a stage line before it (it can take a minute on real
    data).
    """
    from vixhedge.sweepgrid import iter_batches

    if spec.kernel == "off" or spec.engine != "fast":
        if market is not None:
            points, ran = _prepared_first(points, market, say, spec, rows)
            total -= ran
        yield from iter_batches(points, spec.batch_size, workers, total)
        return
    from vixhedge.kernel import CHUNK

    tasks = workers * max(1, -(-total // (workers * CHUNK)))  # whole rounds of one task per worker
    size = max(1, -(-total // tasks))
    kernel: list[Point] = []
    event: list[Point] = []
    for p in points:
        group = event if event_reason(p, spec.engine, spec.kernel) else kernel
        if group is kernel and market is not None:
            say("building the condor book, VX quotes and signals on the first point (once, shared by every "
                      "point)")
            _prepare(p, market)
            market = None
        group.append(p)
        if len(group) >= (spec.batch_size if group is event else size):
            yield group[:]
            group.clear()
    for group in (kernel, event):
        if group:
            yield group


def _prepared_first(points: Iterator[Point], market: Market, say: Callable[[str], None], spec: SweepSpec,
                    rows: Callable[[list[dict[str, Any]]], None]) -> tuple[Iterator[Point], int]:
    """Run the first of ``points`` here, on the event path, when its config is all built-in (no plug-in runs in
    the parent), and hand its row to ``rows``: it fills the market's quote caches (the condor's option quotes),
    which the workers then inherit instead of each building them (a minute on real data), and it is that point's
    run (it ran twice before: once here, once more in a worker). Return (the points left, 1 or 0 run here)."""
    from vixhedge.kernel import kernel_covers

    first = next(points, None)
    if first is None:
        return points, 0
    if kernel_covers(first.config) is not None:
        return itertools.chain([first], points), 0
    say("building the condor book and quote caches on the first point (once, shared by every point)")
    rows(run_points([first], market, spec.in_sample_end, spec.engine, spec.kernel))
    return points, 1


def _prepare(point: Point, market: Market) -> None:
    """:func:`vixhedge.kernel.prepare` (the VX quotes, the condor tape, the signal bank, the compiled book), best
    effort: whatever fails here fails again, and is reported, where the point runs for real."""
    from vixhedge import kernel as K
    from vixhedge.sweep_metrics import quiet_policy_log

    try:
        with quiet_policy_log():
            K.prepare(point, market)
    except Exception:  # noqa: BLE001, S110 - the worker runs the point for real and records its error
        pass
