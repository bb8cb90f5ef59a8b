"""What every command does around its work, the ``vixhedge`` CLI and each ``python -m`` report alike.

- :func:`escape_unencodable`: a character the output's encoding lacks (``ä`` in a run name or a path, under
  ``PYTHONIOENCODING=ascii`` or a C locale) prints as an escape (``\\xe4``): a finished run no longer ended as an
  internal error (UnicodeEncodeError, exit 3) while printing its summary.
- :func:`shadowing_line`: a folder or module named ``feeds``, ``strategies`` or ``analyzers`` in the working
  folder (first on the import path under ``python -m``), or in a PYTHONPATH folder ahead of vixhedge's, would be
  imported instead of the project's own package: one line naming it, why it comes first and the fix, exit 2, before
  any work (it was a raw ModuleNotFoundError traceback).
- :func:`stdlib_shadow`: a module or package there named like a standard-library module (``selectors.py``) that a
  failed command had imported in the standard library's place: one line naming it and the fix, exit 2.
- :func:`closed_pipe`: output cut short by its reader (``... | head -1``) ends quietly with exit
  :data:`CLOSED_PIPE`, as a POSIX tool killed by SIGPIPE does (it was a traceback or "cannot read or write:
  Broken pipe", exit 2).

Only the standard library: ``--help`` stays instant.
"""

from __future__ import annotations

import os
import sys

#: exit code when the output's reader went away: 128 + SIGPIPE (13), what a shell reports for ``cat`` or ``grep``
#: ended by the signal in ``... | head`` (Python ignores SIGPIPE and gets EPIPE instead: BrokenPipeError)
CLOSED_PIPE = 141
#: the project's top-level packages installed beside ``vixhedge`` (pyproject.toml: tool.setuptools.packages.find)
SIBLINGS = ("feeds", "strategies", "analyzers")


def start(prog: str) -> str | None:
    """Ready the process for a command named ``prog`` (escaped output); return the error line of a shadowing
    folder (:func:`shadowing_line`: the caller prints it and exits 2 before any work), else None."""
    escape_unencodable()
    return shadowing_line(prog)


def escape_unencodable() -> None:
    """Make stdout and stderr write a character their encoding cannot as a backslash escape, not raise
    UnicodeEncodeError (stderr does so already; stdout is strict by default)."""
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream: nothing prints there anyway
                pass


def shadowing_line(prog: str) -> str | None:
    """Return the error line when one of :data:`SIBLINGS` would be imported from somewhere else than vixhedge's
    own folder's parent; else None. The line says why that folder comes first (:func:`_why_first`: the working folder
    under ``python -m``, a PYTHONPATH entry, another sys.path entry) and the fix that works there. The check imports
    nothing: it only asks where each would be found (a source checkout, an editable install and site-packages all
    hold the four packages side by side)."""
    from importlib.util import find_spec

    home = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    for name in SIBLINGS:
        try:
            spec = find_spec(name)
        except (ImportError, ValueError):  # a broken stand-in: its own error comes when it is imported
            continue
        if spec is None or not spec.has_location or not spec.origin:  # not found, or a namespace folder
            continue
        found = os.path.dirname(spec.origin) if spec.submodule_search_locations is not None else spec.origin
        if os.path.realpath(os.path.dirname(found)) == os.path.realpath(home):
            continue
        kind = "folder" if spec.submodule_search_locations is not None else "module"
        head = (f"{prog}: the {kind} {found} is imported as the package '{name}' instead of vixhedge's own "
                f"({os.path.join(home, name)}): ")
        why = _why_first(os.path.dirname(found))
        if why is None:  # the working folder, first on the import path under `python -m`
            fix = "run it from another folder or rename that " + kind
            if not prog.startswith("python -m"):
                fix += ", or run the installed `vixhedge` command (it does not look in the working folder)"
            return f"{head}`python -m` looks in the working folder first: {fix}"
        new = f"my_{name}{'.py' * (kind == 'module')}"
        return (f"{head}its folder {os.path.dirname(found)} comes before vixhedge's on {why}: {TAKEN} are vixhedge's "
                f"own packages, so rename that {kind} (e.g. {new}) and the plug-in names that use it (putting "
                "vixhedge's folder first would hide it instead)")
    return None


