import errno
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

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


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_a_folder_takes_the_users_umask(tmp_path, umask):
    """Trial DET24: the folder was 0755 whatever the umask (files inside 0600 under umask 077); now 0777 less the
    umask, as `mkdir` makes a folder: 0755, 0775, 0700."""
    old = os.umask(umask)
    try:
        with atomic_folder(tmp_path / "runs", "run") as d:
            (d / "a.txt").write_text("first")
    finally:
        os.umask(old)
    for folder in (tmp_path / "runs", tmp_path / "runs" / "run"):
        assert stat.S_IMODE(os.stat(folder).st_mode) == 0o777 & ~umask, folder


def test_the_umask_is_read_without_proc_too(monkeypatch):
    """Where /proc/self/status cannot be read (not Linux), the umask is read by setting it and setting it back:
    the same value, and the process's umask unchanged after (trial MUT24B: the fallback returned 0o022 unnoticed)."""
    import builtins

    real = builtins.open
    monkeypatch.setattr(builtins, "open", lambda f, *a, **k: (_ for _ in ()).throw(OSError("no /proc"))
                        if str(f).startswith("/proc") else real(f, *a, **k))
    old = os.umask(0o027)
    try:
        assert atomic._umask() == 0o027 and os.umask(0o027) == 0o027
    finally:
        os.umask(old)


def test_replacement_swaps_in_one_step_and_folders_are_0755(tmp_path, monkeypatch):
    monkeypatch.setattr(atomic, "_umask", lambda: 0o022)  # (the usual umask; the test above takes others)
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


@pytest.mark.parametrize("swap", ["exchange", "fallback"])
def test_an_earlier_copy_that_cannot_be_removed_is_a_warning_not_a_failure(tmp_path, monkeypatch, caplog, swap):
    """The trial: `chattr +i` on the old run folder's metrics.json; the new folder was swapped in, yet the command
    failed (`cannot read or write metrics.json: Operation not permitted`, exit 2). The write succeeded: it is a
    warning naming the copy left behind."""
    if swap == "fallback":
        monkeypatch.setattr(atomic, "_exchange", lambda a, b: False)
    with atomic_folder(tmp_path, "run") as d:
        (d / "metrics.json").write_text("old")
    real = shutil.rmtree

    def rmtree(path, ignore_errors=False, **kwargs):  # the earlier copy's metrics.json cannot be deleted
        locked = Path(path) / "metrics.json"
        if locked.is_file() and locked.read_text() == "old":
            if ignore_errors:
                return None
            raise PermissionError(errno.EPERM, "Operation not permitted", "metrics.json")
        return real(path, ignore_errors=ignore_errors, **kwargs)

    monkeypatch.setattr(atomic.shutil, "rmtree", rmtree)
    with caplog.at_level("WARNING", logger="vixhedge.atomic"):
        with atomic_folder(tmp_path, "run") as d:
            (d / "metrics.json").write_text("new")
    assert (tmp_path / "run" / "metrics.json").read_text() == "new"
    left, = (p for p in tmp_path.iterdir() if p.name != "run")
    assert (left / "metrics.json").read_text() == "old"
    assert caplog.messages == [f"{tmp_path / 'run'} was written, but the earlier copy it replaced could not be "
                               f"removed (Operation not permitted: metrics.json): it is left as {left}; delete it "
                               "when you can"]


def test_a_file_where_the_folder_goes_is_named_and_left_untouched(tmp_path):
    """The fresh-user trial: a file runs/default-69c7de80 was swapped out (RENAME_EXCHANGE) under a hidden .tmp name
    after the whole run, and the run ended `cannot read or write ...: Not a directory`."""
    (tmp_path / "run").write_text("my notes")
    with pytest.raises(atomic.FolderError) as err:
        with atomic_folder(tmp_path, "run") as d:
            (d / "a.txt").write_text("new")
    assert str(err.value) == f"{tmp_path / 'run'} is a file, not a run folder: move it or use --runs-dir"
    assert (tmp_path / "run").read_text() == "my notes" and [p.name for p in tmp_path.iterdir()] == ["run"]
    with pytest.raises(atomic.FolderError):  # before any work: a caller that knows the name checks it first
        atomic.check_target(tmp_path, "run")


def test_a_file_put_there_while_the_folder_was_built_is_not_swapped_out(tmp_path):
    with pytest.raises(atomic.FolderError, match="is a file, not a run folder"):
        with atomic_folder(tmp_path, "run") as d:
            (d / "a.txt").write_text("new")
            (tmp_path / "run").write_text("appeared meanwhile")
    assert (tmp_path / "run").read_text() == "appeared meanwhile" and len(list(tmp_path.iterdir())) == 1


