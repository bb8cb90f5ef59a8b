"""Sections of a run's report.html beyond performance and hedge cost: benchmarks, the monthly-returns
grid, per-condor trade statistics and the run's parameters (tables from :mod:`analyzers.report_tables`
and :mod:`analyzers.condor_trades`, read from the run folder's files); what the run traded (the no-condor
warning, the hedge's instrument), shared with the run summary (:mod:`vixhedge.report`)."""

from __future__ import annotations

import html
import json
from collections.abc import Mapping

import pandas as pd

from analyzers.hedge_cost import CAUSE_NAMES
from analyzers.report_tables import MONTHS, monthly_returns, parameters, relative_metrics
from vixhedge.capital_words import capital_needed_rows
from vixhedge.caveats import in_html
from vixhedge.core import config as config_mod
from vixhedge.core.instruments import Kind
from vixhedge.fmt import missing, num, pct, plural, usd, usd_cents
from vixhedge.html import folded, gain_words, held, kv_table, table, txt
from vixhedge.report_causes import cause_rows
from vixhedge.run_notes import missed_first, missed_sessions
from vixhedge.runfolder import RunFiles
from vixhedge.vx_moves import vx_moves_words
from vixhedge.why_idle import held_words, idle_words, no_condor_words, no_layer_words


def benchmark(files: RunFiles) -> str:
    """Relative metrics of the run against the S&P 500 total return and against itself without hedge."""
    if files.benchmark is None:
        return ""
    rel = relative_metrics(files.benchmark, files.config.analysis.periods_per_year)
    if not rel:  # (under 3 sessions to compare, a ruin's included: trial VIS22 found a header over an empty body)
        return ("<h3>Relative to the benchmarks</h3>\n<p>Under 3 sessions to compare (to the ruin, where the run was "
                "ruined): no relative metric.</p>\n")
    names = {"spx_tr": "S&P 500 total return", "no_hedge": "same run without hedge"}
    rows = []
    for key, m in rel.items():
        rows.append([names[key], pct(m["cagr"]), pct(m["benchmark_cagr"]), pct(m["excess_cagr"]),
                     pct(m["tracking_error"]), num(m["information_ratio"]), num(m["beta"]), num(m["correlation"]),
                     pct(m["max_drawdown"]), pct(m["benchmark_max_drawdown"])])
    q = files.config.market.div_yield
    return ("<h3>Relative to the benchmarks</h3>\n"
            f"<p>Daily returns of this run against each benchmark over the same days. The S&amp;P 500 total return "
            f"is the price index grown by the dividend yield {pct(q)}/yr (<code>market.div_yield</code>); "
            "the no-hedge run is this config with <code>hedge.mode = none</code> on the same market path "
            "(<code>benchmark.csv</code>).</p>\n"
            + table(["benchmark", "CAGR", "benchmark CAGR", "excess CAGR", "tracking error", "information ratio",
                     "beta", "correlation", "max drawdown", "benchmark max drawdown"], rows, "grid", (0,)))


def monthly_grid(files: RunFiles) -> str:
    """The calendar-month NAV returns, one row per year, with the year's compounded total."""
    grid = monthly_returns(files.daily["nav_usd"])
    rows = [[str(year), *["" if pd.isna(v) else month_cell(v) for v in grid.loc[year]]] for year in grid.index]
    return ("<h2>Monthly returns</h2>\n<p>NAV return of each calendar month in percent (from the last NAV of the "
            "month before); <code>Year</code> compounds the months.</p>\n"
            + table(["year", *MONTHS, "Year"], rows, "grid"))


def month_cell(v: float) -> str:
    """A monthly return (a fraction) as the grid prints it, in percent, signed: a month that rounds to zero keeps
    the sign of its return, "+0.00" for +0.0011% (trial VIS42 L7: "0.00" was the one cell of the grid without a
    sign; trial RP had dropped it from a +0.002% month's "+0.00"), and "0.00" for a month without change."""
    text = num(100 * v, 2, signed=True, sep=False)
    return ("+" if v > 0 else "-") + text if text == "0.00" and v != 0 else text


