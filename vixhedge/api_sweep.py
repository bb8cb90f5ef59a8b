"""Sweeps from Python (README "From Python"): what ``vixhedge sweep SPEC.toml`` does, as functions of
:mod:`vixhedge.api`.

:func:`load_sweep_spec` reads a spec (``[sweep]``, ``[grid]``, ``[base]``; README "Research workflows") and
:func:`run_sweep` runs (or resumes) it into its folder over one shared market, exactly as the command does
(:func:`vixhedge.sweep.run_and_summarize`, then ``summary.json``, the recorded sha256 of the files and
``report.html``), and returns a :class:`SweepResult`: the folder, the summary, ``results.csv`` as a DataFrame and
the report page. :func:`fig_sweep_heatmap` draws one of the report's heatmap pairs as a matplotlib ``Figure``
(built without pyplot).
"""

from __future__ import annotations

import datetime as dt
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from vixhedge.api_args import ArgumentError, a_type, checked_file, checked_flag, checked_folder, checked_writable
from vixhedge.argtypes import is_whole
from vixhedge.core import config as C
from vixhedge.sweep_spec import SweepSpec, load_spec

if TYPE_CHECKING:
    from matplotlib.figure import Figure


class SweepFailureWarning(UserWarning):
    """Some points of a sweep :func:`run_sweep` ran failed (no row in results.csv); the message quotes the first
    failure and names failed.csv, which holds every one."""


@dataclass(frozen=True)
class SweepResult:
    """A finished sweep: its ``folder``, ``summary`` (``summary.json``: counts, the best point on ``rank_by``, its
    deflated Sharpe when ranked by Sharpe, the no-hedge and static baselines and the tests against each), ``results`` (``results.csv``: one row per valid point, its swept keys and metrics) and
    ``report`` (``report.html``)."""

    folder: Path
    summary: dict[str, Any]
    results: pd.DataFrame
    report: Path

    def __repr__(self) -> str:
        best = self.summary.get("best") or {}
        failed = self.summary.get("failed") or 0
        return (f"SweepResult({self.folder.name!r}, {self.summary.get('finished', len(self.results))} of "
                f"{self.summary.get('points', '?')} points finished{f', {failed} failed' if failed else ''}, "
                f"best {best.get('point', 'none')} by {(self.summary.get('rank_by') or {}).get('metric', 'sharpe')})")


def load_sweep_spec(path: str | Path) -> SweepSpec:
    """Read and check a sweep spec TOML file (one ConfigError line naming the file and the key on bad input)."""
    return load_spec(checked_file(path, "path", "load_sweep_spec", "sweep.toml"))


def run_sweep(spec: SweepSpec | str | Path, out: str | Path | None = None, *, data_dir: str | Path | None = None,
              workers: int | None = None, engine: str | None = None, kernel: str | None = None,
              rank_by: str | None = None, progress: bool = True) -> SweepResult:
    """Run (or resume) the sweep ``spec`` (its TOML file, or a :class:`SweepSpec`) into ``out`` (default
    ``runs/<sweep.name>-sweep``), as ``vixhedge sweep SPEC.toml --out OUT`` does; return a :class:`SweepResult`.

    Given the spec's file, the folder is the one the command writes (one code path,
    :func:`vixhedge.sweep_folder.write_sweep_folder`): spec.toml (the file's bytes), base.toml, results.csv,
    summary.json with its ``reproduce`` command (``vixhedge sweep <spec, absolute> [--data-dir <absolute>] --out
    <folder, absolute>``), report.html with its Reproduce line. Given a :class:`SweepSpec` (built or changed in
    Python, no file to name), the folder has no spec.toml, and summary.json and report.html no reproduce command;
    base.toml (the resolved [base]) and every result are the same.

    ``data_dir`` runs every point on the real data files in that folder, as ``--data-dir`` does (``market.source =
    "directory"``, ``market.data_dir`` its absolute path). ``workers``, ``engine``, ``kernel`` and ``rank_by``
    override the spec's ``[sweep]`` values as the command's flags do (``workers`` 0 = all cores; points run in
    forked worker processes); ``progress`` shows the stage lines and the points' bar on a terminal. The spec is
    checked against the
    market before the folder is created or touched (one ConfigError line).
    """
    from vixhedge import sweep as sw
    from vixhedge.sweep_folder import write_sweep_folder
    from vixhedge.sweep_load import load_sweep
    from vixhedge.sweep_text import failure_words

    spec, spec_file = _checked_spec(spec, data_dir, "run_sweep")
    progress = checked_flag(progress, "progress", "run_sweep")
    spec = sw.with_overrides(spec, "run_sweep", workers=workers, engine=engine, kernel=kernel, rank_by=rank_by)
    folder = Path("runs") / f"{spec.name}-sweep" if out is None else checked_folder(out, "out", "run_sweep")
    checked_writable(folder, "out", "run_sweep")
    summary, page = write_sweep_folder(spec, folder, spec_file=spec_file, data_dir=data_dir is not None,
                                       flags={"engine": engine, "kernel": kernel, "rank-by": rank_by},
                                       progress=progress)
    results = load_sweep(folder, recorded=True)[0]  # every point failed: SweepFolderError quoting the first failure
    words = failure_words(summary, str(folder / "failed.csv"))
    if words:  # some points failed: said as the command says it on stderr (a notebook shows a warning)
        warnings.warn(f"sweep '{spec.name}': {words}", SweepFailureWarning, stacklevel=2)
    return SweepResult(folder, summary, results, page)


