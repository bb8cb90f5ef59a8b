"""Walk-forward sweeps (``vixhedge sweep SPEC --walk-forward FIT,TEST``, :mod:`vixhedge.walkforward`).

A researcher's trial (session 15) scripted a walk-forward by hand (one sweep per fold, each folder's best_nav.csv cut
at the split and chained) and asked for it in the tool. Its figures are checked here against runs made directly.
"""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
import pytest

from vixhedge.cli import main
from vixhedge.cli_sweep import parse_years
from vixhedge.walkforward import Fold, folds

D = dt.date
SPEC = """[sweep]
name = "wf"
workers = 1
{extra}
[base]
run = {{ start = 2014-06-02, end = 2018-12-31 }}

[grid]
"hedge.macd.fast" = [8, 12]
"""


def test_the_folds_step_by_the_test_years_and_their_test_periods_meet() -> None:
    """2008-01-02..2022-12-30 by 4 fit and 3 test years: fold k fits from 2008-01-02 + 3k years for 4 years; the
    test periods run on from one another, the last cut at the window's end."""
    plan = folds(D(2008, 1, 2), D(2022, 12, 30), 4, 3)
    assert plan == [Fold(1, D(2008, 1, 2), D(2012, 1, 1), D(2015, 1, 1)), Fold(2, D(2011, 1, 2), D(2015, 1, 1), D(2018, 1, 1)),
                    Fold(3, D(2014, 1, 2), D(2018, 1, 1), D(2021, 1, 1)), Fold(4, D(2017, 1, 2), D(2021, 1, 1), D(2022, 12, 30))]
    assert all(a.test_end == b.fit_end for a, b in zip(plan, plan[1:]))
    assert folds(D(2016, 2, 29), D(2020, 12, 31), 1, 1)[0].fit_end == D(2017, 2, 27)  # (29 February: the 28th)
    assert parse_years("4,3") == (4, 3)
    for bad in ("4", "4,0", "a,3", "4,3,2", "4,51"):
        with pytest.raises(ValueError, match="give FIT,TEST as two whole numbers of years 1..50"):
            parse_years(bad)


def test_bad_walk_forwards_are_one_line_before_any_work(tmp_path, capsys) -> None:
    spec = tmp_path / "wf.toml"
    spec.write_text(SPEC.format(extra=""))
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as exc:  # a usage error (argparse's exit), one line
        main(["sweep", str(spec), "--walk-forward", "4", "--out", str(out)])
    err = capsys.readouterr().err
    assert exc.value.code == 2 and "give FIT,TEST as two whole numbers of years" in err and err.count("\n") == 1
    assert main(["sweep", str(spec), "--walk-forward", "3,2", "--out", str(out), "-q"]) == 2
    err = capsys.readouterr().err
    assert "--walk-forward 3,2 makes 1 fold(s) of the window 2014-06-02..2018-12-31" in err and err.count("\n") == 1
    spec.write_text(SPEC.format(extra="in_sample_end = 2016-12-30"))
    assert main(["sweep", str(spec), "--walk-forward", "2,1", "--out", str(out), "-q"]) == 2
    assert "--walk-forward sets each fold's split; the spec's sweep.in_sample_end = 2016-12-30" in capsys.readouterr().err
    assert not out.exists()


def test_the_stitched_tracks_are_the_folds_runs_on_their_test_days(tmp_path, capsys) -> None:
    """2014-06..2018-12 by 2 fit and 1 test years (3 folds): each fold's pick is its sweep's best in sample, and the
    stitched returns of fold 1's test days are those of `run_backtest` of the pick's config, and of the same config
    unhedged, over the fold's window (to 1e-9); the NAV index chains them; the stitched Sharpe is
    analyzers.metrics.sharpe of those returns over the cash rate."""
    from analyzers import metrics as M
    from feeds.market import build_market
    from vixhedge.core import config as C
    from vixhedge.run import risk_free_returns, run_backtest
    from vixhedge.sweep_spec import load_spec

    path = tmp_path / "wf.toml"
    path.write_text(SPEC.format(extra=""))
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--walk-forward", "2,1", "--out", str(out), "-q"]) == 0
    text = capsys.readouterr().out
    s = json.loads((out / "walkforward.json").read_text())
    table = pd.read_csv(out / "walkforward.csv", index_col="date", parse_dates=["date"])
    assert [p["fold"] for p in s["folds"]] == [1, 2, 3] and s["days"] == len(table)
    assert "walk-forward: 3 folds" in text and "picked minus no hedge (95% CI" in text and (out / "walkforward.png").is_file()
    fold1 = json.loads((out / "fold-1" / "summary.json").read_text())
    assert s["folds"][0]["point"] == fold1["best"]["point"] and fold1["rank_by"]["column"] == "is_sharpe"
    spec, market = load_spec(path), build_market(C.MarketConfig())
    cfg = C.replace(spec.base, run={"start": "2014-06-02", "end": "2017-06-01"},
                    hedge={"macd": {"fast": s["folds"][0]["params"]["hedge.macd.fast"]}})
    rows = table[table["fold"] == 1]
    for track, mode in (("picked", None), ("no_hedge", "none")):
        run = run_backtest(C.replace(cfg, hedge={"mode": mode}) if mode else cfg, market)
        nav = run.daily["nav_usd"]
        r = (nav / nav.shift(1) - 1.0).loc[rows.index]
        np.testing.assert_allclose(rows[track].to_numpy(), r.to_numpy(), rtol=0, atol=1e-9)
    np.testing.assert_allclose(table["picked_index"].to_numpy(), np.cumprod(1.0 + table["picked"].to_numpy()),
                               rtol=1e-9)  # (the file's 10 significant digits)
    first = max(d for d in market.days if d <= D(2016, 6, 1))
    rf = risk_free_returns(spec.base.analysis, market, [first, *(d.date() for d in table.index)])
    assert s["stitched"]["picked"]["sharpe"] == pytest.approx(M.sharpe(table["picked"].to_numpy(), rf, 252), rel=1e-9)
    assert main(["sweep", str(path), "--walk-forward", "2,1", "--out", str(out), "-q"]) == 0  # a rerun: resumed
    assert json.loads((out / "walkforward.json").read_text()) == s
    from vixhedge import api  # the same from Python (README "From Python"), on the finished folder: resumed

    got = api.walk_forward(path, 2, 1, out, progress=False)
    assert json.loads(json.dumps(got)) == {**s, "reproduce": None}  # (the command names itself; Python has no line)
