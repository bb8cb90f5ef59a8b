"""Ruined runs in compare and sweep: flagged, metrics on the valid span, never ranked best.

A ruin is forced by draining the account on a chosen morning (the desk's cash is cut through a
negative interest accrual, as tests/strategies/test_capital.py does), only in runs holding hedge
layers, so ``none`` survives and ``alvh`` is ruined on the same market path.
"""

from __future__ import annotations

import datetime as dt
import html
import json

import numpy as np
import pandas as pd
import pytest

from feeds.market import build_market
from vixhedge.core import config as C
from vixhedge import sweep as sw
from vixhedge.compare import compare
from vixhedge.compare_text import format_comparison
from vixhedge.fmt import num
from vixhedge.core.desk import Desk

WINDOW = {"start": "2015-06-01", "end": "2015-12-31"}
RUIN_FROM = dt.date(2015, 9, 1)


@pytest.fixture(scope="module")
def market():
    return build_market(C.load_default().market)


@pytest.fixture
def ruin_hedged(monkeypatch):
    real_open = Desk.open_day

    def open_day(self: Desk, i: int) -> None:  # wipe out an account holding hedge layers, from RUIN_FROM on
        real_open(self, i)
        if self.today >= RUIN_FROM and self.ledger.positions_of("hedge") and self.ledger.nav > 0:
            self.ledger.accrue_interest(self.today, -2.0 * 365.0, 1)

    monkeypatch.setattr(Desk, "open_day", open_day)


def test_a_ruined_run_is_liquidated_and_its_figures_agree(market, ruin_hedged, tmp_path):
    """Fresh-user trial: a ruined run kept its VX contracts (marked, then settled two months later) while its
    summary said NAV $0; its P&L rows, daily.csv and the benchmark table disagreed (max drawdown 161.78% vs 100%).
    Now the ruin day closes every position at that day's bid/ask with fees, the debt left is written off as its
    own P&L line, and NAV is 0 from then on: rows, files and metrics agree."""
    from analyzers.report_tables import relative_metrics
    from vixhedge.report import write_run
    from vixhedge.run import run_backtest
    from vixhedge.summary import summary_table

    cfg = C.replace(C.load_default(), run=WINDOW)
    res = run_backtest(cfg, market, engine="fast")
    ruin = res.metrics["ruin"]
    day = pd.Timestamp(ruin["date"])
    t, d = res.trades, res.daily
    closing = t.loc[t.index == day]
    assert len(closing) and (closing["reason"] == "ruin").all()  # every position closed that day ...
    assert (t.index <= day).all()  # ... and nothing traded after it
    assert (d.loc[d.index >= day, "nav_usd"] == 0.0).all()  # flat at 0: no marks, settlements or interest
    rows = ["condor_pnl_usd", "hedge_pnl_usd", "fees_pnl_usd", "interest_pnl_usd", "ruin_debt_pnl_usd"]
    assert (d.loc[d.index > day, [*rows, "total_pnl_usd"]] == 0.0).all().all()
    assert d[rows].sum(axis=1).to_numpy() == pytest.approx(d["total_pnl_usd"].to_numpy(), abs=1e-6)
    # trial H: hedge_open_pnl_usd was NaN from the ruin day on (0.0 on other flat days); nothing is open after it
    assert (d.loc[d.index > day, "hedge_open_pnl_usd"] == 0.0).all() and d["hedge_open_pnl_usd"].notna().all()
    pnl = res.metrics["pnl"]  # the P&L rows, the debt written off among them, sum to the final NAV minus the start
    assert pnl["ruin_debt_pnl_usd"] == ruin["debt_written_off_usd"] == -ruin["liquidation_cash_usd"] > 0
    assert sum(pnl.values()) == pytest.approx(0.0 - cfg.run.initial_cash_usd, abs=0.05)  # rounded to cents
    p = res.metrics["performance"]
    assert p["end_nav_usd"] == d["nav_usd"].iloc[-1] == 0.0 and p["max_drawdown"] == 1.0
    folder = write_run(res, tmp_path)
    bench = pd.read_csv(folder / "benchmark.csv", index_col=0)
    assert all(m["max_drawdown"] == pytest.approx(1.0, abs=1e-12) for m in relative_metrics(bench).values())
    text = summary_table(res)
    assert "ruin debt" in text and "every position closed at that day's bid/ask" in text
    # audit (2026-12-03): a ruined path's Sharpe and Sortino were printed with no caveat; both places show n/a and
    # say why (analyzers.metrics.ratio_caveat), the computed values kept in metrics.json
    why = f"a ruined path (ruin on {ruin['date']}, NAV 0 that day): its ratios are not meaningful"
    assert f"Sharpe              n/a  (not meaningful: {why}; computed" in text and "Sortino / Calmar    n/a / " in text
    # report.html's P&L by component and attribution.svg show the debt too (verification trial: the page's rows
    # summed to -$4,700,046 against its total -$1,000,000; the figure's bars left the write-off out)
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "<tr><td>ruin debt written off</td><td>" in page
    shown = why.replace(ruin["date"], f'<span class="nw">{ruin["date"]}</span>')  # (a date kept whole: VIS35 L3)
    assert f"<tr><td>Sharpe / Sortino</td><td>n/a</td><td>not meaningful: {shown} (computed" in page
    # (the legend says it as the table does since trial VIS42 L7)
    assert "ruin debt written off" in (folder / "attribution.svg").read_text(encoding="utf-8")
    # a condor the ruin closes keeps its size in condors.csv (the trial saw contracts 0, max_loss_usd 0.0: the
    # count was read after the liquidation had set it to 0); its contracts equal what its entry fills opened
    ruined = res.condors[res.condors["exit_reason"] == "ruin"]
    assert len(ruined) == 1  # the condor open on the ruin day (2015-09-01 here)
    row = ruined.iloc[0]
    opened = t[(t["reason"] != "ruin") & (t["component"].str.startswith("condor"))]
    opened = opened[opened.index == pd.Timestamp(row["entry_date"])]
    assert row["contracts"] == opened["qty"].abs().max() > 0 and row["max_loss_usd"] > 0


