"""SPX implied-vol surface per day from Cboe's volatility indices and SKEW, fitted on the real chains (calibration).

ATM term structure of a day. Cboe's VIX9D, VIX, VIX3M, VIX6M and VIX1Y are 30-day-style variance measures at
9, 30, 93, 183 and 365 days. Their levels are interpolated linearly in ``ln T`` (flat outside the nodes):
``I(T)`` below is that interpolated level. (Total variance linear in ``T`` put ATM vol 0.2-0.3 vol points
high at 40-75 days, between the VIX and VIX3M nodes, on every 2019 day.) The indices integrate the whole smile
(the variance-swap rate), so they sit above ATM vol by a share that grows with the skew of the day, read from
Cboe's SKEW (``SKEW = 100 - 10 S``, ``S`` the risk-neutral skewness of 30-day S&P 500 log returns; Cboe, "SKEW
index" white paper, 2010)::

    g = (SKEW - 100) / 10                                    (-S: 0 for a symmetric distribution)
    sigma_atm(T) = I(T) * (1 / sqrt(1 + c g) + a1 ln(T / 30d))

so a symmetric smile (SKEW 100) has its index equal to ATM vol, and a fatter left tail puts more of the index's
variance in the wing (``c`` fitted). Smile, with ``z = ln(K/F) / (sigma_atm sqrt T)`` and ``L = ln(T / 30d)``::

    sigma(K) = sigma_atm * max(0.5, 1 + (s_p + s_g (g - 2.5)) z + q_p z^2)                  (z < 0, puts)
               sigma_atm * max(0.5, 1 + (s_c + s_c1 L) z + (q_c + q_c1 L) z^2)              (z >= 0, calls)

within ``-6 <= z <= 1.7``. Below ``z = -6`` the put wing goes on along its tangent at -6 (the 2017 EOD samples'
puts at z -5 .. -24 were 11 vol points above a flat wing). Above ``z = 1.7`` (the farthest 2019 call fitted,
5 delta) the call wing stays flat: the fitted quadratic turns up from ``z ~ 1``; carried on to ``z = 6`` (the
rule before) it priced calls 20% out of the money at 60 days about twice ATM vol, and with this version's tenor
terms it put the default condor's 5-delta long call 250 points out (the condor expiring 2014-06-20: 2235 instead of 1985).
``s_p`` is the put slope at SKEW 125; the call slope and curvature change with maturity (``s_c1``, ``q_c1``:
short-dated calls fall faster from ATM and curve less). The Gram-Charlier
smile of Backus, Foresi and Wu (2004, "Accounting for biases in Black-Scholes") has
``sigma(z) ~ sigma (1 + (S/6) z + ...)`` (``S`` < 0): a slope that steepens by 1/6 per unit of ``g``; ``s_g`` is
fitted within ``[-1, 0]`` (that sign). Without the indices (the embedded market has VIX only)
each of them, SKEW included, is estimated from VIX and its recent average by a relation fitted on their common
daily history::

    ln(I_n / VIX) = c_n + d_n ln VIX + e_n ln(A / VIX),     A = EMA of the VIX closes over 20 days

(the term structure steepens after VIX falls below its recent average and inverts after a spike; ``A`` = VIX where
no average is known, e.g. a single day's chain). SKEW barely follows VIX but drifts over the years (yearly means
112-122 in 1990-2013, 128-135 in 2014-2018), so its ``c`` moves with time: ``c + o(t)``, ``o`` linear in time
between knots on July 1 of each year, flat outside them, fitted with ``d`` and ``e`` (:func:`fit_index_relations`,
:func:`skew_offsets`; a day without a date, e.g. a single chain, takes ``o = 0``: the knots' mean).

The 2019 sample chains are intraday snapshots at an unknown hour while the indices are closes: each snapshot is
fitted at the index levels the Market prices it at (:func:`feeds.snapshot_level.market_levels`), Cboe's formula on
its own quotes away from the close and the closes on a snapshot taken at the close (SKEW the close's on every day).
Fitted by robust least squares (soft L1, scale 0.3 vol points: the targets are medians, and one expiry's event
premium should not pull the whole surface) on the OTM quotes of the 2019 sample
(:func:`feeds.calibrate.smile_observations`); report in :mod:`feeds.surfacereport`.
The Market prices SPX chains on this surface (``market.spx_smile.model = "surface"``, the default; feeds.chains).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from vixhedge.core.signals import ema

NODES = ("VIX9D", "VIX", "VIX3M", "VIX6M", "VIX1Y")
LEVELS = (*NODES, "SKEW")  # the columns of a day's index levels
ESTIMATED = tuple(n for n in LEVELS if n != "VIX")  # estimated from VIX where absent, in index_relations order
NODE_DAYS = np.array([9.0, 30.0, 93.0, 183.0, 365.0])
PARAMS = ("atm_ratio_per_log_tenor", "put_skew", "put_skew_per_skewness", "put_curvature", "call_skew",
          "call_curvature", "index_wing_variance", "call_skew_per_log_tenor", "call_curvature_per_log_tenor")
START = (0.0, -0.3, -0.01, 0.0, -0.25, 0.02, 0.3, 0.0, 0.0)
LOWER = (-1.0, -2.0, -1.0, -1.0, -2.0, -1.0, 0.0, -1.0, -1.0)
UPPER = (1.0, 0.0, 0.0, 1.0, 1.0, 1.0, 10.0, 1.0, 1.0)
REFERENCE_SKEWNESS = 2.5  # g of SKEW 125, where put_skew applies
FLOOR = 0.5  # the chains' min_vol_fraction
AVERAGE_PERIOD = 20  # VIX closes in the EMA A of the index relations
EDGE = 6.0  # below z = -EDGE the put wing goes on along its tangent at -EDGE
CALL_EDGE = 1.7  # above it the call wing is flat: the 2019 calls fitted reach z = 1.67 (5 delta)


def index_skewness(skew_index: np.ndarray) -> np.ndarray:
    """Return ``g = (SKEW - 100) / 10``: minus the risk-neutral skewness Cboe's SKEW index states."""
    return (np.asarray(skew_index, dtype=float) - 100.0) / 10.0