def condor_trades(m: Mapping) -> str:
    """Trade statistics of the closed condors (metrics.json ``condor_trades``)."""
    s = m.get("condor_trades") or {}
    if not s.get("condors_closed"):
        return "<h3>Condor trades</h3>\n<p>No closed condor.</p>\n"
    rows = [("closed condors", str(s["condors_closed"]), f"{s['condors_open']} still open at the end (not counted)"),
            ("win rate", pct(s["win_rate"]), "share of closed condors with P&L > 0 (fees included)"),
            ("average win / loss", f"{usd(s['avg_win_usd'])} / {usd(s['avg_loss_usd'])}", ""),
            ("expectancy", usd(s["expectancy_usd"]), "mean P&L per closed condor"),
            ("profit factor", num(s["profit_factor"]), "gross wins / gross losses"),
            ("closed by the stop", pct(s["stop_share"]), ""),
            ("best / worst", f"{usd(s['best_usd'])} / {usd(s['worst_usd'])}", "")]
    if missed_sessions(m.get("condor_not_placed")):  # sessions the entry rule's condor was not placed (run_notes)
        rows.append(("entry sessions with none placed", str(missed_sessions(m["condor_not_placed"])),
                     "no condor was open; the first: " + missed_first(m["condor_not_placed"])))
    return ("<h3>Condor trades</h3>\n<p>Each condor's P&amp;L is every cash flow on its four legs from entry to "
            "exit, fees included (<code>condors.csv</code> <code>pnl_usd</code>).</p>\n" + kv_table(rows))


def parameters_table(cfg: config_mod.Config) -> str:
    """The run's resolved configuration, one row per key."""
    rows = parameters(config_mod.to_dict(cfg))
    return ("<h2>Parameters</h2>\n<p>The resolved config (<code>config.toml</code>); every key not set by the "
            "config file has its default.</p>\n"
            + folded("every key (<code>config.toml</code>)", table(("key", "value"), rows, "narrow"), len(rows)))


ANALYZER_ROWS = 30  # rows of an analyzer plug-in's table shown in the page (the CSV holds them all)


def plugin_analyzers(m: Mapping, folder) -> str:
    """What the analyzer plug-ins (``analysis.analyzers``) answered: a dict as values, a table as its first rows."""
    answers = m.get("analyzers") or {}
    if not answers:
        return ""
    parts = ["<h2>Analyzer plug-ins</h2>\n<p>The answers of <code>analysis.analyzers</code> "
             "(<code>metrics.json</code> <code>analyzers</code>; a table is also <code>analyzer_&lt;name&gt;.csv"
             "</code>).</p>\n"]
    for name, answer in answers.items():
        parts.append(f"<h3>{html.escape(name)}</h3>\n")
        csv = answer.get("table") if isinstance(answer, Mapping) else None
        if csv and (folder / csv).is_file():
            frame = pd.read_csv(folder / csv)
            rows = [[_cell(v) for v in row] for row in frame.head(ANALYZER_ROWS).itertuples(index=False)]
            more = f" (first {ANALYZER_ROWS} of {len(frame)} rows)" if len(frame) > ANALYZER_ROWS else ""
            parts.append(f"<p><code>{html.escape(csv)}</code>{more}</p>\n"
                         + table([str(c) for c in frame.columns], rows, "grid"))
        else:
            parts.append(kv_table([(str(k), _cell(v), "") for k, v in dict(answer).items()]))
    return "".join(parts)


def _cell(v) -> str:
    """A plug-in's value as written: money-sized floats with cents, small ones (returns, ratios) to 4 digits; a
    nested dict or list as the JSON metrics.json holds (trial API39 L2: it was a Python repr)."""
    if isinstance(v, float) and not pd.isna(v):
        return f"{v:,.2f}" if abs(v) >= 100 else f"{v:.4g}"
    if isinstance(v, (dict, list)):
        return json.dumps(v, ensure_ascii=False)
    return txt(v)


