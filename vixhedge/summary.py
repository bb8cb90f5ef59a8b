"""The run's console summary (``vixhedge run`` / ``replay`` print it) and the warnings it carries: the book's
figures in the words and units of report.html, the no-condor warning naming the real reason, the VX rows only
where VX futures traded."""

from __future__ import annotations

from analyzers.metrics import ratio_caveat
from vixhedge import fmt
from vixhedge.caveats import sentence, thin_tail_words, to_ruin, window_caveats
from vixhedge import html as report_html
from vixhedge.core.instruments import Kind
from vixhedge import report_sections as S
from vixhedge.run import RunResult
from vixhedge.run_notes import no_condor_share_words
from vixhedge.vx_moves import vx_moves_words
from vixhedge.why_idle import idle_words, no_condor_words


def _plugin_rows(result: RunResult) -> list[tuple[str, str]]:
    """Summary rows naming the condor selector, extra signals and analyzers a config sets (none for stock configs)."""
    cfg = result.config
    named = (("condor selector", cfg.condor.selector), ("extra signals", ", ".join(cfg.hedge.signals)),
             ("analyzers", ", ".join(cfg.analysis.analyzers)))
    return [(label, value) for label, value in named if value]


def _pct(v, digits: int = 1) -> str:
    """A fraction as a percent with ``digits`` decimals (:func:`vixhedge.fmt.pct`); n/a when missing."""
    return fmt.pct(v, digits)


def _ratio(v) -> str:
    """A ratio (Sharpe, Sortino, Calmar, hedge ratio) with 2 decimals; n/a when missing or not finite."""
    return fmt.num(v, 2)


def _hedge_ratio(v: dict) -> str:
    """The vega drift's hedge ratio: the median (a folder written before it was recorded: the mean, named)."""
    if "median_hedge_ratio" in v:
        return f"median {_ratio(v['median_hedge_ratio'])}, mean {_ratio(v['mean_hedge_ratio'])}"
    return f"mean {_ratio(v.get('mean_hedge_ratio'))}"


def no_condor_warning(result: RunResult) -> str:
    """Return why a run opened no condor ("" when it opened one or its config disables condors and its hedge
    traded), as report.html's banner says it (:func:`vixhedge.why_idle.no_condor_words`)."""
    return no_condor_words(result.config, result.metrics["counts"], result.signals_log)


def warmup_caveat(result: RunResult) -> str:
    """Return the caveat of a run whose MACD warmed on less history than it needs (metrics.json ``macd_warmup``,
    :func:`vixhedge.report_sections.warmup_words`: report.html says it too), or "" (or a policy that reads no MACD)."""
    return S.warmup_words(result.metrics)


def _drawdown(p: dict) -> str:
    """The max drawdown, its length and whether it was recovered (by when), from metrics.json ``performance``."""
    days = p.get("max_drawdown_duration_days")
    if not p.get("max_drawdown"):  # NAV never fell below a running peak (a cash-only book)
        return f"{_pct(p.get('max_drawdown'), 2)}  (no drawdown)"
    if p.get("max_drawdown_recovered"):
        span = f"peak {p.get('max_drawdown_peak')} to recovery {p.get('max_drawdown_recovery')}"
    else:
        span = f"from the peak {p.get('max_drawdown_peak')}, not recovered by the end"
    return f"{_pct(p['max_drawdown'], 2)}  ({fmt.plural(days, 'calendar day')} {span})"


#: what the capital needed holds for (trial TASK42 M1: opening with it changes the path, the condor caps being
#: fractions of NAV; README *Capital*: "the same trades; orders sized by NAV aside", as report.html says)
FOR_ITS_TRADES = "(for this run's trades: caps sized by NAV would change them)"


