"""Trial MUT40 (hand mutants of session 39's plug-in report rows, /work/notes/mut40_report.md): a plug-in policy
that never acts, in one module file with no helpers. Its Rules fired table still lists roll (at 0: html._rules
keeps roll for a plug-in, trial API39 M4), the 17 other alvh ids left out; its Reproduce table names its source
sha256 once, with no per-file rows (those are for a plug-in importing helpers, trial API39 M3)."""

from __future__ import annotations

import re

from vixhedge.cli import main

WINDOW = ["--start", "2016-01-04", "--end", "2016-04-29"]  # test_plugin_fixes39's short embedded-market window


def test_a_plugin_that_never_acts_lists_roll_at_0_and_no_file_rows(tmp_path, monkeypatch):
    """Kills H04 (roll hidden at 0 for a plug-in) and H01 (a file row for a one-file plug-in: len(files) >= 1)."""
    (tmp_path / "idle_x40.py").write_text("from vixhedge.api import Decision\n\n\ndef policy(state, snap, cfg):\n"
                                          "    return Decision()\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert main(["run", "--runs-dir", str(tmp_path / "runs"), "-q", "--engine", "fast", *WINDOW,
                 "--set", "hedge.policy=idle_x40:policy"]) == 0
    (run,) = [p for p in (tmp_path / "runs").iterdir() if p.is_dir()]
    page = (run / "report.html").read_text()
    table = page[page.index("<h2>Rules fired</h2>"):]
    table = table[:table.index("</table>")]
    assert re.findall(r"<tr><td class=\"t\">([a-z_]+)</td>", table) == ["roll"]
    assert "did not record are left out (17)" in page
    assert "policy source</td>" in page and "policy file</td>" not in page
