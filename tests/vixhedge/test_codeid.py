"""vixhedge.codeid: which code made a result (session 8, 2026-12-04)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_the_code_digest_moves_with_any_file_of_the_engine_and_not_with_a_cache(tmp_path: Path):
    """A copy of the four packages hashes as the checkout does; an edit (a comment) moves it, a __pycache__ file
    does not."""
    for pkg in ("vixhedge", "strategies", "feeds", "analyzers"):
        shutil.copytree(ROOT / pkg, tmp_path / pkg, ignore=shutil.ignore_patterns("__pycache__"))
    code = ("import sys; sys.path.insert(0, sys.argv[1]); from vixhedge import codeid; "
            "print(codeid.code_sha256(), codeid.git_commit())")

    def digest() -> list[str]:
        out = subprocess.run([sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, cwd=tmp_path,
                             timeout=120)
        assert out.returncode == 0, out.stderr
        return out.stdout.split()

    from vixhedge.codeid import code_sha256

    first = digest()
    assert first[0] == code_sha256()
    assert first[1] == "unknown"  # no repository of its own (review: an enclosing one's commit was reported)
    (tmp_path / "feeds" / "__pycache__").mkdir(exist_ok=True)
    (tmp_path / "feeds" / "__pycache__" / "x.pyc").write_bytes(b"cache")
    assert digest()[0] == first[0]
    with (tmp_path / "strategies" / "trader.py").open("a") as fh:
        fh.write("# an edit\n")
    assert digest()[0] != first[0]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_an_installed_copy_inside_another_repository_reports_no_commit(tmp_path: Path):
    outer = tmp_path / "project"
    (outer / "venv" / "vixhedge").mkdir(parents=True)
    shutil.copy(ROOT / "vixhedge" / "codeid.py", outer / "venv" / "vixhedge" / "codeid.py")
    subprocess.run(["git", "init", "-q", str(outer)], check=True, timeout=60)
    code = "import sys; sys.path.insert(0, sys.argv[1]); import codeid; print(codeid.git_commit())"
    out = subprocess.run([sys.executable, "-c", code, str(outer / "venv" / "vixhedge")], capture_output=True,
                         text=True, timeout=60)
    assert out.stdout.strip() == "unknown", out.stderr


def test_a_result_written_after_an_edit_names_the_code_that_ran_and_says_the_files_changed(tmp_path, monkeypatch,
                                                                                           caplog):
    """Trial API22: in a notebook, a run, then a `git pull`, then write_run: the manifest named the edited tree (its
    commit -dirty and digest, taken at the first write) though the code already loaded had made the result. The
    identity is taken when vixhedge.run is imported; a later change of the files is told (manifest.json
    ``code_edited_since_loaded`` and a warning), not recorded as the code that ran."""
    import datetime as dt
    import json
    import logging

    from vixhedge import codeid
    from vixhedge.api import load_default_config, replace_config, run_backtest, write_run

    loaded = codeid.code_sha256()
    cfg = replace_config(load_default_config(), run={"start": dt.date(2016, 3, 1), "end": dt.date(2016, 4, 29)})
    res = run_backtest(cfg)
    clean = json.loads((write_run(res, tmp_path / "a") / "manifest.json").read_text())
    assert clean["code_sha256"] == loaded and "code_edited_since_loaded" not in clean
    monkeypatch.setattr(codeid, "tree_sha256", lambda: "e" * 64)  # the files as a pull left them
    with caplog.at_level(logging.WARNING, logger="vixhedge"):
        folder = write_run(res, tmp_path / "b")
    record = json.loads((folder / "manifest.json").read_text())
    assert record["code_sha256"] == loaded and record["code_edited_since_loaded"] == "e" * 64
    assert "the engine's files changed after this process loaded them" in caplog.text
    assert f"sha256 {loaded[:12]} then, eeeeeeeeeeee now" in caplog.text


def _codeid_at(folder: Path):
    """A fresh copy of vixhedge/codeid.py loaded from ``folder`` (its own module: git_commit's cache its own)."""
    import importlib.util

    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "vixhedge" / "codeid.py", folder / "codeid.py")
    spec = importlib.util.spec_from_file_location(f"codeid_{abs(hash(str(folder)))}", folder / "codeid.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_digest_is_each_files_path_and_bytes_by_hand(tmp_path: Path):
    """MUT28 ci4, ci6: tree_sha256's docstring: "each file's path relative to the packages' folder and its bytes, in
    path order", the suffixes of sources, presets, fitted parameters and shipped data (a .csv among them). By hand with
    hashlib over vixhedge/codeid.py then feeds/a.csv (the packages' order: vixhedge, strategies, feeds, analyzers),
    each as path, NUL, bytes, NUL; the same bytes under another name (feeds/b.csv) are another digest."""
    import hashlib

    codeid = _codeid_at(tmp_path / "vixhedge")
    (tmp_path / "feeds").mkdir()
    (tmp_path / "feeds" / "a.csv").write_bytes(b"date,close\n2016-01-04,20.7\n")

    def by_hand(*names: str) -> str:
        digest = hashlib.sha256()
        for name in names:
            digest.update(name.encode() + b"\0" + (tmp_path / name).read_bytes() + b"\0")
        return digest.hexdigest()

    assert codeid.tree_sha256() == by_hand("vixhedge/codeid.py", "feeds/a.csv")
    (tmp_path / "feeds" / "a.csv").rename(tmp_path / "feeds" / "b.csv")
    assert codeid.tree_sha256() == by_hand("vixhedge/codeid.py", "feeds/b.csv")


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_commit_is_its_own_checkouts_and_dirty_only_for_a_tracked_change(tmp_path: Path):
    """MUT28 ci1, ci2, ci8: git_commit's docstring: the commit, "-dirty when tracked files changed" (an untracked file
    is no change), "unknown" outside a repository of its own, even inside a repository with commits (a virtualenv in a
    project). The commit expected is git rev-parse HEAD's."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-c", "commit.gpgsign=false"]
    repo = tmp_path / "checkout"
    _codeid_at(repo / "vixhedge")
    (repo / "feeds").mkdir()
    (repo / "feeds" / "x.txt").write_text("1\n")
    subprocess.run(["git", "init", "-q", str(repo)], check=True, timeout=60)
    subprocess.run([*git, "add", "."], cwd=repo, check=True, timeout=60)
    subprocess.run([*git, "commit", "-qm", "one"], cwd=repo, check=True, timeout=60)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, check=True,
                         timeout=60).stdout.strip()
    (repo / "feeds" / "new.txt").write_text("untracked\n")
    assert _codeid_at(repo / "vixhedge").git_commit() == sha
    (repo / "feeds" / "x.txt").write_text("2\n")
    assert _codeid_at(repo / "vixhedge").git_commit() == sha + "-dirty"
    # a copy inside another repository that has a commit (the checkout above): not its commit
    assert _codeid_at(repo / "venv" / "lib" / "vixhedge").git_commit() == "unknown"
