"""The README's capital table row "default, real data 2006-2025" is what `python -m vixhedge.capital_figures
--data-dir ../shared/data` prints for it (trial longrun finding 3: the row read $567k / $560k / 32.9% (16.5%) / 25.3%
while the command printed $555,603 / $549,178 / 32.6% (16.5%) / 25.5%). A change that moves the run fails here: rerun
the command and regenerate the row (what moved it goes in the commit message: the README states what HEAD
measures)."""

from __future__ import annotations

from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
LABEL = "default, real data 2006-2025"


@pytest.mark.realdata
def test_the_readme_capital_row_of_the_real_data_run_is_the_commands(shared_data: Path) -> None:
    from vixhedge.capital_figures import _real_runs
    from vixhedge.fmt import pct, usd_k
    from vixhedge.run import run_backtest

    label, cfg, market = next(r for r in _real_runs(str(shared_data)) if r[0] == "real data 2006-2025, default")
    res = run_backtest(cfg, market, engine="fast")  # as capital_figures._line runs it
    p, cap = res.metrics["performance"], res.metrics["capital"]
    want = [usd_k(p["end_nav_usd"], 0), usd_k(res.daily["nav_usd"].min(), 0),  # the README's money and percents
            f"{pct(cap['peak_margin_utilisation'], 1)} ({pct(cap['mean_margin_utilisation'], 1)})",  # (vixhedge.fmt)
            pct(cap["peak_max_loss_to_nav"], 1),
            f"{cap['days_cut_by_capital_caps']} / {cap['days_constrained_by_buying_power']} / "
            f"{cap['days_with_margin_call']}",
            "none" if not res.metrics["ruin"] else res.metrics["ruin"]["date"]]
    row = next(line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith(f"| {LABEL} |"))
    got = [c.strip() for c in row.strip("|").split("|")][1:]
    assert got == want, f"README row {got} != command {want}: regenerate it (python -m vixhedge.capital_figures)"
