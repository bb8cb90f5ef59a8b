"""``vixhedge sweep`` as a user meets it: errors before work (one line, exit 2, the folder untouched), strict
summary.json, a short prose summary on stdout, path counts kept across a resume."""

from __future__ import annotations

from pathlib import Path

import pytest

from vixhedge import sweep as sw
from vixhedge.cli import main
from vixhedge.core.config import ConfigError

SPEC = """
[sweep]
name = "{name}"
{extra}
[base]
run = {{ start = {start}, end = {end} }}

[grid]
{grid}
"""


def write_spec(tmp_path: Path, grid: str, extra: str = "", name: str = "t", start: str = "2016-06-01",
               end: str = "2016-12-30") -> Path:
    p = tmp_path / f"{name}.toml"
    p.write_text(SPEC.format(name=name, extra=extra, start=start, end=end, grid=grid))
    return p


def test_a_grid_without_a_valid_point_fails_in_one_line_and_leaves_the_folder(tmp_path: Path, capsys) -> None:
    """The fresh-user trial's spec: MACD(30, 20) is invalid (fast >= slow), the only point of the grid."""
    spec = write_spec(tmp_path, '"hedge.macd.fast" = [30]\n"hedge.macd.slow" = [20]', name="allbad")
    out = tmp_path / "out"
    out.mkdir()
    (out / "keep.txt").write_text("an earlier sweep's file")
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("vixhedge: sweep 'allbad': no valid grid point: 1 of 1 invalid, "
                                               "like 'hedge.macd.fast = 30 is invalid: must be smaller than "
                                               "hedge.macd.slow (20)"), err
    assert [p.name for p in out.iterdir()] == ["keep.txt"]  # no lock, no invalid.csv: untouched
    fresh = tmp_path / "fresh"
    assert main(["sweep", str(spec), "--out", str(fresh), "--quiet"]) == 2
    assert not fresh.exists()


def test_run_sweep_checks_for_a_valid_point_before_it_takes_the_folder(tmp_path: Path) -> None:
    spec = sw.load_spec(write_spec(tmp_path, '"hedge.macd.fast" = [26, 30]\n"hedge.macd.slow" = [20, 26]'))
    with pytest.raises(ConfigError, match=r"no valid grid point: 4 of 4 invalid, like 'hedge.macd.fast = 26 "):
        sw.run_sweep(spec, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()
