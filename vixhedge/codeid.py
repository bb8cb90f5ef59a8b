"""Which code made a result: the git commit (``-dirty`` when tracked files changed) and the sha256 of the engine's
own files, for a run's manifest.json and a sweep's spec.json and summary.json.

The commit names the version; the digest tells two versions apart where the commit cannot (two different sets of
uncommitted edits are both ``<commit>-dirty``; an installed copy has no repository). It covers every source,
preset and shipped data file of the four packages a result is computed by (``vixhedge``, ``strategies``, ``feeds``,
``analyzers``; caches left out), so an edit of any of them, a comment included, is another code version: a rerun
that replaces a run folder says so (``replaced.json``), a sweep resume refuses to mix its rows with earlier ones.

Both are taken once per process, when :mod:`vixhedge.run` is imported (:func:`loaded`): the code the process loaded.
A file edited after that (a ``git pull`` in a notebook's session) does not run until the process restarts, so a
result written then names the code that ran, and :func:`edited_since_loaded` tells the files' change (trial API22:
the digest was taken at the first ``write_run`` and named the edited tree).
"""

from __future__ import annotations

import functools
import hashlib
import platform
import subprocess
from importlib import metadata
from pathlib import Path

__all__ = ["PACKAGES", "code_sha256", "edited_since_loaded", "environment", "git_commit", "loaded"]

PACKAGES = ("vixhedge", "backtrader", "numpy", "pandas", "scipy", "matplotlib", "exchange_calendars", "arch")
_ROOTS = ("vixhedge", "strategies", "feeds", "analyzers")
_SUFFIXES = {".py", ".json", ".toml", ".csv", ".gz", ".txt"}  # sources, presets, fitted parameters, shipped data


@functools.cache
def git_commit() -> str:
    """Return the source tree's commit, ``-dirty`` when tracked files changed; "unknown" outside a repository of
    its own (an installed copy inside another repository, a virtualenv in a project, is not that project's commit).
    Read once per process.

    One ``git status`` gives both (its header names the commit): a second git process cost ~5 ms of a run."""
    here = Path(__file__).resolve().parent
    if not (here.parent / ".git").exists():  # the checkout's root holds .git (a folder, or a worktree's file)
        return "unknown"
    try:
        out = subprocess.run(["git", "status", "--porcelain=v2", "--branch", "--untracked-files=no"], cwd=here,
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    lines = out.stdout.splitlines()
    oid = next((ln.removeprefix("# branch.oid ") for ln in lines if ln.startswith("# branch.oid ")), "(initial)")
    if out.returncode != 0 or oid == "(initial)":
        return "unknown"
    return oid + ("-dirty" if any(not ln.startswith("#") for ln in lines) else "")


def tree_sha256() -> str:
    """Return the sha256 of the engine's files as they are now (module docstring): each file's path relative to the
    packages' folder and its bytes, in path order (~330 files, ~10 ms)."""
    top = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for root in _ROOTS:
        for path in sorted((top / root).rglob("*")):
            rel = path.relative_to(top)
            if path.suffix in _SUFFIXES and path.is_file() and not any(
                    p == "__pycache__" or p.startswith(".") for p in rel.parts):
                digest.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


@functools.cache
def code_sha256() -> str:
    """Return the sha256 of the engine's files when this process loaded them (:func:`loaded`)."""
    return tree_sha256()


def loaded() -> None:
    """Take the code's identity now, once per process (:mod:`vixhedge.run` calls it as it is imported)."""
    git_commit()
    code_sha256()


def edited_since_loaded() -> str:
    """Return the engine's sha256 now when its files changed after this process loaded them, else ""."""
    now = tree_sha256()
    return now if now != code_sha256() else ""


def environment() -> dict[str, object]:
    """``{"git_commit", "code_sha256", "python", "packages": {name: version}}`` of this process."""
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = "not installed"
    return {"git_commit": git_commit(), "code_sha256": code_sha256(), "python": platform.python_version(),
            "packages": versions}
