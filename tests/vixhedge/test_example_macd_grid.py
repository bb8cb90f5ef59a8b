"""examples/macd_grid.toml: the sweep spec README "Research workflows" shows and runs (`vixhedge sweep
examples/macd_grid.toml`), kept in the repo so the example's printed summary can be regenerated; and
examples/layer_grid.toml, the grid of the README's deflated-Sharpe trial count."""

from __future__ import annotations

import re
from pathlib import Path

from vixhedge import sweep_spec

ROOT = Path(__file__).resolve().parents[2]
SPEC = ROOT / "examples" / "macd_grid.toml"


def test_the_readme_sweep_block_is_the_example_file() -> None:
    """The README's ```toml block that starts `[sweep]` / `name = "macd-grid"` is the file, byte for byte, and the
    README names the file in the command it says prints the summary."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r'```toml\n(\[sweep\]\nname = "macd-grid"\n.*?)```', readme, re.S)
    assert block is not None and block.group(1) == SPEC.read_text(encoding="utf-8")
    assert "`vixhedge sweep examples/macd_grid.toml`" in readme


def test_the_example_spec_loads_as_the_readme_describes() -> None:
    """30 valid points (README: "30 points": fast 8/12/16 x slow 20..40 step 5 x review_bars 0/5 = 3 x 5 x 2),
    split at 2016-12-30, the name the summary prints (`sweep 'macd-grid'`)."""
    spec = sweep_spec.load_spec(SPEC)
    points, invalid = sweep_spec.expand(spec)
    assert spec.name == "macd-grid" and str(spec.in_sample_end) == "2016-12-30"
    assert (len(points), invalid) == (30, [])


def test_the_layer_grid_example_gives_the_readme_trial_count(tmp_path: Path) -> None:
    """examples/layer_grid.toml regenerates README "Sweeps"' figure: 72 points, 15 distinct in-sample result rows,
    deflated Sharpe 0.106 (printed as such; `vixhedge sweep examples/layer_grid.toml`, 7 s on the kernel)."""
    import json

    from vixhedge.cli import main

    spec = ROOT / "examples" / "layer_grid.toml"
    assert "`vixhedge sweep\nexamples/layer_grid.toml`" in (ROOT / "README.md").read_text(encoding="utf-8")
    assert main(["sweep", str(spec), "-q", "--workers", "1", "--out", str(tmp_path / "out")]) == 0
    doc = json.loads((tmp_path / "out" / "summary.json").read_text(encoding="utf-8"))
    assert (doc["trial_points"], doc["trials"], f"{doc['deflated_sharpe_ratio']:.3f}") == (72, 15, "0.106")


def test_the_capital_grid_example_is_the_readme_s_72_points() -> None:
    """examples/capital_grid.toml: 6 first-layer sizes x 3 hedge budgets x 2 condor sizes x 2 margin modes = 72 valid
    points (README "Sweeps"; its run, 1m46 on 2 workers, is the README's command, not a test)."""
    spec = sweep_spec.load_spec(ROOT / "examples" / "capital_grid.toml")
    points, invalid = sweep_spec.expand(spec)
    assert (len(points), invalid) == (72, [])
    assert "`vixhedge sweep examples/capital_grid.toml`" in (ROOT / "README.md").read_text(encoding="utf-8")
