"""How far the VX futures a run held moved in a day against the maintenance margin it charged for them.

The margin model charges CFE's 2013 VX levels on every date (``margin.vx_maintenance_usd``; README *Margin model*).
In a stress market the exchange raises them: trial RS29 saw a held contract move $10,940 in a day on 2008-10-20 and
$15,250 on 2020-03-16, two to three times the $5,000 charged, with nothing in the run's figures saying so. A
maintenance level is sized to cover about a day's move; a held contract moving more than it in one session is where
the run's requirement, and the capital needed, fall short of what the exchange asked. metrics.json
``capital.vx_moves_over_maintenance`` counts those sessions and names the worst; the console's capital row and
report.html's Capital table say it.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from vixhedge.core.instruments import Contract, Kind, MULTIPLIER_USD
from vixhedge.core.margin import vx_margin
from vixhedge.fmt import num, plural, usd


def vx_moves(trades: pd.DataFrame, days: pd.Index, market, margin_cfg) -> dict | None:
    """The sessions on which a VX future held at the previous close moved, close to close (its marks), by more than
    the maintenance margin the run charged for it at that close (its listed month's level), and the worst of them:
    ``{"sessions", "worst": {"date", "expiry", "move_usd", "maintenance_usd", "ratio"}}`` (``worst`` absent with no
    such session); None when the run held no VX future. ``trades``: trades.csv's rows (indexed by date), ``days``:
    the run's sessions (daily.csv's index, up to a ruin day)."""
    vx = trades[trades["kind"].astype(str) == "vx_future"] if len(trades) else trades
    if not len(vx):
        return None
    fills: dict = {}
    for day, expiry, qty in zip(vx.index, vx["expiry"], vx["qty"], strict=True):
        key = (pd.Timestamp(day).date(), pd.Timestamp(expiry).date())
        fills[key] = fills.get(key, 0) + int(qty)
    held: dict = {}  # expiry -> contracts held at the previous close
    sessions, worst, prev = 0, None, None
    for stamp in days:
        day = pd.Timestamp(stamp).date()
        i = market.index_of(day)
        if prev is not None:
            front, skipped = market.vx_listing(prev[0])
            over = False
            for expiry, qty in held.items():
                if not qty or day >= expiry:  # (settling: its final value is not a day's mark)
                    continue
                c = Contract(Kind.VX_FUTURE, expiry)
                move = abs(market.mark(c, i) - market.mark(c, prev[1])) * MULTIPLIER_USD[Kind.VX_FUTURE]
                maintenance = vx_margin(front, expiry, margin_cfg, skipped)[1]
                if move > maintenance:
                    over = True
                    if worst is None or move / maintenance > worst["ratio"]:
                        worst = {"date": day.isoformat(), "expiry": expiry.isoformat(), "move_usd": round(move, 2),
                                 "maintenance_usd": maintenance, "ratio": round(move / maintenance, 4)}
            sessions += over
        for (d, expiry), qty in fills.items():
            if d == day:
                held[expiry] = held.get(expiry, 0) + qty
        held = {e: q for e, q in held.items() if q and e > day}
        prev = (day, i)
    cfe = tuple(margin_cfg.vx_maintenance_usd) == tuple(type(margin_cfg)().vx_maintenance_usd)
    return {"sessions": sessions, "levels": "cfe_2013" if cfe else "configured", **({"worst": worst} if worst else {})}


def vx_moves_words(c: Mapping, count: bool = True) -> str:
    """The console's VX margin row and (``count`` False: without the sessions' count, its own cell) the Capital
    table's words on metrics.json ``capital.vx_moves_over_maintenance`` ("" without it, or with no such session)."""
    v = c.get("vx_moves_over_maintenance")
    if not v or not v["sessions"]:
        return ""
    w, cfe = v["worst"], v.get("levels") != "configured"
    level = ("CFE's 2013 level, applied on every date): the exchange asked more then, so" if cfe
             else "margin.vx_maintenance_usd as configured):")
    return (f"{plural(v['sessions'], 'session') + ' ' if count else ''}a held VX future moved more than its "
            f"maintenance in a day (worst {w['date']}: the {w['expiry']} contract {usd(w['move_usd'])}, "
            f"{num(w['ratio'])}x the {usd(w['maintenance_usd'])} charged at {level} the requirement and capital "
            "needed are a floor on those days")
