"""The VXTH replica against Cboe's published VXTH index: a check of the VIX option prices over 17 years.

The replica (:func:`vixhedge.vxth_index.replica`) buys its calls at the ask of the Market's VIX chains, Black-76 on
the real VX settles with ``market.vix_smile`` (no real VIX chain covers the window but one day); Cboe's index bought
real ones. Both hold the S&P 500 total return beside them, so the gap between their returns from one VIX expiration
to the next is mostly what the model's calls cost and paid against the real ones', plus the replica's stated
simplification of the total return (the price index compounded at ``market.div_yield``), which is the same for every
smile. The published levels are the ``VXTH`` column of the data directory's wide vol-index file
(``cboe_volatility_indices``), read here with pandas as a reference, not as a market input.

:func:`tracking` measures the gap; :data:`SMILES` are the smiles ``python -m vixhedge.vxth_index --smiles`` compares:
the packaged one (its level from VVIX), the same shape at its constant level (``atm_per_vvix = 0``), and the shape
hand-set until 2026-12-05.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from feeds import calendars
from feeds.loaders.volindex import WIDE_FILE
from feeds.vixsmilefit import PRIOR

#: the smiles compared with --smiles: name -> [market.vix_smile] keys over the packaged ones
SMILES = {"packaged (level from VVIX)": {},
          "packaged shape, constant level": {"atm_per_vvix": 0.0},
          "hand-set until 2026-12-05": {**dict(zip(("atm_vol", "term_exponent", "skew"), PRIOR)), "atm_per_vvix": 0.0}}


def published(data_dir: Path | str) -> pd.Series | None:
    """Cboe's published VXTH closes by date from the wide vol-index file, or None where the file or column is
    absent."""
    path = Path(data_dir) / WIDE_FILE
    if not path.is_file():
        return None
    head = pd.read_csv(path, nrows=0).columns
    if "VXTH" not in head or "date" not in head:
        return None
    frame = pd.read_csv(path, usecols=["date", "VXTH"], parse_dates=["date"])
    return frame.set_index("date")["VXTH"].dropna().astype(float)


def tracking(rep: pd.DataFrame, pub: pd.Series) -> dict:
    """The replica's gap to the published index on their common days: per roll period (one VIX expiration to the
    next, the replica's purchase days) the RMSE and mean of the return difference in points, the daily tracking
    error (annualised standard deviation of the daily return difference), each side's total return and the
    difference per calendar year (points)."""
    levels = pd.concat([rep["vxth"].set_axis(pd.DatetimeIndex(rep.index)), pub], axis=1, join="inner").dropna()
    levels.columns = ["replica", "published"]
    rolls = [d for d in levels.index if calendars.vx_settlement_date(d.year, d.month) == d.date()]
    period = levels.loc[rolls].pct_change().dropna()
    gap = (period["replica"] - period["published"]) * 100.0
    worst = gap.abs().idxmax() if len(gap) else None
    daily = levels.pct_change().dropna()
    years = levels.groupby(levels.index.year).last()
    years = pd.concat([levels.iloc[:1].set_axis([levels.index[0].year - 1]), years]).pct_change().dropna()
    return {"days": int(len(levels)), "periods": int(len(gap)),
            "rmse_points": float(np.sqrt(np.mean(gap ** 2))), "mean_points": float(gap.mean()),
            "median_abs_points": float(gap.abs().median()),
            "largest": None if worst is None else {"ends": str(worst.date()), "points": float(gap[worst])},
            "daily_te": float((daily["replica"] - daily["published"]).std(ddof=1) * np.sqrt(252.0)),
            "total_replica": float(levels["replica"].iloc[-1] / levels["replica"].iloc[0] - 1.0),
            "total_published": float(levels["published"].iloc[-1] / levels["published"].iloc[0] - 1.0),
            "years": {int(y): float(100.0 * (r["replica"] - r["published"])) for y, r in years.iterrows()}}


def tracking_line(name: str, t: dict) -> str:
    """One line of the command's output: a smile's tracking of the published index."""
    from vixhedge.fmt import num, pct

    big = t["largest"]
    periods = (f"{t['periods']} roll periods, replica minus published RMSE {num(t['rmse_points'])} points (median "
               f"|gap| {num(t['median_abs_points'], 3)}, mean {num(t['mean_points'], 3, signed=True)}, largest "
               f"{num(big['points'], 2, signed=True)} in the period ending {big['ends']})" if big else
               "no whole roll period in the window")
    return (f"{name}: daily tracking error {pct(t['daily_te'])}/yr; {periods}; total return "
            f"{pct(t['total_replica'], 1)} against {pct(t['total_published'], 1)}")
