"""Parameter sweeps: grid -> points -> batched runs on one shared Market -> streamed results.

* The grid is a TOML table of dotted config keys to lists or ``{start, stop, step}`` ranges;
  every combination is validated as a full :class:`~vixhedge.config.Config` and invalid ones
  (e.g. ``fast >= slow``) are skipped and counted.
* The Market is built ONCE in the parent; workers are forked and inherit it read-only
  (copy-on-write), so it is never rebuilt or pickled per point. Keys under ``market.`` cannot
  be swept for that reason.
* Points are batched per task; only the parent writes results, one CSV row per point with the
  point's config hash, flushed and fsynced per batch. A rerun skips hashes already present, so
  an interrupted sweep loses nothing and a killed worker's batch is simply run again (never
  written twice). A broken process pool is rebuilt and the unfinished batches resubmitted.
* In-sample / out-of-sample: with ``in_sample_end`` set, every point's metrics are reported
  on both sides of that date of its one continuous run (the policy fits nothing, so the
  out-of-sample slice is what the chosen parameters would have done next); the best in-sample
  point is reported out of sample with its deflated Sharpe ratio given the number of trials.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import gc
import hashlib
import itertools
import logging
import math
import multiprocessing as mp
import os
import sys
import time
import tomllib
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from scipy.stats import norm

from feeds.market import Market, build_market
from vixhedge import config as C

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


@dataclass(frozen=True)
class Point:
    key: str  # hash of the resolved config
    params: dict[str, Any]
    config: C.Config


def _values(key: str, v: Any) -> list[Any]:
    if isinstance(v, list) and v:
        return v
    if isinstance(v, dict) and set(v) == {"start", "stop", "step"}:
        start, stop, step = v["start"], v["stop"], v["step"]
        if not step or (stop - start) / step < 0:
            raise C.ConfigError(f"grid.{key} = {v} is invalid: step must move start towards stop")
        n = int(math.floor((stop - start) / step + 1e-9)) + 1
        return [start + i * step for i in range(n)]
    raise C.ConfigError(f"grid.{key} = {v!r} is invalid: give a non-empty list or {{start, stop, step}}")


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
    allowed = {"name", "config", "workers", "batch_size", "in_sample_end", "scheduler", "engine"}
    if set(sw) - allowed:
        raise C.ConfigError(f"{path}: unknown key(s) sweep.{sorted(set(sw) - allowed)}: use {sorted(allowed)}")
    base = C.load(path.parent / sw["config"]) if "config" in sw else C.load_default()
    try:
        if table.get("base"):
            base = C.replace(base, **table["base"])
    except C.ConfigError as exc:
        raise C.ConfigError(f"{path} [base]: {exc}") from None
    grid = {k: _values(k, v) for k, v in table.get("grid", {}).items()}
    if not grid:
        raise C.ConfigError(f"{path}: [grid] is empty: add e.g. \"hedge.macd.fast\" = [8, 12, 16]")
    for k in grid:
        if k.startswith("market.") or k.startswith("run."):
            raise C.ConfigError(f"{path}: grid.{k} cannot be swept: every point shares one Market and window; "
                                "run separate sweeps instead")
    ise = sw.get("in_sample_end")
    spec = SweepSpec(name=str(sw.get("name", path.stem)), base=base, grid=grid, workers=int(sw.get("workers", 0)),
                     batch_size=int(sw.get("batch_size", 4)),
                     in_sample_end=dt.date.fromisoformat(str(ise)) if ise else None,
                     scheduler=str(sw.get("scheduler", "local")), engine=str(sw.get("engine", "fast")))
    check_scheduler(spec.scheduler, f"{path}: sweep.scheduler")
    check_engine(spec.engine, f"{path}: sweep.engine")
    if spec.workers < 0 or spec.batch_size < 1:
        raise C.ConfigError(f"{path}: sweep.workers must be >= 0 and sweep.batch_size >= 1")
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


def check_scheduler(value: str, where: str) -> None:
    if value not in ("local", "local-cluster") and not value.startswith("tcp://"):
        raise C.ConfigError(f"{where} = {value!r} is invalid: use 'local', 'local-cluster' or 'tcp://HOST:PORT'")


def check_engine(value: str, where: str) -> None:
    if value not in C.ENGINES:
        raise C.ConfigError(f"{where} = {value!r} is invalid: use one of {list(C.ENGINES)}")


def expand(spec: SweepSpec) -> tuple[list[Point], list[tuple[dict[str, Any], str]]]:
    """Return (valid points, invalid (params, reason)) of the grid, in grid order."""
    keys = list(spec.grid)
    points, invalid = [], []
    for combo in itertools.product(*(spec.grid[k] for k in keys)):
        params = dict(zip(keys, combo))
        try:
            cfg = C.replace(spec.base, **_nested(params))
        except C.ConfigError as exc:
            invalid.append((params, str(exc)))
            continue
        key = hashlib.sha256(C.to_toml(cfg).encode()).hexdigest()[:16]
        points.append(Point(key, params, cfg))
    return points, invalid


def _check_windows(points: list[Point], invalid: list[tuple[dict[str, Any], str]],
                   market: Market) -> tuple[list[Point], list[tuple[dict[str, Any], str]]]:
    """Move points whose window or indicator warm-up the data cannot hold to ``invalid``."""
    from vixhedge.run import check_window

    ok = []
    invalid = list(invalid)
    for p in points:
        try:
            check_window(p.config, market)
        except C.ConfigError as exc:
            invalid.append((p.params, str(exc)))
            continue
        ok.append(p)
    return ok, invalid


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
    """Silence the per-run policy notes inside a sweep (the parent logs each distinct note once)."""
    logger = logging.getLogger("vixhedge.policy")
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
    from vixhedge.run import daily_book, run_backtest, valid_nav

    if engine == "fast":
        d, layers = daily_book(point.config, market)
        ruin = d.attrs["ruin"]
    else:
        res = run_backtest(point.config, market, engine=engine)
        d, layers, ruin = res.daily, res.metrics["counts"]["hedge_layers"], res.metrics["ruin"]
    a = point.config.analysis
    row: dict[str, Any] = {"point": point.key, **point.params}
    nav = valid_nav(d, ruin)
    d = d.iloc[:len(nav)].assign(nav_usd=nav)  # metrics on the valid span (to the ruin day, NAV 0 on it)
    row.update(_window_metrics(d["nav_usd"].to_numpy(), d["hedge_pnl_usd"].to_numpy(), a))
    row["hedge_layers"] = layers
    row["ruined"] = ruin["date"] if ruin else ""  # a ruined point is never ranked best
    if in_sample_end is not None:
        cut = int(np.searchsorted(np.array(d.index, dtype="datetime64[D]"), np.datetime64(in_sample_end), "right"))
        for tag, sl in (("is", slice(0, cut)), ("oos", slice(max(cut - 1, 0), None))):
            m = _window_metrics(d["nav_usd"].to_numpy()[sl], d["hedge_pnl_usd"].to_numpy()[sl], a)
            row.update({f"{tag}_{k}": v for k, v in m.items() if k in ("sharpe", "max_drawdown", "hedge_cost_usd")})
    return row


def _run_batch(batch: list[Point], in_sample_end: dt.date | None, engine: str) -> list[dict[str, Any]]:
    assert _MARKET is not None, "sweep workers must be forked from a parent that built the Market"
    return [run_point(p, _MARKET, in_sample_end, engine) for p in batch]


_LOADED: dict[str, Market] = {}  # dask workers: one Market per market config, built on first use


def _run_batch_loading(batch: list[Point], in_sample_end: dt.date | None, engine: str) -> list[dict[str, Any]]:
    mcfg = batch[0].config.market
    key = repr(C.to_dict(mcfg))
    if key not in _LOADED:
        _LOADED[key] = build_market(mcfg)
        gc.freeze()  # see _frozen_heap
    return [run_point(p, _LOADED[key], in_sample_end, engine) for p in batch]


# ---------------------------------------------------------------------------- driver
class Progress:
    """A one-line progress bar with points/s and ETA on stderr."""

    def __init__(self, total: int, stream=sys.stderr) -> None:
        self.total, self.done, self.t0, self.stream = total, 0, time.perf_counter(), stream

    def advance(self, n: int) -> None:
        self.done += n
        el = time.perf_counter() - self.t0
        rate = self.done / el if el > 0 else 0.0
        eta = (self.total - self.done) / rate if rate > 0 else float("inf")
        width = 30
        fill = int(width * self.done / max(self.total, 1))
        self.stream.write(f"\r[{'#' * fill}{'.' * (width - fill)}] {self.done}/{self.total} points "
                          f"{rate:.2f} pts/s ETA {eta:.0f} s ")
        self.stream.flush()
        if self.done >= self.total:
            self.stream.write("\n")


def _existing(path: Path) -> set[str]:
    if not path.exists():
        return set()
    with path.open(newline="") as fh:
        return {row["point"] for row in csv.DictReader(fh) if row.get("point")}


def _append(path: Path, rows: list[dict[str, Any]], fields: list[str]) -> None:
    new = not path.exists() or path.stat().st_size == 0
    with path.open("a", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        if new:
            w.writeheader()
        for r in rows:
            w.writerow({k: (f"{v:.10g}" if isinstance(v, float) else v) for k, v in r.items()})
        fh.flush()
        os.fsync(fh.fileno())


def result_fields(spec: SweepSpec) -> list[str]:
    fields = ["point", *spec.grid, *RESULT_FIELDS]
    if spec.in_sample_end:
        fields += [f"{t}_{k}" for t in ("is", "oos") for k in ("sharpe", "max_drawdown", "hedge_cost_usd")]
    return fields


def run_sweep(spec: SweepSpec, out_dir: Path, market: Market | None = None, progress: bool = True) -> Path:
    """Run (or resume) a sweep into ``out_dir``; return the results CSV path."""
    global _MARKET
    points, invalid = expand(spec)
    market = market or build_market(spec.base.market)
    points, invalid = _check_windows(points, invalid, market)
    out_dir.mkdir(parents=True, exist_ok=True)
    results = out_dir / "results.csv"
    (out_dir / "invalid.csv").write_text(
        "params,reason\n" + "".join(f"\"{p}\",\"{r.replace(chr(34), chr(39))}\"\n" for p, r in invalid))
    done = _existing(results)
    todo = [p for p in points if p.key not in done]
    fields = result_fields(spec)
    bar = Progress(len(todo)) if progress and todo else None
    if progress:
        print(f"sweep '{spec.name}': {len(points)} points ({len(invalid)} invalid skipped, "
              f"{len(points) - len(todo)} already done)", file=sys.stderr)
        for note in _policy_notes(points, market):
            print(f"sweep: {note}", file=sys.stderr)
    if not todo:
        return results
    workers = spec.workers or os.cpu_count() or 1
    batches = make_batches(todo, spec.batch_size, workers)
    if spec.scheduler != "local":
        _run_dask(batches, workers, spec, results, fields, bar)
        return results
    _MARKET = market
    if workers == 1:
        with _frozen_heap():
            for b in batches:
                _append(results, _run_batch(b, spec.in_sample_end, spec.engine), fields)
                if bar:
                    bar.advance(len(b))
        return results
    _run_pool(batches, workers, spec, results, fields, bar)
    return results


@contextlib.contextmanager
def _frozen_heap():
    """Keep the objects that exist now (the Market and its quote caches) out of garbage collection.

    Points allocate many short-lived objects; each full collection would otherwise walk the
    whole Market too (about 10% of a point's time, measured). Forked workers freeze what they
    inherit for the same reason (and so collections do not touch, hence copy, the shared pages).
    """
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def make_batches(points: list[Point], size: int, workers: int) -> list[list[Point]]:
    """Split ``points`` (in order) into tasks of ``size`` points, smaller towards the end.

    Once fewer than ``2 x workers x size`` points remain, a batch holds a ``2 x workers``-th of
    them (at least one), so the workers run out of work together rather than one finishing a
    full batch alone (guided self-scheduling).
    """
    batches, k = [], 0
    while k < len(points):
        n = max(1, min(size, (len(points) - k) // (2 * workers)))
        batches.append(points[k:k + n])
        k += n
    return batches


def _policy_notes(points: list[Point], market: Market) -> tuple[str, ...]:
    """Return the policy notes of the first point's signals (e.g. a rule disabled for lack of an input)."""
    from strategies.signalset import compute, inputs_from_market

    hedge = points[0].config.hedge if points else None
    if hedge is None or hedge.mode is not C.HedgeMode.ALVH:
        return ()
    return compute(inputs_from_market(market, hedge), hedge).notes


def _run_pool(batches, workers, spec, results, fields, bar, retries: int = 3) -> None:
    pending = list(batches)
    ctx = mp.get_context("fork")
    for _attempt in range(retries + 1):
        finished: set[int] = set()
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=gc.freeze) as pool:
                futs = {pool.submit(_run_batch, b, spec.in_sample_end, spec.engine): i for i, b in enumerate(pending)}
                while futs:
                    done, _ = wait(futs, return_when=FIRST_COMPLETED)
                    for f in done:
                        i = futs.pop(f)
                        _append(results, f.result(), fields)
                        finished.add(i)
                        if bar:
                            bar.advance(len(pending[i]))
            return
        except BrokenProcessPool:
            pending = [b for i, b in enumerate(pending) if i not in finished]
            print(f"\nsweep: a worker died; resubmitting {len(pending)} unfinished batch(es)", file=sys.stderr)
    raise RuntimeError("sweep: the worker pool broke repeatedly; rerun the same command to resume")


