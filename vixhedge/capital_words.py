"""The words of the capital a run's path needed: report.html's Capital rows of the peak requirement and the capital
needed (:func:`analyzers.metrics.capital_needed`'s figures, metrics.json ``capital``), and where the lowest excess
liquidity was measured."""

from __future__ import annotations

from collections.abc import Mapping

from vixhedge.fmt import missing, num, usd

__all__ = ["capital_needed_rows", "low_words"]


def capital_needed_rows(c: Mapping, ruined: bool = False) -> list[tuple[str, str, str]]:
    """The Capital table's peak requirement in USD and the capital the path needed (none in a folder from before
    them: :func:`analyzers.metrics.capital_needed`), a lower bound where margin calls or a ruin (``ruined``) closed
    positions."""
    if "capital_needed_usd" not in c:
        return []
    per = c["peak_margin_per_condor_usd"]
    return [("peak requirement", usd(c["peak_margin_usd"]),
             (f"{usd(per)} per condor held that day (the hedge's requirement included)" if not missing(per)
              else "no condor held that day") + "; daily.csv margin_usd"),
            ("capital needed", usd(c["capital_needed_usd"]),
             "the initial cash less the lowest excess liquidity in dollars of the start (each day's over what a "
             "dollar of the starting cash had grown to by then, its interest: trial RS40"
             + (f"; set by {c['capital_needed_date']}'s, over {num(c['capital_needed_growth'], 4)}"
                if c.get("capital_needed_date") else "")  # (trial RD39 M2: the lowest as measured was another day's)
             + f"; the lowest as measured {usd(c['min_excess_liquidity_usd'])}{low_words(c)}; daily.csv "
             "excess_liquidity_usd: "
             + ("NAV less the portfolio-margin requirement, the options counted at their marks" if
                c.get("margin_mode") == "portfolio" else "cash and the VX futures' open P&L less the maintenance "
                "requirement, options carrying no loan value, so not NAV less margin_usd")
             + "): the cash the account needed at the start to "
             "meet no margin call on this path (the same trades; NAV-sized orders aside)"
             + ("; a lower bound here: the margin calls' closes are part of this path, and an account funded with it "
                "trades another (trial RS25: a 2007-2022 book that needed $1,019,643, funded with it, met 10 calls "
                "where it had met 11 and needed $1,029,733)" if c.get("days_with_margin_call") else
                "; a lower bound here: its ruin's liquidation is part of this path (trial RS40 L4)" if ruined else ""))]


def low_words(c: Mapping) -> str:
    """Where metrics.json ``capital.min_excess_liquidity_usd`` was measured (``_date``, ``_at``; trial ACC30)."""
    day, at = c.get("min_excess_liquidity_date"), c.get("min_excess_liquidity_at")
    if at == "check_before_trades":
        return f", at {day}'s check before its trades: the book it opened with at its closing marks"
    return f", at {day}'s end" if at == "day_end" else ", at a day's end or at a session's check before its trades"
