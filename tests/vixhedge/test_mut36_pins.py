"""Trial MUT36 (hand mutants of session 36's code, /work/notes/mut36_report.md): the survivors that were real gaps,
pinned; each test names the mutants it kills (checked against each on a copy of the code)."""

from __future__ import annotations

import datetime as dt
import io
import os
import time
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from vixhedge.core.instruments import Contract, Kind, Right


def _lines(ps: list[tuple[float, float]]) -> list[dict]:
    """Ranked placebo lines (placebo.json's metrics) named m0, m1, ... with their two tails' one-sided p."""
    return [{"label": f"m{k}", "p_value": a, "p_value_worse": b} for k, (a, b) in enumerate(ps)]


def test_the_placebo_holm_line_counts_one_sided_tails_and_names_the_undecided():
    """P2 (can_hold read two-sided p): at 1,100 placebos 14 tails can hold (1,032 would do: 1/1101 x 14 = 0.0127, the
    top of its exact 95% band 14 x (1 - 0.025^(1/1100)) = 0.047 < 0.05; session 39, trial STAT39 M1), so 7 lines at
    p 0.5 say "no tail holds", not "none can hold ... 1032".
    P5: one line at p 0.022 (Holm 0.022 x 2 = 0.044, 43 placebos past the reference of 2,000: its exact band
    2 x [beta.ppf(0.025, 43, 1958), beta.ppf(0.975, 44, 1957)] holds 0.05) is named undecided after "no tail
    holds". P7: at 200 placebos the floor 14/201 = 0.070 is above 5%, not "within Monte-Carlo error" of it."""
    from vixhedge.placebo_stats import holm_tails

    assert holm_tails(_lines([(0.5, 0.5)] * 7), 1100).endswith("no tail holds")
    assert holm_tails(_lines([(0.022, 0.9)]), 2000).endswith(
        "no tail holds; within Monte-Carlo error of 5%, undecided (more placebos may settle it; rerunning seeds until "
        "it holds would not): m0 better than random (Holm p 0.044)")
    line = holm_tails(_lines([(0.5, 0.5)] * 7), 200)
    assert "is 0.070: --seeds 1032 or more" in line and "within Monte-Carlo error" not in line


def test_a_floor_of_exactly_5pct_is_within_monte_carlo_error():
    """V17 (floor >= LEVEL): 2 intervals at 79 draws, floor 2 x 2 / 80 = 0.05 exactly: not above 5%, so the line
    says it is within Monte-Carlo error of it (a p resting on no draw past 0)."""
    from vixhedge.verdicts import holm_words

    assert "times 2 is 0.050, within Monte-Carlo error of 5%" in holm_words(["a", "b"], np.array([0.5, 0.5]),
                                                                             draws=79)


def test_column_blocks_break_only_past_the_limit_and_never_leave_a_block_empty():
    """T2 (>= limit): 10 + 3 x 50 = 160 fits the 160 characters, one block. T3 (no check of an empty block): a first
    column wider than the limit is a block of its own, not an empty block before it."""
    from vixhedge.compare_text import column_blocks

    assert column_blocks(10, [50, 50, 50], 160) == [[0, 1, 2]]
    assert column_blocks(10, [200, 5], 160) == [[0], [1]]


def test_a_merged_note_names_its_modes_in_the_modes_order():
    """R2: a note alike but for its figures in modes a and c (one figure) and b (another) names a, b, c in the
    compare's order before it, whose figures in the variants' order after it."""
    from feeds.provenance import once_each

    assert once_each({"a": ["x 1"], "b": ["x 2"], "c": ["x 1"], "d": []}) == ["a, b, c: x 1 / 2 (figures of a, c / b)"]


def _c(strike: float, right: Right = Right.CALL, exp: dt.date = dt.date(2020, 3, 18)) -> Contract:
    return Contract(Kind.VIX_OPTION, exp, strike, right)


def test_floored_is_a_debit_spread_of_one_right_expiry_and_size():
    """strategies.ruin.floored (a ruin abandons only a group whose payoff is never below 0): a debit put spread is;
    a credit put spread is not (U5: puts counted from the lowest strike); a long call with a short put is not (U2,
    U4); a calendar whose far leg is short is not (U2, U3); 2 long against 1 short (sizes differ) is not, as the
    docstring's rule says (U1)."""
    from strategies.ruin import floored

    assert floored(((_c(30, Right.PUT), 1), (_c(25, Right.PUT), -1)))
    assert not floored(((_c(30, Right.PUT), -1), (_c(25, Right.PUT), 1)))
    assert not floored(((_c(30), 1), (_c(30, Right.PUT), -1)))
    assert not floored(((_c(20), 1), (_c(25, exp=dt.date(2020, 4, 15)), -1)))
    assert not floored(((_c(20), 2), (_c(25), -1)))


