"""The notes of a placebo's summary and page (:func:`vixhedge.placebo.format_summary`,
:func:`vixhedge.placebo_page.report_page`): what the reference's prices rest on, its condor cut, its option placement;
and placebo.json's record of those prices (:func:`prices_record`)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from vixhedge import placebo_stats as S
from vixhedge.core import config as C
from vixhedge.fmt import pct

if TYPE_CHECKING:
    from vixhedge.placebo import Placebo


def notes(p: Placebo) -> list[tuple[str, str]]:
    """The summary's and page's notes, (label, text): what the reference's prices rest on (its data_provenance
    verdict: trial VIS27, a real-data placebo read as real quotes where 75% were modelled), a short window, its
    condor cut, its option placement."""
    prices = [("data", p.prices["verdict"])] if p.prices.get("verdict") else []
    return [*prices, *window_lines(p), *condor_lines(p), *option_lines(p)]


def window_lines(p: Placebo) -> list[tuple[str, str]]:
    """A short window's caveats (:func:`vixhedge.caveats.window_caveats` on the exchange's sessions of the
    reference's run window), as a run's and a comparison's say them (trial FUZZ37 L2: a placebo of 5 sessions gave
    its verdict without a word)."""
    from feeds.calendars import trading_days
    from vixhedge.caveats import window_caveats

    return [("window", w) for w in window_caveats(len(trading_days(p.config.run.start, p.config.run.end)))]


def prices_record(prov: Mapping) -> dict:
    """placebo.json's ``reference.prices``: the reference's share of modelled or anchored marks and fills, the real
    ones of all counted, and the run report's sentence (as a sweep's summary.json ``market`` records its best
    point's)."""
    from feeds.provenance import real_count

    real, total = real_count(prov)
    return {"modelled_share": prov["modelled_share"], "real_prices": real, "prices_counted": total,
            "verdict": prov["verdict"]}


def condor_lines(p: Placebo) -> list[tuple[str, str]]:
    """The note where the reference cut or scaled its condor, with its figures as configured."""
    if not p.condor_note:
        return []
    own = p.as_configured
    figures = ("; ".join(f"{label} {S.figure(k, own[k])}" for k, label, _ in S.METRICS) if own else "")
    figures += f"; contract-sessions {own['contract_sessions']:,}" if own else ""
    ranked, held = p.reference["contract_sessions"], own.get("contract_sessions")
    apart = ""
    if held and S.apart(ranked / held) > S.SAME_EXPOSURE:  # (trial RS28: vega_ratio sizes on the uncut condor)
        apart = (f" (the ranked hedge held {pct(S.apart(ranked / held), 0)} {'more' if ranked > held else 'less'}: "
                 "its layers are sized on a condor the cut no longer shrinks, so it is not the configured hedge)")
    return [("condor", p.condor_note + (f"; as configured: {figures}{apart}" if figures else ""))]


def option_lines(p: Placebo) -> list[tuple[str, str]]:
    """The note for an option-layer reference: its strike placement and restrikes are not copied."""
    if p.config.hedge.instrument is C.HedgeInstrument.VX_FUTURE:
        return []
    return [("options", "the placebo opens its call spreads at hedge.spread_long_otm and never restrikes; "
             f"{p.policy}'s placement and its {p.restrikes:,} restrikes are not copied: its rank mixes timing with "
             "strike placement")]
