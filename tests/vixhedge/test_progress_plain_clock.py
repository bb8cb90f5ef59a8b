"""Compare's plain progress lines off a terminal count their rate from the first update (trial PERF36 section 4,
"Bug": cli._compare makes the draws' callback before the runs, and PlainLines started its clock when made, so the
call-spread compare printed "400 of 4,000 bootstrap draws (10%), 23.0 bootstrap draws/s, about 3 min left" for a
bootstrap of about 2 s)."""

from vixhedge import progress, sweep_progress


def test_the_draws_rate_counts_the_draws_not_the_runs_before_them(monkeypatch, capsys):
    """A fake clock: both callbacks made at 0 s (cli._compare), the runs take 100 s (10 days of 10 s: the days' rate
    counts from then, 0.1 days/s), then 1,000 draws of 0.125 s each (8 draws/s, 125 s). The line at the first tenth
    (draw 100, 12.5 s into the draws; lines at most every PLAIN_EVERY_S = 10 s) says 8.0 draws/s and 900 / 8 =
    112.5 s left ("about 2 min"); the old clock said 100 / 112.5 s = 0.9 draws/s, about 17 min left.
    The last line: 999 draws after the first over 124.875 s, 8.0 draws/s."""
    now = [0.0]
    monkeypatch.setattr(sweep_progress.time, "monotonic", lambda: now[0])
    ticks = []
    on_draw = progress.with_lines(lambda: ticks.append(1), 1000, "bootstrap draw", True, at_first=True)
    on_day = progress.with_lines(lambda: None, 10, "day", True)  # made with it: the days' clock starts now
    for _ in range(10):  # the runs: 10 days of 10 s, the line at the last: 10 / 100 s (the runs' set-up counted)
        now[0] += 10.0
        on_day()
    for _ in range(1000):
        now[0] += 0.125
        on_draw()
    err = capsys.readouterr().err.splitlines()
    assert len(ticks) == 1000
    days, draws = [ln for ln in err if " days " in ln], [ln for ln in err if " draws " in ln]
    assert len(days) + len(draws) == len(err) and days[-1] == "vixhedge compare: 10 of 10 days (100%), 0.1 days/s"
    assert draws[0] == "vixhedge compare: 100 of 1,000 bootstrap draws (10%), 8.0 bootstrap draws/s, about 2 min left"
    assert draws[-1] == "vixhedge compare: 1,000 of 1,000 bootstrap draws (100%), 8.0 bootstrap draws/s"


def test_a_plain_line_clocked_from_its_first_unit_with_none_after_says_no_rate(monkeypatch, capsys):
    """PlainLines(at_first=True) of one unit: done at its first advance, no unit timed: the line gives no rate
    (rather than 0.0 units/s)."""
    monkeypatch.setattr(sweep_progress.time, "monotonic", lambda: 5.0)
    sweep_progress.PlainLines(1, "compare", "day", at_first=True).advance()
    assert capsys.readouterr().err.splitlines() == ["vixhedge compare: 1 of 1 days (100%)"]
