"""What stands where a data file should be, in words a loader's one line ends with (trial DF26: a folder, a looping
or broken link, plain text under a .gz name were read as "missing", "Too many levels of symbolic links" or
"Not a gzipped file (b'da')", with no fix): :func:`not_a_file`, :func:`unreadable_words`, :func:`gzip_words`."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

__all__ = ["gzip_words", "not_a_file", "unreadable_words"]

def not_a_file(path: Path | str) -> str:
    """Return what stands at ``path`` and the fix when it is there but no file a loader can read: a folder, a
    symbolic link that loops or points at nothing, another kind of entry ("" for a file, or for nothing at all)."""
    path = Path(path)
    if not os.path.lexists(path):
        return ""
    link = f"a symbolic link to {os.readlink(path)!r}" if path.is_symlink() else ""
    try:
        st = os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return f"is {link} that loops (it leads back to itself): replace the link with the file"
        if exc.errno == errno.ENOENT:
            return f"is {link}, which does not exist: point the link at the file, or put the file in its place"
        return f"cannot be read ({exc.strerror or exc}): make it readable for you, or give a readable copy"
    if stat.S_ISDIR(st.st_mode):
        return f"is {link + ', a folder' if link else 'a folder'}, not a file: put the file there in its place"
    if not stat.S_ISREG(st.st_mode):
        return "is not a regular file (a pipe or a device?): put the file there in its place"
    return ""


def unreadable_words(path: Path, exc: OSError) -> str:
    """What ``path``, which the OS would not read (a folder, a link loop, ...), is, and the fix."""
    what = not_a_file(path)
    if what:
        return what
    if isinstance(exc, FileNotFoundError):
        return "file does not exist"
    return f"cannot read it ({exc.strerror or exc}): make it readable for you, or give a readable copy"


_GZIP = b"\x1f\x8b"


def gzip_words(path: Path, head: bytes, exc: Exception) -> str:
    """What is wrong with a ``.gz`` file that does not decompress (its first bytes ``head``), and the fix: not gzip at
    all (plain text under a .gz name), or a damaged or cut-short one."""
    if not head.startswith(_GZIP):
        return (f"is not gzip-compressed though its name ends in .gz (it begins {head[:8]!r}): compress it (gzip -c "
                f"{path.name} > {path.name[:-3]}.tmp.gz, then rename that to {path.name}), or, where the folder takes "
                f"a plain CSV, rename it {path.name[:-3]}")
    return f"not a readable gzip file ({exc}): it looks damaged or cut short: copy or download it again"
