"""MUT39 probe: an analyzer's note on more than NOT_FINITE_SHOWN non-finite values counts those left out, not all of
them (analyzers/plugins.py _json_safe, ``and N more``; mutant P08: ``{len(odd)} more`` passed every test)."""

from __future__ import annotations

import logging
from types import SimpleNamespace

from analyzers.plugins import NOT_FINITE_SHOWN, run_analyzers


def test_the_note_counts_the_non_finite_values_left_out(tmp_path, monkeypatch, caplog) -> None:
    # five NaNs: the note names NOT_FINITE_SHOWN (3, analyzers/plugins.py) and says "and 2 more" (5 - 3)
    (tmp_path / "mut39_nan5.py").write_text('def an(result):\n    return {k: float("nan") for k in "abcde"}\n')
    monkeypatch.syspath_prepend(str(tmp_path))
    result = SimpleNamespace(config=SimpleNamespace(analysis=SimpleNamespace(analyzers=["mut39_nan5:an"])))
    with caplog.at_level(logging.WARNING, logger="vixhedge.policy"):
        entries, _ = run_analyzers(result)
    assert NOT_FINITE_SHOWN == 3
    assert list(entries["an"]) == list("abcde") and all(v != v for v in entries["an"].values())  # (NaN kept: null)
    notes = [r.getMessage() for r in caplog.records if "mut39_nan5" in r.getMessage()]
    assert notes == ["note: analyzer mut39_nan5:an returned a = nan, b = nan, c = nan and 2 more: not a JSON number, "
                     "written null in metrics.json"], notes
