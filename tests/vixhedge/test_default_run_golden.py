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
the layer table's "VX P&L at rolls" header, premium and VX rows only where those instruments traded); then every file on 2026-12-03 for
policy changes that move numbers (NAV $874,638 -> $829,244, hedge P&L -$126,180 -> -$118,490): a bullish divergence
buys back half the open condor by default (divergence.condor_cut = 0.5, the text's "vega within the core iron
condor"; half rounded up), layers sized on the VX month they buy and opened on no month that rolls before their
next review, cash earning the overnight rate dated the day, the decision log's condor_not_placed column, rule tags
only where a cadence brought a review forward, the median hedge ratio and the simple ACT/365 cash rate (report.html
twice more for the hedge policy module's source hash: the placement rules moved to strategies/placement.py, the
static policy counts only its rolls). A model change that moves the default run's numbers updates them here, saying so in its commit.
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
    "config.toml": "cb0e4bd4631a9dddcfa53f6fd74d31e89d95d9441d32e44f83d4e51b9f7ac837",
    "metrics.json": "9e6dbf434201d4cf2360be8dab315ea7d872a2dd30283ef15b9be95b6e1ad9bc",
    "daily.csv": "699dced290d2ab3be1d1c539df3062b5e4f7f678ebc9dde85cac935267cb40f7",
    "signals.csv": "555eaa04d53e72e7bbfbd317edf51e6af560781e6afe4af8811b31fe6b995eb8",
    "trades.csv": "eeec0b47267d73da158fe1f9674ab216c21114c53b6f4bd40a01430e979008f8",
    "layers.csv": "82091ce860cb8b64f8d6442732d1bde79873ae14168ef14983d6e23b9c85d554",
    "condors.csv": "08100ba1d24e1ba87e8d5813bf2fa1baa9545b22b40468d4f08683c9867ec7cd",
    "attribution.csv": "d8de1777f70b6bffae1adf6fbb2dd73321c12d5614b920801281607a4f574839",
    "benchmark.csv": "768c7676b7e34bd1695417a4353d018e9e7e9b7f9c6b492d46290d8b08b8f9cb",
    "report.html": "da5e2268c8c0e6c7ecd363c77ecb2b2d49ce404ec686a8b996da5b18a1024a36",
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
    assert folder.name == "default-cb0e4bd4"
    assert json.loads((folder / "manifest.json").read_text(encoding="utf-8"))["engine"] == (engine or "fast")
    got = {name: hashlib.sha256(page_text(folder / name).encode("utf-8") if name == "report.html"
                                else (folder / name).read_bytes()).hexdigest() for name in EXPECTED}
    assert got == EXPECTED