def _checked_spec(spec, data_dir, who: str) -> tuple[SweepSpec, Path | None]:
    """``spec`` as a checked :class:`SweepSpec` (read from its file when a path), put on ``data_dir`` when given, and
    its file (None for a spec built in Python): the arguments :func:`run_sweep` and :func:`walk_forward` share."""
    from vixhedge.sweep_folder import with_data_dir

    spec_file = None
    if isinstance(spec, (str, Path)):
        spec_file = checked_file(spec, "spec", who, "sweep.toml")
        spec = load_sweep_spec(spec_file)
    if not isinstance(spec, SweepSpec):
        raise ArgumentError(f"{who}: spec is {a_type(spec)}, not a SweepSpec: pass load_sweep_spec(path) or the spec "
                            "file's path")
    spec = _checked_fields(spec, who)
    if data_dir is not None:
        spec = with_data_dir(spec, checked_folder(data_dir, "data_dir", who, "../shared/data"), f"{who}: data_dir =")
    return spec, spec_file


def _checked_fields(spec: SweepSpec, who: str) -> SweepSpec:
    """``spec`` with its fields checked again as :func:`vixhedge.sweep_spec.load_spec` checks a file's (a numpy
    integer taken as an int): one line naming ``<who>: spec.<field>``, before any file is written (trial API31 M4:
    a spec changed with ``dataclasses.replace``, README's example, wrote base.toml and spec.json, then raised
    concurrent.futures' ValueError for ``workers=-3``; ``name="a/b"`` was taken)."""
    import dataclasses

    from vixhedge.core.config.base import check_name_length, toml_echo
    from vixhedge.sweep_keys import check_engine, check_grid_key, check_grid_types, check_kernel, check_rank_by, \
        check_scheduler

    if not isinstance(spec.base, C.Config):
        raise ArgumentError(f"{who}: spec.base is {a_type(spec.base)}, not a Config: give a Config "
                            "(load_default_config(), load_config(path), replace_config(cfg, ...))")
    if isinstance(spec.name, str):
        check_name_length("spec.name", spec.name, f"{who}: ")
    if not isinstance(spec.name, str) or not C.is_safe_name(spec.name):
        raise C.ConfigError(f"{who}: spec.name = {toml_echo(spec.name)} is invalid: use letters, digits, '-', '_' or "
                            "'.' only (it names the output folder under runs/)")
    ints = {}
    for k, least in (("workers", 0), ("batch_size", 1), ("max_points", 1), ("retries", 0), ("spa_block_days", 0)):
        v = getattr(spec, k)
        if not is_whole(v) or v < least:
            raise C.ConfigError(f"{who}: spec.{k} = {toml_echo(v)} is invalid: use a whole number >= {least}")
        ints[k] = int(v)
    check_scheduler(spec.scheduler, f"{who}: spec.scheduler")
    check_kernel(spec.kernel, f"{who}: spec.kernel")
    check_engine(spec.engine, f"{who}: spec.engine")
    check_rank_by(spec.rank_by, f"{who}: spec.rank_by")
    if not isinstance(spec.grid, dict) or not spec.grid:
        raise C.ConfigError(f"{who}: spec.grid = {toml_echo(spec.grid)} is invalid: give a dict of dotted keys to "
                            "lists of values, e.g. {\"hedge.macd.fast\": [8, 12, 16]}")
    for k, values in spec.grid.items():
        check_grid_key(k, f"{who}: spec.grid[{k!r}]")
        if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__iter__"):  # (a lazy range is one)
            raise C.ConfigError(f"{who}: spec.grid[{k!r}] = {toml_echo(values)} is invalid: give a list of values")
        check_grid_types(k, values, f"{who}: spec.grid.")
    ise, base = spec.in_sample_end, spec.base.run
    if ise is not None and not (isinstance(ise, dt.date) and base.start < ise < base.end):
        raise C.ConfigError(f"{who}: spec.in_sample_end = {toml_echo(ise)} is invalid: give None or a date inside "
                            f"the run window {base.start}..{base.end}")
    from vixhedge.sweepgrid import typed_axis  # a float key's 3 is 3.0, as load_spec types a file's (DET32 M4)

    return dataclasses.replace(spec, **ints, grid={k: typed_axis(k, v) for k, v in spec.grid.items()})


