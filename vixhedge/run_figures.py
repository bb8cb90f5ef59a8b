"""The run folder's figures, drawn from its files alone as SVG (:mod:`vixhedge.svgplot`).

``vixhedge report RUN_DIR`` redraws the same bytes without re-running (same files, same SVG). Drawing never
imports matplotlib, so a run never touches the user's matplotlib backend.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from vixhedge.caveats import to_ruin
from vixhedge.frame_checks import run_files
from vixhedge.fmt import pct, plural, source_words
from vixhedge.report_sections import hedge_label
from vixhedge.run_figure_book import DOWN, UP, book_panel, layer_contracts, mark_crossovers, mark_layers, too_dense
from vixhedge.run_figure_pnl import fig_attribution
from vixhedge.runfolder import RunFiles
from vixhedge.svgplot import Chart, Panel, Svg, day_numbers

if TYPE_CHECKING:  # what a figure takes (run_files), in help()
    from pathlib import Path

    from vixhedge.run import RunResult

VEGA_SERIES = (("condor_vega", "condor vega", "tab:blue"), ("hedge_vega", "hedge vega", "tab:red"),
               ("net_vega", "net vega", "black"))  # daily.csv column stem, label, colour (net vega drawn on top)


def draw_figures(files: RunFiles) -> dict[str, bytes]:
    """Return the run's figures as SVG bytes, by file name, drawn from its files alone."""
    figs = {"equity.svg": fig_equity(files), "attribution.svg": fig_attribution(files),
            "vx_macd.svg": fig_vx_macd(files), "vega.svg": fig_vega(files)}
    if {"breakeven_low_spx", "breakeven_high_spx"} <= set(files.daily.columns):  # (not in the oldest folders)
        figs["condor.svg"] = fig_condor(files)
    if files.benchmark is not None:
        figs["benchmark.svg"] = fig_benchmark(files)
    return {name: svg.encode("utf-8") for name, svg in figs.items()}


def about(files) -> str:
    """A chart's subtitle: the run, its data source and window (an SVG copied out of the page names them).
    ``files``: a run folder read back (manifest.json) or a :class:`~vixhedge.run.RunResult` (its market)."""
    mf = getattr(files, "manifest", None)
    if mf is None:  # a RunResult: what its folder's manifest will say (the same figure from either)
        from vixhedge.report import run_id

        mf = {"run_id": run_id(files.config), "data_source": files.market.data.source}
    days = files.daily.index
    window = f"{days[0]:%Y-%m-%d} .. {days[-1]:%Y-%m-%d} ({len(days):,} sessions)" if len(days) else "no session"
    ruin = to_ruin(files.metrics, days)  # trial VIS21: a ruined run's figures said nothing of it
    ruined = f"RUINED {files.metrics['ruin']['date']} (session {ruin}): flat after" if ruin else ""
    data = f"data {source_words(mf['data_source'])}" if mf.get("data_source") else ""
    return "; ".join(t for t in (f"run {mf.get('run_id') or files.config.run.name}", data, window, ruined) if t)


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


def _clip_panel(ax: Panel, x: np.ndarray, series: list[tuple[str, np.ndarray, str]],
                lim: tuple[float, float] | None = None) -> None:
    """Apply ``lim`` (default: robust limits of every series' values pooled) to ``ax``; mark each day a series
    (label, values, colour) lies beyond them at the edge (hollow, in its colour), saying per side how many days."""
    lim = lim or robust_limits(np.concatenate([np.asarray(v, dtype=float) for _, v, _ in series]))
    if lim is None:
        return
    ax.ylim = lim
    for name, values, col in series:
        v = np.asarray(values, dtype=float)
        for mask, edge, marker, side in ((v > lim[1], lim[1], "^|", "above"), (v < lim[0], lim[0], "v|", "below")):
            if mask.any():
                ax.markers(x[mask], np.full(mask.sum(), edge), marker, col, 4.0,
                           f"{name}: {plural(mask.sum(), 'day')}\n{side} the scale")


