"""What `python -m feeds.calibrate` prints: its help and the README figures it regenerates from the committed
calibration reports (feeds/calibration/*.json)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from feeds import spreadfit

CALIBRATION = Path(__file__).resolve().parents[2] / "feeds" / "calibration"


def test_help_describes_what_the_command_fits_and_writes() -> None:
    """`python -m feeds.calibrate --help` names every fit and file of main() and explains both options."""
    from feeds.calibrate import parser

    text = parser().format_help()
    for item in ("Two-factor", "SPX surface", "vx_curve.json", "spx_smile.json", "spreads.json", "market.toml",
                 "short_rate_monthly.csv", "the real data folder", "folder the files are written to"):
        assert item in text, item
    assert all(a.help for a in parser()._actions), "an option without help text"


def test_report_prints_each_fits_overall_beta_and_change_correlation(capsys: pytest.CaptureFixture) -> None:
    """README "VX curve" table, row "all, 1-119 days": beta model vs real and correlation of daily changes
    (0.41 vs 0.40 / 0.87 in sample, 0.41 vs 0.42 / 0.86 forward, 0.41 vs 0.38 / 0.88 reverse) are printed by
    `python -m feeds.calibrate`, from the committed report (feeds/calibration/vx_curve.json two_factor: overall
    beta_model 0.407, beta_real 0.4, change_corr 0.873 in sample)."""
    from feeds.calibrate import _print_two_factor

    _print_two_factor(json.loads((CALIBRATION / "vx_curve.json").read_text())["two_factor"])
    out = capsys.readouterr().out
    assert ("in sample 2004-2025: n 19702, RMSE 1.264, bias +0.024, daily-change beta to VIX model 0.407 vs real "
            "0.400, correlation of model and real daily changes 0.873") in out
    assert "OUT of sample: n 11028, RMSE 1.196, bias +0.072, daily-change beta to VIX model 0.408 vs real 0.418" in out
    assert "OUT of sample: n 8674, RMSE 1.498, bias +0.083, daily-change beta to VIX model 0.406 vs real 0.379" in out


def test_width_report_prints_the_rules_refitted_with_each_day_left_out() -> None:
    """README "Option widths", row "each day left out": "refitted: 0.0905-0.1051 x mid^0.42-0.46", the rules of the
    committed report (feeds/calibration/spreads.json spx.leave_one_day_out.rules) as `python -m feeds.calibrate`
    prints them."""
    rules = json.loads((CALIBRATION / "spreads.json").read_text())["spx"]["leave_one_day_out"]["rules"]
    line = spreadfit.refitted_rules_line(rules)
    assert line.endswith("; refitted: 0.0905-0.1051 x mid^0.42-0.46")
    assert "2019-04-25 left out 0.1051 x mid^0.42, 2019-04-30 left out 0.0951 x mid^0.46" in line


def test_the_index_relations_out_of_sample_figures_come_from_the_committed_report(capsys) -> None:
    """README "SPX surface per day": out of sample in time the EMA term cuts the RMS error in ln(I/VIX) from
    10.5/9.0% to 9.4/7.9% (VIX9D) ... 10.0/11.3% to 8.9/9.8% (VIX1Y). The causality trial of 2026-12-04 found no
    command regenerating them (it recomputed them inline); `python -m feeds.calibrate` now prints them and writes
    spx_smile.json surface.index_relations_split, read here."""
    from feeds.surfacereport import print_surface

    split = json.loads((CALIBRATION / "spx_smile.json").read_text())["surface"]["index_relations_split"]
    forward, reverse = split["fit < 2017, test >= 2017"], split["fit >= 2017, test < 2017"]
    assert [(forward[n]["without_ema"], forward[n]["with_ema"]) for n in ("VIX9D", "VIX3M", "VIX6M", "VIX1Y")] == \
        [(10.5, 9.4), (6.1, 5.2), (8.6, 7.4), (10.0, 8.9)]
    assert [(reverse[n]["without_ema"], reverse[n]["with_ema"]) for n in ("VIX9D", "VIX3M", "VIX6M", "VIX1Y")] == \
        [(9.0, 7.9), (5.5, 4.2), (7.8, 6.3), (11.3, 9.8)]
    print_surface(json.loads((CALIBRATION / "spx_smile.json").read_text())["surface"])
    assert "fit < 2017, test >= 2017: VIX9D 10.5/9.4   VIX3M 6.1/5.2   VIX6M 8.6/7.4   VIX1Y 10.0/8.9" in \
        capsys.readouterr().out


@pytest.mark.realdata
def test_the_relations_split_is_refitted_without_its_test_years(shared_data) -> None:
    """relation_split_report fits each side on its own years. Shifting every index from 2017 on by +d and by -d in
    ln(I/VIX) leaves a fit on the years before 2017 unchanged, so its test errors obey rms+^2 + rms-^2 = 2 rms^2 +
    2 d^2 exactly (the residual's mean cancels); a fit that saw the test years would absorb part of the shift. The
    figures are rounded to 0.1 point: 6 (points^2) of room, against the 2 d^2 = 800 that a shift a fit absorbed whole
    would remove."""
    from feeds.loaders.volindex import WIDE_FILE, load_vol_indices
    from feeds.surfacereport import relation_split_report

    names, d = ("VIX9D", "VIX3M", "VIX6M", "VIX1Y"), 20.0  # percent of ln(I/VIX)
    indices = load_vol_indices(shared_data / WIDE_FILE)
    late = indices.index.year >= 2017

    def forward(sign: float) -> dict:
        moved = indices.copy()
        for n in names:
            moved.loc[late, n] *= math.exp(sign * d / 100.0)
        return relation_split_report(moved)["fit < 2017, test >= 2017"]

    base, up, down = forward(0.0), forward(1.0), forward(-1.0)
    for n in names:
        sq = lambda r: r[n]["with_ema"] ** 2  # noqa: E731
        assert sq(up) + sq(down) == pytest.approx(2 * sq(base) + 2 * d * d, abs=6.0), n
