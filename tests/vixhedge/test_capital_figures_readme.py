"""The README's capital table row "default, real data 2006-2025" is what `python -m vixhedge.capital_figures
--data-dir ../shared/data` prints for it (trial longrun finding 3: the row read $567k / $560k / 32.9% (16.5%) / 25.3%
while the command printed $555,603 / $549,178 / 32.6% (16.5%) / 25.5%). A change that moves the run fails here: rerun
the command and regenerate the row (what moved it goes in the commit message: the README states what HEAD
measures)."""

from __future__ import annotations

import re
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


#: README row label -> the command's label for it, for the rows the test below reruns
ROWS = {'the same, `margin.on_insufficient = "refuse"`': "the same, margin.on_insufficient = refuse",
        'the same, `margin.on_breach = "liquidate"`': "the same, margin.on_breach = liquidate",
        "`cndr`, real data 2008 (max loss 10% of NAV)": "real data 2008, cndr (max loss 10% of NAV)",
        "`cndr` in 2008 sized at max loss = NAV, caps at 1.0 x NAV":
            "real data 2008, cndr at max loss = NAV (caps at 1.0 x NAV)"}
LINE = re.compile(r"final NAV (?P<end>\S+), min NAV (?P<low>\S+), total return (?P<ret>\S+), "
                  r".*days cut by caps (?P<caps>\d+), by buying power (?P<bp>\d+), with a margin call (?P<calls>\d+); "
                  r".*ruin (?P<ruin>.+)$")


@pytest.mark.realdata
def test_the_readme_rows_of_the_margin_rules_and_of_2008_are_the_commands(shared_data: Path, monkeypatch):
    """MUT28 cf2-cf5: README *Capital, margin and ruin*'s table rows of the two margin rules (200 condors: refused
    $386k / $377k, liquidated $679k / $573k) and of cndr in 2008 ($996k (-0.4%) / $969k; at max loss = NAV $244k
    (-75.6%) / $194k) are what the command's own lines print: its configs (recorded from main, not rebuilt here) run
    through its _line, whose figures are read back in the README's form (final and min NAV in $k, vixhedge.fmt.usd_k;
    the days cut / by buying power / with a margin call; the ruin)."""
    import logging

    from vixhedge import capital_figures as cf
    from vixhedge.fmt import usd_k

    line, runs = cf._line, {}
    monkeypatch.setattr(cf, "_line", lambda label, cfg, market=None: runs.setdefault(label, (cfg, market)) and "")
    level = logging.getLogger("vixhedge").level
    try:
        cf.main(["--data-dir", str(shared_data)])
    finally:
        logging.getLogger("vixhedge").setLevel(level)
    table = {c[0]: c[1:] for c in ([x.strip() for x in row.strip("|").split("|")]
                                   for row in README.read_text(encoding="utf-8").splitlines() if row.startswith("| "))}
    for readme_label, label in ROWS.items():
        m = LINE.search(line(label, *runs[label]))
        assert m, label
        money = lambda k: usd_k(float(m[k].replace("$", "").replace(",", "")), 0)  # noqa: E731
        end = money("end") + (f" ({m['ret']})" if "cndr" in readme_label else "")
        got = [end, money("low"), f"{m['caps']} / {m['bp']} / {m['calls']}", m["ruin"]]
        want = table[readme_label]
        assert got == [want[0], want[1], want[4], want[5]], f"{readme_label}: README {want} != command {got}"