def fig_equity(files: RunFiles | RunResult | str | Path) -> Svg:
    """Equity (NAV, condor and hedge P&L on the starting cash) and drawdown.

    ``files``: a :class:`~vixhedge.run.RunResult` (run_backtest), a run folder read back (load_run) or its path (a str
    or Path). Returns SVG text (:class:`~vixhedge.svgplot.Svg`, a str a notebook shows inline); a frame edited so it
    cannot be drawn (a column it reads dropped) is one ArgumentError line (:mod:`vixhedge.frame_checks`)."""
    files = run_files(files, "fig_equity")
    d, cfg = files.daily, files.config
    x = day_numbers(d.index)
    chart = Chart(5.5, (3, 1.2), f"{cfg.run.name}: NAV and P&L on the starting cash, drawdown; hedge "
                                 f"{hedge_label(cfg.hedge)}", subtitle=about(files))
    ax, dd = chart.panels
    ax.line(x, d["nav_usd"] / 1e6, "black", 1.6, "NAV")
    base = cfg.run.initial_cash_usd
    for g, color in (("condor", "tab:blue"), ("hedge", "tab:red")):
        ax.line(x, (base + d[f"{g}_value_usd"]) / 1e6, color, 1.2, f"start cash + {g} P&L")
    ax.ylabel = "USD m"
    dd.fill(x, -100 * d["drawdown"].to_numpy(), 0.0, "tab:gray")
    dd.ylabel, dd.legend = "drawdown %", False
    return chart.svg()


#: condors.csv exit reasons condor.svg marks, with colour, shape and whether hollow: a margin call's or the ruin's
#: only where one closed a condor (trial VIS27: a run ruined on 2020-03-23 drew a break-even band that just stopped);
#: a stop and a profit take in orange and blue, filled and hollow (trial VIS42 M4: red and green read as one olive
#: under deuteranopia), a margin call purple (orange is the stop's)
EXIT_MARKS = {"stop": ("tab:orange", "v", False), "profit_take": ("tab:blue", "^", True),
              "margin_call": ("tab:purple", "o", False), "ruin": ("black", "o", False)}


def fig_condor(files: RunFiles | RunResult | str | Path) -> Svg:
    """SPX against the book's break-evens at the condor's expiry (daily.csv: the short strikes -+ the credit and the
    open layers' P&L per condor), condor exits marked by reason (condors.csv: stop, profit take, and a margin call
    or the ruin where one closed a condor, :data:`EXIT_MARKS`); how far SPX is inside the nearer break-even, in
    percent of SPX (below 0: beyond it)."""
    files = run_files(files, "fig_condor")
    d = files.daily
    x = day_numbers(d.index)
    chart = Chart(5.0, (2.5, 1.0), f"{files.config.run.name}: SPX against the book's break-evens (condor and hedge)",
                  subtitle=about(files))
    ax, room = chart.panels
    low, high, spx = (d[c].to_numpy(float) for c in ("breakeven_low_spx", "breakeven_high_spx", "spx_close"))
    ax.fill(x, low, high, "tab:green", 0.2, "between the\nbreak-evens")
    ax.line(x, spx, "black", 1.1, "SPX close")
    c = files.condors
    if not c.empty and {"exit_date", "exit_reason"} <= set(c.columns):
        exits = {r: c.loc[c["exit_reason"] == r, "exit_date"].dropna() for r in EXIT_MARKS}
        exits = {r: at for r, at in exits.items() if len(at) or r in ("stop", "profit_take")}  # (forced ones: if any)
        dense = too_dense(sum(len(at) for at in exits.values()))  # (vx_macd.svg's rule: trial VIS21)
        for reason, at in exits.items():
            col, shape, hollow = EXIT_MARKS[reason]
            # the stops and profit takes thin out; the ruin is always marked, margin calls unless too many alone
            # (review 27: past 321 exits the legend read "ruin: 1 time, too many to mark")
            forced = reason == "ruin" or reason == "margin_call" and not too_dense(len(at))
            if dense and not forced:
                ax.markers([], [], shape, col, 4.0, f"condor exit: {reason.replace('_', ' ')}:\n"
                           f"{plural(len(at), 'time')}, too many\nto mark", hollow)
            elif len(at):
                ax.markers(day_numbers(at), d["spx_close"].reindex(at).to_numpy(), shape, col, 4.0,
                           f"condor exit:\n{reason.replace('_', ' ')}", hollow)
    ax.ylog = log_axis(spx)  # SPX 2006-2025 spans 10x: on a linear axis 2009's band was a sliver
    if (lim := _spx_limits(spx, low, high, ax.ylog)) is not None:  # (None: autoscale, nothing to clip)
        _clip_panel(ax, x, [("break-even low", low, "tab:green"), ("break-even high", high, "tab:green")], lim)
    ax.ylabel = "SPX, log scale" if ax.ylog else "SPX"
    inside = 100 * np.minimum(spx - low, high - spx) / spx
    room.fill(x, 0.0, inside, "tab:gray", 0.5, "SPX inside the\nnearer break-even")
    room.hline(0, "black", 0.8)
    _clip_panel(room, x, [("distance", inside, "black")])
    room.ylabel = "% of SPX"
    return chart.svg()


