"""Where a hedge P&L gap between the modelled and the real VX curve comes from, measured three ways.

Used by ``python -m vixhedge.model_vs_real`` (its last three tables); every function takes two Markets that differ
only in their VX curve (the directory market and the same data with the curve modelled from spot VIX).

* **Pricing vs schedule** (:func:`split`). A run's schedule is its VX fills (day, contract, quantity). Each
  schedule is repriced on both curves (:func:`schedule_pnl`: fills at that curve's bid/ask, a settlement-day fill
  at its settlement price, open contracts marked at the last day's price), giving a 2 x 2 table. *Pricing* is the
  same fills on the modelled minus the real curve; *schedule* is the modelled run's fills minus the real run's on
  one curve; each is averaged over the two orders (the halves are printed too), so pricing + schedule = gap.
* **Noise floor** (:func:`noise_floor`). The same config on a curve plus independent N(0, sigma) on every price
  (seeded, ``sigma`` a fraction of a VX tick): how far the hedge P&L moves when the curve moves by an amount no
  model can claim to reproduce. With ``rho`` the noise is one AR(1) shift of the whole curve a day; shaped like the
  modelled curve's own error (:func:`error_shape`: its sd and lag-1 autocorrelation on the MACD's series) and added
  to the real curve, it says what any curve as wrong as the model, but unbiased, gives.
* **Other windows** (:func:`windows`): the gap in other periods of the real data, same config.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io

import numpy as np
import pandas as pd

from feeds.market import Market
from feeds.marketquotes import vx_bid_ask
from vixhedge.core import config as C
from vixhedge.fmt import pct, usd_k
from vixhedge.run import RunResult, run_backtest

VX_MULTIPLIER = 1000.0  # USD per VX point (CFE contract specification)
WINDOWS = (("2004-06-01", "2008-12-31"), ("2009-01-02", "2013-12-31"), tuple(d.isoformat() for d in C.DEFAULT_WINDOW),
           ("2019-01-02", "2024-12-31"))  # the real VX files: 2004-03-26 .. 2025-03-19


def run_quietly(cfg: C.Config, market: Market) -> RunResult:
    """Run ``cfg`` on ``market`` with the fast engine, without the per-run notes on stderr."""
    with contextlib.redirect_stderr(io.StringIO()):
        return run_backtest(cfg, market, engine="fast")


def schedule_pnl(trades: pd.DataFrame, market: Market, last_day: pd.Timestamp) -> float:
    """Return the P&L (USD, fees excluded like ``hedge_pnl_usd``) of ``trades``' VX fills priced on ``market``'s curve."""
    vx = trades[trades["kind"] == "vx_future"]
    cash, held = 0.0, {}
    spread = market.cfg.spreads.vx_future
    for day, qty, expiry in zip(vx.index, vx["qty"].to_numpy(), pd.to_datetime(vx["expiry"])):
        i, j = market.index_of(day), market.vx.column(expiry.date())
        mid = float(market.vx.prices[i, j])
        if day.date() == expiry.date():  # the settlement price: VRO (real) or its proxy (model)
            price = mid
        else:
            bid, ask = vx_bid_ask(mid, spread)
            price = ask if qty > 0 else bid
        cash -= qty * price * VX_MULTIPLIER
        held[j] = held.get(j, 0) + qty
    last = market.index_of(last_day)
    return cash + sum(q * float(market.vx.prices[last, j]) * VX_MULTIPLIER for j, q in held.items() if q)


@dataclasses.dataclass(frozen=True)
class Split:
    """Hedge P&L of each run's VX schedule on each curve (``pnl[(schedule, curve)]``, USD)."""

    pnl: dict[tuple[str, str], float]

    @property
    def gap(self) -> float:
        return self.pnl["model", "model"] - self.pnl["real", "real"]

    def pricing(self, schedule: str) -> float:
        """The ``schedule`` run's fills on the modelled curve minus on the real one."""
        return self.pnl[schedule, "model"] - self.pnl[schedule, "real"]

    def schedule(self, curve: str) -> float:
        """On ``curve``: the modelled run's fills minus the real run's."""
        return self.pnl["model", curve] - self.pnl["real", curve]


def split(cfg: C.Config, real: Market, model: Market) -> Split:
    """Return the 2 x 2 table of :class:`Split` for ``cfg`` (its window and hedge mode) on the two curves."""
    runs = {"real": run_quietly(cfg, real), "model": run_quietly(cfg, model)}
    last = runs["real"].daily.index[-1]
    return Split({(s, c): schedule_pnl(runs[s].trades, m, last) for s in runs for c, m in (("real", real),
                                                                                           ("model", model))})


def ar1_path(n: int, sigma: float, rho: float, rng: np.random.Generator) -> np.ndarray:
    """Return a stationary AR(1) path of ``n`` steps: sd ``sigma``, lag-1 autocorrelation ``rho``."""
    shocks = rng.normal(0.0, sigma * np.sqrt(1.0 - rho * rho), n)
    out = np.empty(n)
    level = rng.normal(0.0, sigma)
    for t in range(n):
        level = level if t == 0 else rho * level + shocks[t]
        out[t] = level
    return out


def with_noise(market: Market, sigma: float, seed: int, rho: float | None = None) -> Market:
    """Return ``market`` with seeded noise on every VX price (the same data otherwise): N(0, ``sigma``) on each
    price, or with ``rho`` one AR(1) shift per day for the whole curve (sd ``sigma``, lag-1 autocorrelation ``rho``)."""
    noisy = Market(market.data, market.cfg, vx_panel=market.vx_panel, options=market.options,
                   rate_series=market.rate_series, vol_indices=market.vol_indices).share_spx_chains(market)
    rng = np.random.default_rng(seed)
    shape = market.vx.prices.shape
    shift = rng.normal(0.0, sigma, shape) if rho is None else ar1_path(shape[0], sigma, rho, rng)[:, None]
    noisy.vx = dataclasses.replace(market.vx, prices=market.vx.prices + shift)
    return noisy