def test_an_error_while_writing_names_the_run_folder_not_the_temporary_one(tmp_path):
    """The trial's full disk printed `cannot read or write: No space left on device` (no path): a write's ENOSPC
    carries no file name. 28 = ENOSPC, 30 = EROFS (Linux errno numbers)."""
    with pytest.raises(OSError) as err:
        with atomic_folder(tmp_path, "run"):
            raise OSError(28, "No space left on device")
    assert (err.value.errno, err.value.filename) == (28, str(tmp_path / "run"))
    with pytest.raises(OSError) as err:
        with atomic_folder(tmp_path, "run") as d:
            raise OSError(30, "Read-only file system", str(d / "daily.csv"))
    assert err.value.filename == str(tmp_path / "run" / "daily.csv")
    assert [p.name for p in tmp_path.iterdir()] == []  # nothing left behind


def test_write_file_names_its_target_not_its_temporary_file(tmp_path, monkeypatch):
    """`vixhedge report` on a read-only folder named `.equity.svg.1223.tmp: Read-only file system`."""
    def refuse(self, *args, **kwargs):
        raise OSError(30, "Read-only file system", str(self))

    monkeypatch.setattr(atomic.Path, "open", refuse)
    with pytest.raises(OSError) as err:
        atomic.write_file(tmp_path / "equity.svg", b"<svg/>")
    assert (err.value.errno, err.value.filename) == (30, str(tmp_path / "equity.svg"))


def test_write_file_on_a_read_only_file_system_names_its_target(tmp_path, monkeypatch):
    """Trial B: on a real read-only mount even the cleanup's unlink of the absent temporary file fails (EROFS = 30
    on Linux), and that error, naming `.equity.svg.PID.tmp`, replaced the one naming equity.svg."""
    def refuse(self, *args, **kwargs):
        raise OSError(30, "Read-only file system", str(self))

    monkeypatch.setattr(atomic.Path, "open", refuse)
    monkeypatch.setattr(atomic.Path, "unlink", refuse)
    with pytest.raises(OSError) as err:
        atomic.write_file(tmp_path / "equity.svg", b"<svg/>")
    assert (err.value.errno, err.value.filename) == (30, str(tmp_path / "equity.svg"))


def test_a_folder_where_a_file_goes_is_named_with_its_fix(tmp_path):
    """Trial B: a folder named report.html got `is a folder, not a file: give a file (vixhedge run, compare: a .toml
    config file)`, a fix of a config argument, not of a file vixhedge writes."""
    (tmp_path / "report.html").mkdir()
    with pytest.raises(atomic.FolderError, match="report.html is a folder where a file is written: move or remove "
                                                 "that folder, then rerun the command"):
        atomic.write_file(tmp_path / "report.html", "<html/>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]  # no temporary file left behind


def test_write_with_streams_whole_or_keeps_the_old_file(tmp_path):
    """write_with (a sweep's end-of-walk rewrite, fsynced): the chunks written become the file in one rename; a
    write that fails midway (a full disk: 28 = ENOSPC on Linux, no file name) names the target, leaves the old file
    as it was and no temporary file behind."""
    path = tmp_path / "results.csv"
    path.write_bytes(b"old\n")
    assert atomic.write_with(path, lambda fh: [fh.write(c) for c in (b"a\n", b"b\n")], durable=True) == path
    assert path.read_bytes() == b"a\nb\n"

    def full(fh):
        fh.write(b"half")
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError) as err:
        atomic.write_with(path, full, durable=True)
    assert (err.value.errno, err.value.filename) == (28, str(path))
    assert path.read_bytes() == b"a\nb\n" and [p.name for p in tmp_path.iterdir()] == ["results.csv"]


def test_final_path_names_the_folder_a_temporary_one_becomes() -> None:
    # a compare writes its modes' runs inside its own temporary folder: their manifests name the final folder
    # (moved here from report.py's private _final, which read atomic's private pattern)
    assert atomic.final_path(Path("/r/.cmp-x.tmp-123-abc/alvh-1")) == Path("/r/cmp-x/alvh-1")
    assert atomic.final_path(Path("/r/.cmp-x.old.123/a")) == Path("/r/.cmp-x.old.123/a")  # a set-aside old one stays
    assert atomic.final_path(Path("runs/a")) == Path("runs/a")


def test_a_copy_left_behind_is_said_under_quiet_too(tmp_path, monkeypatch, capsys):
    """Robustness trial, session 8 (2026-12-04): with -q the warning that an earlier copy could not be removed was
    silent, and hidden .tmp folders piled up. It goes to stderr under --quiet (vixhedge.progress.QUIET) as well."""
    from vixhedge import atomic, progress

    old = tmp_path / ".run.tmp-1"
    old.mkdir()
    monkeypatch.setattr(progress, "QUIET", True)
    monkeypatch.setattr(atomic.shutil, "rmtree", lambda path, ignore_errors=False, **kw: None if ignore_errors else (
        _ for _ in ()).throw(PermissionError(errno.EPERM, "Operation not permitted", str(path))))
    with progress.notes_outside_bars():
        atomic._remove_old(old, tmp_path / "run")
    assert f"could not be removed (Operation not permitted: {old}): it is left as {old}" in capsys.readouterr().err


