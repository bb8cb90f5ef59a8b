"""report.html's hedge P&L by cause, year by year (vixhedge.report_causes.cause_years): daily.csv's cause columns
summed per calendar year, beside the year's VIX and the layers held."""

from __future__ import annotations

import re

import pandas as pd

from vixhedge.core import config as C
from vixhedge.report_causes import cause_years
from vixhedge.runfolder import RunFiles

# four hand-made sessions over a year end; every expected cell below is these numbers added by hand
DAYS = pd.to_datetime(["2015-12-30", "2015-12-31", "2016-01-04", "2016-01-05"])
DAILY = pd.DataFrame({"vix_close": [20.0, 22.0, 21.0, 25.0], "hedge_layers": [1, 2, 2, 0],
                      "hedge_vx_carry_usd": [-10.0, 5.0, 0.0, 3.0], "hedge_vx_vix_move_usd": [100.0, -50.0, 30.0, 0.0],
                      "hedge_option_marks_usd": [0.0] * 4, "hedge_fills_vs_mid_usd": [-7.0, 0.0, -2.0, 0.0]},
                     index=DAYS)
DAILY["hedge_pnl_usd"] = DAILY.filter(like="_usd").sum(axis=1)  # the four causes (fees apart, as daily.csv)


def _files(daily: pd.DataFrame, layers_opened: int = 2) -> RunFiles:
    empty = pd.DataFrame()
    return RunFiles(folder=None, config=C.load_default(), manifest={}, daily=daily, attribution=empty, layers=empty,
                    condors=empty, metrics={"hedge_cost": {"layers_opened": layers_opened}})


def _cells(page: str) -> list[list[str]]:
    return [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row) for row in re.findall(r"<tr>(.*?)</tr>", page)]


def test_the_causes_are_summed_per_calendar_year_beside_the_vix_and_the_layers_held() -> None:
    """Each year's VIX runs from the close before its first session (the window's first close in its first year);
    the causes the run never held (here the options' marks) have no column; the last row is the whole window, whose
    hedge P&L is the sum of daily.csv's hedge_pnl_usd."""
    page = cause_years(_files(DAILY))
    assert "<h3>Hedge P&amp;L by cause, by year</h3>" in page
    assert _cells(page) == [
        ["year", "VIX", "layers held", "VX carry", "VIX move", "fills against mid", "hedge P&amp;L"],
        ["2015", "20.00 to 22.00", "1.50", "-$5", "$50", "-$7", "$38"],
        ["2016", "22.00 to 25.00", "1.00", "$3", "$30", "-$2", "$31"],
        ["all", "20.00 to 25.00", "1.25", "-$2", "$80", "-$9", "$69"]]


def test_the_whole_windows_row_is_the_by_cause_tables() -> None:
    """Trial VIS30: a real-data page gave VX carry $2,670 in *Hedge P&L by cause* (metrics.json, each layer's figure
    to the cent, summed: 2,670.48) and $2,671 in this table's "all" row (daily.csv summed: 2,670.51). The "all" row
    now takes metrics.json's causes where it has them and their sum as its hedge P&L; the years stay daily.csv's. By
    hand: carry -2.6 (daily.csv's sum -2), so -$3; hedge P&L -2.6 + 80 + 0 - 9 = 68.4, so $68."""
    files = _files(DAILY)
    files.metrics["hedge_cost"].update(vx_carry_usd=-2.6, vx_vix_move_usd=80.0, option_marks_usd=0.0,
                                       fills_vs_mid_usd=-9.0)
    cells = _cells(cause_years(files))
    assert cells[1:3] == [["2015", "20.00 to 22.00", "1.50", "-$5", "$50", "-$7", "$38"],
                          ["2016", "22.00 to 25.00", "1.00", "$3", "$30", "-$2", "$31"]]
    assert cells[3] == ["all", "20.00 to 25.00", "1.25", "-$3", "$80", "-$9", "$68"]


