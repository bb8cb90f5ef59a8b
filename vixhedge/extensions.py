"""A config's plug-ins, all four extension points at once (README "Plug-ins").

The extension points (each a :class:`vixhedge.plugins.Registry`): the hedge policy (``hedge.policy``,
:mod:`strategies.policies`), the condor selector (``condor.selector``, :mod:`strategies.selectors`), extra
signals (``hedge.signals``, :mod:`strategies.extra_signals`) and analyzers (``analysis.analyzers``,
:mod:`analyzers.plugins`). Here: what a config names (:func:`named`), the identities manifest.json records
(:func:`identities`), what a run id and a sweep point's id hash beside the TOML (:func:`fingerprint`), the
``PYTHONPATH`` a replay needs (:func:`modules`), and the check that dask workers load them all before any
point runs (:func:`check_workers`).
"""

from __future__ import annotations

import json
from typing import Any

from vixhedge.core.config import Config, ConfigError
from vixhedge.plugins import PluginError, Registry, short_repr, source_files


def registries() -> dict[str, Registry]:
    """Return the extension points by the config key that names them (names only: a plug-in's module is imported
    when one of its names is resolved)."""
    from vixhedge.registries import BY_KEY

    return dict(BY_KEY)


def named(cfg: Config) -> list[tuple[str, str]]:
    """Return ``(config key, name)`` of every plug-in ``cfg`` names explicitly, in a fixed order (defaults left out)."""
    out = [("hedge.policy", cfg.hedge.policy)] if cfg.hedge.policy else []
    out += [("condor.selector", cfg.condor.selector)] if cfg.condor.selector else []
    out += [("hedge.signals", n) for n in cfg.hedge.signals]
    return out + [("analysis.analyzers", n) for n in cfg.analysis.analyzers]


def identities(cfg: Config) -> dict[str, Any]:
    """Return manifest.json's plug-in identities (module, qualified name, source sha256: :func:`manifest_identity`),
    built-ins included. The run id hashes :func:`fingerprint` only."""
    reg = registries()
    return {"hedge_policy": manifest_identity(reg["hedge.policy"], cfg.hedge.policy_name),
            "condor_selector": manifest_identity(reg["condor.selector"], cfg.condor.selector_name),
            "signals": [manifest_identity(reg["hedge.signals"], n) for n in cfg.hedge.signals],
            "analyzers": [manifest_identity(reg["analysis.analyzers"], n) for n in cfg.analysis.analyzers]}


def manifest_identity(reg: Registry, name: str) -> dict[str, Any]:
    """Return :meth:`Registry.identity` of ``name`` as manifest.json and a sweep's provenance record it: a plug-in's
    with ``source_files`` too, each file its source sha256 hashed with its own sha256 (the module first, then its
    helper modules: :func:`vixhedge.plugins.source_files`); a built-in's without."""
    files = source_files(reg.target(name))
    return {**reg.identity(name), **({"source_files": files} if files else {})}


def fingerprint(cfg: Config) -> str:
    """Return what a run id (and a sweep point's id) hashes beside the TOML: the identity, source hash included, of
    each plug-in the config names, so an edited plug-in never reuses a folder; "" for a config that names none."""
    reg = registries()
    return "".join(json.dumps(reg[key].identity(name), sort_keys=True) for key, name in named(cfg))


def modules(cfg: Config) -> list[str]:
    """Return the modules of the config's plug-ins that are not built-ins (what a replay needs on PYTHONPATH)."""
    reg = registries()
    return sorted({reg[key].identity(name)["module"] for key, name in named(cfg)
                   if reg[key].builtin_name(name) not in reg[key].builtins})  # (a built-in under any spelling: none)


def grid_names(base: Config, grid: dict[str, list[Any]]) -> list[tuple[str, str]]:
    """Return ``(config key, name)`` of every plug-in a sweep's base config or grid names (sorted, unique)."""
    pairs = set(named(base))
    for key in registries():
        for value in grid.get(key, []):
            pairs |= {(key, str(v)) for v in (value if isinstance(value, (list, tuple)) else [value]) if v}
    return sorted(pairs)


def grid_modules(base: Config, grid: dict[str, list[Any]]) -> list[str]:
    """Return the modules of the plug-ins a sweep's base config or grid names that are not built-ins (what its
    reproduce command needs on PYTHONPATH, as :func:`modules` a run's)."""
    reg = registries()
    return sorted({reg[key].identity(name)["module"] for key, name in grid_names(base, grid)
                   if reg[key].builtin_name(name) not in reg[key].builtins})


