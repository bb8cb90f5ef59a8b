"""Trial HELP32's findings on the command line (/work/notes/help32_report.md, session 32): a hint that points to a
remedy the command refuses (M3), the same thing named differently across subcommands (M4), and a data folder taken
from the current folder where its siblings take it beside the repo (M8)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from vixhedge.cli import _parser, main

ROOT = Path(__file__).resolve().parents[2]


def _error(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err
    return err


@pytest.mark.parametrize("flag, key", [("--start", "run.start"), ("--end", "run.end"),
                                       ("--history-start", "market.history_start")])
def test_replay_s_hint_for_a_window_flag_names_what_works_not_a_set_it_refuses(flag, key, capsys) -> None:
    """M3: `replay covid --start 2020-01-01` answered "a config key is set with --set run.start=VALUE", and that
    --set then answered "--set run.start and replay covid both set run.start: give one" (vixhedge.cli_set.OWN_FLAGS:
    a named period sets run.start, run.end and market.history_start). The hint's command parses as written."""
    err = _error(["replay", "covid", flag, "2020-01-02"], capsys)
    assert f"unrecognized arguments: {flag}; replay NAME sets {key} itself" in err, err
    assert "a config key is set with" not in err
    assert "another window runs as vixhedge run --data-dir DIR --start YYYY-MM-DD --end YYYY-MM-DD" in err
    assert main(["replay", "covid", "--set", f"{key}=2020-01-02"]) == 2  # (the --set it suggested: refused)
    assert f"--set {key} and replay covid both set {key}: give one" in capsys.readouterr().err
    args = _parser().parse_args(["run", "--data-dir", "DIR", "--start", "2020-01-02", "--end", "2020-03-31"])
    assert (args.start, args.end) == ("2020-01-02", "2020-03-31")
    # run.seed is no key of replay's own (cli_set.OWN_FLAGS): --seed still points to --set run.seed=VALUE
    assert "a config key is set with --set run.seed=VALUE" in _error(["replay", "covid", "--seed", "3"], capsys)


@pytest.mark.parametrize("argv, hint", [
    (["sweep", "--runs-dir", "x"], "; this command writes to --out DIR, the output folder itself"),
    (["placebo", "--runs-dir", "x"], "; this command writes to --out DIR, the output folder itself"),
    (["run", "--out", "x"], "; this command writes under --runs-dir DIR, the parent folder of its run folders"),
    (["compare", "--out", "x"], "; this command writes under --runs-dir DIR, the parent folder of its run folders"),
])
def test_the_output_flag_of_another_command_names_this_command_s(argv, hint, capsys) -> None:
    """M4: `sweep --runs-dir` and `placebo --runs-dir` were refused with no pointer (sweep and placebo take --out,
    the folder itself: vixhedge/cli_sweep.py, cli_placebo.py; run, compare and replay --runs-dir, the parent)."""
    assert f"unrecognized arguments: {argv[1]}{hint}" in _error(argv, capsys)


def test_replay_takes_its_config_as_a_positional_as_run_does(tmp_path: Path, capsys) -> None:
    """M4: `vixhedge replay covid my.toml` answered "unrecognized arguments: my.toml" (run, compare and placebo take
    the config as a positional; replay had --config only). The file's hedge.mode = "none" reaches the run folder's
    config.toml; the config given both ways is refused."""
    toml = tmp_path / "none.toml"
    toml.write_text('[hedge]\nmode = "none"\n')
    assert _parser().parse_args(["replay", "volmageddon", str(toml)]).config == toml
    assert main(["replay", "volmageddon", str(toml), "--runs-dir", str(tmp_path / "runs"), "-q"]) == 0
    (folder,) = (tmp_path / "runs").iterdir()
    assert 'mode = "none"' in (folder / "config.toml").read_text()
    capsys.readouterr()
    assert main(["replay", "volmageddon", str(toml), "--config", str(toml)]) == 2
    assert capsys.readouterr().err == f"vixhedge: give the config once: {toml} or --config {toml}\n"


def test_data_dir_reads_dir_in_every_subcommand_s_help(capsys) -> None:
    """M4: --data-dir's metavar was DIR in run, compare, sweep, placebo and data check, DATA_DIR in replay."""
    for command in ("run", "compare", "sweep", "placebo", "replay"):
        with pytest.raises(SystemExit):
            main([command, "--help"])
        out = capsys.readouterr().out
        assert "--data-dir DIR" in out and "--data-dir DATA_DIR" not in out, command