def hedge_label(h: config_mod.HedgeConfig) -> str:
    """The hedge policy and the instrument its layers actually hold: ``vxth`` buys VIX calls whatever
    ``hedge.instrument`` says (strategies.layers), ``none`` holds nothing."""
    if h.policy_name == "none":
        return "none"
    inst = config_mod.HedgeInstrument.VIX_CALL if h.mode is config_mod.HedgeMode.VXTH else h.instrument
    return f"{h.policy_name} ({inst.value})"


def no_condor_banner(files: RunFiles) -> str:
    """report.html's warning of a run that opened no condor though its config enables them, or that traded nothing
    (:func:`no_condor_words`)."""
    m = files.metrics
    if m["counts"]["condors"] or not (files.config.condor.enabled or idle_words(files.config, m["counts"])):
        return ""
    words = no_condor_words(files.config, m["counts"], files.signals_log)
    return f'<div class="banner warn"><p><b>Warning:</b> {in_html(words[0].upper() + words[1:])}.</p></div>\n'


def no_layer_banner(files: RunFiles) -> str:
    """report.html's warning of a run whose hedge trades but opened no layer (:func:`no_layer_words`)."""
    words = no_layer_words(files.config, files.metrics["counts"], files.signals_log)
    return f'<div class="banner warn"><p><b>Warning:</b> {in_html(words[0].upper() + words[1:])}.</p></div>\n' \
        if words else ""


def held_banner(m: Mapping) -> str:
    """report.html's note of adds held back for want of a condor (:func:`held_words`)."""
    words = held_words(m.get("held_without_condor"))
    return f'<div class="banner warn"><p><b>Note:</b> {in_html(words)}.</p></div>\n' \
        if words else ""  # (the words start with the key, hedge.require_condor: never capitalised)


def unread_banner(m: Mapping) -> str:
    """report.html's note of the settings the config changes that the run cannot read (metrics.json
    ``unread_settings``: :mod:`vixhedge.core.config.unread`)."""
    notes = m.get("unread_settings") or ()
    items = "".join(f"<li>{html.escape(n)}</li>" for n in notes)
    return f'<div class="banner warn"><p><b>Settings that change nothing here:</b></p><ul>{items}</ul></div>\n' \
        if notes else ""


def warmup_words(m: Mapping) -> str:
    """Return the caveat of a run whose MACD had fewer sessions of history before the bar its first decision reads
    than it needs to forget its seeding, and of one whose MACD settled on sessions without a real VX settle (a data
    directory's run starting soon after VX futures listed: ``modelled_vx_sessions``) (metrics.json ``macd_warmup``,
    :func:`feeds.periods.macd_warmup`), or "": the console summary's data line and report.html's data banner; with
    the last crossover before the window (``last_cross``, trial RS35: the regime the window opens in) said last."""
    w = m.get("macd_warmup")
    if not w:
        return ""
    words = []
    if w["history_sessions"] < w["settled_sessions"]:
        delay = w.get("signal_delay_bars", 0)
        read = (f"; its first decision reads the signals of {delay} session{'s' * (delay != 1)} before the window"
                if delay else "")
        words.append(f"MACD warmed on {w['history_sessions']} sessions (data from {w['data_from']}{read}); "
                     f"crossovers in the first weeks depend on its seeding (with {w['settled_sessions']} it is a full "
                     "history's MACD within 0.005).")
    if w.get("modelled_vx_sessions"):  # (trial RS33: a warm-up before VX futures listed read the model unsaid)
        first = f" (the first real settle {w['first_real_vx']})" if w.get("first_real_vx") else " (none in the data)"
        words.append(f"{w['modelled_vx_sessions']} of the {w['settle_span']} sessions the MACD settled on before the "
                     f"window have no real VX settle: it read the model's VX curve there{first}.")
    if w.get("last_cross"):
        words.append(cross_words(w["last_cross"]))
    return " ".join(words)


def cross_words(c: Mapping) -> str:
    """metrics.json ``macd_warmup.last_cross`` as the data line says it: "The MACD's last crossover before the
    window: cross_up (fear rising) on 2018-01-09, histogram -0.0089 -> +0.0069."."""
    fear = {"cross_up": " (fear rising)", "cross_down": " (fear easing)"}.get(c["kind"], "")
    return (f"The MACD's last crossover before the window: {c['kind']}{fear} on {c['date']}, histogram "
            f"{num(c['hist_before'], 4, signed=True)} -> {num(c['hist_after'], 4, signed=True)}.")


