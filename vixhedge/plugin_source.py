"""A plug-in's source identity: the sha256 of its module's file and of the modules of its own it imports.

:func:`source_sha256` is what :func:`vixhedge.plugins.identity` records in the run id and manifest.json: an edited
plug-in, or an edited helper module it imports (same package, or any other Python source on the path outside the
standard library, installed packages and this project: :func:`local_imports`), is a new run. The imports are read
from the sources' import statements and found as an import would find them, importing nothing.
"""

from __future__ import annotations

import ast
import hashlib
import importlib
import importlib.machinery
import importlib.util
import inspect
import sys
import sysconfig
from pathlib import Path
from typing import Any

#: the project's own packages: a built-in's identity hashes its own file only (the run's commit covers the others)
PROJECT = frozenset({"vixhedge", "strategies", "feeds", "analyzers"})
UNKNOWN = "unknown"  # the source sha256 of a module without a source file: refused by load()


def _source(module: Any) -> bytes | None:
    try:
        return Path(inspect.getfile(module)).read_bytes()
    except (TypeError, OSError):  # a module without a source file (built-in, frozen)
        return None


def _read(origin: str) -> bytes:
    try:
        return Path(origin).read_bytes()
    except OSError:
        return b""


def source_sha256(module: Any) -> str:
    """Return the sha256 of the module's source file; with local imports (:func:`local_imports`), of that source
    followed by each one's name and source, by name: an edited helper module is a new identity too."""
    return hashed(module)[0]


def hashed(module: Any) -> tuple[str, list[dict[str, str]]]:
    """Return :func:`source_sha256` and the files it hashed, each read once: ``{"module", "file", "sha256"}`` (the
    file's own sha256) of the module, then of each local import by name (manifest.json ``source_files``: which file
    an edit changed, trial API39 M3); no files for one of this project's modules (the commit versions them)."""
    own = _source(module)
    if own is None:
        return UNKNOWN, []
    digest = hashlib.sha256(own)
    if module.__name__.partition(".")[0] in PROJECT:  # a built-in: the manifest's git commit versions the rest
        return digest.hexdigest(), []
    files = [{"module": module.__name__, "file": str(Path(inspect.getfile(module)).resolve()),
              "sha256": hashlib.sha256(own).hexdigest()}]
    for name, origin in sorted(_local_files(module).items()):
        text = _read(origin)
        digest.update(b"\0" + name.encode() + b"\0" + text)
        files.append({"module": name, "file": str(Path(origin).resolve()), "sha256": hashlib.sha256(text).hexdigest()})
    return digest.hexdigest(), files


def local_imports(module: Any) -> set[str]:
    """Return the names of the modules ``module`` imports, directly or through each other, that are its own:
    modules of its top-level package, and any other Python source on the path outside the standard library,
    installed packages (site-packages) and this project (:func:`_is_local`). Read from the import statements of the
    sources and found as an import would find them (:func:`_find`, importing none), not from what happens to be
    loaded: the answer depends on the code only (a helper imported lazily inside a function counts before its
    first call)."""
    return set(_local_files(module))


def _local_files(module: Any) -> dict[str, str]:
    """:func:`local_imports` with each module's source file."""
    top = module.__name__.partition(".")[0]
    own = getattr(module, "__file__", None)
    found: dict[str, str] = {}
    todo = [(_source(module), module.__package__ or "")]
    while todo:
        source, package = todo.pop()
        for name in _imported_names(source, package):
            spec = None if name in found or name == module.__name__ else _find(name)
            if spec is None or spec.origin == own or not _is_local(name, spec.origin, top):
                continue
            found[name] = spec.origin
            todo.append((_read(spec.origin), name if spec.submodule_search_locations is not None
                         else name.rpartition(".")[0]))
    return found


def _find(name: str) -> Any:
    """Return the spec an import of ``name`` would load (None when none), importing nothing: a package's
    submodule is looked up in the package's directories, not through an import of the package."""
    parent, _, _ = name.rpartition(".")
    try:
        if not parent:
            return importlib.util.find_spec(name) if name not in sys.modules else sys.modules[name].__spec__
        outer = _find(parent)
        if outer is None or outer.submodule_search_locations is None:
            return None
        return importlib.machinery.PathFinder.find_spec(name, list(outer.submodule_search_locations))
    except (ImportError, ValueError, AttributeError):
        return None


def _is_local(name: str, origin: str | None, top: str) -> bool:
    """Whether the module ``name`` (its file ``origin``) is the plug-in's own: its package's, or any other Python
    source an import finds outside the standard library, installed packages and this project (whose commit the
    manifest records): a helper in another PYTHONPATH folder too (plug-in trial, session 16: edited there, it kept
    the run id and a sweep resumed on stale rows)."""
    if not origin:
        return False
    file = Path(origin).resolve()
    if file.suffix != ".py":
        return False
    if name.partition(".")[0] == top:
        return True
    if {"site-packages", "dist-packages"} & set(file.parts) or name.partition(".")[0] in PROJECT:
        return False
    return not any(file.is_relative_to(lib) for lib in _STDLIB)


#: the standard library's folders (its modules are versioned by the Python the manifest records)
_STDLIB = tuple({Path(sysconfig.get_paths()[k]).resolve() for k in ("stdlib", "platstdlib")})


def _imported_names(source: bytes | None, package: str) -> set[str]:
    """Return the module names a source's import statements name (``from a import b``: ``a`` and ``a.b``), relative
    ones resolved against ``package``."""
    try:
        tree = ast.parse(source or b"")
    except (SyntaxError, ValueError):
        return set()
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            try:
                base = importlib.util.resolve_name("." * node.level + (node.module or ""), package)
            except (ImportError, ValueError):
                continue
            names |= {base} | {f"{base}.{alias.name}" for alias in node.names}
    return {".".join(n.split(".")[:k]) for n in names for k in range(1, n.count(".") + 2)}
