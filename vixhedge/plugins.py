"""Extension by name: load a callable from ``"module:qualified.name"`` or the ``vixhedge.plugins`` entry points.

The same loader serves the built-ins (:data:`vixhedge.registries.POLICY` maps ``alvh`` to
``"strategies.hedge:decide_alvh"``) and a user's plug-in (``hedge.policy = "custom_hedge:policy"``, the
module importable from ``sys.path`` / ``PYTHONPATH``; or a name an installed package registers under the
``vixhedge.plugins`` entry-point group). Configs carry names, never functions, so a sweep's worker process
or a dask worker imports the plug-in itself. :func:`identity` is what the run id and manifest.json record:
module, qualified name and the sha256 of the module's source file and of the modules of its own it imports (same
package, or any other Python source of the user's: :func:`vixhedge.plugin_source.local_imports`), so an edited plug-in,
or helper module, is a new run.

A :class:`Registry` is one extension point (hedge policy, condor selector, extra signal, analyzer): its
built-ins, the config key that names it and the positional arguments it is called with; its
:meth:`Registry.check` turns a name that does not load, a callable of the wrong signature or a bad
``*_params`` table into one ConfigError line naming the key (:mod:`vixhedge.extensions` lists a config's).
"""

from __future__ import annotations

import dataclasses
import importlib
import inspect
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Callable

# a plug-in's source identity lives in vixhedge.plugin_source; PROJECT and local_imports stay importable from here
from vixhedge.plugin_source import PROJECT, UNKNOWN, hashed, local_imports

__all__ = ["GROUP", "PLUGIN_FAILURES", "PROJECT", "UNKNOWN", "PluginError", "PluginImportError", "Registry",
           "failure_words", "identity", "key_of", "load", "local_imports", "message", "short_repr", "source_files",
           "target_of"]

GROUP = "vixhedge.plugins"
#: what a plug-in's own code may raise that becomes one line naming it: any error, and a SystemExit (a plug-in that
#: calls sys.exit would otherwise end the run with exit 0 and no folder); a Ctrl-C stays an interrupt
PLUGIN_FAILURES = (Exception, SystemExit)


class PluginError(ValueError):
    """A plug-in name that does not load; the message says why and how to fix it."""


class PluginImportError(PluginError):
    """A plug-in module that was found but whose own code raised while it was imported (the message says where)."""


def target_of(name: str, builtins: dict[str, str]) -> str:
    """Return the ``module:qualname`` a name stands for: a built-in, itself, or a registered entry point."""
    if name in builtins:
        return builtins[name]
    if ":" in name:
        return name
    from importlib import metadata  # ~30 modules (email, csv, socket): only a name that may be an entry point needs it

    eps = metadata.entry_points(group=GROUP, name=name)
    if not eps:
        known = f"a built-in ({', '.join(builtins)}), " if builtins else ""
        names = [*builtins, *(ep.name for ep in metadata.entry_points(group=GROUP))]
        raise PluginError(f"{name!r} is neither {known}a 'module:callable' name, "
                          f"nor registered in the {GROUP!r} entry-point group{_did_you_mean(name, names)}")
    return next(iter(eps)).value


