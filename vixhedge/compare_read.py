"""Reading a compare folder back (``vixhedge report``, :func:`vixhedge.api.load_comparison`): its files checked
(against the sha256 comparison.json records, and by their columns where a folder from before those has none), each
mode's run folder loaded, and the command that writes the folder again named in every refusal."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from vixhedge.compare import Comparison
from vixhedge.compare_variants import Variants, from_record, variant_flags
from vixhedge.core import config as C


def load_comparison(folder: Path) -> Comparison:
    """Read a compare folder back (``vixhedge compare`` wrote it): its table, paired CIs and each mode's run
    folder (:func:`vixhedge.runfolder.load_run`: frames, config, metrics); raise RunFolderError naming the file
    that is missing or damaged and the fix."""
    return read_comparison(Path(folder))[0]


def read_comparison(folder: Path) -> tuple[Comparison, dict[str, str]]:
    """Return a compare folder's :class:`Comparison` and ``{mode: its run folder's name}``.

    Its files are checked first (:func:`_check`); each mode's run folder by :func:`vixhedge.runfolder.load_run`."""
    from vixhedge.runfolder import load_run

    meta = _check(folder)
    subs = sorted(p for p in (folder / "runs").iterdir() if p.is_dir())
    config = _config(folder, subs)
    base, named, by_policy = config.run.name, {}, {}
    for sub in subs:
        files = load_run(sub)
        named[files.config.run.name] = by_policy[files.config.hedge.policy_name] = (sub.name, files)
    # each mode's run is named <name>-<mode> (compare.mode_configs): a config variant's policy is another mode's
    runs = {m: named.get(f"{base}-{m.replace(':', '-')}") or by_policy.get(m) for m in meta["modes"]}
    lost = [m for m in meta["modes"] if runs[m] is None]
    if lost:
        raise _damaged(folder, meta, f"{folder / 'runs'} holds no run folder of mode {', '.join(lost)} "
                                     "(comparison.json lists it)")
    sessions = len(runs[meta["modes"][0]][1].daily)
    paired = _paired_checked(folder, meta, _csv(folder, meta, "paired.csv", index_col=None), sessions)
    paired.attrs.update({k: meta[k] for k in ("baseline", "n_boot", "block_days", "ci_method", "seed") if k in meta})
    cmp = Comparison(config, {m: runs[m][1] for m in meta["modes"]},
                     table(_csv(folder, meta, "comparison.csv", index_col=0)), paired,
                     from_record(meta.get("variants")))
    if list(cmp.table.columns) != list(meta["modes"]):  # a folder written before output_files: its columns
        raise _damaged(folder, meta, f"{folder / 'comparison.csv'} is damaged: its columns are not the modes "
                                     f"{list(meta['modes'])} comparison.json lists")
    return cmp, {m: runs[m][0] for m in meta["modes"]}


def _check(folder: Path) -> dict:
    """Return a compare folder's comparison.json once its own files are there and, where it records their
    sha256 (``output_files``), as the compare wrote them; else raise RunFolderError naming the file and the fix."""
    from vixhedge.runfolder import RunFolderError, first_damaged

    missing = [n for n in ("config.toml", "comparison.csv", "paired.csv", "comparison.json", "runs")
               if not (folder / n).exists()]
    if missing:
        raise RunFolderError(f"{folder} is not a complete compare folder: missing {', '.join(missing)} "
                             "(write one with `vixhedge compare`)")
    try:
        meta = json.loads((folder / "comparison.json").read_text(encoding="utf-8"))
        meta["modes"] = [str(m) for m in meta["modes"]]
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise RunFolderError(f"{folder / 'comparison.json'} is damaged ({type(exc).__name__}: {exc}); write the "
                             "folder again: rerun the `vixhedge compare` command that wrote it") from None
    files = meta.get("output_files") or {}
    if not isinstance(files, dict):  # (IO31: "garbage" there was an internal error)
        raise _damaged(folder, meta, f"{folder / 'comparison.json'} is damaged: its output_files is not a table")
    found = first_damaged(folder, files, "comparison.json")
    if found:
        raise _damaged(folder, meta, found[1])
    return meta


PAIRED_COLUMNS = {"mode": False, "stat": False, "diff": True, "ci_low": True, "ci_high": True}  # True: numeric


def _paired_checked(folder: Path, meta: dict, paired: pd.DataFrame, sessions: int) -> pd.DataFrame:
    """paired.csv with the columns the page reads, numbers where it reads numbers, rows where the window of
    ``sessions`` has them: a folder written before output_files (2026-12-03) has no sha256 to check it by (IO31: an
    edited cell was an internal error, a file cut to its header a page without its CIs)."""
    from vixhedge.compare_args import paired_sessions

    if paired.empty and len(paired.columns):
        if paired_sessions(sessions):
            raise _damaged(folder, meta, f"{folder / 'paired.csv'} is damaged: it has no rows, where its "
                                         f"{sessions}-session window has paired differences")
        return paired
    for col, numeric in PAIRED_COLUMNS.items():
        if col not in paired.columns or numeric and not pd.api.types.is_numeric_dtype(paired[col]):
            why = "has no column" if col not in paired.columns else "holds a non-number in column"
            raise _damaged(folder, meta, f"{folder / 'paired.csv'} is damaged: it {why} {col!r}")
    rows = paired["mode"].astype(str).value_counts()
    others = [m for m in meta["modes"] if m != meta.get("baseline", meta["modes"][0])]
    if any(rows.get(m, 0) != rows.get(others[0], 0) or not rows.get(m, 0) for m in others):
        raise _damaged(folder, meta, f"{folder / 'paired.csv'} is damaged: its modes' rows are not one set each "
                                     f"(rows per mode: { {m: int(n) for m, n in rows.items()} }; comparison.json "
                                     f"lists {others} against the baseline)")
    return paired


