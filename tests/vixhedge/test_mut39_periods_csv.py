"""MUT39 probe: periods.csv's capital columns keep their types (vixhedge/cli_periods.py CAPITAL: int, float, bool).

Mutants CP3 (``t.at[k, m]`` without ``kind(...)``) and CP4 (days_with_margin_call as float) passed every test:
tests/vixhedge/test_compare_period.py reads periods.csv through pandas, where "0.0" == 0 and 0.0 == False, so a
margin-call count written "0.0" and a ruin written "0.0" for False pass. comparison.csv's table is float, so the row's
cells are 0.0 without the conversion."""

from __future__ import annotations

import csv

from vixhedge.cli import main


def test_periods_csv_writes_call_days_as_a_count_and_ruin_as_a_boolean(tmp_path, capsys) -> None:
    # the command test_compare_period.py's test_period_all_compares_each_period... runs (embedded market: 3 periods)
    assert main(["compare", "--period", "all", "--modes", "none,alvh", "--n-boot", "100", "-q", "--runs-dir",
                 str(tmp_path)]) == 0
    capsys.readouterr()
    (kept,) = [f for f in tmp_path.iterdir() if "-periods-" in f.name]
    with open(kept / "periods.csv", newline="") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 6  # (3 periods x 2 modes)
    for r in rows:
        assert r["days_with_margin_call"].isdigit(), r  # (int: "0", not "0.0")
        assert r["ruined"] in ("True", "False"), r  # (bool, as compare's ruined row says it)
        float(r["capital_needed_usd"])
