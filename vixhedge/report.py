"""Run folder (atomic write), summary table and the run's figure."""

from __future__ import annotations

import hashlib
import json
import math
import os
import platform
import shutil
import subprocess
import tempfile
from importlib import metadata
from pathlib import Path

import matplotlib

matplotlib.use("Agg", force=True)
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402

from vixhedge import config as config_mod  # noqa: E402
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
        "seed": result.config.run.seed,
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

    Files are written into a temporary sibling folder which is renamed into place only when
    complete, so an interrupted run never leaves a folder that looks finished; an earlier
    folder of the same id is replaced only after the new one is complete.
    """
    rid = run_id(result.config)
    runs_dir.mkdir(parents=True, exist_ok=True)
    final = runs_dir / rid
    tmp = Path(tempfile.mkdtemp(prefix=f".{rid}.", dir=runs_dir))
    try:
        (tmp / "config.toml").write_text(config_mod.to_toml(result.config), encoding="utf-8")
        _json(tmp / "manifest.json", manifest(result, rid))
        _json(tmp / "metrics.json", result.metrics)
        result.daily.to_csv(tmp / "daily.csv", float_format="%.6f", lineterminator="\n")
        for name in ("trades", "layers", "condors"):
            getattr(result, name).to_csv(tmp / f"{name}.csv", index=False, float_format="%.6f",
                                         lineterminator="\n")
        plot_run(result, tmp / "run.png")
        old = None
        if final.exists():
            old = runs_dir / f".{rid}.old.{os.getpid()}"
            final.rename(old)
        tmp.rename(final)
        if old is not None:
            shutil.rmtree(old)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


def _json(path: Path, obj) -> None:
    path.write_text(json.dumps(_clean(obj), indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def plot_run(result: RunResult, path: Path) -> None:
    """Draw equity + drawdown, VX series with layer entries/exits, and the MACD histogram."""
    d = result.daily
    x = pd.to_datetime(d.index)
    fig, axes = plt.subplots(4, 1, figsize=(11, 11), sharex=True,
                             gridspec_kw={"height_ratios": [3, 1.2, 2.5, 1.6]})
    ax = axes[0]
    ax.plot(x, d["nav_usd"] / 1e6, color="black", lw=1.2, label="NAV")
    base = result.config.run.initial_cash_usd
    for g, color in (("condor", "tab:blue"), ("hedge", "tab:red")):
        ax.plot(x, (base + d[f"{g}_value_usd"]) / 1e6, lw=0.9, color=color, label=f"{g} P&L + start cash")
    ax.set_ylabel("USD m")
    ax.set_title(f"{result.config.run.name}: hedge mode {result.config.hedge.mode.value}, "
                 f"{result.config.hedge.instrument.value}")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    axes[1].fill_between(x, -100 * d["drawdown"], 0, color="tab:gray")
    axes[1].set_ylabel("drawdown %")
    axes[1].grid(alpha=0.3)
    ax = axes[2]
    ax.plot(x, d["vx_signal_series"], color="tab:purple", lw=1, label=f"VX {result.config.hedge.macd.series}")
    ax.plot(x, d["vix_close"], color="tab:gray", lw=0.6, alpha=0.7, label="VIX")
    _mark_layers(ax, result)
    ax.set_ylabel("VIX points")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    ax = axes[3]
    hist = d["macd_hist"]
    ax.bar(x, hist, color=["tab:red" if v > 0 else "tab:green" for v in hist], width=1.0)
    ax.plot(x, d["macd"], color="black", lw=0.7, label="MACD")
    ax.plot(x, d["macd_signal"], color="tab:orange", lw=0.7, label="signal")
    m = result.config.hedge.macd
    ax.set_ylabel(f"MACD({m.fast},{m.slow},{m.signal})")
    ax.legend(loc="upper left", fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=90, metadata={"Software": None})
    plt.close(fig)


def _mark_layers(ax, result: RunResult) -> None:
    if result.layers.empty:
        return
    d = result.daily
    s = d["vx_signal_series"]
    entries = pd.to_datetime(result.layers["entry_date"])
    ax.scatter(entries, s.reindex(result.layers["entry_date"]).to_numpy(), marker="^", color="tab:red",
               s=30, zorder=3, label="layer added")
    closed = result.layers.dropna(subset=["exit_date"])
    if len(closed):
        ax.scatter(pd.to_datetime(closed["exit_date"]), s.reindex(closed["exit_date"]).to_numpy(), marker="v",
                   color="tab:green", s=30, zorder=3, label="layer removed")


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
        ("max drawdown", f"{100 * p['max_drawdown']:.2f}%"),
        ("P&L condor", f"${pnl['condor_pnl_usd']:,.0f}"),
        ("P&L hedge", f"${pnl['hedge_pnl_usd']:,.0f}"),
        ("fees / interest", f"${pnl['fees_pnl_usd']:,.0f} / ${pnl['interest_pnl_usd']:,.0f}"),
        ("hedge net cost", f"${h['net_cost_usd']:,.0f}  ({h['cost_pct_of_condor_credit']}% of condor credit)"),
        ("condors / layers", f"{m['counts']['condors']} / {m['counts']['hedge_layers']}"),
        ("vega band days out", f"{100 * v.get('share_days_outside_band', float('nan')):.1f}% "
                               f"(mean hedge ratio {v.get('mean_hedge_ratio', float('nan'))})"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"  {k:<{width}}  {val}" for k, val in rows)
