"""The same config on the modelled market and on real data: does the conclusion depend on the data source?

    python -m vixhedge.model_vs_real --data-dir ../shared/data [--start 2014-03-03] [--end 2018-12-31]

Runs ``vixhedge compare`` (none / static / alvh, the default paired bootstrap) on the embedded market (VX curve
modelled from spot VIX) and on the directory market (real VX settles, short rates and vol indices; SPX options
modelled on both) and prints, as Markdown: the hedge and condor P&L of each mode, how far apart they are, the
daily-change beta to VIX of the VX series the MACD reads (and of the front and second month), and every paired
difference with its CI on both markets and whether the signs agree. The README's "Model vs real market" table
is this output.
"""

from __future__ import annotations

import argparse
import sys

import numpy as np

from feeds.market import Market, build_market
from vixhedge import config as C
from vixhedge.compare import STAT_LABELS, Comparison, compare


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
    out = {}
    for name, c in (("model", cfg), ("real", real_cfg)):
        market = build_market(c.market)
        out[name] = (compare(c, market), market)
    return out


def _k(usd: float) -> str:
    return f"{'-' if usd < 0 else ''}${abs(usd) / 1e3:,.1f}k"


def _apart(a: float, b: float) -> str:
    return f"{100 * abs(a - b) / abs(b):.0f}% apart" if b else "n/a"


def report(runs: dict[str, tuple[Comparison, Market]]) -> str:
    """Return the Markdown tables of the comparison (see the module docstring)."""
    (m, mm), (r, rm) = runs["model"], runs["real"]
    lines = ["| | embedded (modelled VX curve) | real VX settles | |", "|---|---|---|---|"]
    for mode, col, label in (("alvh", "hedge_pnl_usd", "ALVH hedge P&L"), ("static", "hedge_pnl_usd",
                                                                         "static hedge P&L"),
                             ("alvh", "condor_pnl_usd", "condor P&L (alvh run)"),
                             ("alvh", "end_nav_usd", "ALVH final NAV")):
        a, b = m.table.loc[col, mode], r.table.loc[col, mode]
        lines.append(f"| {label} | {_k(a)} | {_k(b)} | {_apart(a, b)} |")
    bm, br = _window_betas(mm, m), _window_betas(rm, r)
    for k in bm:
        lines.append(f"| daily-change beta to VIX, {k} | {bm[k]:.3f} | {br[k]:.3f} | {abs(bm[k] - br[k]):.3f} apart |")
    lines += ["", "| mode | statistic | embedded: diff [95% CI] | real: diff [95% CI] | same sign |", "|---|---|---|---|---|"]
    pm, pr = (c.paired.set_index(["mode", "stat"]) for c in (m, r))
    agree = 0
    for key in pm.index:
        scale = 100.0 if key[1] in ("max_drawdown", "cvar95") else 1.0
        cells = [f"{scale * p.loc[key, 'diff']:+,.3f} [{scale * p.loc[key, 'ci_low']:+,.3f}, "
                 f"{scale * p.loc[key, 'ci_high']:+,.3f}]" for p in (pm, pr)]
        same = np.sign(pm.loc[key, "diff"]) == np.sign(pr.loc[key, "diff"])
        agree += bool(same)
        lines.append(f"| {key[0]} | {STAT_LABELS[key[1]]} | {cells[0]} | {cells[1]} | {'yes' if same else 'NO'} |")
    lines.append(f"\n{agree} of {len(pm)} paired differences have the same sign on both markets.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m vixhedge.model_vs_real", description=__doc__.splitlines()[0])
    p.add_argument("--data-dir", required=True, help="real data folder (../shared/data)")
    p.add_argument("--start", default="2014-03-03")
    p.add_argument("--end", default="2018-12-31")
    a = p.parse_args(sys.argv[1:] if argv is None else argv)
    cfg = C.replace(C.load_default(), run={"start": a.start, "end": a.end})
    print(report(measure(cfg, a.data_dir)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
