"""argparse types shared by the ``python -m`` reports, kept light: a report's parser is built before numpy loads."""

from __future__ import annotations

import argparse
import datetime as dt
import numbers
import re
from pathlib import Path

from vixhedge.core.config.base import CALENDAR_RANGE

#: the settlement dates ``data fetch`` takes: the exchange calendar's range less its last month (a VX contract settling
#: in December 2035 is dated from January 2036's third Friday, outside it)
FETCH_RANGE = (CALENDAR_RANGE[0], dt.date(2035, 11, 30))
WORDS = {FETCH_RANGE: "'s VX settlements"}  # a range's words, after "outside the exchange calendar"


MAX_BOOT = 100_000  # bootstrap draws (compare's --n-boot, ci_null's --reps): memory is draws x window days x 8 bytes

#: a whole number as the helps write one: ASCII digits, a leading minus kept for the flags' own range checks
#: (``int()`` also took ``' 2'``, ``'2\n'``, ``2_000`` and an Arabic-Indic ``'٢'``: trial FUZZ37 L1)
_WHOLE = re.compile(r"-?[0-9]+")
#: the accepted form, after a refused count's value
WHOLE_FORM = "is not a whole number: write the digits 0-9 alone (no spaces, underscores, '+' or other scripts' digits)"


def whole(text: str) -> int:
    """argparse type of a count (--n-boot, --seeds, --workers, --block-days...): ASCII digits only (:data:`_WHOLE`);
    its range is the flag's own check, which names the flag."""
    if not _WHOLE.fullmatch(text):
        raise argparse.ArgumentTypeError(f"{text!r} {WHOLE_FORM}")  # (no example: 200 read as a --workers one, RD39)
    return int(text)


def seed_count(text: str) -> int:
    """argparse type of a number of noise runs: 0 (skip them) or at least 2 (an sd needs two)."""
    n = int(text) if _WHOLE.fullmatch(text) else -1
    if n == 0 or n >= 2:
        return n
    raise argparse.ArgumentTypeError(f"{text!r}: give 0 (skip the noise runs) or 2 or more (an sd needs two)")


def iso_day(text: str) -> str:
    """argparse type of a calendar day written YYYY-MM-DD in the exchange calendar's range (kept as the text the
    report reads)."""
    day(text, CALENDAR_RANGE)
    return text


def fetch_day(text: str) -> dt.date:
    """argparse type of ``data fetch``'s --start / --end: a day in :data:`FETCH_RANGE` (else an internal error after
    the "fetching" line: trial CF21)."""
    return day(text, FETCH_RANGE)


def positive(text: str) -> float:
    """argparse type of a positive number below 1e7 (``data fetch``'s --deadline and --max-mb)."""
    try:
        value = float(text)
    except ValueError:
        value = float("nan")
    if not (0 < value < 1e7):
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number")
    return value


def day(text: str, bounds: tuple[dt.date, dt.date]) -> dt.date:
    """argparse type of a calendar day written YYYY-MM-DD within ``bounds`` (a day outside the exchange calendar's
    range was an internal error after the command started, or a window silently cut to the data: trial CF21)."""
    try:
        value = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a calendar day: write YYYY-MM-DD, e.g. 2015-08-24") from None
    if not bounds[0] <= value <= bounds[1]:
        raise argparse.ArgumentTypeError(f"{text!r} is outside the exchange calendar{WORDS.get(bounds, '')}: use a day "
                                         f"in {bounds[0]}..{bounds[1]}")
    return value


def path(text: str) -> Path:
    """argparse type of a file or folder: a Path, refusing the empty text (``Path("")`` is the current folder: an
    unset shell variable, ``--runs-dir "$X"``, would write or read there)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("an empty path: give a file or folder name (use . for the current folder)")
    return Path(text)


def path_text(text: str) -> str:
    """:func:`path`, kept as the text (a config's ``market.data_dir`` is a string)."""
    return str(path(text))


def check_data_dir(path: Path, label: str = "--data-dir") -> None:
    """Raise ConfigError, one line naming ``label`` (the flag, or an API argument), unless ``path`` is a folder: run,
    compare, replay and sweep take ``--data-dir`` alike (replay's "does not exist" named no fix: trial CF21)."""
    if not path.is_dir():
        from feeds.layout import relative_note
        from vixhedge.core.config import ConfigError

        state = "is a file, not a folder" if path.exists() else "does not exist"  # (IO31: "is not a folder" of none)
        raise ConfigError(f"{label} {str(path)!r}{relative_note(str(path))} {state}: give the folder of the data "
                          "files (e.g. ../shared/data)")


def is_whole(value: object) -> bool:
    """Whether ``value`` is a whole number: an int or a numpy integer, not a bool (the API's and the flags' counts:
    seeds, workers, draws, blocks, years)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)
