"""VX plausibility screens (rules and limits: :mod:`feeds.loaders.plausible`).

:func:`file_reasons` runs inside the VX loaders on one file (range, settle vs close, jumps judged
against the file's other contracts); :func:`screen_panel` runs on a data directory's merged panel
with the VIX history (scale against VIX, jumps judged against VIX and the other contracts, lag).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from feeds.loaders._table import BadRow, as_date
from feeds.loaders.plausible import (DEFAULT, Rules, VxRules, jump_flags, median_reasons, range_reasons,
                                     shift_words)
from vixhedge.fmt import pct

__all__ = ["file_reasons", "screen_panel"]

_X10 = ": looks quoted x10 (the x10 convention applies only to VX before 2007-03-26 and is undone by the loader)"

_MIN_LAG_MOVES = 20


def file_reasons(cols: dict[str, np.ndarray], candidates: np.ndarray, rules: Rules = DEFAULT) -> np.ndarray:
    """Return a reason per row of one VX file ("" when plausible); ``candidates`` are the rows judged."""
    r = rules.vx
    settle, close = cols["settle"], cols["close"]
    out = np.full(len(settle), "", dtype=object)
    use = np.flatnonzero(candidates)
    out[use] = range_reasons(settle[use], r.low, r.high, "VX settle", _X10)
    expiries, which = np.unique(cols["expiry"][use], return_inverse=True)
    by_expiry = np.split(use[np.argsort(which, kind="stable")], np.cumsum(np.bincount(which))[:-1])
    for e, rows in zip(expiries, by_expiry):  # a file (or a contract of a consolidated file) scaled as a whole
        name = f"contract {cols['contract'][rows[0]]} (expiring {str(e)[:10]})" if "contract" in cols else \
            f"the contract expiring {str(e)[:10]}"
        med = median_reasons(settle[rows], r.median, "VX settle", _X10, name)
        out[rows] = np.where(med != "", med, out[rows])
    with np.errstate(invalid="ignore"):
        gap = np.abs(settle - close)
        apart = candidates & (out == "") & (gap > r.settle_close_points) & (gap > r.settle_close_share * settle)
    for i in np.flatnonzero(apart):
        out[i] = (f"implausible VX close {close[i]:g} against settle {settle[i]:g}: apart by more than "
                  f"{r.settle_close_points:g} points and {pct(r.settle_close_share, 0)} of the settle")
    ok = np.flatnonzero(candidates & (out == ""))
    for k, why in _jumps(cols["expiry"][ok], cols["trade_date"][ok], settle[ok], r, r.alone_jump_log, None):
        out[ok[k]] = why
    return out


def _neighbour_explain(days: np.ndarray, r: VxRules):
    """Return explain(prev, cur, move) by the median move of the other contracts on the same day."""

    def explain(all_moves: pd.DataFrame, cur: np.ndarray, m: np.ndarray) -> np.ndarray:
        grp = all_moves.groupby("day")["move"]
        med, cnt = grp.median(), grp.count()
        d = pd.Index(days[cur])
        enough = cnt.reindex(d).fillna(0).to_numpy() > r.min_neighbours
        return enough & (np.abs(m - med.reindex(d).to_numpy()) <= r.explained_log)

    return explain


def _jumps(expiry: np.ndarray, days: np.ndarray, settle: np.ndarray, r: VxRules, limit: float,
           vix_log: pd.Series | None) -> list[tuple[int, str]]:
    """Return (row, reason) of unexplained jumps; rows in any order (sorted here by contract, day)."""
    if len(settle) < 2:
        return []
    order = np.lexsort((days, expiry))
    e, d, s = expiry[order], days[order], settle[order]
    logs = np.log(np.where(s > 0, s, np.nan))
    same = np.r_[False, (e[1:] == e[:-1]) & ((d[1:] - d[:-1]).astype(np.int64) <= r.max_gap_days)]
    all_moves = pd.DataFrame({"day": d[same], "move": (logs[1:] - logs[:-1])[same[1:]]})
    by_neighbours = _neighbour_explain(d, r)

    def explain(prev: np.ndarray, cur: np.ndarray, m: np.ndarray) -> np.ndarray:
        ok = by_neighbours(all_moves, cur, m)
        if vix_log is not None:
            vm = vix_log.reindex(pd.Index(d[cur])).to_numpy() - vix_log.reindex(pd.Index(d[prev])).to_numpy()
            ok |= np.abs(m - vm) <= r.explained_log
        return ok

    flagged, moves, block = jump_flags(e, d, s, limit, r.max_gap_days, explain)
    what = "VIX or the other contracts" if vix_log is not None else "the file's other contracts"
    return [(int(order[k]), f"implausible VX settle {s[k]:g}: {shift_words(d, moves[k], block[k], limit, what)}")
            for k in np.flatnonzero(flagged)]


def screen_panel(rows: pd.DataFrame, vix_dates: pd.DatetimeIndex, vix_close: np.ndarray,
                 rules: Rules = DEFAULT) -> tuple[np.ndarray, list[BadRow], dict[dt.date, float]]:
    """Return (rows kept mask, bad rows) of a merged VX panel checked against VIX closes, and the days on which the
    VIX close is the outlier (:func:`_vix_outlier_days`), each with its VX settles' median ratio to it: the caller
    rejects those VIX rows (:func:`feeds.directory.load_directory`; trial DF26: VIX x8 from a day to the file's end
    was used from the day after its first row, flagged by VIX's own screen, on)."""
    r = rules.vx
    n = len(rows)
    if n == 0:
        return np.ones(0, dtype=bool), [], {}
    vix = pd.Series(vix_close, index=vix_dates)
    days = rows["trade_date"].to_numpy().astype("datetime64[D]")
    settle = rows["settle"].to_numpy(dtype=float)
    on_day = vix.reindex(pd.DatetimeIndex(days)).to_numpy()
    reasons = np.full(n, "", dtype=object)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = settle / on_day
    lo, hi = r.vix_ratio
    off = np.isfinite(ratio) & ((ratio < lo) | (ratio > hi))
    vix_wrong = _vix_outlier_days(days, rows["expiry"].to_numpy().astype("datetime64[D]"), settle, ratio, r)
    off &= ~np.isin(days, vix_wrong)  # the VIX close is the outlier those days: the VX settles are not blamed
    for i in np.flatnonzero(off):
        hint = _X10 if 5 <= ratio[i] <= 20 else ": looks divided by 10 twice" if 0.05 <= ratio[i] <= 0.2 else ""
        reasons[i] = (f"implausible VX settle {settle[i]:g}: {ratio[i]:.3g}x the VIX close {on_day[i]:g} "
                      f"(allowed {lo:g}..{hi:g}x){hint}")
    ok = np.flatnonzero(reasons == "")
    vix_log = pd.Series(np.log(vix_close), index=pd.DatetimeIndex(vix_dates).values.astype("datetime64[D]"))
    vix_log[vix_log.index.isin(vix_wrong)] = np.nan  # a wrong VIX move explains no VX move
    expiry = rows["expiry"].to_numpy().astype("datetime64[D]")
    for k, why in _jumps(expiry[ok], days[ok], settle[ok], r, r.jump_log, vix_log):
        reasons[ok[k]] = why
    for i, why in _lagged(expiry, days, settle, reasons == "", vix_log, r):
        reasons[i] = why
    keep = reasons == ""
    file, line = rows["file"].to_numpy(), rows["line"].to_numpy()
    wrong = np.isin(days, vix_wrong) & np.isfinite(ratio)
    medians = pd.Series(ratio[wrong], index=days[wrong]).groupby(level=0).median()
    return keep, [BadRow(str(file[i]), int(line[i]), str(reasons[i]), as_date(days[i])) for i in np.flatnonzero(~keep)
                  ], {as_date(d): float(q) for d, q in medians.items()}


def _vix_outlier_days(days: np.ndarray, expiry: np.ndarray, settle: np.ndarray, ratio: np.ndarray,
                      r: VxRules) -> np.ndarray:
    """Return the days on which the VIX close, not the VX settles, is the outlier.

    A day is off when the median ratio of its VX settles to the VIX close lies outside ``vix_ratio`` (two contracts at
    least: the VX contracts are independent quotes of the VX market, the VIX close one number). A run of off days is
    VIX's fault when, on either edge of the run, VIX moved (into or out of it) by more than ``jump_log`` while the
    median VX contract moved by less than half that: VIX shifted (e.g. a block keyed x10 that its own screen did not
    catch), VX did not. A VX file scaled on those days (every contract x10) moves itself and stays blamed.
    """
    frame = pd.DataFrame({"d": days, "e": expiry, "s": np.log(np.where(settle > 0, settle, np.nan)), "q": ratio})
    frame = frame[np.isfinite(frame["s"]) & np.isfinite(frame["q"])]
    if frame.empty:
        return np.zeros(0, dtype="datetime64[D]")
    lo, hi = r.vix_ratio
    per_day = frame.groupby("d")["q"].agg(["median", "count"])
    bad = ((per_day["median"] < lo) | (per_day["median"] > hi)) & (per_day["count"] >= 2)
    if not bad.any():
        return np.zeros(0, dtype="datetime64[D]")
    d = per_day.index.to_numpy().astype("datetime64[D]")
    vix = frame.groupby("d")["s"].first() - np.log(frame.groupby("d")["q"].first())  # log VIX close per day
    settles = frame.pivot_table(index="d", columns="e", values="s", aggfunc="first")
    flag = bad.to_numpy()
    out: list[np.ndarray] = []
    edges = np.flatnonzero(np.diff(np.r_[0, flag.astype(int), 0]))
    for start, stop in zip(edges[::2], edges[1::2]):  # the off days d[start:stop]
        pairs = [(start - 1, start)] if start > 0 else []
        pairs += [(stop - 1, stop)] if stop < len(d) else []
        for a, b in pairs:
            if (d[b] - d[a]).astype(np.int64) > r.max_gap_days:
                continue
            vix_move = vix.iloc[b] - vix.iloc[a]
            vx_move = float(np.nanmedian((settles.iloc[b] - settles.iloc[a]).to_numpy())) \
                if (settles.iloc[b].notna() & settles.iloc[a].notna()).any() else np.nan
            if abs(vix_move) > r.jump_log and np.isfinite(vx_move) and abs(vx_move) < abs(vix_move) / 2:
                out.append(d[start:stop])
                break
    return np.concatenate(out) if out else np.zeros(0, dtype="datetime64[D]")


def _lagged(expiry: np.ndarray, days: np.ndarray, settle: np.ndarray, use: np.ndarray, vix_log: pd.Series,
            r: VxRules) -> list[tuple[int, str]]:
    """Return (row, reason) for every row of a contract whose moves follow VIX's a day late."""
    idx = np.flatnonzero(use)
    frame = pd.DataFrame({"e": expiry[idx], "d": days[idx], "s": np.log(settle[idx]), "i": idx})
    frame = frame.sort_values(["e", "d"], kind="stable")
    frame["v"] = vix_log.reindex(pd.Index(frame["d"].to_numpy())).to_numpy()
    g = frame.groupby("e", sort=False)
    frame["m"] = g["s"].diff()
    frame["vm"] = g["v"].diff()
    frame["vm_lag"] = g["vm"].shift()
    frame = frame.dropna(subset=["m", "vm", "vm_lag"])
    out: list[tuple[int, str]] = []
    for e, grp in frame.groupby("e", sort=False):
        if len(grp) < _MIN_LAG_MOVES or grp["m"].std() == 0:
            continue
        c0, c1 = grp["m"].corr(grp["vm"]), grp["m"].corr(grp["vm_lag"])
        if c1 > 0.5 and c1 > c0 + r.lag_corr_margin:
            all_rows = idx[expiry[idx] == e]
            out += [(int(i), f"implausible VX settles of the contract expiring {e}: they follow VIX a day late "
                             f"(correlation of daily moves {c0:.2f} same day, {c1:.2f} one day later): shifted by "
                             "a day?") for i in all_rows]
    return out