def test_no_table_without_a_layer_within_one_year_or_from_a_folder_before_the_split(short_folder) -> None:
    """A table of $0 (no layer opened), a one-row table repeating the window's (one calendar year: the short run's
    2015-06 .. 12, which held layers), or a folder whose daily.csv predates the cause columns: no table."""
    from vixhedge.runfolder import load_run

    assert cause_years(_files(DAILY, layers_opened=0)) == ""
    assert cause_years(_files(DAILY.drop(columns="hedge_option_marks_usd"))) == ""
    short = load_run(short_folder)
    assert short.metrics["hedge_cost"]["layers_opened"] > 0 and cause_years(short) == ""
    assert "by cause, by year" not in (short_folder / "report.html").read_text(encoding="utf-8")


def test_compare_puts_each_hedged_modes_causes_per_year_side_by_side() -> None:
    """compare's page: a column per cause a mode held and its hedge P&L, per year, on the one path's VIX; a mode
    that opened no layer (none) has no column. The alvh-like mode is DAILY; the static-like one holds carry alone."""
    from types import SimpleNamespace

    from vixhedge.report_causes import compare_years

    static = DAILY.copy()
    static[["hedge_vx_vix_move_usd", "hedge_fills_vs_mid_usd"]] = 0.0
    static["hedge_vx_carry_usd"] = [-4.0, -4.0, -3.0, -3.0]
    static["hedge_pnl_usd"] = static["hedge_vx_carry_usd"]
    results = {"none": SimpleNamespace(daily=DAILY * 0, metrics={"hedge_cost": {"layers_opened": 0}}),
               "static": _files(static, 1), "alvh": _files(DAILY)}
    assert _cells(compare_years(results)) == [
        ["year", "VIX", "static: VX carry", "static: hedge P&amp;L", "alvh: VX carry", "alvh: VIX move",
         "alvh: fills against mid", "alvh: hedge P&amp;L"],
        ["2015", "20.00 to 22.00", "-$8", "-$8", "-$5", "$50", "-$7", "$38"],
        ["2016", "22.00 to 25.00", "-$6", "-$6", "$3", "$30", "-$2", "$31"],
        ["all", "20.00 to 25.00", "-$14", "-$14", "-$2", "$80", "-$9", "$69"]]
    assert compare_years({"none": results["none"]}) == ""  # no hedged mode: no table
    # within one calendar year (its row and "all" the same) or with a mode's daily.csv from before the split: no
    # table (MUT30 MR9, MR11 survived)
    assert compare_years({"static": _files(static.loc[:"2015"], 1), "alvh": _files(DAILY.loc[:"2015"])}) == ""
    assert compare_years({"old": _files(DAILY.drop(columns="hedge_option_marks_usd")), "alvh": _files(DAILY)}) == ""


def test_a_compare_page_over_a_year_end_shows_the_table_and_its_rebuild_the_same(tmp_path) -> None:
    """The default config over 2015-11 .. 2016-02 (alvh holds layers in both years), none and alvh: the page's table
    has alvh's columns alone, its cells the sums of alvh's own daily frame ("all": its metrics.json's, as the run
    page's); `vixhedge report` on the folder (the
    modes read back from their run folders' files) draws the same table."""
    from vixhedge.compare import compare, write_comparison
    from vixhedge.compare_report import rebuild_comparison_report
    from vixhedge.fmt import usd

    cfg = C.replace(C.load_default(), run={"start": "2015-11-02", "end": "2016-02-29"})
    cmp = compare(cfg, modes=("none", "alvh"), n_boot=100)
    folder = write_comparison(cmp, tmp_path)
    page = (folder / "report.html").read_text(encoding="utf-8")
    table = page[page.index("<h2>Hedge P&amp;L by cause, by year</h2>"):page.index("<h2>The runs</h2>")]
    alvh = cmp.results["alvh"].daily
    carry = alvh["hedge_vx_carry_usd"].groupby(alvh.index.year).sum()
    assert [r[:3] for r in _cells(table)] == [["year", "VIX", "alvh: VX carry"],
                                              ["2015", f"{alvh['vix_close'].iloc[0]:.2f} to "
                                               f"{alvh.loc['2015', 'vix_close'].iloc[-1]:.2f}", usd(carry[2015])],
                                              ["2016", f"{alvh.loc['2015', 'vix_close'].iloc[-1]:.2f} to "
                                               f"{alvh['vix_close'].iloc[-1]:.2f}", usd(carry[2016])],
                                              ["all", f"{alvh['vix_close'].iloc[0]:.2f} to "
                                               f"{alvh['vix_close'].iloc[-1]:.2f}",
                                               usd(cmp.results["alvh"].metrics["hedge_cost"]["vx_carry_usd"])]]
    assert "none:" not in table
    rebuilt = rebuild_comparison_report(folder).read_text(encoding="utf-8")
    assert table in rebuilt


