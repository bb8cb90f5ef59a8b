"""MUT39 probes: compare's search caveat (vixhedge/compare_search.py ``_where`` through search_caveats; the CLI's
windows passed by vixhedge/cli_windows.py).

* mutants CS01 (``start > ranked[0]``) and CS02 (``end < ranked[1]``) passed every test: a window that starts or
  ends on a ranked day but lies within them read "partly in sample" (both spans inclusive: tests/vixhedge/
  test_mut38_compare_search.py test_cs10 pins the shared-day overlap, not the inside case).
* mutant CS04 (``ranked[0] < end``) passed: a window ending on the first ranked day read "outside" (test_cs10 pins
  the mirror, a window starting on the last one).
* mutant CS10 (the windows' "overlapping them" count read as the "inside" one) passed: the test's 5 windows have one
  of each.
* mutants CW2 (each window passed as start..start) and CW4 (no windows passed: the range's one-window words) passed:
  no test runs compare --windows on a variant picked by a sweep.
"""

from __future__ import annotations

import pytest

from vixhedge.compare_search import search_caveats

# the words of RS39's pick as tests/vixhedge/test_compare_search.py gives them (ranked on 2008-01-02..2018-12-31)
TEXT = "the best of 648 points of the sweep sw by CVaR 95%, ranked on 2008-01-02..2018-12-31"


@pytest.mark.parametrize("start, end", [("2008-01-02", "2010-12-31"), ("2016-01-04", "2018-12-31"),
                                        ("2008-01-02", "2018-12-31")])
def test_a_window_on_the_ranked_days_edges_lies_wholly_inside_them(start, end) -> None:
    line = search_caveats({"pick": {"searched": TEXT}}, start, end)[0]
    assert f"This window, {start}..{end}, lies wholly inside the days it was ranked on: its figures here are in " \
           "sample" in line, line


def test_a_window_ending_on_the_first_ranked_day_overlaps_it() -> None:
    line = search_caveats({"pick": {"searched": TEXT}}, "2006-01-03", "2008-01-02")[0]
    assert "This window, 2006-01-03..2008-01-02, overlaps the days it was ranked on (2008-01-02..2008-01-02)" in line


def test_the_windows_line_counts_each_place_apart() -> None:
    wins = [("2009-01-02", "2010-12-31"), ("2011-01-03", "2012-12-31"), ("2012-01-03", "2013-12-31"),
            ("2017-01-03", "2019-12-31"), ("2020-01-02", "2021-12-31")]  # (inside, inside, inside, across, after)
    line = search_caveats({"pick": {"searched": TEXT}}, "2009-01-02", "2021-12-31", wins)[0]
    assert ". Of the 5 windows: wholly inside the days it was ranked on (in sample) 3, overlapping them 1, outside " \
           "them (out of sample) 1." in line, line


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory):
    """tests/vixhedge/test_compare_search.py's sweep (tests/vixhedge/sweep_cases.py: 3 x 2 MACD points over
    2016-01-04..04-29, in sample to 2016-02-29), run by the command."""
    from tests.vixhedge.sweep_cases import write_spec
    from vixhedge.cli import main

    tmp = tmp_path_factory.mktemp("sweep")
    assert main(["sweep", str(write_spec(tmp)), "--out", str(tmp / "sw"), "--workers", "1", "-q"]) == 0
    return tmp / "sw"


def test_compare_windows_counts_its_windows_against_the_picks_ranked_days(sweep_folder, tmp_path, capsys) -> None:
    """--windows 1m/1m on 2016-01-04..04-29: 3 whole windows (from 01-04, 02-04, 03-04; as run on the snapshot)
    against the in-sample days 2016-01-04..02-29 (sweep_cases' split): one inside, one across, one outside."""
    from vixhedge.cli import main

    assert main(["compare", "--windows", "1m/1m", "--start", "2016-01-04", "--end", "2016-04-29", "--modes",
                 "none,alvh", "--variant", "pick", f"sweep={sweep_folder}", "--n-boot", "200",
                 "--runs-dir", str(tmp_path), "-q"]) == 0
    out = capsys.readouterr().out
    said = [line for line in out.splitlines() if "was picked by a search" in line]
    assert said, out
    assert ". Of the 3 windows: wholly inside the days it was ranked on (in sample) 1, overlapping them 1, outside " \
           "them (out of sample) 1." in said[0], said
