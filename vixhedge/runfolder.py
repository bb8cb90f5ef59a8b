"""A run folder read back from its files: the frames of :class:`vixhedge.run.RunResult` as the CSVs hold them.

``vixhedge report RUN_DIR``, compare's and the notebook API's readers start here; nothing in it draws or renders
(the report page is :mod:`vixhedge.html`).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import shlex
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from vixhedge.core import config as config_mod
from vixhedge.frames import dated_frames, is_date_column

REQUIRED = ("config.toml", "manifest.json", "metrics.json", "daily.csv", "attribution.csv", "layers.csv",
            "condors.csv")


class RunFolderError(ValueError):
    """A folder is not a (complete) run folder."""


@dataclass(frozen=True)
class RunFiles:
    """What a run folder holds, read back from its files: the frames of :class:`vixhedge.run.RunResult`
    (DatetimeIndex, parsed date columns; :mod:`vixhedge.frames`), floats as written (six decimals).

    Its frames have the names of the RunResult's: ``daily``, ``attribution``, ``trades``, ``layers``, ``condors``
    and ``signals_log`` (signals.csv, the decision log); ``benchmark`` is benchmark.csv. What a RunResult holds
    beside them (``market``, ``signals``: the signal set) is not in the folder."""

    folder: Path
    config: config_mod.Config
    manifest: dict
    metrics: dict
    daily: pd.DataFrame
    attribution: pd.DataFrame
    layers: pd.DataFrame
    condors: pd.DataFrame
    benchmark: pd.DataFrame | None = None  # benchmark.csv (folders written before it existed have none)

    # read on first use: trades.csv (one row per fill; the hedge book panel counts the contracts held from its
    # hedge fills; None for frames without a folder), signals.csv (the decision log)
    trades = functools.cached_property(lambda self: None if self.folder is None else _csv(self.folder / "trades.csv"))
    signals_log = functools.cached_property(lambda self: _csv(self.folder / "signals.csv"))
    # capital_cuts.csv (strategies.capital.cuts_frame); None for a folder written before it
    capital_cuts = functools.cached_property(lambda self: _csv(self.folder / "capital_cuts.csv"))

    @functools.cached_property
    def analyzer_tables(self) -> dict[str, pd.DataFrame]:
        """The analyzer plug-ins' tables by name (``analyzer_<name>.csv``, read on first use; plug-in trial, session
        16: load_run left them behind), as the CSV holds them: a table's index is its first column(s) and dates are
        text (a RunResult's ``analyzer_tables`` keep the analyzer's own index and types)."""
        entries = self.metrics.get("analyzers") or {}
        return {name: pd.read_csv(self.folder / e["table"]) for name, e in entries.items()
                if isinstance(e, dict) and e.get("table") and (self.folder / e["table"]).is_file()}

    @property
    def engine(self) -> str:
        """The engine that ran it (manifest.json; folders written before the field ran ``fast``), as a RunResult's."""
        return self.manifest.get("engine", "fast")

    def __repr__(self) -> str:
        return f"RunFiles({run_brief(self.config, self.daily, self.metrics)}, folder {self.folder.name!r})"


def run_brief(cfg: config_mod.Config, daily: pd.DataFrame, metrics: dict) -> str:
    """One line naming a run: its name, window, hedge, final NAV and Sharpe (n/a where the summary says n/a: a run
    of idle cash), in the units of the summary (what a RunResult's or RunFiles' repr shows, not their frames)."""
    from vixhedge.fmt import num, usd
    from vixhedge.report_sections import hedge_label
    from vixhedge.why_idle import idle_words

    p, counts = metrics.get("performance") or {}, metrics.get("counts") or {}
    window = (f"{daily.index[0]:%Y-%m-%d}..{daily.index[-1]:%Y-%m-%d} ({len(daily)} days)" if len(daily)
              else "no days")
    idle = "condors" in counts and "hedge_layers" in counts and idle_words(cfg, counts)
    return (f"{cfg.run.name!r}, {window}, hedge {hedge_label(cfg.hedge)}, final NAV {usd(p.get('end_nav_usd'))}, "
            f"Sharpe {'n/a' if idle else num(p.get('sharpe'))}")


