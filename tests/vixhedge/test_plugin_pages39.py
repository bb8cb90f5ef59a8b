"""Compare's and a sweep's summaries and pages name the plug-ins their runs used, each with its source sha256 (trial
API39 M1: a compare of none / static / alvh, each with examples/custom_plugins.toml's condor selector, signal and
analyzers, named none of them on the console or the page; a sweep named its policy only inside the paths line)."""

import hashlib
import re
from pathlib import Path

from vixhedge.cli import main

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _sha(module: str) -> str:
    return hashlib.sha256((EXAMPLES / f"{module}.py").read_bytes()).hexdigest()[:12]  # (a module without helpers)


def test_compare_names_each_plugin_the_modes_ran_with(on_path, tmp_path, capsys):
    assert main(["compare", str(EXAMPLES / "custom_plugins.toml"), "--modes", "none,static", "--baseline", "none",
                 "--start", "2016-01-04", "--end", "2016-06-30", "--n-boot", "200", "--runs-dir", str(tmp_path)]) == 0
    words = (f"condor.selector custom_condor:pick (sha256 {_sha('custom_condor')}), hedge.signals "
             f"custom_signal:vx_zscore (sha256 {_sha('custom_signal')}), analysis.analyzers custom_analyzer:tail_offset"
             f" (sha256 {_sha('custom_analyzer')}), analysis.analyzers custom_analyzer:drawdowns (sha256 "
             f"{_sha('custom_analyzer')})")  # (monthly_returns, a built-in, and the built-in modes left out)
    assert f"\nplug-ins: {words}\n" in capsys.readouterr().out
    (folder,) = tmp_path.iterdir()
    page = (folder / "report.html").read_text()
    assert re.search(r"engine fast; plug-ins condor.selector custom_condor:pick, hedge.signals "
                     r"custom_signal:vx_zscore, analysis.analyzers custom_analyzer:tail_offset, "
                     r"analysis.analyzers custom_analyzer:drawdowns</p>", page)
    assert f"<tr><td>plug-ins</td><td>{words}</td></tr>" in page
    before = page
    assert main(["report", str(folder)]) == 0  # read back: the runs' manifest.json identities, the same words
    assert (folder / "report.html").read_text() == before


def test_a_sweep_names_its_plugins_on_the_console_and_page(on_path, tmp_path, capsys):
    spec = tmp_path / "spec.toml"
    spec.write_text(f'[sweep]\nname = "plug"\nconfig = "{EXAMPLES / "custom_hedge.toml"}"\n\n[base.run]\n'
                    'start = 2016-01-04\nend = 2016-06-30\n\n[grid]\n"hedge.policy_params.contracts" = [1, 2]\n')
    assert main(["sweep", str(spec), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    line = f"plug-ins: hedge.policy custom_hedge:policy (sha256 {_sha('custom_hedge')})"
    assert f"\n{line}\n" in capsys.readouterr().out
    assert f"<p>P{line[1:]}.</p>" in (tmp_path / "out" / "report.html").read_text()
