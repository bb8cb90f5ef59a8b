"""What each ``--variant`` of a compare did to its policy's rules: which it switched off or on, and how often each
acted against the mode it varies (trial RS38 H1: an ablation read "no_condor_cut: CVaR worse" of a variant whose
condor cut still acted on 40 of 40 bars, and no line said which rules a switch took with it).

A rule's switch is read from its config (:func:`strategies.rulesoff.rules_off`: off, or idle for a missing input);
how often it acted from each run's metrics.json ``rules_fired`` (bars it changed what the book did).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from strategies.rulesoff import rules_off

__all__ = ["rule_changes", "variant_changes", "variant_rule_lines"]


def _idle(res: Any) -> dict[str, str]:
    """The rules ``res``'s config leaves idle, with why (its policy notes and A/D coverage, as its page reads them)."""
    m = res.metrics
    return rules_off(res.config.hedge, m.get("policy_notes") or (), m.get("ad_uncovered") or "")


def rule_changes(ref: Any, var: Any) -> dict[str, Any]:
    """How the run ``var`` (a variant) differs from ``ref`` (the mode it varies) in its rules: ``off`` {rule: (ref's
    bars, var's)} for the rules var's config leaves idle and ref's does not, ``on`` the reverse, ``changed`` the
    other rules whose bars differ; ``still_acts`` the ``off`` rules var still counts (a rule another key of it
    keeps acting), ``never_acted`` those ref never counted here (switching it off tests nothing on this window)."""
    a, b = ref.metrics.get("rules_fired") or {}, var.metrics.get("rules_fired") or {}
    idle_ref, idle_var = _idle(ref), _idle(var)
    bars = {r: (int(a.get(r, 0)), int(b.get(r, 0))) for r in dict.fromkeys([*a, *b])}
    off = {r: bars.get(r, (0, 0)) for r in idle_var if r not in idle_ref}
    on = {r: bars.get(r, (0, 0)) for r in idle_ref if r not in idle_var}
    changed = {r: n for r, n in bars.items() if n[0] != n[1] and r not in off and r not in on}
    return {"off": off, "on": on, "changed": changed, "still_acts": [r for r, n in off.items() if n[1] > 0],
            "never_acted": [r for r, n in off.items() if n[0] == 0]}


def _bars(rules: Mapping[str, tuple[int, int]]) -> str:
    return ", ".join(f"{r} {a} -> {b}" for r, (a, b) in rules.items())


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
        parts = [f"switches off {_bars(c['off'])}" if c["off"] else "switches off no rule"]
        parts += [f"switches on {_bars(c['on'])}"] if c["on"] else []
        parts += [f"still acting though switched off: {', '.join(c['still_acts'])}"] if c["still_acts"] else []
        parts += [f"never acted in {ref_name} on this window, so switching it off tests nothing: "
                  f"{', '.join(c['never_acted'])}"] if c["never_acted"] else []
        parts += [f"other rules' bars: {_bars(c['changed'])}"] if c["changed"] else []
        out.append(f"rules, {name} vs {ref_name} (bars each acted, {ref_name} -> {name}): " + "; ".join(parts))
    return out
