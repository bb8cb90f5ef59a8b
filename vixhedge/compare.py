"""Compare hedge modes on the SAME market path and fills.

One Market is built once and shared by every run; the condor book is identical across modes
(it does not depend on the hedge), so differences are the hedge's doing. Paired differences
against a baseline mode come with circular block-bootstrap confidence intervals
(:mod:`vixhedge.bootstrap`).
"""

from __future__ import annotations

import hashlib
import html
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from feeds.market import Market, build_market
from vixhedge import bootstrap as bs
from vixhedge import config as C
from vixhedge.atomic import atomic_folder
from vixhedge.run import RunResult, run_backtest, valid_nav

DEFAULT_MODES = ("none", "static", "alvh")
STATS = ("sharpe", "max_drawdown", "cvar95", "hedge_cost_usd")


@dataclass
class Comparison:
    config: C.Config
    results: dict[str, RunResult]
    table: pd.DataFrame   # metric x mode
    paired: pd.DataFrame  # one row per (mode, stat): diff vs baseline with CI


def _returns(res: RunResult) -> np.ndarray:
    """Return the daily returns of a run; a ruined run's end at its ruin day (NAV 0) and are 0 after it."""
    nav = valid_nav(res.daily, res.metrics.get("ruin"))
    r = np.zeros(len(res.daily) - 1)
    r[:len(nav) - 1] = nav[1:] / nav[:-1] - 1.0
    return r


def _point_stats(res: RunResult) -> dict[str, float]:
    r = _returns(res)
    a = res.config.analysis
    rf = (1 + a.risk_free_rate) ** (1 / a.periods_per_year) - 1
    return {"sharpe": float(bs.sharpe_rows(r, rf, a.periods_per_year)),
            "max_drawdown": float(bs.max_drawdown_rows(r)),
            "cvar95": float(bs.cvar_rows(r)),
            "hedge_cost_usd": float(-res.daily["hedge_pnl_usd"].iloc[1:].sum()) + 0.0}  # no -0.0


def compare(cfg: C.Config, market: Market | None = None, modes: tuple[str, ...] = DEFAULT_MODES,
            baseline: str = "none", n_boot: int = 2000, block_days: int = 20, engine: str = "fast") -> Comparison:
    """Run ``cfg`` under each hedge mode on one market path (with ``engine``) and compare them."""
    if baseline not in modes:
        raise C.ConfigError(f"compare baseline {baseline!r} is not among the modes {list(modes)}: add it")
    market = market or build_market(cfg.market)
    results = {m: run_backtest(C.replace(cfg, hedge={"mode": m}), market, engine=engine) for m in modes}
    table = pd.DataFrame({m: _table_column(r) for m, r in results.items()})
    paired = _paired(results, baseline, cfg, n_boot, block_days)
    return Comparison(cfg, results, table, paired)


def _table_column(res: RunResult) -> dict[str, float]:
    p = res.metrics["performance"]
    pnl = res.metrics["pnl"]
    col = {"end_nav_usd": p["end_nav_usd"], "cagr": p["cagr"], "ann_vol": p["ann_vol"]}
    col.update(_point_stats(res))
    col.update({"condor_pnl_usd": pnl["condor_pnl_usd"], "hedge_pnl_usd": pnl["hedge_pnl_usd"],
                "fees_pnl_usd": pnl["fees_pnl_usd"], "hedge_layers": res.metrics["counts"]["hedge_layers"],
                "days_cut_by_caps": res.metrics["capital"]["days_cut_by_capital_caps"],
                "ruined": float(bool(res.metrics.get("ruin")))})
    return col


def _paired(results: dict[str, RunResult], baseline: str, cfg: C.Config, n_boot: int,
            block_days: int) -> pd.DataFrame:
    a = cfg.analysis
    rf = (1 + a.risk_free_rate) ** (1 / a.periods_per_year) - 1
    rets = {m: _returns(r) for m, r in results.items()}
    hedge = {m: r.daily["hedge_pnl_usd"].to_numpy()[1:] for m, r in results.items()}
    n = len(rets[baseline])
    idx = bs.block_indices(n, block_days, n_boot, np.random.default_rng(cfg.run.seed))

    def boot(m: str) -> dict[str, np.ndarray]:
        r = rets[m][idx]
        return {"sharpe": bs.sharpe_rows(r, rf, a.periods_per_year), "max_drawdown": bs.max_drawdown_rows(r),
                "cvar95": bs.cvar_rows(r), "hedge_cost_usd": -hedge[m][idx].sum(axis=1)}

    base_boot, base_pt = boot(baseline), _point_stats(results[baseline])
    rows = []
    for m in results:
        if m == baseline:
            continue
        mb, mp = boot(m), _point_stats(results[m])
        for s in STATS:
            rows.append({"mode": m, "baseline": baseline, "stat": s,
                         **bs.paired_ci(mb[s], base_boot[s], mp[s] - base_pt[s])})
    out = pd.DataFrame(rows)
    out.attrs.update(n_boot=n_boot, block_days=block_days, seed=cfg.run.seed)
    return out