def _did_you_mean(name: str, names: Any) -> str:
    """`` (did you mean 'X'?)``: the name of ``names`` closest to ``name`` (a typo: ``alhv``), or ``""``."""
    import difflib

    close = difflib.get_close_matches(name, sorted(set(names)), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _module_like(missing: str | None) -> str:
    """The module a name that does not import (``tenddelta``) is closest to, a typo's: of the modules importable from
    ``sys.path`` (a top-level name) or of its package's modules (a submodule); ``""`` for none."""
    import difflib
    import pkgutil
    import sys

    if not missing:
        return ""
    parent, _, last = missing.rpartition(".")
    if parent:
        path = getattr(sys.modules.get(parent), "__path__", None)
        names = [m.name for m in pkgutil.iter_modules(path)] if path is not None else []
    else:
        names = [m.name for m in pkgutil.iter_modules()] + list(sys.builtin_module_names)
    close = difflib.get_close_matches(last, sorted(set(names) - {last}), n=1)
    return "" if not close else f"{parent}.{close[0]}" if parent else close[0]


def _taken(module_name: str, module: Any, qualname: str) -> str:
    """Why a plug-in named like one of vixhedge's own top-level packages (``analyzers:layer_vega``) does not load:
    the name resolved to vixhedge's package, and the user's module of that name, where one is further down
    ``sys.path``, is never imported (trial API39 M2: the line said only "module 'analyzers' has no 'layer_vega'");
    "" for any other module, and for a submodule of vixhedge's (``analyzers.plugins:monthly_retruns``, a typo)."""
    import os
    import sys

    top = module_name.partition(".")[0]
    if "." not in module_name and top in set(getattr(sys, "stdlib_module_names", ())) - {"__main__"}:
        return _stdlib_taken(module_name, module, qualname)
    if top not in PROJECT or "." in module_name:  # a built-in's submodule: a typo (a user's module has none here)
        return ""
    package = sys.modules.get(top, module)
    home = os.path.dirname(os.path.dirname(os.path.abspath(getattr(package, "__file__", None) or ".")))
    hidden = _hidden_file(top, package)
    mine = (f": the module {os.path.abspath(hidden)} is never imported, as vixhedge's folder comes before its folder "
            "on sys.path" if hidden else "")
    return (f"{module_name!r} resolved to vixhedge's own package {os.path.join(home, top)}, which has no "
            f"{qualname!r}{mine}; 'vixhedge', 'feeds', 'strategies' and 'analyzers' are vixhedge's names: rename the "
            f"plug-in module, e.g. my_{top}.py, and name it 'my_{top}:{qualname}'")


def _stdlib_taken(name: str, module: Any, qualname: str) -> str:
    """Why a plug-in named like a standard-library module (``os:pick``) does not load: the standard library's module
    was imported (Python's start imports some, e.g. ``os``, before the working folder is on the path) and the user's
    file of that name, where one is on ``sys.path``, never is (trial FUZZ40 M5); "" where no such file is."""
    import os

    hidden, file = _hidden_file(name, module), getattr(module, "__file__", None)
    if hidden is None:
        return ""
    loaded = os.path.realpath(file) if file else name
    return (f"{name!r} resolved to the standard library's module {loaded}, which has no {qualname!r}: the "
            f"module {os.path.abspath(hidden)} is never imported; a plug-in module cannot take a standard-library "
            f"name: rename it, e.g. my_{name}.py, and name it 'my_{name}:{qualname}'")


def _hidden_file(name: str, module: Any) -> str | None:
    """The first module ``name.py`` or package ``name/__init__.py`` on ``sys.path`` that is not ``module``'s own file:
    a user's module of that name, hidden by the one imported (:func:`_taken`, :func:`_stdlib_taken`); None if none."""
    import os
    import sys

    file = getattr(module, "__file__", None)
    loaded = os.path.realpath(file) if file else None
    return next((path for entry in sys.path for path in (os.path.join(entry or ".", f"{name}.py"),
                                                         os.path.join(entry or ".", name, "__init__.py"))
                 if os.path.isfile(path) and os.path.realpath(path) != loaded), None)


def short_repr(value: Any, limit: int = 120) -> str:
    """Return ``repr(value)`` cut to ``limit`` characters: an error line names what a plug-in returned, not a
    page of it (a class used as a policy returns an instance whose repr holds the whole BookState); its type's name
    when its own ``__repr__`` raises."""
    try:
        text = repr(value)
    except PLUGIN_FAILURES as err:
        return f"a {type(value).__name__} (whose __repr__ raised {type(err).__name__})"
    return text if len(text) <= limit else f"{text[:limit]}... ({type(value).__name__}, {len(text)} characters)"


def message(exc: BaseException) -> str:
    """``str(exc)`` of what a plug-in raised; a note naming why not when its own ``__str__`` raises (trial FUZZ37
    M5: an internal error): every line quoting a plug-in's exception goes through it (:func:`failure_words`)."""
    try:
        return str(exc)
    except PLUGIN_FAILURES as err:
        return f"(no message: its __str__ raised {type(err).__name__})"


def failure_words(exc: BaseException) -> str:
    """``"TypeName: message"`` of what a plug-in raised, as its one error line quotes it (:func:`message`)."""
    return f"{type(exc).__name__}: {message(exc)}"


#: target -> (the callable loaded, its module's source sha256, the files hashed: plugin_source.hashed)
_SEEN: dict[str, tuple[Callable[..., Any], str, list[dict[str, str]]]] = {}


def load(target: str) -> Callable[..., Any]:
    """Import ``"module:qualified.name"`` and return the callable it names (PluginError if it cannot)."""
    module_name, _, qualname = target.partition(":")
    if not module_name or not qualname:
        raise PluginError(f"{target!r} is not of the form 'module:callable'")
    if module_name == "__main__":  # a notebook's or a script's own namespace: no file a run id or a replay can name
        raise PluginError(f"{qualname} is defined in __main__ (a notebook, the REPL or the script being run), which a "
                          "run id cannot hash and a replay, a sweep worker or `vixhedge report` cannot import: put it "
                          f"in a module file on PYTHONPATH (e.g. my_plugins.py) and name it 'my_plugins:{qualname}'")
    try:
        module = importlib.import_module(module_name)
    except PLUGIN_FAILURES as exc:
        parts = module_name.split(".")
        if isinstance(exc, ModuleNotFoundError) and exc.name in {".".join(parts[:i + 1]) for i in range(len(parts))}:
            like = _module_like(exc.name)
            hint = f"; did you mean {like!r}?" if like else ""
            raise PluginError(f"cannot import module {module_name!r} ({exc}{hint})") from None
        from vixhedge.plugin_trace import import_place  # the plug-in's own code failed while importing: where

        text = exc.msg if isinstance(exc, SyntaxError) and exc.filename else message(exc)
        fix = (f"install {exc.name!r} or fix that import" if isinstance(exc, ModuleNotFoundError) and exc.name
               else "fix the module's code there")
        raise PluginImportError(f"importing module {module_name!r} failed: {type(exc).__name__}: {text}"
                                f"{import_place(exc)}; {fix} (the module is found, its own code raised)") from None
    obj: Any = module
    for part in qualname.split("."):
        try:
            obj = getattr(obj, part)
        except AttributeError:
            names = [n for n, v in vars(obj).items() if callable(v) and not isinstance(v, type)  # its own functions
                     and getattr(v, "__module__", None) == module_name]
            raise PluginError(_taken(module_name, module, qualname) or
                              f"module {module_name!r} has no {qualname!r}{_did_you_mean(part, names)}") from None
    if not callable(obj) or isinstance(obj, type):  # (a class, e.g. a params dataclass, is called to build itself)
        what = "class" if isinstance(obj, type) else type(obj).__name__
        raise PluginError(f"{target!r} is a {what}, not a function")
    seen = _SEEN.get(target)
    if seen is None or seen[0] is not obj:  # first load, or the module was reloaded: hash the source now
        sha, files = hashed(module)
        if sha == UNKNOWN:  # no source file: an edit would reuse the run's folder, a replay could not load it
            raise PluginError(f"module {module_name!r} has no source file to hash (built in, frozen or made in "
                              "memory), so a run id could not tell an edited plug-in: put it in a module file on "
                              "PYTHONPATH")
        _SEEN[target] = (obj, sha, files)
    return obj


def identity(target: str) -> dict[str, str]:
    """Return module, qualified name and the sha256 of the module's source file (with the modules of its own
    it imports: :func:`local_imports`), as it was when the callable that runs was loaded (an edit takes effect,
    and changes the identity, in a new process or after a reload)."""
    module_name, _, qualname = target.partition(":")
    load(target)
    return {"module": module_name, "qualname": qualname, "source_sha256": _SEEN[target][1]}


def source_files(target: str) -> list[dict[str, str]]:
    """Return the files :func:`identity`'s source sha256 hashed, each with its own sha256 (``{"module", "file",
    "sha256"}``: the plug-in's module first, then the modules of its own it imports, by name), as they were when the
    callable was loaded; empty for a built-in (manifest.json ``source_files``)."""
    load(target)
    return [dict(f) for f in _SEEN[target][2]]


def key_of(name: str) -> str:
    """Return the short name a plug-in's output is filed under: the qualified name of ``"module:qualname"``,
    else the name itself (a built-in or an entry point); e.g. ``"custom_signal:vx_zscore"`` -> ``"vx_zscore"``."""
    return name.partition(":")[2] or name


@dataclass(frozen=True)
class Registry:
    """One extension point: ``kind`` (as messages name it), the config ``key`` naming it, its ``builtins``
    (name -> ``"module:qualname"``), the positional ``args`` it is called with (checked at load) and the built-ins
    that read a ``{key}_params`` table of their own (``with_params``: the placebo policy's seed, p_add, layers)."""

    kind: str
    key: str
    builtins: dict[str, str]
    args: tuple[str, ...]
    with_params: tuple[str, ...] = ()

    def target(self, name: str) -> str:
        return target_of(name, self.builtins)

    def builtin_name(self, name: str) -> str:
        """Return the built-in's short name when ``name`` spells it as ``"module:qualname"``
        (``"strategies.selectors:standard"`` -> ``"standard"``), else ``name``: the same callable under either
        spelling is one policy / selector to the sweep kernel, the reports and the rules that ask which it is."""
        return next((key for key, target in self.builtins.items() if target == name), name) if ":" in name else name

    def resolve(self, name: str) -> Callable[..., Any]:
        """Return the callable ``name`` stands for (PluginError if it does not load)."""
        return load(self.target(name))

    def identity(self, name: str) -> dict[str, str]:
        """Return ``{"name", "module", "qualname", "source_sha256"}`` of the callable ``name`` stands for."""
        return {"name": name, **identity(self.target(name))}

    def refuse_builtin_params(self, name: str, params: Mapping[str, Any] | None, plural: str) -> None:
        """Raise one ConfigError line when ``params`` (the ``{key}_params`` table, a plug-in's own) is not empty
        under a built-in ``name``; ``plural`` names the plug-ins of this kind ("policies")."""
        from vixhedge.core.config import ConfigError

        if params and (name in self.builtins or name in self.builtins.values()) and \
                self.builtin_name(name) not in self.with_params:
            raise ConfigError(
                f"{self.key}_params = {dict(params)!r} is invalid under the built-in {self.kind} {name}: "
                f"[{self.key}_params] applies to plug-in {plural} only ({self.key} = \"module:callable\"), so "
                f"{', '.join(map(str, params))} would be ignored; remove the table, or set {self.key} to the plug-in "
                f"it is for (a built-in's settings are keys of [{self.key.partition('.')[0]}], README \"Config "
                "reference\")")

    def check(self, name: str, params: Mapping[str, Any] | None = None, where: str = "") -> Callable[..., Any]:
        """Return the callable ``name`` stands for; raise one ConfigError line naming :attr:`key` (``where`` after
        it: ``[1]``, the element of a list) when it does not load, cannot be called with :attr:`args`, or declares a
        ``params`` dataclass ``params`` does not build."""
        from vixhedge.core.config import ConfigError

        try:
            fn = self.resolve(name)
            _check_signature(fn, self)
        except PluginImportError as exc:  # the name is right and the message says the fix
            raise ConfigError(f"{self.key}{where} = {name!r} is invalid: {exc}") from None
        except PluginError as exc:
            builtins = f"a built-in ({', '.join(self.builtins)}) or " if self.builtins else ""
            raise ConfigError(f"{self.key}{where} = {name!r} is invalid: {exc}; name {builtins}a 'module:callable' "
                              f"importable from PYTHONPATH (README \"Plug-ins\")") from None
        kind = getattr(fn, "params", None)
        if kind is not None and not (isinstance(kind, type) and dataclasses.is_dataclass(kind)):  # (trial PL: a dict)
            raise ConfigError(f"{self.key}{where} = {name!r} is invalid: its .params is {short_repr(kind, 60)} "
                              f"({type(kind).__name__}), not a dataclass: declare the table's fields as a "
                              "@dataclass and set .params to the class (README \"Plug-ins\")")
        if kind is not None and params is not None:
            try:
                _check_keys(kind, params)
                _check_types(kind, params)
                kind(**params)
            except (TypeError, ValueError) as exc:
                names = ", ".join(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else "?"
                raise ConfigError(f"{self.key}_params = {dict(params)!r} is invalid for {name}: {message(exc)}; use "
                                  f"the fields of {kind.__qualname__} ({names})") from None
        return fn

    def check_names(self, names: tuple[str, ...], clash: str) -> None:
        """:meth:`check` each of ``names`` (a line names the element and its index: ``analysis.analyzers[1] =
        'x:f' is invalid``, trial API39 L4), then raise one line when two file under one key; ``clash`` says why that
        matters, formatted with ``{a}``, ``{b}`` (the two names) and ``{key}``."""
        from vixhedge.core.config import ConfigError

        seen: dict[str, str] = {}
        for i, name in enumerate(names):
            self.check(name, where=f"[{i}]")
            key = key_of(name)
            if key in seen:
                raise ConfigError(f"{self.key} = {list(names)!r} is invalid: "
                                  + clash.format(a=repr(seen[key]), b=repr(name), key=repr(key)))
            seen[key] = name


def _check_keys(kind: type, params: Mapping[str, Any]) -> None:
    """Raise TypeError naming the first key of ``params`` that is no field of ``kind`` (a params dataclass), with the
    field it is closest to (a typo: ``contrcts`` -> did you mean 'contracts'?)."""
    if not dataclasses.is_dataclass(kind):
        return
    fields = [f.name for f in dataclasses.fields(kind) if f.init]
    for key in params:
        if key not in fields:
            raise TypeError(f"unknown key {key!r}{_did_you_mean(str(key), fields)}")


def _check_types(kind: type, params: Mapping[str, Any]) -> None:
    """Raise TypeError when a value of ``params`` has not the type ``kind`` (a params dataclass) annotates it with:
    int, float, bool, str, or a tuple / list of those (a dataclass does not check its annotations itself, so
    ``contracts = "3"`` would load and fail on the first bar). Other annotations are not checked."""
    try:
        hints = typing.get_type_hints(kind)
    except Exception:  # noqa: BLE001 - an annotation that does not resolve: the constructor alone checks
        return
    for key, value in params.items():
        why = _mismatch(value, hints.get(key))
        if why:
            hint = getattr(hints[key], "__name__", None) or str(hints[key])
            raise TypeError(f"{key} = {value!r}: {why} ({kind.__qualname__}.{key} is {hint})")


def _mismatch(value: Any, typ: Any) -> str:
    """Return why ``value`` is not of the simple type ``typ`` ("" when it is, or ``typ`` is not a simple type)."""
    if typ is bool:
        return "" if isinstance(value, bool) else "use true or false"
    if typ is int:
        return "" if isinstance(value, int) and not isinstance(value, bool) else "use a whole number"
    if typ is float:
        return "" if isinstance(value, (int, float)) and not isinstance(value, bool) else "use a number"
    if typ is str:
        return "" if isinstance(value, str) else "use a string"
    origin, args = typing.get_origin(typ), typing.get_args(typ)
    if origin not in (tuple, list):
        return ""
    if not isinstance(value, (list, tuple)):
        return "use a list"
    if origin is tuple and args and args[-1] is not Ellipsis and len(args) != len(value):
        return f"use a list of {len(args)} values"
    kinds = [args[0]] * len(value) if origin is list or (args and args[-1] is Ellipsis) else list(args)
    return next((f"item {i}: {why}" for i, (v, t) in enumerate(zip(value, kinds)) if (why := _mismatch(v, t))), "")


def _check_signature(fn: Callable[..., Any], reg: Registry) -> None:
    """Raise PluginError unless ``fn`` accepts ``reg.args`` positionally."""
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):  # a callable without an inspectable signature: trust it
        return
    try:
        sig.bind(*reg.args)
    except TypeError:
        takes = ", ".join(str(p.replace(annotation=p.empty)) for p in sig.parameters.values())
        raise PluginError(f"{'an' if reg.kind[0] in 'aeiou' else 'a'} {reg.kind} is called as f({', '.join(reg.args)}), but {fn.__qualname__}({takes}) "
                          "cannot be") from None