def _spx_limits(spx: np.ndarray, low: np.ndarray, high: np.ndarray, ylog: bool) -> tuple[float, float] | None:
    """The condor chart's scale: every SPX close and the break-evens but their farthest 1% on either side (trial
    VIS21: one break-even at 765 on 2020-03-16, SPX above 2,237, squashed SPX into the top half). None: autoscale."""
    if not (np.isfinite(low).any() and np.isfinite(high).any() and np.isfinite(spx).any()):
        return None
    lo = min(np.nanmin(spx), np.nanquantile(low, 0.01))
    hi = max(np.nanmax(spx), np.nanquantile(high, 0.99))
    if np.nanmin(low) >= lo and np.nanmax(high) <= hi or not (0 < lo < hi if ylog else lo < hi):
        return None
    if ylog:
        pad = (hi / lo) ** 0.05
        return lo / pad, hi * pad
    return lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)


def fig_vx_macd(files: RunFiles | RunResult | str | Path) -> Svg:
    """The VX series the MACD reads with layer entries/exits; MACD, signal and histogram; the hedge book over time:
    open layers and contracts held, and the margin the book uses (daily.csv, layers.csv, trades.csv).

    ``files``: a :class:`~vixhedge.run.RunResult` (run_backtest), a run folder read back (load_run) or its path (a str
    or Path). Returns SVG text (:class:`~vixhedge.svgplot.Svg`, a str a notebook shows inline); a frame edited so it
    cannot be drawn (a column it reads dropped) is one ArgumentError line (:mod:`vixhedge.frame_checks`)."""
    files = run_files(files, "fig_vx_macd")
    d, cfg = files.daily, files.config
    x = day_numbers(d.index)
    book = "hedge_layers" in d.columns
    held = layer_contracts(d.index, files.layers, files.trades) if book else {}
    # contracts on their own panel when they dwarf the layer count (a VIX option layer holds ~100 calls)
    apart = bool(held) and max(float(h.max()) for h in held.values()) > 3.0 * max(1.0, d["hedge_layers"].max())
    margin = "margin_usd" in d.columns and "nav_usd" in d.columns
    hist = d["macd_hist"].to_numpy()
    lim = robust_limits(np.concatenate([hist, d["macd"], d["macd_signal"]])) if len(d) > LONG_SESSIONS else None
    ratios = (2.5, 1.6 + 1.0 * (lim is not None)) + ((1.1,) if book else ()) + ((0.9,) if apart else ()) + (
        (0.9,) if margin else ())  # (a clipped scale: room for its legend's marks)
    policy = cfg.hedge.policy_name  # the built-ins that read no MACD say so (trial VIS21)
    what = f"VX MACD (not read by the {policy} hedge)" if not cfg.hedge.reads_signals else "hedge signal"
    chart = Chart(6 + 1.5 * book + 1.2 * apart + 1.2 * margin + 1.0 * (lim is not None), ratios,
                  f"{cfg.run.name}: {what} and layers", subtitle=about(files))
    ax, mp = chart.panels[:2]
    ax.line(x, d["vix_close"], "tab:gray", 0.8, "spot VIX", alpha=0.7)  # under the series the MACD reads
    ax.line(x, d["vx_signal_series"], "tab:purple", 1.3, f"VX {cfg.hedge.macd.series}\n(the MACD's input)")
    mark_layers(ax, d["vx_signal_series"], files.layers)
    ax.ylabel = "VIX points"
    mp.vlines(x, 0.0, hist, np.where(hist > 0, UP[0], DOWN[0]), bar_px(len(d)),
              {UP[0]: "histogram > 0", DOWN[0]: "histogram < 0"})
    mp.line(x, d["macd"], "black", 0.9, "MACD")
    mp.line(x, d["macd_signal"], "tab:purple", 1.1, "signal")  # (orange: the histogram's and crossings' above)
    if lim is not None:  # one spike (2020's 12 against cycles of +-2) set 15 years' scale: trial VIS42 M3
        _clip_panel(mp, x, [("MACD", d["macd"].to_numpy(float), "black")], lim)
        mp.keys.append(("(the scale spans 98%\nof the days)", "patch", {"color": "white"}))
    mark_crossovers(mp, x, d)
    m = cfg.hedge.macd
    mp.ylabel = f"MACD({m.fast},{m.slow},{m.signal}), VX points"
    if book:
        book_panel(chart.panels[2], chart.panels[3] if apart else chart.panels[2], x, d, held)
    if margin:
        mg = chart.panels[-1]
        mg.fill(x, 0.0, 100 * d["margin_usd"] / d["nav_usd"], "tab:gray", 0.5, "margin\n(condor + hedge)")
        mg.ylabel = "% of NAV"
    return chart.svg()


