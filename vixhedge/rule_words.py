"""What each rule id of the methodology does, and what each trigger word of layers.csv names, in a few words: the
run page's *Rules fired* and *Hedge layers by trigger* tables (trial VIS30: the ids and the tags were two
vocabularies with no key between them). README *Spec table* gives each rule's source text and config keys."""

from __future__ import annotations

__all__ = ["RULE_WORDS", "TRIGGER_WORDS", "trigger_rows"]

#: rule id (strategies.book.RULE_IDS) -> what it does when it acts
RULE_WORDS = {
    "cross_up": "the MACD on VX crosses above its signal (fear rising): a layer added",
    "cross_down": "the MACD crosses below its signal (fear easing): the newest layer off",
    "review": "the regime persisting: a layer added or removed every review interval",
    "divergence_bullish": "lower VX lows with higher MACD lows: a layer off",
    "condor_vega_cut": "the same divergence: part of the open condor bought back",
    "expansion_sizing": "histogram expanding above zero: a later layer at 1.5x, not 2x, the first's notional",
    "expansion_cadence": "histogram expanding above zero: reviews at the shorter interval",
    "slope_breakeven": "a steep MACD rise: the layer placed nearer (a month nearer, or closer to the money)",
    "flattening_placement": "a flattening MACD: the layer placed further out (a month, or further OTM)",
    "fomc_cadence": "an FOMC window, MACD rising, A/D weakening: reviews at the FOMC cadence",
    "fomc_divergence": "a divergence near an FOMC meeting: more layers off",
    "event_window": "a CPI/PPI release window, MACD rising, A/D weakening: reviews at the FOMC cadence",
    "rsi_filter": "RSI of VIX disagreeing: an add or a removal held back",
    "ad_filter": "the A/D line not weakening: a window's faster review held back",
    "term_structure_filter": "front / second VX disagreeing: an add or a removal held back",
    "front_run": "a crossover projected within the anticipation bars: acted on early (promoter)",
    "condor_required": "no condor open: an add held back",
    "roll": "a layer near its expiry rolled to a later month",
}

#: layers.csv ``trigger`` words ('+'-joined) -> the rule id that wrote it (strategies.book.Rule and the tags)
TRIGGER_WORDS = {
    "macd_cross_up": "cross_up", "review_fear_rising": "review", "hist_expanding": "expansion_sizing",
    "expansion_cadence": "expansion_cadence", "flat_otm": "flattening_placement", "steep": "slope_breakeven",
    "fomc": "fomc_cadence", "event": "event_window", "projected": "front_run",
}


def trigger_rows(triggers) -> list[tuple[str, str, str]]:
    """The key of the trigger words in ``triggers`` (layers.csv's ``trigger`` values): (word, its rule id, what
    that does), in the order first met."""
    seen = dict.fromkeys(w for t in triggers for w in str(t).split("+") if w in TRIGGER_WORDS)
    return [(w, TRIGGER_WORDS[w], RULE_WORDS[TRIGGER_WORDS[w]]) for w in seen]