def load_run(folder: Path) -> RunFiles:
    """Read a run folder's files; raise :class:`RunFolderError` naming the file that is missing or damaged.

    A folder written since manifest.json holds ``output_files`` (the sha256 of every file the run wrote before
    it) is checked against them first: a cut, edited or deleted file is named before anything is read. Every
    folder's daily.csv must hold the days metrics.json counts.
    """
    folder = Path(folder)
    if not folder.is_dir():  # (API31: load_run of a path not there, or a file, listed every file as missing)
        state = "is a file, not a run folder" if folder.exists() else "does not exist"
        raise RunFolderError(f"{folder} {state}: give a folder `vixhedge run` wrote, e.g. runs/<run-id>")
    missing = [n for n in REQUIRED if not (folder / n).is_file()]
    if missing:
        raise RunFolderError(f"{folder} is not a complete run folder: missing {', '.join(missing)} "
                             "(write one with `vixhedge run`)")
    manifest = _json(folder, "manifest.json")
    _check_manifest(folder, manifest)
    written = manifest.get("output_files") or {}
    _check_hashes(folder, written)
    try:
        cfg = config_mod.load(folder / "config.toml")
    except config_mod.ConfigError as exc:
        if "config.toml" in written:  # the file the run wrote: not damaged (a plug-in that does not load, ...)
            raise plugin_load_error(folder, exc, manifest) from None
        raise RunFolderError(f"{exc}; {_rerun(folder, 'config.toml')}") from None
    _say_edited_plugins(folder, cfg, manifest)
    files = RunFiles(folder=folder, config=cfg, manifest=manifest, metrics=_json(folder, "metrics.json"),
                     daily=_read(folder, "daily.csv"), attribution=_read(folder, "attribution.csv"),
                     layers=_read(folder, "layers.csv"), condors=_read(folder, "condors.csv"),
                     benchmark=_read(folder, "benchmark.csv"))
    days = (files.metrics.get("counts") or {}).get("days")
    if days is not None and (len(files.daily) != days or files.daily["nav_usd"].isna().any()):
        raise RunFolderError(f"{folder / 'daily.csv'} is damaged (cut?): it holds {len(files.daily)} days, "
                             f"{int(files.daily['nav_usd'].isna().sum())} without a NAV, where metrics.json counts "
                             f"{days}; {_rerun(folder, 'daily.csv')}")
    return files


def _check_manifest(folder: Path, manifest: dict) -> None:
    """Raise :class:`RunFolderError` when manifest.json (the one file its own hashes do not cover) is not an object,
    its ``output_files`` not one, or a plug-in identity not of the shape a run writes
    (:func:`vixhedge.extensions.manifest_shape`; trial FUZZ40 M2: a hand-edited one was an internal error)."""
    from vixhedge.extensions import manifest_shape
    from vixhedge.plugins import short_repr

    why = manifest_shape(manifest)
    if not why and not isinstance(manifest.get("output_files") or {}, dict):
        why = f"output_files = {short_repr(manifest['output_files'], 60)} is not an object of files and sha256"
    if why:
        raise RunFolderError(f"{folder / 'manifest.json'} is damaged or was edited: {why}; "
                             f"{_rerun(folder, 'manifest.json')}")


def _say_edited_plugins(folder: Path, cfg: config_mod.Config, manifest: dict) -> None:
    """A WARNING for each plug-in of the run (not a built-in: the manifest's commit versions those) whose source is
    not the one it ran with (trial PL25: `vixhedge report` of a folder whose policy was edited since said nothing,
    while its replay command would now run the new code), naming the files that changed where the manifest lists
    ``source_files`` (trial API39 M3: an edited helper module read as the plug-in's own file edited)."""
    import logging

    from vixhedge.extensions import identities
    from vixhedge.plugins import PROJECT

    now = identities(cfg)
    for key in ("hedge_policy", "condor_selector", "signals", "analyzers"):
        for was, new in zip(*(v if isinstance(v, list) else [v] for v in (manifest.get(key), now[key]))):
            if (isinstance(was, dict) and str(new["module"]).partition(".")[0] not in PROJECT
                    and was.get("source_sha256") not in (None, new["source_sha256"])):
                changed = _changed_files(was.get("source_files"), new.get("source_files") or [])
                what = (f"changed since it ran: {changed}" if changed else
                        f"was edited since it ran (source sha256 {str(was['source_sha256'])[:12]} then, "
                        f"{new['source_sha256'][:12]} now)")
                logging.getLogger("vixhedge.runfolder").warning(
                    f"{shown_path(folder)}: the run's plug-in {new['name']} {what}: the folder's files are the run's; "
                    "its replay command would run the plug-in as it is now")