def grid_fingerprint(base: Config, grid: dict[str, list[Any]]) -> str:
    """Return the identities, source hashes included, of every plug-in a sweep's base config or grid names ("" for
    none): a sweep folder's identity hashes it (vixhedge.sweep_spec.spec_identity), as each point's key hashes
    :func:`fingerprint`, so a folder whose plug-in was edited is refused rather than mixed with new points."""
    return "".join(json.dumps({k: v for k, v in i.items() if k not in ("key", "source_files", "grid_points")},
                              sort_keys=True)  # (source_files: the files source_sha256 covers already)
                   for i in grid_identities(base, grid))


def grid_identities(base: Config, grid: dict[str, list[Any]]) -> list[dict[str, Any]]:
    """Return the config key and identity (name, module, qualified name, source sha256) of every plug-in a sweep's
    base config or grid names, for summary.json's ``provenance`` (trial PL25: a sweep folder named none); a plug-in's
    (not a built-in's) with ``grid_points``, the grid's combinations that name it, where not all do (trial FUZZ40
    M3: the summary's plug-ins line, :func:`vixhedge.sweep_market.plugin_lines`, read as if every point ran it)."""
    reg = registries()
    out = [{"key": key, **manifest_identity(reg[key], name)} for key, name in grid_names(base, grid)]
    for ident in own_plugins(out):  # (a built-in's entry as before: no line names it)
        n = _grid_points(grid, ident["key"], ident["name"])
        ident.update({"grid_points": n} if n is not None else {})
    return out


def _grid_points(grid: dict[str, list[Any]], key: str, name: str) -> int | None:
    """How many of ``grid``'s combinations set ``key`` to (or, a list key, to a list holding) the plug-in ``name``;
    None when all of them run it (the grid does not set ``key``, or sets it to ``name`` alone)."""
    from vixhedge.sweepgrid import grid_size, size

    if key not in grid:
        return None
    named = sum(name in {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v}
                for value in grid[key])
    return None if named == size(grid[key]) else named * grid_size({k: v for k, v in grid.items() if k != key})


