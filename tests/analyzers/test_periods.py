"""analyzers/periods.py: the named stress periods inside a run, by hand on a made-up daily frame (every figure below
is the frame's own sums and ratios), and the README's us-downgrade month on real data in
tests/vixhedge/test_held_without_condor.py."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analyzers.periods import named_periods
from feeds.periods import Period
from vixhedge.report_periods import compare_lines, entered_words, periods_section

D = dt.date


def _daily(days: list[str], nav: list[float], hedge: list[float], layers: list[int], condor: list[float]):
    total = [nav[0] - 1000.0] + [b - a for a, b in zip(nav, nav[1:])]  # a run started with 1,000 of cash
    frame = pd.DataFrame({"nav_usd": nav, "hedge_pnl_usd": hedge, "total_pnl_usd": total, "fees_pnl_usd": 0.0,
                          "interest_pnl_usd": 0.0, "hedge_layers": layers, "condor_max_loss_usd": condor},
                         index=pd.DatetimeIndex(days, name="date"))
    frame["condor_pnl_usd"] = frame["total_pnl_usd"] - frame["hedge_pnl_usd"]
    return frame


# 2018-02-01 .. 02-07: five sessions (Thu, Fri, Mon, Tue, Wed)
DAYS = ["2018-01-30", "2018-01-31", "2018-02-01", "2018-02-02", "2018-02-05", "2018-02-06", "2018-02-07"]
P = {"feb": Period("feb", "February", D(2018, 2, 1), D(2018, 2, 7), ""),
     "march": Period("march", "March", D(2018, 3, 1), D(2018, 3, 30), ""),
     "jan": Period("jan", "January", D(2018, 1, 2), D(2018, 1, 30), "")}


def test_a_period_inside_the_run_sums_its_days_from_the_close_before() -> None:
    d = _daily(DAYS, [1000, 1010, 1000, 950, 900, 990, 1020], [0, 0, 5, 20, 40, -10, -5], [0, 1, 2, 2, 3, 3, 1],
               [0, 500, 500, 500, 500, 500, 0])
    feb, jan = named_periods(d, P)  # (march meets no day: left out)
    assert (feb["first"], feb["last"]) == ("2018-02-01", "2018-02-07")
    assert (feb["sessions"], feb["whole"]) == (5, True)
    assert feb["hedge_pnl_usd"] == 50.0 and feb["total_pnl_usd"] == 10.0  # 1020 - 1010, the close before
    assert feb["condor_pnl_usd"] == -40.0 and feb["fees_pnl_usd"] == feb["interest_pnl_usd"] == 0.0
    assert feb["return"] == pytest.approx(1020 / 1010 - 1)
    assert feb["max_drawdown"] == pytest.approx(1 - 900 / 1010)  # the close before is the path's first peak
    assert feb["entered_with"] == {"hedge_layers": 1, "condor": True}
    assert entered_words(feb) == "1 layer and a condor"
    # the run starts inside January: flat, from the 1,000 of cash; only its last session is in the run
    assert (jan["first"], jan["last"], jan["sessions"], jan["whole"]) == ("2018-01-30", "2018-01-30", 1, False)
    assert jan["entered_with"] is None and entered_words(jan) == "starts the run (flat)"
    assert jan["total_pnl_usd"] == 0.0 and jan["return"] == 0.0 and jan["max_drawdown"] == 0.0
    page = periods_section({"named_periods": [feb, jan]})
    words = page.replace('<span class="nw">', "").replace("</span>", "")  # (dates kept whole: trial VIS35 L3)
    assert "2018-02-01 .. 2018-02-07 (5 sessions)" in words and "(1 session, part of the period)" in page
    assert named_periods(d.loc["2018-01-31":"2018-01-31"], {"feb": P["feb"]}) == []


def test_compare_lines_put_the_modes_side_by_side() -> None:
    class Run:
        def __init__(self, hedge: float, total: float) -> None:
            self.metrics = {"named_periods": [{"name": "feb", "first": "2018-02-01", "last": "2018-02-07",
                                               "sessions": 5, "whole": True, "hedge_pnl_usd": hedge,
                                               "total_pnl_usd": total}]}

    lines = compare_lines({"none": Run(0.0, -40.0), "alvh": Run(50.4, 10.5)})
    assert lines[1] == "  feb 2018-02-01 .. 2018-02-07 (5 sessions): none $0 / -$40; alvh $50 / $11"
    assert compare_lines({"none": type("R", (), {"metrics": {}})()}) == []


def test_a_ruined_run_counts_its_debt_and_leaves_out_what_follows_the_ruin() -> None:
    """Review 20: a forced ruin's china-deval row read condor -$11,936, hedge $11,736, fees + interest -$2,029,706,
    total -$1,002,346 (the $1,027,560 debt written off was in no column), and a period wholly after the ruin read as
    a book that held nothing. Here the ruin on 2018-02-05 writes off 100 of debt, its own P&L row."""
    d = _daily(DAYS, [1000, 1010, 1000, 950, 0, 0, 0], [0, 0, 5, 20, 40, 0, 0], [0, 1, 2, 2, 0, 0, 0],
               [0, 500, 500, 500, 0, 0, 0])
    d["ruin_debt_pnl_usd"] = [0.0, 0.0, 0.0, 0.0, -100.0, 0.0, 0.0]
    d["condor_pnl_usd"] = d["total_pnl_usd"] - d["hedge_pnl_usd"] - d["ruin_debt_pnl_usd"]
    after = {"feb": P["feb"], "later": Period("later", "Later", D(2018, 2, 6), D(2018, 2, 7), "")}
    (feb,) = named_periods(d, after, ruin="2018-02-05")  # (later: wholly after the ruin, left out)
    assert feb["ruin"] == "2018-02-05" and feb["ruin_debt_pnl_usd"] == -100.0
    groups = sum(feb[f"{g}_pnl_usd"] for g in ("condor", "hedge", "fees", "interest", "ruin_debt"))
    assert groups == feb["total_pnl_usd"] == -1010.0
    page = periods_section({"named_periods": [feb]})
    assert '(5 sessions, ruined <span class="nw">2018-02-05</span>)' in page and "fees + interest + ruin debt" in page
    assert "ruin" not in named_periods(d, after)[0] and "ruin_debt_pnl_usd" not in named_periods(d, after)[0]


def test_the_edges_mutations_found_unpinned() -> None:
    """Trial MUT20's survivors, each on the made-up frames above: a period starting on the ruin day holds the ruin
    and its debt; a period before the ruin is not marked; no condor at the close before reads "condor": False; a
    period starting the run counts from the starting cash (first NAV 990 of 1,000: -10, -1%, drawdown 1%); a
    cent-rounded -0.001 is 0.0, not -0.0; the page's fees + interest + ruin debt cell holds the debt."""
    ruined = _daily(DAYS, [1000, 1010, 1000, 950, 0, 0, 0], [0, 0, 5, 20, 40, 0, 0], [0, 1, 2, 2, 0, 0, 0],
                    [0, 500, 500, 500, 0, 0, 0])
    ruined["ruin_debt_pnl_usd"] = [0.0, 0.0, 0.0, 0.0, -100.0, 0.0, 0.0]
    (rec,) = named_periods(ruined, {"r": Period("r", "R", D(2018, 2, 5), D(2018, 2, 7), "")}, ruin="2018-02-05")
    assert (rec["first"], rec["ruin"], rec["ruin_debt_pnl_usd"]) == ("2018-02-05", "2018-02-05", -100.0)
    assert "ruin" not in named_periods(ruined, {"jan": P["jan"]}, ruin="2018-02-05")[0]
    (feb,) = named_periods(ruined, {"feb": P["feb"]}, ruin="2018-02-05")
    assert "<td>-$100</td>" in periods_section({"named_periods": [feb]}).replace(' class="num"', "")
    flat = _daily(DAYS, [990, 1010, 1000, 950, 900, 990, 1020], [0] * 7, [0, 1, 2, 2, 3, 3, 1],
                  [0, 0, 500, 500, 500, 500, 0])
    assert named_periods(flat, {"feb": P["feb"]})[0]["entered_with"] == {"hedge_layers": 1, "condor": False}
    (jan,) = named_periods(flat, {"jan": P["jan"]})
    assert (jan["total_pnl_usd"], jan["return"], jan["max_drawdown"]) == (-10.0, pytest.approx(-0.01),
                                                                          pytest.approx(0.01))
    flat["fees_pnl_usd"] = [0, 0, -0.001, 0, 0, 0, 0]
    assert str(named_periods(flat, {"feb": P["feb"]})[0]["fees_pnl_usd"]) == "0.0"


