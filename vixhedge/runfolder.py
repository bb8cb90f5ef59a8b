"""A run folder read back from its files: the frames of :class:`vixhedge.run.RunResult` as the CSVs hold them.

``vixhedge report RUN_DIR``, compare's and the notebook API's readers start here; nothing in it draws or renders
(the report page is :mod:`vixhedge.html`).
"""

from __future__ import annotations

import functools
import json
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
    (DatetimeIndex, parsed date columns; :mod:`vixhedge.frames`), floats as written (six decimals)."""

    folder: Path
    config: config_mod.Config
    manifest: dict
    metrics: dict
    daily: pd.DataFrame
    attribution: pd.DataFrame
    layers: pd.DataFrame
    condors: pd.DataFrame
    benchmark: pd.DataFrame | None = None  # benchmark.csv (folders written before it existed have none)

    # read on first use, the report draws on neither: trades.csv (one row per fill), signals.csv (the decision log)
    trades = functools.cached_property(lambda self: _csv(self.folder / "trades.csv"))
    signals = functools.cached_property(lambda self: _csv(self.folder / "signals.csv"))


def load_run(folder: Path) -> RunFiles:
    """Read a run folder's files; raise :class:`RunFolderError` naming what is missing."""
    folder = Path(folder)
    missing = [n for n in REQUIRED if not (folder / n).is_file()]
    if missing:
        raise RunFolderError(f"{folder} is not a complete run folder: missing {', '.join(missing)} "
                             "(write one with `vixhedge run`)")
    return RunFiles(folder=folder, config=config_mod.load(folder / "config.toml"),
                    manifest=json.loads((folder / "manifest.json").read_text(encoding="utf-8")),
                    metrics=json.loads((folder / "metrics.json").read_text(encoding="utf-8")),
                    daily=_csv(folder / "daily.csv"), attribution=_csv(folder / "attribution.csv"),
                    layers=_csv(folder / "layers.csv"), condors=_csv(folder / "condors.csv"),
                    benchmark=_csv(folder / "benchmark.csv"))


def _csv(path: Path) -> pd.DataFrame | None:
    """Read a run CSV into the result frame's shape (vixhedge.frames.dated_frames); None if absent."""
    if not path.is_file():
        return None
    try:
        frame = pd.read_csv(path)
    except pd.errors.EmptyDataError:  # a run without hedge layers writes an empty layers.csv
        frame = pd.DataFrame()
    for col in frame.columns:  # a text column's empty string is written as an empty field
        if not is_date_column(str(col)) and (frame[col].dtype == object or pd.api.types.is_string_dtype(frame[col])):
            frame[col] = frame[col].fillna("")
    return dated_frames(frame)[0]
