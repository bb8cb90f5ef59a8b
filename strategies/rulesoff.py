"""Which of the ``alvh`` policy's rules cannot act in a run, and why (report.html "Rules fired").

Pure: reads the run's ``[hedge]`` config and its policy notes (metrics.json ``policy_notes``, written by
:mod:`strategies.signalset`), both kept in the run folder, so ``vixhedge report FOLDER`` rebuilds the same words.
A rule listed here shows 0 bars because it was switched off or lacks an input, not because the market never
called for it.
"""

from __future__ import annotations

from collections.abc import Sequence

from strategies.adinput import AD_NO_ROWS_NOTE, NO_AD_NOTE
from vixhedge.core.config import HedgeConfig, SignalAction
from vixhedge.core.config.unread import one_layer

NEEDS_AD = "needs an A/D file: hedge.fomc.ad_csv (or hedge.fomc.require_ad = false)"
NO_REVIEWS = "reviews are off (hedge.review_bars = 0): it shortens the interval of add reviews only"
NO_REVIEWS_AD = NO_REVIEWS + " (an A/D file would change nothing)"
NO_REVIEWS_FILTER = ("reviews are off (hedge.review_bars = 0): it holds back window add reviews only (an A/D file "
                     "would change nothing)")
FILTER_NEEDS_AD = "needs an A/D file: hedge.fomc.ad_csv (it filters with hedge.fomc.require_ad = true, as set)"


def _ad_why(notes: Sequence[str], ad_uncovered: str) -> tuple[str, str]:
    """Return why the A/D rules cannot act, (for the window rules, for ``ad_filter``): no A/D file, or one that has
    no row on the run's sessions (``ad_uncovered``, :attr:`strategies.signalset.SignalInputs.ad_uncovered`: the
    file, its span and the run's window)."""
    if not any(n.startswith(AD_NO_ROWS_NOTE) for n in notes):
        return NEEDS_AD, FILTER_NEEDS_AD
    where = ad_uncovered or "the A/D file hedge.fomc.ad_csv has no row on the run's sessions"  # a folder from before
    return (f"{where}: give a hedge.fomc.ad_csv that covers the run (or hedge.fomc.require_ad = false)",
            f"{where}: give a hedge.fomc.ad_csv that covers the run (it filters with hedge.fomc.require_ad = true, "
            "as set)")


def rules_off(cfg: HedgeConfig, notes: Sequence[str] = (), ad_uncovered: str = "") -> dict[str, str]:
    """Return {rule id: why it cannot act} for the ``alvh`` policy's rules this config and run leave idle; for
    another built-in policy (``static``, ``vxth``, ``none``) the rules it does not have (a plug-in policy: {}).
    ``ad_uncovered``: the run's A/D file without a row on its sessions (metrics.json ``ad_uncovered``), or ""."""
    if cfg.policy_name != "alvh":
        return _not_its_rules(cfg)
    f, e, d, x = cfg.fomc, cfg.events, cfg.divergence, cfg.expansion
    no_ad = any(n.startswith((NO_AD_NOTE, AD_NO_ROWS_NOTE)) for n in notes)
    windows = f.enabled or (e.enabled and (e.cpi or e.ppi))
    needs_ad, filter_needs_ad = _ad_why(notes, ad_uncovered)
    if cfg.review_bars == 0:  # the cadence rules and the A/D filter change add reviews only: none runs
        needs_ad, filter_needs_ad = NO_REVIEWS_AD, NO_REVIEWS_FILTER
    one = _one_layer(cfg)
    checks = [
        ("cross_up", cfg.on_cross_up is SignalAction.NOTHING, "on_cross_up = nothing"),
        ("cross_down", cfg.on_cross_down is SignalAction.NOTHING, "on_cross_down = nothing"),
        ("review", cfg.review_bars == 0, "review_bars = 0"),
        ("divergence_bullish", not d.enabled, "divergence.enabled = false"),
        ("condor_vega_cut", not d.enabled or (d.condor_cut == 0 and d.condor_scale >= 1),
         "divergence.condor_cut = 0 and condor_scale = 1" if d.enabled else "divergence.enabled = false"),
        ("expansion_sizing", not x.sizing or bool(one), "expansion.sizing = false" if not x.sizing else one),
        ("expansion_cadence", not x.cadence or x.review_bars >= cfg.review_bars,
         "expansion.cadence = false" if not x.cadence else NO_REVIEWS if cfg.review_bars == 0
         else "expansion.review_bars is not below review_bars"),
        ("slope_breakeven", not cfg.slope.enabled, "slope.enabled = false"),
        ("flattening_placement", not cfg.placement.enabled or bool(one),
         "placement.enabled = false" if not cfg.placement.enabled else one),
        ("fomc_cadence", not f.enabled or ((f.require_ad and no_ad) or cfg.review_bars == 0),
         "fomc.enabled = false" if not f.enabled else needs_ad),
        ("fomc_divergence", not (f.enabled and f.divergence and d.enabled),
         "needs hedge.fomc.enabled, hedge.fomc.divergence and hedge.divergence.enabled"),
        ("event_window", not (e.enabled and (e.cpi or e.ppi)) or (f.require_ad and no_ad) or cfg.review_bars == 0,
         needs_ad if e.enabled and (e.cpi or e.ppi) else "events.enabled = false"),
        ("rsi_filter", not cfg.rsi.enabled, "rsi.enabled = false"),
        ("ad_filter", not windows or not f.require_ad or no_ad or cfg.review_bars == 0,
         "no FOMC or CPI/PPI window is on" if not windows else "fomc.require_ad = false" if not f.require_ad
         else filter_needs_ad),
        ("term_structure_filter", not cfg.term_structure.enabled, "term_structure.enabled = false"),
        ("front_run", cfg.confirm.anticipate_bars == 0, "confirm.anticipate_bars = 0"),
        ("condor_required", not cfg.require_condor, "require_condor = false"),
    ]
    return {rule: why if why.startswith(("needs", "no ", "the ", "at most", "reviews")) else f"hedge.{why}"
            for rule, off, why in checks if off}


def _one_layer(cfg: HedgeConfig) -> str:
    """Return why this config never holds more than one layer, and that ``expansion_sizing`` and
    ``flattening_placement`` act on a second or later layer only ("" if it may hold more:
    :func:`vixhedge.core.config.unread.one_layer`)."""
    one = one_layer(cfg)
    return one and f"{one}; it acts on a second or later layer only"


def _not_its_rules(cfg: HedgeConfig) -> dict[str, str]:
    """The ``alvh`` rule ids a built-in ``static``, ``vxth``, ``placebo`` or ``none`` policy does not have: all but the
    static and placebo policies' ``roll`` (:func:`strategies.hedge.decide_static`; ``vxth`` holds its calls to
    settlement)."""
    from strategies.book import RULE_IDS
    from strategies.policies import BUILTINS

    name = cfg.policy_name
    if name not in BUILTINS:
        return {}
    own = ("roll",) if name in ("static", "placebo") else ()
    out = {r: f"not a rule of the {name} policy" for r in RULE_IDS if r not in own}
    if name == "static" and cfg.require_condor:
        out["condor_required"] = ("not counted by the static policy (hedge.require_condor holds its layers back "
                                  "all the same)")
    return out