def _changed_files(was: object, now: list[dict]) -> str:
    """The files of a plug-in (manifest.json ``source_files`` then and now) that differ, each with its sha256 then and
    now: ``"/p/rsi_consts.py was edited (sha256 d818837b6ae1 then, 7bbf3453abb0 now)"``; "" when the manifest lists none
    (a folder written before the list)."""
    if not isinstance(was, list):
        return ""
    then = {str(f.get("module")): f for f in was if isinstance(f, dict)}
    here = {f["module"]: f for f in now}
    words = []
    for module in dict.fromkeys([*then, *here]):
        a, b = then.get(module), here.get(module)
        if a is None:
            words.append(f"{b['file']} is imported now, not then")
        elif b is None:
            words.append(f"{a.get('file', module)} is not imported now")
        elif a.get("sha256") != b["sha256"]:
            words.append(f"{b['file']} was edited (sha256 {str(a.get('sha256'))[:12]} then, {b['sha256'][:12]} now)")
    return "; ".join(words)


def _find_spec(name: str):
    """importlib.util.find_spec, None where the name cannot be looked up (a module whose ``__spec__`` is None)."""
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


PLUGIN_KEYS = ("hedge.policy", "condor.selector", "hedge.signals", "analysis.analyzers")


def plugin_load_error(folder: Path, exc: config_mod.ConfigError, manifest: dict) -> config_mod.ConfigError:
    """The line for a folder whose config.toml (written by the run) does not load here: the PYTHONPATH its manifest
    records when a plug-in module does not import (:func:`_plugin_path_error`); a plug-in that imports but is not
    as it ran (renamed, another signature or table: plug-in trial, session 16, where the line gave a new config's
    advice); else ``exc``."""
    path = _plugin_path_error(folder, manifest)
    if path is not None:
        return path
    why = str(exc).removeprefix(f"{folder / 'config.toml'}: ")  # (config.load names the file first)
    if not why.startswith(PLUGIN_KEYS) or "defined in __main__" in why:  # (that line says its own fix)
        return exc
    return config_mod.ConfigError(f"{folder / 'config.toml'}: the run's plug-in does not load as it ran ({why}): "
                                  "reading a folder back imports its plug-ins; restore the plug-in as it was "
                                  "(manifest.json records each one's module, name and source sha256)")


def _plugin_path_error(folder: Path, manifest: dict) -> config_mod.ConfigError | None:
    """The fix for a run folder whose plug-in does not import here: the ``PYTHONPATH`` its manifest's replay
    command records (None when it records none, or when every plug-in module it names imports)."""
    command = str(manifest.get("replay_command", ""))
    if not command.startswith("PYTHONPATH="):
        return None
    path = command.removeprefix("PYTHONPATH=").partition(" vixhedge ")[0]
    entries = [manifest.get("hedge_policy"), manifest.get("condor_selector"),
               *(manifest.get("signals") or []), *(manifest.get("analyzers") or [])]
    missing = [m for m in dict.fromkeys(str(e.get("module", "")) for e in entries if isinstance(e, dict))
               if m and m != "__main__" and _find_spec(m.split(".")[0]) is None]  # __main__: the load's own line
    if not missing:
        return None
    return config_mod.ConfigError(
        f"{folder / 'config.toml'}: the run's plug-in module {missing[0]!r} does not import here: put the folder its "
        f"manifest.json replay_command names on PYTHONPATH, e.g. `PYTHONPATH={path} vixhedge report "
        f"{shown_path(folder)}`")


def shown_path(path: Path) -> str:
    """Return ``path`` as a command line should name it: :func:`plain_path`, quoted for a POSIX shell where it needs
    to be."""
    return shlex.quote(plain_path(path))


def plain_path(path: Path) -> str:
    """Return ``path`` relative to the working folder when inside it, else absolute (as manifest.json's run_folder
    stores it: a path, not a shell word)."""
    full = Path(os.path.abspath(path))
    try:
        return full.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return full.as_posix()