def _period(p: float) -> SimpleNamespace:
    """A made-up period compare (what cli_periods.period_rows reads): alvh +$500 against static, CI [100, 900], its
    p-value ``p``, 2,000 draws, 40 sessions."""
    days = pd.bdate_range("2020-01-02", periods=40)
    table = pd.DataFrame({"static": [0.0, 1e6, 0.0, 0.0], "alvh": [500.0, 1e6, 0.0, 0.0]},
                         index=["pnl_usd", "end_nav_usd", "hedge_pnl_usd", "condor_pnl_usd"])
    paired = pd.DataFrame([{"mode": "alvh", "stat": "pnl_usd", "diff": 500.0, "ci_low": 100.0, "ci_high": 900.0,
                            "p_value": p, "ci_method": "percentile", "block_days": 2, "days": 39,
                            "ci_borderline": False}])
    paired.attrs.update(baseline="static", n_boot=2000, ci_method="percentile")
    runs = {m: SimpleNamespace(daily=pd.DataFrame(index=days), metrics={}) for m in ("static", "alvh")}
    return SimpleNamespace(table=table, paired=paired, results=runs)


def test_periods_csv_marks_undecided_from_the_raw_p_at_the_compares_draws():
    """C2 (no draws: never undecided), C3 (the adjusted p read as the raw one): two periods at p 0.018 and 0.5, Holm
    0.036 and 0.5; 0.036's step p 0.018, q = 0.009 of 2,000 draws: relative error sqrt(0.991 / 18) = 0.235, 1.96 x
    0.036 x 0.235 = 0.0166 >= 0.014 from 5%: undecided (from q = 0.018, C3's, 0.0117 < 0.014: not)."""
    from vixhedge.cli_periods import period_rows

    out = period_rows([("p0", _period(0.018), "/x/f0"), ("p1", _period(0.5), "/x/f1")])
    assert out.loc[out["mode"] == "alvh", ["p_holm", "holm_undecided"]].values.tolist() == [[0.036, True],
                                                                                          [0.5, False]]


def test_a_dead_worker_is_one_config_error_naming_the_work():
    """F3: a worker of sweep_worker.forked_pool that dies (os._exit) is one ConfigError line naming what ran."""
    from vixhedge.core.config import ConfigError
    from vixhedge.sweep_worker import forked_pool

    with pytest.raises(ConfigError, match="^a x worker process died .*: rerun, with --workers 1"):
        with forked_pool(1, "x") as pool:
            pool.submit(os._exit, 1).result()


def test_an_error_in_the_block_stops_a_running_worker_at_once():
    """F1 (the running workers not terminated): an error while a worker sleeps 20 s ends the block within seconds
    and leaves no worker alive (a zombie's /proc state Z is an ended process)."""
    from vixhedge.sweep_worker import forked_pool

    t = time.monotonic()
    with pytest.raises(RuntimeError):
        with forked_pool(1, "x") as pool:
            pool.submit(time.sleep, 20)
            time.sleep(1.0)
            pids = list(pool._processes)
            raise RuntimeError("stop")
    time.sleep(0.5)

    def alive(pid: int) -> bool:
        try:
            return open(f"/proc/{pid}/stat").read().split(") ")[1][0] != "Z"
        except FileNotFoundError:
            return False

    assert time.monotonic() - t < 8 and not [pid for pid in pids if alive(pid)]


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_a_bar_not_shown_is_disabled_on_a_terminal_too(monkeypatch):
    """G5: progress.bar(..., shown=False) (run_sweep(progress=False)'s baselines bar) is disabled where a bar would
    draw (a terminal); shown, it draws there."""
    from vixhedge import progress

    monkeypatch.setattr("sys.stderr", _Terminal())
    with progress.bar(10, "x", "y", shown=False) as hidden, progress.bar(10, "x", "y") as shown:
        assert hidden.disable is True and not shown.disable  # (tqdm's None: draw where the file is a terminal)