def test_compare_flags_the_ruined_mode(market, ruin_hedged, tmp_path):
    cmp = compare(C.replace(C.load_default(), run=WINDOW), market, modes=("none", "alvh"), n_boot=100)
    assert cmp.table.loc["ruined", "alvh"] == 1.0 and cmp.table.loc["ruined", "none"] == 0.0
    ruin = cmp.results["alvh"].metrics["ruin"]
    assert ruin is not None and ruin["date"] >= RUIN_FROM.isoformat()
    n = len(cmp.results["alvh"].daily) - 1  # the ruin day's -100% return is one of the floor(5% n) worst
    assert cmp.table.loc["cvar95", "alvh"] >= 1.0 / (n // 20) > cmp.table.loc["cvar95", "none"]
    assert f"RUINED: alvh on {ruin['date']}" in format_comparison(cmp)
    # verification trial: a ruined mode's Sharpe read +2.93 over its few sessions and compare ranked it above the
    # survivor; a caveat says what it covers, on the console, in report.html and comparison.json alike
    span = cmp.results["alvh"].metrics["performance"]["valid_span"]
    caveat = (f"Sharpe caveat: alvh was ruined on {ruin['date']}; its Sharpe covers only {span['start']} .. "
              f"{span['end']} and ranks nothing (n/a in the table, as its run's summary and report show it; computed "
              "in comparison.csv): read its final NAV (0)")
    assert caveat in format_comparison(cmp).splitlines()
    # trial VIS27: the table printed the ruined mode's Sharpe (-10.98) where its run's page says n/a; the figure
    # stays in comparison.csv (its metrics.json's)
    sharpe = next(ln for ln in format_comparison(cmp).splitlines() if ln.startswith("Sharpe (higher"))
    assert sharpe.split()[-2:] == [num(cmp.table.at["sharpe", "none"]), "n/a"]
    assert np.isfinite(cmp.table.at["sharpe", "alvh"])
    import json

    from vixhedge.compare import write_comparison

    folder = write_comparison(cmp, tmp_path)
    assert json.loads((folder / "comparison.json").read_text())["sharpe_caveats"] == [caveat]
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert f"<p>{html.escape(caveat)}.</p>" in page
    assert f"<tr><td class=\"t w\">Sharpe (higher is better)</td><td>{num(cmp.table.at['sharpe', 'none'])}</td>" \
           "<td>n/a</td></tr>" in page
    # trial VIS30: the figures showed no ruin (static dropped to 0 unmarked; the paired subtitle named the whole
    # window; the Sharpe panel, its only pair n/a, was blank)
    from vixhedge.compare_report import fig_overlay, fig_paired

    overlay = fig_overlay(cmp)
    legend = [t.get_text() for t in overlay.axes[2].get_legend().get_texts()]
    assert f"alvh (RUINED {ruin['date']}: flat after)" in legend
    assert all(any(ln.get_linestyle() == ":" for ln in ax.lines) for ax in overlay.axes)  # the ruin day marked
    paired = fig_paired(cmp)
    assert f"alvh ruined {ruin['date']}: its paired days end there, its lines flat after" in paired._suptitle.get_text()
    assert [t.get_text() for t in paired.axes[0].texts] == ["n/a"]  # the Sharpe panel (alvh's n/a)
    assert len(paired.axes[0].get_xticks()) == 0  # (review 30: no -0.03..0.03 ticks under n/a)
    assert not paired.axes[1].texts  # drawdown: drawn


def test_compare_table_equals_each_modes_own_metrics(market, ruin_hedged):
    """Fresh-user trial: a ruined mode's compare column (Sharpe -0.67, CVaR 64.61%) differed from its own run's
    metrics.json (Sharpe -2.53, CVaR 100%): compare padded its returns with 0 after the ruin. Now every column is
    the mode's own metrics (valid span), and its P&L rows with the debt written off sum to its final NAV."""
    cfg = C.replace(C.load_default(), run=WINDOW)
    cmp = compare(cfg, market, modes=("none", "alvh"), n_boot=100)
    for m, res in cmp.results.items():
        p, col = res.metrics["performance"], cmp.table[m]
        for stat, key in (("sharpe", "sharpe"), ("max_drawdown", "max_drawdown"), ("cvar95", "cvar_95")):
            assert col[stat] == pytest.approx(p[key], rel=1e-12, abs=1e-12), (m, stat)
        assert col["end_nav_usd"] == p["end_nav_usd"]
        assert col["hedge_cost_usd"] == pytest.approx(res.metrics["hedge_cost"]["net_cost_usd"], abs=0.01)
        rows = col[["condor_pnl_usd", "hedge_pnl_usd", "fees_pnl_usd", "interest_pnl_usd", "ruin_debt_pnl_usd"]]
        assert rows.sum() == pytest.approx(res.daily["nav_usd"].iloc[-1] - cfg.run.initial_cash_usd, abs=0.05)
    assert cmp.table.at["ruin_debt_pnl_usd", "none"] == 0.0 < cmp.table.at["ruin_debt_pnl_usd", "alvh"]
    assert "its paired differences cover the days to its ruin only" in format_comparison(cmp)


def test_a_ruined_baseline_pairs_every_mode_to_its_own_ruin_day(market, ruin_hedged):
    """Trial MUT24 cmp04b (``steps = min(len(mode), base_steps)`` -> the mode's own length survived: no test ruined
    the BASELINE). compare._paired's docstring: a pair with a ruined mode is compared on the days both are live, up
    to the first ruin day, its -100% return included. Here the baseline (alvh) is ruined and none survives: each of
    none's rows covers alvh's k returns to its ruin day (its position in alvh's daily index, counted apart), and the
    Sharpe difference is analyzers.metrics.sharpe of none's first k daily returns less alvh's valid span's, each over
    the cash returns of those k steps."""
    from analyzers import metrics as M
    from vixhedge.run import risk_free_returns

    cmp = compare(C.replace(C.load_default(), run=WINDOW), market, modes=("none", "alvh"), baseline="alvh",
                  n_boot=100)
    alvh, none = cmp.results["alvh"], cmp.results["none"]
    assert none.metrics.get("ruin") is None
    k = alvh.daily.index.get_loc(pd.Timestamp(alvh.metrics["ruin"]["date"]))  # returns to the ruin day
    assert 0 < k < len(none.daily) - 1  # the baseline's span is the shorter
    rows = cmp.paired
    assert set(rows["mode"]) == {"none"} and set(rows["baseline"]) == {"alvh"} and set(rows["days"]) == {k}
    nav_a, nav_n = alvh.daily["nav_usd"].to_numpy()[:k + 1].copy(), none.daily["nav_usd"].to_numpy()[:k + 1]
    nav_a[-1] = 0.0  # the ruin day: NAV 0 (README: "NAV 0 on it: total return -100%")
    rf = risk_free_returns(cmp.config.analysis, market, list(alvh.daily.index[:k + 1]))
    expected = M.sharpe(nav_n[1:] / nav_n[:-1] - 1, rf, 252) - M.sharpe(nav_a[1:] / nav_a[:-1] - 1, rf, 252)
    sharpe = rows[rows["stat"] == "sharpe"]["diff"].iloc[0]
    assert sharpe == pytest.approx(expected, rel=1e-9)


def test_sweep_marks_ruined_points_and_never_ranks_them_best(tmp_path, market, ruin_hedged):
    base = C.replace(C.load_default(), run=WINDOW)
    spec = sw.SweepSpec(name="t", base=base, grid={"hedge.mode": ["none", "alvh"]})
    points, _ = sw.expand(spec)
    rows = {p.params["hedge.mode"]: sw.run_point(p, market, None) for p in points}
    assert rows["none"]["ruined"] is False and rows["none"]["ruin_date"] == ""
    assert rows["alvh"]["ruined"] is True and rows["alvh"]["ruin_date"] >= RUIN_FROM.isoformat()
    assert rows["alvh"]["end_nav_usd"] == 0.0  # metrics on the valid span: NAV 0 on the ruin day
    rows["alvh"]["sharpe"] = 99.0  # even with the best Sharpe, a ruined point is not ranked
    results = tmp_path / "results.csv"
    pd.DataFrame(rows.values()).to_csv(results, index=False)
    summary = sw.summarize(results, spec, market)
    assert summary["ruined"] == 1 and summary["best"]["hedge.mode"] == "none"
    pd.DataFrame([rows["alvh"]]).to_csv(results, index=False)
    assert sw.summarize(results, spec, market)["best"] is None


def test_engines_agree_on_a_ruined_run(market, ruin_hedged):
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run=WINDOW)
    fast, bt = (run_backtest(cfg, market, engine=e) for e in ("fast", "backtrader"))
    assert fast.metrics["ruin"] == bt.metrics["ruin"] is not None
    assert fast.metrics["performance"] == bt.metrics["performance"]
    assert fast.metrics["capital"] == bt.metrics["capital"]
    pd.testing.assert_frame_equal(fast.daily, bt.daily)


