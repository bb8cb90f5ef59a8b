"""Run folder (atomic write), summary table, the run's figures and its HTML report.

Figures are drawn from the run folder's own files, after they are written, so ``vixhedge report
RUN_DIR`` redraws the same PNG bytes without re-running; PNGs carry no software/date metadata
(same config, same bytes). The figure functions return :class:`matplotlib.figure.Figure` objects
built without pyplot, so importing or calling them never changes the user's matplotlib backend
(a notebook keeps its inline backend); only :func:`draw_figures` renders them to PNG.
"""

from __future__ import annotations

import hashlib
import json
import math
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd

from analyzers.plugins import table_file
from vixhedge.core import config as config_mod
from vixhedge import html as report_html
from vixhedge.atomic import atomic_folder
from vixhedge.run import RunResult

PACKAGES = ("vixhedge", "backtrader", "numpy", "pandas", "scipy", "matplotlib", "exchange_calendars", "arch")


def run_id(cfg: config_mod.Config) -> str:
    """Return ``<name>-<hash8>``: the same config (and plug-ins' sources) always gets the same id."""
    from vixhedge.extensions import fingerprint

    digest = hashlib.sha256((config_mod.to_toml(cfg) + fingerprint(cfg)).encode()).hexdigest()[:8]
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
    from vixhedge.extensions import identities, modules

    plugins = identities(result.config)
    mods = modules(result.config)
    path = f"PYTHONPATH=<the folder of module{'s' * (len(mods) > 1)} {', '.join(mods)}> " if mods else ""
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
        **plugins,  # hedge_policy, condor_selector, signals, analyzers: module, qualname, source sha256
        "replay_command": f"{path}vixhedge run runs/{rid}/config.toml",
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


def write_run(result: RunResult, runs_dir: Path, parquet: bool = False,
              no_hedge_nav: pd.Series | None = None) -> Path:
    """Write ``runs_dir/<run-id>/`` atomically; return its path.

    See :func:`vixhedge.atomic.atomic_folder`: an interrupted run never leaves a folder that
    looks finished, and an earlier folder of the same id is replaced only once the new one is complete.
    ``no_hedge_nav``: see :func:`benchmark`. ``parquet``: also write every frame as ``<name>.parquet`` (full precision, typed; needs pyarrow,
    ``pip install 'vixhedge[parquet]'``).
    """
    rid = run_id(result.config)
    with atomic_folder(runs_dir, rid) as tmp:
        (tmp / "config.toml").write_text(config_mod.to_toml(result.config), encoding="utf-8")
        _json(tmp / "manifest.json", manifest(result, rid))
        _json(tmp / "metrics.json", result.metrics)
        result.daily.to_csv(tmp / "daily.csv", float_format="%.6f", lineterminator="\n")
        result.signals_log.to_csv(tmp / "signals.csv", float_format="%.6f", lineterminator="\n")
        result.trades.to_csv(tmp / "trades.csv", float_format="%.6f", lineterminator="\n")  # the fill date first
        for name in ("layers", "condors"):  # indexed by their entry date, which is also a column
            getattr(result, name).to_csv(tmp / f"{name}.csv", index=False, float_format="%.6f",
                                         lineterminator="\n")
        result.attribution.to_csv(tmp / "attribution.csv", float_format="%.6f", lineterminator="\n")
        tables = {table_file(k).removesuffix(".csv"): t for k, t in result.analyzer_tables.items()}  # plug-ins
        for name, table in tables.items():
            table.to_csv(tmp / f"{name}.csv", index=not isinstance(table.index, pd.RangeIndex), float_format="%.6f",
                         lineterminator="\n")
        bench = benchmark(result, no_hedge_nav)
        bench.to_csv(tmp / "benchmark.csv", float_format="%.6f", lineterminator="\n")
        if parquet:
            frames = {"daily": result.daily, "signals": result.signals_log, "trades": result.trades,
                      "layers": result.layers, "condors": result.condors, "attribution": result.attribution,
                      "benchmark": bench, **tables}
            for name, frame in frames.items():
                frame.to_parquet(tmp / f"{name}.parquet")
        files = report_html.load_run(tmp)
        figures = draw_figures(files)
        for name, png in figures.items():
            (tmp / name).write_bytes(png)
        (tmp / "report.html").write_text(report_html.render(files, figures), encoding="utf-8")
    return runs_dir / rid


