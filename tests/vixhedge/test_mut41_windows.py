"""MUT41 probe: compare_windows_page._check_summary (commit 9b0bdb4e, trial FUZZ40 L6)."""

from __future__ import annotations

import json

from tests.vixhedge.test_fuzz40_a import _edited, _one_line, windows  # noqa: F401 - the fixture
from vixhedge.cli import main


def test_a_summary_with_a_mode_the_command_did_not_run_is_refused(windows, tmp_path, capsys):  # noqa: F811
    """Kills MUT41 W4 (compare_windows_page.py:157 ``sorted(summary) != sorted(modes)`` -> ``modes <= summary``):
    the docstring says an entry for each mode beside the baseline; test_fuzz40_a's WINDOWS ran none,static (baseline
    none), so a summary holding static and an extra 'alvh' is not what the command writes."""
    record = json.loads((windows / "windows.json").read_text())
    summary = dict(record["summary"])
    assert sorted(summary) == ["static"]
    summary["alvh"] = summary["static"]
    folder = _edited(windows, tmp_path, "summary", summary)
    assert main(["report", str(folder)]) == 2
    line = _one_line(capsys)
    assert line.startswith(f"vixhedge: {folder / 'windows.json'} is damaged"), line
