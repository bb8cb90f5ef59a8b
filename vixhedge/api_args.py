"""What the notebook API (:mod:`vixhedge.api`) checks of its arguments before any work: one line each, never a
traceback from deep inside a run.

* a config that is not a :class:`~vixhedge.core.config.Config` (a preset's name, a dict) and a market that is not a
  :class:`~feeds.market.Market` (``market="embedded"``): :class:`ArgumentError`, naming what to pass instead;
* a market built from another ``[market]`` than the config's (:func:`check_market`): the run would silently ignore
  ``cfg.market`` and its folder would record a config it did not run;
* a callback that is not callable (``on_day=123``), a ``[market]`` table that is not one (``build_market(cfg)``), a
  config path that is no file, a runs folder that cannot be written, ``parquet=True`` without pyarrow
  (:func:`checked_callable`, :func:`checked_market_config`, :func:`checked_config_path`, :func:`checked_runs_dir`):
  one ArgumentError line each, before any work;
* ``market.data_dir`` is made absolute (a relative one from the current directory) and resolved
  (:func:`absolute_data_dir`), as the command line does, so a config gets the same run id from Python and from
  ``vixhedge run``, whatever the spelling of its folder.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from vixhedge.core import config as C
from vixhedge.core.config.unread import differing


class ArgumentError(C.ConfigError, TypeError):
    """An argument of the wrong type given to a :mod:`vixhedge.api` function (a ConfigError and a TypeError)."""


def _shown(value: Any, limit: int = 60) -> str:
    text = " ".join(repr(value).split())  # one line: a DataFrame's or a Series' repr spans several
    return text if len(text) <= limit else text[:limit] + "..."


def a_type(value: Any) -> str:
    """``value``'s type name with its article, by the name's first letter: "a dict", "an int"."""
    name = type(value).__name__
    return f"{'an' if name[:1].lower() in 'aeiou' else 'a'} {name}"


def checked_config(cfg: Any, where: str, absolute: bool = True) -> C.Config:
    """Return ``cfg`` (its ``market.data_dir`` made absolute, unless not ``absolute``) when it is a Config; else raise
    one ArgumentError line."""
    if isinstance(cfg, C.Config):
        return absolute_data_dir(cfg) if absolute else cfg
    if isinstance(cfg, str):
        hint = (f"load_preset_config({cfg!r})" if cfg in C.PRESETS else f"load_config({cfg!r})" if cfg.endswith(".toml")
                else "load_default_config(), load_preset_config(name) or load_config(path)")
    elif isinstance(cfg, dict):
        hint = "from_dict(table) (a table as parsed from TOML), or replace_config(load_default_config(), **table)"
    else:
        hint = "load_default_config(), load_preset_config(name), load_config(path) or from_dict(table)"
    raise ArgumentError(f"{where}: cfg = {_shown(cfg)} is {a_type(cfg)}, not a Config: pass {hint} "
                        "(all in vixhedge.api)")


def absolute_data_dir(cfg: C.Config) -> C.Config:
    """Return ``cfg`` with its ``market.data_dir`` made absolute and resolved (a relative one taken from the current
    directory, as the run reads it; symlinks and ``..`` resolved, as the loader, replay and a sweep resolve it), so the
    config.toml a run folder keeps replays the same data from any folder, every spelling of one folder gives one run
    id (trial DET32: an absolute symlink and ``DIR/../data`` gave two more) and the run id is the one ``vixhedge
    run`` gives the same config."""
    market = absolute_market(cfg.market)
    return cfg if market is cfg.market else C.replace(cfg, market={"data_dir": market.data_dir})


def absolute_market(market: C.MarketConfig) -> C.MarketConfig:
    """:func:`absolute_data_dir` of a ``[market]`` table alone."""
    if market.source is not C.MarketSource.DIRECTORY or not market.data_dir:
        return market
    resolved = str(Path(market.data_dir).resolve())
    return market if resolved == market.data_dir else dataclasses.replace(market, data_dir=resolved)


def check_market(cfg: C.Config, market: Any, where: str) -> None:
    """Raise one line when ``market`` (None: the run builds it) is not a Market, or was built from a ``[market]`` that
    is not ``cfg.market``: the run would ignore ``cfg.market`` and its folder record a market it did not run on."""
    if market is None:
        return
    from feeds.market import Market

    if not isinstance(market, Market):
        raise ArgumentError(f"{where}: market = {_shown(market)} is {a_type(market)}, not a Market: pass "
                            "build_market(cfg.market), or no market (the run builds it from cfg.market); to change "
                            "the source, replace_config(cfg, market={\"source\": ...})")
    built, wanted = absolute_market(market.cfg), absolute_market(cfg.market)
    if built != wanted:
        fields = differing(built, wanted, "market")
        shown = ", ".join(f"{k} = {_shown(_get(wanted, k))} (the market's: {_shown(_get(built, k))})" for k in fields[:4])
        more = f" and {len(fields) - 4} more" if len(fields) > 4 else ""
        raise C.ConfigError(f"{where}: the market passed was built from another [market] than the config's: {shown}"
                            f"{more}; the run would ignore cfg.market: pass build_market(cfg.market), or no market")


def _get(table: Any, dotted: str) -> Any:
    value = table
    for part in dotted.split(".")[1:]:
        value = getattr(value, part)
    return getattr(value, "value", value)  # an enum as its TOML string


def checked_modes(modes: Any, where: str, named: str | None = None, variants: tuple[str, ...] = ()) -> tuple[str, ...]:
    """Return compare's ``modes`` as a tuple of names: a comma-separated string (as ``--modes``) is split; anything
    but strings is one ArgumentError line, fewer than two or a repeated one, or a name neither a built-in mode nor a
    plug-in policy that loads, one ConfigError line naming ``modes`` (``named``: how the line names them, the
    command's ``--modes '...'``); ``variants``: compare's config variants, modes too."""
    given = modes
    if isinstance(modes, str):
        modes = [m.strip() for m in modes.split(",")]
    if not isinstance(modes, (list, tuple)) or not all(isinstance(m, str) for m in modes):
        raise ArgumentError(f"{where}: modes = {_shown(modes)} is invalid: give hedge modes or plug-in policies as a "
                            "tuple of strings, e.g. (\"none\", \"static\", \"alvh\"), or one comma-separated string")
    from strategies.policies import resolve
    from vixhedge.plugins import PluginError

    allowed = [m.value for m in C.HedgeMode]
    named = named or f"{where}: modes = {_shown(given)}"
    if "" in (m.strip() for m in modes) and len(modes) > 1:  # none,,alvh ran none and alvh (trial CF21)
        raise C.ConfigError(f"{named} is invalid: it holds an empty mode: remove the extra comma, e.g. "
                            "none,static,alvh")
    if len(set(modes)) != len(modes) or len(modes) < 2:  # one mode compares nothing; a repeated one ran once
        raise C.ConfigError(f"{named} is invalid: give two or more distinct modes of {allowed} or plug-in policies "
                            "('module:callable'), comma-separated")
    for m in modes:  # worded by the argument, as --modes is on the command line (not as the hedge.policy it becomes)
        try:
            m in allowed or m in variants or resolve(m)
        except PluginError as exc:
            raise C.ConfigError(f"{named} is invalid: {m} is not a mode of {allowed} nor a "
                                f"plug-in policy that loads ({exc})") from None
    runs = [m.replace(":", "-") for m in modes]  # each mode's run is named so (compare.mode_configs)
    if len(set(runs)) < len(runs):  # a variant named like a plug-in mode's run (review 14): one folder read for both
        raise C.ConfigError(f"{named} is invalid: {', '.join(m for m in modes if runs.count(m.replace(':', '-')) > 1)}"
                            " would name their runs alike: rename the variant")
    return tuple(modes)


def checked_folder(path: Any, name: str, where: str, example: str = "runs") -> Path:
    """Return ``path`` as a Path (a str accepted); anything else is one ArgumentError line naming ``name``."""
    if isinstance(path, (str, Path)) and str(path):
        return Path(path)
    raise ArgumentError(f"{where}: {name} = {_shown(path)} is invalid: give a folder as a str or pathlib.Path, "
                        f"e.g. \"{example}\"")


def checked_file(path: Any, name: str, where: str, example: str) -> Path:
    """Return ``path`` as a Path (a str accepted); anything else is one ArgumentError line naming ``name`` and a file
    to give (``example``), not a folder."""
    if isinstance(path, (str, Path)) and str(path):
        return Path(path)
    raise ArgumentError(f"{where}: {name} = {_shown(path)} is invalid: give the file's path as a str or "
                        f"pathlib.Path, e.g. \"{example}\"")


def checked_callable(value: Any, name: str, where: str) -> Any:
    """Return ``value`` when it is None or callable; else one ArgumentError line naming ``name`` (checked before the
    run starts: ``on_day=123`` raised a TypeError after the first day's work)."""
    import inspect

    if value is None:
        return value
    if callable(value):
        try:
            inspect.signature(value).bind()
        except TypeError as exc:  # it needs arguments (trial API22: raised from inside the day loop)
            raise ArgumentError(f"{where}: {name} = {_shown(value)} cannot be called without arguments ({exc}): "
                                "pass a function of no arguments (e.g. a progress bar's update), or None") from None
        except ValueError:  # no signature to read (some built-ins): taken as it is
            pass
        return value
    raise ArgumentError(f"{where}: {name} = {_shown(value)} is {a_type(value)}, not a callable: pass a function "
                        "of no arguments (e.g. a progress bar's update), or None")


def checked_market_config(cfg: Any, where: str) -> C.MarketConfig:
    """Return ``cfg`` when it is a ``[market]`` table (:class:`~vixhedge.core.config.MarketConfig`); a whole Config
    or anything else is one ArgumentError line saying what to pass."""
    if isinstance(cfg, C.MarketConfig):
        return cfg
    whole = isinstance(cfg, C.Config)  # (its repr is hundreds of characters: not shown)
    given = "cfg is a Config" if whole else f"cfg = {_shown(cfg)} is {a_type(cfg)}"
    hint = "cfg.market, the config's [market] table" if whole else \
        "the [market] table of a Config, e.g. load_default_config().market"
    raise ArgumentError(f"{where}: {given}, not a [market] table (MarketConfig): pass {hint}")


def checked_config_path(path: Any, where: str) -> Path:
    """Return ``path`` (a str or Path) of a config file; None, a blank string or a folder is one ArgumentError line."""
    file = checked_file(path, "path", where, "my.toml")
    if file.is_dir():
        raise ArgumentError(f"{where}: path = {str(path)!r} is a folder, not a config file: give a .toml "
                            "file's path, e.g. \"my.toml\" (vixhedge run --print-config writes the default one)")
    return file


def checked_runs_dir(path: Any, parquet: Any, where: str) -> Path:
    """Return ``path`` (``runs_dir``) as a Path when a run folder can be written in it and ``parquet`` can be
    written; else one ArgumentError line before any work: a file there, a place that cannot be created or written
    (as the command line's ``--runs-dir``), or ``parquet=True`` without pyarrow."""
    import importlib.util

    from vixhedge.cli_help import PARQUET_INSTALL

    folder = checked_writable(checked_folder(path, "runs_dir", where), "runs_dir", where)
    parquet = checked_flag(parquet, "parquet", where)
    if parquet and importlib.util.find_spec("pyarrow") is None:
        raise ArgumentError(f"{where}: parquet = {parquet!r} needs pyarrow, which is not installed: "
                            f"{PARQUET_INSTALL} (or pass parquet=False)")
    return folder


def checked_flag(value: Any, name: str, where: str) -> bool:
    """Return ``value`` as a bool when it is one (a numpy bool taken); anything else is one ArgumentError line naming
    ``name`` (trial API31 L4: ``parquet="yes"`` and ``progress="no"`` were taken as true)."""
    if isinstance(value, bool) or type(value).__module__ == "numpy" and type(value).__name__ in ("bool", "bool_"):
        return bool(value)  # (numpy 2's np.bool_ is named "bool"; numpy itself is not imported for it)
    raise ArgumentError(f"{where}: {name} = {_shown(value)} is invalid: pass True or False")


def checked_writable(folder: Path, name: str, where: str) -> Path:
    """Return ``folder`` when it can be created or written; else one ArgumentError line naming ``name`` (a file there,
    a place that cannot be created or written; trial API22: ``run_sweep`` raised the atomic module's FolderError,
    which vixhedge.api does not export)."""
    from vixhedge.atomic import FolderError, check_writable

    try:
        check_writable(folder, name)
    except FolderError as exc:
        raise ArgumentError(f"{where}: {exc}") from None
    return folder


def checked_engine(engine: Any, where: str) -> str:
    """Return ``engine`` when it is one of :data:`~vixhedge.core.config.ENGINES`; else one ConfigError line naming
    ``where`` (trial API31 L1: ``run_backtest(cfg, engine="bogus")`` said ``engine = 'bogus' is not known``, no
    function named)."""
    if isinstance(engine, str) and engine in C.ENGINES:
        return engine
    raise C.ConfigError(f"{where}: engine = {_shown(engine)} is not known: use one of {list(C.ENGINES)}")


def named(exc: C.ConfigError, where: str) -> C.ConfigError:
    """``exc`` with its line starting ``<where>: `` (as it is when it does already), of its own type where that
    type takes one message, else a ConfigError: an argument's line names the function, as the others do."""
    text = str(exc)
    if text.startswith(f"{where}:"):
        return exc
    try:
        return type(exc)(f"{where}: {text}")
    except TypeError:
        return C.ConfigError(f"{where}: {text}")