def test_compare_names_the_rate_each_sharpe_used(market, ruin_hedged, tmp_path):
    """Verification trial: compare printed one cash rate (the survivor's) while the ruined mode's Sharpe used its
    own span's (metrics.json performance.cash_rate_act365 of each run, vixhedge.html.rf_label): both are named,
    the ruined mode's with its span, on the console, in report.html and comparison.json ``sharpe_risk_free``."""
    import json

    from vixhedge import html as H
    from vixhedge.compare import write_comparison

    # to mid-2016: the survivor's span holds the Fed's December 2015 hike, the ruined mode's (to September) does not
    cmp = compare(C.replace(C.load_default(), run={**WINDOW, "end": "2016-06-30"}), market, modes=("none", "alvh"),
                  n_boot=100)
    p = {m: r.metrics["performance"] for m, r in cmp.results.items()}
    assert H.pct(p["none"]["cash_rate_act365"]) != H.pct(p["alvh"]["cash_rate_act365"])  # spans of other rates
    span = p["alvh"]["valid_span"]
    words = (f"Sharpe: excess return over cash at the day's short rate, {H.pct(p['none']['cash_rate_act365'])}/yr "
             f"on average (simple, ACT/365); alvh's (its span to its ruin, {span['start']} .. {span['end']}) over "
             f"cash at the day's short rate, {H.pct(p['alvh']['cash_rate_act365'])}/yr on average (simple, ACT/365)")
    assert words in format_comparison(cmp).splitlines()
    folder = write_comparison(cmp, tmp_path)
    assert f"<p>{words}.</p>".replace("'", "&#x27;") in (folder / "report.html").read_text(encoding="utf-8")
    rates = json.loads((folder / "comparison.json").read_text())["sharpe_risk_free"]
    assert rates == {m: H.rf_label(cmp.config.analysis, p[m]) for m in ("none", "alvh")}


