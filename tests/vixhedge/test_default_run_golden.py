"""The default run's outputs, byte for byte: `vixhedge run` on the packaged default config (embedded market).

The expected sha256 digests are those of the files written by `vixhedge run` on the SPX surface refitted in
session 2026-12-02 and the VX curve refitted after it (3/2 slow path, VIX forecast block; the surface digests before
it were checked equal, file by file, to the same models before the cold-start work of issue 16, then on
the backtrader engine with PNG figures: engine and figure changes must not move a number). A model change that
moves the default run's numbers updates them here, saying so in its commit. report.html is compared without its
figures (data URIs) and without the rows that name the environment (git commit, python and package versions).
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
    "config.toml": "0c410062bf247b030c8503328bdb769feba96208bcfcfcb998849333a82a97ea",
    "metrics.json": "1f586e5cd1a1a182bdc097faae8d7d88288d9df3f74226b0a59d8573de63b885",
    "daily.csv": "0a098e132862116d3eb9e46aa1b781f313fba43776813a57584e1a7b2dd1b111",
    "signals.csv": "641c0979b7b9b2ce26c627acd6303eeb0f44f2addc88c13ff70414c382ffe140",
    "trades.csv": "2118282efbb0a5bcd071d19e8a31af0ec511c3c15b3610783d0c787eb4c75f57",
    "layers.csv": "8bbfbab211ed950b4e2f28d24f09dde6053677df8757cebea0467d9ecea99aad",
    "condors.csv": "482279699dff748ececcaf5af9c0c6347641d957e68f4d0c40a6f1e8ef18217b",
    "attribution.csv": "2eca181addb2c477880921695c870c77a5ae80819303e9cc394435f717851e99",
    "benchmark.csv": "7e2d7df7837035556a613431623190c0ad9944b10e409d7815373f9ea49ca1a1",
    "report.html": "cde54a7d7c04efb6b925510c9dbe5345576152a12f7406e8c0dfe8cc59c6442c",
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
    assert folder.name == "default-0c410062"
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["engine"] == (engine or "fast")
    got = {name: hashlib.sha256(page_text(folder / name).encode("utf-8") if name == "report.html"
                                else (folder / name).read_bytes()).hexdigest() for name in EXPECTED}
    assert got == EXPECTED
