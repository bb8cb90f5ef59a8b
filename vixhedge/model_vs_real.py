"""The same config on the modelled market and on real data: does the conclusion depend on the data source?

    python -m vixhedge.model_vs_real --data-dir ../shared/data [--start 2014-03-03] [--end 2018-12-31] [--config FILE]

Runs ``vixhedge compare`` (none / static / alvh, the default paired bootstrap) on the embedded market (VX curve
modelled from spot VIX) and on the directory market (real VX settles, short rates and vol indices; SPX options
modelled on both) and prints, as Markdown: the hedge and condor P&L of each mode, how far apart they are, the
daily-change beta to VIX of the VX series the MACD reads (and of the front and second month), and every paired
difference with its CI on both markets and whether the signs agree; the hedge P&L again with the embedded
market's VX curve fitted on settles before the window alone (the default fit covers the window: in sample for the
curve); then where the hedge P&L gap comes from:
the directory market turned into the embedded one an input at a time (the VX curve modelled from spot VIX, the
SPX surface's vol indices estimated from VIX, the shipped monthly rates and the embedded history start), with
the hedge P&L of alvh and static after each step and the quarters that moved most; then the VX-curve step's alvh
gap split into pricing and schedule, the noise floor of the hedge P&L (the same runs on each curve plus 0.01-point
noise, ``--noise-seeds`` runs each), the real curve plus a curve error shaped like the model's (one AR(1) shift a
day with the sd and autocorrelation of modelled minus real on the MACD's series, and half that sd) and the gap in
other windows of the real data
(:mod:`vixhedge.model_vs_real_gap`). The README's "Model vs real market" tables are this output. About 220 s with
the defaults (2014-03-03 .. 2018-12-31, 20 noise seeds), about 40 s on one year with --noise-seeds 0 (wall, a
shared 2-core machine, 2026-12-07).
"""

from __future__ import annotations

import argparse

from vixhedge import argtypes
from vixhedge.core.config import DEFAULT_WINDOW
from vixhedge.guard import Parser

PROG = "python -m vixhedge.model_vs_real"
TOP_QUARTERS = 3  # quarters named per swap step (largest moves of the alvh hedge P&L)
NOISE_SIGMA = 0.01  # VX points: a fifth of the 0.05 VX tick


def parser() -> Parser:
    """Return the command's parser (built before the numerical imports below: ``--help`` needs none of them)."""
    p = Parser(prog=PROG, description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--data-dir", type=argtypes.path_text,
                   metavar="DIR", required=True, help="real data folder (../shared/data)")
    p.add_argument("--start", type=argtypes.iso_day, default=DEFAULT_WINDOW[0].isoformat(),
                   help="first day of the runs (default: %(default)s)")
    p.add_argument("--end", type=argtypes.iso_day, default=DEFAULT_WINDOW[1].isoformat(),
                   help="last day of the runs (default: %(default)s)")
    p.add_argument("--config", type=argtypes.path_text,
                   help="config TOML to compare (default: the packaged default config)")
    p.add_argument("--noise-seeds", type=argtypes.seed_count, default=20,
                   help="runs per curve for the noise floor (0: skip it; default: %(default)s)")
    p.add_argument("--noise", type=float, default=NOISE_SIGMA,
                   help="sd of the noise on every VX price (points; default: %(default)s)")
    return p


if __name__ == "__main__":  # --help and usage errors answer before numpy, pandas and the run load (~1.5 s)
    parser().parse_args()

import datetime as dt  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from feeds.market import Market, market_for  # noqa: E402
from vixhedge import model_vs_real_gap as gap  # noqa: E402
from vixhedge.core import config as C  # noqa: E402
from vixhedge.fmt import num, pct, usd_k  # noqa: E402
from vixhedge.compare import Comparison, compare  # noqa: E402
from vixhedge.compare_rows import STAT_LABELS  # noqa: E402
from feeds.vxfit_spx import CALIBRATION  # noqa: E402
from vixhedge.progress import labelled  # noqa: E402
from vixhedge.run import run_backtest  # noqa: E402


def daily_change_beta(series: np.ndarray, vix: np.ndarray) -> float:
    """Return the OLS beta of the series' daily changes on VIX's daily changes (finite days only)."""
    ds, dv = np.diff(np.asarray(series, float)), np.diff(np.asarray(vix, float))
    ok = np.isfinite(ds) & np.isfinite(dv)
    ds, dv = ds[ok], dv[ok]
    return float(np.cov(ds, dv, ddof=1)[0, 1] / np.var(dv, ddof=1))


def _window_betas(market: Market, cmp: Comparison) -> dict[str, float]:
    days = cmp.results["alvh"].daily.index
    i = np.array([market.index_of(d) for d in days])
    vix = market.data.vix_close[i]
    out = {"macd series": daily_change_beta(cmp.results["alvh"].daily["vx_signal_series"].to_numpy(), vix)}
    for s in (C.VxSeries.FRONT, C.VxSeries.SECOND):
        out[s.value] = daily_change_beta(market.vx_series(s)[i], vix)
    return out