def write_comparison(cmp: Comparison, runs_dir: Path) -> Path:
    """Write ``runs_dir/<name>-compare-<hash8>/`` atomically: table, paired CIs, overlay plot, runs."""
    from vixhedge.report import write_run  # report imports matplotlib; keep compare importable without it

    key = C.to_toml(cmp.config) + repr(sorted(cmp.results)) + repr(cmp.paired.attrs)
    rid = f"{cmp.config.run.name}-compare-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
    with atomic_folder(runs_dir, rid) as tmp:
        cmp.table.to_csv(tmp / "comparison.csv", float_format="%.6f", lineterminator="\n")
        cmp.paired.to_csv(tmp / "paired.csv", index=False, float_format="%.6f", lineterminator="\n")
        plot_overlay(cmp, tmp / "overlay.png")
        plot_paired(cmp, tmp / "paired.png")
        run_ids = {mode: write_run(res, tmp / "runs").name for mode, res in cmp.results.items()}
        html_text = render_comparison(cmp, rid, run_ids, {n: (tmp / n).read_bytes() for n in FIGURES})
        (tmp / "report.html").write_text(html_text, encoding="utf-8")
    return runs_dir / rid


def plot_overlay(cmp: Comparison, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(3, 1, figsize=(11, 9), sharex=True, gridspec_kw={"height_ratios": [3, 1.5, 2]})
    for mode, res in cmp.results.items():
        d = res.daily
        x = pd.to_datetime(d.index)
        axes[0].plot(x, d["nav_usd"] / 1e6, lw=1, label=mode)
        axes[1].plot(x, -100 * d["drawdown"], lw=0.8, label=mode)
        axes[2].plot(x, d["hedge_value_usd"] / 1e3, lw=0.9, label=mode)
    for ax, label in zip(axes, ("NAV, USD m", "drawdown %", "hedge P&L, USD k")):
        ax.set_ylabel(label)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper left", fontsize=8)
    axes[0].set_title(f"{cmp.config.run.name}: hedge modes on the same market path")
    fig.tight_layout()
    fig.savefig(path, dpi=90, metadata={"Software": None})
    plt.close(fig)


def plot_paired(cmp: Comparison, path: Path) -> None:
    """Forest plot: each mode's paired difference vs the baseline per statistic, with its 95% CI."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    p = cmp.paired
    fig, axes = plt.subplots(1, len(STATS), figsize=(11, 0.6 + 0.5 * max(1, p["mode"].nunique())), squeeze=False)
    for ax, stat in zip(axes[0], STATS):
        rows = p[p["stat"] == stat].reset_index(drop=True)
        scale = 100.0 if stat in PCT_STATS else 1.0
        y = np.arange(len(rows))
        ax.errorbar(scale * rows["diff"], y, xerr=[scale * (rows["diff"] - rows["ci_low"]),
                                                   scale * (rows["ci_high"] - rows["diff"])],
                    fmt="o", capsize=3, color="#1f5fa8")
        ax.axvline(0.0, color="#888", lw=0.8)
        ax.set_yticks(y, rows["mode"])
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_title(STAT_LABELS[stat], fontsize=9)
        ax.grid(alpha=0.3, axis="x")
    fig.suptitle(f"paired difference vs {cmp.paired['baseline'].iloc[0] if len(p) else '-'} (95% CI)", fontsize=10)
    fig.tight_layout()
    fig.savefig(path, dpi=90, metadata={"Software": None})
    plt.close(fig)


PCT_STATS = ("max_drawdown", "cvar95")
STAT_LABELS = {"sharpe": "Sharpe", "max_drawdown": "max drawdown, pts of %", "cvar95": "CVaR 95%, pts of %",
               "hedge_cost_usd": "hedge cost, USD"}
FIGURES = ("overlay.png", "paired.png")


def render_comparison(cmp: Comparison, rid: str, run_ids: dict[str, str], figures: dict[str, bytes]) -> str:
    """Return the comparison's self-contained report.html (inline PNGs, no script, no network)."""
    from vixhedge import html as H

    cfg, t, p = cmp.config, cmp.table, cmp.paired
    first = next(iter(cmp.results.values())).daily.index
    title = html.escape(f"vixhedge comparison {rid}")
    rows = []
    for name, row in t.iterrows():
        fmt = H.pct if name in ("cagr", "ann_vol", "max_drawdown", "cvar95") else (
            H.usd if str(name).endswith("_usd") else H.num)
        rows.append([str(name), *[fmt(v) for v in row]])
    paired_rows = []
    for r in p.itertuples():
        scale, unit = (100.0, " pts") if r.stat in PCT_STATS else (1.0, "")
        excludes = r.ci_low > 0 or r.ci_high < 0
        paired_rows.append([r.mode, STAT_LABELS[r.stat], f"{scale * r.diff:,.3f}{unit}",
                            f"[{scale * r.ci_low:,.3f}, {scale * r.ci_high:,.3f}]{unit}",
                            "yes" if excludes else "no"])
    a = p.attrs
    links = "".join(f'<li><a href="runs/{html.escape(run_ids[m])}/report.html">{html.escape(m)}</a> '
                    f"(<code>runs/{html.escape(run_ids[m])}</code>)</li>\n" for m in cmp.results)
    engine = next(iter(cmp.results.values())).engine
    parts = [f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n'
             f"<style>{H.STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n",
             f'<p class="sub">{html.escape(str(first[0]))} .. {html.escape(str(first[-1]))} ({len(first)} trading '
             f"days); modes {html.escape(', '.join(cmp.results))} on ONE market path with the same condor fills "
             f"(until a capital cap cuts a condor); engine {html.escape(engine)}</p>\n",
             *[H.ruin_banner(r.metrics, m) for m, r in cmp.results.items()],
             "<h2>Side by side</h2>\n", H._table(["metric", *t.columns], rows, "grid"),
             f"<h2>Paired differences vs {html.escape(str(p['baseline'].iloc[0]) if len(p) else '-')}</h2>\n"
             f"<p>Mode minus baseline on the same days; 95% confidence intervals from a circular block bootstrap "
             f"({a.get('n_boot')} draws, {a.get('block_days')}-day blocks, seed {a.get('seed')}), the same "
             f"resampled days for both legs of each pair. Drawdown and CVaR differences are in percentage "
             f"points; a positive hedge-cost difference means the mode spent more on its hedge.</p>\n",
             H._table(["mode", "statistic", "difference", "95% CI", "CI excludes 0"], paired_rows, "grid", (0, 1)),
             H._figure("paired.png", "Paired differences", "Each mode's paired difference with its 95% CI; the "
                       "grey line is no difference.", figures.get("paired.png")),
             H._figure("overlay.png", "NAV, drawdown and hedge P&L", "The modes' NAV, drawdown from the running "
                       "peak, and cumulative hedge P&L on the same market path.", figures.get("overlay.png")),
             "<h2>The runs</h2>\n<ul>\n" + links + "</ul>\n",
             "<h2>Reproduce</h2>\n",
             H._table(("", ""), [("config", cfg.run.name), ("seed", str(cfg.run.seed)),
                                 ("command", f"vixhedge compare CONFIG --modes {','.join(cmp.results)} "
                                             f"--baseline {p['baseline'].iloc[0] if len(p) else '-'} "
                                             f"--n-boot {a.get('n_boot')} --block-days {a.get('block_days')}")],
                      "narrow"),
             "</body>\n</html>\n"]
    return "".join(parts)


def format_comparison(cmp: Comparison) -> str:
    """Return the side-by-side table and the paired differences as text."""
    t = cmp.table.copy()
    pct = ["cagr", "ann_vol", "max_drawdown", "cvar95"]
    lines = ["metric".ljust(16) + "".join(m.rjust(14) for m in t.columns)]
    for name, row in t.iterrows():
        fmt = (lambda v: f"{100 * v:.2f}%") if name in pct else (
            (lambda v: f"{v:,.0f}") if abs(row).max() > 100 else (lambda v: f"{v:.3f}"))
        lines.append(str(name).ljust(16) + "".join(fmt(v).rjust(14) for v in row))
    a = cmp.paired.attrs
    lines.append("")
    lines.append(f"paired difference vs {cmp.paired['baseline'].iloc[0] if len(cmp.paired) else '-'} "
                 f"(95% CI, circular block bootstrap: {a.get('n_boot')} draws, {a.get('block_days')}-day blocks)")
    for r in cmp.paired.itertuples():
        scale, unit = (100.0, "%") if r.stat in ("max_drawdown", "cvar95") else (1.0, "")
        lines.append(f"  {r.mode:<8} {r.stat:<15} {scale * r.diff:>12.3f}{unit}  "
                     f"[{scale * r.ci_low:.3f}{unit}, {scale * r.ci_high:.3f}{unit}]")
    for m, res in cmp.results.items():
        ruin = res.metrics.get("ruin")
        if ruin:
            lines.append(f"RUINED: {m} on {ruin['date']} ({ruin['cause']}); its metrics end there, NAV 0")
    return "\n".join(lines)
