"""Reading a config file, and the files a config names checked for what they are before any work.

:func:`read_toml` (with :func:`read_utf8`) reads a config file or a sweep spec: one line naming the file when it is
missing, a folder, not UTF-8 or not valid TOML, and, before it is opened, a FIFO or ``/dev/zero`` (reading them hung
or ran out of memory: trial FUZZ33 M2, L7; :func:`file_problem`). :func:`check_input_files` checks the calendar and
A/D keys: a folder, a FIFO, a device, a name too long or a file not readable is one line naming the key (FUZZ33 M1).

A path that does not exist is left to its reader, which names the key and says what ``""`` means
(:func:`feeds.layout.missing_file`); the checks here only stat the path, never open it (a FIFO's open blocks).
"""

from __future__ import annotations

import datetime as dt
import errno
import json
import os
import re
import stat
import tomllib
from pathlib import Path
from typing import Any

from vixhedge.core.config.base import NOT_A_DAY, ConfigError
from vixhedge.core.utf8 import NotUtf8, decode_utf8

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


def check_input_files(cfg: Any, where: str = "", grid: dict[str, Any] | None = None) -> None:
    """Raise ConfigError when a file key of ``cfg`` (:data:`INPUT_FILES`) names a path that is no readable regular
    file (:func:`file_problem`): ``hedge.events.calendar_csv = "/tmp" is a folder, not a file: give the calendar CSV
    file, or set it to ""``. Called before a run's market is built (feeds.market.market_for) and by a sweep's
    preflight (``where`` starts the line: ``[base] ``, and ``grid.`` for each value a sweep's ``grid`` gives a file
    key: a point's file was read, /dev/zero until memory ran out, before a point's own check, trial MUT33); a config
    loads whatever its paths hold (a run folder's report reads no calendar)."""
    for key, what in INPUT_FILES:
        section, table, leaf = key.split(".")
        value = getattr(getattr(getattr(cfg, section), table), leaf)
        _check_file(key, what, value, f"{where}[base] " if grid else where)
        for value in (grid or {}).get(key, []) if isinstance((grid or {}).get(key), list) else ():
            if isinstance(value, str):
                _check_file(key, what, value, f"{where}grid.")


def _check_file(key: str, what: str, value: str, where: str) -> None:
    if value and (why := file_problem(value)):
        relative = "" if Path(value).is_absolute() else " (taken relative to the current directory)"
        raise ConfigError(f"{where}{key} = {shown(value)}{relative} {why}: give the {what}, or set it to \"\"")


def read_utf8(path: str | Path, error: type[Exception] = ConfigError) -> str:
    """Return the text of a UTF-8 file, a leading byte-order mark (as some Windows editors write) dropped.

    Raises
    ------
    error
        One line naming the file, the encoding problem and the fix ("save it as UTF-8") when the bytes are
        not UTF-8 (UTF-16 as Windows Notepad's "Unicode", Latin-1, ...: :func:`vixhedge.core.utf8.decode_utf8`).
        A missing file raises FileNotFoundError for the caller to name.
    """
    try:
        return decode_utf8(Path(path).read_bytes())
    except NotUtf8 as exc:
        raise error(f"{path}: {exc}") from None


def read_toml(path: str | Path, what: str = "config file") -> dict[str, Any]:
    """Return the table of a UTF-8 TOML file (a byte-order mark accepted), or raise ConfigError naming the file.

    ``what`` names the file in the missing-file line: ``read_toml(path, "sweep spec")`` says
    ``sweep spec 'x.toml' does not exist: check the path``. A file that is not UTF-8 or not valid TOML
    gets one line naming the file, the problem and the fix.
    """
    path = Path(path)
    if why := file_problem(path, readable=False):  # a folder; a FIFO or /dev/zero before it is opened (FUZZ33 M2)
        raise ConfigError(f"{what} {str(path)!r} {why}: give a .toml file")
    try:
        text = read_utf8(path)
    except FileNotFoundError:
        raise ConfigError(f"{what} {str(path)!r} does not exist: check the path") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(no_such_day(path, text, str(exc))
                          or f"{path}: not valid TOML ({exc}): fix the syntax at that line") from None


def no_such_day(path: Path, text: str, error: str) -> str:
    """The line of a TOML file tomllib refused (``error``: "... (at line 3, column 11)") where that line holds a date
    written YYYY-MM-DD that is no day of the calendar (``end = 2016-13-01``): the file, line, key and value in
    --start's words (trial TASK42 L5: tomllib's "Expected newline ..." read as a syntax error); "" otherwise."""
    at = re.search(r"\(at line (\d+), column \d+\)$", error)
    lines = text.splitlines()
    if not at or not 0 < int(at.group(1)) <= len(lines):
        return ""
    n = int(at.group(1))
    for m in re.finditer(r"(?:([\w\"'.-]+)\s*=\s*)?\b(\d{4}-\d{2}-\d{2})(?![\d-])", lines[n - 1]):
        try:
            dt.date.fromisoformat(m.group(2))
        except ValueError:
            table = next((h.group(1).strip() + "." for line in reversed(lines[:n - 1])
                          if (h := re.match(r"\s*\[+([^\]]+)\]+", line))), "")
            outer = re.match(r"\s*([\w\"'.-]+)\s*=\s*[{[]", lines[n - 1])
            key = table + (outer.group(1) + "." if outer else "") + (m.group(1) or "")
            return f"{path}: line {n}: {key.rstrip('.') + ' = ' if key else ''}{m.group(2)} {NOT_A_DAY}"
    return ""
