"""Compare hedge modes on the SAME market path and fills.

One Market is built once and shared by every run; the condor book is identical across modes
(it does not depend on the hedge), so differences are the hedge's doing. Paired differences
against a baseline mode come with circular block-bootstrap confidence intervals from
``arch.bootstrap`` (:mod:`vixhedge.bootstrap`).
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
from vixhedge.run import RunResult, run_backtest

DEFAULT_MODES = ("none", "static", "alvh")
STATS = ("sharpe", "max_drawdown", "cvar95", "hedge_cost_usd")


@dataclass
class Comparison:
    config: C.Config
    results: dict[str, RunResult]
    table: pd.DataFrame   # metric x mode
    paired: pd.DataFrame  # one row per (mode, stat): diff vs baseline with CI


def _legs(res: RunResult) -> tuple[np.ndarray, np.ndarray]:
    """Return a run's daily NAV returns and daily hedge P&L (the first day has no return)."""
    return res.daily["nav_usd"].pct_change().to_numpy()[1:], res.daily["hedge_pnl_usd"].to_numpy()[1:]


def _leg_stats(r: np.ndarray, hedge_pnl: np.ndarray, a: C.AnalysisConfig) -> np.ndarray:
    """Return the STATS of one leg's daily returns and hedge P&L."""
    rf = (1 + a.risk_free_rate) ** (1 / a.periods_per_year) - 1
    return np.array([bs.sharpe_rows(r, rf, a.periods_per_year), bs.max_drawdown_rows(r), bs.cvar_rows(r),
                     -hedge_pnl.sum() + 0.0])  # + 0.0: no -0.0


def _point_stats(res: RunResult) -> dict[str, float]:
    return {s: float(v) for s, v in zip(STATS, _leg_stats(*_legs(res), res.config.analysis))}


def compare(cfg: C.Config, market: Market | None = None, modes: tuple[str, ...] = DEFAULT_MODES,
            baseline: str = "none", n_boot: int = 2000, block_days: int | None = None,
            ci_method: bs.CiMethod = "percentile", engine: str = "fast") -> Comparison:
    """Run ``cfg`` under each hedge mode on one market path (with ``engine``) and compare them.

    Paired CIs: ``n_boot`` circular-block draws, ``block_days`` (None: data-driven per pair), percentile or
    BCa intervals (``ci_method``); see :mod:`vixhedge.bootstrap`.
    """
    if baseline not in modes:
        raise C.ConfigError(f"compare baseline {baseline!r} is not among the modes {list(modes)}: add it")
    market = market or build_market(cfg.market)
    results = {m: run_backtest(C.replace(cfg, hedge={"mode": m}), market, engine=engine) for m in modes}
    table = pd.DataFrame({m: _table_column(r) for m, r in results.items()})
    paired = _paired(results, baseline, cfg, n_boot, block_days, ci_method)
    return Comparison(cfg, results, table, paired)


def _table_column(res: RunResult) -> dict[str, float]:
    p = res.metrics["performance"]
    pnl = res.metrics["pnl"]
    col = {"end_nav_usd": p["end_nav_usd"], "cagr": p["cagr"], "ann_vol": p["ann_vol"]}
    col.update(_point_stats(res))
    col.update({"condor_pnl_usd": pnl["condor_pnl_usd"], "hedge_pnl_usd": pnl["hedge_pnl_usd"],
                "fees_pnl_usd": pnl["fees_pnl_usd"], "hedge_layers": res.metrics["counts"]["hedge_layers"]})
    return col


def _paired(results: dict[str, RunResult], baseline: str, cfg: C.Config, n_boot: int,
            block_days: int | None, ci_method: bs.CiMethod) -> pd.DataFrame:
    """Paired differences mode - baseline with arch bootstrap CIs; one block length per pair.

    ``block_days=None`` takes the data-driven block length of the pair's daily return difference
    (:func:`vixhedge.bootstrap.data_block_length`); the rows say which length and method were used.
    """
    def stats(r: np.ndarray, hedge_pnl: np.ndarray) -> np.ndarray:
        return _leg_stats(r, hedge_pnl, cfg.analysis)

    base = _legs(results[baseline])
    rows = []
    for m, res in results.items():
        if m == baseline:
            continue
        leg = _legs(res)
        point = stats(*leg) - stats(*base)
        block = block_days if block_days is not None else bs.data_block_length(leg[0] - base[0])
        low, high, used = bs.paired_intervals(stats, leg, base, block, n_boot, cfg.run.seed, ci_method)
        for i, s in enumerate(STATS):
            rows.append({"mode": m, "baseline": baseline, "stat": s, "diff": float(point[i]) + 0.0,
                         "ci_low": float(low[i]), "ci_high": float(high[i]), "ci_method": used[i],
                         "block_days": block})
    out = pd.DataFrame(rows)
    out.attrs.update(n_boot=n_boot, block_days="auto" if block_days is None else block_days, ci_method=ci_method,
                     seed=cfg.run.seed)
    return out


