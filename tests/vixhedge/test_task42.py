"""TASK42 fixes: a quant researcher's first session (README and --help only) found the console's capital needed read
as the account to open with (M1), the sweep console's hedge cost unlabelled ex fees (M2), walk-forward picks printed
alphabetically (L1), two round trips for a run before the exchange calendar (L3), the embedded market's range line
silent on real data (L4), a TOML date that is no day reported as a syntax error (L5) and no word on ruin in a run not
ruined (L7). Each test fails on main at 49a98acd, before these fixes."""

from __future__ import annotations

import re
from pathlib import Path

from vixhedge.cli import main


def test_the_capital_line_says_what_the_capital_needed_holds_for_and_that_no_ruin_came(short_run) -> None:
    """Trial TASK42 M1: `vixhedge run --data-dir ../shared/data --start 2008-01-02 --end 2008-12-31` printed "capital
    needed $214,011"; opened with $214,012 the caps (fractions of NAV) cut 13 days and it needed $81,340: the figure
    holds for this run's trades, as README's Capital table and report.html say ("the same trades; NAV-sized orders
    aside"). Trial TASK42 L7: a run not ruined said nothing of ruin (compare: "ruined no"); the line now ends ", no
    ruin". short_run (tests/vixhedge/conftest.py) is not ruined and met no margin call (its metrics.json)."""
    from vixhedge.compare_rows import TABLE_ROWS
    from vixhedge.summary import summary_table

    assert short_run.metrics.get("ruin") is None and short_run.metrics["capital"]["days_with_margin_call"] == 0
    line = next(ln for ln in summary_table(short_run).splitlines() if ln.strip().startswith("capital "))
    needed = f"{short_run.metrics['capital']['capital_needed_usd']:,.0f}"
    assert f", capital needed ${needed} (for this run's trades: caps sized by NAV would change them), " in line, line
    assert line.endswith(", 0 with a margin call, no ruin"), line
    assert TABLE_ROWS["capital_needed_usd"][0] == "capital needed at the start (no margin call on this path's trades)"


def test_the_sweep_console_says_its_hedge_cost_is_ex_fees() -> None:
    """Trial TASK42 M2: `vixhedge sweep specs/mult.toml` printed "hedge cost   in sample $68,150 ..." unlabelled beside
    "condor P&L ...; ex fees, as results.csv", while a run's "hedge net cost" of the same point ($90,985) includes
    the $987.75 of fees results.csv's 89,997.33 leaves out; the page said "hedge cost ex fees"."""
    from vixhedge import sweep as sw

    split = {"points": 2, "finished": 2, "invalid": 0, "failed": 0, "not_run": 0, "ruined": 0,
             "best": {"point": "ab", "k": 3, "is_sharpe": 0.5, "oos_sharpe": 0.1, "is_hedge_cost_usd": 68150.0,
                      "oos_hedge_cost_usd": 21847.0},
             "baseline_none": {"is_sharpe": 0.2, "oos_sharpe": 0.3, "is_hedge_cost_usd": 0.0, "oos_hedge_cost_usd": 0.0}}
    lines = sw.format_summary(split, "w", ["k"], Path("o")).splitlines()
    assert ("  hedge cost   in sample $68,150 (no hedge $0); out of sample $21,847 (no hedge $0); ex fees, as "
            "results.csv") in lines


def _walk(keys: list[str] | None) -> dict:
    """A walkforward.json as `vixhedge report` reads it back (sorted keys: json.dumps(sort_keys=True)): one fold whose
    pick is hedge.next_layer_multiple = 1.5, hedge.macd.fast = 8 (TASK42's multwf grid, in that order), its [base]
    point 2.0 and 12; ``keys`` the grid's order (None: a file from before it)."""
    trio = {"sharpe": -1.0, "max_drawdown": 0.1, "cvar95": 0.01}
    s = {"rank_by": "sharpe", "window": "2016-06-02..2017-06-01", "days": 252, "paired": {}, "notes": [],
         "stitched": {t: {**trio, "total_return": -0.1} for t in ("picked", "no_hedge", "static")},
         "folds": [{"fold": 1, "fit": "2014-06-02..2016-06-01", "test": "2016-06-02..2017-06-01", "test_days": 252,
                    "params": {"hedge.macd.fast": 8, "hedge.next_layer_multiple": 1.5}, "in_sample": -0.61,
                    "test_rank": 4, "points": 4, "test_median": -1.06, "rank_correlation": -0.8,
                    "test_stats": {t: trio for t in ("picked", "no_hedge", "static")}}],
         "base_point": {"params": {"hedge.macd.fast": 12, "hedge.next_layer_multiple": 2.0}, "test_ranks": [2],
                        "rank_sum": 2, "random_mean": 2.5, "folds": 1}}
    return {**s, "keys": keys} if keys is not None else s


def test_walk_forward_prints_the_picks_in_the_grids_order(tmp_path: Path) -> None:
    """Trial TASK42 L1: `vixhedge sweep specs/multwf.toml --walk-forward 2,1` printed each fold's pick as
    "hedge.macd.fast = 8, hedge.next_layer_multiple = 1.5" (walkforward.json's sorted keys), the sweep of the same
    grid "hedge.next_layer_multiple = 1.5, hedge.macd.fast = 8"; walkforward.json now records the grid's order."""
    from vixhedge.walkforward_text import format_walk

    text = format_walk(_walk(["hedge.next_layer_multiple", "hedge.macd.fast"]), tmp_path)
    assert "(252 sessions): hedge.next_layer_multiple = 1.5, hedge.macd.fast = 8\n" in text
    assert "[base] point (hedge.next_layer_multiple = 2.0, hedge.macd.fast = 12) ranks 2 " in text
    old = format_walk(_walk(None), tmp_path)  # a file from before `keys`: its own order, as it printed
    assert "(252 sessions): hedge.macd.fast = 8, hedge.next_layer_multiple = 1.5\n" in old


