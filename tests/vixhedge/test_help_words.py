"""What the --help examples say of a command agrees with what the command does (vixhedge/cli_help.py).

Mutation trial MUT29 (MU43, MU45, MU47, MU48): an example naming a file the data folder lacks, "1000 placebos", a
`--strict` that "exits 2" and a fetch example without `--no-rates` still saying "VX files and the VIX only" passed
every test; test_cli_errors.py::test_each_subcommands_help_shows_examples_that_parse checks only that they parse.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vixhedge.cli import _parser, main


def _help(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return capsys.readouterr().out


def _examples(text: str) -> dict[str, list[str]]:
    """{description: argv} of the help's examples (an example's words and its description 3 spaces or more apart)."""
    block = text.split("examples:\n")[1].split("\n\n")[0].splitlines()
    pairs = [re.split(r" {3,}", line.strip(), maxsplit=1) for line in block if line.startswith("  vixhedge ")]
    return {words: argv.split()[1:] for argv, words in pairs}


def test_the_placebo_count_is_the_commands_default(capsys) -> None:
    """`vixhedge --help`: "alvh's timing against N placebos"; N is `vixhedge placebo`'s --seeds default (100,
    vixhedge/cli_placebo.py)."""
    n = int(re.search(r"against (\d+) placebos", _help([], capsys))[1])
    assert n == _parser().parse_args(["placebo"]).seeds == 100


def test_data_check_s_strict_example_exits_as_the_exit_status_says(capsys) -> None:
    """The --strict example's "exit N" is the exit status list's (cli_help.CHECK_EPILOG: "1  with --strict") and
    the command's (tests/feeds/test_plausible.py: exit 1 on an implausible row with --strict)."""
    text = _help(["data", "check"], capsys)
    strict = next(w for w, argv in _examples(text).items() if "--strict" in argv)
    assert strict.startswith("exit 1 when") and "\n  1  with --strict:" in text


def test_fetch_examples_fetch_what_they_say(capsys) -> None:
    """FETCH_EPILOG: "VX files and the VIX only" skips the indices and DFF (--no-indices, --no-rates) and keeps the
    VIX; "VX files since 2013, VIX, indices, DFF" is the defaults (--start 2013-01-01, cli_data.py)."""
    examples = _examples(_help(["data", "fetch"], capsys))
    only = _parser().parse_args(examples["VX files and the VIX only"])
    assert (only.no_vix, only.no_indices, only.no_rates) == (False, True, True)
    every = next(argv for w, argv in examples.items() if w.startswith("VX files since 2013, VIX, indices, DFF"))
    args = _parser().parse_args(every)
    assert (args.no_vix, args.no_indices, args.no_rates, str(args.start)) == (False, False, False, "2013-01-01")


@pytest.mark.realdata
def test_data_check_s_examples_name_files_the_data_folder_holds(shared_data: Path, capsys) -> None:
    """Each `../shared/data/...` path of `data check --help` is in the project's data folder (data/README.md)."""
    paths = [a for argv in _examples(_help(["data", "check"], capsys)).values() for a in argv
             if a.startswith("../shared/data")]
    assert len(paths) >= 2
    for p in paths:
        assert (shared_data / p.removeprefix("../shared/data").lstrip("/")).exists(), p
