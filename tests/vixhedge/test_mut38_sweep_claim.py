"""Probe of MUT38 (sweep_claim.py survivor SC6): ranked_by's docstring, "None: no file, or unreadable": a
summary.json that is JSON but not an object (a list) is unreadable as a summary, not an AttributeError."""
from __future__ import annotations

from vixhedge.sweep_claim import ranked_by


def test_sc6_a_summary_that_is_a_json_list_was_ranked_by_nothing(tmp_path):
    p = tmp_path / "summary.json"
    p.write_text("[1, 2]")
    assert ranked_by(p) is None
