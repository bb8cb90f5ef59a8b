import os
import stat
import subprocess
import sys

import pytest

from vixhedge import atomic
from vixhedge.atomic import atomic_folder


def test_failed_write_leaves_the_previous_folder_intact(tmp_path):
    with atomic_folder(tmp_path, "run") as d:
        (d / "a.txt").write_text("first")
    with pytest.raises(RuntimeError):
        with atomic_folder(tmp_path, "run") as d:
            (d / "a.txt").write_text("half")
            raise RuntimeError("crash mid-write")
    assert (tmp_path / "run" / "a.txt").read_text() == "first"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # no temporary folder left behind


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_replacement_swaps_in_one_step_and_folders_are_0755(tmp_path, monkeypatch):
    with atomic_folder(tmp_path, "run") as d:
        (d / "a.txt").write_text("first")
    calls = []
    real = atomic._exchange
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: calls.append((a.name, b.name)) or real(a, b))
    inode = (tmp_path / "run").stat().st_ino
    with atomic_folder(tmp_path, "run") as d:
        (d / "a.txt").write_text("second")
    assert (tmp_path / "run" / "a.txt").read_text() == "second" and (tmp_path / "run").stat().st_ino != inode
    assert stat.S_IMODE(os.stat(tmp_path / "run").st_mode) == 0o755
    assert [p.name for p in tmp_path.iterdir()] == ["run"]
    assert len(calls) == 1 and calls[0][1] == "run"  # one swap (or, where the filesystem cannot, the fallback)


def test_a_kill_between_the_fallback_renames_loses_nothing(tmp_path, monkeypatch):
    with atomic_folder(tmp_path, "run") as d:
        (d / "a.txt").write_text("first")
    pid = _dead_pid()
    (tmp_path / "run").rename(tmp_path / f".run.old.{pid}")  # the writer died right after setting the old aside
    (tmp_path / f".run.tmp-{pid}-abc").mkdir()  # ... and left its half-written folder
    (tmp_path / f".other.tmp-{os.getpid()}-xyz").mkdir()  # a live writer's folder is left alone
    assert sorted(atomic.clean_stale(tmp_path)) == [f"removed stale .run.tmp-{pid}-abc",
                                                   f"restored {tmp_path / 'run'} from .run.old.{pid}"]
    assert (tmp_path / "run" / "a.txt").read_text() == "first"
    monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)  # a filesystem without the swap
    with atomic_folder(tmp_path, "run") as d:
        (d / "a.txt").write_text("second")
    assert (tmp_path / "run" / "a.txt").read_text() == "second"
    assert sorted(p.name for p in tmp_path.iterdir()) == [f".other.tmp-{os.getpid()}-xyz", "run"]

