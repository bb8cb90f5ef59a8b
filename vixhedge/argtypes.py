"""argparse types shared by the ``python -m`` reports, kept light: a report's parser is built before numpy loads."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path


def seed_count(text: str) -> int:
    """argparse type of a number of noise runs: 0 (skip them) or at least 2 (an sd needs two)."""
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n == 0 or n >= 2:
        return n
    raise argparse.ArgumentTypeError(f"{text!r}: give 0 (skip the noise runs) or 2 or more (an sd needs two)")


def iso_day(text: str) -> str:
    """argparse type of a calendar day written YYYY-MM-DD (kept as the text the report reads)."""
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a calendar day: write YYYY-MM-DD, e.g. 2015-08-24") from None
    return text


def path(text: str) -> Path:
    """argparse type of a file or folder: a Path, refusing the empty text (``Path("")`` is the current folder: an
    unset shell variable, ``--runs-dir "$X"``, would write or read there)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path: give a file or folder name (use . for the current folder)")
    return Path(text)


def path_text(text: str) -> str:
    """:func:`path`, kept as the text (a config's ``market.data_dir`` is a string)."""
    return str(path(text))
