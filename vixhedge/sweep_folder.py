"""The one code path that writes a sweep's folder, for ``vixhedge sweep`` (:mod:`vixhedge.cli_sweep`) and
:func:`vixhedge.api.run_sweep` alike: the market built (after a stage line), the spec checked against it, the points
run or resumed, then ``spec.toml`` (the spec file's bytes), ``base.toml``, ``summary.json`` with its ``reproduce``
command and ``provenance`` (code version, data files' sha256, seed, plug-ins), the recorded sha256 of the files and
``report.html``. The reproduce command on the finished folder checks its files and finds every point done; with
another ``--out`` it computes every row again (the same bytes with the same code and packages: the determinism
tests; ``provenance`` names them, so summary.json itself differs between two commits).

``--data-dir DIR`` / ``data_dir=DIR`` (:func:`with_data_dir`) runs every point on the real data files in DIR
(``market.source = "directory"``, ``market.data_dir`` the folder's absolute path, so the spec's identity and the
reproduce command do not depend on the current directory).
"""

from __future__ import annotations

import dataclasses
import shlex
from pathlib import Path
from typing import Any

from vixhedge.core import config as C

__all__ = ["provenance", "reproduce_command", "with_data_dir", "write_sweep_folder"]


def with_data_dir(spec, data_dir: Path | None, label: str = "--data-dir"):
    """Return ``spec`` with its [base] on the data files in ``data_dir`` (made absolute), or ConfigError in one line
    naming ``label`` (the flag, or run_sweep's argument)."""
    if data_dir is None:
        return spec
    from vixhedge.argtypes import check_data_dir

    check_data_dir(data_dir, label)
    try:
        base = C.replace(spec.base, market={"source": "directory", "data_dir": str(data_dir.resolve())})
    except C.ConfigError as exc:
        raise C.ConfigError(f"{label} {str(data_dir)!r}: {exc}") from None
    return dataclasses.replace(spec, base=base)


def reproduce_command(spec_file: Path, out: Path, spec, data_dir: bool, flags: dict[str, str | None]) -> str:
    """The command that writes ``out`` again (or resumes it): the spec file and folder by absolute path,
    ``--data-dir`` absolute when ``data_dir`` (the run's [base] was put on a data folder), the flags that can change
    a row's last digits (``flags``: ``engine``, ``kernel``, when given), after the ``PYTHONPATH`` its plug-ins need
    (:func:`vixhedge.report.pythonpath`, as a run's replay command); prefixed with ``cd`` to the current directory
    when the spec's own [base] names a relative ``market.data_dir``."""
    from vixhedge.extensions import grid_modules
    from vixhedge.report import pythonpath

    words = ["vixhedge", "sweep", str(spec_file.resolve())]
    if data_dir:
        words += ["--data-dir", spec.base.market.data_dir]
    for flag in ("engine", "kernel", "rank-by", "spa-block-days", "walk-forward"):
        if flags.get(flag) is not None:
            words += [f"--{flag}", str(flags[flag])]
    words += ["--out", str(out.resolve())]
    command = pythonpath(grid_modules(spec.base, spec.grid)) + shlex.join(words)
    m = spec.base.market
    if m.source is C.MarketSource.DIRECTORY and not Path(m.data_dir).is_absolute():
        command = f"cd {shlex.quote(str(Path.cwd()))} && {command}"
    return command


def provenance(spec, market) -> dict[str, Any]:
    """What made the rows, for summary.json: the code (:func:`vixhedge.codeid.environment`: commit, the engine's
    sha256, python and package versions), every data file read (name, sha256), the seed of the bootstrap tests and,
    where the base config or the grid names any, each plug-in's identity (``plugins``, as a run's manifest.json)."""
    from vixhedge.codeid import environment
    from vixhedge.extensions import grid_identities
    from vixhedge.sweep_spec import data_files

    plugins = grid_identities(spec.base, spec.grid)
    return {**environment(), "data_files": [{"name": n, "sha256": h} for n, h in data_files(spec, market)],
            "seed": spec.base.run.seed, **({"plugins": plugins} if plugins else {})}


def write_sweep_folder(spec, out: Path, *, spec_file: Path | None, data_dir: bool, flags: dict[str, str | None],
                       progress: bool = True, market=None) -> tuple[dict[str, Any], Path | None]:
    """Run (or resume) ``spec`` into ``out`` and write the folder's files; return (summary, report page: None when
    no point finished, so no results.csv).

    ``spec_file``: the spec's TOML file, copied as spec.toml and named by the summary's ``reproduce`` command (None
    for a spec built in Python: neither is written). ``data_dir``/``flags``: what :func:`reproduce_command` names.
    The spec is checked against the market before the folder is created or touched (one ConfigError line).
    KeyboardInterrupt propagates (the points finished are saved in results.csv). ``market``: the spec's, already
    built (a walk-forward's folds share one), else built here.
    """
    from feeds.market import build_market
    from vixhedge import sweep as sw
    from vixhedge.rankings import earlier_rankings, split_ranking
    from vixhedge.sweep_judge import judge
    from vixhedge.sweep_market import market_words
    from vixhedge.sweep_progress import stage
    from vixhedge.sweep_report import write_sweep_report
    from vixhedge.sweepio import SPEC_COPY, record_outputs

    if market is None:  # [base]'s calendar and A/D files: one line before the build (trial FUZZ33 M3)
        from strategies.signalfiles import check_signal_files
        from vixhedge.core.config.paths import check_input_files

        check_input_files(spec.base, f"sweep '{spec.name}': ", spec.grid)  # what they are first (preflight's call)
        check_signal_files([spec.base])
    if progress and market is None:
        stage(f"building the market ({market_words(spec.base.market)})")
    market = market if market is not None else build_market(spec.base.market)
    files = {SPEC_COPY: spec_file.read_bytes()} if spec_file is not None else None
    with sw.checked_sweep(spec, out, market) as total:  # nothing to run: one line, the output folder untouched
        # a split sweep's earlier rankings (summary.json's, before it is rewritten: the folder is this spec's)
        earlier = earlier_rankings(out / "summary.json") if spec.in_sample_end else []
        summary = sw.sweep_and_summarize(spec, out, market, total, progress, files=files)
        if spec.in_sample_end:  # the best's rank out of sample and the metrics ranked by (trial RS23)
            split_ranking(summary, out / "results.csv", earlier)
        judge(summary, out, spec, market)  # points beating the baselines; the best's paired CIs out of sample
        summary["provenance"] = provenance(spec, market)
        if spec_file is not None:
            summary["reproduce"] = reproduce_command(spec_file, out, spec, data_dir, flags)
        sw.write_summary(out, summary)
        record_outputs(out)  # the finished sweep's sha256, checked by `vixhedge report` and a rerun
        # its files just hashed: not again; no report when no point finished (every one failed: nothing to show)
        page = write_sweep_report(out, recorded=True) if (out / "results.csv").is_file() else None
    return summary, page
