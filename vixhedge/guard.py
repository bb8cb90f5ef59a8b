"""Every command ends an error as ONE line on stderr, never a traceback (the CLI and the ``python -m`` reports).

:func:`guarded` runs a command and turns what it raises into a line naming the program: a config or data error
(the message names the field or file, the value and the fix; exit 2; a plug-in's failure ends with where in the
plug-in's code it raised, and with ``VIXHEDGE_DEBUG=1`` that exception's traceback comes first:
:mod:`vixhedge.plugin_trace`), an unreadable or unwritable path (2: the line
names the path and, for the usual causes, the fix: :func:`os_error_line`), an interrupt (130), anything else as an
internal error (3; ``VIXHEDGE_DEBUG=1`` re-raises it for the traceback); output cut short by its reader (``| head``)
ends quietly (exit 141: :mod:`vixhedge.entry`), and a character the output cannot encode prints escaped.
:class:`Parser` makes a usage error one line too (exit 2), as the ``vixhedge`` CLI's parser does, and refuses a
flag given twice with two values. Neither imports pandas: a ``--help`` that loads nothing else is instant.
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import sys
import weakref
from collections.abc import Callable

from vixhedge import entry

#: the error types that are bad input (exit 2): (module, class); looked up only in modules already loaded
INPUT_ERRORS = (("feeds.marketdata", "DataError"), ("vixhedge.core.config", "ConfigError"),
                ("vixhedge.atomic", "FolderError"), ("vixhedge.runfolder", "RunFolderError"))  # a damaged folder

_ELSEWHERE = "write elsewhere (vixhedge run and compare: --runs-dir DIR; sweep: --out DIR)"
#: the fix of a folder ``vixhedge report`` cannot write in (it has no output flag: it rewrites the folder in place)
REPORT_ELSEWHERE = "copy the folder somewhere writable (cp -r FOLDER COPY) and run vixhedge report COPY"
#: the fix of the usual causes of an OSError, by errno (``{elsewhere}``: where else the command can write)
FIXES = {errno.ENOSPC: "free some space on that disk, or {elsewhere}",
         errno.EDQUOT: "free some space within your disk quota, or {elsewhere}",
         errno.EROFS: "that file system is read-only: {elsewhere}",
         errno.EACCES: "no permission there: make it writable (or readable) for you, or {elsewhere}",
         errno.EPERM: "not permitted there: {elsewhere}",
         errno.ENOTDIR: "a part of that path is a file, not a folder: fix the path",
         errno.ENOENT: "it does not exist: check the path",
         errno.EFBIG: "a file size limit stopped the write (ulimit -f): raise it, or {elsewhere}",
         errno.EXDEV: ("the folder cannot be replaced in place there (another device or an overlay file system's "
                       "lower layer): delete the old folder first, or {elsewhere}")}


UNKNOWN = "unrecognized arguments: "  # argparse's words for a flag no parser knows
#: source markup a help shows from a docstring: ``:mod:`feeds.vxcurve` `` and ````--data-dir```` print as the name
_ROLE = re.compile(r":(?:mod|func|data|class|meth|attr|exc):`~?([^`]+)`")
_LITERAL = re.compile(r"``([^`]+)``")
_CHOICE = re.compile(r"invalid choice: '([^']*)' \(choose from (.*)\)$")  # argparse's words for a bad choice
#: a flag another command has, given to one with its own flag for the same thing -> (that flag, the hint)
#: (HELP32 M4: run, compare and replay write under --runs-dir, a parent folder; sweep and placebo to --out)
ELSEWHERE_FLAGS = {"--runs-dir": ("--out", "; this command writes to --out DIR, the output folder itself (run's "
                                            "--runs-dir is the parent folder its run folders go in)"),
                   "--out": ("--runs-dir", "; this command writes under --runs-dir DIR, the parent folder of its run "
                                           "folders (sweep's and placebo's --out is the folder itself)")}


class _Once(argparse.Action):
    """argparse's ``store``, except that a flag given twice with two values is a usage error naming both (argparse
    keeps the last without a word: ``--period gfc --period covid`` ran covid; trial IO31); the same value twice
    passes. The namespace of the parse it last stored in is held weakly (a Namespace is unhashable)."""

    def __call__(self, parser, namespace, values, option_string=None):
        last = getattr(self, "_last", None)
        if last is not None and last[0]() is namespace and last[1] != values:
            parser.error(f"{option_string} given twice ({last[1]}, then {values}): give it once")
        self._last = (weakref.ref(namespace), values)
        setattr(namespace, self.dest, values)


class Parser(argparse.ArgumentParser):
    """An ArgumentParser whose usage errors are one line ``prog: error: message (see prog --help)``, exit 2.

    Give ``prog`` as the command a user types (``python -m feeds.calibrate``); subcommand parsers inherit the class.
    :meth:`parse_args` readies the process first (:func:`vixhedge.entry.start`: escaped output; a folder in the
    working folder that would shadow one of the project's packages is one line, exit 2).
    """

    #: config keys this command sets itself and refuses from --set -> what to do instead (replay: its period's
    #: window; HELP32 M3: the unknown-flag hint suggested a --set the command then refused)
    own_keys: dict[str, str] = {}
    #: flags of other commands this one has not -> the hint (placebo's --hedge-mode: what to give instead)
    flag_hints: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.register("action", None, _Once)
        self.register("action", "store", _Once)

    def format_help(self) -> str:
        """argparse's help without the docstrings' Sphinx markup (HELP32 L9: printed as is): :func:`plain`."""
        return plain(super().format_help())

    def error(self, message: str):
        message = " ".join(message.split())
        if message.startswith(UNKNOWN) and message[len(UNKNOWN):].strip():
            message += self.unknown_hint(message[len(UNKNOWN):].split()[0])
        elif choice := _CHOICE.search(message):  # a typo'd subcommand or choice (HELP32 L1: `vixhedge rnu`)
            import difflib

            if close := difflib.get_close_matches(choice[1], re.findall(r"'([^']*)'", choice[2]), 1, 0.6):
                message += f"; did you mean {close[0]}?"
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")

    def unknown_hint(self, token: str) -> str:
        """"; did you mean --n-boot?" for a flag close to one of this parser's (``--boot``), or, where the parser
        has ``--set``, "; a config key is set with --set run.seed=VALUE" for a flag named as a config key is
        (``--seed``; ``-o``: with --set KEY=VALUE); "" when none fits (trial IO31: no pointer at all)."""
        import difflib

        flag = token.split("=", 1)[0]
        known = [s for a in self._actions for s in a.option_strings if s.startswith("--")]
        if flag in self.flag_hints:
            return self.flag_hints[flag]
        if flag in ELSEWHERE_FLAGS and ELSEWHERE_FLAGS[flag][0] in known:
            return ELSEWHERE_FLAGS[flag][1]
        if close := difflib.get_close_matches(flag, known, 1, 0.75):
            return f"; did you mean {close[0]}?"
        if "--set" not in known or not flag.startswith("-"):
            return ""
        from vixhedge.core.config.meanings import MEANING

        name = flag.lstrip("-").replace("-", "_")
        keys = [k for k in MEANING if k.rsplit(".", 1)[-1] == name]
        if keys and keys[0] in self.own_keys:  # a --set the command would refuse: say what works instead
            return f"; {self.own_keys[keys[0]]}"
        if keys:
            return f"; a config key is set with --set {keys[0]}=VALUE"
        return "; a config key is set with --set KEY=VALUE" if len(name) == 1 else ""  # (-o, -s: other tools')

    def parse_args(self, args=None, namespace=None):
        """Parse as argparse does, but name an unknown ``--flag`` first: argparse reports a missing required
        argument before it (``--data-dir is required`` for a typo'd ``--data-dri``)."""
        shadowed = entry.start(self.prog)
        if shadowed:
            self.exit(2, shadowed + "\n")
        found = self.unknown_flag(sys.argv[1:] if args is None else list(args))
        if found:
            found[0].error(f"unrecognized arguments: {found[1]}")
        return super().parse_args(args, namespace)

    def unknown_flag(self, args: list[str]) -> tuple[Parser, str] | None:
        """Return (the parser it was given to, the token) of the first ``--flag`` no parser on its path knows:
        the flags before a subcommand's name are this parser's, those after it the subcommand's."""
        known = [s for a in self._actions for s in a.option_strings]
        commands = self._subparsers._group_actions[0].choices if self._subparsers is not None else {}
        for i, token in enumerate(args):
            if token == "--":
                return None
            if token in commands:
                child = commands[token]
                return child.unknown_flag(args[i + 1:]) if isinstance(child, Parser) else None
            flag = token.split("=", 1)[0]
            if flag.startswith("--") and not any(k.startswith(flag) for k in known):  # abbreviations pass
                return self, token
        return None


def plain(text: str) -> str:
    """Return ``text`` with its Sphinx roles and double back-quotes as the bare names they mark."""
    return _LITERAL.sub(r"\1", _ROLE.sub(r"\1", text))


def one_line(exc: BaseException) -> str:
    """Return ``exc``'s message on one line (whitespace runs collapsed)."""
    return " ".join(str(exc).split())


def guarded(prog: str, command: Callable[[], int | None], elsewhere: str = "") -> int:
    """Run ``command`` and return its exit code; an error becomes one line ``prog: message`` on stderr
    (``elsewhere``: how this command writes elsewhere, for the fix of an unwritable path; default: run's, sweep's)."""
    entry.escape_unencodable()
    try:
        code = command() or 0
        entry.flush_stdout()  # here, so a closed pipe is caught below, not at the interpreter's exit
        return code
    except KeyboardInterrupt as exc:
        from vixhedge.cli_signals import interrupt_words

        print(f"{prog}: interrupted{interrupt_words(exc)}", file=sys.stderr)
        return 130
    except OSError as exc:
        if isinstance(exc, BrokenPipeError) and entry.stdout_closed():  # `| head` read what it wanted: no error
            return entry.closed_pipe()
        print(f"{prog}: {os_error_line(exc, elsewhere)}", file=sys.stderr)
        return 2
    except Exception as exc:  # noqa: BLE001 - the promise: one line, never a traceback
        if _input_error(exc):
            from vixhedge import plugin_trace  # a plug-in's failure (its text ends with where): with DEBUG its traceback

            if os.environ.get("VIXHEDGE_DEBUG"):
                print(plugin_trace.cause_traceback(exc), end="", file=sys.stderr)
            print(f"{prog}: {one_line(exc)}", file=sys.stderr)
            return 2
        shadow = entry.stdlib_shadow(prog, exc)  # (a user's selectors.py imported in the standard library's place)
        if shadow and not os.environ.get("VIXHEDGE_DEBUG"):
            print(shadow, file=sys.stderr)
            return 2
        if os.environ.get("VIXHEDGE_DEBUG"):
            raise
        print(f"{prog}: internal error: {type(exc).__name__}: {one_line(exc)} (set VIXHEDGE_DEBUG=1 for the "
              "traceback and report it)", file=sys.stderr)
        return 3


def os_error_line(exc: OSError, elsewhere: str = "") -> str:
    """Return ``exc`` as one line naming the path (the folder or file the user gave or knows) and the fix
    (``elsewhere``: how the command writes elsewhere; default: run and compare's --runs-dir, sweep's --out)."""
    if exc.errno == errno.EISDIR and exc.filename:
        return f"{exc.filename} is a folder, not a file: give a file (vixhedge run, compare: a .toml config file)"
    where = f" {exc.filename}" if exc.filename else ""
    if exc.errno == errno.EACCES and exc.filename and os.path.exists(exc.filename) \
            and not os.access(exc.filename, os.R_OK):  # an input the user gave: no output flag fixes it
        kind = "folder" if os.path.isdir(exc.filename) else "file"
        return (f"cannot read the {kind} {exc.filename}: {one_line(exc.strerror or exc)}: make it readable for you "
                f"(chmod u+r{'x' if kind == 'folder' else ''}), or give a readable copy")
    if not elsewhere:
        elsewhere = _ELSEWHERE + (", or work on a writable copy" if exc.errno == errno.EROFS else "")
    fix = FIXES[exc.errno].format(elsewhere=elsewhere) if exc.errno in FIXES else None
    return f"cannot read or write{where}: {one_line(exc.strerror or exc)}" + (f": {fix}" if fix else "")


def _input_error(exc: Exception) -> bool:
    """Return whether ``exc`` is a config or data error, importing nothing (a module never loaded raised none)."""
    kinds = (getattr(sys.modules.get(module), name, None) for module, name in INPUT_ERRORS)
    return any(isinstance(exc, kind) for kind in kinds if isinstance(kind, type))
