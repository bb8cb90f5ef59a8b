"""The whole :class:`Config`, and reading, checking and replacing it (TOML); writing it is :mod:`.write`."""

from __future__ import annotations

import contextvars
import dataclasses
import datetime as dt
import enum
import functools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, get_args, get_origin, get_type_hints

from vixhedge.core.config.base import ConfigError, UNBOUNDED_OK, check_text, plain, toml_echo
from vixhedge.core.config.market import MarketConfig
from vixhedge.core.config.book import AnalysisConfig, CondorConfig, ExecutionConfig, MarginConfig, RunConfig
from vixhedge.core.config.hedge import HedgeConfig, check_hedge_needs_condor
from vixhedge.core.config.paths import read_toml, read_utf8  # reading a file: .paths (re-exported)
from vixhedge.core.config.write import to_dict, to_toml  # writing: .write (re-exported)

# to_dict and to_toml are .write's, read_toml and read_utf8 .paths', re-exported
__all__ = ["Config", "from_dict", "load", "default_path", "load_default", "preset_path", "load_preset", "replace",
           "read_toml", "read_utf8", "check_value_type", "close_key", "PRESETS", "to_dict", "to_toml"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Config:
    """A whole run's configuration, a frozen table per TOML section: ``run`` (name, window, cash, seed), ``market``
    (data source, models), ``execution`` (fills, fees), ``condor``, ``hedge`` (policy, instrument, layers, signals),
    ``analysis`` and ``margin``. Built by :func:`vixhedge.api.load_default_config`, ``load_config(path)``,
    ``load_preset_config(name)`` or ``from_dict(table)``; changed by ``replace_config(cfg, hedge={...})`` (checked
    again); ``to_toml(cfg)`` is its config.toml, which a run id hashes. Every key: README "Config reference"."""

    run: RunConfig = field(default_factory=RunConfig)
    market: MarketConfig = field(default_factory=MarketConfig)
    execution: ExecutionConfig = field(default_factory=ExecutionConfig)
    condor: CondorConfig = field(default_factory=CondorConfig)
    hedge: HedgeConfig = field(default_factory=HedgeConfig)
    analysis: AnalysisConfig = field(default_factory=AnalysisConfig)
    margin: MarginConfig = field(default_factory=MarginConfig)

    def __post_init__(self) -> None:
        if not _REPLACING.get():  # replace() checks the values it changes; the rest were checked already
            _check_finite(self, "")
        check_hedge_needs_condor(self.hedge, self.condor.enabled)  # across two sections


_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_REPLACING = contextvars.ContextVar("config_replacing", default=False)


def _check_finite(obj: Any, prefix: str) -> None:
    """Raise ConfigError for a NaN or infinite number anywhere in ``obj`` (inf only where it means no cap)."""
    for key in obj.__dataclass_fields__:
        _check_value(getattr(obj, key), f"{prefix}{key}")


def _check_value(value: Any, name: str) -> None:
    """:func:`_check_finite` of one field's value (a table, a number or a tuple of numbers)."""
    if hasattr(value, "__dataclass_fields__"):
        _check_finite(value, f"{name}.")
    elif isinstance(value, float) and value - value != 0.0:  # NaN or +-inf
        _finite_error(name, value)
    elif isinstance(value, tuple):
        for k, v in enumerate(value):
            if isinstance(v, float) and v - v != 0.0:
                _finite_error(f"{name}[{k}]", v)


def _finite_error(name: str, value: float) -> None:
    if value == math.inf and name in UNBOUNDED_OK:
        return
    raise ConfigError(f"{name} = {value!r} is invalid: use a finite number (inf means no cap only for "
                      + ", ".join(sorted(UNBOUNDED_OK)) + ")")


INT64 = (-2**63, 2**63 - 1)  # TOML 1.0's integers: a reader must refuse one beyond them (config.toml is read again)


def check_int64(value: int, name: str) -> int:
    """Return ``value`` unless it lies beyond a 64-bit integer, which TOML 1.0 readers refuse: ConfigError naming it."""
    if not INT64[0] <= value <= INT64[1]:
        raise ConfigError(f"{name} = {_big(value)} is invalid: use a whole number within 64 bits "
                          f"({INT64[0]:,}..{INT64[1]:,}; TOML readers refuse larger ones)")
    return value


def _big(value: int) -> str:
    """A huge integer as an error line shows it: its digits up to 39 of them, else their count."""
    if value.bit_length() <= 128:
        return str(value)
    return f"{'-' * (value < 0)}an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"


def _coerce(value: Any, typ: Any, name: str) -> Any:
    """Turn a TOML value (a numpy scalar as the Python value it holds) into ``typ`` or raise ConfigError naming it."""
    value = plain(value)
    if dataclasses.is_dataclass(typ):
        if not isinstance(value, dict):
            raise ConfigError(f"{name} = {toml_echo(value)} is invalid: expected a [{name}] table")
        return _build(typ, value, name)
    if isinstance(typ, type) and issubclass(typ, enum.Enum):
        allowed = [m.value for m in typ]
        if value not in allowed:
            raise ConfigError(f"{name} = {toml_echo(value)} is invalid: use one of {allowed}")
        return typ(value)
    if typ is dt.date:
        if isinstance(value, dt.datetime):  # a time of day was dropped without a word: refused (trial FUZZ33 L1)
            if value.time() == dt.time() and value.tzinfo is None:  # a date as a datetime (pd.Timestamp in a notebook)
                return value.date()
            raise ConfigError(f"{name} = {value.isoformat()}: give a date (YYYY-MM-DD), not a date and time")
        if isinstance(value, dt.date):
            return value
        if isinstance(value, str):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        if isinstance(value, str) and _ISO_DAY.fullmatch(value):
            raise ConfigError(f"{name} = {toml_echo(value)} is not a calendar date (YYYY-MM-DD, but no such day): "
                              "check the month and day")
        raise ConfigError(f"{name} = {toml_echo(value)} is invalid: write a date as YYYY-MM-DD")
    if typ is bool:
        if not isinstance(value, bool):
            raise ConfigError(f"{name} = {toml_echo(value)} is invalid: use true or false")
        return value
    if typ is int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{name} = {toml_echo(value)} is invalid: use a whole number")
        return check_int64(value, name)
    if typ is float:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(f"{name} = {toml_echo(value)} is invalid: use a number")
        if isinstance(value, int) and value.bit_length() > 1023:  # float() raised OverflowError: exit 3 (trial CF21)
            raise ConfigError(f"{name} = {_big(value)} is invalid: use a finite number")
        if not math.isfinite(value) and not (value == math.inf and name in UNBOUNDED_OK):
            allowed = " (inf means no cap only for " + ", ".join(sorted(UNBOUNDED_OK)) + ")"
            raise ConfigError(f"{name} = {toml_echo(value)} is invalid: use a finite number{allowed}")
        return float(value)
    if typ is str:
        if callable(value) and not isinstance(value, str):  # a plug-in passed where its name goes (replace_config)
            raise ConfigError(_callable_error(name, value))
        if not isinstance(value, str):
            raise ConfigError(f"{name} = {toml_echo(value)} is invalid: use a string")
        return check_text(name, value)
    if get_origin(typ) is dict:  # a plug-in's own table: scalars and lists, checked by the plug-in's params class
        value = {k: plain(v) for k, v in value.items()} if isinstance(value, dict) else value
        if not isinstance(value, dict) or not all(isinstance(v, (str, int, float, bool, list, tuple))
                                                  for v in value.values()):
            raise ConfigError(f"{name} = {toml_echo(value)} is invalid: expected a [{name}] table of numbers, strings, "
                              "booleans or lists")
        return _table(value, name)  # (written to config.toml too)
    if get_origin(typ) is tuple:
        args = get_args(typ)
        if len(args) == 2 and args[1] is Ellipsis:  # a list of any length: plug-in names, or numbers
            if not isinstance(value, (list, tuple)):  # a TOML array; a tuple from Python (the field's own type)
                example = '["module:callable"]' if args[0] is str else "[0.05, -0.02]"
                raise ConfigError(f"{name} = {toml_echo(value)} is invalid: use a list, e.g. {example}")
            return tuple(_coerce(v, args[0], f"{name}[{i}]") for i, v in enumerate(value))
        if not isinstance(value, (list, tuple)) or len(value) != len(args):
            raise ConfigError(f"{name} = {toml_echo(value)} is invalid: use a list of {len(args)} numbers")
        return tuple(_coerce(v, a, f"{name}[{i}]") for i, (v, a) in enumerate(zip(value, args)))
    raise TypeError(f"unsupported config type {typ!r} for {name}")  # programming error


def _table(table: dict, name: str, root: str = "") -> dict[str, Any]:
    """A plug-in's table ``name`` (or, under ``root``, an inline table in one of its lists) as config.toml writes it
    and reads it back: string keys; numbers (within 64 bits), strings (no control character), booleans, and lists
    of them (an inline table in a list too), a numpy scalar as the value it holds; anything else is one ConfigError
    line naming it (trial FUZZ40 M7: ``xs = [None]`` and ``[b"x"]`` were taken and written ``["None"]``, ``["b'x'"]``;
    an ``np.int64`` in a list ``"3"``)."""
    root = root or name

    def value(x: Any, where: str) -> Any:
        x = plain(x)
        if isinstance(x, (list, tuple)):
            return [value(y, f"{where}[{i}]") for i, y in enumerate(x)]
        if isinstance(x, dict):  # an inline table in a list
            return _table(x, where, root)
        if isinstance(x, int) and not isinstance(x, bool):
            return check_int64(x, where)
        if isinstance(x, str):
            return check_text(where, x)
        if not isinstance(x, (bool, float)):
            raise ConfigError(f"{where} = {toml_echo(x)} is invalid: expected a number, string, boolean or list (a "
                              f"[{root}] value: config.toml holds no other)")
        return x

    if bad := [k for k in table if not isinstance(k, str)]:
        raise ConfigError(f"{name} = {toml_echo(table)} is invalid: its key {bad[0]!r} is not a string (a [{root}] "
                          "key is one, e.g. 'window')")
    return {k: value(x, f"{name}.{k}") for k, x in table.items()}


def _callable_error(name: str, value: Any) -> str:
    """The line of a callable given where a plug-in's name goes: its ``'module:callable'`` name to give instead."""
    module, qualname = getattr(value, "__module__", None), getattr(value, "__qualname__", None)
    shown = f"{module}.{qualname}" if module and qualname else type(value).__name__
    if module and qualname and module != "__main__" and "<" not in qualname:
        fix = f"give its name '{module}:{qualname}'"
    else:  # a notebook's or the REPL's own, a lambda or a local function: no name a replay could import
        short = getattr(value, "__name__", "")
        fix = "put it in a module file on PYTHONPATH (e.g. my_plugins.py) and give its name 'my_plugins:" + \
              f"{short if short.isidentifier() else 'my_function'}'"
    return (f"{name} = <{type(value).__name__} {shown}> is invalid: a config names a plug-in as 'module:callable' "
            f"(a string), it does not hold the function: {fix}")


@functools.lru_cache(maxsize=None)
def _fields(cls: type) -> tuple[dict[str, Any], list[str]]:
    """Return the type hints and field names of a config class (resolved once: a sweep builds many)."""
    return get_type_hints(cls), [f.name for f in dataclasses.fields(cls)]


def check_value_type(key: str, value: Any, name: str) -> Any:
    """Raise ConfigError when ``value`` cannot be setting ``key`` (a dotted key of :class:`Config`) for its type
    alone (an enum key's: one of its values, a closed vocabulary), naming it ``name``; a key under a plug-in's own
    table (no dataclass to read) is not checked here. Return the value as the config holds it (``3``: ``3.0``)."""
    if key in UNBOUNDED_OK and plain(value) == math.inf:  # no cap (``name`` may carry a prefix: the sweep's "grid.")
        return value
    typ: Any = Config
    for part in key.split("."):
        if not dataclasses.is_dataclass(typ):
            return value
        typ = _fields(typ)[0][part]
    if isinstance(typ, type) and issubclass(typ, enum.Enum):  # a closed vocabulary: a string first, then one of it
        _coerce(value, str, name)
    return _coerce(value, typ, name)


def _unknown(cls: type, table: dict[str, Any], prefix: str) -> list[tuple[str, list[str]]]:
    """Return (dotted key, the keys its table knows) of every unknown key in ``table`` and its sub-tables."""
    hints, known = _fields(cls)
    found = []
    for key, value in table.items():
        where = f"{prefix}.{key}" if prefix else key
        if key not in known:
            found.append((where, known))
        elif dataclasses.is_dataclass(hints[key]) and isinstance(value, dict):
            found += _unknown(hints[key], value, where)
    return found


def close_key(name: str, known: Iterable[str]) -> list[str]:
    """Return ``[the known key closest to name]`` when one is close (a typo), else ``[]``: the hint of an unknown
    key in a run config, and in a sweep spec (``vixhedge.sweep_spec``)."""
    import difflib

    return difflib.get_close_matches(name, sorted(known), n=1)


def _unknown_error(found: list[tuple[str, list[str]]]) -> ConfigError:
    """One line naming every unknown key, with the closest known key of its table where one is close."""

    def hint(where: str, known: list[str]) -> str:  # the dotted key, as --set and a sweep grid take it (trial MG)
        table, _, leaf = where.rpartition(".")
        close = close_key(leaf, known)
        return f"did you mean {(f'{table}.' if table else '') + close[0]!r}?" if close else ""

    if len(found) == 1:
        (where, known), = found
        return ConfigError(f"unknown key {where!r}: {hint(where, known) or f'remove it or use one of {known}'}")
    names = ", ".join(f"{w!r}" + (f" ({h})" if (h := hint(w, k)) else "") for w, k in found)
    return ConfigError(f"unknown keys {names}: rename or remove them (vixhedge run --print-config lists every key)")


def _build(cls: type, table: dict[str, Any], prefix: str) -> Any:
    hints, known = _fields(cls)
    if any(key not in known for key in table):
        raise _unknown_error(_unknown(cls, table, prefix))
    kwargs = {k: _coerce(v, hints[k], f"{prefix}.{k}" if prefix else k) for k, v in table.items()}
    try:
        return cls(**kwargs)
    except ConfigError:
        raise
    except TypeError as exc:  # pragma: no cover - dataclass signature errors
        raise ConfigError(f"[{prefix}]: {exc}") from exc


def from_dict(table: dict[str, Any]) -> Config:
    """Return a validated :class:`Config` from a nested dict (as parsed from TOML)."""
    found = _unknown(Config, table, "")  # every unknown key at once, before any value is checked
    if found and {"grid", "base"} & set(table):  # a sweep spec given to a run (sweep_spec says the reverse)
        raise ConfigError(f"unknown keys {', '.join(repr(k) for k, _ in found)}: it looks like a sweep spec ([base], "
                          "[grid]): run it with `vixhedge sweep FILE`, or give a run config")
    if found:
        raise _unknown_error(found)
    return _build(Config, _stated_rate_is_the_basis(table), "")


def _stated_rate_is_the_basis(table: dict[str, Any]) -> dict[str, Any]:
    """Return ``table`` with ``analysis.risk_free = "constant"`` where it states ``analysis.risk_free_rate`` without
    a basis: that rate is what it means, as in every config and run folder written before the cash basis."""
    analysis = table.get("analysis")
    if not isinstance(analysis, dict) or "risk_free_rate" not in analysis or "risk_free" in analysis:
        return table
    return {**table, "analysis": {**analysis, "risk_free": "constant"}}


def load(path: str | Path, what: str = "config file") -> Config:
    """Load and validate a TOML config file; raise ConfigError naming file and field (``what``: how a missing file or a
    folder is named, :func:`read_toml`)."""
    path = Path(path)
    table = read_toml(path, what)
    try:
        return from_dict(table)
    except ConfigError as exc:
        raise ConfigError(f"{path}: {exc}") from None


def default_path() -> Path:
    """Return the path of the packaged default config."""
    return Path(str(resources.files("vixhedge") / "configs" / "default.toml"))


def load_default() -> Config:
    """Load the packaged default config."""
    return load(default_path())

PRESETS = ("default", "steward", "promoter", "cndr", "vxth")
#: what each preset is, in a few words (--help; each file's opening comment says it whole: trial HELP23)
PRESET_WORDS = {"default": "the methodology's MACD-layered VX hedge", "steward": "layers only on confirmed crossovers",
                "promoter": "front-runs crossovers, larger steps", "cndr": "the condor alone, Cboe's CNDR index rules",
                "vxth": "Cboe's VIX Tail Hedge (VXTH) calls as the hedge"}


def preset_path(name: str) -> Path:
    """Return the path of a packaged preset (``vixhedge/configs/<name>.toml``)."""
    if name not in PRESETS:
        raise ConfigError(f"preset {name!r} does not exist: use one of {list(PRESETS)}")
    return Path(str(resources.files("vixhedge") / "configs" / f"{name}.toml"))


def load_preset(name: str) -> Config:
    """Load a packaged preset: ``load_preset("steward")``."""
    return load(preset_path(name))


def replace(cfg: Config, **sections: dict[str, Any]) -> Config:
    """Return ``cfg`` with some section fields replaced, validated again.

    ``replace(cfg, hedge={"mode": "none"})``. Only the tables named are rebuilt (and checked again); the others
    are kept as they are, so a sweep point costs what it changes. A plug-in's own table (``hedge.policy_params``,
    ``condor.selector_params``) is merged into under the same plug-in, cleared by ``{}``, and replaced (by the
    table given, or none) when the plug-in it belongs to changes.
    """
    known = [f.name for f in dataclasses.fields(cfg)]
    for section in sections:
        if section not in known:
            raise ConfigError(f"unknown section {section!r}: use one of {known}")
    token = _REPLACING.set(True)  # the whole-config check would walk every table again (~0.1 ms a sweep point)
    try:
        return _replace_in(cfg, sections, "")
    finally:
        _REPLACING.reset(token)


def _replace_in(obj: Any, values: dict[str, Any], prefix: str) -> Any:
    hints, known = _fields(type(obj))
    if any(key not in known for key in values):
        raise _unknown_error(_unknown(type(obj), values, prefix))
    changes, new_plugin = {}, _new_plugin_tables(obj, values)
    for key in (k for k in known if k in values or k in new_plugin):  # in field order, as a whole load checks them
        value, where, current = values.get(key, {}), f"{prefix}.{key}" if prefix else key, getattr(obj, key)
        if isinstance(value, dict) and dataclasses.is_dataclass(current):
            changes[key] = _replace_in(current, value, where)
        elif isinstance(value, dict) and isinstance(current, dict):  # a plug-in's own table
            # merged into, under the same plug-in; {} clears it; a new plug-in gets the table given, or none
            changes[key] = _coerce(value if key in new_plugin or not value else {**current, **value}, hints[key], where)
        else:
            changes[key] = _coerce(value, hints[key], where)
            _check_value(changes[key], where)
    try:
        return dataclasses.replace(obj, **changes)
    except ConfigError:
        raise
    except TypeError as exc:  # pragma: no cover - dataclass signature errors
        raise ConfigError(f"[{prefix}]: {exc}") from exc


def _new_plugin_tables(obj: Any, values: dict[str, Any]) -> set[str]:
    """Return the plug-in tables of ``obj`` (fields whose metadata ``params_of`` names the field naming their plug-in,
    e.g. ``hedge.policy_params`` of ``hedge.policy``) whose plug-in ``values`` changes: replaced, never merged."""
    return {f.name for f in dataclasses.fields(obj) if (owner := f.metadata.get("params_of"))
            and owner in values and values[owner] != getattr(obj, owner)}