def test_vixsmilefit_takes_its_data_folder_beside_the_repo_as_its_siblings() -> None:
    """M8: feeds.vixsmilefit's default ../shared/data was taken from the current folder; feeds.calibrate, feeds.bench,
    feeds.vxfit_spx and the measure scripts take it beside the repo (feeds/measure_cli.py)."""
    from feeds import vixsmilefit
    from feeds.measure_cli import data_dir_parser

    want = data_dir_parser("x", None).parse_args([]).data_dir
    assert want == ROOT.parent / "shared" / "data"
    assert Path(vixsmilefit.parser().parse_args([]).data_dir) == want


def test_placebo_takes_preset_and_set_and_points_to_a_config_file_for_a_hedge_mode(monkeypatch, capsys) -> None:
    """M5: `vixhedge placebo --preset steward` answered "unrecognized arguments: --preset (see vixhedge placebo
    --help)", a help without the workaround. --preset and --set now resolve as run's do (the steward preset's run.name
    is steward: vixhedge/configs/steward.toml; --set replaces the seed); --hedge-mode's refusal names the
    config-file route, whose first command (run --hedge-mode MODE --print-config) parses."""
    import vixhedge.cli as cli

    got = []
    monkeypatch.setitem(cli.COMMANDS, "placebo", lambda args, cfg: got.append(cfg) or 0)
    assert main(["placebo", "--preset", "steward", "--set", "run.seed=9"]) == 0
    assert (got[0].run.name, got[0].run.seed) == ("steward", 9)
    err = _error(["placebo", "--hedge-mode", "static"], capsys)
    assert ("--hedge-mode; placebo ranks the config's own hedge policy: choose it with --set hedge.mode=MODE, --preset "
            "NAME or a config file (vixhedge run --hedge-mode MODE --print-config > x.toml; vixhedge placebo x.toml)"
            in err)
    assert _parser().parse_args(["run", "--hedge-mode", "static", "--print-config"]).print_config


@pytest.mark.parametrize("module, prints", [
    ("vixhedge.model_vs_real", "as Markdown"), ("vixhedge.rollcheck", "one line per series"),
    ("vixhedge.vxth_index", "as a Markdown table"), ("vixhedge.skew_error", "as Markdown")])
def test_the_reports_help_shows_what_they_print_and_how_long_they_take(module, prints) -> None:
    """M9: these four showed their docstring's first line only (description=__doc__.splitlines()[0]): not what
    they print, how long they take nor their usage lines; presets_figures, capital_figures and calibrate show it
    whole (RawDescriptionHelpFormatter). Times: HELP32's and this session's wall clocks (the docstrings)."""
    import importlib

    text = importlib.import_module(module).parser().format_help()
    assert f"    python -m {module} " in text and prints in text
    assert re.search(r"About \d+ s", text), text


def test_rollcheck_refuses_the_flags_model_does_not_read(capsys) -> None:
    """M7: `rollcheck --model --data-dir ../shared/data --start-year 2008 --end-year 2009` printed the 2016 table of
    `--model` alone (the flags unread); the years' defaults stay 2014 and 2018 (README's roll figures)."""
    from vixhedge.rollcheck import arguments

    with pytest.raises(SystemExit) as exit_:
        arguments(["--model", "--data-dir", "x", "--start-year", "2008", "--end-year", "2009"])
    assert exit_.value.code == 2
    assert "--model measures the modelled curve over 2016 under a constant VIX and reads no data: drop --data-dir " \
           "--start-year --end-year" in capsys.readouterr().err
    a = arguments(["--data-dir", "x"])
    assert (a.start_year, a.end_year, arguments(["--model"]).model) == (2014, 2018, True)