def load_errors(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Return ``{"<key> = '<name>'": why}`` for each plug-in that does not load here (run on each dask worker)."""
    reg, bad = registries(), {}
    for key, name in pairs:
        try:
            reg[key].resolve(name)
        except PluginError as exc:
            bad[f"{key} = {name!r}"] = str(exc)
    return bad


def check_workers(client: Any, scheduler: str, pairs: list[tuple[str, str]]) -> None:
    """Raise one ConfigError line, before any point runs, when a dask worker cannot load one of ``pairs``."""
    if not pairs:
        return
    for worker, bad in sorted(client.run(load_errors, pairs).items()):
        for what, why in bad.items():
            raise ConfigError(f"sweep.scheduler = {scheduler!r}: dask worker {worker} cannot load {what} ({why}): "
                              "put its module on the workers' PYTHONPATH or install it there")


#: manifest.json's plug-in fields (:func:`identities`) and the config key each one names
MANIFEST_KEYS = (("hedge_policy", "hedge.policy"), ("condor_selector", "condor.selector"), ("signals", "hedge.signals"),
                 ("analyzers", "analysis.analyzers"))


#: the fields of one plug-in identity (:func:`manifest_identity`) and of one of its ``source_files``: each a string
IDENTITY_FIELDS = ("name", "module", "qualname", "source_sha256")
FILE_FIELDS = ("module", "file", "sha256")


def manifest_shape(mf: Any) -> str:
    """Why a run's manifest.json (hand-edited or damaged: nothing checks its bytes) cannot be read for its plug-ins,
    e.g. ``"condor_selector = 'custom_condor:pick' is not a plug-in identity (...)"``; "" when it is an object whose
    plug-in fields (:data:`MANIFEST_KEYS`; absent in a folder written before them) hold identities (trial FUZZ40 M2:
    a string there was an internal error in compare's plug-ins line and the run page's Reproduce table)."""
    if not isinstance(mf, dict):
        return f"it holds a JSON {'array' if isinstance(mf, list) else type(mf).__name__}, not an object"
    for field, _ in MANIFEST_KEYS:
        value, many = mf.get(field), field in ("signals", "analyzers")
        if value is None:
            continue
        if many and not isinstance(value, list):
            return f"{field} = {short_repr(value, 60)} is not a list of plug-in identities"
        for i, ident in enumerate(value if many else [value]):
            why = _identity_shape(ident)
            if why:
                return f"{field}{f'[{i}]' if many else ''}{why}"
    return ""


def _identity_shape(ident: Any) -> str:
    """Why ``ident`` is no plug-in identity (" = 5 is not ...", ".name = 5 is not ..."), "" when it is one."""
    if not isinstance(ident, dict):
        return (f" = {short_repr(ident, 60)} is not a plug-in identity (an object of "
                f"{', '.join(IDENTITY_FIELDS)})")
    bad = next((k for k in IDENTITY_FIELDS if not isinstance(ident.get(k), str) or not ident[k]), None)
    if bad:
        return f".{bad} = {short_repr(ident.get(bad), 60)} is not a non-empty string"
    files = ident.get("source_files", [])
    if not isinstance(files, list):
        return f".source_files = {short_repr(files, 60)} is not a list of files"
    for i, f in enumerate(files):
        bad = next((k for k in FILE_FIELDS if not isinstance(f.get(k), str)), None) if isinstance(f, dict) else ""
        if bad is not None:
            where = f".{bad} = {short_repr(f.get(bad), 60)}" if bad else f" = {short_repr(f, 60)}"
            return f".source_files[{i}]{where} is not {'a string' if bad else 'a file (module, file, sha256)'}"
    return ""


def manifest_plugins(mf: dict[str, Any]) -> list[dict[str, Any]]:
    """Return the plug-ins, built-ins left out, that a run's manifest.json identities (or :func:`identities`) name,
    each ``{"key", "name", ..., "source_sha256"}`` in config order: what compare's summary and page name beside the
    modes (trial API39 M1: a compare of none / static / alvh, each with a plug-in condor selector, said so nowhere)."""
    out = []
    for field, key in MANIFEST_KEYS:
        value = mf.get(field)
        out += [{"key": key, **ident} for ident in (value if isinstance(value, list) else [value] if value else [])]
    return own_plugins(out)


def own_plugins(plugins: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the entries of ``plugins`` (``{"key", "name", ...}``: a sweep's provenance, :func:`grid_identities`)
    that are not built-ins under any spelling."""
    reg = registries()
    return [p for p in plugins if p.get("name") and reg[p["key"]].builtin_name(p["name"]) not in reg[p["key"]].builtins]


def plugin_words(plugins: list[dict[str, Any]], modes: list[str] | tuple[str, ...] = (), sources: bool = True) -> str:
    """``condor.selector tendelta:pick (sha256 2aeb11d0e4f1), hedge.signals rv_signal:spx_rv20 (sha256 ...)``: each
    plug-in once (by key, name and source), its source sha256's first 12 digits (not without ``sources``: a page's
    subtitle); "" for none. Where not every one of a compare's ``modes`` ran it (each entry's ``mode``), the modes
    that did: ``... (sha256 26618cc97776; in mode sel)``; an entry's ``where`` (a sweep's ``1 of 2 points``) the same
    way (trial FUZZ40 M3: the line read as if every mode, or every point, ran it)."""
    return ", ".join(f"{k} {n}{_ran(s if sources else '', who, modes)}"
                     for (k, n, s), who in plugin_runs(plugins).items())


def plugin_runs(plugins: list[dict[str, Any]]) -> dict[tuple[str, str, str], list[str]]:
    """``{(key, name, source sha256): [the modes that ran it, or a sweep's "in 1 of 2 points"]}``, each plug-in once,
    in the order first met."""
    seen: dict[tuple[str, str, str], list[str]] = {}
    for p in plugins:
        who = seen.setdefault((p["key"], p["name"], p.get("source_sha256", "")), [])
        where = p.get("mode") or (f"in {p['where']}" if p.get("where") else "")
        who += [where] if where and where not in who else []
    return seen


def _ran(sha: str, who: list[str], modes: list[str] | tuple[str, ...]) -> str:
    """`` (sha256 ...; in mode sel)``: a plug-in's source, and where it ran when not everywhere
    (:func:`plugin_words`)."""
    words = [f"sha256 {sha[:12]}"] if sha else []
    if modes and not set(modes) <= set(who):
        words.append(f"in mode{'s' * (len(who) > 1)} {', '.join(who)}")
    elif not modes and who:
        words.append(", ".join(who))
    return f" ({'; '.join(words)})" if words else ""
