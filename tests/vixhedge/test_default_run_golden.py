"""The default run's outputs, byte for byte: `vixhedge run` on the packaged default config (embedded market).

The expected sha256 digests are those of the files written by `vixhedge run` on the SPX surface refitted in
session 2026-12-02 with SKEW's level by year (feeds.surface.skew_offsets), which the embedded market's estimated
SKEW follows since that session; the digests before it were checked equal, file by file, to the same models
before the cold-start work of issue 16, then on the backtrader engine with PNG figures: engine and figure changes
must not move a number. A model change that moves the default run's numbers updates them here, saying so in its
commit. report.html is compared without its figures (data URIs) and without the rows that name the environment
(git commit, python and package versions).
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
    "config.toml": "d088820165cf44f8cc69e86b89d5ae20f93e9c7b533c6024465aad458c174c97",
    "metrics.json": "e26deeb3a211fad93c4cdfb9c12276ff832476fb43d52e5e9d42df3d43c26d40",
    "daily.csv": "6b3d46f866072ca3a68acc4560e6ea78d449ae9b9e163b9454458a3a7ddec789",
    "signals.csv": "b569a7d06bd0dbad83cc4c1f319724a3754108a33ae58825bf5b58d1a8808e6f",
    "trades.csv": "40ee8aeeadda3bfd208a1de05f763116b2f722ee19e4d68f3ed07ef40d02ebab",
    "layers.csv": "ec4fecf6d48bc877a87b2d4b6329a39dc4a953e11c7b2f890714dbeaaf3f4ba1",
    "condors.csv": "5edfac462ba1cdde42cbd4c6d962ee596dd4646d8b95ffe3bfe1139f95a80ec8",
    "attribution.csv": "187b2d3f286631c53ea2e641c247bf608ad4a73bbf9509e70129b3dd314d5faa",
    "benchmark.csv": "af32215eb2151e7e8256c5ff8763b738c5d32ac3c06e7030a18b8b2618359e84",
    "report.html": "25e98d526e775e4beb02fdb1687be46a45bac1aa6fe110dcc56f5933f7014bf6",
}
ENVIRONMENT_ROWS = re.compile(r"<tr><td>(git commit|python|package [^<]*)</td><td>[^<]*</td></tr>")


def page_text(path: Path) -> str:
    """report.html without its figures' data and the rows that name the environment."""
    text = re.sub(r'src="data:[^"]*"', 'src=""', path.read_text(encoding="utf-8"))
    return ENVIRONMENT_ROWS.sub("", text)


@pytest.mark.parametrize("engine", [None, "backtrader", "fast"])
def test_default_run_writes_the_same_files(tmp_path: Path, engine: str | None) -> None:
    """`vixhedge run` (its default engine, fast) and each engine by name write the expected files."""
    assert main(["run", "-q", "--runs-dir", str(tmp_path), *(["--engine", engine] if engine else [])]) == 0
    (folder,) = tmp_path.iterdir()
    assert folder.name == "default-d0888201"
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["engine"] == (engine or "fast")
    got = {name: hashlib.sha256(page_text(folder / name).encode("utf-8") if name == "report.html"
                                else (folder / name).read_bytes()).hexdigest() for name in EXPECTED}
    assert got == EXPECTED
