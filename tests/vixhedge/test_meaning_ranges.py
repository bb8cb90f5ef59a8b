"""Each range a key's meaning states (vixhedge/core/config/meanings.py, MEANING: the README's Config reference and
`vixhedge run --print-config` print it) is the range the loader takes, end for end.

Mutation trial MUT29 (HB1, HB2, MU51-52): `skew_first_year` said "(1990 .. 2035)" while the loader refuses every year
past 1999 with the fitted 37 knots; `short_delta` "(0 .. 0.5)" refused both ends, `condor_cut` "(0 .. 1)" refused 1,
and so on; and a wrong number in a fitted key's line ("(0 .. 2)") failed no test.

The notation (the file's, as `target_hedge_ratio`'s "(0 .. 5]"): a range "(a .. b" closed by ")", ";" or "," is
a parenthesis and takes both ends; "(a .. b]" leaves out a, "[a .. b)" leaves out b, "(a .. b, both ends excluded)"
both. Each end written as taken must load, each end left out must not (with a step inside it loading), and one step
past either end must not. A range that holds only with another key is probed with that key out of the way
(PARTNERS), one the surface keys narrow together is checked for its box alone (JOINT, as its words say).
"""

from __future__ import annotations

import copy
import re

import pytest

from vixhedge.core import config as C
from vixhedge.core.config.meanings import MEANING

NUM = r"(-?[\d,]*\.?\d+(?:e\d+)?)"
RANGE = re.compile(r"([(\[])" + NUM + r" \.\. " + NUM + r"(, both ends excluded\)|[)\];,])")
BASE = C.to_dict(C.load_default())
# the other keys a range depends on, set so that the probed key's own ends decide (their checks: core/config/*.py)
PARTNERS = {
    "market.vx_curve.slow_gain": {"market.vx_curve.fast_gain": 0.0},  # slow_gain + fast_gain <= 1
    "market.spreads.spx_option_min": {"market.spreads.spx_option_max": 50.0},  # min <= max
    "market.spreads.vix_option_min": {"market.spreads.vix_option_max": 5.0},
    "condor.min_dte": {"condor.target_dte": 400, "condor.max_dte": 400},  # min_dte <= target_dte <= max_dte
    "condor.max_dte": {"condor.target_dte": 1, "condor.min_dte": 1, "condor.exit_dte": 0},  # exit_dte < min_dte
    "condor.short_delta": {"condor.wing_delta": 1e-9},  # 0 < wing_delta < short_delta
    "hedge.next_layer_multiple": {"hedge.expanding_layer_multiple": 1e-9},  # expanding <= next
}
# a surface key whose range the joint ATM-vol check narrows (vixhedge/core/config/smilecheck.py): its words say so
JOINT = {"market.spx_smile.atm_ratio_per_log_tenor": "with the other surface keys an ATM vol in (0, 3]"}


def _get(table: dict, key: str):
    for part in key.split("."):
        if not isinstance(table, dict) or part not in table:
            return None
        table = table[part]
    return table


def _loads(key: str, value) -> bool:
    table = copy.deepcopy(BASE)
    for k, v in {**PARTNERS.get(key, {}), key: value}.items():
        *parents, last = k.split(".")
        node = table
        for part in parents:
            node = node.setdefault(part, {})
        node[last] = v
    try:
        C.from_dict(table)
    except C.ConfigError:
        return False
    return True


def _ranges() -> list[tuple[str, str, float, float, str]]:
    out = []
    for key, text in MEANING.items():
        m = RANGE.search(text)
        value = _get(BASE, key)
        if m and isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append((key, m[1], float(m[2].replace(",", "")), float(m[3].replace(",", "")), m[4]))
    return out


RANGES = _ranges()


def test_the_ranges_are_found() -> None:
    """61 keys' meanings state a numeric range (the trial's /tmp/mut29/bounds.py probed 60; hedge.macd.signal's
    "(2 .. 1000;" since trial FUZZ33 L3); the ones the trial found wrong are among them."""
    keys = {r[0] for r in RANGES}
    assert len(RANGES) == 61 and "hedge.macd.signal" in keys
    assert {"market.spx_smile.skew_first_year", "condor.short_delta", "hedge.divergence.condor_cut",
            "market.vx_curve.long_run_level", "hedge.slope.near_otm", "market.vx_curve.slow_gain"} <= keys


@pytest.mark.parametrize("key, opening, lo, hi, closing", RANGES, ids=[r[0] for r in RANGES])
def test_each_stated_range_is_the_loaders(key, opening, lo, hi, closing) -> None:
    whole = isinstance(_get(BASE, key), int)
    cast = int if whole else float
    step = 1 if whole else max(1e-6, (hi - lo) * 1e-6)
    both_open = closing.startswith(", both")
    lo_open = both_open or (opening == "(" and closing == "]")
    hi_open = both_open or (opening == "[" and closing == ")")
    below, above = cast(lo - step), cast(hi + step)
    off = MEANING[key].startswith("> 0:") and below == 0  # "> 0: ..." (1 .. 10): 0 is the rule off
    assert _loads(key, below) is off and _loads(key, above) is False, (below, above)
    if key in JOINT:
        assert JOINT[key] in MEANING[key]
        return
    assert _loads(key, cast(lo)) is not lo_open and _loads(key, cast(hi)) is not hi_open, (lo, hi)
    if lo_open:
        assert _loads(key, cast(lo + step))
    if hi_open:
        assert _loads(key, cast(hi - step))


def test_skew_first_year_s_range_follows_the_fitted_knots() -> None:
    """HB1: the last first year is 2035 - 37 + 1 = 1999 (smilecheck.YEARS, the 37 fitted skew_by_year knots)."""
    from vixhedge.core.config.smilecheck import YEARS

    knots = len(C.load_default().market.spx_smile.skew_by_year)
    assert (knots, YEARS[1] - knots + 1) == (37, 1999)
    assert f"(1990 .. {YEARS[1] - knots + 1}; " in MEANING["market.spx_smile.skew_first_year"]


def test_the_fitted_keys_words_are_the_models() -> None:
    """Mutation trial MUT29 (MU53, MU57, MU59): three fitted keys' lines (printed by --print-config only) state a
    figure of the model, checked here against the code that uses the key. vix_to_atm: feeds.chains.atm_vol returns
    vix_to_atm x the average VIX to expiry / 100 (a flat VIX of 20 and vix_to_atm 0.8: 0.16); vx_future's one tick is
    feeds.marketquotes.VX_TICK (0.05, CFE's VX tick); put_skew applies at SKEW 125 = 100 + 10 x
    feeds.surface.REFERENCE_SKEWNESS (2.5)."""
    from feeds.chains import atm_vol
    from feeds.marketquotes import VX_TICK
    from feeds.surface import REFERENCE_SKEWNESS

    flat = C.replace(C.load_default(), market={"vx_curve": {"long_run_level": 20.0},
                                               "spx_smile": {"vix_to_atm": 0.8}}).market
    assert float(atm_vol(20.0, 0.25, flat.spx_smile, flat.vx_curve)) == pytest.approx(0.8 * 20.0 / 100, abs=1e-12)
    assert "the average VIX expected to expiry / 100;" in MEANING["market.spx_smile.vix_to_atm"]
    assert f"(0 .. 5; {VX_TICK:g}: one tick)" in MEANING["market.spreads.vx_future"]
    assert f"at SKEW {100 + 10 * REFERENCE_SKEWNESS:g} (" in MEANING["market.spx_smile.put_skew"]
