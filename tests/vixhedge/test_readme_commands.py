"""Every ``python -m <module>`` the README names is a module of the project that exists (a report moved to another
package, as strategies.presets -> vixhedge.presets_figures on 2026-12-04, takes the README's command with it), and
each project module the README runs that way is a command (it has a ``__main__`` block or is a package with
``__main__.py``)."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.util
import io
import re
import shlex
from pathlib import Path

import pytest

from vixhedge import cli

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
OURS = ("vixhedge", "feeds", "strategies", "analyzers", "tests")


def test_each_python_m_module_the_readme_names_exists_and_is_a_command():
    named = sorted({m for m in re.findall(r"python -m ([A-Za-z_][\w.]*)", README) if m.split(".")[0] in OURS})
    assert "vixhedge.presets_figures" in named and "vixhedge.vxth_index" in named and "vixhedge.rollcheck" in named
    missing, not_commands = [], []
    for module in named:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            missing.append(module)
            continue
        path = Path(spec.origin)
        if spec.submodule_search_locations is not None:
            path = path.parent / "__main__.py"
        if not path.exists() or "__main__" not in path.read_text(encoding="utf-8"):
            not_commands.append(module)
    assert (missing, not_commands) == ([], [])


COMMAND = re.compile(r"(vixhedge |python -m )")
SUBCOMMANDS = {"report", "sweep", "data", "check"}  # (each needs an argument: named alone, it is prose)
FILL = {"N": "2", "S": "60", "MB": "5", "NAME": "covid", "DIR": "../shared/data", "FILE": "my.toml", "DATE": "2018-01-02"}


def _printed_commands() -> list[tuple[int, str]]:
    """(README line, command) of every command line the README prints: the first column of an indented block's
    line, and inline code starting with ``vixhedge `` or ``python -m `` (not prose like ``vixhedge run: error``)."""
    out = []
    for n, line in enumerate(README.split("\n"), 1):
        if line.startswith("    ") and COMMAND.match(line.strip()):
            out.append((n, re.split(r"\s{2,}", line.strip())[0]))
    for m in re.finditer(r"`([^`]+)`", README):
        text = " ".join(m.group(1).split())
        if COMMAND.match(text) and not re.match(r"vixhedge( \[|\S*:| \w+:)", text):
            out.append((README[:m.start()].count("\n") + 1, text))
    return out


def _argv(command: str) -> tuple[str, list[str]] | None:
    """The module and arguments of a printed command, its placeholders filled (``<...>``, ``DIR``, ``N``; a synopsis'
    ``[--flag X]`` given; ``a|b`` and ``{a,b}`` as their first choice); None for a command of another program."""
    text = re.split(r"\s\|\s", command)[0]  # (a shell pipe's reader: `... | head`)
    text = re.sub(r"\s*\.\.\.$", "", text).replace("<", "").replace(">", "")
    text = re.sub(r"\[(-[^\]]*)\]", r"\1", text)
    text = re.sub(r"\{([^,}\s]+)(,[^}\s]+)+\}", r"\1", text)
    text = re.sub(r"([^\s|\[\]]+)(\|[^\s|\[\]]+)+", r"\1", text)
    words = shlex.split(text)
    module, args = (words[2], words[3:]) if words[:2] == ["python", "-m"] else ("vixhedge", words[1:])
    if module.split(".")[0] not in OURS or module.startswith("tests") or (args and set(args) <= SUBCOMMANDS):
        return None  # another program's, or prose naming a subcommand (`vixhedge report`, `vixhedge data check`)
    return module, [FILL.get(a, a) for a in args]


CASES = [(n, c) for n, c in _printed_commands() if _argv(c)]


def test_the_readme_prints_commands_of_every_kind():
    """A guard on the extraction itself: the set-up command, a synopsis and a python -m tool are among them."""
    commands = [c for _, c in CASES]
    assert "vixhedge run" in commands and any(c.startswith("vixhedge data fetch [--cache DIR]") for c in commands)
    assert any(c.startswith("python -m vixhedge.model_vs_real") for c in commands) and len(CASES) > 60


@pytest.mark.parametrize("line, command", CASES, ids=[f"L{n}" for n, _ in CASES])
def test_each_printed_command_parses(line: int, command: str):
    """Trial K (2026-12-04) ran every printed command: ``python -m vixhedge.skew_error`` lacked its required
    --data-dir, ``--start``/``--end`` had no value, ``none|static|alvh|vxth`` was a shell pipe. Each line must parse
    with its command's own parser (parse_args only: nothing runs). A prose mention of a flag alone
    (``vixhedge run --data-dir``) is read as the flag's name."""
    module, args = _argv(command)
    parser = cli._parser() if module == "vixhedge" else getattr(importlib.import_module(module), "parser", None)
    if parser is None:  # a tool without arguments (python -m vixhedge.core.config.reference --write README.md)
        return
    parser = parser() if callable(parser) and not isinstance(parser, argparse.ArgumentParser) else parser
    if module == "vixhedge" and args and args[-1].startswith("--") and "=" not in args[-1]:
        with contextlib.suppress(SystemExit), contextlib.redirect_stderr(io.StringIO()):
            parser.parse_args(args[:-1] + [args[-1], "x"])  # a flag named in prose: does it exist?
            args = args[:-1]
    try:
        with contextlib.redirect_stderr(io.StringIO()) as err, contextlib.redirect_stdout(io.StringIO()):
            parser.parse_args(args)
    except SystemExit as exc:
        assert exc.code == 0, f"README line {line}: `{command}` does not parse: {err.getvalue().strip()}"


def test_every_dotted_project_name_in_code_resolves():
    """Trial K: ``feeds.market.vx_bid_ask`` named a function that lives in feeds.marketquotes. Every dotted name of
    the project's packages in inline code is a module, or a module's attribute (loggers' names excepted)."""
    loggers = {"vixhedge.capital", "vixhedge.config", "vixhedge.data", "vixhedge.policy", "analyzers.tail_offset"}
    wrong = []
    for m in re.finditer(r"`([^`]+)`", README):
        for name in re.findall(r"(?<![\w./-])((?:vixhedge|feeds|strategies|analyzers)(?:\.[A-Za-z_]\w*)+)", m.group(1)):
            parts, obj, k = name.split("."), wrong, 0
            for k in range(len(parts), 0, -1):
                with contextlib.suppress(ModuleNotFoundError):
                    obj = importlib.import_module(".".join(parts[:k]))
                    break
            for attr in parts[k:]:
                obj = getattr(obj, attr, wrong)  # (a dataclass field's default may be None: it exists)
            if obj is wrong and name not in loggers:
                wrong.append((README[:m.start()].count("\n") + 1, name))
    assert wrong == []