def test_a_ruins_liquidation_and_stress_days_end_at_the_ruin(market, ruin_hedged, tmp_path):
    """Verification trial: the ruin's liquidation of the hedge layers was filed under "closed by the policy"
    (layers.csv signal_exit_pnl_usd) and "hedge in stress" counted the days after the ruin. Now the liquidation has
    its own category (forced_exit_pnl_usd: fills of reason "ruin"), in layers.csv, metrics.json and report.html's
    Hedge cost table, and the stress days (and per-year figures) end at the ruin day (analyzers.hedge_cost)."""
    from analyzers.hedge_cost import stress_parts
    from vixhedge.report import write_run
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run=WINDOW)
    res = run_backtest(cfg, market, engine="fast")
    day = pd.Timestamp(res.metrics["ruin"]["date"])
    h, t = res.metrics["hedge_cost"], res.trades
    closes = t[(t.index == day) & (t["reason"] == "ruin") & t["component"].str.startswith("hedge")]
    assert len(closes)  # the ruin closed hedge layers that day
    folder = write_run(res, tmp_path)
    layers = pd.read_csv(folder / "layers.csv")
    ruined = layers[layers["exit_reason"] == "ruin"]
    assert len(ruined) and (ruined["signal_exit_pnl_usd"] == 0.0).all() and (ruined["forced_exit_pnl_usd"] != 0).all()
    assert h["forced_exit_pnl_usd"] == pytest.approx(layers["forced_exit_pnl_usd"].sum(), abs=0.05)
    exits = h["roll_pnl_usd"] + h["signal_exit_pnl_usd"] + h["forced_exit_pnl_usd"] + h["settled_pnl_usd"]
    assert exits + h["open_pnl_usd"] + h["fees_usd"] == pytest.approx(h["net_pnl_usd"], abs=0.05)
    page = (folder / "report.html").read_text(encoding="utf-8")
    assert "<tr><td>closed by a margin call / the ruin</td>" in page
    # the stress days: those of the run's days up to the ruin day (the rule of analyzers.hedge_cost.stress_parts)
    days = [d.date() for d in res.daily.index if d <= day]
    idx = [market.index_of(d) for d in days]
    vix = market.data.vix_close
    above, top = stress_parts(vix[idx], vix[[i - 1 for i in idx]], cfg.analysis.stress_vix_level,
                              cfg.analysis.stress_top_share)
    assert len(days) < len(res.daily) and h["stress_days"] == int((above | top).sum())
    assert h["net_cost_usd_per_year"] == pytest.approx(h["net_cost_usd"] * cfg.analysis.periods_per_year / len(days),
                                                       abs=0.05)


