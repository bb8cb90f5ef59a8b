"""The files a config names, checked for what they are before any work: :func:`check_input_files` (the calendar and
A/D keys: a folder, a FIFO, a device, a name too long or a file not readable is one line naming the key) and
:func:`file_problem` (a config file or sweep spec given on the command line: a FIFO or ``/dev/zero`` is refused
before it is opened, where reading it hung or ran out of memory: trial FUZZ33 M1, M2, L7).

A path that does not exist is left to its reader, which names the key and says what ``""`` means
(:func:`feeds.layout.missing_file`); the checks here only stat the path, never open it (a FIFO's open blocks).
"""

from __future__ import annotations

import errno
import json
import os
import stat
from pathlib import Path
from typing import Any

from vixhedge.core.config.base import ConfigError

#: the keys naming an input file, with what the file is (the fix's words)
INPUT_FILES = (("hedge.fomc.calendar_csv", "FOMC calendar CSV file"), ("hedge.fomc.ad_csv", "advance/decline CSV file"),
               ("hedge.events.calendar_csv", "calendar CSV file"))
_KINDS = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"))
SHOWN_CHARS = 200  # a path longer is shown by its first CUT_CHARS
CUT_CHARS = 60


def file_problem(path: str | os.PathLike, readable: bool = True) -> str:
    """Why ``path`` cannot be read as a file, in words that follow it (``"is a folder, not a file"``), or "" when it
    can or does not exist. Stats it only (``readable``: a file without read permission is a reason too). A data
    directory's files say the same with their own fix: :func:`feeds.loaders.fileerrors.not_a_file` (links too)."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return ""
    except OSError as exc:
        if exc.errno == errno.ENAMETOOLONG:
            return f"is too long a path ({len(os.fspath(path))} characters; a name holds at most 255 bytes)"
        if exc.errno in (errno.ENOTDIR, errno.ENOENT):  # a file where a folder of the path goes: does not exist
            return ""
        return f"cannot be reached ({exc.strerror or exc})"
    except ValueError:  # a NUL (a string key refuses it at load: vixhedge.core.config.base.check_text)
        return "holds a NUL character"
    if stat.S_ISDIR(st.st_mode):
        return "is a folder, not a file"
    if not stat.S_ISREG(st.st_mode):
        kind = next((words for test, words in _KINDS if test(st.st_mode)), "a special file")
        return f"is {kind}, not a regular file"
    if readable and not os.access(path, os.R_OK):
        return "is a file you may not read (no read permission)"
    return ""


def shown(path: str) -> str:
    """``path`` as an error line quotes it (TOML's quoting), its first :data:`CUT_CHARS` when it is longer than
    :data:`SHOWN_CHARS` (a name too long: trial FUZZ33's 300 characters)."""
    return json.dumps(path if len(path) <= SHOWN_CHARS else path[:CUT_CHARS] + "...")


def check_input_files(cfg: Any, where: str = "") -> None:
    """Raise ConfigError when a file key of ``cfg`` (:data:`INPUT_FILES`) names a path that is no readable regular
    file (:func:`file_problem`): ``hedge.events.calendar_csv = "/tmp" is a folder, not a file: give the calendar CSV
    file, or set it to ""``. Called before a run's market is built (feeds.market.market_for) and by a sweep's
    preflight (``where`` starts the line); a config loads whatever its paths hold (a run folder's report reads no
    calendar)."""
    for key, what in INPUT_FILES:
        section, table, leaf = key.split(".")
        value = getattr(getattr(getattr(cfg, section), table), leaf)
        if value and (why := file_problem(value)):
            relative = "" if Path(value).is_absolute() else " (taken relative to the current directory)"
            raise ConfigError(f"{where}{key} = {shown(value)}{relative} {why}: give the {what}, or set it to \"\"")
