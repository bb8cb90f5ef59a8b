"""``--set KEY=VALUE`` (run, compare, replay): one config key changed on the command line, without a TOML file.

A researcher's trial (session 14) wrote one TOML file per switch to turn each methodology rule off and on. ``KEY`` is
a dotted config key (``hedge.require_condor``, ``hedge.macd.fast``), ``VALUE`` a TOML value (``false``, ``8``,
``0.5``, ``2016-01-04``, ``[8, 12]``, ``"text"``; a bare word that is not TOML is taken as a string:
``hedge.mode=static``). The flags apply in order after the config file (or preset) and are checked as the file's
keys are (:func:`vixhedge.core.config.replace`: an unknown key names the closest one); a key a flag of its own sets
(``run.start`` and ``--start`` or ``--period``, ``market.data_dir`` and ``--data-dir``, ``hedge.mode`` and
``--hedge-mode``; a named period's window, name and warm-up, and under ``replay`` its data) is refused beside that
flag. The run folder's config.toml holds the result, so its replay command needs no flag.
"""

from __future__ import annotations

import datetime as dt
import logging
import tomllib
from typing import Any

from vixhedge.core import config as C

#: keys a flag of their own sets -> that flag (both at once: refused)
OWN_FLAGS = {"run.start": ("start", "period"), "run.end": ("end", "period"), "run.name": ("period",),
             "market.history_start": ("period",), "market.source": ("data_dir", "period"),
             "market.data_dir": ("data_dir",),
             "hedge.mode": ("hedge_mode",), "hedge.policy": ("hedge_mode",), "hedge.policy_params": ("hedge_mode",)}

HELP = ("change one config key, as in the TOML file: --set hedge.require_condor=false --set hedge.macd.fast=8 "
        "(repeatable; dotted key = TOML value, a bare word a string)")


def parse(text: str, flag: str = "--set") -> tuple[str, Any]:
    """Return ``(key, value)`` of one ``--set`` argument (``flag``: the words before it, as ``--variant v1``);
    ConfigError naming it and the fix."""
    key, sep, raw = text.partition("=")
    key = key.strip()
    if not sep or "." not in key or not all(part.strip() for part in key.split(".")):
        raise C.ConfigError(f"{flag} {text!r} is invalid: write a dotted config key, '=' and a value, e.g. {flag} "
                            "hedge.require_condor=false")
    raw = raw.strip()
    try:
        value = tomllib.loads(f"v = {raw}")["v"]
    except tomllib.TOMLDecodeError:
        if not raw or any(c in raw for c in "[]{}\"'=,"):
            raise C.ConfigError(f"{flag} {text!r}: {raw!r} is not a TOML value: quote a string ({flag} "
                                f"{key}='\"text\"'), or write a number, true / false, a date or a list") from None
        value = raw  # a bare word: a string (hedge.mode=static)
    if isinstance(value, dt.datetime):
        raise C.ConfigError(f"{flag} {text!r}: give a date (YYYY-MM-DD), not a date and time")
    return key, value


def typed(key: str, value: Any) -> Any:
    """``value`` as the config holds the dotted key ``key``: a whole number given to a float key as its float (``3``:
    ``3.0``, as ``--set`` and a config file give the config), a list of them for a tuple of floats; anything else as
    given (a plug-in's own parameter, a key or value the config refuses: refused where it is used). What a variant or
    a sweep's grid hashes (trial DET32 M4: ``=3`` and ``=3.0`` gave two compare folders, ``[2, 3]`` and ``[2.0, 3.0]``
    two sweeps)."""
    try:
        held = C.check_value_type(key, value, key)
    except (C.ConfigError, KeyError, TypeError):
        return value
    if isinstance(held, float) and not isinstance(value, bool):
        return held
    if isinstance(held, tuple) and isinstance(value, list) and held and all(isinstance(x, float) for x in held):
        return list(held)
    return value


def apply(cfg: C.Config, items: list[str] | None, flags: dict[str, Any],
          names: dict[str, str] | None = None) -> C.Config:
    """Return ``cfg`` with every ``--set`` of ``items`` applied, a later one of a key winning; ``flags`` the
    command's own flags (``start``, ``end``, ``period``, ``data_dir``, ``hedge_mode``: a key one of them sets beside
    it is refused), ``names`` how the command names a flag where it is not ``--flag`` (replay's period is its
    ``NAME``). They are checked together, as a file's keys are (trial RP: ``--set condor.enabled=false --set
    hedge.require_condor=false`` was refused in that order, the first checked against the file's
    ``require_condor = true``); an error names the ``--set`` the config cannot take (:func:`replace_all`)."""
    parsed = [(text, *parse(text)) for text in items or ()]
    for _, key, _ in parsed:  # (a key under one: hedge.policy_params.window is --hedge-mode's)
        for own in next((v for k, v in OWN_FLAGS.items() if key == k or key.startswith(k + ".")), ()):
            if flags.get(own) is not None:
                name = (names or {}).get(own) or f"--{own.replace('_', '-')}"
                raise C.ConfigError(f"--set {key} and {name} both set {key}: give one")
    out = replace_all(cfg, [(f"--set {text}", key, value) for text, key, value in parsed])
    plugin_keys = [text for text, key, _ in parsed if key in ("hedge.policy", "condor.selector")]
    for note in dropped_tables(cfg, out, "--set " + " --set ".join(plugin_keys)) if plugin_keys else ():
        logging.getLogger("vixhedge.config").warning("%s", note)
    return out


