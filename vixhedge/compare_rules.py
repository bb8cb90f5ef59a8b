"""What each ``--variant`` of a compare did to its policy's rules: which it switched off or on, and how often each
acted against the mode it varies (trial RS38 H1: an ablation read "no_condor_cut: CVaR worse" of a variant whose
condor cut still acted on 40 of 40 bars, and no line said which rules a switch took with it).

A rule's switch is read from its config (:func:`strategies.rulesoff.rules_off`: off, or idle for a missing input);
how often it acted from each run's metrics.json ``rules_fired`` (bars it changed what the book did).
"""

from __future__ import annotations

import dataclasses
import functools
from typing import Any

from strategies.rulesoff import rules_off

__all__ = ["RULE_KEYS", "rule_changes", "variant_changes", "variant_rule_lines"]


#: each rule's own [hedge] keys, as the README's spec table names them (a sub-table stands for all its keys): a
#: variant that changes one of them but leaves the rule acting is said so (trial VIS36 H1: under steward
#: divergence.condor_cut = 0 left condor_vega_cut acting through condor_scale, and the line said "switches off no rule")
RULE_KEYS = {
    "cross_up": ("on_cross_up", "confirm.hold_bars", "confirm.require_expanding"),
    "cross_down": ("on_cross_down",),
    "review": ("review_bars",),
    "divergence_bullish": ("divergence.enabled", "divergence.source", "divergence.pattern", "divergence.left",
                           "divergence.right", "divergence.min_bars", "divergence.max_bars", "divergence.remove_layers",
                           "divergence.hold_adds"),
    "condor_vega_cut": ("divergence.condor_cut", "divergence.condor_scale"),
    "expansion_sizing": ("expansion.sizing", "expanding_layer_multiple", "next_layer_multiple", "fractional_carry"),
    "expansion_cadence": ("expansion.cadence", "expansion.review_bars"),
    "slope_breakeven": ("slope",),
    "flattening_placement": ("placement", "macd.flat_threshold"),
    "fomc_cadence": ("fomc.enabled", "fomc.days_before", "fomc.days_after", "fomc.cadence", "fomc.review_bars",
                     "fomc.calendar_csv"),
    "fomc_divergence": ("fomc.divergence", "fomc.divergence_sessions", "fomc.divergence_remove_layers"),
    "event_window": ("events",),
    "rsi_filter": ("rsi",),
    "ad_filter": ("fomc.require_ad", "fomc.ad_bars", "fomc.ad_csv", "fomc.ad_advances_column",
                  "fomc.ad_declines_column"),
    "term_structure_filter": ("term_structure",),
    "front_run": ("confirm.anticipate_bars",),
    "condor_required": ("require_condor",),
    "roll": ("roll_days",),
}


def _idle(res: Any) -> dict[str, str]:
    """The rules ``res``'s config leaves idle, with why (its policy notes and A/D coverage, as its page reads them)."""
    m = res.metrics
    return rules_off(res.config.hedge, m.get("policy_notes") or (), m.get("ad_uncovered") or "")


def _keys_changed(ref: Any, var: Any, rule: str) -> list[str]:
    """The rule's keys (:data:`RULE_KEYS`) whose values differ between the two runs' [hedge], as ``hedge.KEY A -> B``
    (a sub-table as its name)."""
    out = []
    for key in RULE_KEYS.get(rule, ()):
        a, b = (functools.reduce(getattr, key.split("."), r.config.hedge) for r in (ref, var))
        if a != b:
            out.append(f"hedge.{key}" if dataclasses.is_dataclass(a) else f"hedge.{key} {_text(a)} -> {_text(b)}")
    return out


def _text(v: Any) -> str:
    """A key's value as its TOML reads it (an enum's value, true / false)."""
    v = getattr(v, "value", v)
    return str(v).lower() if isinstance(v, bool) else str(v)


