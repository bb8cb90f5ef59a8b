"""The data line's sentence on SPX option fills whose widths the calm days' fit sets in a stress market.

SPX option widths are fitted on five calm 2019 days (feeds/calibration/spreads.json) and widen with an option's
premium, not with VIX (README *Quotes and fills*, widening with VIX). A run's modelled or anchored SPX fills on days VIX
closed above twice the fit days' top are counted and named (metrics.json ``data_provenance.spx_fills_beyond_width_fit``;
:func:`feeds.provenance.data_provenance` adds the sentence to the run's data notes). Trial RS29: 3x the width moved a
2008 window's condor P&L by $25,000; trial RS30: 2x raised 2008-2020's NAV (stops trigger at the ask), so the sentence
names no direction.
"""

from __future__ import annotations

__all__ = ["SPX_WIDTH_FIT_VIX", "SPX_WIDTH_KEYS", "SPX_WIDTH_STRESS_VIX", "stressed_spx_fills", "stressed_spx_note"]

#: the VIX closes of the five 2019 SPX chain days the SPX option widths are fitted on (feeds/calibration/spreads.json
#: ``spx.days``; the VIX file of ../shared/data: 13.25, 12.73, 13.11, 13.12, 14.80), and the level, twice the top,
#: above which a run's modelled SPX option fills are named: their width is the calm days' rule, which widens with the
#: premium only (README *Quotes and fills*, widening with VIX; trial RS29: 3x the width moved a 2008 window's condor
#: P&L by $25,000)
SPX_WIDTH_FIT_VIX = (12.73, 14.80)
SPX_WIDTH_STRESS_VIX = 2 * SPX_WIDTH_FIT_VIX[1]
SPX_WIDTH_KEYS = ("spx_option_fraction", "spx_option_min", "spx_option_max", "spx_option_power")  # market.spreads'


def stressed_spx_fills(market, spx: list) -> dict | None:
    """The run's SPX option fills (``spx``: each one's market day, date and quote origin, as
    :func:`feeds.provenance.data_provenance` counted them) at a quote not real (modelled or anchored) on a day whose
    VIX closed above :data:`SPX_WIDTH_STRESS_VIX`: ``{"fills", "of", "max_vix", "date"}`` (of: all its SPX option
    fills), or None; None too under widths the config sets itself (market.spreads' SPX keys off the fit: trial RS30
    tripled them and was told the fitted ones are calm days')."""
    from vixhedge.core.config import SpreadConfig

    fitted = SpreadConfig()
    if not spx or any(getattr(market.cfg.spreads, k) != getattr(fitted, k) for k in SPX_WIDTH_KEYS):
        return None
    vix, n, top = market.data.vix_close, 0, None
    for i, date, origin in spx:
        if float(vix[i]) > SPX_WIDTH_STRESS_VIX and origin != "real":
            n += 1
            if top is None or float(vix[i]) > top[0]:
                top = (float(vix[i]), date)
    return {"fills": n, "of": len(spx), "max_vix": round(top[0], 2), "date": top[1].isoformat()} if top else None


def stressed_spx_note(s: dict | None) -> str:
    """The data line's sentence on :func:`stressed_spx_fills` ("" without any). It names no direction: wider quotes
    change the fills and, through stops triggered at the ask, the path (trial RS30: 2x the widths raised 2008-2020's
    final NAV, stopping condors out earlier)."""
    if not s:
        return ""
    lo, hi = SPX_WIDTH_FIT_VIX
    return (f"SPX option widths are fitted on five calm days (VIX closes {lo:.1f}-{hi:.1f}) "
            f"and widen with an option's price, not with VIX: {s['fills']:,} of this run's {s['of']:,} SPX option "
            f"fills were at modelled or anchored quotes with VIX above {SPX_WIDTH_STRESS_VIX:.1f} (the highest "
            f"{s['max_vix']:.2f} on {s['date']}), where the market's spreads were likely wider; wider ones move the "
            "fills and, through stops at the ask, the path, either way (market.spreads.spx_option_fraction scales "
            "the widths)")
