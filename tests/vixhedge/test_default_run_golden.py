"""The default run's outputs, byte for byte: `vixhedge run` on the packaged default config (embedded market).

The expected sha256 digests are those of the files written by `vixhedge run` at commit deee78c (then on the
backtrader engine), before the cold-start work of issue 16 (engine and figure changes must not move a number). report.html is compared without
its figures (data URIs; they became SVG then) and without the rows that name the environment (git commit, python
and package versions).
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest

from vixhedge.cli import main

pytestmark = pytest.mark.golden

EXPECTED = {
    "config.toml": "4dd56b9d1ba76b04e31e6ee881d60f110d48d680f66f706dc10be6a8b1c62f5c",
    "metrics.json": "77a13bc62cc3e70c2f6f09275db5b834cff7c99464b56ddc4a43d7ba8754ca8a",
    "daily.csv": "8c22a2e23e298711665dc69c1c6b44fe431f74b315bed146b9bc0706f0e0a9dd",
    "signals.csv": "81fa717b2233278c35cc8ac555c09cdd7698c78454ec9c33a6872eefb9ce6315",
    "trades.csv": "bc294769381de2ccf39a52af698f5de4c6bce233ac2e9d627d9a3c24db94843f",
    "layers.csv": "3be3fe0298c619314470a7c3793fd9e7919f7ea7e230e9d21f6853beb987c139",
    "condors.csv": "f66b0776456d73894fe53d5cf6358622dd533660fcdc4b6b1aa34b9be9b7e123",
    "attribution.csv": "ecfebef107e239221af57bbe3c806edb61ae271c91073bfea45640d54514ccbf",
    "benchmark.csv": "8d0b49508afb13c4bc39021d0f115e3e6e67b53b9725e5f6b45c232d5ca02d6c",
    "report.html": "5140b895df4c87b1d7aebcb1ee655e4902c346332db32250f25eae15d836e16c",
}
ENVIRONMENT_ROWS = re.compile(r"<tr><td>(git commit|python|package [^<]*)</td><td>[^<]*</td></tr>")


def page_text(path: Path) -> str:
    """report.html without its figures' data and the rows that name the environment."""
    text = re.sub(r'src="data:[^"]*"', 'src=""', path.read_text(encoding="utf-8"))
    return ENVIRONMENT_ROWS.sub("", text)


@pytest.mark.parametrize("engine", [None, "backtrader", "fast"])
def test_default_run_writes_the_same_files(tmp_path: Path, engine: str | None) -> None:
    """`vixhedge run` (its default engine, fast) and each engine by name write the files of deee78c."""
    assert main(["run", "-q", "--runs-dir", str(tmp_path), *(["--engine", engine] if engine else [])]) == 0
    (folder,) = tmp_path.iterdir()
    assert folder.name == "default-4dd56b9d"
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["engine"] == (engine or "fast")
    got = {name: hashlib.sha256(page_text(folder / name).encode("utf-8") if name == "report.html"
                                else (folder / name).read_bytes()).hexdigest() for name in EXPECTED}
    assert got == EXPECTED
