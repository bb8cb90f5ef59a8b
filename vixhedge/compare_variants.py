"""Config variants in ``vixhedge compare``: the config against itself with some keys changed, on one market path.

``vixhedge compare --variant nocondor hedge.require_condor=false --baseline alvh`` runs the config under its own
hedge policy with ``hedge.require_condor = false`` as a mode named ``nocondor``, beside the other modes, and the
paired bootstrap tests it against the baseline as any mode: a rule on against off, or one preset's setting against
another's, with the tool's own statistics (a researcher's trial, session 14, wrote its own bootstrap for want of
it). In Python: ``compare(cfg, variants={"nocondor": {"hedge.require_condor": False}})``.

A variant's name is a mode's name (a folder ``runs/<name>-<variant>-<hash>`` of the comparison): letters, digits,
``-``, ``_``, ``.``, neither a built-in mode nor a plug-in's ``module:callable``; its keys are dotted config keys,
checked as a config file's (:func:`vixhedge.cli_set.override`; none of ``[run]``, ``[market]``, ``[analysis]``, which
every mode shares), and ``preset``: the variant starts from that packaged
preset, with the comparison's own ``[run]``, ``[market]`` and ``[analysis]`` (the same days, market and measures),
its other keys changed after (``--variant promoter preset=promoter`` beside ``--preset steward``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from vixhedge.core import config as C

Variants = dict[str, dict[str, Any]]  # name -> {dotted key: value}
SHARED = ("run", "market", "analysis")  # the tables every mode of a comparison shares: a variant sets none of them


def checked_variants(variants: Any, modes: frozenset[str], cfg: C.Config | None = None) -> Variants:
    """Return ``variants`` as ``{name: {dotted key: value}}`` after checking each name (one ConfigError line)
    against the built-in ``modes`` and policies (trial RS38 M3: a variant named ``placebo`` silently took the
    built-in placebo mode's place); None is none. A ``sweep = FOLDER`` key is expanded against the comparison's
    config ``cfg`` (:func:`vixhedge.compare_search.from_sweep`). Each variant's config is checked by
    :func:`variant_config`."""
    from strategies.policies import BUILTINS
    from vixhedge.compare_search import from_sweep

    if variants is None:
        return {}
    modes = frozenset(modes) | frozenset(BUILTINS)
    if not isinstance(variants, Mapping) or not all(isinstance(v, Mapping) for v in variants.values()):
        raise C.ConfigError(f"variants = {variants!r} is invalid: give {{name: {{dotted key: value}}}}, e.g. "
                            "{'nocondor': {'hedge.require_condor': False}}")
    out: Variants = {}
    for name, keys in variants.items():
        if not isinstance(name, str) or not C.is_safe_name(name) or name in modes:
            raise C.ConfigError(f"variant name {name!r} is invalid: use letters, digits, '-', '_' or '.', and not a "
                                f"built-in mode's name ({', '.join(sorted(modes))})")
        if not keys:
            raise C.ConfigError(f"variant {name!r} changes no key: give at least one KEY=VALUE")
        if SWEEP in keys:
            if cfg is None:  # (every caller gives its config)
                raise C.ConfigError(f"variant {name!r}: sweep = FOLDER needs the comparison's config")
            keys = from_sweep(cfg, name, dict(keys))
        fixed = [k for k in keys if str(k).split(".")[0] in SHARED]
        if fixed:  # every mode runs the same days of one market, measured alike: the pairs are day by day
            raise C.ConfigError(f"variant {name!r} sets {', '.join(map(str, fixed))}: a variant changes the "
                                "strategy, not the window, the market or how results are measured (every mode runs "
                                "the same days of one market path and the paired tests read one [analysis]); set "
                                "those for the whole comparison (its config, --start, --end, --data-dir)")
        from vixhedge.cli_set import typed

        out[name] = {k: v if k in WORDS else typed(str(k), v) for k, v in keys.items()}  # (=3 is =3.0: DET32 M4)
    return out


def cli_variants(given: list[list[str]] | None) -> Variants:
    """``--variant NAME KEY=VALUE [KEY=VALUE ...]`` (repeatable) as :data:`Variants`; ConfigError naming the flag."""
    out: Variants = {}
    for words in given or ():
        name, items = words[0], words[1:]
        if name in out:
            raise C.ConfigError(f"--variant {name} is given twice: give each variant once, with all its keys")
        if not items or "=" in name:
            raise C.ConfigError(f"--variant {' '.join(words)} is invalid: give a name then one or more KEY=VALUE, "
                                "e.g. --variant nocondor hedge.require_condor=false")
        keys: dict[str, Any] = {}
        given: dict[str, str] = {}  # each key's KEY=VALUE as typed
        for text in items:
            key, value = _item(text, name)
            if key in given:  # (trial FUZZ40 L5: the last one won, unsaid)
                raise C.ConfigError(f"--variant {name} gives {key} twice ({given[key]!r} and {text!r}): give each "
                                    "key once")
            keys[key], given[key] = value, text
        out[name] = keys
    return out


def _item(text: str, name: str) -> tuple[str, Any]:
    """One ``KEY=VALUE`` of variant ``name``: a dotted config key (:func:`vixhedge.cli_set.parse`, its line naming
    ``--variant NAME``), ``preset=NAME``, ``sweep=FOLDER`` or ``searched=WORDS`` (:mod:`vixhedge.compare_search`)."""
    from vixhedge.cli_set import parse

    key, _, value = text.partition("=")
    if key.strip() in (*WORDS, SWEEP):
        return key.strip(), value.strip().strip("\"'")
    return parse(text, f"--variant {name}")


PRESET = "preset"  # a variant's key naming the packaged preset it starts from
SEARCHED = "searched"  # a variant's key: how it was chosen, in words (:func:`vixhedge.compare_search.search_caveats`)
SWEEP = "sweep"  # a variant's key: the sweep folder whose best point it runs (compare_search.from_sweep)
WORDS = (PRESET, SEARCHED)  # a variant's keys kept as text, not config keys


def variant_config(cfg: C.Config, name: str, keys: dict[str, Any]) -> C.Config:
    """The config a variant runs: ``cfg`` (its own hedge policy), or the preset its ``preset`` key names with
    ``cfg``'s [run], [market] and [analysis], with its other ``keys`` changed."""
    import dataclasses

    from vixhedge.cli_set import override

    keys = {k: v for k, v in keys.items() if k != SEARCHED}  # (words, not a config key)
    preset = keys.pop(PRESET, None)
    if preset is not None:
        if preset not in C.PRESETS:
            raise C.ConfigError(f"variant {name}: preset = {preset!r} is not a packaged preset: use one of "
                                f"{list(C.PRESETS)}")
        cfg = dataclasses.replace(C.load_preset(preset), run=cfg.run, market=cfg.market, analysis=cfg.analysis)
    return override(cfg, keys, f"variant {name}")


def variants_key(variants: Variants) -> str:
    """What a comparison's folder id hashes of its variants ("" without any: an id from before variants stays)."""
    return repr(sorted((n, sorted((k, repr(v)) for k, v in keys.items())) for n, keys in variants.items())) \
        if variants else ""


def with_variants(modes: tuple[str, ...] | str, variants: Variants) -> tuple[str, ...] | str:
    """``modes`` with the variants it does not list added at the end (as ``--modes``'s string when given one);
    anything but a string or a tuple / list of modes as it is (compare's check refuses it in one line)."""
    if not variants or not isinstance(modes, (str, tuple, list)):
        return modes
    listed = [str(m).strip() for m in modes.split(",")] if isinstance(modes, str) else list(modes)
    more = [v for v in variants if v not in listed]
    if not more:
        return modes
    return ",".join([modes, *more]) if isinstance(modes, str) else (*modes, *more)


def variants_record(variants: Variants) -> dict[str, dict[str, str]]:
    """comparison.json's ``variants``: each value as TOML text (a date stays a date when read back:
    :func:`from_record`), a preset by its name."""
    from vixhedge.core.config.write import toml_value

    return {name: {k: v if k in WORDS else toml_value(v) for k, v in keys.items()} for name, keys in variants.items()}


def from_record(record: Mapping | None) -> Variants:
    """:data:`Variants` from comparison.json's ``variants`` (none in a folder from before them)."""
    return {name: dict(_item(f"{k}={text}", name) for k, text in keys.items()) for name, keys in (record or {}).items()}


def variant_flags(variants: Variants) -> str:
    """The ``--variant NAME KEY=VALUE ...`` flags that give ``variants`` again, shell-quoted ("" without any)."""
    import shlex

    return "".join(f" --variant {shlex.quote(name)} " + " ".join(shlex.quote(f"{k}={t}") for k, t in keys.items())
                   for name, keys in variants_record(variants).items())


def variant_words(cfg: C.Config, variants: Variants) -> list[str]:
    """Each variant in words, as the comparison's page names it near its top: ``nocondor: alvh with
    hedge.require_condor = false`` (the config's own hedge policy, or the preset it starts from, then its keys as
    TOML text; trial VIS22: only the page's Reproduce command said what a variant was)."""
    out = []
    for name, keys in variants_record(variants).items():
        preset, searched = keys.pop(PRESET, None), keys.pop(SEARCHED, None)
        start = (f"preset {preset} on this comparison's [run], [market] and [analysis]" if preset is not None
                 else cfg.hedge.policy_name)
        changed = ", ".join(f"{k} = {text}" for k, text in keys.items())
        out.append(f"{name}: {start}" + (f" with {changed}" if changed else "")
                   + (f"; picked by a search: {searched}" if searched else ""))
    return out
