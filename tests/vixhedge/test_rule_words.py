"""The run page's key of rule ids and trigger words (vixhedge/rule_words.py). Trial VIS30: *Rules fired* listed
ids with no gloss and *Hedge layers by trigger* used other words (flat_otm, hist_expanding, steep) with no key
between them."""

from __future__ import annotations

import pandas as pd

from strategies import book
from vixhedge.rule_words import RULE_WORDS, TRIGGER_WORDS, trigger_rows


def test_every_rule_id_has_its_words_and_every_trigger_word_its_rule():
    assert set(RULE_WORDS) == set(book.RULE_IDS)
    assert set(TRIGGER_WORDS.values()) <= set(book.RULE_IDS)
    tags = {book.EXPANDING, book.FOMC, book.FLAT_OTM, book.STEEP, book.PROJECTED, book.EVENT, book.EXP_CADENCE}
    assert {t.removeprefix("+") for t in tags} | {book.Rule.CROSS_UP, book.Rule.REVIEW_UP} <= set(TRIGGER_WORDS)


def test_the_key_lists_the_words_met_once_each_in_order():
    rows = trigger_rows(pd.Series(["review_fear_rising+flat_otm", "macd_cross_up", "review_fear_rising+steep"]))
    assert [r[:2] for r in rows] == [("review_fear_rising", "review"), ("flat_otm", "flattening_placement"),
                                     ("macd_cross_up", "cross_up"), ("steep", "slope_breakeven")]
    assert trigger_rows(pd.Series([], dtype=str)) == []


def test_the_default_run_page_glosses_its_rules_and_keys_its_triggers(tmp_path):
    import html

    from vixhedge.cli import main

    assert main(["run", "-q", "--runs-dir", str(tmp_path)]) == 0
    (folder,) = tmp_path.iterdir()
    page = html.unescape((folder / "report.html").read_text())
    rules = page[page.index("<h2>Rules fired"):page.index("<h2>Hedge layers</h2>")]
    assert ">what it does</th>" in rules and RULE_WORDS["cross_up"] in rules and RULE_WORDS["roll"] in rules
    words = {w for t in pd.read_csv(folder / "layers.csv")["trigger"] for w in t.split("+")}
    key = page[page.index("The trigger words, the rule that writes each"):page.index("<h2>Condors")]
    assert words and all(f">{w}</td>" in key for w in words)  # every word layers.csv holds, keyed