def rule_changes(ref: Any, var: Any) -> dict[str, Any]:
    """How the run ``var`` (a variant) differs from ``ref`` (the mode it varies) in its rules, each rule's bars as
    ``[ref's, var's]``: ``off`` {rule: [bars, why]} for the rules var's config leaves idle and ref's does not (why:
    :func:`strategies.rulesoff.rules_off`'s words), ``on`` the reverse (why it was idle in ref); ``still_acts`` the
    ``off`` rules var still counts, ``never_acted`` those ref never counted here (switching it off tests nothing on
    this window); ``keyed`` {rule: [bars, keys changed]} for a rule neither off nor on whose own keys
    (:data:`RULE_KEYS`) var changed, ``keyed_idle`` {rule: [keys changed, why ref left it idle]} for one idle in
    both; ``changed`` the other rules whose bars differ."""
    a, b = ref.metrics.get("rules_fired") or {}, var.metrics.get("rules_fired") or {}
    idle_ref, idle_var = _idle(ref), _idle(var)
    bars = {r: [int(a.get(r, 0)), int(b.get(r, 0))] for r in dict.fromkeys([*a, *b, *RULE_KEYS])}
    off = {r: [bars[r], why] for r, why in idle_var.items() if r not in idle_ref and r in bars}
    on = {r: [bars[r], why] for r, why in idle_ref.items() if r not in idle_var and r in bars}
    keys = {r: k for r in RULE_KEYS if r not in off and r not in on and (k := _keys_changed(ref, var, r))}
    return {"off": off, "on": on, "still_acts": [r for r, (n, _) in off.items() if n[1] > 0],
            "never_acted": [r for r, (n, _) in off.items() if n[0] == 0],
            "keyed": {r: [bars[r], k] for r, k in keys.items() if r not in idle_var},
            "keyed_idle": {r: [keys[r], idle_ref[r]] for r in keys if r in idle_var},
            "changed": {r: n for r, n in bars.items() if n[0] != n[1] and not {r} & {*off, *on, *keys}}}


def _bars(n: list[int]) -> str:
    return f"{n[0]} -> {n[1]}"


def variant_changes(cmp: Any) -> dict[str, dict[str, Any]]:
    """{variant: :func:`rule_changes` against the comparison's own policy mode} for each variant of ``cmp`` run under
    that policy, when that mode is compared too (comparison.json ``variant_rules``); {} without."""
    ref_name = cmp.config.hedge.policy_name
    ref = cmp.results.get(ref_name)
    if not cmp.variants or ref is None or ref_name in cmp.variants:
        return {}
    return {name: rule_changes(ref, var) for name in cmp.variants
            if (var := cmp.results.get(name)) is not None and var.config.hedge.policy_name == ref_name}


def variant_rule_lines(cmp: Any) -> list[str]:
    """One line per variant of :func:`variant_changes` (``rules, no_review vs alvh (bars each acted, alvh ->
    no_review): switches off review 431 -> 0; other rules' bars: cross_up 120 -> 98``), each rule's bars ``ref ->
    variant`` (metrics.json ``rules_fired``); a rule switched off that still acts, or one that never acted in the
    reference, is said (trial RS38)."""
    ref_name, out = cmp.config.hedge.policy_name, []
    for name, c in variant_changes(cmp).items():
        parts = ["switches off " + "; ".join(f"{r} {_bars(n)} ({why})" for r, (n, why) in c["off"].items())
                 if c["off"] else "switches off no rule"]
        parts += ["switches on " + "; ".join(f"{r} {_bars(n)} (idle in {ref_name}: {why})"
                                             for r, (n, why) in c["on"].items())] if c["on"] else []
        parts += [f"still acting though switched off: {', '.join(c['still_acts'])}"] if c["still_acts"] else []
        parts += [f"never acted in {ref_name} on this window, so switching it off tests nothing: "
                  f"{', '.join(c['never_acted'])}"] if c["never_acted"] else []
        parts += [f"changes {r}'s keys ({', '.join(k)}) and it still acts: {_bars(n)}"
                  for r, (n, k) in c["keyed"].items()]
        parts += [f"changes {r}'s keys ({', '.join(k)}), idle in {ref_name} already ({why})"
                  for r, (k, why) in c["keyed_idle"].items()]
        parts += ["other rules' bars: " + ", ".join(f"{r} {_bars(n)}" for r, n in c["changed"].items())
                  ] if c["changed"] else []
        out.append(f"rules, {name} vs {ref_name} (bars each acted, {ref_name} -> {name}): " + "; ".join(parts))
    return out