def summary_table(result: RunResult) -> str:
    """Return a short plain-text summary of the run's main numbers.

    Percents have 1 decimal (2 for returns and drawdown), ratios 2; money is whole dollars. A run that opened no
    condor starts with a warning and prints n/a for its risk-adjusted ratios (a NAV that only earns interest has
    an almost-zero volatility: a Sharpe of -187 would mean nothing).
    """
    m = result.metrics
    p, h, v, pnl = m["performance"], m["hedge_cost"], m["vega_drift"], m["pnl"]
    usd = fmt.usd
    idle = bool(idle_words(result.config, m["counts"]))
    ratio = (lambda x: "n/a") if idle else _ratio
    caveat = "" if idle else ratio_caveat(p, m.get("ruin"))  # a ruined path: Sharpe and Sortino mean nothing
    rows = [
        ("window", f"{result.daily.index[0]:%Y-%m-%d} .. {result.daily.index[-1]:%Y-%m-%d} "
                   f"({m['counts']['days']} sessions)"),
        ("hedge policy", S.hedge_label(result.config.hedge)),
        *_plugin_rows(result),
        ("final NAV", f"{usd(p['end_nav_usd'])}  (total return {_pct(p['total_return'], 2)} from "
                      f"{usd(p['start_nav_usd'])}, the NAV at the end of the first day)"),
        ("CAGR / vol", f"{_pct(p['cagr'], 2)} / {_pct(p['ann_vol'], 2)}"),
        ("Sharpe", f"n/a  (not meaningful: {caveat}; computed {_ratio(p['sharpe'])}, Sortino {_ratio(p['sortino'])}, "
                   "in metrics.json)" if caveat else
                   f"{ratio(p['sharpe'])}  (over {report_html.rf_label(result.config.analysis, p)}; "
                   f"{p['periods_per_year']} periods/yr)"),
        ("Sortino / Calmar", f"{'n/a' if caveat else ratio(p['sortino'])} / {ratio(p['calmar'])}"),
        ("max drawdown", _drawdown(p)),
        ("tail risk", f"CVaR 95% {_pct(p['cvar_95'], 2)}{_thin_tail(p)}, "
                      f"worst month {_pct(p.get('worst_month'), 2)} ({p.get('worst_month_label') or 'n/a'})"),
        ("P&L condor", usd(pnl["condor_pnl_usd"])),
        ("P&L hedge", usd(pnl["hedge_pnl_usd"])),
        ("fees / interest", f"{usd(pnl['fees_pnl_usd'])} / {usd(pnl['interest_pnl_usd'])}"),
        *((("ruin debt", f"{usd(pnl['ruin_debt_pnl_usd'])}  (written off: the cash the ruin's liquidation left "
                         "below 0, owed to the broker; NAV ends at 0)"),) if "ruin_debt_pnl_usd" in pnl else ()),
        ("hedge net cost", f"{usd(h['net_cost_usd'])}  ({_pct(_frac(h['cost_pct_of_condor_credit']))} of condor "
                           f"credit){S.hedge_held_words(h)}"),
        *((("hedge by cause", words),) if (words := S.cause_words(h, report_html.held(result.trades, Kind.VX_FUTURE),
                                                              report_html.held(result.trades, Kind.VIX_OPTION)))
          and result.metrics["counts"]["hedge_layers"] else ()),
        ("hedge in stress", f"{usd(h['stress_pnl_usd'])} on {h['stress_days']} stress days (condor "
                            f"{usd(h['condor_stress_pnl_usd'])})"),
        *((("hedge, worst days", f"{usd(p['tail_hedge_pnl_usd'])} on the book's {fmt.plural(n, 'worst day')} "
                                 f"by total P&L, as many as CVaR reads (condor {usd(p['tail_condor_pnl_usd'])})"),)
          if (n := p.get("tail_days")) else ()),
        ("condors / layers", f"{m['counts']['condors']} / {m['counts']['hedge_layers']}"),
        ("vega band days out", f"{_pct(v.get('share_days_outside_band'))} "
                               f"(hedge ratio {_hedge_ratio(v)})"),
    ]
    c = m.get("capital")
    if c:
        rows.append(("capital", f"{S.mode_words(c)} "
                                f"{_pct(c['peak_margin_utilisation'])} of NAV peak "
                                f"({_pct(c['mean_margin_utilisation'])} mean), return on margin "
                                f"{_pct(c['return_on_margin'])}, "
                                + (f"peak requirement {usd(c['peak_margin_usd'])}, capital needed "  # (trial RS40 L1)
                                   f"{usd(c['capital_needed_usd'])} {FOR_ITS_TRADES}, " if "capital_needed_usd" in c
                                   else "")
                                + f"{fmt.plural(c['days_constrained_by_buying_power'], 'day')} constrained by buying "
                                f"power, {c['days_cut_by_capital_caps']} cut by caps" + S.margin_call_words(c)
                                + ("" if m.get("ruin") else ", no ruin")))  # (as compare's "ruined no": TASK42 L7)
        if vx_moves_words(c):
            rows.append(("VX margin", vx_moves_words(c)))
    idle_share = no_condor_share_words(m, result.daily["nav_usd"], result.config.run.initial_cash_usd)
    if idle_share:
        rows.append(("no condor", idle_share))
    ruin = m.get("ruin")
    if ruin:
        rows.insert(0, ("RUIN", f"{ruin['date']}: {ruin['cause']}; every position closed at that day's bid/ask "
                                f"and fees, trading stopped, metrics on "
                                f"{p['valid_span']['start']} .. {p['valid_span']['end']} (NAV 0 on the ruin day)"))
    for words in reversed(window_caveats(int(m["counts"]["days"]), to_ruin(m, result.daily.index))):
        rows.insert(1, ("CAVEAT", words[0].upper() + words[1:]))
    warning = no_condor_warning(result) or result.metrics.get("no_layer", "")
    if warning:
        rows.insert(0, ("WARNING", warning[0].upper() + warning[1:]))
    data = [m["data_provenance"]["verdict"], *m["data_provenance"].get("notes", ())] if "data_provenance" in m else []
    warmup = warmup_caveat(result)
    data += [warmup] if warmup else []
    if data:
        rows.append(("data", " ".join(map(sentence, data))))  # (each note a sentence: trial VIS22)
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"  {k:<{width}}  {val}" for k, val in rows)


def _thin_tail(p: dict) -> str:
    """`` (the worst day alone)`` after a CVaR 95% of a few days (:func:`vixhedge.caveats.thin_tail_words`)."""
    words = thin_tail_words(p.get("cvar_95_days"))
    return f" ({words})" if words else ""


def _frac(percent) -> float | None:
    """metrics.json's ``cost_pct_of_condor_credit`` (a percent, or null) as a fraction."""
    return None if percent is None else percent / 100
