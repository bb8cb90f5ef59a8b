"""MUT42 probes for the walk-forward's grid order (trial TASK42 L1, commit 0978461a): the page and walkforward.json."""

from __future__ import annotations

import html

from tests.vixhedge.test_task42 import _walk


def test_the_page_lists_the_picks_and_the_base_point_in_the_grids_order() -> None:
    """Kills K04 (render_walk's fold rows in walkforward.json's sorted order) and K06 (its [base] line likewise).
    test_task42's _walk: the pick hedge.next_layer_multiple = 1.5, hedge.macd.fast = 8 and [base] 2.0, 12, grid
    order next_layer_multiple first (TASK42's multwf grid); the console gives that order (test_task42), so does the
    page (walkforward_page: values_words with no-break spaces)."""
    from vixhedge.walkforward_page import render_walk

    w = _walk(["hedge.next_layer_multiple", "hedge.macd.fast"])
    s = {**w, "reps": 1000, "seed": 1, "folds": [{**w["folds"][0], "folder": "fold-1"}]}  # (the page's own keys)
    page = html.unescape(render_walk(s, None, "w"))
    nb = "\u00a0=\u00a0"
    assert f"hedge.next_layer_multiple{nb}1.5, hedge.macd.fast{nb}8" in page
    assert "[base] point (hedge.next_layer_multiple = 2.0, hedge.macd.fast = 12) ranks 2 " in page


def test_walkforward_json_records_the_grids_order(tmp_path) -> None:
    """Kills K05 (walkforward.summarize's "keys" sorted): a grid written "hedge.mode" then "hedge.macd.fast"
    (alphabetically the other way: 'a' < 'o') is recorded in that order. Window and plan as test_walkforward's
    anchored case (2015-01-02..2018-12-31, --walk-forward 2,1 on the embedded market)."""
    import json

    from vixhedge import api

    path = tmp_path / "wf.toml"
    path.write_text('[sweep]\nname = "wfk"\nworkers = 1\n[base]\nrun = { start = 2015-01-02, end = 2018-12-31 }\n'
                    '[grid]\n"hedge.mode" = ["alvh"]\n"hedge.macd.fast" = [8, 12]\n')
    out = tmp_path / "out"
    api.walk_forward(path, 2, 1, out, progress=False)
    assert json.loads((out / "walkforward.json").read_text())["keys"] == ["hedge.mode", "hedge.macd.fast"]
