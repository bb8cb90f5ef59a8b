"""How far the VX futures a run held moved against it in a day, beside the maintenance margin it charged for them.

The margin model charges CFE's 2013 VX levels on every date (``margin.vx_maintenance_usd``; README *Margin model*),
where the exchange raises them after violent moves. Trial RS29 saw held contracts move two to three times the $5,000
charged in a day in 2008 and 2020, with nothing in the run's figures saying so. A maintenance level is meant to cover
about a day's adverse move: a held contract losing more than it in one session (its move against the position: a long
layer's fall; review 27: a gain needs no margin) marks a day the run's requirement, and the capital needed, are a
floor. metrics.json ``capital.vx_moves_over_maintenance`` counts those sessions and names the worst; the console's
VX margin row, report.html's Capital table and compare's row say it. Computed from the finished run (trades.csv and
the market's marks), not by the engine.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from feeds.provenance import quote_origin
from vixhedge.core.instruments import Contract, Kind, MULTIPLIER_USD
from vixhedge.core.margin import vx_margin
from vixhedge.fmt import num, plural, usd

MARKS = {"anchored": "anchored", "model": "modelled"}  # (an anchored mark: an earlier real settle moved by the model)


def vx_moves(trades: pd.DataFrame, days: pd.Index, market, margin_cfg) -> dict | None:
    """The sessions on which a VX future held at the previous close moved against the position, close to close (its
    marks), by more than the maintenance margin the run charged for it at that close (its listed month's level), and
    the worst of them: ``{"sessions", "levels", "real_sessions", "worst": {"date", "expiry", "move_usd",
    "maintenance_usd", "ratio", "marks"}}`` (``move_usd`` per contract, a loss; ``levels``: ``cfe_2013`` at the default
    levels, else ``configured``; ``marks``: the less real of its two marks' origins, ``real``, ``anchored`` or
    ``model``, trades.csv ``quote``; ``real_sessions``: the sessions with such a move on two real marks; both absent
    with no such session); None when the run held no VX future. ``trades``: trades.csv's rows (indexed by date),
    ``days``: the run's sessions (daily.csv's index, up to a ruin day)."""
    vx = trades[trades["kind"].astype(str) == "vx_future"] if len(trades) else trades
    if not len(vx):
        return None
    fills: dict = {}  # day -> expiry -> contracts bought (+) or sold (-)
    for day, expiry, qty in zip(vx.index, vx["expiry"], vx["qty"], strict=True):
        on = fills.setdefault(pd.Timestamp(day).date(), {})
        on[pd.Timestamp(expiry).date()] = on.get(pd.Timestamp(expiry).date(), 0) + int(qty)
    held: dict = {}  # expiry -> contracts held at the previous close (signed)
    last: dict = {}  # expiry -> its mark at the previous close (each held contract's mark read once a day)
    sessions, real_sessions, worst, prev = 0, 0, None, None
    for stamp in days:
        day = pd.Timestamp(stamp).date()
        i = market.index_of(day)
        today: dict = {}
        if prev is not None and held:
            front, skipped = market.vx_listing(prev[0])
            over, real = False, False
            for expiry, qty in held.items():
                if day >= expiry:  # (settling: its final value is not a day's mark)
                    continue
                today[expiry] = market.mark(Contract(Kind.VX_FUTURE, expiry), i)
                change = (today[expiry] - last[expiry]) * MULTIPLIER_USD[Kind.VX_FUTURE]
                loss = -change if qty > 0 else change  # per contract, against the position
                maintenance = vx_margin(front, expiry, margin_cfg, skipped)[1]
                if loss > maintenance:
                    marks = _less_real(market, expiry, prev[1], i)
                    over, real = True, real or marks == "real"
                    if worst is None or loss / maintenance > worst["ratio"]:
                        worst = {"date": day.isoformat(), "expiry": expiry.isoformat(), "move_usd": round(loss, 2),
                                 "maintenance_usd": maintenance, "ratio": round(loss / maintenance, 4),
                                 "marks": marks}
            sessions += over
            real_sessions += real
        for expiry, qty in fills.get(day, {}).items():
            held[expiry] = held.get(expiry, 0) + qty
        held = {e: q for e, q in held.items() if q and e > day}
        last = {e: today[e] if e in today else market.mark(Contract(Kind.VX_FUTURE, e), i) for e in held}
        prev = (day, i)
    cfe = tuple(margin_cfg.vx_maintenance_usd) == tuple(type(margin_cfg)().vx_maintenance_usd)
    return {"sessions": sessions, "levels": "cfe_2013" if cfe else "configured",
            **({"real_sessions": real_sessions, "worst": worst} if worst else {})}


def _less_real(market, expiry, *days: int) -> str:
    """The less real of VX ``expiry``'s marks' origins on market days ``days``: real, anchored or model (trial RS31:
    a worst move past the VX data's end, on two anchored marks, read as a fact)."""
    origins = {quote_origin(market, Contract(Kind.VX_FUTURE, expiry), i) for i in days}
    return next(o for o in ("model", "anchored", "real") if o in origins)


def vx_moves_words(c: Mapping, count: bool = True) -> str:
    """The console's VX margin row and (``count`` False: without the sessions' count, its own cell) the Capital
    table's words on metrics.json ``capital.vx_moves_over_maintenance`` ("" without it, or with no such session)."""
    v = c.get("vx_moves_over_maintenance")
    if not v or not v["sessions"]:
        return ""
    w, cfe = v["worst"], v.get("levels") != "configured"
    level = ("CFE's 2013 level, which the run applies on every date" if cfe
             else "margin.vx_maintenance_usd as configured")
    marks = "" if w.get("marks", "real") == "real" else f" on {MARKS[w['marks']]} marks, not real settles"
    n, off = v["sessions"], v["sessions"] - v.get("real_sessions", v["sessions"])
    rest = "" if not off or n == 1 else (f"; all {n}" if off == n else f"; {off} of the {n}") + " sessions on " \
        "anchored or modelled marks"
    return (f"{plural(n, 'session') + ' ' if count else ''}a held VX future lost more than its maintenance "
            f"margin in a day (worst {w['date']}: the {w['expiry']} contract -{usd(w['move_usd'])}{marks}, "
            f"{num(w['ratio'])}x the {usd(w['maintenance_usd'])} charged at {level}{rest}): the exchange raises margin "
            "after such moves, so the requirement and capital needed are a floor then")
