"""Run folder (atomic write), summary table, the run's figures and its HTML report.

Figures are drawn with matplotlib (Agg) from the run folder's own files, after they are
written, so ``vixhedge report RUN_DIR`` redraws the same PNG bytes without re-running; PNGs
carry no software/date metadata (same config, same bytes).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=True)
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from vixhedge import config as config_mod
from vixhedge.atomic import atomic_folder  # noqa: E402
from vixhedge import html as report_html  # noqa: E402
from vixhedge.run import RunResult  # noqa: E402

PACKAGES = ("vixhedge", "backtrader", "numpy", "pandas", "scipy", "matplotlib", "exchange_calendars", "arch")


def run_id(cfg: config_mod.Config) -> str:
    """Return ``<name>-<hash8>``: the same config always gets the same id."""
    digest = hashlib.sha256(config_mod.to_toml(cfg).encode()).hexdigest()[:8]
    return f"{cfg.run.name}-{digest}"


def git_commit() -> str:
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    if out.returncode != 0:
        return "unknown"
    return out.stdout.strip() + ("-dirty" if dirty.stdout.strip() else "")


def manifest(result: RunResult, rid: str) -> dict:
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = "not installed"
    data = result.market.data
    return {
        "run_id": rid,
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "packages": versions,
        "data_source": data.source,
        "data_files": [{"name": n, "sha256": h} for n, h in data.files],
        "data_span": [str(data.days[0]), str(data.days[-1])],
        "settlement_proxies": result.market.settlement_proxies,
        "quote_origins": result.quote_origins,
        "seed": result.config.run.seed,
        "engine": result.engine,
        "replay_command": f"vixhedge run runs/{rid}/config.toml",
    }


def _clean(obj):
    """Make metrics JSON-safe: NaN/inf become null."""
    if isinstance(obj, dict):
        return {k: _clean(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_clean(v) for v in obj]
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    return obj


def write_run(result: RunResult, runs_dir: Path) -> Path:
    """Write ``runs_dir/<run-id>/`` atomically; return its path.

    See :func:`vixhedge.atomic.atomic_folder`: an interrupted run never leaves a folder that
    looks finished, and an earlier folder of the same id is replaced only once the new one is complete.
    """
    rid = run_id(result.config)
    with atomic_folder(runs_dir, rid) as tmp:
        (tmp / "config.toml").write_text(config_mod.to_toml(result.config), encoding="utf-8")
        _json(tmp / "manifest.json", manifest(result, rid))
        _json(tmp / "metrics.json", result.metrics)
        result.daily.to_csv(tmp / "daily.csv", float_format="%.6f", lineterminator="\n")
        result.signals_log.to_csv(tmp / "signals.csv", float_format="%.6f", lineterminator="\n")
        for name in ("trades", "layers", "condors"):
            getattr(result, name).to_csv(tmp / f"{name}.csv", index=False, float_format="%.6f",
                                         lineterminator="\n")
        result.attribution.to_csv(tmp / "attribution.csv", float_format="%.6f", lineterminator="\n")
        files = report_html.load_run(tmp)
        figures = draw_figures(files)
        for name, png in figures.items():
            (tmp / name).write_bytes(png)
        (tmp / "report.html").write_text(report_html.render(files, figures), encoding="utf-8")
    return runs_dir / rid


def _json(path: Path, obj) -> None:
    path.write_text(json.dumps(_clean(obj), indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def rebuild_report(folder: Path) -> Path:
    """Redraw a run folder's figures from its files and rewrite its ``report.html``; return its path.

    The HTML file is written to a temporary name and renamed over the old one.
    """
    files = report_html.load_run(folder)
    html_text = report_html.render(files, draw_figures(files))
    out = Path(folder) / "report.html"
    tmp = out.with_name(f".report.html.{os.getpid()}.tmp")
    try:
        tmp.write_text(html_text, encoding="utf-8")
        os.replace(tmp, out)
    finally:
        tmp.unlink(missing_ok=True)
    return out


# ----------------------------------------------------------------------------- figures

FIGURE_DPI = 80
FAMILIES = (("condor:put", "tab:blue"), ("condor:call", "tab:cyan"), ("hedge", "tab:red"), ("fees", "tab:gray"),
            ("interest", "tab:olive"))


def draw_figures(files: report_html.RunFiles) -> dict[str, bytes]:
    """Return the run's figures as PNG bytes, drawn from its files alone."""
    return {"equity.png": fig_equity(files), "attribution.png": fig_attribution(files),
            "vx_macd.png": fig_vx_macd(files), "vega.png": fig_vega(files)}


def _png(fig, top: float = 0.93) -> bytes:
    # fixed margins: tight_layout costs an extra draw (~40% of the figure time)
    fig.subplots_adjust(left=0.075, right=0.985, top=top, bottom=0.07, hspace=0.08)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=FIGURE_DPI, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def _dates(df: pd.DataFrame) -> pd.DatetimeIndex:
    return pd.to_datetime(df.index)