def bar_px(days: int) -> float:
    """The width of a daily bar (vlines): thinner the more days a chart holds."""
    return max(0.6, min(4.0, 500 / days))


LONG_SESSIONS = 756  # about three years: a longer window's MACD scale spans 98% of its days, its vega its 21-session
# medians (trial VIS42 M3, M5: one spike flattened 15 years of MACD; 3,925 days of vega were a solid mass)
OUTSIDE_WINDOW = 21  # sessions (about a month) of the vega chart's rolling share of days outside the band
MIN_CONDOR_DAYS = 5  # ... drawn once that many of them held a condor


def fig_vega(files: RunFiles | RunResult | str | Path) -> Svg:
    """Net vega against the target band (USD k per vol point); hedge ratio against [low, high]; how far outside the
    band each day is (signed drift) and how often (the share of the last :data:`OUTSIDE_WINDOW` condor days).

    ``files``: a :class:`~vixhedge.run.RunResult` (run_backtest), a run folder read back (load_run) or its path (a str
    or Path). Returns SVG text (:class:`~vixhedge.svgplot.Svg`, a str a notebook shows inline); a frame edited so it
    cannot be drawn (a column it reads dropped) is one ArgumentError line (:mod:`vixhedge.frame_checks`)."""
    files = run_files(files, "fig_vega")
    d = files.daily
    x = day_numbers(d.index)
    lo, hi = files.config.analysis.hedge_ratio_band
    outside = "vega_drift_usd" in d.columns
    chart = Chart(5.5 + 2.3 * outside, (2.5, 1.4) + ((1.1, 0.9) if outside else ()),
                  f"{files.config.run.name}: book vega, SPX-vega-equivalent at the condor's tenor (tenor-matched "
                  "bridge)", subtitle=about(files))
    ax, hr = chart.panels[:2]
    target = f"net-vega target\n(condor vega +\n{lo:g}-{hi:g} x\n|condor vega|)"  # (VIS30: it read as the hedge's band)
    if len(d) > LONG_SESSIONS:
        _long_vega(ax, x, d, target)
    else:
        ax.fill(x, d["net_vega_band_low_usd"] / 1e3, d["net_vega_band_high_usd"] / 1e3, "tab:green", 0.25, target)
        for key, name, col in VEGA_SERIES:
            ax.line(x, d[f"{key}_usd"] / 1e3, col, 1.4 if key == "net_vega" else 0.9, name)
        _clip_panel(ax, x, [(name, d[f"{key}_usd"].to_numpy() / 1e3, col) for key, name, col in VEGA_SERIES])
    ax.hline(0, "black", 0.7)
    ax.ylabel = "USD k per vol point"
    hr.hspan(lo, hi, "tab:green", 0.25, f"target band\n[{lo:g}, {hi:g}]")
    hr.line(x, d["hedge_ratio"], "black", 1.2, "hedge vega /\n|condor vega|")
    lim = robust_limits(d["hedge_ratio"].to_numpy(float))  # the band stays whole (a static run's scale cut it)
    _clip_panel(hr, x, [("hedge ratio", d["hedge_ratio"].to_numpy(), "black")],
                lim and (min(lim[0], lo - 0.05 * (hi - lo)), max(lim[1], hi + 0.05 * (hi - lo))))
    hr.ylabel = "hedge ratio"
    if outside:
        _outside_panels(*chart.panels[2:], x, d, hi)
    return chart.svg()