def capital(m: Mapping) -> str:
    """The Capital section: margin, the capital the path needed, leverage, max loss, the days capital held an order
    back and the margin calls."""
    c = m.get("capital")
    if not c:
        return ""
    rows = [
        ("return on margin", pct(c["return_on_margin"]),
         f"total P&L (from the initial cash, the P&L rows' sum) / mean maintenance requirement "
         f"({usd(c['mean_margin_usd'])}); {pct(c['return_on_margin_annual'])}/yr"),
        ("margin utilisation", f"{pct(c['peak_margin_utilisation'])} peak",
         f"{pct(c['mean_margin_utilisation'])} mean; {mode_words(c)} requirement / NAV (vixhedge/core/margin.py)"),
        *capital_needed_rows(c, bool(m.get("ruin"))),
        ("gross leverage", f"{num(c['peak_gross_leverage'])}x peak", f"{num(c['mean_gross_leverage'])}x mean; "
         "gross notional / NAV"),
        ("condor max loss / NAV", f"{pct(c['peak_max_loss_to_nav'])} peak", f"{pct(c['mean_max_loss_to_nav'])} mean"),
        ("days constrained", f"{c['days_constrained_by_buying_power']} by buying power",
         f"{plural(c['days_cut_by_capital_caps'], 'day')} an order was cut by a "
         "capital cap (capital_cuts.csv, "
         "signals.csv 'capital')"
         + ("" if "days_with_margin_call" in c else margin_call_refusals(c))),
        *margin_call_rows(m),
        *((("VX margin", plural(v["sessions"], "session"), vx_moves_words(c, count=False)),)
          if (v := c.get("vx_moves_over_maintenance")) and v["sessions"] else ()),
    ]
    return "<h2>Capital</h2>\n" + kv_table(rows)


MODE_WORDS = {"reg_t": "Reg-T", "portfolio": "portfolio"}  # metrics.json capital.margin_mode (margin.mode)


def mode_words(c: Mapping) -> str:
    """The margin the requirement follows, by the run's ``margin.mode`` (metrics.json ``capital.margin_mode``):
    "Reg-T margin", "portfolio margin"; "margin" in a folder from before the key."""
    mode = MODE_WORDS.get(c.get("margin_mode", ""), "")
    return f"{mode} margin" if mode else "margin"


def margin_call_rows(m: Mapping) -> list[tuple[str, str, str]]:
    """The Capital table's margin calls (metrics.json ``capital.days_with_margin_call``, ``margin_call_closes``;
    none in a folder from before them)."""
    c = m["capital"]
    if "days_with_margin_call" not in c:
        return []
    n = c["days_with_margin_call"]
    if not n:
        return [("margin calls", "0 sessions", "no session opened with a maintenance breach")]
    forced = (m.get("hedge_cost") or {}).get("forced_exit_pnl_usd")
    pnl = (f"; the hedge positions they closed realised {usd(forced)} (Hedge cost)"
           if forced is not None and not m.get("ruin") else "")
    return [("margin calls", plural(n, "session"),
             f"opened with a maintenance breach, cured that day: {plural(c['margin_call_closes'], 'position')} "
             f"closed or left to expire (capital_cuts.csv kind margin_call)"
             f"{margin_call_refusals(c)}{pnl}")]


def margin_call_words(c: Mapping) -> str:
    """The console summary's margin calls, after its days cut by caps: ", 94 with a margin call (109 positions
    closed, 7 days a margin call refused a new layer)", ", 0 with a margin call"."""
    n = c["days_with_margin_call"]
    if not n:
        return ", 0 with a margin call"
    return (f", {n} with a margin call ({plural(c['margin_call_closes'], 'position')} closed or left"
            f"{margin_call_refusals(c)})")


def margin_call_refusals(c: Mapping) -> str:
    """The days a margin call refused a new hedge layer (metrics.json capital), named only when there were any
    (a run folder written before the key counts 0)."""
    n = c.get("days_layer_refused_by_margin_call", 0)
    return f", {plural(n, 'day')} a margin call refused a new layer" if n else ""


