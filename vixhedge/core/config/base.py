"""Shared pieces of the configuration: the error type and the one-line check every section uses."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Any

# The engines that can drive a run (vixhedge.run): not a config key, since their results are identical.
ENGINES = ("backtrader", "fast")
DEFAULT_ENGINE = "fast"  # `--engine`'s default (vixhedge.cli); a run folder's replay command names any other
# compare's paired CI methods (vixhedge.bootstrap.CI_METHODS, `--ci-method`'s choices): here, so the CLI's parser
# names them without importing numpy
CI_METHODS = ("percentile", "bca")

# the exchange calendar's range (feeds.sessions.SUPPORTED_START / SUPPORTED_END): a date outside it is no session
CALENDAR_RANGE = (dt.date(1990, 1, 1), dt.date(2035, 12, 31))
IN_CALENDAR = "use a date in 1990-01-01..2035-12-31 (the exchange calendar's range)"
# a date written YYYY-MM-DD that is no day of the calendar (2020-13-01): --start's words and a TOML file's (TASK42 L5)
NOT_A_DAY = "is not a calendar date (YYYY-MM-DD, but no such day): check the month and day"

UNBOUNDED_OK = frozenset({"hedge.max_notional_usd", "hedge.premium_budget_usd"})  # inf = no cap; else finite


class ConfigError(ValueError):
    """A configuration value is missing, unknown or impossible."""


def is_safe_name(name: str) -> bool:
    """Return whether ``name`` may name a folder under runs/ (letters, digits, '-', '_', '.'; not '.' or '..')."""
    return bool(name) and all(c.isalnum() or c in "-_." for c in name) and name.strip(".") != ""


MAX_NAME_CHARS = 100  # run.name, sweep.name: a folder's name (with its -<hash8> suffix) stays far below 255 bytes


def check_name_length(key: str, name: str, where: str = "") -> None:
    """Raise ConfigError when ``name`` (of ``key``) is too long to name a folder; ``where`` prefixes the message."""
    if len(name) > MAX_NAME_CHARS:
        raise ConfigError(f"{where}{key} = {name[:16]!r}... is {len(name)} characters long: shorten it to "
                          f"{MAX_NAME_CHARS} or fewer (it names the output folder)")


def toml_echo(value: Any) -> str:
    """Return ``value`` as an error echoes it: a boolean spelled as TOML writes it (``true``, not Python's ``True``),
    in a list too; anything else as ``repr``, on one line."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_echo(v) for v in value) + "]"
    text = repr(value)
    if "\n" in text:  # a pandas Series' or an array's repr spans lines (a string's repr never does): one line, cut
        text = " ".join(text.split())
        text = text if len(text) <= ECHO_MAX else text[:ECHO_MAX] + "..."
    return text


ECHO_MAX = 80  # characters of a multi-line repr an error echoes


def plain(value: Any) -> Any:
    """Return a numpy scalar (``np.int64(3)``, ``np.float64``, ``np.bool_``, ``np.str_``) as the Python value it holds,
    anything else as it is: a config set from a notebook's arrays takes them where Python's ints, floats, bools and
    strings are taken (without importing numpy: a numpy scalar is known by its module and ``item``)."""
    kind = type(value)
    if kind.__module__ == "numpy" and hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        return value.item()
    return value


def check(ok: bool, name: str, value: Any, fix: str) -> None:
    """Unless ``ok``, raise ConfigError ``NAME = VALUE is invalid: FIX`` (the key, its value as TOML, the fix)."""
    if not ok:
        raise ConfigError(f"{name} = {toml_echo(value)} is invalid: {fix}")


CONTROL = re.compile("[\x00-\x1f\x7f]")  # U+0000..U+001F and U+007F: no string key holds one


def check_text(name: str, value: str) -> str:
    """Return ``value`` (a string key's) unless it holds a control character (a NUL, line break, tab, ...: no
    name, path, column or plug-in holds one; a NUL in a path was an internal error, a line break in a column name
    a config.toml its own reader refused: trial FUZZ33 H1, H2): ConfigError naming the key, the value (escaped)."""
    if CONTROL.search(value):
        raise ConfigError(f"{name} = {value!r} is invalid: a config string holds no control character (a NUL, line "
                          "break, tab, ...: U+0000..U+001F, U+007F): remove it")
    return value


def check_seed(key: str, seed: int) -> None:
    """Raise ConfigError unless ``seed`` (of ``key``) is a seed numpy's random generators take: 0 or more."""
    check(seed >= 0, key, seed, "use a whole number 0 or more (numpy's random generators take no negative seed), "
          "e.g. 7")


def fast_pickle(cls: type) -> type:
    """Give a frozen slots dataclass a pickled state of its field values in order, as dataclasses' own
    ``__getstate__`` does, without looking the fields up on every call (about 5x cheaper each way): a sweep
    sends thousands of configs to its workers (``tests/vixhedge/test_config_pickle.py``)."""
    names = tuple(f.name for f in dataclasses.fields(cls))
    setters = tuple(getattr(cls, n).__set__ for n in names)  # the slots' own descriptors: frozen or not

    def __getstate__(self) -> tuple:
        return tuple(map(self.__getattribute__, names))

    def __setstate__(self, state: tuple) -> None:
        for put, value in zip(setters, state):
            put(self, value)

    cls.__getstate__, cls.__setstate__ = __getstate__, __setstate__
    return cls