def measure(cfg: C.Config, data_dir: str) -> dict[str, tuple[Comparison, Market]]:
    """Return {"model": (comparison, market), "real": (...)} of ``cfg`` on both markets."""
    real_cfg = C.replace(cfg, market={"source": "directory", "data_dir": data_dir})
    real = market_for(real_cfg)  # a bad data folder is one line before any run
    return {name: (compare(c, market), market) for name, c, market in
            (("model", cfg, market_for(cfg)), ("real", real_cfg, real))}


def modelled_curve(real: Market) -> Market:
    """Return the directory market ``real`` with its VX curve modelled from spot VIX (everything else kept)."""
    return Market(real.data, real.cfg, options=real.options, rate_series=real.rate_series,
                  vol_indices=real.vol_indices).share_spx_chains(real)


def input_swaps(cfg: C.Config, model: Market, real: Market) -> list[tuple[str, dict[str, tuple[float, pd.Series]]]]:
    """Return (step, {mode: (hedge P&L, its daily series)}) from the directory market to the embedded one."""
    d = real.data
    steps = [("real VX settles, vol indices and daily rates (the directory market)", real),
             ("+ VX curve modelled from spot VIX", modelled_curve(real)),
             ("+ SPX surface's vol indices estimated from VIX", Market(d, real.cfg, options=real.options,
                                                                        rate_series=real.rate_series)),
             (f"+ shipped monthly rates, history from {model.days[0]} (= the embedded market)",
              Market(d.window(model.days[0], d.days[-1]), real.cfg, options=real.options))]
    out = []
    for name, market in steps:
        pnl = {}
        for mode in ("alvh", "static"):
            with labelled(f"{mode}, {name.split(' (')[0]}"):  # (trial RD21: its notes named no run)
                res = run_backtest(C.replace(cfg, hedge={"mode": mode}), market, engine="fast")
            pnl[mode] = (res.metrics["pnl"]["hedge_pnl_usd"], res.daily["hedge_pnl_usd"])
        out.append((name, pnl))
    return out


def swaps_report(swaps: list[tuple[str, dict[str, tuple[float, pd.Series]]]]) -> str:
    """Return the Markdown table of :func:`input_swaps`: hedge P&L per step and the quarters that moved most."""
    lines = ["| market | ALVH hedge P&L | static hedge P&L | ALVH: quarters that moved most |", "|---|---|---|---|"]
    prev = None
    for name, pnl in swaps:
        quarters = pnl["alvh"][1].resample("QE").sum()
        moved = ""
        if prev is not None:
            delta = (quarters - prev).sort_values(key=np.abs, ascending=False).head(TOP_QUARTERS)
            moved = ", ".join(f"{d.year}Q{d.quarter} {usd_k(v)}" for d, v in delta.items())
        lines.append(f"| {name} | {usd_k(pnl['alvh'][0])} | {usd_k(pnl['static'][0])} | {moved} |")
        prev = quarters
    return "\n".join(lines)


def _apart(a: float, b: float) -> str:
    return f"{pct(abs(a - b) / abs(b), 0)} apart" if b else "n/a"


def report(runs: dict[str, tuple[Comparison, Market]]) -> str:
    """Return the Markdown tables of the comparison (see the module docstring)."""
    (m, mm), (r, rm) = runs["model"], runs["real"]
    lines = ["| | embedded (modelled VX curve) | real VX settles | |", "|---|---|---|---|"]
    for mode, col, label in (("alvh", "hedge_pnl_usd", "ALVH hedge P&L"), ("static", "hedge_pnl_usd",
                                                                         "static hedge P&L"),
                             ("alvh", "condor_pnl_usd", "condor P&L (alvh run)"),
                             ("alvh", "end_nav_usd", "ALVH final NAV")):
        a, b = m.table.loc[col, mode], r.table.loc[col, mode]
        lines.append(f"| {label} | {usd_k(a)} | {usd_k(b)} | {_apart(a, b)} |")
    bm, br = _window_betas(mm, m), _window_betas(rm, r)
    for k in bm:
        lines.append(f"| daily-change beta to VIX, {k} | {bm[k]:.3f} | {br[k]:.3f} | {abs(bm[k] - br[k]):.3f} apart |")
    lines += ["", "| mode | statistic | embedded: diff [95% CI] | real: diff [95% CI] | same sign |", "|---|---|---|---|---|"]
    pm, pr = (c.paired.set_index(["mode", "stat"]) for c in (m, r))
    agree = 0
    for key in pm.index:
        scale = 100.0 if key[1] in ("max_drawdown", "cvar95") else 1.0
        d, lo, hi = ([num(scale * p.loc[key, c], 3, signed=True) for p in (pm, pr)] for c in ("diff", "ci_low", "ci_high"))
        cells = [f"{d[i]} [{lo[i]}, {hi[i]}]" for i in (0, 1)]
        same = np.sign(pm.loc[key, "diff"]) == np.sign(pr.loc[key, "diff"])
        agree += bool(same)
        lines.append(f"| {key[0]} | {STAT_LABELS[key[1]]} | {cells[0]} | {cells[1]} | {'yes' if same else 'NO'} |")
    lines.append(f"\n{agree} of {len(pm)} paired differences have the same sign on both markets.")
    return "\n".join(lines)