def vro_words(m: Mapping) -> str:
    """What the run's VX futures and VIX options settled on (metrics.json ``data_provenance.settlements``): the
    real VRO value of the VX files, the proxy, or both with their counts of expiries."""
    s = (m.get("data_provenance") or {}).get("settlements")
    if s is None:  # a run folder from before the record: what the manifest's settlement_proxies says
        return "at VRO: the VX files' final settlement where they hold it, else the proxy (the VIX open)"
    rows = [s[k] for k in ("vx_future", "vix_option") if k in s]
    real, proxy = sum(r["real_vro"] for r in rows), sum(r["vro_proxy"] for r in rows)
    n = lambda k: f"{k} expir{'y' if k == 1 else 'ies'}"
    name = f"the VRO proxy (the day's VIX {'open' if all(r['proxy'] == 'vix_open' for r in rows) else 'close'})"
    if not real and not proxy:
        return "none: no VX future or VIX option was held to its settlement"
    if not proxy:
        return f"at the real VRO value (the VX files' final settlement) on {'all ' * (real > 1)}{n(real)}"
    if not real:
        return f"at {name} on {'all ' * (proxy > 1)}{n(proxy)}"
    return f"{n(real)} at the real VRO value (the VX files' final settlement), {n(proxy)} at {name}"


def cause_words(h: Mapping, vx: bool, options: bool) -> str:
    """The hedge's net P&L by cause in one line (metrics.json ``hedge_cost``, :data:`analyzers.hedge_cost.CAUSES`):
    the VX futures' carry and VIX move where they traded, the VIX options' marks where they did, the fills against
    mid and the fees, and their sum; "" for a folder written before the figures (trial RS31: the VIX move, the
    exposure held times the VIX's path, was most of a 2021-2023 cost and the console showed only the carry)."""
    if "fills_vs_mid_usd" not in h:
        return ""
    gloss = {"vx_carry_usd": " (roll-down and what the model's beta misses)",
             "vx_vix_move_usd": " (the exposure held x the VIX's moves)", "fills_vs_mid_usd": " (the spread paid)"}
    held = {"vx_carry_usd": vx, "vx_vix_move_usd": vx, "option_marks_usd": options, "fills_vs_mid_usd": True}
    parts = [f"{name} {usd(h[k])}{gloss.get(k, '')}" for k, name in CAUSE_NAMES.items() if held[k]]
    parts.append(f"fees {usd(h['fees_usd'])}")
    return f"{', '.join(parts)}; sum {usd(h['net_pnl_usd'])}, the net cost's negative"


def hedge_held_words(h: Mapping) -> str:
    """How much hedge the run held, after its net cost in the console's hedge line (metrics.json ``hedge_cost``;
    nothing for a folder written before the figures): "; 1.73 layers held on average, 2,744 contract-sessions at
    $44.17 each" (cents under $100: :func:`vixhedge.fmt.usd_cents`)."""
    if "mean_layers_held" not in h:
        return ""
    if not h["contract_sessions"]:
        return "; no layer held"
    return (f"; {num(h['mean_layers_held'])} layers held on average, "
            f"{plural(h['contract_sessions'], 'contract-session')} at "
            f"{usd_cents(h['net_cost_per_contract_session_usd'])} each")


def _held_detail(h: Mapping) -> str:
    """The Hedge cost table's "hedge held" row: what the mean rests on and the cost per contract-session."""
    if not h["layers_opened"]:
        return "open at a close, on average over the run's sessions: no layer opened"
    return (f"open at a close, on average over the run's sessions; {plural(h['layers_opened'], 'layer')} opened "
            f"({plural(h['contracts_opened'], 'contract')}), held {num(h['mean_sessions_held'], 1)} sessions each on "
            f"average (layers.csv sessions_held): {plural(h['contract_sessions'], 'contract-session')}, "
            f"{usd_cents(h['net_cost_per_contract_session_usd'])} of net cost each")