def _long_vega(ax: Panel, x: np.ndarray, d: pd.DataFrame, target: str) -> None:
    """Over :data:`LONG_SESSIONS`, the vega panel's series as their medians over the last :data:`OUTSIDE_WINDOW`
    sessions, net vega's 10-90% range over them as a ribbon, the band's medians outlined on top (trial VIS42 M5: 3,925
    days of each cycle's vega were a solid mass over a band hidden beneath)."""
    def rolling(col: str, q: float = 0.5) -> np.ndarray:
        return (d[col] / 1e3).rolling(OUTSIDE_WINDOW, min_periods=1).quantile(q).to_numpy()

    low, high = rolling("net_vega_band_low_usd"), rolling("net_vega_band_high_usd")
    ax.fill(x, low, high, "tab:green", 0.25, f"{target},\nmedian of the last\n{OUTSIDE_WINDOW} sessions")
    ax.fill(x, rolling("net_vega_usd", 0.1), rolling("net_vega_usd", 0.9), "black", 0.18,
            f"net vega, 10-90% of\nthe last {OUTSIDE_WINDOW} sessions")
    series = [(name, rolling(f"{key}_usd"), col) for key, name, col in VEGA_SERIES]
    for name, v, col in series:
        ax.line(x, v, col, 1.4 if col == "black" else 0.9, f"{name}, median of the\nlast {OUTSIDE_WINDOW} sessions")
    for edge in (low, high):  # on top: the band stays in sight
        ax.line(x, edge, "tab:green", 1.2)
    if (lim := robust_limits(np.concatenate([v for _, v, _ in series] + [low, high]))) is not None:
        _clip_panel(ax, x, series, lim)


def _outside_panels(far: Panel, often: Panel, x: np.ndarray, d: pd.DataFrame, hi: float) -> None:
    """How far outside the band (daily.csv vega_drift_usd, signed: above the band over-hedged, below it under-hedged)
    and how often (rolling share of the days with a condor, and over the run: metrics.json's
    share_days_outside_band)."""
    ratio = d["hedge_ratio"].to_numpy(float)
    drift = np.where(ratio > hi, 1.0, -1.0) * d["vega_drift_usd"].to_numpy(float) / 1e3
    if len(d) > LONG_SESSIONS:  # (trial VIS42 M5: 3,925 daily bars were a wall of red)
        drawn = []
        for part, col, words in ((np.maximum(drift, 0), "tab:red", "over-hedged"),
                                 (np.minimum(drift, 0), "tab:blue", "under-hedged")):
            drawn.append((words, pd.Series(part).rolling(OUTSIDE_WINDOW, min_periods=1).mean().to_numpy(), col))
            far.fill(x, 0.0, drawn[-1][1], col, 0.7, f"{words}, mean of\nthe last {OUTSIDE_WINDOW} sessions")
        _clip_panel(far, x, drawn)
    else:
        far.vlines(x, 0.0, drift, np.where(drift > 0, "tab:red", "tab:blue"), bar_px(len(d)),
                   {"tab:red": "over-hedged\n(above the band)", "tab:blue": "under-hedged\n(below the band)"})
        _clip_panel(far, x, [("drift", drift, "black")])
    far.hline(0, "black", 0.7)
    far.ylabel = "outside, USD k"
    held = np.isfinite(ratio)  # a day with a condor
    out = pd.Series(np.where(held, drift != 0, np.nan), index=d.index)
    share = 100 * out.rolling(OUTSIDE_WINDOW, min_periods=MIN_CONDOR_DAYS).mean()
    often.fill(x, 0.0, share.to_numpy(), "tab:orange", 0.45, f"days outside, last\n{OUTSIDE_WINDOW} sessions (from the\n"
               f"{MIN_CONDOR_DAYS}th condor day)")
    if held.any():
        whole = float(np.mean(drift[held] != 0))
        often.line(x[[0, -1]], [100 * whole, 100 * whole], "black", 0.9, f"whole run: {pct(whole)}")
    often.ylim, often.ylabel = (0.0, 105.0), "% outside"