def curve_before(start: dt.date) -> tuple[str, dict[str, float]] | None:
    """Return (split day, params) of the packaged two-factor VX curve fitted on settles before ``start`` alone
    (``vx_curve.json``'s forward split, ``python -m feeds.calibrate``), or None when no split ends by ``start``.

    The default curve is fitted on every real settle (2004-2025), the default window's among them: the embedded
    market's figures are in sample for its VX curve; this fit is not."""
    for split in json.loads(CALIBRATION.read_text(encoding="utf-8"))["two_factor"]["out_of_sample"]:
        day = re.match(r"fit < (\d{4}-\d{2}-\d{2}),", split["name"])
        if day and dt.date.fromisoformat(day.group(1)) <= start:
            return day.group(1), split["params"]
    return None


def curve_report(cfg: C.Config, runs: dict[str, tuple[Comparison, Market]]) -> str:
    """Return the Markdown table of the hedge P&L on the embedded market with its VX curve fitted in sample (the
    config's) and fitted before the window (:func:`curve_before`), each against the real settles'."""
    fit = curve_before(cfg.run.start)
    if fit is None:
        return f"(no packaged VX curve was fitted on settles before {cfg.run.start}: no out-of-sample row)"
    day, params = fit
    (m, _), (r, _) = runs["model"], runs["real"]
    oos = C.replace(cfg, market={"vx_curve": {**params, "model": "two_factor"}})
    market = market_for(oos)
    pnl = {}
    for mode in ("alvh", "static"):
        with labelled(f"{mode}, VX curve fitted before {day}"):
            pnl[mode] = run_backtest(C.replace(oos, hedge={"mode": mode}), market, engine="fast").metrics["pnl"][
                "hedge_pnl_usd"]
    default = cfg.market.vx_curve == C.VxCurveConfig()
    rows = [("the default fit (every settle, this window's among them)" if default else "the config's curve",
             {mode: m.table.loc["hedge_pnl_usd", mode] for mode in pnl}),
            (f"fitted on settles before {day} alone (out of sample)", pnl)]
    real = {mode: r.table.loc["hedge_pnl_usd", mode] for mode in pnl}
    lines = ["| embedded market's VX curve | ALVH hedge P&L | against real | static hedge P&L | against real |",
             "|---|---|---|---|---|"]
    lines += [f"| {name} | {usd_k(v['alvh'])} | {_apart(v['alvh'], real['alvh'])} | {usd_k(v['static'])} | "
              f"{_apart(v['static'], real['static'])} |" for name, v in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    a = parser().parse_args(argv)
    cfg = C.replace(C.load(a.config) if a.config else C.load_default(), run={"start": a.start, "end": a.end})
    runs = measure(cfg, a.data_dir)
    print(report(runs))
    print()
    print(curve_report(cfg, runs))
    print()
    real_cfg = C.replace(cfg, market={"source": "directory", "data_dir": a.data_dir})
    real = runs["real"][1]
    print(swaps_report(input_swaps(real_cfg, runs["model"][1], real)))
    gap_tables(real_cfg, real, modelled_curve(real), a.noise_seeds, a.noise)
    return 0


def gap_tables(cfg: C.Config, real: Market, model: Market, seeds: int, sigma: float) -> None:
    """Print where the ALVH gap of the VX-curve step comes from (:mod:`vixhedge.model_vs_real_gap`)."""
    alvh = C.replace(cfg, hedge={"mode": "alvh"})
    print()
    print(gap.split_report(gap.split(alvh, real, model)))
    if seeds > 0:
        static = C.replace(cfg, hedge={"mode": "static"})
        cases = {"alvh, real curve": (alvh, real), "alvh, modelled curve": (alvh, model), "static, real curve": (static, real)}
        base = {k: gap.run_quietly(c, m).metrics["pnl"]["hedge_pnl_usd"] for k, (c, m) in cases.items()}
        floors = {k: gap.noise_floor(c, m, sigma, seeds) for k, (c, m) in cases.items()}
        print()
        print(gap.noise_report(base, floors, sigma))
        sd, rho = gap.error_shape(alvh, real, model)
        shaped = {f"sd {f * sd:.2f}, autocorrelation {rho:.2f}{note}": gap.noise_floor(alvh, real, f * sd, seeds, rho)
                  for f, note in ((1.0, " (the model's error)"), (0.5, " (half of it)"))}
        print()
        print(gap.shaped_noise_report(base["alvh, real curve"], shaped))
    print()
    print(gap.windows_report(gap.windows(cfg, real, model)))


if __name__ == "__main__":
    from vixhedge.guard import guarded  # one line per error, never a traceback

    raise SystemExit(guarded(PROG, main))