def dropped_tables(before: C.Config, after: C.Config, where: str) -> list[str]:
    """The notes of a plug-in's own table ``before`` had and ``after`` does not, its plug-in switched to another
    (config.replace replaces the table, never carries it over: plug-in trial, session 16: the new policy ran on its
    own defaults without a word)."""
    from vixhedge.registries import POLICY, SELECTOR

    notes = []
    for key, old, new, reg in (("hedge.policy", before.hedge, after.hedge, POLICY),
                               ("condor.selector", before.condor, after.condor, SELECTOR)):
        name = key.partition(".")[2]
        table = f"{name}_params"
        plugin = getattr(new, name) and reg.builtin_name(getattr(new, name)) not in reg.builtins  # (a built-in: none)
        if plugin and getattr(old, table) and getattr(old, name) != getattr(new, name) and not getattr(new, table):
            values = ", ".join(f"{k} = {v!r}" for k, v in getattr(old, table).items())
            notes.append(f"{where}: [{key}_params] ({values}) belonged to {getattr(old, name)} and is not carried "
                         f"to {getattr(new, name)}, which runs on its own defaults: give its table with --set "
                         f"{key}_params.KEY=VALUE")
    return notes


def override(cfg: C.Config, dotted: dict[str, Any], where: str) -> C.Config:
    """Return ``cfg`` with each dotted key of ``dotted`` set to its value (:func:`replace_all`); a ConfigError line
    starts with ``where`` (``variant NAME``)."""
    return replace_all(cfg, [(where, key, value) for key, value in dotted.items()])


def replace_all(cfg: C.Config, pairs: list[tuple[str, str, Any]]) -> C.Config:
    """Return ``cfg`` with every ``(label, dotted key, value)`` of ``pairs`` set, a later one of a key winning, in
    one :func:`C.replace`, so the keys are checked together as a file's are. A ConfigError starts with the label of
    the pair the config cannot take: the one whose leaving out lets the rest through (review 20: a key-by-key
    retry blamed ``condor.enabled=false`` for another pair's unknown key), or every label where none alone does.
    A key given a value and, by another pair, keys of its own (``hedge.mode=static`` and ``hedge.mode.x=1``) is
    applied pair by pair, the table-shaped one refused in its own words."""
    for label, key, _ in pairs:
        if not isinstance(key, str) or "." not in key:
            raise C.ConfigError(f"{label}: {key!r} is not a dotted config key (e.g. hedge.require_condor)")
    tree = _tree(pairs)
    if tree is None:
        for label, key, value in pairs:
            cfg = _replace(cfg, _tree([(label, key, value)]), label, key)
        return cfg
    try:
        return C.replace(cfg, **tree)
    except (C.ConfigError, TypeError) as exc:
        for i, (label, key, _) in enumerate(pairs):
            try:
                C.replace(cfg, **(_tree(pairs[:i] + pairs[i + 1:]) or {}))
            except (C.ConfigError, TypeError):
                continue
            return _replace(cfg, tree, label, key)  # raises, in this pair's name
        _replace(cfg, tree, ", ".join(dict.fromkeys(label for label, _, _ in pairs)), None)
        raise exc  # (unreachable: the replace above raises)


def _tree(pairs: list[tuple[str, str, Any]]) -> dict[str, Any] | None:
    """The nested table of the pairs' dotted keys; None where a key is given a value and keys of its own."""
    tree: dict[str, Any] = {}
    for _, key, value in pairs:
        *parents, leaf = key.split(".")
        node = tree
        for p in parents:
            node = node.setdefault(p, {})
            if not isinstance(node, dict):
                return None
        if isinstance(node.get(leaf), dict) and not isinstance(value, dict):
            return None
        node[leaf] = value
    return tree


def _replace(cfg: C.Config, tree: dict[str, Any], label: str, key: str | None) -> C.Config:
    """``C.replace(cfg, **tree)``, its error in one line starting with ``label`` (and naming ``key`` where the config
    has no key of that shape)."""
    try:
        return C.replace(cfg, **tree)
    except C.ConfigError as exc:
        raise C.ConfigError(f"{label}: {exc}") from None
    except TypeError as exc:  # a section given a value, or a value given a table (replace's own words)
        raise C.ConfigError(f"{label}: {key or 'a key'} is not a config key of that shape ({exc})") from None
