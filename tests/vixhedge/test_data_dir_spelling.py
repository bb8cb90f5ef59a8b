"""One data folder, one identity, however its path is spelled (trial DET32, session 32).

M1: ``run --data-dir`` kept an absolute path as typed (``vixhedge/api_args.py`` ``absolute_market`` resolved only a
relative one), so an absolute symlink and ``DIR/../data`` each gave another run id, and the folder named the path
as typed in config.toml but the resolved one in manifest.json and the figures' subtitles (DET32 M1: default-44fbbe6d
and default-4efa56e8 beside default-0efe2988 on ../shared/data). M2: a sweep's point keys and spec identity hashed
the data folder's path, so the same files at another path gave other point ids and a resume from there was refused
as "another sweep" (DET32 M2).
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from tests.feeds import synthdir
from vixhedge.cli import main

WINDOW = ["--start", "2018-03-01", "--end", "2018-06-29"]  # inside synthdir's 2018-01-02..2018-06-29


def _spellings(tmp_path: Path) -> tuple[Path, list[str]]:
    """A data folder and four spellings of it: as is, an absolute symlink, ``DIR/../data``, a relative symlink."""
    data = synthdir.write(tmp_path / "data")
    (tmp_path / "link").symlink_to(data)
    (tmp_path / "work").mkdir()
    (tmp_path / "work" / "rel").symlink_to(Path("..") / "data")
    return data.resolve(), [str(data), str(tmp_path / "link"), str(data / ".." / "data"), "rel"]


def test_every_spelling_of_a_data_folder_gives_one_run_folder_naming_the_resolved_path(tmp_path, monkeypatch,
                                                                                        capsys) -> None:
    data, spellings = _spellings(tmp_path)
    monkeypatch.chdir(tmp_path / "work")
    for given in spellings:
        assert main(["run", "-q", "--data-dir", given, "--runs-dir", "runs", *WINDOW]) == 0
    capsys.readouterr()
    folders = sorted(Path("runs").iterdir())
    assert len(folders) == 1, [f.name for f in folders]  # (old code: 3 folders, the symlink's and ../data's apart)
    folder = folders[0]
    assert f'data_dir = "{data}"' in (folder / "config.toml").read_text()
    assert json.loads((folder / "manifest.json").read_text())["data_source"] == f"directory:{data}"
    assert f"data directory: {data}" in (folder / "equity.svg").read_text()


def test_the_api_resolves_an_absolute_symlink_as_the_command_line_does(tmp_path) -> None:
    from vixhedge import api
    from vixhedge.report import run_id

    data, spellings = _spellings(tmp_path)
    cfgs = [api.replace_config(api.load_default_config(), market={"source": "directory", "data_dir": s})
            for s in spellings[:3]]
    assert {c.market.data_dir for c in cfgs} == {str(data)}
    assert len({run_id(c) for c in cfgs}) == 1


SPEC = """[sweep]
name = "where"
workers = 1

[base]
run = { start = 2018-03-01, end = 2018-06-29 }

[grid]
"hedge.macd.fast" = [8, 12]
"""


def _farm(data: Path, farm: Path) -> Path:
    """A folder of symlinks to each entry of ``data`` (the same files, read through another path: DET32's datafarm)."""
    farm.mkdir()
    for entry in data.iterdir():
        (farm / entry.name).symlink_to(entry)
    return farm


def test_the_same_files_at_another_path_give_the_same_point_ids_and_identity(tmp_path) -> None:
    from feeds.market import build_market
    from vixhedge.sweep_folder import with_data_dir
    from vixhedge.sweep_spec import expand, load_spec, spec_identity

    data = synthdir.write(tmp_path / "data")
    (data / "breadth").mkdir()  # an A/D file the identity hashes (feeds.datafiles.directory_extras)
    (data / "breadth" / "ad.csv").write_text("date,advances,declines\n2018-01-02,1500,1400\n")
    (tmp_path / "spec.toml").write_text(SPEC)
    spec = load_spec(tmp_path / "spec.toml")
    ids = []
    for folder in (data, shutil.copytree(data, tmp_path / "copy"), _farm(data, tmp_path / "farm")):
        s = with_data_dir(spec, folder)
        market = build_market(s.base.market)
        ids.append((spec_identity(s, market)["parts"], [p.key for p in expand(s, market)[0]]))
    assert ids[1] == ids[0] and ids[2] == ids[0]  # (old code: base and every key differed; data too for the farm)


def test_a_sweep_resumes_from_the_same_files_at_another_path(tmp_path) -> None:
    from vixhedge import api

    data = synthdir.write(tmp_path / "data")
    (tmp_path / "spec.toml").write_text(SPEC)
    out = tmp_path / "out"
    api.run_sweep(tmp_path / "spec.toml", out, data_dir=data, progress=False)
    before = {n: (out / n).read_bytes() for n in ("results.csv", "returns.bin", "spec.json")}
    # (old code: "holds another sweep ('where' in spec.json; its [base] config differs from this spec's)")
    api.run_sweep(tmp_path / "spec.toml", out, data_dir=shutil.copytree(data, tmp_path / "moved"), progress=False)
    assert {n: (out / n).read_bytes() for n in before} == before
    assert str((tmp_path / "moved").resolve()) in (out / "base.toml").read_text()  # the path it ran from now


def test_a_command_that_does_not_read_the_data_dir_variable_says_so_when_it_is_set(tmp_path, monkeypatch,
                                                                                      capsys) -> None:
    """Trial DET32 L1: with $VIXHEDGE_DATA_DIR=/work/shared/data, ``run --start 2015-06-01 --end 2015-12-31`` ran the
    embedded market (final NAV $981,028, not $1,007,431) and no line named the variable (README: only replay and
    compare --period read it). run, compare, placebo and sweep now say so in one line with the flag to give; not with
    -q, not when they run on a data directory, and never under compare --period, which reads it."""
    from vixhedge import cli, sweep_folder
    from vixhedge.core.config import ConfigError

    data = synthdir.write(tmp_path / "data")
    monkeypatch.setenv("VIXHEDGE_DATA_DIR", str(data))
    for command in ("run", "compare", "placebo"):
        monkeypatch.setitem(cli.COMMANDS, command, lambda args, cfg: 0)  # (what runs after the note: not needed)

    def notes(argv: list[str]) -> list[str]:
        main(argv)
        return [line for line in capsys.readouterr().err.splitlines() if "VIXHEDGE_DATA_DIR" in line]

    for command in ("run", "compare", "placebo"):
        assert notes([command]) == [f"vixhedge {command}: note: $VIXHEDGE_DATA_DIR = {data} is set, but {command} "
                                    "does not read it (replay and compare --period do): it runs on the "
                                    f"embedded market; give --data-dir {data} to run it on those files"]
        assert notes([command, "-q"]) == [] and notes([command, "--data-dir", str(data)]) == []
    assert notes(["compare", "--period", "covid"]) == []
    (tmp_path / "spec.toml").write_text(SPEC)

    def stop(*_args, **_kwargs):
        raise ConfigError("stopped before the sweep")

    monkeypatch.setattr(sweep_folder, "write_sweep_folder", stop)
    assert notes(["sweep", str(tmp_path / "spec.toml"), "--out", str(tmp_path / "out")]) == [
        f"vixhedge sweep: note: $VIXHEDGE_DATA_DIR = {data} is set, but sweep does not read it (replay and compare "
        f"--period do): it runs on the embedded market; give --data-dir {data} to run it on those files"]
    assert notes(["sweep", str(tmp_path / "spec.toml"), "--data-dir", str(data), "--out", str(tmp_path / "o2")]) == []
