"""MUT39 probes: a sweep's words on no best point (vixhedge/sweep_text.py no_best_words) and a refused [run] key
(vixhedge/sweep_keys.py check_grid_key).

* mutant T03 (``none of the {done} finished points not ruined``) passed every test: tests/vixhedge/test_sweep_cash.py
  test_no_best_point_says_why has no ruined point beside the unranked ones (3 - 0 = 3 either way).
* mutant K02 (the refusal of a [run] key no longer naming run.initial_cash_usd as the one [run] key a grid takes)
  passed: the tests match "cannot be swept" alone.
"""

from __future__ import annotations

import pytest

from vixhedge.core import config as C
from vixhedge.sweep_keys import CASH, check_grid_key
from vixhedge.sweep_text import no_best_words


def test_no_best_point_counts_the_finished_points_not_ruined() -> None:
    # 5 finished, 2 of them ruined: 3 finished points not ruined (5 - 2), none with a CVaR 95% to rank by
    assert no_best_words({"finished": 5, "ruined": 2, "rank_by": {"metric": "cvar95"}}).startswith(
        "none of the 3 finished points not ruined has a ")


def test_a_refused_run_key_names_the_cash_as_the_one_run_key_a_grid_takes() -> None:
    with pytest.raises(C.ConfigError) as err:
        check_grid_key("run.start", "grid.run.start")
    assert f"[analysis], and {CASH} (every point shares one Market" in str(err.value), str(err.value)
    with pytest.raises(C.ConfigError) as err:  # (a [market] key: no word of the cash)
        check_grid_key("market.rate", "grid.market.rate")
    assert CASH not in str(err.value)


def test_the_console_says_why_a_sweep_has_no_best_point(tmp_path) -> None:
    """Mutant T04 (format_summary's line back to "best point: none" without no_best_words) passed every test."""
    from vixhedge.sweep_text import format_summary

    s = {"points": 3, "finished": 2, "ruined": 2}
    text = format_summary(s, "t", ["hedge.macd.fast"], tmp_path)
    assert "best point: none (every finished point was ruined)" in text.splitlines(), text


def test_the_scatter_shades_only_numbers_past_the_palettes_colours() -> None:
    """Mutants F01 (``>= len(PALETTE)``: 10 values, as many as the palette's colours, shaded on a colour bar) and F02
    (a key of 12 strings shaded: not numbers) passed every test (tests/vixhedge/test_sweep_marginal.py draws 12
    numbers alone). vixhedge/sweep_figures.py is_graded: numbers, more of them than PALETTE's 10 colours."""
    import pandas as pd

    from vixhedge.sweep_figures import PALETTE, is_graded

    assert len(PALETTE) == 10
    assert not is_graded(pd.DataFrame({"k": range(10)}), "k")
    assert is_graded(pd.DataFrame({"k": range(11)}), "k")
    assert not is_graded(pd.DataFrame({"k": [f"p{i}" for i in range(12)]}), "k")
