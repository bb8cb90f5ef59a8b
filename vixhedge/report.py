"""Run folder (atomic write) and the run's HTML report (the console summary: :mod:`vixhedge.summary`).

Figures (:mod:`vixhedge.run_figures`, SVG) are drawn from the run folder's own files, after they are
written, so ``vixhedge report RUN_DIR`` redraws the same bytes without re-running.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import shlex
from pathlib import Path

import pandas as pd

from analyzers.plugins import table_file
from feeds.datanotes import window_notes
from feeds.datafiles import run_files
from vixhedge.core import config as config_mod
from vixhedge import html as report_html
from vixhedge.atomic import atomic_folder, final_path
from vixhedge.codeid import edited_since_loaded, environment
from vixhedge.csvout import write_csv
from vixhedge.run import RunResult
from vixhedge.run_figures import draw_figures
from vixhedge.runfolder import load_run, plain_path, shown_path, unquoted
from vixhedge.window import hedge_instruments


def run_id(cfg: config_mod.Config) -> str:
    """Return ``<name>-<hash8>``: the same config (and plug-ins' sources) always gets the same id."""
    from vixhedge.extensions import fingerprint

    digest = hashlib.sha256((config_mod.to_toml(cfg) + fingerprint(cfg)).encode()).hexdigest()[:8]
    return f"{cfg.run.name}-{digest}"


def import_root(module: str) -> str:
    """Return the folder that makes ``module`` importable (the one to put on PYTHONPATH), from where it was loaded."""
    import importlib
    import os

    top = importlib.import_module(module.split(".")[0])  # loaded already: the run used it
    where = Path(top.__file__).parent if getattr(top, "__file__", None) else Path(next(iter(top.__path__)))
    if hasattr(top, "__path__"):  # a package: the folder that holds it
        where = where.parent
    return os.path.abspath(where)


def pythonpath(modules) -> str:
    """``PYTHONPATH=<folders> `` (absolute, each once) that makes the plug-in ``modules`` importable, the prefix of a
    run's replay command and of a compare's and a sweep's reproduce command; "" for none (built-ins only)."""
    import os

    folders = list(dict.fromkeys(import_root(m) for m in modules))  # e.g. <repo>/examples
    return f"PYTHONPATH={os.pathsep.join(folders)} " if folders else ""


def manifest(result: RunResult, rid: str, folder: Path | None = None, files: list[dict] | None = None) -> dict:
    """Return the run's manifest; ``folder``: where the run folder lands (default ``runs/<rid>``), as the replay
    command and the report's rebuild line name it (:func:`vixhedge.runfolder.shown_path`); ``files``: its
    ``data_files`` when the caller has them."""
    from vixhedge.extensions import identities, modules

    plugins = identities(result.config)
    path = pythonpath(modules(result.config))
    data = result.market.data
    where = Path("runs") / rid if folder is None else Path(folder)
    engine = "" if result.engine == config_mod.DEFAULT_ENGINE else f" --engine {result.engine}"  # what ran
    return {
        "run_id": rid,
        **environment(),  # git_commit, code_sha256, python, packages: of the code loaded (vixhedge.codeid)
        **({"code_edited_since_loaded": edited} if (edited := edited_since_loaded()) else {}),
        "data_source": data.source,
        "data_files": files if files is not None else [{"name": n, "sha256": h}
                                                       for n, h in run_files(result.market, result.config,
                                                                             result.signals)],
        "data_span": [str(data.days[0]), str(data.days[-1])],
        **({"data_cut": data.cut} if data.cut else {}),  # why the history starts there (feeds.directory)
        **window_notes(result.market, result.config.run.start, result.config.run.end,
                       hedge_instruments(result.config.hedge))[1],  # rejected rows, VX span, listing
        "settlement_proxies": result.market.settlement_proxies,
        "quote_origins": result.quote_origins,
        "seed": result.config.run.seed,
        "engine": result.engine,
        **plugins,  # hedge_policy, condor_selector, signals, analyzers: module, qualname, source sha256
        "run_folder": plain_path(where),  # a path; the commands quote it for a shell
        "replay_command": f"{path}vixhedge run {shown_path(where / 'config.toml')}{engine}",
    }


def _clean(obj):
    """Make metrics JSON-safe: NaN/inf become null."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def parquet_names(result: RunResult) -> set[str]:
    """The ``.parquet`` tables a run writes with ``--parquet``: a rewrite without it must not carry the old ones."""
    plugins = (table_file(k).removesuffix(".csv") for k in result.analyzer_tables)
    return {f"{n}.parquet" for n in ("daily", "signals", "trades", "layers", "condors", "attribution", "benchmark",
                                     "capital_cuts", *plugins)}


REPLACED = "replaced.json"  # what differs from the folder a run replaced: data files, code version (write_run)


def write_run(result: RunResult, runs_dir: Path, parquet: bool = False,
              no_hedge_nav: pd.Series | None = None, earlier: Path | None = None) -> Path:
    """Write ``runs_dir/<run-id>/`` atomically; return its path.

    See :func:`vixhedge.atomic.atomic_folder`: an interrupted run never leaves a folder that
    looks finished, and an earlier folder of the same id is replaced only once the new one is complete.
    ``no_hedge_nav``: see :func:`benchmark`. ``parquet``: also write every frame as ``<name>.parquet`` (full precision, typed; needs pyarrow,
    ``python -m pip install -e '.[parquet]'``).

    The id hashes the config, not the data or the code: when the folder it replaces (in ``earlier``, default
    ``runs_dir``: a compare's runs/ are written in a new folder) was written from other data files or by another
    version of the code (:mod:`vixhedge.codeid`), the new folder's :data:`REPLACED` lists them (:func:`data_changes`,
    :func:`code_change`; not in manifest.json, which the config and data alone make) and a note says so. A rerun on
    the data and code of the folder it replaces writes none and drops the earlier one.
    """
    rid = run_id(result.config)
    files = [{"name": n, "sha256": h} for n, h in run_files(result.market, result.config, result.signals)]
    before = (runs_dir if earlier is None else earlier) / rid
    changed, code = data_changes(before, files), code_change(before)
    tables = {table_file(k).removesuffix(".csv"): t for k, t in result.analyzer_tables.items()}  # plug-ins
    with atomic_folder(runs_dir, rid, stale={*parquet_names(result), REPLACED}) as tmp:  # a user's files are kept
        (tmp / "config.toml").write_text(config_mod.to_toml(result.config), encoding="utf-8")
        _json(tmp / "metrics.json", result.metrics)
        write_csv(result.daily, tmp / "daily.csv")
        write_csv(result.signals_log, tmp / "signals.csv")
        write_csv(result.trades, tmp / "trades.csv")  # the fill date first
        for name in ("layers", "condors"):  # indexed by their entry date, which is also a column
            write_csv(getattr(result, name), tmp / f"{name}.csv", index=False)
        write_csv(result.attribution, tmp / "attribution.csv")
        write_csv(result.capital_cuts, tmp / "capital_cuts.csv")  # strategies.capital.cuts_frame
        for name, table in tables.items():
            write_csv(table, tmp / f"{name}.csv", index=not isinstance(table.index, pd.RangeIndex))
        bench = benchmark(result, no_hedge_nav)
        write_csv(bench, tmp / "benchmark.csv")
        if parquet:
            frames = {"daily": result.daily, "signals": result.signals_log, "trades": result.trades,
                      "layers": result.layers, "condors": result.condors, "attribution": result.attribution,
                      "benchmark": bench, "capital_cuts": result.capital_cuts, **tables}
            for name, frame in frames.items():  # without attrs: pandas writes them as JSON, and the run's daily
                plain = frame.copy(deep=False)  # keeps a set and its opening checks there (trial REV23: exit 3)
                plain.attrs = {}
                plain.to_parquet(tmp / f"{name}.parquet")
        # written last: it hashes every file above, which `vixhedge report` checks before reading (runfolder)
        written = {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(tmp.iterdir())}
        record = {**manifest(result, rid, final_path(runs_dir) / rid, files), "output_files": written}
        _json(tmp / "manifest.json", record)
        if changed or code:  # after manifest.json: not among its output_files (`vixhedge report` checks those)
            _json(tmp / REPLACED, {**({"data_changed": changed} if changed else {}),
                                   **({"code_changed": code} if code else {})})
        files = load_run(tmp)
        figures = draw_figures(files)
        for name, svg in figures.items():
            (tmp / name).write_bytes(svg)
        (tmp / "report.html").write_text(report_html.render(files, figures), encoding="utf-8")
    if changed or code:
        logging.getLogger("vixhedge.report").warning(changed_note(final_path(runs_dir) / rid, changed, code))
    if "code_edited_since_loaded" in record:
        logging.getLogger("vixhedge.report").warning(
            f"{shown_path(final_path(runs_dir) / rid)}: the engine's files changed after this process loaded them "
            f"(sha256 {record['code_sha256'][:12]} then, {record['code_edited_since_loaded'][:12]} now): the result "
            "and manifest.json are of the code loaded; restart the process (a notebook's kernel) to run the files as "
            "they are now")
    return runs_dir / rid


def data_changes(folder: Path, files: list[dict]) -> list[dict]:
    """Return the data files whose sha256 differs between the manifest.json of the run folder ``folder`` (an
    earlier run of the same id) and ``files`` (the new run's ``data_files``), as ``{"name", "was", "now"}`` (the
    sha256; None for a file one of them did not read), by name; [] without such a folder or nothing changed."""
    try:
        was = {str(f["name"]): str(f["sha256"])
               for f in json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["data_files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return []
    now = {f["name"]: f["sha256"] for f in files}
    return [{"name": n, "was": was.get(n), "now": now.get(n)} for n in sorted(was.keys() | now.keys())
            if was.get(n) != now.get(n)]


def code_change(folder: Path) -> dict:
    """Return ``{"was": {git_commit, code_sha256}, "now": {...}}`` when the manifest.json of the run folder ``folder``
    (an earlier run of the same id) was written by another version of the code (:mod:`vixhedge.codeid`; a manifest
    from before code_sha256 is compared by its commit), else {}."""
    from vixhedge.codeid import code_sha256, git_commit

    try:
        was = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
        was = {k: str(was[k]) for k in ("git_commit", "code_sha256") if k in was}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}
    now = {"git_commit": git_commit(), "code_sha256": code_sha256()}
    key = "code_sha256" if "code_sha256" in was else "git_commit"
    return {"was": was, "now": now} if key in was and was[key] != now[key] else {}


def changed_note(folder: Path, changed: list[dict], code: dict | None = None, shown: int = 2) -> str:
    """One line: the run replaced ``folder``, written from other data (:func:`data_changes`, ``shown`` of them) or
    by other code (:func:`code_change`)."""
    def one(c: dict) -> str:
        if c["was"] is None or c["now"] is None:
            return f"{c['name']} ({'read now, not then' if c['was'] is None else 'read then, not now'})"
        return f"{c['name']} (sha256 {c['was'][:8]}... -> {c['now'][:8]}...)"

    more = f", +{len(changed) - shown} more" if len(changed) > shown else ""
    parts = [f"the data changed since it was written: {', '.join(map(one, changed[:shown]))}{more}"] if changed else []
    if code:
        was, now = code["was"], code["now"]
        short = lambda c: c[:12] + ("-dirty" if c.endswith("-dirty") else "")  # noqa: E731
        parts.append(f"the code changed since it was written (commit {short(was.get('git_commit', '?'))} -> "
                     f"{short(now['git_commit'])}, code sha256 {was.get('code_sha256', '?')[:8]}... -> "
                     f"{now['code_sha256'][:8]}...)")
    return f"note: replaced {shown_path(folder)}: {'; '.join(parts)} ({REPLACED} lists {'them' if changed else 'it'})"


def benchmark(result: RunResult, no_hedge_nav: pd.Series | None = None) -> pd.DataFrame:
    """Return the run's NAV beside the S&P 500 total return and the same config without hedge (same market), both
    rebased to the run's first NAV (:func:`analyzers.report_tables.benchmark_frame`).

    ``no_hedge_nav``: that no-hedge run's NAV when the caller already has it (compare's ``none`` mode), else it
    is run here.
    """
    from analyzers.report_tables import benchmark_frame
    from vixhedge.run import daily_book, dated_frames

    cfg = result.config
    if cfg.hedge.policy_name == "none":
        no_hedge = result.daily["nav_usd"]
    elif no_hedge_nav is not None:
        no_hedge = no_hedge_nav
    else:
        from vixhedge.progress import labelled

        # the no-hedge book reads no A/D file: loading it again would print the run's A/D warnings twice
        bare = config_mod.replace(cfg, hedge={"mode": "none", "policy": "", "fomc": {"ad_csv": ""}})
        with labelled("no-hedge benchmark", outside_commands=True):  # its notes are not the run's: tagged
            book = daily_book(bare, result.market)[0]
        no_hedge = dated_frames(book)[0]["nav_usd"]
    return benchmark_frame(result.daily, no_hedge, cfg.market.div_yield)


def _json(path: Path, obj) -> None:
    path.write_text(json.dumps(_clean(obj), indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def rebuild_report(folder: Path) -> Path:
    """Redraw a run folder's figures (its SVG files) from its files and rewrite its ``report.html``; return its
    path.

    Each file is written to a temporary name and renamed over the old one; none is written when the folder was
    replaced meanwhile (a rerun of the same run swapped a new folder in: its figures are not these files').
    """
    inode = Path(folder).stat().st_ino
    files = load_run(folder)
    mf, here = files.manifest, plain_path(Path(folder))
    if mf.get("run_folder") not in (None, here):  # a folder copied or moved since: its commands name where it is
        was = shlex.quote(f"{unquoted(mf['run_folder'])}/config.toml")  # as manifest() wrote it (shown_path)
        files = dataclasses.replace(files, manifest={**mf, "run_folder": here, "replay_command": mf[
            "replay_command"].replace(was, shown_path(Path(folder) / "config.toml"))})
    figures = draw_figures(files)
    page = report_html.render(files, figures)
    if Path(folder).stat().st_ino != inode:  # (trial IO: the old run's figures were written into the new folder)
        from vixhedge.runfolder import RunFolderError

        raise RunFolderError(f"{folder} was replaced while its report was being rebuilt (a rerun of the same run "
                             "wrote a new folder there, with its own report): nothing written; run vixhedge report "
                             "again if you still want to rebuild it")
    for name, svg in figures.items():
        report_html.write_page(Path(folder) / name, svg)
    return report_html.write_page(Path(folder) / "report.html", page)