def test_a_ruined_runs_hedge_held_counts_to_its_ruin_day(market, ruin_hedged, tmp_path):
    """Trial RS27 (how much hedge a run held): a ruined run's layers.csv sessions_held and metrics.json's totals
    count to its ruin day, as its other metrics: the layers its liquidation closed end there, and mean_layers_held
    is over the valid span's sessions (daily.csv hedge_layers' mean to the ruin day), not the whole window's."""
    from vixhedge.report import write_run
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run=WINDOW)
    res = run_backtest(cfg, market, engine="fast")
    day = pd.Timestamp(res.metrics["ruin"]["date"])
    folder = write_run(res, tmp_path)
    layers = pd.read_csv(folder / "layers.csv", parse_dates=["entry_date", "exit_date"])
    daily = pd.read_csv(folder / "daily.csv", index_col="date", parse_dates=True)
    h = json.loads((folder / "metrics.json").read_text(encoding="utf-8"))["hedge_cost"]
    span = daily.loc[:day]
    assert len(span) < len(daily) and (layers["exit_reason"] == "ruin").any()
    assert layers["exit_date"].max() == day and layers["exit_date"].notna().all()  # the ruin closed every layer
    for entry, exit_, n in zip(layers["entry_date"], layers["exit_date"], layers["sessions_held"]):
        assert n == ((span.index >= entry) & (span.index < exit_)).sum()  # the ruin day itself: closed, not held
    assert h["layer_sessions"] == layers["sessions_held"].sum() == span["hedge_layers"].sum() > 0
    assert h["contract_sessions"] == (layers["contracts"] * layers["sessions_held"]).sum()
    assert h["mean_layers_held"] == pytest.approx(span["hedge_layers"].mean(), rel=1e-12)
    assert h["mean_layers_held"] > daily["hedge_layers"].mean()  # (the days after the ruin would dilute it)


