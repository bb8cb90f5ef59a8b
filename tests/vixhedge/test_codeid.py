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
