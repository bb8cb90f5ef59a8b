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
