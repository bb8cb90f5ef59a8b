"""Write a folder atomically: build it under a temporary sibling name, swap it into place.

At every instant the final name holds a complete folder, the old one or the new one:

* first write: the temporary folder is renamed to the final name (one ``rename``);
* replacement on Linux: ``renameat2(RENAME_EXCHANGE)`` swaps the two folders in one system call;
  the old folder, now under the temporary name, is then deleted;
* elsewhere (or a filesystem without the exchange flag): the old folder is renamed aside and the
  new one renamed in; a kill between the two renames leaves the old folder under ``.NAME.old.PID``,
  and the next write of the folder puts it back before anything else (so it never vanishes for
  longer than that instant).

Files of the old folder that the new one does not hold, at any depth (a user's ``notes.txt``, an ``analysis/``
folder), are carried over into the new folder before the swap (hard links where the filesystem allows, else
copies), so a rewrite never loses them; the writer names what it owns but did not write this time (``stale``: e.g. the
``.parquet`` tables of a run without ``--parquet``), and those are not carried.

A file (or symbolic link) where the folder goes is the user's: :class:`FolderError` names it before anything is
written, and it is never touched. An OSError raised while the folder is built names the folder (or the file in it)
the user will look for, never the temporary name (:func:`vixhedge.guard.guarded` adds the fix); :func:`write_file`
(and :func:`write_with`) likewise names its target, not its temporary file.

Temporary and set-aside folders carry their writer's pid (``.NAME.tmp-PID-*``, ``.NAME.old.PID``);
on entry, those of writers that are no longer alive are deleted (or restored, see above).
Folders are created 0755.
"""

from __future__ import annotations

import ctypes
import errno
import logging
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

__all__ = ["FolderError", "atomic_folder", "carry_over", "check_target", "check_writable", "clean_stale", "final_path",
           "write_file", "write_with"]

_STALE = re.compile(r"^\.(?P<name>.+)\.(?:tmp-(?P<tmp_pid>\d+)-.+|old\.(?P<old_pid>\d+))$")
_TEMP_FILE = re.compile(r"^\..+\.(?P<pid>\d+)\.tmp$")  # :func:`write_with`'s half-written file (``.NAME.PID.tmp``)
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class FolderError(ValueError):
    """Something that is not a folder sits where a folder is to be written; the message names it and the fix."""


def check_target(parent: Path, name: str) -> None:
    """Raise FolderError when ``parent/name`` exists and is not a folder (a user's file there is never replaced).

    Callers that know the name before their work (a run knows its run id from its config) call it first."""
    final = Path(parent) / name
    if os.path.lexists(final) and not _real_dir(final):
        what = "a symbolic link" if final.is_symlink() else "a file"
        raise FolderError(f"{final} is {what}, not a run folder: move it or use --runs-dir")


def check_writable(folder: Path, what: str) -> None:
    """Raise FolderError (before any work: the CLI's --runs-dir, --out, --cache) unless ``folder`` can be created
    and written: a dangling symbolic link (on the path or the folder itself: mkdir cannot follow it) and a path too
    long for the file system are refused here, not when the run has finished and its folder is written."""
    _check_length(folder, what)
    probe = folder
    while not os.path.lexists(probe) and probe != probe.parent:
        probe = probe.parent
    if probe.is_symlink() and not probe.exists():
        raise FolderError(f"{what} {str(folder)!r}: {probe} is a symbolic link to {os.readlink(probe)!r}, which does "
                          "not exist: create that folder, or choose another path")
    if not probe.is_dir():
        raise FolderError(f"{what} {str(folder)!r} is not a folder ({probe} is a file): choose another path")
    try:  # a real try, not os.access: root passes every access check, and /proc or a read-only mount still refuse
        os.rmdir(tempfile.mkdtemp(prefix=".vixhedge-probe-", dir=probe))
    except OSError as exc:
        raise FolderError(f"{what} {str(folder)!r} cannot be created or written ({probe}: "
                          f"{exc.strerror or exc}): choose a writable folder") from None


def _check_length(folder: Path, what: str) -> None:
    """Raise FolderError when a name in ``folder`` is longer than the file system allows (NAME_MAX, 255 bytes on
    most), or the path leaves less than :data:`PATH_ROOM` bytes of PATH_MAX (4096 on Linux) for what goes in it."""
    name_max, path_max = _limits(folder)
    longest = max((len(os.fsencode(part)) for part in Path(folder).parts), default=0)
    if longest > name_max:
        raise FolderError(f"{what}: a name in the path is {longest} bytes long, over the file system's "
                          f"limit of {name_max}: choose a shorter path")
    size = len(os.fsencode(os.path.abspath(folder)))
    if size + PATH_ROOM > path_max:
        raise FolderError(f"{what}: the path is {size} bytes long; with the {PATH_ROOM} bytes its run folder and "
                          f"files add, it is over the system's limit of {path_max}: choose a shorter path")