def test_a_period_missing_its_last_session_is_not_whole() -> None:
    """Trial MUT24 per03 (``==`` -> ``>= len(p.sessions()) - 1`` survived): ``whole`` says the run holds every
    session of the period's window (named_periods' docstring). By hand: February here is 2018-02-01 .. 02-07, five
    sessions (Thu, Fri, Mon, Tue, Wed: ``Period.sessions``); a run ending 02-06 holds four of them: not whole (the
    mutant called 4 of 5 whole); one ending 02-07 holds all five: whole."""
    d = _daily(DAYS, [1000, 1010, 1000, 950, 900, 990, 1020], [0, 0, 5, 20, 40, -10, -5], [0, 1, 2, 2, 3, 3, 1],
               [0, 500, 500, 500, 500, 500, 0])
    assert len(P["feb"].sessions()) == 5
    (short,) = named_periods(d.iloc[:-1], {"feb": P["feb"]})
    assert (short["last"], short["sessions"], short["whole"]) == ("2018-02-06", 4, False)
    assert "(4 sessions, part of the period)" in periods_section({"named_periods": [short]})
    (full,) = named_periods(d, {"feb": P["feb"]})
    assert (full["sessions"], full["whole"]) == (5, True)


def test_the_compare_page_has_a_column_per_mode() -> None:
    """Trial MUT20: a page keeping the first mode's column alone passed every test."""
    from vixhedge.report_periods import compare_section

    def run(hedge: float, total: float):
        return type("R", (), {"metrics": {"named_periods": [{"name": "feb", "first": "2018-02-01",
                                                             "last": "2018-02-07", "sessions": 5, "whole": True,
                                                             "hedge_pnl_usd": hedge, "total_pnl_usd": total}]}})()

    page = compare_section({"none": run(0.0, -40.0), "alvh": run(50.4, 10.5)})
    assert "none: hedge / total P&amp;L" in page and "alvh: hedge / total P&amp;L" in page
    assert "$0 / -$40" in page and "$50 / $11" in page
