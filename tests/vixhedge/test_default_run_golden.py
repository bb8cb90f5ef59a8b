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
static policy counts only its rolls); then every file but config.toml, signals.csv and layers.csv on
2026-12-03 for a condor exit that leaves a wing bid at 0 open to its expiry (14 wings were sold at 0 for a fee:
NAV $829,244 -> $829,371, fees -$6,013 -> -$5,890; condors.csv's wings_left column), with metrics.json's
capital.days_layer_refused_by_margin_call (0), report.html's why-0 text of ad_filter and the hedge policy and
condor selector modules' source hashes; report.html again that day for the Condors table's wings left column
and caption and the Capital row naming capital_cuts.csv (every other file byte-identical). A model change that moves the default run's numbers updates them here, saying so in its commit.
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
    "metrics.json": "66135c160ce33a3bd3d4f73cd517cd648e254b35b0f934a0056b58ef33fe0e2c",
    "daily.csv": "e4791eca5b75fb73916f5846992e6e3955c132c6b08c18ba9b778087ea0f464d",
    "signals.csv": "555eaa04d53e72e7bbfbd317edf51e6af560781e6afe4af8811b31fe6b995eb8",
    "trades.csv": "ef31bd385fb02021cb74abf37faea5a0b94bbfab5114eb78ae810feb4236fb8b",
    "layers.csv": "82091ce860cb8b64f8d6442732d1bde79873ae14168ef14983d6e23b9c85d554",
    "condors.csv": "5fdba54c1e8cffc27816e328efe690f13c3fbafb1f7b726da8545a0fee6a65a7",
    "attribution.csv": "67d69c12c415e2aee04a671aa5216bcc25078295df52f6812f7a2285cb2bcfc9",
    "benchmark.csv": "401dcac0e8b818c8d7cfd38e1639ec6c7da6b73fcc74df2ca1a0f44590dc1501",
    "report.html": "04b269b7fc1583acf2ec35e141ddc26477246d9e5ad2ec4b1e6a836355ba3bfe",
}
ENVIRONMENT_ROWS = re.compile(r"<tr><td>(git commit|python|package [^<]*)</td><td>[^<]*</td></tr>")


def page_text(path: Path) -> str:
    """report.html without its figures' data and the rows that name the environment; the run folder's path (the
    replay and rebuild commands name it: a tmp_path here) as RUN_FOLDER; the replay command's engine flag (only a
    non-default engine's command carries it) dropped, so both engines' pages compare to one digest."""
    text = re.sub(r'src="data:[^"]*"', 'src=""', path.read_text(encoding="utf-8"))
    return ENVIRONMENT_ROWS.sub("", text).replace(str(path.parent), "RUN_FOLDER").replace(" --engine backtrader", "")


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
