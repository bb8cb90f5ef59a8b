"""Where a plug-in's own code raised: the one line of a plug-in failure ends with it (:func:`where`).

A plug-in failure is the one-line error a plug-in wrapper raises ``from`` what the plug-in raised: a
:class:`~strategies.policies.PolicyError` (hedge policy), :class:`~strategies.selectors.SelectorError` (condor
selector), :class:`~strategies.extra_signals.SignalError` (extra signal) or :class:`~analyzers.plugins.AnalyzerError`
(analyzer). Its message names the plug-in, the day and the exception; :func:`where` adds the place in the user's
code, `` (at /path/bad.py:12 in boom)``: the deepest traceback frame of that exception in the plug-in's own file
(the first file the traceback enters after the wrapper that is neither the vixhedge project's, nor the standard
library's, nor an installed package's; a built-in plug-in's is its project file), or else the deepest frame outside
those; when the exception was raised in another file of the user's (a helper module), that place follows
(``; raised in /path/helper.py:3 in f``); the four error types end their own text with it (:class:`Located`), so a
notebook's traceback shows the place as the command line does (trial API22: from Python it was only on
``__cause__``, under eight frames of the engine). :func:`cause_traceback` is the cause's full traceback, which
``VIXHEDGE_DEBUG=1`` prints (:func:`vixhedge.guard.guarded`). :func:`import_place` is the same place for a plug-in
module whose own code raised while it was imported (:func:`vixhedge.plugins.load`; a sweep's failed.csv carries
:func:`where` too). Imports only the standard library (no pandas: the
guard stays light) and looks the error types up in modules already loaded (a module never loaded raised none).
"""

from __future__ import annotations

import os
import sys
import sysconfig
import traceback
from functools import cache

#: the plug-in wrappers' error types: (module, class)
PLUGIN_ERRORS = (("strategies.policies", "PolicyError"), ("strategies.selectors", "SelectorError"),
                 ("strategies.extra_signals", "SignalError"), ("analyzers.plugins", "AnalyzerError"))
#: the project's packages (as vixhedge.plugins.PROJECT; not imported from there: that module is heavier)
PROJECT = ("vixhedge", "strategies", "feeds", "analyzers")


class Located(Exception):
    """A plug-in failure whose text ends with where the plug-in's own code raised (:func:`where`), once it has been
    raised ``from`` what the plug-in raised, or the place :func:`keep_place` kept."""

    def __str__(self) -> str:
        place = self.__dict__.get("place")
        return super().__str__() + (where(self) if place is None else place)


def keep_place(exc: BaseException) -> None:
    """Keep a plug-in failure's place (:func:`where`) in ``exc`` itself: a worker process's failure reaches its parent
    pickled, without what the plug-in raised (its ``__cause__``), and read ``hedge policy ... failed on DAY: ...``
    without its ``(at FILE:LINE in FUNC)`` (trial FUZZ37 L4: compare --windows --workers 2)."""
    if isinstance(exc, Located) and "place" not in exc.__dict__:
        exc.place = where(exc)


def plugin_cause(exc: BaseException) -> BaseException | None:
    """Return what the plug-in raised when ``exc`` is a plug-in failure raised from it, else None."""
    kinds = tuple(k for k in (getattr(sys.modules.get(m), n, None) for m, n in PLUGIN_ERRORS) if isinstance(k, type))
    cause = exc.__cause__
    return cause if kinds and isinstance(exc, kinds) and cause is not None else None


def where(exc: BaseException) -> str:
    """Return `` (at FILE:LINE in FUNCTION)`` of a plug-in failure ``exc`` (see the module's text), else ""."""
    cause = plugin_cause(exc)
    if cause is None:
        return ""
    frames = traceback.extract_tb(cause.__traceback__)[1:]  # the first: the wrapper that called the plug-in
    kind = [_kind(f.filename) for f in frames]
    if "user" not in kind:  # a built-in plug-in (project code), or one that raised in a library the wrapper called
        project = [f for f, k in zip(frames, kind) if k == "project"]
        return f" (at {_place(project[-1])})" if project else ""
    return _user_place(frames, kind)


def import_place(exc: BaseException) -> str:
    """Return `` (at FILE:LINE in FUNCTION)`` of where a plug-in module's own code raised ``exc`` while it was being
    imported (as :func:`where`; a SyntaxError: its file and line), else ""."""
    if isinstance(exc, SyntaxError) and exc.filename:
        return f" (at {exc.filename}:{exc.lineno})"
    frames = traceback.extract_tb(exc.__traceback__)
    kind = [_kind(f.filename) for f in frames]
    return _user_place(frames, kind) if "user" in kind else ""


def _user_place(frames: list[traceback.FrameSummary], kind: list[str]) -> str:
    """The deepest frame in the first user file the traceback enters, and the deepest user frame when elsewhere."""
    own = next(f.filename for f, k in zip(frames, kind) if k == "user")
    at = [f for f in frames if f.filename == own][-1]
    deepest = [f for f, k in zip(frames, kind) if k == "user"][-1]
    raised = f"; raised in {_place(deepest)}" if deepest.filename != own else ""
    return f" (at {_place(at)}{raised})"


def cause_traceback(exc: BaseException) -> str:
    """Return the full traceback of what the plug-in raised under ``exc`` ("" when ``exc`` is no plug-in failure)."""
    cause = plugin_cause(exc)
    return "".join(traceback.format_exception(cause)) if cause is not None else ""


def _place(frame: traceback.FrameSummary) -> str:
    return f"{frame.filename}:{frame.lineno} in {frame.name}"


def _kind(filename: str) -> str:
    """Return "project", "library" (the standard library, an installed package, frozen or made in memory) or
    "user" for the file of a traceback frame."""
    if filename.startswith("<"):
        return "library"
    path = os.path.realpath(filename)
    if any(path.startswith(root) for root in _roots("project")):
        return "project"
    parts = path.split(os.sep)
    if "site-packages" in parts or "dist-packages" in parts or any(path.startswith(r) for r in _roots("library")):
        return "library"
    return "user"


def _roots(kind: str) -> tuple[str, ...]:
    if kind == "project":  # not cached: a package loaded later adds its folder
        files = (getattr(sys.modules.get(p), "__file__", None) for p in PROJECT)
        return tuple(os.path.dirname(os.path.realpath(f)) + os.sep for f in files if f)
    return _library_roots()


@cache
def _library_roots() -> tuple[str, ...]:
    paths = sysconfig.get_paths()
    found = {paths[k] for k in ("stdlib", "platstdlib", "purelib", "platlib") if k in paths}
    return tuple(os.path.realpath(p) + os.sep for p in sorted(found))


def interrupted_in(exc: KeyboardInterrupt, where: str) -> KeyboardInterrupt:
    """``exc`` (Ctrl-C, or SIGTERM's :class:`vixhedge.cli_signals.Terminated`: its type kept) saying where it
    stopped, before its own words if it has any (a plug-in's own KeyboardInterrupt): a plug-in that hangs is named on
    the interrupt's line (trial PL25 read ``vixhedge: interrupted`` alone; the CLI prints it, cli_signals)."""
    own = str(exc.args[0]) if exc.args else ""
    exc.args = (f"{where}: {own}" if own else where,)
    return exc