def test_a_mode_ruined_before_a_year_reads_n_a_there() -> None:
    """A mode whose daily rows stop in 2015 (ruined: its run's frames end at its ruin day) has no 2016 row: n/a
    there, its "all" its own days' sums (-$5 carry, as DAILY's 2015); the other mode's table is unchanged."""
    from vixhedge.report_causes import compare_years

    cells = _cells(compare_years({"ruined": _files(DAILY.loc[:"2015"]), "alvh": _files(DAILY)}))
    assert cells[0][:4] == ["year", "VIX", "ruined: VX carry", "ruined: VIX move"]
    assert cells[2][:3] == ["2016", "22.00 to 25.00", "n/a"] and cells[2][-4:] == ["$3", "$30", "-$2", "$31"]
    assert cells[3][:3] == ["all", "20.00 to 25.00", "-$5"]
    # the years are the longest mode's, whichever comes last (MUT30 MR10: the last mode's, a ruined one's, survived)
    later = _cells(compare_years({"alvh": _files(DAILY), "ruined": _files(DAILY.loc[:"2015"])}))
    assert [r[0] for r in later[1:]] == ["2015", "2016", "all"] and later[2][-4:] == ["n/a"] * 4


def test_compares_cause_rows_are_each_modes_own_metrics() -> None:
    """compare's table rows per cause are each mode's metrics.json hedge_cost figures: a VX-future mode's carry and
    VIX move (alvh, 2015-11..2016-02 as above), an options-only mode's marks (a variant holding VIX call spreads, no
    VX future). MUT30 MK15 (carry and VIX move swapped) and MK18 (the marks row only where VX is held
    too) survived."""
    from vixhedge.compare import compare

    cfg = C.replace(C.load_default(), run={"start": "2015-11-02", "end": "2016-02-29"})
    cmp = compare(cfg, modes=("none", "alvh"), n_boot=100, variants={"calls": {"hedge.instrument": "vix_call_spread"}})
    t, h = cmp.table, cmp.results["alvh"].metrics["hedge_cost"]
    assert h["vx_carry_usd"] != h["vx_vix_move_usd"]
    assert (t.at["hedge_vx_carry_usd", "alvh"], t.at["hedge_vx_vix_move_usd", "alvh"]) == (h["vx_carry_usd"],
                                                                                          h["vx_vix_move_usd"])
    calls = cmp.results["calls"]
    assert "vx_future" not in set(calls.trades["kind"]) and "vix_option" in set(calls.trades["kind"])
    assert t.at["hedge_option_marks_usd", "calls"] == calls.metrics["hedge_cost"]["option_marks_usd"] != 0


def test_the_run_pages_cause_rows_show_each_figure() -> None:
    """report.html's Hedge P&L by cause rows (cause_rows) from a hand-made hedge_cost whose figures all differ: each
    row's cell is its own key's, signs as metrics.json has them; the options' marks row only where options traded,
    the VIX move only where VX did. MUT30 MR1-MR5 were killed by the golden digest alone."""
    from vixhedge.report_causes import cause_rows

    h = {"vx_vix_move_usd": 1000.0, "option_marks_usd": -2000.0, "fills_vs_mid_usd": -300.0, "fees_usd": -40.0,
         "net_pnl_usd": 655.0, "net_cost_usd": -655.0, "vx_carry_usd": -5.0}
    assert [r[:2] for r in cause_rows(h, vx=True, options=False, carry=[])] == [
        ("VIX move, daily", "$1,000"), ("fills against mid", "-$300"), ("fees", "-$40"),
        ("sum: the hedge's net P&L", "$655")]
    rows = cause_rows(h, vx=False, options=True, carry=[])
    assert [r[:2] for r in rows[:1]] == [("VIX options' marks, daily", "-$2,000")]
    assert rows[-1][2] == "the net cost -$655's negative"
