"""Trial FUZZ33 (2026-12-07, /work/notes/fuzz33_report.md) M3: a broken calendar or A/D file (a config's
hedge.fomc.calendar_csv / hedge.events.calendar_csv / hedge.fomc.ad_csv, a data directory's fomc_cpi_macro_calendar/
folder or A/D file) was refused when the run set up its signals, after "vixhedge: running ..." and the market build
(0.6 s in, 3.5-6.6 s under --data-dir): 2-4 stderr lines. It is now read before any work
(strategies.signalfiles.check_signal_files, from feeds.market.market_for and the sweep command): the only line."""

from __future__ import annotations

import os
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from feeds import events
from tests.feeds.test_check_runinputs import AD, _dir
from tests.vixhedge.sweep_cases import write_grid_spec
from vixhedge.cli import main

ROOT = Path(__file__).resolve().parents[2]  # the tree under test, first on the child's PYTHONPATH
WINDOW = ["--start", "2018-03-01", "--end", "2018-03-29"]  # inside tests.feeds.synthdir's 2018 data; no -q: the banner


def _one_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1, err  # no "running"/"comparing" line, no note before it
    return err[0]


@pytest.mark.parametrize("key", ["hedge.fomc.calendar_csv", "hedge.events.calendar_csv", "hedge.fomc.ad_csv"])
def test_a_folder_as_a_calendar_or_ad_file_is_the_only_line(tmp_path: Path, capsys, key: str) -> None:
    """FUZZ33 M3 / extra cases `hedge.fomc.calendar_csv = folder` and its kin (the trial: `vixhedge: running 'default'
    ...` then `/tmp: is a folder, not a file`). Without -q the banner would have been the first of two lines."""
    code = main(["run", "--runs-dir", str(tmp_path / "runs"), "--start", "2015-03-02", "--end", "2015-03-20",
                 "--set", f'{key}="{tmp_path}"'])
    assert code == 2
    assert "is a folder, not a file" in _one_line(capsys)
    assert not (tmp_path / "runs").exists()


def test_a_data_directory_s_repeated_fomc_row_is_the_only_line_before_the_build(tmp_path: Path, capsys) -> None:
    """FUZZ33 M3, data case `fomc_announcements_2000_2027.csv: duplicate date` (refused 3.5-6.6 s in, after the
    directory loaded): now before the market's build, in run and compare alike."""
    root = _dir(tmp_path)
    fomc = root / events.FOLDER / events.SOURCES[0]
    fomc.write_text(fomc.read_text() + fomc.read_text().splitlines()[1] + "\n")  # line 4 repeats line 2
    for command in ("run", "compare"):
        assert main([command, "--data-dir", str(root), "--runs-dir", str(tmp_path / "runs"), *WINDOW]) == 2
        line = _one_line(capsys)
        assert line.startswith(f"vixhedge: {fomc}, line 4: announcement_date 2018-03-07 repeats"), line


def test_a_data_directory_s_broken_ad_file_is_the_only_line(tmp_path: Path, capsys) -> None:
    """FUZZ33 M3, data case `advance_decline_2023_2026.csv.gz: short field` (`line 177: expected 64 fields`,
    after the directory loaded)."""
    root = _dir(tmp_path)
    ad = root / AD
    ad.write_text(ad.read_text() + "2018-05-01,1\n")
    assert main(["run", "--data-dir", str(root), "--runs-dir", str(tmp_path / "runs"), *WINDOW]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"vixhedge: {ad}, line ") and "fields like the header" in line, line


def test_a_sweep_s_base_calendar_is_the_only_line(tmp_path: Path, capsys) -> None:
    """FUZZ33 M3 for `sweep` ([base]'s hedge.events.calendar_csv a folder): before "building the market"."""
    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]')
    spec.write_text(spec.read_text() + f'\n[base.hedge.events]\ncalendar_csv = "{tmp_path}"\n')
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out")]) == 2
    assert "is a folder, not a file" in _one_line(capsys)
    assert not (tmp_path / "out").exists()


def _capped() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))  # the old code read /dev/zero until memory ran out


@pytest.mark.parametrize("args", [["data", "check", "/dev/zero"],
                                  ["run", "--set", 'hedge.events.calendar_csv="/dev/zero"'],
                                  ["run", "--set", 'hedge.fomc.calendar_csv="/dev/zero"'],
                                  ["run", "--set", 'hedge.fomc.ad_csv="/dev/zero"']])
def test_dev_zero_as_an_input_file_is_one_line_before_reading(tmp_path: Path, args: list[str]) -> None:
    """FUZZ33 M2 (extra cases `... = /dev/zero`, `data check /dev/zero`: exit 3, `internal error: MemoryError` after
    6-10 s under the trial's 4 GB cap): one line naming it, exit 2; in a process of its own, its memory capped."""
    window = ["--start", "2015-03-02", "--end", "2015-03-20", "--runs-dir", str(tmp_path)] if args[0] == "run" else []
    done = subprocess.run([sys.executable, "-m", "vixhedge", *args, *window], capture_output=True, text=True,
                          timeout=120, preexec_fn=_capped, cwd=tmp_path,
                          env={**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get(
                              "PYTHONPATH")]))})
    err = done.stderr.strip().splitlines()
    assert done.returncode == 2 and len(err) == 1, done.stderr
    if args[0] == "run":  # the config's key named (vixhedge.core.config.paths.check_input_files, FUZZ33 M1)
        assert f'{args[2].split("=")[0]} = "/dev/zero" is a character device, not a regular file' in err[0], err
    else:  # a data file (feeds.loaders.fileerrors.not_a_file)
        assert "/dev/zero" in err[0] and "is not a regular file (a pipe or a device?)" in err[0], err
