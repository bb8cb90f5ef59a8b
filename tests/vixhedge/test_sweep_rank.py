"""What a sweep ranks its points by (``sweep.rank_by`` / ``--rank-by``), its CVaR column and its static baseline.

A researcher's trial (session 13) found a sweep ranked by Sharpe alone and tested against no hedge alone: the highest
Sharpe was a larger hedge with a worse drawdown and CVaR than a static hedge. A sweep now ranks by any of compare's
four statistics (Sharpe higher, max drawdown, CVaR 95% and hedge cost lower), writes each point's CVaR 95%, and
judges the best point against the same config under the static hedge as well as without hedge.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from analyzers import metrics as M
from tests.vixhedge.sweep_cases import write_spec
from vixhedge import fmt
from vixhedge import sweep as sw
from vixhedge.cli import main
from vixhedge.core import config as C
from vixhedge.run import run_backtest
from vixhedge.sweep_metrics import CALL_FIELDS, CAPITAL_FIELDS, CAUSE_FIELDS, CVAR_FIELDS, NEEDED_FIELDS
from vixhedge.sweepio import record_outputs


@pytest.fixture(scope="module")
def market():
    from feeds.market import build_market

    return build_market(C.MarketConfig())


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text())


def test_rank_by_picks_the_lowest_drawdown_and_a_rerun_ranks_again_without_running_a_point(tmp_path, capsys) -> None:
    """The same folder ranked by Sharpe, then by max drawdown (``--rank-by``): results.csv is the same bytes, the
    best point is the lowest in-sample drawdown (ties: the first in grid order), the deflated Sharpe ratio is not
    given (it deflates a maximum of Sharpe ratios) and the page and console say what the points were ranked by."""
    spec, out = write_spec(tmp_path), tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0
    rows = (out / "results.csv").read_bytes()
    df = pd.read_csv(out / "results.csv")
    by_sharpe = _summary(out)
    assert by_sharpe["best"]["point"] == df.loc[df["is_sharpe"].idxmax(), "point"]
    assert by_sharpe["rank_by"] == {"metric": "sharpe", "column": "is_sharpe", "better": "higher"}
    assert "deflated_sharpe_ratio" in by_sharpe
    assert "ranked before" not in capsys.readouterr().out  # a first ranking: nothing new

    assert main(["sweep", str(spec), "--out", str(out), "--quiet", "--rank-by", "max_drawdown"]) == 0
    text = capsys.readouterr().out
    assert (out / "results.csv").read_bytes() == rows  # nothing ran again: the same rows
    by_dd = _summary(out)
    assert by_dd["best"]["point"] == df.loc[df["is_max_drawdown"].idxmin(), "point"]
    assert by_dd["rank_by"] == {"metric": "max_drawdown", "column": "is_max_drawdown", "better": "lower"}
    assert "deflated_sharpe_ratio" not in by_dd and "--rank-by max_drawdown" in by_dd["reproduce"]
    assert "best in sample by max drawdown (lower is better): " in text
    assert "deflated Sharpe ratio: none (points ranked by max drawdown (lower is better)" in text
    page = (out / "report.html").read_text()
    assert "points chosen on max drawdown, in sample (lower is better)" in page
    assert "Left max drawdown, in sample (% of NAV), right hedge cost ex fees, in sample (thousand USD)" in page
    top = page[page.index("<h2>Top points</h2>"):page.index("<h3>Their P&amp;L</h3>")]  # (the ranking table)
    heads = re.findall(r"<th[^>]*>([^<]*)</th>", top.replace("<wbr>", ""))  # (a header may break after a dot)
    rows = [re.findall(r"<td[^>]*>([^<]*)</td>", tr) for tr in re.findall(r"<tr>(.*?)</tr>", top)[1:]]
    shown = [float(r[heads.index("max drawdown, in sample")].rstrip("%")) for r in rows]
    assert heads[3] == "max drawdown, in sample" and len(shown) == len(df) and shown == sorted(shown)  # lowest first
    # trial RS23: the ranking by Sharpe left no trace, and the best point's rank out of sample was on the page only.
    # summary.json keeps each metric ranked by with its random-pick probability (this one last), the console and
    # page say it; the best in sample's rank out of sample and the rank correlation are printed, from results.csv
    oos = df.set_index("point")["oos_max_drawdown"]
    rank = int(oos.rank(method="min")[by_dd["best"]["point"]])
    rho = df["is_max_drawdown"].corr(df["oos_max_drawdown"], method="spearman")
    assert by_dd["out_of_sample_rank"] == {"test_rank": rank, "points": len(df), "rank_correlation": pytest.approx(rho),
                                           "random_pick": pytest.approx((oos.rank(method="min") <= rank).mean())}
    s_rank = int(df.set_index("point")["oos_sharpe"].rank(ascending=False, method="min")[by_sharpe["best"]["point"]])
    assert by_sharpe["rankings"] == [{"rank_by": "sharpe", "random_pick": by_sharpe["out_of_sample_rank"]["random_pick"]}]
    assert by_sharpe["out_of_sample_rank"]["test_rank"] == s_rank
    assert by_dd["rankings"] == [by_sharpe["rankings"][0], {"rank_by": "max_drawdown",
                                                           "random_pick": by_dd["out_of_sample_rank"]["random_pick"]}]
    p_sharpe, p_dd = (fmt.num(r["random_pick"], 3) for r in by_dd["rankings"])
    note = (f"ranked before by sharpe (random-pick p {p_sharpe}); this ranking by max_drawdown (random-pick p {p_dd}): "
            "choosing the metric after seeing results is not counted in either probability")
    assert f"  note: {note}" in text and note in (out / "report.html").read_text()
    assert (f"  the best in sample ranks {rank} of {len(df)} out of sample by max drawdown (a point drawn at random ranks as "
            f"well or better with probability {p_dd}); rank correlation in sample / out of sample "
            f"{fmt.num(rho, 2, signed=True)} over {len(df)} points") in text
    assert main(["sweep", str(spec), "--out", str(out), "--quiet", "--rank-by", "max_drawdown"]) == 0  # again: the same
    assert _summary(out)["rankings"] == by_dd["rankings"]
    # trial STAT23 / REV23: ranked again by the first metric, it keeps its place, on the console and the page
    capsys.readouterr()
    assert main(["sweep", str(spec), "--out", str(out), "--quiet", "--rank-by", "sharpe"]) == 0
    text, again = capsys.readouterr().out, _summary(out)
    assert again["rankings"] == by_dd["rankings"]
    note = (f"ranked by sharpe (random-pick p {p_sharpe}), max_drawdown (random-pick p {p_dd}), in that order; this "
            "ranking by sharpe again: choosing the metric after seeing results is not counted in either probability")
    assert f"  note: {note}" in text and note in (out / "report.html").read_text()


def test_cvar_is_the_runs_and_the_static_baseline_is_compares_static_run(tmp_path, market) -> None:
    """results.csv ``cvar95`` is a run's ``performance.cvar_95`` (analyzers.metrics.cvar: minus the mean of the worst
    5% of daily returns); ``is_cvar95`` that of the in-sample returns. ``baseline_static`` is the [base] config under
    ``hedge.mode = "static"``, the run compare makes; SPA / StepM test every point against it too."""
    spec = sw.load_spec(write_spec(tmp_path, fast="[8, 12]"))
    results = sw.run_sweep(spec, tmp_path / "out", market, progress=False)
    summary = sw.summarize(results, spec, market)
    rows = {r["point"]: r for r in csv.DictReader(results.read_text().splitlines())}
    for p in sw.expand(spec)[0]:
        res = run_backtest(p.config, market)
        nav = res.daily["nav_usd"].to_numpy()
        assert float(rows[p.key]["cvar95"]) == pytest.approx(res.metrics["performance"]["cvar_95"], rel=1e-9)
        cut = int((res.daily.index <= pd.Timestamp(spec.in_sample_end)).sum())
        assert float(rows[p.key]["is_cvar95"]) == pytest.approx(M.cvar(M.daily_returns(nav[:cut])), rel=1e-9)
    static = run_backtest(C.replace(spec.base, hedge={"mode": "static"}), market)
    assert summary["baseline_static"]["end_nav_usd"] == static.metrics["performance"]["end_nav_usd"]
    assert summary["baseline_static"]["cvar95"] == pytest.approx(static.metrics["performance"]["cvar_95"], rel=1e-12)
    assert summary["snooping_static"]["against"] == "the static hedge"
    assert summary["snooping_static"]["points_tested"] == len(rows)
    assert summary["snooping"]["against"] == "no hedge"


def test_a_bad_rank_by_is_one_line_before_any_work(tmp_path, capsys) -> None:
    spec = write_spec(tmp_path)
    text = spec.read_text().replace("in_sample_end = 2016-02-29", 'in_sample_end = 2016-02-29\nrank_by = "sortino"')
    spec.write_text(text)
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "sweep.rank_by = 'sortino' is invalid: rank the points by one of " in err
    assert "'cvar95' (lower is better)" in err and not out.exists()
    spec.write_text(text.replace('rank_by = "sortino"\n', ""))
    assert main(["sweep", str(spec), "--out", str(out), "--quiet", "--rank-by", "calmar"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "--rank-by = 'calmar' is invalid" in err and not out.exists()
    from vixhedge.sweep_keys import check_rank_by

    with pytest.raises(C.ConfigError, match=r"sweep.rank_by = \['sharpe'\] is invalid: rank the points by one of"):
        check_rank_by(["sharpe"], "sweep.rank_by")  # (a list was a TypeError: review 14)
    with pytest.raises(C.ConfigError, match="run_sweep: rank_by = 'calmar' is invalid"):
        from vixhedge.api import run_sweep

        run_sweep(spec, tmp_path / "api", rank_by="calmar", progress=False)


def test_a_folder_from_before_the_cvar_columns_resumes_and_is_not_ranked_by_cvar(tmp_path, capsys) -> None:
    """A results.csv written before ``cvar95`` (its header without the three CVaR columns, a point not yet run)
    resumes with its header, said in one line; ranking it by CVaR is refused in one line before any point runs."""
    spec, out = write_spec(tmp_path, fast="[8, 12]"), tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0
    results = out / "results.csv"
    fresh = list(csv.reader(results.read_text().splitlines()))
    keep = [k for k, name in enumerate(fresh[0])
            if name not in CVAR_FIELDS + CAPITAL_FIELDS + CALL_FIELDS + NEEDED_FIELDS + CAUSE_FIELDS]  # (later)
    old = [[r[k] for k in keep] for r in fresh]
    with results.open("w", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(old[:-1])
    record_outputs(out)  # (a finished folder of that layout: its files recorded)
    kept = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    capsys.readouterr()
    assert main(["sweep", str(spec), "--out", str(out), "--quiet", "--rank-by", "cvar95"]) == 2
    err = capsys.readouterr().err
    assert "results.csv was written before the is_cvar95 column, so its points cannot be ranked by cvar95" in err
    # refused before anything is written: every file as it was, output_files.json included (review 14)
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == kept
    (out / "output_files.json").unlink()  # (an interrupted sweep has no record: sweepio.claim)
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0
    assert list(csv.reader(results.read_text().splitlines())) == old  # its header, the resumed row as fresh
    err = capsys.readouterr().err
    assert err.count("was written before the CVaR and capital and margin-call and capital-needed and hedge-by-cause "
                     "columns (cvar95, peak_margin_utilisation, days_with_margin_call, capital_needed_usd, "
                     "hedge_vx_carry_usd): it keeps its header") == 1, err
    assert "cvar95" not in _summary(out)["best"]


@pytest.mark.parametrize("metric, other", [("is_sharpe", "is_hedge_cost_usd"), ("is_cvar95", "is_hedge_cost_usd"),
                                           ("is_hedge_cost_usd", "is_sharpe"), ("sharpe", "hedge_cost_usd")])
def test_the_heatmaps_second_metric_and_direction(metric, other) -> None:
    from vixhedge.sweep_heatmap import better, cost_metric, heat_title

    cols = ["point", "k", "sharpe", "cvar95", "hedge_cost_usd"] + (
        [f"is_{c}" for c in ("sharpe", "cvar95", "hedge_cost_usd")] if metric.startswith("is_") else [])
    assert cost_metric(pd.DataFrame(columns=cols), metric) == other
    assert better(metric) == ("higher" if metric.endswith("sharpe") else "lower")
    assert heat_title("oos_cvar95") == "CVaR 95% (daily), out of sample (% of NAV a day)"


def test_the_spa_block_and_what_spa_does_not_judge() -> None:
    """A researcher's trial (session 14): a 2008 sweep had 96 of 96 points beat no hedge on SPA's data-driven 1-day
    block (16 on 5-day, 0 on 10-day) with no word, and its ranking by CVaR sat above tests of mean return."""
    from vixhedge.sweep_text import block_caveat, spa_words

    one = {"block_from": "data", "block_days": 1, "days": 209, "spa_pvalue": 0.02}
    assert "data-driven block is 1 day" in block_caveat(one) and "--spa-block-days 10" in block_caveat(one)
    assert block_caveat({**one, "block_from": "spec"}) == "" and block_caveat({**one, "block_days": 3}) == ""
    ranked = {"rank_by": {"metric": "cvar95"}, "snooping": one}
    assert spa_words(ranked).startswith("SPA / StepM test mean daily return, not CVaR 95%")
    assert spa_words({**ranked, "rank_by": {"metric": "sharpe"}}) == "" and spa_words({"snooping": one}) == ""


def test_spa_block_days_sets_the_block(tmp_path, capsys) -> None:
    spec, out = write_spec(tmp_path, fast="[8, 12]"), tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet", "--spa-block-days", "7"]) == 0
    s = _summary(out)
    assert [(s[k]["block_days"], s[k]["block_from"]) for k in ("snooping", "snooping_static")] == [(7, "spec")] * 2
    assert "--spa-block-days 7" in s["reproduce"]
    assert main(["sweep", str(spec), "--out", str(out), "--quiet", "--spa-block-days", "-1"]) == 2
    assert "--spa-block-days -1 is invalid: use a whole number of days >= 1, or 0" in capsys.readouterr().err


def test_a_best_point_tied_with_others_says_so(tmp_path, capsys) -> None:
    """A researcher's trial (session 14): the best point by CVaR was a 4-way tie on two inert axes and the summary
    named one point. ``hedge.rsi.period`` is inert with the RSI check off (the default): each fast period's two
    points give one row, so the best ties with one other point."""
    from tests.vixhedge.sweep_cases import write_grid_spec

    spec = write_grid_spec(tmp_path, '"hedge.macd.fast" = [8, 12]\n"hedge.rsi.period" = [10, 14]', extra="workers = 1")
    out = tmp_path / "out"
    assert main(["sweep", str(spec), "--out", str(out), "--quiet"]) == 0
    text = capsys.readouterr().out
    assert _summary(out)["best_ties"] == 1
    assert "; tied with 1 other point on it, the first in grid order)" in text
    assert "tied with 1 other point (the first in grid order)" in (out / "report.html").read_text()


def test_ranked_again_by_a_metric_already_tried_keeps_its_place_with_this_rankings_probability() -> None:
    """A folder ranked by sharpe (p 0.5), then cvar95 (p 0.2), then sharpe again over resumed points (p 0.1): sharpe
    keeps its first place, its probability the latest (0.1, the one this ranking drew), cvar95's untouched; a new
    metric goes last; no odds recorded gives None (by hand from ``rankings.ranked_again``'s docstring)."""
    from vixhedge.rankings import ranked_again

    earlier = [{"rank_by": "sharpe", "random_pick": 0.5}, {"rank_by": "cvar95", "random_pick": 0.2}]
    assert ranked_again(earlier, "sharpe", {"p": 0.1}) == [{"rank_by": "sharpe", "random_pick": 0.1},
                                                             {"rank_by": "cvar95", "random_pick": 0.2}]
    assert ranked_again(earlier, "max_drawdown", None) == [*earlier, {"rank_by": "max_drawdown", "random_pick": None}]
    assert earlier == [{"rank_by": "sharpe", "random_pick": 0.5}, {"rank_by": "cvar95", "random_pick": 0.2}]


def test_tied_points_share_the_better_rank_and_two_points_give_no_correlation() -> None:
    """Trial MUT34 G5 (RK01 ``method="min"`` -> ``"average"``, RK03 ``> 2`` -> ``> 1``; both survived). By hand from
    ``rankings.carried``'s and ``random_pick_odds``' docstrings ("tied points share the better rank"; Spearman "None
    under 3 points"): Sharpe (higher is better) out of sample 0.3, 0.3, 0.3, 0.1 ranks 1, 1, 1, 4, so the best in
    sample (a) ranks 1 (average ranks: 2), rank_counts [0, 3, 0, 0, 1], a random pick's mean rank (3 * 1 + 4) / 4 =
    1.75 and p = P(rank <= 1) = 3 / 4. Spearman: in-sample ranks 4, 3, 2, 1 against 3, 3, 3, 1 (ties averaged, as
    pandas does), 3 / sqrt(5 * 3). Two points give None; three in the same order in and out of sample 1.0."""
    from vixhedge.rankings import carried, random_pick_odds

    rows = pd.DataFrame({"point": list("abcd"), "is_sharpe": [0.9, 0.5, 0.4, 0.1], "oos_sharpe": [0.3, 0.3, 0.3, 0.1]})
    got = carried(rows, "sharpe", "a")
    assert (got["test_rank"], got["points"], got["rank_counts"]) == (1, 4, [0, 3, 0, 0, 1])
    assert got["rank_correlation"] == pytest.approx(3 / 15 ** 0.5, abs=1e-12)
    assert random_pick_odds([got], least=1) == {"rank_sum": 1, "random_mean": 1.75, "folds": 1, "p": 0.75}
    three = rows.iloc[:3].assign(oos_sharpe=[0.3, 0.2, 0.1])
    assert carried(three, "sharpe", "a")["rank_correlation"] == pytest.approx(1.0, abs=1e-12)
    assert carried(three.iloc[:2], "sharpe", "a")["rank_correlation"] is None  # (not 1.0)
