"""The default run's outputs, byte for byte: `vixhedge run` on the packaged default config (embedded market).

The expected sha256 digests are those of the files written by `vixhedge run` on the SPX surface refitted in
session 2026-12-02 with SKEW's level by year (feeds.surface.skew_offsets), which the embedded market's estimated
SKEW follows since that session, and on the VX curve whose slow level follows the 3/2 drift's path
(feeds.vxcurve); the digests before them were checked equal, file by file, to the same models before the
cold-start work of issue 16, then on the backtrader engine with PNG figures: engine and figure changes must not
move a number; metrics.json (policy notes naming their fix) and report.html (dates without a time) were regenerated on
2026-12-03 with no number moved; config.toml (the new `analysis.risk_free = "cash"`), metrics.json and report.html
again on 2026-12-03 for Sharpe and Sortino over the cash return of each day (every CSV byte-identical), and
report.html once more that day (the VX carry rows worded by sign; replay and rebuild lines naming the run's real
folder, masked here); then config.toml (no risk_free_rate line under the cash basis: a rate stated alone now
means "constant"), metrics.json (performance.risk_free names the basis) and report.html (the new run id); then on
2026-12-03 again with no number moved (NAV, daily.csv, condors.csv, attribution.csv byte-identical): metrics.json
(rules_fired counts an act only where it changed the book: expansion_sizing 71 -> 39, slope_breakeven 8 -> 5; the
missing-A/D note names both window rules), signals.csv, trades.csv and layers.csv (rule tags: `!divergence`,
`!no_layers`, no-op tags dropped) and report.html (those, the shipped data files hashed, the Hedge cost rows of the
instruments held); and metrics.json (the stress rule counts each test: 44 + 60 - 9 = 95 days) and report.html (that,
the layer table's "VX P&L at rolls" header, premium and VX rows only where those instruments traded). A model change that moves the default run's numbers updates them here, saying so in its commit.
report.html is compared without its figures (data URIs) and without the rows that name the environment (git
commit, python and package versions).
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
    "config.toml": "1da6107c578c56c419acea23f91e4e40e4dbaab147dc58caa199d48beee834a8",
    "metrics.json": "ed442d922d12fd014732e84550362cef602db215df3cb1b15076ad9fbd50f7ab",
    "daily.csv": "692f3f83f96be4b385c0ef2683caf60cd0db8b05ac4e8c0e6e0bb4eabecc9dd7",
    "signals.csv": "7a747a5d0ec1eac4a7566742de18bbe21b4f2bae4601698dcf836e83882def07",
    "trades.csv": "4b028dda911a3cf459ea0f5d9c5fc2983cae136124e23f325dd300d8dd5336e0",
    "layers.csv": "5de52f1bab9a4088e4177fbc7d1f090e2f87123cdc86be362e24b1f60f9afa28",
    "condors.csv": "63eaf8d09a03bbc2b98ab61ad9ebfacc11797c37cba9174b8fe89b39631e33a7",
    "attribution.csv": "8846553fd8080f3f2088914b395b3e68ccb9aedcf5c47bdee94365a288ead62f",
    "benchmark.csv": "df71bb98bf286da97f745922fdb5b9a569de333a8efe9ac252ee2c36c2e113f5",
    "report.html": "5154648785b1b4896c59250bfaaae296aeb9bc77bf4c72ed2415864d46867041",
}
ENVIRONMENT_ROWS = re.compile(r"<tr><td>(git commit|python|package [^<]*)</td><td>[^<]*</td></tr>")


def page_text(path: Path) -> str:
    """report.html without its figures' data and the rows that name the environment; the run folder's path (the
    replay and rebuild commands name it: a tmp_path here) as RUN_FOLDER."""
    text = re.sub(r'src="data:[^"]*"', 'src=""', path.read_text(encoding="utf-8"))
    return ENVIRONMENT_ROWS.sub("", text).replace(str(path.parent), "RUN_FOLDER")


@pytest.mark.parametrize("engine", [None, "backtrader"])  # None: the default engine, fast (manifest)
def test_default_run_writes_the_same_files(tmp_path: Path, engine: str | None) -> None:
    """`vixhedge run` (its default engine, fast) and `--engine backtrader` write the expected files."""
    assert main(["run", "-q", "--runs-dir", str(tmp_path), *(["--engine", engine] if engine else [])]) == 0
    (folder,) = tmp_path.iterdir()
    assert folder.name == "default-1da6107c"
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["engine"] == (engine or "fast")
    got = {name: hashlib.sha256(page_text(folder / name).encode("utf-8") if name == "report.html"
                                else (folder / name).read_bytes()).hexdigest() for name in EXPECTED}
    assert got == EXPECTED
