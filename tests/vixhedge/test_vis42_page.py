"""Trial VIS42 (the pages looked at as pictures): the run page's first table answers did the hedge help, at what
cost, on what capital and prices (M1); the notes sit under it (L8) and a compare's under its tables; the key-value
tables' labels keep to one line (L2); the Condors table's P&L follows the exit reason and its strikes read as listed
(L3)."""

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd

from analyzers import metrics as M
from vixhedge.fmt import pct, usd
from vixhedge.page_style import STYLE
from vixhedge.report_glance import glance


def _glance_rows(page: str) -> dict[str, list[str]]:
    body = page.split("<h2>At a glance</h2>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], flags=re.S)
    return {cells[0]: cells[1:] for cells in (re.findall(r"<td[^>]*>(.*?)</td>", r) for r in rows)}


def test_the_first_table_repeats_the_figures_the_page_gives_further_down(short_folder: Path) -> None:
    """VIS42 M1: on the real-data run the answers sat 1,300-4,400 px down. Each figure of the table is the one its
    table below gives: the run's return, max drawdown and CVaR (metrics.json performance) against benchmark.csv's
    no-hedge path measured the same way, the hedge net cost (hedge_cost), the capital needed (capital), the share
    of real marks and fills (data_provenance)."""
    page = (short_folder / "report.html").read_text(encoding="utf-8")
    assert page.index("<h2>At a glance</h2>") < page.index("<b>Data:</b>") < page.index("<h2>Performance</h2>")
    m = json.loads((short_folder / "metrics.json").read_text(encoding="utf-8"))
    p, bare = m["performance"], pd.read_csv(short_folder / "benchmark.csv")["no_hedge_nav_usd"].to_numpy()
    rows = _glance_rows(page)
    against = ["total return, hedged vs not", "max drawdown, hedged vs not", "CVaR 95%, hedged vs not"]
    assert list(rows) == [*against, "hedge net cost", "capital", "prices"]
    r0, dd0, cv0 = bare[-1] / bare[0] - 1, M.max_drawdown(bare), M.cvar(M.daily_returns(bare))
    assert [rows[k][0] for k in against] == [f"{pct(p['total_return'])} vs {pct(r0)}",
                                             f"{pct(p['max_drawdown'])} vs {pct(dd0)}",
                                             f"{pct(p['cvar_95'])} vs {pct(cv0)}"]
    assert rows["hedge net cost"][0] == usd(m["hedge_cost"]["net_cost_usd"])
    c = m["capital"]
    assert rows["capital"][0] == (f"peak requirement {usd(c['peak_margin_usd'])}, needed "
                                  f"{usd(c['capital_needed_usd'])}")
    assert "for this run&#x27;s trades" in rows["capital"][1]
    assert rows["prices"][0] == "0% real" and "study of the model" in rows["prices"][1]  # (the embedded market)


def test_a_run_without_hedge_has_no_row_against_itself() -> None:
    """hedge.mode = none: its no-hedge benchmark is itself (benchmark.csv's two columns equal)."""
    nav = np.array([1e6, 0.99e6, 1.01e6, 1.0e6])
    bench = pd.DataFrame({"nav_usd": nav, "no_hedge_nav_usd": nav})
    m = {"hedge_cost": {"net_cost_usd": 0.0, "cost_pct_of_condor_credit": 0.0, "net_cost_usd_per_year": 0.0}}
    assert "hedged vs not" in glance(m, bench) and "hedged vs not" not in glance(m, bench, hedged=False)
    assert "capital" not in glance(m, None)  # (a folder from before capital_needed_usd)


def test_a_ruined_path_is_measured_to_its_ruin_as_its_metrics() -> None:
    """A ruin's NAV 0 ends the span (analyzers.report_tables.relative_metrics, the run's valid span): the return is
    -100%, never a division by the zeros after it."""
    bench = pd.DataFrame({"nav_usd": [1e6, 5e5, 0.0, 0.0], "no_hedge_nav_usd": [1e6, 9e5, 8e5, 8e5]})
    m = {"hedge_cost": {"net_cost_usd": 1.0, "cost_pct_of_condor_credit": float("nan"), "net_cost_usd_per_year": 1.0}}
    rows = _glance_rows(glance(m, bench))
    assert rows["total return, hedged vs not"][0] == "-100.00% vs -20.00%"
    assert rows["max drawdown, hedged vs not"][0] == "100.00% vs 20.00%"


def test_labels_keep_to_one_line_and_the_condors_pnl_follows_its_exit(short_folder: Path) -> None:
    """VIS42 L2 ("return on / margin" at 1,400 px) and L3 (P&L last and off-screen at 800 px; "1,725.00")."""
    assert "table.kv td:first-child { white-space: nowrap; }" in STYLE
    page = (short_folder / "report.html").read_text(encoding="utf-8")
    table = page.split("<h2>Condors</h2>", 1)[1].split("</table>", 1)[0]
    heads = re.findall(r"<th[^>]*>(.*?)</th>", table)
    assert heads[3:6] == ["exit reason", "P&amp;L", "contracts"]
    condors = pd.read_csv(short_folder / "condors.csv")
    first = re.findall(r"<td[^>]*>(.*?)</td>", table.split("<tbody>", 1)[1].split("</tr>", 1)[0])
    assert first[6] == f"{condors['long_put'].iloc[0]:,.0f}" and "." not in first[6]  # a 5-point SPX strike


def test_a_comparisons_notes_sit_under_its_tables(tmp_path: Path) -> None:
    """VIS42 M1 (the covid compare at 1,400 x 900: two "Note: alvh: hedge.fomc ..." boxes pushed the Side by side
    table off the first screen): the modes' notes follow the paired differences."""
    from tests.vixhedge.compare_cases import default_comparison
    from vixhedge.compare_report import render_comparison
    from vixhedge.compare_text import mode_notes

    cmp = default_comparison()
    assert mode_notes(cmp)  # (alvh's: no A/D file embedded)
    page = render_comparison(cmp, tmp_path, {m: m for m in cmp.results}, {})
    assert page.index("<h2>Side by side</h2>") < page.index("<h2>Paired differences") < page.index("<b>Note:</b>")
