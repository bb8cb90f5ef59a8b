"""A seeded, coherent standard-layout data directory for the plausibility and fuzz tests.

SPX and VIX on every session of 2018-01-02..2018-06-29; VX files (Cboe layout) for the monthly
contracts settling Feb..Sep 2018, priced by the VX curve model ``F = 20 + (VIX - 20) e^(-1.5 tau)``
so that each settle moves with VIX as real ones do. VIX more than doubles on ``SPIKE`` (like
2018-02-05) and the curve follows: a real spike every rule must let pass.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from feeds import calendars

START, END = dt.date(2018, 1, 2), dt.date(2018, 6, 29)
SPIKE = dt.date(2018, 2, 5)


def series(seed: int = 0) -> tuple[list[dt.date], np.ndarray, np.ndarray]:
    days = [d.date() for d in calendars.trading_days(START, END)]
    rng = np.random.default_rng(seed)
    log_vix = np.log(14.0) + np.cumsum(rng.normal(0, 0.04, len(days))) * 0.5
    k = days.index(SPIKE)
    log_vix[k:] += np.log(2.15) * np.exp(-np.arange(len(days) - k) / 15.0)
    spx = 2700.0 * np.exp(np.cumsum(rng.normal(0, 0.008, len(days))))
    return days, np.round(np.exp(log_vix), 2), np.round(spx, 2)


def vx_settle(vix: float, day: dt.date, expiry: dt.date) -> float:
    tau = (expiry - day).days / 365.0
    return round(20.0 + (vix - 20.0) * np.exp(-1.5 * tau), 3)


def write(root: Path, seed: int = 0) -> Path:
    """Write the directory under ``root`` and return it."""
    days, vix, spx = series(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "vx").mkdir(exist_ok=True)
    (root / "spx.csv").write_text("date,open,high,low,close\n" + "".join(
        f"{d},{c:.2f},{c * 1.004:.2f},{c * 0.995:.2f},{c:.2f}\n" for d, c in zip(days, spx)))
    (root / "vix.csv").write_text("DATE,OPEN,HIGH,LOW,CLOSE\n" + "".join(
        f"{d:%m/%d/%Y},{v:.2f},{v * 1.05:.2f},{v * 0.95:.2f},{v:.2f}\n" for d, v in zip(days, vix)))
    for c in calendars.vx_contracts(dt.date(2018, 2, 1), dt.date(2018, 9, 30)):
        label = f"{calendars.VX_MONTH_CODES[c.month - 1]} ({c.settlement:%b %Y})"
        lines = ["Trade Date,Futures,Open,High,Low,Close,Settle,Change,Total Volume,EFP,Open Interest"]
        for d, v in zip(days, vix):
            if d <= c.settlement:
                s = vx_settle(v, d, c.settlement)
                lines.append(f"{d},{label},{s},{s},{s},{s},{s},0,100,0,1000")
        (root / "vx" / f"VX_{c.settlement}.csv").write_text("\n".join(lines) + "\n")
    return root