def table(table: pd.DataFrame) -> pd.DataFrame:
    """comparison.csv's table as the compare held it: floats (its flags written true / false, its counts whole)."""
    flags = {"true": 1.0, "false": 0.0, True: 1.0, False: 0.0}
    return table.apply(lambda col: pd.to_numeric(col.map(lambda v: flags.get(v, v)), errors="coerce"))


def _csv(folder: Path, meta: dict, name: str, index_col: int | None) -> pd.DataFrame:
    try:
        return pd.read_csv(folder / name, index_col=index_col)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, ValueError) as exc:
        raise _damaged(folder, meta, f"{folder / name} cannot be read as a CSV ({str(exc).splitlines()[0]}): "
                                     "the file is damaged") from None


def _config(folder: Path, subs: list[Path]) -> C.Config:
    """The folder's config.toml; a plug-in that does not load here is said as a run folder says it, with the
    PYTHONPATH a mode's manifest records (:func:`vixhedge.runfolder.plugin_load_error`)."""
    from vixhedge.runfolder import plugin_load_error

    try:
        return C.load(folder / "config.toml")
    except C.ConfigError as exc:
        found = [_manifest(sub / "manifest.json") for sub in subs]  # a plug-in mode's records its PYTHONPATH
        with_path = [m for m in found if str(m.get("replay_command", "")).startswith("PYTHONPATH=")]
        raise plugin_load_error(folder, exc, with_path[0] if with_path else {}) from None


def _manifest(path: Path) -> dict:
    try:
        got = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return got if isinstance(got, dict) else {}


def _damaged(folder: Path, meta: dict, what: str):
    """A RunFolderError: ``what`` is wrong, and the compare command that writes the folder again."""
    from vixhedge.runfolder import RunFolderError, shown_path

    try:
        configs = [C.load(folder / "config.toml")]
    except Exception:  # noqa: BLE001 - the fix names the command all the same
        configs = []
    try:
        path = _pythonpath(configs, meta["modes"])
    except Exception:  # noqa: BLE001 - a plug-in that no longer imports: the command without its folder
        path = ""
    parent = shown_path(folder.parent)
    where = "" if parent == "runs" else f" --runs-dir {parent}"
    command = _command(path, shown_path(folder / "config.toml"), meta["modes"], meta, meta.get("engine", "fast"),
                       from_record(meta.get("variants")))
    return RunFolderError(f"{what}; write the folder again: `{command}{where}`")


def _pythonpath(configs, modes) -> str:
    """``PYTHONPATH=<folders> `` that makes the plug-ins of ``configs`` and of the policy ``modes`` importable
    (as a run's replay command, :func:`vixhedge.report.manifest`); "" when all are built-ins."""
    from vixhedge.extensions import modules
    from vixhedge.report import pythonpath

    return pythonpath([n for c in configs for n in modules(c)] + [m.split(":")[0] for m in modes if ":" in m])


def compare_plugins(cmp: Comparison) -> list[dict]:
    """The plug-ins (built-ins left out) the modes ran with, mode by mode (:func:`vixhedge.extensions.manifest_plugins`
    of each mode's manifest.json, or of its config while it runs, each with its ``mode``;
    :func:`vixhedge.extensions.plugin_words` names each once, with the modes that ran it where not all did): what the
    summary and page name (trial API39 M1, FUZZ40 M3)."""
    from vixhedge.extensions import identities, manifest_plugins

    out = []
    for mode, res in cmp.results.items():  # (a result without either: a hand-made one names none)
        out += [{**p, "mode": mode} for p in manifest_plugins(getattr(res, "manifest", None) or (
            identities(res.config) if hasattr(res, "config") else {}))]  # (the mode: trial FUZZ40 M3)
    return out


def reproduce_command(cmp: Comparison, config_path: str) -> str:
    """Return the command that reruns this comparison from its folder's config.toml (with the PYTHONPATH its
    plug-ins need)."""
    return compare_command([cmp.config, *(r.config for r in cmp.results.values())], list(cmp.results), config_path,
                           cmp.paired.attrs, next(iter(cmp.results.values())).engine, cmp.variants)


def compare_command(configs, modes: list[str], config_path: str, attrs: dict, engine: str, variants: Variants) -> str:
    """The compare command of ``modes`` (with ``variants``) on the config file ``config_path``, rebuilt from what ran
    (the PYTHONPATH the plug-ins of ``configs`` and ``modes`` need, the paired ``attrs``, ``engine``), never as typed:
    one comparison, one command (compare --windows' too, trial DET32 M3)."""
    return _command(_pythonpath(configs, modes), config_path, modes, attrs, engine, variants)


def _command(path: str, config_path: str, modes: list[str], a: dict, engine: str, variants: Variants) -> str:
    block = "" if a.get("block_days") == "auto" else f" --block-days {a.get('block_days')}"
    return (f"{path}vixhedge compare {config_path} --modes {','.join(modes)}{variant_flags(variants)} "
            f"--baseline {a.get('baseline', '-')} --n-boot {a.get('n_boot')}{block} "
            f"--ci-method {a.get('ci_method')} --engine {engine}")