def hedge_cost(m: Mapping, trades: pd.DataFrame) -> str:
    """The Hedge cost table; the VX rows only when VX futures traded, the option-decay row only when VIX options did
    (:func:`held`)."""
    h = m["hedge_cost"]
    vx, options = held(trades, Kind.VX_FUTURE), held(trades, Kind.VIX_OPTION)
    rows = [
        ("net cost", usd(h["net_cost_usd"]), (f"{num(h['cost_pct_of_condor_credit'], sep=False)}% of the condor credit "
                                              f"{usd(h['condor_credit_usd'])}" if not missing(
                                                  h["cost_pct_of_condor_credit"]) else "n/a: no condor credit")
         + f"; {usd(h['net_cost_usd_per_year'])} per year"),
        *([("premium paid / received", f"{usd(h['premium_paid_usd'])} / {usd(h['premium_received_usd'])}",
            "VIX options, cash")] if options else []),
        *([("VX futures P&L realised", usd(h["futures_pnl_usd"]), "at closes and rolls")] if vx else []),
        *([("settlements", usd(h["settlement_usd"]), vro_words(m))] if vx or options else []),
        ("fees", usd(h["fees_usd"]), "hedge fills"),
        ("open marks", usd(h["open_marks_usd"]), "positions open at the end, at mid"),
        ("closed by rolls", usd(h["roll_pnl_usd"]), "P&L of positions closed by a roll; with the rows down to \"held "
         "to settlement / open\" it splits the same net by how positions closed, the rows above by cash flow"),  # VIS30
        ("closed by the policy", usd(h["signal_exit_pnl_usd"]), "MACD cross / review exits"),
        *([("closed by a margin call / the ruin", usd(h["forced_exit_pnl_usd"]), "P&L of positions a maintenance "
            "breach or the ruin's liquidation closed")] if "forced_exit_pnl_usd" in h else []),
        ("held to settlement / open", f"{usd(h['settled_pnl_usd'])} / {usd(h['open_pnl_usd'])}", ""),
        *([("VX P&L realised at rolls", usd(h["vx_roll_carry_usd"]),
            f"{gain_words(h['vx_roll_carry_usd'])} realised on the VX futures a roll closed (their whole move, VIX "
            "included); "
            f"{usd(h['vx_roll_carry_usd_per_year'])} per year")] if vx else []),
        *([("VIX option decay", usd(h["spread_decay_usd"]), "premium paid minus value at exit, calls and call "
            "spreads alike (cost > 0; below 0 the options gained)")] if options else []),
        *([("hedge held", f"{num(h['mean_layers_held'])} layers", _held_detail(h))] if "mean_layers_held" in h else []),
        ("payouts in stress", usd(h["stress_pnl_usd"]), f"hedge P&L on {h['stress_days']} stress days: "
                                                        f"{h['stress_rule']}; the condor made "
                                                        f"{usd(h['condor_stress_pnl_usd'])} on them"),
    ]
    carry = [("VX carry, daily", usd(h["vx_carry_usd"]), f"{gain_words(h['vx_carry_usd'])}: the part of the held "
              "futures' daily moves the VIX move does not explain, a remainder: the roll along the curve and any "
              f"move the model's beta misses; {usd(h['vx_carry_usd_per_year'])} per year")] \
        if vx and "vx_carry_usd" in h else []
    if "fills_vs_mid_usd" not in h:  # a folder written before the split (review 28): its carry where it was then
        at = next((k + 1 for k, r in enumerate(rows) if r[0] == "VX P&L realised at rolls"), len(rows))
        return "<h2>Hedge cost</h2>\n" + kv_table([*rows[:at], *carry, *rows[at:]])
    if not h["layers_opened"]:  # (review 28: a run without a layer read a table of $0)
        return "<h2>Hedge cost</h2>\n" + kv_table(rows)
    return ("<h2>Hedge cost</h2>\n" + kv_table(rows) + "<h3>Hedge P&amp;L by cause</h3>\n<p>In P&amp;L signs (a cost "
            "below 0), summing to the net cost's negative (README <i>Hedge cost</i> (4)); daily.csv splits each day "
            "the same way.</p>\n" + kv_table(cause_rows(h, vx, options, carry)))
