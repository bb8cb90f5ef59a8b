"""Caveats a run's window earns, worded once for the console summary and report.html's banner.

* a window under :data:`SHORT_WINDOW_SESSIONS`: its annualised figures extrapolate a few weeks to a year;
* a window under :data:`FLAT_START_SESSIONS`: the book starts flat, no condor cycle or hedge layer carried in, so a
  stress period run alone can end far from the same days inside a longer run (a researcher's trial, session 20:
  August 2011's hedge earned $6,150 alone and $109,850 inside 2007-2022; README, *Where a window starts*);
* a CVaR 95% of fewer than :data:`THIN_TAIL_DAYS` days: the worst day alone, or the mean of a few (the same trial:
  compare's CVaR estimates sat on an end of their own intervals over a month, unsaid).
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping

import pandas as pd

from vixhedge.fmt import plural

SHORT_WINDOW_SESSIONS = 60  # below it a run's annualised figures extrapolate a few weeks to a year
FLAT_START_SESSIONS = 252  # below it (a year) the start's empty book weighs on the whole window
THIN_TAIL_DAYS = 5  # a CVaR 95% of fewer days (under 100 daily returns) is one or a few days


def window_caveats(sessions: int, to_ruin: int | None = None) -> list[str]:
    """Return the caveats of a run of ``sessions`` sessions (none from a year on), each a sentence without its
    full stop; ``to_ruin``: a ruined run's sessions to its ruin, the span its metrics cover (review 20: 57 of 150
    sessions annualised to CAGR -100% and vol 210% with no word; trial VIS22: a 2-session ruin's return on margin
    "-29745.04%/yr" and hedge cost "$278,284,356 per year" sat outside the caveat's list)."""
    out = []
    n = sessions if to_ruin is None else to_ruin
    if n < SHORT_WINDOW_SESSIONS:
        out.append(f"only {plural(n, 'session')}{' to the ruin' if to_ruin is not None else ''}: the "
                   f"annualised figures (CAGR, vol, Sharpe, Sortino, Calmar, return on margin per year, the hedge "
                   f"cost's per-year figures) scale so short a window to a year and mean little under "
                   f"{SHORT_WINDOW_SESSIONS} sessions")
    if sessions < FLAT_START_SESSIONS:
        out.append("the book starts flat: no condor cycle or hedge layer is carried into the window, so a period run "
                   "alone can end far from the same days inside a longer run (README, *Where a window starts*)")
    return out


def to_ruin(m: Mapping, days) -> int | None:
    """A ruined run's sessions to its ruin (metrics.json ``ruin``; ``days``: its daily dates), else None."""
    ruin = m.get("ruin")
    return None if not ruin else int((pd.DatetimeIndex(days) <= pd.Timestamp(ruin["date"])).sum())


def caveat_banner(m: Mapping, days) -> str:
    """report.html's caveats of a run's window (:func:`window_caveats`; ``days``: its daily dates), one banner."""
    words = window_caveats(int(m["counts"]["days"]), to_ruin(m, days))
    items = "".join(f"<p><b>Caveat:</b> {in_html(w[0].upper() + w[1:])}.</p>" for w in words)
    return f'<div class="banner warn">{items}</div>\n' if items else ""


def in_html(words: str) -> str:
    """``words`` escaped for a page, a README section named ``*Like this*`` in italics (review 20: the asterisks
    showed) and a command in backticks as code (trial VIS22: "`vixhedge data check` counts stale opens by year" in
    the real-data run's data banner)."""
    text = re.sub(r"\*([^*]+)\*", r"<i>\1</i>", html.escape(words))
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", text)


def sentence(words: str) -> str:
    """``words`` ending with a full stop: a data line joins its notes one after another (trial VIS22: "... fills at
    bid/ask likely cross too little spread MACD warmed on 39 sessions")."""
    words = words.rstrip()
    return words if words.endswith((".", "!", "?")) else words + "."


def thin_tail_words(days: int | None) -> str:
    """Return what a CVaR 95% of ``days`` worst days (metrics.json ``cvar_95_days``) rests on when they are fewer
    than :data:`THIN_TAIL_DAYS` ("the worst day alone", "the mean of the worst 3 days"), else ""."""
    k = int(days or 0)
    if not 0 < k < THIN_TAIL_DAYS:
        return ""
    return "the worst day alone" if k == 1 else f"the mean of the worst {k} days"