def walk_forward(spec: SweepSpec | str | Path, fit_years: int | str, test_years: int | str,
                 out: str | Path | None = None, *,
                 data_dir: str | Path | None = None, rank_by: str | None = None, anchored: bool = False,
                 progress: bool = True) -> dict[str, Any]:
    """Run (or resume) a walk-forward of the sweep ``spec`` (its TOML file, or a :class:`SweepSpec`) into ``out``
    (default ``runs/<sweep.name>-walkforward``), as ``vixhedge sweep SPEC.toml --walk-forward FIT,TEST[,anchored]``
    does (:mod:`vixhedge.walkforward`); return ``walkforward.json``'s content: each fold's pick and test figures,
    the stitched tracks and the picks' paired CIs against no hedge and the static hedge. ``fit_years`` and
    ``test_years``: whole years (int), or months as the flag writes them (``"18m"``)."""
    from feeds.market import build_market
    from vixhedge import sweep as sw
    from vixhedge.sweep_folder import reproduce_command
    from vixhedge.walkforward import parse_plan, plan_flag, precheck, run_walk_forward
    from vixhedge.walkforward_folder import check_walk_out

    spec, spec_file = _checked_spec(spec, data_dir, "walk_forward")
    progress = checked_flag(progress, "progress", "walk_forward")
    anchored = checked_flag(anchored, "anchored", "walk_forward")
    fit_years, test_years = (int(n) if is_whole(n) else n
                             for n in (fit_years, test_years))  # (a numpy integer taken: API31 L3)
    if not all(isinstance(n, int) and not isinstance(n, bool) or isinstance(n, str) and "," not in n
               for n in (fit_years, test_years)):  # ("4,3", "anchored" would parse: anchored=True is the flag)
        raise ArgumentError(f"walk_forward: fit_years = {fit_years!r}, test_years = {test_years!r}: give two whole "
                            "numbers of years (int), e.g. 4, 3, or months as strings, e.g. '18m', '6m'")
    try:
        fit, test, _ = parse_plan(f"{fit_years},{test_years}")
    except ValueError as exc:
        raise ArgumentError(f"walk_forward: fit_years = {fit_years!r}, test_years = {test_years!r}: "
                            + str(exc).partition(" is invalid: ")[2]) from None
    spec = sw.with_overrides(spec, "walk_forward", rank_by=rank_by)
    folder = Path("runs") / f"{spec.name}-walkforward" if out is None else checked_folder(out, "out", "walk_forward")
    checked_writable(folder, "out", "walk_forward")
    flags = {"rank-by": rank_by, "walk-forward": plan_flag(fit, test, bool(anchored))}
    if spec_file is not None:  # (a spec built in Python has no file to name, as run_sweep's)
        flags["reproduce"] = reproduce_command(spec_file, folder, spec, data_dir is not None, flags)
    precheck(spec, fit, test, bool(anchored))  # (before the market: trial FUZZ37 M1)
    check_walk_out(folder)
    return run_walk_forward(spec, folder, build_market(spec.base.market), fit, test, data_dir=data_dir is not None,
                            flags=flags, progress=progress, anchored=bool(anchored))


def fig_sweep_heatmap(sweep: SweepResult, x: str, y: str) -> Figure:
    """Return the report's heatmap pair over the swept keys ``x`` and ``y`` (the metric the points were ranked by
    and the hedge cost, the other swept keys held at the best point's values) as a matplotlib ``Figure``."""
    from vixhedge.frame_checks import check_frames, heatmap
    from vixhedge.sweep_heatmap import cost_metric, heatmap_figure, selection_metric, swept_keys
    from vixhedge.sweep_metrics import RESULT_FIELDS
    from vixhedge.sweep_report import sweep_name

    if not isinstance(sweep, SweepResult):
        raise ArgumentError(f"fig_sweep_heatmap: sweep is {a_type(sweep)}, not a SweepResult: pass what "
                            "run_sweep returned")
    if isinstance(sweep.results, pd.DataFrame):  # (API31 M3: a column dropped by hand raised from inside pandas)
        metric = selection_metric(sweep.results, sweep.summary)
        check_frames(sweep, "fig_sweep_heatmap", heatmap(RESULT_FIELDS[0], metric, cost_metric(sweep.results, metric)),
                     "sweep")
    else:
        check_frames(sweep, "fig_sweep_heatmap", heatmap(), "sweep")
    keys = swept_keys(sweep.results)
    for key in (x, y):
        if key not in keys:
            raise C.ConfigError(f"fig_sweep_heatmap: {key!r} is not a swept key: use two of {keys}")
    if x == y:
        raise C.ConfigError(f"fig_sweep_heatmap: x and y are both {x!r}: give two different swept keys of {keys}")
    best = sweep.results[sweep.results["point"] == (sweep.summary.get("best") or {}).get("point")]
    if best.empty:
        raise C.ConfigError("fig_sweep_heatmap: the sweep has no best point (every point ruined or invalid): "
                            "no heatmap to draw")
    return heatmap_figure(sweep.results, x, y, best.iloc[0], sweep.summary.get("baseline_none"),
                          selection_metric(sweep.results, sweep.summary), sweep_name(sweep.folder),
                          sweep.summary.get("market"), sweep.summary.get("books"))