def fig_benchmark(files: RunFiles | RunResult | str | Path) -> Svg:
    """The run's NAV against the S&P 500 total return and the same run without hedge; drawdowns of all three.

    ``files``: a run folder read back (:func:`vixhedge.runfolder.load_run`: its benchmark.csv), or a
    :class:`~vixhedge.run.RunResult`, whose benchmark is made here as ``write_run`` makes it (the same config without
    hedge, on the same market: one more run of the book). Returns SVG text (:class:`~vixhedge.svgplot.Svg`); a
    frame edited so it cannot be drawn is one ArgumentError line (:mod:`vixhedge.frame_checks`)."""
    files = run_files(files, "fig_benchmark")
    b = _benchmark_of(files)
    x = day_numbers(b.index)
    chart = Chart(5.0, (3, 1.2), f"{files.config.run.name}: against the benchmarks (all start at the run's first "
                                 "NAV)", subtitle=about(files))
    ax, dd = chart.panels
    lines = (("nav_usd", "this run", "black", 1.7), ("no_hedge_nav_usd", "same run, no hedge", "tab:blue", 1.2),
             ("spx_tr_nav_usd", "S&P 500 total return", "tab:gray", 1.2))
    same = b["nav_usd"].equals(b["no_hedge_nav_usd"])  # (a run without hedge: one line under the other)
    for col, label, color, lw in lines:
        ax.line(x, b[col] / 1e6, color, lw, label + ("\n(one line: this run\nholds no hedge)" if same and
                                                     col == "no_hedge_nav_usd" else ""))
        dd.line(x, -100 * (1 - b[col] / b[col].cummax()), color, lw * 0.8)
    ax.ylog = log_axis(np.concatenate([b[col].to_numpy(float) for col, *_ in lines]))
    ax.ylabel = "USD m, log scale" if ax.ylog else "USD m"
    dd.ylabel, dd.legend = "drawdown %", False
    return chart.svg()


LOG_SPAN = 4.0  # a panel whose values span more than this ratio (max / min) is drawn on a log y axis


def log_axis(values: np.ndarray) -> bool:
    """True when ``values`` (the NAVs a panel plots) are all positive and span more than :data:`LOG_SPAN` x: on a
    linear axis the S&P 500 of 2000-2026 reached $8M and the run's NAV filled 31 of 295 pixels (trial longrun
    finding 4). A NAV at 0 (a ruin) keeps the axis linear: a log axis has no place for it."""
    v = values[np.isfinite(values)]
    return bool(v.size and v.min() > 0 and v.max() / v.min() > LOG_SPAN)


def _benchmark_of(files) -> pd.DataFrame:
    """Return the benchmark frame of a RunFiles (benchmark.csv) or a RunResult (:func:`vixhedge.report.benchmark`)."""
    from vixhedge.core.config import ConfigError

    if isinstance(files, RunFiles):
        if files.benchmark is None:
            raise ConfigError(f"fig_benchmark: {files.folder} has no benchmark.csv (written before it existed): "
                              "rerun the run to write it")
        return files.benchmark
    from vixhedge.run import RunResult

    if not isinstance(files, RunResult):
        from vixhedge.api_args import ArgumentError

        raise ArgumentError(f"fig_benchmark: files is a {type(files).__name__}: pass a RunResult (run_backtest) or "
                            "a run folder read back (load_run)")
    from vixhedge.report import benchmark

    return benchmark(files)
