"""Run folder (atomic write), summary table and the run's HTML report.

Figures (:mod:`vixhedge.run_figures`, SVG) are drawn from the run folder's own files, after they are
written, so ``vixhedge report RUN_DIR`` redraws the same bytes without re-running.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import math
import platform
import subprocess
from importlib import metadata
from pathlib import Path

import pandas as pd

from analyzers.plugins import table_file
from feeds.datanotes import window_notes
from feeds.provenance import run_files
from vixhedge.core import config as config_mod
from vixhedge.core.instruments import Kind
from vixhedge import html as report_html
from vixhedge.atomic import atomic_folder
from vixhedge.csvout import write_csv
from vixhedge.run import RunResult
from vixhedge.report_sections import hedge_label, idle_words
from vixhedge.run_figures import draw_figures
from vixhedge.runfolder import load_run, shown_path

PACKAGES = ("vixhedge", "backtrader", "numpy", "pandas", "scipy", "matplotlib", "exchange_calendars", "arch")


def run_id(cfg: config_mod.Config) -> str:
    """Return ``<name>-<hash8>``: the same config (and plug-ins' sources) always gets the same id."""
    from vixhedge.extensions import fingerprint

    digest = hashlib.sha256((config_mod.to_toml(cfg) + fingerprint(cfg)).encode()).hexdigest()[:8]
    return f"{cfg.run.name}-{digest}"


def git_commit() -> str:
    """Return the source tree's commit, ``-dirty`` when tracked files changed; "unknown" outside a repository.

    One ``git status`` gives both (its header names the commit): a second git process cost ~5 ms of a run."""
    here = Path(__file__).resolve().parent
    try:
        out = subprocess.run(["git", "status", "--porcelain=v2", "--branch", "--untracked-files=no"], cwd=here,
                             capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    lines = out.stdout.splitlines()
    oid = next((ln.removeprefix("# branch.oid ") for ln in lines if ln.startswith("# branch.oid ")), "(initial)")
    if out.returncode != 0 or oid == "(initial)":
        return "unknown"
    return oid + ("-dirty" if any(not ln.startswith("#") for ln in lines) else "")


def import_root(module: str) -> str:
    """Return the folder that makes ``module`` importable (the one to put on PYTHONPATH), from where it was loaded."""
    import importlib
    import os

    top = importlib.import_module(module.split(".")[0])  # loaded already: the run used it
    where = Path(top.__file__).parent if getattr(top, "__file__", None) else Path(next(iter(top.__path__)))
    if hasattr(top, "__path__"):  # a package: the folder that holds it
        where = where.parent
    return os.path.abspath(where)


def manifest(result: RunResult, rid: str, folder: Path | None = None) -> dict:
    """Return the run's manifest; ``folder``: where the run folder lands (default ``runs/<rid>``), as the replay
    command and the report's rebuild line name it (:func:`vixhedge.runfolder.shown_path`)."""
    import os

    from vixhedge.extensions import identities, modules

    plugins = identities(result.config)
    folders = list(dict.fromkeys(import_root(m) for m in modules(result.config)))  # e.g. <repo>/examples
    path = f"PYTHONPATH={os.pathsep.join(folders)} " if folders else ""
    versions = {}
    for p in PACKAGES:
        try:
            versions[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            versions[p] = "not installed"
    data = result.market.data
    where = Path("runs") / rid if folder is None else Path(folder)
    return {
        "run_id": rid,
        "git_commit": git_commit(),
        "python": platform.python_version(),
        "packages": versions,
        "data_source": data.source,
        "data_files": [{"name": n, "sha256": h} for n, h in run_files(result.market, result.config)],
        "data_span": [str(data.days[0]), str(data.days[-1])],
        **({"data_cut": data.cut} if data.cut else {}),  # why the history starts there (feeds.directory)
        **window_notes(result.market, result.config.run.start, result.config.run.end)[1],  # rejected rows, VX span
        "settlement_proxies": result.market.settlement_proxies,
        "quote_origins": result.quote_origins,
        "seed": result.config.run.seed,
        "engine": result.engine,
        **plugins,  # hedge_policy, condor_selector, signals, analyzers: module, qualname, source sha256
        "run_folder": shown_path(where),
        "replay_command": f"{path}vixhedge run {shown_path(where / 'config.toml')}",
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


def parquet_names(result: RunResult) -> set[str]:
    """The ``.parquet`` tables a run writes with ``--parquet``: a rewrite without it must not carry the old ones."""
    plugins = (table_file(k).removesuffix(".csv") for k in result.analyzer_tables)
    return {f"{n}.parquet" for n in ("daily", "signals", "trades", "layers", "condors", "attribution", "benchmark",
                                     *plugins)}


def write_run(result: RunResult, runs_dir: Path, parquet: bool = False,
              no_hedge_nav: pd.Series | None = None) -> Path:
    """Write ``runs_dir/<run-id>/`` atomically; return its path.

    See :func:`vixhedge.atomic.atomic_folder`: an interrupted run never leaves a folder that
    looks finished, and an earlier folder of the same id is replaced only once the new one is complete.
    ``no_hedge_nav``: see :func:`benchmark`. ``parquet``: also write every frame as ``<name>.parquet`` (full precision, typed; needs pyarrow,
    ``pip install 'vixhedge[parquet]'``).
    """
    rid = run_id(result.config)
    tables = {table_file(k).removesuffix(".csv"): t for k, t in result.analyzer_tables.items()}  # plug-ins
    with atomic_folder(runs_dir, rid, stale=parquet_names(result)) as tmp:  # a user's files are kept
        (tmp / "config.toml").write_text(config_mod.to_toml(result.config), encoding="utf-8")
        _json(tmp / "metrics.json", result.metrics)
        write_csv(result.daily, tmp / "daily.csv")
        write_csv(result.signals_log, tmp / "signals.csv")
        write_csv(result.trades, tmp / "trades.csv")  # the fill date first
        for name in ("layers", "condors"):  # indexed by their entry date, which is also a column
            write_csv(getattr(result, name), tmp / f"{name}.csv", index=False)
        write_csv(result.attribution, tmp / "attribution.csv")
        for name, table in tables.items():
            write_csv(table, tmp / f"{name}.csv", index=not isinstance(table.index, pd.RangeIndex))
        bench = benchmark(result, no_hedge_nav)
        write_csv(bench, tmp / "benchmark.csv")
        if parquet:
            frames = {"daily": result.daily, "signals": result.signals_log, "trades": result.trades,
                      "layers": result.layers, "condors": result.condors, "attribution": result.attribution,
                      "benchmark": bench, **tables}
            for name, frame in frames.items():
                frame.to_parquet(tmp / f"{name}.parquet")
        # written last: it hashes every file above, which `vixhedge report` checks before reading (runfolder)
        written = {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in sorted(tmp.iterdir())}
        _json(tmp / "manifest.json", {**manifest(result, rid, _final(runs_dir) / rid), "output_files": written})
        files = load_run(tmp)
        figures = draw_figures(files)
        for name, svg in figures.items():
            (tmp / name).write_bytes(svg)
        (tmp / "report.html").write_text(report_html.render(files, figures), encoding="utf-8")
    return runs_dir / rid


def _final(folder: Path) -> Path:
    """``folder`` with each temporary name of :func:`vixhedge.atomic.atomic_folder` (``.NAME.tmp-PID-*``) as its
    final NAME: a compare writes its modes' runs inside its own temporary folder."""
    from vixhedge.atomic import _STALE

    parts = [m["name"] if (m := _STALE.match(part)) and m["tmp_pid"] else part for part in Path(folder).parts]
    return Path(*parts)


def benchmark(result: RunResult, no_hedge_nav: pd.Series | None = None) -> pd.DataFrame:
    """Return the run's NAV beside the S&P 500 total return and the same config without hedge (same market), both
    rebased to the run's first NAV (:func:`analyzers.report_tables.benchmark_frame`).

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
        from vixhedge.progress import labelled

        with labelled("no-hedge benchmark"):  # its capital notes are not the run's
            book = daily_book(config_mod.replace(cfg, hedge={"mode": "none", "policy": ""}), result.market)[0]
        no_hedge = dated_frames(book)[0]["nav_usd"]
    return benchmark_frame(result.daily, no_hedge, cfg.market.div_yield)


def _json(path: Path, obj) -> None:
    path.write_text(json.dumps(_clean(obj), indent=2, sort_keys=True, default=str) + "\n", encoding="utf-8")


def rebuild_report(folder: Path) -> Path:
    """Redraw a run folder's figures (its SVG files) from its files and rewrite its ``report.html``; return its
    path.

    Each file is written to a temporary name and renamed over the old one.
    """
    files = load_run(folder)
    mf, here = files.manifest, shown_path(Path(folder))
    if mf.get("run_folder") not in (None, here):  # a folder copied or moved since: its commands name where it is
        files = dataclasses.replace(files, manifest={**mf, "run_folder": here, "replay_command": mf[
            "replay_command"].replace(mf["run_folder"], here)})
    figures = draw_figures(files)
    for name, svg in figures.items():
        report_html.write_page(Path(folder) / name, svg)
    return report_html.write_page(Path(folder) / "report.html", report_html.render(files, figures))


def _plugin_rows(result: RunResult) -> list[tuple[str, str]]:
    """Summary rows naming the condor selector, extra signals and analyzers a config sets (none for stock configs)."""
    cfg = result.config
    named = (("condor selector", cfg.condor.selector), ("extra signals", ", ".join(cfg.hedge.signals)),
             ("analyzers", ", ".join(cfg.analysis.analyzers)))
    return [(label, value) for label, value in named if value]


def _pct(v, digits: int = 1) -> str:
    """A fraction as a percent with ``digits`` decimals; n/a when missing or not finite."""
    return "n/a" if v is None or not math.isfinite(v) else f"{round(100 * v, digits) + 0.0:.{digits}f}%"  # no -0.00%


def _ratio(v) -> str:
    """A ratio (Sharpe, Sortino, Calmar, hedge ratio) with 2 decimals; n/a when missing or not finite."""
    return "n/a" if v is None or not math.isfinite(v) else f"{v:.2f}"


def no_condor_warning(result: RunResult) -> str:
    """Return why a run opened no condor ("" when it opened one or its config disables condors and its hedge
    traded): capital cuts, named from signals.csv; no entry day; or entry days on which no condor could be placed
    (:func:`_not_placed` names why); and what its statistics then describe."""
    counts, cfg = result.metrics["counts"], result.config
    if counts["condors"] or not (cfg.condor.enabled or idle_words(cfg, counts)):
        return ""
    if not cfg.condor.enabled:
        need = (" (hedge.require_condor = true: no layer opens without a condor; set it to false to run the hedge "
                "alone)" if cfg.hedge.require_condor and cfg.hedge.policy_name == "static" else "")
        return f"no trade was opened: condor.enabled = false and the hedge opened no layer{need}; {_idle(result)}"
    log = result.signals_log
    notes = log["capital"] if "capital" in log.columns else pd.Series(dtype=object)
    cut = notes[notes.astype(str).str.contains("condor", na=False)]
    cash = result.config.run.initial_cash_usd
    if len(cut):
        day = log["date"][cut.index[0]] if "date" in log.columns else cut.index[0]
        return (f"no condor was opened: the capital caps cut every condor order on {len(cut)} days (first on "
                f"{pd.Timestamp(day):%Y-%m-%d}: {cut.iloc[0]}): raise run.initial_cash_usd (${cash:,.0f}) or "
                f"condor.max_loss_cap_nav_fraction / condor.margin_cap_nav_fraction; {_idle(result)}")
    entries = _entry_days(result)
    if not entries:
        return f"no condor was opened: no entry day in the window (signals.csv, column 'rules_fired'); {_idle(result)}"
    i, day, expiry = entries[0]
    return (f"no condor was opened on any of the {len(entries)} entry day{'s' * (len(entries) != 1)}: "
            f"{_not_placed(result, i, day, expiry)}; {_idle(result)}")


def _entry_days(result: RunResult) -> list[tuple[int, dt.date, dt.date]]:
    """The run's days on which the condor's entry rule named an expiry (``(day index, day, expiry)``), as the trader
    asks it (:meth:`strategies.trader.Trader._entry_expiry`; no expiry was traded: the run opened no condor)."""
    from strategies import condor as cc

    cfg, market = result.config.condor, result.market
    out = []
    for stamp in result.daily.index:
        day = pd.Timestamp(stamp).date()
        i = market.index_of(day)
        expiry = (cc.calendar_entry_expiry(day, cfg) if cfg.entry is config_mod.CondorEntry.CALENDAR
                  else market.spx_expiry(i, cfg.min_dte, cfg.max_dte, cfg.target_dte))
        if expiry is not None:
            out.append((i, day, expiry))
    return out


def _not_placed(result: RunResult, i: int, day: dt.date, expiry: dt.date) -> str:
    """Why the first entry day placed no condor: the strikes (:func:`strategies.condor.select_condor`'s rules) or,
    when they were fine, the size."""
    from strategies import condor as cc
    from vixhedge.core.instruments import Right

    cfg = result.config.condor
    if cfg.selector_name != "standard":
        return f"the condor selector {cfg.selector_name!r} chose no condor (first entry day {day}, expiry {expiry})"
    chain = result.market.spx_chain(i, expiry)
    if cfg.strike_rule is config_mod.StrikeRule.DELTA:
        sp, sc = chain.nearest_delta(Right.PUT, cfg.short_delta), chain.nearest_delta(Right.CALL, cfg.short_delta)
    else:
        sp = cc._nearest_strike(chain, chain.underlying * (1.0 - cfg.short_otm_pct))
        sc = cc._nearest_strike(chain, chain.underlying * (1.0 + cfg.short_otm_pct))
    w = cfg.wing_width_points
    if w > 0 and sp - w <= 0:
        return (f"the long put strike would be {sp - w:g} on {day} (short put {sp:g} - condor.wing_width_points "
                f"{w:g}), and a strike must be above 0: set condor.wing_width_points below {sp:g} (e.g. 50) or to 0 "
                "(wings by condor.wing_delta)")
    legs = cc.select_condor(chain, cfg)
    if legs is None:
        return (f"no four strikes in order (long put < short put {sp:g} < short call {sc:g} < long call) on {day} "
                f"(expiry {expiry}): check condor.short_delta / short_otm_pct and the wings")
    return (f"strikes were found ({legs.long_put:g}/{legs.short_put:g}/{legs.short_call:g}/{legs.long_call:g} on "
            f"{day}) but condor.sizing = {cfg.sizing.value!r} sized 0 condors: raise its budget or use "
            'sizing = "contracts"')


def _idle(result: RunResult) -> str:
    return (idle_words(result.config, result.metrics["counts"])
            or "the statistics below describe the hedge alone")


def _drawdown(p: dict) -> str:
    """The max drawdown, its length and whether it was recovered (by when), from metrics.json ``performance``."""
    days = p.get("max_drawdown_duration_days", "n/a")
    if not p.get("max_drawdown"):  # NAV never fell below a running peak (a cash-only book)
        return f"{_pct(p.get('max_drawdown'), 2)}  (no drawdown)"
    if p.get("max_drawdown_recovered"):
        span = f"peak {p.get('max_drawdown_peak')} to recovery {p.get('max_drawdown_recovery')}"
    else:
        span = f"from the peak {p.get('max_drawdown_peak')}, not recovered by the end"
    return f"{_pct(p['max_drawdown'], 2)}  ({days} calendar days {span})"


def summary_table(result: RunResult) -> str:
    """Return a short plain-text summary of the run's main numbers.

    Percents have 1 decimal (2 for returns and drawdown), ratios 2; money is whole dollars. A run that opened no
    condor starts with a warning and prints n/a for its risk-adjusted ratios (a NAV that only earns interest has
    an almost-zero volatility: a Sharpe of -187 would mean nothing).
    """
    m = result.metrics
    p, h, v, pnl = m["performance"], m["hedge_cost"], m["vega_drift"], m["pnl"]
    usd = report_html.usd
    idle = bool(idle_words(result.config, m["counts"]))
    ratio = (lambda x: "n/a") if idle else _ratio
    rows = [
        ("window", f"{result.daily.index[0]:%Y-%m-%d} .. {result.daily.index[-1]:%Y-%m-%d} "
                   f"({m['counts']['days']} sessions)"),
        ("hedge policy", hedge_label(result.config.hedge)),
        *_plugin_rows(result),
        ("final NAV", f"{usd(p['end_nav_usd'])}  (total return {_pct(p['total_return'], 2)} from "
                      f"{usd(p['start_nav_usd'])}, the NAV at the end of the first day)"),
        ("CAGR / vol", f"{_pct(p['cagr'], 2)} / {_pct(p['ann_vol'], 2)}"),
        ("Sharpe", f"{ratio(p['sharpe'])}  (over {report_html.rf_label(result.config.analysis, p)}; "
                   f"{p['periods_per_year']} periods/yr)"),
        ("Sortino / Calmar", f"{ratio(p['sortino'])} / {ratio(p['calmar'])}"),
        ("max drawdown", _drawdown(p)),
        ("tail risk", f"CVaR 95% {_pct(p['cvar_95'], 2)}, "
                      f"worst month {_pct(p.get('worst_month'), 2)} ({p.get('worst_month_label') or 'n/a'})"),
        ("P&L condor", usd(pnl["condor_pnl_usd"])),
        ("P&L hedge", usd(pnl["hedge_pnl_usd"])),
        ("fees / interest", f"{usd(pnl['fees_pnl_usd'])} / {usd(pnl['interest_pnl_usd'])}"),
        ("hedge net cost", f"{usd(h['net_cost_usd'])}  ({_pct(_frac(h['cost_pct_of_condor_credit']))} of condor "
                           "credit)"),
        *(_vx_rows(h) if _held_vx(result) else ()),
        ("hedge in stress", f"{usd(h['stress_pnl_usd'])} on {h['stress_days']} stress days (condor "
                            f"{usd(h['condor_stress_pnl_usd'])})"),
        ("condors / layers", f"{m['counts']['condors']} / {m['counts']['hedge_layers']}"),
        ("vega band days out", f"{_pct(v.get('share_days_outside_band'))} "
                               f"(mean hedge ratio {_ratio(v.get('mean_hedge_ratio'))})"),
    ]
    c = m.get("capital")
    if c:
        rows.append(("capital", f"margin {_pct(c['peak_margin_utilisation'])} of NAV peak "
                                f"({_pct(c['mean_margin_utilisation'])} mean), return on margin "
                                f"{_pct(c['return_on_margin'])}, {c['days_constrained_by_buying_power']} days "
                                f"constrained by buying power, {c['days_cut_by_capital_caps']} cut by caps"))
    ruin = m.get("ruin")
    if ruin:
        rows.insert(0, ("RUIN", f"{ruin['date']}: {ruin['cause']}; trading stopped, metrics on "
                                f"{p['valid_span']['start']} .. {p['valid_span']['end']} (NAV 0 on the ruin day)"))
    warning = no_condor_warning(result)
    if warning:
        rows.insert(0, ("WARNING", warning[0].upper() + warning[1:]))
    if "data_provenance" in m:
        rows.append(("data", m["data_provenance"]["verdict"]))
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"  {k:<{width}}  {val}" for k, val in rows)


def _held_vx(result: RunResult) -> bool:
    """Whether the run held a VX future (a fill of one in ``trades``): an option-layer run has no VX row."""
    t = result.trades
    return "kind" in t.columns and bool((t["kind"] == Kind.VX_FUTURE.value).any())


def _vx_rows(h: dict) -> tuple[tuple[str, str], ...]:
    """The VX futures' P&L realised at rolls and their daily carry, worded as report.html's Hedge cost rows."""
    rolls = h["vx_roll_carry_usd"]
    carry = h.get("vx_carry_usd")
    return (("VX P&L at rolls", f"{report_html.usd(rolls)}, {report_html.gain_words(rolls)} realised on the VX "
                                "futures a roll closed (their whole move, VIX included)"),
            ("VX carry, daily", f"{report_html.usd(carry)}, {report_html.carry_words(carry)} (the part of the "
                                "held futures' daily moves the VIX move does not explain)"))


def _frac(percent) -> float | None:
    """metrics.json's ``cost_pct_of_condor_credit`` (a percent, or null) as a fraction."""
    return None if percent is None else percent / 100