def _run_dask(batches, workers, spec, results, fields, bar) -> None:
    """Run batches on dask.distributed; the parent alone writes results as they complete.

    A worker that dies has its tasks rescheduled by the scheduler; nothing is written twice.
    """
    from dask.distributed import Client, LocalCluster, as_completed

    cluster = None
    if spec.scheduler == "local-cluster":
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                               dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(spec.scheduler)
    try:
        futs = [client.submit(_run_batch_loading, b, spec.in_sample_end, spec.engine, pure=False) for b in batches]
        for fut in as_completed(futs):
            rows = fut.result()
            _append(results, rows, fields)
            if bar:
                bar.advance(len(rows))
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
    from scipy.stats import kurtosis, skew

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


def heatmaps(results: Path, spec: SweepSpec, out: Path) -> Path | None:
    """Draw fast x slow heatmaps of Sharpe and hedge cost (mean over other axes), if both are swept."""
    import pandas as pd

    fx, sx = "hedge.macd.fast", "hedge.macd.slow"
    if fx not in spec.grid or sx not in spec.grid:
        return None
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    df = pd.read_csv(results)
    fig, axes = plt.subplots(1, 2, figsize=(11, 4.5))
    for ax, col, cmap in ((axes[0], "sharpe", "RdYlGn"), (axes[1], "hedge_cost_usd", "OrRd")):
        piv = df.pivot_table(index=fx, columns=sx, values=col, aggfunc="mean")
        im = ax.imshow(piv.to_numpy(), cmap=cmap, aspect="auto", origin="lower")
        ax.set_xticks(range(len(piv.columns)), [str(c) for c in piv.columns])
        ax.set_yticks(range(len(piv.index)), [str(i) for i in piv.index])
        ax.set_xlabel("MACD slow")
        ax.set_ylabel("MACD fast")
        ax.set_title(col)
        fig.colorbar(im, ax=ax)
    fig.tight_layout()
    fig.savefig(out, dpi=90, metadata={"Software": None})
    plt.close(fig)
    return out


