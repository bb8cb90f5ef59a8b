"""MUT39 probes: a heatmap's cells written up to CELL_TEXT_CELLS (10) values a side (vixhedge/sweep_heatmap.py).

Mutant H02 (``CELL_TEXT_CELLS = 12``, the value before commit 9f41fab) passed every test: tests/vixhedge/
test_sweep_marginal.py draws 3 and 15 values a side, either side of both 10 and 12 (trial RD39 L1: at 12 a hedge-cost
panel read '109.7103.6127.4'); so did H06 (``max(data.shape) < CELL_TEXT_CELLS``: no figures at 10) and
H03 (the caption's ``>= CELL_TEXT_CELLS``: "no figure in the cells" under a 10-value heatmap whose cells have them)."""

from __future__ import annotations

import pandas as pd

from tests.vixhedge.test_sweep_report import _three_key_folder
from vixhedge.sweep_heatmap import CELL_TEXT_CELLS, heatmap_figure, heatmaps


def _wide(df: pd.DataFrame, values: int) -> pd.DataFrame:
    """The hand-made 3 x 2 x 2 sweep (a in 1..3) widened to ``values`` values of a (a + 10 k), 2 of b."""
    many = pd.concat([df.assign(a=df["a"] + 10 * k, point=df["point"] + f"-{k}") for k in range(4)], ignore_index=True)
    keep = sorted(many["a"].unique())[:values]
    return many[many["a"].isin(keep)].reset_index(drop=True)


def test_cells_are_written_up_to_ten_values_a_side_and_not_past(tmp_path) -> None:
    _, df, best, base = _three_key_folder(tmp_path)
    assert CELL_TEXT_CELLS == 10
    ten, eleven = _wide(df, 10), _wide(df, 11)
    assert ten["a"].nunique() == 10 and eleven["a"].nunique() == 11
    # each cell (value of a x value of b, the best point's c) its figure at 10 x 2; none at 11 x 2
    assert len(heatmap_figure(ten, "a", "b", best, base).axes[0].texts) == 10 * 2
    assert len(heatmap_figure(eleven, "a", "b", best, base).axes[0].texts) == 0
    page = {n: heatmaps(f, {"best": {"point": best["point"] + "-0"}, "baseline_none": base}, ["a", "b", "c"],
                        "is_sharpe") for n, f in (("ten", ten), ("eleven", eleven))}
    assert "a side of more than 10 values: no figure in the cells, the colour bar reads them" in page["eleven"]
    assert "<figure" in page["ten"] and "no figure in the cells" not in page["ten"]  # (mutant H03: ">=" said so)


def test_a_crowded_row_key_is_said_under_its_heatmap(tmp_path) -> None:
    """Mutant H08 (the caption's crowding read on the column key x alone) passed every test: the tests crowd a,
    always a heatmap's x. Here c (11 values) is the y of a x c and b x c."""
    _, df, best, base = _three_key_folder(tmp_path)
    many = pd.concat([df.assign(c=df["c"] + 10 * k, point=df["point"] + f"-{k}") for k in range(6)], ignore_index=True)
    many = many[many["c"].isin(sorted(many["c"].unique())[:11])].reset_index(drop=True)
    assert many["c"].nunique() == 11
    assert len(heatmap_figure(many, "a", "c", best, base).axes[0].texts) == 0  # (max of the sides: 11 > 10)
    page = heatmaps(many, {"best": {"point": best["point"] + "-0"}, "baseline_none": base}, ["a", "b", "c"],
                    "is_sharpe")
    assert page.count("a side of more than 10 values: no figure in the cells") == 2, page  # (a x c, b x c)