def benchmark(result: RunResult, no_hedge_nav: pd.Series | None = None) -> pd.DataFrame:
    """Return the run's NAV beside the S&P 500 total return and the same config without hedge (same market).

    ``no_hedge_nav``: that no-hedge run's NAV when the caller already has it (compare's ``none`` mode), else it
    is run here.
    """
    from analyzers.report_tables import benchmark_frame
    from vixhedge.run import daily_book, dated_frames

    cfg = result.config
    if cfg.hedge.policy_name == "none":
        no_hedge = result.daily["nav_usd"]
    elif no_hedge_nav is not None:
        no_hedge = no_hedge_nav
    else:
        book = daily_book(config_mod.replace(cfg, hedge={"mode": "none", "policy": ""}), result.market)[0]
        no_hedge = dated_frames(book)[0]["nav_usd"]
    return benchmark_frame(result.daily, no_hedge, cfg.market.div_yield)


def _json(path: Path, obj) -> None:
    path.write_text(json.dumps(_clean(obj), indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def rebuild_report(folder: Path) -> Path:
    """Redraw a run folder's figures from its files and rewrite its ``report.html``; return its path.

    The HTML file is written to a temporary name and renamed over the old one.
    """
    files = report_html.load_run(folder)
    return report_html.write_page(Path(folder) / "report.html", report_html.render(files, draw_figures(files)))


# ----------------------------------------------------------------------------- figures

FAMILIES = (("condor:put", "tab:blue"), ("condor:call", "tab:cyan"), ("hedge", "tab:red"), ("fees", "tab:gray"),
            ("interest", "tab:olive"))


def draw_figures(files: report_html.RunFiles) -> dict[str, bytes]:
    """Return the run's figures as PNG bytes, drawn from its files alone."""
    figs = {"equity.png": fig_equity(files), "attribution.png": fig_attribution(files),
            "vx_macd.png": fig_vx_macd(files), "vega.png": fig_vega(files)}
    if files.benchmark is not None:
        figs["benchmark.png"] = fig_benchmark(files)
    return {name: report_html.png_bytes(fig) for name, fig in figs.items()}


def _figure(height: float, ratios: tuple[float, ...], top: float = 0.93):
    """Return a Figure (no pyplot: the user's backend is never touched) and its stacked axes."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, height))
    axes = fig.subplots(len(ratios), 1, sharex=True, gridspec_kw={"height_ratios": list(ratios)})
    # fixed margins: tight_layout costs an extra draw; the right margin holds the legends, off the data
    fig.subplots_adjust(left=0.07, right=0.80, top=top, bottom=0.07, hspace=0.08)
    return fig, axes


def _dates(df: pd.DataFrame) -> pd.DatetimeIndex:
    return pd.to_datetime(df.index)


def _finish(ax, ylabel: str, legend: bool = True) -> None:
    ax.set_ylabel(ylabel)
    ax.grid(alpha=0.3)
    if legend:
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=8, frameon=False)


def robust_limits(values: np.ndarray, pad: float = 0.08, q: float = 0.99) -> tuple[float, float] | None:
    """Return y-limits spanning the central ``q`` of ``values`` (so one spike does not flatten a panel).

    None when nothing lies outside those limits (autoscale is then already right).
    """
    v = np.asarray(values, dtype=float)
    v = v[np.isfinite(v)]
    if v.size < 10:
        return None
    lo, hi = np.quantile(v, [1 - q, q])
    if lo == hi or (v.min() >= lo and v.max() <= hi):
        return None
    span = hi - lo
    return lo - pad * span, hi + pad * span


def _clip_panel(ax, x, values: np.ndarray, scale_values: np.ndarray | None = None) -> None:
    """Apply robust limits (of ``scale_values``, default ``values``) to ``ax``; mark the points of ``values``
    beyond them at the edge, saying how many."""
    lim = robust_limits(values if scale_values is None else scale_values)
    if lim is None:
        return
    ax.set_ylim(*lim)
    v = np.asarray(values, dtype=float)
    over, under = v > lim[1], v < lim[0]
    for mask, edge, marker in ((over, lim[1], "^"), (under, lim[0], "v")):
        if mask.any():
            ax.scatter(np.asarray(x)[mask], np.full(mask.sum(), edge), marker=marker, s=14, color="tab:purple",
                       zorder=4, clip_on=False, label=f"{int(mask.sum())} day(s) beyond the scale")


def fig_equity(files: report_html.RunFiles):
    """Equity (NAV, condor and hedge P&L on the starting cash) and drawdown."""
    d, cfg = files.daily, files.config
    x = _dates(d)
    fig, (ax, dd) = _figure(5.5, (3, 1.2))
    ax.plot(x, d["nav_usd"] / 1e6, color="black", lw=1.2, label="NAV")
    base = cfg.run.initial_cash_usd
    for g, color in (("condor", "tab:blue"), ("hedge", "tab:red")):
        ax.plot(x, (base + d[f"{g}_value_usd"]) / 1e6, lw=0.9, color=color, label=f"start cash + {g} P&L")
    ax.set_title(f"{cfg.run.name}: hedge {cfg.hedge.policy_name}, {cfg.hedge.instrument.value}")
    _finish(ax, "USD m")
    dd.fill_between(x, -100 * d["drawdown"], 0, color="tab:gray")
    _finish(dd, "drawdown %", legend=False)
    return fig


def _families(attribution: pd.DataFrame) -> pd.DataFrame:
    parts = attribution.drop(columns="total_pnl_usd")
    out = pd.DataFrame(index=parts.index)
    for name, _ in FAMILIES:
        cols = [c for c in parts.columns if c == name or c.startswith(f"{name}:")]
        out[name] = parts[cols].sum(axis=1) if cols else 0.0
    return out


def fig_attribution(files: report_html.RunFiles):
    """Monthly P&L stacked by component (gains up, losses down) and cumulative P&L per component."""
    fam = _families(files.attribution)
    months = fam.groupby(fam.index.to_period("M")).sum()
    xm = months.index.to_timestamp() + pd.Timedelta(days=14)
    fig, (ax, cum) = _figure(6.5, (1.4, 1), top=0.95)
    ax.use_sticky_edges = False  # a zero-height bar at the bottom of a stack must not pin the axis limit there
    up, down = np.zeros(len(months)), np.zeros(len(months))
    ax.xaxis_date()
    for name, color in FAMILIES:
        v = months[name].to_numpy() / 1e3
        gain, loss = np.where(v > 0, v, 0.0), np.where(v < 0, v, 0.0)
        _bars(ax, xm, np.concatenate([up, down]), np.concatenate([gain, loss]), color, name)
        up, down = up + gain, down + loss
    ax.autoscale_view()
    ax.scatter(xm, months.sum(axis=1) / 1e3, color="black", s=12, zorder=3, label="month total")
    ax.axhline(0, color="black", lw=0.6)
    _finish(ax, "monthly P&L, USD k")
    x = _dates(fam)
    for name, color in FAMILIES:
        cum.plot(x, fam[name].cumsum() / 1e3, color=color, lw=1, label=name)
    cum.plot(x, files.attribution["total_pnl_usd"].cumsum() / 1e3, color="black", lw=1.2, label="total")
    _finish(cum, "cumulative P&L, USD k")
    return fig


def _bars(ax, x: pd.DatetimeIndex, bottom: np.ndarray, height: np.ndarray, color: str, label: str) -> None:
    """Draw 20-day bars centred on ``x`` (repeated to the length of ``bottom``) as ONE collection.

    What ``ax.bar`` draws, without one Rectangle artist per bar (attribution.png cost 0.6 s with them).
    """
    from matplotlib.collections import PolyCollection
    from matplotlib.dates import date2num

    c = np.resize(date2num(x), len(bottom))
    lo, hi = bottom, bottom + height
    verts = np.stack([np.column_stack([c - 10, lo]), np.column_stack([c + 10, lo]),
                      np.column_stack([c + 10, hi]), np.column_stack([c - 10, hi])], axis=1)
    ax.add_collection(PolyCollection(verts, facecolors=color, edgecolors="none", linewidths=0, label=label))


def fig_vx_macd(files: report_html.RunFiles):
    """The VX series the MACD reads with layer entries/exits; MACD, signal and histogram."""
    d, cfg = files.daily, files.config
    x = _dates(d)
    fig, (ax, mp) = _figure(6, (2.5, 1.6))
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
    return fig


def _mark_layers(ax, series: pd.Series, layers: pd.DataFrame) -> None:
    if layers.empty:
        return
    ax.scatter(pd.to_datetime(layers["entry_date"]), series.reindex(layers["entry_date"]).to_numpy(), marker="^",
               color="tab:red", s=30, zorder=3, label="layer added")
    closed = layers.dropna(subset=["exit_date"])
    if len(closed):
        ax.scatter(pd.to_datetime(closed["exit_date"]), series.reindex(closed["exit_date"]).to_numpy(), marker="v",
                   color="tab:green", s=30, zorder=3, label="layer removed")


def fig_vega(files: report_html.RunFiles):
    """Net vega against the target band (USD k per vol point); hedge ratio against [low, high]."""
    d = files.daily
    x = _dates(d)
    lo, hi = files.config.analysis.hedge_ratio_band
    fig, (ax, hr) = _figure(5.5, (2.5, 1.4))
    ax.fill_between(x, d["net_vega_band_low_usd"] / 1e3, d["net_vega_band_high_usd"] / 1e3, color="tab:green",
                    alpha=0.25, lw=0, label=f"target band\n(hedge {lo:g}-{hi:g} x\n|condor vega|)")
    ax.plot(x, d["condor_vega_usd"] / 1e3, color="tab:blue", lw=0.7, label="condor vega")
    ax.plot(x, d["hedge_vega_usd"] / 1e3, color="tab:red", lw=0.7, label="hedge vega")
    ax.plot(x, d["net_vega_usd"] / 1e3, color="black", lw=1.1, label="net vega")
    _clip_panel(ax, x, d["net_vega_usd"].to_numpy() / 1e3,
                np.concatenate([d[c].to_numpy() / 1e3 for c in ("condor_vega_usd", "hedge_vega_usd", "net_vega_usd")]))
    ax.axhline(0, color="black", lw=0.5)
    ax.set_title("Book vega, SPX-vega-equivalent at the condor's tenor (tenor-matched bridge)")
    _finish(ax, "USD k per vol point")
    hr.axhspan(lo, hi, color="tab:green", alpha=0.25, lw=0)
    hr.plot(x, d["hedge_ratio"], color="black", lw=0.9, label="hedge vega /\n|condor vega|")
    _clip_panel(hr, x, d["hedge_ratio"].to_numpy())
    _finish(hr, "hedge ratio")
    return fig


def fig_benchmark(files: report_html.RunFiles):
    """The run's NAV against the S&P 500 total return and the same run without hedge; drawdowns of all three."""
    b = files.benchmark
    x = _dates(b)
    fig, (ax, dd) = _figure(5.0, (3, 1.2))
    for col, label, color, lw in (("nav_usd", "this run", "black", 1.3), ("no_hedge_nav_usd", "same run, no hedge",
                                                                          "tab:blue", 0.9),
                                  ("spx_tr_nav_usd", "S&P 500 total return", "tab:gray", 0.9)):
        ax.plot(x, b[col] / 1e6, color=color, lw=lw, label=label)
        dd.plot(x, -100 * (1 - b[col] / b[col].cummax()), color=color, lw=lw * 0.8)
    ax.set_title("Against the benchmarks (all start at the run's first NAV)")
    _finish(ax, "USD m")
    _finish(dd, "drawdown %", legend=False)
    return fig


def _plugin_rows(result: RunResult) -> list[tuple[str, str]]:
    """Summary rows naming the condor selector, extra signals and analyzers a config sets (none for stock configs)."""
    cfg = result.config
    named = (("condor selector", cfg.condor.selector), ("extra signals", ", ".join(cfg.hedge.signals)),
             ("analyzers", ", ".join(cfg.analysis.analyzers)))
    return [(label, value) for label, value in named if value]


def summary_table(result: RunResult) -> str:
    """Return a short plain-text summary of the run's main numbers."""
    m = result.metrics
    p, h, v, pnl = m["performance"], m["hedge_cost"], m["vega_drift"], m["pnl"]
    rows = [
        ("window", f"{result.daily.index[0]:%Y-%m-%d} .. {result.daily.index[-1]:%Y-%m-%d} "
                   f"({m['counts']['days']} days)"),
        ("hedge policy", f"{result.config.hedge.policy_name} ({result.config.hedge.instrument.value})"),
        *_plugin_rows(result),
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
    c = m.get("capital")
    if c:
        rows.append(("capital", f"margin {100 * c['peak_margin_utilisation']:.1f}% of NAV peak "
                                f"({100 * c['mean_margin_utilisation']:.1f}% mean), return on margin "
                                f"{100 * c['return_on_margin']:.1f}%, {c['days_constrained_by_buying_power']} days "
                                f"constrained by buying power, {c['days_cut_by_capital_caps']} cut by caps"))
    ruin = m.get("ruin")
    if ruin:
        rows.insert(0, ("RUIN", f"{ruin['date']}: {ruin['cause']}; trading stopped, metrics on "
                                f"{p['valid_span']['start']} .. {p['valid_span']['end']} (NAV 0 on the ruin day)"))
    if "data_provenance" in m:
        rows.append(("data", m["data_provenance"]["verdict"]))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"  {k:<{width}}  {val}" for k, val in rows)