def stdlib_shadow(prog: str, exc: BaseException | None = None) -> str | None:
    """The error line when a module or package named like a standard-library module (``selectors.py``,
    ``calendar.py``, ``random.py``) was imported from a folder ahead of the standard library's on sys.path (the
    working folder under ``python -m``, a PYTHONPATH entry) in place of the standard library's, or raised while
    importing (a file in ``exc``'s traceback); None when none was. Asked when a command failed where it should not
    (an internal error, an import that raised): vixhedge or a library imported the user's file and failed far from it
    (trial FUZZ40 M5: an "internal error" or a 23-line traceback). A file of such a name that nothing imports is no
    error: a research folder's ``test.py`` or ``code.py`` runs nothing."""
    std = os.path.realpath(os.path.dirname(os.__file__))
    entries = [os.path.realpath(e or os.getcwd()) for e in sys.path]
    if std not in entries:  # (an embedded interpreter: no standard-library folder to compare with)
        return None
    ahead = set(entries[:entries.index(std)])
    names = set(getattr(sys, "stdlib_module_names", ())) - set(sys.builtin_module_names)
    files = [getattr(sys.modules.get(n), "__file__", None) for n in sorted(names)]
    tb = exc.__traceback__ if exc is not None else None
    while tb is not None:
        files.append(tb.tb_frame.f_code.co_filename)
        tb = tb.tb_next
    for file in filter(None, files):
        path = os.path.realpath(file)
        package = os.path.basename(path) == "__init__.py"
        found = os.path.dirname(path) if package else path
        folder, entry = os.path.split(found)
        if folder not in ahead or entry.removesuffix(".py") not in names:
            continue
        kind = "folder" if package else "module"
        name = entry.removesuffix(".py")
        own = os.path.join(std, f"{name}.py")
        head = (f"{prog}: the {kind} {found} hides the standard library's '{name}' "
                f"({own if os.path.isfile(own) else os.path.join(std, name)}), which vixhedge or a library it uses "
                "imported in its place")
        why = _why_first(folder)
        if why is None:
            return f"{head}: `python -m` looks in the working folder first: rename that {kind} (e.g. my_{entry})"
        return (f"{head}: its folder {folder} comes before the standard library's on {why}: rename that {kind} "
                f"(e.g. my_{entry}) and the plug-in names that use it")
    return None


#: the top-level names vixhedge's packages take: a plug-in module cannot have one (README "Plug-ins")
TAKEN = "'vixhedge', 'feeds', 'strategies' and 'analyzers'"


def _why_first(folder: str) -> str | None:
    """Why ``folder`` comes first on the import path: "PYTHONPATH" when it is one of its entries, "sys.path" for
    another entry (a .pth file, a script's own folder), None for the working folder that ``python -m`` puts first."""
    where, here = os.path.realpath(folder), os.path.realpath(os.getcwd())
    if where == here and sys.path and os.path.realpath(sys.path[0] or here) == here:  # first: PYTHONPATH comes after
        return None  # (trial RD40 M1: the working folder, also on PYTHONPATH behind vixhedge's, was blamed on it)
    entries = [os.path.realpath(e) for e in os.environ.get("PYTHONPATH", "").split(os.pathsep) if e]
    if where in entries:
        return "PYTHONPATH"
    return None if where == here else "sys.path"


def stdout_closed() -> bool:
    """Return whether stdout is a pipe whose reader has gone: polling its write end reports an error (Linux:
    POLLERR; BSD and macOS: POLLHUP). False where that cannot be told (no poll, no file descriptor)."""
    import select

    try:
        poller = select.poll()
        poller.register(sys.stdout.fileno(), select.POLLOUT)
        return any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0))
    except (AttributeError, OSError, ValueError):  # Windows (no poll); a notebook's or a test's captured stdout
        return False


def closed_pipe() -> int:
    """Point stdout at os.devnull (the interpreter's last flush of what is left must not fail again, printing a
    traceback) and return :data:`CLOSED_PIPE`."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, sys.stdout.fileno())
        finally:
            os.close(devnull)
    except (AttributeError, OSError, ValueError):
        pass
    return CLOSED_PIPE


def flush_stdout() -> None:
    """Flush stdout now (inside the command's guard), so a closed pipe is caught there, not at exit."""
    if sys.stdout is not None:
        sys.stdout.flush()