def help_of(argv: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exit_:
        main([*argv, "--help"])
    assert exit_.value.code == 0
    return " ".join(capsys.readouterr().out.split())  # (argparse wraps lines)


def test_compare_s_help_lists_the_modes_the_ranges_and_the_units(capsys) -> None:
    """M6: --modes named no valid mode (the list was in the error for a wrong one only: vixhedge/api_args.py); the
    built-ins are the policy registry's (vixhedge.registries.POLICY: none, static, alvh, vxth, placebo). L3:
    --n-boot's range, 100..100,000, was in its error only (compare_args.MAX_BOOT); --block-days counts sessions
    (its error: "1..1217 days (the window ... has 1218 sessions)"). L4: the usage read `--variant NAME [KEY=VALUE
    ...]`, KEY=VALUE as if optional, where one is required."""
    from vixhedge.compare_args import MAX_BOOT
    from vixhedge.registries import POLICY

    text = help_of(["compare"], capsys)
    assert list(POLICY.builtins) == ["none", "static", "alvh", "vxth", "placebo"]
    assert "the built-in policies (none, static, alvh, vxth, placebo)" in text
    assert f"bootstrap draws, 100..{MAX_BOOT:,}" in text and "in days, that is trading sessions" in text
    assert "[--variant NAME KEY=VALUE [KEY=VALUE ...]]" in text


def test_sweep_s_help_defines_its_terms_and_quotes_the_readme_on_the_kernel(capsys) -> None:
    """M10: SPA / StepM, the all-points kernel and the event path were undefined in sweep --help, and it did not say
    whether --kernel off changes a result: README's [sweep] table says "the rows agree to 1e-9" (quoted exactly).
    L3: --spa-block-days counts sessions. L13: the exit codes, 1 when no point finished (cli_sweep.failure_exit)."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    text = help_of(["sweep"], capsys)
    for words in ("SPA Hansen's Superior Predictive Ability test", "StepM Romano and Wolf's step-down test",
                  "all-points kernel the points it covers run together", "event path the day-by-day engine",
                  'README: "the rows agree to 1e-9"', "so --kernel changes no result",
                  "block in days, that is trading sessions", "1 no point finished"):
        assert words in text, words
    assert re.search(r"^\| `kernel` \|.*; the rows agree to 1e-9[;| ]", readme, re.M)  # the [sweep] table's row


@pytest.mark.parametrize("argv", [[], ["run"], ["compare"], ["sweep"], ["placebo"]])
def test_the_main_helps_give_the_exit_codes(argv, capsys) -> None:
    """L13: only data check's help gave its exit codes. vixhedge.guard.guarded: 2 a config or data error or an
    unusable path, 3 an internal error, 130 an interrupt; cli_signals.SIGTERM_EXIT 143."""
    from vixhedge.cli_signals import SIGTERM_EXIT

    text = help_of(argv, capsys)
    assert "exit status: 0 done" in text and " 2 bad input:" in text and " 3 internal error" in text
    assert f"130 interrupted (Ctrl-C; {SIGTERM_EXIT} on SIGTERM)" in text


def test_vixhedge_alone_help_and_a_typo_d_command(capsys) -> None:
    """L1: `vixhedge` alone was one line ("the following arguments are required"), `vixhedge help [run]` "invalid
    choice: 'help'", and a typo'd subcommand got no "did you mean" where a typo'd flag does (guard.unknown_hint)."""
    assert main([]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("usage: vixhedge ") and "{run,compare,sweep,placebo,report,replay,data}" in err
    assert main(["help"]) == 0 and capsys.readouterr().out.startswith("usage: vixhedge ")
    for command in (["run"], ["data", "fetch"]):
        with pytest.raises(SystemExit) as exit_:
            main(["help", *command])
        assert exit_.value.code == 0 and capsys.readouterr().out.startswith(f"usage: vixhedge {' '.join(command)} ")
    for typo, meant in ((["rnu"], "run"), (["comapre"], "compare"), (["data", "chek"], "check"),
                        (["run", "--preset", "stewrd"], "steward")):
        err = _error(typo, capsys)
        assert f"invalid choice: '{typo[-1]}'" in err and f"; did you mean {meant}? (see vixhedge" in err, err


def test_report_replay_placebo_and_reference_helps(capsys) -> None:
    """L2: report's help said "the SVG figures" (a compare folder's are overlay.png and paired.png) and named neither
    compare --windows folders (rebuilt) nor placebo / --period all folders (refused). L6: replay's -q lacked "bars
    draw only on a terminal" (cli.quiet_flag's words); placebo's third example had no words. L5: the reference's
    options read `--write [README.md]` where a bare --write is refused and the usage says `[--write README.md]`."""
    from vixhedge.core.config import reference

    text = help_of(["report"], capsys)
    assert "overlay.png and paired.png" in text and "a compare --windows or --period all one too" in text
    assert "A placebo folder is refused" in text  # (a --period all folder has a page: trial VIS35 M5)
    assert "bars draw only on a terminal" in help_of(["replay"], capsys)
    assert "--end 2020-12-31 real data, 2015-2020" in help_of(["placebo"], capsys)
    assert "[README.md]" not in reference.parser().format_help()
