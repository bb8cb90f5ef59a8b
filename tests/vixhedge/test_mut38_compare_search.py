"""Probes of MUT38 (compare_search.py survivors CS2, CS5, CS8). Numbers: made-up summary.json contents; the expected
words are compare_search.search_words'/from_sweep's own docstrings on the snapshot (main 346315e)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from vixhedge.compare_search import from_sweep, search_words
from vixhedge.core import config as C


def _folder(tmp_path, summary):
    f = tmp_path / "sw"
    f.mkdir()
    (f / "base.toml").write_text("")
    (f / "summary.json").write_text(json.dumps(summary))
    return f


def test_cs8_the_variants_own_keys_win_over_the_best_points(tmp_path):
    """from_sweep docstring: "then the variant's own other keys (they win)"; the test file's own case sets a key the
    point lacks (hedge.max_layers), so a point key given by hand was never checked."""
    f = _folder(tmp_path, {"best": {"hedge.macd.fast": 8, "sharpe": 1.0}, "rank_by": {"metric": "sharpe"}, "points": 3})
    keys = from_sweep(C.load_default(), "pick", {"sweep": str(f), "hedge.macd.fast": 5})
    assert keys["hedge.macd.fast"] == 5


def test_cs5_a_sweep_without_a_split_says_the_days_it_was_ranked_on(tmp_path):
    """A plain sweep (no in_sample_end) was ranked on its whole window: the words give it, so search_caveats can say
    whether a comparison's window overlaps it (module docstring)."""
    s = {"rank_by": {"metric": "sharpe"}, "points": 3,
         "market": {"first_session": "2020-01-02", "last_session": "2020-12-31"}}
    assert "ranked on 2020-01-02..2020-12-31" in search_words(s, Path("sw"))


def test_cs2_a_summary_with_a_best_point_but_no_rank_by_is_one_config_line(tmp_path):
    """_summary's check: no rank_by dict is "names no best point", a ConfigError, not an AttributeError."""
    f = _folder(tmp_path, {"best": {"hedge.macd.fast": 8}, "rank_by": "sharpe", "points": 3})
    with pytest.raises(C.ConfigError, match="names no best point"):
        from_sweep(C.load_default(), "pick", {"sweep": str(f)})


def test_cs10_a_window_that_starts_on_the_last_ranked_day_overlaps_it():
    """Both spans are inclusive (start..end, first..last session): one shared day is an overlap."""
    from vixhedge.compare_search import search_caveats

    v = {"pick": {"searched": "the best of 3 points, ranked on 2020-01-02..2020-06-30"}}
    assert "overlaps the days it was ranked on" in search_caveats(v, "2020-06-30", "2020-12-31")[0]
