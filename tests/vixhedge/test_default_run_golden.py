"""The default run's outputs, byte for byte: `vixhedge run` on the packaged default config (embedded market).

The expected sha256 digests are those of the files written by `vixhedge run` on the SPX surface refitted in
session 2026-12-02 (checked equal, file by file, to the same models before the cold-start work of issue 16, then on
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
    "config.toml": "3a1803a1d8597d92d3dedd334671143add9e3093c4bec2d986c1fa66483bc979",
    "metrics.json": "2b308e20d751c2d02744c7b7180b68f57242fb35f373b868c56a29cb1727f750",
    "daily.csv": "26360e9662b99c227c54ad7072fadfbf09f67f77ad28bec89622dc1db8968494",
    "signals.csv": "6b53c8410c0c1973b2b0230d194098f7b7762776d489b191cd75cd7d451e66a5",
    "trades.csv": "95fdac7cf6685d4ec59f8d8fd5e2a64b46108dfb9534dead01fdded7c5e89329",
    "layers.csv": "4e17b33fe246e18fc038abce0b0e63fe5aded86f857f7e44b2c61c4bf886540c",
    "condors.csv": "f1ce36d8a7dd792c4f8e4f9485ae0c6e0f90414c1eb770a2a524237048f35129",
    "attribution.csv": "6a90f8898d733d29b021487cbe92c849ba295cc557d574923f8614f59957b19e",
    "benchmark.csv": "08041baeea4735ea520b9e320b06bab62d3a275c5fa6e5895fca7265dce35661",
    "report.html": "ee280a1f02fa35bd9f7b64c65ac92d5b621116afe9c636789a3eabeea3e2e5c5",
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
    assert folder.name == "default-3a1803a1"
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["engine"] == (engine or "fast")
    got = {name: hashlib.sha256(page_text(folder / name).encode("utf-8") if name == "report.html"
                                else (folder / name).read_bytes()).hexdigest() for name in EXPECTED}
    assert got == EXPECTED