def test_the_worst_days_correlation_of_a_ruined_run_is_on_its_valid_span(market, ruin_hedged):
    """Trial longrun finding 5: after a ruin, "hedge vs condor, worst days" took 5% of the whole window (251 of
    5,031 days) while CVaR and the other metrics read the valid span (698 days). Now it is 5% of the valid span's
    day-over-day rows, the ruin day (its liquidation) included and nothing after it."""
    from analyzers.metrics import tail_correlation, tail_count
    from vixhedge.run import run_backtest

    cfg = C.replace(C.load_default(), run=WINDOW)
    res = run_backtest(cfg, market, engine="fast")
    p, day = res.metrics["performance"], pd.Timestamp(res.metrics["ruin"]["date"])
    span = res.daily.loc[:day]
    assert len(span) < len(res.daily)  # the ruin leaves days after it in the window
    assert p["tail_days"] == tail_count(len(span) - 1) < tail_count(len(res.daily) - 1)
    rows = span.iloc[1:]
    want = tail_correlation(rows["total_pnl_usd"].to_numpy(), rows["hedge_pnl_usd"].to_numpy(),
                            rows["condor_pnl_usd"].to_numpy())
    assert {k: p[k] for k in want} == pytest.approx(want, nan_ok=True)


def test_a_ruin_inside_a_named_period_is_its_rows_and_caveats(market, monkeypatch):
    """Review 20 and trial MUT20: a ruin on china-deval's days (the hedged account drained from 2015-08-20, the same
    drain as ruin_hedged) gave the period's row a fees + interest of -$2.0m and no word of the ruin, and the summary
    annualised the sessions to the ruin without the short-window caveat. End to end: the period's record marks the
    ruin and carries the debt written off, its P&L columns sum to its total, and the summary's first rows are the
    RUIN, then the caveat counting the sessions to the ruin."""
    from vixhedge.run import run_backtest
    from vixhedge.summary import summary_table

    real_open = Desk.open_day

    def open_day(self: Desk, i: int) -> None:
        real_open(self, i)
        if self.today >= dt.date(2015, 8, 20) and self.ledger.positions_of("hedge") and self.ledger.nav > 0:
            self.ledger.accrue_interest(self.today, -2.0 * 365.0, 1)

    monkeypatch.setattr(Desk, "open_day", open_day)
    res = run_backtest(C.replace(C.load_default(), run=WINDOW), market, engine="fast")
    ruin = res.metrics["ruin"]["date"]
    (deval,) = [p for p in res.metrics["named_periods"] if p["name"] == "china-deval"]
    assert "2015-08-20" <= ruin <= "2015-08-31" and deval["ruin"] == ruin and deval["ruin_debt_pnl_usd"] > 0  # (written off)
    groups = sum(deval[f"{g}_pnl_usd"] for g in ("condor", "hedge", "fees", "interest", "ruin_debt"))
    assert groups == pytest.approx(deval["total_pnl_usd"], abs=0.05)  # each rounded to the cent
    sessions = int((res.daily.index <= pd.Timestamp(ruin)).sum())
    rows = [ln.split()[0] for ln in summary_table(res).splitlines()[:3]]
    assert rows == ["RUIN", "CAVEAT", "CAVEAT"] and sessions < 60
    assert f"CAVEAT              Only {sessions} sessions to the ruin: the annualised" in summary_table(res)


