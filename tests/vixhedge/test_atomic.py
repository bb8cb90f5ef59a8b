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



@pytest.mark.parametrize("swap", ["exchange", "fallback"])
def test_a_rewrite_keeps_the_files_it_does_not_write(tmp_path, monkeypatch, caplog, swap):
    if swap == "fallback":
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)  # a filesystem without the swap
    with atomic_folder(tmp_path, "run") as d:
        (d / "a.txt").write_text("first")
        (d / "a.parquet").write_text("first, --parquet")
        (d / "sub").mkdir()  # a folder the writer writes again (compare's runs/)
    (tmp_path / "run" / "notes.txt").write_text("mine")  # what a user adds to a run folder
    (tmp_path / "run" / "analysis").mkdir()
    (tmp_path / "run" / "analysis" / "fig.png").write_bytes(b"png")
    (tmp_path / "run" / "sub" / "memo.txt").write_text("mine too")
    with caplog.at_level("INFO", logger="vixhedge.atomic"):
        with atomic_folder(tmp_path, "run", stale={"a.parquet"}) as d:  # the writer's own, not written this time
            (d / "a.txt").write_text("second")
            (d / "sub").mkdir()
    run = tmp_path / "run"
    assert sorted(p.name for p in run.iterdir()) == ["a.txt", "analysis", "notes.txt", "sub"]
    assert (run / "a.txt").read_text() == "second" and (run / "notes.txt").read_text() == "mine"
    assert (run / "analysis" / "fig.png").read_bytes() == b"png"
    assert (run / "sub" / "memo.txt").read_text() == "mine too"
    assert [p.name for p in tmp_path.iterdir()] == ["run"]  # the old folder is gone, nothing else left
    assert caplog.messages == [f"kept analysis, notes.txt, sub/memo.txt from the earlier {run} (files it does not "
                               "write are carried over)"]