def _finish(ax, ylabel: str, legend: bool = True) -> None:
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(loc="upper left", fontsize=8)


def fig_equity(files: report_html.RunFiles) -> bytes:
    """Equity (NAV, condor and hedge P&L on the starting cash) and drawdown."""
    d, cfg = files.daily, files.config
    x = _dates(d)
    fig, (ax, dd) = plt.subplots(2, 1, figsize=(11, 5.5), sharex=True, gridspec_kw={"height_ratios": [3, 1.2]})
    ax.plot(x, d["nav_usd"] / 1e6, color="black", lw=1.2, label="NAV")
    base = cfg.run.initial_cash_usd
    for g, color in (("condor", "tab:blue"), ("hedge", "tab:red")):
        ax.plot(x, (base + d[f"{g}_value_usd"]) / 1e6, lw=0.9, color=color, label=f"start cash + {g} P&L")
    ax.set_title(f"{cfg.run.name}: hedge mode {cfg.hedge.mode.value}, {cfg.hedge.instrument.value}")
    _finish(ax, "USD m")
    dd.fill_between(x, -100 * d["drawdown"], 0, color="tab:gray")
    _finish(dd, "drawdown %", legend=False)
    return _png(fig)


def _families(attribution: pd.DataFrame) -> pd.DataFrame:
    parts = attribution.drop(columns="total_pnl_usd")
    out = pd.DataFrame(index=parts.index)
    for name, _ in FAMILIES:
        cols = [c for c in parts.columns if c == name or c.startswith(f"{name}:")]
        out[name] = parts[cols].sum(axis=1) if cols else 0.0
    return out


def fig_attribution(files: report_html.RunFiles) -> bytes:
    """Monthly P&L stacked by component (gains up, losses down) and cumulative P&L per component."""
    fam = _families(files.attribution)
    months = fam.groupby(fam.index.str[:7]).sum()
    xm = pd.to_datetime(months.index + "-15")
    fig, (ax, cum) = plt.subplots(2, 1, figsize=(11, 6.5), sharex=True, gridspec_kw={"height_ratios": [1.4, 1]})
    ax.use_sticky_edges = False  # a zero-height bar at the bottom of a stack must not pin the axis limit there
    up, down = np.zeros(len(months)), np.zeros(len(months))
    for name, color in FAMILIES:
        v = months[name].to_numpy() / 1e3
        gain, loss = np.where(v > 0, v, 0.0), np.where(v < 0, v, 0.0)
        ax.bar(xm, gain, bottom=up, width=20, color=color, label=name)
        ax.bar(xm, loss, bottom=down, width=20, color=color)
        up, down = up + gain, down + loss
    ax.scatter(xm, months.sum(axis=1) / 1e3, color="black", s=12, zorder=3, label="month total")
    ax.axhline(0, color="black", lw=0.6)
    _finish(ax, "monthly P&L, USD k", legend=False)
    ax.legend(loc="lower left", bbox_to_anchor=(0.0, 1.0), ncol=len(FAMILIES) + 1, fontsize=8, frameon=False)
    x = _dates(fam)
    for name, color in FAMILIES:
        cum.plot(x, fam[name].cumsum() / 1e3, color=color, lw=1, label=name)
    cum.plot(x, files.attribution["total_pnl_usd"].cumsum() / 1e3, color="black", lw=1.2, label="total")
    _finish(cum, "cumulative P&L, USD k")
    return _png(fig, top=0.95)


def fig_vx_macd(files: report_html.RunFiles) -> bytes:
    """The VX series the MACD reads with layer entries/exits; MACD, signal and histogram."""
    d, cfg = files.daily, files.config
    x = _dates(d)
    fig, (ax, mp) = plt.subplots(2, 1, figsize=(11, 6), sharex=True, gridspec_kw={"height_ratios": [2.5, 1.6]})
    ax.plot(x, d["vx_signal_series"], color="tab:purple", lw=1, label=f"VX {cfg.hedge.macd.series}")
    ax.plot(x, d["vix_close"], color="tab:gray", lw=0.6, alpha=0.7, label="VIX")
    _mark_layers(ax, d["vx_signal_series"], files.layers)
    ax.set_title("Hedge signal and layers")
    _finish(ax, "VIX points")
    hist = d["macd_hist"].to_numpy()
    mp.vlines(x, 0, hist, colors=np.where(hist > 0, "tab:red", "tab:green"), lw=max(0.6, min(4.0, 500 / len(d))))
    mp.plot(x, d["macd"], color="black", lw=0.7, label="MACD")
    mp.plot(x, d["macd_signal"], color="tab:orange", lw=0.7, label="signal")
    m = cfg.hedge.macd
    _finish(mp, f"MACD({m.fast},{m.slow},{m.signal})")
    return _png(fig)