def vix_average(vix: np.ndarray) -> np.ndarray:
    """Return ``A``, the EMA of the VIX closes over ``AVERAGE_PERIOD`` days (NaN during its warm-up)."""
    return ema(np.asarray(vix, dtype=float), AVERAGE_PERIOD)


def fit_index_relations(indices: pd.DataFrame, skew_years: np.ndarray | None = None
                        ) -> tuple[dict[str, tuple[float, float, float]], dict[int, float]]:
    """Return ``(c, d, e)`` of ``ln(I/VIX) = c + d ln VIX + e ln(A/VIX)`` per index of ``ESTIMATED`` and SKEW's
    level by year, least squares on the days both are quoted and ``A`` is known (``indices``: one row per VIX close,
    dated). SKEW's ``c`` is a level linear in time between knots on July 1 of ``skew_years`` (default: every year
    from the first SKEW close to the last), fitted with ``d`` and ``e``; its ``c`` is the knots' mean and the year
    table their offsets from it (ln SKEW)."""
    vix = indices["VIX"].to_numpy(dtype=float)
    avg = vix_average(vix)
    out, by_year = {}, {}
    for name in ESTIMATED:
        y = indices[name].to_numpy(dtype=float)
        ok = np.isfinite(y) & np.isfinite(avg)
        drivers = [np.log(vix[ok]), np.log(avg[ok] / vix[ok])]
        if name != "SKEW":
            c, d, e = np.linalg.lstsq(np.column_stack([np.ones(ok.sum()), *drivers]), np.log(y[ok] / vix[ok]),
                                      rcond=None)[0]
        else:
            days = indices.index[ok]
            years = np.arange(days.year.min(), days.year.max() + 1) if skew_years is None else np.asarray(skew_years)
            hats = np.column_stack([skew_offsets(days, years, np.eye(len(years))[j]) for j in range(len(years))])
            *knots, d, e = np.linalg.lstsq(np.column_stack([hats, *drivers]), np.log(y[ok] / vix[ok]), rcond=None)[0]
            c = round(float(np.mean(knots)), 4)
            by_year = {int(yr): round(float(k - c), 4) for yr, k in zip(years, knots)}
        out[name] = (round(float(c), 4), round(float(d), 4), round(float(e), 4))
    return out, by_year