#: room left in a path for the run, compare or sweep folder's name and the files in it
PATH_ROOM = 256


def _limits(folder: Path) -> tuple[int, int]:
    """(NAME_MAX, PATH_MAX) of the file system of ``folder``'s first existing parent (255 and 4096 where unknown)."""
    probe = Path(os.path.abspath(folder))
    while not os.path.isdir(probe) and probe != probe.parent:  # (os.path: False, not an error, for a too long name)
        probe = probe.parent
    try:
        return os.pathconf(probe, "PC_NAME_MAX"), os.pathconf(probe, "PC_PATH_MAX")
    except (AttributeError, OSError, ValueError):  # Windows: no pathconf
        return 255, 4096


def _named(exc: OSError, tmp: Path, final: Path) -> OSError:
    """``exc`` naming ``final`` (or the file in it) where it named the temporary folder or nothing (a full disk)."""
    name = exc.filename
    if exc.errno is None:  # an OSError without an errno cannot be rebuilt; it is left as raised
        return exc
    if name is not None:
        try:
            name = final / Path(os.fsdecode(name)).relative_to(tmp)
        except (ValueError, TypeError):  # a path outside the temporary folder (one the user knows), or a descriptor
            return exc
    return OSError(exc.errno, exc.strerror or str(exc), str(final if name is None else name))


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def final_path(folder: Path) -> Path:
    """``folder`` with each temporary name of :func:`atomic_folder` (``.NAME.tmp-PID-*``) as its final NAME: a
    compare writes its modes' runs inside its own temporary folder, and a run names the folder it will end in."""
    parts = [m["name"] if (m := _STALE.match(part)) and m["tmp_pid"] else part for part in Path(folder).parts]
    return Path(*parts)