def noise_floor(cfg: C.Config, market: Market, sigma: float, seeds: int, rho: float | None = None) -> np.ndarray:
    """Return the hedge P&L of ``cfg`` on ``market``'s curve plus :func:`with_noise`'s noise, one run per seed."""
    return np.array([run_quietly(cfg, with_noise(market, sigma, s, rho)).metrics["pnl"]["hedge_pnl_usd"]
                     for s in range(seeds)])


def error_shape(cfg: C.Config, real: Market, model: Market) -> tuple[float, float]:
    """Return the sd and lag-1 autocorrelation of the modelled minus the real curve on the series the MACD reads
    (``cfg.hedge.macd.series``), over ``cfg``'s window."""
    i0, i1 = real.index_of(cfg.run.start), real.index_of(cfg.run.end)
    series = cfg.hedge.macd.series
    e = (model.vx_series(series) - real.vx_series(series))[i0:i1 + 1]
    e = e[np.isfinite(e)]
    if not e.std() > 0:  # identical curves: no error, no autocorrelation to read
        return 0.0, 0.0
    return float(e.std()), float(np.corrcoef(e[1:], e[:-1])[0, 1])


def windows(cfg: C.Config, real: Market, model: Market) -> list[tuple[str, Split, tuple[float, float]]]:
    """Return, per window of :data:`WINDOWS`, the alvh :class:`Split` and static's hedge P&L on (real, modelled)."""
    out = []
    for start, end in WINDOWS:
        c = C.replace(cfg, run={"start": start, "end": end})
        static = tuple(run_quietly(C.replace(c, hedge={"mode": "static"}), m).metrics["pnl"]["hedge_pnl_usd"]
                       for m in (real, model))
        out.append((f"{start[:7]} .. {end[:7]}", split(C.replace(c, hedge={"mode": "alvh"}), real, model), static))
    return out


def _k(usd: float) -> str:
    return usd_k(usd, signed=True)  # the sign of a gap or a shift, "+" too


def split_report(s: Split) -> str:
    """Return the Markdown table of a :class:`Split`."""
    p = s.pnl
    return "\n".join([
        "| VX fills of | on the real curve | on the modelled curve | pricing (modelled - real curve) |",
        "|---|---|---|---|",
        f"| the real run | {_k(p['real', 'real'])} | {_k(p['real', 'model'])} | {_k(s.pricing('real'))} |",
        f"| the modelled run | {_k(p['model', 'real'])} | {_k(p['model', 'model'])} | {_k(s.pricing('model'))} |",
        f"| schedule (modelled - real run) | {_k(s.schedule('real'))} | {_k(s.schedule('model'))} | |",
        "",
        f"Gap {_k(s.gap)} = pricing {_k((s.pricing('real') + s.pricing('model')) / 2)} + schedule "
        f"{_k((s.schedule('real') + s.schedule('model')) / 2)} (each the mean of its two orders)."])


def noise_report(base: dict[str, float], floors: dict[str, np.ndarray], sigma: float) -> str:
    """Return the Markdown table of :func:`noise_floor` on each curve (``base``: the P&L without noise)."""
    lines = [f"| run | hedge P&L | + N(0, {sigma:g}) on every price: mean | sd | min .. max | runs |",
             "|---|---|---|---|---|---|"]
    for name, x in floors.items():
        lines.append(f"| {name} | {_k(base[name])} | {_k(x.mean())} | {usd_k(x.std(ddof=1))} | "
                     f"{_k(x.min())} .. {_k(x.max())} | {len(x)} |")
    return "\n".join(lines)


def shaped_noise_report(real_pnl: float, floors: dict[str, np.ndarray], target: float = 0.2) -> str:
    """Return the Markdown table of the real curve plus curve errors shaped like the model's (``floors``: label ->
    hedge P&L per seed): mean, sd, range and how many runs land within ``target`` of ``real_pnl``."""
    lines = ["| real curve + one AR(1) shift a day | hedge P&L: mean | sd | min .. max | "
             f"runs within {pct(target, 0)} of {_k(real_pnl)} |", "|---|---|---|---|---|"]
    for name, x in floors.items():
        near = int((np.abs(x - real_pnl) <= target * abs(real_pnl)).sum())
        lines.append(f"| {name} | {_k(x.mean())} | {usd_k(x.std(ddof=1))} | {_k(x.min())} .. {_k(x.max())} | "
                     f"{near} of {len(x)} |")
    return "\n".join(lines)


def windows_report(rows: list[tuple[str, Split, tuple[float, float]]]) -> str:
    """Return the Markdown table of :func:`windows`."""
    lines = ["| window | ALVH: real curve | modelled | gap | = pricing | + schedule | static: real curve | modelled | gap |",
             "|---|---|---|---|---|---|---|---|---|"]
    for name, s, (a, b) in rows:
        cells = (s.pnl["real", "real"], s.pnl["model", "model"], s.gap, (s.pricing("real") + s.pricing("model")) / 2,
                 (s.schedule("real") + s.schedule("model")) / 2, a, b, b - a)
        lines.append(f"| {name} | " + " | ".join(_k(x) for x in cells) + " |")
    return "\n".join(lines)
