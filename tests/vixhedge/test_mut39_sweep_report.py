"""MUT39 probe: the top table's count of distinct results names the deflated Sharpe's trials only where they differ
(vixhedge/sweep_report.py _top_points ``inside``).

Mutant SR1 (``if trials`` without ``trials != distinct``) passed every test: tests/vixhedge/test_sweep_marginal.py
sets trials to 5 beside 6 distinct results, never to the same count."""

from __future__ import annotations

import json

from tests.vixhedge.test_sweep_report import _three_key_folder


def test_trials_equal_to_the_distinct_results_are_not_said_twice(tmp_path, monkeypatch) -> None:
    from vixhedge import sweep_report

    out, df, _, _ = _three_key_folder(tmp_path)
    # test_sweep_marginal.py's folder: b changes nothing, so 12 points hold 6 distinct results
    df["is_sharpe"] = -0.11 - 0.05 * df["a"] - 0.10 * df["c"]
    df["sharpe"] = -df["is_sharpe"]
    df.to_csv(out / "results.csv", index=False)
    s = json.loads((out / "summary.json").read_text())
    (out / "summary.json").write_text(json.dumps({**s, "trials": 6}))  # (the deflated Sharpe's count: the same 6)
    monkeypatch.setattr(sweep_report, "TOP", 4)
    page = sweep_report.render_sweep(out)
    assert "<p>The 4 best of 6 distinct results (12 points), sorted by" in page
    assert "distinct in sample" not in page


def test_the_best_points_note_rows_leave_their_value_cell_empty(tmp_path) -> None:
    """Mutant SR4 (the note rows' value cell "note" again, trial VIS38 L5) passed every test: test_sweep_marginal.py
    checks the "points beating the baselines" row alone. A best point that met margin calls has a "margin calls"
    note row (sweep_text.called_words)."""
    import re

    from vixhedge import sweep_report

    out, _, _, _ = _three_key_folder(tmp_path)
    s = json.loads((out / "summary.json").read_text())
    best = {**s["best"], "days_with_margin_call": 2, "capital_needed_usd": 1008269.0}
    (out / "summary.json").write_text(json.dumps({**s, "best": best}))
    part = sweep_report.render_sweep(out).split("<h2>Best point</h2>")[1].split("</table>")[0]
    row = re.search(r"<tr><t[hd][^>]*>margin calls</t[hd]>(.*?)</tr>", part).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row)[0] == "", row
    assert "the best point met a margin call on 2 sessions" in row


def test_every_distinct_results_count_names_the_trials_where_they_differ(tmp_path) -> None:
    """Mutant SR6 (``({distinct})`` without the trials clause, in the table of every distinct result) passed every
    test: test_sweep_marginal.py checks the clause in "The 4 best of 6" (TOP 4) alone."""
    from vixhedge import sweep_report

    out, df, _, _ = _three_key_folder(tmp_path)
    df["is_sharpe"] = -0.11 - 0.05 * df["a"] - 0.10 * df["c"]  # (6 distinct results of 12 points, as above)
    df["sharpe"] = -df["is_sharpe"]
    df.to_csv(out / "results.csv", index=False)
    s = json.loads((out / "summary.json").read_text())
    (out / "summary.json").write_text(json.dumps({**s, "trials": 5}))
    assert ("<p>Every distinct result of the 12 points (6; 5 distinct in sample, the trials the deflated Sharpe ratio "
            "counts), sorted by") in sweep_report.render_sweep(out)