def unquoted(text: str) -> str:
    """Return a run_folder as a path: written before as a shell word (``'out dir/x'``), it is unquoted."""
    try:
        words = shlex.split(text)
    except ValueError:  # unbalanced quotes: a plain path with a quote in it
        return text
    return words[0] if len(words) == 1 and shlex.quote(words[0]) == text else text


def _rerun(folder: Path, name: str) -> str:
    """The fix for a damaged file of a run folder: write the folder again from its config."""
    if name == "config.toml":
        return "write the folder again: rerun the config the run was written from (`vixhedge run CONFIG.toml`)"
    parent = shown_path(folder.parent)
    where = "" if parent == "runs" else f" --runs-dir {parent}"
    fix = f"write the folder again: `vixhedge run {shown_path(folder / 'config.toml')}{where}`"
    rid = _run_id(folder)
    if rid and rid != folder.name:  # run writes the folder of its run id: a renamed folder is not rewritten
        fix += (f" (it writes {shown_path(folder.parent / rid)}, the run's id, not {shown_path(folder)}: the folder "
                f"was renamed; replace {shown_path(folder)} with it)")
    return fix


def _run_id(folder: Path) -> str | None:
    """The run id manifest.json records (the folder name `vixhedge run` writes), or None when it is unreadable."""
    try:
        rid = json.loads((folder / "manifest.json").read_text(encoding="utf-8")).get("run_id")
    except (OSError, ValueError, AttributeError):
        return None
    return rid if isinstance(rid, str) and rid and "/" not in rid else None


def first_damaged(folder: Path, expected: dict, record: str) -> tuple[str, str] | None:
    """Return (name, why) of the first file of ``expected`` ({name: sha256}, kept in ``record``, e.g.
    "manifest.json") that is missing or differs from what was written, or None when every one is intact."""
    for name, digest in sorted(expected.items()):
        path = folder / name
        if not path.is_file():
            return name, f"{path} is missing (it was written: {record} output_files)"
        if hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            return name, (f"{path} is damaged or was edited: its sha256 is not the one {record} output_files "
                          "recorded when it was written")
    return None


def _check_hashes(folder: Path, expected: dict) -> None:
    """Raise :class:`RunFolderError` naming the first file that is missing or differs from what the run wrote."""
    found = first_damaged(folder, expected, "manifest.json")
    if found:
        raise RunFolderError(f"{found[1]}; {_rerun(folder, found[0])}")


def _json(folder: Path, name: str) -> dict:
    try:
        return json.loads((folder / name).read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise RunFolderError(f"{folder / name} is not valid JSON ({exc}): the file is damaged; "
                             f"{_rerun(folder, name)}") from None


def _read(folder: Path, name: str) -> pd.DataFrame | None:
    try:
        return _csv(folder / name)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise RunFolderError(f"{folder / name} cannot be read as a CSV ({str(exc).splitlines()[0]}): the file is "
                             f"damaged; {_rerun(folder, name)}") from None


# the decision log's text columns, empty on most bars (signals.csv), condors.csv's wings left open (most "") and the
# exit reason of layers and condors ("" while open: every row of a static book held to the end, trial Z)
TEXT_COLUMNS = ("rules_fired", "rule_ids", "actions", "capital", "condor_not_placed", "wings_left", "exit_reason")
# the decision log's small signed integers (-1, 0, +1), int8 in RunResult.signals_log: read back as int8 too
INT8_COLUMNS = ("cross", "confirmed_cross", "divergence", "projected")


def _csv(path: Path) -> pd.DataFrame | None:
    """Read a run CSV into the result frame's shape (vixhedge.frames.dated_frames); None if absent."""
    if not path.is_file():
        return None
    try:
        frame = pd.read_csv(path, dtype=dict.fromkeys(TEXT_COLUMNS, str))  # (an all-empty one would read as NaN)
    except pd.errors.EmptyDataError:  # a run without hedge layers writes an empty layers.csv
        frame = pd.DataFrame()
    for col in frame.columns:  # a text column's empty string is written as an empty field
        if not is_date_column(str(col)) and (frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col])):
            frame[col] = frame[col].fillna("")
        elif col in INT8_COLUMNS and pd.api.types.is_integer_dtype(frame[col]):
            frame[col] = frame[col].astype("int8")
    return dated_frames(frame)[0]
