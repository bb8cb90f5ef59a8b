"""The words a run says about itself, in the console summary and report.html alike: rounding and units, the base
of the total return, the cash rate, the MACD's warm-up, caveats (a short window, ratios that mean nothing on a
path that lost), the VX rows by instrument, and why no condor was placed. (conftest's ``short_run``: the default
config over 2015-06..12.)"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pandas as pd
import pytest

from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge.report import write_run
from vixhedge.run import run_backtest


def test_summary_rounds_and_names_units(short_run) -> None:
    from vixhedge.summary import summary_table

    text = summary_table(short_run)
    days = short_run.metrics["counts"]["days"]
    dd = short_run.metrics["performance"]["max_drawdown_duration_days"]
    p = short_run.metrics["performance"]
    assert not p["max_drawdown_recovered"]  # the short run's drawdown from its peak lasts to its last day
    assert f"({days} sessions)" in text
    assert f"({dd:,} calendar days from the peak {p['max_drawdown_peak']}, not recovered by the end)" in text
    # no 4-decimal percents or ratios (1-2 decimals); the MACD histogram of the last crossover before the window has
    # 4 (metrics.json macd_warmup.last_cross: a few thousandths, tests/vixhedge/test_warmup_cross.py)
    plain = re.sub(r"histogram [-+]\d\.\d{4} -> [-+]\d\.\d{4}", "histogram", text)
    assert not re.search(r"\d\.\d{3,}", plain), text
    assert re.search(r"of condor credit\)", text) and re.search(r"hedge ratio median -?\d+\.\d\d, mean -?\d+\.\d\d\)", text)


@pytest.mark.parametrize("value, text", [(20184.50, "$20,185"), (-20184.50, "-$20,185"), (20184.49, "$20,184"),
                                         (2.5, "$3"), (1234567.5, "$1,234,568"), (float("nan"), "n/a")])
def test_money_rounds_half_up_once(value: float, text: str) -> None:
    """Whole dollars, halves away from zero (vixhedge.fmt.usd, the one rounding of printed figures): the trial's
    hedge net cost of $20,184.50 printed $20,184 (Python's format rounds an exact half to even: f"{20184.5:.0f}")
    in the run summary; a cost and the same P&L negated show the same digits."""
    from vixhedge.html import usd

    assert f"{20184.5:.0f}" == "20184" and usd(value) == text


def test_summary_states_the_base_of_its_total_return(short_run) -> None:
    """metrics.json's total_return is end NAV / the first day's end NAV - 1 (analyzers.metrics), not over
    run.initial_cash_usd: the summary names that base, as report.html does ("at the end of the first day")."""
    from vixhedge.html import usd
    from vixhedge.summary import summary_table

    p = short_run.metrics["performance"]
    assert p["total_return"] == p["end_nav_usd"] / p["start_nav_usd"] - 1
    assert p["start_nav_usd"] != short_run.config.run.initial_cash_usd  # the first day's fills and fees moved it
    line = next(ln for ln in summary_table(short_run).splitlines() if ln.strip().startswith("final NAV"))
    assert line.endswith(f"(total return {100 * p['total_return']:.2f}% from {usd(p['start_nav_usd'])}, the NAV at "
                         "the end of the first day)"), line


def test_summary_shows_the_constant_cash_rate_the_user_set() -> None:
    """A fresh-user trial: `[market] rates = "constant"`, `rate = 0.05` on the flash-crash window printed "4.65%/yr
    on average": performance.risk_free_rate compounds the mean cash return per session over 252 periods, and
    2010-05-03..05-28 has 19 steps over 25 calendar days (1.32 days a step, not 365/252): (1 + 0.05 x 25/19/365)^252
    - 1 = 4.65%. The summary states the rate as set: 5.00% (simple, ACT/365 over the window's calendar days). The
    same shape of window on the embedded market: 2015-06-01 (Mon) .. 06-26 (Fri), 20 sessions over 25 days."""
    from vixhedge.summary import summary_table

    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-06-26"},
                    market={"rates": "constant", "rate": 0.05})
    res = run_backtest(cfg, build_market(cfg.market))
    assert res.metrics["performance"]["risk_free_rate"] == pytest.approx((1 + 0.05 * 25 / 19 / 365) ** 252 - 1)
    line = next(ln for ln in summary_table(res).splitlines() if ln.strip().startswith("Sharpe"))
    assert "over cash at the constant market.rate, 5.00%/yr (simple, ACT/365); 252 periods/yr" in line, line


def test_summary_says_when_the_macd_warmed_on_less_history_than_it_needs(short_run, tmp_path) -> None:
    """Trial (2026-12-03): the embedded market's data start 2014-01-03, so the default 2014-03-03 start has 39
    sessions of MACD history (20 in January 2014 from the 3rd, MLK day off; 19 in February, Presidents' day off);
    on real data that much history moved the confirmed crossover on 8 days up to 2014-04-11 (README). The summary's
    data line says so once; a run with feeds.periods.MACD_SETTLED_SESSIONS (92) or more before it (short_run, from
    2015-06-01) says nothing; nor does a policy that reads no MACD."""
    from vixhedge.summary import summary_table, warmup_caveat

    cfg = C.replace(C.load_default(), run={"start": "2014-03-03", "end": "2014-04-30"})
    early = run_backtest(cfg, build_market(cfg.market))
    caveat = ("MACD warmed on 39 sessions (data from 2014-01-03); crossovers in the first weeks depend on its "
              "seeding (with 92 it is a full history's MACD within 0.005).")
    data = [ln for ln in summary_table(early).splitlines() if ln.strip().startswith("data ")]
    assert len(data) == 1 and data[0].endswith(" " + caveat) and summary_table(early).count("MACD warmed") == 1
    assert "MACD warmed" not in warmup_caveat(short_run) and "MACD warmed" not in summary_table(short_run)
    static = run_backtest(C.replace(cfg, hedge={"mode": "static"}), build_market(cfg.market))
    assert warmup_caveat(static) == "" and "macd_warmup" not in static.metrics
    # review (2026-12-03): computed once, stored in metrics.json and said in report.html's data banner too
    assert early.metrics["macd_warmup"] == {"history_sessions": 39, "signal_delay_bars": 0,
                                            "data_from": "2014-01-03", "settled_sessions": 92}
    page = (write_run(early, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert page.count(html.escape(caveat)) == 1
    # with execution.signal_delay_bars = 1 the first decision reads the bar before the window: 38 sessions
    late = run_backtest(C.replace(cfg, execution={"signal_delay_bars": 1}), build_market(cfg.market))
    assert late.metrics["macd_warmup"]["history_sessions"] == 38
    assert warmup_caveat(late).startswith("MACD warmed on 38 sessions (data from 2014-01-03; its first decision "
                                          "reads the signals of 1 session before the window)")


@pytest.mark.realdata
def test_a_warm_up_before_vx_futures_listed_is_said(shared_data, tmp_path) -> None:
    """Trial RS33 (1d): a run on real data soon after VX futures listed (the first real settle 2004-03-26) warmed its
    MACD on the model's VX curve and no line said so. The default MACD settles on the 92 sessions before 2004-06-01;
    by hand, 45 of them are on or after 2004-03-26 (March 26, 29, 30, 31: 4; April 2004: 22 weekdays less Good
    Friday 04-09: 21; May to the 28th: 20 weekdays), so 47 have no real settle. A 2014 start has a real settle on
    every one of its 92: no such line (nor a key)."""
    from vixhedge.summary import warmup_caveat

    cfg = C.replace(C.load_default(), run={"start": "2004-06-01", "end": "2004-08-31"},
                    market={"source": "directory", "data_dir": str(shared_data)})
    market = build_market(cfg.market)
    early = run_backtest(cfg, market)
    w = early.metrics["macd_warmup"]
    assert (w["modelled_vx_sessions"], w["settle_span"], w["first_real_vx"]) == (47, 92, "2004-03-26")
    words = ("47 of the 92 sessions the MACD settled on before the window have no real VX settle: it read the "
             "model's VX curve there (the first real settle 2004-03-26).")
    assert warmup_caveat(early).startswith(words)  # (its history is long: data from 1990, no seeding sentence;
    # then the last crossover before the window: tests/vixhedge/test_warmup_cross.py)
    page = (write_run(early, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert page.count(html.escape(words)) == 1
    later = run_backtest(C.replace(cfg, run={"start": "2014-03-03", "end": "2014-04-30"}), market)
    assert "modelled_vx_sessions" not in later.metrics["macd_warmup"] and "no real VX" not in warmup_caveat(later)


def test_a_run_that_never_trades_says_so_and_prints_no_nan(tmp_path) -> None:
    from vixhedge.summary import summary_table

    # $1,000 cannot carry one condor under the default 0.25 x NAV max-loss cap (strategies/condor.py)
    cfg = C.replace(C.load_default(), run={"initial_cash_usd": 1000.0, "start": "2015-06-01", "end": "2015-07-31"})
    res = run_backtest(cfg, build_market(cfg.market), engine="fast")
    lines = summary_table(res).splitlines()
    assert lines[0].split()[:5] == ["WARNING", "No", "condor", "was", "opened:"]
    assert "capital caps cut every condor order" in lines[0] and "run.initial_cash_usd ($1,000)" in lines[0]
    text = "\n".join(lines)
    assert "nan" not in text and "Sharpe              n/a" in text and "Sortino / Calmar    n/a / n/a" in text
    assert "NO MARKET PRICE BEHIND THIS RESULT: no order was filled" in text and "rests on real" not in text
    page = (write_run(res, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert "rests on real" not in page
    # one source: the trader's record (signals.csv condor_not_placed), worded alike in the console and the report
    missed = res.signals_log["condor_not_placed"]  # 2015-06-18 and -19: no monthly expiry 30..60 days out
    missed = missed[missed != ""]
    # a cap that leaves none is verb refuse, as a buying-power refusal (review 2026-12-03: it read "reduce 10->0")
    assert len(missed) == 42 == len(res.daily) - 2 and missed.str.startswith("capital: condor refuse 10->0").all()
    warning = lines[0].split(None, 1)[1]
    assert f"<b>Warning:</b> {html.escape(warning)}.</p>" in page


def test_a_hedge_alone_is_no_idle_run_and_names_its_instrument(short_run, tmp_path: Path) -> None:
    """condor.enabled = false with the VXTH calls (the trial's hedge-only config): no warning, its ratios
    printed, and the instrument the layers hold (VIX calls, whatever hedge.instrument says)."""
    from vixhedge.summary import summary_table

    cfg = C.replace(short_run.config, hedge={"mode": "vxth"}, condor={"enabled": False})
    res = run_backtest(cfg, short_run.market)
    assert res.metrics["counts"]["condors"] == 0 and res.metrics["counts"]["hedge_layers"] > 0
    assert set(res.layers["instrument"]) == {"vix_call"} and cfg.hedge.instrument.value == "vx_future"
    text = summary_table(res)
    assert "WARNING" not in text and "idle cash" not in text
    assert f"Sharpe              {res.metrics['performance']['sharpe']:.2f}  (" in text
    assert "hedge policy        vxth (vix_call)" in text
    page = (write_run(res, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert "No condor was opened" not in page and "idle cash" not in page and "hedge vxth (vix_call);" in page
    # audit (2026-12-03): the Hedge cost row read "n/a% of the condor credit $0" where the console reads "n/a of
    # condor credit": with no condor there is no credit to measure the hedge against, and both say so
    assert res.metrics["hedge_cost"]["condor_credit_usd"] == 0 and "(n/a of condor credit)" in text
    assert "n/a%" not in page and "n/a: no condor credit; " in page


def test_a_path_that_lost_while_its_mean_return_is_positive_shows_no_sharpe(short_run, tmp_path: Path) -> None:
    """Audit (2026-12-03): a static VX run on 2008-10-24..2008-12-31 (real data, /tmp/acct/cfg/ruin.toml) lost
    95.46% and printed Sharpe 0.51 / Sortino 0.82 with no caveat (its daily vol 605%/yr: the mean of such returns
    is positive while they compound to a loss). Those numbers put on this run's metrics: the console and the page
    show n/a and say why, from one rule (analyzers.metrics.ratio_caveat)."""
    import copy
    import dataclasses

    from vixhedge.summary import summary_table

    metrics = copy.deepcopy(short_run.metrics)
    metrics["performance"].update(total_return=-0.9546, sharpe=0.51, sortino=0.82)
    res = dataclasses.replace(short_run, metrics=metrics)
    why = ("the NAV fell 95.46% while its mean daily excess return is positive: returns this volatile compound to a "
           "loss (volatility drag), so a ratio of their mean does not measure this path")
    text = summary_table(res)
    assert f"Sharpe              n/a  (not meaningful: {why}; computed 0.51, Sortino 0.82, in metrics.json)" in text
    assert "Sortino / Calmar    n/a / " in text
    page = (write_run(res, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert f"<tr><td>Sharpe / Sortino</td><td>n/a</td><td>not meaningful: {why} (computed 0.51 / 0.82" in page
    assert "<tr><td>Sharpe</td>" not in page
    plain = summary_table(short_run)  # this run's own ratios, not caveated
    assert "Sharpe              n/a" not in plain and "<tr><td>Sharpe</td>" in (
        write_run(short_run, tmp_path / "own") / "report.html").read_text(encoding="utf-8")


def test_drawdown_says_whether_and_when_it_recovered() -> None:
    from vixhedge.summary import _drawdown

    p = {"max_drawdown": 0.1709, "max_drawdown_duration_days": 1224, "max_drawdown_peak": "2015-08-25",
         "max_drawdown_recovered": False, "max_drawdown_recovery": None}  # the default run's metrics.json
    assert _drawdown(p) == "17.09%  (1,224 calendar days from the peak 2015-08-25, not recovered by the end)"
    p |= {"max_drawdown_recovered": True, "max_drawdown_recovery": "2016-03-01", "max_drawdown_duration_days": 189}
    assert _drawdown(p) == "17.09%  (189 calendar days peak 2015-08-25 to recovery 2016-03-01)"
    p["max_drawdown_duration_days"] = 1  # trial VIS21: a ruin on the second session read "1 calendar days"
    assert _drawdown(p) == "17.09%  (1 calendar day peak 2015-08-25 to recovery 2016-03-01)"


def test_vx_carry_is_worded_by_its_sign(short_run) -> None:
    """The default run's metrics.json: $39,950 realised at rolls is a gain, the daily carry -$42,962 a loss: a
    remainder, the roll along the curve and what the model's beta misses (trial VIS28: on real data it moves with the
    VIX, so "a roll-down cost" overstated what it is), in its own by-cause table with the sum (the net P&L)."""
    from vixhedge.html import gain_words, usd
    from vixhedge.report_sections import hedge_cost as _hedge_cost
    from vixhedge.summary import summary_table

    h = dict(short_run.metrics["hedge_cost"], vx_roll_carry_usd=39950.0, vx_carry_usd=-42962.16)
    text = _hedge_cost({"hedge_cost": h}, short_run.trades)
    assert "<td>VX P&amp;L realised at rolls</td><td>$39,950</td><td>a gain realised" in text
    assert "<td>VX carry, daily</td><td>-$42,962</td><td>a loss: the part of the held futures&#x27; daily moves" in text
    by_cause = text[text.index("<h3>Hedge P&amp;L by cause</h3>"):]
    assert "VX carry, daily" in by_cause and f"<td>sum: the hedge&#x27;s net P&amp;L</td><td>{usd(h['net_pnl_usd'])}" \
        in by_cause
    h |= {"vx_roll_carry_usd": -1000.0, "vx_carry_usd": 500.0}
    text = _hedge_cost({"hedge_cost": h}, short_run.trades)
    assert "<td>-$1,000</td><td>a loss realised" in text and "<td>$500</td><td>a gain: the part" in text
    h = short_run.metrics["hedge_cost"]
    lines = summary_table(short_run).splitlines()
    assert not [ln for ln in lines if "hedge VX carry" in ln]  # the whole VX P&L at rolls is no carry
    # trial RS31: the by-exit "VX P&L at rolls" beside the by-cause carry read as carry against timing: the
    # console gives the causes (report.html keeps both views)
    assert not [ln for ln in lines if "at rolls" in ln]
    cause = next(ln for ln in lines if ln.strip().startswith("hedge by cause"))
    assert (f"VX carry {usd(h['vx_carry_usd'])} (roll-down and what the model's beta misses), VIX move "
            f"{usd(h['vx_vix_move_usd'])} (the exposure held x the VIX's moves), fills against mid "
            f"{usd(h['fills_vs_mid_usd'])} (the spread paid), fees {usd(h['fees_usd'])}; sum {usd(h['net_pnl_usd'])}, "
            "the net cost's negative") in cause


def test_an_option_layer_run_shows_no_vx_rows(short_run) -> None:
    """hedge.instrument = vix_call_spread holds no VX future: no "$0, nothing realised at rolls" rows (the trial's
    garbled line); the VX-future run of the same window prints them. report.html likewise, and a VX-future run's page
    has no option-decay row (named "VIX call-spread decay" before 2026-12-04, for calls too)."""
    from vixhedge.summary import summary_table

    res = run_backtest(C.replace(short_run.config, hedge={"instrument": "vix_call_spread"}), short_run.market)
    assert res.metrics["counts"]["hedge_layers"] > 0 and "vx_future" not in set(res.trades["kind"])
    text = summary_table(res)
    assert "VX carry" not in text and "VIX move" not in text and "realised at rolls" not in text
    assert "VIX options' marks" in text  # (their daily moves: the options' cause)
    assert "VX carry" in summary_table(short_run) and "vx_future" in set(short_run.trades["kind"])
    assert "VIX options' marks" not in summary_table(short_run)
    # report.html's Hedge cost table: each instrument's rows where it traded
    from vixhedge.report_sections import hedge_cost as _hedge_cost

    options_page, vx_page = _hedge_cost(res.metrics, res.trades), _hedge_cost(short_run.metrics, short_run.trades)
    assert "VIX option decay" in options_page and "realised at rolls" not in options_page
    assert "VX futures P&amp;L realised" not in options_page and "premium paid / received" in options_page
    assert "VX carry, daily" in vx_page and "VIX move, daily" in vx_page and "VIX option decay" not in vx_page
    assert "VIX options&#x27; marks, daily" in options_page and "VIX move, daily" not in options_page
    assert "premium paid / received" not in vx_page and "VX futures P&amp;L realised" in vx_page


def test_one_rule_decides_the_vx_rows_of_the_report_and_the_summary(short_run) -> None:
    """report.html read metric values and the summary trade kinds: now both ask html.held (a VX fill in trades)."""
    from dataclasses import replace

    from vixhedge.report_sections import hedge_cost as _hedge_cost
    from vixhedge.summary import summary_table

    # the default run's metrics with its VX fills dropped: non-zero VX figures, yet no VX row on either side
    no_vx = replace(short_run, trades=short_run.trades[short_run.trades["kind"] != "vx_future"])
    assert short_run.metrics["hedge_cost"]["vx_carry_usd"] != 0.0
    assert "VX carry, daily" not in _hedge_cost(no_vx.metrics, no_vx.trades)
    assert "VX carry" not in summary_table(no_vx)
    assert "VX carry, daily" in _hedge_cost(short_run.metrics, short_run.trades)
    assert "VX carry" in summary_table(short_run)


def test_a_condor_that_cannot_be_placed_says_why_not_no_entry_day(tmp_path: Path) -> None:
    """The trial's condor.wing_width_points = 1e9 was told "no entry day in the window" though every day was one.

    A 1,000-point wing (the largest condor.wing_width_points allowed) on a synthetic SPX started at 800: the
    0.20-delta short put sits at 850 on 2010-03-01 (the chain's strike; a 5-point grid), so the long put would be
    850 - 1000 = -150."""
    from vixhedge.summary import no_condor_warning

    cfg = C.replace(C.load_default(), market={"source": "synthetic", "synthetic": {"spx_start": 800.0}},
                    run={"start": "2010-03-01", "end": "2010-05-28"}, condor={"wing_width_points": 1000.0})
    res = run_backtest(cfg, build_market(cfg.market), engine="fast")
    assert res.metrics["counts"]["condors"] == 0
    warning = no_condor_warning(res)
    days = len(res.daily) - 2  # 64 sessions; on 2010-03-18 and -19 no monthly expiry lies 30..60 days out
    assert warning.startswith(f"no condor was opened on any of the {days} entry days: the long put strike would be "
                              "-150 on 2010-03-01 (short put 850 - condor.wing_width_points 1000), and a strike must "
                              "be above 0: set condor.wing_width_points below 850")
    assert "no entry day" not in warning
    # the trader recorded it on each of those days (signals.csv condor_not_placed); 2010-03-18 and -19 none
    missed = res.signals_log["condor_not_placed"]
    assert (missed != "").sum() == days and missed.iloc[0].startswith("strikes: the long put strike would be -150")
    page = (write_run(res, tmp_path) / "report.html").read_text(encoding="utf-8")
    assert html.escape(warning[0].upper() + warning[1:]) in page


@pytest.mark.parametrize(("missed", "words"), [
    (["", ""], "no condor was opened: no entry day in the window (the entry rule named no SPX expiry)"),
    (["", "size: strikes were found (1/2/3/4 on 2010-03-02) but ...", "strikes: other"],
     "no condor was opened on any of the 2 entry days: strikes were found (1/2/3/4 on 2010-03-02) but ..."),
    (["selector: the condor selector 'x:y' chose no condor on 2010-03-01 (expiry 2010-04-16)", "capital: condor "
      "refuse 3->0 (buying power $9)"], "no condor was opened: the capital caps cut every condor order on 1 days "
     "(first on 2010-03-02: condor refuse 3->0 (buying power $9)): raise run.initial_cash_usd ($1,000,000)"),
    (None, "no condor was opened (capital cuts are in signals.csv, column 'capital')"),
], ids=["no_entry_day", "first_entry_day", "capital_first", "older_folder"])
def test_the_no_condor_words_read_the_traders_record(missed, words) -> None:
    # crafted signals.csv rows (the words after the colon are the trader's, strategies.trader._not_placed); an
    # older folder has no condor_not_placed column; capital cuts are named before any other reason
    from vixhedge.report_sections import no_condor_words

    cfg = C.replace(C.load_default(), run={"initial_cash_usd": 1_000_000.0})
    log = pd.DataFrame({"date": pd.to_datetime(["2010-03-01", "2010-03-02", "2010-03-03"][:len(missed or "ab")])})
    if missed is not None:
        log["condor_not_placed"] = missed
    out = no_condor_words(cfg, {"condors": 0, "hedge_layers": 0}, log)
    assert out.startswith(words) and out.endswith("; the statistics below describe idle cash, not the strategy")


def test_a_condor_sized_zero_is_recorded_by_the_trader() -> None:
    # condor.sizing = "max_loss" at 0.1% of the $1M default NAV: $1,000 buys no 1850/2015/2170/2225 condor (its
    # 165-point put wing alone risks up to $16,500 less the credit), so every entry day of 2015-06 records "size"
    cfg = C.replace(C.load_default(), run={"start": "2015-06-01", "end": "2015-06-30"},
                    condor={"sizing": "max_loss", "max_loss_nav_fraction": 0.001})
    res = run_backtest(cfg, build_market(cfg.market), engine="fast")
    missed = res.signals_log["condor_not_placed"]
    assert missed.iloc[0] == ("size: strikes were found (1850/2015/2170/2225 on 2015-06-01) but condor.sizing = "
                              "'max_loss' sized 0 condors: raise its budget or use sizing = \"contracts\"")
    missed = missed[missed != ""]  # 2015-06-18 and -19: no monthly expiry 30..60 days out
    assert len(missed) == 20 == len(res.daily) - 2 and missed.str.startswith("size: ").all()


def test_a_short_run_says_its_annualised_figures_mean_little(short_run, short_folder, tmp_path) -> None:
    """The trial: a 6-session run (2016-03-01..03-08) printed CAGR 16.31%, Sharpe 4.34, Calmar 54.6 with no
    caveat (compare refuses < 20 sessions). Under 60 sessions (caveats.SHORT_WINDOW_SESSIONS) the console summary
    and report.html carry that caveat; under a year (caveats.FLAT_START_SESSIONS) one more, that the book starts
    flat (trial RS20: the us-downgrade month's hedge earned $6,150 alone and $109,850 inside 2007-2022, unsaid), so
    short_run (148 sessions) carries that one alone. A CVaR 95% of 5 returns is the worst day alone, and says so."""
    from vixhedge.summary import summary_table

    cfg = C.replace(C.load_default(), run={"start": "2016-03-01", "end": "2016-03-08"})
    tiny = run_backtest(cfg, build_market(cfg.market))
    short = ("Only 6 sessions: the annualised figures (CAGR, vol, Sharpe, Sortino, Calmar, return on margin per year, "
             "the hedge cost's per-year figures) scale so short a window to a year and mean little under 60 sessions")
    flat = ("The book starts flat: no condor cycle or hedge layer is carried into the window, so a period run alone "
            "can end far from the same days inside a longer run (README, *Where a window starts*)")
    text = summary_table(tiny)
    assert [ln for ln in text.splitlines() if "CAVEAT" in ln] == [f"  CAVEAT{' ' * 14}{short}",
                                                                    f"  CAVEAT{' ' * 14}{flat}"]
    assert "CVaR 95% " in text and " (the worst day alone), worst month" in text
    assert tiny.metrics["performance"]["cvar_95_days"] == 1  # max(1, floor(5% of 5 returns))
    page = (write_run(tiny, tmp_path) / "report.html").read_text()
    assert page.count("<b>Caveat:</b>") == 2 and html.escape(short) in page
    assert html.escape(flat).replace("*Where a window starts*", "<i>Where a window starts</i>") in page
    assert "daily returns (historical): the worst day alone" in page
    assert "on the book's 1 worst day by total P&L" in text and "on the 1 worst day (5%)" in page  # (MUT20)
    assert [ln for ln in summary_table(short_run).splitlines() if "CAVEAT" in ln] == [f"  CAVEAT{' ' * 14}{flat}"]
    assert short_run.metrics["performance"]["cvar_95_days"] == 7  # floor(0.05 x 147 returns)
    assert "worst day alone" not in summary_table(short_run)
    assert "<b>Caveat:</b>" in (short_folder / "report.html").read_text()

def test_the_capital_row_counts_one_day_in_the_singular(short_run) -> None:
    """Trial VIS21: a run ruined on its second session printed "1 days constrained by buying power"."""
    import copy
    import dataclasses

    from vixhedge.summary import summary_table

    m = copy.deepcopy(short_run.metrics)
    m["capital"]["days_constrained_by_buying_power"] = 1
    assert "1 day constrained by buying power," in summary_table(dataclasses.replace(short_run, metrics=m))


def test_the_by_cause_table_is_a_hedged_runs_and_an_old_folder_keeps_its_carry_row(short_run) -> None:
    """Review 28: a run without a layer read a "Hedge P&L by cause" table of $0 (its console line is hidden), and a
    folder written before the split (no fills_vs_mid_usd) read the table's heading and words over its carry alone:
    neither has the table; the old folder's carry row stands after "VX P&L realised at rolls", as before."""
    from vixhedge.report_sections import hedge_cost as _hedge_cost

    h = short_run.metrics["hedge_cost"]
    assert "<h3>Hedge P&amp;L by cause</h3>" in _hedge_cost(short_run.metrics, short_run.trades)
    assert "by cause" not in _hedge_cost({"hedge_cost": {**h, "layers_opened": 0}}, short_run.trades)
    old = {k: v for k, v in h.items() if k not in ("fills_vs_mid_usd", "option_marks_usd")}
    page = _hedge_cost({"hedge_cost": old}, short_run.trades)
    assert "by cause" not in page and "VIX move, daily" not in page
    assert page.index("VX P&amp;L realised at rolls") < page.index("VX carry, daily") < page.index("payouts in stress")


def test_the_named_periods_table_splits_each_periods_hedge_pnl_by_cause(short_run) -> None:
    """Trial VIS28: a named period's split (metrics.json named_periods' hedge_by_cause_usd) was on no page, where it
    matters most. Its cell names each cause it had in CAUSE_NAMES' order, in dollars, and the parts sum to the
    period's hedge P&L (daily.csv's cause columns sum to hedge_pnl_usd each day); an old folder has no column."""
    from vixhedge.report_periods import cause_cell, periods_section

    (p,) = [p for p in short_run.metrics["named_periods"] if p["name"] == "china-deval"]
    c = p["hedge_by_cause_usd"]
    assert sum(c.values()) == pytest.approx(p["hedge_pnl_usd"], abs=0.05)
    cell = cause_cell(c)
    assert cell.startswith("VX carry ") and "; VIX move " in cell and cell.index("VIX move") < cell.index("fills")
    assert "VIX options" not in cell and cause_cell({}) == "none"
    page = periods_section(short_run.metrics)
    assert ">hedge P&amp;L by cause</th>" in page and html.escape(cell) in page
    old = {"named_periods": [{k: v for k, v in q.items() if k != "hedge_by_cause_usd"}
                             for q in short_run.metrics["named_periods"]]}
    assert "by cause" not in periods_section(old)