def test_a_pair_a_ruin_cuts_under_the_bootstraps_minimum_is_not_tested(market, ruin_hedged):
    """Trial VIS35 M2: static ruined after 3 daily returns of the README's ruin compare held "worse" at Holm p 0.009
    on a bootstrap of 3 days, where a window of under 20 sessions gets no CI at all (compare_args.paired_sessions).
    A pair cut under that minimum keeps its differences, without a CI, a verdict or a place in the Holm family; the
    RUINED line says it was not tested."""
    cmp = compare(C.replace(C.load_default(), run={"start": "2015-08-17", "end": "2015-10-30"}), market,
                  modes=("none", "alvh"), n_boot=100)
    ruin, p = cmp.results["alvh"].metrics["ruin"], cmp.paired
    steps = int(p["days"].iloc[0])
    assert ruin is not None and steps < 19 and p["ci_low"].isna().all() and p["p_value"].isna().all()
    assert (p["ci_method"] == f"not estimable: {steps} daily returns to the ruin, under the 19 a block bootstrap "
                              "needs").all() and p["p_holm"].isna().all() and np.isfinite(p["diff"]).all()
    text = format_comparison(cmp)
    assert (f"NAV 0; its {steps} daily returns to its ruin are too few for a paired CI: not tested") in text
    assert "CI caveat" not in text  # (nothing tested: no count, no Holm line, no short-interval caveat)
    # trial VIS36 M3: paired.png drew the untested differences as bare dots, like very tight intervals: hollow now
    from vixhedge.compare_report import fig_paired

    ax = fig_paired(cmp).axes[1]  # (max drawdown: Sharpe's panel is n/a, the ruined leg's)
    hollow = [ln for ln in ax.lines if ln.get_markerfacecolor() == "none"]
    assert len(hollow) == 1 and np.isfinite(np.asarray(hollow[0].get_xdata(), dtype=float)).all()


@pytest.mark.parametrize("start, days, tested", [("2015-08-05", 19, True), ("2015-08-06", 18, False)])
def test_a_pair_of_19_returns_to_its_ruin_is_tested_and_one_of_18_is_not(market, ruin_hedged, start, days, tested):
    """Trial MUT35 C1, T7 (the boundary as paired_sessions(steps), not steps + 1): a window needs 20 sessions, 19
    daily returns, for paired differences (compare_args.paired_sessions; sweep_spec.MIN_SIDE_SESSIONS = 20); a pair a
    ruin cuts to 19 returns keeps its CIs and the RUINED line's old words, one cut to 18 has none (this fixture ruins
    alvh on 2015-09-01: measured 19 returns from 2015-08-05, 18 from 2015-08-06)."""
    cmp = compare(C.replace(C.load_default(), run={"start": start, "end": "2015-10-30"}), market,
                  modes=("none", "alvh"), n_boot=100)
    p = cmp.paired
    assert int(p["days"].iloc[0]) == days and p["ci_low"].notna().all() == tested
    ruined = next(ln for ln in format_comparison(cmp).splitlines() if ln.startswith("RUINED: alvh"))
    assert ruined.endswith("its paired differences cover the days to its ruin only" if tested else
                           f"its {days} daily returns to its ruin are too few for a paired CI: not tested")