def test_a_run_before_the_calendar_on_a_data_directory_names_the_datas_span(shared_data, tmp_path: Path,
                                                                            capsys) -> None:
    """Trial TASK42 L3: `vixhedge run --data-dir ../shared/data --start 1985-01-02 --end 1985-12-31` was told the
    calendar's 1990-01-01..2035-12-31; 1995 then got the data's "start it on 2000-02-22 or later" (the VIX file's
    gap on 1999-12-31; 34 bars of MACD(12,26,9) warm-up from 2000-01-03): now the first line says both. Trial TASK42
    L4's data-directory clause is the embedded market's alone: a data directory's own range line has none."""
    runs = ["--runs-dir", str(tmp_path)]
    assert main(["run", "--data-dir", str(shared_data), "--start", "1985-01-02", "--end", "1985-12-31", *runs]) == 2
    err = capsys.readouterr().err.strip()
    assert re.fullmatch(r"vixhedge: --start 1985-01-02 is invalid: use a date in 1990-01-01\.\.2035-12-31 \(the "
                        r"exchange calendar's range\); the data a run reads in \S+ span 2000-01-03\.\.\d{4}-\d\d-\d\d: "
                        r"a run starts on 2000-02-22 or later \(34 bars of MACD warm-up\)", err), err
    assert main(["run", "--data-dir", str(shared_data), "--start", "2034-01-03", "--end", "2034-06-30", *runs]) == 2
    err = capsys.readouterr().err.strip()
    assert "is outside the data (directory:" in err and "--data-dir" not in err and err.count("\n") == 0, err
    assert not any(tmp_path.iterdir())


def test_the_embedded_markets_range_line_names_a_data_directory(tmp_path: Path, capsys) -> None:
    """Trial TASK42 L4: `vixhedge run --start 2020-02-03 --end 2020-04-30` said "outside the data (embedded ...
    2014-01-03..2018-12-31): choose dates inside it", not that a data directory covers 2020."""
    assert main(["run", "--start", "2020-02-03", "--end", "2020-04-30", "--runs-dir", str(tmp_path)]) == 2
    assert capsys.readouterr().err.strip() == (
        "vixhedge: --start/--end: run.start/run.end = 2020-02-03..2020-04-30 is outside the data "
        "(embedded:arch.data(sp500,vix): 2014-01-03..2018-12-31): choose dates inside it; a data directory covers "
        "other years (--data-dir DIR; README *Real data*)")
    assert not any(tmp_path.iterdir())


def test_a_toml_date_that_is_no_day_is_named_as_the_start_flag_names_it(tmp_path: Path, capsys) -> None:
    """Trial TASK42 L5: a config holding `end = 2016-13-01` was "not valid TOML (Expected newline or end of document
    after a statement (at line 3, column 11)): fix the syntax at that line" where `--start 2020-13-01` is "is not a
    calendar date (YYYY-MM-DD, but no such day): check the month and day"; a line without such a date keeps
    tomllib's words."""
    why = "is not a calendar date (YYYY-MM-DD, but no such day): check the month and day"
    for body, said in (("[run]\nstart = 2016-01-04\nend = 2016-13-01\n", f"line 3: run.end = 2016-13-01 {why}"),
                       ("[run]\nstart = 2016-02-30\n", f"line 2: run.start = 2016-02-30 {why}"),
                       ("[sweep]\nname = 'x'\n[base]\nrun = { start = 2014-06-02, end = 2016-02-30 }\n",
                        f"line 4: base.run.end = 2016-02-30 {why}"),
                       ("[run]\nstart = 2016-1-04\n", "not valid TOML (Expected newline or end of document after a "
                        "statement (at line 2, column 13)): fix the syntax at that line")):
        path = tmp_path / "bad.toml"
        path.write_text(body)
        assert main(["run", str(path), "--runs-dir", str(tmp_path / "runs")]) == 2
        assert capsys.readouterr().err.strip() == f"vixhedge: {path}: {said}"
    assert not (tmp_path / "runs").exists()


def test_a_walk_forward_ranked_on_hedge_cost_says_it_is_ex_fees() -> None:
    """Trial TASK42 M2, left by its fix: a walk-forward ranked on hedge_cost_usd (results.csv's, ex fees) named it
    "hedge cost", as compare's net cost (fees included) is named."""
    from vixhedge.walkforward_text import metric_words

    assert metric_words("hedge_cost_usd") == "hedge cost ex fees"


def test_a_walk_forward_outside_the_data_is_told_so_not_to_lengthen_its_fit(tmp_path, capsys) -> None:
    """Trial RD42 M3: `vixhedge sweep examples/walkforward.toml --walk-forward 4,3` without --data-dir (its window
    2008-01-02..2022-12-30, README *Walk-forward*) said "fold 1's fit period ... holds 0 session(s) ... lengthen FIT";
    the same spec without --walk-forward names the data's span and --data-dir (TASK42 L4). Now both do, nothing
    written."""
    out = tmp_path / "wf"
    examples = Path(__file__).resolve().parents[2] / "examples"
    assert main(["sweep", str(examples / "walkforward.toml"), "--walk-forward", "4,3", "--workers", "1", "--out",
                 str(out)]) == 2
    err = capsys.readouterr().err
    assert "is outside the data (embedded:" in err and "a data directory covers other years (--data-dir" in err
    assert "lengthen" not in err and not out.exists()