def test_a_dangling_link_as_the_folder_is_refused_before_any_work(tmp_path):
    """Packaging trial (2026-12-04): `--runs-dir dangling` (a link to a missing folder) passed this check, the whole
    run happened, then "cannot read or write dangling: File exists" (mkdir does not follow the link)."""
    (tmp_path / "dangling").symlink_to(tmp_path / "nonexistent")
    for given in (tmp_path / "dangling", tmp_path / "dangling" / "sub"):
        with pytest.raises(atomic.FolderError) as err:
            atomic.check_writable(given, "--runs-dir")
        assert str(err.value) == (f"--runs-dir {str(given)!r}: {tmp_path / 'dangling'} is a symbolic link to "
                                  f"{str(tmp_path / 'nonexistent')!r}, which does not exist: create that folder, or "
                                  "choose another path")
    (tmp_path / "nonexistent").mkdir()  # the link's folder made: the path is fine
    atomic.check_writable(tmp_path / "dangling" / "sub", "--runs-dir")


def test_a_path_too_long_for_the_file_system_is_refused_before_any_work(tmp_path):
    """A name over NAME_MAX (255 bytes: os.pathconf(tmp_path, "PC_NAME_MAX") on Linux file systems) or a path
    whose run folder and files would pass PATH_MAX (4096 on Linux) fails here, not when the run is written."""
    name_max, path_max = os.pathconf(tmp_path, "PC_NAME_MAX"), os.pathconf(tmp_path, "PC_PATH_MAX")
    with pytest.raises(atomic.FolderError) as err:
        atomic.check_writable(tmp_path / ("a" * (name_max + 1)), "--runs-dir")
    assert str(err.value) == (f"--runs-dir: a name in the path is {name_max + 1} bytes long, over the file system's "
                              f"limit of {name_max}: choose a shorter path")
    deep = tmp_path.joinpath(*["b" * 200] * (path_max // 201 + 1))  # each name fits; together, over PATH_MAX
    with pytest.raises(atomic.FolderError, match=f"over the system's limit of {path_max}: choose a shorter path"):
        atomic.check_writable(deep, "--runs-dir")
    atomic.check_writable(tmp_path / ("a" * name_max), "--runs-dir")  # at the limit: fine


def test_a_folder_another_writer_puts_there_at_the_last_moment_is_replaced(tmp_path, monkeypatch):
    """Trial IO (finding 5): two processes writing the same run at once both saw no folder, then both renamed
    theirs into place; the second failed with ENOTEMPTY (405 of 2000 tries) after all its work. Now it replaces the
    other's folder, as an earlier one. The race is made here: a folder appears between the check and the rename."""
    real_rename = Path.rename

    def racing(self, target):
        target = Path(target)
        if target.name == "run" and not target.exists():  # the other writer wins the race
            target.mkdir()
            (target / "metrics.json").write_text("the other writer's")
        return real_rename(self, target)

    monkeypatch.setattr(Path, "rename", racing)
    with atomic_folder(tmp_path, "run") as d:
        (d / "metrics.json").write_text("mine")
    assert (tmp_path / "run" / "metrics.json").read_text() == "mine"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]  # no temporary or set-aside folder left


def test_a_killed_writers_temporary_file_is_not_carried_over(tmp_path):
    """Trial IO (finding 7): a `vixhedge report` killed mid-write left `.report.html.PID.tmp`; every rerun carried it
    into the new folder as if the user's ("kept .report.html.99999.tmp from the earlier ..."). A user's own file
    is still carried."""
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()  # a pid no process has now (review 18: only a dead writer's)
    with atomic_folder(tmp_path, "run") as d:
        (d / "metrics.json").write_text("first")
    run = tmp_path / "run"
    (run / f".report.html.{dead}.tmp").write_text("half a page")
    (run / "my_notes.txt").write_text("mine")
    (run / f".draft.{os.getpid()}.tmp").write_text("a live process's (or the user's)")  # kept
    (run / ".backup.1.tmp").mkdir()  # a folder: the user's (review 18: it was dropped with what it held)
    (run / ".backup.1.tmp" / "keep.txt").write_text("mine")
    with atomic_folder(tmp_path, "run") as d:
        (d / "metrics.json").write_text("second")
    assert sorted(p.name for p in run.iterdir()) == [".backup.1.tmp", f".draft.{os.getpid()}.tmp", "metrics.json",
                                                      "my_notes.txt"]