def write_comparison(cmp: Comparison, runs_dir: Path) -> Path:
    """Write ``runs_dir/<name>-compare-<hash8>/`` atomically: table, paired CIs, overlay plot, runs."""
    from vixhedge.report import write_run  # report imports matplotlib; keep compare importable without it

    key = C.to_toml(cmp.config) + repr(sorted(cmp.results)) + repr(cmp.paired.attrs)
    rid = f"{cmp.config.run.name}-compare-{hashlib.sha256(key.encode()).hexdigest()[:8]}"
    with atomic_folder(runs_dir, rid) as tmp:
        (tmp / "config.toml").write_text(C.to_toml(cmp.config), encoding="utf-8")
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
             f"days); modes {html.escape(', '.join(cmp.results))} on ONE market path with the same condor fills; "
             f"engine {html.escape(engine)}</p>\n",
             "<h2>Side by side</h2>\n", H._table(["metric", *t.columns], rows, "grid"),
             f"<h2>Paired differences vs {html.escape(str(p['baseline'].iloc[0]) if len(p) else '-')}</h2>\n"
             f"<p>Mode minus baseline on the same days; 95% confidence intervals ({html.escape(_ci_words(p))}), "
             f"the same resampled days for both legs of each pair. Drawdown and CVaR differences are in percentage "
             f"points; a positive hedge-cost difference means the mode spent more on its hedge.</p>\n",
             H._table(["mode", "statistic", "difference", "95% CI", "CI excludes 0"], paired_rows, "grid", (0, 1)),
             H._figure("paired.png", "Paired differences", "Each mode's paired difference with its 95% CI; the "
                       "grey line is no difference.", figures.get("paired.png")),
             H._figure("overlay.png", "NAV, drawdown and hedge P&L", "The modes' NAV, drawdown from the running "
                       "peak, and cumulative hedge P&L on the same market path.", figures.get("overlay.png")),
             "<h2>The runs</h2>\n<ul>\n" + links + "</ul>\n",
             "<h2>Reproduce</h2>\n",
             H._table(("", ""), [("config", cfg.run.name), ("seed", str(cfg.run.seed)),
                                 ("command", reproduce_command(cmp, f"runs/{rid}/config.toml"))], "narrow"),
             "</body>\n</html>\n"]
    return "".join(parts)


def reproduce_command(cmp: Comparison, config_path: str) -> str:
    """Return the command that reruns this comparison from its folder's config.toml."""
    p, a = cmp.paired, cmp.paired.attrs
    block = "" if a.get("block_days") == "auto" else f" --block-days {a.get('block_days')}"
    return (f"vixhedge compare {config_path} --modes {','.join(cmp.results)} "
            f"--baseline {p['baseline'].iloc[0] if len(p) else '-'} --n-boot {a.get('n_boot')}{block} "
            f"--ci-method {a.get('ci_method')} --engine {next(iter(cmp.results.values())).engine}")


def _ci_words(p: pd.DataFrame) -> str:
    """Describe how the paired CIs were made: draws, method, block length per mode, seed."""
    a = p.attrs
    blocks = ", ".join(f"{m} {b}" for m, b in p.groupby("mode", sort=False)["block_days"].first().items())
    auto = " (data-driven, Politis-White)" if a.get("block_days") == "auto" else ""
    fallback = " BCa fell back to percentile where its bias correction is undefined;" if (
        a.get("ci_method") == "bca" and (p["ci_method"] == "percentile").any()) else ""
    return (f"arch circular block bootstrap, {a.get('n_boot')} draws, {a.get('ci_method')} intervals;{fallback} "
            f"block days{auto}: {blocks or '-'}; seed {a.get('seed')}")


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
                 f"(95% CI: {_ci_words(cmp.paired)})")
    for r in cmp.paired.itertuples():
        scale, unit = (100.0, "%") if r.stat in ("max_drawdown", "cvar95") else (1.0, "")
        lines.append(f"  {r.mode:<8} {r.stat:<15} {scale * r.diff:>12.3f}{unit}  "
                     f"[{scale * r.ci_low:.3f}{unit}, {scale * r.ci_high:.3f}{unit}]")
    return "\n".join(lines)