def summarize(results: Path, spec: SweepSpec, market: Market) -> dict[str, Any]:
    """Return the sweep summary; with an in-sample split, the best IS point out of sample + DSR."""
    import pandas as pd

    df = pd.read_csv(results)
    points, invalid = _check_windows(*expand(spec), market)
    out: dict[str, Any] = {"points": len(points), "invalid": len(invalid), "finished": int(len(df))}
    if df.empty:
        return out
    col = "is_sharpe" if spec.in_sample_end else "sharpe"
    ruined = df["ruined"].fillna("").astype(str) != "" if "ruined" in df else pd.Series(False, index=df.index)
    out["ruined"] = int(ruined.sum())
    if ruined.all():
        out["best"] = None  # every point was ruined: none is ranked
        return out
    best = df.loc[df.loc[~ruined, col].idxmax()]
    out["best"] = {k: (v.item() if hasattr(v, "item") else v) for k, v in best.items()}
    if spec.in_sample_end:
        point = next(p for p in points if p.key == best["point"])
        from vixhedge.run import run_backtest

        d = run_backtest(point.config, market).daily
        r = d["nav_usd"].pct_change().to_numpy()[1:]
        is_r = r[: int((pd.to_datetime(d.index[1:]) <= pd.Timestamp(spec.in_sample_end)).sum())]
        trials = df["is_sharpe"].to_numpy() / math.sqrt(spec.base.analysis.periods_per_year)
        out["best_out_of_sample"] = {"oos_sharpe": float(best["oos_sharpe"]),
                                     "oos_max_drawdown": float(best["oos_max_drawdown"]),
                                     "oos_hedge_cost_usd": float(best["oos_hedge_cost_usd"])}
        out["deflated_sharpe_ratio"] = deflated_sharpe(is_r, trials[np.isfinite(trials)])
        out["trials"] = int(np.isfinite(trials).sum())
    return out