def clean_stale(parent: Path) -> list[str]:
    """Delete the temporary folders of dead writers in ``parent``; put back a set-aside old folder whose
    final name is empty. Return what was done (one line each)."""
    done = []
    if not parent.is_dir():
        return done
    for entry in sorted(parent.iterdir()):
        m = _STALE.match(entry.name)
        if m is None or not entry.is_dir() or _alive(int(m["tmp_pid"] or m["old_pid"])):
            continue
        final = parent / m["name"]
        if m["old_pid"] and not final.exists():
            entry.rename(final)
            done.append(f"restored {final} from {entry.name}")
        else:
            shutil.rmtree(entry, ignore_errors=True)
            done.append(f"removed stale {entry.name}")
    return done


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux renameat2); return False where that is not available."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        fn = libc.renameat2
    except (OSError, AttributeError):
        return False
    rc = fn(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if rc == 0:
        return True
    err = ctypes.get_errno()
    if err in (22, 38, 95):  # EINVAL, ENOSYS, EOPNOTSUPP: this filesystem or kernel cannot swap
        return False
    raise OSError(err, os.strerror(err), str(b))


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _real_dir(path: Path) -> bool:
    return path.is_dir() and not path.is_symlink()


def carry_over(old: Path, new: Path, stale: Collection[str] = ()) -> list[str]:
    """Put into ``new`` what ``old`` holds and ``new`` does not, at any depth (a folder both hold is merged), except
    entries named in ``stale``; return the paths carried, relative to ``old``."""
    kept = []
    for src in sorted(old.iterdir()):
        dst = new / src.name
        if src.name in stale or _dead_writers(src):
            continue
        if os.path.lexists(dst):
            if _real_dir(src) and _real_dir(dst):  # e.g. a compare folder's runs/: a user's file inside it is kept
                kept += [f"{src.name}/{k}" for k in carry_over(src, dst, stale)]
            continue
        if _real_dir(src):
            shutil.copytree(src, dst, symlinks=True, copy_function=_link_or_copy)
        elif src.is_symlink():
            os.symlink(os.readlink(src), dst)
        else:
            _link_or_copy(str(src), str(dst))
        kept.append(src.name)
    return kept


def _dead_writers(path: Path) -> bool:
    """Whether ``path`` is a killed writer's half-written file (:func:`write_with`'s ``.NAME.PID.tmp``, a regular
    file of a process no longer alive): not the user's, not carried over (trial IO)."""
    m = _TEMP_FILE.match(path.name)
    return bool(m) and path.is_file() and not path.is_symlink() and not _alive(int(m["pid"]))


def _umask() -> int:
    """The process's umask: Linux's /proc/self/status ``Umask:`` line, which reads it without changing it (another
    thread's files keep theirs; review 24), else ``os.umask`` set and set back at once."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(line.split()[1], 8) for line in fh if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError, IndexError):
        mask = os.umask(0o022)
        os.umask(mask)
        return mask


@contextmanager
def atomic_folder(parent: Path, name: str, stale: Collection[str] = ()) -> Iterator[Path]:
    """Yield a temporary folder that becomes ``parent/name`` only when the block succeeds.

    An interrupted write never leaves a folder that looks complete; an earlier folder of the
    same name stays under that name until the new one takes its place in one step, with every file of
    it the new one does not write carried over (except the writer's own ``stale`` names; module docstring).
    """
    check_target(parent, name)
    parent.mkdir(parents=True, exist_ok=True)  # (0o777 less the umask, as any folder the user makes)
    clean_stale(parent)
    final = parent / name
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{name}.tmp-{os.getpid()}-", dir=parent))
    except OSError as exc:  # a full disk, a read-only folder: name the folder the run folder goes in
        raise OSError(exc.errno, exc.strerror or str(exc), str(parent)) from exc
    try:
        os.chmod(tmp, 0o777 & ~_umask())  # mkdtemp's 0o700 made the user's usual (DET24: 0o755 whatever the umask)
        yield tmp
        check_target(parent, name)  # put there while the block ran: still the user's, never swapped out
        if final.is_dir() and (kept := carry_over(final, tmp, stale)):
            logging.getLogger("vixhedge.atomic").info(
                "kept %s from the earlier %s (files it does not write are carried over)", ", ".join(kept), final)
        if final.exists() or not _placed(tmp, final):
            if _exchange(tmp, final):
                _remove_old(tmp, final)  # now the old folder
            else:
                old = parent / f".{name}.old.{os.getpid()}"
                final.rename(old)
                tmp.rename(final)
                _remove_old(old, final)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        named = _named(exc, tmp, final)
        if named is exc:
            raise
        raise named from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def _placed(tmp: Path, final: Path) -> bool:
    """Rename ``tmp`` to ``final``, which did not exist a moment ago; False when another writer put a folder there
    in between (the same run at once: the caller replaces it, as an earlier folder; trial IO)."""
    try:
        tmp.rename(final)
    except OSError as exc:
        if exc.errno not in (errno.ENOTEMPTY, errno.EEXIST) or not _real_dir(final):
            raise
        return False
    return True


def _remove_old(old: Path, final: Path) -> None:
    """Delete the earlier folder ``old`` that the new ``final`` replaced; when it cannot be (a file in it is
    immutable, a folder read-only), warn naming what is left: the new folder is in place, the write succeeded."""
    try:
        shutil.rmtree(old)
    except OSError as exc:
        shutil.rmtree(old, ignore_errors=True)  # what can go, goes
        log = logging.getLogger("vixhedge.atomic.leftover")
        log.setLevel(logging.WARNING)  # said under --quiet too (robustness trial, session 8: hidden copies piled up)
        log.warning("%s was written, but the earlier copy it replaced could not be removed (%s: %s): it is left as "
                    "%s; delete it when you can", final, exc.strerror or exc, exc.filename, old)


def write_file(path: Path, data: str | bytes, *, durable: bool = False) -> Path:
    """Write ``data`` (text as UTF-8) under a temporary name beside ``path`` and rename it over ``path``: the file
    is whole or absent, never half written (a kill leaves at most the temporary file); return ``path``.

    ``durable``: see :func:`write_with`."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    return write_with(path, lambda fh: fh.write(payload), durable=durable)


def write_with(path: Path, write: Callable[[BinaryIO], object], *, durable: bool = False) -> Path:
    """Write a new ``path`` through ``write(binary file)`` (e.g. in chunks: memory stays bounded) under a temporary
    name beside it and rename it over ``path``: ``path`` is the old file or the new one at every instant; return
    ``path``. An OSError names ``path``, not the temporary file.

    ``durable``: also fsync the new file before the rename and the folder after it, so a power loss too leaves the
    old file or the whole new one (a sweep's files, which a resume reads)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with tmp.open("wb") as fh:
            write(fh)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
        if durable:
            fd = os.open(path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    except IsADirectoryError as exc:  # a folder where the file goes: the fix is to move it, not to give a file
        raise FolderError(f"{path} is a folder where a file is written: move or remove that folder, then "
                          "rerun the command") from exc
    except OSError as exc:  # a read-only folder, a full disk: name the file the user knows, not the temporary one
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from exc
    finally:
        try:  # on a read-only file system even unlinking a file that is not there fails (EROFS): keep the error
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
    return path
