"""MUT41 probes: ci_null's bounds (commit 07f6b9c2, FUZZ40 M8 / L2 / L3): each bound's edge value is accepted."""

from __future__ import annotations

import pytest

from vixhedge import ci_null


def test_the_upper_bounds_are_inclusive():
    """Kills MUT41 C1 (``n > most`` -> ``n >= most``): --help says 1..10,000 pairs and 100..100,000 draws."""
    args = ci_null.parser().parse_args(["--sims", "10000", "--reps", "100000"])
    assert (args.sims, args.reps) == (10_000, 100_000)


def test_seed_zero_is_a_seed():
    """Kills MUT41 C8 (--seed ``_count(0)`` -> ``_count(1)``): the old ``_count(t, 0)`` took 0."""
    assert ci_null.parser().parse_args(["--seed", "0"]).seed == 0


class _Ran(Exception):
    pass


def test_days_equal_to_the_window_passes_the_check(monkeypatch):
    """Kills MUT41 C3 (``max(days) > have`` -> ``>=``): the default window 2014-03-03..2018-12-31 has 1,217 daily
    returns (test_fuzz40_c: ``window_returns() == 1217``; fuzz40_report: --days 1217 ran); the check passes it to
    the backtests (here a sentinel)."""
    monkeypatch.setattr(ci_null, "default_legs", lambda: (_ for _ in ()).throw(_Ran()))
    with pytest.raises(_Ran):
        ci_null.main(["--days", "63,1217", "--sims", "1", "--reps", "100"])