def _mark_layers(ax, series: pd.Series, layers: pd.DataFrame) -> None:
    if layers.empty:
        return
    ax.scatter(pd.to_datetime(layers["entry_date"]), series.reindex(layers["entry_date"]).to_numpy(), marker="^",
               color="tab:red", s=30, zorder=3, label="layer added")
    closed = layers.dropna(subset=["exit_date"])
    if len(closed):
        ax.scatter(pd.to_datetime(closed["exit_date"]), series.reindex(closed["exit_date"]).to_numpy(), marker="v",
                   color="tab:green", s=30, zorder=3, label="layer removed")


def fig_vega(files: report_html.RunFiles) -> bytes:
    """Net vega against the target band (USD k per vol point); hedge ratio against [low, high]."""
    d = files.daily
    x = _dates(d)
    lo, hi = files.config.analysis.hedge_ratio_band
    fig, (ax, hr) = plt.subplots(2, 1, figsize=(11, 5.5), sharex=True, gridspec_kw={"height_ratios": [2.5, 1.4]})
    ax.fill_between(x, d["net_vega_band_low_usd"] / 1e3, d["net_vega_band_high_usd"] / 1e3, color="tab:green",
                    alpha=0.25, lw=0, label=f"target band (hedge {lo:g}-{hi:g} x |condor vega|)")
    ax.plot(x, d["condor_vega_usd"] / 1e3, color="tab:blue", lw=0.7, label="condor vega")
    ax.plot(x, d["hedge_vega_usd"] / 1e3, color="tab:red", lw=0.7, label="hedge vega")
    ax.plot(x, d["net_vega_usd"] / 1e3, color="black", lw=1.1, label="net vega")
    ax.axhline(0, color="black", lw=0.5)
    ax.set_title("Book vega, SPX-vega-equivalent at the condor's tenor (tenor-matched bridge)")
    _finish(ax, "USD k per vol point")
    hr.axhspan(lo, hi, color="tab:green", alpha=0.25, lw=0)
    hr.plot(x, d["hedge_ratio"], color="black", lw=0.9, label="hedge vega / |condor vega|")
    _finish(hr, "hedge ratio")
    return _png(fig)


def summary_table(result: RunResult) -> str:
    """Return a short plain-text summary of the run's main numbers."""
    m = result.metrics
    p, h, v, pnl = m["performance"], m["hedge_cost"], m["vega_drift"], m["pnl"]
    rows = [
        ("window", f"{result.daily.index[0]} .. {result.daily.index[-1]} ({m['counts']['days']} days)"),
        ("hedge mode", f"{result.config.hedge.mode.value} ({result.config.hedge.instrument.value})"),
        ("final NAV", f"${p['end_nav_usd']:,.0f}  (total return {100 * p['total_return']:.2f}%)"),
        ("CAGR / vol", f"{100 * p['cagr']:.2f}% / {100 * p['ann_vol']:.2f}%"),
        ("Sharpe", f"{p['sharpe']:.2f}  (rf {100 * p['risk_free_rate']:.2f}%, {p['periods_per_year']}/yr)"),
        ("Sortino / Calmar", f"{p['sortino']:.2f} / {p['calmar']:.2f}"),
        ("max drawdown", f"{100 * p['max_drawdown']:.2f}%  ({p.get('max_drawdown_duration_days', 'n/a')} days)"),
        ("tail risk", f"CVaR 95% {100 * p['cvar_95']:.2f}%, "
                      f"worst month {100 * p.get('worst_month', float('nan')):.2f}% ({p.get('worst_month_label')})"),
        ("P&L condor", f"${pnl['condor_pnl_usd']:,.0f}"),
        ("P&L hedge", f"${pnl['hedge_pnl_usd']:,.0f}"),
        ("fees / interest", f"${pnl['fees_pnl_usd']:,.0f} / ${pnl['interest_pnl_usd']:,.0f}"),
        ("hedge net cost", f"${h['net_cost_usd']:,.0f}  ({h['cost_pct_of_condor_credit']}% of condor credit)"),
        ("hedge rolls/stress", f"${h['vx_roll_carry_usd']:,.0f} realised at rolls; ${h['stress_pnl_usd']:,.0f} "
                               f"on {h['stress_days']} stress days (condor ${h['condor_stress_pnl_usd']:,.0f})"),
        ("condors / layers", f"{m['counts']['condors']} / {m['counts']['hedge_layers']}"),
        ("vega band days out", f"{100 * v.get('share_days_outside_band', float('nan')):.1f}% "
                               f"(mean hedge ratio {v.get('mean_hedge_ratio', float('nan'))})"),
    ]
    if "data_provenance" in m:
        rows.append(("data", m["data_provenance"]["verdict"]))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"  {k:<{width}}  {val}" for k, val in rows)