def skew_offsets(dates: pd.DatetimeIndex, years: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Return each date's SKEW level offset (ln SKEW): linear in time between knots on July 1 of ``years``, flat
    before the first and after the last (0 without knots)."""
    if not len(years):
        return np.zeros(len(dates))
    knots = pd.to_datetime([f"{int(y)}-07-01" for y in years]).as_unit("ns").asi8.astype(float)
    return np.interp(pd.DatetimeIndex(dates).as_unit("ns").asi8.astype(float), knots, np.asarray(offsets, float))


def indices_from_vix(vix: np.ndarray, relations: dict[str, tuple[float, float, float]],
                     average: np.ndarray | None = None, skew_offset: np.ndarray | None = None) -> np.ndarray:
    """Return the estimated index levels (columns ``LEVELS``) of each VIX close and its EMA ``average``
    (None or NaN: taken as VIX itself, the average's term drops); SKEW moved by ``skew_offset`` (ln SKEW, per
    day; None: 0, the relation's level averaged over the years)."""
    vix = np.asarray(vix, dtype=float)
    a = vix if average is None else np.where(np.isfinite(average), average, vix)
    cols = [vix if n == "VIX" else vix * np.exp(relations[n][0] + relations[n][1] * np.log(vix)
                                                + relations[n][2] * np.log(a / vix)) for n in LEVELS]
    if skew_offset is not None:
        cols[-1] = cols[-1] * np.exp(skew_offset)
    return np.column_stack(cols)


def daily_levels(vix_close: np.ndarray, relations: dict[str, tuple[float, float, float]],
                 real: np.ndarray | None = None, skew_offset: np.ndarray | None = None) -> np.ndarray:
    """Return each day's index levels (``LEVELS`` columns) of a daily VIX close history: ``real`` where given
    (finite), else estimated from the day's VIX and its EMA (SKEW moved by the day's ``skew_offset``); a day missing
    inside an index's published span (SKEW on 2017-09-14) takes the estimate moved by the last published close's
    gap to its own estimate, so the level neither jumps to the estimate for a day and back nor reads a later close."""
    est = indices_from_vix(vix_close, relations, vix_average(vix_close), skew_offset)
    if real is None:
        return est
    out = np.where(np.isfinite(real), real, est)
    days = np.arange(len(real))
    for k in range(real.shape[1]):
        ok = np.isfinite(real[:, k])
        if not ok.any():
            continue
        last = np.maximum.accumulate(np.where(ok, days, -1))  # the last published day up to each day
        hole = ~ok & (last >= 0) & (days < days[ok][-1])
        out[hole, k] = est[hole, k] + (real[last[hole], k] - est[last[hole], k])
    return out


def atm_base(t_years: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """Return ``I(T)``: each row's index levels (``NODES`` columns, percent) at its tenor, linear in ln T, as a
    fraction."""
    nodes = np.log(NODE_DAYS / 365.0)
    levels = levels[:, :len(NODES)] / 100.0
    lt = np.log(t_years)
    out = np.empty(len(t_years))
    for i, x in enumerate(lt):
        ok = np.isfinite(levels[i])
        out[i] = np.interp(x, nodes[ok], levels[i][ok])  # flat outside the nodes
    return out


def atm_ratio(p, t_years: np.ndarray, skewness: np.ndarray) -> np.ndarray:
    """Return ATM vol / ``I(T)``: ``1 / sqrt(1 + c g) + a1 ln(T / 30d)``."""
    return 1.0 / np.sqrt(1.0 + p[6] * skewness) + p[0] * _log_tenor(t_years)


def _log_tenor(t_years):
    return np.log(t_years / (30.0 / 365.0))


def surface_vol(p, t_years: np.ndarray, log_moneyness: np.ndarray, base: np.ndarray,
                skewness: np.ndarray) -> np.ndarray:
    """Return the model vol of each quote (``p`` in ``PARAMS`` order; module docstring)."""
    atm = base * atm_ratio(p, t_years, skewness)
    z = log_moneyness / (atm * np.sqrt(t_years))
    return atm * np.maximum(FLOOR, smile_shape(p, z, skewness, t_years))


def smile_shape(p, z: np.ndarray, skewness, t_years) -> np.ndarray:
    """Return ``sigma / sigma_atm`` before the floor at standardised moneyness ``z`` (module docstring).

    Quadratic in ``z`` within ``-EDGE <= z <= CALL_EDGE``; below ``-EDGE`` the put wing goes on along its tangent,
    above ``CALL_EDGE`` the call wing stays flat.
    """
    _, sp, sg, qp, sc, qc, _, sc1, qc1 = p
    z = np.asarray(z, dtype=float)
    zc = np.clip(z, -EDGE, CALL_EDGE)
    put = zc < 0
    lt = _log_tenor(t_years)
    slope = np.where(put, sp + sg * (skewness - REFERENCE_SKEWNESS), sc + sc1 * lt)
    curv = np.where(put, qp, qc + qc1 * lt)
    wing = np.minimum(z + EDGE, 0.0) * (slope + 2.0 * curv * zc)  # beyond -EDGE: the tangent at -EDGE
    return 1.0 + slope * zc + curv * zc * zc + wing


def quote_errors(p, obs: dict) -> np.ndarray:
    """Model - market in vol points, every quote of ``obs`` (keys t, k, iv, base, skewness)."""
    return (surface_vol(p, obs["t"], obs["k"], obs["base"], obs["skewness"]) - obs["iv"]) * 100.0


def fit(obs: dict, sel: np.ndarray, fixed: dict[str, float] | None = None) -> np.ndarray:
    """Return the robust least-squares ``PARAMS`` (soft L1, scale 0.3 vol points) on the quotes ``sel`` of ``obs``,
    those named in ``fixed`` held."""
    from scipy.optimize import least_squares  # the calibration only: a run does not import the optimiser

    fixed = fixed or {}
    free = np.array([n not in fixed for n in PARAMS])
    full = np.array([fixed.get(n, s) for n, s in zip(PARAMS, START)])

    def params(x: np.ndarray) -> np.ndarray:
        out = full.copy()
        out[free] = x
        return out

    res = least_squares(lambda x: quote_errors(params(x), obs)[sel], full[free],
                        bounds=(np.array(LOWER)[free], np.array(UPPER)[free]), loss="soft_l1", f_scale=0.3)
    return params(res.x)
