"""MUT42 probes for vixhedge.report_glance (the run page's "At a glance" table, commits f1dab273 / 4a52283f)."""

from __future__ import annotations

import re

import pandas as pd

from vixhedge.report_glance import glance


def _rows(page: str) -> dict[str, list[str]]:
    """The table's rows by label (tests/vixhedge/test_vis42_page.py's _glance_rows)."""
    body = page.split("<h2>At a glance</h2>", 1)[1].split("</table>", 1)[0]
    rows = re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], flags=re.S)
    return {cells[0]: cells[1:] for cells in (re.findall(r"<td[^>]*>(.*?)</td>", r) for r in rows)}


def test_the_no_hedge_path_is_cut_at_the_runs_ruin_too() -> None:
    """Kills G01 (`_valid` cut at NAV < 0, not <= 0: a ruin's NAV is 0). test_vis42_page's ruined case, with the
    no-hedge path still falling after the ruin day (row 2): 1e6, 9e5, 8e5, then 4e5. Measured to the ruin, as the
    run's metrics and relative_metrics count it, it is 8e5 / 1e6 - 1 = -20.00% (max drawdown 20.00%); the whole
    path would say -60.00% and 60.00%."""
    bench = pd.DataFrame({"nav_usd": [1e6, 5e5, 0.0, 0.0], "no_hedge_nav_usd": [1e6, 9e5, 8e5, 4e5]})
    m = {"hedge_cost": {"net_cost_usd": 1.0, "cost_pct_of_condor_credit": 0.5, "net_cost_usd_per_year": 1.0}}
    rows = _rows(glance(m, bench))
    assert rows["total return, hedged vs not"][0] == "-100.00% vs -20.00%"
    assert rows["max drawdown, hedged vs not"][0] == "100.00% vs 20.00%"


def _m(share: float = 0.5) -> dict:
    return {"hedge_cost": {"net_cost_usd": 1000.0, "cost_pct_of_condor_credit": share, "net_cost_usd_per_year": 500.0}}


def test_a_no_hedge_path_that_is_not_finite_gives_no_row_against_it() -> None:
    """Kills G04 (the `np.isfinite(bare).all()` clause dropped): _against_no_hedge's docstring, "none without it": a
    benchmark.csv whose no-hedge NAV holds a NaN has no such path, and pct(nan) is no figure to print."""
    bench = pd.DataFrame({"nav_usd": [1e6, 1.01e6, 1.02e6, 1.0e6], "no_hedge_nav_usd": [1e6, float("nan"), 9e5, 9e5]})
    page = glance(_m(), bench)
    assert "hedged vs not" not in page and "nan" not in page.lower()


def test_a_cost_share_that_is_nan_is_left_out_of_the_cost_row() -> None:
    """Kills G07 (`share == share` dropped): test_vis42_page's ruined case passes cost_pct_of_condor_credit = nan
    (a run without condor credit) but reads only the return rows; the cost row's convention must not say "nan% of
    the condor credit". With 0.5 it says "0.50% of the condor credit" (vixhedge.fmt.num's 2 decimals and the '%')."""
    rows = _rows(glance(_m(float("nan")), None))
    assert rows["hedge net cost"][0] == "$1,000" and "condor credit" not in rows["hedge net cost"][1]
    assert "0.50% of the condor credit; " in _rows(glance(_m(0.5), None))["hedge net cost"][1]


def test_the_real_share_counts_marks_and_fills_and_only_real_ones() -> None:
    """Kills G09 (fills left out) and G10 (anchored counted as real). By hand: marks 3 real + 3 anchored, fills 4
    model: real 3 of 10 = 30% (feeds.provenance.percent); marks alone would give 50%, real + anchored 60%."""
    m = {**_m(), "data_provenance": {"marks": {"spx_option": {"real": 3, "anchored": 3, "model": 0}},
                                     "fills": {"spx_option": {"real": 0, "anchored": 0, "model": 4}},
                                     "rests_on_model": False}}
    rows = _rows(glance(m, None))
    assert rows["prices"][0] == "30% real" and rows["prices"][1].startswith("of the marks and fills; mostly real")
