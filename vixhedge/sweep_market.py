"""Which market, window and split a sweep ran on, and how far its prices are real: summary.json's ``market``, the
lines the CLI prints and report.html shows.

:func:`market_record` is deterministic in the spec and the market (the same for a clean and a resumed sweep): the
source (and data folder), the window and its sessions, the in-sample split and the sessions on each side, and,
for the best point, the share of its marks and fills that are not market quotes (modelled, or a real price moved
by the model), from one run of it (``vixhedge run``'s ``data_provenance``, :mod:`feeds.provenance`).
"""

from __future__ import annotations

from typing import Any

from feeds.provenance import percent, real_count
from vixhedge.core import config as C

__all__ = ["best_run", "market_lines", "market_record", "market_words"]


def market_words(m: C.MarketConfig) -> str:
    """The market source in words: ``real data in DIR``, ``the embedded market ...`` or ``a synthetic market``."""
    if m.source is C.MarketSource.DIRECTORY:
        return f"real data in {m.data_dir}"
    if m.source is C.MarketSource.EMBEDDED:
        return "the embedded market: SPX and VIX 2014-2018, VX curve and options modelled"
    return "a synthetic market (market.synthetic)"


def market_record(spec, market, provenance: dict[str, Any] | None) -> dict[str, Any]:
    """Return summary.json's ``market``: source, data_dir, window, sessions, split and, with ``provenance`` (the
    ``data_provenance`` of the best point's run, :func:`best_run`), the best point's price provenance
    (``modelled_share``: modelled or anchored marks and fills; ``real_prices`` of ``prices_counted``: the counts its
    shares are printed from; ``prices``: the run report's sentence)."""
    m, run = spec.base.market, spec.base.run
    days = [d for d in market.days if run.start <= d <= run.end]
    out: dict[str, Any] = {"source": m.source.value, "data_dir": m.data_dir, "words": market_words(m),
                           "window": f"{run.start}..{run.end}", "sessions": len(days),
                           "first_session": str(days[0]) if days else None,
                           "last_session": str(days[-1]) if days else None,
                           "in_sample_end": str(spec.in_sample_end) if spec.in_sample_end else None}
    if spec.in_sample_end:
        n_is = sum(d <= spec.in_sample_end for d in days)
        out.update(in_sample_sessions=n_is, out_of_sample_sessions=len(days) - n_is)
    if provenance is not None:
        p = provenance
        real, total = real_count(p)
        out.update(modelled_share=p["modelled_share"], real_prices=real, prices_counted=total, prices=p["verdict"])
    return out


def best_run(cfg: C.Config, market):
    """One run of ``cfg`` (the best point) on the fast engine (the same fills as backtrader's), its notes silenced:
    the summary's one run of it, for its ``data_provenance`` and, with a split, its in-sample returns."""
    from vixhedge.run import run_backtest
    from vixhedge.sweep_metrics import quiet_policy_log

    with quiet_policy_log():
        return run_backtest(cfg, market, engine="fast")


def plugin_lines(summary: dict[str, Any]) -> list[str]:
    """``plug-ins: hedge.policy custom_hedge:policy (sha256 ...)``: the plug-ins the base config or the grid names
    (summary.json ``provenance.plugins``, built-ins left out; trial API39 M1: the page named them only in its paths
    line), each in how many points where not in all (``in 1 of 2 points``, trial FUZZ40 M3), none for a sweep
    without."""
    from vixhedge.extensions import own_plugins, plugin_words

    points, invalid = summary.get("points") or 0, summary.get("invalid") or 0
    total = f"{points:,} points" if not invalid else f"the grid's {points + invalid:,} combinations"
    plugins = [{**p, **({"where": f"{p['grid_points']:,} of {total}"} if "grid_points" in p and points else {})}
               for p in own_plugins((summary.get("provenance") or {}).get("plugins") or [])
               if p.get("grid_points") != 0]  # (a base config's plug-in every point of the grid replaces: none ran it)
    words = plugin_words(plugins)
    return [f"plug-ins: {words}"] if words else []


def market_lines(rec: dict[str, Any] | None) -> list[str]:
    """The summary's lines on the market (none for a summary from before ``market``): source, window (its first and
    last sessions, as the figures' titles say it: trial VIS27, a walk-forward fold's "2008-01-02..2015-01-01", the
    configured end, a holiday, beside its heatmap's "2008-01-02 .. 2014-12-31"), split, the best point's share of
    modelled prices."""
    if not rec:
        return []
    span = f"{rec['first_session']}..{rec['last_session']}" if rec.get("first_session") else rec["window"]
    window = f"window {span} ({rec['sessions']:,} sessions)"
    if rec.get("in_sample_end"):
        window += (f", in sample to {rec['in_sample_end']} ({rec['in_sample_sessions']:,}) and out of sample after "
                   f"it ({rec['out_of_sample_sessions']:,})")
    line = f"market: {rec['words']}; {window}"
    if rec.get("modelled_share") is not None:
        real, total = rec.get("real_prices"), rec.get("prices_counted")
        if total is None:  # a summary from before the counts: the 4-decimal share
            real, total = 1 - rec["modelled_share"], 1
        line += (f"; the best point's marks and fills: {percent(real, total)} real quotes, "
                 f"{percent(total - real, total)} "
                 "modelled or anchored (its run's data_provenance)")
    return [line]
