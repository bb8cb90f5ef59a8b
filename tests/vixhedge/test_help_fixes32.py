"""Trial HELP32's findings on the command line (/work/notes/help32_report.md, session 32): a hint that points to a
remedy the command refuses (M3), the same thing named differently across subcommands (M4), and a data folder taken
from the current folder where its siblings take it beside the repo (M8)."""

from __future__ import annotations

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


def test_a_key_replay_leaves_to_set_keeps_the_set_hint(capsys) -> None:
    """run.seed is no flag of replay's own (cli_set.OWN_FLAGS): --seed still points to --set run.seed=VALUE."""
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
    --help)", a help without the workaround. --preset and --set now resolve as run's do (the steward preset's run.name is
    steward: vixhedge/configs/steward.toml; --set replaces the seed); --hedge-mode's refusal names the
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
