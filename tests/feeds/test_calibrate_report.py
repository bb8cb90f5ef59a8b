"""What `python -m feeds.calibrate` prints: its help and the README figures it regenerates from the committed
calibration reports (feeds/calibration/*.json)."""

from __future__ import annotations

import json
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
