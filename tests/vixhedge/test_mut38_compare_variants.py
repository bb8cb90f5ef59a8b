"""Probe of MUT38 (compare_variants.py survivor CV4): variant_words says how a variant was chosen when it was picked
by a search (``searched``, compare_search's module docstring), on the snapshot (main 346315e)."""
from __future__ import annotations

from vixhedge.compare_variants import variant_words
from vixhedge.core import config as C


def test_cv4_a_searched_variant_s_words_say_the_search():
    words = variant_words(C.load_default(), {"pick": {"hedge.macd.fast": 8, "searched": "the best of 6 points"}})
    assert words[0].endswith("with hedge.macd.fast = 8; picked by a search: the best of 6 points")
